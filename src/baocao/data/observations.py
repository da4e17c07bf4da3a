"""Tidy observations: one row per unit, year, data element and category.

Columns (see ``data/README.md``): ``unit, year, element, category, value, source, note``.
:func:`parse_observations` turns a frame of raw strings (as read from CSV or Excel) into
typed rows plus a list of problems; nothing is guessed.

The ``year`` column holds one year (``2023``) or a period of several years (``2021-2025``,
e.g. a whole-term topic). A period value belongs to the whole period: it is never added into
one of its years. The typed frame keeps ``year`` as a whole number (the period's last year)
and says which rows are period rows in ``period`` (``""`` for a single year); callers split
them with :func:`split_periods` so that year-by-year code only ever sees single years.
"""

from __future__ import annotations

import datetime as _dt
import re
from typing import TYPE_CHECKING

import pandas as pd

from baocao.data import unit_lists
from baocao.data.catalogue import Catalogue
from baocao.data.numbers import (
    NumberFormatError,
    file_number_style,
    parse_number,
    parse_year,
    style_note,
)
from baocao.data.units import UnitRegistry

if TYPE_CHECKING:  # pandera is imported where data are validated: a warm kernel that reads the
    import pandera.pandas as pa  # data set cached by the builder never needs it (≈ 0,5 s of CPU)

REQUIRED = ("unit", "year", "element", "value")
OPTIONAL = ("category", "source", "note")
COLUMNS = REQUIRED + OPTIONAL
# the columns of an observations.csv in the order the suite writes them (init-district, generators, GSO)
WRITTEN_COLUMNS = ["unit", "year", "element", "category", "value", "source", "note"]
KEY = ["unit", "year", "element", "category"]  # the key as written in a file (``year`` may be a period)
TYPED_KEY = ["unit", "year", "period", "element", "category"]  # the same key in the typed frame
PERIOD_COLUMNS = [
    "file",
    "line",
    "unit",
    "year_from",
    "year_to",
    "element",
    "category",
    "value",
    "source",
    "note",
]
MIN_YEAR = 1990
PERIOD_AHEAD = 5  # a period (a term) may be reported before it ends: its last year may lie this far ahead
_PERIOD = re.compile(r"^(\d{4})\s*[-–—]\s*(\d{4})$")
PROBLEM_COLUMNS = ["file", "row", "column", "rule", "value", "importance", "message_vi", "message_en"]


def max_year() -> int:
    return _dt.date.today().year


def empty_observations(period: bool = False) -> pd.DataFrame:
    """No rows, the same columns as the typed observations (``file`` and ``line`` first);
    ``period=True``: the columns of the period rows (:data:`PERIOD_COLUMNS`)."""
    cols = PERIOD_COLUMNS if period else ("file", "line", *COLUMNS)
    ints = ("year", "line", "year_from", "year_to")
    return pd.DataFrame(
        {c: pd.Series(dtype="int64" if c in ints else "float64" if c == "value" else "str") for c in cols}
    )


def period_label(year_from: int, year_to: int) -> str:
    """``2021–2025`` (en dash) for a period, ``2023`` for one year: how reports show a span."""
    return str(year_to) if int(year_from) == int(year_to) else f"{int(year_from)}–{int(year_to)}"


def parse_period(text) -> tuple[int, int]:
    """``"2023"`` -> (2023, 2023); ``"2021-2025"`` (hyphen or dash) -> (2021, 2025).

    A period runs forward and covers at least two years; anything else is refused with a
    message saying what to type."""
    s = str(text).strip()
    m = _PERIOD.match(s)
    if not m:
        return (y := parse_year(s)), y
    a, b = int(m.group(1)), int(m.group(2))
    if a >= b:
        raise NumberFormatError(
            s,
            f'period "{s}" must run from an earlier to a later year, e.g. 2021-2025 (one year: write 2023)',
            f'kỳ "{s}" phải đi từ năm trước đến năm sau, ví dụ 2021-2025 (một năm: ghi 2023)',
        )
    return a, b


def split_periods(typed: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Typed rows -> (single-year rows, period rows).

    Single-year rows keep the usual columns (no ``period``); period rows have ``year_from``
    and ``year_to`` instead of ``year`` (:data:`PERIOD_COLUMNS`)."""
    if "period" not in typed.columns:
        return typed, empty_observations(period=True)
    is_period = typed["period"] != ""
    years = typed[~is_period].drop(columns="period").reset_index(drop=True)
    per = typed[is_period]
    if per.empty:
        return years, empty_observations(period=True)
    spans = [parse_period(p) for p in per["period"]]
    per = per.assign(year_from=[a for a, _ in spans], year_to=[b for _, b in spans])
    return years, per[PERIOD_COLUMNS].reset_index(drop=True)


def problem(file, row, column, rule, value, message_vi, message_en, importance="blocking") -> dict:
    return dict(
        file=str(file),
        row=row,
        column=column,
        rule=rule,
        value=str(value),
        importance=importance,
        message_vi=message_vi,
        message_en=message_en,
    )


def problems_frame(rows: list[dict]) -> pd.DataFrame:
    return pd.DataFrame(rows, columns=PROBLEM_COLUMNS)


def schema(catalogue: Catalogue, registry: UnitRegistry) -> pa.DataFrameSchema:
    """The structural schema (pandera): known units and elements, year range, unique keys."""
    import pandera.pandas as pa

    allowed_categories = {
        code: {o.code for o in catalogue.categories[el.category_set].options} if el.category_set else {""}
        for code, el in catalogue.elements.items()
    }

    def category_ok(df: pd.DataFrame) -> pd.Series:
        return pd.Series(
            [cat in allowed_categories.get(el, {cat}) for el, cat in zip(df["element"], df["category"])],
            index=df.index,
        )

    def year_ok(df: pd.DataFrame) -> pd.Series:
        """A single year lies in MIN_YEAR…this year; a period starts after MIN_YEAR and may end a few years
        ahead.
        """
        period = df["period"] if "period" in df else pd.Series("", index=df.index)
        first = pd.Series([int(p[:4]) if p else y for p, y in zip(period, df["year"])], index=df.index)
        last_allowed = max_year() + (period != "") * PERIOD_AHEAD
        return (first >= MIN_YEAR) & (df["year"] <= last_allowed)

    return pa.DataFrameSchema(
        {
            "unit": pa.Column(str, pa.Check(lambda s: s.isin(registry.table.index), name="known_unit")),
            # custom checks: pandera reports built-in checks (in_range, isin) by their own name, not ours
            "year": pa.Column(int),
            "element": pa.Column(
                str, pa.Check(lambda s: s.isin(list(catalogue.elements)), name="known_element")
            ),
            "category": pa.Column(str),
            "value": pa.Column(
                float, nullable=True
            ),  # NaN only where the value was already reported unreadable
            "source": pa.Column(str),
            "note": pa.Column(str),
            "period": pa.Column(str, required=False),
        },
        checks=[pa.Check(category_ok, name="known_category"), pa.Check(year_ok, name="year_range")],
        unique=TYPED_KEY,
        report_duplicates="all",
    )


_SCHEMA_MESSAGES = {
    "known_unit": (
        "đơn vị '{v}' không có trong danh mục đơn vị hành chính",
        "unit '{v}' is not a known administrative unit code",
    ),
    "year_range": ("năm {v} nằm ngoài khoảng {lo}–{hi}", "year {v} is outside {lo}–{hi}"),
    "period_range": (
        "kỳ {v} nằm ngoài khoảng {lo}–{hi_period} (một kỳ nhiều năm được kết thúc muộn hơn năm nay tối đa "
        "{ahead} năm)",
        "period {v} is outside {lo}–{hi_period} (a period of several years may end up to {ahead} years after "
        "this year)",
    ),
    "known_element": (
        "chỉ tiêu '{v}' không có trong danh mục chỉ tiêu",
        "element '{v}' is not in the indicator catalogue",
    ),
    "known_category": (
        "phân tổ '{v}' không hợp lệ cho chỉ tiêu này",
        "category '{v}' is not valid for this element",
    ),
    "multiple_fields_uniqueness": (
        "trùng khóa (đơn vị, năm, chỉ tiêu, phân tổ) với dòng khác",
        "duplicate key (unit, year, element, category) with another row",
    ),
}


def parse_observations(
    raw: pd.DataFrame,
    file: str,
    catalogue: Catalogue,
    registry: UnitRegistry,
    first_row: int = 2,
    delimiter: str | None = None,
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Strings in, typed observations and problems out. ``row`` numbers are file lines.

    ``delimiter`` is the file's column separator (default: ``raw.attrs["delimiter"]`` as the CSV
    reader leaves it, else ``,``): with the values it decides whether decimal commas are read
    (:func:`baocao.data.numbers.file_number_style`)."""
    problems: list[dict] = []
    cols = list(raw.columns)
    for c in REQUIRED:
        if c not in cols:
            problems.append(
                problem(
                    file,
                    1,
                    c,
                    "columns",
                    "",
                    f"thiếu cột bắt buộc '{c}'",
                    f"required column '{c}' is missing",
                )
            )
    for c in cols:
        if c not in COLUMNS:
            problems.append(
                problem(
                    file,
                    1,
                    c,
                    "columns",
                    c,
                    f"cột lạ '{c}'; các cột hợp lệ: {', '.join(COLUMNS)}",
                    f"unknown column '{c}'; allowed: {', '.join(COLUMNS)}",
                )
            )
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
        problems.append(
            problem(
                file,
                1,
                "",
                "empty",
                "",
                "tệp không có dòng số liệu nào",
                "the file has a header but no data rows",
            )
        )
        return empty_observations(), problems_frame(problems)

    if delimiter is None:
        delimiter = raw.attrs.get("delimiter", ",")
    style = file_number_style(zip(df.index, df["value"]), delimiter)
    years, periods, values, bad = [], [], [], set()
    for line, y, el, v in zip(df.index, df["year"], df["element"], df["value"]):
        try:
            a, b = parse_period(y)
            years.append(b)
            periods.append("" if a == b else f"{a}-{b}")
        except NumberFormatError as exc:
            problems.append(problem(file, line, "year", "number", y, exc.message_vi, exc.message_en))
            years.append(0)
            periods.append("")
            bad.add(line)
        element = catalogue.elements.get(el)
        try:
            values.append(parse_number(v, element.value_type if element else "number", style.decimal_comma))
        except NumberFormatError as exc:
            vi, en = exc.message_vi, exc.message_en
            note_vi, note_en = style_note(style, exc.kind)
            vi, en = vi + note_vi, en + note_en
            problems.append(problem(file, line, "value", "number", v, vi, en))
            values.append(float("nan"))
            bad.add(line)
    df["year"] = pd.Series(years, index=df.index, dtype="int64")
    df["value"] = pd.Series(values, index=df.index, dtype="float64")
    df["period"] = pd.Series(periods, index=df.index, dtype="str")

    from pandera.errors import SchemaErrors

    try:
        schema(catalogue, registry).validate(df, lazy=True)
    except SchemaErrors as exc:
        problems.extend(_schema_problems(exc.failure_cases, df, file, registry, catalogue))
    problems.extend(range_problems(df.drop(index=list(bad)), catalogue, file))
    problems.extend(period_problems(df.drop(index=list(bad)), catalogue, file))
    problems.extend(unit_lists.year_problems(df.drop(index=list(bad)), registry.structure, file))
    typed = df.drop(index=list(bad))
    typed.insert(0, "line", typed.index)
    typed.insert(0, "file", str(file))
    return typed.reset_index(drop=True), problems_frame(problems)


def _lost_zeros(code: str, registry: UnitRegistry | None) -> tuple[str, str]:
    """(vi, en) words for a unit code Excel stripped of its leading zeros (``4`` for ``00004``):
    the known codes it may have been, or nothing."""
    if registry is None or not code.isdigit():
        return "", ""
    found = [c for c in dict.fromkeys(code.zfill(n) for n in (2, 3, 5)) if c != code and c in registry]
    if not found:
        return "", ""
    named = ", ".join(f"{c} ({registry.unit(c).name})" for c in found)
    return (
        f"; Excel bỏ số 0 ở đầu mã: có phải {named}? "
        "Hãy định dạng cột unit là văn bản (Text) rồi nhập lại mã",
        f"; Excel drops leading zeros: did you mean {named}? Format the unit column as Text and type the "
        "code again",
    )


def _category_words(vi: str, en: str, element: str, catalogue: Catalogue) -> tuple[str, str]:
    """The categories the element takes (``hn_so``: the topics ``cd2022``, ``cd2024`` …), or that it
    takes none: what to type instead."""
    el = catalogue.elements.get(element)
    if el is None:
        return vi, en
    if not el.category_set:
        return (
            f"{vi}: '{element}' không có phân tổ, để trống",
            f"{en}: '{element}' has no categories, leave it empty",
        )
    codes = ", ".join(o.code for o in catalogue.categories[el.category_set].options)
    return (
        f"{vi}: phân tổ của '{element}' là một trong {codes}",
        f"{en}: the categories of '{element}' are {codes}",
    )


def _schema_problems(
    fc: pd.DataFrame,
    df: pd.DataFrame,
    file: str,
    registry: UnitRegistry | None = None,
    catalogue: Catalogue | None = None,
) -> list[dict]:
    out = []
    seen = set()
    for check, column, index, case in zip(fc["check"], fc["column"], fc["index"], fc["failure_case"]):
        name = str(check).split("(")[0]
        if index is None or (isinstance(index, float) and pd.isna(index)):
            continue
        line = int(index)
        if name == "multiple_fields_uniqueness":
            column = "unit/year/element/category"
            case = "/".join(
                str(df.at[line, "period"] or df.at[line, "year"])
                if k == "year" and "period" in df
                else str(df.at[line, k])
                for k in KEY
            )
        if name == "known_category":
            column, case = "category", df.at[line, "category"]
        if name == "year_range":
            if df.at[line, "year"] == 0:
                continue  # already reported as unreadable
            column, case = (
                "year",
                (df.at[line, "period"] if "period" in df and df.at[line, "period"] else df.at[line, "year"]),
            )
            if "period" in df and df.at[line, "period"]:
                name = "period_range"
        key = (line, column, name)
        if key in seen:
            continue
        seen.add(key)
        vi, en = _SCHEMA_MESSAGES.get(name, ("giá trị không hợp lệ ({c})", "invalid value ({c})"))
        fmt = dict(
            v=case,
            lo=MIN_YEAR,
            hi=max_year(),
            hi_period=max_year() + PERIOD_AHEAD,
            c=check,
            ahead=PERIOD_AHEAD,
        )
        vi, en = vi.format(**fmt), en.format(**fmt)
        if name == "known_unit" and registry is not None:
            # the list named; what the code is in the other list; the codes Excel may have stripped
            vi, en = unit_lists.unknown_unit_words(str(case), registry.structure)
            zeros_vi, zeros_en = _lost_zeros(str(case), registry)
            vi, en = vi + zeros_vi, en + zeros_en
        if name == "known_category" and catalogue is not None:
            vi, en = _category_words(vi, en, str(df.at[line, "element"]), catalogue)
        out.append(
            problem(file, line, column, "year_range" if name == "period_range" else name, case, vi, en)
        )
    return sorted(out, key=lambda p: (p["row"], p["column"]))


def range_problems(df: pd.DataFrame, catalogue: Catalogue, file: str) -> list[dict]:
    """Values outside an element's allowed ``min``/``max``."""
    out = []
    for line, el, v in zip(df.index, df["element"], df["value"]):
        element = catalogue.elements.get(el)
        if element is None or pd.isna(v):
            continue
        if element.min is not None and v < element.min:
            out.append(
                problem(
                    file,
                    line,
                    "value",
                    "range",
                    _num(v),
                    f"{element.name_vi}: {_num(v)} nhỏ hơn giá trị tối thiểu {_num(element.min)}",
                    f"{element.name_en}: {_num(v)} is below the minimum {_num(element.min)}",
                )
            )
        if element.max is not None and v > element.max:
            out.append(
                problem(
                    file,
                    line,
                    "value",
                    "range",
                    _num(v),
                    f"{element.name_vi}: {_num(v)} lớn hơn giá trị tối đa {_num(element.max)}",
                    f"{element.name_en}: {_num(v)} is above the maximum {_num(element.max)}",
                )
            )
    return out


def period_problems(df: pd.DataFrame, catalogue: Catalogue, file: str) -> list[dict]:
    """A category that covers several years (a whole-term topic, ``year_from`` < ``year_to`` in
    the catalogue) is reported for that whole period, never for one of its years; and a period
    row of such a category must give exactly the category's period."""
    out = []
    period = df["period"] if "period" in df else pd.Series("", index=df.index)
    for line, el, cat, y, p in zip(df.index, df["element"], df["category"], df["year"], period):
        element = catalogue.elements.get(el)
        if (
            element is None
            or not element.category_set
            or not cat
            or element.category_set not in catalogue.categories
        ):
            continue
        try:
            opt = catalogue.categories[element.category_set].option(cat)
        except KeyError:
            continue  # reported as known_category
        if opt.year_from is None or opt.year_to is None or opt.year_from == opt.year_to:
            continue
        want = f"{opt.year_from}-{opt.year_to}"
        given = p or str(y)
        if given != want:
            out.append(
                problem(
                    file,
                    line,
                    "year",
                    "category_period",
                    given,
                    f"{opt.short('vi')} là số liệu cả kỳ {opt.year_from}–{opt.year_to}, không thuộc riêng "
                    f"một năm; ghi {want} ở cột year",
                    f"{opt.short('en')} is a figure for the whole period {opt.year_from}–{opt.year_to}, not "
                    f"for one year; write {want} in the year column",
                )
            )
    return out


def _num(v) -> str:
    return str(int(v)) if float(v).is_integer() else str(v)
