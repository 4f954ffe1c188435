"""The Model: layers in a chain, one loss, one optimizer, one accuracy.

It does what the training scripts of chapters 9 to 17 do by hand, and
returns a :class:`History` so that plots and labs can read a run without
reaching into the layers.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, fields
from os import PathLike
from typing import Any

import numpy as np

from . import _validation as check
from .accuracy import Accuracy
from .activations import Softmax
from .layers import Input
from .losses import CategoricalCrossentropy, Loss, SoftmaxCategoricalCrossentropy
from .optimizers import Optimizer


@dataclass
class History:
    """Per-epoch record of a training run; every list has one entry per epoch.

    ``loss`` is ``data_loss + regularization_loss``; ``learning_rate`` is the
    optimizer's ``current_learning_rate`` at the epoch's last step. The
    validation lists stay empty unless ``validation_data`` was given.
    """

    epoch: list[int] = field(default_factory=list)
    loss: list[float] = field(default_factory=list)
    data_loss: list[float] = field(default_factory=list)
    regularization_loss: list[float] = field(default_factory=list)
    accuracy: list[float] = field(default_factory=list)
    learning_rate: list[float] = field(default_factory=list)
    val_loss: list[float] = field(default_factory=list)
    val_accuracy: list[float] = field(default_factory=list)

    def __getitem__(self, key: str) -> list:
        if key not in self.keys():
            raise KeyError(f"History has no {key!r}; available: {', '.join(self.keys())}.")
        return getattr(self, key)

    def __len__(self) -> int:
        return len(self.epoch)

    def keys(self) -> list[str]:
        return [f.name for f in fields(self)]

    def to_dict(self) -> dict[str, list]:
        """Plain lists, for JSON or a pandas DataFrame."""
        return {key: list(getattr(self, key)) for key in self.keys()}


#: Called after every epoch with ``(epoch, history)``; returning ``False`` stops training.
EpochCallback = Callable[[int, History], Any]


class Model:
    """``add`` layers, ``set`` loss/optimizer/accuracy, ``finalize``, then ``train``."""

    def __init__(self) -> None:
        self.layers: list[Any] = []
        self.loss: Loss | None = None
        self.optimizer: Optimizer | None = None
        self.accuracy: Accuracy | None = None
        self.finalized = False
        self.softmax_classifier_output: SoftmaxCategoricalCrossentropy | None = None

    def __repr__(self) -> str:
        chain = " → ".join(repr(layer) for layer in self.layers) or "no layers"
        return f"Model({chain}; loss={self.loss!r}, optimizer={self.optimizer!r})"

    # -- building ---------------------------------------------------------------
    def add(self, layer: Any) -> None:
        """Append a layer or activation (anything with ``forward`` and ``backward``)."""
        if not (hasattr(layer, "forward") and hasattr(layer, "backward")):
            raise TypeError(
                f"Model.add: expected a layer or activation with forward() and backward(); "
                f"received {check.describe(layer)}. Fix: add an instance, e.g. "
                f"model.add(Dense(2, 64)), not the class or a function."
            )
        self.layers.append(layer)
        self.finalized = False

    def set(
        self,
        *,
        loss: Loss | None = None,
        optimizer: Optimizer | None = None,
        accuracy: Accuracy | None = None,
    ) -> None:
        """Choose the loss, optimizer and accuracy (each optional, keyword only)."""
        if loss is not None:
            self.loss = loss
        if optimizer is not None:
            self.optimizer = optimizer
        if accuracy is not None:
            self.accuracy = accuracy
        self.finalized = False

    def finalize(self) -> None:
        """Collect trainable layers and pick the fast softmax + CCE backward when it applies."""
        if not self.layers:
            raise RuntimeError(
                "Model.finalize: the model has no layers. Fix: model.add(...) first."
            )
        self.input_layer = Input()
        self.trainable_layers = [layer for layer in self.layers if hasattr(layer, "weights")]
        self.output_layer_activation = self.layers[-1]
        if self.loss is not None:
            self.loss.remember_trainable_layers(self.trainable_layers)
        uses_shortcut = isinstance(self.layers[-1], Softmax) and isinstance(
            self.loss, CategoricalCrossentropy
        )
        self.softmax_classifier_output = SoftmaxCategoricalCrossentropy() if uses_shortcut else None
        self.finalized = True

    # -- passes -----------------------------------------------------------------
    def forward(self, X: Any, training: bool = False) -> np.ndarray:
        """Run every layer in order; returns the last layer's output."""
        self._require_finalized("forward")
        self.input_layer.forward(X, training)
        output = self.input_layer.output
        for layer in self.layers:
            output = layer.forward(output, training)
        return output

    def backward(self, output: np.ndarray, y: Any) -> None:
        """Backpropagate from the loss through every layer in reverse order."""
        if self.softmax_classifier_output is not None:
            self.softmax_classifier_output.backward(output, y)
            self.layers[-1].dinputs = self.softmax_classifier_output.dinputs
            upstream = self.layers[-1].dinputs
            remaining = self.layers[:-1]
        else:
            upstream = self.loss.backward(output, y)
            remaining = self.layers
        for layer in reversed(remaining):
            upstream = layer.backward(upstream)

    # -- training and evaluation ------------------------------------------------
    def train(
        self,
        X: Any,
        y: Any,
        *,
        epochs: int = 1,
        batch_size: int | None = None,
        print_every: int | None = 1,
        validation_data: tuple[Any, Any] | None = None,
        callback: EpochCallback | None = None,
    ) -> History:
        """Train for ``epochs`` passes over ``X`` ``(n_samples, n_features)``.

        ``batch_size=None`` trains on the whole set each step (chapters 10 to
        18); otherwise each epoch walks the data in order in batches (chapter
        19; shuffle beforehand). ``print_every`` prints a summary every that
        many epochs (``None`` or 0: silent). ``callback(epoch, history)`` runs
        after each epoch; returning ``False`` stops early (the labs' Stop button).
        """
        self._require_ready("train")
        epochs = check.positive_int(epochs, name="epochs", where="Model.train")
        X, y = self._data(X, y, where="Model.train")
        if validation_data is not None:
            validation_data = self._validation_pair(validation_data)
        self.accuracy.init(y)
        history = History()
        for epoch in range(1, epochs + 1):
            self.loss.new_pass()
            self.accuracy.new_pass()
            for batch_X, batch_y in _batches(X, y, batch_size):
                self._train_step(batch_X, batch_y, epoch)
            self._record(history, epoch, validation_data, batch_size)
            if print_every and (epoch % print_every == 0 or epoch == epochs):
                print(_summary(history))
            if callback is not None and callback(epoch, history) is False:
                break
        return history

    def evaluate(
        self, X_val: Any, y_val: Any, *, batch_size: int | None = None, verbose: bool = True
    ) -> tuple[float, float]:
        """Mean data loss and accuracy on ``X_val`` with dropout off; returns ``(loss, acc)``."""
        self._require_ready("evaluate")
        X_val, y_val = self._data(X_val, y_val, where="Model.evaluate")
        self.loss.new_pass()
        self.accuracy.new_pass()
        if getattr(self.accuracy, "precision", 0) is None:
            self.accuracy.init(y_val)
        for batch_X, batch_y in _batches(X_val, y_val, batch_size):
            output = self.forward(batch_X, training=False)
            self.loss.calculate(output, batch_y)
            self.accuracy.calculate(self.output_layer_activation.predictions(output), batch_y)
        loss = float(self.loss.calculate_accumulated())
        accuracy = float(self.accuracy.calculate_accumulated())
        if verbose:
            print(f"validation, acc: {accuracy:.3f}, loss: {loss:.3f}")
        return loss, accuracy

    def predict(self, X: Any, *, batch_size: int | None = None) -> np.ndarray:
        """Outputs of the last layer for ``X``, in batches if asked, with dropout off."""
        self._require_finalized("predict")
        X = check.batch(X, name="X", where="Model.predict")
        outputs = [
            self.forward(batch_X, training=False) for batch_X, _ in _batches(X, None, batch_size)
        ]
        return np.vstack(outputs)

    # -- parameters and files ---------------------------------------------------
    def get_parameters(self) -> list[tuple[np.ndarray, np.ndarray]]:
        """``[(weights, biases), ...]`` for each trainable layer, as copies."""
        self._require_finalized("get_parameters")
        return [layer.get_parameters() for layer in self.trainable_layers]

    def set_parameters(self, parameters: list[tuple[Any, Any]]) -> None:
        """Load ``[(weights, biases), ...]`` in trainable-layer order, shapes checked."""
        self._require_finalized("set_parameters")
        parameters = list(parameters)
        if len(parameters) != len(self.trainable_layers):
            raise ValueError(
                f"Model.set_parameters: received {len(parameters)} (weights, biases) pairs; "
                f"this model has {len(self.trainable_layers)} trainable layers. Fix: pass the "
                f"list returned by get_parameters() of a model with the same layers."
            )
        for layer, pair in zip(self.trainable_layers, parameters, strict=True):
            layer.set_parameters(*pair)

    def save_parameters(self, path: str | PathLike) -> None:
        """Write weights and biases only (``.npz``); see :func:`nnfs_core.serialization`."""
        from .serialization import save_parameters

        save_parameters(self, path)

    def load_parameters(self, path: str | PathLike) -> None:
        from .serialization import load_parameters

        load_parameters(self, path)

    def save(self, path: str | PathLike) -> None:
        """Write the whole model (structure, parameters, optimizer state) without pickle."""
        from .serialization import save_model

        save_model(self, path)

    @staticmethod
    def load(path: str | PathLike) -> Model:
        from .serialization import load_model

        return load_model(path)

    # -- helpers ----------------------------------------------------------------
    def _require_finalized(self, action: str) -> None:
        if not self.finalized:
            raise RuntimeError(
                f"Model.{action}: the model is not finalized. Expected add(...), set(...) and "
                f"then finalize() before {action}(). Fix: call model.finalize()."
            )

    def _require_ready(self, action: str) -> None:
        self._require_finalized(action)
        missing = [
            name
            for name, value in (
                ("loss", self.loss),
                ("optimizer", self.optimizer if action == "train" else True),
                ("accuracy", self.accuracy),
            )
            if value is None
        ]
        if missing:
            raise RuntimeError(
                f"Model.{action}: no {' and no '.join(missing)} set. Fix: model.set("
                + ", ".join(f"{name}=..." for name in missing)
                + ") and then model.finalize()."
            )

    def _data(self, X: Any, y: Any, *, where: str) -> tuple[np.ndarray, np.ndarray]:
        X = check.batch(X, name="X", where=where)
        y = np.asarray(y)
        if y.ndim == 0 or len(y) != len(X):
            raise ValueError(
                f"{where}: X has {len(X)} samples but y has "
                f"{'no length' if y.ndim == 0 else len(y)}; expected one target per sample. "
                f"Fix: pass the y that belongs to this X (same number of rows)."
            )
        return X, y

    def _validation_pair(self, validation_data: Any) -> tuple[np.ndarray, np.ndarray]:
        if not (isinstance(validation_data, (tuple, list)) and len(validation_data) == 2):
            raise TypeError(
                f"Model.train: validation_data must be a pair (X_val, y_val); received "
                f"{check.describe(validation_data)}."
            )
        return self._data(*validation_data, where="Model.train (validation_data)")

    def _train_step(self, X: np.ndarray, y: np.ndarray, epoch: int) -> None:
        """Forward, loss, backward and update on one batch.

        Overflow or an invalid operation (inf - inf, 0 * inf) can only come from
        parameters that have blown up, since the data was checked on the way in;
        NumPy is told to raise there, so the learner hears "diverged, lower the
        learning rate" at the step it happened instead of a NaN many epochs later.
        """
        try:
            with np.errstate(over="raise", invalid="raise"):
                output = self.forward(X, training=True)
                self.loss.calculate(output, y)
                predictions = self.output_layer_activation.predictions(output)
                self.accuracy.calculate(predictions, y)
                self.backward(output, y)
                self.optimizer.pre_update_params()
                for layer in self.trainable_layers:
                    self.optimizer.update_params(layer)
                self.optimizer.post_update_params()
        except FloatingPointError as error:
            raise FloatingPointError(
                f"Model.train: training diverged at epoch {epoch} (step "
                f"{self.optimizer.iterations + 1}): {error}. The parameters grew until the "
                f"numbers overflowed. Fix: lower the learning rate (now "
                f"{self.optimizer.learning_rate}) or add decay."
            ) from error

    def _record(
        self,
        history: History,
        epoch: int,
        validation_data: tuple[np.ndarray, np.ndarray] | None,
        batch_size: int | None,
    ) -> None:
        data_loss, regularization_loss = self.loss.calculate_accumulated(
            include_regularization=True
        )
        history.epoch.append(epoch)
        history.data_loss.append(float(data_loss))
        history.regularization_loss.append(float(regularization_loss))
        history.loss.append(float(data_loss + regularization_loss))
        history.accuracy.append(float(self.accuracy.calculate_accumulated()))
        history.learning_rate.append(float(self.optimizer.current_learning_rate))
        if validation_data is not None:
            val_loss, val_accuracy = self.evaluate(
                *validation_data, batch_size=batch_size, verbose=False
            )
            history.val_loss.append(val_loss)
            history.val_accuracy.append(val_accuracy)


def _batches(X: np.ndarray, y: np.ndarray | None, batch_size: int | None):
    """Consecutive slices of ``batch_size`` samples (the last may be shorter)."""
    if batch_size is None:
        yield X, y
        return
    size = check.positive_int(batch_size, name="batch_size", where="Model")
    for start in range(0, max(len(X), 1), size):
        yield X[start : start + size], None if y is None else y[start : start + size]


def _summary(history: History) -> str:
    line = (
        f"epoch: {history.epoch[-1]}, acc: {history.accuracy[-1]:.3f}, "
        f"loss: {history.loss[-1]:.3f} (data_loss: {history.data_loss[-1]:.3f}, "
        f"reg_loss: {history.regularization_loss[-1]:.3f}), lr: {history.learning_rate[-1]:.10g}"
    )
    if history.val_loss:
        line += f", val_acc: {history.val_accuracy[-1]:.3f}, val_loss: {history.val_loss[-1]:.3f}"
    return line
