"""Evaluating a trained network on out-of-sample data (ch11).

``evaluate``: the learner's ``Evaluator(layers, loss_activation)`` runs a forward pass
through ``layers`` (a list such as ``[dense1, activation1, dense2]``), then the combined
softmax and cross-entropy, and ``evaluate(X, y)`` returns ``(loss, accuracy)``. Nothing
else may change: evaluation must not train.

The probe builds the network from the reference classes (``nnfs_core``'s ``Dense``, ``ReLU``
and ``SoftmaxCategoricalCrossentropy``) with seeded parameters and takes two Adam steps on
separate training data, so that every dense layer carries gradients (``dweights``,
``dbiases``) and Adam's state (``weight_momentums``, ``weight_cache``...) as it would in the
middle of training. It then hands the layers to the learner's class and records what
``evaluate`` returned and, afterwards, every parameter, gradient and optimizer state of the
layers, plus the ``X`` and ``y`` it was given. The judge rebuilds the same network, so the
expected state is the state before evaluation.

Three cases: the chapter's shape (2 inputs → hidden → 3 classes) with sparse labels; the
same with one-hot labels (the accuracy must turn them into class indices first); and a
deeper network of five layers, so a class that handles only three fails.
"""

from __future__ import annotations

import itertools
import re
from typing import Any

import numpy as np

from nnfs_core import Adam, Dense, ReLU, SoftmaxCategoricalCrossentropy

from .base import Unrepresentable
from .capture import Recorder
from .judging import StagedCheck
from .shared import GENERAL, Context, Failure, Quantity, mistake, register

CASES = ("book", "onehot", "deep")
#: The gradients a backward pass sets on a dense layer.
GRADIENTS = ("dweights", "dbiases")
#: What the optimizer changes: the parameters and the state Adam keeps on the layer.
TRAINED = (
    "weights",
    "biases",
    "weight_momentums",
    "bias_momentums",
    "weight_cache",
    "bias_cache",
)
ATTRIBUTES = ("weights", "biases", *GRADIENTS, *TRAINED[2:])
#: Training steps taken before evaluation, so the layers carry gradients and Adam's state.
TRAIN_STEPS = 2


def _sizes(rng: np.random.RandomState, case: str) -> tuple[int, ...]:
    if case == "deep":
        return (3, 6 + rng.randint(3), 5, 4)
    return (2, 8 + rng.randint(5), 3)


def build_evaluation(seed: int) -> dict[str, Any]:
    rng = np.random.RandomState(seed)
    spec: dict[str, Any] = {}
    for case in CASES:
        sizes = _sizes(rng, case)
        n_classes = sizes[-1]
        n_train = 20 + rng.randint(6)
        n_eval = 13 + rng.randint(6)  # never n_train, never n_classes: shapes tell them apart
        pairs = list(itertools.pairwise(sizes))
        labels = rng.randint(n_classes, size=n_eval)
        spec[case] = {
            "sizes": sizes,
            "weights": [0.8 * rng.standard_normal(pair) for pair in pairs],
            "biases": [0.3 * rng.standard_normal((1, pair[1])) for pair in pairs],
            "X_train": rng.standard_normal((n_train, sizes[0])),
            "y_train": rng.randint(n_classes, size=n_train),
            "X": rng.standard_normal((n_eval, sizes[0])),
            "labels": labels,
            "y": np.eye(n_classes)[labels] if case == "onehot" else labels,
        }
    return spec


def network(case: dict[str, Any]) -> tuple[list[Any], SoftmaxCategoricalCrossentropy]:
    """The case's layers (reference classes) after ``TRAIN_STEPS`` Adam steps on its training
    data, and the loss object. Probe and judge both build it, so they agree number for number."""
    layers: list[Any] = []
    for position, (weights, biases) in enumerate(zip(case["weights"], case["biases"])):
        if position:
            layers.append(ReLU())
        dense = Dense(*weights.shape)
        dense.weights = weights.copy()
        dense.biases = biases.copy()
        layers.append(dense)
    loss_activation = SoftmaxCategoricalCrossentropy()
    optimizer = Adam(learning_rate=0.05)
    for _ in range(TRAIN_STEPS):
        inputs = case["X_train"]
        for layer in layers:
            inputs = layer.forward(inputs)
        loss_activation.forward(inputs, case["y_train"])
        gradient = loss_activation.backward(loss_activation.output, case["y_train"])
        for layer in reversed(layers):
            gradient = layer.backward(gradient)
        optimizer.pre_update_params()
        for layer in layers:
            if isinstance(layer, Dense):
                optimizer.update_params(layer)
        optimizer.post_update_params()
    return layers, loss_activation


def dense_positions(case: dict[str, Any]) -> list[int]:
    """Where the dense layers sit in the list handed to ``Evaluator`` (ReLUs in between)."""
    return [2 * i for i in range(len(case["weights"]))]


def forward_outputs(case: dict[str, Any], n_layers: int | None = None) -> np.ndarray:
    """The softmax outputs of the case's network on its evaluation data (first ``n_layers``)."""
    layers, loss_activation = network(case)
    inputs = case["X"]
    for layer in layers[:n_layers]:
        inputs = layer.forward(inputs)
    loss_activation.forward(inputs, np.clip(case["labels"], 0, inputs.shape[1] - 1))
    return loss_activation.output


def _shown(case: str) -> str:
    return {
        "book": "2 inputs, 3 classes, sparse labels",
        "onehot": "the same network shape, one-hot labels",
        "deep": "a list of 5 layers: dense, ReLU, dense, ReLU, dense",
    }[case]


@register
class EvaluateCheck(StagedCheck):
    name = "evaluate"
    title = "Evaluator.evaluate"
    stages = ("construct", "evaluate")

    def build(self, seed: int) -> dict[str, Any]:
        return build_evaluation(seed)

    def exercise(self, recorder: Recorder, learner: Any, spec: dict[str, Any]) -> None:
        for case_name in CASES:
            case = spec[case_name]
            layers, loss_activation = network(case)
            evaluator = recorder.construct(
                f"{case_name}.construct", learner, list(layers), loss_activation
            )
            if evaluator is None:
                continue
            X, y = case["X"].copy(), case["y"].copy()
            ok, returned = recorder.invoke(f"{case_name}.evaluate", evaluator, "evaluate", X, y)
            if ok:
                self._keep_pair(recorder, case_name, returned)
            for position in dense_positions(case):
                for attribute in ATTRIBUTES:
                    recorder.keep_attribute(
                        f"{case_name}.layer{position}.{attribute}", layers[position], attribute
                    )
            recorder.keep(f"{case_name}.X_after", X)
            recorder.keep(f"{case_name}.y_after", y)

    @staticmethod
    def _keep_pair(recorder: Recorder, case: str, returned: Any) -> None:
        if isinstance(returned, tuple | list) and len(returned) == 2:
            recorder.keep(f"{case}.loss", returned[0])
            recorder.keep(f"{case}.accuracy", returned[1])
            return
        if returned is None:
            shown: Any = None
        else:
            what = (
                f"a {type(returned).__name__} of length {len(returned)}"
                if isinstance(returned, tuple | list)
                else f"a {type(returned).__name__}"
            )
            shown = Unrepresentable(f"not there: evaluate returned {what}, not a pair")
        recorder.values[f"{case}.loss"] = shown
        recorder.values[f"{case}.accuracy"] = shown

    def expect(self, spec: dict[str, Any]) -> dict[str, Any]:
        expected: dict[str, Any] = {}
        for case_name in CASES:
            case = spec[case_name]
            layers, loss_activation = network(case)
            for position in dense_positions(case):
                for attribute in ATTRIBUTES:
                    expected[f"{case_name}.layer{position}.{attribute}"] = getattr(
                        layers[position], attribute
                    ).copy()
            inputs = case["X"]
            for layer in layers:
                inputs = layer.forward(inputs)
            loss = loss_activation.forward(inputs, case["y"])
            predictions = np.argmax(loss_activation.output, axis=1)
            expected[f"{case_name}.loss"] = np.float64(loss)
            expected[f"{case_name}.accuracy"] = np.float64(np.mean(predictions == case["labels"]))
            expected[f"{case_name}.X_after"] = case["X"]
            expected[f"{case_name}.y_after"] = case["y"]
        return expected

    def quantities(self, spec: dict[str, Any]) -> list[Quantity]:
        found: list[Quantity] = []
        after = "after evaluate(X, y)"
        for case_name in CASES:
            stage = f"{case_name}.evaluate"
            found += [
                Quantity(
                    f"{case_name}.loss",
                    f"the loss (the first value evaluate returns; {_shown(case_name)})",
                    "loss",
                    stage,
                    after,
                ),
                Quantity(
                    f"{case_name}.accuracy",
                    f"the accuracy (the second value evaluate returns; {_shown(case_name)})",
                    "accuracy",
                    stage,
                    after,
                ),
            ]
        for case_name in CASES:
            stage = f"{case_name}.evaluate"
            for position in dense_positions(spec[case_name]):
                for attribute in ATTRIBUTES:
                    found.append(
                        Quantity(
                            f"{case_name}.layer{position}.{attribute}",
                            f"layers[{position}].{attribute} (a dense layer; {_shown(case_name)})",
                            attribute,
                            stage,
                            f"{after}; it must be what training left there",
                        )
                    )
        for case_name in CASES:
            stage = f"{case_name}.evaluate"
            found += [
                Quantity(
                    f"{case_name}.X_after",
                    "the X array passed to evaluate",
                    "X_after",
                    stage,
                    "during evaluate",
                    mutation=True,
                ),
                Quantity(
                    f"{case_name}.y_after",
                    "the y array passed to evaluate",
                    "y_after",
                    stage,
                    "during evaluate",
                    mutation=True,
                ),
            ]
        return found


# =============================================================================================
# The catalogue's entries for this check
# =============================================================================================

_SHAPES = re.compile(r"\(([\d,\s]*)\)")


def broadcast_shapes(record: dict[str, Any] | None) -> list[tuple[int, ...]]:
    """The shapes NumPy names in a "could not be broadcast" error, in order."""
    if not record or "broadcast" not in str(record.get("message", "")):
        return []
    shapes = []
    for inside in _SHAPES.findall(str(record["message"])):
        parts = [p for p in inside.replace(" ", "").split(",") if p]
        shapes.append(tuple(int(p) for p in parts))
    return shapes


def _case_of(failure: Failure) -> str:
    return failure.quantity.key.partition(".")[0]


@mistake(
    "evaluate_loss_accuracy_swapped",
    "loss and accuracy returned in the wrong order",
    "Return them as the exercise asks: return loss, accuracy (the loss first).",
    checks=("evaluate",),
)
def _swapped(context: Context, failure: Failure) -> str | None:
    case = _case_of(failure)
    loss, accuracy = f"{case}.loss", f"{case}.accuracy"
    if failure.quantity.key not in (loss, accuracy):
        return None
    if context.matches(loss, context.expected[accuracy]) and context.matches(
        accuracy, context.expected[loss]
    ):
        return (
            f"the first value returned is {float(context.array(loss)):.6g}, the accuracy, and "
            f"the second {float(context.array(accuracy)):.6g}, the loss"
        )
    return None


@mistake(
    "evaluate_without_argmax",
    "predicted classes not taken with np.argmax(..., axis=1)",
    "The softmax output holds one probability per class for every sample, shape "
    "(n_samples, n_classes). The predicted class of each sample is the index of its largest "
    "probability: predictions = np.argmax(loss_activation.output, axis=1), shape (n_samples,); "
    "the accuracy is np.mean(predictions == y).",
    checks=("evaluate",),
)
def _without_argmax(context: Context, failure: Failure) -> str | None:
    case = _case_of(failure)
    spec = context.spec[case]
    n, n_classes = len(spec["labels"]), spec["sizes"][-1]
    if failure.kind == "error":
        shapes = broadcast_shapes(failure.error)
        if (n, n_classes) in shapes[:1] or (n_classes,) in shapes[:2]:
            return (
                f"the predictions compared with y had shape {shapes[0]}; expected ({n},), one "
                f"class index per sample"
            )
        return None
    if failure.quantity.name != "accuracy":
        return None
    outputs = forward_outputs(spec)
    labels = spec["labels"]
    candidates = {
        "np.max instead of np.argmax": np.mean(np.max(outputs, axis=1) == labels),
        "np.argmax without axis=1": np.mean(np.argmax(outputs) == labels),
    }
    for name, value in candidates.items():
        if not context.matches(f"{case}.accuracy", context.expected[f"{case}.accuracy"]) and (
            context.matches(f"{case}.accuracy", value)
        ):
            return f"your accuracy is what {name} gives"
    return None


@mistake(
    "evaluate_onehot_labels",
    "one-hot labels compared without turning them into class indices",
    "Labels may come one-hot, shape (n_samples, n_classes). Turn them into class indices "
    "before comparing: if len(y.shape) == 2: y = np.argmax(y, axis=1). (The loss accepts "
    "both forms; the accuracy comparison does not.)",
    checks=("evaluate",),
)
def _onehot(context: Context, failure: Failure) -> str | None:
    if _case_of(failure) != "onehot" or failure.kind != "error":
        return None
    spec = context.spec["onehot"]
    n, n_classes = len(spec["labels"]), spec["sizes"][-1]
    shapes = broadcast_shapes(failure.error)
    if (n, n_classes) in shapes[1:] and (n,) in shapes:
        return f"with one-hot y of shape {(n, n_classes)}, the comparison raised an error"
    return None


# Found with autograder/mutation: an accuracy counted instead of averaged, and one-hot labels
# turned into one index for the whole array, got only the generic mismatch. Replayed on the
# network's own outputs.


@mistake(
    "evaluate_accuracy_slip",
    "the accuracy is counted, or one-hot labels are converted without axis=1",
    "predictions = np.argmax(loss_activation.output, axis=1); for one-hot labels "
    "y = np.argmax(y, axis=1) (one class per sample); accuracy = np.mean(predictions == y), "
    "the share of right predictions. Fix the one part the details name.",
    checks=("evaluate",),
    priority=GENERAL,
)
def _evaluate_accuracy_slip(context: Context, failure: Failure) -> str | None:
    if failure.quantity.name != "accuracy" or failure.kind != "values":
        return None
    failed = [f for f in context.failures if f.quantity.name == "accuracy"]
    right = {}
    for other in failed:
        case = _case_of(other)
        spec = context.spec[case]
        right[case] = np.argmax(forward_outputs(spec), axis=1) == spec["labels"]
    if all(context.matches(f"{case}.accuracy", int(np.sum(hits))) for case, hits in right.items()):
        return "your accuracy is the number of right predictions (np.sum where np.mean belongs)"
    if set(right) == {"onehot"}:
        spec = context.spec["onehot"]
        one_index = int(np.argmax(spec["y"]))
        predictions = np.argmax(forward_outputs(spec), axis=1)
        if context.matches("onehot.accuracy", np.mean(predictions == one_index)):
            return (
                f"with one-hot y every prediction was compared with {one_index}, np.argmax(y) "
                "without axis=1"
            )
    return None


@mistake(
    "evaluate_first_three_layers_only",
    "only the first three layers of the list are used",
    "Run every layer in self.layers, in order: inputs = X, then for each layer "
    "layer.forward(inputs) and inputs = layer.output. The network of this chapter has three, "
    "deeper ones have more.",
    checks=("evaluate",),
)
def _three_layers(context: Context, failure: Failure) -> str | None:
    if _case_of(failure) != "deep" or failure.quantity.name not in ("loss", "accuracy"):
        return None
    spec = context.spec["deep"]
    outputs = forward_outputs(spec, n_layers=3)
    predictions = np.argmax(outputs, axis=1)
    if failure.quantity.name == "accuracy":
        return (
            "" if context.matches("deep.accuracy", np.mean(predictions == spec["labels"])) else None
        )
    labels = np.clip(spec["labels"], 0, outputs.shape[1] - 1)
    clipped = np.clip(outputs[np.arange(len(labels)), labels], 1e-7, 1 - 1e-7)
    return "" if context.matches("deep.loss", np.mean(-np.log(clipped))) else None


@mistake(
    "evaluate_trains",
    "evaluation changed the network's parameters",
    "Evaluation is a forward pass and nothing more: no backward pass, no optimizer step. A "
    "network that learns from its test data no longer gives an honest test score, and the "
    "optimizer's state (momentums, caches) must also stay as training left it.",
    checks=("evaluate",),
)
def _trains(context: Context, failure: Failure) -> str | None:
    if failure.quantity.name in TRAINED and failure.kind in ("values", "shape", "nonfinite"):
        return f"{failure.quantity.label} was different after evaluate(X, y)"
    return None


@mistake(
    "evaluate_runs_backward",
    "evaluation ran a backward pass",
    "Evaluation needs only the forward pass. A backward pass on the test data overwrites the "
    "gradients (dweights, dbiases) that training computed, and costs as much as the forward "
    "pass again.",
    checks=("evaluate",),
)
def _backward(context: Context, failure: Failure) -> str | None:
    if failure.quantity.name in GRADIENTS and failure.kind in ("values", "shape", "nonfinite"):
        return f"{failure.quantity.label} was different after evaluate(X, y)"
    return None
