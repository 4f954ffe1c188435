"""Pictures of a training run, drawn with matplotlib.

Each ``plot_*`` function draws onto an ``ax`` (or ``axes``/``fig``) you pass, or makes a new
figure when you pass none, and returns an object holding the artists it made. Those objects
have an ``update(...)`` method that changes the artists' data in place (``set_data``,
``set_ydata``, ``set_array``) and never creates new ones, so a figure can follow a run, or be
driven by a slider, without being rebuilt.

What is here:

- :func:`plot_decision_regions`: data points over a background coloured by the class the
  model predicts at each point of a grid (chapter 10's picture of a spiral classifier).
- :func:`plot_history`: loss, accuracy and current learning rate against epochs, read from a
  :class:`nnfs_core.History`, training and validation.
- :func:`plot_parameters`: heat maps of each layer's weights and biases, red for positive
  and blue for negative with white at zero, and beside each the latest update.
- :func:`plot_lr_schedules`: ``learning_rate / (1 + decay * step)`` for several settings.
- :func:`plot_regression`: the sine data of chapter 17 and the model's curve through it.

The module reads runs; it never changes a model. It imports matplotlib but not pyplot
until a function has to make a new figure, and ``import nnfs_core`` does not import this
module at all.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from matplotlib.axes import Axes
from matplotlib.colors import LinearSegmentedColormap, ListedColormap, to_rgb
from matplotlib.figure import Figure
from matplotlib.image import AxesImage
from matplotlib.lines import Line2D
from matplotlib.ticker import MaxNLocator

__all__ = [
    "CLASS_COLORS",
    "DecisionRegions",
    "HistoryPlot",
    "ParameterPlot",
    "RegressionPlot",
    "ScheduleLine",
    "class_colors",
    "lr_schedule",
    "parameter_updates",
    "plot_decision_regions",
    "plot_history",
    "plot_lr_schedules",
    "plot_parameters",
    "plot_regression",
    "predict_classes",
    "predict_scores",
    "rate_limits",
    "round_end",
    "update_decision_regions",
    "update_history",
    "update_lr_schedule",
    "value_limits",
]

#: One colour per class (matplotlib's "tab10"); the background uses paler versions.
CLASS_COLORS = (
    "#1f77b4",
    "#ff7f0e",
    "#2ca02c",
    "#d62728",
    "#9467bd",
    "#8c564b",
    "#e377c2",
    "#7f7f7f",
    "#bcbd22",
    "#17becf",
)

#: Diverging colormap for parameters: red above zero, blue below, white at zero.
PARAMETER_CMAP = "RdBu_r"

_METRIC_LABELS = {
    "loss": "loss",
    "data_loss": "data loss",
    "regularization_loss": "regularization loss",
    "accuracy": "accuracy",
    "learning_rate": "learning rate",
}

Predictor = Callable[[np.ndarray], Any]


# ---------------------------------------------------------------------------------------
# Small helpers
# ---------------------------------------------------------------------------------------


def class_colors(n_classes: int) -> list[tuple[float, float, float]]:
    """RGB colours for ``n_classes`` classes, repeating after ten."""
    return [to_rgb(CLASS_COLORS[k % len(CLASS_COLORS)]) for k in range(n_classes)]


def _pale(color: tuple[float, float, float], amount: float = 0.65) -> tuple[float, ...]:
    """Mix a colour with white; ``amount`` is the share of white."""
    return tuple(amount + (1.0 - amount) * c for c in color)


def _new_axes(ax: Axes | None, fig: Figure | None, **subplot_kw: Any) -> Axes:
    if ax is not None:
        return ax
    if fig is not None:
        return fig.add_subplot(**subplot_kw)
    import matplotlib.pyplot as plt

    _, new_ax = plt.subplots(subplot_kw=subplot_kw or None, layout="constrained")
    return new_ax


def _new_figure(figsize: tuple[float, float]) -> Figure:
    import matplotlib.pyplot as plt

    return plt.figure(figsize=figsize, layout="constrained")


def _is_model(source: Any) -> bool:
    return hasattr(source, "predict") and hasattr(source, "output_layer_activation")


def predict_scores(source: Any, X: np.ndarray) -> np.ndarray:
    """The model's raw outputs for ``X`` (a :class:`~nnfs_core.Model` or a callable)."""
    if _is_model(source):
        return np.asarray(source.predict(X))
    if callable(source):
        return np.asarray(source(X))
    raise TypeError(
        f"expected a finalized nnfs_core Model or a callable predict(X); received "
        f"{type(source).__name__}. Fix: pass the model itself or e.g. lambda X: model.predict(X)."
    )


def predict_classes(source: Any, X: np.ndarray) -> np.ndarray:
    """Class indices ``(n,)`` for ``X``.

    ``source`` is a Model (its output activation's ``predictions`` decide, so a sigmoid
    output gives 0/1 and a softmax gives the argmax) or a callable returning either labels
    (``(n,)`` or ``(n, 1)``) or one score per class (``(n, k)``, argmax taken).
    """
    if _is_model(source):
        labels = source.output_layer_activation.predictions(source.predict(X))
    else:
        labels = predict_scores(source, X)
    labels = np.asarray(labels)
    if labels.ndim == 2 and labels.shape[1] > 1:
        labels = np.argmax(labels, axis=1)
    if labels.size != len(X):
        raise ValueError(
            f"predict returned {labels.size} values for {len(X)} points; expected one label "
            f"(or one row of class scores) per point."
        )
    return labels.reshape(len(X)).astype(np.intp)


def parameter_updates(before: Sequence[tuple], after: Sequence[tuple]) -> list[tuple]:
    """``after - before`` for each ``(weights, biases)`` pair: the step an optimizer took.

    Take ``before = model.get_parameters()`` ahead of a step and ``after`` behind it.
    """
    return [(w1 - w0, b1 - b0) for (w0, b0), (w1, b1) in zip(before, after, strict=True)]


# ---------------------------------------------------------------------------------------
# Decision regions
# ---------------------------------------------------------------------------------------


@dataclass(eq=False)
class DecisionRegions:
    """Artists of :func:`plot_decision_regions`; ``update`` swaps the background only."""

    ax: Axes
    image: AxesImage
    train_points: Any
    val_points: Any
    grid: np.ndarray
    shape: tuple[int, int]
    n_classes: int
    proba: bool

    def compute(self, source: Any) -> np.ndarray:
        """The background for ``source``: class indices, or P(class 1) when ``proba``."""
        if self.proba:
            return _probability_of_one(predict_scores(source, self.grid)).reshape(self.shape)
        return predict_classes(source, self.grid).reshape(self.shape)

    def update(self, source: Any = None, *, values: np.ndarray | None = None) -> AxesImage:
        """Recolour the background from ``source`` (or from precomputed ``values``)."""
        if values is None:
            if source is None:
                raise TypeError("update needs a model/predict callable or values=...")
            values = self.compute(source)
        values = np.asarray(values)
        if values.shape != self.shape:
            raise ValueError(f"values must have the grid's shape {self.shape}; got {values.shape}")
        self.image.set_data(values)
        return self.image

    def set_proba(self, proba: bool) -> None:
        """Switch between class colours and a P(class 1) shading, on the same image."""
        self.proba = bool(proba)
        self.image.set_cmap(_region_cmap(self.n_classes, self.proba))
        if self.proba:
            self.image.set_clim(0.0, 1.0)
        else:
            self.image.set_clim(-0.5, self.n_classes - 0.5)

    def set_points(
        self, X: np.ndarray, y: np.ndarray, X_val: np.ndarray | None = None, y_val=None
    ) -> None:
        """Show other data points (for example after the sample count changed)."""
        _set_scatter(self.train_points, X, y, self.n_classes)
        if self.val_points is not None and X_val is not None:
            _set_scatter(self.val_points, X_val, y_val, self.n_classes)


def _probability_of_one(scores: np.ndarray) -> np.ndarray:
    scores = np.asarray(scores, dtype=np.float64)
    if scores.ndim == 1 or scores.shape[1] == 1:
        return scores.reshape(-1)
    if scores.shape[1] == 2:
        return scores[:, 1]
    raise ValueError(
        f"proba=True shades P(class 1) and needs one sigmoid output (n, 1) or two class scores; "
        f"the model gives {scores.shape[1]} outputs. Fix: use proba=False for more classes."
    )


def _region_cmap(n_classes: int, proba: bool):
    colors = class_colors(max(n_classes, 2))
    if proba:
        return LinearSegmentedColormap.from_list(
            "nnfs_proba", [_pale(colors[0], 0.35), (1.0, 1.0, 1.0), _pale(colors[1], 0.35)]
        )
    return ListedColormap([_pale(c) for c in colors[:n_classes]], name="nnfs_regions")


def _point_colors(y: np.ndarray, n_classes: int) -> np.ndarray:
    palette = np.array(class_colors(n_classes))
    return palette[np.asarray(y).reshape(-1).astype(np.intp) % n_classes]


def _set_scatter(points: Any, X: np.ndarray, y: np.ndarray, n_classes: int) -> None:
    points.set_offsets(np.asarray(X)[:, :2])
    points.set_facecolors(_point_colors(y, n_classes))


def _bounds(arrays: Sequence[np.ndarray], padding: float) -> tuple[float, float, float, float]:
    data = np.vstack([np.asarray(a)[:, :2] for a in arrays])
    low, high = data.min(axis=0), data.max(axis=0)
    span = np.where(high > low, high - low, 1.0)
    low, high = low - padding * span, high + padding * span
    return float(low[0]), float(high[0]), float(low[1]), float(high[1])


def plot_decision_regions(
    source: Any,
    X: np.ndarray,
    y: np.ndarray,
    *,
    X_val: np.ndarray | None = None,
    y_val: np.ndarray | None = None,
    ax: Axes | None = None,
    fig: Figure | None = None,
    n_classes: int | None = None,
    resolution: int = 200,
    bounds: tuple[float, float, float, float] | None = None,
    padding: float = 0.1,
    proba: bool = False,
    point_size: float | None = None,
    marker: str = "o",
    label: str = "training data",
    title: str | None = None,
    legend: bool | None = None,
) -> DecisionRegions:
    """Data points over the classes a model predicts on a grid.

    Args:
        source: a finalized :class:`~nnfs_core.Model` or a callable ``predict(X)``
            returning labels or class scores (see :func:`predict_classes`). ``None`` draws
            an empty background to be filled later with ``update``.
        X, y: training points ``(n, 2)`` and their classes (``(n,)`` or ``(n, 1)``),
            drawn with ``marker`` (circles) and called ``label`` in the legend.
        X_val, y_val: optional validation points, drawn as triangles.
        ax, fig: where to draw; a new figure when both are ``None``.
        n_classes: number of classes (default: from ``y`` and ``y_val``).
        resolution: grid points along each axis.
        bounds: ``(x_min, x_max, y_min, y_max)`` of the grid (default: the data plus
            ``padding`` of its range on each side).
        proba: shade P(class 1) from a single sigmoid output instead of class colours.
        title: axes title (default none).
        legend: show which marker is training and which validation (default: only when
            there are validation points).

    Returns:
        :class:`DecisionRegions`; ``regions.update(model)`` recolours the background.
    """
    ax = _new_axes(ax, fig)
    X = np.asarray(X)
    y = np.asarray(y).reshape(-1)
    labels = [y] if y_val is None else [y, np.asarray(y_val).reshape(-1)]
    if n_classes is None:
        n_classes = int(max(int(np.max(lab)) for lab in labels)) + 1
    if bounds is None:
        bounds = _bounds([X] if X_val is None else [X, X_val], padding)
    x_min, x_max, y_min, y_max = bounds
    xs = np.linspace(x_min, x_max, resolution)
    ys = np.linspace(y_min, y_max, resolution)
    xx, yy = np.meshgrid(xs, ys)
    grid = np.column_stack([xx.ravel(), yy.ravel()])
    shape = (resolution, resolution)

    image = ax.imshow(
        np.zeros(shape),
        extent=(x_min, x_max, y_min, y_max),
        origin="lower",
        cmap=_region_cmap(n_classes, proba),
        vmin=0.0 if proba else -0.5,
        vmax=1.0 if proba else n_classes - 0.5,
        interpolation="nearest",
        aspect="equal",
        zorder=0,
    )
    size = point_size if point_size is not None else (14 if len(X) <= 600 else 6)
    train_points = ax.scatter(
        X[:, 0],
        X[:, 1],
        c=_point_colors(y, n_classes),
        s=size,
        marker=marker,
        edgecolors="black",
        linewidths=0.3,
        label=label,
        zorder=2,
    )
    val_points = None
    if X_val is not None:
        X_val = np.asarray(X_val)
        val_points = ax.scatter(
            X_val[:, 0],
            X_val[:, 1],
            c=_point_colors(y_val, n_classes),
            s=size * 1.6,
            marker="^",
            edgecolors="black",
            linewidths=0.4,
            label="validation data",
            zorder=3,
        )
    ax.set_xlim(x_min, x_max)
    ax.set_ylim(y_min, y_max)
    ax.set_xlabel("feature 1 (x)")
    ax.set_ylabel("feature 2 (y)")
    if title:
        ax.set_title(title)
    if legend or (legend is None and val_points is not None):
        ax.legend(loc="upper right", fontsize="small", framealpha=0.8)
    regions = DecisionRegions(ax, image, train_points, val_points, grid, shape, n_classes, proba)
    if source is not None:
        regions.update(source)
    return regions


def update_decision_regions(regions: DecisionRegions, source: Any) -> AxesImage:
    """Recolour ``regions`` from ``source`` in place (same as ``regions.update(source)``)."""
    return regions.update(source)


# ---------------------------------------------------------------------------------------
# Training curves
# ---------------------------------------------------------------------------------------


@dataclass(eq=False)
class HistoryPlot:
    """Artists of :func:`plot_history`.

    ``axes`` maps a metric (``"loss"``, ``"accuracy"``, ``"learning_rate"``...) to its axes;
    ``lines`` maps a history key (``"loss"``, ``"val_loss"``...) to its line.
    """

    axes: dict[str, Axes]
    lines: dict[str, Line2D]
    fixed_limits: dict[str, tuple[float, float]] = field(default_factory=dict)

    def update(
        self,
        history: Any,
        *,
        upto: int | None = None,
        autoscale: bool = True,
        span: int | None = None,
    ) -> list[Line2D]:
        """Show ``history`` up to epoch ``upto`` (all of it by default), in place.

        With ``autoscale`` the axes fit the *whole* history, so a replay that stops at an
        earlier epoch keeps steady axes. ``span`` (a run still training: the epochs it will
        run) fixes the x axis at 0 to ``span`` instead, so that the curves grow across steady
        axes rather than the axes stretching under them at every frame.
        """
        epochs = np.asarray(history["epoch"], dtype=np.float64)
        n = len(epochs) if upto is None else int(np.searchsorted(epochs, upto, side="right"))
        changed = []
        for key, line in self.lines.items():
            values = np.asarray(history[key], dtype=np.float64)
            count = min(n, len(values))
            line.set_data(epochs[:count], values[:count])
            changed.append(line)
        if autoscale:
            for metric, ax in self.axes.items():
                self._fit(metric, ax, history, epochs, span)
        return changed

    def _fit(
        self, metric: str, ax: Axes, history: Any, epochs: np.ndarray, span: int | None = None
    ) -> None:
        last = float(epochs[-1]) if len(epochs) else 1.0
        ax.set_xlim(0.0, max(float(span) if span else last, 1.0))
        if metric in self.fixed_limits:
            ax.set_ylim(*self.fixed_limits[metric])
            return
        series = [
            np.asarray(history[key], dtype=np.float64)
            for key in (metric, f"val_{metric}")
            if key in self.lines and len(history[key])
        ]
        log = ax.get_yscale() == "log"
        if metric == "learning_rate":
            # Known from the first epoch on (it only decays): round ends, the same for live
            # frames and the final picture, and for runs of nearby learning rates.
            limits = rate_limits(series, log=log)
        else:
            limits = value_limits(series, log=log, robust="loss" in metric)
            if limits is not None and span:
                limits = _steady_limits(limits, ax.get_ylim(), log=log)
        if limits is not None:
            ax.set_ylim(*limits)


def rate_limits(series: Sequence[np.ndarray], *, log: bool = False) -> tuple[float, float] | None:
    """y limits for learning rates: from 0 (or, on a log axis, from below the smallest
    rate) to above the largest, ending on 1, 2 or 5 times a power of ten (:func:`round_end`)."""
    arrays = [np.asarray(v, dtype=np.float64) for v in series if len(v)]
    values = np.concatenate(arrays) if arrays else np.empty(0)
    values = values[np.isfinite(values) & (values > 0)]
    if not values.size:
        return None
    top = round_end(1.05 * float(values.max()), up=True)
    if log:
        return round_end(float(values.min()) / 1.05, up=False), top
    return 0.0, top


#: The y axis ends on one of these times a power of ten (1, 2, 5, 10, 20, ...).
ROUND_ENDS = (1.0, 2.0, 5.0)


def round_end(value: float, *, up: bool) -> float:
    """The nearest of 1, 2 and 5 times a power of ten above ``value`` (or below it, with
    ``up=False``), for a positive ``value``: where an axis showing learning rates ends.

    Why: limits fitted to the rate exactly (``1.05 * lr``) make every schedule of the same
    decay look alike whatever the learning rate, and change the ticks at every slider step.
    Rounded ends stay put over about a third of a decade, so a new learning rate moves the
    curve against steady ticks, and a lab does not draw the axes' frame again."""
    exponent = math.floor(math.log10(value))
    ladder = [
        m * 10.0**power for power in (exponent - 1, exponent, exponent + 1) for m in ROUND_ENDS
    ]
    tolerance = 1e-9 * value
    if up:
        return min(end for end in ladder if end >= value - tolerance)
    return max(end for end in ladder if end <= value + tolerance)


def _steady_limits(
    wanted: tuple[float, float], current: tuple[float, float], *, log: bool
) -> tuple[float, float]:
    """y limits for a frame of a run in progress: the current ones while they hold the
    values and the values fill at least half of them, else the values' with headroom (a
    quarter of their range above, and below where they can fall), so that the limits (and
    the frame drawn under the curves) change a few times per run, not at every frame."""
    scale = np.log10 if log else (lambda value: value)
    (low, high), (now_low, now_high) = wanted, sorted(current)
    if log and min(low, high, now_low, now_high) <= 0:
        return wanted
    inside = now_low <= low and high <= now_high
    if inside and scale(high) - scale(low) >= 0.5 * (scale(now_high) - scale(now_low)):
        return now_low, now_high
    if log:  # (a loss falling by decades: room below too)
        ratio = high / low
        return low / ratio**0.5, high * ratio**0.25
    margin = 0.25 * (high - low)
    return (low - margin if low < 0 else low), high + margin


def value_limits(
    series: Sequence[np.ndarray], *, log: bool = False, robust: bool = False
) -> tuple[float, float] | None:
    """y limits that show ``series`` from zero up (or, on a log axis, from their minimum).

    With ``robust`` the top is the 99th percentile or the first value, whichever is
    higher, so one early spike (a loss of 10 at step 2) does not flatten the rest of the
    curve; the spike then runs off the top of the axes.
    """
    arrays = [np.asarray(v, dtype=np.float64) for v in series if len(v)]
    arrays = [v[np.isfinite(v)] for v in arrays]
    arrays = [v for v in arrays if v.size]
    if not arrays:
        return None
    values = np.concatenate(arrays)
    high = float(values.max())
    if robust:
        high = min(high, max(float(np.percentile(values, 99)), max(float(v[0]) for v in arrays)))
    if log:
        positive = values[values > 0]
        if not positive.size:
            return None
        return float(positive.min()) / 1.5, max(high, float(positive.min())) * 1.5
    low = min(float(values.min()), 0.0)
    span = high - low or abs(high) or 1.0
    return low - 0.04 * span, high + 0.06 * span


def plot_history(
    history: Any,
    *,
    metrics: Sequence[str] = ("loss", "accuracy", "learning_rate"),
    axes: Sequence[Axes] | None = None,
    fig: Figure | None = None,
    validation: bool | None = None,
    upto: int | None = None,
    label: str | None = None,
    color: Any = None,
) -> HistoryPlot:
    """Curves of a :class:`~nnfs_core.History` against epochs, one axes per metric.

    Args:
        history: a History (or anything indexable by its keys, e.g. ``history.to_dict()``).
        metrics: which curves, each on its own axes: any of ``"loss"``, ``"data_loss"``,
            ``"regularization_loss"``, ``"accuracy"``, ``"learning_rate"``.
        axes: one axes per metric to draw into; new ones in one row otherwise (on ``fig``
            if given).
        validation: also draw ``val_loss``/``val_accuracy`` as dashed lines (default: when
            the history has them).
        upto: show epochs up to this one only (for replaying a run).
        label, color: name and colour of this run, to overlay several runs on the same
            axes (for example one per optimizer).

    Returns:
        :class:`HistoryPlot`; ``plot.update(history, upto=epoch)`` moves the lines in place.
    """
    metrics = list(metrics)
    for metric in metrics:
        if metric not in _METRIC_LABELS:
            raise ValueError(f"unknown metric {metric!r}; choose from {', '.join(_METRIC_LABELS)}.")
    if axes is None:
        if fig is None:
            fig = _new_figure((4.2 * len(metrics), 3.2))
        axes = fig.subplots(1, len(metrics), squeeze=False)[0]
    axes = list(axes)
    if len(axes) != len(metrics):
        raise ValueError(f"got {len(axes)} axes for {len(metrics)} metrics; pass one per metric.")
    if validation is None:
        validation = bool(len(history["val_loss"]))
    run = f"{label}: " if label else ""
    axes_by_metric: dict[str, Axes] = {}
    lines: dict[str, Line2D] = {}
    fixed: dict[str, tuple[float, float]] = {}
    for metric, ax in zip(metrics, axes, strict=True):
        axes_by_metric[metric] = ax
        (train_line,) = ax.plot([], [], color=color, lw=1.5, label=f"{run}training")
        lines[metric] = train_line
        if validation and metric in ("loss", "accuracy"):
            # One run alone: validation in its own colour; runs overlaid: one colour per run.
            val_color = train_line.get_color() if (label or color is not None) else "#ff7f0e"
            (val_line,) = ax.plot(
                [], [], color=val_color, lw=1.5, ls="--", label=f"{run}validation"
            )
            lines[f"val_{metric}"] = val_line
        ax.set_xlabel("epoch")
        ax.set_ylabel(_METRIC_LABELS[metric])
        ax.set_title(_METRIC_LABELS[metric])
        ax.grid(True, alpha=0.3)
        if metric == "accuracy":
            fixed[metric] = (0.0, 1.02)
        if metric == "learning_rate":
            ax.ticklabel_format(axis="y", style="sci", scilimits=(-3, 3))
    first = axes_by_metric[metrics[0]]
    if label or validation:
        first.legend(fontsize="small")
    plot = HistoryPlot(axes_by_metric, lines, fixed)
    plot.update(history, upto=upto)
    return plot


def update_history(plot: HistoryPlot, history: Any, *, upto: int | None = None) -> list[Line2D]:
    """Same as ``plot.update(history, upto=upto)``."""
    return plot.update(history, upto=upto)


# ---------------------------------------------------------------------------------------
# Weights and biases
# ---------------------------------------------------------------------------------------


@dataclass(eq=False)
class ParameterPlot:
    """Artists of :func:`plot_parameters`.

    ``images`` maps ``"W1"``, ``"b1"``, ``"dW1"``, ``"db1"``, ``"W2"``... to heat maps
    (``d`` for the update). A weight matrix with more rows than columns is drawn
    transposed, so that each heat map is wider than tall; ``transposed`` records which.
    """

    axes: dict[str, Axes]
    images: dict[str, AxesImage]
    transposed: dict[str, bool]
    n_layers: int
    show_updates: bool

    def update(self, parameters: Any, updates: Sequence[tuple] | None = None) -> None:
        """New values for every heat map; colour limits stay symmetric about zero."""
        pairs = _parameter_pairs(parameters)
        if len(pairs) != self.n_layers:
            raise ValueError(
                f"this plot shows {self.n_layers} layers; received {len(pairs)} (weights, "
                f"biases) pairs."
            )
        for index, (weights, biases) in enumerate(pairs, start=1):
            self._set(f"W{index}", weights, "weights")
            self._set(f"b{index}", biases, "biases")
        if self.show_updates:
            if updates is None:
                updates = [(np.zeros_like(w), np.zeros_like(b)) for w, b in pairs]
            for index, (dw, db) in enumerate(updates, start=1):
                self._set(f"dW{index}", dw, "update")
                self._set(f"db{index}", db, "update")

    def _set(self, name: str, values: np.ndarray, kind: str) -> None:
        values = np.asarray(values, dtype=np.float64)
        shown = values.T if self.transposed.get(name.lstrip("d"), False) else values
        image = self.images[name]
        if image.get_array() is None or image.get_array().shape != shown.shape:
            rows, cols = shown.shape
            image.set_extent((-0.5, cols - 0.5, rows - 0.5, -0.5))
        image.set_data(shown)
        peak = float(np.max(np.abs(values))) if values.size else 0.0
        limit = peak if peak > 0 else 1e-12
        image.set_clim(-limit, limit)
        self.axes[name].set_title(f"{_parameter_title(name, kind)}  ±{peak:.2g}", fontsize=9, y=1.0)


def _parameter_title(name: str, kind: str) -> str:
    layer = name.lstrip("dWb")
    if kind == "update":
        what = "weights" if "W" in name else "biases"
        return f"step of {what} {layer}"
    return f"{kind} {layer}"


def _parameter_pairs(parameters: Any) -> list[tuple[np.ndarray, np.ndarray]]:
    if hasattr(parameters, "get_parameters"):
        parameters = parameters.get_parameters()
    pairs = [(np.asarray(w), np.asarray(b)) for w, b in parameters]
    if not pairs:
        raise ValueError("no parameters to plot: expected at least one (weights, biases) pair.")
    return pairs


def plot_parameters(
    parameters: Any,
    updates: Sequence[tuple] | None = None,
    *,
    show_updates: bool | None = None,
    axes: Any = None,
    fig: Figure | None = None,
) -> ParameterPlot:
    """Heat maps of each layer's weights and biases, with the latest update beside each.

    Args:
        parameters: a finalized Model (its ``get_parameters()`` is read) or a list of
            ``(weights, biases)`` pairs, weights ``(n_inputs, n_neurons)``.
        updates: the optimizer's latest step, one ``(dweights, dbiases)`` pair per layer;
            see :func:`parameter_updates`.
        show_updates: draw the update column (default: when ``updates`` is given).
        axes: a ``(2 * n_layers, 1 or 2)`` array of axes, rows ``W1, b1, W2, b2...``,
            columns values and updates; new ones (on ``fig`` if given) otherwise.

    Each map has its own colour scale, symmetric about zero (red positive, blue negative,
    white zero); the title gives its largest magnitude. Updates are usually hundreds of
    times smaller than the weights, so a shared scale would hide them.

    Returns:
        :class:`ParameterPlot`; ``plot.update(parameters, updates)`` redraws in place.
    """
    pairs = _parameter_pairs(parameters)
    n_layers = len(pairs)
    if show_updates is None:
        show_updates = updates is not None
    columns = 2 if show_updates else 1
    if axes is None:
        if fig is None:
            fig = _new_figure((4.5 * columns, 1.4 * n_layers * 2))
        grid = fig.add_gridspec(2 * n_layers, columns, height_ratios=[3, 1] * n_layers)
        axes = np.array(
            [[fig.add_subplot(grid[r, c]) for c in range(columns)] for r in range(2 * n_layers)]
        )
    axes = np.asarray(axes, dtype=object).reshape(2 * n_layers, -1)
    if axes.shape[1] < columns:
        raise ValueError(
            f"axes has {axes.shape[1]} column(s); updates need 2 (values and updates)."
        )
    axes_by_name: dict[str, Axes] = {}
    images: dict[str, AxesImage] = {}
    transposed: dict[str, bool] = {}
    for index, (weights, biases) in enumerate(pairs, start=1):
        transposed[f"W{index}"] = weights.shape[0] > weights.shape[1]
        transposed[f"b{index}"] = False
        for row, name in ((2 * index - 2, f"W{index}"), (2 * index - 1, f"b{index}")):
            for column, prefix in enumerate(("", "d")[:columns]):
                ax = axes[row, column]
                key = prefix + name
                values = weights if name.startswith("W") else biases
                shown = values.T if transposed[name] else values
                images[key] = ax.imshow(
                    np.zeros(shown.shape),
                    cmap=PARAMETER_CMAP,
                    vmin=-1.0,
                    vmax=1.0,
                    aspect="auto",
                    interpolation="nearest",
                )
                axes_by_name[key] = ax
                _label_heat_map(ax, name, transposed[name])
    plot = ParameterPlot(axes_by_name, images, transposed, n_layers, bool(show_updates))
    plot.update(pairs, updates)
    return plot


def _label_heat_map(ax: Axes, name: str, transposed: bool) -> None:
    ax.tick_params(labelsize=7, length=2)
    ax.xaxis.set_major_locator(MaxNLocator(nbins=6, integer=True))
    ax.yaxis.set_major_locator(MaxNLocator(nbins=4, integer=True))
    if name.startswith("b"):
        ax.set_yticks([])
        ax.set_xlabel("neuron", fontsize=8, labelpad=1)
        return
    ax.set_xlabel("input" if transposed else "neuron", fontsize=8, labelpad=1)
    ax.set_ylabel("neuron" if transposed else "input", fontsize=8, labelpad=1)


# ---------------------------------------------------------------------------------------
# Learning-rate schedules
# ---------------------------------------------------------------------------------------


def lr_schedule(learning_rate: float, decay: float, steps: int) -> np.ndarray:
    """``learning_rate / (1 + decay * t)`` for ``t = 0, 1, ..., steps - 1``.

    ``t`` counts optimizer steps already taken, as ``Optimizer.iterations`` does, so the
    value at ``t`` is the ``current_learning_rate`` of step ``t + 1`` (with full-batch
    training, of epoch ``t + 1``). The arithmetic is the optimizer's own, to the last bit.
    """
    t = np.arange(int(steps), dtype=np.float64)
    return float(learning_rate) / (1.0 + float(decay) * t)


@dataclass(eq=False)
class ScheduleLine:
    """One schedule curve and the settings it shows."""

    line: Line2D
    learning_rate: float
    decay: float

    def update(self, learning_rate: float, decay: float, steps: int | None = None) -> Line2D:
        """Show another schedule on the same line (and another number of steps if given)."""
        self.learning_rate, self.decay = float(learning_rate), float(decay)
        if steps is None:
            steps = len(self.line.get_xdata())
        values = lr_schedule(learning_rate, decay, steps)
        self.line.set_data(np.arange(steps), values)
        self.line.set_label(_schedule_label(learning_rate, decay))
        return self.line


def _schedule_label(learning_rate: float, decay: float) -> str:
    return f"lr={learning_rate:.3g}, decay={decay:.3g}"


def plot_lr_schedules(
    schedules: Sequence[tuple[float, float]],
    *,
    steps: int = 10_000,
    ax: Axes | None = None,
    fig: Figure | None = None,
    log: bool = False,
    legend: bool = True,
) -> list[ScheduleLine]:
    """Overlay ``learning_rate / (1 + decay * step)`` for each ``(learning_rate, decay)``.

    Returns one :class:`ScheduleLine` per schedule; ``s.update(lr, decay)`` moves it.
    """
    ax = _new_axes(ax, fig)
    made = []
    for learning_rate, decay in schedules:
        (line,) = ax.plot([], [], lw=1.8)
        schedule = ScheduleLine(line, float(learning_rate), float(decay))
        schedule.update(learning_rate, decay, steps)
        made.append(schedule)
    ax.set_xlabel("step (optimizer iterations)")
    ax.set_ylabel("current learning rate")
    ax.set_title("learning-rate decay: lr / (1 + decay · step)")
    ax.set_yscale("log" if log else "linear")
    ax.grid(True, alpha=0.3)
    if made:
        ax.set_xlim(0, steps - 1 if steps > 1 else 1)
        top = max(s.learning_rate for s in made)
        if not log:
            ax.set_ylim(0.0, 1.05 * top)
    if legend and made:
        ax.legend(fontsize="small")
    return made


def update_lr_schedule(
    schedule: ScheduleLine, learning_rate: float, decay: float, steps: int | None = None
) -> Line2D:
    """Same as ``schedule.update(learning_rate, decay, steps)``."""
    return schedule.update(learning_rate, decay, steps)


# ---------------------------------------------------------------------------------------
# Regression
# ---------------------------------------------------------------------------------------


@dataclass(eq=False)
class RegressionPlot:
    """Artists of :func:`plot_regression`: the data and the model's curve."""

    ax: Axes
    data_line: Line2D
    model_line: Line2D

    def update(self, source: Any = None, *, values: np.ndarray | None = None) -> Line2D:
        """Move the model's curve to ``source``'s predictions (or to ``values``)."""
        x = np.asarray(self.model_line.get_xdata(), dtype=np.float64)
        if values is None:
            values = predict_scores(source, x.reshape(-1, 1))
        self.model_line.set_ydata(np.asarray(values, dtype=np.float64).reshape(-1))
        return self.model_line

    def set_data(self, X: np.ndarray, y: np.ndarray) -> None:
        """Show other data (the model line then follows the new ``X``)."""
        x = np.asarray(X, dtype=np.float64).reshape(-1)
        self.data_line.set_data(x, np.asarray(y, dtype=np.float64).reshape(-1))
        self.model_line.set_data(x, np.full_like(x, np.nan))


def plot_regression(
    source: Any,
    X: np.ndarray,
    y: np.ndarray,
    *,
    ax: Axes | None = None,
    fig: Figure | None = None,
    ylim: tuple[float, float] | None = (-1.5, 1.5),
    title: str | None = None,
) -> RegressionPlot:
    """The data ``(X, y)`` (one feature) as dots and the model's predictions as a line.

    ``source`` is a Model, a callable, or ``None`` (draw the data now, the curve later with
    ``update``). ``ylim`` keeps the view steady while a bad model's curve runs off.
    """
    ax = _new_axes(ax, fig)
    x = np.asarray(X, dtype=np.float64).reshape(-1)
    (data_line,) = ax.plot(
        x, np.asarray(y, dtype=np.float64).reshape(-1), ".", ms=3, color="0.45", label="data"
    )
    (model_line,) = ax.plot(x, np.full_like(x, np.nan), color=CLASS_COLORS[3], lw=2, label="model")
    ax.set_xlabel("x")
    ax.set_ylabel("y")
    if ylim is not None:
        ax.set_ylim(*ylim)
    if title:
        ax.set_title(title)
    ax.grid(True, alpha=0.3)
    ax.legend(loc="upper right", fontsize="small")
    plot = RegressionPlot(ax, data_line, model_line)
    if source is not None:
        plot.update(source)
    return plot
