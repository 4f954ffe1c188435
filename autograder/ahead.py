"""The folder of sandbox results run ahead of nbgrader: announced, delivered, awaited.

:mod:`autograder.dispatch` (in ``nnfs-grade``'s process) announces every job it will run as
``<key>.pending``, then replaces the announcement with ``<key>.json`` (the sandbox's result) or
``<key>.failed``. ``IsolatedExecute`` (in nbgrader's process) calls :func:`wait_for_result`.
Only files pass between the two processes, so nbgrader stays a plain subprocess, and a key
nobody announced costs nothing: nbgrader runs that notebook itself.
"""

from __future__ import annotations

import json
import os
import time
from pathlib import Path
from typing import Any

from . import sandbox

#: Seconds between looks at the folder while a result is pending.
POLL = 0.02


def _write(path: Path, text: str) -> None:
    """Write so that a reader sees the whole file or none of it."""
    partial = path.with_name(path.name + ".partial")
    partial.write_text(text, encoding="utf-8")
    os.replace(partial, path)


def announce(folder: Path, key: str, who: str) -> None:
    _write(folder / f"{key}.pending", who)


def deliver(folder: Path, key: str, result: dict[str, Any]) -> None:
    _write(folder / f"{key}.json", json.dumps(result))
    (folder / f"{key}.pending").unlink(missing_ok=True)


def failed(folder: Path, key: str, why: str) -> None:
    _write(folder / f"{key}.failed", why)
    (folder / f"{key}.pending").unlink(missing_ok=True)


def wait_for_result(
    folder: Path, key: str, patience: float, log=None
) -> sandbox.SandboxResult | None:
    """The result for ``key``: at once if it is there, after waiting while it is pending (at
    most ``patience`` seconds), None if there is none or its run failed."""
    result, pending = folder / f"{key}.json", folder / f"{key}.pending"
    deadline = time.monotonic() + patience
    waited = False
    while not result.exists() and pending.exists() and time.monotonic() < deadline:
        waited = True
        time.sleep(POLL)
    try:
        return sandbox.SandboxResult.from_json(json.loads(result.read_text(encoding="utf-8")))
    except (OSError, ValueError, TypeError):
        if log is not None and (waited or (folder / f"{key}.failed").exists()):
            log.warning("No result was run ahead for %s; executing it here", key[:12])
        return None
