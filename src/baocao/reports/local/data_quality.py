"""The ``data_quality`` notebook: a district's data checked — the validation problems, the rules in
words, and the published figures reconciled with what the data compute. One function per cell:
the notebook imports this module as ``report``. :func:`reconciliation_frame` is also what
``baocao validate`` prints.
"""

from __future__ import annotations

from types import SimpleNamespace

import pandas as pd
from markupsafe import escape

from baocao import fmt
from baocao.data.catalogue import Catalogue
from baocao.reports import kit
from baocao.reports.kit import (
    BASIS_WORDS,
    VERDICT_LABELS,
    Html,
    html_table,
    in_lang,
)
from baocao.reports.local import sections
from baocao.reports.local.context import Context, open_district_report
from baocao.reports.local.marks import figure_label, format_published
from baocao.reports.local.provenance import comparison_sentences, period_words
from baocao.reports.local.reporting import reporting_table
from baocao.reports.local.sections import footer, index_marks, report_title

__all__ = [  # what the notebook calls
    "open_report",
    "title_block",
    "problems_table",
    "rules_table",
    "reporting_table",
    "reconciliation_narrative",
    "reconciliation_block",
    "footer",
    # and what the registry calls
    "open_data_quality",
    "summary",
]

open_report = kit.open_report  # the notebook's first call (the same for every report family)


def open_data_quality(
    district: str = "Thoại Sơn", year: int = 2024, lang: str = "vi", data_dir: str = "", year_from: int = 0
) -> Context:
    """The data-quality report of a district for ``year``, or for the period ``year_from``…``year``
    (0: one year): the published figures it reconciles are those of the district report of the same
    year or period."""
    return open_district_report("data_quality", district, year, lang, data_dir, year_from)


def summary(ctx: Context) -> dict:
    """Title and headline figures for the build's index page: the data problems and the page's
    published figures by what comparing them shows (the counts of the page's banner)."""
    counts = ctx.page_counts()
    labels = VERDICT_LABELS[ctx.lang]
    lang = ctx.lang
    pairs = [(ctx.in_lang("Vấn đề số liệu", "Data problems"), fmt.number(len(ctx.dataset.problems), 0, lang))]
    pairs += [
        (ctx.in_lang(f"Đối chiếu: {labels[v]}", f"Reconciled: {labels[v]}"), fmt.number(n, 0, lang))
        for v, n in counts["evidence"].items()
        if n
    ]
    for key, vi, en in (
        ("illustrative", "So với số liệu minh họa: không tính", "Against illustrative data: not counted"),
        ("same_source", "So với chính nguồn: không tính", "Against the same source: not counted"),
        ("no_data", "Không có số liệu để tính lại", "No data to recompute"),
    ):
        if counts[key]:
            pairs.append((ctx.in_lang(vi, en), fmt.number(len(counts[key]), 0, lang)))
    if counts["failed_checks"]:
        pairs.append(
            (
                ctx.in_lang("Nguồn tự mâu thuẫn", "Source contradicts itself"),
                fmt.number(len(counts["failed_checks"]), 0, lang),
            )
        )
    headline = [[label, value, "", ""] for label, value in pairs]
    return {"title": report_title(ctx), "headline": headline, "marks": index_marks(ctx, headline)}


def title_block(ctx: Context) -> Html:
    """Title, unit, year, sources and the banner; no legend of the marks: the report's tables name
    each value's provenance in their headings. The output carries the report's :func:`summary`."""
    return sections.title_block(ctx, summary(ctx))


def problems_table(ctx: Context) -> Html:
    probs = ctx.dataset.problems
    if not len(probs):
        return Html(
            "<p>"
            + ctx.in_lang(
                "Không có lỗi hay cảnh báo nào: mọi dòng số liệu đạt các quy tắc kiểm tra.",
                "No problem or warning: every data row passes the rules.",
            )
            + "</p>"
        )
    df = probs[
        ["file", "row", "column", "rule", "importance", "message_vi" if ctx.lang == "vi" else "message_en"]
    ].copy()
    df["importance"] = [level_words(v, ctx.lang) for v in df["importance"]]
    df.columns = [
        ctx.in_lang(a, b)
        for a, b in [
            ("Tệp", "File"),
            ("Dòng", "Row"),
            ("Cột", "Column"),
            ("Quy tắc", "Rule"),
            ("Mức", "Level"),
            ("Nội dung", "Message"),
        ]
    ]
    return html_table(df)


LEVEL_WORDS = {
    "blocking": ("chặn — phải sửa trước khi lập báo cáo", "blocking — must be fixed before any report"),
    "warning": ("cảnh báo — nên xem lại", "warning — worth a look"),
}

OPERATOR_WORDS = {
    "<=": ("không được lớn hơn", "must not exceed"),
    "<": ("phải nhỏ hơn", "must be less than"),
    ">=": ("không được nhỏ hơn", "must be at least"),
    ">": ("phải lớn hơn", "must be greater than"),
    "==": ("phải bằng", "must equal"),
    "!=": ("phải khác", "must differ from"),
}


def level_words(importance: str, lang: str = "vi") -> str:
    """A rule's level in words: ``chặn`` (the data cannot be used) or ``cảnh báo``."""
    vi, en = LEVEL_WORDS.get(importance, (importance, importance))
    return vi if lang == "vi" else en


def rule_words(cat: Catalogue, rule, lang: str = "vi") -> str:
    """A validation rule written with the catalogue's names: ``Lượt đảng viên tham dự không được
    lớn hơn Số đảng viên phải tham dự`` instead of ``hn_luot_dv <= hn_dv_phai_du``."""

    def name(code: str) -> str:
        for look in (cat.element, cat.indicator):
            try:
                return look(code).name(lang)
            except (KeyError, LookupError, AttributeError):
                continue
        return code

    vi, en = OPERATOR_WORDS.get(rule.operator, (rule.operator, rule.operator))
    return (
        f"{name(rule.left)} {vi if lang == 'vi' else en} "
        f"{name(rule.right)[:1].lower() + name(rule.right)[1:]}"
    )


def rules_table(ctx: Context) -> Html:
    df = pd.DataFrame(
        [
            {
                ctx.in_lang("Mã", "Id"): r.id,
                ctx.in_lang("Quy tắc", "Rule"): rule_words(ctx.cat, r, ctx.lang),
                ctx.in_lang("Mức", "Level"): level_words(r.importance, ctx.lang),
                ctx.in_lang("Diễn giải", "Meaning"): r.description_vi
                if ctx.lang == "vi"
                else r.description_en,
            }
            for r in ctx.cat.rules
        ]
    )
    return html_table(df)


def _value(catalogue: Catalogue, figure_type: str, code: str, value: float, decimals: int, lang: str) -> str:
    unit = (catalogue.indicator(code) if figure_type == "indicator" else catalogue.element(code)).unit(lang)
    return fmt.with_unit(value, unit, max(decimals, 0), lang)


def _as_published(r) -> SimpleNamespace:
    """A reconciled row as the published row it was: its figure as the source prints it."""
    return SimpleNamespace(
        code=r.code,
        figure_type=r.figure_type,
        decimals=r.decimals,
        value=r.published,
        unit_stated=getattr(r, "unit_stated", ""),
    )


def reconciliation_frame(rec: pd.DataFrame, catalogue: Catalogue, lang: str = "vi") -> pd.DataFrame:
    """The reconciliation as a readable table (text cells in the report language): what each
    figure is compared with, the verdict only where that is evidence, and the source's own
    checks (a total against its parts, a rate against its numerator and denominator)."""
    rows = []
    labels = VERDICT_LABELS[lang]
    for r in rec.itertuples(index=False):
        d = max(int(r.decimals), 0)
        gap_dec = d + 2 if r.verdict == "rounding difference" else d
        basis = getattr(r, "basis", "data")
        checks = []
        if r.components:
            checks.append(
                f"{' + '.join(r.components.split())} = {fmt.number(r.components_sum, d, lang)} "
                f"({labels[r.components_verdict]})"
            )
        if getattr(r, "parts", ""):
            dec = d + (1 if r.parts_verdict != "match" else 0)
            ratio = _value(catalogue, r.figure_type, r.code, r.parts_value, dec, lang)
            checks.append(f"{'/'.join(r.parts.split())} = {ratio} ({labels[r.parts_verdict]})")
        rows.append(
            {
                in_lang("Mã", "Id", lang): r.id,
                in_lang("Số liệu", "Figure", lang): figure_label(
                    catalogue, r.figure_type, r.code, r.category, lang
                ),
                in_lang("Kỳ", "Period", lang): r.period
                + (
                    in_lang(f", tính đến {r.as_of}", f", to {r.as_of}", lang)
                    if getattr(r, "as_of", "")
                    else ""
                )
                + (in_lang(" (suy ra)", " (inferred)", lang) if getattr(r, "inferred", False) else ""),
                in_lang("Công bố", "Published", lang): format_published(
                    catalogue, _as_published(r), lang, True
                ),
                in_lang("Tính từ số liệu", "Computed", lang): _value(
                    catalogue,
                    r.figure_type,
                    r.code,
                    r.computed,
                    d + (2 if r.verdict != "match" and d > 0 else 0),
                    lang,
                ),
                in_lang("Chênh lệch", "Gap", lang): fmt.number(
                    0 if abs(r.gap) < 0.5 * 10.0**-gap_dec else r.gap, gap_dec, lang
                )
                if not pd.isna(r.gap)
                else "–",
                in_lang("So với", "Compared with", lang): BASIS_WORDS[basis][0 if lang == "vi" else 1],
                in_lang("Kết luận", "Verdict", lang): labels[r.verdict] if basis == "data" else "–",
                in_lang("Nguồn tự kiểm", "The source's own check", lang): "; ".join(checks),
            }
        )
    return pd.DataFrame(rows)


def reconciliation_block(ctx: Context) -> Html:
    rec = ctx.page_reconciliation()
    if not len(rec):
        return Html(
            "<p>"
            + ctx.in_lang(
                "Không có số liệu đã công bố cho đơn vị này.", "No published figures for this unit."
            )
            + "</p>"
        )
    table = reconciliation_frame(rec, ctx.cat, ctx.lang)
    return html_table(table, numeric=list(table.columns[3:6]))


def reconciliation_narrative(ctx: Context) -> Html:
    """What the reconciliation of the page's published figures shows (the counts of the banner),
    then each finding about the source: a total whose parts add up to something else, a figure
    that does not match independent data, a period or date that is ours."""
    rec = ctx.page_reconciliation()
    if not len(rec):
        return Html("")
    out = list(comparison_sentences(ctx, ctx.page_counts()))
    lang = ctx.lang
    pub = ctx.published.set_index("id")
    for r in rec.itertuples():
        label = figure_label(ctx.cat, r.figure_type, r.code, r.category, lang)
        d = max(r.decimals, 0)
        if r.components_verdict == "mismatch":
            out.append(
                ctx.in_lang(
                    f"{r.id} ({label}, {r.period}): nguồn nêu {fmt.number(r.published, d)}, nhưng các thành "
                    "phần "
                    f"chính nguồn nêu cộng lại là {fmt.number(r.components_sum, d)} (chênh "
                    f"{fmt.number(r.published - r.components_sum, d)}).",
                    f"{r.id} ({label}, {r.period}): the source states {fmt.number(r.published, d, 'en')}, "
                    "but its "
                    f"own parts add up to {fmt.number(r.components_sum, d, 'en')} (gap "
                    f"{fmt.number(r.published - r.components_sum, d, 'en')}).",
                )
            )
        if r.basis == "data" and r.verdict == "mismatch":
            out.append(
                ctx.in_lang(
                    f"{r.id} ({label}, {r.period}): nguồn nêu {fmt.number(r.published, d)}, số liệu báo cáo "
                    "cho "
                    f"{fmt.number(r.computed, d)}.",
                    f"{r.id} ({label}, {r.period}): published {fmt.number(r.published, d, 'en')}, the "
                    "reported "
                    f"data give {fmt.number(r.computed, d, 'en')}.",
                )
            )
    inferred = [r for r in rec.itertuples() if r.inferred]
    if inferred:
        listed = "; ".join(f"{r.id}: {period_words(ctx, pub.loc[r.id].rename(r.id))}" for r in inferred)
        out.append(
            ctx.in_lang(
                "Kỳ hoặc thời điểm do chúng tôi suy ra, nguồn không nêu (lý do ở chú thích của báo cáo "
                f"huyện): {listed}.",
                f"Periods or dates that are our inference, not the source's (the reasons are in the district "
                f"report's notes): {listed}.",
            )
        )
    return Html("<ul>" + "".join(f"<li>{escape(o)}</li>" for o in out) + "</ul>")
