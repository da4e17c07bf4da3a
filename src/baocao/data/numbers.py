"""Strict parsing of machine numbers typed or exported by people.

Data files hold machine numbers (``4489``, ``99.75``). Text in Vietnamese number style
(``4.489`` meaning four thousand, ``99,75``) is the classic way a wrong number reaches a
report, so it is refused with a message that says why, never guessed.
"""

from __future__ import annotations

import math
import re

from baocao.errors import BaocaoError

_MACHINE = re.compile(r"[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?", re.ASCII)
_VI_THOUSANDS = re.compile(r"[+-]?\d{1,3}(\.\d{3})+")
_VI_THOUSANDS_MANY = re.compile(r"[+-]?\d{1,3}(\.\d{3}){2,}(,\d+)?|[+-]?\d{1,3}(\.\d{3})+,\d+")
_EN_THOUSANDS = re.compile(r"[+-]?\d{1,3}(,\d{3})+(\.\d+)?")
_DECIMAL_COMMA = re.compile(r"[+-]?\d*,\d+")


class NumberFormatError(BaocaoError, ValueError):
    """``message_vi`` / ``message_en`` explain the problem to an analyst."""

    def __init__(self, text: str, message_en: str, message_vi: str):
        super().__init__(message_en)
        self.text = text
        self.message_en = message_en
        self.message_vi = message_vi


def _fail(text: str, en: str, vi: str):
    raise NumberFormatError(text, en, vi)


def parse_number(text, value_type: str = "number") -> float:
    """Parse one cell. ``value_type`` is ``integer``, ``number`` or ``boolean`` (0/1).

    >>> parse_number("4489", "integer")
    4489.0
    >>> parse_number("4.489", "integer")
    Traceback (most recent call last):
    ...
    baocao.data.numbers.NumberFormatError: "4.489" is text in Vietnamese number style (thousands dot); type
    4489
    """
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
        if s[0] in "=@" or (s[0] in "+-" and len(s) > 1 and not (s[1].isdigit() or s[1] == ".")):
            _fail(s, f'"{s}" is a formula or command, not a number', f'"{s}" là công thức, không phải số')
        if s.endswith("%"):
            bare = s[:-1].strip()
            _fail(
                s,
                f'"{s}" has a percent sign; type the count, not a rate ({bare})',
                f'"{s}" có dấu %; hãy nhập số, không nhập tỷ lệ ({bare})',
            )
        if " " in s and re.fullmatch(r"[+-]?\d{1,3}( \d{3})+([.,]\d+)?", s):
            _fail(
                s,
                f'"{s}" has spaces between digit groups; type {s.replace(" ", "")}',
                f'"{s}" có khoảng trắng giữa các nhóm chữ số; hãy nhập {s.replace(" ", "")}',
            )
        if _VI_THOUSANDS_MANY.fullmatch(s) or (value_type != "number" and _VI_THOUSANDS.fullmatch(s)):
            fixed = s.replace(".", "").replace(",", ".")
            _fail(
                s,
                f'"{s}" is text in Vietnamese number style (thousands dot); type {fixed}',
                f'"{s}" là số viết kiểu Việt Nam (dấu chấm phân nhóm nghìn); hãy nhập {fixed}',
            )
        if _EN_THOUSANDS.fullmatch(s) and not _DECIMAL_COMMA.fullmatch(s):
            fixed = s.replace(",", "")
            _fail(
                s,
                f'"{s}" has thousands commas; type {fixed}',
                f'"{s}" có dấu phẩy phân nhóm nghìn; hãy nhập {fixed}',
            )
        if _EN_THOUSANDS.fullmatch(s):
            a, b = s.replace(",", ""), s.replace(",", ".")
            _fail(
                s,
                f'"{s}" has a comma, which is ambiguous (thousands or decimal comma); type {a} or {b}',
                f'"{s}" có dấu phẩy, không rõ là phân nhóm nghìn hay thập phân; hãy nhập {a} hoặc {b}',
            )
        if _DECIMAL_COMMA.fullmatch(s):
            fixed = s.replace(",", ".")
            _fail(
                s,
                f'"{s}" has a decimal comma (Vietnamese style); type {fixed} with a decimal point',
                f'"{s}" dùng dấu phẩy thập phân; hãy nhập {fixed} (dấu chấm thập phân)',
            )
        if not _MACHINE.fullmatch(s):
            _fail(s, f'"{s}" is not a number', f'"{s}" không phải là số')
        value = float(s)
    if not math.isfinite(value):
        _fail(s, f'"{s}" is not a finite number', f'"{s}" không phải số hữu hạn')
    if value_type in ("integer", "boolean") and not float(value).is_integer():
        what_en = "a whole number" if value_type == "integer" else "0 or 1"
        what_vi = "số nguyên" if value_type == "integer" else "0 hoặc 1"
        _fail(s, f'"{s}" must be {what_en}', f'"{s}" phải là {what_vi}')
    if value_type == "boolean" and value not in (0.0, 1.0):
        _fail(s, f'"{s}" must be 0 (no) or 1 (yes)', f'"{s}" phải là 0 (không) hoặc 1 (có)')
    return value


def parse_year(text) -> int:
    s = str(text).strip()
    if not re.fullmatch(r"\d{4}", s):
        raise NumberFormatError(
            s, f'year "{s}" must be four digits, e.g. 2024', f'năm "{s}" phải gồm bốn chữ số, ví dụ 2024'
        )
    return int(s)
