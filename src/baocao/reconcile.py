"""Reconciliation of published figures with what the data compute.

A finding here is a statement about the published source, not an input error.
Verdicts: ``match`` (equal at the published precision), ``rounding difference`` (within one
unit of the last published digit, e.g. 99,7555 printed as 99,75), ``mismatch``, ``no data``.
Published totals are also checked against the sum of their own published components.
"""

from __future__ import annotations

import pandas as pd

from baocao.aggregate import indicators, over_period
from baocao.catalogue import Catalogue
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


def computed_value(agg: pd.DataFrame, catalogue: Catalogue, row) -> float:
    y0, y1 = int(row.year_from), int(row.year_to)
    part = agg[agg["unit"] == str(row.unit)]
    period = part[part["year"] == y0] if y0 == y1 else over_period(part, catalogue, y0, y1)
    cat = "" if pd.isna(row.category) else str(row.category)
    if row.kind == "element":
        hit = period[(period["element"] == row.code) & (period["category"] == cat)]["value"]
    else:
        ind = indicators(period, catalogue, [row.code])
        hit = ind[ind["category"] == cat]["value"]
    return float(hit.iloc[0]) if len(hit) else float("nan")


def reconcile(published: pd.DataFrame, agg: pd.DataFrame, catalogue: Catalogue) -> pd.DataFrame:
    """One row per published figure: published, computed, gap, verdict, and the components check."""
    rows = []
    by_id = published.set_index("id")["value"].astype(float).to_dict()
    for row in published.itertuples(index=False):
        decimals = int(row.decimals)
        computed = computed_value(agg, catalogue, row)
        comp_ids = str(row.components).split() if isinstance(row.components, str) else []
        comp_sum = sum(by_id[c] for c in comp_ids) if comp_ids and all(c in by_id for c in comp_ids) else float("nan")
        rows.append(
            dict(
                id=row.id,
                unit=str(row.unit),
                period=f"{row.year_from}" if row.year_from == row.year_to else f"{row.year_from}–{row.year_to}",
                kind=row.kind,
                code=row.code,
                category="" if pd.isna(row.category) else str(row.category),
                decimals=decimals,
                published=float(row.value),
                computed=computed,
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
