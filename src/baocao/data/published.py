"""Published figures (``published.csv``): what a source states, kept apart from what we infer.

One row per figure a report or article states. The source's own words are in ``quote`` (only
its words, verbatim), the unit it writes the figure with in ``unit_stated`` (``tỷ đồng``,
``đảng viên``), and the year or period it gives in ``stated_period`` (empty where it gives none).
``year_from``/``year_to`` are the period the figure is compared and shown for; ``as_of`` the
date a stock (funds active) or a running total (the whole-term topic so far) is counted to.
Where ``year_from``–``year_to`` is not the stated period, or ``as_of`` is set, that is our
inference, and ``inference_vi``/``inference_en`` say why (the year from a neighbouring sentence,
the period from a sum, a stock "to date" as of the article's date, the unit of a rounded
amount): :func:`check_published` refuses a row that infers without saying why.
``note`` is our own remark (never the source's words); ``figure_type`` is ``element`` or
``indicator`` (the catalogue item ``code`` names). A row that infers a period or date without
saying why is a problem (:func:`check_published`), named by file, row and column.
"""

from __future__ import annotations

import re

import pandas as pd

from baocao.data.observations import period_label, problem

PUBLISHED_COLUMNS = [
    "id",
    "unit",
    "year_from",
    "year_to",
    "figure_type",
    "code",
    "category",
    "value",
    "decimals",
    "components",
    "source",
    "quote",
    "unit_stated",
    "stated_period",
    "as_of",
    "inference_vi",
    "inference_en",
    "note",
]
FIGURE_TYPES = ("element", "indicator")
RENAMED = {"kind": "figure_type"}  # columns of the earlier format, and their names now
_DATE = re.compile(r"(\d{4})(-\d{2}(-\d{2})?)?")
_PERIOD = re.compile(r"(\d{4})(?:\s*[-–]\s*(\d{4}))?")


def empty_published() -> pd.DataFrame:
    return pd.DataFrame(columns=PUBLISHED_COLUMNS)


def missing_columns(columns, name: str) -> list[dict]:
    """A problem for each column of :data:`PUBLISHED_COLUMNS` the file lacks; a column of the
    earlier format says what it is called now (``kind`` is ``figure_type``)."""
    renamed = {new: old for old, new in RENAMED.items() if old in columns}
    out = []
    for c in PUBLISHED_COLUMNS:
        if c in columns:
            continue
        was_vi = f" (cột '{renamed[c]}' nay là '{c}')" if c in renamed else ""
        was_en = f" ('{renamed[c]}' is now '{c}')" if c in renamed else ""
        out.append(
            problem(
                name,
                1,
                c,
                "columns",
                "",
                f"thiếu cột bắt buộc '{c}' của số liệu đã công bố{was_vi} (các cột: data/README.md)",
                f"required column '{c}' of published figures is missing{was_en} (columns: data/README.md)",
            )
        )
    return out


def check_published(df: pd.DataFrame, name: str) -> list[dict]:
    """Problems of the published rows beyond their numbers (``year_from``, ``year_to``,
    ``decimals`` and ``value`` already read as numbers; index: the file's row numbers): the figure
    type, the stated period and the as-of date as the source gives them, and a reason for every
    period or date that is ours. Each names the file, row and column, in both languages."""
    out = []
    for line, r in df.iterrows():

        def bad(column: str, value, vi: str, en: str, line=line) -> None:
            out.append(problem(name, line, column, "published", value, vi, en))

        if r["figure_type"] not in FIGURE_TYPES:
            bad("figure_type", r["figure_type"], "ghi element hoặc indicator", "element or indicator")
        y0, y1 = int(r["year_from"]), int(r["year_to"])
        if y0 > y1:
            bad(
                "year_to",
                y1,
                f"năm cuối {y1} trước năm đầu {y0}",
                f"the period ends ({y1}) before it starts ({y0})",
            )
        stated = str(r["stated_period"]).strip()
        if stated and not _PERIOD.fullmatch(stated):
            bad(
                "stated_period",
                stated,
                "ghi năm (2023) hoặc kỳ (2021-2025) nguồn nêu, hoặc để trống",
                "the year (2023) or period (2021-2025) the source states, or empty",
            )
        date = str(r["as_of"]).strip()
        d = _DATE.fullmatch(date)
        if date and not (d and y0 <= int(d.group(1)) <= y1):
            bad(
                "as_of",
                date,
                f"ngày tính đến (YYYY, YYYY-MM hoặc YYYY-MM-DD) trong kỳ {period_label(y0, y1)}",
                f"the date counted to (YYYY, YYYY-MM or YYYY-MM-DD) within {period_label(y0, y1)}",
            )
        missing = [c for c in ("inference_vi", "inference_en") if not str(r[c]).strip()]
        if is_inferred(r) and missing:
            bad(
                missing[0],
                "",
                f"kỳ {period_label(y0, y1)}"
                + (f" tính đến {date}" if date else "")
                + f" không phải kỳ nguồn nêu ({stated or 'trống'}): ghi lý do suy ra",
                f"{period_label(y0, y1)}" + (f" to {date}" if date else "") + f" is not the period the "
                f"source states ({stated or 'none'}): give the reason it is inferred",
            )
    return out


def _get(row, key: str):
    """A field of a row, whether a Series (``iterrows``) or a named tuple (``itertuples``)."""
    value = row.get(key, "") if isinstance(row, (dict, pd.Series)) else getattr(row, key, "")
    return "" if value is None or (not isinstance(value, str) and pd.isna(value)) else value


def stated_span(row) -> tuple[int, int] | None:
    """The period the source itself gives for the figure (``stated_period``), or None."""
    m = _PERIOD.fullmatch(str(_get(row, "stated_period")).strip())
    if not m:
        return None
    return int(m.group(1)), int(m.group(2) or m.group(1))


def is_inferred(row) -> bool:
    """True when the figure's period or date is ours, not the source's: it has an ``as_of`` date,
    or its period is not the one the source states, or we say we inferred something of it."""
    period = (int(_get(row, "year_from")), int(_get(row, "year_to")))
    return bool(
        str(_get(row, "as_of")).strip()
        or stated_span(row) != period
        or str(_get(row, "inference_vi")).strip()
    )


def as_of(row) -> str:
    """The date the figure is counted to (a stock, a running total), "" for none."""
    return str(_get(row, "as_of")).strip()


def inference(row, lang: str = "vi") -> str:
    """Why the figure's period, date or unit is what we say: the row's reason in ``lang``."""
    return str(_get(row, f"inference_{lang}") or _get(row, "inference_vi")).strip()
