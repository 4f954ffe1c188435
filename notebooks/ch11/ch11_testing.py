# %% [markdown] nbgrader={"grade": false, "grade_id": "ch11_intro", "locked": true, "schema_version": 3, "solution": false, "task": false}
# # Chapter 11 · Testing with out-of-sample data
#
# Chapter 10's network ended near 98 % accuracy on the spiral. That number was
# measured on the very points the network was trained on, so it answers the question
# "how well has it learned *these* 300 points?", not the question we care about:
# "how well will it do on points it has never seen?". This chapter asks the second
# question. It sets aside **out-of-sample** data, points drawn the same way as the
# training data but never used for training, and measures the network on them with a
# forward pass and nothing else.
#
# | section | you write | graded check | points |
# |---|---|---|---|
# | 11.1 | (why a training score is not enough) | | |
# | 11.2 | `Evaluator.evaluate` | `evaluate` | 2 |
# | 11.3 | (where evaluation goes in the training loop) | | |
# | 11.4 | (chapter 10's network, tested on a fresh spiral) | | |
# | 11.5 | (training and test curves: overfitting) | | |
# | 11.6 | (what the network drew, and how noisy a test score is) | | |
# | 11.7 | (what to do about overfitting) | | |
#
# ### How to check your work
#
# Run the cell with your class, then the test cell under it. A green ✓ block
# means your `evaluate` returned the reference's loss and accuracy for three small
# networks (sparse labels, one-hot labels, and a deeper list of layers) and left every
# weight, gradient and optimizer state of those networks exactly as it found them.
# Otherwise the test shows a ✗ block (a `CheckFailed` error) that says what differs and, for
# the usual slips (a backward pass or an optimizer step inside the evaluation, a
# missing `argmax`, one-hot labels compared as they are...), names the slip. A method
# you have not written yet raises `NotImplementedError`, and its test reports *not
# implemented yet*.
#
# ### Stuck?
#
# `Evaluator` is this course's own small class (the book writes these lines inline),
# so it has no reference twin to import; its explanation ends with a hint you can
# unfold. The network, the loss and the optimizer are your earlier classes where they
# pass, the reference's otherwise (the line under the imports says which), so this
# chapter depends only on its own exercise.

# %% nbgrader={"grade": false, "grade_id": "ch11_imports", "locked": true, "schema_version": 3, "solution": false, "task": false}
import matplotlib.pyplot as plt
import numpy as np

from autograder import check, submit
from autograder.library import components
from nnfs_core.book import spiral_data
from nnfs_core.plotting import plot_decision_regions

# Earlier chapters' classes: yours where they pass in your workspace, else the reference
Activation_ReLU, Activation_Softmax_Loss_CategoricalCrossentropy, Layer_Dense, Optimizer_Adam = (
    components(
        "Activation_ReLU",
        "Activation_Softmax_Loss_CategoricalCrossentropy",
        "Layer_Dense",
        "Optimizer_Adam",
        chapter="ch11",
    )
)


# %% [markdown] nbgrader={"grade": false, "grade_id": "ch11_why_explained", "locked": true, "schema_version": 3, "solution": false, "task": false}
# ## 11.1 Why a training score is not enough
#
# A network with 64 hidden neurons has 387 parameters; the spiral it trained on has
# 300 points. With that much freedom, the network does not have to find the spiral
# *shape* to score well: it can also bend its boundaries around individual points,
# including the ones that the noise in `spiral_data` pushed into a neighbouring arm.
# Such a network has partly **memorised** its training data. On the training points it
# looks excellent; on new points from the same spiral it does worse, because the
# quirks it learned belong to those 300 points and not to the spiral. This is
# **overfitting**. Its opposite, doing about as well on new data as on the training
# data, is called **generalisation**, and generalisation is what a network is for.
#
# The only honest way to measure it is with data the network has never trained on:
# **out-of-sample** or **test** data. It must come from the same source as the
# training data (here: another call of `spiral_data(samples=100, classes=3)`, whose
# points lie on the same arms with fresh noise), and it must never influence training
# in any way: no training steps on it, and (chapter 12) no choosing of settings by it
# either.
#
# With real data you cannot call a generator again; you set part of the data aside
# before training starts. The split must be random (data files are often sorted, by
# class or by date), and the two parts must not share samples: a duplicate that ends
# up on both sides is a test point the network has already trained on. Chapter 12
# writes such a split.

# %% [markdown] nbgrader={"grade": false, "grade_id": "ch11_evaluate_explained", "locked": true, "schema_version": 3, "solution": false, "task": false}
# ## 11.2 An evaluator: the forward pass and nothing else
#
# Testing a network means running the **forward pass** on the test data, then
# computing the loss and the accuracy from its output, exactly as in a training step,
# and then stopping. No backward pass, no optimizer step: whatever the network does
# with test data must leave it unchanged, or the data stops being out of sample. That
# includes the optimizer's memory, which the book stores on the layers
# (`weight_momentums`, `weight_cache`...), and the gradients (`dweights`, `dbiases`),
# which belong to the last training step.
#
# The `Evaluator` below is given the network as a list of layers in order, for
# chapter 10's network `[dense1, activation1, dense2]`, and the combined softmax and
# cross-entropy object `loss_activation`. The constructor is written for you.
#
# **Your task:** `evaluate(X, y)`:
#
# 1. Pass `X` through every layer in `self.layers`, in order: each layer's `forward`
#    gets the previous layer's `output`. Use the whole list, whatever its length.
# 2. `loss = self.loss_activation.forward(last_output, y)` gives the mean loss and
#    sets `self.loss_activation.output`, the probabilities, shape
#    `(n_samples, n_classes)`.
# 3. The predicted class of each sample is the column of its largest probability:
#    `np.argmax(..., axis=1)`, shape `(n_samples,)`.
# 4. Labels may be sparse (class indices, shape `(n_samples,)`) or one-hot (shape
#    `(n_samples, n_classes)`). Turn one-hot labels into class indices (`argmax`
#    along `axis=1` again) before comparing; the loss accepts both forms already.
# 5. `accuracy = np.mean(predictions == labels)`; **return `loss, accuracy`**, in
#    that order.
#
# <details><summary>Hint</summary>
#
# ```python
# inputs = X
# for layer in self.layers:
#     layer.forward(inputs)
#     inputs = layer.output
# ```
# leaves the last layer's output in `inputs`. For the labels:
# `if y.ndim == 2: y = np.argmax(y, axis=1)`.
#
# </details>


# %% nbgrader={"grade": false, "grade_id": "ch11_evaluate", "locked": false, "schema_version": 3, "solution": true, "task": false}
class Evaluator:
    def __init__(self, layers, loss_activation):
        self.layers = layers
        self.loss_activation = loss_activation

    def evaluate(self, X, y):
        # Forward pass only; return (loss, accuracy). Change nothing in the network.
        ### BEGIN SOLUTION
        inputs = X
        for layer in self.layers:
            layer.forward(inputs)
            inputs = layer.output
        loss = self.loss_activation.forward(inputs, y)
        predictions = np.argmax(self.loss_activation.output, axis=1)
        labels = np.argmax(y, axis=1) if y.ndim == 2 else y
        accuracy = np.mean(predictions == labels)
        return loss, accuracy
        ### END SOLUTION


# %% nbgrader={"grade": true, "grade_id": "test_evaluate", "locked": true, "points": 2, "schema_version": 3, "solution": false, "task": false}
check("evaluate", Evaluator)
### BEGIN HIDDEN TESTS
submit("evaluate", Evaluator, seed=112407)
### END HIDDEN TESTS

# %% [markdown] nbgrader={"grade": false, "grade_id": "ch11_where_explained", "locked": true, "schema_version": 3, "solution": false, "task": false}
# ## 11.3 Where evaluation goes in the training loop
#
# The book's layers are objects with memory. A forward pass stores its inputs
# (`dense1.inputs`) and its output, and the backward pass reads them back. Evaluation
# is a forward pass, so it overwrites them with test data. That is harmless *between*
# training steps: the next step's forward pass writes the training data back before
# any backward pass reads it. But an evaluation squeezed in between a step's forward
# and backward passes makes the backward pass compute gradients from test inputs and
# test outputs. With 300 test points and 300 training points every shape still fits,
# so nothing fails: the gradients are just wrong.
#
# The cell below takes one training step's gradient twice, once as it should be and
# once with an evaluation in the middle, and compares them. So: evaluate before a
# step's forward pass or after its optimizer update, never in between.

# %%
rng = np.random.RandomState(0)
X, y = spiral_data(samples=100, classes=3, rng=rng)
X_test, y_test = spiral_data(samples=100, classes=3, rng=rng)
dense1 = Layer_Dense(2, 64, rng=rng)
activation1 = Activation_ReLU()
dense2 = Layer_Dense(64, 3, rng=rng)
loss_activation = Activation_Softmax_Loss_CategoricalCrossentropy()
evaluator = Evaluator([dense1, activation1, dense2], loss_activation)


def gradient_of_one_step(evaluate_in_the_middle):
    dense1.forward(X)
    activation1.forward(dense1.output)
    dense2.forward(activation1.output)
    loss_activation.forward(dense2.output, y)
    if evaluate_in_the_middle:
        evaluator.evaluate(X_test, y_test)
    loss_activation.backward(loss_activation.output, y)
    dense2.backward(loss_activation.dinputs)
    activation1.backward(dense2.dinputs)
    dense1.backward(activation1.dinputs)
    return dense1.dweights.copy()


right = gradient_of_one_step(evaluate_in_the_middle=False)
wrong = gradient_of_one_step(evaluate_in_the_middle=True)
print(f"largest |dweights| of the first layer:            {np.abs(right).max():.2e}")
print(f"largest difference made by evaluating in between: {np.abs(right - wrong).max():.2e}")

# %% [markdown] nbgrader={"grade": false, "grade_id": "ch11_training_explained", "locked": true, "schema_version": 3, "solution": false, "task": false}
# ## 11.4 Chapter 10's network, tested on a fresh spiral
#
# The set-up of chapter 10's best run: `spiral_data(samples=100, classes=3)`,
# `Layer_Dense(2, 64)` → ReLU → `Layer_Dense(64, 3)` → softmax with cross-entropy,
# `Optimizer_Adam(learning_rate=0.05, decay=5e-7)`, the whole dataset in every step.
# The test data is a second `spiral_data(samples=100, classes=3)`. One
# `RandomState(0)` draws the training data, both layers' weights and then the test
# data, the order in which the book draws them, so this replays the book's run and its
# test set. Training itself draws no random numbers, which is why the test spiral may
# be drawn before training here: the cell evaluates it every 10 epochs with **your**
# `Evaluator` (after the optimizer step, as 11.3 says) to draw its curves in 11.5.
#
# At the end the cell prints the book's line, `validation, acc: ..., loss: ...`.
# (The book calls it validation here; chapter 12 separates the two words.)
#
# **What to expect.** By default the cell trains 3,001 epochs, which takes a few
# seconds. Training accuracy climbs to about 0.96 with a loss of about 0.13; the test
# line shows an accuracy of about 0.79 and a loss of about 0.62. For the book's full
# run, set `EPOCHS = 10_001` (about three times as long): training ends at an accuracy
# of about 0.98 and a loss of about 0.075, and the test line at an accuracy of about
# 0.81 and a loss of about 0.88. The book reports about 0.80 and 0.86 for its test
# spiral: within a few hundredths, as expected from float32 arithmetic there and
# float64 here.

# %%
EPOCHS = 3_001  # the book's full run: 10_001
PRINT_EVERY = 500
EVALUATE_EVERY = 10

rng = np.random.RandomState(0)
X, y = spiral_data(samples=100, classes=3, rng=rng)
dense1 = Layer_Dense(2, 64, rng=rng)
activation1 = Activation_ReLU()
dense2 = Layer_Dense(64, 3, rng=rng)
loss_activation = Activation_Softmax_Loss_CategoricalCrossentropy()
optimizer = Optimizer_Adam(learning_rate=0.05, decay=5e-7)
X_test, y_test = spiral_data(samples=100, classes=3, rng=rng)

evaluator = Evaluator([dense1, activation1, dense2], loss_activation)
curves = {"epoch": [], "loss": [], "accuracy": [], "test_loss": [], "test_accuracy": []}

for epoch in range(EPOCHS):
    dense1.forward(X)
    activation1.forward(dense1.output)
    dense2.forward(activation1.output)
    loss = loss_activation.forward(dense2.output, y)
    accuracy = np.mean(np.argmax(loss_activation.output, axis=1) == y)
    if epoch % PRINT_EVERY == 0:
        print(f"epoch: {epoch}, acc: {accuracy:.3f}, loss: {loss:.3f}")

    loss_activation.backward(loss_activation.output, y)
    dense2.backward(loss_activation.dinputs)
    activation1.backward(dense2.dinputs)
    dense1.backward(activation1.dinputs)
    optimizer.pre_update_params()
    optimizer.update_params(dense1)
    optimizer.update_params(dense2)
    optimizer.post_update_params()

    if epoch % EVALUATE_EVERY == 0:  # after the update: the step is complete
        test_loss, test_accuracy = evaluator.evaluate(X_test, y_test)
        for name, value in zip(curves, (epoch, loss, accuracy, test_loss, test_accuracy)):
            curves[name].append(float(value))

loss, accuracy = evaluator.evaluate(X, y)
print(f"training, acc: {accuracy:.3f}, loss: {loss:.3f}")
loss, accuracy = evaluator.evaluate(X_test, y_test)
print(f"validation, acc: {accuracy:.3f}, loss: {loss:.3f}")

# %% [markdown] nbgrader={"grade": false, "grade_id": "ch11_curves_explained", "locked": true, "schema_version": 3, "solution": false, "task": false}
# ## 11.5 Training and test curves
#
# The cell below draws what the loop recorded: loss (left) and accuracy (right)
# against the epoch, on the training data (solid) and on the test data (dashed).
#
# Read them together. For the first few hundred epochs both losses fall: the network
# is learning the spiral, and that helps on any spiral. Then the curves part. The
# training loss keeps falling all the way, but the test loss levels off near 0.5
# between roughly epoch 500 and 1,500 (its lowest point, about 0.50, comes around
# epoch 1,000) and then **rises**: every further step fits the training points more
# closely by learning things that are false for new points. That rise is overfitting
# in the act. The accuracies tell the same story more coarsely: training accuracy
# keeps creeping up, while test accuracy stops near 0.80 after about epoch 1,000.
# (The two sharp spikes, near epochs 950 and 2,300 with the defaults, are Adam
# overshooting with this rather large learning rate; it recovers within a few
# epochs.)
#
# A **rule of thumb**: a gap between training and test accuracy of more than about
# 10 percentage points is a sign of serious overfitting; a few points is normal. Here
# the gap is about 17 points (0.96 against 0.79 with the default run). A test loss
# that rises while the training loss falls says the same thing, and usually earlier.

# %%
_, train_accuracy = evaluator.evaluate(X, y)
_, test_accuracy = evaluator.evaluate(X_test, y_test)
gap = train_accuracy - test_accuracy
epochs = np.array(curves["epoch"], dtype=int)
best = int(np.argmin(curves["test_loss"]))

fig, (ax_loss, ax_acc) = plt.subplots(1, 2, figsize=(11, 3.8))
ax_loss.plot(epochs, curves["loss"], color="tab:blue", label="training")
ax_loss.plot(epochs, curves["test_loss"], color="tab:orange", ls="--", label="test")
ax_loss.axvline(epochs[best], color="grey", lw=0.8)
ax_loss.annotate(
    f"lowest test loss {curves['test_loss'][best]:.2f}\nat epoch {epochs[best]}",
    (epochs[best], curves["test_loss"][best]),
    xytext=(10, 40),
    textcoords="offset points",
)
ax_loss.set(xlabel="epoch", ylabel="loss", ylim=(0, 1.2), title="loss")
ax_acc.plot(epochs, curves["accuracy"], color="tab:blue", label="training")
ax_acc.plot(epochs, curves["test_accuracy"], color="tab:orange", ls="--", label="test")
ax_acc.set(xlabel="epoch", ylabel="accuracy", ylim=(0.3, 1.0), title=f"accuracy (gap {gap:.2f})")
for ax in (ax_loss, ax_acc):
    ax.legend()
plt.show()
plt.close(fig)
print(
    f"lowest test loss {curves['test_loss'][best]:.3f} at epoch {epochs[best]}; "
    f"at the end {curves['test_loss'][-1]:.3f}"
)
print(f"final accuracy: training {train_accuracy:.3f}, test {test_accuracy:.3f}, gap {gap:.3f}")


# %% [markdown] nbgrader={"grade": false, "grade_id": "ch11_regions_explained", "locked": true, "schema_version": 3, "solution": false, "task": false}
# ## 11.6 What the network drew, and how noisy a test score is
#
# **The picture.** Below, the background is coloured by the class the trained network
# predicts at each point of the plane; circles are the training points, triangles the
# test points. Look for small islands and thin tongues of colour around single
# training circles, often ones that the noise pushed towards a neighbouring arm: the
# network has carved out room for them. Test triangles that fall into such a pocket,
# or into the gaps between arms where the boundaries are more or less arbitrary, are
# the ones it gets wrong.


# %%
def predict(points):
    dense1.forward(points)
    activation1.forward(dense1.output)
    dense2.forward(activation1.output)
    return dense2.output


fig, ax = plt.subplots(figsize=(6, 5.5))
regions = plot_decision_regions(
    predict,
    X,
    y,
    X_val=X_test,
    y_val=y_test,
    ax=ax,
    title="predicted class: training (o) and test (^) points",
)
regions.val_points.set_label("test data")
ax.legend(loc="upper right")
plt.show()
plt.close(fig)

# %% [markdown] nbgrader={"grade": false, "grade_id": "ch11_noise_explained", "locked": true, "schema_version": 3, "solution": false, "task": false}
# **How noisy a test score is.** The test accuracy is itself a measurement made on 300
# random points, so it would come out a little differently on another 300. The cell
# below evaluates the same trained network on five more fresh spirals. With the
# default run the five accuracies spread over about 0.77 to 0.82: with 300 test
# points, a difference of two or three points between two numbers is within the noise
# and proves nothing. More test data narrows that spread. Its typical size, the
# **standard error** of an accuracy $p$ measured on $n$ points, is about
# $\sqrt{p(1-p)/n}$; here $\sqrt{0.8 \cdot 0.2 / 300} \approx 0.023$.

# %%
fresh = np.random.RandomState(1)
scores = [evaluator.evaluate(*spiral_data(samples=100, classes=3, rng=fresh))[1] for _ in range(5)]
print("accuracy on five fresh test spirals:", ", ".join(f"{s:.3f}" for s in scores))
print(
    f"spread: {min(scores):.3f} to {max(scores):.3f}; standard error for p = 0.8, n = 300: "
    f"{np.sqrt(0.8 * 0.2 / 300):.3f}"
)

# %% [markdown] nbgrader={"grade": false, "grade_id": "ch11_remedies", "locked": true, "schema_version": 3, "solution": false, "task": false}
# ## 11.7 What to do about overfitting
#
# A test score well below the training score means the network has learned its
# training data rather than the problem. The remedies, several of which the next
# chapters build:
#
# * **More training data.** Memorising 3,000 points is far harder than memorising
#   300, and the noise of single points averages out. Chapter 14 retrains this
#   network on `spiral_data(samples=1000, classes=3)`; chapter 13 discusses how much
#   data is enough, and how to stretch what you have (augmentation).
# * **A smaller network.** Fewer neurons, less freedom to memorise. Too few and it
#   cannot learn the spiral at all (underfitting); somewhere between lies the right
#   size, found by trying (chapter 12).
# * **Penalising large weights** (L1 and L2 regularization, chapter 14) and
#   **dropout** (chapter 15), which make memorising expensive.
# * **Stopping earlier.** In 11.5 the test loss was lowest around epoch 1,000; the
#   last 2,000 epochs only made things worse.
#
# Every one of these involves a *choice*: how many neurons, how strong a penalty, how
# many epochs. It is tempting to pick whatever gives the best test score, but then
# the test data helps to shape the model, and its score is no longer an honest
# out-of-sample measurement. Chapter 12 sets aside a third kind of data,
# **validation data**, for making those choices, and keeps the test data for one
# final measurement.
