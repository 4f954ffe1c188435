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

from . import result_view, run_all
from .checks.base import PROBE_MIMETYPE, CheckResult

#: Set in the grading kernel's environment by the sandbox; nowhere else.
GRADING_ENV = "NNFS_GRADING"


class CheckFailed(AssertionError, run_all.Recoverable):
    """A visible check failed; ``str()`` is the whole diagnosis, written for the learner.

    In IPython the exception renders itself (``_render_traceback_``), without the course's
    own frames, which tell a learner nothing. When the ✗ block was already shown above it
    (``shown``), the error output is one red line that says the cell scores nothing yet;
    otherwise, and always under ``nbgrader validate`` (whose dialog shows only error
    outputs), it is the whole wrapped ✗ block.
    """

    def __init__(self, result: CheckResult, *, shown: bool = False) -> None:
        super().__init__(result.summary())
        self.result = result
        self.shown = shown

    def _render_traceback_(self) -> list[str]:
        if self.shown and os.environ.get("NBGRADER_VALIDATING") != "1":
            lines = [
                f"✗ {self.result.check} has not passed yet: this test cell scores 0 until it does."
            ]
        else:
            lines = result_view.as_text(self.result).splitlines()
        return [f"\x1b[31m{line}\x1b[0m" for line in lines]


# Run All carries on past failed checks and unfinished exercises (see autograder.run_all).
run_all.install()


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

    In a notebook the verdict is shown as a ✓ or ✗ block (:mod:`autograder.result_view`).
    A failure still raises, so nbgrader (Validate, autograde) sees an error in the test cell,
    and :mod:`autograder.run_all` lets Run All carry on past it.

    Returns nothing on purpose: a value on a test cell's last line would be displayed
    under the ✓ line, and nbgrader reads a displayed number as a partial score. Code
    that wants the :class:`CheckResult` calls ``autograder.checks.REGISTRY[name].run``.

    Warnings the learner's code triggers (NumPy overflow and the like) are recorded in
    the result instead of being printed: nbgrader zeroes a test cell that writes to
    stderr, and a correct solution must not lose points to a warning.
    """
    if grading():
        # While grading, the hidden submit(...) calls record what is judged, outside the
        # kernel; a visible verdict here would need the reference, which the grading kernel
        # does not have for the components it grades (autograder.withholding).
        return
    with warnings.catch_warnings(record=True) as caught, np.errstate(all="ignore"):
        warnings.simplefilter("always")
        result = _lookup(name).run(learner, seed=seed)
    if caught:
        result.details.setdefault("warnings", [str(w.message) for w in caught][:5])
    if not result.passed:
        shown = run_all.in_kernel()
        if shown:
            _show(result)
        raise CheckFailed(result, shown=shown)
    if not quiet:
        if run_all.in_kernel():
            _show(result)
        else:
            print(result_view.as_text(result))


def _show(result: CheckResult) -> None:
    from IPython.display import display

    display(result_view.bundle(result), raw=True)


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
