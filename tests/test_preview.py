"""`baocao preview`: serves outputs/ and nothing else, injects the reload script without
changing the files, and — in a real browser — shows an edited data row and a failing
notebook's error without a manual reload, then stops on Ctrl-C leaving no kernel behind."""

from __future__ import annotations

import http.client
import json
import re
import shutil
import signal
import subprocess
import sys
import threading
import time
import urllib.request
from pathlib import Path

import pytest

from baocao import fmt
from baocao.build.preview import Preview
from baocao.build.preview_server import inject, make_server, page_key, resolve
from baocao.io.tables import atomic_write_text

sys.path.insert(0, str(Path(__file__).parent))
from test_builder import BAOCAO, env_for, make_project  # noqa: E402

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
SECRET = "secret-outside-outputs-1d3f"


# ---------------------------------------------------------------- the server alone


@pytest.fixture
def served(tmp_path):
    """A preview server (no watcher, no kernels) on outputs/ with a secret file beside it."""
    outputs = tmp_path / "outputs"
    (outputs / "2024" / "30682").mkdir(parents=True)
    (outputs / "index.html").write_text("<html><body><h1>Chỉ mục</h1></body></html>", encoding="utf-8")
    (outputs / "2024" / "30682" / "commune_report.html").write_text(
        "<html><body><p>Báo cáo xã</p></body></html>", encoding="utf-8"
    )
    (outputs / ".baocao.lock").write_text("")
    (tmp_path / "secret.txt").write_text(SECRET)
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "secret.txt").write_text(SECRET)
    (outputs / "link").symlink_to(outside, target_is_directory=True)
    (outputs / "secret-link.txt").symlink_to(tmp_path / "secret.txt")
    preview = Preview(tmp_path / "plan.yml", outputs, home=tmp_path, notebooks_dir=tmp_path)
    server = make_server(preview, "127.0.0.1", 0)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield server, outputs
    finally:
        server.shutdown()
        server.server_close()


def raw_get(server, target: str) -> tuple[int, bytes]:
    """GET with the request target sent exactly as given (no client-side normalisation)."""
    conn = http.client.HTTPConnection(*server.server_address[:2], timeout=30)
    try:
        conn.putrequest("GET", target, skip_host=False, skip_accept_encoding=True)
        conn.endheaders()
        resp = conn.getresponse()
        return resp.status, resp.read()
    finally:
        conn.close()


@pytest.mark.parametrize(
    "target",
    [
        "/../secret.txt",
        "/%2e%2e/secret.txt",
        "/%2E%2E%2Fsecret.txt",
        "/..%2fsecret.txt",
        "/2024/%2e%2e/%2e%2e/secret.txt",
        "/2024%2F..%2F..%2Fsecret.txt",
        "/2024/30682/../../../secret.txt",
        "/./../secret.txt",
        "/..\\secret.txt",
        "/%5c..%5csecret.txt",
        "/%00/../secret.txt",
        "http://127.0.0.1/../secret.txt",
        "//../secret.txt",
        "/link/secret.txt",
        "/secret-link.txt",
        "/.baocao.lock",
    ],
)
def test_nothing_outside_outputs_is_served(served, target):
    server, _ = served
    status, body = raw_get(server, target)
    assert status == 403, (target, status)
    assert SECRET.encode() not in body


@pytest.mark.parametrize(
    "target",
    [
        f"/{Path('/etc/passwd').as_posix().lstrip('/')}",
        "//etc/passwd",
        "/%2Fetc%2Fpasswd",
        "/tmp",
        "/nothing.html",
    ],
)
def test_absolute_paths_are_looked_up_inside_outputs(served, target):
    server, _ = served
    status, body = raw_get(server, target)
    assert status == 404 and b"root:" not in body


def test_pages_get_the_reload_script_and_the_files_stay_as_built(served):
    server, outputs = served
    before = (outputs / "2024/30682/commune_report.html").read_bytes()
    status, body = raw_get(server, "/2024/30682/commune_report.html")
    assert status == 200 and body.startswith(b"<html><body><p>B\xc3\xa1o c\xc3\xa1o x\xc3\xa3</p>")
    assert b'<script id="__baocao_preview">' in body and body.endswith(b"</script></body></html>")
    assert (outputs / "2024/30682/commune_report.html").read_bytes() == before
    status, body = raw_get(server, "/")  # a folder: its index.html, never a listing
    assert status == 200 and "Chỉ mục".encode() in body and b"__baocao_preview" in body
    status, body = raw_get(server, "/__baocao/state?page=/2024/30682/commune_report.html")
    state = json.loads(body)
    assert status == 200 and set(state) == {"version", "status", "error", "problem", "pending"}


def test_the_state_is_held_until_the_page_changes(served):
    """The script asks with the version and status it knows: the answer comes when one of them
    changes (the page reloads the moment its report is written), or after the hold with the same."""
    server, outputs = served
    preview = server.preview
    page = "/2024/30682/commune_report.html"
    now = preview.state(page)
    assert preview.state(page, since=(now["version"], now["status"]), wait=0.05) == now  # nothing changed
    answers = []
    asking = threading.Thread(
        target=lambda: answers.append(preview.state(page, since=(now["version"], now["status"]), wait=600))
    )
    asking.start()
    # written as the builder writes a page (temp file + rename): a question asked late, under load,
    # must never see it half written (write_text truncates first: a page of 0 bytes for a moment)
    atomic_write_text(
        outputs / "2024/30682/commune_report.html", "<html><body><p>Báo cáo xã, sửa</p></body></html>"
    )
    with preview.lock:
        preview.wake.notify_all()  # as a worker does once it has written a report
    asking.join(600)
    assert (
        answers
        and answers[0]["version"] != now["version"]
        and answers[0]["version"] == preview.state(page)["version"]
    )
    status, body = raw_get(
        server, f"/__baocao/state?page={page}&v=stale&s=ok"
    )  # the script's request: answered at once
    assert status == 200 and json.loads(body)["version"] == answers[0]["version"]


def test_helpers():
    assert page_key("/2024/30682/commune_report.html") == "2024/30682/commune_report"
    assert page_key("/index.html") == page_key("/") == ""
    assert inject(b"<p>x</p>", "v").startswith(b"<p>x</p><script")
    assert resolve(Path("/nonexistent-root"), "/../etc/passwd")[0] == 403


def test_listens_on_localhost_unless_told_otherwise():
    from baocao.cli import build_parser

    args = build_parser().parse_args(["preview"])
    assert args.host == "127.0.0.1"
    assert build_parser().parse_args(["preview", "--host", "0.0.0.0"]).host == "0.0.0.0"


# ---------------------------------------------------------------- the whole loop, in a browser


ONE_PLAN = "title: Xem trước\nyears: [2024]\nreports:\n  - notebook: commune_report\n    commune: 30682\n"
PAGE = "/2024/30682/commune_report.html"


def doctors_ratio(observations: Path, doctors: int) -> str:
    """The commune's doctors per 10 000 people as the report prints it."""
    row = next(
        line
        for line in observations.read_text(encoding="utf-8").splitlines()
        if line.startswith("30682,2024,dan_so,,")
    )
    return fmt.number(doctors / int(row.split(",")[4]) * 10000, 2)


def set_doctors(observations: Path, doctors: int) -> None:
    lines = observations.read_text(encoding="utf-8").splitlines(keepends=True)
    i = next(k for k, line in enumerate(lines) if line.startswith("30682,2024,bac_si,,"))
    fields = lines[i].split(",", 5)
    fields[4] = str(doctors)
    lines[i] = ",".join(fields)
    observations.write_text("".join(lines), encoding="utf-8")


def wait_for(condition, timeout: float, what: str):
    """Poll ``condition`` until it returns something true (the preview works in the background)."""
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        value = condition()
        if value:
            return value
        time.sleep(0.2)
    raise AssertionError(f"timed out waiting for {what}")


@pytest.mark.slow
@pytest.mark.browser
@pytest.mark.skipif(CHROMIUM is None, reason="Debian chromium is not installed (./run test installs it)")
def test_preview_in_a_browser(tmp_path):
    import psutil
    from playwright.sync_api import expect, sync_playwright

    home = make_project(tmp_path / "project")
    (home / "params" / "one.yml").write_text(ONE_PLAN, encoding="utf-8")
    observations = home / "data" / "thoai_son" / "observations.csv"
    notebook = home / "notebooks" / "commune_report.ipynb"
    proc = subprocess.Popen(
        [*BAOCAO, "preview", "one", "--port", "0", "--jobs", "1"],
        cwd=home,
        env=env_for(home),
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    lines: list[str] = []
    reader = threading.Thread(target=lambda: lines.extend(iter(proc.stdout.readline, "")), daemon=True)
    reader.start()
    try:
        url = wait_for(
            lambda: next(
                (m.group(1) for line in lines for m in [re.search(r"Preview: (http://\S+)/", line)] if m),
                None,
            ),
            300,
            "the preview URL",
        )
        assert url.startswith("http://127.0.0.1:")

        def state():
            with urllib.request.urlopen(f"{url}/__baocao/state?page={PAGE}", timeout=30) as r:
                return json.load(r)

        wait_for(lambda: state()["status"] == "ok", 600, "the first build of the report\n" + "".join(lines))
        before, after = doctors_ratio(observations, 3), doctors_ratio(observations, 77)
        assert before != after
        with sync_playwright() as p:
            browser = p.chromium.launch(
                executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu", "--no-first-run"]
            )
            page = browser.new_page()
            page.goto(url + PAGE)
            body = page.locator("body")
            expect(body).to_contain_text("Số bác sĩ trên 10.000 dân")
            set_doctors(observations, 3)  # the value the data has: nothing to rebuild
            expect(body).to_contain_text(before)
            assert after not in body.inner_text()

            set_doctors(observations, 77)  # the analyst saves an edited row; the page reloads by itself
            expect(body).to_contain_text(after, timeout=300_000)

            nb = json.loads(notebook.read_text(encoding="utf-8"))
            good = notebook.read_text(encoding="utf-8")
            nb["cells"].append(
                {
                    "cell_type": "code",
                    "metadata": {},
                    "execution_count": None,
                    "outputs": [],
                    "source": ["raise RuntimeError('deliberate preview failure')"],
                }
            )
            notebook.write_text(json.dumps(nb), encoding="utf-8")
            expect(body).to_contain_text(
                "deliberate preview failure", timeout=300_000
            )  # the error, in the page
            assert after in body.inner_text()  # over the last good page, which is kept

            notebook.write_text(good, encoding="utf-8")
            expect(page.locator("#__baocao_banner")).to_have_count(0, timeout=300_000)  # rebuilt
            expect(body).to_contain_text(after)
            browser.close()

        kernels = [
            c
            for c in psutil.Process(proc.pid).children(recursive=True)
            if "ipykernel" in " ".join(c.cmdline())
        ]
        assert kernels, "the preview keeps a warm kernel"
        proc.send_signal(signal.SIGINT)
        try:
            code = proc.wait(timeout=300)
        except subprocess.TimeoutExpired:
            proc.send_signal(signal.SIGUSR1)  # the preview prints every thread's stack
            time.sleep(2)
            raise AssertionError("the preview did not stop on SIGINT:\n" + "".join(lines)) from None
        assert code == 0, "".join(lines)
        gone, alive = psutil.wait_procs(kernels, timeout=60)
        assert not alive, f"kernels left behind: {alive}"
        reader.join(timeout=30)
        assert "stopped" in "".join(lines)
        assert (
            json.loads((home / "outputs" / "manifest.json").read_text(encoding="utf-8"))["reports"][
                "2024/30682/commune_report"
            ]["status"]
            == "ok"
        )
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
