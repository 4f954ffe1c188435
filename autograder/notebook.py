"""What a chapter notebook calls: ``check`` for visible tests, ``submit`` for hidden ones.

Visible test cells give a learner working alone immediate, precise feedback::

    check("dense_forward", Layer_Dense)  # prints ✓ ..., or raises CheckFailed

Hidden test cells (present only in the instructor's source version) grade with fresh
inputs::

    submit("dense_forward", Layer_Dense, seed=1234)

Outside grading, ``submit`` behaves exactly like ``check`` (so the source notebook runs
top to bottom and ``nbgrader validate`` agrees). During grading (the sandbox sets
``NNFS_GRADING=1`` for the kernel), ``submit`` only *probes*: it runs the learner's code
and emits the captured data as an output of mimetype ``PROBE_MIMETYPE``; the grading
process then judges it against the reference, out of the submission's reach.
"""

from __future__ import annotations

import os
import warnings
from typing import Any

import numpy as np

from .checks.base import PROBE_MIMETYPE

#: Set in the grading kernel's environment by the sandbox; nowhere else.
GRADING_ENV = "NNFS_GRADING"


class CheckFailed(AssertionError):
    """A visible check failed; the message is the diagnosis, written for the learner."""


def grading() -> bool:
    return os.environ.get(GRADING_ENV) == "1"


def _registry():
    from .checks import REGISTRY

    return REGISTRY


def _lookup(name: str):
    registry = _registry()
    if name not in registry:
        known = ", ".join(sorted(registry))
        raise KeyError(f"no check named {name!r}; known checks: {known}")
    return registry[name]


def check(name: str, learner: Any, *, seed: int = 0, quiet: bool = False) -> None:
    """Run check ``name`` on ``learner`` here and now; raise :class:`CheckFailed` if it fails.

    Returns nothing on purpose: a value on a test cell's last line would be displayed
    under the ✓ line, and nbgrader reads a displayed number as a partial score. Code
    that wants the :class:`CheckResult` calls ``autograder.checks.REGISTRY[name].run``.

    Warnings the learner's code triggers (NumPy overflow and the like) are recorded in
    the result instead of being printed: nbgrader zeroes a test cell that writes to
    stderr, and a correct solution must not lose points to a warning.
    """
    with warnings.catch_warnings(record=True) as caught, np.errstate(all="ignore"):
        warnings.simplefilter("always")
        result = _lookup(name).run(learner, seed=seed)
    if caught:
        result.details.setdefault("warnings", [str(w.message) for w in caught][:5])
    if not result.passed:
        raise CheckFailed(result.summary())
    if not quiet:
        print(result.summary())


def submit(name: str, learner: Any, *, seed: int, weight: float = 1.0) -> None:
    """Hidden-test entry point: probe only while grading, full check otherwise."""
    if not grading():
        check(name, learner, seed=seed)
        return
    from IPython.display import display

    with warnings.catch_warnings(), np.errstate(all="ignore"):
        warnings.simplefilter("ignore")
        probe = _lookup(name).probe(learner, seed)
    payload = {"probe": probe.to_json(), "weight": float(weight)}
    display({PROBE_MIMETYPE: payload, "text/plain": f"[probe recorded for {name}]"}, raw=True)
