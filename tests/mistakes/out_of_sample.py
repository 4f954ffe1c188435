"""Learner-side code for ``autograder/checks/out_of_sample.py`` (ch11's ``evaluate``).

Two correct evaluators, written the two ways learners write them (a loop over the list
with ``layer.output``, and one chaining what ``forward`` returns with an accuracy object),
then one wrong evaluator per catalogued mistake, each carrying ``mistake`` (the catalogue id
the judge must name) and ``check``.
"""

from __future__ import annotations

import inspect
import sys

import numpy as np

from nnfs_core import Adam, CategoricalAccuracy


class Evaluator:
    def __init__(self, layers, loss_activation):
        self.layers = layers
        self.loss_activation = loss_activation

    def evaluate(self, X, y):
        inputs = X
        for layer in self.layers:
            layer.forward(inputs)
            inputs = layer.output
        loss = self.loss_activation.forward(inputs, y)
        predictions = np.argmax(self.loss_activation.output, axis=1)
        if len(y.shape) == 2:
            y = np.argmax(y, axis=1)
        accuracy = np.mean(predictions == y)
        return loss, accuracy


class EvaluatorChained(Evaluator):
    """Chains what each forward returns; counts with an accuracy object; returns a list."""

    def evaluate(self, X, y):
        outputs = X
        for layer in self.layers:
            outputs = layer.forward(outputs)
        loss = float(self.loss_activation.forward(outputs, y))
        predictions = self.loss_activation.output.argmax(axis=1)
        return [loss, CategoricalAccuracy().calculate(predictions, y)]


# =============================================================================================
# Wrong, one per catalogued mistake
# =============================================================================================


class EvaluatorSwapped(Evaluator):
    mistake, check = "evaluate_loss_accuracy_swapped", "evaluate"

    def evaluate(self, X, y):
        loss, accuracy = super().evaluate(X, y)
        return accuracy, loss


class EvaluatorNoArgmax(Evaluator):
    mistake, check = "evaluate_without_argmax", "evaluate"

    def evaluate(self, X, y):
        inputs = X
        for layer in self.layers:
            layer.forward(inputs)
            inputs = layer.output
        loss = self.loss_activation.forward(inputs, y)
        return loss, np.mean(self.loss_activation.output == y)


class EvaluatorArgmaxAxis0(Evaluator):
    mistake, check = "evaluate_without_argmax", "evaluate"

    def evaluate(self, X, y):
        inputs = X
        for layer in self.layers:
            layer.forward(inputs)
            inputs = layer.output
        loss = self.loss_activation.forward(inputs, y)
        return loss, np.mean(np.argmax(self.loss_activation.output, axis=0) == y)


class EvaluatorMaxNotArgmax(Evaluator):
    mistake, check = "evaluate_without_argmax", "evaluate"

    def evaluate(self, X, y):
        inputs = X
        for layer in self.layers:
            layer.forward(inputs)
            inputs = layer.output
        loss = self.loss_activation.forward(inputs, y)
        if len(y.shape) == 2:
            y = np.argmax(y, axis=1)
        return loss, np.mean(np.max(self.loss_activation.output, axis=1) == y)


class EvaluatorCounts(Evaluator):
    mistake, check = "evaluate_accuracy_slip", "evaluate"

    def evaluate(self, X, y):
        inputs = X
        for layer in self.layers:
            layer.forward(inputs)
            inputs = layer.output
        loss = self.loss_activation.forward(inputs, y)
        predictions = np.argmax(self.loss_activation.output, axis=1)
        if len(y.shape) == 2:
            y = np.argmax(y, axis=1)
        return loss, np.sum(predictions == y)


class EvaluatorOneHotWithoutAxis(Evaluator):
    mistake, check = "evaluate_accuracy_slip", "evaluate"

    def evaluate(self, X, y):
        inputs = X
        for layer in self.layers:
            layer.forward(inputs)
            inputs = layer.output
        loss = self.loss_activation.forward(inputs, y)
        predictions = np.argmax(self.loss_activation.output, axis=1)
        if len(y.shape) == 2:
            y = np.argmax(y)
        return loss, np.mean(predictions == y)


class EvaluatorOneHotIgnored(Evaluator):
    mistake, check = "evaluate_onehot_labels", "evaluate"

    def evaluate(self, X, y):
        inputs = X
        for layer in self.layers:
            layer.forward(inputs)
            inputs = layer.output
        loss = self.loss_activation.forward(inputs, y)
        predictions = np.argmax(self.loss_activation.output, axis=1)
        return loss, np.mean(predictions == y)


class EvaluatorThreeLayers(Evaluator):
    mistake, check = "evaluate_first_three_layers_only", "evaluate"

    def evaluate(self, X, y):
        dense1, activation1, dense2 = self.layers[:3]
        dense1.forward(X)
        activation1.forward(dense1.output)
        dense2.forward(activation1.output)
        loss = self.loss_activation.forward(dense2.output, np.clip(y, 0, 2))
        predictions = np.argmax(self.loss_activation.output, axis=1)
        if len(y.shape) == 2:
            y = np.argmax(y, axis=1)
        return loss, np.mean(predictions == y)


class EvaluatorBackward(Evaluator):
    """Copies the whole training step except the optimizer."""

    mistake, check = "evaluate_runs_backward", "evaluate"

    def evaluate(self, X, y):
        loss, accuracy = super().evaluate(X, y)
        self.loss_activation.backward(self.loss_activation.output, y)
        gradient = self.loss_activation.dinputs
        for layer in reversed(self.layers):
            layer.backward(gradient)
            gradient = layer.dinputs
        return loss, accuracy


class EvaluatorTrains(EvaluatorBackward):
    """Copies the whole training step, optimizer included (a fresh one: a global would do alike)."""

    mistake, check = "evaluate_trains", "evaluate"

    def evaluate(self, X, y):
        loss, accuracy = super().evaluate(X, y)
        optimizer = Adam(learning_rate=0.05)
        optimizer.pre_update_params()
        for layer in self.layers:
            if hasattr(layer, "weights"):
                optimizer.update_params(layer)
        optimizer.post_update_params()
        return loss, accuracy


# =============================================================================================


def _collect() -> list[tuple[str, str, type]]:
    found = []
    for _, value in inspect.getmembers(sys.modules[__name__], inspect.isclass):
        if value.__module__ == __name__ and isinstance(getattr(value, "mistake", None), str):
            found.append((value.mistake, value.check, value))
    return sorted(found, key=lambda item: (item[1], item[0], item[2].__name__))


CHECKS: dict[str, tuple[str, tuple[type, ...]]] = {
    "evaluate": ("ch11", (Evaluator, EvaluatorChained)),
}

#: (mistake id, check name, wrong class), sorted by check.
WRONG = _collect()
