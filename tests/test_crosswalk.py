"""History across the 2025 merger: Thoại Sơn's 17 communes re-expressed on the 2025 communes, split communes
(the reports that show it: tests/test_reports_2025.py).
"""

from __future__ import annotations

import pandas as pd
import pytest

from baocao.data import units
from baocao.data.catalogue import build_catalogue
from baocao.data.crosswalk import APPROX, to_2025
from baocao.reports.kit import load_data

NEW_THOAI_SON = {
    "30682": "Xã Thoại Sơn",
    "30685": "Xã Phú Hòa",
    "30688": "Xã Óc Eo",
    "30691": "Xã Tây Phú",
    "30709": "Xã Định Mỹ",
    "30697": "Xã Vĩnh Trạch",
}


@pytest.fixture(scope="module")
def ds():
    return load_data()


@pytest.fixture(scope="module")
def moved(ds):
    return to_2025(ds.observations, ds.catalogue)


def test_seventeen_communes_become_six(moved):
    old = [u.code for u in units.legacy().children("894")]
    assert len(old) == 17
    cw = units.crosswalk_2025()
    expected = set(cw.loc[cw["old_code"].isin(old), "new_code"])
    _, report = moved
    assert set(report.communes["new_code"]) == expected == set(NEW_THOAI_SON)
    assert dict(zip(report.communes["new_code"], report.communes["new_name"])) == NEW_THOAI_SON
    assert (report.communes["new_province"] == "91").all() and not report.communes["approximate"].any()
    thoai_son = report.communes.set_index("new_code").loc["30682"]
    assert thoai_son["old_codes"] == "30682, 30721, 30724"
    assert thoai_son["old_names"] == "Thị trấn Núi Sập, Xã Thoại Giang, Xã Bình Thành"
    assert sum(len(c.split(", ")) for c in report.communes["old_codes"]) == 17


def test_sums_preserved_except_district_rows(ds, moved):
    obs_2025, report = moved
    obs = ds.observations
    summing = [
        c for c, e in ds.catalogue.elements.items() if e.aggregation == "sum" and e.value_type != "boolean"
    ]
    communes = obs[obs["unit"].str.len() == 5]
    before = (
        communes[communes["element"].isin(summing)].groupby(["year", "element", "category"])["value"].sum()
    )
    after = (
        obs_2025[obs_2025["element"].isin(summing)].groupby(["year", "element", "category"])["value"].sum()
    )
    pd.testing.assert_series_equal(before, after, check_exact=False)
    district = report.not_reexpressed[report.not_reexpressed["reason"] == "above_commune"]
    assert set(district["unit"]) == {"894"} and len(district) == len(obs[obs["unit"] == "894"])
    doctors = district[district["element"] == "bac_si"]
    assert (
        sorted(doctors["year"]) == [2022, 2023, 2024]
        and "không gán được cho xã mới" in doctors["reason_vi"].iloc[0]
    )
    # everything else is accounted for: carried over, or listed with its reason
    assert set(report.not_reexpressed["reason"]) == {"above_commune", "status"}


def test_weighted_mean_income_and_notes(ds, moved):
    obs_2025, _ = moved
    obs = ds.observations
    old = obs[obs["unit"].isin(["30682", "30721", "30724"]) & (obs["year"] == 2024)].pivot(
        index="unit", columns="element", values="value"
    )
    expected = (old["thu_nhap_bq"] * old["dan_so"]).sum() / old["dan_so"].sum()
    row = obs_2025[
        (obs_2025["unit"] == "30682") & (obs_2025["year"] == 2024) & (obs_2025["element"] == "thu_nhap_bq")
    ].iloc[0]
    assert row["value"] == pytest.approx(expected)
    assert (
        "30682+30721+30724" in row["note"]
        and "bình quân gia quyền" in row["note"]
        and APPROX not in row["note"]
    )
    assert "minh họa" in row["source"]
    assert not obs_2025["element"].str.startswith("ntm_").any()  # statuses are not summed


# --- a commune divided between several new ones (synthetic, pure) --------------------------


@pytest.fixture(scope="module")
def tiny_catalogue():
    doc = {
        "elements": [
            {
                "code": "dan_so",
                "name_vi": "Dân số",
                "name_en": "Population",
                "unit_vi": "người",
                "unit_en": "persons",
            },
            {
                "code": "thu_nhap",
                "name_vi": "Thu nhập",
                "name_en": "Income",
                "unit_vi": "triệu",
                "unit_en": "million",
                "value_type": "number",
                "aggregation": "weighted_mean",
                "weight": "dan_so",
            },
            {
                "code": "ty_le",
                "name_vi": "Tỷ lệ",
                "name_en": "Rate",
                "unit_vi": "%",
                "unit_en": "%",
                "value_type": "number",
                "aggregation": "none",
            },
        ]
    }
    return build_catalogue([("tiny.yaml", doc)])


def _obs(*rows):
    return pd.DataFrame(rows, columns=["unit", "year", "element", "value"]).assign(
        category="", source="test", note=""
    )


def test_split_commune_goes_to_the_default_and_is_flagged(tiny_catalogue):
    # old 30682 is divided: new 30682 (default, share 1) and new 30685 (share 0); old 30685 goes whole
    # into new 30685
    cw = pd.DataFrame(
        [
            ("30682", "30682", True, True, 1.0, True, "91"),
            ("30682", "30685", True, False, 0.0, True, "91"),
            ("30685", "30685", False, True, 1.0, False, "91"),
        ],
        columns=["old_code", "new_code", "divided", "is_default", "share", "approximate", "new_province"],
    )
    obs = _obs(
        ("30682", 2024, "dan_so", 1000),
        ("30685", 2024, "dan_so", 500),
        ("30682", 2024, "thu_nhap", 60.0),
        ("30685", 2024, "thu_nhap", 90.0),
        ("30682", 2024, "ty_le", 3.0),
        ("894", 2024, "dan_so", 7),
    )
    out, report = to_2025(obs, tiny_catalogue, cw)
    v = out.set_index(["unit", "element"])["value"]
    assert v[("30682", "dan_so")] == 1000 and v[("30685", "dan_so")] == 500  # the whole value to the default
    assert v[("30682", "thu_nhap")] == 60.0 and v[("30685", "thu_nhap")] == 90.0
    assert out["note"].str.contains(APPROX).all()  # every resulting row is flagged, never silent
    c = report.communes.set_index("new_code")
    assert c["approximate"].all()
    assert "30682" in c.at["30685", "divided_old"] and "toàn bộ giá trị" in c.at["30685", "divided_old"]
    reasons = report.not_reexpressed.set_index("element")["reason"]
    assert reasons["ty_le"] == "aggregation_none"
    assert report.not_reexpressed.set_index("unit").at["894", "reason"] == "above_commune"


def test_a_missing_old_commune_gives_no_partial_sum(tiny_catalogue):
    cw = pd.DataFrame(
        [
            ("30682", "30682", False, True, 1.0, False, "91"),
            ("30721", "30682", False, True, 1.0, False, "91"),
        ],
        columns=["old_code", "new_code", "divided", "is_default", "share", "approximate", "new_province"],
    )
    out, report = to_2025(
        _obs(("30682", 2024, "dan_so", 1000), ("30682", 2023, "dan_so", 990), ("30721", 2023, "dan_so", 10)),
        tiny_catalogue,
        cw,
    )
    assert out[["year", "value"]].values.tolist() == [[2023, 1000]]
    miss = report.not_reexpressed
    assert miss["reason"].tolist() == ["incomplete"] and "Xã Thoại Giang (30721)" in miss["reason_vi"].iloc[0]
    assert report.communes.at[0, "dropped"] == "dan_so 2024"


def test_a_real_divided_commune_is_approximate(tiny_catalogue):
    cw = units.crosswalk_2025()
    divided = cw[cw["divided"]]
    old_code = divided["old_code"].iloc[0]
    default = divided[(divided["old_code"] == old_code) & divided["is_default"]]["new_code"].iloc[0]
    parts = sorted(
        set(cw[(cw["new_code"] == default) & (cw["share"] > 0)]["old_code"])
    )  # every old commune of the default
    out, report = to_2025(_obs(*[(c, 2024, "dan_so", 100) for c in parts]), tiny_catalogue)
    row = out.set_index("unit").loc[default]
    assert row["value"] == 100 * len(parts) and APPROX in row["note"]
    assert report.communes.set_index("new_code").at[default, "approximate"]
    others = divided[(divided["old_code"] == old_code) & ~divided["is_default"]]["new_code"]
    assert set(others) <= set(
        report.communes["new_code"]
    )  # the new communes that got no part of it are listed too
