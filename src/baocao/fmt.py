"""Number and text formatting in Vietnamese (default) or English style.

Vietnamese style: ``17.939`` (thousands dot), ``99,75%`` (decimal comma).
Babel does the locale work; we round half *up* ourselves first, because Babel
rounds half-to-even (``format_decimal(0.125, '0.00')`` gives ``0,12``) while
Vietnamese reports round 80,595 to 80,60.
"""

from __future__ import annotations

import functools
import math
from decimal import ROUND_HALF_UP, Decimal

from babel.numbers import format_decimal

LOCALES = {"vi": "vi_VN", "en": "en_US"}


def check_lang(lang: str) -> str:
    if lang not in LOCALES:
        raise ValueError(f"lang must be one of {sorted(LOCALES)}, not {lang!r}")
    return lang


def round_half_up(value: float, decimals: int = 0) -> Decimal:
    """Round like a person does: 0.5 goes up (away from zero)."""
    q = Decimal(1).scaleb(-decimals)
    return Decimal(repr(float(value))).quantize(q, rounding=ROUND_HALF_UP)


def is_missing(value) -> bool:
    if value is None:
        return True
    try:
        return math.isnan(float(value))
    except (TypeError, ValueError):
        # pandas' missing markers (nullable dtypes) do not convert to float
        return type(value).__name__ in ("NAType", "NaTType")


def number(value, decimals: int = 0, lang: str = "vi", missing: str = "–") -> str:
    """``number(17939) -> '17.939'``; ``number(73.5, 1) -> '73,5'``; English: ``17,939``."""
    check_lang(lang)
    if is_missing(value):
        return missing
    return _number(value, decimals, lang)


@functools.lru_cache(maxsize=8192)
def _number(value, decimals: int, lang: str) -> str:
    """Babel formatting is slow (~0,1 ms) and charts format the same tick values again and again."""
    d = round_half_up(value, decimals)
    pattern = "#,##0" + ("." + "0" * decimals if decimals > 0 else "")
    return format_decimal(d, format=pattern, locale=LOCALES[lang])


def percent(value, decimals: int = 2, lang: str = "vi", missing: str = "–") -> str:
    """A value already in percent: ``percent(99.75) -> '99,75%'``."""
    if is_missing(value):
        return missing
    return number(value, decimals, lang) + "%"


def with_unit(value, unit: str, decimals: int = 0, lang: str = "vi") -> str:
    """``with_unit(73.5, 'triệu đồng', 1) -> '73,5 triệu đồng'``; ``%`` is attached."""
    if is_missing(value):
        return "–"
    text = number(value, decimals, lang)
    if unit in ("%", ""):
        return text + unit
    return f"{text} {unit}"


def money_vnd_million(value, lang: str = "vi") -> str:
    """Money held in million VND, said the way reports say it: ``21 tỷ đồng``, ``850 triệu đồng``."""
    if is_missing(value):
        return "–"
    if abs(value) >= 1000:
        bn = value / 1000
        decimals = 0 if float(round_half_up(bn, 1)) == round(bn) else 1
        return with_unit(bn, "tỷ đồng" if lang == "vi" else "billion VND", decimals, lang)
    return with_unit(value, "triệu đồng" if lang == "vi" else "million VND", 0, lang)
