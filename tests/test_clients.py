"""Real notebook clients: papermill's parameter help, and JupyterLab serving and running
every notebook on one of its own kernels (what "Run All" in JupyterLab does)."""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
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
    res = subprocess.run(
        [str(BIN / "papermill"), "--help-notebook", str(path)], capture_output=True, text=True, timeout=120
    )
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
    req = urllib.request.Request(
        f"{base}{path}",
        method=method,
        data=json.dumps(body).encode() if body else None,
        headers={"Authorization": f"token {token}", "Content-Type": "application/json"},
    )
    with urllib.request.urlopen(req, timeout=30) as r:
        return r.status, json.loads(r.read() or b"null")


@pytest.fixture(scope="module")
def lab(tmp_path_factory):
    port, token = _free_port(), "baocao-test-token"
    # Kernels over ipc (Unix sockets named after their connection file): no TCP port that a
    # kernel started meanwhile elsewhere could take ("Kernel died before replying to
    # kernel_info"). A short runtime folder: a socket path must stay under ≈ 107 bytes.
    runtime = Path(tempfile.mkdtemp(prefix="lab-"))
    log = tmp_path_factory.mktemp("lab") / "lab.log"
    env = {
        **os.environ,
        "JUPYTER_RUNTIME_DIR": str(runtime),
        "JUPYTER_CONFIG_DIR": str(tmp_path_factory.mktemp("cfg")),
    }
    transport = ["--KernelManager.transport=ipc"] if sys.platform.startswith("linux") else []
    with open(log, "wb") as out:
        proc = subprocess.Popen(
            [
                str(BIN / "jupyter"),
                "lab",
                "--no-browser",
                "--allow-root",
                f"--port={port}",
                "--ip=127.0.0.1",
                f"--IdentityProvider.token={token}",
                f"--ServerApp.root_dir={ROOT / 'notebooks'}",
                *transport,
            ],
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    base = f"http://127.0.0.1:{port}"
    try:
        end = time.monotonic() + 180
        while True:
            try:
                if _api(base, token, "/api/status")[0] == 200:
                    break
            except OSError:
                pass
            if proc.poll() is not None or time.monotonic() > end:
                pytest.fail(f"jupyter lab did not start:\n{log.read_text(errors='replace')[-5000:]}")
            time.sleep(0.5)
        yield base, token, runtime, log
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=60)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
        shutil.rmtree(runtime, ignore_errors=True)


def test_jupyterlab_serves_the_lab_page(lab):
    base, token, runtime, log = lab
    req = urllib.request.Request(f"{base}/lab", headers={"Authorization": f"token {token}"})
    with urllib.request.urlopen(req, timeout=30) as r:
        assert r.status == 200 and b"JupyterLab" in r.read()


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_jupyterlab_opens_and_runs_the_notebook(lab, path):
    """Each notebook opened in JupyterLab and run on one of its kernels (one test per notebook:
    each stays well under a minute)."""
    base, token, runtime, log = lab
    status, model = _api(base, token, f"/api/contents/{path.name}?content=1")
    assert status == 200 and model["type"] == "notebook"
    cells = [c for c in model["content"]["cells"] if c["cell_type"] == "code"]
    status, session = _api(
        base,
        token,
        "/api/sessions",
        "POST",
        {"path": path.name, "type": "notebook", "name": path.name, "kernel": {"name": "python3"}},
    )
    kernel_id = session["kernel"]["id"]
    kc = BlockingKernelClient(connection_file=str(runtime / f"kernel-{kernel_id}.json"))
    kc.load_connection_file()
    assert kc.transport == ("ipc" if sys.platform.startswith("linux") else "tcp")
    # No heartbeat channel: this client is not the kernel's manager, so with one it would call
    # the kernel dead after a single late heartbeat (1 s) while a loaded machine starts it.
    # The kernel_info reply (wait_for_ready) is the proof the kernel is up.
    kc.start_channels(hb=False)
    try:
        try:
            kc.wait_for_ready(timeout=120)
        except RuntimeError as exc:
            pytest.fail(f"{path.name}: {exc}\n{log.read_text(errors='replace')[-5000:]}")
        for cell in cells:  # Run All, with the default parameters
            reply = kc.execute_interactive("".join(cell["source"]), timeout=120, output_hook=lambda msg: None)
            assert reply["content"]["status"] == "ok", (
                f"{path.name}: {reply['content'].get('ename')}: {reply['content'].get('evalue')}"
            )
    finally:
        kc.stop_channels()
        _api(base, token, f"/api/sessions/{session['id']}", "DELETE")


def test_run_lab_starts_jupyterlab_on_the_project(tmp_path):
    """`./run lab` (README): JupyterLab with the project as its folder and the notebooks open,
    also as root (Jupyter refuses root without --allow-root, which ./run adds)."""
    port, token = _free_port(), "baocao-run-lab"
    env = {
        **os.environ,
        "JUPYTER_RUNTIME_DIR": tempfile.mkdtemp(prefix="lab-"),
        "JUPYTER_CONFIG_DIR": str(tmp_path / "cfg"),
    }
    log = tmp_path / "lab.log"
    with open(log, "wb") as out:
        proc = subprocess.Popen(
            [
                str(ROOT / "run"),
                "lab",
                "--no-browser",
                f"--port={port}",
                "--ip=127.0.0.1",
                f"--IdentityProvider.token={token}",
            ],
            cwd=tmp_path,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    base = f"http://127.0.0.1:{port}"
    try:
        end = time.monotonic() + 180
        while True:
            try:
                status, listing = _api(base, token, "/api/contents/notebooks")
                break
            except OSError:
                pass
            if proc.poll() is not None or time.monotonic() > end:
                pytest.fail(f"./run lab did not start:\n{log.read_text(errors='replace')[-5000:]}")
            time.sleep(0.5)
        assert status == 200
        assert {p.name for p in NOTEBOOKS} <= {item["name"] for item in listing["content"]}
        status, specs = _api(base, token, "/api/kernelspecs")
        assert "python3" in specs["kernelspecs"]
        python = Path(specs["kernelspecs"]["python3"]["spec"]["argv"][0])
        assert python.parent.resolve() == (ROOT / ".venv" / "bin").resolve(), (
            specs
        )  # the project's environment
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=60)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
        shutil.rmtree(env["JUPYTER_RUNTIME_DIR"], ignore_errors=True)
