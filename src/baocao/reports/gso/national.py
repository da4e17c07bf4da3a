"""The ``national_overview`` notebook: every province in a GSO year — the country's figures, the
provinces ranked, the map in three parts, the spread, the regions, and the region and country
rows reconciled with the sum of their provinces. One function per cell.

The notebook starts with ``ctx = gso_report.open_report("national", globals())`` (see
:mod:`baocao.reports.gso.province` for what opening does).
"""

from __future__ import annotations

import pandas as pd
from markupsafe import escape

from baocao import fmt
from baocao.data.gso import REGION_MEMBERS, region_reconciliation
from baocao.reports import charts, kit
from baocao.reports.gso import sections
from baocao.reports.gso.context import GsoContext, open_gso, ranking
from baocao.reports.gso.sections import (
    PARTS,
    PRELIM,
    Blocks,
    chart_map,
    chart_ranked,
    chart_title,
    footer,
    headline,
    map_indicator,
    no_data,
    units_table,
    value_suffix,
)
from baocao.reports.kit import VERDICT_LABELS, Chart, Html, as_chart, format_indicator, html_table

__all__ = [  # what the notebook calls
    "open_report",
    "title_block",
    "headline",
    "national_summary",
    "ranked",
    "map_note",
    "maps",
    "distributions",
    "region_table",
    "reconciliation_summary",
    "reconciliation_table",
    "footer",
    # and the pieces of its sections
    "chart_distribution",
    "chart_map",
    "chart_ranked",
    "ranking",
    "reconciliation",
    "summary",
]

open_report = kit.open_report  # the notebook's first call (the same for every report family)


def open_national(year: int = 2016, lang: str = "vi", gso_dir: str = "") -> GsoContext:
    return open_gso("national", year, lang, gso_dir)


def report_title(ctx: GsoContext) -> str:
    return sections.report_title(ctx)


def summary(ctx: GsoContext) -> dict:
    """Title and headline figures (the first three indicators with a value) for the build index."""
    return sections.summary(ctx, report_title(ctx))


def title_block(ctx: GsoContext) -> Html:
    """Title, scope (the provinces of the year), year, the data source and the preliminary flag."""
    meta = [
        f"<strong>{ctx.in_lang('Phạm vi', 'Scope')}:</strong> {len(ctx.provinces())} "
        f"{ctx.in_lang('tỉnh, thành phố trực thuộc trung ương', 'provinces and centrally-run cities')}"
    ]
    return sections.title_block(ctx, report_title(ctx), meta, summary(ctx))


def national_summary(ctx: GsoContext) -> Html:
    """National report: the whole country's figures and the extremes among provinces."""
    parts = []
    for code in ctx.codes("table"):
        df = ranking(ctx, code).dropna(subset=["value"])
        if df.empty:
            continue
        ind = ctx.cat.indicator(code)
        vn = ctx.value(code, "VN")
        top, bottom = extremes(ctx, code, df, "vi"), extremes(ctx, code, df, "vi", highest=False)
        top_en, bottom_en = extremes(ctx, code, df, "en"), extremes(ctx, code, df, "en", highest=False)
        parts.append(
            ctx.in_lang(
                f"{ind.short('vi')}: cả nước {ctx.fmt(code, vn)}; cao nhất{top}, thấp nhất{bottom} "
                f"({len(df)} tỉnh có số liệu).",
                f"{ind.short('en')}: country {ctx.fmt(code, vn)}; highest{top_en}, lowest{bottom_en} "
                f"({len(df)} provinces with data).",
            )
        )
    missing = [ctx.cat.indicator(c).short(ctx.lang) for c in ctx.codes("table") if not ctx.has(c)]
    if missing:
        parts.append(
            ctx.in_lang(
                f"Không có số liệu năm {ctx.year}: {', '.join(missing)}.",
                f"No data for {ctx.year}: {', '.join(missing)}.",
            )
        )
    return Html("<ul>" + "".join(f"<li>{escape(p)}</li>" for p in parts) + "</ul>")


def extremes(ctx: GsoContext, code: str, df: pd.DataFrame, lang: str, highest: bool = True) -> str:
    """`` Hà Nội 98,7%`` — or, when several provinces share the highest (lowest) value as printed,
    all of them: ``: Hà Nội, Thái Bình, TP. Hồ Chí Minh (98,7%)``."""
    decimals = ctx.cat.indicator(code).decimals
    shown = df["value"].map(lambda v: float(fmt.round_half_up(v, decimals)))
    best = shown.max() if highest else shown.min()
    names = list(df.loc[shown == best, "label"])
    value = format_indicator(ctx.cat, code, float(df.loc[shown == best, "value"].iloc[0]), lang)
    return f" {names[0]} {value}" if len(names) == 1 else f": {', '.join(names)} ({value})"


def ranked(ctx: GsoContext) -> Blocks:
    """A ranked chart of every province for each indicator of the ``ranked`` section."""
    return Blocks(chart_ranked(ctx, code) for code in ctx.codes("ranked"))


def map_note(ctx: GsoContext) -> Html:
    """Which provinces of the year the map cannot place (Hà Tây has no coordinates)."""
    if map_indicator(ctx) is None:
        return Html("")
    df = ranking(ctx, map_indicator(ctx))
    lost = df[df["lat"].isna() | df["lon"].isna()]
    parts = "; ".join(
        f"{ctx.in_lang(vi, en)}: {', '.join(ctx.label(r) for r in regs)}" for regs, vi, en in PARTS.values()
    )
    src = ctx.in_lang(
        f"Bản đồ chia ba miền theo vùng GSO ({parts}), cùng một thang màu. Tọa độ tỉnh lấy từ danh mục đơn "
        "vị hành chính trước 7/2025 (gói vietnamadminunits); bản đồ không có nền địa lý.",
        f"The map is drawn in three parts by GSO region ({parts}), on one colour scale. Province coordinates "
        "come from the pre-July-2025 unit list (package vietnamadminunits); the map has no base layer.",
    )
    if not len(lost):
        extra = ctx.in_lang(
            f" Cả {len(df)} tỉnh, thành phố có tọa độ.", f" All {len(df)} provinces have coordinates."
        )
    else:
        names = ", ".join(f"{r.label} ({r.code})" for r in lost.itertuples())
        extra = ctx.in_lang(
            f" Không có tọa độ nên không có trên bản đồ: {names} (tỉnh đã sáp nhập vào Hà Nội năm 2008; vẫn "
            "có trong các bảng và biểu đồ xếp hạng).",
            f" Not on the map, no coordinates: {names} (merged into Ha Noi in 2008; still in the tables and "
            "ranked charts).",
        )
    return Html(f"<p class='caption'>{escape(src + extra)}</p>")


def maps(ctx: GsoContext) -> Blocks:
    """The three parts of the country, on one colour scale."""
    if map_indicator(ctx) is None:
        return Blocks()
    return Blocks(chart_map(ctx, part) for part in PARTS)


@as_chart
def _distribution_chart(ctx: GsoContext, code: str, df: pd.DataFrame):
    ind = ctx.cat.indicator(code)
    return charts.distribution(
        df,
        title=chart_title(ctx, code, ctx.in_lang("phân bố", "spread")),
        value_label=ind.unit(ctx.lang),
        decimals=ind.decimals,
        lang=ctx.lang,
        suffix=value_suffix(code, ctx.cat),
    )


def chart_distribution(ctx: GsoContext, code: str) -> Chart | Html:
    df = ranking(ctx, code)
    if df["value"].notna().sum() == 0:
        return no_data(ctx, code)
    return _distribution_chart(ctx, code, df)


def distributions(ctx: GsoContext) -> Blocks:
    """National overview: the spread across provinces of each indicator of the ``distribution`` section."""
    return Blocks(chart_distribution(ctx, code) for code in ctx.codes("distribution"))


def region_table(ctx: GsoContext) -> Html:
    """The regions and the whole country."""
    return units_table(ctx, [*REGION_MEMBERS, "VN"], ctx.in_lang("Vùng", "Region"))


def reconciliation(ctx: GsoContext) -> pd.DataFrame:
    """:func:`baocao.data.gso.region_reconciliation` for the report year (every summing element)."""
    rec = region_reconciliation(ctx.dataset.observations, ctx.dataset.published, ctx.cat)
    return rec[rec["year"] == ctx.year].reset_index(drop=True)


def reconciled_elements(ctx: GsoContext) -> list[str]:
    """The summing elements behind the indicators of the report's tables, in catalogue order."""
    out = []
    for code in ctx.codes("table"):
        ind = ctx.cat.indicator(code)
        out += [e for e in (ind.numerator, ind.denominator) if e and ctx.cat.element(e).aggregation == "sum"]
    return list(dict.fromkeys(out))


def reconciliation_table(ctx: GsoContext, elements=None) -> Html:
    """Regions and the whole country: the sum of their provinces against GSO's published row."""
    elements = reconciled_elements(ctx) if elements is None else elements
    rec = reconciliation(ctx)
    rec = rec[rec["element"].isin(elements)]
    if rec.empty:
        return Html(
            "<p>"
            + escape(
                ctx.in_lang(
                    f"Năm {ctx.year} không có số liệu cộng được để đối chiếu.",
                    f"No summing figures to reconcile for {ctx.year}.",
                )
            )
            + "</p>"
        )
    order = {u: i for i, u in enumerate([*REGION_MEMBERS, "VN"])}
    rec = rec.assign(
        _o=rec["unit"].map(order), _e=rec["element"].map({e: i for i, e in enumerate(elements)})
    ).sort_values(["_e", "_o"])
    rows = []
    for r in rec.itertuples(index=False):
        el = ctx.cat.element(r.element)
        d = max(int(r.decimals), 0)
        gap = 0.0 if abs(r.gap) < 1e-9 else r.gap
        rows.append(
            {
                ctx.in_lang("Số liệu", "Figure"): f"{el.name(ctx.lang)} ({el.unit(ctx.lang)})",
                ctx.in_lang("Vùng", "Region"): ctx.label(r.unit)
                + (f" ({PRELIM[ctx.lang]})" if "preliminary" in str(r.note) else ""),
                ctx.in_lang("Số tỉnh", "Provinces"): f"{r.n_members - r.n_missing}/{r.n_members}",
                ctx.in_lang("Cộng từ các tỉnh", "Sum of provinces"): fmt.number(r.computed, d, ctx.lang),
                ctx.in_lang("GSO công bố", "Published by GSO"): fmt.number(r.published, d, ctx.lang),
                ctx.in_lang("Chênh lệch", "Gap"): fmt.number(gap, d, ctx.lang) if not pd.isna(r.gap) else "–",
                ctx.in_lang("Kết luận", "Verdict"): VERDICT_LABELS[ctx.lang].get(r.verdict, r.verdict),
            }
        )
    df = pd.DataFrame(rows)
    cap = ctx.in_lang(
        "“Chênh do làm tròn”: khoảng chênh không vượt quá nửa đơn vị làm tròn của mỗi số hạng và của số công "
        "bố (dân số GSO in đến trăm người).",
        "“Rounding difference”: the gap is within half a printed unit per summand and of the published "
        "figure (GSO prints population to hundreds of persons).",
    )
    return html_table(df, numeric=list(df.columns[2:6]), caption=cap)


def reconciliation_summary(ctx: GsoContext) -> Html:
    """Counts of verdicts over every summing element of the year, mismatches named."""
    rec = reconciliation(ctx)
    if rec.empty:
        return Html("")
    counts = rec["verdict"].value_counts()
    words = ", ".join(f"{n} {VERDICT_LABELS[ctx.lang].get(v, v)}" for v, n in counts.items())
    text = ctx.in_lang(
        f"Đối chiếu mọi số liệu cộng được năm {ctx.year} ({rec['element'].nunique()} chỉ tiêu × vùng và cả "
        f"nước, {len(rec)} số liệu): {words}.",
        f"All summing figures of {ctx.year} reconciled ({rec['element'].nunique()} elements × regions and "
        f"country, {len(rec)} figures): {words}.",
    )
    items = []
    for r in rec[rec["verdict"] == "mismatch"].itertuples(index=False):
        items.append(
            ctx.in_lang(
                f"{ctx.cat.element(r.element).name('vi')}, {ctx.label(r.unit)}: cộng từ các tỉnh "
                f"{fmt.number(r.computed, 0)}, GSO công bố {fmt.number(r.published, 0)}.",
                f"{ctx.cat.element(r.element).name('en')}, {ctx.label(r.unit)}: provinces sum to "
                f"{fmt.number(r.computed, 0, 'en')}, GSO publishes {fmt.number(r.published, 0, 'en')}.",
            )
        )
    more = "<ul>" + "".join(f"<li>{escape(i)}</li>" for i in items) + "</ul>" if items else ""
    return Html(f"<p>{escape(text)}</p>{more}")
