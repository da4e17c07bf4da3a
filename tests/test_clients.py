"""Real notebook clients: papermill's parameter help, and JupyterLab serving and running
every notebook on one of its own kernels (what "Run All" in JupyterLab does)."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import nbformat
import pytest
from jupyter_client import BlockingKernelClient

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = sorted((ROOT / "notebooks").glob("*.ipynb"))
BIN = Path(sys.executable).parent

pytestmark = pytest.mark.slow


def _parameters(path: Path) -> list[tuple[str, str]]:
    nb = nbformat.read(path, as_version=4)
    cell = next(c for c in nb.cells if "parameters" in c.metadata.get("tags", []))
    out = []
    for line in cell.source.splitlines():
        if line.strip() and not line.lstrip().startswith("#"):
            name = line.split(":")[0].split("=")[0].strip()
            comment = line.split("#", 1)[1].strip() if "#" in line else ""
            out.append((name, comment))
    return out


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_papermill_help_lists_every_parameter_with_its_comment(path):
    res = subprocess.run([str(BIN / "papermill"), "--help-notebook", str(path)], capture_output=True, text=True, timeout=120)
    assert res.returncode == 0, res.stderr
    assert "Unable to parse" not in res.stdout + res.stderr
    params = _parameters(path)
    assert params, "no parameters found"
    for name, comment in params:
        assert f"  {name}:" in res.stdout, f"{name} missing from --help-notebook"
        assert comment and comment.split()[0] in res.stdout, f"comment of {name} missing"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _api(base: str, token: str, path: str, method: str = "GET", body: dict | None = None):
    req = urllib.request.Request(f"{base}{path}", method=method, data=json.dumps(body).encode() if body else None,
                                 headers={"Authorization": f"token {token}", "Content-Type": "application/json"})
    with urllib.request.urlopen(req, timeout=30) as r:
        return r.status, json.loads(r.read() or b"null")


@pytest.fixture(scope="module")
def lab(tmp_path_factory):
    port, token = _free_port(), "baocao-test-token"
    runtime = tmp_path_factory.mktemp("runtime")
    env = {**os.environ, "JUPYTER_RUNTIME_DIR": str(runtime), "JUPYTER_CONFIG_DIR": str(tmp_path_factory.mktemp("cfg"))}
    proc = subprocess.Popen(
        [str(BIN / "jupyter"), "lab", "--no-browser", "--allow-root", f"--port={port}", "--ip=127.0.0.1",
         f"--IdentityProvider.token={token}", f"--ServerApp.root_dir={ROOT / 'notebooks'}"],
        env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(120):
            try:
                if _api(base, token, "/api/status")[0] == 200:
                    break
            except OSError:
                time.sleep(0.5)
        else:
            pytest.fail("jupyter lab did not start")
        yield base, token, runtime
    finally:
        proc.terminate()
        proc.wait(timeout=30)


def test_jupyterlab_opens_and_runs_every_notebook(lab):
    base, token, runtime = lab
    req = urllib.request.Request(f"{base}/lab", headers={"Authorization": f"token {token}"})
    with urllib.request.urlopen(req, timeout=30) as r:
        assert r.status == 200 and b"JupyterLab" in r.read()
    for path in NOTEBOOKS:
        status, model = _api(base, token, f"/api/contents/{path.name}?content=1")
        assert status == 200 and model["type"] == "notebook"
        cells = [c for c in model["content"]["cells"] if c["cell_type"] == "code"]
        status, session = _api(base, token, "/api/sessions", "POST", {"path": path.name, "type": "notebook", "name": path.name, "kernel": {"name": "python3"}})
        kernel_id = session["kernel"]["id"]
        kc = BlockingKernelClient(connection_file=str(runtime / f"kernel-{kernel_id}.json"))
        kc.load_connection_file()
        kc.start_channels()
        try:
            kc.wait_for_ready(timeout=60)
            for cell in cells:  # Run All, with the default parameters
                reply = kc.execute_interactive("".join(cell["source"]), timeout=120, output_hook=lambda msg: None)
                assert reply["content"]["status"] == "ok", f"{path.name}: {reply['content'].get('ename')}: {reply['content'].get('evalue')}"
        finally:
            kc.stop_channels()
            _api(base, token, f"/api/sessions/{session['id']}", "DELETE")
