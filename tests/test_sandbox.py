"""The sandbox on its own: a notebook that misbehaves becomes a result, never an exception,
and a kernel sees neither the grader's environment nor its files.

Where the machine allows it (Linux, grading as root), the tests also check the isolation the
sandbox reports: an unprivileged uid, private mount and network namespaces, hidden paths.
"""

from __future__ import annotations

import json
import os
import sys
import time

import pytest
from nbformat.v4 import new_code_cell, new_notebook

from autograder import cgroups, isolation, sandbox
from autograder.sandbox import Limits, run_notebook

pytestmark = [
    pytest.mark.grading,
    pytest.mark.skipif(not sys.platform.startswith("linux"), reason="the sandbox needs Linux"),
]

QUICK = Limits(cell_timeout=3, total_timeout=60)
AS_ROOT = os.name == "posix" and os.geteuid() == 0


def notebook(*sources: str) -> str:
    return json.dumps(new_notebook(cells=[new_code_cell(s) for s in sources]))


def outputs(result: sandbox.SandboxResult) -> list[list[dict]]:
    return [cell.get("outputs", []) for cell in json.loads(result.notebook)["cells"]]


def printed(cell_outputs: list[dict]) -> str:
    return "".join(o.get("text", "") for o in cell_outputs if o.get("output_type") == "stream")


def error_names(cell_outputs: list[dict]) -> list[str]:
    return [o["ename"] for o in cell_outputs if o.get("output_type") == "error"]


PROBE_ENVIRONMENT = """\
import json, os, socket
seen = {"uid": os.getuid(), "cwd": sorted(os.listdir(".")), "env": dict(os.environ)}
try:
    socket.create_connection(("1.1.1.1", 53), timeout=2)
    seen["network"] = "reachable"
except OSError as error:
    seen["network"] = type(error).__name__
for name, path in SECRETS.items():
    try:
        with open(path) as file:
            seen[name] = file.read()
    except OSError as error:
        seen[name] = type(error).__name__
try:
    with open(WRITABLE_CHECK, "a") as file:
        file.write("x")
    seen["repo_write"] = "written"
except OSError as error:
    seen["repo_write"] = type(error).__name__
print(json.dumps(seen))
"""


@pytest.fixture
def secret_course(tmp_path, monkeypatch):
    """A stand-in for a course: a gradebook-like file the kernel must not read."""
    course = tmp_path / "course"
    course.mkdir()
    (course / "gradebook.db").write_text("SECRET GRADES")
    monkeypatch.setenv("NBGRADER_EXECUTION", "autograde")
    monkeypatch.setenv("NNFS_COURSE_ROOT", str(course))
    return course


def test_kernel_sees_a_clean_environment_and_no_course(secret_course, tmp_path):
    secrets = {"gradebook": str(secret_course / "gradebook.db")}
    repo_file = os.path.join(os.path.dirname(sandbox.__file__), "__init__.py")
    code = f"SECRETS = {secrets!r}\nWRITABLE_CHECK = {repo_file!r}\n" + PROBE_ENVIRONMENT
    result = run_notebook(notebook(code), limits=QUICK, hide=[str(secret_course)])
    assert result.status == sandbox.OK, result.message
    seen = json.loads(printed(outputs(result)[0]))

    assert seen["cwd"] == ["notebook.ipynb"]  # the folder holds only the notebook
    env = seen["env"]
    assert env["NNFS_GRADING"] == "1" and env["OPENBLAS_NUM_THREADS"] == "1"
    assert not [k for k in env if k.startswith("NBGRADER")]
    assert "NNFS_COURSE_ROOT" not in env
    assert not [k for k, v in env.items() if str(secret_course) in v or str(tmp_path) in v]
    for variable in ("HOME", "TMPDIR", "IPYTHONDIR", "JUPYTER_RUNTIME_DIR", "JUPYTER_CONFIG_DIR"):
        assert "nnfs-sandbox-" in env[variable], (variable, env[variable])
    assert seen["gradebook"] != "SECRET GRADES"

    report = result.isolation
    if report.get("mount_namespace"):
        assert seen["gradebook"] == "FileNotFoundError"
        assert report["private_tmp"] and report["workdir_tmpfs"]
    if report.get("network_namespace"):
        assert seen["network"] != "reachable"
    if AS_ROOT and report.get("uid", 0) != 0:
        assert seen["uid"] == report["uid"] != 0
        assert seen["repo_write"] in ("PermissionError", "OSError")
        assert report["no_new_privs"]


@pytest.mark.skipif(not AS_ROOT, reason="full isolation is applied when grading as root")
def test_as_root_the_kernel_gets_every_layer_of_isolation():
    result = run_notebook(notebook("import os\nprint(os.getuid())"), limits=QUICK)
    report = result.isolation
    assert result.status == sandbox.OK, result.message
    assert report["mount_namespace"] and report["network_namespace"], report["warnings"]
    assert report["uid"] != 0 and int(printed(outputs(result)[0])) == report["uid"]
    assert report["limits"]["address_space_bytes"] == QUICK.memory_bytes
    assert report["pid_namespace"] and report["ipc_namespace"] and report["readonly_root"]
    assert report["private_tmp"] and report["workdir_tmpfs"]
    assert report["budget"].startswith("cgroup"), report["budget"]
    assert report["missing"] == []


def test_without_namespaces_isolation_degrades_and_says_so(secret_course):
    code = f"import os\nprint(os.getuid(), os.path.exists({str(secret_course)!r}))"
    result = run_notebook(notebook(code), limits=QUICK, hide=[str(secret_course)], namespaces=False)
    report = result.isolation
    assert result.status == sandbox.OK, result.message
    assert not report["mount_namespace"] and report["hidden"] == []
    assert "walls" in report["missing"]
    uid, visible = printed(outputs(result)[0]).split()
    assert visible == "True"  # nothing is hidden without a mount namespace
    if int(uid) == os.geteuid():
        assert report["warnings"], "keeping the grader's uid is reported"


def test_kernel_death_is_a_result_that_names_the_cell():
    result = run_notebook(
        notebook("print('before')", "import os\nos._exit(0)", "print('after')"), limits=QUICK
    )
    assert result.status == sandbox.KERNEL_DIED
    assert result.cell == 1 and "cell 2" in result.message
    cells = outputs(result)
    assert printed(cells[0]) == "before\n" and cells[2] == []


@pytest.mark.slow
def test_an_endless_cell_is_interrupted_and_the_rest_runs():
    result = run_notebook(notebook("while True:\n    pass", "print('after')"), limits=QUICK)
    assert result.status == sandbox.OK
    cells = outputs(result)
    assert "CellTimeoutError" in error_names(cells[0])
    assert printed(cells[1]) == "after\n"
    assert result.cell_errors[0]["cell"] == 0


@pytest.mark.slow
def test_a_cell_that_ignores_the_interrupt_stops_the_run():
    code = (
        "import time\n"
        "while True:\n"
        "    try:\n"
        "        time.sleep(0.1)\n"
        "    except KeyboardInterrupt:\n"
        "        pass"
    )
    result = run_notebook(notebook(code, "print('after')"), limits=QUICK)
    assert result.status == sandbox.UNRESPONSIVE and result.cell == 0
    assert "did not stop when interrupted" in result.message
    assert outputs(result)[1] == []


@pytest.mark.slow
def test_the_overall_time_limit_stops_the_run():
    limits = Limits(cell_timeout=10, total_timeout=4)
    result = run_notebook(notebook(*["import time; time.sleep(1.5)"] * 5), limits=limits)
    assert result.status == sandbox.TIMEOUT
    assert "overall time limit of 4 s" in result.message
    assert 1 <= result.cell <= 3


def test_huge_output_is_cut_and_memory_is_limited():
    limits = Limits(cell_timeout=20, total_timeout=60, memory_bytes=2 * 2**30)
    result = run_notebook(
        notebook(
            "for i in range(100_000):\n    print('x' * 100)",
            "import numpy as np\nblock = np.ones(2 * 2**30 // 8 + 1)",
            "print('still here')",
        ),
        limits=limits,
    )
    assert result.status == sandbox.OK, result.message
    cells = outputs(result)
    assert result.truncated_cells == [0]
    assert len(printed(cells[0])) <= limits.cell_output_bytes + 200
    assert "[output truncated" in printed(cells[0])
    assert error_names(cells[1]) == ["MemoryError"]
    assert printed(cells[2]) == "still here\n"


@pytest.mark.parametrize("text", ['{"cells": [', "[]", b"\x00\xff", ""])
def test_what_is_not_a_notebook_is_reported_and_nothing_runs(text):
    result = run_notebook(text)
    assert result.status == sandbox.INVALID
    assert result.message.startswith("Nothing was run") and result.notebook is None


@pytest.mark.skipif(not AS_ROOT, reason="needs the per-sandbox uid")
def test_nothing_the_notebook_started_survives_it():
    code = (
        "import subprocess\n"
        "subprocess.Popen(['sleep', '600'], start_new_session=True)\n"
        "started = []\n"
        "try:\n"
        "    for _ in range(1000):\n"
        "        started.append(subprocess.Popen(['sleep', '30']))\n"
        "except OSError as error:\n"
        "    print('stopped after', len(started), type(error).__name__)"
    )
    result = run_notebook(notebook(code), limits=QUICK)
    assert result.status == sandbox.OK, result.message
    assert "stopped after" in printed(outputs(result)[0])  # the process limit held
    uid = result.isolation["uid"]
    assert not isolation._uid_has_processes(uid, alive_only=True)


def test_a_group_left_by_a_dead_grader_is_removed_by_the_next_sandbox():
    """A grader killed mid-run (a Dask worker, nnfs-grade) cannot remove its control group;
    the next one removes every empty group of ours older than STALE_AFTER, and no other."""
    budget, why = cgroups.create(2**30, 64)
    if budget is None:
        pytest.skip(f"no control groups here: {why}")
    try:
        # Young and empty: it may be a sandbox about to join it.
        assert not set(cgroups.remove_stale()) & set(budget.folders)
        old = time.time() - cgroups.STALE_AFTER - 5
        for folder in budget.folders:
            os.utime(folder, (old, old))
        assert set(budget.folders) <= set(cgroups.remove_stale())
        assert not any(folder.exists() for folder in budget.folders)
    finally:
        budget.remove()
