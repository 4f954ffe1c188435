"""Chapter 22: ``Model.predict(X, *, batch_size=None)`` and ``confusion_matrix``.

* ``model_predict``: the learner's Model (in the chapter's notebook a subclass of the
  reference's) on Dense(3, 5) → ReLU → Dropout(0.5) → spy → Dense(5, 4) → Softmax, seeded.
  ``predict`` must return the last layer's outputs for every sample, stacked in order, shape
  ``(n_samples, 4)``, computed with ``training=False``. Three calls on 11 samples: without
  ``batch_size``, with ``batch_size=4`` (batches of 4, 4 and 3) and with ``batch_size=32``
  (larger than the data).
* ``confusion_matrix``: the learner's class ``Confusion_Matrix(n_classes)`` with
  ``calculate(y_true, y_pred)`` (the chapter's notebook), or a plain function
  ``confusion_matrix(y_true, y_pred, n_classes)``, must return counts of shape
  ``(n_classes, n_classes)``, true classes along the rows and predicted classes along the
  columns (``nnfs_core.metrics.confusion_matrix``). Two cases:
  ``main`` (4 classes, all present, a matrix that is not symmetric, so a transpose shows) and
  ``absent`` (6 classes, uint8 labels as ``load_digits`` gives them, the last class never
  occurring and the one before only predicted, never true), where counting the classes from
  the labels gives a matrix that is too small.
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
from nnfs_core.metrics import confusion_matrix

from ._models import BUILD_STAGES, call_own, prepared_model, reference_model, training_mode_detail
from .base import Unrepresentable
from .capture import Recorder
from .judging import StagedCheck
from .model import FLAG_CODES, TrainingSpy
from .shared import GENERAL, Context, Failure, Quantity, mistake, register

# =============================================================================================
# Model.predict
# =============================================================================================

#: (case, batch_size) of the three calls, in order, all on the same samples.
PREDICT_CALLS = (("whole", None), ("batched", 4), ("large", 32))
N_SAMPLES, N_FEATURES, N_HIDDEN, N_OUTPUTS = 11, 3, 5, 4


def build_predict(seed: int) -> dict[str, Any]:
    rng = np.random.RandomState(seed)
    return {
        "X": rng.standard_normal((N_SAMPLES, N_FEATURES)),
        "W1": rng.standard_normal((N_FEATURES, N_HIDDEN)),
        "b1": 0.3 * rng.standard_normal((1, N_HIDDEN)),
        "W2": rng.standard_normal((N_HIDDEN, N_OUTPUTS)),
        "b2": 0.3 * rng.standard_normal((1, N_OUTPUTS)),
        "dropout_seed": int(rng.randint(2**31 - 1)),
    }


def assemble_predict(spec: dict[str, Any]) -> dict[str, Any]:
    first = Dense(N_FEATURES, N_HIDDEN, rng=0)
    second = Dense(N_HIDDEN, N_OUTPUTS, rng=0)
    first.weights, first.biases = spec["W1"].copy(), spec["b1"].copy()
    second.weights, second.biases = spec["W2"].copy(), spec["b2"].copy()
    dropout = Dropout(0.5, rng=np.random.RandomState(spec["dropout_seed"]))
    return {
        "layers": [first, ReLU(), dropout, TrainingSpy(), second, Softmax()],
        "loss": CategoricalCrossentropy(),
        "optimizer": Adam(),
        "accuracy": CategoricalAccuracy(),
    }


def _predict_text(batch_size: int | None) -> str:
    batches = "" if batch_size is None else f", batch_size={batch_size}"
    return f"predict(X{batches}) on {N_SAMPLES} samples"


@register
class ModelPredict(StagedCheck):
    name = "model_predict"
    title = "Model.predict"
    stages = (*BUILD_STAGES, *(case for case, _ in PREDICT_CALLS))

    def build(self, seed: int) -> dict[str, Any]:
        return build_predict(seed)

    def exercise(self, recorder: Recorder, learner: Any, spec: dict[str, Any]) -> None:
        parts = assemble_predict(spec)
        model = prepared_model(recorder, learner, parts)
        if model is None:
            return
        spy = parts["layers"][3]
        for case, batch_size in PREDICT_CALLS:
            kwargs = {} if batch_size is None else {"batch_size": batch_size}
            ok, output = call_own(
                recorder, f"run.{case}", model, "predict", spec["X"].copy(), **kwargs
            )
            if not ok:
                return
            recorder.keep(f"run.{case}.output", output)
        on = sum(1 for code in spy.seen if code == FLAG_CODES[True])
        recorder.keep("run.dropout_on", np.int64(on))

    def expect(self, spec: dict[str, Any]) -> dict[str, Any]:
        parts = assemble_predict(spec)
        model = reference_model(parts)
        expected: dict[str, Any] = {"run.dropout_on": np.int64(0)}
        for case, batch_size in PREDICT_CALLS:
            expected[f"run.{case}.output"] = model.predict(spec["X"], batch_size=batch_size)
        return expected

    def quantities(self, spec: dict[str, Any]) -> list[Quantity]:
        found = [
            Quantity(
                f"run.{case}.output",
                "the array predict returned",
                "output",
                f"run.{case}",
                _predict_text(batch_size),
            )
            for case, batch_size in PREDICT_CALLS
        ]
        found.append(
            Quantity(
                "run.dropout_on",
                "the number of forward passes predict ran with training=True",
                "dropout_on",
                f"run.{PREDICT_CALLS[-1][0]}",
                "three predict calls",
            )
        )
        return found


# =============================================================================================
# confusion_matrix
# =============================================================================================


def _asymmetric_counts(rng: np.random.RandomState, n_samples: int, n_classes: int):
    """Labels and predictions (about a third wrong) whose confusion matrix is not symmetric."""
    while True:
        true = rng.randint(n_classes, size=n_samples)
        true[:n_classes] = np.arange(n_classes)  # every class present
        pred = true.copy()
        wrong = rng.permutation(n_samples)[: n_samples // 3]
        pred[wrong] = (true[wrong] + 1 + rng.randint(n_classes - 1, size=len(wrong))) % n_classes
        # Counted here, not with nnfs_core's confusion_matrix: the probe runs this in the
        # grading kernel, where that function is withheld (autograder.withholding).
        counts = np.zeros((n_classes, n_classes), dtype=np.int64)
        np.add.at(counts, (true, pred), 1)
        if not np.array_equal(counts, counts.T):
            return true, pred


def build_confusion(seed: int) -> dict[str, Any]:
    rng = np.random.RandomState(seed)
    true, pred = _asymmetric_counts(rng, 40, 4)
    main = {"y_true": true.astype(np.int64), "y_pred": pred.astype(np.int64), "n_classes": 4}
    # Six classes: 0..3 occur as labels, 4 only as a (wrong) prediction, 5 never.
    true, pred = _asymmetric_counts(rng, 30, 4)
    pred[rng.permutation(30)[:3]] = 4
    absent = {"y_true": true.astype(np.uint8), "y_pred": pred.astype(np.uint8), "n_classes": 6}
    return {"main": main, "absent": absent}


@register
class ConfusionMatrix(StagedCheck):
    name = "confusion_matrix"
    title = "The confusion matrix"
    stages = ("construct", "call")
    cases = ("main", "absent")

    def build(self, seed: int) -> dict[str, Any]:
        return build_confusion(seed)

    def exercise(self, recorder: Recorder, learner: Any, spec: dict[str, Any]) -> None:
        for case in self.cases:
            data = spec[case]
            labels = data["y_true"].copy(), data["y_pred"].copy()
            if isinstance(learner, type):
                matrix = recorder.construct(f"{case}.construct", learner, data["n_classes"])
                if matrix is None:
                    continue
                ok, counts = recorder.invoke(f"{case}.call", matrix, "calculate", *labels)
            else:
                ok, counts = recorder.call(
                    f"{case}.call",
                    "confusion_matrix(y_true, y_pred, n_classes)",
                    learner,
                    *labels,
                    data["n_classes"],
                )
            if ok:
                recorder.keep(f"{case}.counts", counts)

    def expect(self, spec: dict[str, Any]) -> dict[str, Any]:
        return {
            f"{case}.counts": confusion_matrix(
                spec[case]["y_true"], spec[case]["y_pred"], spec[case]["n_classes"]
            )
            for case in self.cases
        }

    def quantities(self, spec: dict[str, Any]) -> list[Quantity]:
        found = []
        for case in self.cases:
            data = spec[case]
            n = data["n_classes"]
            found.append(
                Quantity(
                    f"{case}.counts",
                    "the confusion matrix returned",
                    "counts",
                    f"{case}.call",
                    f"{len(data['y_true'])} labels, n_classes={n}"
                    + (
                        f"; class {n - 1} never occurs and class {n - 2} is only predicted"
                        if case == "absent"
                        else ""
                    ),
                )
            )
        return found


# =============================================================================================
# Catalogued mistakes
# =============================================================================================


@mistake(
    "predict_training_mode",
    "predict runs the network in training mode",
    "Call self.forward(batch_X, training=False) in predict: dropout must be off when the model "
    "is used, or the same input gives a different (and worse) answer every time.",
    checks=("model_predict",),
)
def _predict_training_mode(context: Context, failure: Failure) -> str | None:
    return training_mode_detail(context)


@mistake(
    "predict_batches_not_stacked",
    "the batches' outputs are returned as a list",
    "Collect each batch's output in a list and return np.vstack(outputs): one array with a row "
    "per sample, in the order of X.",
    checks=("model_predict",),
)
def _predict_not_stacked(context: Context, failure: Failure) -> str | None:
    value = context.values.get("run.batched.output")
    if isinstance(value, Unrepresentable) and value.text.startswith(("a list", "a tuple")):
        return f"with batch_size=4 predict returned {value.text}"
    whole = context.array("run.whole.output")
    expected = context.expected["run.whole.output"]
    if whole is not None and whole.shape == (1, *expected.shape):
        return f"without batch_size predict returned shape {whole.shape}, a list of one batch"
    return None


@mistake(
    "predict_last_batch_only",
    "only the last batch's outputs are returned",
    "Keep every batch's output (append it to a list inside the loop) and stack them all after "
    "the loop with np.vstack, instead of returning the output of the last pass.",
    checks=("model_predict",),
)
def _predict_last_batch(context: Context, failure: Failure) -> str | None:
    expected = context.expected["run.batched.output"]
    last = expected[8:]
    if context.matches("run.batched.output", last):
        return (
            f"with batch_size=4 predict returned {len(last)} rows, the outputs of the last "
            f"batch only"
        )
    return None


@mistake(
    "predict_returns_classes",
    "predict returns class labels instead of the outputs",
    "predict returns the last layer's outputs (for softmax, a probability per class). Turning "
    "them into labels is a separate step: model.output_layer_activation.predictions(outputs).",
    checks=("model_predict",),
)
def _predict_classes(context: Context, failure: Failure) -> str | None:
    labels = np.argmax(context.expected["run.whole.output"], axis=1)
    if context.matches("run.whole.output", labels):
        return f"predict(X) returned shape ({len(labels)},), one class per sample"
    return None


@mistake(
    "confusion_transposed",
    "rows and columns are swapped",
    "Row i is the true class and column j the predicted class: add 1 to "
    "counts[y_true[k], y_pred[k]] for every sample k. A row then sums to the number of "
    "samples of that class.",
    checks=("confusion_matrix",),
)
def _confusion_transposed(context: Context, failure: Failure) -> str | None:
    if context.matches("main.counts", context.expected["main.counts"].T):
        return "your matrix is the transpose of the expected one (predicted classes along the rows)"
    return None


@mistake(
    "confusion_classes_from_labels",
    "the number of classes is taken from the labels, not from n_classes",
    "Make the matrix np.zeros((n_classes, n_classes)) with the n_classes you are given. A batch "
    "may miss some classes entirely (or only predict them), and their rows and columns must "
    "still be there, so that row i always means class i.",
    checks=("confusion_matrix",),
)
def _confusion_classes(context: Context, failure: Failure) -> str | None:
    counts = context.array("absent.counts")
    n = context.spec["absent"]["n_classes"]
    if counts is not None and counts.ndim == 2 and counts.shape[0] < n:
        return f"for n_classes={n} your matrix has shape {counts.shape}"
    return None


@mistake(
    "confusion_normalised",
    "the matrix holds fractions instead of counts",
    "Return the counts themselves (whole numbers; each row sums to the number of samples of "
    "that class). Dividing each row by its sum is a useful view for a plot, made afterwards.",
    checks=("confusion_matrix",),
)
def _confusion_normalised(context: Context, failure: Failure) -> str | None:
    counts = context.expected["main.counts"].astype(np.float64)
    for normalised in (
        counts / counts.sum(axis=1, keepdims=True),
        counts / counts.sum(axis=0, keepdims=True),
        counts / counts.sum(),
    ):
        if context.matches("main.counts", normalised):
            return "your values are the counts divided by a total"
    return None


# Found with autograder/mutation: a slip in predict's count of steps or in a batch's slice
# bounds got only the generic shape or value mismatch. Each of the three calls is replayed
# with one slip: its output is then the book's rows, taken in the slip's order.


def _steps_with(n: int, size: int | None, slip: str) -> int:
    if size is None:
        return 2 if slip == "one step too many (range(steps + 1))" else 1
    full = n // size
    extra = 1 if full * size < n else 0
    return {
        "the division by batch_size is missing (steps = n)": n,
        "the extra step is subtracted (-= where += belongs)": full - extra,
        "the extra step replaces the count (= where += belongs)": 1 if extra else full,
        "one step too many (range(steps + 1))": full + extra + 1,
    }.get(slip, full + extra)


_PREDICT_SLICES = {
    "the start is step, not step * batch_size": lambda s, size: (s, (s + 1) * size),
    "the end is step + 1, not (step + 1) * batch_size": lambda s, size: (s * size, s + 1),
    "the start is batch_size, not step * batch_size": lambda s, size: (size, (s + 1) * size),
    "the end is batch_size, not (step + 1) * batch_size": lambda s, size: (s * size, size),
    "the end is (step - 1) * batch_size": lambda s, size: (s * size, (s - 1) * size),
    "the end is step * batch_size (the + 1 is missing)": lambda s, size: (s * size, s * size),
}


def _predicted_rows(n: int, size: int | None, slip: str) -> np.ndarray:
    bounds = _PREDICT_SLICES.get(slip, lambda s, b: (s * b, (s + 1) * b))
    rows = []
    for step in range(max(0, _steps_with(n, size, slip))):
        rows += list(range(n)) if size is None else list(range(n)[slice(*bounds(step, size))])
    return np.array(rows, dtype=np.int64)


@mistake(
    "predict_batch_slip",
    "predict's count of steps or a batch's slice bounds are wrong",
    "prediction_steps = 1 without a batch_size; otherwise len(X) // batch_size, plus one when "
    "samples are left over; batch number step is X[step * batch_size:(step + 1) * batch_size]. "
    "Fix the one part the details name.",
    checks=("model_predict",),
    priority=GENERAL,
)
def _predict_batch_slip(context: Context, failure: Failure) -> str | None:
    expected = context.expected["run.whole.output"]
    n = expected.shape[0]
    slips = [
        "the division by batch_size is missing (steps = n)",
        "the extra step is subtracted (-= where += belongs)",
        "the extra step replaces the count (= where += belongs)",
        "one step too many (range(steps + 1))",
        *_PREDICT_SLICES,
    ]
    for slip in slips:
        wanted = {
            f"run.{case}.output": expected[_predicted_rows(n, size, slip)]
            for case, size in PREDICT_CALLS
        }
        differs = any(
            w.shape != expected.shape or not np.allclose(w, expected) for w in wanted.values()
        )
        if differs and all(_predicted(context, key, value) for key, value in wanted.items()):
            return f"your outputs match predict where {slip}"
    return None


def _predicted(context: Context, key: str, rows: np.ndarray) -> bool:
    """Whether the learner's output under ``key`` is ``rows``; a slip that leaves no step
    at all makes np.vstack of an empty list raise a ValueError, which fits it too."""
    if len(rows) == 0:
        error = context.error(key.rpartition(".")[0])
        if error is not None:
            return error.get("type") == "ValueError"
    return context.matches(key, rows)


@mistake(
    "confusion_count_slip",
    "the confusion matrix counts wrongly",
    "Start from np.zeros((n_classes, n_classes), dtype=int) and, for each pair, add one: "
    "counts[true, predicted] += 1. Fix the one part the details name.",
    checks=("confusion_matrix",),
    priority=GENERAL,
)
def _confusion_count_slip(context: Context, failure: Failure) -> str | None:
    if failure.quantity.name != "counts":
        return None
    keys = [k for k in context.expected if k.endswith(".counts")]
    if any(context.array(k) is None for k in keys):
        return None
    slips = {
        "each pair is subtracted (-= where += belongs)": lambda m: -m,
        "no pair is counted (the += line is missing)": lambda m: 0 * m,
        "a pair sets its cell to 1 (= where += belongs)": lambda m: (m > 0).astype(m.dtype),
    }
    for text, slip in slips.items():
        if all(context.matches(k, slip(np.asarray(context.expected[k]))) for k in keys):
            return f"your counts match the matrix where {text}"
    return None
