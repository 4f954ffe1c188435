"""The Model object (ch18-ch22): training history, evaluation, prediction, saving and loading."""

from __future__ import annotations

import zipfile

import numpy as np
import pytest

from nnfs_core import (
    SGD,
    Adam,
    BinaryCrossentropy,
    CategoricalAccuracy,
    CategoricalCrossentropy,
    Dense,
    Dropout,
    Linear,
    MeanSquaredError,
    Model,
    RegressionAccuracy,
    ReLU,
    Sigmoid,
    Softmax,
    load_digits,
    sine_data,
    spiral_data,
    train_test_split,
)


def spiral_classifier(rng, *, width=16, dropout=0.0, l2=0.0, optimizer=None) -> Model:
    model = Model()
    model.add(Dense(2, width, weight_regularizer_l2=l2, bias_regularizer_l2=l2, rng=rng))
    model.add(ReLU())
    if dropout:
        model.add(Dropout(dropout, rng=rng))
    model.add(Dense(width, 3, rng=rng))
    model.add(Softmax())
    model.set(
        loss=CategoricalCrossentropy(),
        optimizer=optimizer or Adam(learning_rate=0.02, decay=5e-7),
        accuracy=CategoricalAccuracy(),
    )
    model.finalize()
    return model


@pytest.mark.ch18
def test_history_has_one_entry_per_epoch_for_every_series():
    X, y = spiral_data(50, 3, rng=0)
    model = spiral_classifier(np.random.RandomState(1))
    history = model.train(
        X, y, epochs=7, print_every=None, validation_data=spiral_data(20, 3, rng=2)
    )
    assert history.epoch == list(range(1, 8))
    for key in history.keys():
        assert len(history[key]) == 7, key
    assert history.to_dict()["loss"] == history.loss
    np.testing.assert_allclose(
        history.loss, np.add(history.data_loss, history.regularization_loss), rtol=1e-12
    )


@pytest.mark.ch18
def test_history_learning_rate_follows_the_decay_schedule_step_by_step():
    X, y = spiral_data(30, 3, rng=0)
    model = spiral_classifier(0, optimizer=SGD(learning_rate=1.0, decay=0.1))
    history = model.train(X, y, epochs=4, print_every=None)
    # Epoch e is full batch, so its only step runs with iterations = e - 1.
    assert history.learning_rate == pytest.approx([1 / (1 + 0.1 * t) for t in range(4)])


@pytest.mark.ch18
def test_model_train_replays_the_hand_written_book_loop_exactly():
    """The Model is the book's chapter 10 loop, packaged: same numbers, not merely close ones."""
    rng = np.random.RandomState(0)
    X, y = spiral_data(100, 3, rng=rng)
    dense1, dense2 = Dense(2, 64, rng=rng), Dense(64, 3, rng=rng)
    model = Model()
    for layer in (Dense(2, 64, rng=0), ReLU(), Dense(64, 3, rng=0), Softmax()):
        model.add(layer)
    model.set(
        loss=CategoricalCrossentropy(),
        optimizer=Adam(learning_rate=0.05, decay=5e-7),
        accuracy=CategoricalAccuracy(),
    )
    model.finalize()
    model.set_parameters([dense1.get_parameters(), dense2.get_parameters()])
    history = model.train(X, y, epochs=50, print_every=None)

    from nnfs_core import ReLU as Relu
    from nnfs_core import SoftmaxCategoricalCrossentropy

    activation, head, optimizer = Relu(), SoftmaxCategoricalCrossentropy(), Adam(0.05, 5e-7)
    losses = []
    for _ in range(50):
        dense1.forward(X)
        activation.forward(dense1.output)
        dense2.forward(activation.output)
        losses.append(head.forward(dense2.output, y))
        head.backward(head.output, y)
        dense2.backward(head.dinputs)
        activation.backward(dense2.dinputs)
        dense1.backward(activation.dinputs)
        optimizer.pre_update_params()
        optimizer.update_params(dense1)
        optimizer.update_params(dense2)
        optimizer.post_update_params()
    np.testing.assert_allclose(history.data_loss, losses, rtol=1e-13)
    np.testing.assert_allclose(model.trainable_layers[0].weights, dense1.weights, rtol=1e-13)


@pytest.mark.ch18
def test_finalize_picks_the_combined_softmax_cce_backward_only_when_it_applies():
    model = spiral_classifier(0)
    assert model.softmax_classifier_output is not None
    binary = Model()
    binary.add(Dense(2, 1, rng=0))
    binary.add(Sigmoid())
    binary.set(
        loss=BinaryCrossentropy(), optimizer=Adam(), accuracy=CategoricalAccuracy(binary=True)
    )
    binary.finalize()
    assert binary.softmax_classifier_output is None


@pytest.mark.ch18
def test_print_every_prints_the_book_style_summary(capsys):
    X, y = spiral_data(20, 3, rng=0)
    spiral_classifier(0).train(X, y, epochs=4, print_every=2)
    lines = capsys.readouterr().out.strip().splitlines()
    assert [line.split(",")[0] for line in lines] == ["epoch: 2", "epoch: 4"]
    assert "acc:" in lines[0] and "data_loss:" in lines[0] and "reg_loss:" in lines[0]
    assert "lr:" in lines[0]


@pytest.mark.ch18
def test_callback_returning_false_stops_training_early():
    X, y = spiral_data(20, 3, rng=0)
    seen = []

    def stop_after_three(epoch, history):
        seen.append((epoch, len(history)))
        return epoch < 3

    history = spiral_classifier(0).train(
        X, y, epochs=10, print_every=None, callback=stop_after_three
    )
    assert len(history) == 3
    assert seen == [(1, 1), (2, 2), (3, 3)]


@pytest.mark.ch15
@pytest.mark.ch18
def test_dropout_is_active_while_training_and_off_for_predict_and_evaluate():
    X, y = spiral_data(30, 3, rng=0)
    model = spiral_classifier(np.random.RandomState(0), width=32, dropout=0.5)
    first, second = model.predict(X), model.predict(X)
    np.testing.assert_array_equal(first, second)
    assert not np.array_equal(model.forward(X, training=True), model.forward(X, training=True))
    loss, _ = model.evaluate(X, y, verbose=False)
    assert loss == pytest.approx(np.mean(CategoricalCrossentropy().forward(first, y)))


@pytest.mark.ch19
@pytest.mark.ch20
def test_mini_batches_accumulate_the_epoch_loss_over_every_sample():
    X, y = spiral_data(40, 3, rng=0)
    model = spiral_classifier(0)
    loss_full, accuracy_full = model.evaluate(X, y, verbose=False)
    loss_batched, accuracy_batched = model.evaluate(X, y, batch_size=7, verbose=False)
    assert loss_batched == pytest.approx(loss_full, rel=1e-12)
    assert accuracy_batched == pytest.approx(accuracy_full)
    history = model.train(X, y, epochs=2, batch_size=32, print_every=None)
    assert model.optimizer.iterations == 2 * 4  # 120 samples in batches of 32: 4 steps per epoch
    assert len(history) == 2


@pytest.mark.ch22
def test_predict_in_batches_equals_predict_in_one_go():
    X, _ = spiral_data(25, 3, rng=0)
    model = spiral_classifier(0)
    np.testing.assert_array_equal(model.predict(X, batch_size=8), model.predict(X))
    classes = model.output_layer_activation.predictions(model.predict(X))
    assert classes.shape == (75,) and set(np.unique(classes)) <= {0, 1, 2}


@pytest.mark.ch16
def test_binary_logistic_model_learns_two_spiral_classes():
    X, y = spiral_data(100, 2, rng=0)
    y = y.reshape(-1, 1)
    model = Model()
    model.add(Dense(2, 64, weight_regularizer_l2=5e-4, bias_regularizer_l2=5e-4, rng=0))
    model.add(ReLU())
    model.add(Dense(64, 1, rng=1))
    model.add(Sigmoid())
    model.set(
        loss=BinaryCrossentropy(),
        optimizer=Adam(decay=5e-7, learning_rate=0.01),
        accuracy=CategoricalAccuracy(binary=True),
    )
    model.finalize()
    history = model.train(X, y, epochs=600, print_every=None)
    assert history.accuracy[-1] > 0.8
    assert history.loss[-1] < history.loss[0]


@pytest.mark.ch17
def test_regression_model_fits_the_sine_wave():
    X, y = sine_data(500)
    model = Model()
    for layer in (
        Dense(1, 64, rng=0, weight_scale=0.1),
        ReLU(),
        Dense(64, 64, rng=1, weight_scale=0.1),
        ReLU(),
        Dense(64, 1, rng=2, weight_scale=0.1),
        Linear(),
    ):
        model.add(layer)
    model.set(
        loss=MeanSquaredError(),
        optimizer=Adam(learning_rate=0.005, decay=1e-3),
        accuracy=RegressionAccuracy(),
    )
    model.finalize()
    history = model.train(X, y, epochs=1000, print_every=None)
    assert model.accuracy.precision == pytest.approx(np.std(y) / 250)
    assert history.data_loss[-1] < 0.01
    assert np.max(np.abs(model.predict(X) - y)) < 0.3


@pytest.mark.ch19
def test_a_small_model_reaches_90_percent_on_held_out_digits():
    images, labels = load_digits()
    X = (images.reshape(len(images), -1) - 8.0) / 8.0  # 0..16 scaled to [-1, 1]
    X_train, X_test, y_train, y_test = train_test_split(X, labels, test_fraction=0.25, rng=0)
    model = Model()
    for layer in (Dense(64, 64, rng=0), ReLU(), Dense(64, 10, rng=1), Softmax()):
        model.add(layer)
    model.set(
        loss=CategoricalCrossentropy(),
        optimizer=Adam(learning_rate=0.005, decay=1e-4),
        accuracy=CategoricalAccuracy(),
    )
    model.finalize()
    model.train(X_train, y_train, epochs=15, batch_size=32, print_every=None)
    _, accuracy = model.evaluate(X_test, y_test, verbose=False)
    assert accuracy > 0.9


# -- parameters and files -------------------------------------------------------------------------


def trained_model(tmp_path=None) -> tuple[Model, np.ndarray, np.ndarray]:
    X, y = spiral_data(40, 3, rng=0)
    model = spiral_classifier(np.random.RandomState(3), dropout=0.1, l2=5e-4)
    model.train(X, y, epochs=20, print_every=None)
    return model, X, y


@pytest.mark.ch21
def test_get_parameters_returns_copies_that_training_does_not_change():
    model, X, y = trained_model()
    snapshot = model.get_parameters()
    before = [w.copy() for w, _ in snapshot]
    model.train(X, y, epochs=2, print_every=None)
    for kept, original in zip(snapshot, before, strict=True):
        np.testing.assert_array_equal(kept[0], original)


@pytest.mark.ch21
def test_parameters_round_trip_exactly_through_a_file(tmp_path):
    model, X, _ = trained_model()
    path = tmp_path / "fashion.parms"
    model.save_parameters(path)
    assert path.exists() and not (tmp_path / "fashion.parms.npz").exists()
    fresh = spiral_classifier(np.random.RandomState(99), dropout=0.1, l2=5e-4)
    fresh.load_parameters(path)
    for (w1, b1), (w2, b2) in zip(model.get_parameters(), fresh.get_parameters(), strict=True):
        np.testing.assert_array_equal(w1, w2)
        np.testing.assert_array_equal(b1, b2)
    np.testing.assert_array_equal(model.predict(X), fresh.predict(X))


@pytest.mark.ch21
def test_model_round_trips_exactly_and_training_resumes_identically(tmp_path):
    model, X, y = trained_model()
    path = tmp_path / "spiral.model"
    model.save(path)
    loaded = Model.load(path)
    assert repr(loaded) == repr(model)
    assert loaded.finalized and loaded.softmax_classifier_output is not None
    assert loaded.optimizer.iterations == model.optimizer.iterations
    assert loaded.optimizer.current_learning_rate == model.optimizer.current_learning_rate
    for original, copy in zip(model.trainable_layers, loaded.trainable_layers, strict=True):
        for name in ("weights", "biases", "weight_momentums", "weight_cache", "bias_cache"):
            np.testing.assert_array_equal(getattr(original, name), getattr(copy, name))
    np.testing.assert_array_equal(model.predict(X), loaded.predict(X))
    # Optimizer state came along: both continue the same way (dropout reseeded alike).
    for each in (model, loaded):
        each.layers[2].rng = np.random.RandomState(5)
    resumed = model.train(X, y, epochs=3, print_every=None)
    resumed_copy = loaded.train(X, y, epochs=3, print_every=None)
    assert resumed.loss == resumed_copy.loss


@pytest.mark.ch21
def test_saved_files_hold_no_pickled_objects(tmp_path):
    model, _, _ = trained_model()
    model.save(tmp_path / "m.model")
    model.save_parameters(tmp_path / "m.parms")
    for name in ("m.model", "m.parms"):
        with zipfile.ZipFile(tmp_path / name) as archive:
            for entry in archive.namelist():
                assert entry.endswith(".npy")
                header = archive.read(entry)[:128]
                assert b"'descr': '|O'" not in header, f"{entry} holds Python objects"


@pytest.mark.ch21
def test_a_failed_save_leaves_the_previous_file_untouched(tmp_path):
    model, _, _ = trained_model()
    path = tmp_path / "keep.model"
    model.save(path)
    good = path.read_bytes()

    class HomeMadeLayer(Dense):
        pass

    model.add(HomeMadeLayer(3, 3))
    with pytest.raises(TypeError, match="HomeMadeLayer"):
        model.save(path)
    assert path.read_bytes() == good
    assert sorted(p.name for p in tmp_path.iterdir()) == ["keep.model"]


@pytest.mark.ch21
def test_unfinalized_model_round_trips_its_structure(tmp_path):
    model = Model()
    model.add(Dense(4, 2, rng=0))
    model.add(Linear())
    model.save(tmp_path / "draft.model")
    loaded = Model.load(tmp_path / "draft.model")
    assert not loaded.finalized and loaded.loss is None and loaded.optimizer is None
    np.testing.assert_array_equal(loaded.layers[0].weights, model.layers[0].weights)
