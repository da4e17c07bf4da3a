"""What a local report's page says about where its figures come from, all derived from the data:
the banner (what is illustrative, whether published figures exist and reconcile), the legend of
the marks, the sources as a person would cite them, and the footnotes of the published figures.
The marks themselves are :mod:`baocao.reports.local.marks`.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from baocao import fmt
from baocao.data import provenance
from baocao.data.observations import period_label
from baocao.data.provenance import ILLUSTRATIVE_MARKERS, is_illustrative
from baocao.reports.kit import Html, esc, in_lang
from baocao.reports.local.context import Context
from baocao.reports.local.marks import figure_label


def relevant_published(ctx: Context) -> pd.DataFrame:
    """Published rows the report can show: a year report shows the year's figures and the
    figures of a topic reported for a period that contains the year; a period report every
    figure whose period overlaps it."""
    pub = ctx.published
    if not len(pub):
        return pub
    y0, y1 = pub["year_from"].astype(int), pub["year_to"].astype(int)
    cat = pub["category"].fillna("").astype(str)
    if ctx.is_period:
        keep = (y0 <= ctx.year) & (y1 >= ctx.first_year)
    else:
        keep = ((y0 == ctx.year) & (y1 == ctx.year)) | (
            (y0 < y1) & (y0 <= ctx.year) & (y1 >= ctx.year) & (cat != "")
        )
    return pub[keep & (pub["unit"].astype(str) == ctx.district.code)]


def _years_text(years, lang: str) -> str:
    """``2022, 2023, 2024`` and periods ``kỳ 2021–2025`` in one list."""
    out = []
    for y in years:
        out.append(str(y) if isinstance(y, (int, np.integer)) else in_lang(f"kỳ {y}", f"period {y}", lang))
    return ", ".join(out)


def banner(ctx: Context) -> str:
    """What is illustrative (which levels, which years), and whether published figures exist
    and are reproduced — all derived from the rows' ``source`` and the reconciliation."""
    rows = ctx.rows_used()
    per = ctx.periods_used()
    ill_rows = rows[is_illustrative(rows["source"])] if len(rows) else rows
    ill_per = per[is_illustrative(per["source"])] if len(per) else per
    parts = []
    if len(ill_rows) or len(ill_per):
        levels = []
        for level, label in (
            ("commune", ctx.in_lang("cấp xã", "commune level")),
            (
                "district",
                ctx.in_lang(
                    "cấp huyện (số ghi trực tiếp cho huyện)",
                    "district level (values recorded for the district)",
                ),
            ),
        ):
            codes = {ctx.district.code} if level == "district" else {u.code for u in ctx.communes}
            ys = (
                sorted(int(y) for y in ill_rows.loc[ill_rows["unit"].isin(codes), "year"].unique())
                if len(ill_rows)
                else []
            )
            ps = (
                sorted(
                    {
                        period_label(a, b)
                        for a, b in zip(
                            ill_per.loc[ill_per["unit"].isin(codes), "year_from"],
                            ill_per.loc[ill_per["unit"].isin(codes), "year_to"],
                        )
                    }
                )
                if len(ill_per)
                else []
            )
            if ys or ps:
                levels.append(f"{label}: {_years_text([*ys, *ps], ctx.lang)}")
        parts.append(
            "<strong>"
            + ctx.in_lang("Số liệu minh họa", "Illustrative data")
            + f" ({esc(provenance.mark('illustrative', ctx.lang))}).</strong> "
            + esc(
                ctx.in_lang(
                    f"Được sinh tự động để minh họa, không phải số liệu thật: số liệu {'; '.join(levels)}. "
                    "Mọi con số tính từ các dòng này — kể cả số liệu toàn huyện — là số minh họa và mang ký "
                    f"hiệu {provenance.mark('illustrative', 'vi')}.",
                    f"Generated for illustration, not real data: the figures of {'; '.join(levels)}. Every "
                    "figure computed from them — district totals included — is illustrative and marked "
                    f"{provenance.mark('illustrative', 'en')}.",
                )
            )
        )
    pub = relevant_published(ctx)
    if not len(pub):
        parts.append(
            esc(
                ctx.in_lang(
                    f"Không có số liệu đã công bố cho {ctx.district.label('vi')} trong kỳ báo cáo: không có "
                    "gì để đối chiếu.",
                    f"No published figures for {ctx.district.label('en')} in this report's period: nothing "
                    "to reconcile.",
                )
            )
        )
    else:
        rec = [ctx.reconciled[i] for i in pub["id"] if i in ctx.reconciled]
        names = sorted({_source_name(ctx, s) for s in pub["source"]})
        n_match = sum(r.verdict == "match" for r in rec)
        n_round = sum(r.verdict == "rounding difference" for r in rec)
        n_bad = sum(r.verdict in ("mismatch", "no data") or r.components_verdict == "mismatch" for r in rec)
        parts.append(
            esc(
                ctx.in_lang(
                    f"Số liệu đã công bố ({'; '.join(names)}): {ctx.district.label('vi')} có {len(pub)} con "
                    f"số cho {'kỳ' if ctx.is_period else 'năm'} {ctx.span}. "
                    f"Đối chiếu với số liệu tính được: {n_match} khớp, {n_round} chênh do làm tròn, {n_bad} "
                    "không khớp hoặc không tính lại được. "
                    "Con số đã công bố nào có trong báo cáo đều được in đúng như đã công bố, kèm số chú "
                    "thích ghi nguồn và cách đối chiếu.",
                    f"Published figures ({'; '.join(names)}): {ctx.district.label('en')} has {len(pub)} for "
                    f"{'the period' if ctx.is_period else 'the year'} {ctx.span}. "
                    f"Against the computed values: {n_match} match, {n_round} differ by rounding, {n_bad} do "
                    "not match or cannot be recomputed. "
                    "Every published figure the report shows is printed exactly as published, with a "
                    "footnote naming its source and how it compares.",
                )
            )
        )
    cls = "banner-illustrative" if len(ill_rows) or len(ill_per) else "banner-provenance"
    return f'<div class="{cls}" role="note">' + " ".join(f"<p>{p}</p>" for p in parts) + "</div>"


def _source_name(ctx: Context, key: str) -> str:
    src = getattr(ctx.dataset, "sources", {}).get(key, {})
    return str(src.get(f"name_{ctx.lang}") or src.get("name_vi") or src.get(f"title_{ctx.lang}") or key)


def legend(ctx: Context) -> str:
    """One line: what the marks after the figures mean (only the provenances this report has)."""
    rows, per = ctx.rows_used(), ctx.periods_used()
    src = pd.concat([rows["source"], per["source"]], ignore_index=True)
    ill = is_illustrative(src)
    present = (
        (["published"] if len(relevant_published(ctx)) else [])
        + (["illustrative"] if ill.any() else [])
        + (["computed"] if (~ill).any() else [])
    )
    items = [
        f"<sup class='mark'>{esc(m)}</sup> {esc(text)}" for m, text in provenance.legend(present, ctx.lang)
    ]
    return (
        f'<p class="legend-provenance"><strong>{ctx.in_lang("Ký hiệu", "Marks")}:</strong> '
        + " · ".join(items)
        + "</p>"
    )


def sources(ctx: Context) -> list[str]:
    """The sources of the report's figures as a person would cite them: title, kind, year; the
    generated (illustrative) rows as one plain sentence; each source once."""
    out: dict[str, None] = {}
    for src in sorted(set(ctx.rows_used()["source"]) | set(ctx.periods_used()["source"])):
        if any(m in src.lower() for m in ILLUSTRATIVE_MARKERS):
            out[
                ctx.in_lang(
                    "Số liệu minh họa (các số có dấu mh): sinh tự động, không phải số liệu thật",
                    "Illustrative figures (marked il): generated, not real data",
                )
            ] = None
        else:
            out[_cite(src, ctx.lang)] = None
    pub = sorted(set(ctx.dataset.published["source"])) if len(ctx.dataset.published) else []
    for p in pub:
        cited = _cite(_source_name(ctx, p), ctx.lang)
        out.pop(cited, None)
        out[
            cited
            + ctx.in_lang(
                " — cũng là nguồn các số liệu đã công bố dùng để đối chiếu",
                " — also the published figures the data are checked against",
            )
        ] = None
    return list(out)


def _cite(source: str, lang: str) -> str:
    """``Bài báo “Tên” (2024)`` as a citation: ``“Tên”, bài báo, 2024`` (other sources unchanged)."""
    import re

    m = re.fullmatch(
        r"\s*(Bài báo|Báo cáo|Văn bản|News article|Article|Report)\s+(“[^”]+”)\s*\((\d{4})\)\s*", source
    )
    if not m:
        return source
    document_types = {
        "Bài báo": ("bài báo", "newspaper article"),
        "Article": ("bài báo", "newspaper article"),
        "News article": ("bài báo", "newspaper article"),
        "Báo cáo": ("báo cáo", "report"),
        "Report": ("báo cáo", "report"),
        "Văn bản": ("văn bản", "document"),
    }
    document_type = document_types[m.group(1)][0 if lang == "vi" else 1]
    return f"{m.group(2)}, {document_type}, {m.group(3)}"


def footnote_text(ctx: Context, pub_id: str) -> str:
    """The footnote of a published figure: its source and row, the quoted sentence, its period,
    and how it compares with the value computed from the data."""
    row = ctx.published[ctx.published["id"] == pub_id].iloc[0]
    r = ctx.reconciled.get(pub_id)
    d = max(int(row.decimals), 0)
    lang = ctx.lang
    label = figure_label(
        ctx.cat, row.figure_type, row.code, "" if pd.isna(row.category) else str(row.category), lang
    )
    span = period_label(row.year_from, row.year_to)
    head = ctx.in_lang(
        f"{_source_name(ctx, row.source)}, số liệu {pub_id} (published.csv): «{row.note}». {label}, "
        f"{'kỳ' if int(row.year_from) != int(row.year_to) else 'năm'} {span}.",
        f"{_source_name(ctx, row.source)}, figure {pub_id} (published.csv): “{row.note}”. {label}, "
        f"{'period' if int(row.year_from) != int(row.year_to) else 'year'} {span}.",
    )
    if r is None:
        return head
    unit = (
        ctx.cat.indicator(row.code) if row.figure_type == "indicator" else ctx.cat.element(row.code)
    ).unit(lang)
    pct = unit == "%"

    def num(v, dec):
        return fmt.number(v, dec, lang) + ("%" if pct else "")

    tail = []
    if r.components:
        comps = ctx.published.set_index("id")
        pieces = [
            fmt.number(comps.loc[c, "value"], d, lang) for c in r.components.split() if c in comps.index
        ]
        tail.append(
            ctx.in_lang(
                f"Gồm các số liệu {' + '.join(r.components.split())} do bài viết nêu: {' + '.join(pieces)} = "
                f"{fmt.number(r.components_sum, d, lang)}",
                f"Made of the figures {' + '.join(r.components.split())} the source gives: "
                f"{' + '.join(pieces)} = {fmt.number(r.components_sum, d, lang)}",
            )
            + (
                ctx.in_lang(
                    f", không phải {fmt.number(r.published, d, lang)} (chênh "
                    f"{fmt.number(r.published - r.components_sum, d, lang)}); "
                    "báo cáo giữ nguyên số đã công bố.",
                    f", not {fmt.number(r.published, d, 'en')} (gap "
                    f"{fmt.number(r.published - r.components_sum, d, 'en')}); the report keeps the published "
                    "figure.",
                )
                if r.components_verdict == "mismatch"
                else "."
            )
        )
    if r.verdict == "no data":
        tail.append(ctx.in_lang("Không có số liệu để tính lại.", "No data to recompute it."))
    else:
        dec = (
            d + 1
            if r.verdict == "rounding difference"
            else max(d, ctx.cat.indicator(row.code).decimals if row.figure_type == "indicator" else 0)
        )
        ind = ctx.cat.indicator(row.code) if row.figure_type == "indicator" else None
        if ind is not None and ind.denominator and not pd.isna(r.numerator):
            factor = "" if ind.factor in (1, 100) else f" × {fmt.number(ind.factor, 0, lang)}"
            expr = (
                f"{fmt.number(r.numerator, 0, lang)}/{fmt.number(r.denominator, 0, lang)}{factor} = "
                f"{num(r.computed, dec)}"
            )
        else:
            expr = num(r.computed, dec)
        what = {
            "match": ctx.in_lang("khớp", "matches"),
            "rounding difference": ctx.in_lang(
                f"bài viết làm tròn {'xuống' if r.published < r.computed else 'lên'} ({num(r.published, d)})",
                f"the source rounds {'down' if r.published < r.computed else 'up'} ({num(r.published, d)})",
            ),
            "mismatch": ctx.in_lang(
                f"không khớp với {num(r.published, d)} đã công bố (chênh "
                f"{fmt.number(r.computed - r.published, d, lang)}); báo cáo giữ nguyên số đã công bố",
                f"does not match the published {num(r.published, d)} (gap "
                f"{fmt.number(r.computed - r.published, d, lang)}); the report keeps the published figure",
            ),
        }[r.verdict]
        if r.components_verdict == "mismatch" and abs(r.computed - r.components_sum) < 10.0**-dec / 2:
            what = ctx.in_lang("bằng tổng các thành phần", "equal to the sum of the parts")
        tail.append(
            ctx.in_lang(f"Tính từ số liệu: {expr}; {what}.", f"Computed from the data: {expr}; {what}.")
        )
        if r.illustrative:
            tail.append(
                ctx.in_lang(
                    "Số liệu dùng để tính lại là số liệu minh họa (sinh tự động).",
                    "The data it is recomputed from are illustrative (generated).",
                )
            )
    return head + " " + " ".join(tail)


def footnotes(ctx: Context) -> Html:
    """The footnotes of the published figures the report showed, numbered in order of first use."""
    if not ctx.notes:
        return Html("")
    notes = ctx.published.set_index("id")["note"].to_dict()

    def item(pid: str, n: int) -> str:
        text = esc(footnote_text(ctx, pid))
        quote = esc(notes.get(pid, ""))
        if quote:  # the source's own words, in its language
            for a, b in (("«", "»"), ("“", "”")):
                text = text.replace(
                    f"{a}{quote}{b}", f'<q lang="vi">{quote}</q>', 1
                )  # the browser adds the quotation marks
        return f'<li id="fn-{esc(pid)}" value="{n}">{text}</li>'

    items = "".join(item(pid, n) for pid, n in sorted(ctx.notes.items(), key=lambda kv: kv[1]))
    return Html(
        f'<section class="footnotes"><h2>{ctx.in_lang("Chú thích", "Notes")}</h2><ol '
        f'class="footnotes">{items}</ol></section>'
    )
