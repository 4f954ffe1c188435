"""The chapter 18 Model checks of ``autograder/checks/model_parts.py``, beyond what
test_check_families.py asks of every family: stubs say "not implemented yet" at the first
unwritten method, a Model without links passes with the links named as not checked, and the
backward mistakes catalogued here are named by ``model_backward_chain`` too.

The learner-side classes live in ``tests/mistakes/model_parts.py``.
"""

from __future__ import annotations

import pytest
from mistakes import model_parts

import nnfs_core.book as reference
from autograder.checks import REGISTRY
from autograder.checks.base import ERROR, FAIL

pytestmark = pytest.mark.ch18


def run(name, learner, seed=0):
    return REGISTRY[name].run(learner, seed)


class StubModel:
    """The released chapter 18 exercise: only the constructor is written."""

    def __init__(self):
        self.layers = []

    def add(self, layer):
        raise NotImplementedError()

    def set(self, *, loss, optimizer, accuracy):
        raise NotImplementedError()

    def finalize(self):
        raise NotImplementedError()

    def forward(self, X, training):
        raise NotImplementedError()

    def backward(self, output, y):
        raise NotImplementedError()


class StubInput:
    def forward(self, inputs, training):
        raise NotImplementedError()


@pytest.mark.parametrize("name", ["model_finalize", "model_backward_paths"])
def test_stub_model_says_not_implemented_in_add(name):
    result = run(name, StubModel)
    assert result.status == ERROR and result.points == 0
    assert result.message == (
        "not implemented yet: replace `raise NotImplementedError()` in add with your code."
    )


def test_stub_input_layer_says_not_implemented_in_forward():
    result = run("input_layer", StubInput)
    assert result.status == ERROR
    assert result.message.endswith("in forward with your code.")


def test_a_model_without_backward_yet_is_reported_at_backward():
    class Model(model_parts.Model):
        def backward(self, output, y):
            raise NotImplementedError()

    assert run("model_finalize", Model).passed
    result = run("model_backward_paths", Model)
    assert result.status == ERROR
    assert result.message.endswith("in backward with your code.")


def test_reference_model_without_links_passes_and_says_so_once():
    result = run("model_finalize", reference.Model, 2)
    assert result.passed, str(result)
    assert result.message.count("prev/next links") == 1
    assert "walk self.layers in order" in result.message


def test_book_model_is_checked_on_its_links():
    result = run("model_finalize", model_parts.Model, 2)
    assert result.passed and "not checked" not in result.message


def test_links_that_exist_must_be_right_even_if_some_are_missing():
    class Model(model_parts.Model):
        def finalize(self):
            super().finalize()
            for layer in self.layers[1:]:
                del layer.prev

    result = run("model_finalize", Model)
    assert result.status == FAIL
    assert "the prev of self.layers[1]" in result.message and "never set" in result.message


def test_a_trainable_list_that_is_no_list_is_described():
    class Model(model_parts.Model):
        def finalize(self):
            super().finalize()
            self.trainable_layers = 3

    result = run("model_finalize", Model)
    assert result.status == FAIL
    assert "not a list of layers" in result.message


@pytest.mark.parametrize(
    ("learner", "mistake"),
    [
        (model_parts.BackwardSoftmaxNotSkipped, "model_softmax_backward_not_skipped"),
        (model_parts.BackwardSoftmaxAppliedTwice, "model_softmax_backward_not_skipped"),
        (model_parts.BackwardForwardOrder, "model_backward_not_reversed"),
    ],
)
@pytest.mark.parametrize("seed", (0, 4))
def test_model_backward_chain_names_the_backward_mistakes_too(learner, mistake, seed):
    result = run("model_backward_chain", learner, seed)
    assert not result.passed and result.points == 0
    assert result.diagnosis == mistake, str(result)


@pytest.mark.parametrize("name", ["model_forward_chain", "model_backward_chain", "model_train"])
def test_the_family_models_pass_the_whole_chain_checks(name):
    # The notebook's Model must pass model.py's checks as well as this family's.
    class Model(model_parts.Model):
        def train(self, X, y, *, epochs=1, print_every=1, validation_data=None):
            self.accuracy.init(y)
            for _ in range(epochs):
                output = self.forward(X, training=True)
                self.loss.calculate(output, y, include_regularization=True)
                self.backward(output, y)
                self.optimizer.pre_update_params()
                for layer in self.trainable_layers:
                    self.optimizer.update_params(layer)
                self.optimizer.post_update_params()

    assert run(name, Model, 3).passed
