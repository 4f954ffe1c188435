"""Chapter 17: fitting a sine wave, and why the first weights' scale decides the outcome."""

from __future__ import annotations

from typing import Any

import ipywidgets as widgets

from ..datasets import sine_data
from ..model import History
from ..plotting import plot_history, plot_regression
from ._core import (
    DECAYS,
    WIDTHS,
    TrainingLab,
    choice_slider,
    int_slider,
    log_slider,
    seed_box,
)
from .optimizer import _epoch_title
from .training import RegressionSettings, run_regression

WEIGHT_SCALES = (0.001, 0.01, 0.03, 0.1, 0.3, 1.0)


class RegressionLab(TrainingLab):
    """A three-layer regressor fitting ``sin(2πx)``.

    Widgets: ``weight_scale`` (the factor on the initial random weights), ``learning_rate``,
    ``decay``, ``hidden``, ``epochs``, ``samples``, ``seed``; ``scrubber`` and ``play``
    replay the fit. Artists: ``fit`` (a :class:`~nnfs_core.plotting.RegressionPlot`) and
    ``curves``.
    """

    title_text = "Regression lab: fitting a sine wave (chapter 17)"
    help_text = (
        "Dense(1, width) → ReLU → Dense(width, width) → ReLU → Dense(width, 1) → linear, "
        "trained with mean squared error. <i>Initial weight scale</i> multiplies the random "
        "starting weights. Set it to 0.01, the value used for the classifiers, and the curve "
        "barely bends: signals shrink through each layer and the gradients are too small to "
        "get going. At 0.1 the wave is fitted. Accuracy counts predictions within "
        "std(y)/250 of the target. The book fits 1,000 points for 10,001 epochs "
        "(<code>RegressionLab(samples=1000, epochs=10001)</code>, about 20 s)."
    )
    Settings = RegressionSettings
    run_function = staticmethod(run_regression)
    book_settings = {"samples": 1000, "epochs": 10001}
    figsize = (11.0, 6.4)

    def _make_controls(self) -> None:
        d = RegressionSettings()
        self.weight_scale = choice_slider("initial weight scale", WEIGHT_SCALES, d.weight_scale)
        # The one description longer than the others' 105 px: give it room, same track.
        self.weight_scale.style.description_width = "140px"
        self.weight_scale.layout.width = "365px"
        self.learning_rate = log_slider("learning rate", d.learning_rate, -4, 0)
        self.decay = choice_slider("decay", DECAYS, d.decay)
        self.hidden = choice_slider("hidden width", WIDTHS, d.hidden)
        self.epochs = int_slider("epochs", d.epochs, 10, 20000, 10)
        self.samples = int_slider("samples", d.samples, 20, 2000, 10)
        self.seed = seed_box(d.seed)
        self.controls = {
            "weight_scale": self.weight_scale,
            "learning_rate": self.learning_rate,
            "decay": self.decay,
            "hidden": self.hidden,
            "epochs": self.epochs,
            "samples": self.samples,
            "seed": self.seed,
        }

    def _control_rows(self) -> list[widgets.Widget]:
        left = [self.weight_scale, self.learning_rate, self.decay, self.hidden]
        right = [self.epochs, self.samples, self.seed]
        return [widgets.HBox([widgets.VBox(left), widgets.VBox(right)])]

    def _make_figure(self) -> None:
        fig = self.figure
        outer = fig.add_gridspec(
            2, 1, height_ratios=[1.5, 1.0], left=0.065, right=0.985, top=0.95, bottom=0.08,
            hspace=0.35,
        )  # fmt: skip
        bottom = outer[1].subgridspec(1, 3, wspace=0.3)
        X, y = sine_data(self.settings.samples)
        self.fit = plot_regression(None, X, y, ax=fig.add_subplot(outer[0]))
        self.curves = plot_history(
            History(), axes=[fig.add_subplot(bottom[i]) for i in range(3)], validation=False
        )
        # Mean squared error falls over orders of magnitude: a log axis shows all of them.
        self.curves.axes["loss"].set_yscale("log")
        self._shown_X: Any = None

    def _draw(self, result: Any, epoch: int) -> None:
        snapshot = result.snapshot_at(epoch)
        data = result.data
        if self._shown_X is not data["X"]:
            self.fit.set_data(data["X"], data["y"])
            self._shown_X = data["X"]
        key = ("fit", snapshot.epoch)
        if key not in result.memo:
            result.memo[key] = result.model_at(snapshot.epoch).predict(data["X"])
        self.fit.update(values=result.memo[key])
        self._update_curves(result.history, upto=snapshot.epoch)
        scale = result.settings.weight_scale
        self.fit.ax.set_title(
            f"initial weight scale {scale:g} — {_epoch_title(result, snapshot.epoch)}",
            fontsize=10,
            y=1.0,
        )

    def _summary(self, result: Any) -> str:
        history = result.history
        return f"loss (MSE) {history.loss[-1]:.3g}, accuracy {history.accuracy[-1]:.3f}"
