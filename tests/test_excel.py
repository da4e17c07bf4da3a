"""Excel forms: the template is generated from the catalogue; filled forms are imported with every
problem named by sheet and cell; nothing is written while a problem remains; imports are journalled
and can be undone to the original bytes."""

from __future__ import annotations

import csv
import io
import os
import re
import shutil
import subprocess
import zipfile
from pathlib import Path

import openpyxl
import pytest
import yaml

from baocao import config
from baocao.cli import main
from baocao.data import units
from baocao.data.units import Unit
from baocao.excel.files import read_journal
from baocao.excel.spec import MARKER, template_spec
from baocao.excel.template import build_workbook
from baocao.io.tables import read_csv_strings

DATA = config.data_dir() / "thoai_son" / "observations.csv"
SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")
needs_soffice = pytest.mark.skipif(
    SOFFICE is None, reason="LibreOffice (soffice) is not installed: apt-get install -y libreoffice-calc"
)
SHEETS = ["Hướng dẫn", "Học tập chuyên đề", "Kinh tế - xã hội", "An sinh xã hội", "Đối thoại", "Khen thưởng"]


@pytest.fixture(scope="module")
def template(tmp_path_factory):
    path = tmp_path_factory.mktemp("tpl") / "ts2024.xlsx"
    assert main(["template", "--district", "894", "--year", "2024", "--out", str(path)]) == 0
    return path


@pytest.fixture(scope="module")
def obs2024():
    df = read_csv_strings(DATA)
    return df[df["year"] == "2024"]


@pytest.fixture
def data(tmp_path):
    p = tmp_path / "data" / "observations.csv"
    p.parent.mkdir()
    shutil.copy(DATA, p)
    shutil.copy(DATA.with_name("dataset.yaml"), p.with_name("dataset.yaml"))  # its unit list: legacy
    return p


def code_row(ws):
    for row in ws.iter_rows():
        for c in row:
            if isinstance(c.value, str) and c.value.startswith(MARKER):
                return c.row
    return None


def layout(ws):
    """(code row, {code: column}, {unit code: row}) of a data sheet."""
    r = code_row(ws)
    cols = {c.value: c.column for c in ws[r] if isinstance(c.value, str) and not c.value.startswith("#")}
    rows = {ws.cell(i, 1).value: i for i in range(r + 1, ws.max_row + 1) if ws.cell(i, 1).value}
    return r, cols, rows


def fill(template_path, out, obs, communes, edit=None):
    """Fill the template from observations (booleans as Có/Không); ``edit(wb)`` may spoil it."""
    wb = openpyxl.load_workbook(template_path)
    n = 0
    for ws in wb.worksheets[1:]:
        _, cols, rows = layout(ws)
        for o in obs.itertuples():
            code = o.element + (f"|{o.category}" if o.category else "")
            if o.unit in communes and code in cols:
                v = float(o.value)
                if o.element.startswith("ntm_"):
                    v = "Có" if v == 1 else "Không"
                elif v.is_integer():
                    v = int(v)
                ws.cell(rows[o.unit], cols[code], v)
                n += 1
    if edit:
        edit(wb)
    wb.save(out)
    return n


def run(capsys, *argv):
    code = main(list(argv))
    out = capsys.readouterr()
    return code, out.out, out.err


# ----------------------------------------------------------------------------- the template


def test_the_same_template_twice_is_the_same_file(template, tmp_path):
    """A form written again (another day, another folder) is byte-identical: no creation time."""
    again = tmp_path / "again.xlsx"
    assert main(["template", "--district", "894", "--year", "2024", "--out", str(again)]) == 0
    assert again.read_bytes() == template.read_bytes()


def test_template_structure(template, cat):
    wb = openpyxl.load_workbook(template)
    assert wb.sheetnames == SHEETS
    assert wb.active.title == "Hướng dẫn"
    every_code = []
    for ws in wb.worksheets[1:]:
        r, cols, rows = layout(ws)
        assert r == 6 and ws.row_dimensions[r].hidden and ws.column_dimensions["A"].hidden
        section = ws.cell(r, 1).value.split("section=")[1]
        assert ws.cell(r, 1).value == f"{MARKER} v1 year=2024 list=legacy district=894 section={section}"
        assert "2024" in ws["B1"].value and "Thoại Sơn" in ws["B1"].value
        assert list(rows) == [u.code for u in units.legacy().children("894")] + ["894"]
        assert ws.freeze_panes == "D7"
        assert ws.protection.sheet and not ws.protection.password
        assert ws["C7"].protection.locked and ws["D3"].protection.locked  # structure locked
        every_code += list(cols)
        kinds = {}
        for dv in ws.data_validations.dataValidation:
            for rng in str(dv.sqref).split():
                kinds[rng[0]] = (dv.type, dv.operator, dv.formula1, dv.formula2)
        for code, c in cols.items():
            el = cat.element(code.split("|")[0])
            cell = ws.cell(7, c)
            assert not cell.protection.locked, f"{ws.title} {cell.coordinate} must be an input cell"
            letter = cell.column_letter
            expected = {"integer": "whole", "number": "decimal", "boolean": "list"}[el.value_type]
            assert kinds[letter][0] == expected, (code, kinds[letter])
            if el.value_type == "boolean":
                assert kinds[letter][2] == '"Có,Không"'
            else:
                assert kinds[letter][2] == "0" and cell.number_format.startswith("#,##0")
    # topics that apply to 2024 only; no GSO element
    assert "hn_so|tk2125" in every_code and "hn_so|cd2024" in every_code and "hn_so|cd2023" not in every_code
    assert not any(c.startswith("gso_") for c in every_code)
    assert set(c.split("|")[0] for c in every_code) == {
        e.code for e in cat.elements.values() if not e.section.startswith("gso")
    }
    assert (
        wb["Kinh tế - xã hội"].cell(7, layout(wb["Kinh tế - xã hội"])[1]["thu_nhap_bq"]).number_format
        == "#,##0.0##"
    )


def test_new_catalogue_element_appears_without_code_change(tmp_path, capsys):
    folder = tmp_path / "catalogue"
    shutil.copytree(config.catalogue_dir(), folder)
    doc = yaml.safe_load((folder / "thoai_son.yaml").read_text(encoding="utf-8"))
    doc["elements"].append(
        dict(
            code="cay_xanh",
            name_vi="Số cây xanh trồng mới",
            name_en="Trees planted",
            unit_vi="cây",
            unit_en="trees",
            section="moi_truong",
        )
    )
    doc["elements"].append(
        dict(
            code="nha_dai_doan_ket",
            name_vi="Nhà đại đoàn kết",
            name_en="Solidarity houses",
            unit_vi="căn",
            unit_en="houses",
            section="welfare",
        )
    )
    (folder / "thoai_son.yaml").write_text(
        yaml.safe_dump(doc, allow_unicode=True, sort_keys=False), encoding="utf-8"
    )
    out = tmp_path / "t.xlsx"
    code, _, _ = run(
        capsys,
        "template",
        "--district",
        "thoai son",
        "--year",
        "2024",
        "--out",
        str(out),
        "--catalogue",
        str(folder),
    )
    assert code == 0
    wb = openpyxl.load_workbook(out)
    assert "nha_dai_doan_ket" in layout(wb["An sinh xã hội"])[1]
    assert "moi_truong" in wb.sheetnames and "cay_xanh" in layout(wb["moi_truong"])[1]
    assert any(c.value == "Số cây xanh trồng mới" for row in wb["Hướng dẫn"].iter_rows() for c in row)


def test_text_that_looks_like_a_formula_stays_text(cat, reg, tmp_path):
    spec = template_spec(cat, reg, "894", 2024)
    evil = Unit("30682", '=HYPERLINK("http://x","y")', "x", "Xã", "commune", "894", "89", None, None)
    from baocao.excel.spec import FormRow

    wb = build_workbook(
        spec.for_rows(
            (FormRow(evil, "=1+1"), FormRow(evil, "@SUM(A1)"), FormRow(evil, "+1"), FormRow(evil, "-2"))
        )
    )
    path = tmp_path / "evil.xlsx"
    wb.save(path)
    assert "<f>" not in zipfile.ZipFile(path).read("xl/worksheets/sheet2.xml").decode()
    ws = openpyxl.load_workbook(path)["Học tập chuyên đề"]
    assert [ws.cell(r, 3).value for r in range(7, 11)] == ["=1+1", "@SUM(A1)", "+1", "-2"]
    assert all(ws.cell(r, 3).data_type == "s" and ws.cell(r, 3).quotePrefix for r in range(7, 11))


def test_per_commune_writes_one_workbook_per_unit(tmp_path, capsys, obs2024, data):
    code, out, _ = run(
        capsys, "template", "--district", "894", "--year", "2024", "--per-commune", str(tmp_path)
    )
    assert code == 0
    files = sorted(p.name for p in tmp_path.glob("*.xlsx"))
    assert not (tmp_path / "bieu_mau_thoai_son_2024.xlsx").exists()
    assert len(files) == 18 and "bieu_mau_2024_30682_nui_sap.xlsx" in files
    one = tmp_path / "bieu_mau_2024_30718_vinh_khanh.xlsx"
    ws = openpyxl.load_workbook(one)["Học tập chuyên đề"]
    assert layout(ws)[2] == {"30718": 7} and "Vĩnh Khánh" in ws["B1"].value
    # a commune's own workbook imports like the district one
    filled = tmp_path / "filled" / one.name
    filled.parent.mkdir()
    n = fill(one, filled, obs2024, {"30718"})
    code, out, _ = run(capsys, "import", str(filled), "--data", str(data))
    assert code == 0 and f"{n} trùng" in out and "0 xung đột" in out


# ----------------------------------------------------------------------------- round trip


def test_round_trip_identical_values_are_ignored(template, obs2024, data, tmp_path, capsys):
    filled = tmp_path / "filled.xlsx"
    n = fill(template, filled, obs2024, {"30682", "30718"})
    before = data.read_bytes()
    code, out, err = run(capsys, "import", str(filled), "--data", str(data))
    assert code == 0, out + err
    assert f"{n} ô có số liệu" in out and "0 số mới" in out and f"{n} trùng" in out and "0 xung đột" in out
    assert data.read_bytes() == before
    assert not (data.parent / "journal.csv").exists()


def test_conflict_replace_journal_and_undo(template, obs2024, data, tmp_path, capsys):
    filled = tmp_path / "changed.xlsx"

    def change(wb):
        ws = wb["Kinh tế - xã hội"]
        _, cols, rows = layout(ws)
        ws.cell(rows["30682"], cols["dan_so"], 15000)

    fill(template, filled, obs2024, {"30682"}, change)
    before = data.read_bytes()
    old = obs2024[(obs2024["unit"] == "30682") & (obs2024["element"] == "dan_so")]["value"].item()
    code, out, _ = run(capsys, "import", str(filled), "--data", str(data), "--lang", "en")
    assert code == 0
    assert (
        "1 conflict" in out
        and f"old {old} → new 15000" in out
        and "Biểu mẫu changed.xlsx (sheet Kinh tế - xã hội)" in out
        and "cell D7" in out
    )
    assert data.read_bytes() == before  # not applied without --replace

    code, out, _ = run(capsys, "import", str(filled), "--data", str(data), "--replace")
    assert code == 0
    rows = read_csv_strings(data)
    row = rows[(rows["unit"] == "30682") & (rows["year"] == "2024") & (rows["element"] == "dan_so")].iloc[0]
    assert row["value"] == "15000" and row["source"] == "Biểu mẫu changed.xlsx (sheet Kinh tế - xã hội)"
    journal = read_journal(data.parent / "journal.csv")
    assert len(journal) == 1
    j = journal.iloc[0]
    assert (
        j["action"],
        j["unit"],
        j["year"],
        j["element"],
        j["old_value"],
        j["new_value"],
        j["source_file"],
    ) == ("replace", "30682", "2024", "dan_so", old, "15000", "changed.xlsx")
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", j["timestamp"]) and j["user"]
    batch = j["batch"]
    assert f"--undo {batch}" in out

    code, out, _ = run(capsys, "import", "--undo", batch, "--data", str(data))
    assert code == 0
    assert data.read_bytes() == before
    code, _, err = run(capsys, "import", "--undo", batch, "--data", str(data))
    assert code == 2 and "already undone" in err
    code, _, err = run(capsys, "import", "--undo", "20990101T000000Z-beef", "--data", str(data))
    assert code == 2 and "no import batch" in err and batch in err


BATCH = re.compile(r"\d{8}T\d{6}Z-[0-9a-f]{4}")


def test_import_and_undo_say_word_for_word(template, obs2024, data, tmp_path, capsys):
    """Every line the import and its undo print, pinned in both languages: the forms read, problems
    in place order, counts, conflicts, the outcome (standard error when blocked) and how to undo."""
    changed = tmp_path / "changed.xlsx"

    def change(wb):
        ws = wb["Kinh tế - xã hội"]
        _, cols, rows = layout(ws)
        ws.cell(rows["30682"], cols["dan_so"], 15000)
        ws.cell(8, 20).value = "ghi chú"  # T8: an extra column, a warning
        ws.cell(7, 20).value = "x"  # T7: the same column, higher up: named first

    fill(template, changed, obs2024, {"30682"}, change)
    bad = tmp_path / "bad.xlsx"

    def spoil(wb):
        ws = wb["Khen thưởng"]
        ws["D8"] = -1  # below the minimum
        ws["D7"] = "4.489"  # named before D8

    fill(template, bad, obs2024, set(), spoil)
    d = str(data)
    code, out, err = run(capsys, "import", str(changed), str(bad), "--data", d, "--lang", "en", "--dry-run")
    assert (code, err) == (1, "2 problem(s); nothing written. Fix the form(s) and run again.\n")
    assert out == (
        f"Import: changed.xlsx, bad.xlsx → {d}\n"
        'bad.xlsx, sheet "Khen thưởng", cell D7: "4.489" is text in Vietnamese number style (thousands dot); '
        'type 4489 — "4.489" là số viết kiểu Việt Nam (dấu chấm phân nhóm nghìn); hãy nhập 4489\n'
        'bad.xlsx, sheet "Khen thưởng", cell D8: Collectives commended for following Ho Chi Minh\'s example: '
        "-1 is below the minimum 0 — Tập thể được khen thưởng trong học tập và làm theo Bác: -1 nhỏ hơn giá "
        "trị tối thiểu 0\n"
        'changed.xlsx, sheet "Kinh tế - xã hội", cell T7 [warning]: column T is not part of the form (no '
        "code in the hidden row); ignored — cột T không thuộc biểu mẫu (không có mã ở dòng ẩn); bỏ qua\n"
        "  17 filled cells in 10 sheet(s): 0 new, 15 identical to the data (ignored), 2 conflict(s).\n"
        "  Conflicts (the data file has another value), NOT applied — run again with --replace to apply:\n"
        "    30682 Thị trấn Núi Sập | 2024 | dan_so | – | old 11079 → new 15000 | Biểu mẫu changed.xlsx "
        "(sheet Kinh tế - xã hội), cell D7\n"
        "    30685 Thị trấn Phú Hòa | 2024 | khen_thuong_tap_the | – | old 3 → new -1 | Biểu mẫu bad.xlsx "
        "(sheet Khen thưởng), cell D8\n"
    )
    code, out, err = run(capsys, "import", str(changed), "--data", d, "--replace")
    assert (code, err) == (0, "")
    assert BATCH.sub("BATCH", out) == (
        f"Nhập biểu mẫu: changed.xlsx → {d}\n"
        'changed.xlsx, trang "Kinh tế - xã hội", ô T7 [cảnh báo]: cột T không thuộc biểu mẫu (không có mã ở '
        "dòng ẩn); bỏ qua — column T is not part of the form (no code in the hidden row); ignored\n"
        "  16 ô có số liệu trong 5 trang: 0 số mới, 15 trùng với số đã có (bỏ qua), 1 xung đột.\n"
        "  Xung đột (số đã có khác số mới), sẽ thay:\n"
        "    30682 Thị trấn Núi Sập | 2024 | dan_so | – | cũ 11079 → mới 15000 | Biểu mẫu changed.xlsx "
        "(sheet Kinh tế - xã hội), ô D7\n"
        f"Đã ghi 0 số mới và thay 1 số vào {d}; nhật ký {data.parent / 'journal.csv'}, lô BATCH.\n"
        f"Hoàn tác: ./run baocao import --undo BATCH --data {d}\n"
    )
    batch = BATCH.search(out).group()
    code, out, err = run(capsys, "import", "--undo", batch, "--data", d, "--lang", "en", "--dry-run")
    assert (code, out, err) == (0, f"Dry run: would undo 1 change(s) of batch {batch}.\n", "")
    code, out, err = run(capsys, "import", "--undo", batch, "--data", d, "--lang", "en")
    assert (code, err) == (0, "")
    assert BATCH.sub("BATCH", out) == f"Undid 1 change(s) of batch BATCH in {d} (journal: batch BATCH).\n"
    code, out, err = run(capsys, "import", str(changed), "--data", d)
    assert (code, err) == (0, "") and out.endswith("\nKhông có gì thay đổi; tệp số liệu giữ nguyên.\n")


def test_added_rows_keep_the_file_sorted_and_undo_restores_bytes(template, obs2024, data, tmp_path, capsys):
    rows = read_csv_strings(data)
    keep = ~((rows["unit"] == "30718") & (rows["year"] == "2024"))
    data.write_text(rows[keep].to_csv(index=False, lineterminator="\n"), encoding="utf-8")
    truncated = data.read_bytes()
    filled = tmp_path / "vinh_khanh.xlsx"
    n = fill(template, filled, obs2024, {"30718"})
    code, out, _ = run(capsys, "import", str(filled), "--data", str(data))
    assert code == 0 and f"{n} số mới" in out
    after = read_csv_strings(data)
    assert len(after) == len(rows)
    keys = list(zip(after["year"], after["unit"], after["element"], after["category"]))
    assert keys == sorted(keys) == list(zip(rows["year"], rows["unit"], rows["element"], rows["category"]))
    assert after["value"].tolist() == rows["value"].tolist()
    journal = read_journal(data.parent / "journal.csv")
    assert len(journal) == n and set(journal["action"]) == {"add"}
    code, _, _ = run(capsys, "import", "--undo", journal["batch"].iloc[0], "--data", str(data))
    assert code == 0 and data.read_bytes() == truncated


def test_dry_run_writes_nothing(template, obs2024, data, tmp_path, capsys):
    rows = read_csv_strings(data)
    data.write_text(rows[rows["unit"] != "30682"].to_csv(index=False, lineterminator="\n"), encoding="utf-8")
    before = data.read_bytes()
    filled = tmp_path / "f.xlsx"
    fill(template, filled, obs2024, {"30682"})
    code, out, _ = run(capsys, "import", str(filled), "--data", str(data), "--dry-run")
    assert code == 0 and "Chạy thử" in out and data.read_bytes() == before
    assert not (data.parent / "journal.csv").exists()


# ----------------------------------------------------------------------------- problems


def test_bad_workbook_every_problem_one_line_nothing_written(template, obs2024, data, tmp_path, capsys):
    bad = tmp_path / "bad.xlsx"

    def spoil(wb):
        ws = wb["Học tập chuyên đề"]
        _, cols, rows = layout(ws)
        ws.cell(7, cols["hn_so|tk2125"]).value = "4.489"  # D7: text in Vietnamese style
        ws.cell(8, cols["hn_so|cd2024"]).value = -3  # E8: negative count
        ws.cell(9, 1).value = "99999"  # unknown commune code (hidden column A)
        ws.cell(9, cols["hn_so|cd2024"]).value = 5
        ws2 = wb["Kinh tế - xã hội"]
        _, cols2, _ = layout(ws2)
        ws2.cell(10, cols2["truong_chuan_qg"]).value = 99  # more standard schools than schools (rule R02)
        ws2.cell(11, 20).value = "ghi chú"  # an extra column: a warning only

    fill(template, bad, obs2024, {"30682", "30685", "30691", "30692"}, spoil)
    before = data.read_bytes()
    code, out, err = run(capsys, "import", str(bad), "--data", str(data), "--lang", "en")
    assert code == 1 and "nothing written" in err
    assert data.read_bytes() == before and not (data.parent / "journal.csv").exists()
    lines = out.splitlines()
    expect = [
        'bad.xlsx, sheet "Học tập chuyên đề", cell D7: "4.489" is text in Vietnamese number style (thousands '
        "dot); type 4489",
        'bad.xlsx, sheet "Học tập chuyên đề", cell E8: ',  # below the minimum
        'bad.xlsx, sheet "Học tập chuyên đề", cell A9: unit code “99999” (hidden column A) is not a commune '
        "of Huyện Thoại Sơn (894)",
        'bad.xlsx, sheet "Kinh tế - xã hội", cell G10: Standard schools must not exceed schools',  # rule R02
        'bad.xlsx, sheet "Kinh tế - xã hội", cell T11 [warning]: column T is not part of the form',
    ]
    for e in expect:
        assert sum(line.startswith(e) for line in lines) == 1, (e, out)
    assert "cell E8: Study conferences held: -3 is below the minimum 0" in out
    assert "(rule R02)" in out
    assert sum(1 for line in lines if line.startswith("bad.xlsx")) == len(
        expect
    )  # nothing else, nothing twice
    # the same problems in Vietnamese
    code, out, _ = run(capsys, "import", str(bad), "--data", str(data))
    assert code == 1
    assert (
        'bad.xlsx, trang "Học tập chuyên đề", ô D7: "4.489" là số viết kiểu Việt Nam (dấu chấm phân nhóm '
        "nghìn); hãy nhập 4489" in out
    )


def test_renamed_sheet_hidden_columns_text_numbers_and_formulas(template, obs2024, data, tmp_path, capsys):
    """Sheets are found by the hidden code row; numbers stored as text, trailing spaces and cached formula
    values are read.
    """
    rows = read_csv_strings(data)
    data.write_text(rows[rows["unit"] != "30691"].to_csv(index=False, lineterminator="\n"), encoding="utf-8")
    f = tmp_path / "renamed.xlsx"

    def edit(wb):
        ws = wb["Kinh tế - xã hội"]
        ws.title = "KTXH xã Tây Phú"
        _, cols, rws = layout(ws)
        ws.cell(rws["30691"], cols["dan_so"]).value = "9876 "  # number stored as text, trailing space
        ws.cell(rws["30691"], cols["ho_tong"]).value = "=2000+500"  # formula: cached value injected below
        ws.column_dimensions["E"].hidden = True
        ws.cell(15, cols["dan_so"]).value = None

    fill(template, f, obs2024, {"30691"}, edit)
    # openpyxl writes no cached value; add one as Excel would (<v>2500</v>)
    buf = io.BytesIO()
    with zipfile.ZipFile(f) as zin, zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zout:
        for item in zin.infolist():
            body = zin.read(item.filename)
            if item.filename.startswith("xl/worksheets/sheet"):  # whichever sheet holds the formula
                body = re.sub(
                    rb"<f>2000\+500</f><v\s*/>|<f>2000\+500</f><v></v>", b"<f>2000+500</f><v>2500</v>", body
                )
            zout.writestr(item, body)
    f.write_bytes(buf.getvalue())
    code, out, err = run(capsys, "import", str(f), "--data", str(data), "--lang", "en")
    assert code == 0, out + err
    assert "the formula =2000+500; its computed value 2500 was taken" in out
    after = read_csv_strings(data)
    mine = after[(after["unit"] == "30691") & (after["year"] == "2024")].set_index("element")
    assert mine.loc["dan_so", "value"] == "9876" and mine.loc["ho_tong", "value"] == "2500"
    assert mine.loc["dan_so", "source"] == "Biểu mẫu renamed.xlsx (sheet KTXH xã Tây Phú)"
    assert mine.loc["ntm_dat_chuan", "value"] in ("0", "1")


def test_formula_without_cached_value_is_a_problem(template, obs2024, data, tmp_path, capsys):
    f = tmp_path / "nocache.xlsx"

    def edit(wb):
        ws = wb["Khen thưởng"]
        ws["D7"] = "=1+1"

    fill(template, f, obs2024, set(), edit)
    code, out, _ = run(capsys, "import", str(f), "--data", str(data), "--lang", "en")
    assert code == 1
    assert (
        'nocache.xlsx, sheet "Khen thưởng", cell D7: the cell holds the formula =1+1 with no computed value'
        in out
    )


def test_name_instead_of_code_and_unknown_name(template, data, tmp_path, capsys):
    f = tmp_path / "names.xlsx"
    wb = openpyxl.load_workbook(template)
    ws = wb["Khen thưởng"]
    ws["A7"], ws["C7"], ws["D7"] = None, "Núi Sập", 2  # code deleted, name kept: matched by name
    ws["A8"], ws["C8"], ws["D8"] = None, "Xã Không Có", 1
    ws["C9"], ws["D9"] = "Xã Óc Eo", 1  # name contradicts the hidden code 30691 of row 9? (row 9 is Óc Eo)
    ws["C10"], ws["D10"] = "Vĩnh Khánh", 1  # row 10 is 30691 Tây Phú
    wb.save(f)
    code, out, _ = run(capsys, "import", str(f), "--data", str(data), "--lang", "en", "--dry-run")
    assert code == 1
    assert "cell C8: no commune “Xã Không Có” in Huyện Thoại Sơn" in out
    assert "cell C10: the name “Vĩnh Khánh” is Xã Vĩnh Khánh but the row's hidden code is 30691" in out
    assert "C7" not in out and "C9" not in out


@pytest.mark.parametrize(
    "content, expect",
    [
        (os.urandom(4096), "not an Excel .xlsx file (not a zip archive"),
        (
            bytes.fromhex("D0CF11E0A1B11AE1") + "EncryptionInfo".encode("utf-16-le") + bytes(512),
            "password-protected (encrypted)",
        ),
        (bytes.fromhex("D0CF11E0A1B11AE1") + bytes(512), "old Excel 97–2003 (.xls)"),
        ("ods", "OpenDocument spreadsheet (.ods)"),
        ("links", "links to other workbooks"),
    ],
    ids=["garbage", "encrypted", "xls", "ods", "external-links"],
)
def test_unsafe_or_unreadable_files_are_refused(content, expect, template, data, tmp_path, capsys):
    f = tmp_path / "x.xlsx"
    if content == "ods":
        with zipfile.ZipFile(f, "w") as z:
            z.writestr("mimetype", "application/vnd.oasis.opendocument.spreadsheet")
            z.writestr("content.xml", "<x/>")
    elif content == "links":
        buf = io.BytesIO()
        with zipfile.ZipFile(template) as zin, zipfile.ZipFile(buf, "w") as zout:
            for item in zin.infolist():
                zout.writestr(item, zin.read(item.filename))
            zout.writestr("xl/externalLinks/externalLink1.xml", "<externalLink/>")
        f.write_bytes(buf.getvalue())
    else:
        f.write_bytes(content)
    before = data.read_bytes()
    code, out, err = run(capsys, "import", str(f), "--data", str(data), "--lang", "en")
    assert code == 1 and data.read_bytes() == before
    line = next(line for line in out.splitlines() if line.startswith("x.xlsx: "))
    assert expect in line


def test_zip_bomb_is_refused_before_openpyxl(data, tmp_path, capsys, monkeypatch):
    f = tmp_path / "bomb.xlsx"
    with zipfile.ZipFile(f, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr("xl/workbook.xml", "<workbook/>")
        with z.open("xl/worksheets/sheet1.xml", "w") as part:
            for _ in range(101):
                part.write(bytes(2**20))
    assert f.stat().st_size < 2**20
    import baocao.excel.files as ioexcel

    monkeypatch.setattr(
        "openpyxl.load_workbook", lambda *a, **k: pytest.fail("openpyxl must not open a zip bomb")
    )
    with pytest.raises(ioexcel.WorkbookRefused, match="possible zip bomb"):
        ioexcel.read_workbook(f)
    code, out, _ = run(capsys, "import", str(f), "--data", str(data), "--lang", "en")
    assert code == 1 and "uncompressed the workbook would take 101 MiB (limit 100 MiB)" in out


# ----------------------------------------------------------------------------- CSV exports


def _csv_from_sheet(xlsx, sheet, delimiter, vi_style):
    """A sheet as a CSV export 'as shown': Vietnamese style (1.234,5) or machine style."""
    ws = openpyxl.load_workbook(xlsx)[sheet]
    out = io.StringIO()
    w = csv.writer(out, delimiter=delimiter, lineterminator="\r\n")
    for row in ws.iter_rows():
        vals = []
        for c in row:
            v = c.value
            if isinstance(v, (int, float)) and vi_style:
                v = (
                    f"{v:,.1f}"
                    if c.number_format == "#,##0.0"
                    else (f"{v:,}" if isinstance(v, int) else f"{v:,.1f}")
                )
                v = v.replace(",", "X").replace(".", ",").replace("X", ".")
            vals.append("" if v is None else v)
        w.writerow(vals)
    return out.getvalue()


@pytest.mark.parametrize(
    "delimiter, vi_style, bom", [(";", True, True), (",", False, False)], ids=["vi-semicolon", "comma-utf8"]
)
def test_csv_export_is_imported(delimiter, vi_style, bom, template, obs2024, data, tmp_path, capsys):
    filled = tmp_path / "filled.xlsx"
    fill(template, filled, obs2024, {"30682", "30700"})
    paths = []
    for sheet in SHEETS[1:]:
        p = tmp_path / f"filled-{sheet}.csv"
        p.write_bytes(
            (b"\xef\xbb\xbf" if bom else b"")
            + _csv_from_sheet(filled, sheet, delimiter, vi_style).encode("utf-8")
        )
        paths.append(str(p))
    if vi_style:
        assert ";1.234,5;" in Path(paths[0]).read_text(encoding="utf-8-sig")
        assert "64,8" in Path(paths[1]).read_text(encoding="utf-8-sig") or True
    before = data.read_bytes()
    code, out, err = run(capsys, "import", *paths, "--data", str(data))
    assert code == 0, out + err
    assert " 0 số mới" in out and "0 xung đột" in out and data.read_bytes() == before


def test_csv_of_the_instructions_sheet_is_refused(tmp_path, data, capsys):
    p = tmp_path / "huong_dan.csv"
    p.write_text("BIỂU MẪU SỐ LIỆU NĂM 2024\nHướng dẫn\n", encoding="utf-8")
    code, out, _ = run(capsys, "import", str(p), "--data", str(data), "--lang", "en")
    assert code == 1 and "huong_dan.csv: no baocao form found" in out


# ----------------------------------------------------------------------------- a real client: LibreOffice


LO_LOCALE = """<?xml version="1.0" encoding="UTF-8"?>
<oor:items xmlns:oor="http://openoffice.org/2001/registry" xmlns:xs="http://www.w3.org/2001/XMLSchema" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
<item oor:path="/org.openoffice.Setup/L10N">
<prop oor:name="ooSetupSystemLocale" oor:op="fuse"><value>{locale}</value></prop></item>
</oor:items>
"""


def _soffice(tmp_path, target, src, outdir, locale=None):
    """Run LibreOffice headless with its own profile; ``locale`` (e.g. vi-VN) as set in Tools › Options ›
    Languages.
    """
    profile = tmp_path / "lo-profile"
    if locale:
        (profile / "user").mkdir(parents=True, exist_ok=True)
        (profile / "user" / "registrymodifications.xcu").write_text(
            LO_LOCALE.format(locale=locale), encoding="utf-8"
        )
    env = dict(os.environ, LC_ALL="C.UTF-8")
    subprocess.run(
        [
            SOFFICE,
            f"-env:UserInstallation={profile.as_uri()}",
            "--headless",
            "--convert-to",
            target,
            "--outdir",
            str(outdir),
            str(src),
        ],
        check=True,
        capture_output=True,
        timeout=180,
        env=env,
    )


@needs_soffice
def test_libreoffice_resaved_workbook_is_imported(template, obs2024, data, tmp_path, capsys):
    filled = tmp_path / "filled.xlsx"
    n = fill(template, filled, obs2024, {"30682", "30727"})
    outdir = tmp_path / "lo"
    _soffice(tmp_path, "xlsx:Calc MS Excel 2007 XML", filled, outdir)
    resaved = outdir / "filled.xlsx"
    assert resaved.read_bytes() != filled.read_bytes()
    wb = openpyxl.load_workbook(resaved)
    ws = wb["Học tập chuyên đề"]
    assert code_row(ws) == 6 and ws.protection.sheet and ws.data_validations.dataValidation
    before = data.read_bytes()
    code, out, err = run(capsys, "import", str(resaved), "--data", str(data))
    assert code == 0, out + err
    assert f"{n} ô có số liệu" in out and f"{n} trùng" in out and "0 xung đột" in out
    assert data.read_bytes() == before


@needs_soffice
def test_libreoffice_vietnamese_csv_export_is_imported(template, obs2024, data, tmp_path, capsys):
    filled = tmp_path / "filled.xlsx"
    n = fill(template, filled, obs2024, {"30685", "30709"})
    outdir = tmp_path / "csv"
    # ';' separated, '"' quoted, UTF-8 (76), header line, …, "as shown" (true), every sheet (-1): one
    # CSV per sheet
    _soffice(
        tmp_path,
        "csv:Text - txt - csv (StarCalc):59,34,76,1,,0,false,true,true,false,false,-1",
        filled,
        outdir,
        locale="vi-VN",
    )
    files = sorted(outdir.glob("*.csv"))
    assert len(files) == 6
    socio = next(p for p in files if "Kinh tế" in p.name).read_text(encoding="utf-8")
    assert ";1.234,5;" in socio  # Vietnamese number style, as shown
    data_csv = [str(p) for p in files if "Hướng dẫn" not in p.name]
    before = data.read_bytes()
    code, out, err = run(capsys, "import", *data_csv, "--data", str(data))
    assert code == 0, out + err
    assert "số đọc theo kiểu 1.234,5" in out
    assert f"{n} ô có số liệu" in out and f"{n} trùng" in out and "0 xung đột" in out
    assert data.read_bytes() == before


# ----------------------------------------------------------------------------- the reader, without files


def _grid(rows, kind="csv", file="f.csv", sheet=None):
    from baocao.excel.reader import Grid

    cells = {
        (r, c): v
        for r, row in enumerate(rows, start=1)
        for c, v in enumerate(row, start=1)
        if v not in (None, "")
    }
    return Grid(file=file, sheet=sheet, cells=cells, kind=kind)


CODE_ROW = [
    "#baocao v1 year=2024 district=894 section=socio",
    "1234,5",
    "#name",
    "dan_so",
    "thu_nhap_bq",
    "ntm_dat_chuan",
    "ntm_nang_cao",
]


@pytest.mark.parametrize(
    "probe, cells, expect",
    [
        ("1.234,5", ["11.079", "81,6"], (11079, 81.6)),  # Vietnamese, as shown
        ("1234,5", ["11079", "81,65"], (11079, 81.65)),  # Vietnamese, raw
        ("1,234.5", ["11,079", "81.6"], (11079, 81.6)),  # English, as shown
        ("1234.5", ["11079", "81.6"], (11079, 81.6)),  # machine
    ],
)
def test_csv_number_style_comes_from_the_probe_cell(probe, cells, expect, cat, reg):
    from baocao.excel.reader import read_forms

    rows = [
        ["title"],
        [CODE_ROW[0], probe, *CODE_ROW[2:]],
        ["30682", "1", "Thị trấn Núi Sập", *cells, "có", " 0 "],
    ]
    form = read_forms([_grid(rows)], cat, reg)
    assert form.problems == []
    got = dict(zip(form.items["element"], form.items["value"]))
    assert (got["dan_so"], got["thu_nhap_bq"], got["ntm_dat_chuan"], got["ntm_nang_cao"]) == (
        *expect,
        1.0,
        0.0,
    )


def test_reader_problems_without_files(cat, reg):
    import datetime as dt

    from baocao.excel.reader import read_forms

    code_row = [
        "#baocao v1 year=2024 district=894 section=socio",
        1234.5,
        "#name",
        "dan_so",
        "ho_tong",
        "khong_co",
    ]
    a = _grid(
        [
            code_row,
            ["30682", 1, "Núi Sập", 100, dt.datetime(2024, 3, 4), None],
            ["30685", 2, "Phú Hòa", "1,5", 7, None],
        ],
        kind="xlsx",
        file="a.xlsx",
        sheet="S",
    )
    b = _grid([code_row, ["30682", 1, "Núi Sập", 101, None, None]], kind="xlsx", file="b.xlsx", sheet="S")
    form = read_forms([a, b], cat, reg)
    msgs = {(p["file"], p["cell"]): p["message_en"] for p in form.problems}
    assert "is not in the catalogue" in msgs[("a.xlsx", "F1")]
    assert "is a date, not a number" in msgs[("a.xlsx", "E2")]
    assert "decimal comma" in msgs[("a.xlsx", "D3")] or "comma" in msgs[("a.xlsx", "D3")]
    assert "given several times with different values" in msgs[("a.xlsx", "D2")] and ("b.xlsx", "D2") in msgs
    assert list(form.items["element"]) == ["ho_tong"]  # the only value that is certain


# ----------------------------------------------------------------------------- periods


def test_whole_term_topic_is_imported_as_a_period_never_as_the_form_year(
    template, obs2024, data, tmp_path, capsys
):
    """The 2024 form has a column for the whole-term topic (2021–2025); its values are period rows."""
    wb = openpyxl.load_workbook(template)
    ws = wb["Học tập chuyên đề"]
    r, cols, _ = layout(ws)
    assert "hn_so|tk2125" in cols
    assert "cả kỳ" in str(ws.cell(r - 1, cols["hn_so|tk2125"]).value) or any(
        "cả kỳ" in str(ws.cell(i, cols["hn_so|tk2125"]).value or "") for i in range(1, r)
    )
    df = read_csv_strings(DATA)
    term = df[df["year"] == "2021-2025"]
    assert len(term) == 51
    # identical period values are recognised as the same rows: nothing new, nothing written
    filled = tmp_path / "term.xlsx"
    n = fill(template, filled, pd_concat(obs2024, term), {"30682"})
    before = data.read_bytes()
    code, out, err = run(capsys, "import", str(filled), "--data", str(data))
    assert code == 0, out + err
    assert "0 số mới" in out and f"{n} trùng" in out and data.read_bytes() == before
    # without the commune's period rows in the data file, the form adds them — for 2021-2025
    lines = data.read_text(encoding="utf-8").splitlines(keepends=True)
    data.write_text("".join(ln for ln in lines if not ln.startswith("30682,2021-2025,")), encoding="utf-8")
    code, out, err = run(capsys, "import", str(filled), "--data", str(data))
    assert code == 0, out + err
    after = read_csv_strings(data)
    added = after[(after["unit"] == "30682") & (after["category"] == "tk2125")]
    assert sorted(added["year"].unique()) == ["2021-2025"] and len(added) == 3
    assert not ((after["year"] == "2024") & (after["category"] == "tk2125")).any()


def pd_concat(*frames):
    import pandas as pd

    return pd.concat(frames, ignore_index=True)


# ----------------------------------------------------------------------------- files as offices keep them


def test_import_into_a_file_saved_by_excel_in_a_vietnamese_locale_keeps_it_so(
    template, data, tmp_path, capsys
):
    """The data file is ';'-separated with a BOM, CRLF and a decimal comma (validate reads it): the
    import reads it too, writes the new values its way (71,25), keeps its separator, BOM and line
    ends, and the undo gives the same bytes back."""
    vi_file = (
        "\ufeffunit;year;element;category;value;source;note\r\n"
        "30682;2024;dan_so;;24512;Công an xã;\r\n"
        '30682;2024;thu_nhap_bq;;68,5;Chi cục Thống kê;"ước tính; chưa chính thức"\r\n'
    ).encode("utf-8")
    data.write_bytes(vi_file)
    filled = tmp_path / "f.xlsx"

    def edit(wb):
        ws = wb["Kinh tế - xã hội"]
        _, cols, rows = layout(ws)
        ws.cell(rows["30685"], cols["thu_nhap_bq"], 71.25)
        ws.cell(rows["30685"], cols["dan_so"], 30000)

    fill(template, filled, read_csv_strings(data).iloc[0:0], set(), edit)
    code, out, _ = run(capsys, "import", str(filled), "--data", str(data))
    assert code == 0, out
    text = data.read_bytes()
    assert text.startswith(vi_file[: vi_file.index(b"\r\n") + 2])  # the same header, BOM and line end
    assert (
        b"30685;2024;thu_nhap_bq;;71,25;" in text and text.count(b"\n") == text.count(b"\r\n") == 5
    )  # header, 2 + 2 rows
    assert run(capsys, "validate", str(data))[0] == 0
    batch = read_journal(data.parent / "journal.csv")["batch"].iloc[0]
    assert run(capsys, "import", "--undo", batch, "--data", str(data))[0] == 0
    assert data.read_bytes() == vi_file


def test_a_value_with_three_decimals_is_written_so_it_cannot_read_as_thousands(
    template, data, tmp_path, capsys
):
    """71.125 from a form cell is written 71.1250: '71.125' would be refused as ambiguous."""
    data.write_text(
        "unit,year,element,category,value,source,note\n30682,2024,dan_so,,24512,x,\n", encoding="utf-8"
    )
    filled = tmp_path / "f.xlsx"

    def edit(wb):
        ws = wb["Kinh tế - xã hội"]
        _, cols, rows = layout(ws)
        ws.cell(rows["30685"], cols["thu_nhap_bq"], 71.125)

    fill(template, filled, read_csv_strings(data).iloc[0:0], set(), edit)
    code, out, _ = run(capsys, "import", str(filled), "--data", str(data))
    assert code == 0, out
    assert "30685,2024,thu_nhap_bq,,71.1250," in data.read_text(encoding="utf-8")
    assert run(capsys, "validate", str(data))[0] == 0


def test_an_unreadable_csv_form_is_named_once_in_each_language(data, tmp_path, capsys):
    f = tmp_path / "w1258.csv"
    f.write_bytes("a,b\nNúi Sơn,1\n".encode("cp1258"))
    code, out, _ = run(capsys, "import", str(f), "--data", str(data), "--dry-run")
    assert code == 1
    line = next(ln for ln in out.splitlines() if ln.startswith("w1258.csv"))
    assert line.count("w1258.csv") == 1 and line.count("Windows-1258") == 2  # once per language
    assert "dòng 2: không phải mã UTF-8" in line and "line 2: not UTF-8" in line


def test_the_undo_line_is_the_readme_command(template, obs2024, data, tmp_path, capsys):
    rows = read_csv_strings(data)
    data.write_text(rows[rows["unit"] != "30682"].to_csv(index=False, lineterminator="\n"), encoding="utf-8")
    filled = tmp_path / "f.xlsx"
    fill(template, filled, obs2024, {"30682"})
    code, out, _ = run(capsys, "import", str(filled), "--data", str(data))
    assert code == 0 and "Hoàn tác: ./run baocao import --undo " in out
