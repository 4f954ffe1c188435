"""A second client of a notebook's kernel, for asking what only the kernel knows.

JupyterLab's page is one client of the kernel; this is another, connected through the kernel's
connection file in the server's runtime folder (the browser tests' server keeps it under its
private home). Code sent here runs in the notebook's own namespace on the kernel's main thread,
between the page's requests, so a test can read a lab's state or render its figure exactly as
the kernel holds it, without adding cells to the notebook.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from jupyter_client import BlockingKernelClient

from .jupyterlab import LabServer


def runtime_dir(server: LabServer) -> Path:
    """Where the server writes kernels' connection files (``lab_environment``'s runtime)."""
    return server.log_path.parent / "runtime"


class KernelProbe:
    """Runs code in the kernel of the notebook ``notebook`` (path relative to the server root)."""

    def __init__(self, server: LabServer, notebook: str, *, timeout: float = 60.0):
        sessions = [s for s in server.api("sessions") if s["path"] == notebook]
        kernels = [s["kernel"]["id"] for s in sessions if s.get("kernel")]
        if len(kernels) != 1:
            raise RuntimeError(f"expected one kernel for {notebook}, found sessions {sessions}")
        connection = runtime_dir(server) / f"kernel-{kernels[0]}.json"
        if not connection.is_file():
            raise RuntimeError(f"no connection file {connection} for the kernel of {notebook}")
        self.timeout = timeout
        self.client = BlockingKernelClient(connection_file=str(connection))
        self.client.load_connection_file()
        self.client.start_channels()
        self.client.wait_for_ready(timeout=timeout)

    def run(self, code: str, timeout: float | None = None) -> str:
        """Run ``code``; return what it printed. Raises with the traceback if it failed."""
        printed: list[str] = []
        errors: list[str] = []

        def collect(message: dict) -> None:
            kind, content = message["msg_type"], message["content"]
            if kind == "stream":
                (printed if content["name"] == "stdout" else errors).append(content["text"])
            elif kind == "error":
                errors.append("\n".join(content["traceback"]))

        reply = self.client.execute_interactive(
            code,
            store_history=False,
            output_hook=collect,
            timeout=self.timeout if timeout is None else timeout,
        )
        if reply["content"]["status"] != "ok" or errors:
            raise RuntimeError(f"the kernel could not run:\n{code}\n" + "".join(errors))
        return "".join(printed)

    def json(self, expression: str) -> Any:
        """The value of a JSON-serialisable Python ``expression`` in the kernel."""
        text = self.run(f"import json as _nnfs_json\nprint(_nnfs_json.dumps({expression}))")
        return json.loads(text)

    def close(self) -> None:
        self.client.stop_channels()
