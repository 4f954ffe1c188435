"""Looking at a classifier's answers: the confusion matrix (chapter 22).

Accuracy says how many answers were right; a confusion matrix says which classes were taken
for which. Row ``i`` counts the samples whose true class is ``i``, column ``j`` those the
model predicted as ``j`` (scikit-learn's layout), so the diagonal holds the right answers
and every other cell one kind of mistake.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from . import _validation as check

__all__ = ["confusion_matrix"]


def _labels(values: Any, *, name: str, n_classes: int, where: str) -> np.ndarray:
    labels = np.asarray(values)
    if labels.ndim != 1:
        hint = (
            f" If these are one-hot rows or class scores, pass np.argmax({name}, axis=1)."
            if labels.ndim == 2
            else ""
        )
        raise ValueError(
            f"{where}: {name} must be a flat array of class indices, shape (n_samples,); "
            f"received {check.describe(labels)}.{hint}"
        )
    if labels.size and not np.issubdtype(labels.dtype, np.integer):
        if labels.dtype.kind == "f" and np.all(labels == np.round(labels)):
            labels = labels.astype(np.intp)
        else:
            raise TypeError(
                f"{where}: {name} must hold whole class indices; received "
                f"{check.describe(labels)}. Fix: pass class numbers such as np.argmax(outputs, "
                f"axis=1), or y.astype(int)."
            )
    if labels.size:
        low, high = int(labels.min()), int(labels.max())
        if low < 0 or high >= n_classes:
            bad = low if low < 0 else high
            raise ValueError(
                f"{where}: {name} contains class {bad}, outside 0..{n_classes - 1} for "
                f"n_classes={n_classes}. Fix: pass the number of classes the model was trained "
                f"on (its last layer's neuron count)."
            )
    return labels.astype(np.intp, copy=False)


def confusion_matrix(y_true: Any, y_pred: Any, n_classes: int) -> np.ndarray:
    """Count how often each true class was predicted as each class.

    Args:
        y_true: true class indices, shape ``(n_samples,)``, each in ``0..n_classes - 1``.
        y_pred: predicted class indices, shape ``(n_samples,)``, same range.
        n_classes: the number of classes. Passed explicitly, because a class that never
            occurs in this particular batch must still get its row and column.

    Returns:
        ``counts`` of shape ``(n_classes, n_classes)``, dtype int64, where
        ``counts[i, j]`` is the number of samples of true class ``i`` predicted as ``j``.
        Rows sum to the class sizes, the trace is the number of right answers.
    """
    where = "confusion_matrix"
    n_classes = check.positive_int(n_classes, name="n_classes", where=where)
    true = _labels(y_true, name="y_true", n_classes=n_classes, where=where)
    pred = _labels(y_pred, name="y_pred", n_classes=n_classes, where=where)
    if true.shape != pred.shape:
        raise ValueError(
            f"{where}: y_true has {true.shape[0]} labels but y_pred has {pred.shape[0]}; "
            f"expected one prediction per sample. Fix: pass the predictions for the same samples."
        )
    counts = np.zeros((n_classes, n_classes), dtype=np.int64)
    np.add.at(counts, (true, pred), 1)
    return counts
