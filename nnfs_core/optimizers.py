"""Optimizers with the book's three-call protocol.

Each training step is::

    optimizer.pre_update_params()  # set current_learning_rate from the decay
    optimizer.update_params(layer)  # for every trainable layer
    optimizer.post_update_params()  # iterations += 1

``iterations`` counts completed steps, so the first step uses
``iterations == 0``: the learning rate is undecayed and Adam's bias correction
uses ``1 - beta ** (iterations + 1) = 1 - beta``. Per-parameter state
(momentums, caches) lives on the layer, under the book's attribute names,
because it belongs to that layer's parameters and must match their shapes.
"""

from __future__ import annotations

from typing import Any, ClassVar

import numpy as np

from . import _validation as check

#: Optimizer state arrays a layer may carry, per optimizer (saved with a model).
STATE_ATTRIBUTES = ("weight_momentums", "bias_momentums", "weight_cache", "bias_cache")


class Optimizer:
    """Learning-rate decay ``lr / (1 + decay · iterations)`` and step counting."""

    #: Constructor arguments besides learning_rate and decay (for repr and saving).
    hyperparameters: ClassVar[tuple[str, ...]] = ()

    def __init__(self, learning_rate: float, decay: float) -> None:
        where = f"{type(self).__name__}(...)"
        self.learning_rate = check.positive_number(learning_rate, name="learning_rate", where=where)
        self.current_learning_rate = self.learning_rate
        self.decay = check.non_negative_number(decay, name="decay", where=where)
        self.iterations = 0

    def __repr__(self) -> str:
        arguments = ", ".join(f"{name}={value!r}" for name, value in self.config().items())
        return f"{type(self).__name__}({arguments})"

    def config(self) -> dict[str, Any]:
        names = ("learning_rate", "decay", *self.hyperparameters)
        return {name: getattr(self, name) for name in names}

    def pre_update_params(self) -> None:
        """Decay the learning rate before the step, using the steps completed so far."""
        if self.decay:
            self.current_learning_rate = self.learning_rate / (1.0 + self.decay * self.iterations)

    def update_params(self, layer: Any) -> None:
        """Move ``layer.weights`` and ``layer.biases`` against their gradients."""
        if not hasattr(layer, "dweights") or not hasattr(layer, "dbiases"):
            raise RuntimeError(
                f"{self!r}.update_params: {layer!r} has no dweights/dbiases yet. Expected a "
                f"trainable layer after its backward pass. Fix: call layer.backward(dvalues) "
                f"before update_params(layer)."
            )
        if layer.dweights.shape != layer.weights.shape:
            raise ValueError(
                f"{self!r}.update_params: {layer!r} has dweights of shape "
                f"{layer.dweights.shape} for weights of shape {layer.weights.shape}; they "
                f"must match. Fix: dweights = inputs.T @ dvalues."
            )
        self._update(layer)

    def post_update_params(self) -> None:
        self.iterations += 1

    def _update(self, layer: Any) -> None:  # pragma: no cover - abstract
        raise NotImplementedError


def _state(layer: Any, name: str, like: np.ndarray) -> np.ndarray:
    """A layer's state array, created as zeros the first time it is needed."""
    value = getattr(layer, name, None)
    if value is None or value.shape != like.shape:
        value = np.zeros_like(like)
        setattr(layer, name, value)
    return value


class SGD(Optimizer):
    """Stochastic gradient descent, optionally with momentum.

    With momentum the update keeps a fraction of the previous update:
    ``update = momentum · previous - lr · gradient``; the update itself is
    stored on the layer as ``weight_momentums`` / ``bias_momentums``.
    """

    hyperparameters = ("momentum",)

    def __init__(self, learning_rate: float = 1.0, decay: float = 0.0, momentum: float = 0.0):
        super().__init__(learning_rate, decay)
        self.momentum = check.unit_interval(
            momentum, name="momentum", where="SGD(...)", example="0.9"
        )

    def _update(self, layer: Any) -> None:
        lr = self.current_learning_rate
        if self.momentum:
            weight_updates = (
                self.momentum * _state(layer, "weight_momentums", layer.weights)
                - lr * layer.dweights
            )
            bias_updates = (
                self.momentum * _state(layer, "bias_momentums", layer.biases) - lr * layer.dbiases
            )
            layer.weight_momentums = weight_updates
            layer.bias_momentums = bias_updates
        else:
            weight_updates = -lr * layer.dweights
            bias_updates = -lr * layer.dbiases
        layer.weights += weight_updates
        layer.biases += bias_updates


class Adagrad(Optimizer):
    """Per-parameter rates: divide by the root of the running *sum* of squared gradients."""

    hyperparameters = ("epsilon",)

    def __init__(self, learning_rate: float = 1.0, decay: float = 0.0, epsilon: float = 1e-7):
        super().__init__(learning_rate, decay)
        self.epsilon = check.positive_number(epsilon, name="epsilon", where="Adagrad(...)")

    def _update(self, layer: Any) -> None:
        weight_cache = _state(layer, "weight_cache", layer.weights)
        bias_cache = _state(layer, "bias_cache", layer.biases)
        weight_cache += layer.dweights**2
        bias_cache += layer.dbiases**2
        lr, eps = self.current_learning_rate, self.epsilon
        layer.weights += -lr * layer.dweights / (np.sqrt(weight_cache) + eps)
        layer.biases += -lr * layer.dbiases / (np.sqrt(bias_cache) + eps)


class RMSprop(Optimizer):
    """Like AdaGrad, but the cache is a moving *average*: ``rho · cache + (1 - rho) · g²``."""

    hyperparameters = ("epsilon", "rho")

    def __init__(
        self,
        learning_rate: float = 0.001,
        decay: float = 0.0,
        epsilon: float = 1e-7,
        rho: float = 0.9,
    ) -> None:
        super().__init__(learning_rate, decay)
        self.epsilon = check.positive_number(epsilon, name="epsilon", where="RMSprop(...)")
        self.rho = check.unit_interval(rho, name="rho", where="RMSprop(...)", example="0.9")

    def _update(self, layer: Any) -> None:
        rho = self.rho
        layer.weight_cache = (
            rho * _state(layer, "weight_cache", layer.weights) + (1 - rho) * layer.dweights**2
        )
        layer.bias_cache = (
            rho * _state(layer, "bias_cache", layer.biases) + (1 - rho) * layer.dbiases**2
        )
        lr, eps = self.current_learning_rate, self.epsilon
        layer.weights += -lr * layer.dweights / (np.sqrt(layer.weight_cache) + eps)
        layer.biases += -lr * layer.dbiases / (np.sqrt(layer.bias_cache) + eps)


class Adam(Optimizer):
    """Momentum (first moment) plus an RMSProp cache (second moment), both bias-corrected.

    Both moments start at zero, so early averages are too small; dividing by
    ``1 - beta ** (iterations + 1)`` undoes that, strongly at first and hardly
    at all after a few thousand steps.
    """

    hyperparameters = ("epsilon", "beta_1", "beta_2")

    def __init__(
        self,
        learning_rate: float = 0.001,
        decay: float = 0.0,
        epsilon: float = 1e-7,
        beta_1: float = 0.9,
        beta_2: float = 0.999,
    ) -> None:
        super().__init__(learning_rate, decay)
        self.epsilon = check.positive_number(epsilon, name="epsilon", where="Adam(...)")
        self.beta_1 = check.unit_interval(beta_1, name="beta_1", where="Adam(...)", example="0.9")
        self.beta_2 = check.unit_interval(beta_2, name="beta_2", where="Adam(...)", example="0.999")

    def _update(self, layer: Any) -> None:
        b1, b2, step = self.beta_1, self.beta_2, self.iterations + 1
        layer.weight_momentums = (
            b1 * _state(layer, "weight_momentums", layer.weights) + (1 - b1) * layer.dweights
        )
        layer.bias_momentums = (
            b1 * _state(layer, "bias_momentums", layer.biases) + (1 - b1) * layer.dbiases
        )
        layer.weight_cache = (
            b2 * _state(layer, "weight_cache", layer.weights) + (1 - b2) * layer.dweights**2
        )
        layer.bias_cache = b2 * _state(layer, "bias_cache", layer.biases) + (1 - b2) * (
            layer.dbiases**2
        )
        momentum_correction = 1 - b1**step
        cache_correction = 1 - b2**step
        lr, eps = self.current_learning_rate, self.epsilon
        layer.weights += (
            -lr
            * (layer.weight_momentums / momentum_correction)
            / (np.sqrt(layer.weight_cache / cache_correction) + eps)
        )
        layer.biases += (
            -lr
            * (layer.bias_momentums / momentum_correction)
            / (np.sqrt(layer.bias_cache / cache_correction) + eps)
        )
