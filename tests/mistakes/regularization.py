"""Learner-side code for ``autograder/checks/regularization.py`` (chapter 14).

Its checks: the loss's L1/L2 penalty. The correct versions are the chapter notebooks' own
solutions (:mod:`mistakes.book`). Each wrong class is a small change to them, for one catalogued
mistake, and carries ``mistake`` (the catalogue id the judge must name) and ``check`` (the check
that must fail); ``WRONG`` collects them.
"""

from __future__ import annotations

import numpy as np

from . import book, wrong_classes

#: check name -> (chapter marker, the correct learner classes)
CHECKS = {
    "regularization_loss": ("ch14", (book.Loss_CategoricalCrossentropy,)),
}


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


class PenaltyBiasesL2Subtracted(book.Loss_CategoricalCrossentropy):
    """Three terms right; the biases' L2 term is taken away instead of added."""

    mistake, check = "penalty_term_wrong", "regularization_loss"

    def regularization_loss(self, layer):
        total = 0
        if layer.weight_regularizer_l1 > 0:
            total += layer.weight_regularizer_l1 * np.sum(np.abs(layer.weights))
        if layer.weight_regularizer_l2 > 0:
            total += layer.weight_regularizer_l2 * np.sum(layer.weights * layer.weights)
        if layer.bias_regularizer_l1 > 0:
            total += layer.bias_regularizer_l1 * np.sum(np.abs(layer.biases))
        if layer.bias_regularizer_l2 > 0:
            total -= layer.bias_regularizer_l2 * np.sum(layer.biases * layer.biases)
        return total


#: (mistake id, check name, wrong class), sorted by check.
WRONG = wrong_classes(__name__)
