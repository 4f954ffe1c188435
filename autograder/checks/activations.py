"""Checks for the activations: ReLU and softmax (ch09), sigmoid (ch16), linear (ch17).

A forward check compares ``self.output``; a backward check runs forward then
``backward(dvalues)`` and compares ``self.dinputs`` (the forward's correctness is its own
check; when it is wrong the backward's message says so, from a central difference of the
learner's own forward). Both make sure the arrays handed to the learner come back unchanged.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from nnfs_core import Linear, ReLU, Sigmoid, Softmax

from . import register
from .capture import Recorder, learner_forward
from .judging import Quantity, StagedCheck, witness_indices


class _ActivationCheck(StagedCheck):
    """One activation class, forward only (``backward = False``) or forward then backward."""

    stages = ("construct", "forward", "backward")
    reference: type = ReLU
    backward = False
    book_name = "Activation"
    cases: tuple[str, ...] = ("main",)

    def draw(self, rng: np.random.RandomState, case: str) -> np.ndarray:  # pragma: no cover
        raise NotImplementedError

    def build(self, seed: int) -> dict[str, Any]:
        rng = np.random.RandomState(seed)
        spec: dict[str, Any] = {}
        for name in self.cases:
            inputs = self.draw(rng, name)
            spec[name] = {
                "X": inputs,
                "dvalues": rng.standard_normal(inputs.shape),
                "witness": witness_indices(rng, inputs.shape, 4, avoid=self.kink(inputs)),
            }
        return spec

    def kink(self, inputs: np.ndarray):
        """Indices where a central difference would straddle a kink (ReLU at 0)."""
        return None

    def exercise(self, recorder: Recorder, learner: Any, spec: dict[str, Any]) -> None:
        for name in self.cases:
            case = spec[name]
            activation = recorder.construct(f"{name}.construct", learner)
            if activation is None:
                continue
            inputs = case["X"].copy()
            ok, returned = recorder.forward(f"{name}.forward", activation, inputs, training=True)
            recorder.keep(f"{name}.inputs_after", inputs)
            recorder.keep_attribute(f"{name}.output", activation, "output")
            recorder.keep(f"{name}.output_returned", returned)
            if not (ok and self.backward):
                continue
            dvalues = case["dvalues"].copy()
            ok, returned = recorder.invoke(f"{name}.backward", activation, "backward", dvalues)
            recorder.keep_attribute(f"{name}.dinputs", activation, "dinputs")
            recorder.keep(f"{name}.dinputs_returned", returned)
            recorder.keep(f"{name}.dvalues_after", dvalues)
            if ok and name == self.cases[0]:
                recorder.keep_witness(
                    f"{name}.dinputs",
                    lambda values, a=activation: learner_forward(a, values),
                    case["X"],
                    case["witness"],
                )

    def expect(self, spec: dict[str, Any]) -> dict[str, Any]:
        expected: dict[str, Any] = {}
        for name in self.cases:
            case = spec[name]
            reference = self.reference()
            expected[f"{name}.output"] = reference.forward(case["X"].copy())
            expected[f"{name}.inputs_after"] = case["X"]
            expected[f"{name}.dinputs"] = reference.backward(case["dvalues"].copy())
            expected[f"{name}.dvalues_after"] = case["dvalues"]
        return expected

    def quantities(self, spec: dict[str, Any]) -> list[Quantity]:
        found = []
        for position, name in enumerate(self.cases):
            suffix = "" if position == 0 else f" ({name} case)"
            if self.backward:
                found.append(
                    Quantity(
                        f"{name}.dinputs",
                        f"self.dinputs{suffix}",
                        "dinputs",
                        f"{name}.backward",
                        "after forward(inputs) and backward(dvalues)",
                        witness=f"{name}.dinputs" if position == 0 else None,
                    )
                )
            else:
                found.append(
                    Quantity(
                        f"{name}.output",
                        f"self.output{suffix}",
                        "output",
                        f"{name}.forward",
                        "after forward(inputs)",
                    )
                )
        first = self.cases[0]
        found.append(
            Quantity(
                f"{first}.inputs_after",
                "the inputs array passed to forward",
                "inputs_after",
                f"{first}.forward",
                "during forward",
                mutation=True,
            )
        )
        if self.backward:
            found.append(
                Quantity(
                    f"{first}.dvalues_after",
                    "the dvalues array passed to backward",
                    "dvalues_after",
                    f"{first}.backward",
                    "during backward",
                    mutation=True,
                )
            )
        return found

    def objective(self, spec, witness, output, index=None, delta=0.0):
        case = spec[witness.partition(".")[0]]
        if output.shape != case["dvalues"].shape:
            return None
        return float(np.sum(output * case["dvalues"]))


class _ReLU(_ActivationCheck):
    reference = ReLU

    def draw(self, rng: np.random.RandomState, case: str) -> np.ndarray:
        inputs = rng.standard_normal((6, 4))
        inputs.flat[rng.permutation(inputs.size)[:3]] = 0.0  # where max(0, x) has its kink
        return inputs

    def kink(self, inputs: np.ndarray):
        return lambda index: abs(inputs[index]) < 1e-3


@register
class ReLUForward(_ReLU):
    name = "relu_forward"
    title = "Activation_ReLU.forward"


@register
class ReLUBackward(_ReLU):
    name = "relu_backward"
    title = "Activation_ReLU.backward"
    backward = True


class _Softmax(_ActivationCheck):
    reference = Softmax
    cases = ("main", "square")
    #: Give the main case one row of logits near 800, where exp() overflows unless the row's
    #: maximum is subtracted first.
    large_row = False

    def draw(self, rng: np.random.RandomState, case: str) -> np.ndarray:
        if case == "square":
            return rng.standard_normal((3, 3))
        inputs = 2.0 * rng.standard_normal((5, 4))
        if self.large_row:
            inputs[-1] = 800.0 + 3.0 * rng.standard_normal(4)
        return inputs


@register
class SoftmaxForward(_Softmax):
    name = "softmax_forward"
    title = "Activation_Softmax.forward"
    large_row = True


@register
class SoftmaxBackward(_Softmax):
    name = "softmax_backward"
    title = "Activation_Softmax.backward"
    backward = True
    cases = ("main",)


class _Sigmoid(_ActivationCheck):
    reference = Sigmoid

    def draw(self, rng: np.random.RandomState, case: str) -> np.ndarray:
        return 3.0 * rng.standard_normal((6, 3))


@register
class SigmoidForward(_Sigmoid):
    name = "sigmoid_forward"
    title = "Activation_Sigmoid.forward"


@register
class SigmoidBackward(_Sigmoid):
    name = "sigmoid_backward"
    title = "Activation_Sigmoid.backward"
    backward = True


@register
class LinearActivation(_ActivationCheck):
    """Forward and backward in one check: both are the identity."""

    name = "linear_activation"
    title = "Activation_Linear forward and backward"
    reference = Linear
    backward = True

    def draw(self, rng: np.random.RandomState, case: str) -> np.ndarray:
        return rng.standard_normal((5, 2))

    def quantities(self, spec: dict[str, Any]) -> list[Quantity]:
        output = Quantity(
            "main.output", "self.output", "output", "main.forward", "after forward(inputs)"
        )
        return [output, *super().quantities(spec)]
