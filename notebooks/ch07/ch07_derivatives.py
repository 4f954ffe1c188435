# %% [markdown] nbgrader={"grade": false, "grade_id": "ch07_intro", "locked": true, "schema_version": 3, "solution": false, "task": false}
# # Chapter 7 · Derivatives
#
# Chapter 6 tried to train a network by guessing: nudge the weights at random, keep
# the nudge if the loss went down. It worked on the easy data and got nowhere on the
# spiral, because a guess carries no information about *which way* each weight should
# move. The **derivative** is that information. For a function of one number it says
# how fast, and in which direction, the output changes when the input is nudged. This
# chapter measures it numerically, works it out exactly with a few rules, and draws
# it as the line that touches a curve. Chapter 8 extends it to functions of many
# inputs (a loss depends on every weight), and chapter 9 computes it for a whole
# network.
#
# | section | you write | graded check | points |
# |---|---|---|---|
# | 7.1 | (the slope of a line, and of a curve between two points) | | |
# | 7.2 | `ForwardDifference.derivative` | `forward_difference` | 1 |
# | 7.3 | (how small should the step be? a measurement) | | |
# | 7.4 | `CentralDifference.derivative` | `central_difference` | 1 |
# | 7.5 | `Polynomial.derivative` (the power rule) | `polynomial_derivative` | 2 |
# | 7.6 | `TangentLine.fit`, `.forward` | `tangent_line` | 2 |
# | 7.7 | (the slope of a network's loss along one weight) | | |
#
# The book writes this chapter as loose lines of code around one function,
# $f(x) = 2x^2$. Here each step is a small class, so that it can be checked and then
# reused: the tangent line uses the central difference, and section 7.7 points both
# at a real network. Everything works **element-wise**: give `derivative` an array of
# points and it returns an array of slopes of the same shape.
#
# ### How to check your work
#
# Run the cell with your class, then the test cell under it. A green ✓ block
# means your class gave the reference's numbers on fixed random curves and points,
# with steps other than the default. Otherwise the test shows a ✗ block
# (a `CheckFailed` error) saying which value is wrong and, for the usual slips (the two values
# subtracted the wrong way round, a division by the wrong distance, a forward
# difference where the central one is asked, the power rule half applied...), naming
# the slip. A method you have not written yet raises `NotImplementedError`, and its
# test reports *not implemented yet*.
#
# ### Stuck?
#
# The book has no classes for this chapter, so the reference versions live in
# `nnfs_core.calculus`, not in `nnfs_core.book`. Run, for example,
# `from nnfs_core.calculus import CentralDifference` in a new cell below the exercise
# to carry on with the reference class (grading gives it no points); rerun your own
# cell to switch back. The network of section 7.7 is made of your earlier classes
# where they pass, of the reference's otherwise (the line under the imports says which).

# %% nbgrader={"grade": false, "grade_id": "ch07_imports", "locked": true, "schema_version": 3, "solution": false, "task": false}
import matplotlib.pyplot as plt
import numpy as np

from autograder import check, submit
from autograder.library import components
from nnfs_core.book import vertical_data

# Earlier chapters' classes: yours where they pass in your workspace, else the reference
Activation_Softmax_Loss_CategoricalCrossentropy, Layer_Dense = components(
    "Activation_Softmax_Loss_CategoricalCrossentropy", "Layer_Dense", chapter="ch07"
)


# %% [markdown] nbgrader={"grade": false, "grade_id": "ch07_slope_explained", "locked": true, "schema_version": 3, "solution": false, "task": false}
# ## 7.1 The slope of a line, and of a curve
#
# A straight line $y = m x + b$ rises by the same amount for every step to the
# right. Its **slope** $m$ is that rise per unit of run, measured between any two of
# its points:
#
# $$m = \frac{\Delta y}{\Delta x} = \frac{y_2 - y_1}{x_2 - x_1}.$$
#
# For $y = 2x$ the slope is 2 wherever you measure it. For the curve $y = 2x^2$ it
# is not: the same formula gives a different number for every pair of points,
# because the curve gets steeper as $x$ grows. The straight line through two points
# of a curve is a **secant**; its slope is the curve's *average* steepness between
# the two points. The cell below measures a few, all starting at $x = 1$, with the
# second point closer and closer. The slopes settle towards a single number, 4: the
# steepness of the curve *at* $x = 1$. That limit is the **derivative**, written
# $f'(1)$ or $\frac{df}{dx}(1)$.


# %%
def book_curve(x):
    return 2 * x**2


x1 = 1.0
for x2 in (2.0, 1.5, 1.1, 1.01, 1.001):
    slope = (book_curve(x2) - book_curve(x1)) / (x2 - x1)
    print(f"secant from x = {x1} to x = {x2:<5}: slope {slope:.4f}")

x = np.linspace(0, 2.2, 200)
fig, axes = plt.subplots(1, 2, figsize=(10, 3.5))
axes[0].plot(x, 2 * x, label="y = 2x")
axes[0].plot([0.5, 1.5, 1.5], [1, 1, 3], color="grey", linestyle=":")
axes[0].text(0.05, 3.6, "rise 2 over run 1:\nslope 2")
axes[0].set_title("a line: one slope everywhere")
axes[1].plot(x, book_curve(x), color="black", label="y = 2x²")
for x2, color in ((2.0, "tab:red"), (1.5, "tab:orange"), (1.1, "tab:green")):
    slope = (book_curve(x2) - book_curve(x1)) / (x2 - x1)
    axes[1].plot(
        x,
        slope * (x - x1) + book_curve(x1),
        color=color,
        linewidth=1,
        label=f"secant to x = {x2}: slope {slope:.1f}",
    )
axes[1].set_ylim(-1, 9)
axes[1].set_title("a curve: the slope depends on the two points")
for ax in axes:
    ax.set_xlabel("x")
    ax.legend(fontsize=8)
plt.show()


# %% [markdown] nbgrader={"grade": false, "grade_id": "ch07_forward_explained", "locked": true, "schema_version": 3, "solution": false, "task": false}
# ## 7.2 The numerical derivative
#
# The secants suggest a recipe that works for *any* function we can evaluate, even
# one whose formula we do not know (a loss computed by a whole network, say): take
# the point $x$, a second point a tiny step $\delta$ to its right, and measure the
# slope between them,
#
# $$f'(x) \approx \frac{f(x + \delta) - f(x)}{\delta}.$$
#
# This is the **forward difference** (forward, because the second point is ahead of
# $x$). The book uses $\delta = 0.0001$. It is an estimate, not the derivative
# itself: the secant is still slightly steeper (or flatter) than the curve at $x$,
# and for $f(x) = 2x^2$ at $x = 1$ it gives $4.0002$ instead of $4$.
#
# **Your task:** write `derivative(f, x)`, returning the forward difference with
# the object's step `self.delta`. `f` is a Python function that works on arrays, and
# `x` may be a number or an array of points: written with NumPy arithmetic, the
# formula handles both, one slope per point. Do not change `x` in place (`x += ...`
# would move the caller's points); `x + self.delta` makes a new array.


# %% nbgrader={"grade": false, "grade_id": "ch07_forward_difference", "locked": false, "schema_version": 3, "solution": true, "task": false}
class ForwardDifference:
    def __init__(self, delta=0.0001):
        self.delta = delta

    def derivative(self, f, x):
        # Return the slope between (x, f(x)) and (x + delta, f(x + delta)), for every element of x.
        ### BEGIN SOLUTION
        return (f(x + self.delta) - f(x)) / self.delta
        ### END SOLUTION


# %% nbgrader={"grade": true, "grade_id": "test_forward_difference", "locked": true, "points": 1, "schema_version": 3, "solution": false, "task": false}
check("forward_difference", ForwardDifference)
### BEGIN HIDDEN TESTS
submit("forward_difference", ForwardDifference, seed=72461)
### END HIDDEN TESTS

# %% [markdown] nbgrader={"grade": false, "grade_id": "ch07_forward_demo_explained", "locked": true, "schema_version": 3, "solution": false, "task": false}
# Your class on the book's curve, at $x = 1$ where the true slope is 4, for three
# steps: the estimate's error shrinks in proportion to the step. (For this curve the
# error is exactly $2\delta$: expand $2(x + \delta)^2$ and the $\delta^2$ term is
# what the secant adds.)

# %%
for delta in (0.1, 0.01, 0.0001):
    estimate = ForwardDifference(delta).derivative(book_curve, 1.0)
    print(f"delta = {delta:<6}: slope at x = 1 is about {estimate:.6f}")
several = ForwardDifference().derivative(book_curve, np.array([0.0, 1.0, 2.0]))
print("at x = 0, 1 and 2 at once:", several)


# %% [markdown] nbgrader={"grade": false, "grade_id": "ch07_tradeoff_explained", "locked": true, "schema_version": 3, "solution": false, "task": false}
# ## 7.3 How small should the step be?
#
# If a smaller step gives a better secant, why not take $\delta = 10^{-15}$? Because
# computers store numbers with about 16 significant digits. $f(x + \delta)$ and
# $f(x)$ then agree in almost all of their digits, the subtraction cancels them, and
# what is left is mostly rounding noise, which the division by a tiny $\delta$ then
# magnifies. Two errors pull in opposite directions:
#
# * the **bias** of the secant, its built-in error (nothing to do with a neuron's
#   bias), about $\tfrac12 f''(x)\,\delta$ (it shrinks with the step; $f''$
#   measures how fast the slope itself changes),
# * the **rounding error**, about $10^{-16}\,|f(x)| / \delta$ (it grows as the step
#   shrinks).
#
# Their sum is smallest where the two are equal, for values of $f$ and $f''$ around
# 1 near $\delta \approx 10^{-8}$. The cell measures it on $f(x) = x^3$ at $x = 1$,
# whose slope there is exactly 3 (section 7.5 shows why), for steps from $10^{-1}$
# down to $10^{-15}$, and plots the error on logarithmic axes. Read the plot from
# right to left: the error falls along a straight line (the bias, proportional to
# $\delta$), bottoms out, then climbs back in a ragged band (rounding). With the
# smallest steps the "derivative" is wrong in the first decimal.


# %%
def cube(x):
    return x**3


deltas = np.logspace(-1, -15, 29)
forward_errors = np.array([abs(ForwardDifference(d).derivative(cube, 1.0) - 3.0) for d in deltas])

best = np.argmin(forward_errors)
print(f"forward difference, best step {deltas[best]:.0e}: error {forward_errors[best]:.1e}")
for d, error in zip(deltas[::7], forward_errors[::7]):
    print(f"  delta {d:.0e}: error {error:.1e}")

fig, ax = plt.subplots(figsize=(6, 3.5))
ax.loglog(deltas, np.maximum(forward_errors, 1e-17), "o-", label="forward difference")
ax.loglog(deltas, 1.5 * 2 * deltas, ":", color="grey", label="bias ½·f''(1)·δ = 3δ")
ax.set_xlabel("step δ")
ax.set_ylabel("|estimate − 3|")
ax.set_title("the slope of x³ at x = 1")
ax.legend()
plt.show()


# %% [markdown] nbgrader={"grade": false, "grade_id": "ch07_central_explained", "locked": true, "schema_version": 3, "solution": false, "task": false}
# ## 7.4 The central difference
#
# A better estimate costs nothing extra: put the two points on **both sides** of
# $x$,
#
# $$f'(x) \approx \frac{f(x + \delta) - f(x - \delta)}{2\delta}.$$
#
# The run between the two points is now $2\delta$, hence the 2 in the denominator.
# Because the points are placed symmetrically, the curve's bending pushes the two
# values up (or down) by the same amount, and the $f''$ bias cancels. What remains
# is about $\tfrac16 f'''(x)\,\delta^2$: square of the step instead of the step
# itself, so $\delta = 10^{-4}$ leaves an error near $10^{-8}$ rather than $10^{-4}$.
# For any quadratic, such as the book's $2x^2$, it is exact (up to rounding). This is
# the estimate used to *check* derivatives from here on (chapter 9 compares every
# backward pass with it).
#
# **Your task:** write `derivative(f, x)` for the central difference, with step
# `self.delta`.


# %% nbgrader={"grade": false, "grade_id": "ch07_central_difference", "locked": false, "schema_version": 3, "solution": true, "task": false}
class CentralDifference:
    def __init__(self, delta=0.0001):
        self.delta = delta

    def derivative(self, f, x):
        # Return the slope between (x - delta, f(x - delta)) and (x + delta, f(x + delta)), for every element of x.
        ### BEGIN SOLUTION
        return (f(x + self.delta) - f(x - self.delta)) / (2 * self.delta)
        ### END SOLUTION


# %% nbgrader={"grade": true, "grade_id": "test_central_difference", "locked": true, "points": 1, "schema_version": 3, "solution": false, "task": false}
check("central_difference", CentralDifference)
### BEGIN HIDDEN TESTS
submit("central_difference", CentralDifference, seed=74583)
### END HIDDEN TESTS

# %% [markdown] nbgrader={"grade": false, "grade_id": "ch07_central_demo_explained", "locked": true, "schema_version": 3, "solution": false, "task": false}
# The same measurement with both of your classes. The central difference's bias
# line is much steeper (it falls with $\delta^2$), so it reaches its best at a larger
# step, around $10^{-5}$ to $10^{-7}$, and its best error is far below the forward
# difference's. Both drown in rounding alike at the smallest steps.

# %%
central_errors = np.array([abs(CentralDifference(d).derivative(cube, 1.0) - 3.0) for d in deltas])
for name, errors in (("forward", forward_errors), ("central", central_errors)):
    best = np.argmin(errors)
    print(f"{name} difference: best step {deltas[best]:.0e}, error {errors[best]:.1e}")
forward_book = abs(ForwardDifference().derivative(cube, 1.0) - 3)
central_book = abs(CentralDifference().derivative(cube, 1.0) - 3)
print(f"book's step 1e-4: forward error {forward_book:.1e}, central error {central_book:.1e}")

fig, ax = plt.subplots(figsize=(6, 3.5))
ax.loglog(deltas, np.maximum(forward_errors, 1e-17), "o-", label="forward difference")
ax.loglog(deltas, np.maximum(central_errors, 1e-17), "s-", label="central difference")
ax.set_xlabel("step δ")
ax.set_ylabel("|estimate − 3|")
ax.set_title("the slope of x³ at x = 1")
ax.legend()
plt.show()


# %% [markdown] nbgrader={"grade": false, "grade_id": "ch07_power_rule_explained", "locked": true, "schema_version": 3, "solution": false, "task": false}
# ## 7.5 Analytical derivatives and the power rule
#
# A numerical derivative needs two evaluations of $f$ per point and is never exact.
# When the formula of $f$ is known, the derivative can be worked out exactly, once,
# from a handful of rules. Each follows from the slope between $x$ and $x + \delta$
# when $\delta$ shrinks to 0:
#
# | function | derivative | why |
# |---|---|---|
# | $c$ (a constant) | $0$ | it does not move when $x$ does |
# | $x$ | $1$ | it moves exactly as much as $x$ |
# | $a x$ | $a$ | a line's slope; a constant factor stays in front |
# | $a x^2$ | $2 a x$ | $a(x+\delta)^2 - a x^2 = 2ax\delta + a\delta^2$; divide by $\delta$, drop the $a\delta$ that vanishes |
# | $a x^n$ | $n a x^{n-1}$ | the **power rule**: multiply by the power, then lower it by one |
# | $f(x) + g(x)$ | $f'(x) + g'(x)$ | the derivative of a sum is the sum of the derivatives |
#
# The book's examples: $2x^2 \to 4x$ (so the secants of 7.1 were heading for
# $4 \cdot 1 = 4$); $3x^2 \to 6x$; $5x^5 + 4x^3 - 5 \to 25x^4 + 12x^2$, where the
# constant $-5$ drops out; and $x^3 \to 3x^2$, which is 3 at $x = 1$.
#
# A **polynomial** is such a sum of powers, $f(x) = c_0 + c_1 x + c_2 x^2 + \dots$.
# The class below stores the coefficients **lowest power first**:
# `Polynomial([-5, 0, 0, 4, 0, 5])` is $5x^5 + 4x^3 - 5$, and `coefficients[k]` is
# the factor of $x^k$. Its `forward(x)` is given.
#
# **Your task:** write `derivative(x)`, returning $f'(x) = \sum_{k \ge 1} k\,c_k\,
# x^{k-1}$ at every element of `x` (an array of the same shape). The constant term
# $c_0$ contributes nothing. A loop over the powers is fine; so is a vectorised
# version.


# %% nbgrader={"grade": false, "grade_id": "ch07_polynomial", "locked": false, "schema_version": 3, "solution": true, "task": false}
class Polynomial:
    def __init__(self, coefficients):
        # coefficients[k] multiplies x**k: Polynomial([-5, 0, 0, 4, 0, 5]) is 5x^5 + 4x^3 - 5.
        self.coefficients = np.asarray(coefficients, dtype=float)

    def forward(self, x):
        total = np.zeros_like(x, dtype=float)
        for power, c in enumerate(self.coefficients):
            total = total + c * x**power
        return total

    def derivative(self, x):
        # Return f'(x) at every element of x, by the power rule applied to every term.
        ### BEGIN SOLUTION
        slope = np.zeros_like(x, dtype=float)
        for power in range(1, len(self.coefficients)):
            slope = slope + power * self.coefficients[power] * x ** (power - 1)
        return slope
        ### END SOLUTION


# %% nbgrader={"grade": true, "grade_id": "test_polynomial_derivative", "locked": true, "points": 2, "schema_version": 3, "solution": false, "task": false}
check("polynomial_derivative", Polynomial)
### BEGIN HIDDEN TESTS
submit("polynomial_derivative", Polynomial, seed=75127)
### END HIDDEN TESTS

# %% [markdown] nbgrader={"grade": false, "grade_id": "ch07_compare_explained", "locked": true, "schema_version": 3, "solution": false, "task": false}
# **Numerical against analytical.** The book's $5x^5 + 4x^3 - 5$, at seven points,
# differentiated exactly by your `Polynomial` and estimated by your
# `CentralDifference` with the book's step. They agree to several decimal places; the
# largest difference is the $\tfrac16 f'''\delta^2$ bias, largest where the curve is
# steepest. Comparing the two is exactly how the checks of chapter 9 confirm a
# backward pass: if a formula and a central difference disagree by more than that,
# the formula is wrong.

# %%
quintic = Polynomial([-5, 0, 0, 4, 0, 5])
points = np.linspace(-1.5, 1.5, 7)
exact = quintic.derivative(points)
estimated = CentralDifference().derivative(quintic.forward, points)

print("    x    analytical    central difference")
for x, a, n in zip(points, exact, estimated):
    print(f"{x:5.1f}  {a:12.6f}  {n:20.10f}")
print(f"largest difference: {np.max(np.abs(exact - estimated)):.1e}")


# %% [markdown] nbgrader={"grade": false, "grade_id": "ch07_tangent_explained", "locked": true, "schema_version": 3, "solution": false, "task": false}
# ## 7.6 Tangent lines
#
# The derivative at $x_0$ is the slope of the straight line that **touches** the
# curve at $x_0$ without cutting across it there: the **tangent**. Near $x_0$ the
# tangent and the curve are nearly indistinguishable, which is what makes the
# derivative useful: it predicts how $f$ reacts to a small change of its input,
# $f(x_0 + h) \approx f(x_0) + f'(x_0)\,h$.
#
# A line is $y = m x + b$. For the tangent, $m = f'(x_0)$, and $b$ must put the
# point $(x_0, f(x_0))$ on the line: $f(x_0) = m x_0 + b$, so
#
# $$b = f(x_0) - m\,x_0.$$
#
# **Your task:** write `fit(f, x)`, which sets `self.slope` to the central
# difference of `f` at the number `x` (with `self.delta`) and `self.intercept` to
# $b$, and `forward(inputs)`, which sets `self.output` to the line's value at every
# input. (The book draws its tangent through the point $x_0 + \delta$ it measured
# the slope with; the line asked for here passes through $(x_0, f(x_0))$ itself.)


# %% nbgrader={"grade": false, "grade_id": "ch07_tangent_line", "locked": false, "schema_version": 3, "solution": true, "task": false}
class TangentLine:
    def __init__(self, delta=0.0001):
        self.delta = delta

    def fit(self, f, x):
        # Set self.slope (central difference of f at x) and self.intercept (so the line passes through (x, f(x))).
        ### BEGIN SOLUTION
        self.slope = (f(x + self.delta) - f(x - self.delta)) / (2 * self.delta)
        self.intercept = f(x) - self.slope * x
        ### END SOLUTION

    def forward(self, inputs):
        # Set self.output: slope * inputs + intercept.
        ### BEGIN SOLUTION
        self.output = self.slope * inputs + self.intercept
        ### END SOLUTION


# %% nbgrader={"grade": true, "grade_id": "test_tangent_line", "locked": true, "points": 2, "schema_version": 3, "solution": false, "task": false}
check("tangent_line", TangentLine)
### BEGIN HIDDEN TESTS
submit("tangent_line", TangentLine, seed=76349)
### END HIDDEN TESTS

# %% [markdown] nbgrader={"grade": false, "grade_id": "ch07_tangent_demo_explained", "locked": true, "schema_version": 3, "solution": false, "task": false}
# The book's picture: $f(x) = 2x^2$ for $x$ from 0 to 5, with its tangent at
# $x_0 = 0, 1, 2, 3, 4$, each drawn a short way either side of its point. The slopes
# from your `TangentLine` are compared with the exact $4x_0$ from your `Polynomial`.
# For a quadratic the central difference has no bias, so what separates them is
# rounding alone.

# %%
book_polynomial = Polynomial([0, 0, 2])  # 2x^2
x = np.linspace(0, 5, 200)

fig, ax = plt.subplots(figsize=(7, 4))
ax.plot(x, book_curve(x), color="black", label="f(x) = 2x²")
for x0 in range(5):
    line = TangentLine()
    line.fit(book_curve, float(x0))
    near = np.linspace(x0 - 0.9, x0 + 0.9, 2)
    line.forward(near)
    ax.plot(near, line.output, linewidth=2)
    ax.plot(x0, book_curve(x0), "o", color="black", markersize=4)
    exact = book_polynomial.derivative(float(x0))
    print(
        f"x0 = {x0}: tangent slope {line.slope:.8f}, exact 4·x0 = {exact:g}, "
        f"difference {abs(line.slope - exact):.1e}, intercept {line.intercept:.6f}"
    )
ax.set_xlabel("x")
ax.set_ylabel("y")
ax.set_title("2x² and its tangents at x = 0, 1, 2, 3, 4")
plt.show()

# %% [markdown] nbgrader={"grade": false, "grade_id": "ch07_network_explained", "locked": true, "schema_version": 3, "solution": false, "task": false}
# ## 7.7 The slope of a loss along one weight
#
# None of this was about networks yet, so here is the link. Take the vertical data
# (100 points for each of 3 classes) and the smallest classifier there is: one dense
# layer of 3 neurons (one per class) followed by softmax and cross-entropy, with the
# book's small random starting weights. Keep everything fixed except **one weight**,
# `dense.weights[0, 0]`, and treat the loss as a function of that single number. The
# cell plots that function and, with your `TangentLine`, its tangent at the weight's
# current value.
#
# The tangent's slope tells the weight which way to go: a negative slope means the
# loss falls when the weight grows. That is exactly the information random search
# lacked. Two observations set up the next chapters:
#
# * the loss depends on **every** weight and bias at once, so we need one slope per
#   parameter, each taken with the others held fixed: the *partial derivatives* of
#   chapter 8, which together form the *gradient*;
# * estimating each one numerically costs two passes through the network *per
#   parameter*. Chapter 10's network has $2 \cdot 64 + 64 + 64 \cdot 3 + 3 = 387$
#   parameters, so 774 forward passes for a single step; chapter 9 gets all 387
#   slopes from one forward and one backward pass with the chain rule, and keeps the
#   central difference as the witness that checks them.

# %%
X, y = vertical_data(samples=100, classes=3, rng=np.random.RandomState(0))
dense = Layer_Dense(2, 3, rng=np.random.RandomState(1))
loss_activation = Activation_Softmax_Loss_CategoricalCrossentropy()
current = dense.weights[0, 0]


def loss_at(weight):
    """The loss with dense.weights[0, 0] set to each value of weight (any shape)."""
    weight = np.asarray(weight, dtype=float)
    losses = np.empty(weight.shape)
    for index, value in np.ndenumerate(weight):
        dense.weights[0, 0] = value
        dense.forward(X)
        losses[index] = loss_activation.forward(dense.output, y)
    dense.weights[0, 0] = current  # put the weight back
    return losses


tangent = TangentLine()
tangent.fit(loss_at, current)
print(f"weight {current:.4f}: loss {loss_at(current):.4f}, slope {tangent.slope:.4f}")
print("so the loss falls if this weight", "grows" if tangent.slope < 0 else "shrinks")

weights = np.linspace(current - 4, current + 4, 81)
tangent.forward(weights)
fig, ax = plt.subplots(figsize=(6, 3.5))
ax.plot(weights, loss_at(weights), color="black", label="loss")
ax.plot(weights, tangent.output, color="tab:red", label=f"tangent, slope {tangent.slope:.3f}")
ax.plot(current, loss_at(current), "o", color="tab:red")
ax.set_ylim(0.8, 1.6)
ax.set_xlabel("dense.weights[0, 0]")
ax.set_ylabel("loss")
ax.legend()
plt.show()

# %% [markdown] nbgrader={"grade": false, "grade_id": "ch07_next", "locked": true, "schema_version": 3, "solution": false, "task": false}
# ## What next
#
# A loss is a function of many numbers. Chapter 8 takes the derivative with respect
# to one input at a time (the **partial derivative**), collects them into the
# **gradient**, works out the partial derivatives of the operations a neuron is made
# of (sum, product, max and ReLU), and links them together with the **chain rule**,
# the one idea backpropagation is built on.
