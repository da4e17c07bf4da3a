"""Excel data-entry forms: the template communes fill in, and reading it back.

Pure: the catalogue and unit list in, an in-memory openpyxl ``Workbook`` out (template);
cell grids in, tidy observations, problems and a merge plan out (import). Reading and
writing files is :mod:`baocao.excel.files`; the commands are :mod:`baocao.excel_cli`.
The layout is documented in ``docs/excel.md``.

Layout of a data sheet (one per catalogue section)::

    row 1   title (district, year)                       merged
    row 2   what to type                                 merged
    row 3   element names (merged over their topics)     header
    row 4   topic (category) short names                 header
    row 5   unit of measure                              header
    row 6   HIDDEN code row: A6 "#baocao v1 year=… district=… section=…",
            B6 1234.5 (number-style probe), C6 "#name", D6… "element" or "element|category"
    row 7…  one row per unit: A hidden unit code, B number, C name, D… input cells

The reader never trusts sheet names, positions or visible headings: it finds the hidden
code row by its ``#baocao`` marker, so a renamed sheet, a re-saved workbook or a CSV
export of one sheet reads the same.
"""

from __future__ import annotations

import datetime as _dt
import math
import re
from dataclasses import dataclass, field
from typing import Any

import pandas as pd
from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Protection, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from baocao.data.catalogue import Catalogue, Element
from baocao.data.numbers import NumberFormatError, parse_number, parse_year
from baocao.data.observations import COLUMNS, KEY, parse_observations
from baocao.data.units import Unit, UnitRegistry, fold
from baocao.data.validate import check_rules

MARKER = "#baocao"
VERSION = "v1"
NAME_CODE = "#name"
PROBE_VALUE = 1234.5
PROBE_FORMAT = "#,##0.0"
FIRST_DATA_COLUMN = 4  # D
HEADER_ROWS = (3, 4, 5)
CODE_ROW = 6
FIRST_DATA_ROW = 7
YES_NO = ("Có", "Không")  # boolean cells: a drop-down list; Có = 1, Không = 0
INSTRUCTIONS = "Hướng dẫn"

# Section code -> sheet title (vi, en). A section not listed gets its code as title.
SECTION_TITLES = {
    "campaign": ("Học tập chuyên đề", "Campaign study"),
    "socio": ("Kinh tế - xã hội", "Socio-economic"),
    "welfare": ("An sinh xã hội", "Social welfare"),
    "dialogue": ("Đối thoại", "Dialogue"),
    "commendation": ("Khen thưởng", "Commendations"),
}
EXCLUDED_SECTION_PREFIXES = ("gso",)  # province statistics imported from GSO, not typed by communes

TYPE_LABELS = {
    "integer": ("số nguyên ≥ 0", "whole number ≥ 0"),
    "number": ("số thập phân ≥ 0", "decimal number ≥ 0"),
    "boolean": ("Có / Không", "Yes / No (Có / Không)"),
}


# ----------------------------------------------------------------------------- template model


@dataclass(frozen=True)
class FormColumn:
    element: Element
    category: str  # "" for elements without a category set
    category_label: str  # short Vietnamese label of the topic, "" if none

    @property
    def code(self) -> str:
        return self.element.code + (f"|{self.category}" if self.category else "")


@dataclass(frozen=True)
class FormSheet:
    section: str
    title: str
    columns: tuple[FormColumn, ...]


@dataclass(frozen=True)
class FormRow:
    unit: Unit
    label: str  # what the name cell shows


@dataclass(frozen=True)
class TemplateSpec:
    district: Unit
    province: Unit | None
    year: int
    rows: tuple[FormRow, ...]
    sheets: tuple[FormSheet, ...]

    def for_rows(self, rows: tuple[FormRow, ...]) -> TemplateSpec:
        return TemplateSpec(self.district, self.province, self.year, rows, self.sheets)


def district_row_label(district: Unit) -> str:
    return f"{district.name} (cấp huyện)"


def section_title(section: str) -> str:
    return SECTION_TITLES.get(section, (section, section))[0]


def option_period(option) -> str | None:
    """``"2021-2025"`` for a category option that covers several years (a whole-term topic), else None."""
    if option.year_from is not None and option.year_to is not None and option.year_from < option.year_to:
        return f"{option.year_from}-{option.year_to}"
    return None


def item_period(catalogue: Catalogue, element, category: str, year):
    """The year column of an imported value: the form's year, or — for a category that covers
    several years (the whole-term topic) — that whole period, never one of its years."""
    if category and element.category_set:
        try:
            span = option_period(catalogue.categories[element.category_set].option(category))
        except KeyError:
            span = None
        if span:
            return span
    return year


def option_applies(option, year: int) -> bool:
    return (option.year_from is None or option.year_from <= year) and (
        option.year_to is None or year <= option.year_to
    )


def form_sections(catalogue: Catalogue, sections=None) -> list[str]:
    """Sections that get a sheet, in catalogue order (GSO province statistics excluded)."""
    out = []
    for el in catalogue.elements.values():
        if el.section in out:
            continue
        if sections is not None:
            if el.section in sections:
                out.append(el.section)
        elif not el.section.startswith(EXCLUDED_SECTION_PREFIXES):
            out.append(el.section)
    if sections is not None:
        unknown = [s for s in sections if s not in out]
        if unknown:
            raise ValueError(
                f"no element in section(s) {', '.join(unknown)} / không có chỉ tiêu thuộc nhóm "
                f"{', '.join(unknown)}"
            )
    return out


def template_spec(
    catalogue: Catalogue,
    registry: UnitRegistry,
    district: str,
    year: int,
    sections=None,
    district_row: bool = True,
) -> TemplateSpec:
    """What the template holds: every element of the chosen sections, one row per commune.

    Elements with a category set get one column per option that applies to ``year``
    (``year_from``/``year_to``); an element with no applicable option is left out.
    """
    d = registry.unit(district)
    communes = [u for u in registry.children(d.code) if u.level == "commune"]
    rows = [FormRow(u, u.name) for u in communes]
    if district_row:
        rows.append(FormRow(d, district_row_label(d)))
    sheets = []
    used_titles: set[str] = set()
    for section in form_sections(catalogue, sections):
        cols = []
        for el in catalogue.elements.values():
            if el.section != section:
                continue
            if el.category_set:
                for opt in catalogue.categories[el.category_set].options:
                    if option_applies(opt, year):
                        span = option_period(opt)
                        cols.append(
                            FormColumn(el, opt.code, opt.short("vi") + (" (số liệu cả kỳ)" if span else ""))
                        )
            else:
                cols.append(FormColumn(el, "", ""))
        if cols:
            title = _sheet_title(section_title(section), used_titles)
            sheets.append(FormSheet(section, title, tuple(cols)))
    province = registry.parent(d.code) if d.parent else None
    return TemplateSpec(d, province, int(year), tuple(rows), tuple(sheets))


def _sheet_title(title: str, used: set[str]) -> str:
    t = re.sub(r"[\[\]:*?/\\]", "-", title).strip("'")[:31] or "Trang"
    base, n = t, 2
    while t.lower() in {u.lower() for u in used} or t == INSTRUCTIONS:
        suffix = f" ({n})"
        t = base[: 31 - len(suffix)] + suffix
        n += 1
    used.add(t)
    return t


# ----------------------------------------------------------------------------- template workbook

_THIN = Side(style="thin", color="808080")
_BORDER = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
_HEAD_FILL = PatternFill("solid", fgColor="DDEBF7")
_INPUT_FILL = PatternFill("solid", fgColor="FFF2CC")


def _font(**kw) -> Font:
    return Font(name="Calibri", **kw)


_CODE_FONT = _font(color="808080", size=8)
_WRAP_CENTER = Alignment(horizontal="center", vertical="center", wrap_text=True)


def safe_text(cell, value: str) -> None:
    """Write text that can never become a formula, an error value or a command.

    openpyxl turns a string starting with ``=`` into a formula; Excel and LibreOffice treat
    text starting with ``= + - @`` as formulas when it is re-typed or re-imported. The cell
    is forced to string type and gets the quote prefix (the invisible apostrophe of Excel).
    """
    cell.value = value
    cell.data_type = "s"
    if value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        cell.quotePrefix = True


def number_format(el: Element) -> str:
    if el.value_type == "integer":
        return "#,##0"
    if el.value_type == "number":
        d = max(int(el.decimals or 0), 1)
        return "#,##0." + "0" * d + "#" * max(0, 3 - d)
    return "General"


def validation_for(el: Element) -> DataValidation:
    """Cell validation from the element: type and range; a drop-down for booleans."""
    lo, hi = el.min, el.max
    if el.value_type == "boolean":
        dv = DataValidation(type="list", formula1='"' + ",".join(YES_NO) + '"', allow_blank=True)
        dv.error = "Chọn Có hoặc Không trong danh sách."
        dv.prompt = "Chọn Có (đạt) hoặc Không."
    else:
        kind = "whole" if el.value_type == "integer" else "decimal"
        if lo is not None and hi is not None:
            dv = DataValidation(
                type=kind,
                operator="between",
                formula1=_formula_number(lo),
                formula2=_formula_number(hi),
                allow_blank=True,
            )
            rng = f"từ {_vi_number(lo)} đến {_vi_number(hi)}"
        elif lo is not None:
            dv = DataValidation(
                type=kind, operator="greaterThanOrEqual", formula1=_formula_number(lo), allow_blank=True
            )
            rng = f"≥ {_vi_number(lo)}"
        elif hi is not None:
            dv = DataValidation(
                type=kind, operator="lessThanOrEqual", formula1=_formula_number(hi), allow_blank=True
            )
            rng = f"≤ {_vi_number(hi)}"
        else:
            dv = DataValidation(
                type=kind, operator="between", formula1="-1E+15", formula2="1E+15", allow_blank=True
            )
            rng = ""
        what = "số nguyên" if kind == "whole" else "số"
        dv.error = (
            f"Nhập {what} {rng} ({el.unit_vi}). Không gõ dấu phân cách hàng nghìn; để trống nếu "
            "không có số liệu."
        )[:255]
        dv.prompt = f"{what.capitalize()} {rng}, đơn vị: {el.unit_vi}"[:255]
    dv.errorTitle = "Số liệu không hợp lệ"
    dv.promptTitle = el.name_vi[:32]
    dv.showErrorMessage = True
    dv.showInputMessage = True
    dv.errorStyle = "stop"
    return dv


def _formula_number(v: float) -> str:
    return str(int(v)) if float(v).is_integer() else repr(float(v))


def _vi_number(v: float) -> str:
    from baocao.fmt import number

    return number(v, 0 if float(v).is_integer() else 2)


def meta_text(spec: TemplateSpec, section: str) -> str:
    return f"{MARKER} {VERSION} year={spec.year} district={spec.district.code} section={section}"


def title_text(spec: TemplateSpec) -> str:
    where = spec.district.name + (f", {spec.province.name}" if spec.province else "")
    if len(spec.rows) == 1:
        where = (
            f"{spec.rows[0].unit.name}, {where}"
            if spec.rows[0].unit.code != spec.district.code
            else spec.rows[0].label
        )
    return f"BIỂU MẪU SỐ LIỆU NĂM {spec.year} – {where}"


def build_workbook(spec: TemplateSpec) -> Workbook:
    """The template as an in-memory workbook (save it with :func:`baocao.excel.files.save_workbook`)."""
    wb = Workbook()
    _instructions_sheet(wb.active, spec)
    for sheet in spec.sheets:
        _data_sheet(wb.create_sheet(sheet.title), spec, sheet)
    wb.active = 0
    wb.properties.title = title_text(spec)
    wb.properties.creator = "baocao"
    wb.properties.keywords = f"baocao {VERSION} {spec.district.code} {spec.year}"
    return wb


def _protect(ws) -> None:
    """Protect the sheet without a password; column widths and row heights stay adjustable."""
    p = ws.protection
    p.sheet = True
    p.formatColumns = False
    p.formatRows = False
    p.selectLockedCells = False
    p.selectUnlockedCells = False


def _data_sheet(ws, spec: TemplateSpec, sheet: FormSheet) -> None:
    cols = sheet.columns
    last = FIRST_DATA_COLUMN + len(cols) - 1
    last_letter = get_column_letter(last)
    # title and subtitle
    safe_text(ws.cell(1, 2), f"{title_text(spec)} – {sheet.title.upper()}")
    ws.cell(1, 2).font = _font(bold=True, size=13)
    ws.merge_cells(start_row=1, start_column=2, end_row=1, end_column=max(last, 3))
    safe_text(
        ws.cell(2, 2),
        "Chỉ nhập vào các ô màu vàng, mỗi dòng một đơn vị. Gõ số bình thường (4489, không gõ 4.489); để "
        "trống nếu không có số liệu. Xem trang “Hướng dẫn”.",
    )
    ws.cell(2, 2).font = _font(italic=True, size=9)
    ws.cell(2, 2).alignment = Alignment(wrap_text=True, vertical="top")
    ws.merge_cells(start_row=2, start_column=2, end_row=2, end_column=max(last, 3))
    # narrow sheets (one or two elements): wrap the title instead of letting it run past the print area
    width = 5 + 30 + 15 * len(cols)
    ws.cell(1, 2).alignment = Alignment(wrap_text=True, vertical="center")
    ws.row_dimensions[1].height = 20 * max(1, math.ceil(len(ws.cell(1, 2).value) * 1.5 / width))
    ws.row_dimensions[2].height = 13 * max(2, math.ceil(len(ws.cell(2, 2).value) * 1.0 / width))
    # fixed headings
    for col, text in ((1, "Mã đơn vị"), (2, "STT"), (3, "Xã, thị trấn")):
        safe_text(ws.cell(3, col), text)
        ws.merge_cells(start_row=3, start_column=col, end_row=5, end_column=col)
    # element headings, merged over the element's topic columns
    i = 0
    while i < len(cols):
        el = cols[i].element
        j = i
        while j + 1 < len(cols) and cols[j + 1].element.code == el.code:
            j += 1
        first, lastc = FIRST_DATA_COLUMN + i, FIRST_DATA_COLUMN + j
        safe_text(ws.cell(3, first), el.name_vi)
        if el.category_set:
            if lastc > first:
                ws.merge_cells(start_row=3, start_column=first, end_row=3, end_column=lastc)
            for k in range(i, j + 1):
                safe_text(ws.cell(4, FIRST_DATA_COLUMN + k), cols[k].category_label)
        else:
            ws.merge_cells(start_row=3, start_column=first, end_row=4, end_column=first)
        for k in range(i, j + 1):
            safe_text(
                ws.cell(5, FIRST_DATA_COLUMN + k),
                "(Có / Không)" if el.value_type == "boolean" else f"({el.unit_vi})",
            )
        i = j + 1
    for r in HEADER_ROWS:
        for col in range(1, last + 1):
            cell = ws.cell(r, col)
            cell.fill = _HEAD_FILL
            cell.border = _BORDER
            cell.alignment = _WRAP_CENTER
            cell.font = _font(bold=r == 3, italic=r == 5, size=10 if r == 3 else 9)
    longest = max(
        (
            len(col.element.name_vi) / max(1, sum(1 for x in cols if x.element.code == col.element.code))
            for col in cols
        ),
        default=10,
    )
    ws.row_dimensions[3].height = max(30, 13 * math.ceil(longest / 15))
    ws.row_dimensions[4].height = 40 if any(col.category for col in cols) else 15
    ws.row_dimensions[5].height = 26
    # hidden code row
    safe_text(ws.cell(CODE_ROW, 1), meta_text(spec, sheet.section))
    probe = ws.cell(CODE_ROW, 2, PROBE_VALUE)
    probe.number_format = PROBE_FORMAT
    safe_text(ws.cell(CODE_ROW, 3), NAME_CODE)
    for k, col in enumerate(cols):
        safe_text(ws.cell(CODE_ROW, FIRST_DATA_COLUMN + k), col.code)
    for col in range(1, last + 1):
        ws.cell(CODE_ROW, col).font = _CODE_FONT
    ws.row_dimensions[CODE_ROW].hidden = True
    # one row per unit
    for n, row in enumerate(spec.rows):
        r = FIRST_DATA_ROW + n
        ws.row_dimensions[r].height = 18
        safe_text(ws.cell(r, 1), row.unit.code)
        ws.cell(r, 2, n + 1)
        safe_text(ws.cell(r, 3), row.label)
        for col in (1, 2, 3):
            ws.cell(r, col).border = _BORDER
            ws.cell(r, col).font = _font(size=10, italic=row.unit.code == spec.district.code)
        ws.cell(r, 2).alignment = Alignment(horizontal="center", vertical="center")
        ws.cell(r, 3).alignment = Alignment(wrap_text=True, vertical="center")
        for k, col in enumerate(cols):
            cell = ws.cell(r, FIRST_DATA_COLUMN + k)
            cell.fill = _INPUT_FILL
            cell.border = _BORDER
            cell.protection = Protection(locked=False)
            cell.number_format = number_format(col.element)
            cell.alignment = Alignment(
                horizontal="center" if col.element.value_type == "boolean" else None, vertical="center"
            )
    last_row = FIRST_DATA_ROW + len(spec.rows) - 1
    # validations: one per element (same rule for all its topic columns)
    by_element: dict[str, list[int]] = {}
    for k, col in enumerate(cols):
        by_element.setdefault(col.element.code, []).append(FIRST_DATA_COLUMN + k)
    for code, cnums in by_element.items():
        dv = validation_for(cols[[x.element.code for x in cols].index(code)].element)
        for cn in cnums:
            letter = get_column_letter(cn)
            dv.add(f"{letter}{FIRST_DATA_ROW}:{letter}{last_row}")
        ws.add_data_validation(dv)
    # layout
    ws.column_dimensions["A"].width = 9
    ws.column_dimensions["A"].hidden = True
    ws.column_dimensions["B"].width = 5
    ws.column_dimensions["C"].width = 30
    for k in range(len(cols)):
        ws.column_dimensions[get_column_letter(FIRST_DATA_COLUMN + k)].width = 15
    ws.freeze_panes = ws.cell(FIRST_DATA_ROW, FIRST_DATA_COLUMN).coordinate
    ws.print_title_rows = "3:5"
    ws.print_title_cols = "B:C"
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 1 if len(spec.rows) <= 40 else 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_area = f"B1:{last_letter}{last_row}"
    _protect(ws)


_INSTR_WIDTHS = (20, 46, 30, 16, 18, 40)


def _instructions_sheet(ws, spec: TemplateSpec) -> None:
    ws.title = INSTRUCTIONS
    sheet_names = ", ".join(f"“{s.title}”" for s in spec.sheets)
    lines = [
        (title_text(spec), _font(bold=True, size=14)),
        (
            f"Đơn vị điền biểu: các xã, thị trấn của {spec.district.name}"
            + (
                " và cơ quan cấp huyện (dòng cuối)."
                if any(r.unit.code == spec.district.code for r in spec.rows)
                else "."
            ),
            _font(italic=True),
        ),
        ("", None),
        ("HƯỚNG DẪN ĐIỀN BIỂU", _font(bold=True, size=12)),
        (
            f"1. Mỗi trang tính là một nhóm chỉ tiêu: {sheet_names}. Mỗi dòng là một đơn vị; mỗi cột là một "
            "chỉ tiêu, đơn vị tính ghi dưới tên chỉ tiêu.",
            None,
        ),
        (
            "2. Chỉ nhập vào các ô màu vàng. Các ô khác được khóa để giữ cấu trúc biểu (bảo vệ trang tính, "
            "không đặt mật khẩu). Có thể đổi độ rộng cột.",
            None,
        ),
        (
            "3. Gõ số bình thường, không gõ dấu chấm hay dấu phẩy phân cách hàng nghìn: gõ 4489, Excel tự "
            "hiển thị 4.489. Không nhập số dưới dạng văn bản (không gõ dấu ' ở đầu).",
            None,
        ),
        (
            "4. Số thập phân (ví dụ thu nhập 64,8 triệu đồng): gõ như bình thường trên máy của bạn (máy cài "
            "tiếng Việt dùng dấu phẩy thập phân).",
            None,
        ),
        (
            f"5. Chỉ tiêu dạng Có/Không: chọn “{YES_NO[0]}” hoặc “{YES_NO[1]}” trong danh sách thả xuống "
            f"({YES_NO[0]} = 1, {YES_NO[1]} = 0).",
            None,
        ),
        (
            "6. Không có số liệu thì để trống ô (không ghi 0, không ghi “-”). Chỉ ghi 0 khi số liệu thực sự "
            "bằng 0.",
            None,
        ),
        (
            "7. Không cần tính tỷ lệ (%): phần mềm tính tỷ lệ từ các số đếm và cộng số liệu lên cấp huyện.",
            None,
        ),
        (
            "8. Dòng “Cấp huyện”: chỉ ghi số liệu của riêng cơ quan cấp huyện (ví dụ bác sĩ Trung tâm Y tế "
            "huyện), KHÔNG ghi tổng cộng các xã.",
            None,
        ),
        (
            "9. Không xóa hay sửa các dòng, cột ẩn (mã đơn vị, mã chỉ tiêu): phần mềm dùng chúng để đọc "
            "biểu. Đổi tên trang tính vẫn đọc được.",
            None,
        ),
        (
            "10. Lưu tệp dạng Excel (.xlsx) và gửi lại. Nếu cần lưu CSV thì lưu từng trang tính, mã UTF-8.",
            None,
        ),
        ("", None),
        ("DANH MỤC CHỈ TIÊU", _font(bold=True, size=12)),
    ]
    for r, (text, font) in enumerate(lines, start=1):
        if text:
            safe_text(ws.cell(r, 1), text)
        if font:
            ws.cell(r, 1).font = font
        ws.cell(r, 1).alignment = Alignment(wrap_text=True, vertical="top")
        ws.merge_cells(start_row=r, start_column=1, end_row=r, end_column=6)
        ws.row_dimensions[r].height = 15 * max(1, math.ceil(len(text) / 150))
    r = len(lines) + 1
    head = ("Trang tính", "Chỉ tiêu", "Phân tổ (chuyên đề)", "Đơn vị tính", "Kiểu số liệu", "Ghi chú")
    for c, text in enumerate(head, start=1):
        cell = ws.cell(r, c)
        safe_text(cell, text)
        cell.font = _font(bold=True)
        cell.fill = _HEAD_FILL
        cell.border = _BORDER
        cell.alignment = _WRAP_CENTER
    for sheet in spec.sheets:
        for col in sheet.columns:
            r += 1
            el = col.element
            rng = TYPE_LABELS[el.value_type][0]
            if el.max is not None and el.value_type != "boolean":
                rng += f", ≤ {_vi_number(el.max)}"
            values = (sheet.title, el.name_vi, col.category_label, el.unit_vi, rng, el.description_vi)
            ws.row_dimensions[r].height = 14 * max(
                math.ceil(len(str(t or "")) / (w * 1.1)) for t, w in zip(values, _INSTR_WIDTHS)
            )
            for c, text in enumerate(values, start=1):
                cell = ws.cell(r, c)
                safe_text(cell, str(text or ""))
                cell.border = _BORDER
                cell.alignment = Alignment(wrap_text=True, vertical="top")
    for letter, width in zip("ABCDEF", _INSTR_WIDTHS):
        ws.column_dimensions[letter].width = width
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    _protect(ws)


# ----------------------------------------------------------------------------- reading forms


@dataclass
class Grid:
    """The cells of one sheet (or one CSV file), 1-based ``(row, column)``.

    ``cells`` holds values as read (numbers, text, booleans, dates); ``formulas`` the
    formula text of formula cells (their value in ``cells`` is the cached result or None).
    ``kind`` is ``"xlsx"`` or ``"csv"``; a CSV's cells are all text.
    """

    file: str  # file name shown to the user
    sheet: str | None  # None for a CSV file
    cells: dict[tuple[int, int], Any]
    formulas: dict[tuple[int, int], str] = field(default_factory=dict)
    kind: str = "xlsx"


ITEM_COLUMNS = [
    "unit",
    "year",
    "element",
    "category",
    "value",
    "text",
    "source",
    "note",
    "file",
    "sheet",
    "cell",
]
PROBLEM_FIELDS = ["file", "sheet", "cell", "line", "rule", "value", "importance", "message_vi", "message_en"]


def form_problem(file, sheet, cell, rule, value, vi, en, importance="blocking", line="") -> dict:
    return dict(
        file=str(file),
        sheet=sheet,
        cell=cell,
        line=line,
        rule=rule,
        value=str(value),
        importance=importance,
        message_vi=vi,
        message_en=en,
    )


@dataclass
class FormRead:
    items: pd.DataFrame  # ITEM_COLUMNS; one row per filled cell that could be read
    problems: list[dict]
    notes: list[tuple[str, str]] = field(default_factory=list)  # (vi, en) information lines
    sheets: int = 0


def source_label(file: str, sheet: str | None) -> str:
    return f"Biểu mẫu {file}" + (f" (sheet {sheet})" if sheet else "")


def _ref(row: int, col: int) -> str:
    return f"{get_column_letter(col)}{row}"


def _empty(v) -> bool:
    return v is None or (isinstance(v, str) and v.replace("\u00a0", " ").strip() == "")


def _text(v) -> str:
    if isinstance(v, float) and v.is_integer():
        return str(int(v))
    return str(v).replace("\u00a0", " ").strip()


_PROBE = re.compile(r"1([.,'\u00a0\u202f ]?)234([.,])5")


def number_style(text: str) -> tuple[str, str] | None:
    """(thousands separator, decimal separator) shown by the probe cell 1234.5 of a CSV export."""
    m = _PROBE.fullmatch(str(text).strip())
    if not m or m.group(1) == m.group(2):
        return None
    return m.group(1), m.group(2)


def apply_style(text: str, style: tuple[str, str] | None):
    """A CSV cell written in the file's own number style (known from its probe) as a float; else the text."""
    if style is None or style == ("", "."):
        return text
    g, d = (re.escape(x) for x in style)
    grouped = rf"[+-]?\d{{1,3}}({g}\d{{3}})+({d}\d+)?" if style[0] else None
    plain = rf"[+-]?\d+({d}\d+)?"
    if (grouped and re.fullmatch(grouped, text)) or re.fullmatch(plain, text):
        return float(
            text.replace(style[0], "").replace(style[1], ".") if style[0] else text.replace(style[1], ".")
        )
    return text


def parse_meta(text: str) -> dict[str, str]:
    parts = str(text).split()
    return dict(p.split("=", 1) for p in parts[1:] if "=" in p)


def _bool_from_text(s: str):
    f = fold(s)
    if f in ("co", "yes", "true", "dat"):
        return 1.0
    if f in ("khong", "no", "false", "khong dat"):
        return 0.0
    return None


def _cell_value(v, element: Element, style) -> float:
    """One filled cell as a number; raises NumberFormatError with the core's messages."""
    if isinstance(v, (_dt.datetime, _dt.date, _dt.time)):
        raise NumberFormatError(
            str(v),
            f'"{v}" is a date, not a number (Excel turned what was typed into a date); type the number again '
            "and format the cell as a number",
            f'"{v}" là ngày tháng, không phải số (Excel đã tự đổi thành ngày); hãy gõ lại số và định dạng ô '
            "là số",
        )
    if isinstance(v, str):
        s = v.replace("\u00a0", " ").strip()
        if element.value_type == "boolean":
            b = _bool_from_text(s)
            if b is not None:
                return b
        v = apply_style(s, style) if style else s
    return parse_number(v, element.value_type)


def _value_text(v: float) -> str:
    return str(int(v)) if float(v).is_integer() else repr(float(v))


def read_forms(grids: list[Grid], catalogue: Catalogue, registry: UnitRegistry) -> FormRead:
    """Observations and problems from the sheets of filled forms (sheets without the marker are skipped)."""
    items: list[dict] = []
    problems: list[dict] = []
    notes: list[tuple[str, str]] = []
    n_sheets = 0
    by_file: dict[str, int] = {}
    for g in grids:
        by_file.setdefault(g.file, 0)
        marker = sorted(
            (rc for rc, v in g.cells.items() if isinstance(v, str) and v.strip().startswith(MARKER))
        )
        if not marker:
            continue
        by_file[g.file] += 1
        n_sheets += 1
        _read_grid(g, marker[0], catalogue, registry, items, problems, notes)
    for file, n in by_file.items():
        if n == 0:
            problems.append(
                form_problem(
                    file,
                    None,
                    None,
                    "form",
                    "",
                    "không tìm thấy biểu mẫu baocao (thiếu dòng mã ẩn “#baocao”); hãy dùng biểu mẫu tạo bằng "
                    "“baocao template” (tệp CSV: lưu trang số liệu, không phải trang Hướng dẫn)",
                    "no baocao form found (the hidden “#baocao” code row is missing); use a workbook made by "
                    "“baocao template” (for CSV: save a data sheet, not the instructions)",
                )
            )
    df = pd.DataFrame(items, columns=ITEM_COLUMNS)
    df, dup_problems = _drop_duplicates(df)
    return FormRead(df, problems + dup_problems, notes, n_sheets)


def _read_grid(
    g: Grid, marker: tuple[int, int], catalogue: Catalogue, registry: UnitRegistry, items, problems, notes
) -> None:
    code_row, unit_col = marker
    meta = parse_meta(g.cells[marker])
    where = _ref(code_row, unit_col)

    def prob(cell, rule, value, vi, en, importance="blocking"):
        problems.append(form_problem(g.file, g.sheet, cell, rule, value, vi, en, importance))

    try:
        year = parse_year(meta.get("year", ""))
    except NumberFormatError as exc:
        prob(
            where,
            "form",
            meta.get("year", ""),
            f"dòng mã ẩn hỏng: {exc.message_vi}",
            f"damaged hidden code row: {exc.message_en}",
        )
        return
    district = meta.get("district", "")
    if district not in registry:
        prob(
            where,
            "form",
            district,
            f"dòng mã ẩn hỏng: không có đơn vị '{district}'",
            f"damaged hidden code row: unknown district '{district}'",
        )
        return
    allowed = {district: registry.unit(district)} | {u.code: u for u in registry.children(district)}
    # the code row: which column holds what
    name_col = None
    style = None
    columns: dict[int, tuple[Element, str]] = {}
    known_cols = {unit_col}
    for (r, c), v in g.cells.items():
        if r != code_row or c == unit_col or _empty(v):
            continue
        known_cols.add(c)
        t = _text(v)
        if t == NAME_CODE:
            name_col = c
            continue
        if isinstance(v, (int, float)) and not isinstance(v, bool) and float(v) == PROBE_VALUE:
            continue
        if number_style(t) is not None:
            style = number_style(t)
            continue
        el_code, _, category = t.partition("|")
        el = catalogue.elements.get(el_code)
        if el is None:
            prob(
                _ref(r, c),
                "form",
                t,
                f"cột mã “{t}” không có trong danh mục chỉ tiêu (biểu mẫu cũ hơn hoặc mới hơn danh mục?); "
                "cột này không được nhập",
                f"column code “{t}” is not in the catalogue (form older or newer than the catalogue?); the "
                "column cannot be imported",
            )
            continue
        if category and (
            not el.category_set
            or category not in {o.code for o in catalogue.categories[el.category_set].options}
        ):
            prob(
                _ref(r, c),
                "form",
                t,
                f"phân tổ “{category}” không hợp lệ cho chỉ tiêu {el_code}",
                f"category “{category}” is not valid for element {el_code}",
            )
            continue
        if el.category_set and not category:
            prob(
                _ref(r, c),
                "form",
                t,
                f"chỉ tiêu {el_code} cần phân tổ (mã dạng {el_code}|…)",
                f"element {el_code} needs a category (code like {el_code}|…)",
            )
            continue
        columns[c] = (el, category)
    if g.kind == "csv" and style not in (None, ("", ".")):
        notes.append(
            (
                f"{g.file}: số đọc theo kiểu {'1' + style[0] + '234' + style[1] + '5'} (theo ô kiểm tra của "
                "biểu mẫu)",
                f"{g.file}: numbers read in the style {'1' + style[0] + '234' + style[1] + '5'} (from the "
                "form's check cell)",
            )
        )
    # data rows: everything below the code row
    rows: dict[int, dict[int, Any]] = {}
    for (r, c), v in g.cells.items():
        if r > code_row and (not _empty(v) or (r, c) in g.formulas):
            rows.setdefault(r, {})[c] = v
    for r, c in g.formulas:
        if r > code_row:
            rows.setdefault(r, {}).setdefault(c, g.cells.get((r, c)))
    extra: dict[int, str] = {}
    source = source_label(g.file, g.sheet)
    for r in sorted(rows):
        row = rows[r]
        for c in row:
            if c not in known_cols and c not in extra and not _empty(row[c]):
                extra[c] = _ref(r, c)
        filled = {c: v for c, v in row.items() if c in columns and (not _empty(v) or (r, c) in g.formulas)}
        if not filled:
            continue
        unit = _resolve_unit(
            row.get(unit_col),
            row.get(name_col) if name_col else None,
            allowed,
            registry,
            r,
            unit_col,
            name_col,
            district,
            prob,
        )
        for c in sorted(filled):
            el, category = columns[c]
            v = filled[c]
            ref = _ref(r, c)
            if (r, c) in g.formulas and _empty(v):
                prob(
                    ref,
                    "formula",
                    g.formulas[(r, c)],
                    f"ô có công thức {g.formulas[(r, c)]} nhưng không có giá trị đã tính (tệp chưa được mở "
                    "và lưu bằng Excel/LibreOffice); hãy mở, lưu lại, hoặc gõ số",
                    f"the cell holds the formula {g.formulas[(r, c)]} with no computed value (the file was "
                    "never recalculated and saved by Excel/LibreOffice); open and save it, or type the "
                    "number",
                )
                continue
            try:
                value = _cell_value(v, el, style if g.kind == "csv" else None)
            except NumberFormatError as exc:
                prob(ref, "number", _text(v), exc.message_vi, exc.message_en)
                continue
            if (r, c) in g.formulas:
                problems.append(
                    form_problem(
                        g.file,
                        g.sheet,
                        ref,
                        "formula",
                        g.formulas[(r, c)],
                        f"ô là công thức {g.formulas[(r, c)]}; lấy giá trị đã tính {_value_text(value)}",
                        f"the cell is the formula {g.formulas[(r, c)]}; its computed value "
                        f"{_value_text(value)} was taken",
                        "warning",
                    )
                )
            if unit is None:
                continue
            items.append(
                dict(
                    unit=unit,
                    year=item_period(catalogue, el, category, year),
                    element=el.code,
                    category=category,
                    value=value,
                    text=_value_text(value),
                    source=source,
                    note="",
                    file=g.file,
                    sheet=g.sheet,
                    cell=ref,
                )
            )
    for c, ref in sorted(extra.items()):
        letter = get_column_letter(c)
        problems.append(
            form_problem(
                g.file,
                g.sheet,
                ref,
                "extra_column",
                "",
                f"cột {letter} không thuộc biểu mẫu (không có mã ở dòng ẩn); bỏ qua",
                f"column {letter} is not part of the form (no code in the hidden row); ignored",
                "warning",
            )
        )


def _resolve_unit(
    code_v, name_v, allowed: dict[str, Unit], registry: UnitRegistry, r, unit_col, name_col, district, prob
) -> str | None:
    code = _text(code_v) if not _empty(code_v) else ""
    name = _text(name_v) if not _empty(name_v) else ""
    d = allowed[district]

    def by_name(text: str) -> list[str]:
        f = fold(text)
        hits = [
            c
            for c, u in allowed.items()
            if f in (fold(u.name), fold(u.short), fold(district_row_label(d)) if c == district else "")
        ]
        if not hits:
            hits = [u.code for u in registry.find(text) if u.code in allowed] if text else []
        return hits

    if code:
        if re.fullmatch(r"\d+", code) and code not in allowed:
            code = next((c for c in (code.zfill(3), code.zfill(5)) if c in allowed), code)
        if code not in allowed:
            col = get_column_letter(unit_col)
            vi = f"mã đơn vị “{code}” (cột ẩn {col}) không phải là xã, thị trấn của {d.name} ({district})" + (
                f"; tên ghi: {name}" if name else ""
            )
            en = f"unit code “{code}” (hidden column {col}) is not a commune of {d.name} ({district})" + (
                f"; name given: {name}" if name else ""
            )
            prob(_ref(r, unit_col), "unit", code, vi, en)
            return None
        if name and name_col:
            hits = by_name(name)
            if hits and code not in hits:
                other = allowed[hits[0]]
                prob(
                    _ref(r, name_col),
                    "unit",
                    name,
                    f"tên “{name}” là {other.name} nhưng mã ẩn của dòng là {code} ({allowed[code].name}); "
                    "không rõ số liệu của đơn vị nào",
                    f"the name “{name}” is {other.name} but the row's hidden code is {code} "
                    f"({allowed[code].name}); unclear whose figures these are",
                )
                return None
        return code
    if name:
        try:
            hits = by_name(name)
        except LookupError:
            hits = []
        if len(hits) == 1:
            return hits[0]
        ref = _ref(r, name_col) if name_col else f"dòng {r}"
        prob(
            ref,
            "unit",
            name,
            f"không tìm thấy xã, thị trấn “{name}” thuộc {d.name}",
            f"no commune “{name}” in {d.name}",
        )
        return None
    ref = _ref(r, name_col) if name_col else _ref(r, unit_col)
    prob(
        ref,
        "unit",
        "",
        f"dòng {r} có số liệu nhưng không có mã hay tên đơn vị",
        f"row {r} has figures but no unit code or name",
    )
    return None


def _drop_duplicates(df: pd.DataFrame) -> tuple[pd.DataFrame, list[dict]]:
    """The same unit/year/element/category given twice: identical values kept once, different ones refused."""
    if df.empty:
        return df, []
    problems = []
    keep = []
    for _, g in df.groupby(KEY, sort=False):
        if len(g) == 1 or g["value"].nunique() == 1:
            keep.append(g.index[0])
            continue
        places = "; ".join(f"{_place_short(r)} = {r.text}" for r in g.itertuples())
        for r in g.itertuples():
            problems.append(
                form_problem(
                    r.file,
                    r.sheet,
                    r.cell,
                    "duplicate",
                    r.text,
                    f"cùng đơn vị, năm, chỉ tiêu được ghi nhiều lần với số khác nhau: {places}",
                    f"the same unit, year and element is given several times with different values: {places}",
                )
            )
    return df.loc[sorted(keep)].reset_index(drop=True), problems


def _place_short(r) -> str:
    return f"{r.file}" + (f" [{r.sheet}]" if r.sheet else "") + f" {r.cell}"


# ----------------------------------------------------------------------------- merging into the data file

ITEM_LINE_OFFSET = 10_000_000
JOURNAL_COLUMNS = [
    "batch",
    "timestamp",
    "user",
    "data_file",
    "source_file",
    "unit",
    "year",
    "element",
    "category",
    "action",
    "old_value",
    "new_value",
    "old_source",
    "new_source",
    "old_note",
    "new_note",
    "undoes",
]


@dataclass
class ImportPlan:
    data: pd.DataFrame  # the data file as it would be written (strings, file columns)
    adds: pd.DataFrame  # items added
    replaced: pd.DataFrame  # conflicts applied (with --replace)
    conflicts: (
        pd.DataFrame
    )  # items whose value differs from the data file: key, old, new, source, file, sheet, cell
    identical: int
    problems: list[dict]
    journal: list[dict]  # without batch / timestamp / user

    @property
    def blocking(self) -> list[dict]:
        return [p for p in self.problems if p["importance"] == "blocking"]

    @property
    def changes(self) -> int:
        return len(self.adds) + len(self.replaced)


def _key_of(row) -> tuple[str, str, str, str]:
    return (str(row["unit"]), str(row["year"]), str(row["element"]), str(row.get("category", "") or ""))


def _journal_entry(it, action: str, old_value, old_source, old_note) -> dict:
    """One row of the import journal: what ``action`` ("add" / "replace") did to the row of item ``it``."""
    return dict(
        source_file=it.file,
        unit=it.unit,
        year=str(it.year),
        element=it.element,
        category=it.category,
        action=action,
        old_value=old_value,
        new_value=it.text,
        old_source=old_source,
        new_source=it.source,
        old_note=old_note,
        new_note=it.note,
    )


def plan_import(
    existing: pd.DataFrame,
    data_label: str,
    items: pd.DataFrame,
    catalogue: Catalogue,
    registry: UnitRegistry,
    replace: bool = False,
    item_problems: list[dict] | None = None,
) -> ImportPlan:
    """Merge imported items into the data file's rows (strings, index = file line) and validate the result.

    New keys are added; equal values ignored; different values are conflicts, applied
    only with ``replace``. The result is checked with the core's ``parse_observations``
    and ``check_rules``; problems already present in the data file alone are not repeated
    (but blocking ones still block), the others are mapped to their sheet and cell.
    """
    problems = list(item_problems or [])
    existing = existing.copy()
    for c in COLUMNS:
        if c not in existing.columns:
            existing[c] = ""
    if existing.index.name != "line":
        existing.index = pd.RangeIndex(2, 2 + len(existing), name="line")
    base_typed, base_probs = (
        parse_observations(existing, data_label, catalogue, registry)
        if len(existing)
        else (None, pd.DataFrame(columns=["importance"]))
    )
    base_rules = (
        check_rules(base_typed, catalogue) if base_typed is not None and len(base_typed) else pd.DataFrame()
    )
    baseline = [*base_probs.to_dict("records"), *(base_rules.to_dict("records") if len(base_rules) else [])]
    for p in baseline:
        if p["importance"] == "blocking":
            problems.append(
                form_problem(
                    data_label,
                    None,
                    None,
                    p["rule"],
                    p["value"],
                    f"tệp số liệu đã có lỗi (cột {p['column']}): {p['message_vi']}; sửa tệp trước (baocao "
                    "validate)",
                    f"the data file already has a problem (column {p['column']}): {p['message_en']}; fix it "
                    "first (baocao validate)",
                    line=p["row"],
                )
            )
    baseline_ids = {(p["rule"], p["message_en"]) for p in baseline}

    existing_value: dict[tuple, tuple[int, float]] = {}
    if base_typed is not None:
        periods = base_typed["period"] if "period" in base_typed else [""] * len(base_typed)
        for line, u, y, per, e, c, v in zip(
            base_typed["line"],
            base_typed["unit"],
            base_typed["year"],
            periods,
            base_typed["element"],
            base_typed["category"],
            base_typed["value"],
        ):
            existing_value[(str(u), per or str(y), str(e), str(c))] = (int(line), float(v))
    merged = existing.copy()
    add_rows, add_idx, rep_idx, conflicts = [], [], [], []
    provenance: dict[int, int] = {}  # merged line -> item position
    identical = 0
    journal = []
    cols = list(existing.columns)
    for i, it in enumerate(items.itertuples(index=False)):
        key = (it.unit, str(it.year), it.element, it.category)
        line = ITEM_LINE_OFFSET + i
        if key not in existing_value:
            row = {c: "" for c in cols}
            row.update(
                unit=it.unit,
                year=str(it.year),
                element=it.element,
                category=it.category,
                value=it.text,
                source=it.source,
                note=it.note,
            )
            add_rows.append((line, row))
            add_idx.append(i)
            provenance[line] = i
            journal.append(_journal_entry(it, "add", "", "", ""))
            continue
        old_line, old_value = existing_value[key]
        if math.isclose(old_value, it.value, rel_tol=1e-12, abs_tol=1e-12):
            identical += 1
            continue
        old = existing.loc[old_line]
        conflicts.append(
            dict(
                unit=it.unit,
                year=it.year,
                element=it.element,
                category=it.category,
                old=old["value"],
                new=it.text,
                source=it.source,
                file=it.file,
                sheet=it.sheet,
                cell=it.cell,
                old_source=old["source"],
            )
        )
        if replace:
            merged = merged.rename(index={old_line: line})
            merged.loc[line, ["value", "source", "note"]] = [it.text, it.source, it.note]
            rep_idx.append(i)
            provenance[line] = i
            journal.append(_journal_entry(it, "replace", old["value"], old["source"], old["note"]))
    if add_rows:
        extra = pd.DataFrame(
            [r for _, r in add_rows], index=pd.Index([ln for ln, _ in add_rows], name="line"), columns=cols
        )
        merged = pd.concat([merged, extra])
    merged.index.name = "line"

    # Validate with the core: the state that would be written, and the forms' every value
    # applied (a conflicting value is checked even when it is not applied).
    states = [(merged, provenance)]
    if not replace and conflicts:
        candidate, cand_prov = merged.copy(), dict(provenance)
        for i, it in enumerate(items.itertuples(index=False)):
            key = (it.unit, str(it.year), it.element, it.category)
            if key in existing_value and i not in provenance.values():
                old_line = existing_value[key][0]
                if old_line in candidate.index and not math.isclose(
                    existing_value[key][1], it.value, rel_tol=1e-12, abs_tol=1e-12
                ):
                    line = ITEM_LINE_OFFSET + i
                    candidate = candidate.rename(index={old_line: line})
                    candidate.loc[line, ["value", "source", "note"]] = [it.text, it.source, it.note]
                    cand_prov[line] = i
        candidate.index.name = "line"
        states.append((candidate, cand_prov))
    seen: set = set()
    for frame, prov in states:
        for p in _map_problems(frame, prov, items, catalogue, registry, baseline_ids, data_label):
            key = (p["file"], p["sheet"], p["cell"], p["line"], p["rule"], p["message_en"])
            if key not in seen:
                seen.add(key)
                problems.append(p)

    out = _ordered(merged, existing)
    return ImportPlan(
        data=out,
        adds=items.iloc[add_idx].reset_index(drop=True),
        replaced=items.iloc[rep_idx].reset_index(drop=True),
        conflicts=pd.DataFrame(
            conflicts,
            columns=[
                "unit",
                "year",
                "element",
                "category",
                "old",
                "new",
                "source",
                "file",
                "sheet",
                "cell",
                "old_source",
            ],
        ),
        identical=identical,
        problems=problems,
        journal=journal,
    )


def _map_problems(frame, provenance, items, catalogue, registry, baseline_ids, data_label) -> list[dict]:
    """Core validation of ``frame``; problems not already in the data file, placed at their sheet and cell."""
    typed, probs = parse_observations(frame, "<merged>", catalogue, registry)
    rules = check_rules(typed, catalogue)
    found = [*probs.to_dict("records"), *(rules.to_dict("records") if len(rules) else [])]
    rule_right = {r.id: r.right for r in catalogue.rules}
    item_at = {
        (it.unit, str(it.year), it.element, it.category): i
        for i, it in enumerate(items.itertuples(index=False))
    }
    out = []
    for p in found:
        if (p["rule"], p["message_en"]) in baseline_ids:
            continue
        line = int(p["row"]) if str(p["row"]).isdigit() else p["row"]
        i = provenance.get(line) if isinstance(line, int) else None
        if i is None and isinstance(line, int) and line in frame.index and p["rule"] in rule_right:
            # the left side is an old row: the import changed the right side
            row = frame.loc[line]
            i = item_at.get((row["unit"], row["year"], rule_right[p["rule"]], row["category"]))
            if i is None:
                i = item_at.get((row["unit"], row["year"], rule_right[p["rule"]], ""))
        if i is not None:
            it = items.iloc[i]
            out.append(
                form_problem(
                    it["file"],
                    it["sheet"],
                    it["cell"],
                    p["rule"],
                    p["value"],
                    p["message_vi"],
                    p["message_en"],
                    p["importance"],
                )
            )
        else:
            out.append(
                form_problem(
                    data_label,
                    None,
                    None,
                    p["rule"],
                    p["value"],
                    p["message_vi"],
                    p["message_en"],
                    p["importance"],
                    line=line,
                )
            )
    return out


def _ordered(merged: pd.DataFrame, existing: pd.DataFrame) -> pd.DataFrame:
    """Rows in a stable order: sorted if the file was sorted, else old rows
    in place and new ones at the end.
    """
    keys_old = _sort_keys(existing)
    is_sorted = all(a <= b for a, b in zip(keys_old, keys_old[1:]))
    df = merged.reset_index(drop=True)
    if is_sorted:
        keys = _sort_keys(df)
        df = df.iloc[sorted(range(len(df)), key=keys.__getitem__)]
    return df.reset_index(drop=True)


def _sort_keys(df: pd.DataFrame) -> list[tuple[str, str, str, str]]:
    return list(zip(*(df[c].astype(str) for c in ("year", "unit", "element", "category")))) if len(df) else []


def plan_undo(
    existing: pd.DataFrame, journal: pd.DataFrame, batch: str, data_name: str
) -> tuple[pd.DataFrame, list[dict], list[dict]]:
    """Revert one import batch: (data as it would be written, journal rows, problems).

    Only values still as the batch left them are reverted; anything changed since is a
    problem and nothing is reverted.
    """
    if journal.empty or batch not in set(journal["batch"]):
        known = list(dict.fromkeys(journal["batch"]))[-5:] if not journal.empty else []
        raise LookupError(
            f"no import batch {batch!r} in the journal / không có lô nhập {batch!r} trong nhật ký"
            + (f"; recent / gần đây: {', '.join(known)}" if known else "")
        )
    if (journal["undoes"] == batch).any():
        raise LookupError(f"batch {batch!r} was already undone / lô {batch!r} đã được hoàn tác")
    rows = journal[(journal["batch"] == batch)]
    rows = rows[rows["data_file"] == data_name] if (rows["data_file"] == data_name).any() else rows.iloc[0:0]
    if rows.empty:
        raise LookupError(
            f"batch {batch!r} did not change {data_name} / lô {batch!r} không ghi vào {data_name}"
        )
    if rows["action"].str.startswith("undo").any():
        raise LookupError(f"batch {batch!r} is itself an undo / lô {batch!r} là một lần hoàn tác")
    df = existing.copy().reset_index(drop=True)
    for c in COLUMNS:
        if c not in df.columns:
            df[c] = ""
    where = {_key_of(r): i for i, r in df.iterrows()}
    problems, out, drop = [], [], []
    for _, j in rows.iterrows():
        key = (j["unit"], j["year"], j["element"], j["category"])
        i = where.get(key)
        label = "/".join(k for k in key if k)
        if i is None:
            problems.append(
                form_problem(
                    data_name,
                    None,
                    None,
                    "undo",
                    label,
                    f"{label}: dòng đã bị xóa sau lần nhập này",
                    f"{label}: the row was removed after this import",
                )
            )
            continue
        cur = df.at[i, "value"]
        if not _same_number(cur, j["new_value"]):
            problems.append(
                form_problem(
                    data_name,
                    None,
                    None,
                    "undo",
                    label,
                    f"{label}: giá trị đã đổi thành {cur} sau lần nhập này (lần nhập ghi {j['new_value']})",
                    f"{label}: the value was changed to {cur} after this import (the import wrote "
                    f"{j['new_value']})",
                )
            )
            continue
        base = dict(
            source_file=j["source_file"],
            unit=j["unit"],
            year=j["year"],
            element=j["element"],
            category=j["category"],
            old_value=cur,
            old_source=df.at[i, "source"],
            old_note=df.at[i, "note"],
            undoes=batch,
        )
        if j["action"] == "add":
            drop.append(i)
            out.append(base | dict(action="undo_add", new_value="", new_source="", new_note=""))
        else:
            df.loc[i, ["value", "source", "note"]] = [j["old_value"], j["old_source"], j["old_note"]]
            out.append(
                base
                | dict(
                    action="undo_replace",
                    new_value=j["old_value"],
                    new_source=j["old_source"],
                    new_note=j["old_note"],
                )
            )
    df = df.drop(index=drop).reset_index(drop=True)
    return df[[c for c in existing.columns] or list(COLUMNS)], out, problems


def _same_number(a: str, b: str) -> bool:
    try:
        return math.isclose(float(a), float(b), rel_tol=1e-12, abs_tol=1e-12)
    except ValueError:
        return str(a).strip() == str(b).strip()


def journal_frame(rows: list[dict], batch: str, timestamp: str, user: str, data_name: str) -> pd.DataFrame:
    full = [
        {
            **{c: "" for c in JOURNAL_COLUMNS},
            **r,
            "batch": batch,
            "timestamp": timestamp,
            "user": user,
            "data_file": data_name,
        }
        for r in rows
    ]
    return pd.DataFrame(full, columns=JOURNAL_COLUMNS)


# ----------------------------------------------------------------------------- messages


def place(p: dict, lang: str = "vi") -> str:
    vi = lang == "vi"
    parts = [p["file"]]
    if p.get("sheet"):
        parts.append(f'trang "{p["sheet"]}"' if vi else f'sheet "{p["sheet"]}"')
    if p.get("cell"):
        parts.append(("ô " if vi else "cell ") + str(p["cell"]))
    if p.get("line") not in (None, ""):
        parts.append(("dòng " if vi else "line ") + str(p["line"]))
    return ", ".join(parts)


def format_problem(p: dict, lang: str = "vi", rule_ids=()) -> str:
    """One line: place, message in ``lang``, then the other language; catalogue rules by id."""
    vi = lang == "vi"
    msg, other = (p["message_vi"], p["message_en"]) if vi else (p["message_en"], p["message_vi"])
    level = "" if p["importance"] == "blocking" else (" [cảnh báo]" if vi else " [warning]")
    rule = f" (rule {p['rule']})" if p["rule"] in rule_ids else ""
    return f"{place(p, lang)}{level}: {msg} — {other}{rule}"
