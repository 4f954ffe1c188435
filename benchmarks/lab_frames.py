"""Lab frames and training, without a browser: what a lab's kernel side costs.

For each lab, the time to render its whole figure into the PNG the page shows (Agg drawing
plus PNG encoding): drawn in full, and as a quick frame (``nnfs_core/labs/frames.py``: the
axes' frames kept, the content drawn over them, the same pixels), which bounds the replay
and live frame rates; and the replay rate itself (the scrubber stepped through every
snapshot, each step drawing the snapshot and rendering its PNG). For chapter 10's model
(spiral_data(100, 3), Dense(2, 64) → ReLU → Dense(64, 3), softmax-CCE, Adam, 1,000 epochs):

- the bare loop: nnfs_core's book classes in a plain Python loop, nothing else;
- ``lab.run()``: the lab's own training (history, snapshots), no drawing;
- the lab retraining with a new learning rate (as after a slider's release; the figure drawn
  by a first run) in its background thread, then in a child process as labs in a kernel
  do (``nnfs_core/labs/training_process.py``), while a tornado event loop in this thread
  plays the kernel's main thread: progress, live frames and the final picture, as in a
  notebook. Its live frames per second and training time are what a person sees while a
  run goes.

    python benchmarks/lab_frames.py              # about a minute; prints the table
    python benchmarks/lab_frames.py --repeats 3
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from nnfs_core.book import (  # noqa: E402
    Activation_ReLU,
    Activation_Softmax_Loss_CategoricalCrossentropy,
    Layer_Dense,
    Optimizer_Adam,
    spiral_data,
)
from nnfs_core.labs import (  # noqa: E402
    BinaryLab,
    OptimizerLab,
    OptimizerRace,
    RegressionLab,
    RegularizationLab,
    ScheduleExplorer,
    training_process,
)

EPOCHS = 1000


def bare_loop(epochs: int = EPOCHS) -> float:
    """Seconds for chapter 10's model, ``epochs`` epochs of Adam, in a plain loop."""
    X, y = spiral_data(samples=100, classes=3, rng=np.random.RandomState(0))
    rng = np.random.RandomState(0)
    dense1, activation1 = Layer_Dense(2, 64, rng=rng), Activation_ReLU()
    dense2 = Layer_Dense(64, 3, rng=rng)
    loss_activation = Activation_Softmax_Loss_CategoricalCrossentropy()
    optimizer = Optimizer_Adam(learning_rate=0.05, decay=5e-7)
    started = time.perf_counter()
    for _ in range(epochs):
        dense1.forward(X)
        activation1.forward(dense1.output)
        dense2.forward(activation1.output)
        loss_activation.forward(dense2.output, y)
        loss_activation.backward(loss_activation.output, y)
        dense2.backward(loss_activation.dinputs)
        activation1.backward(dense2.dinputs)
        dense1.backward(activation1.dinputs)
        optimizer.pre_update_params()
        optimizer.update_params(dense1)
        optimizer.update_params(dense2)
        optimizer.post_update_params()
    return time.perf_counter() - started


def lab_run(epochs: int = EPOCHS) -> float:
    lab = OptimizerLab(autorun=False, epochs=epochs, figure_mode="image")
    started = time.perf_counter()
    lab.run()
    return time.perf_counter() - started


def lab_live(epochs: int = EPOCHS, *, processes: bool = False) -> tuple[float, int, float]:
    """Train in the lab's thread (or, with ``processes``, in a child process, as a lab in a
    kernel does) with this thread as the kernel's main loop: a retrain with a new learning
    rate, as a slider's release starts one, after a first run that drew the figure (a lab in
    a notebook has drawn it when it was displayed).

    Returns (seconds from Train to the final picture, live frames, live frames per second)."""
    from tornado.ioloop import IOLoop

    lab = OptimizerLab(
        autorun=False, epochs=epochs, figure_mode="image", background=True, processes=processes
    )
    if processes and not training_process.ready(timeout=60):
        raise RuntimeError("the labs' fork server did not start")
    renders: list[float] = []
    original = lab.view.refresh

    def counted() -> None:
        original()
        renders.append(time.perf_counter())

    lab.view.refresh = counted

    def train_once() -> float:
        loop = IOLoop(make_current=False)
        lab._loop, lab._deferred = loop, True

        def poll() -> None:
            if lab.result is not None and not lab.running:
                loop.stop()
            else:
                loop.call_later(0.01, poll)

        started = time.perf_counter()
        loop.add_callback(lab.train)
        loop.call_later(0.01, poll)
        loop.start()
        loop.close()
        return started

    train_once()  # the first run draws the whole figure once
    lab.learning_rate.value = lab.learning_rate.value * 0.8
    renders.clear()
    started = train_once()
    total = renders[-1] - started
    live = len(renders) - 1  # the last render is the final picture
    return total, live, live / max(renders[-2] - started, 1e-9) if live > 0 else 0.0


def render_ms(lab) -> tuple[float, float]:
    """Median ms of a whole-figure PNG drawn in full (the background forgotten first), and
    of a quick frame (the axes' frames restored, the content drawn over them)."""
    full, quick = [], []
    for _ in range(5):
        lab.view.frames.invalidate()
        started = time.perf_counter()
        lab.view.render_png()
        full.append(time.perf_counter() - started)
        started = time.perf_counter()
        lab.view.render_png()
        quick.append(time.perf_counter() - started)
    return statistics.median(full) * 1000, statistics.median(quick) * 1000


def replay_fps(lab) -> float | None:
    """Frames per second of a replay: the scrubber stepped through every snapshot, each step
    drawing its snapshot (regions, heat maps, curves, title) and rendering the PNG."""
    if not getattr(lab, "replay", False) or lab.result is None:
        return None
    epochs = [snapshot.epoch for snapshot in lab.result.snapshots]
    started = time.perf_counter()
    for epoch in epochs:
        lab.scrubber.value = epoch
    return len(epochs) / (time.perf_counter() - started)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeats", type=int, default=5)
    args = parser.parse_args(argv)
    print(
        "| lab | figure (px) | full draw + PNG, median (ms) | quick frame + PNG, median (ms) "
        "| replay, frames/s |"
    )
    print("|---|---|---:|---:|---:|")
    for cls in (
        ScheduleExplorer,
        OptimizerLab,
        OptimizerRace,
        RegularizationLab,
        BinaryLab,
        RegressionLab,
    ):
        lab = cls(figure_mode="image")
        if hasattr(lab, "wait"):
            lab.wait()
        full, quick = render_ms(lab)
        fps = replay_fps(lab)
        width, height = lab.view.size()
        replay = f"{fps:.1f}" if fps is not None else "–"
        print(f"| `{cls.__name__}` | {width} × {height} | {full:.0f} | {quick:.0f} | {replay} |")
    bare = [bare_loop() for _ in range(args.repeats)]
    run = [lab_run() for _ in range(args.repeats)]
    threads = [lab_live() for _ in range(args.repeats)]
    processes = [lab_live(processes=True) for _ in range(args.repeats)]
    b, r = statistics.median(bare), statistics.median(run)
    print()
    print(f"| chapter 10's model, {EPOCHS} epochs | median (s) | against the bare loop |")
    print("|---|---:|---:|")
    print(f"| bare loop (book classes) | {b:.3f} | 1.00 |")
    print(f"| `lab.run()` (training only) | {r:.3f} | {r / b:.2f} |")
    for where, live in (("its thread", threads), ("a child process", processes)):
        total = statistics.median(x[0] for x in live)
        fps = statistics.median(x[2] for x in live)
        frames = statistics.median(x[1] for x in live)
        print(
            f"| lab training in {where}, Train → final picture, {frames:g} live frames at "
            f"{fps:.1f}/s | {total:.3f} | {total / b:.2f} |"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
