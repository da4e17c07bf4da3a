"""The ``district_report`` notebook: a district's year (or a period of years, ``year_from``) —
headline figures, the campaign, the communes compared, socio-economic results, welfare, dialogue
and commendations, a word on data quality, and the footnotes of the published figures. One
function per cell: the notebook imports this module as ``report``.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from markupsafe import escape

from baocao.reports import kit
from baocao.reports.kit import (
    VERDICT_LABELS,
    Html,
    cards_html,
    check_lang,
    check_year,
    esc,
    html_table,
    load_data,
)
from baocao.reports.local import sections
from baocao.reports.local.campaign import (
    campaign_narrative,
    campaign_table,
    chart_campaign_over_years,
    chart_rate_by_topic,
)
from baocao.reports.local.communes import chart_communes_map, chart_communes_ranked
from baocao.reports.local.context import Context, find_unit, make_context
from baocao.reports.local.provenance import footnotes
from baocao.reports.local.reporting import reporting_summary
from baocao.reports.local.sections import (
    CAMPAIGN_TOTALS,
    chart_trend,
    featured_year,
    footer,
    headline_cards,
    nothing_reported,
    reconciliation,
    status_class,
    summary,
    target_text,
)

__all__ = [  # what the notebook calls
    "open_report",
    "title_block",
    "headline",
    "reporting_summary",
    "campaign_narrative",
    "campaign_table",
    "chart_rate_by_topic",
    "chart_campaign_over_years",
    "chart_communes_ranked",
    "chart_communes_map",
    "socio_narrative",
    "socio_table",
    "chart_trend",
    "socio_by_commune",
    "welfare_narrative",
    "welfare_table",
    "quality_summary",
    "footnotes",
    "footer",
    # and what the registry calls
    "open_district",
    "summary",
]

open_report = kit.open_report  # the notebook's first call (the same for every report family)

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
    d = find_unit(ds, district, "district")
    y0 = check_year(year_from) if year_from not in (0, "0", "", None) else None
    return make_context(
        "district",
        unit=d,
        district=d,
        year=check_year(year),
        lang=check_lang(lang),
        data_dir=data_dir,
        compare=compare,
        year_from=y0,
    )


def title_block(ctx: Context) -> Html:
    """Title, unit, year or period, sources, the banner and the legend of the provenance marks
    (both derived from the data); the output carries the report's :func:`summary`."""
    return sections.title_block(ctx, summary(ctx))


def headline(ctx: Context, codes: list[str] | None = None) -> Html:
    """Headline figures of the district and year as cards, each with its provenance mark; a period
    report shows the campaign's totals for the period and each other figure for the year the
    source reported it (:func:`~baocao.reports.local.sections.featured_year`)."""
    if not ctx.is_period or codes is not None:
        return headline_cards(ctx, codes or HEADLINES_DISTRICT)
    cards = []
    for code in CAMPAIGN_TOTALS:
        f = ctx.figure(code, year_from=ctx.first_year, with_unit=True)
        if not np.isnan(f.value):
            cards.append((f"{ctx.cat.indicator(code).short(ctx.lang)} ({ctx.span})", ctx.show(f), ""))
    for code in [c for c in HEADLINES_DISTRICT if c not in CAMPAIGN_TOTALS and c != "ty_le_dv_tham_du"]:
        y = featured_year(ctx, code)
        f = ctx.figure(code, year=y, with_unit=True)
        if not np.isnan(f.value):
            cards.append(
                (
                    f"{ctx.cat.indicator(code).short(ctx.lang)} ({y})",
                    ctx.show(f),
                    status_class(ctx, code, f, ctx.unit.level),
                )
            )
    return cards_html(cards) if cards else nothing_reported(ctx)


def _years_table(ctx: Context, codes: list[str], with_target: bool, skip_empty: bool) -> Html | None:
    """Indicators (rows) by year (columns; a period report: the period's years), each figure marked,
    optionally with the target; None when no indicator has a figure in any year shown.
    """
    years = ctx.years
    target_col = ctx.in_lang("Chỉ tiêu phấn đấu", "Target")
    rows = []
    for code in codes:
        ind = ctx.cat.indicator(code)
        figs = [ctx.figure(code, year=y) for y in years]
        if (skip_empty or not years) and all(np.isnan(f.value) for f in figs):
            continue
        row = {ctx.in_lang("Chỉ tiêu", "Indicator"): f"{ind.name(ctx.lang)} ({ind.unit(ctx.lang)})"}
        row.update({str(y): ctx.show(f) if not np.isnan(f.value) else "–" for y, f in zip(years, figs)})
        if with_target:
            row[target_col] = target_text(ctx, ind, ctx.unit.level)
        rows.append(row)
    if not rows or all(all(r[str(y)] == "–" for y in years) for r in rows):
        return None
    return html_table(
        pd.DataFrame(rows), numeric=[str(y) for y in years] + ([target_col] if with_target else [])
    )


def socio_table(ctx: Context, codes: list[str] | None = None) -> Html:
    """Indicators by year up to the report year, with target and direction (a sentence when
    nothing was reported)."""
    table = _years_table(ctx, codes or SOCIO, with_target=True, skip_empty=False)
    return (
        table
        if table is not None
        else nothing_reported(ctx, "về kinh tế - xã hội", "the economy and society")
    )


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
            num = ctx.figure(ind.numerator, year=y, figure_type="element")
            den = ctx.figure(ind.denominator, year=y, figure_type="element")
            if num.pub_id and den.pub_id:
                text += f" ({ctx.show_pair(num, den, ctx.cat.element(ind.denominator).unit(ctx.lang))})"
        by_year.setdefault(y, []).append(text)
    if not by_year:
        return nothing_reported(ctx, "về kinh tế - xã hội", "the economy and society")
    where = ctx.unit.label(ctx.lang)
    sentences = [
        ctx.in_lang(
            f"Năm {y}, {esc(where)}: " + "; ".join(parts) + ".",
            f"In {y}, {esc(where)}: " + "; ".join(parts) + ".",
        )
        for y, parts in sorted(by_year.items())
    ]
    return Html("<p>" + " ".join(sentences) + "</p>")


def socio_by_commune(ctx: Context, codes: list[str] | None = None) -> Html:
    """The socio-economic indicators of every commune in the report year, district last."""
    codes = codes or SOCIO
    rows, found = [], False
    for u in [*ctx.communes, ctx.district]:
        row = {ctx.in_lang("Xã, thị trấn", "Commune"): u.label(ctx.lang)}
        for code in codes:
            f = ctx.figure(code, unit=u.code)
            found = found or not np.isnan(f.value)
            row[ctx.cat.indicator(code).short(ctx.lang)] = ctx.show(f) if not np.isnan(f.value) else "–"
        rows.append(row)
    if not found:
        return nothing_reported(ctx, "về kinh tế - xã hội của các xã", "the communes' economy and society")
    df = pd.DataFrame(rows)
    return html_table(df, numeric=list(df.columns[1:]))


def welfare_table(ctx: Context, codes: list[str] | None = None) -> Html:
    """Welfare, dialogue and commendation figures by year (rows without any data left out; a
    sentence when nothing was reported)."""
    table = _years_table(ctx, codes or WELFARE, with_target=False, skip_empty=True)
    if table is None:
        return nothing_reported(
            ctx, "về mô hình an sinh xã hội, đối thoại và khen thưởng", "welfare, dialogue and commendations"
        )
    return table


def welfare_narrative(ctx: Context) -> Html:
    parts = []
    y = featured_year(ctx, "quy_khuyen_hoc_so")
    funds, money = (
        ctx.figure("quy_khuyen_hoc_so", year=y),
        ctx.figure("quy_khuyen_hoc_tien", year=y, with_unit=True),
    )
    if not np.isnan(funds.value):
        parts.append(
            ctx.in_lang(
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
            ctx.in_lang(
                f"Năm {y}, tổ chức {ctx.show(dia)} hội nghị đối thoại giữa cấp ủy Đảng, chính quyền với Nhân "
                f"dân, thu hút {ctx.show(dele)} lượt đại biểu.",
                f"In {y}, {ctx.show(dia)} dialogue conferences between Party, government and citizens drew "
                f"{ctx.show(dele)} delegates.",
            )
        )
    if not parts:
        return Html("")  # the table below says that nothing was reported
    return Html(f"<p>{' '.join(parts)}</p>")


def quality_summary(ctx: Context, link: str = "data_quality.ipynb") -> Html:
    """A few lines on validation and reconciliation, linking to the data-quality report (its
    notebook, which JupyterLab opens; the page links the page: baocao.build.html)."""
    probs = ctx.dataset.problems
    n_rows = len(ctx.dataset.observations) + len(getattr(ctx.dataset, "periods", ()))
    rec = reconciliation(ctx)
    counts = rec["verdict"].value_counts().to_dict() if len(rec) else {}
    labels = VERDICT_LABELS[ctx.lang]
    verdicts = ", ".join(f"{n} {labels[v]}" for v, n in counts.items())
    text = ctx.in_lang(
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
    more = ctx.in_lang("Xem báo cáo chất lượng số liệu", "See the data-quality report")
    return Html(f'<p>{escape(text)} <a href="{escape(link)}">{more}</a>.</p>')
