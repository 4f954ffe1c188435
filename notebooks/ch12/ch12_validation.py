# %% [markdown] nbgrader={"grade": false, "grade_id": "ch12_intro", "locked": true, "schema_version": 3, "solution": false, "task": false}
# # Chapter 12 · Validation data
#
# Chapter 11 measured the network on test data it had never trained on, and found it
# overfitting. The cures (fewer neurons, fewer epochs, a penalty, another learning
# rate...) are all **hyperparameters**: settings chosen by us rather than learned by
# the optimizer. This chapter is about choosing them without spoiling the test data.
# The answer is a third set of data, **validation data**, carved out of the training
# data, and when data is short, **k-fold cross-validation**, which lets every training
# sample take a turn at being validation data.
#
# | section | you write | graded check | points |
# |---|---|---|---|
# | 12.1 | (why choosing by the test score leaks) | | |
# | 12.2 | `HoldOut.split` | `holdout_split` | 2 |
# | 12.3 | `KFold.split` | `kfold_split` | 2 |
# | 12.4 | (a learning-rate search on validation accuracy) | | |
# | 12.5 | (the workflow, start to finish) | | |
#
# ### How to check your work
#
# Run the cell with your class, then the test cell under it. A shuffle has no single
# right answer, so these checks look at properties rather than numbers: every sample
# ends up on exactly one side (in exactly one validation fold), each sample keeps its
# label, the sizes are the ones asked for, the data really were shuffled (the check's
# data arrive sorted by class, as `spiral_data` returns them), and the generator you
# were given is the one that shuffled (same seed, same split; another seed, another
# split). A green ✓ block means all of that holds. Otherwise the test shows a ✗ block (a `CheckFailed` error) that says which property failed and, for the usual slips
# (no shuffle, `X` and `y` shuffled separately, folds that overlap or leave samples
# out...), names the slip. A method you have not written yet raises
# `NotImplementedError`, and its test reports *not implemented yet*.
#
# ### Stuck?
#
# The book writes these steps inline, so `nnfs_core.book` has no twin for them, but
# `nnfs_core` has reference classes with the same interface: run
# `from nnfs_core import HoldOut` (or `KFold`) in a new cell below the exercise to
# carry on with the reference. The network, loss and optimizer are imported from
# `nnfs_core.book`.

# %% nbgrader={"grade": false, "grade_id": "ch12_imports", "locked": true, "schema_version": 3, "solution": false, "task": false}
import matplotlib.pyplot as plt
import numpy as np
from matplotlib.colors import ListedColormap

from autograder import check, submit
from autograder.library import components
from nnfs_core.book import spiral_data
from nnfs_core.plotting import class_colors

# Earlier chapters' classes: yours where they pass in your workspace, else the reference
Activation_ReLU, Activation_Softmax_Loss_CategoricalCrossentropy, Layer_Dense, Optimizer_Adam = (
    components(
        "Activation_ReLU",
        "Activation_Softmax_Loss_CategoricalCrossentropy",
        "Layer_Dense",
        "Optimizer_Adam",
        chapter="ch12",
    )
)

# %% [markdown] nbgrader={"grade": false, "grade_id": "ch12_leak_explained", "locked": true, "schema_version": 3, "solution": false, "task": false}
# ## 12.1 Why choosing by the test score leaks
#
# Say we train the chapter 11 network with twenty different settings (learning rates,
# widths, numbers of epochs) and keep the one with the best test accuracy. The test
# data never took part in a training step, so its score still looks like an honest
# out-of-sample measurement. It is not. Each test accuracy is a measurement on a
# finite sample and carries noise (section 11.6: about ±0.02 with 300 points), and the
# winner of twenty noisy measurements is, more often than not, a setting whose noise
# happened to be favourable. Its score overstates how well it will do on new data,
# and nothing is left to find that out with. The test data has **leaked** into the
# model: not through the weights but through our choice.
#
# The simulation below makes the effect visible without any training. It pretends
# that twenty settings all have exactly the same true accuracy, 0.80, and measures
# each on 300 test points (a binomial draw of how many come out right). Then it picks
# the best and measures that one again on 300 fresh points. The winner looks about
# 0.04 better than it is; on fresh data it falls back to about 0.80. Repeated a
# thousand times, the winner's test score averages about 0.84, for settings that are
# all equally good.
#
# The remedy: choose with data that is neither the training data nor the test data.
# That is **validation data**. The test data is then used exactly **once**, at the
# very end, to measure the model that the validation data chose.

# %%
rng = np.random.default_rng(12)
TRUE_ACCURACY, N_TEST, N_SETTINGS = 0.80, 300, 20

test_scores = rng.binomial(N_TEST, TRUE_ACCURACY, size=N_SETTINGS) / N_TEST
winner = int(np.argmax(test_scores))
fresh_score = rng.binomial(N_TEST, TRUE_ACCURACY) / N_TEST
lowest, highest = test_scores.min(), test_scores.max()
print(f"test accuracies of {N_SETTINGS} equally good settings: {lowest:.3f} to {highest:.3f}")
print(f"the winner, setting {winner}, scored {test_scores[winner]:.3f} on the test set")
print(f"on fresh data it scores {fresh_score:.3f}; the true accuracy: {TRUE_ACCURACY:.3f}")

best_of_many = rng.binomial(N_TEST, TRUE_ACCURACY, size=(1000, N_SETTINGS)).max(axis=1) / N_TEST
print(f"over 1,000 repetitions the winner's test score averages {best_of_many.mean():.3f}")


# %% [markdown] nbgrader={"grade": false, "grade_id": "ch12_holdout_explained", "locked": true, "schema_version": 3, "solution": false, "task": false}
# ## 12.2 A hold-out split
#
# The simplest way to get validation data: before training, set aside part of the
# training data, say 20 %, train on the rest, and compare settings by their score on
# the part set aside. (With a generator such as `spiral_data` we could also just draw
# another spiral, as chapter 11 did for its test data; real datasets come in one
# piece, and both the validation and the test data must be cut from it.)
#
# Two details decide whether the split is sound:
#
# * **Shuffle first.** `spiral_data` returns all of class 0, then all of class 1,
#   then all of class 2, and real datasets are often sorted too (by class, by date, by
#   source). Cutting the last 20 % off sorted data gives a validation set of one class
#   that the training set barely contains. The demonstration after the test cell
#   shows it.
# * **Keep the pairs together.** Shuffle `X` and `y` with the *same* permutation:
#   `order = self.rng.permutation(len(X))`, then `X[order]` and `y[order]`. Two
#   separate shuffles hand every sample someone else's label.
#
# Also: do not reorder the arrays you are given in place (`self.rng.shuffle(X)`
# would); index them, which makes new arrays. And draw the shuffle from `self.rng`,
# the generator handed to the constructor, so that the same seed gives the same split
# and an experiment can be repeated.
#
# **Your task:** `split(X, y)`. Put `round(self.validation_fraction * len(X))`
# shuffled samples on the validation side and the others on the training side, and
# return `X_train, X_val, y_train, y_val` (the order of
# `nnfs_core.train_test_split` and scikit-learn's `train_test_split`).


# %% nbgrader={"grade": false, "grade_id": "ch12_holdout", "locked": false, "schema_version": 3, "solution": true, "task": false}
class HoldOut:
    def __init__(self, validation_fraction=0.2, rng=None):
        self.validation_fraction = validation_fraction
        self.rng = np.random.default_rng() if rng is None else rng

    def split(self, X, y):
        # Shuffle X and y with one permutation from self.rng, keep
        # round(validation_fraction * len(X)) samples for validation;
        # return X_train, X_val, y_train, y_val.
        ### BEGIN SOLUTION
        n_val = round(self.validation_fraction * len(X))
        order = self.rng.permutation(len(X))
        val, train = order[:n_val], order[n_val:]
        return X[train], X[val], y[train], y[val]
        ### END SOLUTION


# %% nbgrader={"grade": true, "grade_id": "test_holdout_split", "locked": true, "points": 2, "schema_version": 3, "solution": false, "task": false}
check("holdout_split", HoldOut)
### BEGIN HIDDEN TESTS
submit("holdout_split", HoldOut, seed=122519)
### END HIDDEN TESTS

# %% [markdown] nbgrader={"grade": false, "grade_id": "ch12_holdout_demo_explained", "locked": true, "schema_version": 3, "solution": false, "task": false}
# **What the shuffle is for.** The cell below splits the book's spiral (300 points,
# sorted by class) two ways: by cutting off the last 20 % as it comes, and with your
# `HoldOut`. It counts how many points of each class land on the validation side. The
# unshuffled cut holds only class 2; yours holds all three classes in roughly equal
# numbers (about 20 each, give or take a few).

# %%
X, y = spiral_data(samples=100, classes=3, rng=np.random.RandomState(0))
X_train, X_val, y_train, y_val = HoldOut(0.2, rng=np.random.default_rng(0)).split(X, y)
cut = len(X) - len(X_val)

print("validation points per class (classes 0, 1, 2):")
print("  last 20 %, not shuffled:", np.bincount(y[cut:], minlength=3))
print("  your HoldOut:           ", np.bincount(y_val, minlength=3))
print(f"training side: {len(X_train)} points, validation side: {len(X_val)} points")


# %% [markdown] nbgrader={"grade": false, "grade_id": "ch12_kfold_explained", "locked": true, "schema_version": 3, "solution": false, "task": false}
# ## 12.3 k-fold cross-validation
#
# A hold-out split has two weaknesses when data is scarce. The network trains on only
# 80 % of the data, and the validation score rests on a small sample (60 points
# here), noisy enough to crown the wrong setting.
#
# **k-fold cross-validation** uses every sample for both. Shuffle the indices once and
# deal them into $k$ **folds** of (almost) equal size. Then train $k$ times: run $i$
# trains on all folds except fold $i$ and validates on fold $i$. Every sample is
# validated exactly once, by a network that never trained on it, and a setting's
# score is the **mean** of its $k$ validation scores. The price is $k$ trainings per
# setting instead of one. With $k = 3$ and 300 samples, each run trains on 200 and
# validates on 100.
#
# **Your task:** `split(n_samples)`: return a list of `k` pairs
# `(train_indices, validation_indices)`, each a 1-D integer array of sample indices,
# so that
#
# * the validation folds do not overlap and together hold every index
#   `0 .. n_samples - 1` (none left out when `n_samples` is not divisible by `k`);
# * their sizes differ by at most one: `np.array_split(order, self.k)` does this,
#   giving the first `n_samples % k` folds one extra index (a last fold that collects
#   all the leftovers does not);
# * each pair's training indices are all the indices outside its validation fold;
# * the order is shuffled once with `self.rng.permutation(n_samples)`: folds of
#   consecutive indices would be folds of one class on sorted data.


# %% nbgrader={"grade": false, "grade_id": "ch12_kfold", "locked": false, "schema_version": 3, "solution": true, "task": false}
class KFold:
    def __init__(self, k=5, rng=None):
        self.k = k
        self.rng = np.random.default_rng() if rng is None else rng

    def split(self, n_samples):
        # Return a list of k pairs (train_indices, validation_indices).
        ### BEGIN SOLUTION
        folds = np.array_split(self.rng.permutation(n_samples), self.k)
        pairs = []
        for i in range(self.k):
            train = np.concatenate(folds[:i] + folds[i + 1 :])
            pairs.append((train, folds[i]))
        return pairs
        ### END SOLUTION


# %% nbgrader={"grade": true, "grade_id": "test_kfold_split", "locked": true, "points": 2, "schema_version": 3, "solution": false, "task": false}
check("kfold_split", KFold)
### BEGIN HIDDEN TESTS
submit("kfold_split", KFold, seed=123631)
### END HIDDEN TESTS

# %% [markdown] nbgrader={"grade": false, "grade_id": "ch12_folds_picture_explained", "locked": true, "schema_version": 3, "solution": false, "task": false}
# **The folds, drawn.** One row per run of 3-fold cross-validation on the spiral, one
# column per sample (in the spiral's order: class 0, then 1, then 2). A coloured cell
# means the sample is in that run's validation fold, coloured by its class; white
# means it is in the run's training set. Each column is coloured in exactly one row,
# and each row holds all three colours.

# %%
folds = KFold(3, rng=np.random.default_rng(0)).split(len(X))
picture = np.full((len(folds), len(X)), np.nan)
for run, (_, validation) in enumerate(folds):
    picture[run, validation] = y[validation]

fig, ax = plt.subplots(figsize=(10, 1.8))
colours = ListedColormap(class_colors(3))
ax.imshow(picture, aspect="auto", cmap=colours, interpolation="nearest", vmin=0, vmax=2)
ax.set(xlabel="sample index (sorted by class, as spiral_data returns them)", ylabel="run")
ax.set_yticks(range(len(folds)))
plt.show()
plt.close(fig)
per_class = [np.bincount(y[validation], minlength=3).tolist() for _, validation in folds]
print("validation points per class (0, 1, 2) in each run:", per_class)

# %% [markdown] nbgrader={"grade": false, "grade_id": "ch12_search_explained", "locked": true, "schema_version": 3, "solution": false, "task": false}
# ## 12.4 A small hyperparameter search
#
# Now the whole procedure on chapter 11's network, choosing Adam's learning rate.
# The cell below:
#
# 1. draws the **test** data first and leaves it alone: a fresh
#    `spiral_data(samples=100, classes=3)` that nothing looks at until step 4;
# 2. for each candidate learning rate, runs 3-fold cross-validation on the 300
#    training points with **your** `KFold` (the same folds for every candidate, and
#    the same starting weights, so only the learning rate differs) and records the
#    mean validation accuracy;
# 3. picks the candidate with the best mean validation accuracy and trains it once
#    more on all 300 training points;
# 4. evaluates that one network on the test data, **once**, and reports it.
#
# The candidates, 0.001, 0.01, 0.1 and 0.5, are a coarse grid, a factor of about ten
# apart: a good first search when nothing is known yet. (A finer search around the
# winner would come next; searching every combination of several settings quickly
# becomes expensive, so try the likely ones first.) Each run trains 300 epochs, which
# keeps the cell to a few seconds.
#
# **What to expect.** Too small a rate barely moves in 300 epochs (0.001: mean
# validation accuracy about 0.35, hardly better than guessing); too large a rate
# jumps around and lands nowhere (0.5: about 0.35 as well); 0.01 reaches about 0.60
# and 0.1 about 0.73, so 0.1 is chosen. Its three fold scores spread over about 0.69
# to 0.79, which is why the mean of several folds is a better guide than one hold-out
# score. Retrained on all the training data, it scores about 0.76 on the test data,
# close to its validation estimate. With `EPOCHS = 1_000` (about three times as long)
# every candidate gets further (0.001: about 0.45, 0.01: about 0.68, 0.1: about 0.80,
# 0.5: still about 0.36), 0.1 is chosen again, and it scores about 0.80 on the test
# data.

# %%
EPOCHS = 300  # per training run; a longer search: 1_000
CANDIDATES = [0.001, 0.01, 0.1, 0.5]  # Adam's learning rate
K = 3


def train_network(X, y, learning_rate, epochs=EPOCHS, hidden=64, seed=1):
    """Chapter 11's network trained on (X, y); returns a function giving accuracy."""
    rng = np.random.RandomState(seed)  # the same starting weights for every run
    dense1, activation1 = Layer_Dense(2, hidden, rng=rng), Activation_ReLU()
    dense2 = Layer_Dense(hidden, 3, rng=rng)
    loss_activation = Activation_Softmax_Loss_CategoricalCrossentropy()
    optimizer = Optimizer_Adam(learning_rate=learning_rate, decay=5e-7)
    for _ in range(epochs):
        dense1.forward(X)
        activation1.forward(dense1.output)
        dense2.forward(activation1.output)
        loss_activation.forward(dense2.output, y)
        loss_activation.backward(loss_activation.output, y)
        dense2.backward(loss_activation.dinputs)
        activation1.backward(dense2.dinputs)
        dense1.backward(activation1.dinputs)
        optimizer.pre_update_params()
        optimizer.update_params(dense1)
        optimizer.update_params(dense2)
        optimizer.post_update_params()

    def accuracy(X_new, y_new):
        dense1.forward(X_new)
        activation1.forward(dense1.output)
        dense2.forward(activation1.output)
        return np.mean(np.argmax(dense2.output, axis=1) == y_new)

    return accuracy


X_test, y_test = spiral_data(samples=100, classes=3, rng=np.random.RandomState(5))  # 1. set aside
X, y = spiral_data(samples=100, classes=3, rng=np.random.RandomState(0))

folds = KFold(K, rng=np.random.default_rng(0)).split(len(X))  # 2. the same folds for all
mean_scores = {}
for learning_rate in CANDIDATES:
    scores = [train_network(X[tr], y[tr], learning_rate)(X[va], y[va]) for tr, va in folds]
    mean_scores[learning_rate] = np.mean(scores)
    shown = ", ".join(f"{s:.3f}" for s in scores)
    print(f"learning rate {learning_rate:<6}: per fold {shown}; mean {np.mean(scores):.3f}")

chosen = max(mean_scores, key=mean_scores.get)  # 3. chosen on validation only
final = train_network(X, y, chosen)
print(f"chosen: learning rate {chosen} (mean validation accuracy {mean_scores[chosen]:.3f})")
print(f"test accuracy, measured once: {final(X_test, y_test):.3f}")  # 4.

# %% [markdown] nbgrader={"grade": false, "grade_id": "ch12_workflow", "locked": true, "schema_version": 3, "solution": false, "task": false}
# ## 12.5 The workflow, start to finish
#
# 1. **Set the test data aside first**, before looking at anything: a random part of
#    the data (or, for a generator, a separate draw). It takes no part in training
#    and no part in any decision.
# 2. **Choose settings on validation data**: a hold-out split of the training data
#    when data is plentiful (one training run per setting), k-fold cross-validation
#    when it is scarce (k runs per setting, every sample used for both training and
#    validation, a steadier score). Shuffle in both cases, unless the order itself
#    matters: with data ordered in time, validate on the latest part, because in use
#    the model will only ever predict the future.
# 3. **Retrain the chosen setting on all the training data**, the validation part
#    included: after the choice is made, the validation data is just more data to
#    learn from.
# 4. **Test once.** That score is the honest estimate of how the model will do on new
#    data. If it disappoints and you go back to step 2, the test data has started to
#    take part in the choice, and the next test score is a little less honest than
#    the first (12.1). With real projects, some data is often kept back for exactly
#    that occasion.
#
# Chapter 13 looks at the training data itself: how to scale it, how much of it is
# needed, and how to get more of it from what you have.
