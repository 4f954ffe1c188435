"""Scaling features into a fixed range (chapter 13): a min-max scaler fitted on training data.

The scaler learns each feature's (column's) minimum and maximum from the training data in
:meth:`MinMaxScaler.fit`, and :meth:`MinMaxScaler.transform` applies that same mapping to
any data afterwards: training, validation, test or a single new sample. Refitting on the
data being transformed would map the same raw value to different numbers in different
batches, which is why fitting and transforming are separate steps.

Decisions, documented because a learner's version must make the same ones:

* **Constant features.** A feature with the same value in every training sample has a range
  of 0. Its range is treated as 1 instead (no division by zero), so the training value maps
  to the lower end of ``feature_range`` and another value ``v`` maps as if the feature spanned
  ``data_min .. data_min + 1`` (scikit-learn's ``MinMaxScaler`` does the same).
* **Values outside the training range** are not clipped: a test value above the training
  maximum maps above the upper end. The network then sees that the value is new.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from . import _validation as check

__all__ = ["MinMaxScaler"]


class MinMaxScaler:
    """Map each feature linearly so that its training minimum and maximum hit ``feature_range``.

    ``transform(X) = low + (X - data_min) / data_range * (high - low)``, per feature, with
    ``data_range = data_max - data_min`` (1 where that is 0).

    Args:
        feature_range: ``(low, high)`` with ``low < high``: ``(0, 1)`` (the default) or
            ``(-1, 1)``, the two ranges the book uses.
    """

    def __init__(self, feature_range: tuple[float, float] = (0.0, 1.0)) -> None:
        where = "MinMaxScaler"
        try:
            low, high = feature_range
        except (TypeError, ValueError):
            raise TypeError(
                f"{where}: feature_range must be a pair (low, high); received "
                f"{check.describe(feature_range)}. Fix: pass e.g. feature_range=(-1, 1)."
            ) from None
        low = check._number(low, name="feature_range[0]", where=where)
        high = check._number(high, name="feature_range[1]", where=where)
        if not low < high:
            raise ValueError(
                f"{where}: feature_range must be (low, high) with low < high; received "
                f"{tuple(feature_range)!r}. Fix: pass e.g. feature_range=(0, 1)."
            )
        self.feature_range = (low, high)

    def __repr__(self) -> str:
        return f"MinMaxScaler(feature_range={self.feature_range})"

    def fit(self, X: Any) -> MinMaxScaler:
        """Remember each feature's minimum and maximum over the samples of ``X``.

        Args:
            X: training data of shape ``(n_samples, n_features)``; flatten images first
                (``images.reshape(len(images), -1)``).

        Returns:
            The scaler itself, so ``scaler.fit(X_train).transform(X_train)`` reads naturally.
            Sets ``data_min``, ``data_max`` and ``data_range``, each of shape ``(n_features,)``.
        """
        data = check.batch(X, name="X", where="MinMaxScaler.fit")
        if data.shape[0] == 0:
            raise ValueError(
                "MinMaxScaler.fit: X has no samples (shape "
                f"{data.shape}); expected at least one row to take minima and maxima from."
            )
        self.data_min = data.min(axis=0)
        self.data_max = data.max(axis=0)
        spread = self.data_max - self.data_min
        self.data_range = np.where(spread == 0, 1.0, spread)
        return self

    def transform(self, X: Any) -> np.ndarray:
        """Scale ``X`` with the minimum and maximum remembered by :meth:`fit`.

        Args:
            X: data of shape ``(n_samples, n_features)`` with the training data's features.

        Returns:
            A new float array of the same shape; ``X`` is left unchanged.
        """
        where = "MinMaxScaler.transform"
        if not hasattr(self, "data_min"):
            raise RuntimeError(
                f"{where}: this scaler has not been fitted. Fix: call scaler.fit(X_train) "
                f"first, on the training data only, then transform any data with it."
            )
        data = check.batch(X, name="X", where=where)
        n_features = self.data_min.shape[0]
        if data.shape[1] != n_features:
            raise ValueError(
                f"{where}: X has {data.shape[1]} features per sample (shape {data.shape}); this "
                f"scaler was fitted on data with {n_features}. Fix: transform data laid out like "
                f"the training data (the same columns, in the same order)."
            )
        low, high = self.feature_range
        return low + (data - self.data_min) / self.data_range * (high - low)

    def fit_transform(self, X: Any) -> np.ndarray:
        """``fit(X)`` then ``transform(X)``: for the training data only."""
        return self.fit(X).transform(X)
