"""What runs in a local build's pool worker: the job itself, and the worker's start-up.

Kept apart from :mod:`baocao.builder` so that a worker imports only what executing a report
needs (papermill, nbclient, the warm engine): the builder's plan, unit and catalogue code
brings pandas with it, ≈ 60 MB in every worker for nothing (the kernel, not the worker, runs
the report's pandas code). The spawned worker also re-imports the ``baocao`` command's module,
so :mod:`baocao.cli` keeps its heavy imports inside ``main``."""

from __future__ import annotations

import os
import signal
import sys
import time

_busy = False


def execute(job: dict) -> dict:
    """What a pool worker runs for a report (marks the worker busy, for the SIGINT handler)."""
    from baocao.render import execute_report

    global _busy
    _busy = True
    try:
        return execute_report(job)
    finally:
        _busy = False


def _sigint(signum, frame) -> None:
    """SIGINT in a pool worker: a running report is interrupted (nbclient shuts its kernel
    down); an idle worker stops its warm kernel and leaves quietly, without the traceback of
    the pool's queue read that the default handler would print."""
    if _busy:
        raise KeyboardInterrupt
    try:
        from baocao import engine

        engine._shutdown_all()
    finally:
        os._exit(130)


def init() -> None:
    """Pool workers die with the builder, even when it is killed with SIGKILL: Linux sends
    them SIGINT (nbclient then shuts the running kernel down; an idle worker stops its kernel
    and exits), and a watchdog thread ends the worker a few seconds after its parent is gone
    (it would otherwise wait for work forever)."""
    import threading

    signal.signal(signal.SIGINT, _sigint)
    parent = os.getppid()
    if sys.platform.startswith("linux"):
        try:
            import ctypes

            ctypes.CDLL("libc.so.6", use_errno=True).prctl(1, int(signal.SIGINT))  # PR_SET_PDEATHSIG
        except (OSError, AttributeError):
            pass

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(0.5)
        time.sleep(5)  # let nbclient shut the kernel down
        os._exit(1)

    threading.Thread(target=watch, name="baocao-parent-watch", daemon=True).start()
