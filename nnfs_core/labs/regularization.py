"""Chapters 14 and 15: overfitting made visible, and what L1, L2 and dropout do about it."""

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
    float_slider,
    int_slider,
    log_slider,
    seed_box,
)
from .optimizer import SPIRAL_BOUNDS, _epoch_title
from .training import RegularizationSettings, run_regularization

#: A gap between training and validation accuracy above this is flagged as overfitting
#: (the rule of thumb of chapter 11).
OVERFITTING_GAP = 0.10


class RegularizationLab(TrainingLab):
    """Train on one spiral, validate on a fresh one, and close the gap.

    Widgets: ``weight_l1``, ``weight_l2``, ``bias_l1``, ``bias_l2`` (penalty strengths),
    ``dropout`` (fraction dropped), ``hidden``, ``learning_rate``, ``decay``, ``epochs``,
    ``samples``, ``seed``; ``scrubber`` and ``play`` replay. Artists: ``train_regions``,
    ``val_regions`` and ``curves``.
    """

    title_text = "Regularization lab: L1, L2 and dropout against overfitting (chapters 14–15)"
    help_text = (
        "The model trains on the spiral on the left and is judged on a fresh spiral it never "
        "sees (right, triangles). When the training curves keep improving while the dashed "
        "validation curves stall or turn, the network is memorising its points: the regions "
        "grow islands around single dots. Penalties on large weights (L1, L2) and dropout "
        "push back. Defaults are chapter 15's model, trained shorter on fewer points; the "
        "book's run is <code>RegularizationLab(samples=1000, epochs=10001)</code> (about a "
        "minute). Try all penalties and dropout at 0 with width 512 to see overfitting."
    )
    Settings = RegularizationSettings
    run_function = staticmethod(run_regularization)
    book_settings = {"samples": 1000, "epochs": 10001}
    figsize = (11.0, 7.4)

    def _make_controls(self) -> None:
        d = RegularizationSettings()
        self.weight_l1 = choice_slider("weights L1", PENALTIES, d.weight_l1)
        self.weight_l2 = choice_slider("weights L2", PENALTIES, d.weight_l2)
        self.bias_l1 = choice_slider("biases L1", PENALTIES, d.bias_l1)
        self.bias_l2 = choice_slider("biases L2", PENALTIES, d.bias_l2)
        self.dropout = float_slider("dropout rate", d.dropout, 0.0, 0.6, 0.05, ".2f")
        self.hidden = choice_slider("hidden width", WIDTHS, d.hidden)
        self.learning_rate = log_slider("learning rate", d.learning_rate, -4, 0)
        self.decay = choice_slider("decay", DECAYS, d.decay)
        self.epochs = int_slider("epochs", d.epochs, 10, 20000, 10)
        self.samples = int_slider("samples/class", d.samples, 10, 1000, 10)
        self.seed = seed_box(d.seed)
        self.controls = {
            "weight_l1": self.weight_l1,
            "weight_l2": self.weight_l2,
            "bias_l1": self.bias_l1,
            "bias_l2": self.bias_l2,
            "dropout": self.dropout,
            "hidden": self.hidden,
            "learning_rate": self.learning_rate,
            "decay": self.decay,
            "epochs": self.epochs,
            "samples": self.samples,
            "seed": self.seed,
        }

    def _control_rows(self) -> list[widgets.Widget]:
        # Two columns: with the learning rate's wide log slider, three overflowed a notebook
        # about 950 px wide and the browser cut the readouts off.
        left = [self.weight_l1, self.weight_l2, self.bias_l1, self.bias_l2, self.dropout]
        right = [self.learning_rate, self.decay, self.hidden, self.epochs, self.samples]
        return [widgets.HBox([widgets.VBox(left), widgets.VBox([*right, self.seed])])]

    def _make_figure(self) -> None:
        fig = self.figure
        s = self.settings
        outer = fig.add_gridspec(
            2, 1, height_ratios=[1.7, 1.0], left=0.065, right=0.985, top=0.955, bottom=0.075,
            hspace=0.32,
        )  # fmt: skip
        top = outer[0].subgridspec(1, 2, wspace=0.15)
        bottom = outer[1].subgridspec(1, 3, wspace=0.3)
        X, y = spiral_data(s.samples, 3, rng=np.random.RandomState(s.seed))
        X_val, y_val = spiral_data(s.val_samples, 3, rng=np.random.RandomState(s.seed + 1))
        kwargs = {"n_classes": 3, "bounds": SPIRAL_BOUNDS, "resolution": 110}
        self.train_regions = plot_decision_regions(None, X, y, ax=fig.add_subplot(top[0]), **kwargs)
        self.val_regions = plot_decision_regions(
            None, X_val, y_val, ax=fig.add_subplot(top[1]), marker="^", **kwargs
        )
        self.curves = plot_history(
            History(),
            metrics=("loss", "accuracy", "regularization_loss"),
            axes=[fig.add_subplot(bottom[i]) for i in range(3)],
            validation=True,
        )
        self._shown_X: Any = None

    def _draw(self, result: Any, epoch: int) -> None:
        snapshot = result.snapshot_at(epoch)
        data = result.data
        if self._shown_X is not data["X"]:
            self.train_regions.set_points(data["X"], data["y"])
            self.val_regions.set_points(data["X_val"], data["y_val"])
            self._shown_X = data["X"]
        values = self._regions_at(result, snapshot.epoch, self.train_regions)
        self.train_regions.update(values=values)
        self.val_regions.update(values=values)
        self._update_curves(result.history, upto=snapshot.epoch)
        history, i = result.history, snapshot.epoch - 1
        self.train_regions.ax.set_title(
            "training data — " + _epoch_title(result, snapshot.epoch), fontsize=10, y=1.0
        )
        if i >= 0:
            self.val_regions.ax.set_title(
                f"validation data: loss {history.val_loss[i]:.3f}, "
                f"acc {history.val_accuracy[i]:.3f}",
                fontsize=10,
                y=1.0,
            )
        else:
            self.val_regions.ax.set_title("validation data", fontsize=10, y=1.0)

    def _summary(self, result: Any) -> str:
        history = result.history
        gap = history.accuracy[-1] - history.val_accuracy[-1]
        verdict = "overfitting" if gap > OVERFITTING_GAP else "no sign of overfitting"
        return (
            f"training acc {history.accuracy[-1]:.3f}, validation acc "
            f"{history.val_accuracy[-1]:.3f}: gap {gap:+.1%} ({verdict}); validation loss "
            f"{history.val_loss[-1]:.3f}"
        )
