# %% [markdown] nbgrader={"grade": false, "grade_id": "ch20_intro", "locked": true, "schema_version": 3, "solution": false, "task": false}
# # Chapter 20 · Model evaluation
#
# Training prints a loss and an accuracy after every epoch, but those numbers describe
# the data the model is learning from, measured while dropout was switching neurons
# off. To know how good a model *is*, we run it on data it has never trained on, with
# every neuron switched on, and average the results over all of that data. This
# chapter adds that step to the `Model` of chapters 18 and 19 as one method,
# `evaluate`, and then uses it on real images: the 8×8 handwritten digits that ship
# with scikit-learn.
#
# | section | you write | graded check | points |
# |---|---|---|---|
# | 20.1 | (what evaluation measures; averaging over batches) | | |
# | 20.2 | `Model.evaluate` | `model_evaluate` | 2 |
# | 20.3 | (your evaluate after training: validation and training data) | | |
# | 20.4 | (the batch size does not change the answer; three slips that do) | | |
# | 20.5 | (your evaluate during training: validation curves) | | |
#
# **Your class extends the reference.** `book.Model` (imported below) is the
# reference Model of chapters 18 and 19: `add`, `set`, `finalize`, `forward`,
# `train`. You write `class Model(book.Model)` with one method of your own; everything
# else is inherited, so this notebook depends only on this chapter's exercise. The
# reference happens to have an `evaluate` as well, and yours replaces it.
#
# ### How to check your work
#
# Run the cell with your class, then the test cell under it. A green ✓ block
# means your `evaluate` returned the reference's loss and accuracy on fixed random
# data, called three times with different batch sizes. Otherwise the test shows
# a ✗ block (a `CheckFailed` error) that says which value differs and, for the usual slips
# (dropout left on, the batch means averaged with equal weight, the running sums not
# reset between calls...), names the slip. While the method still raises
# `NotImplementedError`, the test reports *not implemented yet*.
#
# ### Stuck?
#
# Run `from nnfs_core.book import Model` in a new cell below the exercise: from then
# on `Model` is the reference class, and the rest of the notebook runs with it
# (grading gives it no points; see chapter 1). To switch back to yours, run your
# class cell again. The layers, the loss, the optimizer, the accuracy and `train` are
# the reference's throughout.

# %% nbgrader={"grade": false, "grade_id": "ch20_imports", "locked": true, "schema_version": 3, "solution": false, "task": false}
import matplotlib.pyplot as plt
import numpy as np

from autograder import check, submit
from autograder.library import components
from nnfs_core import book, load_digits, train_test_split
from nnfs_core.plotting import plot_history

# Earlier chapters' classes: yours where they pass in your workspace, else the reference
(
    Accuracy_Categorical,
    Activation_ReLU,
    Activation_Softmax,
    Layer_Dense,
    Layer_Dropout,
    Loss_CategoricalCrossentropy,
    Optimizer_Adam,
) = components(
    "Accuracy_Categorical",
    "Activation_ReLU",
    "Activation_Softmax",
    "Layer_Dense",
    "Layer_Dropout",
    "Loss_CategoricalCrossentropy",
    "Optimizer_Adam",
    chapter="ch20",
)


# %% [markdown] nbgrader={"grade": false, "grade_id": "ch20_why_explained", "locked": true, "schema_version": 3, "solution": false, "task": false}
# ## 20.1 What evaluation measures, and how to average it
#
# **Inference mode.** During training, dropout (chapter 15) zeroes a random share of
# the neurons in every forward pass. That is a training device; the model we want to
# measure, and later to use, is the whole network. So evaluation calls
# `forward(X, training=False)`, which passes the flag to every layer and makes the
# dropout layers let everything through.
#
# **Batches.** A validation set of 10,000 Fashion-MNIST images is a matrix of
# 10,000 × 784 numbers, and every layer's output is another matrix of that height.
# Running it in slices of `batch_size` samples keeps memory small, as training does
# since chapter 19. Slicing `X[start : start + batch_size]` for
# `start = 0, batch_size, 2·batch_size, ...` covers every sample once; the last slice
# is shorter when the size does not divide the number of samples (21 samples in
# batches of 8 gives 8, 8 and 5).
#
# **Averaging.** The number we want is the mean over all $N$ samples,
#
# $$\bar L = \frac{1}{N}\sum_{i=1}^{N} L_i,$$
#
# and the same for accuracy, where each $L_i$ is 1 for a right answer and 0 for a
# wrong one. Each batch gives only its own mean $m_b$ over its $n_b$ samples. The
# plain average of the batch means, $\frac{1}{B}\sum_b m_b$, is *not* $\bar L$ when
# the batches differ in size: each sample of the short last batch then counts more
# than a sample of a full one. Summing instead gives the right answer:
#
# $$\bar L = \frac{\sum_b n_b\, m_b}{\sum_b n_b} = \frac{\text{sum of every sample loss}}{\text{number of samples}}.$$
#
# The reference loss and accuracy objects keep exactly these two running sums for
# you (chapter 19 used them for the epoch summaries):
#
# | call | does |
# |---|---|
# | `self.loss.new_pass()` | sets the running sum and count to zero |
# | `self.loss.calculate(output, y)` | returns the batch's mean loss **and** adds its sample losses and their number to the sums |
# | `self.loss.calculate_accumulated()` | the sum divided by the count: the mean over every batch since `new_pass()` |
# | `self.accuracy.new_pass()`, `.calculate(predictions, y)`, `.calculate_accumulated()` | the same for right answers |
#
# `new_pass()` matters: `train` leaves the sums holding its last epoch, and an
# `evaluate` that does not start from zero mixes those (or an earlier evaluation's)
# samples into its answer.

# %% [markdown] nbgrader={"grade": false, "grade_id": "ch20_evaluate_explained", "locked": true, "schema_version": 3, "solution": false, "task": false}
# ## 20.2 `Model.evaluate`
#
# **Your task:** write `evaluate(X_val, y_val, *, batch_size=None, verbose=True)`.
#
# 1. Reset the running sums of `self.loss` and `self.accuracy`.
# 2. Walk through the data in slices of `batch_size` samples (one slice holding
#    everything when `batch_size` is `None`). For each slice: the forward pass with
#    `self.forward(batch_X, training=False)`; the loss with `self.loss.calculate`;
#    the predicted classes with `self.output_layer_activation.predictions(output)`
#    (the softmax's `argmax`), passed to `self.accuracy.calculate`.
# 3. Read the accumulated loss and accuracy, print them as the book does when
#    `verbose` is true, `validation, acc: 0.972, loss: 0.098` (three decimals), and
#    **return** `(loss, accuracy)`.
#
# The loss is the *data* loss: regularization penalties (chapter 14) describe the
# weights, not how well the model does on these samples, and `calculate` leaves them
# out unless asked. The `verbose` argument lets `train` call your method every epoch
# without a printout (20.5).


# %% nbgrader={"grade": false, "grade_id": "ch20_evaluate", "locked": false, "schema_version": 3, "solution": true, "task": false}
class Model(book.Model):
    def evaluate(self, X_val, y_val, *, batch_size=None, verbose=True):
        # Return (mean data loss, accuracy) over all samples, dropout off; print if verbose.
        ### BEGIN SOLUTION
        self.loss.new_pass()
        self.accuracy.new_pass()
        size = len(X_val) if batch_size is None else batch_size
        for start in range(0, len(X_val), size):
            batch_X = X_val[start : start + size]
            batch_y = y_val[start : start + size]
            output = self.forward(batch_X, training=False)
            self.loss.calculate(output, batch_y)
            predictions = self.output_layer_activation.predictions(output)
            self.accuracy.calculate(predictions, batch_y)
        loss = self.loss.calculate_accumulated()
        accuracy = self.accuracy.calculate_accumulated()
        if verbose:
            print(f"validation, acc: {accuracy:.3f}, loss: {loss:.3f}")
        return loss, accuracy
        ### END SOLUTION


# %% nbgrader={"grade": true, "grade_id": "test_model_evaluate", "locked": true, "points": 2, "schema_version": 3, "solution": false, "task": false}
check("model_evaluate", Model)
### BEGIN HIDDEN TESTS
submit("model_evaluate", Model, seed=202417)
### END HIDDEN TESTS

# %% [markdown] nbgrader={"grade": false, "grade_id": "ch20_digits_explained", "locked": true, "schema_version": 3, "solution": false, "task": false}
# ## 20.3 Your evaluate after training
#
# **The data.** `load_digits()` returns 1,797 grey images of handwritten digits,
# 8×8 pixels with ink values from 0 to 16, and their labels 0 to 9. They need no
# download and train in a second, which makes them a handy stand-in for chapter 19's
# Fashion-MNIST: the preparation is the same. Each image is flattened to 64 numbers
# and scaled to $[-1, 1]$ with $(x - 8) / 8$, and a shuffled fifth of the images is
# held out as validation data, never trained on.
#
# **The model.** `Layer_Dense(64, 64)` → ReLU → `Layer_Dropout(0.3)` →
# `Layer_Dense(64, 10)` → softmax, categorical cross-entropy,
# `Optimizer_Adam(learning_rate=0.005, decay=1e-3)`, 10 epochs in batches of 32. It
# is built from **your** `Model`; `train` is the reference's. One `RandomState(0)`
# draws every starting weight and every dropout mask, so each run of the cell gives
# the same numbers.

# %%
images, labels = load_digits()
X = (images.reshape(len(images), -1) - 8) / 8
X_train, X_val, y_train, y_val = train_test_split(
    X, labels, test_fraction=0.2, rng=np.random.RandomState(20)
)
print(f"training: {X_train.shape}, validation: {X_val.shape}")
print(f"pixel values from {X.min():g} to {X.max():g}; labels {np.unique(labels)}")


# %%
def digits_model(dropout=0.3, seed=0):
    """A fresh 64 -> 64 -> 10 classifier built from your Model class."""
    rng = np.random.RandomState(seed)
    model = Model()
    model.add(Layer_Dense(64, 64, rng=rng))
    model.add(Activation_ReLU())
    model.add(Layer_Dropout(dropout, rng=rng))
    model.add(Layer_Dense(64, 10, rng=rng))
    model.add(Activation_Softmax())
    model.set(
        loss=Loss_CategoricalCrossentropy(),
        optimizer=Optimizer_Adam(learning_rate=0.005, decay=1e-3),
        accuracy=Accuracy_Categorical(),
    )
    model.finalize()
    return model


model = digits_model()
history = model.train(X_train, y_train, epochs=10, batch_size=32, print_every=5)

# %% [markdown] nbgrader={"grade": false, "grade_id": "ch20_after_training_explained", "locked": true, "schema_version": 3, "solution": false, "task": false}
# The last line of training reports the accuracy and loss of the final epoch,
# *with dropout on*, averaged over an epoch in which the weights kept changing. Now
# your `evaluate` measures the finished model, first on the validation data, then,
# as the book also does, on the training data itself.

# %%
val_loss, val_accuracy = model.evaluate(X_val, y_val)
train_loss, train_accuracy = model.evaluate(X_train, y_train, batch_size=128)
last = f"acc {history.accuracy[-1]:.3f}, loss {history.loss[-1]:.3f}"
print(f"training summary of the last epoch: {last}")

# %% [markdown] nbgrader={"grade": false, "grade_id": "ch20_after_training_read", "locked": true, "schema_version": 3, "solution": false, "task": false}
# **What to expect.** The validation accuracy comes out at about 0.97 to 0.98 and the
# validation loss at about 0.10; on the training data, measured the same way, the
# accuracy is about 0.98 and the loss about 0.08. The training summary of the last
# epoch looks *worse*, an accuracy of about 0.94 and a loss of about 0.19, because it
# was measured with 30% of the hidden neurons dropped in every batch. That is why a
# training printout
# is no measure of the model: only an evaluation with `training=False` is.
#
# A validation score much worse than the training score (the book's rule of thumb:
# more than about 10% apart) would mean overfitting, the model learning the
# training samples rather than digits. Here the two agree, and the small network,
# dropout and 10 epochs keep it that way.

# %% [markdown] nbgrader={"grade": false, "grade_id": "ch20_batches_explained", "locked": true, "schema_version": 3, "solution": false, "task": false}
# ## 20.4 The batch size does not change the answer; three slips do
#
# Your `evaluate` should give the same loss and accuracy whatever the batch size,
# up to the last few digits of rounding: each sample is counted once, with the same
# weight. The first cell checks that on the 359 validation images. With
# `batch_size=179` the batches hold 179, 179 and **1** sample.

# %%
for size in (None, 128, 100, 7, 179):
    loss, accuracy = model.evaluate(X_val, y_val, batch_size=size, verbose=False)
    print(f"batch_size={size!s:>4}: loss {loss:.6f}, accuracy {accuracy:.6f}")

# %% [markdown] nbgrader={"grade": false, "grade_id": "ch20_slips_explained", "locked": true, "schema_version": 3, "solution": false, "task": false}
# The next cell computes, by hand and without your class, what three slips would
# have reported for the same trained model:
#
# * **the batch means averaged with equal weight**, for `batch_size=179`: the one
#   sample of the last batch counts as much as each batch of 179 together;
# * **dropout left on** (`forward(X, training=True)`), three times in a row: the
#   answer changes with every call, and is worse than the model;
# * **the sums not reset**: an evaluation of the validation data that still holds
#   the training data's sums from a previous call.

# %%
loss_function = Loss_CategoricalCrossentropy()


def sample_losses_and_right(X_part, y_part, training=False):
    output = model.forward(X_part, training=training)
    right = np.argmax(output, axis=1) == y_part
    return loss_function.forward(output, y_part), right


losses, right = sample_losses_and_right(X_val, y_val)
print(f"every sample counted once:      loss {losses.mean():.4f}, accuracy {right.mean():.4f}")

batches = [slice(start, start + 179) for start in range(0, len(X_val), 179)]
print(
    f"mean of the 3 batch means:      loss {np.mean([losses[b].mean() for b in batches]):.4f}, "
    f"accuracy {np.mean([right[b].mean() for b in batches]):.4f}"
)

for attempt in range(3):
    noisy_losses, noisy_right = sample_losses_and_right(X_val, y_val, training=True)
    print(
        f"dropout on, call {attempt + 1}:          loss {noisy_losses.mean():.4f}, "
        f"accuracy {noisy_right.mean():.4f}"
    )

train_losses, train_right = sample_losses_and_right(X_train, y_train)
carried = np.concatenate([train_losses, losses]).mean()
print(f"sums carried over from training: loss {carried:.4f}")

# %% [markdown] nbgrader={"grade": false, "grade_id": "ch20_slips_read", "locked": true, "schema_version": 3, "solution": false, "task": false}
# **What to expect.** With the batch means averaged, the single last image moves the
# result: its own loss and right-or-wrong now weigh a third of the total. Here that
# image is classified right with a small loss, so the reported loss drops by about a
# third (about 0.07 instead of 0.10) and the accuracy rises; a wrongly classified
# last image would have pushed both the other way. With dropout on, each call gives
# a different answer, every one of them worse than the real model: an accuracy of
# about 0.95 instead of about 0.975, a loss nearly twice as large. Carrying the training sums over gives the
# loss of a mixture of 1,438 training and 359 validation images, which is neither.
# The check of 20.2 catches all three.

# %% [markdown] nbgrader={"grade": false, "grade_id": "ch20_curves_explained", "locked": true, "schema_version": 3, "solution": false, "task": false}
# ## 20.5 Your evaluate during training
#
# Given `validation_data=(X_val, y_val)`, the reference `train` calls
# `self.evaluate(X_val, y_val, batch_size=batch_size, verbose=False)` after every
# epoch. For an object of your class, `self.evaluate` is **your** method: the
# validation curves below are computed by your code. The cell trains a fresh model
# for `EPOCHS = 20` epochs (a second or two) and plots loss and accuracy per
# epoch, training (solid) and validation (dashed).

# %%
EPOCHS = 20

curves_model = digits_model()
validation = (X_val, y_val)
curves = curves_model.train(
    X_train, y_train, epochs=EPOCHS, batch_size=32, print_every=10, validation_data=validation
)
fig = plt.figure(figsize=(9, 3.2))
plot_history(curves, metrics=("loss", "accuracy"), fig=fig)
fig.tight_layout()
plt.show()

# %% [markdown] nbgrader={"grade": false, "grade_id": "ch20_curves_read", "locked": true, "schema_version": 3, "solution": false, "task": false}
# **What to expect.** The validation accuracy passes 0.95 within the first three
# epochs and then stays between about 0.97 and 0.99, while the validation loss falls
# to about 0.07 and flattens. The training curves lie *below* the validation curves
# in accuracy and *above* them in loss for the whole run: they are measured with
# dropout on. (With `EPOCHS = 30` the validation loss reaches about 0.05.)
#
# Try `curves_model = digits_model(dropout=0.0)` with `EPOCHS = 100` (several
# seconds). Without dropout the training loss keeps falling, to about 0.01 by epoch
# 50 and about 0.003 by epoch 100, while the validation loss levels off near 0.05:
# the model goes on fitting its training images ever more closely, and the
# validation data shows that this no longer helps. On these small, clean images the
# validation loss only stalls; a widening gap like this is the early sign of
# overfitting, and it is visible only because something was measured on data the
# model never trained on.

# %% [markdown] nbgrader={"grade": false, "grade_id": "ch20_next", "locked": true, "schema_version": 3, "solution": false, "task": false}
# ## What next
#
# A trained model lives only as long as the Python process that trained it.
# Chapter 21 reads its weights and biases out (`get_parameters`), puts them back
# (`set_parameters`), and saves them, or the whole model, to a file that can be
# loaded safely later.
