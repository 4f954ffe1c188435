"""How far a learner has come: which graded pieces pass in their workspace, chapter by chapter.

``python3 course.py progress`` runs ``python -m autograder.progress WORKSPACE``; chapter 1 has a
cell that calls :func:`show`. Both run each of the learner's chapter notebooks
(``WORKSPACE/chNN/*.ipynb``, not the ``*.release-*`` copies beside them) top to bottom in a fresh
kernel of their own, never in the learner's kernel and never writing to the notebook, and read
the graded test cells: a piece passes when its test cell ran without an error output (what
nbgrader would count). A notebook whose cells' sources have not changed since the last run is
not run again: the results are kept in ``WORKSPACE/.nnfs-course/progress.json`` with the
notebook's content hash and a digest of the checks' code.

The kernels get ``NNFS_PROGRESS_RUN=1``, so the progress cell of chapter 1 does not start a
progress run of its own inside one.
"""

from __future__ import annotations

import argparse
import hashlib
import html
import json
import os
import re
import sys
import tempfile
import time
from collections.abc import Callable, Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import asdict, dataclass, field
from pathlib import Path

from .library import LIBRARY_DIR, export_from_run, learner_components, load_manifest
from .workspace import STATE_DIR, content_hash

CACHE_FILE = "progress.json"
#: Set in the kernels this module starts; the chapter 1 cell stays quiet inside them.
INSIDE_ENV = "NNFS_PROGRESS_RUN"
#: Seconds a single cell may run before the notebook counts as stuck (its pieces: not passed).
CELL_TIMEOUT = 300
CHAPTER_FOLDER = re.compile(r"^ch\d\d$")
CHECK_LINE = re.compile(r'check\(\s*"(?P<name>\w+)"')


@dataclass
class Piece:
    """One graded test cell of a chapter notebook."""

    grade_id: str
    check: str
    points: float
    passed: bool
    why: str = ""  # the first line of the failure, for the table


@dataclass
class Chapter:
    chapter: str  # "ch09"
    notebook: str  # "ch09/ch09_backpropagation.ipynb", relative to the workspace
    title: str
    pieces: list[Piece] = field(default_factory=list)
    problem: str = ""  # why the notebook could not be run to the end, if it could not
    seconds: float = 0.0
    cached: bool = False
    exported: list[str] = field(default_factory=list)  # classes now in the learner's library

    @property
    def passed(self) -> int:
        return sum(piece.passed for piece in self.pieces)

    @property
    def points(self) -> tuple[float, float]:
        earned = sum(piece.points for piece in self.pieces if piece.passed)
        return earned, sum(piece.points for piece in self.pieces)


def learner_notebooks(workspace: Path) -> list[Path]:
    """The learner's chapter notebooks, in chapter order (course copies set beside excluded)."""
    return sorted(
        path
        for path in workspace.glob("ch*/*.ipynb")
        if CHAPTER_FOLDER.match(path.parent.name) and ".release-" not in path.name
    )


def is_workspace(folder: Path) -> bool:
    return (folder / STATE_DIR).is_dir()


def _checks_digest() -> str:
    """Results depend on the checks as well as on the learner's code."""
    digest = hashlib.sha256()
    for path in sorted((Path(__file__).parent / "checks").glob("*.py")):
        digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def _title(notebook: dict) -> str:
    for cell in notebook.get("cells", []):
        if cell.get("cell_type") == "markdown":
            for line in "".join(cell.get("source", "")).splitlines():
                if line.startswith("#"):
                    # "# Chapter 9 · Backpropagation" -> "Backpropagation": the table says ch09
                    return re.sub(r"^Chapter \d+\s*[·:-]\s*", "", line.lstrip("#").strip())
    return ""


def _graded(cell: dict) -> dict | None:
    meta = cell.get("metadata", {}).get("nbgrader", {})
    return meta if cell.get("cell_type") == "code" and meta.get("grade") else None


def _failure(cell: dict) -> str | None:
    """Why a test cell failed (its first error line), or None if it passed."""
    for output in cell.get("outputs", []):
        if output.get("output_type") == "error":
            text = str(output.get("evalue") or output.get("ename") or "error")
            return text.splitlines()[0] if text else "error"
        if output.get("output_type") == "stream" and output.get("name") == "stderr":
            return "wrote to stderr: " + str(output.get("text", "")).strip()[:100]
    return None


def pieces_of(notebook: dict, *, ran: bool) -> list[Piece]:
    """The graded pieces of an executed (``ran``) or not executed notebook."""
    pieces = []
    for cell in notebook.get("cells", []):
        meta = _graded(cell)
        if meta is None:
            continue
        source = "".join(cell.get("source", ""))
        match = CHECK_LINE.search(source)
        why = _failure(cell) if ran else "did not run"
        if ran and cell.get("execution_count") is None:
            why = "did not run (an earlier cell stopped the notebook)"
        pieces.append(
            Piece(
                grade_id=str(meta.get("grade_id", "")),
                check=match["name"] if match else str(meta.get("grade_id", "")),
                points=float(meta.get("points", 0) or 0),
                passed=why is None,
                why=why or "",
            )
        )
    return pieces


def run_chapter(path: Path, workspace: Path, *, timeout: int = CELL_TIMEOUT) -> Chapter:
    """Execute one learner notebook in a fresh kernel and read its graded cells."""
    import nbformat
    from nbclient import NotebookClient
    from nbclient.exceptions import CellExecutionError, DeadKernelError

    from .sandbox import ipc_transport

    relative = path.relative_to(workspace).as_posix()
    started = time.monotonic()
    try:
        notebook = nbformat.read(path, as_version=4)
    except Exception as error:  # not JSON, not a notebook: the learner should hear why
        return Chapter(path.parent.name, relative, "", problem=f"cannot be read: {error}")
    chapter = Chapter(path.parent.name, relative, _title(notebook))
    env = dict(os.environ, **{INSIDE_ENV: "1"})
    env.pop("NNFS_GRADING", None)
    problem = ""
    with tempfile.TemporaryDirectory(prefix="nnfs-progress-") as sockets:
        client = NotebookClient(
            notebook,
            timeout=timeout,
            kernel_name="python3",
            allow_errors=True,
            resources={"metadata": {"path": str(path.parent)}},
            config=_config(ipc_transport(sockets)),
        )
        try:
            client.execute(env=env)
        except CellExecutionError as error:
            problem = str(error).strip().splitlines()[-1][:200]
        except (DeadKernelError, TimeoutError) as error:
            problem = f"the kernel stopped: {type(error).__name__} {str(error)[:150]}"
        except Exception as error:
            problem = f"{type(error).__name__}: {str(error)[:200]}"
    chapter.pieces = pieces_of(notebook, ran=True)
    chapter.problem = problem
    try:  # what passed becomes the learner's own library (autograder.library)
        chapter.exported = export_from_run(workspace, path, notebook, chapter.pieces)
    except (OSError, ValueError) as error:
        chapter.problem = chapter.problem or f"your library was not updated: {error}"
    chapter.seconds = round(time.monotonic() - started, 1)
    return chapter


def _config(kernel_settings: dict):
    from traitlets.config import Config

    return Config({"KernelManager": kernel_settings})


def _load_cache(workspace: Path) -> dict:
    try:
        cache = json.loads((workspace / STATE_DIR / CACHE_FILE).read_text(encoding="utf-8"))
        return cache if isinstance(cache, dict) else {}
    except (OSError, ValueError):
        return {}


def _save_cache(workspace: Path, cache: dict) -> None:
    folder = workspace / STATE_DIR
    folder.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(prefix="progress-", suffix=".json", dir=folder)
    with os.fdopen(handle, "w", encoding="utf-8") as file:
        json.dump(cache, file, indent=1, sort_keys=True)
    os.replace(temporary, folder / CACHE_FILE)  # atomic: a reader never sees half a file


def _from_cache(entry: dict) -> Chapter:
    pieces = [Piece(**piece) for piece in entry["pieces"]]
    fields = {k: entry[k] for k in ("chapter", "notebook", "title", "problem", "seconds")}
    return Chapter(**fields, pieces=pieces, cached=True, exported=entry.get("exported", []))


def collect(
    workspace: Path,
    *,
    rerun: bool = False,
    workers: int | None = None,
    progress: Callable[[Iterable, int], Iterable] | None = None,
) -> list[Chapter]:
    """Progress of every chapter notebook in ``workspace``; runs only what changed.

    ``progress(runs, count)`` wraps the iterator of the ``count`` runs (a tqdm bar, say).
    """
    workspace = workspace.resolve()
    cache = _load_cache(workspace)
    checks = _checks_digest()
    library_chapters = load_manifest(workspace).get("chapters", {})
    results: dict[str, Chapter] = {}
    stale: list[tuple[Path, str]] = []
    for path in learner_notebooks(workspace):
        relative = path.relative_to(workspace).as_posix()
        key = f"{content_hash(path)}:{checks}"
        entry = cache.get(relative)
        exported = library_chapters.get(path.parent.name, {}).get("notebook_hash")
        if (
            not rerun
            and isinstance(entry, dict)
            and entry.get("key") == key
            and exported == content_hash(path)  # the library holds this run's classes
        ):
            try:
                results[relative] = _from_cache(entry["result"])
                continue
            except (KeyError, TypeError):
                pass
        stale.append((path, key))
    workers = workers or max(1, min(2, os.cpu_count() or 1))
    with ThreadPoolExecutor(workers) as pool:
        runs = pool.map(lambda item: (item[1], run_chapter(item[0], workspace)), stale)
        for key, chapter in progress(runs, len(stale)) if progress else runs:
            results[chapter.notebook] = chapter
            cache[chapter.notebook] = {"key": key, "result": asdict(chapter)}
            _save_cache(workspace, cache)
    return [results[name] for name in sorted(results)]


# -- the table -----------------------------------------------------------------------------


def _bar(done: int, total: int, width: int = 10) -> str:
    filled = round(width * done / total) if total else 0
    return "█" * filled + "·" * (width - filled)


def _to_do(chapter: Chapter, limit: int = 3) -> str:
    if chapter.problem and not chapter.passed:
        return chapter.problem
    missing = [piece.check for piece in chapter.pieces if not piece.passed]
    more = f" +{len(missing) - limit}" if len(missing) > limit else ""
    return ", ".join(missing[:limit]) + more


def _points(value: float) -> str:
    return f"{value:g}"


def _totals(chapters: list[Chapter]) -> tuple[int, int, float, float, int]:
    """Pieces passed, pieces, points earned, points, chapters complete."""
    return (
        sum(c.passed for c in chapters),
        sum(len(c.pieces) for c in chapters),
        sum(c.points[0] for c in chapters),
        sum(c.points[1] for c in chapters),
        sum(1 for c in chapters if c.pieces and c.passed == len(c.pieces)),
    )


def table_text(chapters: list[Chapter]) -> str:
    """A compact table: one line per chapter, then the totals."""
    lines = [f"{'chapter':<34} {'pieces':>7} {'points':>7}  {'':10}  to do"]
    for chapter in chapters:
        earned, total = chapter.points
        name = f"{chapter.chapter} {chapter.title}"[:34]
        done = "✓" if chapter.pieces and chapter.passed == len(chapter.pieces) else ""
        lines.append(
            f"{name:<34} {chapter.passed:>3}/{len(chapter.pieces):<3} "
            f"{_points(earned):>3}/{_points(total):<3}  {_bar(chapter.passed, len(chapter.pieces))}"
            f"  {done or _to_do(chapter)}"
        )
    passed, pieces, earned, total, complete = _totals(chapters)
    lines.append(
        f"{'total: ' + str(complete) + ' of ' + str(len(chapters)) + ' chapters complete':<34} "
        f"{passed:>3}/{pieces:<3} {_points(earned):>3}/{_points(total):<3}  {_bar(passed, pieces)}"
    )
    return "\n".join(lines)


def library_text(workspace: Path) -> str:
    """Which components are the learner's own (``WORKSPACE/my_nnfs``), for the tables."""
    mine = learner_components(workspace)
    if not mine:
        return (
            f"your library ({LIBRARY_DIR}/): empty so far; a class joins it when its checks "
            "pass, and later chapters then use it instead of the reference"
        )
    listed = ", ".join(f"{name} ({', '.join(chapters)})" for name, chapters in sorted(mine.items()))
    return (
        f"your library ({LIBRARY_DIR}/, {len(mine)} components; later chapters use these "
        f"instead of the reference): {listed}"
    )


def table_html(chapters: list[Chapter]) -> str:
    cell = 'style="padding:1px 8px;text-align:{}"'
    rows = []
    for chapter in chapters:
        earned, total = chapter.points
        complete = chapter.pieces and chapter.passed == len(chapter.pieces)
        rows.append(
            "<tr>"
            f"<td {cell.format('left')}>{html.escape(chapter.chapter)} "
            f"{html.escape(chapter.title)}</td>"
            f"<td {cell.format('right')}>{chapter.passed}/{len(chapter.pieces)}</td>"
            f"<td {cell.format('right')}>{_points(earned)}/{_points(total)}</td>"
            f'<td {cell.format("left")}><progress max="{max(len(chapter.pieces), 1)}" '
            f'value="{chapter.passed}"></progress></td>'
            f"<td {cell.format('left')}>"
            f"{'✓' if complete else html.escape(_to_do(chapter))}</td></tr>"
        )
    passed, pieces, earned, total, complete = _totals(chapters)
    rows.append(
        f'<tr style="font-weight:600;border-top:1px solid #999"><td {cell.format("left")}>'
        f"total: {complete} of {len(chapters)} chapters complete</td>"
        f"<td {cell.format('right')}>{passed}/{pieces}</td>"
        f"<td {cell.format('right')}>{_points(earned)}/{_points(total)}</td>"
        f'<td {cell.format("left")}><progress max="{max(pieces, 1)}" value="{passed}">'
        "</progress></td><td></td></tr>"
    )
    head = "".join(
        f"<th {cell.format('left')}>{name}</th>"
        for name in ("chapter", "pieces", "points", "", "to do")
    )
    return (
        '<table class="nnfs-progress" style="border-collapse:collapse;font-size:13px">'
        f"<thead><tr>{head}</tr></thead><tbody>{''.join(rows)}</tbody></table>"
    )


# -- front doors ----------------------------------------------------------------------------


def show(workspace: str | Path | None = None, *, rerun: bool = False) -> None:
    """The progress table in a notebook cell (chapter 1). ``workspace`` defaults to the
    folder above the notebook's own, which is the workspace in ``course.py lab``."""
    if os.environ.get(INSIDE_ENV) == "1":
        print("(progress is not measured inside a progress run)")
        return
    folder = Path(workspace) if workspace is not None else Path.cwd().parent
    if not is_workspace(folder):
        print(
            "Your progress is measured in your workspace: open this notebook with "
            "`python3 course.py lab` and run this cell there."
        )
        return
    from IPython.display import HTML, display
    from tqdm.auto import tqdm

    total = len(learner_notebooks(folder))

    def bar(runs, count):
        if not count:
            return runs
        return tqdm(runs, total=count, desc="running your notebooks", unit="notebook")

    print(f"Running the notebooks that changed since the last time (of {total}); ", end="")
    print("unchanged ones come from the last run.")
    chapters = collect(folder, rerun=rerun, progress=bar)
    display(HTML(table_html(chapters)))
    print(library_text(folder))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python3 course.py progress",
        description="Which graded pieces of each chapter pass in your workspace.",
    )
    parser.add_argument("workspace", type=Path, help="the learner's workspace folder")
    parser.add_argument("--rerun", action="store_true", help="run every notebook again")
    options = parser.parse_args(argv)
    workspace = options.workspace.resolve()
    if not is_workspace(workspace):
        print(
            f"{workspace} is not a course workspace (it has no {STATE_DIR}/ folder). "
            "Start one with `python3 course.py lab`, or give yours with --workspace DIR.",
            file=sys.stderr,
        )
        return 2
    notebooks = learner_notebooks(workspace)
    if not notebooks:
        print(f"no chapter notebooks in {workspace}: `python3 course.py lab` puts them there.")
        return 2
    from tqdm import tqdm

    stale_note = "" if options.rerun else " (unchanged ones come from the last run)"
    print(f"{len(notebooks)} chapter notebooks in {workspace}{stale_note}", flush=True)

    def bar(runs, count):
        if not count:
            return runs
        return tqdm(
            runs, total=count, desc="running your notebooks", unit="notebook", file=sys.stderr
        )

    chapters = collect(workspace, rerun=options.rerun, progress=bar)
    ran = sum(not chapter.cached for chapter in chapters)
    print(f"ran {ran}, {len(chapters) - ran} unchanged since the last run", flush=True)
    print(table_text(chapters))
    print(library_text(workspace))
    return 0


if __name__ == "__main__":
    sys.exit(main())
