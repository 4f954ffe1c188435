"""The ch13 check ``minmax_scaler`` (``autograder/checks/scaling.py``), beyond what
test_check_families.py asks of every family: stubs say "not implemented yet", a transform
that stores instead of returning is named, the probe's data hold what the mistakes need.

The learner-side classes live in ``tests/mistakes/scaling.py``.
"""

from __future__ import annotations

import numpy as np
import pytest
from mistakes import scaling as learners

from autograder.checks import REGISTRY
from autograder.checks import scaling as module
from autograder.checks.base import ERROR, FAIL

pytestmark = pytest.mark.ch13


def run(learner, seed=0):
    return REGISTRY["minmax_scaler"].run(learner, seed)


class TransformStub(learners.MinMaxScaler):
    def transform(self, X):
        raise NotImplementedError()


class StoresOutput(learners.MinMaxScaler):
    def transform(self, X):
        self.output = super().transform(X)


class ShiftsInPlace(learners.MinMaxScaler):
    def transform(self, X):
        X -= self.min
        low, high = self.feature_range
        return low + X / self.range * (high - low)


def test_a_transform_stub_is_reported_as_not_implemented():
    result = run(TransformStub)
    assert result.status == ERROR
    assert result.message.startswith("not implemented yet") and "transform" in result.message


def test_a_transform_that_returns_nothing_is_told_to_return():
    result = run(StoresOutput)
    assert result.status == FAIL and "is None" in result.message


def test_subtracting_in_place_is_reported_as_a_change_of_the_input():
    result = run(ShiftsInPlace)
    assert result.status == FAIL and "was changed by your code" in result.message


def test_the_data_hold_a_constant_feature_and_test_values_beyond_the_training_range():
    for seed in range(10):
        for case in module.build_scaling(seed).values():
            train, test, constant = case["X_train"], case["X_test"], case["constant"]
            assert np.ptp(train[:, constant]) == 0
            assert np.all(test[:, constant] == train[0, constant])
            assert (test > train.max(axis=0)).any() and (test < train.min(axis=0)).any()
            assert len({len(train), len(test), train.shape[1]}) == 3  # wrong axes show


def test_the_expected_values_follow_the_documented_decisions():
    case = module.build_scaling(3)["symmetric"]
    out = module.reference_outputs(case)
    assert np.allclose(out["train_out"].min(axis=0), -1.0)
    assert np.allclose(out["train_out"][:, case["constant"]], -1.0)
    assert out["test_out"].max() > 1.0 and out["test_out"].min() < -1.0
