"""Slider latency: from a key press on a lab's slider to the redrawn figure, in a real browser.

JupyterLab runs from the project's environment, Debian's Chromium (headless, through Playwright)
shows the notebooks, and for each case a slider is moved one step at a time with the keyboard.
The time of a move runs from the key press (the keydown event's timestamp in the page) to the
last time the figure's canvas was painted for that move (ipympl copies each new image onto the
canvas; a hook counts those copies), so it covers the widget message to the kernel, the
kernel's work, matplotlib's rendering, the PNG's trip back and its painting.

    python benchmarks/slider_latency.py                  # about two minutes; prints the table
    python benchmarks/slider_latency.py --update-readme  # and writes it into benchmarks/README.md
    python benchmarks/slider_latency.py --moves 5 --cases schedule optimizer-lab

Cases: the analytic schedule lr / (1 + decay · t) in a bare ipywidgets + ipympl notebook and in
nnfs_core's ScheduleExplorer (continuous sliders); a 1,000-epoch retrain of chapter 10's model on
release, in a bare notebook (a plain training loop) and in nnfs_core's OptimizerLab. All notebooks
are open at once, each in its own tab and kernel, and the moves take turns between them, so
load from elsewhere on the machine falls on every case alike. Each move sets a value not seen
before (the optimizer lab would otherwise answer from its cache).
"""

from __future__ import annotations

import argparse
import datetime
import os
import platform
import re
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from importlib.metadata import version
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT / "tests") not in sys.path:
    # The browser machinery lives with the browser tests: tests/browser/jupyterlab.py.
    sys.path.insert(0, str(ROOT / "tests"))

from browser import notebooks  # noqa: E402
from browser.jupyterlab import (  # noqa: E402
    LabView,
    NotebookPage,
    Slider,
    chromium_context,
    chromium_executable,
    running_lab,
)

README = Path(__file__).resolve().parent / "README.md"
START_MARKER = "<!-- slider-latency:start -->"
END_MARKER = "<!-- slider-latency:end -->"

TRAINING = ("training…", "stopping…")
# How long a figure must stay unpainted (and its lab not busy) before a move counts as done.
# It only decides when to stop waiting; the time measured ends at the last paint.
QUIET_MS = 500


@dataclass(frozen=True)
class Case:
    """One row of the table: a notebook with a lab, and the slider to move."""

    key: str
    label: str
    does: str
    write: Callable[[Path], Path]
    title: str | None = None  # text that identifies the lab's output (None: the notebook)
    slider: str = "learning rate"
    arrow: str = "ArrowLeft"  # the direction with room for the most new values
    busy: tuple[str, ...] = ()
    compute: str | None = None  # regex for the kernel's own compute time (s) in the lab's text


CASES = {
    case.key: case
    for case in (
        Case(
            "schedule",
            "analytic schedule, bare ipywidgets + ipympl notebook",
            "evaluate lr / (1 + decay · t) at 10,001 steps; set_ydata, draw_idle",
            lambda folder: notebooks.schedule_lab(folder / "schedule.ipynb"),
        ),
        Case(
            "schedule-explorer",
            "analytic schedule, `ScheduleExplorer()`",
            "the same formula (10,000 steps), title and status line; whole-figure PNG",
            lambda folder: notebooks.lab_notebook(folder / "explorer.ipynb", "ScheduleExplorer"),
            title="Learning-rate decay explorer",
        ),
        Case(
            "retrain",
            "retrain on release, bare notebook (plain training loop)",
            "train chapter 10's model 1,000 epochs (Adam); redraw the loss curve",
            lambda folder: notebooks.retrain_lab(folder / "retrain.ipynb", epochs=1000),
            arrow="ArrowRight",
            compute=r"seconds=([0-9.]+)",
        ),
        Case(
            "optimizer-lab",
            "retrain on release, `OptimizerLab(epochs=1000)`",
            "train the same model 1,000 epochs in a child process; "
            "whole-figure PNG of regions, heat maps, 3 curves",
            lambda folder: notebooks.lab_notebook(
                folder / "optimizer.ipynb", "OptimizerLab", epochs=1000
            ),
            title="Optimizer lab",
            busy=TRAINING,
            compute=r"trained in ([0-9.]+) s",
        ),
    )
}


# Watches a case's output for the first change a person could see after a key press: any
# change to its elements or text (a status line, a progress bar, a figure), except inside
# the slider that was moved (its handle and readout) and the data-nnfs-* attributes that
# the paint hook writes. Only the outputs are watched, not JupyterLab's own kernel-busy
# indicators.
WATCH_CHANGES = r"""scopes => {
  const state = { first: null };
  const seen = mutations => {
    for (const m of mutations) {
      const target = m.target.nodeType === 1 ? m.target : m.target.parentElement;
      if (!target || target.closest('.widget-slider')) continue;
      if (m.type === 'attributes' && m.attributeName.startsWith('data-nnfs')) continue;
      if (state.first === null) state.first = performance.now();
    }
  };
  const observer = new MutationObserver(seen);
  for (const scope of scopes) {
    observer.observe(scope, { subtree: true, childList: true, characterData: true,
                              attributes: true });
  }
  window.__nnfsFirstChange = () => { observer.disconnect(); return state.first; };
}"""


@dataclass
class Sample:
    latency_ms: float  # key press to the last paint of the move
    first_paint_ms: float  # key press to the first paint after it
    first_change_ms: float  # key press to the first change in the case's output
    paints: int
    compute_s: float | None


@dataclass
class Tab:
    """A case's notebook, open and run in its own page."""

    case: Case
    page: NotebookPage
    lab: LabView
    slider: Slider
    samples: list[Sample] = field(default_factory=list)


def open_case(context, server, case: Case) -> Tab:
    folder = server.root / case.key
    folder.mkdir(parents=True, exist_ok=True)
    notebook = case.write(folder)
    page = NotebookPage.open(
        context.new_page(), server, notebook.relative_to(server.root).as_posix()
    )
    page.run_all_cells()
    errors = page.error_outputs()
    if errors:
        raise RuntimeError(f"{case.key}: a cell raised:\n" + "\n".join(errors))
    lab = page.lab(case.title)
    lab.wait_figure()
    lab.wait_settled(0, busy=case.busy, quiet_ms=QUIET_MS)
    return Tab(case, page, lab, lab.slider(case.slider))


def move_once(tab: Tab) -> Sample:
    """One key press on the case's slider, timed to the end of the redraw."""
    tab.page.page.bring_to_front()
    before, draws = tab.slider.value_text, tab.lab.draws()
    outputs = tab.page.panel.locator(".jp-OutputArea-output")
    outputs.evaluate_all(WATCH_CHANGES)
    pressed = tab.slider.press(tab.case.arrow)
    done = tab.lab.wait_settled(draws, busy=tab.case.busy, quiet_ms=QUIET_MS)
    if tab.slider.value_text == before:
        raise RuntimeError(
            f"{tab.case.key}: {tab.case.arrow} did not move the slider (at its end?)"
        )
    paints = [t for t in tab.lab.draw_times()[draws:] if t >= pressed]
    compute = None
    if tab.case.compute:
        found = re.findall(tab.case.compute, tab.lab.text())
        compute = float(found[-1]) if found else None
    errors = tab.page.render_errors()
    if errors:
        raise RuntimeError(f"{tab.case.key}: the page shows {errors}")
    changed = tab.page.page.evaluate("window.__nnfsFirstChange()")
    first_change = (changed if changed is not None else paints[0]) - pressed
    return Sample(done - pressed, paints[0] - pressed, first_change, len(paints), compute)


def measure(context, server, cases, *, moves: int, warmup: int = 1, log=None) -> list[Tab]:
    """Open every case's notebook, then take turns: one move per case per round."""
    tabs = []
    for case in cases:
        if log:
            log(f"opening and running {case.key}")
        tabs.append(open_case(context, server, case))
    for round_ in range(warmup + moves):
        for tab in tabs[round_ % len(tabs) :] + tabs[: round_ % len(tabs)]:
            sample = move_once(tab)
            if round_ >= warmup:
                tab.samples.append(sample)
        if log:
            done = round_ - warmup + 1
            log(f"round {done}/{moves}" if done > 0 else f"warm-up round {round_ + 1}")
    return tabs


# --------------------------------------------------------------------------------------------
# The table
# --------------------------------------------------------------------------------------------


def quartiles(values: list[float]) -> tuple[float, float, float]:
    if len(values) == 1:
        return values[0], values[0], values[0]
    q1, q2, q3 = statistics.quantiles(values, n=4, method="inclusive")
    return q1, q2, q3


def markdown_table(tabs: list[Tab]) -> str:
    lines = [
        "| case | a move does | moves | key → redrawn, median (ms) | p25 – p75 | min – max "
        "| first change, median (ms) | first paint, median (ms) | paints per move "
        "| kernel compute, median (ms) |",
        "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for tab in tabs:
        latency = [s.latency_ms for s in tab.samples]
        q1, q2, q3 = quartiles(latency)
        first = statistics.median(s.first_paint_ms for s in tab.samples)
        change = statistics.median(s.first_change_ms for s in tab.samples)
        paints = statistics.median(s.paints for s in tab.samples)
        computes = [s.compute_s for s in tab.samples if s.compute_s is not None]
        compute = f"{statistics.median(computes) * 1000:.0f}" if computes else "–"
        lines.append(
            f"| {tab.case.label} | {tab.case.does} | {len(latency)} | {q2:.0f} "
            f"| {q1:.0f} – {q3:.0f} | {min(latency):.0f} – {max(latency):.0f} | {change:.0f} "
            f"| {first:.0f} "
            f"| {paints:g} | {compute} |"
        )
    return "\n".join(lines)


def machine_report() -> str:
    model = platform.processor() or "unknown CPU"
    try:
        with open("/proc/cpuinfo") as fh:
            model = next(
                (line.split(":", 1)[1].strip() for line in fh if line.startswith("model name")),
                model,
            )
    except OSError:
        pass
    usable = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    load = ", ".join(f"{x:.2f}" for x in os.getloadavg()) if hasattr(os, "getloadavg") else "n/a"
    return (
        f"{model}, {os.cpu_count()} logical cores ({usable} usable), {platform.system()} "
        f"{platform.release()}; load average at start {load}"
    )


def section_text(tabs: list[Tab], args: list[str], machine: str, browser: str) -> str:
    now = datetime.datetime.now(datetime.UTC).strftime("%Y-%m-%d %H:%M UTC")
    command = ("python benchmarks/slider_latency.py " + " ".join(args)).strip()
    packages = ", ".join(
        f"{name} {version(name)}"
        for name in ("jupyterlab", "ipywidgets", "ipympl", "matplotlib", "numpy", "playwright")
    )
    return "\n".join(
        [
            f"Measured {now} with `{command}`.",
            "",
            f"- {packages}, Python {platform.python_version()}",
            f"- Browser: {browser}, headless",
            f"- Machine: {machine}",
            "",
            markdown_table(tabs),
        ]
    )


def replace_section(text: str, body: str) -> str:
    """``text`` with everything between the slider-latency markers replaced by ``body``."""
    pattern = re.compile(re.escape(START_MARKER) + r".*?" + re.escape(END_MARKER), re.DOTALL)
    if not pattern.search(text):
        raise ValueError(
            f"markers {START_MARKER!r} and {END_MARKER!r} not found in {README.name}; restore "
            "them in the Slider latency section and run again."
        )
    return pattern.sub(lambda _: f"{START_MARKER}\n{body.strip()}\n{END_MARKER}", text, count=1)


def browser_version(context, page) -> str:
    """The browser's product and version, e.g. HeadlessChrome/156.0.8078.79 (the user agent
    string rounds the version to 156.0.0.0)."""
    session = context.new_cdp_session(page)
    try:
        return session.send("Browser.getVersion")["product"]
    finally:
        session.detach()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--moves", type=int, default=12, help="timed moves per case")
    parser.add_argument("--warmup", type=int, default=1, help="untimed moves per case first")
    parser.add_argument("--cases", nargs="+", choices=list(CASES), default=list(CASES))
    parser.add_argument(
        "--update-readme", action="store_true", help=f"rewrite the marked section of {README}"
    )
    argv = sys.argv[1:] if argv is None else argv
    args = parser.parse_args(argv)
    from playwright.sync_api import sync_playwright

    def log(message: str) -> None:
        print(message, file=sys.stderr, flush=True)

    machine = machine_report()
    started = time.monotonic()
    with tempfile.TemporaryDirectory(prefix="slider-latency-") as tmp:
        home = Path(tmp)
        (home / "root").mkdir()
        with (
            running_lab(home / "root", home) as server,
            sync_playwright() as playwright,
            chromium_context(playwright, home / "profile", chromium_executable()) as context,
        ):
            tabs = measure(
                context,
                server,
                [CASES[key] for key in args.cases],
                moves=args.moves,
                warmup=args.warmup,
                log=log,
            )
            browser = f"Debian's Chromium {browser_version(context, tabs[0].page.page)}"
    log(f"done in {time.monotonic() - started:.0f} s")
    body = section_text(tabs, [a for a in argv if a != "--update-readme"], machine, browser)
    print(body)
    if args.update_readme:
        README.write_text(replace_section(README.read_text(), body))
        print(f"updated {README}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
