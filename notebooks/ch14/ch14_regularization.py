# %% [markdown] nbgrader={"grade": false, "grade_id": "ch14_intro", "locked": true, "schema_version": 3, "solution": false, "task": false}
# # Chapter 14 · L1 and L2 regularization
#
# Chapter 11 caught the spiral network memorising. After 10,000 epochs with Adam it
# labelled its own 300 training points almost perfectly, yet on a fresh spiral from
# the same generator it got only about four points in five right, and its loss there
# was more than ten times its training loss. Anything that narrows such a gap between
# the data a model was fitted to and data it has never seen is called
# **regularization**. This chapter adds a classic kind: a charge, added to the loss,
# for every large weight and bias.
#
# | section | you write | graded check | points |
# |---|---|---|---|
# | 14.1 | (why large parameters are suspicious; L1 and L2) | | |
# | 14.2 | `Loss.regularization_loss(layer)` | `regularization_loss` | 1 |
# | 14.3 | `Layer_Dense.forward`, `.backward` with the penalty's gradient | `dense_regularization` | 2 |
# | 14.4 | (the book's first run, and the same run without a penalty) | | |
# | 14.5 | (ten times more training data) | | |
# | 14.6 | (a wider layer) | | |
# | 14.7 | (the regularization lab) | | |
#
# ### How to check your work
#
# Run the cell with your class, then the test cell under it. A green ✓ block
# means your code gave the reference's results on fixed random layers, whose
# parameters include negative values and exact zeros. Otherwise the test shows
# a ✗ block (a `CheckFailed` error) saying which value is wrong and, for the usual slips (L1
# without the absolute value, the factor 2 missing from the L2 gradient, `np.sign`
# where the book wants +1 at zero, the biases forgotten...), naming the slip. A
# method you have not written yet raises `NotImplementedError`, and its test reports
# *not implemented yet*.
#
# ### Stuck?
#
# Both classes have reference twins. Run `from nnfs_core.book import Layer_Dense` in
# a new cell below the exercise to carry on with the reference layer, and
# `from nnfs_core.book import Loss_CategoricalCrossentropy as Loss` for the
# penalty (every reference loss has the method). Grading gives the reference no
# points; come back to your own version later. The ReLU, the softmax with
# cross-entropy and Adam are yours where they pass, the reference's otherwise (the
# line under the imports says which), so this chapter depends only on its own work.

# %% nbgrader={"grade": false, "grade_id": "ch14_imports", "locked": true, "schema_version": 3, "solution": false, "task": false}
from types import SimpleNamespace

import matplotlib.pyplot as plt
import numpy as np

from autograder import check, submit
from autograder.library import components
from nnfs_core.book import spiral_data
from nnfs_core.plotting import plot_decision_regions

# Earlier chapters' classes: yours where they pass in your workspace, else the reference
Activation_ReLU, Activation_Softmax_Loss_CategoricalCrossentropy, Optimizer_Adam = components(
    "Activation_ReLU",
    "Activation_Softmax_Loss_CategoricalCrossentropy",
    "Optimizer_Adam",
    chapter="ch14",
)

# %% [markdown] nbgrader={"grade": false, "grade_id": "ch14_penalties_explained", "locked": true, "schema_version": 3, "solution": false, "task": false}
# ## 14.1 Why charge for large parameters
#
# To get one stray training point right, a network does not need to understand the
# spiral: a few neurons with very large weights can carve a small pocket around
# that point and flip the predicted class inside it. Such pockets fit the training
# data and nothing else. A network whose weights stay moderate has to share the work
# among many neurons, and its decision regions come out smoother. So we make size
# cost something: the optimizer then has to trade a lower data loss against smaller
# parameters, and only buys a large weight where it pays off on many points.
#
# Two ways to measure size, each with a strength $\lambda$ chosen by you:
#
# * **L1**: $\lambda \sum_m |w_m|$, the sum of magnitudes. Its slope is $\pm\lambda$
#   whatever the weight: a weight of 0.01 is pulled towards zero exactly as hard as a
#   weight of 5. Small weights therefore tend to end up at (or very near) zero, which
#   makes the network ignore the weak inputs altogether.
# * **L2**: $\lambda \sum_m w_m^2$, the sum of squares. Its slope $2\lambda w$
#   grows with the weight: large weights are pulled back hard, small ones barely
#   feel it. This gentler behaviour is why L2 is the common choice; the book notes
#   that L1 is seldom used on its own and, when used, usually alongside L2.
#
# Biases get their own two strengths, so a layer has four:
# `weight_regularizer_l1`, `weight_regularizer_l2`, `bias_regularizer_l1`,
# `bias_regularizer_l2` (all 0 by default, which switches the penalty off). The loss
# the optimizer minimises becomes
#
# $$L = L_\text{data} + \lambda_{1w}\sum|w| + \lambda_{2w}\sum w^2
#      + \lambda_{1b}\sum|b| + \lambda_{2b}\sum b^2,$$
#
# summed over every regularized layer. The strengths are small numbers such as
# $5\cdot10^{-4}$, because each multiplies a sum over every parameter of the layer.
# The penalty changes the loss, not the predictions, so accuracy is computed exactly
# as before; training printouts show the two parts separately, in the book's form
# `loss: 0.346 (data_loss: 0.255, reg_loss: 0.091)`.
#
# The curves below show one parameter's penalty and its slope with $\lambda = 1$.

# %%
w = np.linspace(-2, 2, 401)
fig, (left, right) = plt.subplots(1, 2, figsize=(10, 3.4))
left.plot(w, np.abs(w), label="L1: |w|")
left.plot(w, w**2, label="L2: w²")
left.set_title("penalty of one parameter (λ = 1)")
left.set_xlabel("w")
left.legend()
right.plot(w[w < 0], -np.ones(np.sum(w < 0)), color="C0", label="L1: -1 or +1")
right.plot(w[w >= 0], np.ones(np.sum(w >= 0)), color="C0")
right.plot([0], [1], "o", color="C0")
right.plot(w, 2 * w, color="C1", label="L2: 2w")
right.set_title("its slope, which backward adds to the gradient")
right.set_xlabel("w")
right.axhline(0, color="grey", linewidth=0.5)
right.legend()
plt.show()
plt.close(fig)


# %% [markdown] nbgrader={"grade": false, "grade_id": "ch14_penalty_explained", "locked": true, "schema_version": 3, "solution": false, "task": false}
# ## 14.2 The penalty: `Loss.regularization_loss(layer)`
#
# In the book the penalty is a method of the `Loss` base class, next to `calculate`,
# so every loss can report it. It receives one layer and reads six of its
# attributes: `weights`, `biases` and the four strengths. It returns a plain number,
# the sum of the four terms of 14.1 for that layer. Add a term only when its
# strength is above 0: the number is the same, and a layer without regularization
# then costs no work at all.
#
# The class below holds only this method; this chapter takes its data loss from the
# combined softmax and cross-entropy class of chapter 9. Three slips to avoid: L1
# needs `np.abs` (without it positive and negative weights cancel), L2 squares each
# parameter (it does not square the sum), and the biases have terms of their own.
#
# **Your task:** `regularization_loss`.


# %% nbgrader={"grade": false, "grade_id": "ch14_loss", "locked": false, "schema_version": 3, "solution": true, "task": false}
class Loss:
    def regularization_loss(self, layer):
        # Return the layer's L1 and L2 penalty: the four terms whose strength is above 0.
        ### BEGIN SOLUTION
        penalty = 0.0
        if layer.weight_regularizer_l1 > 0:
            penalty += layer.weight_regularizer_l1 * np.sum(np.abs(layer.weights))
        if layer.weight_regularizer_l2 > 0:
            penalty += layer.weight_regularizer_l2 * np.sum(layer.weights**2)
        if layer.bias_regularizer_l1 > 0:
            penalty += layer.bias_regularizer_l1 * np.sum(np.abs(layer.biases))
        if layer.bias_regularizer_l2 > 0:
            penalty += layer.bias_regularizer_l2 * np.sum(layer.biases**2)
        return penalty
        ### END SOLUTION


# %% nbgrader={"grade": true, "grade_id": "test_regularization_loss", "locked": true, "points": 1, "schema_version": 3, "solution": false, "task": false}
check("regularization_loss", Loss)
### BEGIN HIDDEN TESTS
submit("regularization_loss", Loss, seed=142318)
### END HIDDEN TESTS

# %% [markdown] nbgrader={"grade": false, "grade_id": "ch14_gradient_explained", "locked": true, "schema_version": 3, "solution": false, "task": false}
# ## 14.3 The penalty's gradient, in the dense layer
#
# Each term of the penalty involves one parameter only, so its derivative with
# respect to a weight $w$ depends on $w$ alone and is simply added to the gradient
# the data loss already gives that weight:
#
# * L2: $\dfrac{\partial}{\partial w}\,\lambda_2 w^2 = 2\lambda_2 w$;
# * L1: $\dfrac{\partial}{\partial w}\,\lambda_1 |w| = \lambda_1$ where $w > 0$ and
#   $-\lambda_1$ where $w < 0$. At exactly $w = 0$ the corner of $|w|$ has no slope;
#   the book's convention is **+1** there: start from an array of ones shaped like
#   the parameters and set $-1$ where the parameter is negative. `np.sign` would give
#   0 at zero, and zeros are not rare: every bias starts at exactly 0.
#
# The same two formulas, with the bias strengths, go into `dbiases`. `dinputs` does
# not change: the penalty depends on the parameters, not on the inputs. So after the
# data gradients of chapter 9,
#
# ```text
# dweights += λ1w · dL1(weights) + 2 · λ2w · weights
# dbiases  += λ1b · dL1(biases)  + 2 · λ2b · biases
# ```
#
# each term added only when its strength is above 0.
#
# The constructor below takes the book's six arguments (plus an optional `rng`, as in
# chapter 9, so that the demonstrations can replay the book's random numbers) and
# stores the four strengths under their own names, where `regularization_loss`
# finds them.
#
# **Your task:** `forward` (your chapter 9 version) and `backward` with the penalty.


# %% nbgrader={"grade": false, "grade_id": "ch14_layer_dense", "locked": false, "schema_version": 3, "solution": true, "task": false}
class Layer_Dense:
    def __init__(
        self,
        n_inputs,
        n_neurons,
        weight_regularizer_l1=0,
        weight_regularizer_l2=0,
        bias_regularizer_l1=0,
        bias_regularizer_l2=0,
        rng=None,
    ):
        draw = np.random if rng is None else rng
        self.weights = 0.01 * draw.standard_normal((n_inputs, n_neurons))
        self.biases = np.zeros((1, n_neurons))
        self.weight_regularizer_l1 = weight_regularizer_l1
        self.weight_regularizer_l2 = weight_regularizer_l2
        self.bias_regularizer_l1 = bias_regularizer_l1
        self.bias_regularizer_l2 = bias_regularizer_l2

    def forward(self, inputs):
        # Your forward from chapter 9: keep the inputs, set self.output.
        ### BEGIN SOLUTION
        self.inputs = inputs
        self.output = inputs @ self.weights + self.biases
        ### END SOLUTION

    def backward(self, dvalues):
        # Set self.dweights and self.dbiases (chapter 9's data gradients plus the
        # penalty's gradient) and self.dinputs (unchanged by the penalty).
        ### BEGIN SOLUTION
        self.dweights = self.inputs.T @ dvalues
        self.dbiases = dvalues.sum(axis=0, keepdims=True)
        # np.where(..., -1.0, 1.0) is the book's sign: +1 at exactly zero.
        if self.weight_regularizer_l1 > 0:
            self.dweights += self.weight_regularizer_l1 * np.where(self.weights < 0, -1.0, 1.0)
        if self.weight_regularizer_l2 > 0:
            self.dweights += 2 * self.weight_regularizer_l2 * self.weights
        if self.bias_regularizer_l1 > 0:
            self.dbiases += self.bias_regularizer_l1 * np.where(self.biases < 0, -1.0, 1.0)
        if self.bias_regularizer_l2 > 0:
            self.dbiases += 2 * self.bias_regularizer_l2 * self.biases
        self.dinputs = dvalues @ self.weights.T
        ### END SOLUTION


# %% nbgrader={"grade": true, "grade_id": "test_dense_regularization", "locked": true, "points": 2, "schema_version": 3, "solution": false, "task": false}
check("dense_regularization", Layer_Dense)
### BEGIN HIDDEN TESTS
submit("dense_regularization", Layer_Dense, seed=143527)
### END HIDDEN TESTS

# %% [markdown] nbgrader={"grade": false, "grade_id": "ch14_training_explained", "locked": true, "schema_version": 3, "solution": false, "task": false}
# ## 14.4 The book's first run: a penalty on the first layer
#
# The function below is the chapter's whole experiment, written once so that the
# next sections can call it with other settings. It builds the book's network,
# `Layer_Dense(2, 64, weight_regularizer_l2=5e-4, bias_regularizer_l2=5e-4)` → ReLU →
# `Layer_Dense(64, 3)` → softmax with cross-entropy, trained by
# `Optimizer_Adam(learning_rate=0.02, decay=5e-7)` on `spiral_data(samples=100,
# classes=3)`, the whole dataset in every step. The loss printed and minimised is
# the data loss plus **your** `regularization_loss` of both layers (the second
# layer's strengths are 0, so it adds nothing), and the gradients come from **your**
# `Layer_Dense`. After training it validates on a fresh spiral of 100 points per
# class and prints the book's `validation, acc: ..., loss: ...` line.
#
# Randomness follows the book: one `RandomState(0)` draws the training data, then
# the weights of both layers, then the validation spiral. The book draws that spiral
# after training; nothing in between uses the generator, so drawing it up front
# gives the very same points and lets the function also record the validation loss
# every 10 epochs, for the picture in the next cell.


# %%
def spiral_experiment(
    samples=100, hidden=64, epochs=2_001, l2=5e-4, print_every=500, record_every=10
):
    rng = np.random.RandomState(0)
    X, y = spiral_data(samples=samples, classes=3, rng=rng)
    dense1 = Layer_Dense(2, hidden, weight_regularizer_l2=l2, bias_regularizer_l2=l2, rng=rng)
    activation1 = Activation_ReLU()
    dense2 = Layer_Dense(hidden, 3, rng=rng)
    X_val, y_val = spiral_data(samples=100, classes=3, rng=rng)
    loss_activation = Activation_Softmax_Loss_CategoricalCrossentropy()
    penalty = Loss()
    optimizer = Optimizer_Adam(learning_rate=0.02, decay=5e-7)
    history = {"epoch": [], "data_loss": [], "val_loss": [], "acc": [], "val_acc": []}

    def forward(points, labels):
        dense1.forward(points)
        activation1.forward(dense1.output)
        dense2.forward(activation1.output)
        data_loss = loss_activation.forward(dense2.output, labels)
        accuracy = np.mean(np.argmax(loss_activation.output, axis=1) == labels)
        return data_loss, accuracy

    for epoch in range(epochs):
        if epoch % record_every == 0:
            val_loss, val_acc = forward(X_val, y_val)
        data_loss, acc = forward(X, y)
        reg_loss = penalty.regularization_loss(dense1) + penalty.regularization_loss(dense2)
        if epoch % record_every == 0:
            for key, value in zip(history, (epoch, data_loss, val_loss, acc, val_acc)):
                history[key].append(value)
        if print_every and epoch % print_every == 0:
            print(
                f"epoch: {epoch}, acc: {acc:.3f}, loss: {data_loss + reg_loss:.3f} "
                f"(data_loss: {data_loss:.3f}, reg_loss: {reg_loss:.3f}), "
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

    val_loss, val_acc = forward(X_val, y_val)
    print(f"validation, acc: {val_acc:.3f}, loss: {val_loss:.3f}")
    return SimpleNamespace(
        dense1=dense1,
        dense2=dense2,
        history=history,
        X=X,
        y=y,
        X_val=X_val,
        y_val=y_val,
        acc=acc,
        val_acc=val_acc,
        val_loss=val_loss,
    )


def compare(runs):
    # Loss curves, first-layer weight sizes and predicted classes of named runs.
    fig, axes = plt.subplots(1, 2 + len(runs), figsize=(7.5 + 3.75 * len(runs), 3.6))
    colors = ("C0", "C3", "C2", "C1")
    for (name, run), color in zip(runs.items(), colors):
        epochs, train, val = (run.history[key] for key in ("epoch", "data_loss", "val_loss"))
        axes[0].plot(epochs, train, color=color, label=f"{name}, training")
        axes[0].plot(epochs, val, color=color, ls="--", label=f"{name}, validation")
    axes[0].set(xlabel="epoch", ylabel="data loss", ylim=(0, 1.2))
    axes[0].legend(fontsize="small")
    sizes = {name: np.abs(run.dense1.weights).ravel() for name, run in runs.items()}
    bins = np.linspace(0, max(size.max() for size in sizes.values()), 30)
    for (name, size), color in zip(sizes.items(), colors):
        axes[1].hist(size, bins=bins, alpha=0.6, label=name, color=color)
    axes[1].set(xlabel="|weight| in the first layer", ylabel="count")
    axes[1].legend(fontsize="small")
    for ax, (name, run) in zip(axes[2:], runs.items()):

        def predict(points, run=run):
            hidden = np.maximum(0, points @ run.dense1.weights + run.dense1.biases)
            return hidden @ run.dense2.weights + run.dense2.biases

        title = f"{name}: validation acc {run.val_acc:.2f}"
        points = {"X_val": run.X_val, "y_val": run.y_val, "legend": False}
        plot_decision_regions(predict, run.X, run.y, ax=ax, resolution=99, title=title, **points)
    fig.tight_layout()
    plt.show()
    plt.close(fig)


# %% [markdown] nbgrader={"grade": false, "grade_id": "ch14_first_run_explained", "locked": true, "schema_version": 3, "solution": false, "task": false}
# The cell below trains the network twice for `EPOCHS` epochs: once with the
# book's penalty and once, for comparison, with `l2=0` (the same network, data,
# starting weights and optimizer, no penalty). By default that is 2,001 epochs
# each, a few seconds in all. Then it draws three views of the two runs: the data
# loss on the training points (solid) and on the validation points (dashed) as
# training goes on; the sizes of the 128 first-layer weights; and each network's
# predicted class over the plane, with the validation points as triangles. Pockets
# drawn around single training points are what the penalty discourages.
#
# **What to expect with the defaults.** The penalised run ends its training at an
# accuracy of about 0.92 with a loss of about 0.35, of which the penalty is about
# 0.09; on the validation spiral it reaches about 0.81. The run without a penalty
# fits its training points better (about 0.94) and, on these 2,000 epochs, even
# validates a little better (about 0.83). The difference is in the trend and in the
# weights. Its validation loss bottomed out near epoch 1,200 (about 0.43) and has
# been climbing since (about 0.47 at the end) while its training loss keeps falling:
# memorising, as it happens. The penalised run's validation loss is still creeping
# down (about 0.46). And its largest first-layer weight is about 9, against about
# 2.7 with the penalty.
#
# **The book's full run.** Set `EPOCHS = 10_001` and run the cell again (about ten
# seconds per run). The penalised run then ends at a training accuracy of about 0.94
# and loss 0.217 (data loss 0.158, penalty 0.059), and validates at about 0.85 with
# a loss of about 0.47. The run without a penalty reaches about 0.96 on its
# training points, about 0.82 on validation, and a validation loss of about 1.07,
# more than twice the penalised one. That is the book's point: the penalty costs a
# little training accuracy and buys a better validation accuracy and a model that is
# far less sure of itself where it is wrong. (These are the numbers of this replay,
# in float64; the book computes in float32 on its own machine, so its printout
# differs in the second decimal place but tells the same story.)

# %%
EPOCHS = 2_001  # the book's full run: 10_001

print("with L2 5e-4 on the first layer's weights and biases:")
penalised = spiral_experiment(epochs=EPOCHS, print_every=500)
print("\nthe same network without a penalty:")
plain = spiral_experiment(epochs=EPOCHS, l2=0, print_every=0)
print(f"training accuracy {plain.acc:.3f}")
for name, run in (("with penalty", penalised), ("no penalty", plain)):
    print(f"{name}: largest |weight| of the first layer {np.abs(run.dense1.weights).max():.2f}")
compare({"L2 5e-4": penalised, "no penalty": plain})

# %% [markdown] nbgrader={"grade": false, "grade_id": "ch14_more_data_explained", "locked": true, "schema_version": 3, "solution": false, "task": false}
# ## 14.5 Ten times more training data
#
# A penalty makes memorising expensive; more data makes it pointless, because the
# network can no longer carve a pocket around each point without getting many
# neighbouring points wrong. The book's next step keeps everything else and trains
# on `spiral_data(samples=1000, classes=3)`. The validation spiral stays at 100
# points per class. Each epoch now costs about ten times as much.
#
# **What to expect with the defaults** (301 epochs, a few seconds): training
# accuracy about 0.77 and validation about 0.75, only a couple of hundredths apart,
# where the 100-point run of 14.4 was already about 0.10 apart at the same epoch
# (0.83 against 0.73 at epoch 300).
#
# **The book's full run.** Set `EPOCHS = 10_001` (about one and a half minutes on a
# two-core machine). Training ends at about 0.90 with a loss of about 0.32 (data
# loss 0.265, penalty 0.056), validation at about 0.87 with a loss of about 0.34:
# lower training accuracy than with 100 points, a higher validation accuracy, and a
# gap of a few hundredths instead of about a tenth.

# %%
EPOCHS = 301  # the book's full run: 10_001

more_data = spiral_experiment(samples=1000, epochs=EPOCHS, print_every=100)

# %% [markdown] nbgrader={"grade": false, "grade_id": "ch14_wider_explained", "locked": true, "schema_version": 3, "solution": false, "task": false}
# ## 14.6 A wider layer
#
# With enough data and a penalty in place, the network can be given more capacity
# without running off into memorising. The book tries 256 and then 512 neurons in
# the first layer, still with 1,000 points per class. Each epoch of the 512-neuron
# network costs about five times as much as with 64 neurons, the 256-neuron one
# about two and a half times.
#
# **What to expect with the defaults** (256 neurons, 101 epochs, a few seconds):
# after 100 epochs the wider network is at about 0.73 on both training and validation
# data, where 64 neurons had reached about 0.60 and 0.55 by the same epoch in 14.5.
# More neurons, each fitted at the same rate, find the shape in fewer epochs.
#
# **The book's full runs.** Set `EPOCHS = 10_001` (about four minutes). With 256
# neurons training ends at about 0.92 with a loss of about 0.25 (data loss 0.214,
# penalty 0.040) and validation at about 0.88 with a loss of about 0.33: both a
# little better than with 64 neurons, and still only a few hundredths apart. Then
# set `HIDDEN = 512` as well (about eight minutes): training ends at about 0.92
# with a loss of about 0.25 (data loss 0.208, penalty 0.044), and validation at
# about 0.91 with a loss of about 0.28, the best validation of the chapter and only
# a hundredth below the training accuracy.

# %%
HIDDEN = 256  # the book tries 256, then 512
EPOCHS = 101  # the book's full run: 10_001

wider = spiral_experiment(samples=1000, hidden=HIDDEN, epochs=EPOCHS, print_every=50)
print("training / validation accuracy at epoch 100:")
for name, run in ((f"{HIDDEN} neurons", wider), ("64 neurons", more_data)):
    if 100 in run.history["epoch"]:
        at = run.history["epoch"].index(100)
        print(f"  {name}: {run.history['acc'][at]:.3f} / {run.history['val_acc'][at]:.3f}")

# %% [markdown] nbgrader={"grade": false, "grade_id": "ch14_lab_explained", "locked": true, "schema_version": 3, "solution": false, "task": false}
# ## 14.7 Lab: the penalties by hand
#
# The lab trains the network of chapters 14 and 15 (reference classes from
# `nnfs_core`, so it works whether or not your exercises are finished) whenever you
# let go of a slider. Left: the training points over the class the network predicts there;
# right: the same regions with the validation spiral (triangles), which the network
# never trains on. Below: training loss and accuracy (solid) against validation
# (dashed), and the penalty on its own. The status line reports the gap between
# training and validation accuracy and flags a gap above 0.10 as overfitting.
#
# It has a **dropout** slider too, the subject of chapter 15; here it starts at 0.
# Its optimizer starts from chapter 15's settings (learning rate 0.05, decay
# `5e-5`, both with sliders of their own), and its validation spiral is drawn from
# the seed plus one, so the lab's numbers differ a little from the runs above.
# **Train** retrains, **Stop** ends a long run, and the **epoch** slider with its
# play button replays a finished run.
# `RegularizationLab(dropout=0.0, **RegularizationLab.book_settings)` starts from
# the book's 1,000 points per class and 10,001 epochs.
#
# **Try this.** (Runs of 3,000 epochs take ten to twenty seconds.)
# 1. Set both L2 sliders to 0 and the epochs to 3,000, then **Train**. The training
#    accuracy ends near 0.97 and validation near 0.82, a gap of about 0.14 that the
#    status line flags as overfitting. In the loss panel the dashed validation loss
#    bottoms out around epoch 600 and climbs from there (to about 0.58) while the
#    training loss keeps falling.
# 2. Set both L2 sliders back to `5e-4`. The training accuracy drops to about 0.93
#    and the final validation loss to about 0.50, but the validation accuracy does
#    not improve (about 0.79). On 100 points per class the penalty makes the
#    network's mistakes less confident; it cannot supply the missing data.
# 3. Overdo it. L2 `5e-2` on both: training about 0.73, validation about 0.66. Or L2
#    at 0 and the weights' L1 at `5e-3`: the network collapses to about 0.4, hardly
#    better than guessing. A penalty that outweighs the data wins.
# 4. Back to L2 `5e-4` on both and 1,000 epochs; raise the samples per class from
#    100 to 500, then 1,000. The gap falls from about 0.12 to about 0.04 and then
#    0.02, and validation accuracy rises from about 0.79 to 0.84 and 0.87: more data
#    is what closes the gap, as in 14.5. (The 1,000-point run takes up to a minute.)

# %% nbgrader={"grade": false, "grade_id": "ch14_lab", "locked": true, "schema_version": 3, "solution": false, "task": false}
# %matplotlib widget
from nnfs_core.labs import RegularizationLab

lab = RegularizationLab(dropout=0.0)
lab
