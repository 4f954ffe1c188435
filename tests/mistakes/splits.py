"""Learner-side code for ``autograder/checks/splits.py`` (ch12's ``holdout_split`` and
``kfold_split``).

Correct splitters written several ways (validation taken from the front or the back of the
permutation, ``rng.shuffle`` instead of ``rng.permutation``, folds returned as a list or
yielded, the reference itself), then one wrong splitter per catalogued mistake, each carrying
``mistake`` (the catalogue id the judge must name) and ``check``.
"""

from __future__ import annotations

import inspect
import sys

import numpy as np

import nnfs_core


class HoldOut:
    def __init__(self, validation_fraction=0.2, rng=None):
        self.validation_fraction = validation_fraction
        self.rng = np.random.default_rng() if rng is None else rng

    def split(self, X, y):
        n_val = round(self.validation_fraction * len(X))
        order = self.rng.permutation(len(X))
        val, train = order[:n_val], order[n_val:]
        return X[train], X[val], y[train], y[val]


class HoldOutFromTheBack(HoldOut):
    """Shuffles an index array in place, keeps the last n_val for validation, int() rounding."""

    def split(self, X, y):
        indices = np.arange(len(X))
        self.rng.shuffle(indices)
        n_train = len(X) - int(len(X) * self.validation_fraction)
        X_shuffled, y_shuffled = X[indices], y[indices]
        return (
            X_shuffled[:n_train],
            X_shuffled[n_train:],
            y_shuffled[:n_train],
            y_shuffled[n_train:],
        )


class KFold:
    def __init__(self, k=5, rng=None):
        self.k = k
        self.rng = np.random.default_rng() if rng is None else rng

    def split(self, n_samples):
        folds = np.array_split(self.rng.permutation(n_samples), self.k)
        return [(np.concatenate(folds[:i] + folds[i + 1 :]), folds[i]) for i in range(self.k)]


class KFoldYielding(KFold):
    """Sizes worked out by hand, folds yielded one at a time, training indices sorted."""

    def split(self, n_samples):
        order = self.rng.permutation(n_samples)
        start = 0
        for i in range(self.k):
            size = n_samples // self.k + (1 if i < n_samples % self.k else 0)
            validation = order[start : start + size]
            start += size
            mask = np.ones(n_samples, dtype=bool)
            mask[validation] = False
            yield np.flatnonzero(mask), validation


# =============================================================================================
# Wrong, one per catalogued mistake
# =============================================================================================


class HoldOutWrongSide(HoldOut):
    mistake, check = "holdout_fraction_wrong_side", "holdout_split"

    def split(self, X, y):
        n_train = round(self.validation_fraction * len(X))
        order = self.rng.permutation(len(X))
        train, val = order[:n_train], order[n_train:]
        return X[train], X[val], y[train], y[val]


class HoldOutPairsBroken(HoldOut):
    mistake, check = "holdout_pairs_broken", "holdout_split"

    def split(self, X, y):
        n_val = round(self.validation_fraction * len(X))
        X = X[self.rng.permutation(len(X))]
        y = y[self.rng.permutation(len(y))]
        return X[n_val:], X[:n_val], y[n_val:], y[:n_val]


class HoldOutValidationInTraining(HoldOut):
    mistake, check = "holdout_validation_in_training", "holdout_split"

    def split(self, X, y):
        n_val = round(self.validation_fraction * len(X))
        order = self.rng.permutation(len(X))
        X, y = X[order], y[order]
        return X, X[:n_val], y, y[:n_val]


class HoldOutNotShuffled(HoldOut):
    mistake, check = "holdout_not_shuffled", "holdout_split"

    def split(self, X, y):
        n_train = len(X) - round(self.validation_fraction * len(X))
        return X[:n_train], X[n_train:], y[:n_train], y[n_train:]


class HoldOutFractionOfNothing(HoldOut):
    """Forgets len(X): validation gets round(fraction) samples, i.e. none."""

    mistake, check = "holdout_validation_size", "holdout_split"

    def split(self, X, y):
        n_val = round(self.validation_fraction)
        order = self.rng.permutation(len(X))
        val, train = order[:n_val], order[n_val:]
        return X[train], X[val], y[train], y[val]


class HoldOutEverythingForValidation(HoldOut):
    """Forgets the fraction: every sample goes to validation. Not a shuffling mistake, though
    the validation side is then one block of rows (tests/test_check_advice.py)."""

    mistake, check = "holdout_validation_size", "holdout_split"

    def split(self, X, y):
        n_val = len(X)
        order = self.rng.permutation(len(X))
        val, train = order[:n_val], order[n_val:]
        return X[train], X[val], y[train], y[val]


class HoldOutGlobalGenerator(HoldOut):
    mistake, check = "split_ignores_rng", "holdout_split"

    def split(self, X, y):
        n_val = round(self.validation_fraction * len(X))
        order = np.random.permutation(len(X))
        return X[order[n_val:]], X[order[:n_val]], y[order[n_val:]], y[order[:n_val]]


class KFoldOneFoldShort(KFold):
    """range(self.k - 1): the last fold is never returned."""

    mistake, check = "kfold_fold_count", "kfold_split"

    def split(self, n_samples):
        folds = np.array_split(self.rng.permutation(n_samples), self.k)
        return [(np.concatenate(folds[:i] + folds[i + 1 :]), folds[i]) for i in range(self.k - 1)]


class KFoldOverlapping(KFold):
    mistake, check = "kfold_folds_overlap", "kfold_split"

    def split(self, n_samples):
        size = n_samples // self.k
        pairs = []
        for _ in range(self.k):
            validation = self.rng.choice(n_samples, size=size, replace=False)
            pairs.append((np.setdiff1d(np.arange(n_samples), validation), validation))
        return pairs


class KFoldDropsRemainder(KFold):
    mistake, check = "kfold_sample_never_validated", "kfold_split"

    def split(self, n_samples):
        order = self.rng.permutation(n_samples)
        size = n_samples // self.k
        pairs = []
        for i in range(self.k):
            validation = order[i * size : (i + 1) * size]
            pairs.append((np.setdiff1d(np.arange(n_samples), validation), validation))
        return pairs


class KFoldRemainderLast(KFold):
    mistake, check = "kfold_remainder_in_last_fold", "kfold_split"

    def split(self, n_samples):
        order = self.rng.permutation(n_samples)
        size = n_samples // self.k
        pairs = []
        for i in range(self.k):
            end = (i + 1) * size if i < self.k - 1 else n_samples
            validation = order[i * size : end]
            pairs.append((np.setdiff1d(order, validation), validation))
        return pairs


class KFoldTrainsOnEverything(KFold):
    mistake, check = "kfold_validation_in_training", "kfold_split"

    def split(self, n_samples):
        folds = np.array_split(self.rng.permutation(n_samples), self.k)
        return [(np.arange(n_samples), fold) for fold in folds]


class KFoldNotShuffled(KFold):
    mistake, check = "kfold_not_shuffled", "kfold_split"

    def split(self, n_samples):
        folds = np.array_split(np.arange(n_samples), self.k)
        return [(np.setdiff1d(np.arange(n_samples), fold), fold) for fold in folds]


class KFoldOwnSeed(KFold):
    mistake, check = "split_ignores_rng", "kfold_split"

    def split(self, n_samples):
        folds = np.array_split(np.random.default_rng(0).permutation(n_samples), self.k)
        return [(np.setdiff1d(np.arange(n_samples), fold), fold) for fold in folds]


# =============================================================================================


def _collect() -> list[tuple[str, str, type]]:
    found = []
    for _, value in inspect.getmembers(sys.modules[__name__], inspect.isclass):
        if value.__module__ == __name__ and isinstance(getattr(value, "mistake", None), str):
            found.append((value.mistake, value.check, value))
    return sorted(found, key=lambda item: (item[1], item[0], item[2].__name__))


CHECKS: dict[str, tuple[str, tuple[type, ...]]] = {
    "holdout_split": ("ch12", (HoldOut, HoldOutFromTheBack, nnfs_core.HoldOut)),
    "kfold_split": ("ch12", (KFold, KFoldYielding, nnfs_core.KFold)),
}

#: (mistake id, check name, wrong class), sorted by check.
WRONG = _collect()
