"""Chapter 10's lab: one optimizer, its settings, and the book's picture of training."""

from __future__ import annotations

from typing import Any

import ipywidgets as widgets
import numpy as np

from ..datasets import spiral_data
from ..model import History
from ..plotting import plot_decision_regions, plot_history, plot_parameters
from ._core import (
    DECAYS,
    STYLE,
    WIDTHS,
    TrainingLab,
    choice_slider,
    float_slider,
    int_slider,
    log_slider,
    optimizer_description,
    seed_box,
)
from .training import (
    BOOK_LEARNING_RATES,
    OPTIMIZER_HYPERPARAMETERS,
    OPTIMIZERS,
    OptimizerSettings,
    run_optimizer,
)

#: The spiral lies within the unit disc; a fixed view keeps the picture still between runs.
SPIRAL_BOUNDS = (-1.15, 1.15, -1.15, 1.15)
REGION_RESOLUTION = 120


def spiral_figure_placeholders(hidden: int, outputs: int) -> list[tuple[np.ndarray, np.ndarray]]:
    """Zero parameters with the classifier's shapes, to lay out heat maps before a run."""
    return [
        (np.zeros((2, hidden)), np.zeros((1, hidden))),
        (np.zeros((hidden, outputs)), np.zeros((1, outputs))),
    ]


class OptimizerLab(TrainingLab):
    """Train the spiral classifier with one optimizer and watch it learn.

    Drive it from Python or the browser through its widgets: ``optimizer`` (Dropdown),
    ``learning_rate`` (FloatLogSlider), ``decay``, ``momentum``, ``rho``, ``beta_1``,
    ``beta_2``, ``epsilon``, ``hidden``, ``epochs``, ``samples``, ``seed``; ``scrubber`` and
    ``play`` replay the last run; ``train_button`` and ``stop_button``. The artists live in
    ``regions``, ``parameters`` and ``curves`` (see :mod:`nnfs_core.plotting`).
    """

    title_text = "Optimizer lab: SGD, AdaGrad, RMSProp and Adam on the spiral (chapter 10)"
    help_text = (
        "Pick an optimizer and its settings; the network Dense(2, width) → ReLU → Dense(width, 3) "
        "→ softmax retrains on release of a slider. Left: the spiral over the class the model "
        "predicts at each spot. Right: every weight and bias (red positive, blue negative) and, "
        "beside it, the step the optimizer just took. Below: loss, accuracy and the decayed "
        "learning rate. Sliders an optimizer does not read are greyed out; switching optimizer "
        "loads the learning rate chapter 10 starts it with. Drag <i>epoch</i> or press ▶ to "
        "replay the run. The book trains 10,001 epochs: set epochs to 10001."
    )
    Settings = OptimizerSettings
    run_function = staticmethod(run_optimizer)
    book_settings = {"epochs": 10001}
    figsize = (11.5, 7.8)
    #: Switching optimizer sets the learning rate to chapter 10's value for it.
    suggest_learning_rate = True

    # -- controls ------------------------------------------------------------------
    def _make_controls(self) -> None:
        d = OptimizerSettings()
        self.optimizer = widgets.Dropdown(
            options=list(OPTIMIZERS),
            value=d.optimizer,
            description="optimizer",
            style=STYLE,
            layout=widgets.Layout(width="330px"),
        )
        self.learning_rate = log_slider("learning rate", d.learning_rate, -4, 1)
        self.decay = choice_slider("decay", DECAYS, d.decay)
        self.momentum = float_slider("momentum", d.momentum, 0.0, 0.99, 0.01)
        self.rho = float_slider("rho", d.rho, 0.5, 0.9999, 0.0001, ".4f")
        self.beta_1 = float_slider("beta 1", d.beta_1, 0.5, 0.999, 0.001)
        self.beta_2 = float_slider("beta 2", d.beta_2, 0.9, 0.9999, 0.0001, ".4f")
        self.epsilon = log_slider("epsilon", d.epsilon, -10, -1, step=0.5)
        self.hidden = choice_slider("hidden width", WIDTHS, d.hidden)
        self.epochs = int_slider("epochs", d.epochs, 10, 20000, 10)
        self.samples = int_slider("samples/class", d.samples, 10, 1000, 10)
        self.seed = seed_box(d.seed)
        self.optimizer_help = widgets.HTML()
        self.controls = {
            "optimizer": self.optimizer,
            "learning_rate": self.learning_rate,
            "decay": self.decay,
            "momentum": self.momentum,
            "rho": self.rho,
            "beta_1": self.beta_1,
            "beta_2": self.beta_2,
            "epsilon": self.epsilon,
            "hidden": self.hidden,
            "epochs": self.epochs,
            "samples": self.samples,
            "seed": self.seed,
        }

    def _after_initial(self) -> None:
        self._update_enabled()
        self.optimizer.observe(self._safely(self._on_optimizer), names="value")

    def _own_observers(self) -> tuple[str, ...]:
        return ("optimizer",)

    def _control_rows(self) -> list[widgets.Widget]:
        # Two columns fit a notebook about 950 px wide with the log sliders' wide tracks
        # (three did not: the third column's labels were cut off).
        left = [self.optimizer, self.learning_rate, self.decay, self.momentum, self.rho]
        left += [self.beta_1, self.beta_2]
        right = [self.epsilon, self.hidden, self.epochs, self.samples, self.seed]
        return [widgets.HBox([widgets.VBox(left), widgets.VBox(right)]), self.optimizer_help]

    def _update_enabled(self) -> None:
        name = self.optimizer.value
        used = OPTIMIZER_HYPERPARAMETERS[name]
        for parameter in ("momentum", "rho", "beta_1", "beta_2", "epsilon"):
            self.controls[parameter].disabled = parameter not in used
        self.optimizer_help.value = f"<i>{name}</i>: {optimizer_description(name)}."

    def _on_optimizer(self, change: Any) -> None:
        self._batching = True
        try:
            self._update_enabled()
            if self.suggest_learning_rate:
                self.learning_rate.value = BOOK_LEARNING_RATES[change["new"]]
        finally:
            self._batching = False
        self._soon("train", self.train)

    # -- figure ----------------------------------------------------------------------
    def _make_figure(self) -> None:
        fig = self.figure
        settings = self.settings
        outer = fig.add_gridspec(
            2, 1, height_ratios=[2.0, 1.0], left=0.06, right=0.985, top=0.955, bottom=0.075,
            hspace=0.34,
        )  # fmt: skip
        top = outer[0].subgridspec(1, 2, width_ratios=[1.0, 1.45], wspace=0.14)
        heat = top[1].subgridspec(4, 2, height_ratios=[3, 1, 3, 1], hspace=1.0, wspace=0.12)
        heat_axes = np.array([[fig.add_subplot(heat[r, c]) for c in range(2)] for r in range(4)])
        bottom = outer[1].subgridspec(1, 3, wspace=0.3)
        X, y = spiral_data(settings.samples, 3, rng=np.random.RandomState(settings.seed))
        self.regions = plot_decision_regions(
            None,
            X,
            y,
            ax=fig.add_subplot(top[0]),
            n_classes=3,
            bounds=SPIRAL_BOUNDS,
            resolution=REGION_RESOLUTION,
        )
        self.parameters = plot_parameters(
            spiral_figure_placeholders(settings.hidden, 3), show_updates=True, axes=heat_axes
        )
        self.curves = plot_history(
            History(), axes=[fig.add_subplot(bottom[i]) for i in range(3)], validation=False
        )
        self._shown_X: Any = None

    def _draw(self, result: Any, epoch: int) -> None:
        snapshot = result.snapshot_at(epoch)
        if self._shown_X is not result.data["X"]:
            self.regions.set_points(result.data["X"], result.data["y"])
            self._shown_X = result.data["X"]
        self.regions.update(values=self._regions_at(result, snapshot.epoch, self.regions))
        self.parameters.update(snapshot.parameters, snapshot.updates)
        self._update_curves(result.history, upto=snapshot.epoch)
        self.regions.ax.set_title(_epoch_title(result, snapshot.epoch), fontsize=10, y=1.0)


def _epoch_title(result: Any, epoch: int) -> str:
    name = getattr(result.settings, "optimizer", "")
    prefix = f"{name}, epoch {epoch}" if name else f"epoch {epoch}"
    if epoch == 0:
        return f"{prefix} (initial weights)"
    history = result.history
    return f"{prefix}: loss {history.loss[epoch - 1]:.3g}, acc {history.accuracy[epoch - 1]:.3f}"
