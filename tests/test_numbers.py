"""Strict number parsing: machine numbers only, Vietnamese-style text refused with a fix."""

from __future__ import annotations

import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from baocao import fmt
from baocao.data.numbers import NumberFormatError, parse_number, parse_year

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
        ("4.489", "number", 4.489),  # a decimal point in a decimal number is a decimal point
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
        ("1,234", "integer", "type 1234 or 1.234"),
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
def test_machine_text_of_any_float_round_trips(x):
    assert parse_number(repr(x), "number") == x


@PROPERTY
@given(
    st.integers(-SAFE_INT, SAFE_INT).filter(lambda n: abs(n) >= 1000), st.sampled_from(["integer", "boolean"])
)
def test_vietnamese_thousands_text_for_integers_always_rejected(n, value_type):
    text = fmt.number(n)  # "17.939", "-1.234.567"
    assert "." in text
    with pytest.raises(NumberFormatError) as exc:
        parse_number(text, value_type)
    assert str(n) in exc.value.message_en  # the message gives the machine number to type


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
