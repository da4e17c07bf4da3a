"""The context of a local report (district, commune, data quality): everything it shows,
computed once when it opens, with one memo (:meth:`~baocao.reports.kit.ReportContext.memo` for
this report, :meth:`~baocao.reports.kit.ReportContext.shared` for every report of the loaded
data set: a warm kernel opens many reports of one district on the same data).

:func:`make_context` opens it: the data set loaded once per process, checked, and the
district's frames (:func:`district_frames`: aggregates and indicators of the district and its
communes, by year and by period) computed once per data set.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from baocao import fmt
from baocao.data import provenance
from baocao.data.aggregate import (
    aggregate,
    aggregate_periods,
    coverage,
    indicator_coverage,
    indicators,
    period_coverage,
    period_indicators,
    period_total,
)
from baocao.data.observations import MIN_YEAR, max_year, period_label
from baocao.data.provenance import is_illustrative
from baocao.data.published import as_of as as_of_date
from baocao.data.published import is_inferred
from baocao.data.reconcile import observation_rows, reconcile, summarize
from baocao.data.units import Unit
from baocao.reports.kit import (
    PERIOD_KEYS,
    ROW_KEYS,
    Html,
    ReportContext,
    ReportError,
    canonical_csv,
    check_data,
    check_lang,
    check_year,
    esc,
    load_data,
    short_hash,
)
from baocao.reports.kit import memo as memo_on
from baocao.reports.local.marks import Fig, fig_html, figure_label, format_published, superscript


@dataclass(kw_only=True)
class Context(ReportContext):
    """Everything a local report shows, computed once when the report opens.

    A report covers one year (``year_from`` is None) or a period ``year_from``…``year``."""

    unit: Unit
    district: Unit
    year: int
    agg: pd.DataFrame
    communes: list = field(default_factory=list)
    compare: str = "ty_le_dv_tham_du"
    year_from: int | None = None
    period_agg: pd.DataFrame = field(default_factory=pd.DataFrame)
    period_ind: pd.DataFrame = field(default_factory=pd.DataFrame)
    # published row id -> footnote number, in the order the report first shows them
    notes: dict = field(default_factory=dict)
    # the marks the page has shown so far (keys of baocao.data.provenance.LEGEND_KEYS): its legend
    shown: set = field(default_factory=set)

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

    def illustrative_value(
        self, code: str, unit: str | None = None, year: int | None = None, category: str = ""
    ) -> bool:
        """Whether the indicator's value is computed from illustrative (generated) rows."""
        if "illustrative" not in self.ind:
            return False
        return bool(self.cell("illustrative", code, unit, year, category, False))

    # ------------------------------------------------------------ published figures and provenance

    @property
    def published(self) -> pd.DataFrame:
        """Published rows of the report's district (and of the unit, for a commune)."""

        def rows() -> pd.DataFrame:
            pub = self.dataset.published
            if not len(pub):
                return pub
            return pub[pub["unit"].astype(str).isin({self.district.code, self.unit.code})]

        return self.memo(("published",), rows)

    def _pub_index(self) -> dict:
        def index() -> dict:
            out = {}
            for r in self.published.itertuples(index=False):
                cat = "" if pd.isna(r.category) else str(r.category)
                out.setdefault((str(r.unit), int(r.year_from), int(r.year_to), r.figure_type, r.code, cat), r)
            return out

        return self.memo(("published index",), index)

    def published_row(
        self,
        figure_type: str,
        code: str,
        unit: str,
        year_from: int,
        year_to: int,
        category: str = "",
        *,
        as_of: bool = False,
    ):
        """The published row for exactly this figure (``figure_type``: ``indicator`` or
        ``element``, the ``figure_type`` column of ``published.csv``), or None. A total over
        categories with a single category in the data is that category's figure (e.g. 2022 has
        one topic). A figure the source gives "to a date" (``as_of``: funds active, money raised to
        date) is not a year's value: it is found only when ``as_of`` is asked for, or for a
        period of several years (the whole-term topic so far)."""
        index = self._pub_index()
        hit = index.get((str(unit), int(year_from), int(year_to), figure_type, code, category))
        if hit is None and figure_type == "indicator" and category == "" and year_from == year_to:
            cats = self._categories().get((code, str(unit), int(year_to)), ())
            if len(cats) == 1:
                hit = index.get((str(unit), int(year_from), int(year_to), figure_type, code, cats[0]))
        if hit is not None and year_from == year_to and bool(as_of_date(hit)) != as_of:
            return None
        return hit

    def as_of_rows(self, unit: str | None = None) -> list:
        """The published rows of the unit that the source gives "to a date" (a stock, or a running
        total) dated within the report's year or period, in their order in ``published.csv``."""
        unit = str(unit or self.district.code)
        return [
            r
            for r in self.published.itertuples(index=False)
            if str(r.unit) == unit
            and as_of_date(r)
            and int(r.year_from) == int(r.year_to)
            and self.first_year <= int(as_of_date(r)[:4]) <= self.year
        ]

    def _categories(self) -> dict:
        """(indicator, unit, year) -> the categories (not "") it has values for, sorted: one pass
        over the indicators instead of a filter per figure; the same for every report of the
        district."""

        def categories() -> dict:
            d = self.ind
            d = d[d["category"] != ""]
            out: dict = {}
            for k, cat in zip(zip(d["indicator"], d["unit"], d["year"]), d["category"]):
                out.setdefault(k, set()).add(cat)
            return {k: sorted(v) for k, v in out.items()}

        return self.shared(
            ("categories", self.district.code, tuple(u.code for u in self.communes)), categories
        )

    def _reconciliation(self) -> pd.DataFrame:
        """Every published row of the district reconciled once (the same for every report of the
        district with the same published rows): the one computation the page's banner,
        data-quality section, data-quality report and footnotes all read."""

        def frame() -> pd.DataFrame:
            ds = self.dataset
            return reconcile(
                self.published,
                self.agg,
                self.cat,
                self.period_agg,
                rows=observation_rows(self.rows_used(), self.periods_used()),
                registry=ds.registry,
                sources=getattr(ds, "sources", {}),
            )

        return self.shared(
            ("reconciliation", self.district.code, tuple(self.published.index), self.year), frame
        )

    @property
    def reconciled(self) -> dict:
        """The reconciliation of every published row of the district, by id."""
        if not len(self.published):
            return {}
        return {r.id: r for r in self._reconciliation().itertuples(index=False)}

    def page_published(self) -> pd.DataFrame:
        """The district's published rows a page of the year or period accounts for: a year report,
        every figure dated up to its year (a year or period ended by then) and those of a period
        still running after the last year with data (the whole-term topic); a period report, every figure
        whose period or date falls in it. The same rows for every kind of report of the district
        and year (district, commune, data quality): its yearly tables and charts show the years up
        to the report's."""

        def rows() -> pd.DataFrame:
            pub = self.published
            if not len(pub):
                return pub
            y0, y1 = pub["year_from"].astype(int), pub["year_to"].astype(int)
            last = int(max(self.ind["year"])) if len(self.ind) else self.year  # the last year with data
            if self.is_period:
                keep = (y0 <= self.year) & (y1 >= self.first_year)
            else:
                keep = (y1 <= self.year) | ((y0 <= self.year) & (y1 > last))
            pub = pub[keep & (pub["unit"].astype(str) == self.district.code)]
            order = sorted(
                range(len(pub)), key=lambda i: (int(pub["year_to"].iloc[i]), -int(pub["year_from"].iloc[i]))
            )
            return pub.iloc[order]

        return self.memo(("page published",), rows)

    def page_reconciliation(self) -> pd.DataFrame:
        """The reconciliation of :meth:`page_published`, in their order (rows of the one frame)."""

        def rows() -> pd.DataFrame:
            if not len(self.published):
                return pd.DataFrame()
            ids = list(self.page_published()["id"])
            rec = self._reconciliation()
            return rec[rec["id"].isin(ids)].reset_index(drop=True)

        return self.memo(("page reconciliation",), rows)

    def page_counts(self) -> dict:
        """The counts the page says about its published figures (:func:`~baocao.data.reconcile.summarize`
        of :meth:`page_reconciliation`): one computation, so one page never shows two counts."""

        def counts() -> dict:
            rec = self.page_reconciliation()
            return summarize(rec) if len(rec) else summarize(pd.DataFrame(columns=["id"]))

        return self.memo(("page counts",), counts)

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
        figure_type: str = "indicator",
    ) -> Fig:
        """An indicator (or element) value with its provenance; the published text when a published row covers
        it.
        """
        unit = str(unit or self.unit.code)
        year = int(year or self.year)
        y0 = int(year_from) if year_from is not None else year
        about = self.about(figure_type, code, unit, y0, year, category)
        row = self.published_row(figure_type, code, unit, y0, year, category)
        if row is not None:
            return self.published_figure(row, with_unit, about)
        if y0 != year:
            value, ill = self.span_value(code, unit, y0, year, category)
        elif figure_type == "element":
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
        if figure_type == "element":
            el = self.cat.element(code)
            text = (
                fmt.with_unit(value, el.unit(self.lang), el.decimals, self.lang)
                if with_unit
                else fmt.number(value, el.decimals, self.lang)
            )
        else:
            text = self.fmt(code, value, with_unit)
        partial = "" if np.isnan(value) else self.coverage_text(figure_type, code, unit, y0, year, category)
        return Fig(text, provenance.provenance_of(ill), None, value, about, coverage=partial)

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
        about = self.about("indicator", code, unit, year_from, year_to, category)
        row = self.published_row("indicator", code, unit, year_from, year_to, category)
        if row is not None:
            return self.published_figure(row, with_unit, about)
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
        partial = (
            ""
            if np.isnan(value)
            else self.coverage_words(
                *self.period_reporting("indicator", code, unit, year_from, year_to, category)
            )
        )
        return Fig(
            self.fmt(code, value, with_unit),
            provenance.provenance_of(ill),
            None,
            value,
            about,
            coverage=partial,
        )

    # ------------------------------------------------------------ coverage: who reported

    def year_coverage(self, year: int) -> dict:
        """Coverage of the district and each commune in ``year`` (:func:`~baocao.data.aggregate.coverage`
        and :func:`~baocao.data.aggregate.indicator_coverage`): ``(unit, "element" | "indicator", code,
        category) -> (expected, missing)``. The same for every report of the district: computed once
        per data set and year."""

        def compute() -> dict:
            units = [self.district.code, *(u.code for u in self.communes)]
            obs = self.dataset.observations
            obs = obs[obs["unit"].isin(units) & (obs["year"] == int(year))]
            cov = coverage(obs, self.cat, self.dataset.registry, units, [int(year)])
            return _coverage_index(cov, indicator_coverage(cov, self.cat))

        return self.shared(("coverage", self.district.code, int(year)), compute)

    def periods_coverage(self) -> dict:
        """Coverage of the values reported for periods of several years, keyed as
        :meth:`year_coverage` with ``year_from`` and ``year_to`` after the category."""

        def compute() -> dict:
            units = [self.district.code, *(u.code for u in self.communes)]
            per = getattr(self.dataset, "periods", None)
            per = per[per["unit"].isin(units)] if per is not None and len(per) else pd.DataFrame()
            cov = period_coverage(per, self.cat, self.dataset.registry, units)
            return _coverage_index(cov, indicator_coverage(cov, self.cat), period=True)

        return self.shared(("period coverage", self.district.code), compute)

    def reporting(
        self, figure_type: str, code: str, unit: str, year_from: int, year_to: int, category: str = ""
    ) -> tuple[tuple, tuple]:
        """``(expected, missing)``: the units expected to report the figure and those that did not,
        over the years ``year_from``…``year_to`` (a unit missing in any year is missing) and, over
        several years, the period values a total of the span adds (:func:`period_total`)."""
        expected: dict = {}
        missing: dict = {}
        for y in range(int(year_from), int(year_to) + 1):
            e, m = self.year_coverage(y).get((str(unit), figure_type, code, category), ((), ()))
            expected.update(dict.fromkeys(e))
            missing.update(dict.fromkeys(m))
        if year_from != year_to:
            for (u, kind, c, cat, a, b), (e, m) in self.periods_coverage().items():
                if (
                    (u, kind, c, cat) == (str(unit), figure_type, code, category)
                    and a <= year_to
                    and b >= year_from
                ):
                    expected.update(dict.fromkeys(e))
                    missing.update(dict.fromkeys(m))
        return tuple(expected), tuple(missing)

    def period_reporting(
        self, figure_type: str, code: str, unit: str, year_from: int, year_to: int, category: str = ""
    ) -> tuple[tuple, tuple]:
        """``(expected, missing)`` of a value reported for the period ``year_from``…``year_to`` itself."""
        return self.periods_coverage().get(
            (str(unit), figure_type, code, category, int(year_from), int(year_to)), ((), ())
        )

    def coverage_words(self, expected: tuple, missing: tuple) -> str:
        """How many of the expected units reported, when some did not: ``12/13 xã báo cáo`` (``12 of
        13 communes reported``), and ``chưa có số của cấp huyện`` when the district's own value
        (its health centre's doctors) is missing; ``""`` when every expected unit reported."""
        if not missing:
            return ""
        reg = self.dataset.registry
        communes = [u for u in expected if reg.unit(u).level == "commune"]
        parts = []
        if communes:
            done = len(communes) - sum(u in missing for u in communes)
            parts.append(
                self.in_lang(
                    f"{done}/{len(communes)} xã báo cáo", f"{done} of {len(communes)} communes reported"
                )
            )
        if any(reg.unit(u).level != "commune" for u in missing):
            parts.append(self.in_lang("chưa có số của cấp huyện", "the district's own figure is missing"))
        return "; ".join(parts)

    def coverage_text(
        self, figure_type: str, code: str, unit: str, year_from: int, year_to: int, category: str = ""
    ) -> str:
        """:meth:`coverage_words` of :meth:`reporting`: ``""`` for a complete figure."""
        return self.coverage_words(*self.reporting(figure_type, code, unit, year_from, year_to, category))

    def complete(self, f: Fig) -> bool:
        """Whether a figure may be judged, ranked or called the unit's: it has a value and every unit
        expected to report it did (a published figure is the source's own statement)."""
        return not np.isnan(f.value) and not f.coverage

    def published_figure(self, row, with_unit: bool = False, about: tuple | None = None) -> Fig:
        """A published row as a figure: exactly as published, inferred when its period, date or
        unit is ours (the reason is in its footnote)."""
        if about is None:
            category = "" if pd.isna(row.category) else str(row.category)
            about = self.about(
                row.figure_type, row.code, str(row.unit), int(row.year_from), int(row.year_to), category
            )
        return Fig(
            format_published(self.cat, row, self.lang, with_unit),
            "published",
            row.id,
            float(row.value),
            about,
            inferred=is_inferred(row),
        )

    def about(
        self, figure_type: str, code: str, unit: str, year_from: int, year_to: int, category: str = ""
    ) -> tuple:
        """What a figure is, as ``data-*`` attributes of its span (:func:`fig_html`): unit code and name,
        period (``2024``, ``2021-2025``), element or indicator code and name, category, unit of measure.
        The tables' CSV and Excel files are made from them (:mod:`baocao.export.blocks`)."""
        item = self.cat.indicator(code) if figure_type == "indicator" else self.cat.element(code)
        units = {u.code: u for u in (self.district, self.unit, *self.communes)}
        out = [
            ("unit", unit),
            ("unit-name", units[unit].label(self.lang) if unit in units else ""),
            ("period", str(year_to) if year_from == year_to else f"{year_from}-{year_to}"),
            ("code", code),
            ("name", figure_label(self.cat, figure_type, code, category, self.lang)),
            ("category", category),
            ("measure", item.unit(self.lang)),
        ]
        return tuple((k, v) for k, v in out if v)

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

    def saw(self, f: Fig) -> None:
        """Remember the marks a figure shown on the page carries (the page's legend lists those)."""
        self.shown.add(f.provenance)
        if f.inferred:
            self.shown.add("inferred")

    def show(self, f: Fig) -> Html:
        """A figure as HTML with its visible provenance mark (a superscript: footnote number, ``mh`` or
        ``t``; ``s`` after the number when its period or date is ours).
        """
        self.saw(f)
        return fig_html(f, self.lang, self.footnote(f.pub_id) if f.pub_id else None)

    def show_pair(self, a: Fig, b: Fig, unit: str = "") -> Html:
        """``4.530/4.560`` or ``54/67 trường`` as the source writes it: one span, both marks after it
        when both are published; otherwise each figure with its own mark."""
        if a.pub_id and b.pub_id:
            both = Fig(
                f"{a.text}/{b.text}" + (f" {unit}" if unit else ""),
                "published",
                f"{a.pub_id} {b.pub_id}",
                inferred=a.inferred or b.inferred,
            )
            notes = [self.footnote(a.pub_id), self.footnote(b.pub_id)]
            self.saw(both)
            return fig_html(both, self.lang, None, notes)
        return Html(f"{self.show(a)}/{self.show(b)}" + (f" {esc(unit)}" if unit else ""))

    def marked(self, f: Fig) -> str:
        """A figure as plain text with its mark in Unicode superscript (chart labels)."""
        self.saw(f)
        m = provenance.mark(f.provenance, self.lang, self.footnote(f.pub_id) if f.pub_id else None)
        return f.text + superscript(m + ("," + provenance.MARKS[self.lang]["inferred"] if f.inferred else ""))

    # ------------------------------------------------------------ the rows the report reads

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
        """Short hash of the rows of :meth:`rows_used` and :meth:`periods_used` (their canonical CSV,
        :func:`district_rows`)."""
        rows, periods = district_rows(self.dataset, self.district.code, self.year)
        return short_hash(rows + periods)


def _coverage_index(cov: pd.DataFrame, icov: pd.DataFrame, period: bool = False) -> dict:
    """Element and indicator coverage as one look-up: ``(unit, "element" | "indicator", code,
    category[, year_from, year_to]) -> (expected, missing)``."""
    out = {}
    for kind, frame, col in (("element", cov, "element"), ("indicator", icov, "indicator")):
        extra = [frame["year_from"], frame["year_to"]] if period else []
        for unit, code, cat, expected, missing, *span in zip(
            frame["unit"], frame[col], frame["category"], frame["expected"], frame["missing"], *extra
        ):
            out[(str(unit), kind, code, cat, *(int(v) for v in span))] = (expected, missing)
    return out


def district_rows(ds, district_code: str, year: int) -> tuple[str, str]:
    """The observation rows and the period rows of a district and its communes up to ``year``, as
    canonical CSV (:func:`~baocao.reports.kit.canonical_csv`; "" when there are no period rows):
    what every report of the district and year reads. Made once per loaded data set; the input
    check code of its pages and the builder's input fingerprint are hashes of them."""

    def texts() -> tuple[str, str]:
        scope = {district_code, *(c.code for c in ds.registry.children(district_code))}
        obs = ds.observations
        rows = obs[obs["unit"].isin(scope) & (obs["year"] <= int(year))]
        per = getattr(ds, "periods", None)
        per = (
            per[per["unit"].isin(scope) & (per["year_from"] <= int(year))]
            if per is not None and len(per)
            else pd.DataFrame()
        )
        return canonical_csv(rows, ROW_KEYS), canonical_csv(per, PERIOD_KEYS) if len(per) else ""

    return memo_on(ds, ("district rows", district_code, int(year)), texts)


def find_unit(ds, query, level: str) -> Unit:
    """The unit a parameter names (code or name), or a :class:`ReportError` naming the candidates."""
    try:
        return ds.registry.get(query, level=level)
    except LookupError as exc:
        raise ReportError(str(exc)) from None


def open_district_report(kind: str, district, year, lang, data_dir: str, year_from, **fields) -> Context:
    """The opener of a report of ``kind`` on a district (the district and data-quality reports): the
    notebook's parameters checked, for ``year`` or the period ``year_from``…``year`` (``year_from``
    0: one year); ``fields``: the kind's own (``compare``)."""
    ds = load_data(data_dir)
    d = find_unit(ds, district, "district")
    y0 = check_year(year_from) if year_from not in (0, "0", "", None) else None
    return make_context(
        kind,
        unit=d,
        district=d,
        year=check_year(year),
        lang=check_lang(lang),
        data_dir=data_dir,
        year_from=y0,
        dataset=ds,
        **fields,
    )


def make_context(
    kind: str,
    *,
    unit: Unit,
    district: Unit,
    year: int,
    lang: str,
    data_dir: str,
    compare: str = "ty_le_dv_tham_du",
    year_from: int | None = None,
    dataset=None,
) -> Context:
    """The context of a local report of ``kind`` on ``unit`` (of ``district``) for ``year`` (or
    the period ``year_from``…``year``), with clear errors for a year no data can have (before
    1990, after this year), a bad period or an unknown indicator to compare. A year without any row
    opens: the report says that nothing was reported (data arrive late; 0 of 13 communes is a
    reporting rate too). ``dataset``: the data set of ``data_dir`` when the opener has loaded it."""
    ds = dataset if dataset is not None else load_data(data_dir)
    check_data(ds)
    communes, years, agg, ind, period_agg, period_ind = district_frames(ds, district.code)
    have = ", ".join(str(y) for y in years) or "không có / none"
    for y in (year, year_from):
        if y is not None and not MIN_YEAR <= y <= max_year():
            raise ReportError(
                f"Năm {y} không thể có số liệu (từ {MIN_YEAR} đến {max_year()}) / no data can exist for {y} "
                f"({MIN_YEAR}–{max_year()}); năm có số liệu của {district.name} / years with data: {have}"
            )
    if year_from is not None and year_from > year:
        raise ReportError(f"Kỳ báo cáo không hợp lệ / invalid period: year_from {year_from} > year {year}")
    if compare not in ds.catalogue.indicators:
        close = difflib.get_close_matches(compare, list(ds.catalogue.indicators), n=1)
        raise ReportError(
            f"Chỉ số so sánh lạ '{compare}' / unknown indicator '{compare}'"
            + (f"; có phải '{close[0]}'?" if close else "")
        )
    return Context(
        kind=kind,
        lang=lang,
        dataset=ds,
        ind=ind.copy(),
        unit=unit,
        district=district,
        year=year,
        agg=agg.copy(),
        communes=communes,
        compare=compare,
        year_from=year_from if year_from is not None and year_from < year else None,
        period_agg=period_agg.copy(),
        period_ind=period_ind.copy(),
    )


def district_frames(ds, district_code: str) -> tuple:
    """Communes, years with data, aggregates and indicators of a district and its communes, for
    the years and for the periods of several years (never mixed).

    The same for every report of the district (its commune reports rank every commune), so
    they are computed once per loaded data set."""

    def frames() -> tuple:
        communes = ds.registry.children(district_code)
        scope = [district_code, *(u.code for u in communes)]
        obs = ds.observations[ds.observations["unit"].isin(scope)]
        agg = aggregate(obs, ds.catalogue, ds.registry, scope)
        per = getattr(ds, "periods", None)
        per = per[per["unit"].isin(scope)] if per is not None and len(per) else pd.DataFrame()
        period_agg = aggregate_periods(per, ds.catalogue, ds.registry, scope)
        return (
            communes,
            sorted(obs["year"].unique()),
            agg,
            indicators(agg, ds.catalogue),
            period_agg,
            period_indicators(period_agg, ds.catalogue),
        )

    communes, years, agg, ind, period_agg, period_ind = memo_on(
        ds, ("district frames", district_code), frames
    )
    return list(communes), years, agg, ind, period_agg, period_ind
