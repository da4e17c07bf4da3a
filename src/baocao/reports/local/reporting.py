"""Who has reported what (DHIS2's reporting rate) in a local report: for each year (and period
value) the report covers, which of the communes — and the district, for what it reports itself —
sent every element the catalogue expects of them (``reported_at``), which sent part, which sent
nothing. The district report shows the units with a gap (:func:`reporting_summary`), the
data-quality report every element with the units behind it (:func:`reporting_table`), and the
workbook's notes sheet the rates in a line per year (:func:`reporting_lines`). The coverage itself
is data (:func:`baocao.data.aggregate.coverage`, read through the context).
"""

from __future__ import annotations

import pandas as pd

from baocao.data.observations import period_label
from baocao.reports.kit import Html, esc, html_table
from baocao.reports.local.context import Context

MOST_NAMED = 4  # a cell names at most this many elements or units; beyond, it counts them


def columns(ctx: Context) -> list[tuple[str, int, int]]:
    """What the coverage tables show, as (heading, year_from, year_to): every year up to the report's
    that has data, the report's year (or its period's years) even without, and the values reported
    for a period of several years that the report covers (the whole-term topic)."""
    years = sorted({*ctx.years, *range(ctx.first_year, ctx.year + 1)})
    if not ctx.is_period:
        years = [y for y in years if y <= ctx.year]
    out = [(str(y), y, y) for y in years]
    spans = sorted({(k[4], k[5]) for k in ctx.periods_coverage() if k[0] == ctx.district.code})
    out += [(period_label(a, b), a, b) for a, b in spans if a <= ctx.year]
    return out


def _district_rows(ctx: Context, a: int, b: int) -> dict:
    """element -> (expected, missing) of the district as a whole (category total), for one year or
    one period value."""
    if a == b:
        index = ctx.year_coverage(a)
    else:
        index = {k[:4]: v for k, v in ctx.periods_coverage().items() if (k[4], k[5]) == (a, b)}
    return {
        k[2]: v
        for k, v in index.items()
        if k[0] == ctx.district.code and k[1] == "element" and k[3] == "" and v[0]
    }


def unit_status(ctx: Context, a: int, b: int) -> dict[str, tuple[list[str], list[str]]]:
    """unit code -> (elements expected of it, elements it did not report), for every unit that is
    expected to report something (communes in the unit list's order, the district last)."""
    out: dict[str, tuple[list[str], list[str]]] = {}
    for element, (expected, missing) in _district_rows(ctx, a, b).items():
        for u in expected:
            out.setdefault(u, ([], []))[0].append(element)
            if u in missing:
                out[u][1].append(element)
    order = [*(u.code for u in ctx.communes), ctx.district.code]
    return {u: out[u] for u in order if u in out}


def _element_names(ctx: Context, codes: list[str]) -> str:
    names = [ctx.cat.element(c).name(ctx.lang) for c in codes]
    return ", ".join(n[:1].lower() + n[1:] if ctx.lang == "vi" and i else n for i, n in enumerate(names))


def status_words(ctx: Context, expected: list[str], missing: list[str]) -> str:
    """``đủ`` (everything), ``chưa báo cáo`` (nothing), or what is missing: its names when they are
    few, else how many (``thiếu 17/22 số liệu``)."""
    if not missing:
        return ctx.in_lang("đủ", "complete")
    if len(missing) == len(expected):
        return ctx.in_lang("chưa báo cáo", "nothing reported")
    if len(missing) <= MOST_NAMED:
        return ctx.in_lang("thiếu: ", "missing: ") + _element_names(ctx, missing)
    return ctx.in_lang(
        f"thiếu {len(missing)}/{len(expected)} số liệu", f"{len(missing)} of {len(expected)} figures missing"
    )


def _name(ctx: Context, code: str) -> str:
    return ctx.dataset.registry.unit(code).label(ctx.lang)


def _column_sentence(ctx: Context, heading: str, status: dict) -> str:
    communes = {u: s for u, s in status.items() if u != ctx.district.code}
    full = sum(not m for _, m in communes.values())
    none = sum(len(m) == len(e) for e, m in communes.values())
    part = len(communes) - full - none
    when = ctx.in_lang(f"Năm {heading}" if "–" not in heading else f"Kỳ {heading}", heading)
    bits = []
    if communes:
        bits.append(
            ctx.in_lang(
                f"{full}/{len(communes)} xã báo cáo đủ",
                f"{full} of {len(communes)} communes reported everything",
            )
        )
        if part:
            bits.append(ctx.in_lang(f"{part} xã báo cáo một phần", f"{part} reported part"))
        if none:
            bits.append(ctx.in_lang(f"{none} xã chưa báo cáo", f"{none} reported nothing"))
    own = status.get(ctx.district.code)
    if own is not None:
        bits.append(
            ctx.in_lang("số liệu của cấp huyện: ", "the district's own figures: ") + status_words(ctx, *own)
        )
    return f"{when}: " + "; ".join(bits) + "."


def reporting_summary(ctx: Context) -> Html:
    """The district report's word on coverage: per year (and period value) how many communes
    reported everything, part or nothing, and a table of the units with a gap (which elements they
    miss, per year); when every unit reported everything, one sentence says so."""
    cols = columns(ctx)
    status = {h: unit_status(ctx, a, b) for h, a, b in cols}
    gaps = [
        u
        for u in dict.fromkeys(u for s in status.values() for u in s)
        if any(s.get(u, ([], []))[1] for s in status.values())
    ]
    if not cols:
        return Html("")
    if not gaps:
        n = len(ctx.communes)
        shown = ", ".join(h for h, _, _ in cols)
        text = ctx.in_lang(
            f"Cả {n} xã, thị trấn và cấp huyện đã báo cáo đủ mọi số liệu theo danh mục: {shown}.",
            f"All {n} communes and the district reported every figure the catalogue expects: {shown}.",
        )
        return Html(f'<p class="coverage-summary">{esc(text)}</p>')
    sentences = " ".join(_column_sentence(ctx, h, status[h]) for h, _, _ in cols)
    rows = []
    for u in gaps:
        row = {ctx.in_lang("Đơn vị", "Unit"): _name(ctx, u)}
        for h, _, _ in cols:
            s = status[h].get(u)
            row[h] = status_words(ctx, *s) if s else ""
        rows.append(row)
    caption = ctx.in_lang(
        "Đơn vị chưa báo cáo đủ: thiếu số liệu nào, theo năm (“đủ”: đã báo cáo mọi số liệu được yêu cầu).",
        "Units that have not reported everything: what is missing, per year (“complete”: every figure "
        "expected was reported).",
    )
    return Html(
        f'<p class="coverage-summary">{esc(sentences)}</p>' + html_table(pd.DataFrame(rows), caption=caption)
    )


def _units_words(ctx: Context, expected: tuple, missing: tuple) -> str:
    """``13/13 xã`` … for the communes expected to report an element (which are missing, or which
    reported when they are fewer), then the district's own figure when it reports one."""
    communes = [u for u in expected if u != ctx.district.code]
    parts = []
    if communes:
        lacking = [u for u in communes if u in missing]
        done = [u for u in communes if u not in missing]
        count = f"{len(done)}/{len(communes)} " + ctx.in_lang("xã", "communes")
        if not lacking:
            parts.append(ctx.in_lang(f"đủ ({count})", f"complete ({count})"))
        elif not done:
            parts.append(ctx.in_lang(f"{count}: chưa xã nào báo cáo", f"{count}: none reported"))
        elif len(lacking) <= MOST_NAMED and len(lacking) <= len(done):
            parts.append(
                f"{count}: " + ctx.in_lang("thiếu ", "missing ") + ", ".join(_short(ctx, u) for u in lacking)
            )
        elif len(done) <= MOST_NAMED:
            parts.append(
                f"{count}: " + ctx.in_lang("chỉ có ", "only ") + ", ".join(_short(ctx, u) for u in done)
            )
        else:
            parts.append(count)
    if ctx.district.code in expected:
        own = ctx.district.code not in missing
        parts.append(
            ctx.in_lang("cấp huyện: ", "the district: ")
            + (ctx.in_lang("đã báo cáo", "reported") if own else ctx.in_lang("chưa báo cáo", "not reported"))
        )
    return "; ".join(parts)


def _short(ctx: Context, code: str) -> str:
    u = ctx.dataset.registry.unit(code)
    return u.short if u.level == "commune" else u.label(ctx.lang)


def reporting_table(ctx: Context) -> Html:
    """The data-quality report's coverage: every element the catalogue expects (rows) by year and
    period value (columns), with how many of the units expected to report it did, and which did not
    (or which did, when they are fewer)."""
    cols = columns(ctx)
    by_col = {h: _district_rows(ctx, a, b) for h, a, b in cols}
    elements = [e for e in ctx.cat.elements if any(e in d for d in by_col.values())]
    if not elements:
        return Html(
            "<p>"
            + esc(
                ctx.in_lang(
                    "Không có số liệu nào được yêu cầu báo cáo.", "No figure is expected to be reported."
                )
            )
            + "</p>"
        )
    rows = []
    for e in elements:
        row = {ctx.in_lang("Số liệu", "Figure"): ctx.cat.element(e).name(ctx.lang)}
        for h, _, _ in cols:
            hit = by_col[h].get(e)
            row[h] = _units_words(ctx, *hit) if hit else ""
        rows.append(row)
    caption = ctx.in_lang(
        "Số đơn vị đã báo cáo trên số đơn vị phải báo cáo mỗi số liệu (xã, thị trấn; huyện với số liệu "
        "cấp huyện tự báo cáo), theo năm.",
        "Units that reported each figure out of the units expected to (communes; the district for what it "
        "reports itself), per year.",
    )
    return html_table(pd.DataFrame(rows), caption=caption)


def reporting_lines(ctx: Context) -> list[str]:
    """The reporting rates of the report's unit, one line per year or period value, for the
    workbook's notes sheet: ``2024: 1/13 xã báo cáo đủ; 1 xã báo cáo một phần; 11 xã chưa báo cáo.``
    (a commune: what it reported of what is expected of it)."""
    out = []
    for h, a, b in columns(ctx):
        status = unit_status(ctx, a, b)
        if ctx.unit.level == "commune":
            own = status.get(ctx.unit.code)
            if own is not None:
                out.append(f"{h}: {status_words(ctx, *own)}")
        elif status:
            out.append(_column_sentence(ctx, h, status))
    return out
