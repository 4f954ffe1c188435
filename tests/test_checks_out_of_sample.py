"""The ch11 ``evaluate`` check (``autograder/checks/out_of_sample.py``), beyond what
test_check_families.py asks of every family: a stub says "not implemented yet", what comes
back other than a pair is named, the probe hands over a network in mid-training, and the
hidden seeds change the sizes.

The learner-side classes live in ``tests/mistakes/out_of_sample.py``.
"""

from __future__ import annotations

import numpy as np
import pytest
from mistakes import out_of_sample as learners

from autograder.checks import REGISTRY
from autograder.checks import out_of_sample as module
from autograder.checks.base import ERROR, FAIL

pytestmark = pytest.mark.ch11


def run(learner, seed=0):
    return REGISTRY["evaluate"].run(learner, seed)


class Stub(learners.Evaluator):
    def evaluate(self, X, y):
        raise NotImplementedError()


class ReturnsNothing(learners.Evaluator):
    def evaluate(self, X, y):
        super().evaluate(X, y)


class ReturnsAccuracyOnly(learners.Evaluator):
    def evaluate(self, X, y):
        return super().evaluate(X, y)[1]


class ReturnsPercent(learners.Evaluator):
    def evaluate(self, X, y):
        loss, accuracy = super().evaluate(X, y)
        return loss, 100 * accuracy


class ShufflesX(learners.Evaluator):
    def evaluate(self, X, y):
        result = super().evaluate(X, y)
        X[:] = X[::-1]
        return result


def test_a_stub_is_reported_as_not_implemented():
    result = run(Stub)
    assert result.status == ERROR
    assert result.message.startswith("not implemented yet") and "evaluate" in result.message


def test_returning_nothing_says_so():
    result = run(ReturnsNothing)
    assert result.status == FAIL and "is None" in result.message


def test_returning_one_number_says_a_pair_is_expected():
    result = run(ReturnsAccuracyOnly)
    assert result.status == FAIL
    assert "not a pair" in result.message and "a float64" in result.message


def test_an_accuracy_in_percent_fails_with_both_values():
    result = run(ReturnsPercent)
    assert (
        result.status == FAIL and "the accuracy" in result.message and "expected" in result.message
    )


def test_changing_the_given_x_is_reported_as_a_change_in_place():
    result = run(ShufflesX)
    assert result.status == FAIL and "the X array passed to evaluate was changed" in result.message


def test_the_network_arrives_in_mid_training():
    """Gradients and Adam's state are set, so a backward pass or a step inside evaluate shows."""
    case = module.build_evaluation(4)["book"]
    layers, _ = module.network(case)
    for position in module.dense_positions(case):
        for attribute in module.ATTRIBUTES:
            value = getattr(layers[position], attribute)
            assert np.all(np.isfinite(value)) and np.any(value != 0), attribute


def test_the_chapters_labels_come_sparse_and_one_hot_and_the_deep_case_has_five_layers():
    spec = module.build_evaluation(2)
    assert spec["book"]["y"].ndim == 1 and spec["onehot"]["y"].ndim == 2
    assert len(module.network(spec["deep"])[0]) == 5


def test_hidden_seeds_give_other_sizes():
    sizes = {module.build_evaluation(seed)["book"]["X"].shape for seed in range(20)}
    assert len(sizes) > 1


def test_broadcast_shapes_reads_numpys_message():
    try:
        np.zeros((4, 3)) == np.zeros(4)  # noqa: B015
    except ValueError as error:
        record = {"message": str(error)}
    assert module.broadcast_shapes(record)[:2] == [(4, 3), (4,)]
    assert module.broadcast_shapes({"message": "something else"}) == []
