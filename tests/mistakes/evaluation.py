"""Learner-side code for ``model_evaluate`` (``autograder/checks/evaluation.py``, chapter 20).

Correct versions written the ways a learner would: the book's (accumulated sums kept by the
loss and the accuracy), one that keeps its own sums of sample losses and right answers, and the
reference class itself (the "Stuck?" shortcut). Then one wrong version per catalogued mistake,
and one that forgot to write the method at all.
"""

from __future__ import annotations

import numpy as np

from nnfs_core import book


class Model(book.Model):
    """The book's evaluate: the loss and accuracy objects keep the running sums."""

    def evaluate(self, X_val, y_val, *, batch_size=None):
        validation_steps = 1
        if batch_size is not None:
            validation_steps = len(X_val) // batch_size
            if validation_steps * batch_size < len(X_val):
                validation_steps += 1
        self.loss.new_pass()
        self.accuracy.new_pass()
        for step in range(validation_steps):
            if batch_size is None:
                batch_X, batch_y = X_val, y_val
            else:
                batch_X = X_val[step * batch_size : (step + 1) * batch_size]
                batch_y = y_val[step * batch_size : (step + 1) * batch_size]
            output = self.forward(batch_X, training=False)
            self.loss.calculate(output, batch_y)
            predictions = self.output_layer_activation.predictions(output)
            self.accuracy.calculate(predictions, batch_y)
        validation_loss = self.loss.calculate_accumulated()
        validation_accuracy = self.accuracy.calculate_accumulated()
        print(f"validation, acc: {validation_accuracy:.3f}, loss: {validation_loss:.3f}")
        return validation_loss, validation_accuracy


class Model_OwnSums(book.Model):
    """Keeps its own sums of sample losses and right answers; returns a list."""

    def evaluate(self, X_val, y_val, batch_size=None):
        size = len(X_val) if batch_size is None else batch_size
        loss_sum, right, count = 0.0, 0, 0
        for start in range(0, len(X_val), size):
            batch_X, batch_y = X_val[start : start + size], y_val[start : start + size]
            output = self.forward(batch_X, False)
            loss_sum += float(np.sum(self.loss.forward(output, batch_y)))
            right += int(np.sum(np.argmax(output, axis=1) == batch_y))
            count += len(batch_X)
        return [loss_sum / count, right / count]


def _steps(X, batch_size):
    size = len(X) if batch_size is None else batch_size
    return [slice(start, start + size) for start in range(0, len(X), size)]


class Model_TrainingMode(book.Model):
    mistake, check = "evaluate_training_mode", "model_evaluate"

    def evaluate(self, X_val, y_val, *, batch_size=None):
        self.loss.new_pass()
        self.accuracy.new_pass()
        for part in _steps(X_val, batch_size):
            output = self.forward(X_val[part], training=True)
            self.loss.calculate(output, y_val[part])
            self.accuracy.calculate(np.argmax(output, axis=1), y_val[part])
        return self.loss.calculate_accumulated(), self.accuracy.calculate_accumulated()


class Model_Swapped(Model):
    mistake, check = "model_evaluate_swapped", "model_evaluate"

    def evaluate(self, X_val, y_val, *, batch_size=None):
        loss, accuracy = super().evaluate(X_val, y_val, batch_size=batch_size)
        return accuracy, loss


class Model_NotReset(book.Model):
    mistake, check = "evaluate_not_reset", "model_evaluate"

    def evaluate(self, X_val, y_val, *, batch_size=None):
        for part in _steps(X_val, batch_size):
            output = self.forward(X_val[part], training=False)
            self.loss.calculate(output, y_val[part])
            self.accuracy.calculate(np.argmax(output, axis=1), y_val[part])
        return self.loss.calculate_accumulated(), self.accuracy.calculate_accumulated()


class Model_LastBatch(book.Model):
    mistake, check = "evaluate_last_batch_only", "model_evaluate"

    def evaluate(self, X_val, y_val, *, batch_size=None):
        for part in _steps(X_val, batch_size):
            output = self.forward(X_val[part], training=False)
            loss = self.loss.calculate(output, y_val[part])
            accuracy = self.accuracy.calculate(np.argmax(output, axis=1), y_val[part])
        return loss, accuracy


class Model_PartialBatchLeftOut(book.Model):
    """Counts only the full batches: the last, partial batch is never evaluated."""

    mistake, check = "evaluate_batches_left_out", "model_evaluate"

    def evaluate(self, X_val, y_val, *, batch_size=None):
        self.loss.new_pass()
        self.accuracy.new_pass()
        steps = 1 if batch_size is None else len(X_val) // batch_size
        size = len(X_val) if batch_size is None else batch_size
        for step in range(steps):
            batch_X = X_val[step * size : (step + 1) * size]
            batch_y = y_val[step * size : (step + 1) * size]
            output = self.forward(batch_X, training=False)
            self.loss.calculate(output, batch_y)
            self.accuracy.calculate(self.output_layer_activation.predictions(output), batch_y)
        return self.loss.calculate_accumulated(), self.accuracy.calculate_accumulated()


class Model_MeanOfMeans(book.Model):
    mistake, check = "evaluate_batch_means_averaged", "model_evaluate"

    def evaluate(self, X_val, y_val, *, batch_size=None):
        losses, accuracies = [], []
        for part in _steps(X_val, batch_size):
            output = self.forward(X_val[part], training=False)
            losses.append(self.loss.calculate(output, y_val[part]))
            accuracies.append(self.accuracy.calculate(np.argmax(output, axis=1), y_val[part]))
        return float(np.mean(losses)), float(np.mean(accuracies))


class Model_Inherited(book.Model):
    """Never wrote evaluate: the reference's would run, and must not count."""


class Model_Stub(book.Model):
    def evaluate(self, X_val, y_val, *, batch_size=None):
        raise NotImplementedError()


CHECKS = {"model_evaluate": ("ch20", (Model, Model_OwnSums, book.Model))}

WRONG = [
    (learner.mistake, learner.check, learner)
    for learner in (
        Model_TrainingMode,
        Model_NotReset,
        Model_LastBatch,
        Model_PartialBatchLeftOut,
        Model_MeanOfMeans,
        Model_Swapped,
    )
]
