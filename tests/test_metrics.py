"""``nnfs_core.metrics.confusion_matrix``: counts, layout and the errors it raises."""

from __future__ import annotations

import numpy as np
import pytest

from nnfs_core.metrics import confusion_matrix

pytestmark = pytest.mark.ch22


def test_rows_are_true_classes_and_columns_predicted_classes():
    counts = confusion_matrix([0, 0, 1, 2, 2, 2], [0, 1, 1, 2, 0, 2], 3)
    np.testing.assert_array_equal(counts, [[1, 1, 0], [0, 1, 0], [1, 0, 2]])
    assert counts.dtype == np.int64


def test_it_agrees_with_scikit_learn_on_random_labels():
    metrics = pytest.importorskip("sklearn.metrics")
    rng = np.random.RandomState(22)
    true, pred = rng.randint(7, size=500), rng.randint(7, size=500)
    expected = metrics.confusion_matrix(true, pred, labels=range(7))
    np.testing.assert_array_equal(confusion_matrix(true, pred, 7), expected)


def test_classes_absent_from_the_labels_keep_their_row_and_column():
    counts = confusion_matrix(np.array([0, 1], dtype=np.uint8), [1, 1], 4)
    assert counts.shape == (4, 4) and counts.sum() == 2
    assert counts[0, 1] == 1 and counts[1, 1] == 1


def test_whole_floats_are_accepted_as_labels():
    np.testing.assert_array_equal(confusion_matrix([0.0, 1.0], [1.0, 1.0], 2), [[0, 1], [0, 1]])


def test_empty_labels_give_a_matrix_of_zeros():
    assert confusion_matrix([], [], 3).tolist() == [[0] * 3] * 3


@pytest.mark.parametrize(
    ("y_true", "y_pred", "n_classes", "error", "words"),
    [
        ([0, 3], [0, 1], 3, ValueError, "contains class 3, outside 0..2"),
        ([0, -1], [0, 1], 3, ValueError, "contains class -1"),
        ([0, 1, 2], [0, 1], 3, ValueError, "y_true has 3 labels but y_pred has 2"),
        ([[0.9, 0.1], [0.2, 0.8]], [0, 1], 2, ValueError, "np.argmax(y_true, axis=1)"),
        ([0.5, 1.0], [0, 1], 2, TypeError, "whole class indices"),
        ([0, 1], [0, 1], 0, ValueError, "n_classes must be at least 1"),
        ([0, 1], [0, 1], 2.0, TypeError, "n_classes must be a whole number"),
    ],
)
def test_bad_input_is_refused_with_what_was_received_and_a_fix(
    y_true, y_pred, n_classes, error, words
):
    with pytest.raises(error) as raised:
        confusion_matrix(y_true, y_pred, n_classes)
    assert words in str(raised.value)
