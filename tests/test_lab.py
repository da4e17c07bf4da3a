"""The notebooks as the analyst's workbench (``./run lab``), without a browser.

- The committed pairs are exactly what the lab writes: every pair goes through jupytext's
  contents manager (derived, as in the lab, from :class:`baocao.build.lab.LabContentsManager`,
  with the save hook) and comes back byte for byte, also when its ``.ipynb`` is newer.
- Opening marks nothing as changed: the opened notebook already holds the kernelspec and
  ``language_info`` a real kernel of the project reports (what JupyterLab sets on open).
- Run All, edit, save: the saved pair differs from the committed one only by the edit.
- A failed open never leaves an old report: a notebook run twice in one warm kernel, the second
  time with a bad parameter, shows one line in every later cell; the same for every report kind.
- The notebook view carries the page's stylesheet, scoped to the notebook; the page leaves it out.
- The lab's configuration (``jupyter/``, ``notebooks/jupytext.toml``) says what the README says.

The browser half (JupyterLab itself, against the built page) is ``tests/test_lab_browser.py``.
"""

from __future__ import annotations

import asyncio
import difflib
import json
import math
import os
import shutil
import sys
import tomllib
from pathlib import Path

import nbformat
import pytest

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = ROOT / "notebooks"
NAMES = sorted(p.stem for p in NOTEBOOKS.glob("*.ipynb"))
KINDS = {
    "district_report": "district",
    "commune_report": "commune",
    "data_quality": "data_quality",
    "province_report": "province",
    "national_overview": "national",
    "commune_2025_report": "commune_2025",
    "province_2025_report": "province_2025",
}


def contents_manager(root: Path):
    """The lab's contents manager on ``root``: jupytext's, derived from ours, with the save hook."""
    from jupytext.async_contentsmanager import build_async_jupytext_contents_manager_class

    from baocao.build.lab import LabContentsManager, strip_on_save

    cm = build_async_jupytext_contents_manager_class(LabContentsManager)(root_dir=str(root))
    cm.register_pre_save_hook(strip_on_save)
    return cm


@pytest.fixture()
def copy(tmp_path):
    """A copy of ``notebooks/`` (with its jupytext.toml) under a root of its own."""
    shutil.copytree(NOTEBOOKS, tmp_path / "notebooks")
    return tmp_path


def _open(cm, name: str) -> dict:
    return asyncio.run(cm.get(f"notebooks/{name}.ipynb"))


def _save(cm, name: str, content: dict) -> None:
    asyncio.run(cm.save({"type": "notebook", "content": content}, f"notebooks/{name}.ipynb"))


def _same_files(root: Path, name: str) -> list[str]:
    """Unified diffs of the pair under ``root`` against the committed pair ([] when identical)."""
    out = []
    for ext in (".ipynb", ".py"):
        a = (NOTEBOOKS / f"{name}{ext}").read_text(encoding="utf-8").splitlines()
        b = (root / "notebooks" / f"{name}{ext}").read_text(encoding="utf-8").splitlines()
        out += [line for line in difflib.unified_diff(a, b, f"{name}{ext}", "saved", lineterm="", n=0)]
    return out


# ---------------------------------------------------------------- the pairs


@pytest.mark.parametrize("name", NAMES)
def test_every_pair_is_exactly_what_the_lab_writes(copy, name):
    cm = contents_manager(copy)
    model = _open(cm, name)
    _save(cm, name, model["content"])
    assert _same_files(copy, name) == [], "open + save in the lab changes the committed pair"


def test_the_pre_commit_hooks_leave_the_pairs_as_they_are(copy):
    """nbstripout and jupytext --sync, with the arguments .pre-commit-config.yaml gives them, agree
    with the lab: they change nothing in the committed pairs."""
    import subprocess

    import yaml
    from jupytext.cli import jupytext

    hooks = {
        h["id"]: h
        for r in yaml.safe_load((ROOT / ".pre-commit-config.yaml").read_text())["repos"]
        for h in r["hooks"]
    }
    files = sorted(str(p) for p in (copy / "notebooks").glob("*.ipynb"))
    nbstripout = Path(sys.executable).parent / "nbstripout"
    subprocess.run([str(nbstripout), *hooks["nbstripout"]["args"], *files], check=True, cwd=copy)
    jupytext([*hooks["jupytext"]["args"], *files])
    assert [d for name in NAMES for d in _same_files(copy, name)] == []


@pytest.mark.parametrize("name", ["district_report", "commune_report"])
def test_a_newer_ipynb_never_stops_the_notebook_from_opening(copy, name):
    """A checkout, a merge or ``touch`` may leave the .ipynb newer than its .py: the .py holds the
    cells (jupytext.toml), so the notebook opens as committed."""
    ipynb = copy / "notebooks" / f"{name}.ipynb"
    later = ipynb.stat().st_mtime + 3600
    os.utime(ipynb, (later, later))
    cm = contents_manager(copy)
    model = _open(cm, name)
    committed = nbformat.read(NOTEBOOKS / f"{name}.ipynb", as_version=4)
    assert [c.source for c in model["content"].cells] == [c.source for c in committed.cells]


@pytest.fixture(scope="module")
def kernel_info():
    """The kernelspec and kernel_info reply of the project's kernel (as JupyterLab gets them)."""
    from jupyter_client.kernelspec import KernelSpecManager
    from jupyter_client.manager import start_new_kernel

    spec = KernelSpecManager().get_kernel_spec("python3")
    km, kc = start_new_kernel(kernel_name="python3")
    try:
        reply = kc.kernel_info(reply=True, timeout=60)
    finally:
        kc.stop_channels()
        km.shutdown_kernel(now=True)
    return spec, reply["content"]


@pytest.mark.parametrize("name", NAMES)
def test_opening_marks_nothing_as_changed(copy, kernel_info, name):
    """JupyterLab sets the notebook's kernelspec and language_info from its kernel when it opens,
    and marks the notebook as changed when they differ: the opened notebook already has both."""
    spec, info = kernel_info
    meta = _open(contents_manager(copy), name)["content"].metadata
    assert meta.kernelspec == {
        "name": "python3",
        "display_name": spec.display_name,
        "language": spec.language,
    }
    assert meta.language_info == info["language_info"]
    saved = json.loads((copy / "notebooks" / f"{name}.ipynb").read_text(encoding="utf-8"))
    assert "language_info" not in saved["metadata"], "per-machine metadata stays out of the files"


def test_the_lab_configuration_is_what_the_readme_says():
    from traitlets.config.loader import PyFileConfigLoader

    c = PyFileConfigLoader("jupyter_server_config.py", path=str(ROOT / "jupyter")).load_config()
    assert c.ContentsManager.pre_save_hook == "baocao.build.lab.strip_on_save"
    assert c.ServerApp.contents_manager_class == "baocao.build.lab.LabContentsManager"
    assert c.ServerApp.jpserver_extensions == {"baocao.build.lab": True}
    assert c.KernelManager.transport == ("tcp" if sys.platform == "win32" else "ipc")
    assert 0 < c.MappingKernelManager.cull_idle_timeout <= 900 and c.MappingKernelManager.cull_interval <= 60
    overrides = json.loads((ROOT / "jupyter/labconfig/default_setting_overrides.json").read_text())
    assert overrides["@jupyterlab/docmanager-extension:plugin"]["autosave"] is False
    assert overrides["@jupyterlab/notebook-extension:tracker"]["kernelShutdown"] is True
    jt = tomllib.loads((NOTEBOOKS / "jupytext.toml").read_text())
    assert jt["notebook_metadata_filter"] == "baocao" and math.isinf(jt["outdated_text_notebook_margin"])
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert "--IdentityProvider.token" in readme and "ServerApp.token" not in readme


def test_kernels_use_ipc_unless_the_socket_paths_would_be_too_long():
    from baocao.build.lab import kernel_transport

    if sys.platform == "win32":
        pytest.skip("no Unix sockets")
    assert kernel_transport("/run/user/1000/jupyter") == "ipc"
    assert kernel_transport("/home/" + "x" * 60 + "/.local/share/jupyter/runtime") == "tcp"


def test_the_save_hook_strips_what_run_all_adds():
    from baocao.build.lab import strip_on_save

    nb = nbformat.read(NOTEBOOKS / "district_report.ipynb", as_version=4)
    nb.metadata.language_info = {"name": "python", "version": "3.11.99"}
    nb.metadata.widgets = {"state": {}}
    code = [c for c in nb.cells if c.cell_type == "code"]
    for i, cell in enumerate(code, 1):
        cell.execution_count = i
        cell.outputs = [nbformat.v4.new_output("execute_result", {"text/plain": "x"}, execution_count=i)]
        cell.metadata.update(scrolled=True, collapsed=False, execution={"iopub.status.idle": "2026"})
    model = {"type": "notebook", "content": json.loads(nbformat.writes(nb))}
    strip_on_save(model=model, path="notebooks/district_report.ipynb")
    committed = (NOTEBOOKS / "district_report.ipynb").read_text(encoding="utf-8")
    assert nbformat.writes(model["content"]) + "\n" == committed
    text = {"type": "file", "format": "text", "content": "# %%\nx = 1\n"}
    strip_on_save(model=text, path="notebooks/district_report.py")
    assert text["content"] == "# %%\nx = 1\n"


# ---------------------------------------------------------------- a run in a warm kernel


def _code_cells(nb) -> list:
    return [c for c in nb.cells if c.cell_type == "code"]


@pytest.fixture(scope="module")
def two_runs():
    """district_report run twice in one kernel, as "Run All" in JupyterLab would (every cell runs,
    errors or not): first as committed, then with a misspelt ``compare`` indicator."""
    import nbclient

    first = nbformat.read(NOTEBOOKS / "district_report.ipynb", as_version=4)
    second = nbformat.read(NOTEBOOKS / "district_report.ipynb", as_version=4)
    params = _code_cells(second)[0]
    params.source = params.source.replace(
        'compare: str = "ty_le_dv_tham_du"', 'compare: str = "ty_le_ho_ngeo"'
    )
    assert "ty_le_ho_ngeo" in params.source
    client = nbclient.NotebookClient(
        first,
        timeout=300,
        kernel_name="python3",
        allow_errors=True,
        resources={"metadata": {"path": str(NOTEBOOKS)}},
    )
    with client.setup_kernel():
        for i, cell in enumerate(first.cells):
            client.execute_cell(cell, i)
        client.nb = second
        for i, cell in enumerate(second.cells):
            client.execute_cell(cell, i)
    return first, second


@pytest.mark.slow
def test_a_failed_open_never_shows_the_previous_report(two_runs):
    first, second = two_runs
    assert not [o for c in _code_cells(first) for o in c.outputs if o.output_type == "error"]
    opening, *later = _code_cells(second)[1:]
    [error] = opening.outputs
    assert error.ename == "ReportError" and "ty_le_ho_ngeo" in error.evalue
    assert len(later) >= 15
    for cell in later:
        [out] = cell.outputs  # the error, and nothing else: no chart, table or text of the first run
        assert out.output_type == "error" and out.ename == "ReportNotOpened", (cell.source, out)
        [line] = out.traceback  # one line, no traceback
        assert "the report did not open" in line and "ty_le_ho_ngeo" in line
        assert "Traceback" not in line and "\n" not in line


@pytest.mark.slow
def test_run_all_then_save_leaves_the_pair_as_committed_and_an_edit_is_all_the_diff(two_runs, copy):
    from baocao.build.html import export_html
    from baocao.build.plans import notebook_info

    first, _ = two_runs
    assert sum(len(c.outputs) for c in first.cells if c.cell_type == "code") > 20
    cm = contents_manager(copy)
    opened = _open(cm, "district_report")["content"]
    for cell, ran in zip(opened.cells, first.cells, strict=True):  # the lab's model after Run All
        cell.update({k: ran[k] for k in ("outputs", "execution_count") if k in ran})
    _save(cm, "district_report", opened)
    assert _same_files(copy, "district_report") == []

    params = _code_cells(opened)[0]
    params.source = params.source.replace("year: int = 2024", "year: int = 2023")
    _save(cm, "district_report", opened)
    diff = [
        line
        for line in _same_files(copy, "district_report")
        if line.startswith(("+", "-")) and not line.startswith(("+++", "---"))
    ]
    assert len(diff) == 4 and all("year: int = 202" in line for line in diff), diff
    info = notebook_info(copy / "notebooks" / "district_report.ipynb")  # what the builder reads
    assert info.kind == "district" and "year" in info.parameters

    page = export_html(first, title="t", lang="vi")  # the page leaves the notebook view's style out
    assert "baocao-report-style" not in page and "all: revert" not in page
    assert 'href="data_quality.html"' in page and "data_quality.ipynb" not in page
    shown = json.dumps(_code_cells(first)[1].outputs)
    assert "baocao-report-style" in shown, "the cell opening the report shows the page's look"


# ---------------------------------------------------------------- every report kind


@pytest.mark.parametrize("name", NAMES)
def test_every_kind_refuses_a_report_that_did_not_open(name, monkeypatch):
    """Each notebook's cells, run in one namespace after a report of the kind was opened before:
    a failing open replaces that report, and every later cell raises one line saying why."""
    from baocao.reports import notebook_view
    from baocao.reports.registry import ReportError

    monkeypatch.chdir(NOTEBOOKS)
    nb = nbformat.read(NOTEBOOKS / f"{name}.ipynb", as_version=4)
    params, opening, *later = _code_cells(nb)
    assert f'open_report("{KINDS[name]}", globals())' in opening.source
    ns: dict = {}
    exec(params.source, ns)
    earlier = object()  # stands for the report of an earlier run
    ns["ctx"] = earlier
    notebook_view.remember_report(ns, earlier)
    ns["lang"] = "xx"
    with pytest.raises(ReportError, match="lang"):
        exec(opening.source, ns)
    assert isinstance(ns["ctx"], notebook_view.NotOpened) and earlier not in ns.values()
    assert later
    for cell in later:
        with pytest.raises(notebook_view.ReportNotOpened) as caught:
            exec(cell.source, ns)
        [line] = caught.value._render_traceback_()
        assert "the report did not open" in line and "lang" in line


def test_a_report_not_opened_refuses_every_use_and_says_why():
    from baocao.reports import notebook_view
    from baocao.reports.registry import ReportError

    ns = {"ctx": "mine"}
    failed = notebook_view.forget_report(ns, ReportError("năm không hợp lệ / invalid year: 'x'"))
    assert ns["ctx"] == "mine", "a ctx the notebook set itself is not replaced"
    for use in (lambda: failed.year, lambda: failed["x"], lambda: list(failed), lambda: bool(failed)):
        with pytest.raises(notebook_view.ReportNotOpened, match="invalid year"):
            use()
    assert "invalid year" in repr(failed)


# ---------------------------------------------------------------- the notebook view's look


def test_the_notebook_view_scopes_the_pages_stylesheet_to_the_notebook():
    import tinycss2

    from baocao.io.assets import report_css
    from baocao.reports.notebook_view import SCOPE, lab_css

    css = lab_css(report_css())
    selectors, media = [], []

    def walk(rules):
        for rule in rules:
            if rule.type == "qualified-rule":
                selectors.extend(s.strip() for s in tinycss2.serialize(rule.prelude).split(","))
            elif rule.type == "at-rule":
                media.append(tinycss2.serialize(rule.prelude).strip())
                walk(tinycss2.parse_stylesheet(rule.content, skip_comments=True, skip_whitespace=True))

    walk(tinycss2.parse_stylesheet(css, skip_comments=True, skip_whitespace=True))
    assert selectors and all(s.startswith(SCOPE + " ") for s in selectors), "a rule would style JupyterLab"
    assert media == ["(max-width: 600px)"], "no print or @page rules in the notebook"
    for frame in ("body", "main", ".jp-InputPrompt", ".jp-Collapser"):
        assert not any(f" {frame}" in s.removeprefix(SCOPE) for s in selectors), frame
    for rule in (
        ".headline .card",
        ".banner-illustrative",
        "table.data td.num",
        "thead th",
        ".report-footer",
    ):
        assert any(s.endswith(rule) for s in selectors), rule
