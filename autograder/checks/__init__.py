"""Checks for every component a learner implements, by name.

``REGISTRY`` maps a check's name (``"dense_forward"``, ``"adam"``...) to an instance.

Every module of this package except the shared machinery (:data:`MACHINERY`) is a family of
checks: importing it registers its checks with :func:`~autograder.checks.shared.register`
and the mistakes those checks can name with :func:`~autograder.checks.shared.mistake`
(``generic`` holds the few mistakes every family shares, and no checks). The modules are
found and imported here, so a new family is one new file and nothing else. The order of
import decides nothing: the catalogue is tried by each entry's ``priority``
(:func:`~autograder.checks.shared.candidates`).
"""

from __future__ import annotations

import importlib
import pkgutil

from .base import Check, CheckResult, Probe
from .shared import CATALOGUE, REGISTRY, register

#: Modules that hold the checks' machinery rather than checks or mistakes.
MACHINERY = frozenset({"base", "capture", "diagnosis", "judging", "shared", "tolerances"})


def _import_families() -> list[str]:
    names = sorted(
        info.name
        for info in pkgutil.iter_modules(__path__)
        if info.name not in MACHINERY and not info.name.startswith("_")
    )
    for name in names:
        importlib.import_module(f"{__name__}.{name}")
    return names


#: The families of checks, by module name (``"basics"``, ``"dense"``...), and ``"generic"``.
FAMILIES: tuple[str, ...] = tuple(_import_families())

__all__ = [
    "CATALOGUE",
    "FAMILIES",
    "MACHINERY",
    "REGISTRY",
    "Check",
    "CheckResult",
    "Probe",
    "register",
]
