"""Faults: kill -9 at random moments, a kernel that dies, read-only outputs, a full disk,
two builds at once. Each leaves complete, consistent outputs or a clear message."""

from __future__ import annotations

import os
import random
import shutil
import signal
import subprocess
import time
from pathlib import Path

import pytest
from test_builder import BAOCAO, FIXTURES, assert_consistent, env_for, make_project, manifest, run_build

pytestmark = pytest.mark.slow
PLAN = "small"
KEYS = ["2023/894/district_report", "2024/30682/commune_report", "2024/894/district_report"]
DYING_PLAN = """\
years: 2024
reports:
  - notebook: dying_report
    district: 894
  - notebooks: [district_report, data_quality]
    district: 894
"""


@pytest.fixture()
def home(tmp_path):
    home = make_project(tmp_path / "project")
    shutil.copy(FIXTURES / "dying_report.ipynb", home / "notebooks" / "dying_report.ipynb")
    (home / "params" / "dying.yml").write_text(DYING_PLAN, encoding="utf-8")
    return home


def _start(home: Path, *args: str) -> subprocess.Popen:
    return subprocess.Popen([*BAOCAO, "build", *args], cwd=home, env=env_for(home), start_new_session=True,
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)


def test_sigkill_at_random_moments_then_rebuild(home):
    out = home / "out"
    rng = random.Random(20241128)
    for trial in range(3):
        proc = _start(home, PLAN, "--force", "--jobs", "2", "--outputs", "out")
        time.sleep(rng.uniform(1.0, 12.0))
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait()
        if (out / "manifest.json").exists():
            assert_consistent(out)  # whatever the manifest claims is there, whole
        res = run_build(home, PLAN, "--outputs", "out")
        assert res.returncode == 0, f"trial {trial}: rebuild failed\n{res.stdout}{res.stderr}"
        m = assert_consistent(out)
        assert {k: m["reports"][k]["status"] for k in KEYS} == {k: "ok" for k in KEYS} or all(
            m["reports"][k]["status"] in ("ok", "skipped") for k in KEYS)
        assert not list(out.rglob("*.tmp")), "temporary files left behind"


def test_dead_kernel_is_replaced_and_reported(home):
    res = run_build(home, "dying", "--jobs", "1", "--outputs", "out")
    text = res.stdout + res.stderr
    assert res.returncode == 1, text
    assert "Traceback" not in text
    m = manifest(home / "out")
    st = {k: r["status"] for k, r in m["reports"].items()}
    assert st == {"2024/894/dying_report": "failed", "2024/894/district_report": "ok", "2024/894/data_quality": "ok"}, st
    error = m["reports"]["2024/894/dying_report"]["error"].lower()
    assert "dead" in error or "died" in error, error
    assert "dying_report" in text


def _in_mount_namespace(script: str, home: Path) -> subprocess.CompletedProcess:
    return subprocess.run(["unshare", "-m", "sh", "-c", script], cwd=home, env=env_for(home), capture_output=True, text=True, timeout=600)


needs_mounts = pytest.mark.skipif(os.geteuid() != 0 or not shutil.which("unshare"), reason="needs root and unshare for a private mount")


@needs_mounts
def test_read_only_outputs_give_a_clear_message(home):
    out = home / "out"
    out.mkdir()
    res = _in_mount_namespace(f"mount --bind -o ro '{out}' '{out}' && exec {BAOCAO[0]} build {PLAN} --outputs out", home)
    text = res.stdout + res.stderr
    assert res.returncode != 0
    assert "Traceback" not in text
    assert "read-only" in text.lower() or "chỉ đọc" in text.lower(), text


@needs_mounts
def test_full_disk_gives_a_clear_message(home):
    out = home / "out"
    out.mkdir()
    res = _in_mount_namespace(f"mount -t tmpfs -o size=300k tmpfs '{out}' && exec {BAOCAO[0]} build {PLAN} --jobs 1 --outputs out", home)
    text = res.stdout + res.stderr
    assert res.returncode != 0
    assert "Traceback" not in text
    assert "space" in text.lower() or "đầy" in text.lower(), text


def test_two_builds_at_once_meet_the_lock(home):
    first = _start(home, PLAN, "--force", "--jobs", "1", "--outputs", "out")
    try:
        lock = home / "out" / ".baocao.lock"
        for _ in range(100):
            if lock.exists():
                break
            time.sleep(0.1)
        time.sleep(1.0)
        second = run_build(home, PLAN, "--outputs", "out")
        text = second.stdout + second.stderr
        assert second.returncode == 2, text
        assert "Traceback" not in text and ("lock" in text.lower() or "đang" in text.lower()), text
    finally:
        out, _ = first.communicate(timeout=600)
    assert first.returncode == 0, out
    assert_consistent(home / "out")


IDLE_WORKER = """\
import multiprocessing, os, signal, sys, time
from concurrent.futures import ProcessPoolExecutor
from baocao import worker

pool = ProcessPoolExecutor(1, mp_context=multiprocessing.get_context("spawn"), initializer=worker.init)
pid = pool.submit(os.getpid).result()  # the worker has run a job and now waits for the next
proc = next(p for p in pool._processes.values() if p.pid == pid)
os.kill(pid, signal.SIGINT)
proc.join(10)
print("exitcode", proc.exitcode, flush=True)
os._exit(0)
"""


def test_an_idle_worker_interrupted_leaves_quietly(tmp_path):
    # A failing build (disk full) interrupts its workers; one waiting for work used to print
    # the pool's KeyboardInterrupt traceback under the build's clear message.
    res = subprocess.run([str(Path(BAOCAO[0]).with_name("python")), "-c", IDLE_WORKER], cwd=tmp_path,
                         capture_output=True, text=True, timeout=120)
    assert "exitcode 130" in res.stdout, res.stdout + res.stderr
    assert "Traceback" not in res.stderr, res.stderr
