"""Learner-side code for the chapter 19 checks of ``autograder/checks/minibatch.py``.

Correct versions: a ``Batcher`` written the book's way (a step count rounded up by hand, slices
``step * batch_size`` to ``(step + 1) * batch_size``) and one written compactly (``math.ceil``,
``range(0, n, batch_size)``, ``rng.shuffle`` on a key array), and
``nnfs_core.batching.Batcher``, plus the chapter 19 accuracy written the book's way and the
reference's. Then one wrong class per catalogued mistake, each
carrying ``mistake`` (the catalogue id) and ``check`` (the check that must name it).
"""

from __future__ import annotations

import inspect
import math
import sys

import numpy as np

import nnfs_core.book as reference
from nnfs_core.batching import Batcher as ReferenceBatcher

# =============================================================================================
# Correct
# =============================================================================================


class Batcher:
    """The book's steps, gathered in one class."""

    def __init__(self, batch_size=None):
        self.batch_size = batch_size

    def shuffle(self, X, y, rng):
        keys = rng.permutation(X.shape[0])
        return X[keys], y[keys]

    def steps(self, n_samples):
        if self.batch_size is None:
            return 1
        steps = n_samples // self.batch_size
        if steps * self.batch_size < n_samples:
            steps += 1
        return steps

    def batches(self, X, y):
        for step in range(self.steps(len(X))):
            if self.batch_size is None:
                yield X, y
            else:
                batch_X = X[step * self.batch_size : (step + 1) * self.batch_size]
                batch_y = y[step * self.batch_size : (step + 1) * self.batch_size]
                yield batch_X, batch_y


class Batcher_Compact:
    def __init__(self, batch_size=None):
        self.batch_size = batch_size

    def shuffle(self, X, y, rng):
        keys = np.arange(len(X))
        rng.shuffle(keys)
        return X[keys], y[keys]

    def steps(self, n_samples):
        return 1 if self.batch_size is None else math.ceil(n_samples / self.batch_size)

    def batches(self, X, y):
        if self.batch_size is None:
            return [(X, y)]
        return [
            (X[start : start + self.batch_size], y[start : start + self.batch_size])
            for start in range(0, len(X), self.batch_size)
        ]


class Accuracy:
    def calculate(self, predictions, y):
        comparisons = self.compare(predictions, y)
        self.accumulated_sum += np.sum(comparisons)
        self.accumulated_count += len(comparisons)
        return np.mean(comparisons)

    def calculate_accumulated(self):
        return self.accumulated_sum / self.accumulated_count

    def new_pass(self):
        self.accumulated_sum = 0
        self.accumulated_count = 0


class Accuracy_Categorical(Accuracy):
    def __init__(self, *, binary=False):
        self.binary = binary

    def init(self, y, reinit=False):
        pass

    def compare(self, predictions, y):
        if not self.binary and len(y.shape) == 2:
            y = np.argmax(y, axis=1)
        return predictions == y


# =============================================================================================
# Wrong: shuffle
# =============================================================================================


class ShuffleApart(Batcher):
    mistake, check = "shuffle_x_and_y_apart", "shuffle"

    def shuffle(self, X, y, rng):
        return X[rng.permutation(len(X))], y[rng.permutation(len(y))]


class ShuffleGlobal(Batcher):
    mistake, check = "shuffle_rng_not_used", "shuffle"

    def shuffle(self, X, y, rng):
        keys = np.array(range(X.shape[0]))
        np.random.shuffle(keys)
        return X[keys], y[keys]


class ShuffleNothing(Batcher):
    mistake, check = "shuffle_not_applied", "shuffle"

    def shuffle(self, X, y, rng):
        keys = rng.permutation(len(X))
        _ = X[keys], y[keys]  # shuffled copies made, then the originals returned
        return X, y


class ShuffleSwapped(Batcher):
    mistake, check = "shuffle_returned_swapped", "shuffle"

    def shuffle(self, X, y, rng):
        keys = rng.permutation(len(X))
        return y[keys], X[keys]


class ShuffleInPlace(Batcher):
    mistake, check = "shuffle_in_place", "shuffle"

    def shuffle(self, X, y, rng):
        keys = rng.permutation(len(X))
        X[:] = X[keys]
        y[:] = y[keys]
        return X, y


# =============================================================================================
# Wrong: steps and batches
# =============================================================================================


class StepsFloor(Batcher):
    mistake, check = "steps_rounded_down", "batch_steps"

    def steps(self, n_samples):
        return 1 if self.batch_size is None else n_samples // self.batch_size


class StepsPlusOne(Batcher):
    mistake, check = "steps_always_one_more", "batch_steps"

    def steps(self, n_samples):
        return 1 if self.batch_size is None else n_samples // self.batch_size + 1


class StepsNone(Batcher):
    mistake, check = "batch_size_none_not_handled", "batch_steps"

    def steps(self, n_samples):
        return math.ceil(n_samples / self.batch_size)


class BatchesNone(Batcher_Compact):
    mistake, check = "batch_size_none_not_handled", "batches"

    def batches(self, X, y):
        for start in range(0, len(X), self.batch_size):
            yield X[start : start + self.batch_size], y[start : start + self.batch_size]


class BatchesFloor(Batcher):
    """Counts its steps rounded down, so the remainder never comes out."""

    mistake, check = "batches_last_partial_dropped", "batches"

    def steps(self, n_samples):
        return 1 if self.batch_size is None else n_samples // self.batch_size


class BatchesFullOnly(Batcher_Compact):
    mistake, check = "batches_last_partial_dropped", "batches"

    def batches(self, X, y):
        if self.batch_size is None:
            return [(X, y)]
        full = len(X) - len(X) % self.batch_size
        return [
            (X[start : start + self.batch_size], y[start : start + self.batch_size])
            for start in range(0, full, self.batch_size)
        ]


class BatchesEmptyLast(Batcher):
    mistake, check = "batches_empty_last_batch", "batches"

    def steps(self, n_samples):
        return 1 if self.batch_size is None else n_samples // self.batch_size + 1


class BatchesYByStep(Batcher):
    mistake, check = "batches_y_misaligned", "batches"

    def batches(self, X, y):
        for step in range(self.steps(len(X))):
            if self.batch_size is None:
                yield X, y
            else:
                start = step * self.batch_size
                yield X[start : start + self.batch_size], y[step : step + self.batch_size]


# =============================================================================================
# Wrong: accumulated accuracy
# =============================================================================================


class MeanOfMeans(Accuracy_Categorical):
    mistake, check = "accumulated_mean_of_batch_means", "accuracy_accumulated"

    def calculate(self, predictions, y):
        accuracy = np.mean(self.compare(predictions, y))
        self.accumulated_sum += accuracy
        self.accumulated_count += 1
        return accuracy


class CountsBatches(Accuracy_Categorical):
    mistake, check = "accumulated_counts_batches", "accuracy_accumulated"

    def calculate(self, predictions, y):
        comparisons = self.compare(predictions, y)
        self.accumulated_sum += np.sum(comparisons)
        self.accumulated_count += 1
        return np.mean(comparisons)


class CountReplaced(Accuracy_Categorical):
    """= where += belongs: the count keeps only the last batch's size."""

    mistake, check = "accumulated_replaced_not_added", "accuracy_accumulated"

    def calculate(self, predictions, y):
        comparisons = self.compare(predictions, y)
        self.accumulated_sum += np.sum(comparisons)
        self.accumulated_count = comparisons.size
        return np.mean(comparisons)


class NeverReset(Accuracy_Categorical):
    mistake, check = "accumulated_not_reset", "accuracy_accumulated"

    def new_pass(self):
        if not hasattr(self, "accumulated_sum"):
            super().new_pass()


class SumDecreased(Accuracy_Categorical):
    """-= where += belongs on the running sum of right predictions."""

    mistake, check = "accumulated_total_slip", "accuracy_accumulated"

    def calculate(self, predictions, y):
        comparisons = self.compare(predictions, y)
        self.accumulated_sum -= np.sum(comparisons)
        self.accumulated_count += comparisons.size
        return np.mean(comparisons)


class CountNeverGrows(Accuracy_Categorical):
    """The count is added to a misspelt attribute, so accumulated_count stays 0."""

    mistake, check = "accumulated_total_slip", "accuracy_accumulated"

    def calculate(self, predictions, y):
        comparisons = self.compare(predictions, y)
        self.accumulated_sum += np.sum(comparisons)
        self.accumulated_counts = getattr(self, "accumulated_counts", 0) + comparisons.size
        return np.mean(comparisons)


class RatioNeverTaken(Accuracy_Categorical):
    mistake, check = "accumulated_total_slip", "accuracy_accumulated"

    def calculate_accumulated(self):
        return self.accumulated_sum


class BatchReturnsCount(Accuracy_Categorical):
    mistake, check = "batch_accuracy_is_a_count", "accuracy_accumulated"

    def calculate(self, predictions, y):
        comparisons = self.compare(predictions, y)
        self.accumulated_sum += np.sum(comparisons)
        self.accumulated_count += len(comparisons)
        return np.sum(comparisons)


# =============================================================================================


class BatcherEndWithoutBatchSize(Batcher):
    """X[step * batch_size:step + 1]: the end's batch size forgotten."""

    mistake, check = "batch_count_or_slice_slip", "batches"

    def batches(self, X, y):
        for step in range(self.steps(len(X))):
            if self.batch_size is None:
                yield X, y
            else:
                start = step * self.batch_size
                yield X[start : step + 1], y[start : step + 1]


def _collect() -> list[tuple[str, str, type]]:
    found = []
    for _, value in inspect.getmembers(sys.modules[__name__], inspect.isclass):
        if value.__module__ == __name__ and isinstance(getattr(value, "mistake", None), str):
            found.append((value.mistake, value.check, value))
    return sorted(found, key=lambda item: (item[1], item[0], item[2].__name__))


WRONG = _collect()

CHECKS = {
    "shuffle": ("ch19", (Batcher, Batcher_Compact, ReferenceBatcher)),
    "batch_steps": ("ch19", (Batcher, Batcher_Compact, ReferenceBatcher)),
    "batches": ("ch19", (Batcher, Batcher_Compact, ReferenceBatcher)),
    "accuracy_accumulated": ("ch19", (Accuracy_Categorical, reference.Accuracy_Categorical)),
}
