"""What the sandbox driver does to itself inside the walls, and what a run reports.

The walls (namespaces, the read-only file system from a short list, private temporary
folders, no network) are built by bubblewrap before the driver starts
(:mod:`autograder.bubblewrap`); one memory and process budget for the whole submission is a
control group (:mod:`autograder.cgroups`). The driver then calls :func:`apply` first thing, while
it is still single-threaded and before any untrusted code exists. Everything it starts later,
the Jupyter kernel and whatever the submission spawns, inherits the result:

* **Resource limits** (``setrlimit``): address space per process, file size, open files, CPU
  seconds, no core dumps, and a process limit (the strongest one available when there is no
  control group).
* **An unprivileged user** when the grader runs as root: by default a fresh uid that no other
  process has, no supplementary groups.
* ``no_new_privs``, so setuid programs cannot give privileges back, and the driver made
  undumpable, so the kernel (same uid) cannot trace it or open its pipes through ``/proc``.

Each step that cannot be applied is reported: :func:`apply` returns a :class:`Report`, which
travels with every result, and :func:`missing_guarantees` says what a run lacked.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import os
import resource
import sys
import time
from dataclasses import asdict, dataclass, field
from typing import Any

PR_SET_NO_NEW_PRIVS = 38
PR_SET_DUMPABLE = 4

#: Where ephemeral sandbox uids are drawn from: far above any real account, below 2**31.
EPHEMERAL_UID_RANGE = (1_500_000_000, 2_000_000_000)

#: The guarantees a grading run can lack, and how to get each (refusals quote these).
GUARANTEES = {
    "walls": "a private file system, process, IPC and network view (bubblewrap)",
    "process budget": "one process budget for all of a submission's processes (a cgroup)",
    "memory budget": "one memory budget for all of a submission's processes (a cgroup)",
}
HOW_TO_GET_BUDGETS = (
    "grade as root, where the sandbox makes a control group per submission (cgroup v1 pids "
    "and memory, or cgroup v2 with both controllers)"
)


@dataclass
class Plan:
    """What the driver should do to itself; built by the grading process, sent as JSON."""

    workdir: str
    uid: int | None = None
    hide: list[str] = field(default_factory=list)
    keep: list[str] = field(default_factory=list)
    network: bool = False
    namespaces: bool = True
    #: True when bubblewrap built the walls (then every folder on the way to Python is 0755).
    walls: bool = False
    workdir_bytes: int = 256 * 2**20
    memory_bytes: int = 4 * 2**30
    max_processes: int = 256
    #: RLIMIT_NPROC to set instead of ``max_processes`` when there is no cgroup: the uid's
    #: processes count towards it machine-wide, so the parent adds what the uid already runs.
    nproc_limit: int | None = None
    max_file_bytes: int = 64 * 2**20
    max_open_files: int = 1024
    cpu_seconds: int | None = None

    def to_json(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_json(cls, payload: dict[str, Any]) -> Plan:
        return cls(**payload)


@dataclass
class Report:
    """What a run had; a plain record that ends up in the sandbox's result.

    The first group is filled in by the grading process (the walls and the budget it set up),
    the second by the driver (:func:`apply`)."""

    tool: str = ""
    mount_namespace: bool = False
    pid_namespace: bool = False
    ipc_namespace: bool = False
    network_namespace: bool = False
    user_namespace: bool = False
    readonly_root: bool = False
    private_tmp: bool = False
    workdir_tmpfs: bool = False
    hidden: list[str] = field(default_factory=list)
    withheld: list[str] = field(default_factory=list)
    budget: str = ""
    uid: int = -1
    no_new_privs: bool = False
    limits: dict[str, int] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        return asdict(self)


def missing_guarantees(report: dict[str, Any]) -> list[str]:
    """The names (keys of :data:`GUARANTEES`) of what a run's report lacks."""
    missing = []
    walls = ("mount_namespace", "pid_namespace", "ipc_namespace", "readonly_root")
    if not all(report.get(key) for key in walls):
        missing.append("walls")
    budget = str(report.get("budget") or "")
    if not budget.startswith("cgroup"):
        missing += ["process budget", "memory budget"]
    return missing


# ---------------------------------------------------------------------------------------
# System calls through libc
# ---------------------------------------------------------------------------------------

_libc = None


def _c():
    global _libc
    if _libc is None:
        _libc = ctypes.CDLL(ctypes.util.find_library("c") or None, use_errno=True)
    return _libc


def _prctl(option: int, value: int) -> None:
    if _c().prctl(option, value, 0, 0, 0) != 0:
        code = ctypes.get_errno()
        raise OSError(code, f"prctl: {os.strerror(code)}")


# ---------------------------------------------------------------------------------------
# Paths
# ---------------------------------------------------------------------------------------


def needed_paths() -> list[str]:
    """What the kernel must see besides ``/usr`` and ``/etc``: this Python, its libraries and
    the two installed course packages (an editable install keeps them in the checkout, whose
    other folders, such as the notebooks and the tests, stay out of sight)."""
    import importlib.util
    import sysconfig

    # The kernel runs ``python -I``: no script folder, no PYTHONPATH, so what it imports comes
    # from these (this process's own sys.path may hold the current folder or tests/).
    found = {os.path.realpath(sys.prefix), os.path.realpath(sys.base_prefix)}
    for key in ("stdlib", "platstdlib", "purelib", "platlib"):
        entry = sysconfig.get_paths().get(key)
        if entry and os.path.exists(entry):
            found.add(os.path.realpath(entry))
    packages = set()
    for package in ("autograder", "nnfs_core"):
        spec = importlib.util.find_spec(package)
        if spec is not None and spec.submodule_search_locations:
            packages.update(os.path.realpath(p) for p in spec.submodule_search_locations)
    # A checkout on sys.path (``pip install -e`` with a path entry) is not needed as a whole.
    found = {p for p in found if not any(os.path.dirname(pkg) == p for pkg in packages)}
    found |= packages
    found.add(os.path.realpath(os.path.dirname(sys.executable)))
    return sorted(found)


# ---------------------------------------------------------------------------------------
# The steps
# ---------------------------------------------------------------------------------------


def _limit(report: Report, name: str, which: int, value: int | None) -> None:
    if value is None:
        return
    try:
        _, hard = resource.getrlimit(which)
        if hard != resource.RLIM_INFINITY and value > hard:
            value = hard
        resource.setrlimit(which, (value, value))
        report.limits[name] = value
    except (ValueError, OSError) as error:
        report.warnings.append(f"limit {name} not set: {error}")


def _drop_privileges(uid: int) -> None:
    os.setgroups([])
    os.setresgid(uid, uid, uid)
    os.setresuid(uid, uid, uid)


def apply(plan: Plan) -> Report:
    """Limit and de-privilege the calling process (and everything it starts later)."""
    report = Report()
    _limit(report, "file_bytes", resource.RLIMIT_FSIZE, plan.max_file_bytes)
    _limit(report, "open_files", resource.RLIMIT_NOFILE, plan.max_open_files)
    _limit(report, "core_bytes", resource.RLIMIT_CORE, 0)
    _limit(report, "cpu_seconds", resource.RLIMIT_CPU, plan.cpu_seconds)
    uid = _usable_uid(plan, report)
    if uid is not None:
        _limit(report, "processes", resource.RLIMIT_NPROC, plan.max_processes)
        if not os.path.ismount(plan.workdir):
            os.chown(plan.workdir, uid, uid)
        _drop_privileges(uid)
    elif plan.nproc_limit is not None:
        _limit(report, "processes", resource.RLIMIT_NPROC, plan.nproc_limit)
    try:
        _prctl(PR_SET_NO_NEW_PRIVS, 1)
        report.no_new_privs = True
    except OSError as error:
        report.warnings.append(f"no_new_privs not set: {error}")
    # The driver itself must not be traced or have its descriptors opened through /proc by
    # the kernel it starts (same uid); the kernel's own exec makes it dumpable again.
    try:
        _prctl(PR_SET_DUMPABLE, 0)
    except OSError as error:
        report.warnings.append(f"driver left dumpable: {error}")
    _limit(report, "address_space_bytes", resource.RLIMIT_AS, plan.memory_bytes)
    report.uid = os.getuid()
    return report


def _usable_uid(plan: Plan, report: Report) -> int | None:
    """The uid to drop to, or None: only root can drop, and only to a uid that can still
    reach this Python (without the walls, a pyenv Python under /root is out of its reach)."""
    if plan.uid is None:
        return None
    if os.getuid() != 0:
        report.warnings.append("not root: the kernel keeps the grader's uid")
        return None
    if not plan.walls:
        blocked = sorted({a for p in needed_paths() for a in _untraversable(p, plan.uid)})
        if blocked:
            report.warnings.append(
                f"the kernel keeps the grader's uid: an unprivileged user cannot reach {blocked[0]}"
            )
            return None
    return plan.uid


def _untraversable(path: str, uid: int) -> list[str]:
    """Ancestors of ``path`` that ``uid`` (with no groups) could not pass through."""
    import stat
    from pathlib import Path

    for ancestor in reversed(Path(path).parents):
        info = os.stat(ancestor)
        bit = stat.S_IXUSR if info.st_uid == uid else stat.S_IXOTH
        if not info.st_mode & bit:
            return [str(ancestor)]
    return []


# ---------------------------------------------------------------------------------------
# Choosing a user, and cleaning up after one
# ---------------------------------------------------------------------------------------


def ephemeral_uid() -> int:
    """A uid no account and, very likely, no process uses: one fresh identity per sandbox."""
    low, high = EPHEMERAL_UID_RANGE
    for _ in range(100):
        uid = low + int.from_bytes(os.urandom(4), "little") % (high - low)
        if not _uid_has_processes(uid):
            return uid
    raise RuntimeError("no free ephemeral uid found")  # pragma: no cover - 100 collisions


def _uid_has_processes(uid: int, alive_only: bool = False) -> bool:
    for entry in os.scandir("/proc"):
        if not entry.name.isdigit():
            continue
        try:
            if entry.stat().st_uid != uid:
                continue
            if alive_only:
                with open(os.path.join(entry.path, "stat"), "rb") as file:
                    state = file.read().rpartition(b")")[2].split()[0]
                if state in (b"Z", b"X"):
                    continue
            return True
        except (OSError, IndexError):
            continue
    return False


def resolve_user(user: str | int | None) -> int | None:
    """``"auto"``: an ephemeral uid when running as root, else None (stay as we are);
    ``None`` or ``""``: stay; a name or a number: that account (root only)."""
    if user in (None, ""):
        return None
    if os.name != "posix" or os.getuid() != 0:
        return None
    if user == "auto":
        return ephemeral_uid()
    if isinstance(user, int) or str(user).isdigit():
        return int(user)
    import pwd

    return pwd.getpwnam(str(user)).pw_uid


def kill_uid(uid: int, wait: float = 5.0) -> bool:
    """SIGKILL every process of ``uid`` (run from root), from a child that takes that uid and
    calls ``kill(-1)``, which reaches exactly the processes that uid owns; repeated until none
    is left alive (zombies aside) or ``wait`` seconds have passed. True if none is left."""
    if uid == 0 or os.getuid() != 0:
        raise ValueError("kill_uid needs root and refuses uid 0")
    deadline = time.monotonic() + wait
    while True:
        pid = os.fork()
        if pid == 0:  # pragma: no cover - child
            try:
                os.setgroups([])
                os.setresgid(uid, uid, uid)
                os.setresuid(uid, uid, uid)
                os.kill(-1, 9)
            except BaseException:
                pass
            finally:
                os._exit(0)
        os.waitpid(pid, 0)
        if not _uid_has_processes(uid, alive_only=True):
            return True
        if time.monotonic() > deadline:
            return False
        time.sleep(0.05)


__all__ = [
    "Plan",
    "Report",
    "apply",
    "kill_uid",
    "missing_guarantees",
    "needed_paths",
    "resolve_user",
]
