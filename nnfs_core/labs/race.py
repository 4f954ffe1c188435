"""Chapter 10's optimizers side by side: same data, same first weights, different rules."""

from __future__ import annotations

import html
from dataclasses import dataclass, fields
from typing import Any

import ipywidgets as widgets
import numpy as np

from ..datasets import spiral_data
from ..model import History
from ..plotting import plot_decision_regions, plot_history, value_limits
from ._core import (
    DECAYS,
    WIDTHS,
    TrainingLab,
    choice_slider,
    float_slider,
    int_slider,
    log_slider,
    seed_box,
)
from .optimizer import SPIRAL_BOUNDS
from .training import OPTIMIZERS, OptimizerSettings, TrainingResult, run_optimizer

#: Line colours per optimizer (darker than the class colours so the curves stand apart).
RACE_COLORS = {"SGD": "#444444", "AdaGrad": "#9467bd", "RMSProp": "#8c564b", "Adam": "#d62728"}
_PREFIX = {"SGD": "sgd", "AdaGrad": "adagrad", "RMSProp": "rmsprop", "Adam": "adam"}


@dataclass(frozen=True)
class RaceSettings:
    """Which optimizers race, the settings of each, and what they share.

    Defaults are chapter 10's settings for each optimizer, over 500 epochs (the book runs
    10,001 per optimizer: pass ``epochs=10001``).
    """

    use_sgd: bool = True
    sgd_learning_rate: float = 1.0
    sgd_decay: float = 1e-3
    sgd_momentum: float = 0.9
    use_adagrad: bool = True
    adagrad_learning_rate: float = 1.0
    adagrad_decay: float = 1e-4
    use_rmsprop: bool = True
    rmsprop_learning_rate: float = 0.02
    rmsprop_decay: float = 1e-5
    rmsprop_rho: float = 0.999
    use_adam: bool = True
    adam_learning_rate: float = 0.05
    adam_decay: float = 5e-7
    hidden: int = 64
    epochs: int = 500
    samples: int = 100
    seed: int = 0

    def racers(self) -> list[OptimizerSettings]:
        """One :class:`OptimizerSettings` per optimizer switched on, in the book's order.

        All share hidden width, epochs, samples and seed, so they see the same data and
        start from the same weights (each run replays ``RandomState(seed)`` from the start).
        """
        shared = {"hidden": self.hidden, "epochs": self.epochs, "samples": self.samples}
        chosen = []
        for name in OPTIMIZERS:
            prefix = _PREFIX[name]
            if not getattr(self, f"use_{prefix}"):
                continue
            own = {
                f.name.removeprefix(f"{prefix}_"): getattr(self, f.name)
                for f in fields(self)
                if f.name.startswith(f"{prefix}_")
            }
            chosen.append(OptimizerSettings(optimizer=name, seed=self.seed, **shared, **own))
        return chosen

    def key(self) -> tuple:
        return tuple(racer.key() for racer in self.racers())


@dataclass(eq=False)
class RaceResult:
    """The runs of a race by optimizer name (only those that ran)."""

    settings: RaceSettings
    runs: dict[str, TrainingResult]

    @property
    def stopped(self) -> bool:
        return any(run.stopped for run in self.runs.values()) or len(self.runs) < len(
            self.settings.racers()
        )

    @property
    def epochs_done(self) -> int:
        return sum(run.epochs_done for run in self.runs.values())

    @property
    def epochs_requested(self) -> int:
        return self.settings.epochs * len(self.settings.racers())


def run_race(settings: RaceSettings | None = None, *, callback=None, max_snapshots=100, live=None):
    """Train every optimizer switched on in ``settings``; returns a :class:`RaceResult`.

    ``live`` is accepted for the labs' common interface and not used: the race shows its
    runs once they are done (several runs share one picture)."""
    settings = settings or RaceSettings()
    runs = {}
    for racer in settings.racers():
        run = run_optimizer(racer, callback=callback, max_snapshots=max_snapshots)
        runs[racer.optimizer] = run
        if run.stopped:
            break
    return RaceResult(settings, runs)


class OptimizerRace(TrainingLab):
    """Several optimizers trained on the same spiral from the same first weights.

    Widgets: ``use_sgd``, ``use_adagrad``, ``use_rmsprop``, ``use_adam`` (Checkboxes, also
    as ``enabled[name]``), each optimizer's ``<name>_learning_rate`` and ``<name>_decay``
    (also ``learning_rates[name]``, ``decays[name]``), ``sgd_momentum``, ``rmsprop_rho``,
    and the shared ``hidden``, ``epochs``, ``samples``, ``seed``. Each optimizer's run is
    cached on its own, so switching one on or off trains at most that one.
    """

    title_text = "Optimizer race: the same network trained by each optimizer (chapter 10)"
    help_text = (
        "Tick the optimizers to compare. They all train the same Dense(2, width) → ReLU → "
        "Dense(width, 3) on the same spiral, starting from identical weights, so any "
        "difference comes from the update rule and its settings alone. Top: the curves "
        "overlaid. Bottom: where each model puts the classes at the end. The defaults are "
        "chapter 10's best settings for each optimizer."
    )
    Settings = RaceSettings
    run_function = staticmethod(run_race)
    book_settings = {"epochs": 10001}
    figsize = (11.5, 6.6)
    replay = False

    def _make_controls(self) -> None:
        d = RaceSettings()
        self.enabled: dict[str, widgets.Checkbox] = {}
        self.learning_rates: dict[str, widgets.FloatLogSlider] = {}
        self.decays: dict[str, widgets.SelectionSlider] = {}
        self.controls = {}
        for name in OPTIMIZERS:
            prefix = _PREFIX[name]
            box = widgets.Checkbox(
                value=getattr(d, f"use_{prefix}"),
                description=name,
                indent=False,
                layout=widgets.Layout(width="90px"),
            )
            rate = log_slider(
                "learning rate", getattr(d, f"{prefix}_learning_rate"), -4, 1, width="380px"
            )
            decay = choice_slider("decay", DECAYS, getattr(d, f"{prefix}_decay"))
            self.enabled[name], self.learning_rates[name], self.decays[name] = box, rate, decay
            self.controls[f"use_{prefix}"] = box
            self.controls[f"{prefix}_learning_rate"] = rate
            self.controls[f"{prefix}_decay"] = decay
            setattr(self, f"use_{prefix}", box)
            setattr(self, f"{prefix}_learning_rate", rate)
            setattr(self, f"{prefix}_decay", decay)
        self.sgd_momentum = float_slider("SGD momentum", d.sgd_momentum, 0.0, 0.99, 0.01)
        self.rmsprop_rho = float_slider("RMSProp rho", d.rmsprop_rho, 0.5, 0.9999, 0.0001, ".4f")
        for slider in (self.sgd_momentum, self.rmsprop_rho):  # longer labels than the rest
            slider.style.description_width = "125px"
            slider.layout.width = "350px"
        self.controls["sgd_momentum"] = self.sgd_momentum
        self.controls["rmsprop_rho"] = self.rmsprop_rho
        self.hidden = choice_slider("hidden width", WIDTHS, d.hidden)
        self.epochs = int_slider("epochs", d.epochs, 10, 20000, 10)
        self.samples = int_slider("samples/class", d.samples, 10, 1000, 10)
        self.seed = seed_box(d.seed)
        self.controls.update(
            hidden=self.hidden, epochs=self.epochs, samples=self.samples, seed=self.seed
        )

    def _control_rows(self) -> list[widgets.Widget]:
        # Rows of equal widths, narrower than a notebook (~950 px): wider rows are squeezed
        # by the browser, each differently, and the sliders no longer line up.
        rows = [
            widgets.HBox([self.enabled[name], self.learning_rates[name], self.decays[name]])
            for name in OPTIMIZERS
        ]
        return [
            *rows,
            widgets.HBox([self.sgd_momentum, self.rmsprop_rho, self.seed]),
            widgets.HBox([self.hidden, self.epochs, self.samples]),
        ]

    def _units(self, settings: RaceSettings) -> list[tuple[Any, Any]]:
        return [(racer.key(), racer) for racer in settings.racers()]

    def _assemble(self, settings: RaceSettings, results: dict) -> RaceResult:
        runs = {r.optimizer: results[r.key()] for r in settings.racers() if r.key() in results}
        return RaceResult(settings, runs)

    def _run_unit(
        self, unit: OptimizerSettings, callback: Any, live: Any = None, stopped: Any = None
    ) -> TrainingResult:
        return self._train_once(run_optimizer, unit, callback, live, stopped)

    def _last_epoch(self, result: RaceResult) -> int:
        return max((run.epochs_done for run in result.runs.values()), default=0)

    def _summary(self, result: RaceResult) -> str:
        if not result.runs:
            return "no optimizer ticked"
        # Short enough to stay on the line beside the buttons.
        return "accuracy " + ", ".join(
            f"{name} {run.history.accuracy[-1]:.3f}" for name, run in result.runs.items()
        )

    def _status_text(self, result: RaceResult, job: Any) -> str:
        text = super()._status_text(result, job)
        return text if result.runs else html.escape("Tick at least one optimizer.")

    # -- figure ----------------------------------------------------------------------
    def _make_figure(self) -> None:
        fig = self.figure
        settings = self.settings
        outer = fig.add_gridspec(
            2, 1, height_ratios=[1.0, 1.15], left=0.06, right=0.99, top=0.95, bottom=0.07,
            hspace=0.38,
        )  # fmt: skip
        top = outer[0].subgridspec(1, 3, wspace=0.28)
        curve_axes = [fig.add_subplot(top[i]) for i in range(3)]
        bottom = outer[1].subgridspec(1, len(OPTIMIZERS), wspace=0.08)
        X, y = spiral_data(settings.samples, 3, rng=np.random.RandomState(settings.seed))
        self.curves = {}
        self.regions = {}
        for index, name in enumerate(OPTIMIZERS):
            self.curves[name] = plot_history(
                History(), axes=curve_axes, validation=False, color=RACE_COLORS[name]
            )
            for line in self.curves[name].lines.values():
                line.set_label(name)
            ax = fig.add_subplot(bottom[index])
            self.regions[name] = plot_decision_regions(
                None, X, y, ax=ax, n_classes=3, bounds=SPIRAL_BOUNDS, resolution=80, point_size=5
            )
            ax.set_xlabel("")
            ax.set_ylabel("")
            ax.tick_params(labelsize=7)
            if index:
                ax.tick_params(labelleft=False)
        curve_axes[0].legend(fontsize="small")
        # The rates differ fifty-fold (SGD 1.0, RMSProp 0.02): on a linear axis the small
        # ones lie flat on zero, on a log axis each keeps its shape.
        curve_axes[2].set_yscale("log")
        self._curve_axes = curve_axes
        self._shown_X: Any = None

    def _draw(self, result: RaceResult, epoch: int) -> None:
        data = next(iter(result.runs.values())).data if result.runs else None
        for name in OPTIMIZERS:
            run = result.runs.get(name)
            curves, regions = self.curves[name], self.regions[name]
            for line in curves.lines.values():
                line.set_visible(run is not None)
            regions.image.set_visible(run is not None)
            if run is None:
                regions.ax.set_title(f"{name}: off", fontsize=9, color="0.5", y=1.0)
                continue
            if data is not None and self._shown_X is not data["X"]:
                regions.set_points(data["X"], data["y"])
            curves.update(run.history, autoscale=False)
            values = self._regions_at(run, run.epochs_done, regions)
            regions.update(values=values)
            regions.ax.set_title(
                f"{name}: acc {run.history.accuracy[-1]:.3f}", fontsize=9, color="black", y=1.0
            )
        if data is not None:
            self._shown_X = data["X"]
        self._rescale(result)

    def _rescale(self, result: RaceResult) -> None:
        last = max((run.epochs_done for run in result.runs.values()), default=1)
        for metric, ax in zip(("loss", "accuracy", "learning_rate"), self._curve_axes):
            ax.set_xlim(0, max(last, 1))
            if metric == "accuracy":
                continue
            limits = value_limits(
                [run.history[metric] for run in result.runs.values()],
                robust=metric == "loss",
                log=metric == "learning_rate",
            )
            if limits is not None:
                ax.set_ylim(*limits)

    def _live(self, history: Any, epoch: int, state: Any) -> bool:
        return False
