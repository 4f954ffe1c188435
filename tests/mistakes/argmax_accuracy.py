"""Learner-side code for chapter 5's accuracy (``autograder/checks/argmax_accuracy.py``).

Correct versions written the ways learners write them: the chapter's class the ``book`` way
(``len(class_targets.shape) == 2``, ``np.argmax``, ``np.mean``), a NumPy-flavoured one
(``ndim``, ``.argmax``, ``.mean``), one with a loop over the samples, and a plain function.
Then one wrong version per catalogued mistake, carrying ``mistake`` and ``check``.
"""

from __future__ import annotations

import inspect
import sys

import numpy as np

# =============================================================================================
# Correct
# =============================================================================================


class Accuracy_Argmax:
    def calculate(self, softmax_outputs, class_targets):
        predictions = np.argmax(softmax_outputs, axis=1)
        if len(class_targets.shape) == 2:
            class_targets = np.argmax(class_targets, axis=1)
        return np.mean(predictions == class_targets)


class Accuracy_Argmax_NumPy:
    def calculate(self, softmax_outputs, class_targets):
        targets = class_targets.argmax(axis=1) if class_targets.ndim == 2 else class_targets
        return (softmax_outputs.argmax(axis=1) == targets).mean()


class Accuracy_Argmax_Loop:
    def calculate(self, softmax_outputs, class_targets):
        correct = 0
        for row, target in zip(softmax_outputs, class_targets):
            if np.ndim(target) == 1:
                target = list(target).index(max(target))
            correct += int(list(row).index(max(row)) == target)
        return correct / len(softmax_outputs)


def accuracy(softmax_outputs, class_targets):
    if len(class_targets.shape) == 2:
        class_targets = np.argmax(class_targets, axis=1)
    return float(np.mean(np.argmax(softmax_outputs, axis=1) == class_targets))


CHECKS: dict[str, tuple[str, tuple]] = {
    "accuracy_argmax": (
        "ch05",
        (Accuracy_Argmax, Accuracy_Argmax_NumPy, Accuracy_Argmax_Loop, accuracy),
    ),
}

# =============================================================================================
# One wrong version per catalogued mistake
# =============================================================================================


class WrongAxis(Accuracy_Argmax):
    mistake, check = "argmax_accuracy_wrong_axis", "accuracy_argmax"

    def calculate(self, softmax_outputs, class_targets):
        predictions = np.argmax(softmax_outputs, axis=0)
        if len(class_targets.shape) == 2:
            class_targets = np.argmax(class_targets, axis=1)
        return np.mean(predictions == class_targets)


class Counted(Accuracy_Argmax):
    mistake, check = "argmax_accuracy_counted_not_averaged", "accuracy_argmax"

    def calculate(self, softmax_outputs, class_targets):
        predictions = np.argmax(softmax_outputs, axis=1)
        if len(class_targets.shape) == 2:
            class_targets = np.argmax(class_targets, axis=1)
        return np.sum(predictions == class_targets)


class PredictionsWithoutAxis(Accuracy_Argmax):
    mistake, check = "argmax_accuracy_predictions_without_axis", "accuracy_argmax"

    def calculate(self, softmax_outputs, class_targets):
        predictions = np.argmax(softmax_outputs)
        if len(class_targets.shape) == 2:
            class_targets = np.argmax(class_targets, axis=1)
        return np.mean(predictions == class_targets)


class OneHotNotConverted(Accuracy_Argmax):
    mistake, check = "argmax_accuracy_onehot_not_converted", "accuracy_argmax"

    def calculate(self, softmax_outputs, class_targets):
        return np.mean(np.argmax(softmax_outputs, axis=1) == class_targets)


class OneHotConvertedOverSamples(Accuracy_Argmax):
    """Converts, but along the wrong axis: also a one-hot-only failure."""

    mistake, check = "argmax_accuracy_onehot_not_converted", "accuracy_argmax"

    def calculate(self, softmax_outputs, class_targets):
        if len(class_targets.shape) == 2:
            class_targets = np.argmax(class_targets, axis=0)
        return np.mean(np.argmax(softmax_outputs, axis=1) == class_targets)


# =============================================================================================


def _collect() -> list[tuple[str, str, type]]:
    found = []
    for _, value in inspect.getmembers(sys.modules[__name__], inspect.isclass):
        if value.__module__ == __name__ and isinstance(getattr(value, "mistake", None), str):
            found.append((value.mistake, value.check, value))
    return sorted(found, key=lambda item: (item[1], item[0], item[2].__name__))


#: (mistake id, check name, wrong class), sorted by check.
WRONG = _collect()
