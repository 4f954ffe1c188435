"""The L1/L2 penalty a loss adds for a layer, ``regularization_loss(layer)`` (ch14).

The gradient side of regularization is checked with the dense layer
(``dense_regularization`` in :mod:`.dense`). Here the learner passes a loss class (any
``Loss`` subclass will do: the penalty lives in the shared base class), and the check hands
its ``regularization_loss`` layer-like objects carrying weights, biases and the four
strengths, in three cases: all four strengths on, only L1, only L2 (the book adds a term
only when its strength is above 0). The parameters hold negative values and exact zeros.

From chapter 18 on, the book's ``regularization_loss()`` takes no layer and sums over the
layers given to ``remember_trainable_layers``; both signatures are accepted.
"""

from __future__ import annotations

import inspect
from typing import Any

import numpy as np

from nnfs_core import CategoricalCrossentropy

from .capture import ParameterHolder, Recorder
from .dense import REGULARIZERS
from .judging import StagedCheck
from .shared import GENERAL, Context, Failure, Quantity, mistake, register

CASES = ("both", "l1", "l2")


def build_penalty(seed: int) -> dict[str, Any]:
    rng = np.random.RandomState(seed)
    spec: dict[str, Any] = {}
    for name in CASES:
        weights = rng.standard_normal((3, 4))
        biases = rng.standard_normal((1, 4))
        weights.flat[rng.permutation(weights.size)[:2]] = 0.0
        strengths = dict(zip(REGULARIZERS, np.round(rng.uniform(0.05, 0.5, size=4), 3).tolist()))
        for key in REGULARIZERS:
            if (name == "l1" and key.endswith("l2")) or (name == "l2" and key.endswith("l1")):
                strengths[key] = 0
        spec[name] = {"W": weights, "b": biases, "strengths": strengths}
    return spec


def regularized_layer(case: dict[str, Any]) -> ParameterHolder:
    layer = ParameterHolder(case["W"], case["b"])
    for key, value in case["strengths"].items():
        setattr(layer, key, value)
    return layer


def takes_layer(function: Any) -> bool:
    try:
        parameters = inspect.signature(function).parameters.values()
    except (TypeError, ValueError):
        return True
    return any(p.kind not in (p.VAR_KEYWORD, p.KEYWORD_ONLY) for p in parameters)


@register
class RegularizationLoss(StagedCheck):
    name = "regularization_loss"
    title = "Loss.regularization_loss"
    stages = ("construct", "penalty")

    def build(self, seed: int) -> dict[str, Any]:
        return build_penalty(seed)

    def exercise(self, recorder: Recorder, learner: Any, spec: dict[str, Any]) -> None:
        for name in CASES:
            loss = recorder.construct(f"{name}.construct", learner)
            if loss is None:
                continue
            layer = regularized_layer(spec[name])
            stage = f"{name}.penalty"
            method = recorder.method(stage, loss, "regularization_loss")
            if method is None:
                continue
            if takes_layer(method):
                _, value = recorder.call(stage, "regularization_loss", method, layer)
            else:  # chapter 18: the loss sums over the layers it was told about
                ok, _ = recorder.invoke(stage, loss, "remember_trainable_layers", [layer])
                value = recorder.call(stage, "regularization_loss", method)[1] if ok else None
            recorder.keep(f"{name}.penalty", value)

    def expect(self, spec: dict[str, Any]) -> dict[str, Any]:
        loss = CategoricalCrossentropy()
        return {
            f"{name}.penalty": np.float64(loss.regularization_loss(regularized_layer(spec[name])))
            for name in CASES
        }

    def quantities(self, spec: dict[str, Any]) -> list[Quantity]:
        shown = {"both": "all four strengths", "l1": "L1 strengths only", "l2": "L2 strengths only"}
        return [
            Quantity(
                f"{name}.penalty",
                f"the penalty regularization_loss returned ({shown[name]})",
                "penalty",
                f"{name}.penalty",
                "regularization_loss(layer)",
            )
            for name in CASES
        ]


# -- the mistakes this family's checks name ---------------------------------------------
# Tried by priority (shared.EARLY, SPECIFIC, GENERAL, LAST), then in the order written here.


def _penalty_variant(context: Context, **change: bool) -> bool:
    """Whether every penalty the learner returned matches the book's with ``change``."""
    keys = [key for key in context.expected if context.array(key) is not None]
    if not keys or not any(context.failed(key) for key in keys):
        return False
    for key in keys:
        case = context.case(key)
        strengths = case["strengths"]
        total = 0.0
        for prefix, values in (("weight", case["W"]), ("bias", case["b"])):
            if prefix == "bias" and change.get("no_biases"):
                continue
            l1 = strengths[f"{prefix}_regularizer_l1"]
            l2 = strengths[f"{prefix}_regularizer_l2"]
            if l1 > 0:
                total += l1 * np.sum(values if change.get("no_abs") else np.abs(values))
            if l2 > 0:
                squared = np.abs(values) if change.get("not_squared") else values * values
                total += l2 * np.sum(squared)
        if not context.matches(key, total):
            return False
    return True


@mistake(
    "penalty_l1_without_abs",
    "L1 penalty without the absolute value",
    "L1 sums magnitudes: weight_regularizer_l1 * np.sum(np.abs(layer.weights)); without "
    "np.abs, positive and negative weights cancel.",
    checks=("regularization_loss",),
)
def _penalty_no_abs(context: Context, failure: Failure) -> str | None:
    return (
        "your penalties match Σw instead of Σ|w|"
        if _penalty_variant(context, no_abs=True)
        else None
    )


@mistake(
    "penalty_l2_not_squared",
    "L2 penalty without squaring",
    "L2 sums squares: weight_regularizer_l2 * np.sum(layer.weights * layer.weights).",
    checks=("regularization_loss",),
)
def _penalty_not_squared(context: Context, failure: Failure) -> str | None:
    if _penalty_variant(context, not_squared=True):
        return "your penalties match Σ|w| where Σw² belongs"
    return None


@mistake(
    "penalty_missing_biases",
    "penalty leaves out the biases",
    "Add the biases' terms too: bias_regularizer_l1 * np.sum(np.abs(layer.biases)) and "
    "bias_regularizer_l2 * np.sum(layer.biases * layer.biases).",
    checks=("regularization_loss",),
)
def _penalty_no_biases(context: Context, failure: Failure) -> str | None:
    if _penalty_variant(context, no_biases=True):
        return "your penalties match the weights' terms alone"
    return None


# Found with autograder/mutation: a slip in one of the four terms (the biases' abs dropped, one
# term subtracted, one strength left out) got only the generic mismatch. Each term is
# replayed with one slip at a time, the other three as the book writes them.

#: (strength attribute, parameter, L1 or L2) in the book's order.
_TERMS = (
    ("weight_regularizer_l1", "W", "L1"),
    ("weight_regularizer_l2", "W", "L2"),
    ("bias_regularizer_l1", "b", "L1"),
    ("bias_regularizer_l2", "b", "L2"),
)


def _book_term(kind: str, strength: float, values: np.ndarray) -> float:
    return strength * float(np.sum(np.abs(values) if kind == "L1" else values * values))


def _term_slips(kind: str, strength: float, values: np.ndarray) -> dict[str, float]:
    """One term of the penalty with each usual slip, by description."""
    book = _book_term(kind, strength, values)
    inner = np.abs(values) if kind == "L1" else values * values
    slips = {
        "is left out": 0.0,
        "is subtracted instead of added": -book,
        "leaves out its strength": float(np.sum(inner)),
        "is the strength alone (the sum left out)": strength,
        "uses np.mean where np.sum belongs": strength * float(np.mean(inner)),
    }
    if kind == "L1":
        slips["leaves out np.abs"] = strength * float(np.sum(values))
    else:
        slips["is not squared"] = strength * float(np.sum(values))
        slips["leaves out the square but keeps np.abs"] = strength * float(np.sum(np.abs(values)))
    return slips


def _penalty_with_slip(case: dict[str, Any], position: int, slip: str) -> float:
    total = 0.0
    for index, (attribute, parameter, kind) in enumerate(_TERMS):
        strength = case["strengths"][attribute]
        if strength <= 0:
            continue
        values = case[parameter]
        if index != position:
            total += _book_term(kind, strength, values)
        elif slip == "replaces what came before it (= where += belongs)":
            total = _book_term(kind, strength, values)
        else:
            total += _term_slips(kind, strength, values)[slip]
    return total


@mistake(
    "penalty_term_wrong",
    "one term of the penalty is wrong",
    "The penalty adds four terms, each only when its strength is above 0: "
    "weight_regularizer_l1 * np.sum(np.abs(layer.weights)), weight_regularizer_l2 * "
    "np.sum(layer.weights * layer.weights), and the same two for layer.biases with "
    "bias_regularizer_l1 and bias_regularizer_l2, all added with +=. Fix the one term the "
    "details name; the other three are right.",
    checks=("regularization_loss",),
    priority=GENERAL,
)
def _penalty_term_wrong(context: Context, failure: Failure) -> str | None:
    if failure.kind not in ("values", "nonfinite") or context.errors:
        return None
    keys = [key for key in context.expected if context.array(key) is not None]
    if not keys or not any(context.failed(key) for key in keys):
        return None
    for position, (attribute, parameter, kind) in enumerate(_TERMS):
        slips = [
            *_term_slips(kind, 1.0, np.ones(1)),
            "replaces what came before it (= where += belongs)",
        ]
        for slip in slips:
            if all(
                context.matches(key, _penalty_with_slip(context.case(key), position, slip))
                for key in keys
            ):
                name = "weights" if parameter == "W" else "biases"
                return f"the {kind} term of the {name} ({attribute}) {slip}"
    return None
