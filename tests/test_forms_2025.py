"""Data entry on the 2025 list: init-province / init-commune, the form of a 2025 commune or province
(its list in the hidden code row), filled, imported with journal and undo, validated — and never
crossing into a folder of the other list."""

from __future__ import annotations

import shutil
from pathlib import Path

import openpyxl
import pytest
import yaml

from baocao import config
from baocao.cli import main
from baocao.data import units
from baocao.excel.files import read_journal
from baocao.excel.spec import MARKER, parse_meta
from baocao.io.dataset import load
from baocao.io.dataset_meta import read_meta
from baocao.io.tables import read_csv_strings

ROOT = Path(__file__).resolve().parents[1]
SHIPPED = ROOT / "data" / "an_giang_2025" / "observations.csv"


@pytest.fixture
def home(tmp_path, monkeypatch):
    """A project folder with the catalogue and Thoại Sơn's legacy data."""
    h = tmp_path / "home"
    shutil.copytree(ROOT / "data" / "catalogue", h / "data" / "catalogue")
    shutil.copytree(ROOT / "data" / "thoai_son", h / "data" / "thoai_son")
    (h / "params").mkdir()
    monkeypatch.setenv("BAOCAO_HOME", str(h))
    monkeypatch.setenv("BAOCAO_NO_STAT_CACHE", "1")
    monkeypatch.chdir(h)
    return h


def run(capsys, *argv):
    code = main(list(argv))
    out = capsys.readouterr()
    return code, out.out, out.err


def code_rows(path: Path) -> list[dict]:
    wb = openpyxl.load_workbook(path)
    out = []
    for ws in wb.worksheets[1:]:
        cell = ws.cell(6, 1).value
        assert isinstance(cell, str) and cell.startswith(MARKER)
        out.append(parse_meta(cell))
    return out


def fill(path: Path, out: Path, rows) -> int:
    """Type ``rows`` (unit, element, category, value) into the form, as an office would."""
    wb = openpyxl.load_workbook(path)
    n = 0
    for ws in wb.worksheets[1:]:
        cols = {c.value: c.column for c in ws[6] if isinstance(c.value, str) and not c.value.startswith("#")}
        units_at = {ws.cell(r, 1).value: r for r in range(7, ws.max_row + 1) if ws.cell(r, 1).value}
        for unit, element, category, value in rows:
            code = element + (f"|{category}" if category else "")
            if code in cols and unit in units_at:
                v = float(value)
                v = (
                    ("Có" if v == 1 else "Không")
                    if element.startswith("ntm_")
                    else (int(v) if v.is_integer() else v)
                )
                ws.cell(units_at[unit], cols[code], v)
                n += 1
    wb.save(out)
    return n


def shipped_rows(unit: str, year: int):
    df = read_csv_strings(SHIPPED)
    df = df[(df["unit"] == unit) & (df["year"] == str(year))]
    return list(zip(df["unit"], df["element"], df["category"], df["value"]))


def test_a_2025_commune_form_is_written_filled_imported_validated_and_undone(home, tmp_path, capsys):
    code, out, _ = run(capsys, "init-commune", "Thoại Sơn")
    assert code == 0 and "data/thoai_son_2025/dataset.yaml" in out
    folder = home / "data" / "thoai_son_2025"
    assert read_meta(folder).unit_list == "2025"
    data = folder / "observations.csv"
    before = data.read_bytes()

    form = tmp_path / "ts2026.xlsx"
    code, out, _ = run(capsys, "template", "--commune", "Thoại Sơn", "--year", "2026", "--out", str(form))
    assert code == 0 and "Xã Thoại Sơn (danh mục 2025)" in out
    metas = code_rows(form)
    assert {(m["year"], m["list"], m["commune"]) for m in metas} == {("2026", "2025", "30682")}
    wb = openpyxl.load_workbook(form)
    instructions = " ".join(str(c.value) for row in wb["Hướng dẫn"].iter_rows() for c in row if c.value)
    assert "Danh mục đơn vị: danh mục đơn vị 2025" in instructions and "cấp tỉnh" in instructions
    assert [wb.worksheets[1].cell(7, 1).value, wb.worksheets[1].cell(8, 1).value] == ["30682", None]

    filled = tmp_path / "ts2026-filled.xlsx"
    rows = shipped_rows("30682", 2026)
    assert fill(form, filled, rows) == len(rows) == 21
    code, out, err = run(capsys, "import", str(filled), "--data", str(data))
    assert code == 0, out + err
    batch = read_journal(folder / "journal.csv")["batch"].iloc[-1]
    assert f"--undo {batch}" in out
    ds = load([data], [folder / "published.csv"])
    assert ds.ok and ds.unit_list == "2025" and len(ds.observations) == 21
    assert set(ds.observations["unit"]) == {"30682"} and set(ds.observations["year"]) == {2026}
    assert (ds.observations["unit_list"] == "2025").all()
    assert run(capsys, "validate", str(data))[0] == 0
    assert (folder / "journal.csv").is_file()

    code, out, err = run(capsys, "import", "--undo", batch, "--data", str(data))
    assert code == 0, out + err
    assert data.read_bytes() == before


def test_a_province_form_has_every_commune_and_the_province_row(home, tmp_path, capsys):
    form = tmp_path / "ag2025.xlsx"
    assert run(capsys, "template", "--province", "91", "--year", "2025", "--out", str(form))[0] == 0
    wb = openpyxl.load_workbook(form)
    ws = wb.worksheets[1]
    codes = [ws.cell(r, 1).value for r in range(7, ws.max_row + 1) if ws.cell(r, 1).value]
    assert codes == [u.code for u in units.current().children("91")] + ["91"]
    assert ws.cell(7 + 102, 3).value == "Tỉnh An Giang (cấp tỉnh)"
    assert {m["list"] for m in code_rows(form)} == {"2025"} and {m["province"] for m in code_rows(form)} == {
        "91"
    }
    columns = {c.value for w in wb.worksheets[1:] for c in w[6] if isinstance(c.value, str)}
    # the whole-term topic 2021–2025 belongs to the legacy list: no 2025 form asks for it
    assert "hn_so|cd2025" in columns and not any("tk2125" in c for c in columns)


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["--district", "894", "--year", "2025"], "the communes of Huyện Thoại Sơn are now in --province 91"),
        (["--province", "An Giang", "--year", "2024"], "province forms start in 2025"),
        (["--commune", "Thoại Sơn", "--year", "2026", "--unit-list", "legacy"], "not --unit-list legacy"),
        (["--commune", "Phú Hòa", "--year", "2026"], "'Phú Hòa, Đồng Nai'"),
    ],
)
def test_forms_of_the_wrong_list_or_ambiguous_units_are_refused(home, tmp_path, capsys, argv, message):
    code, _, err = run(capsys, "template", *argv, "--out", str(tmp_path / "x.xlsx"))
    assert code == 2 and message in err and err.count("\n") == 1
    assert not (tmp_path / "x.xlsx").exists()


def test_a_form_never_crosses_into_a_folder_of_the_other_list(home, tmp_path, capsys):
    assert run(capsys, "init-commune", "30682")[0] == 0
    new_data = home / "data" / "thoai_son_2025" / "observations.csv"
    old_data = home / "data" / "thoai_son" / "observations.csv"
    old_bytes, new_bytes = old_data.read_bytes(), new_data.read_bytes()

    new_form, filled_new = tmp_path / "new.xlsx", tmp_path / "new-filled.xlsx"
    run(capsys, "template", "--commune", "30682", "--year", "2025", "--out", str(new_form))
    fill(new_form, filled_new, shipped_rows("30682", 2025))
    code, out, err = run(capsys, "import", str(filled_new), "--data", str(old_data), "--lang", "en")
    assert code == 1 and "nothing written" in err
    assert "form was made on the 2025 unit list" in out and "unit_list: 2025" in out

    old_form, filled_old = tmp_path / "old.xlsx", tmp_path / "old-filled.xlsx"
    run(capsys, "template", "--district", "894", "--year", "2024", "--out", str(old_form))
    fill(old_form, filled_old, [("30682", "dan_so", "", "12000")])
    code, out, err = run(capsys, "import", str(filled_old), "--data", str(new_data), "--lang", "en")
    assert code == 1 and "form was made on the legacy unit list" in out + err

    assert old_data.read_bytes() == old_bytes and new_data.read_bytes() == new_bytes


def test_a_loose_data_file_needs_its_list_for_an_import(home, tmp_path, capsys):
    loose = tmp_path / "loose.csv"
    loose.write_text("unit,year,element,category,value,source,note\n", encoding="utf-8")
    form = tmp_path / "f.xlsx"
    run(capsys, "template", "--commune", "30682", "--year", "2026", "--out", str(form))
    fill(form, form, [("30682", "dan_so", "", "35000")])
    code, _, err = run(capsys, "import", str(form), "--data", str(loose))
    assert code == 2 and "--unit-list" in err
    code, out, err = run(capsys, "import", str(form), "--data", str(loose), "--unit-list", "2025")
    assert code == 0, out + err
    assert "30682,2026,dan_so,,35000" in loose.read_text(encoding="utf-8")


def test_init_province_writes_the_folder_of_the_2025_list_and_its_plan(home, capsys):
    code, out, _ = run(capsys, "init-province", "An Giang", "--illustrative")
    assert code == 0 and "103 báo cáo mỗi năm" in out
    folder = home / "data" / "an_giang_2025"
    assert sorted(p.name for p in folder.iterdir()) == [
        "dataset.yaml",
        "observations.csv",
        "published.csv",
        "sources.yaml",
    ]
    ds = load([folder / "observations.csv"], [folder / "published.csv"])
    assert ds.ok and ds.unit_list == "2025"
    assert ds.observations["source"].str.contains("minh họa").all()
    assert set(ds.observations["unit"]) == {u.code for u in units.current().children("91")} | {"91"}
    plan = yaml.safe_load((home / "params" / "an_giang_2025.yml").read_text(encoding="utf-8"))
    assert plan["data_dir"] == "data/an_giang_2025" and plan["years"] == {"from": 2025, "to": 2026}
    assert plan["reports"] == [
        {"notebook": "province_2025_report", "province": 91},
        {"notebook": "commune_2025_report", "communes": {"of": 91}},
    ]
    assert "MINH HỌA" in (home / "params" / "an_giang_2025.yml").read_text(encoding="utf-8")
    code, _, err = run(capsys, "init-province", "91")
    assert code == 2 and "đã có, không ghi đè" in err


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["init-province", "91", "--unit-list", "legacy"], "use init-district"),
        (["init-province", "91", "--years", "2024-2025"], "2024 belong to the legacy list"),
        (["init-commune", "Phú Hòa"], "matches 2 communes"),
        (["init-province", "Kiên Giang"], "no province 'Kiên Giang' in the 2025 list"),
    ],
)
def test_init_2025_refuses_what_it_cannot_do(home, capsys, argv, message):
    code, _, err = run(capsys, *argv)
    assert code == 2 and message in err
    assert not any((home / "data").glob("*_2025"))
    assert config.home() == home
