"""Learner-side code for ``autograder/checks/single_neuron.py`` (chapter 9, section 9.1).

Two correct versions of ``Neuron_ReLU``: the book's way (plain Python over the inputs, one
local derivative after another, the gradients as lists) and a NumPy one (vectorised, the
weighted sum kept for the backward pass). Then one wrong class per catalogued mistake, each
carrying ``mistake`` and ``check``; ``WRONG`` collects them.
"""

from __future__ import annotations

import inspect
import sys

import numpy as np

# =============================================================================================
# Correct
# =============================================================================================


class Neuron_ReLU:
    """The book's 9.1 steps: multiply, sum, ReLU forward; then each derivative in turn."""

    def __init__(self, weights, bias):
        self.weights = weights
        self.bias = bias

    def forward(self, inputs):
        self.inputs = inputs
        products = [x * w for x, w in zip(inputs, self.weights)]
        self.z = sum(products) + self.bias
        self.output = max(self.z, 0)

    def backward(self, dvalue):
        drelu_dz = dvalue * (1.0 if self.z > 0 else 0.0)
        dsum_dproduct = 1.0  # each product enters the sum with factor 1, as does the bias
        dproducts = [drelu_dz * dsum_dproduct for _ in self.inputs]
        self.dweights = [d * x for d, x in zip(dproducts, self.inputs)]
        self.dinputs = [d * w for d, w in zip(dproducts, self.weights)]
        self.dbias = drelu_dz * dsum_dproduct


class Neuron_ReLU_NumPy:
    def __init__(self, weights, bias):
        self.weights = np.asarray(weights, dtype=float)
        self.bias = float(bias)

    def forward(self, inputs):
        self.inputs = np.asarray(inputs, dtype=float)
        self.z = self.weights @ self.inputs + self.bias
        self.output = np.maximum(self.z, 0.0)

    def backward(self, dvalue):
        dz = dvalue * (self.z > 0)
        self.dweights = dz * self.inputs
        self.dinputs = dz * self.weights
        self.dbias = dz


# =============================================================================================
# Wrong, one per catalogued mistake
# =============================================================================================


class GradientsReturned(Neuron_ReLU_NumPy):
    """The book's 9.1 lines put in a method that hands back (dx, dw, db)."""

    mistake, check = "single_neuron_gradients_returned", "single_neuron_backward"

    def backward(self, dvalue):
        dz = dvalue * (self.z > 0)
        return dz * self.weights, dz * self.inputs, dz


class SwappedGradients(Neuron_ReLU_NumPy):
    mistake, check = "single_neuron_dx_dw_swapped", "single_neuron_backward"

    def backward(self, dvalue):
        dz = dvalue * (self.z > 0)
        self.dweights = dz * self.weights
        self.dinputs = dz * self.inputs
        self.dbias = dz


class UpstreamIgnored(Neuron_ReLU_NumPy):
    mistake, check = "single_neuron_upstream_ignored", "single_neuron_backward"

    def backward(self, dvalue):
        dz = 1.0 if self.z > 0 else 0.0
        self.dweights = dz * self.inputs
        self.dinputs = dz * self.weights
        self.dbias = dz


class ReluOutputAsDerivative(Neuron_ReLU_NumPy):
    mistake, check = "single_neuron_relu_output_as_derivative", "single_neuron_backward"

    def backward(self, dvalue):
        dz = dvalue * self.output
        self.dweights = dz * self.inputs
        self.dinputs = dz * self.weights
        self.dbias = dz


class ReluDerivativeMissing(Neuron_ReLU_NumPy):
    mistake, check = "single_neuron_relu_derivative_missing", "single_neuron_backward"

    def backward(self, dvalue):
        self.dweights = dvalue * self.inputs
        self.dinputs = dvalue * self.weights
        self.dbias = dvalue


class KinkAtZero(Neuron_ReLU_NumPy):
    mistake, check = "single_neuron_kink_at_zero", "single_neuron_backward"

    def backward(self, dvalue):
        dz = dvalue * (1.0 if self.z >= 0 else 0.0)
        self.dweights = dz * self.inputs
        self.dinputs = dz * self.weights
        self.dbias = dz


class NeuronBiasSubtracted(Neuron_ReLU):
    """The forward subtracts the bias, so z has another sign in some cases; the backward is
    right for that z. Advice about ReLU's derivative missing from the backward would point at
    code that is right (tests/test_check_advice.py)."""

    mistake, check = "single_neuron_bias_not_added", "single_neuron_backward"

    def forward(self, inputs):
        self.inputs = inputs
        products = [x * w for x, w in zip(inputs, self.weights)]
        self.z = sum(products) - self.bias
        self.output = max(self.z, 0)


class NeuronBiasGradientOne(Neuron_ReLU):
    """dbias = 1: the sum's derivative alone, without dz."""

    mistake, check = "single_neuron_factor_missing", "single_neuron_backward"

    def backward(self, dvalue):
        super().backward(dvalue)
        self.dbias = 1.0


CHECKS = {"single_neuron_backward": ("ch09", (Neuron_ReLU, Neuron_ReLU_NumPy))}

WRONG = [
    (cls.mistake, cls.check, cls)
    for _, cls in inspect.getmembers(sys.modules[__name__], inspect.isclass)
    if cls.__module__ == __name__ and hasattr(cls, "mistake")
]
