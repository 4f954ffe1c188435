"""Every catalogued mistake the pilot notebooks can make, written into their solution cells.

The family modules of this folder have one class per catalogue entry, in the book's style, for the
unit tests of the checks. Here the same mistakes are *dropped into the pilots*: each :class:`DropIn`
is a precise textual edit of one solution cell of ``notebooks/ch09/ch09_backpropagation.ipynb`` or
``notebooks/ch10/ch10_optimizers.ipynb``, the slip as a learner would type it into the pilot's own
code. ``tests/test_grading.py`` hands the mutated notebooks in (several mistakes per notebook, see
``GROUPS``), grades them with the real nbgrader CLI, and checks the points of every
test cell and that the message of each zeroed cell names its mistake.

Each edit's old text must occur exactly once in its cell (``apply`` asserts it), so a rewrite of a
pilot cannot silently turn a mistake into a no-op.

Points: every test cell scores its points except those in ``named`` (0 points; the message names
the mistake: its title and hint) and those in ``cascade`` (0 points because another check runs the
broken method too; their message describes their own failure, not necessarily this mistake).
"""

from __future__ import annotations

from dataclasses import dataclass

#: A method body's indentation in the pilots' solution cells.
BODY = " " * 8


def lines(*rows: str) -> str:
    """Consecutive lines of a method body (the first one's indentation is in the context)."""
    return f"\n{BODY}".join(rows)


@dataclass(frozen=True)
class DropIn:
    mistake: str  # the catalogue id
    chapter: str
    cell: str  # grade_id of the solution cell the learner edits
    edits: tuple[tuple[str, str], ...]  # (old, new), applied in order
    named: tuple[str, ...]
    cascade: tuple[str, ...] = ()

    def apply(self, source: str) -> str:
        for old, new in self.edits:
            found = source.count(old)
            if found != 1:
                raise AssertionError(
                    f"{self.mistake}: {old!r} occurs {found} times in {self.cell}, not once"
                )
            source = source.replace(old, new)
        return source

    def zero(self) -> dict[str, float]:
        return dict.fromkeys((*self.named, *self.cascade), 0.0)


def _ch09(mistake, cell, edits, named, cascade=()):
    return DropIn(mistake, "ch09", f"ch09_{cell}", edits, named, cascade)


def _ch10(mistake, cell, edits):
    # Each ch10 exercise has a class of its own, so nothing cascades.
    return DropIn(mistake, "ch10", f"ch10_{cell}", edits, (f"test_{cell}",))


DENSE_F, DENSE_B = "test_dense_forward", "test_dense_backward"
RELU_F, RELU_B = "test_relu_forward", "test_relu_backward"
SOFTMAX_F, SOFTMAX_B = "test_softmax_forward", "test_softmax_backward"
CCE_F, CCE_B = "test_cce_forward", "test_cce_backward"
COMBINED = "test_softmax_cce_backward"
NEURON = "test_single_neuron_backward"

FORWARD = "inputs @ self.weights + self.biases"
DENSE_GRADIENTS = lines(
    "self.dweights = self.inputs.T @ dvalues",
    "self.dbiases = dvalues.sum(axis=0, keepdims=True)",
    "self.dinputs = dvalues @ self.weights.T",
)
SHIFT = "np.exp(inputs - inputs.max(axis=1, keepdims=True))"
CLIPPED = "confident = np.clip(y_pred, 1e-7, 1 - 1e-7)"
BRANCH = lines(
    "if y_true.ndim == 1:",
    "    picked = confident[np.arange(len(confident)), y_true]",
    "else:",
    "    picked = (confident * y_true).sum(axis=1)",
)
SHORTCUT = "self.dinputs = (dvalues - y_true) / n_samples"
RELU_GATE = "dz = dvalue * (1.0 if self.z > 0 else 0.0)"
NEURON_GRADIENTS = lines(
    "self.dweights = dz * self.inputs",
    "self.dinputs = dz * self.weights",
    "self.dbias = dz",
)
DECAY = "self.current_learning_rate = self.learning_rate / (1.0 + self.decay * self.iterations)"
POST = lines("def post_update_params(self):", "self.iterations += 1")
MOMENTUM_STEP = lines(
    "layer.weight_momentums = self.momentum * layer.weight_momentums - step * layer.dweights",
    "layer.bias_momentums = self.momentum * layer.bias_momentums - step * layer.dbiases",
    "layer.weights += layer.weight_momentums",
    "layer.biases += layer.bias_momentums",
)
CORRECTIONS = lines(
    "m_weights = layer.weight_momentums / (1 - b1**t)",
    "m_biases = layer.bias_momentums / (1 - b1**t)",
    "v_weights = layer.weight_cache / (1 - b2**t)",
    "v_biases = layer.bias_cache / (1 - b2**t)",
)

DROP_INS: list[DropIn] = [
    # -- ch09, Neuron_ReLU (9.1: one neuron worked backwards by hand) ---------------------------
    # The book's loose lines put in a method that hands back (dx, dw, db).
    _ch09("single_neuron_gradients_returned", "neuron_relu", (
        (NEURON_GRADIENTS, "return dz * self.weights, dz * self.inputs, dz"),
    ), (NEURON,)),
    _ch09("single_neuron_dx_dw_swapped", "neuron_relu", (
        ("self.dweights = dz * self.inputs", "self.dweights = dz * self.weights"),
        ("self.dinputs = dz * self.weights", "self.dinputs = dz * self.inputs"),
    ), (NEURON,)),
    # The worked example's upstream gradient is 1, so it passes there.
    _ch09("single_neuron_upstream_ignored", "neuron_relu", (
        (RELU_GATE, "dz = 1.0 if self.z > 0 else 0.0"),
    ), (NEURON,)),
    _ch09("single_neuron_relu_output_as_derivative", "neuron_relu", (
        (RELU_GATE, "dz = dvalue * self.output"),
    ), (NEURON,)),
    _ch09("single_neuron_relu_derivative_missing", "neuron_relu", (
        (RELU_GATE, "dz = dvalue"),
    ), (NEURON,)),
    _ch09("single_neuron_kink_at_zero", "neuron_relu", (
        ("self.z > 0", "self.z >= 0"),
    ), (NEURON,)),
    # Found with the mutation tool: the bias's derivative taken as the sum's 1 alone.
    _ch09("single_neuron_factor_missing", "neuron_relu", (
        ("self.dbias = dz", "self.dbias = 1.0"),
    ), (NEURON,)),
    # The given forward edited: the bias subtracted from the weighted sum.
    _ch09("single_neuron_bias_not_added", "neuron_relu", (
        ("np.dot(self.weights, self.inputs) + self.bias",
         "np.dot(self.weights, self.inputs) - self.bias"),
    ), (NEURON,)),
    # -- ch09, Layer_Dense ----------------------------------------------------------------------
    # A learner used to (n_neurons, n_inputs) weights: the constructor's shape flipped, forward
    # transposes back. The constructor's weights are compared by both dense checks.
    _ch09("dense_weights_transposed", "layer_dense", (
        ("standard_normal((n_inputs, n_neurons))", "standard_normal((n_neurons, n_inputs))"),
        (FORWARD, "inputs @ self.weights.T + self.biases"),
    ), (DENSE_F, DENSE_B)),
    # dense_backward runs forward first, which raises on the non-square case.
    _ch09("dense_forward_transposed_weights", "layer_dense", (
        (FORWARD, "inputs @ self.weights.T + self.biases"),
    ), (DENSE_F,), cascade=(DENSE_B,)),
    _ch09("dense_output_transposed", "layer_dense", (
        (FORWARD, "self.weights.T @ inputs.T + self.biases.T"),
    ), (DENSE_F,)),
    _ch09("dense_forward_missing_biases", "layer_dense", (
        (FORWARD, "inputs @ self.weights"),
    ), (DENSE_F,)),
    _ch09("dense_forward_bias_slip", "layer_dense", (
        (FORWARD, "inputs @ self.weights - self.biases"),
    ), (DENSE_F,)),
    # The given constructor edited: the biases as a flat vector.
    _ch09("dense_parameter_shape", "layer_dense", (
        ("np.zeros((1, n_neurons))", "np.zeros(n_neurons)"),
    ), (DENSE_F, DENSE_B)),
    _ch09("dense_dweights_transposed", "layer_dense", (
        ("self.dweights = self.inputs.T @ dvalues", "self.dweights = dvalues.T @ self.inputs"),
    ), (DENSE_B,)),
    _ch09("dense_dinputs_untransposed_weights", "layer_dense", (
        ("dvalues @ self.weights.T", "dvalues @ self.weights"),
    ), (DENSE_B,)),
    _ch09("dense_dbiases_no_keepdims", "layer_dense", (
        ("dvalues.sum(axis=0, keepdims=True)", "dvalues.sum(axis=0)"),
    ), (DENSE_B,)),
    _ch09("dense_dbiases_wrong_axis", "layer_dense", (
        ("dvalues.sum(axis=0, keepdims=True)", "dvalues.sum(axis=1, keepdims=True)"),
    ), (DENSE_B,)),
    _ch09("dense_backward_averaged", "layer_dense", (
        (DENSE_GRADIENTS, lines(
            "samples = len(dvalues)",
            "self.dweights = self.inputs.T @ dvalues / samples",
            "self.dbiases = dvalues.sum(axis=0, keepdims=True) / samples",
            "self.dinputs = dvalues @ self.weights.T / samples",
        )),
    ), (DENSE_B,)),
    # -- ch09, Activation_ReLU (relu_backward keeps its points after a forward mistake: the
    # pilot's backward masks with self.inputs, which both forward mistakes still set) -----------
    _ch09("relu_forward_min", "activation_relu", (
        ("np.maximum(0, inputs)", "np.minimum(0, inputs)"),
    ), (RELU_F,)),
    _ch09("relu_negatives_kept", "activation_relu", (
        ("np.maximum(0, inputs)", "inputs.copy()"),
    ), (RELU_F,)),
    _ch09("result_returned_not_stored", "activation_relu", (
        ("self.output = np.maximum(0, inputs)", "return np.maximum(0, inputs)"),
    ), (RELU_F,)),
    _ch09("relu_backward_mutates_dvalues", "activation_relu", (
        ("self.dinputs = np.where(self.inputs > 0, dvalues, 0.0)",
         lines("self.dinputs = dvalues", "self.dinputs[self.inputs <= 0] = 0")),
    ), (RELU_B,)),
    # The gradient assigned to a local variable: self.dinputs never set.
    _ch09("result_never_stored", "activation_relu", (
        ("self.dinputs = np.where(self.inputs > 0, dvalues, 0.0)",
         "dinputs = np.where(self.inputs > 0, dvalues, 0.0)"),
    ), (RELU_B,)),
    _ch09("relu_backward_kink_at_zero", "activation_relu", (
        ("np.where(self.inputs > 0,", "np.where(self.inputs >= 0,"),
    ), (RELU_B,)),
    _ch09("relu_backward_wrong_mask", "activation_relu", (
        ("np.where(self.inputs > 0,", "np.where(dvalues > 0,"),
    ), (RELU_B,)),
    # -- ch09, Activation_Softmax (softmax_backward and the combined class run this forward;
    # their inputs have no huge logits, so only a forward that is wrong everywhere cascades) ----
    _ch09("softmax_no_max_subtraction", "activation_softmax", (
        (SHIFT, "np.exp(inputs)"),
    ), (SOFTMAX_F,)),
    _ch09("softmax_wrong_axis", "activation_softmax", (
        ("inputs.max(axis=1, keepdims=True)", "inputs.max(axis=0, keepdims=True)"),
        ("stable.sum(axis=1, keepdims=True)", "stable.sum(axis=0, keepdims=True)"),
    ), (SOFTMAX_F,), cascade=(SOFTMAX_B, COMBINED)),
    # Right in exact arithmetic, NaN on the check's row of logits far below the batch's largest.
    _ch09("softmax_one_max_for_the_batch", "activation_softmax", (
        (SHIFT, "np.exp(inputs - inputs.max())"),
    ), (SOFTMAX_F,)),
    _ch09("softmax_no_keepdims", "activation_softmax", (
        ("stable.sum(axis=1, keepdims=True)", "stable.sum(axis=1)"),
    ), (SOFTMAX_F,), cascade=(SOFTMAX_B, COMBINED)),
    # The book's shift done in place. softmax_backward compares the inputs too and names it;
    # the combined check does not compare its inputs.
    _ch09("input_modified_in_place", "activation_softmax", (
        (lines("self.inputs = inputs", f"stable = {SHIFT}"), lines(
            "inputs -= inputs.max(axis=1, keepdims=True)",
            "self.inputs = inputs",
            "stable = np.exp(inputs)",
        )),
    ), (SOFTMAX_F, SOFTMAX_B)),
    # The division by the row's sum forgotten; the backward is right for that output.
    _ch09("softmax_formula_slip", "activation_softmax", (
        ("self.output = stable / stable.sum(axis=1, keepdims=True)", "self.output = stable"),
    ), (SOFTMAX_F, SOFTMAX_B), cascade=(COMBINED,)),
    _ch09("softmax_backward_diagonal_only", "activation_softmax", (
        ("np.diag(self.output[row]) - column @ column.T",
         "np.diag(self.output[row] * (1 - self.output[row]))"),
    ), (SOFTMAX_B,)),
    # Found with the mutation tool: the outer product added instead of subtracted.
    _ch09("softmax_jacobian_slip", "activation_softmax", (
        ("np.diag(self.output[row]) - column @ column.T",
         "np.diag(self.output[row]) + column @ column.T"),
    ), (SOFTMAX_B,)),
    # -- ch09, Loss.calculate and Loss_CategoricalCrossentropy (the combined class's forward
    # returns self.loss.calculate(...): a wrong loss value cascades; clipping does not, as its
    # logits give no probability of exactly 0 or 1) ---------------------------------------------
    _ch09("log_without_clipping", "losses", (
        (CLIPPED, "confident = y_pred"),
    ), (CCE_F,)),
    _ch09("clip_one_side", "losses", (
        (CLIPPED, "confident = np.clip(y_pred, 1e-7, None)"),
    ), (CCE_F,)),
    # The combined check's message names onehot_labels_not_handled (its one-hot loss is wrong).
    _ch09("cce_onehot_wrong_axis", "losses", (
        ("(confident * y_true).sum(axis=1)", "(confident * y_true).sum(axis=0)"),
    ), (CCE_F,), cascade=(COMBINED,)),
    _ch09("onehot_labels_not_handled", "losses", (
        (BRANCH, "picked = confident[np.arange(len(confident)), y_true]"),
    ), (CCE_F, COMBINED)),
    _ch09("loss_summed_not_averaged", "losses", (
        ("return np.mean(self.forward(output, y))", "return np.sum(self.forward(output, y))"),
    ), (CCE_F,), cascade=(COMBINED,)),
    # The minus sign in front of the log left out: every sample loss is negative.
    _ch09("result_off_by_a_constant_factor", "losses", (
        ("return -np.log(picked)", "return np.log(picked)"),
    ), (CCE_F,), cascade=(COMBINED,)),
    _ch09("gradient_not_averaged", "losses", (
        ("np.clip(dvalues, 1e-7, 1 - 1e-7) / n_samples", "np.clip(dvalues, 1e-7, 1 - 1e-7)"),
    ), (CCE_B,)),
    # The derivative of -log(p) taken as -1: the division by the predictions left out.
    _ch09("cce_formula_slip", "losses", (
        ("-y_true / np.clip(dvalues, 1e-7, 1 - 1e-7) / n_samples", "-y_true / n_samples"),
    ), (CCE_B,)),
    _ch09("gradient_sign_flipped", "losses", (
        ("self.dinputs = -y_true /", "self.dinputs = y_true /"),
    ), (CCE_B,)),
    # -- ch09, Activation_Softmax_Loss_CategoricalCrossentropy --------------------------------
    _ch09("softmax_cce_backward_mutates_dvalues", "softmax_cce", (
        (SHORTCUT, lines("dvalues -= y_true", "self.dinputs = dvalues / n_samples")),
    ), (COMBINED,)),
    _ch09("softmax_cce_missing_subtract", "softmax_cce", (
        (SHORTCUT, "self.dinputs = dvalues / n_samples"),
    ), (COMBINED,)),
    # -- ch10 ---------------------------------------------------------------------------------
    _ch10("optimizer_moves_uphill", "sgd", (
        ("layer.weights -= self.current", "layer.weights += self.current"),
        ("layer.biases -= self.current", "layer.biases += self.current"),
    )),
    _ch10("decay_after_step", "sgd_decay", (
        (DECAY, "pass"),
        (POST, lines(POST, DECAY)),
    )),
    _ch10("iterations_incremented_early", "sgd_decay", (
        (DECAY, lines("self.iterations += 1", DECAY)),
        (POST, lines("def post_update_params(self):", "pass")),
    )),
    # The increment rightly in post_update_params, but the rate computed one step ahead.
    _ch10("decay_iterations_plus_one", "sgd_decay", (
        ("self.learning_rate / (1.0 + self.decay * self.iterations)",
         "self.learning_rate / (1.0 + self.decay * (self.iterations + 1))"),
    )),
    # The pilot's schedule is learning_rate / (1 + decay * t); the parentheses forgotten.
    _ch10("decay_precedence", "sgd_decay", (
        ("self.learning_rate / (1.0 + self.decay * self.iterations)",
         "self.learning_rate / 1.0 + self.decay * self.iterations"),
    )),
    _ch10("momentum_not_stored", "sgd_momentum", (
        (MOMENTUM_STEP, lines(
            "weight_updates = self.momentum * layer.weight_momentums - step * layer.dweights",
            "bias_updates = self.momentum * layer.bias_momentums - step * layer.dbiases",
            "layer.weights += weight_updates",
            "layer.biases += bias_updates",
        )),
    )),
    # "momentum plus the gradient step, all subtracted": the previous update changes sign.
    _ch10("momentum_sign", "sgd_momentum", (
        ("self.momentum * layer.weight_momentums - step * layer.dweights",
         "-(self.momentum * layer.weight_momentums + step * layer.dweights)"),
        ("self.momentum * layer.bias_momentums - step * layer.dbiases",
         "-(self.momentum * layer.bias_momentums + step * layer.dbiases)"),
    )),
    _ch10("adagrad_cache_replaced", "adagrad", (
        ("layer.weight_cache += layer.dweights**2", "layer.weight_cache = layer.dweights**2"),
        ("layer.bias_cache += layer.dbiases**2", "layer.bias_cache = layer.dbiases**2"),
    )),
    # Counted at the end of update_params as well as in post_update_params.
    _ch10("iterations_counted_per_layer", "adagrad", (
        ("(np.sqrt(layer.bias_cache) + self.epsilon)",
         lines("(np.sqrt(layer.bias_cache) + self.epsilon)", "self.iterations += 1")),
    )),
    _ch10("rmsprop_rho_swapped", "rmsprop", (
        ("keep * layer.weight_cache + (1 - keep) * layer.dweights**2",
         "(1 - keep) * layer.weight_cache + keep * layer.dweights**2"),
        ("keep * layer.bias_cache + (1 - keep) * layer.dbiases**2",
         "(1 - keep) * layer.bias_cache + keep * layer.dbiases**2"),
    )),
    _ch10("decay_compounding", "rmsprop", (
        ("self.current_learning_rate = self.learning_rate /",
         "self.current_learning_rate = self.current_learning_rate /"),
    )),
    # One cache on the optimizer for every layer (the two layers' shapes differ: it raises).
    _ch10("optimizer_state_not_on_layer", "rmsprop", (
        ('hasattr(layer, "weight_cache")', 'hasattr(self, "weight_cache")'),
        ("layer.weight_cache = np.zeros_like", "self.weight_cache = np.zeros_like"),
        ("layer.bias_cache = np.zeros_like", "self.bias_cache = np.zeros_like"),
        ("layer.weight_cache = keep * layer.weight_cache",
         "self.weight_cache = keep * self.weight_cache"),
        ("layer.bias_cache = keep * layer.bias_cache", "self.bias_cache = keep * self.bias_cache"),
        ("np.sqrt(layer.weight_cache)", "np.sqrt(self.weight_cache)"),
        ("np.sqrt(layer.bias_cache)", "np.sqrt(self.bias_cache)"),
    )),
    _ch10("epsilon_inside_sqrt", "adam", (
        ("(np.sqrt(v_weights) + self.epsilon)", "np.sqrt(v_weights + self.epsilon)"),
        ("(np.sqrt(v_biases) + self.epsilon)", "np.sqrt(v_biases + self.epsilon)"),
    )),
    _ch10("adam_bias_correction_off_by_one", "adam", (
        ("t = self.iterations + 1", "t = self.iterations"),
    )),
    # Found with the mutation tool (autograder/mutation): slips located by replaying the
    # learner's own rates and state. The schedule without self.decay:
    _ch10("optimizer_schedule_wrong", "sgd_momentum", (
        ("self.learning_rate / (1.0 + self.decay * self.iterations)",
         "self.learning_rate / (1.0 + self.iterations)"),
    )),
    _ch10("epsilon_missing", "adagrad", (
        ("(np.sqrt(layer.weight_cache) + self.epsilon)", "np.sqrt(layer.weight_cache)"),
        ("(np.sqrt(layer.bias_cache) + self.epsilon)", "np.sqrt(layer.bias_cache)"),
    )),
    # The cache grows by the gradient's size, not its square.
    _ch10("optimizer_state_update_wrong", "adagrad", (
        ("layer.weight_cache += layer.dweights**2", "layer.weight_cache += np.abs(layer.dweights)"),
    )),
    # The learning rate forgotten in one line.
    _ch10("optimizer_step_wrong", "sgd", (
        ("layer.weights -= self.current_learning_rate * layer.dweights",
         "layer.weights -= layer.dweights"),
    )),
    _ch10("adam_no_bias_correction", "adam", (
        (CORRECTIONS, lines(
            "m_weights = layer.weight_momentums",
            "m_biases = layer.bias_momentums",
            "v_weights = layer.weight_cache",
            "v_biases = layer.bias_cache",
        )),
    )),
]  # fmt: skip

BY_ID = {entry.mistake: entry for entry in DROP_INS}

#: The drop-ins graded together, one submission per group (one per mistake would take the
#: end-to-end test past its time budget). In a group no two mistakes zero the same test cell,
#: so each zeroed cell fails for one mistake only; the minimum is set by the busiest cell
#: (eight mistakes zero test_dense_backward and eight test_single_neuron_backward, three Adam's).
GROUPS: dict[str, list[tuple[str, ...]]] = {
    "ch09": [
        ("dense_weights_transposed", "relu_forward_min", "relu_backward_mutates_dvalues",
         "softmax_no_max_subtraction", "softmax_backward_diagonal_only", "log_without_clipping",
         "gradient_not_averaged", "softmax_cce_backward_mutates_dvalues",
         "single_neuron_gradients_returned"),
        ("dense_forward_transposed_weights", "result_returned_not_stored",
         "relu_backward_kink_at_zero", "softmax_wrong_axis", "clip_one_side",
         "gradient_sign_flipped", "single_neuron_dx_dw_swapped"),
        ("dense_output_transposed", "dense_dweights_transposed", "relu_backward_wrong_mask",
         "softmax_no_keepdims", "single_neuron_upstream_ignored", "cce_formula_slip",
         "relu_negatives_kept"),
        ("dense_forward_missing_biases", "dense_dinputs_untransposed_weights",
         "input_modified_in_place", "cce_onehot_wrong_axis",
         "single_neuron_relu_output_as_derivative", "result_never_stored"),
        ("dense_dbiases_no_keepdims", "onehot_labels_not_handled",
         "single_neuron_relu_derivative_missing", "softmax_jacobian_slip",
         "dense_forward_bias_slip"),
        ("dense_dbiases_wrong_axis", "loss_summed_not_averaged", "single_neuron_kink_at_zero",
         "softmax_one_max_for_the_batch"),
        ("dense_backward_averaged", "softmax_cce_missing_subtract",
         "single_neuron_factor_missing"),
        ("single_neuron_bias_not_added", "result_off_by_a_constant_factor",
         "dense_parameter_shape"),
        ("softmax_formula_slip",),
    ],
    "ch10": [
        ("optimizer_moves_uphill", "decay_after_step", "momentum_not_stored",
         "adagrad_cache_replaced", "rmsprop_rho_swapped", "epsilon_inside_sqrt"),
        ("iterations_incremented_early", "momentum_sign", "iterations_counted_per_layer",
         "decay_compounding", "adam_bias_correction_off_by_one", "optimizer_step_wrong"),
        ("decay_precedence", "optimizer_state_not_on_layer", "adam_no_bias_correction",
         "optimizer_schedule_wrong", "optimizer_state_update_wrong"),
        ("decay_iterations_plus_one", "epsilon_missing"),
    ],
}  # fmt: skip


#: Catalogue entries of later chapters that the pilots cannot make, and where they belong: none
#: of their checks is graded in ch09 or ch10. The entries of checks graded only before chapter 9
#: (a neuron's output, dense_init, the step activation...) do not apply either. Which entries
#: apply is decided by their checks: the test asserts that every entry with a check the pilots
#: grade is in DROP_INS, and that none of these has one.
NOT_IN_PILOTS: dict[str, str] = {
    **dict.fromkeys(
        ["loss_mean_wrong_axis", "gradient_not_divided_by_outputs"],
        "losses with several outputs per sample (binary cross-entropy, ch16; MSE and MAE, ch17)",
    ),
    **dict.fromkeys(
        ["sigmoid_forward_wrong_sign", "sigmoid_derivative_uses_input"],
        "the sigmoid (ch16; its forward also in ch04)",
    ),
    **dict.fromkeys(["mse_missing_factor_2", "mae_sign_backwards"], "the regression losses (ch17)"),
    **dict.fromkeys(
        [
            "l1_derivative_zero_at_zero",
            "l2_missing_factor_2",
            "regularization_added_to_dinputs",
            "regularization_missing_for_biases",
            "regularization_missing_for_weights",
            "penalty_l1_without_abs",
            "penalty_l2_not_squared",
            "penalty_missing_biases",
        ],
        "L1 and L2 regularization (ch14)",
    ),
    **dict.fromkeys(
        [
            "dropout_rate_as_keep",
            "dropout_not_rescaled",
            "dropout_backward_without_mask",
            "dropout_active_at_inference",
        ],
        "dropout (ch15)",
    ),
    "regression_precision_not_scaled": "Accuracy_Regression (ch17)",
    "regression_precision_reinit_ignored": "Accuracy_Regression (ch17)",
    "accuracy_binary_flag_ignored": "Accuracy_Categorical (ch18)",
    "model_training_flag_not_passed": "the Model object (ch18)",
}
