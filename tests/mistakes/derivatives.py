"""Learner-side code for the checks of chapter 7 (``autograder/checks/derivatives.py``).

Correct classes written the ways learners write them: the book's rise-over-run with two named
points (``(y2 - y1) / (x2 - x1)``), a compact NumPy version, a polynomial derivative by loop and
by ``np.arange``. Then one wrong class per catalogued mistake, each carrying ``mistake`` (the
catalogue id the judge must name) and ``check`` (the check that must fail).
"""

from __future__ import annotations

import inspect
import sys

import numpy as np

# =============================================================================================
# Correct
# =============================================================================================


class ForwardDifference:
    def __init__(self, delta=0.0001):
        self.delta = delta

    def derivative(self, f, x):
        return (f(x + self.delta) - f(x)) / self.delta


class ForwardDifference_Book:
    """The book's two points and rise over run, with the run computed from the points."""

    def __init__(self, delta=0.0001):
        self.delta = delta

    def derivative(self, f, x):
        x1, x2 = x, x + self.delta
        y1, y2 = f(x1), f(x2)
        return (y2 - y1) / (x2 - x1)


class CentralDifference:
    def __init__(self, delta=0.0001):
        self.delta = delta

    def derivative(self, f, x):
        return (f(x + self.delta) - f(x - self.delta)) / (2 * self.delta)


class CentralDifference_Average:
    """The mean of the forward and the backward slope: the same number, up to rounding."""

    def __init__(self, delta=0.0001):
        self.delta = delta

    def derivative(self, f, x):
        right = (f(x + self.delta) - f(x)) / self.delta
        left = (f(x) - f(x - self.delta)) / self.delta
        return (right + left) / 2


class Polynomial:
    def __init__(self, coefficients):
        self.coefficients = np.asarray(coefficients, dtype=float)

    def forward(self, x):
        return sum(c * x**k for k, c in enumerate(self.coefficients))

    def derivative(self, x):
        total = np.zeros_like(x, dtype=float)
        for k in range(1, len(self.coefficients)):
            total += k * self.coefficients[k] * x ** (k - 1)
        return total


class Polynomial_Vectorised(Polynomial):
    def derivative(self, x):
        powers = np.arange(1, len(self.coefficients))
        terms = powers * self.coefficients[1:] * np.expand_dims(x, -1) ** (powers - 1)
        return terms.sum(axis=-1)


class TangentLine:
    def __init__(self, delta=0.0001):
        self.delta = delta

    def fit(self, f, x):
        self.slope = (f(x + self.delta) - f(x - self.delta)) / (2 * self.delta)
        self.intercept = f(x) - self.slope * x

    def forward(self, inputs):
        self.output = self.slope * inputs + self.intercept


class TangentLine_Floats(TangentLine):
    """Plain floats, and the line returned as well as stored."""

    def fit(self, f, x):
        y_right, y_left = float(f(x + self.delta)), float(f(x - self.delta))
        self.slope = (y_right - y_left) / (2 * self.delta)
        self.intercept = float(f(x)) - self.slope * x
        return self

    def forward(self, inputs):
        self.output = np.asarray(inputs) * self.slope + self.intercept
        return self.output


#: check name → (chapter marker, correct classes)
CHECKS: dict[str, tuple[str, tuple[type, ...]]] = {
    "forward_difference": ("ch07", (ForwardDifference, ForwardDifference_Book)),
    "central_difference": ("ch07", (CentralDifference, CentralDifference_Average)),
    "polynomial_derivative": ("ch07", (Polynomial, Polynomial_Vectorised)),
    "tangent_line": ("ch07", (TangentLine, TangentLine_Floats)),
}


# =============================================================================================
# One wrong class per catalogued mistake
# =============================================================================================


class ForwardFlipped(ForwardDifference):
    mistake, check = "difference_sign_flipped", "forward_difference"

    def derivative(self, f, x):
        return (f(x) - f(x + self.delta)) / self.delta


class CentralFlipped(CentralDifference):
    mistake, check = "difference_sign_flipped", "central_difference"

    def derivative(self, f, x):
        return (f(x - self.delta) - f(x + self.delta)) / (2 * self.delta)


class ForwardOverTwoDelta(ForwardDifference):
    mistake, check = "difference_wrong_divisor", "forward_difference"

    def derivative(self, f, x):
        return (f(x + self.delta) - f(x)) / (2 * self.delta)


class CentralOverDelta(CentralDifference):
    mistake, check = "difference_wrong_divisor", "central_difference"

    def derivative(self, f, x):
        return (f(x + self.delta) - f(x - self.delta)) / self.delta


class ForwardFixedDelta(ForwardDifference):
    mistake, check = "difference_fixed_delta", "forward_difference"

    def derivative(self, f, x):
        return (f(x + 0.0001) - f(x)) / 0.0001


class CentralFixedDelta(CentralDifference):
    mistake, check = "difference_fixed_delta", "central_difference"

    def derivative(self, f, x):
        return (f(x + 0.0001) - f(x - 0.0001)) / 0.0002


class CentralIsForward(CentralDifference):
    mistake, check = "difference_forward_for_central", "central_difference"

    def derivative(self, f, x):
        return (f(x + self.delta) - f(x)) / self.delta


class ForwardIsCentral(ForwardDifference):
    mistake, check = "difference_central_for_forward", "forward_difference"

    def derivative(self, f, x):
        return (f(x + self.delta) - f(x - self.delta)) / (2 * self.delta)


class PolynomialNotLowered(Polynomial):
    mistake, check = "power_rule_power_not_lowered", "polynomial_derivative"

    def derivative(self, x):
        return sum(k * c * x**k for k, c in enumerate(self.coefficients)) + 0 * x


class PolynomialNotMultiplied(Polynomial):
    mistake, check = "power_rule_not_multiplied", "polynomial_derivative"

    def derivative(self, x):
        return sum(c * x ** (k - 1) for k, c in enumerate(self.coefficients) if k) + 0 * x


class PolynomialConstantKept(Polynomial):
    mistake, check = "power_rule_constant_kept", "polynomial_derivative"

    def derivative(self, x):
        return self.coefficients[0] + super().derivative(x)


class PolynomialHighestFirst(Polynomial):
    mistake, check = "power_rule_highest_first", "polynomial_derivative"

    def derivative(self, x):
        return np.polyval(np.polyder(self.coefficients), x)


class TangentForwardSlope(TangentLine):
    mistake, check = "difference_forward_for_central", "tangent_line"

    def fit(self, f, x):
        self.slope = (f(x + self.delta) - f(x)) / self.delta
        self.intercept = f(x) - self.slope * x


class TangentBookIntercept(TangentLine):
    """The book's b = y2 - slope * x2, with x2 = x + delta."""

    mistake, check = "tangent_intercept_shifted_point", "tangent_line"

    def fit(self, f, x):
        self.slope = (f(x + self.delta) - f(x - self.delta)) / (2 * self.delta)
        self.intercept = f(x + self.delta) - self.slope * (x + self.delta)


class TangentInterceptSign(TangentLine):
    mistake, check = "tangent_intercept_sign", "tangent_line"

    def fit(self, f, x):
        self.slope = (f(x + self.delta) - f(x - self.delta)) / (2 * self.delta)
        self.intercept = self.slope * x - f(x)


# =============================================================================================


def _collect() -> list[tuple[str, str, type]]:
    found = []
    for _, value in inspect.getmembers(sys.modules[__name__], inspect.isclass):
        if value.__module__ == __name__ and isinstance(getattr(value, "mistake", None), str):
            found.append((value.mistake, value.check, value))
    return sorted(found, key=lambda item: (item[1], item[0], item[2].__name__))


class CentralDifferenceValuesAdded(CentralDifference):
    """f(x - delta) added where it is subtracted."""

    mistake, check = "difference_quotient_slip", "central_difference"

    def derivative(self, f, x):
        return (f(x + self.delta) + f(x - self.delta)) / (2 * self.delta)


class TangentInterceptPlus(TangentLine):
    """intercept = f(x) + slope * x: the line misses (x, f(x))."""

    mistake, check = "tangent_formula_slip", "tangent_line"

    def fit(self, f, x):
        super().fit(f, x)
        self.intercept = f(x) + self.slope * x
        return self


class TangentWithoutInputs(TangentLine):
    """output = slope + intercept: the inputs never enter, one number comes out."""

    mistake, check = "tangent_formula_slip", "tangent_line"

    def forward(self, inputs):
        self.output = self.slope + self.intercept


class PolynomialWithoutCoefficients(Polynomial):
    """k * x**(k - 1): the coefficient left out of every term."""

    mistake, check = "power_rule_term_slip", "polynomial_derivative"

    def derivative(self, x):
        total = np.zeros_like(np.asarray(x, dtype=float))
        for k in range(1, len(self.coefficients)):
            total += k * np.asarray(x, dtype=float) ** (k - 1)
        return total


#: (mistake id, check name, wrong class), sorted by check.
WRONG = _collect()
