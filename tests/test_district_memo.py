"""What the local reports keep on the loaded data set (computed once per district and year)."""

from __future__ import annotations

import pandas as pd

from baocao.data import units
from baocao.reports.kit.context import MEMO
from baocao.reports.local import commune as report
from baocao.reports.local import communes


def test_kept_results_are_those_computed_afresh_and_copies():
    units_ = units.legacy().children("894")
    first = report.open_commune(units_[0].code, 2024)
    second = report.open_commune(units_[1].code, 2024)
    ds = first.dataset
    assert second.dataset is ds

    ranked = communes.commune_values(first, "ty_le_dv_tham_du")
    ranked.loc[:, "value"] = -1.0  # a caller changing its frame changes nobody else's
    again = communes.commune_values(second, "ty_le_dv_tham_du")
    fresh = communes._commune_values(second, "ty_le_dv_tham_du", 2024)
    pd.testing.assert_frame_equal(again, fresh)
    assert (again["value"] != -1.0).any()

    hashes = (first.input_hash(), second.input_hash())
    assert hashes[0] == hashes[1]  # the district's rows: the same for each of its reports
    cats = second._categories()
    ds.__dict__.pop(MEMO)  # forget everything kept: computed afresh, the same
    assert second.input_hash() == hashes[0]
    assert report.open_commune(units_[0].code, 2023).input_hash() != hashes[0]  # rows up to 2023 only
    assert report.open_commune(units_[1].code, 2024)._categories() == cats
