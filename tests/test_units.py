"""Administrative units: look-up by code or name, tree navigation, 2025 crosswalk."""

from __future__ import annotations

from pathlib import Path

import pytest

from baocao.cli import main
from baocao.data import units
from baocao.data.units import AmbiguousUnit, UnitNotFound, fold

THOAI_SON_COMMUNES = [
    ("30682", "Thị trấn Núi Sập"),
    ("30685", "Thị trấn Phú Hòa"),
    ("30688", "Thị trấn Óc Eo"),
    ("30691", "Xã Tây Phú"),
    ("30692", "Xã An Bình"),
    ("30694", "Xã Vĩnh Phú"),
    ("30697", "Xã Vĩnh Trạch"),
    ("30700", "Xã Phú Thuận"),
    ("30703", "Xã Vĩnh Chánh"),
    ("30706", "Xã Định Mỹ"),
    ("30709", "Xã Định Thành"),
    ("30712", "Xã Mỹ Phú Đông"),
    ("30715", "Xã Vọng Đông"),
    ("30718", "Xã Vĩnh Khánh"),
    ("30721", "Xã Thoại Giang"),
    ("30724", "Xã Bình Thành"),
    ("30727", "Xã Vọng Thê"),
]


def test_legacy_structure_sizes(reg):
    assert len(reg.children(None)) == 63
    assert reg.level_of("89") == "province"
    assert reg.level_of("894") == "district"
    assert reg.level_of("30682") == "commune"


@pytest.mark.parametrize(
    "query", ["894", "thoai son", "Thoại Sơn", "Huyện Thoại Sơn", "HUYEN THOAI SON", "huyện  thoại   sơn"]
)
def test_district_found_by_code_or_name_any_accents(reg, query):
    u = reg.get(query)
    assert (u.code, u.name, u.short, u.type, u.level, u.parent, u.province) == (
        "894",
        "Huyện Thoại Sơn",
        "Thoại Sơn",
        "Huyện",
        "district",
        "89",
        "89",
    )


def test_thoai_son_has_its_17_communes_in_code_order(reg):
    kids = reg.children("894")
    assert [(u.code, u.name) for u in kids] == THOAI_SON_COMMUNES
    assert sorted(reg.descendants("894", level="commune")) == [c for c, _ in THOAI_SON_COMMUNES]
    assert {u.type for u in kids} == {"Thị trấn", "Xã"}


def test_path_and_parent(reg):
    assert reg.path("30682") == ["89", "894", "30682"]
    assert reg.path("89") == ["89"]
    assert reg.parent("30727").code == "894"
    assert reg.parent("89") is None
    assert "30682" in reg and "99999" not in reg


def test_commune_lookup_and_coordinates(reg):
    u = reg.get("nui sap")
    assert u.code == "30682" and u.type == "Thị trấn"
    assert 10.0 < u.lat < 10.6 and 104.9 < u.lon < 105.6  # An Giang
    assert reg.get("Óc Eo").code == "30688"


def test_ambiguous_name_lists_candidates_and_parent_narrows(reg):
    with pytest.raises(AmbiguousUnit) as exc:
        reg.get("Phú Hòa")
    msg = str(exc.value)
    assert "30685 Thị trấn Phú Hòa (Huyện Thoại Sơn)" in msg
    first = reg.find("Phú Hòa")[0]
    assert f"add the parent: 'Phú Hòa, {reg.unit(first.parent).short}'" in msg
    assert f"thêm đơn vị cấp trên: 'Phú Hòa, {reg.unit(first.parent).short}'" in msg  # tells how to narrow
    assert reg.get("Phú Hòa, Thoại Sơn").code == "30685"
    with pytest.raises(AmbiguousUnit) as exc:  # the 2025 list has no districts: its example is a province
        units.current().get("Phú Hòa")
    assert "add the parent: 'Phú Hòa, Đồng Nai'" in str(exc.value)
    assert reg.get("Thị trấn Phú Hòa, Huyện Thoại Sơn").code == "30685"


def test_unknown_name_suggests_close_names(reg):
    with pytest.raises(UnitNotFound) as exc:
        reg.get("Thoai Sonn")
    assert "894 Huyện Thoại Sơn" in str(exc.value)


def test_level_filter(reg):
    assert reg.get("An Giang", level="province").code == "89"
    with pytest.raises(UnitNotFound):
        reg.get("An Giang", level="district")
    with pytest.raises(ValueError):
        reg.find("894", level="village")


def test_fold():
    assert fold("Huyện  Thoại Sơn") == "huyen thoai son"
    assert fold("Đồng Tháp") == "dong thap"
    assert fold("Óc Eo") == "oc eo"


def test_labels(reg):
    assert reg.unit("894").label("vi") == "Huyện Thoại Sơn"
    assert reg.unit("894").label("en") == "Thoại Sơn (district)"
    assert reg.unit("30682").label("en") == "Núi Sập (township)"


def test_current_structure_has_34_provinces():
    cur = units.current()
    provinces = cur.children(None)
    assert len(provinces) == 34
    assert {cur.level_of(c) for c in cur.table.index} == {"province", "commune"}
    assert len(cur) - len(provinces) == 3321


def test_crosswalk_maps_every_thoai_son_commune_to_a_2025_commune():
    cw = units.crosswalk_2025()
    ts = cw[cw["old_code"].isin([c for c, _ in THOAI_SON_COMMUNES])]
    assert sorted(set(ts["old_code"])) == [c for c, _ in THOAI_SON_COMMUNES]
    cur = units.current()
    assert all(cur.level_of(c) == "commune" for c in ts["new_code"])
    assert set(ts["new_province"]) == {cur.get("An Giang", level="province").code}
    # communes were merged: fewer new communes than old ones
    assert ts["new_code"].nunique() < 17
    shares = cw.groupby("old_code")["share"].sum()
    assert (shares == 1.0).all()  # every old commune's counts go somewhere exactly once


def test_cli_units(capsys):
    assert main(["units", "thoai son", "--children"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("894  Huyện Thoại Sơn  (district)")
    assert "Tỉnh An Giang › Huyện Thoại Sơn" in out
    assert "  30727  Xã Vọng Thê" in out
    assert len([line for line in out.splitlines() if line.startswith("  3")]) == 17


def test_cli_units_ambiguous_is_one_clear_line(capsys):
    assert main(["units", "Phú Hòa"]) == 2
    cap = capsys.readouterr()
    assert "30685" in cap.err and "Traceback" not in cap.err + cap.out


def test_cli_units_help():
    with pytest.raises(SystemExit) as exc:
        main(["units", "--help"])
    assert exc.value.code == 0


# ---------------------------------------------------------------- the cached unit list


@pytest.fixture()
def unit_sources(tmp_path, monkeypatch):
    """The project folder and the package's unit table replaced by files of this test."""
    from baocao.io import admin

    home = tmp_path / "home"
    home.mkdir()
    table = tmp_path / "dataset.db"
    table.write_bytes(b"units v1")
    monkeypatch.setenv("BAOCAO_HOME", str(home))
    monkeypatch.delenv("BAOCAO_NO_STAT_CACHE", raising=False)
    monkeypatch.setattr(admin, "dataset_path", lambda: table)
    return home, table


def counting_build(reg, built):
    def build():
        built.append(1)
        return units.UnitRegistry(reg.table.reset_index(drop=True).head(200), "legacy")

    return build


def test_the_cached_unit_list_is_the_unit_list(reg, tmp_path, monkeypatch):
    """From the cache (a second process would read it) the registry answers as the one built."""
    import pickle

    monkeypatch.setenv("BAOCAO_HOME", str(tmp_path))
    monkeypatch.delenv("BAOCAO_NO_STAT_CACHE", raising=False)
    built = []
    first = units.cached_registry("legacy", lambda: built.append(1) or units._build_legacy())
    path = units.registry_cache_path("legacy")
    assert path.parent == tmp_path / ".baocao-cache" and path.is_file()
    again = pickle.loads(path.read_bytes())
    assert units.cached_registry("legacy", lambda: built.append(1) or units._build_legacy()).table.equals(
        again.table
    )
    assert built == [1]  # built once, then read
    assert again.table.equals(reg.table) and first.table.equals(reg.table)
    assert again.get("Phú Hòa, Thoại Sơn").code == "30685"
    assert again.path("30682") == ["89", "894", "30682"]
    assert [u.code for u in again.children("894")] == [c for c, _ in THOAI_SON_COMMUNES]


def test_a_changed_unit_table_or_unit_code_is_built_again(reg, unit_sources, monkeypatch):
    """An edit of the package's unit table — even one that keeps its size and puts its mtime
    back — or of the code that builds the registry gives another cache file: built again."""
    import os

    home, table = unit_sources
    built = []
    units.cached_registry("legacy", counting_build(reg, built))
    units.cached_registry("legacy", counting_build(reg, built))
    assert len(built) == 1
    before = units.registry_cache_path("legacy")

    st = table.stat()
    table.write_bytes(b"units v2")  # same size
    os.utime(table, ns=(st.st_atime_ns, st.st_mtime_ns))  # mtime put back
    assert units.registry_cache_path("legacy") != before
    units.cached_registry("legacy", counting_build(reg, built))
    assert len(built) == 2
    assert [p.name for p in (home / ".baocao-cache").glob("units-legacy-*")] == [
        units.registry_cache_path("legacy").name
    ]

    source = table.parent / "units.py"  # the registry's code, as a copy: the real file is left alone
    source.write_bytes(Path(units.__file__).read_bytes())
    monkeypatch.setattr(units, "__file__", str(source))
    code = units.registry_cache_path("legacy")
    source.write_text(source.read_text(encoding="utf-8") + "\n# changed\n", encoding="utf-8")
    assert units.registry_cache_path("legacy") != code


def test_a_broken_cache_file_is_rebuilt_and_no_cache_when_turned_off(reg, unit_sources, monkeypatch):
    home, _ = unit_sources
    built = []
    path = units.registry_cache_path("legacy")
    path.parent.mkdir(parents=True)
    path.write_bytes(b"\x80\x05half a pickle")  # a process killed while writing (without the rename)
    assert len(units.cached_registry("legacy", counting_build(reg, built))) == 200
    assert built == [1] and path.stat().st_size > 100
    monkeypatch.setenv("BAOCAO_NO_STAT_CACHE", "1")
    assert units.registry_cache_path("legacy") is None
    units.cached_registry("legacy", counting_build(reg, built))
    assert built == [1, 1]
