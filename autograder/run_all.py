"""Run All goes through a chapter notebook, finished or not.

JupyterLab runs a notebook's cells as one queue and stops at the first cell whose execution
ends in an error (the kernel's ``execute_reply`` has ``status: "error"``, and the kernel drops
the rest of the queue). In a released notebook that is the first unfinished exercise's test
cell, so the labs and demonstrations after it, which the text says work either way, never ran.

Two kinds of error are expected in a learner's notebook, and after them the kernel should carry
on with the queue:

* a failed check (:class:`autograder.CheckFailed`, a :class:`Recoverable`): the test cell
  still shows its ✗ block and still has an **error output**, which is what nbgrader scores
  as 0 points (autograde) and lists as a failure (Validate);
* ``NotImplementedError`` raised by the learner's own unfinished method, from a cell that
  merely *uses* it (a demonstration): the cell shows one line saying which method it needs.

:func:`install` arranges both with IPython's documented hooks: ``set_custom_exc`` draws the
one-line note for an unfinished method, and a ``post_run_cell`` callback marks the execution
as successful when its error was one of the two, so the reply says ``ok`` and the queue goes
on. Every other error stops Run All as usual. ``autograder.notebook`` installs it when it is
imported inside a kernel, that is, by each chapter's imports cell. The rule, and why nbgrader
still sees every unfinished or failing test cell, is written down in ``notebooks/README.md``.
"""

from __future__ import annotations

import html
import os
from typing import Any

#: A marker on the shell, so importing the package twice installs the hooks once.
_INSTALLED = "_nnfs_run_all_installed"


class Recoverable:
    """Mixin for errors after which Run All continues (they still show as errors)."""


def in_kernel() -> bool:
    """True inside a Jupyter kernel (where rich display and Run All exist)."""
    try:
        from IPython import get_ipython
    except ImportError:  # pragma: no cover - IPython is a dependency of the course
        return False
    shell = get_ipython()
    return shell is not None and hasattr(shell, "kernel")


def _is_cell_file(filename: str) -> bool:
    """Code typed into a notebook cell (ipykernel names it ``.../ipykernel_<pid>/<hash>.py``)."""
    name = filename.replace(os.sep, "/")
    return "/ipykernel_" in name or name.startswith("<ipython-input")


def unfinished_method(error: BaseException) -> str | None:
    """``Layer_Dense.forward`` when ``error`` is a learner's ``raise NotImplementedError()``.

    The deepest frame must be code from a notebook cell: a NotImplementedError from a library
    is a real error and is left alone.
    """
    if not isinstance(error, NotImplementedError):
        return None
    tb = error.__traceback__
    if tb is None:
        return None
    while tb.tb_next is not None:
        tb = tb.tb_next
    code = tb.tb_frame.f_code
    if not _is_cell_file(code.co_filename):
        return None
    owner = tb.tb_frame.f_locals.get("self")
    if owner is not None:
        return f"{type(owner).__name__}.{code.co_name}"
    return code.co_name if code.co_name != "<module>" else "an exercise"


def note_for_unfinished(method: str) -> dict[str, str]:
    """The one line a cell shows when it needs an unfinished method, as a display bundle."""
    text = (
        f"⏳ This cell needs your {method}, which is not written yet: finish that exercise "
        "(its check will show ✓), then run this cell again."
    )
    return {
        "text/plain": text,
        "text/html": (
            '<div class="nnfs-unfinished" style="border-left:4px solid #bf8700;'
            'background:rgba(191,135,0,0.08);padding:4px 10px;max-width:60em">'
            f"{html.escape(text)}</div>"
        ),
    }


def _handle_not_implemented(shell: Any, etype, value, tb, tb_offset=None):
    method = unfinished_method(value)
    if method is None:
        shell.showtraceback((etype, value, tb), tb_offset=tb_offset)
        return None
    from IPython.display import display

    display(note_for_unfinished(method), raw=True)
    return None


def _carry_on(result: Any) -> None:
    """``post_run_cell``: a recoverable error does not stop the queue."""
    if result is None:
        return
    error = getattr(result, "error_in_exec", None)
    if isinstance(error, Recoverable) or unfinished_method(error) is not None:
        result.error_in_exec = None


def install(shell: Any = None) -> bool:
    """Install the two hooks on ``shell`` (default: the running kernel's); True if installed."""
    if shell is None:
        if not in_kernel():
            return False
        from IPython import get_ipython

        shell = get_ipython()
    if getattr(shell, _INSTALLED, False):
        return True
    shell.set_custom_exc((NotImplementedError,), _handle_not_implemented)
    shell.events.register("post_run_cell", _carry_on)
    setattr(shell, _INSTALLED, True)
    return True
