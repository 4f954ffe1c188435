"""Learner-side code for ``dense_parameters`` and ``model_parameters``
(``autograder/checks/parameters.py``, chapter 21).

Correct versions as the chapter's notebook asks for them (subclasses of the reference, copies
both ways, shapes and lengths checked), another way of writing each, and the reference classes
themselves; then one wrong version per catalogued mistake.
"""

from __future__ import annotations

import numpy as np

from nnfs_core import book

# =============================================================================================
# Layer_Dense
# =============================================================================================


class Layer_Dense(book.Layer_Dense):
    def get_parameters(self):
        return self.weights.copy(), self.biases.copy()

    def set_parameters(self, weights, biases):
        weights, biases = np.asarray(weights), np.asarray(biases)
        if weights.shape != self.weights.shape:
            raise ValueError(
                f"weights of shape {weights.shape} received; this layer's weights have shape "
                f"{self.weights.shape}"
            )
        if biases.shape != self.biases.shape:
            raise ValueError(
                f"biases of shape {biases.shape} received; expected {self.biases.shape}"
            )
        self.weights = weights.copy()
        self.biases = biases.copy()


class Layer_Dense_Arrays(book.Layer_Dense):
    """np.array copies, a list returned, one combined shape test, an assertion."""

    def get_parameters(self):
        return [np.array(self.weights), np.array(self.biases)]

    def set_parameters(self, weights, biases):
        assert (np.shape(weights), np.shape(biases)) == (self.weights.shape, self.biases.shape)
        self.weights = np.array(weights, dtype=float)
        self.biases = np.array(biases, dtype=float)


class Layer_Dense_GetShares(Layer_Dense):
    mistake, check = "parameters_get_shares_arrays", "dense_parameters"

    def get_parameters(self):
        return self.weights, self.biases


class Layer_Dense_SetShares(Layer_Dense):
    mistake, check = "parameters_set_shares_arrays", "dense_parameters"

    def set_parameters(self, weights, biases):
        if weights.shape != self.weights.shape or biases.shape != self.biases.shape:
            raise ValueError("wrong shape")
        self.weights = weights
        self.biases = biases


class Layer_Dense_Unchecked(Layer_Dense):
    mistake, check = "parameters_shape_unchecked", "dense_parameters"

    def set_parameters(self, weights, biases):
        self.weights = weights.copy()
        self.biases = biases.copy()


class Layer_Dense_WeightsOnly(Layer_Dense):
    """Checks the weights' shape but not the biases'."""

    mistake, check = "parameters_shape_unchecked", "dense_parameters"

    def set_parameters(self, weights, biases):
        if weights.shape != self.weights.shape:
            raise ValueError("wrong shape")
        self.weights = weights.copy()
        self.biases = biases.copy()


class Layer_Dense_PairSwapped(Layer_Dense):
    mistake, check = "parameters_pair_swapped", "dense_parameters"

    def get_parameters(self):
        return self.biases.copy(), self.weights.copy()


class Layer_Dense_BiasesNotStored(Layer_Dense):
    """Checks both shapes, then stores the biases under a local name only."""

    mistake, check = "parameters_set_not_stored", "dense_parameters"

    def set_parameters(self, weights, biases):
        if weights.shape != self.weights.shape or biases.shape != self.biases.shape:
            raise ValueError("wrong shape")
        self.weights = weights.copy()
        biases = biases.copy()  # the slip: no self.


class Layer_Dense_Stub(book.Layer_Dense):
    def get_parameters(self):
        raise NotImplementedError()

    def set_parameters(self, weights, biases):
        raise NotImplementedError()


# =============================================================================================
# Model
# =============================================================================================


class Model(book.Model):
    def get_parameters(self):
        return [layer.get_parameters() for layer in self.trainable_layers]

    def set_parameters(self, parameters):
        if len(parameters) != len(self.trainable_layers):
            raise ValueError(
                f"{len(parameters)} (weights, biases) pairs received for "
                f"{len(self.trainable_layers)} trainable layers"
            )
        for parameter_set, layer in zip(parameters, self.trainable_layers):
            layer.set_parameters(*parameter_set)


class Model_Loop(book.Model):
    """Walks every layer and skips those without weights; a tuple of lists."""

    def get_parameters(self):
        found = []
        for layer in self.layers:
            if hasattr(layer, "weights"):
                found.append([layer.weights.copy(), layer.biases.copy()])
        return tuple(found)

    def set_parameters(self, parameters):
        layers = [layer for layer in self.layers if hasattr(layer, "weights")]
        if len(parameters) != len(layers):
            raise ValueError("one pair per layer with weights, please")
        for layer, (weights, biases) in zip(layers, parameters):
            layer.set_parameters(weights, biases)


class Model_AllLayers(Model):
    mistake, check = "model_parameters_all_layers", "model_parameters"

    def get_parameters(self):
        return [layer.get_parameters() for layer in self.layers]


class Model_Shares(Model):
    mistake, check = "model_parameters_shares_arrays", "model_parameters"

    def get_parameters(self):
        return [(layer.weights, layer.biases) for layer in self.trainable_layers]


class Model_Reversed(Model):
    mistake, check = "model_parameters_wrong_order", "model_parameters"

    def set_parameters(self, parameters):
        if len(parameters) != len(self.trainable_layers):
            raise ValueError("wrong number of pairs")
        for parameter_set, layer in zip(reversed(parameters), self.trainable_layers):
            layer.set_parameters(*parameter_set)


class Model_GetReversed(Model):
    mistake, check = "model_parameters_wrong_order", "model_parameters"

    def get_parameters(self):
        return [layer.get_parameters() for layer in reversed(self.trainable_layers)]


class Model_Unchecked(Model):
    """The book's own set_parameters: zip, no length check; the layer assigned directly."""

    mistake, check = "model_parameters_unchecked", "model_parameters"

    def set_parameters(self, parameters):
        for parameter_set, layer in zip(parameters, self.trainable_layers):
            layer.weights, layer.biases = parameter_set


class Model_Stub(book.Model):
    def get_parameters(self):
        raise NotImplementedError()

    def set_parameters(self, parameters):
        raise NotImplementedError()


CHECKS = {
    "dense_parameters": ("ch21", (Layer_Dense, Layer_Dense_Arrays, book.Layer_Dense)),
    "model_parameters": ("ch21", (Model, Model_Loop, book.Model)),
}

WRONG = [
    (learner.mistake, learner.check, learner)
    for learner in (
        Layer_Dense_GetShares,
        Layer_Dense_SetShares,
        Layer_Dense_Unchecked,
        Layer_Dense_WeightsOnly,
        Layer_Dense_PairSwapped,
        Layer_Dense_BiasesNotStored,
        Model_AllLayers,
        Model_Shares,
        Model_Reversed,
        Model_GetReversed,
        Model_Unchecked,
    )
]
