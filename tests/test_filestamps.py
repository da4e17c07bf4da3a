"""The stat cache (baocao.io.filestamps): a file is re-hashed only when its stat changed, and an
edit that keeps the file's size and modification time is still caught.

Freshly written files are never trusted (``RACY_SECONDS``); the tests that need a trusted entry
set it below zero, and wait for the file system's clock to move (by polling a scratch file's
ctime, no sleep) before editing, as any edit made later than the hashing does."""

from __future__ import annotations

import hashlib
import os
import sys
from pathlib import Path

import pytest

from baocao.io import filestamps
from baocao.io.filestamps import FileHashes

sys.path.insert(0, str(Path(__file__).parent))
from test_builder import make_project  # noqa: E402


def sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def clock_moves_past(path: Path, scratch: Path) -> None:
    """Return once the file system stamps a write later than ``path``'s ctime."""
    before = os.stat(path).st_ctime_ns
    while True:
        scratch.write_bytes(b"tick")
        if os.stat(scratch).st_ctime_ns > before:
            return


def edit_keeping_size_and_mtime(path: Path, old: bytes, new: bytes) -> None:
    assert len(old) == len(new) and old != new
    st = os.stat(path)
    data = path.read_bytes()
    assert data.count(old) == 1
    path.write_bytes(data.replace(old, new))
    os.utime(path, ns=(st.st_atime_ns, st.st_mtime_ns))
    after = os.stat(path)
    assert (after.st_size, after.st_mtime_ns) == (st.st_size, st.st_mtime_ns)


@pytest.fixture
def trusting(monkeypatch):
    """Trust even files written a moment ago (the tests write and hash within milliseconds)."""
    monkeypatch.setattr(filestamps, "RACY_SECONDS", -1e9)


def test_an_unchanged_file_is_not_read_again(tmp_path, trusting):
    f, cache = tmp_path / "a.csv", tmp_path / "cache.json"
    f.write_bytes(b"unit,year\n30682,2024\n")
    first = FileHashes(cache)
    assert first.sha256(f) == sha(f.read_bytes()) and first.hashed == 1
    first.save()
    second = FileHashes(cache)
    assert second.sha256(f) == sha(f.read_bytes())
    assert second.hashed == 0  # taken from the cache
    assert second.sha256(tmp_path / "missing.csv") is None and second.sha256(tmp_path) is None


def test_an_edit_keeping_size_and_mtime_is_caught_by_the_ctime(tmp_path, trusting):
    f, cache = tmp_path / "observations.csv", tmp_path / "cache.json"
    f.write_bytes(b"30682,2024,doctors,3\n")
    h = FileHashes(cache)
    old = h.sha256(f)
    h.save()
    clock_moves_past(f, tmp_path / "scratch")
    edit_keeping_size_and_mtime(f, b",3\n", b",4\n")
    again = FileHashes(cache)
    assert again.sha256(f) == sha(b"30682,2024,doctors,4\n") != old
    assert again.hashed == 1


def test_a_file_replaced_by_another_is_caught_by_the_inode(tmp_path, trusting):
    f, other, cache = tmp_path / "observations.csv", tmp_path / "new.csv", tmp_path / "cache.json"
    f.write_bytes(b"30682,2024,doctors,3\n")
    h = FileHashes(cache)
    h.sha256(f)
    h.save()
    other.write_bytes(b"30682,2024,doctors,5\n")
    st = os.stat(f)
    os.utime(other, ns=(st.st_atime_ns, st.st_mtime_ns))
    os.replace(other, f)  # save-by-rename, as editors and git do
    assert FileHashes(cache).sha256(f) == sha(b"30682,2024,doctors,5\n")


def test_a_file_hashed_in_the_tick_it_was_written_is_not_trusted(tmp_path):
    """Without the racy guard, an edit in the same clock tick could keep size, mtime and ctime."""
    f, cache = tmp_path / "observations.csv", tmp_path / "cache.json"
    f.write_bytes(b"30682,2024,doctors,3\n")
    h = FileHashes(cache)
    h.sha256(f)
    h.save()
    assert os.path.abspath(f) not in h.entries  # written just now: not recorded
    edit_keeping_size_and_mtime(f, b",3\n", b",4\n")  # possibly within the same tick
    assert FileHashes(cache).sha256(f) == sha(b"30682,2024,doctors,4\n")


def test_an_unreadable_cache_is_an_empty_one(tmp_path):
    cache = tmp_path / "cache.json"
    cache.write_text("{not json")
    f = tmp_path / "a"
    f.write_bytes(b"x")
    assert FileHashes(cache).sha256(f) == sha(b"x")


def test_a_build_sees_a_data_edit_that_keeps_size_and_mtime(tmp_path, monkeypatch, trusting):
    """End to end through the builder's assessment: a no-op reads nothing again, and a one-digit
    edit of one commune's 2024 row (same size, mtime put back) makes the 2024 reports run."""
    from baocao.build.changes import assess as assess_reports
    from baocao.build.manifest import Manifest
    from baocao.build.plans import load_plan_cached

    home = make_project(tmp_path / "home")
    monkeypatch.setenv("BAOCAO_HOME", str(home))
    out = tmp_path / "out"
    out.mkdir()

    def assess():
        hashes = FileHashes.for_home(home)
        plan = load_plan_cached(home / "params" / "small.yml", hashes, home)
        manifest = Manifest(out, hashes)
        return assess_reports(plan, plan.reports, manifest, home / "notebooks"), manifest, hashes

    items, manifest, _ = assess()
    assert {i.key: i.reasons for i in items} == {
        k: ["new"]
        for k in ["2023/894/district_report", "2024/894/district_report", "2024/30682/commune_report"]
    }
    for i in items:  # recorded as built, with outputs
        outs = {}
        for kind in ("html", "ipynb"):
            p = out / f"{i.key}.{kind}"
            p.parent.mkdir(parents=True, exist_ok=True)
            p.write_text(i.key)
            outs[kind] = {"path": f"{i.key}.{kind}", "sha256": sha(i.key.encode())}
        manifest.reports[i.key] = {"status": "ok", "inputs": i.inputs, "outputs": outs}
    manifest.save()

    items, _, hashes = assess()
    assert all(not i.reasons for i in items)
    assert hashes.hashed == 6  # only the outputs, hashed for the first time
    items, _, hashes = assess()
    assert all(not i.reasons for i in items)
    assert hashes.hashed == 0  # nothing read again: not the data, the notebooks, the source or the outputs

    data = home / "data" / "copy" / "observations.csv"
    lines = data.read_bytes().splitlines(keepends=True)
    row = next(ln for ln in lines if ln.startswith(b"30682,2024,bac_si,,"))
    fields = row.split(b",", 5)
    fields[4] = str(int(fields[4]) ^ 1).encode()  # the doctors value, last digit changed: same size
    clock_moves_past(data, tmp_path / "scratch")
    edit_keeping_size_and_mtime(data, row, b",".join(fields))
    items, _, _ = assess()
    assert {i.key: i.reasons for i in items} == {
        "2023/894/district_report": [],
        "2024/894/district_report": ["data changed"],
        "2024/30682/commune_report": ["data changed"],
    }
