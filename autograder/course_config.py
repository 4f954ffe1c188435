"""The ``nbgrader_config.py`` template of a course graded with this project.

``nnfs-grade init`` writes it; an instructor may edit it like any nbgrader configuration.
Because the sandbox and the judge are configured here, every nbgrader command run in the
course directory uses them, ``nbgrader autograde`` included.
"""

from __future__ import annotations

import os
import sys

TEMPLATE = '''\
"""nbgrader configuration of the course {course_id!r}, written by `nnfs-grade init`.

Autograding executes each submission in a sandbox (autograder.sandbox): a separate process
with its own empty folder, no network, an unprivileged user when grading as root, time and
memory limits, and this course directory hidden from it. The checks then judge what the
hidden tests recorded here, in the grading process, where a submission cannot reach.
"""

from autograder.export import NnfsExportPlugin
from autograder.nbgrader_plugins import (
    DropBrokenMetadata,
    IsolatedExecute,
    JudgeProbes,
    SanitizeFeedback,
)
from nbconvert.preprocessors import CSSHTMLHeaderPreprocessor
from nbgrader.preprocessors import (
    AssignLatePenalties,
    GetGrades,
    CheckCellMetadata,
    ClearOutput,
    DeduplicateIds,
    IgnorePattern,
    LimitOutput,
    OverwriteCells,
    OverwriteKernelspec,
    SaveAutoGrades,
)

c = get_config()  # noqa: F821 - provided by traitlets when it loads this file

c.CourseDirectory.course_id = {course_id!r}

# What nbgrader leaves out when it copies a chapter folder into release/, autograded/ or
# feedback/: its own defaults, and *.py, the notebooks' paired jupytext sources, which hold the
# solutions and the hidden tests.
c.CourseDirectory.ignore = {ignore!r}

# nbgrader's sanitizing steps, plus DropBrokenMetadata: without it one submission with a
# duplicated test cell or a forged schema version stops the whole autograde run, and a test
# cell a student made up makes their submission fail.
c.Autograde.sanitize_preprocessors = [
    ClearOutput,
    DropBrokenMetadata,
    DeduplicateIds,
    DropBrokenMetadata,
    OverwriteKernelspec,
    OverwriteCells,
    DropBrokenMetadata,
    CheckCellMetadata,
]

# nbgrader's own list, with Execute replaced by the sandbox and the judge.
c.Autograde.autograde_preprocessors = [
    IsolatedExecute,
    JudgeProbes,
    IgnorePattern,
    LimitOutput,
    SaveAutoGrades,
    AssignLatePenalties,
    CheckCellMetadata,
]

# Feedback HTML: nbgrader's steps, then nbconvert's sanitizer (bleach), so that nothing a
# student's cells or code produced (<script>, onerror=...) runs in a browser that opens it.
c.GenerateFeedback.preprocessors = [GetGrades, CSSHTMLHeaderPreprocessor, SanitizeFeedback]

# Limits of one submission (seconds, bytes).
c.IsolatedExecute.cell_timeout = {cell_timeout}
c.IsolatedExecute.total_timeout = {total_timeout}
c.IsolatedExecute.memory_limit = {memory_limit}
# Whom the kernel runs as: "auto" = a fresh unprivileged uid when grading as root.
c.IsolatedExecute.sandbox_user = "auto"
# More paths the kernel must not see (the course root and the gradebook's folder always are),
# for example an exchange directory: ["/srv/nbgrader/exchange"]
c.IsolatedExecute.hide_paths = []

# `nbgrader export` writes what `nnfs-grade export` writes: grades.csv (nbgrader's own table)
# by default, and with --to=grades.json the report per student, chapter, notebook and graded
# cell, with the grader's messages (autograder/export.py).
c.ExportApp.plugin_class = NnfsExportPlugin
'''


#: nbgrader's ``CourseDirectory.ignore`` for the course: its defaults plus ``*.py``. A chapter
#: folder holds each notebook's jupytext source next to it (``notebooks/jupytext.toml``), with the
#: solutions and hidden tests in it; no learner may receive it.
NBGRADER_IGNORE = (".ipynb_checkpoints", "*.pyc", "__pycache__", "feedback", "*.py")


def render(
    course_id: str,
    *,
    cell_timeout: int = 60,
    total_timeout: int = 600,
    memory_limit: int = 4 * 2**30,
) -> str:
    """The text of ``nbgrader_config.py`` for a course."""
    return TEMPLATE.format(
        course_id=course_id,
        ignore=list(NBGRADER_IGNORE),
        cell_timeout=int(cell_timeout),
        total_timeout=int(total_timeout),
        memory_limit=int(memory_limit),
    )


def use_environment_tools() -> None:
    """nbgrader runs tools of its environment by name (``alembic`` when it creates a
    gradebook): put this interpreter's folder first on PATH, as an activated venv would."""
    folder = os.path.dirname(sys.executable)
    parts = os.environ.get("PATH", "").split(os.pathsep)
    if folder not in parts:
        os.environ["PATH"] = os.pathsep.join([folder, *parts])


def skip_slow_optional_imports() -> None:
    """Make ``import rfc3987_syntax`` fail in this process. jsonschema (which nbformat and
    nbgrader import) registers an IRI format checker when that optional package is installed,
    and jupyterlab installs it; importing it compiles a grammar and costs about 1.5 s, half a
    sandbox run. No notebook or nbgrader schema uses the IRI format."""
    sys.modules.setdefault("rfc3987_syntax", None)


#: ``python -c NBGRADER_LAUNCHER ARGS...`` is ``nbgrader ARGS...`` without that import.
NBGRADER_LAUNCHER = (
    "import sys; from autograder.course_config import skip_slow_optional_imports; "
    "skip_slow_optional_imports(); from nbgrader.apps.nbgraderapp import main; "
    "sys.argv[0] = 'nbgrader'; sys.exit(main())"
)
