"""Grading end to end with the real nbgrader CLI and an SQLite gradebook.

One batch of submissions of both pilots (ch09 and ch10, released in the same course) goes
through ``nnfs-grade init → release → collect → autograde → export`` twice, in two copies of the
course: once serially and once with ``--workers 2``. The batch holds

* for ch09, honest, broken and hostile notebooks: the solution, the untouched release, bad JSON,
  a deleted or duplicated test cell, an infinite loop, ``os._exit``, patched NumPy, forged
  probes, an attack on the gradebook, a made-up test cell;
* for ch09 and ch10, the solution, the untouched release, and every catalogued mistake the
  pilots can make, each dropped into its pilot's solution cell as a learner would write it. To
  keep the run short, mistakes that zero different test cells share a submission (eight for
  ch09, four for ch10); ``NNFS_E2E_MISTAKES=alone`` grades each in a submission of its own
  (about three minutes more). The table, the groups and the entries that belong to later
  chapters are in ``tests/mistakes/pilots.py``.

The tests then check the exact points of every test cell, that the message of a cell a mistake
zeroed names that mistake, that the batch finished, that both gradebooks agree, and that no
submission reached the gradebook or the source notebooks.

To grade one more kind of submission add one line to ``SUBMISSIONS``: the student id, how to
build the notebook from the pilot (``solved(...)`` or ``released(...)`` with changes such as
``delete_cell``, ``insert_after``, ``in_method`` or ``drop_in``), the points expected per test
cell (``FULL``, ``ZERO`` or a dict of exceptions to ``FULL``) and, if not ch09, the chapter.
"""

from __future__ import annotations

import copy
import csv
import fcntl
import json
import os
import shutil
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import nbformat
import pytest
from dask_cluster import local_cluster
from mistakes.pilots import BY_ID, DROP_INS, GROUPS, NOT_IN_PILOTS, DropIn

from autograder.checks.diagnosis import CATALOGUE

REPO = Path(__file__).resolve().parent.parent
CHAPTERS = {"ch09": "ch09_backpropagation", "ch10": "ch10_optimizers"}  # chapter -> notebook
CHAPTER = "ch09"  # the chapter of the broken and hostile submissions
NOTEBOOK = CHAPTERS[CHAPTER]
SOURCE = REPO / "notebooks" / CHAPTER / f"{NOTEBOOK}.ipynb"
CELL_TIMEOUT = 5  # seconds: short, so the infinite loop costs little


def source_notebook(chapter: str) -> Path:
    return REPO / "notebooks" / chapter / f"{CHAPTERS[chapter]}.ipynb"


def e2e(*chapters: str):
    """The marks of a test that needs the graded batch: grading, slow and its chapters."""

    def mark(test):
        for name in ("grading", "slow", *chapters):
            test = getattr(pytest.mark, name)(test)
        return test

    return mark


# ---------------------------------------------------------------------------------------
# Building submissions from the pilot
# ---------------------------------------------------------------------------------------


@dataclass
class Pilot:
    """A chapter's source notebook and its released (student) version."""

    chapter: str
    source: dict
    release: dict
    course: Path

    def cell(self, notebook: dict, grade_id: str) -> dict:
        for cell in notebook["cells"]:
            if cell["metadata"].get("nbgrader", {}).get("grade_id") == grade_id:
                return cell
        raise KeyError(grade_id)

    def tests(self) -> dict[str, float]:
        """Test cell id -> points, read from the source so the test follows the pilot."""
        found = {}
        for cell in self.source["cells"]:
            meta = cell["metadata"].get("nbgrader", {})
            if meta.get("grade") and not meta.get("solution") and cell["cell_type"] == "code":
                found[meta["grade_id"]] = float(meta["points"])
        return found


Builder = Callable[[Pilot], "dict | str"]


Change = Callable[[Pilot, dict], None]


def _with_changes(build: Builder, changes: tuple[Change, ...]) -> Builder:
    def changed(pilot: Pilot) -> dict:
        notebook = build(pilot)
        for change in changes:
            change(pilot, notebook)
        return notebook

    return changed


def released(*changes: Change) -> Builder:
    """The released notebook, as a learner who wrote nothing hands it in (then ``changes``)."""
    return _with_changes(lambda pilot: copy.deepcopy(pilot.release), changes)


def _text(source: str | list[str]) -> str:
    return "".join(source) if isinstance(source, list) else source


SOLUTION_MARKERS = ("### BEGIN SOLUTION", "### END SOLUTION")


def as_written(source: str | list[str]) -> str:
    """A solution cell's source as a learner hands it in: the instructor's solution code in
    place of the released ``raise NotImplementedError()`` stubs, without the region markers."""
    kept = [
        line
        for line in _text(source).splitlines(keepends=True)
        if line.strip() not in SOLUTION_MARKERS
    ]
    return "".join(kept)


def solved(*changes: Change) -> Builder:
    """The released notebook with every solution cell filled in from the source."""

    def build(pilot: Pilot) -> dict:
        notebook = copy.deepcopy(pilot.release)
        for cell in notebook["cells"]:
            meta = cell["metadata"].get("nbgrader", {})
            if meta.get("solution"):
                cell["source"] = as_written(pilot.cell(pilot.source, meta["grade_id"])["source"])
        return notebook

    return _with_changes(build, changes)


def _index(pilot: Pilot, notebook: dict, grade_id: str) -> int:
    return notebook["cells"].index(pilot.cell(notebook, grade_id))


def delete_cell(grade_id: str):
    return lambda pilot, nb: nb["cells"].pop(_index(pilot, nb, grade_id))


def duplicate_cell(grade_id: str):
    def change(pilot, nb):
        at = _index(pilot, nb, grade_id)
        nb["cells"].insert(at + 1, copy.deepcopy(nb["cells"][at]))

    return change


def insert_after(grade_id: str, code: str | Callable[[Pilot], str]):
    def change(pilot, nb):
        text = code(pilot) if callable(code) else code
        cell = nbformat.v4.new_code_cell(text)
        nb["cells"].insert(_index(pilot, nb, grade_id) + 1, json.loads(json.dumps(cell)))

    return change


def in_method(grade_id: str, method: str, code: str):
    """Put ``code`` as the first line of ``method`` in a solution cell."""

    def change(pilot, nb):
        cell = pilot.cell(nb, grade_id)
        head, sep, tail = _text(cell["source"]).partition(f"def {method}(")
        signature, newline, body = tail.partition("\n")
        cell["source"] = f"{head}{sep}{signature}{newline}        {code}\n{body}"

    return change


def drop_in(entry: DropIn) -> Change:
    """A catalogued mistake written into its solution cell (each edit applies exactly once)."""

    def change(pilot, nb):
        cell = pilot.cell(nb, entry.cell)
        cell["source"] = entry.apply(_text(cell["source"]))

    return change


def raw(text: str) -> Builder:
    return lambda pilot: text


PATCH_NUMPY = """\
import numpy as np
from autograder.checks import REGISTRY
from autograder.checks.base import CheckResult
np.allclose = lambda *args, **kwargs: True
np.array_equal = lambda *args, **kwargs: True
np.testing.assert_allclose = lambda *args, **kwargs: None
for _check in REGISTRY.values():
    type(_check).judge = lambda self, probe, max_points=None: CheckResult(
        probe.check, "pass", 1.0, 1.0, "patched")
"""

FAKE_PROBES = """\
from IPython.display import display
def check(*args, **kwargs):
    print("✓ all good")
def submit(name, learner, *, seed, weight=1.0):
    probe = {"check": name, "seed": seed, "captured": {"output": [[1.0]]}, "error": None}
    display({"application/vnd.nnfs-course.probe+json": {"probe": probe, "weight": weight},
             "text/plain": "fake"}, raw=True)
"""


def invent_test_cell(pilot: Pilot, notebook: dict) -> None:
    """A graded test cell of the student's own making, worth 100 points, that always passes."""
    at = _index(pilot, notebook, "ch09_imports") + 1
    cell = json.loads(json.dumps(nbformat.v4.new_code_cell("print('100 points, please')")))
    cell["metadata"]["nbgrader"] = {
        "grade": True, "solution": False, "locked": True, "task": False,
        "grade_id": "test_bonus", "points": 100, "schema_version": 3,
    }  # fmt: skip
    notebook["cells"].insert(at, cell)


def attack_gradebook(pilot: Pilot) -> str:
    targets = [pilot.course / "gradebook.db", pilot.course / "source" / CHAPTER / SOURCE.name]
    return f"""\
reached = []
for target in {[str(t) for t in targets]!r}:
    try:
        with open(target, "r+b") as file:
            file.write(b"corrupted by a submission")
        reached.append(target)
    except OSError as error:
        print(type(error).__name__)
print("reached:", reached)
"""


FULL: dict[str, float] = {}  # every test cell scores its points
ZERO = None  # every test cell scores 0


@dataclass
class Submission:
    student: str
    build: Builder
    expected: dict[str, float] | None  # FULL (with exceptions), or ZERO
    graded: bool = True
    chapter: str = CHAPTER
    mistakes: tuple[str, ...] = ()  # catalogue ids dropped in

    @property
    def label(self) -> str:
        return f"{self.chapter}-{self.student}"


def with_mistakes(student: str, entries: tuple[DropIn, ...]) -> Submission:
    """The solution with these catalogued mistakes (one chapter) dropped in, nothing else."""
    zero: dict[str, float] = {}
    for entry in entries:
        zero |= entry.zero()
    build = solved(*map(drop_in, entries))
    mistakes = tuple(entry.mistake for entry in entries)
    return Submission(student, build, zero, chapter=entries[0].chapter, mistakes=mistakes)


def mistake_submissions() -> list[Submission]:
    if os.environ.get("NNFS_E2E_MISTAKES") == "alone":
        return [with_mistakes(entry.mistake, (entry,)) for entry in DROP_INS]
    # Ids without digits: collect reads "name_3_1013_2013_file.ipynb" as Canvas's login "name".
    return [
        with_mistakes(f"mistakes_{letter}", tuple(BY_ID[mistake] for mistake in group))
        for groups in GROUPS.values()
        for letter, group in zip("abcdefghij", groups, strict=False)
    ]


LOOP_IN_RELU_BACKWARD = in_method("ch09_activation_relu", "backward", "while True: pass")
EXIT_IN_SOFTMAX = in_method("ch09_activation_softmax", "forward", "import os; os._exit(0)")
RELU_BACKWARD_ZERO = {"test_relu_backward": 0}
FROM_SOFTMAX_ON = dict.fromkeys(
    ["test_softmax_forward", "test_softmax_backward", "test_cce_forward", "test_cce_backward",
     "test_softmax_cce_backward"], 0)  # fmt: skip

SUBMISSIONS = [
    Submission("solution", solved(), FULL),
    Submission("untouched", released(), ZERO),
    Submission("bad_json", raw('{"cells": [{"cell_type": "code", '), ZERO, graded=False),
    Submission("deleted_test", solved(delete_cell("test_relu_backward")), RELU_BACKWARD_ZERO),
    Submission("duplicated_test", solved(duplicate_cell("test_dense_forward")), FULL),
    Submission("infinite_loop", solved(LOOP_IN_RELU_BACKWARD), RELU_BACKWARD_ZERO),
    Submission("exits", solved(EXIT_IN_SOFTMAX), FROM_SOFTMAX_ON),
    Submission("patches_numpy", released(insert_after("ch09_imports", PATCH_NUMPY)), ZERO),
    Submission("fakes_probes", released(insert_after("ch09_imports", FAKE_PROBES)), ZERO),
    Submission("attacks_gradebook", solved(insert_after("ch09_imports", attack_gradebook)), FULL),
    Submission("invents_a_test", solved(invent_test_cell), FULL),
    Submission("solution", solved(), FULL, chapter="ch10"),
    Submission("untouched", released(), ZERO, chapter="ch10"),
    *mistake_submissions(),
]  # fmt: skip
#: The submission each dropped-in mistake went in with.
SUBMITTED_IN = {mistake: s for s in SUBMISSIONS for mistake in s.mistakes}


def expected_points(submission: Submission, tests: dict[str, float]) -> dict[str, float]:
    if submission.expected is ZERO:
        return dict.fromkeys(tests, 0.0)
    return {cell: submission.expected.get(cell, points) for cell, points in tests.items()}


# ---------------------------------------------------------------------------------------
# The course, graded twice
# ---------------------------------------------------------------------------------------


def nnfs_grade(*args: str, course: Path | None = None, check: bool = True):
    command = [sys.executable, "-m", "autograder.cli"]
    if course is not None:
        command += ["--course", str(course)]
    result = subprocess.run([*command, *args], capture_output=True, text=True, timeout=900)
    if check and result.returncode != 0:
        raise AssertionError(
            f"nnfs-grade {' '.join(args)} failed:\n{result.stdout}\n{result.stderr}"
        )
    return result


@dataclass
class Run:
    returncode: int
    stdout: str
    stderr: str


@dataclass
class Graded:
    pilots: dict[str, Pilot]
    serial: Path
    parallel: Path
    runs: dict[str, Run]
    seconds: dict[str, float]
    exports: dict[str, dict]

    def notebook(self, submission: Submission, run: str = "serial") -> dict:
        """The exported report on the submission's notebook."""
        chapter = self.exports[run]["students"][submission.student][submission.chapter]
        return chapter["notebooks"][CHAPTERS[submission.chapter]]

    def to_json(self) -> dict:
        return {
            "pilots": {
                chapter: {"source": pilot.source, "release": pilot.release}
                for chapter, pilot in self.pilots.items()
            },
            "course": str(next(iter(self.pilots.values())).course),
            "serial": str(self.serial),
            "parallel": str(self.parallel),
            "runs": {label: vars(run) for label, run in self.runs.items()},
            "seconds": self.seconds,
            "exports": self.exports,
        }

    @classmethod
    def from_json(cls, data: dict) -> Graded:
        course = Path(data["course"])
        return cls(
            {
                chapter: Pilot(chapter, **pilot, course=course)
                for chapter, pilot in data["pilots"].items()
            },
            Path(data["serial"]),
            Path(data["parallel"]),
            {label: Run(**run) for label, run in data["runs"].items()},
            data["seconds"],
            data["exports"],
        )


def grade_batch(base: Path) -> Graded:
    """init → release both pilots → collect SUBMISSIONS → autograde serially and with 2 workers
    → export."""
    course = base / "course"
    nnfs_grade("init", str(course), "--cell-timeout", str(CELL_TIMEOUT))
    pilots = {}
    for chapter, notebook in CHAPTERS.items():
        nnfs_grade("release", chapter, course=course)
        release = json.loads((course / "release" / chapter / f"{notebook}.ipynb").read_text())
        source = json.loads((course / "source" / chapter / f"{notebook}.ipynb").read_text())
        pilots[chapter] = Pilot(chapter, source=source, release=release, course=course)

    inbox = base / "inbox"
    inbox.mkdir()
    for number, submission in enumerate(SUBMISSIONS):
        notebook = submission.build(pilots[submission.chapter])
        text = notebook if isinstance(notebook, str) else json.dumps(notebook, indent=1)
        name, student = f"{CHAPTERS[submission.chapter]}.ipynb", submission.student
        # The three naming schemes collect understands, in turn.
        path = [
            inbox / f"{student}_{1000 + number}_{2000 + number}_{name}",
            inbox / f"{student}_{3000 + number}_assignsubmission_file_{name}",
            inbox / student / submission.chapter / name,
        ][number % 3]
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
    (inbox / "notes.txt").write_text("not a submission")
    nnfs_grade("collect", str(inbox), course=course)

    copies = {label: base / label for label in ("serial", "parallel", "dask", "dask_killed")}
    for where in copies.values():
        shutil.copytree(course, where)
    runs, seconds = {}, {}

    def grade(label: str, *options: str) -> None:
        started = time.monotonic()
        for chapter in CHAPTERS:  # not "all": the course may hold chapters beyond the pilots
            done = nnfs_grade("autograde", chapter, *options, course=copies[label], check=False)
            runs[f"{label} {chapter}"] = Run(done.returncode, done.stdout, done.stderr)
        seconds[label] = time.monotonic() - started

    grade("serial", "--workers", "1")
    grade("parallel", "--workers", "2")
    # A real Dask scheduler and two workers on loopback: once as they are, once with a worker
    # killed (SIGKILL) while the batch runs, after its first results came back.
    with local_cluster(2, log_dir=base) as cluster:
        grade("dask", "--scheduler", cluster.address)
        runs["dask workers after"] = Run(cluster.alive(), "", "")
    with local_cluster(2, log_dir=base) as cluster:
        started = time.monotonic()
        chapter = "ch09"
        args = ["autograde", chapter, "--scheduler", cluster.address]
        command = [sys.executable, "-m", "autograder.cli", "--course", str(copies["dask_killed"])]
        lines = []
        with subprocess.Popen([*command, *args], stdout=subprocess.PIPE, text=True) as process:
            for line in process.stdout:
                lines.append(line)
                if "[2/" in line and cluster.alive() == 2:
                    cluster.kill_worker(0)
                    lines.append("(the test killed worker0 here)\n")
            process.wait(900)
        runs[f"dask_killed {chapter}"] = Run(process.returncode, "".join(lines), "")
        done = nnfs_grade(
            "autograde", "ch10", "--scheduler", cluster.address, course=copies["dask_killed"]
        )
        runs["dask_killed ch10"] = Run(done.returncode, done.stdout, done.stderr)
        seconds["dask_killed"] = time.monotonic() - started
    exports = {label: export_json(where) for label, where in copies.items()}
    return Graded(pilots, copies["serial"], copies["parallel"], runs, seconds, exports)


@pytest.fixture(scope="module")
def graded(tmp_path_factory) -> Graded:
    """The batch is graded once per test session, even when pytest-xdist spreads these tests
    over workers: the first one grades, the others wait on a lock and read its record."""
    missing = [path for path in map(source_notebook, CHAPTERS) if not path.exists()]
    if missing:
        pytest.skip(f"pilot notebooks missing: {missing}")
    shared = tmp_path_factory.getbasetemp()
    if os.environ.get("PYTEST_XDIST_WORKER"):
        shared = shared.parent  # the session's folder, common to all workers
    base, record = shared / "grading-e2e", shared / "grading-e2e.json"
    with open(shared / "grading-e2e.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not record.exists():
            base.mkdir(exist_ok=True)
            record.write_text(json.dumps(grade_batch(base).to_json()))
    return Graded.from_json(json.loads(record.read_text()))


def export_json(course: Path) -> dict:
    return json.loads(nnfs_grade("export", "--format", "json", course=course).stdout)


def _by_chapter(items, label):
    return [
        pytest.param(item, id=label(item), marks=getattr(pytest.mark, item.chapter))
        for item in items
    ]


@e2e("ch09", "ch10")
def test_the_batch_finishes_and_reports_the_unreadable_submission(graded: Graded):
    for label in ("serial", "parallel", "dask", "dask_killed"):
        print(f"\n{label} autograde: {graded.seconds[label]:.1f} s")
        for chapter in CHAPTERS:
            run = graded.runs[f"{label} {chapter}"]
            # 2: every submission was processed, but one could not be graded (bad JSON, ch09).
            returncode = 2 if chapter == CHAPTER else 0
            assert run.returncode == returncode, f"{label}:\n{run.stdout}\n{run.stderr}"
            table = run.stdout
            students = [s.student for s in SUBMISSIONS if s.chapter == chapter]
            assert f"{chapter}: grading {len(students)} submission(s)" in table
            assert all(student in table for student in students)
            print(table)
        table = graded.runs[f"{label} {CHAPTER}"].stdout
        assert "bad_json" in table and "not valid JSON" in table


@e2e()
@pytest.mark.parametrize("submission", _by_chapter(SUBMISSIONS, lambda s: s.label))
def test_every_test_cell_scores_exactly_what_is_expected(graded: Graded, submission: Submission):
    tests = graded.pilots[submission.chapter].tests()
    notebook = graded.notebook(submission)
    assert notebook["graded"] is submission.graded, notebook["note"]
    points = {cell: value["points"] for cell, value in notebook["cells"].items()}
    assert points == expected_points(submission, tests), json.dumps(notebook, indent=1)
    for grade_id, cell in notebook["cells"].items():
        assert cell["max_points"] == tests[grade_id]
        assert cell["message"], "every test cell says why it scored what it scored"


@e2e()
@pytest.mark.parametrize("entry", _by_chapter(DROP_INS, lambda entry: entry.mistake))
def test_a_dropped_in_mistake_is_named_where_it_costs_points(graded: Graded, entry: DropIn):
    """The failing cell's exported message carries the catalogue entry's title and hint (the
    hidden check's line names it, and the cell's message repeats each ✗ line; the visible
    check records nothing while grading)."""
    mistake = CATALOGUE[entry.mistake]
    cells = graded.notebook(SUBMITTED_IN[entry.mistake])["cells"]
    for grade_id in entry.named:
        cell = cells[grade_id]
        text = "\n".join([cell["message"], *(line["message"] or "" for line in cell["checks"])])
        assert mistake.title in text and mistake.hint in text, f"{grade_id}: {text}"


@e2e("ch09", "ch10")
def test_serial_and_parallel_gradebooks_agree(graded: Graded):
    assert graded.exports["serial"] == graded.exports["parallel"]


@e2e("ch09", "ch10")
def test_a_dask_cluster_grades_exactly_as_a_serial_run(graded: Graded):
    """Sandboxes on the workers of a real Dask cluster, broken and hostile submissions
    included: the gradebook is the serial run's, and no submission took a worker down."""
    assert graded.exports["dask"] == graded.exports["serial"]
    assert graded.runs["dask workers after"].returncode == 2, "a worker died during the batch"


@e2e("ch09", "ch10")
def test_every_notebook_nbgrader_grades_was_run_ahead(graded: Graded):
    """nnfs-grade foresaw every sanitized notebook (same key as nbgrader's): nbgrader executed
    none itself, in any of the runs (the unreadable one never reaches execution)."""
    for label in ("serial", "parallel", "dask"):
        for chapter in CHAPTERS:
            log = graded.serial.parent / label / "logs" / f"autograde-{chapter}.log"
            text = log.read_text(encoding="utf-8")
            assert "Using the pre-executed result" in text, f"{label} {chapter}"
            assert "in a sandbox" not in text, f"{label} {chapter}: nbgrader executed one itself"
            assert "No result was run ahead" not in text, f"{label} {chapter}"


@e2e("ch09", "ch10")
def test_a_worker_killed_mid_batch_loses_nothing(graded: Graded):
    run = graded.runs["dask_killed ch09"]
    assert "(the test killed worker0 here)" in run.stdout, run.stdout
    assert graded.exports["dask_killed"] == graded.exports["serial"], run.stdout


@e2e("ch09")
def test_messages_say_what_happened(graded: Graded):
    students = graded.exports["serial"]["students"]

    def cell(student, grade_id):
        return students[student][CHAPTER]["notebooks"][NOTEBOOK]["cells"][grade_id]

    assert "✓ dense_forward" in cell("solution", "test_dense_forward")["message"]
    # While grading the visible check stays silent; the hidden one says what is missing.
    assert (
        "✗ dense_forward: not implemented yet" in cell("untouched", "test_dense_forward")["message"]
    )
    assert "not valid JSON" in cell("bad_json", "test_dense_forward")["message"]
    deleted = cell("deleted_test", "test_relu_backward")
    assert deleted["status"] == "missing" and deleted["needs_manual_grade"]
    assert "CellTimeoutError" in cell("infinite_loop", "test_relu_backward")["message"]
    assert "kernel stopped" in cell("exits", "test_softmax_forward")["message"]
    assert "did not run" in cell("exits", "test_cce_forward")["message"]
    # The visible check passed inside the kernel (judges patched there); the real judge did not.
    patched = cell("patches_numpy", "test_dense_forward")
    assert patched["status"] == "failed" and "patched" not in patched["message"]
    assert cell("fakes_probes", "test_dense_forward")["status"] == "failed"
    sandbox = students["exits"][CHAPTER]["notebooks"][NOTEBOOK]["sandbox"]
    assert sandbox["status"] == "kernel_died"


@e2e("ch09")
def test_no_submission_reached_the_gradebook_or_the_source(graded: Graded):
    for course in (graded.serial, graded.parallel):
        autograded = course / "autograded" / "attacks_gradebook" / CHAPTER / SOURCE.name
        outputs = [
            "".join(output.get("text", ""))
            for cell in json.loads(autograded.read_text())["cells"]
            if cell["cell_type"] == "code"
            for output in cell.get("outputs", [])
        ]
        assert any("reached: []" in text for text in outputs), outputs
        source = course / "source" / CHAPTER / SOURCE.name
        assert source.read_bytes() == (REPO / "notebooks" / CHAPTER / SOURCE.name).read_bytes()
        assert b"corrupted" not in (course / "gradebook.db").read_bytes()[:100]


@e2e("ch09", "ch10")
def test_csv_export_and_feedback(graded: Graded, tmp_path):
    course = graded.serial
    target = tmp_path / "grades.csv"
    nnfs_grade("export", "--format", "csv", "--output", str(target), course=course)
    with open(target, newline="") as file:
        rows = {(row["assignment"], row["student_id"]): row for row in csv.DictReader(file)}
    for chapter, pilot in graded.pilots.items():
        total = sum(pilot.tests().values())
        assert float(rows[chapter, "solution"]["score"]) == total
        assert float(rows[chapter, "untouched"]["score"]) == 0
    assert float(rows[CHAPTER, "bad_json"]["score"]) == 0

    result = nnfs_grade("feedback", CHAPTER, course=course)
    assert "feedback" in result.stdout
    assert (course / "feedback" / "solution" / CHAPTER / f"{NOTEBOOK}.html").is_file()


@e2e("ch09", "ch10")
def test_plain_nbgrader_still_works_in_the_course(graded: Graded):
    result = subprocess.run(
        [sys.executable, "-m", "nbgrader", "db", "student", "list"],
        cwd=graded.serial,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    assert "solution" in result.stdout


# ---------------------------------------------------------------------------------------
# The drop-in table itself (quick: no grading)
# ---------------------------------------------------------------------------------------


def _graded_checks(chapter: str) -> set[str]:
    """The checks a pilot grades: its test cells' ids without ``test_``."""
    notebook = json.loads(source_notebook(chapter).read_text())
    found = set()
    for cell in notebook["cells"]:
        meta = cell["metadata"].get("nbgrader", {})
        if meta.get("grade") and not meta.get("solution") and cell["cell_type"] == "code":
            found.add(meta["grade_id"].removeprefix("test_"))
    return found


@pytest.mark.ch09
@pytest.mark.ch10
def test_every_catalogued_mistake_the_pilots_can_make_is_dropped_in():
    """A catalogue entry applies to the pilots when one of its checks is graded there; every
    such entry is dropped in once, and the entries listed as belonging elsewhere do not apply."""
    graded_checks = _graded_checks("ch09") | _graded_checks("ch10")
    applies = {m.id for m in CATALOGUE.values() if set(m.checks) & graded_checks}
    dropped_ids = [entry.mistake for entry in DROP_INS]
    assert len(dropped_ids) == len(set(dropped_ids)), "a mistake dropped in twice"
    assert set(dropped_ids) == applies
    for mistake in NOT_IN_PILOTS:
        assert mistake in CATALOGUE, mistake
        assert set(CATALOGUE[mistake].checks).isdisjoint(graded_checks), mistake


def _solution_cells(chapter: str) -> dict[str, str]:
    """grade_id -> source as a learner writes it, for the pilot's solution cells."""
    notebook = json.loads(source_notebook(chapter).read_text())
    return {
        cell["metadata"]["nbgrader"]["grade_id"]: as_written(cell["source"])
        for cell in notebook["cells"]
        if cell["metadata"].get("nbgrader", {}).get("solution")
    }


@pytest.mark.ch09
@pytest.mark.ch10
def test_each_drop_in_is_graded_once_and_alone_in_the_cells_it_zeroes():
    assert SUBMITTED_IN.keys() == BY_ID.keys()
    assert sum(len(s.mistakes) for s in SUBMISSIONS) == len(DROP_INS)
    for submission in SUBMISSIONS:
        entries = [BY_ID[mistake] for mistake in submission.mistakes]
        assert all(entry.chapter == submission.chapter for entry in entries)
        zeroed = [cell for entry in entries for cell in entry.zero()]
        assert len(zeroed) == len(set(zeroed)), f"{submission.label}: {sorted(zeroed)}"
        # One after another, each edit still applies exactly once, and the cells compile.
        cells = _solution_cells(submission.chapter)
        for entry in entries:
            cells[entry.cell] = entry.apply(cells[entry.cell])
        for grade_id, source in cells.items():
            compile(source, grade_id, "exec")


@pytest.mark.parametrize("entry", _by_chapter(DROP_INS, lambda entry: entry.mistake))
def test_a_drop_in_applies_exactly_once_to_the_pilot(entry: DropIn):
    """Against the repository's pilot: every edit's old text occurs once in the solution cell
    (``apply`` raises otherwise), the result still compiles, and the cells it zeroes exist; the
    named ones are checks the catalogue entry is registered for."""
    written = _solution_cells(entry.chapter)[entry.cell]
    mutated = entry.apply(written)
    assert mutated != written
    compile(mutated, entry.cell, "exec")
    tests = set(_graded_checks(entry.chapter))
    for grade_id in (*entry.named, *entry.cascade):
        assert grade_id.removeprefix("test_") in tests, grade_id
    for grade_id in entry.named:
        assert grade_id.removeprefix("test_") in CATALOGUE[entry.mistake].checks, grade_id
