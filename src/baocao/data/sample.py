"""Illustrative commune data for Thoại Sơn (generated, seeded, labelled).

Real commune figures are not public. This module generates commune values for 2022–2024
whose district sums reproduce every component figure of the published article exactly
(e.g. 54 of 67 schools at national standard in 2023) and are plausible elsewhere. Every
generated row says so in its ``source`` column; rows copied from the article say that.
Run ``python scripts/generate_thoai_son.py`` to rewrite ``data/thoai_son/observations.csv``.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from baocao.data.observations import WRITTEN_COLUMNS
from baocao.data.units import UnitRegistry

GENERATED = "Số liệu minh họa (sinh tự động, seed {seed}) / illustrative generated data"
ARTICLE = (
    "Bài báo “Huyện Thoại Sơn (tỉnh An Giang) học tập và làm theo Bác bằng những việc làm thiết thực” (2024)"
)
YEARS = (2022, 2023, 2024)
TERM = "2021-2025"  # the whole-term topic's period: its values belong to the term, never to one year

# District totals the article states (component figures), by year (or period) and topic.
CAMPAIGN = {  # (year or period, topic): (conferences, attendances, members expected or None)
    (TERM, "tk2125"): (275, 4489, None),
    (2022, "cd2022"): (211, 4416, None),
    (2023, "cd2023"): (235, 4530, 4560),
    (2024, "cd2024"): (235, 4054, None),
}
# Members expected where the article gives only a rate: the smallest plausible base.
# 4489 / 4500 = 99,76 % (the article prints 99,75 %, a truncation); 4416 / 4500 = 98,1 %.
MEMBERS_GENERATED = {(TERM, "tk2125"): 4500, (2022, "cd2022"): 4500, (2024, "cd2024"): 4185}


def allocate(total: int, weights, rng: np.random.Generator, minimum: int = 0, cap=None) -> np.ndarray:
    """Split an integer total over units in proportion to ``weights`` (largest remainder), exactly."""
    w = np.asarray(weights, dtype=float)
    n = len(w)
    base = np.full(n, minimum, dtype=np.int64)
    rest = total - base.sum()
    if rest < 0:
        raise ValueError("total smaller than the minimums")
    share = w / w.sum() * rest
    out = base + np.floor(share).astype(np.int64)
    remainder = share - np.floor(share)
    order = np.lexsort((rng.random(n), -remainder))
    for i in order[: total - out.sum()]:
        out[i] += 1
    if cap is not None:
        cap = np.asarray(cap)
        for _ in range(10 * n):
            over = out > cap
            if not over.any():
                break
            excess = int((out - cap)[over].sum())
            out[over] = cap[over]
            room = np.where(out < cap)[0]
            for i in rng.permutation(room)[:excess] if excess <= len(room) else room:
                out[i] += 1
                excess -= 1
            if excess > 0:
                raise ValueError("cap too small for the total")
    assert out.sum() == total
    return out


def _weighted_mean_fixed(
    target: float, weights: np.ndarray, rng: np.random.Generator, spread: float
) -> np.ndarray:
    """Values with one decimal whose weighted mean rounds to ``target`` at one decimal."""
    vals = np.round(target + rng.normal(0, spread, len(weights)), 1)
    vals = np.round(vals - (float((vals * weights).sum() / weights.sum()) - target), 1)
    for i in np.argsort(-weights):  # nudge the largest units by 0.1 until the mean sits on target
        mean = float((vals * weights).sum() / weights.sum())
        if abs(mean - target) < 0.01:
            return vals
        vals[i] = round(vals[i] + (0.1 if mean < target else -0.1), 1)
    raise RuntimeError("could not fit weighted mean")


def generate_thoai_son(registry: UnitRegistry, seed: int = 2024) -> pd.DataFrame:
    """Thoại Sơn (894): district sums equal the article's figures."""
    return generate_district(registry, "894", seed)


def generate_district(registry: UnitRegistry, district: str, seed: int = 2024) -> pd.DataFrame:
    """Illustrative commune data for one district, 2022–2024 (and the whole-term topic, 2021–2025).

    The ``year`` column holds a year (int) or, for the whole-term topic, the period ``"2021-2025"``.
    For Thoại Sơn the district totals are the article's; any other district gets the same
    structure scaled to its number of communes (for benchmarks and province-scale tests).
    """
    rng = np.random.default_rng([seed, int(district)])
    gen = GENERATED.format(seed=seed)
    article = district == "894"
    communes = list(registry.children(district))
    codes = [u.code for u in communes]
    is_town = np.array([u.type in ("Thị trấn", "Phường") for u in communes])
    n = len(codes)
    scale = 1.0 if article else n / 17 * rng.uniform(0.8, 1.2)

    def S(x):  # a district total, scaled for districts other than Thoại Sơn
        return x if article else max(n, int(round(x * scale)))

    rows: list[tuple] = []

    def add(unit, year, element, value, category="", source=gen, note=""):
        rows.append((unit, year, element, category, float(value), source, note))

    def add_all(year, element, values, category="", source=gen):
        for c, v in zip(codes, values):
            add(c, year, element, v, category, source)

    size = rng.uniform(0.7, 1.3, n) * np.where(is_town, 1.6, 1.0)
    pop_total = S(178_200)
    pop_2023 = allocate(pop_total, size, rng, minimum=min(4000, pop_total // (2 * n)))
    growth = {2022: 0.9955, 2023: 1.0, 2024: 1.0042}
    households_2023 = allocate(S(49_850), pop_2023 * rng.uniform(0.95, 1.05, n), rng)
    poor_rate = rng.uniform(0.6, 2.2, n)
    income_shift = 0.0 if article else float(np.round(rng.uniform(-8, 8), 1))
    for year in YEARS:
        pop = pop_2023 if year == 2023 else allocate(int(round(pop_total * growth[year])), pop_2023, rng)
        add_all(year, "dan_so", pop)
        hh = (
            households_2023
            if year == 2023
            else allocate(int(round(S(49_850) * growth[year])), households_2023, rng)
        )
        add_all(year, "ho_tong", hh)
        add_all(
            year,
            "ho_ngheo",
            allocate(S({2022: 912, 2023: 658, 2024: 541}[year]), hh * poor_rate, rng, cap=hh),
        )
        income = {2022: 67.9, 2023: 73.5, 2024: 78.2}[year] + income_shift
        add_all(year, "thu_nhap_bq", _weighted_mean_fixed(income, pop.astype(float), rng, 5.0))
        schools = allocate(S(67), pop, rng, minimum=2)
        add_all(year, "truong_tong", schools)
        add_all(
            year,
            "truong_chuan_qg",
            allocate(
                min(S({2022: 51, 2023: 54, 2024: 56}[year]), int(schools.sum())), schools, rng, cap=schools
            ),
        )
        doctors_total = S({2022: 103, 2023: 108, 2024: 112}[year])
        hospital = int(
            round(doctors_total * {2022: 58 / 103, 2023: 60 / 108, 2024: 62 / 112}[year])
        )  # district health centre
        add(district, year, "bac_si", hospital)
        add_all(year, "bac_si", allocate(doctors_total - hospital, pop, rng, minimum=1))
        rural = [i for i in range(n) if not is_town[i]]
        ntm = [
            min(len(rural), int(round(len(rural) * f)))
            for f in {
                2022: (11 / 14, 3 / 14, 0),
                2023: (12 / 14, 5 / 14, 1 / 14),
                2024: (13 / 14, 7 / 14, 2 / 14),
            }[year]
        ]
        order = [rural[i] for i in np.argsort(-pop[rural])]
        for rank, i in enumerate(order):
            add(codes[i], year, "ntm_dat_chuan", int(rank < ntm[0]))
            add(codes[i], year, "ntm_nang_cao", int(rank < ntm[1]))
            add(codes[i], year, "ntm_kieu_mau", int(rank < ntm[2]))
        for element, totals, minimum in (  # district totals by year, shared out by population
            ("quy_khuyen_hoc_so", {2022: 21, 2023: 22, 2024: 23}, 1),
            ("quy_khuyen_hoc_tien", {2022: 17_850, 2023: 19_400, 2024: 21_000}, 300),
            ("quy_vi_nguoi_ngheo_tien", {2022: 4_120, 2023: 4_560, 2024: 4_980}, 80),
            ("mai_am_tinh_thuong", {2022: 41, 2023: 46, 2024: 52}, 1),
            ("khen_thuong_tap_the", {2022: 34, 2023: 38, 2024: 41}, 1),
            ("khen_thuong_ca_nhan", {2022: 96, 2023: 104, 2024: 117}, 3),
        ):
            add_all(year, element, allocate(S(totals[year]), pop, rng, minimum=minimum))
        dialogue = {2022: (4, 310), 2023: (5, 390), 2024: (6, 455)}[year]
        src = ARTICLE if article and year == 2023 else gen
        add(district, year, "doi_thoai_so", dialogue[0], source=src)
        add(
            district,
            year,
            "doi_thoai_dai_bieu",
            dialogue[1] if article else int(round(dialogue[1] * rng.uniform(0.8, 1.2))),
            source=src,
        )

    party = pop_2023 * rng.uniform(0.9, 1.1, n)
    for (year, topic), (conf, att, members) in CAMPAIGN.items():
        members = S(members or MEMBERS_GENERATED[(year, topic)])
        att = S(att) if not article else att
        att = min(att, members)
        m = allocate(members, party, rng, minimum=min(60, members // (2 * n)))
        absent = allocate(members - att, m, rng, cap=m)
        add_all(year, "hn_dv_phai_du", m, topic)
        add_all(year, "hn_luot_dv", m - absent, topic)
        add_all(year, "hn_so", allocate(S(conf), m, rng, minimum=min(5, S(conf) // n)), topic)

    df = pd.DataFrame(rows, columns=WRITTEN_COLUMNS)
    return df.sort_values(["year", "unit", "element", "category"], key=lambda s: s.astype(str)).reset_index(
        drop=True
    )


def generate_province(registry: UnitRegistry, province: str, seed: int = 2024) -> pd.DataFrame:
    """Every district of a province (illustrative), e.g. An Giang (89) for the province-scale benchmark."""
    frames = [generate_district(registry, d.code, seed) for d in registry.children(province)]
    return pd.concat(frames, ignore_index=True)


def to_csv_frame(df: pd.DataFrame) -> pd.DataFrame:
    """Machine-number text for the CSV: integers without ``.0``."""
    out = df.copy()
    out["value"] = [str(int(v)) if float(v).is_integer() else f"{v:.1f}" for v in out["value"]]
    return out
