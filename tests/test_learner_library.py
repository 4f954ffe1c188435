"""The learner's own library (autograder.library): what passes in a workspace carries forward.

* exported from a notebook: the last definition of each passing class, untested helpers of
  its cell with it, nothing that fails; exported again when a chapter is run again;
* the course's own solutions of chapters 2 to 17, exported as a learner's library, carry
  chapters 18 to 22 (each exported in turn by the progress run's code) to the reference's
  numbers: the same losses and accuracies, line for line;
* a catalogued mistake in chapter 9's Layer_Dense keeps it out of the library; chapter 10 then
  says it uses the reference for it, uses the learner's other chapter 9 classes, and runs to
  the end;
* grading ignores a library, even one the submission writes beside itself in the sandbox.

Cost (measured on the shared 2-core machine): the unit tests about 15 s together; the carry
test runs chapters 18 to 22 twice in fresh kernels, 292 s at a load of 8 (one run of each of
those notebooks took 2 to 11 s at lower loads, so perhaps 1.5 minutes on a quiet machine: an
estimate, not measured); the mistake and grading tests 35 s together
at a load of 5 (chapters 9 and 10 once, three small notebooks, one real sandbox run).
"""

from __future__ import annotations

import json
import os
import re
import shutil
import sys
from pathlib import Path

import nbformat
import numpy as np
import pytest
from mistakes import pilots
from nbclient import NotebookClient
from nbformat.v4 import new_code_cell, new_notebook

from autograder import library
from autograder.checks import REGISTRY
from autograder.progress import pieces_of, run_chapter
from autograder.solutions import chapter_notebook, solutions
from autograder.workspace import STATE_DIR

CHAPTERS = [f"ch{n:02d}" for n in range(2, 23)]


def _workspace(folder: Path, chapters=CHAPTERS) -> Path:
    """A course workspace holding the source notebooks (a learner who solved everything)."""
    (folder / STATE_DIR).mkdir(parents=True)
    for chapter in chapters:
        source = chapter_notebook(chapter)
        (folder / chapter).mkdir()
        shutil.copy(source, folder / chapter / source.name)
    return folder


def _notebook(workspace: Path, chapter: str) -> Path:
    return next((workspace / chapter).glob("*.ipynb"))


def _export_by_checks(workspace: Path, chapter: str) -> list[str]:
    """Export a chapter's solutions, each class judged by its own checks (as its test cells
    would judge it), without running the notebook."""
    path = _notebook(workspace, chapter)
    notebook = json.loads(path.read_text(encoding="utf-8"))
    classes = solutions(chapter)
    passed = {}
    for name, definition in library.definitions(notebook).items():
        for grade_id, check in definition.tests:
            passed[grade_id] = REGISTRY[check].run(getattr(classes, name), seed=0).passed
    return library.export_chapter(workspace, path, notebook, passed)


def _run(path: Path, env: dict | None = None) -> nbformat.NotebookNode:
    """Run a notebook top to bottom in a fresh kernel in its folder; any error fails."""
    notebook = nbformat.read(path, as_version=4)
    client = NotebookClient(
        notebook,
        timeout=300,
        kernel_name="python3",
        resources={"metadata": {"path": str(path.parent)}},
    )
    client.execute(**({} if env is None else {"env": env}))
    return notebook


def _printed(notebook) -> list[str]:
    return [
        line
        for cell in notebook.cells
        if cell.cell_type == "code"
        for output in cell.get("outputs", [])
        if output.get("output_type") == "stream"
        for line in output["text"].splitlines()
    ]


def _numbers_that_matter(lines: list[str]) -> list[tuple[str, str]]:
    """Every loss and accuracy printed, as (what, value): what a learner compares. (A
    learner's Model may format other numbers, such as the learning rate, its own way.)"""
    pattern = r"\b(acc|accuracy|loss|data_loss|reg_loss)\b\D{0,30}?(\d+\.\d+)"
    return [found for line in lines for found in re.findall(pattern, line, re.I)]


# -- exporting ---------------------------------------------------------------------------------


def _cell(source: str, **nbgrader) -> dict:
    return {"cell_type": "code", "source": source, "metadata": {"nbgrader": nbgrader}}


GROWING = {
    "cells": [
        _cell("class Opt:\n    def step(self):\n        return 1\n", solution=True, grade_id="a"),
        _cell('check("first", Opt)', grade=True, grade_id="test_first"),
        _cell(
            "class Base:\n    pass\n\n\nclass Opt(Base):\n    def step(self):\n"
            "        ### BEGIN SOLUTION\n        return 2\n        ### END SOLUTION\n",
            solution=True,
            grade_id="b",
        ),
        _cell('check("second", Opt)', grade=True, grade_id="test_second"),
        _cell("class Half:\n    def f(self):\n", solution=True, grade_id="c"),  # unfinished
    ]
}


@pytest.mark.ch09
@pytest.mark.ch10
def test_chapters_exported_at_once_all_reach_the_manifest(tmp_path):
    """``course.py progress`` runs two chapters at once and each exports what passed: every
    chapter's entry must survive the other's write (one was lost, and the next progress run
    ran that chapter again)."""
    from concurrent.futures import ThreadPoolExecutor

    workspace = _workspace(tmp_path / "ws", chapters=[])
    chapters = [f"ch{number:02d}" for number in range(10, 22)]
    paths = []
    for chapter in chapters:
        (workspace / chapter).mkdir()
        path = workspace / chapter / f"{chapter}_x.ipynb"
        path.write_text(json.dumps(GROWING))
        paths.append(path)
    for _ in range(3):
        shutil.rmtree(workspace / library.LIBRARY_DIR, ignore_errors=True)
        with ThreadPoolExecutor(4) as pool:
            list(
                pool.map(
                    lambda path: library.export_chapter(
                        workspace, path, GROWING, {"test_second": True}
                    ),
                    paths,
                )
            )
        assert sorted(library.load_manifest(workspace)["chapters"]) == chapters


@pytest.mark.ch09
@pytest.mark.ch10
def test_the_last_definition_of_a_growing_class_is_the_one_exported(tmp_path):
    workspace = _workspace(tmp_path / "ws", chapters=[])
    (workspace / "ch10").mkdir()
    path = workspace / "ch10" / "ch10_x.ipynb"
    path.write_text(json.dumps(GROWING))
    defined = library.definitions(GROWING)
    assert set(defined) == {"Opt", "Base"}  # a cell that does not parse defines nothing
    assert defined["Opt"].tests == [("test_second", "second")]  # only tests after it count
    # The first version's test failing does not matter; the final one's does.
    names = library.export_chapter(
        workspace, path, GROWING, {"test_first": False, "test_second": True}
    )
    assert names == ["Base", "Opt"]  # the untested base goes with the class of its cell
    module = (workspace / library.LIBRARY_DIR / "ch10.py").read_text()
    assert "return 2" in module and "return 1" not in module
    assert "BEGIN SOLUTION" not in module
    manifest = library.load_manifest(workspace)["chapters"]["ch10"]
    assert manifest["components"]["Opt"] == {
        "cell": "b",
        "checks": ["second"],
        "on_reference": False,
    }
    assert manifest["notebook"] == "ch10/ch10_x.ipynb" and manifest["notebook_hash"]
    # Run again with the final version failing: it leaves the library, and so does its file.
    assert library.export_chapter(workspace, path, GROWING, {"test_second": False}) == []
    assert not (workspace / library.LIBRARY_DIR / "ch10.py").exists()
    assert library.load_manifest(workspace)["chapters"]["ch10"]["not_passing"] == ["Base", "Opt"]


@pytest.mark.ch09
@pytest.mark.ch10
def test_bad_names_and_chapters_are_refused_with_what_was_received():
    with pytest.raises(ValueError, match=r"received chapter='10'.*chapter='ch10'"):
        library.components("Layer_Dense", chapter="10")
    with pytest.raises(NameError, match=r"received the name 'Layer_Dens'"):
        library.components("Layer_Dens", chapter="ch10", quiet=True)
    with pytest.raises(TypeError, match="received no names"):
        library.components(chapter="ch10")


# -- the learner's classes carry the later chapters --------------------------------------------


@pytest.mark.slow
@pytest.mark.ch18
@pytest.mark.ch19
@pytest.mark.ch20
@pytest.mark.ch21
@pytest.mark.ch22
def test_solutions_of_chapters_2_to_17_carry_chapters_18_to_22_to_the_reference_numbers(
    tmp_path,
):
    workspace = _workspace(tmp_path / "ws")
    for chapter in CHAPTERS[: CHAPTERS.index("ch18")]:
        assert _export_by_checks(workspace, chapter), f"{chapter} exported nothing"
    reference_folder = tmp_path / "reference"  # not a workspace: everything is the reference
    for chapter in CHAPTERS[CHAPTERS.index("ch18") :]:
        path = _notebook(workspace, chapter)
        theirs = reference_folder / chapter / path.name
        theirs.parent.mkdir(parents=True)
        shutil.copy(path, theirs)

        mine = _run(path)
        pieces = pieces_of(mine, ran=True)
        assert all(piece.passed for piece in pieces), [p.why for p in pieces if not p.passed]
        # What the progress run does after each notebook: the chapter joins the library.
        assert library.export_from_run(workspace, path, mine, pieces)

        printed, expected = _printed(mine), _printed(_run(theirs))
        line = printed[0]
        assert "reference:" not in line, f"{chapter} did not use the learner's library: {line}"
        assert line.startswith("your ") and "reference:" in expected[0]
        assert _numbers_that_matter(printed) == _numbers_that_matter(expected), chapter
        assert _numbers_that_matter(printed) or chapter == "ch21"  # something was compared
    # The later chapters' classes were taken from the latest chapter that defines them.
    origins = library.Resolver(workspace, "ch23", reference=False)
    for name in ("Layer_Dense", "Model", "Accuracy_Categorical", "Optimizer_Adam"):
        origins.resolve(name)
    # (chapters 20 to 22 write their Model and ch21 its Layer_Dense on top of the reference)
    assert [origins.origins[n].chapter for n in ("Layer_Dense", "Model")] == ["ch14", "ch18"]
    assert origins.origins["Accuracy_Categorical"].chapter == "ch19"


def _mistaken_chapter_9(workspace: Path, mistake: str) -> None:
    path = _notebook(workspace, "ch09")
    notebook = nbformat.read(path, as_version=4)
    drop_in = pilots.BY_ID[mistake]
    for cell in notebook.cells:
        if cell.get("metadata", {}).get("nbgrader", {}).get("grade_id") == drop_in.cell:
            cell.source = drop_in.apply(cell.source)
    nbformat.write(notebook, path)


@pytest.mark.slow
@pytest.mark.ch09
@pytest.mark.ch10
def test_a_mistaken_component_stays_out_and_the_next_chapter_says_it_uses_the_reference(
    tmp_path,
):
    workspace = _workspace(tmp_path / "ws", chapters=["ch09", "ch10"])
    _mistaken_chapter_9(workspace, "dense_backward_averaged")

    chapter = run_chapter(_notebook(workspace, "ch09"), workspace)  # the progress run
    failed = {piece.check for piece in chapter.pieces if not piece.passed}
    assert failed == {"dense_backward"}
    assert "Layer_Dense" not in chapter.exported and "Activation_ReLU" in chapter.exported
    assert library.learner_components(workspace)["Activation_ReLU"] == ["ch09"]
    assert "Layer_Dense" not in library.learner_components(workspace)

    ran = _run(_notebook(workspace, "ch10"))  # an error anywhere would raise here
    assert _printed(ran)[0] == (
        "your Activation_ReLU (ch09), your Activation_Softmax_Loss_CategoricalCrossentropy "
        "(ch09); reference: Layer_Dense"
    )
    assert all(piece.passed for piece in pieces_of(ran, ran=True))


# -- grading ignores it ------------------------------------------------------------------------

RIGGED = """
class Layer_Dense:
    def __init__(self, n_inputs, n_neurons, rng=None):
        self.weights = np.full((n_inputs, n_neurons), 7.0)
        self.biases = np.zeros((1, n_neurons))

    def forward(self, inputs):
        self.output = inputs @ self.weights + self.biases
"""

#: A submission that writes a learner's library beside itself, then asks for its components.
SELF_MADE_LIBRARY = f"""
import json, pathlib
here = pathlib.Path.cwd()
(here / {STATE_DIR!r}).mkdir(exist_ok=True)
(here / "my_nnfs").mkdir(exist_ok=True)
(here / "my_nnfs" / "ch09.py").write_text({RIGGED!r})
manifest = {{"format": 1, "chapters": {{"ch09": {{
    "module": "ch09.py", "defines": ["Layer_Dense"],
    "components": {{"Layer_Dense": {{"cell": "x", "checks": ["dense_forward"]}}}}}}}}}}
(here / "my_nnfs" / "manifest.json").write_text(json.dumps(manifest))
"""

ASK = """
import numpy as np
from autograder.library import components
Layer_Dense = components("Layer_Dense", chapter="ch10")
layer = Layer_Dense(2, 3, rng=np.random.RandomState(0))
layer.forward(np.ones((1, 2)))
print(round(float(layer.output.sum()), 6))
"""


def _outputs(notebook) -> list[str]:
    return [line for line in _printed(notebook) if line]


@pytest.mark.slow
@pytest.mark.grading
@pytest.mark.ch10
@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="the sandbox is Linux's")
def test_grading_ignores_the_learners_library(tmp_path, monkeypatch):
    from autograder import sandbox

    notebook = new_notebook(cells=[new_code_cell(SELF_MADE_LIBRARY), new_code_cell(ASK)])
    folder = tmp_path / "submission"
    folder.mkdir()
    path = folder / "ch10_optimizers.ipynb"
    nbformat.write(notebook, path)

    # Outside grading the library it wrote is found and used: the test can tell.
    for variable in library.GRADING_VARIABLES:
        monkeypatch.delenv(variable, raising=False)
    learner = _outputs(_run(path))
    assert learner == ["your Layer_Dense (ch09)", "42.0"]

    # nbgrader's own runs (autograde, validate) get the reference.
    for variable, value in (("NBGRADER_EXECUTION", "autograde"), ("NBGRADER_VALIDATING", "1")):
        nbformat.write(notebook, path)
        graded = _outputs(_run(path, env={**os.environ, variable: value}))
        assert (
            graded[0]
            == "reference: Layer_Dense (grading: every earlier component is the reference)"
        )
        assert graded[1] != "42.0"

    # And the sandbox nnfs-grade autograde runs every submission in.
    if sandbox.missing_here():
        pytest.skip(f"no grading sandbox here: {sandbox.missing_here()}")
    result = sandbox.run_notebook(nbformat.writes(notebook), name=path.name)
    assert result.status == sandbox.OK, result.message
    printed = _outputs(nbformat.reads(result.notebook, as_version=4))
    assert printed[0].startswith("reference: Layer_Dense (grading")
    assert printed[1] == graded[1]


def _tiny_library(workspace: Path, source: str = RIGGED) -> None:
    """A chapter 9 whose Layer_Dense passed its (recorded) check."""
    notebook = {
        "cells": [
            _cell("import numpy as np\n" + source, solution=True, grade_id="ch09_layer_dense"),
            _cell('check("dense_forward", Layer_Dense)', grade=True, grade_id="test_dense_forward"),
        ]
    }
    (workspace / "ch09").mkdir()
    path = workspace / "ch09" / "ch09_backpropagation.ipynb"
    path.write_text(json.dumps(notebook))
    assert library.export_chapter(workspace, path, notebook, {"test_dense_forward": True}) == [
        "Layer_Dense"
    ]


@pytest.mark.ch09
@pytest.mark.ch10
def test_use_reference_switches_a_notebook_to_the_reference_and_back(tmp_path, monkeypatch, capsys):
    workspace = _workspace(tmp_path / "ws", chapters=[])
    _tiny_library(workspace)
    (workspace / "ch10").mkdir()
    monkeypatch.chdir(workspace / "ch10")
    for variable in library.GRADING_VARIABLES:
        monkeypatch.delenv(variable, raising=False)
    monkeypatch.setattr(library, "_REFERENCE_ONLY", False)

    mine = library.components("Layer_Dense", chapter="ch10")
    assert capsys.readouterr().out == "your Layer_Dense (ch09)\n"
    layer = mine(2, 3)
    layer.forward(np.ones((1, 2)))
    assert layer.output.sum() == 42.0  # the learner's own (rigged) code ran
    assert isinstance(layer, library._reference("Layer_Dense"))  # on top of the reference

    library.use_reference()
    theirs = library.components("Layer_Dense", chapter="ch10")
    assert theirs is library._reference("Layer_Dense")
    assert capsys.readouterr().out.endswith("reference: Layer_Dense (use_reference() is on)\n")
    library.use_reference(False)
    assert library.components("Layer_Dense", chapter="ch10", quiet=True) is mine
    # Chapter 9 itself, and chapters before it, never get chapter 9's class.
    assert library.components("Layer_Dense", chapter="ch09", quiet=True) is theirs


@pytest.mark.ch09
@pytest.mark.ch10
def test_the_line_says_when_the_library_is_older_than_the_notebook(tmp_path, monkeypatch, capsys):
    workspace = _workspace(tmp_path / "ws", chapters=[])
    _tiny_library(workspace)
    (workspace / "ch10").mkdir()
    monkeypatch.chdir(workspace / "ch10")
    for variable in library.GRADING_VARIABLES:
        monkeypatch.delenv(variable, raising=False)
    monkeypatch.setattr(library, "_REFERENCE_ONLY", False)
    path = workspace / "ch09" / "ch09_backpropagation.ipynb"
    notebook = json.loads(path.read_text())
    notebook["cells"][0]["source"] += "\n# changed after the last progress run\n"
    path.write_text(json.dumps(notebook))

    library.components("Layer_Dense", chapter="ch10")
    assert capsys.readouterr().out == (
        "your Layer_Dense (ch09) (ch09 changed or not checked since your library was updated: "
        "`python3 course.py progress` or the table of chapter 1 brings it up to date)\n"
    )
