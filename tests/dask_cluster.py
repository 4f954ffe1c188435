"""A real Dask cluster on this machine, loopback only: ``dask scheduler`` and one ``dask
worker`` process per worker, started as an instructor would start them (README, "Grading on a
Dask cluster"). Used by tests/test_dask_grading.py and benchmarks/grading_throughput.py.

Each worker is its own process without a nanny, one thread: killing it takes a worker away
for good, which is what the fault test needs.
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from autograder import cgroups

DASK = Path(sys.executable).with_name("dask")
STARTUP = 60  # seconds for the scheduler and the workers to come up on a busy machine


@dataclass
class LocalCluster:
    address: str
    workers: list[subprocess.Popen] = field(default_factory=list)

    def alive(self) -> int:
        """How many workers the scheduler knows now."""
        from distributed import Client

        with Client(self.address, timeout=STARTUP) as client:
            return len(client.scheduler_info()["workers"])

    def kill_worker(self, index: int = 0) -> None:
        """SIGKILL one worker: gone at once, no goodbye to the scheduler. The sandbox it was
        running dies with it (bubblewrap's --die-with-parent), but its control group stays:
        the groups that exist now are remembered, and those of them still empty when the
        cluster stops are removed (a group in use is never empty; a finished one is gone)."""
        self.groups_at_kill = cgroups.ours()
        self.workers[index].send_signal(signal.SIGKILL)
        self.workers[index].wait(10)

    def remove_groups_left_by_the_kill(self) -> None:
        for group in getattr(self, "groups_at_kill", []):
            try:
                if cgroups.is_empty(group):
                    group.rmdir()
            except OSError:
                continue


def _environ() -> dict[str, str]:
    env = dict(os.environ)
    for variable in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
        env[variable] = "1"
    env["DASK_DISTRIBUTED__WORKER__DAEMON"] = "False"
    return env


def _stop(process: subprocess.Popen) -> None:
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(10)


@contextlib.contextmanager
def local_cluster(workers: int, log_dir: Path | None = None) -> Iterator[LocalCluster]:
    """Start a scheduler and ``workers`` workers on 127.0.0.1; stop them all on exit."""
    from distributed import Client

    folder = Path(tempfile.mkdtemp(prefix="nnfs-dask-"))
    logs = log_dir or folder
    env = _environ()
    processes: list[subprocess.Popen] = []
    cluster: LocalCluster | None = None

    def start(name: str, *args: str) -> subprocess.Popen:
        out = open(logs / f"{name}.log", "wb")
        process = subprocess.Popen(
            [str(DASK), *args], cwd=folder, env=env, stdout=out, stderr=subprocess.STDOUT
        )
        out.close()
        processes.append(process)
        return process

    try:
        scheduler_file = folder / "scheduler.json"
        start(
            "scheduler",
            "scheduler",
            "--host=127.0.0.1",
            "--port=0",
            "--no-dashboard",
            f"--scheduler-file={scheduler_file}",
        )
        deadline = time.monotonic() + STARTUP
        address = None
        while address is None:
            try:  # the scheduler writes the file in pieces: read it until it is whole
                address = json.loads(scheduler_file.read_text())["address"]
            except (OSError, ValueError, KeyError):
                if time.monotonic() > deadline or processes[0].poll() is not None:
                    raise RuntimeError(
                        f"the Dask scheduler did not start: see {logs}/scheduler.log"
                    ) from None
                time.sleep(0.1)
        cluster = LocalCluster(address)
        for number in range(workers):
            cluster.workers.append(
                start(
                    f"worker{number}",
                    "worker",
                    address,
                    "--host=127.0.0.1",
                    "--nthreads=1",
                    "--no-nanny",
                    "--no-dashboard",
                    "--memory-limit=0",
                    f"--name=worker{number}",
                )
            )
        with Client(address, timeout=STARTUP) as client:
            client.wait_for_workers(workers, timeout=STARTUP)
        yield cluster
    finally:
        for process in reversed(processes):
            _stop(process)
        if cluster is not None:
            cluster.remove_groups_left_by_the_kill()
        shutil.rmtree(folder, ignore_errors=True)
