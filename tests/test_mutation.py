"""The mutation tool (autograder/mutation) and the floor it holds the catalogue to.

For every check, the single-point mutants of its correct learner are run through the real
check: no mutant may pass with values that differ from the solution's (a missed mutant is
full marks for wrong code), and the share of wrong mutants the judge names may not fall below
the floor stored in ``autograder/mutation/floors.json`` (written by the tool, not computed
here). The whole table costs about 15 s of CPU, spread over one test per check (the
largest, ``adam``, about 5 s).
"""

from __future__ import annotations

import ast
import textwrap

import pytest
from mistakes import families

from autograder.checks import REGISTRY
from autograder.mutation.floors import read_floors
from autograder.mutation.operators import apply, sites
from autograder.mutation.runner import run_check
from autograder.mutation.targets import learners

CHAPTER = {name: chapter for f in families() for name, (chapter, _) in f.CHECKS.items()}
FLOORS = read_floors()
LEARNERS = learners()


def test_every_check_has_a_floor():
    assert set(FLOORS) == set(REGISTRY), "python -m autograder.mutation --write-floors"


@pytest.mark.parametrize(
    "name",
    [pytest.param(name, marks=getattr(pytest.mark, CHAPTER[name])) for name in sorted(REGISTRY)],
)
def test_no_mutant_is_missed_and_the_named_rate_holds(name):
    siblings = tuple(other for other, cls in LEARNERS.items() if cls is LEARNERS[name])
    report = run_check(name, LEARNERS[name], siblings)
    missed = [f"{m.describe()}: {m.why}" for m in report.mutants if m.outcome == "missed"]
    assert missed == [], "full marks for wrong code"
    floor = FLOORS[name]["named_rate"]
    generic = [
        f"{m.describe()}: {m.message[:120]}" for m in report.mutants if m.outcome == "generic"
    ]
    assert report.named_rate >= floor, (report.named_rate, floor, generic)


# -- the operators, on a function of their own ----------------------------------------------

SOURCE = textwrap.dedent(
    """
    def backward(self, dvalues):
        self.dweights = np.dot(self.inputs.T, dvalues)
        self.dbiases = np.sum(dvalues, axis=0, keepdims=True)
        self.dinputs = dvalues.copy()
        self.dinputs[self.inputs <= 0] = 0
    """
)


def _labels(source=SOURCE):
    tree = ast.parse(source)
    return {site.label: site for site in sites(tree.body[0])}, tree


def test_operators_make_the_mistakes_a_learner_makes():
    labels, tree = _labels()
    expected = {
        "axis=0 -> axis=1",
        "keepdims dropped from np.sum",
        "self.inputs.T -> self.inputs (.T removed)",
        "np.dot operands swapped",
        "np.sum -> np.mean",
        "<= -> < in self.inputs <= 0",
        "dvalues.copy(): copy dropped (the input is changed in place)",
        "self.dbiases = np.sum(dvalues, axis=0... removed (not stored)",
    }
    assert expected <= set(labels), sorted(labels)
    mutated = ast.unparse(apply(tree, labels["keepdims dropped from np.sum"]))
    assert "np.sum(dvalues, axis=0)" in mutated and mutated.count("keepdims") == 0
    assert ast.unparse(tree).count("keepdims=True") == 1, "apply changed the original tree"


def test_only_the_lines_a_check_runs_are_mutated():
    _, tree = _labels()
    first_line = tree.body[0].body[0].lineno
    only = sites(tree.body[0], {first_line})
    assert only and all(site.line == first_line for site in only)


@pytest.mark.ch09
def test_a_mutant_the_catalogue_knows_is_named_and_an_identity_is_equivalent():
    report = run_check("dense_backward", LEARNERS["dense_backward"], ("dense_backward",))
    by_label = {m.site.label: m for m in report.mutants}
    keepdims = by_label["keepdims dropped from .sum"]
    assert keepdims.outcome == "named" and keepdims.diagnosis, keepdims.message
    # A regularizer test `> 0` read as `>= 0` adds 0 * gradient when the strength is 0.
    identity = next(
        m for label, m in by_label.items() if label.startswith("> -> >= in self.weight")
    )
    assert identity.outcome == "equivalent", identity.why
