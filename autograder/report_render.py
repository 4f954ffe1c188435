"""Write a :class:`~autograder.report.ClassReport` out: two CSV tables, a PNG chart and one
self-contained HTML page that shows both tables and embeds the chart.

Student ids (and, in principle, anything read from an autograded notebook) are untrusted:

* HTML: every value goes through :func:`html.escape`, and the page carries a Content Security
  Policy that allows no script and no request at all (only the inline style and the
  embedded ``data:`` image), so even a value that escaped escaping could not run or call home.
* CSV: a text cell that a spreadsheet would read as a formula (it starts with ``=``, ``+``,
  ``-``, ``@``, a tab or a carriage return) is prefixed with ``'``, OWASP's advice against
  CSV injection. Numbers are written as numbers.
* The chart shows no student id; its labels are drawn as plain text (``parse_math=False``),
  so a ``$`` never starts matplotlib's mathtext.
"""

from __future__ import annotations

import base64
import csv
import datetime
import html
import io
from dataclasses import dataclass
from pathlib import Path

from .report import ClassReport

#: Mistakes drawn in the chart (the HTML and CSV list them all).
CHART_MISTAKES = 20
#: Characters of a mistake's title kept in a chart label.
LABEL_CHARS = 60
#: What makes a spreadsheet read a cell as a formula (OWASP, "CSV Injection").
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


@dataclass(frozen=True)
class ReportFiles:
    """Where :func:`write` put each file."""

    html: Path
    chart: Path
    cells_csv: Path
    mistakes_csv: Path


def spreadsheet_safe(text: object) -> str:
    """``text`` as a CSV cell that no spreadsheet evaluates: ``"=HYPERLINK(...)"`` becomes
    ``"'=HYPERLINK(...)"``; anything else is unchanged."""
    value = str(text)
    return "'" + value if value.startswith(FORMULA_STARTS) else value


def _share(count: int, total: int) -> float:
    return round(count / total, 4) if total else 0.0


def cell_rows(report: ClassReport) -> list[list[object]]:
    """The per-cell table, header first: one row per graded cell, in notebook order."""
    rows: list[list[object]] = [
        [
            "notebook",
            "cell",
            "max_points",
            "submissions",
            "passed",
            "partial",
            "pass_rate",
            "mean_points",
            "students_with_named_mistake",
        ]
    ]
    for cell in report.cells:
        rows.append(
            [
                spreadsheet_safe(cell.notebook),
                spreadsheet_safe(cell.cell),
                cell.max_points,
                cell.submissions,
                cell.passed,
                cell.partial,
                round(cell.pass_rate, 4),
                round(cell.mean_points, 4),
                cell.named,
            ]
        )
    return rows


def mistake_rows(report: ClassReport) -> list[list[object]]:
    """The ranked mistakes, header first: one row per mistake; cells and student ids are
    each joined by ``"; "``."""
    rows: list[list[object]] = [
        ["rank", "mistake", "title", "students", "share", "cells", "student_ids"]
    ]
    total = len(report.students)
    for rank, mistake in zip(report.ranks, report.mistakes):
        rows.append(
            [
                rank,
                spreadsheet_safe(mistake.id),
                spreadsheet_safe(mistake.title),
                mistake.count,
                _share(mistake.count, total),
                spreadsheet_safe("; ".join(mistake.cells)),
                "; ".join(spreadsheet_safe(s) for s in mistake.students),
            ]
        )
    return rows


def _write_csv(path: Path, rows: list[list[object]]) -> None:
    with open(path, "w", newline="", encoding="utf-8") as file:
        csv.writer(file).writerows(rows)


def _label(text: str) -> str:
    return text if len(text) <= LABEL_CHARS else text[: LABEL_CHARS - 1] + "…"


def chart_png(report: ClassReport) -> bytes:
    """Two bar charts, one above the other, as PNG bytes: the share of the class that earned
    every point of each graded cell, and the named mistakes by the number of students who
    made them (the first :data:`CHART_MISTAKES`). Drawn on a bare ``Figure`` with the Agg
    canvas: no pyplot, no global backend, nothing shown."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    shown = report.mistakes[:CHART_MISTAKES]
    cell_rows_n, mistake_rows_n = max(len(report.cells), 1), max(len(shown), 1)
    figure = Figure(figsize=(9.5, 1.6 + 0.32 * (cell_rows_n + mistake_rows_n)), dpi=100)
    FigureCanvasAgg(figure)
    top, bottom = figure.subplots(
        2, 1, gridspec_kw={"height_ratios": [cell_rows_n + 1, mistake_rows_n + 1]}
    )
    total = len(report.students)

    labels = [_label(report.cell_label(c.notebook, c.cell)) for c in report.cells]
    rates = [100 * c.pass_rate for c in report.cells]
    positions = range(len(report.cells))
    top.barh(list(positions), rates, color="#3b7dd8")
    top.set_yticks(list(positions), labels, parse_math=False)
    top.invert_yaxis()
    top.set_xlim(0, 100)
    top.set_xlabel("% of submissions with every point")
    top.set_title(f"{report.chapter}: graded cells ({total} submissions)", parse_math=False)
    for y, cell in zip(positions, report.cells):
        top.text(1, y, f"{cell.passed}/{cell.submissions}", va="center", fontsize=8)

    if shown:
        counts = [m.count for m in shown]
        places = list(range(len(shown)))
        bottom.barh(places, counts, color="#d8573b")
        bottom.set_yticks(places, [_label(m.title) for m in shown], parse_math=False)
        bottom.invert_yaxis()
        bottom.set_xlim(0, max(total, 1))
        bottom.xaxis.get_major_locator().set_params(integer=True)
        bottom.set_xlabel("students who made it")
        title = "named mistakes, most students first"
        if len(report.mistakes) > len(shown):
            title += f" ({len(shown)} of {len(report.mistakes)})"
        bottom.set_title(title, parse_math=False)
    else:
        bottom.set_axis_off()
        bottom.text(0.5, 0.5, "no named mistakes", ha="center", va="center")
    figure.tight_layout()
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png")
    return buffer.getvalue()


def _e(value: object) -> str:
    return html.escape(str(value), quote=True)


STYLE = """
body { font-family: system-ui, sans-serif; margin: 2em; max-width: 70em; color: #222; }
table { border-collapse: collapse; margin: 1em 0; }
th, td { border: 1px solid #ccc; padding: 0.3em 0.6em; text-align: left; vertical-align: top; }
td.n { text-align: right; }
code { background: #f3f3f3; padding: 0 0.2em; }
img { max-width: 100%; }
.ids { font-family: monospace; }
"""
#: Nothing may run or load: no script, no request; only the inline style and the chart.
POLICY = "default-src 'none'; img-src data:; style-src 'unsafe-inline'"


def html_page(report: ClassReport, png: bytes, generated: str = "") -> str:
    """The whole report as one HTML page with the chart embedded (base64): it opens offline
    and can be mailed as one file. Every value is escaped."""
    total = len(report.students)
    name = f"{report.course_id} · {report.chapter}" if report.course_id else report.chapter
    parts = [
        "<!DOCTYPE html>",
        '<html lang="en"><head><meta charset="utf-8">',
        f'<meta http-equiv="Content-Security-Policy" content="{POLICY}">',
        f"<title>Mistake report: {_e(name)}</title><style>{STYLE}</style></head><body>",
        f"<h1>Mistake report: {_e(name)}</h1>",
        f"<p>{total} submission(s) in the gradebook"
        + (f", generated {_e(generated)}" if generated else "")
        + ". Points are the gradebook's (manual corrections included); mistakes are the ones"
        " the checks named while grading.</p>",
    ]
    if report.not_graded:
        parts.append(
            f"<p>{len(report.not_graded)} submission(s) could not be graded; they count with"
            " the points the gradebook gives them (0) and name no mistake:</p><ul>"
        )
        for student, why in sorted(report.not_graded.items()):
            parts.append(f'<li><span class="ids">{_e(student)}</span>: {_e(why)}</li>')
        parts.append("</ul>")
    encoded = base64.b64encode(png).decode("ascii")
    parts.append(
        f'<img src="data:image/png;base64,{encoded}"'
        ' alt="pass rate per graded cell and the named mistakes by number of students">'
    )

    parts.append("<h2>Graded cells</h2><table><thead><tr>")
    for heading in ("cell", "max points", "every point", "partial", "mean points", "named"):
        parts.append(f"<th>{_e(heading)}</th>")
    parts.append("</tr></thead><tbody>")
    for cell in report.cells:
        parts.append(
            f"<tr><td><code>{_e(report.cell_label(cell.notebook, cell.cell))}</code></td>"
            f'<td class="n">{cell.max_points:g}</td>'
            f'<td class="n">{cell.passed}/{cell.submissions} ({100 * cell.pass_rate:.0f}%)</td>'
            f'<td class="n">{cell.partial}</td>'
            f'<td class="n">{cell.mean_points:.2f}</td>'
            f'<td class="n">{cell.named}</td></tr>'
        )
    parts.append(
        "</tbody></table><p>named: students whose verdict on the cell names a catalogued"
        " mistake.</p>"
    )

    parts.append("<h2>Named mistakes, most students first</h2>")
    if not report.mistakes:
        parts.append("<p>No check named a catalogued mistake in these submissions.</p>")
    else:
        parts.append("<table><thead><tr>")
        for heading in ("rank", "mistake", "students", "cells", "who"):
            parts.append(f"<th>{_e(heading)}</th>")
        parts.append("</tr></thead><tbody>")
        for rank, mistake in zip(report.ranks, report.mistakes):
            cells = ", ".join(f"<code>{_e(c)}</code>" for c in mistake.cells)
            who = ", ".join(_e(s) for s in mistake.students)
            parts.append(
                f'<tr><td class="n">{rank}</td>'
                f"<td>{_e(mistake.title)}<br><code>{_e(mistake.id)}</code></td>"
                f'<td class="n">{mistake.count} ({100 * mistake.count / max(total, 1):.0f}%)</td>'
                f'<td>{cells}</td><td class="ids">{who}</td></tr>'
            )
        parts.append("</tbody></table>")
    parts.append("</body></html>")
    return "\n".join(parts) + "\n"


def write(report: ClassReport, folder: Path) -> ReportFiles:
    """Write ``report.html``, ``chart.png``, ``cells.csv`` and ``mistakes.csv`` into
    ``folder`` (created if needed; files of an earlier report are replaced)."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    files = ReportFiles(
        html=folder / "report.html",
        chart=folder / "chart.png",
        cells_csv=folder / "cells.csv",
        mistakes_csv=folder / "mistakes.csv",
    )
    png = chart_png(report)
    files.chart.write_bytes(png)
    _write_csv(files.cells_csv, cell_rows(report))
    _write_csv(files.mistakes_csv, mistake_rows(report))
    stamp = datetime.datetime.now(datetime.UTC).strftime("%Y-%m-%d %H:%M UTC")
    files.html.write_text(html_page(report, png, stamp), encoding="utf-8")
    return files


__all__ = [
    "ReportFiles",
    "cell_rows",
    "chart_png",
    "html_page",
    "mistake_rows",
    "spreadsheet_safe",
    "write",
]
