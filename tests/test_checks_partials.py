"""The checks of chapter 8 (``autograder/checks/partials.py``), beyond what
test_check_families.py asks of every family: stubs say "not implemented yet", the inputs hold
the corners the conventions are about (exact ties for max, exact zeros for ReLU), a result that
is not a pair is explained, and a nested chain builds the learner's class twice. The
learner-side classes live in ``tests/mistakes/partials.py``."""

from __future__ import annotations

import numpy as np
import pytest
from mistakes import partials

from autograder.checks import REGISTRY
from autograder.checks.base import ERROR, FAIL

pytestmark = pytest.mark.ch08


class Stub:
    def __init__(self, *args):
        pass

    def partials(self, x, y):
        raise NotImplementedError()

    def derivative(self, x):
        raise NotImplementedError()

    def gradient(self, f, point):
        raise NotImplementedError()


@pytest.mark.parametrize(
    ("name", "method"),
    [
        ("sum_partials", "partials"),
        ("product_partials", "partials"),
        ("max_partials", "partials"),
        ("relu_derivative", "derivative"),
        ("numerical_gradient", "gradient"),
        ("chain_rule", "derivative"),
    ],
)
def test_stub_says_not_implemented_yet(name, method):
    result = REGISTRY[name].run(Stub, 0)
    assert result.status == ERROR and result.points == 0
    assert result.message == (
        f"not implemented yet: replace `raise NotImplementedError()` in {method} with your code."
    )


@pytest.mark.parametrize("seed", [0, 81_001, 82_002])
def test_the_inputs_hold_ties_and_zeros(seed):
    for case in REGISTRY["max_partials"].build(seed).values():
        assert (case["x"] == case["y"]).any()
    for case in REGISTRY["relu_derivative"].build(seed).values():
        assert (case["x"] == 0).any() and (case["x"] < 0).any() and (case["x"] > 0).any()


def test_one_array_instead_of_a_pair_is_explained():
    class OneArray(partials.Product):
        def partials(self, x, y):
            return y

    result = REGISTRY["product_partials"].run(OneArray, 0)
    assert result.status == FAIL
    assert "instead of the pair (df/dx, df/dy)" in result.message


def test_a_stacked_pair_is_accepted():
    class Stacked(partials.Product):
        def partials(self, x, y):
            return np.stack([y, x])

    assert REGISTRY["product_partials"].run(Stacked, 0).passed


def test_nested_chain_uses_the_learners_class_inside_itself():
    built = []

    class Counting(partials.Chain):
        def __init__(self, outer, inner):
            built.append(type(outer).__name__)
            super().__init__(outer, inner)

    assert REGISTRY["chain_rule"].run(Counting, 0).passed
    assert "Counting" in built  # the nested case's outer function is the learner's own chain


def test_a_constructor_that_fails_in_the_nested_case_reports_the_error():
    class Picky(partials.Chain):
        def __init__(self, outer, inner):
            if isinstance(outer, Picky):
                raise TypeError("no chains inside chains")
            super().__init__(outer, inner)

    result = REGISTRY["chain_rule"].run(Picky, 0)
    assert result.status == ERROR and "no chains inside chains" in result.message
