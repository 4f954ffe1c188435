"""The chapter notebooks: format, the source version, the released version, nbgrader's verdict.

For every ``notebooks/chNN/*.ipynb`` (marked with its chapter, and ``grading`` where the real
nbgrader CLI runs):

* it and its paired jupytext script ``notebooks/chNN/*.py`` hold the same cells (the failure
  message says how to sync them);
* its cells follow notebooks/README.md (the five kinds of cell and their nbgrader metadata,
  grade ids and cell ids, solution regions inside method bodies, a visible check and a hidden
  submit with a fresh seed in every test cell);
* the source version runs top to bottom without error or stderr output, and every test cell
  shows its ✓ block;
* the version ``nbgrader generate_assignment`` releases contains no hidden test and no solution;
  run the way JupyterLab's Run All runs it (stopping at the first cell whose reply is an
  error), it reaches its last cell, every test cell keeps a ``CheckFailed`` error output that
  says "not implemented", and the cells that need an unfinished exercise say so in one line;
* each lab cell works when run on its own after the imports cell;
* ``nbgrader validate`` passes the source version and fails the released one on every test cell.

Runtimes are recorded (``record_property``, and printed with ``-s``), not asserted.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

import jupytext
import nbformat
import pytest
from jupytext.cli import jupytext as jupytext_cli
from jupytext.combine import combine_inputs_with_outputs
from jupytext.config import load_jupytext_config
from notebook_runner import (
    CHECK_CALL,
    NOTEBOOKS,
    SUBMIT_CALL,
    chapter_notebooks,
    check_name,
    describe,
    displayed,
    errors,
    execute,
    graded_cells,
    is_solution_cell,
    nbgrader_meta,
    release,
    shown,
    validate,
)

PATHS = chapter_notebooks()
CHAPTER_MARKS = [getattr(pytest.mark, name) for name in sorted({p.parent.name for p in PATHS})]


def chapter_params(*marks):
    return [
        pytest.param(path, marks=[getattr(pytest.mark, path.parent.name), *marks], id=path.stem)
        for path in PATHS
    ]


def report(record_property, label: str, seconds: float) -> None:
    record_property(label, round(seconds, 2))
    print(f"\n{label}: {seconds:.1f} s")


_source_runs: dict[Path, object] = {}
_courses: dict[Path, object] = {}


def source_run(path: Path, ipython_dir: Path):
    """The source notebook executed once per test session (several tests read the run)."""
    if path not in _source_runs:
        _source_runs[path] = execute(path, allow_errors=True, ipython_dir=ipython_dir)
    return _source_runs[path]


def course(path: Path, tmp_path_factory):
    """A throwaway nbgrader course that released the notebook's chapter, made once."""
    if path not in _courses:
        _courses[path] = release(path, tmp_path_factory.mktemp(f"course-{path.parent.name}"))
    return _courses[path]


# ---------------------------------------------------------------------------------------------
# The format, read from the file


def solution_regions(source: str) -> list[tuple[int, list[str]]]:
    """``(indent, lines)`` for each BEGIN/END SOLUTION region of a cell."""
    regions, current, indent = [], None, 0
    for line in source.splitlines():
        marker = line.strip()
        if marker == "### BEGIN SOLUTION":
            assert current is None, "nested BEGIN SOLUTION"
            current, indent = [], len(line) - len(line.lstrip())
        elif marker == "### END SOLUTION":
            assert current is not None, "END SOLUTION without BEGIN"
            assert len(line) - len(line.lstrip()) == indent, "END SOLUTION indented differently"
            regions.append((indent, current))
            current = None
        elif current is not None:
            current.append(line)
    assert current is None, "BEGIN SOLUTION without END"
    return regions


#: The kinds of cell of notebooks/README.md, by their nbgrader flags (grade, solution, locked).
#: A demonstration cell has no nbgrader metadata at all.
CELL_KINDS = {
    ("markdown", False, False, True): "explanation",
    ("code", False, False, True): "read-only code (the imports, a lab)",
    ("code", False, True, False): "exercise",
    ("code", True, False, True): "test",
}
NBGRADER_KEYS = {"grade", "grade_id", "locked", "schema_version", "solution", "task"}


def cell_kind(cell) -> str:
    """The cell's kind, or an AssertionError saying why it is none of them."""
    meta = nbgrader_meta(cell)
    if not meta:
        assert cell.cell_type == "code", "a markdown cell without nbgrader metadata (not locked)"
        return "demonstration"
    keys = NBGRADER_KEYS | ({"points"} if meta.get("grade") else set())
    assert set(meta) == keys, f"nbgrader metadata {sorted(meta)}, expected {sorted(keys)}"
    assert meta["schema_version"] == 3 and meta["task"] is False, meta
    flags = (cell.cell_type, meta["grade"], meta["solution"], meta["locked"])
    assert flags in CELL_KINDS, f"no kind of cell is {flags} (cell type, grade, solution, locked)"
    return CELL_KINDS[flags]


@pytest.mark.parametrize("path", chapter_params())
def test_cells_follow_the_notebook_format(path: Path):
    notebook = nbformat.read(path, as_version=4)
    nbformat.validate(notebook)
    assert notebook.metadata.kernelspec.name == "python3"
    assert (notebook.nbformat, notebook.nbformat_minor) >= (4, 5), "cells need ids (nbformat 4.5)"
    ids = [cell.get("id") for cell in notebook.cells]
    assert all(ids) and len(ids) == len(set(ids)), f"cell ids missing or used twice: {ids}"

    grade_ids = [nbgrader_meta(c)["grade_id"] for c in notebook.cells if nbgrader_meta(c)]
    assert len(grade_ids) == len(set(grade_ids)), f"grade_ids used twice in {path.name}"
    chapter = path.parent.name
    for cell in notebook.cells:
        meta = nbgrader_meta(cell)
        where = f"{path.name}, cell {cell.get('id')}"
        try:
            kind = cell_kind(cell)
        except AssertionError as error:
            raise AssertionError(f"{where}: {error}") from None
        if meta:
            grade_id = meta["grade_id"]
            if kind == "test":
                assert grade_id.startswith("test_"), f"{where}: a test's grade_id is test_<check>"
            else:
                assert re.fullmatch(rf"{chapter}_[a-z0-9_]+", grade_id), (
                    f"{where}: grade_id {grade_id!r} should be {chapter}_<what> (lower case)"
                )
            # Cell ids live in the .ipynb only (jupytext's scripts have none; --sync keeps
            # them). A new nbgrader cell gets a random id: set its "id" in the .ipynb's JSON.
            assert cell.get("id") == grade_id, (
                f"{where}: the id of an nbgrader cell is its grade_id {grade_id!r}; set it in "
                f"the .ipynb (JupyterLab cannot) and keep it"
            )
        if cell.cell_type == "markdown":
            assert meta.get("locked") and not meta.get("solution"), (
                f"{where}: explanations are locked"
            )
        if is_solution_cell(cell):
            assert cell.cell_type == "code" and not meta.get("locked") and not meta.get("grade")
            regions = solution_regions(cell.source)
            assert regions, f"{where}: a solution cell without ### BEGIN SOLUTION"
            for indent, _ in regions:
                assert indent >= 8, f"{where}: solution regions belong inside method bodies"
        elif cell.cell_type == "code":
            assert "BEGIN SOLUTION" not in cell.source, f"{where}: solution outside a solution cell"

    first_code = next(c for c in notebook.cells if c.cell_type == "code")
    assert nbgrader_meta(first_code).get("locked"), "the import cell is locked"
    assert "import numpy as np" in first_code.source
    assert "from autograder import check, submit" in first_code.source


@pytest.mark.parametrize("path", chapter_params())
def test_every_test_cell_checks_visibly_then_submits_hidden(path: Path):
    notebook = nbformat.read(path, as_version=4)
    cells = graded_cells(notebook)
    assert cells, f"{path.name} has no graded test cell"
    names = []
    for cell in cells:
        meta = nbgrader_meta(cell)
        lines = cell.source.splitlines()
        assert len(lines) == 4, f"{meta['grade_id']}: check, hidden markers and submit only"
        visible, begin, hidden, end = lines
        assert (begin, end) == ("### BEGIN HIDDEN TESTS", "### END HIDDEN TESTS")
        check_match, submit_match = CHECK_CALL.match(visible), SUBMIT_CALL.match(hidden)
        assert check_match and submit_match, f"{meta['grade_id']}: {lines}"
        assert check_match["name"] == submit_match["name"]
        assert check_match["learner"] == submit_match["learner"]
        assert int(submit_match["seed"].replace("_", "")) != 0, "0 is the visible check's seed"
        assert meta["grade_id"] == f"test_{check_match['name']}"
        assert meta.get("locked") and not meta.get("solution")
        assert meta.get("points") in (1, 2), f"{meta['grade_id']}: 1 or 2 points"
        names.append(check_match["name"])
    assert len(names) == len(set(names)), f"a check graded twice in {path.name}"


def every_chapter(test):
    """Mark a test about the whole course with every chapter's marker."""
    for mark in CHAPTER_MARKS:
        test = mark(test)
    return test


@every_chapter
def test_hidden_seeds_are_fresh_across_the_course():
    seen: dict[int, str] = {}
    for path in PATHS:
        for cell in graded_cells(nbformat.read(path, as_version=4)):
            seed = int(SUBMIT_CALL.match(cell.source.splitlines()[2])["seed"].replace("_", ""))
            where = f"{path.name}:{nbgrader_meta(cell)['grade_id']}"
            assert seed not in seen, f"seed {seed} used by {seen.get(seed)} and {where}"
            seen[seed] = where


# ---------------------------------------------------------------------------------------------
# The notebook and its paired script (notebooks/jupytext.toml)

SYNC_COMMAND = ".venv/bin/jupytext --sync notebooks/ch*/*.ipynb"
JUPYTEXT_CONFIG = load_jupytext_config(str(NOTEBOOKS))
SCRIPT_FORMAT = "py:percent"


def script(path: Path) -> Path:
    return path.with_suffix(".py")


def _cell_view(cell) -> tuple:
    return (cell.cell_type, cell.source, dict(cell.metadata))


def disagreement(path: Path) -> str | None:
    """How a notebook and its paired script differ, or None when ``jupytext --sync`` would
    change neither: the notebook that jupytext makes from the script (merged with the .ipynb as
    --sync does, which keeps the notebook's cell ids), and the script it writes from the
    notebook."""
    paired = script(path)
    if not paired.exists():
        return f"{paired.name} is missing"
    notebook = jupytext.read(path, config=JUPYTEXT_CONFIG)
    from_script = combine_inputs_with_outputs(
        jupytext.read(paired, fmt=SCRIPT_FORMAT, config=JUPYTEXT_CONFIG),
        jupytext.read(path, config=JUPYTEXT_CONFIG),
        fmt=SCRIPT_FORMAT,
    )
    problems = []
    if len(from_script.cells) != len(notebook.cells):
        problems.append(f"{len(from_script.cells)} cells in the script, {len(notebook.cells)} here")
    for index, (mine, theirs) in enumerate(zip(notebook.cells, from_script.cells)):
        parts = zip(("type", "source", "metadata"), _cell_view(mine), _cell_view(theirs))
        differ = [name for name, a, b in parts if a != b]
        if "metadata" in differ:
            keys = sorted(
                k
                for k in {**mine.metadata, **theirs.metadata}
                if mine.metadata.get(k) != theirs.metadata.get(k)
            )
            differ[-1] = f"metadata {keys}"  # lines_to_next_cell: jupytext's blank lines
        if differ:
            problems.append(f"cell {index} ({mine.get('id')}): {' and '.join(differ)}")
    written = jupytext.writes(notebook, fmt=SCRIPT_FORMAT, config=JUPYTEXT_CONFIG)
    if not problems and written != paired.read_text(encoding="utf-8"):
        problems.append("the script is not laid out as jupytext writes it (blank lines?)")
    if not problems:
        return None
    newer = paired if paired.stat().st_mtime > path.stat().st_mtime else path
    more = f" and {len(problems) - 5} more" if len(problems) > 5 else ""
    return f"{'; '.join(problems[:5])}{more}; {newer.name} is the newer file, which --sync keeps"


@pytest.mark.project
def test_notebooks_are_paired_with_percent_scripts_by_the_jupytext_config():
    assert JUPYTEXT_CONFIG is not None, "notebooks/jupytext.toml is missing"
    assert JUPYTEXT_CONFIG.formats in ("ipynb,py:percent", ["ipynb,py:percent"])


@pytest.mark.parametrize("path", chapter_params())
def test_notebook_and_its_script_agree(path: Path):
    problem = disagreement(path)
    assert problem is None, (
        f"{path.name} and {script(path).name} disagree: {problem}.\n"
        f"Sync them (from the repository root): {SYNC_COMMAND}"
    )


@every_chapter
def test_every_script_in_a_chapter_folder_has_its_notebook():
    """A script whose notebook was renamed or deleted would never be synced again."""
    orphans = [
        str(p.relative_to(NOTEBOOKS))
        for p in sorted(NOTEBOOKS.glob("ch[0-9][0-9]/*.py"))
        if not p.with_suffix(".ipynb").exists()
    ]
    assert not orphans, f"scripts without a notebook: {orphans}; delete them or {SYNC_COMMAND}"


def _sync(path: Path, newer: Path) -> None:
    """``jupytext --sync path`` with ``newer`` the more recent of the two files."""
    later = max(path.stat().st_mtime, script(path).stat().st_mtime) + 10
    os.utime(newer, (later, later))
    assert jupytext_cli(["--sync", "--quiet", str(path)]) == 0


@pytest.mark.project
def test_editing_the_script_and_syncing_keeps_every_cell_id(tmp_path):
    """The authoring loop on a copy of ch09: an explanation and a hidden seed changed in the
    script, and a cell added; after --sync every other cell is untouched and keeps its id."""
    source = NOTEBOOKS / "ch09" / "ch09_backpropagation.ipynb"
    (tmp_path / "notebooks" / "ch09").mkdir(parents=True)
    (tmp_path / "notebooks" / "jupytext.toml").write_bytes(
        (NOTEBOOKS / "jupytext.toml").read_bytes()
    )
    path = tmp_path / "notebooks" / "ch09" / source.name
    path.write_bytes(source.read_bytes())
    script(path).write_bytes(script(source).read_bytes())
    before = nbformat.read(path, as_version=4)

    text = script(path).read_text(encoding="utf-8")
    seed_line = next(line for line in text.splitlines() if line.startswith('submit("relu_forward"'))
    edited = text.replace("## 9.3 ", "## 9.3 (edited) ", 1).replace(
        seed_line, 'submit("relu_forward", Activation_ReLU, seed=987_654_321)', 1
    )
    edited = edited.replace("# %% [markdown]", "# %%\nnew_cell = 1\n\n# %% [markdown]", 1)
    assert edited.count("(edited)") == 1 and "987_654_321" in edited
    script(path).write_text(edited, encoding="utf-8")
    _sync(path, newer=script(path))

    after = nbformat.read(path, as_version=4)
    added = [cell for cell in after.cells if cell.source == "new_cell = 1"]
    assert len(added) == 1 and added[0].id not in {cell.id for cell in before.cells}
    kept = [cell for cell in after.cells if cell is not added[0]]
    assert [c.id for c in kept] == [c.id for c in before.cells], "a cell id changed"
    changed = {c.id for c, old in zip(kept, before.cells) if _cell_view(c) != _cell_view(old)}
    relu = next(c for c in before.cells if "## 9.3 " in c.source).id
    assert changed == {relu, "test_relu_forward"}, changed
    assert disagreement(path) is None

    # And back: the notebook edited (as in JupyterLab), the script follows.
    intro = next(cell for cell in after.cells if cell.cell_type == "markdown")
    intro.source = intro.source.replace("Backpropagation", "Backprop", 1)
    nbformat.write(after, path)
    _sync(path, newer=path)
    assert disagreement(path) is None
    assert "# # Chapter 9 · Backprop\n" in script(path).read_text(encoding="utf-8")


# ---------------------------------------------------------------------------------------------
# The source version runs and passes


@pytest.mark.parametrize("path", chapter_params())
def test_source_notebook_runs_clean_and_passes_every_check(path, ipython_dir, record_property):
    run = source_run(path, ipython_dir)
    report(record_property, f"{path.name} source run", run.seconds)
    problems = [
        f"cell {cell.get('id')}: {describe(output)}"
        for cell in run.notebook.cells
        if cell.cell_type == "code"
        for output in errors(cell)
    ]
    assert not problems, "\n".join(problems)
    for cell in graded_cells(run.notebook):
        name = check_name(cell)
        lines = shown(cell).splitlines()
        assert any(line.startswith(f"✓ {name}") for line in lines), (
            f"{nbgrader_meta(cell)['grade_id']} shows no ✓ block: {shown(cell)!r}"
        )


@pytest.mark.parametrize("path", chapter_params())
def test_test_cells_display_no_value(path, ipython_dir):
    run = source_run(path, ipython_dir)
    shown = {
        nbgrader_meta(cell)["grade_id"]: displayed(cell)
        for cell in graded_cells(run.notebook)
        if displayed(cell)
    }
    assert not shown, shown


# ---------------------------------------------------------------------------------------------
# The released version: what nbgrader gives the learner


@pytest.mark.parametrize("path", chapter_params(pytest.mark.grading))
def test_released_notebook_has_no_hidden_tests_and_no_solutions(path, tmp_path_factory):
    released_path = course(path, tmp_path_factory).released
    shipped = sorted(p.name for p in released_path.parent.iterdir())
    expected = sorted(p.name for p in path.parent.glob("*.ipynb"))
    assert shipped == expected, f"the release of {path.parent.name} holds more than notebooks"
    text = released_path.read_text(encoding="utf-8")
    for marker in ("submit(", "BEGIN HIDDEN TESTS", "END HIDDEN TESTS", "### BEGIN SOLUTION"):
        assert marker not in text, f"{marker!r} is in the released {path.name}"

    source = nbformat.read(path, as_version=4)
    released = nbformat.read(released_path, as_version=4)
    assert [c.get("id") for c in released.cells] == [c.get("id") for c in source.cells]
    for before, after in zip(source.cells, released.cells):
        if not is_solution_cell(before):
            continue
        kept = {line.strip() for line in after.source.splitlines()}
        for _, lines in solution_regions(before.source):
            leaked = [ln for ln in lines if ln.strip() and ln.strip() in kept]
            assert not leaked, f"solution lines left in the released {before.get('id')}: {leaked}"
        assert "raise NotImplementedError()" in after.source


@pytest.mark.parametrize("path", chapter_params(pytest.mark.grading))
def test_released_notebook_run_all_reaches_the_end_and_fails_every_check(
    path, tmp_path_factory, ipython_dir, record_property
):
    released_path = course(path, tmp_path_factory).released
    # Without allow_errors, as JupyterLab's Run All: the first error reply would stop the run
    # here with CellExecutionError.
    run = execute(released_path, ipython_dir=ipython_dir)
    report(record_property, f"{path.name} released run", run.seconds)
    code_cells = [cell for cell in run.notebook.cells if cell.cell_type == "code"]
    assert all(cell.get("execution_count") for cell in code_cells), "a code cell did not run"
    for cell in graded_cells(run.notebook):
        grade_id = nbgrader_meta(cell)["grade_id"]
        found = errors(cell)
        assert len(found) == 1 and found[0].output_type == "error", (
            f"{grade_id}: expected one CheckFailed, got {[describe(o) for o in found]}"
        )
        assert found[0].ename == "CheckFailed", f"{grade_id}: {describe(found[0])}"
        assert "not implemented" in found[0].evalue, f"{grade_id}: {describe(found[0])}"
        assert "✗" in shown(cell), f"{grade_id} shows no ✗ block"
    # Outside the test cells nothing fails: a cell that needs an unwritten method says so
    # (tests/test_check_display.py checks that line).
    for cell in code_cells:
        if nbgrader_meta(cell).get("grade"):
            continue
        assert not errors(cell), f"released {path.name}, cell {cell.get('id')}: " + "; ".join(
            describe(o) for o in errors(cell)
        )


LAB_CELL = re.compile(r"^\s*\w+ = (\w+Lab|OptimizerRace|ScheduleExplorer)\(", re.M)


def has_lab(path: Path) -> bool:
    return any(LAB_CELL.search(cell.source) for cell in nbformat.read(path, as_version=4).cells)


@pytest.mark.parametrize(
    "path", [p for p in chapter_params(pytest.mark.grading) if has_lab(p.values[0])]
)
def test_each_lab_cell_runs_on_its_own_after_the_imports(path, tmp_path_factory, ipython_dir):
    released = nbformat.read(course(path, tmp_path_factory).released, as_version=4)
    code = [cell for cell in released.cells if cell.cell_type == "code"]
    labs = [cell for cell in code if LAB_CELL.search(cell.source)]
    assert labs
    for lab in labs:
        alone = nbformat.v4.new_notebook(metadata=released.metadata)
        alone.cells = [code[0], lab]
        trial = tmp_path_factory.mktemp("lab-alone") / path.name
        nbformat.write(alone, trial)
        run = execute(trial, ipython_dir=ipython_dir)  # raises on any error
        outputs = run.notebook.cells[1].outputs
        assert any(
            "application/vnd.jupyter.widget-view+json" in o.get("data", {}) for o in outputs
        ), f"{lab.get('id')} displayed no widget: {[o.output_type for o in outputs]}"


# ---------------------------------------------------------------------------------------------
# nbgrader validate agrees


@pytest.mark.parametrize("path", chapter_params(pytest.mark.grading))
def test_nbgrader_validate_passes_the_source(path, tmp_path_factory, ipython_dir):
    output = validate(course(path, tmp_path_factory).source, ipython_dir=ipython_dir)
    assert "Success! Your notebook passes all the tests." in output, output[-3000:]
    assert "FAILED" not in output, output[-3000:]


@pytest.mark.parametrize("path", chapter_params(pytest.mark.grading))
def test_nbgrader_validate_fails_the_release_on_every_test_cell(
    path, tmp_path_factory, ipython_dir
):
    output = validate(course(path, tmp_path_factory).released, ipython_dir=ipython_dir)
    expected = len(graded_cells(nbformat.read(path, as_version=4)))
    assert f"VALIDATION FAILED ON {expected} CELL(S)!" in output, output[-3000:]
    assert output.count("The following cell failed:") == expected
    assert output.count("not implemented") >= expected, output[-3000:]
