"""The figures of the GSO reports, computed in the data layer (baocao.data.gso_figures): provinces
as GSO publishes them, regions and the whole country summed over their provinces when the
figures add up, else GSO's own row; preliminary figures flagged."""

from __future__ import annotations

import pandas as pd
import pytest

from baocao import config
from baocao.data.gso_figures import element_values, elements_of, exists, indicator_values, region_of
from baocao.io.gso import load_gso
from baocao.io.tables import read_catalogue

CODES = ["gso_dan_so", "gso_ty_le_ho_ngheo", "gso_thu_nhap", "gso_bac_si_van_dan"]


@pytest.fixture(scope="module")
def loaded():
    catalogue = read_catalogue(config.catalogue_dir())
    obs, pub, _ = load_gso(catalogue=catalogue)
    return obs, pub, catalogue


@pytest.fixture(scope="module")
def ind(loaded):
    return indicator_values(*loaded, CODES).set_index(["unit", "year", "indicator"])


def test_regions_and_provinces_as_gso_lists_them():
    assert region_of("89") == "R6" and region_of("28") == "R1" and region_of("R6") is None
    assert exists("28", 2007) and not exists("28", 2008)  # Hà Tây, merged into Hà Nội in 2008
    assert not exists("11", 2003) and exists("11", 2004)  # Điện Biên, split off in 2004


def test_elements_are_the_numerators_and_denominators_in_order(loaded):
    _, _, catalogue = loaded
    assert elements_of(catalogue, ["gso_bac_si_van_dan", "gso_dan_so"]) == ["gso_bac_si", "gso_dan_so"]


def test_region_values_computed_or_published(ind):
    pop = ind.loc[("R6", 2016, "gso_dan_so")]
    assert pop["basis"] == "computed" and pop["value"] == 17_660_700  # = GSO's row
    assert pop["preliminary"]  # it rests on preliminary 2016 province figures
    poverty = ind.loc[("R6", 2016, "gso_ty_le_ho_ngheo")]
    assert poverty["basis"] == "published" and poverty["value"] == 5.2  # a rate does not add up
    income = ind.loc[("VN", 2016, "gso_thu_nhap")]
    assert income["basis"] == "published" and income["value"] == 3049
    doctors = ind.loc[("VN", 2016, "gso_bac_si_van_dan")]
    assert doctors["basis"] == "computed"
    assert doctors["value"] == pytest.approx(61_547 / 92_695_100 * 10_000)  # a ratio of the sums


def test_provinces_are_what_gso_publishes(ind):
    ag = ind.loc[("89", 2016, "gso_dan_so")]
    assert ag["basis"] == "province" and ag["value"] == 2_159_900 and ag["preliminary"]
    assert ind.loc[("89", 2016, "gso_bac_si_van_dan"), "value"] == pytest.approx(1047 / 2_159_900 * 10_000)


def test_a_region_with_a_missing_member_takes_the_published_row():
    """Made-up rows: R4's five provinces, one without a value → GSO's own row, flagged published."""
    catalogue = read_catalogue(config.catalogue_dir())
    members = ["62", "64", "66", "67", "68"]
    obs = pd.DataFrame(
        {
            "unit": members[:-1],
            "year": 2016,
            "element": "gso_dan_so",
            "category": "",
            "value": [500_000.0, 600_000.0, 700_000.0, 800_000.0],
            "source": "GSO: test",
            "note": "",
        }
    )
    pub = pd.DataFrame(
        {
            "unit": ["R4"],
            "year_from": [2016],
            "code": ["gso_dan_so"],
            "category": [""],
            "value": [3_000_000.0],
            "note": [""],
        }
    )
    el = element_values(obs, pub, catalogue, ["gso_dan_so"]).set_index(["unit", "year", "element"])
    assert el.loc[("R4", 2016, "gso_dan_so"), "basis"] == "published"
    assert el.loc[("R4", 2016, "gso_dan_so"), "value"] == 3_000_000
    assert el.loc[("R4", 2016, "gso_dan_so"), "n_members"] == 5
