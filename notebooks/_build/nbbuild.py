"""Write the pilot chapter notebooks from their build scripts (and check they are current).

Each ``chNN_<topic>.py`` next to this file lists a chapter's cells with the helpers below and
defines ``NOTEBOOK`` (the path under ``notebooks/``) and ``cells()``. The helpers put the
nbgrader metadata on every cell, so the rules of notebooks/README.md hold by construction:

* :func:`markdown` and :func:`readonly` make locked cells (explanations, the import cell);
* :func:`solution` makes a cell the learner edits (``### BEGIN/END SOLUTION`` inside it);
* :func:`graded` makes a locked, graded test cell: the visible ``check`` and, between the
  hidden-test markers, ``submit`` with a fresh seed;
* :func:`scratch` makes an ordinary cell without nbgrader metadata (demonstrations).

Usage, from the repository root::

    python notebooks/_build/nbbuild.py            # (re)write every pilot notebook
    python notebooks/_build/nbbuild.py --check    # exit 1 if a notebook differs from its script
    python notebooks/_build/nbbuild.py ch05_loss.py   # only the named scripts

Cell ids are derived from the grade ids (or the position, for scratch cells), and the JSON is
written in the layout Jupyter uses, so rebuilding an unchanged script changes nothing.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import sys
import textwrap
from pathlib import Path
from types import ModuleType
from typing import Any

HERE = Path(__file__).resolve().parent
NOTEBOOKS = HERE.parent

#: The build scripts, in chapter order: every ``chNN_<topic>.py`` next to this file.
SCRIPTS = tuple(sorted(path.name for path in HERE.glob("ch[0-9][0-9]_*.py")))

KERNELSPEC = {"display_name": "Python 3 (ipykernel)", "language": "python", "name": "python3"}
LANGUAGE_INFO = {"name": "python", "file_extension": ".py", "mimetype": "text/x-python"}


def _text(source: str) -> str:
    return textwrap.dedent(source).strip("\n")


def _nbgrader(grade_id: str, *, grade: bool, solution: bool, locked: bool, points=None) -> dict:
    meta: dict[str, Any] = {
        "grade": grade,
        "grade_id": grade_id,
        "locked": locked,
        "schema_version": 3,
        "solution": solution,
        "task": False,
    }
    if points is not None:
        meta["points"] = points
    return {"nbgrader": meta}


def markdown(grade_id: str, text: str) -> dict:
    """A read-only explanation cell."""
    return {
        "cell_type": "markdown",
        "id": grade_id,
        "metadata": _nbgrader(grade_id, grade=False, solution=False, locked=True),
        "source": _text(text),
    }


def _code(cell_id: str, source: str, metadata: dict) -> dict:
    return {
        "cell_type": "code",
        "execution_count": None,
        "id": cell_id,
        "metadata": metadata,
        "outputs": [],
        "source": _text(source),
    }


def readonly(grade_id: str, source: str) -> dict:
    """A locked code cell the learner runs but should not change (imports, set-up)."""
    return _code(grade_id, source, _nbgrader(grade_id, grade=False, solution=False, locked=True))


def solution(grade_id: str, source: str) -> dict:
    """An exercise cell: solution regions go inside method bodies."""
    return _code(grade_id, source, _nbgrader(grade_id, grade=False, solution=True, locked=False))


def graded(check_name: str, learner: str, *, points: int, seed: int) -> dict:
    """The test cell for one check: visible ``check``, then hidden ``submit``."""
    grade_id = f"test_{check_name}"
    source = f"""
        check("{check_name}", {learner})
        ### BEGIN HIDDEN TESTS
        submit("{check_name}", {learner}, seed={seed})
        ### END HIDDEN TESTS
        """
    meta = _nbgrader(grade_id, grade=True, solution=False, locked=True, points=points)
    return _code(grade_id, source, meta)


def scratch(cell_id: str, source: str) -> dict:
    """An ordinary code cell (a demonstration the learner may run and change)."""
    return _code(cell_id, source, {})


def notebook(cells: list[dict]) -> dict:
    ids = [cell["id"] for cell in cells]
    duplicates = sorted({i for i in ids if ids.count(i) > 1})
    if duplicates:
        raise ValueError(f"cell ids used twice: {duplicates}")
    for cell in cells:
        # Jupyter stores sources as lists of lines, each keeping its newline.
        cell["source"] = cell["source"].splitlines(keepends=True)
    return {
        "cells": cells,
        "metadata": {"kernelspec": KERNELSPEC, "language_info": LANGUAGE_INFO},
        "nbformat": 4,
        "nbformat_minor": 5,
    }


def render(data: dict) -> str:
    """The JSON text Jupyter (and tests/notebook_hygiene.py --fix) would write."""
    return json.dumps(data, indent=1, sort_keys=True, ensure_ascii=False) + "\n"


def load_script(name: str) -> ModuleType:
    """Import a build script by file name (the scripts import the helpers as ``nbbuild``)."""
    if str(HERE) not in sys.path:
        sys.path.insert(0, str(HERE))
    path = HERE / name
    spec = importlib.util.spec_from_file_location(f"_nbbuild_{path.stem}", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def built(names: tuple[str, ...] | list[str] = SCRIPTS) -> dict[Path, str]:
    """Each named script's notebook path and the text it produces (all scripts by default)."""
    result = {}
    for name in names:
        script = load_script(name)
        result[NOTEBOOKS / script.NOTEBOOK] = render(notebook(script.cells()))
    return result


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="report stale notebooks, write none")
    parser.add_argument(
        "scripts",
        nargs="*",
        metavar="chNN_topic.py",
        help="only these build scripts (default: all)",
    )
    options = parser.parse_args(argv)
    unknown = sorted(set(options.scripts) - set(SCRIPTS))
    if unknown:
        parser.error(f"no build script {unknown} in {HERE}; the scripts are {list(SCRIPTS)}")
    status = 0
    for path, text in built(options.scripts or SCRIPTS).items():
        current = path.read_text(encoding="utf-8") if path.exists() else None
        if current == text:
            continue
        if options.check:
            print(f"{path}: differs from its build script; run python {Path(__file__).name}")
            status = 1
        else:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding="utf-8", newline="\n")
            print(f"wrote {path}")
    return status


if __name__ == "__main__":
    sys.exit(main())
