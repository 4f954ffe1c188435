"""The shape of ``autograder/checks``: what protects the catalogue's order and the imports.

* No import cycle among the package's modules (read from their source with ``ast``, imports
  inside functions included, and ``__init__`` counted as importing every module it loads).
* ``shared.py`` (the types and registries) imports nothing else of the package.
* Which catalogued mistake wins never depends on the order modules are imported in: entries
  that can explain the same check either differ in ``priority`` or live in one module, where
  the order they are written in decides.
* Every entry lives in the module of the family of its checks (or in ``generic.py`` when its
  checks span families), and the README's table names that module for every check.
"""

from __future__ import annotations

import ast
import re
from collections import defaultdict
from pathlib import Path

import pytest

import autograder.checks as package
from autograder.checks import MACHINERY, REGISTRY
from autograder.checks.shared import CATALOGUE, LAST, candidates

pytestmark = pytest.mark.project

FOLDER = Path(package.__file__).parent
MODULES = sorted(path.stem for path in FOLDER.glob("*.py"))


def _imports_of(module: str) -> set[str]:
    """The package's modules that ``module`` imports (at any depth in its source)."""
    tree = ast.parse((FOLDER / f"{module}.py").read_text(encoding="utf-8"))
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom):
            if node.level == 1:
                base = node.module
            elif node.level == 0 and (node.module or "").startswith("autograder.checks"):
                base = node.module.removeprefix("autograder.checks").lstrip(".") or None
            else:
                continue
            if base:
                found.add(base.split(".")[0])
            else:  # from . import x: x is a module, or a name defined in __init__
                for alias in node.names:
                    found.add(alias.name if alias.name in MODULES else "__init__")
        elif isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name.startswith("autograder.checks."):
                    found.add(alias.name.split(".")[2])
    if module == "__init__":  # it imports every family by name, dynamically
        found |= {m for m in MODULES if m not in MACHINERY and not m.startswith("_")}
        found.discard("__init__")
    return found


def _cycle(graph: dict[str, set[str]]) -> list[str] | None:
    """One import cycle in ``graph`` as a list of modules, or ``None``."""
    state: dict[str, int] = {}  # 1: on the current path, 2: finished
    path: list[str] = []

    def visit(node: str) -> list[str] | None:
        state[node] = 1
        path.append(node)
        for target in sorted(graph.get(node, ())):
            if state.get(target) == 1:
                return [*path[path.index(target) :], target]
            if target not in state:
                found = visit(target)
                if found:
                    return found
        path.pop()
        state[node] = 2
        return None

    for node in sorted(graph):
        if node not in state:
            found = visit(node)
            if found:
                return found
    return None


GRAPH = {module: _imports_of(module) for module in MODULES}


def test_the_cycle_finder_finds_a_cycle():
    assert _cycle({"a": {"b"}, "b": {"c"}, "c": {"a"}}) == ["a", "b", "c", "a"]
    assert _cycle({"a": {"b"}, "b": set()}) is None


def test_no_import_cycle_inside_autograder_checks():
    assert _cycle(GRAPH) is None, " → ".join(_cycle(GRAPH) or [])


def test_the_shared_types_module_imports_nothing_else_of_the_package():
    assert GRAPH["shared"] == set()


def test_no_module_imports_the_old_catalogue_alias():
    users = sorted(module for module, targets in GRAPH.items() if "diagnosis" in targets)
    assert users == []


def test_entries_that_share_a_check_are_ordered_by_priority_not_by_import_order():
    for check in REGISTRY:
        by_priority = defaultdict(set)
        for entry in candidates(check):
            by_priority[entry.priority].add(entry.module)
        mixed = {p: sorted(m) for p, m in by_priority.items() if len(m) > 1}
        assert not mixed, (
            f"{check}: entries of equal priority in several modules {mixed}; give them "
            "different priorities (shared.EARLY, SPECIFIC, GENERAL, LAST)"
        )


def test_the_generic_entries_are_tried_last():
    for check in REGISTRY:
        order = [entry.module.rpartition(".")[2] for entry in candidates(check)]
        if "generic" in order:
            first = order.index("generic")
            assert set(order[first:]) == {"generic"}, (check, order)
    assert all(entry.priority == LAST for entry in CATALOGUE.values() if _home(entry) == "generic")


def _home(entry) -> str:
    return entry.module.rpartition(".")[2]


def test_every_entry_lives_in_the_module_of_its_checks_family():
    for entry in CATALOGUE.values():
        families = {type(REGISTRY[name]).__module__.rpartition(".")[2] for name in entry.checks}
        if _home(entry) == "generic":
            assert len(families) > 1, f"{entry.id} belongs to {families}, not to generic.py"
        else:
            assert _home(entry) in families, (entry.id, _home(entry), families)


def test_the_readme_table_names_each_checks_module():
    text = (FOLDER / "README.md").read_text(encoding="utf-8")
    rows = dict(re.findall(r"^\| `(\w+)` \| `(\w+)\.py` \|", text, flags=re.MULTILINE))
    expected = {name: type(check).__module__.rpartition(".")[2] for name, check in REGISTRY.items()}
    assert rows == expected
