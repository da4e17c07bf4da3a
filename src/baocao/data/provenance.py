"""Where a figure comes from: published, computed from reported data, or illustrative.

Every figure a report shows has one of three provenances, derived from the data, never set by hand:

- ``published``: the value a named source stated (a row of ``published.csv``), shown exactly
  as published and marked with the number of its footnote;
- ``computed``: computed from reported (real) observation rows;
- ``illustrative``: computed from at least one row whose ``source`` says it is illustrative
  generated data ("Số liệu minh họa …" / "illustrative generated data").

The marks are text (a superscript letter or number), so they survive print and do not rely on
colour. :data:`MARKS` and :func:`legend` say what they mean, in the report language.
"""

from __future__ import annotations

import pandas as pd

ILLUSTRATIVE_MARKERS = ("minh họa", "illustrative")
PROVENANCES = ("published", "computed", "illustrative")  # from the strongest claim
# a superscript letter after a computed or illustrative figure; published figures carry their footnote number
MARKS = {"vi": {"computed": "t", "illustrative": "mh"}, "en": {"computed": "c", "illustrative": "il"}}
LEGEND = {
    "vi": {
        "published": "số chú thích: số liệu đã công bố, nguồn và dòng số liệu ghi ở chú thích",
        "computed": "tính từ số liệu báo cáo",
        "illustrative": "số liệu minh họa, sinh tự động — không phải số liệu thật",
    },
    "en": {
        "published": "footnote number: a published figure; its source and row are in the footnote",
        "computed": "computed from reported data",
        "illustrative": "illustrative generated data, not real figures",
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
    """(mark, meaning) for each provenance present, in a fixed order."""
    present = [k for k in PROVENANCES if k in set(provenances)]
    return [("1, 2, …" if k == "published" else MARKS[lang][k], LEGEND[lang][k]) for k in present]
