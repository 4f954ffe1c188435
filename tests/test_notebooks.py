"""The chapter notebooks: format, the source version, the released version, nbgrader's verdict.

For every ``notebooks/chNN/*.ipynb`` (marked with its chapter, and ``grading`` where the real
nbgrader CLI runs):

* its cells follow notebooks/README.md (metadata, ids, solution regions inside method bodies,
  a visible check and a hidden submit with a fresh seed in every test cell);
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

import importlib.util
import json
import re
from pathlib import Path

import nbformat
import pytest
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


@pytest.mark.parametrize("path", chapter_params())
def test_cells_follow_the_notebook_format(path: Path):
    notebook = nbformat.read(path, as_version=4)
    nbformat.validate(notebook)
    assert notebook.metadata.kernelspec.name == "python3"

    grade_ids = [nbgrader_meta(c)["grade_id"] for c in notebook.cells if nbgrader_meta(c)]
    assert len(grade_ids) == len(set(grade_ids)), f"grade_ids used twice in {path.name}"
    for cell in notebook.cells:
        meta = nbgrader_meta(cell)
        where = f"{path.name}, cell {cell.get('id')}"
        if meta:
            assert meta.get("schema_version") == 3, where
            assert re.fullmatch(r"[A-Za-z0-9_-]+", meta.get("grade_id", "")), where
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


def _load_nbbuild():
    spec = importlib.util.spec_from_file_location("nbbuild", NOTEBOOKS / "_build" / "nbbuild.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


NBBUILD = _load_nbbuild()
BUILT = NBBUILD.built()


@pytest.mark.parametrize(
    "path",
    [pytest.param(p, marks=getattr(pytest.mark, p.parent.name), id=p.stem) for p in BUILT],
)
def test_generated_notebook_matches_its_build_script(path: Path):
    assert path.exists(), f"{path} is missing; run python notebooks/_build/nbbuild.py"
    expected = json.loads(BUILT[path])
    assert json.loads(path.read_text(encoding="utf-8")) == expected, (
        f"{path.name} differs from notebooks/_build: edit the build script, not the notebook, "
        f"then run python notebooks/_build/nbbuild.py"
    )


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
