"""The ``district_report`` notebook: a district's year (or a period of years, ``year_from``) —
headline figures, the campaign, the communes compared, socio-economic results, welfare, dialogue
and commendations, a word on data quality, and the footnotes of the published figures. One
function per cell: the notebook imports this module as ``report``.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from markupsafe import escape

from baocao import fmt
from baocao.reports import kit
from baocao.reports.kit import (
    Html,
    esc,
    html_table,
)
from baocao.reports.local import sections
from baocao.reports.local.campaign import (
    campaign_narrative,
    campaign_table,
    chart_campaign_over_years,
    chart_rate_by_topic,
)
from baocao.reports.local.communes import chart_communes_map, chart_communes_ranked
from baocao.reports.local.context import Context, open_district_report
from baocao.reports.local.provenance import comparison_sentences, footnotes, to_date_words
from baocao.reports.local.reporting import reporting_summary
from baocao.reports.local.sections import (
    chart_trend,
    featured_year,
    footer,
    headline_cards,
    nothing_reported,
    target_html,
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
    return open_district_report("district", district, year, lang, data_dir, year_from, compare=compare)


def summary(ctx: Context) -> dict:
    """Title, headline figures (the first of the page's cards, with their marks) and the
    illustrative banner, for the build's index page."""
    return sections.summary(ctx, HEADLINES_DISTRICT)


def title_block(ctx: Context) -> Html:
    """Title, unit, year or period, sources, the banner and the legend of the provenance marks
    (both derived from the data); the output carries the report's :func:`summary`."""
    return sections.title_block(ctx, summary(ctx))


def headline(ctx: Context, codes: list[str] | None = None) -> Html:
    """Headline figures of the district and year as cards, each with its provenance mark; a period
    report shows the campaign's totals for the period and each other figure for the year the
    source reported it (:func:`~baocao.reports.local.sections.featured_year`)."""
    return headline_cards(ctx, codes or HEADLINES_DISTRICT)


def _years_table(ctx: Context, codes: list[str], with_target: bool, skip_empty: bool) -> Html | None:
    """Indicators (rows) by year (columns; a period report: the period's years), each figure marked,
    optionally with the target; None when no indicator has a figure in any year shown. A stock is
    never a row here: it is no year's flow (:func:`stocks_table`)."""
    years = ctx.years
    target_col = ctx.in_lang("Chỉ tiêu phấn đấu", "Target")
    rows = []
    for code in codes:
        if ctx.cat.is_stock(code):
            continue
        ind = ctx.cat.indicator(code)
        figs = [ctx.figure(code, year=y) for y in years]
        if (skip_empty or not years) and all(np.isnan(f.value) for f in figs):
            continue
        row = {ctx.in_lang("Chỉ tiêu", "Indicator"): f"{ind.name(ctx.lang)} ({ind.unit(ctx.lang)})"}
        row.update({str(y): ctx.show(f) if not np.isnan(f.value) else "–" for y, f in zip(years, figs)})
        if with_target:
            row[target_col] = target_html(ctx, ind, ctx.unit.level)
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
    where = ctx.unit.in_text(ctx.lang)
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
    """Welfare, dialogue and commendation figures by year (rows without any data left out), then
    the stocks apart, each as of a date (:func:`stocks_table`): a stock is never a yearly series;
    a sentence when nothing was reported."""
    codes = codes or WELFARE
    table, stocks = _years_table(ctx, codes, with_target=False, skip_empty=True), stocks_table(ctx, codes)
    if table is None and not stocks:
        return nothing_reported(
            ctx, "về mô hình an sinh xã hội, đối thoại và khen thưởng", "welfare, dialogue and commendations"
        )
    return Html(str(table or "") + str(stocks))


def stocks_table(ctx: Context, codes: list[str] | None = None) -> Html:
    """The stocks among ``codes`` (funds active, money raised to date, communes at a standard),
    each counted to a date: at the end of the report's last year, and as the source gives it to
    its own date (``as_of``) where it does. Never summed or set side by side as a yearly series."""
    codes = [c for c in (codes or WELFARE) if ctx.cat.is_stock(c)]
    given = {r.code: r for r in ctx.as_of_rows(ctx.unit.code) if r.figure_type == "indicator"}
    end = ctx.in_lang(f"Tính đến cuối năm {ctx.year}", f"At the end of {ctx.year}")
    col = ""
    rows = []
    for code in codes:
        ind = ctx.cat.indicator(code)
        f = ctx.figure(code, year=ctx.year)
        row = {
            ctx.in_lang("Chỉ tiêu", "Indicator"): f"{ind.name(ctx.lang)} ({ind.unit(ctx.lang)})",
            end: ctx.show(f) if not np.isnan(f.value) else "–",
        }
        if given:
            r = next(iter(given.values()))
            col = ctx.in_lang("Nguồn nêu, ", "As the source gives it, ") + to_date_words(
                ctx, r.source, r.as_of
            )
            row[col] = ctx.show(ctx.published_figure(given[code])) if code in given else "–"
        if np.isnan(f.value) and code not in given:
            continue
        rows.append(row)
    if not rows:
        return Html("")
    return html_table(pd.DataFrame(rows), numeric=[end] + ([col] if col else []))


def welfare_narrative(ctx: Context) -> Html:
    """The funds as the source gives them (to its date) or at the end of the report's year, and
    the dialogue conferences of the year the source reports, in sentences with their subject."""
    parts = []
    where = ctx.unit.in_text(ctx.lang)
    given = {r.code: r for r in ctx.as_of_rows(ctx.unit.code) if r.figure_type == "indicator"}
    if "quy_khuyen_hoc_so" in given:
        r = given["quy_khuyen_hoc_so"]
        funds = ctx.published_figure(r)
        money = (
            ctx.published_figure(given["quy_khuyen_hoc_tien"], with_unit=True)
            if "quy_khuyen_hoc_tien" in given
            else None
        )
        until = to_date_words(ctx, r.source, r.as_of)
        parts.append(
            ctx.in_lang(
                f"{until[:1].upper() + until[1:]}, {esc(where)} có {ctx.show(funds)} Quỹ Khuyến học đang "
                "hoạt "
                "động" + (f", vận động được tổng số tiền {ctx.show(money)}." if money else "."),
                f"{until[:1].upper() + until[1:]}, {esc(where)} had {ctx.show(funds)} active "
                "study-encouragement "
                "funds" + (f", which had raised {ctx.show(money)} in all." if money else "."),
            )
        )
    else:
        funds = ctx.figure("quy_khuyen_hoc_so", year=ctx.year)
        money = ctx.figure("quy_khuyen_hoc_tien", year=ctx.year, with_unit=True)
        if not np.isnan(funds.value):
            parts.append(
                ctx.in_lang(
                    f"Tính đến cuối năm {ctx.year}, {esc(where)} có {ctx.show(funds)} Quỹ Khuyến học đang "
                    "hoạt "
                    f"động, vận động được tổng số tiền {ctx.show(money)}.",
                    f"At the end of {ctx.year}, {esc(where)} had {ctx.show(funds)} active "
                    "study-encouragement "
                    f"funds, which had raised {ctx.show(money)} in all.",
                )
            )
    y = featured_year(ctx, "doi_thoai_so")
    dia, dele = ctx.figure("doi_thoai_so", year=y), ctx.figure("doi_thoai_dai_bieu", year=y)
    if not np.isnan(dia.value):
        parts.append(
            ctx.in_lang(
                f"Năm {y}, {esc(where)} tổ chức {ctx.show(dia)} hội nghị đối thoại giữa cấp ủy Đảng, chính "
                "quyền "
                f"với Nhân dân, thu hút {ctx.show(dele)} lượt đại biểu tham dự.",
                f"In {y}, {esc(where)} held {ctx.show(dia)} dialogue conferences between Party, government "
                "and "
                f"citizens, attended by {ctx.show(dele)} delegates.",
            )
        )
    if not parts:
        return Html("")  # the table below says that nothing was reported
    return Html(f"<p>{' '.join(parts)}</p>")


def quality_summary(ctx: Context, link: str = "data_quality.ipynb") -> Html:
    """A few lines on validation and on the page's published figures — the counts of the banner,
    from the same computation (:meth:`~baocao.reports.local.context.Context.page_counts`) — linking
    to the data-quality report of the same year or period (its notebook, which JupyterLab opens;
    the page links the page beside it: baocao.build.html)."""
    probs = ctx.dataset.problems
    n_rows = len(ctx.dataset.observations) + len(getattr(ctx.dataset, "periods", ()))
    counts = ctx.page_counts()
    rows = fmt.number(n_rows, 0, ctx.lang)
    found = (
        ctx.in_lang(f"{fmt.number(len(probs), 0)} vấn đề", f"{fmt.number(len(probs), 0, 'en')} problem(s)")
        if len(probs)
        else ctx.in_lang("không có vấn đề nào", "no problem")
    )
    text = ctx.in_lang(f"Kiểm tra {rows} dòng số liệu: {found}.", f"{rows} data rows checked: {found}.")
    if counts["n"]:
        n = fmt.number(counts["n"], 0, ctx.lang)
        where = ctx.district.in_text(ctx.lang)
        scope = (
            ctx.in_lang(f"Trong kỳ {ctx.span}", f"In the period {ctx.span}")
            if ctx.is_period
            else ctx.in_lang(f"Đến năm {ctx.year}", f"Up to {ctx.year}")
        )
        text += " " + ctx.in_lang(
            f"{scope}, nguồn nêu {n} con số đã công bố về {where}.",
            f"{scope}, the source gives {n} published figures on {where}.",
        )
        text += " " + " ".join(comparison_sentences(ctx, counts))
    else:
        text += " " + ctx.in_lang(
            "Không có số liệu đã công bố để đối chiếu.", "No published figures to reconcile."
        )
    more = ctx.in_lang("Xem báo cáo chất lượng số liệu", "See the data-quality report")
    return Html(f'<p>{escape(text)} <a href="{escape(link)}">{more}</a>.</p>')
