"""Saving and loading parameters and whole models, without pickle.

The book pickles whole model objects; unpickling runs code, so a model file
from someone else could do anything. Here both kinds of file are ``.npz``
archives (plain arrays) read with ``allow_pickle=False``, plus, for a whole
model, a JSON description of the layers, loss, accuracy and optimizer that is
rebuilt only from the classes listed in :data:`REGISTRY`.

Files are written to a temporary name and renamed into place, so a failed save
never leaves a half-written file where a good one was.

Archive entries:
    ``__format__``          "nnfs_core.parameters" or "nnfs_core.model"
    ``__model__``           (model files) the JSON description
    ``layer<i>.<name>``     arrays: weights, biases and, for models, optimizer state
"""

from __future__ import annotations

import json
import os
import tempfile
import zipfile
import zlib
from os import PathLike
from pathlib import Path
from typing import Any

import numpy as np

from .accuracy import CategoricalAccuracy, RegressionAccuracy
from .activations import Linear, ReLU, Sigmoid, Softmax
from .layers import Dense, Dropout
from .losses import BinaryCrossentropy, CategoricalCrossentropy, MeanAbsoluteError, MeanSquaredError
from .model import Model
from .optimizers import SGD, STATE_ATTRIBUTES, Adagrad, Adam, RMSprop

PARAMETERS_FORMAT = "nnfs_core.parameters"
MODEL_FORMAT = "nnfs_core.model"
FORMAT_VERSION = 1

#: The only classes a model file can name; loading never imports anything else.
REGISTRY: dict[str, type] = {
    cls.__name__: cls
    for cls in (
        Dense,
        Dropout,
        ReLU,
        Softmax,
        Sigmoid,
        Linear,
        CategoricalCrossentropy,
        BinaryCrossentropy,
        MeanSquaredError,
        MeanAbsoluteError,
        CategoricalAccuracy,
        RegressionAccuracy,
        SGD,
        Adagrad,
        RMSprop,
        Adam,
    )
}


def save_parameters(model: Model, path: str | PathLike) -> None:
    """Weights and biases of each trainable layer, in order."""
    model._require_finalized("save_parameters")
    arrays: dict[str, np.ndarray] = {}
    for index, (weights, biases) in enumerate(model.get_parameters()):
        arrays[f"layer{index}.weights"] = weights
        arrays[f"layer{index}.biases"] = biases
    _write(path, PARAMETERS_FORMAT, arrays)


def load_parameters(model: Model, path: str | PathLike) -> None:
    """Set a finalized model's parameters from a file written by :func:`save_parameters`."""
    model._require_finalized("load_parameters")
    arrays = _read(path, PARAMETERS_FORMAT, "Model.load_parameters")
    count = sum(1 for key in arrays if key.endswith(".weights"))
    pairs = [(arrays[f"layer{i}.weights"], arrays[f"layer{i}.biases"]) for i in range(count)]
    model.set_parameters(pairs)


def save_model(model: Model, path: str | PathLike) -> None:
    """Structure, settings, parameters and optimizer state of a model."""
    arrays: dict[str, np.ndarray] = {}
    layers = []
    for index, layer in enumerate(model.layers):
        layers.append(_describe(layer, "layer"))
        if isinstance(layer, Dense):
            arrays[f"layer{index}.weights"] = layer.weights
            arrays[f"layer{index}.biases"] = layer.biases
            for name in STATE_ATTRIBUTES:
                if getattr(layer, name, None) is not None:
                    arrays[f"layer{index}.{name}"] = getattr(layer, name)
    description: dict[str, Any] = {
        "layers": layers,
        "loss": _describe(model.loss, "loss"),
        "accuracy": _describe(model.accuracy, "accuracy"),
        "optimizer": _describe(model.optimizer, "optimizer"),
        "finalized": model.finalized,
    }
    if model.optimizer is not None:
        description["optimizer"]["iterations"] = model.optimizer.iterations
        description["optimizer"]["current_learning_rate"] = model.optimizer.current_learning_rate
    arrays["__model__"] = np.array(json.dumps(description))
    _write(path, MODEL_FORMAT, arrays)


def load_model(path: str | PathLike) -> Model:
    """Rebuild a model saved by :func:`save_model`; loading executes no code from the file."""
    where = "Model.load"
    arrays = _read(path, MODEL_FORMAT, where)
    try:
        description = json.loads(str(arrays.pop("__model__")))
    except (KeyError, json.JSONDecodeError) as error:
        raise ValueError(f"{where}: {path} has no readable model description ({error}).") from None
    model = Model()
    for index, entry in enumerate(description["layers"]):
        layer = _build(entry, where)
        if isinstance(layer, Dense):
            layer.set_parameters(arrays[f"layer{index}.weights"], arrays[f"layer{index}.biases"])
            for name in STATE_ATTRIBUTES:
                if f"layer{index}.{name}" in arrays:
                    setattr(layer, name, arrays[f"layer{index}.{name}"].copy())
        model.add(layer)
    optimizer_entry = description.get("optimizer")
    optimizer = _build(optimizer_entry, where)
    if optimizer is not None:
        optimizer.iterations = int(optimizer_entry["iterations"])
        optimizer.current_learning_rate = float(optimizer_entry["current_learning_rate"])
    model.set(
        loss=_build(description.get("loss"), where),
        optimizer=optimizer,
        accuracy=_build(description.get("accuracy"), where),
    )
    if description.get("finalized"):
        model.finalize()
    return model


def _describe(component: Any, role: str) -> dict[str, Any] | None:
    if component is None:
        return None
    name = type(component).__name__
    if REGISTRY.get(name) is not type(component):
        raise TypeError(
            f"Model.save: cannot save the {role} {component!r} of type {name}: only nnfs_core's "
            f"own classes can be saved ({', '.join(REGISTRY)}). Fix: use those classes, or "
            f"save_parameters() and rebuild the model in code."
        )
    return {"type": name, "config": component.config()}


def _build(entry: dict[str, Any] | None, where: str) -> Any:
    if entry is None:
        return None
    cls = REGISTRY.get(entry.get("type"))
    if cls is None:
        raise ValueError(
            f"{where}: the file names an unknown component {entry.get('type')!r}; expected one "
            f"of {', '.join(REGISTRY)}. It may come from a newer version of nnfs_core."
        )
    config = dict(entry.get("config", {}))
    if cls is Dense:
        # Seeded so rebuilding never touches the global stream; the weights are replaced anyway.
        return Dense(**config, rng=0)
    return cls(**config)


def _write(path: str | PathLike, kind: str, arrays: dict[str, np.ndarray]) -> None:
    target = Path(path)
    if target.is_dir():
        raise IsADirectoryError(f"cannot save to {target}: it is a folder; expected a file name.")
    target.parent.mkdir(parents=True, exist_ok=True)
    entries = {"__format__": np.array(kind), "__version__": np.array(FORMAT_VERSION), **arrays}
    handle, temporary = tempfile.mkstemp(
        dir=target.parent, prefix=f".{target.name}.", suffix=".tmp"
    )
    try:
        with os.fdopen(handle, "wb") as file:
            # A file object, not a name, so NumPy does not append ".npz" to the user's name.
            np.savez(file, **entries)
        os.replace(temporary, target)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def _read(path: str | PathLike, expected: str, where: str) -> dict[str, np.ndarray]:
    source = Path(path)
    if not source.is_file():
        raise FileNotFoundError(f"{where}: no file at {source}. Check the path and the name.")
    with open(source, "rb") as file:
        single_array = file.read(6) == b"\x93NUMPY"
    if single_array:
        raise ValueError(
            f"{where}: {source} holds a single array written by np.save, not a file written "
            f"by nnfs_core. Fix: arr = np.load(path) and pass the arrays to "
            f"model.set_parameters([(weights, biases), ...]); save with model.save_parameters "
            f"or model.save next time."
        )
    damaged = (
        f"{where}: {source} is not a file written by nnfs_core, or it is damaged (expected a "
        f"complete .npz archive of kind {expected!r}). A file cut short by a full disk or an "
        f"interrupted copy cannot be repaired, and a file from the book's pickle-based save "
        f"cannot be loaded safely. Fix: copy the file again, or rebuild or retrain the model "
        f"and save it again with nnfs_core."
    )
    if not zipfile.is_zipfile(source):
        raise ValueError(damaged)
    try:
        with np.load(source, allow_pickle=False) as archive:
            arrays = {key: archive[key] for key in archive.files}
    except (zipfile.BadZipFile, zlib.error, EOFError, OSError) as err:
        raise ValueError(f"{damaged} (While reading: {type(err).__name__}: {err})") from None
    except ValueError:
        raise ValueError(
            f"{where}: {source} holds pickled objects, which are refused for safety (loading "
            f"them could run code). Fix: load it only if you trust it and re-save its arrays as "
            f"plain numbers, or rebuild the model and save it with model.save or "
            f"model.save_parameters."
        ) from None
    kind = str(arrays.pop("__format__", ""))
    arrays.pop("__version__", None)
    if kind != expected:
        advice = {
            MODEL_FORMAT: "it holds a whole model: use Model.load(path)",
            PARAMETERS_FORMAT: "it holds parameters only: build the model in code, finalize it, "
            "then call model.load_parameters(path)",
        }.get(
            kind,
            "it was not written by nnfs_core's save functions. Fix: read its arrays with "
            "np.load(path) and pass them to model.set_parameters, or save with "
            "model.save_parameters / model.save",
        )
        raise ValueError(
            f"{where}: {source} is not of the expected kind; expected {expected!r}, found "
            f"{kind or 'no kind marker'} ({advice})."
        )
    return arrays
