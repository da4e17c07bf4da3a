"""The new An Giang's illustrative 2025–2026 data (data/an_giang_2025/): all 102 communes and wards,
seeded and labelled, Thoại Sơn's six new communes continuing their re-expressed history, 2026 late."""

from __future__ import annotations

import pandas as pd
import pytest

from baocao import config
from baocao.data import units
from baocao.data.aggregate import aggregate, indicators
from baocao.data.crosswalk import to_2025
from baocao.data.provenance import is_illustrative
from baocao.data.sample import to_csv_frame
from baocao.data.sample_2025 import generate_province_2025
from baocao.io.dataset import load
from baocao.io.dataset_meta import read_meta
from baocao.io.tables import read_csv_strings

FOLDER = config.data_dir() / "an_giang_2025"
THOAI_SON_NEW = {"30682", "30685", "30688", "30691", "30697", "30709"}


@pytest.fixture(scope="module")
def legacy():
    return load()


@pytest.fixture(scope="module")
def generated(legacy):
    return generate_province_2025(units.current(), "91", legacy.catalogue, legacy.observations)


@pytest.fixture(scope="module")
def shipped():
    return load(sorted(FOLDER.glob("observations*.csv")), sorted(FOLDER.glob("published*.csv")))


def test_the_shipped_csv_is_the_generator_output(generated):
    on_disk = read_csv_strings(FOLDER / "observations.csv").reset_index(drop=True)
    expected = to_csv_frame(generated).astype(str).reset_index(drop=True)
    pd.testing.assert_frame_equal(on_disk.astype(str), expected, check_dtype=False)


def test_it_validates_under_the_2025_list_without_a_problem(shipped):
    assert shipped.unit_list == "2025" and shipped.ok and shipped.problems.empty
    assert read_meta(FOLDER).title("en").startswith("An Giang province (code 91, 2025 list)")


def test_every_one_of_the_102_communes_reports_2025_and_most_2026(shipped):
    communes = {u.code for u in units.current().children("91")}
    assert len(communes) == 102
    obs = shipped.observations
    by_year = {y: set(obs.loc[obs["year"] == y, "unit"]) - {"91"} for y in (2025, 2026)}
    assert by_year[2025] == communes
    late = communes - by_year[2026]
    assert by_year[2026] <= communes and len(late) == 12  # not reported yet: coverage to state
    assert not late & THOAI_SON_NEW  # the six that carry history report both years
    # a commune that reports reports every element of its year (wards have no new-rural status)
    per = obs[obs["unit"] != "91"].groupby(["unit", "year"])["element"].nunique()
    assert set(per) == {18, 21}  # 21 with the three new-rural statuses of a xã


def test_every_row_is_marked_illustrative_and_there_is_nothing_published(shipped):
    assert is_illustrative(shipped.observations["source"]).all()
    assert shipped.published.empty
    meta = read_meta(FOLDER)
    assert "published.csv để trống" in meta.published_note("vi") and "2016" in meta.published_note("en")


def test_the_province_itself_records_only_its_hospitals_doctors(shipped):
    own = shipped.observations[shipped.observations["unit"] == "91"]
    assert own["element"].tolist() == ["bac_si", "bac_si"] and own["year"].tolist() == [2025, 2026]


def test_thoai_son_new_communes_continue_their_re_expressed_history(legacy, shipped):
    moved, _ = to_2025(legacy.observations, legacy.catalogue)
    both = pd.concat([moved, shipped.observations[shipped.observations["unit"].isin(THOAI_SON_NEW)]])
    agg = aggregate(both, legacy.catalogue, units.current(), THOAI_SON_NEW)
    ind = indicators(agg, legacy.catalogue)
    ind = ind[ind["category"] == ""].set_index(["unit", "indicator", "year"])["value"]
    element = agg.set_index(["unit", "element", "year", "category"])["value"]
    for code in THOAI_SON_NEW:

        def v(indicator, year, code=code):
            return float(ind.loc[(code, indicator, year)])

        assert 1.002 <= element[(code, "dan_so", 2025, "")] / element[(code, "dan_so", 2024, "")] <= 1.006
        assert 1.05 <= v("thu_nhap_bq", 2025) / v("thu_nhap_bq", 2024) <= 1.10
        assert 0.6 <= v("ty_le_ho_ngheo", 2025) / v("ty_le_ho_ngheo", 2024) <= 0.95
        assert abs(v("ty_le_truong_chuan", 2025) - v("ty_le_truong_chuan", 2024)) <= 10
        assert 0.8 <= v("bac_si_van_dan", 2025) / v("bac_si_van_dan", 2024) <= 1.15
        assert 95 <= v("ty_le_dv_tham_du", 2025) <= 100
        assert 0.85 <= v("hn_so", 2025) / v("hn_so", 2024) <= 1.15
        members = [element[(code, "hn_dv_phai_du", y, f"cd{y}")] for y in (2024, 2025)]
        assert 0.98 <= members[1] / members[0] <= 1.04


def test_the_province_figures_are_plausible(shipped):
    agg = aggregate(shipped.observations, shipped.catalogue, shipped.registry, ["91"])
    ind = indicators(agg, shipped.catalogue)
    of = ind[(ind["unit"] == "91") & (ind["year"] == 2025) & (ind["category"] == "")].set_index("indicator")
    pop = agg[(agg["element"] == "dan_so") & (agg["year"] == 2025)]["value"].iloc[0]
    assert 3_000_000 < pop < 4_500_000  # old An Giang and Kiên Giang: ≈ 3,7 million people
    assert 70 < of.at["thu_nhap_bq", "value"] < 95
    assert 0.3 < of.at["ty_le_ho_ngheo", "value"] < 2.5
    assert 6 < of.at["bac_si_van_dan", "value"] < 12


def test_another_seed_changes_the_figures_not_the_shape(legacy, generated):
    other = generate_province_2025(units.current(), "91", legacy.catalogue, legacy.observations, seed=7)
    assert not other["value"].equals(generated["value"])
    assert set(other["unit"]) - set(generated["unit"]) <= {u.code for u in units.current().children("91")}
    none_late = generate_province_2025(
        units.current(), "91", legacy.catalogue, legacy.observations, late_2026=0
    )
    assert none_late[none_late["year"] == 2026]["unit"].nunique() == 103  # 102 communes and the province
