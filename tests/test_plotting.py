"""nnfs_core.plotting: what each picture shows, and that updates change the same artists.

Headless (Agg). Figures are made with ``matplotlib.figure.Figure`` where a test passes axes, and
through pyplot where it checks the no-axes default; pyplot figures are closed after each test.
"""

from __future__ import annotations

import subprocess
import sys

import matplotlib.pyplot as plt
import numpy as np
import pytest
from matplotlib.figure import Figure

from nnfs_core import (
    SGD,
    Adam,
    BinaryCrossentropy,
    CategoricalAccuracy,
    CategoricalCrossentropy,
    Dense,
    History,
    Linear,
    MeanSquaredError,
    Model,
    RegressionAccuracy,
    ReLU,
    Sigmoid,
    Softmax,
    plotting,
    sine_data,
    spiral_data,
)

plt.switch_backend("Agg")


@pytest.fixture(autouse=True)
def _close_pyplot_figures():
    yield
    plt.close("all")


def spiral_model(rng: np.random.RandomState, hidden: int = 16, optimizer=None) -> Model:
    model = Model()
    for layer in (Dense(2, hidden, rng=rng), ReLU(), Dense(hidden, 3, rng=rng), Softmax()):
        model.add(layer)
    model.set(
        loss=CategoricalCrossentropy(),
        optimizer=optimizer or Adam(learning_rate=0.05),
        accuracy=CategoricalAccuracy(),
    )
    model.finalize()
    return model


@pytest.fixture
def trained():
    """A small spiral classifier after 30 epochs, with validation data and its history."""
    rng = np.random.RandomState(0)
    X, y = spiral_data(40, 3, rng=rng)
    model = spiral_model(rng)
    X_val, y_val = spiral_data(20, 3, rng=np.random.RandomState(1))
    history = model.train(X, y, epochs=30, print_every=None, validation_data=(X_val, y_val))
    return model, X, y, X_val, y_val, history


def new_ax():
    return Figure().add_subplot()


# ---------------------------------------------------------------------------------------
# The core stays free of matplotlib and widgets
# ---------------------------------------------------------------------------------------


@pytest.mark.project
def test_importing_nnfs_core_imports_neither_matplotlib_nor_ipywidgets():
    code = (
        "import sys, nnfs_core, nnfs_core.book\n"
        "heavy = [m for m in ('matplotlib', 'ipywidgets', 'ipympl', 'IPython', "
        "'nnfs_core.plotting', 'nnfs_core.labs') if m in sys.modules]\n"
        "print(','.join(heavy))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=60
    )
    assert done.stdout.strip() == "", f"import nnfs_core pulled in: {done.stdout.strip()}"


@pytest.mark.project
def test_plotting_does_not_import_widgets_or_pyplot():
    code = (
        "import sys, nnfs_core.plotting\n"
        "print(','.join(m for m in ('ipywidgets', 'matplotlib.pyplot') if m in sys.modules))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=60
    )
    assert done.stdout.strip() == ""


# ---------------------------------------------------------------------------------------
# Decision regions
# ---------------------------------------------------------------------------------------


@pytest.mark.ch10
def test_regions_show_the_models_class_at_each_grid_point(trained):
    model, X, y, X_val, y_val, _ = trained
    regions = plotting.plot_decision_regions(
        model, X, y, X_val=X_val, y_val=y_val, ax=new_ax(), resolution=30
    )
    expected = np.argmax(model.predict(regions.grid), axis=1).reshape(30, 30)
    np.testing.assert_array_equal(regions.image.get_array(), expected)
    # Row 0 of the image is the grid's lowest y (origin="lower"); column 0 its lowest x.
    assert regions.grid[0, 1] == regions.grid[:, 1].min()
    assert regions.grid[0, 0] == regions.grid[:, 0].min()
    np.testing.assert_array_equal(regions.train_points.get_offsets(), X)
    np.testing.assert_array_equal(regions.val_points.get_offsets(), X_val)
    assert regions.n_classes == 3
    assert regions.ax.get_xlabel() and regions.ax.get_ylabel()
    assert regions.ax.get_legend() is not None  # training and validation markers named


@pytest.mark.ch10
def test_regions_accept_a_predict_callable_with_labels_or_scores(trained):
    model, X, y, *_ = trained
    from_model = plotting.plot_decision_regions(model, X, y, ax=new_ax(), resolution=20)
    from_scores = plotting.plot_decision_regions(model.predict, X, y, ax=new_ax(), resolution=20)
    labels = lambda points: np.argmax(model.predict(points), axis=1)  # noqa: E731
    from_labels = plotting.plot_decision_regions(labels, X, y, ax=new_ax(), resolution=20)
    for other in (from_scores, from_labels):
        np.testing.assert_array_equal(other.image.get_array(), from_model.image.get_array())


@pytest.mark.ch10
def test_region_update_swaps_only_the_image_data(trained):
    model, X, y, *_ = trained
    ax = new_ax()
    regions = plotting.plot_decision_regions(None, X, y, ax=ax, resolution=25, n_classes=3)
    image, artists_before = regions.image, len(ax.get_children())
    assert not regions.image.get_array().any()  # nothing predicted yet
    returned = plotting.update_decision_regions(regions, model)
    assert returned is image and regions.image is image
    assert len(ax.get_children()) == artists_before
    np.testing.assert_array_equal(image.get_array(), regions.compute(model))
    with pytest.raises(ValueError, match="shape"):
        regions.update(values=np.zeros((3, 3)))


@pytest.mark.ch10
def test_region_points_can_be_replaced_in_place(trained):
    _, X, y, *_ = trained
    regions = plotting.plot_decision_regions(None, X, y, ax=new_ax(), resolution=10, n_classes=3)
    points = regions.train_points
    regions.set_points(X[:5] * 0.5, y[:5])
    assert regions.train_points is points
    np.testing.assert_array_equal(points.get_offsets(), X[:5] * 0.5)
    assert len(points.get_facecolors()) == 5


@pytest.mark.ch16
def test_regions_shade_the_sigmoid_probability_for_a_binary_model():
    rng = np.random.RandomState(0)
    X, y = spiral_data(30, 2, rng=rng)
    model = Model()
    for layer in (Dense(2, 8, rng=rng), ReLU(), Dense(8, 1, rng=rng), Sigmoid()):
        model.add(layer)
    model.set(
        loss=BinaryCrossentropy(), optimizer=Adam(0.01), accuracy=CategoricalAccuracy(binary=True)
    )
    model.finalize()
    model.train(X, y.reshape(-1, 1), epochs=20, print_every=None)
    regions = plotting.plot_decision_regions(model, X, y, ax=new_ax(), resolution=20)
    p = model.predict(regions.grid).reshape(20, 20)
    np.testing.assert_array_equal(regions.image.get_array(), (p > 0.5).astype(int))
    image = regions.image
    regions.set_proba(True)
    regions.update(model)
    assert regions.image is image
    np.testing.assert_array_equal(image.get_array(), p)
    assert image.get_clim() == (0.0, 1.0)


# ---------------------------------------------------------------------------------------
# Curves
# ---------------------------------------------------------------------------------------


@pytest.mark.ch10
def test_history_lines_hold_the_history_values(trained):
    *_, history = trained
    fig = Figure()
    plot = plotting.plot_history(history, axes=fig.subplots(1, 3))
    assert set(plot.lines) == {"loss", "val_loss", "accuracy", "val_accuracy", "learning_rate"}
    for key, line in plot.lines.items():
        np.testing.assert_array_equal(line.get_xdata(), history.epoch)
        np.testing.assert_array_equal(line.get_ydata(), history[key])
    for ax in plot.axes.values():
        assert ax.get_xlabel() == "epoch"
        assert ax.get_ylabel()
    assert plot.axes["accuracy"].get_ylim() == (0.0, 1.02)
    low, high = plot.axes["loss"].get_ylim()
    assert low <= min(history.loss) and high >= max(history.loss[0], history.val_loss[0])
    top = plot.axes["learning_rate"].get_ylim()[1]
    assert plot.axes["learning_rate"].get_ylim()[0] == 0.0 and top >= max(history.learning_rate)
    assert top == plotting.round_end(top, up=True) < 2.5 * max(history.learning_rate)


@pytest.mark.ch10
def test_learning_rate_limits_end_on_round_numbers_and_stay_for_nearby_rates():
    # The labs' learning-rate panel keeps its frame when the rate moves a little.
    assert plotting.rate_limits([np.array([0.045, 0.04])]) == (0.0, 0.05)
    assert plotting.rate_limits([np.array([0.041])]) == (0.0, 0.05)
    assert plotting.rate_limits([np.array([1.0, 0.5])]) == (0.0, 2.0)  # 1.05 rounds up
    assert plotting.rate_limits([np.array([0.02, 0.003])], log=True) == pytest.approx((0.002, 0.05))
    assert plotting.rate_limits([np.array([np.nan, 0.0])]) is None  # nothing to show


@pytest.mark.ch10
def test_history_update_moves_the_same_lines_and_replays_up_to_an_epoch(trained):
    *_, history = trained
    plot = plotting.plot_history(History(), axes=Figure().subplots(1, 3), validation=True)
    lines = dict(plot.lines)
    assert all(len(line.get_xdata()) == 0 for line in lines.values())
    plotting.update_history(plot, history, upto=12)
    assert plot.lines == lines and all(plot.lines[k] is lines[k] for k in lines)
    np.testing.assert_array_equal(lines["loss"].get_ydata(), history.loss[:12])
    np.testing.assert_array_equal(lines["val_accuracy"].get_ydata(), history.val_accuracy[:12])
    # The axes already span the whole run, so a replay does not make them jump.
    assert plot.axes["loss"].get_xlim() == (0.0, 30.0)
    plot.update(history)
    np.testing.assert_array_equal(lines["learning_rate"].get_ydata(), history.learning_rate)


@pytest.mark.ch10
def test_history_without_validation_draws_no_validation_lines():
    history = History(epoch=[1, 2], loss=[1.0, 0.5], accuracy=[0.3, 0.6], learning_rate=[1, 1])
    plot = plotting.plot_history(history, metrics=("loss", "accuracy"), fig=Figure())
    assert set(plot.lines) == {"loss", "accuracy"}
    with pytest.raises(ValueError, match="unknown metric"):
        plotting.plot_history(history, metrics=("speed",), fig=Figure())


@pytest.mark.ch10
def test_history_default_makes_its_own_figure(trained):
    *_, history = trained
    plot = plotting.plot_history(history)
    assert plot.axes["loss"].figure in [plt.figure(n) for n in plt.get_fignums()]


@pytest.mark.ch10
def test_one_early_loss_spike_does_not_flatten_the_curve():
    values = np.r_[1.1, 40.0, np.linspace(1.0, 0.1, 200)]
    low, high = plotting.value_limits([values], robust=True)
    assert high < 2.0 and low <= 0.0
    assert plotting.value_limits([values])[1] > 40.0
    assert plotting.value_limits([np.array([np.nan])]) is None


# ---------------------------------------------------------------------------------------
# Weights, biases and their updates
# ---------------------------------------------------------------------------------------


@pytest.mark.ch10
def test_parameter_maps_show_values_and_updates_centred_on_zero(trained):
    model, X, y, *_ = trained
    before = model.get_parameters()
    model.train(X, y, epochs=1, print_every=None)
    after = model.get_parameters()
    updates = plotting.parameter_updates(before, after)
    plot = plotting.plot_parameters(model, updates, fig=Figure())
    assert set(plot.images) == {"W1", "b1", "dW1", "db1", "W2", "b2", "dW2", "db2"}
    (w1, _), (w2, b2) = after
    # W1 is (2, 16): drawn as is. W2 is (16, 3): drawn transposed, wider than tall.
    np.testing.assert_array_equal(plot.images["W1"].get_array(), w1)
    np.testing.assert_array_equal(plot.images["W2"].get_array(), w2.T)
    np.testing.assert_array_equal(plot.images["b2"].get_array(), b2)
    np.testing.assert_array_equal(plot.images["dW2"].get_array(), (w2 - before[1][0]).T)
    for name, image in plot.images.items():
        low, high = image.get_clim()
        assert low == -high and high > 0, name
        assert image.get_cmap().name == "RdBu_r"  # red positive, blue negative
    assert plot.images["W1"].get_clim()[1] == pytest.approx(np.abs(w1).max())


@pytest.mark.ch10
def test_parameter_update_keeps_the_images_and_follows_a_new_width():
    small = [(np.ones((2, 4)), np.zeros((1, 4))), (-np.ones((4, 3)), np.ones((1, 3)))]
    plot = plotting.plot_parameters(small, fig=Figure())
    assert not plot.show_updates and "dW1" not in plot.images
    images = dict(plot.images)
    wide = [(np.full((2, 8), 0.5), np.zeros((1, 8))), (np.full((8, 3), -2.0), np.ones((1, 3)))]
    plot.update(wide)
    assert all(plot.images[k] is images[k] for k in images)
    assert plot.images["W1"].get_array().shape == (2, 8)
    assert plot.images["W2"].get_array().shape == (3, 8)
    assert plot.images["W2"].get_extent() == [-0.5, 7.5, 2.5, -0.5]
    with pytest.raises(ValueError, match="2 layers"):
        plot.update(wide[:1])


# ---------------------------------------------------------------------------------------
# Learning-rate schedules
# ---------------------------------------------------------------------------------------


@pytest.mark.ch10
@pytest.mark.parametrize(("learning_rate", "decay"), [(1.0, 1e-3), (0.05, 5e-7), (0.7, 0.0)])
def test_lr_schedule_is_the_optimizers_decay_to_the_last_bit(learning_rate, decay):
    steps = 300
    schedule = plotting.lr_schedule(learning_rate, decay, steps)
    by_hand = [learning_rate / (1.0 + decay * t) for t in range(steps)]
    assert schedule.tolist() == by_hand
    optimizer = SGD(learning_rate=learning_rate, decay=decay)
    seen = []
    for _ in range(steps):
        optimizer.pre_update_params()
        seen.append(optimizer.current_learning_rate)
        optimizer.post_update_params()
    assert schedule.tolist() == seen


@pytest.mark.ch10
def test_schedule_lines_overlay_and_update_in_place():
    ax = new_ax()
    lines = plotting.plot_lr_schedules([(1.0, 1e-2), (1.0, 1e-3)], steps=500, ax=ax)
    assert len(lines) == 2 and len(ax.get_lines()) == 2
    np.testing.assert_array_equal(lines[1].line.get_ydata(), plotting.lr_schedule(1.0, 1e-3, 500))
    line = lines[0].line
    assert plotting.update_lr_schedule(lines[0], 0.5, 1e-4) is line
    np.testing.assert_array_equal(line.get_ydata(), plotting.lr_schedule(0.5, 1e-4, 500))
    lines[0].update(0.5, 1e-4, steps=50)
    assert len(line.get_xdata()) == 50
    assert ax.get_xlabel() and ax.get_ylabel()
    assert ax.get_legend() is not None


# ---------------------------------------------------------------------------------------
# Regression
# ---------------------------------------------------------------------------------------


@pytest.mark.ch17
def test_regression_plot_draws_the_models_curve_through_the_data():
    rng = np.random.RandomState(0)
    X, y = sine_data(50)
    model = Model()
    for layer in (
        Dense(1, 8, rng=rng, weight_scale=0.1),
        ReLU(),
        Dense(8, 1, rng=rng, weight_scale=0.1),
        Linear(),
    ):
        model.add(layer)
    model.set(loss=MeanSquaredError(), optimizer=Adam(0.005), accuracy=RegressionAccuracy())
    model.finalize()
    plot = plotting.plot_regression(None, X, y, ax=new_ax())
    assert np.isnan(plot.model_line.get_ydata()).all()
    line = plot.model_line
    model.train(X, y, epochs=10, print_every=None)
    assert plot.update(model) is line
    np.testing.assert_array_equal(line.get_ydata(), model.predict(X).ravel())
    np.testing.assert_array_equal(plot.data_line.get_ydata(), y.ravel())
    X2, y2 = sine_data(20)
    plot.set_data(X2, y2)
    plot.update(model)
    assert len(line.get_ydata()) == 20 and plot.model_line is line
