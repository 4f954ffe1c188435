# %% [markdown] nbgrader={"grade": false, "grade_id": "ch22_intro", "locked": true, "schema_version": 3, "solution": false, "task": false}
# # Chapter 22 · Prediction and inference
#
# A trained model earns its keep on data nobody has labelled: a new photo, a new
# scan, a new drawing. This last chapter writes `predict`, which runs the model
# forward on such data, turns its outputs into class labels and names, counts which
# classes the model confuses with which, looks at the images it gets right and
# wrong, and prepares a brand-new image exactly as the training images were
# prepared, the step that decides whether the model's answer means anything.
#
# | section | you write | graded check | points |
# |---|---|---|---|
# | 22.1 | `Model.predict` | `model_predict` | 1 |
# | 22.2 | (from outputs to class labels and names) | | |
# | 22.3 | `Confusion_Matrix.calculate` | `confusion_matrix` | 1 |
# | 22.4 | (a gallery of right and wrong answers) | | |
# | 22.5 | (a new image, prepared like the training data) | | |
#
# **Your class extends the reference.** `book.Model` is the reference Model of the
# earlier chapters (`add`, `set`, `finalize`, `train`, `evaluate`...). You write
# `class Model(book.Model)` with a `predict` of your own (the reference has one too;
# yours replaces it), so this notebook depends only on this chapter's exercises. The
# confusion matrix is a small class of its own.
#
# ### How to check your work
#
# Run the cell with your class, then the test cell under it. A green ✓ block
# means your code returned what the reference returns on fixed random data.
# Otherwise the test shows a ✗ block (a `CheckFailed` error) that says what differs and,
# for the usual slips (dropout left on, only the last batch returned, rows and
# columns of the matrix swapped, the classes counted from the labels...), names the
# slip. While a method still raises `NotImplementedError`, the test reports
# *not implemented yet*.
#
# ### Stuck?
#
# Run `from nnfs_core.book import Model` in a new cell below the exercise to carry on
# with the reference class (grading gives it no points; see chapter 1); run your
# class cell again to switch back. The confusion matrix has no twin in
# `nnfs_core.book`, and its explanation ends with a hint you can unfold; the
# reference function is `nnfs_core.metrics.confusion_matrix(y_true, y_pred,
# n_classes)` if you want to compare.

# %% nbgrader={"grade": false, "grade_id": "ch22_imports", "locked": true, "schema_version": 3, "solution": false, "task": false}
import matplotlib.pyplot as plt
import numpy as np
from PIL import Image, ImageDraw

from autograder import check, submit
from autograder.library import components
from nnfs_core import FASHION_MNIST_LABELS, book, load_digits, train_test_split

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
    chapter="ch22",
)


# %% [markdown] nbgrader={"grade": false, "grade_id": "ch22_predict_explained", "locked": true, "schema_version": 3, "solution": false, "task": false}
# ## 22.1 `Model.predict`
#
# `predict(X, *, batch_size=None)` returns the output of the model's last layer for
# every sample of `X`: for a softmax classifier, one row of class probabilities per
# sample. It is `evaluate` without labels, and so without loss or accuracy:
#
# * the forward pass runs with `training=False`, so dropout passes everything and
#   the same input always gets the same answer;
# * the data goes through in slices of `batch_size` samples (all at once when it is
#   `None`), and the slices' outputs are stacked back into one array with a row per
#   sample, in the order of `X`: collect them in a list and call `np.vstack` on it
#   after the loop.
#
# **Your task:** write `predict`. It returns the outputs themselves, not class
# labels: turning outputs into labels is the output activation's job (22.2), and a
# regression model's outputs are its answers already.


# %% nbgrader={"grade": false, "grade_id": "ch22_predict", "locked": false, "schema_version": 3, "solution": true, "task": false}
class Model(book.Model):
    def predict(self, X, *, batch_size=None):
        # Return the last layer's outputs for all of X, batch by batch, dropout off, stacked in order.
        ### BEGIN SOLUTION
        size = len(X) if batch_size is None else batch_size
        outputs = []
        for start in range(0, len(X), size):
            outputs.append(self.forward(X[start : start + size], training=False))
        return np.vstack(outputs)
        ### END SOLUTION


# %% nbgrader={"grade": true, "grade_id": "test_model_predict", "locked": true, "points": 1, "schema_version": 3, "solution": false, "task": false}
check("model_predict", Model)
### BEGIN HIDDEN TESTS
submit("model_predict", Model, seed=221379)
### END HIDDEN TESTS

# %% [markdown] nbgrader={"grade": false, "grade_id": "ch22_labels_explained", "locked": true, "schema_version": 3, "solution": false, "task": false}
# ## 22.2 From outputs to labels and names
#
# The model: the digits classifier of chapters 20 and 21 (8×8 images flattened to 64
# values scaled to $[-1, 1]$, `Layer_Dense(64, 64)` → ReLU → `Layer_Dropout(0.2)` →
# `Layer_Dense(64, 10)` → softmax, Adam), built from **your** `Model` and trained
# for 20 epochs; a shuffled fifth of the images is held out. Training takes about a
# second.
#
# The output layer's activation knows how to read its own outputs:
# `model.output_layer_activation.predictions(outputs)` is `np.argmax(outputs,
# axis=1)` for softmax (the most probable class), `outputs > 0.5` for a sigmoid
# and the outputs unchanged for a linear regression output. The largest probability
# of a row is the model's **confidence** in its answer.
#
# Class numbers are for machines. A **label dictionary** maps them to names for
# people: for the digits the names of the numbers, for Fashion-MNIST (chapter 19)
# the book's ten clothing names, which `nnfs_core` keeps as `FASHION_MNIST_LABELS`.

# %%
images, labels = load_digits()
X = (images.reshape(len(images), -1) - 8) / 8
X_train, X_val, y_train, y_val = train_test_split(
    X, labels, test_fraction=0.2, rng=np.random.RandomState(22)
)
images_val = X_val.reshape(-1, 8, 8) * 8 + 8  # the validation images, 0..16 again

rng = np.random.RandomState(0)
model = Model()
model.add(Layer_Dense(64, 64, rng=rng))
model.add(Activation_ReLU())
model.add(Layer_Dropout(0.2, rng=rng))
model.add(Layer_Dense(64, 10, rng=rng))
model.add(Activation_Softmax())
model.set(
    loss=Loss_CategoricalCrossentropy(),
    optimizer=Optimizer_Adam(learning_rate=0.005, decay=1e-3),
    accuracy=Accuracy_Categorical(),
)
model.finalize()
model.train(X_train, y_train, epochs=20, batch_size=32, print_every=20)
val_loss, val_accuracy = model.evaluate(X_val, y_val)

# %%
DIGIT_NAMES = {
    0: "zero", 1: "one", 2: "two", 3: "three", 4: "four",
    5: "five", 6: "six", 7: "seven", 8: "eight", 9: "nine",
}  # fmt: skip
print("Fashion-MNIST's dictionary:", FASHION_MNIST_LABELS)

outputs = model.predict(X_val[:8])
print("\nthe outputs of the first two images:\n", np.round(outputs[:2], 3))
predicted = model.output_layer_activation.predictions(outputs)
for output, label, truth in zip(outputs, predicted, y_val[:8]):
    mark = "right" if label == truth else "WRONG"
    print(
        f"{DIGIT_NAMES[label]:>5} with {output.max():6.1%} confidence, "
        f"truly {DIGIT_NAMES[truth]:>5}: {mark}"
    )


# %% [markdown] nbgrader={"grade": false, "grade_id": "ch22_labels_read", "locked": true, "schema_version": 3, "solution": false, "task": false}
# **What to expect.** The validation accuracy after training is about 0.97. Most
# rows of outputs put nearly all the probability on one class, and the first eight
# images are all classified right, most of them with a confidence above 99%.

# %% [markdown] nbgrader={"grade": false, "grade_id": "ch22_confusion_explained", "locked": true, "schema_version": 3, "solution": false, "task": false}
# ## 22.3 The confusion matrix
#
# Accuracy is one number: how many answers were right. It does not say *which*
# classes the model mixes up. The **confusion matrix** does: a table with a row for
# every true class and a column for every predicted class, where the cell in row $i$
# and column $j$ counts the samples of class $i$ that the model called $j$.
#
# * The diagonal holds the right answers; everything off it is a mistake, and its
#   position says which one: a large count in row 4, column 9 means fours taken for
#   nines.
# * Row $i$ sums to the number of samples of class $i$; the diagonal's sum divided
#   by the total is the accuracy.
# * Rows are true classes and columns predictions (scikit-learn's convention, used
#   here); swapping them turns "fours taken for nines" into "nines taken for
#   fours".
# * The matrix always has `n_classes` rows and columns, given by the caller. A small
#   batch may contain no sample of some class, or the model may never predict one;
#   counting the classes from the labels would then make the matrix smaller, and
#   row $i$ would no longer mean class $i$.
#
# **Your task:** `Confusion_Matrix(n_classes).calculate(y_true, y_pred)` returns the
# counts as an array of shape `(n_classes, n_classes)`. (Mind the order of the
# arguments: the true labels first, as in scikit-learn.)
#
# <details><summary>Hint</summary>
#
# Start from `np.zeros((self.n_classes, self.n_classes), dtype=int)` and add 1 to
# `counts[true, predicted]` for every pair in `zip(y_true, y_pred)`. (Without a
# loop: `np.add.at(counts, (y_true, y_pred), 1)`; plain `counts[y_true, y_pred] += 1`
# would count a repeated pair only once.)
#
# </details>


# %% nbgrader={"grade": false, "grade_id": "ch22_confusion", "locked": false, "schema_version": 3, "solution": true, "task": false}
class Confusion_Matrix:
    def __init__(self, n_classes):
        self.n_classes = n_classes

    def calculate(self, y_true, y_pred):
        # Return counts (n_classes, n_classes): counts[i, j] = samples of true class i predicted as j.
        ### BEGIN SOLUTION
        counts = np.zeros((self.n_classes, self.n_classes), dtype=int)
        for true, predicted in zip(y_true, y_pred):
            counts[true, predicted] += 1
        return counts
        ### END SOLUTION


# %% nbgrader={"grade": true, "grade_id": "test_confusion_matrix", "locked": true, "points": 1, "schema_version": 3, "solution": false, "task": false}
check("confusion_matrix", Confusion_Matrix)
### BEGIN HIDDEN TESTS
submit("confusion_matrix", Confusion_Matrix, seed=223491)
### END HIDDEN TESTS

# %% [markdown] nbgrader={"grade": false, "grade_id": "ch22_confusion_plot_explained", "locked": true, "schema_version": 3, "solution": false, "task": false}
# The matrix of the digits classifier on its 359 validation images, drawn as a grid:
# darker cells hold more samples, each cell shows its count (empty cells are
# zeros). The cell also checks the bookkeeping: the rows sum to the class sizes, the
# diagonal to the number of right answers.

# %%
outputs = model.predict(X_val, batch_size=128)
val_predictions = model.output_layer_activation.predictions(outputs)
counts = Confusion_Matrix(10).calculate(y_val, val_predictions)
class_sizes = np.bincount(y_val, minlength=10)
print("rows sum to the class sizes:", np.array_equal(counts.sum(axis=1), class_sizes))
print(f"accuracy from the diagonal: {np.trace(counts) / counts.sum():.3f}")

mistakes = counts - np.diag(np.diag(counts))
true, wrong = np.unravel_index(np.argmax(mistakes), mistakes.shape)
print(f"mistakes: {mistakes.sum()}, by predicted class: {mistakes.sum(axis=0)}")
pair = f"{DIGIT_NAMES[true]} taken for {DIGIT_NAMES[wrong]}"
print(f"most frequent: {pair}, {mistakes[true, wrong]} times")

fig, ax = plt.subplots(figsize=(5.2, 4.6))
ax.imshow(counts, cmap="Blues", norm="log")
for i, j in zip(*np.nonzero(counts)):
    color = "white" if counts[i, j] > 10 else "black"
    ax.text(j, i, counts[i, j], ha="center", va="center", fontsize=8, color=color)
ax.set_xticks(range(10))
ax.set_yticks(range(10))
ax.set_xlabel("predicted class")
ax.set_ylabel("true class")
ax.set_title("confusion matrix, validation digits")
plt.show()

# %% [markdown] nbgrader={"grade": false, "grade_id": "ch22_confusion_read", "locked": true, "schema_version": 3, "solution": false, "task": false}
# **What to expect.** Almost everything sits on the diagonal, about 30 to 43 images
# per class; about a dozen of the 359 images are off it. The mistakes are not spread
# evenly: about half of them sit in one *column*, images of other digits (eights,
# sixes, a five) that the model called "one". A column like that says more about the
# model than the accuracy does: it reaches for "one" when it is unsure.

# %% [markdown] nbgrader={"grade": false, "grade_id": "ch22_gallery_explained", "locked": true, "schema_version": 3, "solution": false, "task": false}
# ## 22.4 Right and wrong answers
#
# Counts say how often; pictures say why. The first row below shows validation
# images the model classified right, the second row the ones it got wrong, each
# titled with the predicted digit, its confidence and, for a mistake, the truth.

# %%
outputs = model.predict(X_val)
val_predictions = model.output_layer_activation.predictions(outputs)
confidence = outputs.max(axis=1)
right = np.flatnonzero(val_predictions == y_val)[:7]
wrong = np.flatnonzero(val_predictions != y_val)[:7]

fig, axes = plt.subplots(2, 7, figsize=(11, 3.8))
for row, chosen in enumerate((right, wrong)):
    for ax in axes[row]:
        ax.axis("off")
    for ax, index in zip(axes[row], chosen):
        ax.imshow(images_val[index], cmap="gray_r", vmin=0, vmax=16)
        title = f"{val_predictions[index]} ({confidence[index]:.0%})"
        if row == 1:
            title += f"\ntruly {y_val[index]}"
        ax.set_title(title, fontsize=9, color="black" if row == 0 else "tab:red")
axes[0, 0].text(-6, 3.5, "right", rotation=90, va="center")
axes[1, 0].text(-6, 3.5, "wrong", rotation=90, va="center")
plt.show()


# %% [markdown] nbgrader={"grade": false, "grade_id": "ch22_gallery_read", "locked": true, "schema_version": 3, "solution": false, "task": false}
# **What to expect.** The right answers come with confidences near 100%, a few
# between 85% and 90%. The wrong ones are mostly less sure of themselves (roughly
# 40% to 90%, with one exception above 95%), and most of them are narrow, upright
# shapes read as "one", the column of 22.3; several are hard for a person too at
# 8×8 pixels: a stroke too faint, a loop not closed. A confident mistake is the worrying kind; looking at such
# images is how one finds mislabelled data or a class the model has not really
# learned.

# %% [markdown] nbgrader={"grade": false, "grade_id": "ch22_new_image_explained", "locked": true, "schema_version": 3, "solution": false, "task": false}
# ## 22.5 A new image, prepared like the training data
#
# The model has only ever seen images made one way, and it knows nothing else. The
# digits dataset was made from scanned forms: each digit was cut out, scaled to fill
# a square frame from top to bottom, centred, and reduced to 8×8 by measuring how
# much ink falls into each block of the frame, giving **bright ink (up to 16) on a
# dark background (0)**. Chapter 20 then scaled every value to $[-1, 1]$ with
# $(x - 8) / 8$ and flattened each image into a row of 64. A new image must go
# through the same steps, in the same order, or the model is being asked about
# something it has never seen.
#
# A photo or a drawing usually comes as **dark ink on white paper**, with values
# from 0 (black) to 255 (white), at some other size. `prepare_image` below:
#
# 1. converts it to one grey channel (`convert("L")`);
# 2. shrinks it to 8×8 with box averaging, so each new pixel is the mean of the
#    block it covers, much as the dataset measured ink per block;
# 3. **inverts** it (`255 - x`), so that ink is bright and paper is 0;
# 4. maps 0..255 to the dataset's 0..16;
# 5. applies the training data's own scaling, $(x - 8) / 8$;
# 6. flattens it into a batch of one sample, shape `(1, 64)`.
#
# It expects the digit to fill the picture's height and stand in the middle, as the
# dataset's digits do.
#
# The drawings are made with Pillow's `ImageDraw` on white 120×160 "paper" with a
# black pen about as thick, relative to the digit, as the dataset's strokes: a
# zero, a one, a two, a three, a four and a seven.


# %%
def prepare_image(image, invert=True):
    """A Pillow image of a dark digit on light paper -> a (1, 64) row like the training data."""
    small = image.convert("L").resize((8, 8), Image.Resampling.BOX)
    grey = np.asarray(small, dtype=float)
    ink = 255 - grey if invert else grey
    pixels = ink * 16 / 255
    return ((pixels - 8) / 8).reshape(1, 64)


def drawing(*strokes, size=(120, 160), width=18):
    """White paper with black strokes: ("line", points) or ("ellipse"/"arc", box, ...)."""
    paper = Image.new("L", size, 255)
    pen = ImageDraw.Draw(paper)
    for kind, box, *angles in strokes:
        if kind == "line":
            pen.line(box, fill=0, width=width)
        elif kind == "ellipse":
            pen.ellipse(box, outline=0, width=width)
        else:
            pen.arc(box, *angles, fill=0, width=width)
    return paper


drawn = {
    0: drawing(("ellipse", (25, 9, 95, 151))),
    1: drawing(("line", (65, 9, 65, 151)), ("line", (65, 12, 38, 40))),
    2: drawing(
        ("arc", (20, 9, 100, 85), 180, 20),
        ("line", (97, 60, 25, 142)),
        ("line", (25, 142, 105, 142)),
    ),
    3: drawing(("arc", (25, 9, 95, 85), 200, 90), ("arc", (20, 75, 100, 151), 270, 160)),
    4: drawing(
        ("line", (75, 9, 20, 105)), ("line", (20, 105, 110, 105)), ("line", (80, 50, 80, 151))
    ),
    7: drawing(("line", (20, 18, 100, 18)), ("line", (95, 18, 45, 152))),
}


# %%
def show_new_images(pictures, invert=True):
    """Each picture, what the model receives, and its answer."""
    rows = [prepare_image(picture, invert) for picture in pictures.values()]
    outputs = model.predict(np.vstack(rows))
    answers = model.output_layer_activation.predictions(outputs)
    size = (1.6 * len(pictures), 3.8)
    _, axes = plt.subplots(2, len(pictures), figsize=size, squeeze=False)
    for column, (meant, picture) in enumerate(pictures.items()):
        axes[0, column].imshow(picture, cmap="gray", vmin=0, vmax=255)
        axes[0, column].set_title(f"drawn: {meant}", fontsize=9)
        axes[1, column].imshow(rows[column].reshape(8, 8) * 8 + 8, cmap="gray_r", vmin=0, vmax=16)
        color = "black" if answers[column] == meant else "tab:red"
        axes[1, column].set_title(
            f"model: {answers[column]} ({outputs[column].max():.0%})", fontsize=9, color=color
        )
    for ax in axes.flat:
        ax.axis("off")
    plt.show()
    return answers


answers = show_new_images(drawn)

# %% [markdown] nbgrader={"grade": false, "grade_id": "ch22_drawn_read", "locked": true, "schema_version": 3, "solution": false, "task": false}
# The top row is what was drawn, the bottom row what the model receives (shown as the
# dataset's images are, ink dark). **What to expect.** All six drawings are read
# correctly, five of them with a confidence of about 93% or more. The one is the
# exception, at about 60%: the dataset's ones are mostly broad, about three blocks
# wide once reduced to 8×8 (and about a fifth have a foot), so a thin single stroke is
# less typical of them.
#
# **A dataset digit at another scale.** The next cell takes a validation image,
# enlarges it six times (48×48 pixels) and turns it into dark ink on white paper,
# 0 to 255, as a scanner would deliver it. `prepare_image` brings it back to what
# the model was trained on, up to the rounding of the 0–255 scale, and the model
# gives the same answer for both.

# %%
index = 3
enlarged = np.kron(images_val[index], np.ones((6, 6)))  # 48 x 48, bright ink
scan = Image.fromarray(np.round(255 - enlarged * 255 / 16).astype(np.uint8))
prepared = prepare_image(scan)

gap = np.abs(prepared.reshape(8, 8) * 8 + 8 - images_val[index]).max()
print(f"the scan: {scan.size[0]}x{scan.size[1]} pixels, values {scan.getextrema()}")
print(f"prepared vs the original image: largest difference {gap:.3f} on the 0..16 scale")
outputs = model.predict(np.vstack([prepared, X_val[index : index + 1]]))
scan_answer, original_answer = model.output_layer_activation.predictions(outputs)
print(f"the model says {scan_answer} for the scan, {original_answer} for the original")
print(f"the label says {y_val[index]}")

# %% [markdown] nbgrader={"grade": false, "grade_id": "ch22_wrong_preparation_explained", "locked": true, "schema_version": 3, "solution": false, "task": false}
# **Two ways to get it wrong.** First, the same drawings *without the inversion*:
# dark strokes on a bright background, the opposite of everything the model saw.
# Then a seven drawn small in the top-left corner of the paper instead of filling
# it: prepared correctly otherwise, but not framed like the dataset's digits.

# %%
print("not inverted:", show_new_images(drawn, invert=False))
corner = {7: drawing(("line", (10, 10, 50, 10)), ("line", (50, 10, 25, 70)), width=10)}
print("small, in a corner:", show_new_images(corner))

# %% [markdown] nbgrader={"grade": false, "grade_id": "ch22_wrong_preparation_read", "locked": true, "schema_version": 3, "solution": false, "task": false}
# **What to expect.** Without the inversion, every drawing is misread, four of the
# six with a confidence above 75%: the model does not know that it does not know.
# The small seven in the corner is read as a zero, with a confidence of about 75%. Neither is a fault of the model; both
# are inputs it was never trained on. (A fuller `prepare_image` would crop the
# digit to its ink, pad it to a square and centre it before shrinking, as the
# dataset's makers did.)

# %% [markdown] nbgrader={"grade": false, "grade_id": "ch22_your_network_explained", "locked": true, "schema_version": 3, "solution": false, "task": false}
# ## 22.6 Your network, from your own pieces
#
# Every class whose checks passed in your workspace is in your own library,
# `my_nnfs/` beside the chapter folders (`python3 course.py progress` brings it up to
# date and lists it). The cell below builds this chapter's digits classifier twice,
# from the same seed: once from your classes as they stood when your `Model` was
# complete, at the end of chapter 18 (that `Model`, your `Layer_Dense` of chapter 14,
# your activations, loss, accuracy and Adam), once from the reference; it trains both
# for 200 full-batch epochs and reports their validation accuracies. Where a piece of
# yours is missing or does not pass, the reference stands in, and the line above the
# results says so.
#
# **What to expect.** With every piece passing, the two accuracies are the same
# to the last digit: your framework computes what the reference computes. Outside
# your workspace (or with `use_reference()`), both runs use the reference.

# %%
PIECES = (
    "Layer_Dense",
    "Activation_ReLU",
    "Activation_Softmax",
    "Loss_CategoricalCrossentropy",
    "Optimizer_Adam",
    "Accuracy_Categorical",
    "Model",
)


def digits_accuracy(classes, epochs=200):
    """Train the digits classifier with ``classes`` (PIECES' order); validation accuracy."""
    dense, relu, softmax, loss, adam, accuracy, model_class = classes
    rng = np.random.RandomState(0)
    network = model_class()
    network.add(dense(64, 64, rng=rng))
    network.add(relu())
    network.add(dense(64, 10, rng=rng))
    network.add(softmax())
    network.set(
        loss=loss(),
        optimizer=adam(learning_rate=0.005, decay=1e-3),
        accuracy=accuracy(),
    )
    network.finalize()
    network.train(X_train, y_train, epochs=epochs, print_every=epochs)
    outputs = network.forward(X_val, training=False)
    return float(np.mean(np.argmax(outputs, axis=1) == y_val))


# chapter="ch19": the classes of chapters before 19, when chapter 18 had completed the Model
yours = digits_accuracy(components(*PIECES, chapter="ch19"))
reference = digits_accuracy(components(*PIECES, chapter="ch19", reference=True, quiet=True))
print(f"validation accuracy, your pieces: {yours:.4f}; the reference: {reference:.4f}")

# %% [markdown] nbgrader={"grade": false, "grade_id": "ch22_end", "locked": true, "schema_version": 3, "solution": false, "task": false}
# ## The end of the road
#
# That completes the book's network: dense layers and activations, losses and their
# gradients, optimizers, regularization and dropout, the `Model` object, training in
# batches, evaluation, saving and loading, and now prediction, each written by you
# and checked against a reference. The same pieces, scaled up and run on GPUs, are
# what the large frameworks provide; knowing what each of them does, and how each
# can go wrong, is what this course was for.
