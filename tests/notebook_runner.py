"""Run chapter notebooks and drive the real nbgrader CLI, for tests/test_notebooks.py.

* :func:`chapter_notebooks` finds every ``notebooks/chNN/*.ipynb``;
* :func:`execute` runs a notebook in a fresh kernel of this interpreter, with the notebook's
  folder as working directory, and times it;
* :func:`release` makes a throwaway nbgrader course around one chapter folder and runs
  ``nbgrader generate_assignment`` on it; :func:`validate` runs ``nbgrader validate``;
* the remaining helpers read cells: nbgrader metadata, errors, printed text.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

import nbformat
from nbclient import NotebookClient
from traitlets.config import Config

from autograder.course_config import NBGRADER_IGNORE
from autograder.sandbox import ipc_transport  # Unix sockets: no race for TCP ports

REPO_ROOT = Path(__file__).resolve().parent.parent
NOTEBOOKS = REPO_ROOT / "notebooks"
BIN = Path(sys.executable).parent
CHAPTER_FOLDER = re.compile(r"^ch\d\d$")

#: The calls a test cell makes, as written by notebooks/README.md.
CHECK_CALL = re.compile(r'^check\("(?P<name>\w+)", (?P<learner>\w+)\)$')
SUBMIT_CALL = re.compile(r'^submit\("(?P<name>\w+)", (?P<learner>\w+), seed=(?P<seed>[\d_]+)\)$')


def chapter_notebooks() -> list[Path]:
    """Every chapter notebook, in chapter order (checkpoints are not chapters)."""
    return sorted(
        path for path in NOTEBOOKS.glob("ch*/*.ipynb") if CHAPTER_FOLDER.match(path.parent.name)
    )


def nbgrader_meta(cell) -> dict:
    return dict(cell.get("metadata", {}).get("nbgrader", {}))


def is_test_cell(cell) -> bool:
    return cell.cell_type == "code" and bool(nbgrader_meta(cell).get("grade"))


def is_solution_cell(cell) -> bool:
    return bool(nbgrader_meta(cell).get("solution"))


def graded_cells(notebook) -> list:
    return [cell for cell in notebook.cells if is_test_cell(cell)]


def check_name(cell) -> str:
    """The check a test cell runs visibly (its first line)."""
    match = CHECK_CALL.match(cell.source.splitlines()[0])
    if match is None:
        raise ValueError(f"test cell {nbgrader_meta(cell).get('grade_id')} has no check() line")
    return match["name"]


def errors(cell) -> list[dict]:
    """Outputs nbgrader counts as failure: an exception or anything written to stderr."""
    return [
        output
        for output in cell.get("outputs", [])
        if output.output_type == "error"
        or (output.output_type == "stream" and output.name == "stderr")
    ]


def describe(output) -> str:
    if output.output_type == "error":
        return f"{output.ename}: {output.evalue}"
    return f"stderr: {output.text.strip()[:500]}"


def printed(cell) -> str:
    return "".join(
        output.text
        for output in cell.get("outputs", [])
        if output.output_type == "stream" and output.name == "stdout"
    )


def shown(cell) -> str:
    """What the cell printed and displayed as plain text (a check's ✓ or ✗ block is a display)."""
    return "".join(
        output.text
        if output.output_type == "stream"
        else str(output.get("data", {}).get("text/plain", ""))
        for output in cell.get("outputs", [])
        if output.output_type == "display_data"
        or (output.output_type == "stream" and output.name == "stdout")
    )


def displayed(cell) -> list[str]:
    """The ``text/plain`` of every value the cell displayed as its result."""
    return [
        str(output.data.get("text/plain", ""))
        for output in cell.get("outputs", [])
        if output.output_type == "execute_result"
    ]


def kernel_environment() -> dict[str, str]:
    """The environment notebooks and nbgrader run with: learner mode, one BLAS thread, and this
    interpreter's scripts first on PATH (nbgrader starts ``alembic`` by name)."""
    env = dict(os.environ)
    env.pop("NNFS_GRADING", None)
    env["OPENBLAS_NUM_THREADS"] = "1"
    env["PATH"] = f"{BIN}{os.pathsep}{env.get('PATH', '')}"
    return env


@dataclass
class Run:
    notebook: nbformat.NotebookNode
    seconds: float


def execute(path: Path, *, allow_errors: bool = False, timeout: int = 120, ipython_dir=None) -> Run:
    """Run ``path`` top to bottom in a fresh ``python3`` kernel of this interpreter.

    ``timeout`` is per cell. With ``allow_errors`` every cell runs and errors stay in the
    outputs; without it the first error raises ``nbclient.exceptions.CellExecutionError``.
    ``ipython_dir`` isolates the kernel from the user's IPython profile and startup files.
    """
    notebook = nbformat.read(path, as_version=4)
    env = kernel_environment()
    if ipython_dir is not None:
        env["IPYTHONDIR"] = str(ipython_dir)
    with tempfile.TemporaryDirectory(prefix="nnfs-kernel-") as sockets:
        client = NotebookClient(
            notebook,
            config=Config({"KernelManager": ipc_transport(sockets)}),
            timeout=timeout,
            kernel_name="python3",
            allow_errors=allow_errors,
            resources={"metadata": {"path": str(path.parent)}},
        )
        start = time.perf_counter()
        client.execute(env=env)
        return Run(notebook, time.perf_counter() - start)


@dataclass
class Course:
    root: Path
    source: Path  # the copied source notebook inside the course
    released: Path  # what generate_assignment produced from it


NBGRADER_CONFIG = """\
c = get_config()  # noqa: F821 (nbgrader provides it)
c.CourseDirectory.root = {root!r}
c.CourseDirectory.course_id = "nnfs-test"
c.CourseDirectory.ignore = {ignore!r}
"""


def nbgrader(*args: str, cwd: Path, ipython_dir=None, timeout: int = 300):
    env = kernel_environment()
    if ipython_dir is not None:
        env["IPYTHONDIR"] = str(ipython_dir)
    return subprocess.run(
        [str(BIN / "nbgrader"), *args],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
    )


def release(notebook: Path, root: Path) -> Course:
    """A throwaway course in ``root`` whose source holds a copy of the notebook's chapter
    folder (paired ``.py`` included, as ``nnfs-grade`` copies it); ``nbgrader
    generate_assignment <chapter>`` writes the learner's version."""
    chapter = notebook.parent.name
    root.mkdir(parents=True, exist_ok=True)
    # What nnfs-grade's course configuration leaves out of a release: the paired .py sources.
    config = NBGRADER_CONFIG.format(root=str(root), ignore=list(NBGRADER_IGNORE))
    (root / "nbgrader_config.py").write_text(config)
    shutil.copytree(notebook.parent, root / "source" / chapter)
    result = nbgrader("generate_assignment", chapter, "--force", cwd=root)
    released = root / "release" / chapter / notebook.name
    if result.returncode != 0 or not released.exists():
        raise RuntimeError(
            f"nbgrader generate_assignment {chapter} failed ({result.returncode}):\n"
            f"{result.stdout[-3000:]}\n{result.stderr[-3000:]}"
        )
    return Course(root, root / "source" / chapter / notebook.name, released)


def validate(path: Path, *, ipython_dir=None) -> str:
    """``nbgrader validate path``, from the notebook's folder; returns everything it printed.

    (nbgrader exits 0 whether or not the notebook passes; the verdict is in the text.)
    """
    with tempfile.TemporaryDirectory(prefix="nnfs-kernel-") as sockets:
        settings = ipc_transport(sockets).items()
        kernel = [f"--KernelManager.{name}={value}" for name, value in settings]
        result = nbgrader("validate", path.name, *kernel, cwd=path.parent, ipython_dir=ipython_dir)
    return result.stdout + result.stderr
