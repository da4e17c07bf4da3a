"""Where a figure comes from: published, computed from reported data, or illustrative.

Every figure a report shows has one of three provenances, derived from the data, never set by hand:

- ``published``: the value a named source stated (a row of ``published.csv``), shown exactly
  as published and marked with the number of its footnote;
- ``computed``: computed from reported (real) observation rows;
- ``illustrative``: computed from at least one row whose ``source`` says it is illustrative
  generated data ("Số liệu minh họa …" / "illustrative generated data").

A published figure whose period, date or unit is ours and not the source's (the year from a
neighbouring sentence, the period from a sum, a stock "to date") also carries ``s`` (vi) / ``inf``
(en): "inferred", the reason in its footnote. A target that names no document is an example
(``illustrative target``): the verdicts it gives carry ``mh`` / ``il`` like illustrative data.

The marks are text (a superscript letter or number), so they survive print and do not rely on
colour. :data:`MARKS` and :func:`legend` say what they mean, in the report language.
"""

from __future__ import annotations

import pandas as pd

ILLUSTRATIVE_MARKERS = ("minh họa", "illustrative")
PROVENANCES = ("published", "computed", "illustrative")  # from the strongest claim
# what a page's legend can explain, in its order
LEGEND_KEYS = ("published", "inferred", "computed", "illustrative", "illustrative target")
# a superscript letter after a computed or illustrative figure; published figures carry their footnote number
MARKS = {
    "vi": {"computed": "t", "illustrative": "mh", "inferred": "s", "illustrative target": "mh"},
    "en": {"computed": "c", "illustrative": "il", "inferred": "inf", "illustrative target": "il"},
}
LEGEND = {
    "vi": {
        "published": "số chú thích: số liệu đã công bố, nguồn và câu trích ghi ở chú thích",
        "inferred": "kỳ, thời điểm hoặc đơn vị của con số do chúng tôi suy ra, nguồn không nêu; "
        "lý do ghi ở chú thích",
        "computed": "tính từ số liệu báo cáo",
        "illustrative": "số liệu minh họa, sinh tự động — không phải số liệu thật",
        "illustrative target": "chỉ tiêu minh họa, không dựa trên văn bản giao chỉ tiêu nào; "
        "đánh giá theo chỉ tiêu này cũng chỉ là minh họa",
    },
    "en": {
        "published": "footnote number: a published figure; its source and the quoted words are in the "
        "footnote",
        "inferred": "the figure's period, date or unit is our inference, not stated by the source; "
        "the reason is in the footnote",
        "computed": "computed from reported data",
        "illustrative": "illustrative generated data, not real figures",
        "illustrative target": "an illustrative target that no document sets; an assessment against it is "
        "illustrative too",
    },
}


def is_illustrative(source: pd.Series) -> pd.Series:
    """True for rows whose ``source`` says they are illustrative (generated) data."""
    s = source.fillna("").astype(str).str.lower()
    return s.str.contains("|".join(ILLUSTRATIVE_MARKERS), regex=True)


def provenance_of(illustrative: bool, published: bool = False) -> str:
    """The provenance of a figure: published, else illustrative or computed."""
    return "published" if published else "illustrative" if illustrative else "computed"


def mark(provenance: str, lang: str = "vi", footnote: int | None = None) -> str:
    """The mark's text: ``mh`` / ``t`` (vi), ``il`` / ``c`` (en), or the footnote number."""
    if provenance == "published":
        return str(footnote) if footnote is not None else "*"
    return MARKS[lang][provenance]


def legend(provenances, lang: str = "vi") -> list[tuple[str, str]]:
    """(mark, meaning) for each of :data:`LEGEND_KEYS` present, in a fixed order; illustrative data
    and illustrative targets share their mark and one entry."""
    present = set(provenances)
    out = []
    for k in LEGEND_KEYS:
        if k not in present or (k == "illustrative target" and "illustrative" in present):
            continue
        text = LEGEND[lang][k]
        if k == "illustrative" and "illustrative target" in present:
            text += "; " + LEGEND[lang]["illustrative target"]
        out.append(("1, 2, …" if k == "published" else MARKS[lang][k], text))
    return out
