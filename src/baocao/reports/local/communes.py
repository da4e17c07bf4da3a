"""The communes of a district compared on one indicator: their values and ranks (computed once per
data set: every commune report ranks them all; only communes with a value are ranked, ties are
ties, and below three communes with a value there is no rank), a ranked bar chart and a map, each
value label with its provenance mark."""

from __future__ import annotations

import numpy as np
import pandas as pd

from baocao.data import provenance
from baocao.reports.kit import as_chart, rank_by_direction
from baocao.reports.local.context import Context
from baocao.reports.local.marks import Fig, chart_label, mark_chart
from baocao.reports.local.sections import target_scope_note


def commune_values(ctx: Context, code: str, year: int | None = None) -> pd.DataFrame:
    """One indicator for every commune of the district: label, lat, lon, value, illustrative, and
    ``rank``, ``tied``, ``of`` (:func:`~baocao.reports.kit.rank_by_direction`, by the indicator's
    declared direction: a :class:`~baocao.data.catalogue.CatalogueError` when it has none).

    The same for every report of the district (a commune report ranks them all, for several
    indicators): computed once per loaded data set; each call gets its own copy."""
    year = year or ctx.year
    key = ("commune values", ctx.district.code, tuple(u.code for u in ctx.communes), code, year)
    return ctx.shared(key, lambda: _commune_values(ctx, code, year)).copy()


def _commune_values(ctx: Context, code: str, year: int) -> pd.DataFrame:
    d = ctx.ind[
        (ctx.ind["indicator"] == code) & (ctx.ind["year"] == year) & (ctx.ind["category"] == "")
    ].set_index("unit")
    vals, ill = d["value"], d["illustrative"] if "illustrative" in d else pd.Series(False, index=d.index)
    rows = [
        {
            "code": u.code,
            "label": u.short,
            "lat": u.lat,
            "lon": u.lon,
            "value": vals.get(u.code, np.nan),
            "illustrative": bool(ill.get(u.code, False)),
        }
        for u in ctx.communes
    ]
    df = pd.DataFrame(rows)
    ranks = rank_by_direction(df["value"], ctx.cat.ranking_direction(code), ctx.cat.indicator(code).decimals)
    return pd.concat([df, ranks], axis=1)


def _commune_labels(
    ctx: Context, code: str, df: pd.DataFrame, decimals: int, suffix: str
) -> list[tuple[str, Fig]]:
    out = [
        (chart_label(v, decimals, ctx.lang, suffix), ctx.figure(code, unit=c), (float(v),))
        for c, v in zip(df["code"], df["value"])
        if not np.isnan(v)
    ]
    ref = _reference(ctx, code)
    if not np.isnan(ref.value):
        out.append((chart_label(ref.value, decimals, ctx.lang, suffix), ref))
    return out


def _reference(ctx: Context, code: str) -> Fig:
    """The district's value the chart draws as its line: computed from the data (the line is
    drawn there), with that provenance, even where a published figure exists (see
    :func:`reference_note`), and how many communes reported it when some did not."""
    value = ctx.value(code, ctx.district.code)
    ill = ctx.illustrative_value(code, ctx.district.code)
    partial = (
        "" if np.isnan(value) else ctx.coverage_text("indicator", code, ctx.district.code, ctx.year, ctx.year)
    )
    about = ctx.about("indicator", code, ctx.district.code, ctx.year, ctx.year)
    return Fig(ctx.fmt(code, value), provenance.provenance_of(ill), None, value, about, coverage=partial)


def reference_note(ctx: Context, code: str, decimals: int, suffix: str) -> str:
    """Why the district appears with two values on the page, when it does: the chart's line is
    the value computed from the data, the source prints its own figure (``98,13%ᵐʰ`` on the chart,
    ``98,1%³`` published)."""
    published = ctx.figure(code, unit=ctx.district.code, with_unit=True)
    ref = _reference(ctx, code)
    if not published.pub_id or np.isnan(ref.value):
        return ""
    drawn = chart_label(ref.value, decimals, ctx.lang, suffix)
    if drawn == published.text:
        return ""
    where = ctx.district.in_text(ctx.lang)
    return ctx.in_lang(
        f"Đường dọc là giá trị của {where} tính từ số liệu ({ctx.marked(Fig(drawn, ref.provenance))}); "
        f"nguồn công bố {ctx.marked(published)} với ít chữ số thập phân hơn.",
        f"The line is {where}'s value computed from the data ({ctx.marked(Fig(drawn, ref.provenance))}); the "
        f"source publishes {ctx.marked(published)}, with fewer decimals.",
    )


@as_chart
def chart_communes_ranked(ctx: Context, code: str | None = None, highlight: str | None = None):
    """Every commune's value of ``code`` (default: the ``compare`` parameter), ranked, the district's
    as the line; ``highlight``: the commune to highlight (its short name)."""
    from baocao.reports import charts  # matplotlib, seaborn: only when a chart is drawn

    code = code or ctx.compare
    ind = ctx.cat.indicator(code)
    df = commune_values(ctx, code)
    suffix = "%" if ind.unit_vi == "%" else ""
    level = "commune"
    fig = charts.ranked_bars(
        df,
        reference=ctx.value(code, ctx.district.code),
        reference_label=ctx.district.label(ctx.lang),
        title=f"{ind.name(ctx.lang)} ({ind.unit(ctx.lang)}), {ctx.year}",
        value_label=ind.unit(ctx.lang),
        decimals=ind.decimals,
        lang=ctx.lang,
        highlight=highlight,
        target=ind.target if ind.target_applies(level) else None,
        suffix=suffix,
    )
    notes = [
        "" if ind.target is None or ind.target_applies(level) else target_scope_note(ctx, ind),
        reference_note(ctx, code, ind.decimals, suffix),
    ]
    return mark_chart(
        ctx,
        fig,
        _commune_labels(ctx, code, df, ind.decimals, suffix),
        " · ".join(n for n in notes if n),
        target=ind if ind.target_applies(level) else None,
    )


@as_chart
def chart_communes_map(ctx: Context, code: str | None = None, highlight: str | None = None):
    """Every commune's value of ``code`` as a dot on the map; ``highlight``: the commune to highlight."""
    from baocao.reports import charts  # matplotlib, seaborn: only when a chart is drawn

    code = code or ctx.compare
    ind = ctx.cat.indicator(code)
    df = commune_values(ctx, code)
    suffix = "%" if ind.unit_vi == "%" else ""
    fig = charts.dot_map(
        df,
        title=ctx.in_lang(
            f"Bản đồ các xã, thị trấn: {ind.short(ctx.lang)}, {ctx.year}",
            f"Map of communes: {ind.short(ctx.lang)}, {ctx.year}",
        ),
        value_label=ind.unit(ctx.lang),
        decimals=ind.decimals,
        lang=ctx.lang,
        highlight=highlight,
        suffix=suffix,
    )
    return mark_chart(ctx, fig, _commune_labels(ctx, code, df, ind.decimals, suffix))
