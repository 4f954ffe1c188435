# %% [markdown] nbgrader={"grade": false, "grade_id": "ch21_intro", "locked": true, "schema_version": 3, "solution": false, "task": false}
# # Chapter 21 · Saving and loading models
#
# Everything a trained network has learned sits in a few arrays: the weights and
# biases of its dense layers. This chapter reads them out and puts them back, first
# in memory, then through a file, so that a model trained today can be used tomorrow,
# on another machine, without training it again. It also explains why the files here
# are plain arrays and not Python's `pickle`, which the book uses: loading a pickle
# can run any code the file's author chose.
#
# | section | you write | graded check | points |
# |---|---|---|---|
# | 21.1 | `Layer_Dense.get_parameters`, `.set_parameters` | `dense_parameters` | 2 |
# | 21.2 | `Model.get_parameters`, `.set_parameters` | `model_parameters` | 1 |
# | 21.3 | (a fresh model takes over a trained one's parameters; why copies) | | |
# | 21.4 | (parameters saved to a file and loaded back) | | |
# | 21.5 | (why not pickle) | | |
# | 21.6 | (the whole model in one file, optimizer included) | | |
# | 21.7 | (files that are refused, and what the errors say) | | |
#
# **Your classes extend the reference.** `book.Layer_Dense` and `book.Model` are the
# reference classes of the earlier chapters (forward and backward, regularization;
# `add`, `set`, `finalize`, `train`, `evaluate`, `predict`). You write
# `class Layer_Dense(book.Layer_Dense)` and `class Model(book.Model)`, each with two
# methods of its own; everything else is inherited, so this notebook depends only on
# this chapter's exercises. (The reference has these methods as well; yours replace
# them.) Every file this notebook writes goes to a temporary folder that the last
# cell deletes, so your own folder stays as it was.
#
# ### How to check your work
#
# Run the cell with your class, then the test cell under it. A green ✓ block
# means your methods returned and stored what the reference does, and refused what
# it refuses. Otherwise the test shows a ✗ block (a `CheckFailed` error) that says what
# differs and, for the usual slips (the layer's own arrays handed out instead of
# copies, a wrong shape accepted, the layers in the wrong order...), names the
# slip. While a method still raises `NotImplementedError`, the test reports
# *not implemented yet*.
#
# ### Stuck?
#
# Run `from nnfs_core.book import Layer_Dense` (or `Model`) in a new cell below the
# exercise: from then on that name is the reference class and the rest of the
# notebook runs with it (grading gives it no points; see chapter 1). To switch back
# to yours, run your class cell again.

# %% nbgrader={"grade": false, "grade_id": "ch21_imports", "locked": true, "schema_version": 3, "solution": false, "task": false}
import json
import pickle
import tempfile
from pathlib import Path

import numpy as np

from autograder import check, submit
from autograder.library import components
from nnfs_core import book, load_digits, train_test_split

# Earlier chapters' classes: yours where they pass in your workspace, else the reference
(
    Accuracy_Categorical,
    Activation_ReLU,
    Activation_Softmax,
    Loss_CategoricalCrossentropy,
    Optimizer_Adam,
) = components(
    "Accuracy_Categorical",
    "Activation_ReLU",
    "Activation_Softmax",
    "Loss_CategoricalCrossentropy",
    "Optimizer_Adam",
    chapter="ch21",
)


# %% [markdown] nbgrader={"grade": false, "grade_id": "ch21_layer_explained", "locked": true, "schema_version": 3, "solution": false, "task": false}
# ## 21.1 A layer's parameters
#
# A dense layer's state worth keeping is `self.weights`, shape
# `(n_inputs, n_neurons)`, and `self.biases`, shape `(1, n_neurons)`. Everything else
# on it (inputs, outputs, gradients, an optimizer's caches) either is recomputed in
# the next pass or belongs to training.
#
# **`get_parameters()`** returns the pair `(weights, biases)`, **as copies**. A NumPy
# array is a reference to memory: if the method returned `self.weights` itself, the
# caller and the layer would hold the very same numbers, and the optimizers of
# chapter 10 change them *in place* (`layer.weights += ...`). A "snapshot" taken
# before more training would quietly turn into the trained weights (21.3 shows it
# happening). `self.weights.copy()` hands over numbers that nothing else touches.
#
# **`set_parameters(weights, biases)`** replaces the layer's parameters. It first
# checks that each array has the shape of the one it replaces, and otherwise raises
# a `ValueError` that says what it received, what it expected and how to fix it. The
# check matters because a wrong shape does not always fail later: biases of shape
# `(n_neurons,)` instead of `(1, n_neurons)`, for instance, still broadcast in
# `forward`. Then it stores copies, for the same reason as above: two models loaded
# from one list of arrays must not end up sharing them. (The book returns and stores
# the arrays themselves; copying costs little and rules out a whole family of
# puzzling bugs.)
#
# **Your task:** the two methods below. A refused call must leave the layer as it
# was, so check before you store.


# %% nbgrader={"grade": false, "grade_id": "ch21_layer", "locked": false, "schema_version": 3, "solution": true, "task": false}
class Layer_Dense(book.Layer_Dense):
    def get_parameters(self):
        # Return copies of (weights, biases).
        ### BEGIN SOLUTION
        return self.weights.copy(), self.biases.copy()
        ### END SOLUTION

    def set_parameters(self, weights, biases):
        # Raise ValueError if a shape differs from the current one; then store copies.
        ### BEGIN SOLUTION
        weights = np.asarray(weights, dtype=float)
        biases = np.asarray(biases, dtype=float)
        for name, new, old in (("weights", weights, self.weights), ("biases", biases, self.biases)):
            if new.shape != old.shape:
                raise ValueError(
                    f"Layer_Dense.set_parameters: received {name} of shape {new.shape}; this "
                    f"layer's {name} have shape {old.shape}. Fix: pass (weights, biases) "
                    f"from a layer with the same numbers of inputs and neurons."
                )
        self.weights = weights.copy()
        self.biases = biases.copy()
        ### END SOLUTION


# %% nbgrader={"grade": true, "grade_id": "test_dense_parameters", "locked": true, "points": 2, "schema_version": 3, "solution": false, "task": false}
check("dense_parameters", Layer_Dense)
### BEGIN HIDDEN TESTS
submit("dense_parameters", Layer_Dense, seed=211583)
### END HIDDEN TESTS

# %% [markdown] nbgrader={"grade": false, "grade_id": "ch21_model_explained", "locked": true, "schema_version": 3, "solution": false, "task": false}
# ## 21.2 A model's parameters
#
# A model's parameters are its trainable layers' pairs, in the order of the layers:
# `[(weights_1, biases_1), (weights_2, biases_2), ...]`. `finalize()` has already
# collected those layers, front to back, in `self.trainable_layers` (activations and
# dropout have nothing to save and are not in it).
#
# **`get_parameters()`** returns that list, asking each layer for its own pair (so
# the copying of 21.1 does the work).
#
# **`set_parameters(parameters)`** hands pair $i$ to trainable layer $i$, with that
# layer's `set_parameters`, which checks the shapes. Before that it checks the
# length: `zip` stops silently at the shorter of two lists, so a list with one pair
# too few would leave the last layer untouched and raise nothing. Raise a
# `ValueError` when the number of pairs differs from the number of trainable layers.
#
# The order is the whole contract. A list saved from one model can be loaded into
# another only because both walk their layers the same way, front to back.
#
# **Your task:** the two methods below.


# %% nbgrader={"grade": false, "grade_id": "ch21_model", "locked": false, "schema_version": 3, "solution": true, "task": false}
class Model(book.Model):
    def get_parameters(self):
        # Return [(weights, biases), ...]: one pair per trainable layer, in order.
        ### BEGIN SOLUTION
        return [layer.get_parameters() for layer in self.trainable_layers]
        ### END SOLUTION

    def set_parameters(self, parameters):
        # Raise ValueError if the number of pairs is wrong; then set each layer's pair, in order.
        ### BEGIN SOLUTION
        if len(parameters) != len(self.trainable_layers):
            raise ValueError(
                f"Model.set_parameters: received {len(parameters)} (weights, biases) pairs; "
                f"this model has {len(self.trainable_layers)} trainable layers. Fix: pass "
                f"the list get_parameters() returns for a model built the same way."
            )
        for parameter_set, layer in zip(parameters, self.trainable_layers):
            layer.set_parameters(*parameter_set)
        ### END SOLUTION


# %% nbgrader={"grade": true, "grade_id": "test_model_parameters", "locked": true, "points": 1, "schema_version": 3, "solution": false, "task": false}
check("model_parameters", Model)
### BEGIN HIDDEN TESTS
submit("model_parameters", Model, seed=212647)
### END HIDDEN TESTS

# %% [markdown] nbgrader={"grade": false, "grade_id": "ch21_trained_explained", "locked": true, "schema_version": 3, "solution": false, "task": false}
# ## 21.3 Taking over a trained model's parameters
#
# A classifier for the 8×8 digits of chapter 20 (pixels scaled to $[-1, 1]$, a fifth
# held out for validation), built from **your** classes:
# `Layer_Dense(64, 64)` → ReLU → `Layer_Dense(64, 10)` → softmax, trained for 10
# epochs in batches of 32 with `Optimizer_Adam(learning_rate=0.005, decay=1e-3)`. The
# `seed` fixes its starting weights, so `digits_model(seed=1)` is the same network
# with different random weights.

# %%
images, labels = load_digits()
X = (images.reshape(len(images), -1) - 8) / 8
X_train, X_val, y_train, y_val = train_test_split(
    X, labels, test_fraction=0.2, rng=np.random.RandomState(21)
)


def digits_model(seed=0, dense=None, hidden=64, reference=False):
    """An untrained 64 -> hidden -> 10 classifier: your Layer_Dense (or `dense`) and the
    imported classes; with `reference=True`, the reference's classes only."""
    classes = vars(book) if reference else globals()
    dense = classes["Layer_Dense"] if dense is None else dense
    rng = np.random.RandomState(seed)
    model = Model()
    model.add(dense(64, hidden, rng=rng))
    model.add(classes["Activation_ReLU"]())
    model.add(dense(hidden, 10, rng=rng))
    model.add(classes["Activation_Softmax"]())
    model.set(
        loss=classes["Loss_CategoricalCrossentropy"](),
        optimizer=classes["Optimizer_Adam"](learning_rate=0.005, decay=1e-3),
        accuracy=classes["Accuracy_Categorical"](),
    )
    model.finalize()
    return model


model = digits_model()
model.train(X_train, y_train, epochs=10, batch_size=32, print_every=10)
val_loss, val_accuracy = model.evaluate(X_val, y_val)

# %% [markdown] nbgrader={"grade": false, "grade_id": "ch21_transfer_explained", "locked": true, "schema_version": 3, "solution": false, "task": false}
# The next cell reads the trained model's parameters with your `get_parameters`, and
# builds a second model of the same shape from other random weights. Untrained, it
# is no better than guessing: a loss of about $\ln 10 \approx 2.30$, the loss of
# giving every class the same probability, and an accuracy of a few percent (picking
# at random would be right one time in ten). Given the first model's
# parameters with your `set_parameters`, it becomes the same classifier: the same
# validation score, and the same output for every image, to the last bit.

# %%
parameters = model.get_parameters()
for index, (weights, biases) in enumerate(parameters):
    print(f"pair {index}: weights {weights.shape}, biases {biases.shape}")

other = digits_model(seed=1)
other.evaluate(X_val, y_val)
other.set_parameters(parameters)
other.evaluate(X_val, y_val)
same = np.array_equal(other.predict(X_val), model.predict(X_val))
print("same outputs for every image:", same)

# %% [markdown] nbgrader={"grade": false, "grade_id": "ch21_copies_explained", "locked": true, "schema_version": 3, "solution": false, "task": false}
# **Why copies.** The cell below takes two "snapshots" of the trained model: one with
# your `get_parameters`, one by collecting `layer.weights` and `layer.biases`
# directly, without copying. Then the model trains for one more epoch. Adam changes
# the weights in place, so the uncopied snapshot changes along with the model, while
# yours still holds the numbers from before.

# %%
copied = model.get_parameters()
shared = [(layer.weights, layer.biases) for layer in model.trainable_layers]
model.train(X_train, y_train, epochs=1, batch_size=32, print_every=None)

now = model.trainable_layers[0].weights
gap_shared = np.abs(shared[0][0] - now).max()
gap_copied = np.abs(copied[0][0] - now).max()
print(f"shared snapshot vs the model now: largest difference {gap_shared:.2g}")
print(f"your snapshot vs the model now:   largest difference {gap_copied:.2g}")

# %% [markdown] nbgrader={"grade": false, "grade_id": "ch21_files_explained", "locked": true, "schema_version": 3, "solution": false, "task": false}
# ## 21.4 Parameters in a file
#
# `model.save_parameters(path)` (the reference's, inherited by your `Model`) asks
# **your** `get_parameters` for the list and writes it as an `.npz` file: NumPy's
# format for several named arrays, a zip archive of plain numbers. A mark inside the
# file records what kind of file it is. `model.load_parameters(path)` reads the
# arrays back, without ever running anything stored in the file, and hands them to
# **your** `set_parameters`.
#
# A parameters file holds numbers only. To use it you build the model in code
# exactly as before (the same layers, in the same order, with the same sizes) and
# then load the numbers into it: below, a model with yet other starting weights
# (`seed=7`) becomes the trained one again.
#
# The cell makes a temporary folder for this notebook's files; the last cell of the
# notebook deletes it (and Python deletes it anyway when the kernel stops).

# %%
workdir = tempfile.TemporaryDirectory(prefix="nnfs-ch21-")
folder = Path(workdir.name)

parameters_file = folder / "digits.params.npz"
model.save_parameters(parameters_file)
print(f"{parameters_file.name}: {parameters_file.stat().st_size:,} bytes")
with np.load(parameters_file, allow_pickle=False) as archive:
    for key in archive.files:
        print(f"  {key:16s} {archive[key].dtype}  shape {archive[key].shape}")

restored = digits_model(seed=7)
restored.load_parameters(folder / "digits.params.npz")
restored.evaluate(X_val, y_val)
same = np.array_equal(restored.predict(X_val), model.predict(X_val))
print("same outputs for every image:", same)


# %% [markdown] nbgrader={"grade": false, "grade_id": "ch21_files_read", "locked": true, "schema_version": 3, "solution": false, "task": false}
# **What to expect.** The file holds the 64×64 and 64×10 weights and both rows of
# biases, 4,810 numbers of 8 bytes each (38,480 bytes), plus the two entries that
# mark its kind and version and the archive's headers: about 40 KB in all. The
# restored model scores exactly what the model it was saved from scores, and gives the
# same output for every image. (That score differs a little from the one printed in
# 21.3, because the copies demonstration trained `model` for one more epoch before
# it was saved.)

# %% [markdown] nbgrader={"grade": false, "grade_id": "ch21_pickle_explained", "locked": true, "schema_version": 3, "solution": false, "task": false}
# ## 21.5 Why not pickle
#
# The book saves parameters, and later whole models, with Python's `pickle`, which
# can write almost any Python object to a file and read it back. The catch is in how
# it reads: a pickle file is a short program for the unpickler, and that program may
# name any importable function and ask for it to be called with arguments of the
# file's choosing. Loading a pickle *runs* what is in it. Whoever can hand you a
# model file (a download, a shared folder, an e-mail attachment) can then run any
# code on your machine, with your permissions, the moment you load it; Python's own
# documentation warns never to unpickle data you do not trust.
#
# The cell below shows the mechanism with a harmless function. An object tells
# pickle how to rebuild it through `__reduce__`; this one asks for `print` to be
# called with a message. Nothing is printed while the bytes are made; `pickle.loads`
# prints it. The bytes themselves spell out `builtins` and `print`: the name of the
# function to call travels inside the file. A hostile file would name a function
# that deletes or uploads files instead.


# %%
class Rebuilt:
    def __reduce__(self):
        return (print, ("pickle.loads called print: the file chose what to run.",))


payload = pickle.dumps(Rebuilt())
print(payload)
pickle.loads(payload)

# %% [markdown] nbgrader={"grade": false, "grade_id": "ch21_safe_explained", "locked": true, "schema_version": 3, "solution": false, "task": false}
# The files of this course avoid the problem by holding only data: arrays of numbers
# in an `.npz` archive, read with `np.load(..., allow_pickle=False)` (which refuses
# any array of Python objects, the one place where `.npz` could hide a pickle), and,
# for whole models, a JSON text describing the layers. JSON can say "a dense layer
# with 64 inputs", but it cannot say "call this function": the loader itself decides
# which classes may be built, from a fixed list of `nnfs_core`'s own.

# %% [markdown] nbgrader={"grade": false, "grade_id": "ch21_model_file_explained", "locked": true, "schema_version": 3, "solution": false, "task": false}
# ## 21.6 The whole model in one file
#
# `model.save(path)` writes everything needed to rebuild the model without its code:
# the list of layers with their settings (`Dense(64, 64)`, `ReLU()`...), the loss,
# the accuracy, the optimizer with its settings **and its state** (Adam's step count,
# its current learning rate, its moving averages, kept on each layer), and the
# parameters. `Model.load(path)` returns a finalized model (the reference class),
# ready to `evaluate`, `predict` or go on training.
#
# The allow-list has a consequence worth seeing first: your `Layer_Dense` (like any
# class of yours the imports cell gave this notebook) is a class the loader does not
# know, so a model built from it cannot be saved whole, and `save` says so. (Its
# parameters can: that is what 21.4 did.) The second cell therefore builds and
# trains the same classifier from the reference's classes (`book.Layer_Dense` and the
# rest: `digits_model(reference=True)`).

# %%
try:
    model.save(folder / "refused.model.npz")
except TypeError as error:
    print(error)

# %%
whole = digits_model(reference=True)
whole.train(X_train, y_train, epochs=10, batch_size=32, print_every=None)
model_file = folder / "digits.model.npz"
whole.save(model_file)
print(f"{model_file.name}: {model_file.stat().st_size:,} bytes")

loaded = book.Model.load(model_file)
print(loaded)
same = np.array_equal(loaded.predict(X_val), whole.predict(X_val))
print("same outputs for every image:", same)

# %% [markdown] nbgrader={"grade": false, "grade_id": "ch21_continue_explained", "locked": true, "schema_version": 3, "solution": false, "task": false}
# **Training goes on where it stopped.** Because the optimizer's state travelled
# with the model, two more epochs of the loaded model change its weights exactly as
# two more epochs of the original change the original's. A model given only the
# *parameters* (with a fresh Adam, whose step count and moving averages start from
# zero, and whose learning rate has not decayed) takes different steps from the
# same starting point.

# %%
only_parameters = digits_model(seed=3, reference=True)
for layer, source in zip(only_parameters.trainable_layers, whole.trainable_layers):
    layer.weights, layer.biases = source.weights.copy(), source.biases.copy()

for candidate in (whole, loaded, only_parameters):
    candidate.train(X_train, y_train, epochs=2, batch_size=32, print_every=None)


def same_weights(a, b):
    pairs = zip(a.trainable_layers, b.trainable_layers)
    return all(np.array_equal(p.weights, q.weights) for p, q in pairs)


print("2 more epochs, same weights as the original:")
print("  the loaded model:   ", same_weights(loaded, whole))
print("  parameters only:    ", same_weights(only_parameters, whole))


# %% [markdown] nbgrader={"grade": false, "grade_id": "ch21_refused_explained", "locked": true, "schema_version": 3, "solution": false, "task": false}
# ## 21.7 Files that are refused
#
# A loader that accepts only what it understands must say clearly what it refused
# and why. Each part of the cell below hands the loaders a bad file and prints the
# error:
#
# 1. a text file that is not a model at all;
# 2. a model file whose description was edited to name a class that is not on the
#    loader's list (`Popen`, Python's way to start another program);
# 3. an `.npz` file whose "weights" are a pickled Python object (our harmless
#    `Rebuilt` from 21.5): refused unread, so nothing is printed by it;
# 4. a parameters file given to `Model.load`, which wants a whole model;
# 5. the digits parameters loaded into a model with 32 hidden neurons instead of 64:
#    this one reaches **your** `set_parameters`, and the message is yours.


# %%
def attempt(description, load):
    try:
        load()
        print(f"{description}: loaded (unexpected)")
    except (ValueError, TypeError) as error:
        print(f"{description}:\n  {type(error).__name__}: {error}\n")


model.save_parameters(parameters_file)  # again, so that this cell runs on its own

text_file = folder / "notes.npz"
text_file.write_text("these are not the weights you are looking for")
attempt("1. a text file", lambda: book.Model.load(text_file))

with np.load(model_file, allow_pickle=False) as archive:
    arrays = {key: archive[key] for key in archive.files}
description = json.loads(str(arrays["__model__"]))
description["layers"][0]["type"] = "Popen"
arrays["__model__"] = np.array(json.dumps(description))
tampered_file = folder / "tampered.model.npz"
np.savez(tampered_file, **arrays)
attempt("2. a model file naming another class", lambda: book.Model.load(tampered_file))

pickled_file = folder / "pickled.params.npz"
trap = {"layer0.weights": np.array([Rebuilt()], dtype=object)}
np.savez(pickled_file, __format__=np.array("nnfs_core.parameters"), **trap)
attempt("3. a pickled object inside", lambda: digits_model().load_parameters(pickled_file))

attempt("4. parameters given to Model.load", lambda: book.Model.load(parameters_file))

attempt(
    "5. parameters of another shape",
    lambda: digits_model(hidden=32).load_parameters(parameters_file),
)

# %% [markdown] nbgrader={"grade": false, "grade_id": "ch21_cleanup_explained", "locked": true, "schema_version": 3, "solution": false, "task": false}
# Finally, the temporary folder and every file in it are deleted.

# %%
print(sorted(path.name for path in folder.iterdir()))
workdir.cleanup()
print("folder still there:", folder.exists())

# %% [markdown] nbgrader={"grade": false, "grade_id": "ch21_next", "locked": true, "schema_version": 3, "solution": false, "task": false}
# ## What next
#
# A saved model is only useful if we can feed it new data and read its answers.
# Chapter 22 writes `predict`, turns the outputs into class names, counts the
# model's mistakes class by class in a confusion matrix, and prepares a new image
# the way the training images were prepared.
