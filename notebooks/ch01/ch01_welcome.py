# %% [markdown] nbgrader={"grade": false, "grade_id": "ch01_intro", "locked": true, "schema_version": 3, "solution": false, "task": false}
# # Chapter 1 · Welcome
#
# In this course you build a neural network out of plain Python and NumPy, following
# *Neural Networks from Scratch in Python* (Kinsley & Kukieła) one chapter at a time.
# Nothing is imported ready-made: by the end you will have written the layers, the
# activation functions, the losses, backpropagation and the optimizers yourself, and
# trained networks with them, up to one that recognises photographs of clothing.
#
# This first notebook is the map. It explains how the notebooks are organised and how
# your code is checked, says what a neural network is, and ends with a small warm-up
# exercise, so that you meet the exercise format once before it matters.
#
# | section | what |
# |---|---|
# | 1.1 | how the course works: the lab, your workspace, the notebooks |
# | 1.2 | exercises and checks |
# | 1.3 | hidden tests and grading |
# | 1.4 | the reference implementation, for when you are stuck |
# | 1.5 | what a neural network is |
# | 1.6 | warm-up: `WeightedSum.forward`, graded check `weighted_sum` (1 point) |
# | 1.7 | what a failed check looks like |
# | 1.8 | your progress across the chapters |
#
# ### How to check your work
#
# Every exercise is a class with one or more methods to fill in. Run the cell with
# your class, then the test cell under it. A green ✓ block means your code produced
# the same results as the reference implementation on fixed random inputs. A red ✗
# block says what is wrong and, for the usual slips, names the slip; a folded **Hint**
# under it says how to fix it, for when you want it. A method you have not written yet
# still raises `NotImplementedError`, and its test says *not implemented yet*.
# **Run All** goes through the whole notebook either way: a ✗ does not stop the cells
# after it, and a cell that needs a method you have not written yet says so in one
# line.
#
# ### Stuck?
#
# Most classes of this course have a finished twin in the reference package,
# `nnfs_core.book` (section 1.4 shows how to use it). The warm-up below has none: it is
# three lines long, and the hint under its explanation gives them away if you need it.

# %% nbgrader={"grade": false, "grade_id": "ch01_imports", "locked": true, "schema_version": 3, "solution": false, "task": false}
import matplotlib.pyplot as plt
import numpy as np

from autograder import check, submit

# %% [markdown] nbgrader={"grade": false, "grade_id": "ch01_course", "locked": true, "schema_version": 3, "solution": false, "task": false}
# ## 1.1 How the course works
#
# **The lab.** From the course folder, `python3 course.py lab` prepares everything on
# its first run (a private Python environment with NumPy, Jupyter and the rest) and
# opens JupyterLab. Later runs start at once.
#
# **Your workspace.** JupyterLab opens on the folder `workspace/`, which holds your own
# copy of every chapter notebook. Your copies are yours: when the course is updated,
# `lab` replaces a notebook only if you have not changed it; otherwise it puts the new
# version next to yours (`<name>.release-<version>.ipynb`) and tells you. To start a
# chapter afresh, rename or delete your copy and run `lab` again.
#
# **A notebook** is a column of cells. Run the selected cell with Shift+Enter. Cells
# share one Python process (the *kernel*), so a cell sees whatever the cells run before
# it defined, in the order *you* ran them. If things get confusing, use *Kernel ›
# Restart Kernel and Run All Cells*: everything runs again, top to bottom, in a fresh
# process.
#
# **The cells you will meet:**
#
# * *explanations*, like this one, and the first code cell, with the imports: both
#   read-only;
# * *exercises*: a class for you to complete (section 1.2);
# * *tests*: read-only cells that check the exercise above them;
# * *demonstrations*: code that uses what you wrote, to print or plot something. Change
#   them as you like; experimenting is encouraged.
#
# Each chapter's imports cell asks for the pieces of earlier chapters it needs. What
# you got right is yours: a class whose checks pass joins your own library
# (`my_nnfs/` in your workspace, brought up to date by the progress table of
# section 1.8), and later chapters use it; for any piece you have not written, or
# that does not pass yet, the reference stands in. One line under the imports says
# which is which ("your Layer_Dense (ch14); reference: Layer_Dropout"), so a chapter
# never depends on your having finished the ones before it: you can work on them in
# any order. `from autograder.library import use_reference; use_reference()` in a new
# cell switches a notebook to the reference entirely. Grading always uses the
# reference for earlier chapters' pieces.

# %% [markdown] nbgrader={"grade": false, "grade_id": "ch01_checks", "locked": true, "schema_version": 3, "solution": false, "task": false}
# ## 1.2 Exercises and checks
#
# An exercise cell holds a class. The parts that are not the lesson (usually the
# constructor) are written for you. In each method you write, a comment says what the
# method must compute or store, followed by
#
# ```python
# # YOUR CODE HERE
# raise NotImplementedError()
# ```
#
# which you replace with your code. Keep the names of the class, its methods and the
# constructor's arguments as they are: the checks create your class the same way the
# book does.
#
# The test cell under the exercise runs one line, for example
#
# ```python
# check("weighted_sum", WeightedSum)
# ```
#
# The check builds objects from your class, feeds them inputs drawn from a fixed random
# seed, and compares everything they store with the reference implementation: within
# about one part in a million for 64-bit floats, looser for 32-bit floats. It also
# makes sure your code did not change the arrays it was given. Then:
#
# * ✓ and a one-line summary: done;
# * or a `CheckFailed` error with a diagnosis: which value is wrong (say `self.output`
#   at index `(1, 2)`), what was expected and what your code produced, or which shape
#   was expected and which one came out. When the difference matches a known slip (a
#   forgotten bias, a transposed matrix, a sum over the wrong axis...), the message
#   names the slip and says how to fix it;
# * an error raised inside your code is reported with its type, its message and the
#   line of your method where it happened.
#
# The check uses your class as it was **when you last ran its cell**: after an edit,
# run the exercise cell again, then the test.

# %% [markdown] nbgrader={"grade": false, "grade_id": "ch01_grading", "locked": true, "schema_version": 3, "solution": false, "task": false}
# ## 1.3 Hidden tests and grading
#
# If you take the course with an instructor, you hand in your notebooks and they are
# graded automatically. Grading runs your whole notebook from the top in a fresh
# kernel, in an isolated sandbox, so before you hand a notebook in, make sure *Restart
# Kernel and Run All Cells* gets through it.
#
# During grading every test cell also runs **hidden tests**: the same check, with
# inputs drawn from other seeds, so the sizes and the numbers differ from the ones your
# visible check used. Code that is right only for the visible inputs (a size written as
# a constant, say) passes the visible check and fails the hidden one. The hidden
# results are judged outside your notebook, by the grader.
#
# Each test cell is worth 1 or 2 points, all or nothing: a check that is half right
# earns nothing, because the next chapter builds on the whole of it. The test cells are
# replaced by the instructor's copies before grading, so changing one changes nothing.

# %% [markdown] nbgrader={"grade": false, "grade_id": "ch01_stuck", "locked": true, "schema_version": 3, "solution": false, "task": false}
# ## 1.4 Stuck? The reference implementation
#
# The package `nnfs_core` is a complete, tested implementation of every component in
# the book, and `nnfs_core.book` offers it under the book's names (`Layer_Dense`,
# `Activation_ReLU`, `Optimizer_Adam`...). If you are stuck on an exercise and want to
# go on with the rest of a notebook, open a new cell under the exercise and import the
# reference class, for example
#
# ```python
# from nnfs_core.book import Layer_Dense
# ```
#
# From then on the name `Layer_Dense` means the reference class, and the cells below
# work with it. Come back to your own version later: writing it is the point.
#
# Two things to know. The immediate check passes the reference class (it is compared
# with itself), but **grading refuses it**: a graded class defined in `nnfs_core`
# earns no points, and the grading report says why. And the reference is written for
# correctness and clear errors rather than as a model answer: it is vectorised
# throughout and validates its inputs, so it can look different from what the book
# writes. Reading it is allowed; in a cell, `Layer_Dense??` shows its source.
#
# The demonstration below imports the reference dense layer under another name, shows
# where it comes from (that module name is what grading looks at), and checks it.

# %%
from nnfs_core.book import Layer_Dense as Reference_Dense

print("Reference_Dense is defined in", Reference_Dense.__module__)
check("dense_forward", Reference_Dense)

# %% [markdown] nbgrader={"grade": false, "grade_id": "ch01_what_is_nn", "locked": true, "schema_version": 3, "solution": false, "task": false}
# ## 1.5 What a neural network is
#
# A neural network is a function with a great many adjustable numbers in it, built so
# that adjusting those numbers, little by little, can make it do a task: turn the
# pixels of a photo into the name of what it shows, or the readings of a sensor into
# a forecast. The name comes from a loose analogy with nerve cells in the brain; what
# the computer does is ordinary arithmetic.
#
# **A neuron** receives a few numbers, its inputs $x_1, \dots, x_n$. It has one
# **weight** per input and one **bias**. It multiplies each input by its weight, adds
# the products and the bias, and passes the total through an **activation function**
# $f$:
#
# $$\text{output} = f\Big(\sum_{i=1}^{n} w_i\,x_i + b\Big).$$
#
# A large positive weight makes its input push the output up, a negative one pulls it
# down, a weight near zero lets the neuron ignore that input. The bias shifts the whole
# sum. Chapter 2 codes a neuron; chapter 4 explains why $f$ must not be a straight
# line.
#
# **A layer** is a row of neurons that read the same inputs, each with weights of its
# own. Layers are stacked: the outputs of one layer are the inputs of the next. The
# data itself is called the *input layer*, although it computes nothing; the last
# layer, whose outputs are the answer, is the *output layer*; the layers in between
# are *hidden layers*. When every neuron reads every output of the layer before it, the
# layer is **dense** (or fully connected): the only kind this course uses.
#
# **Parameters** is the collective name for the weights and biases. The small network
# of chapter 10 has a few hundred; networks that read images have millions.
#
# **Learning** means finding good parameters. Start from small random ones. Show the
# network examples whose right answers are known (the *training data*) and measure how
# wrong its answers are with a single number, the **loss** (chapter 5). Work out, for
# every parameter, in which direction a small change would lower the loss: derivatives
# (chapters 7 and 8), computed efficiently for the whole network by
# **backpropagation** (chapter 9). Nudge every parameter a little in its direction
# (an **optimizer**, chapter 10), and repeat, thousands of times.
#
# A network can also learn its training examples *too* well, memorising them instead
# of the pattern behind them (**overfitting**): it then answers new examples badly.
# That is why a network is always judged on data it was never trained on (chapters 11
# to 13), and why chapters 14 and 15 add ways to discourage memorising.
#
# The picture below is a small dense network: two inputs, a hidden layer of four
# neurons, three outputs. Each line is one weight, coloured by its sign, thicker the
# larger it is; the numbers are random, as at the start of training.

# %%
sizes = [2, 4, 3]
titles = ["inputs", "hidden layer", "outputs"]
rng = np.random.RandomState(3)

# Neuron centres: one column per layer, each column centred on y = 0.
columns = [[(x, y - (size - 1) / 2) for y in range(size)] for x, size in enumerate(sizes)]

fig, ax = plt.subplots(figsize=(6, 3.5))
for layer in range(len(sizes) - 1):
    left, right = columns[layer], columns[layer + 1]
    weights = rng.standard_normal((len(left), len(right)))
    for i, (x0, y0) in enumerate(left):
        for j, (x1, y1) in enumerate(right):
            w = weights[i, j]
            colour = "tab:red" if w > 0 else "tab:blue"
            ax.plot([x0, x1], [y0, y1], color=colour, linewidth=0.5 + 2 * abs(w), zorder=1)
bottom = -max(sizes) / 2 - 0.3
for x, (column, title) in enumerate(zip(columns, titles)):
    ys = [y for _, y in column]
    ax.scatter([x] * len(ys), ys, s=500, color="white", edgecolors="black", zorder=2)
    ax.text(x, bottom, title, ha="center", va="top")
ax.set_title("Each line is a weight: red positive, blue negative")
ax.set_xlim(-0.3, len(sizes) - 0.7)
ax.set_ylim(bottom - 0.5, max(sizes) / 2)
ax.set_axis_off()
plt.show()


# %% [markdown] nbgrader={"grade": false, "grade_id": "ch01_warmup_explained", "locked": true, "schema_version": 3, "solution": false, "task": false}
# ## 1.6 Warm-up: a weighted sum
#
# The arithmetic at the heart of every neuron is the **weighted sum**: multiply each
# input by its weight and add up the products,
#
# $$s = \sum_{i=1}^{n} x_i\,w_i = x_1 w_1 + x_2 w_2 + \dots + x_n w_n.$$
#
# For inputs `[2.0, -1.0, 0.5]` and weights `[0.4, 1.5, -2.0]`, that is
# $0.8 - 1.5 - 1.0 = -1.7$.
#
# The exercise has the shape every later exercise has. The constructor receives the
# parameters and keeps them (it is written for you). `forward(inputs)` computes the
# result and **stores** it in `self.output`, the book's convention: later, each layer
# of a network reads the previous layer's `self.output`. Here `inputs` and
# `self.weights` are plain Python lists of numbers, of the same length; no NumPy is
# needed (although `np.dot` would do the job too, as chapter 2 explains).
#
# **Your task:** write `forward`.
#
# <details><summary>Hint</summary>
#
# Start a running total at 0. `zip(inputs, self.weights)` gives the pairs
# `(x, w)` one after the other; add `x * w` to the total for each pair, then store the
# total in `self.output`.
#
# </details>


# %% nbgrader={"grade": false, "grade_id": "ch01_weighted_sum", "locked": false, "schema_version": 3, "solution": true, "task": false}
class WeightedSum:
    def __init__(self, weights):
        self.weights = weights

    def forward(self, inputs):
        # Set self.output to the sum of inputs[i] * self.weights[i] over every i.
        ### BEGIN SOLUTION
        total = 0.0
        for value, weight in zip(inputs, self.weights):
            total += value * weight
        self.output = total
        ### END SOLUTION


# %% nbgrader={"grade": true, "grade_id": "test_weighted_sum", "locked": true, "points": 1, "schema_version": 3, "solution": false, "task": false}
check("weighted_sum", WeightedSum)
### BEGIN HIDDEN TESTS
submit("weighted_sum", WeightedSum, seed=11027)
### END HIDDEN TESTS

# %%
warmup = WeightedSum([0.4, 1.5, -2.0])
warmup.forward([2.0, -1.0, 0.5])
print(warmup.output)  # 0.8 - 1.5 - 1.0

# %% [markdown] nbgrader={"grade": false, "grade_id": "ch01_failures_explained", "locked": true, "schema_version": 3, "solution": false, "task": false}
# ## 1.7 What a failed check looks like
#
# The cell below writes three deliberately wrong versions of the warm-up and runs the
# check on each, catching the `CheckFailed` error so that the cell can go on to the
# next one. Each wrong version is a slip that is easy to make: keeping the products
# without adding them up, a loop that stops one input early, and computing the right
# number but returning it instead of storing it in `self.output`. Read the three ✗
# blocks: they are what you will see when your own code goes astray.

# %%
from autograder import CheckFailed


class ProductsOnly:
    def __init__(self, weights):
        self.weights = weights

    def forward(self, inputs):
        self.output = [x * w for x, w in zip(inputs, self.weights)]


class StopsEarly(ProductsOnly):
    def forward(self, inputs):
        self.output = 0.0
        for i in range(len(inputs) - 1):
            self.output += inputs[i] * self.weights[i]


class ReturnsInstead(ProductsOnly):
    def forward(self, inputs):
        return sum(x * w for x, w in zip(inputs, self.weights))


for wrong in (ProductsOnly, StopsEarly, ReturnsInstead):
    print(f"{wrong.__name__}:")
    try:
        check("weighted_sum", wrong)
    except CheckFailed:
        pass  # the ✗ block above is the whole message

# %% [markdown] nbgrader={"grade": false, "grade_id": "ch01_progress_explained", "locked": true, "schema_version": 3, "solution": false, "task": false}
# ## 1.8 Your progress
#
# The cell below runs each of your chapter notebooks in a separate process (your own
# kernel and your notebooks are left alone) and shows, chapter by chapter, which graded
# pieces pass. The first time takes a minute or two; after that only the notebooks you
# changed run again. The same table comes out of `python3 course.py progress` in a
# terminal. It works in your workspace, the folder `python3 course.py lab` opens.

# %%
from autograder.progress import show

show()

# %% [markdown] nbgrader={"grade": false, "grade_id": "ch01_next", "locked": true, "schema_version": 3, "solution": false, "task": false}
# ## What next
#
# Chapter 2 turns the weighted sum into a neuron, adds the bias, and puts several
# neurons side by side into a layer, first with loops, then with NumPy's `np.dot`.
