"""The catalogue of known mistakes: each with an id, a title, a hint and a detector.

A detector looks at a failed check's :class:`~autograder.checks.judging.Context` (the
rebuilt inputs, the reference values and what the learner's code produced) and decides
whether one particular mistake explains it. Most reproduce the mistake: they apply the
wrong formula to the same inputs (softmax without the max subtracted, the gradient times
the number of samples, Adam corrected with ``iterations`` instead of ``iterations + 1``)
and compare the result with what the learner produced, at the same tolerance the check
used. Others are structural (a shape that is the transpose of the expected one, a layer
without the state attribute the book keeps on it).

A detector returns ``None`` when its mistake does not explain the failure, or a string (an
empty one is fine) with the specifics: "expected shape (2, 3), received (3, 2)". The judge
shows the first entry, in catalogue order, that matches any failure of the check; so a
specific entry must come before a general one it overlaps with.

Detectors never call learner code: they read only the recorded values.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np

if TYPE_CHECKING:
    from .judging import Context, Failure

Detector = Callable[["Context", "Failure"], "str | None"]


@dataclass(frozen=True)
class Mistake:
    """One catalogued mistake. ``checks`` lists the checks it can explain."""

    id: str
    title: str
    hint: str
    checks: tuple[str, ...]
    detect: Detector


CATALOGUE: dict[str, Mistake] = {}


def mistake(id: str, title: str, hint: str, *, checks: tuple[str, ...] | list[str]):
    """Decorator: add the decorated detector to the catalogue under ``id``."""

    def register(detect: Detector) -> Detector:
        if id in CATALOGUE:
            raise ValueError(f"duplicate mistake id {id!r}")
        CATALOGUE[id] = Mistake(id, title, hint, tuple(checks), detect)
        return detect

    return register


def diagnose(context: Context) -> tuple[Mistake, str, Failure] | None:
    """The first catalogued mistake that explains one of ``context.failures``, in order."""
    candidates = [m for m in CATALOGUE.values() if context.check in m.checks]
    for failure in context.failures:
        for entry in candidates:
            try:
                with np.errstate(all="ignore"):
                    detail = entry.detect(context, failure)
            except Exception:  # a detector that cannot read strange data simply does not match
                continue
            if detail is not None:
                return entry, detail, failure
    return None


# -- helpers the detectors share -------------------------------------------------------------


def _shape(array: np.ndarray) -> str:
    return str(tuple(int(n) for n in array.shape))


def _failing(context: Context, name: str) -> list[str]:
    """Keys of failed quantities called ``name`` (``"dinputs"``...)."""
    return [f.quantity.key for f in context.failures if f.quantity.name == name]


def _case(context: Context, key: str) -> dict[str, Any]:
    return context.spec[key.partition(".")[0]]


def _times(factor: float) -> str:
    return f"{factor:g}"


# =============================================================================================
# Dense layer (ch09, ch14)
# =============================================================================================

DENSE = ("dense_forward", "dense_backward", "dense_regularization")


@mistake(
    "dense_weights_transposed",
    "weights stored transposed",
    "The book stores weights as (n_inputs, n_neurons): "
    "self.weights = 0.01 * np.random.randn(n_inputs, n_neurons), so that forward is "
    "np.dot(inputs, self.weights) + self.biases with no transpose anywhere.",
    checks=(*DENSE, "dense_init"),
)
def _dense_weights_transposed(context: Context, failure: Failure) -> str | None:
    created = context.array("rect.init_weights")
    case = context.spec["rect"]
    if created is not None and created.shape == (case["n_neurons"], case["n_inputs"]):
        return (
            f"your constructor creates weights of shape {_shape(created)}; expected "
            f"(n_inputs, n_neurons) = {(case['n_inputs'], case['n_neurons'])}"
        )
    return None


@mistake(
    "dense_forward_transposed_weights",
    "forward uses the weights transposed",
    "With weights of shape (n_inputs, n_neurons) the forward pass is "
    "np.dot(inputs, self.weights) + self.biases: no .T.",
    checks=("dense_forward",),
)
def _dense_forward_transposed(context: Context, failure: Failure) -> str | None:
    case = context.spec["square"]
    if context.matches("square.output", case["X"] @ case["W"].T + case["b"]):
        return (
            "with square weights your output equals np.dot(inputs, weights.T) + biases "
            "(with non-square weights that product fails)"
        )
    return None


@mistake(
    "dense_output_transposed",
    "output transposed",
    "Compute np.dot(inputs, self.weights) + self.biases: one row per sample, "
    "shape (n_samples, n_neurons).",
    checks=("dense_forward",),
)
def _dense_output_transposed(context: Context, failure: Failure) -> str | None:
    key = failure.quantity.key
    if failure.quantity.name == "output" and context.matches(key, context.expected[key].T):
        return f"expected shape {_shape(context.expected[key])}, received its transpose"
    return None


@mistake(
    "dense_forward_missing_biases",
    "biases not added",
    "The layer's output is np.dot(inputs, self.weights) + self.biases; the biases (1, n_neurons) "
    "broadcast over the rows.",
    checks=("dense_forward",),
)
def _dense_forward_missing_biases(context: Context, failure: Failure) -> str | None:
    key = failure.quantity.key
    if failure.quantity.name == "output":
        case = _case(context, key)
        if context.matches(key, case["X"] @ case["W"]):
            return "your output equals np.dot(inputs, weights) without the biases"
    return None


@mistake(
    "dense_dweights_transposed",
    "your dweights look transposed",
    "dweights = np.dot(self.inputs.T, dvalues): it has the weights' shape (n_inputs, n_neurons).",
    checks=("dense_backward", "dense_regularization"),
)
def _dense_dweights_transposed(context: Context, failure: Failure) -> str | None:
    key = failure.quantity.key
    if failure.quantity.name != "dweights":
        return None
    expected = context.expected[key]
    if context.matches(key, expected.T):
        if expected.shape[0] == expected.shape[1]:
            return "with square weights your dweights equal the transpose of the expected ones"
        received = context.array(key)
        return f"expected shape {_shape(expected)}, received {_shape(received)}"
    return None


@mistake(
    "dense_dinputs_untransposed_weights",
    "dinputs computed with un-transposed weights",
    "dinputs = np.dot(dvalues, self.weights.T): the gradient flows back through the weights "
    "transposed, giving shape (n_samples, n_inputs).",
    checks=("dense_backward", "dense_regularization"),
)
def _dense_dinputs_untransposed(context: Context, failure: Failure) -> str | None:
    case = context.spec["square"]
    if context.matches("square.dinputs", case["dvalues"] @ case["W"]):
        return (
            "with square weights your dinputs equal np.dot(dvalues, weights) (no .T); "
            "with non-square weights that product fails or has the wrong shape"
        )
    return None


@mistake(
    "dense_dbiases_no_keepdims",
    "dbiases lost its row dimension (missing keepdims=True)",
    "dbiases = np.sum(dvalues, axis=0, keepdims=True): shape (1, n_neurons), like the biases.",
    checks=("dense_backward", "dense_regularization"),
)
def _dense_dbiases_no_keepdims(context: Context, failure: Failure) -> str | None:
    key = failure.quantity.key
    received = context.array(key)
    if failure.quantity.name != "dbiases" or received is None:
        return None
    expected = context.expected[key]
    if received.shape == expected.shape[1:] and context.tolerance(key).allclose(
        received, expected[0]
    ):
        return f"expected shape {_shape(expected)}, received {_shape(received)}"
    return None


@mistake(
    "dense_dbiases_wrong_axis",
    "dbiases summed over the wrong axis",
    "Sum over the samples, axis=0: np.sum(dvalues, axis=0, keepdims=True) gives one value "
    "per neuron.",
    checks=("dense_backward", "dense_regularization"),
)
def _dense_dbiases_wrong_axis(context: Context, failure: Failure) -> str | None:
    key = failure.quantity.key
    received = context.array(key)
    if failure.quantity.name != "dbiases" or received is None:
        return None
    summed = _case(context, key)["dvalues"].sum(axis=1)
    if received.size == summed.size and context.tolerance(key).allclose(
        received.reshape(-1), summed
    ):
        return f"your dbiases (shape {_shape(received)}) hold one sum per sample, not per neuron"
    return None


@mistake(
    "dense_backward_averaged",
    "the dense layer divides its gradients by the number of samples",
    "The loss's backward already divides by the number of samples, and that 1/n reaches the "
    "dense layer inside dvalues. The dense layer's backward only applies the chain rule to the "
    "dvalues it is given: remove your own division.",
    checks=("dense_backward",),
)
def _dense_backward_averaged(context: Context, failure: Failure) -> str | None:
    key = failure.quantity.key
    if failure.quantity.name not in ("dweights", "dbiases", "dinputs"):
        return None
    n = _case(context, key)["X"].shape[0]
    if context.matches(key, context.expected[key] / n):
        return (
            f"your {failure.quantity.name} are {n} times too small ({n} is the number of samples)"
        )
    return None


# =============================================================================================
# ReLU (ch09)
# =============================================================================================


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


# =============================================================================================
# Softmax (ch09)
# =============================================================================================


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


# =============================================================================================
# Categorical cross-entropy and the combined softmax + CCE (ch09)
# =============================================================================================


def _cce_losses(predictions, labels, low=1e-7, high=1 - 1e-7):
    clipped = np.clip(predictions, low, high)
    if labels.ndim == 1:
        return -np.log(clipped[np.arange(len(labels)), labels])
    return -np.log(np.sum(clipped * labels, axis=1))


def _bce_losses(predictions, targets, low=1e-7, high=1 - 1e-7):
    clipped = np.clip(predictions, low, high)
    return np.mean(-(targets * np.log(clipped) + (1 - targets) * np.log(1 - clipped)), axis=-1)


def _loss_variants(context: Context, low, high) -> dict[str, np.ndarray]:
    """Per key, what a loss clipped to [low, high] (None: not clipped there) produces."""
    data = context.spec["data"]
    variants = {}
    for case in ("sparse", "onehot", "main"):
        if context.check == "cce_forward" and case != "main":
            labels = data["Y"] if case == "onehot" else data["y"]
            losses = _cce_losses(data["P"], labels, low, high)
        elif context.check == "bce_forward" and case == "main":
            losses = _bce_losses(data["P"], data["y"], low, high)
        else:
            continue
        variants[f"{case}.losses"] = losses
        variants[f"{case}.mean"] = np.mean(losses)
    return variants


def _reproduces(context: Context, variants: dict[str, np.ndarray]) -> list[str]:
    """Failed keys whose values the variants reproduce (and no failed key they contradict)."""
    failed = [f.quantity.key for f in context.failures if f.quantity.key in variants]
    if not failed or not all(context.matches(k, variants[k]) for k in failed):
        return []
    return failed


@mistake(
    "log_without_clipping",
    "log of predictions that are not clipped",
    "Clip before taking the log: y_pred_clipped = np.clip(y_pred, 1e-7, 1 - 1e-7). A predicted "
    "probability of exactly 0 makes -log(0) infinite (and 0 * log(0) is NaN); clipping both "
    "ends keeps the mean from being pulled towards either side.",
    checks=("cce_forward", "bce_forward"),
)
def _log_without_clipping(context: Context, failure: Failure) -> str | None:
    if failure.kind != "nonfinite":
        return None
    if _reproduces(context, _loss_variants(context, None, None)):
        return "a prediction of exactly 0 (or 1) gives an infinite or NaN loss"
    return None


@mistake(
    "clip_one_side",
    "predictions clipped on one side only",
    "Clip both ends: np.clip(y_pred, 1e-7, 1 - 1e-7). Clipping only the low end leaves "
    "log(1 - p) = -inf at p = 1 and lets a certain, right prediction cost exactly 0, which pulls "
    "the mean loss to one side.",
    checks=("cce_forward", "bce_forward"),
)
def _clip_one_side(context: Context, failure: Failure) -> str | None:
    for low, high, which in ((1e-7, None, "low"), (None, 1 - 1e-7, "high")):
        if _reproduces(context, _loss_variants(context, low, high)):
            return f"your losses match clipping at the {which} end only"
    return None


@mistake(
    "cce_onehot_wrong_axis",
    "one-hot confidences summed over the wrong axis",
    "With one-hot labels the correct-class confidence of each sample is the row sum: "
    "np.sum(y_pred_clipped * y_true, axis=1).",
    checks=("cce_forward",),
)
def _cce_onehot_wrong_axis(context: Context, failure: Failure) -> str | None:
    data = context.spec["data"]
    clipped = np.clip(data["P"], 1e-7, 1 - 1e-7)
    if context.matches("onehot.losses", -np.log(np.sum(clipped * data["Y"], axis=0))):
        return "your one-hot losses have one value per class (axis=0), not one per sample"
    return None


@mistake(
    "onehot_labels_not_handled",
    "one-hot labels not handled",
    "Labels come either sparse, shape (n_samples,), or one-hot, shape (n_samples, n_classes). "
    "Branch on len(y_true.shape): for one-hot labels use np.sum(y_pred_clipped * y_true, axis=1) "
    "(forward), y_true as it is (CCE backward) or np.argmax(y_true, axis=1) (combined backward, "
    "accuracy).",
    checks=("cce_forward", "cce_backward", "softmax_cce_backward", "accuracy_categorical"),
)
def _onehot_not_handled(context: Context, failure: Failure) -> str | None:
    failed = [f.quantity.key for f in context.failures if not f.quantity.mutation]
    if failed and all(k.startswith("onehot.") for k in failed):
        return "everything is right with sparse labels; with one-hot labels it fails"
    return None


LOSS_FORWARD = ("cce_forward", "bce_forward", "mse_forward", "mae_forward")


@mistake(
    "loss_summed_not_averaged",
    "calculate sums the sample losses instead of averaging them",
    "The data loss is the mean of the sample losses: np.mean(sample_losses), so its size does "
    "not grow with the batch.",
    checks=LOSS_FORWARD,
)
def _loss_summed(context: Context, failure: Failure) -> str | None:
    key = failure.quantity.key
    if failure.quantity.name != "mean":
        return None
    losses = context.expected[key.replace(".mean", ".losses")]
    if context.matches(key, np.sum(losses)):
        return f"your loss is {len(losses)} times the mean ({len(losses)} samples)"
    return None


@mistake(
    "loss_mean_wrong_axis",
    "sample losses averaged over the wrong axis",
    "Average over the outputs of each sample: np.mean(..., axis=-1), one loss per sample, "
    "shape (n_samples,).",
    checks=("bce_forward", "mse_forward", "mae_forward"),
)
def _loss_mean_wrong_axis(context: Context, failure: Failure) -> str | None:
    if failure.quantity.key != "main.losses":
        return None
    data = context.spec["data"]
    per_output = {
        "bce_forward": lambda: (
            -(
                data["y"] * np.log(np.clip(data["P"], 1e-7, 1 - 1e-7))
                + (1 - data["y"]) * np.log(1 - np.clip(data["P"], 1e-7, 1 - 1e-7))
            )
        ),
        "mse_forward": lambda: (data["y"] - data["P"]) ** 2,
        "mae_forward": lambda: np.abs(data["y"] - data["P"]),
    }[context.check]()
    for axis, what in ((0, "one value per output"), (None, "a single number")):
        if context.matches("main.losses", np.mean(per_output, axis=axis)):
            return f"your forward returned {what} instead of one loss per sample"
    return None


LOSS_BACKWARD = (
    "cce_backward",
    "softmax_cce_backward",
    "bce_backward",
    "mse_backward",
    "mae_backward",
)


@mistake(
    "gradient_not_averaged",
    "gradient not divided by the number of samples",
    "Divide the loss gradient by the number of samples, samples = len(dvalues): "
    "self.dinputs = self.dinputs / samples. The loss is a mean over samples, so its gradient "
    "carries the 1/n too, and the step size stops depending on the batch size.",
    checks=LOSS_BACKWARD,
)
def _gradient_not_averaged(context: Context, failure: Failure) -> str | None:
    key = failure.quantity.key
    if failure.quantity.name != "dinputs":
        return None
    expected = context.expected[key]
    n = expected.shape[0]
    if context.matches(key, expected * n):
        return (
            f"your dinputs are {n} times too large: did you forget to divide by the number of "
            f"samples ({n})?"
        )
    return None


@mistake(
    "gradient_sign_flipped",
    "gradient has the wrong sign",
    "The gradient points uphill, towards larger loss; check each minus sign against the "
    "derivative (e.g. the CCE gradient is -y_true / dvalues, negative where y_true is 1).",
    checks=("cce_backward", "softmax_cce_backward", "bce_backward", "mse_backward"),
)
def _gradient_sign(context: Context, failure: Failure) -> str | None:
    key = failure.quantity.key
    if failure.quantity.name == "dinputs" and context.matches(key, -context.expected[key]):
        return "your dinputs are the expected ones times -1"
    return None


@mistake(
    "softmax_cce_backward_mutates_dvalues",
    "combined backward changes the softmax outputs it was given",
    "Start from a copy: self.dinputs = dvalues.copy(), then subtract 1 at the correct classes "
    "and divide by the number of samples. Without the copy the softmax output is changed too.",
    checks=("softmax_cce_backward",),
)
def _softmax_cce_mutates(context: Context, failure: Failure) -> str | None:
    if failure.kind == "mutated":
        return "after your backward, the caller's dvalues array no longer holds the softmax outputs"
    return None


@mistake(
    "softmax_cce_missing_subtract",
    "combined backward does not subtract 1 at the correct class",
    "The combined gradient is (softmax_output - y_onehot) / samples: in a copy of dvalues, "
    "each sample's correct-class entry goes down by 1 before the division.",
    checks=("softmax_cce_backward",),
)
def _softmax_cce_missing_subtract(context: Context, failure: Failure) -> str | None:
    data = context.spec["data"]
    n = data["S"].shape[0]
    if context.matches("sparse.dinputs", data["S"] / n):
        return "your dinputs equal softmax_output / samples"
    return None


# =============================================================================================
# Sigmoid and binary cross-entropy (ch16), regression losses (ch17)
# =============================================================================================


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


@mistake(
    "gradient_not_divided_by_outputs",
    "gradient not divided by the number of outputs",
    "The sample loss is a mean over the outputs, so its gradient is divided by "
    "outputs = len(dvalues[0]) as well as by the number of samples.",
    checks=("bce_backward", "mse_backward", "mae_backward"),
)
def _not_divided_by_outputs(context: Context, failure: Failure) -> str | None:
    key = failure.quantity.key
    expected = context.expected[key]
    outputs = expected.shape[1]
    if failure.quantity.name == "dinputs" and context.matches(key, expected * outputs):
        return f"your dinputs are {outputs} times too large ({outputs} outputs per sample)"
    return None


@mistake(
    "mse_missing_factor_2",
    "MSE gradient without the factor 2",
    "The derivative of (y - p)² with respect to p is -2 (y - p): "
    "self.dinputs = -2 * (y_true - dvalues) / outputs / samples.",
    checks=("mse_backward",),
)
def _mse_missing_2(context: Context, failure: Failure) -> str | None:
    key = failure.quantity.key
    if failure.quantity.name == "dinputs" and context.matches(key, context.expected[key] / 2):
        return "your dinputs are exactly half the expected ones"
    return None


@mistake(
    "mae_sign_backwards",
    "MAE gradient with the sign backwards: sign(y - p) instead of sign(p - y)",
    "The derivative of |y - p| with respect to the prediction p is -sign(y - p) = sign(p - y): "
    "the loss grows as p moves away from y. self.dinputs = np.sign(dvalues - y_true) / outputs "
    "/ samples. (Confirm any sign with a numerical derivative.)",
    checks=("mae_backward",),
)
def _mae_sign(context: Context, failure: Failure) -> str | None:
    key = failure.quantity.key
    if failure.quantity.name == "dinputs" and context.matches(key, -context.expected[key]):
        return "your dinputs are the expected ones times -1"
    return None


# =============================================================================================
# Optimizers (ch10): each replays the optimizer with the mistake (optimizers.simulate)
# =============================================================================================

OPTIMIZERS = ("sgd", "sgd_decay", "sgd_momentum", "adagrad", "rmsprop", "adam")
DECAYING = OPTIMIZERS[1:]
ADAPTIVE = ("adagrad", "rmsprop", "adam")


def _replay(context: Context, failure: Failure, *variants: str) -> str | None:
    """Detail text when a replay with one of ``variants`` reproduces every recorded value."""
    from .optimizers import simulate

    for variant in variants:
        replay = simulate(context.spec, variant)
        compared, differs = 0, False
        for key, expected in context.expected.items():
            if context.array(key) is None:
                continue
            if not context.matches(key, replay[key]):
                break
            compared += 1
            differs = differs or not context.tolerance(key).allclose(
                np.asarray(replay[key], dtype=float), np.asarray(expected, dtype=float)
            )
        else:
            if compared and differs:
                return (
                    f"{failure.text.rstrip('.')}; a replay of the optimizer with this mistake "
                    f"reproduces all {compared} of your recorded values"
                )
    return None


@mistake(
    "optimizer_moves_uphill",
    "the optimizer moves the parameters uphill (sign flipped)",
    "Step against the gradient: layer.weights += -self.current_learning_rate * layer.dweights "
    "(note the minus), and the same for the biases and for every optimizer's final update.",
    checks=OPTIMIZERS,
)
def _uphill(context: Context, failure: Failure) -> str | None:
    return _replay(context, failure, "uphill")


@mistake(
    "decay_after_step",
    "learning-rate decay applied after the step",
    "Compute the decayed rate in pre_update_params, before the step, from the number of steps "
    "completed so far; post_update_params only counts the step that was just taken.",
    checks=DECAYING,
)
def _decay_after_step(context: Context, failure: Failure) -> str | None:
    return _replay(context, failure, "decay_in_post", "decay_in_post_early")


@mistake(
    "iterations_incremented_early",
    "iterations incremented before the step",
    "iterations counts completed steps: increment it in post_update_params, after "
    "update_params has run for every layer. The first step uses the undecayed rate.",
    checks=DECAYING,
)
def _iterations_early(context: Context, failure: Failure) -> str | None:
    return _replay(context, failure, "iterations_early")


@mistake(
    "iterations_counted_per_layer",
    "iterations incremented once per layer instead of once per step",
    "update_params runs once for every trainable layer; count steps in post_update_params, "
    "which runs once per step.",
    checks=DECAYING,
)
def _iterations_per_layer(context: Context, failure: Failure) -> str | None:
    return _replay(context, failure, "iterations_per_layer", "iterations_per_layer_and_post")


@mistake(
    "decay_precedence",
    "decay formula missing parentheses",
    "Keep the whole denominator in parentheses: self.learning_rate / (1. + self.decay * "
    "self.iterations), or the book's self.learning_rate * (1. / (1. + self.decay * "
    "self.iterations)). Without them the division happens first: learning_rate / 1. + "
    "decay * iterations, and the rate grows instead of shrinking.",
    checks=DECAYING,
)
def _decay_precedence(context: Context, failure: Failure) -> str | None:
    return _replay(context, failure, "decay_precedence", "decay_precedence_division")


@mistake(
    "decay_compounding",
    "decay applied to the already-decayed rate",
    "Start from the initial rate every step: self.current_learning_rate = self.learning_rate * "
    "(1. / (1. + self.decay * self.iterations)), not self.current_learning_rate * (...).",
    checks=DECAYING,
)
def _decay_compounding(context: Context, failure: Failure) -> str | None:
    return _replay(context, failure, "decay_compounding")


@mistake(
    "momentum_not_stored",
    "momentum updates not stored on the layer",
    "Keep each update for the next step: layer.weight_momentums = weight_updates and "
    "layer.bias_momentums = bias_updates; otherwise every step starts from zero momentum.",
    checks=("sgd_momentum",),
)
def _momentum_not_stored(context: Context, failure: Failure) -> str | None:
    return _replay(context, failure, "momentum_not_stored")


@mistake(
    "momentum_sign",
    "momentum term with the wrong sign",
    "weight_updates = self.momentum * layer.weight_momentums - self.current_learning_rate * "
    "layer.dweights: the previous update is added, so the step keeps its direction.",
    checks=("sgd_momentum",),
)
def _momentum_sign(context: Context, failure: Failure) -> str | None:
    return _replay(context, failure, "momentum_sign")


@mistake(
    "adagrad_cache_replaced",
    "AdaGrad cache replaced instead of accumulated",
    "layer.weight_cache += layer.dweights**2: AdaGrad's cache is the running sum of every "
    "squared gradient so far.",
    checks=("adagrad",),
)
def _adagrad_replaced(context: Context, failure: Failure) -> str | None:
    return _replay(context, failure, "adagrad_cache_replaced")


@mistake(
    "rmsprop_rho_swapped",
    "RMSProp's rho on the wrong term",
    "layer.weight_cache = self.rho * layer.weight_cache + (1 - self.rho) * layer.dweights**2: "
    "rho keeps most of the old cache, 1 - rho lets in a little of the new gradient.",
    checks=("rmsprop",),
)
def _rmsprop_rho(context: Context, failure: Failure) -> str | None:
    return _replay(context, failure, "rmsprop_rho_swapped")


@mistake(
    "epsilon_inside_sqrt",
    "epsilon inside the square root",
    "Add epsilon after the root: (np.sqrt(layer.weight_cache) + self.epsilon).",
    checks=ADAPTIVE,
)
def _epsilon_inside(context: Context, failure: Failure) -> str | None:
    return _replay(context, failure, "epsilon_inside_sqrt")


@mistake(
    "adam_bias_correction_off_by_one",
    "Adam bias correction uses iterations instead of iterations + 1",
    "Divide by 1 - self.beta_1 ** (self.iterations + 1) (and the same with beta_2): on the "
    "first step iterations is 0, and 1 - beta ** 0 = 0 divides by zero.",
    checks=("adam",),
)
def _adam_off_by_one(context: Context, failure: Failure) -> str | None:
    return _replay(context, failure, "adam_correction_iterations")


@mistake(
    "adam_no_bias_correction",
    "Adam without bias correction",
    "Both moments start at zero, so early averages are too small: divide the momentums by "
    "1 - self.beta_1 ** (self.iterations + 1) and the cache by "
    "1 - self.beta_2 ** (self.iterations + 1) before the update.",
    checks=("adam",),
)
def _adam_uncorrected(context: Context, failure: Failure) -> str | None:
    return _replay(context, failure, "adam_no_correction")


_STATE_OF = {
    "sgd_momentum": "weight_momentums",
    "adagrad": "weight_cache",
    "rmsprop": "weight_cache",
    "adam": "weight_cache",
}


@mistake(
    "optimizer_state_not_on_layer",
    "optimizer state kept on the optimizer instead of on each layer",
    "Each layer needs its own momentums and caches, shaped like its parameters: create them on "
    "the layer (if not hasattr(layer, 'weight_cache'): layer.weight_cache = "
    "np.zeros_like(layer.weights)) and update them there.",
    checks=tuple(_STATE_OF),
)
def _state_not_on_layer(context: Context, failure: Failure) -> str | None:
    from .capture import is_missing

    name = _STATE_OF[context.check]
    if is_missing(context.values.get(f"run.s1.L0.{name}")):
        return f"after update_params(layer) the layer has no {name} attribute"
    return None


# =============================================================================================
# L1 and L2 regularization (ch14)
# =============================================================================================


def _sign_book(values: np.ndarray) -> np.ndarray:
    """The book's L1 derivative: +1 at exactly 0."""
    return np.where(values < 0, -1.0, 1.0)


def _regularization_variant(context: Context, failure: Failure, variant: str) -> bool:
    """Whether the failed dweights/dbiases/dinputs match the gradient with ``variant``."""
    key = failure.quantity.key
    name = failure.quantity.name
    strengths = context.spec["regularizers"]
    case = _case(context, key)
    expected = context.expected[key]
    if name == "dinputs":
        if variant != "to_dinputs":
            return False
        l1, l2 = strengths["weight_regularizer_l1"], strengths["weight_regularizer_l2"]
        inputs = case["X"]
        return context.matches(key, expected + l1 * _sign_book(inputs) + 2 * l2 * inputs)
    if name not in ("dweights", "dbiases") or variant == "to_dinputs":
        return False
    prefix, values = ("weight", case["W"]) if name == "dweights" else ("bias", case["b"])
    l1, l2 = strengths[f"{prefix}_regularizer_l1"], strengths[f"{prefix}_regularizer_l2"]
    data = expected - l1 * _sign_book(values) - 2 * l2 * values
    candidates = {
        "sign_zero": data + l1 * np.sign(values) + 2 * l2 * values,
        "no_factor_2": data + l1 * _sign_book(values) + l2 * values,
        "missing": data,
    }
    return context.matches(key, candidates[variant])


REGULARIZED = ("dense_regularization",)


@mistake(
    "l1_derivative_zero_at_zero",
    "L1 derivative taken as 0 where a parameter is exactly 0",
    "The book's L1 gradient is +1 at exactly 0: dL1 = np.ones_like(self.weights); "
    "dL1[self.weights < 0] = -1 (np.sign gives 0 there).",
    checks=REGULARIZED,
)
def _l1_zero(context: Context, failure: Failure) -> str | None:
    if _regularization_variant(context, failure, "sign_zero"):
        return f"your {failure.quantity.name} match np.sign, which is 0 at the zero parameters"
    return None


@mistake(
    "l2_missing_factor_2",
    "L2 gradient without the factor 2",
    "The derivative of λ·w² is 2·λ·w: self.dweights += 2 * self.weight_regularizer_l2 * "
    "self.weights (and the same for the biases).",
    checks=REGULARIZED,
)
def _l2_factor(context: Context, failure: Failure) -> str | None:
    if _regularization_variant(context, failure, "no_factor_2"):
        return f"your {failure.quantity.name} add λ·w instead of 2·λ·w"
    return None


@mistake(
    "regularization_added_to_dinputs",
    "regularization gradient added to dinputs",
    "The penalty depends on the weights and biases, not on the inputs: add its gradient to "
    "self.dweights and self.dbiases; dinputs = np.dot(dvalues, self.weights.T) stays as it is.",
    checks=REGULARIZED,
)
def _reg_to_dinputs(context: Context, failure: Failure) -> str | None:
    if _regularization_variant(context, failure, "to_dinputs"):
        return "your dinputs carry a penalty gradient computed from the inputs"
    return None


@mistake(
    "regularization_missing_for_biases",
    "regularization gradient forgotten for the biases",
    "The biases have their own strengths: add bias_regularizer_l1 * dL1 and "
    "2 * bias_regularizer_l2 * self.biases to self.dbiases.",
    checks=REGULARIZED,
)
def _reg_missing_biases(context: Context, failure: Failure) -> str | None:
    if failure.quantity.name == "dbiases" and _regularization_variant(context, failure, "missing"):
        return "your dbiases are the data gradient alone"
    return None


@mistake(
    "regularization_missing_for_weights",
    "regularization gradient forgotten for the weights",
    "After dweights = np.dot(self.inputs.T, dvalues), add the penalty's gradient: "
    "weight_regularizer_l1 * dL1 and 2 * weight_regularizer_l2 * self.weights.",
    checks=REGULARIZED,
)
def _reg_missing_weights(context: Context, failure: Failure) -> str | None:
    if failure.quantity.name == "dweights" and _regularization_variant(context, failure, "missing"):
        return "your dweights are the data gradient alone"
    return None


def _penalty_variant(context: Context, **change: bool) -> bool:
    """Whether every penalty the learner returned matches the book's with ``change``."""
    keys = [key for key in context.expected if context.array(key) is not None]
    if not keys or not any(context.failed(key) for key in keys):
        return False
    for key in keys:
        case = _case(context, key)
        strengths = case["strengths"]
        total = 0.0
        for prefix, values in (("weight", case["W"]), ("bias", case["b"])):
            if prefix == "bias" and change.get("no_biases"):
                continue
            l1 = strengths[f"{prefix}_regularizer_l1"]
            l2 = strengths[f"{prefix}_regularizer_l2"]
            if l1 > 0:
                total += l1 * np.sum(values if change.get("no_abs") else np.abs(values))
            if l2 > 0:
                squared = np.abs(values) if change.get("not_squared") else values * values
                total += l2 * np.sum(squared)
        if not context.matches(key, total):
            return False
    return True


@mistake(
    "penalty_l1_without_abs",
    "L1 penalty without the absolute value",
    "L1 sums magnitudes: weight_regularizer_l1 * np.sum(np.abs(layer.weights)); without "
    "np.abs, positive and negative weights cancel.",
    checks=("regularization_loss",),
)
def _penalty_no_abs(context: Context, failure: Failure) -> str | None:
    return (
        "your penalties match Σw instead of Σ|w|"
        if _penalty_variant(context, no_abs=True)
        else None
    )


@mistake(
    "penalty_l2_not_squared",
    "L2 penalty without squaring",
    "L2 sums squares: weight_regularizer_l2 * np.sum(layer.weights * layer.weights).",
    checks=("regularization_loss",),
)
def _penalty_not_squared(context: Context, failure: Failure) -> str | None:
    if _penalty_variant(context, not_squared=True):
        return "your penalties match Σ|w| where Σw² belongs"
    return None


@mistake(
    "penalty_missing_biases",
    "penalty leaves out the biases",
    "Add the biases' terms too: bias_regularizer_l1 * np.sum(np.abs(layer.biases)) and "
    "bias_regularizer_l2 * np.sum(layer.biases * layer.biases).",
    checks=("regularization_loss",),
)
def _penalty_no_biases(context: Context, failure: Failure) -> str | None:
    if _penalty_variant(context, no_biases=True):
        return "your penalties match the weights' terms alone"
    return None


# =============================================================================================
# Dropout (ch15)
# =============================================================================================


def _dropout_masks(context: Context) -> dict[str, np.ndarray]:
    from .dropout import reference_mask

    spec = context.spec
    keep = 1 - spec["rate"]
    scaled = reference_mask(spec)
    return {
        "unscaled": scaled * keep,
        "rate_as_keep": reference_mask(spec, keep=spec["rate"]),
        "scaled": scaled,
    }


@mistake(
    "dropout_rate_as_keep",
    "dropout rate used as the keep probability",
    "rate is the fraction to *drop*: store self.rate = 1 - rate and draw "
    "np.random.binomial(1, self.rate, size=inputs.shape) / self.rate. With rate=0.1 the layer "
    "must keep 90% of the values, not 10%.",
    checks=("dropout",),
)
def _dropout_rate_as_keep(context: Context, failure: Failure) -> str | None:
    from .dropout import structural_mask

    spec = context.spec
    rate = spec["rate"]
    if context.matches("main.output", spec["X"] * _dropout_masks(context)["rate_as_keep"]) or (
        structural_mask(context, rate) is not None
    ):
        kept = context.array("main.output")
        share = float(np.mean(kept != 0)) if kept is not None else float("nan")
        return (
            f"your layer keeps {share:.0%} of the values; with rate={rate} it should keep "
            f"{1 - rate:.0%}"
        )
    return None


@mistake(
    "dropout_not_rescaled",
    "dropout mask not divided by the keep rate",
    "Inverted dropout scales the kept values up: mask = np.random.binomial(1, self.rate, "
    "size=inputs.shape) / self.rate (self.rate being the keep rate), so the expected sum is "
    "unchanged and nothing needs rescaling at inference.",
    checks=("dropout",),
)
def _dropout_unscaled(context: Context, failure: Failure) -> str | None:
    from .dropout import structural_mask

    if context.matches("main.output", context.spec["X"] * _dropout_masks(context)["unscaled"]) or (
        structural_mask(context, 1.0) is not None
    ):
        return "the values you keep are unchanged instead of divided by the keep rate"
    return None


@mistake(
    "dropout_backward_without_mask",
    "dropout backward ignores the mask",
    "Gradients flow only through the kept values, scaled like them: "
    "self.dinputs = dvalues * self.binary_mask.",
    checks=("dropout",),
)
def _dropout_backward_no_mask(context: Context, failure: Failure) -> str | None:
    if failure.quantity.name == "dinputs" and context.matches(
        "main.dinputs", context.spec["dvalues"]
    ):
        return "your dinputs equal dvalues"
    return None


@mistake(
    "dropout_active_at_inference",
    "dropout still drops values at inference",
    "With training=False the layer passes its inputs through: "
    "if not training: self.output = inputs.copy(); return.",
    checks=("dropout",),
)
def _dropout_at_inference(context: Context, failure: Failure) -> str | None:
    received = context.array("main.inference")
    if failure.quantity.name == "inference" and received is not None:
        inputs = context.spec["X"]
        if received.shape == inputs.shape and np.sum((received == 0) & (inputs != 0)) > 0:
            dropped = float(np.mean((received == 0) & (inputs != 0)))
            return f"forward(inputs, training=False) zeroed {dropped:.0%} of the values"
    return None


# =============================================================================================
# Accuracy (ch17, ch18) and the Model (ch18)
# =============================================================================================


@mistake(
    "accuracy_binary_flag_ignored",
    "binary=True ignored: 2-D targets turned into class indices",
    "Only categorical labels are one-hot: convert with np.argmax(y, axis=1) only when "
    "not self.binary and len(y.shape) == 2; binary targets are compared element-wise.",
    checks=("accuracy_categorical",),
)
def _binary_ignored(context: Context, failure: Failure) -> str | None:
    failed = [f.quantity.key for f in context.failures]
    if failed == ["binary.accuracy"]:
        return "sparse and one-hot labels work; Accuracy_Categorical(binary=True) does not"
    return None


@mistake(
    "regression_precision_not_scaled",
    "regression precision not divided by 250",
    "The book's precision is np.std(y) / 250: a prediction counts as right within a small "
    "fraction of the targets' spread.",
    checks=("accuracy_regression",),
)
def _precision_unscaled(context: Context, failure: Failure) -> str | None:
    if context.matches("run.precision", np.std(context.spec["first"]["y"])):
        return "your precision equals np.std(y)"
    return None


@mistake(
    "regression_precision_reinit_ignored",
    "precision recomputed on every init (reinit ignored)",
    "Compute the precision once: if self.precision is None or reinit: "
    "self.precision = np.std(y) / 250. Validation must be judged with the training precision.",
    checks=("accuracy_regression",),
)
def _reinit_ignored(context: Context, failure: Failure) -> str | None:
    if context.matches("run.precision_kept", np.std(context.spec["second"]["y"]) / 250):
        return "a second init(y2) without reinit=True changed your precision"
    return None


@mistake(
    "model_training_flag_not_passed",
    "Model.forward does not hand the training flag to the layers",
    "Pass it on to every layer: layer.forward(layer.prev.output, training); dropout needs it "
    "to switch itself off at inference.",
    checks=("model_forward_chain",),
)
def _training_flag(context: Context, failure: Failure) -> str | None:
    if failure.quantity.name != "flags":
        return None
    received = context.array(failure.quantity.key)
    if received is not None and received.size and np.all(received == -1):
        return "the layers received no training argument"
    if received is not None and received.size:
        training = failure.quantity.key.endswith("training")
        return f"with training={training} the layers received another value"
    return None


# =============================================================================================
# A weighted sum, a neuron, a layer of neurons (ch01-ch03)
# =============================================================================================


def _neuron_candidate(context: Context, key: str, products) -> np.ndarray | None:
    """What the learner's one-number output would be if ``products`` were summed as they are,
    plus the bias once (for a neuron); ``None`` when the key is not such an output."""
    case = _case(context, key)
    if context.check not in ("weighted_sum", "neuron_output"):
        return None
    return np.asarray(products(case["X"], case["w"]) + case.get("b", 0.0))


@mistake(
    "products_not_summed",
    "products not added up",
    "The output is one number: multiply each input by its weight and add all the products, "
    "e.g. sum(x * w for x, w in zip(inputs, self.weights)), or np.dot(self.weights, inputs), "
    "which does both steps at once.",
    checks=("weighted_sum", "neuron_output"),
)
def _products_not_summed(context: Context, failure: Failure) -> str | None:
    key = failure.quantity.key
    if failure.quantity.name != "output":
        return None
    candidate = _neuron_candidate(context, key, lambda x, w: x * w)
    if candidate is not None and context.matches(key, candidate):
        return f"your output holds the {candidate.size} separate products, not their sum"
    return None


@mistake(
    "input_left_out",
    "an input left out of the sum",
    "Every input counts once: loop over zip(inputs, self.weights), or over "
    "range(len(inputs)), which already stops at the last index, len(inputs) - 1.",
    checks=("weighted_sum", "neuron_output"),
)
def _input_left_out(context: Context, failure: Failure) -> str | None:
    key = failure.quantity.key
    if failure.quantity.name != "output":
        return None
    for which, part in (("last", slice(None, -1)), ("first", slice(1, None))):
        candidate = _neuron_candidate(context, key, lambda x, w, p=part: np.dot(x[p], w[p]))
        if candidate is not None and context.matches(key, candidate):
            return f"your output is the sum without the {which} input's product"
    return None


@mistake(
    "bias_added_per_input",
    "bias added once per input",
    "The bias belongs to the neuron, not to each input: add it once, after the products are "
    "summed: np.dot(self.weights, inputs) + self.bias.",
    checks=("neuron_output",),
)
def _bias_per_input(context: Context, failure: Failure) -> str | None:
    key = failure.quantity.key
    if failure.quantity.name != "output":
        return None
    case = _case(context, key)
    n = len(case["X"])
    if context.matches(key, np.dot(case["X"], case["w"]) + n * case["b"]):
        return f"your output is the weighted sum plus {n} times the bias ({n} inputs)"
    return None


def _without_bias(check: str, case: dict[str, Any]) -> np.ndarray:
    if check == "neuron_output":
        return np.asarray(np.dot(case["X"], case["w"]))
    if check == "layer_output":
        return case["W"] @ case["X"]
    return case["X"] @ case["W"].T


@mistake(
    "bias_forgotten",
    "bias not added",
    "Each neuron adds its own bias to its weighted sum: + self.bias for one neuron; "
    "+ self.biases for a layer, where NumPy adds biases[j] to neuron j's output (in every row "
    "of a batch).",
    checks=("neuron_output", "layer_output", "layer_batch"),
)
def _bias_forgotten(context: Context, failure: Failure) -> str | None:
    key = failure.quantity.key
    if failure.quantity.name == "output" and context.matches(
        key, _without_bias(context.check, _case(context, key))
    ):
        return "your output is the weighted sum alone"
    return None


@mistake(
    "layer_inputs_weights_swapped",
    "np.dot(inputs, weights) instead of np.dot(weights, inputs)",
    "With one row of weights per neuron, np.dot(self.weights, inputs) takes the dot product of "
    "each row with the inputs: one number per neuron. np.dot(inputs, self.weights) pairs the "
    "inputs with the columns instead, and fails outright when the layer is not square.",
    checks=("layer_output",),
)
def _layer_swapped(context: Context, failure: Failure) -> str | None:
    case = context.spec["square"]
    if context.matches("square.output", case["X"] @ case["W"] + case["b"]):
        return "with 3 inputs and 3 neurons your output equals np.dot(inputs, weights) + biases"
    return None


@mistake(
    "batch_weights_not_transposed",
    "weights not transposed for a batch",
    "inputs has one row per sample and weights one row per neuron, so every sample must meet "
    "every neuron's row: np.dot(inputs, self.weights.T) + self.biases, of shape "
    "(n_samples, n_neurons).",
    checks=("layer_batch",),
)
def _batch_not_transposed(context: Context, failure: Failure) -> str | None:
    case = context.spec["square"]
    if context.matches("square.output", case["X"] @ case["W"] + case["b"]):
        return (
            "with 3 samples, 3 inputs and 3 neurons your output equals np.dot(inputs, weights) "
            "+ biases (with other sizes that product fails)"
        )
    return None


@mistake(
    "batch_single_sample_formula",
    "chapter 2's one-sample formula used on a batch",
    "np.dot(self.weights, inputs) is right for one sample, a vector. A batch holds one sample "
    "per row, so transpose the weights instead: np.dot(inputs, self.weights.T) + self.biases.",
    checks=("layer_batch",),
)
def _batch_single_sample(context: Context, failure: Failure) -> str | None:
    case = context.spec["square"]
    if context.matches("square.output", case["W"] @ case["X"] + case["b"]):
        return "with 3 samples, 3 inputs and 3 neurons your output equals np.dot(weights, inputs)"
    return None


@mistake(
    "batch_output_transposed",
    "output transposed: a row per neuron instead of a row per sample",
    "np.dot(inputs, self.weights.T) + self.biases gives (n_samples, n_neurons): one row per "
    "sample, the layout the next layer expects as its inputs.",
    checks=("layer_batch",),
)
def _batch_output_transposed(context: Context, failure: Failure) -> str | None:
    key = failure.quantity.key
    if failure.quantity.name != "output":
        return None
    case = _case(context, key)
    expected = context.expected[key]
    if context.matches(key, expected.T) or context.matches(
        key, case["W"] @ case["X"].T + case["b"]
    ):
        return f"expected shape {_shape(expected)}: your output is laid out neurons by samples"
    return None


# =============================================================================================
# The dense layer's starting weights and biases (ch03)
# =============================================================================================


@mistake(
    "dense_init_zero_weights",
    "weights start at zero",
    "Neurons with identical weights compute identical outputs and get identical updates, so "
    "they never learn different things: start from small random values, "
    "self.weights = 0.01 * np.random.randn(n_inputs, n_neurons).",
    checks=("dense_init",),
)
def _init_zero(context: Context, failure: Failure) -> str | None:
    weights = context.array("rect.init_weights")
    if weights is not None and weights.size and np.all(weights == 0):
        return f"all {weights.size} weights are 0"
    return None


@mistake(
    "dense_init_uniform",
    "weights drawn from [0, 1) (np.random.rand) instead of a normal distribution",
    "np.random.randn draws from the standard normal distribution, negative as often as "
    "positive; np.random.rand draws only from [0, 1): "
    "self.weights = 0.01 * np.random.randn(n_inputs, n_neurons).",
    checks=("dense_init",),
)
def _init_uniform(context: Context, failure: Failure) -> str | None:
    weights = context.array("rect.init_weights")
    if weights is not None and weights.size > 1 and np.all(weights >= 0) and np.any(weights > 0):
        return f"none of your {weights.size} weights is negative"
    return None


@mistake(
    "dense_init_reseeded",
    "every new layer starts with the same weights",
    "Do not call np.random.seed in the constructor: it restarts the random numbers, so every "
    "layer of a shape gets the same weights. Seed once, at the top of a notebook, or not at all.",
    checks=("dense_init",),
)
def _init_reseeded(context: Context, failure: Failure) -> str | None:
    first, second = context.array("rect.init_weights"), context.array("again.init_weights")
    if (
        first is not None
        and second is not None
        and first.shape == second.shape
        and first.size > 1
        and np.any(first != first.flat[0])
        and np.array_equal(first, second)
    ):
        return "two layers built one after the other got identical weights"
    return None


@mistake(
    "dense_init_scale",
    "weights not scaled by 0.01",
    "Multiply the standard normal draws by 0.01: "
    "self.weights = 0.01 * np.random.randn(n_inputs, n_neurons). Small starting weights keep "
    "the first outputs small, so training starts from a calm, undecided network.",
    checks=("dense_init",),
)
def _init_scale(context: Context, failure: Failure) -> str | None:
    from .basics import WEIGHT_SCALE

    key = "rect.init_weights"
    weights, expected = context.array(key), context.expected[key]
    if weights is None or weights.shape != expected.shape or not np.all(np.isfinite(weights)):
        return None
    ratio = float(np.sum(weights * expected) / np.sum(expected * expected))
    if abs(ratio - 1) > 1e-3 and context.matches(key, expected * ratio):
        scale = WEIGHT_SCALE * ratio
        if abs(scale - 1) < 1e-6:
            return "your weights are plain np.random.randn draws, without the factor 0.01"
        return f"your weights are {scale:.3g} × np.random.randn draws, not 0.01 ×"
    spread = float(weights.std())
    if spread > 0 and abs(spread / WEIGHT_SCALE - 1) > 0.5:
        return f"your weights' standard deviation is {spread:.3g}; 0.01 * randn gives about 0.01"
    return None


@mistake(
    "dense_biases_flat",
    "biases created as a flat vector",
    "Make the biases a row, np.zeros((1, n_neurons)), shaped like one row of the layer's "
    "output. The shape is one argument, a tuple, hence the double parentheses.",
    checks=("dense_init",),
)
def _biases_flat(context: Context, failure: Failure) -> str | None:
    biases = context.array("rect.init_biases")
    n_neurons = context.spec["rect"]["n_neurons"]
    if failure.quantity.name == "init_biases" and biases is not None and biases.ndim == 1:
        return f"your biases have shape {_shape(biases)}; expected (1, {n_neurons})"
    return None


# =============================================================================================
# Step activation (ch04)
# =============================================================================================


@mistake(
    "step_one_at_zero",
    "step gives 1 at exactly 0",
    "The step is 1 only where the input is greater than 0: np.where(inputs > 0, 1, 0), or "
    "(inputs > 0) * 1. An input of exactly 0 gives 0.",
    checks=("step_activation",),
)
def _step_at_zero(context: Context, failure: Failure) -> str | None:
    inputs = context.spec["main"]["X"]
    if context.matches("main.output", np.where(inputs >= 0, 1.0, 0.0)):
        return f"the {int(np.sum(inputs == 0))} inputs that are exactly 0 gave 1"
    return None


@mistake(
    "step_sign",
    "step computed as the sign (-1 for negative inputs)",
    "The step's outputs are 0 and 1, never -1: np.where(inputs > 0, 1, 0). np.sign gives -1 "
    "below 0.",
    checks=("step_activation",),
)
def _step_sign(context: Context, failure: Failure) -> str | None:
    if context.matches("main.output", np.sign(context.spec["main"]["X"])):
        return "your output equals np.sign(inputs)"
    return None


# =============================================================================================
# Generic entries: last, so that a specific entry above wins when both match
# =============================================================================================

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
)
def _input_modified(context: Context, failure: Failure) -> str | None:
    if failure.kind == "mutated":
        return f"{failure.quantity.label} was different after your code ran"
    return None
