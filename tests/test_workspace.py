"""The learner's workspace (autograder.workspace): what is copied, updated or kept.

nbgrader's generation of released notebooks is replaced here by a stand-in that copies the
sources, so that these tests are about the rules; tests/test_project.py runs the real thing
through ``course.py``.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import nbformat
import pytest

from autograder.workspace import chapters, content_hash, release_notebooks, sync_workspace

pytestmark = pytest.mark.project


def write_notebook(path: Path, *sources: str) -> None:
    """Cells with stable ids (``c0``, ``c1``...), as nbgrader keeps them from release to
    release; a source starting with ``#`` is a markdown heading cell."""
    path.parent.mkdir(parents=True, exist_ok=True)
    cells = [
        (nbformat.v4.new_markdown_cell if source.startswith("#") else nbformat.v4.new_code_cell)(
            source, id=f"c{index}"
        )
        for index, source in enumerate(sources)
    ]
    nbformat.write(nbformat.v4.new_notebook(cells=cells), path)


class FakeRelease:
    """Copies each chapter as its 'release' and counts how often it was asked to."""

    def __init__(self, fail: set[str] = frozenset()):
        self.calls = 0
        self.fail = fail

    def __call__(self, source: Path, target: Path):
        self.calls += 1
        failed = []
        for folder in chapters(source):
            if folder.name in self.fail:
                failed.append((folder.name, "broken metadata"))
                continue
            shutil.copytree(folder, target / folder.name)
        return failed


@pytest.fixture
def source(tmp_path) -> Path:
    root = tmp_path / "notebooks"
    write_notebook(root / "ch09" / "a.ipynb", "x = 1")
    write_notebook(root / "ch10" / "b.ipynb", "y = 2")
    write_notebook(root / "_build" / "scratch.ipynb", "z = 3")
    return root


def test_first_sync_copies_every_chapter_and_nothing_else(source, tmp_path):
    workspace = tmp_path / "ws"
    report = sync_workspace(source, workspace, generate=FakeRelease())
    assert sorted(report.copied) == ["ch09/a.ipynb", "ch10/b.ipynb"]
    assert not (workspace / "_build").exists()
    assert report.lines()[0] == "2 new, 0 updated, 0 kept as they were"


def test_nbgrader_releases_the_notebooks_without_their_paired_sources(tmp_path):
    """A chapter folder holds each notebook's jupytext source (solutions and hidden tests in
    it) next to the notebook; the learner's release must not."""
    source = tmp_path / "notebooks"
    write_notebook(source / "ch09" / "a.ipynb", "x = 1")
    (source / "ch09" / "a.py").write_text("# %%\nx = 1  # the solution\n", encoding="utf-8")
    target = tmp_path / "released"
    assert release_notebooks(source, target) == []
    assert sorted(p.name for p in (target / "ch09").iterdir()) == ["a.ipynb"]


def test_release_is_generated_again_only_when_the_sources_change(source, tmp_path):
    workspace, release = tmp_path / "ws", FakeRelease()
    sync_workspace(source, workspace, generate=release)
    sync_workspace(source, workspace, generate=release)
    assert release.calls == 1
    write_notebook(source / "ch09" / "a.ipynb", "x = 10")
    sync_workspace(source, workspace, generate=release)
    assert release.calls == 2


def test_running_or_saving_a_notebook_is_not_a_change(source, tmp_path):
    workspace = tmp_path / "ws"
    sync_workspace(source, workspace, generate=FakeRelease())
    path = workspace / "ch09" / "a.ipynb"
    notebook = json.loads(path.read_text())
    notebook["cells"][0]["outputs"] = [{"output_type": "stream", "name": "stdout", "text": "1"}]
    notebook["cells"][0]["execution_count"] = 7
    notebook["metadata"]["kernelspec"] = {"name": "python3"}
    path.write_text(json.dumps(notebook, indent=4))
    assert content_hash(path) == content_hash(source / "ch09" / "a.ipynb")

    write_notebook(source / "ch09" / "a.ipynb", "x = 10")
    report = sync_workspace(source, workspace, generate=FakeRelease())
    assert report.updated == ["ch09/a.ipynb"]
    assert "x = 10" in path.read_text()


def test_a_changed_notebook_is_kept_and_each_new_version_goes_beside_it(source, tmp_path):
    workspace = tmp_path / "ws"
    sync_workspace(source, workspace, generate=FakeRelease())
    mine = workspace / "ch09" / "a.ipynb"
    write_notebook(mine, "x = 1", "my own work")

    for version in ("x = 10", "x = 100"):
        write_notebook(source / "ch09" / "a.ipynb", version)
        report = sync_workspace(source, workspace, generate=FakeRelease())
        assert "my own work" in mine.read_text()
        ((kept, beside, changes),) = report.kept
        assert kept == "ch09/a.ipynb" and beside.startswith("ch09/a.release-")
        assert version in (workspace / beside).read_text()
        assert changes == '1 cell changed; in "the opening"'
        assert any("has your own changes" in line and beside in line for line in report.lines())
    assert len(list((workspace / "ch09").glob("a.release-*.ipynb"))) == 2


def test_a_changed_notebook_gets_nothing_beside_it_while_the_course_stays_the_same(
    source, tmp_path
):
    workspace = tmp_path / "ws"
    sync_workspace(source, workspace, generate=FakeRelease())
    mine = workspace / "ch09" / "a.ipynb"
    write_notebook(mine, "x = 1", "my own work")
    for _ in range(3):
        report = sync_workspace(source, workspace, generate=FakeRelease())
        assert report.kept == [] and report.copied == [] and report.updated == []
        assert report.lines() == ["0 new, 0 updated, 2 kept as they were"]
    assert sorted(p.name for p in (workspace / "ch09").iterdir()) == ["a.ipynb"]
    assert "my own work" in mine.read_text()


def test_the_message_says_which_cells_and_sections_the_course_changed(source, tmp_path):
    workspace = tmp_path / "ws"
    write_notebook(source / "ch09" / "a.ipynb", "# 9.1 Dense", "x = 1", "# 9.2 ReLU", "y = 2")
    sync_workspace(source, workspace, generate=FakeRelease())
    write_notebook(workspace / "ch09" / "a.ipynb", "# 9.1 Dense", "x = 1", "# 9.2 ReLU", "mine")
    write_notebook(
        source / "ch09" / "a.ipynb", "# 9.1 Dense", "x = 1", "# 9.2 ReLU", "y = 3", "z = 4"
    )
    report = sync_workspace(source, workspace, generate=FakeRelease())
    ((_, beside, changes),) = report.kept
    assert changes == '1 cell changed, 1 cell added; in "9.2 ReLU"'
    line = report.lines()[1]
    assert line.startswith("the course changed ch09/a.ipynb (1 cell changed, 1 cell added;")
    assert beside in line


def test_a_notebook_the_learner_reverted_to_a_release_can_be_updated(source, tmp_path):
    workspace = tmp_path / "ws"
    sync_workspace(source, workspace, generate=FakeRelease())
    write_notebook(source / "ch09" / "a.ipynb", "x = 10")
    sync_workspace(source, workspace, generate=FakeRelease())  # version 2 arrives
    write_notebook(workspace / "ch09" / "a.ipynb", "x = 1")  # the learner goes back to 1
    write_notebook(source / "ch09" / "a.ipynb", "x = 100")
    report = sync_workspace(source, workspace, generate=FakeRelease())
    assert report.updated == ["ch09/a.ipynb"]


def test_a_chapter_that_cannot_be_released_is_reported_and_never_copied(source, tmp_path):
    workspace = tmp_path / "ws"
    report = sync_workspace(source, workspace, generate=FakeRelease(fail={"ch10"}))
    assert report.copied == ["ch09/a.ipynb"]
    assert not (workspace / "ch10").exists()
    assert "could not prepare ch10: broken metadata" in report.lines()
    # It is tried again next time, even though the sources did not change.
    release = FakeRelease()
    report = sync_workspace(source, workspace, generate=release)
    assert release.calls == 1 and report.copied == ["ch10/b.ipynb"]
