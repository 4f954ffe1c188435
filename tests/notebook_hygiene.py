"""Committed notebooks carry no outputs: a check, and a fixer for maintainers.

Outputs and execution counts make diffs noisy, leak an author's results into the learner's copy
and, for nbgrader sources, can leak a solution's printed values. Saved ipywidgets state is
dropped for the same reason.

Check or clean from the command line (standard library only):

    python tests/notebook_hygiene.py notebooks/          # list problems, exit 1 if any
    python tests/notebook_hygiene.py --fix notebooks/    # strip them in place
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Iterable
from pathlib import Path


def notebook_files(root: Path) -> list[Path]:
    """Every notebook under ``root`` (or ``root`` itself), checkpoints excluded."""
    if root.is_file():
        return [root]
    return sorted(path for path in root.rglob("*.ipynb") if ".ipynb_checkpoints" not in path.parts)


def notebook_problems(notebook: dict) -> list[str]:
    """Describe everything in a parsed notebook that should not be committed."""
    problems = []
    for index, cell in enumerate(notebook.get("cells", [])):
        if cell.get("cell_type") != "code":
            continue
        if cell.get("outputs"):
            problems.append(f"cell {index} has {len(cell['outputs'])} output(s)")
        if cell.get("execution_count") is not None:
            problems.append(f"cell {index} has execution count {cell['execution_count']}")
    if "widgets" in notebook.get("metadata", {}):
        problems.append("notebook metadata holds saved widget state")
    return problems


def file_problems(path: Path) -> list[str]:
    with open(path, encoding="utf-8") as file:
        return notebook_problems(json.load(file))


def strip_notebook(notebook: dict) -> dict:
    """Remove outputs, execution counts and saved widget state, in place; return the notebook."""
    for cell in notebook.get("cells", []):
        if cell.get("cell_type") == "code":
            cell["outputs"] = []
            cell["execution_count"] = None
    notebook.get("metadata", {}).pop("widgets", None)
    return notebook


def fix_file(path: Path) -> None:
    with open(path, encoding="utf-8") as file:
        notebook = json.load(file)
    strip_notebook(notebook)
    with open(path, "w", encoding="utf-8", newline="\n") as file:
        # The layout Jupyter itself writes: one-space indent, sorted keys, final newline.
        json.dump(notebook, file, indent=1, sort_keys=True, ensure_ascii=False)
        file.write("\n")


def main(argv: Iterable[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("paths", nargs="+", type=Path, help="notebooks or folders of notebooks")
    parser.add_argument("--fix", action="store_true", help="strip outputs in place")
    options = parser.parse_args(list(argv) if argv is not None else None)
    status = 0
    for root in options.paths:
        for path in notebook_files(root):
            problems = file_problems(path)
            if problems and options.fix:
                fix_file(path)
                print(f"{path}: stripped ({'; '.join(problems)})")
            elif problems:
                print(f"{path}: {'; '.join(problems)}")
                status = 1
    return status


if __name__ == "__main__":
    sys.exit(main())
