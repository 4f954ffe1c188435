"""Checks for the activations: ReLU and softmax (ch09), sigmoid (ch16), linear (ch17).

A forward check compares ``self.output``; a backward check runs forward then
``backward(dvalues)`` and compares ``self.dinputs`` (the forward's correctness is its own
check; when it is wrong the backward's message says so, from a central difference of the
learner's own forward). Both make sure the arrays handed to the learner come back unchanged.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from nnfs_core import Linear, ReLU, Sigmoid, Softmax

from .capture import Recorder, learner_forward
from .judging import StagedCheck, witness_indices
from .shared import GENERAL, Context, Failure, Quantity, mistake, register


class _ActivationCheck(StagedCheck):
    """One activation class, forward only (``backward = False``) or forward then backward."""

    stages = ("construct", "forward", "backward")
    reference: type = ReLU
    backward = False
    book_name = "Activation"
    cases: tuple[str, ...] = ("main",)

    def draw(self, rng: np.random.RandomState, case: str) -> np.ndarray:  # pragma: no cover
        raise NotImplementedError

    def build(self, seed: int) -> dict[str, Any]:
        rng = np.random.RandomState(seed)
        spec: dict[str, Any] = {}
        for name in self.cases:
            inputs = self.draw(rng, name)
            spec[name] = {
                "X": inputs,
                "dvalues": rng.standard_normal(inputs.shape),
                "witness": witness_indices(rng, inputs.shape, 4, avoid=self.kink(inputs)),
            }
        return spec

    def kink(self, inputs: np.ndarray):
        """Indices where a central difference would straddle a kink (ReLU at 0)."""
        return None

    def exercise(self, recorder: Recorder, learner: Any, spec: dict[str, Any]) -> None:
        for name in self.cases:
            case = spec[name]
            activation = recorder.construct(f"{name}.construct", learner)
            if activation is None:
                continue
            inputs = case["X"].copy()
            ok, returned = recorder.forward(f"{name}.forward", activation, inputs, training=True)
            recorder.keep(f"{name}.inputs_after", inputs)
            recorder.keep_attribute(f"{name}.output", activation, "output")
            recorder.keep(f"{name}.output_returned", returned)
            if not (ok and self.backward):
                continue
            dvalues = case["dvalues"].copy()
            ok, returned = recorder.invoke(f"{name}.backward", activation, "backward", dvalues)
            recorder.keep_attribute(f"{name}.dinputs", activation, "dinputs")
            recorder.keep(f"{name}.dinputs_returned", returned)
            recorder.keep(f"{name}.dvalues_after", dvalues)
            if ok and name == self.cases[0]:
                recorder.keep_witness(
                    f"{name}.dinputs",
                    lambda values, a=activation: learner_forward(a, values),
                    case["X"],
                    case["witness"],
                )

    def expect(self, spec: dict[str, Any]) -> dict[str, Any]:
        expected: dict[str, Any] = {}
        for name in self.cases:
            case = spec[name]
            reference = self.reference()
            expected[f"{name}.output"] = reference.forward(case["X"].copy())
            expected[f"{name}.inputs_after"] = case["X"]
            expected[f"{name}.dinputs"] = reference.backward(case["dvalues"].copy())
            expected[f"{name}.dvalues_after"] = case["dvalues"]
        return expected

    def quantities(self, spec: dict[str, Any]) -> list[Quantity]:
        found = []
        for position, name in enumerate(self.cases):
            suffix = "" if position == 0 else f" ({name} case)"
            if self.backward:
                found.append(
                    Quantity(
                        f"{name}.dinputs",
                        f"self.dinputs{suffix}",
                        "dinputs",
                        f"{name}.backward",
                        "after forward(inputs) and backward(dvalues)",
                        witness=f"{name}.dinputs" if position == 0 else None,
                    )
                )
            else:
                found.append(
                    Quantity(
                        f"{name}.output",
                        f"self.output{suffix}",
                        "output",
                        f"{name}.forward",
                        "after forward(inputs)",
                    )
                )
        first = self.cases[0]
        found.append(
            Quantity(
                f"{first}.inputs_after",
                "the inputs array passed to forward",
                "inputs_after",
                f"{first}.forward",
                "during forward",
                mutation=True,
            )
        )
        if self.backward:
            found.append(
                Quantity(
                    f"{first}.dvalues_after",
                    "the dvalues array passed to backward",
                    "dvalues_after",
                    f"{first}.backward",
                    "during backward",
                    mutation=True,
                )
            )
        return found

    def objective(self, spec, witness, output, index=None, delta=0.0):
        case = spec[witness.partition(".")[0]]
        if output.shape != case["dvalues"].shape:
            return None
        return float(np.sum(output * case["dvalues"]))


class _ReLU(_ActivationCheck):
    reference = ReLU

    def draw(self, rng: np.random.RandomState, case: str) -> np.ndarray:
        inputs = rng.standard_normal((6, 4))
        inputs.flat[rng.permutation(inputs.size)[:3]] = 0.0  # where max(0, x) has its kink
        return inputs

    def kink(self, inputs: np.ndarray):
        return lambda index: abs(inputs[index]) < 1e-3


@register
class ReLUForward(_ReLU):
    name = "relu_forward"
    title = "Activation_ReLU.forward"


@register
class ReLUBackward(_ReLU):
    name = "relu_backward"
    title = "Activation_ReLU.backward"
    backward = True


class _Softmax(_ActivationCheck):
    reference = Softmax
    cases = ("main", "square")
    #: Give the main case one row of logits near 800, where exp() overflows unless the row's
    #: maximum is subtracted first.
    large_row = False

    def draw(self, rng: np.random.RandomState, case: str) -> np.ndarray:
        if case == "square":
            return rng.standard_normal((3, 3))
        inputs = 2.0 * rng.standard_normal((5, 4))
        if self.large_row:
            inputs[-1] = 800.0 + 3.0 * rng.standard_normal(4)
        return inputs


@register
class SoftmaxForward(_Softmax):
    name = "softmax_forward"
    title = "Activation_Softmax.forward"
    large_row = True


@register
class SoftmaxBackward(_Softmax):
    name = "softmax_backward"
    title = "Activation_Softmax.backward"
    backward = True
    cases = ("main",)


class _Sigmoid(_ActivationCheck):
    reference = Sigmoid

    def draw(self, rng: np.random.RandomState, case: str) -> np.ndarray:
        return 3.0 * rng.standard_normal((6, 3))


@register
class SigmoidForward(_Sigmoid):
    name = "sigmoid_forward"
    title = "Activation_Sigmoid.forward"


@register
class SigmoidBackward(_Sigmoid):
    name = "sigmoid_backward"
    title = "Activation_Sigmoid.backward"
    backward = True


@register
class LinearActivation(_ActivationCheck):
    """Forward and backward in one check: both are the identity."""

    name = "linear_activation"
    title = "Activation_Linear forward and backward"
    reference = Linear
    backward = True

    def draw(self, rng: np.random.RandomState, case: str) -> np.ndarray:
        return rng.standard_normal((5, 2))

    def quantities(self, spec: dict[str, Any]) -> list[Quantity]:
        output = Quantity(
            "main.output", "self.output", "output", "main.forward", "after forward(inputs)"
        )
        return [output, *super().quantities(spec)]


# -- the mistakes this family's checks name ---------------------------------------------
# Tried by priority (shared.EARLY, SPECIFIC, GENERAL, LAST), then in the order written here.


@mistake(
    "relu_forward_min",
    "ReLU forward uses min instead of max",
    "ReLU keeps positive values and zeroes the rest: np.maximum(0, inputs).",
    checks=("relu_forward",),
)
def _relu_forward_min(context: Context, failure: Failure) -> str | None:
    if context.matches("main.output", np.minimum(0, context.spec["main"]["X"])):
        return "your output equals np.minimum(0, inputs)"
    return None


@mistake(
    "relu_backward_mutates_dvalues",
    "ReLU backward changes the dvalues it was given",
    "Copy first: self.dinputs = dvalues.copy(), then zero self.dinputs where the inputs were "
    "<= 0. Without the copy, dvalues (the next layer's dinputs) is changed too.",
    checks=("relu_backward",),
)
def _relu_backward_mutates(context: Context, failure: Failure) -> str | None:
    case = context.spec["main"]
    if failure.kind == "mutated":
        masked = np.where(case["X"] <= 0, 0.0, case["dvalues"])
        if context.matches("main.dvalues_after", masked):
            return "after your backward, the caller's dvalues array has zeros where inputs <= 0"
    return None


@mistake(
    "relu_backward_kink_at_zero",
    "ReLU backward lets the gradient through where the input is exactly 0",
    "Zero the gradient where the input was <= 0 (not < 0): "
    "self.dinputs[self.inputs <= 0] = 0. ReLU's output is flat at 0, so no gradient flows there "
    "in the book's convention.",
    checks=("relu_backward",),
)
def _relu_backward_kink(context: Context, failure: Failure) -> str | None:
    case = context.spec["main"]
    if context.matches("main.dinputs", np.where(case["X"] < 0, 0.0, case["dvalues"])):
        zeros = int(np.sum(case["X"] == 0))
        return f"the {zeros} inputs that are exactly 0 kept their gradient"
    return None


@mistake(
    "relu_backward_wrong_mask",
    "ReLU backward zeroes the gradient with the wrong mask",
    "The gradient passes where the forward's *inputs* were positive and is 0 elsewhere: build "
    "the mask from the inputs you stored in forward, not from dvalues or the output.",
    checks=("relu_backward",),
)
def _relu_backward_wrong_mask(context: Context, failure: Failure) -> str | None:
    case = context.spec["main"]
    dvalues = case["dvalues"]
    if context.matches("main.dinputs", np.where(dvalues <= 0, 0.0, dvalues)):
        return "your dinputs are zero where dvalues <= 0, not where the inputs were <= 0"
    if context.matches("main.dinputs", dvalues):
        return "your dinputs equal dvalues unchanged: nothing was zeroed"
    if context.matches("main.dinputs", dvalues * np.maximum(0, case["X"])):
        return "your dinputs are dvalues times the ReLU output, not dvalues masked by it"
    return None


def _softmax(inputs: np.ndarray, max_axis=1, sum_axis=1, keep_max=True, keep_sum=True):
    shifted = (
        inputs if max_axis is False else inputs - np.max(inputs, axis=max_axis, keepdims=keep_max)
    )
    exponentials = np.exp(shifted)
    return exponentials / np.sum(exponentials, axis=sum_axis, keepdims=keep_sum)


@mistake(
    "softmax_no_max_subtraction",
    "softmax without subtracting the row maximum",
    "Subtract each row's maximum before np.exp: "
    "np.exp(inputs - np.max(inputs, axis=1, keepdims=True)). Softmax ignores a constant shift, "
    "and with the shift every exponent is <= 0, so np.exp cannot overflow.",
    checks=("softmax_forward",),
)
def _softmax_no_max(context: Context, failure: Failure) -> str | None:
    inputs = context.spec["main"]["X"]
    received = context.array("main.output")
    if received is None or received.shape != inputs.shape or np.all(np.isfinite(received)):
        return None
    if context.matches("main.output", _softmax(inputs, max_axis=False)):
        row = int(np.argmax(inputs.max(axis=1)))
        return (
            f"row {row} has logits around {inputs[row].max():.0f}: np.exp overflows to inf there "
            f"and inf / inf is NaN"
        )
    return None


@mistake(
    "softmax_one_max_for_the_batch",
    "softmax subtracts one maximum for the whole batch (right, but numerically fragile)",
    "Subtract each row's own maximum: np.exp(inputs - np.max(inputs, axis=1, keepdims=True)). "
    "One maximum for the batch is right in exact arithmetic (softmax ignores a shift of a "
    "row), but it shifts every row by the batch's largest logit: a row whose logits all lie "
    "far below it gets np.exp of large negative numbers, which underflow to 0, and 0 / 0 is "
    "NaN.",
    checks=("softmax_forward",),
)
def _softmax_batch_max(context: Context, failure: Failure) -> str | None:
    inputs = context.spec["main"]["X"]
    received = context.array("main.output")
    if received is None or received.shape != inputs.shape or np.all(np.isfinite(received)):
        return None
    if not context.matches("main.output", _softmax(inputs, max_axis=None, keep_max=False)):
        return None
    top = int(np.argmax(inputs.max(axis=1)))
    broken = [int(row) for row in np.flatnonzero(~np.all(np.isfinite(received), axis=1))]
    rows = ", ".join(str(row) for row in broken)
    return (
        f"the batch's largest logit, {inputs.max():.0f}, is in row {top}; every logit of rows "
        f"{rows} lies more than {inputs.max() - inputs[broken].max():.0f} below it, so np.exp "
        "gives 0 across those rows and they become 0 / 0 = NaN (your other rows are right)"
    )


@mistake(
    "softmax_wrong_axis",
    "softmax normalised over the wrong axis",
    "Each sample is a row: take the max and the sum along axis=1 with keepdims=True, so each "
    "row of the output sums to 1.",
    checks=("softmax_forward",),
)
def _softmax_wrong_axis(context: Context, failure: Failure) -> str | None:
    for name in ("main", "square"):
        inputs = context.spec[name]["X"]
        for max_axis in (0, 1, None):
            if context.matches(f"{name}.output", _softmax(inputs, max_axis=max_axis, sum_axis=0)):
                return "your output's columns sum to 1, not its rows (axis=0 instead of axis=1)"
    return None


@mistake(
    "softmax_no_keepdims",
    "softmax sums or maxima without keepdims=True",
    "np.max(inputs, axis=1, keepdims=True) and np.sum(..., axis=1, keepdims=True) keep a column "
    "of shape (n_samples, 1) that broadcasts across each row; without keepdims the (n_samples,) "
    "vector broadcasts across columns instead.",
    checks=("softmax_forward",),
)
def _softmax_no_keepdims(context: Context, failure: Failure) -> str | None:
    inputs = context.spec["square"]["X"]
    for keep_max, keep_sum in ((False, True), (True, False), (False, False)):
        candidate = _softmax(inputs, keep_max=keep_max, keep_sum=keep_sum)
        if context.matches("square.output", candidate):
            which = "np.max" if not keep_max else "np.sum"
            if not keep_max and not keep_sum:
                which = "np.max and np.sum"
            return (
                f"with square inputs your output matches {which} taken without keepdims=True "
                f"(with non-square inputs it fails to broadcast)"
            )
    return None


@mistake(
    "softmax_backward_diagonal_only",
    "softmax backward uses only the Jacobian's diagonal",
    "Each output depends on every input of its row, so each sample needs its whole Jacobian "
    "matrix, s_i * (delta_ij - s_j): the diagonal term minus the outer product of the sample's "
    "output with itself, multiplied with that sample's dvalues.",
    checks=("softmax_backward",),
)
def _softmax_backward_diagonal(context: Context, failure: Failure) -> str | None:
    case = context.spec["main"]
    s = _softmax(case["X"])
    if context.matches("main.dinputs", s * (1 - s) * case["dvalues"]):
        return "your dinputs equal s * (1 - s) * dvalues, the element-wise derivative only"
    return None


@mistake(
    "sigmoid_forward_wrong_sign",
    "sigmoid computed with exp(x) instead of exp(-x)",
    "sigmoid(x) = 1 / (1 + np.exp(-inputs)): large positive inputs give values near 1.",
    checks=("sigmoid_forward",),
)
def _sigmoid_forward_sign(context: Context, failure: Failure) -> str | None:
    if context.matches("main.output", 1 / (1 + np.exp(context.spec["main"]["X"]))):
        return "your output equals 1 / (1 + np.exp(inputs)), i.e. sigmoid(-x)"
    return None


@mistake(
    "sigmoid_derivative_uses_input",
    "sigmoid derivative computed from the input instead of the output",
    "The derivative is s * (1 - s) with s the sigmoid's *output*: "
    "self.dinputs = dvalues * (1 - self.output) * self.output.",
    checks=("sigmoid_backward",),
)
def _sigmoid_uses_input(context: Context, failure: Failure) -> str | None:
    case = context.spec["main"]
    x = case["X"]
    if context.matches("main.dinputs", case["dvalues"] * (1 - x) * x):
        return "your dinputs equal dvalues * (1 - inputs) * inputs"
    return None


# Found with autograder/mutation: a slip in one factor of the sigmoid's derivative or in its
# forward (which the backward reuses through self.output) got only the generic mismatch.


def _sigmoid(x: np.ndarray) -> np.ndarray:
    return 1 / (1 + np.exp(-x))


@mistake(
    "backward_right_for_a_wrong_forward",
    "the backward is right, but for a wrong forward output",
    "Your backward computes the derivative correctly from self.output, but your forward stored "
    "a wrong self.output: fix forward first (its own check says how), and the backward follows.",
    checks=("sigmoid_backward",),
    priority=GENERAL,
)
def _backward_for_wrong_forward(context: Context, failure: Failure) -> str | None:
    if failure.quantity.name != "dinputs":
        return None
    case = context.spec["main"]
    own = context.array("main.output")
    if own is not None and own.size == 1:  # a forward that stored one number
        own = np.full(case["X"].shape, float(own.reshape(-1)[0]))
    if own is None or own.shape != case["X"].shape:
        return None
    if context.tolerance("main.output").allclose(own, _sigmoid(case["X"])):
        return None  # the forward is right: the backward itself is wrong
    from_own = case["dvalues"] * own * (1 - own)
    if context.matches(failure.quantity.key, from_own):
        return "your dinputs are the derivative of the self.output your forward stored"
    return None


#: The sigmoid derivative dvalues * s * (1 - s) with one slip, by description.
_SIGMOID_BACKWARD_SLIPS = {
    "(1 - self.output) is missing": lambda d, s: d * s,
    "self.output is missing (only 1 - self.output)": lambda d, s: d * (1 - s),
    "dvalues is missing": lambda d, s: s * (1 - s),
    "dvalues * self.output is missing (only 1 - self.output)": lambda d, s: 1 - s,
    "1 - self.output is written self.output": lambda d, s: d * s * s,
    "1 - self.output is written 1 + self.output": lambda d, s: d * s * (1 + s),
}


@mistake(
    "sigmoid_derivative_slip",
    "one factor of the sigmoid's derivative is wrong",
    "self.dinputs = dvalues * (1 - self.output) * self.output: three factors, the upstream "
    "gradient and s * (1 - s) of the stored output. Fix the one factor the details name.",
    checks=("sigmoid_backward",),
    priority=GENERAL,
)
def _sigmoid_backward_slip(context: Context, failure: Failure) -> str | None:
    if failure.quantity.name != "dinputs":
        return None
    case = context.spec["main"]
    s = _sigmoid(case["X"])
    for text, slip in _SIGMOID_BACKWARD_SLIPS.items():
        if context.matches(failure.quantity.key, slip(case["dvalues"], s)):
            return f"your dinputs match the derivative where {text}"
    return None


@mistake(
    "sigmoid_forward_slip",
    "one part of the sigmoid's formula is wrong",
    "self.output = 1 / (1 + np.exp(-inputs)): one, divided by one plus the exponential of the "
    "negated inputs. Fix the one part the details name.",
    checks=("sigmoid_forward",),
    priority=GENERAL,
)
def _sigmoid_forward_slip(context: Context, failure: Failure) -> str | None:
    if failure.quantity.name != "output":
        return None
    x = context.spec["main"]["X"]
    with np.errstate(all="ignore"):
        slips = {
            "1 + np.exp(-inputs) is written 1 - np.exp(-inputs)": 1 / (1 - np.exp(-x)),
            "the 1 + is missing (1 / np.exp(-inputs))": 1 / np.exp(-x),
            "np.exp is missing (1 / (1 - inputs))": 1 / (1 - x),
            "the 1 / is missing (1 + np.exp(-inputs))": 1 + np.exp(-x),
            "the result is divided by the batch size again": _sigmoid(x) / len(x),
        }
    for text, value in slips.items():
        if context.matches(failure.quantity.key, value):
            return f"your output matches the formula where {text}"
    return None


@mistake(
    "softmax_jacobian_slip",
    "the softmax Jacobian or its loop over the samples is wrong",
    "For each sample: s = self.output[row].reshape(-1, 1); jacobian = np.diagflat(s) - "
    "np.dot(s, s.T); self.dinputs[row] = np.dot(jacobian, dvalues[row]), for every row of "
    "the batch. Fix the one part the details name.",
    checks=("softmax_backward",),
    priority=GENERAL,
)
def _softmax_jacobian_slip(context: Context, failure: Failure) -> str | None:
    if failure.quantity.name != "dinputs":
        return None
    case = context.spec["main"]
    outputs, dvalues = _softmax(case["X"]), case["dvalues"]
    received = context.array(failure.quantity.key)
    if received is None or received.shape != dvalues.shape:
        return None
    slips = {
        "np.dot(s, s.T) is added instead of subtracted": lambda s: np.diagflat(s) + np.outer(s, s),
        "np.dot(s, s.T) is missing (the diagonal alone)": np.diagflat,
        "np.diagflat(s) is missing": lambda s: -np.outer(s, s),
    }
    for text, jacobian in slips.items():
        wrong = np.stack([jacobian(s) @ d for s, d in zip(outputs, dvalues, strict=True)])
        if context.matches(failure.quantity.key, wrong):
            return f"your dinputs match the Jacobian where {text}"
    book = context.expected[failure.quantity.key]
    tolerance = context.tolerance(failure.quantity.key)
    right = [tolerance.allclose(mine, theirs) for mine, theirs in zip(received, book, strict=True)]
    if not all(right) and right[: right.index(False)] and not any(right[right.index(False) :]):
        first = right.index(False)
        return (
            f"rows 0 to {first - 1} of your dinputs are right and rows {first} on were never "
            f"computed: the loop over the samples stops early (it must run for all "
            f"{len(right)} rows)"
        )
    return None


@mistake(
    "relu_negatives_kept",
    "ReLU passes negative inputs through",
    "self.output = np.maximum(0, inputs): every negative input becomes 0, every positive one "
    "stays as it is.",
    checks=("relu_forward",),
)
def _relu_negatives_kept(context: Context, failure: Failure) -> str | None:
    inputs = context.spec["main"]["X"]
    if failure.quantity.name == "output" and context.matches("main.output", inputs):
        negatives = int(np.sum(inputs < 0))
        return f"your output equals the inputs, with its {negatives} negative values unchanged"
    return None


def _softmax_slips(inputs: np.ndarray) -> dict[str, np.ndarray]:
    """Per description, the output of a softmax forward with that one slip."""
    shifted = inputs - inputs.max(axis=1, keepdims=True)
    exponentials = np.exp(shifted)
    with np.errstate(all="ignore"):
        by_column = np.exp(inputs - inputs.max(axis=0, keepdims=True))
        return {
            "np.exp is missing (the shifted logits are divided by their sum)": (
                shifted / shifted.sum(axis=1, keepdims=True)
            ),
            "the exponentials are not divided by their row's sum": exponentials,
            "each value is divided by the sum of the whole batch (np.sum without axis=1)": (
                exponentials / exponentials.sum()
            ),
            "the maximum subtracted is each column's (axis=0), not each row's": (
                by_column / by_column.sum(axis=1, keepdims=True)
            ),
        }


def _softmax_backward_of(outputs: np.ndarray, dvalues: np.ndarray) -> np.ndarray:
    """The book's Jacobian product for each row, from any stored ``outputs``: (diag(s) - s sᵀ) d."""
    return outputs * (dvalues - np.sum(outputs * dvalues, axis=1, keepdims=True))


@mistake(
    "softmax_formula_slip",
    "one step of the softmax is wrong",
    "Softmax, row by row: subtract the row's maximum, take np.exp, divide by the row's sum: "
    "exp_values = np.exp(inputs - np.max(inputs, axis=1, keepdims=True)), then self.output = "
    "exp_values / np.sum(exp_values, axis=1, keepdims=True). The backward reads self.output, "
    "so a wrong forward breaks it too: fix forward first.",
    checks=("softmax_forward", "softmax_backward"),
    priority=GENERAL,
)
def _softmax_formula_slip(context: Context, failure: Failure) -> str | None:
    inputs = context.spec["main"]["X"]
    own = context.array("main.output")
    if own is None or own.shape != inputs.shape:
        return None
    found = next(
        (
            text
            for text, output in _softmax_slips(inputs).items()
            if context.tolerance("main.output").allclose(own, output)
        ),
        None,
    )
    if context.check == "softmax_forward":
        if failure.quantity.key == "main.output" and found:
            return f"your output matches the softmax where {found}"
        return None
    # softmax_backward: the backward is the book's, applied to a wrong stored output.
    if failure.quantity.name != "dinputs" or context.tolerance("main.output").allclose(
        own, context.expected["main.output"]
    ):
        return None
    if not context.matches(
        failure.quantity.key, _softmax_backward_of(own, context.spec["main"]["dvalues"])
    ):
        return None
    wrong = f"where {found}" if found else "that is not the softmax of the inputs"
    return (
        f"your backward is right for the self.output your forward stored, but that output is "
        f"the one {wrong}"
    )
