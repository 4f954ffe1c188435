"""Chapter 10's decay formula as a curve that follows the sliders at once."""

from __future__ import annotations

from typing import Any

import ipywidgets as widgets
import numpy as np

from ..plotting import ScheduleLine, lr_schedule, plot_lr_schedules, rate_limits
from ._core import FigureView, Lab, choice_slider, log_slider, set_initial

STEP_CHOICES = (100, 1000, 10_000, 100_000)


class ScheduleExplorer(Lab):
    """``learning_rate / (1 + decay * step)``, redrawn as the sliders move.

    Widgets: ``learning_rate`` and ``decay`` (FloatLogSliders, ``continuous_update=True``:
    the curve is a formula, so there is nothing to train), ``steps``, ``log_scale``,
    ``pin_button`` (keep the current curve for comparison) and ``clear_button``. The black
    curve is ``current`` (a :class:`~nnfs_core.plotting.ScheduleLine`); pinned curves are in
    ``pinned``.
    """

    title_text = "Learning-rate decay explorer: lr / (1 + decay · step) (chapter 10)"
    help_text = (
        "Every optimizer in the book shrinks its step size as training goes on: before step "
        "<i>t</i> (counting from 0) it uses lr / (1 + decay · t). The dotted line marks step "
        "1/decay, where the rate has fallen to half. Pin a curve to keep it, then move the "
        "sliders to compare. Try decay 1e-2 against 1e-3 over 10,000 steps: the first has "
        "used up almost all of its rate within a few hundred steps."
    )

    def __init__(
        self,
        *,
        learning_rate: float = 1.0,
        decay: float = 1e-3,
        steps: int = 10_000,
        log_scale: bool = False,
        figure_mode: str = "auto",
    ) -> None:
        super().__init__()
        self.learning_rate = log_slider("learning rate", 1.0, -4, 1, continuous_update=True)
        self.decay = log_slider("decay", 1e-3, -7, 0, continuous_update=True)
        self.steps = choice_slider("steps", STEP_CHOICES, 10_000)
        self.steps.continuous_update = True
        self.log_scale = widgets.Checkbox(value=False, description="log scale", indent=False)
        for widget, value in (
            (self.learning_rate, learning_rate),
            (self.decay, decay),
            (self.steps, steps),
        ):
            set_initial(widget, value)
        self.log_scale.value = bool(log_scale)
        self.pin_button = widgets.Button(description="Pin this schedule", icon="thumb-tack")
        self.clear_button = widgets.Button(description="Clear pinned", icon="trash")

        self.view = FigureView((8.0, 4.2), mode=figure_mode)
        self.figure = self.view.figure
        self.ax = self.figure.add_subplot()
        self.figure.subplots_adjust(left=0.09, right=0.98, top=0.9, bottom=0.13)
        (self.current,) = plot_lr_schedules(
            [(self.learning_rate.value, self.decay.value)],
            steps=self.steps.value,
            ax=self.ax,
            legend=False,
        )
        self.current.line.set(color="black", lw=2.4, zorder=3)
        self.half_line = self.ax.axvline(0.0, ls=":", color="0.35", lw=1.2, zorder=2)
        self.pinned: list[ScheduleLine] = []

        for widget in (self.learning_rate, self.decay, self.steps, self.log_scale):
            widget.observe(lambda _change: self._soon("redraw", self._redraw), names="value")
        self.pin_button.on_click(lambda _: self._soon("pin", self.pin))
        self.clear_button.on_click(lambda _: self._soon("clear", self.clear))
        controls = widgets.HBox(
            [
                widgets.VBox([self.learning_rate, self.decay, self.steps]),
                widgets.VBox([self.log_scale, self.pin_button, self.clear_button]),
            ]
        )
        self.widget = widgets.VBox([self.title, self.help, controls, self.status, self.view.widget])
        self._redraw()

    def schedule(self) -> np.ndarray:
        """The current curve's values, ``lr / (1 + decay * t)`` for each step ``t``."""
        return lr_schedule(self.learning_rate.value, self.decay.value, self.steps.value)

    def pin(self) -> ScheduleLine:
        """Keep the current schedule on the plot."""
        (line,) = self.ax.plot([], [], lw=1.6, zorder=2)
        pinned = ScheduleLine(line, self.learning_rate.value, self.decay.value)
        pinned.update(pinned.learning_rate, pinned.decay, self.steps.value)
        self.pinned.append(pinned)
        self._redraw()
        return pinned

    def clear(self) -> None:
        """Remove the pinned schedules."""
        for pinned in self.pinned:
            pinned.line.remove()
        self.pinned.clear()
        self._redraw()

    def _redraw(self, _change: Any = None) -> None:
        lr, decay, steps = self.learning_rate.value, self.decay.value, self.steps.value
        self.current.update(lr, decay, steps)
        for pinned in self.pinned:
            if len(pinned.line.get_xdata()) != steps:
                pinned.update(pinned.learning_rate, pinned.decay, steps)
        half = 1.0 / decay if decay > 0 else np.inf
        self.half_line.set_xdata([half, half])
        self.half_line.set_visible(bool(half < steps))
        self._fit_axes(steps)
        values = self.current.line.get_ydata()
        self.ax.set_title(
            f"now: lr = {lr:.3g}, decay = {decay:.3g}; after {steps - 1:,} steps: {values[-1]:.3g}",
            fontsize=10,
            y=1.0,
        )
        self.status.value = (
            f"The rate halves at step {half:,.0f}; after {steps - 1:,} steps it is "
            f"{values[-1]:.3g}, {values[-1] / lr:.1%} of where it started."
        )
        self._legend()
        self.view.refresh()

    def _fit_axes(self, steps: int) -> None:
        lines = [self.current, *self.pinned]
        self.ax.set_xlim(0, max(steps - 1, 1))
        log = bool(self.log_scale.value)
        self._set_yscale("log" if log else "linear")
        # The same round ends as a run's learning-rate panel (every rate is positive).
        self.ax.set_ylim(*rate_limits([s.line.get_ydata() for s in lines], log=log))

    def _set_yscale(self, scale: str) -> None:
        # Only on a change: set_yscale makes new tick locators and formatters, and the
        # frames (frames.AggFrames) take new ones for a new frame to draw.
        if self.ax.get_yscale() != scale:
            self.ax.set_yscale(scale)

    def _legend(self) -> None:
        legend = self.ax.get_legend()
        if not self.pinned:
            if legend is not None:
                legend.remove()
            return
        labels = [line.line.get_label() for line in self.pinned]
        if legend is None or [t.get_text() for t in legend.get_texts()] != labels:
            if legend is not None:
                legend.remove()
            self.ax.legend([p.line for p in self.pinned], labels, fontsize="small", title="pinned")
