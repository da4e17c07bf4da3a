"""Faults: kill -9, Ctrl-C and SIGTERM mid-build and mid-write, a hung worker, a kernel that dies,
a cell that never ends, read-only outputs, a full disk, two builds at once, and the two
deadlocks the worker's old signal handler caused. Each leaves complete, consistent outputs or
a clear message, and no process behind.

No test races the build: the fixture notebook ``held_report`` waits in a cell until the test
creates a file (``BAOCAO_TEST_GATE``), and ``BAOCAO_TEST_HOLD_WRITE`` stops the writing of an
HTML page halfway, so every kill or interrupt lands at a known point. Every wait is bounded;
a process that runs over prints its stacks (tests/conftest.py)."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from test_builder import BAOCAO, FIXTURES, assert_consistent, env_for, make_project, manifest

pytestmark = pytest.mark.slow
PYTHON = str(Path(BAOCAO[0]).with_name("python"))
HELD_PLAN = """\
years: [2022, 2023, 2024]
reports:
  - notebook: held_report
    district: 894
"""
HELD = [f"{y}/894/held_report" for y in (2022, 2023, 2024)]
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
    for nb in ("dying_report", "held_report"):
        shutil.copy(FIXTURES / f"{nb}.ipynb", home / "notebooks" / f"{nb}.ipynb")
    (home / "params" / "dying.yml").write_text(DYING_PLAN, encoding="utf-8")
    (home / "params" / "held.yml").write_text(HELD_PLAN, encoding="utf-8")
    (home / "gate").mkdir()
    return home


def _env(home: Path, **extra) -> dict:
    return {**env_for(home), "BAOCAO_TEST_GATE": str(home / "gate"), **extra}


def _build(procs, home: Path, *args: str, **env) -> subprocess.Popen:
    return procs.start([*BAOCAO, "build", *args], cwd=home, env=_env(home, **env))


def _run(procs, home: Path, *args: str, **env) -> subprocess.CompletedProcess:
    return procs.run([*BAOCAO, "build", *args], cwd=home, env=_env(home, **env))


def _status(out: Path) -> dict:
    try:
        return {k: e["status"] for k, e in manifest(out)["reports"].items()}
    except (FileNotFoundError, KeyError, ValueError):
        return {}


def _kernels(family: list) -> list:
    return [p for p in family if "ipykernel" in " ".join(p.cmdline())]


# ---------------------------------------------------------------- kill -9


def test_builder_killed_with_sigkill_mid_build_leaves_no_process_and_completes_on_the_next_run(home, procs):
    gate, out = home / "gate", home / "out"
    (gate / "release-2022").touch()  # the first report runs through; the second waits
    proc = _build(procs, home, "held", "--jobs", "1", "--outputs", "out")
    procs.until(
        lambda: (gate / "reached-2023").exists() and _status(out).get(HELD[0]) == "ok",
        proc,
        "report 1 written, report 2 running",
    )
    family = procs.family(proc)
    assert len(family) >= 3 and _kernels(family), [
        " ".join(p.cmdline())[:80] for p in family
    ]  # builder, worker, kernel
    os.kill(proc.pid, signal.SIGKILL)  # the builder alone, as `kill -9 PID` does
    proc.wait()
    procs.until_gone(family)  # its worker and the worker's kernel do not outlive it
    m = assert_consistent(out)
    assert {k: e["status"] for k, e in m["reports"].items()} == {HELD[0]: "ok"} and not m["build"]["complete"]
    assert not (gate / "reached-2024").exists(), "an orphaned worker took a queued report"

    (gate / "release").touch()
    again = _run(procs, home, "held", "--jobs", "2", "--outputs", "out")
    assert again.returncode == 0, again.stdout
    m = assert_consistent(out)
    assert sorted(m["reports"]) == HELD and m["build"]["complete"]
    assert m["build"]["counts"] == {"ok": 2, "failed": 0, "skipped": 1, "total": 3}


def test_sigkill_while_a_page_is_written_leaves_consistent_outputs(home, procs, tmp_path):
    gate, out, hold = home / "gate", home / "out", tmp_path / "hold"
    hold.mkdir()
    (gate / "release").touch()
    proc = _build(procs, home, "held", "--jobs", "1", "--outputs", "out", BAOCAO_TEST_HOLD_WRITE=str(hold))
    procs.until(lambda: (hold / "writing").exists(), proc, "the first page half written")
    half = Path((hold / "writing").read_text(encoding="utf-8"))
    assert half.is_file() and half.stat().st_size > 0  # half the page is on disk, under its temporary name
    family = procs.family(proc)
    os.killpg(proc.pid, signal.SIGKILL)
    proc.wait()
    procs.until_gone(family)
    assert half.is_file(), "the kill landed mid-write"
    if (out / "manifest.json").exists():
        m = assert_consistent(out)  # claims nothing it does not have
        assert all(e["status"] != "ok" for e in m["reports"].values())
    assert not list(out.rglob("*.html")), "no page under its final name"

    again = _run(procs, home, "held", "--jobs", "2", "--outputs", "out")
    assert again.returncode == 0, again.stdout
    m = assert_consistent(out)
    assert sorted(m["reports"]) == HELD and {e["status"] for e in m["reports"].values()} == {"ok"}
    assert not list(out.rglob("*.tmp")), "temporary files left behind"


# ---------------------------------------------------------------- Ctrl-C, SIGTERM, a hung worker


@pytest.mark.parametrize("sig", [signal.SIGINT, signal.SIGTERM], ids=["SIGINT", "SIGTERM"])
def test_interrupted_build_stops_its_workers_and_says_so(home, procs, sig):
    gate, out = home / "gate", home / "out"
    (gate / "release-2022").touch()
    proc = _build(procs, home, "held", "--jobs", "1", "--outputs", "out")
    procs.until(
        lambda: (gate / "reached-2023").exists() and _status(out).get(HELD[0]) == "ok",
        proc,
        "report 2 running",
    )
    family = procs.family(proc)
    os.kill(proc.pid, sig)  # Ctrl-C reaches the builder alone: its workers are in groups of their own
    code = procs.wait(proc)
    text = procs.output(proc)
    assert code == 130, text
    assert "Traceback" not in text, text
    assert "đã dừng" in text and "interrupted" in text and "run the build again" in text, text
    procs.until_gone(family)
    assert not (gate / "reached-2024").exists(), "an interrupted worker took a queued report"
    m = assert_consistent(out)
    assert {k: e["status"] for k, e in m["reports"].items()} == {HELD[0]: "ok"} and not m["build"]["complete"]
    assert (out / "index.html").is_file()


def test_a_worker_that_does_not_stop_is_killed_with_its_kernel(home, procs):
    gate = home / "gate"
    proc = _build(procs, home, "held", "--jobs", "1", "--outputs", "out", BAOCAO_STOP_SECONDS="1")
    procs.until(lambda: (gate / "reached-2022").exists(), proc, "report 1 running")
    family = procs.family(proc)
    workers = [p for p in family if "spawn_main" in " ".join(p.cmdline())]
    assert len(workers) == 1 and _kernels(family)
    os.kill(workers[0].pid, signal.SIGSTOP)  # hung: it cannot react to the builder's SIGINT
    os.kill(proc.pid, signal.SIGINT)
    code = procs.wait(proc)
    text = procs.output(proc)
    assert code == 130, text
    assert "were killed with their kernels" in text and "Traceback" not in text, text
    procs.until_gone(family)


def test_a_cell_that_never_ends_times_out(home, procs):
    (home / "params" / "held.yml").write_text(
        "cell_timeout: 15\n" + HELD_PLAN.replace("[2022, 2023, 2024]", "[2022, 2023]"), encoding="utf-8"
    )
    (home / "gate" / "release-2023").touch()  # 2022 waits forever
    res = _run(procs, home, "held", "--jobs", "1", "--outputs", "out")
    assert res.returncode == 1, res.stdout
    st = _status(home / "out")
    assert st == {"2022/894/held_report": "failed", "2023/894/held_report": "ok"}, st
    error = manifest(home / "out")["reports"]["2022/894/held_report"]["error"]
    assert "timed out" in error.lower() and "15 seconds" in error, error
    # the timed-out kernel is stopped: a process of the build still exiting as the build returns
    # (its status read a moment before it became a zombie) must be gone soon, not linger
    procs.until_gone(procs.tagged(), timeout=30)


def test_cell_timeout_is_checked_in_the_plan(home):
    from baocao.build.plans import PlanError, load_plan

    plan = home / "params" / "t.yml"
    assert load_plan(home / "params" / "held.yml", home=home).cell_timeout == 600
    plan.write_text("cell_timeout: 30\n" + HELD_PLAN, encoding="utf-8")
    assert load_plan(plan, home=home).cell_timeout == 30
    for bad in ("0", "-1", "soon", "true"):
        plan.write_text(f"cell_timeout: {bad}\n" + HELD_PLAN, encoding="utf-8")
        with pytest.raises(PlanError, match="cell_timeout"):
            load_plan(plan, home=home)


# ---------------------------------------------------------------- kernels, outputs, locks


def test_dead_kernel_is_replaced_and_reported(home, procs):
    res = _run(procs, home, "dying", "--jobs", "1", "--outputs", "out")
    text = res.stdout
    assert res.returncode == 1, text
    assert "Traceback" not in text
    m = manifest(home / "out")
    st = {k: r["status"] for k, r in m["reports"].items()}
    assert st == {
        "2024/894/dying_report": "failed",
        "2024/894/district_report": "ok",
        "2024/894/data_quality": "ok",
    }, st
    error = m["reports"]["2024/894/dying_report"]["error"].lower()
    assert "dead" in error or "died" in error, error
    assert "dying_report" in text


needs_mounts = pytest.mark.skipif(
    os.geteuid() != 0 or not shutil.which("unshare"), reason="needs root and unshare for a private mount"
)


@needs_mounts
def test_read_only_outputs_give_a_clear_message(home, procs):
    out = home / "out"
    out.mkdir()
    res = procs.run(
        [
            "unshare",
            "-m",
            "sh",
            "-c",
            f"mount --bind -o ro '{out}' '{out}' && exec {BAOCAO[0]} build held --outputs out",
        ],
        cwd=home,
        env=_env(home),
    )
    text = res.stdout
    assert res.returncode != 0
    assert "Traceback" not in text
    assert "read-only" in text.lower() or "chỉ đọc" in text.lower(), text


@needs_mounts
def test_full_disk_gives_a_clear_message_and_stops_every_worker(home, procs):
    # The disk fills on the first page while the second worker runs a report (held): the build
    # stops both workers and their kernels, then prints its message (it used to hang at exit).
    out = home / "out"
    out.mkdir()
    proc = procs.start(
        [
            "unshare",
            "-m",
            "sh",
            "-c",
            f"mount -t tmpfs -o size=200k tmpfs '{out}' "
            f"&& exec {BAOCAO[0]} build small --jobs 2 --outputs out",
        ],
        cwd=home,
        env=_env(home),
    )
    code = procs.wait(proc)
    text = procs.output(proc)
    assert code != 0, text
    assert "Traceback" not in text, text
    assert "space" in text.lower() or "đầy" in text.lower(), text
    procs.until_gone(procs.tagged())


def test_two_builds_at_once_meet_the_lock(home, procs):
    gate = home / "gate"
    first = _build(procs, home, "held", "--jobs", "1", "--outputs", "out")
    procs.until(lambda: (gate / "reached-2022").exists(), first, "the first build running a report")
    second = _run(procs, home, "held", "--outputs", "out")
    assert second.returncode == 2, second.stdout
    assert "Traceback" not in second.stdout and "lock" in second.stdout.lower(), second.stdout
    (gate / "release").touch()
    assert procs.wait(first) == 0, procs.output(first)
    assert_consistent(home / "out")


# ---------------------------------------------------------------- the worker's signal handling


IDLE_WORKER = """\
import multiprocessing, os, signal, sys
from concurrent.futures import ProcessPoolExecutor
from baocao.build import worker

if __name__ == "__main__":
    pool = ProcessPoolExecutor(1, mp_context=multiprocessing.get_context("spawn"), initializer=worker.init)
    pid = pool.submit(os.getpid).result()  # the worker has run a job and now waits for the next
    proc = next(p for p in pool._processes.values() if p.pid == pid)
    os.kill(pid, signal.SIGINT)
    while not pool.submit(worker.stopping).result():  # until the worker has seen the signal
        pass
    job = {"key": "k", "notebook": "x", "notebook_path": sys.argv[1], "cwd": "/", "parameters": {}}
    print("job", pool.submit(worker.execute, job).result()["error"], flush=True)
    pool.shutdown(wait=True)
    proc.join()
    print("exitcode", proc.exitcode, flush=True)
"""


def test_an_idle_worker_interrupted_takes_no_job_and_leaves_quietly(tmp_path, procs):
    # A failing build (disk full) interrupts its workers; one waiting for work used to print
    # the pool's KeyboardInterrupt traceback under the build's clear message.
    script = tmp_path / "idle.py"
    script.write_text(IDLE_WORKER, encoding="utf-8")
    marker = tmp_path / "ran.ipynb"  # the job's notebook: never looked at when the job is not run
    res = procs.run([PYTHON, str(script), str(marker)], cwd=tmp_path)
    assert "job chưa chạy: bản dựng đã dừng / not run: the build was stopped" in res.stdout, res.stdout
    assert "exitcode 0" in res.stdout, res.stdout
    assert "Traceback" not in res.stdout, res.stdout


# Deadlock 1 (before this fix): a worker leaving at the end of a build stops its warm kernel
# (atexit); the builder's SIGINT arrives meanwhile and the old handler ran the same shutdown
# again from inside it (engine._shutdown_all → stop_channels → Thread.join) and hung. The hold
# below models the lock the real shutdown holds: re-entering it never returns.
REENTRANT_SHUTDOWN = """\
import os, pathlib, signal, sys, threading, time
from baocao.build import engine, worker

gate = pathlib.Path(sys.argv[1])
worker.init()
kernel = engine.warm_kernel("python3", os.getcwd())
lock, stop = threading.Lock(), kernel.kc.stop_channels

def held_stop_channels():
    if not lock.acquire(timeout=60):  # re-entered: the old handler hung here
        print("re-entered the kernel shutdown", flush=True)
        os._exit(3)
    (gate / "shutting-down").touch()
    while not (gate / "release").exists():
        time.sleep(0.05)
    stop()

kernel.kc.stop_channels = held_stop_channels
print("kernel", kernel.km.provisioner.process.pid, flush=True)
sys.exit(0)  # leaves through atexit: engine.shutdown_all()
"""


def test_signal_during_the_exit_shutdown_does_not_deadlock(tmp_path, procs):
    gate = tmp_path / "gate"
    gate.mkdir()
    script = tmp_path / "reentrant.py"
    script.write_text(REENTRANT_SHUTDOWN, encoding="utf-8")
    proc = procs.start([PYTHON, str(script), str(gate)], cwd=tmp_path)
    procs.until(lambda: (gate / "shutting-down").exists(), proc, "the worker stopping its kernel at exit")
    family = procs.family(proc)
    os.kill(proc.pid, signal.SIGINT)  # what the builder sends to its workers when a build fails
    (gate / "release").touch()
    code = procs.wait(proc)
    text = procs.output(proc)
    assert "re-entered" not in text, text
    assert code == 0 and "Traceback" not in text, text
    procs.until_gone(family)  # the kernel too


# Deadlock 2 (before this fix): SIGINT reached a worker while it was sending a finished report's
# result (≈ 1 MB) to the builder; the old handler saw the worker idle and called os._exit
# halfway through the write, so the builder waited for the rest of the message forever. Here the
# reader does not read until the worker is blocked in the write (the pipe is full), then the
# signal comes: the whole message must arrive.
MID_SEND = """\
import multiprocessing, os, pathlib, select, signal, struct, sys

def child(conn, gate):
    from baocao.build import worker
    worker.init()
    # as after a report: the worker is not busy, it sends the result
    (pathlib.Path(gate) / "sending").touch()
    conn.send_bytes(b"x" * (8 << 20))  # the result, as the pool's result queue sends it

WRITE = {"x86_64": "1", "aarch64": "64"}[os.uname().machine]

def in_write(pid):  # blocked in write(2): the pipe is full
    fields = pathlib.Path(f"/proc/{pid}/syscall").read_text().split()
    return fields[0] == WRITE

if __name__ == "__main__":
    gate = sys.argv[1]
    ctx = multiprocessing.get_context("spawn")
    reader, writer = ctx.Pipe(duplex=False)
    p = ctx.Process(target=child, args=(writer, gate))
    p.start()
    while not (pathlib.Path(gate) / "sending").exists() or not in_write(p.pid):
        select.select([], [], [], 0.05)
    os.kill(p.pid, signal.SIGINT)
    os.set_blocking(reader.fileno(), False)
    data = bytearray()
    while True:
        select.select([reader.fileno(), p.sentinel], [], [])
        try:
            chunk = os.read(reader.fileno(), 1 << 20)
        except BlockingIOError:
            chunk = None
        if chunk:
            data += chunk
        if len(data) >= 4 and len(data) >= 4 + struct.unpack("!i", bytes(data[:4]))[0]:
            print("complete", len(data) - 4, flush=True)
            break
        if not chunk and not p.is_alive():
            print("incomplete", len(data), "exitcode", p.exitcode, flush=True)
            break
    p.join()
    print("exitcode", p.exitcode, flush=True)
"""


@pytest.mark.skipif(
    not sys.platform.startswith("linux") or os.uname().machine not in ("x86_64", "aarch64"),
    reason="reads /proc/PID/syscall",
)
def test_signal_while_a_worker_sends_its_result_does_not_cut_the_message(tmp_path, procs):
    gate = tmp_path / "gate"
    gate.mkdir()
    script = tmp_path / "midsend.py"
    script.write_text(MID_SEND, encoding="utf-8")
    res = procs.run([PYTHON, str(script), str(gate)], cwd=tmp_path)
    assert f"complete {8 << 20}" in res.stdout, res.stdout
    assert "exitcode 0" in res.stdout and "Traceback" not in res.stdout, res.stdout
