"""An analyst's session in JupyterLab, driven in Debian's Chromium (Playwright): `./run lab` on a
copy of the notebooks, ``district_report`` opened, Run All, the notebook view against the
page built from that very run, the link to the data-quality report, save, an edit, a run
that fails to open, closing the tabs, and an idle kernel culled.

One JupyterLab server and one notebook for the whole session (it is the slowest part); the
scenario is one test so that its steps share them in order. The idle-kernel timeout is cut to
2 s here (the lab's own is 10 min, checked in ``tests/test_lab.py``). Screenshots of the lab
and of the page go to ``test-artifacts/screenshots/``.
"""

from __future__ import annotations

import difflib
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

import nbformat
import pytest

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = ROOT / "notebooks"
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
SHOTS = ROOT / "test-artifacts" / "screenshots"
TOKEN = "baocao-lab-browser"
NAME = "district_report"

pytestmark = [
    pytest.mark.browser,
    pytest.mark.slow,
    pytest.mark.skipif(CHROMIUM is None, reason="Debian chromium is not installed (./run test installs it)"),
    pytest.mark.skipif(
        Path(sys.prefix).resolve() != (ROOT / ".venv").resolve(), reason="./run lab uses the project's .venv"
    ),
]

# What the lab and the page must agree on: computed styles of the report's key elements.
KEY_STYLES = {
    "h1.report-title": ["font-size", "font-weight", "color", "line-height"],
    ".banner-illustrative": [
        "background-color",
        "border-left-color",
        "border-left-width",
        "border-top-color",
        "border-radius",
        "color",
        "font-size",
        "font-weight",
        "padding-top",
        "padding-left",
    ],
    ".legend-provenance sup.mark": ["font-size", "vertical-align", "color"],
    ".headline": ["display", "column-gap", "row-gap"],
    ".headline .card": [
        "background-color",
        "border-top-color",
        "border-top-width",
        "border-left-color",
        "border-radius",
        "padding-top",
        "padding-left",
    ],
    ".headline .card .value": ["font-size", "font-weight", "color", "line-height", "font-family"],
    ".headline .card .label": ["font-size", "color"],
    "table.data": ["border-collapse", "font-size", "margin-left"],
    "table.data thead th": [
        "background-color",
        "border-bottom-color",
        "border-bottom-width",
        "font-weight",
        "padding-top",
        "padding-left",
        "text-align",
    ],
    "table.data td.num": ["text-align", "white-space", "padding-left", "font-size"],
    "table.data tbody tr:nth-child(2)": ["background-color"],
}

STYLES_JS = """([root, wanted]) => {
  const scope = root ? document.querySelector(root) : document;
  const out = {};
  for (const [sel, props] of Object.entries(wanted)) {
    const el = scope.querySelector(sel);
    if (!el) { out[sel] = null; continue; }
    const cs = getComputedStyle(el);
    out[sel] = Object.fromEntries(props.map(p => [p, cs.getPropertyValue(p)]));
  }
  return out;
}"""
TEXTS_JS = """(root) => {
  const scope = root ? document.querySelector(root) : document;
  const texts = sel => [...scope.querySelectorAll(sel)].map(e => e.textContent.replace(/\\s+/g, ' ').trim());
  return {cards: texts('.headline .card'), banner: texts('.banner-illustrative'),
          title: texts('h1.report-title')};
}"""
PANEL = ".jp-NotebookPanel:not(.lm-mod-hidden)"  # the notebook in front


def _api(base: str, path: str, method: str = "GET", body: dict | None = None):
    req = urllib.request.Request(
        f"{base}{path}",
        method=method,
        data=json.dumps(body).encode() if body is not None else None,
        headers={"Authorization": f"token {TOKEN}", "Content-Type": "application/json"},
    )
    with urllib.request.urlopen(req, timeout=30) as r:
        return json.loads(r.read() or b"null")


def _until(condition, what: str, timeout: float = 120, state=None) -> None:
    """Wait for ``condition``; past ``timeout`` s fail, saying ``state()`` when given."""
    end = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > end:
            pytest.fail(f"waited {timeout} s for {what}" + (f" ({state()})" if state else ""))
        time.sleep(0.2)


@pytest.fixture(scope="module")
def lab(tmp_path_factory):
    """`./run lab` on a copy of notebooks/ (a root of its own: saving must not touch the
    checkout), user settings and workspaces of its own; yields (base URL, root, log, runtime folder)."""
    root = tmp_path_factory.mktemp("root")
    shutil.copytree(NOTEBOOKS, root / "notebooks")
    runtime = Path(tempfile.mkdtemp(prefix="lab-"))  # short: ipc socket paths
    log = tmp_path_factory.mktemp("log") / "lab.log"
    env = {
        **os.environ,
        "JUPYTER_RUNTIME_DIR": str(runtime),
        "JUPYTER_CONFIG_DIR": str(tmp_path_factory.mktemp("cfg")),  # no user settings, no workspace
    }
    with open(log, "wb") as out:
        proc = subprocess.Popen(
            [
                str(ROOT / "run"),
                "lab",
                "--no-browser",
                "--ip=127.0.0.1",
                "--port=0",
                f"--IdentityProvider.token={TOKEN}",
                f"--ServerApp.root_dir={root}",
                "--LabApp.expose_app_in_browser=True",
                "--MappingKernelManager.cull_idle_timeout=2",
                "--MappingKernelManager.cull_interval=1",
            ],
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    try:
        found = []

        def started():
            if proc.poll() is not None:
                pytest.fail(f"./run lab exited:\n{log.read_text(errors='replace')[-5000:]}")
            found[:] = re.findall(r"^\s*Open\s+(http://[^/\s]+)/\S*", log.read_text(errors="replace"), re.M)
            return bool(found)

        _until(started, "./run lab to print its address", 180)
        yield found[0], root, log, runtime
    finally:
        _stop(proc)
        shutil.rmtree(runtime, ignore_errors=True)


def _stop(proc: subprocess.Popen) -> None:
    """JupyterLab and its kernels (its process group): asked to stop, killed after 60 s."""
    for sig, wait in ((signal.SIGTERM, 60), (signal.SIGKILL, None)):
        try:
            os.killpg(proc.pid, sig)
        except ProcessLookupError:
            break
        try:
            proc.wait(timeout=wait)
            break
        except subprocess.TimeoutExpired:
            continue
    proc.wait()


def _diff(root: Path) -> list[str]:
    """Changed lines of the lab's copy of the pair against the committed pair."""
    out = []
    for ext in (".ipynb", ".py"):
        a = (NOTEBOOKS / f"{NAME}{ext}").read_text(encoding="utf-8").splitlines()
        b = (root / "notebooks" / f"{NAME}{ext}").read_text(encoding="utf-8").splitlines()
        out += [
            line
            for line in difflib.unified_diff(a, b, lineterm="", n=0)
            if line.startswith(("+", "-")) and not line.startswith(("+++", "---"))
        ]
    return out


def _cell_outputs(page) -> list[dict]:
    """Per code cell of the notebook in front: its source and outputs (from JupyterLab's model)."""
    return page.evaluate(
        """() => jupyterapp.shell.currentWidget.context.model.toJSON().cells
             .filter(c => c.cell_type === 'code')
             .map(c => ({source: [].concat(c.source).join(''), outputs: c.outputs}))"""
    )


def _set_source(page, index: int, old: str, new: str) -> None:
    page.evaluate(
        """([i, a, b]) => { const m = jupyterapp.shell.currentWidget.content.widgets[i].model.sharedModel;
             if (!m.getSource().includes(a)) throw new Error('not in cell ' + i + ': ' + a);
             m.setSource(m.getSource().replace(a, b)); }""",
        [index, old, new],
    )


def _run_all(page) -> None:
    page.evaluate("async () => { await jupyterapp.commands.execute('notebook:run-all-cells'); }")
    page.wait_for_function("jupyterapp.shell.currentWidget.sessionContext.session?.kernel?.status === 'idle'")


def _save(page) -> None:
    page.evaluate("async () => { await jupyterapp.commands.execute('docmanager:save'); }")
    assert page.evaluate("jupyterapp.shell.currentWidget.context.model.dirty") is False


def test_an_analysts_session_in_jupyterlab(lab, tmp_path):
    from playwright.sync_api import sync_playwright

    from baocao.build.execute import select_language
    from baocao.build.html import export_html
    from baocao.export.pdf import LAUNCH_ARGS

    base, root, log, runtime = lab
    SHOTS.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=list(LAUNCH_ARGS))
        page = browser.new_page(viewport={"width": 1280, "height": 1000})
        page.set_default_timeout(180_000)
        page.goto(f"{base}/lab/tree/notebooks/{NAME}.ipynb?token={TOKEN}")

        # 1. open: nothing marked as changed once the kernel has told its spec and language
        page.wait_for_function(
            f"window.jupyterapp && jupyterapp.shell.currentWidget?.context?.path === 'notebooks/{NAME}.ipynb'"
            " && jupyterapp.shell.currentWidget.context.isReady"
        )
        page.evaluate(
            """async () => { const w = jupyterapp.shell.currentWidget; window.__dirtied = [];
                 w.context.model.stateChanged.connect(
                   (_, c) => { if (c.name === 'dirty') window.__dirtied.push(c.newValue); });
                 await w.sessionContext.ready; const k = w.sessionContext.session.kernel;
                 await k.info; await k.spec; await new Promise(r => setTimeout(r, 0)); }"""
        )
        page.wait_for_function(
            "jupyterapp.shell.currentWidget.sessionContext.session?.kernel?.status === 'idle'"
        )
        assert page.evaluate("jupyterapp.shell.currentWidget.context.model.dirty") is False, (
            "marked as changed"
        )
        assert page.evaluate("window.__dirtied") == []
        assert _diff(root) == []

        # 2. Run All: no error, and the notebook view looks like the page made from this very run
        _run_all(page)
        errors = [o for c in _cell_outputs(page) for o in c["outputs"] if o["output_type"] == "error"]
        assert errors == []
        ran = page.evaluate("jupyterapp.shell.currentWidget.context.model.toJSON()")
        for cell in ran["cells"]:  # JupyterLab's model says "no attachments" as null, nbformat leaves it out
            if cell.get("attachments", {}) is None:
                del cell["attachments"]
        nb = nbformat.from_dict(ran)
        built = tmp_path / f"{NAME}.html"
        built.write_text(export_html(select_language(nb, "vi"), title="Báo cáo", lang="vi"), encoding="utf-8")
        page.locator(f"{PANEL} h1.report-title").scroll_into_view_if_needed()
        page.screenshot(path=str(SHOTS / f"lab-{NAME}.png"))
        in_lab = page.evaluate(STYLES_JS, [PANEL, KEY_STYLES])
        shown = page.evaluate(TEXTS_JS, PANEL)
        view = browser.new_page(viewport={"width": 1280, "height": 1000})
        view.goto(built.as_uri())
        view.screenshot(path=str(SHOTS / f"lab-page-{NAME}.png"))
        on_page = view.evaluate(STYLES_JS, [None, KEY_STYLES])
        assert view.evaluate(TEXTS_JS, None) == shown and shown["cards"] and shown["banner"]
        assert view.eval_on_selector("a[href$='data_quality.html']", "a => a.textContent").startswith("Xem")
        view.close()
        for sel in KEY_STYLES:
            assert on_page[sel] is not None and in_lab[sel] == on_page[sel], (sel, in_lab[sel], on_page[sel])
        assert (
            on_page[".banner-illustrative"]["background-color"] != "rgba(0, 0, 0, 0)"
        )  # a box, not a paragraph

        # 3. the link to the data-quality report opens its notebook in the lab
        page.locator(f"{PANEL} a", has_text="Xem báo cáo chất lượng số liệu").click()
        page.wait_for_function(
            "jupyterapp.shell.currentWidget?.context?.path === 'notebooks/data_quality.ipynb'"
            " && jupyterapp.shell.currentWidget.context.isReady"
        )
        # its kernel is up before the tab closes (a kernel still starting when its tab closes is
        # left to the culler: on a busy machine that took longer than this test waits)
        page.wait_for_function(
            "jupyterapp.shell.currentWidget.sessionContext.session?.kernel?.status === 'idle'"
        )
        page.evaluate("async () => { await jupyterapp.commands.execute('application:close'); }")
        page.wait_for_function(f"jupyterapp.shell.currentWidget?.context?.path === 'notebooks/{NAME}.ipynb'")

        # 4. save after Run All: the pair is as committed, byte for byte; an edit is the whole diff
        _save(page)
        assert _diff(root) == [], "Run All + save changed the pair"
        _set_source(page, 0, "year: int = 2024", "year: int = 2023")
        _set_source(page, 7, "## Học tập và làm theo", "## Học tập và làm theo (sửa)")
        _save(page)
        changed = _diff(root)
        assert len(changed) == 8 and all(
            "year: int = 202" in c or "## Học tập và làm theo" in c for c in changed
        )
        saved = nbformat.read(root / "notebooks" / f"{NAME}.ipynb", as_version=4)
        assert all(
            c.outputs == [] and c.execution_count is None for c in saved.cells if c.cell_type == "code"
        )

        # 5. a run that cannot open the report shows no part of the earlier report
        _set_source(page, 0, 'compare: str = "ty_le_dv_tham_du"', 'compare: str = "ty_le_ho_ngeo"')
        _run_all(page)
        params, opening, *later = _cell_outputs(page)
        assert [o["ename"] for o in opening["outputs"]] == ["ReportError"]
        for cell in later:  # not run (JupyterLab stops at an error), or one line saying why
            assert [o.get("ename") for o in cell["outputs"]] in ([], ["ReportNotOpened"]), cell
            for o in cell["outputs"]:
                assert len(o["traceback"]) == 1 and "ty_le_ho_ngeo" in o["traceback"][0]
        assert page.locator(f"{PANEL} .jp-OutputArea-output .headline").count() == 0
        assert page.locator(f"{PANEL} .jp-OutputArea-output h1.report-title").count() == 0
        assert page.locator(f"{PANEL} .jp-RenderedImage img").count() == 0
        page.screenshot(path=str(SHOTS / f"lab-{NAME}-failed.png"))

        # 6. closing the tabs stops their kernels (unsaved run discarded: no dialog)
        page.evaluate("jupyterapp.shell.currentWidget.context.model.dirty = false")
        page.evaluate("async () => { await jupyterapp.commands.execute('application:close-all'); }")
        _until(
            lambda: _api(base, "/api/kernels") == [],
            "the closed tabs' kernels to stop",
            60,
            lambda: f"kernels left: {_api(base, '/api/kernels')}; sessions: {_api(base, '/api/sessions')}",
        )
        browser.close()

    # 7. a kernel nobody is connected to is culled when idle; kernels talk over ipc, quietly
    kernel = _api(base, "/api/kernels", "POST", {"name": "python3"})
    connection = json.loads((runtime / f"kernel-{kernel['id']}.json").read_text())
    assert connection["transport"] == "ipc", connection
    _until(
        lambda: kernel["id"] not in {k["id"] for k in _api(base, "/api/kernels")},
        "the idle kernel culled",
        90,
    )
    text = log.read_text(errors="replace")
    assert "without encryption" not in text
    assert "Then   open a report" in text and "./run reports" in text  # what to do next
    assert re.search(r"Culling '\w+' kernel .* with 0 connections", text)  # culled, not shut down by a tab
