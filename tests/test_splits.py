"""nnfs_core.splits: the hold-out split and k-fold indices of chapter 12."""

from __future__ import annotations

import numpy as np
import pytest

from nnfs_core import HoldOut, KFold, spiral_data

pytestmark = pytest.mark.ch12


def test_holdout_keeps_pairs_and_sizes_and_is_reproducible():
    X, y = spiral_data(50, 3, rng=np.random.RandomState(0))
    first = HoldOut(0.2, rng=np.random.default_rng(4)).split(X, y)
    again = HoldOut(0.2, rng=np.random.default_rng(4)).split(X, y)
    X_train, X_val, _, y_val = first
    assert (len(X_train), len(X_val)) == (120, 30)
    assert all(np.array_equal(a, b) for a, b in zip(first, again))
    rows = {tuple(row): label for row, label in zip(X, y)}
    assert all(rows[tuple(row)] == label for row, label in zip(X_val, y_val))
    assert len(np.unique(y_val)) == 3  # shuffled: the data arrive grouped by class


@pytest.mark.parametrize(("n", "k"), [(10, 3), (23, 5), (6, 6), (100, 4)])
def test_kfold_validates_every_sample_once_in_balanced_folds(n, k):
    folds = KFold(k, rng=1).split(n)
    assert len(folds) == k
    validation = np.concatenate([v for _, v in folds])
    assert np.array_equal(np.sort(validation), np.arange(n))
    sizes = [len(v) for _, v in folds]
    assert max(sizes) - min(sizes) <= 1
    for train, val in folds:
        assert np.array_equal(np.sort(np.concatenate([train, val])), np.arange(n))


def test_kfold_draws_from_the_generator_it_was_given():
    first = KFold(3, rng=np.random.default_rng(7)).split(30)
    second = KFold(3, rng=np.random.default_rng(7)).split(30)
    other = KFold(3, rng=np.random.default_rng(8)).split(30)
    assert all(np.array_equal(a[1], b[1]) for a, b in zip(first, second))
    assert not all(np.array_equal(a[1], b[1]) for a, b in zip(first, other))


@pytest.mark.parametrize(
    ("make", "error", "words"),
    [
        (lambda: HoldOut(1.2), ValueError, "strictly between 0 and 1"),
        (lambda: HoldOut("0.2"), TypeError, "received str"),
        (lambda: HoldOut(0.2, rng="seed"), TypeError, "rng must be"),
        (lambda: KFold(1), ValueError, "at least 2"),
        (lambda: KFold(2.5), TypeError, "whole number"),
        (lambda: KFold(True), TypeError, "bool"),
        (lambda: KFold(5).split(3), ValueError, "at least 5 samples"),
        (lambda: KFold(5).split(30.0), TypeError, "len(X)"),
    ],
)
def test_bad_arguments_say_what_was_received_and_how_to_fix_it(make, error, words):
    with pytest.raises(error) as caught:
        make()
    assert words in str(caught.value)
