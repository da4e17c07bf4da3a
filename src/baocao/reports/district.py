"""What the report notebooks call: one function per cell, DataFrames / Figures / HTML out."""

from __future__ import annotations

import difflib
import functools
import hashlib
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
from markupsafe import escape

from baocao import fmt
from baocao.data import provenance
from baocao.data.aggregate import (
    aggregate,
    aggregate_periods,
    indicators,
    overlapping,
    period_indicators,
    period_total,
)
from baocao.data.catalogue import Catalogue
from baocao.data.observations import period_label
from baocao.data.provenance import ILLUSTRATIVE_MARKERS, is_illustrative
from baocao.data.reconcile import reconcile
from baocao.data.units import Unit
from baocao.reports import kinds, kit  # not charts: the builder imports this module to hash the data
from baocao.reports.kit import (
    VERDICT_LABELS,
    Html,
    ReportError,
    as_chart,
    cards_html,
    check_lang,
    check_year,
    esc,
    footer_html,
    format_indicator,
    html_table,
    in_lang,
    load_data,
)

open_report = kit.open_report  # the notebook's first call (the same for every report family)


def figure_label(catalogue: Catalogue, kind: str, code: str, category: str, lang: str = "vi") -> str:
    item = catalogue.indicator(code) if kind == "indicator" else catalogue.element(code)
    label = item.name(lang)
    el = catalogue.element(item.numerator) if kind == "indicator" else item
    if category and el.category_set:
        label += " — " + catalogue.categories[el.category_set].option(category).short(lang)
    return label


def _value(catalogue: Catalogue, kind: str, code: str, value: float, decimals: int, lang: str) -> str:
    unit = (catalogue.indicator(code) if kind == "indicator" else catalogue.element(code)).unit(lang)
    return fmt.with_unit(value, unit, max(decimals, 0), lang)


def reconciliation_table(rec: pd.DataFrame, catalogue: Catalogue, lang: str = "vi") -> pd.DataFrame:
    """The reconciliation as a readable table (text cells in the report language)."""
    rows = []
    for r in rec.itertuples(index=False):
        d = max(int(r.decimals), 0)
        gap_dec = d + 2 if r.verdict == "rounding difference" else d
        rows.append(
            {
                in_lang("Mã", "Id", lang): r.id,
                in_lang("Số liệu", "Figure", lang): figure_label(catalogue, r.kind, r.code, r.category, lang),
                in_lang("Kỳ", "Period", lang): r.period,
                in_lang("Công bố", "Published", lang): _value(
                    catalogue, r.kind, r.code, r.published, d, lang
                ),
                in_lang("Tính từ số liệu", "Computed", lang): _value(
                    catalogue,
                    r.kind,
                    r.code,
                    r.computed,
                    d + (2 if r.verdict != "match" and d > 0 else 0),
                    lang,
                ),
                in_lang("Chênh lệch", "Gap", lang): fmt.number(
                    0 if abs(r.gap) < 0.5 * 10.0**-gap_dec else r.gap, gap_dec, lang
                )
                if not pd.isna(r.gap)
                else "–",
                in_lang("Kết luận", "Verdict", lang): VERDICT_LABELS[lang][r.verdict],
                in_lang("Tổng các thành phần công bố", "Sum of published components", lang): (
                    f"{fmt.number(r.components_sum, d, lang)} ({VERDICT_LABELS[lang][r.components_verdict]})"
                    if r.components
                    else ""
                ),
            }
        )
    return pd.DataFrame(rows)


# ---------------------------------------------------------------- report context


SOCIO = ["thu_nhap_bq", "ty_le_ho_ngheo", "ty_le_truong_chuan", "bac_si_van_dan"]
HEADLINES_DISTRICT = [
    "hn_so",
    "hn_luot_dv",
    "ty_le_dv_tham_du",
    "thu_nhap_bq",
    "ty_le_ho_ngheo",
    "ty_le_truong_chuan",
    "bac_si_van_dan",
    "so_xa_ntm",
]
COMMUNE_INDICATORS = [
    "ty_le_dv_tham_du",
    "hn_so",
    "hn_luot_dv",
    "thu_nhap_bq",
    "ty_le_ho_ngheo",
    "ty_le_truong_chuan",
    "bac_si_van_dan",
    "quy_khuyen_hoc_tien",
    "khen_thuong_ca_nhan",
]
WELFARE = [
    "quy_khuyen_hoc_so",
    "quy_khuyen_hoc_tien",
    "quy_vi_nguoi_ngheo_tien",
    "mai_am_tinh_thuong",
    "doi_thoai_so",
    "doi_thoai_dai_bieu",
    "khen_thuong_tap_the",
    "khen_thuong_ca_nhan",
    "so_xa_ntm",
    "so_xa_ntm_nang_cao",
    "so_xa_ntm_kieu_mau",
]
CAMPAIGN_TOTALS = ["hn_so", "hn_luot_dv"]


@dataclass(frozen=True)
class Fig:
    """One figure as a report shows it: its text, where it comes from (``published``,
    ``computed`` or ``illustrative``, see :mod:`baocao.data.provenance`) and, when published, the id
    of its row in ``published.csv``."""

    text: str
    kind: str
    pub_id: str | None = None
    value: float = float("nan")


@dataclass
class Context:
    """Everything a report shows, computed once when the report opens.

    A report covers one year (``year_from`` is None) or a period ``year_from``…``year``."""

    kind: str
    unit: Unit
    district: Unit
    year: int
    lang: str
    dataset: object
    agg: pd.DataFrame
    ind: pd.DataFrame
    communes: list = field(default_factory=list)
    compare: str = "ty_le_dv_tham_du"
    year_from: int | None = None
    period_agg: pd.DataFrame = field(default_factory=pd.DataFrame)
    period_ind: pd.DataFrame = field(default_factory=pd.DataFrame)
    # published row id -> footnote number, in the order the report first shows them
    notes: dict = field(default_factory=dict)

    @property
    def cat(self) -> Catalogue:
        return self.dataset.catalogue

    @property
    def is_period(self) -> bool:
        return self.year_from is not None and self.year_from < self.year

    @property
    def first_year(self) -> int:
        return self.year_from if self.is_period else self.year

    @property
    def span(self) -> str:
        """``2024`` or ``2022–2024``."""
        return period_label(self.first_year, self.year)

    @property
    def years(self) -> list[int]:
        """The years the report's year-by-year tables show: up to the report year, from the period's start."""
        have = sorted(int(y) for y in self.ind["year"].unique())
        return [
            y
            for y in have
            if (self.first_year if self.is_period else min(have, default=self.year)) <= y <= self.year
        ]

    def w(self, vi: str, en: str) -> str:
        return in_lang(vi, en, self.lang)

    def value(self, code: str, unit: str | None = None, year: int | None = None, category: str = "") -> float:
        return self._values.get(
            (code, str(unit or self.unit.code), int(year or self.year), category), (float("nan"), False)
        )[0]

    def illustrative_value(
        self, code: str, unit: str | None = None, year: int | None = None, category: str = ""
    ) -> bool:
        return self._values.get(
            (code, str(unit or self.unit.code), int(year or self.year), category), (float("nan"), False)
        )[1]

    @functools.cached_property
    def _values(self) -> dict:
        """(indicator, unit, year, category) -> (value, illustrative); the first row wins, as a filter would
        give.
        """
        d = self.ind
        ill = d["illustrative"].astype(bool) if "illustrative" in d else pd.Series(False, index=d.index)
        keys = zip(d["indicator"], d["unit"].astype(str), d["year"].astype(int), d["category"])
        out: dict = {}
        for key, v, i in zip(keys, d["value"].astype(float), ill):
            out.setdefault(key, (v, bool(i)))
        return out

    def fmt(self, code: str, value: float, with_unit: bool = True) -> str:
        return format_indicator(self.cat, code, value, self.lang, with_unit)

    # ------------------------------------------------------------ published figures and provenance

    @functools.cached_property
    def published(self) -> pd.DataFrame:
        """Published rows of the report's district (and of the unit, for a commune)."""
        pub = self.dataset.published
        if not len(pub):
            return pub
        return pub[pub["unit"].astype(str).isin({self.district.code, self.unit.code})]

    @functools.cached_property
    def _pub_index(self) -> dict:
        out = {}
        for r in self.published.itertuples(index=False):
            cat = "" if pd.isna(r.category) else str(r.category)
            out.setdefault((str(r.unit), int(r.year_from), int(r.year_to), r.kind, r.code, cat), r)
        return out

    def published_row(
        self, kind: str, code: str, unit: str, year_from: int, year_to: int, category: str = ""
    ):
        """The published row for exactly this figure, or None. A total over categories with a
        single category in the data is that category's figure (e.g. 2022 has one topic)."""
        hit = self._pub_index.get((str(unit), int(year_from), int(year_to), kind, code, category))
        if hit is None and kind == "indicator" and category == "" and year_from == year_to:
            cats = self._categories_in_year(code, str(unit), int(year_to))
            if len(cats) == 1:
                hit = self._pub_index.get((str(unit), int(year_from), int(year_to), kind, code, cats[0]))
        return hit

    def _categories_in_year(self, code: str, unit: str, year: int) -> list[str]:
        return list(self._categories.get((code, unit, year), ()))

    @functools.cached_property
    def _categories(self) -> dict:
        """(indicator, unit, year) -> the categories (not "") it has values for, sorted: one pass
        over the indicators instead of a filter per figure; the same for every report of the
        district, so made once per loaded data set (kept on it, as :func:`_district_frames` are)."""
        cache = self.dataset.__dict__.setdefault("_baocao_categories", {})
        key = (self.district.code, tuple(u.code for u in self.communes))
        if key not in cache:
            d = self.ind
            d = d[d["category"] != ""]
            out: dict = {}
            for k, cat in zip(zip(d["indicator"], d["unit"], d["year"]), d["category"]):
                out.setdefault(k, set()).add(cat)
            cache[key] = {k: sorted(v) for k, v in out.items()}
        return cache[key]

    @functools.cached_property
    def reconciled(self) -> dict:
        """Reconciliation of every published row of the district, by id.

        The same for every report of the district with the same published rows (the data set's
        aggregates of the district are): computed once per loaded data set and kept on it, as
        :func:`_district_frames` are (a changed file is a new data set)."""
        if not len(self.published):
            return {}
        cache = self.dataset.__dict__.setdefault("_baocao_reconciled", {})
        key = (self.district.code, tuple(self.published.index))
        if key not in cache:
            rec = reconcile(self.published, self.agg, self.cat, self.period_agg)
            cache[key] = {r.id: r for r in rec.itertuples(index=False)}
        return dict(cache[key])

    def footnote(self, pub_id: str) -> int:
        """The footnote number of a published row (numbered in order of first use)."""
        return self.notes.setdefault(pub_id, len(self.notes) + 1)

    def figure(
        self,
        code: str,
        unit: str | None = None,
        year: int | None = None,
        category: str = "",
        *,
        with_unit: bool = False,
        year_from: int | None = None,
        kind: str = "indicator",
    ) -> Fig:
        """An indicator (or element) value with its provenance; the published text when a published row covers
        it.
        """
        unit = str(unit or self.unit.code)
        year = int(year or self.year)
        y0 = int(year_from) if year_from is not None else year
        row = self.published_row(kind, code, unit, y0, year, category)
        if row is not None:
            return Fig(
                format_published(self.cat, row, self.lang, with_unit), "published", row.id, float(row.value)
            )
        if y0 != year:
            value, ill = self.span_value(code, unit, y0, year, category)
        elif kind == "element":
            hit = self.agg[
                (self.agg["unit"] == unit)
                & (self.agg["year"] == year)
                & (self.agg["element"] == code)
                & (self.agg["category"] == category)
            ]
            value, ill = (
                (float(hit["value"].iloc[0]), bool(hit["illustrative"].iloc[0]))
                if len(hit)
                else (float("nan"), False)
            )
        else:
            value, ill = (
                self.value(code, unit, year, category),
                self.illustrative_value(code, unit, year, category),
            )
        if kind == "element":
            el = self.cat.element(code)
            text = (
                fmt.with_unit(value, el.unit(self.lang), el.decimals, self.lang)
                if with_unit
                else fmt.number(value, el.decimals, self.lang)
            )
        else:
            text = self.fmt(code, value, with_unit)
        return Fig(text, provenance.kind_of(ill), None, value)

    def period_figure(
        self,
        code: str,
        year_from: int,
        year_to: int,
        category: str,
        unit: str | None = None,
        with_unit: bool = False,
    ) -> Fig:
        """A value reported for a period of several years (the whole-term topic): never a year's."""
        unit = str(unit or self.unit.code)
        row = self.published_row("indicator", code, unit, year_from, year_to, category)
        if row is not None:
            return Fig(
                format_published(self.cat, row, self.lang, with_unit), "published", row.id, float(row.value)
            )
        d = self.period_ind
        hit = (
            d[
                (d["indicator"] == code)
                & (d["unit"] == unit)
                & (d["year_from"] == year_from)
                & (d["year_to"] == year_to)
                & (d["category"] == category)
            ]
            if len(d)
            else d
        )
        value, ill = (
            (float(hit["value"].iloc[0]), bool(hit["illustrative"].iloc[0]))
            if len(hit)
            else (float("nan"), False)
        )
        return Fig(self.fmt(code, value, with_unit), provenance.kind_of(ill), None, value)

    def span_value(
        self, code: str, unit: str, year_from: int, year_to: int, category: str = ""
    ) -> tuple[float, bool]:
        """An indicator over ``year_from``…``year_to``: the years' values plus the period values overlapping
        it.
        """
        per = self.period_agg[self.period_agg["unit"] == unit] if len(self.period_agg) else self.period_agg
        tot = period_total(self.agg[self.agg["unit"] == unit], per, self.cat, year_from, year_to)
        ind = indicators(tot, self.cat, [code])
        hit = ind[ind["category"] == category]
        return (
            (float(hit["value"].iloc[0]), bool(hit["illustrative"].iloc[0]))
            if len(hit)
            else (float("nan"), False)
        )

    def show(self, f: Fig) -> Html:
        """A figure as HTML with its visible provenance mark (a superscript: footnote number, ``mh`` or
        ``t``).
        """
        return fig_html(f, self.lang, self.footnote(f.pub_id) if f.pub_id else None)

    def show_pair(self, a: Fig, b: Fig, unit: str = "") -> Html:
        """``4.530/4.560`` or ``54/67 trường`` as the source writes it: one span, both marks after it
        when both are published; otherwise each figure with its own mark."""
        if a.pub_id and b.pub_id:
            both = Fig(
                f"{a.text}/{b.text}" + (f" {unit}" if unit else ""), "published", f"{a.pub_id} {b.pub_id}"
            )
            notes = [self.footnote(a.pub_id), self.footnote(b.pub_id)]
            return fig_html(both, self.lang, None, notes)
        return Html(f"{self.show(a)}/{self.show(b)}" + (f" {esc(unit)}" if unit else ""))

    def marked(self, f: Fig) -> str:
        """A figure as plain text with its mark in Unicode superscript (chart labels)."""
        return f.text + superscript(
            provenance.mark(f.kind, self.lang, self.footnote(f.pub_id) if f.pub_id else None)
        )

    # ------------------------------------------------------------ rows, banner

    def rows_used(self) -> pd.DataFrame:
        obs = self.dataset.observations
        scope = {self.district.code, *(u.code for u in self.communes)}
        return obs[obs["unit"].isin(scope) & (obs["year"] <= self.year)]

    def periods_used(self) -> pd.DataFrame:
        per = getattr(self.dataset, "periods", None)
        if per is None or not len(per):
            return pd.DataFrame(
                columns=["unit", "year_from", "year_to", "element", "category", "value", "source", "note"]
            )
        scope = {self.district.code, *(u.code for u in self.communes)}
        return per[per["unit"].isin(scope) & (per["year_from"] <= self.year)]

    @property
    def illustrative(self) -> bool:
        return bool(
            is_illustrative(self.rows_used()["source"]).any()
            or is_illustrative(self.periods_used()["source"]).any()
        )

    def input_hash(self) -> str:
        """Short hash of :meth:`rows_used` and :meth:`periods_used`: the same for every report of the
        district and year, so computed once per loaded data set and kept on it (as :meth:`reconciled`)."""
        cache = self.dataset.__dict__.setdefault("_baocao_input_hashes", {})
        key = (self.district.code, tuple(u.code for u in self.communes), self.year)
        if key not in cache:
            rows = self.rows_used().drop(columns=["file", "line"], errors="ignore")
            text = rows.sort_values(["unit", "year", "element", "category"]).to_csv(index=False)
            per = self.periods_used().drop(columns=["file", "line"], errors="ignore")
            if len(per):
                text += per.sort_values(["unit", "year_from", "year_to", "element", "category"]).to_csv(
                    index=False
                )
            cache[key] = hashlib.sha256(text.encode()).hexdigest()[:12]
        return cache[key]


_SUPERSCRIPT = str.maketrans("0123456789abcdefghijklmnoprstuvwxyz*", "⁰¹²³⁴⁵⁶⁷⁸⁹ᵃᵇᶜᵈᵉᶠᵍʰⁱʲᵏˡᵐⁿᵒᵖʳˢᵗᵘᵛʷˣʸᶻ*")


def superscript(text: str) -> str:
    return text.translate(_SUPERSCRIPT)


def fig_html(
    f: Fig, lang: str = "vi", footnote: int | None = None, footnotes: list[int] | None = None
) -> Html:
    """``<span class="fig fig-published" data-published="P05">99,75%<sup>…</sup></span>``; a figure
    made of two published rows (``54/67 trường``) has both ids and both footnote numbers."""
    m = provenance.mark(f.kind, lang, footnote)
    title = provenance.LEGEND[lang][f.kind]
    if f.pub_id and footnotes:
        sup = ", ".join(f'<a href="#fn-{escape(i)}">{n}</a>' for i, n in zip(f.pub_id.split(), footnotes))
    else:
        sup = f'<a href="#fn-{escape(f.pub_id)}">{escape(m)}</a>' if f.pub_id else escape(m)
    pub = f' data-published="{escape(f.pub_id)}"' if f.pub_id else ""
    return Html(
        f'<span class="fig fig-{f.kind}"{pub}>{escape(f.text)}<sup class="mark" '
        f'title="{escape(title)}">{sup}</sup></span>'
    )


def format_published(catalogue: Catalogue, row, lang: str = "vi", with_unit: bool = False) -> str:
    """A published value exactly as published: its own decimals (``99,75%``, ``98,1%``), never re-rounded
    to the catalogue's; money rounded to the thousand million is said ``21 tỷ đồng``."""
    d = int(row.decimals)
    item = catalogue.indicator(row.code) if row.kind == "indicator" else catalogue.element(row.code)
    unit = item.unit(lang)
    if row.code.endswith("_tien") and with_unit:
        return fmt.money_vnd_million(float(row.value), lang)
    if unit == "%":
        return (
            fmt.percent(float(row.value), max(d, 0), lang)
            if with_unit
            else fmt.number(float(row.value), max(d, 0), lang)
        )
    return (
        fmt.with_unit(float(row.value), unit, max(d, 0), lang)
        if with_unit
        else fmt.number(float(row.value), max(d, 0), lang)
    )


def input_fingerprint(kind: str, unit: str, year: int, data_dir: str = "") -> str:
    """Content hash (sha256 hex) of exactly what a report of ``kind`` for ``unit`` and ``year`` reads.

    That is the catalogue, the published figures, the validation problems and row count of
    the whole data set (every report states them), and the observation rows of the unit's
    district and its communes with year <= ``year`` (a canonical CSV of the sorted subset,
    without file name or line number). Editing one commune's 2024 row changes the
    fingerprint of that district's 2024 reports only. Builders use it to skip unchanged reports.
    """
    ds = load_data(data_dir)
    reg = ds.registry
    u = reg.unit(str(unit))
    district = next((reg.unit(c) for c in reg.path(u.code) if reg.level_of(c) == "district"), u)
    obs = ds.observations
    # The texts hashed are the same for every report of a district and year (and the common ones
    # for every report): made once per loaded data set and kept on it, as _district_frames are
    # (a changed file is a new data set). A build hashes the 58 reports of the plan in 0,1 s, not 0,5.
    parts = ds.__dict__.setdefault("_baocao_fingerprint_parts", {})
    if "common" not in parts:
        pub = ds.published.drop(columns=["file"], errors="ignore")
        parts["common"] = (
            repr(ds.catalogue),
            pub.to_csv(index=False),
            repr(getattr(ds, "sources", {})),
            ds.problems.to_csv(index=False),
        )
    if (district.code, int(year)) not in parts:
        scope = {district.code, *(c.code for c in reg.children(district.code))}
        rows = obs[obs["unit"].isin(scope) & (obs["year"] <= int(year))].drop(
            columns=["file", "line"], errors="ignore"
        )
        rows = rows.sort_values(["unit", "year", "element", "category"], kind="stable")
        per = getattr(ds, "periods", None)
        per = (
            per[per["unit"].isin(scope) & (per["year_from"] <= int(year))].drop(
                columns=["file", "line"], errors="ignore"
            )
            if per is not None and len(per)
            else pd.DataFrame()
        )
        per_text = (
            per.sort_values(["unit", "year_from", "year_to", "element", "category"], kind="stable").to_csv(
                index=False
            )
            if len(per)
            else ""
        )
        parts[(district.code, int(year))] = (rows.to_csv(index=False), per_text)
    catalogue, published, sources, problems = parts["common"]
    rows_text, per_text = parts[(district.code, int(year))]
    h = hashlib.sha256()
    for part in (
        f"{kind}|{u.code}|{district.code}|{int(year)}|{len(obs)}",
        catalogue,
        published,
        sources,
        problems,
        rows_text,
        per_text,
    ):
        h.update(part.encode())
        h.update(b"\0")
    return h.hexdigest()


def _unit(ds, query, level: str) -> Unit:
    try:
        return ds.registry.get(query, level=level)
    except LookupError as exc:
        raise ReportError(str(exc)) from None


def _data_ok(ds) -> None:
    if not ds.ok:
        bad = ds.problems[ds.problems["importance"] == "blocking"].head(5)
        lines = "; ".join(
            f"{p.file}, dòng/row {p.row}, cột/column {p.column}: {p.message_vi} / {p.message_en}"
            for p in bad.itertuples()
        )
        raise ReportError(
            f"Số liệu có lỗi, không lập báo cáo / the data have blocking problems, no report: {lines}"
        )


def _context(
    kind, unit: Unit, district: Unit, year, lang, data_dir, compare="ty_le_dv_tham_du", year_from=None
) -> Context:
    ds = load_data(data_dir)
    _data_ok(ds)
    communes, years, agg, ind, period_agg, period_ind = _district_frames(ds, district.code)
    if year not in years:
        have = ", ".join(str(y) for y in years) or "không có / none"
        raise ReportError(
            f"Không có số liệu năm {year} cho {district.name} / no data for {year}; có các năm / years with "
            f"data: {have}"
        )
    if year_from is not None:
        if year_from > year:
            raise ReportError(
                f"Kỳ báo cáo không hợp lệ / invalid period: year_from {year_from} > year {year}"
            )
        if year_from not in years:
            have = ", ".join(str(y) for y in years) or "không có / none"
            raise ReportError(
                f"Không có số liệu năm {year_from} cho {district.name} / no data for {year_from}; có các năm "
                f"/ years with data: {have}"
            )
    if compare not in ds.catalogue.indicators:
        close = difflib.get_close_matches(compare, list(ds.catalogue.indicators), n=1)
        raise ReportError(
            f"Chỉ số so sánh lạ '{compare}' / unknown indicator '{compare}'"
            + (f"; có phải '{close[0]}'?" if close else "")
        )
    return Context(
        kind,
        unit,
        district,
        year,
        lang,
        ds,
        agg.copy(),
        ind.copy(),
        communes,
        compare,
        year_from if year_from is not None and year_from < year else None,
        period_agg.copy(),
        period_ind.copy(),
    )


def _district_frames(ds, district_code: str) -> tuple:
    """Communes, years with data, aggregates and indicators of a district and its communes, for
    the years and for the periods of several years (never mixed).

    The same for every report of the district (its commune reports rank every commune), so
    they are computed once per loaded data set (kept on it; a changed file is a new data set)."""
    cache = ds.__dict__.setdefault("_baocao_district_frames", {})
    if district_code not in cache:
        communes = ds.registry.children(district_code)
        scope = [district_code, *(u.code for u in communes)]
        obs = ds.observations[ds.observations["unit"].isin(scope)]
        agg = aggregate(obs, ds.catalogue, ds.registry, scope)
        per = getattr(ds, "periods", None)
        per = per[per["unit"].isin(scope)] if per is not None and len(per) else pd.DataFrame()
        period_agg = aggregate_periods(per, ds.catalogue, ds.registry, scope)
        cache[district_code] = (
            communes,
            sorted(obs["year"].unique()),
            agg,
            indicators(agg, ds.catalogue),
            period_agg,
            period_indicators(period_agg, ds.catalogue),
        )
    communes, years, agg, ind, period_agg, period_ind = cache[district_code]
    return list(communes), years, agg, ind, period_agg, period_ind


def open_district(
    district: str = "Thoại Sơn",
    year: int = 2024,
    lang: str = "vi",
    compare: str = "ty_le_dv_tham_du",
    data_dir: str = "",
    year_from: int = 0,
) -> Context:
    """A district report for ``year``, or for the period ``year_from``…``year`` when ``year_from`` is given
    (0: one year).
    """
    ds = load_data(data_dir)
    d = _unit(ds, district, "district")
    y0 = check_year(year_from) if year_from not in (0, "0", "", None) else None
    return _context("district", d, d, check_year(year), check_lang(lang), data_dir, compare, y0)


def open_commune(commune: str = "Núi Sập", year: int = 2024, lang: str = "vi", data_dir: str = "") -> Context:
    ds = load_data(data_dir)
    c = _unit(ds, commune, "commune")
    return _context("commune", c, ds.registry.parent(c.code), check_year(year), check_lang(lang), data_dir)


def open_data_quality(
    district: str = "Thoại Sơn", year: int = 2024, lang: str = "vi", data_dir: str = ""
) -> Context:
    ds = load_data(data_dir)
    d = _unit(ds, district, "district")
    return _context("data_quality", d, d, check_year(year), check_lang(lang), data_dir)


# ---------------------------------------------------------------- blocks of HTML


def report_title(ctx: Context) -> str:
    return f"{kinds.require(ctx.kind).title(ctx.lang)} — {ctx.unit.label(ctx.lang)}, {ctx.span}"


def _years_text(years, lang: str) -> str:
    """``2022, 2023, 2024`` and periods ``kỳ 2021–2025`` in one list."""
    out = []
    for y in years:
        out.append(str(y) if isinstance(y, (int, np.integer)) else in_lang(f"kỳ {y}", f"period {y}", lang))
    return ", ".join(out)


def relevant_published(ctx: Context) -> pd.DataFrame:
    """Published rows the report can show: a year report shows the year's figures and the
    figures of a topic reported for a period that contains the year; a period report every
    figure whose period overlaps it."""
    pub = ctx.published
    if not len(pub):
        return pub
    y0, y1 = pub["year_from"].astype(int), pub["year_to"].astype(int)
    cat = pub["category"].fillna("").astype(str)
    if ctx.is_period:
        keep = (y0 <= ctx.year) & (y1 >= ctx.first_year)
    else:
        keep = ((y0 == ctx.year) & (y1 == ctx.year)) | (
            (y0 < y1) & (y0 <= ctx.year) & (y1 >= ctx.year) & (cat != "")
        )
    return pub[keep & (pub["unit"].astype(str) == ctx.district.code)]


def banner(ctx: Context) -> str:
    """What is illustrative (which levels, which years), and whether published figures exist
    and are reproduced — all derived from the rows' ``source`` and the reconciliation."""
    rows = ctx.rows_used()
    per = ctx.periods_used()
    ill_rows = rows[is_illustrative(rows["source"])] if len(rows) else rows
    ill_per = per[is_illustrative(per["source"])] if len(per) else per
    parts = []
    if len(ill_rows) or len(ill_per):
        levels = []
        for level, label in (
            ("commune", ctx.w("cấp xã", "commune level")),
            (
                "district",
                ctx.w(
                    "cấp huyện (số ghi trực tiếp cho huyện)",
                    "district level (values recorded for the district)",
                ),
            ),
        ):
            codes = {ctx.district.code} if level == "district" else {u.code for u in ctx.communes}
            ys = (
                sorted(int(y) for y in ill_rows.loc[ill_rows["unit"].isin(codes), "year"].unique())
                if len(ill_rows)
                else []
            )
            ps = (
                sorted(
                    {
                        period_label(a, b)
                        for a, b in zip(
                            ill_per.loc[ill_per["unit"].isin(codes), "year_from"],
                            ill_per.loc[ill_per["unit"].isin(codes), "year_to"],
                        )
                    }
                )
                if len(ill_per)
                else []
            )
            if ys or ps:
                levels.append(f"{label}: {_years_text([*ys, *ps], ctx.lang)}")
        parts.append(
            "<strong>"
            + ctx.w("Số liệu minh họa", "Illustrative data")
            + f" ({esc(provenance.mark('illustrative', ctx.lang))}).</strong> "
            + esc(
                ctx.w(
                    f"Được sinh tự động để minh họa, không phải số liệu thật: số liệu {'; '.join(levels)}. "
                    "Mọi con số tính từ các dòng này — kể cả số liệu toàn huyện — là số minh họa và mang ký "
                    f"hiệu {provenance.mark('illustrative', 'vi')}.",
                    f"Generated for illustration, not real data: the figures of {'; '.join(levels)}. Every "
                    "figure computed from them — district totals included — is illustrative and marked "
                    f"{provenance.mark('illustrative', 'en')}.",
                )
            )
        )
    pub = relevant_published(ctx)
    if not len(pub):
        parts.append(
            esc(
                ctx.w(
                    f"Không có số liệu đã công bố cho {ctx.district.label('vi')} trong kỳ báo cáo: không có "
                    "gì để đối chiếu.",
                    f"No published figures for {ctx.district.label('en')} in this report's period: nothing "
                    "to reconcile.",
                )
            )
        )
    else:
        rec = [ctx.reconciled[i] for i in pub["id"] if i in ctx.reconciled]
        names = sorted({_source_name(ctx, s) for s in pub["source"]})
        n_match = sum(r.verdict == "match" for r in rec)
        n_round = sum(r.verdict == "rounding difference" for r in rec)
        n_bad = sum(r.verdict in ("mismatch", "no data") or r.components_verdict == "mismatch" for r in rec)
        parts.append(
            esc(
                ctx.w(
                    f"Số liệu đã công bố ({'; '.join(names)}): {ctx.district.label('vi')} có {len(pub)} con "
                    f"số cho {'kỳ' if ctx.is_period else 'năm'} {ctx.span}. "
                    f"Đối chiếu với số liệu tính được: {n_match} khớp, {n_round} chênh do làm tròn, {n_bad} "
                    "không khớp hoặc không tính lại được. "
                    "Con số đã công bố nào có trong báo cáo đều được in đúng như đã công bố, kèm số chú "
                    "thích ghi nguồn và cách đối chiếu.",
                    f"Published figures ({'; '.join(names)}): {ctx.district.label('en')} has {len(pub)} for "
                    f"{'the period' if ctx.is_period else 'the year'} {ctx.span}. "
                    f"Against the computed values: {n_match} match, {n_round} differ by rounding, {n_bad} do "
                    "not match or cannot be recomputed. "
                    "Every published figure the report shows is printed exactly as published, with a "
                    "footnote naming its source and how it compares.",
                )
            )
        )
    cls = "banner-illustrative" if len(ill_rows) or len(ill_per) else "banner-provenance"
    return f'<div class="{cls}" role="note">' + " ".join(f"<p>{p}</p>" for p in parts) + "</div>"


def _source_name(ctx: Context, key: str) -> str:
    src = getattr(ctx.dataset, "sources", {}).get(key, {})
    return str(src.get(f"name_{ctx.lang}") or src.get("name_vi") or src.get(f"title_{ctx.lang}") or key)


def legend(ctx: Context) -> str:
    """One line: what the marks after the figures mean (only the kinds this report has)."""
    rows, per = ctx.rows_used(), ctx.periods_used()
    src = pd.concat([rows["source"], per["source"]], ignore_index=True)
    ill = is_illustrative(src)
    kinds = (
        (["published"] if len(relevant_published(ctx)) else [])
        + (["illustrative"] if ill.any() else [])
        + (["computed"] if (~ill).any() else [])
    )
    items = [
        f"<sup class='mark'>{esc(m)}</sup> {esc(text)}" for m, text in provenance.legend(kinds, ctx.lang)
    ]
    return (
        f'<p class="legend-provenance"><strong>{ctx.w("Ký hiệu", "Marks")}:</strong> '
        + " · ".join(items)
        + "</p>"
    )


def sources(ctx: Context) -> list[str]:
    """The sources of the report's figures as a person would cite them: title, kind, year; the
    generated (illustrative) rows as one plain sentence; each source once."""
    out: dict[str, None] = {}
    for src in sorted(set(ctx.rows_used()["source"]) | set(ctx.periods_used()["source"])):
        if any(m in src.lower() for m in ILLUSTRATIVE_MARKERS):
            out[
                ctx.w(
                    "Số liệu minh họa (các số có dấu mh): sinh tự động, không phải số liệu thật",
                    "Illustrative figures (marked il): generated, not real data",
                )
            ] = None
        else:
            out[_cite(src, ctx.lang)] = None
    pub = sorted(set(ctx.dataset.published["source"])) if len(ctx.dataset.published) else []
    for p in pub:
        cited = _cite(_source_name(ctx, p), ctx.lang)
        out.pop(cited, None)
        out[
            cited
            + ctx.w(
                " — cũng là nguồn các số liệu đã công bố dùng để đối chiếu",
                " — also the published figures the data are checked against",
            )
        ] = None
    return list(out)


def _cite(source: str, lang: str) -> str:
    """``Bài báo “Tên” (2024)`` as a citation: ``“Tên”, bài báo, 2024`` (other sources unchanged)."""
    import re

    m = re.fullmatch(
        r"\s*(Bài báo|Báo cáo|Văn bản|News article|Article|Report)\s+(“[^”]+”)\s*\((\d{4})\)\s*", source
    )
    if not m:
        return source
    kinds = {
        "Bài báo": ("bài báo", "newspaper article"),
        "Article": ("bài báo", "newspaper article"),
        "News article": ("bài báo", "newspaper article"),
        "Báo cáo": ("báo cáo", "report"),
        "Report": ("báo cáo", "report"),
        "Văn bản": ("văn bản", "document"),
    }
    kind = kinds[m.group(1)][0 if lang == "vi" else 1]
    return f"{m.group(2)}, {kind}, {m.group(3)}"


def summary(ctx: Context) -> dict:
    """Title and headline figures for the build's index page (``[[label, value], ...]``)."""
    if ctx.kind == "data_quality":
        rec = reconciliation(ctx)
        labels = VERDICT_LABELS[ctx.lang]
        counts = rec["verdict"].value_counts().to_dict() if len(rec) else {}
        pairs = [
            (ctx.w("Vấn đề số liệu", "Data problems"), fmt.number(len(ctx.dataset.problems), 0, ctx.lang))
        ] + [
            (
                ctx.w(f"Số liệu công bố: {labels[v]}", f"Published figures: {labels[v]}"),
                fmt.number(n, 0, ctx.lang),
            )
            for v, n in sorted(
                counts.items(), key=lambda vn: list(labels).index(vn[0]) if vn[0] in labels else 99
            )
        ]
    else:
        pairs = headline_pairs(ctx)
    return {"title": report_title(ctx), "headline": [list(p) for p in pairs]}


def title_block(ctx: Context) -> Html:
    """Title, unit, year or period, sources, the banner and the legend of the provenance marks
    (both derived from the data).

    Its output also carries the report's :func:`summary` (metadata ``baocao.summary``), so
    the builder need not open the report a second time to list it."""
    path = " › ".join(
        ctx.dataset.registry.unit(c).label(ctx.lang) for c in ctx.dataset.registry.path(ctx.unit.code)
    )
    items = "".join(f"<li>{esc(s)}</li>" for s in sources(ctx))
    when = ctx.w("Kỳ báo cáo", "Period") if ctx.is_period else ctx.w("Năm", "Year")
    out = Html(
        f'<h1 class="report-title">{esc(report_title(ctx))}</h1>'
        f'<p class="meta"><strong>{ctx.w("Đơn vị", "Unit")}:</strong> {esc(path)} ({ctx.w("mã", "code")} '
        f"{esc(ctx.unit.code)}) · "
        f"<strong>{when}:</strong> {esc(ctx.span)}</p>"
        + banner(ctx)
        + (
            legend(ctx) if ctx.kind != "data_quality" else ""
        )  # the data-quality report's tables name each value's kind in their headings
        + f'<details class="sources"><summary>{ctx.w("Nguồn số liệu", "Data sources")}</summary>'
        + f"<ul>{items}</ul></details>"
    )
    out.meta = {"summary": summary(ctx)}
    return out


def _status_class(ctx: Context, code: str, value: float, level: str | None = None) -> str:
    ok = ctx.cat.indicator(code).meets_target(value, level)
    return "" if ok is None else ("good" if ok else "bad")


def featured_year(ctx: Context, code: str, unit: str | None = None) -> int:
    """The year a period report shows a yearly indicator for: the latest year of the period
    with a published figure (what the source reported), else the period's last year."""
    unit = str(unit or ctx.unit.code)
    if ctx.is_period:
        for y in range(ctx.year, ctx.first_year - 1, -1):
            if ctx.published_row("indicator", code, unit, y, y, "") is not None:
                return y
    return ctx.year


def headline(ctx: Context, codes: list[str] | None = None) -> Html:
    """Headline figures of the unit and year (or period) as cards, each with its provenance mark."""
    cards = []
    if ctx.kind == "district" and ctx.is_period and codes is None:
        for code in CAMPAIGN_TOTALS:
            f = ctx.figure(code, year_from=ctx.first_year, with_unit=True)
            if not np.isnan(f.value):
                cards.append((f"{ctx.cat.indicator(code).short(ctx.lang)} ({ctx.span})", ctx.show(f), ""))
        codes = [c for c in HEADLINES_DISTRICT if c not in CAMPAIGN_TOTALS and c != "ty_le_dv_tham_du"]
        for code in codes:
            y = featured_year(ctx, code)
            f = ctx.figure(code, year=y, with_unit=True)
            if not np.isnan(f.value):
                cards.append(
                    (
                        f"{ctx.cat.indicator(code).short(ctx.lang)} ({y})",
                        ctx.show(f),
                        _status_class(ctx, code, f.value, ctx.unit.level),
                    )
                )
        return cards_html(cards)
    codes = codes or (HEADLINES_DISTRICT if ctx.kind == "district" else COMMUNE_INDICATORS[:6])
    for code in codes:
        f = ctx.figure(code, with_unit=True)
        if np.isnan(f.value):
            continue
        cards.append(
            (
                ctx.cat.indicator(code).short(ctx.lang),
                ctx.show(f),
                _status_class(ctx, code, f.value, ctx.unit.level),
            )
        )
    return cards_html(cards)


def headline_pairs(ctx: Context, codes: list[str] | None = None) -> list[tuple[str, str]]:
    """(label, formatted value) pairs for the index page; published figures as published."""
    codes = codes or ["hn_so", "ty_le_dv_tham_du", "thu_nhap_bq"]
    out = []
    for c in codes:
        f = ctx.figure(
            c, with_unit=True, year_from=ctx.first_year if ctx.is_period and c in CAMPAIGN_TOTALS else None
        )
        if not np.isnan(f.value):
            label = ctx.cat.indicator(c).short(ctx.lang) + (
                (f" ({ctx.span})" if c in CAMPAIGN_TOTALS else f" ({ctx.year})") if ctx.is_period else ""
            )
            out.append((label, f.text))
    return out


def _chart_label(value: float, decimals: int, lang: str, suffix: str) -> str:
    """The text a chart writes for a value (as baocao.reports.charts does: Vietnamese number + suffix)."""
    return fmt.with_unit(value, suffix, decimals, lang)


def mark_chart(ctx: Context, figure, labels: list[tuple], note: str = ""):
    """Provenance on a chart: every value label that shows one of ``labels`` — (chart text,
    figure) or (chart text, figure, data coordinates of the labelled point, e.g. (year, value)) —
    is rewritten as the figure (the published text where published) with its mark, and one line
    under the chart says what the marks mean. Only the labels' text changes.

    Labels with the same text (235 conferences in 2023 and in 2024) are told apart by the
    point they label; if that cannot decide, the weaker claim wins (illustrative)."""
    from matplotlib.text import Annotation, Text

    wanted: dict[str, list[tuple[str, str, tuple]]] = {}
    kinds = set()
    for entry in labels:
        text, f = entry[0], entry[1]
        at = tuple(entry[2]) if len(entry) > 2 and entry[2] is not None else ()
        kinds.add(f.kind)
        unit = "%" if text.endswith("%") and not f.text.endswith("%") else ""  # the chart's own suffix
        wanted.setdefault(text, []).append(
            (ctx.marked(Fig(f.text + unit, f.kind, f.pub_id, f.value)), f.kind, at)
        )
    artists = []
    for ax in figure.axes:
        artists += list(ax.texts)
        leg = ax.get_legend()
        if leg is not None:
            artists += list(leg.get_texts())
    for a in artists:
        if not isinstance(a, Text):
            continue
        s_ = a.get_text()
        for old, options in wanted.items():
            if not (s_ == old or s_.endswith(": " + old) or s_.endswith("\n" + old)):
                continue
            choice = options
            if len({o[0] for o in options}) > 1 and isinstance(a, Annotation):
                xy = [float(v) for v in a.xy]
                near = [
                    o
                    for o in options
                    if o[2] and all(any(abs(c - v) <= 1e-6 * max(1.0, abs(c)) for v in xy) for c in o[2])
                ]
                choice = near or options
            new = max(choice, key=lambda o: provenance.KINDS.index(o[1]))[0]
            a.set_text(s_[: len(s_) - len(old)] + new)
            break
    legend_items = [
        f"{superscript(m) if m != '1, 2, …' else '¹ ² …'} {text}"
        for m, text in provenance.legend(kinds, ctx.lang)
    ]
    line = " · ".join(legend_items) + (f" · {note}" if note else "")
    _add_footer_line(figure, line)
    return figure


def _kind_of_marked(text: str, lang: str) -> str:
    ill = superscript(provenance.mark("illustrative", lang))
    comp = superscript(provenance.mark("computed", lang))
    return "illustrative" if text.endswith(ill) else "computed" if text.endswith(comp) else "published"


def _add_footer_line(figure, text: str, height: float = 0.32) -> None:
    """Grow the figure at the bottom by ``height`` inches and write
    ``text`` there; the axes keep their size.
    """
    import textwrap

    lines = textwrap.wrap(text, 120)
    dh = height * max(1, len(lines))
    w, h = figure.get_size_inches()
    for ax in figure.axes:
        x0, y0, ww, hh = ax.get_position().bounds
        ax.set_position([x0, (y0 * h + dh) / (h + dh), ww, hh * h / (h + dh)])
    for txt in figure.texts:  # suptitle and other figure texts: keep their distance from the top
        x, y = txt.get_position()
        txt.set_y((y * h + dh) / (h + dh))
    figure.set_size_inches(w, h + dh)
    figure.text(
        0.01,
        0.12 * height / (h + dh),
        "\n".join(lines),
        ha="left",
        va="bottom",
        fontsize=8.5,
        color="#262626",
    )


# ---------------------------------------------------------------- campaign


def _topics(ctx: Context, unit: str | None = None, year: int | None = None) -> pd.DataFrame:
    d = ctx.ind
    d = d[(d["unit"] == (unit or ctx.unit.code)) & (d["year"] == (year or ctx.year)) & (d["category"] != "")]
    return d


def _period_topics(ctx: Context, unit: str | None = None) -> pd.DataFrame:
    """Topics reported for a period of several years that overlaps the report (the whole-term topic)."""
    d = ctx.period_ind
    if not len(d):
        return d
    d = d[(d["unit"] == (unit or ctx.unit.code)) & (d["category"] != "")]
    return overlapping(d, ctx.first_year, ctx.year)


def _with_span(label: str, span: str) -> str:
    """``Chuyên đề năm 2022`` stays; a label that does not name its span gets it: ``… (2021–2025)``."""
    return label if span in label else f"{label} ({span})"


def _topic_label(ctx: Context, cat: str) -> str:
    return ctx.cat.categories["topic"].option(cat).short(ctx.lang)


def _topic_rows(ctx: Context) -> list[dict]:
    """Every topic the report covers: (category, year_from, year_to, period?) — period topics first,
    then the topics of each year of the report."""
    out = []
    for r in (
        _period_topics(ctx)[["category", "year_from", "year_to"]].drop_duplicates().itertuples(index=False)
    ):
        out.append(dict(category=r.category, year_from=int(r.year_from), year_to=int(r.year_to), period=True))
    for y in ctx.years if ctx.is_period else [ctx.year]:
        for cat in sorted(_topics(ctx, year=y)["category"].unique()):
            out.append(dict(category=cat, year_from=y, year_to=y, period=False))
    return out


def _topic_figures(ctx: Context, tr: dict) -> dict:
    """Conferences, attendances, members expected and rate of one topic, as figures."""
    cat, a, b = tr["category"], tr["year_from"], tr["year_to"]
    if tr["period"]:
        conf = ctx.period_figure("hn_so", a, b, cat)
        att = ctx.period_figure("hn_luot_dv", a, b, cat)
        rate = ctx.period_figure("ty_le_dv_tham_du", a, b, cat, with_unit=True)
        d = ctx.period_ind
        hit = d[
            (d["indicator"] == "ty_le_dv_tham_du")
            & (d["unit"] == ctx.unit.code)
            & (d["year_from"] == a)
            & (d["year_to"] == b)
            & (d["category"] == cat)
        ]
        den = float(hit["denominator"].iloc[0]) if len(hit) else float("nan")
        ill = bool(hit["illustrative"].iloc[0]) if len(hit) else False
        members = Fig(fmt.number(den, 0, ctx.lang), provenance.kind_of(ill), None, den)
    else:
        conf = ctx.figure("hn_so", year=b, category=cat)
        att = ctx.figure("hn_luot_dv", year=b, category=cat)
        rate = ctx.figure("ty_le_dv_tham_du", year=b, category=cat, with_unit=True)
        members = ctx.figure("hn_dv_phai_du", year=b, category=cat, kind="element")
    return dict(conf=conf, att=att, members=members, rate=rate)


def _assessment(ctx: Context, code: str, value: float, level: str | None = None) -> str:
    ok = ctx.cat.indicator(code).meets_target(value, level)
    return "" if ok is None else (ctx.w("đạt", "met") if ok else ctx.w("chưa đạt", "not met"))


def campaign_table(ctx: Context) -> Html:
    """Per topic: period, conferences, attendances, members expected, rate, target. A topic
    reported for a period of several years is shown with its span and never added into a year."""
    ind = ctx.cat.indicator("ty_le_dv_tham_du")
    rows = []
    topics = _topic_rows(ctx)
    for tr in topics:
        f = _topic_figures(ctx, tr)
        rows.append(
            {
                ctx.w("Chuyên đề", "Topic"): _topic_label(ctx, tr["category"]),
                ctx.w("Kỳ", "Period"): period_label(tr["year_from"], tr["year_to"])
                + (ctx.w(" (cả kỳ)", " (whole period)") if tr["period"] else ""),
                ctx.w("Hội nghị", "Conferences"): ctx.show(f["conf"]),
                ctx.w("Lượt đảng viên tham dự", "Attendances"): ctx.show(f["att"]),
                ctx.w("Đảng viên phải tham dự", "Members expected"): ctx.show(f["members"]),
                ctx.w("Tỷ lệ", "Rate"): ctx.show(f["rate"]),
                ctx.w("Chỉ tiêu", "Target"): "≥ " + fmt.percent(ind.target, 0, ctx.lang)
                if ind.target is not None
                else "",
                ctx.w("Đánh giá", "Assessment"): _assessment(
                    ctx, "ty_le_dv_tham_du", f["rate"].value, ctx.unit.level
                ),
            }
        )
    if not rows:
        return Html(
            "<p>"
            + ctx.w("Không có số liệu học tập chuyên đề năm này.", "No campaign data for this year.")
            + "</p>"
        )
    totals_notes = []
    if ctx.is_period:
        conf = ctx.figure("hn_so", year_from=ctx.first_year)
        att = ctx.figure("hn_luot_dv", year_from=ctx.first_year)
        for f in (
            conf,
            att,
        ):  # a published total whose own published parts add up to something else: say so here
            r = ctx.reconciled.get(f.pub_id) if f.pub_id else None
            if r is not None and r.components_verdict == "mismatch":
                totals_notes.append(
                    ctx.w(
                        f"{f.text} ({figure_label(ctx.cat, r.kind, r.code, r.category, 'vi').lower()}, "
                        f"{r.period}) là số bài viết công bố; các số liệu thành phần bài viết nêu cộng lại "
                        f"là {fmt.number(r.components_sum, max(r.decimals, 0))} (xem chú thích "
                        f"{ctx.footnote(f.pub_id)}).",
                        f"{f.text} ({figure_label(ctx.cat, r.kind, r.code, r.category, 'en').lower()}, "
                        f"{r.period}) is the figure the source states; the parts it gives add up to "
                        f"{fmt.number(r.components_sum, max(r.decimals, 0), 'en')} (see note "
                        f"{ctx.footnote(f.pub_id)}).",
                    )
                )
        rows.append(
            {
                ctx.w("Chuyên đề", "Topic"): ctx.w("Tổng cộng", "Total"),
                ctx.w("Kỳ", "Period"): ctx.span,
                ctx.w("Hội nghị", "Conferences"): ctx.show(conf),
                ctx.w("Lượt đảng viên tham dự", "Attendances"): ctx.show(att),
                ctx.w("Đảng viên phải tham dự", "Members expected"): "",
                ctx.w("Tỷ lệ", "Rate"): "",
                ctx.w("Chỉ tiêu", "Target"): "",
                ctx.w("Đánh giá", "Assessment"): "",
            }
        )
    df = pd.DataFrame(rows)
    out = str(html_table(df, numeric=list(df.columns[2:7])))
    out += "".join(f"<p class='note'>{esc(n_)}</p>" for n_ in totals_notes)
    period_rows = [tr for tr in topics if tr["period"]]
    if period_rows:
        names = "; ".join(
            _with_span(_topic_label(ctx, tr["category"]), period_label(tr["year_from"], tr["year_to"]))
            for tr in period_rows
        )
        out += (
            "<p class='note'>"
            + esc(
                ctx.w(
                    f"{names}: số liệu cả kỳ, không thuộc riêng năm nào nên không cộng vào số liệu từng năm"
                    + (
                        f"; tổng {ctx.span} gồm cả số liệu này, như nguồn đã công bố."
                        if ctx.is_period
                        else f" {ctx.year}."
                    ),
                    f"{names}: a figure for the whole period, not for any one year, so it is never added "
                    "into a year's figures"
                    + (
                        f"; the {ctx.span} total includes it, as the source states it."
                        if ctx.is_period
                        else f" such as {ctx.year}."
                    ),
                )
            )
            + "</p>"
        )
    return Html(out)


def campaign_narrative(ctx: Context) -> Html:
    """The campaign in sentences built from the figures (published ones as
    published, with their footnotes).
    """
    where = ctx.unit.label(ctx.lang)
    topics = _topic_rows(ctx)
    if ctx.is_period:
        conf = ctx.figure("hn_so", year_from=ctx.first_year)
        att = ctx.figure("hn_luot_dv", year_from=ctx.first_year)
        if np.isnan(conf.value):
            return Html(f"<p>{ctx.w('Không có số liệu.', 'No data.')}</p>")
        total_conf, att_total = ctx.show(conf), ctx.show(att)
        parts = []
        for tr in topics:
            f = _topic_figures(ctx, tr)
            label = _topic_label(ctx, tr["category"])
            if tr["period"]:
                label += ctx.w(
                    f" (cả kỳ {period_label(tr['year_from'], tr['year_to'])})",
                    f" (whole period {period_label(tr['year_from'], tr['year_to'])})",
                )
            conf_html = ctx.show(f["conf"])  # in reading order: footnotes are numbered by first use
            att_html = ctx.show_pair(f["att"], f["members"]) if f["members"].pub_id else ctx.show(f["att"])
            rate = f["rate"]
            rate_html = ctx.show(rate) if not np.isnan(rate.value) else ""
            parts.append(
                ctx.w(
                    f"{conf_html} hội nghị {esc(label)} cho {att_html} lượt đảng viên tham dự"
                    + (f", đạt tỷ lệ {rate_html}" if rate_html else ""),
                    f"{conf_html} conferences on the {esc(label)} for {att_html} party-member attendances"
                    + (f", a rate of {rate_html}" if rate_html else ""),
                )
            )
        text = ctx.w(
            f"Giai đoạn {ctx.span}, {esc(where)} đã tổ chức được {total_conf} hội nghị, có {att_total} lượt "
            "đảng viên học tập, quán triệt. Cụ thể: " + "; ".join(parts) + ".",
            f"In {ctx.span}, {esc(where)} held {total_conf} conferences with {att_total} party-member "
            "attendances. In detail: " + "; ".join(parts) + ".",
        )
        return Html(f"<p>{text}</p>")
    conf, att, rate = (
        ctx.figure("hn_so"),
        ctx.figure("hn_luot_dv"),
        ctx.figure("ty_le_dv_tham_du", with_unit=True),
    )
    ind = ctx.cat.indicator("ty_le_dv_tham_du")
    year_topics = [tr for tr in topics if not tr["period"]]
    n_topics = len(year_topics)
    out = []
    if not np.isnan(conf.value):
        ok = ind.meets_target(rate.value, ctx.unit.level)
        verdict_vi = (
            "" if ok is None else f" ({'đạt' if ok else 'chưa đạt'} chỉ tiêu ≥ {fmt.percent(ind.target, 0)})"
        )
        verdict_en = (
            ""
            if ok is None
            else f" (target ≥ {fmt.percent(ind.target, 0, 'en')} {'met' if ok else 'not met'})"
        )
        c_html, a_html, r_html = ctx.show(conf), ctx.show(att), ctx.show(rate)
        out.append(
            ctx.w(
                f"Năm {ctx.year}, {esc(where)} tổ chức {c_html} hội nghị học tập, quán triệt {n_topics} "
                "chuyên đề của năm, "
                f"với {a_html} lượt đảng viên tham dự, đạt {r_html} số đảng viên phải tham dự{verdict_vi}.",
                f"In {ctx.year}, {esc(where)} held {c_html} study conferences on {n_topics} "
                f"topic{'s' if n_topics != 1 else ''} of the year with "
                f"{a_html} party-member attendances, {r_html} of the members expected{verdict_en}.",
            )
        )
    for tr in topics:
        if not tr["period"]:
            continue
        f = _topic_figures(ctx, tr)
        span = period_label(tr["year_from"], tr["year_to"])
        c_html, a_html, r_html = ctx.show(f["conf"]), ctx.show(f["att"]), ctx.show(f["rate"])
        out.append(
            ctx.w(
                f"{esc(_topic_label(ctx, tr['category']))} là số liệu cả kỳ {span}, không cộng vào năm "
                f"{ctx.year}: {c_html} hội nghị, "
                f"{a_html} lượt đảng viên tham dự, đạt {r_html}.",
                f"The {esc(_topic_label(ctx, tr['category']))} is reported for the whole period {span}, not "
                f"added into {ctx.year}: {c_html} conferences, "
                f"{a_html} attendances, a rate of {r_html}.",
            )
        )
    if not out:
        return Html(f"<p>{ctx.w('Không có số liệu.', 'No data.')}</p>")
    return Html("<p>" + " ".join(out) + "</p>")


@as_chart
def chart_rate_by_topic(ctx: Context):
    from baocao.reports import charts  # matplotlib, seaborn: only when a chart is drawn

    ind = ctx.cat.indicator("ty_le_dv_tham_du")
    labels, values, figs = [], [], []
    for tr in _topic_rows(ctx):
        f = _topic_figures(ctx, tr)["rate"]
        if np.isnan(f.value):
            continue
        span = period_label(tr["year_from"], tr["year_to"])
        name = _topic_label(ctx, tr["category"])
        labels.append(_with_span(name, span))
        values.append(f.value)
        figs.append(f)
    df = pd.DataFrame({"label": labels, "value": values})
    fig = charts.rate_by_topic(
        df,
        target=ind.target,
        title=f"{ind.name(ctx.lang)}, {ctx.span}",
        value_label=ctx.w("Tỷ lệ (%)", "Rate (%)"),
        decimals=ind.decimals,
        lang=ctx.lang,
    )
    return mark_chart(
        ctx, fig, [(_chart_label(f.value, ind.decimals, ctx.lang, "%"), f, (f.value,)) for f in figs]
    )


@as_chart
def chart_campaign_over_years(ctx: Context):
    """Conferences and attendances per year: only the topics of each year
    (a period topic is never a year's).
    """
    from baocao.reports import charts  # matplotlib, seaborn: only when a chart is drawn

    d = ctx.ind[
        (ctx.ind["unit"] == ctx.unit.code)
        & (ctx.ind["year"] <= ctx.year)
        & (ctx.ind["category"] == "")
        & ctx.ind["indicator"].isin(["hn_so", "hn_luot_dv"])
    ]
    df = pd.DataFrame(
        {
            "year": d["year"],
            "series": [ctx.cat.indicator(c).short(ctx.lang) for c in d["indicator"]],
            "value": d["value"],
        }
    )
    fig = charts.bars_over_years(
        df,
        title=ctx.w(
            "Hội nghị và lượt đảng viên học tập qua các năm (chuyên đề của từng năm)",
            "Conferences and attendances over the years (each year's topics)",
        ),
        lang=ctx.lang,
    )
    labels = [
        (_chart_label(v, 0, ctx.lang, ""), ctx.figure(c, year=int(y)), (int(y), float(v)))
        for c, y, v in zip(d["indicator"], d["year"], d["value"])
    ]
    per = _period_topics(ctx)
    note = ""
    if len(per):
        names = "; ".join(
            sorted(
                {
                    _with_span(_topic_label(ctx, c), period_label(a, b))
                    for c, a, b in zip(per["category"], per["year_from"], per["year_to"])
                }
            )
        )
        note = ctx.w(
            f"Không gồm {names}: số liệu cả kỳ, không thuộc năm nào.",
            f"Excludes {names}: a whole-period figure, not any year's.",
        )
    return mark_chart(ctx, fig, labels, note)


# ---------------------------------------------------------------- communes compared


def commune_values(ctx: Context, code: str, year: int | None = None) -> pd.DataFrame:
    """One indicator for every commune of the district: label, lat, lon, value, rank, illustrative.

    The same for every report of the district (a commune report ranks them all, for several
    indicators): computed once per loaded data set and kept on it, as :func:`_district_frames`
    are; each call gets its own copy."""
    year = year or ctx.year
    cache = ctx.dataset.__dict__.setdefault("_baocao_commune_values", {})
    key = (ctx.district.code, tuple(u.code for u in ctx.communes), code, year)
    if key not in cache:
        cache[key] = _commune_values(ctx, code, year)
    return cache[key].copy()


def _commune_values(ctx: Context, code: str, year: int) -> pd.DataFrame:
    d = ctx.ind[
        (ctx.ind["indicator"] == code) & (ctx.ind["year"] == year) & (ctx.ind["category"] == "")
    ].set_index("unit")
    vals, ill = d["value"], d["illustrative"] if "illustrative" in d else pd.Series(False, index=d.index)
    rows = [
        {
            "code": u.code,
            "label": u.short,
            "lat": u.lat,
            "lon": u.lon,
            "value": vals.get(u.code, np.nan),
            "illustrative": bool(ill.get(u.code, False)),
        }
        for u in ctx.communes
    ]
    df = pd.DataFrame(rows)
    ascending = ctx.cat.indicator(code).direction == "lower"
    df["rank"] = df["value"].rank(ascending=ascending, method="min")
    return df


def _commune_labels(
    ctx: Context, code: str, df: pd.DataFrame, decimals: int, suffix: str
) -> list[tuple[str, Fig]]:
    out = [
        (_chart_label(v, decimals, ctx.lang, suffix), ctx.figure(code, unit=c), (float(v),))
        for c, v in zip(df["code"], df["value"])
        if not np.isnan(v)
    ]
    ref = ctx.figure(code, unit=ctx.district.code)
    if not np.isnan(ref.value):
        out.append((_chart_label(ctx.value(code, ctx.district.code), decimals, ctx.lang, suffix), ref))
    return out


@as_chart
def chart_communes_ranked(ctx: Context, code: str | None = None):
    from baocao.reports import charts  # matplotlib, seaborn: only when a chart is drawn

    code = code or ctx.compare
    ind = ctx.cat.indicator(code)
    df = commune_values(ctx, code)
    suffix = "%" if ind.unit_vi == "%" else ""
    level = "commune"
    fig = charts.ranked_bars(
        df,
        reference=ctx.value(code, ctx.district.code),
        reference_label=ctx.district.label(ctx.lang),
        title=f"{ind.name(ctx.lang)} ({ind.unit(ctx.lang)}), {ctx.year}",
        value_label=ind.unit(ctx.lang),
        decimals=ind.decimals,
        lang=ctx.lang,
        highlight=ctx.unit.short if ctx.kind == "commune" else None,
        target=ind.target if ind.target_applies(level) else None,
        suffix=suffix,
    )
    note = "" if ind.target is None or ind.target_applies(level) else _target_scope_note(ctx, ind)
    return mark_chart(ctx, fig, _commune_labels(ctx, code, df, ind.decimals, suffix), note)


@as_chart
def chart_communes_map(ctx: Context, code: str | None = None):
    from baocao.reports import charts  # matplotlib, seaborn: only when a chart is drawn

    code = code or ctx.compare
    ind = ctx.cat.indicator(code)
    df = commune_values(ctx, code)
    suffix = "%" if ind.unit_vi == "%" else ""
    fig = charts.dot_map(
        df,
        title=ctx.w(
            f"Bản đồ các xã, thị trấn: {ind.short(ctx.lang)}, {ctx.year}",
            f"Map of communes: {ind.short(ctx.lang)}, {ctx.year}",
        ),
        value_label=ind.unit(ctx.lang),
        decimals=ind.decimals,
        lang=ctx.lang,
        highlight=ctx.unit.short if ctx.kind == "commune" else None,
        suffix=suffix,
    )
    return mark_chart(ctx, fig, _commune_labels(ctx, code, df, ind.decimals, suffix))


# ---------------------------------------------------------------- socio-economic


def _target_text(ctx: Context, ind, level: str | None = None) -> str:
    if ind.target is None:
        return ""
    text = ("≥ " if ind.direction == "higher" else "≤ ") + fmt.number(
        ind.target, ind.decimals if ind.target % 1 else 0, ctx.lang
    )
    if level is not None and not ind.target_applies(level):
        text += (
            ctx.w(" (cấp huyện)", " (district)")
            if ind.target_levels == ("district",)
            else f" ({', '.join(ind.target_levels)})"
        )
    return text


def _target_scope_note(ctx: Context, ind) -> str:
    levels = ", ".join(
        {
            "district": ctx.w("cấp huyện", "district level"),
            "commune": ctx.w("cấp xã", "commune level"),
            "province": ctx.w("cấp tỉnh", "province level"),
        }[lv]
        for lv in ind.target_levels or ()
    )
    return ctx.w(
        f"{ind.short('vi')}: chỉ tiêu {_target_text(ctx, ind)} chỉ áp dụng ở {levels}"
        + (f" — {ind.target_note('vi')}" if ind.target_note("vi") else "")
        + "; không dùng để đánh giá từng xã.",
        f"{ind.short('en')}: the target {_target_text(ctx, ind)} applies at {levels} only"
        + (f" — {ind.target_note('en')}" if ind.target_note("en") else "")
        + "; communes are not judged against it.",
    )


def _years_table(ctx: Context, codes: list[str], with_target: bool, skip_empty: bool) -> Html:
    """Indicators (rows) by year (columns; a period report: the period's years), each figure marked,
    optionally with the target.
    """
    years = ctx.years
    target_col = ctx.w("Chỉ tiêu phấn đấu", "Target")
    rows = []
    for code in codes:
        ind = ctx.cat.indicator(code)
        figs = [ctx.figure(code, year=y) for y in years]
        if skip_empty and all(np.isnan(f.value) for f in figs):
            continue
        row = {ctx.w("Chỉ tiêu", "Indicator"): f"{ind.name(ctx.lang)} ({ind.unit(ctx.lang)})"}
        row.update({str(y): ctx.show(f) if not np.isnan(f.value) else "–" for y, f in zip(years, figs)})
        if with_target:
            row[target_col] = _target_text(ctx, ind, ctx.unit.level)
        rows.append(row)
    return html_table(
        pd.DataFrame(rows), numeric=[str(y) for y in years] + ([target_col] if with_target else [])
    )


def socio_table(ctx: Context, codes: list[str] | None = None) -> Html:
    """Indicators by year up to the report year, with target and direction."""
    return _years_table(ctx, codes or SOCIO, with_target=True, skip_empty=False)


def socio_narrative(ctx: Context, codes: list[str] | None = None) -> Html:
    """The socio-economic results in one sentence per year shown (a period report: the year the
    source reported, else the last year), with the parts of a rate when they are published (54/67 trường)."""
    codes = codes or SOCIO
    by_year: dict[int, list[str]] = {}
    for code in codes:
        y = featured_year(ctx, code)
        f = ctx.figure(code, year=y, with_unit=True)
        if np.isnan(f.value):
            continue
        ind = ctx.cat.indicator(code)
        name = ind.name(ctx.lang)
        text = f"{esc(name[0].lower() + name[1:] if ctx.lang == 'vi' else name)} {ctx.show(f)}"
        if ind.denominator:
            num = ctx.figure(ind.numerator, year=y, kind="element")
            den = ctx.figure(ind.denominator, year=y, kind="element")
            if num.pub_id and den.pub_id:
                text += f" ({ctx.show_pair(num, den, ctx.cat.element(ind.denominator).unit(ctx.lang))})"
        by_year.setdefault(y, []).append(text)
    if not by_year:
        return Html("")
    where = ctx.unit.label(ctx.lang)
    sentences = [
        ctx.w(
            f"Năm {y}, {esc(where)}: " + "; ".join(parts) + ".",
            f"In {y}, {esc(where)}: " + "; ".join(parts) + ".",
        )
        for y, parts in sorted(by_year.items())
    ]
    return Html("<p>" + " ".join(sentences) + "</p>")


@as_chart
def chart_trend(ctx: Context, code: str):
    """One indicator over the years; for a commune, next to its district."""
    from baocao.reports import charts  # matplotlib, seaborn: only when a chart is drawn

    ind = ctx.cat.indicator(code)
    units = [ctx.unit] + ([ctx.district] if ctx.kind == "commune" else [])
    frames, labels = [], []
    suffix = "%" if ind.unit_vi == "%" else ""
    for u in units:
        d = ctx.ind[
            (ctx.ind["indicator"] == code)
            & (ctx.ind["unit"] == u.code)
            & (ctx.ind["category"] == "")
            & (ctx.ind["year"] <= ctx.year)
        ]
        frames.append(pd.DataFrame({"year": d["year"], "value": d["value"], "series": u.label(ctx.lang)}))
        labels += [
            (
                _chart_label(v, ind.decimals, ctx.lang, suffix),
                ctx.figure(code, unit=u.code, year=int(y)),
                (int(y), float(v)),
            )
            for y, v in zip(d["year"], d["value"])
        ]
    df = pd.concat(frames, ignore_index=True)
    applies = ind.target_applies(ctx.unit.level)
    fig = charts.trend(
        df,
        title=f"{ind.name(ctx.lang)} ({ind.unit(ctx.lang)})",
        value_label=ind.unit(ctx.lang),
        decimals=ind.decimals,
        lang=ctx.lang,
        target=ind.target if applies or ctx.kind == "commune" else None,
        suffix=suffix,
    )
    note = "" if ind.target is None or applies else _target_scope_note(ctx, ind)
    return mark_chart(ctx, fig, labels, note)


def socio_by_commune(ctx: Context, codes: list[str] | None = None) -> Html:
    """The socio-economic indicators of every commune in the report year, district last."""
    codes = codes or SOCIO
    rows = []
    for u in [*ctx.communes, ctx.district]:
        row = {ctx.w("Xã, thị trấn", "Commune"): u.label(ctx.lang)}
        for code in codes:
            f = ctx.figure(code, unit=u.code)
            row[ctx.cat.indicator(code).short(ctx.lang)] = ctx.show(f) if not np.isnan(f.value) else "–"
        rows.append(row)
    df = pd.DataFrame(rows)
    return html_table(df, numeric=list(df.columns[1:]))


# ---------------------------------------------------------------- welfare, dialogue, commendations


def welfare_table(ctx: Context, codes: list[str] | None = None) -> Html:
    """Welfare, dialogue and commendation figures by year (rows without any data left out)."""
    return _years_table(ctx, codes or WELFARE, with_target=False, skip_empty=True)


def welfare_narrative(ctx: Context) -> Html:
    parts = []
    y = featured_year(ctx, "quy_khuyen_hoc_so")
    funds, money = (
        ctx.figure("quy_khuyen_hoc_so", year=y),
        ctx.figure("quy_khuyen_hoc_tien", year=y, with_unit=True),
    )
    if not np.isnan(funds.value):
        parts.append(
            ctx.w(
                f"Năm {y} có {ctx.show(funds)} Quỹ Khuyến học đang hoạt động, vận động được "
                f"{ctx.show(money)}.",
                f"In {y}, {ctx.show(funds)} study-encouragement funds were active and raised "
                f"{ctx.show(money)}.",
            )
        )
    y = featured_year(ctx, "doi_thoai_so")
    dia, dele = ctx.figure("doi_thoai_so", year=y), ctx.figure("doi_thoai_dai_bieu", year=y)
    if not np.isnan(dia.value):
        parts.append(
            ctx.w(
                f"Năm {y}, tổ chức {ctx.show(dia)} hội nghị đối thoại giữa cấp ủy Đảng, chính quyền với Nhân "
                f"dân, thu hút {ctx.show(dele)} lượt đại biểu.",
                f"In {y}, {ctx.show(dia)} dialogue conferences between Party, government and citizens drew "
                f"{ctx.show(dele)} delegates.",
            )
        )
    return Html(f"<p>{' '.join(parts)}</p>")


# ---------------------------------------------------------------- commune report


def commune_table(ctx: Context, codes: list[str] | None = None) -> Html:
    """The commune's indicators next to the district value, its rank and the target. A target
    that applies only at district level does not judge the commune: the district value is judged
    instead, and a note says why."""
    codes = codes or COMMUNE_INDICATORS
    n = len(ctx.communes)
    rows, notes = [], []
    for code in codes:
        ind = ctx.cat.indicator(code)
        f = ctx.figure(code)
        if np.isnan(f.value):
            continue
        ranks = commune_values(ctx, code).set_index("code")["rank"]
        dist = ctx.figure(code, unit=ctx.district.code)
        if ind.target is not None and not ind.target_applies(ctx.unit.level):
            verdict = ctx.w("không đánh giá cấp xã; toàn huyện: ", "not judged for a commune; district: ") + (
                _assessment(ctx, code, dist.value, ctx.district.level) or "–"
            )
            notes.append(_target_scope_note(ctx, ind))
        else:
            verdict = _assessment(ctx, code, f.value, ctx.unit.level)
        rows.append(
            {
                ctx.w("Chỉ tiêu", "Indicator"): f"{ind.name(ctx.lang)} ({ind.unit(ctx.lang)})",
                ctx.unit.short: ctx.show(f),
                ctx.district.label(ctx.lang): ctx.show(dist),
                ctx.w("Xếp hạng", "Rank"): f"{int(ranks[ctx.unit.code])}/{n}"
                if not np.isnan(ranks[ctx.unit.code])
                else "–",
                ctx.w("Chỉ tiêu phấn đấu", "Target"): _target_text(ctx, ind, ctx.unit.level),
                ctx.w("Đánh giá", "Assessment"): verdict,
            }
        )
    df = pd.DataFrame(rows)
    out = str(html_table(df, numeric=list(df.columns[1:5])))
    if notes:
        out += "".join(f"<p class='note'>{esc(n_)}</p>" for n_ in dict.fromkeys(notes))
    return Html(out)


def below_target(ctx: Context) -> Html:
    """What falls below target in the report year, in words; targets that do not apply at the
    unit's level are not counted (and said so)."""
    misses, skipped = [], []
    level = ctx.unit.level
    for code, ind in ctx.cat.indicators.items():
        f = ctx.figure(code, with_unit=True)
        if ind.target is not None and not np.isnan(f.value) and not ind.target_applies(level):
            skipped.append(_target_scope_note(ctx, ind))
            continue
        if ind.meets_target(f.value, level) is False:
            misses.append(
                f"{esc(ind.name(ctx.lang))}: {ctx.show(f)} ({ctx.w('chỉ tiêu', 'target')} "
                f"{esc(_target_text(ctx, ind))}{'%' if ind.unit_vi == '%' else ''})"
            )
    ind = ctx.cat.indicator("ty_le_dv_tham_du")
    for tr in _topic_rows(ctx):
        rate = _topic_figures(ctx, tr)["rate"]
        if ind.meets_target(rate.value, level) is False:
            misses.append(
                f"{esc(ind.short(ctx.lang))} — {esc(_topic_label(ctx, tr['category']))}: {ctx.show(rate)}"
            )
    notes = "".join(f"<p class='note'>{esc(s)}</p>" for s in dict.fromkeys(skipped))
    if not misses:
        return Html(
            "<p>"
            + ctx.w(
                f"Năm {ctx.year}, mọi chỉ tiêu có mục tiêu áp dụng cho đơn vị này đều đạt.",
                f"In {ctx.year}, every indicator with a target that applies here meets it.",
            )
            + "</p>"
            + notes
        )
    items = "".join(f"<li>{m}</li>" for m in dict.fromkeys(misses))
    return Html(
        f"<p>{ctx.w(f'Năm {ctx.year}, các chỉ tiêu chưa đạt:', f'In {ctx.year}, below target:')}</p><ul "
        f"class='below-target'>{items}</ul>" + notes
    )


# ---------------------------------------------------------------- footnotes


def footnote_text(ctx: Context, pub_id: str) -> str:
    """The footnote of a published figure: its source and row, the quoted sentence, its period,
    and how it compares with the value computed from the data."""
    row = ctx.published[ctx.published["id"] == pub_id].iloc[0]
    r = ctx.reconciled.get(pub_id)
    d = max(int(row.decimals), 0)
    lang = ctx.lang
    label = figure_label(
        ctx.cat, row.kind, row.code, "" if pd.isna(row.category) else str(row.category), lang
    )
    span = period_label(row.year_from, row.year_to)
    head = ctx.w(
        f"{_source_name(ctx, row.source)}, số liệu {pub_id} (published.csv): «{row.note}». {label}, "
        f"{'kỳ' if int(row.year_from) != int(row.year_to) else 'năm'} {span}.",
        f"{_source_name(ctx, row.source)}, figure {pub_id} (published.csv): “{row.note}”. {label}, "
        f"{'period' if int(row.year_from) != int(row.year_to) else 'year'} {span}.",
    )
    if r is None:
        return head
    unit = (ctx.cat.indicator(row.code) if row.kind == "indicator" else ctx.cat.element(row.code)).unit(lang)
    pct = unit == "%"

    def num(v, dec):
        return fmt.number(v, dec, lang) + ("%" if pct else "")

    tail = []
    if r.components:
        comps = ctx.published.set_index("id")
        pieces = [
            fmt.number(comps.loc[c, "value"], d, lang) for c in r.components.split() if c in comps.index
        ]
        tail.append(
            ctx.w(
                f"Gồm các số liệu {' + '.join(r.components.split())} do bài viết nêu: {' + '.join(pieces)} = "
                f"{fmt.number(r.components_sum, d, lang)}",
                f"Made of the figures {' + '.join(r.components.split())} the source gives: "
                f"{' + '.join(pieces)} = {fmt.number(r.components_sum, d, lang)}",
            )
            + (
                ctx.w(
                    f", không phải {fmt.number(r.published, d, lang)} (chênh "
                    f"{fmt.number(r.published - r.components_sum, d, lang)}); "
                    "báo cáo giữ nguyên số đã công bố.",
                    f", not {fmt.number(r.published, d, 'en')} (gap "
                    f"{fmt.number(r.published - r.components_sum, d, 'en')}); the report keeps the published "
                    "figure.",
                )
                if r.components_verdict == "mismatch"
                else "."
            )
        )
    if r.verdict == "no data":
        tail.append(ctx.w("Không có số liệu để tính lại.", "No data to recompute it."))
    else:
        dec = (
            d + 1
            if r.verdict == "rounding difference"
            else max(d, ctx.cat.indicator(row.code).decimals if row.kind == "indicator" else 0)
        )
        ind = ctx.cat.indicator(row.code) if row.kind == "indicator" else None
        if ind is not None and ind.denominator and not pd.isna(r.numerator):
            factor = "" if ind.factor in (1, 100) else f" × {fmt.number(ind.factor, 0, lang)}"
            expr = (
                f"{fmt.number(r.numerator, 0, lang)}/{fmt.number(r.denominator, 0, lang)}{factor} = "
                f"{num(r.computed, dec)}"
            )
        else:
            expr = num(r.computed, dec)
        what = {
            "match": ctx.w("khớp", "matches"),
            "rounding difference": ctx.w(
                f"bài viết làm tròn {'xuống' if r.published < r.computed else 'lên'} ({num(r.published, d)})",
                f"the source rounds {'down' if r.published < r.computed else 'up'} ({num(r.published, d)})",
            ),
            "mismatch": ctx.w(
                f"không khớp với {num(r.published, d)} đã công bố (chênh "
                f"{fmt.number(r.computed - r.published, d, lang)}); báo cáo giữ nguyên số đã công bố",
                f"does not match the published {num(r.published, d)} (gap "
                f"{fmt.number(r.computed - r.published, d, lang)}); the report keeps the published figure",
            ),
        }[r.verdict]
        if r.components_verdict == "mismatch" and abs(r.computed - r.components_sum) < 10.0**-dec / 2:
            what = ctx.w("bằng tổng các thành phần", "equal to the sum of the parts")
        tail.append(ctx.w(f"Tính từ số liệu: {expr}; {what}.", f"Computed from the data: {expr}; {what}."))
        if r.illustrative:
            tail.append(
                ctx.w(
                    "Số liệu dùng để tính lại là số liệu minh họa (sinh tự động).",
                    "The data it is recomputed from are illustrative (generated).",
                )
            )
    return head + " " + " ".join(tail)


def footnotes(ctx: Context) -> Html:
    """The footnotes of the published figures the report showed, numbered in order of first use."""
    if not ctx.notes:
        return Html("")
    notes = ctx.published.set_index("id")["note"].to_dict()

    def item(pid: str, n: int) -> str:
        text = esc(footnote_text(ctx, pid))
        quote = esc(notes.get(pid, ""))
        if quote:  # the source's own words, in its language
            for a, b in (("«", "»"), ("“", "”")):
                text = text.replace(
                    f"{a}{quote}{b}", f'<q lang="vi">{quote}</q>', 1
                )  # the browser adds the quotation marks
        return f'<li id="fn-{esc(pid)}" value="{n}">{text}</li>'

    items = "".join(item(pid, n) for pid, n in sorted(ctx.notes.items(), key=lambda kv: kv[1]))
    return Html(
        f'<section class="footnotes"><h2>{ctx.w("Chú thích", "Notes")}</h2><ol '
        f'class="footnotes">{items}</ol></section>'
    )


# ---------------------------------------------------------------- data quality


def reconciliation(ctx: Context) -> pd.DataFrame:
    """Reconciliation of the unit's published figures that the report's year or period covers:
    figures whose period has ended by the report year (or, for a period report, overlaps it),
    and figures of a period still running after the last year with data (the whole-term topic)."""
    pub = ctx.dataset.published
    if len(pub):
        pub = pub[pub["unit"] == ctx.unit.code]
        y0, y1 = pub["year_from"].astype(int), pub["year_to"].astype(int)
        last = int(max(ctx.ind["year"])) if len(ctx.ind) else ctx.year
        if ctx.is_period:
            pub = pub[(y0 <= ctx.year) & (y1 >= ctx.first_year)]
        else:
            pub = pub[(y1 <= ctx.year) | ((y0 <= ctx.year) & (y1 > last))]
    if not len(pub):
        return pd.DataFrame()
    scope = [ctx.district.code, *(u.code for u in ctx.communes)]
    obs = ctx.dataset.observations
    all_agg = aggregate(obs[obs["unit"].isin(scope)], ctx.cat, ctx.dataset.registry, [ctx.unit.code])
    per = ctx.period_agg[ctx.period_agg["unit"] == ctx.unit.code] if len(ctx.period_agg) else ctx.period_agg
    return reconcile(pub, all_agg, ctx.cat, per)


def quality_summary(ctx: Context, link: str = "data_quality.html") -> Html:
    """A few lines on validation and reconciliation, linking to the data-quality report."""
    probs = ctx.dataset.problems
    n_rows = len(ctx.dataset.observations) + len(getattr(ctx.dataset, "periods", ()))
    rec = reconciliation(ctx)
    counts = rec["verdict"].value_counts().to_dict() if len(rec) else {}
    labels = VERDICT_LABELS[ctx.lang]
    verdicts = ", ".join(f"{n} {labels[v]}" for v, n in counts.items())
    text = ctx.w(
        f"Kiểm tra {n_rows} dòng số liệu: {len(probs)} vấn đề. "
        + (
            f"Đối chiếu {len(rec)} số liệu đã công bố: {verdicts}."
            if len(rec)
            else "Không có số liệu đã công bố để đối chiếu."
        ),
        f"{n_rows} data rows checked: {len(probs)} problem(s). "
        + (
            f"{len(rec)} published figures reconciled: {verdicts}."
            if len(rec)
            else "No published figures to reconcile."
        ),
    )
    more = ctx.w("Xem báo cáo chất lượng số liệu", "See the data-quality report")
    return Html(f'<p>{escape(text)} <a href="{escape(link)}">{more}</a>.</p>')


def problems_table(ctx: Context) -> Html:
    probs = ctx.dataset.problems
    if not len(probs):
        return Html(
            "<p>"
            + ctx.w(
                "Không có lỗi hay cảnh báo nào: mọi dòng số liệu đạt các quy tắc kiểm tra.",
                "No problem or warning: every data row passes the rules.",
            )
            + "</p>"
        )
    df = probs[
        ["file", "row", "column", "rule", "importance", "message_vi" if ctx.lang == "vi" else "message_en"]
    ].copy()
    df["importance"] = [level_words(v, ctx.lang) for v in df["importance"]]
    df.columns = [
        ctx.w(a, b)
        for a, b in [
            ("Tệp", "File"),
            ("Dòng", "Row"),
            ("Cột", "Column"),
            ("Quy tắc", "Rule"),
            ("Mức", "Level"),
            ("Nội dung", "Message"),
        ]
    ]
    return html_table(df)


LEVEL_WORDS = {
    "blocking": ("chặn — phải sửa trước khi lập báo cáo", "blocking — must be fixed before any report"),
    "warning": ("cảnh báo — nên xem lại", "warning — worth a look"),
}
OPERATOR_WORDS = {
    "<=": ("không được lớn hơn", "must not exceed"),
    "<": ("phải nhỏ hơn", "must be less than"),
    ">=": ("không được nhỏ hơn", "must be at least"),
    ">": ("phải lớn hơn", "must be greater than"),
    "==": ("phải bằng", "must equal"),
    "!=": ("phải khác", "must differ from"),
}


def level_words(importance: str, lang: str = "vi") -> str:
    """A rule's level in words: ``chặn`` (the data cannot be used) or ``cảnh báo``."""
    vi, en = LEVEL_WORDS.get(importance, (importance, importance))
    return vi if lang == "vi" else en


def rule_words(cat: Catalogue, rule, lang: str = "vi") -> str:
    """A validation rule written with the catalogue's names: ``Lượt đảng viên tham dự không được
    lớn hơn Số đảng viên phải tham dự`` instead of ``hn_luot_dv <= hn_dv_phai_du``."""

    def name(code: str) -> str:
        for look in (cat.element, cat.indicator):
            try:
                return look(code).name(lang)
            except (KeyError, LookupError, AttributeError):
                continue
        return code

    vi, en = OPERATOR_WORDS.get(rule.operator, (rule.operator, rule.operator))
    return (
        f"{name(rule.left)} {vi if lang == 'vi' else en} "
        f"{name(rule.right)[:1].lower() + name(rule.right)[1:]}"
    )


def rules_table(ctx: Context) -> Html:
    df = pd.DataFrame(
        [
            {
                ctx.w("Mã", "Id"): r.id,
                ctx.w("Quy tắc", "Rule"): rule_words(ctx.cat, r, ctx.lang),
                ctx.w("Mức", "Level"): level_words(r.importance, ctx.lang),
                ctx.w("Diễn giải", "Meaning"): r.description_vi if ctx.lang == "vi" else r.description_en,
            }
            for r in ctx.cat.rules
        ]
    )
    return html_table(df)


def reconciliation_block(ctx: Context) -> Html:
    rec = reconciliation(ctx)
    if not len(rec):
        return Html(
            "<p>"
            + ctx.w("Không có số liệu đã công bố cho đơn vị này.", "No published figures for this unit.")
            + "</p>"
        )
    table = reconciliation_table(rec, ctx.cat, ctx.lang)
    return html_table(table, numeric=list(table.columns[3:6]))


def reconciliation_narrative(ctx: Context) -> Html:
    rec = reconciliation(ctx)
    if not len(rec):
        return Html("")
    out = []
    for r in rec.itertuples():
        if r.verdict == "mismatch" or r.components_verdict == "mismatch":
            label = figure_label(ctx.cat, r.kind, r.code, r.category, ctx.lang)
            d = max(r.decimals, 0)
            if r.components_verdict == "mismatch":
                out.append(
                    ctx.w(
                        f"{r.id} ({label}, {r.period}): nguồn công bố {fmt.number(r.published, d)}, nhưng "
                        f"tổng các thành phần do chính nguồn công bố là {fmt.number(r.components_sum, d)} "
                        f"(chênh {fmt.number(r.published - r.components_sum, d)}); số liệu tính được là "
                        f"{fmt.number(r.computed, d)}.",
                        f"{r.id} ({label}, {r.period}): the source states "
                        f"{fmt.number(r.published, d, 'en')}, but its own components add up to "
                        f"{fmt.number(r.components_sum, d, 'en')} (gap "
                        f"{fmt.number(r.published - r.components_sum, d, 'en')}); the data give "
                        f"{fmt.number(r.computed, d, 'en')}.",
                    )
                )
            else:
                out.append(
                    ctx.w(
                        f"{r.id} ({label}, {r.period}): công bố {fmt.number(r.published, d)}, tính được "
                        f"{fmt.number(r.computed, d)}.",
                        f"{r.id} ({label}, {r.period}): published {fmt.number(r.published, d, 'en')}, "
                        f"computed {fmt.number(r.computed, d, 'en')}.",
                    )
                )
    n_round = int((rec["verdict"] == "rounding difference").sum())
    if n_round:
        out.append(
            ctx.w(
                f"{n_round} số liệu chỉ chênh do làm tròn (nguồn cắt bớt chữ số thay vì làm tròn).",
                f"{n_round} figure(s) differ only by rounding (the source truncates instead of rounding).",
            )
        )
    if not out:
        out.append(
            ctx.w(
                "Mọi số liệu đã công bố khớp với số liệu tính được.",
                "Every published figure matches the data.",
            )
        )
    return Html("<ul>" + "".join(f"<li>{escape(o)}</li>" for o in out) + "</ul>")


def footer(ctx: Context) -> Html:
    """Data date and a content hash of the inputs instead of the wall-clock time."""
    from baocao import __version__

    years = sorted(ctx.rows_used()["year"].unique())
    text = ctx.w(
        f"Số liệu đến năm {max(years)} · mã kiểm tra số liệu đầu vào {ctx.input_hash()} · baocao "
        f"{__version__}",
        f"Data up to {max(years)} · input check code {ctx.input_hash()} · baocao {__version__}",
    )
    return footer_html(text, ctx.lang)
