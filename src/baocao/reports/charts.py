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

import math

import numpy as np
import pandas as pd
from matplotlib.patches import Patch

from baocao import fmt
from baocao.reports import chart_parts as shared
from baocao.reports.chart_break import break_line, break_words, broken_line
from baocao.reports.chart_image import NoChart, set_alt_text
from baocao.reports.chart_layout import drop_colliding
from baocao.reports.chart_spread import distribution, dot_map
from baocao.reports.chart_style import (
    ACCENT,
    BAR,
    INK,
    LABEL,
    PALETTE,
    TARGET,
    WARNING,
    needed_decimals,
)

__all__ = ["NoChart", "rate_by_topic", "trend", "bars_over_years", "ranked_bars", "dot_map", "distribution"]


@shared.house
def rate_by_topic(df, *, target=None, title, value_label, decimals=2, lang="vi", suffix="%"):
    """Rates (``label``, ``value`` in %) as horizontal bars; bars under ``target`` in the warning colour."""
    few = shared.too_few(df, title, lang, key="label", decimals=decimals, suffix=suffix, need="need_values")
    if few is not None:
        return few
    d = shared.frame(df, "label", "value")
    wrapped = sum(shared.wrap(s).count("\n") + 1 for s in d["label"])
    fig, ax = shared.figure(title, 1.5 + 0.32 * len(d) + 0.2 * wrapped)
    below = d["value"] < target if target is not None else pd.Series(False, index=d.index)
    shared.hbars(
        ax,
        d["label"],
        d["value"],
        [WARNING if b else BAR for b in below],
        decimals=decimals,
        lang=lang,
        suffix=suffix,
        lines=[target] if target is not None else [],
    )
    shared.value_axis(ax.xaxis, value_label, lang, suffix)
    if target is not None:
        shared.line(ax, target, shared.target_label(target, lang, suffix), vertical=True, target=True)
        patches = [
            Patch(color=c, label=shared.WORDS[lang][k]) for c, k in ((BAR, "met"), (WARNING, "not_met"))
        ]
        shared.legend(ax, [ax.lines[-1], *patches] if below.any() else None)
    shown = "; ".join(
        f"{label} {shared.text(v, decimals, lang, suffix)}"
        for label, v in zip(d["label"], d["value"])
        if not fmt.is_missing(v)
    )
    set_alt_text(
        fig,
        title,
        shown if len(d) <= 4 else shared.extremes(d, decimals, lang, suffix),
        shared.target_label(target, lang, suffix).lower() if target is not None else "",
    )
    return fig


@shared.house
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
    few = shared.too_few(df, title, lang, key="label", decimals=decimals, suffix=suffix)
    if few is not None:
        return few
    d = shared.frame(df, "label", "value").sort_values(
        "value", ascending=False, na_position="last", kind="stable"
    )
    fig, ax = shared.figure(title, 1.7 + 0.27 * len(d))
    lines = [v for v in (reference, target) if v is not None and not fmt.is_missing(v)]
    colours = [ACCENT if s == highlight else BAR for s in d["label"]]
    zoom = _zoom(d["value"], [reference] if reference is not None and not fmt.is_missing(reference) else [])
    if zoom is None:
        shared.hbars(
            ax, d["label"], d["value"], colours, decimals=decimals, lang=lang, suffix=suffix, lines=lines
        )
        shared.value_axis(ax.xaxis, value_label, lang, suffix)
    else:  # the values differ by little next to their size: dots on an axis zoomed to them
        _hdots(ax, d["label"], d["value"], colours, zoom, decimals=decimals, lang=lang, suffix=suffix)
        shared.value_axis(ax.xaxis, None, lang, suffix)
        lo = shared.text(zoom[0], needed_decimals([zoom[0]], 2), lang, suffix)
        note = shared.WORDS[lang]["zoom"].format(lo=lo)
        ax.set_xlabel(f"{value_label} — {note}" if value_label else note[0].upper() + note[1:])
    for tick in ax.get_yticklabels():
        if highlight is not None and tick.get_text() == shared.wrap(highlight):
            tick.set_fontweight("bold")
    if reference is not None:
        value = shared.text(reference, decimals, lang, suffix)
        shared.line(
            ax,
            reference,
            f"{reference_label}: {value}" if reference_label else value,
            vertical=True,
            target=False,
        )
    if target is not None and zoom is not None and not zoom[0] <= target <= zoom[1]:
        # off the zoomed axis: in the legend, saying on which side it lies
        side = shared.WORDS[lang]["left" if target < zoom[0] else "right"]
        ax.plot(
            [],
            [],
            color=TARGET,
            ls=(0, (5, 3)),
            lw=1.6,
            label=f"{shared.target_label(target, lang, suffix)} ({side})",
        )
    elif target is not None:
        shared.line(ax, target, shared.target_label(target, lang, suffix), vertical=True, target=True)
    shared.legend(ax)
    set_alt_text(
        fig,
        title,
        shared.extremes(d, decimals, lang, suffix),
        f"{reference_label or ''} {shared.text(reference, decimals, lang, suffix)}".strip()
        if reference is not None and not fmt.is_missing(reference)
        else "",
        shared.target_label(target, lang, suffix).lower() if target is not None else "",
    )
    return fig


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
                shared.text(v, decimals, lang, suffix),
                (v, yi),
                xytext=(7, 0),
                textcoords="offset points",
                ha="left",
                va="center",
                fontsize=9.5,
                color=INK,
                **LABEL,
            )
    ax.set_yticks(y, [shared.wrap(s) for s in labels])
    ax.set_ylim(len(values) - 0.5, -0.6)
    ax.set_xlim(*limits)
    ax.grid(axis="y", visible=False)
    ax.tick_params(axis="y", length=0)
    ax.spines["left"].set_visible(False)


@shared.house
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
    few = shared.too_few(df, title, lang, key="year", decimals=decimals, suffix=suffix)
    if few is not None:
        return few
    d = shared.frame(df, "year", "value", *([series] if series else []))
    key = series or "_series"
    d[key] = d[key].astype(str) if series else ""
    wide = shared.by_year(d, key)
    years = wide.index.to_numpy()
    labelled = {*shared.every_nth_year(years), years[-1]}
    fig, ax = shared.figure(title, 4.6)
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
                        shared.text(value, decimals, lang, suffix),
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
        shared.line(ax, target, shared.target_label(target, lang, suffix), vertical=False, target=True)
    ax.margins(y=0.18)
    shared.no_flat_axis(ax, wide.stack(), "y")
    shared.year_axis(ax, years, lang)
    ax.grid(axis="x", visible=False)
    shared.value_axis(ax.yaxis, value_label, lang, suffix)
    if break_after is None:
        shared.legend(ax)
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
    w = shared.WORDS[lang]
    if len(v) == 1:
        said = w["in_year"].format(y=int(v.index[0]), v=shared.text(v.iloc[0], decimals, lang, suffix))
    else:
        said = w["from_to"].format(
            a=shared.text(v.iloc[0], decimals, lang, suffix),
            y0=int(v.index[0]),
            b=shared.text(v.iloc[-1], decimals, lang, suffix),
            y1=int(v.index[-1]),
        )
    return f"{name} {said}".strip()


@shared.house
def bars_over_years(df, *, title, lang="vi", decimals=0, suffix=""):
    """Bars by ``year``, one panel per ``series`` with its own scale (e.g. meetings vs attendances)."""
    few = shared.too_few(df, title, lang, key="year", decimals=decimals, suffix=suffix)
    if few is not None:
        return few
    d = shared.frame(df, "year", "series", "value")
    d["series"] = d["series"].astype(str)
    wide = shared.by_year(d, "series")
    years, names = wide.index.to_numpy(), list(wide.columns)
    ncols = min(len(names), 3)
    crowded = len(years) * ncols > 15  # value labels would touch: turn them upright
    nrows = math.ceil(len(names) / ncols)
    fig, axes = shared.figure(title, 0.9 + 3.3 * nrows, nrows, ncols, squeeze=False, sharey=False)
    for i, ax in enumerate(axes.flat):
        if i >= len(names):
            ax.remove()
            continue
        values = wide[names[i]]
        bars = ax.bar(years, values.fillna(0), width=0.7, color=PALETTE[i % len(PALETTE)])
        ax.bar_label(
            bars,
            labels=[shared.text(v, decimals, lang, suffix) for v in values],
            padding=2,
            fontsize=9.5,
            rotation=90 if crowded else 0,
            **LABEL,
        )
        ax.set_title(names[i], fontweight="bold")
        ax.margins(y=0.28 if crowded else 0.14)
        ax.grid(axis="x", visible=False)
        shared.year_axis(ax, years, lang, most=14 // ncols)
        ax.set_xlabel("")
        shared.value_axis(ax.yaxis, None, lang, suffix, integer=decimals == 0)
    set_alt_text(fig, title, *(_change(wide[name], name, decimals, lang, suffix) for name in names))
    return fig
