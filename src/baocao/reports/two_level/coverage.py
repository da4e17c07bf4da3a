"""Who has reported, and ranks over those who have (DESIGN.md: "what real data look like").

A province's figure compiled from 90 of its 102 communes is a different statement from the
province's figure: pages say ``90/102 xã, phường báo cáo`` beside it and name who has not
reported; units without data are never ranked, equal values share a rank, and fewer than
:data:`MIN_RANKED` units with data get no rank at all.

The ranks are the kit's (:func:`baocao.reports.kit.rank_by_direction`: units with a value only,
equal as printed tied, none below :data:`MIN_RANKED`), through :func:`ranks`. Who has reported is
still this module's (:func:`reporting_units`, :func:`expected_units`: the 2025 list's communes,
wards and special zones, a type expected when any unit of it reports the element), not
:func:`baocao.data.aggregate.coverage`, whose expectations follow the catalogue's ``reported_at``
over the legacy three levels.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from baocao.data.catalogue import Catalogue
from baocao.reports.kit import MIN_RANKED, rank_by_direction
from baocao.reports.kit import rank_words as kit_rank_words

__all__ = ["MIN_RANKED", "elements_of", "expected_units", "rank_words", "ranks", "reporting_units"]


def elements_of(catalogue: Catalogue, code: str) -> list[str]:
    """The elements an indicator needs: numerator, denominator and, for a weighted mean, its weight."""
    ind = catalogue.indicator(code)
    numerator = catalogue.element(ind.numerator)
    out = [ind.numerator, *([ind.denominator] if ind.denominator else [])]
    if numerator.aggregation == "weighted_mean" and numerator.weight:
        out.append(numerator.weight)
    return out


def reporting_units(
    rows: pd.DataFrame, units: list[str], year: int, elements: list[str] | None = None
) -> list[str]:
    """The units of ``units`` (in their order) with a row for ``year`` — of every one of ``elements``
    when given (an indicator's: :func:`elements_of`), of anything otherwise."""
    part = rows[(rows["year"] == int(year)) & rows["unit"].isin(set(units))]
    if elements is None:
        have = set(part["unit"])
    else:
        found = part[part["element"].isin(set(elements))].groupby("unit")["element"].nunique()
        have = set(found[found == len(set(elements))].index)
    return [u for u in units if u in have]


def ranks(values: pd.Series, direction: str | None, decimals: int | None = None) -> pd.Series:
    """Ranks over the units with a value, 1 the best in ``direction`` (``neutral``: the largest),
    equal values sharing the best rank — equal as shown, rounded half up to ``decimals`` when given
    (two communes shown at 99,39% are tied); none at all when the indicator has no direction or fewer
    than :data:`MIN_RANKED` units have a value (:func:`baocao.reports.kit.rank_by_direction`)."""
    if direction is None:
        return pd.Series(np.nan, index=values.index)
    return rank_by_direction(values, direction, decimals)["rank"]


def expected_units(rows: pd.DataFrame, units: list, elements: list[str]) -> list:
    """The units (:class:`~baocao.data.units.Unit`) expected to report ``elements``: those of a type
    (xã, phường, đặc khu) that reports them anywhere in ``rows`` — wards never report the new-rural
    standard of communes — or every unit when no unit reports them at all."""
    types = {u.code: u.type for u in units}
    reporting = set(rows.loc[rows["element"].isin(set(elements)), "unit"])
    kinds = {types[c] for c in reporting if c in types}
    return [u for u in units if u.type in kinds] if kinds else list(units)


def rank_words(rank: float, ranked: pd.Series, n: int, lang: str) -> str:
    """``3/90`` or ``đồng hạng 3/90`` (``tied 3/90``) when another unit has the same rank; ``""`` unranked
    (:func:`baocao.reports.kit.rank_words`, every one of the ``n`` units ranked)."""
    if np.isnan(rank):
        return ""
    return kit_rank_words(rank, int((ranked == rank).sum()) > 1, n, n, lang, "", "")
