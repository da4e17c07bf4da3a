"""Tidy observations: one row per unit, year, data element and category.

Columns (see ``data/README.md``): ``unit, year, element, category, value, source, note``.
:func:`parse_observations` turns a frame of raw strings (as read from CSV or Excel) into
typed rows plus a list of problems; nothing is guessed.
"""

from __future__ import annotations

import datetime as _dt

import pandas as pd
import pandera.pandas as pa

from baocao.catalogue import Catalogue
from baocao.numbers import NumberFormatError, parse_number, parse_year
from baocao.units import UnitRegistry

REQUIRED = ("unit", "year", "element", "value")
OPTIONAL = ("category", "source", "note")
COLUMNS = REQUIRED + OPTIONAL
KEY = ["unit", "year", "element", "category"]
MIN_YEAR = 1990
PROBLEM_COLUMNS = ["file", "row", "column", "rule", "value", "importance", "message_vi", "message_en"]


def max_year() -> int:
    return _dt.date.today().year


def empty_observations() -> pd.DataFrame:
    """No rows, the same columns as the typed observations (``file`` and ``line`` first)."""
    return pd.DataFrame({c: pd.Series(dtype="int64" if c in ("year", "line") else "float64" if c == "value" else "str") for c in ("file", "line", *COLUMNS)})


def problem(file, row, column, rule, value, message_vi, message_en, importance="blocking") -> dict:
    return dict(
        file=str(file), row=row, column=column, rule=rule, value=str(value),
        importance=importance, message_vi=message_vi, message_en=message_en,
    )


def problems_frame(rows: list[dict]) -> pd.DataFrame:
    return pd.DataFrame(rows, columns=PROBLEM_COLUMNS)


def schema(catalogue: Catalogue, registry: UnitRegistry) -> pa.DataFrameSchema:
    """The structural schema (pandera): known units and elements, year range, unique keys."""
    allowed_categories = {
        code: {o.code for o in catalogue.categories[el.category_set].options} if el.category_set else {""}
        for code, el in catalogue.elements.items()
    }

    def category_ok(df: pd.DataFrame) -> pd.Series:
        return pd.Series(
            [cat in allowed_categories.get(el, {cat}) for el, cat in zip(df["element"], df["category"])],
            index=df.index,
        )

    return pa.DataFrameSchema(
        {
            "unit": pa.Column(str, pa.Check(lambda s: s.isin(registry.table.index), name="known_unit")),
            # custom checks: pandera reports built-in checks (in_range, isin) by their own name, not ours
            "year": pa.Column(int, pa.Check(lambda s: s.between(MIN_YEAR, max_year()), name="year_range")),
            "element": pa.Column(str, pa.Check(lambda s: s.isin(list(catalogue.elements)), name="known_element")),
            "category": pa.Column(str),
            "value": pa.Column(float, nullable=True),  # NaN only where the value was already reported unreadable
            "source": pa.Column(str),
            "note": pa.Column(str),
        },
        checks=[pa.Check(category_ok, name="known_category")],
        unique=KEY,
        report_duplicates="all",
    )


_SCHEMA_MESSAGES = {
    "known_unit": ("đơn vị '{v}' không có trong danh mục đơn vị hành chính", "unit '{v}' is not a known administrative unit code"),
    "year_range": ("năm {v} nằm ngoài khoảng {lo}–{hi}", "year {v} is outside {lo}–{hi}"),
    "known_element": ("chỉ tiêu '{v}' không có trong danh mục chỉ tiêu", "element '{v}' is not in the indicator catalogue"),
    "known_category": ("phân tổ '{v}' không hợp lệ cho chỉ tiêu này", "category '{v}' is not valid for this element"),
    "multiple_fields_uniqueness": ("trùng khóa (đơn vị, năm, chỉ tiêu, phân tổ) với dòng khác", "duplicate key (unit, year, element, category) with another row"),
}


def parse_observations(raw: pd.DataFrame, file: str, catalogue: Catalogue, registry: UnitRegistry, first_row: int = 2) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Strings in, typed observations and problems out. ``row`` numbers are file lines."""
    problems: list[dict] = []
    cols = list(raw.columns)
    for c in REQUIRED:
        if c not in cols:
            problems.append(problem(file, 1, c, "columns", "", f"thiếu cột bắt buộc '{c}'", f"required column '{c}' is missing"))
    for c in cols:
        if c not in COLUMNS:
            problems.append(problem(file, 1, c, "columns", c, f"cột lạ '{c}'; các cột hợp lệ: {', '.join(COLUMNS)}", f"unknown column '{c}'; allowed: {', '.join(COLUMNS)}"))
    if problems:
        return empty_observations(), problems_frame(problems)
    df = raw.copy()
    for c in OPTIONAL:
        if c not in df:
            df[c] = ""
    df = df[list(COLUMNS)].astype(str)
    # file line numbers: kept from the reader when it skipped blank lines (index named "line")
    df.index = raw.index if raw.index.name == "line" else range(first_row, first_row + len(df))
    df = df[~(df == "").all(axis=1)]  # blank lines are not data
    if df.empty:
        problems.append(problem(file, 1, "", "empty", "", "tệp không có dòng số liệu nào", "the file has a header but no data rows"))
        return empty_observations(), problems_frame(problems)

    years, values, bad = [], [], set()
    for line, y, el, v in zip(df.index, df["year"], df["element"], df["value"]):
        try:
            years.append(parse_year(y))
        except NumberFormatError as exc:
            problems.append(problem(file, line, "year", "number", y, exc.message_vi, exc.message_en))
            years.append(0)
            bad.add(line)
        element = catalogue.elements.get(el)
        try:
            values.append(parse_number(v, element.value_type if element else "number"))
        except NumberFormatError as exc:
            problems.append(problem(file, line, "value", "number", v, exc.message_vi, exc.message_en))
            values.append(float("nan"))
            bad.add(line)
    df["year"] = pd.Series(years, index=df.index, dtype="int64")
    df["value"] = pd.Series(values, index=df.index, dtype="float64")

    try:
        schema(catalogue, registry).validate(df, lazy=True)
    except pa.errors.SchemaErrors as exc:
        problems.extend(_schema_problems(exc.failure_cases, df, file))
    problems.extend(range_problems(df.drop(index=list(bad)), catalogue, file))
    typed = df.drop(index=list(bad))
    typed.insert(0, "line", typed.index)
    typed.insert(0, "file", str(file))
    return typed.reset_index(drop=True), problems_frame(problems)


def _schema_problems(fc: pd.DataFrame, df: pd.DataFrame, file: str) -> list[dict]:
    out = []
    seen = set()
    for check, column, index, case in zip(fc["check"], fc["column"], fc["index"], fc["failure_case"]):
        name = str(check).split("(")[0]
        if index is None or (isinstance(index, float) and pd.isna(index)):
            continue
        line = int(index)
        if name == "multiple_fields_uniqueness":
            column, case = "unit/year/element/category", "/".join(str(df.at[line, k]) for k in KEY)
        if name == "known_category":
            column, case = "category", df.at[line, "category"]
        if name == "year_range" and df.at[line, "year"] == 0:
            continue  # already reported as unreadable
        key = (line, column, name)
        if key in seen:
            continue
        seen.add(key)
        vi, en = _SCHEMA_MESSAGES.get(name, ("giá trị không hợp lệ ({c})", "invalid value ({c})"))
        fmt = dict(v=case, lo=MIN_YEAR, hi=max_year(), c=check)
        out.append(problem(file, line, column, name, case, vi.format(**fmt), en.format(**fmt)))
    return sorted(out, key=lambda p: (p["row"], p["column"]))


def range_problems(df: pd.DataFrame, catalogue: Catalogue, file: str) -> list[dict]:
    """Values outside an element's allowed ``min``/``max``."""
    out = []
    for line, el, v in zip(df.index, df["element"], df["value"]):
        element = catalogue.elements.get(el)
        if element is None or pd.isna(v):
            continue
        if element.min is not None and v < element.min:
            out.append(problem(file, line, "value", "range", _num(v), f"{element.name_vi}: {_num(v)} nhỏ hơn giá trị tối thiểu {_num(element.min)}", f"{element.name_en}: {_num(v)} is below the minimum {_num(element.min)}"))
        if element.max is not None and v > element.max:
            out.append(problem(file, line, "value", "range", _num(v), f"{element.name_vi}: {_num(v)} lớn hơn giá trị tối đa {_num(element.max)}", f"{element.name_en}: {_num(v)} is above the maximum {_num(element.max)}"))
    return out


def _num(v) -> str:
    return str(int(v)) if float(v).is_integer() else str(v)
