"""The autograder's checks of chapters 9 to 18: the reference passes, errors and stubs are
reported precisely, probes survive JSON, and the judge never runs learner code; and, for every
family, that every registered check and every catalogue entry is covered.

Learner-side implementations live in ``tests/mistakes``: ``book.py`` (correct: the chapter
notebooks' own solutions, read from the notebooks) and one family module per
``autograder/checks`` family (``mistakes/dense.py``, ``mistakes/losses.py``...) with the correct
classes (``CHECKS``) and one wrong class per catalogued mistake (``WRONG``).
``tests/test_check_families.py`` runs those on every family: the notebook's solutions pass, every
wrong class fails and is named. Here ``CHECKS`` adds the reference class of each older check.
"""

from __future__ import annotations

import inspect
import json

import numpy as np
import pytest
from mistakes import activations, book, families

import nnfs_core.book as reference
from autograder.checks import REGISTRY
from autograder.checks.base import ERROR, FAIL, PASS, Probe
from autograder.checks.shared import CATALOGUE

#: check name → (chapter marker, reference class, the notebook's solution class)
CHECKS: dict[str, tuple[str, type, type]] = {
    "dense_forward": ("ch09", reference.Layer_Dense, book.Layer_Dense),
    "dense_backward": ("ch09", reference.Layer_Dense, book.Layer_Dense),
    "relu_forward": ("ch09", reference.Activation_ReLU, book.Activation_ReLU),
    "relu_backward": ("ch09", reference.Activation_ReLU, book.Activation_ReLU),
    "softmax_forward": ("ch09", reference.Activation_Softmax, book.Activation_Softmax),
    "softmax_backward": ("ch09", reference.Activation_Softmax, book.Activation_Softmax),
    "cce_forward": (
        "ch09",
        reference.Loss_CategoricalCrossentropy,
        book.Loss_CategoricalCrossentropy,
    ),
    "cce_backward": (
        "ch09",
        reference.Loss_CategoricalCrossentropy,
        book.Loss_CategoricalCrossentropy,
    ),
    "softmax_cce_backward": (
        "ch09",
        reference.Activation_Softmax_Loss_CategoricalCrossentropy,
        book.Activation_Softmax_Loss_CategoricalCrossentropy,
    ),
    "sgd": ("ch10", reference.Optimizer_SGD, book.Optimizer_SGD),
    "sgd_decay": ("ch10", reference.Optimizer_SGD, book.Optimizer_SGD),
    "sgd_momentum": ("ch10", reference.Optimizer_SGD, book.Optimizer_SGD),
    "adagrad": ("ch10", reference.Optimizer_Adagrad, book.Optimizer_Adagrad),
    "rmsprop": ("ch10", reference.Optimizer_RMSprop, book.Optimizer_RMSprop),
    "adam": ("ch10", reference.Optimizer_Adam, book.Optimizer_Adam),
    "dense_regularization": ("ch14", reference.Layer_Dense, book.Layer_Dense),
    "regularization_loss": (
        "ch14",
        reference.Loss_CategoricalCrossentropy,
        book.Loss_CategoricalCrossentropy,
    ),
    "dropout": ("ch15", reference.Layer_Dropout, book.Layer_Dropout),
    "sigmoid_forward": ("ch16", reference.Activation_Sigmoid, book.Activation_Sigmoid),
    "sigmoid_backward": ("ch16", reference.Activation_Sigmoid, book.Activation_Sigmoid),
    "bce_forward": ("ch16", reference.Loss_BinaryCrossentropy, book.Loss_BinaryCrossentropy),
    "bce_backward": ("ch16", reference.Loss_BinaryCrossentropy, book.Loss_BinaryCrossentropy),
    "linear_activation": ("ch17", reference.Activation_Linear, book.Activation_Linear),
    "mse_forward": ("ch17", reference.Loss_MeanSquaredError, book.Loss_MeanSquaredError),
    "mse_backward": ("ch17", reference.Loss_MeanSquaredError, book.Loss_MeanSquaredError),
    "mae_forward": ("ch17", reference.Loss_MeanAbsoluteError, book.Loss_MeanAbsoluteError),
    "mae_backward": ("ch17", reference.Loss_MeanAbsoluteError, book.Loss_MeanAbsoluteError),
    "accuracy_regression": ("ch17", reference.Accuracy_Regression, book.Accuracy_Regression),
    "accuracy_categorical": ("ch18", reference.Accuracy_Categorical, book.Accuracy_Categorical),
    "model_forward_chain": ("ch18", reference.Model, book.Model),
    "model_backward_chain": ("ch18", reference.Model, book.Model),
    "model_train": ("ch18", reference.Model, book.Model),
}

#: Every check's chapter, for the markers of tests parametrized over catalogue entries.
CHAPTER = {name: chapter for name, (chapter, _, _) in CHECKS.items()}
SEEDS = (0, 1, 7)


def _params(pairs, marker_of):
    return [pytest.param(*pair, marks=getattr(pytest.mark, marker_of(pair))) for pair in pairs]


def _by_check(names=None):
    names = CHECKS if names is None else names
    return _params([(name,) for name in names], lambda pair: CHAPTER[pair[0]])


def run(name, learner, seed=0):
    return REGISTRY[name].run(learner, seed)


# -- the registry ----------------------------------------------------------------------------


FAMILIES = families()
FAMILY_WRONG = [triple for family in FAMILIES for triple in family.WRONG]


def test_every_registered_check_is_tested_here_or_by_its_family():
    in_families = [name for family in FAMILIES for name in family.CHECKS]
    assert len(in_families) == len(set(in_families)), "a check listed by two families"
    assert set(REGISTRY) == set(CHECKS) | set(in_families)


# -- correct code passes ---------------------------------------------------------------------


@pytest.mark.parametrize("name", _by_check())
@pytest.mark.parametrize("seed", SEEDS)
def test_reference_passes(name, seed):
    result = run(name, CHECKS[name][1], seed)
    assert result.status == PASS, str(result)
    assert result.points == result.max_points


@pytest.mark.ch10
def test_chapter10_first_sgd_without_decay_or_protocol_passes_plain_sgd():
    assert run("sgd", book.Optimizer_SGD_ch10_first).passed
    result = run("sgd_decay", book.Optimizer_SGD_ch10_first)
    assert result.status == ERROR and "decay" in result.message


@pytest.mark.ch10
@pytest.mark.parametrize("name", ["sgd", "sgd_decay", "sgd_momentum", "adagrad", "rmsprop", "adam"])
@pytest.mark.parametrize("seed", SEEDS)
def test_optimizer_replay_without_a_mistake_is_the_reference(name, seed):
    from autograder.checks.optimizers import simulate
    from autograder.checks.tolerances import FLOAT64

    check = REGISTRY[name]
    spec = check.build(seed)
    replay, expected = simulate(spec), check.expect(spec)
    assert set(expected) <= set(replay)
    for key, value in expected.items():
        assert FLOAT64.allclose(np.asarray(replay[key]), np.asarray(value)), key


@pytest.mark.ch10
def test_optimizer_is_built_by_keyword_with_non_default_hyperparameters():
    seen = {}

    class Optimizer_Adam(book.Optimizer_Adam):
        def __init__(self, **kwargs):
            seen.update(kwargs)
            super().__init__(**kwargs)

    assert run("adam", Optimizer_Adam, 4).passed
    defaults = {
        "learning_rate": 0.001,
        "decay": 0.0,
        "epsilon": 1e-7,
        "beta_1": 0.9,
        "beta_2": 0.999,
    }
    assert set(seen) == set(defaults)
    assert all(seen[name] != value for name, value in defaults.items())


@pytest.mark.ch09
def test_chapter9_layer_without_training_flag_passes():
    for name in ("dense_forward", "dense_backward"):
        assert run(name, book.Layer_Dense_ch09).passed


# -- every catalogued mistake is caught and named ---------------------------------------------


def test_every_catalogue_entry_has_a_wrong_implementation():
    covered = {mistake for mistake, _, _ in FAMILY_WRONG}
    assert set(CATALOGUE) - covered == set(), "catalogue entries without a wrong implementation"
    assert covered - set(CATALOGUE) == set(), "wrong implementations naming unknown mistakes"


def test_catalogue_entries_name_known_checks():
    for entry in CATALOGUE.values():
        assert entry.title and entry.hint and entry.checks
        assert set(entry.checks) <= set(REGISTRY), entry.id
    for _, name, _ in FAMILY_WRONG:
        assert name in REGISTRY


# -- errors and stubs ------------------------------------------------------------------------


class Stub:
    """What a released notebook contains before the learner writes anything."""

    def __init__(self, *args, **kwargs):
        pass

    def forward(self, *args, **kwargs):
        raise NotImplementedError()

    def backward(self, *args, **kwargs):
        raise NotImplementedError()

    def calculate(self, *args, **kwargs):
        raise NotImplementedError()

    def pre_update_params(self):
        raise NotImplementedError()

    def update_params(self, layer):
        raise NotImplementedError()

    def post_update_params(self):
        raise NotImplementedError()

    def regularization_loss(self, layer):
        raise NotImplementedError()

    def init(self, y, reinit=False):
        raise NotImplementedError()

    def add(self, layer):
        raise NotImplementedError()


@pytest.mark.parametrize("name", _by_check())
def test_stub_says_not_implemented_yet(name):
    result = run(name, Stub)
    assert result.status == ERROR
    assert result.points == 0
    assert result.message.startswith("not implemented yet: replace `raise NotImplementedError()`")
    first_method = "pre_update_params" if CHAPTER[name] == "ch10" else "forward"
    if name in ("cce_backward", "bce_backward", "mse_backward", "mae_backward"):
        first_method = "backward"  # a loss's backward check calls nothing else
    first_method = {
        "regularization_loss": "regularization_loss",
        "accuracy_regression": "init",
        "accuracy_categorical": "calculate",
    }.get(name, "add" if name.startswith("model_") else first_method)
    assert result.message.endswith(f" in {first_method} with your code.")


@pytest.mark.ch09
def test_constructor_stub_names_init():
    class Layer_Dense:
        def __init__(self, n_inputs, n_neurons):
            raise NotImplementedError()

    result = run("dense_forward", Layer_Dense)
    assert result.status == ERROR
    assert "in __init__" in result.message


@pytest.mark.ch09
def test_learner_exception_gives_type_message_and_line():
    class Layer_Dense(book.Layer_Dense_ch09):
        def backward(self, dvalues):
            self.dweights = np.dot(self.inputs.T, dvalues)
            self.dinputs = np.dot(dvalue, self.weights.T)  # noqa: F821

    line = inspect.getsourcelines(Layer_Dense.backward)[1] + 2
    result = run("dense_backward", Layer_Dense)
    assert result.status == ERROR and result.points == 0
    assert (
        f"your backward raised NameError: name 'dvalue' is not defined (in backward, line {line})"
        in result.message
    )


@pytest.mark.ch09
def test_error_inside_numpy_is_located_at_the_learners_line():
    class Activation_Softmax(book.Activation_Softmax):
        def forward(self, inputs):
            self.output = np.sum(inputs, axis=3)

    line = inspect.getsourcelines(Activation_Softmax.forward)[1] + 1
    result = run("softmax_forward", Activation_Softmax)
    assert "AxisError" in result.message
    assert f"(in forward, line {line})" in result.message


@pytest.mark.ch09
def test_missing_method_is_named():
    class Layer_Dense:
        def __init__(self, n_inputs, n_neurons):
            self.weights = np.zeros((n_inputs, n_neurons))
            self.biases = np.zeros((1, n_neurons))

        def forward(self, inputs):
            self.output = np.dot(inputs, self.weights) + self.biases

    assert run("dense_forward", Layer_Dense).passed
    result = run("dense_backward", Layer_Dense)
    assert result.status == ERROR
    assert result.message.startswith("Layer_Dense has no method backward")


@pytest.mark.ch09
def test_instance_instead_of_class_is_explained():
    result = run("relu_forward", book.Activation_ReLU())
    assert result.status == ERROR
    assert "pass the class itself, not an instance" in result.message


# -- what odd learner code produces ----------------------------------------------------------


@pytest.mark.ch09
def test_none_wrong_shape_and_strange_values_fail_with_precise_messages():
    class ReturnsNone(book.Activation_ReLU):
        def forward(self, inputs, training):
            self.output = None

    class WrongShape(book.Activation_ReLU):
        def forward(self, inputs, training):
            self.output = np.maximum(0, inputs)[:, :2]

    class Text(book.Activation_ReLU):
        def forward(self, inputs, training):
            self.output = "relu"

    class Nested(book.Activation_ReLU):
        def forward(self, inputs, training):
            self.output = np.maximum(0, inputs).tolist()

    none = run("relu_forward", ReturnsNone)
    assert none.status == FAIL and "self.output is None" in none.message
    shape = run("relu_forward", WrongShape)
    assert shape.status == FAIL and "self.output has shape (6, 2)" in shape.message
    assert "expected (6, 4)" in shape.message
    text = run("relu_forward", Text)
    assert text.status == FAIL and "self.output is a str object" in text.message
    assert run("relu_forward", Nested).passed, "nested lists of the right numbers are accepted"


@pytest.mark.ch09
def test_generic_message_names_index_and_both_values():
    class Layer_Dense(book.Layer_Dense_ch09):
        def backward(self, dvalues):
            super().backward(dvalues)
            self.dweights = self.dweights + 0.5

    result = run("dense_backward", Layer_Dense)
    assert result.status == FAIL and result.diagnosis is None
    assert "mismatch in self.dweights at index (" in result.message
    assert "expected " in result.message and "received " in result.message
    assert "your backward does not match your own forward" in result.message


@pytest.mark.ch16
def test_backward_consistent_with_a_wrong_forward_blames_the_forward():
    class Activation_Sigmoid(book.Activation_Sigmoid):
        def forward(self, inputs, training):
            self.inputs = inputs
            self.output = 1 / (1 + np.exp(-2 * inputs))

        def backward(self, dvalues):
            self.dinputs = dvalues * 2 * (1 - self.output) * self.output

    result = run("sigmoid_backward", Activation_Sigmoid)
    assert result.status == FAIL
    assert "it is the forward that differs from the book's" in result.message


@pytest.mark.ch09
def test_result_prints_on_one_line():
    passed = run("relu_forward", book.Activation_ReLU)
    failed = run("relu_forward", activations.ReLUMin)
    for result in (passed, failed):
        text = str(result)
        assert "\n" not in text
        assert text.startswith(("✓ relu_forward: ", "✗ relu_forward: "))
        assert text.endswith(f"[{result.points:g}/{result.max_points:g}]")
    assert str(passed).startswith("✓") and str(failed).startswith("✗")


# -- probes as data --------------------------------------------------------------------------


def _roundtrip(probe: Probe) -> Probe:
    return Probe.from_json(json.loads(json.dumps(probe.to_json())))


@pytest.mark.parametrize("name", _by_check())
def test_probe_survives_json_and_judges_the_same(name):
    learners = [CHECKS[name][1], Stub]  # the notebook's and the wrong classes: test_check_families
    check = REGISTRY[name]
    for learner in learners:
        probe = check.probe(learner, 5)
        text = json.dumps(probe.to_json(), allow_nan=False)
        again = Probe.from_json(json.loads(text))
        assert check.judge(again).to_dict() == check.judge(probe).to_dict()


def _plain(value) -> bool:
    from autograder.checks.base import Unrepresentable

    if isinstance(value, dict):
        return all(isinstance(k, str) and _plain(v) for k, v in value.items())
    if isinstance(value, list):
        return all(_plain(v) for v in value)
    if isinstance(value, np.ndarray):
        return type(value) is np.ndarray and value.dtype.kind in "biuf"
    return value is None or isinstance(value, bool | int | float | str | Unrepresentable)


@pytest.mark.parametrize("name", _by_check())
def test_in_process_probes_hold_only_plain_data(name):
    """Even without the JSON trip, nothing in a probe can reach back into learner code."""

    class Sneaky(np.ndarray):
        def __sub__(self, other):
            raise AssertionError("learner code ran in the judge")

    for learner in (CHECKS[name][2], Stub):
        probe = REGISTRY[name].probe(learner, 1)
        assert _plain(probe.captured), name
    from autograder.checks.capture import snapshot

    assert type(snapshot(np.zeros(3).view(Sneaky))) is np.ndarray


@pytest.mark.ch09
def test_judge_never_calls_learner_code():
    calls = []

    class Layer_Dense(book.Layer_Dense_ch09):
        def forward(self, inputs):
            calls.append("forward")
            super().forward(inputs)

        def backward(self, dvalues):
            calls.append("backward")
            super().backward(dvalues)

    check = REGISTRY["dense_backward"]
    probe = check.probe(Layer_Dense, 2)
    before = check.judge(_roundtrip(probe)).to_dict()
    count = len(calls)

    def poisoned(*args, **kwargs):
        raise AssertionError("the judge called learner code")

    Layer_Dense.forward = Layer_Dense.backward = Layer_Dense.__init__ = poisoned
    del Layer_Dense
    after = check.judge(probe)
    assert after.to_dict() == before and after.passed
    assert len(calls) == count


@pytest.mark.ch09
def test_probe_restores_numpys_global_random_state():
    np.random.seed(123)
    expected = np.random.random_sample(3)
    np.random.seed(123)
    run("dense_backward", book.Layer_Dense)
    np.testing.assert_array_equal(np.random.random_sample(3), expected)


@pytest.mark.ch09
def test_malformed_probe_is_an_error_not_a_crash():
    check = REGISTRY["dense_forward"]
    probe = check.probe(book.Layer_Dense, 0)
    probe.captured["values"]["rect.output"] = {"surprise": [1, 2]}
    probe.captured["values"]["square.output"] = "text"
    result = check.judge(probe)
    assert result.status == FAIL and result.points == 0
    broken = Probe(check="dense_forward", seed=0, captured={"values": 3})
    assert check.judge(broken).status == ERROR
    other = Probe(check="relu_forward", seed=0)
    assert check.judge(other).status == ERROR


@pytest.mark.ch09
def test_a_probe_cannot_skip_what_is_not_optional():
    from autograder.checks.capture import skipped

    check = REGISTRY["dense_backward"]
    probe = check.probe(Stub, 0)
    probe.captured["errors"] = {}
    probe.captured["values"] = {key: skipped("forged") for key in check.expect(check.build(0))}
    result = check.judge(_roundtrip(probe))
    assert result.status == FAIL and result.points == 0


# -- float32 learners --------------------------------------------------------------------------


@pytest.mark.parametrize("name", _by_check())
def test_book_style_code_under_nnfs_init_passes_at_float32_tolerance(name, nnfs_initialised):
    result = run(name, CHECKS[name][2], 1)
    assert result.passed, str(result)
    assert "float32 tolerance" in result.message and "nnfs.init()" in result.message


@pytest.mark.ch09
def test_float32_values_are_accepted_and_said_so():
    class Activation_ReLU(book.Activation_ReLU):
        def forward(self, inputs, training):
            self.output = np.maximum(0, inputs).astype(np.float32)

    result = run("relu_forward", Activation_ReLU)
    assert result.passed and "float32 tolerance" in result.message


# -- the reference the judge trusts is itself confirmed by central differences -----------------


@pytest.mark.parametrize("seed", SEEDS)
@pytest.mark.ch09
def test_reference_gradients_on_the_checks_inputs_pass_gradcheck(seed):
    from nnfs_core import gradcheck

    dense = REGISTRY["dense_backward"].build(seed)
    for case in ("rect", "square"):
        layer = reference.Layer_Dense(dense[case]["n_inputs"], dense[case]["n_neurons"])
        layer.weights, layer.biases = dense[case]["W"].copy(), dense[case]["b"].copy()
        gradcheck(layer, dense[case]["X"], upstream=dense[case]["dvalues"])
    regularized = REGISTRY["dense_regularization"].build(seed)
    case = regularized["rect"]
    layer = reference.Layer_Dense(
        case["n_inputs"], case["n_neurons"], **regularized["regularizers"]
    )
    layer.weights, layer.biases = case["W"].copy(), case["b"].copy()
    gradcheck(layer, case["X"], upstream=case["dvalues"])
    for name, component in (
        ("relu_backward", reference.Activation_ReLU),
        ("softmax_backward", reference.Activation_Softmax),
        ("sigmoid_backward", reference.Activation_Sigmoid),
    ):
        spec = REGISTRY[name].build(seed)["main"]
        inputs = spec["X"].copy()
        inputs[inputs == 0] = 0.5  # ReLU's kink: the convention there is tested separately
        gradcheck(component(), inputs, upstream=spec["dvalues"])
    for name, loss in (
        ("cce_backward", reference.Loss_CategoricalCrossentropy),
        ("mse_backward", reference.Loss_MeanSquaredError),
        ("mae_backward", reference.Loss_MeanAbsoluteError),
    ):
        data = REGISTRY[name].build(seed)["data"]
        gradcheck(loss(), data["P"], data["y"])
    data = REGISTRY["softmax_cce_backward"].build(seed)["data"]
    gradcheck(reference.Activation_Softmax_Loss_CategoricalCrossentropy(), data["Z"], data["y"])


# -- dropout's mask ----------------------------------------------------------------------------


@pytest.mark.ch15
@pytest.mark.parametrize("seed", SEEDS)
def test_reference_dropout_draws_the_books_mask(seed):
    """np.random.seed(s) then the book's binomial draw == nnfs_core's Dropout on the global
    generator == nnfs_core's Dropout on a fresh RandomState(s) (what the judge uses)."""
    from autograder.checks.dropout import reference_mask

    spec = REGISTRY["dropout"].build(seed)
    keep = 1 - spec["rate"]
    state = np.random.get_state()
    try:
        np.random.seed(spec["mask_seed"])
        books = np.random.binomial(1, keep, size=spec["X"].shape) / keep
        np.random.seed(spec["mask_seed"])
        layer = reference.Layer_Dropout(spec["rate"], rng=np.random.mtrand._rand)
        layer.forward(spec["X"], training=True)
    finally:
        np.random.set_state(state)
    np.testing.assert_array_equal(layer.binary_mask, books)
    np.testing.assert_array_equal(reference_mask(spec), books)


@pytest.mark.ch15
def test_chapter15_dropout_passes_and_says_inference_was_not_checked():
    result = run("dropout", book.Layer_Dropout_ch15)
    assert result.passed
    assert "not checked" in result.message and "training flag" in result.message


@pytest.mark.ch15
def test_dropout_drawn_another_way_passes_on_structure():
    class Layer_Dropout(book.Layer_Dropout):
        def forward(self, inputs, training):
            self.inputs = inputs
            if not training:
                self.output = inputs.copy()
                return
            kept = np.random.random_sample(inputs.shape) > 1 - self.rate
            self.binary_mask = kept / self.rate
            self.output = inputs * self.binary_mask

    result = run("dropout", Layer_Dropout)
    assert result.passed, str(result)
    assert "its structure was checked instead" in result.message


# -- the model's plumbing ----------------------------------------------------------------------


@pytest.mark.ch18
def test_model_forward_that_forgets_to_return_is_explained():
    class Model(book.Model):
        def forward(self, X, training):
            super().forward(X, training)

    result = run("model_forward_chain", Model)
    assert result.status == FAIL
    assert "the output Model.forward returned is None" in result.message
