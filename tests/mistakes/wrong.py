"""One wrong implementation per catalogued mistake, each a small change to the book's code.

Every class carries ``mistake`` (the catalogue id the judge must name) and ``check`` (the
check that must fail). ``WRONG`` collects them; ``tests/test_checks.py`` runs every one and
asserts that every catalogue entry has at least one, so the catalogue cannot grow untested.
"""

from __future__ import annotations

import inspect
import sys

import numpy as np

from . import book

# =============================================================================================
# Dense layer
# =============================================================================================


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


# =============================================================================================
# ReLU
# =============================================================================================


class ReLUMin(book.Activation_ReLU):
    mistake, check = "relu_forward_min", "relu_forward"

    def forward(self, inputs, training):
        self.inputs = inputs
        self.output = np.minimum(0, inputs)


class ReLUReturnsOutput(book.Activation_ReLU):
    mistake, check = "result_returned_not_stored", "relu_forward"

    def forward(self, inputs, training):
        self.inputs = inputs
        return np.maximum(0, inputs)


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


# =============================================================================================
# Softmax
# =============================================================================================


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


# =============================================================================================
# Categorical cross-entropy and the combined class
# =============================================================================================


class CCENoClip(book.Loss_CategoricalCrossentropy):
    mistake, check = "log_without_clipping", "cce_forward"

    def forward(self, y_pred, y_true):
        samples = len(y_pred)
        if len(y_true.shape) == 1:
            correct_confidences = y_pred[range(samples), y_true]
        else:
            correct_confidences = np.sum(y_pred * y_true, axis=1)
        return -np.log(correct_confidences)


class CCEClipLowOnly(book.Loss_CategoricalCrossentropy):
    mistake, check = "clip_one_side", "cce_forward"

    def forward(self, y_pred, y_true):
        samples = len(y_pred)
        y_pred_clipped = np.clip(y_pred, 1e-7, None)
        if len(y_true.shape) == 1:
            correct_confidences = y_pred_clipped[range(samples), y_true]
        else:
            correct_confidences = np.sum(y_pred_clipped * y_true, axis=1)
        return -np.log(correct_confidences)


class CCEOneHotWrongAxis(book.Loss_CategoricalCrossentropy):
    mistake, check = "cce_onehot_wrong_axis", "cce_forward"

    def forward(self, y_pred, y_true):
        samples = len(y_pred)
        y_pred_clipped = np.clip(y_pred, 1e-7, 1 - 1e-7)
        if len(y_true.shape) == 1:
            correct_confidences = y_pred_clipped[range(samples), y_true]
        else:
            correct_confidences = np.sum(y_pred_clipped * y_true, axis=0)
        return -np.log(correct_confidences)


class CCESparseOnly(book.Loss_CategoricalCrossentropy):
    mistake, check = "onehot_labels_not_handled", "cce_forward"

    def forward(self, y_pred, y_true):
        samples = len(y_pred)
        y_pred_clipped = np.clip(y_pred, 1e-7, 1 - 1e-7)
        return -np.log(y_pred_clipped[range(samples), y_true])


class CCESumNotMean(book.Loss_CategoricalCrossentropy):
    mistake, check = "loss_summed_not_averaged", "cce_forward"

    def calculate(self, output, y):
        return np.sum(self.forward(output, y))


class CCEBackwardNotAveraged(book.Loss_CategoricalCrossentropy):
    mistake, check = "gradient_not_averaged", "cce_backward"

    def backward(self, dvalues, y_true):
        labels = len(dvalues[0])
        if len(y_true.shape) == 1:
            y_true = np.eye(labels)[y_true]
        self.dinputs = -y_true / dvalues


class CCEBackwardSign(book.Loss_CategoricalCrossentropy):
    mistake, check = "gradient_sign_flipped", "cce_backward"

    def backward(self, dvalues, y_true):
        samples = len(dvalues)
        labels = len(dvalues[0])
        if len(y_true.shape) == 1:
            y_true = np.eye(labels)[y_true]
        self.dinputs = y_true / dvalues / samples


class CombinedMutatesDvalues(book.Activation_Softmax_Loss_CategoricalCrossentropy):
    mistake, check = "softmax_cce_backward_mutates_dvalues", "softmax_cce_backward"

    def backward(self, dvalues, y_true):
        samples = len(dvalues)
        if len(y_true.shape) == 2:
            y_true = np.argmax(y_true, axis=1)
        self.dinputs = dvalues
        self.dinputs[range(samples), y_true] -= 1
        self.dinputs = self.dinputs / samples


class CombinedMissingSubtract(book.Activation_Softmax_Loss_CategoricalCrossentropy):
    mistake, check = "softmax_cce_missing_subtract", "softmax_cce_backward"

    def backward(self, dvalues, y_true):
        self.dinputs = dvalues.copy() / len(dvalues)


# =============================================================================================
# Sigmoid, binary cross-entropy, regression losses
# =============================================================================================


class SigmoidWrongSign(book.Activation_Sigmoid):
    mistake, check = "sigmoid_forward_wrong_sign", "sigmoid_forward"

    def forward(self, inputs, training):
        self.inputs = inputs
        self.output = 1 / (1 + np.exp(inputs))


class SigmoidDerivativeFromInput(book.Activation_Sigmoid):
    mistake, check = "sigmoid_derivative_uses_input", "sigmoid_backward"

    def backward(self, dvalues):
        self.dinputs = dvalues * (1 - self.inputs) * self.inputs


class BCENoClip(book.Loss_BinaryCrossentropy):
    mistake, check = "log_without_clipping", "bce_forward"

    def forward(self, y_pred, y_true):
        sample_losses = -(y_true * np.log(y_pred) + (1 - y_true) * np.log(1 - y_pred))
        return np.mean(sample_losses, axis=-1)


class BCEClipLowOnly(book.Loss_BinaryCrossentropy):
    mistake, check = "clip_one_side", "bce_forward"

    def forward(self, y_pred, y_true):
        y_pred_clipped = np.maximum(y_pred, 1e-7)
        sample_losses = -(
            y_true * np.log(y_pred_clipped) + (1 - y_true) * np.log(1 - y_pred_clipped)
        )
        return np.mean(sample_losses, axis=-1)


class BCENotDividedByOutputs(book.Loss_BinaryCrossentropy):
    mistake, check = "gradient_not_divided_by_outputs", "bce_backward"

    def backward(self, dvalues, y_true):
        samples = len(dvalues)
        clipped_dvalues = np.clip(dvalues, 1e-7, 1 - 1e-7)
        self.dinputs = -(y_true / clipped_dvalues - (1 - y_true) / (1 - clipped_dvalues))
        self.dinputs = self.dinputs / samples


class BCEBackwardNotAveraged(book.Loss_BinaryCrossentropy):
    mistake, check = "gradient_not_averaged", "bce_backward"

    def backward(self, dvalues, y_true):
        outputs = len(dvalues[0])
        clipped_dvalues = np.clip(dvalues, 1e-7, 1 - 1e-7)
        self.dinputs = -(y_true / clipped_dvalues - (1 - y_true) / (1 - clipped_dvalues)) / outputs


class MSEMeanWrongAxis(book.Loss_MeanSquaredError):
    mistake, check = "loss_mean_wrong_axis", "mse_forward"

    def forward(self, y_pred, y_true):
        return np.mean((y_true - y_pred) ** 2, axis=0)


class MSEMissingFactor2(book.Loss_MeanSquaredError):
    mistake, check = "mse_missing_factor_2", "mse_backward"

    def backward(self, dvalues, y_true):
        samples = len(dvalues)
        outputs = len(dvalues[0])
        self.dinputs = -(y_true - dvalues) / outputs / samples


class MSEBackwardSign(book.Loss_MeanSquaredError):
    mistake, check = "gradient_sign_flipped", "mse_backward"

    def backward(self, dvalues, y_true):
        samples = len(dvalues)
        outputs = len(dvalues[0])
        self.dinputs = 2 * (y_true - dvalues) / outputs / samples


class MAESignBackwards(book.Loss_MeanAbsoluteError):
    """The sign the printed book's code uses: sign(y_true - dvalues)."""

    mistake, check = "mae_sign_backwards", "mae_backward"

    def backward(self, dvalues, y_true):
        samples = len(dvalues)
        outputs = len(dvalues[0])
        self.dinputs = np.sign(y_true - dvalues) / outputs
        self.dinputs = self.dinputs / samples


class MAESumNotMean(book.Loss_MeanAbsoluteError):
    mistake, check = "loss_summed_not_averaged", "mae_forward"

    def calculate(self, output, y):
        return np.sum(self.forward(output, y))


# =============================================================================================
# Optimizers
# =============================================================================================


def _decayed(optimizer):
    return optimizer.learning_rate * (1.0 / (1.0 + optimizer.decay * optimizer.iterations))


class SGDUphill(book.Optimizer_SGD):
    mistake, check = "optimizer_moves_uphill", "sgd"

    def update_params(self, layer):
        layer.weights += self.current_learning_rate * layer.dweights
        layer.biases += self.current_learning_rate * layer.dbiases


class AdamUphill(book.Optimizer_Adam):
    mistake, check = "optimizer_moves_uphill", "adam"

    def update_params(self, layer):
        weights, biases = layer.weights.copy(), layer.biases.copy()
        super().update_params(layer)
        layer.weights = 2 * weights - layer.weights
        layer.biases = 2 * biases - layer.biases


class SGDDecayInPost(book.Optimizer_SGD):
    mistake, check = "decay_after_step", "sgd_decay"

    def pre_update_params(self):
        pass

    def post_update_params(self):
        self.iterations += 1
        if self.decay:
            self.current_learning_rate = _decayed(self)


class SGDIterationsEarly(book.Optimizer_SGD):
    mistake, check = "iterations_incremented_early", "sgd_decay"

    def pre_update_params(self):
        self.iterations += 1
        super().pre_update_params()

    def post_update_params(self):
        pass


class AdagradIterationsPerLayer(book.Optimizer_Adagrad):
    mistake, check = "iterations_counted_per_layer", "adagrad"

    def update_params(self, layer):
        super().update_params(layer)
        self.iterations += 1

    def post_update_params(self):
        pass


class SGDDecayPrecedence(book.Optimizer_SGD):
    mistake, check = "decay_precedence", "sgd_decay"

    def pre_update_params(self):
        if self.decay:
            self.current_learning_rate = self.learning_rate * (
                1.0 / 1.0 + self.decay * self.iterations
            )


class SGDDecayPrecedenceDivision(book.Optimizer_SGD):
    """The same slip in the notebooks' form of the schedule, learning_rate / (1 + decay * t)."""

    mistake, check = "decay_precedence", "sgd_decay"

    def pre_update_params(self):
        if self.decay:
            self.current_learning_rate = self.learning_rate / 1.0 + self.decay * self.iterations


class RMSpropDecayCompounding(book.Optimizer_RMSprop):
    mistake, check = "decay_compounding", "rmsprop"

    def pre_update_params(self):
        if self.decay:
            self.current_learning_rate = self.current_learning_rate * (
                1.0 / (1.0 + self.decay * self.iterations)
            )


class SGDMomentumNotStored(book.Optimizer_SGD):
    mistake, check = "momentum_not_stored", "sgd_momentum"

    def update_params(self, layer):
        if not hasattr(layer, "weight_momentums"):
            layer.weight_momentums = np.zeros_like(layer.weights)
            layer.bias_momentums = np.zeros_like(layer.biases)
        weight_updates = (
            self.momentum * layer.weight_momentums - self.current_learning_rate * layer.dweights
        )
        bias_updates = (
            self.momentum * layer.bias_momentums - self.current_learning_rate * layer.dbiases
        )
        layer.weights += weight_updates
        layer.biases += bias_updates


class SGDMomentumSign(book.Optimizer_SGD):
    mistake, check = "momentum_sign", "sgd_momentum"

    def update_params(self, layer):
        if not hasattr(layer, "weight_momentums"):
            layer.weight_momentums = np.zeros_like(layer.weights)
            layer.bias_momentums = np.zeros_like(layer.biases)
        layer.weight_momentums = (
            -self.momentum * layer.weight_momentums - self.current_learning_rate * layer.dweights
        )
        layer.bias_momentums = (
            -self.momentum * layer.bias_momentums - self.current_learning_rate * layer.dbiases
        )
        layer.weights += layer.weight_momentums
        layer.biases += layer.bias_momentums


class AdagradCacheReplaced(book.Optimizer_Adagrad):
    mistake, check = "adagrad_cache_replaced", "adagrad"

    def update_params(self, layer):
        layer.weight_cache = layer.dweights**2
        layer.bias_cache = layer.dbiases**2
        layer.weights += (
            -self.current_learning_rate
            * layer.dweights
            / (np.sqrt(layer.weight_cache) + self.epsilon)
        )
        layer.biases += (
            -self.current_learning_rate * layer.dbiases / (np.sqrt(layer.bias_cache) + self.epsilon)
        )


class RMSpropRhoSwapped(book.Optimizer_RMSprop):
    mistake, check = "rmsprop_rho_swapped", "rmsprop"

    def update_params(self, layer):
        if not hasattr(layer, "weight_cache"):
            layer.weight_cache = np.zeros_like(layer.weights)
            layer.bias_cache = np.zeros_like(layer.biases)
        layer.weight_cache = (1 - self.rho) * layer.weight_cache + self.rho * layer.dweights**2
        layer.bias_cache = (1 - self.rho) * layer.bias_cache + self.rho * layer.dbiases**2
        layer.weights += (
            -self.current_learning_rate
            * layer.dweights
            / (np.sqrt(layer.weight_cache) + self.epsilon)
        )
        layer.biases += (
            -self.current_learning_rate * layer.dbiases / (np.sqrt(layer.bias_cache) + self.epsilon)
        )


class AdamEpsilonInsideSqrt(book.Optimizer_Adam):
    mistake, check = "epsilon_inside_sqrt", "adam"

    def update_params(self, layer):
        if not hasattr(layer, "weight_cache"):
            layer.weight_momentums = np.zeros_like(layer.weights)
            layer.weight_cache = np.zeros_like(layer.weights)
            layer.bias_momentums = np.zeros_like(layer.biases)
            layer.bias_cache = np.zeros_like(layer.biases)
        step = self.iterations + 1
        for name in ("weight", "bias"):
            gradient = getattr(layer, "dweights" if name == "weight" else "dbiases")
            momentums = (
                self.beta_1 * getattr(layer, f"{name}_momentums") + (1 - self.beta_1) * gradient
            )
            cache = self.beta_2 * getattr(layer, f"{name}_cache") + (1 - self.beta_2) * gradient**2
            setattr(layer, f"{name}_momentums", momentums)
            setattr(layer, f"{name}_cache", cache)
            corrected = momentums / (1 - self.beta_1**step)
            cache_corrected = cache / (1 - self.beta_2**step)
            change = (
                -self.current_learning_rate * corrected / np.sqrt(cache_corrected + self.epsilon)
            )
            if name == "weight":
                layer.weights += change
            else:
                layer.biases += change


class AdagradEpsilonInsideSqrt(book.Optimizer_Adagrad):
    mistake, check = "epsilon_inside_sqrt", "adagrad"

    def update_params(self, layer):
        if not hasattr(layer, "weight_cache"):
            layer.weight_cache = np.zeros_like(layer.weights)
            layer.bias_cache = np.zeros_like(layer.biases)
        layer.weight_cache += layer.dweights**2
        layer.bias_cache += layer.dbiases**2
        layer.weights += (
            -self.current_learning_rate
            * layer.dweights
            / np.sqrt(layer.weight_cache + self.epsilon)
        )
        layer.biases += (
            -self.current_learning_rate * layer.dbiases / np.sqrt(layer.bias_cache + self.epsilon)
        )


class AdamOffByOne(book.Optimizer_Adam):
    mistake, check = "adam_bias_correction_off_by_one", "adam"

    def update_params(self, layer):
        self.iterations -= 1
        try:
            super().update_params(layer)
        finally:
            self.iterations += 1


class AdamNoCorrection(book.Optimizer_Adam):
    mistake, check = "adam_no_bias_correction", "adam"

    def update_params(self, layer):
        if not hasattr(layer, "weight_cache"):
            layer.weight_momentums = np.zeros_like(layer.weights)
            layer.weight_cache = np.zeros_like(layer.weights)
            layer.bias_momentums = np.zeros_like(layer.biases)
            layer.bias_cache = np.zeros_like(layer.biases)
        layer.weight_momentums = (
            self.beta_1 * layer.weight_momentums + (1 - self.beta_1) * layer.dweights
        )
        layer.bias_momentums = (
            self.beta_1 * layer.bias_momentums + (1 - self.beta_1) * layer.dbiases
        )
        layer.weight_cache = (
            self.beta_2 * layer.weight_cache + (1 - self.beta_2) * layer.dweights**2
        )
        layer.bias_cache = self.beta_2 * layer.bias_cache + (1 - self.beta_2) * layer.dbiases**2
        layer.weights += (
            -self.current_learning_rate
            * layer.weight_momentums
            / (np.sqrt(layer.weight_cache) + self.epsilon)
        )
        layer.biases += (
            -self.current_learning_rate
            * layer.bias_momentums
            / (np.sqrt(layer.bias_cache) + self.epsilon)
        )


class RMSpropStateOnOptimizer(book.Optimizer_RMSprop):
    mistake, check = "optimizer_state_not_on_layer", "rmsprop"

    def update_params(self, layer):
        if not hasattr(self, "weight_cache"):
            self.weight_cache = np.zeros_like(layer.weights)
            self.bias_cache = np.zeros_like(layer.biases)
        self.weight_cache = self.rho * self.weight_cache + (1 - self.rho) * layer.dweights**2
        self.bias_cache = self.rho * self.bias_cache + (1 - self.rho) * layer.dbiases**2
        layer.weights += (
            -self.current_learning_rate
            * layer.dweights
            / (np.sqrt(self.weight_cache) + self.epsilon)
        )
        layer.biases += (
            -self.current_learning_rate * layer.dbiases / (np.sqrt(self.bias_cache) + self.epsilon)
        )


# =============================================================================================
# Regularization
# =============================================================================================


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


class DenseL2NoFactor2(book.Layer_Dense):
    mistake, check = "l2_missing_factor_2", "dense_regularization"

    def backward(self, dvalues):
        super().backward(dvalues)
        self.dweights -= self.weight_regularizer_l2 * self.weights
        self.dbiases -= self.bias_regularizer_l2 * self.biases


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


class PenaltyWithoutAbs(book.Loss_CategoricalCrossentropy):
    mistake, check = "penalty_l1_without_abs", "regularization_loss"

    def regularization_loss(self, layer):
        total = 0
        if layer.weight_regularizer_l1 > 0:
            total += layer.weight_regularizer_l1 * np.sum(layer.weights)
        if layer.weight_regularizer_l2 > 0:
            total += layer.weight_regularizer_l2 * np.sum(layer.weights * layer.weights)
        if layer.bias_regularizer_l1 > 0:
            total += layer.bias_regularizer_l1 * np.sum(layer.biases)
        if layer.bias_regularizer_l2 > 0:
            total += layer.bias_regularizer_l2 * np.sum(layer.biases * layer.biases)
        return total


class PenaltyNotSquared(book.Loss_CategoricalCrossentropy):
    mistake, check = "penalty_l2_not_squared", "regularization_loss"

    def regularization_loss(self, layer):
        total = 0
        for prefix, values in (("weight", layer.weights), ("bias", layer.biases)):
            total += getattr(layer, f"{prefix}_regularizer_l1") * np.sum(np.abs(values))
            total += getattr(layer, f"{prefix}_regularizer_l2") * np.sum(np.abs(values))
        return total


class PenaltyWithoutBiases(book.Loss_CategoricalCrossentropy):
    """Chapter 18's signature: the loss sums over the layers it remembers."""

    mistake, check = "penalty_missing_biases", "regularization_loss"

    def remember_trainable_layers(self, trainable_layers):
        self.trainable_layers = trainable_layers

    def regularization_loss(self):
        total = 0
        for layer in self.trainable_layers:
            total += layer.weight_regularizer_l1 * np.sum(np.abs(layer.weights))
            total += layer.weight_regularizer_l2 * np.sum(layer.weights * layer.weights)
        return total


# =============================================================================================
# Dropout
# =============================================================================================


class DropoutRateAsKeep(book.Layer_Dropout):
    mistake, check = "dropout_rate_as_keep", "dropout"

    def __init__(self, rate):
        super().__init__(rate)
        self.rate = rate  # the share to drop, then used as the share to keep


class DropoutNotRescaled(book.Layer_Dropout_ch15):
    mistake, check = "dropout_not_rescaled", "dropout"

    def forward(self, inputs):
        self.inputs = inputs
        self.binary_mask = np.random.binomial(1, self.rate, size=inputs.shape)
        self.output = inputs * self.binary_mask


class DropoutBackwardNoMask(book.Layer_Dropout):
    mistake, check = "dropout_backward_without_mask", "dropout"

    def backward(self, dvalues):
        self.dinputs = dvalues.copy()


class DropoutAtInference(book.Layer_Dropout):
    mistake, check = "dropout_active_at_inference", "dropout"

    def forward(self, inputs, training):
        self.inputs = inputs
        self.binary_mask = np.random.binomial(1, self.rate, size=inputs.shape) / self.rate
        self.output = inputs * self.binary_mask


class DropoutOtherGeneratorRateAsKeep(book.Layer_Dropout):
    """Draws its mask with np.random.random_sample, so only the structure can tell."""

    mistake, check = "dropout_rate_as_keep", "dropout"

    def __init__(self, rate):
        super().__init__(rate)
        self.rate = rate  # the share to drop, then used as the share to keep

    def forward(self, inputs, training):
        self.inputs = inputs
        if not training:
            self.output = inputs.copy()
            return
        self.binary_mask = (np.random.random_sample(inputs.shape) > 1 - self.rate) / self.rate
        self.output = inputs * self.binary_mask


# =============================================================================================
# Accuracy and the Model
# =============================================================================================


class AccuracyBinaryIgnored(book.Accuracy_Categorical):
    mistake, check = "accuracy_binary_flag_ignored", "accuracy_categorical"

    def compare(self, predictions, y):
        if len(y.shape) == 2:
            y = np.argmax(y, axis=1)
        return predictions == y


class AccuracyOneHotIgnored(book.Accuracy_Categorical):
    mistake, check = "onehot_labels_not_handled", "accuracy_categorical"

    def compare(self, predictions, y):
        if self.binary:
            return predictions == y
        return predictions == y[:, 0] if len(y.shape) == 2 else predictions == y


class RegressionPrecisionUnscaled(book.Accuracy_Regression):
    mistake, check = "regression_precision_not_scaled", "accuracy_regression"

    def init(self, y, reinit=False):
        if self.precision is None or reinit:
            self.precision = np.std(y)


class RegressionPrecisionAlwaysRecomputed(book.Accuracy_Regression):
    mistake, check = "regression_precision_reinit_ignored", "accuracy_regression"

    def init(self, y, reinit=False):
        self.precision = np.std(y) / 250


class ModelWithoutTrainingFlag(book.Model):
    mistake, check = "model_training_flag_not_passed", "model_forward_chain"

    def forward(self, X, training):
        self.input_layer.forward(X, training)
        for layer in self.layers:
            layer.forward(layer.prev.output)
        return layer.output


# =============================================================================================


def _collect() -> list[tuple[str, str, type]]:
    found = []
    for _, value in inspect.getmembers(sys.modules[__name__], inspect.isclass):
        if value.__module__ == __name__ and isinstance(getattr(value, "mistake", None), str):
            found.append((value.mistake, value.check, value))
    return sorted(found, key=lambda item: (item[1], item[0]))


#: (mistake id, check name, wrong class), sorted by check.
WRONG = _collect()
