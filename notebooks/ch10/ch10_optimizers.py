# %% [markdown] nbgrader={"grade": false, "grade_id": "ch10_intro", "locked": true, "schema_version": 3, "solution": false, "task": false}
# # Chapter 10 · Optimizers
#
# Chapter 9 gave every weight and bias its gradient: the direction in which the loss
# rises fastest, and how steeply. An **optimizer** turns gradients into changes of
# the parameters. The simplest one steps a little way downhill; the better ones
# adapt the step as training goes on, remember where previous steps were heading,
# and give each parameter a step size of its own.
#
# You will write six, each a refinement of an idea before it:
#
# | section | you write | graded check | points |
# |---|---|---|---|
# | 10.2 | `Optimizer_SGD.update_params` (plain SGD) | `sgd` | 1 |
# | 10.3 | `Optimizer_SGD.pre_update_params` (learning-rate decay) | `sgd_decay` | 1 |
# | 10.4 | `Optimizer_SGD.update_params` with momentum | `sgd_momentum` | 2 |
# | 10.5 | `Optimizer_Adagrad` | `adagrad` | 1 |
# | 10.6 | `Optimizer_RMSprop` | `rmsprop` | 1 |
# | 10.7 | `Optimizer_Adam` | `adam` | 2 |
#
# Then your Adam trains a network on the spiral data (10.8), and your optimizers
# rerun the chapter's eleven experiments side by side (10.9).
#
# ### How to check your work
#
# Run the cell with your class, then the test cell under it. A green ✓ block
# means your optimizer moved the weights and biases of a test layer exactly as the
# reference does, step after step, and kept the same state. Otherwise the test shows a ✗ block (a `CheckFailed` error) that says what differs and, for the usual slips (decay
# applied after the step, Adam's bias correction off by one step...), names the
# slip. A method you have not written yet raises `NotImplementedError`, and its test
# reports *not implemented yet*.
#
# ### Stuck?
#
# Every optimizer's reference is in `nnfs_core.book`: run, for example,
# `from nnfs_core.book import Optimizer_Adam` in a new cell below the exercise to
# carry on with the reference class. Come back to your own version later; writing
# it is the point of the exercise.
#
# The network itself (dense layers, ReLU, softmax with cross-entropy) is made of your
# chapter 9 classes where they pass, of the reference's otherwise (the line under the
# imports says which), so that this chapter depends only on this chapter's work.

# %% nbgrader={"grade": false, "grade_id": "ch10_imports", "locked": true, "schema_version": 3, "solution": false, "task": false}
import numpy as np

from autograder import check, submit
from autograder.library import components
from nnfs_core.book import spiral_data

# Earlier chapters' classes: yours where they pass in your workspace, else the reference
Activation_ReLU, Activation_Softmax_Loss_CategoricalCrossentropy, Layer_Dense = components(
    "Activation_ReLU",
    "Activation_Softmax_Loss_CategoricalCrossentropy",
    "Layer_Dense",
    chapter="ch10",
)


# %% [markdown] nbgrader={"grade": false, "grade_id": "ch10_interface", "locked": true, "schema_version": 3, "solution": false, "task": false}
# ## 10.1 What an optimizer is asked to do
#
# After each backward pass, the training loop calls the optimizer three times:
#
# ```python
# optimizer.pre_update_params()     # once per step, before any layer is touched
# optimizer.update_params(dense1)   # once for every layer with parameters
# optimizer.update_params(dense2)
# optimizer.post_update_params()    # once per step, after the last layer
# ```
#
# A layer handed to `update_params` has `weights` and `biases`, and, from its
# backward pass, `dweights` and `dbiases` of the same shapes. The optimizer changes
# `weights` and `biases`. Anything it must remember about a parameter from one step
# to the next (a previous update, a running average) is stored **on the layer**, as
# extra attributes next to the parameter it describes: one optimizer serves every
# layer, and each layer has its own history. The optimizer itself keeps only what is
# shared: the settings, the step counter `iterations`, and `current_learning_rate`.

# %% [markdown] nbgrader={"grade": false, "grade_id": "ch10_sgd_explained", "locked": true, "schema_version": 3, "solution": false, "task": false}
# ## 10.2 Stochastic gradient descent
#
# The gradient points uphill, so step the other way, scaled by the **learning
# rate** $\eta$:
#
# $$w \leftarrow w - \eta\,\frac{\partial L}{\partial w}$$
#
# for every weight and bias alike. The learning rate is a compromise. The gradient
# only describes the loss *right here*; a large step trusts it too far and can jump
# over the valley it points into, a small one is safe but slow and settles in the
# first dip it meets. The book's default is $\eta = 1$. ("Stochastic" historically
# meant one random sample per step; the name is now used whether the gradient comes
# from one sample, a batch, or, as here, the whole dataset at once.)
#
# The constructor below already takes all three of the book's arguments,
# `learning_rate=1.0, decay=0.0, momentum=0.0`, so that it stays the same through
# 10.4; `decay` and `momentum` are unused for now. `pre_update_params` and
# `post_update_params` are given in their simplest form.
#
# **Your task:** `update_params(layer)`. Use `self.current_learning_rate` (not
# `self.learning_rate`): the two are equal for now, and the next exercise makes them
# differ.


# %% nbgrader={"grade": false, "grade_id": "ch10_sgd", "locked": false, "schema_version": 3, "solution": true, "task": false}
class Optimizer_SGD:
    def __init__(self, learning_rate=1.0, decay=0.0, momentum=0.0):
        self.learning_rate = learning_rate
        self.current_learning_rate = learning_rate
        self.decay = decay
        self.momentum = momentum
        self.iterations = 0

    def pre_update_params(self):
        # No decay yet: every step uses the full learning rate.
        self.current_learning_rate = self.learning_rate

    def update_params(self, layer):
        # One step downhill for layer.weights and layer.biases.
        ### BEGIN SOLUTION
        layer.weights -= self.current_learning_rate * layer.dweights
        layer.biases -= self.current_learning_rate * layer.dbiases
        ### END SOLUTION

    def post_update_params(self):
        self.iterations += 1


# %% nbgrader={"grade": true, "grade_id": "test_sgd", "locked": true, "points": 1, "schema_version": 3, "solution": false, "task": false}
check("sgd", Optimizer_SGD)
### BEGIN HIDDEN TESTS
submit("sgd", Optimizer_SGD, seed=101233)
### END HIDDEN TESTS

# %% [markdown] nbgrader={"grade": false, "grade_id": "ch10_decay_explained", "locked": true, "schema_version": 3, "solution": false, "task": false}
# ## 10.3 Learning-rate decay
#
# Early in training the parameters are far from any good solution, and big steps
# cover ground quickly. Later, close to a minimum, the same big steps overshoot it
# from one side to the other and the loss jitters instead of settling. **Decay**
# shrinks the step as training proceeds. The book's schedule divides the starting
# rate by a term that grows with the number of steps taken:
#
# $$\eta_t = \frac{\eta}{1 + \text{decay}\cdot t},$$
#
# where $t$ is `iterations`, the number of steps *already completed*. Compute it in
# `pre_update_params`, before the step, so the very first step ($t = 0$) uses the
# full rate. With $\eta = 1$ and decay $= 0.1$ the first steps use $1$, $0.909$,
# $0.833$, $0.769$...; with decay $= 10^{-3}$ the rate has halved after 1,000 steps.
# `iterations` is counted in `post_update_params`, once per step, however many
# layers were updated.
#
# **Your task:** `pre_update_params` below. The class grows as in the book, so this
# cell defines `Optimizer_SGD` again: copy your `update_params` from 10.2 into it.


# %% nbgrader={"grade": false, "grade_id": "ch10_sgd_decay", "locked": false, "schema_version": 3, "solution": true, "task": false}
class Optimizer_SGD:
    def __init__(self, learning_rate=1.0, decay=0.0, momentum=0.0):
        self.learning_rate = learning_rate
        self.current_learning_rate = learning_rate
        self.decay = decay
        self.momentum = momentum
        self.iterations = 0

    def pre_update_params(self):
        # Set self.current_learning_rate for the coming step.
        ### BEGIN SOLUTION
        self.current_learning_rate = self.learning_rate / (1.0 + self.decay * self.iterations)
        ### END SOLUTION

    def update_params(self, layer):
        # Your step from 10.2.
        ### BEGIN SOLUTION
        layer.weights -= self.current_learning_rate * layer.dweights
        layer.biases -= self.current_learning_rate * layer.dbiases
        ### END SOLUTION

    def post_update_params(self):
        self.iterations += 1


# %% nbgrader={"grade": true, "grade_id": "test_sgd_decay", "locked": true, "points": 1, "schema_version": 3, "solution": false, "task": false}
check("sgd_decay", Optimizer_SGD)
### BEGIN HIDDEN TESTS
submit("sgd_decay", Optimizer_SGD, seed=102419)
### END HIDDEN TESTS

# %% [markdown] nbgrader={"grade": false, "grade_id": "ch10_momentum_explained", "locked": true, "schema_version": 3, "solution": false, "task": false}
# ## 10.4 Momentum
#
# A plain gradient step knows only the slope at the current point. On a loss surface
# shaped like a long narrow valley the gradient points mostly across the valley, so
# the steps zig-zag from wall to wall and make slow progress along it; in a small dip
# the gradient drops to zero and training stalls there. **Momentum** gives the steps
# inertia, like a ball rolling downhill: each update keeps a fraction of the previous
# update and adds the new gradient step to it,
#
# $$u_t = \mu\,u_{t-1} - \eta_t\,\frac{\partial L}{\partial w}, \qquad w \leftarrow w + u_t.$$
#
# Components that keep pointing the same way build up speed; components that flip
# sign from step to step cancel out. $\mu$ is `momentum`, between 0 and 1: 0 is plain
# SGD, 0.9 keeps 90% of the previous update.
#
# Each parameter has its own previous update, so store them on the layer, as
# `layer.weight_momentums` and `layer.bias_momentums` (the book's names). The first
# time a layer is seen it has none yet: start them as zeros of the right shapes
# (`hasattr` tells you). With `momentum=0`, keep the plain step of 10.2.
#
# **Your task:** `update_params`, with momentum; copy your `pre_update_params` from
# 10.3.


# %% nbgrader={"grade": false, "grade_id": "ch10_sgd_momentum", "locked": false, "schema_version": 3, "solution": true, "task": false}
class Optimizer_SGD:
    def __init__(self, learning_rate=1.0, decay=0.0, momentum=0.0):
        self.learning_rate = learning_rate
        self.current_learning_rate = learning_rate
        self.decay = decay
        self.momentum = momentum
        self.iterations = 0

    def pre_update_params(self):
        # Your decay from 10.3.
        ### BEGIN SOLUTION
        self.current_learning_rate = self.learning_rate / (1.0 + self.decay * self.iterations)
        ### END SOLUTION

    def update_params(self, layer):
        # With momentum, keep the updates on the layer between steps.
        ### BEGIN SOLUTION
        step = self.current_learning_rate
        if not self.momentum:
            layer.weights -= step * layer.dweights
            layer.biases -= step * layer.dbiases
            return
        if not hasattr(layer, "weight_momentums"):
            layer.weight_momentums = np.zeros_like(layer.weights)
            layer.bias_momentums = np.zeros_like(layer.biases)
        layer.weight_momentums = self.momentum * layer.weight_momentums - step * layer.dweights
        layer.bias_momentums = self.momentum * layer.bias_momentums - step * layer.dbiases
        layer.weights += layer.weight_momentums
        layer.biases += layer.bias_momentums
        ### END SOLUTION

    def post_update_params(self):
        self.iterations += 1


# %% nbgrader={"grade": true, "grade_id": "test_sgd_momentum", "locked": true, "points": 2, "schema_version": 3, "solution": false, "task": false}
check("sgd_momentum", Optimizer_SGD)
### BEGIN HIDDEN TESTS
submit("sgd_momentum", Optimizer_SGD, seed=103557)
### END HIDDEN TESTS

# %% [markdown] nbgrader={"grade": false, "grade_id": "ch10_adagrad_explained", "locked": true, "schema_version": 3, "solution": false, "task": false}
# ## 10.5 AdaGrad: a step size for every parameter
#
# With one learning rate for everything, parameters whose gradients are large move a
# lot and the rest barely move. **AdaGrad** (adaptive gradient) evens this out by
# dividing each parameter's step by the size of the gradients *that parameter* has
# seen. It keeps a **cache**, the running sum of squared gradients, one entry per
# parameter:
#
# $$c \leftarrow c + g^2, \qquad
# w \leftarrow w - \eta_t\,\frac{g}{\sqrt{c} + \epsilon},$$
#
# where $g$ is the gradient and $\epsilon$ (`epsilon`, $10^{-7}$) only prevents a
# division by zero. Everything is element-wise. Because the cache only grows, every
# parameter's effective step only shrinks; that is its strength on some problems and
# its weakness on long runs, where learning can slow to a halt.
#
# Book defaults: `learning_rate=1.0, decay=0.0, epsilon=1e-7`. Store the caches on
# the layer as `layer.weight_cache` and `layer.bias_cache`, starting from zeros.
#
# **Your task:** the three methods below. `pre_update_params` is the decay of 10.3
# again, and the cache update comes *before* the step that uses it.


# %% nbgrader={"grade": false, "grade_id": "ch10_adagrad", "locked": false, "schema_version": 3, "solution": true, "task": false}
class Optimizer_Adagrad:
    def __init__(self, learning_rate=1.0, decay=0.0, epsilon=1e-7):
        self.learning_rate = learning_rate
        self.current_learning_rate = learning_rate
        self.decay = decay
        self.epsilon = epsilon
        self.iterations = 0

    def pre_update_params(self):
        # Set self.current_learning_rate for the coming step (the decay of 10.3).
        ### BEGIN SOLUTION
        self.current_learning_rate = self.learning_rate / (1.0 + self.decay * self.iterations)
        ### END SOLUTION

    def update_params(self, layer):
        # Grow the caches, then take the normalised step.
        ### BEGIN SOLUTION
        if not hasattr(layer, "weight_cache"):
            layer.weight_cache = np.zeros_like(layer.weights)
            layer.bias_cache = np.zeros_like(layer.biases)
        layer.weight_cache += layer.dweights**2
        layer.bias_cache += layer.dbiases**2
        step = self.current_learning_rate
        layer.weights -= step * layer.dweights / (np.sqrt(layer.weight_cache) + self.epsilon)
        layer.biases -= step * layer.dbiases / (np.sqrt(layer.bias_cache) + self.epsilon)
        ### END SOLUTION

    def post_update_params(self):
        self.iterations += 1


# %% nbgrader={"grade": true, "grade_id": "test_adagrad", "locked": true, "points": 1, "schema_version": 3, "solution": false, "task": false}
check("adagrad", Optimizer_Adagrad)
### BEGIN HIDDEN TESTS
submit("adagrad", Optimizer_Adagrad, seed=104661)
### END HIDDEN TESTS

# %% [markdown] nbgrader={"grade": false, "grade_id": "ch10_rmsprop_explained", "locked": true, "schema_version": 3, "solution": false, "task": false}
# ## 10.6 RMSProp: a cache that forgets
#
# **RMSProp** (root mean square propagation) keeps AdaGrad's per-parameter
# normalisation but replaces the ever-growing sum by a moving average, so the cache
# reflects the *recent* size of the gradients and the effective step can grow again
# when gradients get smaller:
#
# $$c \leftarrow \rho\,c + (1 - \rho)\,g^2, \qquad
# w \leftarrow w - \eta_t\,\frac{g}{\sqrt{c} + \epsilon}.$$
#
# $\rho$ (`rho`) is how much of the old cache survives each step. The update divides
# each gradient by roughly its own typical size, so steps are of order $\eta$ for
# every parameter; that is why the default rate is far smaller than SGD's.
#
# Book defaults: `learning_rate=0.001, decay=0.0, epsilon=1e-7, rho=0.9`. Caches on
# the layer as in 10.5.
#
# **Your task:** the three methods below.


# %% nbgrader={"grade": false, "grade_id": "ch10_rmsprop", "locked": false, "schema_version": 3, "solution": true, "task": false}
class Optimizer_RMSprop:
    def __init__(self, learning_rate=0.001, decay=0.0, epsilon=1e-7, rho=0.9):
        self.learning_rate = learning_rate
        self.current_learning_rate = learning_rate
        self.decay = decay
        self.epsilon = epsilon
        self.rho = rho
        self.iterations = 0

    def pre_update_params(self):
        # Set self.current_learning_rate for the coming step (the decay of 10.3).
        ### BEGIN SOLUTION
        self.current_learning_rate = self.learning_rate / (1.0 + self.decay * self.iterations)
        ### END SOLUTION

    def update_params(self, layer):
        # Update the moving averages, then take the normalised step.
        ### BEGIN SOLUTION
        if not hasattr(layer, "weight_cache"):
            layer.weight_cache = np.zeros_like(layer.weights)
            layer.bias_cache = np.zeros_like(layer.biases)
        keep = self.rho
        layer.weight_cache = keep * layer.weight_cache + (1 - keep) * layer.dweights**2
        layer.bias_cache = keep * layer.bias_cache + (1 - keep) * layer.dbiases**2
        step = self.current_learning_rate
        layer.weights -= step * layer.dweights / (np.sqrt(layer.weight_cache) + self.epsilon)
        layer.biases -= step * layer.dbiases / (np.sqrt(layer.bias_cache) + self.epsilon)
        ### END SOLUTION

    def post_update_params(self):
        self.iterations += 1


# %% nbgrader={"grade": true, "grade_id": "test_rmsprop", "locked": true, "points": 1, "schema_version": 3, "solution": false, "task": false}
check("rmsprop", Optimizer_RMSprop)
### BEGIN HIDDEN TESTS
submit("rmsprop", Optimizer_RMSprop, seed=105773)
### END HIDDEN TESTS

# %% [markdown] nbgrader={"grade": false, "grade_id": "ch10_adam_explained", "locked": true, "schema_version": 3, "solution": false, "task": false}
# ## 10.7 Adam: momentum and RMSProp together
#
# **Adam** (adaptive moment estimation) keeps two moving averages per parameter: of
# the gradient, which acts as momentum, and of the squared gradient, RMSProp's cache:
#
# $$m \leftarrow \beta_1 m + (1 - \beta_1)\,g, \qquad
# v \leftarrow \beta_2 v + (1 - \beta_2)\,g^2.$$
#
# Both start at zero, and that biases them towards zero early on: after the first
# step $m = 0.1\,g$ with $\beta_1 = 0.9$, a tenth of the actual gradient. Adam
# corrects for it by dividing by $1 - \beta^{\,t}$, where $t$ is the number of the
# step being taken, counting from 1, that is `iterations + 1`:
#
# $$\hat m = \frac{m}{1 - \beta_1^{\,t}}, \qquad \hat v = \frac{v}{1 - \beta_2^{\,t}},
# \qquad w \leftarrow w - \eta_t\,\frac{\hat m}{\sqrt{\hat v} + \epsilon}.$$
#
# At $t = 1$ the correction exactly undoes the zero start; after several thousand
# steps it is so close to 1 that it hardly matters. (Using `iterations` instead of
# `iterations + 1` divides by zero on the first step.)
#
# Book defaults: `learning_rate=0.001, decay=0.0, epsilon=1e-7, beta_1=0.9,
# beta_2=0.999`. On the layer, store the *uncorrected* averages as
# `layer.weight_momentums`, `layer.bias_momentums` ($m$) and `layer.weight_cache`,
# `layer.bias_cache` ($v$); the corrected ones are only needed for the step.
#
# **Your task:** the three methods below.


# %% nbgrader={"grade": false, "grade_id": "ch10_adam", "locked": false, "schema_version": 3, "solution": true, "task": false}
class Optimizer_Adam:
    def __init__(self, learning_rate=0.001, decay=0.0, epsilon=1e-7, beta_1=0.9, beta_2=0.999):
        self.learning_rate = learning_rate
        self.current_learning_rate = learning_rate
        self.decay = decay
        self.epsilon = epsilon
        self.beta_1 = beta_1
        self.beta_2 = beta_2
        self.iterations = 0

    def pre_update_params(self):
        # Set self.current_learning_rate for the coming step (the decay of 10.3).
        ### BEGIN SOLUTION
        self.current_learning_rate = self.learning_rate / (1.0 + self.decay * self.iterations)
        ### END SOLUTION

    def update_params(self, layer):
        # Both moving averages, their bias correction, then the step.
        ### BEGIN SOLUTION
        if not hasattr(layer, "weight_cache"):
            layer.weight_momentums = np.zeros_like(layer.weights)
            layer.bias_momentums = np.zeros_like(layer.biases)
            layer.weight_cache = np.zeros_like(layer.weights)
            layer.bias_cache = np.zeros_like(layer.biases)
        b1, b2 = self.beta_1, self.beta_2
        layer.weight_momentums = b1 * layer.weight_momentums + (1 - b1) * layer.dweights
        layer.bias_momentums = b1 * layer.bias_momentums + (1 - b1) * layer.dbiases
        layer.weight_cache = b2 * layer.weight_cache + (1 - b2) * layer.dweights**2
        layer.bias_cache = b2 * layer.bias_cache + (1 - b2) * layer.dbiases**2
        t = self.iterations + 1
        m_weights = layer.weight_momentums / (1 - b1**t)
        m_biases = layer.bias_momentums / (1 - b1**t)
        v_weights = layer.weight_cache / (1 - b2**t)
        v_biases = layer.bias_cache / (1 - b2**t)
        step = self.current_learning_rate
        layer.weights -= step * m_weights / (np.sqrt(v_weights) + self.epsilon)
        layer.biases -= step * m_biases / (np.sqrt(v_biases) + self.epsilon)
        ### END SOLUTION

    def post_update_params(self):
        self.iterations += 1


# %% nbgrader={"grade": true, "grade_id": "test_adam", "locked": true, "points": 2, "schema_version": 3, "solution": false, "task": false}
check("adam", Optimizer_Adam)
### BEGIN HIDDEN TESTS
submit("adam", Optimizer_Adam, seed=106887)
### END HIDDEN TESTS

# %% [markdown] nbgrader={"grade": false, "grade_id": "ch10_training_explained", "locked": true, "schema_version": 3, "solution": false, "task": false}
# ## 10.8 Your Adam trains a network
#
# The book's final set-up for this chapter: 100 spiral points for each of 3 classes,
# `Layer_Dense(2, 64)` → ReLU → `Layer_Dense(64, 3)` → softmax with cross-entropy,
# the whole dataset in every step, and **your** `Optimizer_Adam(learning_rate=0.05,
# decay=5e-7)`. One `RandomState(0)` draws the data and then both layers' weights,
# in the book's order, so the run replays the book's.
#
# By default the cell runs 1,001 epochs, printing every 100. The loss should fall
# from $\ln 3 \approx 1.099$ and the accuracy climb far above the 1/3 of guessing:
# with a correct Adam, epoch 1,000 shows an accuracy of about 0.90 and a loss of
# about 0.25. For the book's full run set `EPOCHS = 10_001` and run the cell again
# (ten times as long, still a matter of seconds): at epoch 10,000 the book reports an
# accuracy of about 0.98 and a loss of about 0.074, and a correct Adam seeded like
# this lands within a few hundredths of those numbers.

# %%
EPOCHS = 1_001  # the book's full run: 10_001
PRINT_EVERY = 100

rng = np.random.RandomState(0)
X, y = spiral_data(samples=100, classes=3, rng=rng)
dense1 = Layer_Dense(2, 64, rng=rng)
activation1 = Activation_ReLU()
dense2 = Layer_Dense(64, 3, rng=rng)
loss_activation = Activation_Softmax_Loss_CategoricalCrossentropy()
optimizer = Optimizer_Adam(learning_rate=0.05, decay=5e-7)

for epoch in range(EPOCHS):
    dense1.forward(X)
    activation1.forward(dense1.output)
    dense2.forward(activation1.output)
    loss = loss_activation.forward(dense2.output, y)

    if epoch % PRINT_EVERY == 0:
        accuracy = np.mean(np.argmax(loss_activation.output, axis=1) == y)
        print(
            f"epoch: {epoch}, acc: {accuracy:.3f}, loss: {loss:.3f}, "
            f"lr: {optimizer.current_learning_rate:.7f}"
        )

    loss_activation.backward(loss_activation.output, y)
    dense2.backward(loss_activation.dinputs)
    activation1.backward(dense2.dinputs)
    dense1.backward(activation1.dinputs)

    optimizer.pre_update_params()
    optimizer.update_params(dense1)
    optimizer.update_params(dense2)
    optimizer.post_update_params()

# %% [markdown] nbgrader={"grade": false, "grade_id": "ch10_experiments_explained", "locked": true, "schema_version": 3, "solution": false, "task": false}
# ## 10.9 The book's experiments
#
# The chapter reaches Adam through a series of runs on the network and data of 10.8,
# changing one setting at a time. In the book's order:
#
# | # | optimizer | what the run asks |
# |---|---|---|
# | 1 | `Optimizer_SGD()` | plain SGD at its default rate, 1.0 |
# | 2 | `Optimizer_SGD(learning_rate=0.85)` | does a smaller fixed rate help? |
# | 3 | `Optimizer_SGD(decay=1e-2)` | decay: here so fast that the rate is below 0.01 by step 10,000 |
# | 4 | `Optimizer_SGD(decay=1e-3)` | a gentler decay, ending near 0.09 |
# | 5 | `Optimizer_SGD(decay=1e-3, momentum=0.5)` | some momentum |
# | 6 | `Optimizer_SGD(decay=1e-3, momentum=0.9)` | more momentum |
# | 7 | `Optimizer_Adagrad(decay=1e-4)` | a step size per parameter |
# | 8 | `Optimizer_RMSprop(decay=1e-4)` | a cache that forgets, at RMSProp's default rate 0.001 |
# | 9 | `Optimizer_RMSprop(learning_rate=0.02, decay=1e-5, rho=0.999)` | a larger rate and a longer memory |
# | 10 | `Optimizer_Adam(learning_rate=0.02, decay=1e-5)` | momentum and RMSProp together |
# | 11 | `Optimizer_Adam(learning_rate=0.05, decay=5e-7)` | the chapter's final choice |
#
# The cell below trains the network once per setting with **your** optimizer classes
# (the last definition of each above, so `Optimizer_SGD` is the one of 10.4, with
# decay and momentum). Every run starts from the same data and the same weights (the
# `RandomState(0)` replay of 10.8), so any difference between runs comes from the
# optimizer alone. A class you have not written yet is skipped with a note; to run
# only some settings, list their names in `RUN`.
#
# **The default is short**: `EPOCHS = 501`, a fraction of a second per setting on an
# idle machine, enough to see the runs part ways. **The book's runs** are 10,001
# epochs: set `EPOCHS = 10_001` and run the two cells again (a few seconds per
# setting on an idle machine, a minute or more for all eleven on a busy one). The
# book reports its final run, Adam with rate 0.05 and decay $5\cdot10^{-7}$, at an
# accuracy of about 0.98 and a loss of about 0.074 at epoch 10,000.
#
# What a correct set of optimizers gives here (accuracy and loss at the last epoch,
# measured with this notebook's code, which computes in float64):
#
# | # | setting | default run, epoch 500 | the book's length, epoch 10,000 |
# |---|---|---|---|
# | 1 | `SGD()` | 0.40, 1.071 | 0.74, 0.714 |
# | 2 | `SGD(learning_rate=0.85)` | 0.40, 1.074 | 0.60, 0.866 |
# | 3 | `SGD(decay=1e-2)` | 0.42, 1.078 | 0.40, 1.072 |
# | 4 | `SGD(decay=1e-3)` | 0.40, 1.074 | 0.68, 0.760 |
# | 5 | `SGD(decay=1e-3, momentum=0.5)` | 0.46, 1.056 | 0.80, 0.524 |
# | 6 | `SGD(decay=1e-3, momentum=0.9)` | 0.73, 0.572 | 0.88, 0.247 |
# | 7 | `Adagrad(decay=1e-4)` | 0.65, 0.783 | 0.85, 0.376 |
# | 8 | `RMSprop(decay=1e-4)` | 0.48, 1.036 | 0.72, 0.663 |
# | 9 | `RMSprop(learning_rate=0.02, decay=1e-5, rho=0.999)` | 0.65, 0.751 | 0.91, 0.200 |
# | 10 | `Adam(learning_rate=0.02, decay=1e-5)` | 0.89, 0.335 | 0.97, 0.074 |
# | 11 | `Adam(learning_rate=0.05, decay=5e-7)` | 0.90, 0.321 | 0.98, 0.075 |
#
# With the defaults, the four plain SGD runs have not left the starting plateau
# (accuracy about 0.4, loss still close to $\ln 3 \approx 1.099$) and momentum 0.5
# has barely moved, while momentum 0.9 has broken away; AdaGrad and the tuned
# RMSProp are past 0.6 (RMSProp at its small default rate is not), and both Adam runs
# are near 0.9 already. This column is robust: nudging the starting weights by up to
# one part in $10^{11}$, as a different rounding in the last digit would, moved no
# entry by more than 0.02.
#
# The long column is a guide, not a target. Over the full length decay $10^{-2}$
# never gets going (its rate has shrunk to almost nothing before the network found a
# way down), every other run does, and Adam ends on top. In between, some runs are
# sensitive to tiny differences: changing the starting weights by one part in
# $10^{12}$ moved `SGD()` at epoch 10,000 from 0.74 to 0.61 and the tuned RMSProp
# from 0.91 to 0.75. The book computes in float32 (`nnfs.init()`), a larger change
# still: in float32 these runs end, for example, at 0.65 for `SGD()` and at 0.96 for
# momentum 0.9. Both Adam runs stayed within about 0.015 of the table in every
# variant tried.

# %%
import time

EPOCHS = 501  # the book's runs: 10_001

# The chapter's runs, in the book's order; each name makes a fresh optimizer of yours.
BOOK_RUNS = {
    "SGD()": lambda: Optimizer_SGD(),
    "SGD(learning_rate=0.85)": lambda: Optimizer_SGD(learning_rate=0.85),
    "SGD(decay=1e-2)": lambda: Optimizer_SGD(decay=1e-2),
    "SGD(decay=1e-3)": lambda: Optimizer_SGD(decay=1e-3),
    "SGD(decay=1e-3, momentum=0.5)": lambda: Optimizer_SGD(decay=1e-3, momentum=0.5),
    "SGD(decay=1e-3, momentum=0.9)": lambda: Optimizer_SGD(decay=1e-3, momentum=0.9),
    "Adagrad(decay=1e-4)": lambda: Optimizer_Adagrad(decay=1e-4),
    "RMSprop(decay=1e-4)": lambda: Optimizer_RMSprop(decay=1e-4),
    "RMSprop(learning_rate=0.02, decay=1e-5, rho=0.999)": lambda: Optimizer_RMSprop(
        learning_rate=0.02, decay=1e-5, rho=0.999
    ),
    "Adam(learning_rate=0.02, decay=1e-5)": lambda: Optimizer_Adam(learning_rate=0.02, decay=1e-5),
    "Adam(learning_rate=0.05, decay=5e-7)": lambda: Optimizer_Adam(learning_rate=0.05, decay=5e-7),
}
# The settings to train, all by default; or some of them, for example
# RUN = ["SGD()", "Adam(learning_rate=0.05, decay=5e-7)"]
RUN = list(BOOK_RUNS)


def train_spiral(optimizer, epochs):
    # The network and loop of 10.8, from the book's starting point. Returns the
    # curves (one value per epoch), the data and a function predicting class scores.
    rng = np.random.RandomState(0)
    X, y = spiral_data(samples=100, classes=3, rng=rng)
    dense1 = Layer_Dense(2, 64, rng=rng)
    activation1 = Activation_ReLU()
    dense2 = Layer_Dense(64, 3, rng=rng)
    loss_activation = Activation_Softmax_Loss_CategoricalCrossentropy()
    curves = {"loss": [], "accuracy": [], "learning_rate": []}
    for _ in range(epochs):
        dense1.forward(X)
        activation1.forward(dense1.output)
        dense2.forward(activation1.output)
        curves["loss"].append(loss_activation.forward(dense2.output, y))
        curves["accuracy"].append(np.mean(np.argmax(loss_activation.output, axis=1) == y))
        curves["learning_rate"].append(optimizer.current_learning_rate)

        loss_activation.backward(loss_activation.output, y)
        dense2.backward(loss_activation.dinputs)
        activation1.backward(dense2.dinputs)
        dense1.backward(activation1.dinputs)
        optimizer.pre_update_params()
        optimizer.update_params(dense1)
        optimizer.update_params(dense2)
        optimizer.post_update_params()

    def predict(points):
        dense1.forward(points)
        activation1.forward(dense1.output)
        dense2.forward(activation1.output)
        return dense2.output

    return curves, (X, y), predict


unknown = [name for name in RUN if name not in BOOK_RUNS]
if unknown:
    raise ValueError(
        f"RUN lists {unknown}, which are not among the book's settings; "
        f"choose names from {list(BOOK_RUNS)}"
    )
if int(EPOCHS) < 1:
    raise ValueError(
        f"EPOCHS must be at least 1; received {EPOCHS}. The book's runs use EPOCHS = 10_001"
    )

results = {}
print(f"{'setting':<52}{'acc':>7}{'loss':>8}{'lr':>11}{'seconds':>9}")
for name in RUN:
    started = time.perf_counter()
    try:
        results[name] = train_spiral(BOOK_RUNS[name](), int(EPOCHS))
    except NotImplementedError:
        print(f"{name:<52}  skipped: your optimizer class is not written yet")
        continue
    curves = results[name][0]
    print(
        f"{name:<52}{curves['accuracy'][-1]:7.3f}{curves['loss'][-1]:8.3f}"
        f"{curves['learning_rate'][-1]:11.6f}{time.perf_counter() - started:9.1f}"
    )
print(f"(values at epoch {int(EPOCHS) - 1})")

# %% [markdown] nbgrader={"grade": false, "grade_id": "ch10_experiments_plots_explained", "locked": true, "schema_version": 3, "solution": false, "task": false}
# The runs side by side: loss, accuracy and learning rate against the epoch (the
# learning rate on a logarithmic scale, so that decays of $10^{-2}$ and $10^{-3}$
# both show), then the class each trained network predicts over the plane, under the
# spiral points. Rerun after changing `EPOCHS` or `RUN` above.

# %%
import textwrap

import matplotlib.pyplot as plt

from nnfs_core.plotting import plot_decision_regions

if not results:
    print("No run finished yet: write the optimizers above (or import the reference ones).")
else:
    colours = [*plt.get_cmap("tab10").colors, "black"]
    fig, axes = plt.subplots(1, 3, figsize=(13, 5.2), layout="constrained")
    for number, (name, (curves, _, _)) in enumerate(results.items()):
        for ax, metric in zip(axes, ["loss", "accuracy", "learning_rate"]):
            ax.plot(curves[metric], color=colours[number % 11], lw=1.2, label=name)
    for ax, title in zip(axes, ["loss", "accuracy", "learning rate (log scale)"]):
        ax.set_title(title)
        ax.set_xlabel("epoch")
        ax.grid(True, alpha=0.3)
    axes[0].set_ylim(0, 1.3)  # early spikes of the fast runs go off the top
    axes[2].set_yscale("log")
    handles, labels = axes[0].get_legend_handles_labels()
    fig.legend(handles, labels, loc="outside lower center", ncol=3, fontsize="small")
    plt.show()
    plt.close(fig)

    columns = 4
    rows = -(-len(results) // columns)  # rounded up
    fig, axes = plt.subplots(
        rows, columns, figsize=(3.1 * columns, 3.4 * rows), squeeze=False, layout="constrained"
    )
    for ax, (name, (curves, (X, y), predict)) in zip(axes.flat, results.items()):
        plot_decision_regions(predict, X, y, ax=ax, resolution=80, point_size=5)
        title = textwrap.fill(name, 30)  # the longest settings on two lines
        ax.set_title(f"{title}\naccuracy {curves['accuracy'][-1]:.2f}", fontsize=10)
        ax.set(xticks=[], yticks=[], xlabel="", ylabel="")
    for ax in axes.flat[len(results) :]:
        ax.axis("off")
    plt.show()
    plt.close(fig)

# %% [markdown] nbgrader={"grade": false, "grade_id": "ch10_labs_intro", "locked": true, "schema_version": 3, "solution": false, "task": false}
# ## 10.10 Labs: feel what the settings do
#
# The numbers above come from one run with one set of settings. The labs below
# retrain the same network (reference classes from `nnfs_core`, so they work whether
# or not your exercises are finished) whenever you let go of a slider, and redraw
# the chapter's pictures in place:
#
# * the spiral points over a background coloured by the class the network predicts
#   there,
# * the weights and biases as heat maps (red positive, blue negative) with the last
#   update beside each,
# * loss, accuracy and the current learning rate against the epoch.
#
# Runs are short by default (about a second); runs you have already made come back
# from a cache at once. **Train** retrains, **Stop** ends a long run early, and the
# **epoch** slider with its play button replays a finished run from snapshots.
# Each lab's `book_settings` holds the book's full-length run, for example
# `OptimizerLab(epochs=10_001)`.

# %% [markdown] nbgrader={"grade": false, "grade_id": "ch10_schedule_explained", "locked": true, "schema_version": 3, "solution": false, "task": false}
# ### Learning-rate schedules
#
# Decay needs no training to understand: it is the formula
# `current_learning_rate = learning_rate / (1 + decay * step)`. Move the sliders
# and the curve follows as you drag.
#
# **Try this.**
# 1. Set the learning rate to 1 and the decay to `1e-2`; press **pin**. Now set the
#    decay to `1e-3` and pin again. The rate halves when `decay * step = 1`: after
#    100 steps with the first setting, after 1,000 with the second. The first one
#    has almost stopped learning by step 2,000.
# 2. The chapter's rule of thumb for SGD is to start at 1.0 and end near 0.1. Which
#    decay brings 1.0 down to 0.1 at step 10,000? (Solve `1 / (1 + d * 10000) = 0.1`,
#    then check it on the plot.)

# %% nbgrader={"grade": false, "grade_id": "ch10_schedule_lab", "locked": true, "schema_version": 3, "solution": false, "task": false}
# %matplotlib widget
from nnfs_core.labs import ScheduleExplorer

schedule = ScheduleExplorer()
schedule

# %% [markdown] nbgrader={"grade": false, "grade_id": "ch10_optimizer_lab_explained", "locked": true, "schema_version": 3, "solution": false, "task": false}
# ### The optimizer lab
#
# Pick an optimizer; the sliders it does not use are greyed out.
#
# **Try this.**
# 1. SGD with learning rate 1 and no decay: the loss falls, then wobbles. Replay the
#    run with the epoch slider and watch the decision regions jump between epochs.
# 2. Add decay `1e-3`, then momentum 0.9. With momentum the regions settle far sooner,
#    and the accuracy curve climbs higher for the same number of epochs.
# 3. Switch to Adam with learning rate 0.05 and decay `5e-7` (the chapter's best
#    run). Then push the learning rate to 0.5: the loss curve turns jagged, because
#    each step now overshoots.
# 4. Compare the heat maps of the updates for SGD and Adam: Adam's steps are about
#    the same size for every weight, SGD's follow the size of each gradient.

# %% nbgrader={"grade": false, "grade_id": "ch10_optimizer_lab", "locked": true, "schema_version": 3, "solution": false, "task": false}
# %matplotlib widget
from nnfs_core.labs import OptimizerLab

lab = OptimizerLab()
lab

# %% [markdown] nbgrader={"grade": false, "grade_id": "ch10_race_explained", "locked": true, "schema_version": 3, "solution": false, "task": false}
# ### The optimizer race
#
# Several optimizers start from the same data and the same initial weights, so any
# difference in the curves comes from the optimizer alone.
#
# **Try this.** Race SGD with momentum 0.9 against RMSProp and Adam with the
# chapter's settings. Which reaches 90% accuracy first? Then give SGD a decay of
# `1e-3` and race again: does the order change?

# %% nbgrader={"grade": false, "grade_id": "ch10_race", "locked": true, "schema_version": 3, "solution": false, "task": false}
# %matplotlib widget
from nnfs_core.labs import OptimizerRace

race = OptimizerRace()
race
