"""The ``province_report`` notebook: one province in a GSO year — its indicators, its ranks in the
country and in its region, its part of the map and its trends. One function per cell.

The data are the General Statistics Office tables in ``data/gso/raw`` (collected
2018-09-21), read by :func:`baocao.io.gso.load_gso`. The notebook starts with::

    ctx = gso_report.open_report("province", globals())

which checks the parameters (an unknown or misspelt one raises :class:`baocao.reports.kit.ReportError`
naming the valid ones), resolves the province (GSO code, English GSO spelling or
Vietnamese name; Hà Tây keeps its historical code 28), loads the data once per process
and takes the indicators of provinces, regions and the whole country
(:mod:`baocao.data.gso_figures`). Which indicators each section shows comes from the
catalogue's ``reports: gso:`` (:func:`baocao.reports.gso.loading.report_codes`).
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from markupsafe import escape

from baocao.data.gso_figures import region_of
from baocao.reports import kit
from baocao.reports.gso import sections
from baocao.reports.gso.context import GsoContext, open_gso, ranking, year_ranges
from baocao.reports.gso.sections import (
    BASIS,
    PRELIM,
    Blocks,
    chart_ranked,
    footer,
    headline,
    is_total,
    lower_first,
    map_indicator,
    no_data,
    part_of,
    short_names,
    units_table,
    value_cell,
    value_suffix,
)
from baocao.reports.gso.units import boundary_text, resolve_province
from baocao.reports.kit import Chart, Html, ReportError, html_table, rank_words

__all__ = [  # what the notebook calls
    "open_report",
    "title_block",
    "headline",
    "narrative",
    "indicator_table",
    "ranked",
    "region_table",
    "map_note",
    "maps",
    "trend_note",
    "trends",
    "footer",
    # and the pieces of its sections
    "chart_map",
    "chart_ranked",
    "chart_trend",
    "ranking",
    "summary",
]

open_report = kit.open_report  # the notebook's first call (the same for every report family)


def open_province(
    province: str = "An Giang", year: int = 2016, lang: str = "vi", gso_dir: str = ""
) -> GsoContext:
    unit = resolve_province(province)
    return open_gso("province", year, lang, gso_dir, unit)


def report_title(ctx: GsoContext) -> str:
    return sections.report_title(ctx, f" — {ctx.label(ctx.unit.code, short=False)}")


def summary(ctx: GsoContext) -> dict:
    """Title and headline figures (the first three indicators with a value) for the build index."""
    return sections.summary(ctx, report_title(ctx))


def title_block(ctx: GsoContext) -> Html:
    """Title, province, region, year, the data source and the preliminary flag."""
    meta = [
        f"<strong>{ctx.in_lang('Tỉnh', 'Province')}:</strong> "
        f"{escape(ctx.label(ctx.unit.code, short=False))} "
        f"({ctx.in_lang('mã', 'code')} {escape(ctx.unit.code)})",
        f"<strong>{ctx.in_lang('Vùng', 'Region')}:</strong> {escape(ctx.label(ctx.region))}",
    ]
    return sections.title_block(ctx, report_title(ctx), meta, summary(ctx))


def rank_text(df: pd.DataFrame, code: str, lang: str = "vi") -> str:
    """The province's rank in a :func:`ranking`: ``5/63``, ``đồng hạng 5/63``, ``5/60 tỉnh có số liệu``,
    ``–`` (no value, or fewer than three provinces with one)."""
    hit = df[df["code"] == code]
    if not len(hit):
        return "–"
    r = hit.iloc[0]
    return rank_words(r["rank"], bool(r["tied"]), int(r["of"]), len(df), lang, "tỉnh", "provinces")


def indicator_table(ctx: GsoContext) -> Html:
    """The province's indicators for the year, its ranks, and its region and the whole country."""
    rows = []
    for code in ctx.codes("table"):
        ind = ctx.cat.indicator(code)
        r = ctx.row(code)
        region = ctx.row(code, ctx.region)
        notes = []
        if r is None:
            notes.append(ctx.in_lang(f"không có số liệu năm {ctx.year}", f"no data for {ctx.year}"))
        else:
            if r["preliminary"]:
                notes.append(PRELIM[ctx.lang])
            if r["note"]:
                notes.append(boundary_text(ctx.unit.code, ctx.year, ctx.lang))
        if region is not None and region["basis"] != "province":
            notes.append(
                ctx.in_lang("vùng, cả nước: ", "region, country: ") + BASIS[ctx.lang][region["basis"]]
            )
        rows.append(
            {
                ctx.in_lang("Chỉ tiêu", "Indicator"): f"{ind.name(ctx.lang)} ({ind.unit(ctx.lang)})",
                ctx.label(ctx.unit.code): value_cell(ctx, code, ctx.unit.code),
                ctx.in_lang("Hạng cả nước", "Rank, country"): rank_text(
                    ranking(ctx, code), ctx.unit.code, ctx.lang
                ),
                ctx.in_lang("Hạng trong vùng", "Rank, region"): rank_text(
                    ranking(ctx, code, "region"), ctx.unit.code, ctx.lang
                ),
                ctx.label(ctx.region): value_cell(ctx, code, ctx.region),
                ctx.label("VN"): value_cell(ctx, code, "VN"),
                ctx.in_lang("Ghi chú", "Note"): "; ".join(notes),
            }
        )
    df = pd.DataFrame(
        rows,
        columns=[
            ctx.in_lang("Chỉ tiêu", "Indicator"),
            ctx.label(ctx.unit.code),
            ctx.in_lang("Hạng cả nước", "Rank, country"),
            ctx.in_lang("Hạng trong vùng", "Rank, region"),
            ctx.label(ctx.region),
            ctx.label("VN"),
            ctx.in_lang("Ghi chú", "Note"),
        ],
    )
    return html_table(
        df,
        numeric=list(df.columns[1:6]),
        caption=rank_caption(ctx, ctx.codes("table"))
        + ctx.in_lang(f" Vùng: {ctx.label(ctx.region)}.", f" Region: {ctx.label(ctx.region)}."),
    )


def rank_caption(ctx: GsoContext, codes) -> str:
    """How ranks read, from the indicators' directions in the catalogue."""
    by = {
        d: [c for c in codes if ctx.cat.indicator(c).direction == d] for d in ("lower", "higher", "neutral")
    }
    parts = []
    if by["lower"]:
        parts.append(
            ctx.in_lang(
                f"thấp nhất: {short_names(ctx, by['lower'])}", f"lowest: {short_names(ctx, by['lower'])}"
            )
        )
    if by["higher"]:
        parts.append(
            ctx.in_lang(
                f"cao nhất: {short_names(ctx, by['higher'])}", f"highest: {short_names(ctx, by['higher'])}"
            )
        )
    text = ctx.in_lang(
        "Hạng 1 là tốt nhất theo hướng của chỉ tiêu", "Rank 1 is best in the indicator's direction"
    )
    text += f" ({'; '.join(parts)})" if parts else ""
    if by["neutral"]:
        text += ctx.in_lang(
            f"; {short_names(ctx, by['neutral'])} xếp từ lớn nhất",
            f"; {short_names(ctx, by['neutral'])} rank from the largest",
        )
    return text + "."


def narrative(ctx: GsoContext) -> Html:
    """One paragraph on the province's figures and ranks, built from the values."""
    name, parts = ctx.label(ctx.unit.code), []
    n_region = len([u for u in ctx.provinces() if region_of(u) == ctx.region])
    for code in ctx.codes("table"):
        r = ctx.row(code)
        if r is None or np.isnan(r["value"]):
            continue
        ind = ctx.cat.indicator(code)
        ranks = []
        for scope, where in (
            ("country", ctx.in_lang("cả nước", "in the country")),
            ("region", ctx.in_lang("trong vùng", "in the region")),
        ):
            phrase = rank_phrase(ctx, rank_text(ranking(ctx, code, scope), ctx.unit.code, ctx.lang), where)
            plain = ctx.in_lang("hạng ", "rank ")
            if phrase and ranks and phrase.startswith(plain) and ranks[-1].startswith(plain):
                phrase = phrase.removeprefix(plain)  # "hạng 5/63 cả nước, 2/13 trong vùng"
            if phrase:
                ranks.append(phrase)
        vn = ctx.value(code, "VN")
        comp = ""
        if ind.direction in ("higher", "lower") and not np.isnan(vn):
            better = r["value"] < vn if ind.direction == "lower" else r["value"] > vn
            comp = ctx.in_lang(
                f", {'tốt hơn' if better else 'kém hơn'} mức cả nước {ctx.fmt(code, vn)}",
                f", {'better' if better else 'worse'} than the country's {ctx.fmt(code, vn)}",
            )
        short = ind.short(ctx.lang)
        value = ctx.fmt(code, r["value"], with_unit=ind.unit(ctx.lang).lower() not in short.lower())
        inside = ", ".join(ranks) + comp if ranks else comp.removeprefix(", ")
        parts.append(
            ctx.in_lang(
                f"{short.lower()} {value}" + (f" ({inside})" if inside else ""),
                f"{short[:1].lower() + short[1:]} {value}" + (f" ({inside})" if inside else ""),
            )
        )
    missing = [
        lower_first(ctx.cat.indicator(c).short(ctx.lang))
        for c in ctx.codes("table")
        if ctx.row(c) is None or np.isnan(ctx.row(c)["value"])
    ]
    if parts:
        text = ctx.in_lang(
            f"Năm {ctx.year}, {name}: " + "; ".join(parts) + ".",
            f"In {ctx.year}, {name}: " + "; ".join(parts) + ".",
        )
    else:
        text = ctx.in_lang(
            f"Năm {ctx.year}, {name}: không có số liệu nào.", f"In {ctx.year}, {name}: no figures."
        )
    text += ctx.in_lang(
        f" Vùng {ctx.label(ctx.region)} có {n_region} tỉnh, thành phố.",
        f" The {ctx.label(ctx.region)} region has {n_region} provinces.",
    )
    if missing:
        text += ctx.in_lang(
            f" GSO không có số liệu năm {ctx.year} về: {', '.join(missing)}.",
            f" GSO has no {ctx.year} figure for: {', '.join(missing)}.",
        )
    return Html(f"<p>{escape(text)}</p>")


def rank_phrase(ctx: GsoContext, text: str, where: str) -> str:
    """``hạng 5/63 cả nước``, ``đồng hạng 1/13 trong vùng`` (``rank 5/63 in the country``, ``tied
    1/13 in the region``); ``""`` without a rank."""
    if text == "–":
        return ""
    if text.startswith(("đồng hạng ", "tied ")):
        return f"{text} {where}"
    return ctx.in_lang(f"hạng {text} {where}", f"rank {text} {where}")


def region_table(ctx: GsoContext) -> Html:
    """Every province of the region, then the region and the whole country."""
    units = [u for u in ctx.provinces() if region_of(u) == ctx.region] + [ctx.region, "VN"]
    return units_table(ctx, units, ctx.in_lang("Tỉnh, thành phố", "Province"), marked=ctx.unit.code)


def ranked(ctx: GsoContext, scope: str = "country") -> Blocks:
    """A ranked chart for each indicator of the section ``rank_country`` or ``rank_region`` (``scope``)."""
    if scope not in ("country", "region"):
        raise ReportError(f"scope must be 'country' or 'region', not {scope!r}")
    return Blocks(chart_ranked(ctx, code, scope) for code in ctx.codes(f"rank_{scope}"))


def chart_map(ctx: GsoContext, part: str | None = None, code: str | None = None) -> Chart | Html:
    """The provinces of one part of the country (default: the province's) on the map."""
    return sections.chart_map(ctx, part or part_of(ctx.unit.code), code)


def map_note(ctx: GsoContext) -> Html:
    """Which provinces of the year the map cannot place (Hà Tây has no coordinates)."""
    if map_indicator(ctx) is None:
        return Html("")
    src = ctx.in_lang(
        "Tọa độ tỉnh lấy từ danh mục đơn vị hành chính trước 7/2025 (gói vietnamadminunits); bản đồ "
        "không có nền địa lý.",
        "Province coordinates come from the pre-July-2025 unit list (package vietnamadminunits); the map "
        "has no base layer.",
    )
    if ctx.unit.lat is None:
        src += ctx.in_lang(
            f" {ctx.label(ctx.unit.code)} không có tọa độ (đã sáp nhập) nên không có trên bản đồ.",
            f" {ctx.label(ctx.unit.code)} has no coordinates (merged since) and is not on the map.",
        )
    return Html(f"<p class='caption'>{escape(src)}</p>")


def maps(ctx: GsoContext) -> Blocks:
    """The part of the country the province is in."""
    if map_indicator(ctx) is None:
        return Blocks()
    return Blocks([chart_map(ctx)])


def file_years(ctx: GsoContext, code: str) -> list[int]:
    """The years of the indicator's source table (every year GSO has a column for, for any unit)."""
    el = ctx.cat.indicator(code).numerator
    obs, pub = ctx.dataset.observations, ctx.dataset.published
    return sorted(
        {int(y) for y in obs.loc[obs["element"] == el, "year"]}
        | {int(y) for y in pub.loc[pub["code"] == el, "year_from"]}
    )


def chart_trend(ctx: GsoContext, code: str) -> Chart | Html:
    """The province over every year of the source table, next to the whole country (population:
    the province alone; the region is in the tables — with three close lines the value labels
    collide; so for every total that adds up over provinces). A year without a value — no column in the table,
    or ``..`` — is a gap in the line,
    never joined over."""
    years = file_years(ctx, code)
    units = [ctx.unit.code] + ([] if is_total(ctx, code) else ["VN"])
    d = ctx.ind[ctx.ind["indicator"] == code].set_index(["unit", "year"])["value"]
    rows = [{"year": y, "series": ctx.label(u), "value": d.get((u, y), np.nan)} for u in units for y in years]
    df = pd.DataFrame(rows, columns=["year", "series", "value"])
    if df.loc[df["series"] == ctx.label(ctx.unit.code), "value"].notna().sum() == 0:
        if years:  # the table has the indicator, never for this province: a country line alone would mislead
            name = lower_first(ctx.cat.indicator(code).name(ctx.lang))
            where, span = ctx.label(ctx.unit.code), year_ranges(years)
            text = ctx.in_lang(
                f"Không có số liệu {name} cho {where} năm nào trong bảng ({span}).",
                f"No data on {name} for {where} in any year of the table ({span}).",
            )
            return Html(f'<p class="no-data">{escape(text)}</p>')
        return no_data(ctx, code)
    return kit.indicator_trend(ctx.cat.indicator(code), df, ctx.lang, suffix=value_suffix(code, ctx.cat))


def trend_note(ctx: GsoContext) -> Html:
    """How to read the trend charts: what the gaps mean, the years of each table."""
    spans = []
    for code in ctx.codes("trend"):
        years = file_years(ctx, code)
        spans.append(
            f"{ctx.cat.indicator(code).short(ctx.lang)}: "
            f"{year_ranges(years) or ctx.in_lang('không có', 'none')}"
        )
    text = (
        ctx.in_lang(
            "Đường bị ngắt ở những năm không có số liệu (GSO không công bố năm đó, hoặc ô “..”); điểm đứng "
            "riêng là năm có số liệu nhưng năm liền kề không có. Các năm trong bảng nguồn: ",
            "Lines break at years without a value (GSO publishes none that year, or the cell is “..”); a "
            "lone dot is a year with data between years without. Years of the source tables: ",
        )
        + "; ".join(spans)
        + "."
    )
    return Html(f"<p class='caption'>{escape(text)}</p>")


def trends(ctx: GsoContext) -> Blocks:
    """The trend chart of each indicator of the ``trend`` section (gaps kept), or a sentence when it has no
    data.
    """
    return Blocks(chart_trend(ctx, code) for code in ctx.codes("trend"))
