"""Splitting data for validation (chapter 12): a hold-out split and k-fold cross-validation.

Both shuffle before they cut, because the course's datasets arrive grouped by class
(``spiral_data`` returns every sample of class 0 first): cutting unshuffled data gives a
validation set of one class. Both draw only with ``permutation`` on the ``rng`` they were
given, so the same seed gives the same split (see :mod:`nnfs_core._random`).

* :class:`HoldOut` keeps ``round(validation_fraction * n)`` shuffled samples aside and
  returns the two sides in the order of :func:`nnfs_core.datasets.train_test_split`.
* :class:`KFold` deals ``n`` shuffled indices into ``k`` folds whose sizes differ by at most
  one; each fold is the validation set once, the other ``k - 1`` folds its training set.
"""

from __future__ import annotations

import operator
from typing import Any

import numpy as np

from ._random import RandomLike, resolve_rng
from .datasets import train_test_split

__all__ = ["HoldOut", "KFold"]


class HoldOut:
    """A shuffled hold-out split: a training side and a validation side.

    Args:
        validation_fraction: share of the samples kept for validation, strictly between 0 and
            1. The validation side gets ``round(validation_fraction * n)`` samples, at least
            one and at most ``n - 1``.
        rng: a ``np.random.Generator``, a ``np.random.RandomState``, an int seed or ``None``
            (NumPy's global generator). Each :meth:`split` draws one ``permutation(n)`` from it.
    """

    def __init__(self, validation_fraction: float = 0.2, rng: RandomLike = None) -> None:
        if isinstance(validation_fraction, (bool, np.bool_)) or not isinstance(
            validation_fraction, (int, float, np.integer, np.floating)
        ):
            raise TypeError(
                f"HoldOut: validation_fraction must be a float strictly between 0 and 1; "
                f"received {type(validation_fraction).__name__} {validation_fraction!r}. "
                f"Fix: pass e.g. HoldOut(validation_fraction=0.2)."
            )
        if not 0.0 < float(validation_fraction) < 1.0:
            raise ValueError(
                f"HoldOut: validation_fraction must be strictly between 0 and 1; received "
                f"{validation_fraction!r}. It is the share kept for validation, e.g. 0.2 for 20%."
            )
        self.validation_fraction = float(validation_fraction)
        self.rng = resolve_rng(rng)

    def __repr__(self) -> str:
        return f"HoldOut(validation_fraction={self.validation_fraction})"

    def split(self, X: Any, y: Any) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
        """Shuffle the samples, pairs kept together, and cut off the validation share.

        Args:
            X: samples along the first axis, shape ``(n, ...)``.
            y: targets along the first axis, shape ``(n, ...)``.

        Returns:
            ``X_train, X_val, y_train, y_val``: rows of ``X`` and ``y`` (new arrays; the
            inputs are not changed), every sample on exactly one side.
        """
        return train_test_split(X, y, test_fraction=self.validation_fraction, rng=self.rng)


class KFold:
    """k-fold cross-validation indices: every sample is validated exactly once.

    Args:
        k: number of folds, at least 2.
        rng: as in :class:`HoldOut`; each :meth:`split` draws one ``permutation(n_samples)``.
    """

    def __init__(self, k: int = 5, rng: RandomLike = None) -> None:
        if isinstance(k, (bool, np.bool_)):
            raise TypeError(f"KFold: k must be a whole number of folds; received the bool {k!r}.")
        try:
            folds = operator.index(k)
        except TypeError:
            raise TypeError(
                f"KFold: k must be a whole number of folds; received {type(k).__name__} {k!r}. "
                f"Fix: pass e.g. KFold(k=5)."
            ) from None
        if folds < 2:
            raise ValueError(
                f"KFold: k must be at least 2 (one fold to validate on, one to train on); "
                f"received {folds}. Fix: pass e.g. KFold(k=5)."
            )
        self.k = folds
        self.rng = resolve_rng(rng)

    def __repr__(self) -> str:
        return f"KFold(k={self.k})"

    def split(self, n_samples: int) -> list[tuple[np.ndarray, np.ndarray]]:
        """The ``k`` pairs ``(train_indices, validation_indices)`` for ``n_samples`` samples.

        Returns:
            A list of ``k`` pairs of 1-D integer arrays. The validation arrays are disjoint,
            together they hold every index ``0 .. n_samples - 1`` once, and their lengths
            differ by at most one (the first ``n_samples % k`` folds have one more). Each
            training array holds the indices of the other folds.
        """
        if isinstance(n_samples, (bool, np.bool_)):
            raise TypeError(
                f"KFold.split: n_samples must be a whole number; received the bool {n_samples!r}."
            )
        try:
            n = operator.index(n_samples)
        except TypeError:
            raise TypeError(
                f"KFold.split: n_samples must be a whole number (e.g. len(X)); received "
                f"{type(n_samples).__name__} {n_samples!r}."
            ) from None
        if n < self.k:
            raise ValueError(
                f"KFold.split: {self.k} folds need at least {self.k} samples, one per fold; "
                f"received n_samples={n}. Fix: use fewer folds or more data."
            )
        order = self.rng.permutation(n)
        folds = np.array_split(order, self.k)
        pairs = []
        for i, validation in enumerate(folds):
            train = np.concatenate([fold for j, fold in enumerate(folds) if j != i])
            pairs.append((train, validation))
        return pairs
