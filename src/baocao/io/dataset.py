"""Load everything a report needs: catalogue, units, observations (validated), published figures."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from baocao import config
from baocao.data import unit_lists
from baocao.data.catalogue import Catalogue
from baocao.data.numbers import (
    NumberFormatError,
    file_number_style,
    parse_number,
    parse_year,
    style_note,
)
from baocao.data.observations import (
    TYPED_KEY,
    empty_observations,
    parse_observations,
    problem,
    problems_frame,
    split_periods,
)
from baocao.data.published import check_published, empty_published, missing_columns
from baocao.data.units import UnitRegistry
from baocao.data.validate import check_rules, has_blocking
from baocao.io.dataset_meta import FILE as META_FILE
from baocao.io.dataset_meta import unit_list_of
from baocao.io.tables import InputFileError, read_catalogue, read_csv_strings, read_text


@dataclass
class Dataset:
    catalogue: Catalogue
    registry: UnitRegistry
    observations: pd.DataFrame
    published: pd.DataFrame
    problems: pd.DataFrame
    files: list[str] = field(default_factory=list)
    # values for a period of several years (``2021-2025`` in the year column): never part of a year
    periods: pd.DataFrame = field(default_factory=lambda: empty_observations(period=True))
    # the sources named in published.csv's ``source`` column (sources.yaml beside it): key -> fields
    sources: dict = field(default_factory=dict)
    # the unit list every code of the data set is read against (``legacy`` | ``2025``): the data
    # folder's dataset.yaml says which; ``registry`` is that list's, every row carries it (``unit_list``)
    unit_list: str = unit_lists.LEGACY

    @property
    def ok(self) -> bool:
        return not has_blocking(self.problems)


def display_path(path: str | os.PathLike) -> str:
    """A path as users should read it: relative to the project when inside it."""
    p = Path(path).resolve()
    try:
        return str(p.relative_to(config.home()))
    except ValueError:
        return str(path)


def load_observations(paths, catalogue: Catalogue, registry: UnitRegistry, with_periods: bool = False):
    """(single-year rows, problems); with ``with_periods``: (single-year rows, period rows, problems)."""
    frames, problems = [], []
    for path in paths:
        name = display_path(path)
        try:
            raw = read_csv_strings(path)
        except InputFileError as exc:
            problems.append(problems_frame([file_problem(name, exc)]))
            continue
        obs, probs = parse_observations(raw, name, catalogue, registry)
        frames.append(obs)
        problems.append(probs)
    obs = pd.concat(frames, ignore_index=True) if frames else empty_observations()
    probs = (
        pd.concat([p for p in problems if len(p)], ignore_index=True)
        if any(len(p) for p in problems)
        else problems_frame([])
    )
    if "period" not in obs.columns:
        obs = obs.assign(period="")
    dup = obs.duplicated(TYPED_KEY, keep=False)
    if len(frames) > 1 and dup.any():
        rows = [
            problem(
                r.file,
                r.line,
                "unit/year/element/category",
                "duplicate_across_files",
                f"{r.unit}/{r.period or r.year}/{r.element}/{r.category}",
                "trùng khóa với một dòng ở tệp khác",
                "duplicate key with a row in another file",
            )
            for r in obs[dup].itertuples()
        ]
        probs = pd.concat([probs, problems_frame(rows)], ignore_index=True)
    years, periods = split_periods(obs)
    return (years, periods, probs) if with_periods else (years, probs)


def file_problem(name: str, exc: InputFileError) -> dict:
    """A file that cannot be read as one problem: its name once, the line if known, each language once."""
    return problem(name, "" if exc.line is None else exc.line, "", "file", "", exc.message_vi, exc.message_en)


PUBLISHED_NUMBERS = {"value": "number", "decimals": "integer", "year_from": "year", "year_to": "year"}


def load_published(paths) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Published figures (:mod:`baocao.data.published`) and the problems found reading them (file,
    row, column, in both languages): a value that is not a number is a problem like one in the
    observations, never a crash; so is a period or date the row infers without saying why."""
    frames, problems = [], []
    for path in paths:
        name = display_path(path)
        try:
            df = read_csv_strings(path)
        except InputFileError as exc:
            problems.append(file_problem(name, exc))
            continue
        missing = missing_columns(df.columns, name)
        if missing and not len(df):
            continue  # an earlier format's header and no figure (an older init-district): nothing to misread
        if missing:
            problems.extend(missing)
            continue
        style = file_number_style(zip(df.index, df["value"]), df.attrs.get("delimiter", ","))
        parsed = {c: [] for c in PUBLISHED_NUMBERS}
        bad = set()
        for line, row in zip(df.index, df.itertuples(index=False)):
            for column, kind in PUBLISHED_NUMBERS.items():
                text = getattr(row, column)
                try:
                    if kind == "year":
                        parsed[column].append(parse_year(text))
                    else:
                        parsed[column].append(parse_number(text, kind, style.decimal_comma))
                except NumberFormatError as exc:
                    vi, en = exc.message_vi, exc.message_en
                    note_vi, note_en = style_note(style, exc.kind)
                    vi, en = vi + note_vi, en + note_en
                    problems.append(problem(name, line, column, "number", text, vi, en))
                    parsed[column].append(0)
                    bad.add(line)
        df = df.assign(
            value=pd.Series(parsed["value"], index=df.index, dtype="float64"),
            decimals=pd.Series(parsed["decimals"], index=df.index).astype(int),
            year_from=pd.Series(parsed["year_from"], index=df.index).astype(int),
            year_to=pd.Series(parsed["year_to"], index=df.index).astype(int),
            file=name,
        )
        df = df.drop(index=list(bad))
        problems.extend(check_published(df, name))  # stated vs inferred: every inference says why
        frames.append(df)
    published = pd.concat(frames, ignore_index=True) if frames else empty_published()
    return published, problems_frame(problems)


def load_sources(published_paths) -> dict:
    """``sources.yaml`` next to each published file: ``{key: {title_vi, title_en, kind, file}}``."""
    import yaml

    out: dict = {}
    for path in published_paths:
        f = Path(path).with_name("sources.yaml")
        if f.exists():
            try:
                doc = yaml.safe_load(read_text(f)) or {}
            except yaml.YAMLError as exc:
                mark = getattr(exc, "problem_mark", None)
                raise InputFileError(
                    f"not valid YAML ({getattr(exc, 'problem', None) or exc})",
                    f"không phải YAML hợp lệ ({getattr(exc, 'problem', None) or exc})",
                    path=display_path(f),
                    line=mark.line + 1 if mark else None,
                ) from None
            if not isinstance(doc, dict):
                raise InputFileError(
                    "expected a mapping of source keys (key: then name_vi, name_en…)",
                    "cần một danh sách nguồn dạng khóa: (rồi name_vi, name_en…)",
                    path=display_path(f),
                )
            out.update({str(k): v for k, v in doc.items() if isinstance(v, dict)})
    return out


def load(observation_files=None, published_files=None, catalogue_dir=None, unit_list=None) -> Dataset:
    """Read and validate; problems are collected, never raised (check ``Dataset.ok``).

    Every code is read against one unit list: the one the files' folder declares in its
    ``dataset.yaml``, or ``unit_list`` for files outside such a folder
    (:func:`baocao.io.dataset_meta.unit_list_of`, which raises ``UnitListError`` when neither
    says, or they disagree). Every row is stamped with it (column ``unit_list``)."""
    catalogue = read_catalogue(catalogue_dir or config.catalogue_dir())
    files = [Path(p) for p in (observation_files or config.default_observation_files())]
    pub_files = (
        published_files
        if published_files is not None
        else (config.default_published_files() if observation_files is None else [])
    )
    unit_list = unit_list_of([*files, *map(Path, pub_files)], unit_list)
    registry = unit_lists.registry(unit_list)
    obs, periods, problems = load_observations(files, catalogue, registry, with_periods=True)
    rule_problems = check_rules(obs, catalogue)
    if len(periods):  # period rows are compared with the rows of the same period only
        spans = periods.assign(year=periods["year_from"].astype(str) + "-" + periods["year_to"].astype(str))
        per_problems = check_rules(spans, catalogue)
        rule_problems = (
            pd.concat([p for p in (rule_problems, per_problems) if len(p)], ignore_index=True)
            if len(per_problems)
            else rule_problems
        )
    problems = (
        pd.concat([p for p in (problems, rule_problems) if len(p)], ignore_index=True)
        if len(problems) or len(rule_problems)
        else problems
    )
    published, pub_problems = load_published([Path(p) for p in pub_files])
    list_problems = published_unit_problems(pub_files, registry)
    more = [p for p in (pub_problems, list_problems) if len(p)]
    if more:
        problems = pd.concat([p for p in (problems, *more) if len(p)], ignore_index=True)
    sources = load_sources(pub_files)
    return Dataset(
        catalogue,
        registry,
        obs.assign(unit_list=unit_list),
        published.assign(unit_list=unit_list),
        problems.reset_index(drop=True),
        [display_path(f) for f in files],
        periods.assign(unit_list=unit_list),
        sources,
        unit_list,
    )


def published_unit_problems(paths, registry: UnitRegistry) -> pd.DataFrame:
    """The published figures' units and periods against the unit list of ``registry``: a code not in
    the list, a period not of the list (file, row, column, the list named). A file that cannot be
    read, or lacks these columns, is left to :func:`load_published`, which says why."""
    rows = []
    for path in paths:
        try:
            df = read_csv_strings(path)
        except InputFileError:
            continue
        if not {"unit", "year_from", "year_to"} <= set(df.columns):
            continue
        name = display_path(path)
        spans = []
        for line, unit, a, b in zip(df.index, df["unit"], df["year_from"], df["year_to"]):
            if unit and unit not in registry:
                vi, en = unit_lists.unknown_unit_words(unit, registry.structure)
                rows.append(problem(name, line, "unit", "known_unit", unit, vi, en))
            if a.isdigit() and b.isdigit():
                spans.append((line, unit, int(b), "" if a == b else f"{a}-{b}"))
        if spans:
            frame = pd.DataFrame(spans, columns=["line", "unit", "year", "period"]).set_index("line")
            rows.extend(unit_lists.year_problems(frame, registry.structure, name))
    return problems_frame(rows)


def data_files(data_dir: str = "") -> list[Path]:
    """Every file a dataset load reads (for cache keys and build dependencies)."""
    cat = sorted(config.catalogue_dir().glob("*.yaml")) + sorted(config.catalogue_dir().glob("rules.csv"))
    if data_dir:
        d = Path(data_dir)
        return (
            cat
            + sorted(d.glob("observations*.csv"))
            + sorted(d.glob("published*.csv"))
            + sorted(d.glob("sources.yaml"))
            + [d / META_FILE]
        )
    pub = list(config.default_published_files())
    obs = list(config.default_observation_files())
    return (
        cat
        + obs
        + pub
        + [p.with_name("sources.yaml") for p in pub[:1]]
        + [p.with_name(META_FILE) for p in obs[:1]]
    )


def data_stamp(data_dir: str = "") -> tuple:
    """Changes whenever one of the files a load reads changes (path, size, mtime, ctime, inode:
    an edit that keeps the size and puts the mtime back still changes the ctime)."""
    out = []
    for p in data_files(data_dir):
        try:
            st = p.stat()
            out.append((str(p), st.st_size, st.st_mtime_ns, st.st_ctime_ns, st.st_ino))
        except FileNotFoundError:
            out.append((str(p), -1, -1))
    return tuple(out)
