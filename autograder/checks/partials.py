"""Checks for chapter 8: partial derivatives, the gradient and the chain rule.

The learner's classes (the reference twins are in ``nnfs_core.calculus``):

* ``sum_partials``, ``product_partials``, ``max_partials``: ``Sum()``, ``Product()``,
  ``Max()``, whose ``partials(x, y)`` returns the pair ``(df/dx, df/dy)`` at every point
  ``(x[i], y[i])``: two arrays shaped like ``x``;
* ``relu_derivative``: ``ReLUFunction().derivative(x)``, ``1(x > 0)`` element-wise;
* ``numerical_gradient``: ``NumericalGradient(delta).gradient(f, point)``, the central
  difference of ``f`` along each coordinate of the 1-D ``point`` in turn;
* ``chain_rule``: ``Chain(outer, inner).derivative(x)``, ``outer'(inner(x)) * inner'(x)``.

The convention at the corners, stated in the notebook and graded here: ``ReLU'(0) = 0``, and
the derivative of ``max(x, y)`` with respect to an argument is 1 only where that argument is
strictly the larger, so at a tie both partials are 0. The inputs contain exact zeros (ReLU)
and exact ties (max) so that the convention is tested.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

from nnfs_core.calculus import (
    Chain,
    Max,
    NumericalGradient,
    Polynomial,
    Product,
    ReLUFunction,
    Sum,
)

from .base import Unrepresentable
from .capture import Recorder
from .judging import StagedCheck
from .shared import GENERAL, Context, Failure, Quantity, mistake, register

# ---------------------------------------------------------------------------------------------
# Partial derivatives of sum, product and max
# ---------------------------------------------------------------------------------------------


def _pair_parts(result: Any, shape: tuple[int, ...]) -> tuple[Any, Any]:
    """The two arrays of what ``partials`` returned, or descriptions when it is not a pair."""
    if isinstance(result, tuple | list) and len(result) == 2:
        return result[0], result[1]
    if isinstance(result, np.ndarray) and result.shape == (2, *shape):
        return result[0], result[1]
    if result is None:
        return None, None
    if isinstance(result, tuple | list):
        what = f"a {type(result).__name__} of {len(result)} items"
    elif isinstance(result, np.ndarray):
        what = f"one array of shape {result.shape}"
    else:
        what = f"a {type(result).__name__}"
    text = f"not available: partials returned {what} instead of the pair (df/dx, df/dy)"
    return Unrepresentable(text), Unrepresentable(text)


class _PartialsCheck(StagedCheck):
    """``Learner().partials(x, y)`` on a 1-D and a 2-D case; compares both arrays."""

    stages = ("construct", "partials")
    cases = ("main", "grid")
    reference: type = Sum
    formula = ""

    def draw(self, rng: np.random.RandomState, shape: tuple[int, ...]) -> dict[str, Any]:
        x = rng.uniform(-3.0, 3.0, size=shape).round(2)
        y = rng.uniform(-3.0, 3.0, size=shape).round(2)
        return {"x": x, "y": y}

    def build(self, seed: int) -> dict[str, Any]:
        rng = np.random.RandomState(seed)
        return {"main": self.draw(rng, (7,)), "grid": self.draw(rng, (2, 3))}

    def exercise(self, recorder: Recorder, learner: Any, spec: dict[str, Any]) -> None:
        for name in self.cases:
            case = spec[name]
            obj = recorder.construct(f"{name}.construct", learner)
            if obj is None:
                continue
            x, y = case["x"].copy(), case["y"].copy()
            ok, result = recorder.invoke(f"{name}.partials", obj, "partials", x, y)
            if ok:
                dx, dy = _pair_parts(result, case["x"].shape)
                for key, value in (("dx", dx), ("dy", dy)):
                    if isinstance(value, Unrepresentable):
                        recorder.values[f"{name}.{key}"] = value
                    else:
                        recorder.keep(f"{name}.{key}", value)
            recorder.keep(f"{name}.x_after", x)
            recorder.keep(f"{name}.y_after", y)

    def expect(self, spec: dict[str, Any]) -> dict[str, Any]:
        expected: dict[str, Any] = {}
        for name in self.cases:
            case = spec[name]
            dx, dy = self.reference().partials(case["x"], case["y"])
            expected |= {f"{name}.dx": dx, f"{name}.dy": dy}
            expected |= {f"{name}.x_after": case["x"], f"{name}.y_after": case["y"]}
        return expected

    def quantities(self, spec: dict[str, Any]) -> list[Quantity]:
        found = []
        for name in self.cases:
            shape = spec[name]["x"].shape
            after = f"partials(x, y) with x and y of shape {shape}; expected {self.formula}"
            found += [
                Quantity(
                    f"{name}.dx",
                    "df/dx (the first array returned)",
                    "dx",
                    f"{name}.partials",
                    after,
                ),
                Quantity(
                    f"{name}.dy",
                    "df/dy (the second array returned)",
                    "dy",
                    f"{name}.partials",
                    after,
                ),
            ]
        for which in ("x", "y"):
            found.append(
                Quantity(
                    f"main.{which}_after",
                    f"the {which} array passed to partials",
                    "inputs_after",
                    "main.partials",
                    "during partials(x, y)",
                    mutation=True,
                )
            )
        return found


@register
class SumPartialsCheck(_PartialsCheck):
    name = "sum_partials"
    title = "Sum.partials"
    reference = Sum
    formula = "1 and 1 at every point"


@register
class ProductPartialsCheck(_PartialsCheck):
    name = "product_partials"
    title = "Product.partials"
    reference = Product
    formula = "(y, x)"

    def draw(self, rng: np.random.RandomState, shape: tuple[int, ...]) -> dict[str, Any]:
        case = super().draw(rng, shape)
        case["x"].flat[0] = 0.0  # a zero factor: its partial is the other input, not 0
        return case


@register
class MaxPartialsCheck(_PartialsCheck):
    name = "max_partials"
    title = "Max.partials"
    reference = Max
    formula = "(1 where x > y else 0, 1 where y > x else 0), both 0 at a tie"

    def draw(self, rng: np.random.RandomState, shape: tuple[int, ...]) -> dict[str, Any]:
        case = super().draw(rng, shape)
        ties = rng.permutation(case["x"].size)[:2]
        case["y"].flat[ties] = case["x"].flat[ties]
        return case


def _partials_variant(context: Context, variant: Callable[[np.ndarray, np.ndarray], tuple]) -> bool:
    """Whether every case's (dx, dy) is ``variant(x, y)`` and some of them failed."""
    keys = [k for k in context.expected if k.endswith((".dx", ".dy"))]
    if not any(context.failed(k) for k in keys):
        return False
    for key in keys:
        name, _, part = key.partition(".")
        case = context.spec[name]
        dx, dy = variant(case["x"], case["y"])
        if not context.matches(key, dx if part == "dx" else dy):
            return False
    return True


@mistake(
    "sum_partials_one_number",
    "one number instead of one value per point",
    "The partial derivatives of x + y are 1 and 1 at every point, and partials returns them "
    "for every point at once: np.ones_like(x) and np.ones_like(y).",
    checks=("sum_partials",),
)
def _sum_one_number(context: Context, failure: Failure) -> str | None:
    received = context.array(failure.quantity.key)
    if failure.kind == "shape" and received is not None and received.size == 1 and received == 1:
        shape = tuple(np.shape(context.expected[failure.quantity.key]))
        return f"{failure.quantity.label} is the number 1; expected an array of shape {shape}"
    return None


@mistake(
    "sum_partials_zero",
    "a partial derivative of x + y given as 0",
    "Each input appears in x + y with factor 1, so both partials are 1 at every point: "
    "np.ones_like(x) and np.ones_like(y). np.zeros_like gives the slope of an input the sum "
    "does not depend on.",
    checks=("sum_partials",),
)
def _sum_zero(context: Context, failure: Failure) -> str | None:
    received = context.array(failure.quantity.key)
    if failure.kind != "values" or received is None or np.any(received != 0.0):
        return None
    return f"{failure.quantity.label} is 0 at every point"


@mistake(
    "sum_partials_inputs",
    "the inputs returned instead of their derivatives",
    "Each input appears in x + y with factor 1: nudge x by a small step and the sum moves by "
    "that same step. So df/dx = 1 and df/dy = 1, whatever x and y are.",
    checks=("sum_partials",),
)
def _sum_inputs(context: Context, failure: Failure) -> str | None:
    return "" if _partials_variant(context, lambda x, y: (x, y)) else None


@mistake(
    "product_partials_swapped",
    "the product's partial derivatives swapped",
    "In x * y, the factor multiplying x is y: df/dx = y, and df/dy = x. Each partial "
    "derivative is the *other* input.",
    checks=("product_partials",),
)
def _product_swapped(context: Context, failure: Failure) -> str | None:
    return "" if _partials_variant(context, lambda x, y: (x, y)) else None


def _max_ties(x: np.ndarray, y: np.ndarray) -> np.ndarray:
    return x == y


@mistake(
    "max_partials_swapped",
    "the max's derivative given to the wrong argument",
    "max(x, y) follows whichever input is larger, so df/dx is 1 where x > y (and 0 elsewhere), "
    "df/dy is 1 where y > x.",
    checks=("max_partials",),
)
def _max_swapped(context: Context, failure: Failure) -> str | None:
    def swapped(x: np.ndarray, y: np.ndarray) -> tuple:
        return (y > x).astype(float), (x > y).astype(float)

    return "" if _partials_variant(context, swapped) else None


@mistake(
    "max_partials_not_zero_or_one",
    "values instead of 0 or 1",
    "A partial derivative of max(x, y) is a slope: 1 where that input is the larger one "
    "(the max moves with it) and 0 where it is not. Use (x > y) * 1.0 and (y > x) * 1.0.",
    checks=("max_partials",),
)
def _max_values(context: Context, failure: Failure) -> str | None:
    received = context.array(failure.quantity.key)
    if failure.kind != "values" or received is None:
        return None
    odd = ~np.isin(received, (0.0, 1.0))
    if odd.any():
        return f"{failure.quantity.label} holds {float(received[odd].flat[0]):g}"
    return None


@mistake(
    "max_partials_condition_missing",
    "a partial of max(x, y) given as 1 everywhere",
    "max(x, y) follows only the larger input, so each partial is 1 only where its input is "
    "the larger: df/dx = (x > y) * 1.0 and df/dy = (y > x) * 1.0 (0 elsewhere, and at a "
    "tie). A plain 1.0 leaves out the comparison.",
    checks=("max_partials",),
)
def _max_always_one(context: Context, failure: Failure) -> str | None:
    received = context.array(failure.quantity.key)
    if failure.kind not in ("shape", "values") or received is None or received.size == 0:
        return None
    if not np.all(received == 1.0) or failure.quantity.key.rpartition(".")[2] not in ("dx", "dy"):
        return None
    what = "the number 1" if received.size == 1 else "1 at every point"
    return f"{failure.quantity.label} is {what}, whichever input is larger"


@mistake(
    "max_partials_ties",
    "a tie given derivative 1",
    "The convention graded here: an argument gets derivative 1 only where it is strictly the "
    "larger (x > y for df/dx, y > x for df/dy), so where x == y both partials are 0, as ReLU's "
    "derivative is 0 at exactly 0. Compare with >, not >=.",
    checks=("max_partials",),
)
def _max_ties_detector(context: Context, failure: Failure) -> str | None:
    keys = [k for k in context.expected if k.endswith((".dx", ".dy"))]
    wrong_at_ties = False
    for key in keys:
        received = context.array(key)
        expected = np.asarray(context.expected[key], dtype=np.float64)
        if received is None or received.shape != expected.shape:
            return None
        case = context.spec[key.partition(".")[0]]
        ties = _max_ties(case["x"], case["y"])
        if not np.allclose(received[~ties], expected[~ties]):
            return None
        wrong_at_ties |= not np.allclose(received[ties], expected[ties])
    return "your partials are right everywhere except at the ties x == y" if wrong_at_ties else None


# ---------------------------------------------------------------------------------------------
# ReLU's derivative
# ---------------------------------------------------------------------------------------------


@register
class ReLUDerivativeCheck(StagedCheck):
    name = "relu_derivative"
    title = "ReLUFunction.derivative"
    stages = ("construct", "derivative")
    cases = ("main", "grid")

    def build(self, seed: int) -> dict[str, Any]:
        rng = np.random.RandomState(seed)
        main = np.concatenate([[0.0, -0.0], rng.uniform(-3.0, 3.0, size=6).round(2)])
        grid = rng.uniform(-2.0, 2.0, size=(3, 4)).round(2)
        grid.flat[rng.permutation(grid.size)[:2]] = 0.0
        return {"main": {"x": main}, "grid": {"x": grid}}

    def exercise(self, recorder: Recorder, learner: Any, spec: dict[str, Any]) -> None:
        for name in self.cases:
            obj = recorder.construct(f"{name}.construct", learner)
            if obj is None:
                continue
            x = spec[name]["x"].copy()
            _, value = recorder.invoke(f"{name}.derivative", obj, "derivative", x)
            recorder.keep(f"{name}.derivative", value)
            recorder.keep(f"{name}.x_after", x)

    def expect(self, spec: dict[str, Any]) -> dict[str, Any]:
        expected: dict[str, Any] = {}
        for name in self.cases:
            x = spec[name]["x"]
            expected |= {f"{name}.derivative": ReLUFunction().derivative(x), f"{name}.x_after": x}
        return expected

    def quantities(self, spec: dict[str, Any]) -> list[Quantity]:
        found = [
            Quantity(
                f"{name}.derivative",
                "what derivative(x) returned",
                "derivative",
                f"{name}.derivative",
                f"derivative(x) with x of shape {spec[name]['x'].shape}; expected 1 where x > 0, "
                f"else 0",
            )
            for name in self.cases
        ]
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


def _relu_variant(context: Context, variant: Callable[[np.ndarray], np.ndarray]) -> bool:
    keys = [k for k in context.expected if k.endswith(".derivative")]
    if not any(context.failed(k) for k in keys):
        return False
    return all(context.matches(k, variant(context.spec[k.partition(".")[0]]["x"])) for k in keys)


RELU = ("relu_derivative",)


@mistake(
    "relu_derivative_one_at_zero",
    "ReLU's derivative 1 at exactly 0",
    "ReLU has a corner at 0, where the derivative does not exist; the convention graded here "
    "(the book's, used by ReLU's backward pass in chapter 9) takes 0 there: 1 where x > 0, "
    "0 where x <= 0. Compare with >, not >=.",
    checks=RELU,
)
def _relu_one_at_zero(context: Context, failure: Failure) -> str | None:
    return "" if _relu_variant(context, lambda x: (x >= 0).astype(float)) else None


@mistake(
    "relu_derivative_is_relu",
    "ReLU itself instead of its derivative",
    "np.maximum(x, 0) is the function. Its derivative is the slope of each of its two pieces: "
    "1 where x > 0 (the piece y = x) and 0 elsewhere (the flat piece y = 0).",
    checks=RELU,
)
def _relu_is_relu(context: Context, failure: Failure) -> str | None:
    return "" if _relu_variant(context, lambda x: np.maximum(x, 0.0)) else None


@mistake(
    "relu_derivative_always_one",
    "ReLU's derivative given as 1 everywhere",
    "Only the piece y = x has slope 1; for x <= 0 ReLU is the flat line y = 0, with slope 0. "
    "Keep the comparison: (x > 0) * 1.0, one value per input.",
    checks=RELU,
)
def _relu_always_one(context: Context, failure: Failure) -> str | None:
    received = context.array(failure.quantity.key)
    if failure.kind not in ("shape", "values") or received is None or received.size == 0:
        return None
    if not failure.quantity.key.endswith(".derivative") or not np.all(received == 1.0):
        return None
    what = "the number 1" if received.size == 1 else "1 at every input"
    return f"{failure.quantity.label} is {what}, negative inputs included"


@mistake(
    "relu_derivative_sign",
    "np.sign(x), which is -1 for negative inputs",
    "For x < 0, ReLU is the flat line y = 0, whose slope is 0, not -1: use (x > 0) * 1.0.",
    checks=RELU,
)
def _relu_sign(context: Context, failure: Failure) -> str | None:
    return "" if _relu_variant(context, np.sign) else None


# ---------------------------------------------------------------------------------------------
# The numerical gradient
# ---------------------------------------------------------------------------------------------


def surface(params: dict[str, Any]) -> Callable[[Any], float]:
    """``sum(a * p**3) + 0.5 * (w @ p)**2 + c @ p``: one number for a 1-D point ``p``."""
    a, w, c = (np.asarray(params[k], dtype=np.float64) for k in ("a", "w", "c"))

    def f(point: Any) -> float:
        p = np.asarray(point, dtype=np.float64)
        return float(np.sum(a * p**3) + 0.5 * np.dot(w, p) ** 2 + np.dot(c, p))

    return f


@register
class NumericalGradientCheck(StagedCheck):
    name = "numerical_gradient"
    title = "NumericalGradient.gradient"
    stages = ("construct", "gradient")
    cases = ("main", "coarse")

    def build(self, seed: int) -> dict[str, Any]:
        rng = np.random.RandomState(seed)
        spec = {}
        for name, size, steps in (
            ("main", 3 + rng.randint(3), [0.002, 0.003, 0.005]),
            ("coarse", 2, [0.05, 0.1, 0.2]),
        ):
            spec[name] = {
                "surface": {
                    "a": (rng.choice([-1.0, 1.0], size) * rng.uniform(0.5, 2.0, size)).round(2),
                    "w": rng.uniform(-1.5, 1.5, size).round(2),
                    "c": rng.uniform(-1.0, 1.0, size).round(2),
                },
                "point": rng.uniform(-1.5, 1.5, size).round(2),
                "delta": float(rng.choice(steps)),
            }
        return spec

    def exercise(self, recorder: Recorder, learner: Any, spec: dict[str, Any]) -> None:
        for name in self.cases:
            case = spec[name]
            obj = recorder.construct(f"{name}.construct", learner, case["delta"])
            if obj is None:
                continue
            point = case["point"].copy()
            _, value = recorder.invoke(
                f"{name}.gradient", obj, "gradient", surface(case["surface"]), point
            )
            recorder.keep(f"{name}.gradient", value)
            recorder.keep(f"{name}.point_after", point)

    def expect(self, spec: dict[str, Any]) -> dict[str, Any]:
        expected: dict[str, Any] = {}
        for name in self.cases:
            case = spec[name]
            gradient = NumericalGradient(case["delta"]).gradient(
                surface(case["surface"]), case["point"]
            )
            expected |= {f"{name}.gradient": gradient, f"{name}.point_after": case["point"]}
        return expected

    def quantities(self, spec: dict[str, Any]) -> list[Quantity]:
        found = []
        for name in self.cases:
            case = spec[name]
            found.append(
                Quantity(
                    f"{name}.gradient",
                    "what gradient(f, point) returned",
                    "gradient",
                    f"{name}.gradient",
                    f"NumericalGradient({case['delta']:g}).gradient(f, point) for a point of "
                    f"{case['point'].size} coordinates",
                )
            )
        for name in self.cases:
            found.append(
                Quantity(
                    f"{name}.point_after",
                    "the point passed to gradient",
                    "point_after",
                    f"{name}.gradient",
                    "during gradient(f, point)",
                    mutation=True,
                )
            )
        return found


def _gradient_variant(context: Context, variant: Callable[[Callable, np.ndarray, float], Any]):
    keys = [k for k in context.expected if k.endswith(".gradient")]
    if not any(context.failed(k) for k in keys):
        return False
    for key in keys:
        case = context.spec[key.partition(".")[0]]
        value = variant(surface(case["surface"]), case["point"], case["delta"])
        if not context.matches(key, value):
            return False
    return True


GRADIENT = ("numerical_gradient",)


@mistake(
    "gradient_point_not_restored",
    "the point left moved after gradient returned",
    "Work on copies: step = np.zeros_like(point); step[i] = self.delta; then f(point + step) "
    "and f(point - step) leave point as it was. A coordinate changed in place and not put back "
    "shifts every later partial derivative, and the caller's point too.",
    checks=GRADIENT,
)
def _point_not_restored(context: Context, failure: Failure) -> str | None:
    moved = [k for k in context.expected if k.endswith(".point_after") and context.failed(k)]
    return "" if moved else None


@mistake(
    "gradient_all_coordinates_moved",
    "every coordinate moved at once",
    "A partial derivative moves one coordinate and keeps the others fixed: for entry i, add "
    "self.delta to point[i] only (a step array that is zero except at i).",
    checks=GRADIENT,
)
def _all_moved(context: Context, failure: Failure) -> str | None:
    def together(f: Callable, point: np.ndarray, delta: float) -> np.ndarray:
        return np.full(point.shape, (f(point + delta) - f(point - delta)) / (2 * delta))

    return "" if _gradient_variant(context, together) else None


@mistake(
    "gradient_forward_difference",
    "forward differences where central ones are asked",
    "Use the points on both sides: (f(point + step) - f(point - step)) / (2 * self.delta), "
    "with step zero except for self.delta at coordinate i.",
    checks=GRADIENT,
)
def _gradient_forward(context: Context, failure: Failure) -> str | None:
    def forward(f: Callable, point: np.ndarray, delta: float) -> np.ndarray:
        steps = np.eye(point.size) * delta
        return np.array([(f(point + s) - f(point)) / delta for s in steps])

    return "" if _gradient_variant(context, forward) else None


# ---------------------------------------------------------------------------------------------
# The chain rule
# ---------------------------------------------------------------------------------------------


def _poly(rng: np.random.RandomState, n: int) -> tuple[str, list[float]]:
    c = rng.choice([-1.0, 1.0], size=n) * rng.uniform(0.5, 2.0, size=n)
    return ("poly", c.round(2).tolist())


def materialise(part: Any, make_chain: Callable[[Any, Any], Any]) -> Any:
    """A one-variable function object from its description in the spec."""
    kind = part[0]
    if kind == "poly":
        return Polynomial(part[1])
    if kind == "relu":
        return ReLUFunction()
    return make_chain(materialise(part[1], make_chain), materialise(part[2], make_chain))


@register
class ChainRuleCheck(StagedCheck):
    """``Chain(outer, inner).derivative(x)``: two polynomials, ReLU after a line (a neuron
    with one input), and a chain whose outer function is itself a ``Chain``."""

    name = "chain_rule"
    title = "Chain.derivative"
    stages = ("construct", "derivative")
    cases = ("poly", "neuron", "nested")

    def build(self, seed: int) -> dict[str, Any]:
        rng = np.random.RandomState(seed)
        weight = float(rng.choice([-1.0, 1.0]) * round(rng.uniform(0.5, 2.0), 2))
        bias = float(round(rng.uniform(-0.5, 0.5), 2))
        return {
            "poly": {
                "outer": _poly(rng, 4),
                "inner": _poly(rng, 3),
                "x": rng.uniform(-1.5, 1.5, size=6).round(2),
            },
            "neuron": {
                "outer": ("relu",),
                "inner": ("poly", [bias, weight]),
                "x": np.linspace(-2.0, 2.0, 7),
            },
            "nested": {
                "outer": ("chain", _poly(rng, 3), ("relu",)),
                "inner": _poly(rng, 3),
                "x": rng.uniform(-1.5, 1.5, size=(2, 3)).round(2),
            },
        }

    def exercise(self, recorder: Recorder, learner: Any, spec: dict[str, Any]) -> None:
        for name in self.cases:
            case = spec[name]
            failed = []

            def make(outer: Any, inner: Any, name: str = name, failed: list = failed) -> Any:
                made = recorder.construct(f"{name}.construct", learner, outer, inner)
                if made is None:
                    failed.append(True)
                return made

            outer, inner = materialise(case["outer"], make), materialise(case["inner"], make)
            chain = None if failed else make(outer, inner)
            if chain is None:
                continue
            x = case["x"].copy()
            _, value = recorder.invoke(f"{name}.derivative", chain, "derivative", x)
            recorder.keep(f"{name}.derivative", value)
            recorder.keep(f"{name}.x_after", x)

    def expect(self, spec: dict[str, Any]) -> dict[str, Any]:
        expected: dict[str, Any] = {}
        for name in self.cases:
            case = spec[name]
            chain = Chain(materialise(case["outer"], Chain), materialise(case["inner"], Chain))
            expected |= {
                f"{name}.derivative": chain.derivative(case["x"]),
                f"{name}.x_after": case["x"],
            }
        return expected

    def quantities(self, spec: dict[str, Any]) -> list[Quantity]:
        shown = {
            "poly": "Chain(Polynomial, Polynomial)",
            "neuron": "Chain(ReLUFunction(), Polynomial([b, w])), a neuron with one input",
            "nested": "Chain(Chain(Polynomial, ReLUFunction()), Polynomial)",
        }
        found = [
            Quantity(
                f"{name}.derivative",
                f"what derivative(x) returned for {shown[name]}",
                "derivative",
                f"{name}.derivative",
                "derivative(x); expected outer.derivative(inner.forward(x)) * inner.derivative(x)",
            )
            for name in self.cases
        ]
        found.append(
            Quantity(
                "poly.x_after",
                "the x array passed to derivative",
                "x_after",
                "poly.derivative",
                "during derivative(x)",
                mutation=True,
            )
        )
        return found


class _WrongChain:
    """A chain computing its derivative with one of the catalogued wrong formulas."""

    def __init__(self, outer: Any, inner: Any, kind: str) -> None:
        self.outer, self.inner, self.kind = outer, inner, kind

    def forward(self, x: Any) -> np.ndarray:
        return self.outer.forward(self.inner.forward(x))

    def derivative(self, x: Any) -> np.ndarray:
        outer, inner = self.outer, self.inner
        if self.kind == "missing_inner":
            return outer.derivative(inner.forward(x))
        if self.kind == "outer_at_x":
            return outer.derivative(x) * inner.derivative(x)
        if self.kind == "missing_outer":
            return inner.derivative(x)
        return inner.derivative(outer.forward(x)) * outer.derivative(x)  # reversed


def _chain_variant(context: Context, kind: str) -> bool:
    keys = [k for k in context.expected if k.endswith(".derivative")]
    if not any(context.failed(k) for k in keys):
        return False

    def make(outer: Any, inner: Any) -> _WrongChain:
        return _WrongChain(outer, inner, kind)

    for key in keys:
        case = context.spec[key.partition(".")[0]]
        chain = make(materialise(case["outer"], make), materialise(case["inner"], make))
        if not context.matches(key, chain.derivative(case["x"])):
            return False
    return True


CHAIN = ("chain_rule",)


@mistake(
    "chain_missing_inner_derivative",
    "the inner function's derivative left out",
    "The chain rule has two factors: the outer derivative, taken at the inner function's "
    "value, times the inner derivative: self.outer.derivative(self.inner.forward(x)) * "
    "self.inner.derivative(x).",
    checks=CHAIN,
)
def _chain_missing_inner(context: Context, failure: Failure) -> str | None:
    return "" if _chain_variant(context, "missing_inner") else None


@mistake(
    "chain_missing_outer_derivative",
    "the outer function's derivative left out",
    "The chain rule has two factors: the inner derivative alone is only how fast the inner "
    "function changes. Multiply it by the outer derivative, taken at the inner function's "
    "value: self.outer.derivative(self.inner.forward(x)) * self.inner.derivative(x).",
    checks=CHAIN,
)
def _chain_missing_outer(context: Context, failure: Failure) -> str | None:
    if _chain_variant(context, "missing_outer"):
        return "your derivative is the inner function's derivative alone"
    return None


@mistake(
    "chain_outer_at_x",
    "the outer derivative taken at x instead of at inner(x)",
    "The outer function never sees x, only what the inner function made of it: evaluate its "
    "derivative there, self.outer.derivative(self.inner.forward(x)), then multiply by "
    "self.inner.derivative(x).",
    checks=CHAIN,
)
def _chain_outer_at_x(context: Context, failure: Failure) -> str | None:
    return "" if _chain_variant(context, "outer_at_x") else None


@mistake(
    "chain_reversed",
    "the chain followed in the wrong order",
    "h(x) = outer(inner(x)): inner is applied first. Its derivative is "
    "outer'(inner(x)) * inner'(x), not inner'(outer(x)) * outer'(x), which belongs to "
    "inner(outer(x)).",
    checks=CHAIN,
)
def _chain_reversed(context: Context, failure: Failure) -> str | None:
    return "" if _chain_variant(context, "reversed") else None


# Found with autograder/mutation: a slip inside the central difference of one coordinate (a
# point, the sign between the values, the division) or in the loop over the coordinates got
# only the generic mismatch. Replayed one slip at a time on the check's own surfaces.

#: One partial derivative: description -> (f, point, step along the coordinate, delta).
_PARTIAL_SLIPS: dict[str, Callable] = {
    "the division by 2 * delta is missing": lambda f, p, s, d: f(p + s) - f(p - s),
    "the division is by delta only (the 2 is missing)": lambda f, p, s, d: (
        (f(p + s) - f(p - s)) / d
    ),
    "the division is by 2 only (delta is missing)": lambda f, p, s, d: (f(p + s) - f(p - s)) / 2,
    "f(point - step) is added, not subtracted": lambda f, p, s, d: (f(p + s) + f(p - s)) / (2 * d),
    "f(point - step) is missing": lambda f, p, s, d: f(p + s) / (2 * d),
    "f(point) is used where f(point + step) belongs": lambda f, p, s, d: (
        (f(p) - f(p - s)) / (2 * d)
    ),
    "f(point) is used where f(point - step) belongs": lambda f, p, s, d: (
        (f(p + s) - f(p)) / (2 * d)
    ),
    "f(step) is used where f(point + step) belongs": lambda f, p, s, d: (f(s) - f(p - s)) / (2 * d),
    "both points are the same (the two values cancel)": lambda f, p, s, d: 0.0 * f(p),
    "delta is doubled": lambda f, p, s, d: (f(p + 2 * s) - f(p - 2 * s)) / (4 * d),
    "the step starts from np.ones_like, not np.zeros_like (the other coordinates move by 1)": (
        lambda f, p, s, d: (
            (f(p + np.where(s != 0, s, 1.0)) - f(p - np.where(s != 0, s, 1.0))) / (2 * d)
        )
    ),
}


@mistake(
    "gradient_partial_slip",
    "one part of each partial derivative, or of the loop over them, is wrong",
    "For each coordinate i: step = np.zeros_like(point); step[i] = self.delta; gradient[i] = "
    "(f(point + step) - f(point - step)) / (2 * self.delta), for every i in "
    "range(len(point)), into gradient = np.zeros_like(point). Fix the one part the details "
    "name.",
    checks=GRADIENT,
    priority=GENERAL,
)
def _gradient_partial_slip(context: Context, failure: Failure) -> str | None:
    for text, slip in _PARTIAL_SLIPS.items():

        def each(f: Callable, point: np.ndarray, delta: float, slip: Callable = slip):
            steps = np.eye(point.size) * delta
            return np.array([slip(f, point, s, delta) for s in steps])

        with np.errstate(all="ignore"):
            if _gradient_variant(context, each):
                return f"every partial derivative matches the formula where {text}"

    def last_skipped(f: Callable, point: np.ndarray, delta: float) -> np.ndarray:
        steps = np.eye(point.size) * delta
        found = np.array([(f(point + s) - f(point - s)) / (2 * delta) for s in steps])
        found[-1] = 0.0
        return found

    if _gradient_variant(context, last_skipped):
        return "the last coordinate's partial is 0: the loop stops one coordinate early"
    return None
