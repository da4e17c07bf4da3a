"""The house style of charts: colours, the rc parameters every chart is built and drawn in
whatever the caller did to ``rcParams`` (set with matplotlib's private ``RcParams._update_raw``:
no validation on each use), and tick labels in the Vietnamese number style.
"""

from __future__ import annotations

import contextlib
import functools

import matplotlib as mpl
import seaborn as sns
from cycler import cycler
from matplotlib.figure import Figure
from matplotlib.ticker import FuncFormatter

from baocao import fmt

__all__ = [
    "HOUSE_RC",
    "PALETTE",
    "HouseFigure",
    "house_style",
    "house_context",
    "tick_formatter",
    "needed_decimals",
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


class HouseFigure(Figure):
    """A Figure that draws and saves in the house style whatever the global rcParams are."""

    def draw(self, renderer):
        with house_context():
            super().draw(renderer)

    def savefig(self, fname, **kwargs):
        with house_context():
            super().savefig(fname, **kwargs)


class _NumberFormatter(FuncFormatter):
    """Formats through ``baocao.fmt``; remembers how many decimals the current tick spacing needs."""

    def __init__(self, decimals: int | None, lang: str, suffix: str):
        super().__init__(self._label)
        self.decimals, self.lang, self.suffix, self._spacing_decimals = decimals, lang, suffix, 0

    def set_locs(self, locs):
        super().set_locs(locs)
        self._spacing_decimals = needed_decimals(locs)

    def _label(self, x, pos=None):
        d = self._spacing_decimals if self.decimals is None else self.decimals
        return fmt.with_unit(float(fmt.round_half_up(x, d)) or 0.0, self.suffix, d, self.lang)  # no "-0"


def tick_formatter(decimals: int | None = 0, lang: str = "vi", suffix: str = "") -> FuncFormatter:
    """Ticks as ``17.939`` / ``99,5%`` (``lang="en"``: ``17,939``); ``decimals=None``: as few as the spacing
    needs.
    """
    return _NumberFormatter(decimals, fmt.check_lang(lang), suffix)


def needed_decimals(values, most: int = 6) -> int:
    """The fewest decimals (at most ``most``) that show every one of ``values`` exactly."""
    for d in range(most):
        if all(abs(x - round(x, d)) < 1e-9 * max(1.0, abs(x)) for x in values):
            return d
    return most
