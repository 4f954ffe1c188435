"""``dense_parameters`` and ``model_parameters`` (``autograder/checks/parameters.py``) beyond
what test_check_families.py asks of every family: the released stubs, methods never written,
odd return values, and the calls that must be refused.

The learner-side classes live in ``tests/mistakes/parameters.py``.
"""

from __future__ import annotations

import numpy as np
import pytest
from mistakes import parameters

from autograder.checks import REGISTRY
from autograder.checks.base import ERROR, FAIL

pytestmark = pytest.mark.ch21


def run(name, learner, seed=0):
    return REGISTRY[name].run(learner, seed)


@pytest.mark.parametrize(
    ("name", "learner"),
    [
        ("dense_parameters", parameters.Layer_Dense_Stub),
        ("model_parameters", parameters.Model_Stub),
    ],
)
def test_the_released_stubs_are_reported_as_not_implemented(name, learner):
    result = run(name, learner)
    assert result.status == ERROR
    assert result.message.startswith("not implemented yet")
    assert "get_parameters" in result.message


def test_a_stub_left_in_set_parameters_alone_is_reported_there():
    class Layer_Dense(parameters.Layer_Dense):
        def set_parameters(self, weights, biases):
            raise NotImplementedError()

    result = run("dense_parameters", Layer_Dense)
    assert result.message.startswith("not implemented yet") and "set_parameters" in result.message


@pytest.mark.parametrize(
    ("name", "base"),
    [
        ("dense_parameters", parameters.book.Layer_Dense),
        ("model_parameters", parameters.book.Model),
    ],
)
def test_subclasses_that_inherit_the_reference_methods_earn_nothing(name, base):
    inherited = type("Inherited", (base,), {})
    result = run(name, inherited)
    assert result.status == ERROR and result.points == 0
    assert "does not define get_parameters itself" in result.message


def test_get_parameters_returning_nothing_is_explained():
    class Layer_Dense(parameters.Layer_Dense):
        def get_parameters(self):
            self.saved = (self.weights.copy(), self.biases.copy())

    result = run("dense_parameters", Layer_Dense)
    assert result.status == FAIL and "is None" in result.message


def test_a_model_returning_a_dict_is_told_a_list_was_expected():
    class Model(parameters.Model):
        def get_parameters(self):
            return {i: layer.get_parameters() for i, layer in enumerate(self.trainable_layers)}

    result = run("model_parameters", Model)
    assert result.status == FAIL
    assert "instead of a list of pairs" in result.message


def test_biases_and_weights_swapped_in_the_pair_fail_and_are_named_as_swapped():
    class Layer_Dense(parameters.Layer_Dense):
        def get_parameters(self):
            return self.biases.copy(), self.weights.copy()

    result = run("dense_parameters", Layer_Dense)
    assert result.status == FAIL and result.diagnosis == "parameters_pair_swapped"
    assert "the first array returned holds the biases" in result.message


def test_a_refused_call_must_leave_the_layer_as_it_was():
    class Layer_Dense(parameters.Layer_Dense):
        def set_parameters(self, weights, biases):
            self.weights, self.biases = np.array(weights), np.array(biases)
            if self.weights.shape[0] != self.n_inputs or self.biases.shape[1] != self.n_neurons:
                raise ValueError("wrong shape")

    result = run("dense_parameters", Layer_Dense)
    assert result.status == FAIL
    assert "self.weights has shape" in result.message


def test_the_book_layer_code_fails_on_sharing():
    class Layer_Dense(parameters.book.Layer_Dense):
        # The book's chapter 21 methods, as printed.
        def get_parameters(self):
            return self.weights, self.biases

        def set_parameters(self, weights, biases):
            self.weights = weights
            self.biases = biases

    result = run("dense_parameters", Layer_Dense)
    assert result.diagnosis == "parameters_get_shares_arrays"
