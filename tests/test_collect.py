"""``nnfs-grade collect`` never loses or merges a submission.

Each test builds an LMS export (a folder or a zip) of the released ch09 notebook, runs the real
``nnfs-grade collect`` into a course made once for the module, and reads what was placed under
``submitted/`` and what the command said:

* different people whose ids map to one student id (two Canvas users with one login, two
  Moodle students called John Smith) are refused, all of them, with a table and the --map
  lines that resolve it; with the map, each is placed under their own id;
* one person's resubmissions keep the latest, as before;
* an unusable id (300 characters) is refused on its own, the rest is placed;
* non-ASCII and punctuation in names become safe ids;
* an archive member larger than the limit, or claiming to be small and expanding to more
  (a zip bomb), is refused without being unpacked;
* a notebook of format 3 is accepted by collect and graded by autograde alike (one rule),
  and a format it cannot read is refused by both.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from autograder import cli
from autograder.sandbox import parse_notebook

pytestmark = [pytest.mark.grading, pytest.mark.ch09]

NOTEBOOK = "ch09_backpropagation"


def nnfs_grade(*args: str, course: Path) -> subprocess.CompletedProcess:
    command = [sys.executable, "-m", "autograder.cli", "--course", str(course), *args]
    return subprocess.run(command, capture_output=True, text=True, timeout=600)


@pytest.fixture(scope="module")
def template(tmp_path_factory) -> tuple[Path, str]:
    base = tmp_path_factory.mktemp("collect")
    course = base / "course"
    assert nnfs_grade("init", str(course), course=course).returncode == 0
    done = nnfs_grade("release", "ch09", course=course)
    assert done.returncode == 0, done.stdout + done.stderr
    text = (course / "release" / "ch09" / f"{NOTEBOOK}.ipynb").read_text()
    return course, text


@pytest.fixture
def course(template, tmp_path) -> Path:
    copy = tmp_path / "course"
    shutil.copytree(template[0], copy)
    return copy


@pytest.fixture
def release(template) -> str:
    return template[1]


def submitted(course: Path) -> dict[str, str]:
    return {
        p.parent.parent.name: p.read_text()
        for p in sorted((course / "submitted").glob(f"*/ch09/{NOTEBOOK}.ipynb"))
    }


def write(folder: Path, files: dict[str, str]) -> Path:
    for name, text in files.items():
        path = folder / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
    return folder


def marked(release: str, mark: str) -> str:
    notebook = json.loads(release)
    notebook["metadata"]["who"] = mark
    return json.dumps(notebook)


def test_two_canvas_users_with_one_login_are_not_merged(course, release, tmp_path):
    inbox = write(
        tmp_path / "inbox",
        {
            f"jsmith_111_1_{NOTEBOOK}.ipynb": marked(release, "first"),
            f"jsmith_222_2_{NOTEBOOK}.ipynb": marked(release, "second"),
            f"alee_333_3_{NOTEBOOK}.ipynb": marked(release, "third"),
        },
    )
    done = nnfs_grade("collect", str(inbox), course=course)
    assert done.returncode == 3, done.stdout
    assert sorted(submitted(course)) == ["alee"]  # the others wait for a map
    assert "NOT placed" in done.stdout and "jsmith" in done.stdout
    assert "111,jsmith_111" in done.stdout and "222,jsmith_222" in done.stdout
    assert "older copy" not in done.stdout

    mapping = tmp_path / "map.csv"
    mapping.write_text("lms,student_id\n111,jsmith_111\n222,jsmith_222\n")
    done = nnfs_grade("collect", str(inbox), "--map", str(mapping), course=course)
    assert done.returncode == 0, done.stdout
    placed = submitted(course)
    assert sorted(placed) == ["alee", "jsmith_111", "jsmith_222"]
    assert '"first"' in placed["jsmith_111"] and '"second"' in placed["jsmith_222"]


def test_two_moodle_students_called_john_smith_are_not_merged(course, release, tmp_path):
    inbox = write(
        tmp_path / "inbox",
        {
            f"John Smith_501_assignsubmission_file_{NOTEBOOK}.ipynb": marked(release, "a"),
            f"John Smith_502_assignsubmission_file_{NOTEBOOK}.ipynb": marked(release, "b"),
        },
    )
    done = nnfs_grade("collect", str(inbox), course=course)
    assert done.returncode == 3 and submitted(course) == {}
    assert "501,john_smith_501" in done.stdout and "502,john_smith_502" in done.stdout


def test_a_later_collect_cannot_put_another_person_in_a_placed_folder(course, release, tmp_path):
    first = write(tmp_path / "one", {f"jsmith_111_1_{NOTEBOOK}.ipynb": marked(release, "a")})
    assert nnfs_grade("collect", str(first), course=course).returncode == 0
    second = write(tmp_path / "two", {f"jsmith_999_9_{NOTEBOOK}.ipynb": marked(release, "b")})
    done = nnfs_grade("collect", str(second), course=course)
    assert done.returncode == 3 and "an earlier collect placed another person" in done.stdout
    assert '"a"' in submitted(course)["jsmith"]


def test_one_persons_resubmissions_keep_the_latest(course, release, tmp_path):
    inbox = write(
        tmp_path / "inbox",
        {
            f"jsmith_111_1_{NOTEBOOK}.ipynb": marked(release, "first"),
            f"jsmith_LATE_111_2_{NOTEBOOK}-1.ipynb": marked(release, "resubmitted"),
        },
    )
    done = nnfs_grade("collect", str(inbox), course=course)
    assert done.returncode == 0, done.stdout
    assert '"resubmitted"' in submitted(course)["jsmith"] and "older copy" in done.stdout


def test_unusual_ids_are_placed_or_refused_one_by_one(course, release, tmp_path):
    long_login = "x" * 300  # no file system takes such a name: it comes in a zip
    inbox = tmp_path / "export.zip"
    with zipfile.ZipFile(inbox, "w") as zipped:
        for name in (
            f"{long_login}_1_1_{NOTEBOOK}.ipynb",
            f"Zoë O'Neil-Ünal_2_assignsubmission_file_{NOTEBOOK}.ipynb",
            f"weird;login$_3_3_{NOTEBOOK}.ipynb",
            f"plain_4_4_{NOTEBOOK}.ipynb",
        ):
            zipped.writestr(name, release)
    done = nnfs_grade("collect", str(inbox), course=course)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "Traceback" not in done.stdout + done.stderr
    assert sorted(submitted(course)) == ["plain", "weird_login", "zoe_o_neil_unal"]
    assert "300 characters long" in done.stdout and "--map" in done.stdout


def test_an_archive_that_expands_too_far_is_refused_without_unpacking(
    course, release, tmp_path, monkeypatch
):
    archive = tmp_path / "export.zip"
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as zipped:
        zipped.writestr(f"big_1_1_{NOTEBOOK}.ipynb", " " * (60 * 2**20))  # 60 MB of spaces
        zipped.writestr(f"fine_2_2_{NOTEBOOK}.ipynb", release)
    assert archive.stat().st_size < 2**20  # well under a megabyte on disk
    done = nnfs_grade("collect", str(archive), course=course)
    assert done.returncode == 0, done.stdout
    assert sorted(submitted(course)) == ["fine"]
    assert "larger than 50 MB" in done.stdout


def test_a_member_whose_header_lies_is_cut_at_the_limit(release, tmp_path, monkeypatch):
    archive = tmp_path / "export.zip"
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as zipped:
        zipped.writestr(f"liar_1_1_{NOTEBOOK}.ipynb", " " * 4096)
    (entry,) = cli._entries(archive)
    entry.size = 10  # as a forged header would say
    assert len(entry.read(100)) == 101  # never more than the limit (+1 to notice)


def test_one_rule_for_old_notebook_formats(release):
    version3 = {
        "nbformat": 3,
        "nbformat_minor": 0,
        "metadata": {},
        "worksheets": [{"cells": [{"cell_type": "code", "input": "x = 1", "outputs": []}]}],
    }
    assert parse_notebook(json.dumps(version3)).cells[0].source == "x = 1"
    with pytest.raises(ValueError, match="format 2 is not supported"):
        parse_notebook(json.dumps({"nbformat": 2, "cells": []}))


@pytest.mark.slow
def test_a_format_3_notebook_is_placed_and_graded_the_same_way(course, release, tmp_path):
    import nbformat

    solved_v3 = nbformat.v3.convert.downgrade(nbformat.reads(release, as_version=4))
    inbox = write(
        tmp_path / "inbox", {f"old/ch09/{NOTEBOOK}.ipynb": nbformat.writes(solved_v3, version=3)}
    )
    done = nnfs_grade("collect", str(inbox), course=course)
    assert done.returncode == 0 and "will score 0" not in done.stdout, done.stdout
    graded = nnfs_grade("autograde", "ch09", course=course)
    report = json.loads(nnfs_grade("export", "--format", "json", course=course).stdout)
    notebook = report["students"]["old"]["ch09"]["notebooks"][NOTEBOOK]
    assert notebook["graded"], graded.stdout[-2000:]
