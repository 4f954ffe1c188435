"""Execute one untrusted notebook in isolation; results come back as data, never as an exception.

::

    from autograder.sandbox import Limits, run_notebook

    result = run_notebook(text, hide=[course_root])  # text: the notebook's JSON
    result.status  # "ok", "timeout", "unresponsive", "kernel_died", "invalid_notebook",
    # "sandbox_error"
    result.message  # one sentence for people: what happened, in which cell
    result.notebook  # the executed notebook as JSON text (None if nothing ran)

How (see also :mod:`autograder.isolation` and ``autograder/README.md``):

* The grading process (the *parent*) starts a *driver*, ``python -m autograder.sandbox``, in a
  new session with a scrubbed environment. The driver reads the first line of its request on
  stdin (everything but the notebook), isolates itself (limits, namespaces, hidden paths, an
  unprivileged uid), starts the kernel and imports NumPy and the reference in it
  (:data:`WARM_IMPORTS`). Only then does it read the notebook, the rest of stdin, write it into
  a fresh directory that holds nothing else, and execute it with nbclient: per-cell time limit
  with an interrupt, errors allowed, output capped, an overall deadline. So a sandbox can be
  started ahead of need (:func:`start`, then :meth:`Started.finish`), while another notebook
  runs; :func:`run_notebook` does both at once.
* The kernel's environment is built from nothing: ``PATH`` with this Python, ``HOME``,
  ``TMPDIR``, ``JUPYTER_*`` and ``IPYTHONDIR`` inside the sandbox, ``NNFS_GRADING=1``, one
  BLAS thread. No ``NBGRADER_*`` variable and no course path reaches it.
* The driver reports on a pipe the kernel cannot write to, one JSON line per event (isolated,
  kernel started, cell started, done). The parent enforces a hard deadline of its own and
  afterwards kills whatever is left: the ephemeral uid's processes, or the driver's and the
  kernel's process groups.

Output that the kernel produces is untrusted data: :mod:`autograder.nbgrader_plugins` takes
only what it can check from it, and judges in the parent.
"""

from __future__ import annotations

import asyncio
import functools
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from . import bubblewrap, cgroups
from .isolation import Plan, Report, kill_uid, missing_guarantees, needed_paths, resolve_user

#: Statuses of a :class:`SandboxResult`.
OK = "ok"  # every cell ran (some may have raised: see ``cell_errors``)
TIMEOUT = "timeout"  # the overall time limit stopped the run
UNRESPONSIVE = "unresponsive"  # a cell hit its time limit and ignored the interrupt
KERNEL_DIED = "kernel_died"  # the kernel process ended while a cell ran
INVALID = "invalid_notebook"  # the text is not a notebook; nothing ran
SANDBOX_ERROR = "sandbox_error"  # the machinery failed (kernel did not start, ...)

KERNEL_NAME = "nnfs-sandbox"
SANDBOX_USER_NAME = "nnfs-sandbox"


@dataclass
class Limits:
    """Time, memory and output bounds for one notebook. Sizes in bytes, times in seconds."""

    cell_timeout: int = 60
    total_timeout: int = 600
    startup_timeout: int = 60
    memory_bytes: int = 4 * 2**30
    max_processes: int = 256
    max_file_bytes: int = 64 * 2**20
    workdir_bytes: int = 256 * 2**20
    cell_output_bytes: int = 1 * 2**20
    total_output_bytes: int = 16 * 2**20
    probe_bytes: int = 32 * 2**20
    #: How long the parent waits beyond ``total_timeout`` before killing the driver.
    grace: int = 20

    def fingerprint(self) -> str:
        """What must match for a cached result to stand for a new run."""
        return f"cell={self.cell_timeout},total={self.total_timeout},mem={self.memory_bytes}"


@dataclass
class SandboxResult:
    """What happened to one notebook. ``notebook`` is JSON text; everything else is plain."""

    status: str
    message: str
    notebook: str | None = None
    cell: int | None = None
    cell_errors: list[dict[str, Any]] = field(default_factory=list)
    truncated_cells: list[int] = field(default_factory=list)
    isolation: dict[str, Any] = field(default_factory=dict)
    duration: float = 0.0
    stderr_tail: str = ""

    def record(self) -> dict[str, Any]:
        """The status record: everything but the notebook."""
        data = asdict(self)
        data.pop("notebook")
        return data

    def to_json(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_json(cls, payload: dict[str, Any]) -> SandboxResult:
        known = cls.__dataclass_fields__
        return cls(**{key: value for key, value in payload.items() if key in known})


# ---------------------------------------------------------------------------------------
# The parent's side
# ---------------------------------------------------------------------------------------


def parse_notebook(text: str | bytes):
    """The notebook in ``text`` as an nbformat v4 node, or a ValueError that says why not."""
    import nbformat

    try:
        data = json.loads(text)
    except (ValueError, UnicodeDecodeError) as error:
        raise ValueError(f"the file is not valid JSON ({error})") from None
    if not isinstance(data, dict):
        raise ValueError("the file is JSON but not a notebook (no list of cells)")
    # One rule, the same for collect and autograde: formats 4 and 3 are read (nbformat turns
    # a version 3 notebook, with its "worksheets", into version 4, as nbgrader does); any
    # other is refused.
    version = data.get("nbformat")
    if version == 3 and isinstance(data.get("worksheets"), list):
        pass
    elif not isinstance(data.get("cells"), list):
        raise ValueError("the file is JSON but not a notebook (no list of cells)")
    elif version not in (4, None):
        raise ValueError(f"notebook format {version!r} is not supported; expected 4 (or 3)")
    try:
        return nbformat.reads(json.dumps(data), as_version=4)
    except Exception as error:
        raise ValueError(f"the notebook cannot be read: {error}") from None


def run_notebook(
    text: str | bytes,
    *,
    name: str = "notebook.ipynb",
    limits: Limits | None = None,
    hide: list[str] | tuple[str, ...] = (),
    user: str | int | None = "auto",
    network: bool = False,
    namespaces: bool = True,
    withhold: list[str] | tuple[str, ...] = (),
) -> SandboxResult:
    """Execute the notebook ``text`` in a sandbox and return what happened.

    ``hide`` lists paths the kernel must not see (the course directory, the gradebook's
    folder). ``user``: ``"auto"`` runs the kernel as a fresh unprivileged uid when the
    grader is root; a user name or uid picks one; ``None`` keeps the grader's uid.
    ``namespaces=False`` skips the mount and network namespaces (nothing is hidden then).
    ``withhold``: reference components (dotted names, :mod:`autograder.withholding`) the
    kernel's nnfs_core does not implement. Never raises for anything the notebook does.
    """
    try:
        parse_notebook(text)
    except ValueError as error:  # nothing to start a sandbox for
        return SandboxResult(INVALID, f"Nothing was run: {error}.")
    options = dict(limits=limits, hide=hide, user=user, network=network, withhold=withhold)
    return start(name=name, namespaces=namespaces, **options).finish(text)


def run_request(text: str | bytes, request: dict[str, Any]) -> SandboxResult:
    """:func:`run_notebook` with its options as plain JSON data (``name``, ``limits`` as a
    dict, ``hide``, ``user``, ``network``, ``withhold``): how a run is described to be made
    later or elsewhere, e.g. by ``nnfs-grade autograde`` (:mod:`autograder.dispatch`)."""
    return run_notebook(text, **_request_options(request))


def start_request(request: dict[str, Any]) -> Started:
    """:func:`start` with its options as plain JSON data (see :func:`run_request`)."""
    return start(**_request_options(request))


def _request_options(request: dict[str, Any]) -> dict[str, Any]:
    return {
        "name": request.get("name", "notebook.ipynb"),
        "limits": Limits(**request.get("limits", {})),
        "hide": list(request.get("hide", [])),
        "user": request.get("user", "auto"),
        "network": bool(request.get("network", False)),
        "withhold": list(request.get("withhold", [])),
    }


def start(
    *,
    name: str = "notebook.ipynb",
    limits: Limits | None = None,
    hide: list[str] | tuple[str, ...] = (),
    user: str | int | None = "auto",
    network: bool = False,
    namespaces: bool = True,
    withhold: list[str] | tuple[str, ...] = (),
) -> Started:
    """Build a sandbox and start its kernel, before the notebook is known: the expensive part
    of a run (a Python for the driver, the walls, a kernel, NumPy and the reference imported in
    it) can happen while another notebook runs. :meth:`Started.finish` runs the notebook;
    :meth:`Started.abandon` ends a sandbox that will not be used. No code of any notebook runs
    before ``finish``. Options as for :func:`run_notebook`."""
    limits = limits or Limits()
    try:
        return Started(name, limits, list(hide), user, network, namespaces, list(withhold))
    except Exception as error:  # the machinery itself; never a notebook
        return Started.failed(f"The sandbox could not run: {error!r}.")


def _minimal_environ() -> dict[str, str]:
    env = {
        "PATH": os.pathsep.join(
            [os.path.dirname(sys.executable), "/usr/local/bin", "/usr/bin", "/bin"]
        ),
        "LANG": "C.UTF-8",
    }
    for variable in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
        env[variable] = "1"
    return env


class _Reader(threading.Thread):
    """Collects the driver's event lines (bounded) or the tail of its stderr."""

    def __init__(self, stream, *, events: bool, limit: int) -> None:
        super().__init__(daemon=True)
        self.stream, self.events, self.limit = stream, events, limit
        self.lines: list[dict[str, Any]] = []
        self.tail = b""
        self.overflow = False

    def run(self) -> None:
        try:
            if self.events:
                total = 0
                while True:
                    line = self.stream.readline(self.limit + 1)
                    if not line:
                        break
                    total += len(line)
                    if len(line) > self.limit or total > 4 * self.limit:
                        self.overflow = True
                        while self.stream.read(1 << 16):
                            pass
                        break
                    try:
                        self.lines.append(json.loads(line))
                    except ValueError:
                        self.overflow = True
            else:
                while chunk := self.stream.read(1 << 16):
                    self.tail = (self.tail + chunk)[-self.limit :]
        except (OSError, ValueError):
            pass

    def last(self, event: str) -> dict[str, Any] | None:
        for line in reversed(self.lines):
            if line.get("event") == event:
                return line
        return None


@functools.lru_cache(maxsize=1)
def missing_here() -> list[tuple[str, str]]:
    """What a sandbox on this machine, for this user, would lack: (guarantee, how to get it).

    ``nnfs-grade autograde`` refuses to grade while this is not empty, unless told
    ``--allow-weak-isolation``, and so does the :class:`IsolatedExecute` preprocessor under
    plain ``nbgrader autograde`` unless ``IsolatedExecute.allow_weak_isolation`` is set."""
    from .isolation import GUARANTEES, HOW_TO_GET_BUDGETS

    missing = []
    if not sys.platform.startswith("linux"):
        return [(name, "grade on Linux") for name in GUARANTEES]
    walls, why = bubblewrap.usable()
    if not walls:
        missing.append(("walls", why))
    budget, why = cgroups.available()
    if not budget:
        missing += [
            (name, f"{why}; {HOW_TO_GET_BUDGETS}") for name in GUARANTEES if name != "walls"
        ]
    return missing


def refusal(missing: list[tuple[str, str]]) -> str:
    """The message that refuses to grade without these guarantees, and says how to get them."""
    from .isolation import GUARANTEES

    lines = ["grading refused: the sandbox cannot give every guarantee on this machine."]
    for name, how in missing:
        lines.append(f"  missing: {GUARANTEES[name]}. How to get it: {how}.")
    lines.append(
        "  To grade anyway with what is available, pass --allow-weak-isolation (nnfs-grade) or"
        " --IsolatedExecute.allow_weak_isolation=True (nbgrader); every graded notebook then"
        " records what was missing, and the export shows it."
    )
    return "\n".join(lines)


def refused(missing: list[tuple[str, str]]) -> SandboxResult:
    """The result of a notebook not run because of ``missing`` guarantees: it scores 0 with
    the reason (see :func:`refusal`)."""
    return SandboxResult(
        SANDBOX_ERROR,
        "Not graded: " + refusal(missing),
        isolation={"missing": [name for name, _ in missing]},
    )


def _processes_of(uid: int) -> int:
    count = 0
    for entry in os.scandir("/proc"):
        try:
            if entry.name.isdigit() and entry.stat().st_uid == uid:
                count += 1
        except OSError:
            continue
    return count


class Started:
    """A driver started with everything but the notebook (see :func:`start`)."""

    @classmethod
    def failed(cls, message: str) -> Started:
        started = cls.__new__(cls)
        started.error, started.process = message, None
        return started

    def __init__(self, name, limits: Limits, hide, user, network, namespaces, withhold=()) -> None:
        self.error: str | None = None
        self.name, self.limits = Path(name).name or "notebook.ipynb", limits
        self.started = time.monotonic()
        uid = resolve_user(user)
        self.uid = uid
        workdir = tempfile.mkdtemp(prefix="nnfs-sandbox-")
        self.workdir = workdir
        os.chmod(workdir, 0o700)
        linux = sys.platform.startswith("linux")
        walls, walls_why = bubblewrap.usable() if (linux and namespaces) else (False, "")
        self.walls = bool(walls)
        budget, budget_why = (
            cgroups.create(limits.memory_bytes, limits.max_processes)
            if linux
            else (None, "not Linux")
        )
        self.budget = budget
        report = Report()
        self.report = report
        nproc_limit = None
        if budget is not None:
            report.budget = budget.describe()
        else:
            if uid is None and linux:
                # RLIMIT_NPROC counts every process of the uid on the machine: allow this many
                # more.
                nproc_limit = _processes_of(os.getuid()) + limits.max_processes
            report.budget = (
                f"none ({budget_why}): limits per process only, and at most "
                f"{limits.max_processes} more processes of the kernel's uid"
            )
        plan = Plan(
            workdir=workdir,
            uid=uid,
            hide=[str(p) for p in hide],
            network=network,
            namespaces=namespaces,
            walls=bool(walls),
            workdir_bytes=limits.workdir_bytes,
            memory_bytes=limits.memory_bytes,
            max_processes=limits.max_processes,
            nproc_limit=nproc_limit,
            max_file_bytes=limits.max_file_bytes,
            cpu_seconds=limits.total_timeout + limits.startup_timeout + 60,
        )
        argv = [sys.executable, "-I", "-c", DRIVER_BOOTSTRAP]
        replace = []
        if walls and withhold:
            from . import withholding

            package = withholding.withheld_package(list(withhold))
            replace.append((str(package), str(withholding._package_dir())))
            report.withheld = list(withhold)
        elif withhold:
            report.warnings.append("the reference is not withheld: that needs the sandbox walls")
        if walls:
            argv = bubblewrap.command(
                argv,
                keep=needed_paths(),
                hide=plan.hide,
                workdir=workdir,
                workdir_bytes=limits.workdir_bytes,
                network=network,
                replace=replace,
            )
            report.tool = walls_why  # the version, when usable
            report.mount_namespace = report.pid_namespace = report.ipc_namespace = True
            report.readonly_root = report.private_tmp = report.workdir_tmpfs = True
            report.network_namespace = not network
            report.user_namespace = os.getuid() != 0
            report.hidden = sorted(str(p) for p in hide)
        elif walls_why:
            report.warnings.append(f"no sandbox walls: {walls_why}")
        else:
            report.warnings.append("no sandbox walls: namespaces were switched off")
        if budget is not None:
            argv = budget.join_command(argv)
        from .checks.base import PROBE_MIMETYPE  # the parent has the checks loaded anyway

        header = {
            "name": self.name,
            "plan": plan.to_json(),
            "limits": asdict(limits),
            "probe_mimetype": PROBE_MIMETYPE,
        }
        try:
            self.process = subprocess.Popen(
                argv,
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                cwd="/",
                env=_minimal_environ(),
                start_new_session=True,
                close_fds=True,
            )
        except BaseException:
            if budget is not None:
                budget.remove()
            shutil.rmtree(workdir, ignore_errors=True)
            raise
        self.events = _Reader(
            self.process.stdout,
            events=True,
            limit=limits.total_output_bytes + limits.probe_bytes + 2**20,
        )
        self.errors = _Reader(self.process.stderr, events=False, limit=16 * 1024)
        self.events.start()
        self.errors.start()
        try:
            # The first line: everything but the notebook. The driver isolates itself and
            # starts its kernel, then waits for the rest.
            self.process.stdin.write(json.dumps(header).encode() + b"\n")
            self.process.stdin.flush()
        except (BrokenPipeError, OSError):
            pass

    def finish(self, text: str | bytes) -> SandboxResult:
        """Run the notebook ``text`` in this sandbox and end it. Never raises for anything
        the notebook does."""
        if self.error is not None:
            return SandboxResult(SANDBOX_ERROR, self.error)
        started = time.monotonic()
        try:
            nb = parse_notebook(text)
        except ValueError as error:
            self.abandon()
            return SandboxResult(INVALID, f"Nothing was run: {error}.")
        try:
            result = self._run(nb)
        except Exception as error:  # the machinery itself; never the notebook
            self.abandon()
            result = SandboxResult(SANDBOX_ERROR, f"The sandbox could not run: {error!r}.")
        result.duration = round(time.monotonic() - started, 3)
        return result

    def abandon(self) -> None:
        """End the sandbox without running anything (its driver sees the end of its input
        before any notebook and stops)."""
        if self.error is not None or self.process is None:
            return
        try:
            self.process.stdin.close()
        except OSError:
            pass
        try:
            self.process.wait(timeout=self.limits.grace)
        except subprocess.TimeoutExpired:
            pass
        self._clean_up()

    def _clean_up(self) -> None:
        process, budget = self.process, self.budget
        kernel = self.events.last("kernel")
        if budget is not None:
            budget.kill_all()
        # Inside the walls the kernel's pid is a number of the sandbox's own PID namespace,
        # meaningless out here: the namespace ends with the driver anyway.
        kernel_pid = kernel.get("pid") if (kernel and not self.walls) else None
        _kill_everything(process, self.uid, kernel_pid)
        if budget is not None:
            budget.remove()
        self.events.join(timeout=10)
        self.errors.join(timeout=10)
        for stream in (process.stdout, process.stderr):
            stream.close()
        shutil.rmtree(self.workdir, ignore_errors=True)
        self.process = None

    def _run(self, nb) -> SandboxResult:
        process, limits, events, errors = self.process, self.limits, self.events, self.errors
        killed = False
        try:
            try:
                process.stdin.write(json.dumps(nb).encode())
                process.stdin.close()
            except (BrokenPipeError, OSError):
                pass
            deadline = limits.total_timeout + limits.startup_timeout + limits.grace
            try:
                process.wait(timeout=deadline)
            except subprocess.TimeoutExpired:
                killed = True
        finally:
            self._clean_up()

        stderr_tail = errors.tail.decode("utf-8", "replace")
        isolated = events.last("isolated")
        isolation = self.report.to_json()
        if isolated:
            inside = isolated.get("report") or {}
            for key in ("uid", "no_new_privs", "limits"):
                if key in inside:
                    isolation[key] = inside[key]
            isolation["warnings"] = isolation["warnings"] + list(inside.get("warnings") or [])
        isolation["missing"] = missing_guarantees(isolation)
        done = events.last("done")
        if done is not None and not killed:
            result = SandboxResult.from_json(done["result"])
            result.isolation, result.stderr_tail = isolation, stderr_tail
            return result
        cell = events.last("cell")
        where = f" while cell {cell['index'] + 1} was running" if cell else " before any cell ran"
        if killed:
            status, message = TIMEOUT, f"The run was stopped after {deadline} s{where}."
        elif events.overflow:
            status, message = SANDBOX_ERROR, f"The run produced more output than allowed{where}."
        else:
            code = process.returncode
            how = f"signal {-code}" if code and code < 0 else f"exit code {code}"
            status = SANDBOX_ERROR
            message = f"The grading process ended unexpectedly ({how}){where}."
            if code == -signal.SIGKILL or "MemoryError" in stderr_tail:
                message += " It may have run out of memory."
        return SandboxResult(
            status,
            message,
            cell=cell["index"] if cell else None,
            isolation=isolation,
            stderr_tail=stderr_tail,
        )


def _kill_everything(process: subprocess.Popen, uid: int | None, kernel_pid: int | None) -> None:
    """Leave nothing of the run alive: the ephemeral uid's processes, or else the driver's
    and the kernel's process groups (the kernel runs in a session of its own)."""
    groups = [process.pid] if uid is not None else [process.pid, kernel_pid]
    for group in groups:
        if group:
            try:
                os.killpg(group, signal.SIGKILL)
            except (ProcessLookupError, PermissionError):
                pass
    if uid is not None:
        kill_uid(uid)
    try:
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:  # pragma: no cover - SIGKILL was sent
        pass


# ---------------------------------------------------------------------------------------
# The driver: runs inside the sandbox
# ---------------------------------------------------------------------------------------


class _Emitter:
    def __init__(self, descriptor: int) -> None:
        self.file = os.fdopen(descriptor, "w", encoding="utf-8")

    def __call__(self, event: str, **payload: Any) -> None:
        self.file.write(json.dumps({"event": event, **payload}) + "\n")
        self.file.flush()


def _kernel_environ(home: Path) -> dict[str, str]:
    env = _minimal_environ()
    env.update(
        {
            "HOME": str(home),
            "USER": SANDBOX_USER_NAME,
            "LOGNAME": SANDBOX_USER_NAME,
            "TMPDIR": str(home / "tmp"),
            "IPYTHONDIR": str(home / ".ipython"),
            "JUPYTER_CONFIG_DIR": str(home / ".jupyter"),
            "JUPYTER_DATA_DIR": str(home / "jupyter-data"),
            "JUPYTER_RUNTIME_DIR": str(home / "jupyter-runtime"),
            "JUPYTER_PATH": str(home / "jupyter-data"),
            "JUPYTER_PLATFORM_DIRS": "1",
            "MPLCONFIGDIR": str(home / ".matplotlib"),
            "MPLBACKEND": "Agg",
            "PYTHONNOUSERSITE": "1",
            "PYTHONDONTWRITEBYTECODE": "1",
            "PYDEVD_DISABLE_FILE_VALIDATION": "1",
            "NNFS_GRADING": "1",
        }
    )
    return env


def _prepare_home(home: Path) -> None:
    for sub in ("tmp", ".ipython", ".jupyter", "jupyter-runtime", ".matplotlib"):
        (home / sub).mkdir(parents=True, mode=0o700, exist_ok=True)
    spec = home / "jupyter-data" / "kernels" / KERNEL_NAME
    spec.mkdir(parents=True, mode=0o700)
    argv = [sys.executable, "-I", "-m", "ipykernel_launcher", "-f", "{connection_file}"]
    kernel = {"argv": argv, "display_name": "Python (grading sandbox)", "language": "python"}
    (spec / "kernel.json").write_text(json.dumps(kernel))


#: Imported in the kernel while it waits for its notebook (silently: no execution count, no
#: output). Only modules without side effects on the shell: ``autograder`` itself installs
#: IPython hooks when imported, so the notebook's own imports cell brings it as usual.
WARM_IMPORTS = ("numpy", "nnfs_core")


def _read_line(descriptor: int) -> bytes:
    """One line from ``descriptor``, not one byte more: what follows it (the notebook) is read
    later from the same descriptor, so nothing may sit in a buffer."""
    line = bytearray()
    while not line.endswith(b"\n"):
        byte = os.read(descriptor, 1)
        if not byte:
            break
        line += byte
    return bytes(line)


#: What the driver process runs (``python -I -c DRIVER_BOOTSTRAP``): this module, loaded without
#: executing the ``autograder`` package's ``__init__``, which imports every check, NumPy, the
#: reference and IPython (about 0.35 s of CPU per submission that the driver never uses). The
#: package object is made from its spec but not run, so ``autograder.sandbox``'s own relative
#: imports (isolation, bubblewrap, cgroups: standard library only) still resolve.
DRIVER_BOOTSTRAP = (
    "import importlib.util, sys; "
    "spec = importlib.util.find_spec('autograder'); "
    "sys.modules['autograder'] = importlib.util.module_from_spec(spec); "
    "from autograder.sandbox import _driver_main; "
    "sys.exit(_driver_main())"
)


#: Optional packages that jsonschema (imported by nbformat and jupyter_client) loads to check
#: string formats (IRIs, durations, host names, colours, ...) when they are installed, as
#: jupyterlab installs them. No notebook schema and no kernel message uses these formats, and
#: they cost the driver about 0.1 s of CPU per submission (``rfc3987_syntax`` alone compiles a
#: grammar for 1.5 s: see ``autograder.course_config.skip_slow_optional_imports``, which does
#: the same for nbgrader but lives in a module that imports nbgrader, too heavy here).
SKIPPED_FORMAT_MODULES = (
    "rfc3987_syntax",
    "rfc3987",
    "rfc3986_validator",
    "rfc3339_validator",
    "isoduration",
    "fqdn",
    "uri_template",
    "webcolors",
    "jsonpointer",
)


def _driver_main() -> int:
    for module in SKIPPED_FORMAT_MODULES:
        sys.modules.setdefault(module, None)  # ``import module`` now raises ImportError
    header = json.loads(_read_line(0))
    notebook_input = os.dup(0)  # the rest of the request: the notebook, read once it is sent
    emit = _Emitter(os.dup(1))  # os.dup's copies are not inherited by the kernel
    devnull = os.open(os.devnull, os.O_RDWR)
    os.dup2(devnull, 0)
    os.dup2(devnull, 1)

    from .isolation import apply

    plan = Plan.from_json(header["plan"])
    report = apply(plan)
    emit("isolated", report=report.to_json())
    limits = Limits(**header["limits"])

    root = Path(plan.workdir)
    work, home = root / "work", root / "home"
    work.mkdir(mode=0o700)
    _prepare_home(home)
    os.environ.clear()
    os.environ.update(_kernel_environ(home))
    os.chdir(work)

    def read_notebook() -> bytes:
        with os.fdopen(notebook_input, "rb") as stream:
            return stream.read()

    runner = _SandboxRunner(limits, emit, header["probe_mimetype"])
    result = asyncio.run(runner.run(str(work), header["name"], read_notebook))
    if result is not None:  # None: abandoned before a notebook came
        emit("done", result=result.to_json())
    return 0


def _make_client_class(probe_mimetype: str):
    """Defined lazily: nbclient is imported only inside the driver. ``probe_mimetype``: the
    checks' probe outputs, capped by ``Limits.probe_bytes`` instead of the output caps."""
    from nbclient import NotebookClient

    class SandboxClient(NotebookClient):
        """nbclient with output caps; comm (widget) traffic is ignored while grading."""

        def __init__(self, *args, limits: Limits, **kwargs) -> None:
            super().__init__(*args, **kwargs)
            self.limits = limits
            self.cell_bytes: dict[int, int] = {}
            self.total_bytes = 0
            self.probe_bytes = 0
            self.truncated: set[int] = set()

        def process_message(self, msg, cell, cell_index):
            kind = msg["msg_type"]
            if kind.startswith("comm"):
                return None
            if kind in ("stream", "display_data", "execute_result", "update_display_data", "error"):
                content = msg["content"]
                size = len(json.dumps(content, default=str))
                if kind == "display_data" and probe_mimetype in (content.get("data") or {}):
                    if self.probe_bytes + size > self.limits.probe_bytes:
                        return self._truncate(cell, cell_index)
                    self.probe_bytes += size
                    return super().process_message(msg, cell, cell_index)
                room = min(
                    self.limits.cell_output_bytes - self.cell_bytes.get(cell_index, 0),
                    self.limits.total_output_bytes - self.total_bytes,
                )
                if size > room:
                    if kind == "stream" and room > 0 and cell_index not in self.truncated:
                        # Keep the beginning of what was printed, then say it was cut.
                        msg = {**msg, "content": {**content, "text": content["text"][:room]}}
                        super().process_message(msg, cell, cell_index)
                    self.cell_bytes[cell_index] = self.limits.cell_output_bytes
                    return self._truncate(cell, cell_index)
                self.cell_bytes[cell_index] = self.cell_bytes.get(cell_index, 0) + size
                self.total_bytes += size
            return super().process_message(msg, cell, cell_index)

        def _truncate(self, cell, cell_index):
            if cell_index not in self.truncated:
                self.truncated.add(cell_index)
                from nbformat.v4 import new_output

                note = "\n[output truncated: this cell produced more output than grading keeps]\n"
                cell.outputs.append(new_output("stream", name="stdout", text=note))
            return None

    return SandboxClient


def ipc_transport(folder: str) -> dict[str, str]:
    """Kernel settings for Unix sockets in ``folder`` instead of TCP ports on localhost.

    Kernels started at the same moment (parallel grading workers, parallel test workers) can
    otherwise pick the same free port: jupyter_client finds one, closes it, and the kernel binds
    it later, so one of them dies with "Address already in use". Sockets need no network either.
    """
    return {"transport": "ipc", "ip": os.path.join(folder, "kernel-ipc")}


class _SandboxRunner:
    def __init__(self, limits: Limits, emit, probe_mimetype: str) -> None:
        self.limits, self.emit, self.probe_mimetype = limits, emit, probe_mimetype

    async def run(self, cwd: str, name: str, read_notebook) -> SandboxResult | None:
        """Start the kernel and warm it, then read the notebook (``read_notebook()`` blocks
        until the parent sends it) and run it. None if the parent sent none."""
        import nbformat
        from jupyter_client.manager import AsyncKernelManager
        from nbclient.exceptions import CellTimeoutError, DeadKernelError

        limits = self.limits
        client_class = _make_client_class(self.probe_mimetype)
        # Unix sockets beside the connection file: no network needed, nothing in the notebook's
        # folder but the notebook.
        runtime = os.environ["JUPYTER_RUNTIME_DIR"]
        manager = AsyncKernelManager(kernel_name=KERNEL_NAME, **ipc_transport(runtime))
        client = client_class(
            nbformat.v4.new_notebook(),
            km=manager,
            limits=limits,
            timeout=limits.cell_timeout,
            startup_timeout=limits.startup_timeout,
            interrupt_on_timeout=True,
            allow_errors=True,
            record_timing=False,
            iopub_timeout=5,
            raise_on_iopub_timeout=True,
            shutdown_kernel="immediate",
            kernel_name=KERNEL_NAME,
            on_cell_executed=_on_cell_executed,
        )
        failure = None
        try:
            await client.async_start_new_kernel(cwd=cwd)
            process = getattr(manager.provisioner, "process", None)
            self.emit("kernel", pid=getattr(process, "pid", None))
            await client.async_start_new_kernel_client()
            await self._warm(client)
        except Exception as error:
            failure = SandboxResult(SANDBOX_ERROR, f"The kernel did not start: {error!r}.")
        text = await asyncio.get_running_loop().run_in_executor(None, read_notebook)
        if failure is not None or not text:
            await self._shutdown(client)
            return failure
        try:
            nb = nbformat.reads(text.decode("utf-8"), as_version=4)
            nbformat.write(nb, os.path.join(cwd, name))
        except Exception as error:
            await self._shutdown(client)
            return SandboxResult(INVALID, f"Nothing was run: {error!r}.")
        self.nb = client.nb = nb
        deadline = time.monotonic() + limits.total_timeout
        status, message, stopped_at = OK, "Every cell ran.", None
        try:
            for index, cell in enumerate(self.nb.cells):
                if cell.cell_type != "code" or not cell.source.strip():
                    continue
                remaining = deadline - time.monotonic()
                if remaining < 1:
                    status, stopped_at = TIMEOUT, index
                    message = (
                        f"The notebook reached the overall time limit of {limits.total_timeout} s"
                        f" before cell {index + 1}; the remaining cells did not run."
                    )
                    break
                client.timeout = max(1, int(min(limits.cell_timeout, remaining)))
                client.error_on_timeout = {
                    "ename": "CellTimeoutError",
                    "evalue": f"the cell ran longer than {client.timeout} s and was interrupted",
                    "traceback": [f"CellTimeoutError: cell ran longer than {client.timeout} s"],
                }
                self.emit("cell", index=index)
                try:
                    await client.async_execute_cell(
                        cell, index, execution_count=client.code_cells_executed + 1
                    )
                except DeadKernelError:
                    status, stopped_at = KERNEL_DIED, index
                    message = (
                        f"The kernel stopped while cell {index + 1} was running (the code may"
                        " have exited the process or used too much memory); later cells did"
                        " not run."
                    )
                    break
                except CellTimeoutError:
                    status, stopped_at = UNRESPONSIVE, index
                    message = (
                        f"Cell {index + 1} ran longer than {client.timeout} s and did not stop"
                        " when interrupted; later cells did not run."
                    )
                    _record_timeout(cell, client.timeout)
                    break
                if client.timeout < limits.cell_timeout and _timed_out(cell):
                    status, stopped_at = TIMEOUT, index
                    message = (
                        f"The notebook reached the overall time limit of {limits.total_timeout} s"
                        f" in cell {index + 1}; later cells did not run."
                    )
                    break
        except Exception as error:
            status, message = SANDBOX_ERROR, f"Execution failed: {error!r}."
        finally:
            await self._shutdown(client)
        return SandboxResult(
            status,
            message,
            notebook=json.dumps(self.nb),
            cell=stopped_at,
            cell_errors=_cell_errors(self.nb),
            truncated_cells=sorted(client.truncated),
        )

    async def _warm(self, client) -> None:
        """Import :data:`WARM_IMPORTS` in the kernel, silently, and wait until it is idle."""
        code = "; ".join(f"import {name}" for name in WARM_IMPORTS)
        msg_id = client.kc.execute(code, silent=True, store_history=False)
        deadline = time.monotonic() + self.limits.startup_timeout
        while True:
            reply = await client.kc.get_shell_msg(timeout=max(0.1, deadline - time.monotonic()))
            if reply.get("parent_header", {}).get("msg_id") == msg_id:
                return

    async def _shutdown(self, client) -> None:
        try:
            await asyncio.wait_for(client._async_cleanup_kernel(), timeout=10)
        except Exception:
            pass


def _timed_out(cell) -> bool:
    return any(o.get("ename") == "CellTimeoutError" for o in cell.get("outputs", []))


def _record_timeout(cell, seconds: int) -> None:
    from nbformat.v4 import new_output

    if not _timed_out(cell):
        cell.outputs.append(
            new_output(
                "error",
                ename="CellTimeoutError",
                evalue=f"the cell ran longer than {seconds} s and did not stop when interrupted",
                traceback=[f"CellTimeoutError: the cell ran longer than {seconds} s"],
            )
        )


def _on_cell_executed(cell, cell_index, execute_reply) -> None:
    """nbclient turns a timeout into an error *reply*; make it an error *output* as well (as
    nbgrader's Execute does), so that the cell shows why it stopped."""
    content = (execute_reply or {}).get("content", {})
    if content.get("status") == "error" and content.get("ename") == "CellTimeoutError":
        from nbformat.v4 import new_output

        if not _timed_out(cell):
            cell.outputs.append(
                new_output(
                    "error",
                    ename="CellTimeoutError",
                    evalue=str(content.get("evalue", "")),
                    traceback=list(content.get("traceback", [])),
                )
            )


def _cell_errors(nb) -> list[dict[str, Any]]:
    errors = []
    for index, cell in enumerate(nb.cells):
        for output in cell.get("outputs", []) if cell.cell_type == "code" else []:
            if output.get("output_type") == "error":
                errors.append(
                    {
                        "cell": index,
                        "ename": str(output.get("ename", ""))[:200],
                        "evalue": str(output.get("evalue", ""))[:2000],
                    }
                )
                break
    return errors


if __name__ == "__main__":
    sys.exit(_driver_main())
