"""Shared test fixtures.

``cat`` and ``reg``: the project's catalogue and the legacy unit registry.

``build_plan``: ``baocao build`` of a plan into a folder, as a user runs it, which must succeed.

``procs``: the processes a test starts (builds, scripts), so that none can hang the run or
outlive the test. Each gets a tag in its environment (``BAOCAO_TEST_TAG``, inherited by its
workers and kernels) and its output goes to a file (a full pipe cannot block it). Waits are
bounded (``TIMEOUT`` s); a process that runs over gets ``SIGUSR1`` first, which makes the
builder and its workers print the stacks of all their threads (faulthandler), and the test
fails with that output. At the end of the test everything with its tag is killed.

Also: with ``CI=true``, a test skipped because Chromium or LibreOffice is missing fails instead
(CI must run the real-client tests, not silently skip them).
"""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
TIMEOUT = 180  # seconds for one build or script; a hang fails the test with the stacks of its processes
CLIENTS = re.compile(r"chromium|soffice|libreoffice", re.I)


class Procs:
    def __init__(self, folder: Path):
        self.folder = folder
        self.tag = uuid.uuid4().hex
        self.started: list[tuple[subprocess.Popen, Path]] = []

    def env(self, env: dict | None = None) -> dict:
        return {
            **(env if env is not None else os.environ),
            "BAOCAO_TEST_TAG": self.tag,
            "PYTHONFAULTHANDLER": "1",
        }

    def start(self, cmd: list[str], env: dict | None = None, **kw) -> subprocess.Popen:
        """Start ``cmd`` in a session of its own, its output (stdout and stderr) to a file."""
        log = self.folder / f"proc-{len(self.started)}.log"
        with open(log, "wb") as fh:
            proc = subprocess.Popen(
                cmd, env=self.env(env), stdout=fh, stderr=subprocess.STDOUT, start_new_session=True, **kw
            )
        self.started.append((proc, log))
        return proc

    def output(self, proc: subprocess.Popen) -> str:
        log = next(log for p, log in self.started if p is proc)
        return log.read_text(encoding="utf-8", errors="replace")

    def wait(self, proc: subprocess.Popen, timeout: float = TIMEOUT) -> int:
        """Its exit code; after ``timeout`` s: its stacks, then the test fails."""
        try:
            return proc.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            self.fail_with_stacks(proc, f"still running after {timeout} s")

    def run(
        self, cmd: list[str], env: dict | None = None, timeout: float = TIMEOUT, **kw
    ) -> subprocess.CompletedProcess:
        proc = self.start(cmd, env=env, **kw)
        code = self.wait(proc, timeout)
        return subprocess.CompletedProcess(cmd, code, self.output(proc), "")

    def until(
        self, condition, proc: subprocess.Popen | None = None, what: str = "", timeout: float = TIMEOUT
    ) -> None:
        """Wait for ``condition()`` (an event the test controls, e.g. a file a held report
        creates); fail at once if ``proc`` exits first, with stacks after ``timeout`` s."""
        end = time.monotonic() + timeout
        while not condition():
            if proc is not None and proc.poll() is not None:
                pytest.fail(f"exited ({proc.returncode}) before {what or condition}:\n{self.output(proc)}")
            if time.monotonic() > end:
                self.fail_with_stacks(proc, f"waited {timeout} s for {what or condition}")
            time.sleep(0.05)

    def tagged(self) -> list:
        """Live processes started by this test, its builds' workers and kernels included."""
        import psutil

        found = []
        for p in psutil.process_iter():
            try:
                if p.environ().get("BAOCAO_TEST_TAG") == self.tag and p.status() != psutil.STATUS_ZOMBIE:
                    found.append(p)
            except psutil.Error:
                pass
        return found

    def family(self, proc: subprocess.Popen) -> list:
        """``proc`` and its descendants now (a build: builder, workers, kernels)."""
        import psutil

        try:
            root = psutil.Process(proc.pid)
            return [root, *root.children(recursive=True)]
        except psutil.Error:
            return []

    def until_gone(self, processes: list, timeout: float = 60) -> None:
        """Wait until none of ``processes`` runs; fail naming those that outlive ``timeout`` s."""
        import psutil

        def alive():
            out = []
            for p in processes:
                try:
                    if p.is_running() and p.status() != psutil.STATUS_ZOMBIE:
                        out.append(p)
                except psutil.Error:
                    pass
            return out

        end = time.monotonic() + timeout
        while alive() and time.monotonic() < end:
            time.sleep(0.1)
        left = alive()
        assert not left, "still running: " + "; ".join(f"{p.pid} {' '.join(p.cmdline())[:120]}" for p in left)

    def dump_stacks(self) -> None:
        """SIGUSR1 to this test's Python processes that print their stacks on it (builder, workers)."""
        for p in self.tagged():
            try:
                cmd = " ".join(p.cmdline())
                if "ipykernel" not in cmd and ("baocao" in cmd or "spawn_main" in cmd):
                    os.kill(p.pid, signal.SIGUSR1)
            except Exception:  # noqa: BLE001 - best effort
                pass

    def fail_with_stacks(self, proc: subprocess.Popen | None, why: str):
        self.dump_stacks()
        time.sleep(2)  # let faulthandler write
        self.kill_all()
        out = (
            self.output(proc)
            if proc is not None
            else "\n".join(log.read_text(errors="replace") for _, log in self.started)
        )
        pytest.fail(f"{why}; stacks and output:\n{out[-20000:]}")

    def kill_all(self) -> None:
        for p in self.tagged():
            try:
                p.kill()
            except Exception:  # noqa: BLE001
                pass
        for proc, _ in self.started:
            if proc.poll() is None:
                proc.kill()
                proc.wait()


def _build_plan(plan, out, *options: str, jobs: int = 2, timeout: float = 400) -> subprocess.CompletedProcess:
    """``baocao build PLAN --outputs OUT --jobs JOBS OPTIONS…`` in the project folder; the build must
    succeed (its output is the failure's message)."""
    res = subprocess.run(
        [str(Path(sys.executable).parent / "baocao"), "build", str(plan), "--outputs", str(out)]
        + ["--jobs", str(jobs), *options],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=timeout,
    )
    assert res.returncode == 0, res.stdout + res.stderr
    return res


@pytest.fixture(scope="session")
def build_plan():
    """:func:`_build_plan`, for fixtures that build a plan once."""
    return _build_plan


@pytest.fixture()
def procs(tmp_path):
    tracker = Procs(tmp_path)
    yield tracker
    tracker.kill_all()


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    """With CI=true, a real-client test skipped for a missing Chromium or LibreOffice fails."""
    outcome = yield
    report = outcome.get_result()
    if os.environ.get("CI", "").lower() not in ("true", "1") or not report.skipped:
        return
    reason = str(report.longrepr[2] if isinstance(report.longrepr, tuple) else report.longrepr)
    if CLIENTS.search(reason):
        report.outcome = "failed"
        report.longrepr = (
            f"CI=true: {reason} — CI must run this test; install the client (./run test installs it as root)"
        )


@pytest.fixture(scope="session")
def cat():
    """The project's catalogue, as analysts keep it in ``data/catalogue/``."""
    from baocao import config
    from baocao.io.tables import read_catalogue

    return read_catalogue(config.catalogue_dir())


@pytest.fixture(scope="session")
def reg():
    """The legacy (three-level) unit registry."""
    from baocao.data import units

    return units.legacy()
