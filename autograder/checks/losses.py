"""Checks for the losses: categorical cross-entropy and the combined softmax + CCE (ch09),
binary cross-entropy (ch16), mean squared and mean absolute error (ch17).

A forward check compares the per-sample losses ``forward(y_pred, y_true)`` returns and the
mean ``calculate(y_pred, y_true)`` returns. Predictions include exact 0s and 1s where the
book clips them (to [1e-7, 1 - 1e-7]) so that an unclipped or half-clipped log shows.

A backward check compares ``self.dinputs`` after ``backward(dvalues, y_true)``. For the
categorical loss the predictions handed to backward stay inside the clip range: the book's
backward divides by them unclipped (the reference clips), and both are right there.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from nnfs_core import (
    BinaryCrossentropy,
    CategoricalCrossentropy,
    MeanAbsoluteError,
    MeanSquaredError,
    SoftmaxCategoricalCrossentropy,
)

from .capture import Recorder
from .judging import StagedCheck, witness_indices
from .shared import GENERAL, Context, Failure, Quantity, mistake, register

CLIP = 1e-7


def softmax_rows(logits: np.ndarray) -> np.ndarray:
    exponentials = np.exp(logits - logits.max(axis=1, keepdims=True))
    return exponentials / exponentials.sum(axis=1, keepdims=True)


def one_hot(labels: np.ndarray, n_classes: int) -> np.ndarray:
    # Built without np.eye/np.zeros' defaults, which nnfs.init() turns into float32.
    encoded = np.zeros((labels.shape[0], n_classes), dtype=np.float64)
    encoded[np.arange(labels.shape[0]), labels] = 1.0
    return encoded


def _categorical(rng: np.random.RandomState, *, edges: bool) -> dict[str, Any]:
    n_samples, n_classes = 6 + rng.randint(3), 3
    labels = rng.randint(n_classes, size=n_samples)
    predictions = softmax_rows(1.5 * rng.standard_normal((n_samples, n_classes)))
    if edges:
        # Row 0: certain and right (p = 1: the upper clip matters); row 1: the correct class
        # has p = 0 (the lower clip matters).
        predictions[0] = 0.0
        predictions[0, labels[0]] = 1.0
        other = (labels[1] + 1) % n_classes
        predictions[1] = 0.0
        predictions[1, other] = 0.75
        predictions[1, (other + 1) % n_classes] = 0.25
    else:
        predictions = 0.02 + 0.94 * predictions  # well inside the clip range, rows not normalised
    return {"P": predictions, "y": labels, "Y": one_hot(labels, n_classes)}


def _binary(rng: np.random.RandomState) -> dict[str, Any]:
    n_samples, n_outputs = 6 + rng.randint(3), 2
    targets = rng.randint(2, size=(n_samples, n_outputs)).astype(np.float64)
    predictions = rng.uniform(0.05, 0.95, size=(n_samples, n_outputs))
    # p exactly 0 or 1, each with either target: log(0) appears unless both ends are clipped.
    for row, (output, p, y) in enumerate(
        ((0, 1.0, 0.0), (1, 0.0, 1.0), (0, 1.0, 1.0), (1, 0.0, 0.0))
    ):
        predictions[row, output], targets[row, output] = p, y
    return {"P": predictions, "y": targets}


def _regression(rng: np.random.RandomState) -> dict[str, Any]:
    n_samples, n_outputs = 6 + rng.randint(3), 2
    return {
        "P": rng.standard_normal((n_samples, n_outputs)),
        "y": rng.standard_normal((n_samples, n_outputs)),
    }


def _at_edge(case: dict[str, Any], gap: float = 1e-3):
    predictions, targets = case["P"], case.get("y")

    def avoid(index: tuple[int, ...]) -> bool:
        p = predictions[index]
        near_target = (
            targets is not None
            and np.ndim(targets) == 2
            and abs(p - targets[index]) < gap  # |p - y| has a kink there (MAE)
        )
        return p < gap or p > 1 - gap or bool(near_target)

    return avoid


class _LossCheck(StagedCheck):
    stages = ("construct", "forward", "calculate", "backward")
    reference: type = CategoricalCrossentropy
    cases: tuple[str, ...] = ("main",)
    backward = False
    #: For regression losses the kink test is |p - y|, not p near 0 or 1.
    regression = False

    def draw(self, rng: np.random.RandomState) -> dict[str, Any]:  # pragma: no cover
        raise NotImplementedError

    def targets(self, case: dict[str, Any], name: str) -> np.ndarray:
        return case["Y"] if name == "onehot" else case["y"]

    def build(self, seed: int) -> dict[str, Any]:
        rng = np.random.RandomState(seed)
        case = self.draw(rng)
        if self.regression:
            avoid = lambda i: abs(case["P"][i] - case["y"][i]) < 1e-3  # noqa: E731
        else:
            avoid = _at_edge({"P": case["P"]})
        case["witness"] = witness_indices(rng, case["P"].shape, 4, avoid=avoid)
        return {"data": case}

    def exercise(self, recorder: Recorder, learner: Any, spec: dict[str, Any]) -> None:
        data = spec["data"]
        for name in self.cases:
            loss = recorder.construct(f"{name}.construct", learner)
            if loss is None:
                continue
            predictions = data["P"].copy()
            targets = self.targets(data, name)
            if self.backward:
                ok, returned = recorder.invoke(
                    f"{name}.backward", loss, "backward", predictions, targets.copy()
                )
                recorder.keep_attribute(f"{name}.dinputs", loss, "dinputs")
                recorder.keep(f"{name}.dinputs_returned", returned)
                recorder.keep(f"{name}.dvalues_after", predictions)
                if ok and name == self.cases[0]:
                    recorder.keep_witness(
                        f"{name}.dinputs",
                        lambda values, o=loss, t=targets: o.forward(values, t.copy()),
                        data["P"],
                        data["witness"],
                    )
                continue
            ok, losses = recorder.invoke(
                f"{name}.forward", loss, "forward", predictions, targets.copy()
            )
            recorder.keep(f"{name}.losses", losses)
            recorder.keep(f"{name}.pred_after", predictions)
            if not ok:
                continue
            ok, mean = recorder.invoke(
                f"{name}.calculate", loss, "calculate", data["P"].copy(), targets.copy()
            )
            recorder.keep(f"{name}.mean", mean)

    def expect(self, spec: dict[str, Any]) -> dict[str, Any]:
        data = spec["data"]
        expected: dict[str, Any] = {}
        for name in self.cases:
            targets = self.targets(data, name)
            reference = self.reference()
            losses = reference.forward(data["P"].copy(), targets.copy())
            expected[f"{name}.losses"] = losses
            expected[f"{name}.mean"] = np.float64(np.mean(losses))
            expected[f"{name}.pred_after"] = data["P"]
            expected[f"{name}.dinputs"] = reference.backward(data["P"].copy(), targets.copy())
            expected[f"{name}.dvalues_after"] = data["P"]
        return expected

    def quantities(self, spec: dict[str, Any]) -> list[Quantity]:
        found = []
        first = self.cases[0]
        for name in self.cases:
            labels = (
                f" ({'one-hot' if name == 'onehot' else 'sparse'} labels)"
                if len(self.cases) > 1
                else ""
            )
            if self.backward:
                found.append(
                    Quantity(
                        f"{name}.dinputs",
                        f"self.dinputs{labels}",
                        "dinputs",
                        f"{name}.backward",
                        "after backward(dvalues, y_true)",
                        witness=f"{name}.dinputs" if name == first else None,
                    )
                )
            else:
                found += [
                    Quantity(
                        f"{name}.losses",
                        f"the sample losses forward returned{labels}",
                        "losses",
                        f"{name}.forward",
                        "forward(y_pred, y_true)",
                    ),
                    Quantity(
                        f"{name}.mean",
                        f"the loss calculate returned{labels}",
                        "mean",
                        f"{name}.calculate",
                        "calculate(y_pred, y_true)",
                    ),
                ]
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
        else:
            found.append(
                Quantity(
                    f"{first}.pred_after",
                    "the y_pred array passed to forward",
                    "pred_after",
                    f"{first}.forward",
                    "during forward",
                    mutation=True,
                )
            )
        return found

    def objective(self, spec, witness, output, index=None, delta=0.0):
        if output.ndim != 1 or output.shape[0] != spec["data"]["P"].shape[0]:
            return None
        return float(np.mean(output))


class _Categorical(_LossCheck):
    reference = CategoricalCrossentropy
    cases = ("sparse", "onehot")

    def draw(self, rng: np.random.RandomState) -> dict[str, Any]:
        return _categorical(rng, edges=not self.backward)


@register
class CCEForward(_Categorical):
    name = "cce_forward"
    title = "Loss_CategoricalCrossentropy forward and calculate"


@register
class CCEBackward(_Categorical):
    name = "cce_backward"
    title = "Loss_CategoricalCrossentropy.backward"
    backward = True


class _Binary(_LossCheck):
    reference = BinaryCrossentropy

    def draw(self, rng: np.random.RandomState) -> dict[str, Any]:
        return _binary(rng)


@register
class BCEForward(_Binary):
    name = "bce_forward"
    title = "Loss_BinaryCrossentropy forward and calculate"


@register
class BCEBackward(_Binary):
    name = "bce_backward"
    title = "Loss_BinaryCrossentropy.backward"
    backward = True


class _Regression(_LossCheck):
    regression = True

    def draw(self, rng: np.random.RandomState) -> dict[str, Any]:
        return _regression(rng)


@register
class MSEForward(_Regression):
    name = "mse_forward"
    title = "Loss_MeanSquaredError forward and calculate"
    reference = MeanSquaredError


@register
class MSEBackward(_Regression):
    name = "mse_backward"
    title = "Loss_MeanSquaredError.backward"
    reference = MeanSquaredError
    backward = True


@register
class MAEForward(_Regression):
    name = "mae_forward"
    title = "Loss_MeanAbsoluteError forward and calculate"
    reference = MeanAbsoluteError


@register
class MAEBackward(_Regression):
    name = "mae_backward"
    title = "Loss_MeanAbsoluteError.backward"
    reference = MeanAbsoluteError
    backward = True


@register
class SoftmaxCCEBackward(StagedCheck):
    """The combined class: ``forward(inputs, y_true)`` returns the mean loss and sets
    ``self.output`` (the softmax); ``backward(dvalues, y_true)`` gets the softmax outputs."""

    name = "softmax_cce_backward"
    title = "Activation_Softmax_Loss_CategoricalCrossentropy forward and backward"
    stages = ("construct", "forward", "backward")
    cases = ("sparse", "onehot")

    def build(self, seed: int) -> dict[str, Any]:
        rng = np.random.RandomState(seed)
        n_samples, n_classes = 6 + rng.randint(3), 3 + rng.randint(2)
        labels = rng.randint(n_classes, size=n_samples)
        logits = 1.5 * rng.standard_normal((n_samples, n_classes))
        return {
            "data": {
                "Z": logits,
                "S": softmax_rows(logits),
                "y": labels,
                "Y": one_hot(labels, n_classes),
                "witness": witness_indices(rng, logits.shape, 4),
            }
        }

    def exercise(self, recorder: Recorder, learner: Any, spec: dict[str, Any]) -> None:
        data = spec["data"]
        for name in self.cases:
            targets = data["Y"] if name == "onehot" else data["y"]
            combined = recorder.construct(f"{name}.construct", learner)
            if combined is None:
                continue
            ok, loss = recorder.invoke(
                f"{name}.forward", combined, "forward", data["Z"].copy(), targets.copy()
            )
            recorder.keep(f"{name}.loss", loss)
            recorder.keep_attribute(f"{name}.output", combined, "output")
            if not ok:
                continue
            dvalues = data["S"].copy()
            ok, returned = recorder.invoke(
                f"{name}.backward", combined, "backward", dvalues, targets.copy()
            )
            recorder.keep_attribute(f"{name}.dinputs", combined, "dinputs")
            recorder.keep(f"{name}.dinputs_returned", returned)
            recorder.keep(f"{name}.dvalues_after", dvalues)
            if ok and name == "sparse":
                recorder.keep_witness(
                    "sparse.dinputs",
                    lambda values, c=combined, t=targets: c.forward(values, t.copy()),
                    data["Z"],
                    data["witness"],
                )

    def expect(self, spec: dict[str, Any]) -> dict[str, Any]:
        data = spec["data"]
        expected: dict[str, Any] = {}
        for name in self.cases:
            targets = data["Y"] if name == "onehot" else data["y"]
            reference = SoftmaxCategoricalCrossentropy()
            expected[f"{name}.loss"] = np.float64(reference.forward(data["Z"].copy(), targets))
            expected[f"{name}.output"] = reference.output
            expected[f"{name}.dinputs"] = reference.backward(data["S"].copy(), targets)
            expected[f"{name}.dvalues_after"] = data["S"]
        return expected

    def quantities(self, spec: dict[str, Any]) -> list[Quantity]:
        forward, backward = "after forward(inputs, y_true)", "after backward(dvalues, y_true)"
        return [
            Quantity("sparse.output", "self.output", "output", "sparse.forward", forward),
            Quantity("sparse.loss", "the loss forward returned", "loss", "sparse.forward", forward),
            Quantity(
                "sparse.dinputs",
                "self.dinputs",
                "dinputs",
                "sparse.backward",
                backward,
                witness="sparse.dinputs",
            ),
            Quantity(
                "onehot.loss",
                "the loss forward returned (one-hot labels)",
                "loss",
                "onehot.forward",
                forward,
            ),
            Quantity(
                "onehot.dinputs",
                "self.dinputs (one-hot labels)",
                "dinputs",
                "onehot.backward",
                backward,
            ),
            Quantity(
                "sparse.dvalues_after",
                "the dvalues array passed to backward",
                "dvalues_after",
                "sparse.backward",
                "during backward",
                mutation=True,
            ),
        ]

    def objective(self, spec, witness, output, index=None, delta=0.0):
        return float(output.reshape(-1)[0]) if output.size == 1 else None


# -- the mistakes this family's checks name ---------------------------------------------
# Tried by priority (shared.EARLY, SPECIFIC, GENERAL, LAST), then in the order written here.


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
    "Clip both ends: np.clip(y_pred, 1e-7, 1 - 1e-7). The low end keeps -log(p) finite at "
    "p = 0; the high end keeps log(1 - p) finite at p = 1 and stops a certain, right "
    "prediction from costing exactly 0, which would pull the mean loss to one side.",
    checks=("cce_forward", "bce_forward"),
)
def _clip_one_side(context: Context, failure: Failure) -> str | None:
    for low, high, which, missing in (
        (1e-7, None, "low", "no upper bound 1 - 1e-7"),
        (None, 1 - 1e-7, "high", "no lower bound 1e-7"),
    ):
        if _reproduces(context, _loss_variants(context, low, high)):
            return f"your losses match clipping at the {which} end only ({missing})"
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


#: Per check: the method that must handle one-hot labels.
_ONEHOT_METHOD = {
    "cce_forward": "forward",
    "cce_backward": "backward",
    "softmax_cce_backward": "backward",
    "accuracy_categorical": "compare",
}


@mistake(
    "onehot_labels_not_handled",
    "one-hot labels not handled",
    "Labels come either sparse, shape (n_samples,), or one-hot, shape (n_samples, n_classes). "
    "Branch on len(y_true.shape): for one-hot labels use np.sum(y_pred_clipped * y_true, axis=1) "
    "(forward), y_true as it is (CCE backward) or np.argmax(y_true, axis=1) (combined backward, "
    "accuracy).",
    checks=("cce_forward", "cce_backward", "softmax_cce_backward", "accuracy_categorical"),
    priority=GENERAL,
)
def _onehot_not_handled(context: Context, failure: Failure) -> str | None:
    failed = [f.quantity.key for f in context.failures if not f.quantity.mutation]
    if failed and all(k.startswith("onehot.") for k in failed):
        return (
            "everything is right with sparse labels; with one-hot labels your "
            f"{_ONEHOT_METHOD[context.check]} fails"
        )
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
    "The gradient points uphill, towards larger loss: compare each minus sign with the "
    "book's derivative: CCE -y_true / dvalues, the combined softmax and CCE (softmax output "
    "- one-hot y_true), BCE -(y_true / p - (1 - y_true) / (1 - p)) / outputs, MSE "
    "-2 * (y_true - dvalues) / outputs, each divided by the number of samples.",
    checks=("cce_backward", "softmax_cce_backward", "bce_backward", "mse_backward"),
)
def _gradient_sign(context: Context, failure: Failure) -> str | None:
    key = failure.quantity.key
    if failure.quantity.name == "dinputs" and context.matches(key, -context.expected[key]):
        return "your dinputs are the expected ones times -1"
    return None


# -- categorical cross-entropy: one slip in the formula ----------------------------------
# Replayed on the check's own predictions, per label case (sparse, one-hot), one slip at a
# time; the sign and the 1/n have entries of their own (a factor on the whole result).


def _cce_forward_variants(data: dict[str, Any]) -> dict[str, np.ndarray]:
    """Per description, the sample losses (sparse labels) a forward with that slip returns."""
    rows = np.arange(data["P"].shape[0])
    clipped = np.clip(data["P"], CLIP, 1 - CLIP)[rows, data["y"]]
    return {
        "np.log is missing (-picked instead of -np.log(picked))": -clipped,
        "the upper clip bound is 1e-7, not 1 - 1e-7, so every prediction becomes 1e-7": (
            np.full_like(clipped, -np.log(CLIP))
        ),
    }


def _cce_backward_variants(data: dict[str, Any]) -> dict[str, np.ndarray]:
    """Per description, the dinputs a backward with that slip returns (one-hot targets)."""
    targets, n = data["Y"], data["P"].shape[0]
    clipped = np.clip(data["P"], CLIP, 1 - CLIP)
    return {
        "y_true is not divided by the predictions (-y_true / samples)": -targets / n,
        "y_true is multiplied by the predictions instead of divided": -targets * clipped / n,
        "y_true is missing (-1 / predictions)": -1 / clipped / n,
        "the upper clip bound is 1e-7, not 1 - 1e-7, so every prediction becomes 1e-7": (
            -targets / CLIP / n
        ),
    }


@mistake(
    "cce_formula_slip",
    "one part of the categorical cross-entropy is wrong",
    "Forward: clipped = np.clip(y_pred, 1e-7, 1 - 1e-7), each sample's loss is "
    "-np.log(clipped at its correct class). Backward: self.dinputs = -y_true / clipped / "
    "samples, with y_true one-hot and clipped = np.clip(dvalues, 1e-7, 1 - 1e-7). Fix the one "
    "part the details name.",
    checks=("cce_forward", "cce_backward"),
)
def _cce_formula_slip(context: Context, failure: Failure) -> str | None:
    data = context.spec["data"]
    # Both label cases pick the same confidences and give the same gradient; every failed
    # case must match the slip, and the details say which case it is in if only one failed.
    forward = context.check == "cce_forward"
    name = "losses" if forward else "dinputs"
    failed = [case for case in ("sparse", "onehot") if context.failed(f"{case}.{name}")]
    if failure.quantity.key not in [f"{case}.{name}" for case in failed]:
        return None
    variants = _cce_forward_variants(data) if forward else _cce_backward_variants(data)
    where = (
        ""
        if len(failed) == 2
        else f" with {'one-hot' if failed[0] == 'onehot' else 'sparse'} labels"
    )
    what = "sample losses match the formula" if forward else "dinputs match the gradient"
    for text, values in variants.items():
        if all(context.matches(f"{case}.{name}", values) for case in failed):
            return f"your {what}{where} where {text}"
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
    if context.matches("sparse.dinputs", (data["S"] + data["Y"]) / n):
        return (
            "your dinputs equal (softmax_output + y_true) / samples: the 1 at the correct "
            "class is added, not subtracted"
        )
    return None


@mistake(
    "bce_backward_not_clipped",
    "BCE backward divides by predictions that are not clipped (right, but numerically fragile)",
    "Clip in backward as in forward: clipped_dvalues = np.clip(dvalues, 1e-7, 1 - 1e-7), then "
    "divide by clipped_dvalues and 1 - clipped_dvalues. Your formula is right wherever a "
    "prediction lies strictly between 0 and 1, but a prediction of exactly 0 or 1 (a sigmoid "
    "saturates to them in float64) makes y_true / dvalues or (1 - y_true) / (1 - dvalues) a "
    "division by zero: infinity, or 0 / 0 = NaN.",
    checks=("bce_backward",),
)
def _bce_backward_unclipped(context: Context, failure: Failure) -> str | None:
    if failure.kind != "nonfinite" or failure.quantity.name != "dinputs":
        return None
    data = context.spec["data"]
    predictions, targets = data["P"], data["y"]
    samples, outputs = predictions.shape
    unclipped = -(targets / predictions - (1 - targets) / (1 - predictions)) / outputs / samples
    if not context.matches(failure.quantity.key, unclipped):
        return None
    edges = int(np.sum((predictions == 0) | (predictions == 1)))
    return (
        f"your dinputs are the book's formula on unclipped predictions: the {edges} predictions "
        "that are exactly 0 or 1 give infinity or NaN, every other value is right"
    )


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
        detail = f"your dinputs are {outputs} times too large ({outputs} outputs per sample)"
        if outputs == 2:  # the data cannot tell this from a stray factor 2: say so
            detail += "; if you do divide by the outputs, look for a factor 2 too many"
        return detail
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


# Found with autograder/mutation: a slip in one part of the binary cross-entropy (a term, a
# log, a 1 -, the sign between the terms) got only the generic mismatch. The formula is
# replayed with one slip at a time on the check's predictions (clipped as the book clips).


def _bce_parts(data: dict[str, Any]) -> tuple[np.ndarray, np.ndarray]:
    return data["y"], np.clip(data["P"], 1e-7, 1 - 1e-7)


#: The sample loss's inner sum y log p + (1 - y) log (1 - p) with one slip, by description.
_BCE_FORWARD_SLIPS = {
    "the two terms are subtracted, not added": lambda y, p: y * np.log(p) - (1 - y) * np.log(1 - p),
    "the y_true * log(p) term is missing": lambda y, p: (1 - y) * np.log(1 - p),
    "the (1 - y_true) * log(1 - p) term is missing": lambda y, p: y * np.log(p),
    "np.log is missing in the first term": lambda y, p: y * p + (1 - y) * np.log(1 - p),
    "np.log is missing in the second term": lambda y, p: y * np.log(p) + (1 - y) * (1 - p),
    "y_true is missing in the first term": lambda y, p: np.log(p) + (1 - y) * np.log(1 - p),
    "(1 - y_true) is missing in the second term": lambda y, p: y * np.log(p) + np.log(1 - p),
    "1 - y_true is written y_true": lambda y, p: y * np.log(p) + y * np.log(1 - p),
    "1 - y_true is written 1 + y_true": lambda y, p: y * np.log(p) + (1 + y) * np.log(1 - p),
    "log(1 - p) is written log(p)": lambda y, p: y * np.log(p) + (1 - y) * np.log(p),
    "np.log(p) is missing from the first term (y_true alone)": lambda y, p: (
        y + (1 - y) * np.log(1 - p)
    ),
    "np.log(1 - p) is missing from the second term ((1 - y_true) alone)": lambda y, p: (
        y * np.log(p) + (1 - y)
    ),
    "1 - y_true is written 1": lambda y, p: y * np.log(p) + np.log(1 - p),
    "log(1 - p) is written log(1 + p)": lambda y, p: y * np.log(p) + (1 - y) * np.log(1 + p),
}


def _bce_forward_variants(data: dict[str, Any]) -> dict[str, np.ndarray]:
    """Per description, the sample losses a forward with that slip returns."""
    y, p = _bce_parts(data)
    book = y * np.log(p) + (1 - y) * np.log(1 - p)
    found = {"the minus sign in front is missing": np.mean(book, axis=-1)}
    squeezed = np.full_like(p, 1e-7)  # np.clip(y_pred, 1e-7, 1e-7): the "1 -" left out
    found["the upper clip bound is 1e-7, not 1 - 1e-7"] = np.mean(
        -(y * np.log(squeezed) + (1 - y) * np.log(1 - squeezed)), axis=-1
    )
    found["the outputs are summed, not averaged"] = np.sum(-book, axis=-1)
    with np.errstate(all="ignore"):
        for text, inner in _BCE_FORWARD_SLIPS.items():
            found[text] = np.mean(-inner(y, p), axis=-1)
    return found


@mistake(
    "bce_formula_slip",
    "one part of the binary cross-entropy is wrong",
    "Each sample's loss is np.mean(-(y_true * np.log(clipped) + (1 - y_true) * "
    "np.log(1 - clipped)), axis=-1), with clipped = np.clip(y_pred, 1e-7, 1 - 1e-7): two "
    "terms, added, each with its log, the whole sum negated, averaged over the outputs. Fix "
    "the one part the details name.",
    checks=("bce_forward",),
    priority=GENERAL,
)
def _bce_forward_slip(context: Context, failure: Failure) -> str | None:
    keys = [f"main.{name}" for name in ("losses", "mean")]
    if not any(context.failed(key) for key in keys):
        return None
    for text, losses in _bce_forward_variants(context.spec["data"]).items():
        if context.matches("main.losses", losses) and (
            context.array("main.mean") is None or context.matches("main.mean", np.mean(losses))
        ):
            return f"your sample losses match the formula where {text}"
    return None


#: The gradient's bracket y / p - (1 - y) / (1 - p) with one slip, by description.
_BCE_BACKWARD_SLIPS = {
    "the two fractions are added, not subtracted": lambda y, p: y / p + (1 - y) / (1 - p),
    "the (1 - y_true) / (1 - p) fraction is missing": lambda y, p: y / p,
    "the y_true / p fraction is missing": lambda y, p: -(1 - y) / (1 - p),
    "y_true is not divided by p": lambda y, p: y - (1 - y) / (1 - p),
    "(1 - y_true) is not divided by (1 - p)": lambda y, p: y / p - (1 - y),
    "1 - y_true is written y_true": lambda y, p: y / p - y / (1 - p),
    "1 - y_true is written 1 + y_true": lambda y, p: y / p - (1 + y) / (1 - p),
    "1 - p is written p": lambda y, p: y / p - (1 - y) / p,
    "1 - p is written 1 + p": lambda y, p: y / p - (1 - y) / (1 + p),
    "1 - y_true is written 1": lambda y, p: y / p - 1 / (1 - p),
}


@mistake(
    "bce_gradient_slip",
    "one part of the binary cross-entropy gradient is wrong",
    "self.dinputs = -(y_true / clipped - (1 - y_true) / (1 - clipped)) / outputs / samples, "
    "with clipped = np.clip(dvalues, 1e-7, 1 - 1e-7), outputs = len(dvalues[0]) and samples = "
    "len(dvalues): two fractions, subtracted, the whole negated. Fix the one part the details "
    "name.",
    checks=("bce_backward",),
    priority=GENERAL,
)
def _bce_backward_slip(context: Context, failure: Failure) -> str | None:
    if failure.quantity.name != "dinputs":
        return None
    key = failure.quantity.key
    y, p = _bce_parts(context.spec["data"])
    samples, outputs = p.shape
    with np.errstate(all="ignore"):
        for text, bracket in _BCE_BACKWARD_SLIPS.items():
            if context.matches(key, -bracket(y, p) / outputs / samples):
                return f"your dinputs match the gradient where {text}"
        squeezed = np.full_like(p, 1e-7)
        if context.matches(key, -(y / squeezed - (1 - y) / (1 - squeezed)) / outputs / samples):
            return "your dinputs match the gradient with the upper clip bound 1e-7, not 1 - 1e-7"
        # Clipped on one side only: infinity or NaN exactly where a prediction reaches the
        # unclipped end, the book's values everywhere else.
        received = context.array(key)
        raw = context.spec["data"]["P"]
        for low, high, text in ((0.0, 1 - 1e-7, "at 0 (lower bound 0)"), (1e-7, 1.0, "at 1")):
            q = np.clip(raw, low, high)
            wrong = -(y / q - (1 - y) / (1 - q)) / outputs / samples
            finite = np.isfinite(wrong)
            if (
                received is not None
                and received.shape == wrong.shape
                and not finite.all()
                and np.array_equal(np.isfinite(received), finite)
                and context.tolerance(key).allclose(received[finite], wrong[finite])
            ):
                return (
                    f"your dinputs match the gradient with predictions left unclipped {text}: "
                    "both ends need clipping, np.clip(dvalues, 1e-7, 1 - 1e-7)"
                )
    return None


# Found with autograder/mutation: a slip inside the regression losses (the difference's sign,
# a missing square, abs or sign) got only the generic mismatch. Replayed one slip at a time.

#: Per check: description -> (y, p) -> the sample losses or the gradient before / outputs /
#: samples (the gradients; a forward's losses are averaged over the outputs).
_REGRESSION_SLIPS = {
    "mse_forward": {
        "the difference is not squared": lambda y, p: y - p,
        "the difference is y_true + y_pred": lambda y, p: (y + p) ** 2,
        "y_pred is left out of the difference": lambda y, p: y**2,
        "np.abs is used where the square belongs": lambda y, p: np.abs(y - p),
    },
    "mae_forward": {
        "np.abs is left out": lambda y, p: y - p,
        "the difference is y_true + y_pred": lambda y, p: np.abs(y + p),
        "y_pred is left out of the difference": lambda y, p: np.abs(y),
        "the difference is squared where np.abs belongs": lambda y, p: (y - p) ** 2,
    },
    "mse_backward": {
        "the difference is y_true + y_pred": lambda y, p: -2 * (y + p),
        "y_pred is left out of the difference": lambda y, p: -2 * y,
        "the factor -2 is left out": lambda y, p: y - p,
        "the factor is 2, not -2": lambda y, p: 2 * (y - p),
    },
    "mae_backward": {
        "np.sign is left out": lambda y, p: p - y,
        "the difference is y_pred + y_true": lambda y, p: np.sign(p + y),
        "y_true is left out of the difference": lambda y, p: np.sign(p),
    },
}

_REGRESSION_FORMULA = {
    "mse_forward": "np.mean((y_true - y_pred) ** 2, axis=-1)",
    "mae_forward": "np.mean(np.abs(y_true - y_pred), axis=-1)",
    "mse_backward": "-2 * (y_true - dvalues) / outputs / samples",
    "mae_backward": "np.sign(dvalues - y_true) / outputs / samples",
}


@mistake(
    "regression_loss_slip",
    "one part of the regression loss or its gradient is wrong",
    "MSE: np.mean((y_true - y_pred) ** 2, axis=-1), gradient -2 * (y_true - dvalues) / "
    "outputs / samples; MAE: np.mean(np.abs(y_true - y_pred), axis=-1), gradient "
    "np.sign(dvalues - y_true) / outputs / samples. Fix the one part the details name.",
    checks=tuple(_REGRESSION_SLIPS),
    priority=GENERAL,
)
def _regression_slip(context: Context, failure: Failure) -> str | None:
    data = context.spec["data"]
    y, p = data["y"], data["P"]
    backward = context.check.endswith("backward")
    key = "main.dinputs" if backward else "main.losses"
    if context.array(key) is None or not context.failed(key):
        return None
    samples, outputs = p.shape
    for text, slip in _REGRESSION_SLIPS[context.check].items():
        value = slip(y, p)
        value = value / outputs / samples if backward else np.mean(value, axis=-1)
        if context.matches(key, value):
            return (
                f"your {'dinputs' if backward else 'sample losses'} match the formula where {text}"
            )
    return None
