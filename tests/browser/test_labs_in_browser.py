"""The labs in a real JupyterLab, in headless Chromium: open a notebook, Run → Run All Cells,
find the sliders by their labels, move them with the keyboard or by typing a value, and check
that the figure is painted again with a different picture, that the kernel used the new values,
and that nothing on the page shows a widget error or a traceback.

``test_sliders_redraw_the_labs`` runs the same steps on each notebook in ``TARGETS``; a
``Target`` is a notebook and the labs in it, a ``LabSpec`` says how to find one lab (text of its
output, such as its title) and which sliders to move:

- ``FIXTURE``: a notebook written here with ipywidgets and ipympl only, plotting
  lr / (1 + decay · t). It proves the browser machinery independently of the course's code.
- ``CHAPTER_10``: THE REAL TARGET, the chapter 10 notebook ``notebooks/ch10/ch10_optimizers.ipynb``
  with its ``ScheduleExplorer`` and ``OptimizerLab`` (section 10.10). A lab whose class the
  notebook does not contain is left out, and the target skips, saying so, when it contains
  none (as before the labs were placed there). Should the labs move to another notebook, change
  ``CHAPTER_10_NOTEBOOK``: one line. Should a lab's title change, change its ``LabSpec``.

The other tests put ``nnfs_core.labs`` into notebooks written here, with a probe widget through
which the kernel reports what it did (runs trained, exceptions caught, values used).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest

from nnfs_core.labs._core import round_log_value

from . import notebooks
from .jupyterlab import WIDGET_ERROR, LabView, NotebookPage, Slider

pytestmark = [pytest.mark.browser, pytest.mark.slow]

REPO_ROOT = Path(__file__).resolve().parents[2]
# The chapter notebook that CHAPTER_10 drives.
CHAPTER_10_NOTEBOOK = REPO_ROOT / "notebooks" / "ch10" / "ch10_optimizers.ipynb"

# What a training lab's status line says while it works, and when something went wrong.
TRAINING = ("training…", "stopping…")
LAB_FAILURES = ("Internal error in the lab", "Training failed")
# (slider label, the arrow key that moves it to a sensible neighbouring value)
LR_AND_DECAY = (("learning rate", "ArrowLeft"), ("decay", "ArrowRight"))


@dataclass(frozen=True)
class LabSpec:
    """One lab in a notebook: ``title``, text found only in the lab's output (None: the whole
    notebook); ``busy``, texts the lab shows while a redraw is still to come; ``sliders`` to
    move; ``class_name``, the nnfs_core.labs class (a notebook without it has no such lab)."""

    title: str | None
    busy: tuple[str, ...] = ()
    sliders: tuple[tuple[str, str], ...] = LR_AND_DECAY
    class_name: str | None = None


SCHEDULE_EXPLORER = LabSpec("Learning-rate decay explorer", class_name="ScheduleExplorer")
OPTIMIZER_LAB = LabSpec("Optimizer lab", busy=TRAINING, class_name="OptimizerLab")


@dataclass(frozen=True)
class Target:
    """A notebook (``write(folder)`` puts it into ``folder`` and returns its path) and its labs."""

    write: Callable[[Path], Path]
    labs: tuple[LabSpec, ...]


def copy_of(source: Path) -> Callable[[Path], Path]:
    def write(folder: Path) -> Path:
        target = folder / source.name
        target.write_bytes(source.read_bytes())
        return target

    return write


FIXTURE = Target(lambda folder: notebooks.schedule_lab(folder / "fixture.ipynb"), (LabSpec(None),))
CHAPTER_10 = Target(copy_of(CHAPTER_10_NOTEBOOK), (SCHEDULE_EXPLORER, OPTIMIZER_LAB))

TARGETS = [
    pytest.param(FIXTURE, id="fixture-schedule"),
    pytest.param(CHAPTER_10, id="ch10-notebook", marks=pytest.mark.ch10),
]


def run_all(open_notebook, notebook: Path) -> NotebookPage:
    page = open_notebook(notebook)
    page.run_all_cells()
    assert page.error_outputs() == [], "a cell raised:\n" + "\n".join(page.error_outputs())
    return page


def find_lab(page: NotebookPage, spec: LabSpec) -> LabView:
    """The lab's view, once its first picture is complete."""
    lab = page.lab(spec.title)
    lab.wait_figure()
    lab.wait_settled(0, busy=spec.busy)
    return lab


def assert_page_healthy(page: NotebookPage, lab: LabView) -> None:
    errors = page.render_errors()
    assert errors == [], f"the page shows {errors}"
    assert page.error_outputs() == [], "a cell raised:\n" + "\n".join(page.error_outputs())
    text = lab.text()
    assert not [word for word in LAB_FAILURES if word in text], text


def move_and_wait(lab: LabView, slider: Slider, key: str, busy: tuple[str, ...] = ()) -> None:
    """Press ``key`` on the slider's handle, wait for the lab's redraw to complete, and check
    that both the slider's readout and the figure's picture changed."""
    before_value, before_image, draws = slider.value_text, lab.image(), lab.draws()
    slider.press(key)
    lab.wait_settled(draws, busy=busy)
    assert slider.value_text != before_value, f"{key} did not move {slider.description!r}"
    assert lab.image() != before_image, f"moving {slider.description!r} left the figure as it was"


@pytest.mark.parametrize("target", TARGETS)
def test_sliders_redraw_the_labs(target: Target, open_notebook, notebook_dir):
    notebook = target.write(notebook_dir)
    source = notebook.read_text(encoding="utf-8")
    labs = [spec for spec in target.labs if spec.class_name is None or spec.class_name in source]
    if not labs:
        wanted = ", ".join(spec.class_name or "?" for spec in target.labs)
        pytest.skip(f"{notebook.name} contains none of its labs yet ({wanted})")
    page = run_all(open_notebook, notebook)
    for spec in labs:
        lab = find_lab(page, spec)
        assert_page_healthy(page, lab)
        for description, key in spec.sliders:
            move_and_wait(lab, lab.slider(description), key, spec.busy)
            assert_page_healthy(page, lab)


# --------------------------------------------------------------------------------------------
# What only the kernel knows: the values it used (the notebooks' readout and probe widgets)
# --------------------------------------------------------------------------------------------


def readout_numbers(text: str) -> dict[str, float]:
    return {key: float(value) for key, value in re.findall(r"(\w+)=([-+0-9.eE]+)", text)}


def test_fixture_schedule_follows_keyboard_and_typed_values(open_notebook, notebook_dir):
    page = run_all(open_notebook, notebooks.schedule_lab(notebook_dir / "schedule.ipynb"))
    lab = find_lab(page, LabSpec(None))
    readout = page.panel.locator(".nnfs-lab-readout")
    learning_rate, decay = lab.slider("learning rate"), lab.slider("decay")
    assert (learning_rate.value_text, decay.value_text) == ("1.00", "1.00e-3")

    learning_rate.press("ArrowLeft", times=3)  # step 0.05
    decay_image, draws = lab.image(), lab.draws()
    decay.type_value("1e-2")
    lab.wait_settled(draws)
    assert (learning_rate.value_text, decay.value_text) == ("0.85", "1.00e-2")
    assert lab.image() != decay_image
    values = readout_numbers(readout.inner_text())
    assert values["lr"] == pytest.approx(0.85)
    assert values["decay"] == pytest.approx(1e-2)
    assert values["final"] == pytest.approx(0.85 / (1 + 1e-2 * 10_000), rel=1e-5)
    assert_page_healthy(page, lab)


@pytest.mark.ch10
def test_schedule_explorer_status_matches_the_kernels_values(open_notebook, notebook_dir):
    notebook = notebooks.lab_notebook(notebook_dir / "schedule.ipynb", "ScheduleExplorer")
    page = run_all(open_notebook, notebook)
    lab = find_lab(page, SCHEDULE_EXPLORER)
    probe = page.panel.locator(".nnfs-lab-probe")
    decay = lab.slider("decay")
    for _ in range(2):
        move_and_wait(lab, decay, "ArrowLeft")
    used = readout_numbers(probe.inner_text())
    # Two log steps of 0.05, to the round number within 1 % (7.9e-4).
    assert used["decay"] == pytest.approx(round_log_value(1e-3 * 10 ** (-0.1)), rel=1e-6)
    halves_at = f"{1 / used['decay']:,.0f}"
    assert f"The rate halves at step {halves_at}" in lab.text()
    assert_page_healthy(page, lab)


@pytest.mark.ch10
def test_optimizer_lab_retrains_once_per_release(open_notebook, notebook_dir):
    notebook = notebooks.lab_notebook(notebook_dir / "optimizer.ipynb", "OptimizerLab", epochs=1000)
    page = run_all(open_notebook, notebook)
    lab = find_lab(page, OPTIMIZER_LAB)
    probe = page.panel.locator(".nnfs-lab-probe")
    assert readout_numbers(probe.inner_text())["trainings"] == 1
    learning_rate, decay = lab.slider("learning rate"), lab.slider("decay")

    move_and_wait(lab, learning_rate, "ArrowLeft", TRAINING)
    used = readout_numbers(probe.inner_text())
    assert used["trainings"] == 2
    # The slider's steps are 0.05 apart in log10 from 1e-4: 0.05 (10^-1.301) steps to 10^-1.35,
    # which lands on the round number within 1 % of it, 0.045.
    assert used["learning_rate"] == pytest.approx(round_log_value(10**-1.35), rel=1e-5)
    assert re.search(r"trained in [0-9.]+ s — loss [0-9.]+, accuracy [0-9.]+", lab.text())

    move_and_wait(lab, decay, "ArrowRight", TRAINING)  # 5e-7 → 1e-6, the next choice
    used = readout_numbers(probe.inner_text())
    assert (used["trainings"], used["decay"]) == (3, pytest.approx(1e-6))

    # Back to where it was: the lab's cache answers, nothing is trained.
    move_and_wait(lab, decay, "ArrowLeft", TRAINING)
    assert "from the cache" in lab.text()
    assert readout_numbers(probe.inner_text())["trainings"] == 3
    assert readout_numbers(probe.inner_text())["errors"] == 0
    assert_page_healthy(page, lab)


# --------------------------------------------------------------------------------------------
# The checks can fail: a notebook with a broken widget and a raising cell is caught
# --------------------------------------------------------------------------------------------

BROKEN_WIDGET = """\
import ipywidgets as widgets
from traitlets import Unicode


class Missing(widgets.DOMWidget):
    _model_module = Unicode("nnfs-no-such-module").tag(sync=True)
    _model_name = Unicode("NoSuchModel").tag(sync=True)
    _view_module = Unicode("nnfs-no-such-module").tag(sync=True)
    _view_name = Unicode("NoSuchView").tag(sync=True)


Missing()
"""


def test_broken_widgets_and_tracebacks_are_noticed(open_notebook, notebook_dir):
    notebook = notebooks.write_notebook(
        notebook_dir / "broken.ipynb",
        [notebooks.new_code_cell(BROKEN_WIDGET), notebooks.new_code_cell("1 / 0")],
    )
    page = open_notebook(notebook)
    page.run_all_cells()
    page.panel.locator(WIDGET_ERROR).first.wait_for()
    errors = page.render_errors()
    assert "Click to show javascript error" in errors
    assert any("nnfs-no-such-module" in error for error in errors), errors
    assert any("ZeroDivisionError" in text for text in page.error_outputs())
