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
  never the mean of the children's rates;
- every aggregate and indicator says whether any row it was computed from is illustrative
  (generated) data, in the column ``illustrative`` (see :mod:`baocao.data.provenance`);
- values for a period of several years (``2021-2025``) are aggregated per period
  (:func:`aggregate_periods`) and never added into a year; a total over a period of years
  (:func:`period_total`) adds the years' values and the period values that overlap it.
"""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np
import pandas as pd

from baocao.data.catalogue import Catalogue
from baocao.data.provenance import is_illustrative
from baocao.data.unit_lists import require
from baocao.data.units import UnitRegistry

AGG_COLUMNS = ["unit", "year", "element", "category", "value", "n_units", "illustrative"]
PERIOD_AGG_COLUMNS = [
    "unit",
    "year_from",
    "year_to",
    "year",
    "element",
    "category",
    "value",
    "n_units",
    "illustrative",
]


def _ancestors(registry: UnitRegistry, units: Iterable[str]) -> dict[str, list[str]]:
    return {u: registry.path(u) if u in registry else [u] for u in set(units)}


def aggregate(
    obs: pd.DataFrame, catalogue: Catalogue, registry: UnitRegistry, units: Iterable[str] | None = None
) -> pd.DataFrame:
    """Element values for every unit in ``units`` (default: every unit with data or an ancestor).

    Rows stamped with a unit list (``unit_list``, by the loader) must be of ``registry``'s list:
    a code is only climbed up the tree of the list it belongs to."""
    if obs.empty:
        return pd.DataFrame(columns=AGG_COLUMNS)
    require(obs, registry.structure, "aggregate")
    paths = _ancestors(registry, obs["unit"])
    base = obs[["unit", "year", "element", "category", "value"]].copy()
    base["illustrative"] = is_illustrative(obs["source"]).to_numpy() if "source" in obs else False
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
            .agg(value=("value", "sum"), n_units=("unit", "nunique"), illustrative=("illustrative", "max"))
            .reset_index()
        )
    weighted = long[long["agg"] == "weighted_mean"]
    if not weighted.empty:
        weights = base.loc[
            base["element"].isin({catalogue.elements[e].weight for e in weighted["element"].unique()}),
            ["unit", "year", "element", "value", "illustrative"],
        ]
        weights = weights.rename(
            columns={"element": "weight_element", "value": "weight", "illustrative": "weight_illustrative"}
        )
        weighted = weighted.assign(
            weight_element=weighted["element"].map(lambda e: catalogue.elements[e].weight)
        )
        weighted = weighted.merge(weights, on=["unit", "year", "weight_element"], how="left")
        weighted = weighted[weighted["weight"].notna()]
        weighted = weighted.assign(
            wv=weighted["value"] * weighted["weight"],
            illustrative=weighted["illustrative"].astype(bool) | weighted["weight_illustrative"].astype(bool),
        )
        g = weighted.groupby(["target", "year", "element", "category"], sort=False).agg(
            wv=("wv", "sum"),
            w=("weight", "sum"),
            n_units=("unit", "nunique"),
            illustrative=("illustrative", "max"),
        )
        g["value"] = g["wv"] / g["w"].replace(0, np.nan)
        frames.append(
            g.reset_index()[["target", "year", "element", "category", "value", "n_units", "illustrative"]]
        )
    out = pd.concat(frames, ignore_index=True).rename(columns={"target": "unit"})
    out["illustrative"] = out["illustrative"].astype(bool)
    totals = _category_totals(out, catalogue)
    out = pd.concat([out, totals], ignore_index=True)
    return out.sort_values(["unit", "year", "element", "category"]).reset_index(drop=True)[AGG_COLUMNS]


def _category_totals(agg: pd.DataFrame, catalogue: Catalogue) -> pd.DataFrame:
    cat_sum = [c for c, el in catalogue.elements.items() if el.category_set and el.aggregation == "sum"]
    part = agg[agg["element"].isin(cat_sum) & (agg["category"] != "")]
    if part.empty:
        return pd.DataFrame(columns=AGG_COLUMNS)
    t = (
        part.groupby(["unit", "year", "element"], sort=False)
        .agg(value=("value", "sum"), n_units=("n_units", "max"), illustrative=("illustrative", "max"))
        .reset_index()
    )
    t["category"] = ""
    return t[AGG_COLUMNS]


def over_period(agg: pd.DataFrame, catalogue: Catalogue, year_from: int, year_to: int) -> pd.DataFrame:
    """Sum ``sum`` elements over a period of years (e.g. 2022–2024); others are not summable over time."""
    sums = [c for c, el in catalogue.elements.items() if el.aggregation == "sum"]
    part = agg[(agg["year"] >= year_from) & (agg["year"] <= year_to) & agg["element"].isin(sums)]
    if "illustrative" not in part:
        part = part.assign(illustrative=False)
    out = (
        part.groupby(["unit", "element", "category"], sort=False)
        .agg(value=("value", "sum"), n_units=("n_units", "max"), illustrative=("illustrative", "max"))
        .reset_index()
    )
    out["year"] = year_to
    return out[AGG_COLUMNS]


def aggregate_periods(
    periods: pd.DataFrame, catalogue: Catalogue, registry: UnitRegistry, units: Iterable[str] | None = None
) -> pd.DataFrame:
    """Period rows (``year_from``, ``year_to``) aggregated up the unit tree, one period at a time.

    Columns :data:`PERIOD_AGG_COLUMNS`; ``year`` is the period's last year (so that
    :func:`indicators` can pair numerator and denominator), ``year_from`` says it is a period."""
    frames = []
    if len(periods):
        for (a, b), part in periods.groupby(["year_from", "year_to"], sort=True):
            agg = aggregate(part.assign(year=int(b)), catalogue, registry, units)
            frames.append(agg.assign(year_from=int(a), year_to=int(b)))
    if not frames:
        return pd.DataFrame(
            {c: pd.Series(dtype="int64" if c.startswith("year") else "object") for c in PERIOD_AGG_COLUMNS}
        )
    return pd.concat(frames, ignore_index=True)[PERIOD_AGG_COLUMNS]


def overlapping(period_agg: pd.DataFrame, year_from: int, year_to: int) -> pd.DataFrame:
    """The period aggregates whose span overlaps ``year_from``…``year_to``."""
    if period_agg.empty:
        return period_agg
    return period_agg[(period_agg["year_from"] <= year_to) & (period_agg["year_to"] >= year_from)]


def period_total(
    agg: pd.DataFrame, period_agg: pd.DataFrame, catalogue: Catalogue, year_from: int, year_to: int
) -> pd.DataFrame:
    """``sum`` elements over ``year_from``…``year_to``: the years' values plus every period value
    whose span overlaps it (e.g. 2022–2024 with the whole-term topic 2021–2025, as a report
    of the period states it). One row per unit, element and category; ``year`` = ``year_to``."""
    parts = [over_period(agg, catalogue, year_from, year_to)]
    per = overlapping(period_agg, year_from, year_to)
    if len(per):
        parts.append(over_period(per.assign(year=year_to), catalogue, year_to, year_to))
    both = (
        pd.concat([p for p in parts if len(p)], ignore_index=True) if any(len(p) for p in parts) else parts[0]
    )
    if both.empty:
        return both
    out = (
        both.groupby(["unit", "element", "category"], sort=False)
        .agg(value=("value", "sum"), n_units=("n_units", "max"), illustrative=("illustrative", "max"))
        .reset_index()
    )
    out["year"] = year_to
    return out[AGG_COLUMNS]


def indicators(agg: pd.DataFrame, catalogue: Catalogue, codes: Iterable[str] | None = None) -> pd.DataFrame:
    """Indicator values: ratio of the aggregated numerator and denominator, times the factor.

    Columns: ``unit, year, indicator, category, value, numerator, denominator``. An indicator
    whose numerator has categories is given per category and for the total (``""``).
    """
    codes = list(catalogue.indicators) if codes is None else list(codes)
    if "illustrative" not in agg:
        agg = agg.assign(illustrative=False)
    frames = []
    for code in codes:
        ind = catalogue.indicator(code)
        num = agg.loc[
            agg["element"] == ind.numerator, ["unit", "year", "category", "value", "illustrative"]
        ].rename(columns={"value": "numerator"})
        if ind.denominator is None:
            num["denominator"] = np.nan
            num["value"] = num["numerator"] * ind.factor
            frame = num
        else:
            den = agg.loc[
                agg["element"] == ind.denominator, ["unit", "year", "category", "value", "illustrative"]
            ].rename(columns={"value": "denominator", "illustrative": "den_illustrative"})
            frame = num.merge(den, on=["unit", "year", "category"], how="inner")
            if frame.empty and (den["category"] == "").all():
                frame = num.merge(den.drop(columns="category"), on=["unit", "year"], how="inner")
            frame["value"] = (
                frame["numerator"] / frame["denominator"].where(frame["denominator"] != 0) * ind.factor
            )
            frame["illustrative"] = frame["illustrative"].astype(bool) | frame.pop("den_illustrative").astype(
                bool
            )
        frame["indicator"] = code
        frames.append(frame)
    cols = ["unit", "year", "indicator", "category", "value", "numerator", "denominator", "illustrative"]
    if not frames:
        return pd.DataFrame(columns=cols)
    return (
        pd.concat(frames, ignore_index=True)[cols]
        .sort_values(["indicator", "unit", "year", "category"])
        .reset_index(drop=True)
    )


def period_indicators(
    period_agg: pd.DataFrame, catalogue: Catalogue, codes: Iterable[str] | None = None
) -> pd.DataFrame:
    """:func:`indicators` of period aggregates, one period at a time, with ``year_from`` and ``year_to``."""
    frames = []
    if len(period_agg):
        for (a, b), part in period_agg.groupby(["year_from", "year_to"], sort=True):
            frames.append(
                indicators(part.drop(columns=["year_from", "year_to"]), catalogue, codes).assign(
                    year_from=int(a), year_to=int(b)
                )
            )
    cols = [
        "unit",
        "year_from",
        "year_to",
        "year",
        "indicator",
        "category",
        "value",
        "numerator",
        "denominator",
        "illustrative",
    ]
    if not frames:
        return pd.DataFrame(columns=cols)
    return pd.concat(frames, ignore_index=True)[cols]
