"""The single-neuron check of chapter 9 (``autograder/checks/single_neuron.py``), beyond what
test_check_families.py asks of every family: the book's worked example, the three cases on
every seed, stubs, results returned instead of stored, and float32 under ``nnfs.init()``.

The learner-side classes live in ``tests/mistakes/single_neuron.py``.
"""

from __future__ import annotations

import numpy as np
import pytest
from mistakes import single_neuron as learners

from autograder.checks import REGISTRY
from autograder.checks.base import ERROR, FAIL
from autograder.checks.single_neuron import build_single_neuron, reference_single_neuron

pytestmark = pytest.mark.ch09
CHECK = REGISTRY["single_neuron_backward"]


def test_the_books_worked_example():
    """x = [1, -2, 3], w = [-3, -1, 2], b = 1, upstream gradient 1: z = 6 and the gradients
    are the inputs (for the weights), the weights (for the inputs) and 1 (for the bias)."""
    x, w, b = np.array([1.0, -2.0, 3.0]), np.array([-3.0, -1.0, 2.0]), 1.0
    result = reference_single_neuron(x, w, b, 1.0)
    assert float(result["output"]) == 6.0
    np.testing.assert_array_equal(result["dweights"], x)
    np.testing.assert_array_equal(result["dinputs"], w)
    assert float(result["dbias"]) == 1.0
    # One small step against the gradient lowers the output, 6.0 -> 5.985.
    stepped = reference_single_neuron(x, w - 0.001 * x, b - 0.001, 1.0)
    assert float(stepped["output"]) == pytest.approx(5.985, abs=1e-12)


@pytest.mark.parametrize("seed", range(12))
def test_every_seed_has_the_three_cases(seed):
    spec = build_single_neuron(seed)
    assert spec["active"]["z"] >= 0.5 - 1e-9
    assert spec["inactive"]["z"] <= -0.5 + 1e-9
    kink = spec["kink"]
    assert kink["X"] @ kink["W"] + kink["b"] == 0.0  # exactly
    assert np.all(kink["X"] != 0) and np.all(kink["W"] != 0)
    for name in ("active", "inactive", "kink"):
        assert abs(abs(spec[name]["dvalue"]) - 1.0) >= 0.5  # code ignoring dvalue shows
    assert not np.allclose(spec["active"]["X"], spec["active"]["W"])  # a swap shows


def test_hidden_seeds_vary_the_number_of_inputs():
    assert len({build_single_neuron(seed)["active"]["X"].shape for seed in range(20)}) > 1


@pytest.mark.parametrize("seed", (0, 5, 91_046))
def test_expected_values_follow_the_chain_rule_written_out(seed):
    """The reference (a one-neuron dense layer and ReLU) agrees with the closed form."""
    spec = build_single_neuron(seed)
    expected = CHECK.expect(spec)
    for name in ("active", "inactive", "kink"):
        case = spec[name]
        dz = case["dvalue"] * (1.0 if case["z"] > 0 else 0.0)
        np.testing.assert_allclose(expected[f"{name}.output"], max(case["z"], 0.0), atol=1e-12)
        np.testing.assert_allclose(expected[f"{name}.dweights"], dz * case["X"], atol=1e-12)
        np.testing.assert_allclose(expected[f"{name}.dinputs"], dz * case["W"], atol=1e-12)
        np.testing.assert_allclose(expected[f"{name}.dbias"], dz, atol=1e-12)


class Stub(learners.Neuron_ReLU_NumPy):
    def backward(self, dvalue):
        raise NotImplementedError()


def test_stub_says_not_implemented_yet():
    result = CHECK.run(Stub, 0)
    assert result.status == ERROR and result.points == 0
    assert result.message.startswith("not implemented yet")
    assert "backward" in result.message


class WrongBias(learners.Neuron_ReLU_NumPy):
    def backward(self, dvalue):
        super().backward(dvalue)
        self.dbias = dvalue  # ReLU's derivative left out for the bias alone


def test_an_uncatalogued_slip_names_the_attribute_and_case():
    result = CHECK.run(WrongBias, 0)
    assert result.status == FAIL and result.diagnosis is None
    assert "self.dbias (z < 0 case)" in result.message


class Loud(learners.Neuron_ReLU_NumPy):
    def backward(self, dvalue):
        raise ValueError("shapes do not align")


def test_an_error_in_backward_is_reported_with_its_line():
    result = CHECK.run(Loud, 0)
    assert result.status == ERROR
    assert "ValueError: shapes do not align" in result.message
    assert "backward" in result.message


def test_book_style_code_under_nnfs_init_passes(nnfs_initialised):
    for learner in (learners.Neuron_ReLU, learners.Neuron_ReLU_NumPy):
        result = CHECK.run(learner, 3)
        assert result.passed, str(result)


def test_python_lists_and_floats_as_results_pass():
    """The book-style class keeps lists and Python floats; they are read as arrays."""
    assert CHECK.run(learners.Neuron_ReLU, 11).passed
