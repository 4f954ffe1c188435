# %% [markdown] nbgrader={"grade": false, "grade_id": "ch05_intro", "locked": true, "schema_version": 3, "solution": false, "task": false}
# # Chapter 5 · Calculating network error with loss
#
# At the end of chapter 4 the network turned each sample into three probabilities, one
# per class, and every row came out close to $1/3, 1/3, 1/3$. To improve such a
# network we first need to say, with one number, *how wrong* it is. That number is the
# **loss**. This chapter writes the loss the book uses for classification,
# **categorical cross-entropy**, and the **accuracy**, the number people usually ask
# for, and shows why training watches the first rather than the second.
#
# | section | you write | graded check | points |
# |---|---|---|---|
# | 5.1 | (what a loss is for) | | |
# | 5.2 | (cross-entropy by hand: one-hot and sparse labels) | | |
# | 5.3 | (the log of zero, and clipping on both sides) | | |
# | 5.4 | `Loss.calculate`, `Loss_CategoricalCrossentropy.forward` | `cce_forward` | 2 |
# | 5.5 | (the loss against the confidence in the right class) | | |
# | 5.6 | `Accuracy_Argmax.calculate` | `accuracy_argmax` | 1 |
# | 5.7 | (loss and accuracy of the untrained network on the spiral data) | | |
#
# ### How to check your work
#
# Run the cell with your class, then the test cell under it. A green ✓ block
# means your class produced the reference's results on fixed random inputs (which
# include predictions of exactly 0 and exactly 1, labels in both forms, and a batch
# with as many samples as classes). Otherwise the test shows a ✗ block
# (a `CheckFailed` error) saying which value is wrong and, for the usual slips (no clipping, clipping on
# one side only, one-hot labels summed over the wrong axis or not handled, a sum where
# a mean belongs, an argmax over the wrong axis...), naming the slip. A method you
# have not written yet raises `NotImplementedError`, and its test reports *not
# implemented yet*.
#
# ### Stuck?
#
# The loss has a reference twin: run
# `from nnfs_core.book import Loss_CategoricalCrossentropy` in a new cell below the
# exercise to carry on with it (grading gives it no points; see chapter 1); delete that
# cell, or run your own class's cell again, to switch back to yours. `Accuracy_Argmax`
# is this course's own small class and has no twin; its explanation ends with a hint
# you can unfold. The dense layer, ReLU and softmax of chapters 3 and 4 are yours
# where they pass, the reference's otherwise (the line under the imports says which).

# %% nbgrader={"grade": false, "grade_id": "ch05_imports", "locked": true, "schema_version": 3, "solution": false, "task": false}
import matplotlib.pyplot as plt
import numpy as np

from autograder import check, submit
from autograder.library import components
from nnfs_core.book import spiral_data

# Earlier chapters' classes: yours where they pass in your workspace, else the reference
Activation_ReLU, Activation_Softmax, Layer_Dense = components(
    "Activation_ReLU", "Activation_Softmax", "Layer_Dense", chapter="ch05"
)

# %% [markdown] nbgrader={"grade": false, "grade_id": "ch05_why_explained", "locked": true, "schema_version": 3, "solution": false, "task": false}
# ## 5.1 What a loss is for
#
# Training will change the weights and biases a little at a time, and after each
# change it needs to know: better or worse? Two networks may both pick the right class
# for a sample, one with a confidence of 0.9 and the other with 0.4; the first is
# clearly doing better, and the measure should say so. The **loss** is that measure:
# one number per sample that is 0 for a certain, correct answer and grows the less
# confidence the right class gets; the loss of a batch is the **mean** of its samples'
# losses. Chapters 6 to 10 are all about making this number smaller.
#
# The fraction of samples classified correctly, the **accuracy**, is what we report to
# people, but it is a poor guide for training: it moves only when some sample's
# most probable class flips, and it ignores how confident the network was (section
# 5.6 shows two sets of predictions with the same accuracy and very different losses).

# %% [markdown] nbgrader={"grade": false, "grade_id": "ch05_cce_explained", "locked": true, "schema_version": 3, "solution": false, "task": false}
# ## 5.2 Categorical cross-entropy
#
# Write a sample's target as a **one-hot** vector $y$: a 1 at the true class and 0
# elsewhere (class 1 of 3 is $(0, 1, 0)$). With $\hat y$ the softmax output, the
# categorical cross-entropy of the sample is
#
# $$L = -\sum_{j} y_j \log \hat y_j,$$
#
# with the natural logarithm (`np.log`). Every term with $y_j = 0$ vanishes, so only
# the true class $k$ remains:
#
# $$L = -\log \hat y_k.$$
#
# The loss is the negative log of **the confidence the network gave the right
# answer**. A confidence of 1 costs $-\log 1 = 0$; 0.5 costs 0.69; 0.1 costs 2.30;
# and as the confidence approaches 0 the loss climbs without limit. Wrong classes do
# not appear in the formula, but they are not ignored: softmax outputs add up to 1, so
# whatever probability a wrong class takes is missing from the right one.
#
# Targets come in two forms, and a loss class should take both:
#
# * **sparse** labels: one class index per sample, shape `(n_samples,)`, such as
#   `[0, 2, 1]`. Pick each row's confidence at its label with NumPy's paired
#   indexing: `y_pred[np.arange(n_samples), y_true]` takes element `[i, y_true[i]]`
#   for every row `i`.
# * **one-hot** labels: shape `(n_samples, n_classes)`. Multiply element by element
#   and add up each row: `np.sum(y_pred * y_true, axis=1)`. The zeros wipe out every
#   entry but the true class's.
#
# The cell below works through both on a batch of three samples and shows that they
# agree.

# %%
softmax_outputs = np.array(
    [
        [0.6, 0.3, 0.1],
        [0.2, 0.2, 0.6],
        [0.05, 0.85, 0.1],
    ]
)
sparse_labels = np.array([0, 2, 0])
one_hot_labels = np.array(
    [
        [1, 0, 0],
        [0, 0, 1],
        [1, 0, 0],
    ]
)

# The full sum for the first sample: only the term of its true class survives.
terms = one_hot_labels[0] * np.log(softmax_outputs[0])
print("terms of the sum, sample 0:", terms, "-> loss", -terms.sum())

picked = softmax_outputs[np.arange(len(softmax_outputs)), sparse_labels]
summed = np.sum(softmax_outputs * one_hot_labels, axis=1)
print("right-class confidence, sparse labels: ", picked)
print("right-class confidence, one-hot labels:", summed)

sample_losses = -np.log(picked)
print("sample losses:", sample_losses.round(3), "mean:", sample_losses.mean().round(3))

# %% [markdown] nbgrader={"grade": false, "grade_id": "ch05_by_hand_read", "locked": true, "schema_version": 3, "solution": false, "task": false}
# The third sample is the interesting one: the network put 0.85 on class 1, but the
# label says class 0, which got only 0.05. Its loss, $-\log 0.05 \approx 3.0$, is
# larger than the other two together and dominates the batch's mean of about 1.3.
# Cross-entropy punishes confident mistakes hard.

# %% [markdown] nbgrader={"grade": false, "grade_id": "ch05_clip_explained", "locked": true, "schema_version": 3, "solution": false, "task": false}
# ## 5.3 The log of zero, and clipping on both sides
#
# A softmax output is never exactly 0 in exact arithmetic, but in floating point it
# can be: $e^{-800}$ rounds to 0. Then $-\log 0 = +\infty$, and the mean of a batch
# that contains one infinity is infinity too; nothing useful can be learned from it
# (and later, chapter 9's gradient divides by the prediction, which fails the same
# way).
#
# The fix is to **clip** the predictions before the logarithm:
# `np.clip(y_pred, 1e-7, 1 - 1e-7)` raises anything below $10^{-7}$ to $10^{-7}$ and
# lowers anything above $1 - 10^{-7}$ to $1 - 10^{-7}$. The worst possible sample loss
# is then $-\log 10^{-7} \approx 16.1$: large, but finite.
#
# Why clip the top as well?
#
# * **Balance.** Clipping only the bottom moves predictions one way only, upwards, so
#   every adjustment would lower the loss and tilt the mean to one side. Clipping both
#   ends by the same amount treats the two sides alike: a hopeless answer costs at
#   most 16.1, and a certain, correct answer costs $-\log(1 - 10^{-7}) \approx
#   10^{-7}$ instead of 0.
# * **No negative losses.** Rounding can leave a value a hair above 1, whose negative
#   log is a (tiny) negative loss. After clipping the loss can never drop below 0.
#
# The cell shows the infinity and what clipping does to it. (NumPy warns when asked
# for `log(0)`; the warning is silenced here to keep the output short.)

# %%
confidences = np.array([0.9, 0.5, 0.0, 1.0])

with np.errstate(divide="ignore"):
    unclipped = -np.log(confidences)
print("unclipped sample losses:", unclipped, "-> mean", unclipped.mean())

clipped = -np.log(np.clip(confidences, 1e-7, 1 - 1e-7))
print("clipped sample losses:  ", clipped.round(8), "-> mean", clipped.mean().round(4))


# %% [markdown] nbgrader={"grade": false, "grade_id": "ch05_loss_class_explained", "locked": true, "schema_version": 3, "solution": false, "task": false}
# ## 5.4 The loss classes
#
# The book splits a loss into two classes:
#
# * `Loss`, the common base. Its `calculate(output, y)` calls `self.forward(output, y)`,
#   which returns one loss per sample, and returns their **mean**. Every loss of the
#   book (binary cross-entropy in chapter 16, the regression losses in chapter 17)
#   inherits this method and only writes its own `forward`.
# * `Loss_CategoricalCrossentropy(Loss)`, whose `forward(y_pred, y_true)` returns the
#   sample losses, shape `(n_samples,)`.
#
# **Your task:**
#
# 1. `Loss.calculate(output, y)`: return the mean of `self.forward(output, y)`.
# 2. `Loss_CategoricalCrossentropy.forward(y_pred, y_true)`: clip `y_pred` to
#    $[10^{-7},\ 1 - 10^{-7}]$; pick each sample's right-class confidence, by
#    indexing when `y_true` is sparse (`len(y_true.shape) == 1`) and by the row sum
#    when it is one-hot (`len(y_true.shape) == 2`); return the negative logs.
#
# Do not change the arrays you are given: `np.clip` returns a new array, which is what
# you want (the caller's `y_pred` is still needed elsewhere).


# %% nbgrader={"grade": false, "grade_id": "ch05_losses", "locked": false, "schema_version": 3, "solution": true, "task": false}
class Loss:
    def calculate(self, output, y):
        # Return the mean of the sample losses that self.forward(output, y) returns.
        ### BEGIN SOLUTION
        sample_losses = self.forward(output, y)
        return np.mean(sample_losses)
        ### END SOLUTION


class Loss_CategoricalCrossentropy(Loss):
    def forward(self, y_pred, y_true):
        # Return -log(right-class confidence) per sample, shape (n_samples,).
        ### BEGIN SOLUTION
        safe = np.clip(y_pred, 1e-7, 1 - 1e-7)
        if len(y_true.shape) == 1:
            right_class = safe[np.arange(safe.shape[0]), y_true]
        else:
            right_class = np.sum(safe * y_true, axis=1)
        return -np.log(right_class)
        ### END SOLUTION


# %% nbgrader={"grade": true, "grade_id": "test_cce_forward", "locked": true, "points": 2, "schema_version": 3, "solution": false, "task": false}
check("cce_forward", Loss_CategoricalCrossentropy)
### BEGIN HIDDEN TESTS
submit("cce_forward", Loss_CategoricalCrossentropy, seed=54163)
### END HIDDEN TESTS

# %% [markdown] nbgrader={"grade": false, "grade_id": "ch05_curve_explained", "locked": true, "schema_version": 3, "solution": false, "task": false}
# ## 5.5 The loss against the confidence in the right class
#
# The first panel plots your loss for one sample as its right-class confidence $p$
# runs from $10^{-10}$ to 1, on a logarithmic axis. On such an axis $-\log p$ is a
# straight line: every factor of 10 less confidence adds $\log 10 \approx 2.3$ to the
# loss. Left of $10^{-7}$ (shaded) the clip takes over and the curve is flat at about
# 16.1, where $-\log p$ (dashed) would have gone on climbing.
#
# The second panel looks at the other end: the loss against the *distance from
# certainty*, $1 - p$, with both axes logarithmic. Near certainty the loss is almost
# exactly $1 - p$ (since $-\log(1 - q) \approx q$ for small $q$): a straight line of
# slope 1. Below $10^{-7}$ (shaded) the top clip holds it at about $10^{-7}$ instead of
# letting it fall towards 0 (dashed).

# %%
loss_function = Loss_CategoricalCrossentropy()


def losses_at(confidence):
    """Your sample losses when the right class (class 0) gets each confidence."""
    rest = (1 - confidence) / 2
    y_pred = np.column_stack([confidence, rest, rest])
    return loss_function.forward(y_pred, np.zeros(len(confidence), dtype=int))


low = np.logspace(-10, 0, 300)
gap = np.logspace(-10, -1, 300)  # distance from certainty, 1 - p

fig, (left, right) = plt.subplots(1, 2, figsize=(11, 3.8))
left.plot(low, -np.log(low), color="grey", linestyle="--", label="-log p, unclipped")
left.plot(low, losses_at(low), color="tab:blue", label="your loss")
left.axvspan(1e-10, 1e-7, color="tab:orange", alpha=0.2, label="bottom clip: p < 1e-7")
left.set_xscale("log")
left.set_title("little confidence in the right class")
left.set_xlabel("confidence in the right class, p")
left.set_ylabel("sample loss")
left.legend()

right.plot(gap, -np.log1p(-gap), color="grey", linestyle="--", label="-log p, unclipped")
right.plot(gap, losses_at(1 - gap), color="tab:blue", label="your loss")
right.axvspan(1e-10, 1e-7, color="tab:orange", alpha=0.2, label="top clip: p > 1 - 1e-7")
right.set_xscale("log")
right.set_yscale("log")
right.set_title("near certainty")
right.set_xlabel("distance from certainty, 1 - p")
right.set_ylabel("sample loss")
right.legend()
plt.show()
plt.close(fig)


# %% [markdown] nbgrader={"grade": false, "grade_id": "ch05_accuracy_explained", "locked": true, "schema_version": 3, "solution": false, "task": false}
# ## 5.6 Accuracy
#
# The network's **prediction** for a sample is the class with the largest softmax
# output: `np.argmax(softmax_outputs, axis=1)`, one class index per row (`axis=1`
# searches along each row; `axis=0` would search down each column, which means
# something else entirely). The **accuracy** is the fraction of predictions equal to
# the targets: `np.mean(predictions == targets)`. The comparison gives `True`/`False`
# per sample, and the mean of booleans is the share of `True`s, a number between 0 and
# 1.
#
# Targets may again be one-hot. Turn them into class indices first, with the same
# argmax: the position of the 1 in each row is `np.argmax(class_targets, axis=1)`.
#
# **Your task:** write `Accuracy_Argmax.calculate(softmax_outputs, class_targets)`,
# returning the accuracy for sparse or one-hot targets. (The book writes these lines
# loose; the class gives them a name and a test. Chapter 18 builds the book's own
# accuracy classes.)
#
# <details><summary>Hint</summary>
#
# Three lines: `predictions = np.argmax(softmax_outputs, axis=1)`; when
# `len(class_targets.shape) == 2`, replace `class_targets` by its argmax along
# `axis=1`; return `np.mean(predictions == class_targets)`.
#
# </details>


# %% nbgrader={"grade": false, "grade_id": "ch05_accuracy", "locked": false, "schema_version": 3, "solution": true, "task": false}
class Accuracy_Argmax:
    def calculate(self, softmax_outputs, class_targets):
        # Return the fraction of rows whose largest output is at the target class.
        ### BEGIN SOLUTION
        predictions = np.argmax(softmax_outputs, axis=1)
        if len(class_targets.shape) == 2:
            class_targets = np.argmax(class_targets, axis=1)
        return np.mean(predictions == class_targets)
        ### END SOLUTION


# %% nbgrader={"grade": true, "grade_id": "test_accuracy_argmax", "locked": true, "points": 1, "schema_version": 3, "solution": false, "task": false}
check("accuracy_argmax", Accuracy_Argmax)
### BEGIN HIDDEN TESTS
submit("accuracy_argmax", Accuracy_Argmax, seed=56241)
### END HIDDEN TESTS

# %% [markdown] nbgrader={"grade": false, "grade_id": "ch05_same_accuracy_explained", "locked": true, "schema_version": 3, "solution": false, "task": false}
# **What accuracy misses.** Two networks classify the same four samples, all of class
# 0. Both get three right and one wrong, so both have an accuracy of 0.75. The first is
# confident when right and only narrowly wrong; the second is barely right three times
# and confidently wrong once. The loss tells them apart (the second's is more than five
# times the first's); accuracy cannot.

# %%
targets = np.array([0, 0, 0, 0])
confident = np.array(
    [
        [0.90, 0.05, 0.05],
        [0.85, 0.10, 0.05],
        [0.95, 0.03, 0.02],
        [0.40, 0.45, 0.15],
    ]
)
hesitant = np.array(
    [
        [0.40, 0.35, 0.25],
        [0.38, 0.32, 0.30],
        [0.45, 0.30, 0.25],
        [0.02, 0.95, 0.03],
    ]
)

loss_function = Loss_CategoricalCrossentropy()
accuracy = Accuracy_Argmax()
for name, outputs in (("confident", confident), ("hesitant", hesitant)):
    loss = loss_function.calculate(outputs, targets)
    acc = accuracy.calculate(outputs, targets)
    print(f"{name:>9}: accuracy {acc:.2f}, loss {loss:.3f}")

# %% [markdown] nbgrader={"grade": false, "grade_id": "ch05_spiral_explained", "locked": true, "schema_version": 3, "solution": false, "task": false}
# ## 5.7 The untrained network, measured
#
# Chapter 4's whole forward pass once more: 100 spiral points for each of 3 classes,
# `Layer_Dense(2, 3)` → ReLU → `Layer_Dense(3, 3)` → softmax, with the data and the
# weights drawn from one `RandomState(0)` in the book's order. Now it gets a score.
#
# You should see a loss of about **1.0986** and an accuracy of **0.34**. The loss is
# no accident: every row is almost exactly $1/3, 1/3, 1/3$, and $-\log(1/3) = \ln 3
# \approx 1.0986$ is the loss of a network that has no opinion at all. The accuracy of
# 0.34 is no better than guessing: as the count at the end shows, nearly every point
# is given the same class. This is the starting line that chapter 6 tries to move
# from by guessing weights, and chapters 9 and 10 by following the gradient.

# %%
rng = np.random.RandomState(0)
X, y = spiral_data(samples=100, classes=3, rng=rng)

dense1 = Layer_Dense(2, 3, rng=rng)
activation1 = Activation_ReLU()
dense2 = Layer_Dense(3, 3, rng=rng)
activation2 = Activation_Softmax()

dense1.forward(X)
activation1.forward(dense1.output)
dense2.forward(activation1.output)
activation2.forward(dense2.output)

loss = Loss_CategoricalCrossentropy().calculate(activation2.output, y)
acc = Accuracy_Argmax().calculate(activation2.output, y)
print(f"loss: {loss:.7f} (ln 3 = {np.log(3):.7f}), acc: {acc:.2f}")
counts = np.bincount(np.argmax(activation2.output, axis=1), minlength=3)
print("points predicted as class 0, 1, 2:", counts)

# %% [markdown] nbgrader={"grade": false, "grade_id": "ch05_next", "locked": true, "schema_version": 3, "solution": false, "task": false}
# ## What next
#
# We can now score a network, so we can compare two settings of its weights and keep
# the better one. Chapter 6 tries exactly that, with nothing but random guesses, and
# finds out how far guessing gets.
