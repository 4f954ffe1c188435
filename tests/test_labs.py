"""The labs, driven headless: set a widget's value from Python and check what changed.

What changed means: the training run (its History), the plotted data (line data equal to the
history, the regions image), the cache counters, which widgets are enabled, the replayed
snapshot, and that the figure and its artists are the very objects they were before. Every
lab records exceptions raised inside its widget callbacks in ``lab.errors``; each test ends
by checking that list is empty. Runs are kept to a few dozen epochs on a few dozen points.
"""

from __future__ import annotations

import importlib.util
import os
import threading
import time

import matplotlib
import matplotlib.pyplot as plt
import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from nnfs_core import Dense, Dropout, Model, Sigmoid, spiral_data
from nnfs_core.labs import (
    BinaryLab,
    OptimizerLab,
    OptimizerRace,
    OptimizerSettings,
    RegressionLab,
    RegularizationLab,
    ScheduleExplorer,
    _core,
    training_process,
)
from nnfs_core.labs.training import BOOK_LEARNING_RATES, run_optimizer
from nnfs_core.plotting import lr_schedule, predict_classes, round_end

plt.switch_backend("Agg")

# ipympl's own Toolbar passes its canvas on to traitlets, which warns; nothing of ours.
pytestmark = pytest.mark.filterwarnings("ignore:Passing unrecognized arguments:DeprecationWarning")

SMALL = {"epochs": 40, "samples": 20}
#: For tests about what a lab computes rather than how it renders: with an ipympl canvas a
#: redraw is only requested (no frontend here), instead of rendering a PNG each time (about
#: 0.3 s for the optimizer lab's figure). A few tests below keep the PNG path on purpose.
QUICK = {"figure_mode": "ipympl"} if importlib.util.find_spec("ipympl") else {}


def needs_ipympl() -> None:
    # Not importorskip: importing ipympl switches matplotlib's backend, which FigureView undoes.
    if importlib.util.find_spec("ipympl") is None:
        pytest.skip("ipympl is not installed")


def healthy(lab) -> None:
    assert lab.errors == [], lab.errors
    assert getattr(lab, "failure", None) is None, lab.failure


def regions_from_snapshot(result, epoch, regions):
    """Recompute a region map independently: a fresh model with the snapshot's parameters."""
    model = result.rebuild()
    model.set_parameters(result.snapshot_at(epoch).parameters)
    return predict_classes(model, regions.grid).reshape(regions.shape)


# ---------------------------------------------------------------------------------------
# OptimizerLab (chapter 10)
# ---------------------------------------------------------------------------------------


@pytest.mark.ch10
def test_optimizer_lab_trains_on_creation_and_plots_the_history():
    lab = OptimizerLab(**SMALL)
    result = lab.result
    assert len(result.history) == 40 and not result.stopped
    assert lab.view.mode == "image"  # Agg: the figure is shown as a PNG
    assert bytes(lab.view.widget.value).startswith(b"\x89PNG")
    for key in ("loss", "accuracy", "learning_rate"):
        np.testing.assert_array_equal(lab.curves.lines[key].get_ydata(), result.history[key])
    np.testing.assert_array_equal(
        lab.regions.image.get_array(), regions_from_snapshot(result, 40, lab.regions)
    )
    (w1, _), (w2, _) = result.model.get_parameters()
    np.testing.assert_array_equal(lab.parameters.images["W1"].get_array(), w1)
    np.testing.assert_array_equal(lab.parameters.images["W2"].get_array(), w2.T)
    assert lab.scrubber.max == 40 and lab.scrubber.value == 40 and lab.shown_epoch == 40
    assert "trained in" in lab.status.value
    assert lab.progress.layout.visibility == "hidden" and lab.stop_button.disabled
    healthy(lab)


@pytest.mark.ch10
def test_changing_the_learning_rate_retrains_and_redraws_in_place():
    lab = OptimizerLab(**SMALL)
    figure, image, loss_line = lab.figure, lab.regions.image, lab.curves.lines["loss"]
    heat_map, png, renders = lab.parameters.images["W1"], lab.view.widget.value, lab.view.renders
    old_history, old_regions = lab.result.history, image.get_array().copy()

    lab.learning_rate.value = 0.2

    new_history = lab.result.history
    assert new_history.loss != old_history.loss
    assert new_history.learning_rate[0] == 0.2
    assert lab.figure is figure and lab.regions.image is image
    assert lab.curves.lines["loss"] is loss_line and lab.parameters.images["W1"] is heat_map
    np.testing.assert_array_equal(loss_line.get_ydata(), new_history.loss)
    assert not np.array_equal(image.get_array(), old_regions)
    assert lab.view.renders > renders and lab.view.widget.value != png
    assert len(figure.axes) == 1 + 8 + 3  # nothing was added
    healthy(lab)


@pytest.mark.ch10
def test_same_settings_twice_train_once():
    lab = OptimizerLab(**SMALL, **QUICK)
    first = lab.result
    assert (lab.trainings, lab.cache.misses, lab.cache.hits) == (1, 1, 0)
    lab.learning_rate.value = 0.2
    assert (lab.trainings, lab.cache.misses, lab.cache.hits) == (2, 2, 0)
    lab.learning_rate.value = 0.05  # back to the first settings
    assert (lab.trainings, lab.cache.misses, lab.cache.hits) == (2, 2, 1)
    assert lab.result is first
    assert "from the cache" in lab.status.value
    lab.train_button.click()  # pressing Train again is also a hit
    assert lab.trainings == 2 and lab.cache.hits == 2
    healthy(lab)


@pytest.mark.ch10
@pytest.mark.parametrize(
    ("name", "enabled"),
    [
        ("SGD", {"momentum"}),
        ("AdaGrad", {"epsilon"}),
        ("RMSProp", {"rho", "epsilon"}),
        ("Adam", {"beta_1", "beta_2", "epsilon"}),
    ],
)
def test_widgets_an_optimizer_does_not_read_are_disabled(name, enabled):
    start = "SGD" if name == "Adam" else "Adam"
    lab = OptimizerLab(optimizer=start, **SMALL, **QUICK)
    trainings = lab.trainings
    lab.optimizer.value = name
    for parameter in ("momentum", "rho", "beta_1", "beta_2", "epsilon"):
        assert getattr(lab, parameter).disabled is (parameter not in enabled), parameter
    assert lab.learning_rate.value == BOOK_LEARNING_RATES[name]
    assert lab.trainings == trainings + 1  # one run, not one per changed widget
    assert lab.result.settings.optimizer == name
    assert type(lab.result.model.optimizer).__name__.lower() == name.lower()
    # Moving a slider the optimizer ignores is not a new run.
    ignored = next(p for p in ("momentum", "rho", "beta_1") if p not in enabled)
    getattr(lab, ignored).value = 0.8
    assert lab.trainings == trainings + 1 and lab.cache.hits >= 1
    healthy(lab)


@pytest.mark.ch10
def test_scrubber_and_play_replay_the_snapshots():
    lab = OptimizerLab(max_snapshots=8, **SMALL, **QUICK)
    result = lab.result
    assert result.snapshot_every == 5 and lab.scrubber.step == 5
    assert [s.epoch for s in result.snapshots] == [0, 5, 10, 15, 20, 25, 30, 35, 40]
    image, figure = lab.regions.image, lab.figure

    lab.scrubber.value = 20
    snapshot = result.snapshot_at(20)
    assert lab.shown_epoch == 20 and snapshot.epoch == 20
    np.testing.assert_array_equal(image.get_array(), regions_from_snapshot(result, 20, lab.regions))
    np.testing.assert_array_equal(
        lab.parameters.images["W1"].get_array(), snapshot.parameters[0][0]
    )
    np.testing.assert_array_equal(lab.parameters.images["dW1"].get_array(), snapshot.updates[0][0])
    np.testing.assert_array_equal(lab.curves.lines["loss"].get_ydata(), result.history.loss[:20])
    assert "epoch 20" in lab.regions.ax.get_title()

    lab.scrubber.value = 23  # between snapshots: the one before
    assert lab.shown_epoch == 20
    lab.play.value = 35  # Play drives the scrubber
    assert lab.scrubber.value == 35 and lab.shown_epoch == 35
    lab.show_epoch(0)
    assert "initial weights" in lab.regions.ax.get_title()
    np.testing.assert_array_equal(
        lab.parameters.images["dW1"].get_array(), np.zeros_like(snapshot.updates[0][0])
    )
    assert lab.regions.image is image and lab.figure is figure
    assert lab.trainings == 1  # replay never retrains
    healthy(lab)


@pytest.mark.ch10
def test_snapshot_updates_are_the_steps_the_optimizer_took():
    result = run_optimizer(OptimizerSettings(epochs=12, samples=15), max_snapshots=12)
    assert [s.epoch for s in result.snapshots] == list(range(13))
    for previous, current in zip(result.snapshots, result.snapshots[1:]):
        for (w0, b0), (w1, b1), (dw, db) in zip(
            previous.parameters, current.parameters, current.updates
        ):
            np.testing.assert_array_equal(dw, w1 - w0)
            np.testing.assert_array_equal(db, b1 - b0)
    final = result.model.get_parameters()
    for (w, b), (sw, sb) in zip(final, result.snapshots[-1].parameters):
        np.testing.assert_array_equal(w, sw)
        np.testing.assert_array_equal(b, sb)


@pytest.mark.ch10
def test_run_is_plain_python_and_replays_the_books_random_stream():
    lab = OptimizerLab(autorun=False, **SMALL)
    assert lab.result is None and lab.trainings == 0
    settings = lab.settings
    a, b = lab.run(settings), lab.run(settings)
    assert a.history.loss == b.history.loss and lab.trainings == 0 and len(lab.cache) == 0

    # The same run by hand: one RandomState through data and layers, in the book's order.
    from nnfs_core import Adam, CategoricalAccuracy, CategoricalCrossentropy, ReLU, Softmax

    rng = np.random.RandomState(settings.seed)
    X, y = spiral_data(settings.samples, 3, rng=rng)
    model = Model()
    for layer in (Dense(2, 64, rng=rng), ReLU(), Dense(64, 3, rng=rng), Softmax()):
        model.add(layer)
    model.set(
        loss=CategoricalCrossentropy(),
        optimizer=Adam(learning_rate=0.05, decay=5e-7),
        accuracy=CategoricalAccuracy(),
    )
    model.finalize()
    history = model.train(X, y, epochs=settings.epochs, print_every=None)
    assert a.history.loss == history.loss
    np.testing.assert_array_equal(a.data["X"], X)
    healthy(lab)


@pytest.mark.ch10
def test_stop_button_stops_a_run_in_the_calling_thread():
    lab = OptimizerLab(epochs=3000, samples=10, autorun=False, background=False)

    def press_stop(change):
        if change["new"] >= 1:
            lab.stop_button.click()

    lab.progress.observe(press_stop, names="value")
    lab.train()
    result = lab.result
    assert result.stopped and 1 <= len(result.history) < 3000
    assert result.snapshots[-1].epoch == len(result.history)  # the stop epoch is kept
    assert len(lab.cache) == 0  # a cut-short run is not cached
    assert "stopped" in lab.status.value and lab.stop_button.disabled
    assert lab.scrubber.max == len(result.history)
    healthy(lab)


@pytest.mark.ch10
def test_stop_button_stops_a_background_run():
    lab = OptimizerLab(epochs=20000, samples=10, autorun=False, background=True)
    lab.train()
    assert lab.running and not lab.stop_button.disabled
    deadline = time.perf_counter() + 20
    while lab.progress.value < 5 and time.perf_counter() < deadline:
        time.sleep(0.01)
    lab.stop_button.click()
    lab.wait(timeout=20)
    assert not lab.running
    result = lab.result
    assert result is not None and result.stopped
    assert 5 <= len(result.history) < 20000
    assert "stopped" in lab.status.value
    healthy(lab)


@pytest.mark.ch10
def test_background_run_gives_the_same_result_as_the_calling_thread():
    lab = OptimizerLab(autorun=False, background=True, **SMALL)
    lab.train()
    lab.wait(timeout=30)
    assert lab.result.history.loss == run_optimizer(lab.settings).history.loss
    np.testing.assert_array_equal(lab.curves.lines["loss"].get_ydata(), lab.result.history.loss)
    healthy(lab)


@pytest.mark.ch10
def test_a_new_setting_during_a_background_run_replaces_it():
    lab = OptimizerLab(epochs=20000, samples=10, autorun=False, background=True)
    lab.train()
    lab.epochs.value = 30  # the long run is told to stop; the short one is shown
    lab.wait(timeout=30)
    time.sleep(0.05)
    assert lab.result.settings.epochs == 30 and len(lab.result.history) == 30
    assert not lab.result.stopped
    healthy(lab)


@pytest.mark.ch10
def test_progress_bar_and_live_curves_during_a_long_run(monkeypatch):
    needs_ipympl()  # redraws are only requested there, so this stays quick
    monkeypatch.setattr(_core, "PROGRESS_AFTER", 0.0)
    monkeypatch.setattr(_core, "LIVE_EVERY", 0.0)
    monkeypatch.setattr(_core, "POST_EVERY", 0.0)
    monkeypatch.setattr(_core, "LIVE_SHARE", 1.0)  # no pause after a live frame
    monkeypatch.setattr(_core._LiveClock, "next_at", 0.0)
    lab = OptimizerLab(autorun=False, epochs=30, samples=10, figure_mode="ipympl")
    seen = []
    lab.progress.layout.observe(lambda c: seen.append(c["new"]), names="visibility")
    values = []
    lab.progress.observe(lambda c: values.append(c["new"]), names="value")
    lab.train()
    assert "visible" in seen and lab.progress.layout.visibility == "hidden"
    assert lab.progress.max == 30 and values[-1] == 30 and values == sorted(values)
    assert lab.view.renders >= 30  # the curves were redrawn while training, then the result
    np.testing.assert_array_equal(lab.curves.lines["loss"].get_ydata(), lab.result.history.loss)
    healthy(lab)


def train_with_a_kernel_loop(lab) -> None:
    """Train ``lab`` with a tornado loop playing the kernel's main thread (callbacks, live
    frames, the final picture), the run in the lab's background thread. The loop runs on a
    thread of its own: a test session may have an asyncio loop running in this one."""
    from tornado.ioloop import IOLoop

    errors: list[BaseException] = []

    def run() -> None:
        try:
            loop = IOLoop(make_current=False)
            lab._loop, lab._deferred, lab.background = loop, True, True

            def poll() -> None:
                if lab.result is not None and not lab.running:
                    loop.stop()
                else:
                    loop.call_later(0.005, poll)

            loop.add_callback(lab.train)
            loop.call_later(0.005, poll)
            loop.start()
            loop.close()
        except BaseException as error:  # raised in the test's thread below
            errors.append(error)

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    thread.join(120)
    assert not thread.is_alive(), "the run did not end within 120 s"
    if errors:
        raise errors[0]


@pytest.mark.ch10
def test_each_run_in_a_kernel_shows_its_first_epoch_whatever_pause_came_before(monkeypatch):
    # A live frame ends with a pause before the next (LIVE_SHARE); a slider moved during
    # that pause starts a run whose first epoch must still be drawn at once: it is the
    # picture's first answer to the move.
    needs_ipympl()  # redraws are only requested there, so this stays quick
    monkeypatch.setattr(_core._LiveClock, "next_at", time.perf_counter() + 3600.0)
    lab = OptimizerLab(autorun=False, epochs=30, samples=10, figure_mode="ipympl")
    live = []
    original = lab.view.refresh

    def counted() -> None:
        live.append(lab.running)
        original()

    lab.view.refresh = counted
    train_with_a_kernel_loop(lab)
    assert live.count(True) == 1, live  # the first epoch's frame; the pause holds the rest
    assert live[-1] is False  # then the result
    healthy(lab)


@pytest.mark.ch10
def test_no_live_frame_when_the_final_picture_is_due_sooner():
    # A live frame drawn just before the end only delays the final picture.
    job = _core._Job(generation=1, total=1000)
    now = job.started + 1.0  # one second in
    assert _core._ends_within(job, 900, now, 0.25)  # 100 epochs left: 0.11 s
    assert not _core._ends_within(job, 500, now, 0.25)  # 1 s left
    assert not _core._ends_within(job, 0, now, 0.25)  # no pace yet


@pytest.mark.ch10
def test_in_a_kernel_runs_go_to_a_process_but_not_while_grading(monkeypatch):
    from tornado.ioloop import IOLoop

    loop = IOLoop(make_current=False)  # stands for the kernel's loop; never started
    monkeypatch.setattr(_core, "kernel_loop", lambda: loop)
    monkeypatch.delenv("NNFS_GRADING", raising=False)
    assert OptimizerLab(autorun=False).processes is training_process.available()
    assert not OptimizerLab(autorun=False, processes=False).processes
    monkeypatch.setenv("NNFS_GRADING", "1")  # the grading sandbox: nobody watches
    assert not OptimizerLab(autorun=False).processes
    loop.close()


def process_lab(monkeypatch, **settings):
    """An OptimizerLab whose background runs go to a process, and the list of those runs."""
    runs = []
    original = training_process.run

    def counted(*args, **kwargs):
        runs.append(args[1])
        return original(*args, **kwargs)

    monkeypatch.setattr(training_process, "run", counted)
    lab = OptimizerLab(autorun=False, background=True, processes=True, **settings)
    assert lab.processes and training_process.ready(timeout=60), "no fork server"
    return lab, runs


@pytest.mark.ch10
def test_a_run_in_a_process_of_its_own_is_the_run_in_this_one(monkeypatch):
    # In a kernel the labs train in a child process, so that live frames and training do
    # not take turns with Python's lock: the result must be the same, to the last bit.
    lab, runs = process_lab(monkeypatch, epochs=120, samples=30, optimizer="RMSProp")
    lab.train()
    lab.wait(timeout=60)
    healthy(lab)
    assert runs == [lab.settings] and lab.trainings == 1
    here = lab.run(lab.settings)
    assert lab.result.history.to_dict() == here.history.to_dict()
    assert [s.epoch for s in lab.result.snapshots] == [s.epoch for s in here.snapshots]
    for there, mine in zip(lab.result.snapshots, here.snapshots, strict=True):
        for (w1, b1), (w2, b2) in zip(there.parameters, mine.parameters, strict=True):
            np.testing.assert_array_equal(w1, w2)
            np.testing.assert_array_equal(b1, b2)
    assert (
        lab.result.model.get_parameters()[0][0].tolist()
        == here.model.get_parameters()[0][0].tolist()
    )
    assert lab.cache.lookup(lab.settings.key())[0]


@pytest.mark.ch10
def test_stop_ends_a_run_in_its_process_and_leaves_no_process(monkeypatch):
    import multiprocessing

    lab, runs = process_lab(monkeypatch, epochs=10_000, samples=30, figure_mode="ipympl")
    progress = []
    lab.progress.observe(lambda change: progress.append(change["new"]), names="value")
    lab.train()
    deadline = time.perf_counter() + 60
    while not any(value > 1 for value in progress) and time.perf_counter() < deadline:
        time.sleep(0.01)  # progress comes from the child's messages
    lab.stop()
    lab.wait(timeout=60)
    assert runs and lab.result is not None and lab.result.stopped, lab.result
    assert 1 < lab.result.epochs_done < 10_000
    assert multiprocessing.active_children() == []
    assert not lab.cache.lookup(lab.settings.key())[0]  # a stopped run is not cached
    healthy(lab)


def die_at_once(settings, **_):
    """A run function whose process ends without a word (as a crash or a kill would)."""
    os._exit(3)


@pytest.mark.ch10
def test_a_run_that_fails_in_its_process_raises_here_what_happened_there():
    import multiprocessing

    training_process.warm_up()
    assert training_process.ready(timeout=60)
    with pytest.raises(AttributeError, match="seed"):  # the child's own exception
        training_process.run(run_optimizer, "not settings", max_snapshots=5)
    with pytest.raises(RuntimeError, match=r"ended without a result \(exit code 3\)"):
        training_process.run(die_at_once, None, max_snapshots=5)
    assert multiprocessing.active_children() == []


@pytest.mark.ch10
def test_a_failed_run_is_reported_not_raised(monkeypatch):
    lab = OptimizerLab(**SMALL)

    def diverge(self, unit, callback, live=None, stopped=None):
        raise FloatingPointError("Model.train: training diverged at epoch 3")

    monkeypatch.setattr(OptimizerLab, "_run_unit", diverge)
    lab.learning_rate.value = 0.3
    assert isinstance(lab.failure, FloatingPointError)
    assert "diverged" in lab.status.value and lab.stop_button.disabled
    assert lab.errors == []  # an expected failure, not a bug in a callback


@pytest.mark.ch10
def test_callbacks_raise_nothing_and_record_what_would_have_escaped():
    lab = OptimizerLab(**SMALL, **QUICK)
    # Invoked directly, the handlers behind the widgets raise nothing.
    lab._safely(lab._on_setting)({"name": "value", "new": 0.05})
    lab._safely(lab._on_scrub)({"name": "value", "new": 10})
    lab._safely(lab._on_stop)(None)
    healthy(lab)
    # And if one did fail, the lab would show it and keep it instead of breaking.
    lab._safely(lambda: 1 / 0)()
    assert isinstance(lab.errors[-1], ZeroDivisionError)
    assert "ZeroDivisionError" in lab.status.value


@pytest.mark.ch10
def test_lab_displays_as_its_widget():
    lab = OptimizerLab(**SMALL, **QUICK)
    bundle = lab._repr_mimebundle_()
    view = bundle["application/vnd.jupyter.widget-view+json"]
    assert view["model_id"] == lab.widget.model_id
    children = lab.widget.children
    assert lab.title in children and lab.help in children and lab.view.widget in children
    assert lab.title.value and lab.help.value
    assert lab.learning_rate.continuous_update is False
    assert lab.epochs.continuous_update is False
    with pytest.raises(TypeError, match="unknown setting"):
        OptimizerLab(learning_rates=0.1)


@pytest.mark.ch10
def test_ipympl_canvas_is_the_widget_and_is_redrawn_in_place(monkeypatch):
    needs_ipympl()
    import ipywidgets

    # No live frame (whether one is due depends on when the tests before drew theirs):
    # one run, one redraw.
    monkeypatch.setattr(_core._LiveClock, "next_at", time.perf_counter() + 3600.0)
    lab = OptimizerLab(figure_mode="ipympl", **SMALL)
    assert lab.view.mode == "ipympl"
    assert lab.view.widget is lab.figure.canvas
    assert isinstance(lab.view.widget, ipywidgets.DOMWidget)
    figure, renders = lab.figure, lab.view.renders
    lab.learning_rate.value = 0.2
    assert lab.figure is figure and lab.view.renders == renders + 1
    assert lab.scrubber.continuous_update is True  # cheap redraws: follow the drag
    assert matplotlib.get_backend().lower() == "agg"  # importing ipympl changed nothing
    healthy(lab)


@pytest.mark.ch10
def test_stop_reaches_a_run_inside_a_real_kernel(tmp_path):
    """In a Jupyter kernel the run is in a thread, so Stop (a comm message) is heard."""
    manager_module = pytest.importorskip("jupyter_client.manager")
    pytest.importorskip("ipykernel")
    from autograder.sandbox import ipc_transport  # Unix sockets: no port race with other workers

    manager = manager_module.KernelManager(kernel_name="python3", **ipc_transport(str(tmp_path)))
    manager.start_kernel()
    client = manager.client()
    client.start_channels()
    client.wait_for_ready(timeout=60)
    try:

        def run(code: str) -> str:
            reply = client.execute_interactive(code, timeout=60, output_hook=outputs.append)
            assert reply["content"]["status"] == "ok", reply["content"]
            texts = [m["content"].get("text", "") for m in outputs if m["msg_type"] == "stream"]
            outputs.clear()
            return "".join(texts)

        outputs: list = []
        run(
            "import os; os.environ['OPENBLAS_NUM_THREADS'] = '1'\n"
            "from nnfs_core.labs import OptimizerLab\n"
            "lab = OptimizerLab(epochs=20000, samples=10)\n"
            "print(lab.background, lab.running)"
        )
        deadline = time.perf_counter() + 30
        while time.perf_counter() < deadline:
            if int(run("print(lab.progress.value)").strip()) >= 20:
                break
            time.sleep(0.1)
        model_id = run("print(lab.stop_button.model_id)").strip()
        click = {"method": "custom", "content": {"event": "click"}}
        client.shell_channel.send(
            client.session.msg("comm_msg", {"comm_id": model_id, "data": click})
        )
        deadline = time.perf_counter() + 30
        state = ""
        while time.perf_counter() < deadline:
            state = run(
                "print(lab.running, lab.result is not None and lab.result.stopped, "
                "lab.result is not None and len(lab.result.history), lab.errors)"
            ).split()
            if state[0] == "False":
                break
            time.sleep(0.1)
        assert state[:2] == ["False", "True"], state
        assert 20 <= int(state[2]) < 20000
        assert state[3] == "[]"
    finally:
        client.stop_channels()
        manager.shutdown_kernel(now=True)


# ---------------------------------------------------------------------------------------
# ScheduleExplorer (chapter 10)
# ---------------------------------------------------------------------------------------


@pytest.mark.ch10
def test_schedule_line_is_the_decay_formula_exactly():
    lab = ScheduleExplorer(steps=1000)
    line = lab.current.line
    assert lab.learning_rate.continuous_update and lab.decay.continuous_update
    lab.learning_rate.value = 0.5
    lab.decay.value = 0.01
    lr, decay = lab.learning_rate.value, lab.decay.value
    assert line.get_ydata().tolist() == [lr / (1.0 + decay * t) for t in range(1000)]
    assert lab.current.line is line
    assert lab.half_line.get_xdata()[0] == pytest.approx(100.0) and lab.half_line.get_visible()
    lab.steps.value = 100
    assert len(line.get_xdata()) == 100 and lab.ax.get_xlim() == (0.0, 99.0)
    assert "halves at step 100" in lab.status.value
    healthy(lab)


@pytest.mark.ch10
def test_schedule_matches_the_learning_rate_a_real_run_used():
    result = run_optimizer(
        OptimizerSettings(optimizer="SGD", learning_rate=1.0, decay=0.01, epochs=50, samples=10)
    )
    lab = ScheduleExplorer(learning_rate=1.0, decay=0.01, steps=100)
    # Epoch e's step is step t = e - 1: it uses lr / (1 + decay * (e - 1)).
    assert result.history.learning_rate == lab.current.line.get_ydata()[:50].tolist()


@pytest.mark.ch10
def test_pinned_schedules_stay_while_the_current_one_moves():
    lab = ScheduleExplorer(learning_rate=1.0, decay=1e-3, steps=1000)
    pinned = lab.pin()
    lab.decay.value = 1e-2
    second = lab.pin_button.click() or lab.pinned[-1]
    lab.learning_rate.value = 0.3
    assert len(lab.pinned) == 2 and len(lab.ax.get_lines()) == 2 + 2  # current, half, 2 pinned
    np.testing.assert_array_equal(pinned.line.get_ydata(), lr_schedule(1.0, 1e-3, 1000))
    np.testing.assert_array_equal(second.line.get_ydata(), lr_schedule(1.0, 1e-2, 1000))
    assert [t.get_text() for t in lab.ax.get_legend().get_texts()] == [
        "lr=1, decay=0.001",
        "lr=1, decay=0.01",
    ]
    lab.steps.value = 100  # pinned curves follow the number of steps
    assert len(pinned.line.get_ydata()) == 100
    lab.log_scale.value = True
    assert lab.ax.get_yscale() == "log"
    lab.clear_button.click()
    assert lab.pinned == [] and len(lab.ax.get_lines()) == 2 and lab.ax.get_legend() is None
    healthy(lab)


@pytest.mark.ch10
def test_schedule_axis_ends_on_round_numbers_and_keeps_its_frame_while_the_rate_moves():
    # Limits fitted to each curve (1.05 lr) made every learning rate look the same and drew
    # the axes' frame again at every step; rounded ends keep it for a third of a decade.
    lab = ScheduleExplorer(learning_rate=1.0, decay=1e-3, steps=1000, figure_mode="image")
    frames = lab.view.frames
    assert lab.ax.get_ylim() == (0.0, 2.0)  # 1.05 rounds up to 2
    drawn = (frames.backgrounds, frames.patched)
    for lr in (0.9, 0.8, 0.7, 0.6, 0.5):
        lab.learning_rate.value = lr
        assert lab.ax.get_ylim() == (0.0, 1.0), lr
    lab.decay.value = 1e-2
    # One patch (2 -> 1 at lr 0.9); the four moves after it and the decay reuse the frame.
    assert (frames.backgrounds, frames.patched) == (drawn[0], drawn[1] + 1)
    assert frames.reused == 5, frames.reused
    lab.learning_rate.value = 0.4
    assert lab.ax.get_ylim() == (0.0, 0.5)
    lab.log_scale.value = True
    low = 0.4 / (1 + 1e-2 * 999)  # 0.0364: the curve's last value
    assert lab.ax.get_ylim() == pytest.approx((0.02, 0.5))
    assert lab.ax.get_ylim()[0] < low and lab.current.line.get_ydata().max() < 0.5
    healthy(lab)


@given(st.floats(min_value=1e-12, max_value=1e12))
def test_round_ends_are_the_nearest_1_2_5_numbers_around_a_value(value):
    up, down = round_end(value, up=True), round_end(value, up=False)
    for end in (up, down):
        mantissa = end / 10.0 ** np.floor(np.log10(end) + 1e-9)
        assert min(abs(mantissa - m) for m in (1.0, 2.0, 5.0)) < 1e-6, end
    assert down <= value * (1 + 1e-9) and up >= value * (1 - 1e-9)
    assert up <= 2.5 * value and down >= value / 2.5  # 1-2-5: at most 2.5 apart


# ---------------------------------------------------------------------------------------
# OptimizerRace (chapter 10)
# ---------------------------------------------------------------------------------------


@pytest.mark.ch10
def test_race_starts_every_optimizer_from_the_same_data_and_weights():
    lab = OptimizerRace(epochs=20, samples=15, **QUICK)
    runs = lab.result.runs
    assert list(runs) == ["SGD", "AdaGrad", "RMSProp", "Adam"]
    first = runs["SGD"]
    for run in runs.values():
        np.testing.assert_array_equal(run.data["X"], first.data["X"])
        for (w, b), (w0, b0) in zip(run.snapshots[0].parameters, first.snapshots[0].parameters):
            np.testing.assert_array_equal(w, w0)
            np.testing.assert_array_equal(b, b0)
        name = run.settings.optimizer
        np.testing.assert_array_equal(lab.curves[name].lines["loss"].get_ydata(), run.history.loss)
        np.testing.assert_array_equal(
            lab.regions[name].image.get_array(),
            regions_from_snapshot(run, 20, lab.regions[name]),
        )
    assert len({tuple(run.history.loss) for run in runs.values()}) == 4
    healthy(lab)


@pytest.mark.ch10
def test_race_trains_only_what_changed():
    lab = OptimizerRace(epochs=20, samples=15, **QUICK)
    assert lab.trainings == 4
    lines = lab.curves["AdaGrad"].lines["loss"]
    lab.enabled["AdaGrad"].value = False
    assert lab.trainings == 4  # the other three come from the cache
    assert "AdaGrad" not in lab.result.runs and not lines.get_visible()
    assert not lab.regions["AdaGrad"].image.get_visible()
    assert "off" in lab.regions["AdaGrad"].ax.get_title()
    lab.use_adagrad.value = True
    assert (
        lab.trainings == 4 and lines.get_visible() and lab.curves["AdaGrad"].lines["loss"] is lines
    )
    adam_before = lab.result.runs["Adam"]
    lab.learning_rates["Adam"].value = 0.01
    assert lab.trainings == 5
    assert lab.result.runs["Adam"] is not adam_before
    assert lab.result.runs["Adam"].history.learning_rate[0] == 0.01
    healthy(lab)


@pytest.mark.ch10
def test_race_with_nothing_ticked_shows_nothing_and_says_so():
    lab = OptimizerRace(
        epochs=20,
        samples=15,
        use_sgd=False,
        use_adagrad=False,
        use_rmsprop=False,
        use_adam=True,
        **QUICK,
    )
    lab.use_adam.value = False
    assert lab.result.runs == {} and "Tick at least one" in lab.status.value
    healthy(lab)


# ---------------------------------------------------------------------------------------
# RegularizationLab (chapters 14 and 15)
# ---------------------------------------------------------------------------------------


@pytest.mark.ch14
@pytest.mark.ch15
def test_regularization_defaults_are_the_books_model_trained_shorter():
    lab = RegularizationLab(autorun=False)
    s = lab.settings
    assert (s.weight_l2, s.bias_l2, s.weight_l1, s.bias_l1) == (5e-4, 5e-4, 0.0, 0.0)
    assert (s.dropout, s.hidden, s.learning_rate, s.decay) == (0.1, 64, 0.05, 5e-5)
    assert s.samples < 1000 and s.epochs < 10001
    assert RegularizationLab.book_settings == {"samples": 1000, "epochs": 10001}
    assert "epochs=10001" in lab.help.value


@pytest.mark.ch14
@pytest.mark.ch15
def test_regularization_lab_shows_training_against_validation():
    lab = RegularizationLab(**SMALL)
    result, history = lab.result, lab.result.history
    assert len(history.val_loss) == 40
    for key in ("loss", "val_loss", "accuracy", "val_accuracy", "regularization_loss"):
        np.testing.assert_array_equal(lab.curves.lines[key].get_ydata(), history[key])
    np.testing.assert_array_equal(lab.train_regions.train_points.get_offsets(), result.data["X"])
    np.testing.assert_array_equal(lab.val_regions.train_points.get_offsets(), result.data["X_val"])
    np.testing.assert_array_equal(
        lab.val_regions.image.get_array(), lab.train_regions.image.get_array()
    )
    layers = [type(layer) for layer in result.model.layers]
    assert Dropout in layers
    assert "validation acc" in lab.status.value and "gap" in lab.status.value
    healthy(lab)


@pytest.mark.ch14
def test_penalties_enter_the_loss_and_zero_penalties_leave_it_out():
    lab = RegularizationLab(**SMALL, **QUICK)
    with_l2 = lab.result.history
    assert all(value > 0 for value in with_l2.regularization_loss)
    lab._batching = True
    lab.weight_l2.value = 0.0
    lab._batching = False
    lab.bias_l2.value = 0.0
    without = lab.result.history
    assert without.regularization_loss == [0.0] * 40
    assert without.loss == without.data_loss
    lab.weight_l1.value = 1e-3
    assert all(value > 0 for value in lab.result.history.regularization_loss)
    healthy(lab)


@pytest.mark.ch15
def test_dropout_rate_changes_the_run_and_zero_removes_the_layer():
    lab = RegularizationLab(**SMALL, **QUICK)
    with_dropout = lab.result.history.loss
    image, figure = lab.val_regions.image, lab.figure
    lab.dropout.value = 0.0
    assert lab.result.history.loss != with_dropout
    assert Dropout not in [type(layer) for layer in lab.result.model.layers]
    assert lab.val_regions.image is image and lab.figure is figure
    healthy(lab)


# ---------------------------------------------------------------------------------------
# BinaryLab (chapter 16)
# ---------------------------------------------------------------------------------------


@pytest.mark.ch16
def test_binary_lab_is_chapter_16s_model():
    lab = BinaryLab(**SMALL)
    result = lab.result
    model = result.model
    assert isinstance(model.layers[-1], Sigmoid) and model.layers[-2].n_neurons == 1
    assert type(model.loss).__name__ == "BinaryCrossentropy"
    assert result.data["y"].shape == (40, 1) and set(np.unique(result.data["y"])) == {0, 1}
    assert set(np.unique(lab.regions.image.get_array())) <= {0, 1}
    np.testing.assert_array_equal(lab.curves.lines["val_loss"].get_ydata(), result.history.val_loss)
    healthy(lab)


@pytest.mark.ch16
def test_binary_lab_shows_the_probability_without_retraining():
    lab = BinaryLab(**SMALL, **QUICK)
    image, trainings = lab.regions.image, lab.trainings
    lab.show_probability.value = True
    assert lab.trainings == trainings and lab.regions.image is image
    p = lab.result.model.predict(lab.regions.grid).reshape(lab.regions.shape)
    np.testing.assert_array_equal(image.get_array(), p)
    assert 0.0 < p.min() and p.max() < 1.0
    lab.show_probability.value = False
    np.testing.assert_array_equal(image.get_array(), (p > 0.5).astype(int))
    healthy(lab)


# ---------------------------------------------------------------------------------------
# RegressionLab (chapter 17)
# ---------------------------------------------------------------------------------------


@pytest.mark.ch17
def test_regression_lab_draws_the_models_curve():
    lab = RegressionLab(epochs=30, samples=50)
    result = lab.result
    line = lab.fit.model_line
    np.testing.assert_array_equal(line.get_ydata(), result.model.predict(result.data["X"]).ravel())
    np.testing.assert_array_equal(lab.fit.data_line.get_ydata(), result.data["y"].ravel())
    lab.scrubber.value = 0
    assert lab.fit.model_line is line
    np.testing.assert_array_equal(
        line.get_ydata(), result.model_at(0).predict(result.data["X"]).ravel()
    )
    lab.samples.value = 80
    assert len(line.get_ydata()) == 80 and lab.fit.model_line is line
    healthy(lab)


@pytest.mark.ch17
def test_initial_weight_scale_is_the_books_lesson():
    lab = RegressionLab(weight_scale=0.1, epochs=300, samples=100, **QUICK)
    fitted = lab.result
    lab.weight_scale.value = 0.01
    stuck = lab.result
    (w_fit, _), *_ = fitted.snapshots[0].parameters
    (w_stuck, _), *_ = stuck.snapshots[0].parameters
    np.testing.assert_allclose(w_fit, 10 * w_stuck)  # same draws, ten times the scale
    assert fitted.history.loss[-1] < stuck.history.loss[-1] / 10
    assert "0.01" in lab.fit.ax.get_title()
    healthy(lab)


@pytest.mark.ch17
def test_snapshots_of_wide_layers_stay_within_the_memory_budget():
    from nnfs_core.labs.training import SNAPSHOT_BUDGET, RegressionSettings, run_regression

    result = run_regression(RegressionSettings(hidden=512, epochs=20, samples=20))
    size = sum(
        w.nbytes + b.nbytes
        for snapshot in result.snapshots
        for pairs in (snapshot.parameters, snapshot.updates or ())
        for w, b in pairs
    )
    assert size <= SNAPSHOT_BUDGET + 2 * 2**20  # plus the final, off-interval snapshot
    assert result.snapshots[0].epoch == 0 and result.snapshots[-1].epoch == 20


# --------------------------------------------------------------------------------------------
# Issue 17: one thread draws, full frames, round log values, scrubber in one message
# --------------------------------------------------------------------------------------------


class RecordingLoop:
    """Stands for the kernel's event loop: keeps the callbacks until the test runs them."""

    def __init__(self) -> None:
        self.callbacks: list = []

    def add_callback(self, function, *args) -> None:
        self.callbacks.append((function, args))

    def run(self) -> int:
        ran = 0
        while self.callbacks:
            function, args = self.callbacks.pop(0)
            function(*args)
            ran += 1
        return ran


@pytest.mark.ch10
def test_a_burst_of_scrubber_moves_costs_one_render_of_the_last_position():
    lab = OptimizerLab(**SMALL, figure_mode="image")
    loop = RecordingLoop()
    lab._loop, lab._deferred = loop, True  # as inside a kernel
    renders = lab.view.renders
    for epoch in (5, 10, 15, 20, 25):
        lab.scrubber.value = epoch  # what the widget thread does as messages arrive
    assert lab.view.renders == renders, "a widget callback drew outside the main thread"
    assert loop.run() == 1
    assert lab.view.renders == renders + 1 and lab.shown_epoch == 25
    # The page's picture is the figure as it is now, rendered whole.
    assert bytes(lab.view.widget.value) == lab.view.render_png()
    healthy(lab)


@pytest.mark.ch10
@pytest.mark.parametrize("epochs", [60, 20])  # a wider range, then a narrower one
def test_the_scrubbers_range_reaches_the_page_before_its_value(epochs):
    """The browser applies a message's keys in the order they were written. A value applied
    before its wider range is clamped by the page's slider (the handle at 0 while the
    kernel shows the last epoch, arrow keys ignored); a step or range sent alone moves the
    page's old value onto the new grid and the page sends it back. So the new range, step
    and value travel in one message, range first, for the scrubber and the Play button."""
    lab = OptimizerLab(max_snapshots=8, **SMALL, **QUICK)  # so that the step changes too
    sent = {"scrubber": [], "play": []}
    for name in sent:
        widget = getattr(lab, name)
        original = widget._send  # what goes on the wire, in the order the page applies it

        def send(msg, buffers=None, original=original, log=sent[name]):
            log.append(list(msg.get("state", {})))
            return original(msg, buffers=buffers)

        widget._send = send
    before = lab.scrubber.step
    lab.epochs.value = epochs
    assert lab.scrubber.max == epochs and lab.scrubber.value == epochs
    assert lab.scrubber.step != before
    for name, messages in sent.items():
        moving = [keys for keys in messages if {"max", "step", "value"} & set(keys)]
        assert moving == [["max", "step", "value"]], (name, messages)
    healthy(lab)


@pytest.mark.ch10
@pytest.mark.parametrize(
    ("exponent", "expected"),
    [(-6.3, 5e-7), (-2.0, 1e-2), (-1.7, 0.02), (-1.3, 0.05), (-3.0, 1e-3), (-0.95, 10**-0.95)],
)
def test_log_slider_positions_near_round_numbers_become_them(exponent, expected):
    slider = _core.log_slider("decay", 1e-3, -7, 0)
    slider.value = 10**exponent
    assert slider.value == expected
    # Typed values that are not near a two-digit number stay as typed.
    slider.value = 0.0123
    assert slider.value == 0.0123


@pytest.mark.ch10
def test_log_slider_keyboard_steps_reach_the_values_the_notebooks_ask_for():
    slider = _core.log_slider("decay", 1e-3, -7, 0)
    grid = {_core.round_log_value(10 ** (-7 + k * slider.step)) for k in range(141)}
    assert {5e-7, 1e-6, 1e-5, 1e-4, 5e-4, 1e-3, 1e-2, 0.02, 0.05, 0.1, 1.0} <= grid


@pytest.mark.ch10
def test_lab_shows_a_hint_before_its_widget(monkeypatch):
    import IPython.display

    shown = []
    monkeypatch.setattr(IPython.display, "display", lambda obj, **kw: shown.append((obj, kw)))
    lab = ScheduleExplorer(figure_mode="image")
    lab.display()
    (hint, raw), (widget, _) = shown
    assert raw == {"raw": True} and "Run this cell again" in hint["text/plain"]
    assert "nnfs-lab-gone" in hint["text/html"] and "display:none" in hint["text/html"]
    assert widget is lab.widget and _core.LAB_CLASS in lab.widget._dom_classes
