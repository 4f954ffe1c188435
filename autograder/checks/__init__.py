"""Checks for every component a learner implements, by name.

``REGISTRY`` maps a check's name (``"dense_forward"``, ``"adam"``...) to an instance.

Every module of this package except the shared machinery (:data:`MACHINERY`) is a family of
checks: importing it registers its checks with :func:`register` and its catalogued mistakes
with :func:`autograder.checks.diagnosis.mistake`. The modules are found and imported here, in
name order, so a new family is one new file and nothing else.
"""

from __future__ import annotations

import importlib
import pkgutil

from .base import Check, CheckResult, Probe

REGISTRY: dict[str, Check] = {}

#: Modules that hold the checks' machinery rather than checks.
MACHINERY = frozenset({"base", "capture", "diagnosis", "judging", "tolerances"})


def register(check_class: type[Check]) -> type[Check]:
    """Class decorator: add one instance of the check to the registry under its name."""
    if not check_class.name or check_class.name in REGISTRY:
        raise ValueError(f"check name missing or taken: {check_class.name!r}")
    REGISTRY[check_class.name] = check_class()
    return check_class


def _import_families() -> list[str]:
    # diagnosis first: its catalogue order (general entries after specific ones) is the
    # order in which the judge tries them, and the families' own entries come after it.
    importlib.import_module(f"{__name__}.diagnosis")
    names = sorted(
        info.name
        for info in pkgutil.iter_modules(__path__)
        if info.name not in MACHINERY and not info.name.startswith("_")
    )
    for name in names:
        importlib.import_module(f"{__name__}.{name}")
    return names


#: The families of checks, by module name (``"basics"``, ``"dense"``...).
FAMILIES: tuple[str, ...] = tuple(_import_families())

__all__ = ["FAMILIES", "MACHINERY", "REGISTRY", "Check", "CheckResult", "Probe", "register"]
