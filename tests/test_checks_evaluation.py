"""``model_evaluate`` (``autograder/checks/evaluation.py``) beyond what test_check_families.py
asks of every family: the released stub, a method never written, what is printed, odd return
values, and the probe's cases really exposing the catalogued mistakes.

The learner-side classes live in ``tests/mistakes/evaluation.py``.
"""

from __future__ import annotations

import numpy as np
import pytest
from mistakes import evaluation

from autograder.checks import REGISTRY
from autograder.checks import evaluation as module
from autograder.checks.base import ERROR, FAIL

pytestmark = pytest.mark.ch20


def run(learner, seed=0):
    return REGISTRY["model_evaluate"].run(learner, seed)


def test_the_released_stub_is_reported_as_not_implemented():
    result = run(evaluation.Model_Stub)
    assert result.status == ERROR
    assert result.message.startswith("not implemented yet")
    assert "evaluate" in result.message


def test_a_subclass_that_inherits_the_reference_evaluate_earns_nothing():
    result = run(evaluation.Model_Inherited)
    assert result.status == ERROR and result.points == 0
    assert "does not define evaluate itself" in result.message


def test_the_reference_class_itself_passes_for_immediate_feedback():
    # Grading refuses it by its module (autograder.nbgrader_plugins.reference_origin).
    assert run(evaluation.book.Model).passed


def test_what_evaluate_prints_does_not_reach_the_learner(capsys):
    assert run(evaluation.Model).passed
    assert "validation" not in capsys.readouterr().out


def test_returning_nothing_is_explained():
    class Model(evaluation.book.Model):
        def evaluate(self, X_val, y_val, *, batch_size=None):
            print("validation, acc: 0.5, loss: 1.0")

    result = run(Model)
    assert result.status == FAIL
    assert "is None" in result.message and "return" in result.message


def test_returning_one_number_is_explained():
    class Model(evaluation.book.Model):
        def evaluate(self, X_val, y_val, *, batch_size=None):
            return 1.0

    result = run(Model)
    assert result.status == FAIL
    assert "instead of the pair (loss, accuracy)" in result.message


def test_a_missing_batch_size_keyword_is_an_error_of_the_second_call():
    class Model(evaluation.book.Model):
        def evaluate(self, X_val, y_val):
            return super().evaluate(X_val, y_val, verbose=False)

    result = run(Model)
    assert result.status == ERROR
    assert "batch_size" in result.message


@pytest.mark.parametrize("seed", range(12))
def test_the_cases_separate_the_mistakes_from_the_right_answer(seed):
    spec = module.build_evaluation(seed)
    first_losses, _ = module.sample_results(spec, "first")
    weighted = first_losses.mean()
    means = np.mean([batch.mean() for batch in module._batched(first_losses, 8)])
    assert abs(means - weighted) > 1e-4
    assert abs(first_losses[-5:].mean() - weighted) > 1e-4
    other_losses, _ = module.sample_results(spec, "other")
    carried = (2 * first_losses.sum() + other_losses.sum()) / (2 * 21 + 10)
    assert abs(carried - other_losses.mean()) > 1e-4


def test_probing_leaves_the_global_random_state_alone():
    np.random.seed(2024)
    expected = np.random.random_sample(3)
    np.random.seed(2024)
    run(evaluation.Model_TrainingMode)
    np.testing.assert_array_equal(np.random.random_sample(3), expected)
