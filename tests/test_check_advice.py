"""Advice that names the code that is wrong, never code that was right, and the
correct-but-fragile forms named for what they are.

Each learner here comes from the family modules of ``tests/mistakes``. Where two ways of
writing a mistake give the same numbers (a decay computed from ``iterations + 1`` and an
increment moved before the step), the probe records what tells them apart, and the advice
must follow it. Where a mistake sits in one parameter only (the biases' L1 derivative), the
fix must be written for that parameter.
"""

from __future__ import annotations

import pytest
from mistakes import (
    accuracy,
    activations,
    dense,
    dropout,
    evaluation,
    losses,
    minibatch,
    model_parts,
    optimizers,
    scaling,
    single_neuron,
    splits,
)

from autograder import result_view
from autograder.checks import REGISTRY
from autograder.checks.shared import CATALOGUE

SEEDS = (0, 3)


def run(learner, seed, check=None):
    return REGISTRY[check or learner.check].run(learner, seed)


def visible(result) -> str:
    """What the learner sees without unfolding the hint."""
    return result_view.view(result).diagnosis


@pytest.mark.ch14
@pytest.mark.parametrize("seed", SEEDS)
def test_an_l1_mistake_in_the_biases_alone_names_the_biases_only(seed):
    result = run(dense.DenseL1SignZeroOnBiases, seed)
    assert result.diagnosis == "l1_derivative_zero_at_zero"
    assert "you compute dbiases with np.sign(self.biases)" in visible(result)
    assert "weights" not in result.message


@pytest.mark.ch14
def test_an_l1_mistake_in_both_parameters_names_each():
    shown = visible(run(dense.DenseL1SignZero, 0))
    assert "dweights with np.sign(self.weights) and dbiases with np.sign(self.biases)" in shown


@pytest.mark.ch14
def test_an_l2_mistake_in_the_biases_alone_names_the_bias_strength_only():
    result = run(dense.DenseL2NoFactor2OnBiases, 0)
    assert "your dbiases add bias_regularizer_l2 * self.biases" in visible(result)
    assert "weight" not in visible(result)


@pytest.mark.ch09
def test_the_visible_advice_never_spells_the_dense_backward_answer():
    result = run(dense.DenseBackwardAveraged, 0)
    assert "a division by the number of samples" in visible(result)
    assert "inputs.T" not in visible(result) and "keepdims" not in visible(result)


@pytest.mark.ch10
@pytest.mark.parametrize("learner", [optimizers.SGDDecayPlusOne, optimizers.AdamDecayPlusOne])
@pytest.mark.parametrize("seed", SEEDS)
def test_a_decay_from_iterations_plus_one_is_not_told_to_move_the_increment(learner, seed):
    result = run(learner, seed)
    assert result.diagnosis == "decay_iterations_plus_one"
    assert "still 0 during the first step" in result.message
    assert "Keep the increment in post_update_params; drop the + 1." in result.message
    assert CATALOGUE["iterations_incremented_early"].hint not in result.message


@pytest.mark.ch10
def test_an_increment_before_the_step_is_still_told_to_move_it():
    result = run(optimizers.SGDIterationsEarly, 0)
    assert result.diagnosis == "iterations_incremented_early"
    assert "already 1 during the first step" in result.message


@pytest.mark.ch10
def test_state_on_the_layer_under_other_names_is_not_called_state_on_the_optimizer():
    result = run(optimizers.RMSpropOwnStateNamesNoLearningRate, 0, check="rmsprop")
    assert not result.passed
    assert result.diagnosis != "optimizer_state_not_on_layer", result.message


@pytest.mark.ch10
def test_state_kept_on_the_optimizer_is_named_with_the_evidence():
    result = run(optimizers.RMSpropStateOnOptimizer, 0)
    assert result.diagnosis == "optimizer_state_not_on_layer"
    assert "your first layer's first update is right" in result.message


@pytest.mark.ch18
def test_a_wrong_binary_comparison_is_not_called_an_ignored_binary_flag():
    result = run(accuracy.AccuracyBinaryInverted, 0, check="accuracy_categorical")
    assert not result.passed
    assert result.diagnosis != "accuracy_binary_flag_ignored", result.message


@pytest.mark.ch09
@pytest.mark.parametrize("seed", SEEDS)
def test_a_softmax_with_one_maximum_for_the_batch_is_named_as_fragile(seed):
    result = run(activations.SoftmaxOneMaxForTheBatch, seed)
    assert result.diagnosis == "softmax_one_max_for_the_batch"
    assert "numerically fragile" in result.message
    assert "np.max(inputs, axis=1, keepdims=True)" in result.message
    assert "0 / 0 = NaN" in result.message
    assert "self.output contains NaN" not in result.message


@pytest.mark.ch16
@pytest.mark.parametrize("seed", SEEDS)
def test_a_bce_backward_without_clipping_is_named_as_fragile(seed):
    result = run(losses.BCEBackwardNotClipped, seed)
    assert result.diagnosis == "bce_backward_not_clipped"
    assert "np.clip(dvalues, 1e-7, 1 - 1e-7)" in result.message
    assert "every other value is right" in result.message


@pytest.mark.ch10
@pytest.mark.parametrize("learner", [optimizers.AdamNoEpsilon, optimizers.RMSpropNoEpsilon])
def test_an_adaptive_optimizer_without_epsilon_is_named(learner):
    result = run(learner, 0)
    assert result.diagnosis == "epsilon_missing"
    assert "0 / 0 is NaN" in result.message


@pytest.mark.ch12
def test_a_validation_side_holding_every_sample_is_a_size_mistake_not_a_shuffling_one():
    result = run(splits.HoldOutEverythingForValidation, 0)
    assert result.diagnosis == "holdout_validation_size"
    assert "validation got 40 of the 40 samples" in result.message
    assert "not shuffled" not in result.message


@pytest.mark.ch15
def test_a_dropout_that_drops_nothing_is_not_told_to_divide_by_the_keep_rate():
    result = run(dropout.DropoutMaskNotApplied, 0)
    assert result.diagnosis == "dropout_nothing_dropped"
    assert "returned the inputs unchanged" in result.message
    assert CATALOGUE["dropout_not_rescaled"].hint not in result.message


@pytest.mark.ch09
@pytest.mark.parametrize("seed", SEEDS)
def test_a_wrong_forward_is_not_blamed_on_the_backwards_relu_derivative(seed):
    result = run(single_neuron.NeuronBiasSubtracted, seed, check="single_neuron_backward")
    assert not result.passed
    assert result.diagnosis == "single_neuron_bias_not_added", result.message
    assert "the bias is subtracted" in result.message


@pytest.mark.ch18
def test_a_gradient_never_stored_is_not_called_a_backward_in_forward_order():
    result = run(model_parts.ModelShortcutGradientNotStored, 0, check="model_backward_paths")
    assert not result.passed
    assert "no attribute 'dinputs'" in result.message
    assert result.diagnosis == "model_shortcut_gradient_not_stored", result.message
    assert "self.layers[-1].dinputs = self.softmax_classifier_output.dinputs" in result.message


@pytest.mark.ch18
def test_a_backward_in_forward_order_is_still_named():
    assert run(model_parts.BackwardForwardOrder, 0).diagnosis == "model_backward_not_reversed"


@pytest.mark.ch13
@pytest.mark.parametrize("seed", SEEDS)
def test_a_wrong_stretch_is_not_called_a_refit_in_transform(seed):
    result = run(scaling.ScalerStretchedBySum, seed)
    assert result.diagnosis == "scaler_stretch_by_sum", result.message
    assert "refit" not in result.message


@pytest.mark.ch19
@pytest.mark.parametrize("seed", SEEDS)
def test_a_count_replaced_is_not_called_a_count_of_batches(seed):
    # With seed 0 the first epoch has 3 batches and a last batch of 3 samples: dividing by
    # the number of batches and by the last batch's size give the same number there.
    result = run(minibatch.CountReplaced, seed)
    assert result.diagnosis == "accumulated_replaced_not_added"
    assert "your accumulated_count keeps only the last batch's value" in result.message


@pytest.mark.ch20
def test_a_miscounted_step_is_not_called_last_batch_only():
    # The first batch's accuracy can equal the last one's by chance; the loss decides.
    result = run(evaluation.Model_PartialBatchLeftOut, 0)
    assert result.diagnosis == "evaluate_batches_left_out"
    assert "first 2 of 3 batches" in result.message


@pytest.mark.ch09
def test_a_gradient_never_stored_is_not_blamed_on_the_inputs_the_layer_rightly_keeps():
    """self.inputs is the book's, not a misspelt self.dinputs: the advice lists it, never
    tells the learner to rename it."""
    shown = visible(run(activations.ReLUBackwardLocalVariable, 0))
    assert "no line assigned self.dinputs" in shown
    assert "but has self.inputs" not in shown


@pytest.mark.ch09
def test_a_misspelt_attribute_is_named_with_the_name_the_next_layer_reads():
    shown = visible(run(dense.DenseOutputMisspelt, 0))
    assert "no self.output but has self.outputs" in shown


@pytest.mark.ch09
def test_a_backward_right_for_its_own_wrong_softmax_sends_the_learner_to_forward():
    """The Jacobian is the book's, applied to a wrong self.output: the advice is about forward."""
    result = run(activations.SoftmaxBackwardOfABatchNormalisedForward, 0)
    assert result.diagnosis == "softmax_formula_slip"
    assert "your backward is right for the self.output your forward stored" in visible(result)
