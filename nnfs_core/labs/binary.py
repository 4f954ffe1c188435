"""Chapter 16: one sigmoid output, binary cross-entropy, two spiral arms."""

from __future__ import annotations

from typing import Any

import ipywidgets as widgets
import numpy as np

from ..datasets import spiral_data
from ..model import History
from ..plotting import plot_decision_regions, plot_history
from ._core import (
    DECAYS,
    PENALTIES,
    WIDTHS,
    TrainingLab,
    choice_slider,
    int_slider,
    log_slider,
    seed_box,
)
from .optimizer import SPIRAL_BOUNDS, _epoch_title
from .training import BinarySettings, run_binary


class BinaryLab(TrainingLab):
    """Logistic regression on two spiral arms, with the sigmoid's confidence on show.

    Widgets: ``learning_rate``, ``decay``, ``l2`` (on weights and biases of the first
    layer), ``hidden``, ``epochs``, ``samples``, ``seed``; ``show_probability`` switches the
    background between the predicted class and the sigmoid output P(class 1) without
    retraining; ``scrubber`` and ``play`` replay. Artists: ``regions``, ``curves``.
    """

    title_text = "Binary lab: a sigmoid output and binary cross-entropy (chapter 16)"
    help_text = (
        "Two classes need one output: the sigmoid squeezes it into (0, 1), read as the "
        "probability of class 1, and the prediction is 1 above 0.5. Tick <i>show "
        "probability</i> to see that number rather than the class: pale near the boundary, "
        "where the model is unsure, strong far from it. The book trains 10,001 epochs "
        "(<code>BinaryLab(epochs=10001)</code>, about 5 s); the default stops at 2,000, "
        "which still underfits. Raise the learning rate to 0.01 to get there sooner."
    )
    Settings = BinarySettings
    run_function = staticmethod(run_binary)
    book_settings = {"epochs": 10001}
    figsize = (11.0, 5.6)

    def _make_controls(self) -> None:
        d = BinarySettings()
        self.learning_rate = log_slider("learning rate", d.learning_rate, -4, 0)
        self.decay = choice_slider("decay", DECAYS, d.decay)
        self.l2 = choice_slider("L2 (layer 1)", PENALTIES, d.l2)
        self.hidden = choice_slider("hidden width", WIDTHS, d.hidden)
        self.epochs = int_slider("epochs", d.epochs, 10, 20000, 10)
        self.samples = int_slider("samples/class", d.samples, 10, 1000, 10)
        self.seed = seed_box(d.seed)
        self.show_probability = widgets.Checkbox(
            value=False, description="show probability", indent=False
        )
        self.show_probability.observe(
            lambda _change: self._soon("probability", self._show_probability), names="value"
        )
        self.controls = {
            "learning_rate": self.learning_rate,
            "decay": self.decay,
            "l2": self.l2,
            "hidden": self.hidden,
            "epochs": self.epochs,
            "samples": self.samples,
            "seed": self.seed,
        }

    def _control_rows(self) -> list[widgets.Widget]:
        left = [self.learning_rate, self.decay, self.l2, self.hidden]
        right = [self.epochs, self.samples, self.seed, self.show_probability]
        return [widgets.HBox([widgets.VBox(left), widgets.VBox(right)])]

    def _make_figure(self) -> None:
        fig = self.figure
        s = self.settings
        outer = fig.add_gridspec(
            1, 2, width_ratios=[1.0, 1.05], left=0.06, right=0.985, top=0.94, bottom=0.09,
            wspace=0.2,
        )  # fmt: skip
        right = outer[1].subgridspec(3, 1, hspace=0.75)
        X, y = spiral_data(s.samples, 2, rng=np.random.RandomState(s.seed))
        X_val, y_val = spiral_data(s.val_samples, 2, rng=np.random.RandomState(s.seed + 1))
        self.regions = plot_decision_regions(
            None,
            X,
            y,
            X_val=X_val,
            y_val=y_val,
            ax=fig.add_subplot(outer[0]),
            n_classes=2,
            bounds=SPIRAL_BOUNDS,
            resolution=120,
        )
        self.curves = plot_history(
            History(), axes=[fig.add_subplot(right[i]) for i in range(3)], validation=True
        )
        self._shown_X: Any = None

    def _show_probability(self) -> None:
        self.regions.set_proba(bool(self.show_probability.value))
        if self.result is not None and self.shown_epoch is not None:
            self._draw(self.result, self.shown_epoch)
        self.view.refresh()

    def _draw(self, result: Any, epoch: int) -> None:
        snapshot = result.snapshot_at(epoch)
        data = result.data
        if self._shown_X is not data["X"]:
            self.regions.set_points(data["X"], data["y"], data["X_val"], data["y_val"])
            self._shown_X = data["X"]
        self.regions.update(values=self._regions_at(result, snapshot.epoch, self.regions))
        self._update_curves(result.history, upto=snapshot.epoch)
        self.regions.ax.set_title(_epoch_title(result, snapshot.epoch), fontsize=10, y=1.0)
