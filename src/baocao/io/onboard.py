"""Writing a new district's data folder and run plan (``baocao
init-district``, :mod:`baocao.data.onboard`).
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from baocao.errors import BaocaoError
from baocao.io.tables import atomic_write_text, write_csv


class AlreadyThere(BaocaoError, FileExistsError):
    """The folder or the plan exists; nothing was written."""


def write_district(
    data_dir: Path, plan: Path, tables: dict[str, pd.DataFrame], texts: dict[str, str], plan_text: str
) -> None:
    """``data_dir/<name>`` for each table (CSV) and text, and the plan; refuses (AlreadyThere,
    before writing anything) when the folder or the plan exists. Each file is written atomically."""
    for path in (data_dir, plan):
        if path.exists():
            raise AlreadyThere(str(path))
    data_dir.mkdir(parents=True)
    for name, df in tables.items():
        write_csv(data_dir / name, df)
    for name, text in texts.items():
        atomic_write_text(data_dir / name, text)
    plan.parent.mkdir(parents=True, exist_ok=True)
    atomic_write_text(plan, plan_text)
