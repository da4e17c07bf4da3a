"""Property-based tests on the CSV loader: whatever text a file holds, loading it either gives
typed rows or a list of problems naming file, row and column — never an exception."""

from __future__ import annotations

import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from baocao.io.dataset import load

HEADER = "unit,year,element,category,value,source,note"
cell = st.text(alphabet=st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00"), max_size=12)
row = st.lists(cell, min_size=0, max_size=9).map(
    lambda cells: ",".join('"' + c.replace('"', '""') + '"' for c in cells)
)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow], database=None)
@given(st.lists(row, max_size=6), st.booleans())
def test_loader_never_crashes_on_any_text(rows, bom):
    with tempfile.TemporaryDirectory() as d:
        p = Path(d) / "x.csv"
        p.write_text(("\ufeff" if bom else "") + HEADER + "\n" + "\n".join(rows) + "\n", encoding="utf-8")
        ds = load([p], [])
        assert list(ds.problems.columns)[:3] == ["file", "row", "column"]
        for prob in ds.problems.itertuples():
            assert prob.file.endswith("x.csv") and prob.message_en and prob.message_vi
        assert len(ds.observations) + len(ds.problems) >= 0
        if ds.ok:
            assert ds.observations["value"].notna().all()


@settings(max_examples=30, deadline=None, database=None)
@given(st.binary(max_size=300))
def test_loader_never_crashes_on_any_bytes(data):
    with tempfile.TemporaryDirectory() as d:
        p = Path(d) / "x.csv"
        p.write_bytes(data)
        ds = load([p], [])
        assert not ds.ok or len(ds.observations) == 0 or ds.observations["value"].notna().all()
