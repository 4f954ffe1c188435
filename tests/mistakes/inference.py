"""Learner-side code for ``model_predict`` and ``confusion_matrix``
(``autograder/checks/inference.py``, chapter 22).

Correct versions (the book's predict, a concatenating one, the reference class; the chapter's
``Confusion_Matrix`` class and, as the check also accepts plain functions, a loop, a vectorised
and a bincount function and the reference function), then one wrong version per catalogued
mistake, in both forms where it matters.
"""

from __future__ import annotations

import numpy as np

from nnfs_core import book
from nnfs_core.metrics import confusion_matrix as reference_confusion_matrix

# =============================================================================================
# Model.predict
# =============================================================================================


class Model(book.Model):
    """The book's predict: count the steps, slice, stack."""

    def predict(self, X, *, batch_size=None):
        prediction_steps = 1
        if batch_size is not None:
            prediction_steps = len(X) // batch_size
            if prediction_steps * batch_size < len(X):
                prediction_steps += 1
        output = []
        for step in range(prediction_steps):
            if batch_size is None:
                batch_X = X
            else:
                batch_X = X[step * batch_size : (step + 1) * batch_size]
            batch_output = self.forward(batch_X, training=False)
            output.append(batch_output)
        return np.vstack(output)


class Model_StartWithoutBatchSize(book.Model):
    """X[step:(step + 1) * batch_size]: the start's batch size forgotten."""

    mistake, check = "predict_batch_slip", "model_predict"

    def predict(self, X, *, batch_size=None):
        steps = 1 if batch_size is None else -(-len(X) // batch_size)
        outputs = []
        for step in range(steps):
            batch_X = X if batch_size is None else X[step : (step + 1) * batch_size]
            outputs.append(self.forward(batch_X, training=False))
        return np.vstack(outputs)


class Model_ExtraStepSubtracted(book.Model):
    """prediction_steps -= 1 where += 1 belongs: with 32 samples a batch, no step at all."""

    mistake, check = "predict_batch_slip", "model_predict"

    def predict(self, X, *, batch_size=None):
        prediction_steps = 1
        if batch_size is not None:
            prediction_steps = len(X) // batch_size
            if prediction_steps * batch_size < len(X):
                prediction_steps -= 1
        output = []
        for step in range(prediction_steps):
            batch_X = X if batch_size is None else X[step * batch_size : (step + 1) * batch_size]
            output.append(self.forward(batch_X, training=False))
        return np.vstack(output)


class Model_Concatenate(book.Model):
    def predict(self, X, batch_size=None):
        size = len(X) if batch_size is None else batch_size
        parts = [self.forward(X[i : i + size], False) for i in range(0, len(X), size)]
        return np.concatenate(parts, axis=0)


def _parts(X, batch_size):
    size = len(X) if batch_size is None else batch_size
    return [X[start : start + size] for start in range(0, len(X), size)]


class Model_TrainingMode(book.Model):
    mistake, check = "predict_training_mode", "model_predict"

    def predict(self, X, *, batch_size=None):
        return np.vstack([self.forward(part, training=True) for part in _parts(X, batch_size)])


class Model_NotStacked(book.Model):
    mistake, check = "predict_batches_not_stacked", "model_predict"

    def predict(self, X, *, batch_size=None):
        return [self.forward(part, training=False) for part in _parts(X, batch_size)]


class Model_LastBatch(book.Model):
    mistake, check = "predict_last_batch_only", "model_predict"

    def predict(self, X, *, batch_size=None):
        for part in _parts(X, batch_size):
            output = self.forward(part, training=False)
        return output


class Model_Classes(book.Model):
    mistake, check = "predict_returns_classes", "model_predict"

    def predict(self, X, *, batch_size=None):
        outputs = np.vstack([self.forward(part, training=False) for part in _parts(X, batch_size)])
        return self.output_layer_activation.predictions(outputs)


class Model_Stub(book.Model):
    def predict(self, X, *, batch_size=None):
        raise NotImplementedError()


# =============================================================================================
# confusion_matrix
# =============================================================================================


class Confusion_Matrix:
    """The chapter's class: n_classes given to the constructor, calculate(y_true, y_pred)."""

    def __init__(self, n_classes):
        self.n_classes = n_classes

    def calculate(self, y_true, y_pred):
        self.counts = np.zeros((self.n_classes, self.n_classes), dtype=int)
        for true, predicted in zip(y_true, y_pred):
            self.counts[true, predicted] += 1
        return self.counts


class Confusion_Matrix_Transposed(Confusion_Matrix):
    mistake, check = "confusion_transposed", "confusion_matrix"

    def calculate(self, y_true, y_pred):
        return super().calculate(y_pred, y_true)


class Confusion_Matrix_FromLabels:
    mistake, check = "confusion_classes_from_labels", "confusion_matrix"

    def __init__(self, n_classes):
        self.n_classes = n_classes

    def calculate(self, y_true, y_pred):
        n = len(set(y_true) | set(y_pred))
        counts = np.zeros((n, n), dtype=int)
        np.add.at(counts, (y_true, y_pred), 1)
        return counts


class Confusion_Matrix_Stub:
    def __init__(self, n_classes):
        self.n_classes = n_classes

    def calculate(self, y_true, y_pred):
        raise NotImplementedError()


def confusion_matrix(y_true, y_pred, n_classes):
    counts = np.zeros((n_classes, n_classes), dtype=int)
    for true, predicted in zip(y_true, y_pred):
        counts[true, predicted] += 1
    return counts


def confusion_matrix_vectorised(y_true, y_pred, n_classes):
    counts = np.zeros((n_classes, n_classes))
    np.add.at(counts, (np.asarray(y_true, dtype=int), np.asarray(y_pred, dtype=int)), 1)
    return counts


def confusion_matrix_bincount(y_true, y_pred, n_classes):
    flat = np.asarray(y_true, dtype=np.int64) * n_classes + np.asarray(y_pred, dtype=np.int64)
    return np.bincount(flat, minlength=n_classes**2).reshape(n_classes, n_classes)


def confusion_transposed(y_true, y_pred, n_classes):
    counts = np.zeros((n_classes, n_classes), dtype=int)
    for true, predicted in zip(y_true, y_pred):
        counts[predicted, true] += 1
    return counts


def confusion_classes_from_labels(y_true, y_pred, n_classes):
    n = int(max(np.max(y_true), np.max(y_pred))) + 1
    counts = np.zeros((n, n), dtype=int)
    for true, predicted in zip(y_true, y_pred):
        counts[true, predicted] += 1
    return counts


def confusion_unique_labels(y_true, y_pred, n_classes):
    n = len(np.unique(y_true))
    counts = np.zeros((n, n), dtype=int)
    for true, predicted in zip(y_true, y_pred):
        if true < n and predicted < n:
            counts[true, predicted] += 1
    return counts


def confusion_normalised(y_true, y_pred, n_classes):
    counts = confusion_matrix(y_true, y_pred, n_classes).astype(float)
    return counts / counts.sum(axis=1, keepdims=True)


class Confusion_Matrix_SetToOne(Confusion_Matrix):
    """counts[true, predicted] = 1: a cell says whether the pair occurred, not how often."""

    mistake, check = "confusion_count_slip", "confusion_matrix"

    def calculate(self, y_true, y_pred):
        self.counts = np.zeros((self.n_classes, self.n_classes), dtype=int)
        for true, predicted in zip(y_true, y_pred):
            self.counts[true, predicted] = 1
        return self.counts


def confusion_stub(y_true, y_pred, n_classes):
    raise NotImplementedError()


for _function, _mistake in (
    (confusion_transposed, "confusion_transposed"),
    (confusion_classes_from_labels, "confusion_classes_from_labels"),
    (confusion_unique_labels, "confusion_classes_from_labels"),
    (confusion_normalised, "confusion_normalised"),
):
    _function.mistake, _function.check = _mistake, "confusion_matrix"


CHECKS = {
    "model_predict": ("ch22", (Model, Model_Concatenate, book.Model)),
    "confusion_matrix": (
        "ch22",
        (
            Confusion_Matrix,
            confusion_matrix,
            confusion_matrix_vectorised,
            confusion_matrix_bincount,
            reference_confusion_matrix,
        ),
    ),
}

WRONG = [
    (learner.mistake, learner.check, learner)
    for learner in (
        Model_TrainingMode,
        Model_NotStacked,
        Model_LastBatch,
        Model_Classes,
        Model_StartWithoutBatchSize,
        Model_ExtraStepSubtracted,
        Confusion_Matrix_Transposed,
        Confusion_Matrix_SetToOne,
        Confusion_Matrix_FromLabels,
        confusion_transposed,
        confusion_classes_from_labels,
        confusion_unique_labels,
        confusion_normalised,
    )
]
