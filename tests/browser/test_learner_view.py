"""A learner's first hour, in a real JupyterLab in headless Chromium (course.py lab's learner
mode): check results as blocks, Run All through unfinished exercises, the progress cell.

The workspace is a real one (nbgrader releases chapters 1 and 2 into it); chapter 2 is replaced
by its source version, as if the learner had finished it. Screenshots are kept in
``test-artifacts/browser/`` as ``learner_passed_check.png``, ``learner_failed_check.png``,
``learner_failed_check_hint.png`` and ``learner_progress.png``.
"""

from __future__ import annotations

import shutil

import pytest

from autograder.workspace import sync_workspace

from .conftest import ARTIFACTS, REPO_ROOT

pytestmark = [pytest.mark.browser, pytest.mark.slow, pytest.mark.ch01, pytest.mark.ch02]

NOTEBOOKS = REPO_ROOT / "notebooks"


@pytest.fixture
def workspace(notebook_dir, tmp_path):
    source = tmp_path / "source"
    for chapter in ("ch01", "ch02"):
        shutil.copytree(NOTEBOOKS / chapter, source / chapter)
    root = notebook_dir / "workspace"
    report = sync_workspace(source, root)
    assert not report.failed, report.failed
    for notebook in (NOTEBOOKS / "ch02").glob("*.ipynb"):
        shutil.copyfile(notebook, root / "ch02" / notebook.name)
    return root


def output_of(page, grade_text: str):
    """The output area of the code cell whose source contains ``grade_text``."""
    cell = page.panel.locator(".jp-CodeCell").filter(has_text=grade_text).first
    return cell.locator(".jp-Cell-outputArea")


def test_learner_sees_blocks_runs_all_and_sees_progress(open_notebook, workspace):
    # -- a finished chapter: ✓ blocks ---------------------------------------------------------
    (finished,) = sorted((workspace / "ch02").glob("*.ipynb"))
    page = open_notebook(finished)
    page.run_all_cells(through_errors=True)
    # Two test cells, each with a ✓ block (the source version shows one more for its hidden
    # test, which the learner's version does not have).
    passing = page.panel.locator(".jp-CodeCell").filter(has=page.page.locator(".nnfs-check-pass"))
    assert passing.count() == 2, page.panel.inner_text()[-2000:]
    area = output_of(page, 'check("neuron_output"')
    area.scroll_into_view_if_needed()
    page.screenshot(ARTIFACTS / "learner_passed_check.png", area)

    # Learner mode: no Nbgrader menu, no Create Assignment; the Validate button stays.
    menus = page.page.locator("#jp-menu-panel").get_by_role("menuitem").all_inner_texts()
    assert "Nbgrader" not in [m.strip() for m in menus], menus
    assert "Create Assignment" not in page.page.locator("body").inner_text()
    assert page.panel.get_by_role("button", name="Validate").count() >= 1 or (
        "Validate" in page.panel.locator(".jp-Toolbar").inner_text()
    )

    # -- an unfinished chapter: Run All goes to the end ---------------------------------------
    welcome = workspace / "ch01" / "ch01_welcome.ipynb"
    page = open_notebook(welcome)
    page.run_all_cells(through_errors=True, timeout_ms=300_000)
    prompts = page.code_prompts()
    assert prompts and all(p.strip() not in ("[ ]:", "[*]:") for p in prompts), prompts

    failed = output_of(page, 'check("weighted_sum", WeightedSum)')
    text = failed.inner_text()
    assert "✗" in text and "not implemented yet" in text, text
    assert "Traceback" not in text and "autograder" not in text and "File " not in text
    failed.scroll_into_view_if_needed()
    page.screenshot(ARTIFACTS / "learner_failed_check.png", failed)

    # The three wrong versions of 1.7: each a ✗ block, hints folded until clicked.
    demo = output_of(page, "class ProductsOnly")
    assert demo.locator(".nnfs-check-fail").count() == 3
    hints = demo.locator("details")
    if hints.count():
        first = hints.first
        assert first.get_attribute("open") is None
        hidden = first.locator("div").first
        assert not hidden.is_visible()
        first.locator("summary").click()
        assert hidden.is_visible()
    demo.scroll_into_view_if_needed()
    page.screenshot(ARTIFACTS / "learner_failed_check_hint.png", demo)

    # The progress cell ran the workspace's two notebooks and shows the table.
    table = output_of(page, "progress import show").locator("table.nnfs-progress")
    table.wait_for(state="visible", timeout=120_000)
    rows = table.locator("tbody tr").all_inner_texts()
    assert len(rows) == 3, rows
    assert "total: 1 of 2 chapters complete" in rows[-1], rows
    table.scroll_into_view_if_needed()
    page.screenshot(ARTIFACTS / "learner_progress.png", table)
