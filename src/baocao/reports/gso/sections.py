"""The sections the province report and the national overview share: the data source, the
headline cards, ranked charts and maps of the provinces, the table of units with the basis of
their figures, and the footer. One function per notebook cell (or a piece of one); what differs
between the two reports is in :mod:`baocao.reports.gso.province` and
:mod:`baocao.reports.gso.national`.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from markupsafe import escape

from baocao.config import RUN
from baocao.data.catalogue import Catalogue
from baocao.data.gso import COLLECTED
from baocao.data.gso_figures import region_of
from baocao.reports import charts, registry
from baocao.reports.gso.context import GsoContext, ranking, year_ranges
from baocao.reports.kit import Chart, Html, ReportError, as_chart, cards_html, html_table, title_html

SOURCE = {
    "vi": "Tổng cục Thống kê (GSO), các bảng số liệu theo tỉnh công bố trên trang web gso.gov.vn, thu thập "
    "ngày {dates}",
    "en": "General Statistics Office of Viet Nam (GSO), province tables published on gso.gov.vn, collected "
    "{dates}",
}

BASIS = {
    "vi": {"province": "", "computed": "cộng từ các tỉnh", "published": "số GSO công bố"},
    "en": {"province": "", "computed": "sum of provinces", "published": "as published by GSO"},
}

PRELIM = {"vi": "sơ bộ", "en": "preliminary"}


def report_title(ctx: GsoContext, where: str = "") -> str:
    """The kind's title, `` — where`` when given (the province), and the year."""
    return f"{registry.require(ctx.kind).title(ctx.lang)}{where}, {ctx.year}"


def summary(ctx: GsoContext, title: str) -> dict:
    """Title and headline figures (the first three indicators with a value) for the build index."""
    unit = ctx.unit_code
    pairs = [
        [ctx.cat.indicator(c).short(ctx.lang), ctx.fmt(c, ctx.value(c, unit=unit))]
        for c in ctx.codes("headline")
        if not np.isnan(ctx.value(c, unit=unit))
    ]
    return {"title": title, "headline": pairs[:3]}


def source_text(ctx: GsoContext) -> str:
    """GSO and the date(s) the tables were collected, as their rows'
    ``source`` says (``GSO: file (date)``).
    """
    sources = ctx.dataset.observations["source"].unique()  # a few distinct strings on ~30 000 rows
    dates = sorted({s.rsplit(" (", 1)[1].rstrip(")") for s in sources if " (" in s} or {COLLECTED})
    shown = [("/".join(reversed(d.split("-"))) if ctx.lang == "vi" else d) for d in dates]
    return SOURCE[ctx.lang].format(dates=", ".join(shown))


def source_note(ctx: GsoContext) -> Html:
    """The data source, always visible, and which figures are preliminary."""
    files = sorted(
        {s.removeprefix("GSO: ").rsplit(" (", 1)[0] for s in ctx.dataset.observations["source"].unique()}
    )
    text = ctx.in_lang("Nguồn số liệu", "Data source")
    out = f'<p class="meta source"><strong>{text}:</strong> {escape(source_text(ctx))}. '
    out += (
        str(
            escape(
                ctx.in_lang(
                    f"{len(files)} bảng, dùng nguyên trạng: ", f"{len(files)} tables, used as published: "
                )
                + "; ".join(files)
            )
        )
        + ".</p>"
    )
    prelim = ctx.preliminary()
    if prelim:
        names = ", ".join(
            ctx.cat.indicator(c).short(ctx.lang).lower()
            if ctx.lang == "vi"
            else ctx.cat.indicator(c).short(ctx.lang)
            for c in prelim
        )
        msg = ctx.in_lang(
            f"Số liệu sơ bộ: năm {ctx.year}, GSO ghi các số liệu sau là sơ bộ (Prel.), có thể được điều "
            f"chỉnh: {names}. Trong các bảng, chúng được đánh dấu “sơ bộ”.",
            f"Preliminary figures: for {ctx.year} GSO marks these as preliminary (Prel.), subject to "
            f"revision: {names}. Tables mark them “preliminary”.",
        )
        out += (
            '<p class="meta preliminary" '
            f'role="note"><strong>{escape(msg.split(":", 1)[0])}:</strong>{escape(msg.split(":", 1)[1])}</p>'
        )
    return Html(out)


def title_block(ctx: GsoContext, title: str, meta: list[str], summary: dict) -> Html:
    """Title, what the report covers (``meta``, HTML, then the year), the data source and the
    preliminary flag; its output carries the report's ``summary`` for the builder."""
    meta = [*meta, f"<strong>{ctx.in_lang('Năm', 'Year')}:</strong> {ctx.year}"]
    out = Html(title_html(title, " · ".join(meta)) + source_note(ctx))
    out.meta = {"summary": summary}  # read by the builder (baocao.build.execute.summary_from_notebook)
    return out


def headline(ctx: GsoContext) -> Html:
    """The indicators of the province (or the whole country) as cards; missing ones are left out."""
    unit = ctx.unit_code
    cards = []
    for code in ctx.codes("headline"):
        r = ctx.row(code, unit)
        if r is None or np.isnan(r["value"]):
            continue
        label = ctx.cat.indicator(code).short(ctx.lang) + (
            f" ({PRELIM[ctx.lang]})" if r["preliminary"] else ""
        )
        cards.append((label, ctx.fmt(code, r["value"]), ""))
    return cards_html(cards)


def value_cell(ctx: GsoContext, code: str, unit: str) -> str:
    r = ctx.row(code, unit)
    if r is None or np.isnan(r["value"]):
        return "–"
    return ctx.fmt(code, r["value"], with_unit=False)


def _is_preliminary(ctx: GsoContext, code: str, units) -> bool:
    d = ctx.ind
    return bool(
        d[(d["indicator"] == code) & (d["year"] == ctx.year) & d["unit"].isin(list(units))][
            "preliminary"
        ].any()
    )


def short_names(ctx: GsoContext, codes) -> str:
    names = [ctx.cat.indicator(c).short(ctx.lang) for c in codes]
    return ", ".join(n[:1].lower() + n[1:] if ctx.lang == "vi" else n for n in names)


def lower_first(text: str) -> str:
    return text[:1].lower() + text[1:]


def no_data(ctx: GsoContext, code: str, year: int | None = None, where: str = "") -> Html:
    """In words: no value of the indicator for the year (``where``: for whom), and the years that
    have one — or that the indicator has none at all (its GSO table was not read: see the problems)."""
    year = year or ctx.year
    name = lower_first(ctx.cat.indicator(code).name(ctx.lang))
    years = sorted(
        {int(y) for y in ctx.ind.loc[(ctx.ind["indicator"] == code) & ctx.ind["value"].notna(), "year"]}
    )
    who = f" {ctx.in_lang('cho', 'for')} {where}" if where else ""
    if years:
        text = ctx.in_lang(
            f"Không có số liệu {name}{who} năm {year}; có số liệu các năm {year_ranges(years)}.",
            f"No data on {name}{who} for {year}; years with data: {year_ranges(years)}.",
        )
    else:
        text = ctx.in_lang(
            f"Không có số liệu {name} năm {year}, cũng không có năm nào khác: bảng GSO của chỉ tiêu này chưa "
            f"được nhập (xem `{RUN} validate`).",
            f"No data on {name} for {year}, nor for any other year: the GSO table of this indicator was not "
            f"imported (see `{RUN} validate`).",
        )
    return Html(f'<p class="no-data">{escape(text)}</p>')


def value_suffix(code: str, cat: Catalogue) -> str:
    return "%" if cat.indicator(code).unit_vi == "%" else ""


def chart_title(ctx: GsoContext, code: str, what: str) -> str:
    """A chart title short enough for one or two lines of the 8-inch figure: the short indicator
    name, its unit unless the name says it, the year, "preliminary", and what is shown."""
    ind = ctx.cat.indicator(code)
    short, unit = ind.short(ctx.lang), ind.unit(ctx.lang)
    name = short if unit.lower() in short.lower() else f"{short} ({unit})"
    prelim = any(ranking(ctx, code)["preliminary"])
    return f"{name}, {ctx.year}{' (' + PRELIM[ctx.lang] + ')' if prelim else ''}: {what}"


@as_chart
def _ranked_chart(
    ctx: GsoContext, code: str, df: pd.DataFrame, reference: float, reference_label: str, what: str
):
    ind = ctx.cat.indicator(code)
    return charts.ranked_bars(
        df,
        reference=None if np.isnan(reference) else reference,
        reference_label=reference_label,
        title=chart_title(ctx, code, what),
        value_label=ind.unit(ctx.lang),
        decimals=ind.decimals,
        lang=ctx.lang,
        highlight=ctx.highlight,
        suffix=value_suffix(code, ctx.cat),
    )


def chart_ranked(ctx: GsoContext, code: str, scope: str = "country") -> Chart | Html:
    """Provinces ranked high to low (the report's province highlighted); the line is the country (or
    region) value, except for totals such as population, where it would dwarf every bar."""
    df = ranking(ctx, code, scope)
    if df["value"].notna().sum() == 0:
        return no_data(
            ctx,
            code,
            where=ctx.in_lang(
                f"các tỉnh trong vùng {ctx.label(ctx.region)}",
                f"the provinces of the {ctx.label(ctx.region)} region",
            )
            if scope == "region"
            else "",
        )
    ref_unit = ctx.region if scope == "region" else "VN"
    if is_total(ctx, code):
        ref_unit = None  # a total (population): the country's would dwarf every bar
    n = int(df["value"].notna().sum())
    what = (
        ctx.in_lang(f"{n} tỉnh trong vùng", "the region")
        if scope == "region"
        else ctx.in_lang(f"{n} tỉnh, thành phố", f"{n} provinces")
    )
    if ref_unit is None:
        return _ranked_chart(ctx, code, df, float("nan"), "", what)
    return _ranked_chart(ctx, code, df, ctx.value(code, ref_unit), ctx.label(ref_unit), what)


# the map is drawn in three parts (GSO regions), one colour scale for all: on one map of the
# whole country the 11 Red River Delta provinces and the Mekong provinces are too close to label
PARTS: dict[str, tuple[tuple[str, ...], str, str]] = {
    "north": (("R1", "R2"), "Miền Bắc", "North"),
    "centre": (("R3", "R4"), "Miền Trung và Tây Nguyên", "Centre and Central Highlands"),
    "south": (("R5", "R6"), "Miền Nam", "South"),
}


@as_chart
def _map_chart(ctx: GsoContext, code: str, df: pd.DataFrame, what: str, limits: tuple[float, float]):
    ind = ctx.cat.indicator(code)
    fig = charts.dot_map(
        df,
        title=chart_title(ctx, code, what),
        value_label=ind.unit(ctx.lang),
        decimals=ind.decimals,
        lang=ctx.lang,
        highlight=ctx.highlight,
        suffix=value_suffix(code, ctx.cat),
        limits=limits,
    )
    if isinstance(fig, charts.NoChart):
        return fig
    for points in fig.axes[0].collections[:1]:  # same colours for the same values in every part
        if points.get_array() is not None:
            points.set_clim(*limits)
    return fig


def map_indicator(ctx: GsoContext) -> str | None:
    """The indicator the map shows: the first of the catalogue's ``map`` section with data in the
    year (the last one if none has; None if the section is empty)."""
    choices = ctx.codes("map")
    return next((c for c in choices if ctx.has(c)), choices[-1] if choices else None)


def part_of(code: str) -> str:
    return next(p for p, (regs, *_) in PARTS.items() if region_of(code) in regs)


def chart_map(ctx: GsoContext, part: str, code: str | None = None) -> Chart | Html:
    """Provinces of one part of the country (``north``, ``centre``, ``south``) as dots at their
    coordinates (``units.legacy()``), coloured by the indicator on one scale for the whole country."""
    code = code or map_indicator(ctx)
    if code is None:
        return Html("")
    if part not in PARTS:
        raise ReportError(f"part must be one of {', '.join(PARTS)}, not {part!r}")
    regs, vi, en = PARTS[part]
    df = ranking(ctx, code)
    if df["value"].notna().sum() == 0:
        return no_data(ctx, code)
    limits = (float(df["value"].min()), float(df["value"].max()))
    shown = df[df["code"].map(region_of).isin(regs)].dropna(subset=["lat", "lon"])
    return _map_chart(ctx, code, shown, ctx.in_lang(f"bản đồ {vi}", f"map, {en}"), limits)


def units_table(ctx: GsoContext, units: list[str], first: str, marked: str | None = None) -> Html:
    """The indicators of the ``table`` section for ``units`` (rows; the unit ``marked``, the report's
    province, marked ◀), the first column titled ``first``, with the basis of the region and
    country figures."""
    columns = {
        code: ctx.cat.indicator(code).short(ctx.lang)
        + (f" ({PRELIM[ctx.lang]})" if _is_preliminary(ctx, code, units) else "")
        for code in ctx.codes("table")
    }  # once per column, not per row
    rows = []
    for u in units:
        label = ctx.label(u) + (" ◀" if u == marked else "")
        row = {first: label}
        for code, column in columns.items():
            row[column] = value_cell(ctx, code, u)
        rows.append(row)
    df = pd.DataFrame(rows)
    return html_table(df, numeric=list(df.columns[1:]), caption=basis_caption(ctx, ctx.codes("table")))


def _summing(ctx: GsoContext, code: str) -> bool:
    ind = ctx.cat.indicator(code)
    return all(ctx.cat.element(e).aggregation == "sum" for e in (ind.numerator, ind.denominator) if e)


def is_total(ctx: GsoContext, code: str) -> bool:
    """A total that adds up over provinces (population): a country line would dwarf the province."""
    ind = ctx.cat.indicator(code)
    return ind.denominator is None and ctx.cat.element(ind.numerator).aggregation == "sum"


def basis_caption(ctx: GsoContext, codes) -> str:
    """Which region and country figures are sums of provinces and which GSO's own, from the catalogue."""
    summed = [c for c in codes if _summing(ctx, c)]
    published = [c for c in codes if not _summing(ctx, c)]
    parts = []
    if summed:
        ratios = any(ctx.cat.indicator(c).denominator for c in summed)
        parts.append(
            ctx.in_lang(
                f"{short_names(ctx, summed)} cộng từ các tỉnh"
                + (" (tỷ lệ tính từ các tổng)" if ratios else ""),
                f"{short_names(ctx, summed)} summed over the provinces"
                + (" (rates from the sums)" if ratios else ""),
            )
        )
    if published:
        parts.append(
            ctx.in_lang(
                f"{short_names(ctx, published)} là số GSO công bố (không cộng được từ các tỉnh)",
                f"{short_names(ctx, published)} as published by GSO (they do not add up from provinces)",
            )
        )
    return ctx.in_lang("Vùng và cả nước: ", "Regions and country: ") + "; ".join(parts) + "."


def footer(ctx: GsoContext) -> Html:
    """Source, data date and a content hash of the inputs instead of the wall-clock time."""
    return ctx.footer(f"Nguồn: {source_text(ctx)}", f"Source: {source_text(ctx)}")


class Blocks(list):
    """Several charts or HTML blocks that one notebook cell shows one after another (a section
    of the report: one block per indicator of the catalogue's section, in its order)."""

    def _ipython_display_(self):
        from IPython.display import display

        for block in self:
            display(block)

    def __repr__(self) -> str:
        return f"<{len(self)} blocks: {', '.join(map(repr, self))}>"
