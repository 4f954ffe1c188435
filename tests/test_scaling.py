"""nnfs_core.scaling: the min-max scaler of chapter 13 and its documented decisions."""

from __future__ import annotations

import numpy as np
import pytest

from nnfs_core import MinMaxScaler

pytestmark = pytest.mark.ch13

X_TRAIN = np.array([[0.0, 10.0, 5.0], [2.0, 30.0, 5.0], [4.0, 20.0, 5.0]])


@pytest.mark.parametrize(("feature_range", "low", "high"), [((0, 1), 0, 1), ((-1, 1), -1, 1)])
def test_training_data_span_the_range_per_feature(feature_range, low, high):
    out = MinMaxScaler(feature_range).fit_transform(X_TRAIN)
    assert np.allclose(out[:, :2].min(axis=0), low) and np.allclose(out[:, :2].max(axis=0), high)


def test_a_constant_feature_maps_to_the_low_end_without_dividing_by_zero():
    scaler = MinMaxScaler((-1, 1)).fit(X_TRAIN)
    assert np.array_equal(scaler.transform(X_TRAIN)[:, 2], [-1.0, -1.0, -1.0])
    assert scaler.transform([[0.0, 10.0, 6.0]])[0, 2] == pytest.approx(1.0)  # range taken as 1


def test_new_data_use_the_training_statistics_and_are_not_clipped():
    scaler = MinMaxScaler().fit(X_TRAIN)
    out = scaler.transform(np.array([[8.0, 0.0, 5.0]]))
    assert np.allclose(out, [[2.0, -0.5, 0.0]])


def test_inputs_are_left_unchanged_and_pixels_scale_like_division_by_255():
    pixels = np.array([[0, 255], [255, 0], [51, 102]], dtype=np.uint8)
    copy = pixels.copy()
    out = MinMaxScaler().fit(pixels).transform(pixels)
    assert np.array_equal(pixels, copy)
    assert np.allclose(out, pixels / 255)


@pytest.mark.parametrize(
    ("act", "error", "words"),
    [
        (lambda: MinMaxScaler((1, 0)), ValueError, "low < high"),
        (lambda: MinMaxScaler(1.0), TypeError, "a pair"),
        (lambda: MinMaxScaler().transform(X_TRAIN), RuntimeError, "not been fitted"),
        (lambda: MinMaxScaler().fit(X_TRAIN).transform(X_TRAIN[:, :2]), ValueError, "fitted on"),
        (lambda: MinMaxScaler().fit(np.arange(4.0)), ValueError, "2-D"),
        (lambda: MinMaxScaler().fit([[1.0, np.nan]]), ValueError, "NaN"),
    ],
)
def test_bad_input_says_what_was_received_and_how_to_fix_it(act, error, words):
    with pytest.raises(error) as caught:
        act()
    assert words in str(caught.value)
