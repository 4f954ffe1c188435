"""Time per training epoch: nnfs_core against a book-style baseline and PyTorch.

An epoch is one full-batch forward pass, backward pass and Adam step of the book's chapter 10
and chapter 14 models. Every implementation trains on the same data from the same initial
weights (those of the nnfs_core model, copied into the others), and the warm-up checks that
their losses agree, so the table compares like with like.

    python benchmarks/epoch_time.py                  # print the table
    python benchmarks/epoch_time.py --update-readme  # and write it into benchmarks/README.md

Method: everything runs on one thread (see README.md for why); after a warm-up, the
implementations take turns in rounds, A B C D, B C D A, ..., each turn a block of epochs lasting
about --block-seconds, so that load from the rest of the machine falls on all of them alike.
The table gives the median time of one epoch and the median over rounds of each
implementation's ratio to the reference (nnfs_core) within the same round.
"""

from __future__ import annotations

import os

if __name__ == "__main__":
    # As a script, before NumPy (and OpenBLAS) load, so no idle thread pools start. Imported as
    # a module (the tests) we leave the environment alone: the measurement itself pins the
    # pools with threadpoolctl and torch.set_num_threads either way.
    for _var in (
        "OMP_NUM_THREADS",
        "OPENBLAS_NUM_THREADS",
        "MKL_NUM_THREADS",
        "VECLIB_MAXIMUM_THREADS",
        "NUMEXPR_NUM_THREADS",
    ):
        os.environ.setdefault(_var, "1")

import argparse
import contextlib
import ctypes
import datetime
import gc
import importlib
import importlib.util
import platform
import re
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
if __package__ in (None, ""):
    # Run as a script: make `benchmarks` and `nnfs_core` importable from the repository root.
    sys.path.insert(0, str(ROOT))

from benchmarks import book_style  # noqa: E402

README = Path(__file__).resolve().parent / "README.md"
START_MARKER = "<!-- epoch-time:start -->"
END_MARKER = "<!-- epoch-time:end -->"


# --------------------------------------------------------------------------- the two models


@dataclass(frozen=True)
class ModelConfig:
    key: str
    title: str
    samples: int  # per class
    classes: int
    hidden: int
    l2: float  # on the first layer's weights and biases
    learning_rate: float
    decay: float


MODELS = {
    "ch10": ModelConfig(
        key="ch10",
        title="Chapter 10: spiral_data(100, 3) (300 samples), Dense(2, 64) → ReLU → "
        "Dense(64, 3) → softmax-CCE, Adam(learning_rate=0.05, decay=5e-7)",
        samples=100,
        classes=3,
        hidden=64,
        l2=0.0,
        learning_rate=0.05,
        decay=5e-7,
    ),
    "ch14": ModelConfig(
        key="ch14",
        title="Chapter 14: spiral_data(1000, 3) (3000 samples), Dense(2, 64, L2 5e-4 on "
        "weights and biases) → ReLU → Dense(64, 3) → softmax-CCE, "
        "Adam(learning_rate=0.02, decay=5e-7), loss includes the penalty",
        samples=1000,
        classes=3,
        hidden=64,
        l2=5e-4,
        learning_rate=0.02,
        decay=5e-7,
    ),
}


# --------------------------------------------------------------------------- implementations


def load_nnfs_core_book():
    """The ``nnfs_core.book`` module, or None while the package is not there yet."""
    # Only a missing module means "not there yet"; a broken one should fail loudly.
    try:
        if importlib.util.find_spec("nnfs_core.book") is None:
            return None
    except ModuleNotFoundError:
        return None
    return importlib.import_module("nnfs_core.book")


def load_torch_style():
    """``benchmarks.torch_style``, or None when torch is not installed."""
    try:
        from benchmarks import torch_style
    except ModuleNotFoundError as exc:
        if exc.name == "torch" or (exc.name or "").startswith("torch."):
            return None
        raise
    return torch_style


class BookAPITrainer:
    """Drives any module with the book's class names, exactly as the book's training loop does.

    ``combined=True`` uses ``Activation_Softmax_Loss_CategoricalCrossentropy`` (the book's final
    code); ``combined=False`` uses ``Activation_Softmax`` then ``Loss_CategoricalCrossentropy``
    and the per-sample Jacobian backward of chapter 9.
    """

    def __init__(self, ns, config, X, y, *, rng=None, weights=None, combined=True):
        if weights is not None:
            # The layers' own draws are thrown away; keep them off the caller's generator.
            rng = np.random.RandomState(0)
        reg = {"weight_regularizer_l2": config.l2, "bias_regularizer_l2": config.l2}
        self.dense1 = ns.Layer_Dense(X.shape[1], config.hidden, **reg, rng=rng)
        self.activation1 = ns.Activation_ReLU()
        self.dense2 = ns.Layer_Dense(config.hidden, config.classes, rng=rng)
        if weights is not None:
            W1, b1, W2, b2 = (np.array(w, dtype=np.float64) for w in weights)
            self.dense1.weights, self.dense1.biases = W1, b1
            self.dense2.weights, self.dense2.biases = W2, b2
        self.combined = combined
        if combined:
            self.loss_activation = ns.Activation_Softmax_Loss_CategoricalCrossentropy()
            self.loss_function = self.loss_activation.loss
        else:
            self.activation2 = ns.Activation_Softmax()
            self.loss_function = ns.Loss_CategoricalCrossentropy()
        self.regularized = config.l2 > 0
        self.optimizer = ns.Optimizer_Adam(learning_rate=config.learning_rate, decay=config.decay)
        self.X, self.y = X, y

    def epoch(self):
        """One forward pass, backward pass and Adam step; returns the loss before the step."""
        X, y = self.X, self.y
        self.dense1.forward(X)
        self.activation1.forward(self.dense1.output)
        self.dense2.forward(self.activation1.output)
        if self.combined:
            loss = self.loss_activation.forward(self.dense2.output, y)
        else:
            self.activation2.forward(self.dense2.output)
            loss = self.loss_function.calculate(self.activation2.output, y)
        if self.regularized:
            loss = (
                loss
                + self.loss_function.regularization_loss(self.dense1)
                + self.loss_function.regularization_loss(self.dense2)
            )

        if self.combined:
            self.loss_activation.backward(self.loss_activation.output, y)
            self.dense2.backward(self.loss_activation.dinputs)
        else:
            self.loss_function.backward(self.activation2.output, y)
            self.activation2.backward(self.loss_function.dinputs)
            self.dense2.backward(self.activation2.dinputs)
        self.activation1.backward(self.dense2.dinputs)
        self.dense1.backward(self.activation1.dinputs)

        self.optimizer.pre_update_params()
        self.optimizer.update_params(self.dense1)
        self.optimizer.update_params(self.dense2)
        self.optimizer.post_update_params()
        return float(loss)

    def weights(self):
        return tuple(
            np.array(a, dtype=np.float64)
            for a in (
                self.dense1.weights,
                self.dense1.biases,
                self.dense2.weights,
                self.dense2.biases,
            )
        )


LABELS = {
    "nnfs_core": "nnfs_core (via `nnfs_core.book`)",
    "book_combined": "book-style: the notebooks' solutions, combined softmax-CCE backward",
    "book_jacobian": "book-style: the notebooks' solutions, softmax + CCE, per-sample Jacobian",
    "torch": "PyTorch, float64 (`nn.Linear`, `F.cross_entropy`, `optim.Adam`)",
}


def build_trainers(config, *, seed=0, include=None):
    """Trainers for one model, all on the same data and the same initial weights.

    The first trainer is the reference and owns the random draws: data, then dense1, then
    dense2 from one ``RandomState(seed)``, in the book's order. It is nnfs_core when that
    package can be imported, otherwise the book-style combined implementation.
    """
    include = set(include or LABELS)
    book = load_nnfs_core_book() if "nnfs_core" in include else None
    torch_style = load_torch_style() if "torch" in include else None

    rng = np.random.RandomState(seed)
    ref_ns = book if book is not None else book_style
    X, y = ref_ns.spiral_data(config.samples, config.classes, rng=rng)
    X = np.asarray(X, dtype=np.float64)
    y = np.asarray(y)
    reference = BookAPITrainer(ref_ns, config, X, y, rng=rng)
    weights = reference.weights()

    trainers = {}
    if book is not None:
        trainers["nnfs_core"] = reference
    if "book_combined" in include:
        trainers["book_combined"] = (
            reference
            if book is None
            else BookAPITrainer(book_style, config, X, y, weights=weights, combined=True)
        )
    if "book_jacobian" in include:
        trainers["book_jacobian"] = BookAPITrainer(
            book_style, config, X, y, weights=weights, combined=False
        )
    if torch_style is not None:
        trainers["torch"] = torch_style.TorchTrainer(
            X, y, weights, learning_rate=config.learning_rate, decay=config.decay, l2=config.l2
        )
    return trainers


# --------------------------------------------------------------------------- threads


@contextlib.contextmanager
def single_threaded(threads=1):
    """Pin BLAS/OpenMP pools (threadpoolctl, when installed) and torch to ``threads``."""
    torch = sys.modules.get("torch")
    previous = torch.get_num_threads() if torch is not None else None
    if torch is not None:
        torch.set_num_threads(threads)
    try:
        try:
            from threadpoolctl import threadpool_limits
        except ImportError:
            yield
        else:
            with threadpool_limits(limits=threads):
                yield
    finally:
        if torch is not None:
            torch.set_num_threads(previous)


# mallopt parameter numbers from glibc's <malloc.h>
_M_TRIM_THRESHOLD = -1
_M_MMAP_THRESHOLD = -3


def pin_malloc(mmap_threshold=16 * 2**20, trim_threshold=256 * 2**20):
    """Keep glibc from handing freed buffers back to the kernel between epochs.

    By default glibc serves large blocks (an n × 64 float64 activation is 1.5 MB at n = 3000)
    with mmap, or trims them off the top of the heap when freed, so the next epoch faults the
    same pages in again, 4 kB at a time. Which implementation falls into that pattern depends on
    the order of its allocations and on the heap left by the others, which made the ch14 ratios
    swing by tens of percent between runs. Fixed thresholds take the allocator out of the
    comparison. Process-wide and not undone, so only the command line calls it. Returns a
    description for the README, or None where there is no glibc.
    """
    if not sys.platform.startswith("linux"):
        return None
    try:
        mallopt = ctypes.CDLL("libc.so.6").mallopt
    except (OSError, AttributeError):
        return None
    mallopt.argtypes = (ctypes.c_int, ctypes.c_int)
    if mallopt(_M_MMAP_THRESHOLD, mmap_threshold) != 1:
        return None
    if mallopt(_M_TRIM_THRESHOLD, trim_threshold) != 1:
        return None
    return (
        f"glibc `mallopt(M_MMAP_THRESHOLD, {mmap_threshold >> 20} MiB)`, "
        f"`mallopt(M_TRIM_THRESHOLD, {trim_threshold >> 20} MiB)`"
    )


def thread_report():
    """What each thread pool is actually set to, for the README."""
    parts = []
    try:
        from threadpoolctl import threadpool_info
    except ImportError:
        parts.append("threadpoolctl not installed (pools limited by environment variables only)")
    else:
        for pool in threadpool_info():
            parts.append(
                f"{pool.get('internal_api')} ({Path(pool.get('filepath', '?')).name}): "
                f"{pool.get('num_threads')}"
            )
    torch = sys.modules.get("torch")
    if torch is not None:
        parts.append(f"torch intra-op: {torch.get_num_threads()}")
    return "; ".join(parts)


# --------------------------------------------------------------------------- measurement


@dataclass
class Timing:
    name: str
    epochs_per_block: int = 0
    # times[r] holds the per-epoch times (seconds) of round r
    times: list = field(default_factory=list)
    # minor page faults during each round's block (None where getrusage is unavailable)
    faults: list = field(default_factory=list)

    def faults_per_epoch(self):
        if not self.faults or None in self.faults:
            return None
        return sum(self.faults) / sum(len(t) for t in self.times)

    def all_times(self):
        return np.concatenate([np.asarray(t) for t in self.times])


@dataclass
class ModelResult:
    config: ModelConfig
    reference: str
    timings: dict
    warmup_losses: dict
    agreement: float  # max relative difference of warm-up losses from the reference's

    def ratio_per_round(self, name):
        ref = self.timings[self.reference].times
        mine = self.timings[name].times
        return np.array([np.median(m) / np.median(r) for m, r in zip(mine, ref)])


def minor_faults():
    """Minor page faults of this process so far: fresh memory being mapped in by the kernel."""
    try:
        import resource
    except ImportError:  # not on Unix
        return None
    return resource.getrusage(resource.RUSAGE_SELF).ru_minflt


def run_epochs(trainer, n, out_times=None):
    losses = []
    clock = time.perf_counter
    for _ in range(n):
        t0 = clock()
        losses.append(trainer.epoch())
        t1 = clock()
        if out_times is not None:
            out_times.append(t1 - t0)
    return losses


def loss_agreement(losses, reference):
    """Largest relative difference between each trainer's losses and the reference's."""
    ref = np.asarray(losses[reference])
    worst = 0.0
    for seq in losses.values():
        seq = np.asarray(seq)
        n = min(len(seq), len(ref))
        worst = max(worst, float(np.max(np.abs(seq[:n] - ref[:n]) / np.abs(ref[:n]))))
    return worst


def measure_model(
    config, *, rounds, warmup, block_seconds, seed=0, include=None, log=None, trainers=None
):
    """Warm up and time ``trainers`` (default: :func:`build_trainers`'), the first of them
    the reference of the ratios."""
    if trainers is None:
        trainers = build_trainers(config, seed=seed, include=include)
    names = list(trainers)
    reference = names[0]
    timings = {name: Timing(name) for name in names}

    # Warm-up from identical starting points: caches, lazy allocations, Adam's state and
    # torch's autograd machinery all settle, and the losses must agree epoch by epoch.
    warmup_losses = {}
    estimate = {}
    for name in names:
        times = []
        warmup_losses[name] = run_epochs(trainers[name], warmup, times)
        estimate[name] = float(np.median(times[len(times) // 2 :]))
    agreement = loss_agreement(warmup_losses, reference)

    for name in names:
        timings[name].epochs_per_block = max(1, round(block_seconds / estimate[name]))

    for r in range(rounds):
        # Rotate the order so no implementation always follows the same neighbour.
        order = names[r % len(names) :] + names[: r % len(names)]
        for name in order:
            times = []
            gc.collect()
            gc.disable()
            faults_before = minor_faults()
            try:
                run_epochs(trainers[name], timings[name].epochs_per_block, times)
            finally:
                gc.enable()
            faults_after = minor_faults()
            timings[name].times.append(times)
            timings[name].faults.append(
                None if faults_before is None else faults_after - faults_before
            )
        if log:
            log(f"  {config.key} round {r + 1}/{rounds}")

    return ModelResult(config, reference, timings, warmup_losses, agreement)


# --------------------------------------------------------------------------- reporting


def format_ms(seconds):
    ms = seconds * 1e3
    return f"{ms:.3f}" if ms < 1 else f"{ms:.2f}" if ms < 100 else f"{ms:.0f}"


def markdown_table(results):
    lines = []
    for res in results:
        ref_label = "nnfs_core" if res.reference == "nnfs_core" else "book-style combined"
        lines.append(f"**{res.config.title}**")
        lines.append("")
        lines.append(
            f"| implementation | ms / epoch (median) | p25 – p75 | × {ref_label} "
            "| page faults / epoch | epochs timed |"
        )
        lines.append("|---|---:|---:|---:|---:|---:|")
        for name, timing in res.timings.items():
            t = timing.all_times()
            p25, p50, p75 = np.percentile(t, [25, 50, 75])
            ratio = float(np.median(res.ratio_per_round(name)))
            label = LABELS[name]
            if name == "torch":
                label = label.replace("PyTorch", f"PyTorch {torch_version()}")
            faults = timing.faults_per_epoch()
            faults = "n/a" if faults is None else f"{faults:.0f}"
            lines.append(
                f"| {label} | {format_ms(p50)} | {format_ms(p25)} – {format_ms(p75)} "
                f"| {ratio:.2f} | {faults} | {t.size} |"
            )
        lines.append("")
        lines.append(
            f"Losses over the {len(res.warmup_losses[res.reference])} warm-up epochs, "
            f"all started from the same weights, agree to a relative {res.agreement:.1e}."
        )
        lines.append("")
    return "\n".join(lines).rstrip() + "\n"


def torch_version():
    torch = sys.modules.get("torch")
    return torch.__version__ if torch is not None else "not installed"


def cpu_model():
    try:
        with open("/proc/cpuinfo") as fh:
            for line in fh:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"


def machine_report():
    usable = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    load = ", ".join(f"{x:.2f}" for x in os.getloadavg()) if hasattr(os, "getloadavg") else "n/a"
    return (
        f"{cpu_model()}, {os.cpu_count()} logical cores ({usable} usable), "
        f"{platform.system()} {platform.release()}; load average at start {load}"
    )


def section_text(results, args, machine, threads, allocator="default"):
    now = datetime.datetime.now(datetime.UTC).strftime("%Y-%m-%d %H:%M UTC")
    command = "python benchmarks/epoch_time.py " + " ".join(args)
    return "\n".join(
        [
            f"Measured {now} with `{command.strip()}`.",
            "",
            f"- NumPy {np.__version__}, PyTorch {torch_version()}, "
            f"Python {platform.python_version()}",
            f"- Machine: {machine}",
            f"- Threads: {threads}",
            f"- Allocator: {allocator}",
            "",
            markdown_table(results),
        ]
    )


def replace_section(text, body, start=START_MARKER, end=END_MARKER):
    """``text`` with everything between the two markers replaced by ``body``."""
    pattern = re.compile(re.escape(start) + r".*?" + re.escape(end), re.DOTALL)
    if not pattern.search(text):
        raise ValueError(
            f"markers {start!r} and {end!r} not found in the README; "
            "restore them around the epoch-time results and run again."
        )
    return pattern.sub(lambda _: f"{start}\n{body.strip()}\n{end}", text, count=1)


# --------------------------------------------------------------------------- command line


def run(models=("ch10", "ch14"), *, rounds, warmup, block_seconds, seed=0, include=None, log=None):
    results = []
    if include is None or "torch" in include:
        # Load torch (and its OpenMP runtime) first, so the thread limits below reach it.
        load_torch_style()
    with single_threaded(1):
        threads = thread_report()
        for key in models:
            if log:
                log(f"{key}: warm-up and {rounds} rounds")
            results.append(
                measure_model(
                    MODELS[key],
                    rounds=rounds,
                    warmup=warmup,
                    block_seconds=block_seconds,
                    seed=seed,
                    include=include,
                    log=log,
                )
            )
    return results, threads


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--models", nargs="+", choices=sorted(MODELS), default=["ch10", "ch14"])
    parser.add_argument("--rounds", type=int, default=20, help="turns per implementation")
    parser.add_argument(
        "--block-seconds", type=float, default=0.25, help="approximate length of one turn"
    )
    parser.add_argument("--warmup", type=int, default=20, help="untimed epochs before the rounds")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument(
        "--only", nargs="+", choices=sorted(LABELS), help="run only these implementations"
    )
    parser.add_argument(
        "--default-malloc",
        action="store_true",
        help="leave glibc's allocator at its defaults (see pin_malloc)",
    )
    parser.add_argument(
        "--update-readme", action="store_true", help=f"rewrite the marked section of {README}"
    )
    argv = sys.argv[1:] if argv is None else argv
    args = parser.parse_args(argv)

    if load_nnfs_core_book() is None:
        print("note: nnfs_core.book not importable; book-style combined is the reference")
    if load_torch_style() is None:
        print("note: torch not importable; the PyTorch rows are left out")

    def log(msg):
        print(msg, file=sys.stderr, flush=True)

    allocator = "default" if args.default_malloc else (pin_malloc() or "default (no glibc)")
    machine = machine_report()
    results, threads = run(
        args.models,
        rounds=args.rounds,
        warmup=args.warmup,
        block_seconds=args.block_seconds,
        seed=args.seed,
        include=args.only,
        log=log,
    )
    shown = [a for a in argv if a != "--update-readme"]
    body = section_text(results, shown, machine, threads, allocator)
    print(body)
    if args.update_readme:
        README.write_text(replace_section(README.read_text(), body))
        print(f"updated {README}")


if __name__ == "__main__":
    main()
