"""Input checks shared by every component.

Each check raises with three things in its message: what was received, what was
expected, and how to fix it. The checks are cheap (a shape comparison and one
``isfinite`` pass) next to the matrix products they guard, so they stay on in
the training loop: a NaN caught at the layer that first saw it is far easier to
understand than a loss that silently turns into ``nan``.
"""

from __future__ import annotations

import weakref
from typing import Any

import numpy as np


class At:
    """Where a check runs, formatted only when a message needs it.

    Building ``f"{layer!r}.forward"`` on every call costs more than the check itself
    on small batches; an ``At`` is formatted lazily, inside the error message.
    """

    __slots__ = ("component", "method")

    def __init__(self, component: Any, method: str) -> None:
        self.component = component
        self.method = method

    def __str__(self) -> str:
        return f"{self.component!r}.{self.method}"


# The trust registry: arrays already known to be valid, so the next component need not check
# them again. Two kinds go in: outputs and gradients that our components computed from checked
# inputs (`produced`), and label arrays already checked for a given number of classes (tagged
# with it). Data from outside is never in it and always gets the full check.
#
# It is module-level state, kept because it pays: benchmarks/validation_cost.py times the book's
# training loop with and without it, and without it an epoch takes about 1.15x as long on the
# chapter 10 model and 1.1x on chapter 14's (10 of an epoch's 11 checks are skipped).
#
# Entries are weak references, checked for identity on lookup, so a freed array's id reused by
# a new array never matches, and the registry keeps no array alive (holding recent outputs
# alive stops the allocator from reusing their buffers, which costs more than the checks).
# It is bounded in count, oldest entries dropped first. tests/test_validation_registry.py
# holds it to all of this.
_TRUSTED_ENTRIES = 64
_trusted: dict[tuple[int, Any], weakref.ref] = {}


def trust(array: np.ndarray, tag: Any = None) -> np.ndarray:
    """Record ``array`` as valid (for ``tag``), and return it."""
    key = (id(array), tag)
    _trusted.pop(key, None)
    _trusted[key] = weakref.ref(array)
    if len(_trusted) > _TRUSTED_ENTRIES:
        del _trusted[next(iter(_trusted))]
    return array


def is_trusted(array: Any, tag: Any = None) -> bool:
    reference = _trusted.get((id(array), tag))
    return reference is not None and reference() is array


#: What components call on the arrays they compute.
produced = trust


def describe(value: Any) -> str:
    """A short description of a value for error messages: type, shape and dtype."""
    if isinstance(value, np.ndarray):
        return f"a {value.ndim}-D array of shape {value.shape} and dtype {value.dtype}"
    if isinstance(value, (list, tuple)):
        return f"a {type(value).__name__} of length {len(value)}"
    return f"{type(value).__name__} {value!r}"


def as_float_array(value: Any, *, name: str, where: str, dtype: Any = None) -> np.ndarray:
    """Convert to a floating array, refusing strings, objects and non-numbers clearly."""
    if type(value) is np.ndarray and value.dtype.kind == "f":
        # The hot path inside a training loop: already a float array, nothing to convert.
        return value if dtype is None or value.dtype == dtype else value.astype(dtype)
    try:
        array = np.asarray(value)
    except Exception as error:  # ragged lists and the like
        raise TypeError(
            f"{where}: {name} could not be turned into an array ({error}). "
            f"Expected a rectangular NumPy array of numbers."
        ) from None
    if array.dtype == object or not (
        np.issubdtype(array.dtype, np.number) or array.dtype == np.bool_
    ):
        raise TypeError(
            f"{where}: expected {name} to hold numbers; received {describe(array)}. "
            f"Fix: convert it with np.asarray(..., dtype=float)."
        )
    if dtype is not None:
        return array.astype(dtype, copy=False)
    if not np.issubdtype(array.dtype, np.floating):
        return array.astype(np.float64)
    return array


def check_finite(array: np.ndarray, *, name: str, where: str, hint: str = "") -> None:
    """Refuse NaN and infinity, naming how many and the first position."""
    if is_trusted(array):
        return
    # One reduction is cheaper than an element-wise mask; a non-finite sum (NaN, inf, or an
    # overflow of huge finite values) sends us to the exact element-wise test.
    if (
        array.size
        and not np.isfinite(np.add.reduce(array, axis=None))
        and not np.isfinite(array).all()
    ):
        bad = ~np.isfinite(array)
        first = tuple(int(i) for i in np.argwhere(bad)[0])
        kinds = []
        if np.isnan(array).any():
            kinds.append("NaN")
        if np.isinf(array).any():
            kinds.append("infinity")
        fix = hint or (
            "Fix: clean the data (e.g. np.nan_to_num or drop those rows) before passing it in."
        )
        raise ValueError(
            f"{where}: {name} contains {' and '.join(kinds)} "
            f"({int(bad.sum())} of {array.size} values, the first at index {first}). "
            f"Expected finite numbers. {fix}"
        )


def check_2d(array: np.ndarray, *, name: str, where: str, width: int | None = None) -> None:
    """Require a (n_samples, n_features) batch, with a hint for the usual 1-D mix-ups."""
    expected = f"(n_samples, {width})" if width is not None else "(n_samples, n_features)"
    if array.ndim == 1:
        fixes = "Fix: for one sample use x.reshape(1, -1); for one feature use x.reshape(-1, 1)."
        raise ValueError(
            f"{where}: expected {name} as a 2-D batch of shape {expected}; "
            f"received a 1-D array of shape {array.shape}. {fixes}"
        )
    if array.ndim != 2:
        raise ValueError(
            f"{where}: expected {name} as a 2-D batch of shape {expected}; received "
            f"{describe(array)}. Fix: flatten each sample, e.g. x.reshape(len(x), -1)."
        )
    if width is not None and array.shape[1] != width:
        raise ValueError(
            f"{where}: expected {name} of shape {expected}; received shape {array.shape}, "
            f"i.e. {array.shape[1]} features per sample instead of {width}. Fix: make the "
            f"layer's n_inputs equal to the previous layer's n_neurons (or to the number of "
            f"features in the data)."
        )


def batch(value: Any, *, name: str, where: str, width: int | None = None, dtype: Any = None):
    """The full check for a batch entering a component: numeric, 2-D, right width, finite."""
    array = as_float_array(value, name=name, where=where, dtype=dtype)
    check_2d(array, name=name, where=where, width=width)
    check_finite(array, name=name, where=where)
    return array


def check_same_shape(
    got: np.ndarray, reference: np.ndarray, *, name: str, reference_name: str, where: str
) -> None:
    """Gradients and targets must match the array they belong to, shape for shape."""
    if got.shape != reference.shape:
        if got.ndim == 1 and reference.ndim == 2 and got.shape[0] == reference.shape[0]:
            hint = f" Fix: reshape it with {name}.reshape(-1, {reference.shape[1]})."
        elif got.ndim == 2 and reference.ndim == 2 and got.shape == reference.shape[::-1]:
            hint = " It looks transposed: use .T."
        else:
            hint = (
                f" Fix: pass an array with exactly the shape of {reference_name} "
                f"(one value for each of its values)."
            )
        raise ValueError(
            f"{where}: expected {name} of shape {reference.shape} (the shape of "
            f"{reference_name}); received shape {got.shape}.{hint}"
        )


def positive_number(value: Any, *, name: str, where: str) -> float:
    """A strictly positive, finite float (learning rates, epsilons)."""
    number = _number(value, name=name, where=where)
    if not number > 0:
        raise ValueError(
            f"{where}: {name} must be greater than 0; received {value!r}. "
            f"Fix: pass a positive value such as {name}=0.001."
        )
    return number


def non_negative_number(value: Any, *, name: str, where: str) -> float:
    """A finite float >= 0 (decay, regularization strengths)."""
    number = _number(value, name=name, where=where)
    if number < 0:
        raise ValueError(
            f"{where}: {name} must be 0 or more; received {value!r}. "
            f"Fix: use 0 to switch it off, or a small positive value such as 5e-4."
        )
    return number


def unit_interval(value: Any, *, name: str, where: str, example: str) -> float:
    """A float in [0, 1): momentum, rho, the betas, the dropout rate."""
    number = _number(value, name=name, where=where)
    if not 0 <= number < 1:
        raise ValueError(
            f"{where}: {name} must be in [0, 1) (0 included, 1 excluded); received {value!r}. "
            f"Fix: pass e.g. {name}={example}."
        )
    return number


def positive_int(value: Any, *, name: str, where: str) -> int:
    """A whole number >= 1 (layer sizes, epochs, batch sizes)."""
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)):
        raise TypeError(
            f"{where}: {name} must be a whole number; received {describe(value)}. "
            f"Fix: pass an int such as {name}=64."
        )
    if value < 1:
        raise ValueError(
            f"{where}: {name} must be at least 1; received {value}. "
            f"Fix: pass a positive whole number such as {name}=64."
        )
    return int(value)


def _number(value: Any, *, name: str, where: str) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float, np.integer, np.floating)):
        raise TypeError(
            f"{where}: {name} must be a number; received {describe(value)}. "
            f"Fix: pass a plain int or float, e.g. {name}=float(value)."
        )
    number = float(value)
    if not np.isfinite(number):
        raise ValueError(
            f"{where}: {name} must be finite; received {value!r}. Fix: pass a finite number."
        )
    return number


def class_labels(y: Any, *, n_classes: int, n_samples: int, where: str) -> np.ndarray:
    """Validate labels for a classifier and return them as given (sparse or one-hot).

    Sparse labels are ``(n_samples,)`` integers in ``[0, n_classes)``; one-hot
    labels are ``(n_samples, n_classes)``. The loss uses both; what it cannot use
    is labels that silently broadcast or index out of range.
    """
    tag = ("labels", n_classes, n_samples)
    if is_trusted(y, tag):
        return y
    labels = np.asarray(y)
    if labels.ndim == 1:
        if labels.shape[0] != n_samples:
            raise ValueError(
                f"{where}: received {labels.shape[0]} labels for {n_samples} samples "
                f"(labels shape {labels.shape}). Expected one label per sample, shape "
                f"({n_samples},). Fix: pass the labels that belong to this batch."
            )
        if not np.issubdtype(labels.dtype, np.integer):
            if np.issubdtype(labels.dtype, np.floating) and np.all(labels == np.round(labels)):
                labels = labels.astype(np.intp)
            else:
                fractional = labels[labels != np.round(labels)]
                first = f"the first is {fractional[0]!r}" if fractional.size else "e.g. NaN"
                raise TypeError(
                    f"{where}: sparse labels must be whole class indices; received "
                    f"{describe(labels)} with values that are not whole numbers ({first}). "
                    f"Fix: y.astype(int) if they are class numbers, or pass one-hot labels "
                    f"of shape ({n_samples}, {n_classes})."
                )
        if labels.size:
            low, high = int(labels.min()), int(labels.max())
            if low < 0 or high >= n_classes:
                bad = low if low < 0 else high
                raise ValueError(
                    f"{where}: label {bad} is out of range for {n_classes} classes; expected "
                    f"class indices 0..{n_classes - 1}. Fix: check that the last layer has one "
                    f"neuron per class, or re-encode the labels to start at 0."
                )
        return trust(labels, tag) if labels is y else labels
    if labels.ndim == 2:
        if labels.shape != (n_samples, n_classes):
            raise ValueError(
                f"{where}: one-hot labels must have shape ({n_samples}, {n_classes}) "
                f"(samples, classes); received shape {labels.shape}. Fix: build them with "
                f"np.eye({n_classes})[y] from class indices y."
            )
        return labels
    raise ValueError(
        f"{where}: expected labels of shape ({n_samples},) (class indices) or "
        f"({n_samples}, {n_classes}) (one-hot); received {describe(labels)}."
    )


def regression_targets(y: Any, *, like: np.ndarray, where: str) -> np.ndarray:
    """Targets for element-wise losses must have exactly the predictions' shape.

    A (n,) target against (n, 1) predictions broadcasts to (n, n) and gives a
    plausible but wrong loss, which is why this refuses instead of reshaping.
    """
    targets = as_float_array(y, name="y_true", where=where, dtype=like.dtype)
    check_same_shape(targets, like, name="y_true", reference_name="the predictions", where=where)
    check_finite(targets, name="y_true", where=where)
    return targets
