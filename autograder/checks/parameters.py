"""Chapter 21: a layer's and a model's parameters, read out and put back.

* ``dense_parameters``: the learner's ``Layer_Dense`` (in the chapter's notebook a subclass
  of the reference's) with ``get_parameters()`` returning *copies* of ``(weights, biases)``
  and ``set_parameters(weights, biases)`` storing copies after checking both shapes. The
  probe changes the arrays it received and the arrays it handed over afterwards, so shared
  arrays show, and hands over transposed weights and biases of the wrong length, which
  must be refused (any exception) and leave the layer as it was.
* ``model_parameters``: the learner's ``Model`` with ``get_parameters()`` returning one
  ``(weights, biases)`` pair per trainable layer, in order, and ``set_parameters(pairs)``
  putting them back in the same order, refusing a list of the wrong length or a pair of
  the wrong shape. The model is Dense(4, 4) → ReLU → Dense(4, 4) → ReLU → Dense(4, 4) →
  Softmax of reference layers: square layers, so that a wrong order shows in the values
  rather than as a shape error.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from nnfs_core import Adam, CategoricalAccuracy, CategoricalCrossentropy, Dense, ReLU, Softmax

from ._models import BUILD_STAGES, call_own, own_method, prepared_model, raised
from .base import Unrepresentable
from .capture import Recorder
from .judging import StagedCheck
from .shared import Context, Failure, Quantity, mistake, register

#: Added in place to arrays after they changed hands, so sharing shows.
SHIFT = 1000.0


def _shift_in_place(value: Any) -> None:
    """Add SHIFT to ``value`` in place when it is a writeable float array (else leave it)."""
    if isinstance(value, np.ndarray) and value.dtype.kind == "f" and value.flags.writeable:
        value += SHIFT


def _pair(value: Any) -> tuple[Any, Any] | None:
    if isinstance(value, tuple | list) and len(value) == 2:
        return value[0], value[1]
    return None


def _not_a_pair(value: Any, what: str) -> Unrepresentable:
    shown = type(value).__name__
    if isinstance(value, tuple | list):
        shown += f" of length {len(value)}"
    return Unrepresentable(f"a {shown} instead of {what}")


# =============================================================================================
# Layer_Dense.get_parameters / set_parameters
# =============================================================================================


@register
class DenseParameters(StagedCheck):
    name = "dense_parameters"
    title = "Layer_Dense.get_parameters and set_parameters"
    stages = ("construct", "get", "set", "wrong")

    def build(self, seed: int) -> dict[str, Any]:
        rng = np.random.RandomState(seed)
        n_inputs = 3 + rng.randint(2)
        n_neurons = n_inputs + 2
        return {
            "n_inputs": n_inputs,
            "n_neurons": n_neurons,
            "W": rng.standard_normal((n_inputs, n_neurons)),
            "b": rng.standard_normal((1, n_neurons)),
            "W2": rng.standard_normal((n_inputs, n_neurons)),
            "b2": rng.standard_normal((1, n_neurons)),
            "b_long": rng.standard_normal((1, n_neurons + 1)),
        }

    def exercise(self, recorder: Recorder, learner: Any, spec: dict[str, Any]) -> None:
        layer = recorder.construct("run.construct", learner, spec["n_inputs"], spec["n_neurons"])
        if layer is None:
            return
        ok, _ = recorder.call(
            "run.construct",
            "setting weights and biases",
            _set_attributes,
            layer,
            spec["W"].copy(),
            spec["b"].copy(),
        )
        if not ok:
            return
        ok, returned = call_own(recorder, "run.get", layer, "get_parameters")
        if not ok:
            return
        pair = _pair(returned)
        if pair is None:
            shown = _not_a_pair(returned, "the pair (weights, biases)")
            recorder.values["run.get.weights"] = None if returned is None else shown
            recorder.values["run.get.biases"] = None if returned is None else shown
        else:
            recorder.keep("run.get.weights", pair[0])
            recorder.keep("run.get.biases", pair[1])
            for value in pair:
                _shift_in_place(value)
        recorder.keep_attribute("run.get.weights_after", layer, "weights")
        recorder.keep_attribute("run.get.biases_after", layer, "biases")

        weights, biases = spec["W2"].copy(), spec["b2"].copy()
        ok, _ = call_own(recorder, "run.set", layer, "set_parameters", weights, biases)
        if not ok:
            return
        recorder.keep_attribute("run.set.weights", layer, "weights")
        recorder.keep_attribute("run.set.biases", layer, "biases")
        _shift_in_place(weights)
        _shift_in_place(biases)
        recorder.keep_attribute("run.set.weights_after", layer, "weights")
        recorder.keep_attribute("run.set.biases_after", layer, "biases")

        method = own_method(recorder, "run.wrong", layer, "set_parameters")
        if method is None:
            return
        recorder.call(
            "run.wrong", "set_parameters", _reset, layer, spec["W2"].copy(), spec["b2"].copy()
        )
        refused = raised(method, spec["W2"].T.copy(), spec["b2"].copy())
        recorder.keep("run.wrong.weights_refused", np.int64(refused))
        recorder.keep_attribute("run.wrong.weights", layer, "weights")
        refused = raised(method, spec["W2"].copy(), spec["b_long"].copy())
        recorder.keep("run.wrong.biases_refused", np.int64(refused))
        recorder.keep_attribute("run.wrong.biases", layer, "biases")

    def expect(self, spec: dict[str, Any]) -> dict[str, Any]:
        layer = Dense(spec["n_inputs"], spec["n_neurons"], rng=0)
        layer.set_parameters(spec["W"], spec["b"])
        weights, biases = layer.get_parameters()
        layer.set_parameters(spec["W2"], spec["b2"])
        return {
            "run.get.weights": weights,
            "run.get.biases": biases,
            "run.get.weights_after": spec["W"],
            "run.get.biases_after": spec["b"],
            "run.set.weights": layer.weights.copy(),
            "run.set.biases": layer.biases.copy(),
            "run.set.weights_after": spec["W2"],
            "run.set.biases_after": spec["b2"],
            "run.wrong.weights_refused": np.int64(1),
            "run.wrong.weights": spec["W2"],
            "run.wrong.biases_refused": np.int64(1),
            "run.wrong.biases": spec["b2"],
        }

    def quantities(self, spec: dict[str, Any]) -> list[Quantity]:
        shape = (spec["n_inputs"], spec["n_neurons"])
        changed = f"after adding {SHIFT:g} to the arrays get_parameters returned"
        handed = f"after adding {SHIFT:g} to the arrays passed to set_parameters"
        transposed = f"set_parameters(weights.T, biases) on a layer with weights {shape}"
        long = f"set_parameters(weights, biases of shape (1, {spec['n_neurons'] + 1}))"
        rows = [
            ("get.weights", "the weights get_parameters returned", "weights", "get()"),
            ("get.biases", "the biases get_parameters returned", "biases", "get()"),
            ("get.weights_after", "self.weights", "get_weights_after", changed),
            ("get.biases_after", "self.biases", "get_biases_after", changed),
            ("set.weights", "self.weights", "weights", "set()"),
            ("set.biases", "self.biases", "biases", "set()"),
            ("set.weights_after", "self.weights", "set_weights_after", handed),
            ("set.biases_after", "self.biases", "set_biases_after", handed),
            (
                "wrong.weights_refused",
                "whether set_parameters refused transposed weights (1 = raised an error, "
                "0 = accepted them)",
                "refused",
                transposed,
            ),
            ("wrong.weights", "self.weights", "wrong_weights", transposed),
            (
                "wrong.biases_refused",
                "whether set_parameters refused biases of the wrong length (1 = raised an "
                "error, 0 = accepted them)",
                "refused",
                long,
            ),
            ("wrong.biases", "self.biases", "wrong_biases", long),
        ]
        calls = {"get()": "get_parameters()", "set()": "set_parameters(weights, biases)"}
        return [
            Quantity(
                f"run.{key}", label, name, f"run.{key.partition('.')[0]}", calls.get(after, after)
            )
            for key, label, name, after in rows
        ]


def _set_attributes(layer: Any, weights: np.ndarray, biases: np.ndarray) -> None:
    layer.weights = weights
    layer.biases = biases


def _reset(layer: Any, weights: np.ndarray, biases: np.ndarray) -> None:
    """Put known parameters back (as attributes) before the calls that must be refused."""
    _set_attributes(layer, weights, biases)


# =============================================================================================
# Model.get_parameters / set_parameters
# =============================================================================================

N_UNITS, N_DENSE = 4, 3


def assemble_parameters(spec: dict[str, Any]) -> dict[str, Any]:
    layers: list[Any] = []
    for index in range(N_DENSE):
        dense = Dense(N_UNITS, N_UNITS, rng=0)
        dense.weights, dense.biases = spec["W"][index].copy(), spec["b"][index].copy()
        layers.extend([dense, ReLU() if index < N_DENSE - 1 else Softmax()])
    return {
        "layers": layers,
        "loss": CategoricalCrossentropy(),
        "optimizer": Adam(),
        "accuracy": CategoricalAccuracy(),
    }


def dense_layers(parts: dict[str, Any]) -> list[Any]:
    return [layer for layer in parts["layers"] if isinstance(layer, Dense)]


@register
class ModelParameters(StagedCheck):
    name = "model_parameters"
    title = "Model.get_parameters and set_parameters"
    stages = (*BUILD_STAGES, "get", "set", "wrong")

    def build(self, seed: int) -> dict[str, Any]:
        rng = np.random.RandomState(seed)
        spec: dict[str, Any] = {}
        for name in ("", "2"):
            spec[f"W{name}"] = [rng.standard_normal((N_UNITS, N_UNITS)) for _ in range(N_DENSE)]
            spec[f"b{name}"] = [rng.standard_normal((1, N_UNITS)) for _ in range(N_DENSE)]
        spec["W_wide"] = rng.standard_normal((N_UNITS, N_UNITS + 1))
        return spec

    def exercise(self, recorder: Recorder, learner: Any, spec: dict[str, Any]) -> None:
        parts = assemble_parameters(spec)
        model = prepared_model(recorder, learner, parts)
        if model is None:
            return
        layers = dense_layers(parts)
        ok, returned = call_own(recorder, "run.get", model, "get_parameters")
        if not ok:
            return
        if isinstance(returned, tuple | list):
            recorder.keep("run.get.count", np.int64(len(returned)))
            for index, entry in enumerate(returned[:N_DENSE]):
                pair = _pair(entry)
                if pair is None:
                    shown = _not_a_pair(entry, "a pair (weights, biases)")
                    recorder.values[f"run.get.{index}.weights"] = shown
                    recorder.values[f"run.get.{index}.biases"] = shown
                    continue
                recorder.keep(f"run.get.{index}.weights", pair[0])
                recorder.keep(f"run.get.{index}.biases", pair[1])
                for value in pair:
                    _shift_in_place(value)
        else:
            shown = None if returned is None else _not_a_pair(returned, "a list of pairs")
            recorder.values["run.get.count"] = shown
        for index, layer in enumerate(layers):
            recorder.keep(f"run.get.{index}.weights_after", layer.weights)

        pairs = [(w.copy(), b.copy()) for w, b in zip(spec["W2"], spec["b2"], strict=True)]
        ok, _ = call_own(recorder, "run.set", model, "set_parameters", pairs)
        if not ok:
            return
        for index, layer in enumerate(layers):
            recorder.keep(f"run.set.{index}.weights", layer.weights)
            recorder.keep(f"run.set.{index}.biases", layer.biases)

        method = own_method(recorder, "run.wrong", model, "set_parameters")
        if method is None:
            return
        short = [(w.copy(), b.copy()) for w, b in pairs[: N_DENSE - 1]]
        recorder.keep("run.wrong.short_refused", np.int64(raised(method, short)))
        wide = [(w.copy(), b.copy()) for w, b in pairs]
        wide[1] = (spec["W_wide"].copy(), wide[1][1])
        recorder.keep("run.wrong.shape_refused", np.int64(raised(method, wide)))

    def expect(self, spec: dict[str, Any]) -> dict[str, Any]:
        expected: dict[str, Any] = {"run.get.count": np.int64(N_DENSE)}
        for index in range(N_DENSE):
            expected[f"run.get.{index}.weights"] = spec["W"][index]
            expected[f"run.get.{index}.biases"] = spec["b"][index]
            expected[f"run.get.{index}.weights_after"] = spec["W"][index]
            expected[f"run.set.{index}.weights"] = spec["W2"][index]
            expected[f"run.set.{index}.biases"] = spec["b2"][index]
        expected["run.wrong.short_refused"] = np.int64(1)
        expected["run.wrong.shape_refused"] = np.int64(1)
        return expected

    def quantities(self, spec: dict[str, Any]) -> list[Quantity]:
        shift = f"after adding {SHIFT:g} to the arrays get_parameters returned"
        found = [
            Quantity(
                "run.get.count",
                "the number of (weights, biases) pairs get_parameters returned",
                "count",
                "run.get",
                f"get_parameters() on a model with {N_DENSE} dense layers",
            )
        ]
        ordinal = ("first", "second", "third")
        for index in range(N_DENSE):
            for name in ("weights", "biases"):
                found.append(
                    Quantity(
                        f"run.get.{index}.{name}",
                        f"the {name} of pair {index} get_parameters returned",
                        f"get_{name}",
                        "run.get",
                        f"get_parameters() (pair {index} belongs to the {ordinal[index]} "
                        f"dense layer)",
                    )
                )
        for index in range(N_DENSE):
            found.append(
                Quantity(
                    f"run.get.{index}.weights_after",
                    f"the {ordinal[index]} dense layer's weights",
                    "get_weights_after",
                    "run.get",
                    shift,
                )
            )
        for index in range(N_DENSE):
            for name in ("weights", "biases"):
                found.append(
                    Quantity(
                        f"run.set.{index}.{name}",
                        f"the {ordinal[index]} dense layer's {name}",
                        f"set_{name}",
                        "run.set",
                        f"set_parameters(pairs) with {N_DENSE} new pairs",
                    )
                )
        found.append(
            Quantity(
                "run.wrong.short_refused",
                f"whether set_parameters refused a list of {N_DENSE - 1} pairs for "
                f"{N_DENSE} dense layers (1 = raised an error, 0 = accepted it)",
                "refused",
                "run.wrong",
                f"set_parameters(pairs[:{N_DENSE - 1}])",
            )
        )
        found.append(
            Quantity(
                "run.wrong.shape_refused",
                f"whether set_parameters refused weights of shape {(N_UNITS, N_UNITS + 1)} "
                f"for a layer with weights {(N_UNITS, N_UNITS)} (1 = raised an error, "
                f"0 = accepted them)",
                "refused",
                "run.wrong",
                "set_parameters(pairs) with the second pair's weights too wide",
            )
        )
        return found


# =============================================================================================
# Catalogued mistakes
# =============================================================================================


def _shifted(value: np.ndarray) -> np.ndarray:
    return np.asarray(value, dtype=np.float64) + SHIFT


@mistake(
    "parameters_get_shares_arrays",
    "get_parameters returns the layer's own arrays, not copies",
    "Return copies: self.weights.copy(), self.biases.copy(). The arrays you return are the "
    "layer's memory: whoever receives them and changes them (or the optimizer, updating the "
    "layer in place during later training) changes the other side too, so a saved snapshot "
    "quietly stops being one.",
    checks=("dense_parameters",),
)
def _parameters_get_shares(context: Context, failure: Failure) -> str | None:
    if context.matches("run.get.weights_after", _shifted(context.spec["W"])) or context.matches(
        "run.get.biases_after", _shifted(context.spec["b"])
    ):
        return f"adding {SHIFT:g} to the returned arrays changed the layer's parameters as well"
    return None


@mistake(
    "parameters_set_shares_arrays",
    "set_parameters keeps the caller's arrays, not copies",
    "Store copies: self.weights = weights.copy(), self.biases = biases.copy(). Otherwise two "
    "layers given the same arrays share them, and training one (the optimizer updates in "
    "place) silently changes the other.",
    checks=("dense_parameters",),
)
def _parameters_set_shares(context: Context, failure: Failure) -> str | None:
    if context.matches("run.set.weights_after", _shifted(context.spec["W2"])) or context.matches(
        "run.set.biases_after", _shifted(context.spec["b2"])
    ):
        return f"adding {SHIFT:g} to the arrays after the call changed the layer's parameters"
    return None


# Found with autograder/mutation: the pair returned in the wrong order, and a parameter
# set_parameters never stores, got only a generic shape or value mismatch.


@mistake(
    "parameters_pair_swapped",
    "get_parameters returns (biases, weights)",
    "Return the pair in the order set_parameters takes it: return self.weights.copy(), "
    "self.biases.copy(). The model's get_parameters and set_parameters pass the pairs on, "
    "so the order must be the same on both sides.",
    checks=("dense_parameters",),
)
def _parameters_pair_swapped(context: Context, failure: Failure) -> str | None:
    if failure.quantity.key not in ("run.get.weights", "run.get.biases"):
        return None
    if context.matches("run.get.weights", context.spec["b"]) and context.matches(
        "run.get.biases", context.spec["W"]
    ):
        return "the first array returned holds the biases and the second the weights"
    return None


@mistake(
    "parameters_set_not_stored",
    "set_parameters does not store one of the arrays it is given",
    "Store both, on the layer: self.weights = weights.copy() and self.biases = biases.copy(). "
    "A line that is missing, or assigns a local name (weights = ... without self.), leaves "
    "the layer's old values in place.",
    checks=("dense_parameters",),
)
def _parameters_set_not_stored(context: Context, failure: Failure) -> str | None:
    if (
        failure.quantity.key not in ("run.set.weights", "run.set.biases")
        or failure.kind != "values"
    ):
        return None
    part = failure.quantity.key.rpartition(".")[2]
    old = context.spec["W" if part == "weights" else "b"]
    if context.matches(failure.quantity.key, old):
        return f"after set_parameters(weights, biases) self.{part} still holds the old values"
    return None


@mistake(
    "parameters_shape_unchecked",
    "set_parameters accepts parameters of the wrong shape",
    "Compare weights.shape with self.weights.shape and biases.shape with self.biases.shape "
    "before storing anything, and raise a ValueError that says what was received, what was "
    "expected and how to fix it. A wrong shape can still broadcast in forward and give a "
    "wrong answer without any error.",
    checks=("dense_parameters",),
)
def _parameters_shape_unchecked(context: Context, failure: Failure) -> str | None:
    accepted = [
        what
        for key, what in (
            ("run.wrong.weights_refused", "transposed weights"),
            ("run.wrong.biases_refused", "biases one value too long"),
        )
        if context.matches(key, 0)
    ]
    return f"it accepted {' and '.join(accepted)}" if accepted else None


@mistake(
    "model_parameters_all_layers",
    "the loop runs over every layer, not only the trainable ones",
    "Activations such as ReLU have no weights or biases. Loop over self.trainable_layers "
    "(the layers finalize() found to have weights), in order.",
    checks=("model_parameters",),
)
def _model_parameters_all_layers(context: Context, failure: Failure) -> str | None:
    for stage in ("run.get", "run.set"):
        record = context.error(stage)
        message = str((record or {}).get("message", ""))
        if record and record.get("type") == "AttributeError" and "ReLU" in message:
            return f"{stage.partition('.')[2]}_parameters reached a ReLU ({message})"
    return None


@mistake(
    "model_parameters_shares_arrays",
    "get_parameters returns the layers' own arrays, not copies",
    "Call each layer's get_parameters() (which copies) instead of collecting layer.weights "
    "and layer.biases yourself. A list holding the layers' own arrays changes while the "
    "model trains, so it is no snapshot to save or restore.",
    checks=("model_parameters",),
)
def _model_parameters_shares(context: Context, failure: Failure) -> str | None:
    for index in range(N_DENSE):
        key = f"run.get.{index}.weights_after"
        if context.matches(key, _shifted(context.spec["W"][index])):
            return f"adding {SHIFT:g} to the returned arrays changed the model's layers as well"
    return None


@mistake(
    "model_parameters_wrong_order",
    "the pairs are not in the order of the trainable layers",
    "get_parameters and set_parameters must both walk self.trainable_layers front to back, "
    "so pair i always belongs to the i-th layer with weights; a file saved by one model then "
    "loads into another built the same way.",
    checks=("model_parameters",),
)
def _model_parameters_order(context: Context, failure: Failure) -> str | None:
    last = N_DENSE - 1
    for stage, source in (("get", "W"), ("set", "W2")):
        values = context.spec[source]
        placed = [
            other
            for other in range(N_DENSE)
            if context.matches(f"run.{stage}.0.weights", values[other])
        ]
        if placed and placed[0] != 0:
            what = "pair 0 holds" if stage == "get" else "the first dense layer received"
            return f"{stage}_parameters: {what} the weights of dense layer {placed[0]}"
        if context.matches(f"run.{stage}.{last}.weights", values[0]):
            return f"{stage}_parameters: the last and first dense layers are swapped"
    return None


@mistake(
    "model_parameters_unchecked",
    "set_parameters accepts a list that does not fit the model",
    "Raise a ValueError when len(parameters) differs from len(self.trainable_layers) (zip "
    "would silently stop at the shorter one), and hand each pair to the layer's own "
    "set_parameters, which refuses a wrong shape, instead of assigning layer.weights "
    "yourself.",
    checks=("model_parameters",),
)
def _model_parameters_unchecked(context: Context, failure: Failure) -> str | None:
    accepted = [
        what
        for key, what in (
            ("run.wrong.short_refused", f"a list of {N_DENSE - 1} pairs for {N_DENSE} layers"),
            ("run.wrong.shape_refused", "weights of the wrong shape"),
        )
        if context.matches(key, 0)
    ]
    return f"it accepted {' and '.join(accepted)}" if accepted else None
