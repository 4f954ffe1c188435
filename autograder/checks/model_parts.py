"""The chapter 18 Model, piece by piece: the input layer, finalize, and both backward paths.

``model.py`` checks the Model's chain as a whole (forward with the training flag, the
shortcut backward, a short train). The checks here cover what those leave open:

* ``input_layer``: ``Layer_Input().forward(inputs, training)`` stores ``self.output = inputs``.
* ``model_finalize``: what ``finalize()`` sets up, read back after ``add``, ``set`` and
  ``finalize`` on three models (a softmax classifier with dropout, a regressor ending in a
  linear activation, a binary classifier ending in a sigmoid): the input layer, every layer's
  ``prev`` and ``next`` links, ``trainable_layers``, ``output_layer_activation``, the layers the
  loss was told about, and whether ``softmax_classifier_output`` (the combined softmax +
  cross-entropy object) was chosen. A Model that keeps no links at all (no layer has ``prev``
  or ``next``, as in ``nnfs_core``'s own Model, which walks ``self.layers`` instead) has its
  links skipped and said so; links that exist must be the book's.
* ``model_backward_paths``: ``backward(output, y)`` on a softmax classifier (the combined
  gradient, the softmax's own backward skipped) and on a sigmoid + binary cross-entropy model
  (the loss's backward, then every layer in reverse).

The learner passes their ``Model`` class; every layer, loss and optimizer handed to it is the
reference's (``nnfs_core``), with seeded parameters, so only the Model's plumbing is judged.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from nnfs_core import (
    Adam,
    BinaryCrossentropy,
    CategoricalAccuracy,
    CategoricalCrossentropy,
    Dense,
    Dropout,
    Linear,
    MeanSquaredError,
    RegressionAccuracy,
    ReLU,
    Sigmoid,
    Softmax,
)
from nnfs_core import Model as ReferenceModel

from ._models import backward_order, keep_backward_facts, prepared_model, reference_model
from .base import Unrepresentable
from .capture import MISSING, Recorder, skipped
from .judging import StagedCheck
from .shared import GENERAL, Context, Failure, Quantity, mistake, register

# =============================================================================================
# input_layer
# =============================================================================================


@register
class InputLayerCheck(StagedCheck):
    name = "input_layer"
    title = "Layer_Input.forward"
    stages = ("construct", "forward")
    cases = ("inference", "training")

    def build(self, seed: int) -> dict[str, Any]:
        rng = np.random.RandomState(seed)
        return {
            "inference": {"X": rng.standard_normal((4 + rng.randint(3), 3)), "training": False},
            "training": {"X": rng.standard_normal((3, 2 + rng.randint(3))), "training": True},
        }

    def exercise(self, recorder: Recorder, learner: Any, spec: dict[str, Any]) -> None:
        for case in self.cases:
            layer = recorder.construct(f"{case}.construct", learner)
            if layer is None:
                continue
            inputs = spec[case]["X"].copy()
            # Called as the Model calls it: the flag as a second positional argument.
            _, returned = recorder.invoke(
                f"{case}.forward", layer, "forward", inputs, spec[case]["training"]
            )
            recorder.keep_attribute(f"{case}.output", layer, "output")
            recorder.keep(f"{case}.returned", returned)

    def expect(self, spec: dict[str, Any]) -> dict[str, Any]:
        return {f"{case}.output": spec[case]["X"] for case in self.cases}

    def quantities(self, spec: dict[str, Any]) -> list[Quantity]:
        return [
            Quantity(
                f"{case}.output",
                "self.output",
                "output",
                f"{case}.forward",
                f"after forward(inputs, {spec[case]['training']})",
            )
            for case in self.cases
        ]


@mistake(
    "input_layer_without_training_flag",
    "Layer_Input.forward does not take the training flag",
    "From chapter 18 on every forward has the same signature, forward(self, inputs, training), "
    "because the Model calls each one the same way; the input layer simply ignores the flag.",
    checks=("input_layer",),
)
def _input_without_training(context: Context, failure: Failure) -> str | None:
    error = failure.error or {}
    message = str(error.get("message", ""))
    if error.get("type") == "TypeError" and "positional argument" in message:
        return "calling forward(inputs, training) failed with: " + message
    return None


@mistake(
    "input_layer_output_not_stored",
    "the inputs are returned but not stored in self.output",
    "The next layer reads self.prev.output, so the input layer must keep the batch: "
    "self.output = inputs.",
    checks=("input_layer",),
)
def _input_not_stored(context: Context, failure: Failure) -> str | None:
    if failure.kind != "missing":
        return None
    case = failure.quantity.key.partition(".")[0]
    if context.matches(f"{case}.returned", context.spec[case]["X"]):
        return "forward returned the inputs, but self.output was never set"
    return None


# =============================================================================================
# model_finalize
# =============================================================================================

#: How an object a link points to is written down: a layer by its index in ``self.layers``,
#: the loss as ``len(self.layers)``, and these codes for everything else.
INPUT, OTHER, ABSENT = -1, -5, -9
CODES_TEXT = (
    "k = self.layers[k], -1 = self.input_layer, n = the loss (n layers), "
    "-9 = not set, -5 = some other object"
)

#: The note a Model without links passes with, said once for every skipped link.
UNLINKED = (
    "the layers' prev/next links (your Model keeps none, so its forward and backward must walk "
    "self.layers in order)"
)


def describe_code(code: int, n_layers: int) -> str:
    """A link's code in words: ``self.layers[2]``, ``the loss``, ``not set``..."""
    if code == ABSENT:
        return "not set"
    if code == INPUT:
        return "self.input_layer"
    if code == n_layers:
        return "the loss"
    if 0 <= code < n_layers:
        return f"self.layers[{code}]"
    return "an object that is neither a layer of the model, its input layer nor its loss"


def finalize_models(seed: int) -> dict[str, Any]:
    """Three models, described as data: layer kinds and sizes, the loss and the accuracy."""
    rng = np.random.RandomState(seed)
    hidden = 3 + rng.randint(4)
    depth = 1 + rng.randint(3)  # hidden blocks of the regressor
    regression: list[tuple[str, tuple[int, ...]]] = [("dense", (1, hidden)), ("relu", ())]
    for _ in range(depth - 1):
        regression += [("dense", (hidden, hidden)), ("relu", ())]
    regression += [("dense", (hidden, 1)), ("linear", ())]
    return {
        "classifier": {
            "layers": [
                ("dense", (2, hidden)),
                ("relu", ()),
                ("dropout", ()),
                ("dense", (hidden, 3)),
                ("softmax", ()),
            ],
            "loss": "cce",
        },
        "regression": {"layers": regression, "loss": "mse"},
        "binary": {
            "layers": [
                ("dense", (2, hidden)),
                ("relu", ()),
                ("dense", (hidden, 1)),
                ("sigmoid", ()),
            ],
            "loss": "bce",
        },
    }


def make_layer(kind: str, shape: tuple[int, ...], seed: int = 0) -> Any:
    if kind == "dense":
        return Dense(*shape, rng=np.random.RandomState(seed))
    if kind == "dropout":
        return Dropout(0.5, rng=np.random.RandomState(seed))
    return {"relu": ReLU, "softmax": Softmax, "sigmoid": Sigmoid, "linear": Linear}[kind]()


def make_parts(model: dict[str, Any]) -> dict[str, Any]:
    loss = {"cce": CategoricalCrossentropy, "mse": MeanSquaredError, "bce": BinaryCrossentropy}
    accuracy = (
        RegressionAccuracy()
        if model["loss"] == "mse"
        else CategoricalAccuracy(binary=model["loss"] == "bce")
    )
    return {
        "layers": [make_layer(kind, shape) for kind, shape in model["layers"]],
        "loss": loss[model["loss"]](),
        "optimizer": Adam(),
        "accuracy": accuracy,
    }


_NOT_SET = object()


def _read(obj: Any, name: str) -> Any:
    """``obj.name``, or ``_NOT_SET`` when it is absent or reading it raises."""
    try:
        return getattr(obj, name, _NOT_SET)
    except Exception:
        return _NOT_SET


def _code(target: Any, input_layer: Any, layers: list[Any], loss: Any) -> int:
    if target is _NOT_SET:
        return ABSENT
    if input_layer is not _NOT_SET and target is input_layer:
        return INPUT
    for index, layer in enumerate(layers):
        if target is layer:
            return index
    if target is loss:
        return len(layers)
    return OTHER


def _codes(items: Any, input_layer: Any, layers: list[Any], loss: Any) -> Any:
    """The codes of a list of layers; :data:`MISSING` or a description when it is no list."""
    if items is _NOT_SET:
        return MISSING
    try:
        codes = [_code(item, input_layer, layers, loss) for item in items]
    except TypeError:  # not iterable
        return Unrepresentable(f"a {type(items).__name__}, not a list of layers")
    return np.array(codes, dtype=np.int64)


@register
class ModelFinalizeCheck(StagedCheck):
    name = "model_finalize"
    title = "Model add, set and finalize"
    stages = ("construct", "add", "set", "finalize")
    cases = ("classifier", "regression", "binary")

    def build(self, seed: int) -> dict[str, Any]:
        return finalize_models(seed)

    def exercise(self, recorder: Recorder, learner: Any, spec: dict[str, Any]) -> None:
        for case in self.cases:
            parts = make_parts(spec[case])
            model = prepared_model(recorder, learner, parts, case)
            if model is None:
                continue
            layers, loss = parts["layers"], parts["loss"]
            input_layer = _read(model, "input_layer")
            usable = input_layer is not _NOT_SET and callable(_read(input_layer, "forward"))
            recorder.keep(f"{case}.input_layer", int(usable))
            linked = any(
                _read(layer, name) is not _NOT_SET for layer in layers for name in ("prev", "next")
            )
            for name in ("prev", "next"):
                if linked:
                    codes = [
                        _code(_read(layer, name), input_layer, layers, loss) for layer in layers
                    ]
                    recorder.keep(f"{case}.{name}", np.array(codes, dtype=np.int64))
                else:
                    recorder.values[f"{case}.{name}"] = skipped(UNLINKED)
            for key, owner in (("trainable", model), ("loss_trainable", loss)):
                codes = _codes(_read(owner, "trainable_layers"), input_layer, layers, loss)
                if isinstance(codes, np.ndarray):
                    recorder.keep(f"{case}.{key}", codes)
                else:
                    recorder.values[f"{case}.{key}"] = codes
            output = _read(model, "output_layer_activation")
            recorder.keep(f"{case}.output_activation", _code(output, input_layer, layers, loss))
            shortcut = _read(model, "softmax_classifier_output")
            chosen = shortcut not in (_NOT_SET, None) and callable(_read(shortcut, "backward"))
            recorder.keep(f"{case}.shortcut", int(chosen))

    def expect(self, spec: dict[str, Any]) -> dict[str, Any]:
        expected: dict[str, Any] = {}
        for case in self.cases:
            parts = make_parts(spec[case])
            layers, loss = parts["layers"], parts["loss"]
            reference = ReferenceModel()
            for layer in layers:
                reference.add(layer)
            reference.set(loss=loss, optimizer=parts["optimizer"], accuracy=parts["accuracy"])
            reference.finalize()
            n = len(layers)
            expected[f"{case}.input_layer"] = np.int64(1)
            # The chain the book links: input layer, every layer in order, then the loss.
            expected[f"{case}.prev"] = np.arange(-1, n - 1, dtype=np.int64)
            expected[f"{case}.next"] = np.arange(1, n + 1, dtype=np.int64)
            trainable = _codes(reference.trainable_layers, None, layers, loss)
            expected[f"{case}.trainable"] = trainable
            expected[f"{case}.loss_trainable"] = trainable
            expected[f"{case}.output_activation"] = np.int64(
                _code(reference.output_layer_activation, None, layers, loss)
            )
            expected[f"{case}.shortcut"] = np.int64(reference.softmax_classifier_output is not None)
        return expected

    def _failures(self, context: Context, quantities: list[Quantity]) -> list[Failure]:
        failures = super()._failures(context, quantities)
        notes = context.notes.get("skipped")
        if notes:  # one sentence for the six skipped links, not six
            others = [note for note in notes if not note.endswith(UNLINKED)]
            context.notes["skipped"] = others + [UNLINKED] * (len(others) < len(notes))
        return failures

    def quantities(self, spec: dict[str, Any]) -> list[Quantity]:
        found = []
        for case in self.cases:
            kinds = " → ".join(kind for kind, _ in spec[case]["layers"])
            after = f"after add, set and finalize on {kinds} with {spec[case]['loss'].upper()}"
            stage = f"{case}.finalize"
            found += [
                Quantity(
                    f"{case}.input_layer",
                    "self.input_layer (1 = a layer with a forward method, 0 = missing)",
                    "input_layer",
                    stage,
                    after,
                ),
                Quantity(
                    f"{case}.prev",
                    f"the layers' prev links ({CODES_TEXT})",
                    "prev",
                    stage,
                    after,
                    optional=True,
                ),
                Quantity(
                    f"{case}.next",
                    f"the layers' next links ({CODES_TEXT})",
                    "next",
                    stage,
                    after,
                    optional=True,
                ),
                Quantity(
                    f"{case}.trainable",
                    "self.trainable_layers, as indices into self.layers",
                    "trainable",
                    stage,
                    after,
                ),
                Quantity(
                    f"{case}.output_activation",
                    f"self.output_layer_activation ({CODES_TEXT})",
                    "output_activation",
                    stage,
                    after,
                ),
                Quantity(
                    f"{case}.loss_trainable",
                    "the layers the loss was told about (loss.trainable_layers, as indices)",
                    "loss_trainable",
                    stage,
                    after,
                ),
                Quantity(
                    f"{case}.shortcut",
                    "whether self.softmax_classifier_output holds the combined softmax + "
                    "cross-entropy object (1) or is None (0)",
                    "shortcut",
                    stage,
                    after,
                ),
            ]
        return found


def _case_of(failure: Failure) -> str:
    return failure.quantity.key.partition(".")[0]


@mistake(
    "model_input_layer_missing",
    "finalize does not create the input layer",
    "Start finalize with self.input_layer = Layer_Input(): it is the first layer's prev, "
    "and forward hands it the batch first.",
    checks=("model_finalize",),
)
def _input_layer_missing(context: Context, failure: Failure) -> str | None:
    if failure.quantity.name == "input_layer" and context.matches(failure.quantity.key, 0):
        return "the model has no input_layer attribute with a forward method after finalize()"
    return None


@mistake(
    "model_prev_next_swapped",
    "prev and next swapped",
    "prev is the object *before* a layer (its inputs come from prev.output) and next the one "
    "*after* it (its gradient comes from next.dinputs).",
    checks=("model_finalize",),
)
def _links_swapped(context: Context, failure: Failure) -> str | None:
    case = _case_of(failure)
    if failure.quantity.name not in ("prev", "next"):
        return None
    if context.matches(f"{case}.prev", context.expected[f"{case}.next"]) and context.matches(
        f"{case}.next", context.expected[f"{case}.prev"]
    ):
        return "every layer's prev points forward and its next points back"
    return None


@mistake(
    "model_first_layer_not_linked_to_input",
    "the first layer is not linked to the input layer",
    "The chain starts at the input layer: self.layers[0].prev = self.input_layer, so that the "
    "first layer reads the batch from self.input_layer.output.",
    checks=("model_finalize",),
)
def _first_prev(context: Context, failure: Failure) -> str | None:
    case = _case_of(failure)
    if failure.quantity.name != "prev":
        return None
    received, expected = context.array(f"{case}.prev"), context.expected[f"{case}.prev"]
    if received is None or received.shape != expected.shape:
        return None
    if received[0] != INPUT and np.array_equal(received[1:], expected[1:]):
        return f"self.layers[0].prev is {describe_code(int(received[0]), len(expected))}"
    return None


@mistake(
    "model_last_layer_not_linked_to_loss",
    "the last layer's next is not the loss",
    "The chain ends at the loss: self.layers[-1].next = self.loss, so that backward can read "
    "the loss's dinputs like any other next.dinputs.",
    checks=("model_finalize",),
)
def _last_next(context: Context, failure: Failure) -> str | None:
    case = _case_of(failure)
    if failure.quantity.name != "next":
        return None
    received, expected = context.array(f"{case}.next"), context.expected[f"{case}.next"]
    if received is None or received.shape != expected.shape:
        return None
    n = len(expected)
    if received[-1] != n and np.array_equal(received[:-1], expected[:-1]):
        return f"self.layers[-1].next is {describe_code(int(received[-1]), n)}"
    return None


@mistake(
    "model_every_layer_trainable",
    "every layer counted as trainable",
    "Only layers with parameters are trained: keep the layers that have weights, "
    "e.g. if hasattr(layer, 'weights'): self.trainable_layers.append(layer).",
    checks=("model_finalize",),
)
def _every_layer_trainable(context: Context, failure: Failure) -> str | None:
    case = _case_of(failure)
    if failure.quantity.name != "trainable":
        return None
    n = len(context.spec[case]["layers"])
    if context.matches(f"{case}.trainable", np.arange(n)):
        return f"trainable_layers holds all {n} layers, activations and dropout included"
    return None


@mistake(
    "model_loss_not_told_trainable_layers",
    "the loss was not told which layers are trainable",
    "End finalize with self.loss.remember_trainable_layers(self.trainable_layers): the loss "
    "adds those layers' L1/L2 penalties to the data loss.",
    checks=("model_finalize",),
)
def _loss_not_told(context: Context, failure: Failure) -> str | None:
    case = _case_of(failure)
    if failure.quantity.name != "loss_trainable" or context.failed(f"{case}.trainable"):
        return None
    received = context.array(f"{case}.loss_trainable")
    if received is not None and received.size == 0:
        return "the loss's trainable_layers is still empty after finalize()"
    return None


@mistake(
    "model_output_activation_not_last_layer",
    "output_layer_activation is not the last layer",
    "The last layer added is the output activation: self.output_layer_activation = "
    "self.layers[-1]; train asks it for predictions(output).",
    checks=("model_finalize",),
)
def _output_activation(context: Context, failure: Failure) -> str | None:
    if failure.quantity.name == "output_activation":
        received = context.array(failure.quantity.key)
        if received is not None and received.size == 1:
            n = len(context.spec[_case_of(failure)]["layers"])
            return f"it is {describe_code(int(received.reshape(())), n)}"
    return None


@mistake(
    "model_shortcut_not_chosen",
    "the combined softmax + cross-entropy backward is not chosen",
    "When the last layer is an Activation_Softmax and the loss a Loss_CategoricalCrossentropy, "
    "set self.softmax_classifier_output = Activation_Softmax_Loss_CategoricalCrossentropy(); "
    "otherwise leave it None.",
    checks=("model_finalize",),
)
def _shortcut_not_chosen(context: Context, failure: Failure) -> str | None:
    if failure.quantity.key == "classifier.shortcut" and context.matches(failure.quantity.key, 0):
        return (
            "with softmax and categorical cross-entropy, softmax_classifier_output is None "
            "or missing"
        )
    return None


@mistake(
    "model_shortcut_chosen_for_every_model",
    "the combined softmax + cross-entropy object chosen where it does not apply",
    "The shortcut is only right when both hold: isinstance(self.layers[-1], Activation_Softmax) "
    "and isinstance(self.loss, Loss_CategoricalCrossentropy). Otherwise "
    "self.softmax_classifier_output must stay None, and backward uses the loss's own gradient.",
    checks=("model_finalize",),
)
def _shortcut_everywhere(context: Context, failure: Failure) -> str | None:
    case = _case_of(failure)
    if failure.quantity.name == "shortcut" and case != "classifier":
        if context.matches(failure.quantity.key, 1):
            last = context.spec[case]["layers"][-1][0]
            loss = context.spec[case]["loss"].upper()
            return f"a model ending in {last} with {loss} got softmax_classifier_output"
    return None


# Found with autograder/mutation: a link left unset, or pointing at the layer itself or the
# wrong neighbour, in the loop's branch for some layers, got only the generic mismatch. The
# entry reads the wrong links' pattern from the learner's own codes; the first layer's prev and
# the last layer's next alone are the two entries above.


def _link_pattern(received: np.ndarray, expected: np.ndarray, link: str) -> str | None:
    """What every wrong ``link`` of ``received`` has in common, in the learner's terms."""
    n = len(expected)
    wrong = [i for i in range(n) if received[i] != expected[i]]
    if not wrong:
        return None
    layers = ", ".join(f"self.layers[{i}]" for i in wrong)
    codes = [int(received[i]) for i in wrong]
    right = "self.layers[i - 1]" if link == "prev" else "self.layers[i + 1]"
    whose = f"the {link} of {layers}"
    if all(code == ABSENT for code in codes):
        return f"{whose} was never set (the statement that sets it does not run for them)"
    # self.layers[i + d], with Python's wrap-around for a negative index.
    for offset in (-2, -1, 0, 1, 2):
        if all(
            -n <= i + offset < n and code == (i + offset) % n
            for i, code in zip(wrong, codes, strict=True)
        ):
            if offset == 0:
                return f"{whose} is the layer itself (self.layers[i] where {right} belongs)"
            sign = "+" if offset > 0 else "-"
            return f"{whose} is self.layers[i {sign} {abs(offset)}] where {right} belongs"
    if len(set(codes)) == 1 and 0 <= codes[0] < n:
        return (
            f"{whose} is always {describe_code(codes[0], n)} where {right} belongs "
            "(the index i is missing from the subscript)"
        )
    return None


@mistake(
    "model_link_index_slip",
    "a prev or next link set to the wrong object (or not set) for some layers",
    "For layer i, prev is self.layers[i - 1] (self.input_layer for the first) and next is "
    "self.layers[i + 1] (self.loss for the last). Fix the branch of finalize's loop the "
    "details name.",
    checks=("model_finalize",),
    priority=GENERAL,
)
def _link_index_slip(context: Context, failure: Failure) -> str | None:
    link = failure.quantity.name
    if link not in ("prev", "next") or failure.kind != "values":
        return None
    case = _case_of(failure)
    received, expected = context.array(f"{case}.{link}"), context.expected[f"{case}.{link}"]
    if received is None or received.shape != expected.shape:
        return None
    return _link_pattern(received, np.asarray(expected), link)


# =============================================================================================
# model_backward_paths
# =============================================================================================


def backward_models(seed: int) -> dict[str, Any]:
    rng = np.random.RandomState(seed)
    n_samples, hidden = 8 + rng.randint(5), 4 + rng.randint(3)
    spec = {}
    for case, n_outputs in (("classifier", 3), ("binary", 1)):
        X = rng.standard_normal((n_samples, 2))
        if case == "classifier":
            y = rng.randint(3, size=n_samples)
        else:
            y = rng.randint(2, size=(n_samples, 1))
        spec[case] = {
            "X": X,
            "y": y,
            "W1": 0.5 * rng.standard_normal((2, hidden)),
            "b1": 0.1 * rng.standard_normal((1, hidden)),
            "W2": 0.5 * rng.standard_normal((hidden, n_outputs)),
            "b2": 0.1 * rng.standard_normal((1, n_outputs)),
        }
    return spec


def backward_parts(case: str, values: dict[str, Any]) -> dict[str, Any]:
    first, second = (Dense(*values[w].shape, rng=np.random.RandomState(0)) for w in ("W1", "W2"))
    first.weights, first.biases = values["W1"].copy(), values["b1"].copy()
    second.weights, second.biases = values["W2"].copy(), values["b2"].copy()
    classifier = case == "classifier"
    return {
        "layers": [first, ReLU(), second, Softmax() if classifier else Sigmoid()],
        "loss": CategoricalCrossentropy() if classifier else BinaryCrossentropy(),
        "optimizer": Adam(),
        "accuracy": CategoricalAccuracy(binary=not classifier),
    }


def forward_values(case: str, values: dict[str, Any]) -> dict[str, np.ndarray]:
    """The hidden activations and the model's output, computed here with NumPy."""
    hidden_in = values["X"] @ values["W1"] + values["b1"]
    hidden = np.maximum(0, hidden_in)
    logits = hidden @ values["W2"] + values["b2"]
    if case == "classifier":
        exponentials = np.exp(logits - logits.max(axis=1, keepdims=True))
        output = exponentials / exponentials.sum(axis=1, keepdims=True)
    else:
        output = 1 / (1 + np.exp(-logits))
    return {"hidden_in": hidden_in, "hidden": hidden, "output": output}


#: The gradient quantities, in the order a learner should fix them (backwards through the chain).
GRADIENTS = (
    ("last", "dinputs", "the output activation's dinputs"),
    ("second", "dweights", "the last dense layer's dweights"),
    ("second", "dbiases", "the last dense layer's dbiases"),
    ("second", "dinputs", "the last dense layer's dinputs"),
    ("first", "dweights", "the first dense layer's dweights"),
    ("first", "dbiases", "the first dense layer's dbiases"),
    ("first", "dinputs", "the first dense layer's dinputs"),
)
_POSITION = {"first": 0, "second": 2, "last": 3}


@register
class ModelBackwardPathsCheck(StagedCheck):
    name = "model_backward_paths"
    title = "Model backward (both paths)"
    stages = ("construct", "add", "set", "finalize", "forward", "backward")
    cases = ("classifier", "binary")

    def build(self, seed: int) -> dict[str, Any]:
        return backward_models(seed)

    def exercise(self, recorder: Recorder, learner: Any, spec: dict[str, Any]) -> None:
        for case in self.cases:
            values = spec[case]
            parts = backward_parts(case, values)
            model = prepared_model(recorder, learner, parts, case)
            if model is None:
                continue
            ok, _ = recorder.invoke(f"{case}.forward", model, "forward", values["X"].copy(), True)
            if not ok:
                continue
            output = forward_values(case, values)["output"]
            with backward_order(parts["layers"]) as calls:
                recorder.invoke(f"{case}.backward", model, "backward", output, values["y"].copy())
            keep_backward_facts(recorder, case, parts["layers"], calls)
            for tag, attribute, _ in GRADIENTS:
                layer = parts["layers"][_POSITION[tag]]
                recorder.keep_attribute(f"{case}.{tag}.{attribute}", layer, attribute)

    def expect(self, spec: dict[str, Any]) -> dict[str, Any]:
        expected = {}
        for case in self.cases:
            values = spec[case]
            parts = backward_parts(case, values)
            model = reference_model(parts)
            model.forward(values["X"].copy(), training=True)
            model.backward(forward_values(case, values)["output"], values["y"].copy())
            for tag, attribute, _ in GRADIENTS:
                layer = parts["layers"][_POSITION[tag]]
                expected[f"{case}.{tag}.{attribute}"] = getattr(layer, attribute)
        return expected

    def quantities(self, spec: dict[str, Any]) -> list[Quantity]:
        shown = {
            "classifier": "softmax with categorical cross-entropy",
            "binary": "sigmoid with binary cross-entropy",
        }
        return [
            Quantity(
                f"{case}.{tag}.{attribute}",
                f"{label} ({shown[case]})",
                attribute,
                f"{case}.backward",
                "after forward(X, True) and backward(output, y)",
            )
            for case in self.cases
            for tag, attribute, label in GRADIENTS
        ]


def _through_dense(spec_case: dict[str, Any], dlogits: np.ndarray) -> dict[str, np.ndarray]:
    """What the second dense layer computes from ``dlogits``."""
    hidden = forward_values("binary", spec_case)["hidden"]
    return {
        "dweights": hidden.T @ dlogits,
        "dbiases": dlogits.sum(axis=0, keepdims=True),
        "dinputs": dlogits @ spec_case["W2"].T,
    }


def _error_mentions(context: Context, stage: str, *words: str) -> str | None:
    record = context.error(stage) or {}
    message = str(record.get("message", ""))
    if record.get("type") == "AttributeError" and all(word in message for word in words):
        return message
    return None


@mistake(
    "model_softmax_backward_not_skipped",
    "the softmax's own backward still runs after the combined one",
    "The combined object already gives the gradient with respect to the softmax's *inputs*. "
    "Store it as self.layers[-1].dinputs and continue from the layer before the softmax: "
    "for layer in reversed(self.layers[:-1]): layer.backward(layer.next.dinputs).",
    checks=("model_backward_paths", "model_backward_chain"),
)
def _softmax_not_skipped(context: Context, failure: Failure) -> str | None:
    for stage in ("classifier.backward", "run.backward"):
        message = _error_mentions(context, stage, "dinputs", "Crossentropy")
        if message is not None:
            return (
                f"your backward asked the loss for dinputs ({message}); with the combined "
                f"object the loss's own backward never runs, and the softmax needs no backward"
            )
    # model.py's chain (Dense, ReLU, an identity spy, Dense, Softmax) has the same values as
    # this family's classifier (Dense, ReLU, Dense, Softmax): both are checked the same way.
    prefix = "classifier" if context.check == "model_backward_paths" else "run"
    values = context.spec["classifier"] if prefix == "classifier" else context.spec
    output = forward_values("classifier", values)["output"]
    combined = output.copy()
    combined[np.arange(len(combined)), values["y"]] -= 1
    combined /= len(combined)
    twice = output * (combined - np.sum(output * combined, axis=1, keepdims=True))
    if prefix == "classifier" and context.matches("classifier.last.dinputs", twice):
        return "the softmax's dinputs hold its Jacobian applied to the combined gradient"
    if context.matches(f"{prefix}.second.dweights", _through_dense(values, twice)["dweights"]):
        return (
            "the last dense layer received the softmax's Jacobian applied to the combined gradient"
        )
    return None


@mistake(
    "model_backward_not_reversed",
    "the layers' backward passes run in forward order",
    "Gradients flow from the loss back to the inputs: each layer needs next.dinputs, so walk "
    "the layers with reversed(self.layers) (or reversed(self.layers[:-1]) after the shortcut).",
    checks=("model_backward_paths", "model_backward_chain"),
)
def _not_reversed(context: Context, failure: Failure) -> str | None:
    for stage in ("classifier.backward", "binary.backward", "run.backward"):
        message = _error_mentions(context, stage, "dinputs")
        if message is None or "Crossentropy" in message:
            continue
        # The premise: the walk started at the first layer. The same error comes from a
        # dinputs never stored or a wrong next link, where reversing would not help. The
        # first layer's backward either ran first, or failed on reading its next's dinputs
        # (nothing ran, the links are right and the object without dinputs is the second).
        case = stage.partition(".")[0]
        order = context.array(f"{case}.backward_order")
        linked = context.array(f"{case}.links_in_order")
        second = context.notes.get(f"{case}.second_layer")
        if order is None:
            continue
        if order.size:
            forward = bool(order[0] == 0)
        else:
            forward = bool(
                linked is not None
                and linked.size == 1
                and linked.reshape(()) == 1
                and second
                and message.startswith(f"'{second}' object")
            )
        if forward:
            return f"a layer asked its next for dinputs before that had run ({message})"
    return None


@mistake(
    "model_next_links_wrong",
    "finalize does not link each layer's next to the layer after it",
    "backward hands each layer layer.next.dinputs, so the links must follow the list: "
    "self.layers[i].next = self.layers[i + 1] for every layer but the last, whose next is "
    "self.loss. A wrong index gives a layer another layer's gradient, or one not computed yet.",
    checks=("model_backward_paths", "model_backward_chain"),
)
def _next_links_wrong(context: Context, failure: Failure) -> str | None:
    for case in ("classifier", "binary", "run"):
        linked = context.array(f"{case}.links_in_order")
        if linked is not None and linked.size == 1 and linked.reshape(()) == 0:
            return (
                "after your finalize, not every layer's next is the layer after it in self.layers"
            )
    return None


@mistake(
    "model_shortcut_gradient_not_stored",
    "the combined object's gradient is not stored as the last layer's dinputs",
    "After self.softmax_classifier_output.backward(output, y), hand its result to the last "
    "layer: self.layers[-1].dinputs = self.softmax_classifier_output.dinputs. The loop over "
    "the other layers reads it there, as layer.next.dinputs.",
    checks=("model_backward_paths", "model_backward_chain"),
)
def _shortcut_not_stored(context: Context, failure: Failure) -> str | None:
    for case in ("classifier", "run"):
        message = _error_mentions(context, f"{case}.backward", "dinputs")
        last = context.notes.get(f"{case}.last_layer")
        order = context.array(f"{case}.backward_order")
        # The premise: the walk went backwards (the forward-order walk has its own entry)
        # and the object without dinputs is the last layer, the softmax the shortcut skips.
        if message is None or not last or not message.startswith(f"'{last}' object"):
            continue
        if order is not None and order.size and order[0] == 0:
            continue
        return f"the layer before the {last} found no dinputs on it ({message})"
    return None


@mistake(
    "model_loss_backward_skipped",
    "the loss's backward is skipped: the output goes straight into the last layer",
    "Without the shortcut, the gradient starts at the loss: self.loss.backward(output, y), "
    "then for layer in reversed(self.layers): layer.backward(layer.next.dinputs).",
    checks=("model_backward_paths",),
)
def _loss_skipped(context: Context, failure: Failure) -> str | None:
    output = forward_values("binary", context.spec["binary"])["output"]
    if context.matches("binary.last.dinputs", output * output * (1 - output)):
        return "the sigmoid's backward received the model's output instead of the loss's gradient"
    return None


@mistake(
    "model_last_activation_skipped_without_shortcut",
    "the last activation's backward is skipped although no shortcut applies",
    "Only the combined softmax + cross-entropy replaces the last activation's backward. With "
    "any other ending (sigmoid, linear) run every layer's backward, the last one included.",
    checks=("model_backward_paths",),
)
def _last_skipped(context: Context, failure: Failure) -> str | None:
    values = context.spec["binary"]
    output = forward_values("binary", values)["output"]
    loss_gradient = BinaryCrossentropy().backward(output, values["y"])
    if context.matches("binary.second.dweights", _through_dense(values, loss_gradient)["dweights"]):
        return "the last dense layer received the loss's gradient directly, past the sigmoid"
    return None
