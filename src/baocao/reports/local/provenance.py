"""What a local report's page says about where its figures come from, all derived from the data:
the banner (what is illustrative; which published figures the page uses, which of their periods
are ours, and what comparing them with the data does and does not show), the legend of the marks
the page shows, the sources as a person would cite them (with the documents of the targets), and
the footnotes of the published figures. The marks themselves are
:mod:`baocao.reports.local.marks`. The banner, the data-quality section and the footnotes read
their counts from one computation (:meth:`~baocao.reports.local.context.Context.page_counts`).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from baocao import fmt
from baocao.data import provenance
from baocao.data.observations import period_label
from baocao.data.provenance import ILLUSTRATIVE_MARKERS, is_illustrative
from baocao.data.published import as_of, inference, is_inferred
from baocao.reports.kit import VERDICT_LABELS, Html, esc, in_lang
from baocao.reports.local.context import Context
from baocao.reports.local.marks import figure_label


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
                    "Mọi con số tính từ các dòng này, kể cả số liệu toàn huyện, là số minh họa và mang ký "
                    f"hiệu {provenance.mark('illustrative', 'vi')}.",
                    f"Generated for illustration, not real data: the figures of {'; '.join(levels)}. Every "
                    "figure computed from them — district totals included — is illustrative and marked "
                    f"{provenance.mark('illustrative', 'en')}.",
                )
            )
        )
    parts += published_sentences(ctx)
    cls = "banner-illustrative" if len(ill_rows) or len(ill_per) else "banner-provenance"
    return f'<div class="{cls}" role="note">' + " ".join(f"<p>{p}</p>" for p in parts) + "</div>"


def period_words(ctx: Context, row) -> str:
    """A published figure's period as the page says it: ``năm 2023``, ``kỳ 2022–2024``, and for a
    figure counted to a date ``tính đến khi bài viết được đăng (năm 2024)``."""
    y0, y1 = int(row.year_from), int(row.year_to)
    span = (
        ctx.in_lang(f"năm {y1}", f"year {y1}")
        if y0 == y1
        else ctx.in_lang(f"kỳ {period_label(y0, y1)}", f"period {period_label(y0, y1)}")
    )
    date = as_of(row)
    if not date:
        return span
    until = to_date_words(ctx, row.source, date)
    return until if y0 == y1 else f"{span}, {until}"


def to_date_words(ctx: Context, source: str, date: str) -> str:
    """``tính đến khi bài viết được đăng năm 2024`` when ``date`` is the source's own date,
    else ``tính đến năm 2024`` / ``tính đến ngày 31/12/2024``."""
    src = getattr(ctx.dataset, "sources", {}).get(str(source), {})
    if str(src.get("date") or "") == date:
        return ctx.in_lang(
            f"tính đến khi bài viết được đăng năm {date[:4]}", f"to the article's date in {date[:4]}"
        )
    if len(date) == 10:
        d = f"{date[8:]}/{date[5:7]}/{date[:4]}"
        return ctx.in_lang(f"tính đến ngày {d}", f"as of {d}")
    return ctx.in_lang(f"tính đến năm {date[:4]}", f"as of {date[:4]}")


def _count(n: int, lang: str) -> str:
    return fmt.number(n, 0, lang)


def published_sentences(ctx: Context) -> list[str]:
    """What the page says about its published figures (the banner's part and the data-quality
    section): which figures and of which periods, which periods are ours, and what comparing them
    with the data shows — every count from :meth:`~Context.page_counts`."""
    pub = ctx.page_published()
    where = ctx.district.in_text(ctx.lang)
    if not len(pub):
        return [
            esc(
                ctx.in_lang(
                    f"Không có số liệu đã công bố nào của {where} cho {'kỳ' if ctx.is_period else 'năm'} "
                    f"{ctx.span}: không có gì để đối chiếu.",
                    f"No published figures of {where} for {'the period' if ctx.is_period else 'the year'} "
                    f"{ctx.span}: nothing to reconcile.",
                )
            )
        ]
    names = "; ".join(sorted({_source_name(ctx, s) for s in pub["source"]}))
    # the periods the source states apart from those we infer: "nguồn nêu" is never said of ours
    groups: dict[tuple[str, bool], int] = {}
    for r in pub.itertuples(index=False):
        key = (period_words(ctx, r), is_inferred(r))
        groups[key] = groups.get(key, 0) + 1
    lang = ctx.lang

    def listed(inferred: bool) -> str:
        return "; ".join(
            f"{_count(n, lang)} "
            + (k if k.startswith(("tính đến", "to the", "as of")) else ctx.in_lang(f"của {k}", f"for {k}"))
            for (k, inf), n in groups.items()
            if inf == inferred
        )

    counts = ctx.page_counts()
    n = _count(len(pub), lang)
    scope = (
        ctx.in_lang(f"trong kỳ {ctx.span}", f"in the period {ctx.span}")
        if ctx.is_period
        else ctx.in_lang(f"đến năm {ctx.year}", f"up to {ctx.year}")
    )
    stated, ours = listed(False), listed(True)
    m = provenance.MARKS[lang]["inferred"]
    k = _count(len(counts["inferred"]), lang)
    out = [
        ctx.in_lang(
            f"Số liệu đã công bố ({names}): {scope}, nguồn nêu {n} con số về {where}"
            + (
                f". Nguồn nêu kỳ của {_count(len(pub) - len(counts['inferred']), lang)} con số: {stated}"
                if stated
                else ""
            )
            + ".",
            f"Published figures ({names}): {scope}, the source gives {n} figures on {where}"
            + (
                f". It gives the period of {len(pub) - len(counts['inferred'])} of them: {stated}"
                if stated
                else ""
            )
            + ".",
        )
    ]
    if counts["inferred"]:
        out.append(
            ctx.in_lang(
                f"Với {k} con số, bài viết không nêu kỳ hay thời điểm; kỳ, thời điểm ghi trong báo cáo là do "
                f"chúng tôi suy ra (ký hiệu {m}, lý do ở chú thích): {ours}.",
                f"For {k} figures the source gives no period or date; the period or date the report gives "
                f"is our inference (marked {m}; the reason is in the footnote): {ours}.",
            )
        )
    out += comparison_sentences(ctx, counts)
    out.append(
        ctx.in_lang(
            "Con số đã công bố nào có trong báo cáo đều được in đúng như nguồn, kèm số chú thích ghi nguồn "
            "và "
            "câu trích.",
            "Every published figure the report shows is printed exactly as the source prints it, with a "
            "footnote naming the source and quoting it.",
        )
    )
    return [esc(o) for o in out]


def comparison_sentences(ctx: Context, counts: dict) -> list[str]:
    """What comparing the page's published figures with the data shows, and what it does not: a
    comparison with rows generated to reproduce a figure, or with the figure itself typed in as
    data, is never counted as agreement; the source's own totals and rates are checked apart."""
    lang, out = ctx.lang, []
    labels = VERDICT_LABELS[lang]
    evidence = {v: n for v, n in counts["evidence"].items() if n}
    if evidence:
        listed = ", ".join(f"{_count(n, lang)} {labels[v]}" for v, n in evidence.items())
        out.append(
            ctx.in_lang(
                f"Đối chiếu với số liệu báo cáo: {listed}.",
                f"Against the reported data: {listed}.",
            )
        )
    if counts["illustrative"]:
        n = _count(len(counts["illustrative"]), lang)
        out.append(
            ctx.in_lang(
                f"{n} con số được so với số liệu minh họa sinh ra để tái lập chính các con số đó: so sánh "
                "này "
                "không cho biết con số nào đúng hay sai, nên không được tính là khớp.",
                f"{n} figures are compared with illustrative data generated to reproduce those very figures: "
                "that tells nothing about whether they are right, so none of them counts as a match.",
            )
        )
    if counts["same_source"]:
        n, ids = _count(len(counts["same_source"]), lang), ", ".join(counts["same_source"])
        out.append(
            ctx.in_lang(
                f"{n} con số ({ids}) được so với dòng số liệu lấy từ chính nguồn đó, tức là so với chính nó: "
                "đó không phải đối chiếu.",
                f"{n} figures ({ids}) are compared with data rows taken from the same source, that is with "
                "themselves: that is no reconciliation.",
            )
        )
    if counts["no_data"]:
        n = _count(len(counts["no_data"]), lang)
        out.append(
            ctx.in_lang(
                f"{n} con số không có số liệu để tính lại.", f"{n} figures have no data to recompute them."
            )
        )
    checks = {v: n for v, n in counts["checks"].items() if n}
    if checks:
        listed = ", ".join(f"{_count(n, lang)} {labels[v]}" for v, n in checks.items())
        failed = ", ".join(counts["failed_checks"])
        out.append(
            ctx.in_lang(
                "Kiểm tra bằng chính các con số của nguồn (tổng so với các thành phần, tỷ lệ so với tử số và "
                f"mẫu số nguồn nêu): {listed}" + (f" ({failed})." if failed else "."),
                "Checked against the source's own figures (totals against their parts, rates against the "
                f"numerator and denominator it gives): {listed}" + (f" ({failed})." if failed else "."),
            )
        )
    return out


def has_illustrative(ctx: Context) -> bool:
    """Whether the report reads illustrative (generated) rows: its banner and its index entry say so."""
    rows, per = ctx.rows_used(), ctx.periods_used()
    return bool(is_illustrative(rows["source"]).any() or is_illustrative(per["source"]).any())


def _source_name(ctx: Context, key: str) -> str:
    src = getattr(ctx.dataset, "sources", {}).get(key, {})
    return str(src.get(f"name_{ctx.lang}") or src.get("name_vi") or src.get(f"title_{ctx.lang}") or key)


def legend(ctx: Context) -> str:
    """One line: what the marks after the figures mean — the marks the page showed
    (:attr:`Context.shown`), no other; "" when it showed none."""
    items = [
        f"<sup class='mark'>{esc(m)}</sup> {esc(text)}" for m, text in provenance.legend(ctx.shown, ctx.lang)
    ]
    if not items:
        return ""
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
        src = getattr(ctx.dataset, "sources", {}).get(p, {})
        why = str(src.get(f"date_inference_{ctx.lang}") or src.get("date_inference_vi") or "")
        out[
            cited
            + (ctx.in_lang(f" ({why})", f" ({why})") if why else "")
            + ctx.in_lang(
                " — cũng là nguồn các số liệu đã công bố dùng để đối chiếu",
                " — also the published figures the data are checked against",
            )
        ] = None
    out.update(dict.fromkeys(target_sources(ctx)))
    return list(out)


def target_sources(ctx: Context) -> list[str]:
    """Where the targets the report judges by come from: each document, or one line saying which
    targets are illustrative (no document in the data sets them)."""
    from baocao.reports.local.sections import target_text

    out, examples = [], []
    for ind in ctx.cat.indicators.values():
        if ind.target is None:
            continue
        if ind.target_illustrative:
            examples.append(f"{ind.short(ctx.lang)} {target_text(ctx, ind, percent=True)}")
        else:
            out.append(
                ctx.in_lang(
                    f"Chỉ tiêu phấn đấu {ind.short('vi')} {target_text(ctx, ind, percent=True)}: "
                    f"{ind.target_document('vi')}",
                    f"Target {ind.short('en')} {target_text(ctx, ind, percent=True)}: "
                    f"{ind.target_document('en')}",
                )
            )
    if examples:
        m = provenance.MARKS[ctx.lang]["illustrative target"]
        out.append(
            ctx.in_lang(
                f"Chỉ tiêu phấn đấu minh họa (ký hiệu {m}): {'; '.join(examples)}. Số liệu chưa có văn bản "
                "giao "
                "các chỉ tiêu này (nghị quyết, kế hoạch hay quyết định có số và ngày), nên mọi đánh giá "
                "“đạt”, “chưa đạt” theo chúng chỉ là minh họa",
                f"Illustrative targets (marked {m}): {'; '.join(examples)}. No document in the data sets "
                "them "
                "(a resolution, plan or decision with its number and date), so every assessment against "
                "them is illustrative",
            )
        )
    return out


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
    """The footnote of a published figure: its source and the source's own words, its period (and
    why, when the period or date is ours), the source's own checks of it, and what comparing it
    with the data shows."""
    row = ctx.published[ctx.published["id"] == pub_id].iloc[0]
    r = ctx.reconciled.get(pub_id)
    lang = ctx.lang
    label = figure_label(
        ctx.cat, row.figure_type, row.code, "" if pd.isna(row.category) else str(row.category), lang
    )
    quote = str(row.quote or "")
    head = ctx.in_lang(
        f"{_source_name(ctx, row.source)}, con số {pub_id}"
        + (f": «{quote}»." if quote else ".")
        + f" {label}, {period_words(ctx, row)}.",
        f"{_source_name(ctx, row.source)}, figure {pub_id}"
        + (f": “{quote}”." if quote else ".")
        + f" {label}, {period_words(ctx, row)}.",
    )
    why = inference(row, lang)
    if why:
        head += " " + ctx.in_lang("Suy ra: ", "Inferred: ") + why + "."
    if r is None:
        return head
    return head + " " + " ".join(_checks(ctx, row, r) + [_comparison(ctx, row, r)])


def _num(ctx: Context, row, v: float, dec: int) -> str:
    unit = (
        ctx.cat.indicator(row.code) if row.figure_type == "indicator" else ctx.cat.element(row.code)
    ).unit(ctx.lang)
    return fmt.number(v, dec, ctx.lang) + ("%" if unit == "%" else "")


def _checks(ctx: Context, row, r) -> list[str]:
    """The source's own checks of a figure: a total against its parts, a rate against the
    numerator and denominator the source also gives (evidence about the source)."""
    d, lang, out = max(int(row.decimals), 0), ctx.lang, []
    by_id = ctx.published.set_index("id")
    if r.components:
        ids = r.components.split()
        pieces = [fmt.number(by_id.loc[c, "value"], d, lang) for c in ids if c in by_id.index]
        total = fmt.number(r.components_sum, d, lang)
        text = ctx.in_lang(
            f"Các thành phần nguồn nêu ({' + '.join(ids)}): {' + '.join(pieces)} = {total}",
            f"The parts the source gives ({' + '.join(ids)}): {' + '.join(pieces)} = {total}",
        )
        if r.components_verdict == "mismatch":
            gap = fmt.number(r.published - r.components_sum, d, lang)
            text += ctx.in_lang(
                f", không phải {fmt.number(r.published, d, lang)} (chênh {gap}); báo cáo giữ nguyên con số "
                "nguồn nêu.",
                f", not {fmt.number(r.published, d, lang)} (gap {gap}); the report keeps the figure as the "
                "source gives it.",
            )
        else:
            text += "; " + VERDICT_LABELS[lang][r.components_verdict] + "."
        out.append(text)
    if r.parts:
        a, b = r.parts.split()
        dec = d + 1 if r.parts_verdict == "rounding difference" else d
        ratio = (
            f"{fmt.number(by_id.loc[a, 'value'], 0, lang)}/{fmt.number(by_id.loc[b, 'value'], 0, lang)} = "
            f"{_num(ctx, row, r.parts_value, dec)}"
        )
        out.append(
            ctx.in_lang(
                f"Nguồn cũng nêu tử số và mẫu số ({a}, {b}): {ratio}; ",
                f"The source also gives the parts ({a}, {b}): {ratio}; ",
            )
            + _verdict_words(ctx, row, r.parts_verdict, r.published, r.parts_value)
            + "."
        )
    return out


def _verdict_words(ctx: Context, row, verdict: str, published: float, computed: float) -> str:
    d = max(int(row.decimals), 0)
    return {
        "match": ctx.in_lang("khớp", "matches"),
        "rounding difference": ctx.in_lang(
            f"nguồn làm tròn {'xuống' if published < computed else 'lên'} ({_num(ctx, row, published, d)})",
            f"the source rounds {'down' if published < computed else 'up'} ({_num(ctx, row, published, d)})",
        ),
        "mismatch": ctx.in_lang(
            f"không khớp với {_num(ctx, row, published, d)} nguồn nêu (chênh "
            f"{fmt.number(computed - published, d, ctx.lang)}); báo cáo giữ nguyên con số nguồn nêu",
            f"does not match the {_num(ctx, row, published, d)} the source gives (gap "
            f"{fmt.number(computed - published, d, ctx.lang)}); the report keeps the source's figure",
        ),
        "no data": ctx.in_lang("không có số liệu", "no data"),
    }[verdict]


def _comparison(ctx: Context, row, r) -> str:
    """What comparing the figure with the data shows: a verdict only against reported data of
    their own; against generated rows or the figure itself typed in as data, no verdict."""
    if r.basis == "none" or r.verdict == "no data":
        return ctx.in_lang("Không có số liệu để tính lại.", "No data to recompute it.")
    if r.basis == "same source":
        return ctx.in_lang(
            "Dòng số liệu của báo cáo cho con số này lấy từ chính nguồn này: không có số liệu độc lập để "
            "đối chiếu.",
            "The report's data row for this figure is taken from this same source: there is nothing "
            "independent to reconcile it with.",
        )
    d = max(int(row.decimals), 0)
    dec = (
        d + 1
        if r.verdict == "rounding difference"
        else max(d, ctx.cat.indicator(row.code).decimals if row.figure_type == "indicator" else 0)
    )
    ind = ctx.cat.indicator(row.code) if row.figure_type == "indicator" else None
    if ind is not None and ind.denominator and not pd.isna(r.numerator):
        factor = "" if ind.factor in (1, 100) else f" × {fmt.number(ind.factor, 0, ctx.lang)}"
        expr = (
            f"{fmt.number(r.numerator, 0, ctx.lang)}/{fmt.number(r.denominator, 0, ctx.lang)}{factor} = "
            f"{_num(ctx, row, r.computed, dec)}"
        )
    else:
        expr = _num(ctx, row, r.computed, dec)
    if r.basis == "illustrative":
        return ctx.in_lang(
            f"Số liệu minh họa được sinh ra để tái lập con số này ({expr}): so sánh này không cho biết con "
            "số "
            "đúng hay sai.",
            f"Illustrative data were generated to reproduce this figure ({expr}): the comparison tells "
            "nothing about whether it is right.",
        )
    what = _verdict_words(ctx, row, r.verdict, r.published, r.computed)
    if r.components_verdict == "mismatch" and abs(r.computed - r.components_sum) < 10.0**-dec / 2:
        what = ctx.in_lang("bằng tổng các thành phần", "equal to the sum of the parts")
    return ctx.in_lang(f"Tính từ số liệu: {expr}; {what}.", f"Computed from the data: {expr}; {what}.")


def footnotes(ctx: Context) -> Html:
    """The legend of the marks the page showed, then the footnotes of the published figures it
    showed, numbered in order of first use."""
    if not ctx.notes:
        return Html(legend(ctx))
    notes = ctx.published.set_index("id")["quote"].to_dict()

    rows = ctx.published.set_index("id")

    def item(pid: str, n: int) -> str:
        text = esc(footnote_text(ctx, pid))
        why = inference(rows.loc[pid], ctx.lang)
        if why:  # why the period, date or unit is ours: the exports read it from its own element
            said = esc(ctx.in_lang("Suy ra: ", "Inferred: ") + why + ".")
            text = text.replace(said, f'<span class="inference">{said}</span>', 1)
        quote = esc(notes.get(pid, ""))
        if quote:  # the source's own words, in its language
            for a, b in (("«", "»"), ("“", "”")):
                text = text.replace(
                    f"{a}{quote}{b}", f'<q lang="vi">{quote}</q>', 1
                )  # the browser adds the quotation marks
        return f'<li id="fn-{esc(pid)}" value="{n}">{text}</li>'

    items = "".join(item(pid, n) for pid, n in sorted(ctx.notes.items(), key=lambda kv: kv[1]))
    return Html(
        legend(ctx) + f'<section class="footnotes"><h2>{ctx.in_lang("Chú thích", "Notes")}</h2><ol '
        f'class="footnotes">{items}</ol></section>'
    )
