"""Load everything a report needs: catalogue, units, observations (validated), published figures."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from baocao import config, units
from baocao.catalogue import Catalogue
from baocao.io.tables import InputFileError, read_catalogue, read_csv_strings
from baocao.observations import empty_observations, parse_observations, problem, problems_frame
from baocao.reconcile import PUBLISHED_COLUMNS
from baocao.units import UnitRegistry
from baocao.validate import check_rules, has_blocking


@dataclass
class Dataset:
    catalogue: Catalogue
    registry: UnitRegistry
    observations: pd.DataFrame
    published: pd.DataFrame
    problems: pd.DataFrame
    files: list[str] = field(default_factory=list)

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


def load_observations(paths, catalogue: Catalogue, registry: UnitRegistry) -> tuple[pd.DataFrame, pd.DataFrame]:
    frames, problems = [], []
    for path in paths:
        name = display_path(path)
        try:
            raw = read_csv_strings(path)
        except InputFileError as exc:
            problems.append(problems_frame([problem(name, "", "", "file", "", str(exc).replace(str(path), name), str(exc).replace(str(path), name))]))
            continue
        obs, probs = parse_observations(raw, name, catalogue, registry)
        frames.append(obs)
        problems.append(probs)
    obs = pd.concat(frames, ignore_index=True) if frames else empty_observations()
    probs = pd.concat([p for p in problems if len(p)], ignore_index=True) if any(len(p) for p in problems) else problems_frame([])
    dup = obs.duplicated(["unit", "year", "element", "category"], keep=False)
    if len(frames) > 1 and dup.any():
        rows = [
            problem(r.file, r.line, "unit/year/element/category", "duplicate_across_files", f"{r.unit}/{r.year}/{r.element}/{r.category}",
                    "trùng khóa với một dòng ở tệp khác", "duplicate key with a row in another file")
            for r in obs[dup].itertuples()
        ]
        probs = pd.concat([probs, problems_frame(rows)], ignore_index=True)
    return obs, probs


def load_published(paths) -> pd.DataFrame:
    frames = []
    for path in paths:
        df = read_csv_strings(path)
        missing = [c for c in PUBLISHED_COLUMNS if c not in df.columns]
        if missing:
            raise InputFileError(f"{display_path(path)}: missing column(s) {', '.join(missing)}")
        df["value"] = df["value"].astype(float)
        df["decimals"] = df["decimals"].astype(int)
        df["file"] = display_path(path)
        frames.append(df)
    return pd.concat(frames, ignore_index=True) if frames else pd.DataFrame(columns=PUBLISHED_COLUMNS)


def load(observation_files=None, published_files=None, catalogue_dir=None) -> Dataset:
    """Read and validate; problems are collected, never raised (check ``Dataset.ok``)."""
    catalogue = read_catalogue(catalogue_dir or config.catalogue_dir())
    registry = units.legacy()
    files = [Path(p) for p in (observation_files or config.default_observation_files())]
    obs, problems = load_observations(files, catalogue, registry)
    rule_problems = check_rules(obs, catalogue)
    problems = pd.concat([p for p in (problems, rule_problems) if len(p)], ignore_index=True) if len(problems) or len(rule_problems) else problems
    pub_files = published_files if published_files is not None else (config.default_published_files() if observation_files is None else [])
    published = load_published([Path(p) for p in pub_files])
    return Dataset(catalogue, registry, obs, published, problems.reset_index(drop=True), [display_path(f) for f in files])


def data_files(data_dir: str = "") -> list[Path]:
    """Every file a dataset load reads (for cache keys and build dependencies)."""
    cat = sorted(config.catalogue_dir().glob("*.yaml")) + sorted(config.catalogue_dir().glob("rules.csv"))
    if data_dir:
        d = Path(data_dir)
        return cat + sorted(d.glob("observations*.csv")) + sorted(d.glob("published*.csv"))
    return cat + list(config.default_observation_files()) + list(config.default_published_files())


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
