"""The grading kernel's nnfs_core lacks the components the notebook grades, and nothing else.

* which reference pieces a notebook's test cells withhold (whole classes, or a few methods
  where a chapter grades only those), and what the withheld copy of the package looks like;
* in a real sandbox: subclassing or calling a withheld class raises ``ReferenceWithheld`` with
  a sentence saying why, and earlier chapters' components still work;
* every chapter's own solutions, graded in the sandbox with its graded components withheld,
  earn every point: nothing the checks need in the kernel was taken away.
"""

from __future__ import annotations

import importlib.util
import json
import struct
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_notebook
from nbgrader import utils
from notebook_runner import chapter_notebooks

from autograder import sandbox, withholding
from autograder.nbgrader_plugins import grade_cell

pytestmark = [
    pytest.mark.grading,
    pytest.mark.skipif(not sys.platform.startswith("linux"), reason="the sandbox is Linux's"),
]

LIMITS = sandbox.Limits(cell_timeout=120, total_timeout=600)


def test_targets_are_the_graded_classes_or_methods():
    assert withholding.targets([("dense_forward", "Layer_Dense"), ("adam", "Optimizer_Adam")]) == [
        "nnfs_core.layers.Dense",
        "nnfs_core.optimizers.Adam",
    ]
    assert withholding.targets([("model_evaluate", "Model")]) == ["nnfs_core.model.Model.evaluate"]
    assert withholding.targets([("kfold_split", "KFold"), ("weighted_sum", "WeightedSum")]) == [
        "nnfs_core.splits.KFold"
    ]
    cells = [{"source": 'check("relu_backward", Activation_ReLU)\nsubmit(...)'}]
    assert withholding.graded_checks(cells) == [("relu_backward", "Activation_ReLU")]


def test_the_withheld_copy_has_no_implementation_of_what_is_withheld(tmp_path):
    package = withholding.withheld_package(["nnfs_core.layers.Dense"], cache=tmp_path)
    layers = (package / "layers.py").read_text()
    assert "np.dot" not in layers.split("class Dropout")[0].split("class Dense")[1]
    assert "ReferenceWithheld" in layers
    assert (package / "activations.py").read_text() == (
        withholding._package_dir() / "activations.py"
    ).read_text()  # untouched


def test_the_withheld_copy_comes_byte_compiled(tmp_path):
    # Its kernel may not write bytecode into the read-only copy: without .pyc files beside
    # the sources, every sandbox compiled the whole package again.
    package = withholding.withheld_package(["nnfs_core.layers.Dense"], cache=tmp_path)
    sources = sorted(package.glob("**/*.py"))
    assert len(sources) > 10
    for source in sources:
        cached = Path(importlib.util.cache_from_source(str(source)))
        header = cached.read_bytes()[:16]
        assert header[:4] == importlib.util.MAGIC_NUMBER, source
        mtime, size = struct.unpack("<II", header[8:16])  # a timestamp-checked .pyc
        assert (mtime, size) == (int(source.stat().st_mtime), source.stat().st_size), source


@pytest.mark.slow
def test_in_the_sandbox_the_withheld_class_cannot_be_used_and_the_rest_can():
    code = (
        "import numpy as np\n"
        "from nnfs_core.book import Layer_Dense, Activation_ReLU\n"
        "class Mine(Layer_Dense):\n    pass\n"
        "try:\n    Mine(2, 3)\nexcept Exception as error:\n"
        "    print(type(error).__name__, '|', error)\n"
        "print(Activation_ReLU().forward(np.array([[-1.0, 2.0]])).tolist())\n"
        "import os, nnfs_core.layers\n"
        "print('bytecode found:', os.path.exists(nnfs_core.layers.__cached__))\n"
    )
    result = sandbox.run_notebook(
        json.dumps(new_notebook(cells=[new_code_cell(code)])),
        limits=LIMITS,
        withhold=["nnfs_core.layers.Dense"],
    )
    assert result.status == sandbox.OK, result.message
    printed = "".join(o.get("text", "") for o in json.loads(result.notebook)["cells"][0]["outputs"])
    assert printed.startswith("ReferenceWithheld | nnfs_core's Dense.__init__ is not available")
    assert "[[0.0, 2.0]]" in printed
    assert "bytecode found: True" in printed
    assert result.isolation["withheld"] == ["nnfs_core.layers.Dense"]


def _graded_in_sandbox(path):
    """The chapter's source notebook (solutions and hidden tests) run as autograding runs it,
    with its graded components withheld; the points of each test cell."""
    notebook = nbformat.read(path, as_version=4)
    graded = [c for c in notebook.cells if utils.is_grade(c)]
    names = withholding.targets(withholding.graded_checks(graded))
    result = sandbox.run_notebook(
        nbformat.writes(notebook), limits=LIMITS, withhold=names, name=path.name
    )
    executed = nbformat.reads(result.notebook, as_version=4) if result.notebook else notebook
    record = result.record()
    points = {}
    for index, cell in enumerate(executed.cells):
        if utils.is_grade(cell):
            cell.metadata.nbgrader["checksum"] = utils.compute_checksum(cell)
            verdict = grade_cell(cell, record, index)
            points[cell.metadata.nbgrader["grade_id"]] = (
                verdict["points"],
                verdict["max_points"],
                verdict["message"],
            )
    return result, names, points


@pytest.mark.slow
def test_every_chapters_solutions_earn_every_point_with_their_reference_withheld():
    paths = chapter_notebooks()
    with ThreadPoolExecutor(2) as pool:
        runs = dict(zip(paths, pool.map(_graded_in_sandbox, paths), strict=True))
    problems = []
    for path, (result, _names, points) in runs.items():
        if result.status != sandbox.OK:
            problems.append(f"{path.name}: {result.status} {result.message}")
        for grade_id, (earned, most, message) in points.items():
            if earned != most:
                problems.append(f"{path.name} {grade_id}: {earned}/{most} ({message[:300]})")
    assert not problems, "\n".join(problems)
    withheld = {path.parent.name: names for path, (_, names, _) in runs.items()}
    assert "nnfs_core.layers.Dense" in withheld["ch09"]
    assert "nnfs_core.optimizers.Adam" in withheld["ch10"]
