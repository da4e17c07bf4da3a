"""History across the 1 July 2025 reorganisation: legacy observations re-expressed on the 2025 communes.

From 1 July 2025 the district level is gone and communes were merged (3,321 communes in
34 provinces). :func:`to_2025` puts tidy observations recorded for the communes of the
legacy three-level list onto the 2025 communes with :func:`baocao.data.units.crosswalk_2025`
(``old_code, new_code, divided, is_default, share, approximate, new_province``).

Rules (by the element's catalogue ``aggregation``):

- ``sum`` — the new commune's value is the sum over its old communes of value × share;
- ``weighted_mean`` — the mean over its old communes weighted by the ``weight`` element
  (e.g. income per capita weighted by population) × share;
- ``none`` — not carried over (a reported rate of one old commune says nothing about the
  merged one); listed in the report;
- ``value_type: boolean`` elements (a commune's status, e.g. "meets the new-rural standard")
  are not carried over either: a merged commune's status is assessed anew, it is not the
  sum of its parts' statuses (the sum would break the element's ``max: 1``); listed.

A new commune gets a value only when **every** old commune that goes into it (share > 0)
has one (and, for a weighted mean, its weight); otherwise the value would be a partial sum:
it is listed as not re-expressed, naming the old communes without a value.

**Split communes.** Where an old commune was divided between several new ones, the package
records no areas or populations for the parts. Documented rule: the whole value goes to the
package's *default* new commune (share 1) and nothing to the others (share 0). Every row of a
new commune that received, or lost, a part of a divided commune is flagged approximate in its
``note`` ("xấp xỉ / approximate …") and in the report — never silently.

**Values recorded above the commune** (e.g. the doctors of district hospital 894, the
district's dialogue conferences) cannot be placed in a 2025 commune: they are listed as not
re-expressed with the reason, never spread over communes.

The ``commune_2025_report`` notebook shows it: :mod:`baocao.reports.two_level.commune`.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from baocao.data.catalogue import Catalogue
from baocao.data.observations import WRITTEN_COLUMNS
from baocao.data.unit_lists import LEGACY, NEW, require
from baocao.data.units import UnitRegistry, crosswalk_2025, current, legacy

OBS_COLUMNS = WRITTEN_COLUMNS
COMMUNE_COLUMNS = [
    "new_code",
    "new_name",
    "new_province",
    "old_codes",
    "old_names",
    "approximate",
    "divided_old",
    "dropped",
]
DROPPED_COLUMNS = [
    "unit",
    "year",
    "element",
    "category",
    "value",
    "new_code",
    "reason",
    "reason_vi",
    "reason_en",
]
APPROX = "xấp xỉ / approximate"


@dataclass
class CrosswalkReport:
    """What :func:`to_2025` did.

    ``communes``: one row per new commune reached — ``new_code, new_name, new_province,
    old_codes`` (old communes with share > 0, comma-separated), ``old_names``,
    ``approximate``, ``divided_old`` (old communes divided between several new ones that
    touch this one, with where their value went), ``dropped`` (what could not be given to it).

    ``not_reexpressed``: every input row (or new-commune value) that was not carried over,
    with ``reason`` (``above_commune``, ``aggregation_none``, ``status``, ``unknown_unit``,
    ``no_2025_commune``, ``incomplete``) and a sentence in Vietnamese and English.
    """

    communes: pd.DataFrame
    not_reexpressed: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(columns=DROPPED_COLUMNS))


def _reason(code: str, vi: str, en: str) -> tuple[str, str, str]:
    return code, vi, en


def to_2025(
    obs: pd.DataFrame,
    catalogue: Catalogue,
    crosswalk: pd.DataFrame | None = None,
    old: UnitRegistry | None = None,
    new: UnitRegistry | None = None,
) -> tuple[pd.DataFrame, CrosswalkReport]:
    """Legacy observations (``unit, year, element, category, value[, source, note]``) → the same
    rows on the 2025 communes, and a :class:`CrosswalkReport`. Pure: no file is read here
    (the crosswalk and registries default to :mod:`baocao.data.units`)."""
    cw = crosswalk_2025() if crosswalk is None else crosswalk
    old = old or legacy()
    new = new or current()
    require(obs, LEGACY, "to_2025")  # only legacy rows are re-expressed; 2025 rows already are
    obs = obs.drop(columns="unit_list", errors="ignore")
    for col in ("category", "source", "note"):
        if col not in obs.columns:
            obs[col] = ""
        obs[col] = obs[col].fillna("").astype(str)
    obs["unit"] = obs["unit"].astype(str)
    dropped: list[dict] = []

    def drop(rows: pd.DataFrame, reason: tuple[str, str, str], new_code: str = "") -> None:
        for r in rows.itertuples(index=False):
            vi = reason[1].format(unit=unit_name(old, r.unit), code=r.unit, element=r.element)
            en = reason[2].format(unit=unit_name(old, r.unit), code=r.unit, element=r.element)
            dropped.append(
                {
                    "unit": r.unit,
                    "year": int(r.year),
                    "element": r.element,
                    "category": r.category,
                    "value": r.value,
                    "new_code": new_code,
                    "reason": reason[0],
                    "reason_vi": vi,
                    "reason_en": en,
                }
            )

    known = obs["unit"].isin(old.table.index)
    drop(
        obs[~known],
        _reason(
            "unknown_unit",
            "đơn vị {code} không có trong danh mục cũ",
            "unit {code} is not in the legacy unit list",
        ),
    )
    obs = obs[known]
    level = obs["unit"].map(old.table["level"])
    above = obs[level != "commune"]
    drop(
        above,
        _reason(
            "above_commune",
            "số liệu ghi cho {unit} ({code}), không phải cho một xã: không gán được cho xã mới",
            "recorded for {unit} ({code}), not for a commune: cannot be placed in a 2025 commune",
        ),
    )
    obs = obs[level == "commune"]
    agg = obs["element"].map(lambda e: catalogue.element(e).aggregation)
    boolean = obs["element"].map(lambda e: catalogue.element(e).value_type == "boolean")
    drop(
        obs[(agg == "none") & ~boolean],
        _reason(
            "aggregation_none",
            "chỉ tiêu {element} không cộng được (aggregation: none): không chuyển sang xã mới",
            "element {element} does not aggregate (aggregation: none): not carried over",
        ),
    )
    drop(
        obs[boolean],
        _reason(
            "status",
            "{element} là trạng thái của xã cũ; xã mới phải được đánh giá lại, "
            "không cộng trạng thái các xã cũ",
            "{element} is a status of the old commune; the new commune is assessed anew, statuses are not "
            "summed",
        ),
    )
    obs = obs[(agg != "none") & ~boolean]
    mapped = obs["unit"].isin(set(cw["old_code"]))
    drop(
        obs[~mapped],
        _reason(
            "no_2025_commune",
            "xã cũ {unit} ({code}) không có trong bảng chuyển đổi 2025",
            "old commune {unit} ({code}) is not in the 2025 crosswalk",
        ),
    )
    obs = obs[mapped]

    cw = cw[
        cw["old_code"].isin(set(obs["unit"]))
        | cw["new_code"].isin(set(cw.loc[cw["old_code"].isin(set(obs["unit"])), "new_code"]))
    ]
    parts = cw[cw["share"] > 0]
    members = parts.groupby("new_code")["old_code"].apply(lambda s: sorted(set(s))).to_dict()
    approx_new = set(cw.loc[cw["approximate"], "new_code"])
    reached = sorted(set(cw.loc[cw["old_code"].isin(set(obs["unit"])), "new_code"]))

    rows = obs.merge(parts[["old_code", "new_code", "share"]], left_on="unit", right_on="old_code")
    out, dropped_by_new = [], {}
    weights = {
        (u, int(y), e): v
        for u, y, e, v, c in zip(obs["unit"], obs["year"], obs["element"], obs["value"], obs["category"])
        if c == ""
    }
    for (new_code, year, element, category), g in rows.groupby(
        ["new_code", "year", "element", "category"], sort=True
    ):
        el = catalogue.element(element)
        need = members[new_code]
        have = set(g["unit"])
        missing = [c for c in need if c not in have]
        if el.aggregation == "weighted_mean":
            missing += [c for c in need if c in have and (c, int(year), el.weight) not in weights]
        if missing:
            names = ", ".join(f"{unit_name(old, c)} ({c})" for c in sorted(set(missing)))
            what = (
                "trọng số " + el.weight if el.aggregation == "weighted_mean" and set(missing) <= have else ""
            )
            dropped.append(
                {
                    "unit": ",".join(sorted(have)),
                    "year": int(year),
                    "element": element,
                    "category": category,
                    "value": np.nan,
                    "new_code": new_code,
                    "reason": "incomplete",
                    "reason_vi": f"thiếu {what or 'số liệu'} của xã cũ {names}: không tính được giá trị cho "
                    f"xã mới {unit_name(new, new_code)}",
                    "reason_en": f"no {'weight ' + el.weight if what else 'value'} for old commune(s) "
                    f"{names}: no value for new commune {unit_name(new, new_code)}",
                }
            )
            dropped_by_new.setdefault(new_code, []).append(
                f"{element} {year}{' ' + category if category else ''}"
            )
            continue
        if el.aggregation == "weighted_mean":
            w = np.array([weights[(u, int(year), el.weight)] for u in g["unit"]]) * g["share"].to_numpy()
            value = float((g["value"].to_numpy() * w).sum() / w.sum()) if w.sum() else np.nan
        else:
            value = float((g["value"] * g["share"]).sum())
        olds = "+".join(sorted(have))
        note = f"2025: {_rule(el.aggregation)} {olds}"
        if new_code in approx_new:
            note += f"; {APPROX}: {split_text(cw, new_code, old, new)}"
        sources = " | ".join(dict.fromkeys(s for s in g["source"] if s))
        out.append((new_code, int(year), element, category, value, sources, note))
    obs_2025 = pd.DataFrame(out, columns=OBS_COLUMNS).assign(unit_list=NEW)

    communes = []
    for code in reached:
        olds = members.get(code, [])
        divided = cw[(cw["new_code"] == code) & cw["divided"]]
        drops = [f"{r['element']} {r['year']}" for r in dropped if r["new_code"] == code]
        communes.append(
            {
                "new_code": code,
                "new_name": unit_name(new, code),
                "new_province": new.unit(code).province,
                "old_codes": ", ".join(olds),
                "old_names": ", ".join(unit_name(old, c) for c in olds),
                "approximate": code in approx_new,
                "divided_old": split_text(cw, code, old, new) if len(divided) else "",
                "dropped": "; ".join(dict.fromkeys(drops)),
            }
        )
    report = CrosswalkReport(
        pd.DataFrame(communes, columns=COMMUNE_COLUMNS), pd.DataFrame(dropped, columns=DROPPED_COLUMNS)
    )
    return obs_2025, report


def _rule(aggregation: str) -> str:
    return {
        "sum": "tổng các xã cũ / sum of old communes",
        "weighted_mean": "bình quân gia quyền các xã cũ / weighted mean of old communes",
    }[aggregation]


def unit_name(registry: UnitRegistry, code: str) -> str:
    """The unit's name in ``registry``, or its code when the registry does not have it."""
    return registry.table.at[code, "name"] if code in registry else code


def split_text(cw: pd.DataFrame, new_code: str, old: UnitRegistry, new: UnitRegistry) -> str:
    """For the divided old communes touching ``new_code``: where their whole value went."""
    out = []
    for old_code in sorted(set(cw.loc[(cw["new_code"] == new_code) & cw["divided"], "old_code"])):
        targets = cw[cw["old_code"] == old_code]
        default = targets.loc[targets["is_default"], "new_code"]
        dest = default.iloc[0] if len(default) else ""
        others = ", ".join(f"{unit_name(new, c)} ({c})" for c in targets["new_code"] if c != dest)
        out.append(
            f"{unit_name(old, old_code)} ({old_code}) chia cho {unit_name(new, dest)} ({dest}) và {others}; "
            "toàn bộ giá trị tính cho "
            f"{unit_name(new, dest)} / divided, whole value given to the default {dest}"
        )
    return "; ".join(out)
