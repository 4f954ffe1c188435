"""nbgrader preprocessors that grade in a sandbox and judge in the grading process.

A course's ``nbgrader_config.py`` (see :mod:`autograder.course_config`) puts these two in
place of nbgrader's ``Execute``, so that even a plain ``nbgrader autograde`` uses them::

    c.Autograde.autograde_preprocessors = [IsolatedExecute, JudgeProbes, *the rest]

:class:`IsolatedExecute`
    runs the sanitized notebook (the one nbgrader's ``OverwriteCells`` restored: graded test
    cells carry the instructor's source, hidden tests included) with
    :func:`autograder.sandbox.run_notebook`, and copies the outputs back onto its own cells.
    With ``cache_dir`` set it first looks for a result that ``nnfs-grade autograde`` ran ahead
    under the notebook's key (:func:`cache_key`; :mod:`autograder.dispatch`), waiting while
    that run is under way.

:class:`JudgeProbes`
    looks at every graded test cell, and only at those: it judges the probe outputs the
    cell's ``submit(...)`` calls recorded, with the checks' ``judge`` running here, in the
    grading process, and rewrites the cell's outputs to a stdout message and an
    ``execute_result`` holding the points (nbgrader's ``determine_grade`` reads partial credit
    from it). A cell that raised keeps 0 points and its error. A cell with no probe data gets
    0 and says that the grading test did not run.

Points of a cell: its max points × (weights of passed probes / weights of expected probes).
The expected probes, with their seeds and weights, are read from the cell's trusted source
(the literal arguments of its ``submit`` calls), not from what the kernel sent; extra or
duplicated probe outputs are ignored.
"""

from __future__ import annotations

import ast
import dataclasses
import hashlib
import json
import math
import os
import re
import warnings
from pathlib import Path
from typing import Any

from nbconvert.preprocessors.sanitize import SanitizeHTML
from nbformat import NotebookNode
from nbformat.v4 import new_output
from nbgrader import utils
from nbgrader.nbgraderformat import MetadataValidator
from nbgrader.preprocessors import NbGraderPreprocessor
from traitlets import Bool, Integer, List, Unicode

from . import ahead, nbgrader_schema, near_copy, sandbox, withholding
from .checks.base import PROBE_MIMETYPE, Probe

# Every process that loads these plugins (nbgrader's, through the course's nbgrader_config.py,
# and nnfs-grade's sanitizing ahead) checks nbgrader's metadata schema once, not once per cell.
nbgrader_schema.install()

#: Where the per-cell verdicts and the sandbox's status record go in the autograded notebook.
METADATA_KEY = "nnfs_grading"
#: Bump when the meaning of a cached result changes.
CACHE_VERSION = 1

_ANSI = re.compile(r"\x1b\[[0-9;]*[A-Za-z]")
_SCHEMA_VERSION = MetadataValidator.schema_version


def cache_key(nb: NotebookNode, resources: dict[str, Any], fingerprint: str) -> str:
    """The key of one sanitized notebook: who, which notebook, the code that will run, and the
    limits it runs under. Cell ids and metadata are left out, so two sanitizing runs of the
    same submission agree even if nbformat invented fresh cell ids."""
    info = resources.get("nbgrader", {})
    payload = {
        "version": CACHE_VERSION,
        "student": info.get("student"),
        "assignment": info.get("assignment"),
        "notebook": info.get("notebook"),
        "limits": fingerprint,
        "cells": [[cell.cell_type, cell.source] for cell in nb.cells],
    }
    return hashlib.sha256(json.dumps(payload, sort_keys=True).encode()).hexdigest()


def _package_root() -> Path:
    return Path(__file__).resolve().parent.parent


class DropBrokenMetadata(NbGraderPreprocessor):
    """Sanitizing step: turn a cell with unusable nbgrader metadata into a plain cell.

    Unusable: not a dict, not the current schema version, empty (what ``DeduplicateIds``
    leaves on a duplicated cell), or claiming a role (grade, solution, locked, task) without a
    ``grade_id`` (what ``OverwriteCells`` leaves on a cell whose id the gradebook does not
    know, e.g. a test cell a student made up). nbgrader would stop on such a cell: for a
    schema mismatch ``nbgrader autograde`` gives up on the whole run, everyone's grading; for
    a missing id the submission fails. Instead the cell loses its role: a duplicated test cell
    is graded once, through the copy nbgrader kept; a made-up one is not graded at all.
    """

    ROLES = ("grade", "solution", "locked", "task")

    def preprocess_cell(self, cell: NotebookNode, resources: dict[str, Any], index: int):
        if "nbgrader" in cell.metadata:
            meta = cell.metadata["nbgrader"]
            broken = (
                not isinstance(meta, dict)
                or meta.get("schema_version") != _SCHEMA_VERSION
                or (any(meta.get(role) for role in self.ROLES) and not meta.get("grade_id"))
            )
            if broken:
                del cell.metadata["nbgrader"]
                if meta:
                    self.log.warning("Cell %d: unusable nbgrader metadata dropped: %r", index, meta)
        return cell, resources


class IsolatedExecute(NbGraderPreprocessor):
    """Execute the notebook in :mod:`autograder.sandbox` instead of in nbgrader's process."""

    cell_timeout = Integer(60, help="Seconds one cell may run before it is interrupted.").tag(
        config=True
    )
    total_timeout = Integer(600, help="Seconds the whole notebook may run.").tag(config=True)
    memory_limit = Integer(4 * 2**30, help="Address-space limit of the kernel, bytes.").tag(
        config=True
    )
    sandbox_user = Unicode(
        "auto",
        help=(
            "Whom the kernel runs as: 'auto' (a fresh unprivileged uid when grading as root),"
            " a user name or uid, or '' to keep the grader's own user."
        ),
    ).tag(config=True)
    hide_paths = List(
        Unicode(),
        help=(
            "Extra paths the kernel must not see. The course root, the gradebook's folder and"
            " the course's source notebooks are always hidden."
        ),
    ).tag(config=True)
    network = Bool(False, help="Give the kernel network access.").tag(config=True)
    allow_weak_isolation = Bool(
        False,
        help=(
            "Grade even where the sandbox cannot give every guarantee (see"
            " autograder.sandbox.missing_here); otherwise nothing runs and the notebook"
            " scores 0 with the reason."
        ),
    ).tag(config=True)
    cache_dir = Unicode(
        "",
        help="Folder of results run ahead by nnfs-grade (autograder.ahead); '' for none.",
    ).tag(config=True)

    def limits(self) -> sandbox.Limits:
        return sandbox.Limits(
            cell_timeout=self.cell_timeout,
            total_timeout=self.total_timeout,
            memory_bytes=self.memory_limit,
        )

    #: The course root when known; otherwise the current folder, where nbgrader runs from.
    course_root: str | None = None

    def hidden(self, resources: dict[str, Any]) -> list[str]:
        paths = [self.course_root or os.getcwd()]
        coursedir = getattr(getattr(self.parent, "parent", None), "coursedir", None)
        if coursedir is not None:
            paths.append(coursedir.root)
        db_url = resources.get("nbgrader", {}).get("db_url", "")
        if db_url.startswith("sqlite:///"):
            paths.append(os.path.dirname(os.path.abspath(db_url[len("sqlite:///") :])))
        notebooks = _package_root() / "notebooks"
        if notebooks.is_dir():
            paths.append(str(notebooks))
        paths.extend(self.hide_paths)
        return sorted({os.path.abspath(p) for p in paths})

    def request(self, nb: NotebookNode, resources: dict[str, Any]) -> dict[str, Any]:
        """Everything the sandbox needs to run ``nb`` as this preprocessor would, as plain JSON
        data (:func:`autograder.sandbox.run_request`): how a run is described to be made
        later or elsewhere (``nnfs-grade autograde`` runs them ahead, on threads or a Dask
        cluster, :mod:`autograder.dispatch`)."""
        return {
            "name": f"{resources.get('nbgrader', {}).get('notebook') or 'notebook'}.ipynb",
            "limits": dataclasses.asdict(self.limits()),
            "hide": self.hidden(resources),
            "user": self.sandbox_user or None,
            "network": self.network,
            # The graded components' reference code is not in the kernel's nnfs_core. The test
            # cells are trusted here: OverwriteCells restored them from the gradebook.
            "withhold": withholding.targets(
                withholding.graded_checks([c for c in nb.cells if utils.is_grade(c)])
            ),
        }

    def preprocess(self, nb: NotebookNode, resources: dict[str, Any]):
        limits = self.limits()
        key = cache_key(nb, resources, limits.fingerprint())
        info = resources.get("nbgrader", {})
        who = f"{info.get('student')}/{info.get('assignment')}/{info.get('notebook')}"
        request = self.request(nb, resources)
        result = self._cached(key)
        missing = sandbox.missing_here()
        if result is None and missing and not self.allow_weak_isolation:
            self.log.error("%s", sandbox.refusal(missing))
            result = sandbox.refused(missing)
        elif result is None:
            self.log.info("Executing %s in a sandbox", who)
            result = sandbox.run_request(json.dumps(nb), request)
        else:
            self.log.info("Using the pre-executed result of %s (%s)", who, key[:12])
        merged = merge_outputs(nb, result)
        record = result.record()
        record["key"] = key
        if not merged and result.notebook is not None:
            record["status"] = sandbox.SANDBOX_ERROR
            record["message"] = "The executed notebook did not match the submission; ignored."
        resources[METADATA_KEY] = record
        level = self.log.info if record["status"] == sandbox.OK else self.log.warning
        level(
            "Sandbox %s: %s %s (%.1f s)", who, record["status"], record["message"], result.duration
        )
        return nb, resources

    def _cached(self, key: str) -> sandbox.SandboxResult | None:
        """The result run ahead for ``key`` (:mod:`autograder.ahead`), waiting for it while
        it is still announced as under way; None when there is none (then it runs here)."""
        if not self.cache_dir:
            return None
        limits = self.limits()
        # A run ahead may still be queued behind others: allow for one whole run after the
        # announced one started, and a few more of queueing; then grade here instead.
        patience = 3 * (limits.total_timeout + limits.startup_timeout + limits.grace) + 60
        return ahead.wait_for_result(Path(self.cache_dir), key, patience, log=self.log)


def merge_outputs(nb: NotebookNode, result: sandbox.SandboxResult) -> bool:
    """Copy outputs and execution counts from the executed notebook onto ``nb``'s own cells.

    Only outputs travel: sources and metadata stay the grading process's own. The executed
    notebook must have the same cells with the same sources, or nothing is copied.
    """
    for cell in nb.cells:
        if cell.cell_type == "code":
            cell.outputs = []
            cell.execution_count = None
    if result.notebook is None:
        return False
    try:
        executed = sandbox.parse_notebook(result.notebook)
    except ValueError:
        return False
    if len(executed.cells) != len(nb.cells):
        return False
    for mine, theirs in zip(nb.cells, executed.cells):
        if mine.cell_type != theirs.cell_type or mine.source != theirs.source:
            return False
    for mine, theirs in zip(nb.cells, executed.cells):
        if mine.cell_type == "code":
            mine.outputs = [o for o in theirs.get("outputs", []) if isinstance(o, dict)]
            count = theirs.get("execution_count")
            mine.execution_count = count if isinstance(count, int) else None
    return True


# ---------------------------------------------------------------------------------------
# Judging
# ---------------------------------------------------------------------------------------


def expected_probes(source: str) -> list[tuple[str, int, float]] | None:
    """The ``submit(name, ..., seed=S, weight=W)`` calls of a trusted cell source, in order.

    None when the source cannot be parsed or a call's name, seed or weight is not a literal:
    the judge then takes the probes as the kernel reported them.
    """
    try:
        tree = ast.parse(source)
    except SyntaxError:
        return None
    calls = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Call):
            func = node.func
            called = func.id if isinstance(func, ast.Name) else getattr(func, "attr", None)
            if called == "submit":
                calls.append(node)
    calls.sort(key=lambda node: (node.lineno, node.col_offset))
    found = []
    for call in calls:
        try:
            name = ast.literal_eval(call.args[0])
            keywords = {k.arg: ast.literal_eval(k.value) for k in call.keywords if k.arg}
            seed = int(keywords["seed"])
            weight = float(keywords.get("weight", 1.0))
        except (ValueError, KeyError, IndexError, TypeError, SyntaxError):
            return None
        if not isinstance(name, str):
            return None
        found.append((name, seed, weight))
    return found


def _probe_outputs(cell: NotebookNode) -> list[dict[str, Any]]:
    payloads = []
    for output in cell.get("outputs", []):
        if output.get("output_type") != "display_data":
            continue
        payload = (output.get("data") or {}).get(PROBE_MIMETYPE)
        if isinstance(payload, str):
            try:
                payload = json.loads(payload)
            except ValueError:
                continue
        if isinstance(payload, dict) and isinstance(payload.get("probe"), dict):
            payloads.append(payload)
    return payloads


def _clean(text: Any, limit: int = 2000) -> str:
    text = _ANSI.sub("", str(text))
    return text if len(text) <= limit else text[: limit - 3] + "..."


def reference_origin(probe: Probe) -> str | None:
    """The module, when the probed class is nnfs_core's own (the "Stuck?" shortcut).

    Learners may import the reference to carry on with a notebook; that keeps their
    immediate feedback green but must not earn grades. (A determined cheat can fake the
    module name in the kernel; this catches the honest shortcut, not forgery.)
    """
    origin = probe.captured.get("origin") if isinstance(probe.captured, dict) else None
    if isinstance(origin, str) and (origin == "nnfs_core" or origin.startswith("nnfs_core.")):
        return origin
    return None


#: The name the class report gives the refusal of the reference's own class (not a catalogue
#: entry: the learner did not make a mistake in the code, they did not write it).
REFERENCE_SUBMITTED_TITLE = "graded class taken from the reference implementation"


def judge_payload(payload: dict[str, Any]) -> dict[str, Any]:
    """Judge one probe payload with the registry; a verdict dict, never an exception.

    A failure that names a catalogued mistake carries its id (``diagnosis``) and its title
    (``mistake_title``) in the verdict line, which lands in the autograded notebook."""
    from .checks import REGISTRY

    name = payload.get("probe", {}).get("check")
    verdict = {"check": str(name), "seed": payload.get("probe", {}).get("seed")}
    try:
        probe = Probe.from_json(payload["probe"])
        check = REGISTRY[probe.check]
    except KeyError:
        return {**verdict, "status": "fail", "message": f"no check named {name!r}"}
    except (ValueError, TypeError) as error:
        return {**verdict, "status": "fail", "message": f"unreadable grading data ({error})"}
    reference = reference_origin(probe)
    if reference:
        return {
            **verdict,
            "status": "fail",
            "message": (
                f"graded code must be your own: {probe.captured.get('learner')} comes from "
                f"the reference implementation ({reference}), which earns no points. Fix: "
                f"define the class in the notebook's solution cell instead of importing it."
            ),
            "diagnosis": "reference_submitted",
            "mistake_title": REFERENCE_SUBMITTED_TITLE,
        }
    try:
        import numpy as np

        with warnings.catch_warnings(), np.errstate(all="ignore"):
            warnings.simplefilter("ignore")
            result = check.judge(probe, 1.0)
    except Exception as error:
        return {
            **verdict,
            "status": "fail",
            "message": f"the grading data could not be judged ({error!r})",
        }
    line = {
        **verdict,
        "status": "pass" if result.passed else "fail",
        "message": _clean(result.message),
        "diagnosis": result.diagnosis,
    }
    if result.diagnosis:
        # The title as the catalogue had it when judged: the class report
        # (autograder/report.py) reads it from here, so it never needs to regrade.
        line["mistake_title"] = str(result.details.get("title") or result.diagnosis)
    return line


def _main_error(errors: list[dict[str, Any]]) -> dict[str, Any]:
    """The error that explains the cell: a time limit rather than the interrupt it caused."""
    timeouts = [e for e in errors if e.get("ename") == "CellTimeoutError"]
    return (timeouts or errors)[0]


def grade_cell(
    cell: NotebookNode, sandbox_record: dict[str, Any] | None, index: int
) -> dict[str, Any]:
    """The verdict on one graded test cell: points, max points, a message, per-check lines."""
    max_points = float(cell.metadata["nbgrader"].get("points", 0))
    verdict: dict[str, Any] = {"cell": index, "points": 0.0, "max_points": max_points, "checks": []}
    if cell.metadata["nbgrader"].get("checksum") != utils.compute_checksum(cell):
        return {
            **verdict,
            "status": "untrusted",
            "message": "The test cell differs from the instructor's version; it was not graded.",
        }
    errors = [o for o in cell.get("outputs", []) if o.get("output_type") == "error"]
    record = sandbox_record or {}
    status, stopped_at = record.get("status", sandbox.OK), record.get("cell")
    # Where the run stopped is decided by the sandbox's record, not by whatever partial
    # output a dying kernel managed to send: the verdict must not depend on timing.
    if status != sandbox.OK and (
        stopped_at is None or index > stopped_at or (index == stopped_at and not errors)
    ):
        reason = record.get("message") or "the notebook did not run"
        return {
            **verdict,
            "status": "not_run",
            "message": f"The grading test did not run: {reason}",
        }
    if errors:
        first = _main_error(errors)
        name, value = _clean(first.get("ename", "Error"), 200), _clean(first.get("evalue", ""))
        return {**verdict, "status": "error", "message": f"{name}, so 0 points: {value}"}
    if cell.get("execution_count") is None and sandbox_record is not None:
        message = "The grading test did not run: the cell was not executed."
        return {**verdict, "status": "not_run", "message": message}

    plan = probe_plan(cell.source, _probe_outputs(cell))
    if not plan:
        message = "The grading test did not run: no hidden check recorded any data."
        return {**verdict, "status": "not_run", "message": message}
    lines = []
    for payload, name, seed, weight in plan:
        if payload is None:
            line = {"check": name, "seed": seed, "status": "fail"}
            line["message"] = "the grading test did not run"
        else:
            line = judge_payload(payload)
        lines.append({**line, "weight": weight})
    total = sum(line["weight"] for line in lines)
    passed = sum(line["weight"] for line in lines if line["status"] == "pass")
    points = min(max(round(max_points * passed / total, 4), 0.0), max_points) if total else 0.0
    status = "passed" if points == max_points else ("partial" if points > 0 else "failed")
    summary = "; ".join(
        f"✓ {x['check']}"
        if x["status"] == "pass"
        else f"✗ {x['check']}: {_clean(x.get('message', ''), 300)}".rstrip(": ")
        for x in lines
    )
    return {**verdict, "points": points, "status": status, "checks": lines, "message": summary}


def probe_plan(source: str, payloads: list[dict[str, Any]]) -> list[tuple]:
    """(payload or None if missing, check, seed, weight) for each probe the cell counts.

    With literal ``submit`` calls in the trusted source, each expected (check, seed) takes the
    first matching payload, at the source's weight; payloads nobody expects are ignored. Else
    every payload counts, at its own (finite, non-negative) weight.
    """
    expected = expected_probes(source)
    if expected is None:
        plan = []
        for payload in payloads:
            weight = payload.get("weight", 1.0)
            finite = isinstance(weight, int | float) and math.isfinite(weight)
            probe = payload["probe"]
            plan.append(
                (
                    payload,
                    probe.get("check"),
                    probe.get("seed"),
                    max(weight, 0.0) if finite else 1.0,
                )
            )
        return plan
    unused = list(payloads)
    plan = []
    for name, seed, weight in expected:
        match = next(
            (
                p
                for p in unused
                if (p["probe"].get("check"), p["probe"].get("seed")) == (name, seed)
            ),
            None,
        )
        if match is not None:
            unused.remove(match)
        plan.append((match, name, seed, weight))
    return plan


def _stream_text(verdict: dict[str, Any]) -> str:
    lines = [f"Grading: {verdict['points']:g} of {verdict['max_points']:g} points."]
    if verdict["checks"]:
        for line in verdict["checks"]:
            mark = "✓" if line["status"] == "pass" else "✗"
            lines.append(f"{mark} {line['check']} (seed {line['seed']}): {line['message']}")
    else:
        lines.append(verdict["message"])
    return "\n".join(lines) + "\n"


class JudgeProbes(NbGraderPreprocessor):
    """Judge graded test cells from their probe outputs; rewrite their outputs to the verdict."""

    def preprocess(self, nb: NotebookNode, resources: dict[str, Any]):
        record = resources.get(METADATA_KEY)
        if record is None:
            self.log.warning("JudgeProbes runs without IsolatedExecute: no sandbox record")
        verdicts = {}
        for index, cell in enumerate(nb.cells):
            if cell.cell_type != "code" or not utils.is_grade(cell) or utils.is_solution(cell):
                continue
            grade_id = cell.metadata["nbgrader"].get("grade_id")
            if not grade_id:
                continue
            verdict = grade_cell(cell, record, index)
            verdicts[grade_id] = verdict
            errors = [o for o in cell.get("outputs", []) if o.get("output_type") == "error"]
            outputs = [new_output("stream", name="stdout", text=_stream_text(verdict))]
            if verdict["status"] == "error":
                first = _main_error(errors)
                trace = first.get("traceback")
                trace = trace[-40:] if isinstance(trace, list) else []
                outputs.append(
                    new_output(
                        "error",
                        ename=_clean(first.get("ename", "Error"), 200),
                        evalue=_clean(first.get("evalue", "")),
                        traceback=[_clean(line, 4000) for line in trace],
                    )
                )
            else:
                outputs.append(
                    new_output(
                        "execute_result",
                        data={"text/plain": repr(float(verdict["points"]))},
                        execution_count=cell.get("execution_count"),
                    )
                )
            cell.outputs = outputs
        # Not penalised, flagged: solution cells that are near-copies of the reference source.
        flags = near_copy.near_copies(nb.cells)
        nb.metadata[METADATA_KEY] = {
            "sandbox": record or {},
            "cells": verdicts,
            "near_copies": flags,
        }
        return nb, resources


__all__ = [
    "METADATA_KEY",
    "DropBrokenMetadata",
    "IsolatedExecute",
    "JudgeProbes",
    "cache_key",
    "expected_probes",
    "grade_cell",
    "merge_outputs",
    "probe_plan",
]


# -- feedback ---------------------------------------------------------------------------------

#: Tags the course's own notebooks and check blocks use; everything else a student's code or
#: cells produce is shown escaped (as text), never run.
FEEDBACK_TAGS = sorted(
    {
        *("a", "abbr", "b", "blockquote", "br", "code", "div", "em", "hr", "i", "img", "kbd"),
        *("h1", "h2", "h3", "h4", "h5", "h6", "li", "ol", "p", "pre", "span", "strong", "sub"),
        *("sup", "table", "tbody", "td", "th", "thead", "tr", "ul", "details", "summary"),
    }
)
#: CSS properties the check blocks use (bleach's CSS sanitizer drops the others).
FEEDBACK_STYLES = (
    *("background", "border-left", "border-top", "cursor", "font-size", "font-weight"),
    *("line-height", "margin", "margin-top", "max-width", "padding", "text-align"),
)
FEEDBACK_ATTRIBUTES = {
    "*": ["class", "style", "title"],
    "a": ["href", "title"],
    "img": ["src", "alt", "width", "height"],
    "td": ["colspan", "rowspan", "style"],
    "th": ["colspan", "rowspan", "style"],
}


class SanitizeFeedback(SanitizeHTML):
    """Feedback HTML in which nothing a student wrote or printed can run script.

    nbconvert's SanitizeHTML (bleach), set up for the course: Markdown and raw cells, and every
    HTML or Markdown output, keep only the tags and attributes above (``<script>`` and event
    handlers such as ``onerror`` never pass; a disallowed tag is shown as text). Outputs of
    any other rich type (JavaScript, SVG, widgets) are dropped, keeping their plain text.
    """

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        # nbconvert's preprocessors start disabled, and GenerateFeedback does not enable the
        # ones it is given: without this the feedback would not be sanitized at all.
        self.enabled = True
        self.tags = FEEDBACK_TAGS
        self.attributes = FEEDBACK_ATTRIBUTES
        self.styles = sorted({*self.styles, *FEEDBACK_STYLES})
        self.strip = False
