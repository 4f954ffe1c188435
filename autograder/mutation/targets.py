"""What to mutate for each check: the correct learner it is tested with, and its covered lines.

The correct learner of a check is the one its tests use: the first correct class of
``CHECKS`` in its family's ``tests/mistakes/<family>.py`` (for the checks of chapters 9 to 18,
the chapter notebook's own solution class, read from the notebook by
:mod:`autograder.solutions`). So this module needs a checkout (it puts
``tests/`` on ``sys.path``), like :mod:`autograder.solutions`; it is a development tool, never
part of grading.

Only the lines the check actually runs are mutated (:func:`covered_lines` traces one run of
the check on the correct learner): an edit on a line the check never reaches cannot be
caught and says nothing about the check. Code of ``nnfs_core`` and NumPy is never mutated,
only the learner's own methods (a chapter 20 ``Model`` subclass keeps the reference's
``train``; only the method the learner wrote is mutated).
"""

from __future__ import annotations

import ast
import inspect
import sys
import textwrap
import types
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from autograder.checks import REGISTRY

TESTS = Path(__file__).resolve().parents[2] / "tests"


def learners() -> dict[str, type]:
    """Check name -> the correct learner class its tests hold it to (the first of its
    family's correct classes that is not ``nnfs_core``'s own)."""
    if not (TESTS / "mistakes").is_dir():
        raise FileNotFoundError(
            f"the mutation tool reads the correct learners from {TESTS}/mistakes, which is only"
            " in a checkout of the repository; run it from one"
        )
    if str(TESTS) not in sys.path:
        sys.path.insert(0, str(TESTS))
    from mistakes import families

    found = {}
    for family in families():
        for name, (_, classes) in family.CHECKS.items():
            ours = [c for c in classes if not c.__module__.startswith("nnfs_core")]
            found[name] = (ours or list(classes))[0]
    missing = set(REGISTRY) - set(found)
    if missing:
        raise LookupError(f"no correct learner for checks {sorted(missing)} in tests/mistakes")
    return found


@dataclass
class Target:
    """One learner function to mutate: where it is defined and its syntax tree.

    ``tree`` is a module holding only the function, with line numbers of the file it came
    from (a notebook cell's or a test module's), so a mutant's traceback shows real lines.
    """

    name: str  # attribute name on the class
    owner: type  # the class that defines it
    function: types.FunctionType
    wrapper: type | None  # staticmethod or classmethod, when the attribute was one
    tree: ast.Module
    lines: set[int]  # lines of the function the check runs


def _is_learner_code(owner: type) -> bool:
    return owner is not object and not owner.__module__.startswith(("nnfs_core", "numpy"))


def covered_lines(check_name: str, learner: type, seed: int = 0) -> set[tuple[str, int]]:
    """``(filename, line)`` of the learner's own code that one run of the check executes."""
    files = set()
    for owner in learner.__mro__:
        if _is_learner_code(owner):
            for value in vars(owner).values():
                function = getattr(value, "__func__", value)
                if isinstance(function, types.FunctionType):
                    files.add(function.__code__.co_filename)
    seen: set[tuple[str, int]] = set()

    def local(frame, event, arg):
        if event == "line":
            seen.add((frame.f_code.co_filename, frame.f_lineno))
        return local

    def tracer(frame, event, arg):
        return local if frame.f_code.co_filename in files else None

    previous = sys.gettrace()
    sys.settrace(tracer)
    try:
        REGISTRY[check_name].run(learner, seed)
    finally:
        sys.settrace(previous)
    return seen


def targets(check_name: str, learner: type) -> list[Target]:
    """The learner's methods the check runs, each with its tree and covered lines."""
    covered = covered_lines(check_name, learner)
    found: list[Target] = []
    taken: set[str] = set()
    for owner in learner.__mro__:
        for name, value in vars(owner).items():
            if name in taken:
                continue
            taken.add(name)
            if not _is_learner_code(owner):
                continue
            wrapper = type(value) if isinstance(value, staticmethod | classmethod) else None
            function = getattr(value, "__func__", value)
            if not isinstance(function, types.FunctionType):
                continue
            code = function.__code__
            lines = {line for file, line in covered if file == code.co_filename}
            try:
                source = textwrap.dedent(inspect.getsource(function))
            except (OSError, TypeError):
                continue
            tree = ast.parse(source)
            if not tree.body or not isinstance(tree.body[0], ast.FunctionDef):
                continue
            tree.body[0].decorator_list = []
            first = code.co_firstlineno
            ast.increment_lineno(tree, first - 1)
            last = first + len(source.splitlines())
            mine = {line for line in lines if first <= line < last}
            if mine:
                found.append(Target(name, owner, function, wrapper, tree, mine))
    return found


def compile_function(target: Target, tree: ast.Module) -> types.FunctionType:
    """``tree``'s function, bound to the original's globals, defaults and ``__class__``.

    The function is compiled inside a class statement so that a zero-argument ``super()``
    compiles; its ``__class__`` cell is then pointed at the class that defined the original,
    so ``super()`` in the mutant finds what the original found.
    """
    original = target.function
    holder = ast.Module(
        body=[
            ast.ClassDef(
                name=target.owner.__name__,
                bases=[],
                keywords=[],
                body=tree.body,
                decorator_list=[],
                type_params=[],
            )
        ],
        type_ignores=[],
    )
    ast.fix_missing_locations(holder)
    namespace: dict[str, Any] = {}
    exec(
        compile(holder, original.__code__.co_filename, "exec"),
        dict(original.__globals__),
        namespace,
    )
    compiled = vars(namespace[target.owner.__name__])[target.name]
    code = compiled.__code__
    closure = []
    old_cells = dict(zip(original.__code__.co_freevars, original.__closure__ or ()))
    for free in code.co_freevars:
        if free == "__class__":
            closure.append(types.CellType(target.owner))
        elif free in old_cells:
            closure.append(old_cells[free])
        else:
            raise NameError(f"mutant of {target.name} needs free variable {free!r}")
    function = types.FunctionType(
        code, original.__globals__, original.__name__, original.__defaults__, tuple(closure)
    )
    function.__kwdefaults__ = original.__kwdefaults__
    function.__qualname__ = original.__qualname__
    function.__module__ = original.__module__
    return function


def mutant_class(learner: type, target: Target, function: types.FunctionType) -> type:
    """A subclass of ``learner`` (same name and module) whose ``target`` is ``function``."""
    value = target.wrapper(function) if target.wrapper is not None else function
    namespace = {target.name: value, "__module__": learner.__module__}
    mutant = type(learner.__name__, (learner,), namespace)
    mutant.__qualname__ = learner.__qualname__
    return mutant


__all__ = ["Target", "compile_function", "covered_lines", "learners", "mutant_class", "targets"]
