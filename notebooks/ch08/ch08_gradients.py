# %% [markdown] nbgrader={"grade": false, "grade_id": "ch08_intro", "locked": true, "schema_version": 3, "solution": false, "task": false}
# # Chapter 8 · Gradients, partial derivatives and the chain rule
#
# Chapter 7 measured how a function of **one** number reacts when that number is
# nudged. A network's loss is a function of thousands of numbers (every weight, every
# bias, every input), and we want to know how it reacts to each of them. This chapter
# supplies the three ideas that make that possible: the **partial derivative** (nudge
# one input, hold the others still), the **gradient** (all the partial derivatives
# together, as one vector), and the **chain rule** (how slopes combine when one
# function feeds the next). Along the way you work out the partial derivatives of the
# four operations a neuron is built from: sum, product, max and ReLU.
#
# | section | you write | graded check | points |
# |---|---|---|---|
# | 8.1 | (partial derivatives: one input at a time) | | |
# | 8.2 | `Sum.partials` | `sum_partials` | 1 |
# | 8.3 | `Product.partials` | `product_partials` | 1 |
# | 8.4 | `Max.partials` | `max_partials` | 2 |
# | 8.5 | `ReLUFunction.derivative` | `relu_derivative` | 1 |
# | 8.6 | `NumericalGradient.gradient` | `numerical_gradient` | 2 |
# | 8.7 | `Chain.derivative` | `chain_rule` | 2 |
# | 8.8 | (a preview: one ReLU neuron's slopes by the chain rule) | | |
#
# **Conventions.** Every method works on whole arrays at once. A function of two
# inputs has `partials(x, y)`, which returns the pair `(df/dx, df/dy)`: two arrays
# shaped like `x` and `y`, one slope per point `(x[i], y[i])`. A function of one input
# has `forward(x)` and `derivative(x)`, both element-wise. At a corner, where a
# derivative does not exist, this course grades one convention: **an input gets
# slope 1 only where it is strictly the larger**, so ReLU's derivative at exactly 0
# is 0, and at a tie `x == y` both partial derivatives of `max(x, y)` are 0.
#
# ### How to check your work
#
# Run the cell with your class, then the test cell under it. A green ✓ block
# means your class gave the reference's numbers on fixed random inputs, which include
# exact ties for `max` and exact zeros for ReLU. Otherwise the test shows a
# ✗ block (a `CheckFailed` error) saying which value is wrong and, for the usual slips (the
# product's partials swapped, the max's slope given to the wrong input, a slope of 1
# at a corner, the chain rule without its inner factor...), naming the slip. A method
# you have not written yet raises `NotImplementedError`, and its test reports *not
# implemented yet*.
#
# ### Stuck?
#
# The book has no classes for this chapter, so the reference versions live in
# `nnfs_core.calculus`, not in `nnfs_core.book`. Run, for example,
# `from nnfs_core.calculus import Max` in a new cell below the exercise to carry on
# with the reference class (grading gives it no points); rerun your own cell to
# switch back. Chapter 7's `CentralDifference` and `Polynomial` are imported from
# there too.

# %% nbgrader={"grade": false, "grade_id": "ch08_imports", "locked": true, "schema_version": 3, "solution": false, "task": false}
import matplotlib.pyplot as plt
import numpy as np

from autograder import check, submit
from nnfs_core.calculus import CentralDifference, Polynomial


# %% [markdown] nbgrader={"grade": false, "grade_id": "ch08_partials_explained", "locked": true, "schema_version": 3, "solution": false, "task": false}
# ## 8.1 Partial derivatives
#
# Take a function of several inputs, such as the book's
#
# $$f(x, y, z) = 3x^3 z - y^2 + 5z + 2yz.$$
#
# Ask how $f$ reacts to $x$ alone: freeze $y$ and $z$ at their values, and what is
# left is a function of $x$ only, with an ordinary derivative. That is the **partial
# derivative** of $f$ with respect to $x$, written $\frac{\partial f}{\partial x}$
# (a curly $\partial$ says "the others are held fixed"). The rules of chapter 7 apply
# unchanged, with every other input treated as a constant:
#
# * $\frac{\partial f}{\partial x} = 9x^2 z$: the term $3x^3z$ is a constant $3z$
#   times $x^3$; the other terms have no $x$ and vanish;
# * $\frac{\partial f}{\partial y} = -2y + 2z$;
# * $\frac{\partial f}{\partial z} = 3x^3 + 5 + 2y$.
#
# There is one partial derivative per input, and each is again a function of *all*
# the inputs. The cell checks the three formulas at one point with chapter 7's
# central difference, moving one input while the two others stay put.


# %%
def book_f(x, y, z):
    return 3 * x**3 * z - y**2 + 5 * z + 2 * y * z


x, y, z = 1.5, -2.0, 0.5
central = CentralDifference()
estimates = {
    "x": central.derivative(lambda t: book_f(t, y, z), x),
    "y": central.derivative(lambda t: book_f(x, t, z), y),
    "z": central.derivative(lambda t: book_f(x, y, t), z),
}
formulas = {"x": 9 * x**2 * z, "y": -2 * y + 2 * z, "z": 3 * x**3 + 5 + 2 * y}
for name in "xyz":
    print(
        f"df/d{name} at ({x}, {y}, {z}): formula {formulas[name]:.6f}, "
        f"central difference {estimates[name]:.6f}"
    )


# %% [markdown] nbgrader={"grade": false, "grade_id": "ch08_sum_explained", "locked": true, "schema_version": 3, "solution": false, "task": false}
# ## 8.2 The sum
#
# $$f(x, y) = x + y, \qquad \frac{\partial f}{\partial x} = 1, \qquad \frac{\partial f}{\partial y} = 1.$$
#
# Hold $y$ fixed and $x + y$ is $x$ plus a constant: it moves exactly as much as $x$
# does. The same holds for $y$, and for a sum of any number of terms: every term's
# partial derivative is 1. A sum passes a change of any of its inputs straight
# through, which is why, in chapter 9, a dense layer's bias gets the gradient that
# arrives at the neuron unchanged.
#
# **Your task:** write `partials(x, y)`, returning `(df/dx, df/dy)` as two arrays
# shaped like `x` and `y` (one slope per point, even though every slope is 1).
# `np.ones_like` makes them.


# %% nbgrader={"grade": false, "grade_id": "ch08_sum", "locked": false, "schema_version": 3, "solution": true, "task": false}
class Sum:
    def forward(self, x, y):
        return x + y

    def partials(self, x, y):
        # Return (df/dx, df/dy) for f = x + y: two arrays shaped like x and y.
        ### BEGIN SOLUTION
        return np.ones_like(x, dtype=float), np.ones_like(y, dtype=float)
        ### END SOLUTION


# %% nbgrader={"grade": true, "grade_id": "test_sum_partials", "locked": true, "points": 1, "schema_version": 3, "solution": false, "task": false}
check("sum_partials", Sum)
### BEGIN HIDDEN TESTS
submit("sum_partials", Sum, seed=82519)
### END HIDDEN TESTS

# %% [markdown] nbgrader={"grade": false, "grade_id": "ch08_product_explained", "locked": true, "schema_version": 3, "solution": false, "task": false}
# ## 8.3 The product
#
# $$f(x, y) = x \cdot y, \qquad \frac{\partial f}{\partial x} = y, \qquad \frac{\partial f}{\partial y} = x.$$
#
# Hold $y$ fixed and $x \cdot y$ is a constant times $x$, whose derivative is that
# constant: $y$. So each input's partial derivative is **the other input**: how
# strongly $x$ matters depends on what it is multiplied by. For three factors,
# $\frac{\partial}{\partial x}(xyz) = yz$, the product of all the others. In a neuron,
# each input is multiplied by its weight, so the slope with respect to a weight is
# the input it multiplies, and the slope with respect to an input is its weight.
#
# **Your task:** write `partials(x, y)` for the product.


# %% nbgrader={"grade": false, "grade_id": "ch08_product", "locked": false, "schema_version": 3, "solution": true, "task": false}
class Product:
    def forward(self, x, y):
        return x * y

    def partials(self, x, y):
        # Return (df/dx, df/dy) for f = x * y: two arrays shaped like x and y.
        ### BEGIN SOLUTION
        return y * 1.0, x * 1.0
        ### END SOLUTION


# %% nbgrader={"grade": true, "grade_id": "test_product_partials", "locked": true, "points": 1, "schema_version": 3, "solution": false, "task": false}
check("product_partials", Product)
### BEGIN HIDDEN TESTS
submit("product_partials", Product, seed=83641)
### END HIDDEN TESTS

# %% [markdown] nbgrader={"grade": false, "grade_id": "ch08_max_explained", "locked": true, "schema_version": 3, "solution": false, "task": false}
# ## 8.4 The max
#
# $$f(x, y) = \max(x, y).$$
#
# Where $x > y$, the max *is* $x$: a small nudge of $x$ moves the output by the same
# amount, and a small nudge of $y$ does nothing at all. So there
# $\frac{\partial f}{\partial x} = 1$ and $\frac{\partial f}{\partial y} = 0$; where
# $y > x$ it is the other way round. Written with an indicator $1(\cdot)$, which is 1
# when its condition holds and 0 otherwise:
#
# $$\frac{\partial f}{\partial x} = 1(x > y), \qquad \frac{\partial f}{\partial y} = 1(y > x).$$
#
# At a tie, $x = y$, the max has a corner and no derivative: raising either input
# raises the max, lowering it does not. The convention graded here follows the
# formulas literally: **both partial derivatives are 0 at a tie**, just as ReLU's
# derivative is taken to be 0 at exactly 0 (section 8.5). The check includes ties.
#
# **Your task:** write `partials(x, y)`, returning two arrays of 0.0 and 1.0.
# (`(x > y) * 1.0` turns a comparison into numbers.)


# %% nbgrader={"grade": false, "grade_id": "ch08_max", "locked": false, "schema_version": 3, "solution": true, "task": false}
class Max:
    def forward(self, x, y):
        return np.maximum(x, y)

    def partials(self, x, y):
        # Return (df/dx, df/dy) for f = max(x, y): 1 where that input is strictly the larger, else 0.
        ### BEGIN SOLUTION
        return (x > y) * 1.0, (y > x) * 1.0
        ### END SOLUTION


# %% nbgrader={"grade": true, "grade_id": "test_max_partials", "locked": true, "points": 2, "schema_version": 3, "solution": false, "task": false}
check("max_partials", Max)
### BEGIN HIDDEN TESTS
submit("max_partials", Max, seed=84173)
### END HIDDEN TESTS

# %% [markdown] nbgrader={"grade": false, "grade_id": "ch08_relu_explained", "locked": true, "schema_version": 3, "solution": false, "task": false}
# ## 8.5 ReLU
#
# ReLU is a max with a constant: $\text{ReLU}(x) = \max(x, 0)$. With $y = 0$ the
# previous section gives
#
# $$\text{ReLU}'(x) = 1(x > 0) = \begin{cases} 1 & x > 0 \\ 0 & x \le 0. \end{cases}$$
#
# Right of 0 ReLU is the line $y = x$, slope 1; left of 0 it is flat, slope 0. At
# exactly 0 the two pieces meet at a corner; we take 0 there, as the book's ReLU
# backward pass does in chapter 9 (it lets the gradient through only where the input
# was positive). The choice hardly matters in practice, since an input is rarely
# exactly 0, but it has to be made, and made the same way everywhere.
#
# **Your task:** write `derivative(x)`, element-wise; `forward` is given.


# %% nbgrader={"grade": false, "grade_id": "ch08_relu", "locked": false, "schema_version": 3, "solution": true, "task": false}
class ReLUFunction:
    def forward(self, x):
        return np.maximum(x, 0)

    def derivative(self, x):
        # Return 1.0 where x > 0 and 0.0 elsewhere (also at exactly 0).
        ### BEGIN SOLUTION
        return (x > 0) * 1.0
        ### END SOLUTION


# %% nbgrader={"grade": true, "grade_id": "test_relu_derivative", "locked": true, "points": 1, "schema_version": 3, "solution": false, "task": false}
check("relu_derivative", ReLUFunction)
### BEGIN HIDDEN TESTS
submit("relu_derivative", ReLUFunction, seed=85287)
### END HIDDEN TESTS

# %% [markdown] nbgrader={"grade": false, "grade_id": "ch08_relu_demo_explained", "locked": true, "schema_version": 3, "solution": false, "task": false}
# ReLU and your derivative, side by side (the filled dot is the value your derivative
# takes at the corner). The numbers underneath show what a central difference with
# step 0.01 makes of the corner: away from 0 it agrees with your derivative, but
# within one step of 0 its two points straddle both pieces, and it reports something
# in between; at exactly 0 it gives their average, 0.5, a slope that neither piece
# has. That is what "no derivative at the corner" looks like, and why the checks of
# later chapters keep their numerical witnesses away from kinks.

# %%
relu = ReLUFunction()
x = np.linspace(-2, 2, 401)

fig, axes = plt.subplots(1, 2, figsize=(10, 3))
axes[0].plot(x, relu.forward(x))
axes[0].set_title("ReLU(x) = max(x, 0)")
left, right = x[x <= 0], x[x > 0]
axes[1].plot(left, relu.derivative(left), color="tab:red")
axes[1].plot(right, relu.derivative(right), color="tab:red")
axes[1].plot(0, 1, "o", color="tab:red", markerfacecolor="white")
# The value taken at the corner:
axes[1].plot(0, relu.derivative(np.array(0.0)), "o", color="tab:red")
axes[1].set_title("ReLU'(x) = 1(x > 0)")
for ax in axes:
    ax.axhline(0, color="grey", linewidth=0.5)
    ax.axvline(0, color="grey", linewidth=0.5)
    ax.set_xlabel("x")
plt.show()

points = np.array([-1.0, -0.001, 0.0, 0.001, 1.0])
print("x:                 ", points)
print("your derivative:   ", relu.derivative(points))
print("central difference:", CentralDifference(0.01).derivative(relu.forward, points))


# %% [markdown] nbgrader={"grade": false, "grade_id": "ch08_gradient_explained", "locked": true, "schema_version": 3, "solution": false, "task": false}
# ## 8.6 The gradient
#
# Collect all the partial derivatives of $f$ at a point into one vector: that is the
# **gradient**, written $\nabla f$. For the book's $f(x, y, z)$ of section 8.1,
#
# $$\nabla f(x, y, z) = \left( 9x^2 z,\; -2y + 2z,\; 3x^3 + 5 + 2y \right).$$
#
# It has one entry per input, and as a vector it has a direction: the direction in
# which $f$ **rises fastest**, with a length that says how steeply. Turn it round and
# you have the direction of fastest *descent*. Chapter 10 trains a network by taking
# small steps along the negative gradient of the loss with respect to all the weights
# and biases; chapter 9 computes that gradient.
#
# A gradient can always be estimated numerically, one partial derivative at a time:
# for entry $i$, move only coordinate $i$ by $\pm\delta$ and take the central
# difference. It costs two evaluations of $f$ per input, which is too slow to train
# with but perfect for checking a formula.
#
# **Your task:** write `gradient(f, point)`. `point` is a 1-D array of coordinates
# and `f(point)` returns one number. Return an array shaped like `point` whose entry
# `i` is the central difference of `f` along coordinate `i`, with step `self.delta`.
# Move one coordinate at a time (a step array that is 0 except at position `i`), and
# leave `point` unchanged: if you move a coordinate in place, put it back.


# %% nbgrader={"grade": false, "grade_id": "ch08_numerical_gradient", "locked": false, "schema_version": 3, "solution": true, "task": false}
class NumericalGradient:
    def __init__(self, delta=0.0001):
        self.delta = delta

    def gradient(self, f, point):
        # Return an array shaped like point: entry i is the central difference of f along coordinate i.
        ### BEGIN SOLUTION
        gradient = np.zeros(len(point))
        for i in range(len(point)):
            step = np.zeros(len(point))
            step[i] = self.delta
            gradient[i] = (f(point + step) - f(point - step)) / (2 * self.delta)
        return gradient
        ### END SOLUTION


# %% nbgrader={"grade": true, "grade_id": "test_numerical_gradient", "locked": true, "points": 2, "schema_version": 3, "solution": false, "task": false}
check("numerical_gradient", NumericalGradient)
### BEGIN HIDDEN TESTS
submit("numerical_gradient", NumericalGradient, seed=86395)
### END HIDDEN TESTS

# %% [markdown] nbgrader={"grade": false, "grade_id": "ch08_gradient_demo_explained", "locked": true, "schema_version": 3, "solution": false, "task": false}
# **The gradient as arrows.** Below, $f(x, y) = x^2 + xy + 3y^2$, a bowl with its
# lowest point at $(0, 0)$, drawn as contour lines (each line joins points of equal
# $f$). On a coarse grid, your `NumericalGradient` gives the gradient at every grid
# point, drawn as an arrow. The arrows cross the contour lines at right angles and
# point **away** from the bottom of the bowl: uphill. Training will walk against
# them, downhill. The cell also compares your numerical gradient with the partial
# derivatives worked out by hand, $(2x + y,\; x + 6y)$.


# %%
def bowl(point):
    x, y = point
    return x**2 + x * y + 3 * y**2


numerical = NumericalGradient()
grid = np.linspace(-2, 2, 9)
X, Y = np.meshgrid(grid, grid)
U, V = np.zeros_like(X), np.zeros_like(Y)
largest_gap = 0.0
for index in np.ndindex(X.shape):
    point = np.array([X[index], Y[index]])
    U[index], V[index] = numerical.gradient(bowl, point)
    by_hand = np.array([2 * point[0] + point[1], point[0] + 6 * point[1]])
    largest_gap = max(largest_gap, np.abs(np.array([U[index], V[index]]) - by_hand).max())
print(f"numerical gradient against the partials by hand: largest difference {largest_gap:.1e}")

fine = np.linspace(-2.2, 2.2, 100)
FX, FY = np.meshgrid(fine, fine)
fig, ax = plt.subplots(figsize=(5.5, 5))
ax.contour(FX, FY, FX**2 + FX * FY + 3 * FY**2, levels=12, colors="grey", linewidths=0.7)
ax.quiver(X, Y, U, V, color="tab:red", angles="xy")
ax.plot(0, 0, "*", color="black", markersize=10)
ax.set_aspect("equal")
ax.set_xlabel("x")
ax.set_ylabel("y")
ax.set_title("f(x, y) = x² + xy + 3y² and its gradient")
plt.show()


# %% [markdown] nbgrader={"grade": false, "grade_id": "ch08_chain_explained", "locked": true, "schema_version": 3, "solution": false, "task": false}
# ## 8.7 The chain rule
#
# A network is functions feeding functions: a dense layer feeds ReLU, which feeds
# the next layer, which feeds softmax, which feeds the loss. For a composition
# $h(x) = f(g(x))$ the **chain rule** says
#
# $$h'(x) = f'\big(g(x)\big) \cdot g'(x).$$
#
# Read it as a relay of rates. If nudging $x$ moves $g$ by $g'(x)$ times the nudge,
# and nudging $g$'s output moves $f$ by $f'$ times *that*, the two rates multiply.
# Note where each factor is taken: the inner function's derivative at $x$, the outer
# one's at $g(x)$, the value the outer function actually receives. Longer chains
# multiply longer: $\frac{d}{dx} f(g(k(x))) = f'(g(k(x)))\cdot g'(k(x))\cdot k'(x)$.
#
# The book's example: $h(x) = 3(2x^2)^5$ is $f(u) = 3u^5$ after $g(x) = 2x^2$, so
# $h'(x) = 15(2x^2)^4 \cdot 4x$.
#
# **Your task:** write `Chain.derivative(x)`. A `Chain(outer, inner)` is
# $\text{outer}(\text{inner}(x))$, where `outer` and `inner` are objects with
# `forward(x)` and `derivative(x)` methods, such as chapter 7's `Polynomial`, your
# `ReLUFunction`, or another `Chain`. `forward` is given.


# %% nbgrader={"grade": false, "grade_id": "ch08_chain", "locked": false, "schema_version": 3, "solution": true, "task": false}
class Chain:
    def __init__(self, outer, inner):
        self.outer = outer
        self.inner = inner

    def forward(self, x):
        return self.outer.forward(self.inner.forward(x))

    def derivative(self, x):
        # Return outer'(inner(x)) * inner'(x), element-wise.
        ### BEGIN SOLUTION
        return self.outer.derivative(self.inner.forward(x)) * self.inner.derivative(x)
        ### END SOLUTION


# %% nbgrader={"grade": true, "grade_id": "test_chain_rule", "locked": true, "points": 2, "schema_version": 3, "solution": false, "task": false}
check("chain_rule", Chain)
### BEGIN HIDDEN TESTS
submit("chain_rule", Chain, seed=87215)
### END HIDDEN TESTS

# %% [markdown] nbgrader={"grade": false, "grade_id": "ch08_chain_demo_explained", "locked": true, "schema_version": 3, "solution": false, "task": false}
# The book's $3(2x^2)^5$ as a `Chain` of two `Polynomial`s, against the formula by
# hand and a central difference. The values grow quickly (the curve is a tenth-power
# curve), so the comparison is relative. Then a three-link chain, $(\text{ReLU}(2x -
# 1))^2$, a `Chain` inside a `Chain`: zero slope where $2x - 1 \le 0$, and
# $2 \cdot (2x - 1) \cdot 2$ beyond.

# %%
h = Chain(Polynomial([0, 0, 0, 0, 0, 3]), Polynomial([0, 0, 2]))  # 3u^5 after 2x^2
x = np.array([-1.0, -0.5, 0.25, 1.0, 1.2])
by_hand = 15 * (2 * x**2) ** 4 * 4 * x
estimated = CentralDifference(1e-6).derivative(h.forward, x)
print("chain rule:        ", h.derivative(x))
print("by hand:           ", by_hand)
relative = np.abs(h.derivative(x) - estimated) / np.maximum(np.abs(estimated), 1.0)
print(f"central difference: largest relative difference {relative.max():.1e}")

square_of_relu = Chain(Polynomial([0, 0, 1]), Chain(ReLUFunction(), Polynomial([-1, 2])))
x = np.array([0.0, 0.4, 0.5, 0.75, 1.5])
print("(ReLU(2x - 1))^2 at", x, "has slope", square_of_relu.derivative(x))

# %% [markdown] nbgrader={"grade": false, "grade_id": "ch08_neuron_explained", "locked": true, "schema_version": 3, "solution": false, "task": false}
# ## 8.8 A preview: one neuron's slopes
#
# Everything in this chapter comes together in a single neuron with a ReLU:
#
# $$\text{out} = \text{ReLU}\Big(\sum_i w_i x_i + b\Big).$$
#
# It is a chain: products $w_i x_i$, fed into a sum with $b$, fed into ReLU. By the
# chain rule, the slope of the output with respect to weight $w_i$ is the product of
# the slopes along the way from $w_i$ to the output: ReLU's derivative at the sum $z$,
# times the sum's partial derivative (1), times the product's partial derivative with
# respect to $w_i$ (which is $x_i$):
#
# $$\frac{\partial\,\text{out}}{\partial w_i} = \text{ReLU}'(z)\cdot 1\cdot x_i, \qquad
#   \frac{\partial\,\text{out}}{\partial x_i} = \text{ReLU}'(z)\cdot 1\cdot w_i, \qquad
#   \frac{\partial\,\text{out}}{\partial b} = \text{ReLU}'(z)\cdot 1.$$
#
# The cell computes them with your `Product`, `Sum` and `ReLUFunction` on the book's
# neuron (inputs $1, -2, 3$, weights $-3, -1, 2$, bias 1), and checks them with your
# `NumericalGradient`. Chapter 9 (section 9.1) takes it from here: a gradient arriving
# from the loss *after* the neuron joins the chain, and the same bookkeeping is then
# written for a whole layer with matrices.

# %%
inputs = np.array([1.0, -2.0, 3.0])
weights = np.array([-3.0, -1.0, 2.0])
bias = 1.0

products = Product().forward(inputs, weights)
weighted = np.sum(products)  # every product enters this sum with slope 1
z = Sum().forward(weighted, bias)
print(f"z = {z}, output = {ReLUFunction().forward(z)}")

d_relu = ReLUFunction().derivative(z)
d_z_d_weighted, d_z_d_bias = Sum().partials(weighted, bias)
d_product_d_input, d_product_d_weight = Product().partials(inputs, weights)
by_chain = {
    "weights": d_relu * d_z_d_weighted * 1.0 * d_product_d_weight,
    "inputs": d_relu * d_z_d_weighted * 1.0 * d_product_d_input,
    "bias": d_relu * d_z_d_bias,
}


def neuron(w, x=inputs, b=bias):
    return ReLUFunction().forward(np.dot(w, x) + b)


numerical = NumericalGradient()
estimates = {
    "weights": numerical.gradient(neuron, weights),
    "inputs": numerical.gradient(lambda x: neuron(weights, x), inputs),
}
for name in ("weights", "inputs"):
    print(f"d out / d {name:<7}: chain rule {by_chain[name]}, numerical {estimates[name]}")
print("d out / d bias,    chain rule:", by_chain["bias"])

# %% [markdown] nbgrader={"grade": false, "grade_id": "ch08_next", "locked": true, "schema_version": 3, "solution": false, "task": false}
# ## What next
#
# Chapter 9 applies the chain rule backwards through the whole network:
# backpropagation. Each component receives the gradient of the loss with respect to
# its own output and, multiplying by its own local derivatives (the ones worked out
# here: sums pass it through, products swap in the other factor, ReLU lets it through
# only where its input was positive), hands on the gradient with respect to its
# inputs and parameters.
