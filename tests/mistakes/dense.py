"""Learner-side code for ``autograder/checks/dense.py`` (chapters 9 and 14).

Its checks: the dense layer: forward, backward, and the backward with L1/L2 penalties. The
correct versions are the chapter notebooks' own solutions (:mod:`mistakes.book`). Each wrong
class is a small change to them, for one catalogued mistake, and carries ``mistake`` (the
catalogue id the judge must name) and ``check`` (the check that must fail); ``WRONG`` collects
them.
"""

from __future__ import annotations

import numpy as np

from . import book, wrong_classes

#: check name -> (chapter marker, the correct learner classes)
CHECKS = {
    "dense_backward": ("ch09", (book.Layer_Dense,)),
    "dense_forward": ("ch09", (book.Layer_Dense,)),
    "dense_regularization": ("ch14", (book.Layer_Dense,)),
}


class DenseWeightsTransposed(book.Layer_Dense_ch09):
    mistake, check = "dense_weights_transposed", "dense_forward"

    def __init__(self, n_inputs, n_neurons):
        self.weights = 0.01 * np.random.randn(n_neurons, n_inputs)
        self.biases = np.zeros((1, n_neurons))

    def forward(self, inputs):
        self.inputs = inputs
        self.output = np.dot(inputs, self.weights.T) + self.biases


class DenseForwardTransposedWeights(book.Layer_Dense_ch09):
    mistake, check = "dense_forward_transposed_weights", "dense_forward"

    def forward(self, inputs):
        self.inputs = inputs
        self.output = np.dot(inputs, self.weights.T) + self.biases


class DenseOutputTransposed(book.Layer_Dense_ch09):
    mistake, check = "dense_output_transposed", "dense_forward"

    def forward(self, inputs):
        self.inputs = inputs
        self.output = np.dot(self.weights.T, inputs.T) + self.biases.T


class DenseMissingBiases(book.Layer_Dense_ch09):
    mistake, check = "dense_forward_missing_biases", "dense_forward"

    def forward(self, inputs):
        self.inputs = inputs
        self.output = np.dot(inputs, self.weights)


class DenseOutputMisspelt(book.Layer_Dense_ch09):
    """The output stored as self.outputs: the next layer reads self.output."""

    mistake, check = "result_never_stored", "dense_forward"

    def forward(self, inputs):
        self.inputs = inputs
        self.outputs = np.dot(inputs, self.weights) + self.biases


class DenseBiasesSubtracted(book.Layer_Dense_ch09):
    mistake, check = "dense_forward_bias_slip", "dense_forward"

    def forward(self, inputs):
        self.inputs = inputs
        self.output = np.dot(inputs, self.weights) - self.biases


class DenseBiasesOneDimensional(book.Layer_Dense_ch09):
    """Biases as a flat vector, np.zeros(n_neurons): the book keeps them as one row."""

    mistake, check = "dense_parameter_shape", "dense_backward"

    def __init__(self, n_inputs, n_neurons):
        self.weights = 0.01 * np.random.randn(n_inputs, n_neurons)
        self.biases = np.zeros(n_neurons)


class DenseDweightsTransposed(book.Layer_Dense_ch09):
    mistake, check = "dense_dweights_transposed", "dense_backward"

    def backward(self, dvalues):
        super().backward(dvalues)
        self.dweights = np.dot(dvalues.T, self.inputs)


class DenseDinputsUntransposed(book.Layer_Dense_ch09):
    mistake, check = "dense_dinputs_untransposed_weights", "dense_backward"

    def backward(self, dvalues):
        self.dweights = np.dot(self.inputs.T, dvalues)
        self.dbiases = np.sum(dvalues, axis=0, keepdims=True)
        self.dinputs = np.dot(dvalues, self.weights)


class DenseDbiasesNoKeepdims(book.Layer_Dense_ch09):
    mistake, check = "dense_dbiases_no_keepdims", "dense_backward"

    def backward(self, dvalues):
        super().backward(dvalues)
        self.dbiases = np.sum(dvalues, axis=0)


class DenseDbiasesWrongAxis(book.Layer_Dense_ch09):
    mistake, check = "dense_dbiases_wrong_axis", "dense_backward"

    def backward(self, dvalues):
        super().backward(dvalues)
        self.dbiases = np.sum(dvalues, axis=1, keepdims=True)


class DenseBackwardAveraged(book.Layer_Dense_ch09):
    mistake, check = "dense_backward_averaged", "dense_backward"

    def backward(self, dvalues):
        samples = len(dvalues)
        self.dweights = np.dot(self.inputs.T, dvalues) / samples
        self.dbiases = np.sum(dvalues, axis=0, keepdims=True) / samples
        self.dinputs = np.dot(dvalues, self.weights.T) / samples


class DenseL1SignZero(book.Layer_Dense):
    mistake, check = "l1_derivative_zero_at_zero", "dense_regularization"

    def backward(self, dvalues):
        self.dweights = np.dot(self.inputs.T, dvalues)
        self.dbiases = np.sum(dvalues, axis=0, keepdims=True)
        self.dweights += self.weight_regularizer_l1 * np.sign(self.weights)
        self.dweights += 2 * self.weight_regularizer_l2 * self.weights
        self.dbiases += self.bias_regularizer_l1 * np.sign(self.biases)
        self.dbiases += 2 * self.bias_regularizer_l2 * self.biases
        self.dinputs = np.dot(dvalues, self.weights.T)


class DenseL1SignZeroOnBiases(book.Layer_Dense):
    """The weights' L1 derivative is the book's; only the biases' uses np.sign."""

    mistake, check = "l1_derivative_zero_at_zero", "dense_regularization"

    def backward(self, dvalues):
        self.dweights = np.dot(self.inputs.T, dvalues)
        self.dbiases = np.sum(dvalues, axis=0, keepdims=True)
        dL1 = np.ones_like(self.weights)
        dL1[self.weights < 0] = -1
        self.dweights += self.weight_regularizer_l1 * dL1
        self.dweights += 2 * self.weight_regularizer_l2 * self.weights
        self.dbiases += self.bias_regularizer_l1 * np.sign(self.biases)
        self.dbiases += 2 * self.bias_regularizer_l2 * self.biases
        self.dinputs = np.dot(dvalues, self.weights.T)


class DenseL2NoFactor2(book.Layer_Dense):
    mistake, check = "l2_missing_factor_2", "dense_regularization"

    def backward(self, dvalues):
        super().backward(dvalues)
        self.dweights -= self.weight_regularizer_l2 * self.weights
        self.dbiases -= self.bias_regularizer_l2 * self.biases


class DenseL2NoFactor2OnBiases(book.Layer_Dense):
    """The weights' L2 gradient has its factor 2; the biases' does not."""

    mistake, check = "l2_missing_factor_2", "dense_regularization"

    def backward(self, dvalues):
        super().backward(dvalues)
        self.dbiases -= self.bias_regularizer_l2 * self.biases


class DenseRegularizedBiasesAveraged(book.Layer_Dense):
    """dbiases as a mean over the samples before the penalties: 1/n of the data part."""

    mistake, check = "data_gradient_off_by_a_factor", "dense_regularization"

    def backward(self, dvalues):
        super().backward(dvalues)
        self.dbiases = np.mean(dvalues, axis=0, keepdims=True)
        dL1 = np.ones_like(self.biases)
        dL1[self.biases < 0] = -1
        self.dbiases += self.bias_regularizer_l1 * dL1
        self.dbiases += 2 * self.bias_regularizer_l2 * self.biases


class DenseRegularizationOnInputs(book.Layer_Dense):
    mistake, check = "regularization_added_to_dinputs", "dense_regularization"

    def backward(self, dvalues):
        self.dweights = np.dot(self.inputs.T, dvalues)
        self.dbiases = np.sum(dvalues, axis=0, keepdims=True)
        self.dinputs = np.dot(dvalues, self.weights.T)
        dL1 = np.ones_like(self.inputs)
        dL1[self.inputs < 0] = -1
        self.dinputs += self.weight_regularizer_l1 * dL1
        self.dinputs += 2 * self.weight_regularizer_l2 * self.inputs


class DenseRegularizationL1SubtractedForBiases(book.Layer_Dense):
    """Everything right but the biases' L1 term, taken away instead of added."""

    mistake, check = "regularization_term_wrong", "dense_regularization"

    def backward(self, dvalues):
        super().backward(dvalues)
        dL1 = np.ones_like(self.biases)
        dL1[self.biases < 0] = -1
        self.dbiases -= 2 * self.bias_regularizer_l1 * dL1


class DenseRegularizationNoBiases(book.Layer_Dense):
    mistake, check = "regularization_missing_for_biases", "dense_regularization"

    def backward(self, dvalues):
        super().backward(dvalues)
        self.dbiases = np.sum(dvalues, axis=0, keepdims=True)


class DenseRegularizationNoWeights(book.Layer_Dense):
    mistake, check = "regularization_missing_for_weights", "dense_regularization"

    def backward(self, dvalues):
        super().backward(dvalues)
        self.dweights = np.dot(self.inputs.T, dvalues)


#: (mistake id, check name, wrong class), sorted by check.
WRONG = wrong_classes(__name__)
