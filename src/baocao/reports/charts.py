"""House style and chart functions.

Every chart takes a tidy DataFrame and returns a ``matplotlib.figure.Figure``; nothing is shown,
saved or registered with pyplot. Charts are built *and drawn* in the house style whatever the
caller did to ``rcParams``, so the same data always gives the same PNG.
"""

from __future__ import annotations

import contextlib
import functools
import math
import textwrap

import matplotlib as mpl
import numpy as np
import pandas as pd
import seaborn as sns
from cycler import cycler
from matplotlib.backends.backend_agg import FigureCanvasAgg, RendererAgg, get_hinting_flag
from matplotlib.figure import Figure
from matplotlib.font_manager import fontManager, get_font
from matplotlib.ft2font import RenderMode
from matplotlib.patches import Patch
from matplotlib.ticker import FuncFormatter, MaxNLocator
from matplotlib.transforms import Bbox

from baocao import fmt

__all__ = [
    "HOUSE_RC",
    "PALETTE",
    "house_style",
    "house_context",
    "tick_formatter",
    "rate_by_topic",
    "trend",
    "bars_over_years",
    "ranked_bars",
    "dot_map",
    "distribution",
    "alt_text",
]

FONT = "DejaVu Sans"  # ships with matplotlib and has every Vietnamese glyph
WIDTH, DPI = 8.0, 100
# Okabe–Ito: distinguishable with the common colour-vision deficiencies.
PALETTE = ["#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#000000", "#F0E442"]
BAR, ACCENT, WARNING = "#0072B2", "#E69F00", "#D55E00"
TARGET, REFERENCE, MISSING, INK = "#222222", "#666666", "#9A9A9A", "#262626"
CMAP = "viridis"
WRAP = 35  # characters per line of a long category label
# Value labels sit on a white chip above reference lines so both stay legible.
LABEL = dict(bbox=dict(boxstyle="square,pad=0.12", fc="white", ec="none"), zorder=5)

HOUSE_RC = {
    **sns.axes_style("whitegrid"),
    **sns.plotting_context("notebook"),
    "font.family": "sans-serif",
    "font.sans-serif": [FONT],
    "font.size": 11,
    "axes.titlesize": 11,
    "axes.titlelocation": "left",
    "axes.labelsize": 11,
    "xtick.labelsize": 10,
    "ytick.labelsize": 10,
    "legend.fontsize": 10,
    "figure.titlesize": 13,
    "figure.titleweight": "bold",
    "axes.prop_cycle": cycler(color=PALETTE),
    "axes.spines.top": False,
    "axes.spines.right": False,
    "legend.frameon": False,
    "image.cmap": CMAP,
    "figure.figsize": (WIDTH, 5.0),
    "figure.dpi": DPI,
    "figure.facecolor": "white",
    "savefig.dpi": "figure",
    "savefig.facecolor": "white",
    "svg.hashsalt": "baocao",
}

WORDS = {
    "vi": {
        "target": "Chỉ tiêu",
        "met": "Đạt chỉ tiêu",
        "not_met": "Chưa đạt chỉ tiêu",
        "no_data": "không có số liệu",
        "year": "Năm",
        "units": "đơn vị",
        "median": "trung vị",
        "highest": "cao nhất",
        "lowest": "thấp nhất",
        "from_to": "từ {a} năm {y0} đến {b} năm {y1}",
        "in_year": "năm {y}: {v}",
        "zoom": "trục ngang bắt đầu từ {lo}, không từ 0, để thấy rõ chênh lệch",
        "span": "thang màu chỉ trải {span} ({lo} – {hi})",
        "chart": "Biểu đồ",
        "map": "Bản đồ chấm",
        "left": "ngoài trục, bên trái",
        "right": "ngoài trục, bên phải",
    },
    "en": {
        "target": "Target",
        "met": "Target met",
        "not_met": "Target not met",
        "no_data": "no data",
        "year": "Year",
        "units": "units",
        "median": "median",
        "highest": "highest",
        "lowest": "lowest",
        "from_to": "from {a} in {y0} to {b} in {y1}",
        "in_year": "{y}: {v}",
        "zoom": "the axis starts at {lo}, not 0, to show the differences",
        "span": "the colour scale spans only {span} ({lo} – {hi})",
        "chart": "Chart",
        "map": "Dot map",
        "left": "off the axis, to the left",
        "right": "off the axis, to the right",
    },
}
# Figure attribute: what the chart shows and its key figures, in words (the image's alt text)
ALT = "baocao_alt"


def alt_text(fig: Figure) -> str:
    """What a chart of this module shows and its key figures, in words (for the ``alt`` of its image)."""
    return getattr(fig, ALT, "") or (fig._suptitle.get_text().replace("\n", " ") if fig._suptitle else "")


PALETTE_ABOVE = 1_000_000  # pixels: a larger chart (tall rankings: 800 × 1 871) is stored with a palette


def chart_png(fig: Figure) -> bytes:
    """The chart as notebooks and pages show it: a PNG, the same bytes every time.

    A large chart (more than ``PALETTE_ABOVE`` pixels: the rankings of 63 provinces) is stored
    with a 256-colour palette instead of full colour: charts are flat colours and anti-aliased
    text, so nobody sees a difference, and the file is 3–4 times smaller (a 63-province ranking:
    179 kB to 53 kB), which keeps a page under 1,5 MB. It is quantised from the pixels just
    drawn, with no full-colour PNG made first. Smaller charts are full-colour PNGs (quantising
    costs time and saves little on them)."""
    import io

    width, height = (round(v) for v in fig.get_size_inches() * fig.dpi)
    buf = io.BytesIO()
    if width * height <= PALETTE_ABOVE:
        fig.savefig(buf, format="png", metadata={"Software": None})
        return buf.getvalue()
    fig.savefig(buf, format="raw")  # drawn as for the PNG; the RGBA pixels, nothing encoded
    return palette_png(buf.getbuffer(), *fig.canvas.get_width_height(physical=True))


def palette_png(rgba, width: int, height: int) -> bytes:
    """A PNG with a 256-colour palette (fast octree, no dithering: deterministic) of RGBA pixels
    (``width`` × ``height`` × 4 bytes, top row first); the alpha channel is dropped."""
    import io

    from PIL import Image

    image = Image.frombuffer("RGBA", (width, height), rgba, "raw", "RGBA", 0, 1)
    small = image.convert("RGB").quantize(
        colors=256, method=Image.Quantize.FASTOCTREE, dither=Image.Dither.NONE
    )
    buf = io.BytesIO()
    small.save(buf, format="PNG")
    return buf.getvalue()


def _describe(fig: Figure, title: str, *parts: str) -> None:
    text = " ".join(title.split())
    details = "; ".join(p for p in parts if p)
    setattr(fig, ALT, f"{text}: {details}." if details else f"{text}.")


def _extremes(d: pd.DataFrame, decimals: int, lang: str, suffix: str) -> str:
    """``cao nhất Óc Eo 97,08%, thấp nhất Bình Thành 96,71%`` for rows with ``label`` and ``value``."""
    v = d.dropna(subset=["value"])
    if v.empty:
        return ""
    hi, lo = v.loc[v["value"].idxmax()], v.loc[v["value"].idxmin()]
    w = WORDS[lang]
    first = f"{w['highest']} {hi['label']} {_text(hi['value'], decimals, lang, suffix)}"
    return (
        first
        if len(v) == 1
        else f"{first}, {w['lowest']} {lo['label']} {_text(lo['value'], decimals, lang, suffix)}"
    )


def house_style(apply: bool = False) -> dict:
    """The house rc dict (seaborn ``whitegrid`` + palette + DejaVu Sans); ``apply=True`` sets it globally."""
    if apply:
        mpl.rcParams.update(HOUSE_RC)
    return dict(HOUSE_RC)


@functools.lru_cache(maxsize=1)
def _house_rc_full() -> dict:
    """matplotlib's defaults + the house style, as validated values (computed once)."""
    import warnings

    with warnings.catch_warnings():  # matplotlib's own rcdefaults() reads it from here (3.11)
        warnings.simplefilter("ignore", mpl.MatplotlibDeprecationWarning)
        from matplotlib.style.core import STYLE_BLACKLIST  # what a style reset leaves to the caller

    with mpl.style.context(HOUSE_RC, after_reset=True):
        out = dict(mpl.rcParams.copy())
    return {k: v for k, v in out.items() if k not in STYLE_BLACKLIST and k != "backend"}


@contextlib.contextmanager
def house_context():
    """Context manager: matplotlib defaults + house style, ignoring the caller's rcParams.

    The same as ``mpl.style.context(HOUSE_RC, after_reset=True)``, without resetting and
    validating every parameter on each use (charts enter it a few times each; that cost
    more than a tenth of a report)."""
    orig = dict(mpl.rcParams.copy())
    del orig["backend"]
    mpl.rcParams._update_raw(_house_rc_full())
    try:
        yield
    finally:
        mpl.rcParams._update_raw(orig)


class _HouseFigure(Figure):
    """A Figure that draws and saves in the house style whatever the global rcParams are."""

    def draw(self, renderer):
        with house_context():
            super().draw(renderer)

    def savefig(self, fname, **kwargs):
        with house_context():
            super().savefig(fname, **kwargs)


class _Renderer(RendererAgg):
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
    if len(cache) >= _Renderer._MOST:
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


class _Canvas(FigureCanvasAgg):
    """FigureCanvasAgg drawing with :class:`_Renderer`."""

    def get_renderer(self):
        w, h = self.get_width_height(physical=True)
        key = w, h, self.figure.dpi
        if self._lastKey != key:
            self.renderer = _Renderer(w, h, self.figure.dpi)
            self._lastKey = key
        return self.renderer


class _NumberFormatter(FuncFormatter):
    """Formats through ``baocao.fmt``; remembers how many decimals the current tick spacing needs."""

    def __init__(self, decimals: int | None, lang: str, suffix: str):
        super().__init__(self._label)
        self.decimals, self.lang, self.suffix, self._spacing_decimals = decimals, lang, suffix, 0

    def set_locs(self, locs):
        super().set_locs(locs)
        self._spacing_decimals = _needed_decimals(locs)

    def _label(self, x, pos=None):
        d = self._spacing_decimals if self.decimals is None else self.decimals
        return fmt.with_unit(float(fmt.round_half_up(x, d)) or 0.0, self.suffix, d, self.lang)  # no "-0"


def tick_formatter(decimals: int | None = 0, lang: str = "vi", suffix: str = "") -> FuncFormatter:
    """Ticks as ``17.939`` / ``99,5%`` (``lang="en"``: ``17,939``); ``decimals=None``: as few as the spacing
    needs.
    """
    return _NumberFormatter(decimals, fmt.check_lang(lang), suffix)


def _needed_decimals(values, most: int = 6) -> int:
    for d in range(most):
        if all(abs(x - round(x, d)) < 1e-9 * max(1.0, abs(x)) for x in values):
            return d
    return most


def _house(chart):
    """Check ``lang`` and build the chart inside the house style."""

    @functools.wraps(chart)
    def wrapper(df, **options):
        fmt.check_lang(options.get("lang", "vi"))
        with house_context():
            return _settle(chart(df, **options))

    return wrapper


def _settle(fig: Figure, draw: bool = False) -> Figure:
    """Run the constrained layout once and keep it, so every later render gives the same pixels.

    ``draw=True`` draws (without rendering) instead of only laying out: needed when the caller
    reads positions that only a draw settles (axes with a fixed aspect, e.g. the dot map)."""
    engine = fig.get_layout_engine()
    if draw:
        fig.draw_without_rendering()
    elif engine is not None:  # the layout part of a draw, without drawing every artist
        engine.execute(fig)
    # No layout engine at all (not "none", which keeps a placeholder engine): savefig then
    # draws once instead of twice (it runs an extra layout draw whenever an engine is set).
    fig.set_layout_engine(None)
    return fig


def _frame(df: pd.DataFrame, *columns: str) -> pd.DataFrame:
    if df is None or len(df) == 0:
        raise ValueError("chart needs at least one row; got an empty DataFrame")
    lacking = [c for c in columns if c not in df.columns]
    if lacking:
        raise ValueError(f"chart needs column(s) {lacking}; DataFrame has {list(df.columns)}")
    out = df.reset_index(drop=True).copy()
    out["value"] = pd.to_numeric(out["value"]).astype("float64")
    return out


def _figure(title: str, height: float, nrows: int = 1, ncols: int = 1, **subplot_kw):
    fig = _HouseFigure(figsize=(WIDTH, height), layout="constrained")
    _Canvas(fig)
    fig.suptitle(textwrap.fill(title, 75), x=0.01, ha="left")
    return fig, fig.subplots(nrows, ncols, **subplot_kw)


def _wrap(label) -> str:
    return textwrap.fill(str(label), WRAP)


def _text(value, decimals: int, lang: str, suffix: str) -> str:
    return fmt.with_unit(value, suffix, decimals, lang)


def _value_axis(axis, label: str | None, lang: str, suffix: str, integer: bool = False) -> None:
    axis.set_major_locator(MaxNLocator(nbins="auto", steps=[1, 2, 2.5, 5, 10], integer=integer))
    axis.set_major_formatter(tick_formatter(None, lang, suffix))
    if label:
        axis.set_label_text(label)


def _every_nth_year(years: np.ndarray, most: int = 12) -> np.ndarray:
    return years[:: math.ceil(len(years) / most)]


def _by_year(d: pd.DataFrame, key: str) -> pd.DataFrame:
    """Values with one column per ``key`` (input order) and a row for every
    year in the range: gaps stay NaN.
    """
    if d.duplicated(["year", key]).any():
        raise ValueError(f"chart needs one value per year and {key!r}; found duplicates")
    years = np.arange(int(d["year"].min()), int(d["year"].max()) + 1)
    return d.pivot(index="year", columns=key, values="value").reindex(years)[list(pd.unique(d[key]))]


def _year_axis(ax, years: np.ndarray, lang: str, most: int = 12) -> None:
    """Whole years as plain ``2024`` (no thousands dot), at most ``most`` ticks."""
    ax.set_xlim(years[0] - 0.5, years[-1] + 0.5)
    shown = _every_nth_year(years, most)
    ax.set_xticks(shown, [str(y) for y in shown])
    ax.set_xlabel(WORDS[lang]["year"])


def _line(ax, value: float, label: str, *, vertical: bool, target: bool) -> None:
    style = dict(color=TARGET, ls=(0, (5, 3)), lw=1.6) if target else dict(color=REFERENCE, lw=1.6)
    (ax.axvline if vertical else ax.axhline)(value, label=label, zorder=4, **style)


def _target_label(target: float, lang: str, suffix: str) -> str:
    return f"{WORDS[lang]['target']} {_text(target, _needed_decimals([target], 2), lang, suffix)}"


def _legend(ax, handles=None) -> None:
    handles = handles or ax.get_legend_handles_labels()[0]
    if handles:
        ax.legend(
            handles=handles,
            loc="lower left",
            bbox_to_anchor=(0, 1.01),
            borderaxespad=0,
            ncols=min(len(handles), 4),
            handlelength=2.2,
        )


def _hbars(ax, labels, values: pd.Series, colours, *, decimals: int, lang: str, suffix: str, lines=()):
    """Horizontal bars top to bottom with value labels; ``lines`` (values of ref lines) set the x range."""
    y = np.arange(len(values))
    bars = ax.barh(y, values.fillna(0), color=colours, height=0.72)
    ax.bar_label(
        bars, labels=[_text(v, decimals, lang, suffix) for v in values], padding=3, fontsize=10, **LABEL
    )
    ax.set_yticks(y, [_wrap(s) for s in labels])
    ax.set_ylim(len(values) - 0.5, -0.6)
    ax.grid(axis="y", visible=False)
    ax.tick_params(axis="y", length=0)
    ax.spines["left"].set_visible(False)
    extent = [v for v in [*values, *lines, 0] if not fmt.is_missing(v)]
    low, high = min(extent), max(extent)
    ax.set_xlim(low * 1.15 if low < 0 else 0, high * 1.14 if high > 0 else 1)


@_house
def rate_by_topic(df, *, target=None, title, value_label, decimals=2, lang="vi", suffix="%"):
    """Rates (``label``, ``value`` in %) as horizontal bars; bars under ``target`` in the warning colour."""
    d = _frame(df, "label", "value")
    wrapped = sum(_wrap(s).count("\n") + 1 for s in d["label"])
    fig, ax = _figure(title, 1.5 + 0.32 * len(d) + 0.2 * wrapped)
    below = d["value"] < target if target is not None else pd.Series(False, index=d.index)
    _hbars(
        ax,
        d["label"],
        d["value"],
        [WARNING if b else BAR for b in below],
        decimals=decimals,
        lang=lang,
        suffix=suffix,
        lines=[target] if target is not None else [],
    )
    _value_axis(ax.xaxis, value_label, lang, suffix)
    if target is not None:
        _line(ax, target, _target_label(target, lang, suffix), vertical=True, target=True)
        patches = [Patch(color=c, label=WORDS[lang][k]) for c, k in ((BAR, "met"), (WARNING, "not_met"))]
        _legend(ax, [ax.lines[-1], *patches] if below.any() else None)
    shown = "; ".join(
        f"{label} {_text(v, decimals, lang, suffix)}"
        for label, v in zip(d["label"], d["value"])
        if not fmt.is_missing(v)
    )
    _describe(
        fig,
        title,
        shown if len(d) <= 4 else _extremes(d, decimals, lang, suffix),
        _target_label(target, lang, suffix).lower() if target is not None else "",
    )
    return fig


@_house
def ranked_bars(
    df,
    *,
    reference=None,
    reference_label=None,
    title,
    value_label,
    decimals=1,
    lang="vi",
    highlight=None,
    target=None,
    suffix="",
):
    """Units ranked high to low; ``reference`` (e.g. the district) and ``target`` as lines, ``highlight`` in
    accent.
    """
    d = _frame(df, "label", "value").sort_values("value", ascending=False, na_position="last", kind="stable")
    fig, ax = _figure(title, 1.7 + 0.27 * len(d))
    lines = [v for v in (reference, target) if v is not None and not fmt.is_missing(v)]
    colours = [ACCENT if s == highlight else BAR for s in d["label"]]
    zoom = _zoom(d["value"], [reference] if reference is not None and not fmt.is_missing(reference) else [])
    if zoom is None:
        _hbars(ax, d["label"], d["value"], colours, decimals=decimals, lang=lang, suffix=suffix, lines=lines)
        _value_axis(ax.xaxis, value_label, lang, suffix)
    else:  # the values differ by little next to their size: dots on an axis zoomed to them
        _hdots(ax, d["label"], d["value"], colours, zoom, decimals=decimals, lang=lang, suffix=suffix)
        _value_axis(ax.xaxis, None, lang, suffix)
        lo = _text(zoom[0], _needed_decimals([zoom[0]], 2), lang, suffix)
        note = WORDS[lang]["zoom"].format(lo=lo)
        ax.set_xlabel(f"{value_label} — {note}" if value_label else note[0].upper() + note[1:])
    for tick in ax.get_yticklabels():
        if highlight is not None and tick.get_text() == _wrap(highlight):
            tick.set_fontweight("bold")
    if reference is not None:
        value = _text(reference, decimals, lang, suffix)
        _line(
            ax,
            reference,
            f"{reference_label}: {value}" if reference_label else value,
            vertical=True,
            target=False,
        )
    if target is not None and zoom is not None and not zoom[0] <= target <= zoom[1]:
        # off the zoomed axis: in the legend, saying on which side it lies
        side = WORDS[lang]["left" if target < zoom[0] else "right"]
        ax.plot(
            [],
            [],
            color=TARGET,
            ls=(0, (5, 3)),
            lw=1.6,
            label=f"{_target_label(target, lang, suffix)} ({side})",
        )
    elif target is not None:
        _line(ax, target, _target_label(target, lang, suffix), vertical=True, target=True)
    _legend(ax)
    _describe(
        fig,
        title,
        _extremes(d, decimals, lang, suffix),
        f"{reference_label or ''} {_text(reference, decimals, lang, suffix)}".strip()
        if reference is not None and not fmt.is_missing(reference)
        else "",
        _target_label(target, lang, suffix).lower() if target is not None else "",
    )
    return fig


def _zoom(values: pd.Series, lines) -> tuple[float, float] | None:
    """The x range of a zoomed dot plot, or None when bars from 0 show the differences well
    (values of both signs, or a spread of at least a tenth of the largest value)."""
    extent = [v for v in [*values, *lines] if not fmt.is_missing(v)]
    if not extent:
        return None
    low, high = min(extent), max(extent)
    if low <= 0 or high - low >= high / 10:
        return None
    span = max(high - low, abs(high) * 1e-3)
    return low - 0.08 * span, high + 0.22 * span


def _hdots(ax, labels, values: pd.Series, colours, limits, *, decimals: int, lang: str, suffix: str) -> None:
    """A ranked dot plot: one dot per unit on its row, a thin guide from
    the left edge, its value beside it.
    """
    y = np.arange(len(values))
    present = values.notna().to_numpy()
    ax.hlines(y[present], limits[0], values[present], color="#C9D3DF", lw=1.2, zorder=1)
    ax.scatter(
        values[present],
        y[present],
        s=64,
        c=[c for c, p in zip(colours, present) if p],
        zorder=3,
        edgecolors="white",
        linewidths=0.8,
    )
    for yi, v in zip(y, values):
        if not fmt.is_missing(v):
            ax.annotate(
                _text(v, decimals, lang, suffix),
                (v, yi),
                xytext=(7, 0),
                textcoords="offset points",
                ha="left",
                va="center",
                fontsize=9.5,
                color=INK,
                **LABEL,
            )
    ax.set_yticks(y, [_wrap(s) for s in labels])
    ax.set_ylim(len(values) - 0.5, -0.6)
    ax.set_xlim(*limits)
    ax.grid(axis="y", visible=False)
    ax.tick_params(axis="y", length=0)
    ax.spines["left"].set_visible(False)


@_house
def trend(df, *, title, value_label, decimals=1, lang="vi", target=None, series=None, suffix=""):
    """Values by ``year``, one line per ``series`` column (default
    ``"series"`` if present); gaps stay gaps.
    """
    if series is None and df is not None and "series" in df.columns:
        series = "series"
    d = _frame(df, "year", "value", *([series] if series else []))
    key = series or "_series"
    d[key] = d[key].astype(str) if series else ""
    wide = _by_year(d, key)
    years = wide.index.to_numpy()
    labelled = {*_every_nth_year(years), years[-1]}
    fig, ax = _figure(title, 4.6)
    top = wide.max(axis=1)
    notes = []
    for i, name in enumerate(wide.columns):
        colour = PALETTE[i % len(PALETTE)]
        ax.plot(years, wide[name], marker="o", ms=6, lw=2, color=colour, label=name or "_line")
        for year, value in wide[name].dropna().loc[lambda s: s.index.isin(labelled)].items():
            up = value >= top[year]
            notes.append(
                (
                    year,
                    ax.annotate(
                        _text(value, decimals, lang, suffix),
                        (year, value),
                        xytext=(0, 7 if up else -7),
                        textcoords="offset points",
                        ha="center",
                        va="bottom" if up else "top",
                        fontsize=9.5,
                        color=INK if len(wide.columns) == 1 else colour,
                        **LABEL,
                    ),
                )
            )
    if target is not None:
        _line(ax, target, _target_label(target, lang, suffix), vertical=False, target=True)
    ax.margins(y=0.18)
    _year_axis(ax, years, lang)
    ax.grid(axis="x", visible=False)
    _value_axis(ax.yaxis, value_label, lang, suffix)
    _legend(ax)
    _drop_colliding(fig, notes, first=years[0], last=years[-1])
    _describe(fig, title, *(_change(wide[name], name, decimals, lang, suffix) for name in wide.columns))
    return fig


def _drop_colliding(fig: Figure, notes: list, *, first, last) -> None:
    """Remove value labels that would overlap one already kept: the last year's and the first
    year's labels are kept first, then the others in order (long series of close values,
    e.g. a province's population, would otherwise print on top of each other)."""
    _settle(fig)  # positions in pixels are final from here on
    renderer = fig.canvas.get_renderer()
    order = sorted(range(len(notes)), key=lambda i: (notes[i][0] != last, notes[i][0] != first, i))
    kept = []
    for i in order:
        box = notes[i][1].get_window_extent(renderer).padded(1)
        if any(_overlap(box, k) for k in kept):
            notes[i][1].remove()
        else:
            kept.append(box)


def _change(values: pd.Series, name: str, decimals: int, lang: str, suffix: str) -> str:
    """``Huyện Thoại Sơn từ 67,9 năm 2022 đến 78,2 năm 2024`` for one series by year."""
    v = values.dropna()
    if v.empty:
        return ""
    w = WORDS[lang]
    if len(v) == 1:
        said = w["in_year"].format(y=int(v.index[0]), v=_text(v.iloc[0], decimals, lang, suffix))
    else:
        said = w["from_to"].format(
            a=_text(v.iloc[0], decimals, lang, suffix),
            y0=int(v.index[0]),
            b=_text(v.iloc[-1], decimals, lang, suffix),
            y1=int(v.index[-1]),
        )
    return f"{name} {said}".strip()


@_house
def bars_over_years(df, *, title, lang="vi", decimals=0, suffix=""):
    """Bars by ``year``, one panel per ``series`` with its own scale (e.g. meetings vs attendances)."""
    d = _frame(df, "year", "series", "value")
    d["series"] = d["series"].astype(str)
    wide = _by_year(d, "series")
    years, names = wide.index.to_numpy(), list(wide.columns)
    ncols = min(len(names), 3)
    crowded = len(years) * ncols > 15  # value labels would touch: turn them upright
    nrows = math.ceil(len(names) / ncols)
    fig, axes = _figure(title, 0.9 + 3.3 * nrows, nrows, ncols, squeeze=False, sharey=False)
    for i, ax in enumerate(axes.flat):
        if i >= len(names):
            ax.remove()
            continue
        values = wide[names[i]]
        bars = ax.bar(years, values.fillna(0), width=0.7, color=PALETTE[i % len(PALETTE)])
        ax.bar_label(
            bars,
            labels=[_text(v, decimals, lang, suffix) for v in values],
            padding=2,
            fontsize=9.5,
            rotation=90 if crowded else 0,
            **LABEL,
        )
        ax.set_title(names[i], fontweight="bold")
        ax.margins(y=0.28 if crowded else 0.14)
        ax.grid(axis="x", visible=False)
        _year_axis(ax, years, lang, most=14 // ncols)
        ax.set_xlabel("")
        _value_axis(ax.yaxis, None, lang, suffix, integer=decimals == 0)
    _describe(fig, title, *(_change(wide[name], name, decimals, lang, suffix) for name in names))
    return fig


_DIRECTIONS = [(1, 0), (-1, 0), (0, 1), (0, -1), (1, 1), (-1, 1), (1, -1), (-1, -1)]
_HA = {-1: "right", 0: "center", 1: "left"}
_VA = {-1: "top", 0: "center", 1: "bottom"}


def _overlap(a, b) -> float:
    w = min(a.x1, b.x1) - max(a.x0, b.x0)
    h = min(a.y1, b.y1) - max(a.y0, b.y0)
    return w * h if w > 0 and h > 0 else 0.0


def _place_labels(ax, xy: np.ndarray, texts: list[str], marker_px: np.ndarray) -> None:
    """Annotate each point, trying 8 directions at growing distances; keep the first free spot (else the least
    bad).

    Crowded points go first; markers and placed labels are obstacles; labels stay inside the axes.
    """
    renderer = ax.figure.canvas.get_renderer()
    frame = ax.get_window_extent(renderer)
    pixels = ax.transData.transform(xy)
    radii = marker_px / 2 + 1
    taken = [Bbox([[x - r, y - r], [x + r, y + r]]) for (x, y), r in zip(pixels, radii)]
    near = [(np.hypot(*(pixels - p).T) < 70).sum() for p in pixels]
    style = dict(textcoords="offset points", fontsize=9, color=INK, linespacing=1.1, annotation_clip=False)
    for i in sorted(range(len(xy)), key=lambda i: (-near[i], i)):
        probe = ax.annotate(texts[i], xy[i], xytext=(0, 0), **style)
        best = None
        for distance in (7, 14, 22, 32):
            for dx, dy in _DIRECTIONS:
                probe.set_position((dx * distance, dy * distance))
                probe.set_horizontalalignment(_HA[dx])
                probe.set_verticalalignment(_VA[dy])
                box = probe.get_window_extent(renderer).padded(1)
                outside = box.width * box.height - _overlap(box, frame)
                cost = sum(_overlap(box, t) for t in taken) + 10 * outside
                if best is None or cost < best[0]:
                    best = (cost, distance, dx, dy, box)
            if best[0] == 0:
                break
        probe.remove()
        _, distance, dx, dy, box = best
        leader = (
            dict(arrowstyle="-", color=MISSING, lw=0.8, shrinkA=0, shrinkB=radii[i])
            if distance > 14
            else None
        )
        ax.annotate(
            texts[i],
            xy[i],
            xytext=(dx * distance, dy * distance),
            ha=_HA[dx],
            va=_VA[dy],
            arrowprops=leader,
            **style,
        )
        taken.append(box)


@_house
def dot_map(df, *, title, value_label, decimals=1, lang="vi", highlight=None, suffix=""):
    """Points at ``lon``/``lat`` coloured by ``value``, each labelled without overlaps; no basemap."""
    d = _frame(df, "label", "lat", "lon", "value").dropna(subset=["lat", "lon"])
    if d.empty:
        raise ValueError("dot_map needs at least one row with lat and lon")
    lon, lat = d["lon"].astype(float).to_numpy(), d["lat"].astype(float).to_numpy()
    aspect = 1 / math.cos(math.radians(float(np.mean(lat))))  # degrees of longitude shrink with cos(lat)
    ratio = (max(np.ptp(lat), 1e-3) * 1.3) / (max(np.ptp(lon), 1e-3) / aspect * 1.4)
    fig, ax = _figure(title, min(max(1.7 + 7.6 * ratio, 3.5), 10.0))
    size = 90
    valid = d["value"].notna().to_numpy()
    if valid.any():
        points = ax.scatter(
            lon[valid],
            lat[valid],
            c=d["value"][valid],
            s=size,
            cmap=CMAP,
            edgecolors="white",
            linewidths=0.8,
            zorder=3,
        )
        fig.colorbar(
            points,
            ax=ax,
            location="bottom",
            shrink=0.5,
            aspect=35,
            pad=0.02,
            label=_scale_label(d["value"][valid], value_label, decimals, lang, suffix),
            ticks=MaxNLocator(6, steps=[1, 2, 2.5, 5, 10]),
            format=tick_formatter(None, lang, suffix),
        )
    if not valid.all():
        ax.scatter(
            lon[~valid],
            lat[~valid],
            s=size,
            facecolors="white",
            edgecolors=MISSING,
            linewidths=1.6,
            zorder=3,
            label=WORDS[lang]["no_data"],
        )
        _legend(ax)
    mask = (d["label"] == highlight).to_numpy()
    if mask.any():
        ax.scatter(
            lon[mask], lat[mask], s=size * 2.4, facecolors="none", edgecolors=ACCENT, linewidths=2.2, zorder=4
        )
    ax.margins(x=0.2, y=0.15)
    ax.set_aspect(aspect, adjustable="datalim")
    ax.set_xticks([])
    ax.set_yticks([])
    ax.grid(False)
    for side in ("top", "right"):
        ax.spines[side].set_visible(True)
    _settle(fig, draw=True)  # labels are placed in pixels, so the layout must not move afterwards
    texts = [
        f"{name}\n{_text(v, decimals, lang, suffix)}" if ok else str(name)
        for name, v, ok in zip(d["label"], d["value"], valid)
    ]
    marker_px = (
        np.sqrt(np.where(mask, size * 2.4, size)) * DPI / 72
    )  # the highlight ring is a bigger obstacle
    _place_labels(ax, np.column_stack([lon, lat]), texts, marker_px)
    _describe(
        fig,
        f"{WORDS[lang]['map']}: {title}" if not title.lower().startswith(("bản đồ", "map")) else title,
        _extremes(d, decimals, lang, suffix),
        _span(d["value"], decimals, lang, suffix) if valid.any() else "",
    )
    return fig


def _span(values: pd.Series, decimals: int, lang: str, suffix: str) -> str:
    lo, hi = float(values.min()), float(values.max())
    unit = ("điểm %" if lang == "vi" else "percentage points") if suffix == "%" else suffix
    return WORDS[lang]["span"].format(
        span=_text(hi - lo, decimals, lang, unit),
        lo=_text(lo, decimals, lang, suffix),
        hi=_text(hi, decimals, lang, suffix),
    )


def _scale_label(values: pd.Series, value_label: str, decimals: int, lang: str, suffix: str) -> str:
    """The colour bar's label; when the colours span little next to the values (under a tenth of the
    largest), it says so: the darkest and the brightest dot may differ by a hair."""
    lo, hi = float(values.min()), float(values.max())
    if hi > 0 and lo >= 0 and (hi - lo) < hi / 10:
        span = _span(values, decimals, lang, suffix)
        return f"{value_label} — {span}" if value_label else span[0].upper() + span[1:]
    return value_label


@_house
def distribution(df, *, title, value_label, decimals=1, lang="vi", suffix=""):
    """Spread of ``value`` across units: box plus one dot per unit; lowest and highest ``label`` named."""
    d = _frame(df, "value")
    valid = d.dropna(subset=["value"])
    if valid.empty:
        raise ValueError("distribution needs at least one non-missing value")
    fig, ax = _figure(title, 3.2)
    line = dict(color="#555555", lw=1.2)
    ax.boxplot(
        valid["value"],
        positions=[0],
        widths=0.5,
        orientation="horizontal",
        showfliers=False,
        patch_artist=True,
        boxprops=dict(facecolor="#DDE7F0", edgecolor="#555555", lw=1.2),
        medianprops=line,
        whiskerprops=line,
        capprops=line,
    )
    sns.swarmplot(x=valid["value"], ax=ax, size=6.5, color=BAR, edgecolor="white", linewidth=0.6)
    words = WORDS[lang]
    note = (
        f"n = {len(valid)} {words['units']} · {words['median']} "
        f"{_text(valid['value'].median(), decimals, lang, suffix)}"
    )
    if len(valid) < len(d):
        note += f" · {len(d) - len(valid)} {words['no_data']}"
    ax.set_title(note, fontsize=10, color=REFERENCE)
    if "label" in d.columns and len(valid) > 1:
        for row, ha in (
            (valid.loc[valid["value"].idxmin()], "left"),
            (valid.loc[valid["value"].idxmax()], "right"),
        ):
            ax.annotate(
                f"{row['label']}: {_text(row['value'], decimals, lang, suffix)}",
                (row["value"], 0.3),
                ha=ha,
                va="top",
                fontsize=9.5,
                color=INK,
            )
    ax.set_ylim(0.5, -0.4)
    ax.set_yticks([])
    ax.set_ylabel("")
    ax.spines["left"].set_visible(False)
    ax.margins(x=0.08)
    _value_axis(ax.xaxis, value_label, lang, suffix)
    _describe(fig, title, note, _extremes(valid, decimals, lang, suffix) if "label" in valid.columns else "")
    return fig
