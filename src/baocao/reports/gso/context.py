"""The context of a GSO report (province report, national overview): the year, the province and
its region, the indicator values of every unit, computed once when the report opens; and the
rankings of provinces by an indicator.

Ranks: 1 is best in the indicator's direction (lowest poverty rate, highest income or
doctors per 10,000); indicators of ``direction: neutral`` (population, schools per 10,000) rank
from the largest; an indicator without a direction is never ranked (the catalogue check names
it). Only units with a value that year are ranked, provinces equal as printed share a rank, and
with fewer than three provinces with a value there is no rank
(:func:`baocao.reports.kit.rank_by_direction`).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from baocao.data.gso import REGION_MEMBERS
from baocao.data.gso_figures import elements_of, exists, region_of
from baocao.data.units import Unit
from baocao.reports.gso.fingerprint import fingerprint_of
from baocao.reports.gso.loading import indicators_of, load_data, report_codes
from baocao.reports.gso.units import province_unit, unit_label
from baocao.reports.kit import ReportContext, ReportError, check_lang, check_year, in_lang, rank_by_direction


@dataclass(kw_only=True)
class GsoContext(ReportContext):
    """What a province or national report shows, computed once when it opens; ``dataset`` is the
    loaded :class:`~baocao.reports.gso.loading.GsoData`."""

    year: int
    unit: Unit | None = None  # the province (province report)
    region: str | None = None

    @property
    def unit_code(self) -> str:
        """The report's unit: its province, or ``"VN"``, the whole country."""
        return self.unit.code if self.unit is not None else "VN"

    @property
    def highlight(self) -> str | None:
        """The label charts highlight: the report's province (None for the whole country)."""
        return self.label(self.unit.code) if self.unit is not None else None

    def label(self, code: str, short: bool = True) -> str:
        return unit_label(code, self.lang, short)

    def provinces(self, year: int | None = None) -> list[str]:
        """Provinces that existed in the year, in GSO order."""
        year = year or self.year
        return [u for m in REGION_MEMBERS.values() for u in m if exists(u, year)]

    def has(self, code: str, year: int | None = None) -> bool:
        d = self.ind
        return bool(
            (
                (d["indicator"] == code)
                & (d["year"] == (year or self.year))
                & d["unit"].isin(self.provinces(year))
            ).any()
        )

    def codes(self, section: str) -> list[str]:
        """The indicators of one section of this report, in catalogue order (:func:`report_codes`)."""
        return report_codes(self.cat, self.kind, section)

    def preliminary(self, codes=None) -> list[str]:
        """Indicators whose value this year rests on a preliminary GSO figure."""
        codes = report_codes(self.cat) if codes is None else codes
        d = self.ind[
            (self.ind["year"] == self.year) & self.ind["preliminary"] & self.ind["indicator"].isin(codes)
        ]
        if self.unit is not None:
            d = d[d["unit"].isin([self.unit.code, self.region, "VN"])]
        return [c for c in codes if c in set(d["indicator"])]

    def input_hash(self) -> str:
        return fingerprint_of(self.dataset)[:12]


def open_gso(kind: str, year, lang, gso_dir: str, unit: Unit | None = None) -> GsoContext:
    """The context of a GSO report of ``kind`` for ``year`` (and the province ``unit``); a
    :class:`ReportError` listing the years with data when the year has none."""
    lang, year = check_lang(lang), check_year(year)
    data = load_data(gso_dir)
    check_declarations(data)
    ind = indicators_of(data)
    obs = data.observations
    scope = obs[obs["element"].isin(elements_of(data.catalogue, report_codes(data.catalogue)))]
    if unit is not None:
        scope = scope[scope["unit"] == unit.code]
    years = sorted(int(y) for y in scope["year"].unique())
    if year not in years:
        where = unit_label(unit.code, lang) if unit is not None else in_lang("cả nước", "the country", lang)
        raise ReportError(
            f"Không có số liệu GSO năm {year} cho {where} / no GSO data for {year} for {where}; "
            f"có các năm / years with data: {year_ranges(years) or 'không có / none'}"
        )
    return GsoContext(
        kind=kind,
        lang=lang,
        dataset=data,
        ind=ind,
        year=year,
        unit=unit,
        region=region_of(unit.code) if unit is not None else None,
    )


DECLARATION_RULES = (
    "gso_item_missing",
    "gso_layout",
    "gso_no_province",
)  # a declaration that matches nothing


def check_declarations(data) -> None:
    """A :class:`ReportError` naming the catalogue file, entry and table of every ``gso:``
    declaration that matches no column or row of its table: a report built on it would say GSO
    has no figure where the table has one."""
    probs = data.problems
    bad = (
        probs[probs["rule"].isin(DECLARATION_RULES) & (probs["importance"] == "blocking")]
        if len(probs)
        else probs
    )
    if len(bad):
        raise ReportError(
            "Khai báo bảng GSO không khớp bảng, không lập báo cáo / a GSO declaration does not match its "
            "table, no report: "
            + "; ".join(f"{p.message_vi} / {p.message_en}" for p in bad.head(3).itertuples())
        )


def year_ranges(years: list[int]) -> str:
    """``[2002, 2003, 2004, 2006]`` → ``"2002–2004, 2006"``; also lists every year in full after it."""
    if not years:
        return ""
    runs, start = [], years[0]
    for a, b in zip(years, [*years[1:], None]):
        if b != a + 1:
            runs.append(str(start) if start == a else f"{start}–{a}")
            start = b
    return ", ".join(runs)


def ranking(ctx: GsoContext, code: str, scope: str = "country", year: int | None = None) -> pd.DataFrame:
    """One indicator for every province of the country (or of ``ctx.region``):
    ``code, label, lat, lon, value, preliminary, rank, tied, of``; rank 1 is best (see module
    docstring)."""
    year = year or ctx.year
    # a report asks for the same ranking in its tables, text and charts
    return ctx.memo(("ranking", code, scope, year), lambda: _ranking(ctx, code, scope, year)).copy()


def _ranking(ctx: GsoContext, code: str, scope: str, year: int) -> pd.DataFrame:
    units = ctx.provinces(year)
    if scope == "region":
        units = [u for u in units if region_of(u) == ctx.region]
    d = ctx.ind[(ctx.ind["indicator"] == code) & (ctx.ind["year"] == year)].set_index("unit")
    rows = []
    for u in units:
        p = province_unit(u)
        rows.append(
            {
                "code": u,
                "label": ctx.label(u),
                "lat": p.lat,
                "lon": p.lon,
                "value": d["value"].get(u, np.nan),
                "preliminary": bool(d["preliminary"].get(u, False)),
            }
        )
    df = pd.DataFrame(rows, columns=["code", "label", "lat", "lon", "value", "preliminary"])
    ind = ctx.cat.indicator(code)
    return pd.concat(
        [df, rank_by_direction(df["value"], ctx.cat.ranking_direction(code), ind.decimals)], axis=1
    )
