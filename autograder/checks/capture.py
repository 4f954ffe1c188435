"""The probe side: run a learner's code stage by stage and keep what came out as plain data.

Everything here runs in the learner's kernel, next to untrusted code, and compares
nothing. A :class:`Recorder` calls learner methods, catching what they raise per stage,
and takes :func:`snapshot` copies of what they produced: base-class NumPy arrays (never a
learner's subclass), or a short description when the value is not numeric. The judge later
reads only these copies.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable, Sequence
from typing import Any

import numpy as np

from .base import Probe, Unrepresentable, describe_exception, exception_record
from .tolerances import H

#: Marks an attribute the learner's object did not have.
MISSING: dict[str, bool] = {"__missing__": True}

#: Arrays larger than this are described, not copied (a probe must stay small).
MAX_ELEMENTS = 100_000

#: NumPy functions ``nnfs.init()`` replaces by float32 versions.
PATCHABLE = {
    "dot": lambda: np.dot,
    "zeros": lambda: np.zeros,
    "eye": lambda: np.eye,
    "random.randn": lambda: np.random.randn,
}


def is_missing(value: Any) -> bool:
    return isinstance(value, dict) and value.get("__missing__") is True


def skipped(reason: str) -> dict[str, str]:
    """Marks a quantity the learner's code cannot be asked for yet (e.g. a forward without
    the chapter 18 ``training`` flag cannot be run in inference mode); the judge skips it."""
    return {"__skipped__": reason}


def skip_reason(value: Any) -> str | None:
    if isinstance(value, dict) and isinstance(value.get("__skipped__"), str):
        return value["__skipped__"]
    return None


def snapshot(value: Any) -> Any:
    """A plain copy of ``value``: a base ``np.ndarray`` of numbers, ``None`` or a description.

    Numbers and nested lists become arrays (a Python float ``0.5`` becomes a 0-d float64
    array), so NaN and infinity travel as array bytes rather than as non-standard JSON.
    """
    if value is None:
        return None
    if isinstance(value, np.ndarray):
        array = value
    elif isinstance(value, bool | int | float | np.generic):
        array = np.asarray(value)
    elif isinstance(value, list | tuple):
        try:
            array = np.asarray(value)
        except Exception:
            return Unrepresentable(f"a {type(value).__name__} of length {len(value)}")
    else:
        return Unrepresentable(f"a {type(value).__name__} object")
    if array.dtype.kind not in "biuf":
        kind = "ragged or mixed" if array.dtype == object else str(array.dtype)
        return Unrepresentable(f"an array of shape {array.shape} and dtype {kind}")
    if array.size > MAX_ELEMENTS:
        return Unrepresentable(f"an array of shape {array.shape}, too large to record")
    return np.array(array, copy=True, subok=False)


def patched_numpy() -> list[str]:
    """Names of NumPy functions that something (``nnfs.init()``) has replaced."""
    names = []
    for name, get in PATCHABLE.items():
        module = getattr(get(), "__module__", None)
        if isinstance(module, str) and not module.startswith("numpy"):
            names.append(name)
    return names


def learner_name(learner: Any) -> str:
    name = getattr(learner, "__name__", None)
    return name if isinstance(name, str) else type(learner).__name__


class Recorder:
    """Collects one probe: values by key, errors by stage, notes and numerical witnesses.

    Keys read ``"<case>.<name>"`` (``"rect.dweights"``); stages ``"<case>.<stage>"``.
    """

    def __init__(self, check: str, seed: int, learner: Any) -> None:
        self.check = check
        self.seed = seed
        self.name = learner_name(learner)
        # Where the learner's class was defined: grading refuses nnfs_core's own classes.
        origin = getattr(learner, "__module__", None)
        self.origin = origin if isinstance(origin, str) else None
        self.values: dict[str, Any] = {}
        self.errors: dict[str, dict[str, Any]] = {}
        self.notes: dict[str, Any] = {}
        self.witness: dict[str, list[dict[str, Any]]] = {}

    # -- calling learner code ------------------------------------------------------------
    def call(self, stage: str, what: str, function: Callable, *args: Any, **kwargs: Any):
        """``(True, result)``, or ``(False, None)`` with the error recorded under ``stage``."""
        try:
            return True, function(*args, **kwargs)
        except (Exception, SystemExit) as error:
            self.errors[stage] = exception_record(error, call=what)
            return False, None

    def construct(self, stage: str, learner: Any, *args: Any, **kwargs: Any):
        """Instantiate the learner's class as the book does; ``None`` if that failed."""
        if isinstance(learner, type) or (callable(learner) and inspect.isfunction(learner)):
            shown = ", ".join([repr(a) for a in args] + [f"{k}={v!r}" for k, v in kwargs.items()])
            ok, obj = self.call(
                stage, f"constructor {self.name}({shown})", learner, *args, **kwargs
            )
            return obj if ok else None
        self.errors[stage] = {
            "type": "NotAClass",
            "message": f"received {type(learner).__name__} object",
            "call": "check",
            "function": None,
            "line": None,
            "text": f"expected a class, received a {type(learner).__name__} instance",
        }
        return None

    def method(self, stage: str, obj: Any, name: str) -> Callable | None:
        """The bound method ``obj.name``, or ``None`` with a "missing method" error recorded."""
        try:
            function = getattr(obj, name, None)
        except Exception as error:
            self.errors[stage] = exception_record(error, call=f"looking up {name}")
            return None
        if callable(function):
            return function
        self.errors[stage] = {
            "type": "MissingMethod",
            "message": name,
            "call": name,
            "function": None,
            "line": None,
            "text": f"{self.name} has no method {name}",
        }
        return None

    def invoke(self, stage: str, obj: Any, name: str, *args: Any, **kwargs: Any):
        """Call ``obj.name(*args, **kwargs)``; ``(ok, result)`` as :meth:`call`."""
        function = self.method(stage, obj, name)
        if function is None:
            return False, None
        return self.call(stage, name, function, *args, **kwargs)

    def forward(
        self,
        stage: str,
        obj: Any,
        *args: Any,
        training: bool | None = None,
        method: str = "forward",
    ):
        """Call a forward pass, passing ``training`` only if the learner's signature has it.

        The book's forward takes ``(inputs)`` up to chapter 17 and ``(inputs, training)``
        from chapter 18 on (required, no default); both are accepted.
        """
        function = self.method(stage, obj, method)
        if function is None:
            return False, None
        self.notes[f"{stage}.takes_training"] = takes_training(function, len(args))
        return self.call(stage, method, call_forward, function, *args, training=training)

    # -- keeping what came out -------------------------------------------------------------
    def keep(self, key: str, value: Any) -> None:
        try:
            self.values[key] = snapshot(value)
        except Exception as error:  # a hostile __array__ or __float__
            self.values[key] = Unrepresentable(f"a value that could not be read ({error!r:.200})")

    def keep_attribute(self, key: str, obj: Any, name: str) -> None:
        """Snapshot ``obj.name``, or record :data:`MISSING` when it has no such attribute."""
        try:
            value = getattr(obj, name)
        except AttributeError:
            self.values[key] = MISSING
            # What the object does hold, so the diagnosis can point at a misspelt name.
            self.notes[f"{key}.absent"] = {"attribute": name, "has": attribute_names(obj)}
            return
        except Exception as error:
            self.values[key] = Unrepresentable(
                f"an attribute that raised {describe_exception(error)}"
            )
            return
        self.keep(key, value)

    def keep_witness(
        self,
        key: str,
        evaluate: Callable[[np.ndarray], Any],
        base: np.ndarray,
        indices: Sequence[tuple[int, ...]],
    ) -> None:
        """The learner's own forward at ``base ± H`` for each index, for a central difference.

        ``evaluate(values)`` runs the learner's forward on a perturbed copy and returns its
        output. Errors here are noted, never failures: the witness only explains.
        """
        entries = []
        for index in indices:
            entry: dict[str, Any] = {"index": [int(i) for i in index]}
            for sign, name in ((1.0, "plus"), (-1.0, "minus")):
                values = np.array(base, dtype=np.float64, copy=True)
                values[tuple(index)] += sign * H
                try:
                    entry[name] = snapshot(evaluate(values))
                except (Exception, SystemExit):
                    entry[name] = None
            entries.append(entry)
        self.witness[key] = entries

    def probe(self) -> Probe:
        return Probe(
            check=self.check,
            seed=self.seed,
            captured={
                "learner": self.name,
                "origin": self.origin,
                "patched_numpy": patched_numpy(),
                "values": self.values,
                "errors": self.errors,
                "notes": self.notes,
                "witness": self.witness,
            },
        )


def attribute_names(obj: Any) -> list[str]:
    """The names of the attributes stored on ``obj`` (its ``__dict__``), sorted; at most 50."""
    try:
        stored = vars(obj)
    except TypeError:
        return []
    return sorted(name for name in stored if isinstance(name, str))[:50]


def call_forward(function: Callable, *args: Any, training: bool | None = None) -> Any:
    """``function(*args)``, adding ``training`` the way the learner's signature accepts it."""
    takes = takes_training(function, len(args)) if training is not None else "no"
    if takes == "keyword":
        return function(*args, training=training)
    if takes == "positional":
        return function(*args, training)
    return function(*args)


def learner_forward(obj: Any, *args: Any, training: bool | None = True) -> Any:
    """The learner's forward on ``args``; its ``.output`` when set, else what it returned."""
    returned = call_forward(obj.forward, *args, training=training)
    return getattr(obj, "output", returned)


def takes_training(function: Callable, n_args: int) -> str:
    """How ``function`` accepts a training flag after ``n_args`` arguments: by keyword,
    positionally (an extra parameter with another name), or not at all (``"no"``)."""
    try:
        parameters = list(inspect.signature(function).parameters.values())
    except (TypeError, ValueError):
        return "no"
    if any(p.name == "training" and p.kind != p.POSITIONAL_ONLY for p in parameters):
        return "keyword"
    positional = [p for p in parameters if p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD)]
    if len(positional) > n_args:
        return "positional"
    return "no"


class ParameterHolder:
    """A layer-like object for optimizer checks: parameters and gradients, nothing else.

    Optimizers following the book store their state on it (``weight_momentums``,
    ``weight_cache``...); the probe reads that state back for the diagnosis.
    """

    def __init__(self, weights: np.ndarray, biases: np.ndarray) -> None:
        self.weights = np.array(weights, dtype=np.float64, copy=True)
        self.biases = np.array(biases, dtype=np.float64, copy=True)

    def __repr__(self) -> str:
        return f"<a layer with weights {self.weights.shape} and biases {self.biases.shape}>"


def run_probe(check: Any, learner: Any, seed: int, body: Callable[[Recorder], None]) -> Probe:
    """Run ``body`` with a fresh recorder; an error of the checks' own is kept in ``Probe.error``.

    NumPy's global random state is restored afterwards, so probing does not change what a
    learner's later ``np.random`` calls draw.
    """
    recorder = Recorder(check.name, seed, learner)
    state = np.random.get_state()  # noqa: NPY002 - the learner's global generator
    try:
        with np.errstate(all="ignore"):
            body(recorder)
        probe = recorder.probe()
    except Exception as error:  # a bug of ours or a learner object too strange to handle
        probe = recorder.probe()
        probe.error = f"the check could not finish probing: {describe_exception(error)}"
    finally:
        np.random.set_state(state)  # noqa: NPY002
    return probe
