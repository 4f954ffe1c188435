"""Linux process isolation for a grading kernel, applied by the sandbox driver to itself.

The sandbox driver (see :mod:`autograder.sandbox`) calls :func:`apply` first thing, while it
is still single-threaded and before any untrusted code exists. Everything it starts later,
the Jupyter kernel and whatever the submission spawns, inherits the result:

* **Resource limits** (``setrlimit``): address space, processes, file size, open files,
  CPU seconds, no core dumps.
* **A private mount namespace** in which the course directory, the gradebook's folder and
  any other listed path are covered by an empty tmpfs, and ``/tmp``, ``/var/tmp`` and
  ``/dev/shm`` are fresh and empty. The sandbox's own directory becomes a size-limited tmpfs,
  so nothing a submission writes reaches a disk.
* **A private network namespace** without interfaces: no network at all. The kernel talks
  to the driver over Unix sockets, which need none.
* **An unprivileged user** when the grader runs as root: by default a fresh uid that no
  other process has (so one submission cannot signal, trace or read another, and
  ``RLIMIT_NPROC`` counts only its own processes), no supplementary groups, and
  ``no_new_privs`` so setuid programs cannot give root back. Directories on the way to the
  Python installation that such a user could not traverse (``/root`` for a pyenv Python)
  are covered too, with only the installation bound back in.

When the grader is not root, an unprivileged *user* namespace provides the mount and
network namespaces where the system allows it; the uid stays the grader's own.

Each step that cannot be applied is reported, never fatal: :func:`apply` returns a report
of what is in force, which travels with every result. Only Linux is supported for the
namespaces; elsewhere only the resource limits apply.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import os
import resource
import stat
import sys
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

# Values from <sched.h>, <sys/mount.h> and <linux/prctl.h>.
CLONE_NEWNS = 0x00020000
CLONE_NEWUSER = 0x10000000
CLONE_NEWNET = 0x40000000
MS_NOSUID = 0x2
MS_NODEV = 0x4
MS_BIND = 0x1000
MS_REC = 0x4000
MS_PRIVATE = 0x40000
PR_SET_NO_NEW_PRIVS = 38
PR_SET_DUMPABLE = 4

#: Where ephemeral sandbox uids are drawn from: far above any real account, below 2**31.
EPHEMERAL_UID_RANGE = (1_500_000_000, 2_000_000_000)
#: Directories every sandbox gets fresh and empty when it has a mount namespace.
PRIVATE_TEMP_DIRS = ("/tmp", "/var/tmp", "/dev/shm")


@dataclass
class Plan:
    """What the driver should do to itself; built by the grading process, sent as JSON."""

    workdir: str
    uid: int | None = None
    hide: list[str] = field(default_factory=list)
    keep: list[str] = field(default_factory=list)
    private_tmp: bool = True
    network: bool = False
    namespaces: bool = True
    workdir_bytes: int = 256 * 2**20
    memory_bytes: int = 4 * 2**30
    max_processes: int = 256
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
    """What :func:`apply` achieved; a plain record that ends up in the sandbox's result."""

    uid: int = -1
    mount_namespace: bool = False
    network_namespace: bool = False
    user_namespace: bool = False
    private_tmp: bool = False
    workdir_tmpfs: bool = False
    hidden: list[str] = field(default_factory=list)
    no_new_privs: bool = False
    limits: dict[str, int] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        return asdict(self)


# ---------------------------------------------------------------------------------------
# System calls through libc
# ---------------------------------------------------------------------------------------

_libc = None


def _c():
    global _libc
    if _libc is None:
        _libc = ctypes.CDLL(ctypes.util.find_library("c") or None, use_errno=True)
    return _libc


def _call(result: int, what: str) -> None:
    if result != 0:
        code = ctypes.get_errno()
        raise OSError(code, f"{what}: {os.strerror(code)}")


def _unshare(flags: int) -> None:
    _call(_c().unshare(flags), "unshare")


def _mount(source: str | None, target: str, fstype: str | None, flags: int, data: str | None):
    def enc(value):
        return None if value is None else os.fsencode(value)

    _call(_c().mount(enc(source), enc(target), enc(fstype), flags, enc(data)), f"mount {target}")


def _prctl(option: int, value: int) -> None:
    _call(_c().prctl(option, value, 0, 0, 0), "prctl")


# ---------------------------------------------------------------------------------------
# Paths
# ---------------------------------------------------------------------------------------


def _inside(path: str, folder: str) -> bool:
    return path == folder or path.startswith(folder.rstrip("/") + "/")


def needed_paths() -> list[str]:
    """What the kernel must still see: this Python, its libraries and the installed course
    packages (which an editable install keeps in the source checkout)."""
    import importlib.util

    found = {os.path.realpath(sys.prefix), os.path.realpath(sys.base_prefix)}
    for entry in sys.path:
        if entry and os.path.isabs(entry) and os.path.exists(entry):
            found.add(os.path.realpath(entry))
    for package in ("autograder", "nnfs_core"):
        spec = importlib.util.find_spec(package)
        if spec is not None and spec.submodule_search_locations:
            found.update(os.path.realpath(p) for p in spec.submodule_search_locations)
    found.add(os.path.realpath(os.path.dirname(sys.executable)))
    return sorted(found)


def _outermost(paths: list[str]) -> list[str]:
    """Drop every path that lies inside another one of the list."""
    result: list[str] = []
    for path in sorted(set(paths), key=len):
        if not any(_inside(path, kept) for kept in result):
            result.append(path)
    return result


def _untraversable_ancestors(path: str, uid: int) -> list[str]:
    """Ancestors of ``path`` that ``uid`` (with no groups) could not pass through."""
    blocked = []
    current = Path(path)
    for ancestor in reversed(current.parents):
        info = os.stat(ancestor)
        if info.st_uid == uid:
            allowed = info.st_mode & stat.S_IXUSR
        else:
            allowed = info.st_mode & stat.S_IXOTH
        if not allowed:
            blocked.append(str(ancestor))
    return blocked[:1]


def _cover(folder: str, keep: list[tuple[str, int]], report: Report, options: str) -> None:
    """Mount an empty tmpfs on ``folder``; bind each kept path (opened earlier as an O_PATH
    descriptor, because the tmpfs hides the original) back at its old place."""
    _mount("tmpfs", folder, "tmpfs", MS_NOSUID | MS_NODEV, options)
    for path, descriptor in keep:
        if not _inside(path, folder) or path == folder:
            continue
        if stat.S_ISDIR(os.fstat(descriptor).st_mode):
            os.makedirs(path, exist_ok=True)
        else:
            os.makedirs(os.path.dirname(path), exist_ok=True)
            with open(path, "w"):
                pass
        _mount(f"/proc/self/fd/{descriptor}", path, None, MS_BIND | MS_REC, None)
    report.hidden.append(folder)


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


def _enter_namespaces(plan: Plan, report: Report) -> None:
    uid, gid = os.getuid(), os.getgid()
    if uid == 0:
        try:
            _unshare(CLONE_NEWNS)
            report.mount_namespace = True
        except OSError as error:
            report.warnings.append(f"no mount namespace: {error}")
        if not plan.network:
            try:
                _unshare(CLONE_NEWNET)
                report.network_namespace = True
            except OSError as error:
                report.warnings.append(f"no network namespace: {error}")
        return
    flags = CLONE_NEWUSER | CLONE_NEWNS | (0 if plan.network else CLONE_NEWNET)
    try:
        _unshare(flags)
    except OSError as error:
        report.warnings.append(f"no user namespace (mounts and network stay shared): {error}")
        return
    try:
        Path("/proc/self/setgroups").write_text("deny")
        Path("/proc/self/uid_map").write_text(f"{uid} {uid} 1")
        Path("/proc/self/gid_map").write_text(f"{gid} {gid} 1")
    except OSError as error:
        report.warnings.append(f"user namespace without an id map: {error}")
    report.user_namespace = True
    report.mount_namespace = True
    report.network_namespace = not plan.network


def _hide_paths(plan: Plan, report: Report) -> None:
    _mount(None, "/", None, MS_REC | MS_PRIVATE, None)
    keep = set(needed_paths()) | {os.path.realpath(p) for p in plan.keep}
    keep.add(os.path.realpath(plan.workdir))
    covers = [os.path.realpath(p) for p in plan.hide if os.path.exists(p)]
    if plan.private_tmp:
        covers += [d for d in PRIVATE_TEMP_DIRS if os.path.isdir(d)]
    if plan.uid is not None:
        for path in sorted(keep):
            covers += _untraversable_ancestors(path, plan.uid)
    covers = _outermost(covers)
    for folder in covers:
        if any(_inside(folder, path) for path in keep):
            report.warnings.append(f"not hidden (the kernel needs what is inside): {folder}")
    covers = [c for c in covers if not any(_inside(c, path) for path in keep)]
    # Open everything that must stay visible before the first tmpfs hides any of it.
    descriptors = [
        (path, os.open(path, os.O_PATH)) for path in sorted(keep) if os.path.exists(path)
    ]
    try:
        for folder in covers:
            try:
                # Temporary folders stay usable (sticky, world-writable, small); anything
                # else becomes an empty read-only-for-others directory.
                temp = folder in PRIVATE_TEMP_DIRS
                options = "mode=1777,size=16m" if temp else "mode=755,size=1m"
                _cover(folder, descriptors, report, options)
            except OSError as error:
                report.warnings.append(f"could not hide {folder}: {error}")
    finally:
        for _, descriptor in descriptors:
            os.close(descriptor)
    report.private_tmp = plan.private_tmp and all(
        d in report.hidden for d in PRIVATE_TEMP_DIRS if os.path.isdir(d)
    )


def _workdir_tmpfs(plan: Plan, report: Report) -> None:
    owner = plan.uid if plan.uid is not None else os.getuid()
    group = plan.uid if plan.uid is not None else os.getgid()
    options = f"mode=700,size={plan.workdir_bytes}"
    if os.getuid() == 0 or not report.user_namespace:
        options += f",uid={owner},gid={group}"
    try:
        _mount("tmpfs", plan.workdir, "tmpfs", MS_NOSUID | MS_NODEV, options)
        report.workdir_tmpfs = True
    except OSError as error:
        report.warnings.append(f"the work directory is on disk: {error}")


def _drop_privileges(uid: int) -> None:
    os.setgroups([])
    os.setresgid(uid, uid, uid)
    os.setresuid(uid, uid, uid)


def apply(plan: Plan) -> Report:
    """Isolate the calling process (and everything it starts later); see the module text."""
    report = Report()
    _limit(report, "file_bytes", resource.RLIMIT_FSIZE, plan.max_file_bytes)
    _limit(report, "open_files", resource.RLIMIT_NOFILE, plan.max_open_files)
    _limit(report, "core_bytes", resource.RLIMIT_CORE, 0)
    _limit(report, "cpu_seconds", resource.RLIMIT_CPU, plan.cpu_seconds)
    if sys.platform.startswith("linux") and plan.namespaces:
        _enter_namespaces(plan, report)
        if report.mount_namespace:
            try:
                _hide_paths(plan, report)
            except OSError as error:
                report.warnings.append(f"paths not hidden: {error}")
            _workdir_tmpfs(plan, report)
    uid = _usable_uid(plan, report)
    if uid is not None:
        _limit(report, "processes", resource.RLIMIT_NPROC, plan.max_processes)
        if not report.workdir_tmpfs:
            os.chown(plan.workdir, uid, uid)
        _drop_privileges(uid)
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
    reach this Python (without a mount namespace, a pyenv Python under /root is out of reach)."""
    if plan.uid is None:
        return None
    if os.getuid() != 0:
        report.warnings.append("not root: the kernel keeps the grader's uid")
        return None
    blocked = sorted({a for p in needed_paths() for a in _untraversable_ancestors(p, plan.uid)})
    if blocked:
        report.warnings.append(
            f"the kernel keeps the grader's uid: an unprivileged user cannot reach {blocked[0]}"
        )
        return None
    return plan.uid


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


__all__ = ["Plan", "Report", "apply", "kill_uid", "needed_paths", "resolve_user"]
