"""The ``province_2025_report`` notebook: a province of the 2025 list compiling its communes for a
year from 2025 — who has reported, the campaign and socio-economic indicators over the communes
that have, their ranks and map, the history carried across 1 July 2025, and what published or GSO
figures there are to compare with. One function per cell.

A province figure here is compiled from the communes that reported: with ``90/102`` of them it is
said to be theirs, never the province's as if complete (:mod:`baocao.reports.two_level.coverage`).
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from baocao import fmt
from baocao.data import provenance, unit_lists
from baocao.data.observations import period_label
from baocao.data.published import inference
from baocao.data.reconcile import observation_rows, reconcile
from baocao.data.units import legacy
from baocao.reports import kit
from baocao.reports.kit import (
    BASIS_WORDS,
    VERDICT_LABELS,
    Chart,
    Html,
    ReportError,
    cards_html,
    check_lang,
    check_year,
    esc,
    html_table,
    title_html,
)
from baocao.reports.two_level import coverage, reform
from baocao.reports.two_level.context import (
    HISTORY,
    TwoLevelContext,
    check_year_2025,
    folder_path,
    frames,
    open_data,
    resolve,
)

open_report = kit.open_report  # the notebook's first call (the same for every report family)

__all__ = [
    "chart_map",
    "chart_ranked",
    "coverage_table",
    "footer",
    "headline",
    "history_table",
    "indicator_table",
    "open_report",
    "published",
    "ranking_table",
    "title_block",
]

HEADLINE = ["ty_le_dv_tham_du", "thu_nhap_bq", "ty_le_ho_ngheo", "ty_le_truong_chuan"]
CAMPAIGN = ["hn_so", "hn_luot_dv", "ty_le_dv_tham_du"]
SOCIO = ["thu_nhap_bq", "ty_le_ho_ngheo", "ty_le_truong_chuan", "bac_si_van_dan", "so_xa_ntm"]
WELFARE = [
    "quy_khuyen_hoc_so",
    "quy_khuyen_hoc_tien",
    "quy_vi_nguoi_ngheo_tien",
    "mai_am_tinh_thuong",
    "doi_thoai_so",
    "doi_thoai_dai_bieu",
    "khen_thuong_tap_the",
    "khen_thuong_ca_nhan",
]
SECTIONS = {"campaign": CAMPAIGN, "socio": SOCIO, "welfare": WELFARE}
MAP_LABELS = 5  # a map of more than twice as many communes names only the 5 highest and the 5 lowest


@dataclass(kw_only=True)
class ProvinceContext(TwoLevelContext):
    """A 2025 province and its communes (``communes``, in the list's order) for ``year``."""

    communes: list = field(default_factory=list)
    compare: str = "ty_le_dv_tham_du"

    @property
    def codes(self) -> list[str]:
        return [u.code for u in self.communes]

    @property
    def names(self) -> dict[str, str]:
        return {u.code: u.short for u in self.communes}

    def expected(self, code: str | None = None) -> list:
        """The communes expected to report the indicator ``code`` (every one when None): those of a
        type that reports its elements (:func:`~baocao.reports.two_level.coverage.expected_units`)."""
        if code is None:
            return self.communes
        elements = coverage.elements_of(self.cat, code)
        return self.memo(
            ("expected", code), lambda: coverage.expected_units(self.rows, self.communes, elements)
        )

    def reporting(self, year: int | None = None, code: str | None = None) -> list[str]:
        """The expected communes that reported ``year`` (default: the report's) — every element of the
        indicator ``code`` when given."""
        elements = coverage.elements_of(self.cat, code) if code else None
        codes = [u.code for u in self.expected(code)]
        key = ("reporting", year or self.year, code)
        return self.memo(key, lambda: coverage.reporting_units(self.rows, codes, year or self.year, elements))

    def share(self, year: int | None = None, code: str | None = None) -> str:
        """``90/102``: how many of the expected communes reported."""
        n, of = len(self.reporting(year, code)), len(self.expected(code))
        return f"{fmt.number(n, 0, self.lang)}/{fmt.number(of, 0, self.lang)}"

    def complete(self, year: int | None = None, code: str | None = None) -> bool:
        return len(self.reporting(year, code)) == len(self.expected(code))


def open_province_2025(
    province: str = "An Giang",
    year: int = 2026,
    lang: str = "vi",
    data_dir: str = "data/an_giang_2025",
    compare: str = "ty_le_dv_tham_du",
) -> ProvinceContext:
    """A 2025 province's report for ``year`` from the data folder of the 2025 list ``data_dir``."""
    lang, year = check_lang(lang), check_year(year)
    ds, history, shown = open_data(data_dir)
    unit = resolve(ds.registry, province, "province")
    communes = ds.registry.children(unit.code)
    scope = [unit.code, *(u.code for u in communes)]
    obs = ds.observations
    if not obs["unit"].isin(set(scope)).any():
        raise ReportError(
            f"{shown} không có số liệu nào của {unit.name} ({unit.code}) / {shown} holds no data of "
            f"{unit.label('en')} ({unit.code})"
        )
    if compare not in ds.catalogue.indicators:
        close = difflib.get_close_matches(compare, list(ds.catalogue.indicators), n=1)
        raise ReportError(
            f"Chỉ số so sánh lạ '{compare}' / unknown indicator '{compare}'"
            + (f"; có phải '{close[0]}'? / did you mean '{close[0]}'?" if close else "")
        )
    reported = check_year_2025(ds, year, shown)
    agg, ind = frames(ds, history)
    olds = {o for u in communes for o in reform.old_communes(u.code)}
    inside = ind["unit"].isin(set(scope)) & (ind["year"] <= year)
    return ProvinceContext(
        kind="province_2025",
        lang=lang,
        dataset=ds,
        ind=ind[inside].reset_index(drop=True),
        unit=unit,
        year=year,
        history=history,
        agg=agg[agg["unit"].isin(set(scope)) & (agg["year"] <= year)].reset_index(drop=True),
        reported=reported,
        data_dir=shown,
        rows=obs[obs["unit"].isin(set(scope)) & (obs["year"] <= year)],
        old_rows=history.rows[history.rows["unit"].isin(olds)],
        communes=communes,
        compare=compare,
    )


def units_word(ctx: ProvinceContext) -> str:
    """``xã, phường, đặc khu`` — the kinds of unit the province has."""
    types = {u.type for u in ctx.communes}
    vi = ", ".join(t.lower() for t in ("Xã", "Phường", "Đặc khu") if t in types) or "xã"
    return ctx.in_lang(vi, "communes")


def report_title(ctx: ProvinceContext) -> str:
    return ctx.in_lang(
        f"{ctx.unit.name} — tổng hợp các {units_word(ctx)} năm {ctx.year}",
        f"{ctx.unit.label('en')} — its communes compiled, {ctx.year}",
    )


def summary(ctx: ProvinceContext) -> dict:
    code = "ty_le_dv_tham_du"
    value = ctx.value(code, year=ctx.year)
    shown = ctx.fmt(code, value) if not np.isnan(value) else "–"
    headline, marks = ctx.index_marks(
        [
            [ctx.in_lang(f"Đơn vị báo cáo {ctx.year}", f"Units reporting {ctx.year}"), ctx.share(), False],
            [f"{ctx.cat.indicator(code).short(ctx.lang)} {ctx.year}", shown, not np.isnan(value)],
        ]
    )
    return {"title": report_title(ctx), "headline": headline, "marks": marks}


def banner(ctx: ProvinceContext) -> str:
    return ctx.illustrative_banner(
        ctx.illustrative,
        "Số liệu các xã, phường trong báo cáo này được sinh tự động để minh họa (không phải số liệu "
        "thật); mọi số liệu tổng hợp từ đó cũng chỉ là minh họa.",
        "The communes' figures in this report are generated for illustration (not real data), so every "
        "figure compiled from them is illustrative too.",
    )


def title_block(ctx: ProvinceContext) -> Html:
    meta = (
        f"<strong>{ctx.in_lang('Đơn vị', 'Unit')}:</strong> {esc(ctx.unit.name)} "
        f"({ctx.in_lang('mã', 'code')} {esc(ctx.unit.code)}, "
        f"{ctx.in_lang('danh mục từ 1/7/2025', 'unit list from 1 July 2025')}), "
        f"{fmt.number(len(ctx.communes), 0, ctx.lang)} {esc(units_word(ctx))} · "
        f"<strong>{ctx.in_lang('Năm báo cáo', 'Year')}:</strong> {ctx.year}"
    )
    return Html(
        title_html(report_title(ctx), meta)
        + banner(ctx)
        + reform.reform_note(ctx)
        + kit.sources_html(ctx.in_lang("Nguồn số liệu", "Data sources"), ctx.sources())
    )


# ------------------------------------------------------------------ coverage


def coverage_table(ctx: ProvinceContext) -> Html:
    """``90/102 xã, phường báo cáo`` for the year, who has not reported (by name and code), and the
    coverage of each year the report shows; what a figure compiled from part of the communes is."""
    have = ctx.reporting()
    missing = [u for u in ctx.communes if u.code not in set(have)]
    lead = ctx.in_lang(
        f"Năm {ctx.year}: {ctx.share()} {units_word(ctx)} báo cáo.",
        f"{ctx.year}: {ctx.share()} communes reported.",
    )
    if missing:
        names = ", ".join(f"{u.name} ({u.code})" for u in missing)
        lead += ctx.in_lang(
            f" Chưa báo cáo ({fmt.number(len(missing), 0, 'vi')}): {names}. Số liệu của tỉnh dưới đây chỉ "
            f"tổng hợp các đơn vị đã báo cáo, không phải số liệu toàn tỉnh, và không được đánh giá như số "
            "liệu đầy đủ.",
            f" Not reported ({len(missing)}): {names}. The province's figures below are compiled from the "
            "communes that reported, not the whole province's, and are not judged as if complete.",
        )
    else:
        lead += ctx.in_lang(" Mọi đơn vị đã báo cáo.", " Every commune reported.")
    partial = [
        code
        for code in [*CAMPAIGN, *SOCIO, *WELFARE]
        if not set(ctx.reporting()) & {u.code for u in ctx.expected(code)} <= set(ctx.reporting(code=code))
    ]
    if partial:
        lead += ctx.in_lang(
            " Một số đơn vị đã báo cáo nhưng thiếu số liệu của: ",
            " Some communes that reported lack the figures of: ",
        ) + "; ".join(f"{ctx.cat.indicator(c).short(ctx.lang)} ({ctx.share(code=c)})" for c in partial)
        lead += "."
    label = ctx.in_lang("Năm", "Year")
    rows = [
        {
            label: str(y),
            ctx.in_lang("Đã báo cáo", "Reported"): ctx.share(y),
            ctx.in_lang("Chưa báo cáo", "Not reported"): fmt.number(
                len(ctx.communes) - len(ctx.reporting(y)), 0, ctx.lang
            ),
        }
        for y in ctx.reported
    ]
    return Html(f"<p>{esc(lead)}</p>" + html_table(pd.DataFrame(rows), numeric=list(rows[0])[1:]))


# ------------------------------------------------------------------ figures over the communes


def headline(ctx: ProvinceContext, codes: list[str] | None = None) -> Html:
    """The year's compiled figures as cards, each saying how many communes it is compiled from."""
    cards = []
    for code in codes or HEADLINE:
        value = ctx.value(code, year=ctx.year)
        if np.isnan(value):
            continue
        label = f"{ctx.cat.indicator(code).short(ctx.lang)} {ctx.year}"
        if not ctx.complete(code=code):
            label += ctx.in_lang(f" · {ctx.share(code=code)} đơn vị", f" · {ctx.share(code=code)} communes")
        cards.append((label, ctx.fmt(code, value), ""))
    return cards_html(cards)


def indicator_table(ctx: ProvinceContext, section: str = "campaign") -> Html:
    """The section's indicators (``campaign``, ``socio``, ``welfare``) compiled over the communes, one
    column per year shown, and how many communes each year's figure is compiled from."""
    codes = SECTIONS[section]
    label = ctx.in_lang("Chỉ tiêu", "Indicator")
    rows = []
    for code in codes:
        vals = {y: ctx.value(code, year=y) for y in ctx.reported}
        if all(np.isnan(v) for v in vals.values()):
            continue
        row = {label: reform.row_label(ctx, code)}
        for y, v in vals.items():
            row[str(y)] = reform.value_text(ctx, code, v) or "–"
            row[ctx.in_lang(f"Đơn vị có số liệu {y}", f"Communes with data {y}")] = ctx.share(y, code)
        rows.append(row)
    if not rows:
        return Html(f"<p>{esc(ctx.in_lang('Chưa đơn vị nào báo cáo.', 'No commune has reported.'))}</p>")
    df = pd.DataFrame(rows)
    cap = ctx.in_lang(
        f"Tổng hợp các {units_word(ctx)} đã báo cáo (cột “Đơn vị có số liệu”); tỷ lệ tính sau khi cộng tử số "
        "và mẫu số (tỷ số của các tổng).",
        "Compiled over the communes that reported (column “Communes with data”); rates are computed after "
        "summing numerators and denominators (ratio of sums).",
    )
    if section == "socio":
        cap += ctx.in_lang(
            " Bác sĩ gồm cả bác sĩ của các bệnh viện tỉnh, ghi cho tỉnh.",
            " Doctors include those of the provincial hospitals, recorded for the province.",
        )
    return html_table(df, numeric=list(df.columns[1:]), caption=cap)


# ------------------------------------------------------------------ ranks and map


def commune_values(ctx: ProvinceContext, code: str) -> pd.DataFrame:
    """Every commune's value of ``code`` for the year: code, label, lat, lon, value, rank (over the
    communes with a value; see :func:`baocao.reports.two_level.coverage.ranks`)."""

    def compute() -> pd.DataFrame:
        d = ctx.ind[
            (ctx.ind["indicator"] == code) & (ctx.ind["year"] == ctx.year) & (ctx.ind["category"] == "")
        ]
        vals = d.set_index("unit")["value"]
        df = pd.DataFrame(
            {
                "code": ctx.codes,
                "label": [u.short for u in ctx.communes],
                "lat": [u.lat for u in ctx.communes],
                "lon": [u.lon for u in ctx.communes],
                "value": [float(vals.get(c, np.nan)) for c in ctx.codes],
            }
        )
        ind = ctx.cat.indicator(code)
        df["rank"] = coverage.ranks(df["value"], ind.direction, ind.decimals)
        return df

    return ctx.memo(("commune values", code), compute).copy()


def not_ranked_words(ctx: ProvinceContext, code: str, df: pd.DataFrame) -> str:
    """Why there is no rank (no direction, too few communes with data), or ``""``."""
    ind = ctx.cat.indicator(code)
    n = int(df["value"].notna().sum())
    if ind.direction is None:
        return ctx.in_lang(
            f"{ind.name('vi')}: chỉ tiêu không có chiều tốt/xấu trong danh mục, nên không xếp hạng.",
            f"{ind.name('en')}: the catalogue gives no direction (better higher or lower), so no ranks.",
        )
    if n < coverage.MIN_RANKED:
        return ctx.in_lang(
            f"{ind.name('vi')}: chỉ {n} đơn vị có số liệu năm {ctx.year}, dưới {coverage.MIN_RANKED}: không "
            "xếp hạng.",
            f"{ind.name('en')}: only {n} communes have {ctx.year} data, fewer than {coverage.MIN_RANKED}: no "
            "ranks.",
        )
    return ""


def ranking_table(ctx: ProvinceContext, code: str | None = None) -> Html:
    """The communes ranked by ``code`` (default: ``compare``) over those with data, ties as ties
    (``đồng hạng``); those without data listed apart, unranked."""
    code = code or ctx.compare
    ind = ctx.cat.indicator(code)
    df = commune_values(ctx, code)
    have = df[df["value"].notna()]
    why = not_ranked_words(ctx, code, df)
    n = len(have)
    order = have.sort_values(["rank", "label"], na_position="last", kind="stable") if not why else have
    rank_col, unit_col = ctx.in_lang("Hạng", "Rank"), ctx.in_lang("Xã, phường", "Commune")
    value_col = f"{ind.short(ctx.lang)} ({ind.unit(ctx.lang)})"
    rows = [
        {
            **({} if why else {rank_col: coverage.rank_words(r.rank, have["rank"], n, ctx.lang)}),
            unit_col: f"{r.label} ({r.code})",
            value_col: reform.value_text(ctx, code, r.value),
        }
        for r in order.itertuples()
    ]
    best_vi, best_en = ("lớn nhất", "the largest") if ind.direction == "neutral" else ("tốt nhất", "the best")
    text = why or ctx.in_lang(
        f"Xếp hạng {n} {units_word(ctx)} có số liệu năm {ctx.year} ({ctx.share(code=code)}); 1 là {best_vi}; "
        "giá trị bằng nhau cùng hạng (đồng hạng).",
        f"Ranks of the {n} communes with {ctx.year} data ({ctx.share(code=code)}); 1 is {best_en}; equal "
        "values share a rank (tied).",
    )
    absent = df[df["value"].isna()]
    if len(absent):
        text += ctx.in_lang(
            f" Không có số liệu, không xếp hạng ({len(absent)}): ", f" No data, not ranked ({len(absent)}): "
        ) + ", ".join(f"{r.label} ({r.code})" for r in absent.itertuples())
        text += "."
    if not rows:
        return Html(f"<p>{esc(text)}</p>")
    table = html_table(pd.DataFrame(rows), numeric=[value_col])
    summary_text = ctx.in_lang(f"Bảng xếp hạng: {ind.short('vi')}", f"Ranking: {ind.short('en')}")
    return Html(f"<p>{esc(text)}</p><details><summary>{esc(summary_text)}</summary>{table}</details>")


def chart_ranked(ctx: ProvinceContext, code: str | None = None) -> Chart | Html:
    """The communes with a value of ``code`` (default: ``compare``), highest first, the value compiled
    over them as the line; a sentence when fewer than :data:`~coverage.MIN_RANKED` have one."""
    from baocao.reports import charts  # matplotlib: only when a chart is drawn

    code = code or ctx.compare
    ind = ctx.cat.indicator(code)
    df = commune_values(ctx, code)
    have = df[df["value"].notna()]
    if len(have) < coverage.MIN_RANKED:
        return Html(f"<p>{esc(not_ranked_words(ctx, code, df))}</p>")
    reference = ctx.value(code, year=ctx.year)
    where = ctx.unit.label(ctx.lang)
    if not ctx.complete(code=code):
        where += ctx.in_lang(f" ({ctx.share(code=code)} đơn vị)", f" ({ctx.share(code=code)} communes)")
    return kit.shown(  # a sentence in the chart's place when the data are too few to draw
        charts.ranked_bars(
            have,
            reference=None if np.isnan(reference) else reference,
            reference_label=where,
            title=f"{ind.name(ctx.lang)} ({ind.unit(ctx.lang)}), {ctx.year}",
            value_label=ind.unit(ctx.lang),
            decimals=ind.decimals,
            lang=ctx.lang,
            suffix="%" if ind.unit_vi == "%" else "",
        )
    )


def chart_map(ctx: ProvinceContext, code: str | None = None) -> Chart | Html:
    """Every commune as a dot on the map coloured by ``code`` (default: ``compare``); an open dot for
    a commune without data."""
    from baocao.reports import charts  # matplotlib: only when a chart is drawn

    code = code or ctx.compare
    ind = ctx.cat.indicator(code)
    df = commune_values(ctx, code)
    if df["value"].notna().sum() == 0:
        return Html(f"<p>{esc(ctx.in_lang('Không có số liệu.', 'No data.'))}</p>")
    return kit.shown(  # one commune with data: a sentence, as the kit's charts say it
        charts.dot_map(
            df,
            title=ctx.in_lang(
                f"Bản đồ các {units_word(ctx)}: {ind.short('vi')}, {ctx.year}",
                f"Map of the communes: {ind.short('en')}, {ctx.year}",
            ),
            value_label=ind.unit(ctx.lang),
            decimals=ind.decimals,
            lang=ctx.lang,
            suffix="%" if ind.unit_vi == "%" else "",
            extremes=MAP_LABELS if len(df) > 2 * MAP_LABELS else None,
        )
    )


# ------------------------------------------------------------------ history across the break


def history_table(ctx: ProvinceContext, code: str | None = None) -> Html:
    """The communes whose old communes have data in the history: ``code`` (default: ``compare``)
    re-expressed before 1 July 2025 and reported after, with the rule between; how many have history."""
    code = code or ctx.compare
    ind = ctx.cat.indicator(code)
    have = set(ctx.ind.loc[(ctx.ind["part"] == HISTORY) & (ctx.ind["indicator"] == code), "unit"])
    with_history = [u for u in ctx.communes if u.code in have]
    folders = ", ".join(ctx.history.folders)
    n, total = fmt.number(len(with_history), 0, ctx.lang), fmt.number(len(ctx.communes), 0, ctx.lang)
    if not with_history:
        text = ctx.in_lang(
            f"Chưa có {units_word(ctx)} nào có lịch sử trước 1/7/2025 trong số liệu cũ"
            + (
                f" ({folders})."
                if folders
                else f": {ctx.data_dir}/dataset.yaml không nêu thư mục nào (history)."
            ),
            "No commune has history before 1 July 2025 in the legacy data"
            + (f" ({folders})." if folders else f": {ctx.data_dir}/dataset.yaml names no folder (history)."),
        )
        return Html(f"<p>{esc(text)}</p>")
    text = ctx.in_lang(
        f"{n}/{total} {units_word(ctx)} có lịch sử trước 1/7/2025: số liệu của các xã cũ hợp thành chúng, "
        f"tính lại theo bảng chuyển đổi (số liệu cũ: {folders}); các đơn vị khác chưa có số liệu cũ trong "
        "dự án. Báo cáo của từng xã có đủ các chỉ tiêu.",
        f"{n}/{total} communes have history before 1 July 2025: the data of the old communes they were "
        f"formed from, re-expressed through the crosswalk (legacy data: {folders}); the others have no "
        "legacy data here. Each commune's report has every indicator.",
    )
    label = ctx.in_lang("Xã, phường", "Commune")
    years = ctx.years
    rows = [
        {
            label: f"{u.short} ({u.code})",
            **{str(y): reform.value_text(ctx, code, ctx.value(code, u.code, y)) for y in years},
        }
        for u in with_history
    ]
    cap = f"{ind.name(ctx.lang)} ({ind.unit(ctx.lang)}). " + reform.break_caption(ctx)
    df = pd.DataFrame(rows, columns=[label, *map(str, years)])
    return Html(f"<p>{esc(text)}</p>" + reform.break_table(df, [label], years, ctx.lang, cap))


# ------------------------------------------------------------------ published and GSO figures


def published(ctx: ProvinceContext) -> Html:
    """The published figures of the province and its communes for the year, against what the data
    give (a verdict only from complete data); what the data folder says about published figures, and
    that the GSO tables are of the old provinces, before 1 July 2025, so they are not compared."""
    parts = []
    pub = ctx.dataset.published
    scope = {ctx.unit.code, *ctx.codes}
    mine = pub[
        pub["unit"].astype(str).isin(scope) & (pub["year_from"] == ctx.year) & (pub["year_to"] == ctx.year)
    ]
    if len(mine):
        found = reconcile(
            mine,
            ctx.agg,
            ctx.cat,
            rows=observation_rows(ctx.rows),  # what each figure is recomputed from
            registry=ctx.dataset.registry,
            sources=getattr(ctx.dataset, "sources", {}),
        )
        rows, reasons = [], []
        s = provenance.MARKS[ctx.lang]["inferred"]
        for r, pub in zip(found.itertuples(), mine.itertuples(index=False)):
            whole = r.unit == ctx.unit.code
            complete = ctx.complete(code=r.code if r.figure_type != "element" else None) if whole else True
            name = (
                ctx.cat.indicator(r.code).short(ctx.lang)
                if r.figure_type != "element"
                else ctx.cat.element(r.code).name(ctx.lang)
            )
            # a verdict only against complete, reported data: never against illustrative rows or the
            # figure itself typed in as data (baocao.data.reconcile)
            verdict = (
                ctx.in_lang(
                    f"không so: {ctx.share()} đơn vị báo cáo",
                    f"not compared: {ctx.share()} communes reported",
                )
                if not complete
                else VERDICT_LABELS[ctx.lang][r.verdict]
                if r.basis == "data"
                else BASIS_WORDS[r.basis][0 if ctx.lang == "vi" else 1]
            )
            period = r.period + (f" ({s})" if r.inferred else "")
            if r.inferred:
                reasons.append(f"{r.id}: {inference(pub, ctx.lang)}")
            rows.append(
                {
                    ctx.in_lang("Mã", "Id"): r.id,
                    ctx.in_lang("Đơn vị", "Unit"): ctx.dataset.registry.unit(r.unit).name,
                    ctx.in_lang("Chỉ tiêu", "Indicator"): name,
                    ctx.in_lang("Kỳ", "Period"): period,
                    ctx.in_lang("Đã công bố", "Published"): fmt.number(r.published, r.decimals, ctx.lang),
                    ctx.in_lang("Tính từ số liệu", "Computed"): ""
                    if np.isnan(r.computed)
                    else fmt.number(r.computed, r.decimals, ctx.lang),
                    ctx.in_lang("Kết quả", "Verdict"): verdict,
                    ctx.in_lang("Nguồn", "Source"): _source_name(ctx, r.source),
                }
            )
        df = pd.DataFrame(rows)
        parts.append(html_table(df, numeric=list(df.columns[4:6])))
        if reasons:
            parts.append(
                '<p class="note">'
                + esc(
                    ctx.in_lang(
                        f"({s}) Kỳ do chúng tôi suy ra, nguồn không nêu — ",
                        f"({s}) The period is our inference, not stated by the source — ",
                    )
                    + "; ".join(reasons)
                )
                + "</p>"
            )
    else:
        meta = read_meta_of(ctx)
        note = meta.published_note(ctx.lang) if meta else ""
        parts.append(
            "<p>"
            + esc(
                note
                or ctx.in_lang(
                    f"Không có số liệu đã công bố nào của {ctx.unit.name} năm {ctx.year} trong "
                    f"{ctx.data_dir}.",
                    f"No published figure of {ctx.unit.label('en')} for {ctx.year} in {ctx.data_dir}.",
                )
            )
            + "</p>"
        )
    old = legacy()
    olds = ", ".join(f"{old.unit(p).name} ({p})" for p in unit_lists.predecessors(ctx.unit.code) if p in old)
    parts.append(
        "<p>"
        + esc(
            ctx.in_lang(
                f"{ctx.unit.name} (mã {ctx.unit.code}, danh mục 2025) được hợp thành từ {olds} của danh mục "
                "cũ. Số liệu của Tổng cục Thống kê trong dự án là của các tỉnh cũ, trước 1/7/2025: chúng "
                "không được đem so với số liệu của tỉnh mới.",
                f"{ctx.unit.label('en')} (code {ctx.unit.code}, 2025 list) was formed from {olds} of the "
                "legacy list. The General Statistics Office figures in the project are the old provinces', "
                "from before 1 July 2025: they are not compared with the new province's figures.",
            )
        )
        + "</p>"
    )
    return Html("".join(parts))


def _source_name(ctx: ProvinceContext, key: str) -> str:
    """A published figure's source as ``sources.yaml`` names it in the report language (its key
    when the file does not name it)."""
    src = (getattr(ctx.dataset, "sources", {}) or {}).get(key) or {}
    return str(src.get(f"name_{ctx.lang}") or src.get(f"title_{ctx.lang}") or key)


def read_meta_of(ctx: ProvinceContext):
    from baocao.io.dataset_meta import read_meta

    return read_meta(folder_path(ctx.data_dir))


def footer(ctx: ProvinceContext) -> Html:
    reported = period_label(ctx.reported[0], ctx.reported[-1])
    return ctx.footer(
        f"Số liệu {ctx.data_dir} {reported} · {ctx.share()} {units_word(ctx)} báo cáo năm {ctx.year}",
        f"Data {ctx.data_dir} {reported} · {ctx.share()} communes reported {ctx.year}",
    )
