"""Autograding throughput: submissions per minute against plain nbgrader.

    python benchmarks/grading_throughput.py                  # 16 submissions, all the rows
    python benchmarks/grading_throughput.py --workers 1 2 4 --dask 1 2 4 --rounds 3
    python benchmarks/grading_throughput.py --update-readme  # and write benchmarks/README.md

A real course is made in a temporary folder with ``nnfs-grade init`` and ``release ch09``; N
copies of a correct ch09 submission (the released notebook with the source's solutions filled
in) are collected for N students. Then each row grades a fresh copy of that course and takes
the wall time of the whole command:

* plain nbgrader: ``nbgrader autograde ch09 --force`` with nbgrader's stock configuration (its
  own ``Execute``: a kernel in the grader's process tree, no sandbox, no judging): the peer;
* ``nnfs-grade autograde ch09 --workers W``: sandboxes run ahead on W threads here;
* ``nnfs-grade autograde ch09 --scheduler ...`` on a real Dask cluster of D worker processes
  (one thread each) on this machine; the cluster is started before the clock starts, as an
  instructor's cluster would already be running.

Every nnfs-grade run must give every student full marks and plain nbgrader must grade every
submission, so each row did the same work. The rows take turns round after round; the table
shows the median and the ratio to plain nbgrader of the same round's median.

A last row times the sandbox alone (``autograder.sandbox.run_notebook`` on the same notebook,
one after another): the part of the cost that the workers share out.

``--cpu`` adds where the CPU goes, in CPU seconds per submission: plain nbgrader's whole process
tree; ``nnfs-grade --workers 1``'s own processes (nnfs-grade with its sanitizing ahead, and
nbgrader with its judging and gradebook writes); and one sandbox's process tree (driver, walls,
kernel), read from its control group, both for a whole run and for a sandbox that is started and
abandoned once its kernel is warm (its start-up alone). On C cores no schedule grades N
submissions faster than N times the CPU per submission over C, whatever runs ahead of what:
that bounds the ratio to plain nbgrader that any number of workers can reach.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import date
from importlib.metadata import version
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from benchmarks.epoch_time import replace_section  # noqa: E402

README = Path(__file__).resolve().parent / "README.md"
START_MARKER = "<!-- grading-throughput:start -->"
END_MARKER = "<!-- grading-throughput:end -->"
CHAPTER = "ch09"
NOTEBOOK = "ch09_backpropagation.ipynb"


def nnfs_grade(*args: str) -> subprocess.CompletedProcess:
    env = dict(os.environ, OPENBLAS_NUM_THREADS="1", OMP_NUM_THREADS="1", MKL_NUM_THREADS="1")
    command = [sys.executable, "-m", "autograder.cli", *args]
    result = subprocess.run(command, capture_output=True, text=True, env=env)
    if result.returncode != 0:
        raise RuntimeError(f"nnfs-grade {' '.join(args)} failed:\n{result.stdout}{result.stderr}")
    return result


def solved_submission(course: Path) -> dict:
    """The released notebook with every solution cell taken from the source."""
    release = json.loads((course / "release" / CHAPTER / NOTEBOOK).read_text())
    source = json.loads((course / "source" / CHAPTER / NOTEBOOK).read_text())
    solutions = {
        cell["metadata"]["nbgrader"]["grade_id"]: cell["source"]
        for cell in source["cells"]
        if cell["metadata"].get("nbgrader", {}).get("solution")
    }
    for cell in release["cells"]:
        meta = cell["metadata"].get("nbgrader", {})
        if meta.get("solution"):
            cell["source"] = solutions[meta["grade_id"]]
    return release


def prepare(base: Path, submissions: int) -> tuple[Path, dict]:
    course = base / "course"
    nnfs_grade("init", str(course))
    nnfs_grade("--course", str(course), "release", CHAPTER)
    notebook = solved_submission(course)
    inbox = base / "inbox"
    for number in range(1, submissions + 1):
        path = inbox / f"student{number:03d}" / CHAPTER / NOTEBOOK
        path.parent.mkdir(parents=True)
        path.write_text(json.dumps(notebook))
    nnfs_grade("--course", str(course), "collect", str(inbox))
    return course, notebook


def machine_busy() -> float:
    """CPU seconds the whole machine has spent busy since boot (all cores; /proc/stat).

    Differences of it count every process, sandboxes in other namespaces included, so on a
    quiet machine they are what a run costs in all; other load adds to them."""
    fields = Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]
    ticks = [int(field) for field in fields[:8]]
    idle = ticks[3] + ticks[4]  # idle and iowait
    return (sum(ticks) - idle) / os.sysconf("SC_CLK_TCK")


def grade(
    course: Path, base: Path, options: list[str], label: str, submissions: int
) -> tuple[float, float]:
    """``nnfs-grade autograde`` on a copy of ``course``: (wall seconds, machine CPU-s)."""
    copy = base / label
    shutil.copytree(course, copy)
    busy = machine_busy()
    started = time.perf_counter()
    nnfs_grade("--course", str(copy), "autograde", CHAPTER, *options)
    seconds = time.perf_counter() - started
    busy = machine_busy() - busy
    report = json.loads(nnfs_grade("--course", str(copy), "export", "--format", "json").stdout)
    scores = [s[CHAPTER]["score"] == s[CHAPTER]["max_score"] for s in report["students"].values()]
    if len(scores) != submissions or not all(scores):
        raise RuntimeError(f"{label}: not every submission got full marks")
    shutil.rmtree(copy)
    return seconds, busy


STOCK_CONFIG = """\
c = get_config()  # noqa: F821
c.CourseDirectory.course_id = {course_id!r}
c.CourseDirectory.ignore = {ignore!r}
"""


def grade_plain(course: Path, base: Path, label: str, submissions: int) -> tuple[float, float]:
    """Plain ``nbgrader autograde`` with nbgrader's own configuration, the peer: (wall
    seconds, machine CPU-s)."""
    from autograder.course_config import NBGRADER_IGNORE

    copy = base / label
    shutil.copytree(course, copy)
    state = json.loads((copy / "nnfs-course.json").read_text())
    config = STOCK_CONFIG.format(course_id=state["course_id"], ignore=list(NBGRADER_IGNORE))
    (copy / "nbgrader_config.py").write_text(config)
    env = dict(os.environ, OPENBLAS_NUM_THREADS="1", OMP_NUM_THREADS="1", MKL_NUM_THREADS="1")
    nbgrader = Path(sys.executable).with_name("nbgrader")
    busy = machine_busy()
    started = time.perf_counter()
    result = subprocess.run(
        [str(nbgrader), "autograde", CHAPTER, "--force"],
        cwd=copy,
        capture_output=True,
        text=True,
        env=env,
    )
    seconds = time.perf_counter() - started
    busy = machine_busy() - busy
    graded = list((copy / "autograded").glob(f"*/{CHAPTER}/{NOTEBOOK}"))
    if result.returncode != 0 or len(graded) != submissions:
        raise RuntimeError(f"plain nbgrader failed:\n{result.stdout}{result.stderr}")
    shutil.rmtree(copy)
    return seconds, busy


def sandbox_alone(notebook: dict, count: int) -> tuple[float, dict]:
    from autograder.sandbox import OK, run_notebook

    text = json.dumps(notebook)
    started = time.perf_counter()
    isolation = {}
    for _ in range(count):
        result = run_notebook(text)
        if result.status != OK:
            raise RuntimeError(f"the sandbox run failed: {result.message}")
        isolation = result.isolation
    return time.perf_counter() - started, isolation


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


class GroupCpu:
    """The CPU time of each sandbox's process tree, read from its control group before it is
    removed: ``cpu.stat`` on cgroup v2; on v1 each group also gets a folder in the ``cpuacct``
    hierarchy (the sandbox's first process joins every folder of its budget). A sandbox's
    processes are not children this process waits for, so ``RUSAGE_CHILDREN`` misses them."""

    def __init__(self) -> None:
        from autograder import cgroups

        self.cgroups, self.seconds = cgroups, []
        self._create, self._remove = cgroups.create, cgroups.Budget.remove
        cpuacct = cgroups.ROOT / "cpuacct"
        create, remove, seconds = self._create, self._remove, self.seconds

        def counted_create(memory_bytes: int, max_processes: int):
            budget, why = create(memory_bytes, max_processes)
            if budget is not None and budget.version == 1 and (cpuacct / "cgroup.procs").exists():
                folder = cpuacct / budget.folders[0].name
                folder.mkdir()
                budget.folders.append(folder)
            return budget, why

        def counted_remove(budget) -> None:
            budget.kill_all()
            for folder in budget.folders:
                for name in ("cpu.stat", "cpuacct.usage"):
                    try:
                        text = (folder / name).read_text()
                    except OSError:
                        continue
                    if name == "cpu.stat":
                        fields = dict(line.split() for line in text.splitlines())
                        seconds.append(int(fields["usage_usec"]) / 1e6)
                    else:
                        seconds.append(int(text) / 1e9)
            remove(budget)

        cgroups.create, cgroups.Budget.remove = counted_create, counted_remove

    def close(self) -> None:
        self.cgroups.create, self.cgroups.Budget.remove = self._create, self._remove


def cpu_accounting(course: Path, base: Path, notebook: dict, submissions: int) -> dict:
    """CPU seconds per submission of each part (see the module's docstring, ``--cpu``)."""
    from autograder.sandbox import OK, start

    parts = {}
    before = _children_cpu()
    grade_plain(course, base, "cpu-plain", submissions)
    parts["plain"] = (_children_cpu() - before) / submissions
    before = _children_cpu()
    grade(course, base, ["--workers", "1"], "cpu-w1", submissions)
    parts["grader"] = (_children_cpu() - before) / submissions
    counter = GroupCpu()
    try:
        text, runs = json.dumps(notebook), min(submissions, 6)
        for _ in range(runs):
            started = start()
            result = started.finish(text)
            if result.status != OK:
                raise RuntimeError(f"the sandbox run failed: {result.message}")
        for _ in range(runs):
            started = start()
            while started.events.last("kernel") is None and started.process.poll() is None:
                time.sleep(0.05)
            time.sleep(3)  # the warm imports run after the kernel event
            started.abandon()
    finally:
        counter.close()
    if len(counter.seconds) != 2 * runs:
        raise RuntimeError("no CPU accounting for the sandboxes' control groups here")
    parts["sandbox"] = statistics.median(counter.seconds[:runs])
    parts["startup"] = statistics.median(counter.seconds[runs:])
    return parts


def cpu_markdown(parts: dict, submissions: int) -> str:
    ours = parts["grader"] + parts["sandbox"]
    cores = os.cpu_count() or 1
    floor = ours * submissions / cores
    lines = [
        "| CPU seconds per submission | |",
        "|---|---:|",
        f"| plain `nbgrader autograde`: nbgrader and its kernels | {parts['plain']:.2f} |",
        f"| `nnfs-grade`: its process and nbgrader's (sanitizing, judging, gradebook)"
        f" | {parts['grader']:.2f} |",
        f"| one sandbox, whole run (driver, walls, kernel, notebook) | {parts['sandbox']:.2f} |",
        f"| &nbsp;&nbsp;of which its start-up (driver, walls, kernel, warm imports)"
        f" | {parts['startup']:.2f} |",
        f"| `nnfs-grade`, all parts | {ours:.2f} |",
        "",
        f"On {cores} cores no schedule grades {submissions} submissions in less than"
        f" {floor:.1f} s ({ours:.2f} CPU-s each over {cores} cores), while plain nbgrader, one"
        f" submission after another, needs {parts['plain'] * submissions:.1f} s of CPU: where"
        f" its wall time is close to its CPU time (an idle machine), no number of workers gets"
        f" beyond about {cores * parts['plain'] / ours:.2f}× its throughput.",
    ]
    return "\n".join(lines)


def markdown(rows: list[tuple[str, float, str, float | None]], submissions: int) -> str:
    peer = rows[0][1]
    lines = [
        "| run | wall time | per submission | submissions / minute | vs plain nbgrader |"
        " paired ratios (per round) | machine CPU-s per submission |",
        "|---|---:|---:|---:|---:|---|---:|",
    ]
    for label, seconds, paired, cpu in rows:
        lines.append(
            f"| {label} | {seconds:.1f} s | {seconds / submissions:.2f} s"
            f" | {60 * submissions / seconds:.1f} | {peer / seconds:.2f}× | {paired}"
            f" | {'–' if cpu is None else f'{cpu:.2f}'} |"
        )
    return "\n".join(lines)


def machine() -> str:
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return f"{os.cpu_count()} CPUs ({cpu}), {platform.system()} {platform.release()}"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--submissions", type=int, default=16, help="copies to grade (16)")
    parser.add_argument("--workers", type=int, nargs="+", default=[1, 2], help="(1 2)")
    parser.add_argument(
        "--dask", type=int, nargs="*", default=[1, 2, 4], help="Dask worker processes (1 2 4)"
    )
    parser.add_argument("--rounds", type=int, default=1, help="runs of every row (1)")
    parser.add_argument("--cpu", action="store_true", help="add where the CPU goes")
    parser.add_argument("--update-readme", action="store_true", help=f"rewrite {README.name}")
    options = parser.parse_args(argv)
    sys.path.insert(0, str(ROOT / "tests"))
    from dask_cluster import local_cluster

    rows = [("plain", "plain `nbgrader autograde` (stock Execute, no sandbox)")]
    rows += [(f"w{w}", f"`nnfs-grade autograde --workers {w}`") for w in options.workers]
    rows += [
        (f"d{d}", f"`nnfs-grade autograde --scheduler`, {d} Dask worker(s)") for d in options.dask
    ]
    times: dict[str, list[float]] = {key: [] for key, _ in rows}
    busy: dict[str, list[float]] = {key: [] for key, _ in rows}
    loads = []
    with tempfile.TemporaryDirectory(prefix="nnfs-throughput-") as name:
        base = Path(name)
        course, notebook = prepare(base, options.submissions)
        for round_number in range(options.rounds):
            for key, _ in rows:
                label = f"{key}-r{round_number}"
                loads.append(os.getloadavg()[0])
                if key == "plain":
                    seconds, cpu = grade_plain(course, base, label, options.submissions)
                elif key.startswith("w"):
                    flags = ["--workers", key[1:]]
                    seconds, cpu = grade(course, base, flags, label, options.submissions)
                else:
                    with local_cluster(int(key[1:])) as cluster:
                        flags = ["--scheduler", cluster.address]
                        seconds, cpu = grade(course, base, flags, label, options.submissions)
                times[key].append(seconds)
                busy[key].append(cpu / options.submissions)
                print(f"{key} round {round_number + 1}: {seconds:.1f} s", flush=True)
        alone, isolation = sandbox_alone(notebook, options.submissions)
        print(f"sandbox alone: {alone:.1f} s", flush=True)
        parts = cpu_accounting(course, base, notebook, options.submissions) if options.cpu else None

    def paired(key: str) -> str:
        ratios = [p / t for p, t in zip(times["plain"], times[key], strict=True)]
        return " ".join(f"{r:.2f}×" for r in ratios)

    table = [
        (label, statistics.median(times[key]), paired(key), statistics.median(busy[key]))
        for key, label in rows
    ]
    table.append(("sandbox alone, one after another (no nbgrader)", alone, "", None))
    layers = [
        k for k in ("mount_namespace", "network_namespace", "workdir_tmpfs") if isolation.get(k)
    ]
    body = "\n".join(
        [
            f"Measured {date.today().isoformat()} on {machine()}; Python"
            f" {platform.python_version()}, nbgrader {version('nbgrader')}, nbclient"
            f" {version('nbclient')}, distributed {version('distributed')}."
            f" {options.submissions} submissions of {NOTEBOOK} (9 test cells, 9 hidden probes),"
            f" median of {options.rounds} round(s); load average (1 min) at the start of the"
            f" runs {min(loads):.1f} to {max(loads):.1f}. Sandbox: uid"
            f" {'ephemeral' if isolation.get('uid', 0) != 0 else 'unchanged'},"
            f" {', '.join(layers) or 'no namespaces'}.",
            "",
            markdown(table, options.submissions),
        ]
    )
    if parts is not None:
        body += "\n\n" + cpu_markdown(parts, options.submissions)
    print()
    print(body)
    if options.update_readme:
        README.write_text(replace_section(README.read_text(), body, START_MARKER, END_MARKER))
        print(f"\nwrote {README}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
