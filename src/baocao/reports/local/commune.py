"""The ``commune_report`` notebook: a commune's year next to its district — headline figures,
the commune's indicators with its rank among the district's communes, what falls below target,
trends next to the district, its place in the district, and the footnotes of the published
figures. One function per cell: the notebook imports this module as ``report``.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from baocao.reports import kit
from baocao.reports.kit import (
    MIN_RANKED,
    Chart,
    Html,
    check_lang,
    check_year,
    esc,
    html_table,
    load_data,
    rank_words,
)
from baocao.reports.local import communes, sections
from baocao.reports.local.campaign import topic_figures, topic_label, topic_rows
from baocao.reports.local.communes import commune_values
from baocao.reports.local.context import Context, find_unit, make_context
from baocao.reports.local.marks import rank_html
from baocao.reports.local.provenance import footnotes
from baocao.reports.local.sections import (
    assessment,
    footer,
    headline_cards,
    judged,
    nothing_reported,
    running_name,
    target_html,
    target_scope_note,
)

__all__ = [  # what the notebook calls
    "open_report",
    "title_block",
    "headline",
    "commune_table",
    "below_target",
    "chart_trend",
    "chart_communes_ranked",
    "footnotes",
    "footer",
    # and what the registry calls, and the map a commune report can show
    "open_commune",
    "summary",
    "chart_communes_map",
]

open_report = kit.open_report  # the notebook's first call (the same for every report family)

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


def open_commune(commune: str = "Núi Sập", year: int = 2024, lang: str = "vi", data_dir: str = "") -> Context:
    ds = load_data(data_dir)
    c = find_unit(ds, commune, "commune")
    return make_context(
        "commune",
        unit=c,
        district=ds.registry.parent(c.code),
        year=check_year(year),
        lang=check_lang(lang),
        data_dir=data_dir,
        dataset=ds,
    )


def summary(ctx: Context) -> dict:
    """Title, headline figures (the first of the page's cards, with their marks) and the
    illustrative banner, for the build's index page."""
    return sections.summary(ctx, COMMUNE_INDICATORS[:6])


def title_block(ctx: Context) -> Html:
    """Title, unit, year, sources, the banner and the legend of the provenance marks (both derived
    from the data); the output carries the report's :func:`summary`."""
    return sections.title_block(ctx, summary(ctx))


def headline(ctx: Context, codes: list[str] | None = None) -> Html:
    """Headline figures of the commune and year as cards, each with its provenance mark."""
    return headline_cards(ctx, codes or COMMUNE_INDICATORS[:6])


def chart_trend(ctx: Context, code: str) -> Chart:
    """One indicator over the years, next to the district's."""
    return sections.chart_trend(ctx, code, with_district=True)


def chart_communes_ranked(ctx: Context, code: str | None = None) -> Chart:
    """Every commune of the district ranked on ``code`` (default: the ``compare`` indicator), this one
    highlighted."""
    return communes.chart_communes_ranked(ctx, code, highlight=ctx.unit.short)


def chart_communes_map(ctx: Context, code: str | None = None) -> Chart:
    """Every commune of the district on the map, this one highlighted."""
    return communes.chart_communes_map(ctx, code, highlight=ctx.unit.short)


def commune_table(ctx: Context, codes: list[str] | None = None) -> Html:
    """The commune's indicators next to the district value, its rank and the target. A target
    that applies only at district level does not judge the commune: the district value is judged
    instead, and a note says why. Ranks count the communes with a value (``2/9 xã có số liệu``),
    ties are ties (``đồng hạng 1/17``), and below three communes with a value there is none; a
    partial district figure is not judged."""
    codes = codes or COMMUNE_INDICATORS
    n = len(ctx.communes)
    rows, notes, few = [], [], []
    for code in codes:
        ind = ctx.cat.indicator(code)
        f = ctx.figure(code)
        if np.isnan(f.value):
            continue
        values = commune_values(ctx, code)
        mine = values.set_index("code").loc[ctx.unit.code]
        ranked_ill = bool(values.loc[values["rank"].notna(), "illustrative"].any())  # a rank's mark
        if ranked_ill and not np.isnan(mine["rank"]):
            ctx.shown.add("illustrative")
        dist = ctx.figure(code, unit=ctx.district.code)
        if ind.target is not None and not ind.target_applies(ctx.unit.level):
            verdict = Html(
                esc(
                    ctx.in_lang("không đánh giá cấp xã; toàn huyện: ", "not judged for a commune; district: ")
                )
                + (assessment(ctx, code, dist, ctx.district.level) or "–")
            )
            notes.append(target_scope_note(ctx, ind))
        else:
            verdict = assessment(ctx, code, f, ctx.unit.level)
        if np.isnan(mine["rank"]) and int(mine["of"]) < MIN_RANKED:
            few.append(ind.short(ctx.lang))
        rows.append(
            {
                ctx.in_lang("Chỉ tiêu", "Indicator"): f"{ind.name(ctx.lang)} ({ind.unit(ctx.lang)})",
                ctx.unit.short: ctx.show(f),
                ctx.district.label(ctx.lang): ctx.show(dist) if not np.isnan(dist.value) else "–",
                ctx.in_lang("Xếp hạng", "Rank"): rank_html(
                    rank_words(
                        mine["rank"], bool(mine["tied"]), int(mine["of"]), n, ctx.lang, "xã", "communes"
                    ),
                    ranked_ill,
                    ctx.lang,
                ),
                ctx.in_lang("Chỉ tiêu phấn đấu", "Target"): target_html(ctx, ind, ctx.unit.level),
                ctx.in_lang("Đánh giá", "Assessment"): verdict,
            }
        )
    if not rows:
        return nothing_reported(ctx)
    df = pd.DataFrame(rows)
    out = str(html_table(df, numeric=list(df.columns[1:5])))
    if few:  # why a rank is "–": a rank of one or two communes says nothing
        names = ", ".join(n[:1].lower() + n[1:] if ctx.lang == "vi" else n for n in few)
        notes.append(
            ctx.in_lang(
                f"Không xếp hạng ({names}): dưới {MIN_RANKED} xã, thị trấn có số liệu.",
                f"Not ranked ({names}): fewer than {MIN_RANKED} communes have a figure.",
            )
        )
    if notes:
        out += "".join(f"<p class='note'>{esc(n_)}</p>" for n_ in dict.fromkeys(notes))
    return Html(out)


def sup_mark(ctx: Context) -> str:
    from baocao.data import provenance

    m = provenance.MARKS[ctx.lang]["illustrative target"]
    title = provenance.LEGEND[ctx.lang]["illustrative target"]
    ctx.shown.add("illustrative target")
    return f'<sup class="mark" title="{esc(title)}">{esc(m)}</sup>'


def below_target(ctx: Context) -> Html:
    """What falls below target in the report year, in words; targets that do not apply at the
    unit's level are not counted (and said so). Only figures that exist are judged: with none, the
    report says it has nothing to judge; indicators with a target but no figure are named."""
    misses, skipped, judged_codes, unjudged = [], [], [], []
    level = ctx.unit.level
    for code, ind in ctx.cat.indicators.items():
        f = ctx.figure(code, with_unit=True)
        if ind.target is not None and not np.isnan(f.value) and not ind.target_applies(level):
            skipped.append(target_scope_note(ctx, ind))
            continue
        if not ind.target_applies(level):
            continue
        ok = judged(ctx, code, f, level)
        if ok is None:
            unjudged.append(ind.short(ctx.lang))
            continue
        judged_codes.append(code)
        if ok is False:
            example = ctx.in_lang(" minh họa", " (illustrative)") if ind.target_illustrative else ""
            misses.append(
                f"{esc(ind.name(ctx.lang))}: {ctx.show(f)} ({ctx.in_lang('chỉ tiêu', 'target')}{example} "
                f"{target_html(ctx, ind, percent=True)})"
            )
    ind = ctx.cat.indicator("ty_le_dv_tham_du")
    for tr in topic_rows(ctx):
        rate = topic_figures(ctx, tr)["rate"]
        if judged(ctx, "ty_le_dv_tham_du", rate, level) is False:
            example = ctx.in_lang(" minh họa", " (illustrative)") if ind.target_illustrative else ""
            misses.append(
                f"{esc(ind.short(ctx.lang))} — {esc(topic_label(ctx, tr['category']))}: {ctx.show(rate)} "
                f"({ctx.in_lang('chỉ tiêu', 'target')}{example} {target_html(ctx, ind, percent=True)})"
            )
    notes = "".join(f"<p class='note'>{esc(s)}</p>" for s in dict.fromkeys(skipped))
    if unjudged:
        names = ", ".join(n[:1].lower() + n[1:] if ctx.lang == "vi" else n for n in unjudged)
        notes += (
            "<p class='note'>"
            + esc(
                ctx.in_lang(
                    f"Chưa có số liệu để đánh giá: {names}.",
                    f"No figure to judge against its target: {names}.",
                )
            )
            + "</p>"
        )
    if not misses and not judged_codes:
        where = running_name(ctx, ctx.unit)
        return Html(
            "<p>"
            + esc(
                ctx.in_lang(
                    f"Năm {ctx.year}, {where} chưa có số liệu nào để đánh giá theo chỉ tiêu phấn đấu.",
                    f"In {ctx.year}, {where} has no figure to judge against a target.",
                )
            )
            + "</p>"
            + notes
        )
    if not misses:
        example = any(ctx.cat.indicator(c).target_illustrative for c in judged_codes)
        which_vi = "có số liệu và " if unjudged else ""  # the others are named in the note
        which_en = " with a figure" if unjudged else ""
        return Html(
            "<p>"
            + ctx.in_lang(
                f"Năm {ctx.year}, {esc(ctx.unit.in_text('vi'))} đạt mọi chỉ tiêu phấn đấu {which_vi}áp dụng "
                "cho cấp xã"
                + (
                    " (các chỉ tiêu này là chỉ tiêu minh họa" + f"{sup_mark(ctx)}, không có văn bản giao)."
                    if example
                    else "."
                ),
                f"In {ctx.year}, {esc(ctx.unit.in_text('en'))} meets every target{which_en} that applies "
                "to a commune"
                + (f" (illustrative targets{sup_mark(ctx)} that no document sets)." if example else "."),
            )
            + "</p>"
            + notes
        )
    items = "".join(f"<li>{m}</li>" for m in dict.fromkeys(misses))
    return Html(
        f"<p>{ctx.in_lang(f'Năm {ctx.year}, các chỉ tiêu chưa đạt:', f'In {ctx.year}, below target:')}"
        "</p><ul "
        f"class='below-target'>{items}</ul>" + notes
    )
