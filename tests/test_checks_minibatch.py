"""The chapter 19 checks of ``autograder/checks/minibatch.py``, beyond what
test_check_families.py asks of every family: stubs say "not implemented yet" (also from inside a
generator), odd return values are described, a generator that never ends is stopped, and the
expected batches agree with the slices ``nnfs_core.Model.train`` feeds the network.

The learner-side classes live in ``tests/mistakes/minibatch.py``.
"""

from __future__ import annotations

import numpy as np
import pytest
from mistakes import minibatch

import nnfs_core.model as reference_model
from autograder.checks import REGISTRY
from autograder.checks import minibatch as module
from autograder.checks.base import ERROR, FAIL

pytestmark = pytest.mark.ch19


def run(name, learner, seed=0):
    return REGISTRY[name].run(learner, seed)


class StubBatcher:
    """The released chapter 19 exercise."""

    def __init__(self, batch_size=None):
        self.batch_size = batch_size

    def shuffle(self, X, y, rng):
        raise NotImplementedError()

    def steps(self, n_samples):
        raise NotImplementedError()

    def batches(self, X, y):
        raise NotImplementedError()


class StubAccuracy:
    def calculate(self, predictions, y):
        raise NotImplementedError()

    def calculate_accumulated(self):
        raise NotImplementedError()

    def new_pass(self):
        raise NotImplementedError()


@pytest.mark.parametrize(
    ("name", "learner", "method"),
    [
        ("shuffle", StubBatcher, "shuffle"),
        ("batch_steps", StubBatcher, "steps"),
        ("batches", StubBatcher, "batches"),
        ("accuracy_accumulated", StubAccuracy, "new_pass"),
    ],
)
def test_stubs_say_not_implemented_yet(name, learner, method):
    result = run(name, learner)
    assert result.status == ERROR and result.points == 0
    assert result.message == (
        f"not implemented yet: replace `raise NotImplementedError()` in {method} with your code."
    )


def test_a_generator_stub_is_not_implemented_too():
    class Batcher(minibatch.Batcher):
        def batches(self, X, y):
            raise NotImplementedError()
            yield  # a generator: the error comes only when it is iterated

    result = run("batches", Batcher)
    assert result.message.startswith("not implemented yet:")


def test_shuffle_that_returns_nothing_is_described():
    class Batcher(minibatch.Batcher):
        def shuffle(self, X, y, rng):
            keys = rng.permutation(len(X))
            self.X, self.y = X[keys], y[keys]

    result = run("shuffle", Batcher)
    assert result.status == FAIL
    assert "not a pair (X_shuffled, y_shuffled)" in result.message


def test_shuffle_with_a_generator_from_default_rng_style_permutation_passes():
    # rng.choice(n, n, replace=False) on a RandomState is its permutation: the same order.
    class Batcher(minibatch.Batcher):
        def shuffle(self, X, y, rng):
            keys = rng.choice(len(X), len(X), replace=False)
            return X[keys], y[keys]

    assert run("shuffle", Batcher, 4).passed


def test_batches_that_never_stop_are_cut_off_and_fail():
    class Batcher(minibatch.Batcher):
        def batches(self, X, y):
            while True:
                yield X[:1], y[:1]

    result = run("batches", Batcher)
    assert result.status == FAIL
    assert "number of batches" in result.message


def test_batches_that_are_not_pairs_are_described():
    class Batcher(minibatch.Batcher):
        def batches(self, X, y):
            yield from super().batches(X, y)
            yield X

    result = run("batches", Batcher)
    assert result.status == FAIL


@pytest.mark.parametrize("seed", (0, 1, 2, 3))
def test_expected_batches_are_the_reference_models_slices(seed):
    spec = module.BatchesCheck().build(seed)
    expected = module.BatchesCheck().expect(spec)
    for case, values in spec.items():
        slices = list(reference_model._batches(values["X"], values["y"], values["batch_size"]))
        assert len(slices) == expected[f"{case}.count"]
        assert [len(x) for x, _ in slices] == list(expected[f"{case}.sizes"])
        np.testing.assert_array_equal(np.concatenate([x for x, _ in slices]), values["X"])


@pytest.mark.parametrize("seed", range(6))
def test_accumulated_cases_tell_the_mistakes_apart(seed):
    # The mean of the batch means, the count of batches and the pooled accuracy all differ.
    spec = module.AccumulatedAccuracyCheck().build(seed)
    correct, sizes = module._counts(spec["first"])
    pooled = sum(correct) / sum(sizes)
    assert abs(np.mean(np.array(correct) / np.array(sizes)) - pooled) > 1e-3
    assert abs(sum(correct) / len(sizes) - pooled) > 1e-3


def test_book_fashion_mnist_epoch_has_469_steps():
    spec = module.BatchStepsCheck().build(0)
    assert module.BatchStepsCheck().expect(spec)["book.steps"] == 469
