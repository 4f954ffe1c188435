"""Correct learner code: the chapter notebooks' own solutions, read from the notebooks.

The classes here are the ones the source notebooks' solution cells define
(:mod:`autograder.solutions` runs each chapter's imports cell and solution cells), so the
checks are tested against exactly the code the course teaches, and a change to a solution
reaches these tests without a copy to keep in step. Every check must pass them;
the family modules of ``tests/mistakes`` (``dense.py``, ``losses.py``...) subclass them, one
catalogued mistake each.

Signatures are mixed, as in a learner's notebooks part-way through the book: the forwards of
chapters 9 to 17 take no ``training`` flag, those of chapters 15 and 18 require it.

What is written out here differs from the notebooks on purpose, because a check must also
accept it:

* ``Loss`` joins chapter 9's ``calculate`` and chapter 14's ``regularization_loss``, which the
  notebooks write in separate cells, and the cross-entropy builds on it;
* ``Layer_Dropout_ch15`` has no training flag (the book adds it only in chapter 18);
* ``Optimizer_SGD_ch10_first`` is the book's very first optimizer, with no decay and no
  ``pre_update_params``/``post_update_params``.
"""

from __future__ import annotations

from autograder.solutions import solutions

_ch09 = solutions("ch09")
_ch10 = solutions("ch10")
_ch14 = solutions("ch14")
_ch15 = solutions("ch15")
_ch16 = solutions("ch16")
_ch17 = solutions("ch17")
_ch18 = solutions("ch18")

# -- layers ----------------------------------------------------------------------------------
Layer_Dense = _ch14.Layer_Dense  # with the four regularizers
Layer_Dense_ch09 = _ch09.Layer_Dense
Layer_Dropout = _ch15.Layer_Dropout
Layer_Input = _ch18.Layer_Input


class Layer_Dropout_ch15(Layer_Dropout):
    """The book's chapter 15 dropout: it always drops (the training flag comes in chapter 18)."""

    def forward(self, inputs):
        super().forward(inputs, True)


# -- activations -----------------------------------------------------------------------------
Activation_ReLU = _ch09.Activation_ReLU
Activation_Softmax = _ch09.Activation_Softmax  # the per-sample Jacobian backward
Activation_Sigmoid = _ch16.Activation_Sigmoid
Activation_Linear = _ch17.Activation_Linear


# -- losses ----------------------------------------------------------------------------------
class Loss(_ch14.Loss, _ch09.Loss):
    """Chapter 9's ``calculate`` and chapter 14's ``regularization_loss`` in one class."""


class Loss_CategoricalCrossentropy(_ch09.Loss_CategoricalCrossentropy, Loss):
    pass


Activation_Softmax_Loss_CategoricalCrossentropy = (
    _ch09.Activation_Softmax_Loss_CategoricalCrossentropy
)
Loss_BinaryCrossentropy = _ch16.Loss_BinaryCrossentropy
Loss_MeanSquaredError = _ch17.Loss_MeanSquaredError
Loss_MeanAbsoluteError = _ch17.Loss_MeanAbsoluteError


# -- optimizers ------------------------------------------------------------------------------
class Optimizer_SGD_ch10_first:
    """The first optimizer of chapter 10: no decay, no momentum, no pre/post calls."""

    def __init__(self, learning_rate=1.0):
        self.learning_rate = learning_rate

    def update_params(self, layer):
        layer.weights += -self.learning_rate * layer.dweights
        layer.biases += -self.learning_rate * layer.dbiases


Optimizer_SGD = _ch10.Optimizer_SGD  # with decay and momentum
Optimizer_Adagrad = _ch10.Optimizer_Adagrad
Optimizer_RMSprop = _ch10.Optimizer_RMSprop
Optimizer_Adam = _ch10.Optimizer_Adam

# -- accuracy and the model (chapter 18) -----------------------------------------------------
Accuracy = _ch18.Accuracy
Accuracy_Categorical = _ch18.Accuracy_Categorical
Accuracy_Regression = _ch18.Accuracy_Regression
Model = _ch18.Model
