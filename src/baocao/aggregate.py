"""Aggregation up the unit tree and indicators as ratio of sums.

Rules (DHIS2-style):
- ``sum`` elements add up over a unit and all its descendants; a value recorded at a parent
  level (e.g. the district hospital's doctors, recorded for the district) is counted once,
  in addition to its children's values — it is never a total of them;
- ``weighted_mean`` elements (reported averages such as per-capita income) are averaged
  with their ``weight`` element (population) over the units that report both;
- ``none`` elements are not aggregated: a unit has only what was recorded for it;
- an element with a category set also gets a total over its categories (category ``""``);
- indicators are computed *after* aggregation: sum(numerator) ÷ sum(denominator) × factor,
  never the mean of the children's rates.
"""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np
import pandas as pd

from baocao.catalogue import Catalogue
from baocao.units import UnitRegistry

AGG_COLUMNS = ["unit", "year", "element", "category", "value", "n_units"]


def _ancestors(registry: UnitRegistry, units: Iterable[str]) -> dict[str, list[str]]:
    return {u: registry.path(u) if u in registry else [u] for u in set(units)}


def aggregate(obs: pd.DataFrame, catalogue: Catalogue, registry: UnitRegistry, units: Iterable[str] | None = None) -> pd.DataFrame:
    """Element values for every unit in ``units`` (default: every unit with data or an ancestor)."""
    if obs.empty:
        return pd.DataFrame(columns=AGG_COLUMNS)
    paths = _ancestors(registry, obs["unit"])
    base = obs[["unit", "year", "element", "category", "value"]].copy()
    base["target"] = base["unit"].map(paths)
    long = base.explode("target")
    if units is not None:
        long = long[long["target"].isin(set(units))]
    agg_type = {code: el.aggregation for code, el in catalogue.elements.items()}
    long["agg"] = long["element"].map(agg_type)
    own = long["target"] == long["unit"]
    long = long[(long["agg"] != "none") | own]

    frames = []
    summed = long[long["agg"].isin(["sum", "none"])]
    if not summed.empty:
        frames.append(
            summed.groupby(["target", "year", "element", "category"], sort=False)
            .agg(value=("value", "sum"), n_units=("unit", "nunique"))
            .reset_index()
        )
    weighted = long[long["agg"] == "weighted_mean"]
    if not weighted.empty:
        weights = base.loc[base["element"].isin({catalogue.elements[e].weight for e in weighted["element"].unique()}), ["unit", "year", "element", "value"]]
        weights = weights.rename(columns={"element": "weight_element", "value": "weight"})
        weighted = weighted.assign(weight_element=weighted["element"].map(lambda e: catalogue.elements[e].weight))
        weighted = weighted.merge(weights, on=["unit", "year", "weight_element"], how="left")
        weighted = weighted[weighted["weight"].notna()]
        weighted = weighted.assign(wv=weighted["value"] * weighted["weight"])
        g = weighted.groupby(["target", "year", "element", "category"], sort=False).agg(
            wv=("wv", "sum"), w=("weight", "sum"), n_units=("unit", "nunique")
        )
        g["value"] = g["wv"] / g["w"].replace(0, np.nan)
        frames.append(g.reset_index()[["target", "year", "element", "category", "value", "n_units"]])
    out = pd.concat(frames, ignore_index=True).rename(columns={"target": "unit"})
    totals = _category_totals(out, catalogue)
    out = pd.concat([out, totals], ignore_index=True)
    return out.sort_values(["unit", "year", "element", "category"]).reset_index(drop=True)[AGG_COLUMNS]


def _category_totals(agg: pd.DataFrame, catalogue: Catalogue) -> pd.DataFrame:
    cat_sum = [c for c, el in catalogue.elements.items() if el.category_set and el.aggregation == "sum"]
    part = agg[agg["element"].isin(cat_sum) & (agg["category"] != "")]
    if part.empty:
        return pd.DataFrame(columns=AGG_COLUMNS)
    t = part.groupby(["unit", "year", "element"], sort=False).agg(value=("value", "sum"), n_units=("n_units", "max")).reset_index()
    t["category"] = ""
    return t[AGG_COLUMNS]


def over_period(agg: pd.DataFrame, catalogue: Catalogue, year_from: int, year_to: int) -> pd.DataFrame:
    """Sum ``sum`` elements over a period of years (e.g. 2022–2024); others are not summable over time."""
    sums = [c for c, el in catalogue.elements.items() if el.aggregation == "sum"]
    part = agg[(agg["year"] >= year_from) & (agg["year"] <= year_to) & agg["element"].isin(sums)]
    out = part.groupby(["unit", "element", "category"], sort=False).agg(value=("value", "sum"), n_units=("n_units", "max")).reset_index()
    out["year"] = year_to
    return out[AGG_COLUMNS]


def indicators(agg: pd.DataFrame, catalogue: Catalogue, codes: Iterable[str] | None = None) -> pd.DataFrame:
    """Indicator values: ratio of the aggregated numerator and denominator, times the factor.

    Columns: ``unit, year, indicator, category, value, numerator, denominator``. An indicator
    whose numerator has categories is given per category and for the total (``""``).
    """
    codes = list(catalogue.indicators) if codes is None else list(codes)
    frames = []
    for code in codes:
        ind = catalogue.indicator(code)
        num = agg.loc[agg["element"] == ind.numerator, ["unit", "year", "category", "value"]].rename(columns={"value": "numerator"})
        if ind.denominator is None:
            num["denominator"] = np.nan
            num["value"] = num["numerator"] * ind.factor
            frame = num
        else:
            den = agg.loc[agg["element"] == ind.denominator, ["unit", "year", "category", "value"]].rename(columns={"value": "denominator"})
            frame = num.merge(den, on=["unit", "year", "category"], how="inner")
            if frame.empty and (den["category"] == "").all():
                frame = num.merge(den.drop(columns="category"), on=["unit", "year"], how="inner")
            frame["value"] = frame["numerator"] / frame["denominator"].where(frame["denominator"] != 0) * ind.factor
        frame["indicator"] = code
        frames.append(frame)
    cols = ["unit", "year", "indicator", "category", "value", "numerator", "denominator"]
    if not frames:
        return pd.DataFrame(columns=cols)
    return pd.concat(frames, ignore_index=True)[cols].sort_values(["indicator", "unit", "year", "category"]).reset_index(drop=True)
