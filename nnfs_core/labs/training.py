"""The labs' training runs, in plain Python: settings in, a :class:`TrainingResult` out.

Nothing here touches widgets or matplotlib, so a run can be repeated in a script or a test
exactly as a lab does it::

    from nnfs_core.labs.training import OptimizerSettings, run_optimizer

    result = run_optimizer(OptimizerSettings(optimizer="SGD", learning_rate=1.0, epochs=500))
    result.history.loss[-1], result.snapshot_at(250).parameters

Every run draws its randomness from one ``np.random.RandomState(seed)`` passed in the
book's order: the training data, then each layer from first to last, then dropout masks
while training. Validation data, which the book makes after training, comes from a second
generator, ``RandomState(seed + 1)``, so it exists before the first epoch and does not
depend on how long training ran.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable
from dataclasses import dataclass, field, fields, replace
from typing import Any

import numpy as np

from ..accuracy import CategoricalAccuracy, RegressionAccuracy
from ..activations import Linear, ReLU, Sigmoid, Softmax
from ..datasets import sine_data, spiral_data
from ..layers import Dense, Dropout
from ..losses import BinaryCrossentropy, CategoricalCrossentropy, MeanSquaredError
from ..model import History, Model
from ..optimizers import SGD, Adagrad, Adam, RMSprop

__all__ = [
    "BOOK_LEARNING_RATES",
    "OPTIMIZERS",
    "OPTIMIZER_HYPERPARAMETERS",
    "BinarySettings",
    "LiveRun",
    "OptimizerSettings",
    "RegressionSettings",
    "RegularizationSettings",
    "Snapshot",
    "TrainingResult",
    "make_optimizer",
    "run_binary",
    "run_optimizer",
    "run_regression",
    "run_regularization",
    "snapshot_interval",
    "train_with_snapshots",
]

#: Display name → optimizer class.
OPTIMIZERS = {"SGD": SGD, "AdaGrad": Adagrad, "RMSProp": RMSprop, "Adam": Adam}

#: The hyperparameters each optimizer reads besides learning rate and decay.
OPTIMIZER_HYPERPARAMETERS = {
    "SGD": ("momentum",),
    "AdaGrad": ("epsilon",),
    "RMSProp": ("rho", "epsilon"),
    "Adam": ("beta_1", "beta_2", "epsilon"),
}
_ALL_HYPERPARAMETERS = ("momentum", "rho", "beta_1", "beta_2", "epsilon")

#: Starting learning rates from chapter 10's experiments, one per optimizer.
BOOK_LEARNING_RATES = {"SGD": 1.0, "AdaGrad": 1.0, "RMSProp": 0.02, "Adam": 0.05}

#: Most memory one run's snapshots may take (bytes); wide layers get fewer snapshots.
SNAPSHOT_BUDGET = 16 * 2**20

#: Called after each epoch with ``(epoch, history)``; returning ``False`` stops the run.
Callback = Callable[[int, History], Any]


# ---------------------------------------------------------------------------------------
# Snapshots and results
# ---------------------------------------------------------------------------------------

Pairs = tuple[tuple[np.ndarray, np.ndarray], ...]


@dataclass(frozen=True, eq=False)
class Snapshot:
    """The parameters after ``epoch`` epochs, and the step that the last epoch took.

    ``updates`` is ``parameters(epoch) - parameters(epoch - 1)`` per layer, which with
    full-batch training is exactly one optimizer step; ``None`` for epoch 0 (the initial
    weights, before any step).
    """

    epoch: int
    parameters: Pairs
    updates: Pairs | None


@dataclass(eq=False)
class TrainingResult:
    """What a run produced: the history, parameter snapshots and the data it saw."""

    settings: Any
    history: History
    snapshots: list[Snapshot]
    data: dict[str, np.ndarray]
    model: Model
    rebuild: Callable[[], Model]
    epochs_requested: int
    snapshot_every: int
    seconds: float
    memo: dict = field(default_factory=dict, repr=False)
    _viewer: Model | None = field(default=None, repr=False)

    @property
    def stopped(self) -> bool:
        """True when the run ended before ``epochs_requested`` (Stop was pressed)."""
        return len(self.history) < self.epochs_requested

    @property
    def epochs_done(self) -> int:
        return len(self.history)

    def snapshot_at(self, epoch: int) -> Snapshot:
        """The last snapshot taken at or before ``epoch``."""
        chosen = self.snapshots[0]
        for snapshot in self.snapshots:
            if snapshot.epoch > epoch:
                break
            chosen = snapshot
        return chosen

    def model_at(self, epoch: int) -> Model:
        """A model of the same shape holding the snapshot's parameters, for drawing.

        It is a separate copy built for viewing (one per result, reused); the trained
        ``model`` is never changed.
        """
        if self._viewer is None:
            self._viewer = self.rebuild()
        self._viewer.set_parameters(self.snapshot_at(epoch).parameters)
        return self._viewer


@dataclass(frozen=True)
class Rebuild:
    """``rebuild()``: a model of a run's shape (fresh weights), for drawing its snapshots.

    A class rather than a lambda so that a result can be pickled: a lab in a kernel trains
    in another process (:mod:`nnfs_core.labs.training_process`) and gets its result back
    that way."""

    build: Callable[[Any, np.random.RandomState], Model]
    settings: Any

    def __call__(self) -> Model:
        return self.build(self.settings, np.random.RandomState(0))


class LiveRun:
    """A run in progress as the kernel's main thread may draw it (live frames).

    The training thread sets :attr:`latest` after every epoch, one reference assignment of a
    tuple it never changes again (parameters are copies), so the main thread reads a whole
    epoch or the one before, never half of one. :meth:`result` then gives a
    :class:`TrainingResult` of that epoch, which a lab draws as it draws a finished run.
    """

    def __init__(self) -> None:
        #: ``(epoch, parameters, previous parameters)``, or None before the first epoch.
        self.latest: tuple[int, Pairs, Pairs] | None = None
        self._run: tuple[Any, dict, Callable[[], Model]] | None = None
        self._viewer: Model | None = None

    def begin(self, settings: Any, data: dict[str, np.ndarray], rebuild: Callable[[], Model]):
        self._run = (settings, data, rebuild)

    def result(self, history: History, state: tuple | None = None) -> TrainingResult | None:
        """The run as of the epoch of ``state`` (a value :attr:`latest` had; by default its
        value now), with ``history``, a copy up to that same epoch: the training thread
        takes both together, since the run goes on while the main thread draws."""
        latest, run = (self.latest if state is None else state), self._run
        if latest is None or run is None:
            return None
        epoch, parameters, previous = latest
        if epoch != len(history):
            return None  # not the same epoch: nothing consistent to draw
        settings, data, rebuild = run
        updates = _steps(parameters, previous)
        if self._viewer is None:
            self._viewer = rebuild()
        return TrainingResult(
            settings=settings,
            history=history,
            snapshots=[Snapshot(epoch, parameters, updates)],
            data=data,
            model=self._viewer,
            rebuild=rebuild,
            epochs_requested=settings.epochs,
            snapshot_every=1,
            seconds=0.0,
            _viewer=self._viewer,
        )


def _steps(current: Pairs, previous: Pairs) -> Pairs:
    """Per layer, the parameters minus the previous epoch's: with full-batch training,
    exactly the step the optimizer took."""
    return tuple((w - w0, b - b0) for (w, b), (w0, b0) in zip(current, previous, strict=True))


def snapshot_interval(epochs: int, max_snapshots: int = 100) -> int:
    """Epochs between snapshots so that a run keeps at most about ``max_snapshots``."""
    return max(1, math.ceil(int(epochs) / max(1, int(max_snapshots))))


def train_with_snapshots(
    model: Model,
    X: np.ndarray,
    y: np.ndarray,
    *,
    epochs: int,
    validation_data: tuple[np.ndarray, np.ndarray] | None = None,
    callback: Callback | None = None,
    max_snapshots: int = 100,
    live: LiveRun | None = None,
) -> tuple[History, list[Snapshot], int]:
    """``model.train`` full batch, keeping a snapshot every few epochs.

    Snapshots are taken at epoch 0, every ``snapshot_interval(epochs)`` epochs, at the last
    epoch and at the epoch where ``callback`` stopped the run. Their number is also capped
    so that they fit in :data:`SNAPSHOT_BUDGET` bytes (a 512-wide hidden layer of the
    regression model keeps a handful, not a hundred). Only the Model's public
    ``get_parameters`` is used, once per epoch (the previous epoch's copy gives the update).
    With ``live``, each epoch's parameters are also handed to a :class:`LiveRun` (before
    ``callback`` hears of the epoch). Returns ``(history, snapshots, interval)``.
    """
    previous = tuple(model.get_parameters())
    snapshot_bytes = 2 * sum(w.nbytes + b.nbytes for w, b in previous)
    affordable = max(2, SNAPSHOT_BUDGET // max(snapshot_bytes, 1))
    every = snapshot_interval(epochs, min(max_snapshots, affordable))
    snapshots = [Snapshot(0, previous, None)]

    def on_epoch(epoch: int, history: History) -> bool:
        nonlocal previous
        current = tuple(model.get_parameters())
        if live is not None:
            live.latest = (epoch, current, previous)
        keep_going = not (callback is not None and callback(epoch, history) is False)
        if epoch % every == 0 or epoch == epochs or not keep_going:
            updates = _steps(current, previous)
            snapshots.append(Snapshot(epoch, current, updates))
        previous = current
        return keep_going

    history = model.train(
        X,
        y,
        epochs=epochs,
        print_every=None,
        validation_data=validation_data,
        callback=on_epoch,
    )
    return history, snapshots, every


def _settings_key(settings: Any, irrelevant: tuple[str, ...] = ()) -> tuple:
    return tuple(
        (f.name, None if f.name in irrelevant else getattr(settings, f.name))
        for f in fields(settings)
    )


def _finish(
    settings: Any,
    model: Model,
    rebuild: Callable[[], Model],
    data: dict[str, np.ndarray],
    started: float,
    callback: Callback | None,
    max_snapshots: int,
    live: LiveRun | None = None,
) -> TrainingResult:
    validation = (data["X_val"], data["y_val"]) if "X_val" in data else None
    if live is not None:
        live.begin(settings, data, rebuild)
    history, snapshots, every = train_with_snapshots(
        model,
        data["X"],
        data["y"],
        epochs=settings.epochs,
        validation_data=validation,
        callback=callback,
        max_snapshots=max_snapshots,
        live=live,
    )
    return TrainingResult(
        settings=settings,
        history=history,
        snapshots=snapshots,
        data=data,
        model=model,
        rebuild=rebuild,
        epochs_requested=settings.epochs,
        snapshot_every=every,
        seconds=time.perf_counter() - started,
    )


def _model(layers: list, loss: Any, optimizer: Any, accuracy: Any) -> Model:
    model = Model()
    for layer in layers:
        model.add(layer)
    model.set(loss=loss, optimizer=optimizer, accuracy=accuracy)
    model.finalize()
    return model


# ---------------------------------------------------------------------------------------
# Chapter 10: optimizers on the spiral
# ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class OptimizerSettings:
    """Chapter 10's run: ``spiral_data(samples, 3)``, Dense(2, hidden) → ReLU → Dense(hidden,
    3) → softmax + cross-entropy, full batch, one optimizer."""

    optimizer: str = "Adam"
    learning_rate: float = 0.05
    decay: float = 5e-7
    momentum: float = 0.9
    rho: float = 0.9
    beta_1: float = 0.9
    beta_2: float = 0.999
    epsilon: float = 1e-7
    hidden: int = 64
    epochs: int = 1000
    samples: int = 100
    seed: int = 0

    def __post_init__(self) -> None:
        if self.optimizer not in OPTIMIZERS:
            raise ValueError(
                f"optimizer must be one of {', '.join(OPTIMIZERS)}; received {self.optimizer!r}."
            )

    def relevant(self) -> tuple[str, ...]:
        """The hyperparameters the chosen optimizer reads (besides learning rate, decay)."""
        return OPTIMIZER_HYPERPARAMETERS[self.optimizer]

    def key(self) -> tuple:
        """Cache key: every field, with the ones this optimizer ignores blanked out, so
        moving a disabled slider does not count as a new run."""
        ignored = tuple(name for name in _ALL_HYPERPARAMETERS if name not in self.relevant())
        return _settings_key(self, ignored)


def make_optimizer(settings: Any) -> Any:
    """The optimizer named by ``settings.optimizer`` with the hyperparameters it reads."""
    extra = {
        name: getattr(settings, name) for name in OPTIMIZER_HYPERPARAMETERS[settings.optimizer]
    }
    return OPTIMIZERS[settings.optimizer](
        learning_rate=settings.learning_rate, decay=settings.decay, **extra
    )


def _spiral_classifier(settings: OptimizerSettings, rng: Any) -> Model:
    return _model(
        [Dense(2, settings.hidden, rng=rng), ReLU(), Dense(settings.hidden, 3, rng=rng), Softmax()],
        CategoricalCrossentropy(),
        make_optimizer(settings),
        CategoricalAccuracy(),
    )


def run_optimizer(
    settings: OptimizerSettings | None = None,
    *,
    callback: Callback | None = None,
    max_snapshots: int = 100,
    live: LiveRun | None = None,
) -> TrainingResult:
    """Train chapter 10's spiral classifier with ``settings``; see :class:`OptimizerSettings`."""
    settings = settings or OptimizerSettings()
    started = time.perf_counter()
    rng = np.random.RandomState(settings.seed)
    X, y = spiral_data(settings.samples, 3, rng=rng)
    model = _spiral_classifier(settings, rng)
    return _finish(
        settings,
        model,
        Rebuild(_spiral_classifier, settings),
        {"X": X, "y": y},
        started,
        callback,
        max_snapshots,
        live,
    )


# ---------------------------------------------------------------------------------------
# Chapters 14 and 15: regularization and dropout
# ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class RegularizationSettings:
    """Chapters 14–15: Dense(2, hidden, L1/L2) → ReLU → Dropout → Dense(hidden, 3) → softmax,
    Adam, validated on a fresh spiral. Defaults are chapter 15's except the length: the book
    uses ``samples=1000, epochs=10001`` (about a minute)."""

    weight_l1: float = 0.0
    weight_l2: float = 5e-4
    bias_l1: float = 0.0
    bias_l2: float = 5e-4
    dropout: float = 0.1
    hidden: int = 64
    learning_rate: float = 0.05
    decay: float = 5e-5
    epochs: int = 1000
    samples: int = 100
    val_samples: int = 100
    seed: int = 0

    def key(self) -> tuple:
        return _settings_key(self)


def _regularized_classifier(settings: RegularizationSettings, rng: Any) -> Model:
    s = settings
    layers: list[Any] = [
        Dense(
            2,
            s.hidden,
            weight_regularizer_l1=s.weight_l1,
            weight_regularizer_l2=s.weight_l2,
            bias_regularizer_l1=s.bias_l1,
            bias_regularizer_l2=s.bias_l2,
            rng=rng,
        ),
        ReLU(),
    ]
    if s.dropout > 0:
        layers.append(Dropout(s.dropout, rng=rng))
    layers += [Dense(s.hidden, 3, rng=rng), Softmax()]
    return _model(
        layers,
        CategoricalCrossentropy(),
        Adam(learning_rate=s.learning_rate, decay=s.decay),
        CategoricalAccuracy(),
    )


def run_regularization(
    settings: RegularizationSettings | None = None,
    *,
    callback: Callback | None = None,
    max_snapshots: int = 100,
    live: LiveRun | None = None,
) -> TrainingResult:
    """Train the regularized spiral classifier; validation on ``spiral_data(val_samples, 3)``."""
    settings = settings or RegularizationSettings()
    started = time.perf_counter()
    rng = np.random.RandomState(settings.seed)
    X, y = spiral_data(settings.samples, 3, rng=rng)
    model = _regularized_classifier(settings, rng)
    X_val, y_val = spiral_data(
        settings.val_samples, 3, rng=np.random.RandomState(settings.seed + 1)
    )
    return _finish(
        settings,
        model,
        Rebuild(_regularized_classifier, settings),
        {"X": X, "y": y, "X_val": X_val, "y_val": y_val},
        started,
        callback,
        max_snapshots,
        live,
    )


# ---------------------------------------------------------------------------------------
# Chapter 16: binary logistic regression
# ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class BinarySettings:
    """Chapter 16: ``spiral_data(samples, 2)``, Dense(2, hidden, L2 on weights and biases) →
    ReLU → Dense(hidden, 1) → sigmoid, binary cross-entropy, Adam. The book trains
    ``epochs=10001`` (about 5 s); the default here is shorter."""

    learning_rate: float = 0.001
    decay: float = 5e-7
    l2: float = 5e-4
    hidden: int = 64
    epochs: int = 2000
    samples: int = 100
    val_samples: int = 100
    seed: int = 0

    def key(self) -> tuple:
        return _settings_key(self)


def _binary_classifier(settings: BinarySettings, rng: Any) -> Model:
    s = settings
    return _model(
        [
            Dense(2, s.hidden, weight_regularizer_l2=s.l2, bias_regularizer_l2=s.l2, rng=rng),
            ReLU(),
            Dense(s.hidden, 1, rng=rng),
            Sigmoid(),
        ],
        BinaryCrossentropy(),
        Adam(learning_rate=s.learning_rate, decay=s.decay),
        CategoricalAccuracy(binary=True),
    )


def run_binary(
    settings: BinarySettings | None = None,
    *,
    callback: Callback | None = None,
    max_snapshots: int = 100,
    live: LiveRun | None = None,
) -> TrainingResult:
    """Train chapter 16's two-class spiral model; targets reshaped to ``(n, 1)``."""
    settings = settings or BinarySettings()
    started = time.perf_counter()
    rng = np.random.RandomState(settings.seed)
    X, y = spiral_data(settings.samples, 2, rng=rng)
    model = _binary_classifier(settings, rng)
    X_val, y_val = spiral_data(
        settings.val_samples, 2, rng=np.random.RandomState(settings.seed + 1)
    )
    data = {"X": X, "y": y.reshape(-1, 1), "X_val": X_val, "y_val": y_val.reshape(-1, 1)}
    return _finish(
        settings,
        model,
        Rebuild(_binary_classifier, settings),
        data,
        started,
        callback,
        max_snapshots,
        live,
    )


# ---------------------------------------------------------------------------------------
# Chapter 17: regression
# ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class RegressionSettings:
    """Chapter 17: ``sine_data(samples)``, Dense(1, hidden) → ReLU → Dense(hidden, hidden) →
    ReLU → Dense(hidden, 1) → linear, mean squared error, Adam. ``weight_scale`` multiplies
    the initial random weights: the book's lesson is 0.01 (stuck) against 0.1 (fits). The
    book uses ``samples=1000, epochs=10001`` (about 20 s)."""

    weight_scale: float = 0.1
    learning_rate: float = 0.005
    decay: float = 1e-3
    hidden: int = 64
    epochs: int = 1000
    samples: int = 200
    seed: int = 0

    def key(self) -> tuple:
        return _settings_key(self)


def _regressor(settings: RegressionSettings, rng: Any) -> Model:
    s, scale = settings, settings.weight_scale
    return _model(
        [
            Dense(1, s.hidden, rng=rng, weight_scale=scale),
            ReLU(),
            Dense(s.hidden, s.hidden, rng=rng, weight_scale=scale),
            ReLU(),
            Dense(s.hidden, 1, rng=rng, weight_scale=scale),
            Linear(),
        ],
        MeanSquaredError(),
        Adam(learning_rate=s.learning_rate, decay=s.decay),
        RegressionAccuracy(),
    )


def run_regression(
    settings: RegressionSettings | None = None,
    *,
    callback: Callback | None = None,
    max_snapshots: int = 100,
    live: LiveRun | None = None,
) -> TrainingResult:
    """Fit chapter 17's sine regressor."""
    settings = settings or RegressionSettings()
    started = time.perf_counter()
    rng = np.random.RandomState(settings.seed)
    X, y = sine_data(settings.samples)
    model = _regressor(settings, rng)
    return _finish(
        settings,
        model,
        Rebuild(_regressor, settings),
        {"X": X, "y": y},
        started,
        callback,
        max_snapshots,
        live,
    )


def with_changes(settings: Any, **changes: Any) -> Any:
    """A copy of frozen ``settings`` with some fields changed (``dataclasses.replace``)."""
    return replace(settings, **changes)
