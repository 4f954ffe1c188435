"""Layers: Dense (with L1/L2 regularization), Dropout and the Model's Input.

Shapes follow the book: a batch is ``(n_samples, n_features)``; a dense layer
stores weights as ``(n_inputs, n_neurons)`` so the forward pass is
``inputs @ weights + biases`` without a transpose.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from . import _validation as check
from ._random import RandomLike, resolve_rng


class Dense:
    """A fully connected layer: ``output = inputs @ weights + biases``.

    Weights start as ``weight_scale * standard_normal((n_inputs, n_neurons))``
    (the book's 0.01; chapter 17 shows why regression wants 0.1) and biases at
    zero, ``(1, n_neurons)``. The four regularizer strengths add their penalty
    gradients in :meth:`backward`; the penalty values themselves are computed
    by the loss (``Loss.regularization_loss(layer)``), as in the book.
    """

    def __init__(
        self,
        n_inputs: int,
        n_neurons: int,
        weight_regularizer_l1: float = 0.0,
        weight_regularizer_l2: float = 0.0,
        bias_regularizer_l1: float = 0.0,
        bias_regularizer_l2: float = 0.0,
        *,
        rng: RandomLike = None,
        weight_scale: float = 0.01,
        dtype: Any = np.float64,
    ) -> None:
        where = "Dense(...)"
        self.n_inputs = check.positive_int(n_inputs, name="n_inputs", where=where)
        self.n_neurons = check.positive_int(n_neurons, name="n_neurons", where=where)
        self.weight_regularizer_l1 = check.non_negative_number(
            weight_regularizer_l1, name="weight_regularizer_l1", where=where
        )
        self.weight_regularizer_l2 = check.non_negative_number(
            weight_regularizer_l2, name="weight_regularizer_l2", where=where
        )
        self.bias_regularizer_l1 = check.non_negative_number(
            bias_regularizer_l1, name="bias_regularizer_l1", where=where
        )
        self.bias_regularizer_l2 = check.non_negative_number(
            bias_regularizer_l2, name="bias_regularizer_l2", where=where
        )
        self.weight_scale = check.positive_number(weight_scale, name="weight_scale", where=where)
        self.dtype = np.dtype(dtype)
        if not np.issubdtype(self.dtype, np.floating):
            raise TypeError(
                f"{where}: dtype must be a floating type such as np.float64 or np.float32; "
                f"received {self.dtype}."
            )
        generator = resolve_rng(rng)
        draws = generator.standard_normal((self.n_inputs, self.n_neurons))
        self.weights = (self.weight_scale * draws).astype(self.dtype)
        self.biases = np.zeros((1, self.n_neurons), dtype=self.dtype)

    def __repr__(self) -> str:
        extras = "".join(
            f", {name}={getattr(self, name)!r}"
            for name in (
                "weight_regularizer_l1",
                "weight_regularizer_l2",
                "bias_regularizer_l1",
                "bias_regularizer_l2",
            )
            if getattr(self, name)
        )
        return f"Dense({self.n_inputs}, {self.n_neurons}{extras})"

    def forward(self, inputs: Any, training: bool = False) -> np.ndarray:
        """``inputs`` ``(n_samples, n_inputs)`` → ``output`` ``(n_samples, n_neurons)``."""
        inputs = check.batch(
            inputs,
            name="inputs",
            where=check.At(self, "forward"),
            width=self.n_inputs,
            dtype=self.weights.dtype,
        )
        self.inputs = inputs
        self.output = check.produced(inputs @ self.weights + self.biases)
        return self.output

    def backward(self, dvalues: Any) -> np.ndarray:
        """``dvalues`` ``(n_samples, n_neurons)`` → ``dinputs`` ``(n_samples, n_inputs)``.

        Also sets ``dweights`` ``(n_inputs, n_neurons)`` and ``dbiases``
        ``(1, n_neurons)``, each with its regularization gradient added.
        """
        dvalues = _upstream_gradient(self, dvalues, where=check.At(self, "backward"))
        self.dweights = self.inputs.T @ dvalues
        self.dbiases = dvalues.sum(axis=0, keepdims=True)
        if self.weight_regularizer_l1 or self.weight_regularizer_l2:
            self.dweights += l1_l2_gradient(
                self.weights, self.weight_regularizer_l1, self.weight_regularizer_l2
            )
        if self.bias_regularizer_l1 or self.bias_regularizer_l2:
            self.dbiases += l1_l2_gradient(
                self.biases, self.bias_regularizer_l1, self.bias_regularizer_l2
            )
        self.dinputs = check.produced(dvalues @ self.weights.T)
        return self.dinputs

    def get_parameters(self) -> tuple[np.ndarray, np.ndarray]:
        """Copies of ``(weights, biases)``, so later training cannot change them."""
        return self.weights.copy(), self.biases.copy()

    def set_parameters(self, weights: Any, biases: Any) -> None:
        """Replace the parameters, refusing shapes the layer was not built for."""
        where = f"{self!r}.set_parameters"
        weights = check.as_float_array(weights, name="weights", where=where, dtype=self.dtype)
        biases = check.as_float_array(biases, name="biases", where=where, dtype=self.dtype)
        check.check_same_shape(
            weights, self.weights, name="weights", reference_name="this layer's weights",
            where=where,
        )  # fmt: skip
        check.check_same_shape(
            biases, self.biases, name="biases", reference_name="this layer's biases", where=where
        )
        check.check_finite(weights, name="weights", where=where)
        check.check_finite(biases, name="biases", where=where)
        self.weights = weights.copy()
        self.biases = biases.copy()

    def config(self) -> dict[str, Any]:
        """Constructor arguments, for saving a model without pickling objects."""
        return {
            "n_inputs": self.n_inputs,
            "n_neurons": self.n_neurons,
            "weight_regularizer_l1": self.weight_regularizer_l1,
            "weight_regularizer_l2": self.weight_regularizer_l2,
            "bias_regularizer_l1": self.bias_regularizer_l1,
            "bias_regularizer_l2": self.bias_regularizer_l2,
            "weight_scale": self.weight_scale,
            "dtype": self.dtype.name,
        }


def l1_l2_gradient(values: np.ndarray, l1: float, l2: float) -> np.ndarray | float:
    """Gradient of ``l1·Σ|v| + l2·Σv²`` with respect to ``v``.

    |v| has no derivative at 0; the book's convention, kept here, is +1 there
    (start from ones, set -1 where v < 0), so an exact zero still gets pushed.
    """
    gradient: np.ndarray | float = 0.0
    if l1 > 0:
        sign = np.ones_like(values)
        sign[values < 0] = -1
        gradient = l1 * sign
    if l2 > 0:
        gradient = gradient + 2 * l2 * values
    return gradient


def l1_l2_penalty(values: np.ndarray, l1: float, l2: float) -> float:
    """``l1·Σ|v| + l2·Σv²``, skipping the sums whose strength is 0."""
    penalty = 0.0
    if l1 > 0:
        penalty += l1 * float(np.sum(np.abs(values)))
    if l2 > 0:
        penalty += l2 * float(np.sum(values * values))
    return penalty


class Dropout:
    """Inverted dropout: zero a ``rate`` fraction of values while training.

    Kept values are divided by the keep rate ``1 - rate`` so the expected sum
    is unchanged; that is why nothing needs rescaling at inference, when the
    layer passes its inputs through untouched. Note that ``rate`` here is the
    fraction *dropped*, as passed to the constructor (the book stores the
    keep rate in its ``rate`` attribute; ours is ``keep_rate``).
    """

    def __init__(self, rate: float, *, rng: RandomLike = None) -> None:
        where = "Dropout(...)"
        self.rate = check.unit_interval(rate, name="rate", where=where, example="0.1")
        self.keep_rate = 1.0 - self.rate
        self.rng = resolve_rng(rng)
        self.binary_mask: np.ndarray | None = None

    def __repr__(self) -> str:
        return f"Dropout({self.rate!r})"

    def forward(self, inputs: Any, training: bool = False) -> np.ndarray:
        """Apply a fresh mask when ``training``; pass through unchanged otherwise."""
        where = check.At(self, "forward")
        inputs = check.as_float_array(inputs, name="inputs", where=where)
        check.check_finite(inputs, name="inputs", where=where)
        self.inputs = inputs
        if not training:
            self.binary_mask = None
            self.output = check.produced(inputs.copy())
            return self.output
        kept = self.rng.binomial(1, self.keep_rate, size=inputs.shape)
        self.binary_mask = (kept / self.keep_rate).astype(inputs.dtype, copy=False)
        self.output = check.produced(inputs * self.binary_mask)
        return self.output

    def backward(self, dvalues: Any) -> np.ndarray:
        """Gradients flow only through the values that were kept, scaled the same way."""
        dvalues = _upstream_gradient(self, dvalues, where=check.At(self, "backward"))
        mask = self.binary_mask
        self.dinputs = check.produced(dvalues.copy() if mask is None else dvalues * mask)
        return self.dinputs

    def config(self) -> dict[str, Any]:
        return {"rate": self.rate}


class Input:
    """The Model's first link: holds the batch so the next layer can read ``.output``."""

    def __repr__(self) -> str:
        return "Input()"

    def forward(self, inputs: Any, training: bool = False) -> np.ndarray:
        self.output = np.asarray(inputs)
        return self.output

    def config(self) -> dict[str, Any]:
        return {}


def _upstream_gradient(component: Any, dvalues: Any, *, where: str) -> np.ndarray:
    """Check that backward follows a forward and receives one gradient per output value."""
    if not hasattr(component, "output"):
        raise RuntimeError(
            f"{where}: backward was called before forward. The backward pass needs the "
            f"values saved by forward; call forward(inputs) first."
        )
    # Cast to the output's dtype so a float64 gradient does not promote a float32 layer.
    dvalues = check.as_float_array(
        dvalues, name="dvalues", where=where, dtype=component.output.dtype
    )
    check.check_same_shape(
        dvalues, component.output, name="dvalues", reference_name="this layer's output",
        where=where,
    )  # fmt: skip
    check.check_finite(
        dvalues,
        name="dvalues",
        where=where,
        hint="The gradient arriving from the next layer is not finite: the loss has probably "
        "diverged. Fix: lower the learning rate or check the loss's backward pass.",
    )
    return dvalues
