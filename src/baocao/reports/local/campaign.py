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
from baocao.data.published import as_of
from baocao.reports.kit import Html, ReportError, as_chart, esc, html_table
from baocao.reports.local.context import Context
from baocao.reports.local.marks import Fig, chart_label, inferred_html, mark_chart
from baocao.reports.local.provenance import to_date_words
from baocao.reports.local.sections import assessment, nothing_reported, target_html, verdict_words


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


def period_cell(ctx: Context, tr: dict, f: dict) -> Html:
    """The period of a topic's row as the page says it: ``2023``, or for a topic of several years
    ``2021–2025`` and, when the source gives its figures to a date, ``tính đến khi bài viết được
    đăng (năm 2024)`` with the mark of an inferred date."""
    span = period_label(tr["year_from"], tr["year_to"])
    row = ctx.published_row(
        "indicator", "hn_so", ctx.unit.code, tr["year_from"], tr["year_to"], tr["category"]
    )
    if not tr["period"] or row is None or not as_of(row):
        return Html(esc(span))
    until = to_date_words(ctx, row.source, as_of(row))
    ctx.shown.add("inferred")
    return inferred_html(f"{span}, {until}", ctx.lang)


def flows_only(ctx: Context, codes: list[str]) -> None:
    """A chart of yearly bars adds up flows; a stock (funds active, money raised to date) is never
    drawn as a year's flow: a :class:`ReportError` names it."""
    stocks = [c for c in codes if ctx.cat.is_stock(c)]
    if stocks:
        raise ReportError(
            f"{', '.join(stocks)}: số liệu tính đến một thời điểm, không vẽ thành số liệu từng năm / a "
            "stock is "
            "never drawn as a yearly flow"
        )


def campaign_table(ctx: Context) -> Html:
    """Per topic: period, conferences, attendances, members expected, rate, target. A topic
    reported for a period of several years is shown with its span (and the date its figures are
    counted to) and never added into a year."""
    ind = ctx.cat.indicator("ty_le_dv_tham_du")
    rows = []
    topics = topic_rows(ctx)
    for tr in topics:
        f = topic_figures(ctx, tr)
        rows.append(
            {
                ctx.in_lang("Chuyên đề", "Topic"): topic_label(ctx, tr["category"]),
                ctx.in_lang("Kỳ", "Period"): period_cell(ctx, tr, f),
                ctx.in_lang("Hội nghị", "Conferences"): ctx.show(f["conf"]),
                ctx.in_lang("Lượt đảng viên tham dự", "Attendances"): ctx.show(f["att"]),
                ctx.in_lang("Đảng viên phải tham dự", "Members expected"): ctx.show(f["members"]),
                ctx.in_lang("Tỷ lệ", "Rate"): ctx.show(f["rate"]),
                ctx.in_lang("Chỉ tiêu", "Target"): target_html(ctx, ind, percent=True),
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
        for f in (conf, att):  # a published total whose own published parts add up to something else
            r = ctx.reconciled.get(f.pub_id) if f.pub_id else None
            if r is not None and r.components_verdict == "mismatch":
                row = ctx.published[ctx.published["id"] == f.pub_id].iloc[0]
                words = str(row.unit_stated or ctx.cat.indicator(r.code).unit(ctx.lang))
                total = fmt.number(r.components_sum, max(r.decimals, 0), ctx.lang)
                totals_notes.append(
                    ctx.in_lang(
                        f"Bài viết nêu {f.text} {words}; các con số thành phần bài viết nêu cộng lại là "
                        f"{total} "
                        f"(xem chú thích {ctx.footnote(f.pub_id)}).",
                        f"The source gives {f.text} {words}; the parts it gives add up to {total} (see note "
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
        out += "<p class='note'>" + esc(period_topic_note(ctx, names)) + "</p>"
    return Html(out)


def period_topic_note(ctx: Context, names: str) -> str:
    """Why a topic of several years is not in any year's figures, and what the period's total
    holds: as the source states it, as we infer it (the period of a total the source gives with
    none), or as computed from the data."""
    if not ctx.is_period:
        return ctx.in_lang(
            f"{names}: số liệu chung cho nhiều năm, không thuộc riêng năm nào, nên không được cộng vào "
            f"số liệu của năm {ctx.year}.",
            f"{names}: a figure for several years together, not for any one year, so it is never added into "
            f"the figures of {ctx.year}.",
        )
    head = ctx.in_lang(
        f"{names}: số liệu chung cho nhiều năm, không thuộc riêng năm nào, nên không được cộng vào số "
        "liệu của năm nào",
        f"{names}: a figure for several years together, not for any one year, so it is never added into a "
        "year's figures",
    )
    total = ctx.figure("hn_so", year_from=ctx.first_year)
    if not total.pub_id:
        tail = ctx.in_lang(
            f"; tổng {ctx.span} tính từ số liệu gồm cả số liệu này.",
            f"; the {ctx.span} total computed from the data includes it.",
        )
    elif total.inferred:
        tail = ctx.in_lang(
            f"; tổng {total.text} hội nghị bài viết nêu bằng tổng của các chuyên đề, kể cả chuyên đề này, và "
            f"kỳ {ctx.span} của tổng đó là do chúng tôi suy ra từ chính phép cộng ấy (xem chú thích "
            f"{ctx.footnote(total.pub_id)}).",
            f"; the total of {total.text} conferences the source gives equals the sum of the topics, this "
            "one "
            f"included, and its period {ctx.span} is our inference from that sum (see note "
            f"{ctx.footnote(total.pub_id)}).",
        )
    else:
        tail = ctx.in_lang(
            f"; tổng {ctx.span} nguồn nêu gồm cả số liệu này.",
            f"; the {ctx.span} total the source gives includes it.",
        )
    return head + tail


def _attendees(ctx: Context, f: Fig) -> str:
    """The words after an attendance figure: the source's own (``đảng viên`` where it says
    ``4.489 đảng viên``), else the catalogue's (``lượt đảng viên``)."""
    if f.pub_id:
        row = ctx.published[ctx.published["id"] == f.pub_id.split()[0]].iloc[0]
        if str(row.unit_stated or "").strip():
            return str(row.unit_stated)
    return ctx.in_lang("lượt đảng viên", "party-member attendances")


def campaign_narrative(ctx: Context) -> Html:
    """The campaign in sentences built from the figures (published ones as published, with their
    footnotes, in the source's words: ``4.489 đảng viên`` where it says so); a period the source
    does not give is said to be ours."""
    where = ctx.unit.in_text(ctx.lang)
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
                row = ctx.published_row(
                    "indicator", "hn_so", ctx.unit.code, tr["year_from"], tr["year_to"], tr["category"]
                )
                if row is not None and as_of(row):
                    label += f" ({to_date_words(ctx, row.source, as_of(row))})"
            conf_html = ctx.show(f["conf"])  # in reading order: footnotes are numbered by first use
            att_html = ctx.show_pair(f["att"], f["members"]) if f["members"].pub_id else ctx.show(f["att"])
            rate = f["rate"]
            rate_html = ctx.show(rate) if not np.isnan(rate.value) else ""
            parts.append(
                ctx.in_lang(
                    f"{conf_html} hội nghị {esc(label[:1].lower() + label[1:])} cho {att_html} "
                    f"{esc(_attendees(ctx, f['att']))} tham dự"
                    + (f", đạt tỷ lệ {rate_html}" if rate_html else ""),
                    f"{conf_html} conferences on the {esc(label)} for {att_html} party-member attendances"
                    + (f", a rate of {rate_html}" if rate_html else ""),
                )
            )
        detail = ctx.in_lang("Cụ thể: ", "In detail: ") + "; ".join(parts) + "."
        if conf.inferred:
            text = ctx.in_lang(
                f"Bài viết nêu {esc(where)} đã tổ chức được {total_conf} hội nghị, có {att_total} "
                f"{esc(_attendees(ctx, att))} học tập, quán triệt, nhưng không nêu kỳ của hai con số này; kỳ "
                f"{ctx.span} là do chúng tôi suy ra (xem chú thích). " + detail,
                f"The source says {esc(where)} held {total_conf} conferences with {att_total} party-member "
                f"attendances but gives no period for them; {ctx.span} is our inference (see the notes). "
                + detail,
            )
        else:
            text = ctx.in_lang(
                f"Giai đoạn {ctx.span}, {esc(where)} đã tổ chức được {total_conf} hội nghị, có {att_total} "
                f"{esc(_attendees(ctx, att))} học tập, quán triệt. " + detail,
                f"In {ctx.span}, {esc(where)} held {total_conf} conferences with {att_total} party-member "
                "attendances. " + detail,
            )
        return Html(f"<p>{text}</p>")
    conf, att, rate = (
        ctx.figure("hn_so"),
        ctx.figure("hn_luot_dv"),
        ctx.figure("ty_le_dv_tham_du", with_unit=True),
    )
    year_topics = [tr for tr in topics if not tr["period"]]
    n_topics = len(year_topics)
    out = []
    if not np.isnan(conf.value):
        c_html, a_html, r_html = ctx.show(conf), ctx.show(att), ctx.show(rate)
        verdict = verdict_words(ctx, "ty_le_dv_tham_du", rate, ctx.unit.level)
        studied_vi = (
            topic_label(ctx, year_topics[0]["category"]).lower()
            if n_topics == 1
            else f"{n_topics} chuyên đề của năm"
        )
        studied_en = (
            topic_label(ctx, year_topics[0]["category"]) if n_topics == 1 else f"the year's {n_topics} topics"
        )
        out.append(
            ctx.in_lang(
                f"Năm {ctx.year}, {esc(where)} tổ chức {c_html} hội nghị học tập, quán triệt "
                f"{esc(studied_vi)}, "
                f"với {a_html} {esc(_attendees(ctx, att))} tham dự, đạt {r_html} số đảng viên phải tham "
                f"dự{verdict}.",
                f"In {ctx.year}, {esc(where)} held {c_html} study conferences on {esc(studied_en)} with "
                f"{a_html} party-member attendances, {r_html} of the members expected{verdict}.",
            )
        )
    for tr in topics:
        if not tr["period"]:
            continue
        f = topic_figures(ctx, tr)
        span = period_label(tr["year_from"], tr["year_to"])
        row = ctx.published_row(
            "indicator", "hn_so", ctx.unit.code, tr["year_from"], tr["year_to"], tr["category"]
        )
        until = f", {to_date_words(ctx, row.source, as_of(row))}" if row is not None and as_of(row) else ""
        c_html, a_html, r_html = ctx.show(f["conf"]), ctx.show(f["att"]), ctx.show(f["rate"])
        out.append(
            ctx.in_lang(
                # a total to a date within the period is a running total, not the whole period's
                f"{esc(topic_label(ctx, tr['category']))} (số liệu {'lũy kế ' if until else ''}của kỳ {span}"
                f"{esc(until)}, không cộng vào số liệu của năm {ctx.year}): {c_html} hội nghị, {a_html} "
                f"{esc(_attendees(ctx, f['att']))} tham dự, đạt tỷ lệ {r_html}.",
                f"The {esc(topic_label(ctx, tr['category']))} ({'the running total of ' if until else ''}"
                f"the period {span}{esc(until)}, not added into {ctx.year}): {c_html} conferences, {a_html} "
                f"attendances, a rate of {r_html}.",
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
        ctx,
        fig,
        [(chart_label(f.value, ind.decimals, ctx.lang, "%"), f, (f.value,)) for f in figs],
        target=ind if judge else None,
    )


@as_chart
def chart_campaign_over_years(ctx: Context):
    """Conferences and attendances per year: only the topics of each year
    (a period topic is never a year's).
    """
    from baocao.reports import charts  # matplotlib, seaborn: only when a chart is drawn

    codes = ["hn_so", "hn_luot_dv"]
    flows_only(ctx, codes)
    d = ctx.ind[
        (ctx.ind["unit"] == ctx.unit.code)
        & (ctx.ind["year"] <= ctx.year)
        & (ctx.ind["category"] == "")
        & ctx.ind["indicator"].isin(codes)
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
            f"Không gồm {names}: số liệu chung cho nhiều năm, không thuộc năm nào.",
            f"Excludes {names}: a figure for several years together, not any year's.",
        )
    return mark_chart(ctx, fig, labels, note)
