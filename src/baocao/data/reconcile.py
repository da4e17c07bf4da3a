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

PUBLISHED_COLUMNS = ["id", "unit", "year_from", "year_to", "kind", "code", "category", "value", "decimals", "components", "source", "note"]
VERDICTS = ("match", "rounding difference", "mismatch", "no data")


def verdict(computed: float, published: float, decimals: int) -> str:
    if pd.isna(computed):
        return "no data"
    if float(round_half_up(computed, decimals)) == float(round_half_up(published, decimals)):
        return "match"
    if abs(computed - published) < 10.0 ** (-decimals) - 1e-12:
        return "rounding difference"
    return "mismatch"


def computed_row(agg: pd.DataFrame, catalogue: Catalogue, row, period_agg: pd.DataFrame | None = None) -> dict:
    """What the data give for a published row: ``value``, ``numerator``, ``denominator`` and
    ``illustrative`` (computed from generated rows); NaN values when the data have nothing."""
    y0, y1 = int(row.year_from), int(row.year_to)
    part = agg[agg["unit"] == str(row.unit)]
    if y0 == y1:
        period = part[part["year"] == y0]
    else:
        per = period_agg[period_agg["unit"] == str(row.unit)] if period_agg is not None and len(period_agg) else pd.DataFrame()
        period = period_total(part, per, catalogue, y0, y1)
    cat = "" if pd.isna(row.category) else str(row.category)
    if row.kind == "element":
        hit = period[(period["element"] == row.code) & (period["category"] == cat)]
        if len(hit):
            return dict(value=float(hit["value"].iloc[0]), numerator=float("nan"), denominator=float("nan"), illustrative=bool(hit["illustrative"].iloc[0]) if "illustrative" in hit else False)
    else:
        ind = indicators(period, catalogue, [row.code])
        hit = ind[ind["category"] == cat]
        if len(hit):
            h = hit.iloc[0]
            return dict(value=float(h["value"]), numerator=float(h["numerator"]), denominator=float(h["denominator"]), illustrative=bool(h["illustrative"]))
    return dict(value=float("nan"), numerator=float("nan"), denominator=float("nan"), illustrative=False)


def computed_value(agg: pd.DataFrame, catalogue: Catalogue, row, period_agg: pd.DataFrame | None = None) -> float:
    return computed_row(agg, catalogue, row, period_agg)["value"]


def reconcile(published: pd.DataFrame, agg: pd.DataFrame, catalogue: Catalogue, period_agg: pd.DataFrame | None = None) -> pd.DataFrame:
    """One row per published figure: published, computed, gap, verdict, and the components check.

    ``period_agg``: the aggregated period values (:func:`baocao.data.aggregate.aggregate_periods`),
    needed for figures of a period of several years."""
    rows = []
    by_id = published.set_index("id")["value"].astype(float).to_dict()
    for row in published.itertuples(index=False):
        decimals = int(row.decimals)
        got = computed_row(agg, catalogue, row, period_agg)
        computed = got["value"]
        comp_ids = str(row.components).split() if isinstance(row.components, str) else []
        comp_sum = sum(by_id[c] for c in comp_ids) if comp_ids and all(c in by_id for c in comp_ids) else float("nan")
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
