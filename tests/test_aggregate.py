"""Aggregation up the unit tree; indicators are ratios of sums, never means of rates."""

from __future__ import annotations

import pandas as pd
import pytest

from baocao.data.aggregate import aggregate, indicators, over_period
from baocao.data.catalogue import build_catalogue

A, B, C, D = "30682", "30685", "30688", "30691"  # communes of Thoại Sơn (894, An Giang 89)


def obs(*rows) -> pd.DataFrame:
    """Typed observations: (unit, year, element, category, value)."""
    return pd.DataFrame(rows, columns=["unit", "year", "element", "category", "value"]).assign(
        source="test", note=""
    )


def value(
    frame: pd.DataFrame, unit: str, code: str, year: int = 2023, category: str = "", column: str = "element"
) -> float:
    hit = frame[
        (frame["unit"] == unit)
        & (frame[column] == code)
        & (frame["year"] == year)
        & (frame["category"] == category)
    ]
    assert len(hit) == 1, hit
    return float(hit["value"].iloc[0])


POOR = obs(
    (A, 2023, "ho_ngheo", "", 10),
    (A, 2023, "ho_tong", "", 100),  # 10 %
    (B, 2023, "ho_ngheo", "", 1),
    (B, 2023, "ho_tong", "", 1000),  # 0,1 %
    (C, 2023, "ho_ngheo", "", 30),
    (C, 2023, "ho_tong", "", 200),  # 15 %
)


def test_rate_is_ratio_of_sums_not_mean_of_rates(cat, reg):
    agg = aggregate(POOR, cat, reg)
    ind = indicators(agg, cat, ["ty_le_ho_ngheo"])
    district = value(ind, "894", "ty_le_ho_ngheo", column="indicator")
    assert district == pytest.approx(41 / 1300 * 100)  # 3,15 %
    assert district == pytest.approx(3.153846, abs=1e-6)
    mean_of_rates = (10 + 0.1 + 15) / 3  # 8,37 % — what a naive average would say
    assert abs(district - mean_of_rates) > 5
    assert value(ind, A, "ty_le_ho_ngheo", column="indicator") == pytest.approx(10.0)
    row = ind[(ind["unit"] == "894")].iloc[0]
    assert (row["numerator"], row["denominator"]) == (41, 1300)
    # the province above gets the same ratio of the same sums
    assert value(ind, "89", "ty_le_ho_ngheo", column="indicator") == pytest.approx(district)


def test_sums_and_unit_counts(cat, reg):
    agg = aggregate(POOR, cat, reg)
    d = agg[(agg["unit"] == "894") & (agg["element"] == "ho_tong")].iloc[0]
    assert (d["value"], d["n_units"]) == (1300, 3)
    assert set(agg["unit"]) == {A, B, C, "894", "89"}


def test_only_requested_units(cat, reg):
    agg = aggregate(POOR, cat, reg, units=["894"])
    assert set(agg["unit"]) == {"894"}
    assert value(agg, "894", "ho_ngheo") == 41


def test_weighted_mean_for_income(cat, reg):
    data = obs(
        (A, 2023, "thu_nhap_bq", "", 60.0),
        (A, 2023, "dan_so", "", 1000),
        (B, 2023, "thu_nhap_bq", "", 80.0),
        (B, 2023, "dan_so", "", 3000),
        (C, 2023, "thu_nhap_bq", "", 90.0),
        (C, 2023, "dan_so", "", 1000),
        (D, 2023, "thu_nhap_bq", "", 500.0),  # no population: cannot be weighted, left out
    )
    agg = aggregate(data, cat, reg)
    district = value(agg, "894", "thu_nhap_bq")
    assert district == pytest.approx((60 * 1000 + 80 * 3000 + 90 * 1000) / 5000)  # 78,0
    assert district == pytest.approx(78.0)
    assert district != pytest.approx((60 + 80 + 90) / 3)  # not the plain mean (76,7)
    assert agg[(agg["unit"] == "894") & (agg["element"] == "thu_nhap_bq")]["n_units"].item() == 3
    assert value(agg, "894", "dan_so") == 5000
    ind = indicators(agg, cat, ["thu_nhap_bq"])
    assert value(ind, "894", "thu_nhap_bq", column="indicator") == pytest.approx(78.0)


def test_parent_level_value_is_added_once(cat, reg):
    data = obs(
        ("894", 2023, "bac_si", "", 60),  # the district health centre, recorded for the district
        (A, 2023, "bac_si", "", 3),
        (B, 2023, "bac_si", "", 4),
        (C, 2023, "bac_si", "", 5),
        (A, 2023, "dan_so", "", 2000),
        (B, 2023, "dan_so", "", 2000),
        (C, 2023, "dan_so", "", 1000),
    )
    agg = aggregate(data, cat, reg)
    assert value(agg, "894", "bac_si") == 72  # 60 + 3 + 4 + 5, not 60 and not 60 + 12 twice
    assert value(agg, "89", "bac_si") == 72  # counted once more up the tree
    assert value(agg, A, "bac_si") == 3  # children keep their own
    ind = indicators(agg, cat, ["bac_si_van_dan"])
    assert value(ind, "894", "bac_si_van_dan", column="indicator") == pytest.approx(72 / 5000 * 10000)  # 144
    assert value(ind, A, "bac_si_van_dan", column="indicator") == pytest.approx(15.0)


CAMPAIGN = obs(
    (A, 2022, "hn_so", "tk2125", 2),
    (B, 2022, "hn_so", "tk2125", 3),
    (A, 2022, "hn_so", "cd2022", 4),
    (A, 2022, "hn_luot_dv", "tk2125", 90),
    (A, 2022, "hn_dv_phai_du", "tk2125", 100),
    (B, 2022, "hn_luot_dv", "tk2125", 10),
    (B, 2022, "hn_dv_phai_du", "tk2125", 50),
    (A, 2023, "hn_so", "cd2023", 7),
    (A, 2023, "thu_nhap_bq", "", 70.0),
    (A, 2023, "dan_so", "", 1000),
    (A, 2022, "thu_nhap_bq", "", 60.0),
    (A, 2022, "dan_so", "", 1000),
)


def test_category_totals(cat, reg):
    agg = aggregate(CAMPAIGN, cat, reg)
    assert value(agg, "894", "hn_so", 2022, "tk2125") == 5
    assert value(agg, "894", "hn_so", 2022, "cd2022") == 4
    assert value(agg, "894", "hn_so", 2022, "") == 9  # total over topics
    assert value(agg, A, "hn_so", 2022, "") == 6
    assert value(agg, B, "hn_so", 2022, "") == 3
    # the total of the year is its own topics only
    assert value(agg, "894", "hn_so", 2023, "") == 7


def test_rate_per_topic_and_total(cat, reg):
    agg = aggregate(CAMPAIGN, cat, reg)
    ind = indicators(agg, cat, ["ty_le_dv_tham_du"])
    assert value(ind, "894", "ty_le_dv_tham_du", 2022, "tk2125", column="indicator") == pytest.approx(
        100 / 150 * 100
    )
    assert value(ind, A, "ty_le_dv_tham_du", 2022, "tk2125", column="indicator") == pytest.approx(90.0)
    assert value(ind, B, "ty_le_dv_tham_du", 2022, "tk2125", column="indicator") == pytest.approx(20.0)
    # not the mean of the two communes' rates (55 %)
    assert value(ind, "894", "ty_le_dv_tham_du", 2022, "tk2125", column="indicator") == pytest.approx(
        66.6667, abs=1e-4
    )


def test_over_period_sums_counts_only(cat, reg):
    agg = aggregate(CAMPAIGN, cat, reg)
    period = over_period(agg, cat, 2022, 2023)
    assert set(period["year"]) == {2023}
    assert value(period, "894", "hn_so", 2023, "") == 16  # 9 in 2022 + 7 in 2023
    assert value(period, "894", "hn_so", 2023, "tk2125") == 5
    # population is a stock: the period has its value at the end (2023), never the sum 2000
    assert value(period, A, "dan_so", 2023) == 1000
    assert "thu_nhap_bq" not in set(period["element"])  # an average does not add over years
    only_2023 = over_period(agg, cat, 2023, 2023)
    assert value(only_2023, "894", "hn_so", 2023, "") == 7


def test_a_stock_is_never_summed_over_years(cat, reg):
    """Funds active and money raised to date are stocks (catalogue ``measure: stock``): a period
    has the value of its last year with data, never the sum over its years (21 + 22 + 23 funds)."""
    data = obs(
        (A, 2022, "quy_khuyen_hoc_so", "", 21),
        (A, 2023, "quy_khuyen_hoc_so", "", 22),
        (A, 2022, "quy_khuyen_hoc_tien", "", 17850),
        (A, 2022, "mai_am_tinh_thuong", "", 4),
        (A, 2023, "mai_am_tinh_thuong", "", 5),
    )
    period = over_period(aggregate(data, cat, reg), cat, 2022, 2024)
    assert cat.is_stock("quy_khuyen_hoc_so") and cat.is_stock("quy_khuyen_hoc_tien")
    assert not cat.is_stock("mai_am_tinh_thuong") and not cat.is_stock("ty_le_truong_chuan")
    assert value(period, A, "quy_khuyen_hoc_so", 2024) == 22  # as of the end, not 43
    assert value(period, A, "quy_khuyen_hoc_tien", 2024) == 17850  # the last year that has it
    assert value(period, A, "mai_am_tinh_thuong", 2024) == 9  # a flow: houses handed over, summed


def test_every_element_of_the_local_catalogue_says_flow_or_stock(cat):
    local = [el for el in cat.elements.values() if not el.code.startswith("gso_")]
    assert local and all(el.measure in ("flow", "stock") for el in local), [
        el.code for el in local if el.measure is None
    ]


def test_zero_denominator_gives_missing_rate(cat, reg):
    data = obs((A, 2023, "truong_chuan_qg", "", 0), (A, 2023, "truong_tong", "", 0))
    ind = indicators(aggregate(data, cat, reg), cat, ["ty_le_truong_chuan"])
    assert pd.isna(value(ind, A, "ty_le_truong_chuan", column="indicator"))


def test_indicator_without_data_is_absent(cat, reg):
    ind = indicators(aggregate(POOR, cat, reg), cat, ["ty_le_truong_chuan"])
    assert ind.empty


def test_not_aggregatable_element_stays_with_its_unit(reg):
    el = {"name_vi": "x", "name_en": "x", "unit_vi": "", "unit_en": ""}
    small = build_catalogue(
        [
            (
                "t.yaml",
                {
                    "elements": [
                        {"code": "diem", **el, "aggregation": "none", "value_type": "number"},
                        {"code": "so", **el},
                    ]
                },
            )
        ]
    )
    data = obs(
        ("894", 2023, "diem", "", 7.5),
        (A, 2023, "diem", "", 9.0),
        (B, 2023, "diem", "", 8.0),
        (A, 2023, "so", "", 2),
        (B, 2023, "so", "", 3),
    )
    agg = aggregate(data, small, reg)
    assert value(agg, "894", "diem") == 7.5  # its own value, not 7,5 + 9 + 8
    assert value(agg, A, "diem") == 9.0
    assert agg[(agg["unit"] == "89") & (agg["element"] == "diem")].empty
    assert value(agg, "894", "so") == 5


def test_empty_observations(cat, reg):
    agg = aggregate(obs(), cat, reg)
    assert agg.empty and list(agg.columns) == [
        "unit",
        "year",
        "element",
        "category",
        "value",
        "n_units",
        "illustrative",
    ]
