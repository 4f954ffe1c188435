"""Autograding throughput: submissions per minute, serial against ``--workers N``.

    python benchmarks/grading_throughput.py                     # 16 submissions, workers 1 and 2
    python benchmarks/grading_throughput.py --submissions 16 --workers 1 2 4
    python benchmarks/grading_throughput.py --update-readme     # and write benchmarks/README.md

A real course is made in a temporary folder with ``nnfs-grade init`` and ``release ch09``; N
copies of a correct ch09 submission (the released notebook with the source's solutions filled
in) are collected for N students; then, for each worker count, a fresh copy of that course is
graded with ``nnfs-grade autograde ch09 --workers W`` and the wall time of the whole command is
taken: nbgrader's start-up, sanitizing, the sandboxes, judging and writing the gradebook. Every
run must give every student full marks, so each row did the same work. Worker counts take turns
round after round; the table shows the median.

A last row times the sandbox alone (``autograder.sandbox.run_notebook`` on the same notebook,
one after another): the part of the cost that parallel grading spreads over the workers.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
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


def grade(course: Path, base: Path, workers: int, label: str, submissions: int) -> float:
    copy = base / label
    shutil.copytree(course, copy)
    started = time.perf_counter()
    nnfs_grade("--course", str(copy), "autograde", CHAPTER, "--workers", str(workers))
    seconds = time.perf_counter() - started
    report = json.loads(nnfs_grade("--course", str(copy), "export", "--format", "json").stdout)
    scores = [s[CHAPTER]["score"] == s[CHAPTER]["max_score"] for s in report["students"].values()]
    if len(scores) != submissions or not all(scores):
        raise RuntimeError(f"{label}: not every submission got full marks")
    shutil.rmtree(copy)
    return seconds


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


def markdown(rows: list[tuple[str, float]], submissions: int) -> str:
    serial = rows[0][1]
    lines = [
        "| run | wall time | per submission | submissions / minute | speed-up |",
        "|---|---:|---:|---:|---:|",
    ]
    for label, seconds in rows:
        lines.append(
            f"| {label} | {seconds:.1f} s | {seconds / submissions:.2f} s"
            f" | {60 * submissions / seconds:.1f} | {serial / seconds:.2f}× |"
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
    parser.add_argument("--rounds", type=int, default=1, help="runs per worker count (1)")
    parser.add_argument("--update-readme", action="store_true", help=f"rewrite {README.name}")
    options = parser.parse_args(argv)

    with tempfile.TemporaryDirectory(prefix="nnfs-throughput-") as name:
        base = Path(name)
        course, notebook = prepare(base, options.submissions)
        times: dict[int, list[float]] = {w: [] for w in options.workers}
        for round_number in range(options.rounds):
            for workers in options.workers:
                label = f"w{workers}-r{round_number}"
                seconds = grade(course, base, workers, label, options.submissions)
                times[workers].append(seconds)
                print(f"workers={workers} round={round_number + 1}: {seconds:.1f} s", flush=True)
        alone, isolation = sandbox_alone(notebook, options.submissions)
        print(f"sandbox alone: {alone:.1f} s", flush=True)

    rows = [
        (
            "`autograde --workers 1` (serial)" if w == 1 else f"`autograde --workers {w}`",
            statistics.median(times[w]),
        )
        for w in options.workers
    ]
    rows.append(("sandbox alone, one after another", alone))
    layers = [
        k for k in ("mount_namespace", "network_namespace", "workdir_tmpfs") if isolation.get(k)
    ]
    body = "\n".join(
        [
            f"Measured {date.today().isoformat()} on {machine()}; Python"
            f" {platform.python_version()}, nbgrader {version('nbgrader')}, nbclient"
            f" {version('nbclient')}. {options.submissions} submissions of {NOTEBOOK} (9 test"
            f" cells, 9 hidden probes), median of {options.rounds} round(s). Sandbox: uid"
            f" {'ephemeral' if isolation.get('uid', 0) != 0 else 'unchanged'},"
            f" {', '.join(layers) or 'no namespaces'}.",
            "",
            markdown(rows, options.submissions),
        ]
    )
    print()
    print(body)
    if options.update_readme:
        README.write_text(replace_section(README.read_text(), body, START_MARKER, END_MARKER))
        print(f"\nwrote {README}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
