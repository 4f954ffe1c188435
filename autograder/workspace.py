"""The learner's workspace: the released notebooks, never a solution, never their work lost.

``python3 course.py lab`` runs ``python -m autograder.workspace NOTEBOOKS WORKSPACE`` in the
course environment before it starts JupyterLab. That:

1. generates the *released* version of every chapter in ``NOTEBOOKS`` with nbgrader's
   ``generate_assignment`` (solutions replaced by ``raise NotImplementedError()``, hidden
   tests removed), in a temporary nbgrader course; the result is kept in
   ``WORKSPACE/.nnfs-course/release/`` and generated again only when the sources change;
2. brings each released notebook into the workspace:

   * missing in the workspace: copied;
   * the same as the new release: left alone;
   * identical to a release this workspace received earlier (the learner has not changed
     it): replaced by the new release;
   * changed by the learner, and this release was already delivered to the workspace:
     left alone, silently (nothing in the course changed since);
   * changed by the learner, and the course changed since: kept as it is, and the new
     release is put beside it as ``<name>.release-<version>.ipynb``, with a message saying
     what changed (cells changed, added and removed, and the sections they are in).

"Identical" compares the cells' types and sources only: running cells, or JupyterLab
rewriting metadata when it saves, does not count as a change. What the workspace received
is recorded in ``WORKSPACE/.nnfs-course/state.json``; the last release delivered of each
notebook is kept in ``WORKSPACE/.nnfs-course/delivered/``, to say what a new one changes.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import logging
import shutil
import sys
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

STATE_DIR = ".nnfs-course"
STATE_FILE = "state.json"
#: Bump when the way releases are generated changes, so existing caches are regenerated.
FORMAT = 1


@dataclass
class SyncReport:
    copied: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    current: list[str] = field(default_factory=list)
    # (learner's file, new version beside it, what changed since the last delivered version)
    kept: list[tuple[str, str, str]] = field(default_factory=list)
    failed: list[tuple[str, str]] = field(default_factory=list)  # (chapter, why)

    def lines(self) -> list[str]:
        out = [
            f"{len(self.copied)} new, {len(self.updated)} updated, "
            f"{len(self.current) + len(self.kept)} kept as they were"
        ]
        out += [f"updated to the new course version: {path}" for path in self.updated]
        out += [
            f"the course changed {mine} ({changes}); yours has your own changes, so it was"
            f" kept, and the new course version is beside it: {new}"
            for mine, new, changes in self.kept
        ]
        out += [f"could not prepare {chapter}: {why}" for chapter, why in self.failed]
        return out


def chapters(source: Path) -> list[Path]:
    """Chapter folders of ``source``: those holding notebooks, skipping ``_build`` and the like."""
    if not source.is_dir():
        return []
    return sorted(
        folder
        for folder in source.iterdir()
        if folder.is_dir()
        and not folder.name.startswith(("_", "."))
        and any(folder.glob("*.ipynb"))
    )


def content_hash(path: Path) -> str | None:
    """What makes a notebook the learner's: its cells' types and sources. None if unreadable."""
    try:
        notebook = json.loads(path.read_text(encoding="utf-8"))
        cells = [
            [cell.get("cell_type"), "".join(cell.get("source", ""))] for cell in notebook["cells"]
        ]
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return None
    return hashlib.sha256(json.dumps(cells).encode()).hexdigest()


def _cells(path: Path) -> list[dict]:
    try:
        cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
        return [c for c in cells if isinstance(c, dict)]
    except (OSError, ValueError, KeyError, TypeError):
        return []


def _section(cells: list[dict], index: int) -> str:
    """The title of the last markdown heading at or before ``cells[index]``."""
    for cell in reversed(cells[: index + 1]):
        if cell.get("cell_type") != "markdown":
            continue
        for line in "".join(cell.get("source", "")).splitlines():
            if line.startswith("#"):
                return line.lstrip("#").strip()
    return "the opening"


def describe_changes(old: Path, new: Path) -> str:
    """What differs between two versions of a notebook, for a person: ``2 cells changed
    (sections "9.3 ReLU", "9.4 Softmax"), 1 added``. Cells are matched by id."""
    before, after = _cells(old), _cells(new)
    if not before:
        return "what changed is not known: this workspace has no copy of the earlier version"
    old_by_id = {c.get("id"): c for c in before if c.get("id")}
    new_ids = {c.get("id") for c in after}
    changed, added, sections = 0, 0, []
    for index, cell in enumerate(after):
        earlier = old_by_id.get(cell.get("id"))
        if earlier is None:
            added += 1
        elif [earlier.get("cell_type"), "".join(earlier.get("source", ""))] == [
            cell.get("cell_type"),
            "".join(cell.get("source", "")),
        ]:
            continue
        else:
            changed += 1
        section = _section(after, index)
        if section not in sections:
            sections.append(section)
    removed = sum(1 for key in old_by_id if key not in new_ids)
    parts = [
        f"{count} {'cell' if count == 1 else 'cells'} {what}"
        for count, what in ((changed, "changed"), (added, "added"), (removed, "removed"))
        if count
    ]
    if not parts:
        return "the cells were reordered"
    where = ", ".join(f'"{title}"' for title in sections[:4])
    more = f" and {len(sections) - 4} more" if len(sections) > 4 else ""
    return ", ".join(parts) + (f"; in {where}{more}" if where else "")


def source_digest(source: Path) -> str:
    from importlib.metadata import version

    digest = hashlib.sha256(f"format={FORMAT};nbgrader={version('nbgrader')}".encode())
    for folder in chapters(source):
        for notebook in sorted(folder.glob("*.ipynb")):
            digest.update(str(notebook.relative_to(source)).encode() + b"\0")
            digest.update(notebook.read_bytes() + b"\0")
    return digest.hexdigest()


def release_notebooks(source: Path, target: Path) -> list[tuple[str, str]]:
    """Generate the released version of every chapter of ``source`` into ``target/<chapter>``
    with nbgrader, in a throwaway course. Returns (chapter, why) for chapters that failed."""
    from .course_config import skip_slow_optional_imports, use_environment_tools

    use_environment_tools()
    skip_slow_optional_imports()
    # nbgrader logs through traitlets' logger; keep its errors to explain a failed chapter.
    errors = _ErrorLog()
    logger = logging.getLogger("traitlets")
    logger.addHandler(errors)
    logger.propagate, level = False, logger.level
    logger.setLevel(logging.ERROR)
    try:
        return _release_all(source, target, errors)
    finally:
        logger.removeHandler(errors)
        logger.setLevel(level)


class _ErrorLog(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.ERROR)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(record.getMessage())

    def reason(self) -> str:
        """The last line of the first traceback nbgrader logged, or its first message."""
        for message in self.messages:
            if message.startswith("Traceback"):
                return message.strip().splitlines()[-1]
        return self.messages[0] if self.messages else "unknown error"


def _release_all(source: Path, target: Path, errors: _ErrorLog) -> list[tuple[str, str]]:
    from nbgrader.converters import GenerateAssignment
    from nbgrader.coursedir import CourseDirectory
    from traitlets.config import Config

    from .course_config import NBGRADER_IGNORE

    failed = []
    with tempfile.TemporaryDirectory(prefix="nnfs-release-") as scratch:
        root = Path(scratch)
        for folder in chapters(source):
            shutil.copytree(
                folder,
                root / "source" / folder.name,
                # Not even into the scratch course: the notebooks' jupytext sources (*.py).
                ignore=shutil.ignore_patterns(*NBGRADER_IGNORE),
            )
        config = Config()
        config.CourseDirectory.root = str(root)
        config.CourseDirectory.ignore = list(NBGRADER_IGNORE)
        config.CourseDirectory.course_id = "workspace"
        config.CourseDirectory.db_url = f"sqlite:///{root / 'gradebook.db'}"
        for folder in chapters(source):
            coursedir = CourseDirectory(config=config)
            coursedir.assignment_id = folder.name
            converter = GenerateAssignment(coursedir=coursedir, config=config)
            converter.force = True
            converter.create_assignment = True
            errors.messages.clear()
            try:
                converter.start()
            except Exception:
                failed.append((folder.name, errors.reason()))
                continue
            released = root / "release" / folder.name
            shutil.copytree(released, target / folder.name, dirs_exist_ok=True)
    return failed


def _load_state(workspace: Path) -> dict:
    try:
        state = json.loads((workspace / STATE_DIR / STATE_FILE).read_text())
        return state if isinstance(state, dict) else {}
    except (OSError, ValueError):
        return {}


def sync_workspace(source: Path, workspace: Path, *, generate=release_notebooks) -> SyncReport:
    """Bring the released notebooks of ``source`` into ``workspace`` (see the module text)."""
    report = SyncReport()
    state_dir = workspace / STATE_DIR
    state_dir.mkdir(parents=True, exist_ok=True)
    state = _load_state(workspace)
    release = state_dir / "release"
    digest = source_digest(source)
    if state.get("digest") != digest or not release.is_dir():
        fresh = Path(tempfile.mkdtemp(prefix="release-", dir=state_dir))
        try:
            report.failed = generate(source, fresh)
            shutil.rmtree(release, ignore_errors=True)
            fresh.rename(release)
        finally:
            shutil.rmtree(fresh, ignore_errors=True)
        state["digest"] = digest if not report.failed else None
    history: dict[str, list[str]] = state.setdefault("released", {})

    delivered = state_dir / "delivered"
    for notebook in sorted(release.rglob("*.ipynb")):
        relative = notebook.relative_to(release).as_posix()
        target = workspace / relative
        new = content_hash(notebook)
        seen = history.setdefault(relative, [])
        last = delivered / relative
        if not target.exists():
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(notebook, target)
            report.copied.append(relative)
        elif (mine := content_hash(target)) == new:
            report.current.append(relative)
        elif mine in seen:
            shutil.copyfile(notebook, target)
            report.updated.append(relative)
        elif new in seen:
            # The learner's own version of a release this workspace already has: nothing new.
            report.current.append(relative)
        else:
            beside = target.with_name(f"{target.stem}.release-{new[:8]}.ipynb")
            if not beside.exists():
                shutil.copyfile(notebook, beside)
            changes = describe_changes(last, notebook)
            report.kept.append((relative, beside.relative_to(workspace).as_posix(), changes))
        if new not in seen:
            seen.append(new)
            last.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(notebook, last)
    (state_dir / STATE_FILE).write_text(json.dumps(state, indent=1, sort_keys=True) + "\n")
    return report


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m autograder.workspace",
        description=(
            "Put the released (solution-free) chapter notebooks into a learner's workspace,"
            " keeping every notebook the learner changed."
        ),
    )
    parser.add_argument("source", type=Path, help="chapter notebooks (nbgrader source format)")
    parser.add_argument("workspace", type=Path, help="the learner's workspace folder")
    options = parser.parse_args(argv)
    report = sync_workspace(options.source.resolve(), options.workspace.resolve())
    for line in report.lines():
        print(f"[course] workspace: {line}", flush=True)
    return 1 if report.failed else 0


if __name__ == "__main__":
    sys.exit(main())
