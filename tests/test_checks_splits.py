"""The ch12 checks ``holdout_split`` and ``kfold_split`` (``autograder/checks/splits.py``),
beyond what test_check_families.py asks of every family: stubs say "not implemented yet",
odd return values are named, an endless generator is cut short, and a pass says that
properties, not numbers, were checked.

The learner-side classes live in ``tests/mistakes/splits.py``.
"""

from __future__ import annotations

import itertools

import numpy as np
import pytest
from mistakes import splits as learners

from autograder.checks import REGISTRY
from autograder.checks import splits as module
from autograder.checks.base import ERROR, FAIL

pytestmark = pytest.mark.ch12


def run(name, learner, seed=0):
    return REGISTRY[name].run(learner, seed)


class HoldOutStub(learners.HoldOut):
    def split(self, X, y):
        raise NotImplementedError()


class KFoldStub(learners.KFold):
    def split(self, n_samples):
        raise NotImplementedError()


class HoldOutTwoValues(learners.HoldOut):
    def split(self, X, y):
        X_train, X_val, y_train, y_val = super().split(X, y)
        return (X_train, y_train), (X_val, y_val)


class HoldOutInPlaceShuffle(learners.HoldOut):
    def split(self, X, y):
        order = self.rng.permutation(len(X))
        X[:], y[:] = X[order], y[order]
        n_val = round(self.validation_fraction * len(X))
        return X[n_val:].copy(), X[:n_val].copy(), y[n_val:].copy(), y[:n_val].copy()


class HoldOutNewRows(learners.HoldOut):
    def split(self, X, y):
        X_train, X_val, y_train, y_val = super().split(X, y)
        return X_train, X_val + 1.0, y_train, y_val


class KFoldEndless(learners.KFold):
    def split(self, n_samples):
        for fold in itertools.cycle(np.array_split(self.rng.permutation(n_samples), self.k)):
            yield np.setdiff1d(np.arange(n_samples), fold), fold


class KFoldMasks(learners.KFold):
    def split(self, n_samples):
        for _, val in super().split(n_samples):
            mask = np.zeros(n_samples, dtype=bool)
            mask[val] = True
            yield ~mask, mask


class KFoldFloats(learners.KFold):
    def split(self, n_samples):
        return [(t.astype(float), v.astype(float)) for t, v in super().split(n_samples)]


class KFoldNone(learners.KFold):
    def split(self, n_samples):
        return None


class KFoldUnpaired(learners.KFold):
    def split(self, n_samples):
        return [v for _, v in super().split(n_samples)]


def test_stubs_are_reported_as_not_implemented():
    for name, stub in (("holdout_split", HoldOutStub), ("kfold_split", KFoldStub)):
        result = run(name, stub)
        assert result.status == ERROR
        assert result.message.startswith("not implemented yet") and "split" in result.message


def test_a_pass_says_properties_were_checked():
    result = run("kfold_split", learners.KFold)
    assert result.passed and "every property asked for" in result.message


def test_two_pairs_instead_of_four_arrays_is_named():
    result = run("holdout_split", HoldOutTwoValues)
    assert result.status == FAIL and "a tuple of 2 values; expected four" in result.message


def test_shuffling_the_callers_arrays_in_place_fails():
    result = run("holdout_split", HoldOutInPlaceShuffle)
    assert result.status == FAIL and "was changed by your code" in result.message


def test_rows_that_are_not_rows_of_x_fail():
    result = run("holdout_split", HoldOutNewRows)
    assert result.status == FAIL and "not rows of X" in result.message


def test_an_endless_generator_is_cut_short_and_fails_on_the_count():
    result = run("kfold_split", KFoldEndless)
    assert result.status == FAIL and f"returned {module.MAX_FOLDS} pairs" in result.message


@pytest.mark.parametrize(
    ("learner", "words"),
    [
        (KFoldMasks, "dtype bool"),
        (KFoldFloats, "dtype float64"),
        (KFoldNone, "returned None"),
        (KFoldUnpaired, "expected a pair"),
    ],
)
def test_folds_of_the_wrong_kind_are_named(learner, words):
    result = run("kfold_split", learner)
    assert result.status == FAIL and words in result.message, result.message


def test_the_check_data_arrive_grouped_by_class_as_spiral_data_does():
    spec = module.build_holdout(5)
    assert np.all(np.diff(spec["y"].astype(int)) >= 0) and len(np.unique(spec["y"])) >= 3
    assert len({tuple(row) for row in spec["X"]}) == spec["n"]  # every row can be told apart


def test_kfold_sizes_never_divide_evenly_and_seeds_differ():
    for seed in range(30):
        spec = module.build_kfold(seed)
        assert spec["n"] % spec["k"] >= 2
        assert spec["seeds"]["main"] == spec["seeds"]["again"] != spec["seeds"]["other"]
