"""Fixtures of the browser tests: one JupyterLab server and one headless Chromium per test
session (per xdist worker), a fresh page per test, and the test's artifacts.

Artifacts go to ``test-artifacts/browser/`` (ignored by git), named after the test:

- ``<test>.png``: the page as the test left it, always;
- ``<test>.lab.png``: the last lab the test looked at, in full, always;
- ``<test>.console.txt``: the browser console (and uncaught page errors), always;
- ``<test>.server.txt``: the end of JupyterLab's log, when the test failed;
- ``lab-after-last-interaction-<lab>.png``, ``reopened-notebook-hint.png``: what
  test_labs_show_the_kernels_figure.py leaves to look at; ``stale-<lab>-<n>.page.png`` and
  ``.kernel.png``: the page's and the kernel's pictures when they differed.

Chromium is Debian's /usr/bin/chromium (or $NNFS_CHROMIUM). When there is none, every browser
test fails with a message saying how to install it; ``NNFS_ALLOW_NO_BROWSER=1`` turns that into
a skip, for a machine of one's own (CI must not set it).
"""

from __future__ import annotations

import os
import re
import shutil
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from .jupyterlab import (
    ALLOW_NO_BROWSER_ENV,
    BrowserUnavailable,
    LabServer,
    NotebookPage,
    chromium_context,
    chromium_executable,
    start_lab,
    stop_lab,
)

REPO_ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = REPO_ROOT / "test-artifacts" / "browser"

REPORTS = pytest.StashKey[dict]()


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_runtest_makereport(item, call):
    """Keep each phase's report on the test item, so a fixture's teardown knows the outcome."""
    report = yield
    item.stash.setdefault(REPORTS, {})[report.when] = report
    return report


def artifact_name(node) -> str:
    return re.sub(r"[^A-Za-z0-9_.-]+", "_", node.nodeid.split("::", 1)[-1]).strip("_")


@pytest.fixture(scope="session")
def chromium() -> Path:
    """The Chromium executable; fails (or, with NNFS_ALLOW_NO_BROWSER=1, skips) without one."""
    try:
        return chromium_executable()
    except BrowserUnavailable as error:
        message = str(error)
    if os.environ.get(ALLOW_NO_BROWSER_ENV) == "1":
        pytest.skip(f"{message} ({ALLOW_NO_BROWSER_ENV}=1)")
    pytest.fail(message, pytrace=False)


@pytest.fixture(scope="session")
def lab_server(chromium, tmp_path_factory, course) -> Iterator[LabServer]:
    """JupyterLab on a free port with a random token, serving an empty temporary folder, in
    the learner mode of ``course.py lab`` (nbgrader's instructor tools off)."""
    home = tmp_path_factory.mktemp("jupyterlab")
    root = home / "root"
    root.mkdir()
    learner = course.write_learner_config(home / course.LEARNER_CONFIG_DIR)
    server = start_lab(root, home, config_path=learner)
    try:
        yield server
    finally:
        stop_lab(server)


@pytest.fixture(scope="session")
def browser_context(chromium, tmp_path_factory):
    """Headless Chromium on a fresh profile, with the canvas-paint hook in every page."""
    try:
        from playwright.sync_api import sync_playwright
    except ImportError as error:
        pytest.fail(
            f"the browser tests need the playwright package ({error}); install the test extra: "
            "python3 course.py --reinstall test",
            pytrace=False,
        )
    profile = tmp_path_factory.mktemp("chromium-profile")
    with (
        sync_playwright() as playwright,
        chromium_context(playwright, profile, chromium) as context,
    ):
        yield context


@pytest.fixture
def notebook_dir(request, lab_server) -> Path:
    """This test's own folder inside the server's root, for the notebooks it writes."""
    folder = lab_server.root / artifact_name(request.node)
    folder.mkdir(parents=True, exist_ok=True)
    return folder


@pytest.fixture
def open_notebook(
    request, browser_context, lab_server, notebook_dir
) -> Iterator[Callable[[Path], NotebookPage]]:
    """``open_notebook(path)`` copies a notebook into ``notebook_dir`` (unless the server
    serves it already), opens it in a new page and waits for its kernel. At the end of the test the
    page's pictures and console are saved as artifacts and its kernels are shut down."""
    name = artifact_name(request.node)
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    for stale in ARTIFACTS.glob(f"{name}.*"):
        stale.unlink()
    page = browser_context.new_page()
    console: list[str] = []
    page.on("console", lambda message: console.append(f"[{message.type}] {message.text}"))
    page.on("pageerror", lambda error: console.append(f"[pageerror] {error}"))
    opened: list[NotebookPage] = []

    def open_(notebook: Path) -> NotebookPage:
        target = notebook_dir / notebook.name
        if notebook.resolve().is_relative_to(lab_server.root.resolve()):
            target = notebook  # already served (a workspace the test made): open it in place
        elif notebook.resolve() != target.resolve():
            shutil.copy2(notebook, target)
        opened.append(
            NotebookPage.open(page, lab_server, target.relative_to(lab_server.root).as_posix())
        )
        return opened[-1]

    try:
        yield open_
    finally:
        reports = request.node.stash.get(REPORTS, {})
        failed = any(report.failed for report in reports.values())
        try:
            if opened and opened[-1].labs:
                opened[-1].screenshot(ARTIFACTS / f"{name}.lab.png", opened[-1].labs[-1].scope)
            page.screenshot(path=str(ARTIFACTS / f"{name}.png"))
        except Exception as error:  # a broken page must not hide the test's own failure
            console.append(f"[artifacts] could not take a screenshot: {error}")
        (ARTIFACTS / f"{name}.console.txt").write_text("\n".join(console) + "\n")
        if failed:
            (ARTIFACTS / f"{name}.server.txt").write_text(lab_server.log_tail(20_000))
        page.close()
        lab_server.shutdown_kernels()
