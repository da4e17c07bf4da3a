"""Vietnamese (default) and English number formatting, rounding half up."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from baocao import fmt


@pytest.mark.parametrize(
    "value, decimals, vi, en",
    [
        (17939, 0, "17.939", "17,939"),
        (4489, 0, "4.489", "4,489"),
        (956, 0, "956", "956"),
        (-17939, 0, "-17.939", "-17,939"),
        (73.5, 1, "73,5", "73.5"),
        (6.0606, 2, "6,06", "6.06"),
        (1234567.891, 2, "1.234.567,89", "1,234,567.89"),
        (np.int64(17939), 0, "17.939", "17,939"),
        (5, 2, "5,00", "5.00"),
    ],
)
def test_number(value, decimals, vi, en):
    assert fmt.number(value, decimals) == vi
    assert fmt.number(value, decimals, lang="en") == en


@pytest.mark.parametrize(
    "value, decimals, expected",
    [
        (80.595, 2, "80,60"),  # the float is 80.59499…, a person rounds the written 80,595 up
        (0.125, 2, "0,13"),  # Babel alone gives 0,12 (half to even)
        (2.5, 0, "3"),
        (3.5, 0, "4"),
        (99.755, 2, "99,76"),
        (-2.5, 0, "-3"),  # half away from zero
        (80.5970149, 2, "80,60"),
    ],
)
def test_rounds_half_up(value, decimals, expected):
    assert fmt.number(value, decimals) == expected


def test_round_half_up_decimal():
    assert str(fmt.round_half_up(80.595, 2)) == "80.60"
    assert float(fmt.round_half_up(21499, -3)) == 21000
    assert float(fmt.round_half_up(21500, -3)) == 22000


def test_percent():
    assert fmt.percent(99.75) == "99,75%"
    assert fmt.percent(99.342105) == "99,34%"
    assert fmt.percent(98.13, 1) == "98,1%"
    assert fmt.percent(99.75, lang="en") == "99.75%"


def test_with_unit():
    assert fmt.with_unit(73.5, "triệu đồng", 1) == "73,5 triệu đồng"
    assert fmt.with_unit(73.5, "million VND", 1, lang="en") == "73.5 million VND"
    assert fmt.with_unit(80.597, "%", 2) == "80,60%"
    assert fmt.with_unit(17939, "") == "17.939"


@pytest.mark.parametrize(
    "value, lang, expected",
    [
        (21000, "vi", "21 tỷ đồng"),
        (19400, "vi", "19,4 tỷ đồng"),
        (850, "vi", "850 triệu đồng"),
        (21000, "en", "21 billion VND"),
        (4560, "en", "4.6 billion VND"),
    ],
)
def test_money(value, lang, expected):
    assert fmt.money_vnd_million(value, lang) == expected


@pytest.mark.parametrize("missing", [None, float("nan"), np.nan, pd.NA, np.float32("nan")])
def test_missing_is_a_dash(missing):
    assert fmt.number(missing) == "–"
    assert fmt.number(missing, 2, lang="en") == "–"
    assert fmt.percent(missing) == "–"
    assert fmt.with_unit(missing, "%", 2) == "–"
    assert fmt.money_vnd_million(missing) == "–"
    assert fmt.number(missing, missing="n/a") == "n/a"


def test_is_missing():
    assert fmt.is_missing(math.nan) and fmt.is_missing(None) and fmt.is_missing(pd.NA)
    assert not fmt.is_missing(0) and not fmt.is_missing("abc")


def test_unknown_language_refused():
    with pytest.raises(ValueError, match="lang must be one of"):
        fmt.number(1, lang="fr")
