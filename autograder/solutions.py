"""The chapter notebooks' solutions as Python classes, read from the notebooks themselves.

The source notebooks in ``notebooks/chNN/`` hold the course's own solution to every exercise.
Code that needs a correct learner-written class (the tests of the checks in
``tests/mistakes/book.py``, the book-style baseline of ``benchmarks/book_style.py``) takes it
from here instead of keeping a copy that could drift from what the notebooks teach::

    from autograder.solutions import solutions

    ch09 = solutions("ch09")
    layer = ch09.Layer_Dense(2, 3)  # the class of the solution cell ch09_layer_dense

A chapter's namespace is built as the notebook builds it: its imports cell (the first code
cell), then each solution cell in order, in one fresh module. Demonstrations and test cells
are not run. A class defined again by a later cell (chapter 10's ``Optimizer_SGD`` gains decay,
then momentum) is the last version; ``solutions("ch10", until="ch10_sgd")`` stops after the
named cell, for an earlier one.

Only for the course's own source notebooks, which are trusted code: this executes them. Never
point it at a submission (grading runs those in :mod:`autograder.sandbox`).
"""

from __future__ import annotations

import functools
import linecache
import types
from pathlib import Path

#: The repository's chapter notebooks (this package sits beside the folder in a checkout).
NOTEBOOKS = Path(__file__).resolve().parent.parent / "notebooks"


def chapter_notebook(chapter: str, notebooks: Path = NOTEBOOKS) -> Path:
    """The one notebook of ``notebooks/<chapter>/``."""
    found = sorted((notebooks / chapter).glob("*.ipynb"))
    if len(found) != 1:
        raise FileNotFoundError(
            f"expected one notebook in {notebooks / chapter}, found {len(found)}"
            + ("" if found else "; the chapter notebooks are in a checkout of the repository")
        )
    return found[0]


@functools.cache
def solutions(
    chapter: str, *, until: str | None = None, notebooks: Path = NOTEBOOKS
) -> types.ModuleType:
    """A module holding what ``chapter``'s imports cell and solution cells define.

    ``until``: the ``grade_id`` of the last solution cell to run (default: all of them).
    The classes' ``__module__`` is ``notebooks.<chapter>`` (not ``nnfs_core``: to the checks
    they are a learner's classes); the cells' lines are in :mod:`linecache`, so a traceback
    through them shows the notebook's code. The result is cached: every caller gets the same
    classes.
    """
    from .course_config import skip_slow_optional_imports

    # nbformat validates with jsonschema, whose optional IRI checker costs seconds to import
    # and is used by no notebook schema (see skip_slow_optional_imports).
    skip_slow_optional_imports()
    import nbformat

    path = chapter_notebook(chapter, notebooks)
    notebook = nbformat.read(path, as_version=4)
    code_cells = [
        (index, cell) for index, cell in enumerate(notebook.cells) if cell.cell_type == "code"
    ]
    if not code_cells:
        raise ValueError(f"{path} has no code cell")
    module = types.ModuleType(f"notebooks.{chapter}", f"Solutions of {path.name}")
    module.__file__ = str(path)
    ran = [code_cells[0]]  # the imports cell
    ran += [(i, cell) for i, cell in code_cells[1:] if _grade_info(cell).get("solution")]
    names = [_grade_info(cell).get("grade_id") for _, cell in ran]
    if until is not None and until not in names:
        raise ValueError(f"{path.name} has no solution cell {until!r}; it has {names[1:]}")
    for (index, cell), name in zip(ran, names):
        filename = f"{path} (cell {index}, {name or 'imports'})"
        linecache.cache[filename] = (
            len(cell.source),
            None,
            cell.source.splitlines(keepends=True),
            filename,
        )
        exec(compile(cell.source, filename, "exec"), module.__dict__)
        if name is not None and name == until:
            break
    return module


def _grade_info(cell) -> dict:
    return cell.get("metadata", {}).get("nbgrader", {})


__all__ = ["NOTEBOOKS", "chapter_notebook", "solutions"]
