"""Every tolerance the checks use, in one place, with the reason for each number.

A received value ``r`` matches the reference value ``e`` when

    |r - e| <= atol * scale + rtol * |e|

where ``scale = max(1, max |e|)`` over the finite values of the whole array. Scaling the
absolute part by the array's magnitude matters for values that come out of a cancellation
(a softmax gradient entry that is the difference of two O(1) terms, a weight that an
optimizer step moved back to nearly 0): their rounding error is set by the size of the
terms, not by the size of the result.

float64 (``FLOAT64``): rtol 1e-6, atol 1e-9.
    Two correct float64 implementations of the same formula differ only by rounding: about
    1e-16 relative per operation, a few 1e-15 once summation order, ``np.dot`` against
    ``@``, the book's per-sample softmax Jacobian loop against a vectorised product, or the
    book's ``1 / (1 + exp(-x))`` against a split sigmoid are mixed. The checks' chains are
    short (at most a few dozen operations, four optimizer steps), so 1e-6 leaves about
    nine orders of magnitude of slack for honest code, while the smallest catalogued
    mistake still stands out: clipping predictions on one side only changes a loss by
    1e-7 on values of size ~1 to 16, above ``atol * scale`` (at most 1.7e-8 there), and
    every other catalogued mistake changes values by 1e-3 relative or more.

float32 (``FLOAT32``): rtol 1e-4, atol 1e-5.
    A learner's value is compared at float32 tolerance when it *is* float32 (or float16),
    or when the learner's kernel ran ``nnfs.init()``, which replaces ``np.dot`` by a version
    that returns float32 (and ``np.zeros``, ``np.eye`` and ``np.random.randn`` by float32
    ones): then results are only float32-accurate even when their dtype says float64,
    because the product was rounded to float32 before a float64 bias was added. float32
    has a unit roundoff of 6e-8; a few operations with cancellation lose two more digits,
    so 1e-4 relative and 1e-5 absolute (times the array's scale) accept honest float32
    code. Every catalogued mistake but one-sided clipping in the categorical loss still
    shows at that tolerance. The result says when it used this tolerance.

Numerical derivatives (``WITNESS``): rtol 1e-5, atol 1e-7.
    The probe evaluates the learner's own forward at ``x ± H`` with ``H = 1e-6`` (float64).
    A central difference then has truncation error ~H² |f'''| (about 1e-12 here) and
    rounding error ~1e-16 |f| / H (about 1e-10 for the objectives used, |f| < 100). The
    witness only informs a message ("your backward does not match your own forward"); it
    never decides pass or fail, so it errs on the side of calling two values equal.

Exact values: integer, boolean and shape quantities (accuracy counts, ``iterations``,
the shape of a freshly built layer's weights) are compared exactly; they come out of the
float comparisons above with zero difference whenever they are right.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True)
class Tolerance:
    """``|r - e| <= atol * max(1, max|e|) + rtol * |e|``, element-wise."""

    name: str
    rtol: float
    atol: float

    def scale(self, expected: np.ndarray) -> float:
        finite = np.abs(expected[np.isfinite(expected)])
        return max(1.0, float(finite.max(initial=0.0)))

    def bound(self, expected: np.ndarray) -> np.ndarray:
        return self.atol * self.scale(expected) + self.rtol * np.abs(expected)

    def close(self, received: np.ndarray, expected: np.ndarray) -> np.ndarray:
        """Element-wise agreement; NaN agrees with NaN and ±inf with the same infinity.

        The reference never produces NaN or infinity on the checks' inputs, so equal
        non-finite values only ever agree when a *mistake's* reproduction is compared
        with what the learner produced (log(0) = -inf in both, say).
        """
        received = np.asarray(received, dtype=np.float64)
        expected = np.asarray(expected, dtype=np.float64)
        with np.errstate(invalid="ignore", over="ignore"):
            difference = np.abs(received - expected)
            ok = np.isfinite(expected) & (difference <= self.bound(expected))
        both_nan = np.isnan(received) & np.isnan(expected)
        same_inf = np.isinf(received) & np.isinf(expected) & (received == expected)
        return ok | both_nan | same_inf

    def allclose(self, received: np.ndarray, expected: np.ndarray) -> bool:
        received = np.asarray(received)
        expected = np.asarray(expected)
        if received.shape != expected.shape:
            return False
        return bool(np.all(self.close(received, expected)))

    def describe(self) -> str:
        return f"{self.name} tolerance (rtol {self.rtol:g}, atol {self.atol:g})"


FLOAT64 = Tolerance("float64", rtol=1e-6, atol=1e-9)
FLOAT32 = Tolerance("float32", rtol=1e-4, atol=1e-5)
WITNESS = Tolerance("numerical-derivative", rtol=1e-5, atol=1e-7)

#: The step of the central differences the probes take on the learner's own forward.
H = 1e-6

#: Floating dtypes narrower than float64 (their values are compared at FLOAT32).
NARROW_FLOATS = (np.float32, np.float16)


def for_values(received: np.ndarray, *, numpy_patched: bool = False) -> Tolerance:
    """The tolerance for one received array: float32's when it is narrow or NumPy was patched."""
    if numpy_patched:
        return FLOAT32
    dtype = np.asarray(received).dtype
    if any(dtype == np.dtype(narrow) for narrow in NARROW_FLOATS):
        return FLOAT32
    return FLOAT64


def for_recorded(value: object, numpy_patched: bool = False) -> Tolerance:
    """The tolerance for any recorded value: an array's own (:func:`for_values`); for
    anything else float32's when NumPy was patched, float64's otherwise."""
    if isinstance(value, np.ndarray):
        return for_values(value, numpy_patched=numpy_patched)
    return FLOAT32 if numpy_patched else FLOAT64
