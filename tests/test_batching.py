"""nnfs_core.batching.Batcher, the reference of chapter 19's data steps: shuffling keeps every
sample with its target and leaves the inputs alone, steps round up, batches cover the data in
order with a shorter last batch, and bad input gets a message that says how to fix it."""

from __future__ import annotations

import numpy as np
import pytest

from nnfs_core.batching import Batcher

pytestmark = pytest.mark.ch19


def test_shuffle_keeps_pairs_together_and_leaves_the_inputs_alone():
    X = np.arange(30.0).reshape(10, 3)
    y = np.arange(10)
    X_before, y_before = X.copy(), y.copy()
    X_out, y_out = Batcher().shuffle(X, y, np.random.RandomState(3))
    np.testing.assert_array_equal(X, X_before)
    np.testing.assert_array_equal(y, y_before)
    np.testing.assert_array_equal(X_out, X[y_out])
    assert sorted(y_out) == list(range(10)) and not np.array_equal(y_out, y)


def test_shuffle_is_one_permutation_of_the_given_generator():
    X, y = np.arange(8.0).reshape(8, 1), np.arange(8)
    keys = np.random.RandomState(5).permutation(8)
    X_out, y_out = Batcher().shuffle(X, y, np.random.RandomState(5))
    np.testing.assert_array_equal(y_out, keys)
    np.testing.assert_array_equal(X_out[:, 0], keys)


@pytest.mark.parametrize(
    ("n", "batch_size", "steps"),
    [(10, 3, 4), (9, 3, 3), (2, 5, 1), (60_000, 128, 469), (7, None, 1)],
)
def test_steps_round_up(n, batch_size, steps):
    assert Batcher(batch_size).steps(n) == steps


def test_batches_cover_the_data_in_order_with_a_shorter_last_batch():
    X, y = np.arange(20.0).reshape(10, 2), np.arange(10)
    pairs = list(Batcher(4).batches(X, y))
    assert [len(batch_X) for batch_X, _ in pairs] == [4, 4, 2]
    np.testing.assert_array_equal(np.concatenate([b for b, _ in pairs]), X)
    np.testing.assert_array_equal(np.concatenate([t for _, t in pairs]), y)


def test_no_batch_size_gives_the_whole_set_once():
    X, y = np.zeros((5, 2)), np.zeros(5)
    pairs = list(Batcher().batches(X, y))
    assert len(pairs) == 1 and pairs[0][0] is not None and len(pairs[0][0]) == 5


def test_batches_are_the_slices_model_train_uses():
    from nnfs_core.model import _batches

    X, y = np.arange(26.0).reshape(13, 2), np.arange(13)
    ours = list(Batcher(5).batches(X, y))
    theirs = list(_batches(X, y, 5))
    assert len(ours) == len(theirs)
    for (a, b), (c, d) in zip(ours, theirs, strict=True):
        np.testing.assert_array_equal(a, c)
        np.testing.assert_array_equal(b, d)


@pytest.mark.parametrize("batch_size", [0, -3, 2.5, "8"])
def test_bad_batch_size_is_refused_with_a_fix(batch_size):
    with pytest.raises((ValueError, TypeError), match="batch_size"):
        Batcher(batch_size)


def test_mismatched_lengths_are_refused_with_shapes_and_a_fix():
    with pytest.raises(ValueError, match=r"X of shape \(4, 2\) and y of shape \(3,\).*Fix"):
        Batcher(2).shuffle(np.zeros((4, 2)), np.zeros(3), 0)
    with pytest.raises(ValueError, match="same number of samples"):
        list(Batcher(2).batches(np.zeros((4, 2)), np.zeros(5)))
