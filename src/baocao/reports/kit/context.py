"""The base of every report context: what a report knows once it is open.

Each report family's context (:class:`baocao.reports.local.context.Context`,
:class:`baocao.reports.gso.context.GsoContext`,
:class:`baocao.reports.two_level.context.TwoLevelContext`) holds its own data and inherits the rest
from :class:`ReportContext`: the catalogue, the words in the report language (``in_lang``), indicator values
looked up by indicator, unit, year and category, their formatting, the footer and one memo
(:func:`memo`). Also here: the canonical CSV and short hash of the rows a report reads (its input
check code) and the ranking of units by an indicator's direction: only units with a value,
ties as ties, no rank below three units (:func:`rank_by_direction`, :func:`rank_words`).
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from typing import Any

import pandas as pd

from baocao import fmt
from baocao.data.catalogue import Catalogue
from baocao.reports.kit.html import Html, footer_html
from baocao.reports.kit.words import in_lang

ROW_KEYS = ["unit", "year", "element", "category"]  # the order of the rows a check code hashes
PERIOD_KEYS = ["unit", "year_from", "year_to", "element", "category"]
MEMO = "_baocao_memo"  # where memo() keeps its results on their owner


def memo(owner, key: tuple, compute):
    """``compute()`` once per ``owner`` and ``key``, kept on the owner (a report context, or the
    loaded data set that every report of a kernel shares: a changed file is a new data set, so
    nothing kept goes stale). The one memo of every report family."""
    store = owner.__dict__.setdefault(MEMO, {})
    if key not in store:
        store[key] = compute()
    return store[key]


def canonical_csv(rows: pd.DataFrame, keys: list[str]) -> str:
    """Rows as CSV in a canonical order (sorted by ``keys``), without file name, line number or the
    unit list the loader stamps on them: the same rows give the same text wherever they were read
    from (a report reads the rows of one list only; the check codes of the pages made before the
    stamp keep their bytes)."""
    return (
        rows.drop(columns=["file", "line", "unit_list"], errors="ignore")
        .sort_values(keys, kind="stable")
        .to_csv(index=False)
    )


def short_hash(text: str) -> str:
    """The input check code a page shows: the first 12 hex digits of the text's sha256."""
    return hashlib.sha256(text.encode()).hexdigest()[:12]


MIN_RANKED = 3  # fewer units with a value than this: no rank (1/2 says nothing, 1/1 less)


def rank_by_direction(values: pd.Series, direction: str | None, decimals: int | None = None) -> pd.DataFrame:
    """Ranks of ``values`` (one per unit), honest: 1 is the best in the indicator's direction
    (``lower``: the lowest first; ``higher`` and ``neutral``: the largest first); only units with a
    value are ranked (``of``: how many have one); units equal as the report prints them
    (``decimals``, rounded half up) share the best rank of their group and are ``tied``; with fewer
    than :data:`MIN_RANKED` units with a value there is no rank at all. Columns ``rank`` (float,
    NaN: none), ``tied``, ``of``, on the index of ``values``."""
    shown = pd.to_numeric(values, errors="coerce").astype("float64")
    if decimals is not None:
        shown = shown.map(lambda v: v if pd.isna(v) else float(fmt.round_half_up(v, decimals)))
    n = int(shown.notna().sum())
    rank = shown.rank(ascending=direction == "lower", method="min")
    if n < MIN_RANKED:
        rank = pd.Series(float("nan"), index=rank.index)
    tied = shown.notna() & shown.duplicated(keep=False) & rank.notna()
    return pd.DataFrame({"rank": rank, "tied": tied, "of": n}, index=values.index)


def rank_words(rank: float, tied: bool, of: int, total: int, lang: str, units_vi: str, units_en: str) -> str:
    """A rank as reports write it: ``3/17``; a tie ``đồng hạng 1/17`` (``tied 1/17``); when some units
    have no value, how many were ranked: ``2/9 xã có số liệu`` (``2/9 communes with data``); no
    rank: ``–``."""
    if pd.isna(rank):
        return "–"
    text = f"{int(rank)}/{of}"
    if of < total:
        text += f" {units_vi} có số liệu" if lang == "vi" else f" {units_en} with data"
    if tied:
        text = ("đồng hạng " if lang == "vi" else "tied ") + text
    return text


def format_indicator(
    catalogue: Catalogue, code: str, value: float, lang: str = "vi", with_unit: bool = True
) -> str:
    """An indicator value in the report language, with its unit; money as ``21 tỷ đồng``."""
    ind = catalogue.indicator(code)
    if code.endswith("_tien") and with_unit:
        return fmt.money_vnd_million(value, lang)
    return (
        fmt.with_unit(value, ind.unit(lang), ind.decimals, lang)
        if with_unit
        else fmt.number(value, ind.decimals, lang)
    )


@dataclass(kw_only=True)
class ReportContext:
    """What every report context has: its kind (the registry's entry: title), language, the
    loaded data set (``.catalogue``) and its indicator values ``ind`` (columns ``indicator, unit,
    year, value``, and ``category`` where values have categories)."""

    kind: str
    lang: str
    dataset: Any
    ind: pd.DataFrame

    @property
    def cat(self) -> Catalogue:
        return self.dataset.catalogue

    def in_lang(self, vi: str, en: str) -> str:
        """The text in the report language."""
        return in_lang(vi, en, self.lang)

    def memo(self, key: tuple, compute):
        """``compute()`` once for this report (see :func:`memo`)."""
        return memo(self, key, compute)

    def shared(self, key: tuple, compute):
        """``compute()`` once for every report of the loaded data set (see :func:`memo`)."""
        return memo(self.dataset, key, compute)

    # ------------------------------------------------------------ indicator values

    def _positions(self) -> dict:
        """(indicator, unit, year, category) -> position of its first row in ``ind`` (the row a
        filter would give first): one pass, then every look-up is a dict access."""

        def index() -> dict:
            d = self.ind
            cats = d["category"] if "category" in d else [""] * len(d)
            out: dict = {}
            for i, key in enumerate(zip(d["indicator"], d["unit"].astype(str), d["year"].astype(int), cats)):
                out.setdefault(key, i)
            return out

        return self.memo(("positions",), index)

    def _column(self, name: str):
        return self.memo(("column", name), lambda: self.ind[name].to_numpy())

    @property
    def unit_code(self) -> str:
        """The code of the unit the report is about (the default of every look-up)."""
        return self.unit.code

    def _position(self, code: str, unit, year, category: str) -> int | None:
        return self._positions().get((code, str(unit or self.unit_code), int(year or self.year), category))

    def row(self, code: str, unit: str | None = None, year: int | None = None, category: str = ""):
        """The indicator's row of ``ind`` for the unit (default: the report's) and year (default:
        the report's), or None."""
        i = self._position(code, unit, year, category)
        return None if i is None else self.ind.iloc[i]

    def cell(self, column: str, code: str, unit=None, year=None, category: str = "", default=None):
        """One column of the indicator's row (``default`` when there is no row)."""
        i = self._position(code, unit, year, category)
        return default if i is None else self._column(column)[i]

    def value(self, code: str, unit: str | None = None, year: int | None = None, category: str = "") -> float:
        """The indicator's value (NaN when there is none)."""
        return float(self.cell("value", code, unit, year, category, float("nan")))

    def fmt(self, code: str, value: float, with_unit: bool = True) -> str:
        """An indicator value in the report language (:func:`format_indicator`)."""
        return format_indicator(self.cat, code, value, self.lang, with_unit)

    def illustrative_banner(self, illustrative: bool, what_vi: str, what_en: str) -> str:
        """The highlighted box saying the report's data are generated for illustration (``what_vi`` /
        ``what_en`` says which); "" when ``illustrative`` is false."""
        if not illustrative:
            return ""
        return (
            '<div class="banner-illustrative" role="note"><strong>'
            + self.in_lang("Số liệu minh họa.", "Illustrative data.")
            + "</strong> "
            + self.in_lang(what_vi, what_en)
            + "</div>"
        )

    # ------------------------------------------------------------ the page's footer

    def input_hash(self) -> str:
        """The input check code of the report (:func:`short_hash` of what it reads)."""
        raise NotImplementedError

    def footer(self, what_vi: str, what_en: str) -> Html:
        """The footer sentence: what the data are (``what_vi`` / ``what_en``), the input check code
        and the version, then what the check code means."""
        from baocao import __version__

        code = self.input_hash()
        text = self.in_lang(
            f"{what_vi} · mã kiểm tra số liệu đầu vào {code} · baocao {__version__}",
            f"{what_en} · input check code {code} · baocao {__version__}",
        )
        return footer_html(text, self.lang)
