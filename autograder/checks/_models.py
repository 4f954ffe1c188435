"""Helpers shared by the checks of chapters 20 to 22, whose learners extend the Model.

Those chapters' notebooks have the learner subclass the reference ``Model`` (or
``Layer_Dense``) and write one or two methods. Two things follow, both handled here:

* the probe must call the learner's *own* method: a subclass that never defined it would
  inherit nnfs_core's and pass without any work. :func:`own_method` records that case as a
  missing method. (Passing the reference class itself, the "Stuck?" shortcut, is left alone:
  the check passes for immediate feedback and grading refuses it by its module.)
* the probe builds a model with ``add``, ``set`` and ``finalize`` before calling the method
  under test: :func:`prepared_model`.

Nothing here compares: these run on the probe side.
"""

from __future__ import annotations

import contextlib
import io
import itertools
from collections.abc import Callable, Iterator
from typing import Any

import numpy as np

from .capture import Recorder

#: Stages every model check runs before the method under test.
BUILD_STAGES = ("construct", "add", "set", "finalize")


def _from_reference(module: Any) -> bool:
    return isinstance(module, str) and (module == "nnfs_core" or module.startswith("nnfs_core."))


def own_method(recorder: Recorder, stage: str, obj: Any, name: str) -> Callable | None:
    """``obj.name`` when the learner's class defines it; ``None`` with an error otherwise."""
    function = recorder.method(stage, obj, name)
    if function is None or _from_reference(recorder.origin):
        return function
    owner = next((klass for klass in type(obj).__mro__ if name in vars(klass)), None)
    if owner is not None and _from_reference(getattr(owner, "__module__", None)):
        recorder.errors[stage] = {
            "type": "MissingMethod",
            "message": name,
            "call": name,
            "function": None,
            "line": None,
            "text": (
                f"{recorder.name} does not define {name} itself (it inherits the reference's "
                f"from {owner.__module__})"
            ),
        }
        return None
    return function


def call_own(recorder: Recorder, stage: str, obj: Any, name: str, *args: Any, **kwargs: Any):
    """``(ok, result)`` of the learner's own ``obj.name(*args, **kwargs)``, printing muted."""
    function = own_method(recorder, stage, obj, name)
    if function is None:
        return False, None
    with quiet():
        return recorder.call(stage, name, function, *args, **kwargs)


@contextlib.contextmanager
def quiet() -> Iterator[None]:
    """Swallow what learner code prints (the book's evaluate prints a summary line)."""
    with contextlib.redirect_stdout(io.StringIO()):
        yield


def reference_model(parts: dict[str, Any]) -> Any:
    """nnfs_core's Model with ``parts`` (as for :func:`prepared_model`) added, set and
    finalized: what the judge compares a learner's Model with."""
    from nnfs_core import Model

    model = Model()
    for layer in parts["layers"]:
        model.add(layer)
    model.set(loss=parts["loss"], optimizer=parts["optimizer"], accuracy=parts["accuracy"])
    model.finalize()
    return model


def prepared_model(
    recorder: Recorder, learner: Any, parts: dict[str, Any], case: str = "run"
) -> Any | None:
    """The learner's Model with ``parts`` added, set and finalized; ``None`` if a step failed.

    ``parts`` holds ``layers`` (a list) and ``loss``, ``optimizer``, ``accuracy``.
    """
    model = recorder.construct(f"{case}.construct", learner)
    if model is None:
        return None
    for layer in parts["layers"]:
        ok, _ = recorder.invoke(f"{case}.add", model, "add", layer)
        if not ok:
            return None
    ok, _ = recorder.invoke(
        f"{case}.set",
        model,
        "set",
        loss=parts["loss"],
        optimizer=parts["optimizer"],
        accuracy=parts["accuracy"],
    )
    if not ok:
        return None
    ok, _ = recorder.invoke(f"{case}.finalize", model, "finalize")
    return model if ok else None


def raised(function: Callable, *args: Any, **kwargs: Any) -> bool:
    """Whether ``function(*args, **kwargs)`` raised (for calls that must refuse bad input)."""
    try:
        with quiet():
            function(*args, **kwargs)
    except (Exception, SystemExit):
        return True
    return False


def training_mode_detail(context: Any) -> str | None:
    """For a "left in training mode" catalogue entry: how many forward passes the spy layer
    saw with ``training=True`` (kept as ``run.dropout_on``), or ``None`` if there were none."""
    on = context.array("run.dropout_on")
    if on is not None and on.size == 1 and float(on.reshape(())) > 0:
        return f"{int(on.reshape(()))} forward passes received training=True"
    return None


@contextlib.contextmanager
def backward_order(layers: list[Any]) -> Iterator[list[int]]:
    """Record the order in which the Model calls its layers' ``backward``.

    While the block runs, each layer's ``backward`` is wrapped (an instance attribute over
    the class's method) to append the layer's position to the list yielded; afterwards the
    layers are as before. The diagnosis reads it to tell layers walked in forward order from
    other causes of the same ``AttributeError`` (a ``dinputs`` never stored, a wrong link).
    """
    calls: list[int] = []
    wrapped = []
    for index, layer in enumerate(layers):
        method = getattr(layer, "backward", None)
        if not callable(method) or "backward" in vars(layer):
            continue

        def spy(*args: Any, _index: int = index, _method: Callable = method, **kwargs: Any):
            calls.append(_index)
            return _method(*args, **kwargs)

        layer.backward = spy
        wrapped.append(layer)
    try:
        yield calls
    finally:
        for layer in wrapped:
            vars(layer).pop("backward", None)


def keep_backward_facts(recorder: Recorder, case: str, layers: list[Any], calls: list[int]) -> None:
    """Keep what tells a backward walked in forward order from other missing-``dinputs``
    errors: the order the layers' ``backward`` ran in, whether ``finalize`` linked each layer's
    ``next`` to the layer after it, the class of the second layer (the first one a
    forward-order walk asks for ``dinputs``) and of the last (whose ``dinputs`` the shortcut
    must store)."""
    recorder.keep(f"{case}.backward_order", np.array(calls, dtype=np.int64))
    linked = all(getattr(a, "next", None) is b for a, b in itertools.pairwise(layers))
    recorder.keep(f"{case}.links_in_order", np.int64(linked))
    recorder.notes[f"{case}.second_layer"] = type(layers[1]).__name__ if len(layers) > 1 else ""
    recorder.notes[f"{case}.last_layer"] = type(layers[-1]).__name__ if layers else ""
