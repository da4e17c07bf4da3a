"""The malformed-input corpus (tests/corpus/cases.yaml): every case gives its clear message,
the right exit code, no traceback, and writes nothing."""

from __future__ import annotations

import contextlib
import io
from pathlib import Path

import pytest
import yaml

from baocao import cli

CORPUS = Path(__file__).parent / "corpus"
CASES = yaml.safe_load((CORPUS / "cases.yaml").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def generated(tmp_path_factory) -> Path:
    d = tmp_path_factory.mktemp("generated")
    (d / "dataset.yaml").write_text("unit_list: legacy\n", encoding="utf-8")
    row = "30682,2023,hn_so,cd2023,12,x,\n"
    with open(d / "million.csv", "w") as fh:
        fh.write("unit,year,element,category,value,source,note\n")
        fh.write(row * 1_000_000)
    return d


def run_cli(args: list[str]) -> tuple[int, str]:
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = cli.main(args)
    return code, out.getvalue() + err.getvalue()


def test_corpus_has_at_least_30_malformed_inputs():
    assert sum(1 for c in CASES if c["exit"] != 0) >= 30


@pytest.mark.parametrize("case", CASES, ids=[c["id"] for c in CASES])
def test_case(case, tmp_path, generated):
    f = generated / Path(case["f"]).name if case["f"].startswith("generated/") else CORPUS / case["f"]
    out = tmp_path / "out"
    args = [a.format(f=f, corpus=CORPUS, out=out) for a in case["args"]]
    before = sorted(p.name for p in CORPUS.rglob("*"))
    code, text = run_cli(args)
    assert code == case["exit"], text
    for expected in case["expect"]:
        assert expected in text, f"{expected!r} not in output:\n{text}"
    assert "Traceback" not in text
    assert not out.exists() or not any(out.iterdir()), "something was written"
    assert sorted(p.name for p in CORPUS.rglob("*")) == before
