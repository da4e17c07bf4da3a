"""Tables that are data: a cell's figure and mark read apart, the page's tidy CSV, the workbook of
numbers with its notes sheet, and text a spreadsheet would run kept as text.

The table is made by the reports' own writers (``kit.html_table`` of ``fig_html`` spans), the page
by the builder's HTML export, the files by the export code; pandas, openpyxl and (as a real
client) LibreOffice read them back. On CI (``CI=true``) a missing LibreOffice fails the test.
"""

from __future__ import annotations

import base64
import csv
import io
import os
import shutil
import subprocess
from decimal import Decimal

import pandas as pd
import pytest
from bs4 import BeautifulSoup
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook, new_output

from baocao.build.html import export_html
from baocao.export import blocks as exports
from baocao.export.workbook import Coverage, workbook_bytes
from baocao.reports.kit import html_table
from baocao.reports.local.marks import Fig, fig_html

SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")
ON_CI = os.environ.get("CI", "").lower() in ("1", "true", "yes")
TITLE = "Báo cáo thử — Huyện Thoại Sơn, 2024"
LINK = '=HYPERLINK("http://evil.example/","bấm vào đây")'  # a unit name that would be a formula
AT = "@SUM(1+1)"  # a row label
DDE = "=cmd|' /C calc'!A0"  # a source (the page's sources section)
PLUS = "+1+1 Tỷ lệ"  # a column heading
MH = "số liệu minh họa, sinh tự động — không phải số liệu thật"


def _about(unit, name, code, label, measure, period="2024"):
    return (
        ("unit", unit),
        ("unit-name", name),
        ("period", period),
        ("code", code),
        ("name", label),
        ("measure", measure),
    )


def _fig(text, kind, value, about, pub=None, note=None):
    return fig_html(Fig(text, kind, pub, value, about), "vi", note)


def report_notebook():
    """A report as the kernel shows it: front matter (banner, sources), a table of figures with
    their marks and identity, a table of rules (no figures), the footnotes."""
    conf = "Số hội nghị học tập, quán triệt"
    rate = "Tỷ lệ đảng viên tham dự học tập chuyên đề"
    rows = [
        ("Thị trấn Núi Sập", "30682", "17.939", 17939, "published", "99,34%", 99.34),
        ("Xã Óc Eo", "30688", "4.054", 4054, "computed", "96,87%", 96.87),
        (AT, "30727", "1.234", 1234, "illustrative", "80,50%", 80.5),
    ]
    table = pd.DataFrame(
        [
            {
                "Xã, thị trấn": label,
                "Hội nghị": _fig(
                    text,
                    kind,
                    value,
                    _about(code, LINK if label == AT else label, "hn_so", conf, "hội nghị"),
                    "P01" if kind == "published" else None,
                    1 if kind == "published" else None,
                ),
                PLUS: _fig(pct, "illustrative", pv, _about(code, label, "ty_le_dv_tham_du", rate, "%")),
                "Chỉ tiêu": "≥ 95%",
                "Đánh giá": "đạt",
            }
            for label, code, text, value, kind, pct, pv in rows
        ]
    )
    rules = pd.DataFrame([{"Mã": "R01", "Quy tắc": "-1 không được âm", "Mức": "chặn"}])

    def html(text):
        return new_output(
            "execute_result", execution_count=1, data={"text/html": str(text), "text/plain": "x"}
        )

    front = (
        f'<h1 class="report-title">{TITLE}</h1>'
        '<div class="banner-illustrative">Số liệu minh họa (mh). Không phải số liệu thật.</div>'
        '<p class="legend-provenance">Ký hiệu: 1, 2, … số chú thích · t tính từ số liệu báo cáo · mh '
        "số liệu minh họa</p>"
        '<details class="sources"><summary>Nguồn số liệu</summary><ul>'
        f"<li>Bài báo X (2024)</li><li>{DDE}</li></ul></details>"
    )
    notes = (
        '<ol class="footnotes"><li id="fn-P01" value="1">Bài báo “X” (2024), số liệu P01 (published.csv): '
        "<q>đã tổ chức 17.939 hội nghị</q>. Tính từ số liệu: 17.939; khớp.</li></ol>"
    )
    cells = [
        new_code_cell("report.title_block(ctx)", outputs=[html(front)]),
        new_markdown_cell("## Học tập theo xã", metadata={"tags": ["vi"]}),
        new_code_cell(
            "report.table(ctx)", outputs=[html(html_table(table, numeric=["Hội nghị", PLUS, "Chỉ tiêu"]))]
        ),
        new_markdown_cell("## Quy tắc", metadata={"tags": ["vi"]}),
        new_code_cell("report.rules(ctx)", outputs=[html(html_table(rules))]),
        new_markdown_cell("## Chú thích", metadata={"tags": ["vi"]}),
        new_code_cell("report.notes(ctx)", outputs=[html(notes)]),
    ]
    return new_notebook(cells=cells, metadata={"kernelspec": {"name": "python3", "display_name": "Python 3"}})


def page_csvs(nb) -> dict:
    """The CSV files the page offers, by file name (decoded from their data: links)."""
    soup = BeautifulSoup(export_html(nb, title=TITLE), "html.parser")
    out = {}
    for a in soup.select(".downloads a[download]"):
        head, data = a["href"].split(",", 1)
        assert head == "data:text/csv;charset=utf-8;base64"
        out[a["download"]] = base64.b64decode(data)
    return out


def workbook(nb) -> bytes:
    notes = exports.Notes()
    tables = [b for b in exports.blocks(nb, "vi", notes) if b.type == "table"]
    return workbook_bytes(
        tables, title=TITLE, notes=notes, coverage=Coverage(unit="Huyện Thoại Sơn (mã 894)", period="2024")
    )


# ---------------------------------------------------------------- cells


def test_a_cell_gives_its_figure_and_its_mark_apart():
    table = next(b for b in exports.blocks(report_notebook(), "vi") if b.type == "table")
    assert table.rows[0][:3] == ["Thị trấn Núi Sập", "17.939 1", "99,34% mh"]  # as the page shows them
    cell = table.cells[0][1]
    assert (cell.text, cell.mark, cell.provenance, cell.refs) == ("17.939", "1", "published", ("P01",))
    assert cell.get("unit") == "30682" and cell.get("code") == "hn_so" and cell.get("measure") == "hội nghị"
    assert cell.meaning.startswith("số chú thích")
    assert (table.cells[1][1].text, table.cells[1][1].mark, table.cells[1][1].provenance) == (
        "4.054",
        "t",
        "computed",
    )
    plain = table.cells[0][3]
    assert (plain.text, plain.mark, plain.about) == ("≥ 95%", "", ())


def test_inert_text():
    for text in ("=1+1", "+1+1", "-x", "@SUM(1)", "\tx", "\r=1", "-", DDE, LINK):
        assert exports.inert(text) == "'" + text
    for text in ("-450", "-1,5", "+3", "99,75%", "Xã Óc Eo", "≥ 95%", "", "'=1"):
        assert exports.inert(text) == text


# ---------------------------------------------------------------- CSV


def test_csv_download_is_one_row_per_figure_and_sums():
    files = page_csvs(report_notebook())
    data = files["hoc-tap-theo-xa.csv"]
    assert data.startswith(b"\xef\xbb\xbf")
    df = pd.read_csv(io.BytesIO(data), encoding="utf-8-sig", dtype={"Mã đơn vị": str, "Kỳ": str})
    assert list(df.columns) == [exports.TIDY_LABELS["vi"][k] for k in exports.TIDY]
    assert len(df) == 9  # 3 rows × (conferences, rate, the target "≥ 95%"); "đạt" is not a figure
    assert df["Giá trị"].dtype == float
    conf = df[df["Mã số liệu"] == "hn_so"]
    assert conf["Giá trị"].sum() == 17939 + 4054 + 1234
    assert list(conf["Ký hiệu"]) == ["1", "t", "mh"] and list(conf["Mã đơn vị"]) == [
        "30682",
        "30688",
        "30727",
    ]
    assert conf["Nguồn"].iloc[0] == "Bài báo “X” (2024), số liệu P01 (published.csv)"
    assert conf["Nguồn"].iloc[2] == MH and set(df["Kỳ"]) == {"2024"}
    rate = df[df["Mã số liệu"] == "ty_le_dv_tham_du"]
    assert list(rate["Giá trị"]) == [99.34, 96.87, 80.5] and set(rate["Đơn vị tính"]) == {"%"}
    assert list(rate["Cột"]) == ["'" + PLUS] * 3 and rate["Dòng"].iloc[0] == "Thị trấn Núi Sập"
    target = df[df["Cột"] == "Chỉ tiêu (≥)"]  # a target is a row of its own, named by its sign
    assert list(target["Giá trị"]) == [95.0] * 3 and set(target["Đơn vị tính"]) == {"%"}
    raw = data.decode("utf-8-sig").splitlines()
    assert ",17939," in raw[1] and ",99.34," in raw[2]  # a decimal point, no thousands separator
    # a table without figures is offered as it is shown
    rules = pd.read_csv(io.BytesIO(files["quy-tac.csv"]), encoding="utf-8-sig")
    assert list(rules.columns) == ["Mã", "Quy tắc", "Mức"] and rules["Quy tắc"][0] == "'-1 không được âm"


# ---------------------------------------------------------------- workbook


def test_workbook_holds_numbers_marks_apart_and_a_notes_sheet():
    from openpyxl import load_workbook

    data = workbook(report_notebook())
    assert data == workbook(report_notebook()), "same report, same bytes"
    wb = load_workbook(io.BytesIO(data))
    assert wb.sheetnames == ["Mục lục", "Ghi chú", "Bảng 1", "Bảng 2", "Dữ liệu"]
    ws = wb["Bảng 1"]
    assert [c.value for c in ws[3]] == [
        "Xã, thị trấn",
        "Hội nghị",
        "Hội nghị (ký hiệu)",
        PLUS,
        PLUS + " (ký hiệu)",
        "Chỉ tiêu",
        "Đánh giá",
    ]
    assert [c.value for c in ws[4]] == ["Thị trấn Núi Sập", 17939, "1", 0.9934, "mh", "≥ 95%", "đạt"]
    assert ws["B4"].data_type == "n" and ws["B4"].number_format == "#,##0"
    assert ws["D4"].number_format == "#,##0.00%" and ws["C4"].data_type == "s"  # the mark is text
    assert sum(ws.cell(row=r, column=2).value for r in range(4, ws.max_row + 1)) == 17939 + 4054 + 1234
    assert "minh họa" in ws["A2"].value  # the warning on every table sheet of an illustrative report
    assert wb["Bảng 2"]["A4"].value == "R01"
    notes = [[c.value for c in row] for row in wb["Ghi chú"].iter_rows()]
    text = "\n".join(" | ".join(str(v) for v in row if v is not None) for row in notes)
    for needle in (
        "Đơn vị báo cáo | Huyện Thoại Sơn (mã 894)",
        "Kỳ báo cáo | 2024",
        "Thị trấn Núi Sập (30682)",
        "Số liệu minh họa | Số liệu minh họa (mh). Không phải số liệu thật.",
        "1, 2, … | số chú thích",
        "t | tính từ số liệu báo cáo",
        "mh | " + MH,
        "1 | Bài báo “X” (2024), số liệu P01 (published.csv): “đã tổ chức 17.939 hội nghị”",  # quoted
        "Bài báo X (2024)",
    ):
        assert needle in text, needle
    data_ws = wb["Dữ liệu"]
    header = [c.value for c in data_ws[3]]
    assert header[0] == "Bảng" and header[1:] == [exports.TIDY_LABELS["vi"][k] for k in exports.TIDY]
    at = header.index("Giá trị") + 1
    values = [data_ws.cell(row=r, column=at).value for r in range(4, data_ws.max_row + 1)]
    assert (
        values == [17939, 99.34, 95, 4054, 96.87, 95, 1234, 80.5, 95] and data_ws.auto_filter.ref == "A3:M12"
    )


# ---------------------------------------------------------------- hostile text


def _csv_fields(data: bytes) -> list:
    return [f for row in csv.reader(io.StringIO(data.decode("utf-8-sig"))) for f in row]


def test_hostile_text_is_inert_in_csv_and_workbook():
    from openpyxl import load_workbook

    nb = report_notebook()
    files = page_csvs(nb)
    fields = [f for data in files.values() for f in _csv_fields(data)]
    for text in (LINK, AT, PLUS):
        assert "'" + text in fields and text not in fields
    assert not [f for f in fields if exports.formula_like(f)], "a CSV field a spreadsheet would run"
    df = pd.read_csv(io.BytesIO(files["hoc-tap-theo-xa.csv"]), encoding="utf-8-sig")
    assert "'" + LINK in set(df["Đơn vị"]) and "'" + AT in set(df["Dòng"])

    wb = load_workbook(io.BytesIO(workbook(nb)))
    seen = set()
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for c in row:
                assert c.data_type != "f", (ws.title, c.coordinate, c.value)
                if isinstance(c.value, str) and c.value.startswith(exports.FORMULA_START):
                    assert c.data_type == "s" and c.quotePrefix, (ws.title, c.coordinate, c.value)
                    seen.add(c.value)
    assert {LINK, AT, PLUS, DDE} <= seen  # unit name (data sheet), row label, heading, source (notes)


def test_hostile_text_stays_text_in_libreoffice(tmp_path):
    if SOFFICE is None:
        if ON_CI:
            pytest.fail("LibreOffice (soffice) is not installed, and CI=true: the real-client test must run")
        pytest.skip("LibreOffice (soffice) is not installed")
    nb = report_notebook()
    (tmp_path / "bang.csv").write_bytes(page_csvs(nb)["hoc-tap-theo-xa.csv"])
    (tmp_path / "bang.xlsx").write_bytes(workbook(nb))
    profile = (tmp_path / "lo-profile").as_uri()
    every_sheet = "csv:Text - txt - csv (StarCalc):44,34,76,1,,0,false,true,false,false,false,-1"
    for infilter, src in ((["--infilter=CSV:44,34,76,1"], "bang.csv"), ([], "bang.xlsx")):
        res = subprocess.run(
            [SOFFICE, f"-env:UserInstallation={profile}", "--headless", "--norestore", *infilter]
            + ["--convert-to", every_sheet, "--outdir", str(tmp_path / "out"), str(tmp_path / src)],
            capture_output=True,
            text=True,
            timeout=180,
        )
        assert res.returncode == 0, res.stdout + res.stderr
    read = {p.name: _csv_fields(p.read_bytes()) for p in (tmp_path / "out").glob("*.csv")}
    from_csv = read["bang-bang.csv"]
    assert "'" + LINK in from_csv and "'" + AT in from_csv and "17939" in from_csv  # text as text, numbers
    assert LINK in read["bang-Dữ liệu.csv"] and AT in read["bang-Bảng 1.csv"]  # shown as typed, not run
    assert DDE in read["bang-Ghi chú.csv"] and PLUS in read["bang-Bảng 1.csv"]
    assert "bấm vào đây" not in {f for fields in read.values() for f in fields}  # no HYPERLINK was evaluated
    assert Decimal("17939") in {Decimal(f) for f in read["bang-Bảng 1.csv"] if f.isdigit()}


def test_english_report_tables_read_their_own_number_style():
    about = _about("894", "Thoai Son (District)", "hn_so", "Conferences", "conferences")
    cell = fig_html(Fig("17,939", "illustrative", None, 17939.0, about), "en")
    table = html_table(
        pd.DataFrame([{"Unit": "Thoai Son", "Conferences": cell, "Rate": "99.34%"}]), ["Conferences", "Rate"]
    )
    block = exports.table_block(BeautifulSoup(str(table), "html.parser").table)
    found = exports.figures(block, "en")
    assert [(f.value, f.mark, f.measure, f.unit) for f in found] == [
        (Decimal("17939"), "il", "conferences", "Thoai Son (District)"),
        (Decimal("99.34"), "", "%", ""),
    ]
    assert exports.csv_bytes(block, "en").decode("utf-8-sig").startswith('"Unit code","Unit","Period"')


def test_coverage_names_the_unit_and_the_period():
    from baocao.export.formats import coverage_of

    district = {"unit": "894", "unit_name": "Huyện Thoại Sơn", "level": "district", "year": 2024}
    assert coverage_of({**district, "parameters": {"year_from": 2022}}) == Coverage(
        "Huyện Thoại Sơn (mã 894)", "2022–2024"
    )
    assert (
        coverage_of({"unit": "VN", "unit_name": "Cả nước", "level": "country", "year": 2016}).unit
        == "Cả nước"
    )


def test_a_table_comparing_how_figures_are_written_is_offered_as_shown():
    df = pd.DataFrame(
        [
            {"Mã": "P01", "Công bố": "956 hội nghị", "Tính từ số liệu": "956 hội nghị", "Chênh lệch": "0"},
            {"Mã": "P02", "Công bố": "17.939 lượt", "Tính từ số liệu": "18.389 lượt", "Chênh lệch": "-450"},
        ]
    )
    block = exports.table_block(BeautifulSoup(str(html_table(df, list(df.columns[1:]))), "html.parser").table)
    assert not exports.is_figure_table(block) and exports.figures(block) == []
    rows = list(csv.reader(io.StringIO(exports.csv_bytes(block).decode("utf-8-sig"))))
    assert rows[0] == list(df.columns) and rows[2] == ["P02", "17.939 lượt", "18.389 lượt", "-450"]


def test_the_data_files_say_why_a_period_is_ours_and_carry_an_illustrative_targets_mark():
    """A published figure whose year is our inference keeps ``s`` in its mark and its reason in
    its source; an illustrative target is a row of its own, named by its sign, with ``mh``; the
    footnote's quotation stays in quotation marks outside the page."""
    from baocao.reports.local.marks import marked_text

    about = _about("894", "Huyện Thoại Sơn", "ty_le_ho_ngheo", "Tỷ lệ hộ nghèo", "%", "2023")
    cell = fig_html(Fig("1,32", "published", "P20", 1.32, about, inferred=True), "vi", 5)
    target = marked_text("≤ 1,50", True, "vi", about=(("code", "ty_le_ho_ngheo"), ("measure", "%")))
    df = pd.DataFrame([{"Chỉ tiêu": "Tỷ lệ hộ nghèo (%)", "2023": cell, "Chỉ tiêu phấn đấu": target}])
    why = "năm 2023: bài viết không nêu năm của con số này; suy từ câu trước của bài"
    page = BeautifulSoup(
        str(html_table(df, ["2023", "Chỉ tiêu phấn đấu"]))
        + '<ol class="footnotes"><li id="fn-P20" value="5">Bài báo “X” (2024), con số P20: <q lang="vi">'
        f'giảm còn 1,32%</q>. Tỷ lệ hộ nghèo, năm 2023. <span class="inference">Suy ra: {why}.</span>'
        "</li></ol>",
        "html.parser",
    )
    notes = exports.Notes()
    notes.collect(page)
    assert notes.footnotes["P20"][2].startswith("Bài báo “X” (2024), con số P20: “giảm còn 1,32%”.")
    found = exports.figures(exports.table_block(page.table), "vi", notes)
    assert [(f.column, f.value, f.mark, f.code, f.measure) for f in found] == [
        ("2023", Decimal("1.32"), "5, s", "ty_le_ho_ngheo", "%"),
        ("Chỉ tiêu phấn đấu (≤)", Decimal("1.50"), "mh", "ty_le_ho_ngheo", "%"),
    ]
    assert (found[1].unit_code, found[1].period) == ("894", "2023")  # those of the figure it is for
    assert found[0].source == f"Bài báo “X” (2024), con số P20 — Suy ra: {why}"
    assert found[1].source.startswith("chỉ tiêu minh họa, không dựa trên văn bản")
    rows = list(
        csv.reader(
            io.StringIO(exports.csv_bytes(exports.table_block(page.table), "vi", notes).decode("utf-8-sig"))
        )
    )
    assert [r[-2] for r in rows[1:]] == ["5, s", "mh"] and why in rows[1][-1]
