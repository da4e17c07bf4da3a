"""Property-based tests on the CSV loader: whatever text a file holds, loading it either gives
typed rows or a list of problems naming file, row and column — never an exception."""

from __future__ import annotations

import tempfile
from pathlib import Path

from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from baocao.io.dataset import load

HEADER = "unit,year,element,category,value,source,note"
cell = st.text(alphabet=st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00"), max_size=12)
record = st.lists(cell, min_size=0, max_size=9)  # one CSV record: its cells, each quoted


def csv_record(cells: list[str]) -> str:
    return ",".join('"' + c.replace('"', '""') + '"' for c in cells)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow], database=None)
@given(st.lists(record, max_size=6), st.booleans())
# a first row longer than the header once became pandas' index: columns shifted, line 4 lost
@example([["", "", "x;y", "", "", "", "", "", ""], [], ["z"]], False)
# a cell holding a line break is one row, as in Excel: the next record is row 3, not line 4
@example([["\r"], ["x"]], False)
def test_loader_never_crashes_on_any_text(records, bom):
    with tempfile.TemporaryDirectory() as d:
        p = Path(d) / "x.csv"
        text = HEADER + "\n" + "\n".join(csv_record(r) for r in records) + "\n"
        p.write_text(("\ufeff" if bom else "") + text, encoding="utf-8")
        ds = load([p], [], unit_list="legacy")
        assert list(ds.problems.columns)[:3] == ["file", "row", "column"]
        for prob in ds.problems.itertuples():
            assert prob.file.endswith("x.csv") and prob.message_en and prob.message_vi
        # No data row is lost or invented: each record with a non-blank cell (file line 2, 3, …)
        # comes back as a typed row (by its line) or is named by a problem on its line, unless
        # the file as a whole is refused (rule "file", named at the line that made it unreadable, or a
        # problem on the header line or on no line).
        data_lines = {line for line, cells in enumerate(records, start=2) if any(c.strip() for c in cells)}
        typed = set(ds.observations["line"]) | set(ds.periods["line"])
        named = {int(r) for r in ds.problems["row"] if str(r).isdigit()}
        whole_file = (
            any(str(r) in ("", "1") for r in ds.problems["row"]) or (ds.problems["rule"] == "file").any()
        )
        if whole_file:
            assert typed == set()  # a refused file gives no row at all
        assert typed <= data_lines, (typed, data_lines)
        assert whole_file or data_lines <= typed | named, (data_lines, typed, named)
        if ds.ok:
            assert typed == data_lines
            assert ds.observations["value"].notna().all()


@settings(max_examples=30, deadline=None, database=None)
@given(st.binary(max_size=300))
def test_loader_never_crashes_on_any_bytes(data):
    with tempfile.TemporaryDirectory() as d:
        p = Path(d) / "x.csv"
        p.write_bytes(data)
        ds = load([p], [], unit_list="legacy")
        assert not ds.ok or len(ds.observations) == 0 or ds.observations["value"].notna().all()
