# %% [markdown] nbgrader={"grade": false, "grade_id": "ch04_intro", "locked": true, "schema_version": 3, "solution": false, "task": false}
# # Chapter 4 · Activation functions
#
# A dense layer computes weighted sums, and weighted sums can only draw straight lines
# and flat planes. An **activation function**, applied to every output of a layer,
# bends them. This chapter writes the four the book introduces for hidden and output
# neurons, plots them, shows in two pictures why the bend is what makes a network more
# than one big weighted sum, and adds **softmax**, which turns the last layer's outputs
# into a probability for each class.
#
# | section | you write | graded check | points |
# |---|---|---|---|
# | 4.1 | (why a layer needs an activation function) | | |
# | 4.2 | `Activation_Step.forward` | `step_activation` | 1 |
# | 4.3 | `Activation_Linear.forward` | `linear_forward` | 1 |
# | 4.4 | `Activation_Sigmoid.forward` | `sigmoid_forward` | 1 |
# | 4.5 | `Activation_ReLU.forward` | `relu_forward` | 1 |
# | 4.6 | (the four curves; why bending matters) | | |
# | 4.7 | `Activation_Softmax.forward` | `softmax_forward` | 2 |
# | 4.8 | (the whole forward pass on the spiral data) | | |
#
# Every activation follows the book's convention: `forward(inputs)` receives a batch,
# shape `(n_samples, n_values)`, and stores a result of the same shape in
# `self.output`.
#
# ### How to check your work
#
# Run the cell with your class, then the test cell under it. A green ✓ block
# means your class produced the reference's results on fixed random inputs (which
# include exact zeros, and for softmax a row of very large numbers). Otherwise the test
# shows a ✗ block (a `CheckFailed` error) saying which value is wrong and, for the usual slips
# (a step that gives 1 at exactly 0, `np.minimum` for ReLU, softmax without the
# maximum subtracted or summed over the wrong axis...), naming the slip. A method you
# have not written yet raises `NotImplementedError`, and its test reports *not
# implemented yet*.
#
# ### Stuck?
#
# The linear, sigmoid, ReLU and softmax activations have reference twins: run, for
# example, `from nnfs_core.book import Activation_ReLU` in a new cell below the
# exercise to carry on with it (grading gives it no points; see chapter 1). The step
# function is this course's own exercise and has none; its explanation ends with a hint
# you can unfold. The dense layer of chapter 3 is yours where it passes, the
# reference's otherwise (the line under the imports says which).

# %% nbgrader={"grade": false, "grade_id": "ch04_imports", "locked": true, "schema_version": 3, "solution": false, "task": false}
import matplotlib.pyplot as plt
import numpy as np

from autograder import check, submit
from autograder.library import components
from nnfs_core.book import spiral_data

# Earlier chapters' classes: yours where they pass in your workspace, else the reference
Layer_Dense = components("Layer_Dense", chapter="ch04")


# %% [markdown] nbgrader={"grade": false, "grade_id": "ch04_why_explained", "locked": true, "schema_version": 3, "solution": false, "task": false}
# ## 4.1 Why a layer needs an activation function
#
# A dense layer maps its inputs $x$ to $x W + b$. Feed that into a second dense layer
# and you get
#
# $$(x W_1 + b_1)\, W_2 + b_2 = x\,(W_1 W_2) + (b_1 W_2 + b_2),$$
#
# which is again *one* dense layer, with weights $W_1 W_2$ and biases
# $b_1 W_2 + b_2$. However many dense layers are stacked, the result is a single
# weighted sum per output: a flat plane over the inputs, unable to follow a curve or to
# separate spiral arms. (Section 4.6 checks this numerically.)
#
# An **activation function** $f$ is applied to every output of a layer, each number
# on its own, between one layer and the next. If $f$ is not a straight line, the
# collapse above no longer happens, and each layer can bend what the previous one
# produced. With enough neurons, such a network can approximate any reasonable
# function; section 4.6 draws a sine wave with a handful of bends.
#
# Two roles are worth telling apart. **Hidden layers** need an activation that bends
# (today, almost always ReLU). The **output layer** needs an activation that gives
# answers of the right kind: any number for regression (linear), a value between 0 and
# 1 for a yes/no question (sigmoid), a probability per class for classification
# (softmax).

# %% [markdown] nbgrader={"grade": false, "grade_id": "ch04_step_explained", "locked": true, "schema_version": 3, "solution": false, "task": false}
# ## 4.2 The step function
#
# The oldest choice, modelled on a nerve cell that either fires or does not:
#
# $$\text{step}(x) = \begin{cases} 1 & x > 0 \\ 0 & x \le 0. \end{cases}$$
#
# Note the edge: an input of exactly 0 gives **0**. The step is rarely used in
# hidden layers now. Its output says on which side of the threshold the sum fell but
# not by how much, so a small change of a weight almost never changes anything; and
# chapter 9 will need the slope of each activation, which for the step is 0 everywhere
# (and undefined at the jump), telling the weights nothing about which way to move.
#
# **Your task:** write `forward(inputs)`, storing 1 where an input is greater than 0
# and 0 elsewhere, in an array of the same shape as `inputs`.
#
# <details><summary>Hint</summary>
#
# `inputs > 0` is an array of `True`/`False` of the right shape; `np.where(condition,
# 1, 0)` turns it into ones and zeros (or multiply the booleans by 1).
#
# </details>


# %% nbgrader={"grade": false, "grade_id": "ch04_step", "locked": false, "schema_version": 3, "solution": true, "task": false}
class Activation_Step:
    def forward(self, inputs):
        # Set self.output: 1 where inputs > 0, else 0 (same shape as inputs).
        ### BEGIN SOLUTION
        self.output = np.where(inputs > 0, 1.0, 0.0)
        ### END SOLUTION


# %% nbgrader={"grade": true, "grade_id": "test_step_activation", "locked": true, "points": 1, "schema_version": 3, "solution": false, "task": false}
check("step_activation", Activation_Step)
### BEGIN HIDDEN TESTS
submit("step_activation", Activation_Step, seed=41071)
### END HIDDEN TESTS

# %% [markdown] nbgrader={"grade": false, "grade_id": "ch04_linear_explained", "locked": true, "schema_version": 3, "solution": false, "task": false}
# ## 4.3 The linear activation
#
# $y = x$: the output is the input, unchanged. In a hidden layer it would be pointless
# (section 4.1: no bend, no gain). Its place is the **output layer of a regression
# network**, where the answer is a number that may be anything, positive or negative,
# large or small: chapter 17 predicts the values of a sine wave with it. It is a class
# of its own so that every layer of a network can be followed by an activation object,
# even when that activation changes nothing.
#
# **Your task:** write `forward(inputs)`, storing the inputs in `self.output`.


# %% nbgrader={"grade": false, "grade_id": "ch04_linear", "locked": false, "schema_version": 3, "solution": true, "task": false}
class Activation_Linear:
    def forward(self, inputs):
        # Set self.output to the inputs, unchanged.
        ### BEGIN SOLUTION
        self.output = inputs.copy()
        ### END SOLUTION


# %% nbgrader={"grade": true, "grade_id": "test_linear_forward", "locked": true, "points": 1, "schema_version": 3, "solution": false, "task": false}
check("linear_forward", Activation_Linear)
### BEGIN HIDDEN TESTS
submit("linear_forward", Activation_Linear, seed=41183)
### END HIDDEN TESTS

# %% [markdown] nbgrader={"grade": false, "grade_id": "ch04_sigmoid_explained", "locked": true, "schema_version": 3, "solution": false, "task": false}
# ## 4.4 The sigmoid
#
# $$\sigma(x) = \frac{1}{1 + e^{-x}}.$$
#
# A smooth version of the step: it rises from 0 (for very negative $x$) through
# $\sigma(0) = 0.5$ to 1 (for very positive $x$), and unlike the step it says *how
# far* the sum is from the threshold. It was the standard hidden activation for a long
# time. ReLU replaced it there, being cheaper to compute and, far from 0, much less
# flat; but the sigmoid remains the natural output for yes/no answers, read as a
# probability (chapter 16).
#
# **Your task:** write `forward(inputs)`, applying $\sigma$ to every element with
# `np.exp`. (For inputs below about -709, `np.exp(-inputs)` overflows to infinity with
# a warning, and the result, `1 / inf = 0`, is still right. The check's inputs stay far
# from that.)


# %% nbgrader={"grade": false, "grade_id": "ch04_sigmoid", "locked": false, "schema_version": 3, "solution": true, "task": false}
class Activation_Sigmoid:
    def forward(self, inputs):
        # Set self.output to 1 / (1 + e^(-x)) for every element x of inputs.
        ### BEGIN SOLUTION
        self.output = 1 / (1 + np.exp(-inputs))
        ### END SOLUTION


# %% nbgrader={"grade": true, "grade_id": "test_sigmoid_forward", "locked": true, "points": 1, "schema_version": 3, "solution": false, "task": false}
check("sigmoid_forward", Activation_Sigmoid)
### BEGIN HIDDEN TESTS
submit("sigmoid_forward", Activation_Sigmoid, seed=42297)
### END HIDDEN TESTS

# %% [markdown] nbgrader={"grade": false, "grade_id": "ch04_relu_explained", "locked": true, "schema_version": 3, "solution": false, "task": false}
# ## 4.5 ReLU, the rectified linear unit
#
# $$\text{ReLU}(x) = \max(0, x) = \begin{cases} x & x > 0 \\ 0 & x \le 0. \end{cases}$$
#
# Two straight pieces, joined at 0 with a kink. That kink is all the bending it takes:
# each ReLU neuron is switched off on one side of a line in the input space and
# passes its sum through on the other, and many of them together can fold the space
# into almost any shape. It costs a comparison, nothing more, which is why it is the
# default activation of hidden layers, and the one this course uses.
#
# **Your task:** write `forward(inputs)`. `np.maximum(0, inputs)` compares every
# element with 0 and keeps the larger. (Mind the name: `np.max` is something else, the
# largest element of an array.)


# %% nbgrader={"grade": false, "grade_id": "ch04_relu", "locked": false, "schema_version": 3, "solution": true, "task": false}
class Activation_ReLU:
    def forward(self, inputs):
        # Set self.output to max(0, x) for every element x of inputs.
        ### BEGIN SOLUTION
        self.output = np.maximum(0, inputs)
        ### END SOLUTION


# %% nbgrader={"grade": true, "grade_id": "test_relu_forward", "locked": true, "points": 1, "schema_version": 3, "solution": false, "task": false}
check("relu_forward", Activation_ReLU)
### BEGIN HIDDEN TESTS
submit("relu_forward", Activation_ReLU, seed=43311)
### END HIDDEN TESTS

# %% [markdown] nbgrader={"grade": false, "grade_id": "ch04_curves_explained", "locked": true, "schema_version": 3, "solution": false, "task": false}
# ## 4.6 The four curves, and why bending matters
#
# The first cell plots your four activations for inputs from -4 to 4. The inputs are
# a batch of shape `(n, 1)`, one value per sample, as a layer would hand them over.

# %%
x = np.linspace(-4, 4, 401).reshape(-1, 1)
activations = [
    ("step", Activation_Step()),
    ("linear", Activation_Linear()),
    ("sigmoid", Activation_Sigmoid()),
    ("ReLU", Activation_ReLU()),
]

fig, axes = plt.subplots(1, 4, figsize=(12, 3))
for ax, (name, activation) in zip(axes, activations):
    activation.forward(x)
    ax.plot(x[:, 0], np.asarray(activation.output)[:, 0], color="tab:blue")
    ax.axhline(0, color="grey", linewidth=0.5)
    ax.axvline(0, color="grey", linewidth=0.5)
    ax.set_title(name)
    ax.set_xlabel("input")
axes[0].set_ylabel("output")
plt.show()

# %% [markdown] nbgrader={"grade": false, "grade_id": "ch04_collapse_explained", "locked": true, "schema_version": 3, "solution": false, "task": false}
# **Linear layers collapse.** The next cell builds two dense layers with random
# weights and biases, without any activation between them, and the single layer that
# section 4.1 says is equivalent: weights $W_1 W_2$, biases $b_1 W_2 + b_2$. The two
# computations agree to within rounding error. Put a ReLU between the two layers and
# they no longer do.

# %%
rng = np.random.RandomState(4)
inputs = rng.standard_normal((5, 2))
W1, b1 = rng.standard_normal((2, 4)), rng.standard_normal((1, 4))
W2, b2 = rng.standard_normal((4, 3)), rng.standard_normal((1, 3))

two_layers = (inputs @ W1 + b1) @ W2 + b2
one_layer = inputs @ (W1 @ W2) + (b1 @ W2 + b2)
with_relu = np.maximum(0, inputs @ W1 + b1) @ W2 + b2

gap = np.abs(two_layers - one_layer).max()
print(f"two layers, no activation, vs the one layer: largest difference {gap:.1e}")
gap = np.abs(with_relu - one_layer).max()
print(f"a ReLU between the layers, vs the one layer: largest difference {gap:.1e}")

# %% [markdown] nbgrader={"grade": false, "grade_id": "ch04_sine_explained", "locked": true, "schema_version": 3, "solution": false, "task": false}
# **A few ReLUs draw a sine.** Here is a network with one input, one hidden layer of
# $k$ ReLU neurons and one linear output neuron, whose weights are chosen by hand
# instead of learned. Hidden neuron $j$ has weight 1 and bias $-t_j$, so after ReLU it
# outputs $\max(0, x - t_j)$: zero until $x$ reaches its *knot* $t_j$, then a line
# rising with slope 1. The output neuron adds these ramps up, each with a weight equal
# to how much the curve's slope should change at that knot. The result is a chain of
# straight segments that bends at every knot; with the knots spread over $[0, 1]$ and
# the slopes read off $\sin(2\pi x)$, it traces the sine, more closely the more neurons
# there are. Training (chapter 10 on) finds such weights by itself; chapter 17 trains a
# network to do exactly this.
#
# The cell uses your `Activation_ReLU` and the reference `Layer_Dense`, with weights
# and biases set by hand.

# %%
x = np.linspace(0, 1, 200).reshape(-1, 1)


def relu_sine(n_neurons):
    """A 1 -> n_neurons -> 1 network, weights set so that it traces sin(2 pi x)."""
    knots = np.linspace(0, 1, n_neurons + 1)
    heights = np.sin(2 * np.pi * knots)
    slopes = np.diff(heights) / np.diff(knots)  # of each straight segment

    hidden = Layer_Dense(1, n_neurons)
    hidden.weights = np.ones((1, n_neurons))
    hidden.biases = -knots[:-1].reshape(1, -1)
    relu = Activation_ReLU()
    output = Layer_Dense(n_neurons, 1)
    output.weights = np.diff(slopes, prepend=0.0).reshape(-1, 1)  # change of slope
    output.biases = np.array([[heights[0]]])

    hidden.forward(x)
    relu.forward(hidden.output)
    output.forward(relu.output)
    return output.output


fig, ax = plt.subplots(figsize=(7, 3.5))
ax.plot(x, np.sin(2 * np.pi * x), color="black", linestyle="--", label="sin(2πx)")
for n_neurons in (3, 6, 12):
    ax.plot(x, relu_sine(n_neurons), label=f"{n_neurons} ReLU neurons")
ax.set_xlabel("input")
ax.set_ylabel("network output")
ax.legend()
plt.show()


# %% [markdown] nbgrader={"grade": false, "grade_id": "ch04_softmax_explained", "locked": true, "schema_version": 3, "solution": false, "task": false}
# ## 4.7 Softmax: a probability for each class
#
# For classification, the output layer has one neuron per class, and we want its
# outputs to read as the network's confidence in each class: numbers between 0 and 1
# that add up to 1 over the classes, larger for larger raw outputs. The raw outputs
# (often called *logits*) can be negative, so we cannot just divide each by their sum.
# Softmax first makes them positive by exponentiating, which keeps their order and
# widens their gaps, then normalises each sample's row:
#
# $$s_i = \frac{e^{z_i}}{\sum_{j} e^{z_j}}.$$
#
# For a batch, the sum runs over each **row** (one sample's classes):
# `np.sum(..., axis=1, keepdims=True)`. Without `keepdims=True` the sums come out as a
# flat vector of shape `(n_samples,)`, which NumPy would line up against the columns,
# not the rows; with it they form a column `(n_samples, 1)`, and each row is divided
# by its own sum.
#
# **The overflow guard.** $e^{z}$ grows very fast: in 64-bit floats $e^{710}$ is
# already infinity, and infinity divided by infinity is NaN. But subtracting the same
# number from every logit of a row changes nothing, because
# $e^{z_i - m} / \sum_j e^{z_j - m} = e^{z_i} / \sum_j e^{z_j}$ (the factor $e^{-m}$
# cancels). So subtract each row's **largest** value first
# (`np.max(inputs, axis=1, keepdims=True)`): every exponent is then at most 0, every
# exponential lies between 0 and 1, and nothing can overflow. The check includes a row
# of logits around 800 to make sure the guard is there.
#
# **Your task:** write `forward(inputs)`: subtract the row maxima, exponentiate,
# divide by the row sums, and store the result in `self.output`.


# %% nbgrader={"grade": false, "grade_id": "ch04_softmax", "locked": false, "schema_version": 3, "solution": true, "task": false}
class Activation_Softmax:
    def forward(self, inputs):
        # Set self.output: each row exponentiated (after subtracting its max) and normalised.
        ### BEGIN SOLUTION
        exponentials = np.exp(inputs - np.max(inputs, axis=1, keepdims=True))
        self.output = exponentials / np.sum(exponentials, axis=1, keepdims=True)
        ### END SOLUTION


# %% nbgrader={"grade": true, "grade_id": "test_softmax_forward", "locked": true, "points": 2, "schema_version": 3, "solution": false, "task": false}
check("softmax_forward", Activation_Softmax)
### BEGIN HIDDEN TESTS
submit("softmax_forward", Activation_Softmax, seed=44429)
### END HIDDEN TESTS

# %% [markdown] nbgrader={"grade": false, "grade_id": "ch04_softmax_demo_explained", "locked": true, "schema_version": 3, "solution": false, "task": false}
# The cell below computes softmax the unguarded way on two rows that differ only by a
# constant, 1000, and then with your class. Unguarded, the second row overflows to NaN
# (NumPy's overflow warnings are silenced here, to keep the output short); your class
# gives both rows the same probabilities. The bar chart then shows what the
# exponential does: the same three logits, spread further apart, give one class more
# and more of the probability.

# %%
logits = np.array([[1.0, 2.0, 3.0], [1001.0, 1002.0, 1003.0]])

with np.errstate(over="ignore", invalid="ignore"):
    unguarded = np.exp(logits) / np.sum(np.exp(logits), axis=1, keepdims=True)
print("unguarded:\n", unguarded)

softmax = Activation_Softmax()
softmax.forward(logits)
print("yours:\n", softmax.output, "\nrow sums:", softmax.output.sum(axis=1))

spreads = (0.5, 1.0, 3.0)
fig, ax = plt.subplots(figsize=(6, 3))
for position, spread in enumerate(spreads):
    softmax.forward(spread * np.array([[1.0, 0.5, -1.0]]))
    offsets = np.arange(3) + (position - 1) * 0.27
    ax.bar(offsets, softmax.output[0], width=0.25, label=f"logits × {spread:g}")
ax.set_xticks(range(3), ["class 0", "class 1", "class 2"])
ax.set_ylabel("probability")
ax.set_title("softmax of (1, 0.5, -1), spread further and further")
ax.legend()
plt.show()

# %% [markdown] nbgrader={"grade": false, "grade_id": "ch04_full_pass_explained", "locked": true, "schema_version": 3, "solution": false, "task": false}
# ## 4.8 The whole forward pass
#
# Everything so far, in the book's arrangement: the spiral data (100 points for each
# of 3 classes, 2 features), a dense layer of 3 neurons followed by ReLU, then a dense
# layer of 3 neurons (one per class) followed by softmax. The dense layers are the
# reference's; the activations are yours. Seeding with 0 and drawing in the book's
# order (data, then the first layer's weights, then the second's) replays the book's
# random numbers.
#
# Every row comes out as roughly $1/3, 1/3, 1/3$: with weights this small the network
# has no opinion yet, and gives every class about the same probability. Chapter 5
# measures how wrong such answers are with a single number, the **loss**, which the
# rest of the book then learns to make smaller.

# %%
np.random.seed(0)
X, y = spiral_data(samples=100, classes=3)

dense1 = Layer_Dense(2, 3)
activation1 = Activation_ReLU()
dense2 = Layer_Dense(3, 3)
activation2 = Activation_Softmax()

dense1.forward(X)
activation1.forward(dense1.output)
dense2.forward(activation1.output)
activation2.forward(dense2.output)

print(activation2.output[:5])
print("every row sums to 1:", np.allclose(activation2.output.sum(axis=1), 1))

# %% [markdown] nbgrader={"grade": false, "grade_id": "ch04_next", "locked": true, "schema_version": 3, "solution": false, "task": false}
# ## What next
#
# The network now produces a probability for each class, but nothing tells it whether
# those probabilities are any good. Chapter 5 introduces the **loss**: categorical
# cross-entropy, the negative log of the probability given to the right class, and
# accuracy, the share of samples whose most probable class is the right one.
