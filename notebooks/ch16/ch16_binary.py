# %% [markdown] nbgrader={"grade": false, "grade_id": "ch16_intro", "locked": true, "schema_version": 3, "solution": false, "task": false}
# # Chapter 16 · Binary logistic regression
#
# So far every network ended in a softmax: one output per class, the outputs
# competing for a total probability of 1. Many questions have only two answers, though
# (spam or not, tumour or not, left arm of the spiral or right arm), and for those a
# single output neuron is enough. A **sigmoid** squeezes it into $(0, 1)$, and we read
# the result as the probability that the answer is *yes* (class 1). A network with
# such outputs is doing **binary logistic regression**, and it is trained with its
# own loss, **binary cross-entropy**.
#
# | section | you write | graded checks | points |
# |---|---|---|---|
# | 16.1 | (one output for two classes; targets of shape `(n, 1)`) | | |
# | 16.2 | `Activation_Sigmoid.forward`, `.backward` | `sigmoid_forward`, `sigmoid_backward` | 1 + 1 |
# | 16.3 | `Loss_BinaryCrossentropy.forward`, `.backward` | `bce_forward`, `bce_backward` | 1 + 2 |
# | 16.4 | (predictions above 0.5, and binary accuracy) | | |
# | 16.5 | (the book's experiment: two spiral arms, then validation) | | |
# | 16.6 | (the decision boundary and the model's confidence, drawn) | | |
# | 16.7 | (lab: retrain with sliders) | | |
#
# ### How to check your work
#
# Run the cell with your class, then the test cell under it. A green ✓ block
# means your class produced the reference's results on fixed random inputs (for the
# loss these include predictions of exactly 0 and exactly 1). Otherwise the test shows a ✗ block (a `CheckFailed` error) saying which value is wrong and, for the usual slips (the
# derivative taken from the inputs instead of the outputs, a missing clip, a gradient
# not divided by the number of outputs...), naming the slip. A method you have not
# written yet raises `NotImplementedError`, and its test reports *not implemented
# yet*.
#
# ### Stuck?
#
# Both classes have reference twins: run `from nnfs_core.book import
# Activation_Sigmoid` (or `Loss_BinaryCrossentropy`) in a new cell below the exercise,
# and the rest of the notebook uses the reference class from then on. To switch back
# to yours, run your exercise cell again. Writing it yourself is the point, so come
# back to it. The dense layer, ReLU and Adam of earlier chapters are imported from the
# reference, so this chapter depends only on its own exercises.

# %% nbgrader={"grade": false, "grade_id": "ch16_imports", "locked": true, "schema_version": 3, "solution": false, "task": false}
import matplotlib.pyplot as plt
import numpy as np

from autograder import check, submit
from autograder.library import components
from nnfs_core.book import spiral_data
from nnfs_core.plotting import plot_decision_regions

# Earlier chapters' classes: yours where they pass in your workspace, else the reference
Activation_ReLU, Layer_Dense, Loss, Optimizer_Adam = components(
    "Activation_ReLU", "Layer_Dense", "Loss", "Optimizer_Adam", chapter="ch16"
)

# %% [markdown] nbgrader={"grade": false, "grade_id": "ch16_one_output_explained", "locked": true, "schema_version": 3, "solution": false, "task": false}
# ## 16.1 One output for two classes
#
# With softmax, two classes take two output neurons, and their probabilities always
# add up to 1: knowing one tells you the other. A single neuron can carry the same
# information. Its raw output $z$ may be any number; the sigmoid maps it to
# $p = \sigma(z)$ between 0 and 1, and $p$ is read as P(class 1), leaving $1 - p$ for
# class 0. Large positive $z$ means "surely class 1", large negative $z$ "surely class
# 0", and $z = 0$ gives $p = 0.5$, a shrug.
#
# The same layout answers **several yes/no questions at once**: an output layer of
# $J$ sigmoid neurons gives $J$ independent probabilities ("is there a person in the
# photo?", "is it taken outdoors?"), which need not add up to anything. That is why
# the loss of 16.3 is worked out per output and then averaged over the outputs.
#
# Targets therefore come as one column per output neuron: shape `(n_samples,
# n_outputs)`, each entry 0 or 1. `spiral_data` hands out class labels as a flat
# vector, shape `(n_samples,)`; for one output neuron it must become a column,
# `y.reshape(-1, 1)`, shape `(n_samples, 1)`. Section 16.4 shows what goes wrong
# without the reshape.
#
# The data of this chapter: the spiral of earlier chapters with two arms instead of
# three, 100 points each.

# %%
X, y = spiral_data(samples=100, classes=2, rng=np.random.RandomState(0))
print("X:", X.shape, " y as spiral_data gives it:", y.shape, " reshaped:", y.reshape(-1, 1).shape)
print("first targets as a column:", y.reshape(-1, 1)[:3].tolist())

fig, ax = plt.subplots(figsize=(4, 4))
for label, color in ((0, "tab:blue"), (1, "tab:orange")):
    arm = X[y == label]
    ax.scatter(arm[:, 0], arm[:, 1], s=12, color=color, label=f"class {label}")
ax.set_aspect("equal")
ax.legend(loc="upper right")
ax.set_title("spiral_data(100, 2)")
plt.show()


# %% [markdown] nbgrader={"grade": false, "grade_id": "ch16_sigmoid_explained", "locked": true, "schema_version": 3, "solution": false, "task": false}
# ## 16.2 The sigmoid, forward and backward
#
# Chapter 4 wrote the forward pass:
#
# $$\sigma(x) = \frac{1}{1 + e^{-x}}.$$
#
# For the backward pass we need its derivative. Write $\sigma(x) = (1 + e^{-x})^{-1}$
# and use the chain rule:
#
# $$\sigma'(x) = -(1 + e^{-x})^{-2}\cdot(-e^{-x}) = \frac{e^{-x}}{(1 + e^{-x})^2}
# = \frac{1}{1 + e^{-x}}\cdot\frac{e^{-x}}{1 + e^{-x}}.$$
#
# The first factor is $\sigma(x)$. The second is $1 - \sigma(x)$, because
# $\frac{e^{-x}}{1 + e^{-x}} = \frac{(1 + e^{-x}) - 1}{1 + e^{-x}}$. So
#
# $$\sigma'(x) = \sigma(x)\,\bigl(1 - \sigma(x)\bigr),$$
#
# the derivative written with the function's own **output**. The forward pass already
# stored that output, so the backward pass needs no exponential at all: with $s$ the
# stored output, `dinputs = dvalues * s * (1 - s)`, element by element (chain rule:
# the gradient arriving from above times the local slope).
#
# Two things to notice. The trap: $s (1 - s)$ with $s$ the *output*; the same formula
# applied to the *inputs* gives nonsense. And the slope is never larger than
# $0.5 \cdot 0.5 = 0.25$ (at $x = 0$), falling towards 0 on both sides; the plot below
# shows it.
#
# **Your task:** `forward(inputs)` (keep the inputs, set `self.output`) and
# `backward(dvalues)` (set `self.dinputs`, leaving `dvalues` unchanged).


# %% nbgrader={"grade": false, "grade_id": "ch16_sigmoid", "locked": false, "schema_version": 3, "solution": true, "task": false}
class Activation_Sigmoid:
    def forward(self, inputs):
        # Keep the inputs; set self.output to 1 / (1 + e^(-x)) element-wise.
        ### BEGIN SOLUTION
        self.inputs = inputs
        self.output = 1 / (1 + np.exp(-inputs))
        ### END SOLUTION

    def backward(self, dvalues):
        # Set self.dinputs: dvalues times the slope, computed from self.output.
        ### BEGIN SOLUTION
        self.dinputs = dvalues * self.output * (1 - self.output)
        ### END SOLUTION


# %% nbgrader={"grade": true, "grade_id": "test_sigmoid_forward", "locked": true, "points": 1, "schema_version": 3, "solution": false, "task": false}
check("sigmoid_forward", Activation_Sigmoid)
### BEGIN HIDDEN TESTS
submit("sigmoid_forward", Activation_Sigmoid, seed=162048)
### END HIDDEN TESTS

# %% nbgrader={"grade": true, "grade_id": "test_sigmoid_backward", "locked": true, "points": 1, "schema_version": 3, "solution": false, "task": false}
check("sigmoid_backward", Activation_Sigmoid)
### BEGIN HIDDEN TESTS
submit("sigmoid_backward", Activation_Sigmoid, seed=162519)
### END HIDDEN TESTS

# %% [markdown] nbgrader={"grade": false, "grade_id": "ch16_sigmoid_curve_explained", "locked": true, "schema_version": 3, "solution": false, "task": false}
# The next cell draws your sigmoid and the slope your `backward` reports (with
# `dvalues` of 1, `dinputs` *is* the slope), and compares that slope with a numerical
# one, $(\sigma(x + h) - \sigma(x - h)) / 2h$ from your own forward pass, as in
# chapter 7. The two should agree to $10^{-10}$ or better; the dots sit on the curve.
#
# The small slope is why the sigmoid left the hidden layers: a gradient passing
# through it is multiplied by at most 0.25, and through several such layers it shrinks
# geometrically. At the *output*, paired with the loss of the next section, the small
# slope does no harm; 16.3 shows why.

# %%
x = np.linspace(-8, 8, 321).reshape(-1, 1)
sigmoid = Activation_Sigmoid()
sigmoid.forward(x)
outputs = np.array(sigmoid.output)
sigmoid.backward(np.ones_like(x))
slope = np.array(sigmoid.dinputs)

h = 1e-5
above, below = Activation_Sigmoid(), Activation_Sigmoid()
above.forward(x + h)
below.forward(x - h)
numerical = (np.array(above.output) - np.array(below.output)) / (2 * h)

gap = np.abs(slope - numerical).max()
print(f"largest gap between your slope and the numerical one: {gap:.1e}")
steepest = x[np.argmax(slope), 0]
print(f"steepest at x = {steepest:.1f}, slope {slope.max():.3f}; at x = 8: {slope[-1, 0]:.1e}")

fig, ax = plt.subplots(figsize=(7, 3.2))
ax.plot(x, outputs, label="σ(x), your forward")
ax.plot(x, slope, label="σ(x)(1 − σ(x)), your backward")
ax.plot(x[::20], numerical[::20], "o", ms=4, color="black", label="numerical slope")
ax.axhline(0.25, color="grey", linewidth=0.6, linestyle=":")
ax.set_xlabel("x")
ax.legend(loc="upper left", fontsize="small")
plt.show()


# %% [markdown] nbgrader={"grade": false, "grade_id": "ch16_bce_explained", "locked": true, "schema_version": 3, "solution": false, "task": false}
# ## 16.3 Binary cross-entropy
#
# For one output with prediction $p$ and target $y \in \{0, 1\}$:
#
# $$L = -\bigl(y \log p + (1 - y)\log(1 - p)\bigr).$$
#
# Since $y$ is 0 or 1, one of the two terms is always zero: for $y = 1$ the loss is
# $-\log p$, for $y = 0$ it is $-\log(1 - p)$. Either way it is the negative log of
# the probability the model gave to the **right** answer, which is categorical
# cross-entropy (chapter 5) with the two classes spelled out. It is 0 for a confident
# right answer and grows without bound for a confident wrong one.
#
# **Averaging.** A sample with $J$ outputs gets the mean of its $J$ output losses
# (`np.mean(..., axis=-1)`); `forward` returns these sample losses, shape
# `(n_samples,)`. `calculate`, inherited from the `Loss` base class, then averages
# them over the samples. (`Loss` comes from the imports: it is chapter 5's
# `calculate` and chapter 14's `regularization_loss(layer)`, yours where chapter 14's
# passes, the reference's otherwise.)
#
# **Clipping.** $\log 0 = -\infty$: a prediction of exactly 0 or exactly 1 with the
# wrong target would make the loss infinite. Clip predictions to
# $[10^{-7},\ 1 - 10^{-7}]$ first. Both ends matter here, because both $\log p$ and
# $\log(1 - p)$ appear.
#
# **Backward.** Differentiating with respect to $p$:
#
# $$\frac{\partial L}{\partial p} = -\left(\frac{y}{p} - \frac{1 - y}{1 - p}\right).$$
#
# The loss that training reports is a mean over $J$ outputs and then over $N$
# samples, so each prediction's share is divided by both: the gradient for
# prediction $p_{ij}$ is the expression above divided by $J$ and by $N$. `backward`
# receives the predictions as `dvalues`; clip them the same way before dividing by
# $p$ and $1 - p$ (for an input of exactly 0 or 1 an unclipped division gives
# infinity).
#
# **Why the sigmoid's small slope does no harm here.** Chain the two gradients: the
# sigmoid multiplies by $p(1 - p)$, and
#
# $$p(1 - p)\cdot\left(-\frac{y}{p} + \frac{1 - y}{1 - p}\right) = -y(1 - p) + (1 - y)p = p - y.$$
#
# Through sigmoid and binary cross-entropy together, the gradient with respect to $z$
# is *prediction minus target* (then divided by $J$ and $N$), just like softmax with
# categorical cross-entropy in chapter 9. A confidently wrong output gets a gradient
# close to $\pm 1$, not a tiny one.
#
# **Your task:** `forward(y_pred, y_true)` returning the sample losses, and
# `backward(dvalues, y_true)` setting `self.dinputs`. Targets have the predictions'
# shape, `(n_samples, n_outputs)`.


# %% nbgrader={"grade": false, "grade_id": "ch16_bce", "locked": false, "schema_version": 3, "solution": true, "task": false}
class Loss_BinaryCrossentropy(Loss):
    def forward(self, y_pred, y_true):
        # Return one loss per sample, shape (n_samples,): the mean over its outputs.
        ### BEGIN SOLUTION
        p = np.clip(y_pred, 1e-7, 1 - 1e-7)
        per_output = -(y_true * np.log(p) + (1 - y_true) * np.log(1 - p))
        return np.mean(per_output, axis=-1)
        ### END SOLUTION

    def backward(self, dvalues, y_true):
        # dvalues are the predictions; clip them, then set self.dinputs (same shape).
        ### BEGIN SOLUTION
        n_samples, n_outputs = dvalues.shape
        p = np.clip(dvalues, 1e-7, 1 - 1e-7)
        self.dinputs = -(y_true / p - (1 - y_true) / (1 - p)) / n_outputs / n_samples
        ### END SOLUTION


# %% nbgrader={"grade": true, "grade_id": "test_bce_forward", "locked": true, "points": 1, "schema_version": 3, "solution": false, "task": false}
check("bce_forward", Loss_BinaryCrossentropy)
### BEGIN HIDDEN TESTS
submit("bce_forward", Loss_BinaryCrossentropy, seed=163274)
### END HIDDEN TESTS

# %% nbgrader={"grade": true, "grade_id": "test_bce_backward", "locked": true, "points": 2, "schema_version": 3, "solution": false, "task": false}
check("bce_backward", Loss_BinaryCrossentropy)
### BEGIN HIDDEN TESTS
submit("bce_backward", Loss_BinaryCrossentropy, seed=163806)
### END HIDDEN TESTS

# %% [markdown] nbgrader={"grade": false, "grade_id": "ch16_chain_explained", "locked": true, "schema_version": 3, "solution": false, "task": false}
# The cell below confirms the shortcut with your two classes: random raw outputs $z$
# for 6 samples and 3 outputs go through your sigmoid, your loss's backward and your
# sigmoid's backward, and the result is compared with $(p - y) / J / N$. It also shows
# the sample losses for three predictions of one output against a target of 1: the
# loss is small when the model is right and sure, and large (but finite, thanks to the
# clip) when it is sure and wrong.

# %%
rng = np.random.RandomState(16)
z = 2 * rng.standard_normal((6, 3))
targets = rng.randint(2, size=(6, 3)).astype(float)

sigmoid, bce = Activation_Sigmoid(), Loss_BinaryCrossentropy()
sigmoid.forward(z)
bce.backward(sigmoid.output, targets)
sigmoid.backward(bce.dinputs)
shortcut = (np.array(sigmoid.output) - targets) / 3 / 6
gap = np.abs(sigmoid.dinputs - shortcut).max()
print(f"chained gradient vs (p - y) / J / N: largest difference {gap:.1e}")

predictions = np.array([[0.99], [0.5], [0.0]])
losses = bce.forward(predictions, np.ones((3, 1)))
print("target 1, predictions 0.99, 0.5, 0.0 -> sample losses", np.round(losses, 3))

# %% [markdown] nbgrader={"grade": false, "grade_id": "ch16_accuracy_explained", "locked": true, "schema_version": 3, "solution": false, "task": false}
# ## 16.4 Predictions and accuracy
#
# The sigmoid gives a probability; a prediction is a class. Class 1 when the
# probability is above one half, class 0 otherwise:
#
# ```python
# predictions = (activation2.output > 0.5) * 1   # booleans times 1: zeros and ones
# accuracy = np.mean(predictions == y)
# ```
#
# with `predictions` and `y` both of shape `(n_samples, 1)`. (With several outputs the
# same lines score every output of every sample, and the accuracy is the share of
# right answers among all of them.)
#
# **Why the reshape matters.** If `y` is left flat, shape `(n,)`, the comparison does
# not fail; NumPy *broadcasts* the column `(n, 1)` against the row `(n,)` into an
# `(n, n)` table comparing every prediction with every target, and the mean of that
# table says nothing about the model. The cell below shows it on four samples: three
# right answers out of four, yet the flat comparison reports 0.5.

# %%
outputs = np.array([[0.9], [0.2], [0.6], [0.4]])  # the sigmoid's outputs for 4 samples
labels = np.array([1, 0, 0, 0])  # as spiral_data gives them: shape (4,)

predictions = (outputs > 0.5) * 1
right = np.mean(predictions == labels.reshape(-1, 1))
table = predictions == labels
print("predictions:", predictions.ravel(), " targets:", labels)
print(f"with targets reshaped to (4, 1): accuracy {right:.2f}")
print(f"with flat targets: a {table.shape} table, 'accuracy' {np.mean(table):.2f}")

# %% [markdown] nbgrader={"grade": false, "grade_id": "ch16_training_explained", "locked": true, "schema_version": 3, "solution": false, "task": false}
# ## 16.5 The book's experiment: two spiral arms
#
# Everything together, as the book sets it up: `spiral_data(samples=100, classes=2)`,
# targets reshaped to `(200, 1)`, then
#
# * `Layer_Dense(2, 64, weight_regularizer_l2=5e-4, bias_regularizer_l2=5e-4)` → ReLU,
# * `Layer_Dense(64, 1)` → **your** `Activation_Sigmoid`,
# * **your** `Loss_BinaryCrossentropy`, with the L2 penalty of the first layer added
#   to the loss (chapter 14),
# * `Optimizer_Adam(decay=5e-7)`: Adam's default learning rate, 0.001, barely decayed.
#
# One `RandomState(0)` draws, in the book's order, the training data, the first
# layer's weights, the second layer's, and then the validation data. (The book makes
# the validation data after training; training draws no random numbers, so drawing
# it before the loop gives the very same points.)
#
# **By default the cell trains 2,001 epochs**, printing every 200, in a few
# seconds. The loss starts at $\ln 2 \approx 0.693$, the loss of answering 0.5 for every
# point, and the accuracy at 0.5. With correct classes, epoch 2,000 shows an accuracy
# of about 0.83 and a loss of about 0.46 (data loss about 0.42, regularization about
# 0.05): still learning, because a learning rate of 0.001 is slow.
#
# **The book's full run:** set `EPOCHS = 10_001` and run the cell again (about five
# times as long). Then the accuracy reaches about 0.91 at epoch 10,000, with a loss of
# about 0.30 (data about 0.25, regularization about 0.05), still creeping upwards at
# the end.

# %%
EPOCHS = 2_001  # the book's full run: 10_001
PRINT_EVERY = 200  # the book prints every 100 epochs

rng = np.random.RandomState(0)
X, y = spiral_data(samples=100, classes=2, rng=rng)
dense1 = Layer_Dense(2, 64, weight_regularizer_l2=5e-4, bias_regularizer_l2=5e-4, rng=rng)
activation1 = Activation_ReLU()
dense2 = Layer_Dense(64, 1, rng=rng)
activation2 = Activation_Sigmoid()
loss_function = Loss_BinaryCrossentropy()
optimizer = Optimizer_Adam(decay=5e-7)
X_val, y_val = spiral_data(samples=100, classes=2, rng=rng)

# One column of targets for the one output neuron: (200,) -> (200, 1).
y = y.reshape(-1, 1)
y_val = y_val.reshape(-1, 1)

for epoch in range(EPOCHS):
    dense1.forward(X)
    activation1.forward(dense1.output)
    dense2.forward(activation1.output)
    activation2.forward(dense2.output)
    data_loss = loss_function.calculate(activation2.output, y)
    regularization_loss = loss_function.regularization_loss(dense1)
    regularization_loss += loss_function.regularization_loss(dense2)
    loss = data_loss + regularization_loss

    if epoch % PRINT_EVERY == 0:
        predictions = (activation2.output > 0.5) * 1
        accuracy = np.mean(predictions == y)
        print(
            f"epoch: {epoch}, acc: {accuracy:.3f}, loss: {loss:.3f} "
            f"(data_loss: {data_loss:.3f}, reg_loss: {regularization_loss:.3f}), "
            f"lr: {optimizer.current_learning_rate:.7f}"
        )

    loss_function.backward(activation2.output, y)
    activation2.backward(loss_function.dinputs)
    dense2.backward(activation2.dinputs)
    activation1.backward(dense2.dinputs)
    dense1.backward(activation1.dinputs)

    optimizer.pre_update_params()
    optimizer.update_params(dense1)
    optimizer.update_params(dense2)
    optimizer.post_update_params()

# %% [markdown] nbgrader={"grade": false, "grade_id": "ch16_validation_explained", "locked": true, "schema_version": 3, "solution": false, "task": false}
# ### Validation on fresh data
#
# A forward pass only, on 100 new points per arm, with the same threshold. With the
# default 2,001 epochs expect an accuracy of about 0.72 and a loss of about 0.51;
# after the full 10,001, about 0.85 and 0.32. Validation trails training by roughly
# ten points in the short run and six in the long one. The spiral's arms are noisy
# and thin near the centre, and the model has only seen 200 points of them; chapter
# 11 put the warning line for overfitting at a gap of about 10%.

# %%
dense1.forward(X_val)
activation1.forward(dense1.output)
dense2.forward(activation1.output)
activation2.forward(dense2.output)
validation_loss = loss_function.calculate(activation2.output, y_val)
validation_accuracy = np.mean((activation2.output > 0.5) * 1 == y_val)
print(f"validation, acc: {validation_accuracy:.3f}, loss: {validation_loss:.3f}")


# %% [markdown] nbgrader={"grade": false, "grade_id": "ch16_boundary_explained", "locked": true, "schema_version": 3, "solution": false, "task": false}
# ## 16.6 The decision boundary, and how sure the model is
#
# Run the trained network on a fine grid of points covering the plane and colour each
# point. On the left, by the predicted class: the line where the colour changes is
# the **decision boundary**, the set of points where the sigmoid's output crosses
# 0.5. On the right, by the output itself, P(class 1): white where it is near 0.5,
# deep colour where the model is sure. Training points are circles, validation points
# triangles.
#
# After the short default run the regions are broad bands that follow the arms only
# roughly: in several places a stretch of one arm lies on the other arm's colour. On
# the right, wide pale bands run along the boundary; the model is unsure over a large
# part of the plane. Rerun after `EPOCHS = 10_001` and the boundary winds along the
# arms, almost a spiral of its own, and the pale bands narrow to seams between them.
#
# Notice also where the colour is deepest: in the corners, far from every data point.
# Moving away from the data along most directions, the output neuron's input keeps
# growing, so the sigmoid heads for 0 or 1. Confidence there says nothing about being
# right; the model has simply never been corrected in those places.


# %%
def probability_of_class_1(points):
    """The trained network's sigmoid output for each point, shape (n_points, 1)."""
    dense1.forward(points)
    activation1.forward(dense1.output)
    dense2.forward(activation1.output)
    activation2.forward(dense2.output)
    return np.array(activation2.output)


def predicted_class(points):
    return (probability_of_class_1(points) > 0.5) * 1


fig, axes = plt.subplots(1, 2, figsize=(11, 5))
data = {"X": X, "y": y, "X_val": X_val, "y_val": y_val, "n_classes": 2, "resolution": 150}
plot_decision_regions(predicted_class, ax=axes[0], title="predicted class", **data)
plot_decision_regions(
    probability_of_class_1, ax=axes[1], proba=True, title="P(class 1): white = 0.5", **data
)
plt.show()

# %% [markdown] nbgrader={"grade": false, "grade_id": "ch16_labs_intro", "locked": true, "schema_version": 3, "solution": false, "task": false}
# ## 16.7 Lab: the binary classifier with sliders
#
# The lab retrains the same network (reference classes from `nnfs_core`, so it works
# whether or not your exercises are finished) whenever you let go of a slider: learning
# rate, decay, the L2 penalty of the first layer, the hidden width, epochs, points
# per arm and the seed. It draws the regions with training points (circles) and
# validation points (triangles); loss and accuracy curves for training and for
# validation, and the learning rate; and a **show probability** box that switches
# the background between the predicted class and P(class 1) without retraining.
# The **epoch** slider with its play button replays a finished run.
#
# Runs are short by default (2,000 epochs); `BinaryLab(epochs=10_001)` makes the
# book's full-length run. The lab draws its validation data from seed + 1, a different
# set of points from the one in 16.5, so its validation numbers differ from those
# above.

# %% [markdown] nbgrader={"grade": false, "grade_id": "ch16_lab_explained", "locked": true, "schema_version": 3, "solution": false, "task": false}
# **Try this.**
# 1. With the defaults, tick *show probability*. Where is the model surest of itself,
#    and is it right there? (The deepest colours are far from the data, where no
#    point ever corrected it.)
# 2. Drag the epoch slider back to 0. The whole picture is almost white: P(class 1)
#    is close to 0.5 everywhere. Why? (Hint: starting weights of about 0.01 make the
#    output neuron's input $z$ nearly 0, and $\sigma(0) = 0.5$.)
# 3. Raise the learning rate from 0.001 to 0.01 and train again. After the same 2,000
#    epochs the training accuracy climbs to about 0.94 and the validation accuracy to
#    about 0.86, against about 0.83 and 0.72 at the default rate; the pale band is far
#    narrower.

# %% nbgrader={"grade": false, "grade_id": "ch16_lab", "locked": true, "schema_version": 3, "solution": false, "task": false}
# %matplotlib widget
from nnfs_core.labs import BinaryLab

lab = BinaryLab()
lab

# %% [markdown] nbgrader={"grade": false, "grade_id": "ch16_next", "locked": true, "schema_version": 3, "solution": false, "task": false}
# ## What next
#
# Classification, with two classes or many, ends in a probability. Chapter 17 turns
# to **regression**: predicting a number, such as the height of a sine wave at a
# given point. It needs an output that can take any value (the linear activation) and
# losses that measure distances instead of probabilities (mean squared and mean
# absolute error).
