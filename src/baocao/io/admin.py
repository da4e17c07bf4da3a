"""Read the administrative-unit tables shipped by the ``vietnamadminunits`` package."""

from __future__ import annotations

import json
import sqlite3
from functools import cache
from importlib.resources import files

import pandas as pd

_DATA = files("vietnamadminunits") / "data"


@cache
def read_admin_table(table: str) -> pd.DataFrame:
    """``admin_units_legacy`` (63 provinces, 3 levels) or ``admin_units`` (2025, 2 levels)."""
    if table not in ("admin_units_legacy", "admin_units"):
        raise ValueError(f"unknown admin table {table!r}")
    with sqlite3.connect(f"file:{_DATA / 'dataset.db'}?mode=ro", uri=True) as conn:
        return pd.read_sql_query(f"SELECT * FROM [{table}]", conn)


@cache
def read_converter_2025() -> dict:
    """The package's old → 2025 commune mapping (``converter_2025.json``)."""
    return json.loads((_DATA / "converter_2025.json").read_text(encoding="utf-8"))
