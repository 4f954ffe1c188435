"""Backward passes of nnfs_core, checked against numerical gradients.

Every layer, activation and loss goes through ``nnfs_core.gradcheck`` in float64. Because a
checker can be wrong in the same way as the code it checks, gradcheck is not the only witness:
one test differentiates a whole Dense → ReLU → Dense → softmax-CCE chain with a central
difference written out here, another compares the vectorised softmax backward with the book's
per-sample Jacobian loop, and a deliberately broken layer shows that gradcheck notices and says
where. The remaining tests pin conventions a learner's implementation is compared against: L1
at exactly 0, ReLU at exactly 0, no in-place changes to the caller's arrays, and float32 layers
staying float32.
"""

from __future__ import annotations

import copy
import re

import numpy as np
import pytest

from nnfs_core import (
    BinaryCrossentropy,
    CategoricalCrossentropy,
    Dense,
    Dropout,
    GradientCheckError,
    Linear,
    MeanAbsoluteError,
    MeanSquaredError,
    ReLU,
    Sigmoid,
    Softmax,
    SoftmaxCategoricalCrossentropy,
    gradcheck,
)

# ---------------------------------------------------------------------------------------
# Helpers
# ---------------------------------------------------------------------------------------


def random_state(seed: int) -> np.random.RandomState:
    return np.random.RandomState(seed)


def nontrivial_dense(n_inputs: int, n_neurons: int, *, seed: int = 0, **regularizers) -> Dense:
    """A Dense layer whose weights are O(1) and whose biases are not zero.

    With the default init (0.01 scale, zero biases) a bias-gradient bug or a missing
    regularization term can hide under the tolerance; O(1) parameters make every term count.
    """
    layer = Dense(n_inputs, n_neurons, **regularizers, rng=seed, weight_scale=1.0)
    biases = random_state(seed + 1000).standard_normal((1, n_neurons))
    layer.set_parameters(layer.weights, biases)
    return layer


def away_from_zero(values: np.ndarray, margin: float = 1e-3) -> np.ndarray:
    """Push every value at least ``margin`` away from 0, keeping its sign."""
    return np.where(values >= 0, values + margin, values - margin)


def probabilities(rng: np.random.RandomState, shape: tuple[int, int]) -> np.ndarray:
    """Rows that sum to 1 with every entry well inside the loss's clip range."""
    raw = rng.uniform(0.2, 1.0, size=shape)
    return raw / raw.sum(axis=1, keepdims=True)


def per_sample_jacobian_backward(softmax_output: np.ndarray, dvalues: np.ndarray) -> np.ndarray:
    """The book's softmax backward: one Jacobian ``diagflat(s) - s sᵀ`` per sample."""
    dinputs = np.empty_like(dvalues)
    for index, (single_output, single_dvalues) in enumerate(zip(softmax_output, dvalues)):
        column = single_output.reshape(-1, 1)
        jacobian = np.diagflat(column) - column @ column.T
        dinputs[index] = jacobian @ single_dvalues
    return dinputs


DENSE_REGULARIZERS = [
    pytest.param({}, id="no_regularization", marks=pytest.mark.ch09),
    pytest.param({"weight_regularizer_l1": 0.3}, id="weight_l1", marks=pytest.mark.ch14),
    pytest.param({"weight_regularizer_l2": 0.2}, id="weight_l2", marks=pytest.mark.ch14),
    pytest.param({"bias_regularizer_l1": 0.4}, id="bias_l1", marks=pytest.mark.ch14),
    pytest.param({"bias_regularizer_l2": 0.5}, id="bias_l2", marks=pytest.mark.ch14),
    pytest.param(
        {
            "weight_regularizer_l1": 0.3,
            "weight_regularizer_l2": 0.2,
            "bias_regularizer_l1": 0.4,
            "bias_regularizer_l2": 0.5,
        },
        id="all_four",
        marks=pytest.mark.ch14,
    ),
]


# ---------------------------------------------------------------------------------------
# gradcheck on every component
# ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("regularizers", DENSE_REGULARIZERS)
def test_dense_gradients_match_numerical(regularizers):
    """dinputs, dweights and dbiases of Dense, with each regularizer alone and all together."""
    layer = nontrivial_dense(4, 3, seed=1, **regularizers)
    inputs = random_state(2).standard_normal((5, 4))
    result = gradcheck(layer, inputs)
    assert result.passed
    assert set(result.max_abs_error) == {"dinputs", "dweights", "dbiases"}
    # No parameter sits on an L1 kink, so every element was really compared.
    assert result.skipped == {}


@pytest.mark.ch09
def test_dense_gradients_match_numerical_with_book_initialisation():
    """The book's own init (0.01 · randn weights, zero biases) passes too."""
    layer = Dense(3, 4, rng=random_state(0))
    inputs = random_state(1).standard_normal((6, 3))
    assert gradcheck(layer, inputs).passed


@pytest.mark.ch14
def test_dense_regularization_gradient_is_data_gradient_plus_penalty_terms():
    """backward adds λ1·sign(w) + 2·λ2·w to dweights and the same for dbiases, nothing else.

    Guards against a regularizer that both gradcheck's objective and backward ignore: a
    consistent omission would pass a gradient check, but not this comparison.
    """
    l1w, l2w, l1b, l2b = 0.3, 0.2, 0.4, 0.5
    plain = nontrivial_dense(4, 3, seed=5)
    regularized = nontrivial_dense(
        4,
        3,
        seed=5,
        weight_regularizer_l1=l1w,
        weight_regularizer_l2=l2w,
        bias_regularizer_l1=l1b,
        bias_regularizer_l2=l2b,
    )
    inputs = random_state(6).standard_normal((5, 4))
    upstream = random_state(7).standard_normal((5, 3))
    for layer in (plain, regularized):
        layer.forward(inputs)
        layer.backward(upstream)
    w, b = regularized.weights, regularized.biases
    np.testing.assert_allclose(
        regularized.dweights, plain.dweights + l1w * np.sign(w) + 2 * l2w * w, rtol=1e-13
    )
    np.testing.assert_allclose(
        regularized.dbiases, plain.dbiases + l1b * np.sign(b) + 2 * l2b * b, rtol=1e-13
    )
    np.testing.assert_array_equal(regularized.dinputs, plain.dinputs)


@pytest.mark.ch15
@pytest.mark.parametrize("rate", [0.0, 0.3, 0.7])
def test_dropout_gradients_match_numerical(rate):
    """Gradients flow through the kept values only, scaled by 1 / keep rate."""
    layer = Dropout(rate, rng=random_state(3))
    inputs = random_state(4).standard_normal((6, 5))
    # gradcheck replays the generator from its current state, so this probe sees its mask.
    probe = copy.deepcopy(layer)
    probe.forward(inputs, training=True)
    assert (probe.binary_mask == 0).any() == (rate > 0)
    assert gradcheck(layer, inputs).passed


@pytest.mark.ch09
def test_relu_gradients_match_numerical_away_from_the_kink():
    """ReLU's gradient, with every input at least 1e-3 from 0 so the step never crosses it."""
    inputs = away_from_zero(random_state(5).standard_normal((6, 4)))
    assert np.min(np.abs(inputs)) >= 1e-3
    assert gradcheck(ReLU(), inputs).passed


@pytest.mark.ch09
def test_softmax_gradients_match_numerical():
    inputs = 2 * random_state(6).standard_normal((5, 4))
    assert gradcheck(Softmax(), inputs).passed


@pytest.mark.ch16
def test_sigmoid_gradients_match_numerical():
    inputs = 3 * random_state(7).standard_normal((5, 3))
    assert gradcheck(Sigmoid(), inputs).passed


@pytest.mark.ch17
def test_linear_gradients_match_numerical():
    inputs = random_state(8).standard_normal((5, 3))
    assert gradcheck(Linear(), inputs).passed


@pytest.mark.ch09
@pytest.mark.parametrize("encoding", ["sparse", "one_hot"])
def test_categorical_crossentropy_gradients_match_numerical(encoding):
    """-y / p / n for sparse class indices and for one-hot rows."""
    rng = random_state(9)
    predictions = probabilities(rng, (6, 3))
    labels = np.array([0, 2, 1, 2, 0, 1])
    y_true = labels if encoding == "sparse" else np.eye(3)[labels]
    assert gradcheck(CategoricalCrossentropy(), predictions, y_true).passed


@pytest.mark.ch09
@pytest.mark.parametrize("encoding", ["sparse", "one_hot"])
def test_softmax_crossentropy_combined_gradients_match_numerical(encoding):
    """(softmax - y) / n, differentiated through the softmax of the logits."""
    logits = 2 * random_state(10).standard_normal((6, 4))
    labels = np.array([3, 0, 1, 2, 1, 3])
    y_true = labels if encoding == "sparse" else np.eye(4)[labels]
    assert gradcheck(SoftmaxCategoricalCrossentropy(), logits, y_true).passed


@pytest.mark.ch16
@pytest.mark.parametrize("n_outputs", [1, 3])
def test_binary_crossentropy_gradients_match_numerical(n_outputs):
    """Averaged over outputs then samples, for one sigmoid output and for several."""
    rng = random_state(11)
    predictions = rng.uniform(0.05, 0.95, size=(6, n_outputs))
    targets = rng.binomial(1, 0.5, size=(6, n_outputs)).astype(float)
    assert gradcheck(BinaryCrossentropy(), predictions, targets).passed


@pytest.mark.ch17
def test_mean_squared_error_gradients_match_numerical():
    rng = random_state(12)
    predictions = rng.standard_normal((6, 2))
    targets = rng.standard_normal((6, 2))
    assert gradcheck(MeanSquaredError(), predictions, targets).passed


@pytest.mark.ch17
def test_mean_absolute_error_gradients_match_numerical_away_from_the_targets():
    """|p - y| is not differentiable at p = y, so predictions stay at least 0.1 away."""
    rng = random_state(13)
    predictions = rng.standard_normal((6, 2))
    offsets = away_from_zero(rng.uniform(-1.0, 1.0, size=(6, 2)), margin=0.1)
    targets = predictions + offsets
    assert np.min(np.abs(predictions - targets)) >= 0.1 - 1e-12
    assert gradcheck(MeanAbsoluteError(), predictions, targets).passed


# ---------------------------------------------------------------------------------------
# An independent witness: a hand-written central difference through a whole network
# ---------------------------------------------------------------------------------------


@pytest.mark.ch09
def test_network_dweights_match_hand_written_central_difference():
    """Dense → ReLU → Dense → softmax-CCE: backward's dweights vs perturbing each weight.

    Uses no part of nnfs_core.gradcheck, so a bug shared by gradcheck and the layers cannot
    hide here. Both dense layers are checked; the first one's gradient has passed back
    through everything else in the chain.
    """
    rng = random_state(21)
    X = rng.standard_normal((8, 2))
    y = np.array([0, 1, 2, 0, 1, 2, 0, 1])
    dense1 = Dense(2, 5, rng=rng, weight_scale=0.8)
    relu = ReLU()
    dense2 = Dense(5, 3, rng=rng, weight_scale=0.8)
    head = SoftmaxCategoricalCrossentropy()

    def mean_loss() -> float:
        dense1.forward(X)
        relu.forward(dense1.output)
        dense2.forward(relu.output)
        return head.forward(dense2.output, y)

    mean_loss()
    # A perturbation of 1e-6 moves each ReLU input by at most ~1e-5: no kink is crossed.
    assert np.min(np.abs(dense1.output)) > 1e-3
    head.backward(head.output, y)
    dense2.backward(head.dinputs)
    relu.backward(dense2.dinputs)
    dense1.backward(relu.dinputs)
    analytical = {"dense1": dense1.dweights.copy(), "dense2": dense2.dweights.copy()}

    step = 1e-6
    for name, layer in (("dense1", dense1), ("dense2", dense2)):
        numerical = np.zeros_like(layer.weights)
        for index in np.ndindex(*layer.weights.shape):
            original = layer.weights[index]
            layer.weights[index] = original + step
            above = mean_loss()
            layer.weights[index] = original - step
            below = mean_loss()
            layer.weights[index] = original
            numerical[index] = (above - below) / (2 * step)
        np.testing.assert_allclose(analytical[name], numerical, rtol=1e-6, atol=1e-9, err_msg=name)


# ---------------------------------------------------------------------------------------
# Conventions
# ---------------------------------------------------------------------------------------


@pytest.mark.ch14
def test_l1_gradient_at_exactly_zero_is_plus_lambda_and_gradcheck_skips_it():
    """The book's convention: d|w|/dw is +1 at w = 0 (ones_like, then -1 where w < 0).

    A two-sided difference sees a slope of about 0 there, so gradcheck leaves those
    elements out and counts them in ``result.skipped`` instead of failing.
    """
    l1_weights, l1_biases = 0.3, 0.4
    regularized = nontrivial_dense(
        3, 2, seed=2, weight_regularizer_l1=l1_weights, bias_regularizer_l1=l1_biases
    )
    weights = regularized.weights.copy()
    weights[0, 1] = 0.0
    weights[2, 0] = 0.0
    biases = np.array([[0.0, -0.7]])
    regularized.set_parameters(weights, biases)
    plain = Dense(3, 2)
    plain.set_parameters(weights, biases)

    inputs = random_state(3).standard_normal((4, 3))
    upstream = random_state(4).standard_normal((4, 2))
    for layer in (regularized, plain):
        layer.forward(inputs)
        layer.backward(upstream)

    for index in ((0, 1), (2, 0)):
        assert regularized.dweights[index] == pytest.approx(
            plain.dweights[index] + l1_weights, rel=1e-14
        )
    assert regularized.dbiases[0, 0] == pytest.approx(plain.dbiases[0, 0] + l1_biases, rel=1e-14)
    assert regularized.dbiases[0, 1] == pytest.approx(plain.dbiases[0, 1] - l1_biases, rel=1e-14)

    result = gradcheck(regularized, inputs, raise_on_failure=False)
    assert result.passed, str(result)
    assert result.skipped == {"dweights": 2, "dbiases": 1}


@pytest.mark.ch09
@pytest.mark.parametrize("encoding", ["sparse", "one_hot"])
def test_combined_softmax_crossentropy_backward_equals_separate_path(encoding):
    """(softmax - y) / n equals Softmax.backward(CategoricalCrossentropy.backward(...))."""
    rng = random_state(30)
    logits = 1.5 * rng.standard_normal((10, 4))
    labels = rng.randint(0, 4, size=10)
    y_true = labels if encoding == "sparse" else np.eye(4)[labels]

    combined = SoftmaxCategoricalCrossentropy()
    combined.forward(logits, y_true)
    combined.backward(combined.output, y_true)

    softmax = Softmax()
    loss = CategoricalCrossentropy()
    softmax.forward(logits)
    loss.backward(softmax.output, y_true)
    softmax.backward(loss.dinputs)

    np.testing.assert_allclose(combined.dinputs, softmax.dinputs, rtol=1e-12, atol=0)


@pytest.mark.ch09
def test_softmax_backward_equals_per_sample_jacobian_loop():
    """The vectorised s * (d - Σ s·d) equals diagflat(s) - s sᵀ applied row by row."""
    rng = random_state(31)
    softmax = Softmax()
    softmax.forward(2 * rng.standard_normal((7, 5)))
    dvalues = rng.standard_normal((7, 5))
    vectorised = softmax.backward(dvalues)
    np.testing.assert_allclose(
        vectorised, per_sample_jacobian_backward(softmax.output, dvalues), rtol=1e-12, atol=1e-15
    )


@pytest.mark.ch09
def test_relu_backward_leaves_the_callers_dvalues_untouched():
    """Zeroing the blocked gradients must happen on a copy, not on the array passed in."""
    relu = ReLU()
    relu.forward(np.array([[-1.0, 2.0, -3.0], [4.0, -5.0, 6.0]]))
    dvalues = np.arange(1.0, 7.0).reshape(2, 3)
    before = dvalues.copy()
    relu.backward(dvalues)
    np.testing.assert_array_equal(dvalues, before)
    np.testing.assert_array_equal(relu.dinputs, [[0.0, 2.0, 0.0], [4.0, 0.0, 6.0]])


@pytest.mark.ch09
def test_relu_backward_blocks_the_gradient_at_input_exactly_zero():
    """The derivative of max(0, x) is taken as 0 at x = 0 (the book zeroes where x <= 0)."""
    relu = ReLU()
    relu.forward(np.array([[0.0, 1e-300, -1e-300]]))
    relu.backward(np.array([[5.0, 5.0, 5.0]]))
    np.testing.assert_array_equal(relu.dinputs, [[0.0, 5.0, 0.0]])


@pytest.mark.ch09
def test_relu_backward_decides_from_the_inputs_not_the_output():
    """A later in-place change to ``.output`` does not change which gradients pass."""
    relu = ReLU()
    relu.forward(np.array([[-2.0, 0.0, 3.0]]))
    relu.output[...] = np.array([[7.0, 7.0, -7.0]])  # e.g. a careless in-place op downstream
    relu.backward(np.ones((1, 3)))
    np.testing.assert_array_equal(relu.dinputs, [[0.0, 0.0, 1.0]])


# ---------------------------------------------------------------------------------------
# gradcheck itself
# ---------------------------------------------------------------------------------------


class DenseWithScaledWeightGradient(Dense):
    """A broken layer: dweights 300 times too large, everything else right."""

    def backward(self, dvalues):
        super().backward(dvalues)
        self.dweights = self.dweights * 300
        return self.dinputs


class ReLUWithFlippedSign(ReLU):
    """A broken activation: dinputs with the wrong sign."""

    def backward(self, dvalues):
        self.dinputs = -super().backward(dvalues)
        return self.dinputs


FAILURE_PATTERN = (
    r"gradcheck failed for (?P<component>\w+)\.(?P<gradient>\w+) at index "
    r"\((?P<index>[\d, ]+)\): analytical (?P<analytical>\S+), numerical (?P<numerical>\S+) "
)


@pytest.mark.ch09
def test_gradcheck_report_names_component_gradient_index_and_both_values():
    """A 300× dweights is caught, and the message points at the worst element."""
    layer = nontrivial_dense(3, 2, seed=40)
    inputs = random_state(41).standard_normal((4, 3))
    upstream = random_state(42).standard_normal((4, 2))
    broken = DenseWithScaledWeightGradient(3, 2)
    broken.set_parameters(layer.weights, layer.biases)

    result = gradcheck(broken, inputs, upstream=upstream, raise_on_failure=False)

    assert not result.passed
    assert len(result.failures) == 1  # dinputs and dbiases are still right
    match = re.match(FAILURE_PATTERN, result.failures[0])
    assert match, result.failures[0]
    assert match["component"] == "DenseWithScaledWeightGradient"
    assert match["gradient"] == "dweights"
    # The correct dweights, worked out here, say where the worst error must be.
    correct = inputs.T @ upstream
    worst = np.unravel_index(np.argmax(np.abs(correct)), correct.shape)
    assert tuple(int(i) for i in match["index"].split(",")) == tuple(int(i) for i in worst)
    assert float(match["numerical"]) == pytest.approx(correct[worst], rel=1e-6)
    assert float(match["analytical"]) == pytest.approx(300 * correct[worst], rel=1e-6)
    assert result.max_abs_error["dweights"] == pytest.approx(299 * abs(correct[worst]), rel=1e-6)
    assert str(result) == result.failures[0]


@pytest.mark.ch09
def test_gradcheck_report_catches_a_sign_flip_in_dinputs():
    inputs = away_from_zero(random_state(43).standard_normal((3, 4)))
    result = gradcheck(ReLUWithFlippedSign(), inputs, raise_on_failure=False)
    assert not result.passed
    message = str(result)
    assert re.match(FAILURE_PATTERN, message), message
    assert re.search(r"for ReLUWithFlippedSign\.dinputs at index \(\d+, \d+\)", message)
    analytical = float(re.search(r"analytical (\S+),", message).group(1))
    numerical = float(re.search(r"numerical (\S+) ", message).group(1))
    assert analytical == pytest.approx(-numerical, rel=1e-6)


@pytest.mark.ch09
def test_gradcheck_raises_with_the_same_report_by_default():
    inputs = away_from_zero(random_state(44).standard_normal((3, 4)))
    with pytest.raises(GradientCheckError, match=r"ReLUWithFlippedSign\.dinputs at index"):
        gradcheck(ReLUWithFlippedSign(), inputs)


@pytest.mark.ch09
def test_gradcheck_leaves_the_callers_component_and_inputs_unchanged():
    """gradcheck works on a float64 deep copy: no parameter, gradient or rng state leaks back."""
    layer = nontrivial_dense(3, 2, seed=50, weight_regularizer_l2=0.1)
    weights, biases = layer.weights.copy(), layer.biases.copy()
    inputs = random_state(51).standard_normal((4, 3))
    inputs_before = inputs.copy()

    gradcheck(layer, inputs, raise_on_failure=False)

    np.testing.assert_array_equal(layer.weights, weights)
    np.testing.assert_array_equal(layer.biases, biases)
    np.testing.assert_array_equal(inputs, inputs_before)
    assert not hasattr(layer, "dweights")
    assert not hasattr(layer, "output")

    dropout = Dropout(0.5, rng=random_state(52))
    state_before = dropout.rng.get_state()[1].copy()
    gradcheck(dropout, inputs, raise_on_failure=False)
    np.testing.assert_array_equal(dropout.rng.get_state()[1], state_before)


# ---------------------------------------------------------------------------------------
# float32 on request
# ---------------------------------------------------------------------------------------


@pytest.mark.ch09
def test_float32_network_keeps_float32_outputs_and_gradients():
    """Dense(dtype=float32) → ReLU → Dense(dtype=float32) → softmax-CCE stays float32."""
    rng = random_state(60)
    X = rng.standard_normal((6, 2))  # float64 data: the layer casts it to its own dtype
    y = np.array([0, 1, 2, 0, 1, 2])
    dense1 = Dense(2, 4, rng=rng, dtype=np.float32)
    relu = ReLU()
    dense2 = Dense(4, 3, rng=rng, dtype=np.float32)
    head = SoftmaxCategoricalCrossentropy()

    dense1.forward(X)
    relu.forward(dense1.output)
    dense2.forward(relu.output)
    head.forward(dense2.output, y)
    head.backward(head.output, y)
    dense2.backward(head.dinputs)
    relu.backward(dense2.dinputs)
    dense1.backward(relu.dinputs)

    arrays = {
        "dense1.output": dense1.output,
        "relu.output": relu.output,
        "dense2.output": dense2.output,
        "softmax output": head.output,
        "head.dinputs": head.dinputs,
        "dense2.dweights": dense2.dweights,
        "dense2.dbiases": dense2.dbiases,
        "dense2.dinputs": dense2.dinputs,
        "relu.dinputs": relu.dinputs,
        "dense1.dweights": dense1.dweights,
        "dense1.dbiases": dense1.dbiases,
        "dense1.dinputs": dense1.dinputs,
    }
    assert {name: a.dtype for name, a in arrays.items()} == dict.fromkeys(arrays, np.float32)


@pytest.mark.ch09
def test_gradcheck_works_on_a_float32_layer_without_changing_it():
    """gradcheck casts its copy to float64; the caller's layer stays float32."""
    layer = Dense(3, 2, rng=random_state(61), weight_scale=1.0, dtype=np.float32)
    inputs = random_state(62).standard_normal((4, 3))
    assert gradcheck(layer, inputs).passed
    assert layer.weights.dtype == np.float32
    assert layer.biases.dtype == np.float32


@pytest.mark.ch09
def test_float32_dense_keeps_float32_gradients_when_upstream_is_float64():
    """A float32 layer computes its gradients in float32, whatever the upstream dtype.

    Its forward pass casts float64 inputs to float32; backward does the same with a float64
    gradient, so one float64 array arriving from outside cannot silently turn the rest of
    the backward pass into float64.
    """
    rng = random_state(63)
    dense = Dense(2, 3, rng=rng, dtype=np.float32)
    dense.forward(rng.standard_normal((5, 2)))
    assert dense.output.dtype == np.float32
    dense.backward(rng.standard_normal((5, 3)))  # float64
    assert (dense.dweights.dtype, dense.dbiases.dtype, dense.dinputs.dtype) == (np.float32,) * 3


@pytest.mark.parametrize(
    "loss",
    [
        pytest.param(BinaryCrossentropy(), id="BinaryCrossentropy", marks=pytest.mark.ch16),
        pytest.param(MeanSquaredError(), id="MeanSquaredError", marks=pytest.mark.ch17),
        pytest.param(MeanAbsoluteError(), id="MeanAbsoluteError", marks=pytest.mark.ch17),
    ],
)
def test_elementwise_loss_gradient_keeps_the_predictions_float32_dtype(loss):
    """Float64 targets (as loaded from data) do not promote a float32 net's loss gradient."""
    predictions = np.full((4, 2), 0.25, dtype=np.float32)
    targets = np.array([[0.0, 1.0], [1.0, 0.0], [1.0, 1.0], [0.0, 0.0]])  # float64, as loaded
    assert loss.backward(predictions, targets).dtype == np.float32
