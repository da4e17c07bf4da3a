"""Illustrative data for the communes of a 2025 province (generated, seeded, labelled).

No commune of the new An Giang (91) has published its 2025 or 2026 figures. To show how the
suite works on the 2025 list, :func:`generate_province_2025` makes the figures every commune and
ward of a 2025 province would report for 2025 and 2026 — the campaign (the topic of each year:
conferences, attendances, members expected), the socio-economic elements, the welfare models,
dialogue and commendations — every row labelled "Số liệu minh họa … / illustrative generated
data" in ``source``, like Thoại Sơn's (:mod:`baocao.data.sample`).

**History carried on.** A new commune formed from old communes that have data (Thoại Sơn's 17
become 6 new communes) continues its re-expressed 2022–2024 history
(:func:`baocao.data.crosswalk.to_2025`): its 2025 values start from its re-expressed 2024
values with one year's plausible change (population +0,2…0,6 %, income +6…9 %, poverty rate
down a tenth to a quarter…). Its new-rural status is not carried over (a merged commune is
assessed anew); the generator gives it the standard where every old commune had it in 2024.
Every other commune starts from values drawn for its size (the number of old communes it was
formed from, and its type: ward, commune, special zone).

**2025** is recorded for the whole calendar year by the new communes (see
:func:`baocao.data.unit_lists.reform_note`). **2026** arrives late: ``late_2026`` communes (never
one that carries history) have not reported it yet, so a province report has a coverage below
the whole to state. Doctors of the provincial and regional hospitals are recorded for the
province itself (they belong to no commune), as the district health centre's were for the district.

Pure: the registries, crosswalk and legacy rows are arguments; ``scripts/generate_an_giang_2025.py``
reads and writes the files.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from baocao.data.catalogue import Catalogue
from baocao.data.observations import WRITTEN_COLUMNS as COLUMNS
from baocao.data.sample import GENERATED
from baocao.data.units import UnitRegistry

YEARS_2025 = (2025, 2026)
TOPIC = {2025: "cd2025", 2026: "cd2026"}  # the topic of the year (catalogue category ``topic``)
STATUS = ("ntm_dat_chuan", "ntm_nang_cao", "ntm_kieu_mau")  # each implies the one before (rules R05, R06)
# per person and year, from Thoại Sơn's 2024 figures (21 000 million VND of study funds for 178 200 people …)
PER_PERSON = {
    "quy_khuyen_hoc_tien": 0.118,
    "quy_vi_nguoi_ngheo_tien": 0.028,
    "mai_am_tinh_thuong": 0.00029,
    "khen_thuong_tap_the": 0.00023,
    "khen_thuong_ca_nhan": 0.00066,
}


def _anchor(history: pd.DataFrame, code: str, year: int) -> dict:
    """``{(element, category): value}`` of one commune's re-expressed history for ``year``."""
    rows = history[(history["unit"] == code) & (history["year"] == year)]
    return {(e, c): float(v) for e, c, v in zip(rows["element"], rows["category"], rows["value"])}


def _drawn_base(rng: np.random.Generator, parts: int, kind: str) -> dict:
    """A 2024-like state for a commune without history, drawn for its size and type."""
    scale = {"Phường": 1.5, "Đặc khu": float(rng.uniform(0.3, 1.8))}.get(kind, 1.0)
    pop = int(round(sum(rng.uniform(7_000, 15_000) for _ in range(max(parts, 1))) * scale))
    hh = int(round(pop / rng.uniform(3.4, 3.9)))
    poor = int(round(hh * rng.uniform(0.002, 0.012 if kind == "Phường" else 0.026)))
    schools = max(3, int(round(pop / rng.uniform(2_400, 3_200))))
    members = int(round(pop * rng.uniform(0.021, 0.027)))
    base = {
        ("dan_so", ""): pop,
        ("ho_tong", ""): hh,
        ("ho_ngheo", ""): poor,
        ("thu_nhap_bq", ""): float(rng.normal(72, 6) + (10 if kind == "Phường" else 0)),
        ("truong_tong", ""): schools,
        ("truong_chuan_qg", ""): int(round(schools * rng.uniform(0.6, 0.95))),
        ("bac_si", ""): max(1, int(round(pop * rng.uniform(2.0, 3.5) / 10_000))),
        ("quy_khuyen_hoc_so", ""): max(1, parts + int(rng.integers(-1, 2))),
        ("hn_dv_phai_du", "cd2024"): members,
        ("hn_so", "cd2024"): max(3, int(round(members * rng.uniform(0.045, 0.065)))),
    }
    for element, per in PER_PERSON.items():
        base[(element, "")] = max(1, round(pop * per * rng.uniform(0.7, 1.3)))
    return base


def _next_year(rng: np.random.Generator, prev: dict, topic_before: str) -> dict:
    """One year on from ``prev`` (its campaign figures under ``topic_before``): plausible changes."""
    g = dict(prev)
    pop = int(round(prev[("dan_so", "")] * rng.uniform(1.002, 1.006)))
    hh = int(round(prev[("ho_tong", "")] * rng.uniform(1.005, 1.012)))
    rate = prev[("ho_ngheo", "")] / prev[("ho_tong", "")] * rng.uniform(0.75, 0.9)
    schools = int(prev[("truong_tong", "")])
    standard = min(schools, int(prev[("truong_chuan_qg", "")]) + int(rng.random() < 0.4))
    members = int(round(prev[("hn_dv_phai_du", topic_before)] * rng.uniform(0.99, 1.03)))
    g.update(
        {
            ("dan_so", ""): pop,
            ("ho_tong", ""): min(hh, pop),
            ("ho_ngheo", ""): int(round(hh * rate)),
            ("thu_nhap_bq", ""): prev[("thu_nhap_bq", "")] * rng.uniform(1.06, 1.09),
            ("truong_chuan_qg", ""): standard,
            ("bac_si", ""): max(1, int(round(prev[("bac_si", "")] * rng.uniform(0.98, 1.08)))),
            ("quy_khuyen_hoc_so", ""): int(prev[("quy_khuyen_hoc_so", "")]) + int(rng.random() < 0.1),
            ("hn_dv_phai_du", "next"): members,
            ("hn_so", "next"): max(3, int(round(prev[("hn_so", topic_before)] * rng.uniform(0.9, 1.1)))),
        }
    )
    for element in PER_PERSON:
        g[(element, "")] = max(1, round(prev[(element, "")] * rng.uniform(0.92, 1.15)))
    return g


def _statuses(rng: np.random.Generator, is_xa: bool, had: tuple[bool, bool, bool] | None, before=None):
    """New-rural statuses (each implies the one before): none for a ward or special zone; a commune with
    history has the standard where every old commune had it; others drawn; a year on some climb a step."""
    if not is_xa:
        return None
    if before is not None:
        out = list(before)
        step = next((i for i, s in enumerate(out) if not s), None)
        if step is not None and rng.random() < 0.25:
            out[step] = True
        return tuple(out)
    if had is not None:
        return had
    d = rng.random() < 0.75
    n = d and rng.random() < 0.45
    return (d, n, n and rng.random() < 0.2)


def generate_province_2025(
    new: UnitRegistry,
    province: str,
    catalogue: Catalogue | None,
    legacy_rows: pd.DataFrame | None = None,
    crosswalk: pd.DataFrame | None = None,
    old: UnitRegistry | None = None,
    seed: int = 2025,
    late_2026: int = 12,
) -> pd.DataFrame:
    """Illustrative 2025 and 2026 rows for every commune of the 2025 province ``province`` (code), and its
    provincial doctors; ``legacy_rows``: legacy observations whose communes' history is carried on (read
    with ``catalogue``); ``late_2026`` communes without history have not reported 2026."""
    from baocao.data.crosswalk import to_2025
    from baocao.data.units import crosswalk_2025, legacy

    cw = crosswalk_2025() if crosswalk is None else crosswalk
    old = old or legacy()
    rng = np.random.default_rng([seed, int(province)])
    gen = GENERATED.format(seed=seed)
    communes = sorted(new.children(province), key=lambda u: u.code)
    if not communes:
        raise ValueError(f"{province} has no communes in the 2025 unit list")
    history = pd.DataFrame(columns=COLUMNS + ["unit_list"])
    statuses_2024: dict[str, dict] = {}
    if legacy_rows is not None and len(legacy_rows):
        history, _ = to_2025(legacy_rows, catalogue, cw, old, new)
        last = legacy_rows[(legacy_rows["year"] == 2024) & legacy_rows["element"].isin(STATUS)]
        statuses_2024 = {(u, e): bool(v) for u, e, v in zip(last["unit"], last["element"], last["value"])}
    with_history = {c for c in set(history["unit"]) if len(_anchor(history, c, 2024))}
    parts = cw[cw["new_code"].isin({u.code for u in communes})].groupby("new_code")["old_code"].nunique()
    candidates = [u.code for u in communes if u.code not in with_history]
    late = set(rng.choice(candidates, size=min(late_2026, len(candidates)), replace=False))

    rows: list[tuple] = []

    def add(unit, year, element, value, category=""):
        rows.append((unit, year, element, category, float(value), gen, ""))

    total_pop = {y: 0 for y in YEARS_2025}
    for u in communes:
        n = int(parts.get(u.code, 1))
        if u.code in with_history:
            base = _anchor(history, u.code, 2024)
            olds = sorted(cw.loc[(cw["new_code"] == u.code) & (cw["share"] > 0), "old_code"])
            had = tuple(all(statuses_2024.get((o, e), False) for o in olds) for e in STATUS)
        else:
            base = _drawn_base(rng, n, u.type)
            had = None
        prev, topic_before, status = base, "cd2024", None
        for year in YEARS_2025:
            now = _next_year(rng, prev, topic_before)
            topic = TOPIC[year]
            members = now.pop(("hn_dv_phai_du", "next"))
            conferences = now.pop(("hn_so", "next"))
            now[("hn_dv_phai_du", topic)] = members
            now[("hn_so", topic)] = conferences
            status = _statuses(rng, u.type == "Xã", had, status)
            dialogue = int(rng.integers(1, 4))
            total_pop[year] += now[("dan_so", "")]
            if year == 2026 and u.code in late:
                prev, topic_before = now, topic
                continue  # has not reported 2026 yet
            for element in (
                "dan_so",
                "ho_tong",
                "ho_ngheo",
                "truong_tong",
                "truong_chuan_qg",
                "bac_si",
                "quy_khuyen_hoc_so",
                *PER_PERSON,
            ):
                add(u.code, year, element, int(round(now[(element, "")])))
            add(u.code, year, "thu_nhap_bq", round(now[("thu_nhap_bq", "")], 1))
            add(u.code, year, "hn_so", conferences, topic)
            add(u.code, year, "hn_dv_phai_du", members, topic)
            add(u.code, year, "hn_luot_dv", int(round(members * rng.uniform(0.955, 0.995))), topic)
            add(u.code, year, "doi_thoai_so", dialogue)
            add(u.code, year, "doi_thoai_dai_bieu", int(round(dialogue * rng.uniform(50, 90))))
            if status is not None:
                for element, flag in zip(STATUS, status):
                    add(u.code, year, element, int(flag))
            prev, topic_before = now, topic
    # provincial and regional hospitals' doctors: the province's own, above every commune
    for year in YEARS_2025:
        add(province, year, "bac_si", int(round(total_pop[year] * rng.uniform(5.6, 6.4) / 10_000)))
    df = pd.DataFrame(rows, columns=COLUMNS)
    return df.sort_values(["year", "unit", "element", "category"], key=lambda s: s.astype(str)).reset_index(
        drop=True
    )
