"""Checks for the dense layer: forward and backward (ch09), and the L1/L2 gradients (ch14).

Every case builds the learner's ``Layer_Dense(n_inputs, n_neurons, ...)`` as the book does,
then overwrites ``weights`` and ``biases`` with seeded float64 values, so the learner's own
initialisation (random, and float32 under ``nnfs.init()``) does not matter. Two cases:

* ``rect``: n_inputs, n_neurons and n_samples all different, so a transposed array
  has a shape that gives it away;
* ``square``: n_inputs == n_neurons, so a transposed *weights* array still has the right
  shape and the mistake shows in the values (and the catalogue can name it).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from nnfs_core import Dense
from nnfs_core.layers import l1_l2_penalty

from .capture import Recorder, learner_forward
from .judging import StagedCheck, witness_indices
from .shared import EARLY, GENERAL, Context, Failure, Quantity, mistake, register, shape_text

CASES = ("rect", "square")
REGULARIZERS = (
    "weight_regularizer_l1",
    "weight_regularizer_l2",
    "bias_regularizer_l1",
    "bias_regularizer_l2",
)


def _case(rng: np.random.RandomState, n_samples: int, n_inputs: int, n_neurons: int):
    return {
        "n_inputs": n_inputs,
        "n_neurons": n_neurons,
        "X": rng.standard_normal((n_samples, n_inputs)),
        "W": 0.5 * rng.standard_normal((n_inputs, n_neurons)),
        "b": rng.standard_normal((1, n_neurons)),
        "dvalues": rng.standard_normal((n_samples, n_neurons)),
    }


def build_dense(seed: int, *, regularized: bool = False) -> dict[str, Any]:
    rng = np.random.RandomState(seed)
    n_inputs = 2 + rng.randint(2)
    n_neurons = n_inputs + 1 + rng.randint(2)
    n_samples = n_neurons + 1 + rng.randint(3)
    spec: dict[str, Any] = {"rect": _case(rng, n_samples, n_inputs, n_neurons)}
    spec["square"] = _case(rng, 4 + rng.randint(2), 3, 3)
    if regularized:
        # Every strength on, each different, large enough to dominate a wrong factor; some
        # parameters exactly 0, where the book's L1 derivative is +1 (not sign(0) = 0).
        spec["regularizers"] = dict(
            zip(REGULARIZERS, np.round(rng.uniform(0.05, 0.5, size=4), 3).tolist())
        )
        for name in CASES:
            case = spec[name]
            case["W"].flat[rng.permutation(case["W"].size)[:2]] = 0.0
            case["b"].flat[rng.permutation(case["b"].size)[:1]] = 0.0
    for name in CASES:
        case = spec[name]
        case["witness"] = {
            "dinputs": witness_indices(rng, case["X"].shape, 3),
            "dweights": witness_indices(
                rng, case["W"].shape, 3, avoid=lambda i, c=case: abs(c["W"][i]) < 1e-3
            ),
            "dbiases": witness_indices(
                rng, case["b"].shape, 2, avoid=lambda i, c=case: abs(c["b"][i]) < 1e-3
            ),
        }
    return spec


def reference_dense(case: dict[str, Any], regularizers: dict[str, float] | None = None) -> Dense:
    # A private generator: the initial weights are overwritten anyway, and drawing them from
    # NumPy's global one would shift what a learner's next np.random call returns.
    layer = Dense(
        case["n_inputs"], case["n_neurons"], **(regularizers or {}), rng=np.random.RandomState(0)
    )
    layer.weights = case["W"].copy()
    layer.biases = case["b"].copy()
    layer.forward(case["X"].copy())
    layer.backward(case["dvalues"].copy())
    return layer


class _DenseCheck(StagedCheck):
    regularized = False

    def build(self, seed: int) -> dict[str, Any]:
        return build_dense(seed, regularized=self.regularized)

    def _layer(self, recorder: Recorder, learner: Any, spec: dict[str, Any], name: str):
        case = spec[name]
        kwargs = spec.get("regularizers", {}) if self.regularized else {}
        stage = f"{name}.construct"
        layer = recorder.construct(stage, learner, case["n_inputs"], case["n_neurons"], **kwargs)
        if layer is None:
            return None
        recorder.keep_attribute(f"{name}.init_weights", layer, "weights")
        recorder.keep_attribute(f"{name}.init_biases", layer, "biases")
        ok, _ = recorder.call(
            stage, "code setting weights and biases", _set_parameters, layer, case
        )
        return layer if ok else None

    def _init_quantities(self) -> list[Quantity]:
        after = "after Layer_Dense(n_inputs, n_neurons)"
        return [
            Quantity(
                "rect.init_weights",
                "the weights your constructor creates",
                "init_weights",
                "rect.construct",
                after,
                shape_only=True,
            ),
            Quantity(
                "rect.init_biases",
                "the biases your constructor creates",
                "init_biases",
                "rect.construct",
                after,
            ),
        ]

    def _init_expected(self, spec: dict[str, Any]) -> dict[str, Any]:
        case = spec["rect"]
        return {
            "rect.init_weights": np.zeros((case["n_inputs"], case["n_neurons"])),
            "rect.init_biases": np.zeros((1, case["n_neurons"])),
        }


def _set_parameters(layer: Any, case: dict[str, Any]) -> None:
    layer.weights = case["W"].copy()
    layer.biases = case["b"].copy()


@register
class DenseForward(_DenseCheck):
    name = "dense_forward"
    title = "Layer_Dense.forward"
    stages = ("construct", "forward")

    def exercise(self, recorder: Recorder, learner: Any, spec: dict[str, Any]) -> None:
        for name in CASES:
            layer = self._layer(recorder, learner, spec, name)
            if layer is None:
                continue
            inputs = spec[name]["X"].copy()
            _, returned = recorder.forward(f"{name}.forward", layer, inputs, training=True)
            recorder.keep_attribute(f"{name}.output", layer, "output")
            recorder.keep(f"{name}.output_returned", returned)
            recorder.keep(f"{name}.inputs_after", inputs)

    def expect(self, spec: dict[str, Any]) -> dict[str, Any]:
        expected = self._init_expected(spec)
        for name in CASES:
            case = spec[name]
            expected[f"{name}.output"] = case["X"] @ case["W"] + case["b"]
            expected[f"{name}.inputs_after"] = case["X"]
        return expected

    def quantities(self, spec: dict[str, Any]) -> list[Quantity]:
        after = "after forward(inputs)"
        return [
            Quantity("rect.output", "self.output", "output", "rect.forward", after),
            Quantity(
                "square.output", "self.output (square weights)", "output", "square.forward", after
            ),
            *self._init_quantities(),
            Quantity(
                "rect.inputs_after",
                "the inputs array passed to forward",
                "inputs_after",
                "rect.forward",
                "during forward",
                mutation=True,
            ),
        ]


class _DenseBackward(_DenseCheck):
    stages = ("construct", "forward", "backward")

    def exercise(self, recorder: Recorder, learner: Any, spec: dict[str, Any]) -> None:
        for name in CASES:
            case = spec[name]
            layer = self._layer(recorder, learner, spec, name)
            if layer is None:
                continue
            ok, _ = recorder.forward(f"{name}.forward", layer, case["X"].copy(), training=True)
            if not ok:
                continue
            dvalues = case["dvalues"].copy()
            ok, returned = recorder.invoke(f"{name}.backward", layer, "backward", dvalues)
            for attribute in ("dweights", "dbiases", "dinputs"):
                recorder.keep_attribute(f"{name}.{attribute}", layer, attribute)
            recorder.keep(f"{name}.dinputs_returned", returned)
            recorder.keep(f"{name}.dvalues_after", dvalues)
            if ok and name == "rect":
                self._witness(recorder, layer, case, name)

    def _witness(self, recorder: Recorder, layer: Any, case: dict[str, Any], name: str) -> None:
        """The learner's forward at perturbed inputs, weights and biases (a fresh output each)."""

        def at_inputs(values: np.ndarray):
            return learner_forward(layer, values)

        def at_parameter(attribute: str):
            def evaluate(values: np.ndarray):
                original = getattr(layer, attribute)
                setattr(layer, attribute, values)
                try:
                    return learner_forward(layer, case["X"].copy())
                finally:
                    setattr(layer, attribute, original)

            return evaluate

        indices = case["witness"]
        recorder.keep_witness(f"{name}.dinputs", at_inputs, case["X"], indices["dinputs"])
        recorder.keep_witness(
            f"{name}.dweights", at_parameter("weights"), case["W"], indices["dweights"]
        )
        recorder.keep_witness(
            f"{name}.dbiases", at_parameter("biases"), case["b"], indices["dbiases"]
        )

    def expect(self, spec: dict[str, Any]) -> dict[str, Any]:
        expected = self._init_expected(spec)
        for name in CASES:
            case = spec[name]
            layer = reference_dense(case, spec.get("regularizers"))
            expected[f"{name}.dweights"] = layer.dweights
            expected[f"{name}.dbiases"] = layer.dbiases
            expected[f"{name}.dinputs"] = layer.dinputs
            expected[f"{name}.dvalues_after"] = case["dvalues"]
        return expected

    def quantities(self, spec: dict[str, Any]) -> list[Quantity]:
        after = "after forward(inputs) and backward(dvalues)"
        order = (
            ("dinputs", "dweights", "dbiases")
            if self.regularized
            else ("dweights", "dbiases", "dinputs")
        )
        found = []
        for name in CASES:
            suffix = "" if name == "rect" else " (square weights)"
            for attribute in order:
                witness = f"{name}.{attribute}" if name == "rect" else None
                found.append(
                    Quantity(
                        f"{name}.{attribute}",
                        f"self.{attribute}{suffix}",
                        attribute,
                        f"{name}.backward",
                        after,
                        witness=witness,
                    )
                )
        found += self._init_quantities()
        found.append(
            Quantity(
                "rect.dvalues_after",
                "the dvalues array passed to backward",
                "dvalues_after",
                "rect.backward",
                "during backward",
                mutation=True,
            )
        )
        return found

    def objective(self, spec, witness, output, index=None, delta=0.0):
        name, _, gradient = witness.partition(".")
        case = spec[name]
        if output.shape != case["dvalues"].shape:
            return None
        value = float(np.sum(output * case["dvalues"]))
        regularizers = spec.get("regularizers")
        if regularizers and gradient in ("dweights", "dbiases") and index is not None:
            prefix, array = ("weight", case["W"]) if gradient == "dweights" else ("bias", case["b"])
            perturbed = array.copy()
            perturbed[tuple(index)] += delta
            value += l1_l2_penalty(
                perturbed,
                regularizers[f"{prefix}_regularizer_l1"],
                regularizers[f"{prefix}_regularizer_l2"],
            )
        return value


@register
class DenseBackward(_DenseBackward):
    name = "dense_backward"
    title = "Layer_Dense.backward"


@register
class DenseRegularization(_DenseBackward):
    name = "dense_regularization"
    title = "Layer_Dense.backward with L1 and L2 regularization"
    regularized = True


# -- the mistakes this family's checks name ---------------------------------------------
# Tried by priority (shared.EARLY, SPECIFIC, GENERAL, LAST), then in the order written here.


DENSE = ("dense_forward", "dense_backward", "dense_regularization")


@mistake(
    "dense_weights_transposed",
    "weights stored transposed",
    "The book stores weights as (n_inputs, n_neurons): "
    "self.weights = 0.01 * np.random.randn(n_inputs, n_neurons), so that forward is "
    "np.dot(inputs, self.weights) + self.biases with no transpose anywhere.",
    checks=(*DENSE, "dense_init"),
    priority=EARLY,
)
def _dense_weights_transposed(context: Context, failure: Failure) -> str | None:
    created = context.array("rect.init_weights")
    case = context.spec["rect"]
    if created is not None and created.shape == (case["n_neurons"], case["n_inputs"]):
        return (
            f"your constructor creates weights of shape {shape_text(created)}; expected "
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
        return f"expected shape {shape_text(context.expected[key])}, received its transpose"
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
        case = context.case(key)
        if context.matches(key, case["X"] @ case["W"]):
            return "your output equals np.dot(inputs, weights) without the biases"
    return None


@mistake(
    "dense_forward_bias_slip",
    "biases subtracted, or the weighted sum left out",
    "The layer's output is the weighted sum plus the biases: np.dot(inputs, self.weights) + "
    "self.biases, both terms, added.",
    checks=("dense_forward",),
)
def _dense_forward_bias_slip(context: Context, failure: Failure) -> str | None:
    key = failure.quantity.key
    if failure.quantity.name != "output":
        return None
    case = context.case(key)
    weighted = case["X"] @ case["W"]
    if context.matches(key, weighted - case["b"]):
        return "your output equals np.dot(inputs, weights) - biases: the biases are subtracted"
    if context.matches(key, case["b"]) or context.matches(
        key, np.broadcast_to(case["b"], weighted.shape)
    ):
        return "your output holds the biases alone: np.dot(inputs, weights) is missing"
    return None


#: (quantity name, what it is, the shape the book gives it, in the constructor's terms)
_PARAMETERS = {
    "init_weights": ("weights", "one per input and neuron", "(n_inputs, n_neurons)"),
    "init_biases": ("biases", "one row of one per neuron", "(1, n_neurons)"),
}


@mistake(
    "dense_parameter_shape",
    "the constructor's weights or biases have the wrong shape",
    "self.weights = 0.01 * np.random.randn(n_inputs, n_neurons) and self.biases = "
    "np.zeros((1, n_neurons)): a weight for every input and neuron, and the biases as one row "
    "so that they broadcast over the samples.",
    checks=DENSE,
)
def _dense_parameter_shape(context: Context, failure: Failure) -> str | None:
    name = failure.quantity.name
    received = context.array(failure.quantity.key)
    if name not in _PARAMETERS or failure.kind != "shape" or received is None:
        return None
    case = context.spec["rect"]
    n_inputs, n_neurons = case["n_inputs"], case["n_neurons"]
    attribute, meaning, formula = _PARAMETERS[name]
    expected = (n_inputs, n_neurons) if attribute == "weights" else (1, n_neurons)
    if received.shape == expected[::-1]:
        return None  # stored transposed: dense_weights_transposed says so
    if received.ndim == 0:
        found = "one number for the whole layer (a draw or a zeros call without a shape?)"
    else:
        found = f"shape {shape_text(received)}"
    return (
        f"Layer_Dense({n_inputs}, {n_neurons}) created {attribute} of {found}; expected "
        f"{meaning}, {formula} = {expected}"
    )


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
        return f"expected shape {shape_text(expected)}, received {shape_text(received)}"
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
        return f"expected shape {shape_text(expected)}, received {shape_text(received)}"
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
    dvalues = context.case(key)["dvalues"]
    summed = dvalues.sum(axis=1)
    if received.size == summed.size and context.tolerance(key).allclose(
        received.reshape(-1), summed
    ):
        return (
            f"your dbiases (shape {shape_text(received)}) hold one sum per sample, not per neuron"
        )
    if received.size == 1 and context.tolerance(key).allclose(received.reshape(()), dvalues.sum()):
        return (
            f"your dbiases (shape {shape_text(received)}) are one number, the sum of all of "
            "dvalues: no axis was given"
        )
    return None


@mistake(
    "dense_backward_averaged",
    "the dense layer divides its gradients by the number of samples",
    "The loss's backward already divides by the number of samples, and that 1/n reaches the "
    "dense layer inside dvalues. The dense layer's backward only applies the chain rule to the "
    "dvalues it is given: remove your own division (or np.mean where the book sums).",
    checks=("dense_backward",),
)
def _dense_backward_averaged(context: Context, failure: Failure) -> str | None:
    key = failure.quantity.key
    if failure.quantity.name not in ("dweights", "dbiases", "dinputs"):
        return None
    n = context.case(key)["X"].shape[0]
    if not context.matches(key, context.expected[key] / n):
        return None
    # Name the code the values point at, not the answer: the hint, folded, has the fix.
    how = {
        "dbiases": "a mean over the samples (np.mean, or a division by their number)",
        "dweights": "a division by the number of samples",
        "dinputs": "a division by the number of samples",
    }[failure.quantity.name]
    return (
        f"your {failure.quantity.name} are {n} times too small ({n} is the number of samples): "
        f"{how} in your backward"
    )


def _sign_book(values: np.ndarray) -> np.ndarray:
    """The book's L1 derivative: +1 at exactly 0."""
    return np.where(values < 0, -1.0, 1.0)


def _regularization_variant(context: Context, failure: Failure, variant: str) -> bool:
    """Whether the failed dweights/dbiases/dinputs match the gradient with ``variant``."""
    key = failure.quantity.key
    name = failure.quantity.name
    strengths = context.spec["regularizers"]
    case = context.case(key)
    expected = context.expected[key]
    if name == "dinputs":
        if variant != "to_dinputs":
            return False
        l1, l2 = strengths["weight_regularizer_l1"], strengths["weight_regularizer_l2"]
        inputs = case["X"]
        return context.matches(key, expected + l1 * _sign_book(inputs) + 2 * l2 * inputs)
    parts = _parts(context, failure)
    if parts is None or variant == "to_dinputs":
        return False
    values, data = parts.values, parts.data
    candidates = {
        "sign_zero": data + parts.l1 * np.sign(values) + parts.l2_term,
        "no_factor_2": data + parts.l1_term + parts.l2 * values,
        "missing": data,
    }
    return context.matches(key, candidates[variant])


REGULARIZED = ("dense_regularization",)


#: Per gradient: the parameter it belongs to and the strength names of its penalties.
_PARAMETER = {
    "dweights": ("self.weights", "weight"),
    "dbiases": ("self.biases", "bias"),
}


@dataclass(frozen=True)
class _Parts:
    """A failed ``dweights`` or ``dbiases`` taken apart as the book builds it: the part from
    dvalues, then the L1 and the L2 term of its parameter's own strengths."""

    key: str
    case: dict
    values: np.ndarray  # the parameter
    prefix: str  # "weight" or "bias": its strengths' names
    l1: float
    l2: float
    l1_term: np.ndarray  # l1 * dL1 (the book's, +1 at exactly 0)
    l2_term: np.ndarray  # 2 * l2 * parameter
    data: np.ndarray  # what the expected gradient holds from dvalues


def _parts(context: Context, failure: Failure) -> _Parts | None:
    """The parts of a failed parameter gradient; None for any other quantity."""
    name = failure.quantity.name
    if name not in _PARAMETER:
        return None
    key = failure.quantity.key
    case = context.case(key)
    prefix = _PARAMETER[name][1]
    values = case["W"] if name == "dweights" else case["b"]
    strengths = context.spec["regularizers"]
    l1, l2 = strengths[f"{prefix}_regularizer_l1"], strengths[f"{prefix}_regularizer_l2"]
    l1_term, l2_term = l1 * _sign_book(values), 2 * l2 * values
    data = context.expected[key] - l1_term - l2_term
    return _Parts(key, case, values, prefix, l1, l2, l1_term, l2_term, data)


def _gradients_with(context: Context, variant: str) -> list[str]:
    """The parameter gradients (``dweights``, ``dbiases``) whose failure ``variant`` explains,
    so that the advice names exactly the parameters found wrong, never one that was right."""
    names: list[str] = []
    for failure in context.failures:
        name = failure.quantity.name
        if name in _PARAMETER and name not in names:
            if _regularization_variant(context, failure, variant):
                names.append(name)
    return names


@mistake(
    "l1_derivative_zero_at_zero",
    "L1 derivative taken as 0 where a parameter is exactly 0",
    "The book's L1 derivative is +1 where a parameter is exactly 0 (np.sign gives 0 there): "
    "for the parameter p the message names, dL1 = np.ones_like(p); dL1[p < 0] = -1, scaled "
    "by that parameter's own L1 strength.",
    checks=REGULARIZED,
)
def _l1_zero(context: Context, failure: Failure) -> str | None:
    if not _regularization_variant(context, failure, "sign_zero"):
        return None
    names = _gradients_with(context, "sign_zero") or [failure.quantity.name]
    found = " and ".join(f"{name} with np.sign({_PARAMETER[name][0]})" for name in names)
    return f"you compute {found}, which is 0 at the parameters that are exactly 0"


@mistake(
    "l2_missing_factor_2",
    "L2 gradient without the factor 2",
    "The derivative of λ·p² is 2·λ·p, for every parameter with its own L2 strength "
    "(weight_regularizer_l2 for the weights, bias_regularizer_l2 for the biases).",
    checks=REGULARIZED,
)
def _l2_factor(context: Context, failure: Failure) -> str | None:
    if not _regularization_variant(context, failure, "no_factor_2"):
        return None
    names = _gradients_with(context, "no_factor_2") or [failure.quantity.name]
    found = " and ".join(
        f"{name} add {_PARAMETER[name][1]}_regularizer_l2 * {_PARAMETER[name][0]}" for name in names
    )
    return f"your {found}, λ·p where the derivative of λ·p² is 2·λ·p"


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


# Found with autograder/mutation: a slip in one of the two penalty terms of one gradient (its
# sign, its strength, the parameter, np.where's comparison, = for +=) got only the generic
# mismatch. Each term is replayed with one slip, the other term and the data gradient right.


def _term_slips(kind: str, strength: float, values: np.ndarray) -> dict[str, np.ndarray]:
    """One penalty term of a parameter's gradient with each usual slip, by description."""
    book = strength * _sign_book(values) if kind == "L1" else 2 * strength * values
    slips = {"is left out": np.zeros_like(values), "is subtracted instead of added": -book}
    if kind == "L1":
        slips.update(
            {
                "leaves out its strength": _sign_book(values),
                "uses the parameter where its sign belongs": strength * values,
                "gives -1 at exact zeros (<= where < belongs)": strength
                * np.where(values <= 0, -1.0, 1.0),
                "is +1 everywhere (the -1 for negative parameters is missing)": strength
                * np.ones_like(values),
            }
        )
    else:
        slips.update(
            {
                "leaves out its strength": 2 * values,
                "leaves out the parameter (2 * strength alone)": 2
                * strength
                * np.ones_like(values),
                "is the parameter alone (2 * strength left out)": values,
            }
        )
    return slips


@mistake(
    "regularization_term_wrong",
    "one penalty term of a parameter's gradient is wrong",
    "After the data gradient (self.dweights = np.dot(self.inputs.T, dvalues), self.dbiases = "
    "np.sum(dvalues, axis=0, keepdims=True)), add each penalty's gradient with +=, only when "
    "its strength is above 0: L1 strength * dL1 (dL1 = np.ones_like(parameter); dL1[parameter "
    "< 0] = -1) and 2 * L2 strength * parameter, with the weights' strengths for dweights and "
    "the biases' for dbiases. Fix the one term the details name.",
    checks=REGULARIZED,
    priority=GENERAL,
)
def _regularization_term(context: Context, failure: Failure) -> str | None:
    parts = _parts(context, failure)
    if parts is None:
        return None
    name, key, prefix, values = failure.quantity.name, parts.key, parts.prefix, parts.values
    l1, l2, data = parts.l1, parts.l2, parts.data
    book = {"L1": parts.l1_term, "L2": parts.l2_term}
    for kind, strength, other in (("L1", l1, "L2"), ("L2", l2, "L1")):
        if strength <= 0:
            continue
        attribute = f"{prefix}_regularizer_{kind.lower()}"
        for slip, term in _term_slips(kind, strength, values).items():
            if context.matches(key, data + term + book[other]):
                return f"in self.{name}, the {kind} term ({attribute}) {slip}"
        # = where += belongs: what came before the term is lost.
        before = data if kind == "L1" else data + book["L1"]
        after = book["L2"] if kind == "L1" else 0.0
        if context.matches(key, book[kind] + after) and not np.allclose(before, 0):
            return (
                f"in self.{name}, the {kind} term ({attribute}) replaces what came before it "
                f"(= where += belongs)"
            )
    return None


@mistake(
    "data_gradient_off_by_a_factor",
    "the gradient from dvalues is off by a constant factor (the penalty part is right)",
    "Before the penalties are added, dweights = np.dot(self.inputs.T, dvalues) and dbiases = "
    "np.sum(dvalues, axis=0, keepdims=True), with no factor of their own: no 2, no division "
    "by the number of samples (the loss's backward already divided), no mean where the book "
    "sums. The details name the gradient and the factor.",
    checks=REGULARIZED,
    priority=GENERAL,
)
def _data_gradient_factor(context: Context, failure: Failure) -> str | None:
    parts = _parts(context, failure)
    if parts is None:
        return None
    name, key, data = failure.quantity.name, parts.key, parts.data
    penalty = parts.l1_term + parts.l2_term
    n = parts.case["X"].shape[0]
    factors = {
        2.0: "2 times",
        0.5: "half",
        float(n): f"{n} times ({n} samples)",
        1.0 / n: f"1/{n} of ({n} samples: a mean or a division by their number)",
    }
    for factor, text in factors.items():
        if context.matches(key, factor * data + penalty):
            source = "np.dot(self.inputs.T, dvalues)" if name == "dweights" else "np.sum(dvalues)"
            return f"your {name} hold {text} the part that comes from dvalues ({source})"
    return None
