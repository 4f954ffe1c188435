"""``nbgrader export`` for this course: nbgrader's grade table, or the detailed JSON report.

A course made by ``nnfs-grade init`` names :class:`NnfsExportPlugin` in its
``nbgrader_config.py`` (``c.ExportApp.plugin_class``), and ``nnfs-grade export`` runs
``nbgrader export`` with it, so the two commands write the same files:

    nbgrader export                       # grades.csv: nbgrader's own table, one row per
                                          # student and chapter
    nbgrader export --to=grades.json      # per student, chapter, notebook and graded cell: the
                                          # points, the maximum, the status and the message
    nbgrader export --to=- --NnfsExportPlugin.format=json     # the same on standard output

``--assignment`` and ``--student`` select chapters and students, for both formats, as they do
for nbgrader's own exporter. The format follows the file name (``.json`` is JSON, anything else
CSV) unless ``--NnfsExportPlugin.format`` says otherwise.
"""

from __future__ import annotations

import json
import os
import sys
import tempfile
from pathlib import Path

from nbgrader.api import Gradebook
from nbgrader.plugins import CsvExportPlugin
from traitlets import Enum

#: What ``nbgrader export`` writes when ``--to`` is not given, per format.
DEFAULT_FILES = {"csv": "grades.csv", "json": "grades.json"}
#: ``--to`` value that means standard output.
STDOUT = "-"


class NnfsExportPlugin(CsvExportPlugin):
    """nbgrader's CSV export, plus the course's detailed report as JSON."""

    format = Enum(
        ("auto", "csv", "json"),
        default_value="auto",
        help=(
            "csv: nbgrader's grade table (score, maximum and late penalty per student and "
            "chapter). json: per student, chapter, notebook and graded cell the points, the "
            "maximum, the status and the grader's message. auto: json when the file given "
            "with --to ends in .json, csv otherwise."
        ),
    ).tag(config=True)

    def chosen_format(self) -> str:
        if self.format != "auto":
            return self.format
        return "json" if self.to.lower().endswith(".json") else "csv"

    def destination(self) -> str:
        return self.to or DEFAULT_FILES[self.chosen_format()]

    def export(self, gradebook: Gradebook) -> None:
        if self.chosen_format() == "json":
            self._write(self.report_text(gradebook))
        elif self.destination() == STDOUT:
            self._write(self._csv_text(gradebook))
        else:
            super().export(gradebook)

    def report_text(self, gradebook: Gradebook) -> str:
        """The JSON report on the chosen chapters and students, with a final newline."""
        from .cli import Course, export_report

        chapters = [str(name) for name in self.assignment] or None
        report = export_report(Course(self._course_root()), chapters, gradebook=gradebook)
        if self.student:
            wanted = {str(student) for student in self.student}
            report["students"] = {
                student: graded
                for student, graded in report["students"].items()
                if student in wanted
            }
        return json.dumps(report, indent=2, sort_keys=True, ensure_ascii=False) + "\n"

    def _course_root(self) -> Path:
        coursedir = getattr(self.parent, "coursedir", None)
        return Path(coursedir.root if coursedir is not None else os.getcwd())

    def _csv_text(self, gradebook: Gradebook) -> str:
        """nbgrader's CSV, which it only writes to a file, as text."""
        with tempfile.TemporaryDirectory() as folder:
            saved, self.to = self.to, str(Path(folder) / DEFAULT_FILES["csv"])
            try:
                super().export(gradebook)
                return Path(self.to).read_text()
            finally:
                self.to = saved

    def _write(self, text: str) -> None:
        destination = self.destination()
        if destination == STDOUT:
            sys.stdout.write(text)
            sys.stdout.flush()
            return
        self.log.info("Exporting grades to %s", destination)
        Path(destination).write_text(text, encoding="utf-8")


__all__ = ["NnfsExportPlugin"]
