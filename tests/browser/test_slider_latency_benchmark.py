"""Smoke test of benchmarks/slider_latency.py: two timed moves of the analytic case in this
session's browser, and its README section handling. No time is asserted, only that a move was
seen from key press to repaint."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from benchmarks import slider_latency  # noqa: E402


@pytest.mark.browser
@pytest.mark.slow
def test_benchmark_times_moves_from_key_press_to_repaint(browser_context, lab_server):
    tabs = slider_latency.measure(
        browser_context, lab_server, [slider_latency.CASES["schedule"]], moves=2, warmup=0
    )
    try:
        (tab,) = tabs
        assert len(tab.samples) == 2
        for sample in tab.samples:
            assert 0 < sample.first_paint_ms <= sample.latency_ms < 60_000
            assert sample.paints >= 1
        table = slider_latency.markdown_table(tabs)
        assert table.count("\n") == 2
        assert "| analytic schedule, bare ipywidgets + ipympl notebook |" in table
    finally:
        for tab in tabs:
            tab.page.page.close()
        lab_server.shutdown_kernels()


@pytest.mark.project
def test_readme_section_is_replaced_between_its_markers_only():
    text = (
        "intro\n<!-- epoch-time:start -->\nkeep\n<!-- epoch-time:end -->\n"
        f"{slider_latency.START_MARKER}\nold\n{slider_latency.END_MARKER}\nafter\n"
    )
    new = slider_latency.replace_section(text, "| new table |")
    assert new == text.replace("\nold\n", "\n| new table |\n")
    with pytest.raises(ValueError, match="slider-latency:start"):
        slider_latency.replace_section("no markers here", "x")


@pytest.mark.project
def test_benchmarks_readme_has_the_slider_latency_markers():
    text = (ROOT / "benchmarks" / "README.md").read_text()
    assert text.count(slider_latency.START_MARKER) == 1
    assert text.count(slider_latency.END_MARKER) == 1
    assert text.index(slider_latency.START_MARKER) < text.index(slider_latency.END_MARKER)
