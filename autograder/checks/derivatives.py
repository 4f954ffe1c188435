"""Checks for chapter 7: numerical derivatives, the power rule and tangent lines.

The learner's classes (the reference twins are in ``nnfs_core.calculus``):

* ``forward_difference``: ``ForwardDifference(delta).derivative(f, x)`` returns
  ``(f(x + delta) - f(x)) / delta`` for every element of ``x``;
* ``central_difference``: ``CentralDifference(delta).derivative(f, x)`` returns
  ``(f(x + delta) - f(x - delta)) / (2 * delta)``;
* ``polynomial_derivative``: ``Polynomial(coefficients).derivative(x)``, coefficients lowest
  power first, returns ``sum(k * c[k] * x**(k - 1))`` (the power rule);
* ``tangent_line``: ``TangentLine(delta)``; ``fit(f, x)`` sets ``slope`` (a central difference
  at the number ``x``) and ``intercept`` (so that ``(x, f(x))`` lies on the line);
  ``forward(inputs)`` sets ``output = slope * inputs + intercept``.

The functions handed to the learner's code are smooth curves drawn from the seed: a cubic
plus a sine, so that their second and third derivatives are not zero and a forward difference,
a central one and one with another step all give visibly different numbers. Each check has a
case with a step like the book's (a few thousandths) and a coarse one (0.05 to 0.2), where the
bias of a wrong formula is far above the tolerance.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

from nnfs_core.calculus import (
    DEFAULT_DELTA,
    CentralDifference,
    ForwardDifference,
    Polynomial,
    TangentLine,
)

from .capture import Recorder
from .judging import StagedCheck
from .shared import GENERAL, Context, Failure, Quantity, mistake, register


def curve(params: dict[str, Any]) -> Callable[[Any], np.ndarray]:
    """``c[0] + c[1] x + c[2] x**2 + c[3] x**3 + a sin(w x)``, element-wise, from a spec."""
    coefficients = np.asarray(params["c"], dtype=np.float64)
    amplitude, frequency = float(params["a"]), float(params["w"])

    def f(x: Any) -> np.ndarray:
        x = np.asarray(x, dtype=np.float64)
        total = amplitude * np.sin(frequency * x)
        for power, c in enumerate(coefficients):
            total = total + c * x**power
        return total

    return f


def draw_curve(rng: np.random.RandomState) -> dict[str, Any]:
    signs = rng.choice([-1.0, 1.0], size=4)
    return {
        "c": (signs * rng.uniform(0.3, 2.0, size=4)).round(3),
        "a": float(round(rng.uniform(0.5, 1.5), 3)),
        "w": float(round(rng.uniform(1.0, 2.5), 3)),
    }


# -- the variants the catalogue reproduces ----------------------------------------------------


def forward(f: Callable, x: np.ndarray, delta: float) -> np.ndarray:
    return (f(x + delta) - f(x)) / delta


def central(f: Callable, x: np.ndarray, delta: float) -> np.ndarray:
    return (f(x + delta) - f(x - delta)) / (2 * delta)


# ---------------------------------------------------------------------------------------------
# Forward and central differences
# ---------------------------------------------------------------------------------------------


class _DifferenceCheck(StagedCheck):
    """``Learner(delta).derivative(f, x)`` on two cases; compares what it returns."""

    stages = ("construct", "derivative")
    cases = ("main", "coarse")
    reference: type = ForwardDifference
    formula = ""

    def build(self, seed: int) -> dict[str, Any]:
        rng = np.random.RandomState(seed)
        main_x = np.concatenate([[0.0], rng.uniform(-2.0, 2.0, size=5).round(3)])
        return {
            "main": {
                "curve": draw_curve(rng),
                "x": main_x,
                "delta": float(rng.choice([0.002, 0.003, 0.004, 0.005])),
            },
            "coarse": {
                "curve": draw_curve(rng),
                "x": rng.uniform(-1.5, 1.5, size=(2, 3)).round(3),
                "delta": float(rng.choice([0.05, 0.1, 0.2])),
            },
        }

    def exercise(self, recorder: Recorder, learner: Any, spec: dict[str, Any]) -> None:
        for name in self.cases:
            case = spec[name]
            obj = recorder.construct(f"{name}.construct", learner, case["delta"])
            if obj is None:
                continue
            x = case["x"].copy()
            _, value = recorder.invoke(
                f"{name}.derivative", obj, "derivative", curve(case["curve"]), x
            )
            recorder.keep(f"{name}.derivative", value)
            recorder.keep(f"{name}.x_after", x)

    def expect(self, spec: dict[str, Any]) -> dict[str, Any]:
        expected: dict[str, Any] = {}
        for name in self.cases:
            case = spec[name]
            reference = self.reference(case["delta"])
            expected[f"{name}.derivative"] = reference.derivative(curve(case["curve"]), case["x"])
            expected[f"{name}.x_after"] = case["x"]
        return expected

    def quantities(self, spec: dict[str, Any]) -> list[Quantity]:
        found = [
            Quantity(
                "main.x_after",
                "the x array passed to derivative",
                "x_after",
                "main.derivative",
                "during derivative(f, x)",
                mutation=True,
            )
        ]
        for name in self.cases:
            delta = spec[name]["delta"]
            found.append(
                Quantity(
                    f"{name}.derivative",
                    f"what derivative(f, x) returned with delta={delta:g}",
                    "derivative",
                    f"{name}.derivative",
                    f"{self.title.split('.')[0]}({delta:g}).derivative(f, x), expected "
                    f"{self.formula}",
                )
            )
        return found


@register
class ForwardDifferenceCheck(_DifferenceCheck):
    name = "forward_difference"
    title = "ForwardDifference.derivative"
    reference = ForwardDifference
    formula = "(f(x + delta) - f(x)) / delta"


@register
class CentralDifferenceCheck(_DifferenceCheck):
    name = "central_difference"
    title = "CentralDifference.derivative"
    reference = CentralDifference
    formula = "(f(x + delta) - f(x - delta)) / (2 * delta)"


DIFFERENCES = ("forward_difference", "central_difference")


def _replays(context: Context, key_name: str, variant: Callable[[dict[str, Any]], Any]) -> bool:
    """Whether every case's ``key_name`` the learner produced is ``variant(case)``, and some
    such key failed (the learner's values are that variant's, not the reference's)."""
    keys = [k for k in context.expected if k.endswith(f".{key_name}")]
    if not any(context.failed(k) for k in keys):
        return False
    return all(context.matches(k, variant(context.spec[k.partition(".")[0]])) for k in keys)


def _difference_variant(context: Context, kind: str, delta: float | None = None) -> bool:
    """Whether the learner's derivatives are ``kind`` (a formula name) applied to every case."""

    def variant(case: dict[str, Any]) -> np.ndarray:
        f, x = curve(case["curve"]), case["x"]
        step = case["delta"] if delta is None else delta
        return {
            "forward": lambda: forward(f, x, step),
            "central": lambda: central(f, x, step),
            "forward_flipped": lambda: -forward(f, x, step),
            "central_flipped": lambda: -central(f, x, step),
            "forward_half": lambda: forward(f, x, step) / 2,
            "central_double": lambda: central(f, x, step) * 2,
        }[kind]()

    return _replays(context, "derivative", variant)


def _own_formula(context: Context) -> str:
    return "forward" if context.check == "forward_difference" else "central"


@mistake(
    "difference_sign_flipped",
    "the two values subtracted the wrong way round (the sign is flipped)",
    "A slope is rise over run, both measured from left to right: the value at the right point "
    "minus the value at the left point, f(x + delta) - f(x) (or f(x + delta) - f(x - delta)), "
    "over the distance between them.",
    checks=DIFFERENCES,
)
def _sign_flipped(context: Context, failure: Failure) -> str | None:
    if _difference_variant(context, f"{_own_formula(context)}_flipped"):
        return "every derivative has the reference's size and the opposite sign"
    return None


@mistake(
    "difference_wrong_divisor",
    "divided by the wrong distance",
    "Divide the rise by the run, the distance between the two x positions: delta between x "
    "and x + delta, but 2 * delta between x - delta and x + delta.",
    checks=DIFFERENCES,
)
def _wrong_divisor(context: Context, failure: Failure) -> str | None:
    if context.check == "forward_difference" and _difference_variant(context, "forward_half"):
        return "your values are half the forward difference: divided by 2 * delta"
    if context.check == "central_difference" and _difference_variant(context, "central_double"):
        return "your values are twice the central difference: divided by delta"
    return None


@mistake(
    "difference_fixed_delta",
    "the step written as a number instead of self.delta",
    "Use the step the object was built with, self.delta, everywhere: the check builds the "
    "class with other steps than 0.0001.",
    checks=DIFFERENCES,
)
def _fixed_delta(context: Context, failure: Failure) -> str | None:
    if _difference_variant(context, _own_formula(context), DEFAULT_DELTA):
        return "your values are those of delta = 0.0001 whatever delta the class was given"
    return None


@mistake(
    "difference_forward_for_central",
    "the forward difference where the central one is asked",
    "The central difference uses the points on both sides of x: "
    "(f(x + self.delta) - f(x - self.delta)) / (2 * self.delta). Its bias is far smaller "
    "than the forward difference's.",
    checks=("central_difference", "tangent_line"),
)
def _forward_for_central(context: Context, failure: Failure) -> str | None:
    if context.check == "central_difference":
        return "" if _difference_variant(context, "forward") else None

    def slope(case: dict[str, Any]) -> float:
        return float(forward(curve(case["curve"]), np.array(case["x"]), case["delta"]))

    return "your slope is the forward difference" if _replays(context, "slope", slope) else None


@mistake(
    "difference_central_for_forward",
    "the central difference where the forward one is asked",
    "This exercise measures the two-point slope from x to x + delta, "
    "(f(x + self.delta) - f(x)) / self.delta, to see its bias; the central difference is the "
    "next exercise.",
    checks=("forward_difference",),
)
def _central_for_forward(context: Context, failure: Failure) -> str | None:
    return "" if _difference_variant(context, "central") else None


# ---------------------------------------------------------------------------------------------
# The power rule
# ---------------------------------------------------------------------------------------------


@register
class PolynomialDerivativeCheck(StagedCheck):
    """``Polynomial(coefficients).derivative(x)`` for a cubic-or-higher, a constant and a
    quadratic on a 2-D grid of points."""

    name = "polynomial_derivative"
    title = "Polynomial.derivative"
    stages = ("construct", "derivative")
    cases = ("main", "constant", "grid")

    def build(self, seed: int) -> dict[str, Any]:
        rng = np.random.RandomState(seed)

        def coefficients(n: int) -> np.ndarray:
            return (rng.choice([-1.0, 1.0], size=n) * rng.uniform(0.5, 3.0, size=n)).round(2)

        main_x = np.concatenate([[0.0, 1.0, -1.0], rng.uniform(-2.0, 2.0, size=4).round(2)])
        return {
            "main": {"c": coefficients(4 + rng.randint(3)), "x": main_x},
            "constant": {"c": coefficients(1), "x": rng.uniform(-3.0, 3.0, size=4).round(2)},
            "grid": {"c": coefficients(3), "x": rng.uniform(-2.0, 2.0, size=(2, 3)).round(2)},
        }

    def exercise(self, recorder: Recorder, learner: Any, spec: dict[str, Any]) -> None:
        for name in self.cases:
            case = spec[name]
            obj = recorder.construct(f"{name}.construct", learner, case["c"].copy())
            if obj is None:
                continue
            x = case["x"].copy()
            _, value = recorder.invoke(f"{name}.derivative", obj, "derivative", x)
            recorder.keep(f"{name}.derivative", value)
            recorder.keep(f"{name}.x_after", x)

    def expect(self, spec: dict[str, Any]) -> dict[str, Any]:
        expected: dict[str, Any] = {}
        for name in self.cases:
            case = spec[name]
            expected[f"{name}.derivative"] = Polynomial(case["c"]).derivative(case["x"])
            expected[f"{name}.x_after"] = case["x"]
        return expected

    def quantities(self, spec: dict[str, Any]) -> list[Quantity]:
        found = []
        for name in self.cases:
            c = spec[name]["c"].tolist()
            found.append(
                Quantity(
                    f"{name}.derivative",
                    f"what derivative(x) returned for Polynomial({c})",
                    "derivative",
                    f"{name}.derivative",
                    f"Polynomial({c}).derivative(x)",
                )
            )
        found.append(
            Quantity(
                "main.x_after",
                "the x array passed to derivative",
                "x_after",
                "main.derivative",
                "during derivative(x)",
                mutation=True,
            )
        )
        return found


def power_sum(c: np.ndarray, x: np.ndarray, term: Callable[[int, float, np.ndarray], Any]):
    total = np.zeros_like(np.asarray(x, dtype=np.float64))
    for power, coefficient in enumerate(np.asarray(c, dtype=np.float64)):
        total = total + term(power, coefficient, x)
    return total


def _power_variant(context: Context, term: Callable, reverse: bool = False) -> bool:
    def variant(case: dict[str, Any]) -> np.ndarray:
        c = case["c"][::-1] if reverse else case["c"]
        return power_sum(c, case["x"], term)

    return _replays(context, "derivative", variant)


def _rule(k: int, c: float, x: np.ndarray) -> Any:
    return k * c * x ** (k - 1) if k else 0.0


POWER = ("polynomial_derivative",)


@mistake(
    "power_rule_power_not_lowered",
    "the power multiplied in but not lowered",
    "The power rule does two things to c * x**k: it multiplies by k and lowers the power by "
    "one, giving k * c * x**(k - 1).",
    checks=POWER,
)
def _not_lowered(context: Context, failure: Failure) -> str | None:
    return "" if _power_variant(context, lambda k, c, x: k * c * x**k) else None


@mistake(
    "power_rule_not_multiplied",
    "the power lowered but not multiplied in",
    "The power rule does two things to c * x**k: it lowers the power by one and multiplies by "
    "the old power k, giving k * c * x**(k - 1) (so 2x**3 becomes 6x**2, not 2x**2).",
    checks=POWER,
)
def _not_multiplied(context: Context, failure: Failure) -> str | None:
    return "" if _power_variant(context, lambda k, c, x: c * x ** (k - 1) if k else 0.0) else None


@mistake(
    "power_rule_constant_kept",
    "the constant term kept",
    "A constant does not change when x changes, so its derivative is 0: the term c[0] drops "
    "out, and the sum starts at k = 1.",
    checks=POWER,
)
def _constant_kept(context: Context, failure: Failure) -> str | None:
    return "" if _power_variant(context, lambda k, c, x: _rule(k, c, x) if k else c) else None


@mistake(
    "power_rule_highest_first",
    "the coefficients read highest power first",
    "self.coefficients[k] multiplies x**k: the first coefficient is the constant, the second "
    "multiplies x, and so on (np.polyval and np.poly1d use the opposite order).",
    checks=POWER,
)
def _highest_first(context: Context, failure: Failure) -> str | None:
    return "" if _power_variant(context, _rule, reverse=True) else None


# ---------------------------------------------------------------------------------------------
# Tangent lines
# ---------------------------------------------------------------------------------------------


@register
class TangentLineCheck(StagedCheck):
    """``TangentLine(delta)``, ``fit(f, x)`` then ``forward(inputs)``, at two points."""

    name = "tangent_line"
    title = "TangentLine"
    stages = ("construct", "fit", "forward")
    cases = ("main", "coarse")

    def build(self, seed: int) -> dict[str, Any]:
        rng = np.random.RandomState(seed)
        spec = {}
        for name, steps in (("main", [0.002, 0.003, 0.005]), ("coarse", [0.05, 0.1, 0.2])):
            x = float(round(rng.uniform(-1.5, 1.5), 3))
            spec[name] = {
                "curve": draw_curve(rng),
                "x": x,
                "delta": float(rng.choice(steps)),
                "inputs": (x + np.linspace(-1.0, 1.0, 5)).round(3),
            }
        return spec

    def exercise(self, recorder: Recorder, learner: Any, spec: dict[str, Any]) -> None:
        for name in self.cases:
            case = spec[name]
            line = recorder.construct(f"{name}.construct", learner, case["delta"])
            if line is None:
                continue
            ok, _ = recorder.invoke(f"{name}.fit", line, "fit", curve(case["curve"]), case["x"])
            if ok:
                recorder.keep_attribute(f"{name}.slope", line, "slope")
                recorder.keep_attribute(f"{name}.intercept", line, "intercept")
            inputs = case["inputs"].copy()
            ok, returned = recorder.forward(f"{name}.forward", line, inputs)
            if ok:
                recorder.keep_attribute(f"{name}.output", line, "output")
                recorder.keep(f"{name}.output_returned", returned)

    def expect(self, spec: dict[str, Any]) -> dict[str, Any]:
        expected: dict[str, Any] = {}
        for name in self.cases:
            case = spec[name]
            line = TangentLine(case["delta"]).fit(curve(case["curve"]), case["x"])
            expected[f"{name}.slope"] = np.float64(line.slope)
            expected[f"{name}.intercept"] = np.float64(line.intercept)
            expected[f"{name}.output"] = line.forward(case["inputs"])
        return expected

    def quantities(self, spec: dict[str, Any]) -> list[Quantity]:
        found = []
        for name in self.cases:
            case = spec[name]
            fit = f"TangentLine({case['delta']:g}).fit(f, {case['x']:g})"
            found += [
                Quantity(f"{name}.slope", "self.slope", "slope", f"{name}.fit", f"after {fit}"),
                Quantity(
                    f"{name}.intercept",
                    "self.intercept",
                    "intercept",
                    f"{name}.fit",
                    f"after {fit}",
                ),
                Quantity(
                    f"{name}.output",
                    "self.output",
                    "output",
                    f"{name}.forward",
                    f"after {fit} and forward(inputs)",
                ),
            ]
        return found


def _tangent_intercept(context: Context, intercept: Callable[[dict[str, Any]], float]) -> bool:
    """Whether the slopes are right and the intercepts are ``intercept(case)`` throughout."""
    slopes_ok = not any(context.failed(k) for k in context.expected if k.endswith(".slope"))
    return slopes_ok and _replays(context, "intercept", intercept)


def _slope(case: dict[str, Any]) -> float:
    return float(central(curve(case["curve"]), np.array(case["x"]), case["delta"]))


@mistake(
    "tangent_intercept_shifted_point",
    "the intercept computed from a point next to x",
    "The tangent touches the curve at x itself: intercept = f(x) - slope * x, so that the line "
    "passes through (x, f(x)). A neighbouring point such as (x + delta, f(x + delta)) is on "
    "the curve but not on the tangent.",
    checks=("tangent_line",),
)
def _intercept_shifted(context: Context, failure: Failure) -> str | None:
    for sign in (1.0, -1.0):

        def shifted(case: dict[str, Any], sign: float = sign) -> float:
            moved = case["x"] + sign * case["delta"]
            return float(curve(case["curve"])(moved)) - _slope(case) * moved

        if _tangent_intercept(context, shifted):
            where = "x + delta" if sign > 0 else "x - delta"
            return f"your line passes through the curve's point at {where}"
    return None


@mistake(
    "tangent_intercept_sign",
    "the intercept with the wrong sign",
    "From f(x) = slope * x + intercept it follows that intercept = f(x) - slope * x.",
    checks=("tangent_line",),
)
def _intercept_sign(context: Context, failure: Failure) -> str | None:
    def flipped(case: dict[str, Any]) -> float:
        return _slope(case) * case["x"] - float(curve(case["curve"])(case["x"]))

    return "" if _tangent_intercept(context, flipped) else None


# Found with autograder/mutation: a slip inside a difference quotient (a point, the sign
# between the two values, the division) or inside the tangent's intercept or line got only the
# generic mismatch. Each formula is replayed with one slip at a time on the check's own curves.

_FORWARD_SLIPS: dict[str, Callable] = {
    "the division by delta is missing": lambda f, x, d: f(x + d) - f(x),
    "f(x) is added, not subtracted": lambda f, x, d: (f(x + d) + f(x)) / d,
    "f(x) is missing": lambda f, x, d: f(x + d) / d,
    "f(x - delta) is used where f(x + delta) belongs": lambda f, x, d: (f(x - d) - f(x)) / d,
    "f(delta) is used where f(x + delta) belongs": lambda f, x, d: (f(d) - f(x)) / d,
    "delta is doubled": lambda f, x, d: (f(x + 2 * d) - f(x)) / (2 * d),
    "delta is missing from f(x + delta) (the two values cancel)": lambda f, x, d: 0 * f(x),
}

_CENTRAL_SLIPS: dict[str, Callable] = {
    "the division by 2 * delta is missing": lambda f, x, d: f(x + d) - f(x - d),
    "the division is by 2 only (delta is missing)": lambda f, x, d: (f(x + d) - f(x - d)) / 2,
    "the division is by delta only (the 2 is missing)": lambda f, x, d: (f(x + d) - f(x - d)) / d,
    "f(x - delta) is added, not subtracted": lambda f, x, d: (f(x + d) + f(x - d)) / (2 * d),
    "f(x - delta) is missing": lambda f, x, d: f(x + d) / (2 * d),
    "f(x) is used where f(x + delta) belongs": lambda f, x, d: (f(x) - f(x - d)) / (2 * d),
    "f(x) is used where f(x - delta) belongs": lambda f, x, d: (f(x + d) - f(x)) / (2 * d),
    "f(delta) is used where f(x + delta) belongs": lambda f, x, d: (f(d) - f(x - d)) / (2 * d),
    "f(-delta) is used where f(x - delta) belongs": lambda f, x, d: (f(x + d) - f(-d)) / (2 * d),
    "both points are the same (the two values cancel)": lambda f, x, d: 0 * f(x),
    "delta is doubled": lambda f, x, d: (f(x + 2 * d) - f(x - 2 * d)) / (4 * d),
}


def _quotient_slip(context: Context, key_name: str, slips: dict[str, Callable]) -> str | None:
    for text, slip in slips.items():

        def variant(case: dict[str, Any], slip: Callable = slip) -> Any:
            f, x = curve(case["curve"]), np.asarray(case["x"], dtype=np.float64)
            return slip(f, x, case["delta"])

        with np.errstate(all="ignore"):
            if _replays(context, key_name, variant):
                return text
    return None


@mistake(
    "difference_quotient_slip",
    "one part of the difference quotient is wrong",
    "Forward difference: (f(x + delta) - f(x)) / delta; central difference: (f(x + delta) - "
    "f(x - delta)) / (2 * delta), with the delta given to the constructor. Fix the one part "
    "the details name.",
    checks=(*DIFFERENCES, "tangent_line"),
    priority=GENERAL,
)
def _difference_slip(context: Context, failure: Failure) -> str | None:
    if context.check == "tangent_line":
        if failure.quantity.name != "slope":
            return None
        found = _quotient_slip(context, "slope", _CENTRAL_SLIPS)
        return None if found is None else f"your slope matches the central difference where {found}"
    slips = _FORWARD_SLIPS if context.check == "forward_difference" else _CENTRAL_SLIPS
    found = _quotient_slip(context, "derivative", slips)
    return None if found is None else f"your derivatives match the formula where {found}"


@mistake(
    "tangent_formula_slip",
    "one part of the tangent's intercept or line is wrong",
    "fit: self.slope from the central difference at x, then self.intercept = f(x) - self.slope "
    "* x (the line passes through (x, f(x))); forward: self.output = self.slope * inputs + "
    "self.intercept. Fix the one part the details name.",
    checks=("tangent_line",),
    priority=GENERAL,
)
def _tangent_slip(context: Context, failure: Failure) -> str | None:
    name = failure.quantity.name
    if name == "intercept":
        slips = {
            "slope * x is added, not subtracted": lambda f, x, s: f(x) + s * x,
            "slope * x is missing (the intercept is f(x))": lambda f, x, s: f(x),
            "the slope is missing (f(x) - x)": lambda f, x, s: f(x) - x,
            "x is missing (f(x) - slope)": lambda f, x, s: f(x) - s,
        }
        for text, slip in slips.items():

            def intercept(case: dict[str, Any], slip: Callable = slip) -> float:
                f = curve(case["curve"])
                return float(slip(f, case["x"], _slope(case)))

            if _tangent_intercept(context, intercept):
                return f"your intercept matches the formula where {text}"
        return None
    if name != "output":
        return None
    slips = {
        "the intercept is subtracted, not added": lambda s, b, inputs: s * inputs - b,
        "the intercept is missing": lambda s, b, inputs: s * inputs,
        "the slope is missing (inputs + intercept)": lambda s, b, inputs: inputs + b,
        # One number, not one per input: the inputs never enter the expression.
        "the inputs are missing (slope + intercept, one number)": lambda s, b, inputs: s + b,
        "slope * inputs is missing (the intercept alone, one number)": lambda s, b, inputs: b,
    }
    for text, slip in slips.items():

        def line(case: dict[str, Any], slip: Callable = slip) -> np.ndarray:
            f = curve(case["curve"])
            slope = _slope(case)
            return slip(slope, float(f(case["x"])) - slope * case["x"], case["inputs"])

        if _replays(context, "output", line):
            return f"your output matches the line where {text}"
    return None


@mistake(
    "power_rule_term_slip",
    "one part of each power-rule term is wrong",
    "derivative(x) sums k * c[k] * x**(k - 1) over k = 1, 2, ... (c[k] = "
    "self.coefficients[k]), into a total that starts at 0 and grows with +=. Fix the one part "
    "the details name.",
    checks=POWER,
    priority=GENERAL,
)
def _power_term_slip(context: Context, failure: Failure) -> str | None:
    slips = {
        "the coefficient c[k] is missing (k * x**(k - 1))": lambda k, c, x: (
            k * x ** (k - 1) if k else 0.0
        ),
        "the power of x is missing (k * c[k])": lambda k, c, x: k * c + 0 * x if k else 0.0,
        "each term is subtracted from the total": lambda k, c, x: -_rule(k, c, x),
        "x**(k - 1) is written x (the exponent is missing)": lambda k, c, x: (
            k * c * x if k else 0.0
        ),
        "the power is raised (x**(k + 1))": lambda k, c, x: k * c * x ** (k + 1) if k else 0.0,
        "k and c[k] are both missing (x**(k - 1))": lambda k, c, x: x ** (k - 1) if k else 0.0,
    }
    for text, term in slips.items():
        with np.errstate(all="ignore"):
            if _power_variant(context, term):
                return f"your derivative matches the sum where {text}"

    def overwritten(case: dict[str, Any]) -> np.ndarray:
        c = np.asarray(case["c"], dtype=np.float64)
        x = np.asarray(case["x"], dtype=np.float64)
        last = len(c) - 1
        return _rule(last, c[last], x) + 0 * x if last else np.zeros_like(x)

    if _replays(context, "derivative", overwritten):
        return "your derivative is the last term alone: the total is replaced (=) where += belongs"

    def started_at_one(case: dict[str, Any]) -> np.ndarray:
        return 1.0 + power_sum(case["c"], case["x"], _rule)

    if _replays(context, "derivative", started_at_one):
        return "your total starts at 1 (np.ones_like) where it starts at 0"
    return None
