"""Glyph bitmaps kept from one lab frame to the next: the same pixels, drawn sooner.

A lab's frame draws the same tick labels and nearly the same titles every time, and Agg
(matplotlib 3.11 and later) asks FreeType to render every glyph of every text anew: for the
optimizer lab about a third of a frame. A glyph's bitmap depends on the glyph, the font, its
size, the rotation and where the glyph's origin falls *within* a pixel (FreeType positions
to 1/64 pixel); a whole-pixel move only moves the bitmap. So :func:`cached_glyphs` keys the
bitmaps by all of that, the origin's fraction included, and places a kept bitmap at the
whole-pixel offset: the pixels are those FreeType gives (``tests/test_lab_frames.py``
compares every frame of every lab with ``savefig``, which does not use the cache).

Anything else (mathtext rule boxes, text drawn without antialiasing, a matplotlib whose Agg
renderer works differently) is drawn by matplotlib's own code.
"""

from __future__ import annotations

import contextlib
import math
from collections.abc import Iterator
from typing import Any

import numpy as np
from matplotlib.backends import backend_agg

#: Bitmaps kept per figure before the cache starts again (a few MB at most).
LIMIT = 20_000
_METHOD = "_draw_text_glyphs_and_boxes"


def supported(renderer: Any) -> bool:
    """Whether this matplotlib's Agg renderer draws text glyph by glyph as this module expects."""
    return (
        hasattr(renderer, _METHOD)
        and hasattr(renderer, "_renderer")
        and hasattr(backend_agg, "RenderMode")
        and hasattr(backend_agg, "get_hinting_flag")
    )


@contextlib.contextmanager
def cached_glyphs(renderer: Any, cache: dict) -> Iterator[None]:
    """Within the block, ``renderer`` draws text with the bitmaps kept in ``cache`` (a dict
    the caller keeps from frame to frame), rendering and keeping those it lacks."""
    if not supported(renderer):
        yield
        return
    original = getattr(renderer, _METHOD)
    render_mode = backend_agg.RenderMode.NORMAL
    draw_image = renderer._renderer.draw_text_image

    def draw(gc: Any, x: float, y: float, angle: float, glyphs: Any, boxes: Any) -> None:
        if boxes or not gc.get_antialiased():
            original(gc, x, y, angle, glyphs, boxes)
            return
        if len(cache) > LIMIT:
            cache.clear()
        cos, sin = math.cos(math.radians(angle)), math.sin(math.radians(angle))
        flags = backend_agg.get_hinting_flag()
        height, dpi = renderer.height, renderer.dpi
        for font, size, index, slant, extend, dx, dy in glyphs:  # dy is upwards
            # The origin in FreeType's 26.6 fixed point, as matplotlib computes it.
            tx = round(0x40 * (x + dx * cos - dy * sin))
            ty = round(0x40 * (height - y + dx * sin + dy * cos))
            key = (font, size, dpi, index, slant, extend, angle, flags, tx & 63, ty & 63)
            kept = cache.get(key)
            if kept is None:
                font.set_size(size, dpi)
                # (matplotlib's own expression, so that the matrix is the same to the bit)
                rotation = 0x10000 * np.array([[cos, -sin], [sin, cos]])
                matrix = (rotation @ [[extend, extend * slant], [0, 1]]).round().astype(int)
                font._set_transform(matrix, [tx & 63, ty & 63])
                bitmap = font._render_glyph(index, flags, render_mode)
                kept = cache[key] = (bitmap.buffer.copy(), bitmap.left, bitmap.top)
            buffer, left, top = kept
            left, top = left + (tx >> 6), top + (ty >> 6)
            draw_image(buffer, left, int(height) - top + buffer.shape[0], 0, gc)

    setattr(renderer, _METHOD, draw)
    try:
        yield
    finally:
        delattr(renderer, _METHOD)
