"""nnfs_core.calculus, the reference for chapters 7 and 8: values against derivatives worked
out by hand, the error behaviour of the two differences, and the messages for bad input."""

from __future__ import annotations

import numpy as np
import pytest

from nnfs_core.calculus import (
    CentralDifference,
    Chain,
    ForwardDifference,
    Max,
    NumericalGradient,
    Polynomial,
    Product,
    ReLUFunction,
    Sum,
    TangentLine,
)

ch07, ch08 = pytest.mark.ch07, pytest.mark.ch08


def square(x):
    return 2 * x**2


@ch07
def test_forward_difference_of_2x2_is_4x_plus_its_bias_2_delta():
    x = np.array([-1.0, 0.0, 2.5])
    estimate = ForwardDifference(0.01).derivative(square, x)
    np.testing.assert_allclose(estimate, 4 * x + 2 * 0.01, rtol=1e-9, atol=1e-9)


@ch07
def test_central_difference_is_exact_for_a_quadratic_and_close_for_a_sine():
    x = np.linspace(-2, 2, 9)
    np.testing.assert_allclose(CentralDifference(0.1).derivative(square, x), 4 * x, atol=1e-12)
    np.testing.assert_allclose(CentralDifference().derivative(np.sin, x), np.cos(x), atol=1e-8)


@ch07
def test_the_error_of_a_forward_difference_is_smallest_near_1e_minus_8():
    deltas = 10.0 ** -np.arange(1, 15)
    errors = [abs(float(ForwardDifference(d).derivative(np.exp, 1.0)) - np.e) for d in deltas]
    assert 1e-9 <= deltas[int(np.argmin(errors))] <= 1e-6


@ch07
def test_power_rule_on_the_books_examples():
    x = np.array([-1.5, 0.0, 0.5, 2.0])
    np.testing.assert_allclose(Polynomial([3.0]).derivative(x), 0 * x)
    np.testing.assert_allclose(Polynomial([0, 0, 3.0]).derivative(x), 6 * x)
    np.testing.assert_allclose(Polynomial([-5, 0, 0, 4, 0, 5]).derivative(x), 25 * x**4 + 12 * x**2)
    assert Polynomial([1, 2, 3]).derivative_polynomial().coefficients.tolist() == [2, 6]
    assert Polynomial([7]).derivative_polynomial().coefficients.tolist() == [0]


@ch07
def test_polynomial_derivative_agrees_with_a_central_difference():
    poly = Polynomial([0.5, -1, 2, 0.3])
    x = np.linspace(-2, 2, 11)
    numerical = CentralDifference(1e-5).derivative(poly.forward, x)
    np.testing.assert_allclose(poly.derivative(x), numerical, rtol=1e-7, atol=1e-7)


@ch07
def test_tangent_line_touches_the_curve_with_its_slope():
    line = TangentLine().fit(square, 1.5)
    assert line.slope == pytest.approx(6.0) and line.intercept == pytest.approx(-4.5)
    np.testing.assert_allclose(line.forward(np.array([1.5, 2.5])), [4.5, 10.5])


@ch08
def test_partials_of_sum_product_max_and_relu():
    x, y = np.array([1.0, -2.0, 3.0, 0.5]), np.array([2.0, -2.0, -1.0, 0.0])
    for part in Sum().partials(x, y):
        np.testing.assert_array_equal(part, 1.0)
    dx, dy = Product().partials(x, y)
    np.testing.assert_array_equal(dx, y)
    np.testing.assert_array_equal(dy, x)
    dx, dy = Max().partials(x, y)
    np.testing.assert_array_equal(dx, [0, 0, 1, 1])  # the tie at index 1 gives both 0
    np.testing.assert_array_equal(dy, [1, 0, 0, 0])
    np.testing.assert_array_equal(ReLUFunction().derivative(np.array([-1.0, 0.0, 2.0])), [0, 0, 1])


@ch08
def test_numerical_gradient_matches_the_partials_and_leaves_the_point_alone():
    point = np.array([1.0, -2.0, 0.5])

    def f(p):
        return p[0] * p[1] + np.sin(p[2])

    kept = point.copy()
    gradient = NumericalGradient().gradient(f, point)
    np.testing.assert_allclose(gradient, [-2.0, 1.0, np.cos(0.5)], atol=1e-8)
    np.testing.assert_array_equal(point, kept)


@ch08
def test_chain_rule_on_3_times_2x2_to_the_fifth_and_nested():
    x = np.array([-1.0, 0.5, 1.2])
    h = Chain(Polynomial([0, 0, 0, 0, 0, 3.0]), Polynomial([0, 0, 2.0]))  # 3 (2x^2)^5
    np.testing.assert_allclose(h.derivative(x), 3 * 5 * (2 * x**2) ** 4 * 4 * x)
    neuron = Chain(ReLUFunction(), Polynomial([-1.0, 2.0]))  # ReLU(2x - 1)
    np.testing.assert_array_equal(neuron.derivative(x), [0.0, 0.0, 2.0])
    nested = Chain(Chain(Polynomial([0, 0, 1.0]), ReLUFunction()), Polynomial([0.5, 1.0]))
    numerical = CentralDifference(1e-6).derivative(nested.forward, x)
    np.testing.assert_allclose(nested.derivative(x), numerical, rtol=1e-6, atol=1e-8)


@pytest.mark.parametrize(
    ("call", "error", "words"),
    [
        pytest.param(lambda: ForwardDifference(0), ValueError, "positive", marks=ch07),
        pytest.param(lambda: CentralDifference("small"), TypeError, "a number", marks=ch07),
        pytest.param(
            lambda: CentralDifference().derivative(square(2.0), 1.0),
            TypeError,
            "not derivative(f(x), x)",
            marks=ch07,
        ),
        pytest.param(
            lambda: ForwardDifference().derivative(np.sum, np.ones(3)),
            ValueError,
            "element-wise",
            marks=ch07,
        ),
        pytest.param(lambda: Polynomial([]), ValueError, "Polynomial([3, 2, -1])", marks=ch07),
        pytest.param(
            lambda: TangentLine().fit(square, [1.0, 2.0]), ValueError, "one point", marks=ch07
        ),
        pytest.param(
            lambda: TangentLine().forward(1.0), RuntimeError, "fit(f, x) first", marks=ch07
        ),
        pytest.param(
            lambda: Max().partials(np.ones(2), np.ones(3)), ValueError, "broadcast", marks=ch08
        ),
        pytest.param(
            lambda: NumericalGradient().gradient(lambda p: p * 2, np.ones(2)),
            ValueError,
            "one number",
            marks=ch08,
        ),
        pytest.param(lambda: Chain(np.sin, ReLUFunction()), TypeError, "forward(x)", marks=ch08),
    ],
)
def test_bad_input_says_what_was_received_and_how_to_fix_it(call, error, words):
    with pytest.raises(error, match=r"Fix|first") as raised:
        call()
    assert words in str(raised.value)
