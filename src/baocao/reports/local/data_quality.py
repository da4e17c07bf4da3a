"""The ``data_quality`` notebook: a district's data checked — the validation problems, the rules in
words, and the published figures reconciled with what the data compute. One function per cell:
the notebook imports this module as ``report``. :func:`reconciliation_frame` is also what
``baocao validate`` prints.
"""

from __future__ import annotations

import pandas as pd
from markupsafe import escape

from baocao import fmt
from baocao.data.catalogue import Catalogue
from baocao.reports import kit
from baocao.reports.kit import VERDICT_LABELS, Html, check_lang, check_year, html_table, in_lang, load_data
from baocao.reports.local import sections
from baocao.reports.local.context import Context, find_unit, make_context
from baocao.reports.local.marks import figure_label
from baocao.reports.local.reporting import reporting_table
from baocao.reports.local.sections import footer, reconciliation, report_title

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
    district: str = "Thoại Sơn", year: int = 2024, lang: str = "vi", data_dir: str = ""
) -> Context:
    ds = load_data(data_dir)
    d = find_unit(ds, district, "district")
    return make_context(
        "data_quality", unit=d, district=d, year=check_year(year), lang=check_lang(lang), data_dir=data_dir
    )


def summary(ctx: Context) -> dict:
    """Title and headline figures for the build's index page: the data problems and the published
    figures by verdict."""
    rec = reconciliation(ctx)
    labels = VERDICT_LABELS[ctx.lang]
    counts = rec["verdict"].value_counts().to_dict() if len(rec) else {}
    pairs = [
        (ctx.in_lang("Vấn đề số liệu", "Data problems"), fmt.number(len(ctx.dataset.problems), 0, ctx.lang))
    ] + [
        (
            ctx.in_lang(f"Số liệu công bố: {labels[v]}", f"Published figures: {labels[v]}"),
            fmt.number(n, 0, ctx.lang),
        )
        for v, n in sorted(
            counts.items(), key=lambda vn: list(labels).index(vn[0]) if vn[0] in labels else 99
        )
    ]
    return {"title": report_title(ctx), "headline": [list(p) for p in pairs]}


def title_block(ctx: Context) -> Html:
    """Title, unit, year, sources and the banner; no legend of the marks: the report's tables name
    each value's provenance in their headings. The output carries the report's :func:`summary`."""
    return sections.title_block(ctx, summary(ctx), with_legend=False)


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


def reconciliation_frame(rec: pd.DataFrame, catalogue: Catalogue, lang: str = "vi") -> pd.DataFrame:
    """The reconciliation as a readable table (text cells in the report language)."""
    rows = []
    for r in rec.itertuples(index=False):
        d = max(int(r.decimals), 0)
        gap_dec = d + 2 if r.verdict == "rounding difference" else d
        rows.append(
            {
                in_lang("Mã", "Id", lang): r.id,
                in_lang("Số liệu", "Figure", lang): figure_label(catalogue, r.kind, r.code, r.category, lang),
                in_lang("Kỳ", "Period", lang): r.period,
                in_lang("Công bố", "Published", lang): _value(
                    catalogue, r.kind, r.code, r.published, d, lang
                ),
                in_lang("Tính từ số liệu", "Computed", lang): _value(
                    catalogue,
                    r.kind,
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
                in_lang("Kết luận", "Verdict", lang): VERDICT_LABELS[lang][r.verdict],
                in_lang("Tổng các thành phần công bố", "Sum of published components", lang): (
                    f"{fmt.number(r.components_sum, d, lang)} ({VERDICT_LABELS[lang][r.components_verdict]})"
                    if r.components
                    else ""
                ),
            }
        )
    return pd.DataFrame(rows)


def reconciliation_block(ctx: Context) -> Html:
    rec = reconciliation(ctx)
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
    rec = reconciliation(ctx)
    if not len(rec):
        return Html("")
    out = []
    for r in rec.itertuples():
        if r.verdict == "mismatch" or r.components_verdict == "mismatch":
            label = figure_label(ctx.cat, r.kind, r.code, r.category, ctx.lang)
            d = max(r.decimals, 0)
            if r.components_verdict == "mismatch":
                out.append(
                    ctx.in_lang(
                        f"{r.id} ({label}, {r.period}): nguồn công bố {fmt.number(r.published, d)}, nhưng "
                        f"tổng các thành phần do chính nguồn công bố là {fmt.number(r.components_sum, d)} "
                        f"(chênh {fmt.number(r.published - r.components_sum, d)}); số liệu tính được là "
                        f"{fmt.number(r.computed, d)}.",
                        f"{r.id} ({label}, {r.period}): the source states "
                        f"{fmt.number(r.published, d, 'en')}, but its own components add up to "
                        f"{fmt.number(r.components_sum, d, 'en')} (gap "
                        f"{fmt.number(r.published - r.components_sum, d, 'en')}); the data give "
                        f"{fmt.number(r.computed, d, 'en')}.",
                    )
                )
            else:
                out.append(
                    ctx.in_lang(
                        f"{r.id} ({label}, {r.period}): công bố {fmt.number(r.published, d)}, tính được "
                        f"{fmt.number(r.computed, d)}.",
                        f"{r.id} ({label}, {r.period}): published {fmt.number(r.published, d, 'en')}, "
                        f"computed {fmt.number(r.computed, d, 'en')}.",
                    )
                )
    n_round = int((rec["verdict"] == "rounding difference").sum())
    if n_round:
        out.append(
            ctx.in_lang(
                f"{n_round} số liệu chỉ chênh do làm tròn (nguồn cắt bớt chữ số thay vì làm tròn).",
                f"{n_round} figure(s) differ only by rounding (the source truncates instead of rounding).",
            )
        )
    if not out:
        out.append(
            ctx.in_lang(
                "Mọi số liệu đã công bố khớp với số liệu tính được.",
                "Every published figure matches the data.",
            )
        )
    return Html("<ul>" + "".join(f"<li>{escape(o)}</li>" for o in out) + "</ul>")
