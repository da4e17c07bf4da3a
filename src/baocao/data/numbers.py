"""Strict parsing of numbers typed or exported by people.

Data files hold machine numbers (``4489``, ``99.75``). Text in Vietnamese number style
(``4.489`` meaning four thousand, ``99,75``) is the classic way a wrong number reaches a
report, so it is refused with a message that says why, never guessed.

One exception, decided per file (:func:`file_number_style`): a file saved by Excel in a
Vietnamese locale separates its columns with ``;`` (or tabs) and writes decimal commas. In such a
file, when no value is written with a decimal point, ``68,5`` can only mean 68.5 and is read so
(``decimal_comma=True``). What stays ambiguous is refused everywhere: a dot or a comma followed by
exactly three digits (``21.000``, ``25,000``) may be a thousands separator or a decimal mark.

Every refusal that can be fixed carries ``suggestions``: replacement texts that this checker
accepts for the same element in the same file (a test checks it for any text), written in the
file's own style, so that following the advice never turns the file into a mixed one.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable
from dataclasses import dataclass

from baocao.errors import BaocaoError

_MACHINE = re.compile(r"[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?", re.ASCII)
# a dot, or a comma, followed by groups of exactly three digits: a thousands separator or a decimal mark
_DOT_GROUPS = re.compile(r"([+-]?)([1-9]\d{0,2}(?:\.\d{3})+)", re.ASCII)
_DOT_GROUPS_COMMA = re.compile(r"([+-]?)([1-9]\d{0,2}(?:\.\d{3})+),(\d+)", re.ASCII)
_COMMA_GROUPS = re.compile(r"([+-]?)([1-9]\d{0,2}(?:,\d{3})+)(?:\.(\d+))?", re.ASCII)
_DECIMAL_COMMA = re.compile(r"([+-]?)(\d*),(\d+)", re.ASCII)
_SPACE_GROUPS = re.compile(r"[+-]?\d{1,3}( \d{3})+([.,]\d+)?", re.ASCII)


class NumberFormatError(BaocaoError, ValueError):
    """``message_vi`` / ``message_en`` explain the problem to an analyst; ``suggestions`` are texts
    the same check accepts for the same element in the same file (empty when nothing can be offered);
    ``kind`` names the refusal (``decimal_comma``, ``ambiguous``, …) for callers that add context."""

    def __init__(
        self, text: str, message_en: str, message_vi: str, suggestions: tuple[str, ...] = (), kind: str = ""
    ):
        super().__init__(message_en)
        self.text = text
        self.message_en = message_en
        self.message_vi = message_vi
        self.suggestions = tuple(suggestions)
        self.kind = kind


def _fail(text: str, en: str, vi: str, suggestions=(), kind: str = ""):
    raise NumberFormatError(text, en, vi, tuple(suggestions), kind)


def _either(hints, word: str) -> str:
    return f" {word} ".join(hints)


def _render(sign: str, whole: str, frac: str, decimal_comma: bool) -> str:
    """A reading written so that it cannot be read another way, in the file's decimal mark: no group
    separators, no trailing zeros, and a fourth decimal digit (``1.2550``) when three would look like
    a thousands group."""
    whole = whole.lstrip("0") or "0"
    frac = frac.rstrip("0")
    minus = "-" if sign == "-" and (whole != "0" or frac) else ""
    if not frac:
        return minus + whole
    if len(frac) == 3 and whole != "0" and len(whole) <= 3:
        frac += "0"
    return f"{minus}{whole}{',' if decimal_comma else '.'}{frac}"


def _fits(value: float, value_type: str) -> bool:
    if not math.isfinite(value):
        return False
    if value_type == "integer":
        return value.is_integer()
    if value_type == "boolean":
        return value in (0.0, 1.0)
    return True


def _reading(sign: str, whole: str, frac: str, decimal_comma: bool, value_type: str) -> str | None:
    """The rendered reading if the element can take it, else None."""
    value = float(f"{sign}{whole or '0'}.{frac or '0'}")
    return _render(sign, whole, frac, decimal_comma) if _fits(value, value_type) else None


def _hints_for(text: str, value_type: str, decimal_comma: bool) -> tuple[str, ...]:
    """``text`` itself when it is accepted (with a decimal comma in a decimal-comma file, so that the
    advice keeps the file in one style), else what its own refusal suggests."""
    try:
        parse_number(text, value_type, decimal_comma)
    except NumberFormatError as exc:
        return exc.suggestions
    if decimal_comma and is_point_decimal(text):
        return (
            _hints_for(text.replace(".", ","), value_type, decimal_comma) if "e" not in text.lower() else ()
        )
    return (text,)


def _type_words(value_type: str) -> tuple[str, str]:
    return ("0 or 1", "0 hoặc 1") if value_type == "boolean" else ("a whole number", "số nguyên")


def _two_readings(s, mark_en, mark_vi, group_hint, decimal_hint, value_type):
    """A separator followed by exactly three digits: refuse with the readings the element can take."""
    hints = tuple(h for h in (group_hint, decimal_hint) if h is not None)
    padded = (
        decimal_hint is not None and decimal_hint.endswith("0") and re.search(r"[.,]\d{4}$", decimal_hint)
    )
    pad_en = " (the fourth decimal digit keeps it from looking like a thousands group)" if padded else ""
    pad_vi = " (chữ số thập phân thứ tư để không nhầm với nhóm nghìn)" if padded else ""
    if len(hints) == 2:
        _fail(
            s,
            f'"{s}" is ambiguous: a {mark_en} followed by three digits may separate thousands ({group_hint}) '
            f"or be a decimal mark; type {_either(hints, 'or')}{pad_en}",
            f'"{s}" không rõ nghĩa: {mark_vi} và ba chữ số có thể là dấu phân nhóm nghìn ({group_hint}) hoặc '
            f"dấu thập phân; hãy nhập {_either(hints, 'hoặc')}{pad_vi}",
            hints,
            "ambiguous",
        )
    if group_hint is not None:
        if mark_en == "dot":
            en = f'"{s}" is text in Vietnamese number style (thousands dot); type {group_hint}'
            vi = f'"{s}" là số viết kiểu Việt Nam (dấu chấm phân nhóm nghìn); hãy nhập {group_hint}'
        else:
            en = f'"{s}" has thousands commas; type {group_hint}'
            vi = f'"{s}" có dấu phẩy phân nhóm nghìn; hãy nhập {group_hint}'
        _fail(s, en, vi, hints, "thousands")
    what_en, what_vi = _type_words(value_type)
    if decimal_hint is not None:
        _fail(
            s,
            f'"{s}" has a {mark_en} followed by three digits; this element takes {what_en}: '
            f"type {decimal_hint}",
            f'"{s}" có {mark_vi} và ba chữ số; chỉ tiêu này chỉ nhận {what_vi}: hãy nhập {decimal_hint}',
            hints,
            "ambiguous",
        )
    _fail(s, f'"{s}" must be {what_en}', f'"{s}" phải là {what_vi}', (), "type")


def parse_number(text, value_type: str = "number", decimal_comma: bool = False) -> float:
    """Parse one cell. ``value_type`` is ``integer``, ``number`` or ``boolean`` (0/1);
    ``decimal_comma``: the file is consistently in Vietnamese style (:func:`file_number_style`).

    >>> parse_number("4489", "integer")
    4489.0
    >>> parse_number("68,5", decimal_comma=True)
    68.5
    >>> parse_number("21.000", "number")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    baocao.data.numbers.NumberFormatError: "21.000" is ambiguous: ...
    >>> try:
    ...     parse_number("21.000", "number")
    ... except NumberFormatError as exc:
    ...     print(exc.suggestions)
    ('21000', '21')
    """
    dc = decimal_comma
    if isinstance(text, bool):
        text = int(text)
    if isinstance(text, (int, float)):
        value = float(text)
        s = repr(text)
    else:
        s = str(text).strip().replace("\u00a0", " ")
        if s == "":
            _fail(
                s,
                "empty value; leave the row out if there is no figure",
                "ô trống; nếu không có số liệu thì bỏ dòng này",
            )
        if s[0] in "=@" or (s[0] in "+-" and len(s) > 1 and not (s[1].isdigit() or s[1] in ".,")):
            _fail(s, f'"{s}" is a formula or command, not a number', f'"{s}" là công thức, không phải số')
        if s.endswith("%"):
            bare = s[:-1].strip()
            hints = _hints_for(bare, value_type, dc) if bare else ()
            say = f" ({_either(hints, 'or')})" if hints else ""
            say_vi = f" ({_either(hints, 'hoặc')})" if hints else ""
            _fail(
                s,
                f'"{s}" has a percent sign; type the count, not a rate{say}',
                f'"{s}" có dấu %; hãy nhập số, không nhập tỷ lệ{say_vi}',
                hints,
                "percent",
            )
        if " " in s and _SPACE_GROUPS.fullmatch(s):
            hints = _hints_for(s.replace(" ", ""), value_type, dc)
            _fail(
                s,
                f'"{s}" has spaces between digit groups'
                + (f"; type {_either(hints, 'or')}" if hints else ", and is not a number this element takes"),
                f'"{s}" có khoảng trắng giữa các nhóm chữ số'
                + (
                    f"; hãy nhập {_either(hints, 'hoặc')}"
                    if hints
                    else ", và không phải số chỉ tiêu này nhận"
                ),
                hints,
                "spaces",
            )
        if m := _DOT_GROUPS_COMMA.fullmatch(s):  # 4.489,5: thousands dots and a decimal comma
            sign, groups, frac = m.groups()
            _two_readings(
                s,
                "dot",
                "dấu chấm",
                _reading(sign, groups.replace(".", ""), frac, dc, value_type),
                None,
                value_type,
            )
        if m := _DOT_GROUPS.fullmatch(s):  # 1.250, 4.489.000
            sign, groups = m.groups()
            parts = groups.split(".")
            group = _reading(sign, "".join(parts), "", dc, value_type)
            decimal = _reading(sign, parts[0], parts[1], dc, value_type) if len(parts) == 2 else None
            _two_readings(s, "dot", "dấu chấm", group, decimal, value_type)
        if m := _COMMA_GROUPS.fullmatch(s):  # 25,000, 1,234,567, 1,234.5
            sign, groups, frac = m.groups()
            parts = groups.split(",")
            group = _reading(sign, "".join(parts), frac or "", dc, value_type)
            decimal = (
                _reading(sign, parts[0], parts[1], dc, value_type)
                if len(parts) == 2 and frac is None
                else None
            )
            _two_readings(s, "comma", "dấu phẩy", group, decimal, value_type)
        if m := _DECIMAL_COMMA.fullmatch(s):  # 68,5
            sign, whole, frac = m.groups()
            if dc:
                value = float(f"{sign}{whole or '0'}.{frac}")
            else:
                hint = _reading(sign, whole, frac, False, value_type)
                what_en, what_vi = _type_words(value_type)
                if hint is None:
                    _fail(
                        s,
                        f'"{s}" is a decimal number (decimal comma); this element takes {what_en}',
                        f'"{s}" là số thập phân (dấu phẩy thập phân); chỉ tiêu này chỉ nhận {what_vi}',
                        (),
                        "decimal_comma",
                    )
                point_en, point_vi = (
                    (" with a decimal point", " (dấu chấm thập phân)") if "." in hint else ("", "")
                )
                _fail(
                    s,
                    f'"{s}" has a decimal comma (Vietnamese style); type {hint}{point_en}',
                    f'"{s}" dùng dấu phẩy thập phân; hãy nhập {hint}{point_vi}',
                    (hint,),
                    "decimal_comma",
                )
        elif not _MACHINE.fullmatch(s):
            _fail(s, f'"{s}" is not a number', f'"{s}" không phải là số')
        else:
            value = float(s)
    if not math.isfinite(value):
        _fail(s, f'"{s}" is not a finite number', f'"{s}" không phải số hữu hạn')
    if value_type in ("integer", "boolean") and not float(value).is_integer():
        what_en, what_vi = _type_words(value_type)
        _fail(s, f'"{s}" must be {what_en}', f'"{s}" phải là {what_vi}', (), "type")
    if value_type == "boolean" and value not in (0.0, 1.0):
        _fail(s, f'"{s}" must be 0 (no) or 1 (yes)', f'"{s}" phải là 0 (không) hoặc 1 (có)', (), "type")
    return value


def machine_text(value: float, decimal_comma: bool = False) -> str:
    """A number as a data file should hold it, read back as exactly this number by
    :func:`parse_number` in a file of the same style: ``4489``, ``73.5``, ``71.1250`` (three decimals
    get a fourth, so that they cannot look like a thousands group), ``73,5`` with ``decimal_comma``;
    never an exponent."""
    from decimal import Decimal

    text = format(Decimal(repr(float(value))), "f")
    sign = "-" if text.startswith("-") else ""
    whole, _, frac = text.lstrip("-").partition(".")
    return _render(sign, whole, frac, decimal_comma)


def is_point_decimal(text: str) -> bool:
    """``73.5``, ``.5``, ``1234.567``: a decimal point that cannot be a thousands dot (``1.250`` can)."""
    s = str(text).strip()
    return "." in s and bool(_MACHINE.fullmatch(s)) and not _DOT_GROUPS.fullmatch(s)


@dataclass(frozen=True)
class NumberStyle:
    """How the numbers of one file are read: ``decimal_comma`` when the file is consistently in
    Vietnamese style; else ``point_example`` is the first value with a decimal point (line, text),
    the reason a ``;`` file's decimal commas are not read."""

    delimiter: str = ","
    decimal_comma: bool = False
    point_example: tuple | None = None


def file_number_style(values: Iterable[tuple[object, str]], delimiter: str = ",") -> NumberStyle:
    """The style of a file's numbers from its column separator and its ``(line, value)`` cells.

    A comma-separated file is machine style: a decimal comma there is always refused. A file
    separated by ``;`` or tabs (Excel in a Vietnamese locale) reads decimal commas when no value
    in it is written with a decimal point; one that mixes both is read as machine style (its decimal
    commas are refused, with the line of the decimal point that made it so)."""
    if delimiter == ",":
        return NumberStyle(delimiter)
    for line, text in values:
        if is_point_decimal(text):
            return NumberStyle(delimiter, False, (line, str(text).strip()))
    return NumberStyle(delimiter, True)


def style_note(style: NumberStyle, kind: str) -> tuple[str, str]:
    """(vi, en) words a refusal of ``kind`` gets in a file of this style: why a ``;`` file's decimal
    comma is not read (it also writes a decimal point, on the line named), or, for thousands dots in a
    file Excel saved in a Vietnamese locale, that they come from the cells' number format."""
    if style.delimiter == ",":
        return "", ""
    if kind == "decimal_comma" and style.point_example is not None:
        line, text = style.point_example
        sep = "dấu tab" if style.delimiter == "\t" else f"dấu {style.delimiter}"
        sep_en = "tabs" if style.delimiter == "\t" else f"'{style.delimiter}'"
        return (
            f" (tệp phân cách cột bằng {sep} nhưng có số viết với dấu chấm thập phân, dòng {line}: {text}; "
            "trong một tệp, mọi số phải viết cùng một kiểu)",
            f" (the file separates columns with {sep_en} but writes a decimal point on line {line}: {text}; "
            "all numbers of a file must be written one way)",
        )
    if kind == "thousands":
        return (
            " (Excel ghi số theo định dạng của ô: hãy định dạng cột value là Number, bỏ chọn “Use 1000 "
            "Separator”)",
            " (Excel writes numbers as the cells are formatted: format the value column as Number without "
            "“Use 1000 Separator”)",
        )
    return "", ""


def parse_year(text) -> int:
    s = str(text).strip()
    if not re.fullmatch(r"\d{4}", s):
        raise NumberFormatError(
            s, f'year "{s}" must be four digits, e.g. 2024', f'năm "{s}" phải gồm bốn chữ số, ví dụ 2024'
        )
    return int(s)
