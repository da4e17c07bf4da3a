"""Read the administrative-unit tables shipped by the ``vietnamadminunits`` package."""

from __future__ import annotations

import importlib.util
import json
import sqlite3
from functools import cache
from pathlib import Path

import pandas as pd


@cache
def data_dir() -> Path:
    """The package's data folder, found without importing the package: ``import
    vietnamadminunits`` loads its address parsers (≈ 0,5 s), which baocao does not use."""
    spec = importlib.util.find_spec("vietnamadminunits")
    if spec is None or not spec.submodule_search_locations:
        raise ModuleNotFoundError("the vietnamadminunits package (the unit list) is not installed")
    return Path(next(iter(spec.submodule_search_locations))) / "data"


def dataset_path() -> Path:
    """The package's SQLite file of unit tables (what :func:`read_admin_table` reads)."""
    return data_dir() / "dataset.db"


@cache
def read_admin_table(table: str) -> pd.DataFrame:
    """``admin_units_legacy`` (63 provinces, 3 levels) or ``admin_units`` (2025, 2 levels)."""
    if table not in ("admin_units_legacy", "admin_units"):
        raise ValueError(f"unknown admin table {table!r}")
    with sqlite3.connect(f"file:{dataset_path()}?mode=ro", uri=True) as conn:
        return pd.read_sql_query(f"SELECT * FROM [{table}]", conn)


@cache
def read_converter_2025() -> dict:
    """The package's old → 2025 commune mapping (``converter_2025.json``)."""
    return json.loads((data_dir() / "converter_2025.json").read_text(encoding="utf-8"))
