"""What a learner sees when a check runs in a notebook, and that Run All goes through.

Protects issue 12's promises in a real kernel driven the way JupyterLab's Run All drives it
(nbclient without ``allow_errors``: the first cell whose reply is an error stops the run):

* a failed check shows a ✗ block (HTML, with a plain-text fallback wrapped at word boundaries)
  and an error output without a single frame of the course's code; the hint is folded;
* when the learner's own code raised, the block names their method, line and statement;
* a failed check and an unfinished method used by a later cell do not stop Run All, while the
  test cell keeps the error output nbgrader scores as 0;
* any other error still stops Run All.
"""

from __future__ import annotations

import textwrap

import nbformat
import pytest
from nbclient.exceptions import CellExecutionError
from notebook_runner import execute

from autograder import CheckFailed, check, result_view
from autograder.checks import REGISTRY
from autograder.checks.shared import CATALOGUE

pytestmark = [pytest.mark.ch09, pytest.mark.ch01]

IMPORTS = "import numpy as np\nfrom autograder import check"

# Correct forward; the backward divides by the number of samples (a catalogued mistake).
AVERAGED_DENSE = """
class Layer_Dense:
    def __init__(self, n_inputs, n_neurons):
        self.weights = 0.01 * np.random.randn(n_inputs, n_neurons)
        self.biases = np.zeros((1, n_neurons))

    def forward(self, inputs):
        self.inputs = inputs
        self.output = inputs @ self.weights + self.biases

    def backward(self, dvalues):
        samples = len(dvalues)
        self.dweights = self.inputs.T @ dvalues / samples
        self.dbiases = dvalues.sum(axis=0, keepdims=True) / samples
        self.dinputs = dvalues @ self.weights.T / samples
"""

RAISING_RELU = """
class Activation_ReLU:
    def forward(self, inputs):
        self.inputs = inputs
        self.output = np.maximum(0, inputs)

    def backward(self, dvalues):
        self.dinputs = dvalues.copy()
        self.dinputs[self.inputs <= 0, 5] = 0
"""

UNFINISHED_SOFTMAX = """
class Activation_Softmax:
    def forward(self, inputs):
        # YOUR CODE HERE
        raise NotImplementedError()
"""


def notebook(tmp_path, *sources: str):
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_code_cell(textwrap.dedent(s).strip()) for s in sources]
    path = tmp_path / "trial.ipynb"
    nbformat.write(nb, path)
    return path


def outputs_of(cell, kind):
    return [o for o in cell.outputs if o.output_type == kind]


def html_of(cell) -> str:
    return "".join(o.data.get("text/html", "") for o in outputs_of(cell, "display_data"))


def plain_of(cell) -> str:
    return "".join(o.data.get("text/plain", "") for o in outputs_of(cell, "display_data"))


@pytest.fixture(scope="module")
def run_all(tmp_path_factory, ipython_dir):
    path = notebook(
        tmp_path_factory.mktemp("display"),
        IMPORTS,
        AVERAGED_DENSE,
        'check("dense_backward", Layer_Dense)',
        'check("dense_forward", Layer_Dense)',
        RAISING_RELU,
        'check("relu_backward", Activation_ReLU)',
        UNFINISHED_SOFTMAX,
        'check("softmax_forward", Activation_Softmax)',
        "Activation_Softmax().forward(np.ones((2, 3)))\nprint('not reached')",
        "reached_the_end = True\nprint('the last cell ran')",
    )
    # No allow_errors: the run stops at the first cell whose reply is an error, as Run All does.
    return execute(path, ipython_dir=ipython_dir).notebook.cells


def test_run_all_reaches_the_last_cell_past_failed_checks_and_unfinished_code(run_all):
    assert "the last cell ran" in "".join(o.get("text", "") for o in run_all[-1].outputs)


def test_failed_check_keeps_an_error_output_for_nbgrader(run_all):
    for index in (2, 5, 7):
        errors = outputs_of(run_all[index], "error")
        assert len(errors) == 1 and errors[0].ename == "CheckFailed", run_all[index].outputs


def test_failed_check_shows_no_frame_of_the_course_code(run_all):
    for index in (2, 5, 7):
        (error,) = outputs_of(run_all[index], "error")
        text = "\n".join(error.traceback)
        assert "autograder" not in text and "File " not in text and "Traceback" not in text
        assert len(error.traceback) <= 2, error.traceback


def test_failed_check_block_names_the_mistake_and_folds_the_hint(run_all):
    mistake = CATALOGUE["dense_backward_averaged"]
    html, plain = html_of(run_all[2]), plain_of(run_all[2])
    assert "nnfs-check-fail" in html and "✗" in html and mistake.title in html
    before_hint = html.split("<details", 1)[0]
    assert mistake.hint not in before_hint and "<summary" in html
    assert mistake.hint not in flat(plain) and mistake.title in flat(plain)


def flat(text: str) -> str:
    return " ".join(text.split())


def test_plain_text_block_wraps_at_word_boundaries(run_all):
    for index in (2, 5, 7):
        text = plain_of(run_all[index])
        (error,) = outputs_of(run_all[index], "error")
        diagnosis = error.evalue
        for mistake in CATALOGUE.values():  # the folded hint is not in the plain text
            diagnosis = diagnosis.replace(mistake.hint, "")
        diagnosis = flat(diagnosis)
        # Wrapping only ever replaced spaces: no word was cut in two.
        assert flat(text).startswith(diagnosis), (text, diagnosis)
        for line in text.splitlines():
            assert len(line) <= result_view.WIDTH or " " not in line.strip(), line


def test_passed_check_shows_a_tick_block(run_all):
    assert "nnfs-check-pass" in html_of(run_all[3])
    assert plain_of(run_all[3]).startswith("✓ dense_forward")
    assert not outputs_of(run_all[3], "error")


def test_learner_exception_shows_their_line_not_the_course_frames(run_all):
    html, plain = html_of(run_all[5]), plain_of(run_all[5])
    assert "IndexError" in plain
    assert "line 8 of backward" in plain and "self.dinputs[self.inputs &lt;= 0, 5] = 0" in html


def test_unfinished_method_in_a_later_cell_says_so_in_one_line(run_all):
    cell = run_all[8]
    assert not outputs_of(cell, "error")
    assert "not reached" not in "".join(o.get("text", "") for o in cell.outputs)
    note = plain_of(cell)
    assert "Activation_Softmax.forward" in note and "not written yet" in note
    assert len(note.splitlines()) == 1


def test_any_other_error_still_stops_run_all(tmp_path, ipython_dir):
    path = notebook(tmp_path, IMPORTS, "1 / 0", "print('after')")
    with pytest.raises(CellExecutionError, match="ZeroDivisionError"):
        execute(path, ipython_dir=ipython_dir)


def test_outside_a_kernel_check_raises_with_the_whole_diagnosis():
    namespace = {"np": __import__("numpy")}
    exec(AVERAGED_DENSE, namespace)
    with pytest.raises(CheckFailed) as failed:
        check("dense_backward", namespace["Layer_Dense"])
    assert CATALOGUE["dense_backward_averaged"].title in str(failed.value)


def test_visible_text_never_spells_the_dense_backward_answer():
    namespace = {"np": __import__("numpy")}
    exec(AVERAGED_DENSE, namespace)
    result = REGISTRY["dense_backward"].run(namespace["Layer_Dense"], seed=0)
    shown = result_view.as_text(result) + result_view.as_html(result).split("<details")[0]
    for answer in ("inputs.T", "weights.T", "keepdims=True"):
        assert answer not in shown, shown
        assert answer not in CATALOGUE["dense_backward_averaged"].hint
