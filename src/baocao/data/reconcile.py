"""Reconciliation of published figures with what the data compute.

A finding here is a statement about the published source, not an input error.
Verdicts: ``match`` (equal at the published precision), ``rounding difference`` (within one
unit of the last published digit, e.g. 99,7555 printed as 99,75), ``mismatch``, ``no data``.
Published totals are also checked against the sum of their own published components.

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
from baocao.fmt import round_half_up

PUBLISHED_COLUMNS = [
    "id",
    "unit",
    "year_from",
    "year_to",
    "kind",
    "code",
    "category",
    "value",
    "decimals",
    "components",
    "source",
    "note",
]
VERDICTS = ("match", "rounding difference", "mismatch", "no data")


def verdict(computed: float, published: float, decimals: int) -> str:
    if pd.isna(computed):
        return "no data"
    if float(round_half_up(computed, decimals)) == float(round_half_up(published, decimals)):
        return "match"
    if abs(computed - published) < 10.0 ** (-decimals) - 1e-12:
        return "rounding difference"
    return "mismatch"


def computed_row(
    agg: pd.DataFrame, catalogue: Catalogue, row, period_agg: pd.DataFrame | None = None
) -> dict:
    """What the data give for a published row: ``value``, ``numerator``, ``denominator`` and
    ``illustrative`` (computed from generated rows); NaN values when the data have nothing."""
    period = _period_values(agg, catalogue, str(row.unit), int(row.year_from), int(row.year_to), period_agg)
    return _pick(period, None if row.kind == "element" else indicators(period, catalogue, [row.code]), row)


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
    if row.kind == "element":
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
    published: pd.DataFrame, agg: pd.DataFrame, catalogue: Catalogue, period_agg: pd.DataFrame | None = None
) -> pd.DataFrame:
    """One row per published figure: published, computed, gap, verdict, and the components check.

    ``period_agg``: the aggregated period values (:func:`baocao.data.aggregate.aggregate_periods`),
    needed for figures of a period of several years."""
    rows = []
    by_id = published.set_index("id")["value"].astype(float).to_dict()
    # the period's aggregates and indicators once per unit and period, not once per published row
    # (indicators are computed code by code: those of several codes are those of each)
    codes: dict[tuple, set] = {}
    for row in published.itertuples(index=False):
        key = (str(row.unit), int(row.year_from), int(row.year_to))
        codes.setdefault(key, set())
        if row.kind != "element":
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
        rows.append(
            dict(
                id=row.id,
                unit=str(row.unit),
                period=period_label(row.year_from, row.year_to),
                year_from=int(row.year_from),
                year_to=int(row.year_to),
                kind=row.kind,
                code=row.code,
                category="" if pd.isna(row.category) else str(row.category),
                decimals=decimals,
                published=float(row.value),
                computed=computed,
                numerator=got["numerator"],
                denominator=got["denominator"],
                illustrative=got["illustrative"],
                gap=computed - float(row.value),
                verdict=verdict(computed, float(row.value), decimals),
                components=" ".join(comp_ids),
                components_sum=comp_sum,
                components_verdict=verdict(comp_sum, float(row.value), decimals) if comp_ids else "",
                source=row.source,
                note=row.note,
            )
        )
    return pd.DataFrame(rows)
