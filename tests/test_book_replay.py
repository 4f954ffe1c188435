"""The book's names and the book's runs: one RandomState(0) replays what nnfs.init() produced."""

from __future__ import annotations

import subprocess
import sys
import textwrap

import numpy as np
import pytest

import nnfs_core
from nnfs_core import book


@pytest.mark.ch09
@pytest.mark.parametrize(("book_name", "pep8_name"), sorted(book.BOOK_NAMES.items()))
def test_each_book_name_is_the_very_same_object_as_its_pep8_twin(book_name, pep8_name):
    assert getattr(book, book_name) is getattr(nnfs_core, pep8_name)


@pytest.mark.ch09
def test_the_book_module_exports_every_name_the_course_promises():
    promised = {
        "Layer_Dense", "Layer_Dropout", "Layer_Input", "Activation_ReLU", "Activation_Softmax",
        "Activation_Sigmoid", "Activation_Linear", "Loss_CategoricalCrossentropy",
        "Loss_BinaryCrossentropy", "Loss_MeanSquaredError", "Loss_MeanAbsoluteError",
        "Activation_Softmax_Loss_CategoricalCrossentropy", "Optimizer_SGD", "Optimizer_Adagrad",
        "Optimizer_RMSprop", "Optimizer_Adam", "Accuracy_Categorical", "Accuracy_Regression",
        "Model", "spiral_data", "vertical_data", "sine_data",
    }  # fmt: skip
    assert promised <= set(book.__all__)


def run_chapter10_adam(epochs: int) -> list[tuple[int, float, float]]:
    """The chapter 10 script, book-style, with one RandomState(0) in the book's draw order."""
    from nnfs_core.book import (
        Activation_ReLU,
        Activation_Softmax_Loss_CategoricalCrossentropy,
        Layer_Dense,
        Optimizer_Adam,
        spiral_data,
    )

    rng = np.random.RandomState(0)
    X, y = spiral_data(samples=100, classes=3, rng=rng)
    dense1 = Layer_Dense(2, 64, rng=rng)
    activation1 = Activation_ReLU()
    dense2 = Layer_Dense(64, 3, rng=rng)
    loss_activation = Activation_Softmax_Loss_CategoricalCrossentropy()
    optimizer = Optimizer_Adam(learning_rate=0.05, decay=5e-7)
    log = []
    for epoch in range(epochs + 1):
        dense1.forward(X)
        activation1.forward(dense1.output)
        dense2.forward(activation1.output)
        loss = loss_activation.forward(dense2.output, y)
        accuracy = float(np.mean(np.argmax(loss_activation.output, axis=1) == y))
        if epoch % 1000 == 0:
            log.append((epoch, accuracy, loss))
        loss_activation.backward(loss_activation.output, y)
        dense2.backward(loss_activation.dinputs)
        activation1.backward(dense2.dinputs)
        dense1.backward(activation1.dinputs)
        optimizer.pre_update_params()
        optimizer.update_params(dense1)
        optimizer.update_params(dense2)
        optimizer.post_update_params()
    return log


@pytest.mark.ch10
def test_chapter10_adam_run_lands_on_the_books_numbers_at_epoch_10000():
    """Book: Adam(learning_rate=0.05, decay=5e-7) reaches about acc 0.98, loss 0.074."""
    log = run_chapter10_adam(10_000)
    epoch, accuracy, loss = log[-1]
    assert epoch == 10_000
    assert accuracy == pytest.approx(0.98, abs=0.05)
    assert loss == pytest.approx(0.074, abs=0.05)
    # and it got there by learning, not by luck at the last epoch
    assert log[0][2] == pytest.approx(np.log(3), abs=1e-3)  # untrained: uniform over 3 classes
    losses = [entry[2] for entry in log]
    assert losses[-1] < losses[1] < losses[0]


NNFS_SIDE = textwrap.dedent(
    """
    import sys
    import numpy as np
    import nnfs
    from nnfs.datasets import spiral_data
    nnfs.init()
    X, y = spiral_data(samples=1000, classes=3)
    w1 = 0.01 * np.random.randn(2, 64)
    w2 = 0.01 * np.random.randn(64, 3)
    mask = np.random.binomial(1, 1 - 0.1, size=(3000, 64))
    np.savez(sys.argv[1], X=X, w1=w1, w2=w2, mask=mask)
    """
)


@pytest.mark.ch15
def test_one_random_state_replays_the_books_dataset_layers_and_dropout_mask(tmp_path):
    """The chapter 15 order: data, Dense(2, 64), Dense(64, 3), then dropout's first mask.

    nnfs.init() patches NumPy globally, so the book's side runs in its own process.
    """
    target = tmp_path / "nnfs_side.npz"
    subprocess.run([sys.executable, "-c", NNFS_SIDE, str(target)], check=True, timeout=120)
    theirs = np.load(target)

    rng = np.random.RandomState(0)
    X, _ = book.spiral_data(1000, 3, rng=rng)
    dense1 = book.Layer_Dense(2, 64, rng=rng)
    dense2 = book.Layer_Dense(64, 3, rng=rng)
    dropout = book.Layer_Dropout(0.1, rng=rng)
    dropout.forward(np.ones((3000, 64)), training=True)

    np.testing.assert_allclose(X.astype(np.float32), theirs["X"], rtol=0, atol=1e-6)
    np.testing.assert_allclose(dense1.weights, theirs["w1"], rtol=1e-6, atol=1e-9)
    np.testing.assert_allclose(dense2.weights, theirs["w2"], rtol=1e-6, atol=1e-9)
    np.testing.assert_array_equal(dropout.binary_mask > 0, theirs["mask"] > 0)
