"""Solution cells that are near-copies of the reference source are flagged, not penalised.

The course's own solutions (every chapter) stay below the threshold; the reference's source
pasted into a solution cell, with or without its docstrings and comments, is flagged, and the
flag reaches the autograded notebook's record that the export reads.
"""

from __future__ import annotations

import ast
import inspect
import json
import re

import nbformat
import pytest
from notebook_runner import chapter_notebooks

import nnfs_core.layers
from autograder import near_copy
from autograder.nbgrader_plugins import METADATA_KEY, JudgeProbes

pytestmark = pytest.mark.grading


def solution_cell(source: str, grade_id: str = "ch09_layer_dense"):
    cell = nbformat.v4.new_code_cell(source)
    cell.metadata["nbgrader"] = {"solution": True, "grade": False, "grade_id": grade_id}
    return cell


@pytest.mark.parametrize("path", chapter_notebooks(), ids=lambda p: p.parent.name)
def test_the_courses_own_solutions_are_not_flagged(path):
    cells = json.loads(path.read_text())["cells"]
    assert near_copy.near_copies(cells) == []


def test_the_pasted_reference_is_flagged_with_or_without_its_comments():
    pasted = inspect.getsource(nnfs_core.layers.Dense).replace("class Dense", "class Layer_Dense")
    stripped = re.sub(r'"""(.|\n)*?"""', "", pasted)
    stripped = "\n".join(line.split("#")[0] for line in stripped.splitlines())
    for source in (pasted, stripped):
        ast.parse(source)
        (flag,) = near_copy.near_copies([solution_cell(source)])
        assert flag["reference"] == "nnfs_core.layers.Dense" and flag["name"] == "Layer_Dense"
        assert flag["similarity"] >= near_copy.THRESHOLD


def test_the_flag_reaches_the_autograded_record():
    pasted = inspect.getsource(nnfs_core.layers.Dense).replace("class Dense", "class Layer_Dense")
    notebook = nbformat.v4.new_notebook(cells=[solution_cell(pasted)])
    judged, _ = JudgeProbes().preprocess(notebook, {METADATA_KEY: {"status": "ok"}})
    (flag,) = judged.metadata[METADATA_KEY]["near_copies"]
    assert flag["cell"] == "ch09_layer_dense"
