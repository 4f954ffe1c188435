"""Chapter 9's first backward pass: one ReLU neuron, worked through the chain rule.

The learner's class (the book writes these steps as loose lines of code; the class holds the
same lines, shaped like every later component)::

    neuron = Neuron_ReLU(weights, bias)  # weights (n_inputs,), bias a number
    neuron.forward(inputs)  # inputs (n_inputs,); self.output = max(w·x + b, 0)
    neuron.backward(dvalue)  # dvalue = dL/d(output), a number; sets
    # self.dweights (n_inputs,), self.dinputs (n_inputs,),
    # self.dbias (a number)

One check, ``single_neuron_backward``, over three cases that each expose a different slip:

* ``active``: the weighted sum ``z = w·x + b`` is clearly above 0, and the upstream gradient
  is not 1 (so code that ignores it shows), with ``x`` and ``w`` different (so swapping the
  input's and the weight's gradient shows);
* ``inactive``: ``z`` clearly below 0, where ReLU is flat and every gradient is 0;
* ``kink``: ``z`` exactly 0 (small integers, so the sum is exact), where the book's ReLU
  derivative is 0 (``1 if z > 0 else 0``).

The reference is ``nnfs_core``'s dense layer with one neuron and its ReLU, on a batch of one
sample: the matrix bookkeeping of section 9.2 must agree with the hand-worked chain.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from nnfs_core import Dense, ReLU

from .capture import Recorder, is_missing, learner_forward
from .judging import StagedCheck, witness_indices
from .shared import GENERAL, Context, Failure, Quantity, mistake, register

CASES = ("active", "inactive", "kink")
GRADIENTS = ("dweights", "dinputs", "dbias")
CASE_NOTE = {"active": "", "inactive": " (z < 0 case)", "kink": " (z = 0 case)"}
CASE_AFTER = {
    "active": "with z = w·x + b above 0",
    "inactive": "with z = w·x + b below 0",
    "kink": "with z = w·x + b exactly 0",
}


def _upstream(rng: np.random.RandomState) -> float:
    # Well away from 1, so that code which ignores the upstream gradient cannot pass.
    return float(rng.choice([-1.0, 1.0]) * rng.uniform(1.5, 3.0))


def _continuous_case(rng: np.random.RandomState, n: int, sign: float) -> dict[str, Any]:
    x = rng.standard_normal(n)
    w = rng.standard_normal(n)
    z = sign * rng.uniform(0.5, 2.0)
    return {"X": x, "W": w, "b": float(z - x @ w), "dvalue": _upstream(rng)}


def _nonzero_integers(rng: np.random.RandomState, n: int) -> np.ndarray:
    values = rng.randint(1, 4, size=n) * rng.choice([-1, 1], size=n)
    return values.astype(np.float64)


def _kink_case(rng: np.random.RandomState, n: int) -> dict[str, Any]:
    x, w = _nonzero_integers(rng, n), _nonzero_integers(rng, n)
    # Integers: w·x and b = -w·x are exact in float64, so z is exactly 0.
    return {"X": x, "W": w, "b": float(-(x @ w)), "dvalue": _upstream(rng)}


def build_single_neuron(seed: int) -> dict[str, Any]:
    """The three cases for ``seed``: inputs ``X``, weights ``W``, ``b``, ``dvalue``, ``z``."""
    rng = np.random.RandomState(seed)
    n = 3 + rng.randint(3)
    spec: dict[str, Any] = {
        "active": _continuous_case(rng, n, 1.0),
        "inactive": _continuous_case(rng, n, -1.0),
        "kink": _kink_case(rng, n),
    }
    for case in spec.values():
        case["z"] = float(case["X"] @ case["W"] + case["b"])
    spec["witness"] = witness_indices(rng, (n,), 2)
    return spec


def reference_single_neuron(
    inputs: np.ndarray, weights: np.ndarray, bias: float, dvalue: float
) -> dict[str, np.ndarray]:
    """One ReLU neuron forward and backward, through ``nnfs_core``'s Dense and ReLU.

    ``inputs`` and ``weights`` have shape ``(n,)``; returns ``output`` and ``dbias`` as 0-d
    arrays and ``dweights``, ``dinputs`` with shape ``(n,)``.
    """
    inputs = np.asarray(inputs, dtype=np.float64)
    weights = np.asarray(weights, dtype=np.float64)
    n = inputs.shape[0]
    layer = Dense(n, 1, rng=np.random.RandomState(0))  # weights replaced below
    layer.weights = weights.reshape(n, 1).copy()
    layer.biases = np.array([[float(bias)]])
    activation = ReLU()
    layer.forward(inputs.reshape(1, n))
    activation.forward(layer.output)
    activation.backward(np.array([[float(dvalue)]]))
    layer.backward(activation.dinputs)
    return {
        "output": np.asarray(activation.output[0, 0]),
        "dweights": layer.dweights[:, 0].copy(),
        "dinputs": layer.dinputs[0].copy(),
        "dbias": np.asarray(layer.dbiases[0, 0]),
    }


@register
class SingleNeuronBackward(StagedCheck):
    name = "single_neuron_backward"
    title = "Neuron_ReLU.backward"
    stages = ("construct", "forward", "backward")

    def build(self, seed: int) -> dict[str, Any]:
        return build_single_neuron(seed)

    def exercise(self, recorder: Recorder, learner: Any, spec: dict[str, Any]) -> None:
        for name in CASES:
            case = spec[name]
            neuron = recorder.construct(
                f"{name}.construct", learner, case["W"].copy(), float(case["b"])
            )
            if neuron is None:
                continue
            inputs = case["X"].copy()
            ok, _ = recorder.forward(f"{name}.forward", neuron, inputs)
            recorder.keep_attribute(f"{name}.output", neuron, "output")
            if not ok:
                continue
            ok, returned = recorder.invoke(
                f"{name}.backward", neuron, "backward", float(case["dvalue"])
            )
            for attribute in GRADIENTS:
                recorder.keep_attribute(f"{name}.{attribute}", neuron, attribute)
            recorder.keep(f"{name}.returned", returned)
            recorder.keep(f"{name}.inputs_after", inputs)
            if ok and name == "active":
                self._witness(recorder, neuron, case, spec["witness"])

    def _witness(self, recorder: Recorder, neuron: Any, case: dict[str, Any], indices) -> None:
        """The learner's own forward at perturbed inputs and weights."""

        def at_inputs(values: np.ndarray):
            return learner_forward(neuron, values, training=None)

        def at_weights(values: np.ndarray):
            original = neuron.weights
            neuron.weights = values
            try:
                return learner_forward(neuron, case["X"].copy(), training=None)
            finally:
                neuron.weights = original

        recorder.keep_witness("active.dinputs", at_inputs, case["X"], indices)
        recorder.keep_witness("active.dweights", at_weights, case["W"], indices)

    def expect(self, spec: dict[str, Any]) -> dict[str, Any]:
        expected: dict[str, Any] = {}
        for name in CASES:
            case = spec[name]
            reference = reference_single_neuron(case["X"], case["W"], case["b"], case["dvalue"])
            for key, value in reference.items():
                expected[f"{name}.{key}"] = value
            expected[f"{name}.inputs_after"] = case["X"]
        return expected

    def quantities(self, spec: dict[str, Any]) -> list[Quantity]:
        found = [
            Quantity(
                f"{name}.output",
                f"self.output{CASE_NOTE[name]}",
                "output",
                f"{name}.forward",
                f"after forward(inputs), {CASE_AFTER[name]}",
            )
            for name in CASES
        ]
        for name in CASES:
            after = f"after forward(inputs) and backward(dvalue), {CASE_AFTER[name]}"
            for attribute in GRADIENTS:
                found.append(
                    Quantity(
                        f"{name}.{attribute}",
                        f"self.{attribute}{CASE_NOTE[name]}",
                        attribute,
                        f"{name}.backward",
                        after,
                        witness=f"{name}.{attribute}"
                        if name == "active" and attribute != "dbias"
                        else None,
                    )
                )
        found.append(
            Quantity(
                "active.inputs_after",
                "the inputs array passed to forward",
                "inputs_after",
                "active.backward",
                "during forward and backward",
                mutation=True,
            )
        )
        return found

    def objective(self, spec, witness, output, index=None, delta=0.0):
        if np.asarray(output).size != 1:
            return None
        name = witness.partition(".")[0]
        return float(np.asarray(output).reshape(())) * spec[name]["dvalue"]


# =============================================================================================
# The catalogue: slips made when a single neuron is worked backwards
# =============================================================================================

CHECKS = ("single_neuron_backward",)


def _case(context: Context, name: str) -> dict[str, Any]:
    return context.spec[name]


@mistake(
    "single_neuron_gradients_returned",
    "the gradients are returned instead of stored",
    "The book's components keep their results on the object, where the next step (an "
    "optimizer, the layer before) finds them: set self.dweights, self.dinputs and self.dbias "
    "inside backward rather than returning them.",
    checks=CHECKS,
)
def _returned(context: Context, failure: Failure) -> str | None:
    if failure.kind != "missing" or failure.quantity.name not in GRADIENTS:
        return None
    returned = context.values.get("active.returned")
    if returned is None or is_missing(returned):
        return None
    return f"backward returned something, but self.{failure.quantity.name} was never set"


@mistake(
    "single_neuron_dx_dw_swapped",
    "the gradients of the inputs and of the weights are swapped",
    "In the product w_i * x_i the derivative with respect to w_i is x_i, and with respect to "
    "x_i it is w_i: self.dweights = dz * self.inputs and self.dinputs = dz * self.weights, "
    "where dz is dvalue times ReLU's derivative.",
    checks=CHECKS,
)
def _swapped(context: Context, failure: Failure) -> str | None:
    case = _case(context, "active")
    dz = case["dvalue"]  # z > 0 here, so ReLU's derivative is 1
    if context.matches("active.dweights", dz * case["W"]) and context.matches(
        "active.dinputs", dz * case["X"]
    ):
        return "your self.dweights equals dz * weights and your self.dinputs equals dz * inputs"
    return None


@mistake(
    "single_neuron_upstream_ignored",
    "the upstream gradient dvalue is not used",
    "The chain starts from dvalue, the gradient of the loss with respect to the neuron's "
    "output: multiply it by ReLU's derivative first (dz = dvalue * (1 if z > 0 else 0)), then "
    "every gradient is dz times a local derivative.",
    checks=CHECKS,
)
def _upstream_ignored(context: Context, failure: Failure) -> str | None:
    case = _case(context, "active")
    if context.matches("active.dweights", case["X"]) or context.matches(
        "active.dinputs", case["W"]
    ):
        return (
            f"with dvalue = {case['dvalue']:.4g} your gradients are those of dvalue = 1, "
            "the value of the worked example"
        )
    return None


@mistake(
    "single_neuron_relu_output_as_derivative",
    "ReLU's output used in place of its derivative",
    "ReLU's derivative is a switch: 1 where z > 0, 0 elsewhere. It does not depend on how "
    "large z is, so multiply dvalue by (1.0 if self.z > 0 else 0.0), not by self.output.",
    checks=CHECKS,
)
def _relu_output_as_derivative(context: Context, failure: Failure) -> str | None:
    case = _case(context, "active")
    dz = case["dvalue"] * case["z"]
    if context.matches("active.dweights", dz * case["X"]) or context.matches(
        "active.dinputs", dz * case["W"]
    ):
        return f"your gradients are {case['z']:.4g} (the output) times too large"
    return None


@mistake(
    "single_neuron_bias_not_added",
    "the forward does not add the bias to the weighted sum",
    "z = w·x + b: add the bias once, after summing the products, "
    "self.z = sum(products) + self.bias; the output is max(z, 0).",
    checks=CHECKS,
)
def _bias_not_added(context: Context, failure: Failure) -> str | None:
    if failure.quantity.name != "output":
        return None
    # Every case's output must fit, with the bias left out or subtracted the same way.
    for sign, what in ((0.0, "left out"), (-1.0, "subtracted")):
        fits = True
        for name in CASES:
            case = context.spec[name]
            z = float(case["X"] @ case["W"]) + sign * float(case["b"])
            if context.failed(f"{name}.output") and not context.matches(
                f"{name}.output", max(z, 0.0)
            ):
                fits = False
        if fits:
            return f"your outputs are max(w·x{'' if sign == 0 else ' - b'}, 0): the bias is {what}"
    return None


@mistake(
    "single_neuron_relu_derivative_missing",
    "ReLU's derivative is missing from the chain",
    "Where z = w·x + b is below 0 the neuron outputs a constant 0, so nothing flows back: "
    "multiply dvalue by ReLU's derivative, 1 if z > 0 else 0, before the sum and the products.",
    checks=CHECKS,
)
def _relu_derivative_missing(context: Context, failure: Failure) -> str | None:
    # The premise: the forward is right, so z really is below 0. A forward that computes
    # another z (the bias subtracted or left out) can make it positive, and then the
    # gradient rightly flows: the forward is what to fix, not the backward.
    if context.failed("inactive.output"):
        return None
    case = _case(context, "inactive")
    dz = case["dvalue"]
    if context.matches("inactive.dweights", dz * case["X"]) or context.matches(
        "inactive.dinputs", dz * case["W"]
    ):
        return f"with z = {case['z']:.4g} your gradients are not zero"
    return None


@mistake(
    "single_neuron_kink_at_zero",
    "ReLU's derivative taken as 1 at exactly z = 0",
    "The book's ReLU derivative is 1 only where z > 0 (strictly) and 0 at z = 0: "
    "write (1.0 if self.z > 0 else 0.0), not >=.",
    checks=CHECKS,
)
def _kink_at_zero(context: Context, failure: Failure) -> str | None:
    if context.failed("inactive.dweights") or context.failed("inactive.dinputs"):
        return None
    if context.failed("kink.output"):  # z is not exactly 0 when the forward differs
        return None
    case = _case(context, "kink")
    dz = case["dvalue"]
    if context.matches("kink.dweights", dz * case["X"]) or context.matches(
        "kink.dinputs", dz * case["W"]
    ):
        return "with z exactly 0 your gradients are not zero"
    return None


# Found with autograder/mutation: one factor left out of the forward's products or of one
# backward product got only the generic mismatch. Replayed one slip at a time, on the active
# case (z above 0, so ReLU's derivative is 1 and every factor shows).


@mistake(
    "single_neuron_factor_missing",
    "one factor is missing from a product of the neuron's chain",
    "Forward: products x_i * w_i, z = their sum + b, output = max(z, 0). Backward, with dz = "
    "dvalue * (1 if z > 0 else 0): dweights = dz * x, dinputs = dz * w, dbias = dz. Put back "
    "the one factor the details name.",
    checks=CHECKS,
    priority=GENERAL,
)
def _factor_missing(context: Context, failure: Failure) -> str | None:
    case = _case(context, "active")
    x, w, b, dz = case["X"], case["W"], float(case["b"]), float(case["dvalue"])
    name = failure.quantity.name
    if name == "output":
        for text, z in (
            ("the weights are missing from the products (z = sum(x) + b)", x.sum() + b),
            ("the inputs are missing from the products (z = sum(w) + b)", w.sum() + b),
            ("the products are missing (z = b)", b),
        ):
            if context.matches("active.output", max(z, 0.0)):
                return f"your output matches the forward where {text}"
        return None
    # The backward's slips need a right forward (z above 0 there, as computed).
    if context.failed("active.output"):
        return None
    slips = {
        "dweights": (np.full_like(x, dz), "self.inputs is missing from dweights (dz alone)"),
        "dinputs": (np.full_like(w, dz), "self.weights is missing from dinputs (dz alone)"),
        "dbias": (np.float64(1.0), "dz is missing from dbias (only the sum's 1)"),
    }
    if name in slips and context.matches(f"active.{name}", slips[name][0]):
        return f"your {name} matches the chain where {slips[name][1]}"
    return None
