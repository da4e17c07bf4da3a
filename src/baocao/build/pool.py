"""A local build's worker processes: running the jobs, and stopping without ever hanging.

:func:`run_local` runs jobs in a pool of spawned worker processes (:mod:`baocao.build.worker`) and
hands each result to ``on_result`` in this process. It stops the same way after Ctrl-C
(SIGINT), SIGTERM or an error of its own (a full disk while writing a report):

1. no new job starts (the pool's queued jobs are cancelled; a worker that already received one
   answers "not run");
2. each worker gets SIGINT: a running report is interrupted and its kernel shut down;
3. the workers are given ``BAOCAO_STOP_SECONDS`` (default 20 s) to leave;
4. a worker still alive then is killed together with its kernel, each as a process group;
5. the interrupt (``KeyboardInterrupt``) or the error goes on to the builder, which writes
   the index and manifest and prints its message.

The signal handlers only count signals; the loop that collects results checks the count
between results, so a report's files and manifest entry are never cut in half. A second
Ctrl-C or SIGTERM skips the wait of step 3. The shutdown runs in normal control flow.
"""

from __future__ import annotations

import contextlib
import multiprocessing
import os
import signal
import threading
import time

from baocao.build import worker

STOP_SECONDS = 20.0


def stop_seconds() -> float:
    """How long stopping workers may finish their report's clean-up before they are killed."""
    try:
        return max(0.0, float(os.environ.get("BAOCAO_STOP_SECONDS", STOP_SECONDS)))
    except ValueError:
        return STOP_SECONDS


class Signals:
    """SIGINT and SIGTERM while the workers run: the handler only counts them; the loop of
    :func:`run_local` checks between results and stops in normal control flow (an exception
    raised inside the pool's own locking could leave a lock held and hang the build)."""

    def __init__(self):
        self.count = 0
        self.name = ""
        self._old: dict = {}

    def _handler(self, signum, frame) -> None:
        self.count += 1
        self.name = self.name or signal.Signals(signum).name

    def hurry(self) -> bool:
        """A second signal came: stop waiting for the workers."""
        return self.count > 1

    @contextlib.contextmanager
    def installed(self):
        """Handle SIGINT and SIGTERM in the block (main thread only; elsewhere: nothing changes)."""
        if threading.current_thread() is not threading.main_thread():
            yield self
            return
        for sig in (signal.SIGINT, signal.SIGTERM):
            self._old[sig] = signal.signal(sig, self._handler)
        try:
            yield self
        finally:
            for sig, old in self._old.items():
                signal.signal(sig, old)


def kill_tree(pid: int) -> None:
    """SIGKILL a worker and everything it started (its kernel), each as a process group."""
    import psutil

    try:
        parent = psutil.Process(pid)
        family = [parent, *parent.children(recursive=True)]
    except psutil.Error:
        return
    own = os.getpgrp()
    for proc in family:
        try:
            pgid = os.getpgid(proc.pid)
            if pgid == proc.pid and pgid != own:  # a group leader: the worker, a kernel
                os.killpg(pgid, signal.SIGKILL)
            else:
                proc.kill()
        except (OSError, psutil.Error):
            pass


def stop_workers(
    pool, procs: list, signals: Signals | None = None, seconds: float | None = None
) -> list[int]:
    """Steps 1–4 of the module doc; returns the ids of the workers that had to be killed."""
    seconds = stop_seconds() if seconds is None else seconds
    pool.shutdown(wait=False, cancel_futures=True)
    for p in procs:
        if p.is_alive():
            try:
                os.kill(p.pid, signal.SIGINT)
            except OSError:
                pass
    end = time.monotonic() + seconds
    for p in procs:
        while p.is_alive() and time.monotonic() < end and not (signals and signals.hurry()):
            p.join(0.1)
    late = [p for p in procs if p.is_alive()]
    for p in late:
        kill_tree(p.pid)
    for p in late:
        p.join(10)
    return [p.pid for p in late]


class EarlyPool:
    """The worker pool, started while the builder still computes data fingerprints (the data
    changed, so reports will most likely run): the workers' kernels start meanwhile."""

    def __init__(self, workers: int, cwd):
        from concurrent.futures import ProcessPoolExecutor

        self.workers = workers
        self.executor = ProcessPoolExecutor(
            max_workers=workers, mp_context=multiprocessing.get_context("spawn"), initializer=worker.init
        )
        for _ in range(workers):
            self.executor.submit(worker.warm_up, str(cwd))

    def close(self) -> None:
        """Nothing to run after all (or the build stopped before): stop the workers and their kernels."""
        procs = list((self.executor._processes or {}).values())
        stop_workers(self.executor, procs)


def run_local(jobs: list[dict], workers: int, on_result, console=None, executor=None) -> None:
    """Run ``jobs`` on ``workers`` processes (``executor``: a pool already started, e.g. an
    :class:`EarlyPool`'s); ``on_result(job, result)`` for each, in this process, as they finish.
    Ctrl-C or SIGTERM: ``KeyboardInterrupt`` once the workers are stopped."""
    from concurrent.futures import FIRST_COMPLETED, ProcessPoolExecutor, wait

    from baocao.build.execute import finish_report

    signals = Signals()
    pool = executor or ProcessPoolExecutor(
        max_workers=workers, mp_context=multiprocessing.get_context("spawn"), initializer=worker.init
    )
    procs: list = list((pool._processes or {}).values())
    with signals.installed():
        try:
            # Workers execute; this process exports the HTML of one report while they run the next.
            futures = {}
            for job in jobs:
                futures[pool.submit(worker.execute, job)] = job
                procs = list((pool._processes or {}).values())  # spawned on demand by submit
            while futures:
                if signals.count:
                    raise KeyboardInterrupt
                done, _ = wait(futures, timeout=0.25, return_when=FIRST_COMPLETED)
                for fut in done:
                    if signals.count:
                        raise KeyboardInterrupt
                    job = futures.pop(
                        fut
                    )  # a kept future would keep its executed notebook (≈ 1 MB) to the end of the build
                    on_result(job, _result(fut, job, finish_report))
        except BaseException as err:
            why = signals.name or ("SIGINT" if isinstance(err, KeyboardInterrupt) else type(err).__name__)
            if console is not None:
                console.print(f"[yellow]đang dừng các tiến trình… / stopping the workers ({why})…[/]")
            killed = stop_workers(pool, procs, signals)
            if killed and console is not None:
                console.print(
                    f"[yellow]{len(killed)} tiến trình không dừng kịp, đã buộc dừng cùng kernel / "
                    f"{len(killed)} worker(s) did not stop within {stop_seconds():g} s and were killed with "
                    "their kernels[/]"
                )
            raise
        pool.shutdown(wait=True)


def _result(fut, job: dict, finish_report) -> dict:
    exc = fut.exception()
    if exc is None:
        try:
            return finish_report(job, fut.result())
        except Exception as err:  # noqa: BLE001 - an export error fails its report, not the build
            return worker.failed_result(job, f"{type(err).__name__}: {err}")
    if isinstance(exc, (Exception, KeyboardInterrupt)):  # a dead worker; a worker interrupted by someone else
        return worker.failed_result(job, f"{type(exc).__name__}: {exc}")
    raise exc
