"""The warm-kernel engine leaks nothing from one report into the next."""

from __future__ import annotations

import os
from pathlib import Path

import nbformat
import papermill as pm
import pytest
from jupyter_core.utils import run_sync

from baocao.build import engine, html

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = ROOT / "notebooks"
POLLUTER = Path(__file__).parent / "fixtures" / "polluter.ipynb"

pytestmark = pytest.mark.slow


def _run(path: Path, params: dict, engine_name: str | None) -> nbformat.NotebookNode:
    cwd = os.getcwd()
    # A cold run gets its kernel manager from the engine too: ipc on Linux, no port to race for
    # with the other test worker's kernels. papermill leaves a kernel it was handed running.
    km = engine.kernel_manager("python3") if engine_name is None else None
    try:
        os.chdir(NOTEBOOKS)
        return pm.execute_notebook(
            str(path),
            None,
            parameters=params,
            engine_name=engine_name,
            kernel_name="python3",
            progress_bar=False,
            request_save_on_cell_execute=False,
            cwd=str(NOTEBOOKS),
            **({"km": km} if km else {}),
        )
    finally:
        os.chdir(cwd)
        if km is not None:
            run_sync(km.shutdown_kernel)(now=True)


def _html(nb) -> str:
    nb = html.strip_notebook_metadata(nb)
    nb.cells = [c for c in nb.cells if "en" not in c.metadata.get("tags", [])]
    return html.export_html(nb, title="A", lang="vi")


def test_warm_kernel_is_reset_between_reports():
    engine.discard_kernel()
    report = NOTEBOOKS / "commune_report.ipynb"
    params = {"commune": "30727", "year": 2023}
    first = _run(report, params, "baocao-warm")
    kernel = engine.current_kernel()
    polluted = _run(POLLUTER, {}, "baocao-warm")
    assert engine.current_kernel() is kernel, "the polluting notebook ran on the same warm kernel"
    assert not any(c.metadata.papermill.get("exception") for c in polluted.cells)
    second = _run(report, params, "baocao-warm")
    assert engine.current_kernel() is kernel and kernel.runs == 3
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
    assert engine.current_kernel() is None, "a kernel that ran a failing report is discarded"
    _run(report, {"commune": "30727", "year": 2023}, "baocao-warm")
    kernel = engine.current_kernel()
    os.kill(kernel.km.provisioner.process.pid, 9)
    kernel.km.provisioner.process.wait()
    nb = _run(report, {"commune": "30727", "year": 2023}, "baocao-warm")
    assert engine.current_kernel() is not kernel, "a dead kernel is replaced"
    assert not any(c.metadata.papermill.get("exception") for c in nb.cells)
    engine.discard_kernel()


def _tiny(tmp_path: Path, source: str) -> Path:
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(source)])
    nb.metadata["kernelspec"] = {"name": "python3", "language": "python", "display_name": "Python 3"}
    path = tmp_path / "tiny.ipynb"
    nbformat.write(nb, path)
    return path


def _stdout(nb) -> str:
    return "".join(
        o.get("text", "") for c in nb.cells for o in c.get("outputs", []) if o.get("output_type") == "stream"
    )


def test_warm_kernel_sees_the_callers_environment_as_a_cold_kernel_would(tmp_path, monkeypatch):
    engine.discard_kernel()
    path = _tiny(tmp_path, "import os\nprint(os.environ.get('BAOCAO_TEST_VAR', '<unset>'))")
    monkeypatch.setenv("BAOCAO_TEST_VAR", "first")
    assert _stdout(_run(path, {}, "baocao-warm")).strip() == "first"
    kernel = engine.current_kernel()
    monkeypatch.setenv("BAOCAO_TEST_VAR", "second")  # e.g. another BAOCAO_HOME for the next build
    assert _stdout(_run(path, {}, "baocao-warm")).strip() == "second"
    monkeypatch.delenv("BAOCAO_TEST_VAR")
    assert _stdout(_run(path, {}, "baocao-warm")).strip() == "<unset>"
    assert engine.current_kernel() is kernel and kernel.runs == 3, "the same warm kernel ran all three"
    engine.discard_kernel()


def test_kernel_replaced_when_the_baocao_source_changes(tmp_path, monkeypatch):
    engine.discard_kernel()
    path = _tiny(tmp_path, "print(1)")
    _run(path, {}, "baocao-warm")
    kernel = engine.current_kernel()
    monkeypatch.setattr(engine, "source_hash", lambda: "edited")
    _run(path, {}, "baocao-warm")
    assert engine.current_kernel() is not kernel and engine.current_kernel().source == "edited"
    assert not kernel.alive(), "the stale kernel is shut down"
    engine.discard_kernel()


@pytest.mark.parametrize(
    ("variable", "value", "why"),
    [("BAOCAO_WARM_MAX_RUNS", "2", "after two reports"), ("BAOCAO_WARM_MAX_MB", "1", "past its memory")],
)
def test_kernel_replaced_when_worn_out_or_grown_too_large(tmp_path, monkeypatch, variable, value, why):
    engine.discard_kernel()
    path = _tiny(tmp_path, "print(1)")
    _run(path, {}, "baocao-warm")
    kernel = engine.current_kernel()
    _run(path, {}, "baocao-warm")
    assert engine.current_kernel() is kernel and kernel.runs == 2, "by default the kernel stays warm"
    monkeypatch.setenv(variable, value)
    _run(path, {}, "baocao-warm")
    assert engine.current_kernel() is not kernel, f"a kernel is replaced {why}"
    assert not kernel.alive() and engine.current_kernel().runs == 1
    engine.discard_kernel()


def test_builder_renders_on_one_warm_kernel_with_identical_pages():
    """render_report (what every build path runs) uses the warm engine: two runs of the
    same report share the kernel and give the same bytes."""
    from baocao.build import builder, execute
    from baocao.build.plans import load_plan

    engine.discard_kernel()
    plan = load_plan(ROOT / "params" / "thoai_son.yml", home=ROOT)
    report = next(r for r in plan.reports if r.notebook == "commune_report")
    job = builder.make_job(report, plan, NOTEBOOKS)
    first = execute.render_report(job)
    kernel = engine.current_kernel()
    second = execute.render_report(job)
    assert first["status"] == second["status"] == "ok", (first["error"], second["error"])
    assert engine.current_kernel() is kernel and kernel.runs == 2
    assert first["html"] == second["html"] and first["ipynb"] == second["ipynb"]
    engine.discard_kernel()
    # the index summary comes from the kernel's output and equals opening the report again
    found = execute.summary_from_notebook(nbformat.reads(first["ipynb"], as_version=4))
    again = execute.describe(job)
    assert found == {
        "title": again["title"],
        "headline": [list(p) for p in again["headline"]],
        "marks": again["marks"],
    }
    assert (first["title"], first["headline"], first["notebook_title"]) == (
        again["title"],
        found["headline"],
        again["notebook_title"],
    )


def test_kernels_talk_over_ipc_on_linux():
    """No TCP ports: nothing for two kernels started at once to race for (ZMQError: Address
    already in use); the socket paths fit a Unix socket, also from a deep temp folder."""
    import sys

    km = engine.kernel_manager("python3")
    if not sys.platform.startswith("linux"):
        assert km.transport == "tcp"
        return
    assert km.transport == "ipc" and km.connection_file.endswith(".json")
    assert km.ip == km.connection_file[:-5] + "-ipc" and len(km.ip) < 95
    kernels = [engine.WarmKernel("python3", str(NOTEBOOKS)) for _ in range(2)]
    try:
        for k in kernels:
            assert k.km.transport == "ipc"
            k.run_code("x = 1")
        assert kernels[0].km.ip != kernels[1].km.ip
    finally:
        for k in kernels:
            k.shutdown()
    assert not any(os.path.exists(f"{k.km.ip}-1") for k in kernels), "socket files removed at shutdown"


def test_an_interrupted_discard_leaves_the_kernel_to_the_exit_handler(tmp_path, monkeypatch):
    """Ctrl-C during discard_kernel used to drop the kernel from the exit handler's list first:
    nothing stopped it then, and the build waited for it at exit."""
    engine.discard_kernel()
    _run(_tiny(tmp_path, "print(1)"), {}, "baocao-warm")
    kernel = engine.current_kernel()
    real = kernel.shutdown

    def interrupted():
        raise KeyboardInterrupt

    monkeypatch.setattr(kernel, "shutdown", interrupted)
    with pytest.raises(KeyboardInterrupt):
        engine.discard_kernel()
    assert kernel in engine.kernels() and kernel.alive()
    monkeypatch.setattr(kernel, "shutdown", real)
    engine.shutdown_all()  # what the exit handler runs
    assert kernel not in engine.kernels() and not kernel.alive()


def test_a_long_runtime_folder_falls_back_to_the_temp_folder(tmp_path, monkeypatch):
    import sys
    import tempfile

    deep = tmp_path / ("d" * 60) / ("e" * 60)
    monkeypatch.setenv("JUPYTER_RUNTIME_DIR", str(deep))
    km = engine.kernel_manager("python3")
    if sys.platform.startswith("linux"):
        assert km.transport == "ipc" and km.ip.startswith(tempfile.gettempdir()) and len(km.ip) < 95


def test_warm_kernel_does_not_accumulate_reports_in_memory():
    """Each reset frees the last report: the kernel's memory stays flat over many reports."""
    import psutil

    engine.discard_kernel()
    report = NOTEBOOKS / "commune_report.ipynb"
    communes = ["30682", "30685", "30688", "30691", "30694", "30697", "30700", "30703"]
    rss = []
    for commune in communes:
        _run(report, {"commune": commune, "year": 2024}, "baocao-warm")
        rss.append(
            psutil.Process(engine.current_kernel().km.provisioner.process.pid).memory_info().rss / 2**20
        )
    assert engine.current_kernel().runs == len(communes)
    engine.discard_kernel()
    assert rss[-1] - rss[2] < 25, (
        f"kernel memory grew from {rss[2]:.0f} MB to {rss[-1]:.0f} MB over {len(communes) - 3} reports"
    )
