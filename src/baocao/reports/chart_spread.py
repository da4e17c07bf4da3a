"""Charts of how units spread: the map of the units (:func:`dot_map`) and the distribution of one
indicator over them (:func:`distribution`); both are in the :mod:`baocao.reports.charts` façade."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import seaborn as sns
from matplotlib.ticker import MaxNLocator

from baocao.reports import chart_parts as shared
from baocao.reports.chart_image import set_alt_text
from baocao.reports.chart_layout import place_labels, settle
from baocao.reports.chart_style import (
    ACCENT,
    BAR,
    CMAP,
    DPI,
    INK,
    MISSING,
    REFERENCE,
    tick_formatter,
)


@shared.house
def dot_map(
    df, *, title, value_label, decimals=1, lang="vi", highlight=None, suffix="", extremes=None, limits=None
):
    """Points at ``lon``/``lat`` coloured by ``value``, each labelled without overlaps; no basemap.
    ``extremes``: label only that many highest and lowest points (and ``highlight``), for maps of
    too many points to label (a province's 102 communes); the axis says so. Values with no spread
    (every dot the same; or ``limits``, the range of the whole scale when the map is one part of
    several, are equal) are drawn in one colour, without a colour scale."""
    placed = df.dropna(subset=["lat", "lon"]) if df is not None and len(df) else df
    few = shared.too_few(placed, title, lang, key="label", decimals=decimals, suffix=suffix)
    if few is not None:
        return few
    d = shared.frame(df, "label", "lat", "lon", "value").dropna(subset=["lat", "lon"])
    lon, lat = d["lon"].astype(float).to_numpy(), d["lat"].astype(float).to_numpy()
    aspect = 1 / math.cos(math.radians(float(np.mean(lat))))  # degrees of longitude shrink with cos(lat)
    ratio = (max(np.ptp(lat), 1e-3) * 1.3) / (max(np.ptp(lon), 1e-3) / aspect * 1.4)
    fig, ax = shared.figure(title, min(max(1.7 + 7.6 * ratio, 3.5), 10.0))
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
            label=shared.WORDS[lang]["same"].format(
                v=shared.text(float(d["value"][valid].iloc[0]), decimals, lang, suffix)
            ),
        )
        shared.legend(ax)
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
            label=shared.WORDS[lang]["no_data"],
        )
        shared.legend(ax)
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
        f"{name}\n{shared.text(v, decimals, lang, suffix)}" if ok else str(name)
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
        ax.set_title(
            shared.WORDS[lang]["extremes"].format(n=extremes), loc="right", fontsize=9, color=REFERENCE
        )
    set_alt_text(
        fig,
        f"{shared.WORDS[lang]['map']}: {title}" if not title.lower().startswith(("bản đồ", "map")) else title,
        shared.extremes(d, decimals, lang, suffix),
        _span(d["value"], decimals, lang, suffix) if valid.any() and not flat else "",
    )
    return fig


def _span(values: pd.Series, decimals: int, lang: str, suffix: str) -> str:
    lo, hi = float(values.min()), float(values.max())
    unit = ("điểm phần trăm" if lang == "vi" else "percentage points") if suffix == "%" else suffix
    return shared.WORDS[lang]["span"].format(
        span=shared.text(hi - lo, decimals, lang, unit),
        lo=shared.text(lo, decimals, lang, suffix),
        hi=shared.text(hi, decimals, lang, suffix),
    )


def _scale_label(values: pd.Series, value_label: str, decimals: int, lang: str, suffix: str) -> str:
    """The colour bar's label; when the colours span little next to the values (under a tenth of the
    largest), it says so: the darkest and the brightest dot may differ by a hair."""
    lo, hi = float(values.min()), float(values.max())
    if hi > 0 and lo >= 0 and (hi - lo) < hi / 10:
        span = _span(values, decimals, lang, suffix)
        return f"{value_label} — {span}" if value_label else span[0].upper() + span[1:]
    return value_label


@shared.house
def distribution(df, *, title, value_label, decimals=1, lang="vi", suffix=""):
    """Spread of ``value`` across units: box plus one dot per unit; lowest and highest ``label`` named."""
    few = shared.too_few(
        df,
        title,
        lang,
        key="label" if df is not None and "label" in df else None,
        decimals=decimals,
        suffix=suffix,
    )
    if few is not None:
        return few
    d = shared.frame(df, "value")
    valid = d.dropna(subset=["value"])
    fig, ax = shared.figure(title, 3.2)
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
    words = shared.WORDS[lang]
    note = (
        f"n = {len(valid)} {words['units']} · {words['median']} "
        f"{shared.text(valid['value'].median(), decimals, lang, suffix)}"
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
                f"{row['label']}: {shared.text(row['value'], decimals, lang, suffix)}",
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
    shared.no_flat_axis(ax, valid["value"], "x")
    shared.value_axis(ax.xaxis, value_label, lang, suffix)
    set_alt_text(
        fig, title, note, shared.extremes(valid, decimals, lang, suffix) if "label" in valid.columns else ""
    )
    return fig
