"""Smoke test of benchmarks/epoch_time.py, and proof that it times like against like.

The timings themselves are never asserted (the machine is shared and noisy). What is asserted:
every implementation starts from nnfs_core's data and weights, and epoch by epoch computes the
same loss and lands on the same weights, so a ratio in the table is a ratio of equal work.
"""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import numpy as np
import pytest

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from benchmarks import epoch_time, validation_cost  # noqa: E402
from nnfs_core import ReLU, _validation  # noqa: E402

pytestmark = pytest.mark.ch10

HAVE_TORCH = importlib.util.find_spec("torch") is not None
needs_torch = pytest.mark.skipif(not HAVE_TORCH, reason="torch is not installed")

EPOCHS = 5
# Different summation orders only: losses agree to a few ulps, weights after a few Adam steps
# to well below anything a learner could see.
LOSS_RTOL = 1e-10
WEIGHT_ATOL = 1e-10


def _pair(model, other):
    trainers = epoch_time.build_trainers(epoch_time.MODELS[model], include={"nnfs_core", other})
    assert "nnfs_core" in trainers, "nnfs_core.book could not be imported"
    assert list(trainers) == ["nnfs_core", other]
    return trainers["nnfs_core"], trainers[other]


@pytest.mark.parametrize("model", ["ch10", "ch14"])
@pytest.mark.parametrize(
    "other", ["book_combined", "book_jacobian", pytest.param("torch", marks=needs_torch)]
)
def test_same_start_same_losses_same_weights(model, other):
    reference, trainer = _pair(model, other)
    names = ("W1", "b1", "W2", "b2")

    for name, ref, mine in zip(names, reference.weights(), trainer.weights()):
        np.testing.assert_array_equal(mine, ref, err_msg=f"{other}: initial {name} differs")
    np.testing.assert_array_equal(np.asarray(trainer.X), reference.X)
    np.testing.assert_array_equal(np.asarray(trainer.y), reference.y)

    ref_losses = [reference.epoch() for _ in range(EPOCHS)]
    losses = [trainer.epoch() for _ in range(EPOCHS)]
    np.testing.assert_allclose(
        losses, ref_losses, rtol=LOSS_RTOL, err_msg=f"{model}: {other} loss per epoch"
    )
    for name, ref, mine in zip(names, reference.weights(), trainer.weights()):
        np.testing.assert_allclose(
            mine, ref, rtol=0, atol=WEIGHT_ATOL, err_msg=f"{model}: {other} {name} after {EPOCHS}"
        )


def test_ch14_loss_includes_the_penalty():
    """The timed ch14 epoch counts the L2 penalty of the first layer, as the book does."""
    reference, _ = _pair("ch14", "book_combined")
    W1, b1, _, _ = reference.weights()
    penalty = 5e-4 * (np.sum(W1 * W1) + np.sum(b1 * b1))
    loss = reference.epoch()
    data_loss = reference.loss_activation.loss.calculate(
        reference.loss_activation.output, reference.y
    )
    assert loss - data_loss == pytest.approx(penalty, rel=1e-8)


def test_tiny_benchmark_run_produces_a_table():
    results, threads = epoch_time.run(
        ("ch10", "ch14"), rounds=1, warmup=2, block_seconds=1e-6, include=None
    )
    expected = ["nnfs_core", "book_combined", "book_jacobian"] + (["torch"] if HAVE_TORCH else [])
    for res in results:
        assert res.reference == "nnfs_core"
        assert list(res.timings) == expected
        assert res.agreement < LOSS_RTOL
        for timing in res.timings.values():
            assert timing.epochs_per_block == 1
            assert len(timing.times) == 1
            assert timing.all_times().size == 1
        assert res.ratio_per_round("nnfs_core") == pytest.approx([1.0])

    table = epoch_time.markdown_table(results)
    for label in (epoch_time.LABELS[name] for name in expected[:3]):
        assert label in table
    assert table.count("| 1.00 |") >= 2  # the reference row of each model
    assert "logical cores" in epoch_time.machine_report()
    body = epoch_time.section_text(results, ["--rounds", "1"], "a machine", threads)
    assert "NumPy " + np.__version__ in body
    assert "--rounds 1" in body


def test_readme_section_is_replaced_and_nothing_else():
    start, end = epoch_time.START_MARKER, epoch_time.END_MARKER
    text = f"# Benchmarks\n\nintro\n\n{start}\nold table\n{end}\n\nlater\n"
    new = epoch_time.replace_section(text, "new table\n")
    assert "old table" not in new
    assert new == text.replace("old table", "new table")
    with pytest.raises(ValueError, match="markers"):
        epoch_time.replace_section("# no markers here\n", "x")


def test_committed_readme_has_the_markers():
    text = epoch_time.README.read_text()
    assert text.index(epoch_time.START_MARKER) < text.index(epoch_time.END_MARKER)


# -- benchmarks/validation_cost.py: the trust registry against checking every array ----------


def test_registry_off_checks_every_array_and_changes_no_number():
    trainers = validation_cost.build_trainers(epoch_time.MODELS["ch10"])
    skipped, made = validation_cost.skipped_checks_per_epoch(trainers["registry"])
    assert 0 < skipped < made  # the registry skips re-checks, never the outside batch X

    saved = (_validation.trust, _validation.produced, _validation.is_trusted)
    with validation_cost.RegistryOff():
        output = trainers["registry"].dense1.output
        assert not _validation.is_trusted(output)
        assert _validation.produced(output) is output
    assert (_validation.trust, _validation.produced, _validation.is_trusted) == saved

    trainers = validation_cost.build_trainers(epoch_time.MODELS["ch10"])
    on = [trainers["registry"].epoch() for _ in range(EPOCHS)]
    off = [trainers["every_array"].epoch() for _ in range(EPOCHS)]
    assert on == off


def test_registry_off_still_refuses_bad_data():
    with validation_cost.RegistryOff(), pytest.raises(ValueError, match="NaN"):
        ReLU().forward(np.full((2, 2), np.nan))


def test_tiny_validation_cost_run_produces_a_table():

    results = validation_cost.run(("ch10",), rounds=1, warmup=2, block_seconds=1e-6)
    table = validation_cost.markdown_table(results)
    assert "| ch10: 300 samples |" in table and " of " in table
    body = validation_cost.section_text(results, ["--rounds", "1"], "a machine")
    assert "--rounds 1" in body and "NumPy " + np.__version__ in body
    readme = validation_cost.README.read_text()
    assert readme.index(validation_cost.START_MARKER) < readme.index(validation_cost.END_MARKER)
