"""Exporting grades: plain ``nbgrader export`` in a course writes what ``nnfs-grade export``
writes, because both run the course's export plugin (``autograder/export.py``, named in the
``nbgrader_config.py`` that ``nnfs-grade init`` writes).

The course is the graded batch of tests/test_grading.py (its ``graded`` fixture: the batch is
graded once per test session and shared with that file's tests), so nothing is graded here.
"""

from __future__ import annotations

import csv
import json
import subprocess
import sys
from pathlib import Path

import pytest
import test_grading
from test_grading import CHAPTER, Graded, e2e, nnfs_grade

from autograder import course_config

#: The graded batch of tests/test_grading.py, shared with that file's tests.
graded = test_grading.graded


def plain_nbgrader(course: Path, *args: str) -> subprocess.CompletedProcess:
    """The real ``nbgrader export`` command line, run in the course folder."""
    result = subprocess.run(
        [sys.executable, "-m", "nbgrader", "export", *args],
        cwd=course,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    return result


def test_new_courses_name_the_export_plugin():
    text = course_config.render("nnfs-test")
    assert "c.ExportApp.plugin_class = NnfsExportPlugin" in text
    assert "from autograder.export import NnfsExportPlugin" in text


@e2e("ch09", "ch10")
def test_plain_nbgrader_export_writes_the_same_csv(graded: Graded, tmp_path):
    course = graded.serial
    plain_nbgrader(course, f"--to={tmp_path / 'plain.csv'}")
    nnfs_grade("export", "--output", str(tmp_path / "nnfs.csv"), course=course)
    plain = (tmp_path / "plain.csv").read_text()
    assert plain == (tmp_path / "nnfs.csv").read_text()
    # nbgrader's own table, one row per student and chapter
    with open(tmp_path / "plain.csv", newline="") as file:
        rows = list(csv.DictReader(file))
    assert set(rows[0]) >= {"assignment", "student_id", "score", "max_score"}
    assert {(row["assignment"], row["student_id"]) for row in rows} >= {
        ("ch09", "solution"),
        ("ch10", "solution"),
    }


@e2e("ch09", "ch10")
def test_plain_nbgrader_export_to_json_writes_the_same_report(graded: Graded, tmp_path):
    course = graded.serial
    plain_nbgrader(course, f"--to={tmp_path / 'plain.json'}")
    nnfs = nnfs_grade("export", "--format", "json", course=course).stdout
    assert (tmp_path / "plain.json").read_text() == nnfs
    report = json.loads(nnfs)
    assert report == graded.exports["serial"]
    cells = report["students"]["solution"][CHAPTER]["notebooks"]
    assert all(notebook["score"] == notebook["max_score"] for notebook in cells.values())


@e2e("ch09", "ch10")
def test_export_selects_chapters_and_students_and_writes_to_standard_output(graded: Graded):
    course = graded.serial
    chosen = plain_nbgrader(
        course,
        "--to=-",
        "--NnfsExportPlugin.format=json",
        '--assignment=["ch10"]',
        '--student=["solution", "untouched"]',
    )
    report = json.loads(chosen.stdout)
    assert set(report["students"]) == {"solution", "untouched"}
    assert all(set(chapters) == {"ch10"} for chapters in report["students"].values())
    table = plain_nbgrader(course, "--to=-", '--assignment=["ch09"]', '--student=["solution"]')
    rows = list(csv.DictReader(table.stdout.splitlines()))
    assert [(row["assignment"], row["student_id"]) for row in rows] == [("ch09", "solution")]
    assert nnfs_grade("export", "--output", "-", course=course).stdout.startswith("assignment,")


@e2e("ch09")
def test_nnfs_grade_export_works_in_a_course_made_before_the_plugin(graded: Graded, tmp_path):
    """A course whose nbgrader_config.py does not name the plugin: nnfs-grade names it itself."""
    course = graded.serial
    config = (course / "nbgrader_config.py").read_text()
    old = tmp_path / "old-course"
    old.mkdir()
    for name in ("nbgrader_config.py", "gradebook.db", "nnfs-course.json"):
        (old / name).write_bytes((course / name).read_bytes())
    (old / "nbgrader_config.py").write_text(
        config.replace("c.ExportApp.plugin_class = NnfsExportPlugin\n", "")
    )
    report = json.loads(nnfs_grade("export", "--format", "json", course=old).stdout)
    assert set(report["students"]) == set(graded.exports["serial"]["students"])
    assert report["students"]["solution"][CHAPTER]["score"] > 0


@pytest.mark.grading
def test_export_plugin_refuses_nothing_when_the_gradebook_is_empty(tmp_path):
    course = tmp_path / "course"
    nnfs_grade("init", str(course))
    plain_nbgrader(course)
    plain_nbgrader(course, "--to=grades.json")
    assert (course / "grades.csv").read_text().startswith("assignment,duedate,")
    assert json.loads((course / "grades.json").read_text())["students"] == {}
