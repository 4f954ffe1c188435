"""Mistakes any family's checks can meet, tried after every family's own entries.

A result returned but never stored on the object, and an input array changed in place, show
up in every layer, activation and loss; a family's specific entry that also matches (ReLU's
backward zeroing the caller's dvalues) is more useful, so these are ``LAST``. No checks here.
"""

from __future__ import annotations

from .shared import LAST, Context, Failure, mistake

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
    checks=ALL_WITH_OUTPUTS,
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
