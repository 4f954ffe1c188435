"""Browser tests: JupyterLab in headless Chromium, driven like a person drives it."""
