"""Run a check on every mutant of its correct learner and classify what the check said.

Classes of outcome (:data:`OUTCOMES`), for one mutant judged at the grading seed (0):

* ``named``: failed, and the judge named a catalogued mistake;
* ``generic``: failed with no mistake named (the generic comparison message);
* ``raised``: the mutant's own code raised (an ``IndexError`` from an axis that does not
  exist, an ``AttributeError`` from a cache never stored); the learner is shown the exception,
  their method, line and statement, which locate the mistake without the catalogue;
* ``missed``: passed, with full marks, although its results differ from the solution's;
* ``elsewhere``: passed, and every value the check grades is the solution's; what differs is
  only a value it records but leaves to another check (the forward's output in a backward
  check, graded by the forward check);
* ``equivalent``: passed, and is the same function as the solution: everything its probe
  recorded equals what the solution's probe recorded (to 1e-10 relative, far inside the
  checks' 1e-6) on the grading seed and on :data:`EXTRA_SEEDS`, which draw fresh random
  inputs. ``why`` says so, or (:data:`JUSTIFIED`) names why an edit that changes values is
  right all the same.

Mutants whose source is the same as another's (two edits that produce one program) are
judged once. Nothing is cached on disk.
"""

from __future__ import annotations

import ast
import time
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from autograder.checks import REGISTRY
from autograder.checks.base import ERROR, PASS

from .operators import Site, apply, sites
from .targets import Target, compile_function, learners, mutant_class, targets

OUTCOMES = ("named", "generic", "raised", "missed", "elsewhere", "equivalent")
GRADING_SEED = 0

#: Passing mutants whose values differ from the solution's but are right all the same, with
#: the reason (check, site label) -> why.
JUSTIFIED: dict[tuple[str, str], str] = {
    ("random_search_perturb", "+= -> -= on layer.weights"): (
        "subtracting 0.05 * randn is the same random perturbation as adding it (randn is"
        " symmetric about 0); the book's sign is a convention"
    ),
    ("random_search_perturb", "+= -> -= on layer.biases"): (
        "subtracting 0.05 * randn is the same random perturbation as adding it (randn is"
        " symmetric about 0); the book's sign is a convention"
    ),
}
EXTRA_SEEDS = (1, 2, 3, 5)


@dataclass
class Mutant:
    """One mutant and what the check made of it."""

    check: str
    method: str
    site: Site
    outcome: str = ""
    diagnosis: str | None = None
    message: str = ""
    why: str = ""

    def describe(self) -> str:
        return f"{self.method} line {self.site.line}: {self.site.label}"


@dataclass
class CheckReport:
    """Every mutant of one check, classified."""

    check: str
    learner: str
    mutants: list[Mutant] = field(default_factory=list)
    seconds: float = 0.0

    def count(self, outcome: str) -> int:
        return sum(1 for m in self.mutants if m.outcome == outcome)

    @property
    def judged(self) -> int:
        """Mutants that are wrong code the check itself must explain (not equivalent, and
        not stopped by an exception of their own)."""
        return len(self.mutants) - sum(self.count(o) for o in ("equivalent", "elsewhere", "raised"))

    @property
    def named_rate(self) -> float:
        """Share of the wrong, non-raising mutants whose mistake the judge named (1.0 when
        there are none)."""
        return self.count("named") / self.judged if self.judged else 1.0


def _same(a: Any, b: Any) -> bool:
    """Probe data equal to 1e-10 relative (NaN equal to NaN), recursively."""
    if isinstance(a, dict) and isinstance(b, dict):
        return a.keys() == b.keys() and all(_same(a[k], b[k]) for k in a)
    numeric = (np.ndarray, np.generic, float, int, list, tuple)
    if isinstance(a, numeric) and isinstance(b, numeric):
        try:
            x, y = np.asarray(a), np.asarray(b)
        except ValueError:  # ragged lists
            return len(a) == len(b) and all(_same(p, q) for p, q in zip(a, b))
        if x.dtype.kind in "biuf" and y.dtype.kind in "biuf":
            return x.shape == y.shape and bool(
                np.allclose(x, y, rtol=1e-10, atol=1e-12, equal_nan=True)
            )
        if x.dtype == object or y.dtype == object:
            return len(a) == len(b) and all(_same(p, q) for p, q in zip(a, b))
        return x.shape == y.shape and bool(np.all(x == y))
    if type(a) is not type(b):
        return False
    return bool(a == b)


def _differing(a: Any, b: Any) -> list[str]:
    """The keys of two probe-value dicts whose values are not :func:`_same`."""
    if not (isinstance(a, dict) and isinstance(b, dict)):
        return [] if _same(a, b) else ["(all)"]
    keys = sorted(set(a) | set(b))
    return [k for k in keys if k not in a or k not in b or not _same(a[k], b[k])]


def _recorded(check: str, learner: type, seed: int) -> dict[str, Any]:
    probe = REGISTRY[check].probe(learner, seed)
    captured = probe.captured if isinstance(probe.captured, dict) else {}
    return {
        "values": dict(captured.get("values") or {}),
        "errors": sorted(captured.get("errors") or {}),
    }


def _graded(check: str, seed: int) -> dict[str, bool]:
    """The keys the check compares on ``seed`` -> whether it compares only their shape."""
    staged = REGISTRY[check]
    return {q.key: q.shape_only for q in staged.quantities(staged.build(seed))}


def _graded_differ(check: str, seed: int, ours: dict, theirs: dict) -> list[str]:
    differ = []
    for key, shape_only in _graded(check, seed).items():
        a, b = ours["values"].get(key), theirs["values"].get(key)
        if shape_only:
            if np.shape(a) != np.shape(b):
                differ.append(key)
        elif not _same(a, b):
            differ.append(key)
    return differ


def _graded_by_siblings(
    check: str, learner: type, mutant: type, siblings: tuple[str, ...]
) -> list[str]:
    """``"sibling: key"`` for each value another check of the same learner class grades and
    the mutant changes (a loss's forward, seen by the forward check, not the backward one)."""
    found = []
    for other in siblings:
        if other == check:
            continue
        for seed in (GRADING_SEED, *EXTRA_SEEDS):
            differ = _graded_differ(
                other, seed, _recorded(other, mutant, seed), _recorded(other, learner, seed)
            )
            if differ:
                found.append(f"{other}: {differ[0]}")
                break
    return found


def classify(
    check: str,
    learner: type,
    mutant: type,
    record: Mutant,
    baseline: dict,
    siblings: tuple[str, ...] = (),
) -> None:
    """Fill ``record``'s outcome from the check's verdict on ``mutant``.

    A mutant that passes is ``missed`` when a value the check grades differs from the
    solution's on any seed (the grading seed, within tolerance, or a fresh one); ``elsewhere``
    when the graded values are the solution's and only values the check records but leaves to
    another check differ (a backward check keeps the forward's output); ``equivalent`` when
    everything recorded is the solution's and ``siblings`` (the other checks of the same
    learner class) grade the solution's values too.
    """
    result = REGISTRY[check].run(mutant, GRADING_SEED)
    record.message = result.message
    if result.status != PASS:
        record.diagnosis = result.diagnosis
        if result.diagnosis:
            record.outcome = "named"
        elif result.status == ERROR:
            record.outcome = "raised"
        else:
            record.outcome = "generic"
        return
    justified = JUSTIFIED.get((check, record.site.label))
    elsewhere: set[str] = set()
    for seed in (GRADING_SEED, *EXTRA_SEEDS):
        if seed not in baseline:
            baseline[seed] = _recorded(check, learner, seed)
        ours = _recorded(check, mutant, seed)
        graded = _graded_differ(check, seed, ours, baseline[seed])
        if graded and justified is None:
            record.outcome = "missed"
            record.why = (
                f"passes seed {GRADING_SEED}, but graded values differ on seed {seed}:"
                f" {', '.join(graded[:4])}"
            )
            return
        elsewhere.update(_differing(ours["values"], baseline[seed]["values"]))
    if justified is None and not elsewhere:
        elsewhere.update(_graded_by_siblings(check, learner, mutant, siblings))
    if justified is not None:
        record.outcome, record.why = "equivalent", justified
    elif elsewhere:
        record.outcome = "elsewhere"
        record.why = (
            "graded values are the solution's on every seed; what differs is left to another"
            f" check: {', '.join(sorted(elsewhere)[:4])}"
        )
    else:
        record.outcome = "equivalent"
        record.why = (
            f"records the solution's values (to 1e-10) on seeds {GRADING_SEED},"
            f" {', '.join(map(str, EXTRA_SEEDS))}"
        )


def mutants_of(check: str, learner: type) -> list[tuple[Target, Site, ast.Module]]:
    """Every distinct single-point mutant of ``learner``'s code that ``check`` runs."""
    found = []
    seen: set[str] = set()
    for target in targets(check, learner):
        seen.add(ast.unparse(target.tree))
        for site in sites(target.tree.body[0], target.lines):
            tree = apply(target.tree, site)
            text = ast.unparse(tree)
            if text in seen:
                continue
            seen.add(text)
            found.append((target, site, tree))
    return found


def run_check(
    check: str, learner: type | None = None, siblings: tuple[str, ...] = ()
) -> CheckReport:
    """Every mutant of ``check``'s correct learner, classified; ``siblings`` are the other
    checks that grade the same class."""
    if learner is None:
        found = learners()
        learner = found[check]
        siblings = tuple(name for name, other in found.items() if other is learner)
    report = CheckReport(check, f"{learner.__module__}.{learner.__qualname__}")
    start = time.perf_counter()
    baseline: dict[int, dict] = {}
    for target, site, tree in mutants_of(check, learner):
        record = Mutant(check, f"{target.owner.__name__}.{target.name}", site)
        try:
            function = compile_function(target, tree)
        except SyntaxError as error:  # an edit that is not valid Python (never a learner's)
            record.outcome, record.why = "skipped", f"does not compile: {error}"
            continue
        mutant = mutant_class(learner, target, function)
        classify(check, learner, mutant, record, baseline, siblings)
        report.mutants.append(record)
    report.seconds = time.perf_counter() - start
    return report


def run_all(checks: list[str] | None = None) -> list[CheckReport]:
    found = learners()
    names = checks if checks else sorted(REGISTRY)
    unknown = [name for name in names if name not in REGISTRY]
    if unknown:
        raise KeyError(f"no check named {unknown}; the checks are {sorted(REGISTRY)}")
    return [
        run_check(
            name,
            found[name],
            tuple(other for other, learner in found.items() if learner is found[name]),
        )
        for name in names
    ]


__all__ = ["EXTRA_SEEDS", "OUTCOMES", "CheckReport", "Mutant", "classify", "run_all", "run_check"]
