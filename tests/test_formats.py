"""The other files of a report: Excel workbook, the web page printed by Chromium (.web.pdf).

The workbook is checked as a file (openpyxl reads it back). The page is printed by Chromium
twice: same bytes. The official document (Word, and its PDF made by LibreOffice) is tested in
``tests/test_documents.py``.
On CI (``CI=true``) a missing LibreOffice or Chromium fails these tests instead of skipping.
"""

from __future__ import annotations

import base64
import io
import os
import shutil
import subprocess
import zipfile
from datetime import date
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import pytest  # noqa: E402
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook, new_output  # noqa: E402

from baocao.export import blocks as exports  # noqa: E402
from baocao.export import formats
from baocao.export.workbook import cell_value, workbook_bytes  # noqa: E402
from baocao.io.office_zip import ZIP_TIME

ON_CI = os.environ.get("CI", "").lower() in ("1", "true", "yes")
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
TITLE = "Báo cáo kết quả học tập — Huyện Thoại Sơn, 2024"


def need(tool: str | None, name: str) -> None:
    """Skip without the tool, except on CI where a missing client is a failure."""
    if tool is None:
        if ON_CI:
            pytest.fail(f"{name} is not installed, and CI=true: the real-client test must run")
        pytest.skip(f"{name} is not installed")


def chart_png() -> str:
    fig, ax = plt.subplots(figsize=(6, 3), dpi=80)
    ax.bar(["Núi Sập", "Óc Eo"], [96.7, 97.1])
    buf = io.BytesIO()
    fig.savefig(buf, format="png", metadata={"Software": None})
    plt.close(fig)
    return base64.b64encode(buf.getvalue()).decode("ascii")


TABLE = (
    '<table class="data"><thead><tr><th>Xã, thị trấn</th><th class=num>Lượt đảng viên</th><th class=num>Tỷ '
    "lệ</th>"
    "<th>Chỉ tiêu</th></tr></thead><tbody>"
    "<tr><td>Thị trấn Núi Sập</td><td class=num>17.939</td><td class=num>99,34%</td><td>≥ 95%</td></tr>"
    "<tr><td>Xã Óc Eo</td><td class=num>4.054</td><td class=num>96,87%</td><td>–</td></tr>"
    "</tbody></table>"
)


def report_notebook():
    def html(text):
        return new_output(
            "execute_result", execution_count=1, data={"text/html": text, "text/plain": "<baocao HTML>"}
        )

    cells = [
        new_code_cell(
            "report.title_block(ctx)",
            outputs=[
                html(
                    f'<h1 class="report-title">{TITLE}</h1><p class="meta">Đơn vị: Huyện Thoại Sơn</p>'
                    '<details class="sources"><summary>Nguồn số liệu</summary><ul><li>Bài báo '
                    "(2024)</li></ul></details>"
                )
            ],
        ),
        new_markdown_cell(
            "## Học tập và làm theo\n\nSố hội nghị và `lượt` đảng viên.", metadata={"tags": ["vi"]}
        ),
        new_markdown_cell("## Studying\n\nEnglish text.", metadata={"tags": ["en"]}),
        new_code_cell("report.campaign_table(ctx)", outputs=[html(TABLE)]),
        new_markdown_cell("### Theo xã, thị trấn", metadata={"tags": ["vi"]}),
        new_code_cell(
            "report.chart(ctx)",
            outputs=[
                new_output(
                    "execute_result",
                    execution_count=2,
                    data={"image/png": chart_png(), "text/plain": "<chart>"},
                    metadata={"image/png": {"alt": "Tỷ lệ tham dự theo xã: cao nhất Óc Eo 97,1%"}},
                )
            ],
        ),
        new_code_cell(
            "report.footer(ctx)",
            outputs=[html('<footer class="report-footer"><p>Số liệu đến năm 2024 · x</p></footer>')],
        ),
    ]
    return new_notebook(
        cells=cells,
        metadata={"kernelspec": {"name": "python3", "language": "python", "display_name": "Python 3"}},
    )


# ---------------------------------------------------------------- reading a report back


def test_numbers_read_back_the_way_reports_write_them():
    assert exports.number("17.939") == (17939.0, 0, False)
    assert exports.number("99,34%") == (99.34, 2, True)
    assert exports.number("1,08") == (1.08, 2, False)
    assert exports.number("17,939", "en") == (17939.0, 0, False)
    for text in ("≥ 95%", "3/17", "21 tỷ đồng", "2022–2024", "đạt", "1.2.3", ""):
        assert exports.number(text) is None, text
    assert cell_value("–") == (None, None)
    assert cell_value("4.054") == (4054, "#,##0")
    assert cell_value("96,87%") == (0.9687, "#,##0.00%")  # an Excel percentage, shown 96,87%
    assert cell_value("01") == ("01", None)  # a code keeps its zero


def test_blocks_follow_the_report_in_its_language():
    items = exports.blocks(report_notebook(), "vi")
    types = [b.type for b in items]
    assert types[0] == "title" and items[0].text == TITLE
    assert "English text." not in [b.text for b in items]
    table = next(b for b in items if b.type == "table")
    assert table.header == ["Xã, thị trấn", "Lượt đảng viên", "Tỷ lệ", "Chỉ tiêu"]
    assert table.rows[0] == ["Thị trấn Núi Sập", "17.939", "99,34%", "≥ 95%"]
    assert table.numeric == [False, True, True, False] and table.note == "Học tập và làm theo"
    image = next(b for b in items if b.type == "image")
    assert image.image.startswith(b"\x89PNG") and "Óc Eo" in image.text
    assert any(b.type == "paragraph" and b.text == "Số hội nghị và lượt đảng viên." for b in items)


# ---------------------------------------------------------------- workbook


def test_workbook_has_one_sheet_per_table_with_real_numbers():
    from openpyxl import load_workbook

    tables = [b for b in exports.blocks(report_notebook(), "vi") if b.type == "table"]
    data = workbook_bytes(tables * 2, title=TITLE)
    wb = load_workbook(io.BytesIO(data))
    assert wb.sheetnames == ["Mục lục", "Ghi chú", "Bảng 1", "Bảng 2", "Dữ liệu"]
    ws = wb["Bảng 1"]
    assert [c.value for c in ws[3]] == ["Xã, thị trấn", "Lượt đảng viên", "Tỷ lệ", "Chỉ tiêu"]
    assert [c.value for c in ws[4]] == ["Thị trấn Núi Sập", 17939, 0.9934, "≥ 95%"]
    assert isinstance(ws["B4"].value, int) and isinstance(ws["C5"].value, float)
    assert ws["B4"].data_type == "n" and ws["C4"].number_format == "#,##0.00%"
    assert ws["D5"].value is None  # "–" is an empty cell, not text
    assert wb["Mục lục"]["A1"].value == TITLE
    assert data == workbook_bytes(tables * 2, title=TITLE), "same tables, same bytes"
    assert all(i.date_time == ZIP_TIME for i in zipfile.ZipFile(io.BytesIO(data)).infolist())


# ---------------------------------------------------------------- (Word, document PDF: test_documents.py)


# ---------------------------------------------------------------- PDF


def test_pdf_dates_are_fixed():
    from baocao.export.pdf import FIXED_DATE, fixed_dates

    raw = b"%PDF-1.4\n<</CreationDate (D:20261129084500+00'00')\n/ModDate (D:20261129084501+00'00')>>"
    out = fixed_dates(raw)
    assert len(out) == len(raw) and out.count(FIXED_DATE) == 2 and b"2026" not in out


def test_pdf_is_a4_numbered_with_sources_and_the_same_bytes_twice(tmp_path):
    need(CHROMIUM, "Chromium")
    from baocao.build.html import export_html
    from baocao.export.pdf import Printer, data_date

    page = export_html(report_notebook(), title=TITLE)
    path = tmp_path / "r.html"
    path.write_text(page, encoding="utf-8")
    assert data_date(page) == "Số liệu đến năm 2024"
    with Printer() as p:
        first = p.pdf(path, title=TITLE, date=data_date(page))
    with Printer() as p:
        second = p.pdf(path, title=TITLE, date=data_date(page))
    assert first == second, "two prints of the same page differ"
    out = tmp_path / "r.pdf"
    out.write_bytes(first)
    info = subprocess.run(["pdfinfo", str(out)], capture_output=True, text=True, check=True).stdout
    assert "A4" in info
    text = subprocess.run(["pdftotext", str(out), "-"], capture_output=True, text=True, check=True).stdout
    assert "Trang 1/1" in text and "Số liệu đến năm 2024" in text
    assert text.count("Báo cáo kết quả học tập") >= 2  # in the page and in its top margin
    assert "Bài báo (2024)" in text, "the collapsed sources print"


# ---------------------------------------------------------------- plans


def test_formats_are_checked():
    assert formats.check_formats(["pdf", "xlsx"]) == ("html", "pdf", "xlsx")
    assert formats.check_formats([]) == ("html",)
    with pytest.raises(formats.FormatError, match="unknown output format 'odt'"):
        formats.check_formats(["odt"])


def test_plan_formats_and_date(tmp_path):
    from baocao.build.plans import PlanError, load_plan

    root = Path(__file__).resolve().parents[1]
    plan = tmp_path / "p.yml"
    plan.write_text(
        "years: [2024]\nformats: [html, pdf, docx]\ndate: 2025-01-15\nreports:\n  - notebook: "
        "district_report\n    district: 894\n",
        encoding="utf-8",
    )
    p = load_plan(plan, home=root)
    assert p.formats == ("html", "pdf", "docx") and p.date == date(2025, 1, 15)
    plan.write_text(
        "years: [2024]\nformats: [html, odt]\nreports:\n  - notebook: district_report\n    district: 894\n",
        encoding="utf-8",
    )
    with pytest.raises(PlanError, match="formats: không có định dạng 'odt'.* / unknown output format 'odt'"):
        load_plan(plan, home=root)
