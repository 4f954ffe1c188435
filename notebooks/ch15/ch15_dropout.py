# %% [markdown] nbgrader={"grade": false, "grade_id": "ch15_intro", "locked": true, "schema_version": 3, "solution": false, "task": false}
# # Chapter 15 · Dropout
#
# Chapter 14 fought memorising by charging for large parameters. **Dropout** takes
# a different route: in every training step it switches off a random share of the
# neurons of a layer, a new share each step. A neuron can then never count on one
# particular other neuron being there to correct it, so no small clique of neurons
# can specialise in a handful of training points; what the network learns has to
# be spread over many neurons, each useful on its own. You can also see each step
# as training one of a huge number of thinned-out networks that share their
# weights; the full network used for predictions behaves like an average of them.
#
# | section | you write | graded check | points |
# |---|---|---|---|
# | 15.1 | (the mask, and why kept values are scaled up) | | |
# | 15.2 | `Layer_Dropout.forward`, `.backward` | `dropout` | 2 |
# | 15.3 | (the scaling keeps the expected sum: a demonstration) | | |
# | 15.4 | (the book's run: 1,000 points per class) | | |
# | 15.5 | (the same with 512 neurons) | | |
# | 15.6 | (the regularization lab, dropout slider) | | |
#
# ### How to check your work
#
# Run the cell with your class, then the test cell under it. A green ✓ block
# means your layer dropped exactly the values the reference drops after seeding
# NumPy's generator, scaled the kept ones the same way, masked the gradient alike
# and passed its inputs through untouched when not training. Otherwise the test
# shows a ✗ block (a `CheckFailed` error) saying what differs and, for the usual slips (the
# drop rate used as the keep probability, kept values not rescaled, a backward that
# ignores the mask, dropping at inference), naming the slip. A method you have not
# written yet raises `NotImplementedError`, and its test reports *not implemented
# yet*.
#
# ### Stuck?
#
# Run `from nnfs_core.book import Layer_Dropout` in a new cell below the exercise to
# carry on with the reference layer (grading gives it no points; come back to your
# own version later). The dense layer with its penalties (chapter 14), ReLU, the
# softmax with cross-entropy and Adam are yours where they pass, the reference's
# otherwise (the line under the imports says which), so this chapter depends only on
# this chapter's work.

# %% nbgrader={"grade": false, "grade_id": "ch15_imports", "locked": true, "schema_version": 3, "solution": false, "task": false}
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
        chapter="ch15",
    )
)


# %% [markdown] nbgrader={"grade": false, "grade_id": "ch15_idea_explained", "locked": true, "schema_version": 3, "solution": false, "task": false}
# ## 15.1 The mask, and why the kept values are scaled up
#
# A dropout layer sits between two layers (here, after the first layer's ReLU) and
# has no parameters. Its one setting is `rate`, the **share of values to drop**:
# `Layer_Dropout(0.1)` zeroes about one value in ten. Each value is kept, on its own,
# with probability $q = 1 - \text{rate}$. That is one coin flip per value, which NumPy
# draws as a binomial with a single trial: `np.random.binomial(1, q,
# size=inputs.shape)` is an array of 1s (kept, probability $q$) and 0s (dropped).
#
# If the layer only multiplied by those 0s and 1s, the next layer would receive on
# average only a fraction $q$ of the signal it will see when nothing is dropped, and
# its weights would be tuned to that weaker signal. So the kept values are divided
# by $q$. The mask becomes
#
# $$m = \frac{\text{binomial}(1,\,q)}{q} \in \Big\{0,\ \tfrac{1}{q}\Big\},
# \qquad \text{output} = \text{inputs}\cdot m,$$
#
# and since each entry of $m$ is $1/q$ with probability $q$, its expected value is
# exactly 1: the output has the same expected value, element by element and in
# sum, as the input. This is **inverted dropout**: all the correcting happens during
# training, and at prediction time the layer simply passes its inputs on.
#
# **Backward.** The output is the input times a constant (the mask, fixed for this
# step), so the gradient is `dvalues * mask`: nothing flows back through a dropped
# value, and a kept one passes its gradient on scaled by the same $1/q$.
#
# **Only while training.** Dropout is a training device; predictions, validation
# and testing use the whole network. The book adds a `training` argument to every
# `forward` in chapter 18, when its `Model` class takes over the loop; in this
# chapter its code just leaves the dropout layer out of the validation pass. We
# give the layer the flag now, because it is the cleaner way to say the same thing:
# `forward(inputs, training=True)` draws a mask; `forward(inputs, training=False)`
# sets `self.output` to a copy of the inputs and draws nothing.

# %% [markdown] nbgrader={"grade": false, "grade_id": "ch15_layer_explained", "locked": true, "schema_version": 3, "solution": false, "task": false}
# ## 15.2 `Layer_Dropout`
#
# The constructor is given. Like the book, it stores the probability of **keeping**
# a value, $1 - \text{rate}$, in `self.rate` (so inside the class `self.rate` is 0.9
# for `Layer_Dropout(0.1)`). The mask goes in `self.binary_mask`, the book's name,
# for `backward` to use. Draw it with `self.rng.binomial(...)`: unless a
# demonstration passes a generator of its own, `self.rng` is `np.random`, NumPy's
# global generator, which is what the book draws from and what the test seeds.
#
# Two slips the test knows: using `self.rate` as if it were the drop rate, which
# keeps 10% instead of 90%, and forgetting to divide by the keep probability.
#
# **Your task:** `forward(inputs, training)` and `backward(dvalues)`.


# %% nbgrader={"grade": false, "grade_id": "ch15_layer_dropout", "locked": false, "schema_version": 3, "solution": true, "task": false}
class Layer_Dropout:
    def __init__(self, rate, *, rng=None):
        # rate is the share to drop; like the book, store the share to keep.
        self.rate = 1 - rate
        self.rng = np.random if rng is None else rng

    def forward(self, inputs, training):
        # Keep the inputs; when training, draw self.binary_mask (0 or 1 / keep) and set
        # self.output; otherwise set self.output to a copy of the inputs.
        ### BEGIN SOLUTION
        self.inputs = inputs
        if not training:
            self.output = inputs.copy()
            return
        kept = self.rng.binomial(1, self.rate, size=inputs.shape)
        self.binary_mask = kept / self.rate
        self.output = inputs * self.binary_mask
        ### END SOLUTION

    def backward(self, dvalues):
        # Set self.dinputs: the gradient flows through the kept values, scaled like them.
        ### BEGIN SOLUTION
        self.dinputs = dvalues * self.binary_mask
        ### END SOLUTION


# %% nbgrader={"grade": true, "grade_id": "test_dropout", "locked": true, "points": 2, "schema_version": 3, "solution": false, "task": false}
check("dropout", Layer_Dropout)
### BEGIN HIDDEN TESTS
submit("dropout", Layer_Dropout, seed=152469)
### END HIDDEN TESTS

# %% [markdown] nbgrader={"grade": false, "grade_id": "ch15_sum_explained", "locked": true, "schema_version": 3, "solution": false, "task": false}
# ## 15.3 The scaling keeps the sum, on average
#
# First, what the layer does to a small batch of ReLU outputs with `rate=0.5`: about
# half the values vanish and the rest double. Then the claim of 15.1, tried out:
# take one sample's 64 ReLU outputs, push them through your layer 1,000 times with
# fresh masks, and look at the sum of what comes out. With the scaling (left) the
# sums scatter around the input's sum, more widely the higher the rate; without it
# (right, the same masks times $q$) they centre on $q$ times the input's sum: the
# next layer would be trained on a weaker signal than the one it receives once
# dropout is switched off.

# %%
rng = np.random.RandomState(15)
relu_outputs = np.maximum(0, rng.standard_normal((2, 8))).round(2)
example = Layer_Dropout(0.5, rng=rng)
example.forward(relu_outputs, training=True)
print("inputs:\n", relu_outputs)
print("after Layer_Dropout(0.5), training:\n", example.output.round(2))
example.forward(relu_outputs, training=False)
print("training=False gives the inputs back:", np.array_equal(example.output, relu_outputs))

sample = np.maximum(0, rng.standard_normal((1, 64)))
batch = np.repeat(sample, 1000, axis=0)  # one row per fresh mask
fig, (scaled, unscaled) = plt.subplots(1, 2, figsize=(11, 3.4), sharex=True)
print(f"\nsum of the 64 inputs: {sample.sum():.2f}")
for rate, color in ((0.1, "C0"), (0.3, "C1"), (0.5, "C2")):
    layer = Layer_Dropout(rate, rng=rng)
    layer.forward(batch, training=True)
    sums = layer.output.sum(axis=1)
    keep = 1 - rate
    print(
        f"rate {rate}: mean output sum {sums.mean():.2f} (spread {sums.std():.2f}), "
        f"without the scaling {(sums * keep).mean():.2f}"
    )
    bins = np.linspace(0, 2 * sample.sum(), 50)
    scaled.hist(sums, bins=bins, alpha=0.5, color=color, label=f"rate {rate}")
    unscaled.hist(sums * keep, bins=bins, alpha=0.5, color=color, label=f"rate {rate}")
titles = ("with the 1 / (1 - rate) scaling", "mask of 0s and 1s only")
for ax, title in zip((scaled, unscaled), titles):
    ax.axvline(sample.sum(), color="black", linestyle="--", label="input sum")
    ax.set_title(title)
    ax.set_xlabel("sum of the layer's 64 outputs")
    ax.legend(fontsize="small")
plt.show()
plt.close(fig)


# %% [markdown] nbgrader={"grade": false, "grade_id": "ch15_training_explained", "locked": true, "schema_version": 3, "solution": false, "task": false}
# ## 15.4 The book's run
#
# The book's network for this chapter: `Layer_Dense(2, 64, weight_regularizer_l2=5e-4,
# bias_regularizer_l2=5e-4)` → ReLU → **your** `Layer_Dropout(0.1)` →
# `Layer_Dense(64, 3)` → softmax with cross-entropy, trained with
# `Optimizer_Adam(learning_rate=0.05, decay=5e-5)` on 1,000 spiral points per class,
# the whole dataset in every step. The backward pass goes through the dropout layer
# too, between the second dense layer and the ReLU. One `RandomState(0)` draws, in
# the book's order, the data, both layers' weights, a fresh mask in every epoch,
# and after training the validation spiral (100 points per class), on which the
# network runs with `training=False`.
#
# The accuracy in the progress lines is the book's: measured in the training step
# itself, so **with** dropout, on a network missing a tenth of its hidden neurons.
# The function also records, every 10 epochs, the accuracy of the whole network on
# the same training points (`training=False`), for the picture below.


# %%
def dropout_experiment(samples=1000, hidden=64, rate=0.1, epochs=201, print_every=50):
    rng = np.random.RandomState(0)
    X, y = spiral_data(samples=samples, classes=3, rng=rng)
    dense1 = Layer_Dense(2, hidden, weight_regularizer_l2=5e-4, bias_regularizer_l2=5e-4, rng=rng)
    activation1 = Activation_ReLU()
    dropout1 = Layer_Dropout(rate, rng=rng)
    dense2 = Layer_Dense(hidden, 3, rng=rng)
    loss_activation = Activation_Softmax_Loss_CategoricalCrossentropy()
    optimizer = Optimizer_Adam(learning_rate=0.05, decay=5e-5)
    history = {"epoch": [], "acc": [], "full_acc": []}

    def forward(points, labels, training):
        dense1.forward(points)
        activation1.forward(dense1.output)
        dropout1.forward(activation1.output, training=training)
        dense2.forward(dropout1.output)
        data_loss = loss_activation.forward(dense2.output, labels)
        accuracy = np.mean(np.argmax(loss_activation.output, axis=1) == labels)
        return data_loss, accuracy

    for epoch in range(epochs):
        if epoch % 10 == 0:
            history["full_acc"].append(forward(X, y, training=False)[1])
        data_loss, acc = forward(X, y, training=True)
        penalty = loss_activation.loss.regularization_loss
        reg_loss = penalty(dense1) + penalty(dense2)
        if epoch % 10 == 0:
            history["epoch"].append(epoch)
            history["acc"].append(acc)
        if print_every and epoch % print_every == 0:
            print(
                f"epoch: {epoch}, acc: {acc:.3f}, loss: {data_loss + reg_loss:.3f} "
                f"(data_loss: {data_loss:.3f}, reg_loss: {reg_loss:.3f}), "
                f"lr: {optimizer.current_learning_rate:.7f}"
            )

        loss_activation.backward(loss_activation.output, y)
        dense2.backward(loss_activation.dinputs)
        dropout1.backward(dense2.dinputs)
        activation1.backward(dropout1.dinputs)
        dense1.backward(activation1.dinputs)

        optimizer.pre_update_params()
        optimizer.update_params(dense1)
        optimizer.update_params(dense2)
        optimizer.post_update_params()

    X_val, y_val = spiral_data(samples=100, classes=3, rng=rng)
    val_loss, val_acc = forward(X_val, y_val, training=False)
    print(f"validation, acc: {val_acc:.3f}, loss: {val_loss:.3f}")

    def predict(points):
        # Class scores of the whole network (no dropout), for the picture.
        dense1.forward(points)
        activation1.forward(dense1.output)
        dropout1.forward(activation1.output, training=False)
        dense2.forward(dropout1.output)
        return dense2.output

    return {"history": history, "predict": predict, "X": X, "y": y, "X_val": X_val, "y_val": y_val}


# %% [markdown] nbgrader={"grade": false, "grade_id": "ch15_run_explained", "locked": true, "schema_version": 3, "solution": false, "task": false}
# **What to expect with the defaults** (201 epochs, a few seconds). The printed
# accuracy creeps up to about 0.6 (0.58 at epoch 100, 0.62 at epoch 200) and wobbles
# from one record to the next, because every epoch thins the network differently.
# The whole network does better on the same points (about 0.70 at epoch 200, the
# orange curve), and the validation line reads about 0.69 with a loss of about
# 0.78. A validation accuracy above the printed training accuracy is what dropout
# does to the printout, not a sign of trouble: the validation pass uses every
# neuron, the training pass about nine in ten.
#
# **The book's full run.** Set `EPOCHS = 10_001` and run the cell again (a few
# minutes). The last progress line then reads an accuracy of about 0.70 and a loss
# of about 0.73 (data loss 0.717, penalty 0.015), and validation about 0.76 with a
# loss of about 0.68: again above the printed training accuracy. (These are the
# numbers of this float64 replay; the book's float32 printout differs in the second
# decimal place.) For comparison, the same network and settings without the
# dropout layer end at about 0.91 on the training points and about 0.88 on
# validation (loss about 0.32). On this small problem, with two input features and
# 64 neurons that the L2 penalty already keeps in check, dropping a tenth of the
# neurons in every step costs accuracy rather than buying it. Dropout is meant for
# networks with more capacity than they need, which is what the next section
# tries.

# %%
EPOCHS = 201  # the book's full run: 10_001

run = dropout_experiment(epochs=EPOCHS, print_every=50)
history = run["history"]
print(
    f"epoch {history['epoch'][-1]}, accuracy on the training points: "
    f"{history['acc'][-1]:.3f} with dropout, {history['full_acc'][-1]:.3f} without"
)

fig, (curves, regions) = plt.subplots(1, 2, figsize=(11, 4))
curves.plot(history["epoch"], history["acc"], label="with dropout (the printed acc)")
curves.plot(history["epoch"], history["full_acc"], label="whole network, training=False")
curves.set_xlabel("epoch")
curves.set_ylabel("accuracy on the training points")
curves.legend()
title = "the whole network's classes, validation spiral"
plot_decision_regions(
    run["predict"], run["X_val"], run["y_val"], ax=regions, marker="^", title=title
)
plt.show()
plt.close(fig)

# %% [markdown] nbgrader={"grade": false, "grade_id": "ch15_wider_explained", "locked": true, "schema_version": 3, "solution": false, "task": false}
# ## 15.5 Dropout with 512 neurons
#
# The book closes the chapter by widening the first layer to 512 neurons, keeping
# dropout at 0.1 and everything else. Each epoch then costs several times as much:
# the layer draws eight times as many coin flips.
#
# **What to expect with the defaults** (41 epochs, a few seconds; drawing the
# masks is now the slowest part of an epoch). By epoch 40 the wide network is at
# about 0.57 on its training points with dropout and about 0.63 without, where the
# 64-neuron network of 15.4 was at about 0.43 and 0.46 at the same epoch. As in
# chapter 14, the wider layer gets further per epoch.
#
# **The book's full run.** Set `EPOCHS = 10_001` (a long run: about a quarter of an
# hour). The last progress line then reads an accuracy of about 0.88 and a loss of
# about 0.41 (data loss 0.366, penalty 0.047), and validation about 0.88 with a loss
# of about 0.39. That is far above the 64-neuron network with dropout (about 0.76),
# with training and validation level. It is not above chapter 14's 512-neuron
# network without dropout (validation about 0.91, with that chapter's learning
# rate): on this dataset the L2 penalty and the 1,000 points per class already do
# most of the work. Dropout earns its keep on larger networks and harder data than
# a spiral with two features.

# %%
HIDDEN = 512
EPOCHS = 41  # the book's full run: 10_001

wider = dropout_experiment(hidden=HIDDEN, epochs=EPOCHS, print_every=20)
print("accuracy on the training points at epoch 40, with dropout / without:")
for name, result in ((f"{HIDDEN} neurons", wider), ("64 neurons", run)):
    history = result["history"]
    if 40 in history["epoch"]:
        at = history["epoch"].index(40)
        print(f"  {name}: {history['acc'][at]:.3f} / {history['full_acc'][at]:.3f}")

# %% [markdown] nbgrader={"grade": false, "grade_id": "ch15_lab_explained", "locked": true, "schema_version": 3, "solution": false, "task": false}
# ## 15.6 Lab: the dropout slider
#
# This is chapter 14's regularization lab (reference classes, so it works whether
# or not your layer is finished), now starting from this chapter's settings: L2
# `5e-4` on the first layer, **dropout 0.1**, Adam with learning rate 0.05 and decay
# `5e-5`; it trains on 100 points per class for 1,000 epochs, so a run takes a few
# seconds. Left, the training points over the predicted classes; right, the
# validation spiral (drawn from the seed plus one, so the numbers differ a little
# from the runs above). The lab's training curves, like the book's printout,
# measure the training accuracy with dropout switched on.
#
# **Try this.**
# 1. Look at the first run: training about 0.69, validation about 0.68, no gap at
#    all.
# 2. Set the dropout to 0. Training rises to about 0.91 and validation to about
#    0.79, and the status line flags the gap of about 0.12 as overfitting. Yet
#    validation is better than with dropout, and so is the validation loss (about
#    0.50 against 0.67). On 100 points and 1,000 epochs, dropout closed the gap
#    mostly by lowering the training number: it slowed learning down.
# 3. Set it to 0.3, then 0.5. Both accuracies sink (to about 0.62, then about 0.5):
#    a network thinned that much does not learn the spiral in 1,000 epochs.
# 4. Back to 0.1, and the width to 512 (each wide run takes up to a minute):
#    training about 0.85, validation about 0.81, a gap of about 0.04. Then dropout 0
#    at the same width: about 0.93 and 0.84, a gap of about 0.09. The wide layer has
#    neurons to spare, so dropout costs it less while it still halves the gap.

# %% nbgrader={"grade": false, "grade_id": "ch15_lab", "locked": true, "schema_version": 3, "solution": false, "task": false}
# %matplotlib widget
from nnfs_core.labs import RegularizationLab

lab = RegularizationLab()
lab
