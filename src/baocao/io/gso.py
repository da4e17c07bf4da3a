"""Reading the GSO province tables kept unchanged in ``data/gso/raw/`` (see ``data/gso/README.md``).

The only code that reads that folder; the parsing is :mod:`baocao.data.gso`. Which files are read,
and how, is what the catalogue declares (the ``gso:`` mapping of its elements,
:func:`baocao.data.gso.declared_tables`); this module keeps no list of its own.
"""

from __future__ import annotations

import csv
import os
from pathlib import Path

import pandas as pd

from baocao import config
from baocao.data.catalogue import Catalogue
from baocao.data.gso import (
    PARSED_COLUMNS,
    GsoTable,
    declared_tables,
    gso_to_tidy,
    parse_gso_table,
    unreported_indicators,
)
from baocao.data.observations import problem, problems_frame
from baocao.io.tables import InputFileError, read_catalogue, read_text


def raw_dir() -> Path:
    return config.data_dir() / "gso" / "raw"


def source_stamp(folder: str | os.PathLike | None = None) -> tuple:
    """Path, modification time and size of every file of the GSO folder and of the catalogue
    folder: changes when a table or a declaration does (a cache key, not a content hash)."""
    raw = Path(folder) if folder else raw_dir()
    return tuple(
        (str(p), st.st_mtime_ns, st.st_size)
        for d in (config.catalogue_dir(), raw)
        if d.is_dir()
        for p in sorted(d.iterdir())
        if p.is_file()
        for st in (p.stat(),)
    )


def _catalogue(catalogue: Catalogue | None) -> Catalogue:
    return catalogue if catalogue is not None else read_catalogue(config.catalogue_dir())


def _header(text: str) -> list[str]:
    """The column headers after the first (the province names) of a GSO export, as printed."""
    lines = [ln for ln in text.lstrip("\ufeff").splitlines()[1:] if ln.strip()]
    return next(csv.reader(lines[:1], delimiter=";"), [""])[1:]


def _items(table: GsoTable) -> str:
    return ", ".join(repr(i.item) for i in table.items)


def read_gso_tables(
    folder: str | os.PathLike | None = None, catalogue: Catalogue | None = None, problems: list | None = None
) -> pd.DataFrame:
    """The tables the catalogue declares, parsed into one frame of cells
    (:func:`baocao.data.gso.parse_gso_table`).

    A declared file that is missing, and a CSV file of the folder that no element claims, are
    appended to ``problems`` as warnings naming file and column; a declaration that does not match
    its table (a ``province_column`` or ``item_column`` the table lacks, columns not laid out as
    declared) as a blocking problem naming the catalogue file, the element and the table. They are
    otherwise skipped; without a ``problems`` list they raise :class:`InputFileError`.
    """
    folder = Path(folder) if folder is not None else raw_dir()
    tables = declared_tables(_catalogue(catalogue))
    found: list[dict] = []
    frames = []
    for name, table in tables.items():
        path = folder / name
        if not path.is_file():
            found.append(
                problem(
                    name,
                    "",
                    _items(table),
                    "gso_file_missing",
                    name,
                    f"danh mục khai bảng GSO này (chỉ tiêu {', '.join(i.element for i in table.items)}) "
                    f"nhưng không có tệp trong {folder}",
                    "the catalogue declares this GSO table (elements "
                    f"{', '.join(i.element for i in table.items)}) but there is no such file in {folder}",
                    "warning",
                )
            )
            continue
        try:
            frames.append(parse_gso_table(read_text(path), name, table))
        except (ValueError, InputFileError) as exc:
            column = (
                table.province_column
                if "province_column" in str(exc)
                else table.item_column
                if "item_column" in str(exc)
                else _items(table)
            )
            entry = ", ".join(dict.fromkeys(i.entry for i in table.items)) or name
            found.append(
                problem(
                    name,
                    "",
                    column,
                    "gso_layout",
                    name,
                    f"{entry}: gso: khai báo không khớp bảng {name}: {exc}",
                    f"{entry}: gso: the declaration does not match the table {name}: {exc}",
                )
            )
    for path in sorted(folder.glob("*.csv")) if folder.is_dir() else []:
        if path.name not in tables:
            try:
                text = read_text(path)
                cols = _header(text)
                column = (
                    ", ".join(cols) if len(cols) <= 5 else ", ".join(cols[:3]) + f", … ({len(cols)} columns)"
                )
                cells = parse_gso_table(text, path.name)
                items = ", ".join(repr(i) for i in dict.fromkeys(cells["item"]) if i) or "none (layout years)"
            except (ValueError, InputFileError) as exc:
                items = f"? ({exc})"
            found.append(
                problem(
                    path.name,
                    "",
                    column,
                    "gso_unclaimed",
                    path.name,
                    "không chỉ tiêu nào trong danh mục khai tệp này (gso: file: …), nên không được nhập; "
                    f"các mục trong tệp: {items}",
                    "no catalogue element claims this file (gso: file: …), so it is not imported; items in "
                    f"the file: {items}",
                    "warning",
                )
            )
    if problems is not None:
        problems.extend(found)
    elif found:
        raise InputFileError(
            "; ".join(f"{p['file']}, column {p['column']}: {p['message_en']}" for p in found)
        )
    return pd.concat(frames, ignore_index=True) if frames else pd.DataFrame(columns=PARSED_COLUMNS)


def load_gso(
    folder: str | os.PathLike | None = None, collected: str | None = None, catalogue: Catalogue | None = None
) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """``(observations, published, problems)`` from the GSO tables the catalogue declares
    (default folder ``data/gso/raw``, default catalogue ``data/catalogue``). Files that cannot
    be read as declared, and unclaimed files, are warnings in ``problems``."""
    catalogue = _catalogue(catalogue)
    found: list[dict] = []
    parsed = read_gso_tables(folder, catalogue, found)
    obs, pub, probs = gso_to_tidy(parsed, catalogue, collected)
    return obs, pub, pd.concat([problems_frame(found), probs], ignore_index=True) if found else probs


def gso_warnings(folder: str | os.PathLike | None = None, catalogue: Catalogue | None = None) -> pd.DataFrame:
    """What ``baocao validate`` says about the GSO tables: every problem of :func:`load_gso`
    (unclaimed files, declared files that are missing, declarations that match no column or row of
    their table — blocking —, cells, names), and GSO indicators no report lists
    (:func:`baocao.data.gso.unreported_indicators`)."""
    catalogue = _catalogue(catalogue)
    return pd.concat(
        [load_gso(folder, catalogue=catalogue)[2], unreported_indicators(catalogue)], ignore_index=True
    )
