"""Learner-side code the checks are tested against.

Every module here except ``book.py`` (the chapter notebooks' own solutions, read from the
notebooks) and ``pilots.py`` (the same mistakes typed into the graded notebooks) is a *family*
module for one ``autograder/checks/<name>.py``: it defines

* ``CHECKS``: check name → ``(chapter marker, tuple of correct learner classes or functions)``;
* ``WRONG``: ``(catalogue id, check name, learner)`` triples, one per catalogued mistake of
  those checks, each of which the judge must fail and name (:func:`wrong_classes` collects
  them from classes that carry ``mistake`` and ``check``).

:func:`families` finds them, so tests/test_checks.py can insist that every registered check
and every catalogue entry is covered somewhere without a list to keep in step.
"""

from __future__ import annotations

import importlib
import inspect
import pkgutil
import sys
from types import ModuleType

#: Modules here that are not family modules.
NOT_FAMILIES = frozenset({"book", "pilots"})


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


def wrong_classes(module_name: str) -> list[tuple[str, str, type]]:
    """``(mistake, check, class)`` for every class of the module that carries a ``mistake`` id
    and the ``check`` it must fail, sorted by check then mistake."""
    found = [
        (value.mistake, value.check, value)
        for _, value in inspect.getmembers(sys.modules[module_name], inspect.isclass)
        if value.__module__ == module_name and isinstance(getattr(value, "mistake", None), str)
    ]
    return sorted(found, key=lambda item: (item[1], item[0]))


def assert_fails_and_is_named(result, mistake: str) -> None:
    """A check's ``result`` for a wrong learner: failed or errored, no points, and the judge
    named catalogue entry ``mistake``, with its title and hint in the message."""
    from autograder.checks.base import ERROR, FAIL
    from autograder.checks.shared import CATALOGUE

    assert result.status in (FAIL, ERROR), str(result)
    assert result.points == 0
    assert result.diagnosis == mistake, str(result)
    entry = CATALOGUE[mistake]
    assert entry.title in result.message and entry.hint in result.message
