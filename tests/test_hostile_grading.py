"""Grading holds against hostile submissions, as root and as an ordinary user.

One ch09 course gets the submissions of ``tests/hostile_submissions.py`` (31 attacks on the
grader, on other submissions and on the machine), three honest solutions spread among them
and the untouched release. The real ``nnfs-grade autograde`` grades the batch

* as root, serially and with ``--workers 2``;
* as an unprivileged user that the test creates, with ``--workers 2`` and serially: first
  without ``--allow-weak-isolation`` (refused, since an ordinary user gets no control group
  here), then with it;

and, for the time reference, a clean batch of as many honest solutions, as root, serially and
with ``--workers 2``. The tests then check: every submission graded (no batch aborted), zero
points for every attack, the honest solutions' points the same as in the clean batch, no batch
slower than the clean batch by more than a minute, nothing left behind (processes, files,
System V IPC objects, control groups, changes to the virtual environment), no connection to
the machine's Unix sockets, no channel between submissions, and clear messages.

The unprivileged user reaches this machine's Python (a pyenv build under ``/root``) through a
private mount namespace the test makes for it; nothing of the machine's permissions changes.
"""

from __future__ import annotations

import dataclasses
import fcntl
import json
import os
import pwd
import re
import shutil
import socket
import subprocess
import sys
import threading
import time
from dataclasses import dataclass
from pathlib import Path

import pytest
from hostile_submissions import HOSTILE, MARK, SHM_KEY
from test_grading import REPO, Pilot, insert_after, released, solved

from autograder import cgroups

pytestmark = [
    pytest.mark.grading,
    pytest.mark.slow,
    pytest.mark.ch09,
    pytest.mark.skipif(not sys.platform.startswith("linux"), reason="the sandbox is Linux's"),
    pytest.mark.skipif(os.geteuid() != 0, reason="creates an unprivileged user: needs root"),
]

CHAPTER, NOTEBOOK = "ch09", "ch09_backpropagation"
HONEST = ("honest_a", "honest_m", "honest_z")
USER = "nnfs-grade-trial"
VENV = Path(sys.prefix)
SLACK = 60.0  # seconds a hostile batch may take beyond a clean batch of the same size


def nnfs_grade(*args, course: Path, user: bool = False, check=True):
    command = [sys.executable, "-m", "autograder.cli", "--course", str(course), *args]
    if user:
        command = as_user(command, (str(course.parent),))
    env = dict(os.environ, OPENBLAS_NUM_THREADS="1")
    if user:
        env = {
            "PATH": f"{VENV / 'bin'}:/usr/bin:/bin",
            "HOME": str(course.parent),
            "LANG": "C.UTF-8",
            "OPENBLAS_NUM_THREADS": "1",
        }
    done = subprocess.run(command, capture_output=True, text=True, timeout=1800, env=env)
    if check and done.returncode not in (0, 2):
        raise AssertionError(f"nnfs-grade {args} failed:\n{done.stdout}\n{done.stderr}")
    return done


# -- the unprivileged user ------------------------------------------------------------------


def ensure_user() -> pwd.struct_passwd:
    try:
        return pwd.getpwnam(USER)
    except KeyError:
        subprocess.run(
            ["useradd", "--system", "--no-create-home", "--shell", "/usr/sbin/nologin", USER],
            check=True,
        )
        return pwd.getpwnam(USER)


def _blocked_ancestor(path: str) -> str | None:
    """The first folder on the way to ``path`` that others may not pass through."""
    for ancestor in reversed(Path(path).parents):
        if not os.stat(ancestor).st_mode & 0o001:
            return str(ancestor)
    return None


def as_user(command: list[str], reachable: tuple[str, ...] = ()) -> list[str]:
    """``command`` run as the trial user, in a private mount namespace where the folders it
    needs (this Python, the checkout) are reachable although a parent such as /root is 0700."""
    user = ensure_user()
    needed = sorted(
        {os.path.realpath(sys.base_prefix), os.path.realpath(sys.prefix), str(REPO), *reachable}
    )
    script = ["set -e"]
    covered: dict[str, list[str]] = {}
    for path in needed:
        blocked = _blocked_ancestor(path)
        if blocked:
            covered.setdefault(blocked, []).append(path)
    for number, (folder, paths) in enumerate(covered.items()):
        for index, path in enumerate(paths):
            stash = f"/tmp/nnfs-userns-stash-{os.getpid()}-{number}-{index}"
            script += [f"mkdir -p {stash}", f"mount --bind {path} {stash}"]
        script.append(f"mount -t tmpfs -o mode=755 tmpfs {folder}")
        for index, path in enumerate(paths):
            stash = f"/tmp/nnfs-userns-stash-{os.getpid()}-{number}-{index}"
            script += [f"mkdir -p {path}", f"mount --move {stash} {path}", f"rmdir {stash}"]
    quoted = " ".join(shlex_quote(part) for part in command)
    script.append(
        f"exec setpriv --reuid={user.pw_uid} --regid={user.pw_gid} --clear-groups -- {quoted}"
    )
    return ["unshare", "--mount", "--propagation", "private", "--", "sh", "-c", "\n".join(script)]


def shlex_quote(text: str) -> str:
    import shlex

    return shlex.quote(text)


# -- things an attack could leave behind ------------------------------------------------------


def marked_processes() -> list[str]:
    found = []
    for entry in os.scandir("/proc"):
        if not entry.name.isdigit():
            continue
        try:
            cmdline = Path(entry.path, "cmdline").read_bytes()
        except OSError:
            continue
        if MARK.encode() in cmdline and b"pytest" not in cmdline:
            found.append(f"{entry.name}: {cmdline[:120]!r}")
    return found


def marked_files() -> list[str]:
    folders = ["/tmp", "/var/tmp", "/dev/shm", "/run", "/run/lock", "/var/lock", "/etc", "/usr"]
    found = []
    for folder in [*folders, "/", "/var"]:
        try:
            found += [f"{folder}/{n}" for n in os.listdir(folder) if MARK in n]
        except OSError:
            continue
    return found


def sysv_segments() -> set[int]:
    keys = set()
    for line in Path("/proc/sysvipc/shm").read_text().splitlines()[1:]:
        keys.add(int(line.split()[0]))
    return keys


def sandbox_cgroups() -> list[str]:
    return [str(p) for p in cgroups.ours()]


def venv_listing() -> set[str]:
    site = VENV / "lib" / f"python{sys.version_info[0]}.{sys.version_info[1]}" / "site-packages"
    return {p.name for p in site.iterdir()} | {p.name for p in (VENV / "bin").iterdir()}


class SocketTrap:
    """A Unix socket that records every connection (none may come from a sandbox)."""

    def __init__(self, path: Path) -> None:
        self.path = path
        path.unlink(missing_ok=True)
        self.server = socket.socket(socket.AF_UNIX)
        self.server.bind(str(path))
        os.chmod(path, 0o777)
        self.server.listen(16)
        self.server.settimeout(0.2)
        self.connections = 0
        self.running = True
        self.thread = threading.Thread(target=self._serve, daemon=True)
        self.thread.start()

    def _serve(self) -> None:
        while self.running:
            try:
                connection, _ = self.server.accept()
                self.connections += 1
                connection.close()
            except OSError:
                continue

    def close(self) -> None:
        self.running = False
        self.thread.join(timeout=2)
        self.server.close()
        self.path.unlink(missing_ok=True)


# -- the batch --------------------------------------------------------------------------------


@dataclass
class Batch:
    name: str
    course: Path
    seconds: float
    output: str
    export: dict


@dataclass
class Trial:
    feedback: str
    batches: dict[str, Batch]
    refused: dict  # returncode and stderr of the run without --allow-weak-isolation
    before: dict
    after: dict
    socket_connections: int
    students: list[str]


def make_course(base: Path, memory: int = 2**30) -> tuple[Path, Pilot]:
    course = base / "course"
    nnfs_grade("init", str(course), "--cell-timeout", "5", course=course)
    with open(course / "nbgrader_config.py", "a") as config:
        config.write(f"\nc.IsolatedExecute.memory_limit = {memory}\n")
    nnfs_grade("release", CHAPTER, course=course)
    release = json.loads((course / "release" / CHAPTER / f"{NOTEBOOK}.ipynb").read_text())
    source = json.loads((course / "source" / CHAPTER / f"{NOTEBOOK}.ipynb").read_text())
    return course, Pilot(CHAPTER, source=source, release=release, course=course)


def collect(course: Path, pilot: Pilot, notebooks: dict[str, dict]) -> None:
    inbox = course.parent / "inbox"
    for student, notebook in notebooks.items():
        path = inbox / student / CHAPTER / f"{NOTEBOOK}.ipynb"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(notebook))
    nnfs_grade("collect", str(inbox), course=course)


def grade(name: str, course: Path, workers: int, *, user: bool = False, weak=False) -> Batch:
    args = ["autograde", CHAPTER, "--workers", str(workers)]
    if weak:
        args.append("--allow-weak-isolation")
    started = time.monotonic()
    done = nnfs_grade(*args, course=course, user=user)
    seconds = time.monotonic() - started
    export = json.loads(nnfs_grade("export", "--format", "json", course=course, user=user).stdout)
    return Batch(name, course, seconds, done.stdout + done.stderr, export)


def snapshot() -> dict:
    return {
        "processes": marked_processes(),
        "files": marked_files(),
        "shm": sysv_segments(),
        "cgroups": sandbox_cgroups(),
        "venv": venv_listing(),
    }


def run_trial(base: Path) -> Trial:
    before = snapshot()  # before anything of the trial exists, its socket traps included
    course, pilot = make_course(base)
    trap_tmp = SocketTrap(base / f"{MARK}.sock")
    trap_run = SocketTrap(Path("/run") / f"{MARK}.sock")
    fill = {
        "venv": str(VENV),
        "course": str(course),
        "repo": str(REPO),
        "socket": str(trap_tmp.path),
        "run_socket": str(trap_run.path),
        "mark": MARK,
        "key": str(SHM_KEY),
    }
    notebooks = {student: solved()(pilot) for student in HONEST}
    notebooks["untouched"] = released()(pilot)
    for student, code in HOSTILE:
        text = code
        for key, value in fill.items():
            text = text.replace("{" + key + "}", value)
        notebooks[student] = released(insert_after("ch09_imports", text))(pilot)
    collect(course, pilot, notebooks)

    batches: dict[str, Batch] = {}
    try:
        for name, workers in (("root serial", 1), ("root parallel", 2)):
            copy = base / name.replace(" ", "-")
            shutil.copytree(course, copy / "course")
            batches[name] = grade(name, copy / "course", workers)

        clean_course, clean_pilot = make_course(base / "clean")
        collect(clean_course, clean_pilot, {f"clean_{i:02d}": solved()(clean_pilot)
                                            for i in range(len(notebooks))})  # fmt: skip
        for name, workers in (("clean serial", 1), ("clean parallel", 2)):
            copy = base / name.replace(" ", "-")
            shutil.copytree(clean_course, copy / "course")
            batches[name] = grade(name, copy / "course", workers)

        user = ensure_user()
        refused = None
        for name, workers in (("user parallel", 2), ("user serial", 1)):
            home = base / name.replace(" ", "-")
            shutil.copytree(course, home / "course")
            subprocess.run(["chown", "-R", f"{user.pw_uid}:{user.pw_gid}", str(home)], check=True)
            os.chmod(home, 0o755)
            if refused is None:
                args = ["autograde", CHAPTER, "--workers", str(workers)]
                refused = nnfs_grade(*args, course=home / "course", user=True, check=False)
            batches[name] = grade(name, home / "course", workers, user=True, weak=True)
        root = batches["root serial"].course
        nnfs_grade("feedback", CHAPTER, course=root)
        pages = sorted((root / "feedback" / "html_in_feedback" / CHAPTER).glob("*.html"))
        feedback = pages[0].read_text() if pages else ""
    finally:
        connections = trap_tmp.connections + trap_run.connections
        trap_tmp.close()
        trap_run.close()
    time.sleep(1)  # let the kernel reap what was killed last
    after = snapshot()
    refused_record = {"returncode": refused.returncode, "stderr": refused.stderr}
    return Trial(feedback, batches, refused_record, before, after, connections, sorted(notebooks))


def _to_json(trial: Trial) -> dict:
    data = dataclasses.asdict(trial)
    for batch in data["batches"].values():
        batch["course"] = str(batch["course"])
    for snap in (data["before"], data["after"]):
        snap["shm"], snap["venv"] = sorted(snap["shm"]), sorted(snap["venv"])
    return data


def _from_json(data: dict) -> Trial:
    data["batches"] = {
        name: Batch(**{**batch, "course": Path(batch["course"])})
        for name, batch in data["batches"].items()
    }
    for snap in (data["before"], data["after"]):
        snap["shm"], snap["venv"] = set(snap["shm"]), set(snap["venv"])
    return Trial(**data)


@pytest.fixture(scope="module")
def trial(tmp_path_factory) -> Trial:
    """The batches are graded once per test session, even if pytest-xdist spreads these tests
    over workers: the first one grades, the others wait on a lock and read its record (two
    trials at once would share the /run socket and see each other's leftovers)."""
    shared = tmp_path_factory.getbasetemp()
    if os.environ.get("PYTEST_XDIST_WORKER"):
        shared = shared.parent  # the session's folder, common to all workers
    record = shared / "hostile-trial.json"
    with open(shared / "hostile-trial.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not record.exists():
            base = shared / "hostile"
            base.mkdir(exist_ok=True)
            record.write_text(json.dumps(_to_json(run_trial(base))))
    return _from_json(json.loads(record.read_text()))


HOSTILE_RUNS = ("root serial", "root parallel", "user parallel", "user serial")


def scores(batch: Batch) -> dict[str, float]:
    return {
        student: chapters[CHAPTER]["score"]
        for student, chapters in batch.export["students"].items()
        if CHAPTER in chapters
    }


@pytest.mark.parametrize("run", HOSTILE_RUNS)
def test_every_submission_is_graded_and_no_attack_earns_a_point(trial: Trial, run: str):
    batch = trial.batches[run]
    graded = scores(batch)
    assert sorted(graded) == trial.students, batch.output[-3000:]
    unearned = {s: p for s, p in graded.items() if s not in HONEST and p > 0}
    assert not unearned, unearned


@pytest.mark.parametrize("run", HOSTILE_RUNS)
def test_honest_students_score_exactly_as_in_a_clean_batch(trial: Trial, run: str):
    clean = scores(trial.batches["clean serial"])
    full = set(clean.values())
    assert len(full) == 1, clean  # every clean solution scores the same
    honest = {s: p for s, p in scores(trial.batches[run]).items() if s in HONEST}
    assert honest == dict.fromkeys(HONEST, full.pop()), honest


@pytest.mark.parametrize("run", HOSTILE_RUNS)
def test_no_batch_is_stalled_by_a_submission(trial: Trial, run: str):
    workers = "parallel" if "parallel" in run else "serial"
    hostile, clean = trial.batches[run].seconds, trial.batches[f"clean {workers}"].seconds
    print(f"\n{run}: {hostile:.0f} s; clean {workers}: {clean:.0f} s")
    assert hostile <= clean + SLACK, (hostile, clean)


def test_nothing_is_left_behind(trial: Trial):
    after, before = trial.after, trial.before
    assert after["processes"] == [], after["processes"]
    assert after["files"] == before["files"] == [], after["files"]
    assert after["shm"] == before["shm"], "a System V shared-memory segment survived"
    assert SHM_KEY not in after["shm"]
    assert after["cgroups"] == [], after["cgroups"]
    assert after["venv"] == before["venv"], after["venv"] ^ before["venv"]


def test_no_machine_socket_was_reached(trial: Trial):
    assert trial.socket_connections == 0


def _outputs(batch: Batch, student: str) -> str:
    path = batch.course / "autograded" / student / CHAPTER / f"{NOTEBOOK}.ipynb"
    notebook = json.loads(path.read_text())
    return "\n".join(
        str(output.get("text", "")) + str(output.get("evalue", ""))
        for cell in notebook["cells"]
        for output in cell.get("outputs", [])
    )


@pytest.mark.parametrize("run", HOSTILE_RUNS)
def test_what_the_attacks_saw(trial: Trial, run: str):
    batch = trial.batches[run]
    assert "no segment" in _outputs(batch, "sysv_shm_zreader")
    assert "FOUND" not in _outputs(batch, "sysv_shm_zreader")
    assert "WROTE" not in _outputs(batch, "writes_system_folders")
    assert "CONNECTED" not in _outputs(batch, "network")
    assert "CONNECTED" not in _outputs(batch, "unix_socket_host")
    assert "wrote" not in _outputs(batch, "pth_into_venv")
    seen = _outputs(batch, "reads_the_course")
    assert "True" not in seen, seen
    killed = _outputs(batch, "kills_graders")
    assert not re.search(r"^killed", killed, re.M), killed  # it found no grader to kill
    assert "stopped after" in _outputs(batch, "fork_bomb")


def test_an_ordinary_user_is_refused_without_the_flag_and_told_why(trial: Trial):
    refused = trial.refused
    assert refused["returncode"] == 1
    message = refused["stderr"]
    assert "grading refused" in message and "--allow-weak-isolation" in message
    assert "process budget" in message or "processes" in message
    assert "grade as root" in message


@pytest.mark.parametrize("run", ("user parallel", "user serial"))
def test_weak_isolation_is_recorded_in_the_export(trial: Trial, run: str):
    export = trial.batches[run].export
    notebook = export["students"]["honest_a"][CHAPTER]["notebooks"][NOTEBOOK]
    assert "process budget" in notebook["isolation_missing"]
    assert "weak isolation" in trial.batches[run].output


@pytest.mark.parametrize("run", ("root serial", "root parallel"))
def test_as_root_nothing_is_missing(trial: Trial, run: str):
    export = trial.batches[run].export
    notebook = export["students"]["honest_a"][CHAPTER]["notebooks"][NOTEBOOK]
    assert notebook["isolation_missing"] == []


def test_feedback_html_shows_what_a_student_printed_but_runs_none_of_it(trial: Trial):
    page = trial.feedback
    assert page, "no feedback page was written"
    # No tag with an event handler, and none of the student's scripts, as markup; (the page's
    # own scripts, nbconvert's, are not the student's).
    assert not re.search(r"<[a-z]+\b[^>]*\son\w+\s*=", page, re.I)
    assert "<script>alert(1)</script>" not in page
    assert '<script>document.title="owned"</script>' not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page  # shown, as text
