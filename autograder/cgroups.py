"""One memory and process budget for all the processes of one submission: a control group.

Resource limits (``setrlimit``) bound one process at a time, and the process limit counts every
process of a uid on the machine. A submission that starts six children of 1 GiB each, or forks
without end, needs a limit on the *group*. Linux control groups give exactly that, and killing
every process of a group is reliable, whatever they did to hide (``setsid``, double fork).

:func:`create` makes a fresh group per sandbox, with ``pids`` and ``memory`` limits, on the
unified hierarchy (cgroup v2, where the controllers are available to us) or on the v1
``pids`` and ``memory`` hierarchies. It needs root here (or a hierarchy this user may write);
when none can be had it says why, and the sandbox falls back to resource limits, which the run
reports as weaker. The sandbox's first process joins the group before it executes anything
(:meth:`Budget.join_command`), so every later process is in it.
"""

from __future__ import annotations

import os
import secrets
import signal
import time
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path("/sys/fs/cgroup")
PREFIX = "nnfs-sandbox-"


@dataclass
class Budget:
    """A control group (one folder per hierarchy) holding one sandbox."""

    folders: list[Path]
    version: int
    limits: dict[str, int] = field(default_factory=dict)

    @property
    def procs_files(self) -> list[str]:
        return [str(folder / "cgroup.procs") for folder in self.folders]

    def join_command(self, argv: list[str]) -> list[str]:
        """``argv`` run by a shell that first moves itself into the group, then executes it."""
        script = 'for f in "$@"; do case "$f" in --) break;; esac; echo $$ > "$f" || exit 97; done'
        script += '; while [ "$1" != "--" ]; do shift; done; shift; exec "$@"'
        return ["/bin/sh", "-c", script, "nnfs-join", *self.procs_files, "--", *argv]

    def pids(self) -> list[int]:
        found: set[int] = set()
        for name in self.procs_files:
            try:
                found.update(int(x) for x in Path(name).read_text().split())
            except (OSError, ValueError):
                continue
        return sorted(found)

    def peak_memory(self) -> int | None:
        for folder in self.folders:
            for name in ("memory.peak", "memory.max_usage_in_bytes"):
                try:
                    return int((folder / name).read_text().split()[0])
                except (OSError, ValueError, IndexError):
                    continue
        return None

    def kill_all(self, wait: float = 5.0) -> bool:
        """SIGKILL every process in the group until none is left; True if none is."""
        deadline = time.monotonic() + wait
        for folder in self.folders:
            kill = folder / "cgroup.kill"  # v2, Linux 5.14+: atomic
            if kill.exists():
                try:
                    kill.write_text("1")
                except OSError:
                    pass
        while True:
            left = self.pids()
            if not left:
                return True
            for pid in left:
                try:
                    os.kill(pid, signal.SIGKILL)
                except (ProcessLookupError, PermissionError):
                    pass
            if time.monotonic() > deadline:
                return False
            time.sleep(0.02)

    def remove(self) -> None:
        self.kill_all()
        for folder in self.folders:
            for _ in range(50):
                try:
                    folder.rmdir()
                    break
                except FileNotFoundError:
                    break
                except OSError:
                    time.sleep(0.02)

    def describe(self) -> str:
        memory = self.limits.get("memory_bytes", 0) / 2**30
        return (
            f"cgroup v{self.version}: {self.limits.get('processes')} processes and "
            f"{memory:g} GiB of memory for all the submission's processes together"
        )


def _write(path: Path, value: str) -> None:
    path.write_text(value)


def _v2_parent() -> Path | None:
    controllers = ROOT / "cgroup.controllers"
    if not controllers.exists():
        return None
    try:
        available = set(controllers.read_text().split())
    except OSError:
        return None
    if not {"pids", "memory"} <= available:
        return None
    return ROOT


#: An empty group of ours older than this was left by a grader that died before removing it
#: (a killed Dask worker, a killed nnfs-grade): the next sandbox removes it. A live sandbox
#: joins its group within a second of making it, so no group in use is ever this old and empty.
STALE_AFTER = 600


def remove_stale() -> list[Path]:
    """Remove the empty groups of ours older than :data:`STALE_AFTER` seconds; return them."""
    now = time.time()
    removed = []
    for folder in ours():
        try:
            if is_empty(folder) and now - folder.stat().st_mtime > STALE_AFTER:
                folder.rmdir()
                removed.append(folder)
        except OSError:
            continue
    return removed


def ours() -> list[Path]:
    """Every sandbox group on the machine, in every hierarchy (v2 at the root, v1 below)."""
    try:
        return sorted(p for p in [*ROOT.glob(PREFIX + "*"), *ROOT.glob(f"*/{PREFIX}*")])
    except OSError:
        return []


def is_empty(folder: Path) -> bool:
    """No process in the group (raises OSError if the group is gone)."""
    return not (folder / "cgroup.procs").read_text().split()


def create(memory_bytes: int, max_processes: int) -> tuple[Budget | None, str]:
    """A fresh group with both limits, or (None, why not). Stale groups go first."""
    remove_stale()
    name = PREFIX + secrets.token_hex(6)
    limits = {"memory_bytes": int(memory_bytes), "processes": int(max_processes)}
    parent = _v2_parent()
    if parent is not None:
        folder = parent / name
        try:
            control = parent / "cgroup.subtree_control"
            if not {"pids", "memory"} <= set(control.read_text().split()):
                _write(control, "+pids +memory")
            folder.mkdir()
            _write(folder / "pids.max", str(max_processes))
            _write(folder / "memory.max", str(memory_bytes))
            if (folder / "memory.swap.max").exists():
                _write(folder / "memory.swap.max", "0")
            return Budget([folder], 2, limits), ""
        except OSError as error:
            try:
                folder.rmdir()
            except OSError:
                pass
            return None, f"cannot create a cgroup v2 group ({error.strerror or error})"
    pids, memory = ROOT / "pids", ROOT / "memory"
    if not (pids / "cgroup.procs").exists() or not (memory / "cgroup.procs").exists():
        return None, "no cgroup hierarchy with the pids and memory controllers is mounted"
    made: list[Path] = []
    try:
        for hierarchy in (pids, memory):
            folder = hierarchy / name
            folder.mkdir()
            made.append(folder)
        _write(pids / name / "pids.max", str(max_processes))
        _write(memory / name / "memory.limit_in_bytes", str(memory_bytes))
        swap = memory / name / "memory.memsw.limit_in_bytes"
        if swap.exists():
            try:
                _write(swap, str(memory_bytes))
            except OSError:
                pass
        return Budget(made, 1, limits), ""
    except OSError as error:
        for folder in made:
            try:
                folder.rmdir()
            except OSError:
                pass
        who = "" if os.getuid() == 0 else " (they need root here)"
        return None, f"cannot create cgroup v1 groups{who}: {error.strerror or error}"


def available() -> tuple[bool, str]:
    """Can a budget be had here? Tries one and removes it."""
    budget, why = create(2**30, 64)
    if budget is None:
        return False, why
    budget.remove()
    return True, f"cgroup v{budget.version}"
