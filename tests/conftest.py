"""Fixtures shared by the whole test suite. Keep this file small: a fixture used by one test
file belongs in that file."""

from __future__ import annotations

import importlib.util
from pathlib import Path
from types import ModuleType

import pytest

REPO_ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="session")
def repo_root() -> Path:
    """The repository's top folder (where pyproject.toml and course.py live)."""
    return REPO_ROOT


@pytest.fixture(scope="session")
def course() -> ModuleType:
    """The top-level bootstrap script ``course.py``, imported as a module (it is not part of the
    installed package, so it cannot be imported by name)."""
    spec = importlib.util.spec_from_file_location("course", REPO_ROOT / "course.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module
