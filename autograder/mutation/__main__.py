"""``python -m autograder.mutation [CHECK ...] [--markdown FILE] [--show OUTCOME ...]``."""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

from .floors import FLOORS, write_floors
from .report import details, markdown, text
from .runner import OUTCOMES, run_all


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m autograder.mutation",
        description="Mutate each check's correct learner and report what the check says.",
    )
    parser.add_argument("checks", nargs="*", help="check names (default: every check)")
    parser.add_argument("--markdown", type=Path, help="also write the table to this file")
    parser.add_argument(
        "--show",
        nargs="*",
        choices=OUTCOMES,
        default=["missed"],
        help="list the mutants with these outcomes (default: missed)",
    )
    parser.add_argument("--json", type=Path, help="write every mutant's outcome as JSON")
    parser.add_argument(
        "--write-floors",
        action="store_true",
        help=f"store each check's named rate as its new floor in {FLOORS.name} (after raising it)",
    )
    args = parser.parse_args(argv)
    start = time.perf_counter()
    try:
        reports = run_all(args.checks)
    except KeyError as error:
        parser.error(str(error.args[0]))
    print(text(reports))
    print(
        f"\n{sum(len(r.mutants) for r in reports)} mutants in {time.perf_counter() - start:.1f} s"
    )
    listed = details(reports, tuple(args.show or ()))
    if listed:
        print("\n" + listed)
    if args.markdown:
        args.markdown.write_text(markdown(reports))
    if args.write_floors:
        write_floors(reports)
    if args.json:
        payload = {
            r.check: [
                {
                    "where": m.describe(),
                    "operator": m.site.operator,
                    "outcome": m.outcome,
                    "diagnosis": m.diagnosis,
                    "message": m.message,
                    "why": m.why,
                }
                for m in r.mutants
            ]
            for r in reports
        }
        args.json.write_text(json.dumps(payload, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
