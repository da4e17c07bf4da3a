"""Every table of a report in one Excel workbook (openpyxl): tables that are data.

Sheets, in order:

- **Mục lục** (contents): the report's title and a link to every other sheet;
- **Ghi chú** (notes): what the report covers (its unit and period, the units and periods of
  the figures in its tables; the reporting rates when the data give them), the illustrative-data
  warning when the report is illustrative, the legend of the marks found in the tables, the
  footnotes they refer to and the report's sources;
- **Bảng 1 … n**: each table as the page shows it, its figures as numbers in Vietnamese number
  formats (``17.939`` is the number 17939 with the format ``#,##0``, which a Vietnamese Excel
  shows as ``17.939``; ``1,08`` is 1.08 with ``#,##0.00``; ``99,75%`` is the Excel percentage
  0.9975 with ``#,##0.00%``), the decimals the page shows; the provenance mark of a column's
  figures in its own text column right after it (``Hội nghị (ký hiệu)``), so the figures can be
  summed, filtered and charted and the marks filtered apart;
- **Dữ liệu** (data): one row per figure of every table, the same columns and values as the
  page's CSV downloads (:func:`baocao.export.blocks.figures`; percentages in percent points,
  99.75 with the unit of measure ``%``), with a filter.

A text cell a spreadsheet would read as a formula (``=``, ``+``, ``-``, ``@``, tab, carriage
return first) is written as a string cell with Excel's quote prefix: it shows as typed and
never runs. The workbook has fixed properties and zip times: the same report gives the same bytes.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from baocao.export.blocks import (
    TIDY,
    TIDY_LABELS,
    Block,
    Cell,
    Notes,
    figures,
    formula_like,
    number,
)

WORDS = {
    "vi": {
        "sheet": "Bảng {n}",
        "contents": "Mục lục",
        "table": "Bảng",
        "title": "Tiêu đề",
        "notes": "Ghi chú",
        "data": "Dữ liệu",
        "mark": "ký hiệu",
        "notes_title": "Ghi chú: phạm vi, ký hiệu, nguồn số liệu",
        "data_title": "Mọi số liệu của các bảng, mỗi dòng một số liệu (như tệp CSV của trang báo cáo)",
        "report": "Báo cáo",
        "unit": "Đơn vị báo cáo",
        "period": "Kỳ báo cáo",
        "units": "Số liệu của các đơn vị",
        "periods": "Các kỳ có số liệu",
        "reporting": "Tỷ lệ báo cáo",
        "illustrative": "Số liệu minh họa",
        "warning": "Có số liệu minh họa (ký hiệu mh), không phải số liệu thật: xem trang Ghi chú.",
        "legend": "Ký hiệu",
        "meaning": "Nghĩa",
        "footnote_marks": "1, 2, …",
        "footnotes": "Chú thích",
        "sources": "Nguồn số liệu",
        "how": "Cách đọc",
        "how_lines": [
            "Ô số là số: 17.939 là số 17939, 1,08 là số 1,08; tỷ lệ ghi % là tỷ lệ phần trăm của Excel "
            "(99,75% là 0,9975). Số chữ số thập phân như trang báo cáo.",
            "Ký hiệu của các số nằm ở cột “… (ký hiệu)” ngay bên phải cột số; cột ký hiệu là chữ, "
            "không làm sai phép cộng.",
            "Trang Dữ liệu: mỗi dòng một số liệu (đơn vị, kỳ, mã và tên số liệu, giá trị, đơn vị tính, "
            "ký hiệu, nguồn), như tệp CSV của trang báo cáo; tỷ lệ phần trăm ghi bằng số phần trăm "
            "(99,75 với đơn vị tính %).",
        ],
    },
    "en": {
        "sheet": "Table {n}",
        "contents": "Contents",
        "table": "Table",
        "title": "Title",
        "notes": "Notes",
        "data": "Data",
        "mark": "mark",
        "notes_title": "Notes: coverage, marks, sources",
        "data_title": "Every figure of the tables, one per row (as the report page's CSV files)",
        "report": "Report",
        "unit": "Reporting unit",
        "period": "Period",
        "units": "Figures of the units",
        "periods": "Periods with figures",
        "reporting": "Reporting rate",
        "illustrative": "Illustrative data",
        "warning": "Holds illustrative figures (mark il), not real data: see the Notes sheet.",
        "legend": "Mark",
        "meaning": "Meaning",
        "footnote_marks": "1, 2, …",
        "footnotes": "Footnotes",
        "sources": "Sources",
        "how": "How to read",
        "how_lines": [
            "Number cells are numbers: 17,939 is 17939; a rate shown with % is an Excel percentage "
            "(99.75% is 0.9975). Decimals as the report page shows them.",
            "The marks of a column's figures are in the “… (mark)” column right after it; mark columns "
            "are text and do not upset sums.",
            "The Data sheet: one row per figure (unit, period, code and name, value, unit of measure, "
            "mark, source), as the report page's CSV files; percentages in percent points (99.75 with "
            "the unit of measure %).",
        ],
    },
}
_BAD_SHEET = re.compile(r"[\[\]:*?/\\]")
_CODE = re.compile(r"0\d+")  # "01", "089": a code, not a number
_PROVENANCES = ("published", "computed", "illustrative")


@dataclass
class Coverage:
    """What a report covers, for the notes sheet. ``unit``: its unit (``Huyện Thoại Sơn (mã 894)``);
    ``period``: its year or period (``2022–2024``); ``reporting``: reporting rates, one line each
    (``Năm 2024: 12/13 xã báo cáo đủ; 1 xã chưa báo cáo.``), as the report's title block recorded
    them (:func:`baocao.export.formats.coverage_of`); the sheet shows the lines only when there are
    some."""

    unit: str = ""
    period: str = ""
    reporting: list = field(default_factory=list)


def number_format(decimals: int, percent: bool) -> str:
    """The Excel number format of a figure: ``#,##0``, ``#,##0.00``, ``#,##0.00%``. Excel writes the
    invariant codes; a Vietnamese Excel or LibreOffice shows ``17.939``, ``1,08``, ``99,75%``."""
    return "#,##0" + ("." + "0" * decimals if decimals else "") + ("%" if percent else "")


def cell_value(text: str, lang: str = "vi"):
    """``(value, number_format)`` for one table cell: a number and its format for a figure (a
    percentage as Excel's fraction: ``99,75%`` → 0.9975 shown ``99,75%``), the text and ``None``
    otherwise (empty and ``–`` cells become empty)."""
    text = str(text).strip()
    if text in ("", "–", "-"):
        return None, None
    parsed = None if _CODE.fullmatch(text) else number(text, lang)
    if parsed is None:
        return text, None
    value, decimals, percent = parsed
    if percent:
        return round(value / 100, decimals + 2), number_format(decimals, True)
    return (int(value) if decimals == 0 and value.is_integer() else value), number_format(decimals, False)


def _put_text(cell, text: str) -> None:
    """A text cell that stays text: a formula-like start is stored as a string with Excel's quote
    prefix (openpyxl would otherwise write ``=…`` as a formula); characters XML cannot hold go."""
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

    text = ILLEGAL_CHARACTERS_RE.sub("", str(text))
    cell.value = text
    if formula_like(text):
        cell.data_type = "s"
        cell.quotePrefix = True


def _put(ws, row: int, col: int, value, fmt: str | None = None):
    cell = ws.cell(row=row, column=col)
    if isinstance(value, str):
        _put_text(cell, value)
    else:
        cell.value = value
        if fmt:
            cell.number_format = fmt
    return cell


def _table_cells(table: Block) -> list[list[Cell]]:
    return table.cells or [[Cell(t) for t in row] for row in table.rows]


def _table_sheet(ws, table: Block, heading: str, words: dict, lang: str, warn: bool) -> None:
    from openpyxl.styles import Alignment, Font

    cells = _table_cells(table)
    width = max([len(table.header), *map(len, cells)] or [0])
    marked = [any(i < len(r) and r[i].mark for r in cells) for i in range(width)]
    # the columns the page marks as numbers are read as numbers; the others (``Kỳ``: 2024) stay text;
    # a table that marks none (a plain DataFrame) has every cell that reads as a number read as one
    numeric = [i < len(table.numeric) and table.numeric[i] for i in range(width)]
    if not any(numeric):
        numeric = [True] * width
    _put(ws, 1, 1, heading).font = Font(bold=True)
    if warn:
        _put(ws, 2, 1, words["warning"]).font = Font(bold=True, color="9C5700")
    header = []
    for i in range(width):
        h = table.header[i] if i < len(table.header) else ""
        header.append(h)
        if marked[i]:
            header.append(f"{h} ({words['mark']})")
    for c, h in enumerate(header, 1):
        cell = _put(ws, 3, c, h)
        cell.font = Font(bold=True)
        cell.alignment = Alignment(wrap_text=True, vertical="bottom")
    widths = [len(h) for h in header]
    for r, row in enumerate(cells, 4):
        c = 0
        for i in range(width):
            cell = row[i] if i < len(row) else Cell("")
            value, fmt = cell_value(cell.text, lang)
            if not numeric[i] and value is not None:
                value, fmt = cell.text, None  # a label stays as shown
            if value is not None:
                _put(ws, r, c + 1, value, fmt)
            widths[c] = max(widths[c], len(cell.text))
            c += 1
            if marked[i]:
                mark = " · ".join(p for p in (cell.mark, cell.get("coverage")) if p)
                if mark:  # a partial figure: how many units reported, beside its mark
                    _put(ws, r, c + 1, mark)
                c += 1
    _widths(ws, widths)
    ws.freeze_panes = "A4"
    _for_print(ws, 3)


def _for_print(ws, heading_row: int | None = None) -> None:
    """On A4, as wide as the page (as many pages down as it takes), the heading row on every page."""
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.orientation = "landscape" if ws.max_column > 4 else "portrait"
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.page_setup.fitToWidth, ws.page_setup.fitToHeight = 1, 0
    if heading_row:
        ws.print_title_rows = f"{heading_row}:{heading_row}"


def _widths(ws, widths) -> None:
    from openpyxl.utils import get_column_letter

    for i, w in enumerate(widths, 1):
        ws.column_dimensions[get_column_letter(i)].width = min(max(w + 2, 8), 60)


def _data_sheet(ws, found: list, words: dict, lang: str) -> None:
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    labels = TIDY_LABELS["vi" if lang == "vi" else "en"]
    header = [words["table"], *(labels[k] for k in TIDY)]
    _put(ws, 1, 1, words["data_title"]).font = Font(bold=True)
    for c, h in enumerate(header, 1):
        _put(ws, 3, c, h).font = Font(bold=True)
    widths = [len(h) for h in header]
    at = TIDY.index("value") + 2
    for r, (sheet, f) in enumerate(found, 4):
        for c, v in enumerate([sheet, *f.tidy()], 1):
            if c == at:
                decimals = max(-v.as_tuple().exponent, 0)
                _put(ws, r, c, int(v) if decimals == 0 else float(v), number_format(decimals, False))
            elif v:
                _put(ws, r, c, v)
            widths[c - 1] = max(widths[c - 1], min(len(str(v)), 60))
    _widths(ws, widths)
    ws.freeze_panes = "A4"
    _for_print(ws, 3)
    if found:
        ws.auto_filter.ref = f"A3:{get_column_letter(len(header))}{3 + len(found)}"


def _notes_sheet(ws, *, title, notes: Notes, coverage: Coverage, found: list, words: dict) -> None:
    from openpyxl.styles import Alignment, Font, PatternFill

    bold = Font(bold=True)
    r = 1
    _put(ws, r, 1, words["notes_title"]).font = Font(bold=True, size=13)

    def line(label: str, text: str, font=None) -> None:
        nonlocal r
        r += 1
        head = _put(ws, r, 1, label)
        head.font = font or bold
        head.alignment = Alignment(vertical="top")
        cell = _put(ws, r, 2, text)
        cell.alignment = Alignment(wrap_text=True, vertical="top")
        if font is not None:
            cell.font = font
        if len(text) > 100:  # a wrapped note is given its lines' height: not every reader sizes rows
            ws.row_dimensions[r].height = 15 * -(-len(text) // 100)

    def gap() -> None:
        nonlocal r
        r += 1

    gap()
    line(words["report"], title)
    if coverage.unit:
        line(words["unit"], coverage.unit)
    if coverage.period:
        line(words["period"], coverage.period)
    units = {}
    for _, f in found:
        if f.unit_code:
            units.setdefault(f.unit_code, f.unit)
    if units:
        line(words["units"], "; ".join(f"{name} ({code})" if name else code for code, name in units.items()))
    periods = sorted({f.period for _, f in found if f.period})
    if periods:
        line(words["periods"], ", ".join(periods))
    for text in coverage.reporting:
        line(words["reporting"], text)
    if notes.banner:
        gap()
        line(words["illustrative"], notes.banner, Font(bold=True, color="9C5700"))
        ws.cell(row=r, column=2).fill = PatternFill("solid", fgColor="FFF4CE")
    legend: dict = {}
    for _, f in found:
        if f.provenance in _PROVENANCES and f.mark and f.provenance not in legend:
            legend[f.provenance] = (
                words["footnote_marks"] if f.provenance == "published" else f.mark,
                f.meaning,
            )
    if legend:
        gap()
        line(words["legend"], words["meaning"])
        for provenance in _PROVENANCES:
            if provenance in legend:
                line(*legend[provenance], Font(bold=False))
    refs = []
    for _, f in found:
        if f.provenance == "published" and f.mark:
            for n in (m.strip() for m in f.mark.split(",")):
                if n not in refs:
                    refs.append(n)
    wholes = {num: whole for num, _, whole in notes.footnotes.values()}
    refs = sorted((n for n in refs if n in wholes), key=lambda n: (len(n), n))
    if refs:
        gap()
        line(words["footnotes"], "")
        for n in refs:
            line(n, wholes[n], Font(bold=False))
    if notes.sources:
        gap()
        line(words["sources"], "")
        for text in notes.sources:
            line("", text, Font(bold=False))
    gap()
    line(words["how"], "")
    for text in words["how_lines"]:
        line("", text, Font(bold=False))
    ws.column_dimensions["A"].width = 26
    ws.column_dimensions["B"].width = 110
    _for_print(ws)


def workbook_bytes(
    tables: list[Block],
    *,
    title: str,
    lang: str = "vi",
    notes: Notes | None = None,
    coverage: Coverage | None = None,
) -> bytes:
    """An .xlsx of a report's tables (see the module doc). ``notes``: what the page says about its
    figures (:class:`baocao.export.blocks.Notes`, filled by :func:`baocao.export.blocks.blocks`);
    ``coverage``: the report's unit and period."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    words = WORDS["vi" if lang == "vi" else "en"]
    notes = notes or Notes()
    coverage = coverage or Coverage()
    wb = Workbook()
    toc = wb.active
    toc.title = words["contents"]
    _put(toc, 1, 1, title).font = Font(bold=True, size=13)
    if notes.banner:
        _put(toc, 2, 1, words["warning"]).font = Font(bold=True, color="9C5700")
    _put(toc, 3, 1, words["table"]).font = Font(bold=True)
    _put(toc, 3, 2, words["title"]).font = Font(bold=True)
    toc.column_dimensions["A"].width = 12
    toc.column_dimensions["B"].width = 90
    _for_print(toc)

    def listed(ws, heading: str) -> None:
        row = toc.max_row + 1
        _put(toc, row, 1, ws.title).hyperlink = f"#'{ws.title}'!A1"
        _put(toc, row, 2, heading)

    notes_ws = wb.create_sheet(words["notes"])
    listed(notes_ws, words["notes_title"])
    found = []
    for n, table in enumerate(tables, 1):
        ws = wb.create_sheet(_BAD_SHEET.sub(" ", words["sheet"].format(n=n))[:31])
        heading = " — ".join(p for p in (table.note, table.text) if p) or title
        listed(ws, heading)
        _table_sheet(ws, table, heading, words, lang, bool(notes.banner))
        found += [(ws.title, f) for f in figures(table, lang, notes)]
    data_ws = wb.create_sheet(words["data"])
    listed(data_ws, words["data_title"])
    _data_sheet(data_ws, found, words, lang)
    _notes_sheet(notes_ws, title=title, notes=notes, coverage=coverage, found=found, words=words)
    wb.properties.title = title
    from baocao.io.office_zip import fixed_xlsx

    return fixed_xlsx(wb)
