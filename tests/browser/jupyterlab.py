"""Drive a real JupyterLab in headless Chromium: start the server, launch the browser, and act on
a notebook the way a person does (menu, keyboard, slider handles), waiting on conditions rather
than on the clock.

Used by the browser tests (tests/browser/) and by benchmarks/slider_latency.py; it needs only the
project's environment (JupyterLab, ipywidgets, ipympl, the `playwright` Python package) and a
Chromium executable. Playwright's own browser download is never used: the browser is Debian's
`chromium` (or $NNFS_CHROMIUM), which `python3 course.py test` installs when it can.
"""

from __future__ import annotations

import json
import os
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ENV = "NNFS_CHROMIUM"
ALLOW_NO_BROWSER_ENV = "NNFS_ALLOW_NO_BROWSER"
HOW_TO_INSTALL_CHROMIUM = (
    "`python3 course.py test` installs it by itself when run as root on Debian or Ubuntu; "
    "otherwise install it with `sudo apt-get install chromium`, or point "
    f"{CHROMIUM_ENV} at a Chromium or Chrome executable. To skip the browser tests on your own "
    f"machine, set {ALLOW_NO_BROWSER_ENV}=1 (CI must not)."
)

# Flags for a quiet, self-contained headless Chromium. Without the network ones, Chromium keeps
# calling home (component updates, field trials, sync, QUIC probes), which a closed network
# answers with a flood of refused connections.
# (Playwright adds --headless itself.)
CHROMIUM_ARGS = (
    "--no-sandbox",  # root in a container has no user namespaces for the sandbox
    "--disable-gpu",
    "--disable-dev-shm-usage",  # containers often give /dev/shm only 64 MB
    "--disable-quic",
    "--no-first-run",
    "--no-default-browser-check",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-default-apps",
    # Several notebook tabs may be open at once (the latency benchmark): keep the ones not in
    # front running at full speed rather than throttled to a timer tick per second.
    "--disable-background-timer-throttling",
    "--disable-renderer-backgrounding",
    "--disable-backgrounding-occluded-windows",
    "--disable-extensions",
    "--disable-features=Translate,OptimizationHints,MediaRouter",
    "--metrics-recording-only",
    "--password-store=basic",
)
VIEWPORT = {"width": 1400, "height": 1000}

# Generous limits for a busy two-core machine: a cold JupyterLab start with a kernel and
# matplotlib imports takes 10-20 s there, and much longer when the other core is busy.
SERVER_START_TIMEOUT = 120.0
PAGE_TIMEOUT_MS = 60_000
RUN_ALL_TIMEOUT_MS = 180_000

# Text that JupyterLab or ipywidgets put in place of something that failed to render.
# (ipywidgets 8 in JupyterLab 4 shows a broken-file icon saying "Click to show javascript error."
# in an element of class jupyter-widgets-error-widget; older versions wrote "Error displaying
# widget".)
WIDGET_ERROR = ".jupyter-widgets-error-widget"
RENDER_ERRORS = (
    "Click to show javascript error",
    "Error displaying widget",
    "Error rendering",
    "Failed to load model class",
    "Could not create a model",
    "Could not create a view",
    "Javascript Error",
)


class BrowserUnavailable(RuntimeError):
    """No Chromium to launch; the message says how to get one."""


def chromium_executable(environ: dict[str, str] | None = None) -> Path:
    """The Chromium to launch: $NNFS_CHROMIUM, else Debian's /usr/bin/chromium. Raises
    BrowserUnavailable, with the way to install one, when it is not there."""
    environ = os.environ if environ is None else environ
    chosen = environ.get(CHROMIUM_ENV)
    path = Path(chosen) if chosen else CHROMIUM
    if not (path.is_file() and os.access(path, os.X_OK)):
        where = f"{CHROMIUM_ENV}={chosen} is not an executable file" if chosen else f"no {path}"
        raise BrowserUnavailable(
            f"the browser tests need Chromium: {where}. {HOW_TO_INSTALL_CHROMIUM}"
        )
    return path


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


# --------------------------------------------------------------------------------------------
# The JupyterLab server
# --------------------------------------------------------------------------------------------


@dataclass
class LabServer:
    """A running JupyterLab: its URL, token, root folder and process (leader of its own group)."""

    port: int
    token: str
    root: Path
    process: subprocess.Popen
    log_path: Path
    base: str = field(init=False)

    def __post_init__(self) -> None:
        self.base = f"http://127.0.0.1:{self.port}"

    def url(self, path: str = "lab") -> str:
        return f"{self.base}/{path.lstrip('/')}?token={self.token}"

    def notebook_url(self, notebook: str) -> str:
        """The page that opens one notebook (path relative to the server's root) in JupyterLab,
        alone: ``reset`` drops the tabs that an earlier page left in the saved workspace."""
        return f"{self.base}/lab/tree/{notebook}?reset&token={self.token}"

    def api(self, path: str, method: str = "GET"):
        request = urllib.request.Request(self.url(f"api/{path}"), method=method)
        with urllib.request.urlopen(request, timeout=10) as response:
            body = response.read()
        return json.loads(body) if body else None

    def shutdown_kernels(self) -> None:
        """Stop every kernel of the server, so that the next notebook has the CPU to itself."""
        for kernel in self.api("kernels"):
            try:
                self.api(f"kernels/{kernel['id']}", method="DELETE")
            except urllib.error.HTTPError:
                pass  # already gone

    def log_tail(self, chars: int = 6000) -> str:
        try:
            return self.log_path.read_text(errors="replace")[-chars:]
        except OSError:
            return ""


def lab_environment(home: Path, config_path: Path | None = None) -> dict[str, str]:
    """The server's environment: private Jupyter config, runtime and data folders and IPython
    profile under ``home``, so that nothing from the user's own setup (settings, workspaces,
    startup files) leaks in and nothing is written outside ``home``. The lab extensions are not
    affected: they live in the environment's share/jupyter, which Jupyter always searches."""
    env = dict(os.environ)
    for variable, name in (
        ("JUPYTER_CONFIG_DIR", "config"),
        ("JUPYTER_RUNTIME_DIR", "runtime"),
        ("JUPYTER_DATA_DIR", "data"),
        ("IPYTHONDIR", "ipython"),
    ):
        (home / name).mkdir(parents=True, exist_ok=True)
        env[variable] = str(home / name)
    env.pop("JUPYTER_PATH", None)
    env.pop("JUPYTER_CONFIG_PATH", None)
    if config_path is not None:  # course.py lab's learner mode, say
        env["JUPYTER_CONFIG_PATH"] = str(config_path)
    env["PATH"] = os.pathsep.join([str(Path(sys.executable).parent), env.get("PATH", "")])
    # As course.py does: one BLAS thread per process, for the kernels too.
    for variable in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
        env.setdefault(variable, "1")
    # Keep JupyterLab from asking about news or updates in a pop-up over the notebook.
    settings = home / "config" / "lab" / "user-settings" / "@jupyterlab" / "apputils-extension"
    settings.mkdir(parents=True, exist_ok=True)
    (settings / "notification.jupyterlab-settings").write_text(
        json.dumps({"fetchNews": "false", "checkForUpdates": False})
    )
    # Keep every cell in the page. JupyterLab 4 may otherwise leave cells far outside the
    # viewport out of the DOM (or unrendered), and a long chapter notebook's lab would be
    # invisible to the locators until scrolled to.
    notebook = home / "config" / "lab" / "user-settings" / "@jupyterlab" / "notebook-extension"
    notebook.mkdir(parents=True, exist_ok=True)
    (notebook / "tracker.jupyterlab-settings").write_text(json.dumps({"windowingMode": "none"}))
    return env


def start_lab(
    root: Path,
    home: Path,
    *,
    timeout: float = SERVER_START_TIMEOUT,
    config_path: Path | None = None,
) -> LabServer:
    """Start JupyterLab from this environment on a free port with a random token, serving
    ``root``; return once /api/status answers. ``home`` receives its private folders and log;
    ``config_path`` is a Jupyter config folder read before the environment's own."""
    port, token = free_port(), secrets.token_hex(16)
    command = [
        sys.executable,
        "-m",
        "jupyterlab",
        "--no-browser",
        "--ServerApp.ip=127.0.0.1",
        f"--ServerApp.port={port}",
        "--ServerApp.port_retries=0",
        f"--ServerApp.token={token}",
        f"--ServerApp.root_dir={root}",
        "--ServerApp.open_browser=False",
        "--LabApp.news_url=",
        "--LabApp.check_for_updates_class=jupyterlab.handlers.announcements.NeverCheckForUpdate",
        # Kernels on Unix sockets: no race for TCP ports with kernels other test workers start.
        "--KernelManager.transport=ipc",
        f"--KernelManager.ip={home / 'kernel-ipc'}",
    ]
    if hasattr(os, "geteuid") and os.geteuid() == 0:
        command.append("--allow-root")
    log_path = home / "jupyterlab.log"
    with open(log_path, "wb") as log:
        process = subprocess.Popen(
            command,
            cwd=root,
            env=lab_environment(home, config_path),
            stdin=subprocess.DEVNULL,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # its own process group: stop_lab ends kernels too
        )
    server = LabServer(port, token, root, process, log_path)
    deadline = time.monotonic() + timeout
    while True:
        if process.poll() is not None:
            raise RuntimeError(
                f"JupyterLab exited with code {process.returncode} while starting:\n"
                + server.log_tail()
            )
        try:
            server.api("status")
            return server
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            pass
        if time.monotonic() > deadline:
            stop_lab(server)
            raise RuntimeError(
                f"JupyterLab did not answer /api/status within {timeout:.0f} s:\n"
                + server.log_tail()
            )
        time.sleep(0.2)


def stop_lab(server: LabServer, *, timeout: float = 30.0) -> None:
    """Terminate the server's process group (server and kernels), then kill what is left."""
    process = server.process
    try:
        os.killpg(process.pid, signal.SIGTERM)
    except ProcessLookupError:
        pass
    try:
        process.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        pass
    try:
        os.killpg(process.pid, signal.SIGKILL)
    except ProcessLookupError:
        pass
    process.wait(timeout=timeout)


@contextmanager
def running_lab(root: Path, home: Path) -> Iterator[LabServer]:
    server = start_lab(root, home)
    try:
        yield server
    finally:
        stop_lab(server)


# --------------------------------------------------------------------------------------------
# Chromium
# --------------------------------------------------------------------------------------------

# Installed into every page before JupyterLab's own scripts. It counts the paints of each
# figure on the figure's element (data-nnfs-draws, data-nnfs-last-draw in performance.now()
# milliseconds) and keeps their times (window.__nnfsDrawTimes), so a test or a benchmark can
# tell that and when a figure was redrawn without comparing pixels in a loop. Two kinds of
# figure: ipympl's, painted by copying its off-screen image onto the visible canvas, and the
# labs' PNG (an ipywidgets Image of class nnfs-lab-figure), painted once a new picture has
# loaded.
CANVAS_DRAW_HOOK = """
(() => {
  if (window.__nnfsDrawTimes) return;
  const times = (window.__nnfsDrawTimes = new WeakMap());
  const record = figure => {
    const now = performance.now();
    if (!times.has(figure)) times.set(figure, []);
    times.get(figure).push(now);
    figure.dataset.nnfsDraws = String(times.get(figure).length);
    figure.dataset.nnfsLastDraw = String(now);
  };
  const original = CanvasRenderingContext2D.prototype.drawImage;
  CanvasRenderingContext2D.prototype.drawImage = function (...args) {
    const result = original.apply(this, args);
    const figure = this.canvas && this.canvas.closest &&
      this.canvas.closest('.jupyter-matplotlib-figure');
    if (figure && args[0] instanceof HTMLCanvasElement) record(figure);
    return result;
  };
  document.addEventListener('load', event => {
    const image = event.target;
    if (image instanceof HTMLImageElement && image.classList.contains('nnfs-lab-figure')) {
      record(image);
    }
  }, true);
})();
"""
# The element of a lab's figure: an ipympl figure, or the labs' PNG.
FIGURE = ".jupyter-matplotlib-figure, img.nnfs-lab-figure"
# The figure's picture as a PNG data: URL, whichever kind of figure it is.
FIGURE_DATA_URL = """figure => {
  if (figure.tagName !== 'IMG') {
    return figure.querySelector('.jupyter-matplotlib-canvas-div canvas').toDataURL('image/png');
  }
  const canvas = document.createElement('canvas');
  canvas.width = figure.naturalWidth;
  canvas.height = figure.naturalHeight;
  canvas.getContext('2d').drawImage(figure, 0, 0);
  return canvas.toDataURL('image/png');
}"""


@contextmanager
def chromium_context(playwright, user_data_dir: Path, executable: Path | None = None):
    """A persistent browser context of Chromium on a fresh profile folder, closed on exit."""
    executable = executable or chromium_executable()
    user_data_dir.mkdir(parents=True, exist_ok=True)
    context = playwright.chromium.launch_persistent_context(
        str(user_data_dir),
        executable_path=str(executable),
        headless=True,
        args=list(CHROMIUM_ARGS),
        viewport=VIEWPORT,
        device_scale_factor=1,
        timeout=PAGE_TIMEOUT_MS,
    )
    try:
        context.set_default_timeout(PAGE_TIMEOUT_MS)
        context.add_init_script(CANVAS_DRAW_HOOK)
        yield context
    finally:
        context.close()


# --------------------------------------------------------------------------------------------
# A notebook in JupyterLab
# --------------------------------------------------------------------------------------------


def copy_notebook(source: Path, root: Path, name: str | None = None) -> str:
    """Copy a notebook into the server's root; return its path relative to the root."""
    target = root / (name or source.name)
    target.parent.mkdir(parents=True, exist_ok=True)
    shutil.copy2(source, target)
    return target.relative_to(root).as_posix()


# The notebook in view (JupyterLab hides the panels of background tabs).
PANEL = ".jp-NotebookPanel:not(.lm-mod-hidden)"
# True once the status bar names a kernel (not "No Kernel") and says it is idle.
KERNEL_IDLE = r"""() => [...document.querySelectorAll('.jp-StatusBar-TextItem')].some(item => {
  const text = item.textContent.trim();
  return /\|\s*Idle$/.test(text) && !text.startsWith('No Kernel');
})"""
# An output of a cell that raised (JupyterLab renders tracebacks like stderr).
ERROR_OUTPUT = '.jp-OutputArea-output[data-mime-type="application/vnd.jupyter.stderr"]'
# True once Run All is over: the kernel is idle and no cell waits ([*]); every code cell has a
# number ([3]), unless one raised, which stops the run.
RUN_ALL_DONE = r"""([panel, errorOutput]) => {
  const prompts = [...document.querySelectorAll(
    panel + ' .jp-CodeCell .jp-InputArea-prompt')].map(p => p.textContent);
  const indicator = document.querySelector(panel + ' .jp-Notebook-ExecutionIndicator');
  const failed = document.querySelector(panel + ' ' + errorOutput);
  return prompts.length > 0 && indicator && indicator.dataset.status === 'idle' &&
    !prompts.some(p => p.includes('*')) &&
    (failed !== null || prompts.every(p => /\[\d+\]/.test(p)));
}"""


# The figure was painted after paint number `since` and after the scope last showed a busy
# text, and has been quiet for `quiet` ms since: returns the time of that paint, else false.
# (The labs' PNG figure is sent before the status line that ends the busy text, so for it
# the last paint before the busy text went away is the final one; ipympl's page asks for
# its picture only after it hears of the change, so for it the paint must come later.)
SETTLED = r"""([figure, scope, since, quiet, busy]) => {
  const now = performance.now();
  if (busy.some(word => scope.innerText.includes(word))) {
    figure.dataset.nnfsBusySeen = String(now);
    return false;
  }
  const times = window.__nnfsDrawTimes.get(figure) || [];
  if (times.length <= since) return false;
  const last = times[times.length - 1];
  const busySeen = Number(figure.dataset.nnfsBusySeen || -1);
  const sentFirst = figure.tagName === 'IMG';
  if (!sentFirst && last <= busySeen) return false;
  // The quiet time counts from the later of the last paint and the last busy text: a lab's
  // final image is sent before its status line, but the page may paint it (decode, load)
  // after the status line has changed, and then the last paint seen is still a live one.
  return now - Math.max(last, busySeen) >= quiet ? last : false;
}"""


class Slider:
    """An ipywidgets slider (FloatSlider, FloatLogSlider, IntSlider, SelectionSlider) found by its
    description label inside ``scope``."""

    def __init__(self, page, scope, description: str):
        self.description = description
        # (An inner locator for has= is matched inside the outer one, so it starts at the page.)
        label = page.locator(".widget-label").filter(
            has_text=re.compile(rf"^\s*{re.escape(description)}\s*$")
        )
        self.widget = scope.locator(".widget-slider", has=label)
        self.handle = self.widget.locator(".noUi-handle")
        self.readout = self.widget.locator(".widget-readout")

    def wait_visible(self) -> Slider:
        self.widget.first.wait_for(state="visible")
        count = self.widget.count()
        assert count == 1, f"expected one slider labelled {self.description!r}, found {count}"
        return self

    @property
    def value_text(self) -> str:
        """What the slider's readout shows."""
        return self.readout.inner_text().strip()

    def press(self, key: str, times: int = 1) -> float:
        """Move the handle with the keyboard, as a person does after clicking it; return the
        page time (performance.now(), ms) at which the first key went down."""
        self.handle.focus()
        self.handle.evaluate(
            """handle => handle.addEventListener('keydown', event => {
                 handle.dataset.nnfsKeyTime = String(event.timeStamp);
               }, { once: true })"""
        )
        for _ in range(times):
            self.handle.press(key)
        return float(self.handle.get_attribute("data-nnfs-key-time"))

    def type_value(self, text: str) -> None:
        """Type a value into the readout (an editable field) and confirm it with Enter."""
        self.readout.click()
        self.readout.press("ControlOrMeta+A")
        self.readout.press_sequentially(text)
        self.readout.press("Enter")


class LabView:
    """The widgets and figure of one lab on the page: everything inside ``scope``."""

    def __init__(self, page, scope):
        self.page = page
        self.scope = scope
        self.figure = scope.locator(FIGURE).first

    def slider(self, description: str) -> Slider:
        return Slider(self.page, self.scope, description).wait_visible()

    def text(self) -> str:
        return self.scope.inner_text()

    def wait_figure(self, timeout_ms: float = PAGE_TIMEOUT_MS) -> None:
        """Wait until the lab's figure is on the page and has painted an image."""
        self.figure.wait_for(state="attached", timeout=timeout_ms)
        self.figure.evaluate(
            """(figure, timeout) => new Promise((resolve, reject) => {
                 const start = performance.now();
                 const check = () => {
                   if (Number(figure.dataset.nnfsDraws || 0) > 0) return resolve();
                   // A picture that loaded before it was in the page was not counted.
                   if (figure.tagName === 'IMG' && figure.complete && figure.naturalWidth > 0) {
                     return resolve();
                   }
                   if (performance.now() - start > timeout) return reject(
                     new Error('the figure never painted an image'));
                   setTimeout(check, 50);
                 };
                 check();
               })""",
            timeout_ms,
        )

    def draws(self) -> int:
        """How many times the figure was painted so far."""
        return int(self.figure.get_attribute("data-nnfs-draws") or 0)

    def draw_times(self) -> list[float]:
        return self.figure.evaluate("figure => window.__nnfsDrawTimes.get(figure) || []")

    def image(self) -> str:
        """The figure's image as a data: URL, for comparing before and after a change."""
        return self.figure.evaluate(FIGURE_DATA_URL)

    def wait_image_changed(self, before: str, timeout_ms: float = PAGE_TIMEOUT_MS) -> str:
        """Wait until the figure's image differs from ``before``; return the new image."""
        self.page.wait_for_function(
            f"([figure, before]) => ({FIGURE_DATA_URL})(figure) !== before",
            arg=[self.figure.element_handle(), before],
            timeout=timeout_ms,
            polling=100,
        )
        return self.image()

    def wait_settled(
        self,
        since: int,
        *,
        quiet_ms: float = 500,
        busy: tuple[str, ...] = (),
        timeout_ms: float = PAGE_TIMEOUT_MS,
    ) -> float:
        """Wait until the figure has been painted after its ``since``-th paint *and* after the
        lab last showed any of the ``busy`` texts (such as "training…"), then not painted again
        for ``quiet_ms``; return the page time (ms) of that last paint, when the redraw was
        complete. (Live paints during a run do not count: the run's final picture comes after
        its status line stops saying it is busy.)"""
        return self.page.wait_for_function(
            SETTLED,
            arg=[
                self.figure.element_handle(),
                self.scope.element_handle(),
                since,
                quiet_ms,
                list(busy),
            ],
            timeout=timeout_ms,
            polling=25,
        ).json_value()


class NotebookPage:
    """One notebook open in JupyterLab, with the actions and waits the browser tests need."""

    def __init__(self, page, server: LabServer, notebook: str):
        self.page = page
        self.server = server
        self.notebook = notebook
        self.panel = page.locator(PANEL)
        #: The labs looked at so far (the browser tests' artifacts picture the last one).
        self.labs: list[LabView] = []

    @classmethod
    def open(cls, page, server: LabServer, notebook: str) -> NotebookPage:
        """Open the notebook's page and wait until its cells are shown and its kernel is idle."""
        page.goto(server.notebook_url(notebook), wait_until="domcontentloaded")
        self = cls(page, server, notebook)
        self.panel.locator(".jp-Notebook .jp-Cell").first.wait_for(state="visible")
        self.wait_kernel_idle()
        return self

    def wait_kernel_idle(self, timeout_ms: float = PAGE_TIMEOUT_MS) -> None:
        """Wait until the notebook's kernel is connected and idle: the status bar says
        "<kernel name> | Idle" and the server counts a connection to it.

        The toolbar's execution indicator alone is not enough: it says idle while the page
        still shows "No Kernel | Initializing", and Run All at that moment runs nothing."""
        self.page.wait_for_function(KERNEL_IDLE, timeout=timeout_ms, polling=100)
        deadline = time.monotonic() + timeout_ms / 1000
        while True:
            sessions = [s for s in self.server.api("sessions") if s["path"] == self.notebook]
            kernels = [s["kernel"] for s in sessions if s.get("kernel")]
            if any(k["connections"] > 0 and k["execution_state"] == "idle" for k in kernels):
                return
            if time.monotonic() > deadline:
                raise TimeoutError(f"no idle kernel connected to {self.notebook}: {sessions}")
            time.sleep(0.1)

    def run_all_cells(
        self, timeout_ms: float = RUN_ALL_TIMEOUT_MS, *, through_errors: bool = False
    ) -> None:
        """Run → Run All Cells from the menu bar, then wait until every code cell has run (its
        prompt shows a number, not [*] or [ ]) or one failed, and the kernel is idle again.

        ``through_errors``: the notebook is expected to go on past error outputs (a learner's
        notebook with failed checks), so wait for every prompt to show a number."""
        self.page.locator("#jp-menu-panel").get_by_role("menuitem", name="Run", exact=True).click()
        self.page.get_by_role("menuitem", name=re.compile(r"^Run All Cells")).click()
        # A selector that matches nothing: only "every cell ran" ends the wait.
        errors = ".nnfs-no-such-output" if through_errors else ERROR_OUTPUT
        self.page.wait_for_function(
            RUN_ALL_DONE, arg=[PANEL, errors], timeout=timeout_ms, polling=200
        )

    def code_prompts(self) -> list[str]:
        """The execution prompt of every code cell ("[3]:", "[ ]:", "[*]:")."""
        return self.panel.locator(".jp-CodeCell .jp-InputArea-prompt").all_inner_texts()

    def error_outputs(self) -> list[str]:
        """The text of each output that shows a traceback."""
        texts = self.panel.locator(ERROR_OUTPUT).all_inner_texts()
        return [text for text in texts if "Traceback" in text or "Error" in text]

    def render_errors(self) -> list[str]:
        """The messages that JupyterLab or ipywidgets show where something failed to render;
        for a widget's error icon, the error behind it (shown by clicking the icon)."""
        text = self.page.locator("body").inner_text()
        found = [message for message in RENDER_ERRORS if message in text]
        for icon in self.page.locator(WIDGET_ERROR).all():
            icon.click()  # swaps "Click to show javascript error." for the message and stack
            found.append("widget error: " + icon.inner_text().strip()[:1000])
        return found

    def lab(self, containing: str | None = None) -> LabView:
        """The lab in the output that contains the text ``containing`` (its title, say), or
        the whole notebook when None."""
        if containing is None:
            scope = self.panel
        else:
            scope = self.panel.locator(".jp-OutputArea-output").filter(has_text=containing)
            scope.first.wait_for(state="visible")
            count = scope.count()
            assert count == 1, f"expected one output containing {containing!r}, found {count}"
        lab = LabView(self.page, scope)
        self.labs.append(lab)
        return lab

    def screenshot(self, path: Path, element=None) -> Path:
        """Save a picture of the page, or of one element (a lab, say) in full: the window is
        made tall enough for it while the picture is taken."""
        path.parent.mkdir(parents=True, exist_ok=True)
        if element is None:
            self.page.screenshot(path=str(path))
            return path
        box = element.bounding_box()
        if box is not None and box["height"] + 200 > VIEWPORT["height"]:
            height = int(min(box["height"] + 200, 4000))
            self.page.set_viewport_size({"width": VIEWPORT["width"], "height": height})
        try:
            element.scroll_into_view_if_needed()
            element.screenshot(path=str(path))
        finally:
            self.page.set_viewport_size(VIEWPORT)
        return path
