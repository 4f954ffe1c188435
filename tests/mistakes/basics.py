"""Learner-side code for the checks of chapters 1 to 4 (``autograder/checks/basics.py``).

Two correct versions of each class, written the two ways learners write them: ``book``
style (the book's chapter 2 loops and plain Python, then ``np.dot`` and ``np.random.randn``
as the book introduces them) and ``numpy`` style (vectorised, ``@``, a ``default_rng``). Then
one wrong class per catalogued mistake, each carrying ``mistake`` (the catalogue id the
judge must name) and ``check`` (the check that must fail). ``WRONG`` collects them, and
``CHECKS`` lists the family's checks with their chapter and correct classes.
"""

from __future__ import annotations

import inspect
import sys

import numpy as np

import nnfs_core.book as reference

# =============================================================================================
# Correct, book style
# =============================================================================================


class WeightedSum:
    def __init__(self, weights):
        self.weights = weights

    def forward(self, inputs):
        total = 0
        for i in range(len(inputs)):
            total += inputs[i] * self.weights[i]
        self.output = total


class Neuron:
    def __init__(self, weights, bias):
        self.weights = weights
        self.bias = bias

    def forward(self, inputs):
        self.output = np.dot(self.weights, inputs) + self.bias


class Layer:
    """Chapter 2: one row of weights per neuron; one sample at a time."""

    def __init__(self, weights, biases):
        self.weights = weights
        self.biases = biases

    def forward(self, inputs):
        outputs = []
        for neuron_weights, neuron_bias in zip(self.weights, self.biases):
            output = 0
            for n_input, weight in zip(inputs, neuron_weights):
                output += n_input * weight
            outputs.append(output + neuron_bias)
        self.output = outputs


class Layer_Batch(Layer):
    """Chapter 3: the same layer on a batch, one sample per row."""

    def forward(self, inputs):
        self.output = np.dot(inputs, np.array(self.weights).T) + self.biases


class Layer_Dense:
    def __init__(self, n_inputs, n_neurons):
        self.weights = 0.01 * np.random.randn(n_inputs, n_neurons)
        self.biases = np.zeros((1, n_neurons))

    def forward(self, inputs):
        self.output = np.dot(inputs, self.weights) + self.biases


class Activation_Step:
    def forward(self, inputs):
        output = []
        for row in inputs:
            output.append([1 if value > 0 else 0 for value in row])
        self.output = output


class Activation_Linear:
    def forward(self, inputs):
        self.output = inputs


# =============================================================================================
# Correct, NumPy style
# =============================================================================================


class WeightedSum_NumPy:
    def __init__(self, weights):
        self.weights = np.array(weights)

    def forward(self, inputs):
        self.output = float(np.array(inputs) @ self.weights)


class Neuron_NumPy:
    def __init__(self, weights, bias):
        self.weights = np.asarray(weights)
        self.bias = bias

    def forward(self, inputs):
        self.output = np.sum(self.weights * inputs) + self.bias
        return self.output


class Layer_NumPy:
    def __init__(self, weights, biases):
        self.weights = np.asarray(weights)
        self.biases = np.asarray(biases)

    def forward(self, inputs):
        # Works for one sample (a vector) and for a batch (a row per sample).
        self.output = inputs @ self.weights.T + self.biases
        return self.output


class Layer_Dense_Generator:
    """Draws with a Generator, not the global RandomState: checked on structure."""

    rng = np.random.default_rng(12345)

    def __init__(self, n_inputs, n_neurons):
        self.weights = 0.01 * self.rng.standard_normal((n_inputs, n_neurons))
        self.biases = np.zeros((1, n_neurons))


class Activation_Step_NumPy:
    def forward(self, inputs):
        self.output = (inputs > 0).astype(int)


class Activation_Step_Boolean:
    def forward(self, inputs):
        self.output = inputs > 0


class Activation_Linear_NumPy:
    def forward(self, inputs):
        self.output = np.array(inputs, copy=True)


#: check name → (chapter marker, correct classes)
CHECKS: dict[str, tuple[str, tuple[type, ...]]] = {
    "weighted_sum": ("ch01", (WeightedSum, WeightedSum_NumPy)),
    "neuron_output": ("ch02", (Neuron, Neuron_NumPy)),
    "layer_output": ("ch02", (Layer, Layer_NumPy)),
    "layer_batch": ("ch03", (Layer_Batch, Layer_NumPy)),
    "dense_init": ("ch03", (Layer_Dense, reference.Layer_Dense, Layer_Dense_Generator)),
    "step_activation": ("ch04", (Activation_Step, Activation_Step_NumPy, Activation_Step_Boolean)),
    "linear_forward": (
        "ch04",
        (Activation_Linear, Activation_Linear_NumPy, reference.Activation_Linear),
    ),
}


# =============================================================================================
# One wrong class per catalogued mistake
# =============================================================================================


class WeightedSumProducts(WeightedSum):
    mistake, check = "products_not_summed", "weighted_sum"

    def forward(self, inputs):
        self.output = [x * w for x, w in zip(inputs, self.weights)]


class WeightedSumLastLeftOut(WeightedSum):
    mistake, check = "input_left_out", "weighted_sum"

    def forward(self, inputs):
        total = 0
        for i in range(len(inputs) - 1):
            total += inputs[i] * self.weights[i]
        self.output = total


class WeightedSumReturned(WeightedSum):
    mistake, check = "result_returned_not_stored", "weighted_sum"

    def forward(self, inputs):
        return sum(x * w for x, w in zip(inputs, self.weights))


class NeuronProducts(Neuron):
    mistake, check = "products_not_summed", "neuron_output"

    def forward(self, inputs):
        self.output = inputs * self.weights + self.bias


class NeuronFirstLeftOut(Neuron):
    mistake, check = "input_left_out", "neuron_output"

    def forward(self, inputs):
        output = self.bias
        for i in range(1, len(inputs)):
            output += inputs[i] * self.weights[i]
        self.output = output


class NeuronBiasInLoop(Neuron):
    mistake, check = "bias_added_per_input", "neuron_output"

    def forward(self, inputs):
        output = 0
        for x, w in zip(inputs, self.weights):
            output += x * w + self.bias
        self.output = output


class NeuronNoBias(Neuron):
    mistake, check = "bias_forgotten", "neuron_output"

    def forward(self, inputs):
        self.output = np.dot(self.weights, inputs)


class NeuronChangesInputs(Neuron):
    mistake, check = "input_modified_in_place", "neuron_output"

    def forward(self, inputs):
        inputs *= self.weights
        self.output = np.sum(inputs) + self.bias


class LayerNoBias(Layer):
    mistake, check = "bias_forgotten", "layer_output"

    def forward(self, inputs):
        self.output = np.dot(self.weights, inputs)


class LayerSwapped(Layer):
    mistake, check = "layer_inputs_weights_swapped", "layer_output"

    def forward(self, inputs):
        self.output = np.dot(inputs, self.weights) + self.biases


class LayerBatchNoBias(Layer):
    mistake, check = "bias_forgotten", "layer_batch"

    def forward(self, inputs):
        self.output = np.dot(inputs, self.weights.T)


class LayerBatchNotTransposed(Layer):
    mistake, check = "batch_weights_not_transposed", "layer_batch"

    def forward(self, inputs):
        self.output = np.dot(inputs, self.weights) + self.biases


class LayerBatchOneSampleFormula(Layer):
    mistake, check = "batch_single_sample_formula", "layer_batch"

    def forward(self, inputs):
        self.output = np.dot(self.weights, inputs) + self.biases


class LayerBatchOutputTransposed(Layer):
    mistake, check = "batch_output_transposed", "layer_batch"

    def forward(self, inputs):
        self.output = np.dot(self.weights, inputs.T) + self.biases.reshape(-1, 1)


class LayerBatchChangesInputs(Layer):
    mistake, check = "input_modified_in_place", "layer_batch"

    def forward(self, inputs):
        self.output = np.dot(inputs, self.weights.T) + self.biases
        inputs -= inputs.mean()  # "centres" the caller's batch


class DenseInitZero(Layer_Dense):
    mistake, check = "dense_init_zero_weights", "dense_init"

    def __init__(self, n_inputs, n_neurons):
        self.weights = np.zeros((n_inputs, n_neurons))
        self.biases = np.zeros((1, n_neurons))


class DenseInitUniform(Layer_Dense):
    mistake, check = "dense_init_uniform", "dense_init"

    def __init__(self, n_inputs, n_neurons):
        self.weights = 0.01 * np.random.rand(n_inputs, n_neurons)
        self.biases = np.zeros((1, n_neurons))


class DenseInitReseeded(Layer_Dense):
    mistake, check = "dense_init_reseeded", "dense_init"

    def __init__(self, n_inputs, n_neurons):
        np.random.seed(0)
        self.weights = 0.01 * np.random.randn(n_inputs, n_neurons)
        self.biases = np.zeros((1, n_neurons))


class DenseInitUnscaled(Layer_Dense):
    mistake, check = "dense_init_scale", "dense_init"

    def __init__(self, n_inputs, n_neurons):
        self.weights = np.random.randn(n_inputs, n_neurons)
        self.biases = np.zeros((1, n_neurons))


class DenseInitTenthScale(Layer_Dense):
    mistake, check = "dense_init_scale", "dense_init"

    def __init__(self, n_inputs, n_neurons):
        self.weights = 0.1 * np.random.randn(n_inputs, n_neurons)
        self.biases = np.zeros((1, n_neurons))


class DenseInitGeneratorUnscaled(Layer_Dense_Generator):
    """Drawn another way and unscaled: named from the spread alone."""

    mistake, check = "dense_init_scale", "dense_init"

    def __init__(self, n_inputs, n_neurons):
        self.weights = self.rng.standard_normal((n_inputs, n_neurons))
        self.biases = np.zeros((1, n_neurons))


class DenseInitTransposed(Layer_Dense):
    mistake, check = "dense_weights_transposed", "dense_init"

    def __init__(self, n_inputs, n_neurons):
        self.weights = 0.01 * np.random.randn(n_neurons, n_inputs)
        self.biases = np.zeros((1, n_neurons))


class DenseInitWeightsInALocal(Layer_Dense):
    """weights = ... without self.: the layer never gets its weights."""

    mistake, check = "result_never_stored", "dense_init"

    def __init__(self, n_inputs, n_neurons):
        weights = 0.01 * np.random.randn(n_inputs, n_neurons)  # noqa: F841 - the slip
        self.biases = np.zeros((1, n_neurons))


class DenseInitOneNumber(Layer_Dense):
    """np.random.randn() without the shape: one number for all the weights."""

    mistake, check = "dense_init_one_number", "dense_init"

    def __init__(self, n_inputs, n_neurons):
        self.weights = 0.01 * np.random.randn()
        self.biases = np.zeros((1, n_neurons))


class LayerBatchBiasesOnly(Layer):
    """The dot product forgotten: the biases alone."""

    mistake, check = "weighted_sum_slip", "layer_batch"

    def forward(self, inputs):
        self.output = np.array(self.biases)


class StepAppendedTwice(Activation_Step):
    """Each row appended in the loop and once more after it."""

    mistake, check = "output_values_repeated", "step_activation"

    def forward(self, inputs):
        output = []
        for row in inputs:
            output.append([1 if value > 0 else 0 for value in row])
        self.output = output + output


class DenseInitFlatBiases(Layer_Dense):
    mistake, check = "dense_biases_flat", "dense_init"

    def __init__(self, n_inputs, n_neurons):
        self.weights = 0.01 * np.random.randn(n_inputs, n_neurons)
        self.biases = np.zeros(n_neurons)


class StepOneAtZero(Activation_Step):
    mistake, check = "step_one_at_zero", "step_activation"

    def forward(self, inputs):
        self.output = np.where(inputs >= 0, 1, 0)


class StepSign(Activation_Step):
    mistake, check = "step_sign", "step_activation"

    def forward(self, inputs):
        self.output = np.sign(inputs)


class StepReturned(Activation_Step):
    mistake, check = "result_returned_not_stored", "step_activation"

    def forward(self, inputs):
        return np.where(inputs > 0, 1, 0)


class LinearReturned(Activation_Linear):
    mistake, check = "result_returned_not_stored", "linear_forward"

    def forward(self, inputs):
        return inputs


# =============================================================================================


def _collect() -> list[tuple[str, str, type]]:
    found = []
    for _, value in inspect.getmembers(sys.modules[__name__], inspect.isclass):
        if value.__module__ == __name__ and isinstance(getattr(value, "mistake", None), str):
            found.append((value.mistake, value.check, value))
    return sorted(found, key=lambda item: (item[1], item[0], item[2].__name__))


class WeightedSumLastProductOnly(WeightedSum):
    """total = product inside the loop: only the last input's product is left."""

    mistake, check = "weighted_sum_slip", "weighted_sum"

    def forward(self, inputs):
        total = 0
        for i in range(len(inputs)):
            total = inputs[i] * self.weights[i]
        self.output = total


#: (mistake id, check name, wrong class), sorted by check.
WRONG = _collect()
