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
from baocao.data import provenance
from baocao.reports import registry
from baocao.reports.kit import Html, as_chart, cards_html, esc, sources_html, title_html
from baocao.reports.local.context import Context
from baocao.reports.local.marks import Fig, chart_label, mark_chart, marked_text
from baocao.reports.local.provenance import banner, sources
from baocao.reports.local.reporting import reporting_lines

CAMPAIGN_TOTALS = ["hn_so", "hn_luot_dv"]  # the campaign's totals: a period report shows them for the period


def report_title(ctx: Context) -> str:
    return f"{registry.require(ctx.kind).title(ctx.lang)} — {ctx.unit.label(ctx.lang)}, {ctx.span}"


def title_block(ctx: Context, summary: dict) -> Html:
    """Title, unit, year or period, the banner (derived from the data) and the sources. The legend
    of the marks closes the page, with the footnotes
    (:func:`~baocao.reports.local.provenance.footnotes`): it explains the marks the page showed.

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


def headline_items(ctx: Context, codes: list[str]) -> list[tuple[str, Fig, str]]:
    """The page's headline figures of ``codes``, in order: (label, figure, status class). A year
    report shows the unit's year; a period report the campaign's totals for the period and each
    other figure for the year the source reported it (:func:`featured_year`). A stock (funds,
    communes at a standard) is labelled with the date it is counted to; figures without a value
    are left out, and a partial figure has no status (it says how many units reported). The
    page's cards and the index's headline are both made from these."""
    out = []
    for code in codes:
        ind = ctx.cat.indicator(code)
        if ctx.is_period and code in CAMPAIGN_TOTALS:
            f = ctx.figure(code, year_from=ctx.first_year, with_unit=True)
            label, cls = f"{ind.short(ctx.lang)} ({ctx.span})", ""
        elif ctx.is_period and code == "ty_le_dv_tham_du":
            continue  # a rate of the period is no one topic's: the table gives each topic's
        else:
            y = featured_year(ctx, code) if ctx.is_period else ctx.year
            f = ctx.figure(code, year=y, with_unit=True)
            stock = ctx.cat.is_stock(code)
            when = ctx.in_lang(f"cuối năm {y}", f"end of {y}") if stock else str(y)
            label = ind.short(ctx.lang) + (f" ({when})" if ctx.is_period or stock else "")
            cls = status_class(ctx, code, f, ctx.unit.level)
        if not np.isnan(f.value):
            out.append((label, f, cls))
    return out


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


def headline_cards(ctx: Context, codes: list[str]) -> Html:
    """The :func:`headline_items` of ``codes`` as cards, each with its provenance mark and its
    status against the target (none for a partial figure, which says how many units reported);
    with none at all, a sentence says that nothing was reported."""
    cards = [(label, ctx.show(f), cls) for label, f, cls in headline_items(ctx, codes)]
    return cards_html(cards) if cards else nothing_reported(ctx)


def index_headline(ctx: Context, codes: list[str], n: int = 3) -> list[list[str]]:
    """The first ``n`` headline figures for the build's index page, as the page shows them:
    ``[label, text, mark, anchor, coverage]`` — the mark the page gives the figure (its footnote
    number, with ``s`` when its period is ours; ``mh``; ``t``), for a published figure the id of
    its footnote on the page (``fn-P01``), and for a partial figure how many units reported
    (``12/13 xã báo cáo``, "" for a complete one). Numbered as the page's cards number them
    (first use)."""
    out = []
    for label, f, _ in headline_items(ctx, codes)[:n]:
        note = ctx.footnote(f.pub_id) if f.pub_id else None
        m = provenance.mark(f.provenance, ctx.lang, note)
        if f.inferred:
            m += ", " + provenance.MARKS[ctx.lang]["inferred"]
        out.append([label, f.text, m, f"fn-{f.pub_id}" if f.pub_id else "", f.coverage])
    return out


def index_marks(ctx: Context, headline: list[list[str]]) -> dict:
    """What the index says beside the report's entry: its illustrative-data banner (one line, ""
    when it has none) and the meaning of the marks its ``headline`` carries."""
    from baocao.reports.local.provenance import has_illustrative

    marks = {m for item in headline for m in item[2].split(", ")}
    present = {
        k for k in ("computed", "illustrative", "inferred") if provenance.MARKS[ctx.lang][k] in marks
    } | ({"published"} if any(m.isdigit() for m in marks) else set())
    return {
        "banner": ctx.in_lang(
            "Số liệu minh họa (mh): sinh tự động, không phải số liệu thật.",
            "Illustrative data (il): generated, not real figures.",
        )
        if has_illustrative(ctx)
        else "",
        "legend": [list(item) for item in provenance.legend(present, ctx.lang)],
    }


HEADLINE_CODES = ["hn_so", "hn_luot_dv", "ty_le_dv_tham_du"]


def summary(ctx: Context, codes: list[str] | None = None) -> dict:
    """Title, headline figures and marks for the build's index page: the first three of the
    page's headline cards (``codes``, in the cards' order), with their marks, and the report's
    illustrative banner."""
    headline = index_headline(ctx, codes or HEADLINE_CODES)
    return {"title": report_title(ctx), "headline": headline, "marks": index_marks(ctx, headline)}


def assessment(ctx: Context, code: str, f: Fig, level: str | None = None) -> Html:
    """``đạt`` / ``chưa đạt`` against the target (:func:`judged`), with the mark of an illustrative
    target (a verdict by an example is an example); for a partial figure with a target that
    applies, that it is not judged and why; else ``""``."""
    ind = ctx.cat.indicator(code)
    ok = judged(ctx, code, f, level)
    if ok is None:
        if f.coverage and ind.target_applies(level) and ind.direction in ("higher", "lower"):
            return Html(
                esc(
                    ctx.in_lang(
                        "chưa đánh giá (chưa đủ đơn vị báo cáo)", "not judged (not every unit reported)"
                    )
                )
            )
        return Html("")
    words = ctx.in_lang("đạt", "met") if ok else ctx.in_lang("chưa đạt", "not met")
    if ind.target_illustrative:
        ctx.shown.add("illustrative target")
    return marked_text(words, ind.target_illustrative, ctx.lang, "verdict")


def target_text(ctx: Context, ind, level: str | None = None, percent: bool = False) -> str:
    if ind.target is None:
        return ""
    number = fmt.number(ind.target, ind.decimals if ind.target % 1 else 0, ctx.lang)
    text = ("≥ " if ind.direction == "higher" else "≤ ") + number
    text += "%" if percent and ind.unit_vi == "%" else ""
    if level is not None and not ind.target_applies(level):
        text += (
            ctx.in_lang(" (cấp huyện)", " (district)")
            if ind.target_levels == ("district",)
            else f" ({', '.join(ind.target_levels)})"
        )
    return text


def target_html(ctx: Context, ind, level: str | None = None, percent: bool = False) -> Html:
    """The target as a page shows it: :func:`target_text` with the illustrative mark when no
    document sets it."""
    if ind.target is not None and ind.target_illustrative:
        ctx.shown.add("illustrative target")
    about = (("code", ind.code), ("name", ind.name(ctx.lang)), ("measure", ind.unit(ctx.lang)))
    return marked_text(target_text(ctx, ind, level, percent), ind.target_illustrative, ctx.lang, about=about)


def verdict_words(ctx: Context, code: str, f: Fig, level: str | None = None) -> str:
    """`` (đạt chỉ tiêu minh họa ≥ 95%ᵐʰ)`` for a sentence (HTML): the verdict (:func:`judged`:
    never of a partial figure), the target and its mark; "" without a verdict."""
    ind = ctx.cat.indicator(code)
    ok = judged(ctx, code, f, level)
    if ok is None:
        return ""
    target = target_html(ctx, ind, percent=True)
    example = ind.target_illustrative
    return ctx.in_lang(
        f" ({'đạt' if ok else 'chưa đạt'} chỉ tiêu{' minh họa' if example else ''} {target})",
        f" ({'meets' if ok else 'below'} the{' illustrative' if example else ''} target {target})",
    )


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
    return mark_chart(ctx, fig, labels, note, target=ind if applies or with_district else None)


def footer(ctx: Context) -> Html:
    """Data date and a content hash of the inputs instead of the wall-clock time."""
    years = sorted(ctx.rows_used()["year"].unique())
    if not years:
        return ctx.footer(f"Chưa có số liệu đến năm {ctx.year}", f"No data up to {ctx.year}")
    return ctx.footer(f"Số liệu đến năm {max(years)}", f"Data up to {max(years)}")
