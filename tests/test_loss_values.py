"""Loss values and gradients against numbers worked out by hand.

Each expected literal has its arithmetic beside it, so a reader can redo it on paper. The
inputs are chosen so the arithmetic is short: probabilities like 0.5, 0.8 and 0.25, integer
regression errors. The (3, 2) cases pin the order of averaging (over outputs, then samples)
and the 1 / (n_outputs · n_samples) scale of the gradients; the regularization cases pin the
penalty of all four L1/L2 terms and where ``Loss`` finds the layers it sums over.
"""

from __future__ import annotations

import math

import numpy as np
import pytest

from nnfs_core import (
    BinaryCrossentropy,
    CategoricalCrossentropy,
    Dense,
    MeanAbsoluteError,
    MeanSquaredError,
    SoftmaxCategoricalCrossentropy,
)

# ---------------------------------------------------------------------------------------
# Categorical cross-entropy
# ---------------------------------------------------------------------------------------


@pytest.mark.ch05
def test_categorical_crossentropy_of_one_sample_is_minus_log_of_the_correct_class():
    loss = CategoricalCrossentropy()
    value = loss.calculate(np.array([[0.7, 0.1, 0.2]]), np.array([0]))
    assert value == pytest.approx(0.35667494393873245, rel=1e-15)  # -ln(0.7)


@pytest.mark.ch05
def test_categorical_crossentropy_is_the_mean_of_the_sample_losses():
    predictions = np.array([[0.7, 0.1, 0.2], [0.1, 0.5, 0.4]])
    loss = CategoricalCrossentropy()
    sample_losses = loss.forward(predictions, np.array([0, 1]))
    np.testing.assert_allclose(
        sample_losses,
        [0.35667494393873245, 0.6931471805599453],  # [-ln 0.7, -ln 0.5]
        rtol=1e-15,
    )
    assert loss.calculate(predictions, np.array([0, 1])) == pytest.approx(
        0.5249110622493389,  # (0.35667494393873245 + 0.6931471805599453) / 2
        rel=1e-15,
    )


@pytest.mark.ch05
def test_categorical_crossentropy_one_hot_labels_equal_sparse_labels():
    predictions = np.array([[0.7, 0.1, 0.2], [0.1, 0.5, 0.4], [0.02, 0.9, 0.08]])
    sparse = np.array([0, 2, 1])
    one_hot = np.array([[1, 0, 0], [0, 0, 1], [0, 1, 0]])
    loss = CategoricalCrossentropy()
    np.testing.assert_array_equal(
        loss.forward(predictions, one_hot), loss.forward(predictions, sparse)
    )
    np.testing.assert_array_equal(
        loss.backward(predictions, one_hot), loss.backward(predictions, sparse)
    )


@pytest.mark.ch05
def test_categorical_crossentropy_clips_a_correct_class_probability_of_zero():
    """p = 0 would give -ln 0 = inf; the clip to 1e-7 gives -ln(1e-7) instead."""
    loss = CategoricalCrossentropy()
    value = loss.calculate(np.array([[0.0, 0.6, 0.4]]), np.array([0]))
    assert math.isfinite(value)
    assert value == pytest.approx(16.11809565095832, rel=1e-15)  # -ln(1e-7) = 7 · ln 10


@pytest.mark.ch05
def test_categorical_crossentropy_clips_a_correct_class_probability_of_one():
    """The clip works at the top too: p = 1 counts as 1 - 1e-7, so the loss is not exactly 0."""
    loss = CategoricalCrossentropy()
    value = loss.calculate(np.array([[1.0, 0.0, 0.0]]), np.array([0]))
    # -ln(1 - 1e-7) = 1e-7 + (1e-7)²/2 + ... ≈ 1.00000005e-7 (1 - 1e-7 itself rounds in
    # float64 at the 5e-10 relative level, hence the tolerance).
    assert value == pytest.approx(1.00000005e-7, rel=1e-8)
    assert value > 0


@pytest.mark.ch09
def test_categorical_crossentropy_gradient_by_hand():
    """dinputs = -y_onehot / p / n_samples."""
    predictions = np.array([[0.5, 0.25, 0.25], [0.25, 0.25, 0.5]])
    gradient = CategoricalCrossentropy().backward(predictions, np.array([0, 2]))
    np.testing.assert_array_equal(
        gradient,
        [
            [-1.0, 0.0, 0.0],  # -1 / 0.5 / 2 at the label, 0 elsewhere
            [0.0, 0.0, -1.0],  # -1 / 0.5 / 2
        ],
    )


@pytest.mark.ch09
def test_categorical_crossentropy_gradient_is_finite_at_probability_zero():
    gradient = CategoricalCrossentropy().backward(np.array([[0.0, 0.6, 0.4]]), np.array([0]))
    assert gradient[0, 0] == pytest.approx(-1e7, rel=1e-12)  # -1 / 1e-7 / 1
    assert np.all(np.isfinite(gradient))


@pytest.mark.ch09
def test_softmax_crossentropy_on_equal_logits_is_log_of_the_number_of_classes():
    combined = SoftmaxCategoricalCrossentropy()
    value = combined.forward(np.zeros((1, 3)), np.array([1]))
    assert value == pytest.approx(1.0986122886681098, rel=1e-15)  # softmax = 1/3 each; -ln(1/3)
    gradient = combined.backward(combined.output, np.array([1]))
    np.testing.assert_allclose(
        gradient,
        [[1 / 3, -2 / 3, 1 / 3]],  # (1/3 - [0, 1, 0]) / 1 sample
        rtol=1e-15,
    )


# ---------------------------------------------------------------------------------------
# Binary cross-entropy, MSE and MAE on 2x2 examples
# ---------------------------------------------------------------------------------------


@pytest.mark.ch16
def test_binary_crossentropy_by_hand_on_two_samples_with_two_outputs():
    predictions = np.array([[0.5, 0.8], [0.2, 0.75]])
    targets = np.array([[1.0, 1.0], [0.0, 1.0]])
    loss = BinaryCrossentropy()
    np.testing.assert_allclose(
        loss.forward(predictions, targets),
        [
            0.45814536593707755,  # (-ln 0.5 - ln 0.8) / 2 = (ln 2 + ln 1.25) / 2 = ln(2.5) / 2
            0.25541281188299536,  # (-ln(1 - 0.2) - ln 0.75) / 2 = ln(1.25 · 4/3) / 2 = ln(5/3) / 2
        ],
        rtol=1e-14,
    )
    assert loss.calculate(predictions, targets) == pytest.approx(
        0.35677908891003646,  # (ln 2.5 + ln(5/3)) / 4 = ln(25/6) / 4
        rel=1e-14,
    )
    # -(y / p - (1 - y) / (1 - p)) / 2 outputs / 2 samples
    np.testing.assert_allclose(
        loss.backward(predictions, targets),
        [
            [-0.5, -0.3125],  # -(1 / 0.5) / 4, -(1 / 0.8) / 4
            [0.3125, -1 / 3],  # +(1 / 0.8) / 4, -(1 / 0.75) / 4
        ],
        rtol=1e-14,
    )


@pytest.mark.ch17
def test_mean_squared_error_by_hand_on_two_samples_with_two_outputs():
    predictions = np.array([[1.0, 2.0], [3.0, 5.0]])
    targets = np.array([[0.0, 2.0], [1.0, 1.0]])
    loss = MeanSquaredError()
    np.testing.assert_array_equal(
        loss.forward(predictions, targets),
        [0.5, 10.0],  # (1² + 0²) / 2, (2² + 4²) / 2
    )
    assert loss.calculate(predictions, targets) == 5.25  # (0.5 + 10) / 2
    np.testing.assert_array_equal(
        loss.backward(predictions, targets),
        [[0.5, 0.0], [1.0, 2.0]],  # -2 (y - p) / 2 / 2 = (p - y) / 2
    )


@pytest.mark.ch17
def test_mean_absolute_error_by_hand_on_two_samples_with_two_outputs():
    predictions = np.array([[1.0, 2.0], [3.0, 5.0]])
    targets = np.array([[0.0, 2.0], [1.0, 1.0]])
    loss = MeanAbsoluteError()
    np.testing.assert_array_equal(
        loss.forward(predictions, targets),
        [0.5, 3.0],  # (|1| + |0|) / 2, (|2| + |4|) / 2
    )
    assert loss.calculate(predictions, targets) == 1.75  # (0.5 + 3) / 2
    np.testing.assert_array_equal(
        loss.backward(predictions, targets),
        [[0.25, 0.0], [0.25, 0.25]],  # sign(p - y) / 2 / 2, and sign(0) = 0
    )


# ---------------------------------------------------------------------------------------
# Averaging over outputs, then samples: a (3, 2) case
# ---------------------------------------------------------------------------------------

PREDICTIONS_3x2 = np.array([[1.0, 1.0], [2.0, 4.0], [0.0, 0.0]])
TARGETS_3x2 = np.array([[0.0, 0.0], [0.0, 0.0], [0.0, 3.0]])


@pytest.mark.ch17
def test_mean_squared_error_averages_over_outputs_then_samples():
    loss = MeanSquaredError()
    sample_losses = loss.forward(PREDICTIONS_3x2, TARGETS_3x2)
    assert sample_losses.shape == (3,)  # one value per sample, not per output
    np.testing.assert_array_equal(sample_losses, [1.0, 10.0, 4.5])  # (1+1)/2, (4+16)/2, (0+9)/2
    assert loss.calculate(PREDICTIONS_3x2, TARGETS_3x2) == pytest.approx(15.5 / 3, rel=1e-15)
    np.testing.assert_allclose(
        loss.backward(PREDICTIONS_3x2, TARGETS_3x2),
        [[1 / 3, 1 / 3], [2 / 3, 4 / 3], [0.0, -1.0]],  # -2 (y - p) / 2 outputs / 3 samples
        rtol=1e-15,
    )


@pytest.mark.ch17
def test_mean_absolute_error_averages_over_outputs_then_samples():
    loss = MeanAbsoluteError()
    sample_losses = loss.forward(PREDICTIONS_3x2, TARGETS_3x2)
    assert sample_losses.shape == (3,)
    np.testing.assert_array_equal(sample_losses, [1.0, 3.0, 1.5])  # (1+1)/2, (2+4)/2, (0+3)/2
    assert loss.calculate(PREDICTIONS_3x2, TARGETS_3x2) == pytest.approx(5.5 / 3, rel=1e-15)
    np.testing.assert_allclose(
        loss.backward(PREDICTIONS_3x2, TARGETS_3x2),
        [[1 / 6, 1 / 6], [1 / 6, 1 / 6], [0.0, -1 / 6]],  # sign(p - y) / 2 outputs / 3 samples
        rtol=1e-15,
    )


@pytest.mark.ch16
def test_binary_crossentropy_averages_over_outputs_then_samples():
    predictions = np.full((3, 2), 0.5)
    targets = np.array([[1.0, 0.0], [1.0, 1.0], [0.0, 0.0]])
    loss = BinaryCrossentropy()
    sample_losses = loss.forward(predictions, targets)
    assert sample_losses.shape == (3,)
    # Every output costs -ln 0.5 = ln 2 whatever its target; the mean of ln 2 is ln 2.
    np.testing.assert_allclose(sample_losses, [0.6931471805599453] * 3, rtol=1e-15)
    assert loss.calculate(predictions, targets) == pytest.approx(0.6931471805599453, rel=1e-15)
    np.testing.assert_allclose(
        loss.backward(predictions, targets),
        # y = 1: -(1 / 0.5) / 2 / 3 = -1/3;  y = 0: +(1 / 0.5) / 2 / 3 = +1/3
        [[-1 / 3, 1 / 3], [-1 / 3, -1 / 3], [1 / 3, 1 / 3]],
        rtol=1e-15,
    )


# ---------------------------------------------------------------------------------------
# Regularization penalty
# ---------------------------------------------------------------------------------------


def dense_with_all_four_regularizers() -> Dense:
    layer = Dense(
        2,
        2,
        weight_regularizer_l1=0.1,
        weight_regularizer_l2=0.01,
        bias_regularizer_l1=0.2,
        bias_regularizer_l2=0.02,
    )
    layer.set_parameters(np.array([[1.0, -2.0], [0.5, 0.0]]), np.array([[-1.0, 3.0]]))
    return layer


# For the layer above:
#   Σ|w| = 1 + 2 + 0.5 + 0 = 3.5     Σw² = 1 + 4 + 0.25 + 0 = 5.25
#   Σ|b| = 1 + 3 = 4                  Σb² = 1 + 9 = 10
#   penalty = 0.1·3.5 + 0.01·5.25 + 0.2·4 + 0.02·10 = 0.35 + 0.0525 + 0.8 + 0.2 = 1.4025
ALL_FOUR_PENALTY = 1.4025


@pytest.mark.ch14
def test_calculate_with_regularization_returns_data_loss_and_penalty():
    layer = dense_with_all_four_regularizers()
    output = layer.forward(np.array([[1.0, 1.0]]))
    np.testing.assert_array_equal(output, [[0.5, 1.0]])  # [1 + 0.5 - 1, -2 + 0 + 3]
    loss = MeanSquaredError()
    loss.remember_trainable_layers([layer])
    data_loss, regularization_loss = loss.calculate(
        output, np.array([[0.5, 0.0]]), include_regularization=True
    )
    assert data_loss == 0.5  # (0² + 1²) / 2
    assert regularization_loss == pytest.approx(ALL_FOUR_PENALTY, rel=1e-14)


@pytest.mark.ch14
def test_regularization_loss_of_one_layer_by_hand():
    layer = dense_with_all_four_regularizers()
    assert MeanSquaredError().regularization_loss(layer) == pytest.approx(
        ALL_FOUR_PENALTY, rel=1e-14
    )
    unregularized = Dense(2, 2)
    unregularized.set_parameters(layer.weights, layer.biases)
    assert MeanSquaredError().regularization_loss(unregularized) == 0.0


@pytest.mark.ch18
def test_regularization_loss_without_a_layer_sums_the_remembered_layers():
    first = dense_with_all_four_regularizers()
    second = Dense(2, 1, weight_regularizer_l2=0.5)
    second.set_parameters(np.array([[2.0], [-1.0]]), np.array([[7.0]]))
    third = Dense(1, 1)  # no regularizers: contributes nothing
    loss = CategoricalCrossentropy()

    assert loss.regularization_loss() == 0.0  # nothing remembered yet
    assert loss.regularization_loss(second) == pytest.approx(2.5, rel=1e-15)  # 0.5 · (4 + 1)

    loss.remember_trainable_layers([first, second, third])
    assert loss.regularization_loss() == pytest.approx(
        ALL_FOUR_PENALTY + 2.5,  # 1.4025 + 2.5 = 3.9025
        rel=1e-14,
    )
    # Asking about one layer still means that layer only.
    assert loss.regularization_loss(first) == pytest.approx(ALL_FOUR_PENALTY, rel=1e-14)


# ---------------------------------------------------------------------------------------
# Accumulating over batches
# ---------------------------------------------------------------------------------------


@pytest.mark.ch19
def test_calculate_accumulated_is_the_mean_over_all_samples_of_all_batches():
    """Batches of 3 and 1 samples: the epoch loss weights samples, not batches."""
    loss = MeanSquaredError()
    loss.new_pass()
    first = loss.calculate(np.array([[1.0], [2.0], [3.0]]), np.zeros((3, 1)))
    second = loss.calculate(np.array([[4.0]]), np.zeros((1, 1)))
    assert first == pytest.approx(14 / 3, rel=1e-15)  # (1 + 4 + 9) / 3
    assert second == 16.0  # 4²
    # (1 + 4 + 9 + 16) / 4 = 7.5, not the mean of the batch means (14/3 + 16) / 2 ≈ 10.33
    assert loss.calculate_accumulated() == 7.5


@pytest.mark.ch19
def test_calculate_accumulated_with_regularization_and_new_pass():
    layer = dense_with_all_four_regularizers()
    loss = MeanSquaredError()
    loss.remember_trainable_layers([layer])
    loss.calculate(np.array([[1.0, 1.0]]), np.zeros((1, 2)))  # (1 + 1) / 2 = 1
    loss.calculate(np.array([[2.0, 0.0]]), np.zeros((1, 2)))  # (4 + 0) / 2 = 2
    data_loss, regularization_loss = loss.calculate_accumulated(include_regularization=True)
    assert data_loss == 1.5  # (1 + 2) / 2
    assert regularization_loss == pytest.approx(ALL_FOUR_PENALTY, rel=1e-14)

    loss.new_pass()
    with pytest.raises(RuntimeError, match="calculate_accumulated"):
        loss.calculate_accumulated()
    loss.calculate(np.array([[3.0, 1.0]]), np.zeros((1, 2)))  # (9 + 1) / 2 = 5
    assert loss.calculate_accumulated() == 5.0  # the earlier batches are forgotten


# ---------------------------------------------------------------------------------------
# The sign of the MAE gradient
# ---------------------------------------------------------------------------------------


@pytest.mark.ch17
def test_mean_absolute_error_gradient_is_sign_of_prediction_minus_target():
    """d|y - p| / dp = sign(p - y): raising p above y raises the loss.

    The book prints sign(y - p), which points the other way; a numerical slope settles it.
    """
    predictions = np.array([[2.0, -1.0]])
    targets = np.array([[0.0, 0.5]])  # p - y = [2, -1.5]
    loss = MeanAbsoluteError()
    analytical = loss.backward(predictions, targets)
    np.testing.assert_array_equal(analytical, [[0.5, -0.5]])  # sign(p - y) / 2 outputs / 1

    step = 1e-6
    numerical = np.zeros_like(predictions)
    for index in np.ndindex(*predictions.shape):
        above, below = predictions.copy(), predictions.copy()
        above[index] += step
        below[index] -= step
        rise = loss.calculate(above, targets) - loss.calculate(below, targets)
        numerical[index] = rise / (2 * step)
    np.testing.assert_allclose(analytical, numerical, rtol=1e-8)
    assert not np.allclose(analytical, np.sign(targets - predictions) / 2)
