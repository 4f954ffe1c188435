"""The registry that lets components skip re-checking arrays other components computed.

It exists for speed (benchmarks/validation_cost.py: without it an epoch of the book's chapter
10 model takes about 1.15x as long, re-scanning its own intermediate arrays); these tests
protect what it must never do: let an outside array skip its check, or keep arrays alive.
"""

from __future__ import annotations

import gc
import weakref

import numpy as np
import pytest

from nnfs_core import CategoricalCrossentropy, Dense, ReLU
from nnfs_core import _validation as check


@pytest.mark.ch09
def test_a_component_output_is_trusted_but_a_copy_of_it_is_checked():
    layer = Dense(2, 3, rng=0)
    output = layer.forward(np.ones((4, 2)))
    assert check.is_trusted(output)
    poisoned = output.copy()
    poisoned[1, 2] = np.nan
    with pytest.raises(ValueError, match="NaN"):
        ReLU().forward(poisoned)


@pytest.mark.ch09
def test_an_entry_left_by_another_array_under_the_same_id_is_not_trusted():
    """What a reused id looks like to the registry: an entry whose referent is not this array."""
    fresh = np.full((5, 3), np.nan)
    other = np.ones((5, 3))
    check._trusted[(id(fresh), None)] = weakref.ref(other)
    assert not check.is_trusted(fresh)
    with pytest.raises(ValueError, match="NaN"):
        ReLU().forward(fresh)


@pytest.mark.ch09
def test_the_registry_keeps_no_array_alive():
    output = ReLU().forward(np.ones((3, 3)))
    reference = weakref.ref(output)
    del output
    gc.collect()
    assert reference() is None


@pytest.mark.ch05
def test_labels_checked_once_are_still_refused_for_another_class_count():
    y = np.array([0, 1, 2, 2])
    predictions = np.full((4, 3), 1 / 3)
    CategoricalCrossentropy().forward(predictions, y)  # checked and trusted for 3 classes
    with pytest.raises(ValueError, match="out of range for 2 classes"):
        CategoricalCrossentropy().forward(np.full((4, 2), 0.5), y)


@pytest.mark.ch09
def test_the_registry_stays_bounded():
    for _ in range(check._TRUSTED_ENTRIES * 3):
        check.trust(np.zeros(2))
    assert len(check._trusted) <= check._TRUSTED_ENTRIES
