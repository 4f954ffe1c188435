"""The baseline nnfs_core is timed against: a learner's classes after chapters 9, 10 and 14.

They are the course's own solutions, read from the chapter notebooks
(:mod:`autograder.solutions`): plain classes, book names, the book's structure, no tricks.
Two ways to get from the logits back to the gradient are kept side by side:

* the book's final code, ``Activation_Softmax_Loss_CategoricalCrossentropy``, whose backward
  pass is the shortcut ``(softmax - one_hot) / n``;
* the chapter 9 route, ``Activation_Softmax`` followed by ``Loss_CategoricalCrossentropy``, where
  the cross-entropy hands ``-y / p / n`` to the softmax and the softmax applies its Jacobian
  ``diag(s) - s @ s.T`` one sample at a time in a Python loop.

Written out here is only what differs from the notebooks, on purpose:

* where the book indexes with a Python ``range(n)`` (the cross-entropy's forward pass and the
  combined backward pass), so does this baseline: it is the book's own slow spot on large
  batches (benchmarks/README.md), which the notebooks' ``np.arange`` and one-hot spelling avoid;
* ``Loss`` joins chapter 9's ``calculate`` and chapter 14's ``regularization_loss``, which the
  notebooks write in separate cells, and the combined class uses that loss, so that the
  chapter 14 model can add its penalty the book's way.

Randomness follows the project's contract: ``rng=`` takes a ``Generator`` or a ``RandomState``
and only ``standard_normal`` is drawn from, so one ``RandomState(0)`` replays the book's stream.
"""

from __future__ import annotations

import numpy as np

from autograder.solutions import solutions
from nnfs_core.datasets import spiral_data

_ch09 = solutions("ch09")
_ch10 = solutions("ch10")
_ch14 = solutions("ch14")

Layer_Dense = _ch14.Layer_Dense  # with the four regularizers and rng=
Activation_ReLU = _ch09.Activation_ReLU
Activation_Softmax = _ch09.Activation_Softmax  # the per-sample Jacobian backward
Optimizer_Adam = _ch10.Optimizer_Adam


class Loss(_ch14.Loss, _ch09.Loss):
    """Chapter 9's ``calculate`` and chapter 14's ``regularization_loss`` in one class."""


class Loss_CategoricalCrossentropy(_ch09.Loss_CategoricalCrossentropy, Loss):
    def forward(self, y_pred, y_true):
        if len(y_true.shape) != 1:
            return super().forward(y_pred, y_true)
        # The book's indexing: NumPy turns the range into an index array element by element.
        y_pred_clipped = np.clip(y_pred, 1e-7, 1 - 1e-7)
        return -np.log(y_pred_clipped[range(len(y_pred)), y_true])


class Activation_Softmax_Loss_CategoricalCrossentropy(
    _ch09.Activation_Softmax_Loss_CategoricalCrossentropy
):
    def __init__(self):
        self.activation = Activation_Softmax()
        self.loss = Loss_CategoricalCrossentropy()

    def backward(self, dvalues, y_true):
        samples = len(dvalues)
        if len(y_true.shape) == 2:
            y_true = np.argmax(y_true, axis=1)
        # The book's shortcut, with its range indexing.
        self.dinputs = dvalues.copy()
        self.dinputs[range(samples), y_true] -= 1
        self.dinputs = self.dinputs / samples


__all__ = [
    "Activation_ReLU",
    "Activation_Softmax",
    "Activation_Softmax_Loss_CategoricalCrossentropy",
    "Layer_Dense",
    "Loss",
    "Loss_CategoricalCrossentropy",
    "Optimizer_Adam",
    "spiral_data",
]
