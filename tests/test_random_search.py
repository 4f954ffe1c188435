"""nnfs_core.random_search.RandomSearch: chapter 6's keep-the-best random search."""

from __future__ import annotations

import numpy as np
import pytest

from nnfs_core import Dense
from nnfs_core.random_search import RandomSearch

pytestmark = pytest.mark.ch06


def _layers(seed=0):
    rng = np.random.RandomState(seed)
    return [Dense(2, 3, rng=rng), Dense(3, 3, rng=rng)]


def _values(layers):
    return [array.copy() for layer in layers for array in (layer.weights, layer.biases)]


def test_perturb_draws_the_books_numbers_in_the_books_order():
    layers = _layers()
    before = _values(layers)
    np.random.seed(5)
    expected = [
        before[0] + 0.05 * np.random.randn(2, 3),
        before[1] + 0.05 * np.random.randn(1, 3),
        before[2] + 0.05 * np.random.randn(3, 3),
        before[3] + 0.05 * np.random.randn(1, 3),
    ]
    RandomSearch(layers, rng=np.random.RandomState(5)).perturb()
    for got, want in zip(_values(layers), expected, strict=True):
        np.testing.assert_array_equal(got, want)


def test_rng_none_draws_from_numpys_global_generator():
    first, second = _layers(), _layers()
    np.random.seed(9)
    RandomSearch(first).perturb()
    RandomSearch(second, rng=np.random.RandomState(9)).perturb()
    for a, b in zip(_values(first), _values(second), strict=True):
        np.testing.assert_array_equal(a, b)


def test_keep_or_revert_keeps_lower_losses_and_puts_copies_back_otherwise():
    layers = _layers()
    search = RandomSearch(layers, step_size=0.1, rng=1)
    assert search.lowest_loss == np.inf
    search.perturb()
    kept_values = _values(layers)
    assert search.keep_or_revert(1.0) is True and search.lowest_loss == 1.0
    search.perturb()
    assert search.keep_or_revert(1.5) is False and search.lowest_loss == 1.0
    for got, want in zip(_values(layers), kept_values, strict=True):
        np.testing.assert_array_equal(got, want)
    # What went back into the layers is a copy: moving the layers leaves the best alone.
    layers[0].weights += 1.0
    np.testing.assert_array_equal(search.best[0][0], kept_values[0])
    assert search.keep_or_revert(2.0) is False
    np.testing.assert_array_equal(layers[0].weights, kept_values[0])


def test_equal_and_nan_losses_are_not_lower():
    search = RandomSearch(_layers())
    assert search.keep_or_revert(np.float32(0.5)) is True
    assert search.keep_or_revert(0.5) is False
    assert search.keep_or_revert(float("nan")) is False
    assert search.lowest_loss == 0.5


def test_a_search_lowers_the_loss_on_vertical_data():
    from nnfs_core import CategoricalCrossentropy, ReLU, Softmax, vertical_data

    rng = np.random.RandomState(0)
    X, y = vertical_data(samples=50, classes=3, rng=rng)
    dense1, dense2 = Dense(2, 3, rng=rng), Dense(3, 3, rng=rng)
    relu, softmax, loss_function = ReLU(), Softmax(), CategoricalCrossentropy()
    search = RandomSearch([dense1, dense2], rng=rng)
    for _ in range(300):
        search.perturb()
        dense2.forward(relu.forward(dense1.forward(X)))
        search.keep_or_revert(loss_function.calculate(softmax.forward(dense2.output), y))
    assert search.lowest_loss < 0.9 < np.log(3)


@pytest.mark.parametrize(
    ("arguments", "error", "words"),
    [
        ((np.ones((2, 3)),), TypeError, "must be a list of layers"),
        (([],), ValueError, "layers is empty"),
        (([object()],), TypeError, "has no attribute 'weights'"),
        ((["text"],), TypeError, "needs a float array attribute 'weights'"),
        ((None,), TypeError, "must be a list of layers"),
    ],
)
def test_bad_layers_are_refused_with_a_fix(arguments, error, words):
    with pytest.raises(error, match=words) as raised:
        RandomSearch(*arguments)
    assert "Fix:" in str(raised.value)


@pytest.mark.parametrize("step_size", [0, -0.05, "0.05", float("nan"), None])
def test_bad_step_sizes_are_refused_with_a_fix(step_size):
    with pytest.raises((TypeError, ValueError), match="step_size must be a positive number") as e:
        RandomSearch(_layers(), step_size=step_size)
    assert "Fix: RandomSearch(layers, step_size=0.05)" in str(e.value)


def test_a_loss_that_is_not_one_number_is_refused():
    search = RandomSearch(_layers())
    with pytest.raises(TypeError, match="loss must be one number") as raised:
        search.keep_or_revert(np.array([0.3, 0.4]))
    assert "not the per-sample losses" in str(raised.value)
    with pytest.raises(TypeError, match="loss must be one number"):
        search.keep_or_revert("0.3")


def test_layers_whose_weights_were_replaced_by_something_else_are_named():
    layers = _layers()
    search = RandomSearch(layers)
    layers[1].biases = [0.0, 0.0, 0.0]
    with pytest.raises(TypeError, match=r"layers\[1\] \(Dense\) needs a float array"):
        search.perturb()


def test_repr_says_what_it_searches():
    assert repr(RandomSearch(_layers(), step_size=0.1)) == "RandomSearch(2 layers, step_size=0.1)"
