"""Chapter 5's accuracy check (``autograder/checks/argmax_accuracy.py``), beyond what
test_check_families.py asks of every family: stubs (a class or a function) say "not implemented
yet", the inputs are built so that the catalogued slips show, and odd results get precise
messages.

The learner-side code lives in ``tests/mistakes/argmax_accuracy.py``.
"""

from __future__ import annotations

import numpy as np
import pytest
from mistakes import argmax_accuracy

from autograder.checks import REGISTRY
from autograder.checks.base import ERROR, FAIL

pytestmark = pytest.mark.ch05

CHECK = REGISTRY["accuracy_argmax"]


def run(learner, seed=0):
    return CHECK.run(learner, seed)


class Stub:
    def calculate(self, softmax_outputs, class_targets):
        raise NotImplementedError()


def accuracy(softmax_outputs, class_targets):
    raise NotImplementedError()


@pytest.mark.parametrize(("learner", "where"), [(Stub, "calculate"), (accuracy, "accuracy")])
def test_stub_says_not_implemented_yet(learner, where):
    result = run(learner)
    assert result.status == ERROR and result.points == 0
    assert result.message == (
        f"not implemented yet: replace `raise NotImplementedError()` in {where} with your code."
    )


@pytest.mark.parametrize("seed", range(30))
def test_the_inputs_expose_the_slips(seed):
    spec = CHECK.build(seed)
    for case in ("sparse", "onehot", "square"):
        outputs = spec[case]["P"]
        top_two = np.sort(outputs, axis=1)[:, -2:]
        assert np.all(top_two[:, 1] - top_two[:, 0] > 1e-9), "a row ties for its largest value"
    labels = spec["sparse"]["y"]
    right = np.mean(np.argmax(spec["sparse"]["P"], axis=1) == labels)
    assert 0 < right < 1 and len(labels) != 3
    np.testing.assert_array_equal(np.argmax(spec["onehot"]["y"], axis=1), labels)
    square = spec["square"]
    assert np.mean(np.argmax(square["P"], axis=0) == square["y"]) != np.mean(
        np.argmax(square["P"], axis=1) == square["y"]
    )


def test_hidden_seeds_give_other_sizes():
    assert len({len(CHECK.build(seed)["sparse"]["y"]) for seed in range(20)}) > 1


def test_a_calculate_that_prints_instead_of_returning_is_told_to_return():
    class Printing:
        def calculate(self, softmax_outputs, class_targets):
            argmax_accuracy.Accuracy_Argmax().calculate(softmax_outputs, class_targets)

    result = run(Printing)
    assert result.status == FAIL
    assert "is None" in result.message and "return" in result.message


def test_targets_changed_in_place_are_reported():
    class Overwrites:
        def calculate(self, softmax_outputs, class_targets):
            if class_targets.ndim == 2:
                class_targets[:, 0] = np.argmax(class_targets, axis=1)
                class_targets = class_targets[:, 0].astype(int)
            return np.mean(np.argmax(softmax_outputs, axis=1) == class_targets)

    result = run(Overwrites)
    assert result.status == FAIL
    assert "the class_targets array passed to calculate was changed" in result.message


def test_a_wrong_value_names_the_case_and_both_numbers():
    class OffByOne:
        def calculate(self, softmax_outputs, class_targets):
            if class_targets.ndim == 2:
                class_targets = np.argmax(class_targets, axis=1)
            hits = np.argmax(softmax_outputs, axis=1) == class_targets
            return (hits.sum() + 1) / len(hits)

    result = run(OffByOne)
    assert result.status == FAIL and result.diagnosis is None
    assert result.message.startswith("the accuracy calculate returned (")
    assert "targets as class indices) is" in result.message and "expected" in result.message


def test_an_instance_instead_of_the_class_is_explained():
    result = run(argmax_accuracy.Accuracy_Argmax())
    assert result.status == ERROR and "pass the class itself" in result.message


def test_book_style_code_under_nnfs_init_passes(nnfs_initialised):
    assert run(argmax_accuracy.Accuracy_Argmax, 2).passed
