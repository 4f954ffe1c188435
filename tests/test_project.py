"""The project's skeleton, environment and tooling: pyproject.toml and environment.yml agree,
course.py reuses and repairs its environment, committed notebooks are clean, CI runs the
README's command, and `course.py lab` really starts JupyterLab."""

from __future__ import annotations

import json
import os
import re
import secrets
import signal
import socket
import subprocess
import sys
import time
import tomllib
import urllib.error
import urllib.request
import venv
from pathlib import Path

import nbformat
import pytest
import yaml
from notebook_hygiene import file_problems, fix_file, notebook_files
from packaging.requirements import Requirement
from packaging.specifiers import SpecifierSet

pytestmark = pytest.mark.project

README_TEST_COMMAND = "python3 course.py test"
README_LAB_COMMAND = "python3 course.py lab"

# conda-forge names that differ from the PyPI names of the same software.
CONDA_TO_PYPI = {"matplotlib-base": "matplotlib"}
# Entries of environment.yml that are tools of the environment itself, not project requirements.
CONDA_ONLY = {"python", "pip"}


def normalize(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def pyproject_requirements(pyproject: dict) -> dict[str, SpecifierSet]:
    """Core dependencies plus every extra, self-references (``nnfs-course[course]``) dropped."""
    project = pyproject["project"]
    own = normalize(project["name"])
    declared = list(project["dependencies"])
    for extra in project["optional-dependencies"].values():
        declared.extend(extra)
    result: dict[str, SpecifierSet] = {}
    for line in declared:
        requirement = Requirement(line)
        name = normalize(requirement.name)
        if name == own:
            continue
        assert name not in result or result[name] == requirement.specifier, (
            f"{name} is declared twice in pyproject.toml with different bounds"
        )
        result[name] = requirement.specifier
    return result


def conda_requirements(environment: dict) -> tuple[dict[str, SpecifierSet], list[str]]:
    """Requirements of environment.yml, conda and pip parts together, with PyPI names; and the
    raw pip entries."""
    result: dict[str, SpecifierSet] = {}
    pip_entries: list[str] = []
    for entry in environment["dependencies"]:
        if isinstance(entry, dict):
            pip_entries.extend(entry["pip"])
            continue
        requirement = Requirement(entry)
        name = normalize(CONDA_TO_PYPI.get(requirement.name, requirement.name))
        if name not in CONDA_ONLY:
            result[name] = requirement.specifier
    for entry in pip_entries:
        if entry.startswith("-"):
            continue
        requirement = Requirement(entry)
        result[normalize(requirement.name)] = requirement.specifier
    return result, pip_entries


@pytest.fixture(scope="module")
def pyproject(repo_root: Path) -> dict:
    with open(repo_root / "pyproject.toml", "rb") as file:
        return tomllib.load(file)


@pytest.fixture(scope="module")
def environment(repo_root: Path) -> dict:
    with open(repo_root / "environment.yml", encoding="utf-8") as file:
        return yaml.safe_load(file)


# --------------------------------------------------------------------------------------------
# pyproject.toml and environment.yml
# --------------------------------------------------------------------------------------------


def test_environment_yml_declares_the_same_packages_and_bounds(pyproject, environment):
    expected = pyproject_requirements(pyproject)
    declared, _ = conda_requirements(environment)
    assert sorted(declared) == sorted(expected), (
        "environment.yml and pyproject.toml list different packages"
    )
    different = {
        name: (str(expected[name]), str(declared[name]))
        for name in expected
        if expected[name] != declared[name]
    }
    assert not different, f"bounds differ (pyproject, environment.yml): {different}"


def test_environment_yml_uses_conda_forge_python_and_installs_the_project(pyproject, environment):
    assert environment["name"] == pyproject["project"]["name"]
    assert environment["channels"] == ["conda-forge"]
    python = [
        d for d in environment["dependencies"] if isinstance(d, str) and d.startswith("python")
    ]
    assert python == ["python" + pyproject["project"]["requires-python"]]
    _, pip_entries = conda_requirements(environment)
    assert "-e ." in pip_entries


def test_torch_is_left_to_the_benchmarks(pyproject):
    # A plain `torch` requirement would make pip download gigabytes of CUDA packages.
    assert "torch" not in pyproject_requirements(pyproject)


# --------------------------------------------------------------------------------------------
# requirements/constraints.txt: the lock of tested versions
# --------------------------------------------------------------------------------------------

LOCK = Path("requirements") / "constraints.txt"
PIN = re.compile(r"^([A-Za-z0-9][A-Za-z0-9._-]*)==([A-Za-z0-9.+!_-]+)$")


def lock_pins(text: str) -> list[tuple[str, str]]:
    """``(normalized name, version)`` of each line of a constraints file; anything but a
    comment, a blank or ``name==version`` fails."""
    pins = []
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.split("#", 1)[0].strip()
        if not line:
            continue
        match = PIN.match(line)
        assert match, f"{LOCK}:{number}: {raw!r} is not a plain name==version pin"
        pins.append((normalize(match.group(1)), match.group(2)))
    return pins


def test_lock_pins_every_requirement_once_within_its_bounds(pyproject, repo_root):
    pins = lock_pins((repo_root / LOCK).read_text())
    names = [name for name, _ in pins]
    twice = sorted({name for name in names if names.count(name) > 1})
    assert not twice, f"{LOCK} pins these more than once: {twice}"
    locked = dict(pins)
    declared = pyproject_requirements(pyproject)
    missing = sorted(set(declared) - set(locked))
    assert not missing, (
        f"{LOCK} has no pin for {missing}; refresh it: .venv/bin/python requirements/lock.py"
    )
    outside = {
        name: (locked[name], str(spec))
        for name, spec in declared.items()
        if not spec.contains(locked[name], prereleases=True)
    }
    assert not outside, f"pins outside pyproject.toml's bounds (pin, bounds): {outside}"


def test_lock_leaves_out_the_project_torch_and_the_environments_own_tools(pyproject, repo_root):
    locked = dict(lock_pins((repo_root / LOCK).read_text()))
    # pip refuses a version constraint on a project installed from its folder.
    assert normalize(pyproject["project"]["name"]) not in locked
    # The benchmarks install torch==2.13.0 themselves (see benchmarks/README.md).
    assert "torch" not in locked
    # Each venv brings its own; Python 3.11's setuptools 65.5 does not import on 3.12.
    assert not {"pip", "setuptools"} & set(locked)


def test_course_py_installs_with_the_lock(course, repo_root):
    command = course.pip_install_command(Path("python"), repo_root, "test")
    assert command[command.index("--constraint") + 1] == str(LOCK)
    assert command[-2:] == ["--editable", ".[test]"]


def test_lock_matches_the_environment_course_py_installed(course, repo_root):
    """The versions the suite runs with are the lock's (pip installed with -c)."""
    if Path(sys.prefix).resolve() != (repo_root / ".venv").resolve():
        pytest.skip("the tests are not running in the project's .venv")
    if os.environ.get(course.RUN_MARKER_ENV) != "1":
        pytest.skip("pytest was not started by `course.py test`")
    result = subprocess.run(
        [sys.executable, str(repo_root / "requirements" / "lock.py"), "--check"],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_setuptools_finds_only_the_two_packages(pyproject):
    find = pyproject["tool"]["setuptools"]["packages"]["find"]
    assert set(find["include"]) == {"nnfs_core", "nnfs_core.*", "autograder", "autograder.*"}


def test_every_book_chapter_has_a_marker(pyproject):
    markers = {m.split(":")[0] for m in pyproject["tool"]["pytest"]["ini_options"]["markers"]}
    chapters = {f"ch{n:02d}" for n in range(1, 23)}
    assert chapters <= markers
    assert {"slow", "browser", "grading", "project"} <= markers


# --------------------------------------------------------------------------------------------
# Notebooks are committed without outputs
# --------------------------------------------------------------------------------------------


def committed_notebooks() -> list[Path]:
    root = Path(__file__).resolve().parent.parent / "notebooks"
    return notebook_files(root) if root.is_dir() else []


@pytest.mark.parametrize(
    "notebook", committed_notebooks(), ids=lambda p: p.name if isinstance(p, Path) else str(p)
)
def test_committed_notebook_has_no_outputs(notebook: Path):
    problems = file_problems(notebook)
    assert not problems, (
        f"{notebook}: {'; '.join(problems)}. "
        f"Strip it with: python tests/notebook_hygiene.py --fix {notebook}"
    )


def make_notebook(path: Path, *, with_outputs: bool) -> Path:
    notebook = nbformat.v4.new_notebook()
    cell = nbformat.v4.new_code_cell("print('hello')")
    if with_outputs:
        cell.outputs = [nbformat.v4.new_output("stream", name="stdout", text="hello\n")]
        cell.execution_count = 3
    notebook.cells = [nbformat.v4.new_markdown_cell("# Title"), cell]
    nbformat.write(notebook, path)
    return path


def test_hygiene_check_catches_outputs_and_counts_and_fix_removes_them(tmp_path):
    dirty = make_notebook(tmp_path / "dirty.ipynb", with_outputs=True)
    problems = file_problems(dirty)
    assert any("output" in p for p in problems) and any("execution count" in p for p in problems)
    fix_file(dirty)
    assert file_problems(dirty) == []
    nbformat.validate(nbformat.read(dirty, as_version=4))


def test_hygiene_check_passes_a_clean_notebook_and_skips_checkpoints(tmp_path):
    make_notebook(tmp_path / "clean.ipynb", with_outputs=False)
    (tmp_path / ".ipynb_checkpoints").mkdir()
    make_notebook(tmp_path / ".ipynb_checkpoints" / "clean-checkpoint.ipynb", with_outputs=True)
    assert [p.name for p in notebook_files(tmp_path)] == ["clean.ipynb"]
    assert file_problems(tmp_path / "clean.ipynb") == []


# --------------------------------------------------------------------------------------------
# README and CI
# --------------------------------------------------------------------------------------------


def test_readme_puts_the_two_commands_up_front(repo_root):
    readme = (repo_root / "README.md").read_text(encoding="utf-8")
    first_part = readme[: len(readme) // 3]
    assert README_LAB_COMMAND in first_part
    assert README_TEST_COMMAND in first_part


def test_readme_chapter_table_matches_the_notebooks(repo_root):
    """The README's table of chapters gives each notebook's graded cells and points; it must
    follow the notebooks when a chapter gains or loses a graded piece."""
    readme = (repo_root / "README.md").read_text(encoding="utf-8")
    rows = re.findall(r"^\| (\d+) [^|]+\|[^|]+\| (\d+) \((\d+)\) \|", readme, re.MULTILINE)
    in_readme = {int(chapter): (int(cells), int(points)) for chapter, cells, points in rows}
    in_notebooks = {}
    for path in sorted((repo_root / "notebooks").glob("ch[0-9][0-9]/*.ipynb")):
        graded = [
            cell.metadata["nbgrader"]
            for cell in nbformat.read(path, as_version=4).cells
            if cell.metadata.get("nbgrader", {}).get("grade")
        ]
        chapter = int(path.parent.name[2:])
        cells, points = in_notebooks.get(chapter, (0, 0))
        in_notebooks[chapter] = (cells + len(graded), points + sum(m["points"] for m in graded))
    assert in_readme == in_notebooks


def test_ci_runs_exactly_the_readme_test_command(repo_root):
    script = repo_root / ".ci" / "run"
    lines = [line.strip() for line in script.read_text(encoding="utf-8").splitlines()]
    assert lines[0].startswith("#!") and "bash" in lines[0]
    assert "set -euo pipefail" in lines
    commands = [line for line in lines if line and not line.startswith("#")]
    assert commands[-1] == README_TEST_COMMAND
    assert os.access(script, os.X_OK), ".ci/run is not executable"


def test_ci_script_is_executable_in_git(repo_root):
    listed = subprocess.run(
        ["git", "ls-files", "--stage", ".ci/run"],
        cwd=repo_root,
        capture_output=True,
        text=True,
    )
    if listed.returncode != 0 or not listed.stdout:
        pytest.skip("not a git checkout, or .ci/run not committed yet")
    assert listed.stdout.split()[0] == "100755"


# --------------------------------------------------------------------------------------------
# course.py: the environment is reused, repaired and re-installed only when needed
# --------------------------------------------------------------------------------------------


@pytest.fixture
def fake_project(tmp_path, repo_root) -> Path:
    """A folder with a copy of the real pyproject.toml: enough for the stamp logic."""
    root = tmp_path / "project"
    root.mkdir()
    (root / "pyproject.toml").write_bytes((repo_root / "pyproject.toml").read_bytes())
    return root


class RecordingInstaller:
    def __init__(self):
        self.calls: list[str] = []

    def __call__(self, python: Path, root: Path, extra: str) -> None:
        assert python.exists()
        self.calls.append(extra)


def test_help_explains_both_commands(repo_root):
    result = subprocess.run(
        [sys.executable, str(repo_root / "course.py"), "--help"],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0
    for word in ("lab", "test", "workspace", "pytest", "JupyterLab"):
        assert word in result.stdout


def test_no_arguments_lists_the_commands_and_points_to_help(repo_root):
    result = subprocess.run(
        [sys.executable, str(repo_root / "course.py")], capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 2
    assert "required" not in result.stdout + result.stderr  # not argparse's complaint
    lines = result.stdout.splitlines()
    for command in ("lab", "progress", "test", "--help"):
        assert any(line.startswith(f"python3 course.py {command} ") for line in lines), lines


def test_an_unknown_marker_is_named_before_pytest_starts(repo_root):
    # The README's own example with a typo. Under pytest-xdist pytest reports it as an
    # INTERNALERROR traceback from a worker; course.py names it and stops first.
    result = subprocess.run(
        [sys.executable, str(repo_root / "course.py"), "test", "-m", "ch99 or slow"],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 4
    assert "unknown marker 'ch99'" in result.stdout and "ch01 to ch22" in result.stdout
    assert "INTERNALERROR" not in result.stdout + result.stderr


def test_marker_expressions_are_read_like_pytest_reads_them(course, repo_root):
    known = course.registered_markers(repo_root)
    assert {"ch01", "ch22", "slow", "browser", "grading", "project"} <= known
    assert course.unknown_markers(["-m", "not slow and (ch09 or ch10)"], known) == []
    assert course.unknown_markers(["-m", "ch9 or sloww", "-x"], known) == ["ch9", "sloww"]
    assert course.unknown_markers(["-mbrowsr"], known) == ["browsr"]
    assert course.unknown_markers(["-n", "2", "-k", "notamarker"], known) == []


def test_test_extra_implies_course_extra(course, repo_root):
    assert course.implied_extras(repo_root, "test") == {"test", "course"}
    assert course.implied_extras(repo_root, "course") == {"course"}


def test_second_run_skips_pip_and_says_up_to_date(course, fake_project, tmp_path, capsys):
    venv_dir = tmp_path / "venv"
    installer = RecordingInstaller()
    course.ensure_environment(
        "test", root=fake_project, venv_dir=venv_dir, with_pip=False, installer=installer
    )
    assert installer.calls == ["test"]
    capsys.readouterr()

    course.ensure_environment(
        "test", root=fake_project, venv_dir=venv_dir, with_pip=False, installer=installer
    )
    # `test` pulls in `course`, so `lab` needs no install either.
    course.ensure_environment(
        "course", root=fake_project, venv_dir=venv_dir, with_pip=False, installer=installer
    )
    assert installer.calls == ["test"]
    assert capsys.readouterr().out.count("environment up to date") == 2


def test_changed_pyproject_or_new_package_triggers_install(course, fake_project, tmp_path):
    venv_dir = tmp_path / "venv"
    installer = RecordingInstaller()
    kwargs = dict(root=fake_project, venv_dir=venv_dir, with_pip=False, installer=installer)
    course.ensure_environment("course", **kwargs)
    with open(fake_project / "pyproject.toml", "a", encoding="utf-8") as file:
        file.write("\n# a change\n")
    course.ensure_environment("course", **kwargs)
    (fake_project / "autograder").mkdir()
    (fake_project / "autograder" / "__init__.py").write_text("")
    course.ensure_environment("course", **kwargs)
    course.ensure_environment("course", **kwargs)
    # `course` did not imply `test`.
    course.ensure_environment("test", **kwargs)
    assert installer.calls == ["course", "course", "course", "test"]
    course.ensure_environment("course", **kwargs, reinstall=True)
    assert installer.calls[-1] == "course"


def test_changed_lock_triggers_install(course, fake_project, repo_root, tmp_path):
    venv_dir = tmp_path / "venv"
    installer = RecordingInstaller()
    kwargs = dict(root=fake_project, venv_dir=venv_dir, with_pip=False, installer=installer)
    lock = fake_project / LOCK
    lock.parent.mkdir()
    lock.write_bytes((repo_root / LOCK).read_bytes())
    course.ensure_environment("test", **kwargs)
    course.ensure_environment("test", **kwargs)
    with open(lock, "a", encoding="utf-8") as file:
        file.write("# refreshed\n")
    course.ensure_environment("test", **kwargs)
    assert installer.calls == ["test", "test"]


def test_a_change_during_the_install_leaves_no_stamp(course, fake_project, tmp_path):
    venv_dir = tmp_path / "venv"

    def changing(python, root, extra):
        with open(root / "pyproject.toml", "a", encoding="utf-8") as file:
            file.write("\n# changed while pip ran\n")

    course.ensure_environment(
        "test", root=fake_project, venv_dir=venv_dir, with_pip=False, installer=changing
    )
    assert not course.stamp_is_current(venv_dir, fake_project, "test")


def test_failed_install_leaves_no_stamp(course, fake_project, tmp_path):
    venv_dir = tmp_path / "venv"

    def failing(python, root, extra):
        raise subprocess.CalledProcessError(1, ["pip", "install"])

    with pytest.raises(subprocess.CalledProcessError):
        course.ensure_environment(
            "test", root=fake_project, venv_dir=venv_dir, with_pip=False, installer=failing
        )
    assert not course.stamp_is_current(venv_dir, fake_project, "test")


@pytest.mark.skipif(os.name != "posix", reason="uses a shell script as a fake interpreter")
@pytest.mark.parametrize("fake", ["exit 1", "echo 3.10"], ids=["broken", "too-old"])
def test_broken_or_old_environment_is_recreated(course, fake_project, tmp_path, fake):
    venv_dir = tmp_path / "venv"
    venv.create(venv_dir, with_pip=False, symlinks=True)
    python = course.venv_python(venv_dir)
    (venv_dir / course.STAMP_NAME).write_text("leftover\n")
    python.unlink()
    python.write_text(f"#!/bin/sh\n{fake}\n")
    python.chmod(0o755)
    assert course.python_version(python) in (None, (3, 10))

    installer = RecordingInstaller()
    new_python = course.ensure_environment(
        "course", root=fake_project, venv_dir=venv_dir, with_pip=False, installer=installer
    )
    assert course.python_version(new_python) >= course.MIN_PYTHON
    assert installer.calls == ["course"]
    assert (venv_dir / course.STAMP_NAME).read_text() != "leftover\n"


def test_the_running_environment_is_recorded_as_current(course, repo_root):
    venv_dir = repo_root / ".venv"
    if Path(sys.prefix).resolve() != venv_dir.resolve():
        pytest.skip("the tests are not running in the project's .venv")
    if os.environ.get(course.RUN_MARKER_ENV) != "1":
        pytest.skip("pytest was not started by `course.py test`")
    assert course.stamp_is_current(venv_dir, repo_root, "test"), (
        "a second `python3 course.py test` would run pip again"
    )


def test_pip_check_passes():
    result = subprocess.run(
        [sys.executable, "-m", "pip", "check"], capture_output=True, text=True, timeout=300
    )
    assert result.returncode == 0, result.stdout + result.stderr


# --------------------------------------------------------------------------------------------
# course.py test: every step counts, and "no tests" is a failure
# --------------------------------------------------------------------------------------------


class FakeRun:
    """Stands in for subprocess.call: answers each tool with a chosen exit code."""

    def __init__(self, ruff_check=0, ruff_format=0, pytest=0):
        self.codes = {"check": ruff_check, "format": ruff_format, "pytest": pytest}
        self.commands: list[list[str]] = []

    def __call__(self, command, **kwargs):
        self.commands.append(command)
        if command[2] == "pytest":
            return self.codes["pytest"]
        return self.codes[command[3]]


@pytest.mark.parametrize(
    ("codes", "expected_ok"),
    [
        ({}, True),
        ({"ruff_check": 1}, False),
        ({"ruff_format": 1}, False),
        ({"pytest": 1}, False),
        ({"pytest": 2}, False),
    ],
)
def test_run_test_suite_fails_when_any_step_fails(course, codes, expected_ok):
    run = FakeRun(**codes)
    code = course.run_test_suite(Path("python"), ["-m", "ch10"], run=run)
    assert (code == 0) is expected_ok
    assert [c[2:4] for c in run.commands] == [
        ["ruff", "check"],
        ["ruff", "format"],
        ["pytest", "-m"],
    ]
    assert run.commands[-1][-2:] == ["-m", "ch10"]


def test_no_tests_collected_is_a_failure_with_a_clear_line(course, capsys):
    code = course.run_test_suite(Path("python"), ["-m", "ch99"], run=FakeRun(pytest=5))
    assert code != 0
    assert "collected no tests" in capsys.readouterr().out


@pytest.mark.parametrize(
    ("args", "environ", "expected"),
    [
        ([], {}, ["-n", "2", "--dist", "loadgroup"]),
        (["-m", "ch10"], {}, ["-n", "2", "--dist", "loadgroup"]),
        (["-n", "3"], {}, []),
        (["-n3"], {}, []),
        (["--numprocesses=auto"], {}, []),
        (["-p", "no:xdist"], {}, []),
        ([], {"NNFS_TEST_WORKERS": "1"}, []),
        ([], {"NNFS_TEST_WORKERS": "3"}, ["-n", "3", "--dist", "loadgroup"]),
    ],
)
def test_test_command_spreads_over_the_cores_unless_told(
    course, monkeypatch, args, environ, expected
):
    monkeypatch.setattr(course.os, "cpu_count", lambda: 2)
    assert course.parallel_arguments(args, environ) == expected


def test_test_command_caps_its_default_workers(course, monkeypatch):
    monkeypatch.setattr(course.os, "cpu_count", lambda: 64)
    assert course.parallel_arguments([], {})[:2] == ["-n", str(course.MAX_DEFAULT_WORKERS)]


def test_a_bad_worker_count_says_what_it_expected(course):
    with pytest.raises(SystemExit, match="NNFS_TEST_WORKERS='two' is not a number of workers"):
        course.parallel_arguments([], {"NNFS_TEST_WORKERS": "two"})


def test_tests_that_share_a_fixture_share_an_xdist_worker(request):
    """tests/conftest.py groups by file, the browser folder as one, notebooks one by one."""
    from conftest import xdist_group_of

    class Item:
        def __init__(self, path, params=None):
            self.path = path
            if params is not None:
                self.callspec = type("CallSpec", (), {"params": params})()

    tests = Path(__file__).resolve().parent
    assert xdist_group_of(Item(tests / "test_grading.py")) == "test_grading.py"
    assert xdist_group_of(Item(tests / "browser" / "test_lab.py")) == "browser"
    notebook = tests.parent / "notebooks" / "ch10" / "ch10_optimizers.ipynb"
    item = Item(tests / "test_notebooks.py", {"path": notebook})
    assert xdist_group_of(item) == "notebook:ch10_optimizers"
    assert xdist_group_of(Item(tests / "test_notebooks.py", {})) == "test_notebooks.py"
    marks = [m.args for m in request.node.iter_markers("xdist_group")]
    assert marks == [("test_project.py",)]


# --------------------------------------------------------------------------------------------
# course.py test: Chromium for the browser tests comes from apt-get, and only when missing
# --------------------------------------------------------------------------------------------


class FakeApt:
    """Stands in for subprocess.run on apt-get; "installs" Chromium by creating the file."""

    def __init__(self, chromium: Path, fail_on: str | None = None):
        self.chromium = chromium
        self.fail_on = fail_on
        self.commands: list[list[str]] = []
        self.environs: list[dict] = []

    def __call__(self, command, *, env, **kwargs):
        self.commands.append(command)
        self.environs.append(env)
        if self.fail_on in command:
            return subprocess.CompletedProcess(command, 100, "", "E: Unable to locate package")
        if "install" in command:
            self.chromium.write_text("#!/bin/sh\n")
            self.chromium.chmod(0o755)
        return subprocess.CompletedProcess(command, 0, "", "")


@pytest.fixture
def no_chromium(course, tmp_path, monkeypatch) -> Path:
    chromium = tmp_path / "usr-bin-chromium"
    monkeypatch.setattr(course, "CHROMIUM", chromium)
    return chromium


def which_apt(name):
    return "/usr/bin/apt-get" if name == "apt-get" else None


def test_chromium_present_means_nothing_to_install(course, no_chromium, capsys):
    no_chromium.write_text("#!/bin/sh\n")
    no_chromium.chmod(0o755)
    apt = FakeApt(no_chromium)
    assert course.prepare_test_system(environ={}, run=apt, which=which_apt, euid=0)
    assert apt.commands == []
    assert capsys.readouterr().out == ""


def test_missing_chromium_is_installed_with_apt_get_as_root(course, no_chromium, capsys):
    apt = FakeApt(no_chromium)
    assert course.prepare_test_system(environ={}, run=apt, which=which_apt, euid=0)
    assert apt.commands == [
        ["/usr/bin/apt-get", "-q", "update"],
        ["/usr/bin/apt-get", "-q", "install", "-y", "--no-install-recommends", "chromium"],
    ]
    assert all(env["DEBIAN_FRONTEND"] == "noninteractive" for env in apt.environs)
    out = capsys.readouterr().out
    assert "installing Debian's chromium" in out
    assert "apt-get -q install -y --no-install-recommends chromium" in out
    assert f"installed {no_chromium}" in out


@pytest.mark.parametrize(
    ("euid", "which", "why"),
    [(1000, which_apt, "not running as root"), (0, lambda name: None, "no apt-get")],
)
def test_missing_chromium_without_root_or_apt_says_how_to_install(
    course, no_chromium, capsys, euid, which, why
):
    apt = FakeApt(no_chromium)
    assert not course.prepare_test_system(environ={}, run=apt, which=which, euid=euid)
    assert apt.commands == []
    out = capsys.readouterr().out
    assert why in out
    assert "sudo apt-get install chromium" in out
    assert course.ALLOW_NO_BROWSER_ENV in out


def test_failed_apt_get_says_so_and_how_to_install(course, no_chromium, capsys):
    apt = FakeApt(no_chromium, fail_on="install")
    assert not course.prepare_test_system(environ={}, run=apt, which=which_apt, euid=0)
    out = capsys.readouterr().out
    assert "FAILED to install chromium (exit code 100)" in out
    assert "Unable to locate package" in out
    assert "sudo apt-get install chromium" in out


def test_allow_no_browser_or_own_chromium_installs_nothing(course, no_chromium, tmp_path, capsys):
    apt = FakeApt(no_chromium)
    environ = {course.ALLOW_NO_BROWSER_ENV: "1"}
    assert not course.prepare_test_system(environ=environ, run=apt, which=which_apt, euid=0)
    assert "will be skipped" in capsys.readouterr().out
    environ = {course.CHROMIUM_ENV: str(tmp_path / "nowhere" / "chrome")}
    assert not course.prepare_test_system(environ=environ, run=apt, which=which_apt, euid=0)
    assert "is not an executable file" in capsys.readouterr().out
    assert apt.commands == []
    assert course.chromium_executable(environ) == tmp_path / "nowhere" / "chrome"
    assert course.chromium_executable({}) == no_chromium


# --------------------------------------------------------------------------------------------
# course.py lab: the workspace, and a real JupyterLab
# --------------------------------------------------------------------------------------------


def nbgrader_notebook(solution: str) -> nbformat.NotebookNode:
    """A one-exercise nbgrader source notebook: a solution cell and a locked test cell."""
    exercise = nbformat.v4.new_code_cell(
        f"def answer():\n    ### BEGIN SOLUTION\n    return {solution}\n    ### END SOLUTION",
        id="exercise",  # stable ids, as a course's notebooks keep them from release to release
    )
    exercise.metadata["nbgrader"] = {
        "grade": False, "solution": True, "locked": False, "task": False,
        "grade_id": "answer", "schema_version": 3,
    }  # fmt: skip
    test = nbformat.v4.new_code_cell(f"assert answer() == {solution}", id="test")
    test.metadata["nbgrader"] = {
        "grade": True, "solution": False, "locked": True, "task": False,
        "grade_id": "test_answer", "points": 1, "schema_version": 3,
    }  # fmt: skip
    return nbformat.v4.new_notebook(cells=[exercise, test])


@pytest.mark.slow
def test_seed_workspace_puts_released_notebooks_and_never_overwrites(course, tmp_path):
    source = tmp_path / "notebooks"
    for chapter in ("ch09", "ch10", "ch11"):
        (source / chapter).mkdir(parents=True)
        nbformat.write(nbgrader_notebook("42"), source / chapter / f"{chapter}_nb.ipynb")
    (source / "ch10" / "helper.txt").write_text("not a notebook")
    (source / "_build").mkdir()
    (source / "_build" / "draft.ipynb").write_text("{}")
    workspace = tmp_path / "learner" / "workspace"

    def seed():
        return course.seed_workspace(Path(sys.executable), source, workspace, run=captured)

    def captured(command, env=None):
        result = subprocess.run(command, env=env, capture_output=True, text=True, timeout=300)
        output.append(result.stdout + result.stderr)
        return result.returncode

    output: list[str] = []
    assert seed() == 0, output[-1]
    mine = workspace / "ch09" / "ch09_nb.ipynb"
    released = mine.read_text()
    assert "NotImplementedError" in released and "return 42" not in released
    assert "BEGIN SOLUTION" not in released
    assert not (workspace / "ch10" / "helper.txt").exists()
    assert not (workspace / "_build").exists()

    # The learner works on ch09, deletes ch10 and leaves ch11; then every chapter changes.
    mine.write_text(released.replace("raise NotImplementedError()", "return 41"))
    (workspace / "ch10" / "ch10_nb.ipynb").unlink()
    for chapter in ("ch09", "ch10", "ch11"):
        nbformat.write(nbgrader_notebook("43"), source / chapter / f"{chapter}_nb.ipynb")
    assert seed() == 0, output[-1]
    assert "return 41" in mine.read_text()
    beside = sorted((workspace / "ch09").glob("ch09_nb.release-*.ipynb"))
    assert len(beside) == 1 and "43" in beside[0].read_text()
    assert "has your own changes" in output[-1] and beside[0].name in output[-1]
    assert "1 cell changed" in output[-1]
    assert "43" in (workspace / "ch10" / "ch10_nb.ipynb").read_text()
    assert "43" in (workspace / "ch11" / "ch11_nb.ipynb").read_text()  # unchanged: updated
    assert not list((workspace / "ch11").glob("*.release-*"))

    # Nothing in the course changes: the next start adds no copy and reports no new version.
    assert seed() == 0, output[-1]
    assert sorted((workspace / "ch09").glob("ch09_nb.release-*.ipynb")) == beside
    assert "changed" not in output[-1] and "beside" not in output[-1], output[-1]


def test_workspace_option_is_taken_out_of_jupyter_arguments(course):
    assert course.split_workspace_option(["--port", "1", "--workspace", "w", "--no-browser"]) == (
        "w",
        ["--port", "1", "--no-browser"],
    )
    assert course.split_workspace_option(["--workspace=x"]) == ("x", [])
    assert course.split_workspace_option(["--no-browser"]) == (None, ["--no-browser"])


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def get_json(url: str):
    with urllib.request.urlopen(url, timeout=5) as response:
        return response.status, json.loads(response.read())


def stop_process_group(process: subprocess.Popen) -> None:
    """Ask JupyterLab to shut down (SIGTERM to the server, which stops its own kernels), then make
    sure nothing of its session is left behind."""
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=30)
    try:
        os.killpg(process.pid, signal.SIGKILL)
    except ProcessLookupError:
        pass


def http_status(url: str) -> int:
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return response.status
    except urllib.error.HTTPError as error:
        return error.code


@pytest.mark.slow
@pytest.mark.skipif(os.name != "posix", reason="stops the server through its process group")
@pytest.mark.parametrize("mode", ["learner", "instructor"])
def test_lab_starts_jupyterlab_on_the_workspace(repo_root, tmp_path, course, mode):
    workspace = tmp_path / "workspace"
    real = committed_notebooks()
    mine = (
        workspace / real[0].relative_to(repo_root / "notebooks")
        if real
        else workspace / "mine" / "mine.ipynb"
    )
    mine.parent.mkdir(parents=True)
    mine.write_text("my own changes, not a notebook from the course")

    port, token = free_port(), secrets.token_hex(16)
    env = dict(os.environ)
    env["JUPYTER_RUNTIME_DIR"] = str(tmp_path / "runtime")
    env["JUPYTER_CONFIG_DIR"] = str(tmp_path / "config")
    log = open(tmp_path / "lab.log", "w+b")
    process = subprocess.Popen(
        [
            sys.executable,
            str(repo_root / "course.py"),
            "lab",
            "--workspace",
            str(workspace),
            "--no-browser",
            f"--port={port}",
            f"--ServerApp.token={token}",
            *(["--instructor"] if mode == "instructor" else []),
        ],
        cwd=repo_root,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    try:
        deadline = time.monotonic() + 120
        status = None
        while time.monotonic() < deadline:
            if process.poll() is not None:
                break
            try:
                status, _ = get_json(f"http://127.0.0.1:{port}/api/status?token={token}")
                break
            except (urllib.error.URLError, ConnectionError, TimeoutError):
                time.sleep(0.5)
        log.seek(0)
        output = log.read().decode(errors="replace")
        assert status == 200, f"JupyterLab did not answer within 120 s:\n{output[-4000:]}"

        # The server's root is the workspace: it lists exactly what course.py put there (but
        # the hidden .nnfs-course folder, where the released versions are remembered).
        _, listing = get_json(f"http://127.0.0.1:{port}/api/contents?token={token}")
        served = {item["name"] for item in listing["content"]}
        assert {p.name for p in workspace.iterdir() if not p.name.startswith(".")} == served
        # JupyterLab itself (not only the server) is there.
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/lab?token={token}", timeout=10) as r:
            assert r.status == 200
            page = r.read().decode()

        # Learner mode: nbgrader's instructor tools are off, in the page and on the server;
        # Validate stays. An instructor keeps them all.
        base = f"http://127.0.0.1:{port}"
        formgrader = http_status(f"{base}/formgrader?token={token}")
        validate = http_status(f"{base}/assignments/validate?token={token}")
        assert validate == 405, validate  # the handler is there (it only answers POST)
        disabled = json.loads(page.split('"disabledExtensions":', 1)[1].split("]", 1)[0] + "]")
        log.seek(0)
        output = log.read().decode(errors="replace")
        if mode == "learner":
            assert formgrader == 404, formgrader
            assert set(course.INSTRUCTOR_LAB_PLUGINS) <= set(disabled), disabled
            assert "@jupyter/nbgrader:validate-assignment" not in disabled
            assert "No nbgrader_config.py file found" not in output, output[-3000:]
        else:
            assert formgrader != 404
            assert not set(course.INSTRUCTOR_LAB_PLUGINS) & set(disabled), disabled
    finally:
        stop_process_group(process)
        log.close()

    assert process.returncode == 0, f"JupyterLab did not shut down cleanly: {process.returncode}"
    assert mine.read_text() == "my own changes, not a notebook from the course"
    for notebook in real:
        assert (workspace / notebook.relative_to(repo_root / "notebooks")).exists()


@pytest.mark.project
def test_course_environment_runs_blas_single_threaded_unless_the_user_chose(course, monkeypatch):
    """Tiny matrix products are far slower when BLAS splits them across busy cores."""
    monkeypatch.delenv("OPENBLAS_NUM_THREADS", raising=False)
    monkeypatch.setenv("OMP_NUM_THREADS", "4")
    env = course.venv_environ(course.ROOT / ".venv")
    assert env["OPENBLAS_NUM_THREADS"] == "1"
    assert env["OMP_NUM_THREADS"] == "4"


class RecordingRun:
    """Stands in for subprocess.run on apt-get: records the commands, "installs" bwrap."""

    def __init__(self, installed: list[str]):
        self.commands: list[list[str]] = []
        self.installed = installed

    def __call__(self, command, **kwargs):
        self.commands.append(list(command))
        if "install" in command:
            self.installed.append("bwrap")
        return subprocess.CompletedProcess(command, 0, "", "")


@pytest.mark.project
def test_the_grading_sandbox_tool_is_installed_when_missing(course, capsys):
    installed: list[str] = []

    def which(name):
        if name == "apt-get":
            return "/usr/bin/apt-get"
        return "/usr/bin/bwrap" if name in installed else None

    run = RecordingRun(installed)
    assert course.prepare_grading_sandbox(run=run, which=which, euid=0)
    assert run.commands[-1][-1] == "bubblewrap" and "install" in run.commands[-1]
    # Present: nothing to do. Not root: a line that says how, nothing run.
    assert course.prepare_grading_sandbox(run=run, which=which, euid=0)
    assert len(run.commands) == 2
    quiet = RecordingRun([])
    assert not course.prepare_grading_sandbox(run=quiet, which=lambda n: None, euid=1000)
    assert quiet.commands == [] and "apt-get install bubblewrap" in capsys.readouterr().out
