"""Learner-side code the checks are tested against.

``book.py`` and ``wrong.py`` serve the checks of chapters 9 to 18 (tests/test_checks.py lists
them). Every other module here is a *family* module for one ``autograder/checks/<name>.py``:
it defines

* ``CHECKS``: check name → ``(chapter marker, tuple of correct learner classes or functions)``;
* ``WRONG``: ``(catalogue id, check name, learner)`` triples, one per catalogued mistake of
  those checks, each of which the judge must fail and name.

:func:`families` finds them, so tests/test_checks.py can insist that every registered check
and every catalogue entry is covered somewhere without a list to keep in step.
"""

from __future__ import annotations

import importlib
import pkgutil
from types import ModuleType

#: Modules here that are not family modules.
NOT_FAMILIES = frozenset({"book", "wrong", "pilots"})


def families() -> list[ModuleType]:
    """Every family module (``basics`` and the later chapters' ones), in name order."""
    found = []
    for info in sorted(pkgutil.iter_modules(__path__), key=lambda info: info.name):
        if info.name in NOT_FAMILIES or info.name.startswith("_"):
            continue
        module = importlib.import_module(f"{__name__}.{info.name}")
        if not (hasattr(module, "CHECKS") and hasattr(module, "WRONG")):
            raise AttributeError(
                f"tests/mistakes/{info.name}.py is a family module and must define CHECKS and"
                " WRONG (see tests/mistakes/__init__.py), or be listed in NOT_FAMILIES"
            )
        found.append(module)
    return found


def assert_fails_and_is_named(result, mistake: str) -> None:
    """A check's ``result`` for a wrong learner: failed or errored, no points, and the judge
    named catalogue entry ``mistake``, with its title and hint in the message."""
    from autograder.checks.base import ERROR, FAIL
    from autograder.checks.diagnosis import CATALOGUE

    assert result.status in (FAIL, ERROR), str(result)
    assert result.points == 0
    assert result.diagnosis == mistake, str(result)
    entry = CATALOGUE[mistake]
    assert entry.title in result.message and entry.hint in result.message
