"""Repository hygiene: notebooks without outputs and in sync with their py:percent twins,
environment.yml and pyproject.toml declaring the same pins."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

import jupytext
import nbformat
import pytest
import yaml

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = sorted((ROOT / "notebooks").glob("*.ipynb"))


def test_there_are_notebooks():
    assert {p.stem for p in NOTEBOOKS} >= {"district_report", "commune_report", "data_quality"}


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_committed_notebook_has_no_outputs(path):
    nb = nbformat.read(path, as_version=4)
    for cell in nb.cells:
        if cell.cell_type == "code":
            assert cell.outputs == [], f"{path.name}: a code cell has outputs (run nbstripout)"
            assert cell.execution_count is None, f"{path.name}: a code cell has an execution count"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_parameters_cell_first_and_tagged(path):
    nb = nbformat.read(path, as_version=4)
    first_code = next(c for c in nb.cells if c.cell_type == "code")
    assert "parameters" in first_code.metadata.get("tags", []), (
        f"{path.name}: first code cell not tagged 'parameters'"
    )


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_notebook_and_percent_script_in_sync(path):
    script = path.with_suffix(".py")
    assert script.exists(), f"{path.name} has no paired {script.name} (jupytext --sync)"
    a = nbformat.read(path, as_version=4)
    b = jupytext.read(script)
    cells = lambda nb: [(c.cell_type, c.source.strip(), sorted(c.metadata.get("tags", []))) for c in nb.cells]  # noqa: E731
    assert cells(a) == cells(b), (
        f"{path.name} and {script.name} differ: run `jupytext --sync notebooks/{script.name}`"
    )


def _pins_pyproject() -> dict[str, str]:
    data = tomllib.loads((ROOT / "pyproject.toml").read_text())
    reqs = data["project"]["dependencies"] + data["project"]["optional-dependencies"]["test"]
    out = {}
    for r in reqs:
        m = re.fullmatch(r"([A-Za-z0-9_.\-]+)==([\w.]+)", r.strip())
        assert m, f"pyproject.toml: {r!r} is not pinned with =="
        out[m.group(1).lower()] = m.group(2)
    return out


def _pins_environment() -> dict[str, str]:
    env = yaml.safe_load((ROOT / "environment.yml").read_text())
    out = {}
    for dep in env["dependencies"]:
        items = dep["pip"] if isinstance(dep, dict) else [dep]
        for item in items:
            m = re.fullmatch(r"([A-Za-z0-9_.\-]+)(?:==?)([\w.]+)", item.strip())
            if m and m.group(1) != "python":
                out[m.group(1).lower()] = m.group(2)
    return out


def test_environment_yml_matches_pyproject():
    py, env = _pins_pyproject(), _pins_environment()
    assert py == env, (
        f"pins differ: only in pyproject {set(py.items()) - set(env.items())}, only in environment.yml "
        f"{set(env.items()) - set(py.items())}"
    )


def test_outputs_are_not_committed():
    ignore = (ROOT / ".gitignore").read_text()
    assert "outputs/*" in ignore and ".venv/" in ignore
