"""HTML pieces every report page is built from: :class:`Html` (what notebooks display as
HTML), escaped text, tables, headline cards, the title block, the sources and the footer."""

from __future__ import annotations

import pandas as pd
from markupsafe import escape

INPUT_CHECK = {
    "vi": "Mã kiểm tra được tính từ toàn bộ số liệu dùng cho báo cáo này: "
    "hai bản báo cáo có cùng mã là lập từ cùng một số liệu; "
    "chỉ cần một con số đầu vào thay đổi thì mã cũng đổi.",
    "en": "The check code is computed from all the data this report uses: "
    "two copies with the same code were made from the same figures; "
    "change any input figure and the code changes.",
}


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


def is_blank(v) -> bool:
    return not isinstance(v, str) and pd.isna(v)


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


def title_html(title: str, meta: str) -> str:
    """The top of every report: its title and one line of what it covers (``meta``: HTML)."""
    return f'<h1 class="report-title">{esc(title)}</h1><p class="meta">{meta}</p>'


def sources_html(label: str, sources: list[str]) -> str:
    """The sources of a report's figures, folded under ``label``."""
    items = "".join(f"<li>{esc(s)}</li>" for s in sources)
    return f'<details class="sources"><summary>{label}</summary><ul>{items}</ul></details>'


def footer_html(text: str, lang: str) -> Html:
    """The page's footer: ``text`` (data date or source, input check code, version) and what the check code
    means.
    """
    return Html(
        f'<footer class="report-footer"><p>{escape(text)}</p><p '
        f'class="footer-note">{escape(INPUT_CHECK[lang])}</p></footer>'
    )
