"""Checks for every component a learner implements, by name.

``REGISTRY`` maps a check's name (``"dense_forward"``, ``"adam"``...) to an instance.
"""

from __future__ import annotations

from .base import Check, CheckResult, Probe

REGISTRY: dict[str, Check] = {}


def register(check_class: type[Check]) -> type[Check]:
    """Class decorator: add one instance of the check to the registry under its name."""
    if not check_class.name or check_class.name in REGISTRY:
        raise ValueError(f"check name missing or taken: {check_class.name!r}")
    REGISTRY[check_class.name] = check_class()
    return check_class


# Importing the check modules registers their checks (after register exists above).
from . import (  # noqa: E402
    accuracy,
    activations,
    basics,
    dense,
    dropout,
    losses,
    model,
    optimizers,
    regularization,
)

__all__ = [
    "REGISTRY",
    "Check",
    "CheckResult",
    "Probe",
    "accuracy",
    "activations",
    "basics",
    "dense",
    "dropout",
    "losses",
    "model",
    "optimizers",
    "register",
    "regularization",
]
