"""Learner-side code for ``autograder/checks/scaling.py`` (ch13's ``minmax_scaler``).

Correct scalers written three ways (``np.where`` guard, a loop over features with a
``np.ptp`` guard and ``fit`` returning nothing, and the reference), then one wrong scaler per
catalogued mistake, each carrying ``mistake`` (the catalogue id the judge must name) and
``check``.
"""

from __future__ import annotations

import inspect
import sys

import numpy as np

import nnfs_core


class MinMaxScaler:
    def __init__(self, feature_range=(0, 1)):
        self.feature_range = feature_range

    def fit(self, X):
        self.min = X.min(axis=0)
        self.max = X.max(axis=0)
        spread = self.max - self.min
        self.range = np.where(spread == 0, 1, spread)
        return self

    def transform(self, X):
        low, high = self.feature_range
        return low + (X - self.min) / self.range * (high - low)


class MinMaxScalerLoop(MinMaxScaler):
    """Feature by feature, with np.ptp; fit returns nothing; the stretch written out."""

    def fit(self, X):
        self.lowest = [float(np.min(X[:, j])) for j in range(X.shape[1])]
        self.spans = [float(np.ptp(X[:, j])) or 1.0 for j in range(X.shape[1])]

    def transform(self, X):
        low, high = self.feature_range
        out = np.empty(X.shape)
        for j in range(X.shape[1]):
            out[:, j] = (X[:, j] - self.lowest[j]) / self.spans[j]
        return out * (high - low) + low


# =============================================================================================
# Wrong, one per catalogued mistake
# =============================================================================================


class ScalerStretchedBySum(MinMaxScaler):
    """Stretches by high + low instead of high - low. With feature_range=(-1, 1) every output
    is -1, which for a single sample is also what a refit gives; advice about refitting would
    point at code that is right (test_check_advice.py)."""

    mistake, check = "scaler_stretch_by_sum", "minmax_scaler"

    def transform(self, X):
        low, high = self.feature_range
        return low + (X - self.min) / self.range * (high + low)


class ScalerNoGuard(MinMaxScaler):
    mistake, check = "scaler_zero_range_unguarded", "minmax_scaler"

    def fit(self, X):
        self.min, self.max = X.min(axis=0), X.max(axis=0)
        self.range = self.max - self.min


class ScalerRefits(MinMaxScaler):
    mistake, check = "scaler_refits_in_transform", "minmax_scaler"

    def transform(self, X):
        self.fit(X)
        return super().transform(X)


class ScalerGlobal(MinMaxScaler):
    mistake, check = "scaler_wrong_axis", "minmax_scaler"

    def fit(self, X):
        self.min, self.max = X.min(), X.max()
        self.range = self.max - self.min


class ScalerPerSample(MinMaxScaler):
    mistake, check = "scaler_wrong_axis", "minmax_scaler"

    def fit(self, X):
        self.min, self.max = X.min(axis=1), X.max(axis=1)
        spread = self.max - self.min
        self.range = np.where(spread == 0, 1, spread)


class ScalerAlwaysUnit(MinMaxScaler):
    mistake, check = "scaler_ignores_feature_range", "minmax_scaler"

    def transform(self, X):
        return (X - self.min) / self.range


class ScalerNotShifted(MinMaxScaler):
    mistake, check = "scaler_range_not_shifted", "minmax_scaler"

    def transform(self, X):
        low, high = self.feature_range
        return (X - self.min) / self.range * (high - low)


class ScalerNotStretched(MinMaxScaler):
    mistake, check = "scaler_range_not_stretched", "minmax_scaler"

    def transform(self, X):
        low, _ = self.feature_range
        return (X - self.min) / self.range + low


class ScalerClips(MinMaxScaler):
    mistake, check = "scaler_clips", "minmax_scaler"

    def transform(self, X):
        return np.clip(super().transform(X), *self.feature_range)


class ScalerConstantToZero(MinMaxScaler):
    mistake, check = "scaler_constant_feature_not_low", "minmax_scaler"

    def transform(self, X):
        out = super().transform(X)
        out[:, self.max == self.min] = 0.0
        return out


class ScalerMaxWithoutAxis(MinMaxScaler):
    """The minimum per feature, the maximum over the whole array."""

    mistake, check = "scaler_formula_slip", "minmax_scaler"

    def fit(self, X):
        self.min, self.max = X.min(axis=0), X.max()
        spread = self.max - self.min
        self.range = np.where(spread == 0, 1, spread)


class ScalerRangeIsSum(MinMaxScaler):
    mistake, check = "scaler_formula_slip", "minmax_scaler"

    def fit(self, X):
        self.min, self.max = X.min(axis=0), X.max(axis=0)
        spread = self.max + self.min
        self.range = np.where(spread == 0, 1, spread)


class ScalerMinAdded(MinMaxScaler):
    mistake, check = "scaler_formula_slip", "minmax_scaler"

    def transform(self, X):
        low, high = self.feature_range
        return low + (X + self.min) / self.range * (high - low)


class ScalerReturnsLow(MinMaxScaler):
    """The scaled term forgotten: transform returns the lower end alone."""

    mistake, check = "scaler_formula_slip", "minmax_scaler"

    def transform(self, X):
        low, _ = self.feature_range
        return low


# =============================================================================================


def _collect() -> list[tuple[str, str, type]]:
    found = []
    for _, value in inspect.getmembers(sys.modules[__name__], inspect.isclass):
        if value.__module__ == __name__ and isinstance(getattr(value, "mistake", None), str):
            found.append((value.mistake, value.check, value))
    return sorted(found, key=lambda item: (item[1], item[0], item[2].__name__))


CHECKS: dict[str, tuple[str, tuple[type, ...]]] = {
    "minmax_scaler": ("ch13", (MinMaxScaler, MinMaxScalerLoop, nnfs_core.MinMaxScaler)),
}

#: (mistake id, check name, wrong class), sorted by check.
WRONG = _collect()
