"""Splitting data for validation (ch12): a shuffled hold-out split and k-fold indices.

* ``holdout_split``: ``HoldOut(validation_fraction, rng=rng).split(X, y)`` returns
  ``X_train, X_val, y_train, y_val`` (the order of ``nnfs_core.train_test_split``).
* ``kfold_split``: ``KFold(k, rng=rng).split(n_samples)`` returns (or yields) ``k`` pairs
  ``(train_indices, validation_indices)``.

A shuffle has no single right answer, so these checks judge structure, not numbers: every
sample on exactly one side (one validation fold), pairs ``X[i], y[i]`` kept together, the
sizes asked for, the samples really shuffled (the data arrive grouped by class, as
``spiral_data`` returns them, so an unshuffled cut gives a validation set of one class), and
the ``rng`` given actually used: the same seed must give the same split, another seed
another split. The probe hands the learner a ``np.random.default_rng(seed)``.

Every row of the check's ``X`` is different, so the judge finds which input row each
returned row is, and never needs the learner's own indices for the hold-out split.
"""

from __future__ import annotations

import itertools
from typing import Any

import numpy as np

from .base import Unrepresentable
from .capture import Recorder
from .judging import StagedCheck, error_text
from .shared import Context, Failure, Quantity, mistake, register

#: The three runs of each check: a split, the same seed again, and another seed.
RUNS = ("main", "again", "other")
#: The most folds the probe reads from what ``split`` returns (a generator may not end).
MAX_FOLDS = 50
HOLDOUT_ARRAYS = ("X_train", "X_val", "y_train", "y_val")


def _seeds(rng: np.random.RandomState) -> dict[str, int]:
    first = int(rng.randint(2**31 - 1))
    second = (first + 1 + int(rng.randint(2**30))) % (2**31 - 1)
    return {"main": first, "again": first, "other": second}


def _ordered_labels(n: int, n_classes: int) -> np.ndarray:
    """Labels grouped by class, every sample of class 0 first (as spiral_data returns them)."""
    return (np.arange(n) * n_classes // n).astype(np.uint8)


class _StructuralCheck(StagedCheck):
    """Judged by :meth:`verdict` per quantity instead of a comparison with reference values."""

    def verdict(self, context: Context, quantity: Quantity) -> Failure | None:
        raise NotImplementedError  # pragma: no cover - abstract

    def _failures(self, context: Context, quantities: list[Quantity]) -> list[Failure]:
        failures: list[Failure] = []
        reported: set[str] = set()
        for quantity in quantities:
            blocking = self._blocking_error(context.errors, quantity.stage)
            if blocking is not None:
                stage, record = blocking
                if stage not in reported:
                    reported.add(stage)
                    failures.append(Failure(quantity, "error", error_text(record), error=record))
                continue
            failure = self.verdict(context, quantity)
            if failure is not None:
                failures.append(failure)
                if quantity.name in self.blocking:
                    break  # later verdicts would only repeat this one
        return failures

    #: Quantities whose failure makes every later verdict meaningless.
    blocking: tuple[str, ...] = ()

    def judge(self, probe: Any, max_points: float | None = None) -> Any:
        result = super().judge(probe, max_points)
        if result.passed:  # no reference values were compared, only properties
            result.message = result.message.replace(
                "matches the reference (", "has every property asked for ("
            ).replace(" comparisons,", " properties checked,")
        return result


def _index_array(value: Any) -> np.ndarray | None:
    if isinstance(value, np.ndarray) and value.ndim == 1 and value.dtype.kind in "iu":
        return value.astype(np.int64)
    return None


def _describe(value: Any) -> str:
    if value is None:
        return "None"
    if isinstance(value, Unrepresentable):
        return value.text
    if isinstance(value, np.ndarray):
        return f"an array of shape {tuple(value.shape)} and dtype {value.dtype}"
    return f"a {type(value).__name__}"


# =============================================================================================
# Hold-out split
# =============================================================================================


def build_holdout(seed: int) -> dict[str, Any]:
    rng = np.random.RandomState(seed)
    n = 20 * (2 + rng.randint(3))
    fraction = float(rng.choice([0.15, 0.2, 0.25, 0.3, 0.35, 0.4]))
    n_classes = 3 + rng.randint(2)
    return {
        "n": n,
        "fraction": fraction,
        "n_val": round(fraction * n),
        "X": np.round(rng.standard_normal((n, 2)), 6),
        "y": _ordered_labels(n, n_classes),
        "seeds": _seeds(rng),
    }


def row_indices(X: np.ndarray, rows: Any) -> np.ndarray | None:
    """For each row of ``rows``, the index of the equal row of ``X``; ``None`` if one has none."""
    if not isinstance(rows, np.ndarray) or rows.dtype.kind not in "biuf":
        return None
    if rows.ndim != 2 or rows.shape[1] != X.shape[1]:
        return None
    order = np.argsort(X[:, 0])
    at = np.clip(np.searchsorted(X[order, 0], rows[:, 0]), 0, len(X) - 1)
    found = order[at]
    if not np.allclose(X[found], rows, rtol=1e-6, atol=1e-9):
        return None
    return found


def holdout_indices(context: Context, run: str) -> dict[str, np.ndarray] | None:
    """The input rows the learner's run put on each side: ``{"train": ..., "val": ...}``."""
    found = {}
    for side in ("train", "val"):
        indices = row_indices(context.spec["X"], context.values.get(f"{run}.X_{side}"))
        if indices is None:
            return None
        found[side] = indices
    return found


@register
class HoldoutSplitCheck(_StructuralCheck):
    name = "holdout_split"
    title = "HoldOut.split"
    stages = ("construct", "split")
    blocking = ("returned", "rows")

    def build(self, seed: int) -> dict[str, Any]:
        return build_holdout(seed)

    def exercise(self, recorder: Recorder, learner: Any, spec: dict[str, Any]) -> None:
        for run in RUNS:
            rng = np.random.default_rng(spec["seeds"][run])
            splitter = recorder.construct(f"{run}.construct", learner, spec["fraction"], rng=rng)
            if splitter is None:
                continue
            X, y = spec["X"].copy(), spec["y"].copy()
            ok, returned = recorder.invoke(f"{run}.split", splitter, "split", X, y)
            recorder.keep(f"{run}.X_after", X)
            recorder.keep(f"{run}.y_after", y)
            if not ok:
                continue
            if isinstance(returned, tuple | list) and len(returned) == 4:
                for name, value in zip(HOLDOUT_ARRAYS, returned):
                    recorder.keep(f"{run}.{name}", value)
            else:
                recorder.keep(f"{run}.returned", returned)
                recorder.notes[f"{run}.returned"] = _returned_text(returned)

    def expect(self, spec: dict[str, Any]) -> dict[str, Any]:
        # The structure asked for; the reference (nnfs_core.HoldOut) is one split that has it.
        return {"X": spec["X"], "y": spec["y"], "n_val": spec["n_val"]}

    def quantities(self, spec: dict[str, Any]) -> list[Quantity]:
        after = "after split(X, y)"
        rows = [
            ("main", "returned", "what split returned", after),
            ("main", "rows", "the rows returned", after),
            ("main", "pairs", "the labels returned with the rows", after),
            ("main", "sizes", "the sizes of the two sides", after),
            ("main", "cover", "which samples went where", after),
            ("main", "shuffled", "the validation samples", after),
            ("main", "X_after", "the X array passed to split", "during split"),
            ("main", "y_after", "the y array passed to split", "during split"),
            ("again", "same", "a second split with the same seed", "HoldOut(..., rng=seeded)"),
            ("other", "different", "a split with another seed", "HoldOut(..., rng=seeded)"),
        ]
        return [
            Quantity(f"{run}.{name}", label, name, f"{run}.split", shown)
            for run, name, label, shown in rows
        ]

    def verdict(self, context: Context, quantity: Quantity) -> Failure | None:
        spec, values, name = context.spec, context.values, quantity.name
        n, n_val = spec["n"], spec["n_val"]
        if name == "returned":
            text = context.notes.get("main.returned")
            if text:
                return Failure(quantity, "type", f"split returned {text}.")
            for array in HOLDOUT_ARRAYS:
                value = values.get(f"main.{array}")
                if not isinstance(value, np.ndarray) or value.dtype.kind not in "biuf":
                    return Failure(
                        quantity,
                        "type",
                        f"{array} (the {HOLDOUT_ARRAYS.index(array) + 1}. value split returns) "
                        f"is {_describe(value)}; expected an array of numbers.",
                    )
            return None
        if name == "rows":
            for side in ("train", "val"):
                rows = values[f"main.X_{side}"]
                if rows.ndim != 2 or rows.shape[1] != spec["X"].shape[1]:
                    return Failure(
                        quantity,
                        "shape",
                        f"X_{side} has shape {tuple(rows.shape)}; expected rows of X, shape "
                        f"(n_{side}, {spec['X'].shape[1]}).",
                    )
                if row_indices(spec["X"], rows) is None:
                    return Failure(
                        quantity,
                        "values",
                        f"X_{side} holds rows that are not rows of X: return whole samples of "
                        f"X, unchanged.",
                    )
            return None
        found = holdout_indices(context, "main")
        if found is None:  # pragma: no cover - the blocking verdicts above stop first
            return None
        if name == "pairs":
            for side in ("train", "val"):
                labels = values[f"main.y_{side}"].reshape(-1)
                if labels.shape != found[side].shape or not np.array_equal(
                    labels, spec["y"][found[side]]
                ):
                    return Failure(
                        quantity,
                        "values",
                        f"y_{side} does not hold the labels of the rows in X_{side} (same "
                        f"order): sample i of X_{side} must keep its own label in y_{side}[i].",
                    )
            return None
        if name == "sizes":
            n_val_got = len(found["val"])
            if n_val_got != n_val or len(found["train"]) != n - n_val:
                return Failure(
                    quantity,
                    "values",
                    f"X_val has {n_val_got} samples and X_train {len(found['train'])}; with "
                    f"{n} samples and validation_fraction={spec['fraction']} expected "
                    f"{n_val} for validation and {n - n_val} for training.",
                )
            return None
        if name == "cover":
            every = np.concatenate([found["train"], found["val"]])
            if len(np.unique(every)) != len(every) or len(every) != n:
                both = np.intersect1d(found["train"], found["val"])
                return Failure(
                    quantity,
                    "values",
                    f"{len(both)} samples are on both sides and "
                    f"{n - len(np.unique(every))} on neither; every sample belongs to exactly "
                    f"one side.",
                )
            return None
        if name == "shuffled":
            chosen = np.sort(found["val"])
            # Only a proper part of the data can be one block by accident of not shuffling;
            # a side holding every sample (or none) is a size mistake, reported as such.
            if 0 < len(chosen) < n and chosen[-1] - chosen[0] == len(chosen) - 1:
                classes = np.unique(spec["y"][chosen])
                return Failure(
                    quantity,
                    "values",
                    f"the validation samples are rows {int(chosen[0])} to {int(chosen[-1])} of "
                    f"X, one block, holding {len(classes)} of the {len(np.unique(spec['y']))} "
                    f"classes.",
                )
            return None
        if name in ("X_after", "y_after"):
            given = spec[name[0]]
            after = values.get(f"main.{name}")
            if not isinstance(after, np.ndarray) or not np.array_equal(after, given):
                return Failure(
                    quantity,
                    "mutated",
                    f"{quantity.label} was changed by your code (during split). Leave the "
                    f"arrays you are given untouched: index them with a permutation to build new "
                    f"ones.",
                )
            return None
        run = quantity.key.partition(".")[0]
        other = holdout_indices(context, run)
        if other is None:
            return Failure(
                quantity,
                "values",
                f"{quantity.label} did not return four arrays of rows of X as the first did.",
            )
        same = all(np.array_equal(other[s], found[s]) for s in ("train", "val"))
        if name == "same" and not same:
            return Failure(
                quantity,
                "values",
                "two HoldOut objects given generators with the same seed split differently.",
            )
        if name == "different" and same:
            return Failure(
                quantity,
                "values",
                "HoldOut objects given generators with different seeds split the same way.",
            )
        return None


def _returned_text(returned: Any) -> str:
    if isinstance(returned, tuple | list):
        return (
            f"a {type(returned).__name__} of {len(returned)} values; expected four: "
            f"X_train, X_val, y_train, y_val"
        )
    return f"{_describe(returned)}; expected four arrays: X_train, X_val, y_train, y_val"


# =============================================================================================
# k-fold indices
# =============================================================================================


def build_kfold(seed: int) -> dict[str, Any]:
    rng = np.random.RandomState(seed)
    k = 3 + rng.randint(3)
    per_fold = 4 + rng.randint(4)
    remainder = 2 + rng.randint(k - 2)  # 2 .. k - 1: never divisible, and a lopsided last fold
    n = k * per_fold + remainder
    return {"k": k, "n": n, "seeds": _seeds(rng)}


def kfold_folds(context: Context, run: str) -> list[tuple[np.ndarray, np.ndarray]] | None:
    """The learner's ``(train, validation)`` index arrays of one run, if all are 1-D integers."""
    count = context.values.get(f"{run}.n_folds")
    if not isinstance(count, np.ndarray) or count.size != 1:
        return None
    folds = []
    for i in range(int(count)):
        train = _index_array(context.values.get(f"{run}.train{i}"))
        validation = _index_array(context.values.get(f"{run}.val{i}"))
        if train is None or validation is None:
            return None
        folds.append((train, validation))
    return folds


def _runs_of(values: np.ndarray) -> bool:
    """Whether sorted ``values`` form one unbroken run of consecutive integers."""
    if len(values) == 0:
        return False
    ordered = np.sort(values)
    return bool(ordered[-1] - ordered[0] == len(ordered) - 1)


@register
class KFoldSplitCheck(_StructuralCheck):
    name = "kfold_split"
    title = "KFold.split"
    stages = ("construct", "split")
    blocking = ("folds", "indices")

    def build(self, seed: int) -> dict[str, Any]:
        return build_kfold(seed)

    def exercise(self, recorder: Recorder, learner: Any, spec: dict[str, Any]) -> None:
        for run in RUNS:
            rng = np.random.default_rng(spec["seeds"][run])
            splitter = recorder.construct(f"{run}.construct", learner, spec["k"], rng=rng)
            if splitter is None:
                continue
            ok, returned = recorder.invoke(f"{run}.split", splitter, "split", spec["n"])
            if not ok:
                continue
            if returned is None or not hasattr(returned, "__iter__"):
                recorder.notes[f"{run}.returned"] = _describe(returned)
                continue
            ok, items = recorder.call(
                f"{run}.split",
                "split",
                lambda folds=returned: list(itertools.islice(folds, MAX_FOLDS)),
            )
            if not ok:
                continue
            recorder.keep(f"{run}.n_folds", len(items))
            for i, item in enumerate(items):
                if isinstance(item, tuple | list) and len(item) == 2:
                    recorder.keep(f"{run}.train{i}", item[0])
                    recorder.keep(f"{run}.val{i}", item[1])
                else:
                    recorder.notes[f"{run}.item{i}"] = _describe_item(item)

    def expect(self, spec: dict[str, Any]) -> dict[str, Any]:
        n, k = spec["n"], spec["k"]
        return {"k": k, "n": n, "sizes": [len(f) for f in np.array_split(np.arange(n), k)]}

    def quantities(self, spec: dict[str, Any]) -> list[Quantity]:
        after = "after split(n_samples)"
        rows = [
            ("main", "folds", "the folds split returned", after),
            ("main", "indices", "the indices in the folds", after),
            ("main", "disjoint", "the validation folds", after),
            ("main", "complete", "the validation folds", after),
            ("main", "balanced", "the sizes of the validation folds", after),
            ("main", "train", "the training indices", after),
            ("main", "shuffled", "the validation folds", after),
            ("again", "same", "a second split with the same seed", "KFold(k, rng=seeded)"),
            ("other", "different", "a split with another seed", "KFold(k, rng=seeded)"),
        ]
        return [
            Quantity(f"{run}.{name}", label, name, f"{run}.split", shown)
            for run, name, label, shown in rows
        ]

    def verdict(self, context: Context, quantity: Quantity) -> Failure | None:
        spec, values, name = context.spec, context.values, quantity.name
        n, k = spec["n"], spec["k"]
        if name == "folds":
            count = values.get("main.n_folds")
            if not isinstance(count, np.ndarray):
                shown = context.notes.get("main.returned", "nothing")
                return Failure(
                    quantity,
                    "type",
                    f"split returned {shown}; expected k pairs (train_indices, "
                    f"validation_indices), as a list or yielded one by one.",
                )
            if int(count) != k:
                return Failure(
                    quantity,
                    "values",
                    f"split returned {int(count)} pairs; expected k = {k}, one "
                    f"(train_indices, validation_indices) pair per fold.",
                )
            for i in range(k):
                if f"main.item{i}" in context.notes:
                    return Failure(
                        quantity,
                        "type",
                        f"fold {i} is {context.notes[f'main.item{i}']}; expected a pair "
                        f"(train_indices, validation_indices).",
                    )
            return None
        if name == "indices":
            for i in range(k):
                for part in ("train", "val"):
                    value = values.get(f"main.{part}{i}")
                    array = _index_array(value)
                    shown = "training" if part == "train" else "validation"
                    if array is None:
                        return Failure(
                            quantity,
                            "type",
                            f"the {shown} indices of fold {i} are {_describe(value)}; expected a "
                            f"1-D array of integer indices (e.g. from rng.permutation).",
                        )
                    if len(array) and (array.min() < 0 or array.max() >= n):
                        return Failure(
                            quantity,
                            "values",
                            f"the {shown} indices of fold {i} run from {int(array.min())} to "
                            f"{int(array.max())}; with n_samples={n} they must lie in 0..{n - 1}.",
                        )
            return None
        folds = kfold_folds(context, "main")
        if folds is None:  # pragma: no cover - the blocking verdicts above stop first
            return None
        validation = [v for _, v in folds]
        counts = np.bincount(np.concatenate(validation), minlength=n)
        if name == "disjoint":
            twice = np.flatnonzero(counts > 1)
            if len(twice):
                return Failure(
                    quantity,
                    "values",
                    f"{len(twice)} samples are in more than one validation fold (sample "
                    f"{int(twice[0])} in {int(counts[twice[0]])} of them).",
                )
            return None
        if name == "complete":
            never = np.flatnonzero(counts == 0)
            if len(never):
                return Failure(
                    quantity,
                    "values",
                    f"{len(never)} of the {n} samples are in no validation fold (e.g. sample "
                    f"{int(never[0])}).",
                )
            return None
        if name == "balanced":
            sizes = [len(v) for v in validation]
            if max(sizes) - min(sizes) > 1:
                return Failure(
                    quantity,
                    "values",
                    f"the validation folds have {sizes} samples; with n_samples={n} and k={k} "
                    f"expected sizes that differ by at most one, "
                    f"{context.expected['sizes']}.",
                )
            return None
        if name == "train":
            for i, (train, val) in enumerate(folds):
                inside = np.intersect1d(train, val)
                rest = np.setdiff1d(np.arange(n), val)
                if (
                    len(inside)
                    or len(train) != len(rest)
                    or not np.array_equal(np.sort(train), rest)
                ):
                    return Failure(
                        quantity,
                        "values",
                        f"the training indices of fold {i} should be exactly the {len(rest)} "
                        f"samples outside its validation fold, each once; they hold "
                        f"{len(train)} indices, {len(inside)} of them from the validation fold.",
                    )
            return None
        if name == "shuffled":
            if all(_runs_of(v) for v in validation):
                return Failure(
                    quantity,
                    "values",
                    "every validation fold is one unbroken run of consecutive samples.",
                )
            return None
        run = quantity.key.partition(".")[0]
        other = kfold_folds(context, run)
        if other is None or len(other) != len(folds):
            return Failure(
                quantity, "values", f"{quantity.label} did not return {k} folds as the first did."
            )
        same = all(np.array_equal(np.sort(a[1]), np.sort(b[1])) for a, b in zip(folds, other))
        if name == "same" and not same:
            return Failure(
                quantity,
                "values",
                "two KFold objects given generators with the same seed made different folds.",
            )
        if name == "different" and same:
            return Failure(
                quantity,
                "values",
                "KFold objects given generators with different seeds made the same folds.",
            )
        return None


def _describe_item(item: Any) -> str:
    if isinstance(item, tuple | list):
        return f"a {type(item).__name__} of {len(item)} values"
    return _describe(item)


# =============================================================================================
# The catalogue's entries for these checks
# =============================================================================================


def _failed(context: Context, failure: Failure, name: str) -> bool:
    return failure.quantity.name == name and failure.kind != "error"


@mistake(
    "holdout_fraction_wrong_side",
    "validation_fraction applied to the training side",
    "validation_fraction is the share kept for validation: n_val = round(validation_fraction "
    "* len(X)); the first n_val shuffled samples go to validation and the rest to training "
    "(or the other way round, as long as validation gets n_val).",
    checks=("holdout_split",),
)
def _fraction_wrong_side(context: Context, failure: Failure) -> str | None:
    if not _failed(context, failure, "sizes"):
        return None
    found = holdout_indices(context, "main")
    n, n_val = context.spec["n"], context.spec["n_val"]
    if found is not None and len(found["val"]) == n - n_val and len(found["train"]) == n_val:
        return f"validation got {n - n_val} samples and training {n_val}"
    return None


@mistake(
    "holdout_validation_size",
    "the validation side does not get round(validation_fraction * len(X)) samples",
    "n_val = round(self.validation_fraction * len(X)): the fraction times the number of "
    "samples, both factors. Then order[:n_val] goes to validation and order[n_val:] to "
    "training, so every sample lands on exactly one side.",
    checks=("holdout_split",),
)
def _validation_size(context: Context, failure: Failure) -> str | None:
    # Only a size that is wrong while every sample still lands on one side: samples lost or
    # doubled are another mistake, and the fraction on the wrong side has its own entry.
    if not _failed(context, failure, "sizes") or context.failed("main.cover"):
        return None
    found = holdout_indices(context, "main")
    n, n_val = context.spec["n"], context.spec["n_val"]
    if found is None or len(found["val"]) + len(found["train"]) != n:
        return None
    return (
        f"validation got {len(found['val'])} of the {n} samples, not {n_val} "
        f"(validation_fraction={context.spec['fraction']})"
    )


@mistake(
    "holdout_pairs_broken",
    "X and y shuffled separately: samples lost their labels",
    "Draw one permutation and index both arrays with it: order = self.rng.permutation(len(X)), "
    "then X[order] and y[order]. Two separate shuffles give each sample another's label.",
    checks=("holdout_split",),
)
def _pairs_broken(context: Context, failure: Failure) -> str | None:
    if not _failed(context, failure, "pairs"):
        return None
    found = holdout_indices(context, "main")
    y = context.spec["y"]
    if found is None:
        return None
    right = sum(
        int(np.sum(context.values[f"main.y_{s}"].reshape(-1) == y[found[s]]))
        for s in ("train", "val")
        if context.values[f"main.y_{s}"].size == len(found[s])
    )
    return f"only {right} of the {len(y)} samples kept their own label"


@mistake(
    "holdout_validation_in_training",
    "the validation samples are also in the training set",
    "The training side is what is left after the validation samples are taken out: with "
    "order = self.rng.permutation(n), validation = order[:n_val] and training = order[n_val:]. "
    "A network that trained on its validation samples scores them too well.",
    checks=("holdout_split",),
)
def _validation_in_training(context: Context, failure: Failure) -> str | None:
    if not (_failed(context, failure, "sizes") or _failed(context, failure, "cover")):
        return None
    found = holdout_indices(context, "main")
    if found is None:
        return None
    both = np.intersect1d(found["train"], found["val"])
    if len(both):
        return f"{len(both)} of the {len(found['val'])} validation samples are in X_train too"
    return None


@mistake(
    "holdout_not_shuffled",
    "the split is not shuffled",
    "The data arrive grouped by class (spiral_data returns all of class 0 first), so cutting "
    "off the last (or first) rows gives a validation set of one or two classes. Shuffle first: "
    "order = self.rng.permutation(len(X)), then cut order into the two sides.",
    checks=("holdout_split",),
)
def _holdout_not_shuffled(context: Context, failure: Failure) -> str | None:
    if _failed(context, failure, "shuffled"):
        return failure.text.rstrip(".")
    return None


@mistake(
    "kfold_fold_count",
    "split returns a different number of folds than k",
    "One (train_indices, validation_indices) pair per fold, k in all: loop for i in "
    "range(self.k) over the k pieces of the shuffled order (np.array_split(order, self.k)). "
    "range(self.k - 1) or range(1, self.k) leaves one fold out, and its samples are then "
    "never validated.",
    checks=("kfold_split",),
)
def _fold_count(context: Context, failure: Failure) -> str | None:
    if not _failed(context, failure, "folds") or failure.kind != "values":
        return None
    count = context.values.get("main.n_folds")
    if not isinstance(count, np.ndarray) or count.size != 1:
        return None
    k, made = context.spec["k"], int(count)
    if made == 0 or abs(made - k) > 1:
        return None
    return f"with k = {k} your split returned {made} pairs: its loop runs {made} times"


@mistake(
    "kfold_folds_overlap",
    "validation folds overlap",
    "Shuffle the indices once (order = self.rng.permutation(n_samples)) and cut that one "
    "order into k consecutive pieces, e.g. np.array_split(order, k). Drawing each fold on its "
    "own lets folds share samples.",
    checks=("kfold_split",),
)
def _folds_overlap(context: Context, failure: Failure) -> str | None:
    if _failed(context, failure, "disjoint"):
        return failure.text.rstrip(".")
    return None


@mistake(
    "kfold_sample_never_validated",
    "some samples are never used for validation",
    "With n_samples not divisible by k, folds of n_samples // k samples leave the remainder "
    "out. np.array_split(order, k) hands the leftover samples to the first folds, one each.",
    checks=("kfold_split",),
)
def _never_validated(context: Context, failure: Failure) -> str | None:
    if _failed(context, failure, "complete"):
        return failure.text.rstrip(".")
    return None


@mistake(
    "kfold_remainder_in_last_fold",
    "the leftover samples all went into the last fold",
    "Fold sizes should differ by at most one sample, so that every fold's score counts "
    "alike: np.array_split(order, k) gives the first n_samples % k folds one extra sample.",
    checks=("kfold_split",),
)
def _remainder_last(context: Context, failure: Failure) -> str | None:
    if not _failed(context, failure, "balanced"):
        return None
    folds = kfold_folds(context, "main")
    if folds is None:
        return None
    n, k = context.spec["n"], context.spec["k"]
    sizes = [len(v) for _, v in folds]
    if sizes[:-1] == [n // k] * (k - 1) and sizes[-1] == n // k + n % k:
        return f"the folds have {sizes} samples"
    return None


@mistake(
    "kfold_validation_in_training",
    "a fold's validation samples are also in its training indices",
    "A fold's training set is every index outside its validation fold: for fold i, "
    "np.concatenate of the other k - 1 folds. Training on the validation samples makes their "
    "score worthless.",
    checks=("kfold_split",),
)
def _kfold_validation_in_training(context: Context, failure: Failure) -> str | None:
    if not _failed(context, failure, "train"):
        return None
    folds = kfold_folds(context, "main")
    for i, (train, val) in enumerate(folds or []):
        inside = np.intersect1d(train, val)
        if len(inside):
            return f"fold {i}'s training indices include {len(inside)} of its validation samples"
    return None


@mistake(
    "kfold_not_shuffled",
    "the folds are not shuffled",
    "The data arrive grouped by class (spiral_data returns all of class 0 first), so "
    "consecutive blocks of samples make folds of one or two classes, each validated by a "
    "network that never saw those classes in training. Shuffle once first: "
    "order = self.rng.permutation(n_samples), then cut order into k pieces.",
    checks=("kfold_split",),
)
def _kfold_not_shuffled(context: Context, failure: Failure) -> str | None:
    if _failed(context, failure, "shuffled"):
        return failure.text.rstrip(".")
    return None


@mistake(
    "split_ignores_rng",
    "the rng given to the constructor is not used",
    "Draw the shuffle from self.rng (self.rng.permutation(n)), not from np.random or a "
    "generator made inside the method. Then the same seed gives the same split, so an "
    "experiment can be repeated, and another seed gives another split.",
    checks=("holdout_split", "kfold_split"),
)
def _ignores_rng(context: Context, failure: Failure) -> str | None:
    if _failed(context, failure, "same") or _failed(context, failure, "different"):
        return failure.text.rstrip(".")
    return None
