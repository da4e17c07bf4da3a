"""Strict number parsing: machine numbers only, Vietnamese-style text refused with a fix."""

from __future__ import annotations

import math
import re

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from baocao import fmt
from baocao.data.numbers import (
    NumberFormatError,
    NumberStyle,
    file_number_style,
    is_point_decimal,
    machine_text,
    parse_number,
    parse_year,
)

SAFE_INT = 10**15  # exactly representable as float
PROPERTY = settings(database=None, deadline=None)  # no example database written into the checkout


@pytest.mark.parametrize(
    "text, value_type, expected",
    [
        ("4489", "integer", 4489.0),
        ("99.75", "number", 99.75),
        ("  42 ", "integer", 42.0),
        ("-3", "integer", -3.0),
        ("4489.0", "integer", 4489.0),
        ("1e3", "integer", 1000.0),
        (".5", "number", 0.5),
        ("0", "boolean", 0.0),
        ("1", "boolean", 1.0),
        (17939, "integer", 17939.0),
        (73.5, "number", 73.5),
        (True, "boolean", 1.0),
        ("4.4890", "number", 4.489),  # four decimal digits cannot be a thousands group
        ("0.125", "number", 0.125),  # nor can a group after a leading zero
        ("1234.567", "number", 1234.567),  # nor three digits after four
    ],
)
def test_machine_numbers_accepted(text, value_type, expected):
    assert parse_number(text, value_type) == expected


@pytest.mark.parametrize(
    "text, value_type, fix",
    [
        ("4.489", "integer", "type 4489"),
        ("17.939", "integer", "type 17939"),
        ("4.489.000", "number", "type 4489000"),
        ("1.234,5", "number", "type 1234.5"),
        ("99,75", "number", "type 99.75"),
        ("1,234", "integer", "type 1234"),  # 1.234 is no whole number: one reading left
        ("25,000", "number", "type 25000 or 25"),  # both readings are numbers; 25.000 is refused too
        ("21.000", "number", "type 21000 or 21"),  # money in million đồng: never silently 21
        ("4.489", "number", "type 4489 or 4.4890"),
        ("4.000", "integer", "type 4000 or 4"),
        ("1.000", "boolean", "type 1"),
        ("2.000", "boolean", "must be 0 or 1"),
        ("68,5", "integer", "takes a whole number"),  # no advice the checker would refuse
        ("4 489,5", "number", "type 4489.5"),
        ("12,5%", "number", "(12.5)"),
        ("1,234,567", "integer", "type 1234567"),
        ("4 489", "integer", "type 4489"),
        ("99%", "number", "not a rate (99)"),
        ("=SUM(A1:A3)", "integer", "formula"),
        ("", "integer", "empty value"),
        ("abc", "number", "not a number"),
        ("nan", "number", "not a number"),
        ("1e400", "number", "not a finite number"),
        ("4489.5", "integer", "must be a whole number"),
        ("2", "boolean", "must be 0 (no) or 1 (yes)"),
        ("0.5", "boolean", "must be 0 or 1"),
    ],
)
def test_refused_with_a_message_that_says_what_to_type(text, value_type, fix):
    with pytest.raises(NumberFormatError) as exc:
        parse_number(text, value_type)
    assert fix in exc.value.message_en
    assert exc.value.message_vi and exc.value.message_vi != exc.value.message_en
    assert str(exc.value) == exc.value.message_en


def test_vietnamese_message():
    with pytest.raises(NumberFormatError) as exc:
        parse_number("4.489", "integer")
    assert (
        exc.value.message_vi == '"4.489" là số viết kiểu Việt Nam (dấu chấm phân nhóm nghìn); hãy nhập 4489'
    )


@pytest.mark.parametrize("text, expected", [("2023", 2023), (" 1990 ", 1990)])
def test_parse_year(text, expected):
    assert parse_year(text) == expected


@pytest.mark.parametrize("text", ["23", "2023.0", "2.023", "năm 2023", ""])
def test_parse_year_refuses(text):
    with pytest.raises(NumberFormatError):
        parse_year(text)


# ------------------------------------------------------------------ properties


@PROPERTY
@given(st.integers(-SAFE_INT, SAFE_INT))
def test_any_int_formats_and_its_machine_text_round_trips(n):
    text = fmt.number(n)
    assert text.replace(".", "") == str(n)  # Vietnamese style loses nothing
    assert fmt.number(n, lang="en").replace(",", "") == str(n)
    assert parse_number(str(n), "integer") == n
    assert parse_number(str(n), "number") == n


@PROPERTY
@given(st.floats(allow_nan=False, allow_infinity=False))
@example(1.125)  # CI's draw: "1.125" reads as 1125 the Vietnamese way
@example(-21.0)
def test_machine_text_of_any_float_round_trips(x):
    text = repr(x)
    try:
        assert parse_number(text, "number") == x
    except NumberFormatError as exc:
        # "1.125" could be 1125 written the Vietnamese way: it is refused, never guessed,
        # and one of the suggested spellings gives back exactly this number
        assert re.fullmatch(r"-?\d{1,3}\.\d{3}", text), text
        assert exc.kind == "ambiguous", exc.kind
        assert any(parse_number(s, "number") == x for s in exc.suggestions), exc.suggestions


@PROPERTY
@given(
    st.integers(-SAFE_INT, SAFE_INT).filter(lambda n: abs(n) >= 1000), st.sampled_from(["integer", "boolean"])
)
def test_vietnamese_thousands_text_for_integers_always_rejected(n, value_type):
    text = fmt.number(n)  # "17.939", "-1.234.567"
    assert "." in text
    with pytest.raises(NumberFormatError) as exc:
        parse_number(text, value_type)
    if value_type == "integer":
        assert str(n) in exc.value.suggestions and str(n) in exc.value.message_en  # the number to type
    else:
        assert str(n) not in exc.value.suggestions  # a yes/no element is never told to take 1000


@PROPERTY
@given(st.integers(-SAFE_INT, SAFE_INT).filter(lambda n: abs(n) >= 10**6))
def test_several_thousands_groups_rejected_even_for_decimal_elements(n):
    with pytest.raises(NumberFormatError):
        parse_number(fmt.number(n), "number")


@PROPERTY
@given(
    st.sampled_from(["", "+", "-"]),
    st.text(alphabet="0123456789", max_size=8),
    st.text(alphabet="0123456789", min_size=1, max_size=8),
    st.sampled_from(["integer", "number", "boolean"]),
)
def test_any_decimal_comma_rejected(sign, whole, frac, value_type):
    with pytest.raises(NumberFormatError):
        parse_number(f"{sign}{whole},{frac}", value_type)


@PROPERTY
@given(st.floats(min_value=-1e9, max_value=1e9, allow_nan=False), st.integers(1, 4))
def test_vietnamese_formatted_decimals_rejected(x, decimals):
    text = fmt.number(x, decimals)  # always has a decimal comma
    assert "," in text
    with pytest.raises(NumberFormatError):
        parse_number(text, "number")


@PROPERTY
@given(
    st.one_of(st.text(), st.text(alphabet="0123456789.,+-eE %=@ \u00a0\t")),
    st.sampled_from(["integer", "number", "boolean"]),
)
def test_never_raises_anything_but_number_format_error(text, value_type):
    try:
        value = parse_number(text, value_type)
    except NumberFormatError as exc:
        assert exc.message_en and exc.message_vi
    else:
        assert math.isfinite(value)


# ------------------------------------------------------------------ files in Vietnamese style


@pytest.mark.parametrize(
    "text, value_type, expected",
    [
        ("68,5", "number", 68.5),
        ("0,125", "number", 0.125),
        ("1234,567", "number", 1234.567),
        ("-,5", "number", -0.5),
        ("1,0", "boolean", 1.0),
        ("73.5", "number", 73.5),  # a decimal point alone is still unambiguous
        ("4489", "integer", 4489.0),
    ],
)
def test_decimal_comma_read_in_a_vietnamese_style_file(text, value_type, expected):
    assert parse_number(text, value_type, decimal_comma=True) == expected


@pytest.mark.parametrize(
    "text, value_type, hints",
    [
        ("21.000", "number", ("21000", "21")),
        ("1.250", "number", ("1250", "1,25")),  # advice in the file's own style
        ("1.255", "number", ("1255", "1,2550")),
        ("25,000", "number", ("25000", "25")),  # still two readings: refused even here
        ("4.489,5", "number", ("4489,5",)),
        ("1,234.5", "number", ("1234,5",)),
        ("4.489", "integer", ("4489",)),
    ],
)
def test_what_stays_ambiguous_is_refused_in_a_vietnamese_style_file(text, value_type, hints):
    with pytest.raises(NumberFormatError) as exc:
        parse_number(text, value_type, decimal_comma=True)
    assert exc.value.suggestions == hints


def number_texts():
    """Number-like text as people type it: signs, digit groups joined by dots, commas or spaces,
    a trailing per cent; and any mix of those characters."""
    digits = st.text(alphabet="0123456789", min_size=1, max_size=5)
    joined = st.lists(st.tuples(st.sampled_from([".", ",", " "]), digits), max_size=3)
    shaped = st.builds(
        lambda sign, first, rest, pct: sign + first + "".join(a + b for a, b in rest) + pct,
        st.sampled_from(["", "-", "+"]),
        digits,
        joined,
        st.sampled_from(["", "", "%", " %"]),
    )
    return st.one_of(shaped, st.text(alphabet="0123456789.,+- %", max_size=10))


@PROPERTY
@given(number_texts(), st.sampled_from(["integer", "number", "boolean"]), st.booleans())
def test_every_hint_is_accepted_by_the_same_check(text, value_type, decimal_comma):
    """Advice is never refused in turn: each suggested text passes the same check for the same element
    in the same file, keeps the file's style (no decimal point in a decimal-comma file, no comma in a
    machine-style one) and is named in both messages."""
    try:
        parse_number(text, value_type, decimal_comma)
    except NumberFormatError as exc:
        for hint in exc.suggestions:
            value = parse_number(hint, value_type, decimal_comma)  # raises if the advice is refused
            assert math.isfinite(value)
            assert hint in exc.message_en and hint in exc.message_vi
            if decimal_comma:
                assert not is_point_decimal(hint)
            else:
                assert "," not in hint


@PROPERTY
@given(st.integers(-SAFE_INT, SAFE_INT), st.integers(1, 2), st.integers(0, 4))
def test_a_hint_reads_as_one_of_the_meanings_of_what_was_typed(whole, groups, frac):
    """``1.250``: its hints are 1250 and 1.25 — the thousands and the decimal reading, nothing else."""
    text = fmt.number(abs(whole) % 10**6 + 1000)  # "1.250", "12.345.678"-like text
    try:
        parse_number(text, "number")
    except NumberFormatError as exc:
        readings = {float(text.replace(".", ""))}
        if text.count(".") == 1:
            readings.add(float(text))
        assert {parse_number(h, "number") for h in exc.suggestions} <= readings
    else:
        raise AssertionError(f"{text} was accepted")


@PROPERTY
@given(st.floats(min_value=-1e9, max_value=1e9, allow_nan=False), st.integers(1, 4))
def test_vietnamese_decimals_read_or_refused_in_a_vietnamese_style_file(x, decimals):
    """What Excel writes in a Vietnamese locale (``12,5``) is read as its value; what it writes with
    thousands dots (``1.234,5``) or with three decimals (``1,250``: 1250 in English style) is refused,
    and one of the suggestions reads as the value."""
    text = fmt.number(x, decimals)
    expected = float(text.replace(".", "").replace(",", "."))
    try:
        assert parse_number(text, "number", decimal_comma=True) == expected
    except NumberFormatError as exc:
        assert "." in text or re.fullmatch(r"-?[1-9]\d{0,2},\d{3}", text)
        assert expected in [parse_number(h, "number", decimal_comma=True) for h in exc.suggestions]


def test_file_style_from_separator_and_values():
    cells = [(2, "12"), (3, "68,5"), (4, "21.000")]
    assert file_number_style(cells, ",") == NumberStyle(",", False)
    assert file_number_style(cells, ";") == NumberStyle(";", True)
    assert file_number_style(cells, "\t") == NumberStyle("\t", True)
    mixed = [*cells, (7, "73.5")]
    assert file_number_style(mixed, ";") == NumberStyle(";", False, (7, "73.5"))


@PROPERTY
@given(st.floats(allow_nan=False, allow_infinity=False), st.booleans())
def test_machine_text_reads_back_as_the_same_number_in_its_file_style(x, decimal_comma):
    """What the import writes into a data file is read back exactly, in a file of the same style,
    and keeps that style (71.125 → 71.1250, never an ambiguous 71.125)."""
    text = machine_text(x, decimal_comma)
    assert parse_number(text, "number", decimal_comma) == x
    assert "e" not in text.lower()
    assert not is_point_decimal(text) if decimal_comma else "," not in text
