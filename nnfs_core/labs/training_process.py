"""A lab's run in a process of its own, so that training and drawing do not take turns.

In a kernel a lab trains in a background thread while the kernel's main thread draws the
live frames and answers the widgets. Both need Python's lock for nearly all their work: the
chapters' models are small, so NumPy's time goes to Python overhead rather than to kernels
that let go of the lock. Each live frame paused the training, and a 1,000-epoch run took
about twice the bare loop's time before its final picture could be drawn.

Here the run goes to a child process, forked from a :mod:`multiprocessing` fork server that
imported the training code once (:func:`warm_up`, about 0.4 s, started when a lab is made).
The lab's background thread waits on a pipe for what the child sends:

* ``("begin", settings, data, rebuild)``: what :meth:`LiveRun.begin` needs for live frames;
* ``("progress", epoch, history, latest)``: after the first epoch, then at most every
  :data:`SEND_EVERY` seconds, with ``LiveRun.latest`` of that same epoch;
* ``("done", result)`` (a whole :class:`~nnfs_core.labs.training.TrainingResult`) or
  ``("failed", error)``.

Stop goes the other way: a :class:`multiprocessing.Event` the child reads after every epoch.
The results are the ones a run in this process gives (same code, same seeds, same
arithmetic); ``tests/test_labs.py`` compares them.
"""

from __future__ import annotations

import multiprocessing
import threading
import time
from collections.abc import Callable
from typing import Any

from ..model import History
from .training import LiveRun

#: Least time between two progress messages from the child (seconds). The lab shows progress
#: at most every 0.1 s; messages twice as often keep that pace despite jitter.
SEND_EVERY = 0.05
#: How often the waiting thread looks at the lab's stop flag between messages (seconds).
POLL_EVERY = 0.02
#: What the fork server imports once, so that a forked run starts without importing.
PRELOAD = ["nnfs_core.labs.training"]

_ready = threading.Event()
_started = threading.Lock()


def available() -> bool:
    """Whether this platform has a fork server (Linux and macOS do; Windows does not)."""
    return "forkserver" in multiprocessing.get_all_start_methods()


def warm_up() -> None:
    """Start the fork server in a thread of its own (once per process; later calls return at
    once). Until it is ready, :func:`ready` is False and labs train in their thread."""
    if not available() or not _started.acquire(blocking=False):
        return

    def start() -> None:
        try:
            context = multiprocessing.get_context("forkserver")
            context.set_forkserver_preload(PRELOAD)
            from multiprocessing import forkserver

            forkserver.ensure_running()
            # The server imports PRELOAD before it forks anything, after ensure_running has
            # returned: one empty child waits for that (about a second), not a lab's run.
            child = context.Process(target=_nothing, name="nnfs-lab-warm-up", daemon=True)
            child.start()
            child.join()
        except Exception:  # no fork server: the labs keep training in a thread
            return
        _ready.set()

    threading.Thread(target=start, name="nnfs-lab-fork-server", daemon=True).start()


def ready(timeout: float | None = 0.0) -> bool:
    """Whether runs can go to a process now (waiting up to ``timeout`` seconds for the fork
    server; ``None``: as long as it takes)."""
    return _ready.wait(timeout)


def run(
    function: Callable[..., Any],
    settings: Any,
    *,
    max_snapshots: int,
    callback: Callable[[int, History], bool | None] | None = None,
    live: LiveRun | None = None,
    stopped: Callable[[], bool] | None = None,
) -> Any:
    """``function(settings, callback=..., max_snapshots=..., live=...)`` in a child process.

    ``function`` must be importable by name (the run functions of
    :mod:`nnfs_core.labs.training` are). ``callback`` and ``live`` hear of the run as they
    would in this process, but only at the pace of the progress messages; ``stopped()`` is
    asked between messages, and True (or ``callback`` returning False) stops the run after
    its current epoch. Returns the child's result; raises the child's exception, or a
    ``RuntimeError`` saying so if the child ended without a result."""
    context = multiprocessing.get_context("forkserver")
    receiving, sending = context.Pipe(duplex=False)
    stop = context.Event()
    child = context.Process(
        target=_child,
        args=(function, settings, max_snapshots, sending, stop),
        name=f"nnfs-lab-run-{getattr(function, '__name__', 'run')}",
        daemon=True,
    )
    child.start()
    sending.close()  # the child's end: a dead child then reads as end of file here
    try:
        while True:
            if stopped is not None and stopped():
                stop.set()
            if not receiving.poll(POLL_EVERY):
                continue
            try:
                message = receiving.recv()
            except EOFError:
                child.join(timeout=5)
                raise RuntimeError(
                    f"the training process ended without a result (exit code {child.exitcode})"
                    "; train again, and if it happens again restart the kernel"
                ) from None
            kind = message[0]
            if kind == "begin":
                if live is not None:
                    live.begin(*message[1:])
            elif kind == "progress":
                _, epoch, history, latest = message
                if live is not None:
                    live.latest = latest
                if callback is not None and callback(epoch, History(**history)) is False:
                    stop.set()
            elif kind == "done":
                return message[1]
            else:
                raise message[1]
    finally:
        stop.set()
        receiving.close()
        child.join(timeout=2)
        if child.is_alive():
            child.kill()
            child.join()


def _nothing() -> None:
    """The warm-up child's work."""


class _ForwardingLive(LiveRun):
    """The child's :class:`LiveRun`: tells the parent how to draw the run when it begins."""

    def __init__(self, send: Callable[[tuple], None]) -> None:
        super().__init__()
        self._send = send

    def begin(self, settings: Any, data: dict, rebuild: Callable) -> None:
        super().begin(settings, data, rebuild)
        self._send(("begin", settings, data, rebuild))


def _child(function: Callable, settings: Any, max_snapshots: int, sending, stop) -> None:
    """The run, in the child process; everything it has to say goes through ``sending``."""
    try:
        live = _ForwardingLive(sending.send)
        last = 0.0

        def callback(epoch: int, history: History) -> bool | None:
            nonlocal last
            if stop.is_set():
                return False
            now = time.perf_counter()
            if epoch == 1 or now - last >= SEND_EVERY:
                last = now
                sending.send(("progress", epoch, history.to_dict(), live.latest))
            return None

        result = function(settings, callback=callback, max_snapshots=max_snapshots, live=live)
        sending.send(("done", result))
    except BaseException as error:  # the parent re-raises it, or says the child failed
        try:
            sending.send(("failed", error))
        except Exception:
            sending.send(("failed", RuntimeError(f"the run failed: {error!r}")))
    finally:
        sending.close()
