"""The grading side of the course: diagnostic checks, nbgrader plumbing and the CLI.

* :mod:`autograder.checks`: one check per component a learner implements, split into a
  probe (runs learner code, captures data) and a judge (compares with ``nnfs_core`` and
  names the mistake). See :mod:`autograder.checks.base`.
* :mod:`autograder.notebook`: ``check`` and ``submit``, the two calls notebooks make.

The grader imports the reference; the reference never imports the grader.
"""

from .checks.base import CheckResult, Probe
from .notebook import CheckFailed, check, submit

__all__ = ["CheckFailed", "CheckResult", "Probe", "check", "submit"]
