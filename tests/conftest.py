"""Fixtures shared by the whole test suite. Keep this file small: a fixture used by one test
file belongs in that file."""

from __future__ import annotations

import importlib.util
from pathlib import Path
from types import ModuleType

import numpy as np
import pytest

REPO_ROOT = Path(__file__).resolve().parent.parent


#: Test files whose tests share an expensive module- or session-scoped fixture (a graded batch,
#: a JupyterLab server, an installed environment) or that are cheap anyway: each runs whole on
#: one pytest-xdist worker. (Grouping by file is the default; the chapter notebooks' tests are
#: grouped per notebook instead, so the notebooks spread over the workers.)
PER_NOTEBOOK_GROUPS = ("test_notebooks.py",)


def xdist_group_of(item: pytest.Item) -> str:
    """The ``xdist_group`` a test joins: its file, or for tests/test_notebooks.py, its
    notebook (whose source run and released course are cached per worker)."""
    path = Path(str(item.path))
    relative = path.relative_to(REPO_ROOT / "tests")
    if relative.parts[0] == "browser":
        return "browser"  # one JupyterLab server for the whole folder
    if path.name in PER_NOTEBOOK_GROUPS:
        notebook = getattr(item, "callspec", None) and item.callspec.params.get("path")
        if notebook is not None:
            return f"notebook:{Path(notebook).stem}"
    return str(relative)


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Under pytest-xdist's ``--dist loadgroup`` (what ``course.py test`` uses), keep tests that
    share a fixture on one worker. Without xdist the marks change nothing."""
    for item in items:
        item.add_marker(pytest.mark.xdist_group(xdist_group_of(item)))


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


@pytest.fixture(scope="module")
def ipython_dir(tmp_path_factory) -> Path:
    """An empty IPython profile folder, so no personal startup file runs in the kernels."""
    return tmp_path_factory.mktemp("ipython")
