"""A new report kind is a notebook plus one registry entry: planner, builder and exporter
pick it up with no other change (a small fixture kind proves it)."""

from __future__ import annotations

import json
import sys
import textwrap
from pathlib import Path

import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_notebook

from baocao.build.builder import make_job
from baocao.build.changes import data_hash
from baocao.build.execute import describe, render_report
from baocao.build.plans import load_plan
from baocao.reports import registry

ROOT = Path(__file__).resolve().parents[1]

OPENER = """
from dataclasses import dataclass

import hashlib


@dataclass
class TinyContext:
    district: str
    year: int
    lang: str


def open_tiny(district: str = "894", year: int = 2024, lang: str = "vi") -> TinyContext:
    return TinyContext(str(district), int(year), lang)


def summary(ctx) -> dict:
    return {"title": f"Tiny {ctx.district} {ctx.year}", "headline": [["Năm", str(ctx.year)]]}


def fingerprint(kind, unit, year, folder) -> str:
    return hashlib.sha256(f"{kind}|{unit}|{year}|tiny".encode()).hexdigest()
"""


@pytest.fixture
def tiny_kind(tmp_path, monkeypatch):
    pkg = tmp_path / "pkg"
    pkg.mkdir()
    (pkg / "tiny_kind.py").write_text(textwrap.dedent(OPENER), encoding="utf-8")
    monkeypatch.syspath_prepend(str(pkg))
    kind = registry.register(
        registry.Kind(
            name="tiny",
            title_vi="Báo cáo tí hon",
            title_en="Tiny report",
            unit_parameter="district",
            level="district",
            opener="tiny_kind:open_tiny",
            summary="tiny_kind:summary",
            fingerprint="tiny_kind:fingerprint",
        )
    )
    nbs = tmp_path / "notebooks"
    nbs.mkdir()
    nb = new_notebook(
        cells=[
            new_code_cell(
                'district: str = "894"\nyear: int = 2024\nlang: str = "vi"', metadata={"tags": ["parameters"]}
            ),
            new_code_cell(
                f"import sys\nsys.path.insert(0, {str(pkg)!r})\nimport tiny_kind\n"
                "ctx = tiny_kind.open_tiny(district, year, lang)\nprint(ctx.district, ctx.year)"
            ),
        ],
        metadata={
            "baocao": {"kind": "tiny"},
            "kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"},
        },
    )
    nbformat.write(nb, nbs / "tiny_report.ipynb")
    yield kind, nbs
    registry.KINDS.pop("tiny", None)
    sys.modules.pop("tiny_kind", None)


def test_a_fixture_kind_is_planned_fingerprinted_described_and_built(tiny_kind, tmp_path):
    kind, nbs = tiny_kind
    plan_path = tmp_path / "tiny.yml"
    plan_path.write_text(
        "years: [2023, 2024]\nreports:\n  - {notebook: tiny_report, district: 894}\n", encoding="utf-8"
    )
    plan = load_plan(plan_path, home=ROOT, notebooks_dir=nbs)
    assert [(r.kind, r.unit, r.level, r.year) for r in plan.reports] == [
        ("tiny", "894", "district", 2023),
        ("tiny", "894", "district", 2024),
    ]
    first = plan.reports[0]
    assert data_hash(first, plan.data_path, plan.home) == registry.input_fingerprint(
        "tiny", "894", 2023, {}, plan.data_path
    )
    job = make_job(first, plan, nbs)
    assert describe(job) == {
        "title": "Tiny 894 2023",
        "headline": [["Năm", "2023"]],
        "notebook_title": "Báo cáo tí hon",
    }
    result = render_report(job)
    assert result["status"] == "ok", result["error"]
    assert (result["title"], result["notebook_title"], result["headline"]) == (
        "Tiny 894 2023",
        "Báo cáo tí hon",
        [["Năm", "2023"]],
    )
    assert "894 2023" in result["html"]
    assert json.loads(result["ipynb"])["metadata"]["baocao"] == {"kind": "tiny"}


def test_a_wrong_parameter_for_a_registered_kind_names_the_parameters(tiny_kind):
    with pytest.raises(registry.ReportError, match="unknown parameter 'yeer'.*Did you mean 'year'"):
        registry.open_context("tiny", {"district": "894", "yeer": 2024})


def test_a_notebook_without_a_declared_kind_has_none(tmp_path):
    from baocao.build.notebook_info import notebook_info

    nb = new_notebook(
        cells=[new_code_cell('district: str = "894"\nyear: int = 2024', metadata={"tags": ["parameters"]})]
    )
    nbformat.write(nb, tmp_path / "plain.ipynb")
    info = notebook_info(tmp_path / "plain.ipynb")
    assert (info.kind, info.unit_parameter) == (None, "district")
