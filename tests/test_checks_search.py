"""Chapter 6's random-search checks (``autograder/checks/search.py``), beyond what
test_check_families.py asks of every family: stubs say "not implemented yet", noise drawn
another way passes on its spread (and wrong noise does not), every catalogued mistake replays
differently from every other, and the learner's global random state survives the probe.

The learner-side classes live in ``tests/mistakes/search.py``.
"""

from __future__ import annotations

import itertools

import numpy as np
import pytest
from mistakes import search

from autograder.checks import REGISTRY
from autograder.checks import search as search_checks
from autograder.checks.base import ERROR, FAIL, PASS

pytestmark = pytest.mark.ch06


def run(name, learner, seed=0):
    return REGISTRY[name].run(learner, seed)


class Stub(search.RandomSearch):
    """What the released notebook holds: the given constructor, the two methods unwritten."""

    def perturb(self):
        raise NotImplementedError()

    def keep_or_revert(self, loss):
        raise NotImplementedError()


@pytest.mark.parametrize(
    ("name", "method"),
    [("random_search_perturb", "perturb"), ("random_search_keep", "keep_or_revert")],
)
def test_stub_says_not_implemented_yet(name, method):
    result = run(name, Stub)
    assert result.status == ERROR and result.points == 0
    assert result.message == (
        f"not implemented yet: replace `raise NotImplementedError()` in {method} with your code."
    )


def test_noise_from_another_generator_passes_on_its_spread_and_says_so():
    result = run("random_search_perturb", search.RandomSearch_Generator, 4)
    assert result.passed, str(result)
    assert "mean and spread of the moves were checked instead" in result.message


def test_book_style_noise_is_compared_number_for_number():
    result = run("random_search_perturb", search.RandomSearch, 4)
    assert result.passed and "not checked" not in result.message


class GeneratorTooLarge(search.RandomSearch_Generator):
    def perturb(self):
        self.step_size, saved = 3 * self.step_size, self.step_size
        try:
            super().perturb()
        finally:
            self.step_size = saved


class GeneratorSameNoiseTwice(search.RandomSearch):
    def perturb(self):
        rng = np.random.default_rng(7)  # the same draws on every call
        for layer in self.layers:
            layer.weights = layer.weights + self.step_size * rng.standard_normal(
                layer.weights.shape
            )
            layer.biases = layer.biases + self.step_size * rng.standard_normal(layer.biases.shape)


class GeneratorFirstLayerOnly(search.RandomSearch_Generator):
    def perturb(self):
        layer = self.layers[0]
        layer.weights = layer.weights + self.step_size * self.rng.standard_normal(
            layer.weights.shape
        )
        layer.biases = layer.biases + self.step_size * self.rng.standard_normal(layer.biases.shape)


@pytest.mark.parametrize(
    "learner", [GeneratorTooLarge, GeneratorSameNoiseTwice, GeneratorFirstLayerOnly]
)
def test_noise_drawn_another_way_must_still_look_right(learner):
    result = run("random_search_perturb", learner, 2)
    assert result.status == FAIL and result.points == 0, str(result)
    assert "layers[" in result.message


def test_keep_or_revert_that_returns_nothing_is_told_to_return_the_flag():
    class Silent(search.RandomSearch):
        def keep_or_revert(self, loss):
            super().keep_or_revert(loss)

    result = run("random_search_keep", Silent)
    assert result.status == FAIL
    assert "the value keep_or_revert returned" in result.message and "None" in result.message


def test_a_failed_revert_says_which_step_and_what_was_expected():
    class RevertsToStart(search.RandomSearch):
        """Not a catalogued mistake: reverts to values of its own invention."""

        def keep_or_revert(self, loss):
            kept = super().keep_or_revert(loss)
            if not kept:
                for layer in self.layers:
                    layer.weights = np.zeros_like(layer.weights)
            return kept

    result = run("random_search_keep", RevertsToStart)
    assert result.status == FAIL and result.diagnosis is None
    assert result.message.startswith("mismatch in layers[0].weights")
    assert "after step 2 of 5" in result.message and "not lower: revert" in result.message


def _replays():
    replay = search_checks._Replay
    return {
        "right": replay(),
        "keeps_worse": replay(lambda loss, lowest: loss > lowest),
        "keeps_every_step": replay(lambda loss, lowest: True),
        "no_revert": replay(no_revert=True),
        "alias_best_alias_revert": replay(alias_best=True, alias_revert=True),
        "alias_best_copy_revert": replay(alias_best=True),
        "alias_revert": replay(alias_revert=True),
        "frozen_lowest": replay(frozen_lowest=True),
        "frozen_best": replay(frozen_best=True),
    }


@pytest.mark.parametrize("seed", [0, 1, 2, 3, 11_111])
def test_every_mistake_replays_differently_from_every_other_and_from_the_right_one(seed):
    """The protocol must tell the mistakes apart, or the diagnosis would name the wrong one."""
    spec = REGISTRY["random_search_keep"].build(seed)
    runs = {name: replay.run(spec) for name, replay in _replays().items()}
    for (one, a), (other, b) in itertools.combinations(runs.items(), 2):
        differ = [
            key
            for key in a
            if not key.startswith("run.kept") and not np.allclose(a[key], b[key], equal_nan=True)
        ]
        assert differ, f"{one} and {other} leave the same values at every step (seed {seed})"


def test_the_right_replay_is_the_reference():
    check = REGISTRY["random_search_keep"]
    for seed in (0, 5, 9):
        spec = check.build(seed)
        replayed, expected = search_checks._Replay().run(spec), check.expect(spec)
        assert replayed.keys() == expected.keys()
        for key in expected:
            np.testing.assert_array_equal(replayed[key], expected[key])


def test_the_protocol_keeps_and_reverts_as_documented():
    for seed in range(20):
        expected = REGISTRY["random_search_keep"].expect(REGISTRY["random_search_keep"].build(seed))
        kept = [bool(expected[f"run.kept_{step}"]) for step in range(1, 6)]
        assert kept == [d == "keep" for d in search_checks.DECISIONS]


def test_hidden_seeds_give_other_shapes_and_step_sizes():
    check = REGISTRY["random_search_perturb"]
    specs = [check.build(seed) for seed in range(20)]
    assert len({tuple(spec["given"]["shapes"]) for spec in specs}) > 1
    assert len({spec["given"]["step_size"] for spec in specs}) > 1
    assert all(spec["given"]["step_size"] != search_checks.BOOK_STEP for spec in specs)


def test_probing_restores_the_learners_global_random_state():
    np.random.seed(321)
    expected = np.random.random_sample(3)
    np.random.seed(321)
    assert run("random_search_perturb", search.RandomSearch, 6).passed
    np.testing.assert_array_equal(np.random.random_sample(3), expected)


@pytest.mark.parametrize("name", ["random_search_perturb", "random_search_keep"])
def test_book_style_code_under_nnfs_init_passes(name, nnfs_initialised):
    result = run(name, search.RandomSearch, 1)
    assert result.status == PASS, str(result)


def test_an_instance_instead_of_the_class_is_explained():
    class Layer:
        weights, biases = np.ones((2, 3)), np.zeros((1, 3))

    result = run("random_search_keep", search.RandomSearch([Layer()]))
    assert result.status == ERROR and "pass the class itself" in result.message
