"""How a check's verdict looks to a person: a short ✓ or ✗ block, in HTML and in plain text.

A :class:`~autograder.checks.base.CheckResult` carries one long ``message``. A learner reads it
in three parts, which this module separates:

* the **diagnosis**: what differs and, when the mistake is catalogued, its name;
* **your line**: when the learner's own code raised, the method and line it raised in and the
  text of that line (never a frame of the course's code);
* the **hint**: how to fix it. It can come close to the answer, so the HTML block folds it
  behind a click (``<details>``) and the plain text only says that one exists.

Plain text is wrapped at word boundaries (``WIDTH`` columns), because JupyterLab's outputs and
nbgrader's Validate dialog show it as it is: an unwrapped line is cut off or broken mid-word.
"""

from __future__ import annotations

import html
import textwrap
from dataclasses import dataclass

from .checks.base import CheckResult

#: Columns of the plain-text block: fits JupyterLab's output area and the Validate dialog.
WIDTH = 76


@dataclass(frozen=True)
class View:
    """A verdict split for display; every field is plain text."""

    passed: bool
    check: str
    diagnosis: str
    your_line: str = ""
    hint: str = ""


def view(result: CheckResult) -> View:
    """Split ``result.message`` into diagnosis and hint; find the learner's line if any."""
    hint = str(result.details.get("hint") or "").strip()
    diagnosis = result.message
    if hint and hint in diagnosis:
        diagnosis = " ".join(diagnosis.replace(hint, " ").split())
    raised = result.details.get("raised") or {}
    your_line = ""
    if raised.get("line") is not None:
        where = f"line {raised['line']}"
        if raised.get("function"):
            where += f" of {raised['function']}"
        code = str(raised.get("code") or "").strip()
        your_line = f"{where}: {code}" if code else where
    return View(result.passed, result.check, diagnosis.strip(), your_line, hint)


def headline(result: CheckResult) -> str:
    """``✗ dense_backward: <diagnosis>`` on one unwrapped line."""
    parts = view(result)
    mark = "✓" if parts.passed else "✗"
    return f"{mark} {parts.check}: {parts.diagnosis}"


def _wrap(text: str, *, indent: str = "") -> list[str]:
    return textwrap.wrap(
        text,
        WIDTH,
        initial_indent=indent,
        subsequent_indent=indent or "  ",
        break_long_words=False,
        break_on_hyphens=False,
    )


def as_text(result: CheckResult, *, with_hint: bool = False) -> str:
    """The plain-text block: wrapped diagnosis, the learner's line, and the hint (or a note)."""
    parts = view(result)
    lines = _wrap(headline(result))
    if parts.your_line:
        lines += _wrap(f"your code, {parts.your_line}", indent="  ")
    if parts.hint:
        if with_hint:
            lines += _wrap(f"Hint: {parts.hint}", indent="  ")
        else:
            lines.append("  (a hint is folded under this check's output in JupyterLab)")
    return "\n".join(lines)


_STYLE = {
    True: ("#1a7f37", "rgba(26, 127, 55, 0.08)"),
    False: ("#cf222e", "rgba(207, 34, 46, 0.07)"),
}


def as_html(result: CheckResult) -> str:
    """The HTML block: a coloured strip with the mark, the check's name and the diagnosis.

    Everything the learner's code produced is escaped; the text wraps with the page, never
    inside a word, and long code stays on its own scrollable line.
    """
    parts = view(result)
    colour, background = _STYLE[parts.passed]
    mark = "✓" if parts.passed else "✗"
    rows = [
        f'<div style="font-weight:600">{mark} <code>{html.escape(parts.check)}</code></div>',
        f'<div style="margin-top:2px">{html.escape(parts.diagnosis)}</div>',
    ]
    if parts.your_line:
        rows.append(
            '<div style="margin-top:4px">your code, '
            f'<code style="white-space:pre-wrap">{html.escape(parts.your_line)}</code></div>'
        )
    if parts.hint:
        rows.append(
            '<details style="margin-top:4px"><summary style="cursor:pointer">Hint'
            " (how to fix it; try on your own first)</summary>"
            f'<div style="margin-top:2px">{html.escape(parts.hint)}</div></details>'
        )
    return (
        f'<div class="nnfs-check nnfs-check-{"pass" if parts.passed else "fail"}" '
        f'style="border-left:4px solid {colour};background:{background};'
        "padding:6px 10px;margin:2px 0;max-width:60em;line-height:1.45;"
        'overflow-wrap:normal;word-break:normal">' + "".join(rows) + "</div>"
    )


def bundle(result: CheckResult) -> dict[str, str]:
    """A display bundle (``text/html`` with a ``text/plain`` fallback) for IPython."""
    return {"text/html": as_html(result), "text/plain": as_text(result)}
