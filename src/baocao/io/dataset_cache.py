"""The loaded data set, kept on disk for the other processes of a build.

Reading and validating the data set (:func:`baocao.io.dataset.load`: CSV parsing, the pandera
checks, importing pandera) costs ≈ 0,5 s of CPU. After a data edit a build pays it in the
builder, which hashes what each report reads, and again in every warm kernel. So the process
that loads a data set first keeps it as a pickle in the project's ``.baocao-cache/``, and the
others read that instead (≈ 0,02 s, and without importing pandera).

The file's name is a hash of everything the load depends on (:func:`cache_key`):

- the path and content (sha256) of every file it reads (:func:`baocao.io.dataset.data_files`,
  and ``sources.yaml`` beside the published figures);
- the project folder (problem messages name files relative to it) and the current year (the
  validation accepts years up to it);
- the ``baocao`` source (:func:`baocao.io.filestamps.source_hash`), the unit lists' cache names
  (the stamps of the package's unit table: :func:`baocao.data.units.registry_cache_path`), and
  the versions of Python, pandas, numpy and pandera.

The files are hashed before the load and again after it, and the pickle is written only if
their hashes did not change meanwhile (a file saved during the load would otherwise be recorded
under contents it was not read from). The unit registry is not stored in the pickle: the loaded
data set gets its list's back (:func:`baocao.data.unit_lists.registry`: ``legacy`` or ``2025``, as
the folder's ``dataset.yaml`` says), as :func:`~baocao.io.dataset.load` gives it.
A cache that cannot be read or written is no error (the data set is loaded from its files);
``BAOCAO_NO_STAT_CACHE=1`` turns it off. The last :data:`KEEP` pickles are kept.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import os
import pickle
import platform
from pathlib import Path

FORMAT = 1
KEEP = 4
PREFIX = "dataset-"


def input_files(data_dir: str = "") -> list[Path]:
    """Every file :func:`load_dataset` reads for ``data_dir`` ("" = the project's default data)."""
    from baocao import config
    from baocao.io.dataset import data_files

    files = list(data_files(data_dir))
    if data_dir:
        published = sorted(Path(data_dir).glob("published*.csv"))
    else:
        published = config.default_published_files()
    files += [p.with_name("sources.yaml") for p in published]
    return sorted(set(files), key=str)


def _contents(files: list[Path]) -> list[list[str]]:
    from baocao.io.filestamps import sha256_file

    out = []
    for p in files:
        try:
            out.append([str(p), sha256_file(p)])
        except (FileNotFoundError, IsADirectoryError, NotADirectoryError):
            out.append([str(p), ""])
    return out


def _versions() -> dict:
    import importlib.metadata

    import numpy
    import pandas

    try:
        pandera = importlib.metadata.version("pandera")  # not imported: that is what is saved here
    except importlib.metadata.PackageNotFoundError:
        pandera = "-"
    return {
        "python": platform.python_version(),
        "pandas": pandas.__version__,
        "numpy": numpy.__version__,
        "pandera": pandera,
    }


def cache_key(data_dir: str, contents: list[list[str]]) -> str:
    """Hash of everything a load of ``data_dir`` depends on; ``contents``: the files' paths and
    sha256 (:func:`input_files`)."""
    from baocao import config
    from baocao.data.observations import max_year
    from baocao.data.units import registry_cache_path
    from baocao.io.filestamps import FileHashes, source_hash

    units = "+".join(p.name for p in map(registry_cache_path, ("legacy", "2025")) if p)
    doc = {
        "format": FORMAT,
        "data_dir": data_dir,
        "home": str(config.home().resolve()),
        "year": max_year(),
        "files": contents,
        "source": source_hash(FileHashes.for_home(config.home())),
        "units": units,
        "versions": _versions(),
    }
    return hashlib.sha256(json.dumps(doc, sort_keys=True).encode()).hexdigest()[:24]


def load_dataset(data_dir: str = ""):
    """:func:`baocao.io.dataset.load` of the project's data (``data_dir`` "") or of the
    ``observations*.csv`` and ``published*.csv`` of the folder ``data_dir`` (absolute), from
    the cache when the same inputs were loaded before (see the module doc)."""
    from baocao import config
    from baocao.data import unit_lists
    from baocao.io.dataset import Dataset, load

    d = Path(data_dir) if data_dir else None
    args = (sorted(d.glob("observations*.csv")), sorted(d.glob("published*.csv"))) if d else ()
    if os.environ.get("BAOCAO_NO_STAT_CACHE"):
        return load(*args)
    files = input_files(data_dir)
    before = _contents(files)
    path = config.home() / ".baocao-cache" / f"{PREFIX}{cache_key(data_dir, before)}.pickle"
    try:
        found = pickle.loads(path.read_bytes())
        if isinstance(found, Dataset) and found.registry is None:
            return dataclasses.replace(found, registry=unit_lists.registry(found.unit_list))
    except Exception:  # noqa: BLE001 - missing, half-written by a killed process, foreign: loaded again
        pass
    ds = load(*args)
    if _contents(files) == before:
        _save(path, dataclasses.replace(ds, registry=None))
    return ds


def validation_problems(data_dir: str = ""):
    """The problems :func:`baocao.io.dataset.load` finds in the data set of ``data_dir`` ("" = the
    project's data; else an absolute folder), as ``baocao validate`` lists them: the data check the
    builder runs before any report of the local kinds (:mod:`baocao.reports.registry`). The data set
    loaded is kept as above, so the reports' fingerprints and kernels read it from the cache."""
    return load_dataset(data_dir).problems


def _save(path: Path, ds) -> None:
    from baocao.io.filestamps import write_atomic

    try:
        write_atomic(path, pickle.dumps(ds, protocol=pickle.HIGHEST_PROTOCOL))
        kept = sorted(path.parent.glob(f"{PREFIX}*.pickle"), key=lambda p: p.stat().st_mtime_ns)
        for old in kept[:-KEEP]:
            if old != path:
                old.unlink(missing_ok=True)
    except OSError:
        pass
