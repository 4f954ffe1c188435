"""The JupyterLab front-end extensions that the labs need are installed and enabled.

Without `@jupyter-widgets/jupyterlab-manager` a slider shows up as the text
"IntSlider(value=...)" or "Error displaying widget"; without `jupyter-matplotlib` (ipympl) a
`%matplotlib widget` figure shows as "Canvas(toolbar=...)". Both come as prebuilt extensions
inside Python packages (jupyterlab_widgets, ipympl), so a missing one means a broken install
of the environment, which this catches before any browser test has to. (`pip check` for the whole
environment is in test_project.py.)
"""

from __future__ import annotations

import re
import subprocess
import sys
import sysconfig
from pathlib import Path

import pytest

pytestmark = pytest.mark.project

REQUIRED_EXTENSIONS = ("@jupyter-widgets/jupyterlab-manager", "jupyter-matplotlib")

ANSI_ESCAPE = re.compile(r"\x1b\[[0-9;]*m")
# "        jupyter-matplotlib v0.12.0 enabled OK" (sometimes followed by "(python, ipympl)");
# a broken extension says "X" instead of "OK", a disabled one "disabled".
EXTENSION_LINE = re.compile(r"^\s+(?P<name>\S+) v(?P<version>\S+) (?P<state>enabled|disabled)\b")


def jupyter_executable() -> Path:
    """The environment's own `jupyter` (the one next to the interpreter running the tests)."""
    scripts = Path(sysconfig.get_path("scripts"))
    for name in ("jupyter", "jupyter.exe"):
        if (scripts / name).is_file():
            return scripts / name
    pytest.fail(f"no jupyter in {scripts}: the environment lacks jupyterlab ({sys.prefix})")


@pytest.fixture(scope="module")
def labextension_list() -> str:
    result = subprocess.run(
        [str(jupyter_executable()), "labextension", "list"],
        capture_output=True,
        text=True,
        timeout=300,
    )
    # JupyterLab writes the listing to stderr and colours it even when it is not a terminal.
    output = ANSI_ESCAPE.sub("", result.stdout + result.stderr)
    assert result.returncode == 0, f"`jupyter labextension list` failed:\n{output}"
    return output


def parse_listing(output: str) -> dict[str, dict[str, str]]:
    """{extension name: {"version", "state", "ok", "folder", "line"}} from the listing."""
    found: dict[str, dict[str, str]] = {}
    folder = ""
    for line in output.splitlines():
        if line and not line[0].isspace() and ("/" in line or "\\" in line):
            folder = line.strip()
            continue
        match = EXTENSION_LINE.match(line)
        if match:
            rest = line[match.end() :].split()
            found[match["name"]] = {
                "version": match["version"],
                "state": match["state"],
                "ok": "OK" if rest[:1] == ["OK"] else "not OK",
                "folder": folder,
                "line": line.strip(),
            }
    return found


def test_listing_parser_reads_state_and_health():
    listing = parse_listing(
        "JupyterLab v4.6.6\n"
        "/env/share/jupyter/labextensions\n"
        "        jupyter-matplotlib v0.12.0 enabled OK\n"
        "        @jupyter-widgets/jupyterlab-manager v5.0.16 enabled X (python, widgets)\n"
        "        other v1.0 disabled OK\n"
    )
    assert listing["jupyter-matplotlib"]["state"] == "enabled"
    assert listing["jupyter-matplotlib"]["ok"] == "OK"
    assert listing["jupyter-matplotlib"]["folder"] == "/env/share/jupyter/labextensions"
    assert listing["@jupyter-widgets/jupyterlab-manager"]["ok"] == "not OK"
    assert listing["other"]["state"] == "disabled"


@pytest.mark.parametrize("name", REQUIRED_EXTENSIONS)
def test_lab_extension_is_installed_enabled_and_ok(labextension_list, name):
    listing = parse_listing(labextension_list)
    assert name in listing, (
        f"JupyterLab does not know the extension {name}; the widgets or figures of the labs "
        f"will not render. Reinstall the environment: python3 course.py --reinstall test\n"
        f"{labextension_list}"
    )
    extension = listing[name]
    assert extension["state"] == "enabled", (
        f"{name} is disabled; enable it with `jupyter labextension enable {name}`\n"
        f"{labextension_list}"
    )
    assert extension["ok"] == "OK", f"{name} is installed but broken:\n{labextension_list}"


@pytest.mark.parametrize("name", REQUIRED_EXTENSIONS)
def test_lab_extension_is_not_borrowed_from_the_home_folder(labextension_list, name):
    """Prebuilt in the environment (share/jupyter of the venv or a system prefix), not in the
    user's own Jupyter data folder: another machine would not have it, and the browser tests run
    JupyterLab with a private data folder, which hides the user's."""
    from jupyter_core.paths import jupyter_data_dir

    extension = parse_listing(labextension_list).get(name)
    if extension is None:
        pytest.fail(f"{name} is not installed (see the test above)")
    folder = Path(extension["folder"]).resolve()
    user = Path(jupyter_data_dir()).resolve()
    assert not folder.is_relative_to(user), (
        f"{name} is installed in the user's data folder {folder}, not in the environment "
        f"({sys.prefix}); reinstall it there: python3 course.py --reinstall test"
    )
