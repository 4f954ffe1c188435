# %% [markdown] nbgrader={"grade": false, "grade_id": "ch02_intro", "locked": true, "schema_version": 3, "solution": false, "task": false}
# # Chapter 2 · Coding neurons
#
# A neuron does one small calculation: it weighs its inputs, adds them up, and adds
# its bias. A layer is several neurons doing that calculation side by side on the same
# inputs. This chapter writes both, first with plain loops, so that nothing is hidden,
# and then with NumPy's dot product, which is how every later chapter computes them.
# (The activation function that follows the sum comes in chapter 4.)
#
# | section | you write | graded check | points |
# |---|---|---|---|
# | 2.1 | `Neuron.forward` | `neuron_output` | 1 |
# | 2.2 | (a plot: what the weight and the bias do) | | |
# | 2.3 | (vectors, shapes and the dot product) | | |
# | 2.4 | `Layer.forward`, one row of weights per neuron | `layer_output` | 1 |
# | 2.5 | (a layer is neurons side by side; why the order in `np.dot` matters) | | |
#
# ### How to check your work
#
# Run the cell with your class, then the test cell under it. A green ✓ block
# means your class produced the reference's results on fixed random inputs (and, at
# grading time, on hidden ones of other sizes). Otherwise the test shows a
# ✗ block (a `CheckFailed` error) saying which value is wrong and, for the usual slips (a forgotten
# bias, a bias added once per input, `np.dot`'s arguments swapped...), naming the slip.
# A method you have not written yet raises `NotImplementedError`, and its test reports
# *not implemented yet*.
#
# ### Stuck?
#
# `Neuron` and `Layer` are this course's own small classes: the book writes these
# steps as loose lines of code, so `nnfs_core.book` has no twin for them. Instead,
# each exercise's explanation ends with a hint that you can unfold. From chapter 3 on,
# every exercise has a reference class to fall back on.

# %% nbgrader={"grade": false, "grade_id": "ch02_imports", "locked": true, "schema_version": 3, "solution": false, "task": false}
import matplotlib.pyplot as plt
import numpy as np

from autograder import check, submit


# %% [markdown] nbgrader={"grade": false, "grade_id": "ch02_neuron_explained", "locked": true, "schema_version": 3, "solution": false, "task": false}
# ## 2.1 One neuron
#
# A neuron receives $n$ inputs $x_1, \dots, x_n$. They are the data itself (the
# features of one sample) or the outputs of the layer before. The neuron owns one
# **weight** per input, $w_1, \dots, w_n$, and a single **bias** $b$. Its output is
#
# $$\text{output} = x_1 w_1 + x_2 w_2 + \dots + x_n w_n + b = \sum_{i=1}^{n} x_i w_i + b.$$
#
# The inputs change from sample to sample; the weights and the bias belong to the
# neuron and stay the same for every sample. They are the numbers training will adjust.
# The bias is added **once**, after the products are summed: it belongs to the neuron,
# not to any one input.
#
# For example, with inputs `[1.5, -0.5, 2.0, 1.0]`, weights `[0.3, -1.2, 0.6, 0.25]`
# and bias `-0.5`:
# $0.45 + 0.6 + 1.2 + 0.25 - 0.5 = 2.0$.
#
# **Your task:** write `forward(inputs)`, storing the neuron's output (one number) in
# `self.output`. `inputs` and `self.weights` have the same length; they may be Python
# lists or NumPy arrays, and a loop works for both.
#
# <details><summary>Hint</summary>
#
# As in chapter 1's weighted sum: run through `zip(inputs, self.weights)` adding up
# `x * w`, then add `self.bias` once, after the loop.
#
# </details>


# %% nbgrader={"grade": false, "grade_id": "ch02_neuron", "locked": false, "schema_version": 3, "solution": true, "task": false}
class Neuron:
    def __init__(self, weights, bias):
        self.weights = weights
        self.bias = bias

    def forward(self, inputs):
        # Set self.output to the sum of inputs[i] * self.weights[i], plus self.bias.
        ### BEGIN SOLUTION
        total = 0.0
        for x, w in zip(inputs, self.weights):
            total += x * w
        self.output = total + self.bias
        ### END SOLUTION


# %% nbgrader={"grade": true, "grade_id": "test_neuron_output", "locked": true, "points": 1, "schema_version": 3, "solution": false, "task": false}
check("neuron_output", Neuron)
### BEGIN HIDDEN TESTS
submit("neuron_output", Neuron, seed=21113)
### END HIDDEN TESTS

# %%
neuron = Neuron([0.3, -1.2, 0.6, 0.25], -0.5)
neuron.forward([1.5, -0.5, 2.0, 1.0])
print(round(neuron.output, 10))  # 0.45 + 0.6 + 1.2 + 0.25 - 0.5

# %% [markdown] nbgrader={"grade": false, "grade_id": "ch02_weight_bias_explained", "locked": true, "schema_version": 3, "solution": false, "task": false}
# ## 2.2 What the weight and the bias do
#
# With a single input, the neuron computes $w x + b$: a straight line. The plot below
# feeds your `Neuron` inputs from -2 to 2. On the left the bias is 0 and the weight
# varies: the **weight is the slope**, how strongly and in which direction the output
# follows the input (a negative weight turns it round, a weight near 0 nearly ignores
# it). On the right the weight is 1 and the bias varies: the **bias shifts the line**
# up or down, changing the output whatever the input.
#
# With many inputs the picture is the same in each direction at once: every weight
# says how much its input matters, and the bias sets the level the neuron starts from.

# %%
xs = np.linspace(-2, 2, 41)


def response(weight, bias):
    """Your neuron's output for each x in xs, with one input."""
    neuron = Neuron([weight], bias)
    outputs = []
    for x in xs:
        neuron.forward([x])
        outputs.append(neuron.output)
    return outputs


fig, (left, right) = plt.subplots(1, 2, figsize=(9, 3.4), sharey=True)
for weight in (-1.0, 0.5, 2.0):
    left.plot(xs, response(weight, 0.0), label=f"weight {weight:g}, bias 0")
for bias in (-1.0, 0.0, 1.5):
    right.plot(xs, response(1.0, bias), label=f"weight 1, bias {bias:g}")
for ax, title in ((left, "the weight sets the slope"), (right, "the bias shifts the line")):
    ax.axhline(0, color="grey", linewidth=0.5)
    ax.axvline(0, color="grey", linewidth=0.5)
    ax.set_xlabel("input x")
    ax.set_title(title)
    ax.legend()
left.set_ylabel("neuron output")
plt.show()

# %% [markdown] nbgrader={"grade": false, "grade_id": "ch02_arrays_explained", "locked": true, "schema_version": 3, "solution": false, "task": false}
# ## 2.3 Vectors, shapes and the dot product
#
# A layer has many neurons, each with a list of weights, and a network computes many
# layers for many samples. Loops over Python lists would get slow and wordy; NumPy
# arrays do the same arithmetic in one call, in compiled code.
#
# **Arrays and shapes.** `np.array([1.5, -0.5, 2.0, 1.0])` is a 1-dimensional array, a
# **vector**, of shape `(4,)`. A list of equally long lists becomes a 2-dimensional
# array, a **matrix**: three rows of four numbers have shape `(3, 4)` (rows first, then
# columns). An array must be rectangular: every row the same length. *Tensor* is the
# general word for such an array with any number of dimensions; in this course it
# means no more than that.
#
# **The dot product** of two vectors of the same length multiplies them element by
# element and adds the products: exactly a neuron's weighted sum.
#
# $$a \cdot b = \sum_i a_i b_i, \qquad \texttt{np.dot(a, b)}.$$
#
# **A matrix and a vector.** `np.dot(M, v)` takes the dot product of *each row* of `M`
# with `v` and returns one number per row. So if the weights of a layer are stored as a
# matrix with **one row per neuron**, shape `(n_neurons, n_inputs)`, then
# `np.dot(weights, inputs)` is the vector of all the neurons' weighted sums, shape
# `(n_neurons,)`. Adding a vector of biases of the same shape adds each neuron's bias to
# its own sum (NumPy adds arrays of equal shape element by element).
#
# Run the cell below and compare the shapes and numbers.

# %%
inputs = np.array([1.5, -0.5, 2.0, 1.0])
weights = np.array(
    [
        [0.3, -1.2, 0.6, 0.25],
        [-0.4, 0.8, 0.1, 1.0],
        [0.9, 0.0, -0.7, 0.5],
    ]
)
print("inputs: shape", inputs.shape, " weights: shape", weights.shape)

# One neuron: the dot product of its row of weights with the inputs.
print("first neuron's weighted sum:", np.dot(weights[0], inputs))

# The same by hand, element by element.
print("the same, spelled out:      ", np.sum(weights[0] * inputs))

# Every neuron at once: one dot product per row.
sums = np.dot(weights, inputs)
print("every neuron's weighted sum:", sums, "shape", sums.shape)


# %% [markdown] nbgrader={"grade": false, "grade_id": "ch02_layer_explained", "locked": true, "schema_version": 3, "solution": false, "task": false}
# ## 2.4 A layer of neurons
#
# A layer of $m$ neurons reads the same $n$ inputs. Neuron $j$ has its own row of
# weights $w_{j1}, \dots, w_{jn}$ and its own bias $b_j$, and computes
#
# $$\text{output}_j = \sum_{i=1}^{n} w_{ji}\, x_i + b_j, \qquad j = 1, \dots, m.$$
#
# The layer's output is the vector of these $m$ numbers. In this chapter, as in the
# book's chapter 2, the weights are stored **one row per neuron**: `weights` has shape
# `(n_neurons, n_inputs)` and `biases` shape `(n_neurons,)`. For the example above,
# with biases `[-0.5, 1.0, 0.25]`, the layer's outputs are `[2.0, 1.2, 0.7]`.
#
# **Your task:** write `forward(inputs)` for **one sample**, `inputs` of shape
# `(n_inputs,)`, storing the layer's outputs, shape `(n_neurons,)`, in `self.output`.
# `self.weights` and `self.biases` are NumPy arrays. A loop over the neurons is fine;
# one line with `np.dot` is the goal.
#
# <details><summary>Hint</summary>
#
# `np.dot(self.weights, inputs)` gives every neuron's weighted sum, one per row of
# weights; then add `self.biases`. Keep that order of the arguments (section 2.5 shows
# why).
#
# </details>


# %% nbgrader={"grade": false, "grade_id": "ch02_layer", "locked": false, "schema_version": 3, "solution": true, "task": false}
class Layer:
    def __init__(self, weights, biases):
        # One row of weights per neuron: shape (n_neurons, n_inputs).
        self.weights = np.array(weights, dtype=float)
        self.biases = np.array(biases, dtype=float)

    def forward(self, inputs):
        # Set self.output to every neuron's weighted sum plus its bias, shape (n_neurons,).
        ### BEGIN SOLUTION
        self.output = np.dot(self.weights, inputs) + self.biases
        ### END SOLUTION


# %% nbgrader={"grade": true, "grade_id": "test_layer_output", "locked": true, "points": 1, "schema_version": 3, "solution": false, "task": false}
check("layer_output", Layer)
### BEGIN HIDDEN TESTS
submit("layer_output", Layer, seed=22241)
### END HIDDEN TESTS

# %% [markdown] nbgrader={"grade": false, "grade_id": "ch02_side_by_side_explained", "locked": true, "schema_version": 3, "solution": false, "task": false}
# ## 2.5 A layer is neurons side by side
#
# The cell below computes the example layer twice: once with your `Layer`, once with
# three of your `Neuron`s, each given one row of the weights and one bias. The two
# should agree, because they are the same arithmetic.
#
# It then tries `np.dot` with its arguments the other way round. `np.dot(M, v)`
# needs the length of `v` to equal the number of **columns** of `M`: here `(3, 4)`
# and `(4,)` fit, giving `(3,)`. Swapped, `np.dot(v, M)` pairs `v`'s 4 numbers with
# `M`'s 3 rows, and NumPy refuses. (With a square matrix it would not refuse: it
# would quietly pair the inputs with the *columns*, and the numbers would be wrong.
# The check feeds your layer a square case to catch exactly that.)

# %%
inputs = np.array([1.5, -0.5, 2.0, 1.0])
weights = np.array(
    [
        [0.3, -1.2, 0.6, 0.25],
        [-0.4, 0.8, 0.1, 1.0],
        [0.9, 0.0, -0.7, 0.5],
    ]
)
biases = np.array([-0.5, 1.0, 0.25])

layer = Layer(weights, biases)
layer.forward(inputs)
print("your Layer:          ", np.round(layer.output, 10))

one_by_one = []
for neuron_weights, neuron_bias in zip(weights, biases):
    neuron = Neuron(neuron_weights, neuron_bias)
    neuron.forward(inputs)
    one_by_one.append(neuron.output)
print("three of your Neurons:", np.round(one_by_one, 10))

try:
    np.dot(inputs, weights)
except ValueError as error:
    print("np.dot(inputs, weights) fails:", error)

# %% [markdown] nbgrader={"grade": false, "grade_id": "ch02_next", "locked": true, "schema_version": 3, "solution": false, "task": false}
# ## What next
#
# Your layer handles one sample at a time. Chapter 3 feeds it a whole **batch** of
# samples at once, which needs one more idea, the transpose, and then turns the layer
# into the book's `Layer_Dense`, which creates its own weights.
