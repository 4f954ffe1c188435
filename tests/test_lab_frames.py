"""A lab's quick frames are the full draw's pixels (issue 17): ``nnfs_core.labs.frames``.

The labs redraw only their axes' content over a kept background (``AggFrames``). Whatever
a person does (scrubbing, retraining with settings that move the axes' limits, switching
panels off, pinning curves), the PNG the lab sends must equal, pixel for pixel, what
``figure.savefig`` gives for the figure at that moment; the browser tests compare the page
with the same ``savefig``. The tests also make sure that the quick path is the one taken
(a test that only ever saw full draws would prove nothing).
"""

from __future__ import annotations

import io

import matplotlib
import numpy as np
import pytest
from matplotlib.figure import Figure
from PIL import Image

from nnfs_core.labs import (
    BinaryLab,
    OptimizerLab,
    OptimizerRace,
    RegressionLab,
    RegularizationLab,
    ScheduleExplorer,
)
from nnfs_core.labs.frames import AggFrames

matplotlib.use("Agg")

SMALL = {"epochs": 60, "samples": 20}


def pixels(png: bytes) -> np.ndarray:
    return np.asarray(Image.open(io.BytesIO(png)).convert("RGB"), dtype=np.int16)


def full_draw(figure: Figure) -> np.ndarray:
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", dpi=figure.dpi)
    return pixels(buffer.getvalue())


def canvas_pixels(figure: Figure) -> np.ndarray:
    return np.asarray(figure.canvas.buffer_rgba())[..., :3].astype(np.int16)


def assert_shows_the_full_draw(lab, what: str) -> None:
    assert lab.errors == [], lab.errors
    shown, full = pixels(lab.view.widget.value), full_draw(lab.figure)
    assert shown.shape == full.shape, what
    differ = np.abs(shown - full).max(axis=2) > 0
    assert not differ.any(), (
        f"after {what}: {int(differ.sum())} pixels differ from a full draw, rows "
        f"{np.nonzero(differ)[0].min()}-{np.nonzero(differ)[0].max()}"
    )


def scrub(lab, fractions=(0.0, 0.5, 1.0, 0.1, 0.9)):
    last = lab.scrubber.max
    return [
        (
            f"scrubbing to {round(f * last)}",
            lambda f=f: setattr(lab.scrubber, "value", round(f * last)),
        )
        for f in fractions
    ]


def optimizer_actions(lab):
    return [
        *scrub(lab),
        ("a larger learning rate", lambda: setattr(lab.learning_rate, "value", 0.5)),
        *scrub(lab, (0.3, 1.0)),
        ("SGD", lambda: setattr(lab.optimizer, "value", "SGD")),
        ("a wider layer", lambda: setattr(lab.hidden, "value", 16)),
        *scrub(lab, (0.0, 0.7)),
        ("more epochs", lambda: setattr(lab.epochs, "value", 120)),
        *scrub(lab, (0.2, 1.0)),
    ]


def binary_actions(lab):
    return [
        *scrub(lab),
        ("probability shading", lambda: setattr(lab.show_probability, "value", True)),
        *scrub(lab, (0.4, 1.0)),
        ("a smaller learning rate", lambda: setattr(lab.learning_rate, "value", 0.01)),
        *scrub(lab, (0.0, 0.6)),
    ]


def regularization_actions(lab):
    return [
        *scrub(lab),
        ("dropout", lambda: setattr(lab.dropout, "value", 0.3)),
        *scrub(lab, (0.0, 1.0, 0.5)),
    ]


def regression_actions(lab):
    return [
        *scrub(lab),
        ("another initial weight scale", lambda: setattr(lab.weight_scale, "value", 1.0)),
        *scrub(lab, (0.0, 1.0, 0.5)),
    ]


def race_actions(lab):
    return [
        ("Adam off", lambda: setattr(lab.enabled["Adam"], "value", False)),
        ("SGD momentum", lambda: setattr(lab.sgd_momentum, "value", 0.5)),
        ("Adam on", lambda: setattr(lab.enabled["Adam"], "value", True)),
        ("more epochs", lambda: setattr(lab.epochs, "value", 90)),
    ]


def schedule_actions(lab):
    return [
        ("decay", lambda: setattr(lab.decay, "value", 1e-2)),
        ("learning rate", lambda: setattr(lab.learning_rate, "value", 0.5)),
        ("pin", lab.pin),
        ("decay again", lambda: setattr(lab.decay, "value", 5e-7)),
        ("fewer steps", lambda: setattr(lab.steps, "value", 1000)),
        ("log scale", lambda: setattr(lab.log_scale, "value", True)),
        ("clear pinned", lab.clear),
        ("decay once more", lambda: setattr(lab.decay, "value", 1e-4)),
    ]


LABS = [
    pytest.param(OptimizerLab, SMALL, optimizer_actions, marks=pytest.mark.ch10, id="optimizer"),
    pytest.param(OptimizerRace, SMALL, race_actions, marks=pytest.mark.ch10, id="race"),
    pytest.param(
        RegularizationLab,
        SMALL,
        regularization_actions,
        marks=pytest.mark.ch14,
        id="regularization",
    ),
    pytest.param(BinaryLab, SMALL, binary_actions, marks=pytest.mark.ch16, id="binary"),
    pytest.param(
        RegressionLab,
        {"epochs": 60, "samples": 40},
        regression_actions,
        marks=pytest.mark.ch17,
        id="regression",
    ),
    pytest.param(ScheduleExplorer, {}, schedule_actions, marks=pytest.mark.ch10, id="schedule"),
]


@pytest.mark.slow
@pytest.mark.parametrize(("cls", "settings", "actions"), LABS)
def test_every_frame_a_lab_sends_is_the_full_draw(cls, settings, actions):
    lab = cls(**settings)
    assert_shows_the_full_draw(lab, "creating the lab")
    for what, act in actions(lab):
        act()
        assert_shows_the_full_draw(lab, what)
    frames = lab.view.frames
    assert frames.full_draws == 0, "a lab's figure fell back to full draws"
    if getattr(lab, "replay", False):
        # Scrubbing reuses the background; only changes of limits redraw it.
        assert frames.reused > frames.backgrounds, (frames.reused, frames.backgrounds)


# -- the scheme on figures made for the purpose ------------------------------------------


def two_axes_figure():
    figure = Figure(figsize=(5, 3), dpi=80)
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    FigureCanvasAgg(figure)
    left, right = figure.subplots(1, 2, gridspec_kw={"wspace": 0.6})
    image = left.imshow(np.zeros((4, 4)), vmin=-1, vmax=1, cmap="RdBu")
    left.scatter([0, 1, 2], [1, 2, 3], zorder=2)
    (line,) = right.plot(np.arange(10), np.arange(10) ** 0.5, label="curve")
    right.grid(True)
    right.legend(loc="best")
    return figure, left, right, image, line


def test_quick_frames_follow_every_kind_of_change_exactly():
    figure, left, right, image, line = two_axes_figure()
    frames = AggFrames(figure)
    rng = np.random.default_rng(0)
    changes = [
        ("new image values", lambda: image.set_data(rng.uniform(-1, 1, (4, 4)))),
        ("a title", lambda: left.set_title("gjpqy")),
        # Reaches over the right panel's frame, which a full draw paints over it.
        ("a title too long", lambda: left.set_title("a title with descenders: gjpqy, long")),
        ("a short title again", lambda: left.set_title("short")),
        ("new line data", lambda: line.set_ydata(rng.uniform(0, 3, 10))),
        ("new limits", lambda: right.set_ylim(-1, 5)),
        ("fixed ticks", lambda: right.set_xticks([0, 3, 9])),
        ("tick labels", lambda: right.set_xticklabels(["a", "b", "c"])),
        ("an axis label", lambda: right.set_xlabel("epoch")),
        ("a hidden line", lambda: line.set_visible(False)),
        ("a log scale", lambda: right.set_yscale("log")),
        ("the line back", lambda: line.set_visible(True)),
        ("a right title", lambda: right.set_title("right", loc="right")),
    ]
    for what, change in changes:
        change()
        frames.draw()
        quick = canvas_pixels(figure)
        assert np.array_equal(quick, full_draw(figure)), what
    assert frames.full_draws == 1, "only the frame with the long title is drawn in full"
    assert frames.reused >= 6, frames.reused
    # Limits, ticks, labels and scales of the right panel: only its frame drawn again.
    assert (frames.backgrounds, frames.patched) == (1, 5), (frames.backgrounds, frames.patched)


def test_changed_limits_redraw_only_those_axes_frames_exactly():
    # Three panels whose tick labels share the gaps between them (the first and second
    # panels' y tick labels face each other): tick labels that grow with their limits
    # paint over their neighbour's, so a patch must draw that neighbour's frame too, in
    # the full draw's order.
    figure = Figure(figsize=(7, 3), dpi=80)
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    FigureCanvasAgg(figure)
    panels = figure.subplots(1, 3, gridspec_kw={"wspace": 0.45})
    for number, ax in enumerate(panels):
        ax.plot(np.arange(20), np.sin(np.arange(20) / (number + 2)))
        ax.grid(True)
        ax.set_title(f"panel {number}")
        ax.ticklabel_format(style="plain", useOffset=False)  # long labels: 1000000
    panels[0].yaxis.tick_right()
    frames = AggFrames(figure)
    frames.draw()
    rng = np.random.default_rng(7)
    for step in range(24):
        ax = panels[rng.integers(3)]
        scale = 10.0 ** rng.integers(-2, 4)
        if step % 3 == 2:
            ax.set_xlim(-scale, scale * rng.uniform(0.5, 2))
        else:
            ax.set_ylim(-scale * rng.uniform(0.5, 2), scale)
        frames.draw()
        assert np.array_equal(canvas_pixels(figure), full_draw(figure)), (step, scale)
    # (Some frames are drawn in full: a long tick label over a neighbour's plot area.)
    assert frames.backgrounds == 1, "limits alone should never need the whole background"
    assert frames.patched == 24, frames.patched


def test_aligned_axis_labels_follow_a_neighbours_wider_tick_labels():
    # figure.align_ylabels() places both y labels by the widest tick labels of the two axes:
    # longer tick labels on one move the other's label, so a patch of one frame is not enough.
    figure = Figure(figsize=(4, 4), dpi=80)
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    FigureCanvasAgg(figure)
    top, bottom = figure.subplots(2, 1)
    for ax in (top, bottom):
        ax.plot(np.arange(10), np.arange(10.0))
        ax.set_ylabel("value")
    figure.align_ylabels()
    frames = AggFrames(figure)
    frames.draw()
    top.set_ylim(0, 123456789)
    frames.draw()
    assert np.array_equal(canvas_pixels(figure), full_draw(figure))
    assert frames.patched == 0 and frames.backgrounds == 2


def test_figures_outside_the_scheme_are_drawn_in_full():
    figure, *_ = two_axes_figure()
    figure.text(0.5, 0.02, "below every axes", zorder=-1)
    frames = AggFrames(figure)
    frames.draw()
    frames.draw()
    assert (frames.full_draws, frames.reused) == (2, 0)
    assert np.array_equal(canvas_pixels(figure), full_draw(figure))

    constrained, *_ = two_axes_figure()
    constrained.set_layout_engine("constrained")
    frames = AggFrames(constrained)
    frames.draw()
    assert frames.full_draws == 1


def test_invalidate_redraws_the_background():
    figure, left, *_ = two_axes_figure()
    frames = AggFrames(figure)
    frames.draw()
    left.tick_params(axis="x", labelsize=14)  # a change the signature does not see
    frames.invalidate()
    frames.draw()
    assert frames.backgrounds == 2
    assert np.array_equal(canvas_pixels(figure), full_draw(figure))


@pytest.mark.slow
@pytest.mark.ch10
@pytest.mark.ch14
@pytest.mark.ch16
@pytest.mark.ch17
@pytest.mark.parametrize("cls", [OptimizerLab, RegularizationLab, BinaryLab, RegressionLab])
def test_live_frames_grow_the_curves_over_steady_axes(cls, monkeypatch):
    """While a run trains, the whole picture follows it (titles, regions, heat maps and
    fitted curves of the epoch reached), the curves grow across an x axis that already spans
    the whole run, live frames reuse the background, and each one is still the full draw."""
    from nnfs_core.labs import _core

    monkeypatch.setattr(_core, "PROGRESS_AFTER", 0.0)
    monkeypatch.setattr(_core, "LIVE_EVERY", 0.0)
    monkeypatch.setattr(_core, "POST_EVERY", 0.0)
    monkeypatch.setattr(_core, "LIVE_SHARE", 1.0)
    monkeypatch.setattr(_core._LiveClock, "next_at", 0.0)
    lab = cls(autorun=False, epochs=40, samples=20)
    frames, view = lab.view.frames, lab.view
    live, titles, images = [], [], []
    refresh = view.refresh

    def checked_refresh():
        refresh()
        if lab.running:
            ax = next(iter(lab.curves.axes.values()))
            # (A full draw for every fifth frame: each costs a few tenths of a second.)
            full = full_draw(lab.figure) if len(live) % 5 == 0 else None
            live.append((ax.get_xlim(), pixels(view.widget.value), full))
            titles.append(" | ".join(ax.get_title() for ax in lab.figure.axes))
            regions = getattr(lab, "regions", None) or getattr(lab, "train_regions", None)
            if regions is not None:
                images.append(np.array(regions.image.get_array()))

    monkeypatch.setattr(view, "refresh", checked_refresh)
    lab.train()
    assert len(live) >= 10, len(live)
    for index, (xlim, shown, full) in enumerate(live):
        assert xlim == (0.0, 40.0), f"live frame {index}: the x axis spans {xlim}"
        if full is not None:
            assert np.array_equal(shown, full), f"live frame {index} is not the full draw"
    assert frames.reused >= len(live) // 2, (frames.reused, frames.backgrounds)
    assert len(set(titles)) >= len(live) // 2, "the titles did not follow the epochs"
    if images:
        assert not np.array_equal(images[0], images[-1]), "the regions did not change"
    assert lab.errors == []


@pytest.mark.ch10
def test_a_live_frame_draws_parameters_and_history_of_the_same_epoch():
    """The run goes on while the main thread draws: parameters newer than the history copy
    (the title would read a loss not yet copied) give no frame rather than a wrong one."""
    from nnfs_core.labs.training import LiveRun, OptimizerSettings, run_optimizer

    live = LiveRun()
    result = run_optimizer(OptimizerSettings(epochs=5, samples=10), live=live)
    epoch, parameters, _ = live.latest
    assert epoch == 5
    shown = live.result(result.history, live.latest)
    assert shown.snapshot_at(5).epoch == 5 and shown.epochs_done == 5
    for (w, b), (w_end, b_end) in zip(shown.snapshot_at(5).parameters, parameters, strict=True):
        assert np.array_equal(w, w_end) and np.array_equal(b, b_end)
    older = type(result.history)(**result.history.to_dict())
    for key in older.to_dict():
        del getattr(older, key)[3:]
    assert len(older) == 3
    assert live.result(older, live.latest) is None


def test_kept_glyphs_give_freetypes_pixels_at_every_subpixel_position_and_angle():
    # Text moved by fractions of a pixel, rotated, in several sizes, with a mathtext rule
    # (drawn by matplotlib itself) and without antialiasing: frames drawn with the glyph
    # cache, again and again, equal savefig, which renders every glyph anew.
    figure = Figure(figsize=(4, 3), dpi=80)
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    FigureCanvasAgg(figure)
    ax = figure.add_subplot()
    ax.set_xlim(0, 1)
    ax.set_ylim(0, 1)
    rng = np.random.default_rng(3)
    texts = [
        ax.text(0.1, 0.1 + 0.1 * i, "gjpqy 0.123", fontsize=size, rotation=angle)
        for i, (size, angle) in enumerate([(7, 0), (9, 90), (10, 30), (12, -45), (8.5, 0)])
    ]
    texts.append(ax.text(0.6, 0.5, r"$\frac{a}{b}$", fontsize=11))  # a rule: boxes
    plain = ax.text(0.6, 0.2, "no antialiasing", fontsize=9, antialiased=False)
    frames = AggFrames(figure)
    for _ in range(6):
        for text in [*texts, plain]:
            x, y = text.get_position()
            text.set_position((x + rng.uniform(0, 0.01), y + rng.uniform(0, 0.01)))
        ax.set_title(f"epoch {rng.integers(1000)}", y=1.0)
        frames.draw()
        assert np.array_equal(canvas_pixels(figure), full_draw(figure))
    assert frames._glyphs, "no glyph was kept"
