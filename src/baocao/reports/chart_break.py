"""A break in a series over years (the reorganisation of 1 July 2025, when the communes reporting
changed): the line drawn in two styles on either side of it, a vertical line between the two years
with its date, the legend saying what each style is, and the words of the break for the alt text.
Used by :func:`baocao.reports.charts.trend` (``break_after``)."""

from __future__ import annotations

import numpy as np
import pandas as pd
from matplotlib.lines import Line2D

from baocao.reports.chart_style import LABEL, REFERENCE

BEFORE = dict(ls=(0, (4, 2.5)), mfc="white", mew=1.8)  # the years up to the break: dashed, open dots
AFTER = dict(ls="-")
LINE = dict(color=REFERENCE, lw=1.4, ls=(0, (1.5, 2)))  # the break itself


def broken_line(ax, years: np.ndarray, values: pd.Series, break_after: int, colour: str, name: str) -> None:
    """One series drawn in two parts: dashed with open dots up to ``break_after``, solid after it."""
    before = years <= break_after
    for part, style in ((before, BEFORE), (~before, AFTER)):
        if part.any():
            ax.plot(years[part], values[part], marker="o", ms=6, lw=2, color=colour, label="_line", **style)
    if name:  # the series' name in the legend, drawn as it is after the break
        ax.plot([], [], marker="o", ms=6, lw=2, color=colour, label=name)


def break_line(ax, break_after: int, label: str, parts: tuple[str, str]) -> None:
    """The vertical line of a break between ``break_after`` and the next year, its date on the line,
    and the legend: the line, then what the dashed and the solid parts are."""
    x = break_after + 0.5
    ax.axvline(x, zorder=2, **LINE)
    ax.annotate(
        label.split(":", 1)[0],
        (x, 1),
        xycoords=("data", "axes fraction"),
        xytext=(0, -3),
        textcoords="offset points",
        ha="center",
        va="top",
        fontsize=9,
        color=REFERENCE,
        **LABEL,
    )
    drawn = dict(color=REFERENCE, lw=2, marker="o", ms=6)
    sides = [
        Line2D([], [], label=text, **style, **drawn) for text, style in zip(parts, (BEFORE, AFTER)) if text
    ]
    # two columns, filled column by column: the two styles side by side, the break's line under them
    handles = (
        [sides[0], Line2D([], [], label=label, **LINE), *sides[1:]]
        if sides
        else [Line2D([], [], label=label, **LINE)]
    )
    named = list(ax.get_legend_handles_labels()[0])
    ax.legend(
        handles=[*named, *handles],
        loc="lower left",
        bbox_to_anchor=(0, 1.01),
        borderaxespad=0,
        ncols=2,
        handlelength=2.2,
    )


def break_words(break_after: int, label: str, parts: tuple[str, str], lang: str) -> str:
    """The break in the alt text: ``đường dọc giữa 2024 và 2025: …; đến 2024: …; từ 2025: …``."""
    a, b = break_after, break_after + 1
    if lang == "vi":
        said = [f"đường dọc giữa {a} và {b}: {label}"]
        said += [f"đến {a}: {parts[0]}"] if parts[0] else []
        said += [f"từ {b}: {parts[1]}"] if parts[1] else []
    else:
        said = [f"vertical line between {a} and {b}: {label}"]
        said += [f"up to {a}: {parts[0]}"] if parts[0] else []
        said += [f"from {b}: {parts[1]}"] if parts[1] else []
    return "; ".join(said)
