"""``nnfs-grade``: run the chapter notebooks as a standard nbgrader course, safely and fast.

A thin layer over nbgrader: every command works in a course directory (``--course DIR``, or the
current directory) that is an ordinary nbgrader course, so plain ``nbgrader`` commands keep
working there too. ``nnfs-grade --help`` shows an example session; ``nnfs-grade COMMAND --help``
each command's options. How grading works: ``autograder/README.md``.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
import unicodedata
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from . import course_config

EXAMPLES = """\
example:
  nnfs-grade init ~/nnfs-2025                  # course folder, config, gradebook, source/
  cd ~/nnfs-2025
  nnfs-grade release ch09                      # or 9, or all -> release/ch09/
  nnfs-grade collect ~/Downloads/submissions.zip
  nnfs-grade autograde ch09 --workers 4        # sandboxed, in parallel, one gradebook writer
  nnfs-grade autograde ch09 --scheduler tcp://10.0.0.5:8786   # ... on a Dask cluster
  nnfs-grade feedback ch09                     # -> feedback/<student>/ch09/*.html
  nnfs-grade export --format json              # per student, notebook and test cell
  nnfs-grade report ch09                       # -> reports/ch09/: which mistakes the class made

Plain nbgrader commands keep working in the same course directory.
"""
STATE_FILE = "nnfs-course.json"
CONFIG_FILE = "nbgrader_config.py"
GRADEBOOK = "gradebook.db"


class CliError(Exception):
    """A problem the user can fix; printed without a traceback."""


def say(message: str = "") -> None:
    print(message, flush=True)


# ---------------------------------------------------------------------------------------
# The course directory
# ---------------------------------------------------------------------------------------


def default_notebooks_dir() -> Path:
    """The repository's ``notebooks/`` folder (this package sits beside it in a checkout)."""
    return Path(__file__).resolve().parent.parent / "notebooks"


def normalize_chapter(text: str) -> str:
    """``9``, ``ch9`` and ``ch09`` all mean ``ch09``; other names are taken as they are."""
    match = re.fullmatch(r"(?:ch)?0*(\d{1,2})", text.strip().lower())
    return f"ch{int(match.group(1)):02d}" if match else text.strip()


def chapter_notebooks(folder: Path) -> list[Path]:
    return sorted(p for p in folder.glob("*.ipynb") if p.is_file() and not p.name.startswith("."))


@dataclass
class Course:
    root: Path

    @property
    def config(self) -> Path:
        return self.root / CONFIG_FILE

    @property
    def db_url(self) -> str:
        return f"sqlite:///{self.root / GRADEBOOK}"

    def state(self) -> dict[str, Any]:
        try:
            return json.loads((self.root / STATE_FILE).read_text())
        except (OSError, ValueError):
            return {}

    def course_id(self) -> str:
        return self.state().get("course_id") or self.root.name

    def require(self) -> Course:
        if not self.config.is_file():
            raise CliError(
                f"{self.root} is not a course directory (no {CONFIG_FILE}); "
                "run `nnfs-grade init DIR` first or pass --course DIR"
            )
        return self

    def chapters(self) -> list[str]:
        source = self.root / "source"
        if not source.is_dir():
            return []
        return sorted(d.name for d in source.iterdir() if d.is_dir() and chapter_notebooks(d))

    def resolve(self, chapter: str) -> list[str]:
        known = self.chapters()
        if chapter == "all":
            if not known:
                raise CliError("the course has no chapters in source/")
            return known
        name = normalize_chapter(chapter)
        if name not in known:
            raise CliError(
                f"no chapter {chapter!r} in source/; known: {', '.join(known) or 'none'}"
            )
        return [name]

    def notebook_index(self) -> dict[str, str]:
        """Notebook name (without .ipynb, lower case) -> chapter."""
        index = {}
        for chapter in self.chapters():
            for notebook in chapter_notebooks(self.root / "source" / chapter):
                index[notebook.stem.lower()] = chapter
        return index

    def nbgrader(self, *args: str, log: Path | None = None) -> subprocess.CompletedProcess:
        """Run the real nbgrader command line in the course directory."""
        env = dict(os.environ)
        for variable in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
            env.setdefault(variable, "1")
        command = [sys.executable, "-c", course_config.NBGRADER_LAUNCHER, *args]
        result = subprocess.run(command, cwd=self.root, env=env, capture_output=True, text=True)
        if log is not None:
            log.parent.mkdir(parents=True, exist_ok=True)
            with open(log, "a", encoding="utf-8") as file:
                file.write(f"$ nbgrader {' '.join(args)}\n{result.stdout}{result.stderr}\n")
        return result

    def gradebook(self):
        from nbgrader.api import Gradebook

        return Gradebook(self.db_url, self.course_id())


def _copy_chapter(source: Path, target: Path) -> None:
    if target.exists():
        shutil.rmtree(target)
    shutil.copytree(
        source, target, ignore=shutil.ignore_patterns(".ipynb_checkpoints", "__pycache__", ".*")
    )


def sync_source(course: Course, chapters: list[str] | None = None) -> list[str]:
    """Copy chapter folders from the notebooks directory recorded at ``init`` into source/."""
    notebooks = Path(course.state().get("notebooks", ""))
    if not notebooks.is_dir():
        return []
    synced = []
    for folder in sorted(notebooks.iterdir()):
        if (
            not folder.is_dir()
            or not chapter_notebooks(folder)
            or folder.name.startswith(("_", "."))
        ):
            continue
        if chapters is not None and folder.name not in chapters:
            continue
        _copy_chapter(folder, course.root / "source" / folder.name)
        synced.append(folder.name)
    return synced


# ---------------------------------------------------------------------------------------
# init
# ---------------------------------------------------------------------------------------


def command_init(options: argparse.Namespace) -> int:
    root = Path(options.dir).expanduser().resolve()
    course = Course(root)
    if course.config.exists() and not options.force:
        raise CliError(f"{course.config} exists; use --force to write a new configuration")
    notebooks = (
        Path(options.notebooks).expanduser().resolve()
        if options.notebooks
        else default_notebooks_dir()
    )
    if not notebooks.is_dir():
        raise CliError(f"no notebooks folder at {notebooks}; pass --notebooks PATH")
    root.mkdir(parents=True, exist_ok=True)
    # Only the instructor may enter the course: it holds solutions, hidden tests, submissions
    # and the gradebook.
    os.chmod(root, 0o700)
    course_id = options.course_id or re.sub(r"[^A-Za-z0-9_.-]+", "-", root.name)
    course.config.write_text(
        course_config.render(
            course_id,
            cell_timeout=options.cell_timeout,
            total_timeout=options.total_timeout,
        )
    )
    (root / STATE_FILE).write_text(
        json.dumps({"course_id": course_id, "notebooks": str(notebooks)}, indent=2) + "\n"
    )
    synced = sync_source(course)
    with course.gradebook():  # nbgrader creates the tables and stamps the schema version
        pass
    os.chmod(root / GRADEBOOK, 0o600)
    say(f"Course {course_id!r} ready in {root}")
    say(f"  configuration  {course.config}")
    say(f"  gradebook      {root / GRADEBOOK}")
    say(f"  source         {len(synced)} chapter(s) from {notebooks}: {', '.join(synced) or '-'}")
    say("Next: nnfs-grade release CHAPTER (in that folder, or with --course)")
    return 0


# ---------------------------------------------------------------------------------------
# release
# ---------------------------------------------------------------------------------------


def command_release(options: argparse.Namespace) -> int:
    course = Course(options.course).require()
    if not options.no_sync:
        wanted = None if options.chapter == "all" else [normalize_chapter(options.chapter)]
        sync_source(course, wanted)
    failures = 0
    for chapter in course.resolve(options.chapter):
        log = course.root / "logs" / f"release-{chapter}.log"
        added = course.nbgrader("db", "assignment", "add", chapter, log=log)
        result = course.nbgrader("generate_assignment", chapter, "--force", log=log)
        if added.returncode != 0 or result.returncode != 0:
            failures += 1
            say(f"✗ {chapter}: nbgrader failed (see {log})")
            say(_tail(added.stderr + result.stderr))
            continue
        released = chapter_notebooks(course.root / "release" / chapter)
        names = ", ".join(p.name for p in released)
        say(f"✓ {chapter}: {len(released)} notebook(s) in release/{chapter}: {names}")
    return 1 if failures else 0


def _tail(text: str, lines: int = 15) -> str:
    return "\n".join("    " + line for line in text.strip().splitlines()[-lines:])


# ---------------------------------------------------------------------------------------
# collect
# ---------------------------------------------------------------------------------------

CANVAS = re.compile(r"^(?P<login>[^/]+?)(?:_LATE)?_(?P<uid>\d+)_(?P<sub>\d+)_(?P<file>[^/]+)$")
MOODLE_FILE = re.compile(r"^(?P<name>[^/]+?)_(?P<id>\d+)_assignsubmission_file_(?P<file>[^/]+)$")
MOODLE_FOLDER = re.compile(r"^(?P<name>[^/]+?)_(?P<id>\d+)_assignsubmission_file_?$")
RESUBMISSION = re.compile(r"^(?P<stem>.+?)-(?P<n>\d+)$")

NAMING_HELP = """\
file names understood (the notebook's own name must be one of the course's notebooks):
  Canvas   smithjohn_12345_678_ch09_backpropagation.ipynb      student: smithjohn
           smithjohn_LATE_12345_678_ch09_backpropagation-1.ipynb (late, resubmitted)
  Moodle   John Smith_12345_assignsubmission_file_ch09_backpropagation.ipynb
           John Smith_12345_assignsubmission_file_/ch09_backpropagation.ipynb
                                                               student: john_smith
  folders  <student>/<chapter>/<notebook>.ipynb                student: <student>
--map CSV: a header row with the columns `lms` and `student_id`; `lms` may be the Canvas login
or user id, the Moodle name or participant id, or the folder name. Unmapped students keep the
default id shown above.
"""


#: Limits on what collect reads: one file, and everything in one folder or archive (bytes).
#: A notebook of this course is well under 1 MB; a zip that unpacks to more is refused.
MAX_FILE_BYTES = 50 * 2**20
MAX_TOTAL_BYTES = 2 * 2**30
#: Longest student id placed (nbgrader keeps ids as folder names and gradebook keys).
MAX_ID_LENGTH = 64


@dataclass
class Entry:
    """One file found in the submissions folder or archive. ``read(limit)`` returns at most
    ``limit`` + 1 bytes, so a file larger than it says is noticed without reading it all."""

    path: str
    read: Any
    mtime: float = 0.0
    size: int = 0


@dataclass
class Placement:
    student: str
    keys: list[str]
    chapter: str
    notebook: str
    entry: Entry
    resubmission: int = 0
    problems: list[str] = field(default_factory=list)

    @property
    def identity(self) -> str:
        """Who handed the file in, as the LMS knows them: the Canvas user id, the Moodle
        participant id, or the folder name. Two files with one student id but different
        identities are two people, never one person's two copies."""
        return self.keys[1] if len(self.keys) > 1 else self.keys[0]


def _entries(path: Path) -> list[Entry]:
    if path.is_file() and zipfile.is_zipfile(path):
        archive = zipfile.ZipFile(path)
        found = []
        for info in archive.infolist():
            if info.is_dir() or "__MACOSX" in info.filename:
                continue
            stamp = time.mktime((*info.date_time, 0, 0, -1))

            def read(limit: int, info=info) -> bytes:
                # The header's size may lie: read no more than the limit allows.
                with archive.open(info) as member:
                    return member.read(limit + 1)

            found.append(Entry(info.filename, read, stamp, info.file_size))
        return found
    if path.is_dir():

        def reader(p: Path):
            def read(limit: int) -> bytes:
                with open(p, "rb") as file:
                    return file.read(limit + 1)

            return read

        return [
            Entry(p.relative_to(path).as_posix(), reader(p), p.stat().st_mtime, p.stat().st_size)
            for p in sorted(path.rglob("*"))
            if p.is_file() and ".ipynb_checkpoints" not in p.parts
        ]
    raise CliError(f"{path} is neither a folder nor a .zip archive")


def slug(text: str) -> str:
    """``"Zoë O'Neil"`` -> ``"zoe_o_neil"``: ASCII letters and digits joined by underscores."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "_", ascii_text.strip().lower()).strip("_")


def safe_id(text: str) -> str:
    return re.sub(r"[^A-Za-z0-9_.@-]+", "_", text.strip()).strip("_.") or "unknown"


def identify(path: str, index: dict[str, str]) -> tuple[str, list[str], str, int] | str:
    """(default student id, LMS keys, notebook name, resubmission number) for a file, or a
    sentence saying why the file is not a submission."""
    parts = [p for p in path.split("/") if p]
    name = parts[-1]
    if name.startswith("."):
        return "hidden file"
    if not name.lower().endswith(".ipynb"):
        return "not a notebook (.ipynb)"
    student = keys = filename = None
    if match := CANVAS.match(name):
        student, filename = match["login"], match["file"]
        keys = [match["login"], match["uid"]]
    elif match := MOODLE_FILE.match(name):
        student, filename = slug(match["name"]), match["file"]
        keys = [match["name"], match["id"], slug(match["name"])]
    elif len(parts) >= 2 and (match := MOODLE_FOLDER.match(parts[-2])):
        student, filename = slug(match["name"]), name
        keys = [match["name"], match["id"], slug(match["name"])]
    elif len(parts) >= 3 and normalize_chapter(parts[-2]) in set(index.values()):
        student, filename = parts[-3], name
        keys = [parts[-3]]
    if student is None:
        return "the file name matches no known pattern (see --help)"
    stem = filename[: -len(".ipynb")].strip()
    number = 0
    if stem.lower() not in index and (match := RESUBMISSION.match(stem)):
        stem, number = match["stem"], int(match["n"])
    if stem.lower() not in index:
        return f"{filename!r} is not a notebook of this course"
    return student, keys, stem.lower(), number


def _read_map(path: Path | None) -> dict[str, str]:
    if path is None:
        return {}
    with open(path, newline="", encoding="utf-8-sig") as file:
        rows = list(csv.DictReader(file))
    if not rows or "lms" not in rows[0] or "student_id" not in rows[0]:
        raise CliError(f"{path}: expected a header with the columns lms and student_id")
    return {row["lms"].strip(): row["student_id"].strip() for row in rows if row["lms"].strip()}


IDENTITIES_FILE = "collect_identities.json"


def _load_identities(course: Course) -> dict[str, str]:
    try:
        data = json.loads((course.root / IDENTITIES_FILE).read_text(encoding="utf-8"))
        return {str(k): str(v) for k, v in data.items()} if isinstance(data, dict) else {}
    except (OSError, ValueError):
        return {}


def _id_problem(student: str) -> str | None:
    if len(student) > MAX_ID_LENGTH:
        return (
            f"the student id is {len(student)} characters long (at most {MAX_ID_LENGTH}):"
            " give this student a shorter id with --map"
        )
    if student in (".", "..", "unknown"):
        return f"no usable student id could be made from the file name ({student!r})"
    return None


def command_collect(options: argparse.Namespace) -> int:
    """Place each submission under submitted/<student>/<chapter>/; never merge two people.

    Files of one person (same LMS identity) for one notebook: the latest resubmission is kept
    and the others are listed. Files of *different* people that map to one student id (two
    John Smiths, two Canvas users with one login) are all refused, with a table of the
    conflicts and the --map lines that resolve them; so is a student id already used by a
    different person in an earlier collect. Each file is placed or refused on its own: one
    odd file never stops the rest."""
    from .sandbox import parse_notebook

    course = Course(options.course).require()
    index = course.notebook_index()
    if not index:
        raise CliError("the course has no notebooks in source/; run nnfs-grade release first")
    mapping = _read_map(Path(options.map) if options.map else None)
    known = _load_identities(course)
    groups: dict[tuple[str, str, str], list[Placement]] = {}
    skipped: list[tuple[str, str]] = []
    total = 0
    for entry in _entries(Path(options.path).expanduser()):
        found = identify(entry.path, index)
        if isinstance(found, str):
            if found != "hidden file":
                skipped.append((entry.path, found))
            continue
        student, keys, notebook, number = found
        student = safe_id(next((mapping[k] for k in keys if k in mapping), student))
        chapter = index[notebook]
        if options.chapter and chapter != normalize_chapter(options.chapter):
            skipped.append((entry.path, f"belongs to {chapter}, not {options.chapter}"))
            continue
        if problem := _id_problem(student):
            skipped.append((entry.path, problem))
            continue
        if entry.size > MAX_FILE_BYTES:
            skipped.append((entry.path, _too_big(entry.size)))
            continue
        total += entry.size
        if total > MAX_TOTAL_BYTES:
            skipped.append((entry.path, f"the submissions together exceed {_mb(MAX_TOTAL_BYTES)}"))
            continue
        place = Placement(student, keys, chapter, notebook, entry, number)
        groups.setdefault((student, chapter, notebook), []).append(place)

    conflicts: list[tuple[str, str, list[Placement]]] = []
    chosen: dict[tuple[str, str, str], Placement] = {}
    for key, candidates in sorted(groups.items()):
        student = key[0]
        people = {p.identity for p in candidates}
        earlier = known.get(student)
        if len(people) > 1:
            conflicts.append((student, "two or more people map to this id", candidates))
            continue
        if earlier is not None and earlier not in people:
            conflicts.append(
                (student, f"an earlier collect placed another person ({earlier}) here", candidates)
            )
            continue
        newest = max(candidates, key=lambda p: (p.resubmission, p.entry.mtime))
        for other in candidates:
            if other is not newest:
                skipped.append((other.entry.path, f"an older copy; kept {newest.entry.path}"))
        chosen[key] = newest

    placed = []
    for (student, chapter, notebook), place in sorted(chosen.items()):
        try:
            data = place.entry.read(MAX_FILE_BYTES)
            if len(data) > MAX_FILE_BYTES:
                skipped.append((place.entry.path, _too_big(len(data), lied=True)))
                continue
            try:
                parse_notebook(data)
            except ValueError as error:
                place.problems.append(f"not a valid notebook, it will score 0: {error}")
            target = course.root / "submitted" / student / chapter / f"{notebook}.ipynb"
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(data)
            placed.append(place)
        except (OSError, zipfile.BadZipFile, RuntimeError) as error:
            skipped.append((place.entry.path, f"could not be read or placed: {error}"))
    if placed:
        with course.gradebook() as gradebook:
            for student in sorted({p.student for p in placed}):
                gradebook.update_or_create_student(student)
        known.update({p.student: p.identity for p in placed})
        (course.root / IDENTITIES_FILE).write_text(json.dumps(known, indent=1, sort_keys=True))

    say(f"Placed {len(placed)} submission(s) in {course.root / 'submitted'}:")
    for place in placed:
        mark = "!" if place.problems else "✓"
        where = f"{place.chapter}/{place.notebook}.ipynb"
        say(f"  {mark} {place.student:<20} {where}  <- {place.entry.path}")
        for problem in place.problems:
            say(f"      {problem}")
    if skipped:
        say(f"Skipped {len(skipped)} file(s):")
        for path, reason in skipped:
            say(f"  ✗ {path}: {reason}")
    if conflicts:
        say(f"NOT placed: {len(conflicts)} student id(s) claimed by different people:")
        say(f"  {'student id':<20} {'LMS identity':<14} file")
        lines = []
        for student, why, candidates in conflicts:
            say(f"  {student:<20} ({why})")
            for place in candidates:
                say(f"  {'':<20} {place.identity:<14} {place.entry.path}")
                lines.append(f"{place.identity},{student}_{safe_id(place.identity)}")
        say("  Resolve with --map: a CSV with a header `lms,student_id` and one line per person,")
        say("  e.g. (one id per person; change them to your roster's ids):")
        say("    lms,student_id")
        for line in lines:
            say(f"    {line}")
        say("  then run collect again with --map FILE.")
        return 3
    return 0


def _mb(size: int) -> str:
    return f"{size / 2**20:.0f} MB"


def _too_big(size: int, lied: bool = False) -> str:
    said = " (its archive header claimed less)" if lied else ""
    return (
        f"larger than {_mb(MAX_FILE_BYTES)}{said}; a notebook of this course is far smaller:"
        " clear its outputs and submit again"
    )


# ---------------------------------------------------------------------------------------
# autograde
# ---------------------------------------------------------------------------------------


def _students_with(course: Course, chapter: str, only: str | None) -> list[str]:
    submitted = course.root / "submitted"
    if not submitted.is_dir():
        return []
    found = sorted(d.name for d in submitted.iterdir() if (d / chapter).is_dir())
    return [s for s in found if only is None or s == only]


def _autograde_args(chapter: str, options: argparse.Namespace, student: str | None) -> list[str]:
    args = ["autograde", chapter]
    if not options.no_force:
        args.append("--force")
    if student:
        args.append(f"--student={student}")
    if getattr(options, "allow_weak_isolation", False):
        args.append("--IsolatedExecute.allow_weak_isolation=True")
    return args


def _readable(course: Course, student: str, chapter: str) -> bool:
    from .sandbox import parse_notebook

    for path in (course.root / "submitted" / student / chapter).glob("*.ipynb"):
        try:
            parse_notebook(path.read_bytes())
        except (OSError, ValueError):
            return False
    return True


def run_autograde(
    course: Course,
    chapter: str,
    options: argparse.Namespace,
    students: list[str],
    extra: list[str],
    log: Path,
) -> int:
    """``nbgrader autograde`` on the batch; then, if nbgrader stopped early (it gives up on
    the whole run for some errors, e.g. a database or metadata-schema error in one
    submission), once more for each readable submission it did not reach, one at a time."""
    result = course.nbgrader(*_autograde_args(chapter, options, options.student), *extra, log=log)
    if result.returncode == 0:
        return 0
    for student in students:
        graded = (course.root / "autograded" / student / chapter).is_dir()
        if not graded and _readable(course, student, chapter):
            say(f"  nbgrader stopped early; grading {student} on its own")
            course.nbgrader(*_autograde_args(chapter, options, student), *extra, log=log)
    return result.returncode


def _ahead_report(done: int, total: int, job, status: str) -> None:
    say(f"  [{done}/{total}] executed {job.who}: {status}")


def command_autograde(options: argparse.Namespace) -> int:
    """Grade with one run of nbgrader per chapter while the sandboxes run ahead of it, on
    ``--workers`` threads here or on a Dask cluster (:mod:`autograder.dispatch`)."""
    from . import dispatch, sandbox

    course = Course(options.course).require()
    if options.workers < 1:
        raise CliError("--workers must be at least 1")
    if options.scheduler is None:
        missing = sandbox.missing_here()
        if missing and not options.allow_weak_isolation:
            raise CliError(sandbox.refusal(missing))
        if missing:
            names = ", ".join(name for name, _ in missing)
            say(f"grading with weak isolation (--allow-weak-isolation): missing {names}")
    overrides = {}
    if options.allow_weak_isolation:
        overrides["IsolatedExecute"] = {"allow_weak_isolation": True}
    try:
        dispatcher_options = dict(
            workers=options.workers,
            scheduler=options.scheduler,
            allow_weak_isolation=options.allow_weak_isolation,
            report=_ahead_report,
        )
        if options.scheduler is not None:
            say(f"connecting to the Dask scheduler at {options.scheduler}")
        dispatcher = dispatch.Dispatcher(Path(), **dispatcher_options)
    except dispatch.DispatchError as error:
        raise CliError(str(error)) from None
    incomplete = 0
    try:
        for chapter in course.resolve(options.chapter):
            students = _students_with(course, chapter, options.student)
            if not students:
                say(f"{chapter}: no submissions in submitted/*/{chapter}")
                continue
            where = (
                f"on the Dask cluster at {options.scheduler}"
                if options.scheduler
                else f"{options.workers} at a time"
            )
            say(f"{chapter}: grading {len(students)} submission(s), sandboxes {where}")
            log = course.root / "logs" / f"autograde-{chapter}.log"
            with tempfile.TemporaryDirectory(prefix="nnfs-grade-ahead-") as folder:
                ahead = students
                if options.no_force:  # nbgrader keeps what it graded before: no need to run it
                    ahead = [s for s in students if not _autograded(course, s, chapter)]
                jobs = dispatch.plan(course.root, course.db_url, chapter, ahead, overrides, log=say)
                dispatcher.folder = Path(folder)
                dispatcher.start(jobs)
                started = time.monotonic()
                try:
                    extra = [f"--IsolatedExecute.cache_dir={folder}"]
                    returncode = run_autograde(course, chapter, options, students, extra, log)
                finally:
                    dispatcher.stop()
                seconds = time.monotonic() - started
                say(f"  nbgrader autograde finished in {seconds:.1f} s (log: {log})")
            for failure in dispatcher.failures:
                say(f"  the run ahead failed for {failure}; nbgrader ran it itself")
            dispatcher.failures.clear()
            rows = summary_rows(course, chapter, students)
            print_summary(rows)
            say(isolation_line(course, chapter, students))
            if any(row["state"] != "graded" for row in rows) or returncode != 0:
                incomplete += 1
    finally:
        dispatcher.close()
    return 2 if incomplete else 0


def _autograded(course: Course, student: str, chapter: str) -> bool:
    return (course.root / "autograded" / student / chapter).is_dir()


def isolation_line(course: Course, chapter: str, students: list[str]) -> str:
    """What the sandbox could apply, as it reported for the first graded submission."""
    from .nbgrader_plugins import METADATA_KEY

    for student in students:
        for path in sorted((course.root / "autograded" / student / chapter).glob("*.ipynb")):
            metadata = _autograded_metadata(course, student, chapter, path.stem) or {}
            report = metadata.get(METADATA_KEY, {}).get("sandbox", {}).get("isolation")
            if not report:
                continue
            layers = [
                "an unprivileged uid"
                if report.get("uid", 0) != os.geteuid()
                else "the grader's uid",
                f"walls by {report['tool']}" if report.get("tool") else None,
                "a read-only view of /usr, /etc, Python and the course packages only"
                if report.get("readonly_root")
                else None,
                "private /tmp, PID and IPC namespaces" if report.get("pid_namespace") else None,
                "no network" if report.get("network_namespace") else None,
                report.get("budget") or None,
            ]
            text = "  sandbox: " + "; ".join(x for x in layers if x)
            if report.get("missing"):
                text += f"\n  sandbox MISSING: {', '.join(report['missing'])}"
            for warning in report.get("warnings", []):
                text += f"\n  sandbox warning: {warning}"
            return text
    return "  sandbox: no graded notebook reports its isolation"


def summary_rows(course: Course, chapter: str, students: list[str]) -> list[dict[str, Any]]:
    report = export_report(course, [chapter])
    rows = []
    for student in students:
        assignment = report["students"].get(student, {}).get(chapter)
        if assignment is None:
            rows.append(
                {"student": student, "state": "missing", "score": 0.0, "max_score": 0.0, "note": ""}
            )
            continue
        notes = []
        state = "graded"
        for name, notebook in assignment["notebooks"].items():
            if not notebook["graded"]:
                state = "not graded"
                notes.append(f"{name}: {notebook['note']}")
            elif notebook["sandbox"].get("status") not in (None, "ok"):
                notes.append(f"{name}: {notebook['sandbox'].get('message', '')}")
        rows.append(
            {
                "student": student,
                "state": state,
                "score": assignment["score"],
                "max_score": assignment["max_score"],
                "note": " ".join(notes),
            }
        )
    return rows


def print_summary(rows: list[dict[str, Any]]) -> None:
    width = max([len("student"), *(len(r["student"]) for r in rows)])
    say(f"  {'student':<{width}}  {'score':>11}  {'state':<10}  note")
    for row in rows:
        score = f"{row['score']:g}/{row['max_score']:g}"
        say(f"  {row['student']:<{width}}  {score:>11}  {row['state']:<10}  {row['note'][:120]}")


# ---------------------------------------------------------------------------------------
# feedback and export
# ---------------------------------------------------------------------------------------


def command_feedback(options: argparse.Namespace) -> int:
    course = Course(options.course).require()
    failures = 0
    for chapter in course.resolve(options.chapter):
        log = course.root / "logs" / f"feedback-{chapter}.log"
        result = course.nbgrader("generate_feedback", chapter, "--force", log=log)
        made = sorted((course.root / "feedback").glob(f"*/{chapter}/*.html"))
        mark = "✓" if result.returncode == 0 else "✗"
        say(f"{mark} {chapter}: {len(made)} feedback file(s) in feedback/*/{chapter}/ (log: {log})")
        failures += result.returncode != 0
    return 1 if failures else 0


def _autograded_metadata(course: Course, student: str, chapter: str, notebook: str) -> dict | None:
    path = course.root / "autograded" / student / chapter / f"{notebook}.ipynb"
    try:
        return json.loads(path.read_text(encoding="utf-8")).get("metadata", {})
    except (OSError, ValueError):
        return None


def _submission_note(course: Course, student: str, chapter: str, notebook: str) -> str:
    from .sandbox import parse_notebook

    path = course.root / "submitted" / student / chapter / f"{notebook}.ipynb"
    if not path.exists():
        return "no such notebook was submitted"
    try:
        parse_notebook(path.read_bytes())
    except ValueError as error:
        return f"the submitted file is not a valid notebook: {error}"
    return "no autograded notebook (not autograded yet, or nbgrader failed: see logs/)"


def _cell_report(grade, verdict: dict[str, Any] | None, graded: bool, note: str) -> dict:
    if verdict is not None:
        message, status = verdict.get("message", ""), verdict.get("status")
    elif not graded:
        message, status = f"not graded: {note}", "not_graded"
    elif grade.auto_score is None:
        message, status = "the test cell is missing from the submission (deleted?)", "missing"
    else:
        message, status = "", None
    keys = ("check", "seed", "weight", "status", "message")
    return {
        "points": float(grade.score),
        "max_points": float(grade.max_score),
        "status": status,
        "needs_manual_grade": bool(grade.needs_manual_grade),
        "message": message,
        "checks": [{k: line.get(k) for k in keys} for line in (verdict or {}).get("checks", [])],
    }


def _notebook_report(course: Course, student: str, chapter: str, notebook) -> dict[str, Any]:
    from .nbgrader_plugins import METADATA_KEY

    metadata = _autograded_metadata(course, student, chapter, notebook.name)
    graded = metadata is not None
    note = "" if graded else _submission_note(course, student, chapter, notebook.name)
    verdicts = (metadata or {}).get(METADATA_KEY, {})
    record = verdicts.get("sandbox", {})
    grades = sorted(notebook.grades, key=lambda g: g.name)
    return {
        "score": float(notebook.score),
        "max_score": float(notebook.max_score),
        "graded": graded,
        "note": note,
        "sandbox": {k: record[k] for k in ("status", "message", "cell") if k in record},
        # Guarantees the sandbox lacked (graded with --allow-weak-isolation); [] when none.
        "isolation_missing": list((record.get("isolation") or {}).get("missing") or []),
        # Solution cells that are near-copies of the reference source: for a person to look at.
        "near_copies": list(verdicts.get("near_copies") or []),
        "cells": {
            g.name: _cell_report(g, verdicts.get("cells", {}).get(g.name), graded, note)
            for g in grades
        },
    }


def export_report(
    course: Course, chapters: list[str] | None = None, *, gradebook=None
) -> dict[str, Any]:
    """Every submission in the gradebook: per student, chapter, notebook and graded cell the
    points, the maximum and the grader's message. Plain data, no timestamps. ``gradebook`` is
    an open nbgrader Gradebook of the course (``nbgrader export`` passes its own); by default
    the course's is opened."""
    from nbgrader.api import MissingEntry

    if gradebook is None:
        with course.gradebook() as opened:
            return export_report(course, chapters, gradebook=opened)
    students: dict[str, dict[str, Any]] = {}
    for assignment in sorted(gradebook.assignments, key=lambda a: a.name):
        if chapters is not None and assignment.name not in chapters:
            continue
        for student in sorted(gradebook.students, key=lambda s: s.id):
            try:
                submission = gradebook.find_submission(assignment.name, student.id)
            except MissingEntry:
                continue
            notebooks = sorted(submission.notebooks, key=lambda n: n.name)
            students.setdefault(student.id, {})[assignment.name] = {
                "score": float(submission.score),
                "max_score": float(submission.max_score),
                "notebooks": {
                    n.name: _notebook_report(course, student.id, assignment.name, n)
                    for n in notebooks
                },
            }
    return {"course_id": course.course_id(), "students": students}


#: The nbgrader export plugin that writes both formats (autograder/export.py). New courses name
#: it in nbgrader_config.py too, so plain `nbgrader export` writes the same files; naming it on
#: the command line keeps `nnfs-grade export` working in courses made before it existed.
EXPORTER = "autograder.export.NnfsExportPlugin"


def command_export(options: argparse.Namespace) -> int:
    """``nbgrader export`` with the course's export plugin, in the chosen format."""
    course = Course(options.course).require()
    if options.output == "-" or (options.output is None and options.format == "json"):
        to = "-"
    else:
        to = str(Path(options.output or course.root / "grades.csv").resolve())
    result = course.nbgrader(
        "export",
        f"--exporter={EXPORTER}",
        f"--NnfsExportPlugin.format={options.format}",
        f"--to={to}",
    )
    if result.returncode != 0:
        raise CliError(f"nbgrader export failed:\n{_tail(result.stderr)}")
    if to == "-":
        sys.stdout.write(result.stdout)
    else:
        say(f"Wrote {to}")
    return 0


# ---------------------------------------------------------------------------------------
# report
# ---------------------------------------------------------------------------------------


def command_report(options: argparse.Namespace) -> int:
    """The instructor's mistake report on one chapter (autograder/report.py), from the
    gradebook and the autograded notebooks: nothing is graded again."""
    from . import report, report_render

    course = Course(options.course).require()
    if options.chapter.strip().lower() == "all":
        raise CliError("report covers one chapter at a time: nnfs-grade report ch09")
    name = normalize_chapter(options.chapter)
    if name not in course.chapters():
        course.resolve(options.chapter)  # says which chapters the course has
    with course.gradebook() as gradebook:
        try:
            found = report.gather(gradebook, course.root, name, course.course_id())
        except report.ReportError as error:
            raise CliError(str(error)) from None
    if options.output:
        folder = Path(options.output).expanduser().resolve()
    else:
        folder = course.root / "reports" / name
    try:
        files = report_render.write(found, folder)
    except OSError as error:
        raise CliError(
            f"cannot write the report into {folder}: {error.strerror or error};"
            " choose another folder with --output DIR"
        ) from None
    total = len(found.students)
    say(f"{name}: {total} submission(s), {len(found.mistakes)} named mistake(s)")
    for rank, mistake in list(zip(found.ranks, found.mistakes))[:5]:
        say(f"  {rank:>2}. {mistake.count}/{total}  {mistake.title} ({mistake.id})")
    if found.not_graded:
        say(f"  {len(found.not_graded)} submission(s) could not be graded (listed in the report)")
    say(f"Wrote {files.html}")
    say(f"      {files.chart}, {files.cells_csv.name}, {files.mistakes_csv.name}")
    return 0


# ---------------------------------------------------------------------------------------
# Command line
# ---------------------------------------------------------------------------------------


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="nnfs-grade",
        description=(
            "Run the chapter notebooks as a standard nbgrader course: release, collect,"
            " autograde in sandboxes (in parallel), feedback, export and a mistake report."
        ),
        epilog=EXAMPLES,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument(
        "--course",
        default=".",
        type=lambda p: Path(p).expanduser().resolve(),
        help="the course directory (default: the current directory)",
    )
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    # --course is also accepted after the command: `nnfs-grade release ch09 --course DIR`.
    where = argparse.ArgumentParser(add_help=False)
    where.add_argument(
        "--course",
        default=argparse.SUPPRESS,
        type=lambda p: Path(p).expanduser().resolve(),
        help="the course directory (default: the current directory)",
    )

    init = commands.add_parser(
        "init",
        help="create a course directory: config, gradebook, source/",
        description=(
            "Create a standard nbgrader course in DIR: nbgrader_config.py with the course id and"
            " the sandboxed autograder, source/ copied from the repository's notebooks/ (copied"
            " again by every `release`), and an SQLite gradebook. DIR is made private (0700)."
        ),
    )
    init.add_argument("dir", help="the course directory to create")
    init.add_argument("--course-id", help="nbgrader course id (default: the folder's name)")
    init.add_argument("--notebooks", help="chapter notebooks to use (default: the repository's)")
    init.add_argument("--cell-timeout", type=int, default=60, help="seconds per cell (60)")
    init.add_argument("--total-timeout", type=int, default=600, help="seconds per notebook (600)")
    init.add_argument("--force", action="store_true", help="overwrite an existing configuration")
    init.set_defaults(run=command_init)

    release = commands.add_parser(
        "release",
        parents=[where],
        help="generate the student version of a chapter into release/",
        description=(
            "Copy the chapter from the notebooks folder into source/ again, add it to the"
            " gradebook and run `nbgrader generate_assignment` (solutions and hidden tests"
            " removed); the student version lands in release/CHAPTER/."
        ),
    )
    release.add_argument("chapter", help="ch09, 9, or all")
    release.add_argument(
        "--no-sync",
        action="store_true",
        help="release source/ as it is (keep local edits) instead of copying the notebooks again",
    )
    release.set_defaults(run=command_release)

    collect = commands.add_parser(
        "collect",
        parents=[where],
        help="file submitted notebooks (folder or .zip from an LMS) under submitted/",
        description=(
            "Place every submitted notebook found in PATH (a folder or a .zip) in"
            " submitted/<student>/<chapter>/<notebook>.ipynb and add the students to the"
            " gradebook. Files that are not submissions are listed and skipped; a notebook"
            " that is not valid JSON is placed and will score 0."
        ),
        epilog=NAMING_HELP,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    collect.add_argument("path", help="folder or .zip of submissions")
    collect.add_argument("--map", help="CSV with columns lms,student_id")
    collect.add_argument("--chapter", help="only accept notebooks of this chapter")
    collect.set_defaults(run=command_collect)

    autograde = commands.add_parser(
        "autograde",
        parents=[where],
        help="grade submissions in sandboxes and write the gradebook",
        description=(
            "Run `nbgrader autograde` with the sandbox. The submissions are sanitized here with"
            " nbgrader's own steps and their sandboxes run ahead of nbgrader, --workers N at a"
            " time on this machine or on the workers of a Dask cluster (--scheduler), while one"
            " nbgrader run judges them in order and writes the gradebook: the same gradebook as"
            " a serial run's. Every submission is graded even if others fail; a table sums up."
            " Exit code 2 if any submission could not be graded."
        ),
    )
    autograde.add_argument("chapter", help="ch09, 9, or all")
    autograde.add_argument("--workers", type=int, default=1, help="sandboxes at a time (1)")
    autograde.add_argument("--student", help="grade only this student")
    autograde.add_argument(
        "--scheduler",
        metavar="tcp://HOST:PORT",
        help=(
            "run the sandboxes on the workers of this Dask scheduler instead of here (each"
            " worker needs the course installed; README: 'Grading on a Dask cluster')"
        ),
    )
    autograde.add_argument(
        "--allow-weak-isolation",
        action="store_true",
        help=(
            "grade even where the sandbox cannot give every guarantee (it refuses by default"
            " and says what is missing); each notebook's record and the export say what was"
        ),
    )
    autograde.add_argument(
        "--no-force",
        action="store_true",
        help="skip submissions already autograded (nbgrader's default); otherwise regrade all",
    )
    autograde.set_defaults(run=command_autograde)

    feedback = commands.add_parser(
        "feedback",
        parents=[where],
        help="HTML feedback for graded submissions (nbgrader generate_feedback)",
        description="Run `nbgrader generate_feedback`: HTML in feedback/<student>/<chapter>/.",
    )
    feedback.add_argument("chapter", help="ch09, 9, or all")
    feedback.set_defaults(run=command_feedback)

    export = commands.add_parser(
        "export",
        parents=[where],
        help="grades as CSV (nbgrader export) or detailed JSON",
        description=(
            "Run `nbgrader export` with the course's exporter (autograder.export; plain"
            " `nbgrader export` in the course writes the same files). csv: nbgrader's grade"
            " table (default file grades.csv in the course). json: per student, chapter,"
            " notebook and graded cell the points, the maximum, the status and the grader's"
            " message (default: to standard output)."
        ),
    )
    export.add_argument("--format", choices=("csv", "json"), default="csv")
    export.add_argument("--output", help="file to write ('-' for standard output)")
    export.set_defaults(run=command_export)

    report = commands.add_parser(
        "report",
        parents=[where],
        help="which named mistakes a class made: HTML with a chart, and CSV",
        description=(
            "The instructor's mistake report on one graded chapter, from what grading stored"
            " (the gradebook's points and the verdicts in autograded/; nothing is graded"
            " again): per graded cell the share of submissions with every point and the mean"
            " points; the catalogued mistakes the checks named, ranked by how many students"
            " made them, with the cells they occurred in and the students' ids. Writes"
            " report.html (self-contained, the chart embedded), chart.png, cells.csv and"
            " mistakes.csv into reports/CHAPTER/ in the course, or into --output DIR."
        ),
    )
    report.add_argument("chapter", help="ch09 or 9 (one chapter)")
    report.add_argument(
        "--output", help="folder to write the files into (default: reports/CHAPTER/ in the course)"
    )
    report.set_defaults(run=command_report)
    return parser


def main(argv: list[str] | None = None) -> int:
    options = build_parser().parse_args(argv)
    course_config.use_environment_tools()
    course_config.skip_slow_optional_imports()
    try:
        return options.run(options)
    except CliError as error:
        print(f"nnfs-grade: {error}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    sys.exit(main())


__all__ = ["Course", "build_parser", "export_report", "identify", "main", "normalize_chapter"]
