"""``nnfs-grade report``: the instructor's mistake report, on a real graded batch.

Five ch09 submissions go through the real ``nnfs-grade init → release → collect → autograde``
(helpers from ``tests/test_grading.py``), with catalogued mistakes dropped into the pilot's
solution cells (``tests/mistakes/pilots.py``). One student's id is hostile: it starts like a
spreadsheet formula and holds an HTML tag. It cannot come through ``collect`` (which cleans
ids), so it is placed in ``submitted/`` by hand, as plain nbgrader would take it. Then
``nnfs-grade report ch09`` runs, and the tests compare its CSV tables and HTML page with what
was submitted: every cell's pass count and mean, the mistakes ranked by how many students
made them, the cells and the students of each; the chart embedded; the hostile id escaped.

Cost: about 40 s on a 2-core machine (init and release, five sandboxed ch09 notebooks, one
report); the quick tests at the end grade nothing.
"""

from __future__ import annotations

import base64
import csv
import json
import re
from dataclasses import dataclass
from pathlib import Path

import pytest
from mistakes.pilots import BY_ID
from test_grading import CHAPTERS, Pilot, drop_in, nnfs_grade, released, solved

from autograder.report import ClassReport, MistakeStats, named_mistakes
from autograder.report_render import mistake_rows, spreadsheet_safe

CHAPTER = "ch09"
NOTEBOOK = CHAPTERS[CHAPTER]
#: Starts like a formula (CSV injection) and carries markup (HTML injection); no "/" (it is a
#: folder name) and no glob characters (nbgrader finds submissions with glob).
HOSTILE = "=1+2<img src=x onerror=alert(1)>"

#: student -> catalogued mistakes dropped into the solution; None: the untouched release.
SUBMITTED: dict[str, tuple[str, ...] | None] = {
    "ann": (),
    "bob": ("gradient_not_averaged", "dense_dbiases_no_keepdims"),
    "cy": ("gradient_not_averaged", "relu_forward_min"),
    "dee": None,
    HOSTILE: ("gradient_not_averaged",),
}


@dataclass
class Reported:
    course: Path
    pilot: Pilot
    before_autograde: object  # the report command run before anything was graded
    run: object  # the report command's CompletedProcess
    folder: Path

    def csv(self, name: str) -> list[dict[str, str]]:
        with open(self.folder / name, newline="", encoding="utf-8") as file:
            return list(csv.DictReader(file))


@pytest.fixture(scope="module")
def reported(tmp_path_factory) -> Reported:
    base = tmp_path_factory.mktemp("report")
    course = base / "course"
    nnfs_grade("init", str(course))  # the default time limits: no submission here loops
    nnfs_grade("release", CHAPTER, course=course)
    pilot = Pilot(
        CHAPTER,
        source=json.loads((course / "source" / CHAPTER / f"{NOTEBOOK}.ipynb").read_text()),
        release=json.loads((course / "release" / CHAPTER / f"{NOTEBOOK}.ipynb").read_text()),
        course=course,
    )
    inbox = base / "inbox"
    for student, mistakes in SUBMITTED.items():
        build = released() if mistakes is None else solved(*(drop_in(BY_ID[m]) for m in mistakes))
        where = course / "submitted" if student == HOSTILE else inbox
        path = where / student / CHAPTER / f"{NOTEBOOK}.ipynb"
        path.parent.mkdir(parents=True)
        path.write_text(json.dumps(build(pilot), indent=1))
    nnfs_grade("collect", str(inbox), course=course)
    before = nnfs_grade("report", CHAPTER, course=course, check=False)
    nnfs_grade("autograde", CHAPTER, course=course)
    run = nnfs_grade("report", CHAPTER, course=course)
    return Reported(course, pilot, before, run, course / "reports" / CHAPTER)


def expected_cells(pilot: Pilot) -> dict[str, dict[str, float]]:
    """Per test cell, from what was submitted: how many earned every point, the mean points,
    and how many students' verdicts there name a mistake."""
    found = {}
    for cell, points in pilot.tests().items():
        zeroed = [
            student
            for student, mistakes in SUBMITTED.items()
            if mistakes is None or any(cell in BY_ID[m].zero() for m in mistakes)
        ]
        named = [
            student
            for student, mistakes in SUBMITTED.items()
            if mistakes and any(cell in BY_ID[m].named for m in mistakes)
        ]
        passed = len(SUBMITTED) - len(zeroed)
        found[cell] = {
            "max_points": points,
            "passed": passed,
            "mean_points": round(passed * points / len(SUBMITTED), 4),
            "named": len(named),
        }
    return found


def expected_mistakes() -> dict[str, dict[str, object]]:
    """mistake -> the students who made it and the cells it costs (what was dropped in)."""
    found: dict[str, dict[str, object]] = {}
    for student, mistakes in SUBMITTED.items():
        for mistake in mistakes or ():
            entry = found.setdefault(mistake, {"students": set(), "cells": BY_ID[mistake].named})
            entry["students"].add(student)
    return found


@pytest.mark.grading
@pytest.mark.slow
@pytest.mark.ch09
def test_report_before_anything_is_graded_says_to_autograde_first(reported: Reported):
    result = reported.before_autograde
    assert result.returncode == 1, result.stdout
    assert "nobody's ch09 has been autograded yet" in result.stderr
    assert "nnfs-grade autograde ch09" in result.stderr
    assert "Traceback" not in result.stderr


@pytest.mark.grading
@pytest.mark.slow
@pytest.mark.ch09
def test_cells_csv_gives_each_cells_pass_count_and_mean_points(reported: Reported):
    rows = reported.csv("cells.csv")
    expected = expected_cells(reported.pilot)
    # One row per graded cell, in the notebook's order.
    assert [row["cell"] for row in rows] == list(expected)
    for row in rows:
        want = expected[row["cell"]]
        assert row["notebook"] == NOTEBOOK
        assert int(row["submissions"]) == len(SUBMITTED)
        assert float(row["max_points"]) == want["max_points"]
        assert int(row["passed"]) == want["passed"], row
        assert float(row["pass_rate"]) == round(want["passed"] / len(SUBMITTED), 4)
        assert float(row["mean_points"]) == want["mean_points"], row
        assert int(row["students_with_named_mistake"]) == want["named"], row


@pytest.mark.grading
@pytest.mark.slow
@pytest.mark.ch09
def test_mistakes_csv_ranks_the_mistakes_by_students_with_their_cells_and_ids(
    reported: Reported,
):
    rows = reported.csv("mistakes.csv")
    expected = expected_mistakes()
    assert {row["mistake"] for row in rows} == set(expected)
    counts = [int(row["students"]) for row in rows]
    assert counts == sorted(counts, reverse=True), "most students first"
    for row in rows:
        want = expected[row["mistake"]]
        assert int(row["students"]) == len(want["students"])
        # Competition ranking: 1 + the number of mistakes made by more students.
        assert int(row["rank"]) == 1 + sum(int(r["students"]) > int(row["students"]) for r in rows)
        assert row["cells"].split("; ") == list(want["cells"])
        shown = set(row["student_ids"].split("; "))
        assert shown == {spreadsheet_safe(s) for s in want["students"]}
        assert float(row["share"]) == round(len(want["students"]) / len(SUBMITTED), 4)
    top = rows[0]
    assert (top["rank"], top["mistake"], top["students"]) == ("1", "gradient_not_averaged", "3")


@pytest.mark.grading
@pytest.mark.slow
@pytest.mark.ch09
def test_the_verdict_records_each_named_mistakes_id_and_title_when_judged(reported: Reported):
    """What the report reads: JudgeProbes keeps the catalogue's title beside the id, so a
    later change to the catalogue does not rename what a class was graded on."""
    from autograder.checks.diagnosis import CATALOGUE
    from autograder.nbgrader_plugins import METADATA_KEY

    path = reported.course / "autograded" / "bob" / CHAPTER / f"{NOTEBOOK}.ipynb"
    cells = json.loads(path.read_text())["metadata"][METADATA_KEY]["cells"]
    recorded = {
        (grade_id, line["diagnosis"], line.get("mistake_title"))
        for grade_id, verdict in cells.items()
        for line in verdict["checks"]
        if line.get("diagnosis")
    }
    assert recorded == {
        (cell, mistake, CATALOGUE[mistake].title)
        for mistake in SUBMITTED["bob"]
        for cell in BY_ID[mistake].named
    }


@pytest.mark.grading
@pytest.mark.slow
@pytest.mark.ch09
def test_the_hostile_id_cannot_run_as_a_formula_or_as_html(reported: Reported):
    text = (reported.folder / "mistakes.csv").read_text(encoding="utf-8")
    assert "'" + HOSTILE in text
    assert not re.search(r"(^|[,;\"]\s*)=1\+2", text, re.MULTILINE), text
    page = (reported.folder / "report.html").read_text(encoding="utf-8")
    assert "&lt;img src=x onerror=alert(1)&gt;" in page
    assert "<img src=x" not in page
    assert page.count("<img ") == 1, "only the chart is an image"
    assert "default-src 'none'" in page  # no script and no request, whatever slipped through
    assert "<script" not in page.lower()


@pytest.mark.grading
@pytest.mark.slow
@pytest.mark.ch09
def test_the_html_report_embeds_the_chart_and_names_every_mistake(reported: Reported):
    page = (reported.folder / "report.html").read_text(encoding="utf-8")
    embedded = re.search(r'src="data:image/png;base64,([A-Za-z0-9+/=]+)"', page)
    assert embedded, "the chart is embedded"
    png = base64.b64decode(embedded.group(1))
    assert png.startswith(b"\x89PNG\r\n\x1a\n")
    assert png == (reported.folder / "chart.png").read_bytes()
    from autograder.checks.diagnosis import CATALOGUE

    for mistake in expected_mistakes():
        assert CATALOGUE[mistake].title.replace("'", "&#x27;") in page
        assert f"<code>{mistake}</code>" in page
    # The command says where it wrote the files and what came first.
    out = reported.run.stdout
    assert f"Wrote {reported.folder / 'report.html'}" in out
    assert "1. 3/5" in out and "gradient_not_averaged" in out


@pytest.mark.grading
@pytest.mark.slow
@pytest.mark.ch09
def test_report_errors_for_a_chapter_unknown_or_never_graded(reported: Reported, tmp_path):
    unknown = nnfs_grade("report", "ch99", course=reported.course, check=False)
    assert unknown.returncode == 1 and "no chapter 'ch99'" in unknown.stderr
    never = nnfs_grade("report", "11", course=reported.course, check=False)
    assert never.returncode == 1
    assert "ch11 is not in the gradebook" in never.stderr and "ch09" in never.stderr
    both = nnfs_grade("report", "all", course=reported.course, check=False)
    assert both.returncode == 1 and "one chapter at a time" in both.stderr
    elsewhere = nnfs_grade("report", "9", "--output", str(tmp_path / "out"), course=reported.course)
    assert (tmp_path / "out" / "mistakes.csv").read_bytes() == (
        reported.folder / "mistakes.csv"
    ).read_bytes()
    assert str(tmp_path / "out" / "report.html") in elsewhere.stdout
    (tmp_path / "a_file").write_text("")
    blocked = nnfs_grade(
        "report", "9", "--output", str(tmp_path / "a_file"), course=reported.course, check=False
    )
    assert blocked.returncode == 1 and "cannot write the report into" in blocked.stderr
    assert "Traceback" not in blocked.stderr


# ---------------------------------------------------------------------------------------
# Quick: no grading
# ---------------------------------------------------------------------------------------


@pytest.mark.ch09
def test_spreadsheet_safe_defuses_every_formula_start_and_nothing_else():
    for start in ("=", "+", "-", "@", "\t", "\r"):
        assert spreadsheet_safe(f"{start}SUM(A1)") == f"'{start}SUM(A1)"
    assert spreadsheet_safe("ann") == "ann"
    assert spreadsheet_safe("a=b") == "a=b"


@pytest.mark.ch09
def test_a_verdict_graded_before_titles_were_recorded_takes_the_catalogues_title():
    from autograder.checks.diagnosis import CATALOGUE

    old = {"checks": [{"check": "cce_backward", "diagnosis": "gradient_not_averaged"}]}
    new = {"checks": [{"diagnosis": "gradient_not_averaged", "mistake_title": "as judged"}]}
    assert named_mistakes(old) == [
        ("gradient_not_averaged", CATALOGUE["gradient_not_averaged"].title)
    ]
    assert named_mistakes(new) == [("gradient_not_averaged", "as judged")]
    assert named_mistakes({"checks": [{"diagnosis": None}, "junk"]}) == []
    assert named_mistakes(None) == []


@pytest.mark.ch09
def test_equal_counts_share_a_rank():
    def made(name, *students):
        return MistakeStats(name, name, students, ("test_x",))

    report = ClassReport(
        "c", CHAPTER, ["a", "b", "c"], {}, [], [made("m1", "a", "b"), made("m2", "a"),
                                                made("m3", "b"), made("m4", "c")]
    )  # fmt: skip
    assert report.ranks == [1, 2, 2, 2]
    assert [row[0] for row in mistake_rows(report)[1:]] == [1, 2, 2, 2]


@pytest.mark.ch09
def test_render_takes_hostile_text_and_an_empty_class_without_failing(tmp_path):
    """Titles and ids with markup, quotes or matplotlib's ``$`` are drawn as plain text and
    escaped in the page; a report with no graded cell and no mistake still renders."""
    from autograder.report import CellStats
    from autograder.report_render import write

    nasty = "$\\frac{1}{0$ <script>alert('x')</script> \"quoted\""
    report = ClassReport(
        "course", CHAPTER, ["=cmd", nasty], {nasty: "why <b>"},
        [CellStats("nb", "test_$x$", 1.0, 2, 1, 0, 0.5, 1)],
        [MistakeStats("made_up", nasty, ("=cmd", nasty), ("test_$x$",))],
    )  # fmt: skip
    files = write(report, tmp_path / "hostile")
    page = files.html.read_text(encoding="utf-8")
    assert "<script>" not in page and "&lt;script&gt;" in page
    assert "why &lt;b&gt;" in page
    assert files.chart.read_bytes().startswith(b"\x89PNG")
    with open(files.mistakes_csv, newline="", encoding="utf-8") as file:
        (row,) = list(csv.DictReader(file))
    assert row["student_ids"].split("; ") == ["'=cmd", nasty]

    empty = ClassReport("course", CHAPTER, ["ann"], {}, [], [])
    files = write(empty, tmp_path / "empty")
    assert "No check named a catalogued mistake" in files.html.read_text(encoding="utf-8")
    assert files.mistakes_csv.read_text(encoding="utf-8").count("\n") == 1  # the header only
