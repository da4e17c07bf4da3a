"""The warm-kernel engine leaks nothing from one report into the next."""

from __future__ import annotations

import os
from pathlib import Path

import nbformat
import papermill as pm
import pytest

from baocao import engine, html

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = ROOT / "notebooks"
POLLUTER = Path(__file__).parent / "fixtures" / "polluter.ipynb"

pytestmark = pytest.mark.slow


def _run(path: Path, params: dict, engine_name: str | None) -> nbformat.NotebookNode:
    cwd = os.getcwd()
    try:
        os.chdir(NOTEBOOKS)
        return pm.execute_notebook(
            str(path), None, parameters=params, engine_name=engine_name, kernel_name="python3",
            progress_bar=False, request_save_on_cell_execute=False, cwd=str(NOTEBOOKS),
        )
    finally:
        os.chdir(cwd)


def _html(nb) -> str:
    nb = html.strip_notebook_metadata(nb)
    nb.cells = [c for c in nb.cells if "en" not in c.metadata.get("tags", [])]
    return html.export_html(nb, title="A", lang="vi")


def test_warm_kernel_is_reset_between_reports():
    engine.discard_kernel()
    report = NOTEBOOKS / "commune_report.ipynb"
    params = {"commune": "30727", "year": 2023}
    first = _run(report, params, "baocao-warm")
    kernel = engine._warm
    polluted = _run(POLLUTER, {}, "baocao-warm")
    assert engine._warm is kernel, "the polluting notebook ran on the same warm kernel"
    assert not any(c.metadata.papermill.get("exception") for c in polluted.cells)
    second = _run(report, params, "baocao-warm")
    assert engine._warm is kernel and kernel.runs == 3
    engine.discard_kernel()
    cold = _run(report, params, None)

    a, b, c = _html(first), _html(second), _html(cold)
    assert a == b, "report A changed after a polluting notebook ran on the warm kernel"
    assert a == c, "warm and cold kernels give different HTML"
    counts = [cell.execution_count for cell in second.cells if cell.cell_type == "code"]
    assert counts[:3] == [1, 2, 3], counts
    nbformat.validate(html.strip_notebook_metadata(second))


def test_kernel_replaced_after_error_and_when_dead():
    engine.discard_kernel()
    report = NOTEBOOKS / "commune_report.ipynb"
    with pytest.raises(pm.PapermillExecutionError):
        _run(report, {"commune": "no such commune", "year": 2023}, "baocao-warm")
    assert engine._warm is None, "a kernel that ran a failing report is discarded"
    _run(report, {"commune": "30727", "year": 2023}, "baocao-warm")
    kernel = engine._warm
    os.kill(kernel.km.provisioner.process.pid, 9)
    kernel.km.provisioner.process.wait()
    nb = _run(report, {"commune": "30727", "year": 2023}, "baocao-warm")
    assert engine._warm is not kernel, "a dead kernel is replaced"
    assert not any(c.metadata.papermill.get("exception") for c in nb.cells)
    engine.discard_kernel()
