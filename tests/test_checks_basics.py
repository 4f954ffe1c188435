"""The checks of chapters 1 to 4 (``autograder/checks/basics.py``), beyond what
test_check_families.py asks of every family: stubs say "not implemented yet", errors name
their likely cause, float32 learners pass at float32 tolerance, and the dense layer's starting
weights are checked number for number when drawn the book's way and on their spread otherwise.

The learner-side classes live in ``tests/mistakes/basics.py``.
"""

from __future__ import annotations

import numpy as np
import pytest
from mistakes import basics

from autograder.checks import REGISTRY
from autograder.checks import basics as basics_module
from autograder.checks.base import ERROR, FAIL

CHAPTER = {name: chapter for name, (chapter, _) in basics.CHECKS.items()}
SEEDS = (0, 1, 7)


def run(name, learner, seed=0):
    return REGISTRY[name].run(learner, seed)


def by_check(pairs):
    """``pytest.param``s marked with the chapter of their first element's check."""
    return [pytest.param(*pair, marks=getattr(pytest.mark, CHAPTER[pair[0]])) for pair in pairs]


# -- the dense layer's starting weights ----------------------------------------------------------


@pytest.mark.ch03
def test_weights_drawn_another_way_pass_on_their_spread_and_say_so():
    result = run("dense_init", basics.Layer_Dense_Generator, 2)
    assert result.passed, str(result)
    assert "shape, mean and spread were checked instead" in result.message


@pytest.mark.ch03
def test_book_style_weights_are_compared_number_for_number():
    result = run("dense_init", basics.Layer_Dense, 2)
    assert result.passed and "not checked" not in result.message


@pytest.mark.ch03
def test_dense_init_ignores_and_restores_the_learners_global_seed():
    np.random.seed(123)
    expected = np.random.random_sample(3)
    np.random.seed(123)
    assert run("dense_init", basics.Layer_Dense, 4).passed
    np.testing.assert_array_equal(np.random.random_sample(3), expected)


@pytest.mark.ch03
def test_plausible_draw_rejects_what_is_not_small_normal_noise():
    rng = np.random.RandomState(5)
    assert basics_module.plausible_draw(0.01 * rng.standard_normal((25, 35)))
    assert not basics_module.plausible_draw(0.1 * rng.standard_normal((25, 35)))
    assert not basics_module.plausible_draw(0.01 * rng.random_sample((25, 35)))
    assert not basics_module.plausible_draw(np.full((25, 35), np.nan))
    assert not basics_module.plausible_draw(None)


@pytest.mark.ch02
def test_hidden_seeds_give_other_sizes_and_numbers():
    """A class that only works for the visible inputs' sizes cannot pass a hidden test."""
    check = REGISTRY["layer_output"]
    sizes = {check.build(seed)["rect"]["X"].shape for seed in range(20)}
    assert len(sizes) > 1


# -- every catalogued mistake is caught and named ----------------------------------------------


@pytest.mark.ch02
def test_a_non_square_swap_is_reported_as_the_error_it_raised_with_its_likely_cause():
    result = run("layer_output", basics.LayerSwapped)
    assert result.status == ERROR
    assert result.message.startswith("your forward raised ValueError")
    assert "Likely cause — np.dot(inputs, weights) instead of np.dot(weights, inputs)" in (
        result.message
    )


@pytest.mark.ch04
def test_a_wrong_value_with_no_catalogued_cause_names_index_and_values():
    class Activation_Step(basics.Activation_Step_NumPy):
        def forward(self, inputs):
            self.output = (inputs > 0.5) * 1

    result = run("step_activation", Activation_Step)
    assert result.status == FAIL and result.diagnosis is None
    assert "mismatch in self.output at index (" in result.message


# -- stubs and errors ----------------------------------------------------------------------------


class Stub:
    """The released notebook's classes: the constructor given, forward still to write."""

    def __init__(self, *args, **kwargs):
        pass

    def forward(self, inputs):
        raise NotImplementedError()


class StubDense:
    def __init__(self, n_inputs, n_neurons):
        raise NotImplementedError()


@pytest.mark.parametrize(
    ("name",), by_check([(name,) for name in basics.CHECKS if name != "dense_init"])
)
def test_stub_says_not_implemented_yet_in_forward(name):
    result = run(name, Stub)
    assert result.status == ERROR and result.points == 0
    assert result.message == (
        "not implemented yet: replace `raise NotImplementedError()` in forward with your code."
    )


@pytest.mark.ch03
def test_constructor_stub_says_not_implemented_yet_in_init():
    result = run("dense_init", StubDense)
    assert result.status == ERROR
    assert result.message.endswith(" in __init__ with your code.")


@pytest.mark.ch02
def test_instance_instead_of_class_is_explained():
    result = run("neuron_output", basics.Neuron([1.0, 2.0], 0.5))
    assert result.status == ERROR
    assert "pass the class itself, not an instance" in result.message


# -- probes as data ------------------------------------------------------------------------------


# -- float32 learners ----------------------------------------------------------------------------


@pytest.mark.parametrize(("name",), by_check([(name,) for name in basics.CHECKS]))
def test_book_style_code_under_nnfs_init_passes_at_float32_tolerance(name, nnfs_initialised):
    result = run(name, basics.CHECKS[name][1][0], 1)
    assert result.passed, str(result)
    assert "float32 tolerance" in result.message and "nnfs.init()" in result.message
