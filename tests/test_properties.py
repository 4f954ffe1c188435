"""Invariants of nnfs_core's components, checked on inputs that hypothesis chooses.

Each property holds for every input, not just the fixed examples elsewhere: softmax rows are
distributions and ignore a constant shift, sigmoid is symmetric, nothing overflows for inputs
up to ±1e4 (including rows that span the whole range), cross-entropy is bounded by its clip,
the combined softmax + CCE gradient rows sum to zero, and a dense layer is affine.
"""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from nnfs_core import (
    BinaryCrossentropy,
    CategoricalCrossentropy,
    Dense,
    MeanAbsoluteError,
    MeanSquaredError,
    ReLU,
    Sigmoid,
    Softmax,
    SoftmaxCategoricalCrossentropy,
)
from nnfs_core.losses import CLIP

FAST = settings(max_examples=50, deadline=None)

#: Overflow, 0/0 and x/0 raise instead of warning, so "finite" means "computed without them",
#: not "an inf that happened to cancel". Underflow to 0 (exp(-2e4)) is expected and allowed.
STRICT_FLOATS = {"over": "raise", "invalid": "raise", "divide": "raise"}

LIMIT = 1e4


def batches(
    *, limit: float = LIMIT, max_rows: int = 8, min_columns: int = 1, max_columns: int = 6
) -> st.SearchStrategy[np.ndarray]:
    """float64 batches (n_samples, n_values) with finite entries in [-limit, limit]."""
    shapes = st.tuples(
        st.integers(min_value=1, max_value=max_rows),
        st.integers(min_value=min_columns, max_value=max_columns),
    )
    elements = st.floats(min_value=-limit, max_value=limit, allow_nan=False, allow_infinity=False)
    return arrays(np.float64, shapes, elements=elements)


def unit_batches(*, max_columns: int = 6) -> st.SearchStrategy[np.ndarray]:
    """Batches with every entry in [0, 1], exact 0 and 1 included (probabilities, targets)."""
    shapes = st.tuples(
        st.integers(min_value=1, max_value=8), st.integers(min_value=1, max_value=max_columns)
    )
    elements = st.floats(min_value=0.0, max_value=1.0, allow_nan=False)
    return arrays(np.float64, shapes, elements=elements)


def softmax(values: np.ndarray) -> np.ndarray:
    return Softmax().forward(values)


HUGE_SPREAD = np.array([[-LIMIT, LIMIT, 0.0], [LIMIT, LIMIT, -LIMIT], [-LIMIT, -LIMIT, -LIMIT]])


# ---------------------------------------------------------------------------------------
# Activations (forward)
# ---------------------------------------------------------------------------------------


@pytest.mark.ch04
@FAST
@given(logits=batches())
@example(logits=HUGE_SPREAD)
def test_softmax_rows_are_probability_distributions(logits):
    """Every row sums to 1 (within 1e-12) and every entry lies in [0, 1]."""
    output = softmax(logits)
    assert output.shape == logits.shape
    np.testing.assert_allclose(output.sum(axis=1), 1.0, rtol=0, atol=1e-12)
    assert np.all(output >= 0)
    assert np.all(output <= 1)


@pytest.mark.ch04
@FAST
@given(
    logits=batches(limit=1e3),
    shifts=arrays(np.float64, 8, elements=st.floats(min_value=-1e3, max_value=1e3)),
)
def test_softmax_ignores_a_constant_shift_per_row(logits, shifts):
    """softmax(x + c) = softmax(x) for a different constant c on each row.

    Inputs are kept to ±1e3 so that x + c is exact to about 1e-13; beyond that the shift
    itself rounds, which is float arithmetic, not softmax, failing.
    """
    shifted = logits + shifts[: len(logits), None]
    np.testing.assert_allclose(softmax(shifted), softmax(logits), rtol=1e-9, atol=1e-15)


@pytest.mark.ch04
@FAST
@given(values=batches())
@example(values=HUGE_SPREAD)
def test_activations_stay_finite_for_inputs_up_to_1e4(values):
    """No overflow in softmax's or sigmoid's exp for inputs of magnitude up to 1e4."""
    for activation in (Softmax(), Sigmoid(), ReLU()):
        with np.errstate(**STRICT_FLOATS):
            output = activation.forward(values)
        assert np.all(np.isfinite(output)), type(activation).__name__


@pytest.mark.ch16
@FAST
@given(values=batches())
@example(values=HUGE_SPREAD)
def test_sigmoid_is_in_unit_interval_and_symmetric(values):
    """0 <= s(x) <= 1 and s(-x) = 1 - s(x)."""
    positive = Sigmoid().forward(values)
    negative = Sigmoid().forward(-values)
    assert np.all((positive >= 0) & (positive <= 1))
    np.testing.assert_allclose(negative, 1 - positive, rtol=0, atol=2e-16)


@pytest.mark.ch04
@FAST
@given(values=batches())
def test_relu_is_max_of_zero_and_input(values):
    output = ReLU().forward(values)
    np.testing.assert_array_equal(output, np.maximum(values, 0))
    assert np.all(output >= 0)


# ---------------------------------------------------------------------------------------
# Losses
# ---------------------------------------------------------------------------------------


@st.composite
def predictions_and_labels(draw, *, rows_sum_to_one: bool):
    """(predictions (n, k), sparse labels (n,)) with k >= 2."""
    if rows_sum_to_one:
        predictions = softmax(draw(batches(min_columns=2)))
    else:
        predictions = draw(unit_batches(max_columns=6).filter(lambda a: a.shape[1] >= 2))
    n_samples, n_classes = predictions.shape
    labels = draw(
        arrays(np.int64, n_samples, elements=st.integers(min_value=0, max_value=n_classes - 1))
    )
    return predictions, labels


@pytest.mark.ch05
@FAST
@given(case=predictions_and_labels(rows_sum_to_one=False))
def test_categorical_crossentropy_is_between_zero_and_minus_log_clip(case):
    """Clipping to [1e-7, 1 - 1e-7] bounds every sample loss: 0 <= loss <= -log(1e-7)."""
    predictions, labels = case
    sample_losses = CategoricalCrossentropy().forward(predictions, labels)
    assert np.all(np.isfinite(sample_losses))
    assert np.all(sample_losses >= 0)
    assert np.all(sample_losses <= -np.log(CLIP))


@pytest.mark.ch05
@FAST
@given(logits=batches(min_columns=2), data=st.data())
@example(logits=HUGE_SPREAD, data=None)
def test_classification_losses_stay_finite_for_logits_up_to_1e4(logits, data):
    """Softmax + CCE on logits of any spread: probabilities of exactly 0 are clipped, not logged."""
    n_samples, n_classes = logits.shape
    if data is None:  # the explicit example: the most extreme label choice
        labels = np.zeros(n_samples, dtype=np.int64)
    else:
        labels = data.draw(
            arrays(np.int64, n_samples, elements=st.integers(min_value=0, max_value=n_classes - 1))
        )
    combined = SoftmaxCategoricalCrossentropy()
    separate = CategoricalCrossentropy()
    with np.errstate(**STRICT_FLOATS):
        loss = combined.forward(logits, labels)
        combined.backward(combined.output, labels)
        sample_losses = separate.forward(combined.output, labels)
        separate_gradient = separate.backward(combined.output, labels)
    assert np.isfinite(loss)
    assert np.all(np.isfinite(combined.dinputs))
    assert np.all(np.isfinite(sample_losses))
    assert np.all(np.isfinite(separate_gradient))


@pytest.mark.ch16
@FAST
@given(logits=batches(), data=st.data())
@example(logits=HUGE_SPREAD, data=None)
def test_binary_crossentropy_stays_finite_on_sigmoid_outputs_of_large_inputs(logits, data):
    """Sigmoid saturates to exactly 0 or 1 at ±1e4; the clip keeps BCE and its gradient finite."""
    if data is None:
        targets = np.ones_like(logits)
    else:
        targets = data.draw(arrays(np.float64, logits.shape, elements=st.sampled_from([0.0, 1.0])))
    loss = BinaryCrossentropy()
    with np.errstate(**STRICT_FLOATS):
        predictions = Sigmoid().forward(logits)
        sample_losses = loss.forward(predictions, targets)
        gradient = loss.backward(predictions, targets)
    assert np.all(np.isfinite(sample_losses))
    assert np.all(np.isfinite(gradient))
    # The upper clip 1 - 1e-7 rounds in float64, so log(1 - clipped) bottoms out at
    # log(1 - (1 - 1e-7)) ≈ log(1e-7) - 5e-10, a hair below log(1e-7).
    worst = max(-np.log(CLIP), -np.log(1 - (1 - CLIP)))
    assert np.all(sample_losses <= worst * (1 + 1e-12))


@pytest.mark.ch17
@FAST
@given(predictions=batches(), data=st.data())
def test_regression_losses_stay_finite_for_values_up_to_1e4(predictions, data):
    targets = data.draw(
        arrays(np.float64, predictions.shape, elements=st.floats(min_value=-LIMIT, max_value=LIMIT))
    )
    for loss in (MeanSquaredError(), MeanAbsoluteError()):
        with np.errstate(**STRICT_FLOATS):
            sample_losses = loss.forward(predictions, targets)
            gradient = loss.backward(predictions, targets)
        assert np.all(np.isfinite(sample_losses)), repr(loss)
        assert np.all(np.isfinite(gradient)), repr(loss)
        assert np.all(sample_losses >= 0), repr(loss)


@pytest.mark.ch17
@FAST
@given(predictions=batches())
def test_mean_squared_error_gradient_is_zero_when_predictions_equal_targets(predictions):
    loss = MeanSquaredError()
    np.testing.assert_array_equal(loss.forward(predictions, predictions.copy()), 0.0)
    np.testing.assert_array_equal(loss.backward(predictions, predictions.copy()), 0.0)


# ---------------------------------------------------------------------------------------
# Backward
# ---------------------------------------------------------------------------------------


@pytest.mark.ch09
@FAST
@given(case=predictions_and_labels(rows_sum_to_one=True))
def test_combined_softmax_crossentropy_gradient_rows_sum_to_zero(case):
    """Each row of (softmax - one_hot) / n sums to (1 - 1) / n = 0."""
    softmax_output, labels = case
    n_samples, n_classes = softmax_output.shape
    dinputs = SoftmaxCategoricalCrossentropy().backward(softmax_output, labels)
    np.testing.assert_allclose(dinputs.sum(axis=1), 0.0, rtol=0, atol=1e-15)
    expected = (softmax_output - np.eye(n_classes)[labels]) / n_samples
    np.testing.assert_allclose(dinputs, expected, rtol=0, atol=1e-17)


# ---------------------------------------------------------------------------------------
# Dense
# ---------------------------------------------------------------------------------------


@pytest.mark.ch03
@FAST
@given(
    seed=st.integers(min_value=0, max_value=2**32 - 1),
    n_inputs=st.integers(min_value=1, max_value=5),
    n_neurons=st.integers(min_value=1, max_value=5),
    n_samples=st.integers(min_value=1, max_value=6),
    data=st.data(),
)
def test_dense_forward_is_linear_once_the_biases_are_removed(
    seed, n_inputs, n_neurons, n_samples, data
):
    """With g(x) = f(x) - biases: g(a + b) = g(a) + g(b) and g(c·a) = c·g(a)."""
    rng = np.random.RandomState(seed)
    layer = Dense(n_inputs, n_neurons, rng=rng, weight_scale=1.0)
    layer.set_parameters(layer.weights, rng.standard_normal((1, n_neurons)))
    inputs = arrays(
        np.float64, (n_samples, n_inputs), elements=st.floats(min_value=-100, max_value=100)
    )
    a, b = data.draw(inputs), data.draw(inputs)
    c = data.draw(st.floats(min_value=-10, max_value=10))

    def linear_part(x: np.ndarray) -> np.ndarray:
        return layer.forward(x) - layer.biases

    # Rounding grows with the size of the terms summed: |a|, |b| <= 100, |w| ~ a few.
    tolerance = 1e-12 * (1 + n_inputs * 200 * np.abs(layer.weights).max())
    np.testing.assert_allclose(
        linear_part(a + b), linear_part(a) + linear_part(b), rtol=0, atol=tolerance
    )
    np.testing.assert_allclose(linear_part(c * a), c * linear_part(a), rtol=0, atol=10 * tolerance)
