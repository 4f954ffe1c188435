"""The mutation report as a table: one row per check, in text or Markdown."""

from __future__ import annotations

from .runner import OUTCOMES, CheckReport

HEADER = ("check", "mutants", *OUTCOMES, "named rate")


def rows(reports: list[CheckReport]) -> list[tuple[str, ...]]:
    """One row per check, then a total row."""
    table = []
    for report in reports:
        counts = [str(report.count(outcome)) for outcome in OUTCOMES]
        rate = f"{report.named_rate:.0%}" if report.judged else "n/a"
        table.append((report.check, str(len(report.mutants)), *counts, rate))
    total_named = sum(r.count("named") for r in reports)
    total_judged = sum(r.judged for r in reports)
    table.append(
        (
            "**all**",
            str(sum(len(r.mutants) for r in reports)),
            *(str(sum(r.count(o) for r in reports)) for o in OUTCOMES),
            f"{total_named / total_judged:.0%}" if total_judged else "n/a",
        )
    )
    return table


def markdown(reports: list[CheckReport]) -> str:
    lines = ["| " + " | ".join(HEADER) + " |", "|" + "---|" * len(HEADER)]
    lines += ["| " + " | ".join(row) + " |" for row in rows(reports)]
    return "\n".join(lines) + "\n"


def text(reports: list[CheckReport]) -> str:
    table = [HEADER, *rows(reports)]
    widths = [max(len(row[i]) for row in table) for i in range(len(HEADER))]
    return "\n".join(
        "  ".join(
            cell.ljust(w) if i == 0 else cell.rjust(w)
            for i, (cell, w) in enumerate(zip(row, widths))
        )
        for row in table
    )


def details(reports: list[CheckReport], outcomes: tuple[str, ...] = ("missed", "generic")) -> str:
    """The mutants with the given outcomes, one line each, with the check's message or why."""
    out = []
    for report in reports:
        for mutant in report.mutants:
            if mutant.outcome in outcomes:
                said = (
                    mutant.why
                    if mutant.outcome in ("missed", "elsewhere", "equivalent")
                    else mutant.message
                )
                out.append(
                    f"{report.check} [{mutant.outcome}] {mutant.describe()}\n    {said[:300]}"
                )
    return "\n".join(out)


__all__ = ["HEADER", "details", "markdown", "rows", "text"]
