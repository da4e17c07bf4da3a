"""The ``commune_2025_report`` notebook: a new commune's year (from 2025) beside the history of the
old communes it was formed from, re-expressed through the crosswalk, with the break of 1 July 2025
on every table and chart. One function per cell.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from baocao.data.observations import period_label
from baocao.reports import kit
from baocao.reports.kit import Chart, Html, ReportError, cards_html, check_lang, check_year, esc, title_html
from baocao.reports.two_level import reform
from baocao.reports.two_level.context import TwoLevelContext, check_year_2025, frames, open_data, resolve
from baocao.reports.two_level.reform import approximation, formation, history_sentence, not_reexpressed

open_report = kit.open_report  # the notebook's first call (the same for every report family)

__all__ = [
    "approximation",
    "chart_trend",
    "footer",
    "formation",
    "headline",
    "history_sentence",
    "history_table",
    "not_reexpressed",
    "open_report",
    "title_block",
]

TABLE = [  # the indicators of the history table (not context.HISTORY, the side of the break)
    "hn_so",
    "hn_luot_dv",
    "ty_le_dv_tham_du",
    "thu_nhap_bq",
    "ty_le_ho_ngheo",
    "ty_le_truong_chuan",
    "bac_si_van_dan",
    "quy_khuyen_hoc_so",
    "quy_khuyen_hoc_tien",
    "quy_vi_nguoi_ngheo_tien",
    "mai_am_tinh_thuong",
    "khen_thuong_tap_the",
    "khen_thuong_ca_nhan",
]
HEADLINE = ["ty_le_dv_tham_du", "thu_nhap_bq", "ty_le_ho_ngheo", "ty_le_truong_chuan"]


def open_commune_2025(
    commune: str = "Thoại Sơn", year: int = 2026, lang: str = "vi", data_dir: str = "data/an_giang_2025"
) -> TwoLevelContext:
    """A 2025 commune's report for ``year`` from the data folder of the 2025 list ``data_dir`` and the
    history its ``dataset.yaml`` names."""
    lang, year = check_lang(lang), check_year(year)
    ds, history, shown = open_data(data_dir)
    unit = resolve(ds.registry, commune, "commune")
    provinces = sorted(
        {ds.registry.unit(u).province for u in set(ds.observations["unit"]) if u in ds.registry}
    )
    if unit.province not in provinces:
        have = ", ".join(f"{ds.registry.unit(p).name} ({p})" for p in provinces) or "không có / none"
        raise ReportError(
            f"{unit.name} ({unit.code}) thuộc {ds.registry.unit(unit.province).name}; {shown} có số liệu "
            "của / "
            f"{unit.label('en')} ({unit.code}) is in {ds.registry.unit(unit.province).short}; {shown} holds "
            f"the units of: {have}"
        )
    reported = check_year_2025(ds, year, shown)
    agg, ind = frames(ds, history)
    mine = ind[(ind["unit"] == unit.code) & (ind["year"] <= year)]
    obs = ds.observations
    olds = reform.old_communes(unit.code)
    return TwoLevelContext(
        kind="commune_2025",
        lang=lang,
        dataset=ds,
        ind=mine.reset_index(drop=True),
        unit=unit,
        year=year,
        history=history,
        agg=agg[(agg["unit"] == unit.code) & (agg["year"] <= year)].reset_index(drop=True),
        reported=reported,
        data_dir=shown,
        rows=obs[(obs["unit"] == unit.code) & (obs["year"] <= year)],
        old_rows=history.rows[history.rows["unit"].isin(olds)],
    )


def has_reported(ctx: TwoLevelContext, year: int | None = None) -> bool:
    return bool((ctx.rows["year"] == (year or ctx.year)).any())


def report_title(ctx: TwoLevelContext) -> str:
    return ctx.in_lang(
        f"{ctx.unit.name}, {ctx.province.name} — năm {ctx.year}",
        f"{ctx.unit.label('en')}, {ctx.province.short} — {ctx.year}",
    )


def summary(ctx: TwoLevelContext) -> dict:
    """Title and headline for the build index: the year's attendance rate (or that it is not
    reported yet) and the years of history; with the illustrative mark and banner the page carries."""
    code = "ty_le_dv_tham_du"
    value = ctx.value(code, year=ctx.year)
    shown = ctx.fmt(code, value) if not np.isnan(value) else ctx.in_lang("chưa báo cáo", "not reported")
    span = f"{ctx.history_years[0]}–{ctx.history_years[-1]}" if ctx.history_years else "–"
    headline, marks = ctx.index_marks(
        [
            [f"{ctx.cat.indicator(code).short(ctx.lang)} {ctx.year}", shown, not np.isnan(value)],
            [ctx.in_lang("Lịch sử (xã cũ)", "History (old communes)"), span, False],
        ]
    )
    return {"title": report_title(ctx), "headline": headline, "marks": marks}


def banner(ctx: TwoLevelContext) -> str:
    return ctx.illustrative_banner(
        ctx.illustrative,
        "Số liệu của xã mới và của các xã cũ trong báo cáo này được sinh tự động để minh họa (không phải "
        "số liệu thật); vì vậy số liệu tính lại cho xã mới cũng chỉ là minh họa.",
        "The new commune's and the old communes' figures in this report are generated for illustration "
        "(not real data), so the figures re-expressed for the new commune are illustrative too.",
    )


def title_block(ctx: TwoLevelContext) -> Html:
    span = f"{ctx.years[0]}–{ctx.years[-1]}"
    meta = (
        f"<strong>{ctx.in_lang('Đơn vị', 'Unit')}:</strong> {esc(ctx.province.name)} › "
        f"{esc(ctx.unit.name)} "
        f"({ctx.in_lang('mã', 'code')} {esc(ctx.unit.code)}, "
        f"{ctx.in_lang('danh mục từ 1/7/2025', 'unit list from 1 July 2025')}) · "
        f"<strong>{ctx.in_lang('Năm báo cáo', 'Year')}:</strong> {ctx.year} · "
        f"<strong>{ctx.in_lang('Chuỗi số liệu', 'Series')}:</strong> {span}"
    )
    return Html(
        title_html(report_title(ctx), meta)
        + banner(ctx)
        + reform.reform_note(ctx)
        + kit.sources_html(ctx.in_lang("Nguồn số liệu", "Data sources"), ctx.sources())
    )


def headline(ctx: TwoLevelContext, codes: list[str] | None = None) -> Html:
    """The year's reported figures as cards, or that the commune has not reported the year yet."""
    if not has_reported(ctx):
        text = ctx.in_lang(
            f"{ctx.unit.name} chưa báo cáo số liệu năm {ctx.year}: các bảng và biểu đồ dưới đây dừng ở năm "
            "trước.",
            f"{ctx.unit.label('en')} has not reported {ctx.year} yet: the tables and charts below stop at "
            "the year before.",
        )
        return Html(f'<p class="not-reported" role="note"><strong>{esc(text)}</strong></p>')
    cards = [
        (f"{ctx.cat.indicator(c).short(ctx.lang)} {ctx.year}", ctx.fmt(c, ctx.value(c, year=ctx.year)), "")
        for c in (codes or HEADLINE)
        if not np.isnan(ctx.value(c, year=ctx.year))
    ]
    return cards_html(cards)


def history_table(ctx: TwoLevelContext, codes: list[str] | None = None) -> Html:
    """The indicators of the new commune by year: the re-expressed history, the rule, the reported years."""
    label = ctx.in_lang("Chỉ tiêu", "Indicator")
    rows = []
    for code in codes or TABLE:
        vals = {y: ctx.value(code, year=y) for y in ctx.years}
        if all(np.isnan(v) for v in vals.values()):
            continue
        row = {label: reform.row_label(ctx, code)}
        row.update({str(y): reform.value_text(ctx, code, v) for y, v in vals.items()})
        rows.append(row)
    cap = ctx.in_lang(
        "Tỷ lệ tính sau khi cộng tử số và mẫu số (tỷ số của các tổng); lịch sử: cộng các xã cũ; bác sĩ chỉ "
        "gồm bác sĩ ghi cho xã (không gồm bệnh viện huyện, tỉnh). ",
        "Rates are computed after summing numerators and denominators (ratio of sums); history: summed over "
        "the old communes; doctors are those recorded for communes only (not district or provincial "
        "hospitals). ",
    ) + reform.break_caption(ctx)
    return reform.break_table(
        pd.DataFrame(rows, columns=[label, *map(str, ctx.years)]), [label], ctx.years, ctx.lang, cap
    )


def chart_trend(ctx: TwoLevelContext, code: str) -> Chart | Html:
    """One indicator across the break (:func:`baocao.reports.two_level.reform.trend_across`)."""
    return reform.trend_across(ctx, code)


def footer(ctx: TwoLevelContext) -> Html:
    """The data folder and its years, the history and its crosswalk, the input check code, the version."""
    reported = period_label(ctx.reported[0], ctx.reported[-1])
    span = f"{ctx.history_years[0]}–{ctx.history_years[-1]}" if ctx.history_years else ""
    folders = ", ".join(ctx.history.folders)
    history_vi = f" · lịch sử {folders} {span} qua bảng chuyển đổi của gói vietnamadminunits" if span else ""
    history_en = (
        f" · history {folders} {span} through the crosswalk of package vietnamadminunits" if span else ""
    )
    return ctx.footer(
        f"Số liệu {ctx.data_dir} {reported}{history_vi}",
        f"Data {ctx.data_dir} {reported}{history_en}",
    )
