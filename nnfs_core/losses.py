"""Losses: categorical and binary cross-entropy, MSE, MAE, and softmax + CCE combined.

``forward(y_pred, y_true)`` returns one loss per sample ``(n_samples,)``;
``calculate`` averages them (and can add the regularization penalty);
``backward(dvalues, y_true)`` sets ``dinputs`` with the same shape as the
predictions. Every gradient is divided by the number of samples, so its size
does not grow with the batch and one learning rate fits every batch size.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import numpy as np

from . import _validation as check
from .activations import Softmax
from .layers import l1_l2_penalty

#: Predicted probabilities are clipped to [CLIP, 1 - CLIP] before taking logs:
#: log(0) is -inf, and clipping both ends keeps the mean from being pulled
#: towards a side (clipping only the low end would favour confident mistakes).
CLIP = 1e-7


class Loss:
    """Averaging, accumulation over batches and the regularization penalty."""

    def __init__(self) -> None:
        self.trainable_layers: list[Any] = []
        self.new_pass()

    def __repr__(self) -> str:
        return f"{type(self).__name__}()"

    def config(self) -> dict[str, Any]:
        return {}

    def forward(self, y_pred: Any, y_true: Any) -> np.ndarray:  # pragma: no cover - abstract
        raise NotImplementedError

    def remember_trainable_layers(self, layers: Iterable[Any]) -> None:
        """The layers whose penalties ``regularization_loss()`` sums (set by the Model)."""
        self.trainable_layers = list(layers)

    def regularization_loss(self, layer: Any = None) -> float:
        """L1/L2 penalty of one ``layer`` or, without one, of all remembered layers."""
        layers = self.trainable_layers if layer is None else [layer]
        total = 0.0
        for each in layers:
            total += l1_l2_penalty(
                each.weights,
                getattr(each, "weight_regularizer_l1", 0.0),
                getattr(each, "weight_regularizer_l2", 0.0),
            )
            total += l1_l2_penalty(
                each.biases,
                getattr(each, "bias_regularizer_l1", 0.0),
                getattr(each, "bias_regularizer_l2", 0.0),
            )
        return total

    def calculate(
        self, output: Any, y: Any, *, include_regularization: bool = False
    ) -> float | tuple[float, float]:
        """Mean sample loss; with ``include_regularization``, ``(data_loss, reg_loss)``."""
        sample_losses = self.forward(output, y)
        self.accumulated_sum += float(sample_losses.sum())
        self.accumulated_count += len(sample_losses)
        data_loss = float(sample_losses.mean())
        if not include_regularization:
            return data_loss
        return data_loss, self.regularization_loss()

    def calculate_accumulated(
        self, *, include_regularization: bool = False
    ) -> float | tuple[float, float]:
        """Mean loss over every batch since :meth:`new_pass` (one epoch of mini-batches)."""
        if self.accumulated_count == 0:
            raise RuntimeError(
                f"{self!r}.calculate_accumulated: no batch was calculated since new_pass(); "
                f"call calculate(output, y) at least once first."
            )
        data_loss = self.accumulated_sum / self.accumulated_count
        if not include_regularization:
            return data_loss
        return data_loss, self.regularization_loss()

    def new_pass(self) -> None:
        """Start accumulating a fresh epoch (or evaluation) of batches."""
        self.accumulated_sum = 0.0
        self.accumulated_count = 0

    def _predictions(self, y_pred: Any, *, where: str) -> np.ndarray:
        return check.batch(y_pred, name="predictions", where=where)


def _one_hot(labels: np.ndarray, n_classes: int, dtype: Any) -> np.ndarray:
    if labels.ndim == 2:
        return labels.astype(dtype, copy=False)
    encoded = np.zeros((labels.shape[0], n_classes), dtype=dtype)
    encoded[np.arange(labels.shape[0]), labels] = 1
    return encoded


class CategoricalCrossentropy(Loss):
    """``-log(p_correct)`` per sample, for sparse ``(n,)`` or one-hot ``(n, k)`` labels."""

    def forward(self, y_pred: Any, y_true: Any) -> np.ndarray:
        where = check.At(self, "forward")
        y_pred = self._predictions(y_pred, where=where)
        n_samples, n_classes = y_pred.shape
        labels = check.class_labels(y_true, n_classes=n_classes, n_samples=n_samples, where=where)
        clipped = np.clip(y_pred, CLIP, 1 - CLIP)
        if labels.ndim == 1:
            correct = clipped[np.arange(n_samples), labels]
        else:
            correct = np.sum(clipped * labels, axis=1)
        return -np.log(correct)

    def backward(self, dvalues: Any, y_true: Any) -> np.ndarray:
        """``dinputs = -y_onehot / p / n_samples``, with ``p`` clipped as in forward.

        The clip keeps a predicted probability of exactly 0 from producing an
        infinite gradient; inside the clip range it changes nothing.
        """
        where = check.At(self, "backward")
        dvalues = self._predictions(dvalues, where=where)
        n_samples, n_classes = dvalues.shape
        labels = check.class_labels(y_true, n_classes=n_classes, n_samples=n_samples, where=where)
        targets = _one_hot(labels, n_classes, dvalues.dtype)
        self.dinputs = check.produced(-targets / np.clip(dvalues, CLIP, 1 - CLIP) / n_samples)
        return self.dinputs


class SoftmaxCategoricalCrossentropy:
    """Softmax followed by categorical cross-entropy, with the shortcut gradient.

    The product of the softmax Jacobian and the cross-entropy gradient
    simplifies to ``(softmax_output - y_onehot) / n_samples``: no Jacobians,
    no divisions by small probabilities, and much faster.
    """

    def __init__(self) -> None:
        self.activation = Softmax()
        self.loss = CategoricalCrossentropy()

    def __repr__(self) -> str:
        return "SoftmaxCategoricalCrossentropy()"

    def forward(self, inputs: Any, y_true: Any) -> float:
        """Softmax of ``inputs`` into ``output``; returns the mean cross-entropy."""
        self.output = self.activation.forward(inputs)
        return self.loss.calculate(self.output, y_true)

    def backward(self, dvalues: Any, y_true: Any) -> np.ndarray:
        """``dvalues`` are the softmax outputs ``(n_samples, n_classes)``."""
        where = check.At(self, "backward")
        dvalues = check.batch(dvalues, name="dvalues (the softmax outputs)", where=where)
        n_samples, n_classes = dvalues.shape
        labels = check.class_labels(y_true, n_classes=n_classes, n_samples=n_samples, where=where)
        if labels.ndim == 2:
            labels = np.argmax(labels, axis=1)
        dinputs = dvalues.copy()
        dinputs[np.arange(n_samples), labels] -= 1
        dinputs /= n_samples
        self.dinputs = check.produced(dinputs)
        return dinputs


class BinaryCrossentropy(Loss):
    """Mean over outputs of ``-(y log p + (1 - y) log(1 - p))``; targets shaped like ``p``."""

    def forward(self, y_pred: Any, y_true: Any) -> np.ndarray:
        where = check.At(self, "forward")
        y_pred = self._predictions(y_pred, where=where)
        targets = check.regression_targets(y_true, like=y_pred, where=where)
        clipped = np.clip(y_pred, CLIP, 1 - CLIP)
        per_output = -(targets * np.log(clipped) + (1 - targets) * np.log(1 - clipped))
        return np.mean(per_output, axis=-1)

    def backward(self, dvalues: Any, y_true: Any) -> np.ndarray:
        """Divided by the number of outputs (forward averages them) and of samples."""
        where = check.At(self, "backward")
        dvalues = self._predictions(dvalues, where=where)
        targets = check.regression_targets(y_true, like=dvalues, where=where)
        n_samples, n_outputs = dvalues.shape
        clipped = np.clip(dvalues, CLIP, 1 - CLIP)
        gradient = -(targets / clipped - (1 - targets) / (1 - clipped)) / n_outputs
        self.dinputs = check.produced(gradient / n_samples)
        return self.dinputs


class MeanSquaredError(Loss):
    """Mean over outputs of ``(y - p)²``; gradient ``-2 (y - p) / n_outputs / n_samples``."""

    def forward(self, y_pred: Any, y_true: Any) -> np.ndarray:
        where = check.At(self, "forward")
        y_pred = self._predictions(y_pred, where=where)
        targets = check.regression_targets(y_true, like=y_pred, where=where)
        return np.mean((targets - y_pred) ** 2, axis=-1)

    def backward(self, dvalues: Any, y_true: Any) -> np.ndarray:
        where = check.At(self, "backward")
        dvalues = self._predictions(dvalues, where=where)
        targets = check.regression_targets(y_true, like=dvalues, where=where)
        n_samples, n_outputs = dvalues.shape
        self.dinputs = check.produced(-2 * (targets - dvalues) / n_outputs / n_samples)
        return self.dinputs


class MeanAbsoluteError(Loss):
    """Mean over outputs of ``|y - p|``.

    Its derivative with respect to the prediction is ``sign(p - y)``: the
    loss grows when ``p`` moves away from ``y``. (Writing ``sign(y - p)`` is a
    classic slip that makes training run away from the targets.)
    """

    def forward(self, y_pred: Any, y_true: Any) -> np.ndarray:
        where = check.At(self, "forward")
        y_pred = self._predictions(y_pred, where=where)
        targets = check.regression_targets(y_true, like=y_pred, where=where)
        return np.mean(np.abs(targets - y_pred), axis=-1)

    def backward(self, dvalues: Any, y_true: Any) -> np.ndarray:
        where = check.At(self, "backward")
        dvalues = self._predictions(dvalues, where=where)
        targets = check.regression_targets(y_true, like=dvalues, where=where)
        n_samples, n_outputs = dvalues.shape
        self.dinputs = check.produced(np.sign(dvalues - targets) / n_outputs / n_samples)
        return self.dinputs
