"""The instructor's mistake report: what a class got right and which named mistakes it made.

Every check that fails names the catalogued mistake it recognised (``diagnosis`` in
:mod:`autograder.checks.diagnosis`), and :class:`autograder.nbgrader_plugins.JudgeProbes`
keeps that name, with its title, in each autograded notebook's metadata. This module reads
what grading already stored, and nothing else (no notebook runs again):

* the gradebook (nbgrader's SQLite, through ``nbgrader.api.Gradebook``): which students have
  a submission of the chapter, and each graded cell's points, as the instructor may have
  corrected them by hand;
* ``autograded/<student>/<chapter>/<notebook>.ipynb``: the verdict on each graded cell, whose
  check lines carry ``diagnosis`` (the mistake's id) and ``mistake_title``.

:func:`gather` turns both into a :class:`ClassReport`; :mod:`autograder.report_render` writes
it as CSV, a PNG chart and an HTML page. Student ids are untrusted text: this module keeps
them as they are, the renderer escapes them.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any


class ReportError(Exception):
    """No report can be made (unknown chapter, nothing graded); the message says what to do."""


@dataclass(frozen=True)
class CellStats:
    """One graded cell across the class. ``submissions`` counts every submission in the
    gradebook, ungradable ones included (they scored 0), so ``mean_points`` is the
    gradebook's own mean."""

    notebook: str
    cell: str
    max_points: float
    submissions: int
    passed: int  # full points
    partial: int  # some points, not all
    mean_points: float
    named: int  # students whose verdict on this cell names a catalogued mistake

    @property
    def pass_rate(self) -> float:
        return self.passed / self.submissions if self.submissions else 0.0


@dataclass(frozen=True)
class MistakeStats:
    """One named mistake: who made it and in which graded cells (in notebook order)."""

    id: str
    title: str
    students: tuple[str, ...]  # sorted ids
    cells: tuple[str, ...]

    @property
    def count(self) -> int:
        return len(self.students)


@dataclass
class ClassReport:
    """Everything the report shows for one chapter (nbgrader assignment)."""

    course_id: str
    chapter: str
    students: list[str]  # with a submission in the gradebook, sorted
    not_graded: dict[str, str]  # student -> why no verdicts were found
    cells: list[CellStats]  # in notebook order
    mistakes: list[MistakeStats]  # most students first
    notebooks: list[str] = field(default_factory=list)

    @property
    def ranks(self) -> list[int]:
        """Competition ranking of ``mistakes`` (1, 2, 2, 4): equal counts share a rank."""
        ranks: list[int] = []
        for position, entry in enumerate(self.mistakes):
            tied = position and entry.count == self.mistakes[position - 1].count
            ranks.append(ranks[-1] if tied else position + 1)
        return ranks

    def cell_label(self, notebook: str, cell: str) -> str:
        """A graded cell's name: its grade id, prefixed by the notebook when there are several."""
        return f"{notebook}/{cell}" if len(self.notebooks) > 1 else cell


# ---------------------------------------------------------------------------------------
# Reading what grading stored
# ---------------------------------------------------------------------------------------


def verdicts_of(path: Path) -> dict[str, Any] | None:
    """The per-cell verdicts JudgeProbes left in one autograded notebook, or None when the
    file is missing or unreadable. ``{grade_id: {"checks": [{"diagnosis", ...}], ...}}``."""
    from .nbgrader_plugins import METADATA_KEY

    try:
        metadata = json.loads(path.read_text(encoding="utf-8")).get("metadata", {})
    except (OSError, ValueError, AttributeError):
        return None
    record = metadata.get(METADATA_KEY) if isinstance(metadata, dict) else None
    if not isinstance(record, dict) or not isinstance(record.get("cells"), dict):
        return None
    return record["cells"]


def named_mistakes(verdict: Any) -> list[tuple[str, str]]:
    """(id, title) of each catalogued mistake a cell's verdict names, once each, in the order
    of its check lines. A line without ``mistake_title`` (graded before titles were recorded)
    takes the title from today's catalogue, or its id when the catalogue has no such entry."""
    from .checks.diagnosis import CATALOGUE
    from .nbgrader_plugins import REFERENCE_SUBMITTED_TITLE

    titles = {m.id: m.title for m in CATALOGUE.values()}
    titles.setdefault("reference_submitted", REFERENCE_SUBMITTED_TITLE)
    found: dict[str, str] = {}
    lines = verdict.get("checks") if isinstance(verdict, dict) else None
    for line in lines if isinstance(lines, list) else []:
        if not isinstance(line, dict):
            continue
        mistake = line.get("diagnosis")
        if not isinstance(mistake, str) or not mistake or mistake in found:
            continue
        title = line.get("mistake_title")
        if not isinstance(title, str) or not title:
            title = titles.get(mistake, mistake)
        found[mistake] = title
    return list(found.items())


def cell_order(source: Path) -> list[str]:
    """Grade ids of the graded cells of a source notebook, in notebook order ([] if unread)."""
    try:
        cells = json.loads(source.read_text(encoding="utf-8")).get("cells", [])
    except (OSError, ValueError, AttributeError):
        return []
    order = []
    for cell in cells:
        meta = cell.get("metadata", {}).get("nbgrader", {}) if isinstance(cell, dict) else {}
        if isinstance(meta, dict) and meta.get("grade") and meta.get("grade_id"):
            order.append(str(meta["grade_id"]))
    return order


def _ordered(names: Iterable[str], order: list[str]) -> list[str]:
    """``names`` in ``order``; names it does not know come last, alphabetically."""
    position = {name: index for index, name in enumerate(order)}
    return sorted(set(names), key=lambda name: (position.get(name, len(order)), name))


def _graded_chapters(gradebook) -> list[str]:
    return sorted(a.name for a in gradebook.assignments if a.submissions)


# ---------------------------------------------------------------------------------------
# The report
# ---------------------------------------------------------------------------------------


def gather(gradebook, course_root: Path, chapter: str, course_id: str = "") -> ClassReport:
    """The class report on ``chapter`` from an open nbgrader ``Gradebook`` and the course's
    ``autograded/`` and ``source/`` folders. Raises :class:`ReportError` when the gradebook
    does not know the chapter or holds no submission of it."""
    from nbgrader.api import MissingEntry

    course_root = Path(course_root)
    try:
        assignment = gradebook.find_assignment(chapter)
    except MissingEntry:
        graded = ", ".join(_graded_chapters(gradebook)) or "none yet"
        raise ReportError(
            f"{chapter} is not in the gradebook (chapters graded so far: {graded}). Release,"
            f" collect and autograde it first: nnfs-grade release {chapter}; nnfs-grade"
            f" collect PATH; nnfs-grade autograde {chapter}"
        ) from None
    submissions = sorted(assignment.submissions, key=lambda s: s.student_id)
    if not submissions:
        waiting = sorted((course_root / "submitted").glob(f"*/{chapter}"))
        graded = ", ".join(_graded_chapters(gradebook)) or "none yet"
        raise ReportError(
            f"nobody's {chapter} has been autograded yet: the gradebook holds no submission of"
            f" it ({len(waiting)} student folder(s) wait in submitted/*/{chapter}; chapters"
            f" graded so far: {graded}). Run nnfs-grade autograde {chapter} first"
        )

    notebook_names = sorted({n.name for s in submissions for n in s.notebooks})
    order: dict[str, list[str]] = {
        name: cell_order(course_root / "source" / chapter / f"{name}.ipynb")
        for name in notebook_names
    }
    points: dict[tuple[str, str], list[tuple[float, float]]] = {}  # cell -> (score, max)
    named_cells: dict[tuple[str, str], set[str]] = {}  # cell -> students naming a mistake
    made: dict[str, dict[str, Any]] = {}  # mistake id -> title, students, cells
    not_graded: dict[str, str] = {}

    for submission in submissions:
        student = submission.student_id
        for notebook in sorted(submission.notebooks, key=lambda n: n.name):
            path = course_root / "autograded" / student / chapter / f"{notebook.name}.ipynb"
            verdicts = verdicts_of(path)
            if verdicts is None:
                not_graded[student] = (
                    f"no verdicts in autograded/{student}/{chapter}/{notebook.name}.ipynb"
                    " (the submission could not be graded; see logs/)"
                )
                verdicts = {}
            for grade in notebook.grades:
                key = (notebook.name, grade.name)
                points.setdefault(key, []).append((float(grade.score), float(grade.max_score)))
                for mistake, title in named_mistakes(verdicts.get(grade.name)):
                    named_cells.setdefault(key, set()).add(student)
                    entry = made.setdefault(mistake, {"title": title, "who": set(), "where": set()})
                    entry["who"].add(student)
                    entry["where"].add(key)

    keys = [
        (name, cell)
        for name in notebook_names
        for cell in _ordered([c for n, c in points if n == name], order[name])
    ]
    cells = []
    for key in keys:
        scores = points[key]
        full = sum(1 for score, top in scores if top > 0 and score >= top)
        some = sum(1 for score, top in scores if 0 < score < top)
        cells.append(
            CellStats(
                notebook=key[0],
                cell=key[1],
                max_points=max(top for _, top in scores),
                submissions=len(scores),
                passed=full,
                partial=some,
                mean_points=sum(score for score, _ in scores) / len(scores),
                named=len(named_cells.get(key, ())),
            )
        )
    report = ClassReport(
        course_id=course_id,
        chapter=chapter,
        students=[s.student_id for s in submissions],
        not_graded=not_graded,
        cells=cells,
        mistakes=[],
        notebooks=notebook_names,
    )
    position = {key: index for index, key in enumerate(keys)}
    mistakes = [
        MistakeStats(
            id=mistake,
            title=entry["title"],
            students=tuple(sorted(entry["who"])),
            cells=tuple(
                report.cell_label(*key)
                for key in sorted(entry["where"], key=lambda k: position.get(k, len(keys)))
            ),
        )
        for mistake, entry in made.items()
    ]
    # Most students first; among equals, the earliest cell, then the id.
    first_cell = {
        m.id: min(position.get(k, len(keys)) for k in made[m.id]["where"]) for m in mistakes
    }
    report.mistakes = sorted(mistakes, key=lambda m: (-m.count, first_cell[m.id], m.id))
    return report


__all__ = [
    "CellStats",
    "ClassReport",
    "MistakeStats",
    "ReportError",
    "cell_order",
    "gather",
    "named_mistakes",
    "verdicts_of",
]
