"""A baseline written the way a learner has it after the book's chapters 9, 10 and 14.

Plain classes, book names, book structure, no tricks: this is what nnfs_core is timed
against. Two ways to get from the logits back to the gradient are kept side by side:

* the book's final code, ``Activation_Softmax_Loss_CategoricalCrossentropy``, whose backward
  pass is the shortcut ``(softmax - one_hot) / n``;
* the chapter 9 route, ``Activation_Softmax`` followed by ``Loss_CategoricalCrossentropy``, where
  the cross-entropy hands ``-y / p / n`` to the softmax and the softmax applies its Jacobian
  ``diagflat(s) - s @ s.T`` one sample at a time in a Python loop.

Randomness follows the project's contract: ``rng=`` takes a ``Generator`` or a ``RandomState``
and only ``standard_normal`` is drawn from, so one ``RandomState(0)`` replays the book's stream.
"""

from __future__ import annotations

import numpy as np


def _rng(rng):
    # None means NumPy's global legacy generator, as in the book's np.random.randn calls.
    return np.random.mtrand._rand if rng is None else rng


def spiral_data(samples, classes, *, rng=None):
    """The nnfs spiral: ``samples`` points per class, class k sweeping angles 4k..4(k+1)."""
    rng = _rng(rng)
    X = np.zeros((samples * classes, 2))
    y = np.zeros(samples * classes, dtype=np.uint8)
    for k in range(classes):
        rows = slice(samples * k, samples * (k + 1))
        radius = np.linspace(0.0, 1.0, samples)
        angle = np.linspace(k * 4.0, (k + 1) * 4.0, samples) + rng.standard_normal(samples) * 0.2
        X[rows] = np.c_[radius * np.sin(angle * 2.5), radius * np.cos(angle * 2.5)]
        y[rows] = k
    return X, y


class Layer_Dense:
    def __init__(
        self,
        n_inputs,
        n_neurons,
        weight_regularizer_l1=0,
        weight_regularizer_l2=0,
        bias_regularizer_l1=0,
        bias_regularizer_l2=0,
        *,
        rng=None,
    ):
        # Small weights keep the first activations in ReLU's and softmax's useful range.
        self.weights = 0.01 * _rng(rng).standard_normal((n_inputs, n_neurons))
        self.biases = np.zeros((1, n_neurons))
        self.weight_regularizer_l1 = weight_regularizer_l1
        self.weight_regularizer_l2 = weight_regularizer_l2
        self.bias_regularizer_l1 = bias_regularizer_l1
        self.bias_regularizer_l2 = bias_regularizer_l2

    def forward(self, inputs):
        self.inputs = inputs
        self.output = np.dot(inputs, self.weights) + self.biases

    def backward(self, dvalues):
        self.dweights = np.dot(self.inputs.T, dvalues)
        self.dbiases = np.sum(dvalues, axis=0, keepdims=True)

        # The penalties' gradients join the data gradient here, where the parameters live.
        if self.weight_regularizer_l1 > 0:
            sign = np.ones_like(self.weights)
            sign[self.weights < 0] = -1
            self.dweights += self.weight_regularizer_l1 * sign
        if self.weight_regularizer_l2 > 0:
            self.dweights += 2 * self.weight_regularizer_l2 * self.weights
        if self.bias_regularizer_l1 > 0:
            sign = np.ones_like(self.biases)
            sign[self.biases < 0] = -1
            self.dbiases += self.bias_regularizer_l1 * sign
        if self.bias_regularizer_l2 > 0:
            self.dbiases += 2 * self.bias_regularizer_l2 * self.biases

        self.dinputs = np.dot(dvalues, self.weights.T)


class Activation_ReLU:
    def forward(self, inputs):
        self.inputs = inputs
        self.output = np.maximum(0, inputs)

    def backward(self, dvalues):
        # Copy first: dvalues belongs to the layer above and must not change under it.
        self.dinputs = dvalues.copy()
        self.dinputs[self.inputs <= 0] = 0


class Activation_Softmax:
    def forward(self, inputs):
        self.inputs = inputs
        # Subtracting each row's maximum leaves softmax unchanged and keeps exp() from overflowing.
        exp_values = np.exp(inputs - np.max(inputs, axis=1, keepdims=True))
        self.output = exp_values / np.sum(exp_values, axis=1, keepdims=True)

    def backward(self, dvalues):
        self.dinputs = np.empty_like(dvalues)
        for i, (s, d) in enumerate(zip(self.output, dvalues)):
            s = s.reshape(-1, 1)
            jacobian = np.diagflat(s) - np.dot(s, s.T)
            self.dinputs[i] = np.dot(jacobian, d)


class Loss:
    def regularization_loss(self, layer):
        penalty = 0
        if layer.weight_regularizer_l1 > 0:
            penalty += layer.weight_regularizer_l1 * np.sum(np.abs(layer.weights))
        if layer.weight_regularizer_l2 > 0:
            penalty += layer.weight_regularizer_l2 * np.sum(layer.weights * layer.weights)
        if layer.bias_regularizer_l1 > 0:
            penalty += layer.bias_regularizer_l1 * np.sum(np.abs(layer.biases))
        if layer.bias_regularizer_l2 > 0:
            penalty += layer.bias_regularizer_l2 * np.sum(layer.biases * layer.biases)
        return penalty

    def calculate(self, output, y):
        return np.mean(self.forward(output, y))


class Loss_CategoricalCrossentropy(Loss):
    def forward(self, y_pred, y_true):
        n = len(y_pred)
        # Clip on both sides: log(0) is -inf, and clipping only the bottom would bias the mean.
        y_pred = np.clip(y_pred, 1e-7, 1 - 1e-7)
        if len(y_true.shape) == 1:
            confidences = y_pred[range(n), y_true]
        else:
            confidences = np.sum(y_pred * y_true, axis=1)
        return -np.log(confidences)

    def backward(self, dvalues, y_true):
        n, labels = dvalues.shape
        if len(y_true.shape) == 1:
            y_true = np.eye(labels)[y_true]
        # Dividing by n keeps the gradient's size independent of the batch size.
        self.dinputs = -y_true / dvalues / n


class Activation_Softmax_Loss_CategoricalCrossentropy:
    def __init__(self):
        self.activation = Activation_Softmax()
        self.loss = Loss_CategoricalCrossentropy()

    def forward(self, inputs, y_true):
        self.activation.forward(inputs)
        self.output = self.activation.output
        return self.loss.calculate(self.output, y_true)

    def backward(self, dvalues, y_true):
        n = len(dvalues)
        if len(y_true.shape) == 2:
            y_true = np.argmax(y_true, axis=1)
        self.dinputs = dvalues.copy()
        self.dinputs[range(n), y_true] -= 1
        self.dinputs = self.dinputs / n


class Optimizer_Adam:
    def __init__(self, learning_rate=0.001, decay=0.0, epsilon=1e-7, beta_1=0.9, beta_2=0.999):
        self.learning_rate = learning_rate
        self.current_learning_rate = learning_rate
        self.decay = decay
        self.iterations = 0
        self.epsilon = epsilon
        self.beta_1 = beta_1
        self.beta_2 = beta_2

    def pre_update_params(self):
        if self.decay:
            self.current_learning_rate = self.learning_rate / (1.0 + self.decay * self.iterations)

    def update_params(self, layer):
        if not hasattr(layer, "weight_cache"):
            layer.weight_momentums = np.zeros_like(layer.weights)
            layer.weight_cache = np.zeros_like(layer.weights)
            layer.bias_momentums = np.zeros_like(layer.biases)
            layer.bias_cache = np.zeros_like(layer.biases)

        b1, b2 = self.beta_1, self.beta_2
        layer.weight_momentums = b1 * layer.weight_momentums + (1 - b1) * layer.dweights
        layer.bias_momentums = b1 * layer.bias_momentums + (1 - b1) * layer.dbiases
        layer.weight_cache = b2 * layer.weight_cache + (1 - b2) * layer.dweights**2
        layer.bias_cache = b2 * layer.bias_cache + (1 - b2) * layer.dbiases**2

        # Both moments start at zero; dividing by 1 - beta**step undoes that pull towards zero.
        step = self.iterations + 1
        weight_momentums_corrected = layer.weight_momentums / (1 - b1**step)
        bias_momentums_corrected = layer.bias_momentums / (1 - b1**step)
        weight_cache_corrected = layer.weight_cache / (1 - b2**step)
        bias_cache_corrected = layer.bias_cache / (1 - b2**step)

        layer.weights += (
            -self.current_learning_rate
            * weight_momentums_corrected
            / (np.sqrt(weight_cache_corrected) + self.epsilon)
        )
        layer.biases += (
            -self.current_learning_rate
            * bias_momentums_corrected
            / (np.sqrt(bias_cache_corrected) + self.epsilon)
        )

    def post_update_params(self):
        self.iterations += 1
