"""Opening a report of a 2025 unit (a new commune, a province of the 2025 list) for a year from 2025.

Two data sets meet here, never mixed by code: the **data folder of the 2025 list** (``data_dir``:
what the new units reported, from 2025, every row stamped ``2025``), and its **history**, the
legacy data folders its ``dataset.yaml`` names (``history: [data/thoai_son]``), whose commune rows
are re-expressed on the new communes (:func:`baocao.data.crosswalk.to_2025`, rows stamped ``2025``
by it). Their years never overlap (legacy up to 2024, the 2025 list from 2025), so one series per
indicator runs across the break of 1 July 2025; :func:`part` says which side a year is on.

Aggregates and indicators of every unit of the folder, on both sides of the break, are computed
once per loaded data set (:func:`frames`): a kernel builds the province report and its 102
commune reports on the same data.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

from baocao.data import provenance, unit_lists
from baocao.data.aggregate import aggregate, indicators
from baocao.data.crosswalk import COMMUNE_COLUMNS, DROPPED_COLUMNS, OBS_COLUMNS, CrosswalkReport, to_2025
from baocao.data.provenance import is_illustrative
from baocao.data.units import Unit, UnitRegistry
from baocao.errors import BaocaoError
from baocao.reports.kit import (
    ROW_KEYS,
    ReportContext,
    ReportError,
    canonical_csv,
    check_data,
    load_data,
    memo,
    short_hash,
)

HISTORY = "history"  # a year re-expressed from the old units (legacy list, up to 2024)
REPORTED = "reported"  # a year the new units reported (2025 list, from 2025)
LAST_HISTORY_YEAR = unit_lists.LAST_LEGACY_YEAR  # the break comes after it


def part(year: int) -> str:
    """Which side of the break of 1 July 2025 a year is on: :data:`HISTORY` or :data:`REPORTED`."""
    return HISTORY if unit_lists.year_list(int(year)) == unit_lists.LEGACY else REPORTED


@dataclass
class History:
    """The history of a 2025 data folder: its legacy folders' rows re-expressed on the new communes."""

    folders: tuple[str, ...]  # as users read them: data/thoai_son
    datasets: tuple  # the legacy data sets (loaded once per process)
    rows: pd.DataFrame  # their observations (legacy list)
    obs: pd.DataFrame  # re-expressed on the 2025 communes (2025 list)
    report: CrosswalkReport

    @property
    def years(self) -> list[int]:
        """The years of the history (whatever unit): where every series of the reports starts."""
        return sorted(int(y) for y in self.obs["year"].unique())


def no_history() -> History:
    return History(
        (),
        (),
        pd.DataFrame(columns=OBS_COLUMNS),
        pd.DataFrame(columns=[*OBS_COLUMNS, "unit_list"]),
        CrosswalkReport(pd.DataFrame(columns=COMMUNE_COLUMNS), pd.DataFrame(columns=DROPPED_COLUMNS)),
    )


def load_history(data_dir: str) -> History:
    """The legacy folders ``data_dir``'s ``dataset.yaml`` names, loaded once per process, and their
    rows re-expressed on the 2025 communes once per loaded data (a report error names a folder that
    is not a legacy data folder, or whose data have blocking problems)."""
    from baocao.io.dataset import display_path
    from baocao.io.dataset_meta import history_folders

    try:
        folders = history_folders(data_dir)
    except BaocaoError as exc:
        raise ReportError(str(exc)) from None
    if not folders:
        return no_history()
    sets = tuple(load_data(str(f)) for f in folders)
    for ds in sets:
        check_data(ds)

    def reexpress() -> History:
        rows = pd.concat([d.observations for d in sets], ignore_index=True)
        obs, report = to_2025(rows, sets[0].catalogue)
        return History(tuple(display_path(f) for f in folders), sets, rows, obs, report)

    # kept on the first data set, keyed by the others (held by the History, so their ids stay theirs)
    return memo(sets[0], ("history re-expressed", *(id(d) for d in sets[1:])), reexpress)


def frames(ds, history: History) -> tuple[pd.DataFrame, pd.DataFrame]:
    """``(agg, ind)``: aggregates and indicators of every unit of the 2025 folder and of every new
    commune its history reaches (years of the history and reported years), each row with its
    :func:`part`; computed once per loaded data set and history."""

    def compute():
        both = pd.concat([ds.observations, history.obs], ignore_index=True)
        agg = aggregate(both, ds.catalogue, ds.registry)
        ind = indicators(agg, ds.catalogue)
        agg = agg.assign(part=agg["year"].map(part))
        ind = ind.assign(part=ind["year"].map(part))
        return history.datasets, agg, ind

    _, agg, ind = memo(ds, ("two-level frames", *(id(d) for d in history.datasets)), compute)
    return agg, ind


def reported_years(ds) -> list[int]:
    return sorted(int(y) for y in ds.observations["year"].unique())


def check_year_2025(ds, year: int, where: str) -> list[int]:
    """The folder's years up to ``year``, or a report error: a year of the legacy list, or one the
    folder has no data for (its years listed)."""
    have = reported_years(ds)
    listed = ", ".join(map(str, have)) or "không có / none"
    if part(year) == HISTORY:
        raise ReportError(
            f"Năm {year} thuộc danh mục cũ: báo cáo theo đơn vị mới từ năm {unit_lists.FIRST_NEW_YEAR} "
            f"(lịch sử {year} có trong các báo cáo đó); {where} có các năm {listed} / {year} belongs to the "
            f"legacy list: reports on the new units start in {unit_lists.FIRST_NEW_YEAR} (showing {year} as "
            f"history); {where} has {listed}"
        )
    if year not in have:
        raise ReportError(
            f"Không có số liệu năm {year} trong {where} / no data for {year} in {where}; có các năm / years "
            f"with data: {listed}"
        )
    return [y for y in have if y <= year]


def resolve(registry: UnitRegistry, query, level: str) -> Unit:
    """The unit a code or name means in the 2025 list (a report error says why not)."""
    try:
        return registry.get(str(query).strip(), level=level)
    except LookupError as exc:
        raise ReportError(
            f"{exc} (danh mục đơn vị từ 1/7/2025 / the unit list in force from 1 July 2025)"
        ) from None


def folder_path(data_dir: str):
    """A data folder as a path: a relative one is relative to the project (as :func:`load_data` reads it)."""
    from pathlib import Path

    from baocao import config

    return Path(data_dir) if Path(data_dir).is_absolute() else config.home() / data_dir


def open_data(data_dir: str):
    """The 2025 folder's data set (checked: it must be of the 2025 list, without blocking problems)
    and its history."""
    from baocao.io.dataset import display_path

    ds = load_data(data_dir)
    check_data(ds)
    shown = display_path(folder_path(data_dir)) if data_dir else "data"
    if ds.unit_list != unit_lists.NEW:
        raise ReportError(
            f"{shown} dùng {unit_lists.label(ds.unit_list, 'vi', True)}: báo cáo này cần thư mục số liệu "
            f'theo danh mục 2025 (dataset.yaml: unit_list: "2025"), vd. data/an_giang_2025 / {shown} uses '
            f"the {unit_lists.label(ds.unit_list, 'en', True)}: this report needs a data folder of the 2025 "
            'list (dataset.yaml: unit_list: "2025"), e.g. data/an_giang_2025'
        )
    return ds, load_history(data_dir), shown


@dataclass(kw_only=True)
class TwoLevelContext(ReportContext):
    """A report of a 2025 unit for ``year``: ``ind`` holds the indicators of its units on both
    sides of the break (column ``part``), ``agg`` their aggregates."""

    unit: Unit  # of the 2025 list
    year: int
    history: History
    agg: pd.DataFrame
    reported: list = field(default_factory=list)  # the folder's years up to ``year``
    data_dir: str = ""  # as users read it
    rows: pd.DataFrame = field(default_factory=pd.DataFrame)  # the reported rows it reads
    old_rows: pd.DataFrame = field(default_factory=pd.DataFrame)  # the legacy rows its history rests on

    @property
    def province(self) -> Unit:
        return self.dataset.registry.unit(self.unit.province)

    @property
    def history_years(self) -> list[int]:
        """The years of history of the report's units (re-expressed)."""
        return sorted(int(y) for y in self.ind.loc[self.ind["part"] == HISTORY, "year"].unique())

    @property
    def years(self) -> list[int]:
        """The years the report's series run over: the history's (2022–2024, for every unit: a unit
        without history shows them empty), then the folder's years up to ``year``."""
        return [*self.history.years, *self.reported]

    @property
    def illustrative(self) -> bool:
        return bool(
            is_illustrative(self.rows["source"]).any() or is_illustrative(self.old_rows["source"]).any()
        )

    def index_marks(self, headline: list) -> tuple[list, dict]:
        """The index's headline and marks for a report of illustrative data: each figure
        (``[label, value, computed]``: whether the value is a figure of the data) with ``mh``, the
        one-line banner and the legend of the mark; as they are for real data."""
        if not self.illustrative:
            return [[label, value] for label, value, _ in headline], {}
        m = provenance.MARKS[self.lang]["illustrative"]
        return [[label, value, m if figure else "", ""] for label, value, figure in headline], {
            "banner": self.in_lang(
                "Số liệu minh họa (mh): sinh tự động, không phải số liệu thật.",
                "Illustrative data (il): generated, not real figures.",
            ),
            "legend": [list(item) for item in provenance.legend({"illustrative"}, self.lang)],
        }

    def input_hash(self) -> str:
        both = pd.concat([self.rows, self.old_rows], ignore_index=True)
        return short_hash(canonical_csv(both, ROW_KEYS))

    def sources(self) -> list[str]:
        """The sources of every row the report reads, reported then history."""
        found = [*self.rows["source"].fillna(""), *self.old_rows["source"].fillna("")]
        return list(dict.fromkeys(s for s in found if s))
