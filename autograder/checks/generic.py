"""Mistakes any family's checks can meet, tried after every family's own entries.

A result returned but never stored on the object, and an input array changed in place, show
up in every layer, activation and loss; a family's specific entry that also matches (ReLU's
backward zeroing the caller's dvalues) is more useful, so these are ``LAST``. No checks here.
"""

from __future__ import annotations

import difflib

import numpy as np

from .shared import LAST, Context, Failure, mistake, shape_text

ALL_WITH_OUTPUTS = (
    "weighted_sum",
    "neuron_output",
    "layer_output",
    "layer_batch",
    "step_activation",
    "linear_forward",
    "dense_forward",
    "dense_backward",
    "dense_regularization",
    "relu_forward",
    "relu_backward",
    "softmax_forward",
    "softmax_backward",
    "cce_backward",
    "softmax_cce_backward",
    "sigmoid_forward",
    "sigmoid_backward",
    "bce_backward",
    "linear_activation",
    "mse_backward",
    "mae_backward",
    "dropout",
)


@mistake(
    "result_returned_not_stored",
    "result returned but not stored on the object",
    "The book's methods store their result on the object: self.output = ... in forward, "
    "self.dinputs = ... in backward. The next layer reads it from there.",
    checks=(*ALL_WITH_OUTPUTS, "tangent_line"),
    priority=LAST,
)
def _returned_not_stored(context: Context, failure: Failure) -> str | None:
    key = failure.quantity.key
    if failure.kind in ("missing", "none") and context.matches(
        f"{key}_returned", context.expected[key]
    ):
        quantity = failure.quantity
        return f"your method returned the right {quantity.name} but never set {quantity.label}"
    return None


#: Checks whose results are read from the learner's object (``keep_attribute``): the layers
#: and activations, a dense layer's starting parameters, the input layer and the tangent line.
STORED = (
    *ALL_WITH_OUTPUTS,
    "single_neuron_backward",
    "dense_init",
    "input_layer",
    "tangent_line",
)

#: Names the book's classes store for something else (``inputs`` is no misspelt ``dinputs``):
#: never offered as the near miss of a missing attribute.
BOOK_ATTRIBUTES = frozenset(
    {"inputs", "output", "dinputs", "weights", "biases", "dweights", "dbiases"}
    | {"z", "bias", "binary_mask", "rate"}
)


@mistake(
    "result_never_stored",
    "a result was never stored on the object",
    "The check reads each result where the next layer reads it, on the object: self.output = "
    "... in forward, self.dinputs = ... (and self.dweights, self.dbiases) in backward, "
    "self.weights and self.biases in the constructor. The line that computes the one the "
    "details name is missing, assigns a local variable (output = ... without self.), or uses "
    "another name.",
    checks=STORED,
    priority=LAST,
)
def _never_stored(context: Context, failure: Failure) -> str | None:
    quantity = failure.quantity
    note = context.notes.get(f"{quantity.key}.absent")
    if failure.kind != "missing" or not isinstance(note, dict):
        return None
    if context.error(quantity.stage) is not None:
        return None  # the method raised before it got there: its exception says where
    attribute = str(note.get("attribute"))
    held = [str(name) for name in note.get("has", []) if name != attribute]
    unusual = [name for name in held if name not in BOOK_ATTRIBUTES]
    near = difflib.get_close_matches(attribute, unusual, n=1, cutoff=0.75)
    if near:
        return (
            f"your object has no self.{attribute} but has self.{near[0]}: store the result "
            f"as self.{attribute}, the name the next layer reads"
        )
    holds = ", ".join(f"self.{name}" for name in held) or "no attributes at all"
    return (
        f"no line assigned self.{attribute} ({quantity.after}, without an error); "
        f"your object holds {holds}"
    )


ALL_CHECKS_WITH_INPUTS = (
    *ALL_WITH_OUTPUTS,
    "cce_forward",
    "bce_forward",
    "mse_forward",
    "mae_forward",
)


@mistake(
    "input_modified_in_place",
    "an input array changed in place",
    "Never write into the arrays you are given (inputs, dvalues, y_pred): operations such as "
    "-=, /=, np.clip(..., out=...) or item assignment change the caller's array. Work on a copy "
    "or build a new array.",
    checks=ALL_CHECKS_WITH_INPUTS,
    priority=LAST,
)
def _input_modified(context: Context, failure: Failure) -> str | None:
    if failure.kind == "mutated":
        return f"{failure.quantity.label} was different after your code ran"
    return None


#: Checks whose results a constant factor can spoil: the layers, activations and losses of
#: chapters 1 to 4, 9 and 14 to 18, and the tangent line. A family's own entry for one
#: factor (a gradient not averaged, a sign flipped) is tried first and is more precise.
SCALED = (
    "dense_forward",
    "dense_backward",
    "relu_forward",
    "relu_backward",
    "softmax_forward",
    "softmax_backward",
    "cce_forward",
    "cce_backward",
    "softmax_cce_backward",
    "single_neuron_backward",
    "weighted_sum",
    "neuron_output",
    "layer_output",
    "layer_batch",
    "linear_forward",
    "step_activation",
    "tangent_line",
    "input_layer",
    "dense_regularization",
    "sigmoid_forward",
    "sigmoid_backward",
    "bce_forward",
    "bce_backward",
    "linear_activation",
    "mse_forward",
    "mse_backward",
    "mae_forward",
    "mae_backward",
    "dropout",
)


def _factors(expected: np.ndarray) -> dict[float, str]:
    """The constant factors a slip puts on a result, with what each one means."""
    found = {2.0: "2", 0.5: "1/2", -1.0: "-1 (the sign is flipped)"}
    if expected.ndim >= 1 and expected.shape[0] > 1:
        n = float(expected.shape[0])
        found[n] = f"{n:g}, the number of samples"
        found[1 / n] = f"1/{n:g} (divided by the number of samples once more)"
    if expected.ndim >= 2 and expected.shape[-1] > 1:
        m = float(expected.shape[-1])
        found.setdefault(m, f"{m:g}, the number of outputs (summed where a mean belongs?)")
        found.setdefault(1 / m, f"1/{m:g} (divided by the number of outputs once more)")
    return found


@mistake(
    "result_off_by_a_constant_factor",
    "a result off by a constant factor",
    "Every value of this result is the book's times one constant, so the line that computes it "
    "has a factor too many or too few (a 2, a division by the number of samples or outputs, a "
    "sum where a mean belongs, a minus sign). The details give the factor; compare that line "
    "with the formula.",
    checks=SCALED,
    priority=LAST,
)
def _off_by_a_factor(context: Context, failure: Failure) -> str | None:
    if failure.kind not in ("values", "nonfinite"):
        return None
    key = failure.quantity.key
    expected = np.asarray(context.expected.get(key), dtype=np.float64)
    if expected.size == 0 or not np.any(expected):
        return None
    for factor, meaning in _factors(expected).items():
        if context.matches(key, factor * expected):
            return f"{failure.quantity.label}: every value is exactly {meaning} times the book's"
    # A loss's mean follows its sample losses: the factor shows there.
    return None


#: Element-wise results of chapters 14 to 17 (the pilots' chapter 9 ones are not listed).
ELEMENTWISE = (
    "dense_regularization",
    "sigmoid_forward",
    "sigmoid_backward",
    "linear_activation",
    "bce_backward",
    "mse_backward",
    "mae_backward",
    "dropout",
)


@mistake(
    "result_is_one_number",
    "one number where an array is expected",
    "This result has one value per input element (the shape the details give), so the "
    "formula is applied element by element to the NumPy arrays: no np.sum, np.mean or np.max "
    "over them, no Python scalar or math function in their place, and each array in the "
    "formula actually used.",
    checks=ELEMENTWISE,
    priority=LAST,
)
def _one_number(context: Context, failure: Failure) -> str | None:
    key = failure.quantity.key
    received = context.array(key)
    expected = np.asarray(context.expected.get(key), dtype=np.float64)
    if failure.kind != "shape" or received is None or received.size != 1 or expected.size < 2:
        return None
    value = float(received.reshape(-1)[0])
    reductions = {
        "the sum": expected.sum(),
        "the mean": expected.mean(),
        "the largest": expected.max(),
        "the smallest": expected.min(),
    }
    tolerance = context.tolerance(key)
    for text, reduced in reductions.items():
        if tolerance.allclose(np.asarray(value), np.asarray(reduced)):
            return (
                f"{failure.quantity.label} is one number, {value:g}, {text} of the "
                f"{expected.size} values expected (shape {shape_text(expected)})"
            )
    return (
        f"{failure.quantity.label} is one number, {value:g}, where {expected.size} values "
        f"are expected (shape {shape_text(expected)}): the inputs do not reach it element by "
        "element"
    )
