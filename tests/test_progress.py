"""``python3 course.py progress`` and chapter 1's progress cell: which graded pieces pass.

The integration tests build a real workspace (nbgrader releases chapters 1 to 3), put the
source version of chapter 2 in place of the learner's (as if they had finished it), and read
the table that the real command prints and that the chapter 1 cell displays.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest
from notebook_runner import NOTEBOOKS, REPO_ROOT, execute, kernel_environment

from autograder.progress import Chapter, Piece, pieces_of, table_text
from autograder.workspace import sync_workspace

pytestmark = [pytest.mark.project, pytest.mark.ch01]


def graded_cell(source: str, grade_id: str, points: float, outputs, count=1):
    cell = nbformat.v4.new_code_cell(source, execution_count=count, outputs=outputs)
    cell.metadata["nbgrader"] = {"grade": True, "grade_id": grade_id, "points": points}
    return cell


def test_a_piece_passes_only_when_its_test_cell_ran_without_an_error_output():
    error = nbformat.v4.new_output("error", ename="CheckFailed", evalue="✗ relu: wrong\nmore")
    stderr = nbformat.v4.new_output("stream", name="stderr", text="a warning")
    notebook = nbformat.v4.new_notebook(
        cells=[
            graded_cell('check("relu_forward", A)', "test_relu_forward", 1, []),
            graded_cell('check("relu_backward", A)', "test_relu_backward", 2, [error]),
            graded_cell('check("dense_forward", B)', "test_dense_forward", 1, [stderr]),
            graded_cell('check("dense_backward", B)', "test_dense_backward", 2, [], count=None),
        ]
    )
    pieces = pieces_of(notebook, ran=True)
    assert [p.check for p in pieces] == [
        "relu_forward", "relu_backward", "dense_forward", "dense_backward",
    ]  # fmt: skip
    assert [p.passed for p in pieces] == [True, False, False, False]
    assert pieces[1].why == "✗ relu: wrong"
    assert pieces[2].why.startswith("wrote to stderr")
    assert pieces[3].why.startswith("did not run")


def test_the_table_has_one_line_per_chapter_and_the_totals():
    done = Chapter("ch02", "ch02/a.ipynb", "Coding neurons", [Piece("t1", "neuron", 1, True)])
    half = Chapter(
        "ch03",
        "ch03/b.ipynb",
        "Adding layers",
        [Piece("t2", "layer_batch", 1, True), Piece("t3", "dense_init", 2, False, "✗")],
    )
    lines = table_text([done, half]).splitlines()
    assert len(lines) == 4
    assert lines[1].startswith("ch02 Coding neurons") and lines[1].endswith("✓")
    assert "1/2" in lines[2] and "1/3" in lines[2] and lines[2].endswith("dense_init")
    assert lines[3].startswith("total: 1 of 2 chapters complete") and "2/3" in lines[3]


@pytest.fixture(scope="module")
def workspace(tmp_path_factory) -> Path:
    """Chapters 1 to 3 released into a workspace; chapter 2 finished (its source version)."""
    source = tmp_path_factory.mktemp("source")
    for chapter in ("ch01", "ch02", "ch03"):
        shutil.copytree(NOTEBOOKS / chapter, source / chapter)
    root = tmp_path_factory.mktemp("learner") / "workspace"
    report = sync_workspace(source, root)
    assert not report.failed, report.failed
    for notebook in (NOTEBOOKS / "ch02").glob("*.ipynb"):
        shutil.copyfile(notebook, root / "ch02" / notebook.name)
    return root


def progress(workspace: Path, *args: str) -> subprocess.CompletedProcess:
    command = [sys.executable, "course.py", "progress", "--workspace", str(workspace), *args]
    return subprocess.run(
        command,
        cwd=REPO_ROOT,
        capture_output=True,
        text=True,
        timeout=600,
        env=kernel_environment(),
    )


@pytest.mark.slow
def test_course_py_progress_prints_each_chapter_and_runs_only_what_changed(workspace):
    first = progress(workspace)
    assert first.returncode == 0, first.stdout + first.stderr
    rows = {line[:4]: line for line in first.stdout.splitlines() if re.match(r"ch\d\d ", line)}
    assert sorted(rows) == ["ch01", "ch02", "ch03"]
    assert " 0/1 " in rows["ch01"] and "weighted_sum" in rows["ch01"]
    assert " 2/2 " in rows["ch02"] and rows["ch02"].rstrip().endswith("✓")
    assert " 0/3 " in rows["ch03"] and "layer_batch" in rows["ch03"]
    total, library = first.stdout.splitlines()[-2:]
    assert total.startswith("total: 1 of 3 chapters complete") and " 2/6 " in total
    # What passed joined the learner's library (autograder.library), and the table says so.
    assert library.startswith("your library (my_nnfs/, 2 components")
    assert library.endswith("Layer (ch02), Neuron (ch02)")
    assert (workspace / "my_nnfs" / "ch02.py").is_file()
    assert "3/3" in first.stderr  # the progress bar counted three notebooks

    again = progress(workspace)
    assert again.returncode == 0
    assert again.stdout.splitlines()[3:] == first.stdout.splitlines()[3:]
    assert "ran 0, 3 unchanged since the last run" in again.stdout  # nothing ran again
    assert "ran 3, 0 unchanged" in first.stdout


@pytest.mark.slow
def test_chapter_1_progress_cell_shows_the_table_in_the_workspace(workspace, ipython_dir):
    run = execute(workspace / "ch01" / "ch01_welcome.ipynb", ipython_dir=ipython_dir, timeout=600)
    (cell,) = [c for c in run.notebook.cells if "progress import show" in c.source]
    html = "".join(o.get("data", {}).get("text/html", "") for o in cell.outputs)
    assert 'class="nnfs-progress"' in html and "total: 1 of 3 chapters complete" in html


def test_outside_a_workspace_the_command_says_how_to_get_one(tmp_path):
    result = progress(tmp_path)
    assert result.returncode == 2
    assert "is not a course workspace" in result.stderr and "course.py lab" in result.stderr
