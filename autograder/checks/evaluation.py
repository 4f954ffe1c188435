"""Chapter 20: ``Model.evaluate(X_val, y_val, *, batch_size=None)``.

The learner passes their Model class (the chapter's notebook subclasses the reference's and
writes ``evaluate``). The probe builds Dense(3, 6) → ReLU → Dropout(0.5) → spy → Dense(6, 3) →
Softmax with categorical cross-entropy and categorical accuracy, seeded weights, and calls
``evaluate`` three times on the same model:

* ``whole``: 21 samples in one batch (``batch_size`` not passed);
* ``batched``: the same 21 samples with ``batch_size=8``: batches of 8, 8 and 5, so averaging
  the batch means with equal weight shows;
* ``other``: 10 other samples with ``batch_size=4`` (4, 4 and 2), so sums carried over from
  the earlier calls show.

Each call must return ``(loss, accuracy)``: the mean data loss and the accuracy over every
sample, with the network in inference mode (the spy counts forward passes that received
``training=True``, and the dropout layer would change the values).
"""

from __future__ import annotations

from typing import Any

import numpy as np

from nnfs_core import (
    Adam,
    CategoricalAccuracy,
    CategoricalCrossentropy,
    Dense,
    Dropout,
    ReLU,
    Softmax,
)

from ._models import BUILD_STAGES, call_own, prepared_model, reference_model, training_mode_detail
from .base import Unrepresentable
from .capture import Recorder
from .judging import StagedCheck
from .model import FLAG_CODES, TrainingSpy
from .shared import Context, Failure, Quantity, mistake, register

#: (case, data set, batch_size) for the three calls, in order.
CALLS = (("whole", "first", None), ("batched", "first", 8), ("other", "other", 4))
SIZES = {"first": 21, "other": 10}
N_FEATURES, N_HIDDEN, N_CLASSES = 3, 6, 3
DROPOUT_RATE = 0.5


def build_evaluation(seed: int) -> dict[str, Any]:
    rng = np.random.RandomState(seed)
    spec: dict[str, Any] = {}
    for name, size in SIZES.items():
        spec[name] = {
            "X": rng.standard_normal((size, N_FEATURES)),
            "y": rng.randint(N_CLASSES, size=size),
        }
    spec["W1"] = rng.standard_normal((N_FEATURES, N_HIDDEN))
    spec["b1"] = 0.3 * rng.standard_normal((1, N_HIDDEN))
    spec["W2"] = rng.standard_normal((N_HIDDEN, N_CLASSES))
    spec["b2"] = 0.3 * rng.standard_normal((1, N_CLASSES))
    spec["dropout_seed"] = int(rng.randint(2**31 - 1))
    return spec


def assemble_evaluation(spec: dict[str, Any]) -> dict[str, Any]:
    first = Dense(N_FEATURES, N_HIDDEN, rng=0)
    second = Dense(N_HIDDEN, N_CLASSES, rng=0)
    first.weights, first.biases = spec["W1"].copy(), spec["b1"].copy()
    second.weights, second.biases = spec["W2"].copy(), spec["b2"].copy()
    dropout = Dropout(DROPOUT_RATE, rng=np.random.RandomState(spec["dropout_seed"]))
    return {
        "layers": [first, ReLU(), dropout, TrainingSpy(), second, Softmax()],
        "loss": CategoricalCrossentropy(),
        "optimizer": Adam(),
        "accuracy": CategoricalAccuracy(),
    }


def inference_outputs(spec: dict[str, Any], X: np.ndarray) -> np.ndarray:
    """The network's softmax outputs with dropout off."""
    hidden = np.maximum(0, X @ spec["W1"] + spec["b1"])
    logits = hidden @ spec["W2"] + spec["b2"]
    exponentials = np.exp(logits - logits.max(axis=1, keepdims=True))
    return exponentials / exponentials.sum(axis=1, keepdims=True)


def sample_results(spec: dict[str, Any], data: str) -> tuple[np.ndarray, np.ndarray]:
    """Per-sample losses and per-sample right (1) / wrong (0) for one data set."""
    X, y = spec[data]["X"], spec[data]["y"]
    outputs = inference_outputs(spec, X)
    losses = CategoricalCrossentropy().forward(outputs, y)
    right = (np.argmax(outputs, axis=1) == y).astype(np.float64)
    return np.asarray(losses, dtype=np.float64), right


def keep_pair(recorder: Recorder, case: str, result: Any) -> None:
    """Store what evaluate returned as ``<case>.loss`` and ``<case>.accuracy``."""
    if isinstance(result, tuple | list) and len(result) == 2:
        recorder.keep(f"run.{case}.loss", result[0])
        recorder.keep(f"run.{case}.accuracy", result[1])
        return
    if result is None:
        value: Any = None
    else:
        shown = f"{type(result).__name__}"
        if isinstance(result, tuple | list):
            shown += f" of length {len(result)}"
        value = Unrepresentable(f"a {shown} instead of the pair (loss, accuracy)")
    recorder.values[f"run.{case}.loss"] = value
    recorder.values[f"run.{case}.accuracy"] = value


def _call_text(case: str) -> str:
    data, batch_size = next((d, b) for c, d, b in CALLS if c == case)
    size = SIZES[data]
    batches = "" if batch_size is None else f", batch_size={batch_size}"
    return f"evaluate(X_val, y_val{batches}) on {size} samples"


@register
class ModelEvaluate(StagedCheck):
    name = "model_evaluate"
    title = "Model.evaluate"
    stages = (*BUILD_STAGES, *(case for case, _, _ in CALLS))

    def build(self, seed: int) -> dict[str, Any]:
        return build_evaluation(seed)

    def exercise(self, recorder: Recorder, learner: Any, spec: dict[str, Any]) -> None:
        parts = assemble_evaluation(spec)
        model = prepared_model(recorder, learner, parts)
        if model is None:
            return
        spy = parts["layers"][3]
        for case, data, batch_size in CALLS:
            kwargs = {} if batch_size is None else {"batch_size": batch_size}
            ok, result = call_own(
                recorder,
                f"run.{case}",
                model,
                "evaluate",
                spec[data]["X"].copy(),
                spec[data]["y"].copy(),
                **kwargs,
            )
            if not ok:
                return
            keep_pair(recorder, case, result)
        on = sum(1 for code in spy.seen if code == FLAG_CODES[True])
        recorder.keep("run.dropout_on", np.int64(on))

    def expect(self, spec: dict[str, Any]) -> dict[str, Any]:
        parts = assemble_evaluation(spec)
        model = reference_model(parts)
        expected: dict[str, Any] = {"run.dropout_on": np.int64(0)}
        for case, data, batch_size in CALLS:
            loss, accuracy = model.evaluate(
                spec[data]["X"], spec[data]["y"], batch_size=batch_size, verbose=False
            )
            expected[f"run.{case}.loss"] = np.float64(loss)
            expected[f"run.{case}.accuracy"] = np.float64(accuracy)
        return expected

    def quantities(self, spec: dict[str, Any]) -> list[Quantity]:
        found = []
        for case, _, _ in CALLS:
            after = _call_text(case)
            for name in ("loss", "accuracy"):
                found.append(
                    Quantity(
                        f"run.{case}.{name}",
                        f"the {name} evaluate returned ({after})",
                        name,
                        f"run.{case}",
                        "evaluate returns (loss, accuracy)",
                    )
                )
        found.append(
            Quantity(
                "run.dropout_on",
                "the number of forward passes evaluate ran with training=True",
                "dropout_on",
                f"run.{CALLS[-1][0]}",
                "three evaluate calls",
            )
        )
        return found


# =============================================================================================
# Catalogued mistakes
# =============================================================================================

EVALUATE = ("model_evaluate",)


def _batched(values: np.ndarray, batch_size: int | None) -> list[np.ndarray]:
    if batch_size is None:
        return [values]
    return [values[start : start + batch_size] for start in range(0, len(values), batch_size)]


def _matches_either(context: Context, case: str, loss: float, accuracy: float) -> bool:
    """The learner's loss matches ``loss``, or, when no loss was recorded as a number, their
    accuracy matches a *different* ``accuracy``.

    An accuracy over a few samples takes few values, so it can match by chance (the first
    batch's and the last batch's both 0.5); a recorded loss that contradicts the candidate
    overrules it.
    """
    right = context.expected[f"run.{case}.accuracy"]
    if context.matches(f"run.{case}.loss", loss):
        return True
    if context.array(f"run.{case}.loss") is not None:
        return False
    return not np.isclose(accuracy, right) and context.matches(f"run.{case}.accuracy", accuracy)


@mistake(
    "evaluate_training_mode",
    "evaluate runs the network in training mode",
    "Call self.forward(batch_X, training=False) in evaluate. With training=True dropout keeps "
    "switching neurons off, so the loss and accuracy are noisy and worse than the model "
    "really is.",
    checks=EVALUATE,
)
def _evaluate_training_mode(context: Context, failure: Failure) -> str | None:
    return training_mode_detail(context)


@mistake(
    "evaluate_not_reset",
    "the accumulated sums are not reset between calls",
    "Start evaluate with self.loss.new_pass() and self.accuracy.new_pass(), so each call "
    "averages over its own samples only, not over everything since training began.",
    checks=EVALUATE,
)
def _evaluate_not_reset(context: Context, failure: Failure) -> str | None:
    first_losses, first_right = sample_results(context.spec, "first")
    other_losses, other_right = sample_results(context.spec, "other")
    # whole and batched both ran over the first set before the third call.
    count = 2 * len(first_losses) + len(other_losses)
    loss = (2 * first_losses.sum() + other_losses.sum()) / count
    accuracy = (2 * first_right.sum() + other_right.sum()) / count
    if _matches_either(context, "other", loss, accuracy):
        return (
            f"the third call, on 10 new samples, returned the average over all {count} samples "
            f"of the three calls"
        )
    return None


@mistake(
    "evaluate_last_batch_only",
    "only the last batch is counted",
    "Add every batch to the running sums (self.loss.calculate and self.accuracy.calculate "
    "accumulate for you) and return self.loss.calculate_accumulated() and "
    "self.accuracy.calculate_accumulated() after the loop, not the last batch's values.",
    checks=EVALUATE,
)
def _evaluate_last_batch_only(context: Context, failure: Failure) -> str | None:
    for case, data, batch_size in CALLS[1:]:
        losses, right = sample_results(context.spec, data)
        last = _batched(losses, batch_size)[-1], _batched(right, batch_size)[-1]
        if _matches_either(context, case, float(last[0].mean()), float(last[1].mean())):
            return f"{_call_text(case)} returned the values of its last {len(last[0])} samples"
    return None


@mistake(
    "evaluate_batches_left_out",
    "not every batch is evaluated: the number of steps is too small",
    "validation_steps = len(X_val) // batch_size counts the full batches; when samples are "
    "left over, add one more step (validation_steps += 1), so the last, partial batch is "
    "evaluated too.",
    checks=EVALUATE,
)
def _evaluate_batches_left_out(context: Context, failure: Failure) -> str | None:
    for case, data, batch_size in CALLS[1:]:
        losses, _ = sample_results(context.spec, data)
        batches = _batched(losses, batch_size)
        for kept in range(1, len(batches)):
            seen = np.concatenate(batches[:kept])
            if context.matches(f"run.{case}.loss", float(seen.mean())):
                return (
                    f"{_call_text(case)} returned the values of its first {kept} of "
                    f"{len(batches)} batches ({len(seen)} of {len(losses)} samples)"
                )
    return None


@mistake(
    "evaluate_batch_means_averaged",
    "the batch means are averaged with equal weight",
    "The last batch can be smaller than the others, so the mean of the batch means gives its "
    "samples more weight. Sum the sample losses (and right answers) over all batches and "
    "divide by the number of samples: the accumulated sums of loss and accuracy do this.",
    checks=EVALUATE,
)
def _evaluate_batch_means(context: Context, failure: Failure) -> str | None:
    for case, data, batch_size in CALLS[1:]:
        losses, right = sample_results(context.spec, data)
        loss_batches, right_batches = _batched(losses, batch_size), _batched(right, batch_size)
        loss = float(np.mean([batch.mean() for batch in loss_batches]))
        accuracy = float(np.mean([batch.mean() for batch in right_batches]))
        if _matches_either(context, case, loss, accuracy):
            sizes = ", ".join(str(len(batch)) for batch in loss_batches)
            return (
                f"for {_call_text(case)} (batches of {sizes}) your result is the plain mean of "
                f"the batch means"
            )
    return None


# Found with autograder/mutation: the pair returned as (accuracy, loss) got only the generic
# mismatch of the loss.


@mistake(
    "model_evaluate_swapped",
    "evaluate returns (accuracy, loss) instead of (loss, accuracy)",
    "Return the loss first: return validation_loss, validation_accuracy, the order the "
    "summary line and the callers unpack.",
    checks=EVALUATE,
)
def _model_evaluate_swapped(context: Context, failure: Failure) -> str | None:
    if failure.quantity.name not in ("loss", "accuracy"):
        return None
    cases = {key.split(".")[1] for key in context.expected if key.endswith(".loss")}
    for case in cases:
        loss, accuracy = f"run.{case}.loss", f"run.{case}.accuracy"
        if not (
            context.matches(loss, context.expected[accuracy])
            and context.matches(accuracy, context.expected[loss])
        ):
            return None
    return "every call returned the accuracy first and the loss second"
