"""What the district reports keep on the loaded data set (computed once per district and year)."""

from __future__ import annotations

import pandas as pd

from baocao.data import units
from baocao.reports import district as report


def test_kept_results_are_those_computed_afresh_and_copies():
    communes = units.legacy().children("894")
    first = report.open_commune(communes[0].code, 2024)
    second = report.open_commune(communes[1].code, 2024)
    ds = first.dataset
    assert second.dataset is ds

    ranked = report.commune_values(first, "ty_le_dv_tham_du")
    ranked.loc[:, "value"] = -1.0  # a caller changing its frame changes nobody else's
    again = report.commune_values(second, "ty_le_dv_tham_du")
    fresh = report._commune_values(second, "ty_le_dv_tham_du", 2024)
    pd.testing.assert_frame_equal(again, fresh)
    assert (again["value"] != -1.0).any()

    hashes = (first.input_hash(), second.input_hash())
    assert hashes[0] == hashes[1]  # the district's rows: the same for each of its reports
    ds.__dict__.pop("_baocao_input_hashes")
    assert second.input_hash() == hashes[0]
    assert report.open_commune(communes[0].code, 2023).input_hash() != hashes[0]  # rows up to 2023 only

    cats = second._categories
    ds.__dict__.pop("_baocao_categories")
    assert report.open_commune(communes[1].code, 2024)._categories == cats
