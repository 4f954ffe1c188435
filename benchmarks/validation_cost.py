"""What nnfs_core's input checks cost per epoch, and what the trust registry saves of it.

Every nnfs_core component checks what it is given (numbers, 2-D, the right width, finite;
labels in range). Arrays that nnfs_core's own components computed from checked inputs are
recorded in a small registry (``nnfs_core._validation.trust``) and not checked again by the
next component. This benchmark times the book's training loop on nnfs_core twice, in the
same rounds and from the same weights: as it is, and with the registry switched off, so that
every component checks every array it receives. The difference is what the registry earns.

    python benchmarks/validation_cost.py                  # print the table
    python benchmarks/validation_cost.py --update-readme  # and write it into benchmarks/README.md

Method as in epoch_time.py (whose pieces it uses): one thread, warm-up, interleaved rounds of
blocks of epochs, medians and paired per-round ratios.
"""

from __future__ import annotations

import os

if __name__ == "__main__":
    for _var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
        os.environ.setdefault(_var, "1")

import argparse
import datetime
import platform
import sys
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
if __package__ in (None, ""):
    sys.path.insert(0, str(ROOT))

from benchmarks import epoch_time  # noqa: E402
from nnfs_core import _validation  # noqa: E402
from nnfs_core import book as nnfs_book  # noqa: E402

README = Path(__file__).resolve().parent / "README.md"
START_MARKER = "<!-- validation-cost:start -->"
END_MARKER = "<!-- validation-cost:end -->"

LABELS = {
    "registry": "nnfs_core as it is (arrays it computed are not checked again)",
    "every_array": "nnfs_core, registry off: every array checked by every component",
}


class RegistryOff:
    """While active, nnfs_core records nothing as trusted and trusts nothing: each component
    checks every array it receives, as it would without the registry. Three attribute swaps,
    so entering and leaving costs well under a microsecond per epoch."""

    def __enter__(self):
        self.saved = (_validation.trust, _validation.produced, _validation.is_trusted)
        _validation.trust = _validation.produced = _pass_through
        _validation.is_trusted = _never
        return self

    def __exit__(self, *exc):
        _validation.trust, _validation.produced, _validation.is_trusted = self.saved


def _pass_through(array, tag=None):
    return array


def _never(array, tag=None):
    return False


class EveryArrayChecked:
    """A trainer whose epochs run with the registry off."""

    def __init__(self, trainer):
        self.trainer = trainer
        self.X, self.y = trainer.X, trainer.y

    def epoch(self):
        with RegistryOff():
            return self.trainer.epoch()

    def weights(self):
        return self.trainer.weights()


def build_trainers(config, *, seed=0):
    """Two nnfs_core models on the same data from the same weights, as epoch_time builds them."""
    rng = np.random.RandomState(seed)
    X, y = nnfs_book.spiral_data(config.samples, config.classes, rng=rng)
    registry = epoch_time.BookAPITrainer(nnfs_book, config, X, y, rng=rng)
    twin = epoch_time.BookAPITrainer(nnfs_book, config, X, y, weights=registry.weights())
    return {"registry": registry, "every_array": EveryArrayChecked(twin)}


def skipped_checks_per_epoch(trainer, *, after=3):
    """How many checks the registry lets an epoch skip (arrays and label arrays), and how many
    it was asked about, counted in the epoch after ``after`` untimed ones (the very first
    epoch also checks the labels once)."""
    for _ in range(after):
        trainer.epoch()
    counted = []
    original = _validation.is_trusted

    def counting(array, tag=None):
        trusted = original(array, tag)
        counted.append(trusted)
        return trusted

    _validation.is_trusted = counting
    try:
        trainer.epoch()
    finally:
        _validation.is_trusted = original
    return sum(counted), len(counted)


def run(models=("ch10", "ch14"), *, rounds, warmup, block_seconds, seed=0, log=None):
    results = []
    with epoch_time.single_threaded(1):
        for key in models:
            config = epoch_time.MODELS[key]
            trainers = build_trainers(config, seed=seed)
            skipped = skipped_checks_per_epoch(trainers["registry"])
            trainers = build_trainers(config, seed=seed)
            result = epoch_time.measure_model(
                config,
                rounds=rounds,
                warmup=warmup,
                block_seconds=block_seconds,
                trainers=trainers,
                log=log,
            )
            results.append((result, skipped))
    return results


def markdown_table(results):
    lines = [
        "| model | nnfs_core, ms / epoch (median) | every array checked, ms / epoch "
        "| × | checks skipped / made per epoch | epochs timed (each) |",
        "|---|---:|---:|---:|---:|---:|",
    ]
    for result, (skipped, made) in results:
        with_registry = np.median(result.timings["registry"].all_times())
        without = np.median(result.timings["every_array"].all_times())
        ratio = float(np.median(result.ratio_per_round("every_array")))
        epochs = result.timings["registry"].all_times().size
        lines.append(
            f"| {result.config.key}: {result.config.samples * result.config.classes} samples "
            f"| {epoch_time.format_ms(with_registry)} | {epoch_time.format_ms(without)} "
            f"| {ratio:.2f} | {skipped} of {made} | {epochs} |"
        )
    agreement = max(result.agreement for result, _ in results)
    lines += [
        "",
        f"Losses over the warm-up epochs agree to a relative {agreement:.1e} (the checks "
        "change no number).",
    ]
    return "\n".join(lines) + "\n"


def section_text(results, args, machine):
    now = datetime.datetime.now(datetime.UTC).strftime("%Y-%m-%d %H:%M UTC")
    command = ("python benchmarks/validation_cost.py " + " ".join(args)).strip()
    return "\n".join(
        [
            f"Measured {now} with `{command}`.",
            "",
            f"- NumPy {np.__version__}, Python {platform.python_version()}",
            f"- Machine: {machine}",
            "",
            markdown_table(results),
        ]
    )


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--models", nargs="+", choices=sorted(epoch_time.MODELS), default=["ch10", "ch14"]
    )
    parser.add_argument("--rounds", type=int, default=30, help="turns per variant")
    parser.add_argument("--block-seconds", type=float, default=0.25)
    parser.add_argument("--warmup", type=int, default=20)
    parser.add_argument(
        "--update-readme", action="store_true", help=f"rewrite the marked section of {README}"
    )
    argv = sys.argv[1:] if argv is None else argv
    args = parser.parse_args(argv)
    epoch_time.pin_malloc()
    machine = epoch_time.machine_report()

    def log(message):
        print(message, file=sys.stderr, flush=True)

    results = run(
        args.models,
        rounds=args.rounds,
        warmup=args.warmup,
        block_seconds=args.block_seconds,
        log=log,
    )
    body = section_text(results, [a for a in argv if a != "--update-readme"], machine)
    print(body)
    if args.update_readme:
        text = README.read_text()
        README.write_text(epoch_time.replace_section(text, body, START_MARKER, END_MARKER))
        print(f"updated {README}")


if __name__ == "__main__":
    main()
