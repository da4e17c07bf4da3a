"""What runs in a local build's pool worker: the job itself, and the worker's start-up.

Kept apart from :mod:`baocao.build.builder` so that a worker imports only what executing a report
needs (papermill, nbclient, the warm engine): the builder's plan, unit and catalogue code
brings pandas with it, ≈ 60 MB in every worker for nothing (the kernel, not the worker, runs
the report's pandas code). The spawned worker also re-imports the ``baocao`` command's module,
so :mod:`baocao.cli` keeps its heavy imports inside ``main``.

Stopping (see :mod:`baocao.build.pool` for the builder's side):

- SIGINT or SIGTERM only set a flag, and raise ``KeyboardInterrupt`` once if a report is
  running (nbclient stops; the engine shuts that report's kernel down in normal control flow).
  They never run shutdown code or exit: a handler that did could interrupt the worker halfway
  through sending a result (the builder then waits for the rest forever) or re-enter the kernel
  shutdown the exit handler is already running (and deadlock).
- A worker that was told to stop answers every job it still receives with "not run", at once,
  and leaves when the pool sends it its end-of-work marker; its warm kernel is stopped at exit.
- A worker whose builder died (even by SIGKILL) is killed by Linux (``PR_SET_PDEATHSIG``); its
  kernel notices its parent is gone within a second (ipykernel's parent poller) and exits. A
  watchdog thread does the same where there is no ``PR_SET_PDEATHSIG``.
- ``SIGUSR1`` prints the stacks of all threads to stderr (faulthandler), for hung tests.
"""

from __future__ import annotations

import os
import signal
import sys
import time

_busy = False  # a report is running in this worker: the first interrupt stops it
_stopping = False  # interrupted or orphaned: run nothing more
INTERRUPTED = "interrupted / bị dừng giữa chừng"
NOT_RUN = "chưa chạy: bản dựng đã dừng / not run: the build was stopped"


def stopping() -> bool:
    """True once the worker was interrupted or lost its builder."""
    return _stopping


def failed_result(job: dict, error: str, **extra) -> dict:
    """The result of a report that did not run through (``error``: what to tell the user)."""
    from baocao.build.execute import notebook_title, one_line, utc_now

    return {
        "key": job["key"],
        "status": "failed",
        "error": one_line(error),
        "started": utc_now(),
        "duration": 0.0,
        "ipynb": None,
        "html": None,
        "title": "",
        "notebook_title": notebook_title(job),
        "headline": [],
        "host": "",
        **extra,
    }


def execute(job: dict) -> dict:
    """What a pool worker runs for a report. A worker that was told to stop runs nothing; an
    interrupt during the report ends it with an "interrupted" result (the builder does not
    record results once it is stopping)."""
    global _busy
    if _stopping:
        return failed_result(job, NOT_RUN, nb=None)
    from baocao.build.execute import execute_report

    try:
        _busy = True
        return execute_report(job)
    except KeyboardInterrupt:
        return failed_result(job, INTERRUPTED, nb=None)
    finally:
        _busy = False


def _on_signal(signum, frame) -> None:
    """SIGINT / SIGTERM in a pool worker: mark the worker stopping; interrupt a running report
    once. Nothing else (see the module doc)."""
    global _stopping, _busy
    _stopping = True
    if _busy:
        _busy = False  # once: a second signal must not break the report's clean-up
        raise KeyboardInterrupt


def _parent_death_signal(signum: int) -> bool:
    """Ask Linux to send ``signum`` to this process when its parent dies (PR_SET_PDEATHSIG)."""
    if not sys.platform.startswith("linux"):
        return False
    try:
        import ctypes

        libc = ctypes.CDLL(None, use_errno=True)
        return libc.prctl(1, int(signum), 0, 0, 0) == 0  # PR_SET_PDEATHSIG = 1
    except (OSError, AttributeError):
        return False


def _orphaned() -> None:
    """The builder is gone: stop the kernels and leave without taking another job."""
    global _stopping
    _stopping = True
    from baocao.build import engine

    engine.kill_all()
    os._exit(1)  # not from a signal handler: from the watchdog thread, nothing to finish


def init() -> None:
    """Start-up of a pool worker (the pool's ``initializer``)."""
    import faulthandler
    import threading

    from baocao.build.lean_imports import skip_unused_optional_imports

    skip_unused_optional_imports()

    signal.signal(signal.SIGINT, _on_signal)
    signal.signal(signal.SIGTERM, _on_signal)
    if hasattr(signal, "SIGUSR1"):
        try:
            faulthandler.register(signal.SIGUSR1, all_threads=True)
        except (OSError, ValueError, AttributeError):  # stderr is no file
            pass
    try:
        os.setpgid(
            0, 0
        )  # a group of its own: the builder stops it; a terminal Ctrl-C reaches the builder only
    except (OSError, AttributeError):
        pass
    parent = os.getppid()
    _parent_death_signal(signal.SIGKILL)
    if os.getppid() != parent:  # pragma: no cover - the builder died before the line above
        _orphaned()

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(0.5)
        _orphaned()

    threading.Thread(target=watch, name="baocao-parent-watch", daemon=True).start()


def warm_up(cwd: str) -> None:
    """A pool task: start this worker's warm kernel now (the builder is still hashing the inputs)."""
    from baocao.build import engine
    from baocao.build.execute import KERNEL_ARGS

    engine.warm_kernel("python3", cwd, list(KERNEL_ARGS))
