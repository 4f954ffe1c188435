#!/usr/bin/env python3
"""Set up and use the course with one command: ``python3 course.py lab`` or ``... test``.

This script uses only the standard library, so any Python 3.11+ can run it on a fresh machine.
It keeps a private virtual environment in ``.venv`` beside it:

* the environment is created if it is missing, and re-created if its interpreter no longer
  starts or is older than Python 3.11;
* the project is installed into it in editable mode with the extra that the command needs
  (``lab`` -> ``.[course]``, ``test`` -> ``.[test]``);
* the versions are the tested ones: pip installs with the constraints file
  ``requirements/constraints.txt`` (``pip install -c requirements/constraints.txt -e .[test]``);
* a stamp file inside ``.venv`` records a digest of ``pyproject.toml``, that lock and the
  installed extras, so a second run skips pip entirely and says "environment up to date".

Everything after the command name is passed on: to JupyterLab for ``lab``, to pytest for
``test``. The exit code of the command is the exit code of this script.
"""

from __future__ import annotations

import argparse
import hashlib
import os
import shutil
import subprocess
import sys
import time
import venv
from pathlib import Path

MIN_PYTHON = (3, 11)
ROOT = Path(__file__).resolve().parent
VENV_DIR = ROOT / ".venv"
STAMP_NAME = "nnfs-course.stamp"
# The exact versions the project is tested with (a pip constraints file; requirements/lock.py
# writes it). pip installs with it, and a changed lock means installing again.
LOCK_PATH = Path("requirements") / "constraints.txt"
PROJECT_NAME = "nnfs-course"
# The importable packages of the project; which of them exist is part of the stamp, because an
# editable install only maps the packages that were present when it was made.
PACKAGES = ("nnfs_core", "autograder")
# The pyproject extra each command needs.
COMMAND_EXTRAS = {"lab": "course", "test": "test", "progress": "course"}
WORKSPACE_ENV = "NNFS_WORKSPACE"
# Set for the test run, so tests can tell that course.py prepared this environment.
RUN_MARKER_ENV = "NNFS_COURSE_TEST_RUN"
# pytest's exit code when it collected no test at all.
PYTEST_NO_TESTS = 5


def say(message: str) -> None:
    """Print one short progress line, flushed so it interleaves correctly with child output."""
    print(f"[course] {message}", flush=True)


# --------------------------------------------------------------------------------------------
# The virtual environment
# --------------------------------------------------------------------------------------------


def venv_bin(venv_dir: Path) -> Path:
    return venv_dir / ("Scripts" if os.name == "nt" else "bin")


def venv_python(venv_dir: Path) -> Path:
    return venv_bin(venv_dir) / ("python.exe" if os.name == "nt" else "python")


def python_version(python: Path) -> tuple[int, int] | None:
    """The (major, minor) version of an interpreter, or None if it does not run."""
    if not python.exists():
        return None
    try:
        result = subprocess.run(
            [str(python), "-c", "import sys; print('%d.%d' % sys.version_info[:2])"],
            capture_output=True,
            text=True,
            timeout=60,
        )
    except (OSError, subprocess.SubprocessError):
        return None
    if result.returncode != 0:
        return None
    try:
        major, minor = result.stdout.strip().split(".")
        return int(major), int(minor)
    except ValueError:
        return None


def ensure_venv(venv_dir: Path, *, with_pip: bool = True) -> Path:
    """Return the interpreter of a working Python 3.11+ environment at ``venv_dir``.

    An existing environment is reused as it is. One whose interpreter is missing, broken or
    too old is removed and created again with the interpreter running this script.
    """
    python = venv_python(venv_dir)
    version = python_version(python)
    if version is not None and version >= MIN_PYTHON:
        return python
    if venv_dir.exists():
        reason = "does not start" if version is None else f"is Python {version[0]}.{version[1]}"
        say(f"the environment in {venv_dir} {reason}: creating it again")
        shutil.rmtree(venv_dir)
    else:
        say(f"creating the environment in {venv_dir}")
    venv.EnvBuilder(with_pip=with_pip, clear=True, symlinks=os.name != "nt").create(venv_dir)
    return python


def present_packages(root: Path) -> list[str]:
    return [name for name in PACKAGES if (root / name / "__init__.py").is_file()]


def stamp_digest(root: Path, extra: str) -> str:
    """A digest of everything that decides what ``pip install -e .[extra]`` does."""
    digest = hashlib.sha256()
    digest.update((root / "pyproject.toml").read_bytes())
    lock = root / LOCK_PATH
    digest.update(b"\0lock=" + (lock.read_bytes() if lock.is_file() else b"(none)"))
    digest.update(b"\0extra=" + extra.encode())
    digest.update(b"\0packages=" + ",".join(present_packages(root)).encode())
    return digest.hexdigest()


def implied_extras(root: Path, extra: str) -> set[str]:
    """The extra and every extra it pulls in through a self-reference such as
    ``nnfs-course[course]``: installing ``test`` also satisfies ``course``."""
    import re
    import tomllib

    with open(root / "pyproject.toml", "rb") as file:
        project = tomllib.load(file).get("project", {})
    optional = project.get("optional-dependencies", {})
    own_name = re.sub(r"[-_.]+", "-", project.get("name", PROJECT_NAME)).lower()
    self_ref = re.compile(r"^\s*([A-Za-z0-9][A-Za-z0-9._-]*)\s*\[([^\]]*)\]")
    found: set[str] = set()
    pending = [extra]
    while pending:
        current = pending.pop()
        if current in found:
            continue
        found.add(current)
        for requirement in optional.get(current, []):
            match = self_ref.match(requirement)
            if match and re.sub(r"[-_.]+", "-", match.group(1)).lower() == own_name:
                pending.extend(part.strip() for part in match.group(2).split(","))
    return found


def read_stamp(venv_dir: Path) -> set[str]:
    try:
        return set((venv_dir / STAMP_NAME).read_text().split())
    except OSError:
        return set()


def stamp_is_current(venv_dir: Path, root: Path, extra: str) -> bool:
    return stamp_digest(root, extra) in read_stamp(venv_dir)


def record_stamp(venv_dir: Path, root: Path, extra: str) -> None:
    """Record that ``extra`` (and every extra it implies) is installed for this pyproject.
    Digests left over from an older pyproject are dropped."""
    optional = set(_optional_extras(root))
    current = {stamp_digest(root, name) for name in optional | {extra}}
    kept = read_stamp(venv_dir) & current
    added = {stamp_digest(root, name) for name in implied_extras(root, extra)}
    (venv_dir / STAMP_NAME).write_text("".join(f"{d}\n" for d in sorted(kept | added)))


def _optional_extras(root: Path) -> list[str]:
    import tomllib

    with open(root / "pyproject.toml", "rb") as file:
        return list(tomllib.load(file).get("project", {}).get("optional-dependencies", {}))


def pip_install_command(python: Path, root: Path, extra: str) -> list[str]:
    """``python -m pip install -c requirements/constraints.txt --editable .[extra]``: the
    project with one extra, every distribution at the version in the lock. Without a lock (a
    copy of the project that lost it) pip resolves freely."""
    command = [
        str(python),
        *("-m", "pip", "install", "--quiet", "--disable-pip-version-check"),
        *("--progress-bar", "off"),
    ]
    if (root / LOCK_PATH).is_file():
        command += ["--constraint", str(LOCK_PATH)]
    return [*command, "--editable", f".[{extra}]"]


def pip_install(python: Path, root: Path, extra: str) -> None:
    """Install the project in editable mode with one extra, making sure pip itself is there."""
    has_pip = subprocess.run(
        [str(python), "-m", "pip", "--version"], capture_output=True
    ).returncode
    if has_pip != 0:
        say("the environment has no pip: adding it with ensurepip")
        subprocess.run([str(python), "-m", "ensurepip", "--upgrade"], check=True)
    if not (root / LOCK_PATH).is_file():
        say(f"no {LOCK_PATH}: installing the newest versions pyproject.toml allows")
    say(f"installing the project with the '{extra}' extra (the first time takes a few minutes)")
    subprocess.run(pip_install_command(python, root, extra), cwd=root, check=True)


def ensure_environment(
    extra: str,
    *,
    root: Path = ROOT,
    venv_dir: Path | None = None,
    reinstall: bool = False,
    with_pip: bool = True,
    installer=pip_install,
) -> Path:
    """Make ``venv_dir`` (default ``root/.venv``) hold the project with ``extra``; return its
    interpreter. pip runs only when the stamp says the installation is not current."""
    venv_dir = venv_dir if venv_dir is not None else root / ".venv"
    python = ensure_venv(venv_dir, with_pip=with_pip)
    if not reinstall and stamp_is_current(venv_dir, root, extra):
        say(f"environment up to date ({venv_dir.name}, extra '{extra}')")
        return python
    if reinstall:
        (venv_dir / STAMP_NAME).unlink(missing_ok=True)
    installed_for = stamp_digest(root, extra)
    installer(python, root, extra)
    if stamp_digest(root, extra) != installed_for:
        # pip read the old files; a stamp of the new ones would skip the install they need.
        say("pyproject.toml or the lock changed during the install: pip runs again next time")
        return python
    record_stamp(venv_dir, root, extra)
    say("environment ready")
    return python


BLAS_THREAD_VARIABLES = ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS")


def venv_environ(venv_dir: Path) -> dict[str, str]:
    """The process environment with the virtual environment activated, so that tools started by
    tests (jupyter, nbgrader, ruff) are the environment's own."""
    env = dict(os.environ)
    env["VIRTUAL_ENV"] = str(venv_dir)
    env["PATH"] = os.pathsep.join([str(venv_bin(venv_dir)), env.get("PATH", "")])
    env.pop("PYTHONHOME", None)
    # The course's networks are small: on a shared 2-core machine a multi-threaded BLAS spends
    # more time handing tiny matrix products between threads than computing them (measured:
    # 23 ms vs 1.7 ms per epoch of the chapter 17 model with the other core busy). One thread
    # per process, unless the user chose otherwise; kernels started by JupyterLab inherit it.
    for variable in BLAS_THREAD_VARIABLES:
        env.setdefault(variable, "1")
    return env


# --------------------------------------------------------------------------------------------
# course.py test
# --------------------------------------------------------------------------------------------


# The browser tests (marker ``browser``) drive JupyterLab in Debian's Chromium through Playwright;
# Playwright's own browser download is never used. NNFS_CHROMIUM points them at another Chromium,
# and NNFS_ALLOW_NO_BROWSER=1 lets them skip (locally) when there is none.
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ENV = "NNFS_CHROMIUM"
ALLOW_NO_BROWSER_ENV = "NNFS_ALLOW_NO_BROWSER"
CHROMIUM_PACKAGE = "chromium"
CHROMIUM_HOW_TO_INSTALL = (
    "install it with `sudo apt-get install chromium` (Debian, Ubuntu), or set "
    f"{CHROMIUM_ENV}=/path/to/chromium, or set {ALLOW_NO_BROWSER_ENV}=1 to skip the browser tests"
)


def chromium_executable(environ: dict[str, str] | None = None) -> Path:
    """The Chromium the browser tests launch: $NNFS_CHROMIUM, else Debian's /usr/bin/chromium."""
    environ = os.environ if environ is None else environ
    return Path(environ.get(CHROMIUM_ENV) or CHROMIUM)


def _is_executable(path: Path) -> bool:
    return path.is_file() and os.access(path, os.X_OK)


def prepare_test_system(
    *,
    environ: dict[str, str] | None = None,
    run=subprocess.run,
    which=shutil.which,
    euid: int | None = None,
) -> bool:
    """Install what the test suite needs from outside Python, before the tests run; return
    whether all of it is there.

    Today that is Chromium for the browser tests. When ``/usr/bin/chromium`` is missing and this
    process is root on a system with apt-get (a fresh container, CI), Debian's ``chromium``
    package is installed with ``apt-get update`` and ``apt-get install -y
    --no-install-recommends chromium``. Otherwise nothing is installed and a line says how to
    install it; the browser tests then fail with the same advice (not skip, so CI cannot pass
    without them), unless NNFS_ALLOW_NO_BROWSER=1.
    """
    environ = os.environ if environ is None else environ
    chromium = chromium_executable(environ)
    if _is_executable(chromium):
        return True
    if environ.get(CHROMIUM_ENV):
        say(f"{CHROMIUM_ENV}={chromium} is not an executable file: the browser tests will fail")
        return False
    if environ.get(ALLOW_NO_BROWSER_ENV) == "1":
        say(f"no {chromium}: the browser tests will be skipped ({ALLOW_NO_BROWSER_ENV}=1)")
        return False
    if euid is None:
        euid = os.geteuid() if hasattr(os, "geteuid") else -1
    apt_get = which("apt-get")
    if euid != 0 or apt_get is None:
        why = "not running as root" if apt_get else "no apt-get on this system"
        say(
            f"no {chromium} for the browser tests, and {why} to install it: "
            + CHROMIUM_HOW_TO_INSTALL
        )
        return False
    say(
        f"no {chromium}: installing Debian's {CHROMIUM_PACKAGE} package for the browser tests "
        "(about 100 MB to download, once)"
    )
    started = time.monotonic()
    apt_environ = {**environ, "DEBIAN_FRONTEND": "noninteractive"}
    for command in (
        [apt_get, "-q", "update"],
        [apt_get, "-q", "install", "-y", "--no-install-recommends", CHROMIUM_PACKAGE],
    ):
        say("running " + " ".join(command))
        result = run(command, env=apt_environ, capture_output=True, text=True)
        if result.returncode != 0:
            output = (result.stdout or "") + (result.stderr or "")
            print(output[-3000:], flush=True)
            say(
                f"FAILED to install {CHROMIUM_PACKAGE} (exit code {result.returncode}); the "
                f"browser tests will fail: {CHROMIUM_HOW_TO_INSTALL}"
            )
            return False
    if not _is_executable(chromium):
        say(
            f"apt-get installed {CHROMIUM_PACKAGE} but there is no {chromium}: "
            f"{CHROMIUM_HOW_TO_INSTALL}"
        )
        return False
    say(f"installed {chromium} in {time.monotonic() - started:.0f} s")
    return True


def registered_markers(root: Path = ROOT) -> set[str]:
    """The marker names ``pyproject.toml`` registers for pytest (``ch01`` ... ``project``)."""
    import tomllib

    with open(root / "pyproject.toml", "rb") as file:
        options = tomllib.load(file).get("tool", {}).get("pytest", {}).get("ini_options", {})
    return {entry.split(":", 1)[0].split("(", 1)[0].strip() for entry in options.get("markers", [])}


def unknown_markers(pytest_args: list[str], known: set[str]) -> list[str]:
    """Names in ``-m EXPR`` that are not registered markers (``and``/``or``/``not`` are words of
    the expression). pytest reports them itself, but under pytest-xdist as an INTERNALERROR
    traceback from a worker, which hides the real mistake."""
    import re

    expressions = []
    items = iter(pytest_args)
    for item in items:
        if item == "-m":
            expressions.append(next(items, ""))
        elif item.startswith("-m") and len(item) > 2 and not item[2:].isdigit():
            expressions.append(item[2:].lstrip("="))
    names = []
    for expression in expressions:
        for name in re.findall(r"[A-Za-z_][A-Za-z0-9_]*", expression):
            if name not in ("and", "or", "not") and name not in known and name not in names:
                names.append(name)
    return names


TEST_STAGES = ("ruff check", "ruff format --check", "pytest")


BUBBLEWRAP_PACKAGE = "bubblewrap"


def prepare_grading_sandbox(
    *, run=subprocess.run, which=shutil.which, euid: int | None = None
) -> bool:
    """Make sure bubblewrap (``bwrap``), which builds the grading sandbox's walls, is there.

    The grading tests need it, as does an instructor's ``nnfs-grade autograde`` (which refuses
    without it). As root with apt-get (a fresh container, CI) Debian's ``bubblewrap`` package is
    installed; otherwise a line says how. Returns whether ``bwrap`` is available."""
    if which("bwrap"):
        return True
    if euid is None:
        euid = os.geteuid() if hasattr(os, "geteuid") else -1
    apt_get = which("apt-get")
    if euid != 0 or apt_get is None:
        say(
            "no bwrap for the grading sandbox: install it with `sudo apt-get install bubblewrap`"
            " (Debian, Ubuntu) or your system's bubblewrap package; the grading tests will fail"
        )
        return False
    say(f"no bwrap: installing Debian's {BUBBLEWRAP_PACKAGE} package for the grading sandbox")
    apt_environ = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    install = [apt_get, "-q", "install", "-y", "--no-install-recommends", BUBBLEWRAP_PACKAGE]
    for command in ([apt_get, "-q", "update"], install):
        result = run(command, env=apt_environ, capture_output=True, text=True)
        if result.returncode != 0:
            print(((result.stdout or "") + (result.stderr or ""))[-3000:], flush=True)
            say(f"FAILED to install {BUBBLEWRAP_PACKAGE} (exit code {result.returncode})")
            return False
    return bool(which("bwrap"))


def run_test_suite(
    python: Path,
    pytest_args: list[str],
    *,
    root: Path = ROOT,
    env: dict[str, str] | None = None,
    run=subprocess.call,
) -> int:
    """Lint, check formatting, then run pytest; return 0 only if all three succeeded.

    All three always run, so one report shows every problem. Nothing is printed after pytest's
    own closing line when everything passed.
    """
    steps = [
        ("ruff check", [str(python), "-m", "ruff", "check", "."]),
        ("ruff format --check", [str(python), "-m", "ruff", "format", "--check", "."]),
    ]
    failed: list[str] = []
    total = len(steps) + 1
    for number, (name, command) in enumerate(steps, start=1):
        say(f"step {number} of {total}: {name}")
        if run(command, cwd=root, env=env) != 0:
            failed.append(name)
    say(
        f"step {total} of {total}: pytest {' '.join(pytest_args)}".rstrip()
        + " (the whole suite takes about 30 minutes on 2 cores;"
        " the percentage at the end of each line is how far it is)"
    )
    pytest_code = run([str(python), "-m", "pytest", *pytest_args], cwd=root, env=env)
    if pytest_code == PYTEST_NO_TESTS:
        say("FAILED: pytest collected no tests (exit code 5); a run that tests nothing fails")
        failed.append("pytest (no tests collected)")
    elif pytest_code != 0:
        failed.append(f"pytest (exit code {pytest_code})")
    if not failed:
        return 0
    say("FAILED: " + ", ".join(failed))
    return pytest_code if pytest_code != 0 else 1


# How many pytest-xdist workers `course.py test` starts when not told (-n/--numprocesses, or
# $NNFS_TEST_WORKERS; 1 runs without xdist). Most of the suite's time is notebooks executing in
# fresh kernels and the nbgrader CLI starting up, which spreads well over the machine's cores.
TEST_WORKERS_ENV = "NNFS_TEST_WORKERS"
MAX_DEFAULT_WORKERS = 4


def parallel_arguments(pytest_args: list[str], environ: dict[str, str] | None = None) -> list[str]:
    """``-n N --dist loadgroup`` to put before ``pytest_args``, or nothing.

    Nothing when the caller already chose (``-n``, ``--numprocesses``, ``-p no:xdist``) or asked
    for one worker. ``loadgroup`` keeps the tests that share an expensive fixture on one worker
    (tests/conftest.py puts them in an ``xdist_group``).
    """
    environ = os.environ if environ is None else environ
    chosen = any(
        arg in ("-n", "--numprocesses", "no:xdist")
        or arg.startswith(("-n=", "--numprocesses=", "-pno:xdist"))
        or (arg.startswith("-n") and arg[2:].isdigit())
        for arg in pytest_args
    )
    if chosen:
        return []
    wanted = environ.get(TEST_WORKERS_ENV, "").strip()
    if wanted:
        if not wanted.isdigit() or int(wanted) < 1:
            raise SystemExit(
                f"course.py: {TEST_WORKERS_ENV}={wanted!r} is not a number of workers;"
                " expected a whole number such as 1 (no parallelism) or 2"
            )
        workers = int(wanted)
    else:
        workers = min(os.cpu_count() or 1, MAX_DEFAULT_WORKERS)
    return [] if workers <= 1 else ["-n", str(workers), "--dist", "loadgroup"]


def command_test(options: argparse.Namespace, passthrough: list[str]) -> int:
    known = registered_markers()
    unknown = unknown_markers(passthrough, known)
    if unknown:
        chapters = sorted(name for name in known if name.startswith("ch"))
        others = sorted(name for name in known if not name.startswith("ch") and "_" not in name)
        say(
            f"unknown marker {', '.join(repr(n) for n in unknown)} in -m: the markers are "
            f"{chapters[0]} to {chapters[-1]} (one per chapter) and {', '.join(others)}; "
            'e.g. python3 course.py test -m ch10, or -m "ch14 or ch15"'
        )
        return 4  # pytest's own exit code for a usage error
    python = ensure_environment("test", venv_dir=options.venv, reinstall=options.reinstall)
    prepare_test_system()
    prepare_grading_sandbox()
    env = venv_environ(options.venv)
    env[RUN_MARKER_ENV] = "1"
    return run_test_suite(python, [*parallel_arguments(passthrough), *passthrough], env=env)


# --------------------------------------------------------------------------------------------
# course.py lab
# --------------------------------------------------------------------------------------------


def seed_workspace(
    python: Path, source: Path, workspace: Path, *, env: dict[str, str] | None = None, run=None
) -> int:
    """Put the released version of every chapter notebook under ``source`` (solutions and
    hidden tests removed by nbgrader) into ``workspace``, never overwriting a notebook the
    learner changed: a newer course version then goes beside it, and a message says so.
    ``autograder.workspace`` does the work inside the course environment, where nbgrader is.
    Returns its exit code."""
    workspace.mkdir(parents=True, exist_ok=True)
    command = [str(python), "-m", "autograder.workspace", str(source), str(workspace)]
    return (run or subprocess.call)(command, env=env)


def split_workspace_option(args: list[str]) -> tuple[str | None, list[str]]:
    """Take ``--workspace DIR`` or ``--workspace=DIR`` out of the arguments meant for JupyterLab."""
    workspace = None
    rest: list[str] = []
    items = iter(args)
    for item in items:
        if item == "--workspace":
            workspace = next(items, None)
            if workspace is None:
                raise SystemExit("course.py: --workspace needs a directory")
        elif item.startswith("--workspace="):
            workspace = item.split("=", 1)[1]
        else:
            rest.append(item)
    return workspace, rest


# Learner mode: nbgrader's instructor tools are switched off in the learner's JupyterLab (they
# make, collect and grade assignments, which a self-paced learner never does). The Validate
# button stays: it runs a notebook's tests as nbgrader would. Instructors start JupyterLab
# themselves (or `course.py lab --instructor`) and keep everything.
LEARNER_CONFIG_DIR = "nnfs-learner-jupyter-config"
INSTRUCTOR_LAB_PLUGINS = (
    "@jupyter/nbgrader:formgrader",
    "@jupyter/nbgrader:create-assignment",
    "@jupyter/nbgrader:course-list",
    "@jupyter/nbgrader:assignment-list",
    "@jupyter/nbgrader:menu",
)
INSTRUCTOR_SERVER_EXTENSIONS = (
    "nbgrader.server_extensions.formgrader",
    "nbgrader.server_extensions.assignment_list",
    "nbgrader.server_extensions.course_list",
)


def write_learner_config(folder: Path) -> Path:
    """A Jupyter config folder that switches off the instructor extensions; JupyterLab reads
    it first when ``JUPYTER_CONFIG_PATH`` names it (see :func:`learner_environ`)."""
    import json

    (folder / "labconfig").mkdir(parents=True, exist_ok=True)
    page = {"disabledExtensions": {name: True for name in INSTRUCTOR_LAB_PLUGINS}}
    (folder / "labconfig" / "page_config.json").write_text(json.dumps(page, indent=1) + "\n")
    server = {
        "ServerApp": {"jpserver_extensions": dict.fromkeys(INSTRUCTOR_SERVER_EXTENSIONS, False)}
    }
    (folder / "jupyter_server_config.json").write_text(json.dumps(server, indent=1) + "\n")
    return folder


def learner_environ(env: dict[str, str], venv_dir: Path) -> dict[str, str]:
    """``env`` with the learner-mode config folder first on ``JUPYTER_CONFIG_PATH``."""
    folder = write_learner_config(venv_dir / LEARNER_CONFIG_DIR)
    paths = [str(folder), *filter(None, env.get("JUPYTER_CONFIG_PATH", "").split(os.pathsep))]
    return {**env, "JUPYTER_CONFIG_PATH": os.pathsep.join(paths)}


def chosen_workspace(options: argparse.Namespace, args: list[str]) -> tuple[Path, list[str]]:
    """The workspace (``--workspace DIR`` after the command, before it, $NNFS_WORKSPACE, or
    workspace/) and the arguments left."""
    from_args, rest = split_workspace_option(args)
    chosen = from_args or options.workspace or os.environ.get(WORKSPACE_ENV)
    return (Path(chosen).resolve() if chosen else ROOT / "workspace"), rest


def split_flag(args: list[str], flag: str) -> tuple[bool, list[str]]:
    return flag in args, [arg for arg in args if arg != flag]


def command_lab(options: argparse.Namespace, passthrough: list[str]) -> int:
    workspace, jupyter_args = chosen_workspace(options, passthrough)
    instructor, jupyter_args = split_flag(jupyter_args, "--instructor")
    python = ensure_environment("course", venv_dir=options.venv, reinstall=options.reinstall)
    env = venv_environ(options.venv)
    if not instructor:
        env = learner_environ(env, options.venv)
    say(f"workspace {workspace}")
    if seed_workspace(python, ROOT / "notebooks", workspace, env=env) != 0:
        say("some chapters could not be prepared (see above); starting JupyterLab anyway")
    if getattr(os, "geteuid", lambda: -1)() == 0 and "--allow-root" not in jupyter_args:
        # JupyterLab refuses to start as root without it; containers and CI often are root.
        say("running as root: passing --allow-root to JupyterLab")
        jupyter_args.append("--allow-root")
    jupyter = venv_bin(options.venv) / ("jupyter.exe" if os.name == "nt" else "jupyter")
    command = [str(jupyter), "lab", f"--notebook-dir={workspace}", *jupyter_args]
    say("starting JupyterLab (stop it with Ctrl-C)")
    if os.name == "posix":
        # Become JupyterLab: signals and the exit code are then JupyterLab's own.
        os.execve(command[0], command, env)
    try:
        return subprocess.call(command, env=env)
    except KeyboardInterrupt:
        return 130


# --------------------------------------------------------------------------------------------
# course.py progress
# --------------------------------------------------------------------------------------------


def command_progress(options: argparse.Namespace, passthrough: list[str]) -> int:
    """Run the learner's notebooks (``autograder.progress``, in the course environment) and
    print which graded pieces pass, chapter by chapter."""
    workspace, rest = chosen_workspace(options, passthrough)
    python = ensure_environment("course", venv_dir=options.venv, reinstall=options.reinstall)
    env = venv_environ(options.venv)
    command = [str(python), "-m", "autograder.progress", str(workspace), *rest]
    return subprocess.call(command, env=env)


# --------------------------------------------------------------------------------------------
# Command line
# --------------------------------------------------------------------------------------------

COMMANDS_IN_ONE_LINE = """\
python3 course.py lab        open the chapter notebooks in JupyterLab (your workspace/)
python3 course.py progress   which graded pieces of each chapter pass in your workspace
python3 course.py test       run the project's own checks (ruff and pytest)
python3 course.py --help     more about each command and its options"""

DESCRIPTION = """\
Set up and use the "Neural Networks from Scratch" course.

commands:
  lab    open the chapter notebooks in JupyterLab.
         Creates .venv and installs the project with the 'course' extra if needed, puts the
         student version of each notebook (no solutions) into the workspace (default:
         workspace/) without overwriting your changes: a newer course version of a notebook
         you changed goes beside it. Then runs `jupyter lab` there.
         Arguments after `lab` go to JupyterLab, e.g. --port 8899 --no-browser.
         `--workspace DIR` (or the NNFS_WORKSPACE variable) chooses another workspace.
         nbgrader's instructor tools (formgrader, Create Assignment, the course list) are
         switched off; `--instructor` keeps them. The Validate button is always there.
  progress
         run your workspace's notebooks in a separate process (a progress bar shows
         which) and print, chapter by chapter, which graded pieces pass, with totals.
         Notebooks unchanged since the last run are not run again.
         `--workspace DIR` as for lab; --rerun runs every notebook again.
  test   run the project's checks: ruff check, ruff format --check and pytest.
         Creates .venv and installs the project with the 'test' extra if needed, and, when
         /usr/bin/chromium is missing and this runs as root with apt-get, Debian's chromium for
         the browser tests (elsewhere: NNFS_CHROMIUM=/path/to/chromium, or
         NNFS_ALLOW_NO_BROWSER=1 to skip them).
         Arguments after `test` go to pytest, e.g. -m ch10, -k softmax, -x, -n 2.
         Runs on one pytest-xdist worker per core (at most 4) unless given -n N;
         NNFS_TEST_WORKERS=1 runs everything in one process.
         Fails when any of the three fails, and when pytest collects no test.

The environment is reused: pip runs only when pyproject.toml or the lock of tested versions
(requirements/constraints.txt) changed since the last install.
"""


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="course.py",
        description=DESCRIPTION,
        formatter_class=argparse.RawDescriptionHelpFormatter,
        usage="python3 course.py [--reinstall] [--workspace DIR] {lab,progress,test} [ARGS...]",
    )
    parser.add_argument(
        "--reinstall",
        action="store_true",
        help="run pip even if the environment looks up to date",
    )
    parser.add_argument("--workspace", help="learner workspace for `lab` (default: workspace/)")
    parser.add_argument("command", choices=sorted(COMMAND_EXTRAS), help="lab, progress or test")
    parser.add_argument("args", nargs=argparse.REMAINDER, help="passed to JupyterLab or pytest")
    return parser


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if not [arg for arg in argv if arg != "--reinstall"]:
        print("Neural Networks from Scratch: the course. Commands:\n" + COMMANDS_IN_ONE_LINE)
        return 2
    options = build_parser().parse_args(argv)
    options.venv = VENV_DIR
    commands = {"lab": command_lab, "test": command_test, "progress": command_progress}
    try:
        return commands[options.command](options, list(options.args))
    except subprocess.CalledProcessError as error:
        say(f"FAILED: {' '.join(map(str, error.cmd))} exited with code {error.returncode}")
        return error.returncode or 1
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    if sys.version_info < MIN_PYTHON:
        # Kept to syntax that old interpreters can parse, so they can print this line.
        needed = ".".join(map(str, MIN_PYTHON))
        sys.stderr.write(f"course.py needs Python {needed} or newer; this is {sys.version}\n")
        sys.exit(1)
    sys.exit(main())
