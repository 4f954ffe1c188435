"""Derivatives, chapters 7 and 8: slopes, the power rule, tangents, partials, the chain rule.

Nothing here trains a network; these are the small tools the chapters use to show what a
derivative is before backpropagation (chapter 9) puts them to work.

Two protocols, both element-wise on arrays of any shape:

* a function of one variable has ``forward(x)``, returning ``f(x)`` (also kept as
  ``.output``), and ``derivative(x)``, returning ``f'(x)``, both shaped like ``x``:
  :class:`Polynomial`, :class:`ReLUFunction`, :class:`Chain`;
* a function of two variables has ``forward(x, y)`` and ``partials(x, y)``, returning the pair
  ``(df/dx, df/dy)``, each shaped like ``x`` and ``y`` broadcast together: :class:`Sum`,
  :class:`Product`, :class:`Max`.

:class:`ForwardDifference` and :class:`CentralDifference` estimate ``f'(x)`` of any Python
function from two of its values, :class:`NumericalGradient` does the same for every coordinate
of a function of a vector, and :class:`TangentLine` is the straight line touching a curve at a
point.

Conventions at the corners, where the derivative does not exist: ``ReLU'(0) = 0`` (as the
book's ReLU backward pass, which lets the gradient through only where the input was
positive), and for ``max(x, y)`` an argument gets derivative 1 only where it is *strictly*
the larger, so at a tie ``x == y`` both partial derivatives are 0 (``max(x, 0)`` is ReLU, and
the two conventions agree).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

from ._validation import as_float_array, describe

#: The book's small step for numerical derivatives (``p2_delta = 0.0001``).
DEFAULT_DELTA = 1e-4


def _step(delta: Any, where: str) -> float:
    """``delta`` as a positive finite float, or a ValueError saying why not."""
    if isinstance(delta, bool) or not isinstance(delta, int | float | np.integer | np.floating):
        raise TypeError(
            f"{where}: delta must be a number; received {describe(delta)}. "
            f"Fix: pass a small positive number such as delta=0.0001."
        )
    value = float(delta)
    if not np.isfinite(value) or value <= 0:
        raise ValueError(
            f"{where}: delta must be a positive finite number; received {value!r}. "
            f"Fix: pass a small positive step such as delta=0.0001 (the book's choice)."
        )
    return value


def _callable(f: Any, where: str, what: str = "f") -> Callable:
    if not callable(f):
        raise TypeError(
            f"{where}: {what} must be a function of x; received {describe(f)}. "
            f"Fix: pass the function itself, e.g. derivative(f, x), not derivative(f(x), x)."
        )
    return f


def _evaluate(f: Callable, x: np.ndarray, where: str) -> np.ndarray:
    """``f(x)`` as a float array, or a TypeError naming what ``f`` returned."""
    value = f(x)
    try:
        return as_float_array(value, name="f(x)", where=where)
    except TypeError:
        raise TypeError(
            f"{where}: f returned {describe(value)}; expected numbers, one per element of x. "
            f"Fix: make f compute with NumPy operations so that it works on arrays."
        ) from None


def _one_of_each(values: np.ndarray, shape: tuple[int, ...], where: str) -> np.ndarray:
    if values.shape != shape:
        raise ValueError(
            f"{where}: f returned an array of shape {values.shape} for x of shape {shape}; "
            f"expected one value per element of x (shape {shape}). Fix: make f element-wise "
            f"(np.sum or np.mean inside f mixes the points together)."
        )
    return values


# ---------------------------------------------------------------------------------------------
# Chapter 7: numerical derivatives, the power rule, tangent lines
# ---------------------------------------------------------------------------------------------


class ForwardDifference:
    """The slope between ``x`` and ``x + delta``: ``(f(x + delta) - f(x)) / delta``.

    Its error has two parts: a bias of about ``f''(x) * delta / 2`` (the curve bends between
    the two points), and rounding, about ``1e-16 * |f(x)| / delta`` (two nearly equal values
    subtracted, then divided by a tiny number). The sum is smallest near ``delta = 1e-8``.
    """

    def __init__(self, delta: float = DEFAULT_DELTA) -> None:
        self.delta = _step(delta, f"{type(self).__name__}(delta)")

    def __repr__(self) -> str:
        return f"{type(self).__name__}(delta={self.delta!r})"

    def derivative(self, f: Callable, x: Any) -> np.ndarray:
        """The estimate of ``f'(x)`` at every element of ``x`` (any shape; same shape out)."""
        where = f"{self!r}.derivative"
        f = _callable(f, where)
        x = as_float_array(x, name="x", where=where)
        up = _one_of_each(_evaluate(f, x + self.delta, where), x.shape, where)
        here = _one_of_each(_evaluate(f, x, where), x.shape, where)
        return (up - here) / self.delta


class CentralDifference(ForwardDifference):
    """The slope between ``x - delta`` and ``x + delta``: ``(f(x+d) - f(x-d)) / (2 d)``.

    Symmetric about ``x``, so the ``f''`` bias of the forward difference cancels: what is left
    is about ``f'''(x) * delta**2 / 6`` (exact for any quadratic), and the best ``delta`` is
    near ``1e-5``.
    """

    def derivative(self, f: Callable, x: Any) -> np.ndarray:
        where = f"{self!r}.derivative"
        f = _callable(f, where)
        x = as_float_array(x, name="x", where=where)
        up = _one_of_each(_evaluate(f, x + self.delta, where), x.shape, where)
        down = _one_of_each(_evaluate(f, x - self.delta, where), x.shape, where)
        return (up - down) / (2 * self.delta)


class Polynomial:
    """``c[0] + c[1] x + c[2] x**2 + ...``: coefficients lowest power first, shape ``(n,)``.

    ``derivative`` applies the power rule term by term: ``d/dx c x**k = k c x**(k - 1)``, and a
    constant's derivative is 0.
    """

    def __init__(self, coefficients: Any) -> None:
        where = f"{type(self).__name__}(coefficients)"
        c = as_float_array(coefficients, name="coefficients", where=where)
        if c.ndim != 1 or c.size == 0:
            raise ValueError(
                f"{where}: expected a 1-D list of at least one coefficient, lowest power "
                f"first; received {describe(c)}. Fix: 3 + 2x - x**2 is Polynomial([3, 2, -1])."
            )
        self.coefficients = c.copy()

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.coefficients.tolist()!r})"

    def forward(self, x: Any) -> np.ndarray:
        """``f(x)`` at every element of ``x`` (any shape; same shape out)."""
        x = as_float_array(x, name="x", where=f"{self!r}.forward")
        total = np.zeros_like(x)
        for power, c in enumerate(self.coefficients):
            total = total + c * x**power
        self.output = total
        return total

    def derivative(self, x: Any) -> np.ndarray:
        """``f'(x)`` at every element of ``x``, by the power rule."""
        x = as_float_array(x, name="x", where=f"{self!r}.derivative")
        total = np.zeros_like(x)
        for power, c in enumerate(self.coefficients[1:], start=1):
            total = total + power * c * x ** (power - 1)
        return total

    def derivative_polynomial(self) -> Polynomial:
        """The derivative as a polynomial of its own (``[0.]`` for a constant)."""
        c = self.coefficients
        if c.size == 1:
            return Polynomial([0.0])
        return Polynomial(c[1:] * np.arange(1, c.size))


class TangentLine:
    """The line ``y = slope * x + intercept`` touching a curve at one point.

    ``fit(f, x)`` takes the slope from a central difference at ``x`` and the intercept that
    puts ``(x, f(x))`` on the line; ``forward(inputs)`` evaluates the line.
    """

    def __init__(self, delta: float = DEFAULT_DELTA) -> None:
        self.delta = _step(delta, f"{type(self).__name__}(delta)")

    def __repr__(self) -> str:
        return f"{type(self).__name__}(delta={self.delta!r})"

    def fit(self, f: Callable, x: float) -> TangentLine:
        """Set ``slope`` and ``intercept`` for the tangent of ``f`` at the number ``x``."""
        where = f"{self!r}.fit"
        point = as_float_array(x, name="x", where=where)
        if point.size != 1:
            raise ValueError(
                f"{where}: a tangent touches the curve at one point; received x as "
                f"{describe(point)}. Fix: fit one TangentLine per point, e.g. in a loop."
            )
        x = float(point.reshape(()))
        self.slope = float(CentralDifference(self.delta).derivative(f, np.array(x)))
        self.intercept = float(_evaluate(_callable(f, where), np.array(x), where)) - self.slope * x
        return self

    def forward(self, inputs: Any) -> np.ndarray:
        """The line's value at every element of ``inputs`` (same shape out)."""
        where = f"{self!r}.forward"
        if not hasattr(self, "slope"):
            raise RuntimeError(f"{where}: call fit(f, x) first; the line has no slope yet.")
        inputs = as_float_array(inputs, name="inputs", where=where)
        self.output = self.slope * inputs + self.intercept
        return self.output


# ---------------------------------------------------------------------------------------------
# Chapter 8: partial derivatives, the gradient, the chain rule
# ---------------------------------------------------------------------------------------------


def _pair(x: Any, y: Any, where: str) -> tuple[np.ndarray, np.ndarray]:
    x = as_float_array(x, name="x", where=where)
    y = as_float_array(y, name="y", where=where)
    try:
        x, y = np.broadcast_arrays(x, y)
    except ValueError:
        raise ValueError(
            f"{where}: x of shape {x.shape} and y of shape {y.shape} do not broadcast "
            f"together. Fix: pass arrays of the same shape (or one of them a number)."
        ) from None
    return x, y


class _TwoVariables:
    def __repr__(self) -> str:
        return f"{type(self).__name__}()"

    def _inputs(self, x: Any, y: Any, method: str) -> tuple[np.ndarray, np.ndarray]:
        return _pair(x, y, f"{self!r}.{method}")


class Sum(_TwoVariables):
    """``f(x, y) = x + y``: both partial derivatives are 1 everywhere."""

    def forward(self, x: Any, y: Any) -> np.ndarray:
        x, y = self._inputs(x, y, "forward")
        self.output = x + y
        return self.output

    def partials(self, x: Any, y: Any) -> tuple[np.ndarray, np.ndarray]:
        x, y = self._inputs(x, y, "partials")
        return np.ones_like(x), np.ones_like(y)


class Product(_TwoVariables):
    """``f(x, y) = x * y``: ``df/dx = y`` and ``df/dy = x`` (each is the *other* input)."""

    def forward(self, x: Any, y: Any) -> np.ndarray:
        x, y = self._inputs(x, y, "forward")
        self.output = x * y
        return self.output

    def partials(self, x: Any, y: Any) -> tuple[np.ndarray, np.ndarray]:
        x, y = self._inputs(x, y, "partials")
        return y.copy(), x.copy()


class Max(_TwoVariables):
    """``f(x, y) = max(x, y)``: ``df/dx = 1(x > y)``, ``df/dy = 1(y > x)``; 0 and 0 at a tie."""

    def forward(self, x: Any, y: Any) -> np.ndarray:
        x, y = self._inputs(x, y, "forward")
        self.output = np.maximum(x, y)
        return self.output

    def partials(self, x: Any, y: Any) -> tuple[np.ndarray, np.ndarray]:
        x, y = self._inputs(x, y, "partials")
        return (x > y).astype(np.float64), (y > x).astype(np.float64)


class ReLUFunction:
    """``ReLU(x) = max(x, 0)`` as a function of one variable: ``ReLU'(x) = 1(x > 0)``.

    (The layer for networks is :class:`nnfs_core.ReLU`; this is the same formula with the
    one-variable protocol, so that it can be chained.)
    """

    def __repr__(self) -> str:
        return f"{type(self).__name__}()"

    def forward(self, x: Any) -> np.ndarray:
        x = as_float_array(x, name="x", where=f"{self!r}.forward")
        self.output = np.maximum(x, 0.0)
        return self.output

    def derivative(self, x: Any) -> np.ndarray:
        x = as_float_array(x, name="x", where=f"{self!r}.derivative")
        return (x > 0).astype(np.float64)


class NumericalGradient:
    """The gradient of ``f(point) -> number`` by central differences, one coordinate at a time.

    Entry ``i`` moves only coordinate ``i`` by ``± delta``, keeping the others fixed: that is
    what a *partial* derivative means. The point passed in is never changed.
    """

    def __init__(self, delta: float = DEFAULT_DELTA) -> None:
        self.delta = _step(delta, f"{type(self).__name__}(delta)")

    def __repr__(self) -> str:
        return f"{type(self).__name__}(delta={self.delta!r})"

    def gradient(self, f: Callable, point: Any) -> np.ndarray:
        """An array shaped like ``point`` whose entry ``i`` is ``df/dpoint[i]``."""
        where = f"{self!r}.gradient"
        f = _callable(f, where)
        point = as_float_array(point, name="point", where=where)
        gradient = np.zeros(point.shape)
        for flat in range(point.size):
            step = np.zeros(point.shape)
            step.flat[flat] = self.delta
            up, down = (_evaluate(f, point + s, where) for s in (step, -step))
            if up.size != 1 or down.size != 1:
                raise ValueError(
                    f"{where}: f returned {describe(up)}; a gradient needs f to return one "
                    f"number for the whole point. Fix: end f with a sum (or the loss)."
                )
            gradient.flat[flat] = (float(up.reshape(())) - float(down.reshape(()))) / (
                2 * self.delta
            )
        return gradient


def _one_variable(part: Any, where: str, what: str) -> Any:
    for method in ("forward", "derivative"):
        if not callable(getattr(part, method, None)):
            raise TypeError(
                f"{where}: {what} must have forward(x) and derivative(x) methods; received "
                f"{describe(part)}, which has no {method}. Fix: pass e.g. Polynomial([0, 2]) "
                f"or ReLUFunction(), or another Chain."
            )
    return part


class Chain:
    """``h(x) = outer(inner(x))``, with ``h'(x) = outer'(inner(x)) * inner'(x)``.

    ``outer`` and ``inner`` follow the one-variable protocol (a :class:`Chain` does too, so
    chains nest: ``Chain(Chain(f, g), k)`` is ``f(g(k(x)))``).
    """

    def __init__(self, outer: Any, inner: Any) -> None:
        self.outer = _one_variable(outer, "Chain(outer, inner)", "outer")
        self.inner = _one_variable(inner, "Chain(outer, inner)", "inner")

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.outer!r}, {self.inner!r})"

    def forward(self, x: Any) -> np.ndarray:
        x = as_float_array(x, name="x", where=f"{self!r}.forward")
        self.output = np.asarray(self.outer.forward(self.inner.forward(x)), dtype=np.float64)
        return self.output

    def derivative(self, x: Any) -> np.ndarray:
        x = as_float_array(x, name="x", where=f"{self!r}.derivative")
        inside = self.inner.forward(x)
        return np.asarray(self.outer.derivative(inside) * self.inner.derivative(x), np.float64)


__all__ = [
    "DEFAULT_DELTA",
    "CentralDifference",
    "Chain",
    "ForwardDifference",
    "Max",
    "NumericalGradient",
    "Polynomial",
    "Product",
    "ReLUFunction",
    "Sum",
    "TangentLine",
]
