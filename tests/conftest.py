"""Fixtures shared by the whole test suite. Keep this file small: a fixture used by one test
file belongs in that file."""

from __future__ import annotations

import importlib.util
from pathlib import Path
from types import ModuleType

import numpy as np
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


@pytest.fixture
def nnfs_initialised():
    """``nnfs.init()`` as a learner's notebook calls it (it patches NumPy globally); NumPy's
    patched functions and global random state are restored afterwards. Used by the checks'
    float32 tests in more than one file."""
    nnfs = pytest.importorskip("nnfs")
    saved = (np.dot, np.zeros, np.eye, np.random.randn)
    state = np.random.get_state()
    nnfs.init()
    try:
        yield
    finally:
        np.dot, np.zeros, np.eye, np.random.randn = saved
        np.random.set_state(state)
