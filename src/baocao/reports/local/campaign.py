"""The campaign (học tập và làm theo tư tưởng, đạo đức, phong cách Hồ Chí Minh) in a local report:
the topics studied in the year or period, conferences, attendances and rates, as a table, in
sentences and as charts. A topic reported for a period of several years (the whole-term topic)
is shown with its span and never added into a year.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from baocao import fmt
from baocao.data import provenance
from baocao.data.aggregate import overlapping
from baocao.data.observations import period_label
from baocao.reports.kit import Html, as_chart, esc, html_table
from baocao.reports.local.context import Context
from baocao.reports.local.marks import Fig, chart_label, figure_label, mark_chart
from baocao.reports.local.sections import assessment, judged, nothing_reported


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


def topic_label(ctx: Context, cat: str) -> str:
    return ctx.cat.categories["topic"].option(cat).short(ctx.lang)


def topic_rows(ctx: Context) -> list[dict]:
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


def topic_figures(ctx: Context, tr: dict) -> dict:
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
        about = ctx.about("element", "hn_dv_phai_du", ctx.unit.code, a, b, cat)
        members = Fig(fmt.number(den, 0, ctx.lang), provenance.provenance_of(ill), None, den, about)
    else:
        conf = ctx.figure("hn_so", year=b, category=cat)
        att = ctx.figure("hn_luot_dv", year=b, category=cat)
        rate = ctx.figure("ty_le_dv_tham_du", year=b, category=cat, with_unit=True)
        members = ctx.figure("hn_dv_phai_du", year=b, category=cat, figure_type="element")
    return dict(conf=conf, att=att, members=members, rate=rate)


def campaign_table(ctx: Context) -> Html:
    """Per topic: period, conferences, attendances, members expected, rate, target. A topic
    reported for a period of several years is shown with its span and never added into a year."""
    ind = ctx.cat.indicator("ty_le_dv_tham_du")
    rows = []
    topics = topic_rows(ctx)
    for tr in topics:
        f = topic_figures(ctx, tr)
        rows.append(
            {
                ctx.in_lang("Chuyên đề", "Topic"): topic_label(ctx, tr["category"]),
                ctx.in_lang("Kỳ", "Period"): period_label(tr["year_from"], tr["year_to"])
                + (ctx.in_lang(" (cả kỳ)", " (whole period)") if tr["period"] else ""),
                ctx.in_lang("Hội nghị", "Conferences"): ctx.show(f["conf"]),
                ctx.in_lang("Lượt đảng viên tham dự", "Attendances"): ctx.show(f["att"]),
                ctx.in_lang("Đảng viên phải tham dự", "Members expected"): ctx.show(f["members"]),
                ctx.in_lang("Tỷ lệ", "Rate"): ctx.show(f["rate"]),
                ctx.in_lang("Chỉ tiêu", "Target"): "≥ " + fmt.percent(ind.target, 0, ctx.lang)
                if ind.target is not None
                else "",
                ctx.in_lang("Đánh giá", "Assessment"): assessment(
                    ctx, "ty_le_dv_tham_du", f["rate"], ctx.unit.level
                ),
            }
        )
    if not rows:
        return nothing_reported(ctx, "về học tập chuyên đề", "the campaign")
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
                    ctx.in_lang(
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
                ctx.in_lang("Chuyên đề", "Topic"): ctx.in_lang("Tổng cộng", "Total"),
                ctx.in_lang("Kỳ", "Period"): ctx.span,
                ctx.in_lang("Hội nghị", "Conferences"): ctx.show(conf),
                ctx.in_lang("Lượt đảng viên tham dự", "Attendances"): ctx.show(att),
                ctx.in_lang("Đảng viên phải tham dự", "Members expected"): "",
                ctx.in_lang("Tỷ lệ", "Rate"): "",
                ctx.in_lang("Chỉ tiêu", "Target"): "",
                ctx.in_lang("Đánh giá", "Assessment"): "",
            }
        )
    df = pd.DataFrame(rows)
    out = str(html_table(df, numeric=list(df.columns[2:7])))
    out += "".join(f"<p class='note'>{esc(n_)}</p>" for n_ in totals_notes)
    period_rows = [tr for tr in topics if tr["period"]]
    if period_rows:
        names = "; ".join(
            _with_span(topic_label(ctx, tr["category"]), period_label(tr["year_from"], tr["year_to"]))
            for tr in period_rows
        )
        out += (
            "<p class='note'>"
            + esc(
                ctx.in_lang(
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
    topics = topic_rows(ctx)
    if ctx.is_period:
        conf = ctx.figure("hn_so", year_from=ctx.first_year)
        att = ctx.figure("hn_luot_dv", year_from=ctx.first_year)
        if np.isnan(conf.value):
            return nothing_reported(ctx, "về học tập chuyên đề", "the campaign")
        total_conf, att_total = ctx.show(conf), ctx.show(att)
        parts = []
        for tr in topics:
            f = topic_figures(ctx, tr)
            label = topic_label(ctx, tr["category"])
            if tr["period"]:
                label += ctx.in_lang(
                    f" (cả kỳ {period_label(tr['year_from'], tr['year_to'])})",
                    f" (whole period {period_label(tr['year_from'], tr['year_to'])})",
                )
            conf_html = ctx.show(f["conf"])  # in reading order: footnotes are numbered by first use
            att_html = ctx.show_pair(f["att"], f["members"]) if f["members"].pub_id else ctx.show(f["att"])
            rate = f["rate"]
            rate_html = ctx.show(rate) if not np.isnan(rate.value) else ""
            parts.append(
                ctx.in_lang(
                    f"{conf_html} hội nghị {esc(label)} cho {att_html} lượt đảng viên tham dự"
                    + (f", đạt tỷ lệ {rate_html}" if rate_html else ""),
                    f"{conf_html} conferences on the {esc(label)} for {att_html} party-member attendances"
                    + (f", a rate of {rate_html}" if rate_html else ""),
                )
            )
        text = ctx.in_lang(
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
        ok = judged(ctx, "ty_le_dv_tham_du", rate, ctx.unit.level)
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
            ctx.in_lang(
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
        f = topic_figures(ctx, tr)
        span = period_label(tr["year_from"], tr["year_to"])
        c_html, a_html, r_html = ctx.show(f["conf"]), ctx.show(f["att"]), ctx.show(f["rate"])
        out.append(
            ctx.in_lang(
                f"{esc(topic_label(ctx, tr['category']))} là số liệu cả kỳ {span}, không cộng vào năm "
                f"{ctx.year}: {c_html} hội nghị, "
                f"{a_html} lượt đảng viên tham dự, đạt {r_html}.",
                f"The {esc(topic_label(ctx, tr['category']))} is reported for the whole period {span}, not "
                f"added into {ctx.year}: {c_html} conferences, "
                f"{a_html} attendances, a rate of {r_html}.",
            )
        )
    if not out:
        return nothing_reported(ctx, "về học tập chuyên đề", "the campaign")
    return Html("<p>" + " ".join(out) + "</p>")


@as_chart
def chart_rate_by_topic(ctx: Context):
    from baocao.reports import charts  # matplotlib, seaborn: only when a chart is drawn

    ind = ctx.cat.indicator("ty_le_dv_tham_du")
    labels, values, figs = [], [], []
    for tr in topic_rows(ctx):
        f = topic_figures(ctx, tr)["rate"]
        if np.isnan(f.value):
            continue
        span = period_label(tr["year_from"], tr["year_to"])
        name = topic_label(ctx, tr["category"])
        labels.append(_with_span(name, span))
        values.append(f.value)
        figs.append(f)
    df = pd.DataFrame({"label": labels, "value": values})
    judge = all(ctx.complete(f) for f in figs) and ind.target_applies(ctx.unit.level)
    fig = charts.rate_by_topic(
        df,
        target=ind.target if judge else None,  # partial figures are not judged: no target, no colours
        title=f"{ind.name(ctx.lang)}, {ctx.span}",
        value_label=ctx.in_lang("Tỷ lệ (%)", "Rate (%)"),
        decimals=ind.decimals,
        lang=ctx.lang,
    )
    return mark_chart(
        ctx, fig, [(chart_label(f.value, ind.decimals, ctx.lang, "%"), f, (f.value,)) for f in figs]
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
        title=ctx.in_lang(
            "Hội nghị và lượt đảng viên học tập qua các năm (chuyên đề của từng năm)",
            "Conferences and attendances over the years (each year's topics)",
        ),
        lang=ctx.lang,
    )
    labels = [
        (chart_label(v, 0, ctx.lang, ""), ctx.figure(c, year=int(y)), (int(y), float(v)))
        for c, y, v in zip(d["indicator"], d["year"], d["value"])
    ]
    per = _period_topics(ctx)
    note = ""
    if len(per):
        names = "; ".join(
            sorted(
                {
                    _with_span(topic_label(ctx, c), period_label(a, b))
                    for c, a, b in zip(per["category"], per["year_from"], per["year_to"])
                }
            )
        )
        note = ctx.in_lang(
            f"Không gồm {names}: số liệu cả kỳ, không thuộc năm nào.",
            f"Excludes {names}: a whole-period figure, not any year's.",
        )
    return mark_chart(ctx, fig, labels, note)
