"""The GSO tables a GSO report reads, loaded once per process, and which indicators each
section of the province report and the national overview shows (the catalogue's ``reports: gso:``).
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from baocao import config
from baocao.data.catalogue import Catalogue
from baocao.data.gso_figures import indicator_values
from baocao.reports.kit import memo

# The indicators the reports show come from the catalogue's ``reports: gso:`` list (data/catalogue/gso.yaml),
# in its order; each entry lists the sections of the province report and of the national overview it is in.
REPORT = "gso"

SECTIONS: dict[str, tuple[str, ...]] = {
    "province": ("headline", "table", "rank_country", "rank_region", "map", "trend"),
    "national": ("headline", "table", "ranked", "map", "distribution"),
}
# the sections that rank the provinces (the province table shows the province's ranks): an
# indicator listed in one of them must declare its direction (Catalogue.ranking_direction)
RANKING: dict[str, tuple[str, ...]] = {
    "province": ("table", "rank_country", "rank_region"),
    "national": ("ranked",),
}


@dataclass(frozen=True)
class GsoData:
    observations: pd.DataFrame
    published: pd.DataFrame
    problems: pd.DataFrame
    catalogue: Catalogue
    folder: str
    key: tuple = ()  # what the data were loaded from (see _source_key)


def _source_key(folder: str) -> tuple:
    """The GSO folder, the catalogue folder and the size and time of every file in both: a
    catalogue edit or a new table in the same process is read again, not served from a cache."""
    from baocao.io.gso import source_stamp

    return folder, str(config.catalogue_dir()), source_stamp(folder or None)


@functools.lru_cache(maxsize=2)
def _load_cached(key: tuple) -> GsoData:
    from baocao.io.gso import load_gso
    from baocao.io.tables import read_catalogue

    folder, catalogue_dir, _ = key
    catalogue = read_catalogue(catalogue_dir)
    report_codes(catalogue)  # a misspelt section name fails here, naming the catalogue file
    obs, pub, probs = load_gso(folder or None, catalogue=catalogue)
    return GsoData(obs, pub, probs, catalogue, folder, key)


def report_codes(catalogue: Catalogue, kind: str | None = None, section: str | None = None) -> list[str]:
    """Indicators of the catalogue's ``reports: gso:`` list, in its order: all of them, or those
    shown in one section of the ``province`` or ``national`` report (an entry without the
    report's key is in every section of it). Without that list: every indicator whose
    numerator is read from a GSO table, in every section. An unknown section name, or an
    indicator in a section that ranks the provinces (:data:`RANKING`) without a ``direction``,
    raises :class:`CatalogueError` naming the catalogue file and the entry."""
    from baocao.data.catalogue import CatalogueError

    entries = catalogue.reports.get(REPORT)
    if entries is None:
        entries = tuple(
            {"indicator": c}
            for c, i in catalogue.indicators.items()
            if catalogue.element(i.numerator).gso is not None
        )
    where = catalogue.origin.get(f"reports {REPORT}", "catalogue")
    out = []
    for i, entry in enumerate(entries):
        for key in set(entry) - {"indicator"}:
            if key not in SECTIONS:
                raise CatalogueError(
                    f"{where}: reports.{REPORT}[{i}] ({entry['indicator']}): unknown key {key!r}; "
                    f"allowed: indicator, {', '.join(SECTIONS)}"
                )
            wrong = [x for x in entry[key] if x not in SECTIONS[key]]
            if wrong:
                raise CatalogueError(
                    f"{where}: reports.{REPORT}[{i}].{key} ({entry['indicator']}): unknown section "
                    f"{wrong[0]!r}; sections of the {key} report: {', '.join(SECTIONS[key])}"
                )
        for report, ranking in RANKING.items():
            if any(s in ranking for s in entry.get(report, SECTIONS[report])):
                catalogue.ranking_direction(entry["indicator"])
        if kind is None or section in entry.get(kind, SECTIONS[kind]):
            out.append(entry["indicator"])
    return out


def gso_folder(gso_dir: str = "") -> str:
    """The folder of the GSO tables: ``""`` = ``data/gso/raw``; a relative path is relative to the project
    folder.
    """
    if not gso_dir:
        return ""
    p = Path(gso_dir)
    return str(p if p.is_absolute() else config.home() / p)


def load_data(gso_dir: str = "") -> GsoData:
    """The GSO tables as tidy rows plus the catalogue, loaded once per
    process (the raw files never change).
    """
    return _load_cached(_source_key(gso_folder(gso_dir)))


def indicators_of(data: GsoData) -> pd.DataFrame:
    """The indicator values of every unit and year (:func:`baocao.data.gso_figures.indicator_values`
    of the catalogue's report indicators), computed once per loaded data."""
    return memo(
        data,
        ("indicators",),
        lambda: indicator_values(
            data.observations, data.published, data.catalogue, report_codes(data.catalogue)
        ),
    )
