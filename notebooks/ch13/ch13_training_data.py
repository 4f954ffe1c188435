# %% [markdown] nbgrader={"grade": false, "grade_id": "ch13_intro", "locked": true, "schema_version": 3, "solution": false, "task": false}
# # Chapter 13 · Training dataset
#
# Chapters 11 and 12 split the data into training, validation and test sets. This
# chapter looks at the training data itself: how to prepare it so that a network can
# learn from it at all, how to apply exactly the same preparation to every other piece
# of data the network will ever see, how to get more training data out of what you
# have, and how much of it is needed.
#
# The examples use real images: the 1,797 handwritten digits, 8×8 pixels each, that
# ship with scikit-learn (`nnfs_core.load_digits`), a small stand-in for the
# Fashion-MNIST images of chapter 19.
#
# | section | you write | graded check | points |
# |---|---|---|---|
# | 13.1 | (why inputs need scaling) | | |
# | 13.2 | (two fixed ranges for pixels) | | |
# | 13.3 | `MinMaxScaler.fit`, `.transform` | `minmax_scaler` | 2 |
# | 13.4 | (fit on training data only: what goes wrong otherwise) | | |
# | 13.5 | (augmentation) | | |
# | 13.6 | (how much data) | | |
#
# ### How to check your work
#
# Run the cell with your class, then the test cell under it. A green ✓ block
# means your scaler, fitted on training data, transformed that data, test data and a
# single new sample exactly as the reference does, for the ranges `(0, 1)` and
# `(-1, 1)`, including a feature that is constant in the training data and test values
# beyond the training range. Otherwise the test shows a ✗ block (a `CheckFailed` error) that
# says what differs and, for the usual slips (statistics recomputed in `transform`,
# taken over the wrong axis, a division by a range of zero, a missing shift to the
# lower end of the range...), names the slip. A method you have not written yet
# raises `NotImplementedError`, and its test reports *not implemented yet*.
#
# ### Stuck?
#
# The book scales with fixed formulas inline, so `nnfs_core.book` has no twin for the
# scaler, but `nnfs_core` has a reference with the same interface: run
# `from nnfs_core import MinMaxScaler` in a new cell below the exercise to carry on
# with it. The network, loss and optimizers are your earlier classes where they pass,
# the reference's otherwise (the line under the imports says which).

# %% nbgrader={"grade": false, "grade_id": "ch13_imports", "locked": true, "schema_version": 3, "solution": false, "task": false}
import matplotlib.pyplot as plt
import numpy as np

from autograder import check, submit
from autograder.library import components
from nnfs_core import load_digits, train_test_split

# Earlier chapters' classes: yours where they pass in your workspace, else the reference
(
    Activation_ReLU,
    Activation_Softmax_Loss_CategoricalCrossentropy,
    Layer_Dense,
    Optimizer_Adam,
    Optimizer_SGD,
) = components(
    "Activation_ReLU",
    "Activation_Softmax_Loss_CategoricalCrossentropy",
    "Layer_Dense",
    "Optimizer_Adam",
    "Optimizer_SGD",
    chapter="ch13",
)

# %% [markdown] nbgrader={"grade": false, "grade_id": "ch13_data_explained", "locked": true, "schema_version": 3, "solution": false, "task": false}
# ## 13.1 Why inputs need scaling
#
# **The data.** Each digit is stored as 64 numbers from 0 to 16 (the amount of ink in
# a 4×4 block of a larger scan). The cell below stretches them to 0..255, the range of
# an ordinary 8-bit greyscale image such as a Fashion-MNIST photo, so that the book's
# formulas for pixels apply as they are. It flattens each image into a row of 64
# features and sets a quarter of the images aside as test data (chapter 11), with
# `nnfs_core.train_test_split`, which shuffles first (chapter 12). It also defines the
# small network used throughout: 64 inputs → 32 ReLU neurons → 10 classes, trained on
# the whole training set in every step.

# %%
images, labels = load_digits()
pixels = images * (255 / 16)  # as if stored as 8-bit pixels, 0..255
X_all = pixels.reshape(len(pixels), -1)  # one row of 64 features per image
X_train, X_test, y_train, y_test = train_test_split(
    X_all, labels, test_fraction=0.25, rng=np.random.RandomState(13)
)
print(f"training data {X_train.shape}, test data {X_test.shape}")
print(f"pixel values from {X_all.min():g} to {X_all.max():g}")


def train_network(X, y, optimizer, epochs=200, hidden=32, seed=0):
    """64 -> hidden (ReLU) -> 10 classes; returns predict(X) and the loss per epoch."""
    rng = np.random.RandomState(seed)
    dense1, activation1 = Layer_Dense(X.shape[1], hidden, rng=rng), Activation_ReLU()
    dense2 = Layer_Dense(hidden, 10, rng=rng)
    loss_activation = Activation_Softmax_Loss_CategoricalCrossentropy()
    losses = []
    for _ in range(epochs):
        dense1.forward(X)
        activation1.forward(dense1.output)
        dense2.forward(activation1.output)
        losses.append(loss_activation.forward(dense2.output, y))
        loss_activation.backward(loss_activation.output, y)
        dense2.backward(loss_activation.dinputs)
        activation1.backward(dense2.dinputs)
        dense1.backward(activation1.dinputs)
        optimizer.pre_update_params()
        optimizer.update_params(dense1)
        optimizer.update_params(dense2)
        optimizer.post_update_params()

    def predict(X_new):
        dense1.forward(X_new)
        activation1.forward(dense1.output)
        dense2.forward(activation1.output)
        return np.argmax(dense2.output, axis=1)

    return predict, losses


# %% [markdown] nbgrader={"grade": false, "grade_id": "ch13_why_explained", "locked": true, "schema_version": 3, "solution": false, "task": false}
# **Why scale.** A dense layer's first weights are tiny (`0.01 * randn`), and the
# optimizers' default learning rates are tuned for inputs of roughly unit size. Feed
# in values in the hundreds and everything is off by a factor of a hundred or more:
# the weighted sums are large, so the first training steps are huge and throw the
# weights far away, often into a state where many ReLU neurons output 0 for every
# sample and receive no gradient ever again. Features on different scales cause a
# milder version of the same trouble: the large ones dominate the sums and the
# gradients, the small ones are hardly heard. And inputs spread around 0, negative
# as well as positive, tend to train faster than inputs that are all positive.
#
# So neural networks get their inputs scaled, usually into **[0, 1]** or **[-1, 1]**.
# The cell below trains the same network with the same plain SGD (learning rate 1,
# 200 epochs) three times: on the raw pixels, on pixels divided by 255, and on pixels
# mapped to [-1, 1] (13.2 explains the formulas). **What to expect:** on raw pixels the
# loss jumps above 14 in the first few epochs and then sits at
# $\ln 10 \approx 2.30$, guessing, for good; the test accuracy is about 0.08: the
# network has died. Scaled to [0, 1] it ends with a loss of about 0.06 and a test
# accuracy of about 0.96. Scaled to [-1, 1] it reaches the same accuracy and gets
# going sooner: at epoch 10 its loss is about 1.6, while the [0, 1] run is still near
# 2.3.

# %%
scalings = {
    "raw pixels, 0..255": lambda X: X,
    "pixels / 255, [0, 1]": lambda X: X / 255,
    "(pixels - 127.5) / 127.5, [-1, 1]": lambda X: (X - 127.5) / 127.5,
}
fig, ax = plt.subplots(figsize=(7, 3.5))
for name, scale in scalings.items():
    predict, losses = train_network(scale(X_train), y_train, Optimizer_SGD(learning_rate=1.0))
    accuracy = np.mean(predict(scale(X_test)) == y_test)
    shown = f"{losses[0]:.2f}, {losses[10]:.2f}, {losses[-1]:.3f}"
    print(f"{name:<34} loss at epochs 0, 10, 199: {shown}; test accuracy {accuracy:.3f}")
    ax.plot(losses, label=name)
ax.set(xlabel="epoch", ylabel="training loss", title="the same SGD, three scalings of the input")
ax.legend()
plt.show()
plt.close(fig)

# %% [markdown] nbgrader={"grade": false, "grade_id": "ch13_fixed_explained", "locked": true, "schema_version": 3, "solution": false, "task": false}
# ## 13.2 Two fixed ranges for pixels
#
# When the possible range of every feature is known in advance, as for 8-bit pixels
# (0 to 255), scaling is a fixed formula applied the same way to every image ever:
#
# * to **[0, 1]**: $x / 255$;
# * to **[-1, 1]**: $(x - 127.5) / 127.5$. Subtracting half the range centres the
#   values on 0; dividing by half the range stretches them to ±1. (Dividing by 255
#   and then computing $2x - 1$ gives the same numbers.)
#
# The book uses the second for Fashion-MNIST in chapter 19. Either works; what
# matters is using the **same** formula for training, validation, test and any image
# the network is later asked about.

# %%
some_pixels = np.array([0.0, 63.75, 127.5, 191.25, 255.0])
print("pixels:                  ", some_pixels)
print("x / 255:                 ", some_pixels / 255)
print("(x - 127.5) / 127.5:     ", (some_pixels - 127.5) / 127.5)
print("2 * (x / 255) - 1 (same):", 2 * (some_pixels / 255) - 1)


# %% [markdown] nbgrader={"grade": false, "grade_id": "ch13_scaler_explained", "locked": true, "schema_version": 3, "solution": false, "task": false}
# ## 13.3 A scaler that learns its range from the training data
#
# Most data has no known range: a temperature, a price, a count. Then the range is
# taken from the **training data**, feature by feature (column by column), and
# remembered, so that validation data, test data and every future sample are scaled
# with the very same numbers. That is two steps, and a scaler object keeps them apart:
#
# * `fit(X_train)` computes each feature's minimum and maximum over the training
#   samples, that is over **axis 0**: `X.min(axis=0)`, shape `(n_features,)`. It
#   returns `self` (given), so that `scaler.fit(X).transform(X)` reads naturally.
# * `transform(X)` maps every value of feature $j$ with those remembered numbers:
#
# $$x' = \text{low} + \frac{x - \min_j}{\max_j - \min_j}\,(\text{high} - \text{low}),$$
#
#   where `(low, high) = self.feature_range`. A feature's training minimum becomes
#   `low` and its maximum `high`. For `(-1, 1)` this stretches the [0, 1] result by 2
#   **and shifts it down by 1**; forgetting either gives [0, 2] or [-1, 0].
#
# Two decisions, part of the task because the test checks them:
#
# * **A constant feature** (the same value in every training sample, like a corner
#   pixel that is always blank) has $\max_j - \min_j = 0$. Dividing by it gives NaN.
#   Take such a feature's range as **1** instead, e.g.
#   `np.where(spread == 0, 1, spread)`; its training value then maps to `low`.
# * **No clipping.** A test value above the training maximum maps above `high`. That
#   tells the network the truth: the value is beyond anything it has seen.
#
# `transform` returns a new array and changes neither the data it is given nor the
# remembered statistics: it must never recompute them from its input.
#
# **Your task:** `fit` and `transform`.


# %% nbgrader={"grade": false, "grade_id": "ch13_scaler", "locked": false, "schema_version": 3, "solution": true, "task": false}
class MinMaxScaler:
    def __init__(self, feature_range=(0, 1)):
        self.feature_range = feature_range

    def fit(self, X):
        # Remember each feature's minimum and range (a range of 0 counts as 1).
        ### BEGIN SOLUTION
        self.min = X.min(axis=0)
        spread = X.max(axis=0) - self.min
        self.range = np.where(spread == 0, 1.0, spread)
        ### END SOLUTION
        return self

    def transform(self, X):
        # Return X mapped into feature_range with the remembered statistics.
        ### BEGIN SOLUTION
        low, high = self.feature_range
        return low + (X - self.min) / self.range * (high - low)
        ### END SOLUTION


# %% nbgrader={"grade": true, "grade_id": "test_minmax_scaler", "locked": true, "points": 2, "schema_version": 3, "solution": false, "task": false}
check("minmax_scaler", MinMaxScaler)
### BEGIN HIDDEN TESTS
submit("minmax_scaler", MinMaxScaler, seed=133743)
### END HIDDEN TESTS

# %% [markdown] nbgrader={"grade": false, "grade_id": "ch13_fit_once_explained", "locked": true, "schema_version": 3, "solution": false, "task": false}
# ## 13.4 Fit on the training data only
#
# Why not simply scale each dataset by its own minimum and maximum? Because then the
# same raw value means different things in different datasets. Picture a feature
# "room size" that ran from 10 to 50 m² in training: a 30 m² room is 0.5. Now a batch
# of only small rooms, 10 to 30 m², arrives and is scaled on its own: the 30 m² room
# becomes 1.0, which the network learned to read as 50 m². Worst of all is a single
# sample: its minimum equals its maximum, every feature is "constant", and everything
# maps to `low`. The network is then shown the same blank input whatever the sample
# was.
#
# The cell below trains the network with Adam on the digits scaled by **your**
# `MinMaxScaler`, fitted on the training images only, and then scales the test images
# in several ways before predicting. **What to expect:** with the training scaler the
# test accuracy is about 0.97. Scaling the whole test set on its own changes almost
# nothing here (about 0.97 as well): 449 test images span nearly the same range per
# pixel as 1,348 training images. The smaller the batch, the worse it gets: batches
# of 20 scaled on their own give about 0.945, batches of 5 about 0.87, and single
# images about 0.10, chance level for ten classes, because every image becomes all
# zeros. A batch holding a single class is distorted too: the test images of the
# digit 1, scaled on their own, are recognised about 77 % of the time instead of
# about 98 %.
#
# The rule: **fit once, on the training data; transform everything with that fit.**
# The fitted scaler belongs to the model as much as its weights do: keep it with
# them, and prepare every new sample with it (chapter 22 prepares new images exactly
# the way the training images were prepared).

# %%
scaler = MinMaxScaler().fit(X_train)  # training data only
adam = Optimizer_Adam(learning_rate=0.01)
predict, losses = train_network(scaler.transform(X_train), y_train, adam)


def accuracy_scaled_on_its_own(X, y, batch_size):
    right = 0
    for start in range(0, len(X), batch_size):
        batch = X[start : start + batch_size]
        own = MinMaxScaler().fit(batch).transform(batch)  # the mistake, on purpose
        right += np.sum(predict(own) == y[start : start + batch_size])
    return right / len(X)


print(f"final training loss {losses[-1]:.3f}")
right = np.mean(predict(scaler.transform(X_test)) == y_test)
print(f"test images scaled with the training scaler: {right:.3f}")
batches = {
    "the whole test set scaled on its own": len(X_test),
    "batches of 20 scaled on their own": 20,
    "batches of 5 scaled on their own": 5,
    "single images scaled on their own": 1,
}
for name, batch_size in batches.items():
    wrong = accuracy_scaled_on_its_own(X_test, y_test, batch_size)
    print(f"{name + ':':<44} {wrong:.3f}")
ones = X_test[y_test == 1]
right = np.mean(predict(scaler.transform(ones)) == 1)
wrong = np.mean(predict(MinMaxScaler().fit(ones).transform(ones)) == 1)
print(f"only the digit 1: training scaler {right:.3f}, scaled on their own {wrong:.3f}")


# %% [markdown] nbgrader={"grade": false, "grade_id": "ch13_augment_explained", "locked": true, "schema_version": 3, "solution": false, "task": false}
# ## 13.5 Augmentation: more training data from the data you have
#
# Collecting and labelling data is expensive. For some kinds of data, new training
# samples can be made from existing ones by changes that do not change the answer:
# an image shifted by a pixel, flipped, slightly rotated or zoomed, with a little
# noise or another brightness; a sound with background noise; a sentence with a word
# swapped for a synonym. This is **data augmentation**. Its value is that the network
# sees the variations real data will have, and learns to ignore them instead of
# memorising the exact position of each pixel.
#
# The change must keep the label right, and what does depends on the problem. A
# horizontally flipped trouser is still a trouser, so flips suit Fashion-MNIST; a
# flipped 3 is no longer a 3 (a flipped 0 or 8 still is), so flips do not suit
# digits. A shift of one pixel is harmless on a 28×28 photo and already a big change
# on an 8×8 digit, an eighth of its width. Always look at what the augmentation
# produces, as in the gallery below.
#
# Augmentation is for **training** data only: validation and test data must stay what
# the real data will be, or their scores stop measuring anything real.


# %%
def shift(images, dx, dy):
    """Move every image dx pixels right and dy pixels down; blank pixels come in."""
    moved = np.zeros_like(images)
    height, width = images.shape[1:]
    moved[:, max(dy, 0) : height + min(dy, 0), max(dx, 0) : width + min(dx, 0)] = images[
        :, max(-dy, 0) : height + min(-dy, 0), max(-dx, 0) : width + min(-dx, 0)
    ]
    return moved


noise_rng = np.random.default_rng(13)
augmentations = {
    "original": lambda im: im,
    "1 px right": lambda im: shift(im, 1, 0),
    "1 px up": lambda im: shift(im, 0, -1),
    "flipped left-right": lambda im: im[:, :, ::-1],
    "noise": lambda im: np.clip(im + noise_rng.normal(0, 40, im.shape), 0, 255),
}
train_images = X_train.reshape(-1, 8, 8)
examples = np.array([np.flatnonzero(y_train == digit)[0] for digit in (0, 3, 7)])

fig, axes = plt.subplots(len(examples), len(augmentations), figsize=(8, 5))
for column, (name, augment) in enumerate(augmentations.items()):
    changed = augment(train_images[examples])
    for row in range(len(examples)):
        axes[row, column].imshow(changed[row], cmap="gray_r", vmin=0, vmax=255)
        axes[row, column].set_xticks([])
        axes[row, column].set_yticks([])
    axes[0, column].set_title(name, fontsize=9)
plt.show()
plt.close(fig)

# %% [markdown] nbgrader={"grade": false, "grade_id": "ch13_augment_measured_explained", "locked": true, "schema_version": 3, "solution": false, "task": false}
# **What shifting buys.** The cell below takes a small training set, 30 images per
# digit, and trains the network twice: on those 300 images, and on 1,500 made of
# them and their copies shifted one pixel left, right, up and down. It tests both on
# the ordinary test images and on the same test images each shifted one pixel in a
# random direction, the kind of variation a sloppier scanner would produce.
#
# **What to expect:** trained without augmentation, the network scores about 0.94 on
# the ordinary test images but only about 0.38 on the shifted ones: it has learned
# where the ink of each digit sits, to the pixel. Trained with the shifted copies, it
# scores about 0.86 on the shifted test images, and about 0.90 on the ordinary ones,
# a few points less than without augmentation, because a one-pixel shift is a large
# change on an 8×8 image and these test digits happen to be centred. Augmentation
# buys robustness to the variations you add, and is worth its price exactly when
# real data varies that way.

# %%
PER_CLASS = 30


def per_digit(count, seed=0):
    """Indices of `count` randomly chosen training images of every digit."""
    pick = np.random.default_rng(seed)
    chosen = [pick.permutation(np.flatnonzero(y_train == d))[:count] for d in range(10)]
    return np.concatenate(chosen)


chosen = per_digit(PER_CLASS)
few_images, few_labels = train_images[chosen], y_train[chosen]
moves = [(1, 0), (-1, 0), (0, 1), (0, -1)]
augmented = np.concatenate([few_images] + [shift(few_images, dx, dy) for dx, dy in moves])
augmented_labels = np.tile(few_labels, 1 + len(moves))

test_images = X_test.reshape(-1, 8, 8)
direction = np.random.default_rng(1).integers(len(moves), size=len(test_images))
shifted_test = np.stack([shift(im[None], *moves[d])[0] for im, d in zip(test_images, direction)])


def flat(images):
    return images.reshape(len(images), -1) / 255


for name, (images, targets) in {
    f"{len(few_images)} images": (few_images, few_labels),
    f"{len(augmented)} images, shifted copies included": (augmented, augmented_labels),
}.items():
    predict, _ = train_network(flat(images), targets, Optimizer_Adam(learning_rate=0.01))
    plain = np.mean(predict(flat(test_images)) == y_test)
    moved = np.mean(predict(flat(shifted_test)) == y_test)
    print(f"trained on {name}: test accuracy {plain:.3f}, on shifted test images {moved:.3f}")

# %% [markdown] nbgrader={"grade": false, "grade_id": "ch13_how_much_explained", "locked": true, "schema_version": 3, "solution": false, "task": false}
# ## 13.6 How much data?
#
# There is no formula; it depends on how hard the problem is, how many classes and
# features it has, how noisy its labels are and how big the network is. The best
# guide is your own data: train on growing parts of it and watch the test accuracy,
# a **learning curve**. The cell below does that for the digits, from 2 to 100
# training images per digit (the whole training set has about 135 per digit).
#
# **What to expect:** with 2 images per digit the network already reaches about 0.72;
# 5 per digit give about 0.84, 10 about 0.89, 20 about 0.93, 50 about 0.95 and 100
# about 0.96. Training accuracy is 1.0 every time: the network memorises small sets
# completely, and the gap to the test accuracy (chapter 11) shrinks as data grows.
# Each doubling of the data buys less than the one before. If the curve is still
# climbing steeply at the amount you have, more data is the best investment you can
# make; if it has flattened, look elsewhere (a better model, better features).
#
# Rough guidance, to be checked against such a curve:
#
# * tiny, clean problems like these 8×8 digits: tens to a few hundred samples per
#   class already go a long way;
# * realistic images or sounds: thousands of samples per class are usual
#   (Fashion-MNIST, chapter 19, has 6,000 per class), and harder tasks need far more;
# * keep the classes roughly balanced: a class with few samples is learned poorly,
#   and the accuracy over all samples hides it;
# * more samples than the network has parameters is a comfortable position; far
#   fewer invites memorising (chapter 11's network had 387 parameters for 300
#   points).

# %%
sizes = [2, 5, 10, 20, 50, 100]  # training images per digit
test_accuracy = []
for per_class in sizes:
    chosen = per_digit(per_class)
    X_few, y_few = X_train[chosen] / 255, y_train[chosen]
    predict, _ = train_network(X_few, y_few, Optimizer_Adam(learning_rate=0.01))
    train_accuracy = np.mean(predict(X_few) == y_few)
    test_accuracy.append(np.mean(predict(X_test / 255) == y_test))
    print(f"{per_class:>3} per digit: training {train_accuracy:.3f}, test {test_accuracy[-1]:.3f}")

fig, ax = plt.subplots(figsize=(6, 3.5))
ax.plot(sizes, test_accuracy, marker="o")
ax.set(xscale="log", xlabel="training images per digit", ylabel="test accuracy", ylim=(0.5, 1))
ax.set_xticks(sizes, [str(s) for s in sizes])
ax.set_title("a learning curve: more data, smaller gains")
plt.show()
plt.close(fig)
