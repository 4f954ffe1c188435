"""A float64 central-difference gradient checker for layers, activations and losses.

For a layer or activation the checked scalar is ``Σ output · upstream`` with a
fixed random ``upstream`` (so every output value matters), plus the layer's
L1/L2 penalty when it has one. For a loss it is the mean loss. The numerical
estimate ``(f(x + h) - f(x - h)) / 2h`` is compared with the analytical
gradient that ``backward`` produced, element by element, with

    |analytical - numerical| <= atol + rtol * max(|analytical|, |numerical|)

Central differences have error O(h²); with h = 1e-6 in float64 that is about
1e-12 of curvature error plus ~1e-10 of rounding, far below the defaults.
Components that draw random numbers (dropout) have their generator's state
restored before every evaluation, so each one sees the same mask.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from .layers import l1_l2_penalty
from .losses import Loss, SoftmaxCategoricalCrossentropy


class GradientCheckError(AssertionError):
    """The analytical gradient disagrees with the numerical one; the message says where."""


@dataclass
class GradientCheckResult:
    """Worst disagreement per checked gradient; ``passed`` when all are within tolerance."""

    component: str
    max_abs_error: dict[str, float] = field(default_factory=dict)
    max_rel_error: dict[str, float] = field(default_factory=dict)
    failures: list[str] = field(default_factory=list)
    #: Elements left out because |v| has no derivative there (L1 active, v within a step of 0).
    skipped: dict[str, int] = field(default_factory=dict)

    @property
    def passed(self) -> bool:
        return not self.failures

    def __str__(self) -> str:
        if self.passed:
            worst = ", ".join(f"{k}: {v:.2e}" for k, v in self.max_abs_error.items())
            return f"gradient check passed for {self.component} (max abs error {worst})"
        return "\n".join(self.failures)


def gradcheck(
    component: Any,
    inputs: Any,
    y_true: Any = None,
    *,
    upstream: Any = None,
    parameters: tuple[str, ...] = ("weights", "biases"),
    step: float = 1e-6,
    rtol: float = 1e-5,
    atol: float = 1e-8,
    seed: int = 0,
    raise_on_failure: bool = True,
) -> GradientCheckResult:
    """Compare ``component.backward`` with central differences, in float64.

    ``inputs`` ``(n_samples, n_features)``; ``y_true`` is required for losses.
    ``parameters`` lists the attributes checked besides the inputs, when the
    component has them (``dweights`` for ``weights``...). The component is
    deep-copied and cast to float64, so the caller's object is left as it was.
    """
    checked = _as_float64(copy.deepcopy(component))
    x = np.array(inputs, dtype=np.float64)
    is_loss = isinstance(checked, (Loss, SoftmaxCategoricalCrossentropy))
    if is_loss and y_true is None:
        raise ValueError(
            f"gradcheck: {type(component).__name__} is a loss, so y_true is required; "
            f"received y_true=None. Fix: gradcheck(loss, predictions, y_true)."
        )
    rng_state = _snapshot_rng(checked)

    if is_loss:

        def objective() -> float:
            _restore_rng(checked, rng_state)
            if isinstance(checked, SoftmaxCategoricalCrossentropy):
                return float(checked.forward(x, y_true))
            return float(np.mean(checked.forward(x, y_true)))

        objective()
        if isinstance(checked, SoftmaxCategoricalCrossentropy):
            checked.backward(checked.output, y_true)
        else:
            checked.backward(x, y_true)
    else:
        _restore_rng(checked, rng_state)
        output = checked.forward(x, training=True)
        if upstream is None:
            upstream = np.random.RandomState(seed).standard_normal(output.shape)
        upstream = np.asarray(upstream, dtype=np.float64)

        def objective() -> float:
            _restore_rng(checked, rng_state)
            value = float(np.sum(checked.forward(x, training=True) * upstream))
            return value + _penalty(checked)

        objective()
        checked.backward(upstream)

    name = type(component).__name__
    result = GradientCheckResult(component=name)
    targets = [("inputs", x, "dinputs")]
    targets += [(p, getattr(checked, p), f"d{p}") for p in parameters if hasattr(checked, f"d{p}")]
    for label, values, gradient_name in targets:
        analytical = np.asarray(getattr(checked, gradient_name), dtype=np.float64)
        if analytical.shape != values.shape:
            result.failures.append(
                f"gradcheck failed for {name}.{gradient_name}: shape {analytical.shape}, "
                f"expected {values.shape} (the shape of {label})."
            )
            continue
        numerical = _numerical_gradient(objective, values, step)
        kink = _l1_kink(checked, label, values, step)
        if kink.any():
            result.skipped[gradient_name] = int(kink.sum())
            numerical = np.where(kink, analytical, numerical)  # keeps shapes and indices
        _compare(result, name, gradient_name, analytical, numerical, rtol, atol)
    if raise_on_failure and not result.passed:
        raise GradientCheckError(str(result))
    return result


def _numerical_gradient(objective, values: np.ndarray, step: float) -> np.ndarray:
    """Perturb ``values`` in place, one element at a time, and restore it."""
    gradient = np.zeros_like(values)
    for index in np.ndindex(values.shape):
        original = values[index]
        values[index] = original + step
        above = objective()
        values[index] = original - step
        below = objective()
        values[index] = original
        gradient[index] = (above - below) / (2 * step)
    return gradient


def _compare(result, name, gradient_name, analytical, numerical, rtol, atol) -> None:
    difference = np.abs(analytical - numerical)
    scale = np.maximum(np.abs(analytical), np.abs(numerical))
    result.max_abs_error[gradient_name] = float(difference.max(initial=0.0))
    relative = difference / np.where(scale > 0, scale, 1.0)
    result.max_rel_error[gradient_name] = float(relative.max(initial=0.0))
    bad = difference > atol + rtol * scale
    if bad.any():
        worst = np.unravel_index(np.argmax(np.where(bad, difference, -1.0)), difference.shape)
        index = tuple(int(i) for i in worst)
        result.failures.append(
            f"gradcheck failed for {name}.{gradient_name} at index {index}: analytical "
            f"{analytical[worst]:.8g}, numerical {numerical[worst]:.8g} (difference "
            f"{difference[worst]:.3g}; {int(bad.sum())} of {bad.size} values out of tolerance "
            f"atol={atol:g}, rtol={rtol:g})."
        )


def _l1_kink(component: Any, label: str, values: np.ndarray, step: float) -> np.ndarray:
    """Where an L1 penalty makes the objective non-differentiable (|v| at v = 0).

    There the book's convention gives +λ while any two-sided difference gives
    about 0; the convention has its own test, the checker just leaves them out.
    """
    prefix = {"weights": "weight", "biases": "bias"}.get(label)
    if prefix is None or not getattr(component, f"{prefix}_regularizer_l1", 0.0):
        return np.zeros(values.shape, dtype=bool)
    return np.abs(values) <= step


def _penalty(component: Any) -> float:
    if not hasattr(component, "weights"):
        return 0.0
    return l1_l2_penalty(
        component.weights,
        getattr(component, "weight_regularizer_l1", 0.0),
        getattr(component, "weight_regularizer_l2", 0.0),
    ) + l1_l2_penalty(
        component.biases,
        getattr(component, "bias_regularizer_l1", 0.0),
        getattr(component, "bias_regularizer_l2", 0.0),
    )


def _as_float64(component: Any) -> Any:
    for name in ("weights", "biases"):
        if hasattr(component, name):
            setattr(component, name, np.array(getattr(component, name), dtype=np.float64))
    if hasattr(component, "weights"):
        component.dtype = np.dtype(np.float64)
    return component


def _snapshot_rng(component: Any) -> Any:
    rng = getattr(component, "rng", None)
    if isinstance(rng, np.random.RandomState):
        return rng.get_state()
    if isinstance(rng, np.random.Generator):
        return rng.bit_generator.state
    return None


def _restore_rng(component: Any, state: Any) -> None:
    if state is None:
        return
    rng = component.rng
    if isinstance(rng, np.random.RandomState):
        rng.set_state(state)
    else:
        rng.bit_generator.state = state
