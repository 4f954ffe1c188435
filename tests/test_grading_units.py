"""The grading plumbing without a kernel: how graded cells are judged and rewritten, what is
trusted, the cache key, broken metadata, and how collect reads LMS file names.

The judge runs the real checks on probes taken from the reference classes (``nnfs_core.book``)
or from a deliberately wrong class, exactly as the kernel would send them.
"""

from __future__ import annotations

import json
from pathlib import Path

import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_notebook, new_output
from nbgrader import utils

from autograder import sandbox
from autograder.checks import REGISTRY
from autograder.checks.base import PROBE_MIMETYPE
from autograder.cli import identify, normalize_chapter, safe_id, slug
from autograder.nbgrader_plugins import (
    METADATA_KEY,
    DropBrokenMetadata,
    JudgeProbes,
    cache_key,
    expected_probes,
    grade_cell,
    merge_outputs,
)
from nnfs_core.book import Activation_ReLU

pytestmark = pytest.mark.ch09


class LearnerReLU(Activation_ReLU):
    """A correct ReLU defined outside nnfs_core, as a learner's notebook defines its own."""


class ReLUWithWrongBackward(Activation_ReLU):
    """Passes the gradient through everywhere: the forward is right, the backward is not."""

    def backward(self, dvalues):
        self.dinputs = dvalues.copy()


TEST_SOURCE = """\
check("relu_forward", Activation_ReLU)
### BEGIN HIDDEN TESTS
submit("relu_forward", Activation_ReLU, seed=5)
submit("relu_backward", Activation_ReLU, seed=6, weight=3)
### END HIDDEN TESTS
"""


def probe_output(check: str, learner, seed: int, weight: float = 1.0):
    payload = {"probe": REGISTRY[check].probe(learner, seed).to_json(), "weight": weight}
    # Through JSON, as it leaves the kernel.
    payload = json.loads(json.dumps(payload))
    return new_output("display_data", data={PROBE_MIMETYPE: payload, "text/plain": "probe"})


def graded_cell(outputs, points: float = 4.0, source: str = TEST_SOURCE):
    cell = new_code_cell(source, execution_count=3)
    cell.metadata["nbgrader"] = {
        "grade": True,
        "solution": False,
        "locked": True,
        "grade_id": "test_relu",
        "points": points,
        "schema_version": 3,
    }
    cell.metadata["nbgrader"]["checksum"] = utils.compute_checksum(cell)
    cell.outputs = list(outputs)
    return cell


OK_RECORD = {"status": sandbox.OK, "message": "Every cell ran.", "cell": None}


# ---------------------------------------------------------------------------------------
# Which probes a cell expects
# ---------------------------------------------------------------------------------------


def test_expected_probes_come_from_the_literal_submit_calls_in_order():
    assert expected_probes(TEST_SOURCE) == [("relu_forward", 5, 1.0), ("relu_backward", 6, 3.0)]
    assert expected_probes('autograder.submit("a", X, seed=1_000)') == [("a", 1000, 1.0)]
    assert expected_probes("check('a', X)") == []


@pytest.mark.parametrize(
    "source",
    [
        "for s in (1, 2):\n    submit('a', X, seed=s)",
        "submit(name, X, seed=1)",
        "submit('a', X)",
        "%timeit submit('a', X, seed=1)",
    ],
)
def test_expected_probes_are_unknown_when_not_literal(source):
    assert expected_probes(source) is None


# ---------------------------------------------------------------------------------------
# Judging one graded cell
# ---------------------------------------------------------------------------------------


def test_all_probes_pass_gives_full_points():
    cell = graded_cell(
        [
            probe_output("relu_forward", LearnerReLU, 5),
            probe_output("relu_backward", LearnerReLU, 6, 3.0),
        ]
    )
    verdict = grade_cell(cell, OK_RECORD, 0)
    assert (verdict["points"], verdict["status"]) == (4.0, "passed")
    assert [line["status"] for line in verdict["checks"]] == ["pass", "pass"]


def test_points_are_the_weighted_share_of_passed_probes():
    cell = graded_cell(
        [
            probe_output("relu_forward", ReLUWithWrongBackward, 5),
            probe_output("relu_backward", ReLUWithWrongBackward, 6, 3.0),
        ]
    )
    verdict = grade_cell(cell, OK_RECORD, 0)
    assert verdict["points"] == pytest.approx(4.0 * 1 / 4)
    assert verdict["status"] == "partial"
    assert verdict["checks"][1]["status"] == "fail" and verdict["checks"][1]["message"]


def test_weights_and_seeds_come_from_the_trusted_source_not_from_the_kernel():
    # The kernel claims weight 100 for the probe that passes, sends a passing probe for a
    # seed the cell never asked for, and sends the forward probe twice.
    cell = graded_cell(
        [
            probe_output("relu_forward", LearnerReLU, 5, weight=100.0),
            probe_output("relu_forward", LearnerReLU, 5, weight=100.0),
            probe_output("relu_backward", LearnerReLU, 999),
            probe_output("relu_backward", ReLUWithWrongBackward, 6, 3.0),
        ]
    )
    verdict = grade_cell(cell, OK_RECORD, 0)
    assert verdict["points"] == pytest.approx(1.0)
    assert [line["weight"] for line in verdict["checks"]] == [1.0, 3.0]


def test_a_missing_probe_fails_its_share():
    cell = graded_cell([probe_output("relu_forward", LearnerReLU, 5)])
    verdict = grade_cell(cell, OK_RECORD, 0)
    assert verdict["points"] == pytest.approx(1.0)
    assert verdict["checks"][1]["message"] == "the grading test did not run"


def test_unreadable_or_unknown_probe_data_fails_without_raising():
    fake = new_output(
        "display_data",
        data={PROBE_MIMETYPE: {"probe": {"check": "relu_forward", "seed": "x"}, "weight": 1}},
    )
    unknown = new_output(
        "display_data",
        data={PROBE_MIMETYPE: {"probe": {"check": "nope", "seed": 6}, "weight": 1}},
    )
    cell = graded_cell([fake, unknown], source='submit("nope", X, seed=6)')
    verdict = grade_cell(cell, OK_RECORD, 0)
    assert verdict["points"] == 0.0 and verdict["status"] == "failed"


def test_an_error_in_the_cell_scores_zero_whatever_the_probes_say():
    cell = graded_cell(
        [
            probe_output("relu_forward", LearnerReLU, 5),
            probe_output("relu_backward", LearnerReLU, 6, 3.0),
            new_output("error", ename="CheckFailed", evalue="✗ relu_forward: wrong", traceback=[]),
        ]
    )
    verdict = grade_cell(cell, OK_RECORD, 0)
    assert (verdict["points"], verdict["status"]) == (0.0, "error")
    assert "CheckFailed" in verdict["message"] and "wrong" in verdict["message"]


def test_a_cell_whose_source_is_not_the_instructors_is_not_trusted():
    cell = graded_cell([probe_output("relu_forward", LearnerReLU, 5)])
    cell.source = cell.source.replace("seed=6", "seed=7")
    verdict = grade_cell(cell, OK_RECORD, 0)
    assert (verdict["points"], verdict["status"]) == (0.0, "untrusted")


def test_cells_the_run_did_not_reach_say_why():
    died = {"status": sandbox.KERNEL_DIED, "message": "The kernel stopped in cell 2.", "cell": 2}
    for index in (2, 5):
        verdict = grade_cell(graded_cell([]), died, index)
        assert verdict["status"] == "not_run"
        assert "The kernel stopped in cell 2." in verdict["message"]
    # A probe recorded just before the kernel died does not count: timing must not matter.
    cell = graded_cell([probe_output("relu_forward", LearnerReLU, 5)])
    assert grade_cell(cell, died, 2)["points"] == 0.0
    never_ran = graded_cell([])
    never_ran.execution_count = None
    assert grade_cell(never_ran, OK_RECORD, 0)["status"] == "not_run"


def test_judge_probes_rewrites_outputs_so_nbgrader_reads_the_same_points():
    honest = graded_cell(
        [
            new_output("stream", name="stderr", text="a warning"),
            probe_output("relu_forward", ReLUWithWrongBackward, 5),
            probe_output("relu_backward", ReLUWithWrongBackward, 6, 3.0),
        ]
    )
    forged = graded_cell(
        [
            # An execute_result the learner's code sent claiming full marks.
            new_output("execute_result", data={"text/plain": "4.0"}, execution_count=3),
            new_output("error", ename="ValueError", evalue="boom", traceback=["..."]),
        ]
    )
    forged.metadata["nbgrader"]["grade_id"] = "test_other"
    forged.metadata["nbgrader"]["checksum"] = utils.compute_checksum(forged)
    nb = new_notebook(cells=[honest, forged])
    resources = {METADATA_KEY: dict(OK_RECORD)}
    nb, resources = JudgeProbes().preprocess(nb, resources)

    assert utils.determine_grade(nb.cells[0]) == (1.0, 4.0)
    assert utils.determine_grade(nb.cells[1]) == (0, 4.0)
    kinds = [o.output_type for o in nb.cells[0].outputs]
    assert kinds == ["stream", "execute_result"]
    assert nb.cells[0].outputs[0].text.startswith("Grading: 1 of 4 points.")
    verdicts = nb.metadata[METADATA_KEY]["cells"]
    assert verdicts["test_relu"]["points"] == 1.0 and verdicts["test_other"]["points"] == 0.0


# ---------------------------------------------------------------------------------------
# Outputs come back only onto the same cells; the cache key
# ---------------------------------------------------------------------------------------


def test_merge_outputs_copies_only_outputs_and_refuses_a_different_notebook():
    mine = new_notebook(cells=[new_code_cell("x = 1"), new_code_cell("print(x)")])
    executed = nbformat.from_dict(json.loads(json.dumps(mine)))
    executed.cells[1].outputs = [new_output("stream", name="stdout", text="1\n")]
    executed.cells[1].execution_count = 2
    executed.cells[1].metadata["nbgrader"] = {"grade": True, "points": 100}
    result = sandbox.SandboxResult(sandbox.OK, "", notebook=json.dumps(executed))
    assert merge_outputs(mine, result)
    assert mine.cells[1].outputs[0].text == "1\n" and mine.cells[1].execution_count == 2
    assert "nbgrader" not in mine.cells[1].metadata

    executed.cells[0].source = "x = 2"
    result = sandbox.SandboxResult(sandbox.OK, "", notebook=json.dumps(executed))
    assert not merge_outputs(mine, result)
    assert all(cell.outputs == [] for cell in mine.cells)


def test_cache_key_ignores_cell_ids_and_metadata_but_not_code_or_student():
    resources = {"nbgrader": {"student": "ann", "assignment": "ch09", "notebook": "n"}}
    one = new_notebook(cells=[new_code_cell("x = 1")])
    two = nbformat.from_dict(json.loads(json.dumps(one)))
    two.cells[0].id = "another-id"
    two.cells[0].metadata["collapsed"] = True
    assert cache_key(one, resources, "f") == cache_key(two, resources, "f")
    two.cells[0].source = "x = 2"
    assert cache_key(one, resources, "f") != cache_key(two, resources, "f")
    other = {"nbgrader": {**resources["nbgrader"], "student": "bob"}}
    assert cache_key(one, resources, "f") != cache_key(one, other, "f")
    assert cache_key(one, resources, "f") != cache_key(one, resources, "g")


@pytest.mark.parametrize(
    "meta",
    [
        {},
        {"schema_version": 1, "grade": True},
        {"schema_version": 99},
        "text",
        {"schema_version": 3, "grade": True, "points": 100},  # an id OverwriteCells removed
    ],
)
def test_broken_nbgrader_metadata_is_dropped_and_good_metadata_kept(meta):
    broken, good = new_code_cell("a"), new_code_cell("b")
    broken.metadata["nbgrader"] = meta
    good.metadata["nbgrader"] = {"schema_version": 3, "solution": True, "grade_id": "g"}
    nb, _ = DropBrokenMetadata().preprocess(new_notebook(cells=[broken, good]), {})
    assert "nbgrader" not in nb.cells[0].metadata
    assert nb.cells[1].metadata["nbgrader"]["solution"] is True


def test_sandbox_result_travels_as_json():
    result = sandbox.SandboxResult(
        sandbox.KERNEL_DIED, "died", notebook="{}", cell=3, cell_errors=[{"cell": 1}]
    )
    again = sandbox.SandboxResult.from_json(json.loads(json.dumps(result.to_json())))
    assert again == result
    assert "notebook" not in result.record()


def test_parse_notebook_says_what_is_wrong():
    with pytest.raises(ValueError, match="not valid JSON"):
        sandbox.parse_notebook('{"cells": [')
    with pytest.raises(ValueError, match="not a notebook"):
        sandbox.parse_notebook("[1, 2]")
    assert sandbox.run_notebook(b"\xff\xfe").status == sandbox.INVALID


# ---------------------------------------------------------------------------------------
# collect: LMS file names
# ---------------------------------------------------------------------------------------

BACKPROP, OPTIMIZERS = "ch09_backpropagation", "ch10_optimizers"
INDEX = {BACKPROP: "ch09", OPTIMIZERS: "ch10"}


@pytest.mark.parametrize(
    ("path", "student", "notebook", "number"),
    [
        (f"smithjohn_12345_678_{BACKPROP}.ipynb", "smithjohn", BACKPROP, 0),
        (f"smithjohn_LATE_12345_678_{BACKPROP}-2.ipynb", "smithjohn", BACKPROP, 2),
        ("sub/smith_john_1_2_CH10_Optimizers.ipynb", "smith_john", OPTIMIZERS, 0),
        (f"John Smith_12345_assignsubmission_file_{BACKPROP}.ipynb", "john_smith", BACKPROP, 0),
        (f"Ann Lee_77_assignsubmission_file_/{OPTIMIZERS}.ipynb", "ann_lee", OPTIMIZERS, 0),
        (f"export/ann/ch09/{BACKPROP}.ipynb", "ann", BACKPROP, 0),
        (f"ann/9/{BACKPROP}.ipynb", "ann", BACKPROP, 0),
    ],
)
def test_collect_understands_canvas_moodle_and_folders(path, student, notebook, number):
    found = identify(path, INDEX)
    assert not isinstance(found, str), found
    assert (found[0], found[2], found[3]) == (student, notebook, number)


@pytest.mark.parametrize(
    ("path", "reason"),
    [
        ("readme.txt", "not a notebook"),
        ("smithjohn_1_2_homework.ipynb", "not a notebook of this course"),
        ("loose.ipynb", "matches no known pattern"),
    ],
)
def test_collect_says_why_a_file_is_not_a_submission(path, reason):
    found = identify(path, INDEX)
    assert isinstance(found, str) and reason in found


def test_chapter_names_and_student_ids():
    assert [normalize_chapter(x) for x in ("9", "ch9", "ch09", "CH10", "extra")] == [
        "ch09",
        "ch09",
        "ch09",
        "ch10",
        "extra",
    ]
    assert slug("  Zoë O'Neil ") == "zoe_o_neil"
    assert safe_id("a/b c") == "a_b_c"


def test_course_option_goes_before_or_after_the_command(tmp_path):
    from autograder.cli import build_parser

    for argv in (["--course", str(tmp_path), "export"], ["export", "--course", str(tmp_path)]):
        assert build_parser().parse_args(argv).course == tmp_path.resolve()
    assert build_parser().parse_args(["release", "9"]).course == Path(".").resolve()


def test_collect_reads_zip_archives_and_maps_lms_names(tmp_path):
    import zipfile

    from autograder.cli import CliError, _entries, _read_map

    archive = tmp_path / "export.zip"
    with zipfile.ZipFile(archive, "w") as zipped:
        zipped.writestr(f"smithjohn_1_2_{BACKPROP}.ipynb", "{}")
        zipped.writestr("__MACOSX/._junk", "x")
        zipped.writestr("folder/", "")
    entries = _entries(archive)
    assert [e.path for e in entries] == [f"smithjohn_1_2_{BACKPROP}.ipynb"]
    assert entries[0].read(100) == b"{}"

    mapping = tmp_path / "map.csv"
    mapping.write_text("lms,student_id\nsmithjohn,jsmith01\nJohn Smith,jsmith01\n")
    assert _read_map(mapping) == {"smithjohn": "jsmith01", "John Smith": "jsmith01"}
    mapping.write_text("login,id\nx,y\n")
    with pytest.raises(CliError, match="lms and student_id"):
        _read_map(mapping)


def test_the_reference_class_itself_earns_no_points_when_graded():
    """The notebooks' "Stuck?" shortcut keeps feedback green but must not earn grades."""
    cell = graded_cell(
        [
            probe_output("relu_forward", Activation_ReLU, 5),
            probe_output("relu_backward", LearnerReLU, 6, 3.0),
        ]
    )
    verdict = grade_cell(cell, OK_RECORD, 0)
    assert verdict["points"] == 3.0
    refused = verdict["checks"][0]
    assert refused["status"] == "fail"
    assert refused["diagnosis"] == "reference_submitted"
    assert "nnfs_core" in refused["message"] and "Fix" in refused["message"]
