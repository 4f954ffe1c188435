"""The Model object of chapter 18: chaining, the training flag, backward and a short train.

The learner passes their ``Model`` class; the layers, loss, optimizer and accuracy it is given
are the reference's (``nnfs_core``), with seeded weights, plus a small spy layer that records
the ``training`` flag each forward receives. So these checks test the Model's plumbing
(``add``, ``set``, ``finalize``, ``forward``, ``backward``, ``train``) and nothing else.

The chain is Dense(2, 5) → ReLU → spy → Dense(5, 3) → Softmax with categorical
cross-entropy, Adam and categorical accuracy.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from nnfs_core import Adam, CategoricalAccuracy, CategoricalCrossentropy, Dense, ReLU, Softmax
from nnfs_core import Model as ReferenceModel

from ._models import backward_order, keep_backward_facts, prepared_model, reference_model
from .capture import Recorder
from .judging import StagedCheck
from .shared import GENERAL, Context, Failure, Quantity, mistake, register

#: How the spy records a flag: True → 1, False → 0, not passed → -1, anything else → -2.
FLAG_CODES = {True: 1.0, False: 0.0, None: -1.0}
EPOCHS = 3
OPTIMIZER = {"learning_rate": 0.05, "decay": 1e-3}


class TrainingSpy:
    """An identity layer that writes down the ``training`` flag of every forward call."""

    def __init__(self) -> None:
        self.seen: list[float] = []

    def __repr__(self) -> str:
        return "TrainingSpy()"

    def forward(self, inputs: Any, training: Any = None) -> Any:
        code = FLAG_CODES.get(training, -2.0) if isinstance(training, bool | None) else -2.0
        self.seen.append(code)
        self.inputs = inputs
        self.output = np.array(inputs, dtype=np.float64, copy=True)
        return self.output

    def backward(self, dvalues: Any) -> Any:
        self.dinputs = np.array(dvalues, dtype=np.float64, copy=True)
        return self.dinputs


def build_model(seed: int) -> dict[str, Any]:
    rng = np.random.RandomState(seed)
    n_samples = 12
    return {
        "X": rng.standard_normal((n_samples, 2)),
        "y": rng.randint(3, size=n_samples),
        "W1": 0.5 * rng.standard_normal((2, 5)),
        "b1": 0.1 * rng.standard_normal((1, 5)),
        "W2": 0.5 * rng.standard_normal((5, 3)),
        "b2": 0.1 * rng.standard_normal((1, 3)),
    }


def assemble(spec: dict[str, Any]) -> dict[str, Any]:
    """Fresh reference components with the seeded parameters."""
    first = Dense(2, 5, rng=np.random.RandomState(0))
    second = Dense(5, 3, rng=np.random.RandomState(0))
    first.weights, first.biases = spec["W1"].copy(), spec["b1"].copy()
    second.weights, second.biases = spec["W2"].copy(), spec["b2"].copy()
    return {
        "layers": [first, ReLU(), TrainingSpy(), second, Softmax()],
        "loss": CategoricalCrossentropy(),
        "optimizer": Adam(**OPTIMIZER),
        "accuracy": CategoricalAccuracy(),
    }


def softmax_output(spec: dict[str, Any]) -> np.ndarray:
    hidden = np.maximum(0, spec["X"] @ spec["W1"] + spec["b1"])
    logits = hidden @ spec["W2"] + spec["b2"]
    exponentials = np.exp(logits - logits.max(axis=1, keepdims=True))
    return exponentials / exponentials.sum(axis=1, keepdims=True)


class _ModelCheck(StagedCheck):
    stages = (
        "construct",
        "add",
        "set",
        "finalize",
        "forward",
        "forward_training",
        "backward",
        "train",
    )

    def build(self, seed: int) -> dict[str, Any]:
        return build_model(seed)

    def _prepared(self, recorder: Recorder, learner: Any, spec: dict[str, Any]):
        """The learner's Model with the components added, set and finalized, and the
        components; ``(None, None)`` if a step failed."""
        parts = assemble(spec)
        model = prepared_model(recorder, learner, parts)
        return (model, parts) if model is not None else (None, None)

    def _reference(self, spec: dict[str, Any]) -> tuple[ReferenceModel, dict[str, Any]]:
        parts = assemble(spec)
        model = reference_model(parts)
        return model, parts


@register
class ModelForwardChain(_ModelCheck):
    name = "model_forward_chain"
    title = "Model add, set, finalize and forward"

    def exercise(self, recorder: Recorder, learner: Any, spec: dict[str, Any]) -> None:
        model, parts = self._prepared(recorder, learner, spec)
        if model is None:
            return
        spy = parts["layers"][2]
        for stage, training, suffix in (
            ("forward", False, ""),
            ("forward_training", True, "_training"),
        ):
            before = len(spy.seen)
            _, output = recorder.invoke(
                f"run.{stage}", model, "forward", spec["X"].copy(), training
            )
            recorder.keep(f"run.output{suffix}", output)
            recorder.keep(f"run.flags{suffix}", np.array(spy.seen[before:], dtype=np.float64))

    def expect(self, spec: dict[str, Any]) -> dict[str, Any]:
        output = softmax_output(spec)
        return {
            "run.output": output,
            "run.flags": np.array([FLAG_CODES[False]]),
            "run.output_training": output,
            "run.flags_training": np.array([FLAG_CODES[True]]),
        }

    def quantities(self, spec: dict[str, Any]) -> list[Quantity]:
        return [
            Quantity(
                "run.output",
                "the output Model.forward returned",
                "output",
                "run.forward",
                "forward(X, training=False)",
            ),
            Quantity(
                "run.flags",
                "the training flag a middle layer received (1 = True, 0 = False, -1 = not passed)",
                "flags",
                "run.forward",
                "forward(X, training=False)",
            ),
            Quantity(
                "run.output_training",
                "the output Model.forward returned in training",
                "output",
                "run.forward_training",
                "forward(X, training=True)",
            ),
            Quantity(
                "run.flags_training",
                "the training flag a middle layer received in "
                "training (1 = True, 0 = False, -1 = not passed)",
                "flags",
                "run.forward_training",
                "forward(X, training=True)",
            ),
        ]


@register
class ModelBackwardChain(_ModelCheck):
    name = "model_backward_chain"
    title = "Model backward"

    def exercise(self, recorder: Recorder, learner: Any, spec: dict[str, Any]) -> None:
        model, parts = self._prepared(recorder, learner, spec)
        if model is None:
            return
        ok, _ = recorder.invoke("run.forward_training", model, "forward", spec["X"].copy(), True)
        if not ok:
            return
        with backward_order(parts["layers"]) as calls:
            recorder.invoke(
                "run.backward", model, "backward", softmax_output(spec), spec["y"].copy()
            )
        keep_backward_facts(recorder, "run", parts["layers"], calls)
        first, second = parts["layers"][0], parts["layers"][3]
        for tag, layer in (("first", first), ("second", second)):
            for attribute in ("dweights", "dbiases", "dinputs"):
                recorder.keep_attribute(f"run.{tag}.{attribute}", layer, attribute)

    def expect(self, spec: dict[str, Any]) -> dict[str, Any]:
        model, parts = self._reference(spec)
        model.forward(spec["X"].copy(), training=True)
        model.backward(softmax_output(spec), spec["y"].copy())
        first, second = parts["layers"][0], parts["layers"][3]
        return {
            f"run.{tag}.{attribute}": getattr(layer, attribute)
            for tag, layer in (("first", first), ("second", second))
            for attribute in ("dweights", "dbiases", "dinputs")
        }

    def quantities(self, spec: dict[str, Any]) -> list[Quantity]:
        return [
            Quantity(
                f"run.{tag}.{attribute}",
                f"the {shown} dense layer's {attribute}",
                attribute,
                "run.backward",
                "after forward(X, training=True) and backward(output, y)",
            )
            for tag, shown in (("second", "last"), ("first", "first"))
            for attribute in ("dweights", "dbiases", "dinputs")
        ]


@register
class ModelTrain(_ModelCheck):
    name = "model_train"
    title = "Model.train"

    def exercise(self, recorder: Recorder, learner: Any, spec: dict[str, Any]) -> None:
        model, parts = self._prepared(recorder, learner, spec)
        if model is None:
            return
        recorder.invoke(
            "run.train",
            model,
            "train",
            spec["X"].copy(),
            spec["y"].copy(),
            epochs=EPOCHS,
            print_every=10 * EPOCHS,
        )
        first, second = parts["layers"][0], parts["layers"][3]
        for tag, layer in (("first", first), ("second", second)):
            recorder.keep(f"run.{tag}.weights", layer.weights)
            recorder.keep(f"run.{tag}.biases", layer.biases)
        recorder.keep("run.iterations", parts["optimizer"].iterations)

    def expect(self, spec: dict[str, Any]) -> dict[str, Any]:
        model, parts = self._reference(spec)
        model.train(spec["X"].copy(), spec["y"].copy(), epochs=EPOCHS, print_every=None)
        first, second = parts["layers"][0], parts["layers"][3]
        expected: dict[str, Any] = {"run.iterations": np.int64(parts["optimizer"].iterations)}
        for tag, layer in (("first", first), ("second", second)):
            expected[f"run.{tag}.weights"] = layer.weights.copy()
            expected[f"run.{tag}.biases"] = layer.biases.copy()
        return expected

    def quantities(self, spec: dict[str, Any]) -> list[Quantity]:
        after = f"after train(X, y, epochs={EPOCHS})"
        return [
            Quantity(
                "run.iterations", "the optimizer's iterations", "iterations", "run.train", after
            ),
            *(
                Quantity(
                    f"run.{tag}.{name}", f"the {tag} dense layer's {name}", name, "run.train", after
                )
                for tag in ("first", "second")
                for name in ("weights", "biases")
            ),
        ]


# -- the mistakes this family's checks name ---------------------------------------------
# Tried by priority (shared.EARLY, SPECIFIC, GENERAL, LAST), then in the order written here.


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


# Found with autograder/mutation: a train loop that runs one epoch too few (or none), and a
# gradient scaled where backward hands the loss's gradient to the last layer, got only the
# generic mismatch. Both are replayed on the reference Model with the check's own data.


def _trained(spec: dict[str, Any], epochs: int, factor: float = 1.0) -> dict[str, Any]:
    """The reference's parameters after ``epochs`` epochs, the gradient that enters the last
    layer multiplied by ``factor`` (the book's shortcut: softmax with cross-entropy)."""
    model, parts = ModelTrain()._reference(spec)
    if factor != 1.0:
        shortcut = model.softmax_classifier_output
        book_backward = shortcut.backward

        def scaled_backward(*args: Any, **kwargs: Any) -> Any:
            book_backward(*args, **kwargs)
            shortcut.dinputs = shortcut.dinputs * factor
            return shortcut.dinputs

        shortcut.backward = scaled_backward
    if epochs > 0:
        model.train(spec["X"].copy(), spec["y"].copy(), epochs=epochs, print_every=None)
    first, second = parts["layers"][0], parts["layers"][3]
    found: dict[str, Any] = {"run.iterations": parts["optimizer"].iterations}
    for tag, layer in (("first", first), ("second", second)):
        found[f"run.{tag}.weights"] = layer.weights
        found[f"run.{tag}.biases"] = layer.biases
    return found


def _all_match(context: Context, values: dict[str, Any]) -> bool:
    return all(context.matches(key, value) for key, value in values.items())


@mistake(
    "model_train_epoch_count",
    "train runs a different number of epochs than it was given",
    "Epochs are counted from 1 to epochs inclusive: for epoch in range(1, epochs + 1). "
    "range(1, epochs) runs one epoch too few, range(epochs + 1) one too many.",
    checks=("model_train",),
)
def _epoch_count(context: Context, failure: Failure) -> str | None:
    # A train that raised stopped early for that reason, not because of its loop's range.
    if failure.quantity.name != "iterations" or failure.kind != "values":
        return None
    if context.error("run.train") is not None:
        return None
    received = context.array("run.iterations")
    if received is None or received.size != 1:
        return None
    ran = int(received.reshape(()))
    if ran == EPOCHS or not 0 <= ran < 4 * EPOCHS or ran != float(received.reshape(())):
        return None
    if not _all_match(context, _trained(context.spec, ran)):
        return None
    return (
        f"with epochs={EPOCHS} your train loop ran {ran} epochs (the optimizer stepped {ran} times)"
    )


def _scale_factors(n: int) -> dict[float, str]:
    return {
        2.0: "2",
        0.5: "1/2",
        -1.0: "-1 (its sign flipped)",
        1.0 / n: f"1/{n} (divided by the {n} samples once more)",
        float(n): f"{n}, the number of samples",
    }


def _every_failed_gradient_scaled(context: Context, factor: float) -> set[str]:
    """The cases whose failed gradients are all ``factor`` times the reference's (empty when
    one failed value is not)."""
    cases: set[str] = set()
    for failure in context.failures:
        key = failure.quantity.key
        if failure.quantity.name not in ("dweights", "dbiases", "dinputs"):
            return set()
        expected = np.asarray(context.expected[key], dtype=np.float64)
        if not np.any(expected) or not context.matches(key, factor * expected):
            return set()
        cases.add(key.partition(".")[0])
    return cases


@mistake(
    "model_backward_start_scaled",
    "the gradient backward starts from is scaled",
    "Hand the loss's gradient to the layers unchanged: with the shortcut, "
    "self.layers[-1].dinputs = self.softmax_classifier_output.dinputs; without it, the "
    "loss's backward(output, y) and then each layer's backward(layer.next.dinputs). The "
    "division by the number of samples is already inside that gradient.",
    checks=("model_backward_chain", "model_backward_paths", "model_train"),
    priority=GENERAL,
)
def _backward_start_scaled(context: Context, failure: Failure) -> str | None:
    if failure.kind != "values" or any(
        stage.endswith((".backward", ".train")) for stage in context.errors
    ):
        return None
    if context.check == "model_train":
        if failure.quantity.name not in ("weights", "biases") or context.failed("run.iterations"):
            return None
        for factor, meaning in _scale_factors(len(context.spec["X"])).items():
            if _all_match(context, _trained(context.spec, EPOCHS, factor)):
                return (
                    f"your trained weights and biases are what training gives when the gradient "
                    f"that enters the last layer is multiplied by {meaning}"
                )
        return None
    if failure.quantity.name not in ("dweights", "dbiases", "dinputs"):
        return None
    case = failure.quantity.key.partition(".")[0]
    data = context.spec.get(case) if isinstance(context.spec.get(case), dict) else context.spec
    n = len(data["X"])
    for factor, meaning in _scale_factors(n).items():
        if _every_failed_gradient_scaled(context, factor):
            return f"every gradient of the {case} model is exactly {meaning} times the book's"
    return None


# Found with autograder/mutation: forward returning another layer's output (self.layers[1]
# where self.layers[-1] belongs) got only a generic shape or value mismatch.

_LAYER_NAMES = ("Dense(2, 5)", "ReLU", "the spy layer", "Dense(5, 3)", "Softmax")


def _layer_outputs(spec: dict[str, Any]) -> list[np.ndarray]:
    """Every layer's output of the check's chain on ``spec["X"]``, in order."""
    dense = spec["X"] @ spec["W1"] + spec["b1"]
    hidden = np.maximum(0, dense)
    logits = hidden @ spec["W2"] + spec["b2"]
    return [dense, hidden, hidden, logits, softmax_output(spec)]


@mistake(
    "model_forward_returns_another_layer",
    "Model.forward returns the output of a layer before the last",
    "The model's output is what its last layer produced: after the loop, return "
    "layer.output of the last layer (self.layers[-1].output), not an earlier one's.",
    checks=("model_forward_chain",),
)
def _forward_another_layer(context: Context, failure: Failure) -> str | None:
    if failure.quantity.name != "output" or failure.kind not in ("shape", "values"):
        return None
    outputs = _layer_outputs(context.spec)
    # ReLU and the spy layer give the same values: name every layer the output fits.
    fits = [
        f"self.layers[{position}] ({_LAYER_NAMES[position]})"
        for position, output in enumerate(outputs[:-1])
        if context.matches(failure.quantity.key, output)
    ]
    if not fits:
        return None
    return (
        f"{failure.quantity.label} is the output of {' or '.join(fits)}, not of "
        f"self.layers[-1] ({_LAYER_NAMES[-1]})"
    )
