"""The six chart functions.

Every chart takes a tidy DataFrame and returns a ``matplotlib.figure.Figure``; nothing is shown,
saved or registered with pyplot. When the data are too few to draw — no value, one unit, one
point, one year — it returns a :class:`~baocao.reports.chart_image.NoChart` instead, the sentence
the page shows in the chart's place (:func:`baocao.reports.kit.as_chart`); a colour scale with no
spread (every dot the same value) is not drawn. Charts are built *and drawn* in the house style
(:mod:`baocao.reports.chart_style`) whatever the caller did to ``rcParams``, on the caching
renderer of :mod:`baocao.reports.chart_renderer`, so the same data always gives the same PNG
(:mod:`baocao.reports.chart_image`); labels are placed by :mod:`baocao.reports.chart_layout`.
"""

from __future__ import annotations

import functools
import math
import textwrap

import numpy as np
import pandas as pd
import seaborn as sns
from matplotlib.patches import Patch
from matplotlib.ticker import MaxNLocator

from baocao import fmt
from baocao.reports.chart_break import break_line, break_words, broken_line
from baocao.reports.chart_image import NoChart, set_alt_text
from baocao.reports.chart_layout import drop_colliding, place_labels, settle
from baocao.reports.chart_renderer import Canvas
from baocao.reports.chart_style import (
    ACCENT,
    BAR,
    CMAP,
    DPI,
    INK,
    LABEL,
    MISSING,
    PALETTE,
    REFERENCE,
    TARGET,
    WARNING,
    WIDTH,
    WRAP,
    HouseFigure,
    house_context,
    needed_decimals,
    tick_formatter,
)

__all__ = ["NoChart", "rate_by_topic", "trend", "bars_over_years", "ranked_bars", "dot_map", "distribution"]

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
        "nothing": "không có số liệu để vẽ biểu đồ",
        "one_unit": "chỉ có số liệu của một đơn vị",
        "one_value": "chỉ có một số liệu",
        "one_year": "chỉ có số liệu năm {y}",
        "need_units": "cần số liệu của ít nhất hai đơn vị để so sánh",
        "need_values": "cần ít nhất hai số liệu để so sánh",
        "need_years": "cần số liệu của ít nhất hai năm để vẽ xu hướng",
        "same": "mọi đơn vị có số liệu cùng một giá trị, {v}: không có thang màu",
        "extremes": "Nhãn: {n} đơn vị có giá trị cao nhất và {n} thấp nhất",
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
        "nothing": "no data to chart",
        "one_unit": "data for one unit only",
        "one_value": "one value only",
        "one_year": "data for {y} only",
        "need_units": "a comparison needs at least two units with data",
        "need_values": "a comparison needs at least two values",
        "need_years": "a trend needs at least two years with data",
        "same": "every unit with data has the same value, {v}: no colour scale",
        "extremes": "Labelled: the {n} highest and the {n} lowest",
    },
}


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


def _house(chart):
    """Check ``lang`` and build the chart inside the house style (a :class:`NoChart` as it is)."""

    @functools.wraps(chart)
    def wrapper(df, **options):
        fmt.check_lang(options.get("lang", "vi"))
        with house_context():
            out = chart(df, **options)
            return out if isinstance(out, NoChart) else settle(out)

    return wrapper


def _too_few(
    df, title: str, lang: str, *, key: str | None, decimals: int, suffix: str, need: str = "need_units"
) -> NoChart | None:
    """A :class:`NoChart` when ``df`` holds no value, or values of a single ``key`` (``label``: one
    unit or bar; ``year``: one year, whatever its series); None when there is enough to draw."""
    w = WORDS[lang]
    if df is not None and len(df) and ("value" not in df or (key is not None and key not in df)):
        return None  # a missing column: _frame says which
    values = df[pd.to_numeric(df["value"], errors="coerce").notna()] if df is not None and len(df) else None
    if values is None or values.empty:
        return NoChart(title=_one_line(title), lead=w["nothing"])
    if key is None or values[key].nunique() > 1:
        return None
    if key == "year":
        y = int(values["year"].iloc[0])
        items = tuple(
            (str(s) if s else "", _text(float(v), decimals, lang, suffix), (y, float(v)))
            for s, v in zip(values["series"] if "series" in values else [""] * len(values), values["value"])
        )
        return NoChart(_one_line(title), w["one_year"].format(y=y), w["need_years"], items)
    items = tuple(
        (str(label), _text(float(v), decimals, lang, suffix), (float(v),))
        for label, v in zip(values[key], values["value"])
    )
    lead = w["one_unit"] if need == "need_units" else w["one_value"]
    return NoChart(_one_line(title), lead, w[need], items)


def _one_line(title: str) -> str:
    return " ".join(str(title).split())


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
    fig = HouseFigure(figsize=(WIDTH, height), layout="constrained")
    Canvas(fig)
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
    return f"{WORDS[lang]['target']} {_text(target, needed_decimals([target], 2), lang, suffix)}"


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
    few = _too_few(df, title, lang, key="label", decimals=decimals, suffix=suffix, need="need_values")
    if few is not None:
        return few
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
    set_alt_text(
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
    few = _too_few(df, title, lang, key="label", decimals=decimals, suffix=suffix)
    if few is not None:
        return few
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
        lo = _text(zoom[0], needed_decimals([zoom[0]], 2), lang, suffix)
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
    set_alt_text(
        fig,
        title,
        _extremes(d, decimals, lang, suffix),
        f"{reference_label or ''} {_text(reference, decimals, lang, suffix)}".strip()
        if reference is not None and not fmt.is_missing(reference)
        else "",
        _target_label(target, lang, suffix).lower() if target is not None else "",
    )
    return fig


def _no_flat_axis(ax, values: pd.Series, which: str) -> None:
    """Values that are all the same would get an axis stretched over nothing (96,660 – 96,685):
    the axis runs from 0 to above the value instead."""
    v = pd.to_numeric(pd.Series(values), errors="coerce").dropna()
    if len(v) and float(v.max()) == float(v.min()):
        value = float(v.iloc[0])
        low, high = (min(value, 0.0) * 1.2, max(value, 0.0) * 1.2) if value else (0.0, 1.0)
        (ax.set_ylim if which == "y" else ax.set_xlim)(low, high)


def _zoom(values: pd.Series, lines) -> tuple[float, float] | None:
    """The x range of a zoomed dot plot, or None when bars from 0 show the differences well
    (values of both signs, or a spread of at least a tenth of the largest value)."""
    extent = [v for v in [*values, *lines] if not fmt.is_missing(v)]
    if not extent:
        return None
    low, high = min(extent), max(extent)
    if low <= 0 or high - low >= high / 10 or high == low:  # no spread: bars from 0, not a zoom on nothing
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
def trend(
    df,
    *,
    title,
    value_label,
    decimals=1,
    lang="vi",
    target=None,
    series=None,
    suffix="",
    break_after=None,
    break_label="",
    parts=("", ""),
):
    """Values by ``year``, one line per ``series`` column (default
    ``"series"`` if present); gaps stay gaps.

    ``break_after``: the last year before a break in the series (the reorganisation of 1 July 2025):
    a vertical line between it and the next year, labelled ``break_label``; the years up to it drawn
    dashed with open dots, those after solid, not joined across the line; ``parts``: what the two
    styles are (``("tính lại từ các xã cũ", "xã báo cáo")``), in the legend.
    """
    if series is None and df is not None and "series" in df.columns:
        series = "series"
    few = _too_few(df, title, lang, key="year", decimals=decimals, suffix=suffix)
    if few is not None:
        return few
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
        if break_after is None:
            ax.plot(years, wide[name], marker="o", ms=6, lw=2, color=colour, label=name or "_line")
        else:
            broken_line(ax, years, wide[name], break_after, colour, name)
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
    _no_flat_axis(ax, wide.stack(), "y")
    _year_axis(ax, years, lang)
    ax.grid(axis="x", visible=False)
    _value_axis(ax.yaxis, value_label, lang, suffix)
    if break_after is None:
        _legend(ax)
    else:
        break_line(ax, break_after, break_label, parts)
    drop_colliding(fig, notes, first=years[0], last=years[-1])
    set_alt_text(
        fig,
        title,
        *(_change(wide[name], name, decimals, lang, suffix) for name in wide.columns),
        *([break_words(break_after, break_label, parts, lang)] if break_after is not None else []),
    )
    return fig


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
    few = _too_few(df, title, lang, key="year", decimals=decimals, suffix=suffix)
    if few is not None:
        return few
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
    set_alt_text(fig, title, *(_change(wide[name], name, decimals, lang, suffix) for name in names))
    return fig


@_house
def dot_map(
    df, *, title, value_label, decimals=1, lang="vi", highlight=None, suffix="", extremes=None, limits=None
):
    """Points at ``lon``/``lat`` coloured by ``value``, each labelled without overlaps; no basemap.
    ``extremes``: label only that many highest and lowest points (and ``highlight``), for maps of
    too many points to label (a province's 102 communes); the axis says so. Values with no spread
    (every dot the same; or ``limits``, the range of the whole scale when the map is one part of
    several, are equal) are drawn in one colour, without a colour scale."""
    placed = df.dropna(subset=["lat", "lon"]) if df is not None and len(df) else df
    few = _too_few(placed, title, lang, key="label", decimals=decimals, suffix=suffix)
    if few is not None:
        return few
    d = _frame(df, "label", "lat", "lon", "value").dropna(subset=["lat", "lon"])
    lon, lat = d["lon"].astype(float).to_numpy(), d["lat"].astype(float).to_numpy()
    aspect = 1 / math.cos(math.radians(float(np.mean(lat))))  # degrees of longitude shrink with cos(lat)
    ratio = (max(np.ptp(lat), 1e-3) * 1.3) / (max(np.ptp(lon), 1e-3) / aspect * 1.4)
    fig, ax = _figure(title, min(max(1.7 + 7.6 * ratio, 3.5), 10.0))
    size = 90
    valid = d["value"].notna().to_numpy()
    lo, hi = limits if limits is not None else (d["value"][valid].min(), d["value"][valid].max())
    flat = bool(valid.any()) and float(lo) == float(hi)
    if flat:  # no spread: one colour, and no scale that would stretch a single value over an axis
        ax.scatter(
            lon[valid],
            lat[valid],
            s=size,
            color=BAR,
            edgecolors="white",
            linewidths=0.8,
            zorder=3,
            label=WORDS[lang]["same"].format(
                v=_text(float(d["value"][valid].iloc[0]), decimals, lang, suffix)
            ),
        )
        _legend(ax)
    elif valid.any():
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
    settle(fig, draw=True)  # labels are placed in pixels, so the layout must not move afterwards
    texts = [
        f"{name}\n{_text(v, decimals, lang, suffix)}" if ok else str(name)
        for name, v, ok in zip(d["label"], d["value"], valid)
    ]
    marker_px = (
        np.sqrt(np.where(mask, size * 2.4, size)) * DPI / 72
    )  # the highlight ring is a bigger obstacle
    if extremes is None:
        place_labels(ax, np.column_stack([lon, lat]), texts, marker_px)
    else:
        order = d["value"].rank(method="first")
        n_valid = int(valid.sum())
        shown = mask | (order <= extremes).to_numpy() | (order > n_valid - extremes).to_numpy()
        place_labels(ax, np.column_stack([lon, lat]), texts, marker_px, labelled=shown)
        ax.set_title(WORDS[lang]["extremes"].format(n=extremes), loc="right", fontsize=9, color=REFERENCE)
    set_alt_text(
        fig,
        f"{WORDS[lang]['map']}: {title}" if not title.lower().startswith(("bản đồ", "map")) else title,
        _extremes(d, decimals, lang, suffix),
        _span(d["value"], decimals, lang, suffix) if valid.any() and not flat else "",
    )
    return fig


def _span(values: pd.Series, decimals: int, lang: str, suffix: str) -> str:
    lo, hi = float(values.min()), float(values.max())
    unit = ("điểm phần trăm" if lang == "vi" else "percentage points") if suffix == "%" else suffix
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
    few = _too_few(
        df,
        title,
        lang,
        key="label" if df is not None and "label" in df else None,
        decimals=decimals,
        suffix=suffix,
    )
    if few is not None:
        return few
    d = _frame(df, "value")
    valid = d.dropna(subset=["value"])
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
    _no_flat_axis(ax, valid["value"], "x")
    _value_axis(ax.xaxis, value_label, lang, suffix)
    set_alt_text(
        fig, title, note, _extremes(valid, decimals, lang, suffix) if "label" in valid.columns else ""
    )
    return fig
