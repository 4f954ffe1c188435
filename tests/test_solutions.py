"""autograder.solutions: the chapter notebooks' solution cells, run as the notebook runs them."""

from __future__ import annotations

import inspect
import linecache

import numpy as np
import pytest

from autograder.solutions import chapter_notebook, solutions


@pytest.mark.ch09
def test_a_chapter_gives_the_classes_its_solution_cells_define():
    ch09 = solutions("ch09")
    layer = ch09.Layer_Dense(2, 3, rng=np.random.RandomState(0))
    layer.forward(np.ones((4, 2)))
    assert layer.output.shape == (4, 3)
    # To the checks these are a learner's classes, not the reference's.
    assert ch09.Layer_Dense.__module__ == "notebooks.ch09"
    assert solutions("ch09") is ch09  # cached: every caller gets the same classes


@pytest.mark.ch10
def test_a_class_that_grows_is_the_last_version_unless_an_earlier_cell_is_named():
    last = solutions("ch10").Optimizer_SGD
    first = solutions("ch10", until="ch10_sgd").Optimizer_SGD
    assert "momentum" in inspect.getsource(last.update_params)
    assert "momentum" not in inspect.getsource(first.update_params)
    with pytest.raises(ValueError, match="no solution cell 'ch10_nothing'"):
        solutions("ch10", until="ch10_nothing")


@pytest.mark.ch09
def test_tracebacks_show_the_notebooks_lines():
    code = solutions("ch09").Activation_ReLU.backward.__code__
    assert str(chapter_notebook("ch09")) in code.co_filename
    line = linecache.getline(code.co_filename, code.co_firstlineno)
    assert line.strip() == "def backward(self, dvalues):"


def test_a_chapter_without_notebook_is_named(tmp_path):
    with pytest.raises(FileNotFoundError, match="expected one notebook"):
        solutions("ch99", notebooks=tmp_path)
