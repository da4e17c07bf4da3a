"""The template communes fill in: a :class:`~baocao.excel.spec.TemplateSpec` written as an
in-memory openpyxl ``Workbook`` (an instructions sheet, then one protected data sheet per section
with its validations, number formats and print setup).

Pure: the spec in, a workbook out; :func:`baocao.excel.files.save_workbook` writes it.
"""

from __future__ import annotations

import math

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Protection, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from baocao.data.catalogue import Element
from baocao.data.unit_lists import NEW, label, reform_note
from baocao.data.units import Unit
from baocao.excel.spec import (
    CODE_ROW,
    FIRST_DATA_COLUMN,
    FIRST_DATA_ROW,
    HEADER_ROWS,
    INSTRUCTIONS,
    NAME_CODE,
    PROBE_FORMAT,
    PROBE_VALUE,
    VERSION,
    YES_NO,
    FormColumn,
    FormSheet,
    TemplateSpec,
    members_label,
    meta_text,
)

TYPE_LABELS = {
    "integer": ("số nguyên ≥ 0", "whole number ≥ 0"),
    "number": ("số thập phân ≥ 0", "decimal number ≥ 0"),
    "boolean": ("Có / Không", "Yes / No (Có / Không)"),
}


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


def title_text(spec: TemplateSpec) -> str:
    where = spec.scope.name + (f", {spec.province.name}" if spec.province else "")
    if len(spec.rows) == 1 and spec.scope.level != "commune":
        where = (
            f"{spec.rows[0].unit.name}, {where}"
            if spec.rows[0].unit.code != spec.scope.code
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
    wb.properties.keywords = f"baocao {VERSION} {spec.scope.code} {spec.year} {spec.unit_list}"
    return wb


def _protect(ws) -> None:
    """Protect the sheet without a password; column widths and row heights stay adjustable."""
    p = ws.protection
    p.sheet = True
    p.formatColumns = False
    p.formatRows = False
    p.selectLockedCells = False
    p.selectUnlockedCells = False


# ----------------------------------------------------------------------------- a data sheet


def _data_sheet(ws, spec: TemplateSpec, sheet: FormSheet) -> None:
    cols = sheet.columns
    last = FIRST_DATA_COLUMN + len(cols) - 1
    last_row = FIRST_DATA_ROW + len(spec.rows) - 1
    _title_rows(ws, spec, sheet, last)
    _heading_rows(ws, cols, last)
    _code_row(ws, spec, sheet, last)
    _unit_rows(ws, spec, cols)
    _validations(ws, cols, last_row)
    _data_sheet_layout(ws, spec, cols, get_column_letter(last), last_row)
    _protect(ws)


def _title_rows(ws, spec: TemplateSpec, sheet: FormSheet, last: int) -> None:
    """Rows 1–2: the title and what to type, merged over the sheet and wrapped to its width."""
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
    width = 5 + 30 + 15 * len(sheet.columns)
    ws.cell(1, 2).alignment = Alignment(wrap_text=True, vertical="center")
    ws.row_dimensions[1].height = 20 * max(1, math.ceil(len(ws.cell(1, 2).value) * 1.5 / width))
    ws.row_dimensions[2].height = 13 * max(2, math.ceil(len(ws.cell(2, 2).value) * 1.0 / width))


def _element_spans(cols: tuple[FormColumn, ...]) -> list[tuple[int, int]]:
    """(first, last) positions of each element's run of columns (one per topic)."""
    spans = []
    i = 0
    while i < len(cols):
        j = i
        while j + 1 < len(cols) and cols[j + 1].element.code == cols[i].element.code:
            j += 1
        spans.append((i, j))
        i = j + 1
    return spans


def _heading_rows(ws, cols: tuple[FormColumn, ...], last: int) -> None:
    """Rows 3–5: fixed headings, element names merged over their topics, topics, units."""
    for col, text in ((1, "Mã đơn vị"), (2, "STT"), (3, "Xã, thị trấn")):
        safe_text(ws.cell(3, col), text)
        ws.merge_cells(start_row=3, start_column=col, end_row=5, end_column=col)
    for i, j in _element_spans(cols):
        el = cols[i].element
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


def _code_row(ws, spec: TemplateSpec, sheet: FormSheet, last: int) -> None:
    """The hidden code row the reader looks for: marker and metadata, number-style probe, column codes."""
    safe_text(ws.cell(CODE_ROW, 1), meta_text(spec, sheet.section))
    probe = ws.cell(CODE_ROW, 2, PROBE_VALUE)
    probe.number_format = PROBE_FORMAT
    safe_text(ws.cell(CODE_ROW, 3), NAME_CODE)
    for k, col in enumerate(sheet.columns):
        safe_text(ws.cell(CODE_ROW, FIRST_DATA_COLUMN + k), col.code)
    for col in range(1, last + 1):
        ws.cell(CODE_ROW, col).font = _CODE_FONT
    ws.row_dimensions[CODE_ROW].hidden = True


def _unit_rows(ws, spec: TemplateSpec, cols: tuple[FormColumn, ...]) -> None:
    """One row per unit: hidden code, number, name (locked), then the unlocked input cells."""
    for n, row in enumerate(spec.rows):
        r = FIRST_DATA_ROW + n
        ws.row_dimensions[r].height = 18
        safe_text(ws.cell(r, 1), row.unit.code)
        ws.cell(r, 2, n + 1)
        safe_text(ws.cell(r, 3), row.label)
        for col in (1, 2, 3):
            ws.cell(r, col).border = _BORDER
            ws.cell(r, col).font = _font(size=10, italic=_own_row(spec, row.unit))
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


def _own_row(spec: TemplateSpec, unit: Unit) -> bool:
    """The row of the district's or province's own bodies (not a commune's)."""
    return unit.code == spec.scope.code and unit.level != "commune"


def _validations(ws, cols: tuple[FormColumn, ...], last_row: int) -> None:
    """One validation per element (the same rule for all its topic columns)."""
    by_element: dict[str, list[int]] = {}
    for k, col in enumerate(cols):
        by_element.setdefault(col.element.code, []).append(FIRST_DATA_COLUMN + k)
    for code, cnums in by_element.items():
        dv = validation_for(cols[[x.element.code for x in cols].index(code)].element)
        for cn in cnums:
            letter = get_column_letter(cn)
            dv.add(f"{letter}{FIRST_DATA_ROW}:{letter}{last_row}")
        ws.add_data_validation(dv)


def _data_sheet_layout(ws, spec: TemplateSpec, cols, last_letter: str, last_row: int) -> None:
    """Column widths (the code column hidden), frozen panes, A4 landscape print setup."""
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


# ----------------------------------------------------------------------------- the instructions sheet

_INSTR_WIDTHS = (20, 46, 30, 16, 18, 40)

# How to fill the form, after the first point (which names the sheets).
_RULES = (
    "2. Chỉ nhập vào các ô màu vàng. Các ô khác được khóa để giữ cấu trúc biểu (bảo vệ trang tính, "
    "không đặt mật khẩu). Có thể đổi độ rộng cột.",
    "3. Gõ số bình thường, không gõ dấu chấm hay dấu phẩy phân cách hàng nghìn: gõ 4489, Excel tự "
    "hiển thị 4.489. Không nhập số dưới dạng văn bản (không gõ dấu ' ở đầu).",
    "4. Số thập phân (ví dụ thu nhập 64,8 triệu đồng): gõ như bình thường trên máy của bạn (máy cài "
    "tiếng Việt dùng dấu phẩy thập phân).",
    f"5. Chỉ tiêu dạng Có/Không: chọn “{YES_NO[0]}” hoặc “{YES_NO[1]}” trong danh sách thả xuống "
    f"({YES_NO[0]} = 1, {YES_NO[1]} = 0).",
    "6. Không có số liệu thì để trống ô (không ghi 0, không ghi “-”). Chỉ ghi 0 khi số liệu thực sự bằng 0.",
    "7. Không cần tính tỷ lệ (%): phần mềm tính tỷ lệ từ các số đếm và cộng số liệu lên {up}.",
    "8. {own_row}: chỉ ghi số liệu của riêng {own_bodies}, KHÔNG ghi tổng cộng các xã.",
    "9. Không xóa hay sửa các dòng, cột ẩn (mã đơn vị, mã chỉ tiêu): phần mềm dùng chúng để đọc "
    "biểu. Đổi tên trang tính vẫn đọc được.",
    "10. Lưu tệp dạng Excel (.xlsx) và gửi lại. Nếu cần lưu CSV thì lưu từng trang tính, mã UTF-8.",
)


def _instructions_sheet(ws, spec: TemplateSpec) -> None:
    ws.title = INSTRUCTIONS
    lines = _instruction_lines(spec)
    _write_lines(ws, lines)
    _element_list(ws, spec, len(lines) + 1)
    for letter, width in zip("ABCDEF", _INSTR_WIDTHS):
        ws.column_dimensions[letter].width = width
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    _protect(ws)


def _instruction_lines(spec: TemplateSpec) -> list[tuple[str, Font | None]]:
    """The instructions, one (text, font) per merged line; the last one heads the list of elements."""
    sheet_names = ", ".join(f"“{s.title}”" for s in spec.sheets)
    level = "cấp tỉnh" if spec.scope.level == "province" or spec.unit_list == NEW else "cấp huyện"
    who = f"Đơn vị điền biểu: {members_label(spec.scope)}" + (
        f" và cơ quan {level} (dòng cuối)." if any(_own_row(spec, r.unit) for r in spec.rows) else "."
    )
    words = {
        "up": level,
        "own_row": f"Dòng “{level[0].upper() + level[1:]}”",
        "own_bodies": (
            "cơ quan cấp tỉnh (ví dụ bác sĩ các bệnh viện tỉnh, trung tâm y tế khu vực)"
            if level == "cấp tỉnh"
            else "cơ quan cấp huyện (ví dụ bác sĩ Trung tâm Y tế huyện)"
        ),
    }
    unit_list = f"Danh mục đơn vị: {label(spec.unit_list)} — mã đơn vị trong biểu thuộc danh mục này." + (
        f" {reform_note(spec.year)}" if reform_note(spec.year) else ""
    )
    first = (
        f"1. Mỗi trang tính là một nhóm chỉ tiêu: {sheet_names}. Mỗi dòng là một đơn vị; mỗi cột là một "
        "chỉ tiêu, đơn vị tính ghi dưới tên chỉ tiêu."
    )
    return [
        (title_text(spec), _font(bold=True, size=14)),
        (who, _font(italic=True)),
        (unit_list, _font(italic=True)),
        ("", None),
        ("HƯỚNG DẪN ĐIỀN BIỂU", _font(bold=True, size=12)),
        (first, None),
        *((rule.format(**words), None) for rule in _RULES),
        ("", None),
        ("DANH MỤC CHỈ TIÊU", _font(bold=True, size=12)),
    ]


def _write_lines(ws, lines: list[tuple[str, Font | None]]) -> None:
    for r, (text, font) in enumerate(lines, start=1):
        if text:
            safe_text(ws.cell(r, 1), text)
        if font:
            ws.cell(r, 1).font = font
        ws.cell(r, 1).alignment = Alignment(wrap_text=True, vertical="top")
        ws.merge_cells(start_row=r, start_column=1, end_row=r, end_column=6)
        ws.row_dimensions[r].height = 15 * max(1, math.ceil(len(text) / 150))


def _element_list(ws, spec: TemplateSpec, r: int) -> None:
    """From row ``r``: every column of the form with its sheet, topic, unit, type and range."""
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
