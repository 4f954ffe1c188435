"""The checks of chapter 7 (``autograder/checks/derivatives.py``), beyond what
test_check_families.py asks of every family: the released notebook's stubs say "not implemented
yet", hidden seeds change the inputs, a function passed where a class is expected is reported,
and an x changed in place is named. The learner-side classes live in
``tests/mistakes/derivatives.py``."""

from __future__ import annotations

import numpy as np
import pytest
from mistakes import derivatives

from autograder.checks import REGISTRY
from autograder.checks.base import ERROR, FAIL

pytestmark = pytest.mark.ch07


class Stub:
    """What the released notebook's classes do: every solution region raises."""

    def __init__(self, delta=0.0001):
        self.delta = delta

    def derivative(self, *args):
        raise NotImplementedError()

    def fit(self, f, x):
        raise NotImplementedError()

    def forward(self, inputs):
        raise NotImplementedError()


@pytest.mark.parametrize(
    ("name", "method"),
    [
        ("forward_difference", "derivative"),
        ("central_difference", "derivative"),
        ("polynomial_derivative", "derivative"),
        ("tangent_line", "fit"),
    ],
)
def test_stub_says_not_implemented_yet(name, method):
    result = REGISTRY[name].run(Stub, 0)
    assert result.status == ERROR and result.points == 0
    assert result.message == (
        f"not implemented yet: replace `raise NotImplementedError()` in {method} with your code."
    )


@pytest.mark.parametrize("name", ["forward_difference", "polynomial_derivative", "tangent_line"])
def test_hidden_seeds_draw_other_inputs(name):
    check = REGISTRY[name]
    assert repr(check.build(0)) != repr(check.build(71_001))


def test_a_function_instead_of_the_class_fails_with_the_call_that_broke():
    def derivative(f, x, delta):
        return (f(x + delta) - f(x)) / delta

    result = REGISTRY["forward_difference"].run(derivative, 0)
    assert result.status == ERROR and "derivative(" in result.message


def test_x_changed_in_place_is_reported_first():
    class Shifting(derivatives.ForwardDifference):
        def derivative(self, f, x):
            x += self.delta
            return (f(x) - f(x - self.delta)) / self.delta

    result = REGISTRY["forward_difference"].run(Shifting, 0)
    assert result.status == FAIL
    assert result.message.startswith("the x array passed to derivative was changed by your code")


def test_tangent_forward_that_returns_instead_of_storing_is_explained():
    class Returns(derivatives.TangentLine):
        def forward(self, inputs):
            return self.slope * inputs + self.intercept

    result = REGISTRY["tangent_line"].run(Returns, 0)
    assert result.status == FAIL and result.diagnosis == "result_returned_not_stored"
    assert "returned the right output but never set self.output" in result.message


def test_float32_learners_pass_at_float32_tolerance():
    class Float32(derivatives.CentralDifference):
        def derivative(self, f, x):
            return super().derivative(f, x).astype(np.float32)

    result = REGISTRY["central_difference"].run(Float32, 0)
    assert result.passed and "float32" in result.message
