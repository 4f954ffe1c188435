"""Solutions that are near-copies of the reference source, flagged for the instructor.

The grading kernel cannot use nnfs_core's graded components (:mod:`autograder.withholding`),
but a student may still have pasted the reference's source into a solution cell. That earns the
points (the code is there and it works), so it is not penalised automatically: it is *flagged*
in the export, for a person to look at.

For each class a solution cell defines whose name has a reference twin (``Layer_Dense`` ->
``nnfs_core.layers.Dense``), the class's source is compared with the twin's as a sequence of
tokens (comments, blank lines and indentation dropped); a similarity of :data:`THRESHOLD` or
more is flagged. The reference is written with type hints, validation and docstrings, and the
course's own solutions stay far below it (see tests/test_near_copy.py), so a flag means the
text was taken, not that the same idea was written.
"""

from __future__ import annotations

import ast
import difflib
import importlib
import inspect
import io
import tokenize
from typing import Any

from .withholding import _reference_of

THRESHOLD = 0.8
#: Classes shorter than this (in tokens) are not compared: too little text to tell.
MIN_TOKENS = 40
_SKIPPED = {
    tokenize.COMMENT,
    tokenize.NL,
    tokenize.NEWLINE,
    tokenize.INDENT,
    tokenize.DEDENT,
    tokenize.ENCODING,
    tokenize.ENDMARKER,
}


def tokens(source: str) -> list[str]:
    try:
        stream = tokenize.generate_tokens(io.StringIO(source).readline)
        return [t.string for t in stream if t.type not in _SKIPPED]
    except (tokenize.TokenError, IndentationError, SyntaxError):
        return source.split()


def similarity(a: str, b: str) -> float:
    return difflib.SequenceMatcher(None, tokens(a), tokens(b), autojunk=False).ratio()


def _reference_source(learner: str) -> tuple[str, str] | None:
    dotted = _reference_of(learner)
    if dotted is None:
        return None
    module, _, name = dotted.rpartition(".")
    try:
        return dotted, inspect.getsource(getattr(importlib.import_module(module), name))
    except (ImportError, AttributeError, OSError, TypeError):
        return None


def near_copies(cells: list[Any]) -> list[dict[str, Any]]:
    """Flags for the solution cells of a notebook: grade id, class, reference, similarity."""
    flags = []
    for cell in cells:
        meta = cell.get("metadata", {}).get("nbgrader", {})
        if cell.get("cell_type") != "code" or not meta.get("solution"):
            continue
        source = cell.get("source", "")
        source = "".join(source) if isinstance(source, list) else str(source)
        try:
            tree = ast.parse(source)
        except SyntaxError:
            continue
        for node in tree.body:
            if not isinstance(node, ast.ClassDef | ast.FunctionDef):
                continue
            found = _reference_source(node.name)
            text = ast.get_source_segment(source, node) or ""
            if found is None or len(tokens(text)) < MIN_TOKENS:
                continue
            dotted, reference = found
            score = similarity(text, reference)
            if score >= THRESHOLD:
                flags.append(
                    {
                        "cell": meta.get("grade_id"),
                        "name": node.name,
                        "reference": dotted,
                        "similarity": round(score, 3),
                    }
                )
    return flags
