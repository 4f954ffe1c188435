"""Learner-side code for the checks of chapter 8 (``autograder/checks/partials.py``).

Correct classes written two ways (NumPy one-liners, and ``np.where`` / loops / in-place
nudges that are put back), then one wrong class per catalogued mistake, each carrying
``mistake`` (the catalogue id the judge must name) and ``check`` (the check that must fail).
"""

from __future__ import annotations

import inspect
import sys

import numpy as np

# =============================================================================================
# Correct
# =============================================================================================


class Sum:
    def forward(self, x, y):
        return x + y

    def partials(self, x, y):
        return np.ones_like(x), np.ones_like(y)


class Sum_Full(Sum):
    def partials(self, x, y):
        return np.full(np.shape(x), 1.0), np.full(np.shape(y), 1.0)


class Product:
    def forward(self, x, y):
        return x * y

    def partials(self, x, y):
        return y, x


class Product_Copies(Product):
    def partials(self, x, y):
        return [y.copy(), x.copy()]


class Max:
    def forward(self, x, y):
        return np.maximum(x, y)

    def partials(self, x, y):
        return (x > y) * 1.0, (y > x) * 1.0


class Max_Where(Max):
    def partials(self, x, y):
        return np.where(x > y, 1.0, 0.0), np.where(y > x, 1.0, 0.0)


class ReLUFunction:
    def forward(self, x):
        return np.maximum(x, 0)

    def derivative(self, x):
        return (x > 0) * 1.0


class ReLUFunction_Boolean(ReLUFunction):
    def derivative(self, x):
        return x > 0


class NumericalGradient:
    def __init__(self, delta=0.0001):
        self.delta = delta

    def gradient(self, f, point):
        gradient = np.zeros_like(point, dtype=float)
        for i in range(len(point)):
            step = np.zeros_like(point, dtype=float)
            step[i] = self.delta
            gradient[i] = (f(point + step) - f(point - step)) / (2 * self.delta)
        return gradient


class NumericalGradient_InPlace(NumericalGradient):
    """Nudges the point itself and puts every coordinate back."""

    def gradient(self, f, point):
        gradient = []
        for i in range(len(point)):
            kept = point[i]
            point[i] = kept + self.delta
            up = f(point)
            point[i] = kept - self.delta
            down = f(point)
            point[i] = kept
            gradient.append((up - down) / (2 * self.delta))
        return np.array(gradient)


class Chain:
    def __init__(self, outer, inner):
        self.outer = outer
        self.inner = inner

    def forward(self, x):
        return self.outer.forward(self.inner.forward(x))

    def derivative(self, x):
        return self.outer.derivative(self.inner.forward(x)) * self.inner.derivative(x)


class Chain_Named(Chain):
    def derivative(self, x):
        inside = self.inner.forward(x)
        d_inner = self.inner.derivative(x)
        d_outer = self.outer.derivative(inside)
        return d_inner * d_outer


#: check name → (chapter marker, correct classes)
CHECKS: dict[str, tuple[str, tuple[type, ...]]] = {
    "sum_partials": ("ch08", (Sum, Sum_Full)),
    "product_partials": ("ch08", (Product, Product_Copies)),
    "max_partials": ("ch08", (Max, Max_Where)),
    "relu_derivative": ("ch08", (ReLUFunction, ReLUFunction_Boolean)),
    "numerical_gradient": ("ch08", (NumericalGradient, NumericalGradient_InPlace)),
    "chain_rule": ("ch08", (Chain, Chain_Named)),
}


# =============================================================================================
# One wrong class per catalogued mistake
# =============================================================================================


class SumOneNumber(Sum):
    mistake, check = "sum_partials_one_number", "sum_partials"

    def partials(self, x, y):
        return 1, 1


class SumZeroForY(Sum):
    """y treated as a constant: its partial taken as 0."""

    mistake, check = "sum_partials_zero", "sum_partials"

    def partials(self, x, y):
        return np.ones_like(x), np.zeros_like(y)


class SumInputs(Sum):
    mistake, check = "sum_partials_inputs", "sum_partials"

    def partials(self, x, y):
        return x, y


class ProductSwapped(Product):
    mistake, check = "product_partials_swapped", "product_partials"

    def partials(self, x, y):
        return x, y


class MaxSwapped(Max):
    mistake, check = "max_partials_swapped", "max_partials"

    def partials(self, x, y):
        return (y > x) * 1.0, (x > y) * 1.0


class MaxValues(Max):
    mistake, check = "max_partials_not_zero_or_one", "max_partials"

    def partials(self, x, y):
        return x * (x > y), y * (y > x)


class MaxAlwaysOne(Max):
    mistake, check = "max_partials_condition_missing", "max_partials"

    def partials(self, x, y):
        return np.ones_like(x), (y > x) * 1.0


class MaxTiesToX(Max):
    mistake, check = "max_partials_ties", "max_partials"

    def partials(self, x, y):
        return (x >= y) * 1.0, (y > x) * 1.0


class MaxTiesToBoth(Max):
    mistake, check = "max_partials_ties", "max_partials"

    def partials(self, x, y):
        return (x >= y) * 1.0, (y >= x) * 1.0


class ReLUOneAtZero(ReLUFunction):
    mistake, check = "relu_derivative_one_at_zero", "relu_derivative"

    def derivative(self, x):
        return (x >= 0) * 1.0


class ReLUIsReLU(ReLUFunction):
    mistake, check = "relu_derivative_is_relu", "relu_derivative"

    def derivative(self, x):
        return np.maximum(x, 0)


class ReLUAlwaysOne(ReLUFunction):
    mistake, check = "relu_derivative_always_one", "relu_derivative"

    def derivative(self, x):
        return 1.0


class ReLUSign(ReLUFunction):
    mistake, check = "relu_derivative_sign", "relu_derivative"

    def derivative(self, x):
        return np.sign(x)


class GradientNotRestored(NumericalGradient):
    mistake, check = "gradient_point_not_restored", "numerical_gradient"

    def gradient(self, f, point):
        gradient = np.zeros(len(point))
        for i in range(len(point)):
            point[i] += self.delta
            up = f(point)
            point[i] -= 2 * self.delta
            down = f(point)
            gradient[i] = (up - down) / (2 * self.delta)
        return gradient


class GradientAllAtOnce(NumericalGradient):
    mistake, check = "gradient_all_coordinates_moved", "numerical_gradient"

    def gradient(self, f, point):
        gradient = np.zeros(len(point))
        for i in range(len(point)):
            gradient[i] = (f(point + self.delta) - f(point - self.delta)) / (2 * self.delta)
        return gradient


class GradientForward(NumericalGradient):
    mistake, check = "gradient_forward_difference", "numerical_gradient"

    def gradient(self, f, point):
        gradient = np.zeros(len(point))
        for i in range(len(point)):
            step = np.zeros(len(point))
            step[i] = self.delta
            gradient[i] = (f(point + step) - f(point)) / self.delta
        return gradient


class ChainMissingInner(Chain):
    mistake, check = "chain_missing_inner_derivative", "chain_rule"

    def derivative(self, x):
        return self.outer.derivative(self.inner.forward(x))


class ChainMissingOuter(Chain):
    mistake, check = "chain_missing_outer_derivative", "chain_rule"

    def derivative(self, x):
        return self.inner.derivative(x)


class ChainOuterAtX(Chain):
    mistake, check = "chain_outer_at_x", "chain_rule"

    def derivative(self, x):
        return self.outer.derivative(x) * self.inner.derivative(x)


class ChainReversed(Chain):
    mistake, check = "chain_reversed", "chain_rule"

    def derivative(self, x):
        return self.inner.derivative(self.outer.forward(x)) * self.outer.derivative(x)


# =============================================================================================


def _collect() -> list[tuple[str, str, type]]:
    found = []
    for _, value in inspect.getmembers(sys.modules[__name__], inspect.isclass):
        if value.__module__ == __name__ and isinstance(getattr(value, "mistake", None), str):
            found.append((value.mistake, value.check, value))
    return sorted(found, key=lambda item: (item[1], item[0], item[2].__name__))


class NumericalGradientStepOfOnes(NumericalGradient):
    """np.ones_like for the step: every other coordinate moves by 1 as well."""

    mistake, check = "gradient_partial_slip", "numerical_gradient"

    def gradient(self, f, point):
        gradient = np.zeros_like(point, dtype=float)
        for i in range(len(point)):
            step = np.ones_like(point, dtype=float)
            step[i] = self.delta
            gradient[i] = (f(point + step) - f(point - step)) / (2 * self.delta)
        return gradient


class NumericalGradientDividedByDelta(NumericalGradient):
    """Each central difference divided by delta, not 2 * delta."""

    mistake, check = "gradient_partial_slip", "numerical_gradient"

    def gradient(self, f, point):
        gradient = np.zeros_like(point, dtype=float)
        for i in range(len(point)):
            step = np.zeros_like(point, dtype=float)
            step[i] = self.delta
            gradient[i] = (f(point + step) - f(point - step)) / self.delta
        return gradient


#: (mistake id, check name, wrong class), sorted by check.
WRONG = _collect()
