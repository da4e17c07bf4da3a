"""The pieces the charts share (:mod:`baocao.reports.charts`, :mod:`baocao.reports.chart_spread`):
their words in both languages, the sentence that stands for a chart of too little data, the
house figure, value and year axes (never stretched over values with no spread), target and
reference lines, the legend, horizontal bars."""

from __future__ import annotations

import functools
import math
import textwrap

import numpy as np
import pandas as pd
from matplotlib.ticker import MaxNLocator

from baocao import fmt
from baocao.reports.chart_image import NoChart
from baocao.reports.chart_layout import settle
from baocao.reports.chart_renderer import Canvas
from baocao.reports.chart_style import (
    LABEL,
    REFERENCE,
    TARGET,
    WIDTH,
    WRAP,
    HouseFigure,
    house_context,
    needed_decimals,
    tick_formatter,
)

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


def extremes(d: pd.DataFrame, decimals: int, lang: str, suffix: str) -> str:
    """``cao nhất Óc Eo 97,08%, thấp nhất Bình Thành 96,71%`` for rows with ``label`` and ``value``."""
    v = d.dropna(subset=["value"])
    if v.empty:
        return ""
    hi, lo = v.loc[v["value"].idxmax()], v.loc[v["value"].idxmin()]
    w = WORDS[lang]
    first = f"{w['highest']} {hi['label']} {text(hi['value'], decimals, lang, suffix)}"
    return (
        first
        if len(v) == 1
        else f"{first}, {w['lowest']} {lo['label']} {text(lo['value'], decimals, lang, suffix)}"
    )


def house(chart):
    """Check ``lang`` and build the chart inside the house style (a :class:`NoChart` as it is)."""

    @functools.wraps(chart)
    def wrapper(df, **options):
        fmt.check_lang(options.get("lang", "vi"))
        with house_context():
            out = chart(df, **options)
            return out if isinstance(out, NoChart) else settle(out)

    return wrapper


def too_few(
    df, title: str, lang: str, *, key: str | None, decimals: int, suffix: str, need: str = "need_units"
) -> NoChart | None:
    """A :class:`NoChart` when ``df`` holds no value, or values of a single ``key`` (``label``: one
    unit or bar; ``year``: one year, whatever its series); None when there is enough to draw."""
    w = WORDS[lang]
    if df is not None and len(df) and ("value" not in df or (key is not None and key not in df)):
        return None  # a missing column: frame says which
    values = df[pd.to_numeric(df["value"], errors="coerce").notna()] if df is not None and len(df) else None
    if values is None or values.empty:
        return NoChart(title=one_line(title), lead=w["nothing"])
    if key is None or values[key].nunique() > 1:
        return None
    if key == "year":
        y = int(values["year"].iloc[0])
        items = tuple(
            (str(s) if s else "", text(float(v), decimals, lang, suffix), (y, float(v)))
            for s, v in zip(values["series"] if "series" in values else [""] * len(values), values["value"])
        )
        return NoChart(one_line(title), w["one_year"].format(y=y), w["need_years"], items)
    items = tuple(
        (str(label), text(float(v), decimals, lang, suffix), (float(v),))
        for label, v in zip(values[key], values["value"])
    )
    lead = w["one_unit"] if need == "need_units" else w["one_value"]
    return NoChart(one_line(title), lead, w[need], items)


def one_line(title: str) -> str:
    return " ".join(str(title).split())


def frame(df: pd.DataFrame, *columns: str) -> pd.DataFrame:
    if df is None or len(df) == 0:
        raise ValueError("chart needs at least one row; got an empty DataFrame")
    lacking = [c for c in columns if c not in df.columns]
    if lacking:
        raise ValueError(f"chart needs column(s) {lacking}; DataFrame has {list(df.columns)}")
    out = df.reset_index(drop=True).copy()
    out["value"] = pd.to_numeric(out["value"]).astype("float64")
    return out


def figure(title: str, height: float, nrows: int = 1, ncols: int = 1, **subplot_kw):
    fig = HouseFigure(figsize=(WIDTH, height), layout="constrained")
    Canvas(fig)
    fig.suptitle(textwrap.fill(title, 75), x=0.01, ha="left")
    return fig, fig.subplots(nrows, ncols, **subplot_kw)


def wrap(label) -> str:
    return textwrap.fill(str(label), WRAP)


def text(value, decimals: int, lang: str, suffix: str) -> str:
    return fmt.with_unit(value, suffix, decimals, lang)


def value_axis(axis, label: str | None, lang: str, suffix: str, integer: bool = False) -> None:
    axis.set_major_locator(MaxNLocator(nbins="auto", steps=[1, 2, 2.5, 5, 10], integer=integer))
    axis.set_major_formatter(tick_formatter(None, lang, suffix))
    if label:
        axis.set_label_text(label)


def every_nth_year(years: np.ndarray, most: int = 12) -> np.ndarray:
    return years[:: math.ceil(len(years) / most)]


def by_year(d: pd.DataFrame, key: str) -> pd.DataFrame:
    """Values with one column per ``key`` (input order) and a row for every
    year in the range: gaps stay NaN.
    """
    if d.duplicated(["year", key]).any():
        raise ValueError(f"chart needs one value per year and {key!r}; found duplicates")
    years = np.arange(int(d["year"].min()), int(d["year"].max()) + 1)
    return d.pivot(index="year", columns=key, values="value").reindex(years)[list(pd.unique(d[key]))]


def year_axis(ax, years: np.ndarray, lang: str, most: int = 12) -> None:
    """Whole years as plain ``2024`` (no thousands dot), at most ``most`` ticks."""
    ax.set_xlim(years[0] - 0.5, years[-1] + 0.5)
    shown = every_nth_year(years, most)
    ax.set_xticks(shown, [str(y) for y in shown])
    ax.set_xlabel(WORDS[lang]["year"])


def line(ax, value: float, label: str, *, vertical: bool, target: bool) -> None:
    style = dict(color=TARGET, ls=(0, (5, 3)), lw=1.6) if target else dict(color=REFERENCE, lw=1.6)
    (ax.axvline if vertical else ax.axhline)(value, label=label, zorder=4, **style)


def target_label(target: float, lang: str, suffix: str) -> str:
    return f"{WORDS[lang]['target']} {text(target, needed_decimals([target], 2), lang, suffix)}"


def legend(ax, handles=None) -> None:
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


def hbars(ax, labels, values: pd.Series, colours, *, decimals: int, lang: str, suffix: str, lines=()):
    """Horizontal bars top to bottom with value labels; ``lines`` (values of ref lines) set the x range."""
    y = np.arange(len(values))
    bars = ax.barh(y, values.fillna(0), color=colours, height=0.72)
    ax.bar_label(
        bars, labels=[text(v, decimals, lang, suffix) for v in values], padding=3, fontsize=10, **LABEL
    )
    ax.set_yticks(y, [wrap(s) for s in labels])
    ax.set_ylim(len(values) - 0.5, -0.6)
    ax.grid(axis="y", visible=False)
    ax.tick_params(axis="y", length=0)
    ax.spines["left"].set_visible(False)
    extent = [v for v in [*values, *lines, 0] if not fmt.is_missing(v)]
    low, high = min(extent), max(extent)
    ax.set_xlim(low * 1.15 if low < 0 else 0, high * 1.14 if high > 0 else 1)


def no_flat_axis(ax, values: pd.Series, which: str) -> None:
    """Values that are all the same would get an axis stretched over nothing (96,660 – 96,685):
    the axis runs from 0 to above the value instead."""
    v = pd.to_numeric(pd.Series(values), errors="coerce").dropna()
    if len(v) and float(v.max()) == float(v.min()):
        value = float(v.iloc[0])
        low, high = (min(value, 0.0) * 1.2, max(value, 0.0) * 1.2) if value else (0.0, 1.0)
        (ax.set_ylim if which == "y" else ax.set_xlim)(low, high)
