# %% [markdown] nbgrader={"grade": false, "grade_id": "ch06_intro", "locked": true, "schema_version": 3, "solution": false, "task": false}
# # Chapter 6 · Introducing optimization
#
# Chapter 5 gave us a score: the loss, lower is better. Training means finding
# weights and biases that make it small. Before any calculus, the book tries the
# simplest idea there is, **guessing**: change the parameters at random and keep the
# change when the loss goes down. This chapter runs that idea on two datasets, sees it
# succeed on an easy one and fail on the spiral, and in doing so shows what the next
# chapters must supply: a way to know *which direction* to change each parameter in.
#
# | section | you write | graded checks | points |
# |---|---|---|---|
# | 6.1 | (the two datasets, the network and its score) | | |
# | 6.2 | (attempt 1: fully random weights) | | |
# | 6.3 | `RandomSearch.perturb`, `RandomSearch.keep_or_revert` | `random_search_perturb`, `random_search_keep` | 1 + 2 |
# | 6.4 | (attempt 2 on the vertical data: it works) | | |
# | 6.5 | (attempt 2 on the spiral data: it does not) | | |
# | 6.6 | (why guessing runs out of luck) | | |
#
# ### How to check your work
#
# Run the cell with your class, then the test cells under it. A green ✓ block
# means your methods did what the reference does on fixed random layers: the same
# noise (NumPy's generator is seeded by the check), and the same layers, lowest loss
# and answer after a fixed series of better and worse losses. Otherwise the test shows a ✗ block (a `CheckFailed` error) saying which value is wrong after which step and, for the
# usual slips (noise that replaces the weights instead of moving them, a fixed step
# size, biases left out; keeping worse weights, forgetting to revert, a missing
# `.copy()`...), naming the slip. A method you have not written yet raises
# `NotImplementedError`, and its test reports *not implemented yet*.
#
# ### Stuck?
#
# `RandomSearch` is this course's way of holding the book's loop, and its reference
# twin lives outside `nnfs_core.book`: run
# `from nnfs_core.random_search import RandomSearch` in a new cell below the exercise
# to carry on with it (grading gives it no points; see chapter 1); run your own
# class's cell again to switch back. Its explanation also ends with a hint you can
# unfold. The layers, activations and loss of chapters 3 to 5 are imported from the
# reference.

# %% nbgrader={"grade": false, "grade_id": "ch06_imports", "locked": true, "schema_version": 3, "solution": false, "task": false}
import matplotlib.pyplot as plt
import numpy as np

from autograder import check, submit
from autograder.library import components
from nnfs_core.book import spiral_data, vertical_data
from nnfs_core.plotting import class_colors, plot_decision_regions

# Earlier chapters' classes: yours where they pass in your workspace, else the reference
Activation_ReLU, Activation_Softmax, Layer_Dense, Loss_CategoricalCrossentropy = components(
    "Activation_ReLU",
    "Activation_Softmax",
    "Layer_Dense",
    "Loss_CategoricalCrossentropy",
    chapter="ch06",
)

# %% [markdown] nbgrader={"grade": false, "grade_id": "ch06_setup_explained", "locked": true, "schema_version": 3, "solution": false, "task": false}
# ## 6.1 Two datasets, one network, one score
#
# **The data.** `vertical_data(samples=100, classes=3)` puts 100 points of each class
# in a blob around $x = 0, \tfrac13, \tfrac23$ (and $y = 0.5$): the classes sit side by
# side and vertical lines separate them almost perfectly. `spiral_data(samples=100,
# classes=3)` is the spiral of chapter 3, three arms wound round each other: no
# straight line separates any class from the others.
#
# **The network** is the book's small one from chapters 4 and 5:
# `Layer_Dense(2, 3)` → ReLU → `Layer_Dense(3, 3)` → softmax, scored with the
# categorical cross-entropy. `score` runs the forward pass and returns the loss and
# the accuracy. Each experiment draws its data, its starting weights and then all its
# random guesses from one `np.random.RandomState(0)`, in the book's order, so its
# numbers are the same every time you run it.
#
# **The length of the runs.** `ITERATIONS` sets how many guesses each experiment
# makes. The default, 2,000, keeps the whole notebook down to a few seconds; the book
# makes 10,000. Set `ITERATIONS = 10_000` in this cell and rerun the experiments to
# see the book's runs (each then takes several seconds); the sections below say what
# to expect with both settings.

# %%
ITERATIONS = 2_000  # the book: 10_000

activation1 = Activation_ReLU()
activation2 = Activation_Softmax()
loss_function = Loss_CategoricalCrossentropy()


def forward(dense1, dense2, X):
    """Dense -> ReLU -> Dense -> softmax; returns the softmax outputs."""
    dense1.forward(X)
    activation1.forward(dense1.output)
    dense2.forward(activation1.output)
    activation2.forward(dense2.output)
    return activation2.output


def score(dense1, dense2, X, y):
    """The mean loss and the accuracy of the network on (X, y)."""
    output = forward(dense1, dense2, X)
    loss = loss_function.calculate(output, y)
    accuracy = np.mean(np.argmax(output, axis=1) == y)
    return loss, accuracy


fig, axes = plt.subplots(1, 2, figsize=(10, 4))
for ax, make, name in (
    (axes[0], vertical_data, "vertical_data"),
    (axes[1], spiral_data, "spiral_data"),
):
    X, y = make(samples=100, classes=3, rng=np.random.RandomState(0))
    ax.scatter(X[:, 0], X[:, 1], c=np.array(class_colors(3))[y], s=12)
    ax.set_title(f"{name}(samples=100, classes=3)")
    ax.set_aspect("equal")
plt.show()
plt.close(fig)

# %% [markdown] nbgrader={"grade": false, "grade_id": "ch06_random_explained", "locked": true, "schema_version": 3, "solution": false, "task": false}
# ## 6.2 Attempt 1: fully random weights
#
# The crudest search: at every iteration throw the weights and biases away and draw
# new ones, `0.05 ×` standard normal draws (the book's scale), score the network, and
# remember a copy of the best set seen so far. The lowest loss can only go down; the
# question is how fast.
#
# Expect very little. With the default 2,000 guesses the best loss on the vertical
# data drops from the untrained network's $\ln 3 \approx 1.0986$ to about **1.0968**,
# and the best guess classifies a third of the points correctly (accuracy about
# **0.33**): its regions, on the right, give nearly the whole dataset one class, no
# better than always answering the same. The book's 10,000 guesses do hardly better
# (about 1.0964 here). The grey dots are the individual guesses; they never leave a
# narrow band around $\ln 3$, because weights this small always give nearly equal
# probabilities, and bigger random weights would only produce bigger random
# mistakes.

# %%
rng = np.random.RandomState(0)
X, y = vertical_data(samples=100, classes=3, rng=rng)
dense1 = Layer_Dense(2, 3, rng=rng)
dense2 = Layer_Dense(3, 3, rng=rng)

lowest_loss = np.inf
tried, lowest = [], []
for iteration in range(ITERATIONS):
    dense1.weights = 0.05 * rng.standard_normal((2, 3))
    dense1.biases = 0.05 * rng.standard_normal((1, 3))
    dense2.weights = 0.05 * rng.standard_normal((3, 3))
    dense2.biases = 0.05 * rng.standard_normal((1, 3))
    loss, accuracy = score(dense1, dense2, X, y)
    if loss < lowest_loss:
        print(f"iteration {iteration}: new lowest loss {loss:.7f}, accuracy {accuracy:.3f}")
        best = [p.copy() for p in (dense1.weights, dense1.biases, dense2.weights, dense2.biases)]
        lowest_loss = loss
    tried.append(loss)
    lowest.append(lowest_loss)
random_lowest = lowest  # kept for a comparison in 6.4
dense1.weights, dense1.biases, dense2.weights, dense2.biases = best

fig, (curve, regions) = plt.subplots(1, 2, figsize=(11, 4))
curve.plot(tried, ".", color="grey", markersize=2, label="loss of each guess")
curve.plot(lowest, color="tab:red", label="lowest loss so far")
curve.axhline(np.log(3), color="black", linestyle=":", label="ln 3")
curve.set_xlabel("iteration")
curve.set_ylabel("loss")
curve.set_title("attempt 1: fully random weights, vertical data")
curve.legend()
plot_decision_regions(
    lambda points: forward(dense1, dense2, points),
    X,
    y,
    ax=regions,
    resolution=150,
    title="decision regions of the best guess",
)
plt.show()
plt.close(fig)


# %% [markdown] nbgrader={"grade": false, "grade_id": "ch06_search_explained", "locked": true, "schema_version": 3, "solution": false, "task": false}
# ## 6.3 Attempt 2: small steps, keep the better ones
#
# Instead of starting from scratch every time, start from the **best weights so far**
# and move them a little:
#
# 1. **perturb:** add small noise, `0.05 ×` standard normal draws, to every weight and
#    every bias;
# 2. **compare:** run the forward pass and compute the loss;
# 3. **keep or revert:** if the loss is lower than the lowest so far, keep the new
#    values (and remember copies of them, and their loss); otherwise put the
#    remembered best values back, so the next step starts from them again.
#
# The class below holds that bookkeeping. Its constructor is given: it keeps the
# layers (any objects with `weights` and `biases` arrays), the step size, where the
# noise comes from (NumPy's global generator, as in the book's `np.random.randn`,
# unless a `RandomState` is passed as `rng`), `lowest_loss` (infinity at first, so the
# first loss always counts as lower) and `best`, one `(weights, biases)` pair of
# **copies** per layer.
#
# **Your task:**
#
# * `perturb()`: for each layer in turn, add `self.step_size` times standard normal
#   draws of the weights' shape to `layer.weights`, then the same for `layer.biases`
#   (`self.random.standard_normal(shape)`; keep this order, layer by layer and
#   weights before biases, so your draws are the reference's).
# * `keep_or_revert(loss)`: if `loss < self.lowest_loss`, store copies of every
#   layer's weights and biases in `self.best`, store `loss` in `self.lowest_loss` and
#   return `True`; otherwise set each layer's weights and biases to **copies** of the
#   remembered ones and return `False`.
#
# **Why the copies.** `layer.weights += noise` changes the array in place. If `best`
# held the layer's own array rather than a copy, the "best" values would move with
# every step, and reverting would bring back nothing. The same goes the other way: put
# the remembered array itself back into the layer, and the next step changes the
# remembered values too. The check moves the layers in place between your calls, so
# it notices either slip.
#
# <details><summary>Hint</summary>
#
# `perturb` is a loop over `self.layers` with two `+=` lines. `keep_or_revert` is an
# `if`: the kept branch rebuilds `self.best` exactly as the constructor does (a list
# of `(layer.weights.copy(), layer.biases.copy())`), the other loops over
# `zip(self.layers, self.best)` and assigns `weights.copy()` and `biases.copy()`.
#
# </details>


# %% nbgrader={"grade": false, "grade_id": "ch06_random_search", "locked": false, "schema_version": 3, "solution": true, "task": false}
class RandomSearch:
    def __init__(self, layers, step_size=0.05, rng=None):
        self.layers = layers
        self.step_size = step_size
        # NumPy's global generator (the book's np.random.randn) unless rng is given.
        self.random = np.random if rng is None else rng
        # Above any loss, so that the first loss always counts as lower.
        self.lowest_loss = np.inf
        # Copies of each layer's best values so far: at first, the starting ones.
        self.best = [(layer.weights.copy(), layer.biases.copy()) for layer in layers]

    def perturb(self):
        # Add step_size * standard normal noise to each layer's weights, then biases.
        ### BEGIN SOLUTION
        for layer in self.layers:
            layer.weights += self.step_size * self.random.standard_normal(layer.weights.shape)
            layer.biases += self.step_size * self.random.standard_normal(layer.biases.shape)
        ### END SOLUTION

    def keep_or_revert(self, loss):
        # Lower loss: remember copies and the loss, return True; else restore copies, return False.
        ### BEGIN SOLUTION
        if loss < self.lowest_loss:
            self.best = [(layer.weights.copy(), layer.biases.copy()) for layer in self.layers]
            self.lowest_loss = loss
            return True
        for layer, (weights, biases) in zip(self.layers, self.best):
            layer.weights = weights.copy()
            layer.biases = biases.copy()
        return False
        ### END SOLUTION


# %% nbgrader={"grade": true, "grade_id": "test_random_search_perturb", "locked": true, "points": 1, "schema_version": 3, "solution": false, "task": false}
check("random_search_perturb", RandomSearch)
### BEGIN HIDDEN TESTS
submit("random_search_perturb", RandomSearch, seed=63417)
### END HIDDEN TESTS

# %% nbgrader={"grade": true, "grade_id": "test_random_search_keep", "locked": true, "points": 2, "schema_version": 3, "solution": false, "task": false}
check("random_search_keep", RandomSearch)
### BEGIN HIDDEN TESTS
submit("random_search_keep", RandomSearch, seed=63582)
### END HIDDEN TESTS

# %% [markdown] nbgrader={"grade": false, "grade_id": "ch06_vertical_explained", "locked": true, "schema_version": 3, "solution": false, "task": false}
# ## 6.4 Attempt 2 on the vertical data: it works
#
# The same data and starting weights as in 6.2, now searched with your class. Every
# `REPORT_EVERY` iterations the cell prints the lowest loss so far, the accuracy of
# the weights that reached it, and how many of the steps were kept.
#
# With the default 2,000 iterations you should see the loss fall from about 1.0986 to
# about **0.17** and the accuracy reach about **0.93**, with most of the progress in
# the first 500 iterations. About 240 of the 2,000 steps are kept, some 210 of them in
# the first 1,000; after that almost every random step goes uphill. The book's 10,000
# iterations end in the same place (about 0.17 and 0.93 here, with only a handful more
# steps kept). The regions on the right show why 0.93 is about the best to expect: the
# network has drawn two nearly vertical boundaries between the blobs, and the points
# it gets wrong are the ones that stray into a neighbour's blob. (These numbers assume your
# `perturb` draws from `self.random`, as asked; noise drawn any other way gives numbers
# of the same kind, not the same numbers.)

# %%
REPORT_EVERY = ITERATIONS // 10


def run_search(X, y, dense1, dense2, rng):
    """Attempt 2 for ITERATIONS steps; prints progress and returns the lowest loss of
    every iteration. The layers end holding the best values found."""
    search = RandomSearch([dense1, dense2], step_size=0.05, rng=rng)
    lowest, kept, best_accuracy = [], 0, 0.0
    for iteration in range(1, ITERATIONS + 1):
        search.perturb()
        loss, accuracy = score(dense1, dense2, X, y)
        if search.keep_or_revert(loss):
            kept += 1
            best_accuracy = accuracy
        lowest.append(search.lowest_loss)
        if iteration % REPORT_EVERY == 0:
            print(
                f"iteration {iteration}: lowest loss {search.lowest_loss:.4f}, "
                f"accuracy {best_accuracy:.3f}, steps kept {kept}"
            )
    return lowest


rng = np.random.RandomState(0)
X, y = vertical_data(samples=100, classes=3, rng=rng)
dense1 = Layer_Dense(2, 3, rng=rng)
dense2 = Layer_Dense(3, 3, rng=rng)
lowest = run_search(X, y, dense1, dense2, rng)

fig, (curve, regions) = plt.subplots(1, 2, figsize=(11, 4))
curve.plot(random_lowest, color="tab:red", label="attempt 1: fully random")
curve.plot(lowest, color="tab:blue", label="attempt 2: small steps")
curve.set_xlabel("iteration")
curve.set_ylabel("lowest loss so far")
curve.set_title("vertical data")
curve.legend()
plot_decision_regions(
    lambda points: forward(dense1, dense2, points),
    X,
    y,
    ax=regions,
    resolution=150,
    title="decision regions after attempt 2",
)
plt.show()
plt.close(fig)

# %% [markdown] nbgrader={"grade": false, "grade_id": "ch06_spiral_explained", "locked": true, "schema_version": 3, "solution": false, "task": false}
# ## 6.5 Attempt 2 on the spiral data: it does not
#
# The same search, the same network, the same seed; only the data changes.
#
# This time the loss stalls: with the default 2,000 iterations it creeps from 1.0986
# to about **1.079** and the accuracy ends near **0.41**, barely above a third, with
# fewer than 70 steps kept, most of them in the first few hundred iterations. The
# book's 10,000 iterations change nothing that matters (about 1.079 and 0.39 here). The regions explain the
# numbers: a few straight-edged wedges laid over three interleaved arms, each wedge
# right about some of its points and wrong about most.

# %%
rng = np.random.RandomState(0)
X, y = spiral_data(samples=100, classes=3, rng=rng)
dense1 = Layer_Dense(2, 3, rng=rng)
dense2 = Layer_Dense(3, 3, rng=rng)
lowest = run_search(X, y, dense1, dense2, rng)

fig, (curve, regions) = plt.subplots(1, 2, figsize=(11, 4))
curve.plot(lowest, color="tab:blue", label="attempt 2: small steps")
curve.axhline(np.log(3), color="black", linestyle=":", label="ln 3")
curve.set_xlabel("iteration")
curve.set_ylabel("lowest loss so far")
curve.set_title("spiral data")
curve.legend()
plot_decision_regions(
    lambda points: forward(dense1, dense2, points),
    X,
    y,
    ax=regions,
    resolution=150,
    title="decision regions after attempt 2",
)
plt.show()
plt.close(fig)

# %% [markdown] nbgrader={"grade": false, "grade_id": "ch06_why_explained", "locked": true, "schema_version": 3, "solution": false, "task": false}
# ## 6.6 Why guessing runs out of luck
#
# Is the network simply too small for the spiral? Three hidden neurons can only fold
# the plane along three lines, so that is part of it. But give the search chapter 10's
# 64 hidden neurons (the next cell) and it does hardly better: with the default 2,000
# iterations the loss ends near **1.074** and the accuracy near **0.41**, with only
# about 35 steps kept (the book's 10,000 reach about 1.073 and 0.43 here). Chapter 10
# trains exactly this network with gradients (and the Adam optimizer) to an accuracy
# of about 0.90 in 1,000 epochs.
#
# The trouble is the guessing. A random step moves every parameter at once, in a
# direction chosen without looking. With many parameters such a direction is almost at
# right angles to the one in which the loss falls fastest: the step gains very little
# on the way down, while moving hundreds of parameters that were fine where they were.
# The bigger the network, the rarer a step that pays, and the counts show it: on the
# same spiral and with the default 2,000 steps, the small network (21 parameters)
# kept 66 of them, the wide one (387 parameters) 35. On the vertical data many settings of a few weights
# work, so lucky steps were common; the spiral needs many weights to be right
# *together*.
#
# What the search lacks is, for each parameter, the answer to: if I nudge this one up
# a little, does the loss go up or down, and by how much? That is a **derivative**.
# Chapter 7 computes derivatives numerically and analytically, chapter 8 extends them
# to many variables (the gradient), and chapters 9 and 10 use the gradient to move
# every parameter in the direction that lowers the loss.

# %%
rng = np.random.RandomState(0)
X, y = spiral_data(samples=100, classes=3, rng=rng)
dense1 = Layer_Dense(2, 64, rng=rng)
dense2 = Layer_Dense(64, 3, rng=rng)
n_parameters = sum(p.size for p in (dense1.weights, dense1.biases, dense2.weights, dense2.biases))
print(f"Dense(2, 64) -> ReLU -> Dense(64, 3): {n_parameters} parameters")
lowest = run_search(X, y, dense1, dense2, rng)

# %% [markdown] nbgrader={"grade": false, "grade_id": "ch06_next", "locked": true, "schema_version": 3, "solution": false, "task": false}
# ## What next
#
# Random search has one virtue: it needs nothing but the loss. Everything else about
# it is slow, and it gets slower the more parameters a network has. Chapter 7 starts
# on the alternative: how the loss *changes* when one input changes, the derivative.
