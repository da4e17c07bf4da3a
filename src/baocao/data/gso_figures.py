"""The figures of the GSO reports, computed from the tidy GSO rows (:func:`baocao.io.gso.load_gso`).

Indicator values (:func:`indicator_values`), one row per unit × year × indicator:

- **provinces**: what GSO publishes for them; ratios (doctors or schools per 10,000
  population) are computed from the two published counts;
- **regions and the whole country**: counts that add up (``aggregation: sum`` — population,
  doctors, schools) are *recomputed from the member provinces* that existed that year
  (``basis = "computed"``); if a member lacks a value the published figure is used instead
  (``basis = "published"``). Reported rates and averages that do not add up (poor-household
  rate, income per capita) are always GSO's published figures (``basis = "published"``).
- ``preliminary`` is True when a value rests on a figure GSO marks "Prel." (2016).

Pure: DataFrames and the catalogue in, DataFrames out. Which indicators are computed is the
caller's choice (the reports: the catalogue's ``reports: gso:`` list).
"""

from __future__ import annotations

import pandas as pd

from baocao.data.aggregate import indicators
from baocao.data.catalogue import Catalogue
from baocao.data.gso import REGION_MEMBERS, unit_years

_REGION_OF = {u: r for r, members in REGION_MEMBERS.items() for u in members}
VALUE_COLUMNS = ["unit", "year", "element", "category", "value", "basis", "preliminary", "n_members", "note"]


def region_of(code: str) -> str | None:
    """GSO region code (``"R6"``) of a province."""
    return _REGION_OF.get(str(code))


def exists(code: str, year: int) -> bool:
    """Whether the province existed in the year (Hà Tây until 2007, the 2004 splits from 2004)."""
    first, last = unit_years(code)
    return (first is None or year >= first) and (last is None or year <= last)


def elements_of(catalogue: Catalogue, codes: list[str]) -> list[str]:
    """The elements (numerators and denominators) the indicators ``codes`` are computed from, in order."""
    out = []
    for code in codes:
        ind = catalogue.indicator(code)
        out += [e for e in (ind.numerator, ind.denominator) if e]
    return list(dict.fromkeys(out))


def element_values(
    observations: pd.DataFrame, published: pd.DataFrame, catalogue: Catalogue, codes: list[str]
) -> pd.DataFrame:
    """Element values of provinces, regions and the whole country used by the indicators ``codes``.

    Columns ``unit, year, element, category, value, basis, preliminary, n_members, note``
    (see the module docstring for ``basis``).
    """
    elements = elements_of(catalogue, codes)
    obs = observations[observations["element"].isin(elements) & (observations["category"] == "")]
    prov = obs.assign(
        basis="province",
        preliminary=obs["note"].str.contains("preliminary"),
        n_members=1,
        note=[_boundary(n) for n in obs["note"]],
    )
    pub = published[published["code"].isin(elements) & (published["category"] == "")]
    pub_val = {
        (u, e, int(y)): (v, "preliminary" in str(n))
        for u, e, y, v, n in zip(pub["unit"], pub["code"], pub["year_from"], pub["value"], pub["note"])
    }
    lookup = {
        (u, e, int(y)): (v, p)
        for u, e, y, v, p in zip(
            prov["unit"], prov["element"], prov["year"], prov["value"], prov["preliminary"]
        )
    }
    years = sorted(set(obs["year"]) | set(pub["year_from"].astype(int)))
    groups = {**REGION_MEMBERS, "VN": tuple(u for m in REGION_MEMBERS.values() for u in m)}
    rows = []
    for region, members in groups.items():
        for element in elements:
            summing = catalogue.element(element).aggregation == "sum"
            for year in years:
                present = [m for m in members if exists(m, year)]
                vals = [lookup.get((m, element, year)) for m in present]
                published_value = pub_val.get((region, element, year))
                if summing and present and all(v is not None for v in vals):
                    rows.append(
                        (
                            region,
                            year,
                            element,
                            sum(v[0] for v in vals),
                            "computed",
                            any(v[1] for v in vals),
                            len(present),
                        )
                    )
                elif published_value is not None:
                    rows.append(
                        (
                            region,
                            year,
                            element,
                            published_value[0],
                            "published",
                            published_value[1],
                            len(present),
                        )
                    )
    reg = pd.DataFrame(
        rows, columns=["unit", "year", "element", "value", "basis", "preliminary", "n_members"]
    ).assign(category="", note="")
    return pd.concat([prov[VALUE_COLUMNS], reg[VALUE_COLUMNS]], ignore_index=True)


def _boundary(note: str) -> str:
    return "; ".join(p for p in str(note).split("; ") if p and p != "preliminary")


def indicator_values(
    observations: pd.DataFrame, published: pd.DataFrame, catalogue: Catalogue, codes: list[str]
) -> pd.DataFrame:
    """``unit, year, indicator, value, numerator, denominator, basis, preliminary, note`` for
    every province, region and the whole country (ratio of sums; see the module docstring)."""
    el = element_values(observations, published, catalogue, codes)
    ind = indicators(el[["unit", "year", "element", "category", "value"]], catalogue, codes)
    ind = ind[ind["category"] == ""].drop(columns="category")
    flags = {
        (u, int(y), e): (b, bool(p), n)
        for u, y, e, b, p, n in zip(
            el["unit"], el["year"], el["element"], el["basis"], el["preliminary"], el["note"]
        )
    }
    rows = []
    for unit, year, code in zip(ind["unit"], ind["year"], ind["indicator"]):
        spec = catalogue.indicator(code)
        parts = [flags[(unit, int(year), e)] for e in (spec.numerator, spec.denominator) if e]
        basis = "published" if any(p[0] == "published" for p in parts) else parts[0][0]
        rows.append((basis, any(p[1] for p in parts), "; ".join(dict.fromkeys(p[2] for p in parts if p[2]))))
    extra = pd.DataFrame(rows, columns=["basis", "preliminary", "note"], index=ind.index)
    return pd.concat([ind, extra], axis=1).reset_index(drop=True)
