"""The named rate each check has reached, stored so that a test can hold it there.

``floors.json`` maps a check's name to ``{"named_rate": r, "mutants": n}``: the share of its
wrong, non-raising mutants the judge named when the floors were last written, rounded down to
three decimals. ``tests/test_mutation.py`` fails when a check falls below its floor. Raise a
floor by raising the catalogue, then ``python -m autograder.mutation --write-floors``; a floor
never goes down on its own (writing keeps the higher of the old and new rate for a check
whose rate fell, so a drop has to be a deliberate edit of the file).
"""

from __future__ import annotations

import json
import math
from pathlib import Path

from .runner import CheckReport

FLOORS = Path(__file__).with_name("floors.json")


def read_floors(path: Path = FLOORS) -> dict[str, dict[str, float]]:
    return json.loads(path.read_text())


def write_floors(reports: list[CheckReport], path: Path = FLOORS) -> dict[str, dict]:
    old = read_floors(path) if path.exists() else {}
    floors = dict(old)
    for report in reports:
        rate = math.floor(report.named_rate * 1000) / 1000
        kept = old.get(report.check, {}).get("named_rate", 0.0)
        floors[report.check] = {"named_rate": max(rate, kept), "mutants": len(report.mutants)}
    path.write_text(json.dumps(dict(sorted(floors.items())), indent=1) + "\n")
    return floors


__all__ = ["FLOORS", "read_floors", "write_floors"]
