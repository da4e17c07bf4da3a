"""Reconciliation of published figures with what the data compute.

A finding here is a statement about the published source, not an input error.
Verdicts: ``match`` (equal at the published precision), ``rounding difference`` (within one
unit of the last published digit, e.g. 99,7555 printed as 99,75), ``mismatch``, ``no data``.

A comparison is evidence only when the rows it recomputes the figure from are reported data of
their own (``basis`` ``data``): rows generated to reproduce the figure (``illustrative``) or
rows whose own source is the published figure's source (``same source``: the article's figure
typed in as data) cannot agree or disagree with it, and :func:`summarize` does not count them as
agreement. What the source says about itself is checked apart and is evidence about the source:
a published total against the sum of its own published components (``components_*``), and a
published rate against its own published numerator and denominator (``parts_*``: 54/67 trường
beside 80,59%).

A published figure for one year is computed from that year's values only; a figure for a
period of several years (``year_from`` < ``year_to``) from the years' values plus the period
values (e.g. the whole-term topic 2021–2025) whose span overlaps it
(:func:`baocao.data.aggregate.period_total`).
"""

from __future__ import annotations

import pandas as pd

from baocao.data.aggregate import indicators, period_total
from baocao.data.catalogue import Catalogue
from baocao.data.observations import period_label
from baocao.data.provenance import is_illustrative
from baocao.data.published import PUBLISHED_COLUMNS, is_inferred
from baocao.fmt import round_half_up

__all__ = [
    "PUBLISHED_COLUMNS",
    "VERDICTS",
    "BASES",
    "verdict",
    "reconcile",
    "observation_rows",
    "summarize",
]

VERDICTS = ("match", "rounding difference", "mismatch", "no data")
# what the computed value of a comparison is made of (evidence only for "data")
BASES = ("data", "illustrative", "same source", "none")


def verdict(computed: float, published: float, decimals: int) -> str:
    if pd.isna(computed):
        return "no data"
    if float(round_half_up(computed, decimals)) == float(round_half_up(published, decimals)):
        return "match"
    if abs(computed - published) < 10.0 ** (-decimals) - 1e-12:
        return "rounding difference"
    return "mismatch"


def _period_values(
    agg: pd.DataFrame, catalogue: Catalogue, unit: str, y0: int, y1: int, period_agg: pd.DataFrame | None
) -> pd.DataFrame:
    """The unit's aggregates for one year, or summed over the years ``y0``…``y1`` with the period values."""
    part = agg[agg["unit"] == unit]
    if y0 == y1:
        return part[part["year"] == y0]
    per = (
        period_agg[period_agg["unit"] == unit]
        if period_agg is not None and len(period_agg)
        else pd.DataFrame()
    )
    return period_total(part, per, catalogue, y0, y1)


def _pick(period: pd.DataFrame, ind: pd.DataFrame | None, row) -> dict:
    """The published row's figure among the period's aggregates (an element) or indicators."""
    cat = "" if pd.isna(row.category) else str(row.category)
    if row.figure_type == "element":
        hit = period[(period["element"] == row.code) & (period["category"] == cat)]
        if len(hit):
            return dict(
                value=float(hit["value"].iloc[0]),
                numerator=float("nan"),
                denominator=float("nan"),
                illustrative=bool(hit["illustrative"].iloc[0]) if "illustrative" in hit else False,
            )
    else:
        hit = ind[(ind["indicator"] == row.code) & (ind["category"] == cat)]
        if len(hit):
            h = hit.iloc[0]
            return dict(
                value=float(h["value"]),
                numerator=float(h["numerator"]),
                denominator=float(h["denominator"]),
                illustrative=bool(h["illustrative"]),
            )
    return dict(value=float("nan"), numerator=float("nan"), denominator=float("nan"), illustrative=False)


def reconcile(
    published: pd.DataFrame,
    agg: pd.DataFrame,
    catalogue: Catalogue,
    period_agg: pd.DataFrame | None = None,
    *,
    rows: pd.DataFrame | None = None,
    registry=None,
    sources: dict | None = None,
) -> pd.DataFrame:
    """One row per published figure: published, computed, gap, verdict, what the computed value is
    made of (``basis``, see :data:`BASES`), and the source's own checks (components, parts).

    ``period_agg``: the aggregated period values (:func:`baocao.data.aggregate.aggregate_periods`),
    needed for figures of a period of several years. ``rows``: the observation rows (years and
    periods, with ``source``) and ``registry`` the unit tree, to tell which rows a figure is
    recomputed from; ``sources``: ``sources.yaml`` (a row cites a published source by its key,
    name or title). Without ``rows`` the basis is told from the aggregates' illustrative flag."""
    out = []
    by_id = published.set_index("id")["value"].astype(float).to_dict()
    gives = _elements_given(published, catalogue)
    # the period's aggregates and indicators once per unit and period, not once per published row
    # (indicators are computed code by code: those of several codes are those of each)
    codes: dict[tuple, set] = {}
    for row in published.itertuples(index=False):
        key = (str(row.unit), int(row.year_from), int(row.year_to))
        codes.setdefault(key, set())
        if row.figure_type != "element":
            codes[key].add(row.code)
    memo: dict[tuple, tuple] = {}
    for row in published.itertuples(index=False):
        decimals = int(row.decimals)
        key = (str(row.unit), int(row.year_from), int(row.year_to))
        if key not in memo:
            period = _period_values(agg, catalogue, *key, period_agg)
            memo[key] = (period, indicators(period, catalogue, sorted(codes[key])) if codes[key] else None)
        got = _pick(*memo[key], row)
        computed = got["value"]
        comp_ids = str(row.components).split() if isinstance(row.components, str) else []
        comp_sum = (
            sum(by_id[c] for c in comp_ids)
            if comp_ids and all(c in by_id for c in comp_ids)
            else float("nan")
        )
        parts, parts_value = _parts(row, catalogue, gives)
        category = "" if pd.isna(row.category) else str(row.category)
        out.append(
            dict(
                id=row.id,
                unit=str(row.unit),
                period=period_label(row.year_from, row.year_to),
                year_from=int(row.year_from),
                year_to=int(row.year_to),
                figure_type=row.figure_type,
                code=row.code,
                category=category,
                decimals=decimals,
                published=float(row.value),
                computed=computed,
                numerator=got["numerator"],
                denominator=got["denominator"],
                illustrative=got["illustrative"],
                basis=_basis(row, got, rows, registry, catalogue, sources),
                gap=computed - float(row.value),
                verdict=verdict(computed, float(row.value), decimals),
                components=" ".join(comp_ids),
                components_sum=comp_sum,
                components_verdict=verdict(comp_sum, float(row.value), decimals) if comp_ids else "",
                parts=" ".join(parts),
                parts_value=parts_value,
                parts_verdict=verdict(parts_value, float(row.value), decimals) if parts else "",
                inferred=is_inferred(row),
                stated_period=str(getattr(row, "stated_period", "") or ""),
                as_of=str(getattr(row, "as_of", "") or ""),
                source=row.source,
                quote=getattr(row, "quote", ""),
                unit_stated=str(getattr(row, "unit_stated", "") or ""),
            )
        )
    return pd.DataFrame(out, columns=RECONCILED_COLUMNS)


RECONCILED_COLUMNS = [
    "id",
    "unit",
    "period",
    "year_from",
    "year_to",
    "figure_type",
    "code",
    "category",
    "decimals",
    "published",
    "computed",
    "numerator",
    "denominator",
    "illustrative",
    "basis",
    "gap",
    "verdict",
    "components",
    "components_sum",
    "components_verdict",
    "parts",
    "parts_value",
    "parts_verdict",
    "inferred",
    "stated_period",
    "as_of",
    "source",
    "quote",
    "unit_stated",
]


def _elements_given(published: pd.DataFrame, catalogue: Catalogue) -> dict:
    """(unit, year_from, year_to, category, element) -> id of the published row that states that
    element's value (an element row, or an indicator that is its element as it is: ``hn_luot_dv``)."""
    out: dict = {}
    for r in published.itertuples(index=False):
        element = r.code
        if r.figure_type == "indicator":
            ind = catalogue.indicators.get(r.code)
            if ind is None or ind.denominator is not None or ind.factor != 1:
                continue
            element = ind.numerator
        cat = "" if pd.isna(r.category) else str(r.category)
        out.setdefault((str(r.unit), int(r.year_from), int(r.year_to), cat, element), (r.id, float(r.value)))
    return out


def _parts(row, catalogue: Catalogue, gives: dict) -> tuple[list[str], float]:
    """A published rate whose numerator and denominator the source also states (80,59% beside
    54/67 trường): the ids of those two rows and the rate they give; ([], NaN) otherwise."""
    if row.figure_type != "indicator":
        return [], float("nan")
    ind = catalogue.indicators.get(row.code)
    if ind is None or ind.denominator is None:
        return [], float("nan")
    cat = "" if pd.isna(row.category) else str(row.category)
    key = (str(row.unit), int(row.year_from), int(row.year_to), cat)
    num, den = gives.get((*key, ind.numerator)), gives.get((*key, ind.denominator))
    if num is None or den is None or den[1] == 0:
        return [], float("nan")
    return [num[0], den[0]], num[1] / den[1] * ind.factor


def observation_rows(observations: pd.DataFrame, periods: pd.DataFrame | None = None) -> pd.DataFrame:
    """The year rows and the period rows of a data set as one frame for :func:`reconcile`'s
    ``rows``: unit, element, category, source and the span ``year_from``–``year_to``."""
    cols = ["unit", "element", "category", "source", "year_from", "year_to"]
    years = observations.assign(year_from=observations["year"], year_to=observations["year"])[cols]
    if periods is None or not len(periods):
        return years.reset_index(drop=True)
    return pd.concat([years, periods[cols]], ignore_index=True)


def cites(source_text: str, key: str, sources: dict | None) -> bool:
    """Whether an observation row's ``source`` text is the published source ``key`` (its key, its
    name or its title, as ``sources.yaml`` gives them)."""
    text = str(source_text or "").strip()
    if not text:
        return False
    if text == key:
        return True
    src = (sources or {}).get(key) or {}
    names = [str(src.get(k) or "").strip() for k in ("name_vi", "name_en")]
    titles = [str(src.get(k) or "").strip() for k in ("title_vi", "title_en")]
    return text in [n for n in names if n] or any(t and t in text for t in titles)


def _basis(row, got: dict, rows, registry, catalogue: Catalogue, sources) -> str:
    """What the value a published figure is compared with is made of (:data:`BASES`)."""
    if pd.isna(got["value"]):
        return "none"
    if rows is None or registry is None:
        return "illustrative" if got["illustrative"] else "data"
    unit = str(row.unit)
    units = {unit, *registry.descendants(unit)}
    if row.figure_type == "element":
        elements = {row.code}
    else:
        ind = catalogue.indicator(row.code)
        elements = {ind.numerator, *([ind.denominator] if ind.denominator else [])}
    y0, y1 = int(row.year_from), int(row.year_to)
    r = rows[rows["unit"].isin(units) & rows["element"].isin(elements)]
    cat = "" if pd.isna(row.category) else str(row.category)
    if cat:
        r = r[r["category"].isin([cat, ""])]
    r = r[(r["year_from"] <= y1) & (r["year_to"] >= y0)]
    if not len(r):
        return "illustrative" if got["illustrative"] else "data"
    if is_illustrative(r["source"]).any():
        return "illustrative"
    if any(cites(s, str(row.source), sources) for s in r["source"]):
        return "same source"
    return "data"


def summarize(rec: pd.DataFrame) -> dict:
    """The counts a page says about its published figures, from one reconciliation frame (the
    banner, the data-quality section and the footnotes of a page all read them from here):
    ``n`` figures; ``evidence``: verdict counts of the comparisons with independent data;
    ``illustrative`` / ``same_source`` / ``no_data``: the ids compared with generated rows, with
    rows of the same source, or with nothing; ``checks``: the source's own checks (totals against
    their components, rates against their parts) by verdict, with the ids of those that fail;
    ``inferred``: the ids whose period or date is ours."""
    out = {
        "n": len(rec),
        "evidence": {v: 0 for v in VERDICTS},
        "illustrative": [],
        "same_source": [],
        "no_data": [],
        "checks": {v: 0 for v in VERDICTS},
        "failed_checks": [],
        "inferred": [],
    }
    for r in rec.itertuples(index=False):
        if r.basis == "data":
            out["evidence"][r.verdict] += 1
        elif r.basis == "none":
            out["no_data"].append(r.id)
        else:
            out["illustrative" if r.basis == "illustrative" else "same_source"].append(r.id)
        for check in (r.components_verdict, r.parts_verdict):
            if check:
                out["checks"][check] += 1
                if check == "mismatch":
                    out["failed_checks"].append(r.id)
        if r.inferred:
            out["inferred"].append(r.id)
    return out
