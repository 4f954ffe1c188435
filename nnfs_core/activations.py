"""Activation functions, each with its backward pass and ``predictions(outputs)``.

All work on batches ``(n_samples, n_values)`` and return arrays of the same
shape. ``predictions`` turns the output layer's activations into what the
accuracy compares with the targets: class indices, 0/1 flags, or raw values.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from . import _validation as check
from .layers import _upstream_gradient


class _Activation:
    """Shared plumbing: validated forward input, validated backward gradient."""

    def __repr__(self) -> str:
        return f"{type(self).__name__}()"

    def _inputs(self, inputs: Any) -> np.ndarray:
        return check.batch(inputs, name="inputs", where=check.At(self, "forward"))

    def _dvalues(self, dvalues: Any) -> np.ndarray:
        return _upstream_gradient(self, dvalues, where=check.At(self, "backward"))

    def config(self) -> dict[str, Any]:
        return {}


class ReLU(_Activation):
    """``max(0, x)``; the gradient passes where the *input* was positive."""

    def forward(self, inputs: Any, training: bool = False) -> np.ndarray:
        self.inputs = self._inputs(inputs)
        self.output = check.produced(np.maximum(0, self.inputs))
        return self.output

    def backward(self, dvalues: Any) -> np.ndarray:
        dinputs = self._dvalues(dvalues).copy()  # a copy: the caller's array stays intact
        dinputs[self.inputs <= 0] = 0
        self.dinputs = check.produced(dinputs)
        return dinputs

    def predictions(self, outputs: np.ndarray) -> np.ndarray:
        return outputs


class Softmax(_Activation):
    """Row-wise ``exp(x) / Σ exp(x)``, computed as ``exp(x - max(x))``.

    Subtracting the row maximum changes nothing mathematically (softmax ignores
    a constant shift) but keeps every exponent <= 0, so ``exp`` cannot overflow.
    """

    def forward(self, inputs: Any, training: bool = False) -> np.ndarray:
        self.inputs = self._inputs(inputs)
        exponentials = np.exp(self.inputs - self.inputs.max(axis=1, keepdims=True))
        self.output = check.produced(exponentials / exponentials.sum(axis=1, keepdims=True))
        return self.output

    def backward(self, dvalues: Any) -> np.ndarray:
        """The Jacobian ``diag(s) - s sᵀ`` applied to each row, without forming it.

        ``(diag(s) - s sᵀ) d = s * d - s (s · d)``, so one element-wise product
        and one row sum replace the book's per-sample loop of n×n matrices.
        """
        dvalues = self._dvalues(dvalues)
        s = self.output
        self.dinputs = check.produced(s * (dvalues - (s * dvalues).sum(axis=1, keepdims=True)))
        return self.dinputs

    def predictions(self, outputs: np.ndarray) -> np.ndarray:
        return np.argmax(outputs, axis=1)


class Sigmoid(_Activation):
    """``1 / (1 + exp(-x))``, element-wise; derivative ``s (1 - s)``."""

    def forward(self, inputs: Any, training: bool = False) -> np.ndarray:
        self.inputs = self._inputs(inputs)
        # exp(-|x|) never overflows; the two branches are the same function.
        decay = np.exp(-np.abs(self.inputs))
        self.output = check.produced(
            np.where(self.inputs >= 0, 1 / (1 + decay), decay / (1 + decay))
        )
        return self.output

    def backward(self, dvalues: Any) -> np.ndarray:
        dvalues = self._dvalues(dvalues)
        self.dinputs = check.produced(dvalues * (1 - self.output) * self.output)
        return self.dinputs

    def predictions(self, outputs: np.ndarray) -> np.ndarray:
        return (outputs > 0.5) * 1


class Linear(_Activation):
    """The identity, for regression outputs; its gradient passes unchanged."""

    def forward(self, inputs: Any, training: bool = False) -> np.ndarray:
        self.inputs = self._inputs(inputs)
        self.output = check.produced(self.inputs.copy())
        return self.output

    def backward(self, dvalues: Any) -> np.ndarray:
        self.dinputs = check.produced(self._dvalues(dvalues).copy())
        return self.dinputs

    def predictions(self, outputs: np.ndarray) -> np.ndarray:
        return outputs
