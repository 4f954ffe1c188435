"""The checks of chapters 1 to 4 (``autograder/checks/basics.py``): correct code of both styles
passes, every catalogued mistake of theirs fails and is named, stubs say "not implemented yet",
probes survive JSON and hold plain data, and the dense layer's starting weights are checked
number for number when drawn the book's way and on their spread otherwise.

The learner-side classes live in ``tests/mistakes/basics.py``.
"""

from __future__ import annotations

import json

import numpy as np
import pytest
from mistakes import basics

from autograder.checks import REGISTRY
from autograder.checks import basics as basics_module
from autograder.checks.base import ERROR, FAIL, PASS, Probe
from autograder.checks.diagnosis import CATALOGUE

CHAPTER = {name: chapter for name, (chapter, _) in basics.CHECKS.items()}
SEEDS = (0, 1, 7)


def run(name, learner, seed=0):
    return REGISTRY[name].run(learner, seed)


def by_check(pairs):
    """``pytest.param``s marked with the chapter of their first element's check."""
    return [pytest.param(*pair, marks=getattr(pytest.mark, CHAPTER[pair[0]])) for pair in pairs]


CORRECT = by_check(
    [(name, learner) for name, (_, learners) in basics.CHECKS.items() for learner in learners]
)


# -- the family is complete ----------------------------------------------------------------------


def test_every_check_of_the_module_is_listed():
    registered = {
        name for name, check in REGISTRY.items() if type(check).__module__ == basics_module.__name__
    }
    assert registered == set(basics.CHECKS)


def test_every_catalogue_entry_of_these_checks_alone_has_a_wrong_implementation():
    """Entries that only these checks use are covered here (test_checks.py covers the rest)."""
    ours = {entry.id for entry in CATALOGUE.values() if set(entry.checks) <= set(basics.CHECKS)}
    covered = {mistake for mistake, _, _ in basics.WRONG}
    assert ours - covered == set()
    assert covered - set(CATALOGUE) == set()


# -- correct code passes -------------------------------------------------------------------------


@pytest.mark.parametrize(("name", "learner"), CORRECT)
@pytest.mark.parametrize("seed", SEEDS)
def test_correct_code_passes(name, learner, seed):
    result = run(name, learner, seed)
    assert result.status == PASS, str(result)
    assert result.points == result.max_points


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


@pytest.mark.parametrize(
    ("mistake", "name", "learner"),
    [
        pytest.param(m, n, cls, marks=getattr(pytest.mark, CHAPTER.get(n, "ch03")))
        for m, n, cls in basics.WRONG
    ],
    ids=[f"{m}-{cls.__name__}" for m, _, cls in basics.WRONG],
)
@pytest.mark.parametrize("seed", (0, 3))
def test_mistake_fails_and_is_named(mistake, name, learner, seed):
    result = run(name, learner, seed)
    assert result.status in (FAIL, ERROR), str(result)
    assert result.points == 0
    assert result.diagnosis == mistake, str(result)
    entry = CATALOGUE[mistake]
    assert entry.title in result.message and entry.hint in result.message


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


def _learners(name):
    wrong = [cls for _, check, cls in basics.WRONG if check == name]
    return [*basics.CHECKS[name][1], Stub, *wrong]


@pytest.mark.parametrize(("name",), by_check([(name,) for name in basics.CHECKS]))
def test_probe_survives_json_and_judges_the_same(name):
    check = REGISTRY[name]
    for learner in _learners(name):
        probe = check.probe(learner, 5)
        text = json.dumps(probe.to_json(), allow_nan=False)
        again = Probe.from_json(json.loads(text))
        assert check.judge(again).to_dict() == check.judge(probe).to_dict(), learner


@pytest.mark.parametrize(("name",), by_check([(name,) for name in basics.CHECKS]))
def test_probes_hold_only_plain_arrays(name):
    from autograder.checks.base import Unrepresentable

    def plain(value) -> bool:
        if isinstance(value, dict):
            return all(isinstance(k, str) and plain(v) for k, v in value.items())
        if isinstance(value, list):
            return all(plain(v) for v in value)
        if isinstance(value, np.ndarray):
            return type(value) is np.ndarray and value.dtype.kind in "biuf"
        return value is None or isinstance(value, bool | int | float | str | Unrepresentable)

    for learner in _learners(name):
        assert plain(REGISTRY[name].probe(learner, 1).captured), learner


# -- float32 learners ----------------------------------------------------------------------------


@pytest.mark.parametrize(("name",), by_check([(name,) for name in basics.CHECKS]))
def test_book_style_code_under_nnfs_init_passes_at_float32_tolerance(name, nnfs_initialised):
    result = run(name, basics.CHECKS[name][1][0], 1)
    assert result.passed, str(result)
    assert "float32 tolerance" in result.message and "nnfs.init()" in result.message
