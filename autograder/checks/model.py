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
from .shared import Context, Failure, Quantity, mistake, register

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
