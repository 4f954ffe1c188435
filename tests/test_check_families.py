"""What every family of checks must do, tested for each family module in ``tests/mistakes``
(``basics`` for chapters 1 to 4, and the later chapters' own; see tests/mistakes/__init__.py):

* every correct learner version of each check passes, with full points, on several seeds;
* every catalogued mistake fails with no points, and the judge names it with its title and hint;
* every catalogue entry used only by a family's checks has a wrong implementation there;
* a probe survives JSON (the grader's sandbox hands it over as text) and is judged the same,
  and it holds only plain data (no learner object can travel to the judge).

Tests particular to one family (stubs, its edge cases) live in ``test_checks_<family>.py``.
"""

from __future__ import annotations

import json

import numpy as np
import pytest
from mistakes import assert_fails_and_is_named, families

from autograder.checks import REGISTRY
from autograder.checks.base import PASS, Probe, Unrepresentable
from autograder.checks.shared import CATALOGUE

FAMILIES = {family.__name__.rpartition(".")[2]: family for family in families()}
SEEDS = (0, 1, 7)


def _mark(family, check_name):
    return getattr(pytest.mark, family.CHECKS[check_name][0])


CORRECT = [
    pytest.param(name, learner, marks=_mark(family, name), id=f"{name}-{learner.__name__}")
    for family in FAMILIES.values()
    for name, (_, learners) in family.CHECKS.items()
    for learner in learners
]

WRONG = [
    pytest.param(
        mistake,
        name,
        learner,
        marks=_mark(family, name),
        id=f"{mistake}-{getattr(learner, '__name__', name)}",
    )
    for family in FAMILIES.values()
    for mistake, name, learner in family.WRONG
]

BY_CHECK = [
    pytest.param(family_name, name, marks=_mark(family, name), id=name)
    for family_name, family in FAMILIES.items()
    for name in family.CHECKS
]


def run(name, learner, seed=0):
    return REGISTRY[name].run(learner, seed)


@pytest.mark.parametrize("family_name", sorted(FAMILIES))
def test_the_family_lists_exactly_the_checks_of_its_module(family_name):
    registered = {
        name
        for name, check in REGISTRY.items()
        if type(check).__module__ == f"autograder.checks.{family_name}"
    }
    assert registered == set(FAMILIES[family_name].CHECKS)


@pytest.mark.parametrize("family_name", sorted(FAMILIES))
def test_every_catalogue_entry_of_the_family_alone_has_a_wrong_implementation(family_name):
    family = FAMILIES[family_name]
    ours = {entry.id for entry in CATALOGUE.values() if set(entry.checks) <= set(family.CHECKS)}
    covered = {mistake for mistake, _, _ in family.WRONG}
    assert ours - covered == set()
    assert covered - set(CATALOGUE) == set()


@pytest.mark.parametrize(("name", "learner"), CORRECT)
@pytest.mark.parametrize("seed", SEEDS)
def test_correct_code_passes(name, learner, seed):
    result = run(name, learner, seed)
    assert result.status == PASS, str(result)
    assert result.points == result.max_points


@pytest.mark.parametrize(("mistake", "name", "learner"), WRONG)
@pytest.mark.parametrize("seed", (0, 3))
def test_mistake_fails_and_is_named(mistake, name, learner, seed):
    assert_fails_and_is_named(run(name, learner, seed), mistake)


def _learners(family, name):
    wrong = [learner for _, check, learner in family.WRONG if check == name]
    return [*family.CHECKS[name][1], *wrong]


def _plain(value) -> bool:
    if isinstance(value, dict):
        return all(isinstance(k, str) and _plain(v) for k, v in value.items())
    if isinstance(value, list):
        return all(_plain(v) for v in value)
    if isinstance(value, np.ndarray):
        return type(value) is np.ndarray and value.dtype.kind in "biuf"
    return value is None or isinstance(value, bool | int | float | str | Unrepresentable)


@pytest.mark.parametrize(("family_name", "name"), BY_CHECK)
def test_probe_survives_json_and_judges_the_same(family_name, name):
    check = REGISTRY[name]
    for learner in _learners(FAMILIES[family_name], name):
        probe = check.probe(learner, 5)
        text = json.dumps(probe.to_json(), allow_nan=False)
        again = Probe.from_json(json.loads(text))
        assert check.judge(again).to_dict() == check.judge(probe).to_dict(), learner


@pytest.mark.parametrize(("family_name", "name"), BY_CHECK)
def test_probes_hold_only_plain_data(family_name, name):
    for learner in _learners(FAMILIES[family_name], name):
        assert _plain(REGISTRY[name].probe(learner, 1).captured), learner
