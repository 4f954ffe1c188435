"""Learner-side code for ``autograder/checks/accuracy.py`` (chapters 17 and 18).

Its checks: the categorical and regression accuracies. The correct versions are the chapter
notebooks' own solutions (:mod:`mistakes.book`). Each wrong class is a small change to them, for
one catalogued mistake, and carries ``mistake`` (the catalogue id the judge must name) and
``check`` (the check that must fail); ``WRONG`` collects them.
"""

from __future__ import annotations

import numpy as np

from . import book, wrong_classes

#: check name -> (chapter marker, the correct learner classes)
CHECKS = {
    "accuracy_categorical": ("ch18", (book.Accuracy_Categorical,)),
    "accuracy_regression": ("ch17", (book.Accuracy_Regression,)),
}


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


class RegressionAccuracyWithoutAbsolute(book.Accuracy_Regression):
    """predictions - y < precision: every prediction below its target counts as right."""

    mistake, check = "regression_accuracy_slip", "accuracy_regression"

    def compare(self, predictions, y):
        return (predictions - y) < self.precision


class AccuracyCounted(book.Accuracy_Categorical):
    mistake, check = "accuracy_counted_not_averaged", "accuracy_categorical"

    def calculate(self, predictions, y):
        return np.sum(self.compare(predictions, y))


class RegressionPrecisionConditionInverted(book.Accuracy_Regression):
    """is not None where is None belongs: the first init never sets the precision."""

    mistake, check = "regression_precision_never_set", "accuracy_regression"

    def init(self, y, reinit=False):
        if self.precision is not None or reinit:
            self.precision = np.std(y) / 250


class AccuracyBinaryInverted(book.Accuracy_Categorical):
    """Not a catalogued mistake: binary=True is honoured, but its comparison is inverted.
    Advice to stop turning binary targets into class indices would point at code that is
    right (tests/test_check_advice.py)."""

    def compare(self, predictions, y):
        if not self.binary and len(y.shape) == 2:
            y = np.argmax(y, axis=1)
        if self.binary:
            return predictions != y
        return predictions == y


#: (mistake id, check name, wrong class), sorted by check.
WRONG = wrong_classes(__name__)
