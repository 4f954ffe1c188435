"""Optimizers (chapter 10): the first few steps of each, checked against numbers worked out by hand.

Every expected value below is a literal, with the arithmetic that produced it in a comment; none is
computed by running an optimizer formula in the test. The steps run on a tiny stand-in layer
(weights (1, 2), biases (1, 2)) whose gradients we set directly, so each test reads as "given this
gradient, the weights must move to exactly here". Values are compared to 1e-12, well below the
~1e-10 that the epsilon 1e-7 contributes, so an epsilon in the wrong place shows up too.
"""

from __future__ import annotations

import inspect

import numpy as np
import pytest

from nnfs_core import SGD, Adagrad, Adam, Dense, RMSprop

pytestmark = pytest.mark.ch10

ALL_OPTIMIZERS = [SGD, Adagrad, RMSprop, Adam]


class FakeLayer:
    """The smallest thing an optimizer can update: parameters and their gradients, nothing else."""

    def __init__(self, weights=((1.0, -2.0),), biases=((0.0, 0.5),)) -> None:
        self.weights = np.array(weights, dtype=np.float64)
        self.biases = np.array(biases, dtype=np.float64)

    def __repr__(self) -> str:
        return "FakeLayer()"


def step(optimizer, layer, dweights, dbiases) -> None:
    """One step with the book's three calls, after a 'backward' that set these gradients."""
    layer.dweights = np.array(dweights, dtype=np.float64)
    layer.dbiases = np.array(dbiases, dtype=np.float64)
    optimizer.pre_update_params()
    optimizer.update_params(layer)
    optimizer.post_update_params()


def assert_close(actual, expected) -> None:
    np.testing.assert_allclose(actual, np.array(expected, dtype=np.float64), rtol=0, atol=1e-12)


# -- the book's defaults and the shared protocol -------------------------------------------------


@pytest.mark.parametrize(
    ("optimizer_class", "defaults"),
    [
        (SGD, {"learning_rate": 1.0, "decay": 0.0, "momentum": 0.0}),
        (Adagrad, {"learning_rate": 1.0, "decay": 0.0, "epsilon": 1e-7}),
        (RMSprop, {"learning_rate": 0.001, "decay": 0.0, "epsilon": 1e-7, "rho": 0.9}),
        (
            Adam,
            {"learning_rate": 0.001, "decay": 0.0, "epsilon": 1e-7, "beta_1": 0.9, "beta_2": 0.999},
        ),
    ],
    ids=lambda value: getattr(value, "__name__", ""),
)
def test_constructor_defaults_and_argument_order_are_the_books(optimizer_class, defaults):
    parameters = inspect.signature(optimizer_class.__init__).parameters
    received = {name: parameter.default for name, parameter in parameters.items() if name != "self"}
    # Same names, same order (the book passes them positionally too), same default values.
    assert list(received) == list(defaults)
    assert received == defaults
    optimizer = optimizer_class()
    for name, value in defaults.items():
        assert getattr(optimizer, name) == value
    assert optimizer.current_learning_rate == defaults["learning_rate"]
    assert optimizer.iterations == 0


@pytest.mark.parametrize("optimizer_class", ALL_OPTIMIZERS, ids=lambda cls: cls.__name__)
def test_iterations_counts_completed_steps_in_post_update_params(optimizer_class):
    optimizer = optimizer_class()
    layer = FakeLayer()
    layer.dweights = np.array([[0.5, -1.0]])
    layer.dbiases = np.array([[0.25, 2.0]])
    assert optimizer.iterations == 0
    optimizer.pre_update_params()
    optimizer.update_params(layer)
    assert optimizer.iterations == 0, "update_params must not count the step"
    optimizer.post_update_params()
    assert optimizer.iterations == 1
    for _ in range(2):
        step(optimizer, layer, [[0.5, -1.0]], [[0.25, 2.0]])
    assert optimizer.iterations == 3


@pytest.mark.parametrize("optimizer_class", ALL_OPTIMIZERS, ids=lambda cls: cls.__name__)
def test_decay_sequence_is_lr_over_one_plus_decay_times_completed_steps(optimizer_class):
    # learning_rate 1.0, decay 0.5: t = 0 → 1/(1 + 0) = 1.0 (the first step is undecayed),
    # t = 1 → 1/(1 + 0.5) = 0.666..., t = 2 → 1/(1 + 1.0) = 0.5.
    optimizer = optimizer_class(learning_rate=1.0, decay=0.5)
    layer = FakeLayer()
    seen = []
    for _ in range(3):
        step(optimizer, layer, [[0.5, -1.0]], [[0.25, 2.0]])
        seen.append(optimizer.current_learning_rate)
    np.testing.assert_allclose(seen, [1.0, 0.6666666666666666, 0.5], rtol=1e-15)
    assert optimizer.learning_rate == 1.0, "decay must not overwrite the initial learning rate"


@pytest.mark.parametrize("optimizer_class", ALL_OPTIMIZERS, ids=lambda cls: cls.__name__)
def test_update_params_on_a_layer_without_gradients_says_to_call_backward(optimizer_class):
    optimizer = optimizer_class()
    optimizer.pre_update_params()
    with pytest.raises(RuntimeError, match=r"no dweights/dbiases.*Fix: call layer\.backward"):
        optimizer.update_params(Dense(2, 3, rng=0))
    with pytest.raises(RuntimeError, match=r"FakeLayer\(\) has no dweights"):
        optimizer.update_params(FakeLayer())


# -- SGD -------------------------------------------------------------------------------------------


def test_sgd_default_steps_by_minus_the_gradient():
    optimizer = SGD()
    layer = FakeLayer()
    # Step 1, lr 1: w = [1 - 0.5, -2 + 1] = [0.5, -1];  b = [0 - 0.25, 0.5 - 2] = [-0.25, -1.5]
    step(optimizer, layer, [[0.5, -1.0]], [[0.25, 2.0]])
    assert_close(layer.weights, [[0.5, -1.0]])
    assert_close(layer.biases, [[-0.25, -1.5]])
    # Step 2 with new gradients: w = [0.5 + 0.5, -1 - 0.25] = [1, -1.25];
    # b = [-0.25 - 1, -1.5 + 0.5] = [-1.25, -1]
    step(optimizer, layer, [[-0.5, 0.25]], [[1.0, -0.5]])
    assert_close(layer.weights, [[1.0, -1.25]])
    assert_close(layer.biases, [[-1.25, -1.0]])
    assert optimizer.current_learning_rate == 1.0
    assert not hasattr(layer, "weight_momentums"), "plain SGD keeps no state on the layer"


def test_sgd_decay_is_applied_in_pre_update_params_before_the_step():
    optimizer = SGD(learning_rate=2.0, decay=1.0)
    layer = FakeLayer()
    gradient, bias_gradient = [[0.5, -1.0]], [[0.25, 2.0]]
    layer.dweights, layer.dbiases = np.array(gradient), np.array(bias_gradient)

    # Step 1, t = 0: lr = 2/(1 + 1·0) = 2.  w = [1 - 2·0.5, -2 + 2·1] = [0, 0]
    optimizer.pre_update_params()
    assert optimizer.current_learning_rate == 2.0
    optimizer.update_params(layer)
    assert_close(layer.weights, [[0.0, 0.0]])
    optimizer.post_update_params()
    # Finishing a step only counts it; the rate for the next step is set by the next pre-update.
    assert optimizer.current_learning_rate == 2.0

    # Step 2, t = 1: lr = 2/(1 + 1) = 1.  w = [0 - 0.5, 0 + 1] = [-0.5, 1]
    optimizer.pre_update_params()
    assert optimizer.current_learning_rate == 1.0
    optimizer.update_params(layer)
    assert_close(layer.weights, [[-0.5, 1.0]])
    optimizer.post_update_params()

    # Step 3, t = 2: lr = 2/3.  w = [-0.5 - 1/3, 1 + 2/3] = [-0.8333..., 1.6666...]
    # b: step 1 [0 - 0.5, 0.5 - 4] = [-0.5, -3.5]; step 2 [-0.75, -5.5];
    #    step 3 [-0.75 - 0.25·2/3, -5.5 - 2·2/3] = [-0.91666..., -6.8333...]
    optimizer.pre_update_params()
    assert optimizer.current_learning_rate == pytest.approx(0.6666666666666666, rel=1e-15)
    optimizer.update_params(layer)
    optimizer.post_update_params()
    assert_close(layer.weights, [[-0.8333333333333334, 1.6666666666666667]])
    assert_close(layer.biases, [[-0.9166666666666666, -6.833333333333333]])


def test_sgd_momentum_stores_the_last_update_on_the_layer_and_reuses_it():
    optimizer = SGD(learning_rate=1.0, momentum=0.5)
    layer = FakeLayer()
    # Step 1, no history yet: update = 0.5·0 - 1·g = [-0.5, 1];  w = [0.5, -1]
    #   bias update = -[0.25, 2] = [-0.25, -2];  b = [-0.25, -1.5]
    step(optimizer, layer, [[0.5, -1.0]], [[0.25, 2.0]])
    assert_close(layer.weight_momentums, [[-0.5, 1.0]])
    assert_close(layer.bias_momentums, [[-0.25, -2.0]])
    assert_close(layer.weights, [[0.5, -1.0]])
    assert_close(layer.biases, [[-0.25, -1.5]])
    # Step 2, g = [-0.5, 0.25]: update = 0.5·[-0.5, 1] - [-0.5, 0.25] = [0.25, 0.25];
    #   w = [0.75, -0.75].  Bias g = [1, -0.5]: update = 0.5·[-0.25, -2] - [1, -0.5]
    #   = [-1.125, -0.5];  b = [-1.375, -2]
    step(optimizer, layer, [[-0.5, 0.25]], [[1.0, -0.5]])
    assert_close(layer.weight_momentums, [[0.25, 0.25]])
    assert_close(layer.bias_momentums, [[-1.125, -0.5]])
    assert_close(layer.weights, [[0.75, -0.75]])
    assert_close(layer.biases, [[-1.375, -2.0]])
    # Step 3 with zero gradients: momentum alone keeps moving. update = 0.5·[0.25, 0.25]
    #   = [0.125, 0.125]; w = [0.875, -0.625].  Bias update = 0.5·[-1.125, -0.5]
    #   = [-0.5625, -0.25];  b = [-1.9375, -2.25]
    step(optimizer, layer, [[0.0, 0.0]], [[0.0, 0.0]])
    assert_close(layer.weight_momentums, [[0.125, 0.125]])
    assert_close(layer.bias_momentums, [[-0.5625, -0.25]])
    assert_close(layer.weights, [[0.875, -0.625]])
    assert_close(layer.biases, [[-1.9375, -2.25]])


# -- AdaGrad ---------------------------------------------------------------------------------------


def test_adagrad_cache_is_a_running_sum_of_squared_gradients():
    optimizer = Adagrad()  # lr 1, eps 1e-7
    layer = FakeLayer()
    # Gradients chosen so the root of each cumulative sum is a round number:
    #   weight 0: g = 0.3, 0.4, 1.2   → cache 0.09, 0.25, 1.69    → √ 0.3, 0.5, 1.3
    #   weight 1: g = -0.6, 0.8, -0.75 → cache 0.36, 1.00, 1.5625 → √ 0.6, 1.0, 1.25
    #   bias 0:   g = 0, 0.5, 1.2     → cache 0, 0.25, 1.69       → √ 0, 0.5, 1.3
    #   bias 1:   g = 2, 0, 1.5       → cache 4, 4, 6.25          → √ 2, 2, 2.5
    # Each step moves by -g/(√cache + 1e-7).
    # Step 1: w0 = 1 - 0.3/0.3000001 = 3.333332222e-7;  w1 = -2 + 0.6/0.6000001 = -1.00000016667
    #   b0 = 0 - 0/(0 + 1e-7) = 0 (epsilon keeps 0/0 away);  b1 = 0.5 - 2/2.0000001 = -0.49999995
    step(optimizer, layer, [[0.3, -0.6]], [[0.0, 2.0]])
    assert_close(layer.weight_cache, [[0.09, 0.36]])
    assert_close(layer.bias_cache, [[0.0, 4.0]])
    assert_close(layer.weights, [[3.333332222222259e-07, -1.0000001666666389]])
    assert_close(layer.biases, [[0.0, -0.49999995000000250]])
    # Step 2: w0 = 3.33e-7 - 0.4/0.5000001 = -0.79999950667;  w1 = -1.00000016667 - 0.8/1.0000001
    #   = -1.80000008667;  b0 = 0 - 0.5/0.5000001 = -0.9999998;  b1 unchanged (g = 0)
    step(optimizer, layer, [[0.4, 0.8]], [[0.5, 0.0]])
    assert_close(layer.weight_cache, [[0.25, 1.0]])
    assert_close(layer.bias_cache, [[0.25, 4.0]])
    assert_close(layer.weights, [[-0.7999995066668098, -1.8000000866666469]])
    assert_close(layer.biases, [[-0.9999998000000400, -0.49999995000000250]])
    # Step 3: w0 = -0.79999950667 - 1.2/1.3000001 = -1.72307635874
    #   w1 = -1.80000008667 + 0.75/1.2500001 = -1.20000013467
    #   b0 = -0.9999998 - 1.2/1.3000001 = -1.92307665207;  b1 = -0.49999995 - 1.5/2.5000001
    #   = -1.09999992600
    step(optimizer, layer, [[1.2, -0.75]], [[1.2, 1.5]])
    assert_close(layer.weight_cache, [[1.69, 1.5625]])
    assert_close(layer.bias_cache, [[1.69, 6.25]])
    assert_close(layer.weights, [[-1.7230763587378212, -1.2000001346666430]])
    assert_close(layer.biases, [[-1.9230766520710514, -1.0999999260000035]])


# -- RMSProp ---------------------------------------------------------------------------------------


def test_rmsprop_cache_is_a_moving_average_with_rho_on_the_old_cache():
    optimizer = RMSprop()  # lr 0.001, eps 1e-7, rho 0.9
    layer = FakeLayer()
    # cache = 0.9·cache + 0.1·g²; move = -0.001·g/(√cache + 1e-7)
    # Step 1: weights g = [0.5, -1]: cache = [0.1·0.25, 0.1·1] = [0.025, 0.1]
    #   w0 = 1 - 0.001·0.5/(0.158113883 + 1e-7) = 1 - 0.0031622766 = 0.99683772434
    #   w1 = -2 + 0.001·1/(0.316227766 + 1e-7) = -1.99683772334
    #   (the first step is lr·√10 ≈ 0.00316 for any g: g/√(0.1·g²) = √10)
    # Biases get a constant g = [0.25, 2]: cache after t steps = (1 - 0.9^t)·g², so each step
    #   moves by 0.001/√(1 - 0.9^t): 0.0031623, 0.0022942, 0.0019210 (less a hair for eps).
    #   Step 1: cache = [0.00625, 0.4]; b = [0 - 0.00316227366, 0.5 - 0.00316227716]
    step(optimizer, layer, [[0.5, -1.0]], [[0.25, 2.0]])
    assert_close(layer.weight_cache, [[0.025, 0.1]])
    assert_close(layer.bias_cache, [[0.00625, 0.4]])
    assert_close(layer.weights, [[0.9968377243398304, -1.9968377233398313]])
    assert_close(layer.biases, [[-0.0031622736601734389, 0.49683772283983154]])
    # Step 2: weights g = [-0.5, 0]: cache = [0.9·0.025 + 0.1·0.25, 0.9·0.1 + 0] = [0.0475, 0.09]
    #   w0 = 0.99683772434 + 0.0005/(0.2179449472 + 1e-7) = 0.99913188063;  w1 unchanged (g = 0,
    #   yet its cache still decays from 0.1 to 0.09)
    #   biases: cache = [0.011875, 0.76]; b = [-0.00545642889, 0.49454356576]
    step(optimizer, layer, [[-0.5, 0.0]], [[0.25, 2.0]])
    assert_close(layer.weight_cache, [[0.0475, 0.09]])
    assert_close(layer.bias_cache, [[0.011875, 0.76]])
    assert_close(layer.weights, [[0.9991318806259049, -1.9968377233398313]])
    assert_close(layer.biases, [[-0.0054564288936178306, 0.49454356576428379]])
    # Step 3: weights g = [0.5, 2]: cache = [0.04275 + 0.025, 0.081 + 0.4] = [0.06775, 0.481]
    #   w0 = 0.99913188063 - 0.0005/(0.2602883 + 1e-7) = 0.99721093449
    #   w1 = -1.99683772334 - 0.002/(0.6935416 + 1e-7) = -1.99972147193
    #   biases: cache = [0.0169375, 1.084]; b = [-0.00737737429, 0.49262261907]
    step(optimizer, layer, [[0.5, 2.0]], [[0.25, 2.0]])
    assert_close(layer.weight_cache, [[0.06775, 0.481]])
    assert_close(layer.bias_cache, [[0.0169375, 1.084]])
    assert_close(layer.weights, [[0.9972109344879237, -1.9997214719276733]])
    assert_close(layer.biases, [[-0.0073773742935924511, 0.49262261907279737]])


# -- Adam ------------------------------------------------------------------------------------------


def test_adam_three_steps_with_bias_correction_from_iterations_plus_one():
    optimizer = Adam()  # lr 0.001, eps 1e-7, beta_1 0.9, beta_2 0.999
    layer = FakeLayer()
    # m = 0.9·m + 0.1·g;  v = 0.999·v + 0.001·g²;  m̂ = m/(1 - 0.9^t);  v̂ = v/(1 - 0.999^t)
    # with t = iterations + 1 = 1, 2, 3;  move = -0.001·m̂/(√v̂ + 1e-7).
    # Weights see g, then -g, then g again (g = [0.5, -1]); with |g| constant, v̂ is exactly g²
    # every step, so only m̂ changes:
    #   t=1: m = 0.1g;  m̂ = 0.1g/0.1 = g;  v = 0.001g²;  v̂ = g².  Move ≈ -lr·sign(g):
    #        w0 = 1 - 0.001·0.5/(0.5 + 1e-7) = 0.9990000002
    #        w1 = -2 + 0.001/(1 + 1e-7) = -1.9990000001
    # Biases see a constant g = [0.25, 2], so m̂ = g and v̂ = g² at every step: each step moves by
    #   lr·|g|/(|g| + 1e-7) ≈ 0.001:  b0 = -0.00099999960000016;
    #   b1 = 0.5 - 0.00099999995 = 0.49900000005
    step(optimizer, layer, [[0.5, -1.0]], [[0.25, 2.0]])
    assert_close(layer.weight_momentums, [[0.05, -0.1]])
    assert_close(layer.weight_cache, [[0.00025, 0.001]])
    assert_close(layer.bias_momentums, [[0.025, 0.2]])
    assert_close(layer.bias_cache, [[0.0000625, 0.004]])
    assert_close(layer.weights, [[0.9990000001999999600, -1.9990000000999999900]])
    assert_close(layer.biases, [[-0.00099999960000015990, 0.49900000004999999750]])
    #   t=2: m = 0.09g - 0.1g = -0.01g = [-0.005, 0.01];  m̂ = -0.01g/0.19 = -g/19
    #        v = (0.999·0.001 + 0.001)g² = 0.001999g²;  v̂ = 0.001999g²/0.001999 = g²
    #        move ≈ +lr·sign(g)/19 = ±0.0000526316:  w0 = 0.99905263177;  w1 = -1.99905263167
    #        biases: m = [0.0475, 0.38], v = [0.0001249375, 0.007996];
    #        b = [-0.0019999992, 0.4980000001]
    step(optimizer, layer, [[-0.5, 1.0]], [[0.25, 2.0]])
    assert_close(layer.weight_momentums, [[-0.005, 0.01]])
    assert_close(layer.weight_cache, [[0.00049975, 0.001999]])
    assert_close(layer.bias_momentums, [[0.0475, 0.38]])
    assert_close(layer.bias_cache, [[0.0001249375, 0.007996]])
    assert_close(layer.weights, [[0.99905263176842101, -1.9990526316736842]])
    assert_close(layer.biases, [[-0.0019999992000003199, 0.49800000009999999500]])
    #   t=3: m = -0.009g + 0.1g = 0.091g = [0.0455, -0.091];  m̂ = 0.091g/0.271 = 0.3357934g
    #        v = (0.999·0.001999 + 0.001)g² = 0.002997001g²;  v̂ = g² (1 - 0.999³ = 0.002997001)
    #        move ≈ -0.000335793·sign(g):  w0 = 0.99871683848;  w1 = -1.99871683835
    #        biases: m = [0.06775, 0.542], v = [0.0001873125625, 0.011988004];
    #        b = [-0.0029999988, 0.49700000015]
    step(optimizer, layer, [[0.5, -1.0]], [[0.25, 2.0]])
    assert_close(layer.weight_momentums, [[0.0455, -0.091]])
    assert_close(layer.weight_cache, [[0.00074925025, 0.002997001]])
    assert_close(layer.bias_momentums, [[0.06775, 0.542]])
    assert_close(layer.bias_cache, [[0.0001873125625, 0.011988004]])
    assert_close(layer.weights, [[0.99871683847764609, -1.9987168383493300]])
    assert_close(layer.biases, [[-0.0029999988000004799, 0.49700000014999999250]])


def test_adam_first_step_moves_every_parameter_by_about_lr_whatever_the_gradient_size():
    # At t = 1, m̂ = g and v̂ = g², so the move is -lr·g/(|g| + eps) ≈ -lr·sign(g): Adam's first
    # step ignores the gradient's size. A missing bias correction would give -lr·0.1g/√(0.001g²)
    # = ∓lr·3.162 instead; an off-by-one (1 - beta^0 = 0) would divide by zero.
    optimizer = Adam(learning_rate=0.01)
    layer = FakeLayer(weights=[[0.0, 0.0, 0.0, 0.0]], biases=[[0.0, 0.0, 0.0, 0.0]])
    step(optimizer, layer, [[0.1, -5.0, 300.0, -0.25]], [[2.0, -2.0, 0.5, 1e3]])
    # Largest eps effect: 0.01·1e-7/0.1 = 1e-8, hence the tolerance.
    np.testing.assert_allclose(layer.weights, [[-0.01, 0.01, -0.01, 0.01]], rtol=0, atol=2e-8)
    np.testing.assert_allclose(layer.biases, [[-0.01, 0.01, -0.01, -0.01]], rtol=0, atol=2e-8)


@pytest.mark.ch09
def test_adam_step_on_a_real_dense_layer_after_a_real_backward_pass():
    layer = Dense(1, 1, rng=0)
    layer.set_parameters([[1.0]], [[0.0]])
    layer.forward(np.array([[2.0]]))
    layer.backward(np.array([[0.25]]))
    # dweights = inputs.T @ dvalues = 2·0.25 = 0.5;  dbiases = 0.25
    assert_close(layer.dweights, [[0.5]])
    assert_close(layer.dbiases, [[0.25]])
    optimizer = Adam()
    optimizer.pre_update_params()
    optimizer.update_params(layer)
    optimizer.post_update_params()
    # Same first step as the hand-worked one above:
    #   w = 1 - 0.001·0.5/(0.5 + 1e-7) = 0.99900000019999996
    #   b = 0 - 0.001·0.25/(0.25 + 1e-7) = -0.00099999960000016
    assert_close(layer.weights, [[0.9990000001999999600]])
    assert_close(layer.biases, [[-0.00099999960000015990]])
    assert_close(layer.weight_momentums, [[0.05]])
    assert_close(layer.weight_cache, [[0.00025]])
    assert_close(layer.bias_momentums, [[0.025]])
    assert_close(layer.bias_cache, [[0.0000625]])
    assert optimizer.iterations == 1


# -- state belongs to each layer -------------------------------------------------------------------


def test_two_layers_keep_separate_adam_state():
    optimizer = Adam()
    first = FakeLayer()
    second = FakeLayer(weights=[[3.0], [4.0]], biases=[[1.0]])
    first.dweights, first.dbiases = np.array([[0.5, -1.0]]), np.array([[0.25, 2.0]])
    second.dweights, second.dbiases = np.array([[2.0], [-4.0]]), np.array([[-1.0]])
    optimizer.pre_update_params()
    optimizer.update_params(first)
    optimizer.update_params(second)
    optimizer.post_update_params()
    # m = 0.1·g and v = 0.001·g², each from its own layer's gradient, in its own layer's shape.
    assert_close(first.weight_momentums, [[0.05, -0.1]])
    assert_close(first.weight_cache, [[0.00025, 0.001]])
    assert_close(second.weight_momentums, [[0.2], [-0.4]])
    assert_close(second.weight_cache, [[0.004], [0.016]])
    assert_close(second.bias_momentums, [[-0.1]])
    assert_close(second.bias_cache, [[0.001]])
    # Both layers took the first step with the same t = 1 (one step counted, not two):
    #   second: w = [3 - 0.001·2/(2 + 1e-7), 4 + 0.001·4/(4 + 1e-7)]
    #             = [2.99900000005, 4.000999999975]
    #   b = 1 + 0.001·1/(1 + 1e-7) = 1.0009999999
    assert optimizer.iterations == 1
    assert_close(first.weights, [[0.9990000001999999600, -1.9990000000999999900]])
    assert_close(second.weights, [[2.9990000000500000], [4.0009999999750000]])
    assert_close(second.biases, [[1.0009999999000000]])


def test_two_layers_keep_separate_sgd_momentums():
    optimizer = SGD(momentum=0.5)
    first, second = FakeLayer(), FakeLayer()
    for first_gradient, second_gradient in (([[1.0, 0.0]], [[0.0, 1.0]]), ([[0.0, 0.0]],) * 2):
        first.dweights, first.dbiases = np.array(first_gradient), np.zeros((1, 2))
        second.dweights, second.dbiases = np.array(second_gradient), np.zeros((1, 2))
        optimizer.pre_update_params()
        optimizer.update_params(first)
        optimizer.update_params(second)
        optimizer.post_update_params()
    # first: updates [-1, 0] then 0.5·[-1, 0] = [-0.5, 0] → w = [1 - 1.5, -2] = [-0.5, -2]
    # second: updates [0, -1] then [0, -0.5] → w = [1, -2 - 1.5] = [1, -3.5]
    assert_close(first.weight_momentums, [[-0.5, 0.0]])
    assert_close(second.weight_momentums, [[0.0, -0.5]])
    assert_close(first.weights, [[-0.5, -2.0]])
    assert_close(second.weights, [[1.0, -3.5]])
