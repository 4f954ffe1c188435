"""Chapter 19's data side of an epoch: shuffling, counting steps, cutting batches, and accuracy
accumulated over the batches of an epoch.

The book does these steps inline (a shuffled key array, ``train_steps`` rounded up, slices
``X[step * batch_size:(step + 1) * batch_size]``). The notebook gathers them in a small class,
``Batcher(batch_size=None)``:

* ``shuffle``: ``Batcher().shuffle(X, y, rng)`` returns ``(X[keys], y[keys])`` for one
  permutation ``keys = rng.permutation(len(X))``, leaving the caller's arrays as they were;
* ``batch_steps``: ``Batcher(batch_size=b).steps(n)`` is the number of batches in an epoch of
  ``n`` samples, rounded up (the last batch may be smaller), 1 when ``batch_size`` is ``None``;
* ``batches``: ``Batcher(batch_size=b).batches(X, y)`` yields ``(batch_X, batch_y)`` pairs that
  cover ``X`` and ``y`` in order, the last one partial, or ``(X, y)`` once when ``batch_size``
  is ``None``;
* ``accuracy_accumulated``: the chapter 19 ``Accuracy_Categorical`` counts every prediction of
  every batch, so ``calculate_accumulated()`` is the accuracy over all samples since
  ``new_pass()``, not the mean of the batch accuracies.

The expected values come from ``nnfs_core.batching.Batcher`` (whose batches are the slices
``nnfs_core.Model.train`` feeds the network) and ``nnfs_core.CategoricalAccuracy``.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

from nnfs_core import CategoricalAccuracy
from nnfs_core.batching import Batcher

from .base import Unrepresentable
from .capture import Recorder
from .judging import StagedCheck
from .shared import GENERAL, Context, Failure, Quantity, mistake, register

# =============================================================================================
# shuffle
# =============================================================================================


@register
class ShuffleCheck(StagedCheck):
    name = "shuffle"
    title = "Batcher.shuffle"
    stages = ("construct", "shuffle")
    cases = ("labels", "images")

    def build(self, seed: int) -> dict[str, Any]:
        rng = np.random.RandomState(seed)
        n_labels, n_images = 12 + rng.randint(6), 9 + rng.randint(4)
        labels = rng.randint(4, size=n_labels)
        labels[:4] = np.arange(4)  # every class present: y is never constant
        return {
            "labels": {
                "X": rng.standard_normal((n_labels, 3)),
                "y": labels,
                "rng_seed": int(rng.randint(1, 2**31 - 1)),
            },
            "images": {
                "X": rng.standard_normal((n_images, 2, 2)),
                "y": rng.standard_normal((n_images, 1)),
                "rng_seed": int(rng.randint(1, 2**31 - 1)),
            },
        }

    def exercise(self, recorder: Recorder, learner: Any, spec: dict[str, Any]) -> None:
        for case in self.cases:
            values = spec[case]
            batcher = recorder.construct(f"{case}.construct", learner)
            if batcher is None:
                continue
            X, y = values["X"].copy(), values["y"].copy()
            generator = np.random.RandomState(values["rng_seed"])
            ok, result = recorder.invoke(f"{case}.shuffle", batcher, "shuffle", X, y, generator)
            if ok:
                if isinstance(result, tuple | list) and len(result) == 2:
                    recorder.keep(f"{case}.X_out", result[0])
                    recorder.keep(f"{case}.y_out", result[1])
                else:
                    text = f"a {type(result).__name__}, not a pair (X_shuffled, y_shuffled)"
                    recorder.values[f"{case}.X_out"] = Unrepresentable(text)
                    recorder.values[f"{case}.y_out"] = Unrepresentable(text)
            recorder.keep(f"{case}.X_after", X)
            recorder.keep(f"{case}.y_after", y)

    def expect(self, spec: dict[str, Any]) -> dict[str, Any]:
        expected = {}
        for case in self.cases:
            values = spec[case]
            generator = np.random.RandomState(values["rng_seed"])
            X_out, y_out = Batcher().shuffle(values["X"], values["y"], generator)
            expected[f"{case}.X_out"] = X_out
            expected[f"{case}.y_out"] = y_out
            expected[f"{case}.X_after"] = values["X"]
            expected[f"{case}.y_after"] = values["y"]
        return expected

    def quantities(self, spec: dict[str, Any]) -> list[Quantity]:
        found = []
        for case in self.cases:
            X, y = spec[case]["X"], spec[case]["y"]
            after = f"shuffle(X, y, rng) with X of shape {X.shape} and y of shape {y.shape}"
            found += [
                Quantity(
                    f"{case}.X_out", "the shuffled X returned", "X_out", f"{case}.shuffle", after
                ),
                Quantity(
                    f"{case}.y_out", "the shuffled y returned", "y_out", f"{case}.shuffle", after
                ),
                Quantity(
                    f"{case}.X_after",
                    "the X passed to shuffle",
                    "X_after",
                    f"{case}.shuffle",
                    "during shuffle",
                    mutation=True,
                ),
                Quantity(
                    f"{case}.y_after",
                    "the y passed to shuffle",
                    "y_after",
                    f"{case}.shuffle",
                    "during shuffle",
                    mutation=True,
                ),
            ]
        return found


def recovered_order(X: np.ndarray, shuffled: np.ndarray | None) -> np.ndarray | None:
    """The permutation ``keys`` with ``shuffled == X[keys]``, if ``shuffled`` is one of ``X``.

    The rows of the check's ``X`` are distinct random numbers, so each row is found once.
    """
    if shuffled is None or shuffled.shape != X.shape:
        return None
    rows, wanted = X.reshape(len(X), -1), shuffled.reshape(len(X), -1)
    keys = []
    for row in wanted:
        matches = np.flatnonzero(np.all(rows == row, axis=1))
        if len(matches) != 1:
            return None
        keys.append(int(matches[0]))
    if len(set(keys)) != len(keys):
        return None
    return np.array(keys)


def _shuffle_case(failure: Failure) -> str:
    return failure.quantity.key.partition(".")[0]


@mistake(
    "shuffle_in_place",
    "the caller's arrays were shuffled in place",
    "rng.shuffle(X) and X[:] = X[keys] reorder the array you were given, so the caller's data "
    "changes under their feet. Index with the keys instead, which makes new arrays: "
    "return X[keys], y[keys].",
    checks=("shuffle",),
)
def _shuffle_in_place(context: Context, failure: Failure) -> str | None:
    if failure.quantity.name not in ("X_after", "y_after"):
        return None
    case = _shuffle_case(failure)
    X = context.spec[case]["X"]
    if recovered_order(X, context.array(f"{case}.X_after")) is not None:
        return "after your shuffle, the X that was passed in holds its rows in another order"
    return "after your shuffle, the y that was passed in holds other values"


@mistake(
    "shuffle_not_applied",
    "the data comes back in its original order",
    "Draw one order, keys = rng.permutation(len(X)), and return X[keys], y[keys].",
    checks=("shuffle",),
)
def _shuffle_not_applied(context: Context, failure: Failure) -> str | None:
    case = _shuffle_case(failure)
    if failure.quantity.name == "X_out" and context.matches(
        f"{case}.X_out", context.spec[case]["X"]
    ):
        return "the X returned is the X given, row for row"
    return None


@mistake(
    "shuffle_returned_swapped",
    "shuffle returns (y, X) instead of (X, y)",
    "Return the pair in the order it was given: return X[keys], y[keys]. The caller unpacks "
    "X, y = batcher.shuffle(X, y, rng), so swapped results put the labels where the inputs "
    "belong.",
    checks=("shuffle",),
)
def _shuffle_swapped(context: Context, failure: Failure) -> str | None:
    if failure.quantity.name not in ("X_out", "y_out"):
        return None
    case = _shuffle_case(failure)
    values = context.spec[case]
    keys = recovered_order(values["X"], context.array(f"{case}.y_out"))
    if keys is not None and context.matches(f"{case}.X_out", values["y"][keys]):
        return "the first array returned holds the shuffled y and the second the shuffled X"
    return None


@mistake(
    "shuffle_x_and_y_apart",
    "X and y shuffled with different permutations",
    "Shuffle the pairs, not the arrays: draw keys = rng.permutation(len(X)) once and index both "
    "with it, X[keys] and y[keys]. Two separate shuffles give every sample someone else's label.",
    checks=("shuffle",),
)
def _shuffle_apart(context: Context, failure: Failure) -> str | None:
    case = _shuffle_case(failure)
    if failure.quantity.name != "y_out":
        return None
    values = context.spec[case]
    keys = recovered_order(values["X"], context.array(f"{case}.X_out"))
    received = context.array(f"{case}.y_out")
    if keys is None or received is None or received.shape != values["y"].shape:
        return None
    same_values = np.allclose(np.sort(received, axis=0), np.sort(values["y"], axis=0))
    if same_values and not context.matches(f"{case}.y_out", values["y"][keys]):
        moved = int(
            np.sum(
                np.any(
                    received.reshape(len(keys), -1) != values["y"][keys].reshape(len(keys), -1),
                    axis=1,
                )
            )
        )
        return f"{moved} of {len(keys)} samples no longer sit next to their own target"
    return None


@mistake(
    "shuffle_rng_not_used",
    "the shuffle does not come from the rng it was given",
    "Draw the order from the generator passed in, keys = rng.permutation(len(X)), not from "
    "np.random: then a seeded run repeats exactly, and the notebook's numbers are yours too.",
    checks=("shuffle",),
)
def _shuffle_rng(context: Context, failure: Failure) -> str | None:
    case = _shuffle_case(failure)
    if failure.quantity.name != "X_out":
        return None
    values = context.spec[case]
    keys = recovered_order(values["X"], context.array(f"{case}.X_out"))
    if keys is None or (
        context.failed(f"{case}.y_out") and not context.matches(f"{case}.y_out", values["y"][keys])
    ):
        return None
    return "X and y were reordered together, but not in the order rng.permutation(n) gives"


# =============================================================================================
# batch_steps and batches
# =============================================================================================


def batch_cases(seed: int) -> dict[str, dict[str, Any]]:
    """A partial last batch, an exact fit, a batch larger than the data, and no batch size."""
    rng = np.random.RandomState(seed)
    partial = 3 + rng.randint(6)
    exact = 2 + rng.randint(7)
    small = 3 + rng.randint(5)
    return {
        "partial": {
            "n": partial * (2 + rng.randint(4)) + 1 + rng.randint(partial - 1),
            "batch_size": partial,
        },
        "exact": {"n": exact * (2 + rng.randint(4)), "batch_size": exact},
        "larger": {"n": small, "batch_size": small + 1 + rng.randint(10)},
        "whole": {"n": 10 + rng.randint(20), "batch_size": None},
    }


def _constructor(batch_size: int | None) -> str:
    return f"Batcher(batch_size={batch_size})"


@register
class BatchStepsCheck(StagedCheck):
    name = "batch_steps"
    title = "Batcher.steps"
    stages = ("construct", "steps")
    cases = ("partial", "exact", "larger", "whole", "book")

    def build(self, seed: int) -> dict[str, Any]:
        cases = batch_cases(seed)
        # The book's Fashion-MNIST epoch: 60,000 images in batches of 128.
        cases["book"] = {"n": 60_000, "batch_size": 128}
        return cases

    def exercise(self, recorder: Recorder, learner: Any, spec: dict[str, Any]) -> None:
        for case in self.cases:
            values = spec[case]
            batcher = recorder.construct(
                f"{case}.construct", learner, batch_size=values["batch_size"]
            )
            if batcher is None:
                continue
            _, steps = recorder.invoke(f"{case}.steps", batcher, "steps", values["n"])
            recorder.keep(f"{case}.steps", steps)

    def expect(self, spec: dict[str, Any]) -> dict[str, Any]:
        return {
            f"{case}.steps": np.int64(Batcher(spec[case]["batch_size"]).steps(spec[case]["n"]))
            for case in self.cases
        }

    def quantities(self, spec: dict[str, Any]) -> list[Quantity]:
        return [
            Quantity(
                f"{case}.steps",
                f"{_constructor(spec[case]['batch_size'])}.steps({spec[case]['n']})",
                "steps",
                f"{case}.steps",
                "the number of batches in one epoch",
            )
            for case in self.cases
        ]


def _received_int(context: Context, key: str) -> int | None:
    value = context.array(key)
    if value is None or value.size != 1:
        return None
    return round(float(value.reshape(())))


@mistake(
    "steps_rounded_down",
    "steps rounded down: the last, partial batch is not counted",
    "n // batch_size counts only the full batches. Add one more step when they leave samples "
    "over: steps = n // batch_size, then if steps * batch_size < n: steps += 1.",
    checks=("batch_steps",),
)
def _steps_floor(context: Context, failure: Failure) -> str | None:
    case = failure.quantity.key.partition(".")[0]
    values = context.spec[case]
    if case in ("partial", "larger", "book") and failure.quantity.name == "steps":
        if _received_int(context, failure.quantity.key) == values["n"] // values["batch_size"]:
            left = values["n"] % values["batch_size"]
            n, size = values["n"], values["batch_size"]
            return f"{n} samples in batches of {size} leave {left} over"
    return None


@mistake(
    "steps_always_one_more",
    "one step too many when the batches fit exactly",
    "Add the extra step only when samples are left over (steps * batch_size < n); when "
    "batch_size divides n, the last step would get an empty batch.",
    checks=("batch_steps",),
)
def _steps_plus_one(context: Context, failure: Failure) -> str | None:
    values = context.spec["exact"]
    if failure.quantity.key == "exact.steps":
        if _received_int(context, "exact.steps") == values["n"] // values["batch_size"] + 1:
            return f"{values['n']} samples fit exactly into batches of {values['batch_size']}"
    return None


@mistake(
    "batch_size_none_not_handled",
    "batch_size=None not handled",
    "None means no mini-batches: the whole set is one batch, so steps is 1 and batches yields "
    "(X, y) once. Test for it first: if self.batch_size is None: ...",
    checks=("batch_steps", "batches"),
)
def _none_not_handled(context: Context, failure: Failure) -> str | None:
    if not failure.quantity.key.startswith("whole."):
        return None
    error = failure.error or {}
    if error.get("type") == "TypeError" and "NoneType" in str(error.get("message", "")):
        return "with batch_size=None your code did arithmetic with None"
    n = context.spec["whole"]["n"]
    if context.check == "batch_steps" and _received_int(context, "whole.steps") == n:
        return f"with batch_size=None your steps({n}) is {n}, one step per sample"
    return None


#: More items than this from one ``batches`` call means it never stops.
MAX_BATCHES = 200


def _collect(iterable: Any) -> list[Any]:
    items = []
    for item in iterable:
        items.append(item)
        if len(items) > MAX_BATCHES:
            break
    return items


def _stack(parts: list[Any]) -> Any:
    try:
        arrays = [np.asarray(part) for part in parts]
        if not arrays:
            return np.zeros((0,))
        return np.concatenate(arrays, axis=0)
    except Exception as error:  # ragged or 0-d batches
        return Unrepresentable(f"batches that cannot be stacked ({type(error).__name__})")


@register
class BatchesCheck(StagedCheck):
    name = "batches"
    title = "Batcher.batches"
    stages = ("construct", "batches", "iterate")
    cases = ("partial", "exact", "larger", "whole")

    def build(self, seed: int) -> dict[str, Any]:
        cases = batch_cases(seed)
        rng = np.random.RandomState(seed + 1)
        for values in cases.values():
            values["X"] = rng.standard_normal((values["n"], 3))
            values["y"] = rng.permutation(values["n"])  # distinct, so misaligned slices show
        return cases

    def exercise(self, recorder: Recorder, learner: Any, spec: dict[str, Any]) -> None:
        for case in self.cases:
            values = spec[case]
            batcher = recorder.construct(
                f"{case}.construct", learner, batch_size=values["batch_size"]
            )
            if batcher is None:
                continue
            ok, result = recorder.invoke(
                f"{case}.batches", batcher, "batches", values["X"].copy(), values["y"].copy()
            )
            if not ok:
                continue
            ok, items = recorder.call(
                f"{case}.iterate", "batches (while iterating)", _collect, result
            )
            if not ok:
                continue
            pairs = [item for item in items if isinstance(item, tuple | list) and len(item) == 2]
            recorder.keep(f"{case}.count", len(items))
            if len(pairs) != len(items):
                text = "items that are not (batch_X, batch_y) pairs"
                for key in ("sizes", "X", "y"):
                    recorder.values[f"{case}.{key}"] = Unrepresentable(text)
                continue
            try:
                sizes = [len(batch_X) for batch_X, _ in pairs]
            except TypeError:
                sizes = None
            recorder.keep(f"{case}.sizes", sizes)
            recorder.keep(f"{case}.X", _stack([batch_X for batch_X, _ in pairs]))
            recorder.keep(f"{case}.y", _stack([batch_y for _, batch_y in pairs]))

    def expect(self, spec: dict[str, Any]) -> dict[str, Any]:
        expected = {}
        for case in self.cases:
            values = spec[case]
            pairs = list(Batcher(values["batch_size"]).batches(values["X"], values["y"]))
            expected[f"{case}.count"] = np.int64(len(pairs))
            expected[f"{case}.sizes"] = np.array([len(x) for x, _ in pairs], dtype=np.int64)
            expected[f"{case}.X"] = np.concatenate([x for x, _ in pairs])
            expected[f"{case}.y"] = np.concatenate([part for _, part in pairs])
        return expected

    def quantities(self, spec: dict[str, Any]) -> list[Quantity]:
        found = []
        for case in self.cases:
            values = spec[case]
            after = f"{_constructor(values['batch_size'])}.batches(X, y) with {values['n']} samples"
            stage = f"{case}.iterate"
            found += [
                Quantity(f"{case}.count", "the number of batches", "count", stage, after),
                Quantity(f"{case}.sizes", "the batch sizes, in order", "sizes", stage, after),
                Quantity(f"{case}.X", "the batches' X, stacked in order", "X", stage, after),
                Quantity(f"{case}.y", "the batches' y, stacked in order", "y", stage, after),
            ]
        return found


@mistake(
    "batches_last_partial_dropped",
    "the last, partial batch is dropped",
    "An epoch must show the model every sample. Count the steps rounded up (one more step when "
    "n_samples is not a multiple of batch_size) and slice "
    "X[step * batch_size:(step + 1) * batch_size]; the last slice is simply shorter.",
    checks=("batches",),
)
def _partial_dropped(context: Context, failure: Failure) -> str | None:
    values = context.spec["partial"]
    if (
        failure.quantity.key.startswith("partial.")
        and _received_int(context, "partial.count") == values["n"] // values["batch_size"]
    ):
        left = values["n"] % values["batch_size"]
        n, size = values["n"], values["batch_size"]
        return f"with {n} samples in batches of {size}, the last {left} never reach the model"
    return None


@mistake(
    "batches_empty_last_batch",
    "an empty batch at the end when the batches fit exactly",
    "Add the extra step only when samples are left over: steps = n // batch_size, then "
    "if steps * batch_size < n: steps += 1. An empty batch makes the loss a mean of nothing.",
    checks=("batches",),
)
def _empty_last(context: Context, failure: Failure) -> str | None:
    values = context.spec["exact"]
    sizes = context.array("exact.sizes")
    if (
        failure.quantity.key.startswith("exact.")
        and sizes is not None
        and sizes.size == values["n"] // values["batch_size"] + 1
        and sizes[-1] == 0
    ):
        n, size = values["n"], values["batch_size"]
        return f"{n} samples fit exactly into batches of {size}, then one empty batch follows"
    return None


@mistake(
    "batches_y_misaligned",
    "the y batches do not line up with the X batches",
    "Slice X and y with the same bounds: start = step * batch_size, then "
    "X[start:start + batch_size] and y[start:start + batch_size].",
    checks=("batches",),
)
def _y_misaligned(context: Context, failure: Failure) -> str | None:
    case = failure.quantity.key.partition(".")[0]
    if failure.quantity.name == "y" and not any(
        context.failed(f"{case}.{key}") for key in ("count", "sizes", "X")
    ):
        return "the X batches are right, but the targets that come with them are not theirs"
    return None


# =============================================================================================
# accuracy_accumulated
# =============================================================================================


def _batch(rng: np.random.RandomState, size: int, correct: int) -> dict[str, np.ndarray]:
    labels = rng.randint(3, size=size)
    predictions = labels.copy()
    wrong = rng.permutation(size)[: size - correct]
    predictions[wrong] = (labels[wrong] + 1 + rng.randint(2, size=len(wrong))) % 3
    return {"predictions": predictions, "y": labels}


@register
class AccumulatedAccuracyCheck(StagedCheck):
    name = "accuracy_accumulated"
    title = "Accuracy_Categorical accumulated over batches"
    stages = (
        "construct",
        "new_pass",
        "calculate",
        "accumulated",
        "new_pass_again",
        "calculate_again",
        "accumulated_again",
    )

    def build(self, seed: int) -> dict[str, Any]:
        rng = np.random.RandomState(seed)
        size = 6 + rng.randint(4)
        last = 2 + rng.randint(size - 3)
        # Correct counts chosen so that the mean of the batch accuracies differs from the
        # accuracy over all samples (the short last batch is far better than the full ones).
        first = [
            _batch(rng, size, 1 + rng.randint(size // 2)),
            _batch(rng, size, 1 + rng.randint(size // 2)),
            _batch(rng, last, last),
        ]
        second = [_batch(rng, size, size - 1 - rng.randint(3)), _batch(rng, last, 0)]
        return {"first": first, "second": second}

    def exercise(self, recorder: Recorder, learner: Any, spec: dict[str, Any]) -> None:
        accuracy = recorder.construct("run.construct", learner)
        if accuracy is None:
            return
        for name, suffix in (("first", ""), ("second", "_again")):
            ok, _ = recorder.invoke(f"run.new_pass{suffix}", accuracy, "new_pass")
            if not ok:
                return
            for index, batch in enumerate(spec[name]):
                ok, value = recorder.invoke(
                    f"run.calculate{suffix}",
                    accuracy,
                    "calculate",
                    batch["predictions"].copy(),
                    batch["y"].copy(),
                )
                recorder.keep(f"run.{name}.batch{index}", value)
                if not ok:
                    return
            ok, value = recorder.invoke(
                f"run.accumulated{suffix}", accuracy, "calculate_accumulated"
            )
            recorder.keep(f"run.{name}.accumulated", value)
            if not ok:
                return

    def expect(self, spec: dict[str, Any]) -> dict[str, Any]:
        reference = CategoricalAccuracy()
        expected: dict[str, Any] = {}
        for name in ("first", "second"):
            reference.new_pass()
            for index, batch in enumerate(spec[name]):
                expected[f"run.{name}.batch{index}"] = np.float64(
                    reference.calculate(batch["predictions"], batch["y"])
                )
            expected[f"run.{name}.accumulated"] = np.float64(reference.calculate_accumulated())
        return expected

    def quantities(self, spec: dict[str, Any]) -> list[Quantity]:
        found = []
        for name, suffix in (("first", ""), ("second", "_again")):
            sizes = ", ".join(str(len(batch["y"])) for batch in spec[name])
            where = "after new_pass()" if name == "first" else "after a second new_pass()"
            for index, batch in enumerate(spec[name]):
                found.append(
                    Quantity(
                        f"run.{name}.batch{index}",
                        f"what calculate returned for batch {index + 1} "
                        f"of {len(batch['y'])} samples",
                        "batch",
                        f"run.calculate{suffix}",
                        where,
                    )
                )
            found.append(
                Quantity(
                    f"run.{name}.accumulated",
                    f"calculate_accumulated() after batches of {sizes} samples",
                    "accumulated",
                    f"run.accumulated{suffix}",
                    where,
                )
            )
        return found


def _counts(batches: list[dict[str, np.ndarray]]) -> tuple[list[int], list[int]]:
    correct = [int(np.sum(b["predictions"] == b["y"])) for b in batches]
    return correct, [len(b["y"]) for b in batches]


@mistake(
    "accumulated_mean_of_batch_means",
    "the epoch's accuracy is the mean of the batch accuracies",
    "A short last batch would count as much as a full one. Accumulate counts instead: in "
    "calculate, self.accumulated_sum += np.sum(comparisons) and self.accumulated_count += "
    "comparisons.size; calculate_accumulated returns their ratio.",
    checks=("accuracy_accumulated",),
)
def _mean_of_means(context: Context, failure: Failure) -> str | None:
    if failure.quantity.name != "accumulated":
        return None
    name = failure.quantity.key.split(".")[1]
    correct, sizes = _counts(context.spec[name])
    if context.matches(failure.quantity.key, np.mean(np.array(correct) / np.array(sizes))):
        return f"batches of {', '.join(map(str, sizes))} samples were weighted equally"
    return None


@mistake(
    "accumulated_counts_batches",
    "the accumulated count grows by one per batch, not by the batch's size",
    "The denominator is the number of predictions seen: self.accumulated_count += "
    "comparisons.size (for one output per sample, len(comparisons) is the same).",
    checks=("accuracy_accumulated",),
)
def _counts_batches(context: Context, failure: Failure) -> str | None:
    if failure.quantity.name != "accumulated":
        return None
    # Every accumulated value must fit: in one case the number of batches can equal the last
    # batch's size, and then a count replaced (=) instead of added gives the same number.
    if not _every_accumulated(context, lambda correct, sizes: sum(correct) / len(sizes)):
        return None
    name = failure.quantity.key.split(".")[1]
    correct, sizes = _counts(context.spec[name])
    return f"{sum(correct)} right predictions were divided by {len(sizes)} batches"


def _every_accumulated(context: Context, variant: Callable[[list[int], list[int]], float]) -> bool:
    """Whether every failed accumulated accuracy is ``variant(correct, sizes)`` of its run."""
    failed = [f for f in context.failures if f.quantity.name == "accumulated"]
    if not failed:
        return False
    for failure in failed:
        correct, sizes = _counts(context.spec[failure.quantity.key.split(".")[1]])
        if not context.matches(failure.quantity.key, variant(correct, sizes)):
            return False
    return True


@mistake(
    "accumulated_replaced_not_added",
    "the accumulated sum or count replaced (=) instead of added (+=)",
    "Accumulate with +=: self.accumulated_sum += np.sum(comparisons) and "
    "self.accumulated_count += comparisons.size. With = each batch overwrites what the "
    "batches before it added.",
    checks=("accuracy_accumulated",),
)
def _replaced_not_added(context: Context, failure: Failure) -> str | None:
    if failure.quantity.name != "accumulated":
        return None
    variants = (
        ("accumulated_count", lambda correct, sizes: sum(correct) / sizes[-1]),
        ("accumulated_sum", lambda correct, sizes: correct[-1] / sum(sizes)),
        ("accumulated_sum and accumulated_count", lambda correct, sizes: correct[-1] / sizes[-1]),
    )
    for names, variant in variants:
        if _every_accumulated(context, variant):
            return f"your {names} keeps only the last batch's value"
    return None


@mistake(
    "accumulated_not_reset",
    "new_pass does not reset the accumulated counts",
    "Each epoch starts from zero: new_pass sets self.accumulated_sum = 0 and "
    "self.accumulated_count = 0.",
    checks=("accuracy_accumulated",),
)
def _not_reset(context: Context, failure: Failure) -> str | None:
    if failure.quantity.key != "run.second.accumulated":
        return None
    correct, sizes = _counts(context.spec["first"] + context.spec["second"])
    if context.matches("run.second.accumulated", sum(correct) / sum(sizes)):
        return "the second epoch's accuracy still counts the first epoch's batches"
    return None


# Found with autograder/mutation: a running total that shrinks or never grows, a mean added
# where the count of right predictions belongs, or a ratio never taken got only the generic
# mismatch. Each is replayed from the batches' own counts and must fit every failed epoch.

_ACCUMULATED_SLIPS: dict[str, Callable[[list[int], list[int]], float]] = {
    "one running total is decreased (-= where += belongs)": lambda correct, sizes: (
        -sum(correct) / sum(sizes)
    ),
    "accumulated_sum never grows (its += line is missing or adds to another name)": (
        lambda correct, sizes: 0.0
    ),
    "the mean of each batch's comparisons is added to accumulated_sum, not their sum (np.mean "
    "where np.sum belongs)": lambda correct, sizes: (
        sum(c / s for c, s in zip(correct, sizes, strict=True)) / sum(sizes)
    ),
    "calculate_accumulated returns accumulated_sum without dividing it by accumulated_count": (
        lambda correct, sizes: float(sum(correct))
    ),
}


@mistake(
    "accumulated_total_slip",
    "a running total of the accumulated accuracy is updated or divided wrongly",
    "In calculate: self.accumulated_sum += np.sum(comparisons) (the number of right "
    "predictions) and self.accumulated_count += comparisons.size (the number of predictions); "
    "calculate_accumulated returns self.accumulated_sum / self.accumulated_count. Fix the one "
    "part the details name.",
    checks=("accuracy_accumulated",),
)
def _accumulated_total_slip(context: Context, failure: Failure) -> str | None:
    if failure.quantity.name != "accumulated":
        return None
    failed = [f for f in context.failures if f.quantity.name == "accumulated"]
    # A count that never grows divides by zero: every failed epoch is then infinite (or NaN
    # when no prediction was right), which no other slip here gives.
    values = [context.array(f.quantity.key) for f in failed]
    if all(v is not None and v.size == 1 and not np.isfinite(v).all() for v in values):
        return (
            "calculate_accumulated divides by an accumulated_count of 0: the count never grows "
            "(its += comparisons.size line is missing or adds to another name)"
        )
    for text, slip in _ACCUMULATED_SLIPS.items():
        if _every_accumulated(context, slip):
            name = failure.quantity.key.split(".")[1]
            correct, sizes = _counts(context.spec[name])
            return (
                f"{failure.quantity.label} is what you get where {text} "
                f"({sum(correct)} right of {sum(sizes)} predictions)"
            )
    return None


@mistake(
    "batch_accuracy_is_a_count",
    "calculate returns the number of right predictions, not their share",
    "A batch's accuracy is the mean of its comparisons: return np.mean(comparisons) (the "
    "share of right predictions, between 0 and 1), not np.sum(comparisons).",
    checks=("accuracy_accumulated",),
)
def _batch_count(context: Context, failure: Failure) -> str | None:
    if failure.quantity.name != "batch":
        return None
    failed = [f for f in context.failures if f.quantity.name == "batch"]
    for other in failed:
        name, index = other.quantity.key.split(".")[1:3]
        batch = context.spec[name][int(index.removeprefix("batch"))]
        right = int(np.sum(batch["predictions"] == batch["y"]))
        if right == 0 or not context.matches(other.quantity.key, float(right)):
            return None
    return f"{failure.quantity.label} is the count of right predictions in that batch"


# Found with autograder/mutation: a slip in the count of steps (the division, the extra step)
# or in a batch's slice bounds got only the generic mismatch. Replayed on every case with a
# batch size.


def _book_steps(n: int, size: int) -> int:
    steps = n // size
    return steps + 1 if steps * size < n else steps


_STEPS_SLIPS = {
    "the division by batch_size is missing (steps = n)": lambda n, size: n,
    "the extra step is subtracted (-= where += belongs)": lambda n, size: (
        n // size - (1 if (n // size) * size < n else 0)
    ),
    "the extra step replaces the count (= where += belongs)": lambda n, size: (
        1 if (n // size) * size < n else n // size
    ),
}

#: A batch's slice X[start:end] with one slip, as (start, end) from (step, size).
_SLICE_SLIPS = {
    "the start is step, not step * batch_size": lambda s, size: (s, (s + 1) * size),
    "the end is step + 1, not (step + 1) * batch_size": lambda s, size: (s * size, s + 1),
    "the start is batch_size, not step * batch_size": lambda s, size: (size, (s + 1) * size),
    "the end is batch_size, not (step + 1) * batch_size": lambda s, size: (s * size, size),
    "the end is (step - 1) * batch_size": lambda s, size: (s * size, (s - 1) * size),
    "the end is step * batch_size (the + 1 is missing)": lambda s, size: (s * size, s * size),
}


def _sized_cases(context: Context, suffix: str) -> list[tuple[str, int, int]]:
    return [
        (case, values["n"], values["batch_size"])
        for case, values in context.spec.items()
        if isinstance(values, dict)
        and values.get("batch_size")
        and f"{case}.{suffix}" in context.expected
    ]


@mistake(
    "batch_count_or_slice_slip",
    "the count of batches or a batch's slice bounds are wrong",
    "steps = n // batch_size, plus one when steps * batch_size < n (samples left over); batch "
    "number step is X[step * batch_size:(step + 1) * batch_size] (and the same slice of y). "
    "Fix the one part the details name.",
    checks=("batch_steps", "batches"),
    priority=GENERAL,
)
def _batch_slip(context: Context, failure: Failure) -> str | None:
    counted = "steps" if context.check == "batch_steps" else "count"
    cases = _sized_cases(context, counted)
    if not cases or any(_received_int(context, f"{c}.{counted}") is None for c, _, _ in cases):
        return None
    # A count of batches cannot go below 0, however many steps the loop was given.
    low = 0 if counted == "count" else -(10**9)
    for text, slip in _STEPS_SLIPS.items():
        if any(_book_steps(n, size) != slip(n, size) for _, n, size in cases) and all(
            _received_int(context, f"{c}.{counted}") == max(low, slip(n, size))
            for c, n, size in cases
        ):
            return f"the number of batches matches the count where {text}"
    if context.check != "batches":
        return None
    for text, bounds in _SLICE_SLIPS.items():
        fits = True
        for case, n, size in cases:
            wanted = [
                len(range(n)[slice(*bounds(step, size))]) for step in range(_book_steps(n, size))
            ]
            received = context.array(f"{case}.sizes")
            if (
                received is None
                or received.shape != (len(wanted),)
                or not np.array_equal(received, wanted)
            ):
                fits = False
                break
        if fits:
            return f"your batch sizes match the slices where {text}"
    return None
