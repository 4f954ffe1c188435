"""Learner-side code for ``autograder/checks/activations.py`` (chapters 9, 16 and 17).

Its checks: ReLU, softmax, sigmoid and the linear activation. The correct versions are the
chapter notebooks' own solutions (:mod:`mistakes.book`). Each wrong class is a small change to
them, for one catalogued mistake, and carries ``mistake`` (the catalogue id the judge must name)
and ``check`` (the check that must fail); ``WRONG`` collects them.
"""

from __future__ import annotations

import numpy as np

from . import book, wrong_classes

#: check name -> (chapter marker, the correct learner classes)
CHECKS = {
    "linear_activation": ("ch17", (book.Activation_Linear,)),
    "relu_backward": ("ch09", (book.Activation_ReLU,)),
    "relu_forward": ("ch09", (book.Activation_ReLU,)),
    "sigmoid_backward": ("ch16", (book.Activation_Sigmoid,)),
    "sigmoid_forward": ("ch16", (book.Activation_Sigmoid,)),
    "softmax_backward": ("ch09", (book.Activation_Softmax,)),
    "softmax_forward": ("ch09", (book.Activation_Softmax,)),
}


class ReLUMin(book.Activation_ReLU):
    mistake, check = "relu_forward_min", "relu_forward"

    def forward(self, inputs, training):
        self.inputs = inputs
        self.output = np.minimum(0, inputs)


class ReLUIdentity(book.Activation_ReLU):
    """np.maximum forgotten: the inputs copied through."""

    mistake, check = "relu_negatives_kept", "relu_forward"

    def forward(self, inputs, training):
        self.inputs = inputs
        self.output = inputs.copy()


class ReLUReturnsOutput(book.Activation_ReLU):
    mistake, check = "result_returned_not_stored", "relu_forward"

    def forward(self, inputs, training):
        self.inputs = inputs
        return np.maximum(0, inputs)


class ReLUBackwardLocalVariable(book.Activation_ReLU):
    """The gradient assigned to a local name: the object never gets self.dinputs."""

    mistake, check = "result_never_stored", "relu_backward"

    def backward(self, dvalues):
        dinputs = np.where(self.inputs > 0, dvalues, 0.0)  # noqa: F841 - the slip itself


class ReLUMutatesDvalues(book.Activation_ReLU):
    mistake, check = "relu_backward_mutates_dvalues", "relu_backward"

    def backward(self, dvalues):
        self.dinputs = dvalues
        self.dinputs[self.inputs <= 0] = 0


class ReLUKinkAtZero(book.Activation_ReLU):
    mistake, check = "relu_backward_kink_at_zero", "relu_backward"

    def backward(self, dvalues):
        self.dinputs = dvalues.copy()
        self.dinputs[self.inputs < 0] = 0


class ReLUWrongMask(book.Activation_ReLU):
    mistake, check = "relu_backward_wrong_mask", "relu_backward"

    def backward(self, dvalues):
        self.dinputs = dvalues.copy()
        self.dinputs[dvalues <= 0] = 0


class SoftmaxOneMaxForTheBatch(book.Activation_Softmax):
    """Right in exact arithmetic, fragile in float64: one maximum for every row."""

    mistake, check = "softmax_one_max_for_the_batch", "softmax_forward"

    def forward(self, inputs):
        self.inputs = inputs
        exp_values = np.exp(inputs - np.max(inputs))
        self.output = exp_values / np.sum(exp_values, axis=1, keepdims=True)


class SoftmaxNoMax(book.Activation_Softmax):
    mistake, check = "softmax_no_max_subtraction", "softmax_forward"

    def forward(self, inputs, training=False):
        self.inputs = inputs
        exp_values = np.exp(inputs)
        self.output = exp_values / np.sum(exp_values, axis=1, keepdims=True)


class SoftmaxWrongAxis(book.Activation_Softmax):
    mistake, check = "softmax_wrong_axis", "softmax_forward"

    def forward(self, inputs, training=False):
        self.inputs = inputs
        exp_values = np.exp(inputs - np.max(inputs, axis=0, keepdims=True))
        self.output = exp_values / np.sum(exp_values, axis=0, keepdims=True)


class SoftmaxNoKeepdims(book.Activation_Softmax):
    mistake, check = "softmax_no_keepdims", "softmax_forward"

    def forward(self, inputs, training=False):
        self.inputs = inputs
        exp_values = np.exp(inputs - np.max(inputs, axis=1, keepdims=True))
        self.output = exp_values / np.sum(exp_values, axis=1)


class SoftmaxShiftsInPlace(book.Activation_Softmax):
    mistake, check = "input_modified_in_place", "softmax_forward"

    def forward(self, inputs, training=False):
        inputs -= np.max(inputs, axis=1, keepdims=True)
        self.inputs = inputs
        exp_values = np.exp(inputs)
        self.output = exp_values / np.sum(exp_values, axis=1, keepdims=True)


class SoftmaxBackwardDiagonal(book.Activation_Softmax):
    mistake, check = "softmax_backward_diagonal_only", "softmax_backward"

    def backward(self, dvalues):
        self.dinputs = self.output * (1 - self.output) * dvalues


class SigmoidWrongSign(book.Activation_Sigmoid):
    mistake, check = "sigmoid_forward_wrong_sign", "sigmoid_forward"

    def forward(self, inputs, training):
        self.inputs = inputs
        self.output = 1 / (1 + np.exp(inputs))


class SigmoidDerivativeFromInput(book.Activation_Sigmoid):
    mistake, check = "sigmoid_derivative_uses_input", "sigmoid_backward"

    def backward(self, dvalues):
        self.dinputs = dvalues * (1 - self.inputs) * self.inputs


class SigmoidForwardOnePlusMissing(book.Activation_Sigmoid):
    """1 / np.exp(-inputs): the 1 + left out of the denominator."""

    mistake, check = "sigmoid_forward_slip", "sigmoid_forward"

    def forward(self, inputs):
        self.inputs = inputs
        self.output = 1 / np.exp(-inputs)


class SigmoidBackwardForAWrongForward(book.Activation_Sigmoid):
    """A forward with exp(inputs) - 1 in the denominator; the backward is the book's."""

    mistake, check = "backward_right_for_a_wrong_forward", "sigmoid_backward"

    def forward(self, inputs):
        self.inputs = inputs
        self.output = 1 / (1 - np.exp(-inputs))


class SigmoidDerivativeWithoutOneMinus(book.Activation_Sigmoid):
    """dvalues * s * s: the 1 - left out of (1 - s)."""

    mistake, check = "sigmoid_derivative_slip", "sigmoid_backward"

    def backward(self, dvalues):
        self.dinputs = dvalues * self.output * self.output


class SoftmaxJacobianOuterAdded(book.Activation_Softmax):
    """np.diagflat(s) + s s^T: the outer product added."""

    mistake, check = "softmax_jacobian_slip", "softmax_backward"

    def backward(self, dvalues):
        self.dinputs = np.empty_like(dvalues)
        for row, (output, dvalue) in enumerate(zip(self.output, dvalues)):
            column = output.reshape(-1, 1)
            jacobian = np.diagflat(column) + column @ column.T
            self.dinputs[row] = jacobian @ dvalue


#: (mistake id, check name, wrong class), sorted by check.
class SoftmaxNotNormalised(book.Activation_Softmax):
    """The exponentials stored without dividing by their row's sum."""

    mistake, check = "softmax_formula_slip", "softmax_forward"

    def forward(self, inputs, training):
        self.inputs = inputs
        self.output = np.exp(inputs - np.max(inputs, axis=1, keepdims=True))


class SoftmaxBackwardOfABatchNormalisedForward(book.Activation_Softmax):
    """Divided by the whole batch's sum; the book's backward then follows that output."""

    mistake, check = "softmax_formula_slip", "softmax_backward"

    def forward(self, inputs, training):
        self.inputs = inputs
        exp_values = np.exp(inputs - np.max(inputs, axis=1, keepdims=True))
        self.output = exp_values / np.sum(exp_values)


WRONG = wrong_classes(__name__)
