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

Coverage (DHIS2's reporting rate) is data too: :func:`coverage` gives, for every aggregate unit,
element, category and year, the units expected to report it (:func:`reporters`: the unit and
its descendants at the levels, or of the kinds, the element's ``reported_at`` names; by default
the communes) and those of them that did not; :func:`indicator_coverage` the same for
indicators (a unit reported an indicator when it reported every element the indicator needs:
numerator, denominator and the weight of an averaged element). A figure is **complete** when
every expected unit reported; it is then the aggregate's figure. A figure with a unit missing
is partial: the reports say so where they show it, and never judge or rank it.
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


COVERAGE_COLUMNS = ["unit", "year", "element", "category", "expected", "missing"]


def reporters(registry: UnitRegistry, unit: str, reported_at: Iterable[str] | None) -> tuple[str, ...]:
    """The units expected to report an element for the aggregate ``unit``: ``unit`` itself and its
    descendants whose level (``commune``, ``district``, ``province``) or kind of commune-level unit
    (``xã``, ``phường``, ``thị trấn``) is in ``reported_at`` (None: ``commune``), in the unit list's
    order. The list has no dates: the units of the list are the units that existed."""
    wanted = set(reported_at or ("commune",))
    if unit not in registry:
        return ()
    out = []
    todo = [unit]
    while todo:
        code = todo.pop(0)
        u = registry.unit(code)
        if u.level in wanted or (u.level == "commune" and u.type.lower() in wanted):
            out.append(code)
        todo[:0] = [c.code for c in registry.children(code)]
    return tuple(out)


def coverage(
    obs: pd.DataFrame,
    catalogue: Catalogue,
    registry: UnitRegistry,
    units: Iterable[str],
    years: Iterable[int],
    elements: Iterable[str] | None = None,
) -> pd.DataFrame:
    """Who reported what: one row per aggregate unit of ``units``, year of ``years``, element and
    category, with ``expected`` (the codes of the units expected to report it, :func:`reporters`)
    and ``missing`` (those of them without a row). ``elements``: default every element not read
    from a GSO table. An element with categories has a row per category any unit of the tree
    reported that year and a total (``""``), which a unit reported when it reported every one of
    them; a unit that reported none of them did not report the total. Units that expect nothing
    (a commune for a district-only element) have no row."""
    codes = (
        [c for c, el in catalogue.elements.items() if el.gso is None] if elements is None else list(elements)
    )
    units = list(units)
    keys = (
        set(zip(obs["unit"], obs["year"].astype(int), obs["element"], obs["category"])) if len(obs) else set()
    )
    cats: dict[tuple, set] = {}
    for _, y, e, c in keys:
        if c:
            cats.setdefault((y, e), set()).add(c)
    rows = []
    for unit in units:
        for e in codes:
            el = catalogue.element(e)
            expected = reporters(registry, unit, el.reported_at)
            if not expected:
                continue
            for y in years:
                y = int(y)
                options = sorted(cats.get((y, e), ())) if el.category_set else []
                for c in options:
                    rows.append(
                        (unit, y, e, c, expected, tuple(u for u in expected if (u, y, e, c) not in keys))
                    )
                if el.category_set:
                    missing = tuple(
                        u for u in expected if not options or any((u, y, e, c) not in keys for c in options)
                    )
                else:
                    missing = tuple(u for u in expected if (u, y, e, "") not in keys)
                rows.append((unit, y, e, "", expected, missing))
    return pd.DataFrame(rows, columns=COVERAGE_COLUMNS)


def period_coverage(
    periods: pd.DataFrame, catalogue: Catalogue, registry: UnitRegistry, units: Iterable[str]
) -> pd.DataFrame:
    """:func:`coverage` of values reported for a period of several years (``2021-2025``), one period
    at a time, with ``year_from`` and ``year_to`` (``year`` is the last year): only the elements
    some unit reported for that period are expected for it (a period is not a reporting cycle)."""
    frames = []
    if len(periods):
        for (a, b), part in periods.groupby(["year_from", "year_to"], sort=True):
            cov = coverage(
                part.assign(year=int(b)), catalogue, registry, units, [int(b)], sorted(set(part["element"]))
            )
            frames.append(cov.assign(year_from=int(a), year_to=int(b)))
    if not frames:
        return pd.DataFrame(columns=[*COVERAGE_COLUMNS, "year_from", "year_to"])
    return pd.concat(frames, ignore_index=True)


def needed_elements(catalogue: Catalogue, code: str) -> tuple[str, ...]:
    """The elements an indicator is computed from: numerator, denominator, and the weight of an
    element averaged with one (per-capita income needs the population)."""
    ind = catalogue.indicator(code)
    out = []
    for e in (ind.numerator, ind.denominator):
        if e is None:
            continue
        out.append(e)
        el = catalogue.element(e)
        if el.aggregation == "weighted_mean" and el.weight:
            out.append(el.weight)
    return tuple(dict.fromkeys(out))


def indicator_coverage(
    cov: pd.DataFrame, catalogue: Catalogue, codes: Iterable[str] | None = None
) -> pd.DataFrame:
    """:func:`coverage` of indicators: for each aggregate unit, year (and period) and category of
    the numerator, the units expected to report any element the indicator needs
    (:func:`needed_elements`) and those that missed one they were expected to report. Columns
    ``unit, year, indicator, category, expected, missing`` (and ``year_from``, ``year_to`` for
    periods)."""
    codes = list(catalogue.indicators) if codes is None else list(codes)
    period = "year_from" in cov.columns
    keys = ["unit", "year_from", "year_to", "year"] if period else ["unit", "year"]
    lookup = {}
    for row in cov.itertuples(index=False):
        lookup[(*(getattr(row, k) for k in keys), row.element, row.category)] = (row.expected, row.missing)
    frames: dict[tuple, list] = {}
    for key in lookup:
        frames.setdefault(key[:-2], []).append(key[-2:])
    rows = []
    for head, pairs in frames.items():
        present = {}
        for e, c in pairs:
            present.setdefault(e, []).append(c)
        for code in codes:
            needs = needed_elements(catalogue, code)
            num = needs[0]
            if num not in present:
                continue
            for c in present[num]:
                expected, missing = [], []
                for e in needs:
                    hit = lookup.get((*head, e, c if catalogue.element(e).category_set else ""))
                    if hit is None:
                        continue
                    expected += hit[0]
                    missing += hit[1]
                rows.append((*head, code, c, tuple(dict.fromkeys(expected)), tuple(dict.fromkeys(missing))))
    return pd.DataFrame(rows, columns=[*keys, "indicator", "category", "expected", "missing"])


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
    """An element over a period of years (e.g. 2022–2024): a flow (``measure: flow``, aggregated
    by ``sum``) is summed over the years; a stock (``measure: stock``: funds active, schools) is
    never summed over years — the period has its value at the end, the last year with a value
    (DHIS2's "last value" over time); other elements are not aggregated over time."""
    flows = [c for c, el in catalogue.elements.items() if el.aggregation == "sum" and el.measure == "flow"]
    stocks = [c for c, el in catalogue.elements.items() if el.aggregation == "sum" and el.measure == "stock"]
    part = agg[(agg["year"] >= year_from) & (agg["year"] <= year_to)]
    if "illustrative" not in part:
        part = part.assign(illustrative=False)
    summed = (
        part[part["element"].isin(flows)]
        .groupby(["unit", "element", "category"], sort=False)
        .agg(value=("value", "sum"), n_units=("n_units", "max"), illustrative=("illustrative", "max"))
        .reset_index()
    )
    last = (
        part[part["element"].isin(stocks)]
        .sort_values("year")
        .drop_duplicates(["unit", "element", "category"], keep="last")
    )
    out = pd.concat([summed, last[["unit", "element", "category", "value", "n_units", "illustrative"]]])
    out = out.reset_index(drop=True)
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
