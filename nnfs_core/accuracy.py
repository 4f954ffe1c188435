"""Accuracy: the fraction of predictions that count as right.

For classes "right" means equal to the label; for regression, where an exact
match never happens, it means within ``precision`` of the target (the book's
``std(y) / 250``). Both accumulate over batches like the losses do.
"""

from __future__ import annotations

from typing import Any

import numpy as np


class Accuracy:
    """Mean of ``compare(predictions, y)``, per batch and accumulated per epoch."""

    def __init__(self) -> None:
        self.new_pass()

    def init(self, y: Any, reinit: bool = False) -> None:
        """Prepare from the training targets (only regression needs this)."""

    def compare(self, predictions: np.ndarray, y: np.ndarray) -> np.ndarray:  # pragma: no cover
        raise NotImplementedError

    def calculate(self, predictions: Any, y: Any) -> float:
        comparisons = self.compare(np.asarray(predictions), np.asarray(y))
        self.accumulated_sum += float(np.sum(comparisons))
        self.accumulated_count += comparisons.size
        return float(np.mean(comparisons))

    def calculate_accumulated(self) -> float:
        if self.accumulated_count == 0:
            raise RuntimeError(
                f"{self!r}.calculate_accumulated: nothing was calculated since new_pass(); "
                f"call calculate(predictions, y) at least once first."
            )
        return self.accumulated_sum / self.accumulated_count

    def new_pass(self) -> None:
        self.accumulated_sum = 0.0
        self.accumulated_count = 0


class CategoricalAccuracy(Accuracy):
    """Class predictions equal to the labels; ``binary=True`` for 0/1 sigmoid outputs.

    Categorical labels may be sparse ``(n,)`` or one-hot ``(n, k)``; binary
    predictions and targets are ``(n, n_outputs)``, compared element-wise.
    """

    def __init__(self, *, binary: bool = False) -> None:
        super().__init__()
        self.binary = bool(binary)

    def __repr__(self) -> str:
        return f"CategoricalAccuracy(binary={self.binary})"

    def config(self) -> dict[str, Any]:
        return {"binary": self.binary}

    def compare(self, predictions: np.ndarray, y: np.ndarray) -> np.ndarray:
        if not self.binary and y.ndim == 2:
            y = np.argmax(y, axis=1)
        if predictions.shape != y.shape:
            hint = ""
            if self.binary and y.ndim == 1:
                hint = " Fix: reshape binary targets with y.reshape(-1, 1)."
            elif not self.binary and predictions.ndim == 2:
                hint = " Fix: for classes, pass np.argmax(outputs, axis=1) as predictions."
            raise ValueError(
                f"{self!r}: predictions of shape {predictions.shape} cannot be compared with "
                f"targets of shape {y.shape}; expected equal shapes.{hint}"
            )
        return predictions == y


class RegressionAccuracy(Accuracy):
    """Predictions within ``precision`` of the target; ``precision = std(y) / 250`` by default."""

    def __init__(self, precision: float | None = None) -> None:
        super().__init__()
        self.precision = precision

    def __repr__(self) -> str:
        return f"RegressionAccuracy(precision={self.precision!r})"

    def config(self) -> dict[str, Any]:
        return {"precision": self.precision}

    def init(self, y: Any, reinit: bool = False) -> None:
        """Set the precision from the training targets, once unless ``reinit``."""
        if self.precision is None or reinit:
            self.precision = float(np.std(np.asarray(y)) / 250)

    def compare(self, predictions: np.ndarray, y: np.ndarray) -> np.ndarray:
        if self.precision is None:
            raise RuntimeError(
                f"{self!r}: precision is not set. Call init(y_train) first (Model.train does "
                f"this for you), or pass RegressionAccuracy(precision=...)."
            )
        if predictions.shape != y.shape:
            raise ValueError(
                f"{self!r}: predictions of shape {predictions.shape} cannot be compared with "
                f"targets of shape {y.shape}; expected equal shapes. Fix: y.reshape(-1, 1)."
            )
        return np.absolute(predictions - y) < self.precision
