"""Which unit list a code belongs to: one data folder per list (dataset.yaml), every row stamped,
codes and years checked against their list, nothing of one list read against the other."""

from __future__ import annotations

import shutil
from pathlib import Path

import pandas as pd
import pytest

from baocao import config
from baocao.cli import main
from baocao.data import unit_lists, units
from baocao.data.aggregate import aggregate
from baocao.data.crosswalk import to_2025
from baocao.data.observations import max_year
from baocao.data.unit_lists import UnitListError
from baocao.io import dataset_cache
from baocao.io.dataset import load
from baocao.io.dataset_meta import folder_unit_list, read_meta, unit_list_of
from baocao.io.tables import InputFileError

ROOT = Path(__file__).resolve().parents[1]
HEADER = "unit,year,element,category,value,source,note\n"
PUBLISHED_HEADER = (  # the source states each figure's year (stated_period)
    "id,unit,year_from,year_to,figure_type,code,category,value,decimals,components,source,"
    "quote,unit_stated,stated_period,as_of,inference_vi,inference_en,note\n"
)


def folder(tmp_path: Path, unit_list: str | None, rows: str, name: str = "data") -> Path:
    d = tmp_path / name
    d.mkdir()
    if unit_list is not None:
        (d / "dataset.yaml").write_text(f'unit_list: "{unit_list}"\n', encoding="utf-8")
    (d / "observations.csv").write_text(HEADER + rows, encoding="utf-8")
    return d


def problems_of(ds) -> list[tuple]:
    return [(p.row, p.column, p.rule) for p in ds.problems.itertuples()]


def test_every_data_folder_declares_its_list():
    """No code in any data file of the project can be read against the wrong list: every folder with
    observations names its list, and each holds only years of that list."""
    folders = sorted(p.parent for p in config.data_dir().glob("*/observations*.csv"))
    assert {f.name for f in folders} >= {"thoai_son", "an_giang_2025"}
    for f in folders:
        assert read_meta(f) is not None, f
    assert read_meta(config.data_dir() / "thoai_son").unit_list == "legacy"
    assert read_meta(config.data_dir() / "an_giang_2025").unit_list == "2025"


@pytest.mark.parametrize(("name", "unit_list"), [("thoai_son", "legacy"), ("an_giang_2025", "2025")])
def test_the_loader_stamps_every_row_with_its_folder_list(name, unit_list):
    d = config.data_dir() / name
    ds = load(sorted(d.glob("observations*.csv")), sorted(d.glob("published*.csv")))
    assert ds.ok, ds.problems.head()
    assert ds.unit_list == unit_list and ds.registry.structure == unit_list
    for frame in (ds.observations, ds.periods, ds.published):
        assert "unit_list" in frame.columns and (frame["unit_list"] == unit_list).all()
    years = set(ds.observations["year"])
    assert years <= ({2022, 2023, 2024} if unit_list == "legacy" else {2025, 2026}), years


def test_a_legacy_code_in_a_2025_file_is_refused_naming_the_list_and_the_new_commune(tmp_path):
    d = folder(tmp_path, "2025", "30682,2025,dan_so,,45000,x,\n30721,2025,dan_so,,12000,x,\n")
    ds = load([d / "observations.csv"], [])
    assert problems_of(ds) == [(3, "unit", "known_unit")]
    p = ds.problems.iloc[0]
    assert p.file.endswith("observations.csv") and p.importance == "blocking"
    assert p.message_vi.startswith("đơn vị '30721' không có trong danh mục đơn vị 2025")
    assert "Xã Thoại Giang (Huyện Thoại Sơn, Tỉnh An Giang) của danh mục cũ" in p.message_vi
    assert "thuộc Xã Thoại Sơn (30682)" in p.message_vi
    assert "from 1 July 2025 part of Xã Thoại Sơn (30682)" in p.message_en


def test_a_district_or_old_province_in_a_2025_file_says_where_its_communes_went(tmp_path):
    d = folder(tmp_path, "2025", "894,2025,bac_si,,60,x,\n89,2025,bac_si,,600,x,\n")
    ds = load([d / "observations.csv"], [])
    assert problems_of(ds) == [(2, "unit", "known_unit"), (3, "unit", "known_unit")]
    district, province = ds.problems["message_en"]
    assert "the 2025 list has no districts" in district and "Xã Vĩnh Trạch (30697)" in district
    assert "89 is Tỉnh An Giang in the legacy list" in province and "Tỉnh An Giang (91)" in province


def test_a_2025_code_in_a_legacy_file_is_refused(tmp_path):
    d = folder(tmp_path, "legacy", "11948,2024,dan_so,,600,x,\n30682,2024,dan_so,,12000,x,\n")
    ds = load([d / "observations.csv"], [])
    assert problems_of(ds) == [(2, "unit", "known_unit")]
    assert (
        "in the 2025 list (from 1 July 2025), but the file uses the legacy list"
        in ds.problems["message_en"][0]
    )
    assert "Đặc khu Bạch Long Vĩ" in ds.problems["message_vi"][0]


@pytest.mark.parametrize(
    ("unit_list", "year", "ok"),
    [
        ("legacy", "2024", True),
        ("legacy", "2025", False),
        ("legacy", "2026", False),
        ("legacy", "2021-2025", True),  # a period may straddle the change (the whole-term topic)
        ("legacy", "2025-2026", False),
        ("2025", "2025", True),
        ("2025", "2026", True),
        ("2025", "2024", False),
        ("2025", "2022", False),
        ("2025", "2024-2026", False),
        ("2025", "2025-2026", True),
    ],
)
def test_years_belong_to_one_list(tmp_path, unit_list, year, ok):
    d = folder(tmp_path, unit_list, f"30682,{year},doi_thoai_so,,3,x,\n")
    ds = load([d / "observations.csv"], [])
    assert problems_of(ds) == ([] if ok else [(2, "year", "unit_list_year")])


def test_a_wrong_year_says_what_the_code_means_in_each_list(tmp_path):
    d = folder(tmp_path, "2025", "30682,2024,dan_so,,45000,x,\n")
    message = load([d / "observations.csv"], []).problems["message_vi"][0]
    assert message.startswith("năm 2024: tệp dùng danh mục đơn vị 2025")
    assert "30682 ở danh mục 2025 là Xã Thoại Sơn, ở danh mục cũ là Thị trấn Núi Sập" in message
    d = folder(tmp_path, "legacy", "30682,2025,dan_so,,45000,x,\n", "old")
    message = load([d / "observations.csv"], []).problems["message_en"][0]
    assert message.startswith("year 2025: the file uses the legacy unit list")
    assert "30682 is Thị trấn Núi Sập in the legacy list and Xã Thoại Sơn in the 2025 list" in message


def test_a_year_outside_every_list_is_reported_once(tmp_path):
    d = folder(tmp_path, "legacy", f"30682,{max_year() + 1},dan_so,,1,x,\n")
    assert problems_of(load([d / "observations.csv"], [])) == [(2, "year", "year_range")]


def test_published_figures_are_read_against_the_folder_list(tmp_path):
    d = folder(tmp_path, "2025", "30682,2025,bac_si,,9,x,\n")
    (d / "published.csv").write_text(
        PUBLISHED_HEADER
        + "P1,30682,2025,2025,element,bac_si,,9,0,,x,,,2025,,,,\n"
        + "P2,894,2025,2025,element,bac_si,,60,0,,x,,,2025,,,,\n"
        + "P3,30682,2024,2024,element,bac_si,,9,0,,x,,,2024,,,,\n",
        encoding="utf-8",
    )
    ds = load([d / "observations.csv"], [d / "published.csv"])
    assert problems_of(ds) == [(3, "unit", "known_unit"), (4, "year", "unit_list_year")]
    assert set(ds.problems["file"]) == {str(d / "published.csv")}
    assert (ds.published["unit_list"] == "2025").all()


def test_a_loose_file_needs_its_list_named(tmp_path, capsys):
    loose = tmp_path / "loose.csv"
    loose.write_text(HEADER + "30682,2024,dan_so,,45000,x,\n", encoding="utf-8")
    with pytest.raises(UnitListError, match="--unit-list legacy"):
        load([loose], [])
    assert load([loose], [], unit_list="legacy").ok
    assert not load([loose], [], unit_list="2025").ok  # 2024 is not a year of the 2025 list
    assert main(["validate", str(loose)]) == 2
    err = capsys.readouterr().err.strip()
    assert err.count("\n") == 0 and "không biết mã đơn vị thuộc danh mục nào" in err
    assert main(["validate", str(loose), "--unit-list", "legacy"]) == 0
    assert "danh mục đơn vị cũ" in capsys.readouterr().out


def test_a_named_list_never_overrides_a_folder_list(tmp_path, capsys):
    d = folder(tmp_path, "2025", "30682,2025,dan_so,,45000,x,\n")
    with pytest.raises(UnitListError, match="declares the 2025 list"):
        load([d / "observations.csv"], [], unit_list="legacy")
    assert main(["validate", str(d / "observations.csv"), "--unit-list", "legacy"]) == 2
    assert "khai báo danh mục 2025, không phải danh mục cũ" in capsys.readouterr().err


def test_files_of_two_lists_are_never_read_together(tmp_path):
    new = folder(tmp_path, "2025", "30682,2025,dan_so,,45000,x,\n", "new")
    old = folder(tmp_path, "legacy", "30682,2024,dan_so,,12000,x,\n", "old")
    with pytest.raises(UnitListError, match="two unit lists"):
        load([old / "observations.csv", new / "observations.csv"], [])
    with pytest.raises(UnitListError):
        unit_list_of([old / "observations.csv", new / "published.csv"])


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("title_vi: x\n", "unit_list is missing"),
        ("unit_list: 2024\n", "unknown unit list '2024'"),
        ("unit_list: legacy\nlist: 2025\n", "unknown key(s) list"),
        ("unit_list: legacy\ntitle_vi: [a]\n", "title_vi must be text"),
        ("- legacy\n", "expected keys"),
    ],
)
def test_a_bad_dataset_yaml_is_refused_naming_it(tmp_path, text, message):
    (tmp_path / "dataset.yaml").write_text(text, encoding="utf-8")
    with pytest.raises(InputFileError, match="dataset.yaml") as exc:
        read_meta(tmp_path)
    assert message in str(exc.value)


def test_unit_list_2025_as_a_yaml_number_is_the_2025_list(tmp_path):
    (tmp_path / "dataset.yaml").write_text("unit_list: 2025\n", encoding="utf-8")
    assert read_meta(tmp_path).unit_list == "2025"


def test_code_downstream_refuses_rows_of_another_list(cat):
    new = load(sorted((config.data_dir() / "an_giang_2025").glob("observations*.csv")), [])
    with pytest.raises(UnitListError, match="2025 list cannot be used with the legacy list"):
        aggregate(new.observations, cat, units.legacy())
    with pytest.raises(UnitListError, match="to_2025"):
        to_2025(new.observations, cat)
    old = load()
    with pytest.raises(UnitListError):
        aggregate(old.observations, cat, units.current())
    moved, _ = to_2025(old.observations, cat)
    assert (moved["unit_list"] == "2025").all()
    assert len(aggregate(moved, cat, units.current()))  # re-expressed rows are rows of the 2025 list


def test_the_year_of_the_change_is_said_once_in_each_language():
    assert unit_lists.reform_note(2024) == unit_lists.reform_note(2026, "en") == ""
    vi, en = unit_lists.reform_note(2025), unit_lists.reform_note(2025, "en")
    assert "1/7/2025" in vi and "cả năm" in vi and "sáu tháng đầu năm" in vi
    assert "1 July 2025" in en and "whole calendar year" in en and "first half-year" in en
    assert unit_lists.year_list(2024) == "legacy" and unit_lists.year_list(2025) == "2025"


def test_a_2025_folder_comes_back_from_the_cache_with_its_registry(tmp_path, monkeypatch):
    home = tmp_path / "home"
    shutil.copytree(ROOT / "data" / "catalogue", home / "data" / "catalogue")
    shutil.copytree(ROOT / "data" / "an_giang_2025", home / "data" / "an_giang_2025")
    monkeypatch.setenv("BAOCAO_HOME", str(home))
    monkeypatch.delenv("BAOCAO_NO_STAT_CACHE", raising=False)
    first = dataset_cache.load_dataset(str(home / "data" / "an_giang_2025"))
    again = dataset_cache.load_dataset(str(home / "data" / "an_giang_2025"))
    assert len(list((home / ".baocao-cache").glob("dataset-*.pickle"))) == 1
    assert again.unit_list == first.unit_list == "2025" and again.registry.structure == "2025"
    pd.testing.assert_frame_equal(again.observations, first.observations)
    # the list is part of what the cache is keyed by: the same files under another list load anew
    (home / "data" / "an_giang_2025" / "dataset.yaml").write_text("unit_list: legacy\n", encoding="utf-8")
    relisted = dataset_cache.load_dataset(str(home / "data" / "an_giang_2025"))
    assert relisted.unit_list == "legacy" and not relisted.ok


def test_a_folder_list_is_known_before_any_data_is_loaded(tmp_path):
    assert folder_unit_list() == "legacy"  # the default data: data/thoai_son
    assert folder_unit_list("data/an_giang_2025") == "2025"
    assert folder_unit_list(config.data_dir() / "thoai_son") == "legacy"
    with pytest.raises(UnitListError, match="no dataset.yaml"):
        folder_unit_list(tmp_path)


def test_a_plan_reads_its_units_against_its_data_folder_list(tmp_path):
    """`communes: {of: 91}` is the new An Giang's 102 communes in a folder of the 2025 list, and the
    legacy Kiên Giang's in a legacy one; a data folder that does not name its list is refused."""
    from baocao.build.plans import PlanError, load_plan

    def plan(data_dir: str):
        path = tmp_path / "plan.yml"
        path.write_text(
            f"years: 2024\ndata_dir: {data_dir}\n"
            "reports:\n  - notebook: commune_report\n    communes: {of: 91}\n",
            encoding="utf-8",
        )
        return load_plan(path)

    new = plan("data/an_giang_2025")
    assert [r.unit for r in new.reports] == [u.code for u in units.current().children("91")]
    old = plan("data/thoai_son")
    assert [r.unit for r in old.reports] == units.legacy().descendants("91", "commune")
    assert units.legacy().unit("91").short == "Kiên Giang"
    bare = config.home() / ".baocao-cache" / f"test-no-list-{tmp_path.name}"
    bare.mkdir(parents=True)
    try:
        (bare / "observations.csv").write_text(HEADER, encoding="utf-8")
        with pytest.raises(PlanError, match="has no dataset.yaml"):
            plan(str(bare.relative_to(config.home())))
    finally:
        shutil.rmtree(bare)


def test_validate_says_why_a_folder_has_nothing_to_reconcile(capsys):
    assert (
        main(["validate", str(config.data_dir() / "an_giang_2025" / "observations.csv"), "--lang", "en"]) == 0
    )
    out = capsys.readouterr().out
    assert "2025 unit list" in out and "rows valid" in out
    assert "Published figures: No published figures exist for the new An Giang" in out
