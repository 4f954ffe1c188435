# %% [markdown] nbgrader={"grade": false, "grade_id": "ch17_intro", "locked": true, "schema_version": 3, "solution": false, "task": false}
# # Chapter 17 · Regression
#
# Every network so far answered *which one?*: a class, or a probability for each.
# **Regression** answers *how much?*: a temperature, a price, the height of a curve
# at a given point. The output is a number that may take any value, and a prediction
# is never exactly right, only close or not. That changes three things at the end of
# the network: the output activation (it must not squash anything), the loss (it
# measures a distance), and what "accuracy" can mean.
#
# | section | you write | graded checks | points |
# |---|---|---|---|
# | 17.1 | (the data: a sine wave) | | |
# | 17.2 | `Activation_Linear.forward`, `.backward` | `linear_activation` | 1 |
# | 17.3 | `Loss_MeanSquaredError.forward`, `.backward` | `mse_forward`, `mse_backward` | 1 + 1 |
# | 17.4 | `Loss_MeanAbsoluteError.forward`, `.backward` | `mae_forward`, `mae_backward` | 1 + 2 |
# | 17.5 | `Accuracy_Regression.init`, `.calculate` | `accuracy_regression` | 2 |
# | 17.6 | (the book's sine fit, with starting weights of 0.01) | | |
# | 17.7 | (why the starting scale matters: 0.01 against 0.1) | | |
# | 17.8 | (lab: retrain with sliders) | | |
#
# ### How to check your work
#
# Run the cell with your class, then the test cell under it. A green ✓ block
# means your class produced the reference's results on fixed random inputs. Otherwise
# the test shows a ✗ block (a `CheckFailed` error) saying which value is wrong and, for the
# usual slips (the factor 2 missing from the squared error's gradient, the absolute
# error's gradient with its sign backwards, a precision recomputed on every call...),
# naming the slip. A method you have not written yet raises `NotImplementedError`,
# and its test reports *not implemented yet*.
#
# ### Stuck?
#
# Every class has a reference twin: run, for example, `from nnfs_core.book import
# Loss_MeanSquaredError` in a new cell below the exercise, and the rest of the
# notebook uses the reference class from then on. To switch back to yours, run your
# exercise cell again. Writing it yourself is the point, so come back to it. The dense
# layer, ReLU and Adam of earlier chapters are yours where they pass, the reference's
# otherwise (the line under the imports says which), so this chapter depends only on
# its own exercises.

# %% nbgrader={"grade": false, "grade_id": "ch17_imports", "locked": true, "schema_version": 3, "solution": false, "task": false}
import matplotlib.pyplot as plt
import numpy as np

from autograder import check, submit
from autograder.library import components
from nnfs_core.book import sine_data

# Earlier chapters' classes: yours where they pass in your workspace, else the reference
Activation_ReLU, Layer_Dense, Loss, Optimizer_Adam = components(
    "Activation_ReLU", "Layer_Dense", "Loss", "Optimizer_Adam", chapter="ch17"
)

# %% [markdown] nbgrader={"grade": false, "grade_id": "ch17_data_explained", "locked": true, "schema_version": 3, "solution": false, "task": false}
# ## 17.1 The data: a sine wave
#
# The book's regression problem is one period of a sine wave. `sine_data(samples)`
# spaces `samples` points evenly over $[0, 1)$, $x = 0, \frac{1}{n}, \frac{2}{n},
# \dots$, and gives $y = \sin(2\pi x)$ for each. Both come as columns, shape
# `(samples, 1)`: one input feature and one target per sample, so no reshape is
# needed. There is no noise and no randomness; the task is to learn the curve from its
# points. The book uses 1,000 points; this notebook uses 200 by default to stay quick
# (17.6 says how to switch).

# %%
X, y = sine_data(200)
print("X:", X.shape, " y:", y.shape)
print("first points:", np.round(np.hstack([X[:3], y[:3]]), 4).tolist())

fig, ax = plt.subplots(figsize=(6, 3))
ax.plot(X, y, ".", ms=3, color="0.4")
ax.set_xlabel("x")
ax.set_ylabel("y = sin(2πx)")
plt.show()


# %% [markdown] nbgrader={"grade": false, "grade_id": "ch17_linear_explained", "locked": true, "schema_version": 3, "solution": false, "task": false}
# ## 17.2 The linear activation
#
# A sigmoid or softmax would force the output into $(0, 1)$, and ReLU would cut off
# every negative value, but a regression target may be anything. The output layer
# therefore ends in the **linear** activation, $f(x) = x$: the output is the dense
# layer's weighted sum, untouched. Chapter 4 wrote its forward pass; it is a class at
# all only so that every dense layer is followed by an activation object with the same
# `forward` and `backward`.
#
# Its derivative is 1 everywhere, so the backward pass hands the incoming gradient
# through unchanged: `dinputs` equals `dvalues`. Store a **copy**: if `self.dinputs`
# were the very array `dvalues`, a later in-place change to one would change the
# other.
#
# **Your task:** `forward(inputs)` (keep the inputs, set `self.output`) and
# `backward(dvalues)` (set `self.dinputs`).


# %% nbgrader={"grade": false, "grade_id": "ch17_linear", "locked": false, "schema_version": 3, "solution": true, "task": false}
class Activation_Linear:
    def forward(self, inputs):
        # Keep the inputs; set self.output to them, unchanged.
        ### BEGIN SOLUTION
        self.inputs = inputs
        self.output = inputs.copy()
        ### END SOLUTION

    def backward(self, dvalues):
        # Set self.dinputs: the slope is 1 everywhere.
        ### BEGIN SOLUTION
        self.dinputs = dvalues.copy()
        ### END SOLUTION


# %% nbgrader={"grade": true, "grade_id": "test_linear_activation", "locked": true, "points": 1, "schema_version": 3, "solution": false, "task": false}
check("linear_activation", Activation_Linear)
### BEGIN HIDDEN TESTS
submit("linear_activation", Activation_Linear, seed=172365)
### END HIDDEN TESTS

# %% [markdown] nbgrader={"grade": false, "grade_id": "ch17_mse_explained", "locked": true, "schema_version": 3, "solution": false, "task": false}
# ## 17.3 Mean squared error
#
# The usual regression loss squares the difference between target and prediction, and
# averages. For a sample with $J$ outputs, predictions $\hat y_j$ and targets $y_j$:
#
# $$L = \frac{1}{J}\sum_{j} (y_j - \hat y_j)^2.$$
#
# Squaring makes every error count positively, and large errors count far more than
# small ones: an error of 0.2 costs four times as much as one of 0.1. `forward`
# returns these sample losses, shape `(n_samples,)` (a mean over `axis=-1`), and
# `calculate` from the `Loss` base class averages them over the samples, as in 16.3.
# (It is also called L2 loss: like the L2 penalty of chapter 14, it is built from
# squares.)
#
# **Backward.** The derivative of $(y - \hat y)^2$ with respect to the prediction is
# $-2(y - \hat y)$ (the inner derivative of $y - \hat y$ is $-1$). Divide by $J$,
# because of the mean over outputs, and by the number of samples $N$, because of the
# mean over samples:
#
# $$\frac{\partial L}{\partial \hat y_{ij}} = \frac{-2\,(y_{ij} - \hat y_{ij})}{J\,N}.$$
#
# The gradient is proportional to the error: the closer a prediction gets, the
# smaller the push it receives, which lets training settle.
#
# **Your task:** `forward(y_pred, y_true)` returning the sample losses, and
# `backward(dvalues, y_true)` setting `self.dinputs` (`dvalues` are the predictions).


# %% nbgrader={"grade": false, "grade_id": "ch17_mse", "locked": false, "schema_version": 3, "solution": true, "task": false}
class Loss_MeanSquaredError(Loss):
    def forward(self, y_pred, y_true):
        # Return one loss per sample, shape (n_samples,): the mean over its outputs.
        ### BEGIN SOLUTION
        return np.mean((y_true - y_pred) ** 2, axis=-1)
        ### END SOLUTION

    def backward(self, dvalues, y_true):
        # dvalues are the predictions; set self.dinputs (same shape).
        ### BEGIN SOLUTION
        n_samples, n_outputs = dvalues.shape
        self.dinputs = -2 * (y_true - dvalues) / n_outputs / n_samples
        ### END SOLUTION


# %% nbgrader={"grade": true, "grade_id": "test_mse_forward", "locked": true, "points": 1, "schema_version": 3, "solution": false, "task": false}
check("mse_forward", Loss_MeanSquaredError)
### BEGIN HIDDEN TESTS
submit("mse_forward", Loss_MeanSquaredError, seed=173142)
### END HIDDEN TESTS

# %% nbgrader={"grade": true, "grade_id": "test_mse_backward", "locked": true, "points": 1, "schema_version": 3, "solution": false, "task": false}
check("mse_backward", Loss_MeanSquaredError)
### BEGIN HIDDEN TESTS
submit("mse_backward", Loss_MeanSquaredError, seed=173690)
### END HIDDEN TESTS

# %% [markdown] nbgrader={"grade": false, "grade_id": "ch17_mae_explained", "locked": true, "schema_version": 3, "solution": false, "task": false}
# ## 17.4 Mean absolute error
#
# Instead of squaring, take the absolute value:
#
# $$L = \frac{1}{J}\sum_{j} \lvert y_j - \hat y_j \rvert.$$
#
# Every unit of error costs the same, so a few far-off points (outliers) weigh less
# than under the squared error. (Also called L1 loss.)
#
# **Backward, and the sign.** $\lvert u \rvert$ has slope $+1$ where $u > 0$ and $-1$
# where $u < 0$: its derivative is $\operatorname{sign}(u)$. Here $u = y - \hat y$, and
# we differentiate with respect to the **prediction** $\hat y$, so the chain rule adds
# the inner derivative $-1$:
#
# $$\frac{\partial \lvert y - \hat y \rvert}{\partial \hat y} = -\operatorname{sign}(y - \hat y)
# = \operatorname{sign}(\hat y - y).$$
#
# It is positive when the prediction is too high, which is right: raising a prediction
# that is already too high makes the loss larger. Written the other way round,
# `np.sign(y_true - dvalues)`, the gradient points uphill, and training would walk
# the predictions *away* from the targets. It is an easy slip to make, so the cell
# after the tests checks your sign against a numerical gradient. Then divide by $J$
# and $N$ as for the squared error. At $\hat y = y$ exactly the slope is undefined;
# `np.sign(0)` gives 0 there, which is fine.
#
# Notice the difference from the squared error: the push has the same size, $1/(JN)$,
# however close the prediction already is.
#
# **Your task:** `forward(y_pred, y_true)` and `backward(dvalues, y_true)`, as in
# 17.3.


# %% nbgrader={"grade": false, "grade_id": "ch17_mae", "locked": false, "schema_version": 3, "solution": true, "task": false}
class Loss_MeanAbsoluteError(Loss):
    def forward(self, y_pred, y_true):
        # Return one loss per sample, shape (n_samples,): the mean over its outputs.
        ### BEGIN SOLUTION
        return np.mean(np.abs(y_true - y_pred), axis=-1)
        ### END SOLUTION

    def backward(self, dvalues, y_true):
        # dvalues are the predictions; set self.dinputs (same shape).
        ### BEGIN SOLUTION
        n_samples, n_outputs = dvalues.shape
        self.dinputs = np.sign(dvalues - y_true) / n_outputs / n_samples
        ### END SOLUTION


# %% nbgrader={"grade": true, "grade_id": "test_mae_forward", "locked": true, "points": 1, "schema_version": 3, "solution": false, "task": false}
check("mae_forward", Loss_MeanAbsoluteError)
### BEGIN HIDDEN TESTS
submit("mae_forward", Loss_MeanAbsoluteError, seed=174238)
### END HIDDEN TESTS

# %% nbgrader={"grade": true, "grade_id": "test_mae_backward", "locked": true, "points": 2, "schema_version": 3, "solution": false, "task": false}
check("mae_backward", Loss_MeanAbsoluteError)
### BEGIN HIDDEN TESTS
submit("mae_backward", Loss_MeanAbsoluteError, seed=174917)
### END HIDDEN TESTS

# %% [markdown] nbgrader={"grade": false, "grade_id": "ch17_gradcheck_explained", "locked": true, "schema_version": 3, "solution": false, "task": false}
# ### Checking the signs numerically
#
# Chapter 7's idea, applied to the whole loss: nudge one prediction up by a tiny $h$,
# then down by $h$, and see how the mean loss `calculate` reports changes:
#
# $$\frac{\partial L}{\partial \hat y_{ij}} \approx \frac{L(\hat y_{ij} + h) - L(\hat y_{ij} - h)}{2h}.$$
#
# The cell does this for every entry of a batch of 5 samples with 2 outputs, for both
# of your losses, and compares with what your `backward` produced. The gaps should be
# tiny, of the order of $10^{-10}$ (no prediction here is close enough to its target
# for the kink of $\lvert u \rvert$ to matter). A gradient with its sign backwards shows
# up as a gap of 0.2 ($2/(JN)$ for the absolute error). Last, a step of plain
# gradient descent *against* your absolute-error gradient must make the loss smaller.


# %%
def numerical_gradient(loss, predictions, targets, h=1e-6):
    """Central differences of loss.calculate with respect to each prediction."""
    gradient = np.zeros_like(predictions)
    for index in np.ndindex(predictions.shape):
        up, down = predictions.copy(), predictions.copy()
        up[index] += h
        down[index] -= h
        gradient[index] = (loss.calculate(up, targets) - loss.calculate(down, targets)) / (2 * h)
    return gradient


rng = np.random.RandomState(17)
predictions = rng.standard_normal((5, 2))
targets = rng.standard_normal((5, 2))

for loss in (Loss_MeanSquaredError(), Loss_MeanAbsoluteError()):
    loss.backward(predictions.copy(), targets)
    gap = np.abs(loss.dinputs - numerical_gradient(loss, predictions, targets)).max()
    print(f"{type(loss).__name__}: largest gap between backward and numerical gradient {gap:.1e}")

mae = loss
print("\nfirst sample, prediction - target:", np.round(predictions[0] - targets[0], 3))
print("your MAE gradient for it:         ", np.round(mae.dinputs[0], 3))
before = mae.calculate(predictions, targets)
after = mae.calculate(predictions - 0.5 * mae.dinputs, targets)
print(f"\none step against your gradient: MAE {before:.4f} -> {after:.4f}")


# %% [markdown] nbgrader={"grade": false, "grade_id": "ch17_accuracy_explained", "locked": true, "schema_version": 3, "solution": false, "task": false}
# ## 17.5 Accuracy for regression
#
# A real-valued prediction is essentially never *exactly* equal to its target, so
# counting exact matches would give an accuracy of 0 forever. The book counts a
# prediction as right when it lands within a **precision** of its target, and sets the
# precision from the spread of the targets:
#
# $$\text{precision} = \frac{\operatorname{std}(y)}{250}, \qquad
# \text{accuracy} = \text{mean}\bigl(\,\lvert \hat y - y \rvert < \text{precision}\,\bigr).$$
#
# For the sine wave $\operatorname{std}(y) \approx 0.707$, so a prediction counts when
# it is within about 0.0028 of the curve: a strict test. The divisor 250 is the
# book's choice, not a law: a larger divisor makes the test stricter. Tying the
# precision to the spread of the targets makes it scale with the data, so targets
# measured in metres or in millimetres get the same test. The loss remains the real
# measure of progress.
#
# The book wraps this in a class that chapter 18 will hand to its `Model`:
#
# * `init(y, reinit=False)` computes the precision from the training targets, **once**:
#   later calls leave it alone unless `reinit=True`. (A precision recomputed from
#   each new batch or from validation data would move the goalposts.)
# * `calculate(predictions, y)` returns the share of predictions within the
#   precision of their targets.
#
# **Your task:** the two methods below.


# %% nbgrader={"grade": false, "grade_id": "ch17_accuracy", "locked": false, "schema_version": 3, "solution": true, "task": false}
class Accuracy_Regression:
    def __init__(self):
        self.precision = None

    def init(self, y, reinit=False):
        # Set self.precision to std(y) / 250, unless it is set already and reinit is False.
        ### BEGIN SOLUTION
        if self.precision is None or reinit:
            self.precision = np.std(y) / 250
        ### END SOLUTION

    def calculate(self, predictions, y):
        # Return the share of predictions within self.precision of their targets.
        ### BEGIN SOLUTION
        return np.mean(np.absolute(predictions - y) < self.precision)
        ### END SOLUTION


# %% nbgrader={"grade": true, "grade_id": "test_accuracy_regression", "locked": true, "points": 2, "schema_version": 3, "solution": false, "task": false}
check("accuracy_regression", Accuracy_Regression)
### BEGIN HIDDEN TESTS
submit("accuracy_regression", Accuracy_Regression, seed=175483)
### END HIDDEN TESTS

# %% [markdown] nbgrader={"grade": false, "grade_id": "ch17_accuracy_demo_explained", "locked": true, "schema_version": 3, "solution": false, "task": false}
# How strict is it? Below, a "model" that predicts the sine exactly, shifted up by a
# constant, scores 1.0 when the shift is 0.002 and 0.0 when it is 0.004, though both
# curves would look perfect on a plot.

# %%
X, y = sine_data(200)
accuracy = Accuracy_Regression()
accuracy.init(y)
print(f"precision: {accuracy.precision:.5f}")
for shift in (0.002, 0.004):
    print(f"every prediction off by {shift}: accuracy {accuracy.calculate(y + shift, y):.2f}")

# %% [markdown] nbgrader={"grade": false, "grade_id": "ch17_training_explained", "locked": true, "schema_version": 3, "solution": false, "task": false}
# ## 17.6 Fitting the sine, as the book first tries it
#
# The book's regressor has two hidden layers:
#
# `Layer_Dense(1, 64)` → ReLU → `Layer_Dense(64, 64)` → ReLU → `Layer_Dense(64, 1)` →
# **your** `Activation_Linear`,
#
# trained with **your** `Loss_MeanSquaredError` by `Optimizer_Adam(learning_rate=0.005,
# decay=1e-3)`, scored by **your** `Accuracy_Regression`, the whole dataset in every
# step. Chapter 4 showed that a chain of ReLU "ramps" can draw a sine by hand; here
# training has to find such weights by itself.
#
# The function below builds the network and trains it. Its argument `weight_scale`
# sets the size of the starting weights: `Layer_Dense` draws them as
# `weight_scale * randn`, and every chapter so far used 0.01. One `RandomState(0)`
# draws the three layers' weights in order, as the book's seeding does (the sine data
# is not random). The per-epoch loop walks the list of layers forwards and then
# backwards, the same calls as in chapter 16 written as two loops.
#
# **Defaults:** 200 points and 1,001 epochs per run, printing every 100 epochs; each
# run takes a few seconds. **The book's full runs:** set `SAMPLES = 1000` and
# `EPOCHS = 10_001` and rerun from this cell on (each run then takes up to a minute,
# depending on the machine). The loss is printed in scientific notation because it gets
# very small.

# %%
SAMPLES = 200  # the book: 1000
EPOCHS = 1_001  # the book: 10_001
PRINT_EVERY = 100


def train_sine(weight_scale, loss_function=None, epochs=None, samples=None):
    """Train the book's regressor on sine_data(samples), starting weights weight_scale * randn.

    Returns a dict: the data "X", "y", the "layers" (in order), the "predictions" after
    training, and the "loss" and "accuracy" of every epoch.
    """
    epochs = EPOCHS if epochs is None else epochs
    samples = SAMPLES if samples is None else samples
    loss_function = Loss_MeanSquaredError() if loss_function is None else loss_function
    if isinstance(loss_function, type):
        raise TypeError(
            f"loss_function must be a loss object, received the class {loss_function.__name__}; "
            f"add the parentheses: loss_function={loss_function.__name__}()"
        )
    X, y = sine_data(samples)
    rng = np.random.RandomState(0)
    dense1 = Layer_Dense(1, 64, rng=rng, weight_scale=weight_scale)
    dense2 = Layer_Dense(64, 64, rng=rng, weight_scale=weight_scale)
    dense3 = Layer_Dense(64, 1, rng=rng, weight_scale=weight_scale)
    layers = [dense1, Activation_ReLU(), dense2, Activation_ReLU(), dense3, Activation_Linear()]
    optimizer = Optimizer_Adam(learning_rate=0.005, decay=1e-3)
    accuracy = Accuracy_Regression()
    accuracy.init(y)
    history = {"loss": [], "accuracy": []}

    for epoch in range(epochs):
        outputs = X
        for layer in layers:
            layer.forward(outputs)
            outputs = layer.output
        loss = loss_function.calculate(outputs, y)
        correct = accuracy.calculate(outputs, y)
        history["loss"].append(loss)
        history["accuracy"].append(correct)
        if epoch % PRINT_EVERY == 0:
            lr = optimizer.current_learning_rate
            print(f"epoch: {epoch}, acc: {correct:.3f}, loss: {loss:.2e}, lr: {lr:.7f}")

        loss_function.backward(outputs, y)
        gradient = loss_function.dinputs
        for layer in reversed(layers):
            layer.backward(gradient)
            gradient = layer.dinputs

        optimizer.pre_update_params()
        for dense in (dense1, dense2, dense3):
            optimizer.update_params(dense)
        optimizer.post_update_params()

    outputs = X
    for layer in layers:
        layer.forward(outputs)
        outputs = layer.output
    return {"X": X, "y": y, "layers": layers, "predictions": outputs, **history}


# %% [markdown] nbgrader={"grade": false, "grade_id": "ch17_small_start_explained", "locked": true, "schema_version": 3, "solution": false, "task": false}
# First with the starting weights every earlier chapter used, `weight_scale=0.01`.
# Watch the loss: it falls from 0.5 (the mean of $\sin^2$, the loss of predicting 0
# everywhere) to about 0.03 within the first 300 epochs, and then stays there, stuck,
# for the rest of the run. The accuracy jumps around between almost 0 and about 0.45
# from one print to the next: with a precision of 0.0028, a tiny wobble moves many
# points in or out of the band. The picture shows why the loss is stuck: the
# network fits the wave from about $x = 0.4$ on, but from 0 to 0.4 its output is a
# flat line, cutting straight across the first crest. The book's full run (1,000
# points, 10,001 epochs) stalls the same way, at the same loss of about 0.03.

# %%
stalled = train_sine(0.01)

fig, ax = plt.subplots(figsize=(6, 3))
ax.plot(stalled["X"], stalled["y"], ".", ms=3, color="0.6", label="data")
ax.plot(stalled["X"], stalled["predictions"], color="tab:red", label="model, starting weights 0.01")
ax.set_xlabel("x")
ax.legend(loc="lower left", fontsize="small")
plt.show()


# %% [markdown] nbgrader={"grade": false, "grade_id": "ch17_scale_explained", "locked": true, "schema_version": 3, "solution": false, "task": false}
# ## 17.7 Why the starting scale matters
#
# The book's remedy is a single number: draw the starting weights as `0.1 * randn`
# instead of `0.01 * randn`. Before training with it, look at what the scale changes
# in the very first pass. The biases start at 0 and ReLU keeps a scaled input scaled
# (`max(0, c·x) = c·max(0, x)` for $c > 0$), so multiplying all weights by 10 multiplies
# the first layer's outputs by 10, the second's by 100 and the network's output by
# 1,000: the output grows with the **cube** of the scale, one factor per layer. Each
# layer's weight gradient depends on the *other two* layers' weights, and grows with
# the square. The next cell measures both on one forward and backward pass.


# %%
def first_pass(weight_scale):
    """One forward and backward pass of the untrained regressor: per-layer sizes."""
    X, y = sine_data(SAMPLES)
    rng = np.random.RandomState(0)
    shapes = ((1, 64), (64, 64), (64, 1))
    dense_layers = [Layer_Dense(*shape, rng=rng, weight_scale=weight_scale) for shape in shapes]
    activations = [Activation_ReLU(), Activation_ReLU(), Activation_Linear()]
    outputs = X
    for dense, activation in zip(dense_layers, activations):
        dense.forward(outputs)
        activation.forward(dense.output)
        outputs = activation.output
    loss_function = Loss_MeanSquaredError()
    loss_function.backward(outputs, y)
    gradient = loss_function.dinputs
    for dense, activation in zip(reversed(dense_layers), reversed(activations)):
        activation.backward(gradient)
        dense.backward(activation.dinputs)
        gradient = dense.dinputs
    spread = [np.std(dense.output) for dense in dense_layers]
    steepness = [np.mean(np.abs(dense.dweights)) for dense in dense_layers]
    return spread, steepness


for scale in (0.01, 0.1):
    spread, steepness = first_pass(scale)
    print(f"starting weights {scale}:")
    print("   std of each dense layer's output:  ", "  ".join(f"{v:.1e}" for v in spread))
    print("   mean |dweights| of each layer:     ", "  ".join(f"{v:.1e}" for v in steepness))

# %% [markdown] nbgrader={"grade": false, "grade_id": "ch17_scale_reason_explained", "locked": true, "schema_version": 3, "solution": false, "task": false}
# With 0.01 the untrained network's output is of the order of $10^{-6}$ and its
# weight gradients of $10^{-6}$ to $10^{-4}$; with 0.1, a thousand and a hundred
# times larger. Small gradients alone would not stall Adam, though: it divides each
# gradient by its own running size (chapter 10), so its first steps are about the
# learning rate, 0.005, for every parameter, however small the gradient. That is the
# catch. Starting weights of about 0.01 are only two such steps across; within a few
# dozen epochs the steps have wiped out the random differences between the neurons
# of a layer, and many of them become near-copies of each other.
#
# You can see the copies. A first-layer neuron computes $\max(0, w x + b)$ and bends
# the curve at its **knot** $x = -b/w$. The next run, with `weight_scale=0.1`, is
# drawn against the stalled one, with each network's first-layer knots marked under
# its curve. After the 0.01 run about a dozen knots sit on top of each other near
# $x = 0.37$ and none lies left of it, so over the first crest the first layer has no
# bend to offer (and the bends of the second layer did not fill the gap). After the
# 0.1 run the knots are spread from about 0.2 to 0.5 (and a couple beyond), and the
# fitted curve follows the whole wave: by epoch 1,000 the loss is about $2 \times
# 10^{-6}$ and the accuracy about 0.93. The loss curve of that run has a few sharp
# spikes, steps where Adam overshot, and each shows in the accuracy as a sudden
# collapse that recovers within a few dozen epochs. With the book's full run (1,000
# points, 10,001 epochs) the accuracy climbs to about 0.98.
#
# The lesson is the book's: how weights start can decide whether training succeeds.
# Neither 0.01 nor 0.1 is right in general; the lab below shows that larger is not
# always better either. (Later work turned this into rules that set the scale from
# the number of inputs of each layer, such as Glorot and He initialisation.)

# %%
fitted = train_sine(0.1)


def first_layer_knots(result):
    """Where each first-layer neuron's ReLU switches, x = -b / w, inside [0, 1]."""
    dense1 = result["layers"][0]
    w, b = dense1.weights[0], dense1.biases[0]
    knots = -b[w != 0] / w[w != 0]
    return np.sort(knots[(knots > 0) & (knots < 1)])


fig, axes = plt.subplots(1, 3, figsize=(14, 3.6), gridspec_kw={"width_ratios": [1.6, 1, 1]})
runs = ((stalled, 0.01, "tab:red", -1.3), (fitted, 0.1, "tab:green", -1.45))
for result, scale, color, row in runs:
    knots = first_layer_knots(result)
    loss, correct = result["loss"][-1], result["accuracy"][-1]
    print(f"weight_scale {scale}: final loss {loss:.1e}, accuracy {correct:.3f}")
    print(f"    first-layer knots in [0, 1]: {np.round(knots, 2).tolist()}")
    axes[0].plot(result["X"], result["predictions"], color=color, label=f"starting weights {scale}")
    axes[0].plot(knots, np.full_like(knots, row), "|", ms=12, color=color)
    axes[1].plot(result["loss"], color=color)
    axes[2].plot(result["accuracy"], color=color, linewidth=0.8)
axes[0].plot(fitted["X"], fitted["y"], ".", ms=2, color="0.6", label="data", zorder=0)
axes[0].set_ylim(-1.6, 1.3)
axes[0].set_title("fits; first-layer knots marked along the bottom", fontsize=10)
axes[0].legend(loc="upper right", fontsize="small")
axes[1].set_yscale("log")
axes[1].set_title("loss (log scale)", fontsize=10)
axes[2].set_title("accuracy", fontsize=10)
for ax in axes[1:]:
    ax.set_xlabel("epoch")
plt.show()

# %% [markdown] nbgrader={"grade": false, "grade_id": "ch17_mae_try_explained", "locked": true, "schema_version": 3, "solution": false, "task": false}
# **Try it.** `train_sine(0.1, loss_function=Loss_MeanAbsoluteError())` trains the same
# network with your absolute error instead. With the defaults it gets close to the
# curve but its accuracy ends far lower (about 0.15, against about 0.93 with the
# squared error): its gradient keeps the same size however close a prediction is, so
# the predictions keep jittering around the targets instead of settling into the
# narrow band.

# %% [markdown] nbgrader={"grade": false, "grade_id": "ch17_labs_intro", "locked": true, "schema_version": 3, "solution": false, "task": false}
# ## 17.8 Lab: the sine fit with sliders
#
# The lab retrains the same regressor (reference classes from `nnfs_core`, so it works
# whether or not your exercises are finished) whenever you let go of a slider: the
# **initial weight scale**, learning rate, decay, hidden width, epochs, number of
# points and seed. It draws the data with the model's curve, and the loss (log scale),
# accuracy and learning rate against the epoch; the **epoch** slider with its play
# button replays a finished run. Defaults: 200 points and 1,000 epochs, as above;
# `RegressionLab(samples=1000, epochs=10_001)` makes the book's full run.

# %% [markdown] nbgrader={"grade": false, "grade_id": "ch17_lab_explained", "locked": true, "schema_version": 3, "solution": false, "task": false}
# **Try this.** Is a larger start always better? Keep every other setting and train
# with initial weight scales 0.03, 0.1, 0.3 and 1.0 in turn, reading the final loss in
# the status line. 0.1 gives the lowest loss (about $2 \times 10^{-6}$); 0.03 and
# 0.3 fit the wave but less closely (losses five to fifteen times larger); 1.0 fails,
# with a loss near $6 \times 10^{-3}$ and an accuracy under 0.1. Scrub a 1.0 run back
# to epoch 0 to see why: the untrained curve runs off the bottom of the plot, its
# output reaching about $-11$. That is the cube rule of 17.7 at work (1,000 times the
# $-0.011$ of scale 0.1), and training spends its steps undoing it.

# %% nbgrader={"grade": false, "grade_id": "ch17_lab", "locked": true, "schema_version": 3, "solution": false, "task": false}
# %matplotlib widget
from nnfs_core.labs import RegressionLab

lab = RegressionLab()
lab

# %% [markdown] nbgrader={"grade": false, "grade_id": "ch17_next", "locked": true, "schema_version": 3, "solution": false, "task": false}
# ## What next
#
# The training loops of chapters 16 and 17 differ only in their last layers, their
# loss and their accuracy; everything else is the same bookkeeping, written out again
# each time. Chapter 18 wraps it in a `Model` object: `add` the layers, `set` the
# loss, optimizer and accuracy (your `Accuracy_Regression` fits straight in),
# `finalize`, and `train`.
