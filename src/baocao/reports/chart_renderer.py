"""The Agg renderer charts draw with: text sizes, font heights, string layouts and glyph images
kept for the life of the process, the same numbers and pixels as matplotlib's own.

Built on private APIs of matplotlib 3.11 (``RendererAgg._prepare_font`` and ``._renderer``,
``FT2Font._layout``, ``._set_transform`` and ``._render_glyph``, ``fontManager._find_fonts_by_props``):
a new matplotlib may change them, and ``tests/test_charts.py`` then tells, as it draws every chart
kind on matplotlib's own canvas too and compares the bytes. A chart draws with the
:class:`Renderer` when it is put on a :class:`Canvas`.
"""

from __future__ import annotations

import functools
import math

import matplotlib as mpl
import numpy as np
from matplotlib.backends.backend_agg import FigureCanvasAgg, RendererAgg, get_hinting_flag
from matplotlib.font_manager import fontManager, get_font
from matplotlib.ft2font import RenderMode

__all__ = ["Canvas", "Renderer"]


class Renderer(RendererAgg):
    """The Agg renderer, remembering text sizes, font heights, text layouts and glyph images
    across figures of this process.

    matplotlib measures every string with the renderer of its figure and keeps the result only
    as long as that renderer lives, and looks the font and its tables up again for every text
    box; each chart has its own renderer, so a report measured the same tick labels and names
    over and over (a fifth of a province report's time). Drawing a string, it lays it out with
    the font again (shaping, kerning) and has FreeType render each glyph again, although a
    province report draws the same 63 names in every ranking.

    Every cache is keyed by all that its value depends on, so the numbers and pixels are the same
    as matplotlib's own, computed once, and the PNGs are byte for byte the same:

    - sizes and layouts: the string, the font properties, the fonts they resolve to, the dpi, the
      hinting and kerning settings (and for layouts the text's font features and language);
    - glyph images: the font, its size, the dpi, the glyph, the rotation, the hinting and
      anti-aliasing flags and the glyph's sub-pixel offset. FreeType applies a transform's
      translation after hinting, so a glyph moved by whole pixels is the same image moved by
      those pixels: the image is rendered at the sub-pixel offset and placed by the whole pixels.

    Maths text (``$…$``, which charts do not use) is measured and drawn as before. The caches
    are emptied when they grow past ``_MOST`` entries (a preview kernel lives long)."""

    _sizes: dict = {}
    _heights: dict = {}
    _layouts: dict = {}
    _glyphs: dict = {}
    _MOST = 200_000

    def get_text_width_height_descent(self, s, prop, ismath):
        if ismath:
            return super().get_text_width_height_descent(s, prop, ismath)
        key = (s, prop.copy(), self.dpi, _font_rc())
        out = self._sizes.get(key)
        if out is None:
            _bounded(self._sizes)
            out = self._sizes[key] = super().get_text_width_height_descent(s, prop, ismath)
        return out

    def _get_font_height_metrics(self, prop):
        """(ascent, descent, line gap) of the font in pixels, as ``Text`` computes them from the
        font's OS/2 or hhea table when the renderer offers none (matplotlib 3.11), kept."""
        key = (prop.copy(), self.dpi, _font_rc())
        out = self._heights.get(key)
        if out is None:
            out = self._heights[key] = _font_heights(prop, self.dpi)
        return out

    def draw_text(self, gc, x, y, s, prop, angle, ismath=False, mtext=None):
        """``RendererAgg.draw_text`` of matplotlib 3.11, with the layout and the glyph images kept."""
        if ismath:
            return super().draw_text(gc, x, y, s, prop, angle, ismath, mtext)
        features = mtext.get_fontfeatures() if mtext is not None else None
        language = mtext.get_language() if mtext is not None else None
        key = (s, prop.copy(), self.dpi, _font_rc(), _frozen(features), _frozen(language))
        glyphs = self._layouts.get(key)
        if glyphs is None:
            font = self._prepare_font(prop)
            items = font._layout(s, flags=get_hinting_flag(), features=features, language=language)
            size = prop.get_size_in_points()
            _bounded(self._layouts)
            glyphs = self._layouts[key] = tuple(
                (item.ft_object, size, item.glyph_index, item.x, item.y) for item in items
            )
        self._draw_glyphs(gc, x, y, angle, glyphs)

    def _draw_glyphs(self, gc, x, y, angle, glyphs) -> None:
        """The glyph loop of ``RendererAgg._draw_text_glyphs_and_boxes`` (matplotlib 3.11; no slant,
        no extension, no boxes: what ``draw_text`` passes), each glyph image rendered once."""
        # y is downwards.
        cos = math.cos(math.radians(angle))
        sin = math.sin(math.radians(angle))
        load_flags = get_hinting_flag()
        antialiased = bool(gc.get_antialiased())
        matrix = (0x10000 * np.array([[cos, -sin], [sin, cos]])).round().astype(int)  # 16.16 fixed point
        rotation = tuple(map(tuple, matrix.tolist()))
        height = self.height
        cache = self._glyphs
        for font, size, glyph_index, dx, dy in glyphs:  # dy is upwards.
            # FreeType's 26.6 fixed point; its y is upwards
            fx, sub_x = divmod(round(0x40 * (x + dx * cos - dy * sin)), 0x40)
            fy, sub_y = divmod(round(0x40 * (height - y + dx * sin + dy * cos)), 0x40)
            key = (font, size, self.dpi, glyph_index, rotation, sub_x, sub_y, load_flags, antialiased)
            image = cache.get(key)
            if image is None:
                font.set_size(size, self.dpi)
                font._set_transform(matrix, [sub_x, sub_y])
                bitmap = font._render_glyph(
                    glyph_index, load_flags, RenderMode.NORMAL if antialiased else RenderMode.MONO
                )
                buffer = bitmap.buffer
                if not antialiased:
                    buffer *= 0xFF
                _bounded(cache)
                image = cache[key] = (buffer, bitmap.left, bitmap.top)
            buffer, left, top = image
            # draw_text_image's y is downwards & the bitmap bottom side.
            self._renderer.draw_text_image(
                buffer, left + fx, int(height) - (top + fy) + buffer.shape[0], 0, gc
            )


def _bounded(cache: dict) -> None:
    if len(cache) >= Renderer._MOST:
        cache.clear()


def _frozen(value):
    """A text's font features or language as a dict key (matplotlib takes lists too)."""
    if isinstance(value, list | tuple):
        return tuple(_frozen(v) for v in value)
    return value


_FONT_RC = (
    "font.family",
    "font.sans-serif",
    "font.serif",
    "font.monospace",
    "font.cursive",
    "font.fantasy",
    "text.hinting",
    "text.hinting_factor",
    "text.kerning_factor",
)


_rc_value = functools.partial(dict.__getitem__, mpl.rcParams)  # the stored value, no checks
_font_rc_last: list = [None, ()]  # (the values, copied; their strings)


def _font_rc() -> tuple:
    """The rcParams that decide which font a FontProperties resolves to and how text is laid out,
    as strings (a cache key). Asked for every text measured or drawn: the strings are made again
    only when a value differs from the last call's (lists compared by their items)."""
    values = tuple(map(_rc_value, _FONT_RC))
    if values != _font_rc_last[0]:
        _font_rc_last[:] = (
            tuple(list(v) if isinstance(v, list) else v for v in values),
            tuple(map(str, values)),
        )
    return _font_rc_last[1]


def _font_heights(prop, dpi: float) -> tuple:
    """The same numbers as ``Text._get_layout`` of matplotlib 3.11 computes (same fonts, same order of
    operations).
    """
    font = get_font(fontManager._find_fonts_by_props(prop))
    for table_name, gap, ascent, descent in (
        ("OS/2", "sTypoLineGap", "sTypoAscender", "sTypoDescender"),
        ("hhea", "lineGap", "ascent", "descent"),
    ):
        table = font.get_sfnt_table(table_name)
        if table is None:
            continue
        scale = 1 / font.get_sfnt_table("head")["unitsPerEm"] * prop.get_size_in_points() * dpi / 72
        return table[ascent] * scale, -table[descent] * scale, table[gap] * scale
    return None, None, None


class Canvas(FigureCanvasAgg):
    """FigureCanvasAgg drawing with :class:`Renderer`."""

    def get_renderer(self):
        w, h = self.get_width_height(physical=True)
        key = w, h, self.figure.dpi
        if self._lastKey != key:
            self.renderer = Renderer(w, h, self.figure.dpi)
            self._lastKey = key
        return self.renderer
