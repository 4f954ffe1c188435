"""Scaling features (ch13): ``minmax_scaler``.

The learner's ``MinMaxScaler(feature_range=(low, high))`` has ``fit(X)``, which remembers
each feature's minimum and maximum over the training samples, and ``transform(X)``, which
returns ``low + (X - min) / (max - min) * (high - low)`` computed with those remembered
values, whatever data it is given afterwards. The reference is ``nnfs_core.MinMaxScaler``;
its two documented decisions are part of the task: a feature that is constant in the
training data has its range taken as 1 (so its training value maps to ``low``, with no
division by zero), and values beyond the training range are not clipped.

Two cases, ``(0, 1)`` and ``(-1, 1)``. In each, the training data has features on very
different scales and one constant feature; the probe fits on it, transforms it, then
transforms test data (with values below the training minimum and above the maximum, and the
constant feature at its training value) and a single new sample. Sizes differ
(``n_train``, ``n_test``, ``n_features``), so statistics taken over the wrong axis show.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from nnfs_core import MinMaxScaler

from .capture import Recorder
from .judging import StagedCheck
from .out_of_sample import broadcast_shapes
from .shared import GENERAL, Context, Failure, Quantity, mistake, register

RANGES = {"unit": (0.0, 1.0), "symmetric": (-1.0, 1.0)}
OUTPUTS = ("train_out", "test_out", "one_out")


def build_scaling(seed: int) -> dict[str, Any]:
    rng = np.random.RandomState(seed)
    spec: dict[str, Any] = {}
    for case, feature_range in RANGES.items():
        n_features = 4 + rng.randint(2)
        n_train = 12 + rng.randint(5)
        n_test = 7 + rng.randint(4)
        scales = rng.choice([1.0, 4.0, 50.0, 800.0], size=n_features)
        offsets = np.round(rng.uniform(-100.0, 100.0, size=n_features), 1)
        X_train = offsets + scales * rng.standard_normal((n_train, n_features))
        X_test = offsets + 1.5 * scales * rng.standard_normal((n_test, n_features))
        constant = int(rng.randint(n_features))
        X_train[:, constant] = offsets[constant]
        X_test[:, constant] = offsets[constant]
        # One test value beyond each end of the training range, in a varying feature.
        varying = (constant + 1) % n_features
        low, high = X_train[:, varying].min(), X_train[:, varying].max()
        X_test[0, varying] = high + 0.5 * (high - low)
        X_test[1, varying] = low - 0.25 * (high - low)
        spec[case] = {
            "feature_range": feature_range,
            "X_train": X_train,
            "X_test": X_test,
            "X_one": X_test[2:3].copy(),
            "constant": constant,
        }
    return spec


def reference_outputs(case: dict[str, Any]) -> dict[str, np.ndarray]:
    scaler = MinMaxScaler(feature_range=case["feature_range"])
    scaler.fit(case["X_train"])
    return {
        "train_out": scaler.transform(case["X_train"]),
        "test_out": scaler.transform(case["X_test"]),
        "one_out": scaler.transform(case["X_one"]),
    }


def _scaled(X: np.ndarray, lowest: Any, highest: Any) -> np.ndarray:
    """``(X - lowest) / range`` with a zero range taken as 1: the (0, 1) scaling."""
    spread = np.asarray(highest - lowest, dtype=np.float64)
    return (X - lowest) / np.where(spread == 0, 1.0, spread)


@register
class MinMaxScalerCheck(StagedCheck):
    name = "minmax_scaler"
    title = "MinMaxScaler"
    stages = ("construct", "fit", "transform_train", "transform_test", "transform_one")

    def build(self, seed: int) -> dict[str, Any]:
        return build_scaling(seed)

    def exercise(self, recorder: Recorder, learner: Any, spec: dict[str, Any]) -> None:
        for case_name in RANGES:
            case = spec[case_name]
            scaler = recorder.construct(
                f"{case_name}.construct", learner, feature_range=case["feature_range"]
            )
            if scaler is None:
                continue
            X_train = case["X_train"].copy()
            ok, _ = recorder.invoke(f"{case_name}.fit", scaler, "fit", X_train)
            if not ok:
                recorder.keep(f"{case_name}.X_train_after", X_train)
                continue
            for stage, data, key in (
                ("transform_train", X_train, "train_out"),
                ("transform_test", case["X_test"].copy(), "test_out"),
                ("transform_one", case["X_one"].copy(), "one_out"),
            ):
                ok, returned = recorder.invoke(f"{case_name}.{stage}", scaler, "transform", data)
                recorder.keep(f"{case_name}.{key}", returned)
                recorder.keep(f"{case_name}.{key}_input_after", data)
                if not ok:
                    break

    def expect(self, spec: dict[str, Any]) -> dict[str, Any]:
        expected: dict[str, Any] = {}
        for case_name in RANGES:
            case = spec[case_name]
            for key, value in reference_outputs(case).items():
                expected[f"{case_name}.{key}"] = value
            expected[f"{case_name}.train_out_input_after"] = case["X_train"]
            expected[f"{case_name}.test_out_input_after"] = case["X_test"]
            expected[f"{case_name}.one_out_input_after"] = case["X_one"]
        return expected

    def quantities(self, spec: dict[str, Any]) -> list[Quantity]:
        found: list[Quantity] = []
        shown = {
            "train_out": ("transform(X_train)", "transform_train", "after fit(X_train)"),
            "test_out": ("transform(X_test)", "transform_test", "after fit(X_train)"),
            "one_out": ("transform(one new sample)", "transform_one", "after fit(X_train)"),
        }
        for case_name, (low, high) in RANGES.items():
            for key, (label, stage, after) in shown.items():
                found.append(
                    Quantity(
                        f"{case_name}.{key}",
                        f"{label} with feature_range=({low:g}, {high:g})",
                        key,
                        f"{case_name}.{stage}",
                        after,
                    )
                )
        for case_name in RANGES:
            for key, (label, stage, _) in shown.items():
                found.append(
                    Quantity(
                        f"{case_name}.{key}_input_after",
                        "the array passed to fit and transform (X_train)"
                        if key == "train_out"
                        else f"the array passed to {label}",
                        "input_after",
                        f"{case_name}.{stage}",
                        "during fit and transform",
                        mutation=True,
                    )
                )
        return found


# =============================================================================================
# The catalogue's entries for this check
# =============================================================================================


def _case(failure: Failure) -> str:
    return failure.quantity.key.partition(".")[0]


def _output_failure(failure: Failure) -> bool:
    return failure.quantity.name in OUTPUTS and failure.kind in ("values", "nonfinite", "shape")


def _data(case: dict[str, Any], key: str) -> np.ndarray:
    return case[{"train_out": "X_train", "test_out": "X_test", "one_out": "X_one"}[key]]


def _stretch(unit: np.ndarray, feature_range: tuple[float, float]) -> np.ndarray:
    low, high = feature_range
    return low + unit * (high - low)


@mistake(
    "scaler_zero_range_unguarded",
    "a constant feature divided by a range of zero",
    "A feature with the same value in every training sample has max - min = 0, and dividing by "
    "it gives NaN or infinity. Take its range as 1 instead: "
    "self.range = np.where(self.max - self.min == 0, 1, self.max - self.min). Its training "
    "value then maps to the lower end of feature_range.",
    checks=("minmax_scaler",),
)
def _zero_range(context: Context, failure: Failure) -> str | None:
    if failure.quantity.name not in OUTPUTS:
        return None
    case = context.spec[_case(failure)]
    received = context.array(failure.quantity.key)
    if received is None or received.ndim != 2:
        return None
    column = case["constant"]
    if received.shape[1] > column and not np.all(np.isfinite(received[:, column])):
        return (
            f"feature {column} is constant in X_train (every value is "
            f"{case['X_train'][0, column]:g}), and {failure.quantity.label} holds "
            f"{'NaN' if np.isnan(received[:, column]).any() else 'infinity'} there"
        )
    return None


@mistake(
    "scaler_refits_in_transform",
    "transform took the minimum and maximum of the data it was given",
    "fit remembers the training data's minimum and maximum; transform only uses them. If "
    "transform recomputes them from its own input, the same raw value maps to different "
    "numbers in different batches, and a single new sample (whose minimum equals its maximum) "
    "maps to nothing useful at all.",
    checks=("minmax_scaler",),
)
def _refits(context: Context, failure: Failure) -> str | None:
    key = failure.quantity.name
    if key not in ("test_out", "one_out") or not _output_failure(failure):
        return None
    # The premise holds only if every failed output is a refit of its own data: a refit
    # leaves the training output right (fit saw the same data), and a single sample maps to
    # feature_range's lower end by other mistakes too (a stretch of high + low = 0, say).
    for other in context.failures:
        if not _output_failure(other):
            continue
        name = other.quantity.name
        if name == "train_out" or not context.matches(other.quantity.key, _refit(context, other)):
            return None
    if not context.matches(failure.quantity.key, _refit(context, failure)):
        return None
    return (
        f"{failure.quantity.label} is what scaling that data by its own minimum and maximum gives"
    )


def _refit(context: Context, failure: Failure) -> np.ndarray:
    """What ``failure``'s output is when transform refits on the data it is given."""
    case = context.spec[_case(failure)]
    data = _data(case, failure.quantity.name)
    return _stretch(_scaled(data, data.min(axis=0), data.max(axis=0)), case["feature_range"])


@mistake(
    "scaler_wrong_axis",
    "minimum and maximum not taken per feature (over axis 0)",
    "Each feature (column) gets its own minimum and maximum, over all the training samples "
    "(rows): self.min = X.min(axis=0), self.max = X.max(axis=0), each of shape "
    "(n_features,). Without axis you get one number for the whole array; with axis=1 one per "
    "sample.",
    checks=("minmax_scaler",),
)
def _wrong_axis(context: Context, failure: Failure) -> str | None:
    case = context.spec[_case(failure)]
    if failure.kind == "error":
        n_train = len(case["X_train"])
        shapes = broadcast_shapes(failure.error)
        if (n_train,) in shapes or (n_train, 1) in shapes:
            return f"your statistics have one value per training sample ({n_train} of them)"
        return None
    if not _output_failure(failure):
        return None
    key = failure.quantity.name
    data, train = _data(case, key), case["X_train"]
    candidates = {
        "one minimum and maximum for the whole array": _scaled(data, train.min(), train.max()),
    }
    if key == "train_out":
        candidates["a minimum and maximum per sample (axis=1)"] = _scaled(
            data, data.min(axis=1, keepdims=True), data.max(axis=1, keepdims=True)
        )
    for what, unit in candidates.items():
        if context.matches(failure.quantity.key, _stretch(unit, case["feature_range"])):
            return f"{failure.quantity.label} is what {what} gives"
    return None


def _unit_candidate(case: dict[str, Any], key: str) -> np.ndarray:
    train = case["X_train"]
    return _scaled(_data(case, key), train.min(axis=0), train.max(axis=0))


@mistake(
    "scaler_ignores_feature_range",
    "feature_range ignored: the result is always in [0, 1]",
    "Stretch and shift the [0, 1] result into (low, high): "
    "low + (X - min) / range * (high - low). For (-1, 1) that is 2 * unit - 1.",
    checks=("minmax_scaler",),
)
def _ignores_range(context: Context, failure: Failure) -> str | None:
    if _case(failure) != "symmetric" or not _output_failure(failure):
        return None
    unit = _unit_candidate(context.spec["symmetric"], failure.quantity.name)
    return "" if context.matches(failure.quantity.key, unit) else None


@mistake(
    "scaler_range_not_shifted",
    "stretched to the width of feature_range but not shifted to its lower end",
    "After multiplying the [0, 1] result by (high - low), add low: "
    "low + (X - min) / range * (high - low). For (-1, 1), values must run from -1 to 1, "
    "not from 0 to 2.",
    checks=("minmax_scaler",),
)
def _not_shifted(context: Context, failure: Failure) -> str | None:
    if _case(failure) != "symmetric" or not _output_failure(failure):
        return None
    case = context.spec["symmetric"]
    low, high = case["feature_range"]
    unit = _unit_candidate(case, failure.quantity.name)
    return "" if context.matches(failure.quantity.key, unit * (high - low)) else None


@mistake(
    "scaler_range_not_stretched",
    "shifted to the lower end of feature_range but not stretched to its width",
    "Multiply the [0, 1] result by (high - low) before adding low: "
    "low + (X - min) / range * (high - low). For (-1, 1), values must run from -1 to 1, "
    "not from -1 to 0.",
    checks=("minmax_scaler",),
)
def _not_stretched(context: Context, failure: Failure) -> str | None:
    if _case(failure) != "symmetric" or not _output_failure(failure):
        return None
    case = context.spec["symmetric"]
    low, _ = case["feature_range"]
    unit = _unit_candidate(case, failure.quantity.name)
    return "" if context.matches(failure.quantity.key, unit + low) else None


@mistake(
    "scaler_stretch_by_sum",
    "stretched by high + low instead of high - low",
    "The width of feature_range is high - low: low + (X - min) / range * (high - low). For "
    "(-1, 1) that is 2; high + low is 0 there, and every value lands on -1.",
    checks=("minmax_scaler",),
)
def _stretch_by_sum(context: Context, failure: Failure) -> str | None:
    if not _output_failure(failure):
        return None
    case = context.spec[_case(failure)]
    low, high = case["feature_range"]
    if np.isclose(high + low, high - low):  # low = 0: the two agree, nothing to tell apart
        return None
    unit = _unit_candidate(case, failure.quantity.name)
    if context.matches(failure.quantity.key, low + unit * (high + low)):
        return f"with feature_range=({low:g}, {high:g}) your values are low + unit * {high + low:g}"
    return None


@mistake(
    "scaler_clips",
    "values outside the training range clipped",
    "Do not clip: a test value above the training maximum should map above the upper end of "
    "feature_range. The network then sees that the value is beyond anything it trained on; "
    "clipping would silently make it look like the largest training value.",
    checks=("minmax_scaler",),
)
def _clips(context: Context, failure: Failure) -> str | None:
    if failure.quantity.name != "test_out" or not _output_failure(failure):
        return None
    low, high = context.spec[_case(failure)]["feature_range"]
    expected = context.expected[failure.quantity.key]
    return "" if context.matches(failure.quantity.key, np.clip(expected, low, high)) else None


@mistake(
    "scaler_constant_feature_not_low",
    "a constant feature mapped to 0 instead of the lower end of feature_range",
    "The course's rule for a feature that is constant in the training data: take its range as "
    "1, so its value maps to low + 0 * (high - low) = low, like every feature's minimum. For "
    "(-1, 1) that is -1, not 0.",
    checks=("minmax_scaler",),
)
def _constant_not_low(context: Context, failure: Failure) -> str | None:
    if _case(failure) != "symmetric" or not _output_failure(failure):
        return None
    case = context.spec["symmetric"]
    candidate = np.array(context.expected[failure.quantity.key], copy=True)
    candidate[:, case["constant"]] = 0.0
    if context.matches(failure.quantity.key, candidate):
        return f"feature {case['constant']} is constant in X_train, and came out as 0"
    return None


# Found with autograder/mutation: one statistic taken without axis, a range that is not
# max - min, and transform's formula with a term or sign wrong got only the generic mismatch.
# Each slip is replayed on the check's own data and must fit every failed output of both cases.


def _guarded(spread: np.ndarray) -> np.ndarray:
    return np.where(spread == 0, 1.0, spread)


def _fit_slips(train: np.ndarray) -> dict[str, tuple[Any, Any, Any]]:
    """(min, max, range) that fit stores, one slip each."""
    low, high = train.min(axis=0), train.max(axis=0)
    return {
        "fit takes the minimum without axis=0 (one number for the whole array)": (
            train.min(),
            high,
            _guarded(high - train.min()),
        ),
        "fit takes the maximum without axis=0 (one number for the whole array)": (
            low,
            train.max(),
            _guarded(train.max() - low),
        ),
        "fit's range is max + min, not max - min": (low, high, _guarded(high + low)),
        "fit's range is the maximum alone (- min missing)": (low, high, _guarded(high)),
    }


_TRANSFORM_SLIPS = {
    "transform subtracts the scaled term from low (low - ... where low + ... belongs)": (
        lambda X, lo, r, low, high: low - (X - lo) / r * (high - low)
    ),
    "transform does not divide by the range": lambda X, lo, r, low, high: (
        low + (X - lo) * (high - low)
    ),
    "transform adds the minimum (X + min where X - min belongs)": lambda X, lo, r, low, high: (
        low + (X + lo) / r * (high - low)
    ),
    "transform does not subtract the minimum (X / range where (X - min) / range belongs)": (
        lambda X, lo, r, low, high: low + X / r * (high - low)
    ),
}


def _scaler_slip_outputs(case: dict[str, Any], key: str) -> dict[str, np.ndarray]:
    data, train = _data(case, key), case["X_train"]
    low, high = case["feature_range"]
    found = {
        text: low + (data - lo) / r * (high - low) for text, (lo, _, r) in _fit_slips(train).items()
    }
    lo, r = train.min(axis=0), _guarded(train.max(axis=0) - train.min(axis=0))
    for text, slip in _TRANSFORM_SLIPS.items():
        found[text] = slip(data, lo, r, low, high)
    return found


@mistake(
    "scaler_formula_slip",
    "one term of fit's statistics or of transform's formula is wrong",
    "fit: self.min = X.min(axis=0), self.max = X.max(axis=0), range = self.max - self.min (1 "
    "where that is 0). transform: low + (X - self.min) / range * (high - low). Fix the one "
    "part the details name.",
    checks=("minmax_scaler",),
    priority=GENERAL,
)
def _formula_slip(context: Context, failure: Failure) -> str | None:
    if not _output_failure(failure):
        return None
    failed = [f for f in context.failures if _output_failure(f)]
    # One number for the whole array: the scaled term left out of transform's expression.
    for end, position in (("low", 0), ("high", 1)):
        if all(
            f.kind == "shape"
            and context.matches(f.quantity.key, context.spec[_case(f)]["feature_range"][position])
            for f in failed
        ):
            return (
                f"{failure.quantity.label} is the single number {end} of feature_range: the "
                "term (X - self.min) / range is missing from transform's expression"
            )
    first = _scaler_slip_outputs(context.spec[_case(failure)], failure.quantity.name)
    for text in first:
        if all(
            context.matches(
                other.quantity.key,
                _scaler_slip_outputs(context.spec[_case(other)], other.quantity.name)[text],
            )
            for other in failed
        ):
            return f"{failure.quantity.label} is what you get where {text}"
    return None
