"""Checks for chapters 1 to 4: a weighted sum, one neuron, a layer of neurons (one sample,
then a batch), the dense layer's starting weights, and the step and linear activations.

The chapter 2 and 3 classes are not the book's (the book writes these steps as loose lines of
code); they are the smallest classes that hold the same lines, shaped like every later
component: parameters given to the constructor, ``forward(inputs)`` setting ``self.output``.

* ``weighted_sum`` (ch01): ``WeightedSum(weights).forward(inputs)``, plain Python lists in,
  ``sum(inputs[i] * weights[i])`` out.
* ``neuron_output`` (ch02): ``Neuron(weights, bias)``, one sample, one number out.
* ``layer_output`` (ch02): ``Layer(weights, biases)`` with the chapter 2 layout, one row of
  ``weights`` per neuron, ``(n_neurons, n_inputs)``; one sample in, ``(n_neurons,)`` out.
* ``layer_batch`` (ch03): the same layer on a batch ``(n_samples, n_inputs)``, which needs
  the weights transposed: ``inputs @ weights.T + biases``.
* ``dense_init`` (ch03): ``Layer_Dense(n_inputs, n_neurons)`` starts with
  ``0.01 * np.random.randn(n_inputs, n_neurons)`` and ``np.zeros((1, n_neurons))``.
* ``step_activation``, ``linear_forward`` (ch04): forward passes, as the other activations.

Two cases where a transpose could hide: ``rect`` (every size different, so a transposed
array has a telling shape or a product fails) and ``square`` (every size equal, so the same
mistake shows in the values, where the catalogue can name it).
"""

from __future__ import annotations

from typing import Any

import numpy as np

from nnfs_core import Dense, Linear

from .activations import _ActivationCheck
from .capture import Recorder
from .judging import StagedCheck
from .shared import GENERAL, Context, Failure, Quantity, mistake, register, shape_text

# ---------------------------------------------------------------------------------------------
# One sample or one batch through a class built from given parameters
# ---------------------------------------------------------------------------------------------


class _GivenParameters(StagedCheck):
    """``Learner(*parameters).forward(inputs)`` per case; compares ``self.output``."""

    stages = ("construct", "forward")
    cases: tuple[str, ...] = ("main",)
    #: How the constructor's arguments are described in messages.
    constructor = ""
    #: Hand the learner plain Python lists instead of arrays (chapter 1 knows no NumPy yet).
    as_lists = False

    def draw(self, rng: np.random.RandomState, case: str) -> dict[str, Any]:  # pragma: no cover
        raise NotImplementedError

    def parameters(self, case: dict[str, Any]) -> tuple[Any, ...]:  # pragma: no cover
        raise NotImplementedError

    def reference(self, case: dict[str, Any]) -> np.ndarray:  # pragma: no cover
        raise NotImplementedError

    def build(self, seed: int) -> dict[str, Any]:
        rng = np.random.RandomState(seed)
        return {name: self.draw(rng, name) for name in self.cases}

    def _given(self, value: Any) -> Any:
        if isinstance(value, np.ndarray):
            return value.tolist() if self.as_lists else value.copy()
        return value

    def exercise(self, recorder: Recorder, learner: Any, spec: dict[str, Any]) -> None:
        for name in self.cases:
            case = spec[name]
            arguments = [self._given(value) for value in self.parameters(case)]
            obj = recorder.construct(f"{name}.construct", learner, *arguments)
            if obj is None:
                continue
            inputs = self._given(case["X"])
            _, returned = recorder.forward(f"{name}.forward", obj, inputs, training=True)
            recorder.keep_attribute(f"{name}.output", obj, "output")
            recorder.keep(f"{name}.output_returned", returned)
            recorder.keep(f"{name}.inputs_after", inputs)

    def expect(self, spec: dict[str, Any]) -> dict[str, Any]:
        expected: dict[str, Any] = {}
        for name in self.cases:
            case = spec[name]
            expected[f"{name}.output"] = self.reference(case)
            expected[f"{name}.inputs_after"] = case["X"]
        return expected

    def quantities(self, spec: dict[str, Any]) -> list[Quantity]:
        after = f"after {self.constructor} and forward(inputs)"
        found = [
            Quantity(
                f"{name}.output",
                "self.output" if position == 0 else f"self.output ({name} case)",
                "output",
                f"{name}.forward",
                after,
            )
            for position, name in enumerate(self.cases)
        ]
        first = self.cases[0]
        found.append(
            Quantity(
                f"{first}.inputs_after",
                f"the inputs {'list' if self.as_lists else 'array'} passed to forward",
                "inputs_after",
                f"{first}.forward",
                "during forward",
                mutation=True,
            )
        )
        return found


@register
class WeightedSum(_GivenParameters):
    name = "weighted_sum"
    title = "WeightedSum.forward"
    constructor = "WeightedSum(weights)"
    cases = ("main", "longer")
    as_lists = True

    def draw(self, rng: np.random.RandomState, case: str) -> dict[str, Any]:
        n = 3 + rng.randint(2) if case == "main" else 6 + rng.randint(2)
        return {"X": rng.standard_normal(n).round(3), "w": rng.standard_normal(n).round(3)}

    def parameters(self, case: dict[str, Any]) -> tuple[Any, ...]:
        return (case["w"],)

    def reference(self, case: dict[str, Any]) -> np.ndarray:
        return np.asarray(np.dot(case["X"], case["w"]))


@register
class NeuronOutput(_GivenParameters):
    name = "neuron_output"
    title = "Neuron.forward"
    constructor = "Neuron(weights, bias)"
    cases = ("main", "longer")

    def draw(self, rng: np.random.RandomState, case: str) -> dict[str, Any]:
        n = 3 + rng.randint(2) if case == "main" else 6 + rng.randint(2)
        return {
            "X": rng.standard_normal(n),
            "w": rng.standard_normal(n),
            # A bias well away from 0, so that forgetting it, or adding it n times, shows.
            "b": float(np.round(rng.choice([-1, 1]) * rng.uniform(1.0, 3.0), 3)),
        }

    def parameters(self, case: dict[str, Any]) -> tuple[Any, ...]:
        return case["w"], case["b"]

    def reference(self, case: dict[str, Any]) -> np.ndarray:
        return np.asarray(np.dot(case["X"], case["w"]) + case["b"])


def _layer_case(rng: np.random.RandomState, n_samples: int | None, n_inputs: int, n_neurons: int):
    shape = (n_inputs,) if n_samples is None else (n_samples, n_inputs)
    return {
        "X": rng.standard_normal(shape),
        "W": rng.standard_normal((n_neurons, n_inputs)),  # chapter 2's layout: a row per neuron
        "b": rng.uniform(0.5, 2.0, n_neurons) * rng.choice([-1, 1], n_neurons),
    }


@register
class LayerOutput(_GivenParameters):
    name = "layer_output"
    title = "Layer.forward (one sample)"
    constructor = "Layer(weights, biases)"
    cases = ("rect", "square")

    def draw(self, rng: np.random.RandomState, case: str) -> dict[str, Any]:
        if case == "square":
            return _layer_case(rng, None, 3, 3)
        n_inputs = 4 + rng.randint(2)
        return _layer_case(rng, None, n_inputs, n_inputs - 2)

    def parameters(self, case: dict[str, Any]) -> tuple[Any, ...]:
        return case["W"], case["b"]

    def reference(self, case: dict[str, Any]) -> np.ndarray:
        return case["W"] @ case["X"] + case["b"]


@register
class LayerBatch(_GivenParameters):
    name = "layer_batch"
    title = "Layer.forward (a batch)"
    constructor = "Layer(weights, biases)"
    cases = ("rect", "square")

    def draw(self, rng: np.random.RandomState, case: str) -> dict[str, Any]:
        if case == "square":
            return _layer_case(rng, 3, 3, 3)
        n_inputs = 4 + rng.randint(2)
        return _layer_case(rng, n_inputs + 2, n_inputs, n_inputs - 2)

    def parameters(self, case: dict[str, Any]) -> tuple[Any, ...]:
        return case["W"], case["b"]

    def reference(self, case: dict[str, Any]) -> np.ndarray:
        return case["X"] @ case["W"].T + case["b"]


# ---------------------------------------------------------------------------------------------
# The dense layer's starting point
# ---------------------------------------------------------------------------------------------

#: The book's starting scale: weights = 0.01 * standard normal draws.
WEIGHT_SCALE = 0.01
#: How many standard errors a drawn-another-way weight matrix's mean and spread may stray.
SPREAD_SIGMAS = 5.0


def plausible_draw(weights: np.ndarray | None) -> bool:
    """Whether ``weights`` look like ``0.01 * standard normal`` draws: finite, mean near 0,
    standard deviation near 0.01 (each within ``SPREAD_SIGMAS`` standard errors)."""
    if weights is None or weights.size < 2 or not np.all(np.isfinite(weights)):
        return False
    n = weights.size
    mean_ok = abs(float(weights.mean())) <= SPREAD_SIGMAS * WEIGHT_SCALE / np.sqrt(n)
    spread = float(weights.std())
    spread_ok = abs(spread / WEIGHT_SCALE - 1) <= SPREAD_SIGMAS / np.sqrt(2 * n)
    return mean_ok and spread_ok


@register
class DenseInit(StagedCheck):
    """``Layer_Dense(n_inputs, n_neurons)``'s weights and biases, as constructed.

    The book draws the weights with ``np.random.randn`` from NumPy's global generator, so the
    probe seeds it (``np.random.seed(init_seed)``; ``run_probe`` restores the learner's state
    afterwards) and builds two layers in a row; the reference, ``nnfs_core.Dense`` on a
    ``RandomState(init_seed)``, draws the very same numbers. Weights drawn some other way
    (``np.random.default_rng``...) cannot match number for number; they pass when their
    shape, mean and spread are those of ``0.01 * randn`` and the second layer's differ from
    the first's, and the message says they were checked that way.
    """

    name = "dense_init"
    title = "Layer_Dense.__init__"
    stages = ("construct",)
    cases = ("rect", "again")

    def build(self, seed: int) -> dict[str, Any]:
        rng = np.random.RandomState(seed)
        n_inputs = 20 + rng.randint(10)
        n_neurons = 31 + rng.randint(10)
        case = {"n_inputs": n_inputs, "n_neurons": n_neurons}
        return {"rect": case, "again": dict(case), "init_seed": int(rng.randint(2**31 - 1))}

    def exercise(self, recorder: Recorder, learner: Any, spec: dict[str, Any]) -> None:
        np.random.seed(spec["init_seed"])  # noqa: NPY002 - the book draws from the global generator
        for name in self.cases:
            case = spec[name]
            layer = recorder.construct(
                f"{name}.construct", learner, case["n_inputs"], case["n_neurons"]
            )
            if layer is None:
                continue
            recorder.keep_attribute(f"{name}.init_weights", layer, "weights")
            recorder.keep_attribute(f"{name}.init_biases", layer, "biases")

    def expect(self, spec: dict[str, Any]) -> dict[str, Any]:
        rng = np.random.RandomState(spec["init_seed"])
        expected: dict[str, Any] = {}
        for name in self.cases:
            case = spec[name]
            layer = Dense(case["n_inputs"], case["n_neurons"], rng=rng)
            expected[f"{name}.init_weights"] = layer.weights
            expected[f"{name}.init_biases"] = layer.biases
        return expected

    def quantities(self, spec: dict[str, Any]) -> list[Quantity]:
        first = "after np.random.seed(...) and Layer_Dense(n_inputs, n_neurons)"
        second = "for a second Layer_Dense(n_inputs, n_neurons) built right after the first"
        return [
            Quantity(
                "rect.init_weights",
                "the weights your constructor creates",
                "init_weights",
                "rect.construct",
                first,
            ),
            Quantity(
                "rect.init_biases",
                "the biases your constructor creates",
                "init_biases",
                "rect.construct",
                first,
            ),
            Quantity(
                "again.init_weights",
                "the second layer's weights",
                "again_weights",
                "again.construct",
                second,
            ),
        ]

    def _failures(self, context: Context, quantities: list[Quantity]) -> list[Failure]:
        """Accept weights drawn another way when they look like ``0.01 * randn``."""
        failures = super()._failures(context, quantities)
        drawn = {"rect.init_weights", "again.init_weights"}
        if not any(f.quantity.key in drawn and f.kind == "values" for f in failures):
            return failures
        if any(f.quantity.key in drawn and f.kind != "values" for f in failures):
            return failures
        first, second = context.array("rect.init_weights"), context.array("again.init_weights")
        if (
            plausible_draw(first)
            and plausible_draw(second)
            and not np.allclose(first, second)  # both plausible: same shape
        ):
            context.notes.setdefault("skipped", []).append(
                "the exact numbers (yours were not drawn with np.random.randn from NumPy's "
                "global generator, so their shape, mean and spread were checked instead)"
            )
            return [f for f in failures if f.quantity.key not in drawn]
        return failures


# ---------------------------------------------------------------------------------------------
# Chapter 4's first activations
# ---------------------------------------------------------------------------------------------


def step(inputs: np.ndarray) -> np.ndarray:
    """The book's step function: 1 where the input is above 0, else 0 (also at exactly 0)."""
    return np.where(inputs > 0, 1.0, 0.0)


@register
class StepActivation(_ActivationCheck):
    name = "step_activation"
    title = "Activation_Step.forward"

    def draw(self, rng: np.random.RandomState, case: str) -> np.ndarray:
        inputs = rng.standard_normal((5, 4))
        inputs.flat[rng.permutation(inputs.size)[:3]] = 0.0  # where the step jumps
        return inputs

    def expect(self, spec: dict[str, Any]) -> dict[str, Any]:
        # nnfs_core has no step activation (the book never trains with one): the formula here.
        case = spec["main"]
        return {"main.output": step(case["X"]), "main.inputs_after": case["X"]}


@register
class LinearForward(_ActivationCheck):
    name = "linear_forward"
    title = "Activation_Linear.forward"
    reference = Linear

    def draw(self, rng: np.random.RandomState, case: str) -> np.ndarray:
        return 3.0 * rng.standard_normal((4, 3))


# -- the mistakes this family's checks name ---------------------------------------------
# Tried by priority (shared.EARLY, SPECIFIC, GENERAL, LAST), then in the order written here.


def _neuron_candidate(context: Context, key: str, products) -> np.ndarray | None:
    """What the learner's one-number output would be if ``products`` were summed as they are,
    plus the bias once (for a neuron); ``None`` when the key is not such an output."""
    case = context.case(key)
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
    case = context.case(key)
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
        key, _without_bias(context.check, context.case(key))
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
    case = context.case(key)
    expected = context.expected[key]
    if context.matches(key, expected.T) or context.matches(
        key, case["W"] @ case["X"].T + case["b"]
    ):
        return f"expected shape {shape_text(expected)}: your output is laid out neurons by samples"
    return None


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
    "dense_init_one_number",
    "the weights are one number, not a matrix",
    "np.random.randn draws as many numbers as the shape you pass it, and one number when you "
    "pass none: self.weights = 0.01 * np.random.randn(n_inputs, n_neurons), one weight for "
    "every input of every neuron.",
    checks=("dense_init",),
)
def _init_one_number(context: Context, failure: Failure) -> str | None:
    if failure.quantity.key != "rect.init_weights" or failure.kind != "shape":
        return None
    weights = context.array("rect.init_weights")
    if weights is None or weights.size != 1:
        return None
    shape = shape_text(np.asarray(context.expected["rect.init_weights"]))
    return f"self.weights is the single number {float(weights.ravel()[0]):.6g}; expected {shape}"


@mistake(
    "dense_init_scale",
    "weights not scaled by 0.01",
    "Multiply the standard normal draws by 0.01: "
    "self.weights = 0.01 * np.random.randn(n_inputs, n_neurons). Small starting weights keep "
    "the first outputs small, so training starts from a calm, undecided network.",
    checks=("dense_init",),
)
def _init_scale(context: Context, failure: Failure) -> str | None:
    key = "rect.init_weights"
    weights, expected = context.array(key), context.expected[key]
    if weights is None or weights.shape != expected.shape or not np.all(np.isfinite(weights)):
        return None
    if not np.any(weights):  # all zero: dense_init_zero_weights, not a scale
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
        return f"your biases have shape {shape_text(biases)}; expected (1, {n_neurons})"
    return None


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


# Found with autograder/mutation: a slip in the sum of products or in the bias (subtracted,
# one factor left out, the total replaced instead of added to) got only the generic mismatch.
# Each neuron's output is replayed with one slip at a time.


def _neuron_parts(check: str, case: dict[str, Any]) -> tuple[np.ndarray, np.ndarray, Any]:
    """Inputs per neuron as rows (samples x neurons x inputs), weights, bias per neuron."""
    if check in ("weighted_sum", "neuron_output"):
        return case["X"][None, None, :], case["w"][None, :], case.get("b", 0.0)
    weights = case["W"]
    inputs = case["X"] if case["X"].ndim == 2 else case["X"][None, :]
    return inputs[:, None, :], weights, case["b"]


def _sum_slips(check: str, case: dict[str, Any]) -> dict[str, np.ndarray]:
    x, w, b = _neuron_parts(check, case)
    products = x * w  # samples x neurons x inputs
    slips = {
        "the bias is subtracted": products.sum(-1) - b,
        "the products are subtracted from the bias": b - products.sum(-1),
        "the weights are left out (inputs summed)": x.sum(-1) + b + 0 * w.sum(-1),
        "the inputs are left out (weights summed)": w.sum(-1) + b + 0 * x.sum(-1),
        "only the last product is kept (= where += belongs)": products[..., -1] + b,
    }
    if check in ("neuron_output", "layer_output", "layer_batch"):
        slips["the products are left out (the bias alone)"] = b + 0 * products.sum(-1)
    shape = np.shape(np.asarray(check_reference(check, case)))
    return {
        text: np.reshape(value, shape)
        for text, value in slips.items()
        if np.size(value) == int(np.prod(shape))
    }


def check_reference(check: str, case: dict[str, Any]) -> np.ndarray:
    if check == "weighted_sum":
        return np.asarray(np.dot(case["X"], case["w"]))
    if check == "neuron_output":
        return np.asarray(np.dot(case["X"], case["w"]) + case["b"])
    if check == "layer_output":
        return case["W"] @ case["X"] + case["b"]
    return case["X"] @ case["W"].T + case["b"]


@mistake(
    "weighted_sum_slip",
    "one part of the weighted sum or the bias is wrong",
    "Each neuron's output is the sum of input times weight over all its inputs, plus its bias "
    "once: add every product to a total with +=, then + bias (np.dot does the products and the "
    "sum at once). Fix the one part the details name.",
    checks=("weighted_sum", "neuron_output", "layer_output", "layer_batch"),
    priority=GENERAL,
)
def _weighted_sum_slip(context: Context, failure: Failure) -> str | None:
    if failure.quantity.name != "output" or failure.kind not in ("values", "nonfinite", "shape"):
        return None
    key = failure.quantity.key
    outputs = [k for k in context.expected if k.endswith(".output")]
    if any(context.array(k) is None for k in outputs):
        return None  # an output missing or not numbers: nothing to replay against
    if failure.kind == "shape":
        # The products left out of a batch: the biases alone keep their own shape.
        if context.check in ("layer_output", "layer_batch") and all(
            context.matches(k, np.ravel(context.case(k)["b"])) for k in outputs
        ):
            return "your output is the biases alone, one per neuron (the products are left out)"
        return None
    for text in _sum_slips(context.check, context.case(key)):
        if all(
            context.matches(k, _sum_slips(context.check, context.case(k)).get(text, np.nan))
            for k in outputs
        ):
            return f"your output matches the sum where {text}"
    return None


# Found with autograder/mutation: a list of outputs that holds every value twice (built with
# list * 2, or appended to in two places) got only a generic shape mismatch.


@mistake(
    "output_values_repeated",
    "the output holds every value twice",
    "Build the list of outputs once: one value per neuron (or per input), appended in one "
    "place, and assign it to self.output. Multiplying a Python list by 2 repeats it; it does "
    "not double the numbers.",
    checks=("layer_output", "step_activation"),
    priority=GENERAL,
)
def _output_repeated(context: Context, failure: Failure) -> str | None:
    if failure.quantity.name != "output" or failure.kind != "shape":
        return None
    expected = np.asarray(context.expected[failure.quantity.key], dtype=np.float64)
    for times in (2, 3):
        if context.matches(failure.quantity.key, np.concatenate([expected] * times)):
            return (
                f"{failure.quantity.label} is the right values repeated {times} times, shape "
                f"{shape_text(np.concatenate([expected] * times))} where "
                f"{shape_text(expected)} belongs"
            )
    return None
