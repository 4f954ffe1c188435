"""Grading end to end with the real nbgrader CLI and an SQLite gradebook.

One batch of ch09 submissions, honest, broken and hostile, goes through
``nnfs-grade init → release → collect → autograde → export`` twice, in two copies of the
course: once serially and once with ``--workers 2``. The tests then check the exact points of
every test cell, that the batch finished, that both gradebooks agree, and that no submission
reached the gradebook or the source notebooks.

To grade one more kind of submission add one line to ``SUBMISSIONS``: the student id, how to
build the notebook from the pilot (``solved(...)`` or ``released(...)`` with changes such as
``delete_cell``, ``insert_after`` or ``in_method``) and the points expected per test cell
(``FULL``, ``ZERO`` or a dict of exceptions to ``FULL``).
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

pytestmark = [pytest.mark.grading, pytest.mark.slow, pytest.mark.ch09]

REPO = Path(__file__).resolve().parent.parent
CHAPTER = "ch09"
NOTEBOOK = "ch09_backpropagation"
SOURCE = REPO / "notebooks" / CHAPTER / f"{NOTEBOOK}.ipynb"
CELL_TIMEOUT = 5  # seconds: short, so the infinite loop costs little


# ---------------------------------------------------------------------------------------
# Building submissions from the pilot
# ---------------------------------------------------------------------------------------


@dataclass
class Pilot:
    """The chapter's source notebook and its released (student) version."""

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


def solved(*changes: Change) -> Builder:
    """The released notebook with every solution cell filled in from the source."""

    def build(pilot: Pilot) -> dict:
        notebook = copy.deepcopy(pilot.release)
        for cell in notebook["cells"]:
            meta = cell["metadata"].get("nbgrader", {})
            if meta.get("solution"):
                cell["source"] = pilot.cell(pilot.source, meta["grade_id"])["source"]
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
        source = "".join(cell["source"]) if isinstance(cell["source"], list) else cell["source"]
        head, sep, tail = source.partition(f"def {method}(")
        signature, newline, body = tail.partition("\n")
        cell["source"] = f"{head}{sep}{signature}{newline}        {code}\n{body}"

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
]  # fmt: skip


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
    pilot: Pilot
    serial: Path
    parallel: Path
    runs: dict[str, Run]
    seconds: dict[str, float]
    exports: dict[str, dict]

    def to_json(self) -> dict:
        return {
            "pilot": {"source": self.pilot.source, "release": self.pilot.release},
            "course": str(self.pilot.course),
            "serial": str(self.serial),
            "parallel": str(self.parallel),
            "runs": {label: vars(run) for label, run in self.runs.items()},
            "seconds": self.seconds,
            "exports": self.exports,
        }

    @classmethod
    def from_json(cls, data: dict) -> Graded:
        return cls(
            Pilot(**data["pilot"], course=Path(data["course"])),
            Path(data["serial"]),
            Path(data["parallel"]),
            {label: Run(**run) for label, run in data["runs"].items()},
            data["seconds"],
            data["exports"],
        )


def grade_batch(base: Path) -> Graded:
    """init → release → collect SUBMISSIONS → autograde serially and with 2 workers → export."""
    course = base / "course"
    nnfs_grade("init", str(course), "--cell-timeout", str(CELL_TIMEOUT))
    nnfs_grade("release", CHAPTER, course=course)
    release = json.loads((course / "release" / CHAPTER / SOURCE.name).read_text())
    source = json.loads((course / "source" / CHAPTER / SOURCE.name).read_text())
    pilot = Pilot(source=source, release=release, course=course)

    inbox = base / "inbox"
    inbox.mkdir()
    for number, submission in enumerate(SUBMISSIONS):
        notebook = submission.build(pilot)
        text = notebook if isinstance(notebook, str) else json.dumps(notebook, indent=1)
        # The three naming schemes collect understands, in turn.
        path = [
            inbox / f"{submission.student}_{1000 + number}_{2000 + number}_{SOURCE.name}",
            inbox / f"{submission.student}_{3000 + number}_assignsubmission_file_{SOURCE.name}",
            inbox / submission.student / CHAPTER / SOURCE.name,
        ][number % 3]
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
    (inbox / "notes.txt").write_text("not a submission")
    nnfs_grade("collect", str(inbox), course=course)

    serial, parallel = base / "serial", base / "parallel"
    shutil.copytree(course, serial)
    shutil.copytree(course, parallel)
    runs, seconds = {}, {}
    for label, where, workers in (("serial", serial, "1"), ("parallel", parallel, "2")):
        started = time.monotonic()
        done = nnfs_grade("autograde", CHAPTER, "--workers", workers, course=where, check=False)
        seconds[label] = time.monotonic() - started
        runs[label] = Run(done.returncode, done.stdout, done.stderr)
    exports = {"serial": export_json(serial), "parallel": export_json(parallel)}
    return Graded(pilot, serial, parallel, runs, seconds, exports)


@pytest.fixture(scope="module")
def graded(tmp_path_factory) -> Graded:
    """The batch is graded once per test session, even when pytest-xdist spreads these tests
    over workers: the first one grades, the others wait on a lock and read its record."""
    if not SOURCE.exists():
        pytest.skip(f"the pilot notebook {SOURCE} is missing")
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


def test_the_batch_finishes_and_reports_the_unreadable_submission(graded: Graded):
    for label, run in graded.runs.items():
        # 2: every submission was processed, but one could not be graded (bad JSON).
        assert run.returncode == 2, f"{label}:\n{run.stdout}\n{run.stderr}"
        table = run.stdout
        for submission in SUBMISSIONS:
            assert submission.student in table
        assert "bad_json" in table and "not valid JSON" in table
        print(f"\n{label} autograde: {graded.seconds[label]:.1f} s\n{table}")


@pytest.mark.parametrize("submission", SUBMISSIONS, ids=lambda s: s.student)
def test_every_test_cell_scores_exactly_what_is_expected(graded: Graded, submission: Submission):
    tests = graded.pilot.tests()
    report = graded.exports["serial"]["students"][submission.student][CHAPTER]
    notebook = report["notebooks"][NOTEBOOK]
    assert notebook["graded"] is submission.graded, notebook["note"]
    points = {cell: value["points"] for cell, value in notebook["cells"].items()}
    assert points == expected_points(submission, tests), json.dumps(notebook, indent=1)
    for grade_id, cell in notebook["cells"].items():
        assert cell["max_points"] == tests[grade_id]
        assert cell["message"], "every test cell says why it scored what it scored"


def test_serial_and_parallel_gradebooks_agree(graded: Graded):
    assert graded.exports["serial"] == graded.exports["parallel"]


def test_messages_say_what_happened(graded: Graded):
    students = graded.exports["serial"]["students"]

    def cell(student, grade_id):
        return students[student][CHAPTER]["notebooks"][NOTEBOOK]["cells"][grade_id]

    assert "✓ dense_forward" in cell("solution", "test_dense_forward")["message"]
    assert "CheckFailed" in cell("untouched", "test_dense_forward")["message"]
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


def test_csv_export_and_feedback(graded: Graded, tmp_path):
    course = graded.serial
    target = tmp_path / "grades.csv"
    nnfs_grade("export", "--format", "csv", "--output", str(target), course=course)
    with open(target, newline="") as file:
        rows = {row["student_id"]: row for row in csv.DictReader(file)}
    total = sum(graded.pilot.tests().values())
    assert float(rows["solution"]["score"]) == total
    assert float(rows["untouched"]["score"]) == 0
    assert float(rows["bad_json"]["score"]) == 0

    result = nnfs_grade("feedback", CHAPTER, course=course)
    assert "feedback" in result.stdout
    assert (course / "feedback" / "solution" / CHAPTER / f"{NOTEBOOK}.html").is_file()


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
