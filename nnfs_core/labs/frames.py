"""Frames of a lab's figure that redraw only what changes, pixel for pixel as a full draw.

Why: most of a full Agg draw of a lab's figure goes to the axes' ticks and tick labels
(about three quarters of 0.3 s for the optimizer lab's twelve axes), which stay the same
from one frame of a replay or a live run to the next; only the heat maps, the regions,
the curves and the titles change. So :class:`AggFrames` keeps a *background*, the figure
drawn once without its content, and each frame restores it and draws the content over it.

Why the result is the full draw's, not an approximation: Agg paints artists one after the
other, each over what is already there. ``Axes.draw`` paints the axes patch, then its
children sorted by zorder; :class:`AggFrames` makes the axis objects (ticks, tick labels,
grid, axis labels) come first in that order, and everything after them (images, lines,
collections, spines, titles, legends: the *content*) is painted by the frame, in the same
order and by the same ``draw`` methods. Restoring the background replaces exactly the
painting of the patch and the axis objects. The few things a full draw computes on the way
(each axes' aspect, the titles' height above the tick labels) are computed the same way.

One thing breaks that equivalence: content of one axes reaching over the frame of an axes
drawn after it (a long title running into the next panel's tick labels): a full draw paints
the later frame over it, a quick frame would paint it over the later frame. Such a frame is
drawn in full (see :meth:`AggFrames._reaches_a_later_frame`).

When the frame of some axes changed (its limits, scales, locators, formatters, label or
position: :func:`_axes_signature`), only those axes' frames are drawn again into the
background (:meth:`AggFrames._patch_background`): the figure is drawn with every other axes
hidden, except those whose frames share pixels with the changed ones, and the pixels around
the changed frames, before and after, are copied into the kept background. Within that area
the same artists paint in the same order as in a full draw, so the pixels are the same; at
the start and the end of an optimizer lab's run only the learning-rate panel's limits
move, and patching it took 60 to 90 ms against about 300 ms for the whole background. Axes
whose axis labels are aligned with other axes' (``figure.align_labels``) are not patched:
their tick labels move the others' axis labels too.

When a frame cannot be drawn this way it is drawn in full, which is always right:

- the background is stale in a way a patch does not cover (size, dpi, the figure's colour,
  which axes exist or their order: :meth:`AggFrames._figure_signature`); a lab that changes
  something else of its axes' frames (tick parameters, for example) calls
  :meth:`AggFrames.invalidate`;
- the figure uses what this scheme does not cover: a layout engine (which moves axes
  after reading the content), subfigures, rasterization by zorder, or figure-level
  artists (``fig.text``, ``fig.legend``) that are not above every axes.

``tests/test_lab_frames.py`` compares frames with full draws on every lab, pixel for pixel.
"""

from __future__ import annotations

from typing import Any

import numpy as np
from matplotlib.axes import Axes
from matplotlib.axis import Axis
from matplotlib.figure import Figure
from matplotlib.image import AxesImage, _draw_list_compositing_images
from matplotlib.spines import Spine
from matplotlib.text import Text
from matplotlib.transforms import Bbox

from .glyphs import cached_glyphs

#: How far below its axes' content an axis object is put (zorder), so that it is painted
#: first. (Content is rarely below zorder 0; tick marks point outwards, so nothing moves.)
_BELOW = 1e-3
#: Pixels added around a frame's area: antialiasing paints a little beyond the boxes.
_MARGIN = 3.0


def _content(ax: Axes) -> list[Any]:
    """What ``Axes.draw`` paints after the axes patch, minus the axis objects, in its order."""
    children = ax.get_children()
    children.remove(ax.patch)
    if not (ax.axison and ax.get_frame_on()):
        children = [child for child in children if child not in ax.spines.values()]
    axes_axis = set(ax._axis_map.values())
    children = [
        child
        for child in children
        if child not in axes_axis and (not child.get_animated() or isinstance(child, AxesImage))
    ]
    return sorted(children, key=lambda child: child.get_zorder())


def _axis_objects(ax: Axes) -> list[Axis]:
    return list(ax._axis_map.values())


def _figure_content(figure: Figure) -> list[Any]:
    """Figure-level artists other than axes (texts, legends...), in drawing order."""
    children = [
        child
        for child in figure.get_children()
        if child is not figure.patch and not isinstance(child, Axes) and not child.get_animated()
    ]
    return sorted(children, key=lambda child: child.get_zorder())


def _titles(ax: Axes) -> tuple[Any, Any, Any]:
    return (ax.title, ax._left_title, ax._right_title)


def _title_state(ax: Axes) -> tuple:
    """What the titles' height above the axes depends on, besides the background."""
    return tuple(
        (title.get_text(), title.get_fontproperties(), title.get_visible(), title.get_position()[0])
        for title in _titles(ax)
    )


class AggFrames:
    """Draw ``figure`` on its Agg canvas, reusing the axes' frames from one frame to the next.

    ``draw()`` leaves the canvas buffer exactly as ``figure.canvas.draw()`` would. How each
    frame was made is counted (for tests and benchmarks): ``full_draws`` (a figure this
    scheme does not cover), ``backgrounds`` (the background drawn again, then the content),
    ``patched`` (the frames of the axes that changed drawn again into the background, then
    the content), ``reused`` (the background restored, then the content).
    """

    def __init__(self, figure: Figure) -> None:
        self.figure = figure
        self.full_draws = 0
        self.backgrounds = 0
        self.patched = 0
        self.reused = 0
        self._background: Any = None
        self._figure_then: tuple | None = None
        #: Per axes, its :func:`_axes_signature` when its frame was last drawn.
        self._axes_then: dict[int, tuple] = {}
        #: Per axes, (title state, title positions) as the background's draw left them.
        self._titles_then: dict[int, tuple[tuple, list]] = {}
        #: Per axes, the area its frame covers (patch, ticks, tick and axis labels).
        self._frame_areas: dict[int, Bbox] = {}
        #: Rendered glyphs, kept from frame to frame (glyphs.cached_glyphs).
        self._glyphs: dict = {}

    def invalidate(self) -> None:
        """Forget the background: the next frame is drawn in full (after a change to the
        axes' frames that :meth:`_signature` does not see)."""
        self._background = None

    # -- what the background depends on ----------------------------------------------
    def _supported(self) -> bool:
        figure = self.figure
        if figure.get_layout_engine() is not None or figure.subfigs:
            return False
        axes = [ax for ax in figure.axes if ax.get_visible()]
        if any(ax._rasterization_zorder is not None for ax in axes):
            return False
        top_axes = max((ax.get_zorder() for ax in axes), default=0.0)
        return all(artist.get_zorder() > top_axes for artist in _figure_content(figure))

    def _figure_signature(self) -> tuple:
        """What every axes' frame depends on: a change here draws the whole background."""
        figure = self.figure
        return (
            tuple(figure.get_size_inches()),
            figure.dpi,
            figure.patch.get_facecolor(),
            figure.get_visible(),
            tuple((id(ax), ax.get_zorder()) for ax in figure.axes),
        )

    # -- drawing ---------------------------------------------------------------------
    def draw(self) -> None:
        # Tick labels and titles come back every frame: their glyphs' bitmaps are kept.
        with cached_glyphs(self.figure.canvas.get_renderer(), self._glyphs):
            self._draw()

    def _draw(self) -> None:
        canvas = self.figure.canvas
        if not self._supported():
            self._full()
            return
        # Each axes' content, listed once per frame (the background's draw leaves it as it is).
        contents = {ax: _content(ax) for ax in self.figure.axes}
        self._order_axis_objects(contents)
        figure_now = self._figure_signature()
        if self._background is None or figure_now != self._figure_then:
            fresh = True
            self._draw_background(contents)
        else:
            changed = [
                ax for ax in self.figure.axes if _axes_signature(ax) != self._axes_then.get(id(ax))
            ]
            fresh = bool(changed)
            if changed and not self._patch_background(contents, changed):
                self._draw_background(contents)
        if fresh:
            self._figure_then = figure_now
            self._axes_then = {id(ax): _axes_signature(ax) for ax in self.figure.axes}
        renderer = canvas.get_renderer()
        axes = self._axes_in_order()
        for ax in axes:
            self._place_titles(ax, renderer)
        if self._reaches_a_later_frame(axes, contents, renderer):
            self._full(keep_background=True)
            return
        if not fresh:
            canvas.restore_region(self._background)
            self.reused += 1
        self._draw_content(axes, contents, renderer)

    def _full(self, *, keep_background: bool = False) -> None:
        if not keep_background:
            self._background = None
        self.figure.canvas.draw()
        self.full_draws += 1

    def _order_axis_objects(self, contents: dict[Axes, list[Any]]) -> None:
        """Put each axes' axis objects just below its lowest content (painted first)."""
        for ax, content in contents.items():
            if not content:
                continue
            lowest = min(child.get_zorder() for child in content)
            for axis in _axis_objects(ax):
                if axis.get_zorder() >= lowest:
                    axis.set_zorder(lowest - _BELOW)

    def _draw_background(self, contents: dict[Axes, list[Any]]) -> None:
        """A full draw with the content left out."""
        figure = self.figure
        self._draw_frames_only(contents, figure.axes)
        self._background = figure.canvas.copy_from_bbox(figure.bbox)
        self._remember_frames(figure.axes)
        self.backgrounds += 1

    def _patch_background(self, contents: dict[Axes, list[Any]], changed: list[Axes]) -> bool:
        """Draw the frames of the ``changed`` axes again into the kept background; False
        (nothing done) when the area to copy reaches frames this did not redraw.

        The area is where the changed frames painted and now paint, widened by a margin for
        antialiasing. Every axes whose frame shared pixels with where they painted is drawn
        as well, in the full draw's order, so within the area the pixels are a full
        background's."""
        figure = self.figure
        before = [self._frame_areas.get(id(ax)) for ax in changed]
        if any(area is None for area in before) or _aligned(figure, changed):
            return False
        painted = Bbox.union(before).padded(_MARGIN)
        drawn = [
            ax
            for ax in figure.axes
            if ax in changed or self._frame_areas[id(ax)].padded(_MARGIN).overlaps(painted)
        ]
        for _attempt in range(2):
            self._draw_frames_only(contents, drawn)
            self._remember_frames(drawn)
            now = [self._frame_areas[id(ax)] for ax in changed]
            area = _pixel_box(Bbox.union([painted, *now]).padded(_MARGIN), figure.bbox)
            # Frames not drawn that share pixels with the area (the changed frames grew
            # towards them): draw once more with them.
            missing = [
                ax
                for ax in figure.axes
                if ax not in drawn and self._frame_areas[id(ax)].padded(_MARGIN).overlaps(area)
            ]
            if not missing:
                break
            drawn = [ax for ax in figure.axes if ax in drawn or ax in missing]
        else:
            return False
        patch = figure.canvas.copy_from_bbox(area)
        figure.canvas.restore_region(self._background)
        figure.canvas.restore_region(patch)
        self._background = figure.canvas.copy_from_bbox(figure.bbox)
        self.patched += 1
        return True

    def _draw_frames_only(self, contents: dict[Axes, list[Any]], axes: list[Axes]) -> None:
        """Draw the figure with the content left out (marked animated, which ``Axes.draw``
        and ``Figure.draw`` skip; images are hidden instead, as animated images are drawn)
        and every axes not in ``axes`` hidden."""
        figure = self.figure
        changed: list[tuple[Any, str, bool]] = []
        everything = [child for content in contents.values() for child in content]
        everything += _figure_content(figure)
        for artist in everything:
            if isinstance(artist, AxesImage):
                if artist.get_visible():
                    artist.set_visible(False)
                    changed.append((artist, "visible", True))
            elif not artist.get_animated():
                artist.set_animated(True)
                changed.append((artist, "animated", False))
        for ax in figure.axes:
            if ax not in axes and ax.get_visible():
                ax.set_visible(False)
                changed.append((ax, "visible", True))
        try:
            figure.canvas.draw()
        finally:
            for artist, what, value in changed:
                if what == "visible":
                    artist.set_visible(value)
                else:
                    artist.set_animated(value)

    def _remember_frames(self, axes: list[Axes]) -> None:
        """Keep what the draw just made of these axes' frames: the titles' positions and
        the area each frame covers."""
        renderer = self.figure.canvas.get_renderer()
        for ax in axes:
            positions = [title.get_position() for title in _titles(ax)]
            self._titles_then[id(ax)] = (_title_state(ax), positions)
            self._frame_areas[id(ax)] = _frame_area(ax, renderer)

    def _axes_in_order(self) -> list[Axes]:
        """The axes a full draw paints, in its order (stable sort by zorder)."""
        return sorted(
            (ax for ax in self.figure.axes if ax.get_visible() and not ax.get_animated()),
            key=lambda ax: ax.get_zorder(),
        )

    def _reaches_a_later_frame(
        self, axes: list[Axes], contents: dict[Axes, list[Any]], renderer: Any
    ) -> bool:
        """Whether content of an axes overlaps the frame of an axes painted after it."""
        for index, ax in enumerate(axes[:-1]):
            later = [self._frame_areas.get(id(other)) for other in axes[index + 1 :]]
            later = [area for area in later if area is not None]
            for area in _content_areas(ax, contents[ax], renderer):
                if any(area.overlaps(frame) for frame in later):
                    return True
        return False

    def _draw_content(
        self, axes: list[Axes], contents: dict[Axes, list[Any]], renderer: Any
    ) -> None:
        figure = self.figure
        for ax in axes:
            renderer.open_group("axes", gid=ax.get_gid())
            _draw_list_compositing_images(renderer, ax, contents[ax], figure.suppressComposite)
            renderer.close_group("axes")
            ax.stale = False
        _draw_list_compositing_images(
            renderer, figure, _figure_content(figure), figure.suppressComposite
        )
        figure.stale = False

    def _place_titles(self, ax: Axes, renderer: Any) -> None:
        """Titles at the height a full draw gives them: as the background's draw left them
        when they did not change, else computed again the way ``Axes.draw`` does."""
        state, positions = self._titles_then.get(id(ax), (None, None))
        if state == _title_state(ax):
            for title, position in zip(_titles(ax), positions, strict=True):
                if title.get_position() != position:
                    title.set_position(position)
        else:
            ax._update_title_position(renderer)


def _frame_area(ax: Axes, renderer: Any) -> Bbox:
    """Where the axes' frame paints: its patch, and its axis objects' ticks and labels."""
    areas = [ax.bbox]
    for axis in _axis_objects(ax):
        if axis.get_visible() and ax.axison:
            area = axis.get_tightbbox(renderer)
            if area is not None:
                areas.append(area)
    return Bbox.union(areas)


def _content_areas(ax: Axes, content: list[Any], renderer: Any) -> list[Bbox]:
    """Where the axes' content may paint: inside the axes (what is clipped to it, widened by
    the spines' line width), plus what is drawn beyond it (titles, texts, legends)."""
    spine_width = max((spine.get_linewidth() for spine in ax.spines.values()), default=0.0)
    pad = spine_width * ax.figure.dpi / 72.0 + 1.0
    areas = [ax.bbox.padded(pad)]
    for artist in content:
        if not artist.get_visible() or isinstance(artist, Spine):
            continue
        clip = artist.get_clip_box() if artist.get_clip_on() else None
        if clip is not None and artist.get_clip_path() is None and _inside(clip, ax.bbox):
            continue
        if isinstance(artist, Text) and not artist.get_text():
            continue
        area = artist.get_window_extent(renderer)
        if np.isfinite(area.extents).all() and area.width >= 0 and area.height >= 0:
            areas.append(area)  # (an artist that paints nothing has a null box)
    return areas


def _inside(box: Bbox, outer: Bbox) -> bool:
    return box.x0 >= outer.x0 and box.y0 >= outer.y0 and box.x1 <= outer.x1 and box.y1 <= outer.y1


def _aligned(figure: Figure, axes: list[Axes]) -> bool:
    """Whether any of ``axes`` has its axis labels aligned with other axes'
    (``figure.align_labels``): its ticks then move their labels too, which a patch of its
    frame alone would leave where they were."""
    groups = getattr(figure, "_align_label_groups", {})
    return any(len(group.get_siblings(ax)) > 1 for group in groups.values() for ax in axes)


def _pixel_box(box: Bbox, within: Bbox) -> Bbox:
    """``box`` widened to whole pixels and cut to ``within``: the area a copy of the canvas
    takes (Agg copies whole pixels)."""
    x0 = max(np.floor(box.x0), within.x0)
    y0 = max(np.floor(box.y0), within.y0)
    x1 = min(np.ceil(box.x1), within.x1)
    y1 = min(np.ceil(box.y1), within.y1)
    return Bbox.from_extents(x0, y0, max(x0, x1), max(y0, y1))


def _axes_signature(ax: Axes) -> tuple:
    """What an axes' frame (patch, ticks, tick and axis labels) depends on."""
    return (
        ax.get_visible(),
        ax.axison,
        ax.get_frame_on(),
        tuple(ax.get_position().bounds),
        ax.get_xlim(),
        ax.get_ylim(),
        ax.get_xscale(),
        ax.get_yscale(),
        ax.patch.get_facecolor(),
        tuple(_axis_signature(axis) for axis in _axis_objects(ax)),
    )


def _axis_signature(axis: Axis) -> tuple:
    return (
        axis.get_visible(),
        axis.get_zorder(),
        id(axis.get_major_locator()),
        id(axis.get_major_formatter()),
        id(axis.get_minor_locator()),
        id(axis.get_minor_formatter()),
        axis.get_label_text(),
        axis.label.get_visible(),
        axis.get_ticks_position(),
        axis.get_label_position(),
    )
