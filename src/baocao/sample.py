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

from baocao.units import UnitRegistry

GENERATED = "Số liệu minh họa (sinh tự động, seed {seed}) / illustrative generated data"
ARTICLE = "Bài báo “Huyện Thoại Sơn (tỉnh An Giang) học tập và làm theo Bác bằng những việc làm thiết thực” (2024)"
YEARS = (2022, 2023, 2024)

# District totals the article states (component figures), by year and topic.
CAMPAIGN = {  # (year, topic): (conferences, attendances, members expected or None)
    (2022, "tk2125"): (275, 4489, None),
    (2022, "cd2022"): (211, 4416, None),
    (2023, "cd2023"): (235, 4530, 4560),
    (2024, "cd2024"): (235, 4054, None),
}
# Members expected where the article gives only a rate: the smallest plausible base.
# 4489 / 4500 = 99,76 % (the article prints 99,75 %, a truncation); 4416 / 4500 = 98,1 %.
MEMBERS_GENERATED = {(2022, "tk2125"): 4500, (2022, "cd2022"): 4500, (2024, "cd2024"): 4185}


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


def _weighted_mean_fixed(target: float, weights: np.ndarray, rng: np.random.Generator, spread: float) -> np.ndarray:
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
    rng = np.random.default_rng(seed)
    gen = GENERATED.format(seed=seed)
    communes = [u for u in registry.children("894")]
    codes = [u.code for u in communes]
    is_town = np.array([u.type == "Thị trấn" for u in communes])
    n = len(codes)
    rows: list[tuple] = []

    def add(unit, year, element, value, category="", source=gen, note=""):
        rows.append((unit, year, element, category, float(value), source, note))

    def add_all(year, element, values, category="", source=gen):
        for c, v in zip(codes, values):
            add(c, year, element, v, category, source)

    size = rng.uniform(0.7, 1.3, n) * np.where(is_town, 1.6, 1.0)
    pop_2023 = allocate(178_200, size, rng, minimum=4000)
    growth = {2022: 0.9955, 2023: 1.0, 2024: 1.0042}
    households_2023 = allocate(49_850, pop_2023 * rng.uniform(0.95, 1.05, n), rng)
    poor_rate = rng.uniform(0.6, 2.2, n)
    for year in YEARS:
        pop = pop_2023 if year == 2023 else allocate(int(round(178_200 * growth[year])), pop_2023, rng)
        add_all(year, "dan_so", pop)
        hh = households_2023 if year == 2023 else allocate(int(round(49_850 * growth[year])), households_2023, rng)
        add_all(year, "ho_tong", hh)
        poor_total = {2022: 912, 2023: 658, 2024: 541}[year]
        add_all(year, "ho_ngheo", allocate(poor_total, hh * poor_rate, rng, cap=hh))
        income = {2022: 67.9, 2023: 73.5, 2024: 78.2}[year]
        add_all(year, "thu_nhap_bq", _weighted_mean_fixed(income, pop.astype(float), rng, 5.0))
        schools = allocate(67, pop, rng, minimum=2)
        std_total = {2022: 51, 2023: 54, 2024: 56}[year]
        add_all(year, "truong_tong", schools)
        add_all(year, "truong_chuan_qg", allocate(std_total, schools, rng, cap=schools))
        doctors_total = {2022: 103, 2023: 108, 2024: 112}[year]
        hospital = {2022: 58, 2023: 60, 2024: 62}[year]  # district health centre, recorded for the district
        add("894", year, "bac_si", hospital)
        add_all(year, "bac_si", allocate(doctors_total - hospital, pop, rng, minimum=1))
        ntm = {2022: (11, 3, 0), 2023: (12, 5, 1), 2024: (13, 7, 2)}[year]
        rural = [i for i in range(n) if not is_town[i]]
        order = [rural[i] for i in np.argsort(-pop[rural])]
        for rank, i in enumerate(order):
            add(codes[i], year, "ntm_dat_chuan", int(rank < ntm[0]))
            add(codes[i], year, "ntm_nang_cao", int(rank < ntm[1]))
            add(codes[i], year, "ntm_kieu_mau", int(rank < ntm[2]))
        funds = {2022: 21, 2023: 22, 2024: 23}[year]
        money = {2022: 17_850, 2023: 19_400, 2024: 21_000}[year]
        add_all(year, "quy_khuyen_hoc_so", allocate(funds, pop, rng, minimum=1))
        add_all(year, "quy_khuyen_hoc_tien", allocate(money, pop, rng, minimum=300))
        add_all(year, "quy_vi_nguoi_ngheo_tien", allocate({2022: 4_120, 2023: 4_560, 2024: 4_980}[year], pop, rng, minimum=80))
        add_all(year, "mai_am_tinh_thuong", allocate({2022: 41, 2023: 46, 2024: 52}[year], pop, rng, minimum=1))
        add_all(year, "khen_thuong_tap_the", allocate({2022: 34, 2023: 38, 2024: 41}[year], pop, rng, minimum=1))
        add_all(year, "khen_thuong_ca_nhan", allocate({2022: 96, 2023: 104, 2024: 117}[year], pop, rng, minimum=3))
        if year == 2023:
            add("894", year, "doi_thoai_so", 5, source=ARTICLE)
            add("894", year, "doi_thoai_dai_bieu", 390, source=ARTICLE)
        else:
            add("894", year, "doi_thoai_so", {2022: 4, 2024: 6}[year])
            add("894", year, "doi_thoai_dai_bieu", {2022: 310, 2024: 455}[year])

    party = pop_2023 * rng.uniform(0.9, 1.1, n)
    for (year, topic), (conf, att, members) in CAMPAIGN.items():
        members = members or MEMBERS_GENERATED[(year, topic)]
        m = allocate(members, party, rng, minimum=60)
        absent = allocate(members - att, m, rng, cap=m)
        add_all(year, "hn_dv_phai_du", m, topic)
        add_all(year, "hn_luot_dv", m - absent, topic)
        add_all(year, "hn_so", allocate(conf, m, rng, minimum=5), topic)

    df = pd.DataFrame(rows, columns=["unit", "year", "element", "category", "value", "source", "note"])
    return df.sort_values(["year", "unit", "element", "category"], key=lambda s: s.astype(str)).reset_index(drop=True)


def to_csv_frame(df: pd.DataFrame) -> pd.DataFrame:
    """Machine-number text for the CSV: integers without ``.0``."""
    out = df.copy()
    out["value"] = [str(int(v)) if float(v).is_integer() else f"{v:.1f}" for v in out["value"]]
    return out
