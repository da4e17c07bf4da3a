"""Charts as notebooks show them: a matplotlib Figure wrapped as a :class:`Chart`, which makes
its PNG (:mod:`baocao.reports.charts` draws; matplotlib is imported only when a chart is made)."""

from __future__ import annotations

import functools

import pandas as pd

from baocao.reports.kit.html import Html


class Chart:
    """A chart Figure as notebooks show it: a PNG made here, the same bytes whatever the
    kernel's inline-backend settings are. The Figure itself is ``.figure``."""

    def __init__(self, figure):
        self.figure = figure

    def png(self) -> bytes:
        from baocao.reports.chart_image import chart_png

        return chart_png(self.figure)

    def _repr_png_(self):
        # the alt text (what the chart shows and its key figure) travels in the output's metadata
        from baocao.reports.chart_image import alt_text

        alt = alt_text(self.figure)
        return (self.png(), {"alt": alt}) if alt else self.png()

    def __repr__(self) -> str:
        title = self.figure._suptitle.get_text() if self.figure._suptitle else ""
        return f"<chart: {title}>"


def as_chart(fn):
    """A function that returns a Figure, returning it as a :class:`Chart`; when the data were too
    few to draw (a :class:`~baocao.reports.chart_image.NoChart`: no value, one unit, one point or
    one year), the sentence that stands in its place, as :class:`~baocao.reports.kit.html.Html`."""

    @functools.wraps(fn)
    def wrapper(*args, **kwargs):
        return shown(fn(*args, **kwargs))

    return wrapper


def shown(figure) -> Chart | Html:
    """A Figure as a :class:`Chart`, a :class:`~baocao.reports.chart_image.NoChart` as its sentence."""
    from baocao.reports.chart_image import NoChart

    return Html(figure.html()) if isinstance(figure, NoChart) else Chart(figure)


@as_chart
def indicator_trend(ind, df: pd.DataFrame, lang: str, *, where: str = "", suffix: str = "", target=None):
    """An indicator's values by ``year`` (and ``series``) as a trend chart titled with its name and
    unit, and `` — where`` when given; ``ind``: the catalogue's indicator."""
    from baocao.reports import charts

    return charts.trend(
        df,
        title=f"{ind.name(lang)} ({ind.unit(lang)})" + (f" — {where}" if where else ""),
        value_label=ind.unit(lang),
        decimals=ind.decimals,
        lang=lang,
        target=target,
        suffix=suffix,
    )
