"""Machinery shared by the labs: figure views, the run cache and background training.

How a lab stays responsive, and why the page always shows the kernel's figure
---------------------------------------------------------------------------------
- Figures are made once. A lab keeps the artists returned by :mod:`nnfs_core.plotting`
  and changes their data in place; :class:`FigureView` then redraws.
- The picture is a PNG that the kernel renders with Agg and puts into an
  ``ipywidgets.Image`` (full frames, no diff protocol): the widget's value *is* the
  kernel's rendering, so once the last redraw is sent the page cannot show anything else.
  ipympl (``figure_mode="ipympl"``) stays available, but its browser side asks for frames
  itself and can keep a stale or half-drawn one (issue 17; matplotlib issue 19116), so the
  labs no longer choose it by themselves.
- One thread draws. ipykernel 7 handles widget messages on a thread of their own, while a
  lab's progress and results arrive on the kernel's main thread. Every widget callback of a
  lab therefore only *asks* for work (:meth:`Lab._soon`), which then runs on the main
  thread's event loop, coalesced: ten scrubber positions that arrive during one render
  give one more render, of the latest. All figure changes and renders happen there, under
  the lab's lock.
- Training results are kept in a small LRU cache keyed by the full settings: asking
  again for settings already trained re-renders without training.
- Inside a Jupyter kernel, training runs in a background thread. The kernel's main thread
  stays free to handle widget messages, so the Stop button is heard while a run is going;
  the thread hands progress and results back to the main thread through the kernel's
  tornado loop (``IOLoop.add_callback``, which is thread-safe), and only the main thread
  touches figures. Outside a kernel (scripts, tests) training runs in the calling thread
  unless ``background=True`` is asked for, and requests run at once.
- In a kernel that background thread hands the run itself to a child process
  (:mod:`nnfs_core.labs.training_process`) and waits for its messages: the main thread
  draws live frames while the child trains, instead of both taking turns with Python's
  lock. ``processes=False`` keeps the run in the thread.
"""

from __future__ import annotations

import html
import io
import itertools
import math
import os
import threading
import time
import zlib
from collections import OrderedDict
from collections.abc import Callable, Hashable, Sequence
from dataclasses import fields
from typing import Any, ClassVar

import ipywidgets as widgets
import matplotlib
import numpy as np
import PIL.Image
import traitlets
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

from . import training_process
from .frames import AggFrames
from .training import LiveRun

#: Show the progress bar once a run has taken this long (seconds), so that a short run
#: never flashes one. (Live frames start with the run's first epoch.)
PROGRESS_AFTER = 0.15
#: Least time between two progress messages from a run (seconds).
POST_EVERY = 0.1
#: Least time between two live frames while a run goes (seconds).
LIVE_EVERY = 0.25
#: Most of the main thread's time that live redraws may take while runs train: a render
#: holds Python's lock, which the training thread needs too, and several labs may train
#: at once (Run All), so the pause after a live frame grows with what the frame cost.
LIVE_SHARE = 0.25


class _LiveClock:
    """When the next live frame may be drawn, shared by every lab in the kernel."""

    next_at = 0.0


STYLE = {"description_width": "105px"}
DECAYS = (0.0, 1e-7, 5e-7, 1e-6, 5e-6, 1e-5, 5e-5, 1e-4, 5e-4, 1e-3, 5e-3, 1e-2, 1e-1)
PENALTIES = (0.0, 1e-6, 1e-5, 5e-5, 1e-4, 5e-4, 1e-3, 5e-3, 1e-2, 5e-2)
WIDTHS = (4, 8, 16, 32, 64, 128, 256, 512)


# ---------------------------------------------------------------------------------------
# Figures
# ---------------------------------------------------------------------------------------


def ipympl_active() -> bool:
    """True when matplotlib's backend is ipympl (``%matplotlib widget``)."""
    backend = str(matplotlib.get_backend()).lower()
    return "ipympl" in backend or backend == "widget"


class FigureView:
    """A figure and the widget that shows it, redrawn in place by :meth:`refresh`.

    ``mode="image"`` (what ``"auto"`` picks): the figure sits on an Agg canvas and
    ``refresh`` renders it into a PNG that becomes the value of an ``ipywidgets.Image``,
    the whole frame every time, so the page shows exactly what the kernel rendered.
    ``mode="ipympl"``: the figure sits on an ipympl canvas (itself a widget) and ``refresh``
    asks for an asynchronous redraw, which the browser may answer with a stale frame; kept
    for comparison and for quick headless tests, where nothing is rendered. The figure is
    not registered with pyplot, so ``plt.close("all")`` and inline display leave it alone.
    """

    _numbers = itertools.count(10_000)

    def __init__(self, figsize: tuple[float, float], *, mode: str = "auto", dpi: float = 80):
        if mode not in ("auto", "ipympl", "image"):
            raise ValueError(
                f"figure_mode must be 'auto', 'ipympl' or 'image'; received {mode!r}. "
                "Leave it out ('auto') to show the figure as a PNG rendered by the kernel."
            )
        self.mode = "image" if mode == "auto" else mode
        self.figure = Figure(figsize=figsize, dpi=dpi)
        self.renders = 0
        #: Seconds the last render took (Agg drawing plus PNG encoding), image mode only.
        self.last_render_seconds = 0.0
        if self.mode == "ipympl":
            backend = matplotlib.get_backend()
            from ipympl.backend_nbagg import Canvas, FigureManager

            if matplotlib.get_backend() != backend:
                # Importing ipympl the first time switches pyplot to it; keep the user's choice.
                matplotlib.use(backend)
            canvas = Canvas(self.figure)
            FigureManager(canvas, next(self._numbers))
            canvas.header_visible = False
            canvas.footer_visible = False
            canvas.resizable = False
            self.widget: widgets.DOMWidget = canvas
        else:
            FigureCanvasAgg(self.figure)
            #: Draws each frame, reusing the axes' frames when they did not change.
            self.frames = AggFrames(self.figure)
            width = self.size()[0]
            # Shown at its own size (no scaling blur; what the browser tests compare pixel
            # for pixel), shrunk only when the notebook is narrower than the picture.
            self.widget = widgets.Image(
                format="png",
                width=str(width),
                layout=widgets.Layout(max_width="100%", height="auto", object_fit="contain"),
            )
            self.widget.add_class("nnfs-lab-figure")

    def size(self) -> tuple[int, int]:
        """The rendered picture's (width, height) in pixels."""
        width, height = self.figure.get_size_inches() * self.figure.dpi
        return round(width), round(height)

    def render_png(self) -> bytes:
        """The figure as PNG bytes, rendered now by Agg: a whole frame, the same pixels as
        ``figure.savefig`` gives (only the drawing of unchanged axes frames is reused)."""
        canvas = self.figure.canvas
        self.frames.draw()
        image = PIL.Image.frombuffer(
            "RGBA", canvas.get_width_height(), canvas.buffer_rgba(), "raw", "RGBA", 0, 1
        )
        if (
            self.figure.patch.get_alpha() in (None, 1.0)
            and self.figure.patch.get_facecolor()[3] == 1
        ):
            # An opaque figure: the alpha channel is all 255, a quarter of the bytes to
            # compress for nothing.
            image = image.convert("RGB")
        buffer = io.BytesIO()
        # Fast zlib settings (level 1, run-length strategy): about twice as quick to encode
        # as the default for a few per cent more bytes, which cross a loopback or LAN socket
        # in well under a millisecond. PNG is lossless: the page gets the kernel's pixels.
        image.save(buffer, format="png", compress_level=1, compress_type=zlib.Z_RLE)
        return buffer.getvalue()

    def refresh(self) -> None:
        """Show the figure's current state."""
        self.renders += 1
        if self.mode == "ipympl":
            self.figure.canvas.draw_idle()
            return
        started = time.perf_counter()
        png = self.render_png()
        self.last_render_seconds = time.perf_counter() - started
        self.widget.value = png


# ---------------------------------------------------------------------------------------
# Cache
# ---------------------------------------------------------------------------------------


class RunCache:
    """Least-recently-used results keyed by settings, with hit and miss counters."""

    def __init__(self, maxsize: int = 8) -> None:
        self.maxsize = max(1, int(maxsize))
        self._items: OrderedDict[Hashable, Any] = OrderedDict()
        self.hits = 0
        self.misses = 0

    def __len__(self) -> int:
        return len(self._items)

    def __contains__(self, key: Hashable) -> bool:
        return key in self._items

    def lookup(self, key: Hashable) -> tuple[bool, Any]:
        """``(True, result)`` and a hit, or ``(False, None)`` and a miss."""
        if key in self._items:
            self._items.move_to_end(key)
            self.hits += 1
            return True, self._items[key]
        self.misses += 1
        return False, None

    def put(self, key: Hashable, value: Any) -> None:
        self._items[key] = value
        self._items.move_to_end(key)
        while len(self._items) > self.maxsize:
            self._items.popitem(last=False)

    def clear(self) -> None:
        self._items.clear()

    def info(self) -> dict[str, int]:
        return {
            "hits": self.hits,
            "misses": self.misses,
            "size": len(self),
            "maxsize": self.maxsize,
        }


# ---------------------------------------------------------------------------------------
# Widgets
# ---------------------------------------------------------------------------------------


def _layout(width: str = "330px") -> widgets.Layout:
    return widgets.Layout(width=width)


#: How near (relatively) a log slider's value must be to a two-digit number to become it.
ROUND_WITHIN = 0.01
#: A log slider's keyboard step, in decades: 20 steps a decade, each about 12 % up or down.
LOG_STEP = 0.05


def round_log_value(value: float) -> float:
    """``value``, or the number with two significant digits within 1 % of it.

    A log slider moves in equal steps of the exponent, so its positions are numbers like
    10**-6.3 = 5.0119e-7; the ones within 1 % of a round number (5e-7, 0.02, 0.05, 1e-3, all
    on a grid of 0.05 decades) become that number, which is what the notebooks ask for.
    """
    if not math.isfinite(value) or value <= 0:
        return value
    digits = 1 - math.floor(math.log10(value))
    rounded = round(value, digits)
    return rounded if abs(rounded - value) <= ROUND_WITHIN * value else value


class LogSlider(widgets.FloatLogSlider):
    """A ``FloatLogSlider`` whose values land on round numbers (:func:`round_log_value`);
    its readout can be typed into, like every ipywidgets 8 slider's."""

    @traitlets.validate("value")
    def _validate_value(self, proposal: Any) -> float:
        return round_log_value(super()._validate_value(proposal))


def log_slider(
    description: str,
    value: float,
    min_exp: float,
    max_exp: float,
    *,
    step: float = LOG_STEP,
    continuous_update: bool = False,
    width: str = "440px",
) -> LogSlider:
    """A log-scale slider over ``10**min_exp .. 10**max_exp``.

    The default width leaves the track about 260 px, 35-50 px a decade for the ranges the
    labs use, so a person can aim at a value; the arrow keys move ``step`` decades."""
    return LogSlider(
        value=value,
        base=10,
        min=min_exp,
        max=max_exp,
        step=step,
        description=description,
        readout_format=".3g",
        continuous_update=continuous_update,
        style=STYLE,
        layout=_layout(width),
    )


def float_slider(
    description: str, value: float, low: float, high: float, step: float, fmt: str = ".3g"
) -> widgets.FloatSlider:
    return widgets.FloatSlider(
        value=value,
        min=low,
        max=high,
        step=step,
        description=description,
        readout_format=fmt,
        continuous_update=False,
        style=STYLE,
        layout=_layout(),
    )


def int_slider(description: str, value: int, low: int, high: int, step: int) -> widgets.IntSlider:
    return widgets.IntSlider(
        value=value,
        min=low,
        max=high,
        step=step,
        description=description,
        continuous_update=False,
        style=STYLE,
        layout=_layout(),
    )


def choice_slider(description: str, options: Sequence[Any], value: Any) -> widgets.SelectionSlider:
    options = sorted(set(options) | {value})
    return widgets.SelectionSlider(
        options=[(f"{option:g}", option) for option in options],
        value=value,
        description=description,
        continuous_update=False,
        style=STYLE,
        layout=_layout(),
    )


class _RangeFirst:
    """A slider or Play whose messages to the page list its range before its value.

    The browser applies a message's keys in the order the kernel wrote them, and for keys
    changed together (``hold_sync``) that order follows a set's, which changes from one
    kernel to the next. A value that arrives before its wider range is clamped by the page's
    slider (noUiSlider) to the old maximum; a step that arrives alone snaps the page's old
    value onto the new grid, and the page sends that back. Either way the page and the kernel
    end up at different epochs (the handle at 0 while the picture shows the last epoch, arrow
    keys ignored; or a stopped run shown at an earlier snapshot). So the new range, step and
    value go in one message, range first.
    """

    _range_keys = ("min", "max", "step")

    def send_state(self, key: Any = None) -> None:
        if key is not None and not isinstance(key, str):
            order = self._range_keys
            key = sorted(key, key=lambda name: order.index(name) if name in order else len(order))
        super().send_state(key)  # type: ignore[misc]


class ScrubberSlider(_RangeFirst, widgets.IntSlider):
    """The epoch scrubber: an IntSlider that sends its range before its value."""


class ReplayPlay(_RangeFirst, widgets.Play):
    """The Play button of a replay: sends its range before its value."""


def seed_box(value: int) -> widgets.BoundedIntText:
    return widgets.BoundedIntText(
        value=value, min=0, max=2**31 - 2, description="seed", style=STYLE, layout=_layout("200px")
    )


def set_initial(widget: widgets.Widget, value: Any) -> None:
    """Give ``widget`` a starting value, widening its range or options to admit it."""
    if isinstance(widget, widgets.SelectionSlider):
        values = [v for _, v in widget.options]
        if value not in values:
            options = sorted({*values, value})
            widget.options = [(f"{option:g}", option) for option in options]
    elif isinstance(widget, widgets.FloatLogSlider):
        exponent = math.log10(value) if value > 0 else widget.min
        widget.min = min(widget.min, exponent)
        widget.max = max(widget.max, exponent)
    elif hasattr(widget, "min") and hasattr(widget, "max"):
        if value < widget.min:
            widget.min = value
        if value > widget.max:
            widget.max = value
    widget.value = value


# ---------------------------------------------------------------------------------------
# Labs
# ---------------------------------------------------------------------------------------


def kernel_loop() -> Any:
    """The running IPython kernel's tornado IOLoop, or ``None`` outside a kernel."""
    try:
        from IPython import get_ipython
    except ImportError:  # pragma: no cover - IPython comes with ipywidgets
        return None
    shell = get_ipython()
    kernel = getattr(shell, "kernel", None)
    return getattr(kernel, "io_loop", None)


#: CSS class of a lab's outer box on the page.
LAB_CLASS = "nnfs-lab"
GONE_TEXT = (
    "This lab is not running: its widgets lived in a kernel that has stopped or restarted "
    "since. Run this cell again to bring it back."
)
# A widget's saved output names a model that only the kernel that made it held; reopened
# later, JupyterLab writes "Error displaying widget: model not found" in its place. So the
# lab is shown after this hint, and the hint's CSS (applied in a trusted notebook, which a
# notebook saved by its user is; JupyterLab strips <style> from untrusted ones) shows either
# the lab, when its box is on the page, or the hint, hiding the output after it.
GONE_HINT = (
    "<style>"
    f".jp-OutputArea-child:has(.nnfs-lab-gone):has(+ .jp-OutputArea-child .{LAB_CLASS})"
    "{display:none}"
    f".jp-OutputArea-child:has(.nnfs-lab-gone) + .jp-OutputArea-child:not(:has(.{LAB_CLASS}))"
    "{display:none}"
    "</style>"
    f"<div class='nnfs-lab-gone' style='color:#555;font-style:italic'>↻ {GONE_TEXT}</div>"
)


class Lab:
    """A titled, documented widget. ``lab.widget`` is the box to display."""

    title_text: ClassVar[str] = ""
    help_text: ClassVar[str] = ""

    def __init__(self) -> None:
        self.title = widgets.HTML(f"<h3 style='margin:4px 0'>{html.escape(self.title_text)}</h3>")
        self.help = widgets.HTML(
            f"<div style='max-width:900px;line-height:1.35'>{self.help_text}</div>"
        )
        self.status = widgets.HTML("")
        #: Exceptions raised inside widget callbacks (a bug if not empty).
        self.errors: list[BaseException] = []
        self._lock = threading.RLock()
        self.widget: widgets.Box = widgets.VBox()
        #: The kernel's main event loop, where all drawing happens (None outside a kernel).
        self._loop = kernel_loop()
        #: Whether requests go to that loop (False: they run at once, in the caller's thread).
        self._deferred = self._loop is not None
        self._asked: set[str] = set()
        # Its own lock, not the lab's: a training thread asking to show progress must not
        # wait for a render on the main thread to finish.
        self._asked_lock = threading.Lock()

    def _repr_mimebundle_(self, **kwargs: Any) -> Any:
        return self.widget._repr_mimebundle_(**kwargs)

    def _ipython_display_(self) -> None:
        self.display()

    def display(self) -> None:
        """Show the lab in the notebook (same as ending a cell with ``lab``).

        Two outputs: the hint :data:`GONE_HINT` (hidden by its own CSS while the lab is on
        the page), then the lab's widget."""
        from IPython.display import display

        self.widget.add_class(LAB_CLASS)
        display({"text/html": GONE_HINT, "text/plain": GONE_TEXT}, raw=True)
        display(self.widget)

    def _soon(self, name: str, function: Callable[[], Any]) -> None:
        """Ask for ``function()`` to run on the kernel's main thread, once.

        Requests of the same ``name`` made before it runs are merged into one, and the
        function reads the widgets when it runs, so it acts on the latest state: a burst of
        scrubber positions during one render costs one more render, not a backlog. Outside
        a kernel (or with ``background=False``) it runs now."""
        if not self._deferred:
            self._safely(function)()
            return
        with self._asked_lock:
            if name in self._asked:
                return
            self._asked.add(name)

        def run() -> None:
            with self._asked_lock:
                self._asked.discard(name)
            self._safely(function)()

        self._loop.add_callback(run)

    def _safely(self, function: Callable[..., Any]) -> Callable[..., Any]:
        """Wrap a widget callback: hold the lab's lock, record and show any exception."""

        def call(*args: Any, **kwargs: Any) -> Any:
            try:
                with self._lock:
                    return function(*args, **kwargs)
            except Exception as error:  # a callback must never take the widget down
                self.errors.append(error)
                self.status.value = _error_html("Internal error in the lab", error)
                return None

        return call


def _error_html(prefix: str, error: BaseException) -> str:
    text = html.escape(f"{type(error).__name__}: {error}")
    return f"<span style='color:#b00020'>{prefix}: {text}</span>"


class _Job:
    """One request to train: the units still missing from the cache, and a stop flag."""

    def __init__(self, generation: int, total: int) -> None:
        self.generation = generation
        self.total = total
        self.stop = threading.Event()
        self.thread: threading.Thread | None = None
        self.started = time.perf_counter()
        self.last_post = -float("inf")
        #: The newest progress from the run: (progress value, history copy, epoch, the
        #: ``LiveRun.latest`` of that same epoch).
        self.latest: tuple[int, Any, int, Any] | None = None
        self.seconds = 0.0
        #: Each epoch's parameters, for live frames of the run (its units one after another).
        self.live = LiveRun()
        #: Live frames drawn for this run so far.
        self.live_frames = 0


def _ends_within(job: _Job, done: int, now: float, seconds: float) -> bool:
    """Whether ``job``, ``done`` epochs into its ``total``, should end within ``seconds`` at
    the pace it has kept so far."""
    if done <= 0:
        return False
    remaining = (now - job.started) * (job.total - done) / done
    return remaining < seconds


class TrainingLab(Lab):
    """A lab whose settings train a model: cache, progress, Stop, and drawing.

    Subclasses set ``Settings`` (a frozen dataclass with a ``key()``) and ``run_function``,
    make their setting widgets in ``_make_controls`` (registered in ``self.controls`` by
    settings field name), build the figure in ``_make_figure`` and draw a result in
    ``_draw``. Labs with one run per setting also get an epoch scrubber and a Play button
    (``replay = True``).
    """

    Settings: ClassVar[type]
    run_function: ClassVar[Callable[..., Any]]
    figsize: ClassVar[tuple[float, float]] = (11.0, 7.0)
    replay: ClassVar[bool] = True
    #: Keyword arguments for the book's full-length run, e.g. ``Lab(**Lab.book_settings)``.
    book_settings: ClassVar[dict[str, Any]] = {}

    def __init__(
        self,
        *,
        background: bool | None = None,
        figure_mode: str = "auto",
        autorun: bool | None = None,
        processes: bool | None = None,
        cache_size: int = 8,
        max_snapshots: int = 100,
        **initial: Any,
    ) -> None:
        super().__init__()
        names = [f.name for f in fields(self.Settings)]
        unknown = sorted(set(initial) - set(names))
        if unknown:
            raise TypeError(
                f"{type(self).__name__}: unknown setting(s) {', '.join(unknown)}; the settings "
                f"are {', '.join(names)}."
            )
        self.cache = RunCache(cache_size)
        self.max_snapshots = max_snapshots
        #: The result on display (a TrainingResult, or what the lab assembles from several).
        self.result: Any = None
        #: The exception of the last failed run (for example a divergence), else None.
        self.failure: BaseException | None = None
        #: How many runs were started (cache misses that trained).
        self.trainings = 0
        self.shown_epoch: int | None = None
        self._generation = 0
        self._job: _Job | None = None
        self._syncing = False
        self._batching = False
        #: True while ``_draw`` draws a run in progress (a live frame).
        self._drawing_live = False
        self.background = (self._loop is not None) if background is None else bool(background)
        self._deferred = self.background and self._loop is not None
        #: Whether background runs train in a process of their own (training_process.py):
        #: by default in a kernel, where the main thread draws live frames meanwhile.
        if processes is None:
            # Not in the grading sandbox (NNFS_GRADING=1): nobody watches the live frames,
            # and a fork server would cost a submission about a second of CPU.
            processes = self._deferred and os.environ.get("NNFS_GRADING") != "1"
        self.processes = bool(processes) and self.background and training_process.available()
        if self.processes:
            training_process.warm_up()

        self.controls: dict[str, widgets.Widget] = {}
        self._make_controls()
        self._fixed = {}
        for name, value in initial.items():
            if name in self.controls:
                set_initial(self.controls[name], value)
            else:
                self._fixed[name] = value
        self._after_initial()
        self.train_button = widgets.Button(description="Train", icon="play", tooltip="train now")
        self.stop_button = widgets.Button(
            description="Stop", icon="stop", disabled=True, tooltip="stop the run in progress"
        )
        self.progress = widgets.IntProgress(
            value=0,
            min=0,
            max=1,
            description="training",
            layout=widgets.Layout(visibility="hidden", width="300px"),
        )
        self.view = FigureView(self.figsize, mode=figure_mode)
        self.figure = self.view.figure
        self._make_figure()
        if self.replay:
            # Dragging asks for a frame per position; requests merge (``_soon``), so the
            # picture follows as fast as frames render and always ends on the last one.
            self.scrubber = ScrubberSlider(
                value=0,
                min=0,
                max=0,
                step=1,
                description="epoch",
                continuous_update=True,
                style=STYLE,
                layout=widgets.Layout(width="600px"),
            )
            self.play = ReplayPlay(value=0, min=0, max=0, step=1, interval=100)
            self._play_link = widgets.link((self.play, "value"), (self.scrubber, "value"))
            self.scrubber.observe(self._safely(self._on_scrub), names="value")

        for name, widget in self.controls.items():
            if name not in self._own_observers():
                widget.observe(self._safely(self._on_setting), names="value")
        self.train_button.on_click(lambda _: self._soon("train", self.train))
        self.stop_button.on_click(self._safely(self._on_stop))
        self.widget = widgets.VBox(self._children())
        if autorun is None:
            # Train at once for a person; not in the grading sandbox (which sets
            # NNFS_GRADING=1), where nobody watches and every second is a submission's.
            autorun = os.environ.get("NNFS_GRADING") != "1"
        if autorun:
            self._safely(self.train)()

    # -- settings ----------------------------------------------------------------
    @property
    def settings(self) -> Any:
        """The settings the widgets show now, as the lab's frozen ``Settings``."""
        values = {name: widget.value for name, widget in self.controls.items()}
        return self.Settings(**{**self._fixed, **values})

    def run(
        self, settings: Any = None, *, callback: Callable | None = None, live: Any = None
    ) -> Any:
        """Train once with ``settings`` (default: the widgets'), in plain Python.

        No cache, no widgets: returns a :class:`~nnfs_core.labs.training.TrainingResult`.
        ``live`` (a :class:`~nnfs_core.labs.training.LiveRun`) receives each epoch's
        parameters, for live frames.
        """
        settings = self.settings if settings is None else settings
        return type(self).run_function(
            settings, callback=callback, max_snapshots=self.max_snapshots, live=live
        )

    # -- what subclasses provide -------------------------------------------------
    def _make_controls(self) -> None:  # pragma: no cover - abstract
        raise NotImplementedError

    def _make_figure(self) -> None:  # pragma: no cover - abstract
        raise NotImplementedError

    def _draw(self, result: Any, epoch: int) -> None:  # pragma: no cover - abstract
        raise NotImplementedError

    def _control_rows(self) -> list[widgets.Widget]:
        """How to lay the controls out (default: two columns)."""
        items = list(self.controls.values())
        half = (len(items) + 1) // 2
        return [widgets.HBox([widgets.VBox(items[:half]), widgets.VBox(items[half:])])]

    def _after_initial(self) -> None:
        """Hook run once the starting values are in the widgets."""

    def _own_observers(self) -> tuple[str, ...]:
        """Controls whose changes the subclass handles itself."""
        return ()

    def _units(self, settings: Any) -> list[tuple[Hashable, Any]]:
        """``(cache key, settings)`` of each run needed to show ``settings``."""
        return [(settings.key(), settings)]

    def _assemble(self, settings: Any, results: dict[Hashable, Any]) -> Any:
        return results[settings.key()]

    def _run_unit(
        self, unit: Any, callback: Callable, live: Any = None, stopped: Callable | None = None
    ) -> Any:
        return self._train_once(type(self).run_function, unit, callback, live, stopped)

    def _train_once(
        self,
        function: Callable[..., Any],
        unit: Any,
        callback: Callable,
        live: Any = None,
        stopped: Callable[[], bool] | None = None,
    ) -> Any:
        """One run of a background job: in a process of its own once the fork server is
        ready (``self.processes``), else in this thread. ``stopped()`` says the job was
        stopped (a process run asks it between progress messages)."""
        if self.processes and training_process.ready():
            return training_process.run(
                function,
                unit,
                max_snapshots=self.max_snapshots,
                callback=callback,
                live=live,
                stopped=stopped,
            )
        return function(unit, callback=callback, max_snapshots=self.max_snapshots, live=live)

    def _live(self, history: Any, epoch: int, state: Any) -> bool:
        """Draw a run in progress as of ``epoch`` (``history`` is a copy up to it, ``state``
        the ``LiveRun.latest`` of that epoch): the whole figure, as ``_draw`` draws a
        finished run, with the curves over the planned run's epochs; return True if
        something changed."""
        job = self._job
        result = job.live.result(history, state) if job is not None else None
        if result is None or not self.replay:
            return False
        self._drawing_live = True
        try:
            self._draw(result, epoch)
        finally:
            self._drawing_live = False
        return True

    def _update_curves(self, history: Any, upto: int) -> None:
        """The curves up to ``upto``: fitted to the whole history, or while a run is drawn
        live, over the planned run with steady limits."""
        span = self._planned_epochs() if self._drawing_live else None
        self.curves.update(history, upto=upto, span=span)

    def _planned_epochs(self) -> int | None:
        """How many epochs the run in progress will train (None when none is)."""
        return self._job.total if self._job is not None else None

    def _summary(self, result: Any) -> str:
        history = result.history
        text = f"loss {history.loss[-1]:.4g}, accuracy {history.accuracy[-1]:.3f}"
        if history.val_loss:
            text += (
                f"; validation loss {history.val_loss[-1]:.4g}, "
                f"accuracy {history.val_accuracy[-1]:.3f}"
            )
        return text

    def _children(self) -> list[widgets.Widget]:
        buttons = widgets.HBox(
            [self.train_button, self.stop_button, self.progress],
            layout=widgets.Layout(align_items="center"),
        )
        # The status on a line of its own: beside the buttons it wrapped onto two lines.
        children = [
            self.title,
            self.help,
            *self._control_rows(),
            buttons,
            self.status,
            self.view.widget,
        ]
        if self.replay:
            children.append(widgets.HBox([self.play, self.scrubber]))
        return children

    # -- training ------------------------------------------------------------------
    def train(self, settings: Any = None) -> None:
        """Show ``settings`` (default: the widgets'): from the cache, or by training."""
        with self._lock:
            self._train(self.settings if settings is None else settings)

    def _train(self, settings: Any) -> None:
        self._generation += 1
        if self._job is not None:
            self._job.stop.set()
            self._job = None
        results: dict[Hashable, Any] = {}
        missing: list[tuple[Hashable, Any]] = []
        for key, unit in self._units(settings):
            found, value = self.cache.lookup(key)
            if found:
                results[key] = value
            else:
                missing.append((key, unit))
        if not missing:
            self._finished(self._generation, settings, results, None)
            return
        job = _Job(self._generation, sum(unit.epochs for _, unit in missing))
        self._job = job
        self.trainings += len(missing)
        self.stop_button.disabled = False
        self.progress.max = max(job.total, 1)
        self.progress.value = 0
        self.status.value = "training…"
        if self.background:
            job.thread = threading.Thread(
                target=self._work,
                args=(job, settings, results, missing),
                name=f"{type(self).__name__}-run-{job.generation}",
                daemon=True,
            )
            job.thread.start()
        else:
            self._work(job, settings, results, missing)

    def wait(self, timeout: float | None = None) -> None:
        """Block until a background run ends (scripts and tests; not inside a kernel,
        where the results arrive only once the cell is finished)."""
        deadline = None if timeout is None else time.perf_counter() + timeout
        while True:
            job = self._job
            thread = job.thread if job is not None else None
            if thread is None or not thread.is_alive():
                return
            remaining = None if deadline is None else max(0.0, deadline - time.perf_counter())
            thread.join(remaining)
            if deadline is not None and time.perf_counter() >= deadline:
                return

    @property
    def running(self) -> bool:
        return self._job is not None

    def stop(self) -> None:
        """Ask the run in progress to stop after its current epoch (what Stop does)."""
        if self._job is not None:
            self._job.stop.set()
            self.status.value = "stopping…"

    def _on_stop(self, _button: Any = None) -> None:
        self.stop()

    def _on_setting(self, _change: Any) -> None:
        if not self._batching:
            self._soon("train", self.train)

    def _post(self, function: Callable[..., Any], *args: Any) -> None:
        """Run ``function`` where widgets may be touched: the kernel's main thread."""
        call = self._safely(function)
        if self.background and self._loop is not None:
            self._loop.add_callback(call, *args)
        else:
            call(*args)

    def _work(self, job: _Job, settings: Any, results: dict, missing: list) -> None:
        done = 0
        for key, unit in missing:
            try:
                result = self._run_unit(
                    unit, self._epoch_callback(job, done), job.live, job.stop.is_set
                )
            except Exception as error:
                self._post(self._failed, job, error)
                return
            if not result.stopped:
                self._post(self.cache.put, key, result)
            results[key] = result
            job.seconds += result.seconds
            done += result.epochs_done
            if result.stopped:
                break
        self._post(self._finished, job.generation, settings, results, job)

    def _epoch_callback(self, job: _Job, offset: int) -> Callable:
        def callback(epoch: int, history: Any) -> bool | None:
            if job.stop.is_set():
                return False
            now = time.perf_counter()
            if epoch == 1 or now - job.last_post >= POST_EVERY:
                job.last_post = now
                # The history and the parameters of the same epoch (the training thread
                # handed them to job.live just before this call).
                job.latest = (
                    offset + epoch,
                    type(history)(**history.to_dict()),
                    epoch,
                    job.live.latest,
                )
                # Merged with any progress not shown yet: the main thread shows the newest.
                self._soon(f"progress-{job.generation}", lambda: self._progress(job))
            return None

        return callback

    def _progress(self, job: _Job) -> None:
        if job is not self._job or job.latest is None:
            return
        value, history, epoch, state = job.latest
        self.progress.value = min(value, self.progress.max)
        now = time.perf_counter()
        if now - job.started >= PROGRESS_AFTER:
            self.progress.layout.visibility = "visible"
        # Live frames from the first epoch on: the picture answers a slider's release at
        # once (in a kernel, the run's first epoch, whatever the pause an earlier run left),
        # then follows it at the pace below.
        due = (job.live_frames == 0 and self._deferred) or now >= _LiveClock.next_at
        if job.live_frames and _ends_within(job, value, now, LIVE_EVERY):
            # The final picture is due sooner than the next live frame would be: a frame
            # now would only hold it back.
            due = False
        if not due or not self._live(history, epoch, state):
            return
        job.live_frames += 1
        self.view.refresh()
        spent = time.perf_counter() - now
        pause = max(LIVE_EVERY, spent * (1 - LIVE_SHARE) / LIVE_SHARE)
        _LiveClock.next_at = time.perf_counter() + pause

    def _failed(self, job: _Job, error: BaseException) -> None:
        if job.generation != self._generation:
            return
        self._job = None
        self.failure = error
        self.stop_button.disabled = True
        self.progress.layout.visibility = "hidden"
        self.status.value = _error_html("Training failed", error)

    def _finished(self, generation: int, settings: Any, results: dict, job: _Job | None) -> None:
        if generation != self._generation:
            return
        self._job = None
        self.failure = None
        self.stop_button.disabled = True
        self.progress.layout.visibility = "hidden"
        result = self._assemble(settings, results)
        self.result = result
        self._show(result)
        self.status.value = self._status_text(result, job)

    def _status_text(self, result: Any, job: _Job | None) -> str:
        if job is None:
            how = "from the cache (no training)"
        else:
            how = f"trained in {job.seconds:.2f} s"
        stopped = getattr(result, "stopped", False)
        if stopped:
            how = (
                f"<b>stopped</b> at epoch {result.epochs_done} of {result.epochs_requested}, "
                f"not cached; {how}"
            )
        return f"{how} — {html.escape(self._summary(result))}"

    # -- drawing -----------------------------------------------------------------
    def _show(self, result: Any) -> None:
        last = self._last_epoch(result)
        if self.replay:
            self._syncing = True
            try:
                # One message per widget, range first (see _RangeFirst); both held, as the
                # link between them moves the other's value too.
                with self.scrubber.hold_sync(), self.play.hold_sync():
                    for widget in (self.scrubber, self.play):
                        widget.max = max(last, 1)
                        widget.step = max(1, result.snapshot_every)
                        widget.value = last
            finally:
                self._syncing = False
        self._draw(result, last)
        self.shown_epoch = last
        self.view.refresh()

    def _last_epoch(self, result: Any) -> int:
        return result.epochs_done

    def _on_scrub(self, change: Any) -> None:
        if self._syncing or self.result is None:
            return
        self._soon("scrub", self._show_scrubbed)

    def _show_scrubbed(self) -> None:
        """Draw the snapshot the scrubber points at now (on the main thread)."""
        if self.result is None:
            return
        epoch = self.result.snapshot_at(int(self.scrubber.value)).epoch
        if epoch == self.shown_epoch:
            return
        self._draw(self.result, epoch)
        self.shown_epoch = epoch
        self.view.refresh()

    def show_epoch(self, epoch: int) -> None:
        """Replay: show the snapshot at ``epoch`` (same as moving the scrubber)."""
        self.scrubber.value = int(epoch)

    @staticmethod
    def _regions_at(result: Any, epoch: int, regions: Any) -> Any:
        """Background of ``regions`` for the snapshot at ``epoch``, computed once per result."""
        key = ("regions", id(regions), regions.proba, epoch)
        if key not in result.memo:
            values = regions.compute(result.model_at(epoch))
            if not regions.proba and regions.n_classes <= 256:
                values = values.astype(np.uint8)  # a class map per snapshot: keep it small
            result.memo[key] = values
        return result.memo[key]


def optimizer_description(name: str) -> str:
    return {
        "SGD": "plain steps against the gradient; momentum keeps part of the previous step",
        "AdaGrad": "per-parameter steps, divided by the root of all squared gradients so far",
        "RMSProp": "like AdaGrad, but the squared gradients are a moving average (rho)",
        "Adam": "momentum (beta 1) plus an RMSProp cache (beta 2), both bias-corrected",
    }[name]
