# %% [markdown] nbgrader={"grade": false, "grade_id": "ch03_intro", "locked": true, "schema_version": 3, "solution": false, "task": false}
# # Chapter 3 · Adding layers
#
# Chapter 2's layer took one sample at a time. Networks are fed **batches**: many
# samples at once, in one matrix. This chapter makes the layer work on a batch, which
# takes a matrix product and a transpose, stacks two layers, meets the book's first
# datasets, and ends with the book's dense layer class, `Layer_Dense`, which creates
# its own weights and biases.
#
# | section | you write | graded checks | points |
# |---|---|---|---|
# | 3.1 | `Layer.forward` on a batch | `layer_batch` | 2 |
# | 3.2 | (two layers in a row) | | |
# | 3.3 | (the spiral and vertical data, plotted) | | |
# | 3.4 | `Layer_Dense.__init__`, `Layer_Dense.forward` | `dense_init`, `dense_forward` | 1 + 1 |
# | 3.5 | (a dense layer on the spiral data; what one layer can draw) | | |
#
# ### How to check your work
#
# Run the cell with your class, then the test cell under it. A green ✓ block
# means your class produced the reference's results on fixed random inputs. Otherwise
# the test shows a ✗ block (a `CheckFailed` error) saying which value or shape is wrong and,
# for the usual slips (weights not transposed for a batch, chapter 2's formula used on
# a batch, unscaled starting weights, biases created flat...), naming the slip. A
# method you have not written yet raises `NotImplementedError`, and its test reports
# *not implemented yet*.
#
# ### Stuck?
#
# `Layer_Dense` has a reference twin: run `from nnfs_core.book import Layer_Dense` in
# a new cell below the exercise to carry on with it (grading gives it no points; see
# chapter 1). The batch `Layer` of 3.1 is this course's own and has none; its
# explanation ends with a hint you can unfold.

# %% nbgrader={"grade": false, "grade_id": "ch03_imports", "locked": true, "schema_version": 3, "solution": false, "task": false}
import matplotlib.pyplot as plt
import numpy as np

from autograder import check, submit
from nnfs_core.book import spiral_data, vertical_data


# %% [markdown] nbgrader={"grade": false, "grade_id": "ch03_batch_explained", "locked": true, "schema_version": 3, "solution": false, "task": false}
# ## 3.1 Batches and the matrix product
#
# **Why batches.** Computing many samples together is much faster than one by one:
# NumPy (and, for big networks, a graphics card) does the whole batch in one call. It
# also helps learning: later, the network will adjust its parameters after looking at
# a batch, and the average over many samples points in a steadier direction than any
# single sample does. Batches of 32 to 128 samples are common.
#
# **A batch is a matrix** with **one row per sample**: shape
# `(n_samples, n_inputs)`. The layer must give every sample a row of outputs, one per
# neuron: shape `(n_samples, n_neurons)`, where entry `[i, j]` is the dot product of
# sample $i$ with neuron $j$'s weights, plus neuron $j$'s bias.
#
# **The matrix product** `A @ B` (or `np.dot(A, B)`) does exactly this kind of
# bookkeeping: entry `[i, j]` of the result is the dot product of **row** $i$ of `A`
# with **column** $j$ of `B`. So the number of columns of `A` must equal the number of
# rows of `B`, and the result has as many rows as `A` and as many columns as `B`:
#
# $$(m, n) \,@\, (n, p) \;\rightarrow\; (m, p).$$
#
# (A vector is a matrix with one row, a *row vector*, or one column, a *column vector*;
# a dot product is a row vector times a column vector, $(1, n) @ (n, 1) \rightarrow
# (1, 1)$.)
#
# **The transpose.** We want rows of `inputs` (samples) paired with rows of `weights`
# (neurons), but the matrix product pairs rows of its first argument with *columns* of
# its second. Transposing the weights, `weights.T`, swaps rows and columns: shape
# `(n_inputs, n_neurons)`, one column per neuron. Then
#
# $$\texttt{inputs @ weights.T}: \quad (n_{\text{samples}}, n_{\text{inputs}}) \,@\,
# (n_{\text{inputs}}, n_{\text{neurons}}) \;\rightarrow\; (n_{\text{samples}}, n_{\text{neurons}}).$$
#
# Finally the biases, shape `(n_neurons,)`, are added to **every row**: NumPy
# *broadcasts* a vector over the rows of a matrix whose rows have the same length.
#
# **Your task:** write `forward(inputs)` for a batch, `inputs` of shape
# `(n_samples, n_inputs)`, with the same layout as chapter 2 (`self.weights` of shape
# `(n_neurons, n_inputs)`, `self.biases` of shape `(n_neurons,)`), storing the
# `(n_samples, n_neurons)` result in `self.output`. Chapter 2's
# `np.dot(self.weights, inputs)` does not work here: try it, and read the error.
#
# <details><summary>Hint</summary>
#
# `np.dot(inputs, self.weights.T) + self.biases`.
#
# </details>


# %% nbgrader={"grade": false, "grade_id": "ch03_layer_batch", "locked": false, "schema_version": 3, "solution": true, "task": false}
class Layer:
    def __init__(self, weights, biases):
        # Chapter 2's layout: one row of weights per neuron, (n_neurons, n_inputs).
        self.weights = np.array(weights, dtype=float)
        self.biases = np.array(biases, dtype=float)

    def forward(self, inputs):
        # inputs: (n_samples, n_inputs). Set self.output, (n_samples, n_neurons).
        ### BEGIN SOLUTION
        self.output = np.dot(inputs, self.weights.T) + self.biases
        ### END SOLUTION


# %% nbgrader={"grade": true, "grade_id": "test_layer_batch", "locked": true, "points": 2, "schema_version": 3, "solution": false, "task": false}
check("layer_batch", Layer)
### BEGIN HIDDEN TESTS
submit("layer_batch", Layer, seed=31157)
### END HIDDEN TESTS

# %%
weights = [
    [0.3, -1.2, 0.6, 0.25],
    [-0.4, 0.8, 0.1, 1.0],
    [0.9, 0.0, -0.7, 0.5],
]
biases = [-0.5, 1.0, 0.25]
batch = np.array(
    [
        [1.5, -0.5, 2.0, 1.0],  # chapter 2's sample: outputs 2.0, 1.2, 0.7
        [0.0, 1.0, -1.0, 2.0],
        [-2.0, 0.5, 0.5, -1.0],
    ]
)

layer = Layer(weights, biases)
layer.forward(batch)
print("weights:", layer.weights.shape, " weights.T:", layer.weights.T.shape)
print("batch:", batch.shape, " output:", layer.output.shape)
print(np.round(layer.output, 10))

# %% [markdown] nbgrader={"grade": false, "grade_id": "ch03_two_layers_explained", "locked": true, "schema_version": 3, "solution": false, "task": false}
# ## 3.2 Two layers in a row
#
# A second layer reads the first layer's outputs as its inputs. So its neurons have as
# many weights as the first layer has **neurons**: if layer 1 turns 4 inputs into 3
# outputs, layer 2's weights have shape `(n_neurons_2, 3)`. Nothing else changes: each
# layer does the same computation on whatever arrives. The batch keeps one row per
# sample all the way through; only the number of columns changes from layer to layer.

# %%
layer1 = Layer(weights, biases)  # 4 inputs -> 3 neurons
layer2 = Layer(
    [
        [0.5, -0.2, 0.1],
        [-0.3, 0.4, 0.9],
    ],
    [0.1, -0.1],
)  # 3 inputs -> 2 neurons

layer1.forward(batch)
layer2.forward(layer1.output)
print("batch", batch.shape, "-> layer 1", layer1.output.shape, "-> layer 2", layer2.output.shape)
print(np.round(layer2.output, 10))

# %% [markdown] nbgrader={"grade": false, "grade_id": "ch03_data_explained", "locked": true, "schema_version": 3, "solution": false, "task": false}
# ## 3.3 The book's data: spirals and blobs
#
# To have something to compute on, the book generates small datasets of points in the
# plane. Each sample has **two features**, its coordinates $(x_1, x_2)$, and a **class**,
# a label 0, 1, 2, ... telling which group it belongs to. The network's eventual job
# will be to tell the class from the coordinates.
#
# * `spiral_data(samples, classes)`: one spiral arm per class, winding round the
#   others, with some noise. `samples` is the number of points **per class**, so
#   `spiral_data(samples=100, classes=3)` gives `X` of shape `(300, 2)` and labels `y`
#   of shape `(300,)`. No straight line separates the arms: this is the dataset the
#   network of later chapters has to learn.
# * `vertical_data(samples, classes)`: a round blob of points per class, the blobs side
#   by side. An easy dataset, which chapter 6 uses to show that even random guessing
#   of weights can work on easy data.
#
# Both draw random noise from NumPy's global generator. The book's `nnfs.init()` seeds
# that generator with 0 before anything is drawn; `np.random.seed(0)` does the same
# here, so the points below are the book's points.

# %%
np.random.seed(0)
X, y = spiral_data(samples=100, classes=3)
X_vertical, y_vertical = vertical_data(samples=100, classes=3)
print("X:", X.shape, X.dtype, " y:", y.shape, " classes:", np.unique(y))
print("first three samples:", np.round(X[:3], 4).tolist(), "labels", y[:3].tolist())

fig, axes = plt.subplots(1, 2, figsize=(9, 4))
for ax, (points, labels, title) in zip(
    axes, [(X, y, "spiral_data"), (X_vertical, y_vertical, "vertical_data")]
):
    for label in np.unique(labels):
        chosen = labels == label
        ax.scatter(points[chosen, 0], points[chosen, 1], s=12, label=f"class {label}")
    ax.set_title(f"{title}(samples=100, classes=3)")
    ax.set_xlabel("feature 1")
    ax.set_aspect("equal")
axes[0].set_ylabel("feature 2")
axes[0].legend(loc="lower right", fontsize="small")
plt.show()


# %% [markdown] nbgrader={"grade": false, "grade_id": "ch03_dense_explained", "locked": true, "schema_version": 3, "solution": false, "task": false}
# ## 3.4 The dense layer, `Layer_Dense`
#
# From here on a layer is an object that **creates its own parameters** from two
# sizes, `Layer_Dense(n_inputs, n_neurons)`, and the book changes the weights' layout
# to suit batches: `self.weights` has shape `(n_inputs, n_neurons)`, **one column per
# neuron**, which is the transpose of chapter 2's layout. Then the forward pass needs no
# transpose at all:
#
# $$\text{output} = \text{inputs} \,@\, \text{weights} + \text{biases}, \qquad
# (n_{\text{samples}}, n_{\text{inputs}}) \,@\, (n_{\text{inputs}}, n_{\text{neurons}})
# \rightarrow (n_{\text{samples}}, n_{\text{neurons}}).$$
#
# **Starting weights:** `0.01 * np.random.randn(n_inputs, n_neurons)`.
# `np.random.randn` draws from the standard normal distribution (mean 0, standard
# deviation 1, as often negative as positive), and the factor 0.01 makes the weights
# small. Both matter:
#
# * *random*, because neurons that start identical compute identical outputs and would
#   be adjusted identically, forever: they would never learn different things;
# * *small*, so that the first outputs are small and the untrained network starts out
#   undecided, rather than confidently wrong. (How small is a choice: chapter 17 needs
#   0.1 for regression.)
#
# **Starting biases:** zeros, shape `(1, n_neurons)`: a row, shaped like one row of
# the output, so that it is added to every sample's row. Zero is the usual start.
# (If many neurons happened to output nothing at all from the start, a small positive
# bias would be the book's remedy; that will not be needed here.)
#
# Draw with `np.random.randn` (NumPy's global generator), as the book does: the
# `dense_init` check seeds that generator and then compares your weights number for
# number with the reference's. (Weights drawn another way are only checked on their
# shape, mean and spread.) The `dense_forward` check replaces your weights and biases
# with known values before calling `forward`.
#
# **Your task:** write `__init__` (create `self.weights` and `self.biases`) and
# `forward(inputs)` (store the result in `self.output`).


# %% nbgrader={"grade": false, "grade_id": "ch03_layer_dense", "locked": false, "schema_version": 3, "solution": true, "task": false}
class Layer_Dense:
    def __init__(self, n_inputs, n_neurons):
        # Set self.weights, (n_inputs, n_neurons), and self.biases, (1, n_neurons).
        ### BEGIN SOLUTION
        self.weights = 0.01 * np.random.randn(n_inputs, n_neurons)
        self.biases = np.zeros((1, n_neurons))
        ### END SOLUTION

    def forward(self, inputs):
        # inputs: (n_samples, n_inputs). Set self.output, (n_samples, n_neurons).
        ### BEGIN SOLUTION
        self.output = np.dot(inputs, self.weights) + self.biases
        ### END SOLUTION


# %% nbgrader={"grade": true, "grade_id": "test_dense_init", "locked": true, "points": 1, "schema_version": 3, "solution": false, "task": false}
check("dense_init", Layer_Dense)
### BEGIN HIDDEN TESTS
submit("dense_init", Layer_Dense, seed=32263)
### END HIDDEN TESTS

# %% nbgrader={"grade": true, "grade_id": "test_dense_forward", "locked": true, "points": 1, "schema_version": 3, "solution": false, "task": false}
check("dense_forward", Layer_Dense)
### BEGIN HIDDEN TESTS
submit("dense_forward", Layer_Dense, seed=32379)
### END HIDDEN TESTS

# %% [markdown] nbgrader={"grade": false, "grade_id": "ch03_weights_histogram_explained", "locked": true, "schema_version": 3, "solution": false, "task": false}
# The histogram below shows the 10,000 starting weights of a `Layer_Dense(100, 100)`:
# a bell curve centred on 0, about two thirds of the weights within ±0.01 of it.

# %%
big = Layer_Dense(100, 100)
print(f"mean {big.weights.mean():.5f}, standard deviation {big.weights.std():.5f}")

fig, ax = plt.subplots(figsize=(6, 3))
ax.hist(big.weights.ravel(), bins=60, color="tab:gray")
ax.axvline(-0.01, color="tab:red", linestyle="--", label="±0.01")
ax.axvline(0.01, color="tab:red", linestyle="--")
ax.set_xlabel("starting weight")
ax.set_ylabel("how many")
ax.legend()
plt.show()

# %% [markdown] nbgrader={"grade": false, "grade_id": "ch03_spiral_pass_explained", "locked": true, "schema_version": 3, "solution": false, "task": false}
# ## 3.5 A dense layer on the spiral data
#
# The book's first real forward pass: a layer of 3 neurons reading the 2 features of
# the spiral data. Seeding with 0, then drawing the data, then the layer's weights,
# replays the book's random numbers, so the first rows printed below are the ones the
# book shows (it computes in 32-bit floats, so it prints fewer digits). The first row is
# all zeros because the first spiral point sits exactly at the origin: all its
# features are 0. The rest are tiny, because the weights are.

# %%
np.random.seed(0)
X, y = spiral_data(samples=100, classes=3)
dense1 = Layer_Dense(2, 3)
dense1.forward(X)
print(dense1.output[:5])

# %% [markdown] nbgrader={"grade": false, "grade_id": "ch03_one_layer_view_explained", "locked": true, "schema_version": 3, "solution": false, "task": false}
# What can one dense neuron express? Its output is
# $w_1 x_1 + w_2 x_2 + b$, a tilted plane over the feature plane. The cell below colours
# the plane by the outputs of each neuron of a fresh `Layer_Dense(2, 3)` (red where
# the output is high, blue where it is low) with the spiral on top. Whatever the weights, the colour changes in one
# direction only, along parallel straight bands: a single layer of weighted sums
# cannot follow the curls of a spiral. Chapter 4 adds what is missing.

# %%
grid = np.linspace(-1.1, 1.1, 120)
g1, g2 = np.meshgrid(grid, grid)
points = np.column_stack([g1.ravel(), g2.ravel()])  # every grid point, one per row
layer = Layer_Dense(2, 3)
layer.forward(points)

fig, axes = plt.subplots(1, 3, figsize=(11, 3.6), sharey=True)
for neuron, ax in enumerate(axes):
    values = layer.output[:, neuron].reshape(g1.shape)
    ax.contourf(g1, g2, values, levels=20, cmap="coolwarm")
    ax.scatter(X[:, 0], X[:, 1], c=y, s=6, cmap="viridis")
    ax.set_title(f"neuron {neuron}")
    ax.set_aspect("equal")
plt.show()

# %% [markdown] nbgrader={"grade": false, "grade_id": "ch03_next", "locked": true, "schema_version": 3, "solution": false, "task": false}
# ## What next
#
# Stacking dense layers alone gains nothing: a weighted sum of weighted sums is still
# one weighted sum. Chapter 4 puts an **activation function** after each layer, shows
# why it has to bend, and adds softmax, which turns the last layer's outputs into
# probabilities over the classes.
