"""Accuracy classes (ch17 regression accuracy, ch18 categorical accuracy).

``accuracy_categorical`` builds ``Accuracy_Categorical()`` and ``Accuracy_Categorical(binary=True)``
and compares what ``calculate(predictions, y)`` returns for sparse labels, one-hot labels and
binary 0/1 outputs of shape (n_samples, 2).

``accuracy_regression`` follows the book's protocol: ``init(y)`` sets ``precision`` to
``std(y) / 250`` the first time only, ``init(y, reinit=True)`` recomputes it; ``calculate``
counts predictions within ``precision`` of the target. Predictions sit at chosen multiples of
the precision (never close to 1), so a strict or loose comparison cannot tip a value over.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from nnfs_core import CategoricalAccuracy, RegressionAccuracy

from .capture import Recorder
from .judging import StagedCheck
from .losses import one_hot
from .shared import GENERAL, Context, Failure, Quantity, mistake, register

#: Multiples of the precision the predictions are placed at: within (< 1) or outside (> 1).
OFFSETS = (0.1, 0.3, 0.6, 0.85, 1.2, 1.6, 2.5, 4.0)


@register
class CategoricalAccuracyCheck(StagedCheck):
    name = "accuracy_categorical"
    title = "Accuracy_Categorical"
    stages = ("construct", "calculate")
    cases = ("sparse", "onehot", "binary")

    def build(self, seed: int) -> dict[str, Any]:
        rng = np.random.RandomState(seed)
        n_samples, n_classes = 12 + rng.randint(5), 3
        labels = rng.randint(n_classes, size=n_samples)
        predictions = labels.copy()
        wrong = rng.permutation(n_samples)[: n_samples // 3]
        predictions[wrong] = (labels[wrong] + 1 + rng.randint(2, size=len(wrong))) % n_classes
        targets = rng.randint(2, size=(n_samples, 2))
        outputs = targets.copy()
        flipped = rng.permutation(targets.size)[: targets.size // 4]
        outputs.flat[flipped] = 1 - outputs.flat[flipped]
        return {
            "sparse": {"predictions": predictions, "y": labels},
            "onehot": {"predictions": predictions, "y": one_hot(labels, n_classes)},
            "binary": {"predictions": outputs, "y": targets},
        }

    def exercise(self, recorder: Recorder, learner: Any, spec: dict[str, Any]) -> None:
        for name in self.cases:
            kwargs = {"binary": True} if name == "binary" else {}
            accuracy = recorder.construct(f"{name}.construct", learner, **kwargs)
            if accuracy is None:
                continue
            case = spec[name]
            _, value = recorder.invoke(
                f"{name}.calculate",
                accuracy,
                "calculate",
                case["predictions"].copy(),
                case["y"].copy(),
            )
            recorder.keep(f"{name}.accuracy", value)

    def expect(self, spec: dict[str, Any]) -> dict[str, Any]:
        expected = {}
        for name in self.cases:
            reference = CategoricalAccuracy(binary=name == "binary")
            case = spec[name]
            expected[f"{name}.accuracy"] = np.float64(
                reference.calculate(case["predictions"], case["y"])
            )
        return expected

    def quantities(self, spec: dict[str, Any]) -> list[Quantity]:
        shown = {
            "sparse": "Accuracy_Categorical(), sparse labels",
            "onehot": "Accuracy_Categorical(), one-hot labels",
            "binary": "Accuracy_Categorical(binary=True)",
        }
        return [
            Quantity(
                f"{name}.accuracy",
                f"the accuracy calculate returned ({shown[name]})",
                "accuracy",
                f"{name}.calculate",
                "calculate(predictions, y)",
            )
            for name in self.cases
        ]


@register
class RegressionAccuracyCheck(StagedCheck):
    name = "accuracy_regression"
    title = "Accuracy_Regression"
    stages = (
        "construct",
        "init",
        "calculate",
        "init_again",
        "calculate_again",
        "reinit",
        "calculate_reinit",
    )

    def build(self, seed: int) -> dict[str, Any]:
        rng = np.random.RandomState(seed)
        n_samples = 40
        first = np.sin(2 * np.pi * np.arange(n_samples) / n_samples).reshape(-1, 1)
        second = 3.0 * rng.standard_normal((n_samples, 1))
        data = {}
        for name, targets in (("first", first), ("second", second)):
            precision = float(np.std(targets) / 250)
            offsets = rng.choice(OFFSETS, size=targets.shape) * rng.choice(
                [-1.0, 1.0], size=targets.shape
            )
            data[name] = {"y": targets, "predictions": targets + offsets * precision}
        return data

    def exercise(self, recorder: Recorder, learner: Any, spec: dict[str, Any]) -> None:
        accuracy = recorder.construct("run.construct", learner)
        if accuracy is None:
            return
        first, second = spec["first"], spec["second"]
        steps = (
            ("init", "init", (first["y"].copy(),), {}, "precision"),
            (
                "calculate",
                "calculate",
                (first["predictions"].copy(), first["y"].copy()),
                {},
                "accuracy",
            ),
            ("init_again", "init", (second["y"].copy(),), {}, "precision_kept"),
            (
                "calculate_again",
                "calculate",
                (first["predictions"].copy(), first["y"].copy()),
                {},
                "accuracy_kept",
            ),
            ("reinit", "init", (second["y"].copy(),), {"reinit": True}, "precision_reinit"),
            (
                "calculate_reinit",
                "calculate",
                (second["predictions"].copy(), second["y"].copy()),
                {},
                "accuracy_reinit",
            ),
        )
        for stage, method, args, kwargs, key in steps:
            ok, value = recorder.invoke(f"run.{stage}", accuracy, method, *args, **kwargs)
            if method == "init":
                recorder.keep_attribute(f"run.{key}", accuracy, "precision")
            else:
                recorder.keep(f"run.{key}", value)
            if not ok:
                return

    def expect(self, spec: dict[str, Any]) -> dict[str, Any]:
        first, second = spec["first"], spec["second"]
        reference = RegressionAccuracy()
        expected: dict[str, Any] = {}
        reference.init(first["y"])
        expected["run.precision"] = np.float64(reference.precision)
        expected["run.accuracy"] = np.float64(reference.calculate(first["predictions"], first["y"]))
        reference.init(second["y"])
        expected["run.precision_kept"] = np.float64(reference.precision)
        expected["run.accuracy_kept"] = np.float64(
            reference.calculate(first["predictions"], first["y"])
        )
        reference.init(second["y"], reinit=True)
        expected["run.precision_reinit"] = np.float64(reference.precision)
        expected["run.accuracy_reinit"] = np.float64(
            reference.calculate(second["predictions"], second["y"])
        )
        return expected

    def quantities(self, spec: dict[str, Any]) -> list[Quantity]:
        rows = (
            ("precision", "self.precision after init(y)", "init", "init(y)"),
            (
                "accuracy",
                "the accuracy calculate returned",
                "calculate",
                "calculate(predictions, y)",
            ),
            (
                "precision_kept",
                "self.precision after a second init(y2) without reinit",
                "init_again",
                "init(y2)",
            ),
            (
                "accuracy_kept",
                "the accuracy calculate returned after init(y2)",
                "calculate_again",
                "calculate(predictions, y)",
            ),
            (
                "precision_reinit",
                "self.precision after init(y2, reinit=True)",
                "reinit",
                "init(y2, reinit=True)",
            ),
            (
                "accuracy_reinit",
                "the accuracy calculate returned after reinit",
                "calculate_reinit",
                "calculate(predictions2, y2)",
            ),
        )
        return [
            Quantity(f"run.{key}", label, key, f"run.{stage}", after)
            for key, label, stage, after in rows
        ]


# -- the mistakes this family's checks name ---------------------------------------------
# Tried by priority (shared.EARLY, SPECIFIC, GENERAL, LAST), then in the order written here.


@mistake(
    "accuracy_binary_flag_ignored",
    "binary=True ignored: 2-D targets turned into class indices",
    "Only categorical labels are one-hot: convert with np.argmax(y, axis=1) only when "
    "not self.binary and len(y.shape) == 2; binary targets are compared element-wise.",
    checks=("accuracy_categorical",),
)
def _binary_ignored(context: Context, failure: Failure) -> str | None:
    failed = [f.quantity.key for f in context.failures]
    if failed != ["binary.accuracy"]:
        return None
    # The premise: the binary targets were turned into class indices. Compared with the
    # (n_samples, 2) predictions, those indices either fail to broadcast (a ValueError) or,
    # when the predictions were reduced the same way, give the argmax accuracy.
    error = context.error("binary.calculate")
    case = context.spec["binary"]
    indices = np.argmax(case["y"], axis=1)
    reduced = np.mean(np.argmax(case["predictions"], axis=1) == indices)
    if error is not None and error.get("type") != "ValueError":
        return None
    if error is None and not context.matches("binary.accuracy", reduced):
        return None
    return (
        "sparse and one-hot labels work; with Accuracy_Categorical(binary=True) your "
        "calculate treats the 2-D targets as one-hot labels"
    )


# Found with autograder/mutation: calculate returning the count of right predictions got only
# the generic mismatch. Replayed on every failed case with the book's comparison.


def _categorical_comparisons(case: dict[str, Any], binary: bool) -> np.ndarray:
    y = case["y"]
    if not binary and y.ndim == 2:
        y = np.argmax(y, axis=1)
    return case["predictions"] == y


@mistake(
    "accuracy_counted_not_averaged",
    "calculate returns the number of right predictions, not their share",
    "The accuracy is the share of right predictions, between 0 and 1: return "
    "np.mean(comparisons), not np.sum(comparisons).",
    checks=("accuracy_categorical",),
)
def _categorical_counted(context: Context, failure: Failure) -> str | None:
    if failure.quantity.name != "accuracy" or failure.kind != "values":
        return None
    for other in context.failures:
        case = other.quantity.key.partition(".")[0]
        comparisons = _categorical_comparisons(context.spec[case], case == "binary")
        right = int(np.sum(comparisons))
        if right in (0, 1) or not context.matches(other.quantity.key, right):
            return None
    case = failure.quantity.key.partition(".")[0]
    total = _categorical_comparisons(context.spec[case], case == "binary").size
    return f"{failure.quantity.label} is the count of right comparisons out of {total}"


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
    "regression_precision_never_set",
    "init(y) leaves self.precision unset",
    "The first init must compute it: if self.precision is None or reinit: self.precision = "
    "np.std(y) / 250. Check that the condition is true on the first call (precision still "
    "None) and that the assignment stores on self, not in a local name.",
    checks=("accuracy_regression",),
)
def _precision_never_set(context: Context, failure: Failure) -> str | None:
    if failure.quantity.key != "run.precision" or failure.kind not in ("none", "missing"):
        return None
    if context.error("run.init") is not None:
        return None  # init raised: its exception says where
    return "init(y) ran without an error, and afterwards self.precision is still not a number"


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


# Found with autograder/mutation: a slip in the comparison or in the averaging of the
# regression accuracy got only the generic mismatch. Replayed on the check's predictions, with
# the book's precision (the precision's own slips have entries above).


@mistake(
    "regression_accuracy_slip",
    "the regression accuracy compares or averages wrongly",
    "compare returns np.absolute(predictions - y) < self.precision (one True or False per "
    "value), and calculate returns np.mean of those comparisons: the share within precision. "
    "Fix the one part the details name.",
    checks=("accuracy_regression",),
    priority=GENERAL,
)
def _regression_accuracy_slip(context: Context, failure: Failure) -> str | None:
    if failure.quantity.key != "run.accuracy" or context.failed("run.precision"):
        return None
    case = context.spec["first"]
    p, y = case["predictions"], case["y"]
    precision = float(np.std(y) / 250)
    slips = {
        "the difference is predictions + y": np.mean(np.abs(p + y) < precision),
        "y is left out (np.absolute(predictions) < precision)": np.mean(np.abs(p) < precision),
        "np.absolute is left out": np.mean((p - y) < precision),
        "the comparison is >, so it counts the values outside precision": np.mean(
            np.abs(p - y) > precision
        ),
        "calculate sums the comparisons instead of averaging them": np.sum(
            np.abs(p - y) < precision
        ),
    }
    for text, value in slips.items():
        if context.matches("run.accuracy", value):
            return f"your accuracy matches the formula where {text}"
    return None
