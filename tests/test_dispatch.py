"""The runs ahead of nbgrader (autograder/dispatch.py, autograder/ahead.py): nbgrader never
waits for a result that will not come, a job that cannot run never stops the others, and a
cluster that cannot be reached is one clear sentence. End to end (a real batch, a real Dask
cluster, a killed worker) in tests/test_grading.py."""

from __future__ import annotations

import json
import threading
import time

import dask
import distributed  # noqa: F401 - its defaults join dask's config now, not inside config.set
import pytest

from autograder import ahead, dispatch, sandbox

pytestmark = [pytest.mark.grading, pytest.mark.ch09]

RESULT = sandbox.SandboxResult(sandbox.OK, "Every cell ran.").to_json()


def test_a_pending_result_is_awaited(tmp_path):
    ahead.announce(tmp_path, "k", "student/ch09/nb")
    timer = threading.Timer(0.3, ahead.deliver, (tmp_path, "k", RESULT))
    timer.start()
    result = ahead.wait_for_result(tmp_path, "k", patience=60)
    timer.join()
    assert result is not None and result.status == sandbox.OK
    assert not (tmp_path / "k.pending").exists()


def test_a_failed_or_unannounced_run_is_left_to_nbgrader_at_once(tmp_path):
    ahead.announce(tmp_path, "failed", "student/ch09/nb")
    ahead.failed(tmp_path, "failed", "RuntimeError: the worker vanished")
    started = time.monotonic()
    assert ahead.wait_for_result(tmp_path, "failed", patience=600) is None
    assert ahead.wait_for_result(tmp_path, "never-announced", patience=600) is None
    # Neither waited for its patience (a generous bound: this guards a hang, not a speed).
    assert time.monotonic() - started < 300


def test_nbgrader_stops_waiting_after_its_patience(tmp_path):
    ahead.announce(tmp_path, "stuck", "student/ch09/nb")
    assert ahead.wait_for_result(tmp_path, "stuck", patience=0.2) is None


def test_a_job_that_cannot_start_does_not_stop_the_others(tmp_path):
    """One request the machinery cannot even start and one notebook that is not JSON: each
    gets its outcome in the folder, nothing stays pending, and the report names both."""
    good_request = {"name": "nb.ipynb", "limits": {"cell_timeout": 5, "total_timeout": 60}}
    jobs = [
        dispatch.Job("broken", "a/ch09/nb", "{}", {"limits": {"no_such_limit": 1}}),
        dispatch.Job("garbage", "b/ch09/nb", "this is not a notebook", good_request),
    ]
    seen = []
    dispatcher = dispatch.Dispatcher(
        tmp_path,
        workers=1,
        allow_weak_isolation=True,
        report=lambda done, total, job, status: seen.append((job.who, status)),
    )
    dispatcher.start(jobs)
    dispatcher.wait()
    assert (tmp_path / "broken.failed").exists() and not (tmp_path / "broken.json").exists()
    result = ahead.wait_for_result(tmp_path, "garbage", patience=0)
    assert result is not None and result.status == sandbox.INVALID
    assert not list(tmp_path.glob("*.pending"))
    assert [who for who, _ in seen] == ["a/ch09/nb", "b/ch09/nb"]
    assert "no_such_limit" in dispatcher.failures[0]


def test_an_unreachable_scheduler_is_one_clear_sentence():
    with dask.config.set({"distributed.comm.timeouts.connect": "1s"}):
        with pytest.raises(dispatch.DispatchError) as caught:
            dispatch.connect("tcp://127.0.0.1:1")
    message = str(caught.value)
    assert "cannot reach the Dask scheduler at tcp://127.0.0.1:1" in message
    assert "dask scheduler" in message


def test_a_scheduler_address_without_a_protocol_is_refused_with_the_form_expected():
    with pytest.raises(dispatch.DispatchError, match="expected tcp://HOST:PORT"):
        dispatch.connect("localhost:8786")


def test_a_dask_worker_runs_its_next_job_in_a_spare_that_ends_when_unused():
    """The spare sandbox a worker starts ahead (dispatch.Spares): it serves only the request
    it was started for, runs the notebook like a fresh one, and is ended once idle (no kernel
    stays behind)."""
    from nbformat.v4 import new_code_cell, new_notebook

    request = {"name": "nb.ipynb", "limits": {"cell_timeout": 30, "total_timeout": 120}}
    other = {**request, "name": "other.ipynb"}
    spares = dispatch.Spares(idle=1.0)
    spares.prepare(request, limit=1)
    spares.prepare(request, limit=1)  # one is waiting already: no second
    assert spares.count() == 1
    assert spares.take(other) is None
    started = spares.take(request)
    assert started is not None and spares.count() == 0
    text = new_notebook(cells=[new_code_cell("print(6 * 7)")])
    result = started.finish(json.dumps(text))
    assert result.status == sandbox.OK, result.message
    assert "42" in json.dumps(json.loads(result.notebook)["cells"][0]["outputs"])
    spares.prepare(request, limit=1)
    (waiting,) = [entry[0] for entries in spares._spares.values() for entry in entries]
    deadline = time.monotonic() + 120  # a hang guard, not a speed bound
    while waiting.process is not None and time.monotonic() < deadline:
        time.sleep(0.2)
    assert spares.count() == 0 and waiting.process is None  # abandoned: driver and group gone
