"""Running a batch's sandboxes ahead of nbgrader: on local threads, or on a Dask cluster.

``nnfs-grade autograde`` grades a chapter in one run of the real ``nbgrader autograde``, which
takes one submission after another: sanitize it, execute it (``IsolatedExecute``), judge it,
write the gradebook. Executing is most of the time, and it needs nothing of the gradebook, so
this module does it ahead and elsewhere while nbgrader works through the batch:

1. :func:`plan` sanitizes every submission in this process with nbgrader's own sanitizing
   preprocessors, configured from the course's ``nbgrader_config.py`` exactly as nbgrader
   configures them, and asks ``IsolatedExecute`` for the key and the sandbox request of each
   (the request says everything: limits, paths to hide, components to withhold). It does so
   lazily, one submission at a time, as the dispatcher takes them.
2. :class:`Dispatcher` announces each job as ``<key>.pending`` in a private folder as soon as
   it is planned, and runs the requests in nbgrader's order, ``workers`` at a time on threads
   of this process (each thread starts its next sandbox, kernel and imports included, before
   it runs the current notebook: :func:`autograder.sandbox.start`), or on the workers of a
   Dask cluster (``--scheduler``). The first sandboxes run while later submissions are still
   being sanitized (about 0.2 s of CPU each, which would otherwise keep the other core idle);
   :meth:`Dispatcher.start` returns once every job is announced, before nbgrader starts. Each
   result is written as ``<key>.json`` (atomically), or ``<key>.failed`` if the machinery
   failed.
3. nbgrader's ``IsolatedExecute`` finds ``<key>.json`` for its notebook, waiting while the
   key is pending (:func:`autograder.ahead.wait_for_result`). A notebook this module did not
   foresee (nbgrader sanitized it differently, or it could not be read here) has no key in the
   folder and is executed by nbgrader itself, as in a plain serial run. So the gradebook is
   always nbgrader's own, written by one process in one order, whatever ran the sandboxes.

On a Dask worker the same sandbox runs (:func:`execute`), with the same guarantees: the worker
refuses (the submission scores 0 with the reason) when its machine cannot give them, unless the
instructor allowed weak isolation. Each worker keeps a spare sandbox started for the next job
(:class:`Spares`, ended after :data:`SPARE_IDLE` seconds unused). A worker that dies loses
nothing: Dask runs its tasks again on another worker.
"""

from __future__ import annotations

import atexit
import json
import threading
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from . import ahead, sandbox


class DispatchError(Exception):
    """A problem with the cluster the user can fix (printed without a traceback)."""


@dataclass
class Job:
    """One submitted notebook, sanitized, ready to run anywhere."""

    key: str  # IsolatedExecute's cache key of the sanitized notebook
    who: str  # "student/chapter/notebook", for messages
    text: str  # the sanitized notebook (JSON)
    request: dict[str, Any]  # sandbox.run_request's options


# ---------------------------------------------------------------------------------------------
# 1. Sanitizing ahead, as nbgrader will
# ---------------------------------------------------------------------------------------------


def _course_config(root: Path, overrides: dict[str, dict[str, Any]]):
    from traitlets.config import Config
    from traitlets.config.loader import PyFileConfigLoader

    config = PyFileConfigLoader("nbgrader_config.py", path=str(root)).load_config()
    config.merge(Config(overrides))
    return config


def plan(
    root: Path,
    db_url: str,
    chapter: str,
    students: Iterable[str],
    overrides: dict[str, dict[str, Any]] | None = None,
    log: Callable[[str], None] = lambda message: None,
) -> Iterator[Job]:
    """The jobs of ``chapter`` for ``students``, in the order nbgrader autogrades them.

    A generator: each submission is read and sanitized when the next job is asked for, so a
    :class:`Dispatcher` can run the first ones meanwhile. ``overrides``: configuration given
    to nbgrader on its command line as well (e.g. ``{"IsolatedExecute":
    {"allow_weak_isolation": True}}``), so both sides agree. Notebooks that cannot be foreseen
    are left out (nbgrader runs them itself) and ``log`` says why.
    """
    import nbformat
    from nbgrader.converters.autograde import Autograde

    from .nbgrader_plugins import IsolatedExecute, cache_key

    config = _course_config(root, overrides or {})
    steps = list(config.Autograde.get("sanitize_preprocessors", Autograde.sanitize_preprocessors))
    executor = IsolatedExecute(config=config)
    executor.course_root = str(root)
    fingerprint = executor.limits().fingerprint()
    names = _assignment_notebooks(db_url, chapter)
    for student in sorted(students):
        folder = root / "submitted" / student / chapter
        for path in sorted(folder.glob("*.ipynb")):
            if path.stem not in names:
                continue  # nbgrader skips notebooks the gradebook does not know
            who = f"{student}/{chapter}/{path.stem}"
            resources = {
                "unique_key": path.stem,
                "output_files_dir": f"{path.stem}_files",
                "nbgrader": {
                    "student": student,
                    "assignment": chapter,
                    "notebook": path.stem,
                    "db_url": db_url,
                },
            }
            try:
                nb = nbformat.read(str(path), as_version=4)
                for step in steps:
                    nb, resources = step(config=config)(nb, resources)
            except Exception as error:  # nbgrader will meet the same and report it
                log(f"  {who}: left to nbgrader ({type(error).__name__}: {error})")
                continue
            key = cache_key(nb, resources, fingerprint)
            request = executor.request(nb, resources)
            yield Job(key, who, json.dumps(nb), request)


def _assignment_notebooks(db_url: str, chapter: str) -> set[str]:
    """The names of the chapter's notebooks in the gradebook."""
    from nbgrader.api import Gradebook, MissingEntry

    with Gradebook(db_url) as gradebook:
        try:
            return {n.name for n in gradebook.find_assignment(chapter).notebooks}
        except MissingEntry:
            return set()


# ---------------------------------------------------------------------------------------------
# 2. Running the jobs
# ---------------------------------------------------------------------------------------------


def _refused(allow_weak_isolation: bool) -> dict[str, Any] | None:
    """The result of a refusal, as ``IsolatedExecute`` refuses, on a machine that cannot give
    every guarantee (None when it can, or weak isolation was allowed)."""
    missing = sandbox.missing_here()
    if not missing or allow_weak_isolation:
        return None
    return sandbox.refused(missing).to_json()


def execute(text: str, request: dict[str, Any], allow_weak_isolation: bool) -> dict[str, Any]:
    """Run one job where this function is called (a Dask worker) and return the sandbox's
    result as JSON data.

    The job runs in a spare sandbox this process started for the same request while its
    previous job ran, if there is one (:data:`SPARES`), and a spare for the next job starts
    before this notebook runs: a worker's sandbox start-up (driver, walls, kernel, imports)
    overlaps its work, as a local worker thread's does."""
    refused = _refused(allow_weak_isolation)
    if refused is not None:
        return refused
    started = SPARES.take(request) or sandbox.start_request(request)
    SPARES.prepare(request)
    return started.finish(text).to_json()


#: How long a spare sandbox waits for a job before it is ended, in seconds: a worker whose
#: batch is over holds no kernel for long.
SPARE_IDLE = 60.0


class Spares:
    """Sandboxes started ahead in this process, at most ``limit`` per request (one per worker
    thread); each is ended after :data:`SPARE_IDLE` seconds unused, or when the process exits.
    A spare is a sandbox as :func:`sandbox.start` makes it: no notebook code runs in it before
    :meth:`sandbox.Started.finish`, and its driver ends by itself if this process dies (its
    input closes)."""

    def __init__(self, idle: float = SPARE_IDLE) -> None:
        self.idle = idle
        self._lock = threading.Lock()
        self._spares: dict[str, list[tuple[sandbox.Started, threading.Timer]]] = {}

    @staticmethod
    def _key(request: dict[str, Any]) -> str:
        return json.dumps(request, sort_keys=True)

    def take(self, request: dict[str, Any]) -> sandbox.Started | None:
        """A spare started for exactly this request, or None."""
        with self._lock:
            waiting = self._spares.get(self._key(request))
            if not waiting:
                return None
            started, timer = waiting.pop(0)
        timer.cancel()
        return started

    def prepare(self, request: dict[str, Any], limit: int | None = None) -> None:
        """Start a spare for ``request`` unless ``limit`` (default: this Dask worker's threads,
        else 1) are waiting already."""
        limit = limit or _worker_threads()
        key = self._key(request)
        with self._lock:
            if len(self._spares.get(key, [])) >= limit:
                return
        started = sandbox.start_request(request)
        if started.error is not None:
            return
        timer = threading.Timer(self.idle, self._expire, (key, started))
        timer.daemon = True
        with self._lock:
            self._spares.setdefault(key, []).append((started, timer))
        timer.start()

    def _expire(self, key: str, started: sandbox.Started) -> None:
        with self._lock:
            waiting = self._spares.get(key, [])
            entry = next((e for e in waiting if e[0] is started), None)
            if entry is None:  # taken meanwhile
                return
            waiting.remove(entry)
        started.abandon()

    def close(self) -> None:
        """End every spare now."""
        with self._lock:
            entries = [entry for waiting in self._spares.values() for entry in waiting]
            self._spares.clear()
        for started, timer in entries:
            timer.cancel()
            started.abandon()

    def count(self) -> int:
        with self._lock:
            return sum(len(waiting) for waiting in self._spares.values())


def _worker_threads() -> int:
    try:
        from distributed import get_worker

        return max(1, int(get_worker().state.nthreads))
    except (ImportError, ValueError, AttributeError):  # not on a Dask worker
        return 1


#: This process's spare sandboxes (used where :func:`execute` runs: on Dask workers).
SPARES = Spares()
atexit.register(SPARES.close)


class Dispatcher:
    """Runs jobs in the background and leaves their results in ``folder``.

    ``scheduler``: the address of a Dask scheduler (``tcp://HOST:PORT``); without it the jobs
    run on ``workers`` threads here, each thread waiting on its own sandbox process.
    ``report(done, total, job, status)`` is called as results arrive.
    """

    def __init__(
        self,
        folder: Path,
        *,
        workers: int = 1,
        scheduler: str | None = None,
        allow_weak_isolation: bool = False,
        report: Callable[[int, int, Job, str], None] | None = None,
    ) -> None:
        self.folder = folder
        self.workers = workers
        self.scheduler = scheduler
        self.allow_weak = allow_weak_isolation
        self.report = report or (lambda done, total, job, status: None)
        self.client = None
        if scheduler is not None:
            self.client = connect(scheduler)
        self._thread: threading.Thread | None = None
        self._cancel: Callable[[], None] = lambda: None
        self.failures: list[str] = []

    def start(self, jobs: Iterable[Job]) -> None:
        """Run ``jobs`` in the background, each announced (``<key>.pending``) as it comes
        from ``jobs``; return when ``jobs`` is exhausted, every job announced. On local
        threads the first jobs run while ``jobs`` (e.g. :func:`plan`) yields the later ones."""
        self._jobs: list[Job] = []  # announced so far, in order
        self._planned = threading.Condition()
        self._planning = True
        self._finished: set[str] = set()
        if self.client is not None:  # Dask: the whole batch is submitted at once, as before
            self._announce_all(jobs)
            self._thread = threading.Thread(target=self._run, daemon=True)
            self._thread.start()
            return
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()
        self._announce_all(jobs)

    def _announce_all(self, jobs: Iterable[Job]) -> None:
        try:
            for job in jobs:
                ahead.announce(self.folder, job.key, job.who)
                with self._planned:
                    self._jobs.append(job)
                    self._planned.notify_all()
        finally:  # also when planning failed: the workers must not wait for more
            with self._planned:
                self._planning = False
                self._planned.notify_all()

    def _total(self) -> int:
        return len(self._jobs)

    def _run(self) -> None:
        try:
            (self._run_dask if self.client is not None else self._run_local)()
        except BaseException as error:
            # Whatever went wrong here, nbgrader must not wait for results that will not come.
            with self._planned:
                while self._planning:
                    self._planned.wait()
            for job in self._jobs:
                if job.key not in self._finished:
                    self._finish(len(self._finished) + 1, self._total(), job, error)

    def wait(self) -> None:
        """Wait until every job has its outcome in the folder."""
        if self._thread is not None:
            self._thread.join()
            self._thread = None

    def stop(self) -> None:
        """Cancel what has not run yet (nbgrader is done: nobody needs it any more), then
        wait for what is running."""
        self._cancel()
        self.wait()

    def close(self) -> None:
        self.stop()
        if self.client is not None:
            self.client.close()
            self.client = None

    def _finish(self, done: int, total: int, job: Job, outcome: dict | BaseException) -> None:
        self._finished.add(job.key)
        if isinstance(outcome, BaseException):
            # The machinery failed, not the notebook: nbgrader runs this one itself.
            self.failures.append(f"{job.who}: {type(outcome).__name__}: {outcome}")
            ahead.failed(self.folder, job.key, f"{type(outcome).__name__}: {outcome}")
            status = "left to nbgrader (the run ahead failed)"
        else:
            ahead.deliver(self.folder, job.key, outcome)
            status = outcome.get("status", "?")
        self.report(done, total, job, status)

    def _run_local(self) -> None:
        """``workers`` threads take jobs in order, as they are announced; each starts its next
        sandbox (driver, walls, kernel, imports) before it runs the current notebook, so that
        start-up overlaps the run instead of following it."""
        lock = threading.Lock()
        taken = 0  # jobs taken so far: self._jobs[taken:] wait for a worker
        done = 0
        self._stopping = False

        def take(wait: bool) -> tuple[Job, sandbox.Started | dict | Exception] | None:
            """The next job with its sandbox started; None when there is none (``wait``: none
            will come; else: none is planned yet)."""
            nonlocal taken
            with self._planned:
                while wait and self._planning and taken == len(self._jobs) and not self._stopping:
                    self._planned.wait()
                if self._stopping or taken == len(self._jobs):
                    return None
                job = self._jobs[taken]
                taken += 1
            try:
                return job, _refused(self.allow_weak) or sandbox.start_request(job.request)
            except Exception as error:  # a request this machinery cannot start
                return job, error

        def run(job: Job, started: sandbox.Started | dict | Exception) -> dict | BaseException:
            if isinstance(started, dict | Exception):  # refused, or could not start
                return started
            try:
                return started.finish(job.text).to_json()
            except Exception as error:
                return error

        def worker() -> None:
            nonlocal done
            current = take(wait=True)
            while current is not None:
                job, started = current
                if self._stopping:  # nbgrader is done: nobody needs this one
                    if isinstance(started, sandbox.Started):
                        started.abandon()
                    ahead.failed(self.folder, job.key, "not run: grading stopped")
                    break
                # Start the next sandbox now if its job is planned; never wait for one here.
                following = take(wait=False)
                outcome = run(job, started)
                with lock:
                    done += 1
                    count = done
                self._finish(count, self._total(), job, outcome)
                current = following if following is not None else take(wait=True)

        def stop() -> None:
            with self._planned:
                self._stopping = True
                self._planned.notify_all()

        self._cancel = stop
        threads = [threading.Thread(target=worker, daemon=True) for _ in range(self.workers)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        with self._planned:
            while self._planning:  # stopped while planning: wait for the last announcement
                self._planned.wait()
            left = self._jobs[taken:]
        for job in left:  # stopped early: nobody waits for these
            ahead.failed(self.folder, job.key, "not run: grading stopped")

    def _run_dask(self) -> None:
        from distributed import as_completed

        jobs = self._jobs
        futures = {}
        for order, job in enumerate(jobs):
            future = self.client.submit(
                execute,
                job.text,
                job.request,
                self.allow_weak,
                key=f"nnfs-sandbox-{job.key[:16]}-{time.monotonic_ns()}",
                pure=False,
                priority=len(jobs) - order,  # nbgrader's order: the first one it needs first
            )
            futures[future] = job
        self._cancel = lambda: self.client.cancel(list(futures))
        for done, future in enumerate(as_completed(futures, loop=self.client.loop), 1):
            if future.cancelled():
                continue
            try:
                outcome = future.result()
            except BaseException as error:  # a task Dask gave up on (e.g. killed workers)
                outcome = error
            self._finish(done, len(jobs), futures[future], outcome)


def connect(address: str):
    """A Dask client of the scheduler at ``address``, or a :class:`DispatchError` saying why
    not and what to check."""
    try:
        from distributed import Client
    except ImportError as error:
        raise DispatchError(
            f"grading on a Dask cluster needs the 'distributed' package ({error}); install the"
            " course with its 'course' extra: pip install -e '.[course]'"
        ) from None
    if "://" not in address:
        raise DispatchError(
            f"--scheduler {address!r} is not a scheduler address; expected tcp://HOST:PORT,"
            " as printed by `dask scheduler` when it starts"
        )
    import dask

    # Dask's own setting (distributed.comm.timeouts.connect, 30 s unless configured, e.g. by
    # DASK_DISTRIBUTED__COMM__TIMEOUTS__CONNECT=5s) says how long to try.
    timeout = dask.config.get("distributed.comm.timeouts.connect")
    try:
        return Client(address, timeout=timeout, set_as_default=False)
    except (OSError, TimeoutError, ValueError) as error:
        raise DispatchError(
            f"cannot reach the Dask scheduler at {address} within {timeout}"
            f" ({type(error).__name__}: {error}). Is `dask scheduler` running there, is the"
            " address and port right, and can this machine reach it?"
        ) from None
