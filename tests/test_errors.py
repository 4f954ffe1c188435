"""Error messages: every bad input is refused with a message a learner can act on.

The contract (shared/DESIGN.md, after scikit-learn and Keras): a message says what was received,
what was expected, and how to fix it, with shapes written as tuples. Each test feeds one kind of
bad input and checks the key phrases of the message, in any order, so that rewording a sentence
does not break a test but dropping the received shape, the expected range or the fix does.
"""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pytest

from nnfs_core import (
    SGD,
    Adagrad,
    Adam,
    BinaryCrossentropy,
    CategoricalAccuracy,
    CategoricalCrossentropy,
    Dense,
    Dropout,
    MeanAbsoluteError,
    MeanSquaredError,
    Model,
    ReLU,
    RMSprop,
    Softmax,
    SoftmaxCategoricalCrossentropy,
    spiral_data,
)

ALL_OPTIMIZERS = [SGD, Adagrad, RMSprop, Adam]


def message_with(*parts: str) -> str:
    """A ``match=`` pattern requiring every literal part somewhere in the message, in any order."""
    return "(?s)" + "".join(f"(?=.*{re.escape(part)})" for part in parts)


def classifier(*, finalize: bool = True, loss=True, optimizer=True) -> Model:
    """Dense(2, 3) → Softmax with CCE, Adam and categorical accuracy; 2 inputs, 3 classes."""
    model = Model()
    model.add(Dense(2, 3, rng=0))
    model.add(Softmax())
    model.set(
        loss=CategoricalCrossentropy() if loss else None,
        optimizer=Adam() if optimizer else None,
        accuracy=CategoricalAccuracy(),
    )
    if finalize:
        model.finalize()
    return model


# -- shapes of inputs ------------------------------------------------------------------------------


@pytest.mark.ch03
def test_dense_input_width_not_matching_n_inputs_names_both_shapes():
    layer = Dense(2, 3, rng=0)
    with pytest.raises(
        ValueError, match=message_with("received shape (4, 5)", "(n_samples, 2)", "n_inputs", "Fix")
    ):
        layer.forward(np.ones((4, 5)))


@pytest.mark.ch03
def test_one_dimensional_input_to_dense_suggests_reshape():
    with pytest.raises(
        ValueError,
        match=message_with("1-D array of shape (2,)", "2-D", "reshape(1, -1)", "reshape(-1, 1)"),
    ):
        Dense(2, 3, rng=0).forward(np.ones(2))


@pytest.mark.ch04
def test_one_dimensional_input_to_softmax_suggests_reshape():
    with pytest.raises(
        ValueError,
        match=message_with("1-D array of shape (3,)", "(n_samples, n_features)", "reshape(1, -1)"),
    ):
        Softmax().forward(np.array([1.0, 2.0, 3.0]))


@pytest.mark.ch22
def test_one_dimensional_input_to_model_predict_suggests_reshape():
    with pytest.raises(
        ValueError,
        match=message_with("Model.predict", "shape (2,)", "reshape(1, -1)", "reshape(-1, 1)"),
    ):
        classifier().predict(np.array([0.5, -0.5]))


@pytest.mark.ch03
@pytest.mark.parametrize("component", [Dense(2, 3, rng=0), Softmax()], ids=repr)
def test_three_dimensional_input_suggests_flattening(component):
    with pytest.raises(
        ValueError, match=message_with("3-D array of shape (2, 2, 2)", "2-D", "Fix", "reshape")
    ):
        component.forward(np.ones((2, 2, 2)))


@pytest.mark.ch03
@pytest.mark.parametrize(
    "inputs",
    [[["a", "b"]], np.array([[1.0, None]], dtype=object)],
    ids=["strings", "object-array"],
)
def test_non_numeric_inputs_raise_type_error(inputs):
    dtype = np.asarray(inputs).dtype
    for component in (Dense(2, 3, rng=0), ReLU()):
        with pytest.raises(
            TypeError, match=message_with("numbers", f"dtype {dtype}", "Fix", "dtype=float")
        ):
            component.forward(inputs)


@pytest.mark.ch22
def test_non_numeric_inputs_to_model_predict_raise_type_error():
    with pytest.raises(TypeError, match=message_with("Model.predict", "numbers", "Fix")):
        classifier().predict([["0.5", "x"]])


# -- NaN and infinity ------------------------------------------------------------------------------


@pytest.mark.ch03
def test_nan_and_inf_in_dense_inputs_are_counted_with_the_first_index():
    inputs = np.array([[1.0, 2.0], [np.nan, np.inf], [np.nan, 0.0]])
    with pytest.raises(
        ValueError,
        match=message_with("NaN and infinity", "3 of 6 values", "index (1, 0)", "finite", "Fix"),
    ):
        Dense(2, 3, rng=0).forward(inputs)


@pytest.mark.ch15
@pytest.mark.parametrize("training", [True, False])
def test_inf_in_dropout_inputs_is_counted_with_the_first_index(training):
    with pytest.raises(
        ValueError, match=message_with("infinity", "1 of 4 values", "index (1, 0)", "Fix")
    ):
        Dropout(0.1, rng=0).forward(np.array([[1.0, 2.0], [-np.inf, 0.0]]), training=training)


@pytest.mark.ch05
@pytest.mark.parametrize(
    ("loss", "y_true"),
    [
        (CategoricalCrossentropy(), np.array([0, 1])),
        (BinaryCrossentropy(), np.array([[0.0, 1.0], [1.0, 0.0]])),
        (MeanSquaredError(), np.array([[0.0, 1.0], [1.0, 0.0]])),
        (MeanAbsoluteError(), np.array([[0.0, 1.0], [1.0, 0.0]])),
    ],
    ids=repr,
)
def test_nan_in_loss_predictions_is_counted_with_the_first_index(loss, y_true):
    predictions = np.array([[0.5, 0.5], [0.2, np.nan]])
    with pytest.raises(
        ValueError, match=message_with("predictions", "NaN", "1 of 4 values", "index (1, 1)", "Fix")
    ):
        loss.calculate(predictions, y_true)


@pytest.mark.ch17
def test_nan_in_regression_targets_is_counted_with_the_first_index():
    with pytest.raises(
        ValueError, match=message_with("y_true", "NaN", "1 of 3 values", "index (1, 0)", "Fix")
    ):
        MeanSquaredError().calculate(np.full((3, 1), 0.5), np.array([[0.0], [np.nan], [1.0]]))


# -- labels and targets ----------------------------------------------------------------------------

PROBABILITIES = np.full((3, 3), 1 / 3)


def _cce_forward(y):
    return CategoricalCrossentropy().calculate(PROBABILITIES, y)


def _cce_backward(y):
    return CategoricalCrossentropy().backward(PROBABILITIES, y)


def _combined_forward(y):
    return SoftmaxCategoricalCrossentropy().forward(np.zeros((3, 3)), y)


def _combined_backward(y):
    return SoftmaxCategoricalCrossentropy().backward(PROBABILITIES, y)


LABEL_PATHS = [_cce_forward, _cce_backward, _combined_forward, _combined_backward]


@pytest.mark.ch05
@pytest.mark.ch09
@pytest.mark.parametrize("run", LABEL_PATHS, ids=lambda f: f.__name__.strip("_"))
@pytest.mark.parametrize(("labels", "bad"), [([0, -1, 2], -1), ([0, 3, 2], 3)], ids=["neg", "big"])
def test_label_out_of_range_names_the_label_and_the_valid_range(run, labels, bad):
    with pytest.raises(
        ValueError, match=message_with(f"label {bad}", "3 classes", "0..2", "Fix", "one neuron per")
    ):
        run(np.array(labels))


@pytest.mark.ch05
@pytest.mark.parametrize("run", LABEL_PATHS, ids=lambda f: f.__name__.strip("_"))
def test_labels_of_the_wrong_length_name_both_counts(run):
    with pytest.raises(
        ValueError, match=message_with("2 labels", "3 samples", "shape (3,)", "Fix")
    ):
        run(np.array([0, 1]))


@pytest.mark.ch05
@pytest.mark.parametrize("run", LABEL_PATHS, ids=lambda f: f.__name__.strip("_"))
def test_one_hot_labels_of_the_wrong_width_suggest_np_eye(run):
    with pytest.raises(
        ValueError, match=message_with("received shape (3, 4)", "(3, 3)", "Fix", "np.eye(3)[y]")
    ):
        run(np.eye(4)[[0, 1, 2]])


@pytest.mark.ch05
def test_float_labels_that_are_not_whole_numbers_suggest_astype_int():
    with pytest.raises(
        TypeError, match=message_with("whole class indices", "float64", "astype(int)")
    ):
        _cce_forward(np.array([0.0, 1.5, 2.0]))


@pytest.mark.ch05
def test_float_labels_message_names_the_first_value_that_is_not_whole():
    with pytest.raises(TypeError, match=message_with("1.5", "astype(int)")):
        _cce_forward(np.array([0.0, 1.5, 2.0]))


@pytest.mark.ch16
@pytest.mark.ch17
@pytest.mark.parametrize(
    "loss", [BinaryCrossentropy(), MeanSquaredError(), MeanAbsoluteError()], ids=repr
)
@pytest.mark.parametrize("method", ["calculate", "backward"])
def test_flat_targets_against_column_predictions_are_refused_not_broadcast(loss, method):
    # (4,) against (4, 1) would broadcast to (4, 4) and give a plausible, wrong loss.
    predictions = np.array([[0.2], [0.9], [0.4], [0.7]])
    targets = np.array([0.0, 1.0, 0.0, 1.0])
    with pytest.raises(
        ValueError,
        match=message_with("received shape (4,)", "(4, 1)", "Fix", "y_true.reshape(-1, 1)"),
    ):
        getattr(loss, method)(predictions, targets)


# -- constructor arguments -------------------------------------------------------------------------


@pytest.mark.ch15
@pytest.mark.parametrize("rate", [-0.1, 1.0, 1.5])
def test_dropout_rate_outside_zero_to_one_names_the_range(rate):
    with pytest.raises(
        ValueError, match=message_with("rate", "[0, 1)", f"received {rate!r}", "Fix", "rate=0.1")
    ):
        Dropout(rate)


@pytest.mark.ch15
def test_dropout_rate_as_a_string_raises_type_error():
    with pytest.raises(TypeError, match=message_with("rate", "number", "str '0.1'")):
        Dropout("0.1")


@pytest.mark.ch15
def test_dropout_rate_as_a_string_says_how_to_fix_it():
    with pytest.raises(TypeError, match=message_with("str '0.1'", "Fix")):
        Dropout("0.1")


@pytest.mark.ch10
@pytest.mark.parametrize("optimizer_class", ALL_OPTIMIZERS, ids=lambda cls: cls.__name__)
@pytest.mark.parametrize("learning_rate", [0, -1])
def test_non_positive_learning_rate_is_refused(optimizer_class, learning_rate):
    with pytest.raises(
        ValueError,
        match=message_with(
            f"{optimizer_class.__name__}(", "learning_rate", "greater than 0",
            f"received {learning_rate}", "Fix",
        ),
    ):  # fmt: skip
        optimizer_class(learning_rate=learning_rate)


@pytest.mark.ch10
@pytest.mark.parametrize("optimizer_class", ALL_OPTIMIZERS, ids=lambda cls: cls.__name__)
def test_negative_decay_is_refused(optimizer_class):
    with pytest.raises(
        ValueError, match=message_with("decay", "0 or more", "received -0.001", "Fix")
    ):
        optimizer_class(decay=-0.001)


@pytest.mark.ch10
@pytest.mark.parametrize(
    ("optimizer_class", "name", "value"),
    [
        (SGD, "momentum", -0.1),
        (SGD, "momentum", 1.0),
        (RMSprop, "rho", 1.0),
        (RMSprop, "rho", -0.5),
        (Adam, "beta_1", 1.0),
        (Adam, "beta_1", -0.1),
        (Adam, "beta_2", 1.5),
        (Adam, "beta_2", 1.0),
    ],
)
def test_momentum_rho_and_betas_outside_zero_to_one_are_refused(optimizer_class, name, value):
    with pytest.raises(
        ValueError, match=message_with(name, "[0, 1)", f"received {value!r}", "Fix", f"{name}=")
    ):
        optimizer_class(**{name: value})


@pytest.mark.ch10
@pytest.mark.parametrize("optimizer_class", [Adagrad, RMSprop, Adam], ids=lambda c: c.__name__)
@pytest.mark.parametrize("epsilon", [0, -1e-7])
def test_non_positive_epsilon_is_refused(optimizer_class, epsilon):
    with pytest.raises(
        ValueError,
        match=message_with("epsilon", "greater than 0", f"received {epsilon!r}", "Fix"),
    ):
        optimizer_class(epsilon=epsilon)


@pytest.mark.ch14
@pytest.mark.parametrize(
    "name",
    [
        "weight_regularizer_l1",
        "weight_regularizer_l2",
        "bias_regularizer_l1",
        "bias_regularizer_l2",
    ],
)
def test_negative_regularization_strength_is_refused(name):
    with pytest.raises(
        ValueError, match=message_with(name, "0 or more", "received -0.0005", "Fix")
    ):
        Dense(2, 3, rng=0, **{name: -5e-4})


@pytest.mark.ch03
@pytest.mark.parametrize("argument", ["n_inputs", "n_neurons"])
@pytest.mark.parametrize(("value", "shown"), [(2.5, "float 2.5"), (True, "bool True")])
def test_layer_size_that_is_not_a_whole_number_raises_type_error(argument, value, shown):
    sizes = {"n_inputs": 2, "n_neurons": 3, argument: value}
    with pytest.raises(
        TypeError, match=message_with(argument, "whole number", shown, "Fix", f"{argument}=64")
    ):
        Dense(**sizes)


@pytest.mark.ch03
@pytest.mark.parametrize("argument", ["n_inputs", "n_neurons"])
@pytest.mark.parametrize("value", [0, -2])
def test_layer_size_below_one_is_refused(argument, value):
    sizes = {"n_inputs": 2, "n_neurons": 3, argument: value}
    with pytest.raises(ValueError, match=message_with(argument, "at least 1", f"received {value}")):
        Dense(**sizes)


@pytest.mark.ch03
@pytest.mark.parametrize("value", [0, -2])
def test_layer_size_below_one_says_how_to_fix_it(value):
    with pytest.raises(ValueError, match=message_with(f"received {value}", "Fix")):
        Dense(value, 3)


@pytest.mark.ch03
@pytest.mark.parametrize(
    "make",
    [
        lambda rng: Dense(2, 3, rng=rng),
        lambda rng: Dropout(0.1, rng=rng),
        lambda rng: spiral_data(samples=10, classes=3, rng=rng),
    ],
    ids=["Dense", "Dropout", "spiral_data"],
)
@pytest.mark.parametrize(("rng", "shown"), [("seed", "str"), (1.5, "float")])
def test_rng_of_a_wrong_type_names_the_accepted_types(make, rng, shown):
    with pytest.raises(
        TypeError,
        match=message_with(f"received {shown}", "Generator", "RandomState", "Fix", "rng="),
    ):
        make(rng)


# -- order of calls --------------------------------------------------------------------------------


@pytest.mark.ch18
@pytest.mark.parametrize(
    ("action", "call"),
    [
        ("predict", lambda model: model.predict(np.ones((1, 2)))),
        ("forward", lambda model: model.forward(np.ones((1, 2)))),
        ("get_parameters", lambda model: model.get_parameters()),
        ("set_parameters", lambda model: model.set_parameters([])),
        ("evaluate", lambda model: model.evaluate(np.ones((3, 2)), [0, 1, 2])),
        ("train", lambda model: model.train(np.ones((3, 2)), [0, 1, 2], print_every=None)),
    ],
    ids=lambda value: value if isinstance(value, str) else "",
)
def test_using_a_model_before_finalize_says_to_call_finalize(action, call):
    model = classifier(finalize=False)
    with pytest.raises(
        RuntimeError, match=message_with(f"Model.{action}", "not finalized", "model.finalize()")
    ):
        call(model)


@pytest.mark.ch18
def test_adding_a_layer_after_finalize_requires_finalize_again():
    model = classifier()
    model.add(ReLU())
    with pytest.raises(RuntimeError, match=message_with("not finalized", "model.finalize()")):
        model.predict(np.ones((1, 2)))


@pytest.mark.ch18
@pytest.mark.parametrize(
    ("missing", "settings"),
    [
        ("loss", {"loss": False}),
        ("optimizer", {"optimizer": False}),
        ("loss and no optimizer", {"loss": False, "optimizer": False}),
    ],
)
def test_training_without_loss_or_optimizer_says_what_to_set(missing, settings):
    model = classifier(**settings)
    with pytest.raises(RuntimeError, match=message_with(f"no {missing} set", "Fix", "model.set(")):
        model.train(np.ones((3, 2)), [0, 1, 2], print_every=None)


@pytest.mark.ch09
@pytest.mark.parametrize(
    "component", [Dense(2, 3, rng=0), ReLU(), Softmax(), Dropout(0.1, rng=0)], ids=repr
)
def test_backward_before_forward_says_to_call_forward_first(component):
    with pytest.raises(
        RuntimeError, match=message_with("backward was called before forward", "forward(inputs)")
    ):
        component.backward(np.ones((1, 3)))


@pytest.mark.ch09
def test_transposed_dvalues_hint_at_dot_t():
    layer = Dense(2, 3, rng=0)
    layer.forward(np.ones((4, 2)))
    with pytest.raises(
        ValueError, match=message_with("received shape (3, 4)", "shape (4, 3)", "transposed", ".T")
    ):
        layer.backward(np.ones((3, 4)))


@pytest.mark.ch09
def test_one_dimensional_dvalues_suggest_reshape():
    layer = Dense(2, 3, rng=0)
    layer.forward(np.ones((4, 2)))
    with pytest.raises(
        ValueError,
        match=message_with("received shape (4,)", "(4, 3)", "Fix", "dvalues.reshape(-1, 3)"),
    ):
        layer.backward(np.ones(4))


@pytest.mark.ch09
def test_dvalues_of_an_unrelated_wrong_shape_say_how_to_fix_it():
    layer = Dense(2, 3, rng=0)
    layer.forward(np.ones((4, 2)))
    with pytest.raises(ValueError, match=message_with("received shape (4, 5)", "(4, 3)", "Fix")):
        layer.backward(np.ones((4, 5)))


# -- data given to the model -----------------------------------------------------------------------


@pytest.mark.ch18
@pytest.mark.parametrize(
    ("method", "options"), [("train", {"print_every": None}), ("evaluate", {"verbose": False})]
)
def test_x_and_y_of_different_lengths_name_both_lengths(method, options):
    run = getattr(classifier(), method)
    with pytest.raises(
        ValueError, match=message_with(f"Model.{method}", "5 samples", "y has 4", "one target per")
    ):
        run(np.ones((5, 2)), [0, 1, 2, 0], **options)


@pytest.mark.ch18
def test_x_and_y_of_different_lengths_say_how_to_fix_it():
    with pytest.raises(ValueError, match=message_with("5 samples", "y has 4", "Fix")):
        classifier().train(np.ones((5, 2)), [0, 1, 2, 0], print_every=None)


@pytest.mark.ch21
def test_set_parameters_with_the_wrong_count_names_both_counts():
    with pytest.raises(
        ValueError,
        match=message_with("received 2 (weights, biases) pairs", "1 trainable", "get_parameters()"),
    ):
        classifier().set_parameters([(np.ones((2, 3)), np.ones((1, 3)))] * 2)


@pytest.mark.ch21
def test_set_parameters_with_transposed_weights_hint_at_dot_t():
    model = classifier()
    weights, biases = model.get_parameters()[0]
    with pytest.raises(
        ValueError, match=message_with("received shape (3, 2)", "shape (2, 3)", "transposed", ".T")
    ):
        model.set_parameters([(weights.T, biases)])


@pytest.mark.ch21
def test_set_parameters_with_weights_of_another_layer_size_say_how_to_fix_it():
    model = classifier()
    _, biases = model.get_parameters()[0]
    with pytest.raises(ValueError, match=message_with("(2, 4)", "(2, 3)", "Fix")):
        model.set_parameters([(np.ones((2, 4)), biases)])


# -- files -----------------------------------------------------------------------------------------


@pytest.fixture
def saved(tmp_path: Path) -> dict[str, Path]:
    """One file of each kind a learner might point a loader at."""
    model = classifier()
    files = {
        "model": tmp_path / "model.npz",
        "parameters": tmp_path / "parameters.npz",
        "text": tmp_path / "notes.txt",
        "npy": tmp_path / "weights.npy",
        "plain_npz": tmp_path / "plain.npz",
        "pickled_npz": tmp_path / "pickled.npz",
    }
    model.save(files["model"])
    model.save_parameters(files["parameters"])
    files["text"].write_text("epoch: 1, acc: 0.333\n")
    np.save(files["npy"], np.ones((2, 3)))
    np.savez(files["plain_npz"], weights=np.ones((2, 3)), biases=np.zeros((1, 3)))
    np.savez(files["pickled_npz"], layers=np.array([{"weights": [1.0]}], dtype=object))
    return files


def _load_model(path):
    return Model.load(path)


def _load_parameters(path):
    return classifier().load_parameters(path)


LOADERS = [_load_model, _load_parameters]


@pytest.mark.ch21
@pytest.mark.parametrize("load", LOADERS, ids=lambda f: f.__name__.strip("_"))
def test_loading_a_missing_path_names_the_path(load, tmp_path):
    missing = tmp_path / "no_such_model.npz"
    with pytest.raises(FileNotFoundError, match=message_with(str(missing), "no file")):
        load(missing)


@pytest.mark.ch21
@pytest.mark.parametrize("load", LOADERS, ids=lambda f: f.__name__.strip("_"))
def test_loading_a_text_file_says_it_is_not_an_nnfs_core_archive(load, saved):
    with pytest.raises(
        ValueError,
        match=message_with(
            str(saved["text"]), "not a file written by nnfs_core", ".npz", "save it"
        ),
    ):
        load(saved["text"])


@pytest.mark.ch21
@pytest.mark.parametrize("load", LOADERS, ids=lambda f: f.__name__.strip("_"))
@pytest.mark.parametrize("damage", ["cut in half", "bytes overwritten inside an array"])
def test_loading_a_damaged_file_says_so(load, saved, tmp_path, damage):
    """A truncated archive (a full disk, an interrupted copy) or one with changed bytes is
    named as possibly damaged, whether the archive's directory or an array's data is hit."""
    kind = "model" if load is _load_model else "parameters"
    data = bytearray(saved[kind].read_bytes())
    if damage == "cut in half":
        data = data[: len(data) // 2]
    else:
        start = data.index(b"\x93NUMPY") + 200  # inside the first array's numbers
        data[start : start + 64] = bytes(64)
    broken = tmp_path / f"broken_{kind}.npz"
    broken.write_bytes(bytes(data))
    with pytest.raises(ValueError, match=message_with(str(broken), "or it is damaged", "Fix:")):
        load(broken)


@pytest.mark.ch21
@pytest.mark.parametrize("load", LOADERS, ids=lambda f: f.__name__.strip("_"))
def test_loading_a_plain_npy_is_refused(load, saved):
    with pytest.raises(ValueError, match=message_with(str(saved["npy"]), "not a file written by")):
        load(saved["npy"])


@pytest.mark.ch21
@pytest.mark.parametrize("load", LOADERS, ids=lambda f: f.__name__.strip("_"))
def test_loading_a_plain_npy_says_what_it_is_and_what_to_do(load, saved):
    with pytest.raises(ValueError, match=message_with("np.save", "Fix")):
        load(saved["npy"])


@pytest.mark.ch21
def test_model_load_of_a_parameters_file_points_to_load_parameters(saved):
    with pytest.raises(
        ValueError,
        match=message_with(
            "'nnfs_core.model'", "nnfs_core.parameters", "parameters only", "load_parameters(path)"
        ),
    ):
        Model.load(saved["parameters"])


@pytest.mark.ch21
def test_load_parameters_of_a_model_file_points_to_model_load(saved):
    with pytest.raises(
        ValueError,
        match=message_with(
            "'nnfs_core.parameters'", "nnfs_core.model", "whole model", "Model.load"
        ),
    ):
        classifier().load_parameters(saved["model"])


@pytest.mark.ch21
@pytest.mark.parametrize("load", LOADERS, ids=lambda f: f.__name__.strip("_"))
def test_loading_an_npz_without_our_format_marker_says_so(load, saved):
    with pytest.raises(
        ValueError,
        match=message_with(str(saved["plain_npz"]), "no kind marker", "not written by nnfs_core"),
    ):
        load(saved["plain_npz"])


@pytest.mark.ch21
@pytest.mark.parametrize("load", LOADERS, ids=lambda f: f.__name__.strip("_"))
def test_loading_an_npz_without_our_format_marker_says_what_to_do(load, saved):
    with pytest.raises(ValueError, match=message_with("no kind marker", "Fix")):
        load(saved["plain_npz"])


@pytest.mark.ch21
@pytest.mark.parametrize("load", LOADERS, ids=lambda f: f.__name__.strip("_"))
def test_loading_an_npz_with_pickled_objects_is_refused_for_safety(load, saved):
    with pytest.raises(
        ValueError, match=message_with(str(saved["pickled_npz"]), "pickled objects", "safety")
    ):
        load(saved["pickled_npz"])


@pytest.mark.ch21
@pytest.mark.parametrize("load", LOADERS, ids=lambda f: f.__name__.strip("_"))
def test_loading_an_npz_with_pickled_objects_says_what_to_do(load, saved):
    with pytest.raises(ValueError, match=message_with("pickled objects", "Fix")):
        load(saved["pickled_npz"])


@pytest.mark.ch21
def test_saving_a_model_with_a_custom_dense_subclass_names_the_class(tmp_path):
    class MyDense(Dense):
        pass

    model = Model()
    model.add(MyDense(2, 3, rng=0))
    model.add(Softmax())
    target = tmp_path / "custom.npz"
    with pytest.raises(
        TypeError, match=message_with("MyDense", "only nnfs_core's own classes", "Fix")
    ):
        model.save(target)
    assert not target.exists(), "a refused save must not leave a file behind"


# -- training that runs away -----------------------------------------------------------------------


@pytest.mark.ch10
@pytest.mark.ch18
@pytest.mark.parametrize("learning_rate", [1e100, 1e300])
def test_a_diverging_run_raises_floating_point_error_blaming_the_learning_rate(learning_rate):
    X, y = spiral_data(samples=100, classes=3, rng=0)
    model = Model()
    model.add(Dense(2, 64, rng=1))
    model.add(ReLU())
    model.add(Dense(64, 3, rng=2))
    model.add(Softmax())
    model.set(
        loss=CategoricalCrossentropy(),
        optimizer=SGD(learning_rate=learning_rate),
        accuracy=CategoricalAccuracy(),
    )
    model.finalize()
    with pytest.raises(FloatingPointError, match=message_with("diverged", "learning rate")):
        model.train(X, y, epochs=50, print_every=None)


@pytest.mark.ch10
@pytest.mark.ch18
def test_a_saturating_but_finite_run_is_not_called_divergence():
    """SGD(1e30) pins the softmax to 0/1 and the clipped loss goes flat, yet stays finite.

    That is a bad run, not a numerical failure; the history shows it, and no heuristic
    guesses at it (a rule such as "loss above its start" would also fire on healthy runs).
    """
    X, y = spiral_data(samples=100, classes=3, rng=0)
    model = Model()
    for layer in (Dense(2, 64, rng=1), ReLU(), Dense(64, 3, rng=2), Softmax()):
        model.add(layer)
    model.set(
        loss=CategoricalCrossentropy(),
        optimizer=SGD(learning_rate=1e30),
        accuracy=CategoricalAccuracy(),
    )
    model.finalize()
    history = model.train(X, y, epochs=20, print_every=None)
    assert np.isfinite(history.loss).all()
    assert history.loss[-1] > 5 * history.loss[0]
