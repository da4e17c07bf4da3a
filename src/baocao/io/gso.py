"""Reading the GSO province tables kept unchanged in ``data/gso/raw/`` (see ``data/gso/README.md``).

The only code that reads that folder; the parsing is :mod:`baocao.gso`.
"""

from __future__ import annotations

import os
from pathlib import Path

import pandas as pd

from baocao import config
from baocao.gso import COLLECTED, TABLES, gso_to_tidy, parse_gso_table
from baocao.io.tables import read_text


def raw_dir() -> Path:
    return config.data_dir() / "gso" / "raw"


def read_gso_tables(folder: str | os.PathLike | None = None) -> pd.DataFrame:
    """The five tables parsed into one frame of cells (:func:`baocao.gso.parse_gso_table`)."""
    folder = Path(folder) if folder is not None else raw_dir()
    return pd.concat([parse_gso_table(read_text(folder / name), name) for name in TABLES], ignore_index=True)


def load_gso(folder: str | os.PathLike | None = None, collected: str = COLLECTED) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """``(observations, published, problems)`` from the five GSO tables (default ``data/gso/raw``)."""
    return gso_to_tidy(read_gso_tables(folder), collected)
