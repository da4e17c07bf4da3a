"""The shared report kit: what every report family (:mod:`baocao.reports.district`,
:mod:`baocao.reports.gso`, :mod:`baocao.reports.commune_2025`) builds its pages with.

HTML pieces (:class:`Html`), charts as notebooks show them (:class:`Chart`, :func:`as_chart`),
tables, headline cards, the footer, the words for reconciliation verdicts, parameter checks and
:func:`open_report`, the first call of every report notebook (through the registry
:mod:`baocao.reports.kinds`).
"""

from __future__ import annotations

import functools

import pandas as pd
from markupsafe import escape

from baocao.reports import kinds
from baocao.reports.kinds import ReportError

__all__ = [
    "VERDICT_LABELS",
    "INPUT_CHECK",
    "Html",
    "Chart",
    "ReportError",
    "as_chart",
    "cards_html",
    "check_lang",
    "check_year",
    "esc",
    "footer_html",
    "html_table",
    "indicator_trend",
    "is_blank",
    "open_report",
    "t",
]

VERDICT_LABELS = {
    "vi": {
        "match": "khớp",
        "rounding difference": "chênh do làm tròn",
        "mismatch": "không khớp",
        "no data": "không có số liệu",
        "": "",
    },
    "en": {
        "match": "match",
        "rounding difference": "rounding difference",
        "mismatch": "mismatch",
        "no data": "no data",
        "": "",
    },
}

INPUT_CHECK = {
    "vi": "Mã kiểm tra được tính từ toàn bộ số liệu dùng cho báo cáo này: "
    "hai bản báo cáo có cùng mã là lập từ cùng một số liệu; "
    "chỉ cần một con số đầu vào thay đổi thì mã cũng đổi.",
    "en": "The check code is computed from all the data this report uses: "
    "two copies with the same code were made from the same figures; "
    "change any input figure and the code changes.",
}


def t(vi: str, en: str, lang: str) -> str:
    return vi if lang == "vi" else en


def esc(text) -> str:
    """Escaped text as a plain ``str`` (a ``Markup`` would escape the HTML it is concatenated with)."""
    return str(escape(text))


class Html(str):
    """A piece of HTML that notebooks display as such. ``meta`` (JSON-able) goes into the
    output's metadata under ``baocao``: the builder reads the report summary from there.
    It is already HTML: ``markupsafe.escape`` keeps it as it is (``__html__``)."""

    meta: dict | None = None

    def __html__(self) -> str:
        return str(self)

    def _repr_html_(self):
        return (str(self), {"baocao": self.meta}) if self.meta else str(self)

    def __repr__(self) -> str:
        return "<baocao HTML>"


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
    """A function that returns a Figure, returning it as a :class:`Chart`."""

    @functools.wraps(fn)
    def wrapper(*args, **kwargs):
        return Chart(fn(*args, **kwargs))

    return wrapper


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


def open_report(kind: str, namespace: dict):
    """First call of every report notebook: check parameters, load and validate data, compute
    (the kind's opener, from the registry :mod:`baocao.reports.kinds`). ``namespace``: the
    notebook's ``globals()``, holding its parameters."""
    return kinds.open_context(kind, namespace)


def check_lang(lang) -> str:
    if lang not in ("vi", "en"):
        raise ReportError(f"lang phải là 'vi' hoặc 'en' / lang must be 'vi' or 'en', not {lang!r}")
    return lang


def check_year(year) -> int:
    try:
        return int(str(year).strip())
    except ValueError:
        raise ReportError(f"Năm không hợp lệ / invalid year: {year!r}") from None


def cards_html(cards: list[tuple[str, str, str]]) -> Html:
    body = "".join(
        f'<div class="card{" " + cls if cls else ""}"><div class="value">{esc(v)}</div><div '
        f'class="label">{esc(label)}</div></div>'
        for label, v, cls in cards
    )
    return Html(f'<div class="headline">{body}</div>')


def html_table(df: pd.DataFrame, numeric: list[str] | None = None, caption: str = "") -> Html:
    """A deterministic, escaped HTML table; ``numeric`` columns are right-aligned. A cell that
    is :class:`Html` (a figure with its mark) is kept as HTML."""
    numeric = set(numeric or [])
    head = "".join(f"<th{' class=num' if c in numeric else ''}>{esc(c)}</th>" for c in df.columns)
    body = "".join(
        "<tr>"
        + "".join(
            f"<td{' class=num' if c in numeric else ''}>{esc('' if is_blank(v) else v)}</td>"
            for c, v in zip(df.columns, row)
        )
        + "</tr>"
        for row in df.itertuples(index=False)
    )
    cap = f"<caption>{esc(caption)}</caption>" if caption else ""
    return Html(f'<table class="data">{cap}<thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>')


def is_blank(v) -> bool:
    return not isinstance(v, str) and pd.isna(v)


# ---------------------------------------------------------------- charts: provenance marks on value labels


def footer_html(text: str, lang: str) -> Html:
    """The page's footer: ``text`` (data date or source, input check code, version) and what the check code
    means.
    """
    return Html(
        f'<footer class="report-footer"><p>{escape(text)}</p><p '
        f'class="footer-note">{escape(INPUT_CHECK[lang])}</p></footer>'
    )
