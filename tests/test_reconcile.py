"""Published figures against computed values: verdicts and the components check."""

from __future__ import annotations

import math

import pandas as pd
import pytest

from baocao.data import units
from baocao.data.aggregate import aggregate
from baocao.data.reconcile import PUBLISHED_COLUMNS, VERDICTS, reconcile, verdict


@pytest.mark.parametrize(
    "computed, published, decimals, expected",
    [
        (956, 956, 0, "match"),
        (99.342105, 99.34, 2, "match"),
        (73.507529, 73.5, 1, "match"),
        (98.133333, 98.1, 1, "match"),
        (1.319960, 1.32, 2, "match"),
        (80.597015, 80.59, 2, "rounding difference"),  # 54/67 = 80,597… printed 80,59
        (99.755556, 99.75, 2, "rounding difference"),  # 4489/4500 printed 99,75 (truncated)
        (80.6, 80.59, 2, "mismatch"),  # a full unit of the last digit away
        (17489, 17939, 0, "mismatch"),
        (4531, 4530, 0, "mismatch"),  # counts: one off is a mismatch
        (21000, 21000, -3, "match"),
        (20600, 21000, -3, "match"),  # "21 tỷ" published to the thousand million
        (20400, 21000, -3, "rounding difference"),
        (19400, 21000, -3, "mismatch"),
        (float("nan"), 5, 0, "no data"),
    ],
)
def test_verdict(computed, published, decimals, expected):
    assert verdict(computed, published, decimals) == expected
    assert expected in VERDICTS


def published(*rows) -> pd.DataFrame:
    cols = [
        "id",
        "unit",
        "year_from",
        "year_to",
        "figure_type",
        "code",
        "category",
        "value",
        "decimals",
        "components",
    ]
    df = pd.DataFrame(rows, columns=cols).assign(
        source="test",
        quote="",
        unit_stated="",
        as_of="",
        inference_vi="",
        inference_en="",
        note="",
    )
    df["stated_period"] = [str(a) if a == b else f"{a}-{b}" for a, b in zip(df["year_from"], df["year_to"])]
    return df[PUBLISHED_COLUMNS]


@pytest.fixture(scope="module")
def agg(cat):
    rows = [
        ("30682", 2022, "hn_so", "tk2125", 3),
        ("30685", 2022, "hn_so", "tk2125", 2),
        ("30682", 2022, "hn_so", "cd2022", 4),
        ("30682", 2023, "hn_so", "cd2023", 6),
        ("30682", 2022, "hn_luot_dv", "tk2125", 95),
        ("30682", 2022, "hn_dv_phai_du", "tk2125", 100),
        ("30682", 2023, "truong_chuan_qg", "", 54),
        ("30682", 2023, "truong_tong", "", 67),
    ]
    obs = pd.DataFrame(rows, columns=["unit", "year", "element", "category", "value"])
    return aggregate(obs, cat, units.legacy())


def test_reconcile_rows(cat, agg):
    pub = published(
        ("P1", "894", 2022, 2023, "indicator", "hn_so", "", 15, 0, "P2 P3 P4"),
        ("P2", "894", 2022, 2022, "indicator", "hn_so", "tk2125", 5, 0, ""),
        ("P3", "894", 2022, 2022, "indicator", "hn_so", "cd2022", 4, 0, ""),
        ("P4", "894", 2023, 2023, "indicator", "hn_so", "cd2023", 7, 0, ""),
        ("P5", "894", 2023, 2023, "indicator", "ty_le_truong_chuan", "", 80.59, 2, ""),
        ("P6", "894", 2023, 2023, "element", "truong_tong", "", 67, 0, ""),
        ("P7", "894", 2022, 2022, "indicator", "ty_le_dv_tham_du", "tk2125", 95.0, 1, ""),
        ("P8", "894", 2024, 2024, "indicator", "hn_so", "", 3, 0, ""),
    )
    rec = reconcile(pub, agg, cat).set_index("id")
    assert rec.loc["P1", "period"] == "2022–2023"
    assert rec.loc["P2", "period"] == "2022"
    assert rec.loc["P1", "computed"] == 15  # 5 + 4 + 6 summed over the period
    assert rec.loc["P1", "verdict"] == "match"
    assert rec.loc["P2", "verdict"] == "match"
    assert rec.loc["P4", "computed"] == 6 and rec.loc["P4", "verdict"] == "mismatch"
    assert rec.loc["P4", "gap"] == -1
    assert rec.loc["P5", "computed"] == pytest.approx(5400 / 67)
    assert rec.loc["P5", "verdict"] == "rounding difference"
    assert rec.loc["P6", "verdict"] == "match"
    assert rec.loc["P7", "verdict"] == "match"
    assert math.isnan(rec.loc["P8", "computed"]) and rec.loc["P8", "verdict"] == "no data"
    assert rec["verdict"].isin(VERDICTS).all()


def test_components_check(cat, agg):
    pub = published(
        ("T1", "894", 2022, 2023, "indicator", "hn_so", "", 15, 0, "C1 C2 C3"),  # 5 + 4 + 7 = 16 ≠ 15
        ("T2", "894", 2022, 2022, "indicator", "hn_so", "", 9, 0, "C1 C2"),  # 5 + 4 = 9
        ("C1", "894", 2022, 2022, "indicator", "hn_so", "tk2125", 5, 0, ""),
        ("C2", "894", 2022, 2022, "indicator", "hn_so", "cd2022", 4, 0, ""),
        ("C3", "894", 2023, 2023, "indicator", "hn_so", "cd2023", 7, 0, ""),
        ("T3", "894", 2022, 2022, "indicator", "hn_so", "", 9, 0, "C1 C9"),  # C9 does not exist
    )
    rec = reconcile(pub, agg, cat).set_index("id")
    assert rec.loc["T1", "components_sum"] == 16
    assert rec.loc["T1", "components_verdict"] == "mismatch"
    assert rec.loc["T1", "verdict"] == "match"  # the data agree with the total, not with its parts
    assert rec.loc["T2", "components_sum"] == 9
    assert rec.loc["T2", "components_verdict"] == "match"
    assert rec.loc["C1", "components"] == "" and rec.loc["C1", "components_verdict"] == ""
    assert math.isnan(rec.loc["T3", "components_sum"]) and rec.loc["T3", "components_verdict"] == "no data"


def test_reconcile_output_columns(cat, agg):
    pub = published(("P1", "894", 2022, 2022, "indicator", "hn_so", "", 9, 0, ""))
    rec = reconcile(pub, agg, cat)
    assert list(rec.columns) == [
        "id",
        "unit",
        "period",
        "year_from",
        "year_to",
        "figure_type",
        "code",
        "category",
        "decimals",
        "published",
        "computed",
        "numerator",
        "denominator",
        "illustrative",
        "basis",
        "gap",
        "verdict",
        "components",
        "components_sum",
        "components_verdict",
        "parts",
        "parts_value",
        "parts_verdict",
        "inferred",
        "stated_period",
        "as_of",
        "source",
        "quote",
        "unit_stated",
    ]
