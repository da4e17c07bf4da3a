"""The loaded data set kept on disk for the builder's kernels (baocao.io.dataset_cache)."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from baocao.data import units
from baocao.io import dataset, dataset_cache

ROOT = Path(__file__).resolve().parents[1]
ROW = "30682,2024,bac_si,,"  # one commune's 2024 doctors


@pytest.fixture()
def project(tmp_path, monkeypatch):
    """A project folder with the catalogue and Thoại Sơn's data; the cache on; loads counted."""
    home = tmp_path / "home"
    shutil.copytree(ROOT / "data" / "catalogue", home / "data" / "catalogue")
    shutil.copytree(ROOT / "data" / "thoai_son", home / "data" / "thoai_son")
    monkeypatch.setenv("BAOCAO_HOME", str(home))
    monkeypatch.delenv("BAOCAO_NO_STAT_CACHE", raising=False)
    loads = []
    real = dataset.load

    def counted(*args, **kwargs):
        loads.append(args)
        return real(*args, **kwargs)

    monkeypatch.setattr(dataset, "load", counted)
    return home, loads


def doctors(ds, unit="30682", year=2024) -> float:
    obs = ds.observations
    rows = obs[(obs["unit"] == unit) & (obs["year"] == year) & (obs["element"] == "bac_si")]
    return float(rows["value"].iloc[0])


def set_doctors(path: Path, value: int) -> None:
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    i = next(k for k, line in enumerate(lines) if line.startswith(ROW))
    fields = lines[i].split(",", 5)
    fields[4] = str(value)
    lines[i] = ",".join(fields)
    path.write_text("".join(lines), encoding="utf-8")


def pickles(home: Path) -> list[Path]:
    return sorted((home / ".baocao-cache").glob("dataset-*.pickle"))


def test_the_cached_data_set_is_the_data_set(project):
    home, loads = project
    first = dataset_cache.load_dataset()
    assert len(loads) == 1 and len(pickles(home)) == 1
    again = dataset_cache.load_dataset()
    assert len(loads) == 1  # read from the cache, not loaded again
    for name in ("observations", "published", "problems", "periods"):
        pd.testing.assert_frame_equal(getattr(again, name), getattr(first, name))
    assert again.files == first.files and again.sources == first.sources
    assert again.catalogue.elements.keys() == first.catalogue.elements.keys()
    assert again.registry is units.legacy()  # the unit list is not copied into the cache
    assert again.ok == first.ok


def test_an_edited_data_file_is_loaded_again_even_with_size_and_mtime_put_back(project):
    home, loads = project
    obs = home / "data" / "thoai_son" / "observations.csv"
    before = doctors(dataset_cache.load_dataset())
    st = obs.stat()
    set_doctors(obs, int(before) + 1 if before < 9 else int(before) - 1)  # one digit: the same size
    os.utime(obs, ns=(st.st_atime_ns, st.st_mtime_ns))
    assert obs.stat().st_size == st.st_size
    edited = dataset_cache.load_dataset()
    assert doctors(edited) != before
    assert len(loads) == 2 and len(pickles(home)) == 2
    set_doctors(obs, int(before))
    assert doctors(dataset_cache.load_dataset()) == before
    assert len(loads) == 2  # the first contents again: the first pickle


def test_a_folder_of_data_files_is_cached_by_its_own_files(project, tmp_path):
    home, loads = project
    folder = tmp_path / "other"
    shutil.copytree(home / "data" / "thoai_son", folder)
    set_doctors(folder / "observations.csv", 42)
    assert doctors(dataset_cache.load_dataset(str(folder))) == 42
    assert doctors(dataset_cache.load_dataset()) != 42
    assert doctors(dataset_cache.load_dataset(str(folder))) == 42
    (folder / "observations-2.csv").write_text(
        "unit,year,element,category,value,source,note\n30682,2021,bac_si,,7,,\n", encoding="utf-8"
    )
    assert doctors(dataset_cache.load_dataset(str(folder)), year=2021) == 7  # a new file is seen
    assert len(loads) == 3


def test_the_key_has_the_year_and_the_source(project, monkeypatch):
    """Validation accepts years up to the current one; the source is the code that loads."""
    from baocao.data import observations
    from baocao.io import filestamps

    contents = dataset_cache._contents(dataset_cache.input_files(""))
    key = dataset_cache.cache_key("", contents)
    monkeypatch.setattr(observations, "max_year", lambda: 2999)
    assert dataset_cache.cache_key("", contents) != key
    monkeypatch.undo()
    monkeypatch.setattr(filestamps, "source_hash", lambda hashes=None: "another source")
    assert dataset_cache.cache_key("", contents) != key


def test_a_file_saved_during_the_load_is_not_cached(project, monkeypatch):
    home, loads = project
    obs = home / "data" / "thoai_son" / "observations.csv"
    real = dataset.load

    def load_then_edit(*args, **kwargs):
        ds = real(*args, **kwargs)
        set_doctors(obs, 8)  # the user saves while the builder loads
        return ds

    monkeypatch.setattr(dataset, "load", load_then_edit)
    dataset_cache.load_dataset()
    assert pickles(home) == []
    monkeypatch.setattr(dataset, "load", real)
    assert doctors(dataset_cache.load_dataset()) == 8


def test_a_broken_cache_file_is_loaded_again_and_no_cache_when_turned_off(project, monkeypatch):
    home, loads = project
    dataset_cache.load_dataset()
    (path,) = pickles(home)
    path.write_bytes(b"\x80\x05half a pickle")  # a process killed while writing (without the rename)
    assert doctors(dataset_cache.load_dataset()) > 0
    assert len(loads) == 2 and path.stat().st_size > 1000
    shutil.rmtree(home / ".baocao-cache")
    monkeypatch.setenv("BAOCAO_NO_STAT_CACHE", "1")
    dataset_cache.load_dataset()
    assert len(loads) == 3 and pickles(home) == []


def test_a_kernel_reading_the_cache_imports_neither_pandera_nor_matplotlib_to_load(project):
    """What the warm kernels gain: the report module and a cached data set without pandera, and
    the builder hashes the data without matplotlib and seaborn."""
    home, _ = project
    dataset_cache.load_dataset()
    code = (
        "import sys; import baocao.reports.local.district, baocao.reports.kit as k; k.load_data(); "
        "print(sorted(m for m in ('pandera', 'matplotlib', 'seaborn') if m in sys.modules))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, env={**os.environ}
    )
    assert out.stdout.strip() == "[]"
