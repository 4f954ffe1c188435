"""The data side of a mini-batch epoch (chapter 19): shuffle, count the steps, cut the batches.

The book writes these steps inline in its training code; chapter 19's notebook gathers them in
a small class, and this is its reference. ``Model.train(batch_size=...)`` cuts its batches the
same way (consecutive slices, the last one shorter).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import numpy as np

from . import _validation as check
from ._random import RandomLike, resolve_rng


class Batcher:
    """Shuffles a dataset and walks it in batches of ``batch_size`` samples.

    ``batch_size=None`` means no mini-batches: one step per epoch on the whole set.
    """

    def __init__(self, batch_size: int | None = None) -> None:
        if batch_size is not None:
            batch_size = check.positive_int(batch_size, name="batch_size", where="Batcher(...)")
        self.batch_size = batch_size

    def __repr__(self) -> str:
        return f"Batcher(batch_size={self.batch_size!r})"

    def shuffle(self, X: Any, y: Any, rng: RandomLike = None) -> tuple[np.ndarray, np.ndarray]:
        """``(X[keys], y[keys])`` for one permutation ``keys = rng.permutation(n)``.

        Args:
            X: samples along the first axis, shape ``(n, ...)``.
            y: targets along the first axis, shape ``(n, ...)``, the same ``n``.
            rng: as elsewhere in nnfs_core (a Generator, a RandomState, an int seed, or
                ``None`` for NumPy's global generator); one ``permutation`` draw.

        Returns:
            New arrays of the same shapes; ``X`` and ``y`` themselves are left unchanged, and
            every sample keeps its own target.
        """
        X, y = self._pair(X, y, where="Batcher.shuffle")
        keys = resolve_rng(rng).permutation(len(X))
        return X[keys], y[keys]

    def steps(self, n_samples: int) -> int:
        """Batches in one epoch of ``n_samples``: rounded up, so a partial last batch counts."""
        n_samples = check.positive_int(n_samples, name="n_samples", where="Batcher.steps")
        if self.batch_size is None:
            return 1
        return -(-n_samples // self.batch_size)

    def batches(self, X: Any, y: Any) -> Iterator[tuple[np.ndarray, np.ndarray]]:
        """``(batch_X, batch_y)`` slices covering ``X`` ``(n, ...)`` and ``y`` ``(n, ...)``.

        In order, every batch of ``batch_size`` samples except perhaps the last; with
        ``batch_size=None`` the whole ``(X, y)`` comes once.
        """
        X, y = self._pair(X, y, where="Batcher.batches")
        if self.batch_size is None:
            yield X, y
            return
        for step in range(self.steps(len(X))):
            start = step * self.batch_size
            yield X[start : start + self.batch_size], y[start : start + self.batch_size]

    @staticmethod
    def _pair(X: Any, y: Any, *, where: str) -> tuple[np.ndarray, np.ndarray]:
        X, y = np.asarray(X), np.asarray(y)
        if X.ndim == 0 or y.ndim == 0 or len(X) != len(y) or len(X) == 0:
            raise ValueError(
                f"{where}: expected X and y with the same number of samples (first axis), at "
                f"least one; received X of shape {X.shape} and y of shape {y.shape}. Fix: pass "
                f"the targets that belong to X."
            )
        return X, y
