"""Reading filled forms: the cell grids of marked sheets (or CSV exports of them) into tidy items
(one per filled cell) and problems named by file, sheet and cell.

Pure: :class:`Grid` objects in (made by :mod:`baocao.excel.files`), a :class:`FormRead` out. A
sheet is found by the ``#baocao`` marker of its hidden code row (:mod:`baocao.excel.spec`), never
by its name or position.
"""

from __future__ import annotations

import datetime as _dt
import re
from dataclasses import dataclass, field
from typing import Any

import pandas as pd
from openpyxl.utils import get_column_letter

from baocao.config import RUN
from baocao.data.catalogue import Catalogue, Element
from baocao.data.numbers import NumberFormatError, machine_text, parse_number, parse_year
from baocao.data.observations import KEY
from baocao.data.unit_lists import LEGACY, UNIT_LISTS, label
from baocao.data.units import Unit, UnitRegistry, fold
from baocao.excel.problems import form_problem
from baocao.excel.spec import (
    MARKER,
    NAME_CODE,
    PROBE_VALUE,
    item_period,
    member_label,
    own_row_label,
    parse_meta,
)


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


# ----------------------------------------------------------------------------- every sheet


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
                    f"“{RUN} template” (tệp CSV: lưu trang số liệu, không phải trang Hướng dẫn)",
                    "no baocao form found (the hidden “#baocao” code row is missing); use a workbook made by "
                    f"“{RUN} template” (for CSV: save a data sheet, not the instructions)",
                )
            )
    df = pd.DataFrame(items, columns=ITEM_COLUMNS)
    df, dup_problems = _drop_duplicates(df)
    return FormRead(df, problems + dup_problems, notes, n_sheets)


# ----------------------------------------------------------------------------- one sheet


@dataclass
class _Sheet:
    """One marked sheet being read: its grid, what its hidden code row says, and its problems."""

    grid: Grid
    code_row: int
    unit_col: int
    problems: list[dict]
    year: int = 0
    scope: str = ""  # the unit the form is for: a district, a 2025 province, or one commune
    allowed: dict[str, Unit] = field(default_factory=dict)  # the scope and its communes
    name_col: int | None = None
    style: tuple[str, str] | None = None  # a CSV's number style, from its probe cell
    columns: dict[int, tuple[Element, str]] = field(default_factory=dict)  # column -> element, category
    known_cols: set[int] = field(default_factory=set)

    def problem(self, cell, rule, value, vi, en, importance="blocking") -> None:
        self.problems.append(
            form_problem(self.grid.file, self.grid.sheet, cell, rule, value, vi, en, importance)
        )


def _read_grid(
    g: Grid, marker: tuple[int, int], catalogue: Catalogue, registry: UnitRegistry, items, problems, notes
) -> None:
    """One marked sheet: its items, problems and notes are added to ``items``, ``problems``, ``notes``."""
    sheet = _Sheet(g, marker[0], marker[1], problems)
    if not _read_meta(sheet, g.cells[marker], registry):
        return
    _read_code_row(sheet, catalogue)
    if g.kind == "csv" and sheet.style not in (None, ("", ".")):
        notes.append(_style_note(g.file, sheet.style))
    extra: dict[int, str] = {}  # columns outside the form -> first filled cell
    source = source_label(g.file, g.sheet)
    for r, row in _data_rows(g, sheet.code_row):
        for c in row:
            if c not in sheet.known_cols and c not in extra and not _empty(row[c]):
                extra[c] = _ref(r, c)
        filled = {
            c: v for c, v in row.items() if c in sheet.columns and (not _empty(v) or (r, c) in g.formulas)
        }
        if not filled:
            continue
        unit = _resolve_unit(sheet, registry, r, row)
        for c in sorted(filled):
            value = _cell_number(sheet, r, c, filled[c])
            if value is None or unit is None:
                continue
            el, category = sheet.columns[c]
            items.append(
                dict(
                    unit=unit,
                    year=item_period(catalogue, el, category, sheet.year),
                    element=el.code,
                    category=category,
                    value=value,
                    text=machine_text(value),
                    source=source,
                    note="",
                    file=g.file,
                    sheet=g.sheet,
                    cell=_ref(r, c),
                )
            )
    _extra_columns(sheet, extra)


def _read_meta(sheet: _Sheet, meta_cell, registry: UnitRegistry) -> bool:
    """The year, unit list and unit of the marker cell; False (and a problem) when the code row is
    damaged, or the form belongs to another unit list than ``registry``'s (the data file's)."""
    meta = parse_meta(meta_cell)
    where = _ref(sheet.code_row, sheet.unit_col)
    form_list = meta.get("list", LEGACY)  # forms made before the 2025 list were all legacy
    if form_list not in UNIT_LISTS:
        sheet.problem(
            where,
            "form",
            form_list,
            f"dòng mã ẩn hỏng: danh mục đơn vị '{form_list}' không có",
            f"damaged hidden code row: unknown unit list '{form_list}'",
        )
        return False
    if form_list != registry.structure:
        sheet.problem(
            where,
            "unit_list",
            form_list,
            f"biểu mẫu lập theo {label(form_list)}, không nhập được vào tệp số liệu theo "
            f"{label(registry.structure)}: hãy nhập vào tệp của một thư mục có dataset.yaml ghi "
            f"unit_list: {form_list}",
            f"the form was made on the {label(form_list, 'en')} and cannot go into a data file of the "
            f"{label(registry.structure, 'en')}: import it into a folder whose dataset.yaml says "
            f"unit_list: {form_list}",
        )
        return False
    try:
        sheet.year = parse_year(meta.get("year", ""))
    except NumberFormatError as exc:
        sheet.problem(
            where,
            "form",
            meta.get("year", ""),
            f"dòng mã ẩn hỏng: {exc.message_vi}",
            f"damaged hidden code row: {exc.message_en}",
        )
        return False
    level = next((k for k in ("district", "province", "commune") if k in meta), "district")
    scope = meta.get(level, "")
    if scope not in registry or registry.level_of(scope) != level:
        sheet.problem(
            where,
            "form",
            scope,
            f"dòng mã ẩn hỏng: không có đơn vị '{scope}' ({level}) trong {label(registry.structure)}",
            f"damaged hidden code row: no {level} '{scope}' in the {label(registry.structure, 'en')}",
        )
        return False
    sheet.scope = scope
    sheet.allowed = {scope: registry.unit(scope)} | {u.code: u for u in registry.children(scope)}
    return True


def _read_code_row(sheet: _Sheet, catalogue: Catalogue) -> None:
    """Which column holds what: the name column, the number-style probe, each element's column."""
    sheet.known_cols = {sheet.unit_col}
    for (r, c), v in sheet.grid.cells.items():
        if r != sheet.code_row or c == sheet.unit_col or _empty(v):
            continue
        sheet.known_cols.add(c)
        t = _text(v)
        if t == NAME_CODE:
            sheet.name_col = c
            continue
        if isinstance(v, (int, float)) and not isinstance(v, bool) and float(v) == PROBE_VALUE:
            continue
        if number_style(t) is not None:
            sheet.style = number_style(t)
            continue
        column = _code_column(sheet, catalogue, _ref(r, c), t)
        if column is not None:
            sheet.columns[c] = column


def _code_column(sheet: _Sheet, catalogue: Catalogue, ref: str, t: str) -> tuple[Element, str] | None:
    """The element and category of a column code ``element`` or ``element|category``; None (and a
    problem) when the catalogue does not know it."""
    el_code, _, category = t.partition("|")
    el = catalogue.elements.get(el_code)
    if el is None:
        sheet.problem(
            ref,
            "form",
            t,
            f"cột mã “{t}” không có trong danh mục chỉ tiêu (biểu mẫu cũ hơn hoặc mới hơn danh mục?); "
            "cột này không được nhập",
            f"column code “{t}” is not in the catalogue (form older or newer than the catalogue?); the "
            "column cannot be imported",
        )
        return None
    if category and (
        not el.category_set or category not in {o.code for o in catalogue.categories[el.category_set].options}
    ):
        sheet.problem(
            ref,
            "form",
            t,
            f"phân tổ “{category}” không hợp lệ cho chỉ tiêu {el_code}",
            f"category “{category}” is not valid for element {el_code}",
        )
        return None
    if el.category_set and not category:
        sheet.problem(
            ref,
            "form",
            t,
            f"chỉ tiêu {el_code} cần phân tổ (mã dạng {el_code}|…)",
            f"element {el_code} needs a category (code like {el_code}|…)",
        )
        return None
    return el, category


def _style_note(file: str, style: tuple[str, str]) -> tuple[str, str]:
    return (
        f"{file}: số đọc theo kiểu {'1' + style[0] + '234' + style[1] + '5'} (theo ô kiểm tra của biểu mẫu)",
        f"{file}: numbers read in the style {'1' + style[0] + '234' + style[1] + '5'} (from the "
        "form's check cell)",
    )


def _data_rows(g: Grid, code_row: int) -> list[tuple[int, dict[int, Any]]]:
    """Every row below the code row that has a value or a formula: (row, {column: value}), in order."""
    rows: dict[int, dict[int, Any]] = {}
    for (r, c), v in g.cells.items():
        if r > code_row and (not _empty(v) or (r, c) in g.formulas):
            rows.setdefault(r, {})[c] = v
    for r, c in g.formulas:
        if r > code_row:
            rows.setdefault(r, {}).setdefault(c, g.cells.get((r, c)))
    return [(r, rows[r]) for r in sorted(rows)]


def _cell_number(sheet: _Sheet, r: int, c: int, v) -> float | None:
    """The number in a filled cell; None (and a problem) when it cannot be read. A formula's
    computed value is taken, with a warning."""
    g = sheet.grid
    el, _ = sheet.columns[c]
    ref = _ref(r, c)
    if (r, c) in g.formulas and _empty(v):
        sheet.problem(
            ref,
            "formula",
            g.formulas[(r, c)],
            f"ô có công thức {g.formulas[(r, c)]} nhưng không có giá trị đã tính (tệp chưa được mở "
            "và lưu bằng Excel/LibreOffice); hãy mở, lưu lại, hoặc gõ số",
            f"the cell holds the formula {g.formulas[(r, c)]} with no computed value (the file was "
            "never recalculated and saved by Excel/LibreOffice); open and save it, or type the "
            "number",
        )
        return None
    try:
        value = _cell_value(v, el, sheet.style if g.kind == "csv" else None)
    except NumberFormatError as exc:
        sheet.problem(ref, "number", _text(v), exc.message_vi, exc.message_en)
        return None
    if (r, c) in g.formulas:
        sheet.problem(
            ref,
            "formula",
            g.formulas[(r, c)],
            f"ô là công thức {g.formulas[(r, c)]}; lấy giá trị đã tính {machine_text(value)}",
            f"the cell is the formula {g.formulas[(r, c)]}; its computed value "
            f"{machine_text(value)} was taken",
            "warning",
        )
    return value


def _extra_columns(sheet: _Sheet, extra: dict[int, str]) -> None:
    for c, ref in sorted(extra.items()):
        letter = get_column_letter(c)
        sheet.problem(
            ref,
            "extra_column",
            "",
            f"cột {letter} không thuộc biểu mẫu (không có mã ở dòng ẩn); bỏ qua",
            f"column {letter} is not part of the form (no code in the hidden row); ignored",
            "warning",
        )


# ----------------------------------------------------------------------------- whose row it is


def _resolve_unit(sheet: _Sheet, registry: UnitRegistry, r: int, row: dict[int, Any]) -> str | None:
    """The unit of a data row: its hidden code, checked against the name beside it, or its name when
    the code was deleted; None (and a problem) when it is unknown or unclear."""
    code_v = row.get(sheet.unit_col)
    name_v = row.get(sheet.name_col) if sheet.name_col else None
    code = _text(code_v) if not _empty(code_v) else ""
    name = _text(name_v) if not _empty(name_v) else ""
    if code:
        return _unit_by_code(sheet, registry, r, code, name)
    if name:
        return _unit_by_name(sheet, registry, r, name)
    ref = _ref(r, sheet.name_col) if sheet.name_col else _ref(r, sheet.unit_col)
    sheet.problem(
        ref,
        "unit",
        "",
        f"dòng {r} có số liệu nhưng không có mã hay tên đơn vị",
        f"row {r} has figures but no unit code or name",
    )
    return None


def _units_named(sheet: _Sheet, registry: UnitRegistry, text: str) -> list[str]:
    """Codes of the allowed units that ``text`` names (accents and case aside)."""
    scope, allowed = sheet.scope, sheet.allowed
    d = allowed[scope]
    f = fold(text)
    hits = [
        c
        for c, u in allowed.items()
        if f in (fold(u.name), fold(u.short), fold(own_row_label(d)) if c == scope else "")
    ]
    if not hits:
        hits = [u.code for u in registry.find(text) if u.code in allowed] if text else []
    return hits


def _unit_by_code(sheet: _Sheet, registry: UnitRegistry, r: int, code: str, name: str) -> str | None:
    allowed, scope = sheet.allowed, sheet.scope
    d = allowed[scope]
    if re.fullmatch(r"\d+", code) and code not in allowed:
        code = next((c for c in (code.zfill(3), code.zfill(5)) if c in allowed), code)
    if code not in allowed:
        col = get_column_letter(sheet.unit_col)
        whose_en = d.name if d.level == "commune" else f"a commune of {d.name}"
        vi = f"mã đơn vị “{code}” (cột ẩn {col}) không phải là {member_label(d)} ({scope})" + (
            f"; tên ghi: {name}" if name else ""
        )
        en = f"unit code “{code}” (hidden column {col}) is not {whose_en} ({scope})" + (
            f"; name given: {name}" if name else ""
        )
        sheet.problem(_ref(r, sheet.unit_col), "unit", code, vi, en)
        return None
    if name and sheet.name_col:
        hits = _units_named(sheet, registry, name)
        if hits and code not in hits:
            other = allowed[hits[0]]
            sheet.problem(
                _ref(r, sheet.name_col),
                "unit",
                name,
                f"tên “{name}” là {other.name} nhưng mã ẩn của dòng là {code} ({allowed[code].name}); "
                "không rõ số liệu của đơn vị nào",
                f"the name “{name}” is {other.name} but the row's hidden code is {code} "
                f"({allowed[code].name}); unclear whose figures these are",
            )
            return None
    return code


def _unit_by_name(sheet: _Sheet, registry: UnitRegistry, r: int, name: str) -> str | None:
    try:
        hits = _units_named(sheet, registry, name)
    except LookupError:
        hits = []
    if len(hits) == 1:
        return hits[0]
    ref = _ref(r, sheet.name_col) if sheet.name_col else f"dòng {r}"
    d = sheet.allowed[sheet.scope]
    sheet.problem(
        ref,
        "unit",
        name,
        f"không tìm thấy xã, thị trấn “{name}” thuộc {d.name}",
        f"no commune “{name}” in {d.name}",
    )
    return None


# ----------------------------------------------------------------------------- the same cell twice


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
