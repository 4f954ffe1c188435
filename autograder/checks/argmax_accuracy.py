"""Chapter 5's accuracy: the share of samples whose most confident class is the right one.

``accuracy_argmax`` checks ``Accuracy_Argmax().calculate(softmax_outputs, class_targets)``
(the chapter 5 notebook's class; a plain function ``accuracy(softmax_outputs, class_targets)``
is accepted too), which returns ``np.mean(np.argmax(softmax_outputs, axis=1) == targets)``
after turning one-hot targets into class indices with ``np.argmax(class_targets, axis=1)``.

Three cases: sparse targets and one-hot targets for the same outputs (more samples than
classes, so an argmax over the wrong axis gives an array of the wrong length and usually an
error), and a square case (as many samples as classes), where the same slip gives a number, a
different one, that the catalogue can name. Rows never tie for their largest value, and the
right accuracy is never 0 or 1.
"""

from __future__ import annotations

import inspect
from typing import Any

import numpy as np

from nnfs_core import CategoricalAccuracy

from .capture import Recorder, learner_name
from .judging import StagedCheck
from .losses import one_hot, softmax_rows
from .shared import Context, Failure, Quantity, mistake, register

CASES = ("sparse", "onehot", "square")


def _outputs(rng: np.random.RandomState, labels: np.ndarray, n_classes: int) -> np.ndarray:
    """Softmax rows, about two thirds of them most confident in the right class."""
    logits = 1.2 * rng.standard_normal((len(labels), n_classes))
    favoured = rng.uniform(size=len(labels)) < 0.65
    logits[np.arange(len(labels)), labels] += 2.0 * favoured
    return softmax_rows(logits)


def _right(outputs: np.ndarray, labels: np.ndarray) -> float:
    return float(np.mean(np.argmax(outputs, axis=1) == labels))


def _wrong_axis(outputs: np.ndarray, labels: np.ndarray) -> float:
    return float(np.mean(np.argmax(outputs, axis=0) == labels))


@register
class ArgmaxAccuracy(StagedCheck):
    name = "accuracy_argmax"
    title = "Accuracy_Argmax.calculate"
    stages = ("construct", "calculate")

    def build(self, seed: int) -> dict[str, Any]:
        rng = np.random.RandomState(seed)
        n_samples, n_classes = 10 + rng.randint(6), 3
        while True:
            labels = rng.randint(n_classes, size=n_samples)
            outputs = _outputs(rng, labels, n_classes)
            if 0 < _right(outputs, labels) < 1:
                break
        while True:
            square_labels = rng.randint(4, size=4)
            square = _outputs(rng, square_labels, 4)
            right = _right(square, square_labels)
            if 0 < right < 1 and _wrong_axis(square, square_labels) != right:
                break
        return {
            "sparse": {"P": outputs, "y": labels},
            "onehot": {"P": outputs, "y": one_hot(labels, n_classes)},
            "square": {"P": square, "y": square_labels},
        }

    def exercise(self, recorder: Recorder, learner: Any, spec: dict[str, Any]) -> None:
        plain_function = inspect.isfunction(learner)
        for case in CASES:
            outputs, targets = spec[case]["P"].copy(), spec[case]["y"].copy()
            if plain_function:
                _, value = recorder.call(
                    f"{case}.calculate",
                    f"{learner_name(learner)}(softmax_outputs, class_targets)",
                    learner,
                    outputs,
                    targets,
                )
            else:
                accuracy = recorder.construct(f"{case}.construct", learner)
                if accuracy is None:
                    continue
                _, value = recorder.invoke(
                    f"{case}.calculate", accuracy, "calculate", outputs, targets
                )
            recorder.keep(f"{case}.accuracy", value)
            recorder.keep(f"{case}.outputs_after", outputs)
            recorder.keep(f"{case}.targets_after", targets)

    def expect(self, spec: dict[str, Any]) -> dict[str, Any]:
        expected: dict[str, Any] = {}
        for case in CASES:
            outputs, targets = spec[case]["P"], spec[case]["y"]
            predictions = np.argmax(outputs, axis=1)
            expected[f"{case}.accuracy"] = np.float64(
                CategoricalAccuracy().calculate(predictions, targets)
            )
            expected[f"{case}.outputs_after"] = outputs
            expected[f"{case}.targets_after"] = targets
        return expected

    def quantities(self, spec: dict[str, Any]) -> list[Quantity]:
        shown = {
            "sparse": f"{len(spec['sparse']['y'])} samples, 3 classes, targets as class indices",
            "onehot": f"{len(spec['sparse']['y'])} samples, 3 classes, one-hot targets",
            "square": "4 samples, 4 classes, targets as class indices",
        }
        found = [
            Quantity(
                f"{case}.accuracy",
                f"the accuracy calculate returned ({shown[case]})",
                "accuracy",
                f"{case}.calculate",
                "calculate(softmax_outputs, class_targets)",
            )
            for case in CASES
        ]
        for case, name in (("sparse", "softmax_outputs"), ("onehot", "class_targets")):
            found.append(
                Quantity(
                    f"{case}.{'outputs' if name == 'softmax_outputs' else 'targets'}_after",
                    f"the {name} array passed to calculate",
                    f"{name}_after",
                    f"{case}.calculate",
                    "during calculate",
                    mutation=True,
                )
            )
        return found


CHECKS = ("accuracy_argmax",)


@mistake(
    "argmax_accuracy_wrong_axis",
    "argmax taken over the wrong axis",
    "Each row is one sample, so its predicted class is the largest value of that row: "
    "np.argmax(softmax_outputs, axis=1). With axis=0 you get, for each class, the sample most "
    "confident in it.",
    checks=CHECKS,
)
def _wrong_axis_mistake(context: Context, failure: Failure) -> str | None:
    square = context.spec["square"]
    if context.matches("square.accuracy", _wrong_axis(square["P"], square["y"])):
        return "with 4 samples and 4 classes your accuracy is that of np.argmax(..., axis=0)"
    return None


@mistake(
    "argmax_accuracy_counted_not_averaged",
    "correct predictions counted instead of averaged",
    "Accuracy is the fraction of correct predictions, between 0 and 1: "
    "np.mean(predictions == class_targets), not np.sum(...).",
    checks=CHECKS,
)
def _counted(context: Context, failure: Failure) -> str | None:
    sparse = context.spec["sparse"]
    correct = int(np.sum(np.argmax(sparse["P"], axis=1) == sparse["y"]))
    if context.matches("sparse.accuracy", correct):
        return (
            f"you returned {correct}, the number of correct predictions out of {len(sparse['y'])}"
        )
    return None


@mistake(
    "argmax_accuracy_predictions_without_axis",
    "the predicted classes taken with np.argmax without axis=1",
    "Without an axis, np.argmax returns one index into the flattened array (a single number "
    "for the whole batch), and every sample is compared with it. Take one class per sample: "
    "predictions = np.argmax(softmax_outputs, axis=1).",
    checks=CHECKS,
)
def _predictions_without_axis(context: Context, failure: Failure) -> str | None:
    if failure.quantity.name != "accuracy" or failure.kind != "values":
        return None
    for case in CASES:
        outputs, targets = context.spec[case]["P"], context.spec[case]["y"]
        labels = np.argmax(targets, axis=1) if targets.ndim == 2 else targets
        if not context.matches(f"{case}.accuracy", np.mean(np.argmax(outputs) == labels)):
            return None
    flat = int(np.argmax(context.spec["sparse"]["P"]))
    return (
        f"every sample was compared with {flat}, the index of the largest value in the whole "
        "softmax_outputs array"
    )


@mistake(
    "argmax_accuracy_onehot_not_converted",
    "one-hot targets not turned into one class index per sample",
    "When class_targets has two dimensions (len(class_targets.shape) == 2) it is one-hot: turn "
    "it into class indices with class_targets = np.argmax(class_targets, axis=1) before "
    "comparing.",
    checks=CHECKS,
)
def _onehot_not_converted(context: Context, failure: Failure) -> str | None:
    failed = {f.quantity.key for f in context.failures if not f.quantity.mutation}
    if failed != {"onehot.accuracy"}:
        return None
    if context.error("onehot.calculate") is not None:
        return "targets as class indices work; one-hot targets make your code raise an error"
    # A conversion over the whole array (np.argmax without axis) gives one index for every
    # sample: name that, rather than claim nothing was converted.
    case = context.spec["onehot"]
    predicted = np.argmax(case["P"], axis=1)
    if context.matches("onehot.accuracy", np.mean(predicted == np.argmax(case["y"]))):
        return (
            "targets as class indices work; with one-hot targets you compare every prediction "
            "with one index for the whole array (np.argmax without axis=1)"
        )
    return "targets as class indices work; with one-hot targets the accuracy is wrong"
