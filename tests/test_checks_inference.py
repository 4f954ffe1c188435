"""``model_predict`` and ``confusion_matrix`` (``autograder/checks/inference.py``) beyond what
test_check_families.py asks of every family: the released stubs, a method never written, and
the cases really exposing the catalogued mistakes.

The learner-side code lives in ``tests/mistakes/inference.py``.
"""

from __future__ import annotations

import numpy as np
import pytest
from mistakes import inference

from autograder.checks import REGISTRY
from autograder.checks import inference as module
from autograder.checks.base import ERROR, FAIL

pytestmark = pytest.mark.ch22


def run(name, learner, seed=0):
    return REGISTRY[name].run(learner, seed)


def test_the_released_predict_stub_is_reported_as_not_implemented():
    result = run("model_predict", inference.Model_Stub)
    assert result.status == ERROR
    assert result.message.startswith("not implemented yet") and "predict" in result.message


def test_the_released_confusion_stub_is_reported_as_not_implemented():
    def confusion_matrix(y_true, y_pred, n_classes):
        raise NotImplementedError()

    result = run("confusion_matrix", confusion_matrix)
    assert result.status == ERROR
    assert result.message == (
        "not implemented yet: replace `raise NotImplementedError()` in confusion_matrix with "
        "your code."
    )


def test_a_subclass_that_inherits_the_reference_predict_earns_nothing():
    result = run("model_predict", type("Model", (inference.book.Model,), {}))
    assert result.status == ERROR and result.points == 0
    assert "does not define predict itself" in result.message


def test_the_released_class_stub_is_reported_as_not_implemented():
    result = run("confusion_matrix", inference.Confusion_Matrix_Stub)
    assert result.status == ERROR
    assert result.message.startswith("not implemented yet") and "calculate" in result.message


def test_a_class_without_calculate_is_told_so():
    class Confusion_Matrix:
        def __init__(self, n_classes):
            self.n_classes = n_classes

        def compute(self, y_true, y_pred):
            return np.zeros((self.n_classes, self.n_classes))

    result = run("confusion_matrix", Confusion_Matrix)
    assert result.status == ERROR and "has no method calculate" in result.message


def test_a_function_returning_nothing_is_explained():
    def confusion_matrix(y_true, y_pred, n_classes):
        counts = np.zeros((n_classes, n_classes))
        np.add.at(counts, (y_true, y_pred), 1)

    result = run("confusion_matrix", confusion_matrix)
    assert result.status == FAIL and "is None" in result.message


def test_a_class_whose_constructor_takes_other_arguments_fails_clearly():
    class Confusion:
        def __init__(self, y_true, y_pred):
            self.y_true = y_true

    result = run("confusion_matrix", Confusion)
    assert result.status == ERROR and "TypeError" in result.message
    assert "Confusion(4)" in result.message


@pytest.mark.parametrize("seed", range(20))
def test_the_confusion_cases_expose_transposes_and_missing_classes(seed):
    spec = module.build_confusion(seed)
    main = module.confusion_matrix(**spec["main"])
    assert not np.array_equal(main, main.T)
    assert np.all(np.diag(main) > 0)
    absent = spec["absent"]
    assert absent["y_true"].dtype == np.uint8
    assert set(np.unique(absent["y_true"])) == {0, 1, 2, 3}
    assert 4 in absent["y_pred"] and 5 not in absent["y_pred"]


def test_predicting_twice_gives_the_same_answer_only_without_dropout():
    ok = run("model_predict", inference.Model)
    noisy = run("model_predict", inference.Model_TrainingMode)
    assert ok.passed and not noisy.passed
