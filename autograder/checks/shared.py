"""What every module of the checks shares: the judge's data types and the two registries.

This module imports nothing else of ``autograder.checks``, so any module of the package can
import it without an import cycle (``tests/test_check_imports.py`` holds the package to that).

* :class:`Quantity`, :class:`Failure` and :class:`Context`: what the judge compares, why one
  comparison failed, and everything a detector may look at.
* :data:`REGISTRY` and :func:`register`: the checks, by name.
* :data:`CATALOGUE`, :func:`mistake` and :func:`diagnose`: the catalogue of known mistakes.
  Each check family declares the mistakes of its checks in its own module; the order in which
  they are tried is explicit (a ``priority`` number, see :func:`diagnose`), never the order
  in which modules happen to be imported.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import numpy as np

# -- what the judge compares ---------------------------------------------------------------


@dataclass(frozen=True)
class Quantity:
    """One thing the judge compares.

    ``key`` is where the probe stored the learner's value and where ``expect`` put the
    reference's; ``label`` names it for the learner (``"self.dweights"``); ``name`` is what
    the diagnosis catalogue matches on (``"dweights"``); ``stage`` is the stage whose error
    would leave it unset; ``after`` says, in the learner's terms, what ran before it was read.
    """

    key: str
    label: str
    name: str
    stage: str
    after: str = ""
    #: Compare shapes only (a freshly initialised layer's random weights).
    shape_only: bool = False
    #: The expected value is an input the learner was given; a difference means it was changed.
    mutation: bool = False
    #: The key of the numerical witness for this gradient, if the probe took one.
    witness: str | None = None
    #: The probe may mark it skipped (see ``capture.skipped``); nothing else may be skipped.
    optional: bool = False


@dataclass
class Failure:
    """Why one quantity did not match: ``kind`` and a generic, learner-facing ``text``."""

    quantity: Quantity
    kind: str  # error, missing, none, type, shape, nonfinite, values, mutated
    text: str
    error: dict[str, Any] | None = None
    index: tuple[int, ...] | None = None
    expected_value: float | None = None
    received_value: float | None = None


@dataclass
class Context:
    """Everything the diagnosis may look at: rebuilt inputs, reference values, the probe.

    ``tolerance_of(value, numpy_patched)`` gives the tolerance object (with ``allclose``) a
    recorded value is compared at; the judge passes ``tolerances.for_recorded``. It is handed
    in rather than imported so that this module depends on nothing else of the package.
    """

    check: str
    seed: int
    spec: dict[str, Any]
    expected: dict[str, Any]
    values: dict[str, Any]
    errors: dict[str, dict[str, Any]]
    notes: dict[str, Any]
    numpy_patched: bool
    tolerance_of: Callable[[Any, bool], Any]
    witness: dict[str, Any] = field(default_factory=dict)
    failures: list[Failure] = field(default_factory=list)

    def array(self, key: str) -> np.ndarray | None:
        """The learner's value under ``key`` as a float64 array; ``None`` if not numeric."""
        value = self.values.get(key)
        if isinstance(value, np.ndarray) and value.dtype.kind in "biuf":
            return value.astype(np.float64)
        return None

    def tolerance(self, key: str) -> Any:
        """The tolerance the value under ``key`` is compared at (float32's or float64's)."""
        return self.tolerance_of(self.values.get(key), self.numpy_patched)

    def matches(self, key: str, candidate: Any) -> bool:
        """Whether the learner's value under ``key`` equals ``candidate`` (same shape, close)."""
        received = self.array(key)
        if received is None:
            return False
        candidate = np.asarray(candidate, dtype=np.float64)
        if received.shape != candidate.shape:
            if received.size == 1 and candidate.size == 1:
                received = received.reshape(candidate.shape)
            else:
                return False
        return self.tolerance(key).allclose(received, candidate)

    def failed(self, key: str) -> bool:
        return any(f.quantity.key == key for f in self.failures)

    def error(self, stage: str) -> dict[str, Any] | None:
        return self.errors.get(stage)

    def case(self, key: str) -> dict[str, Any]:
        """The spec of the case a key belongs to: ``"square"`` for ``"square.dinputs"``."""
        return self.spec[key.partition(".")[0]]


def shape_text(array: np.ndarray) -> str:
    """``"(2, 3)"``: an array's shape as a learner reads it in a message."""
    return str(tuple(int(n) for n in array.shape))


# -- the checks, by name -------------------------------------------------------------------

#: Check name → the one instance of that check (filled by :func:`register`).
REGISTRY: dict[str, Any] = {}


def register(check_class: type) -> type:
    """Class decorator: add one instance of the check to the registry under its name."""
    if not getattr(check_class, "name", "") or check_class.name in REGISTRY:
        raise ValueError(f"check name missing or taken: {getattr(check_class, 'name', None)!r}")
    REGISTRY[check_class.name] = check_class()
    return check_class


# -- the catalogue of mistakes -------------------------------------------------------------

Detector = Callable[[Context, Failure], "str | None"]

#: Priorities: lower numbers are tried first. A mistake that explains the symptoms of many
#: others (weights stored transposed break every later quantity) is EARLY; most entries are
#: SPECIFIC (the default); an entry that names a class of mistakes rather than one formula
#: (one-hot labels not handled) is GENERAL; entries any family can meet (a result returned
#: but not stored, an input changed in place) are LAST.
EARLY = 50
SPECIFIC = 100
GENERAL = 500
LAST = 900


@dataclass(frozen=True)
class Mistake:
    """One catalogued mistake. ``checks`` lists the checks it can explain.

    ``priority`` orders the entries a check tries (lower first); ``order`` is the position
    of registration, which breaks ties only between entries of one module (a test insists
    that entries sharing a check and a priority live in the same module).
    """

    id: str
    title: str
    hint: str
    checks: tuple[str, ...]
    detect: Detector
    priority: int = SPECIFIC
    order: int = 0

    @property
    def module(self) -> str:
        """The module that declares the entry (``"autograder.checks.dense"``)."""
        return self.detect.__module__


CATALOGUE: dict[str, Mistake] = {}


def mistake(
    id: str,
    title: str,
    hint: str,
    *,
    checks: tuple[str, ...] | list[str],
    priority: int = SPECIFIC,
):
    """Decorator: add the decorated detector to the catalogue under ``id``.

    The detector gets the judge's :class:`Context` and one :class:`Failure` and returns
    ``None`` (its mistake does not explain that failure) or a string of specifics.
    """

    def add(detect: Detector) -> Detector:
        if id in CATALOGUE:
            raise ValueError(f"duplicate mistake id {id!r}")
        if not checks:
            raise ValueError(f"mistake {id!r} names no check; pass checks=(...)")
        CATALOGUE[id] = Mistake(
            id, title, hint, tuple(checks), detect, int(priority), order=len(CATALOGUE)
        )
        return detect

    return add


def candidates(check: str) -> list[Mistake]:
    """The entries that can explain ``check``'s failures, in the order they are tried."""
    found = [m for m in CATALOGUE.values() if check in m.checks]
    return sorted(found, key=lambda m: (m.priority, m.order))


def diagnose(context: Context) -> tuple[Mistake, str, Failure] | None:
    """The first catalogued mistake that explains one of ``context.failures``.

    Failures are taken in the check's order (what a learner should fix first); for each,
    the entries in :func:`candidates` order. A detector that raises on strange data simply
    does not match.
    """
    entries = candidates(context.check)
    for failure in context.failures:
        for entry in entries:
            try:
                with np.errstate(all="ignore"):
                    detail = entry.detect(context, failure)
            except Exception:
                continue
            if detail is not None:
                return entry, detail, failure
    return None
