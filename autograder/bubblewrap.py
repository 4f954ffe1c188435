"""The grading sandbox's walls, built by bubblewrap (``bwrap``, Debian's ``bubblewrap``).

bubblewrap is made for exactly this job and works for root and, where the system allows
unprivileged user namespaces, for an ordinary user. :func:`command` turns a
:class:`~autograder.isolation.Plan` into a ``bwrap`` command line that starts the sandbox driver
in new mount, PID, IPC, UTS and (unless the plan allows the network) network namespaces:

* **A root file system of its own, read-only, from a short list**: ``/usr`` and ``/etc`` (the
  system's programs, libraries and configuration), the top-level links into ``/usr``, this
  Python installation and the two course packages. Nothing else of the machine is there: not
  ``/home`` or ``/root``, not the course folder, not the repository's notebooks or tests, not
  ``/run`` with its sockets, not the grader's virtual environment beyond what Python imports.
  Nothing of it is writable.
* **Fresh, small, private** ``/tmp``, ``/var/tmp`` and ``/dev/shm`` (tmpfs), a private ``/dev``
  and ``/proc``; the work folder is a size-limited tmpfs too. Everything written vanishes with
  the sandbox.
* **Its own PID namespace**: a submission sees and can signal only its own processes, and when
  the driver ends, the kernel ends every process of the namespace, including daemons that
  called ``setsid`` and double-forked. ``--die-with-parent`` does the same if the grader dies.
* **Its own IPC namespace**: System V shared memory, semaphores and message queues are not
  shared with the machine or with another submission. **No network**: an empty network
  namespace (loopback only), and abstract Unix sockets are per network namespace.

For an ordinary user, bubblewrap creates a user namespace (``--unshare-user``) in which the
grader's uid maps to itself. As root, no user namespace is made: the driver starts as root
inside the walls and drops to a fresh unprivileged uid itself (:mod:`autograder.isolation`).
"""

from __future__ import annotations

import os
import shutil
import subprocess
from functools import lru_cache
from pathlib import Path

#: Folders of the machine that the sandbox sees, read-only.
SYSTEM_DIRS = ("/usr", "/etc")
#: Top-level names that merged-/usr systems make links into /usr (or that are folders).
TOP_LEVEL = ("bin", "sbin", "lib", "lib32", "lib64", "libx32")
#: Fresh, private, world-writable (sticky) temporary folders, and their size.
TEMP_DIRS = ("/tmp", "/var/tmp", "/dev/shm")
TEMP_BYTES = 16 * 2**20
HOW_TO_GET_BWRAP = (
    "install bubblewrap (Debian and Ubuntu: `sudo apt-get install bubblewrap`; Fedora: "
    "`sudo dnf install bubblewrap`)"
)
HOW_TO_GET_USERNS = (
    "allow unprivileged user namespaces (`sudo sysctl -w kernel.unprivileged_userns_clone=1` "
    "and `user.max_user_namespaces` above 0; on Ubuntu 24.04 also "
    "`kernel.apparmor_restrict_unprivileged_userns=0`), or grade as root"
)


def executable() -> str | None:
    return shutil.which("bwrap") or (
        "/usr/bin/bwrap" if os.access("/usr/bin/bwrap", os.X_OK) else None
    )


def _inside(path: str, folder: str) -> bool:
    return path == folder or path.startswith(folder.rstrip("/") + "/")


def outermost(paths) -> list[str]:
    """Drop every path that lies inside another one of the list."""
    result: list[str] = []
    for path in sorted(set(paths), key=len):
        if not any(_inside(path, kept) for kept in result):
            result.append(path)
    return result


def command(
    inner: list[str],
    *,
    keep: list[str],
    hide: list[str],
    workdir: str,
    workdir_bytes: int,
    network: bool = False,
    as_root: bool | None = None,
    bwrap: str | None = None,
    replace: list[tuple[str, str]] = (),
) -> list[str]:
    """The ``bwrap`` command line that runs ``inner`` inside the walls (see the module text).

    ``keep``: what must be visible besides ``/usr`` and ``/etc`` (the Python installation, the
    course packages), bound read-only. ``hide``: paths covered by an empty tmpfs if they lie
    inside something visible (the course folder, say, if it were under ``/usr``); anything
    else is not there anyway. ``workdir``: a size-limited tmpfs the sandbox may write.
    """
    bwrap = bwrap or executable()
    if bwrap is None:
        raise FileNotFoundError(f"no bwrap on this machine: {HOW_TO_GET_BWRAP}")
    as_root = (os.getuid() == 0) if as_root is None else as_root
    args = [
        bwrap,
        "--die-with-parent",
        "--new-session",
        "--unshare-ipc",
        "--unshare-pid",
        "--unshare-uts",
        "--unshare-cgroup-try",
        "--hostname",
        "nnfs-sandbox",
    ]
    if not network:
        args.append("--unshare-net")
    if not as_root:
        args.append("--unshare-user")
    system = [d for d in SYSTEM_DIRS if os.path.isdir(d)]
    for folder in system:
        args += ["--ro-bind", folder, folder]
    for name in TOP_LEVEL:
        path = f"/{name}"
        if os.path.islink(path):
            args += ["--symlink", os.readlink(path), path]
        elif os.path.isdir(path):
            args += ["--ro-bind", path, path]
    # Private temporary folders and the work folder first: what is kept is bound after them,
    # so a Python or a checkout that lives under /tmp stays visible.
    args += ["--proc", "/proc", "--dev", "/dev"]
    for folder in TEMP_DIRS:
        args += ["--perms", "1777", "--size", str(TEMP_BYTES), "--tmpfs", folder]
    # The work folder: owned by the sandbox alone, so open to whoever the driver becomes.
    for folder in sorted({str(a) for a in Path(workdir).parents if str(a) != "/"}, key=len):
        if not any(_inside(folder, t) or folder == t for t in TEMP_DIRS):
            args += ["--perms", "0755", "--dir", folder]
    args += ["--perms", "0777", "--size", str(int(workdir_bytes)), "--tmpfs", workdir]
    visible = [os.path.realpath(p) for p in keep if os.path.exists(p)]
    bound = [p for p in outermost(visible) if not any(_inside(p, f) for f in system)]
    # The folders on the way to each bound path: bwrap would make them 0700, which a uid
    # other than root could not pass through.
    ancestors = sorted({str(a) for p in bound for a in Path(p).parents if str(a) != "/"}, key=len)
    for folder in ancestors:
        if folder not in TEMP_DIRS:
            args += ["--perms", "0755", "--dir", folder]
    for path in bound:
        args += ["--ro-bind", path, path]
    for source, target in replace:
        args += ["--ro-bind", source, target]
    shown = system + outermost(visible)
    for path in outermost(os.path.realpath(p) for p in hide):
        if any(_inside(path, folder) for folder in shown) and not _inside(workdir, path):
            args += ["--tmpfs", path]
    # What bwrap made of the root itself (mount points, /var) is read-only too; the tmpfs
    # folders and the work folder are mounts of their own and stay writable.
    args += ["--remount-ro", "/"]
    return [*args, "--chdir", "/", "--", *inner]


@lru_cache(maxsize=1)
def usable() -> tuple[bool, str]:
    """Can bubblewrap build the walls here, for this user? (ok, why not / version)."""
    bwrap = executable()
    if bwrap is None:
        return False, f"bubblewrap is not installed: {HOW_TO_GET_BWRAP}"
    trial = command(
        ["/bin/true"],
        keep=[],
        hide=[],
        workdir="/nnfs-probe",
        workdir_bytes=2**20,
        bwrap=bwrap,
    )
    try:
        done = subprocess.run(trial, capture_output=True, text=True, timeout=30)
    except (OSError, subprocess.SubprocessError) as error:
        return False, f"bubblewrap did not run ({error})"
    if done.returncode != 0:
        why = (done.stderr or done.stdout).strip().splitlines()[-1:] or ["no message"]
        hint = HOW_TO_GET_USERNS if os.getuid() != 0 else "check that bubblewrap works as root"
        return False, f"bubblewrap cannot create the sandbox here ({why[0]}): {hint}"
    version = subprocess.run([bwrap, "--version"], capture_output=True, text=True).stdout
    return True, version.strip() or "bubblewrap"
