# %% [markdown] nbgrader={"grade": false, "grade_id": "ch09_intro", "locked": true, "schema_version": 3, "solution": false, "task": false}
# # Chapter 9 · Backpropagation
#
# Up to chapter 8 the network could only *evaluate*: a batch goes in, a loss comes
# out. To make the loss smaller we need, for every weight and every bias, the slope
# of the loss with respect to that one number: the direction to nudge it in, and how
# strongly the loss reacts. Backpropagation finds all of these slopes in a single
# sweep that runs from the loss back towards the inputs.
#
# The sweep is the chain rule, applied one component at a time. Each component
# receives `dvalues`, the gradient of the loss with respect to **its own output**,
# and turns it into `dinputs`, the gradient with respect to **its own inputs**, which
# it hands to the component before it. A component with parameters also works out
# the gradient for those (`dweights`, `dbiases`). No component needs to know what
# comes after it: everything downstream is summarised in `dvalues`.
#
# In this notebook you write the backward pass (and, as a warm-up, recall the
# forward pass) of every piece the network has so far:
#
# | section | you write | graded checks | points |
# |---|---|---|---|
# | 9.1 | `Neuron_ReLU.backward` (one neuron, by hand) | `single_neuron_backward` | 1 |
# | 9.2 | `Layer_Dense.forward`, `.backward` | `dense_forward`, `dense_backward` | 1 + 2 |
# | 9.3 | `Activation_ReLU.forward`, `.backward` | `relu_forward`, `relu_backward` | 1 + 1 |
# | 9.4 | `Activation_Softmax.forward`, `.backward` | `softmax_forward`, `softmax_backward` | 1 + 2 |
# | 9.5 | `Loss.calculate`, `Loss_CategoricalCrossentropy.forward`, `.backward` | `cce_forward`, `cce_backward` | 2 + 1 |
# | 9.6 | `Activation_Softmax_Loss_CategoricalCrossentropy` | `softmax_cce_backward` | 2 |
#
# **Conventions (the book's).** `forward(inputs)` keeps what the backward pass will
# need (usually `self.inputs`) and stores its result in `self.output`.
# `backward(dvalues)` stores its result in `self.dinputs`. Every gradient has exactly
# the shape of the array it is the gradient of: `dweights` looks like `weights`,
# `dinputs` looks like `inputs`. When in doubt about a transpose, that rule decides.
#
# ### How to check your work
#
# Each exercise is a class with a few methods to fill in. Run the cell with your
# class, then the test cell under it. A green ✓ block means your code agreed
# with the reference implementation on fixed random inputs. Otherwise the test shows a ✗ block (a `CheckFailed` error) that says which attribute is wrong, what shape or value
# was expected, and, for the usual slips (a missing transpose, a forgotten division
# by the number of samples...), names the slip. A method you have not written yet
# raises `NotImplementedError`, and its test reports *not implemented yet*.
#
# ### Stuck?
#
# The reference implementation of every class from 9.2 on is in `nnfs_core.book`. To
# carry on with the rest of the notebook, run for example
# `from nnfs_core.book import Layer_Dense` in a new cell below the exercise: from
# then on the notebook uses the reference class. Come back to your own version
# later; writing it is the point of the exercise. The one-neuron class of 9.1 has no
# twin there (the book writes those steps as loose lines of code); its explanation
# ends with a folded hint instead.

# %% nbgrader={"grade": false, "grade_id": "ch09_imports", "locked": true, "schema_version": 3, "solution": false, "task": false}
import numpy as np

from autograder import check, submit
from nnfs_core.book import spiral_data

# %% [markdown] nbgrader={"grade": false, "grade_id": "ch09_single_neuron_explained", "locked": true, "schema_version": 3, "solution": false, "task": false}
# ## 9.1 One neuron, by hand
#
# Before any matrices, follow the chain rule through the smallest network there is:
# one neuron with three inputs and a ReLU. The book's numbers:
# inputs $x = [1, -2, 3]$, weights $w = [-3, -1, 2]$, bias $b = 1$.
#
# **Forward**, written as a chain of small functions, each feeding the next:
#
# 1. three products $p_i = x_i w_i$: $-3$, $2$ and $6$;
# 2. their sum with the bias, $z = p_0 + p_1 + p_2 + b = 6$;
# 3. the activation, $y = \max(z, 0) = 6$.
#
# **Backward.** Whatever follows the neuron (more layers, then a loss $L$) is summarised
# in one number, the gradient of $L$ with respect to the neuron's output,
# $\text{dvalue} = \partial L / \partial y$; the book starts from $1.0$. The chain rule
# says that the derivative through a chain of functions is the *product* of the
# derivatives of its links, so walk the chain from the end and multiply as you go:
#
# * **ReLU.** $\partial y / \partial z$ is 1 where $z > 0$ and 0 elsewhere (the book
#   takes 0 at exactly $z = 0$). Here $z = 6$, so
#   $\partial L / \partial z = \text{dvalue} \cdot 1 = 1$. Call it `dz`.
# * **The sum.** Each product, and the bias, enters $z$ with a factor of 1, so
#   $\partial z / \partial p_i = 1$ and $\partial z / \partial b = 1$: a sum hands the
#   gradient it receives to every term unchanged. So $\partial L/\partial b = dz = 1$.
# * **Each product.** $p_i = x_i w_i$ changes by $x_i$ per unit of $w_i$ and by $w_i$
#   per unit of $x_i$: $\partial p_i/\partial w_i = x_i$ and
#   $\partial p_i/\partial x_i = w_i$. So
#   $\partial L/\partial w_i = dz \cdot x_i$ and $\partial L/\partial x_i = dz \cdot w_i$.
#
# The weights' gradient is $[1, -2, 3]$, the inputs themselves; the inputs' gradient
# is $[-3, -1, 2]$, the weights; the bias's is 1. The next cell does the same
# arithmetic one link at a time and asserts each result.
#
# What is a gradient for? Pretend the output is a loss we would like to be smaller,
# and move every weight and the bias a little *against* its gradient:
# $w_i \leftarrow w_i - 0.001\,\partial y/\partial w_i$. The output drops from 6.0 to
# 5.985. That small step, repeated, is training; chapter 10 is about taking it well.
#
# **Your task:** `Neuron_ReLU.backward(dvalue)`. The constructor and `forward` are
# given; `forward` keeps the inputs and the weighted sum `self.z`. Set
# `self.dweights` and `self.dinputs` (arrays shaped like the weights and the inputs)
# and `self.dbias` (a number). The check tries other numbers of inputs, an upstream
# gradient other than 1, a neuron whose $z$ is below 0, and one whose $z$ is exactly 0.
#
# <details><summary>Hint</summary>
#
# Start from `dz = dvalue * (1.0 if self.z > 0 else 0.0)`. Each of the three
# gradients is then `dz` times one local derivative from the list above, and NumPy
# multiplies a number by a whole array in one go.
#
# </details>

# %%
x = [1.0, -2.0, 3.0]  # inputs
w = [-3.0, -1.0, 2.0]  # weights
b = 1.0  # bias

# Forward, one link at a time
products = [x[i] * w[i] for i in range(3)]
z = products[0] + products[1] + products[2] + b
y = max(z, 0.0)
print(f"products {products}, z = {z}, y = max(z, 0) = {y}")

# Backward, from the gradient that arrives from after the neuron
dvalue = 1.0
drelu_dz = 1.0 if z > 0 else 0.0  # ReLU's local derivative
dz = dvalue * drelu_dz  # dL/dz
dsum_dproduct = 1.0  # each product enters the sum with factor 1...
dsum_dbias = 1.0  # ...and so does the bias
dproducts = [dz * dsum_dproduct for _ in range(3)]  # dL/d(x_i * w_i)
dw = [dproducts[i] * x[i] for i in range(3)]  # d(x_i * w_i)/dw_i = x_i
dx = [dproducts[i] * w[i] for i in range(3)]  # d(x_i * w_i)/dx_i = w_i
db = dz * dsum_dbias
print(f"dL/dz = {dz}")
print(f"dw = {dw}, dx = {dx}, db = {db}")

assert (z, y, dz) == (6.0, 6.0, 1.0)
assert dw == x  # each weight's gradient is the input it multiplies...
assert dx == w  # ...and each input's gradient is its weight
assert db == 1.0


# %% nbgrader={"grade": false, "grade_id": "ch09_neuron_relu", "locked": false, "schema_version": 3, "solution": true, "task": false}
class Neuron_ReLU:
    def __init__(self, weights, bias):
        self.weights = np.array(weights, dtype=float)
        self.bias = float(bias)

    def forward(self, inputs):
        # Given: keep the inputs and the weighted sum z for the backward pass.
        self.inputs = np.array(inputs, dtype=float)
        self.z = np.dot(self.weights, self.inputs) + self.bias
        self.output = max(self.z, 0.0)

    def backward(self, dvalue):
        # dvalue is dL/d(output), a number. Set self.dweights, self.dinputs, self.dbias.
        ### BEGIN SOLUTION
        dz = dvalue * (1.0 if self.z > 0 else 0.0)
        self.dweights = dz * self.inputs
        self.dinputs = dz * self.weights
        self.dbias = dz
        ### END SOLUTION


# %% nbgrader={"grade": true, "grade_id": "test_single_neuron_backward", "locked": true, "points": 1, "schema_version": 3, "solution": false, "task": false}
check("single_neuron_backward", Neuron_ReLU)
### BEGIN HIDDEN TESTS
submit("single_neuron_backward", Neuron_ReLU, seed=91046)
### END HIDDEN TESTS

# %% [markdown] nbgrader={"grade": false, "grade_id": "ch09_single_neuron_step_explained", "locked": true, "schema_version": 3, "solution": false, "task": false}
# Your neuron on the book's numbers, then one small step against the gradient: the
# output should go from 6.000 to 5.985. Then the same neuron with a bias of $-10$, so
# that its weighted sum is below 0: its output is 0 and so is every gradient, and a
# step leaves it where it was. For this input nothing about the neuron matters to
# the output; a ReLU neuron in that state for *every* sample is called dead.

# %%
inputs = np.array([1.0, -2.0, 3.0])
neuron = Neuron_ReLU([-3.0, -1.0, 2.0], 1.0)
neuron.forward(inputs)
neuron.backward(1.0)
print(f"output {neuron.output:.3f}")
print(f"dweights {neuron.dweights}, dinputs {neuron.dinputs}, dbias {neuron.dbias}")

learning_rate = 0.001
neuron.weights = neuron.weights - learning_rate * neuron.dweights
neuron.bias = neuron.bias - learning_rate * neuron.dbias
neuron.forward(inputs)
print(f"after one step: output {neuron.output:.3f}")

dead = Neuron_ReLU([-3.0, -1.0, 2.0], -10.0)  # z = 5 - 10 = -5
dead.forward(inputs)
dead.backward(1.0)
silent = not np.any(dead.dweights) and not np.any(dead.dinputs) and dead.dbias == 0
print(f"z = {dead.z}: output {dead.output}, every gradient zero: {silent}")


# %% [markdown] nbgrader={"grade": false, "grade_id": "ch09_dense_explained", "locked": true, "schema_version": 3, "solution": false, "task": false}
# ## 9.2 The dense layer
#
# Forward, for a batch of samples:
# `output = inputs @ weights + biases`, with shapes
# `(n_samples, n_inputs) @ (n_inputs, n_neurons) + (1, n_neurons)`, giving
# `(n_samples, n_neurons)`. Written out for one element,
#
# $$\text{output}_{ij} = \sum_k \text{inputs}_{ik}\,\text{weights}_{kj} + \text{biases}_{j}.$$
#
# Backward, the layer receives `dvalues` with the shape of `output`:
# $\text{dvalues}_{ij} = \partial L / \partial\,\text{output}_{ij}$. Follow each
# parameter to every output it affects and add up the contributions.
#
# * **Weights.** $\text{weights}_{kj}$ appears in output $j$ of *every* sample $i$,
#   multiplied by $\text{inputs}_{ik}$. So
#   $\partial L/\partial\,\text{weights}_{kj} = \sum_i \text{inputs}_{ik}\,\text{dvalues}_{ij}$:
#   a sum over samples of products, which is the matrix product
#   `inputs.T @ dvalues`, shape `(n_inputs, n_samples) @ (n_samples, n_neurons)`,
#   the shape of `weights`.
# * **Biases.** $\text{biases}_j$ is added, with factor 1, to output $j$ of every
#   sample, so its gradient is the column sum of `dvalues`:
#   `np.sum(dvalues, axis=0, keepdims=True)`. The `keepdims=True` keeps the result
#   `(1, n_neurons)`, like `biases`, instead of a flat vector.
# * **Inputs.** $\text{inputs}_{ik}$ feeds all the neurons of sample $i$, neuron $j$
#   through $\text{weights}_{kj}$, so
#   $\partial L/\partial\,\text{inputs}_{ik} = \sum_j \text{dvalues}_{ij}\,\text{weights}_{kj}$,
#   which is `dvalues @ weights.T`, shape `(n_samples, n_inputs)`. This is what the
#   layer passes back to whatever produced its inputs.
#
# The weight gradient needs the inputs, so `forward` must keep them.
#
# **Your task:** write `forward` and `backward`. The constructor is given: weights
# are `0.01 ×` standard normal draws, biases zeros. Its optional `rng` argument lets
# this notebook replay the book's random numbers; the checks call it with the book's
# two arguments, `Layer_Dense(n_inputs, n_neurons)`.


# %% nbgrader={"grade": false, "grade_id": "ch09_layer_dense", "locked": false, "schema_version": 3, "solution": true, "task": false}
class Layer_Dense:
    def __init__(self, n_inputs, n_neurons, rng=None):
        # Stored (n_inputs, n_neurons) so that the forward pass needs no transpose.
        draw = np.random if rng is None else rng
        self.weights = 0.01 * draw.standard_normal((n_inputs, n_neurons))
        self.biases = np.zeros((1, n_neurons))

    def forward(self, inputs):
        # Keep the inputs for backward, then set self.output.
        ### BEGIN SOLUTION
        self.inputs = inputs
        self.output = inputs @ self.weights + self.biases
        ### END SOLUTION

    def backward(self, dvalues):
        # Set self.dweights, self.dbiases and self.dinputs.
        ### BEGIN SOLUTION
        self.dweights = self.inputs.T @ dvalues
        self.dbiases = dvalues.sum(axis=0, keepdims=True)
        self.dinputs = dvalues @ self.weights.T
        ### END SOLUTION


# %% nbgrader={"grade": true, "grade_id": "test_dense_forward", "locked": true, "points": 1, "schema_version": 3, "solution": false, "task": false}
check("dense_forward", Layer_Dense)
### BEGIN HIDDEN TESTS
submit("dense_forward", Layer_Dense, seed=91207)
### END HIDDEN TESTS

# %% nbgrader={"grade": true, "grade_id": "test_dense_backward", "locked": true, "points": 2, "schema_version": 3, "solution": false, "task": false}
check("dense_backward", Layer_Dense)
### BEGIN HIDDEN TESTS
submit("dense_backward", Layer_Dense, seed=91318)
### END HIDDEN TESTS

# %% [markdown] nbgrader={"grade": false, "grade_id": "ch09_relu_explained", "locked": true, "schema_version": 3, "solution": false, "task": false}
# ## 9.3 ReLU
#
# Forward: `np.maximum(0, inputs)`, element by element.
#
# Backward: the slope of $\max(0, x)$ is 1 where $x > 0$ and 0 where $x < 0$. At
# exactly $x = 0$ there is a corner with no single slope; like the book, take 0
# there. Multiplying `dvalues` by a slope of 1 or 0 simply means: pass the incoming
# gradient through where the layer's **input** was positive, and put 0 everywhere
# else.
#
# Two things to watch:
#
# * test the inputs saved by `forward`, not `dvalues` (whose signs say nothing about
#   which units were active);
# * do not zero entries of `dvalues` itself: that array belongs to the component
#   after this one, which may still need it. Work on a copy.


# %% nbgrader={"grade": false, "grade_id": "ch09_activation_relu", "locked": false, "schema_version": 3, "solution": true, "task": false}
class Activation_ReLU:
    def forward(self, inputs):
        # Keep the inputs, set self.output.
        ### BEGIN SOLUTION
        self.inputs = inputs
        self.output = np.maximum(0, inputs)
        ### END SOLUTION

    def backward(self, dvalues):
        # Set self.dinputs without changing dvalues.
        ### BEGIN SOLUTION
        self.dinputs = np.where(self.inputs > 0, dvalues, 0.0)
        ### END SOLUTION


# %% nbgrader={"grade": true, "grade_id": "test_relu_forward", "locked": true, "points": 1, "schema_version": 3, "solution": false, "task": false}
check("relu_forward", Activation_ReLU)
### BEGIN HIDDEN TESTS
submit("relu_forward", Activation_ReLU, seed=92143)
### END HIDDEN TESTS

# %% nbgrader={"grade": true, "grade_id": "test_relu_backward", "locked": true, "points": 1, "schema_version": 3, "solution": false, "task": false}
check("relu_backward", Activation_ReLU)
### BEGIN HIDDEN TESTS
submit("relu_backward", Activation_ReLU, seed=92276)
### END HIDDEN TESTS

# %% [markdown] nbgrader={"grade": false, "grade_id": "ch09_softmax_explained", "locked": true, "schema_version": 3, "solution": false, "task": false}
# ## 9.4 Softmax
#
# Forward, row by row: exponentiate, then divide by the row's sum,
# $s_i = e^{z_i} / \sum_j e^{z_j}$. First subtract each row's maximum from the row:
# the factor $e^{-\max}$ appears above and below the fraction and cancels, so the
# result is the same, but every exponent is now at most 0 and `np.exp` can no longer
# overflow on large inputs. Sums and maxima per row need `axis=1, keepdims=True`.
#
# Backward is the interesting part. Every output of a row depends on *every* input of
# that row, so for one sample the derivative is a whole matrix, the **Jacobian**
# $J_{ij} = \partial s_i / \partial z_j$:
#
# $$J_{ij} = s_i\,(\delta_{ij} - s_j) =
# \begin{cases} s_i (1 - s_i) & i = j \\ -s_i s_j & i \ne j \end{cases}$$
#
# where $\delta_{ij}$ is 1 when $i = j$ and 0 otherwise. As matrices,
# $J = \operatorname{diag}(s) - s\,s^\top$ with $s$ a column vector. The chain rule
# then gives that sample's input gradient as $J$ times the sample's row of `dvalues`
# ($J$ is symmetric, so there is no question of which way round).
#
# **Your task:** write `forward`, and a `backward` that goes through the batch one
# sample at a time: take the sample's softmax output (`self.output[row]`) as a
# column, build its Jacobian (`np.diag` and a matrix product), multiply it with the
# sample's `dvalues`, and store the result in row `row` of `self.dinputs`, which you
# create beforehand with `np.empty_like(dvalues)`.
#
# > **Aside: without the loop.** Multiplying out,
# > $J d = s \odot d - s\,(s \cdot d)$, so the whole batch is
# > `s * (dvalues - np.sum(s * dvalues, axis=1, keepdims=True))`: no $n \times n$
# > matrices at all, and much faster when there are many classes. `nnfs_core` does it
# > this way. Either version passes the check; the loop is closer to the mathematics.


# %% nbgrader={"grade": false, "grade_id": "ch09_activation_softmax", "locked": false, "schema_version": 3, "solution": true, "task": false}
class Activation_Softmax:
    def forward(self, inputs):
        # Keep the inputs, set self.output (each row sums to 1).
        ### BEGIN SOLUTION
        self.inputs = inputs
        stable = np.exp(inputs - inputs.max(axis=1, keepdims=True))
        self.output = stable / stable.sum(axis=1, keepdims=True)
        ### END SOLUTION

    def backward(self, dvalues):
        # One Jacobian per sample; set self.dinputs.
        ### BEGIN SOLUTION
        self.dinputs = np.empty_like(dvalues)
        for row in range(len(dvalues)):
            column = self.output[row].reshape(-1, 1)
            jacobian = np.diag(self.output[row]) - column @ column.T
            self.dinputs[row] = jacobian @ dvalues[row]
        ### END SOLUTION


# %% nbgrader={"grade": true, "grade_id": "test_softmax_forward", "locked": true, "points": 1, "schema_version": 3, "solution": false, "task": false}
check("softmax_forward", Activation_Softmax)
### BEGIN HIDDEN TESTS
submit("softmax_forward", Activation_Softmax, seed=93511)
### END HIDDEN TESTS

# %% nbgrader={"grade": true, "grade_id": "test_softmax_backward", "locked": true, "points": 2, "schema_version": 3, "solution": false, "task": false}
check("softmax_backward", Activation_Softmax)
### BEGIN HIDDEN TESTS
submit("softmax_backward", Activation_Softmax, seed=93642)
### END HIDDEN TESTS

# %% [markdown] nbgrader={"grade": false, "grade_id": "ch09_cce_explained", "locked": true, "schema_version": 3, "solution": false, "task": false}
# ## 9.5 Categorical cross-entropy
#
# Forward (chapter 5, recalled): a sample whose true class is $k$ loses
# $-\log(\hat y_k)$, the negative log of the confidence the network gave the right
# answer. Before the logarithm, clip the predictions to $[10^{-7},\ 1 - 10^{-7}]$: a
# confidence of exactly 0 would give an infinite loss and wreck the mean. Clip both
# ends by the same amount, so the adjustment does not favour one side: a perfectly
# confident right answer then costs a tiny positive loss, just as a hopeless one
# costs a large finite loss.
#
# Labels arrive in one of two forms, and the loss must accept both:
#
# * **sparse**, one class index per sample, shape `(n_samples,)`: pick each row's
#   entry with `y_pred[np.arange(n_samples), y_true]`;
# * **one-hot**, shape `(n_samples, n_classes)`: the row-wise sum of
#   `y_pred * y_true` leaves only the true class's entry.
#
# The `Loss` base class holds what every loss shares: `calculate(output, y)` runs
# the subclass's `forward`, which returns one loss per sample, and returns their
# mean. Later losses (binary cross-entropy, mean squared error) inherit it unchanged.
#
# Backward: for one sample $L = -\sum_j y_j \log \hat y_j$ with $y$ one-hot, so
# $\partial L / \partial \hat y_j = -y_j / \hat y_j$. Turn sparse labels into one-hot
# rows first (`np.eye(n_classes)[y_true]` picks rows of the identity matrix). Clip
# `dvalues` as in the forward pass so a zero prediction cannot produce an infinite
# gradient. Then **divide by the number of samples**: `calculate` reports the *mean*
# loss, and the derivative of a mean carries the $1/n$. It also keeps the gradients,
# and so the optimizer's steps, the same size whatever the batch size.


# %% nbgrader={"grade": false, "grade_id": "ch09_losses", "locked": false, "schema_version": 3, "solution": true, "task": false}
class Loss:
    def calculate(self, output, y):
        # Return the mean of the per-sample losses self.forward(output, y).
        ### BEGIN SOLUTION
        return np.mean(self.forward(output, y))
        ### END SOLUTION


class Loss_CategoricalCrossentropy(Loss):
    def forward(self, y_pred, y_true):
        # Return one loss per sample, shape (n_samples,).
        ### BEGIN SOLUTION
        y_true = np.asarray(y_true)
        confident = np.clip(y_pred, 1e-7, 1 - 1e-7)
        if y_true.ndim == 1:
            picked = confident[np.arange(len(confident)), y_true]
        else:
            picked = (confident * y_true).sum(axis=1)
        return -np.log(picked)
        ### END SOLUTION

    def backward(self, dvalues, y_true):
        # dvalues are predicted probabilities; set self.dinputs.
        ### BEGIN SOLUTION
        y_true = np.asarray(y_true)
        n_samples, n_classes = dvalues.shape
        if y_true.ndim == 1:
            y_true = np.eye(n_classes)[y_true]
        self.dinputs = -y_true / np.clip(dvalues, 1e-7, 1 - 1e-7) / n_samples
        ### END SOLUTION


# %% nbgrader={"grade": true, "grade_id": "test_cce_forward", "locked": true, "points": 2, "schema_version": 3, "solution": false, "task": false}
check("cce_forward", Loss_CategoricalCrossentropy)
### BEGIN HIDDEN TESTS
submit("cce_forward", Loss_CategoricalCrossentropy, seed=94027)
### END HIDDEN TESTS

# %% nbgrader={"grade": true, "grade_id": "test_cce_backward", "locked": true, "points": 1, "schema_version": 3, "solution": false, "task": false}
check("cce_backward", Loss_CategoricalCrossentropy)
### BEGIN HIDDEN TESTS
submit("cce_backward", Loss_CategoricalCrossentropy, seed=94158)
### END HIDDEN TESTS

# %% [markdown] nbgrader={"grade": false, "grade_id": "ch09_combined_explained", "locked": true, "schema_version": 3, "solution": false, "task": false}
# ## 9.6 Softmax and cross-entropy, together
#
# The output layer's softmax is almost always followed by cross-entropy, and the pair
# has a remarkably simple joint derivative. Let $z$ be a sample's inputs to the
# softmax, $s$ its outputs, $y$ its one-hot label. Chaining the loss gradient
# $-y_j / s_j$ through the Jacobian of 9.4:
#
# $$\frac{\partial L}{\partial z_k} = \sum_j \left(-\frac{y_j}{s_j}\right) s_j\,(\delta_{jk} - s_k)
# = -y_k + s_k \sum_j y_j = s_k - y_k,$$
#
# because the entries of a one-hot label add up to 1. The gradient with respect to
# the softmax's inputs is *predicted minus true*: the softmax output with 1
# subtracted at the true class. For a batch, divide by the number of samples as
# before.
#
# This shortcut builds no Jacobians (much faster) and never divides by a
# probability (no trouble when one is tiny). The book's class for the pair is
# `Activation_Softmax_Loss_CategoricalCrossentropy`; it owns one of your
# `Activation_Softmax` and one of your `Loss_CategoricalCrossentropy`.
#
# **Your task:**
#
# * `forward(inputs, y_true)`: run the softmax, keep its output in `self.output`, and
#   return the mean loss (the loss object's `calculate`);
# * `backward(dvalues, y_true)`: `dvalues` here are the softmax outputs. Accept sparse
#   or one-hot labels, and set `self.dinputs` to (predicted − one-hot true) divided
#   by the number of samples, without changing `dvalues`.


# %% nbgrader={"grade": false, "grade_id": "ch09_softmax_cce", "locked": false, "schema_version": 3, "solution": true, "task": false}
class Activation_Softmax_Loss_CategoricalCrossentropy:
    def __init__(self):
        self.activation = Activation_Softmax()
        self.loss = Loss_CategoricalCrossentropy()

    def forward(self, inputs, y_true):
        # Set self.output to the softmax output; return the mean loss.
        ### BEGIN SOLUTION
        self.activation.forward(inputs)
        self.output = self.activation.output
        return self.loss.calculate(self.output, y_true)
        ### END SOLUTION

    def backward(self, dvalues, y_true):
        # The shortcut: set self.dinputs from the softmax outputs dvalues.
        ### BEGIN SOLUTION
        y_true = np.asarray(y_true)
        n_samples, n_classes = dvalues.shape
        if y_true.ndim == 1:
            y_true = np.eye(n_classes)[y_true]
        self.dinputs = (dvalues - y_true) / n_samples
        ### END SOLUTION


# %% nbgrader={"grade": true, "grade_id": "test_softmax_cce_backward", "locked": true, "points": 2, "schema_version": 3, "solution": false, "task": false}
check("softmax_cce_backward", Activation_Softmax_Loss_CategoricalCrossentropy)
### BEGIN HIDDEN TESTS
submit("softmax_cce_backward", Activation_Softmax_Loss_CategoricalCrossentropy, seed=95389)
### END HIDDEN TESTS

# %% [markdown] nbgrader={"grade": false, "grade_id": "ch09_compare_explained", "locked": true, "schema_version": 3, "solution": false, "task": false}
# ## 9.7 Does the shortcut agree with the long way round?
#
# The cell below sends the same logits and labels down both paths with **your**
# classes: the combined backward pass, and the separate one (cross-entropy backward,
# then the softmax Jacobians). The two gradients should agree to within rounding
# error, around $10^{-17}$ to $10^{-16}$.

# %%
demo = np.random.RandomState(7)
logits = demo.standard_normal((6, 4))
labels = np.array([0, 3, 1, 1, 2, 0])

combined = Activation_Softmax_Loss_CategoricalCrossentropy()
combined.forward(logits, labels)
combined.backward(combined.output, labels)

softmax = Activation_Softmax()
cross_entropy = Loss_CategoricalCrossentropy()
softmax.forward(logits)
cross_entropy.backward(softmax.output, labels)
softmax.backward(cross_entropy.dinputs)

gap = np.abs(combined.dinputs - softmax.dinputs).max()
print(f"largest difference between the two gradients: {gap:.1e}")

# %% [markdown] nbgrader={"grade": false, "grade_id": "ch09_timing_explained", "locked": true, "schema_version": 3, "solution": false, "task": false}
# ## 9.8 How much faster is the shortcut?
#
# Same gradient, less work: the shortcut subtracts 1 at the true class and divides by
# the number of samples, while the separate path divides by every probability and
# then builds and multiplies one Jacobian matrix per sample. The book puts a number on
# it. It sends the same three samples down both paths (its softmax outputs
# `[[0.7, 0.1, 0.2], [0.1, 0.5, 0.4], [0.02, 0.9, 0.08]]`, true classes `[0, 1, 1]`),
# confirms with `np.allclose` that the two `dinputs` agree, and times each path with
# `timeit` over 10,000 calls: the combined backward comes out about **7 times
# faster**.
#
# The cell below repeats that with your classes. Each call builds fresh objects and
# runs one backward pass, as in the book. To keep the cell short it makes
# `REPEATS = 2_000` calls per path (under a second); for the book's count set
# `REPEATS = 10_000` and run it again (a few seconds). The calls are made in short
# rounds and the fastest round counts: the slower rounds are the ones in which the
# computer was also busy with something else. Then it times the two halves of the
# separate path on their own, and both paths once more on 300 samples, the size of
# the spiral data.
#
# **What to expect.** With the per-sample loop of 9.4 the shortcut came out between
# 5.5 and 6 times faster in our repeated runs (the book: about 7). Timings move from
# run to run, and on a very busy machine one run can stray further (once, in our runs,
# it said 3), so rerun the cell before believing an odd number. About 60 percent of the
# separate path's time goes to the softmax Jacobians, and on 300 samples, where the
# loop runs 300 times, the shortcut came out about 160 to 180 times faster. If you
# wrote the loop-free softmax backward of the aside in 9.4, the separate path is much
# quicker and the shortcut only about 3 times faster, on 3 samples and on 300 alike.

# %%
import timeit

REPEATS = 2_000  # calls per path; the book's count: 10_000

softmax_outputs = np.array([[0.7, 0.1, 0.2], [0.1, 0.5, 0.4], [0.02, 0.9, 0.08]])
class_targets = np.array([0, 1, 1])


def shortcut(outputs=softmax_outputs, targets=class_targets):
    pair = Activation_Softmax_Loss_CategoricalCrossentropy()
    pair.backward(outputs, targets)
    return pair.dinputs


def cross_entropy_part(outputs=softmax_outputs, targets=class_targets):
    cross_entropy = Loss_CategoricalCrossentropy()
    cross_entropy.backward(outputs, targets)
    return cross_entropy.dinputs


def softmax_part(outputs=softmax_outputs, dvalues=None):
    softmax = Activation_Softmax()
    softmax.output = outputs  # as if its forward pass had produced them
    softmax.backward(dvalues)
    return softmax.dinputs


def separate(outputs=softmax_outputs, targets=class_targets):
    return softmax_part(outputs, cross_entropy_part(outputs, targets))


def microseconds(function, calls, per_round=10):
    # Time per call in the fastest of many short rounds of per_round calls each.
    times = timeit.repeat(function, number=per_round, repeat=max(1, calls // per_round))
    return min(times) / per_round * 1e6


assert np.allclose(shortcut(), separate()), "the two paths disagree: recheck 9.4 to 9.6"
print("both paths give the same dinputs")

loss_gradient = cross_entropy_part()
fast = microseconds(shortcut, REPEATS)
slow = microseconds(separate, REPEATS)
first_half = microseconds(cross_entropy_part, REPEATS)
second_half = microseconds(lambda: softmax_part(dvalues=loss_gradient), REPEATS)
print(f"3 samples, {REPEATS:,} calls per path, microseconds per call:")
print(f"  combined softmax and cross-entropy  {fast:8.1f}")
print(f"  separate, both halves               {slow:8.1f}")
print(f"    cross-entropy backward alone      {first_half:8.1f}")
print(f"    softmax backward alone            {second_half:8.1f}")
print(f"  the shortcut is {slow / fast:.1f} times faster")

rng = np.random.RandomState(1)
probabilities = rng.random_sample((300, 3))
probabilities /= probabilities.sum(axis=1, keepdims=True)  # each row sums to 1
labels = rng.randint(3, size=300)
calls = max(10, REPEATS // 40)
fast = microseconds(lambda: shortcut(probabilities, labels), calls, per_round=1)
slow = microseconds(lambda: separate(probabilities, labels), calls, per_round=1)
print(f"300 samples, {calls:,} calls per path: combined {fast:.1f}, separate {slow:.1f}")
print(f"  the shortcut is {slow / fast:.0f} times faster")

# %% [markdown] nbgrader={"grade": false, "grade_id": "ch09_full_pass_explained", "locked": true, "schema_version": 3, "solution": false, "task": false}
# ## 9.9 A whole forward and backward pass
#
# Everything together, on the spiral data of earlier chapters: 100 points for each
# of 3 classes, a dense layer of 3 neurons with ReLU, then a dense layer of 3 neurons
# into the combined softmax and cross-entropy. The backward pass visits the same
# components in reverse order, each handing its `dinputs` to the one before it.
#
# One `RandomState(0)` feeds the data and then both layers, in the book's order, so
# these are the book's numbers: with weights this small every class gets a
# probability of about $1/3$, the loss is close to $\ln 3 \approx 1.0986$, and the
# accuracy is about what guessing would give.

# %%
rng = np.random.RandomState(0)
X, y = spiral_data(samples=100, classes=3, rng=rng)

dense1 = Layer_Dense(2, 3, rng=rng)
activation1 = Activation_ReLU()
dense2 = Layer_Dense(3, 3, rng=rng)
loss_activation = Activation_Softmax_Loss_CategoricalCrossentropy()

# Forward
dense1.forward(X)
activation1.forward(dense1.output)
dense2.forward(activation1.output)
loss = loss_activation.forward(dense2.output, y)
accuracy = np.mean(np.argmax(loss_activation.output, axis=1) == y)
print(f"loss: {loss:.7f}, accuracy: {accuracy:.2f}")

# Backward, from the loss to the first layer
loss_activation.backward(loss_activation.output, y)
dense2.backward(loss_activation.dinputs)
activation1.backward(dense2.dinputs)
dense1.backward(activation1.dinputs)

for name, gradient in [
    ("dense1.dweights", dense1.dweights),
    ("dense1.dbiases", dense1.dbiases),
    ("dense2.dweights", dense2.dweights),
    ("dense2.dbiases", dense2.dbiases),
]:
    print(name, gradient.shape)
    print(gradient)

# %% [markdown] nbgrader={"grade": false, "grade_id": "ch09_next", "locked": true, "schema_version": 3, "solution": false, "task": false}
# ## What next
#
# Every parameter now has a gradient. Chapter 10 decides what to *do* with it: the
# optimizers, from a plain step downhill to Adam, and the first network in this
# course that actually learns the spiral.
