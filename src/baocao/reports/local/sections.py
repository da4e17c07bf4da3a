"""What the local reports (district, commune, data quality) share: the title block with the
banner, legend and sources, the headline cards and the index page's headline, the targets in
words, the trend chart of an indicator, the reconciliation of the unit's published figures and
the footer. The sections of one kind only are in its own module
(:mod:`~baocao.reports.local.district`, :mod:`~baocao.reports.local.commune`,
:mod:`~baocao.reports.local.data_quality`).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from baocao import fmt
from baocao.data.aggregate import aggregate
from baocao.data.reconcile import reconcile
from baocao.reports import registry
from baocao.reports.kit import Html, as_chart, cards_html, esc, sources_html, title_html
from baocao.reports.local.context import Context
from baocao.reports.local.marks import Fig, chart_label, mark_chart
from baocao.reports.local.provenance import banner, legend, sources
from baocao.reports.local.reporting import reporting_lines

CAMPAIGN_TOTALS = ["hn_so", "hn_luot_dv"]  # the campaign's totals: a period report shows them for the period


def report_title(ctx: Context) -> str:
    return f"{registry.require(ctx.kind).title(ctx.lang)} — {ctx.unit.label(ctx.lang)}, {ctx.span}"


def title_block(ctx: Context, summary: dict, with_legend: bool = True) -> Html:
    """Title, unit, year or period, sources, the banner and (``with_legend``) the legend of the
    provenance marks (both derived from the data).

    Its output also carries the report's ``summary`` (metadata ``baocao.summary``), so the
    builder need not open the report a second time to list it, and its reporting rates
    (``baocao.coverage``: :func:`~baocao.reports.local.reporting.reporting_lines`) for the workbook."""
    path = " › ".join(
        ctx.dataset.registry.unit(c).label(ctx.lang) for c in ctx.dataset.registry.path(ctx.unit.code)
    )
    when = ctx.in_lang("Kỳ báo cáo", "Period") if ctx.is_period else ctx.in_lang("Năm", "Year")
    meta = (
        f"<strong>{ctx.in_lang('Đơn vị', 'Unit')}:</strong> {esc(path)} ({ctx.in_lang('mã', 'code')} "
        f"{esc(ctx.unit.code)}) · "
        f"<strong>{when}:</strong> {esc(ctx.span)}"
    )
    out = Html(
        title_html(report_title(ctx), meta)
        + banner(ctx)
        + (legend(ctx) if with_legend else "")
        + sources_html(ctx.in_lang("Nguồn số liệu", "Data sources"), sources(ctx))
    )
    out.meta = {"summary": summary, "coverage": reporting_lines(ctx)}  # the workbook's reporting rates
    return out


def judged(ctx: Context, code: str, f: Fig, level: str | None = None) -> bool | None:
    """Whether the figure meets the indicator's target at ``level``: None when there is nothing to
    judge — no target that applies, no value, or a figure computed while some of the units
    expected to report did not (a partial figure is never judged)."""
    if not ctx.complete(f):
        return None
    return ctx.cat.indicator(code).meets_target(f.value, level)


def status_class(ctx: Context, code: str, f: Fig, level: str | None = None) -> str:
    ok = judged(ctx, code, f, level)
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


def headline_cards(ctx: Context, codes: list[str]) -> Html:
    """The indicators ``codes`` of the unit and year as cards, each with its provenance mark and
    its status against the target (none for a partial figure, which says how many units
    reported); those without a value are left out, and with none at all a sentence says so."""
    cards = []
    for code in codes:
        f = ctx.figure(code, with_unit=True)
        if np.isnan(f.value):
            continue
        cards.append(
            (
                ctx.cat.indicator(code).short(ctx.lang),
                ctx.show(f),
                status_class(ctx, code, f, ctx.unit.level),
            )
        )
    return cards_html(cards) if cards else nothing_reported(ctx)


def running_name(ctx: Context, unit) -> str:
    """A unit's name inside a sentence: ``huyện Châu Phú``, ``xã Cái Dầu`` (the type word in lower case)."""
    label = unit.label(ctx.lang)
    return label[:1].lower() + label[1:] if ctx.lang == "vi" else label


def nothing_reported(ctx: Context, what_vi: str = "", what_en: str = "", year: int | None = None) -> Html:
    """One sentence in place of an empty section: nothing was reported (``what``: on what) for the
    unit in the report's year or period (or ``year``)."""
    span = str(year) if year is not None else ctx.span
    where = running_name(ctx, ctx.unit)
    text = ctx.in_lang(
        f"Chưa có số liệu nào được báo cáo{' ' + what_vi if what_vi else ''} cho {where} "
        f"{'năm' if '–' not in span else 'giai đoạn'} {span}.",
        f"Nothing was reported{' on ' + what_en if what_en else ''} for {where} in {span}.",
    )
    return Html(f'<p class="no-data">{esc(text)}</p>')


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
            out.append((label, f.text + (f" ({f.coverage})" if f.coverage else "")))
    return out


def summary(ctx: Context) -> dict:
    """Title and headline figures for the build's index page (``[[label, value], ...]``)."""
    return {"title": report_title(ctx), "headline": [list(p) for p in headline_pairs(ctx)]}


def assessment(ctx: Context, code: str, f: Fig, level: str | None = None) -> str:
    """``đạt`` / ``chưa đạt`` against the target (:func:`judged`); for a partial figure with a target
    that applies, that it is not judged and why; else ``""``."""
    ok = judged(ctx, code, f, level)
    if ok is None:
        ind = ctx.cat.indicator(code)
        if f.coverage and ind.target_applies(level) and ind.direction in ("higher", "lower"):
            return ctx.in_lang(
                "chưa đánh giá (chưa đủ đơn vị báo cáo)", "not judged (not every unit reported)"
            )
        return ""
    return ctx.in_lang("đạt", "met") if ok else ctx.in_lang("chưa đạt", "not met")


def target_text(ctx: Context, ind, level: str | None = None) -> str:
    if ind.target is None:
        return ""
    text = ("≥ " if ind.direction == "higher" else "≤ ") + fmt.number(
        ind.target, ind.decimals if ind.target % 1 else 0, ctx.lang
    )
    if level is not None and not ind.target_applies(level):
        text += (
            ctx.in_lang(" (cấp huyện)", " (district)")
            if ind.target_levels == ("district",)
            else f" ({', '.join(ind.target_levels)})"
        )
    return text


def target_scope_note(ctx: Context, ind) -> str:
    levels = ", ".join(
        {
            "district": ctx.in_lang("cấp huyện", "district level"),
            "commune": ctx.in_lang("cấp xã", "commune level"),
            "province": ctx.in_lang("cấp tỉnh", "province level"),
        }[lv]
        for lv in ind.target_levels or ()
    )
    return ctx.in_lang(
        f"{ind.short('vi')}: chỉ tiêu {target_text(ctx, ind)} chỉ áp dụng ở {levels}"
        + (f" — {ind.target_note('vi')}" if ind.target_note("vi") else "")
        + "; không dùng để đánh giá từng xã.",
        f"{ind.short('en')}: the target {target_text(ctx, ind)} applies at {levels} only"
        + (f" — {ind.target_note('en')}" if ind.target_note("en") else "")
        + "; communes are not judged against it.",
    )


@as_chart
def chart_trend(ctx: Context, code: str, with_district: bool = False):
    """One indicator over the years; ``with_district``: next to the district's (for a commune),
    with the target even where it applies to the district only."""
    from baocao.reports import charts  # matplotlib, seaborn: only when a chart is drawn

    ind = ctx.cat.indicator(code)
    units = [ctx.unit] + ([ctx.district] if with_district else [])
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
                chart_label(v, ind.decimals, ctx.lang, suffix),
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
        target=ind.target if applies or with_district else None,
        suffix=suffix,
    )
    note = "" if ind.target is None or applies else target_scope_note(ctx, ind)
    return mark_chart(ctx, fig, labels, note)


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


def footer(ctx: Context) -> Html:
    """Data date and a content hash of the inputs instead of the wall-clock time."""
    years = sorted(ctx.rows_used()["year"].unique())
    if not years:
        return ctx.footer(f"Chưa có số liệu đến năm {ctx.year}", f"No data up to {ctx.year}")
    return ctx.footer(f"Số liệu đến năm {max(years)}", f"Data up to {max(years)}")
