"""A papermill engine that keeps one warm kernel per worker thread and resets it between reports.

Starting a kernel and importing pandas, matplotlib, seaborn and baocao costs seconds; the
report itself costs about one. The warm engine starts a kernel once, pre-imports those
modules, and before every notebook restores a clean state: a fresh user namespace and
execution counter, figures closed, matplotlib rcParams and inline-backend settings, pandas
and numpy options, warnings filters, environment variables, ``sys.path`` and the working
directory as they were right after start-up. The kernel is replaced after an error, after
``BAOCAO_WARM_MAX_RUNS`` reports (default 500), when its memory passed ``BAOCAO_WARM_MAX_MB``
(default 1024 MB resident), when it died, and whenever the baocao source changed. Its memory
stays flat from report to report (a reset frees the last one), so a large plan need not pay
a kernel start (≈ 3 s of CPU) every few dozen reports; the memory limit is the guard.

Use it from papermill: ``papermill -e baocao-warm in.ipynb out.ipynb`` (registered through
the ``papermill.engine`` entry point) or ``execute_notebook(..., engine_name="baocao-warm")``.
"""

from __future__ import annotations

import atexit
import os
import signal
import sys
import tempfile
import threading
import uuid

from jupyter_client.manager import AsyncKernelManager
from jupyter_core.utils import run_sync

from baocao import config
from baocao.io.filestamps import source_hash

# No papermill import up here: papermill loads its entry points (this module) while it is
# itself being imported, so WarmEngine must exist before this module imports papermill.

PRELOAD = r"""
import gc as _gc, os as _os, sys as _sys, warnings as _warnings, copy as _copy
import numpy as _np, pandas as _pd, matplotlib as _mpl
import matplotlib.pyplot as _plt, seaborn as _sns
import baocao.reports.local.district, baocao.reports.local.commune, baocao.reports.local.data_quality
import baocao.reports.charts
from matplotlib_inline.config import InlineBackend as _IB
_ip = get_ipython()
_sys.modules["__baocao_warm__"] = type(_sys)("__baocao_warm__")
_w = _sys.modules["__baocao_warm__"]
_w.rc = _copy.deepcopy(dict(_mpl.rcParams))
_w.np = _np.get_printoptions()
_w.warnings = list(_warnings.filters)
_w.environ = dict(_os.environ)
_w.path = list(_sys.path)
_w.ib = {k: _copy.deepcopy(getattr(_IB.instance(), k)) for k in _IB.class_trait_names(config=True)}
_w.formatters = {k: (dict(f.type_printers), dict(f.deferred_printers))
                 for k, f in _ip.display_formatter.formatters.items()}
_w.user_keys = set(_ip.user_ns)
_gc.collect(); _gc.freeze()  # the imported modules: later collections need not scan them
"""

RESET = r"""
def __baocao_reset(cwd, env_set, env_del):
    import gc, os, sys, warnings
    import numpy as np, pandas as pd, matplotlib as mpl, matplotlib.pyplot as plt
    from matplotlib_inline.config import InlineBackend
    w = sys.modules["__baocao_warm__"]
    ip = get_ipython()
    warnings.filters[:] = w.warnings; warnings._filters_mutated()
    plt.close("all")
    mpl.rcParams.clear(); mpl.rcParams.update(w.rc)
    ib = InlineBackend.instance()
    for k, v in w.ib.items():
        setattr(ib, k, v)
    for k, (types, deferred) in w.formatters.items():
        f = ip.display_formatter.formatters[k]
        f.type_printers.clear(); f.type_printers.update(types)
        f.deferred_printers.clear(); f.deferred_printers.update(deferred)
    warnings.filters[:] = w.warnings; warnings._filters_mutated()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # resetting announces deprecated options
        pd.reset_option("all")
    np.set_printoptions(**w.np)
    os.environ.clear(); os.environ.update(w.environ)
    os.environ.update(env_set)  # what changed in the caller's environment since the kernel started
    for k in env_del:
        os.environ.pop(k, None)
    sys.path[:] = w.path
    os.chdir(cwd)
    ip.reset(new_session=True, aggressive=False)
    ip.execution_count = 1
    gc.collect()  # the last report's objects (ip.reset collects before it clears the namespace)
    gc.freeze()  # what is left is modules and caches: later collections need not scan it again
__baocao_reset(%r, %r, %r)
"""


def ipc_stem(folder: str) -> str | None:
    """``folder/kernel-ID`` for a kernel's ipc sockets, or None when the socket paths would be
    too long for a Unix socket (≈ 107 bytes; the sockets are ``STEM-ipc-N``)."""
    stem = os.path.join(folder, f"kernel-{uuid.uuid4()}")
    return stem if len(os.fsencode(stem)) + len("-ipc-99") < 100 else None


def kernel_manager(kernel_name: str = "python3", **kwargs) -> AsyncKernelManager:
    """A kernel manager whose kernel cannot collide with another over ports.

    With TCP, jupyter_client picks five free ports, closes them and lets the kernel bind them
    later; a kernel started meanwhile by another process may take one (``ZMQError: Address
    already in use``, or "Kernel died before replying to kernel_info"). On Linux the kernel talks
    over ipc (Unix sockets) instead, named after its connection file, which is unique: nothing to
    race for. The connection file goes to Jupyter's runtime folder, or to the temp folder when
    that path is too long for a socket. Elsewhere: TCP, as before."""
    if not sys.platform.startswith("linux") or "transport" in kwargs:
        return AsyncKernelManager(kernel_name=kernel_name, **kwargs)
    from jupyter_core.paths import jupyter_runtime_dir

    runtime = jupyter_runtime_dir()
    try:
        os.makedirs(runtime, mode=0o700, exist_ok=True)
        stem = ipc_stem(runtime)
    except OSError:
        stem = None
    stem = stem or ipc_stem(tempfile.gettempdir())
    if stem is None:  # pragma: no cover - a temp folder with a very long path
        return AsyncKernelManager(kernel_name=kernel_name, **kwargs)
    return AsyncKernelManager(
        kernel_name=kernel_name, transport="ipc", connection_file=stem + ".json", ip=stem + "-ipc", **kwargs
    )


class WarmKernel:
    """One kernel, and one client connected to it, kept alive across notebooks.

    Keeping the client matters as much as keeping the kernel: a new client waits for the
    kernel to be ready and then drains IOPub for 0.2 s (jupyter_client's ``wait_for_ready``)."""

    def __init__(self, kernel_name: str, cwd: str, extra_arguments: list[str] | None = None):
        self.kernel_name = kernel_name
        self.extra_arguments = list(extra_arguments or [])
        self.environ = dict(os.environ)  # the caller's environment the kernel inherited
        args = list(self.extra_arguments)
        if not any(a.startswith("--HistoryManager.hist_file") for a in args):
            args.append(
                "--HistoryManager.hist_file=:memory:"
            )  # as nbclient starts kernels: no ~/.ipython writes
        self.km = kernel_manager(kernel_name)
        run_sync(self.km.start_kernel)(cwd=cwd, extra_arguments=args)
        self.runs = 0
        self.source = source_hash()
        try:
            self.kc = self.km.client()
            self.kc.start_channels()
            run_sync(self.kc.wait_for_ready)(timeout=60)
            self.kc.allow_stdin = False
            self.run_code(PRELOAD)
        except BaseException:
            self.shutdown()
            raise

    def run_code(self, code: str, timeout: float = 120) -> None:
        """Run ``code`` silently (no execution count, no history); raise if it fails."""
        errors: list[str] = []

        def hook(msg):
            if msg["msg_type"] == "error":
                errors.append(f"{msg['content'].get('ename')}: {msg['content'].get('evalue')}")

        reply = run_sync(self.kc.execute_interactive)(
            code, silent=True, store_history=False, timeout=timeout, output_hook=hook
        )
        content = reply.get("content", {})
        if content.get("status") != "ok":
            raise RuntimeError(
                f"warm kernel set-up failed: {content.get('ename')}: {content.get('evalue')}"
                + (f" ({errors[0]})" if errors else "")
            )

    def reset(self, cwd: str) -> None:
        """Restore the start-up state; the environment becomes what a kernel started now would get
        (libraries imported by the caller, e.g. pandera, set variables after the kernel started)."""
        env_set = {k: v for k, v in os.environ.items() if self.environ.get(k) != v}
        env_del = sorted(k for k in self.environ if k not in os.environ)
        self.run_code(RESET % (cwd, env_set, env_del))

    def alive(self) -> bool:
        return bool(run_sync(self.km.is_alive)())

    def pid(self) -> int | None:
        """The kernel's process id (None once it is gone)."""
        process = getattr(getattr(self.km, "provisioner", None), "process", None)
        return getattr(process, "pid", None)

    def shutdown(self) -> None:
        kc = getattr(self, "kc", None)
        if kc is not None:
            kc.stop_channels()
        try:
            run_sync(self.km.shutdown_kernel)(now=True)
        except Exception:  # noqa: BLE001 - best effort at exit
            pass


# One warm kernel per thread (a kernel client belongs to its thread's event loop; a Dask
# worker with several threads gets one kernel each). _ALL lets the exit handler stop them all.
_local = threading.local()
_ALL: set[WarmKernel] = set()


def last_notebook():
    """The notebook this thread's last run executed, as papermill left it: after
    ``papermill.execute_notebook`` raised ``PapermillExecutionError``, the partial notebook with
    papermill's error cells (which its public API does not return). None before any run."""
    return getattr(_local, "last_notebook", None)


def current_kernel() -> WarmKernel | None:
    """This thread's warm kernel, if it has one."""
    return getattr(_local, "kernel", None)


def _cancel_pending() -> None:
    """After an interrupt, cancel what the client left running on this thread's event loop:
    its cell would otherwise fail once the kernel is shut down, and asyncio would print
    "Task exception was never retrieved" with a traceback at exit."""
    import asyncio

    from jupyter_core.utils import ensure_event_loop

    loop = ensure_event_loop()
    if loop.is_running():
        return
    pending = [t for t in asyncio.all_tasks(loop) if not t.done()]
    for task in pending:
        task.cancel()
    if pending:
        loop.run_until_complete(asyncio.gather(*pending, return_exceptions=True))


def _resident_mb(pid: int | None) -> float:
    """Resident memory of process ``pid`` in MB (0 when it is gone)."""
    import psutil

    try:
        return psutil.Process(pid).memory_info().rss / 2**20 if pid else 0.0
    except psutil.Error:
        return 0.0


def _stale(kernel: WarmKernel, kernel_name: str, extra_arguments: list[str]) -> str | None:
    """Why ``kernel`` cannot run the next notebook ("" or None: it can)."""
    if kernel.kernel_name != kernel_name or kernel.extra_arguments != extra_arguments:
        return "another kernel or kernel arguments"
    max_runs, max_mb = config.warm_kernel_limits()
    if kernel.runs >= max_runs:
        return "worn out"
    if _resident_mb(kernel.pid()) > max_mb:
        return "grown too large"
    if kernel.source != source_hash():
        return "the baocao source changed"
    if not kernel.alive():
        return "dead"
    return None


def warm_kernel(kernel_name: str, cwd: str, extra_arguments: list[str] | None = None) -> WarmKernel:
    """This thread's warm kernel, replaced when dead, worn out, stale or started differently."""
    extra_arguments = list(extra_arguments or [])
    kernel = current_kernel()
    if kernel is not None and _stale(kernel, kernel_name, extra_arguments):
        discard_kernel()
    if current_kernel() is None:
        _local.kernel = WarmKernel(kernel_name, cwd, extra_arguments)
        _ALL.add(_local.kernel)
    return _local.kernel


def discard_kernel() -> None:
    """Shut this thread's warm kernel down (the next notebook gets a new one).

    The kernel stays in the list the exit handler stops until it is down: an interrupt during
    the shutdown must not leave a kernel that nothing stops."""
    kernel = current_kernel()
    if kernel is not None:
        _local.kernel = None
        kernel.shutdown()
        _ALL.discard(kernel)  # only now: interrupted above, it stays for the exit handler


def kernels() -> list[WarmKernel]:
    """The warm kernels of this process not yet shut down (every thread's)."""
    return list(_ALL)


def shutdown_all() -> None:
    """Stop every warm kernel of this process (at exit; normal control flow only, never from a
    signal handler: it joins the client's threads, and a handler re-entering it deadlocks)."""
    for kernel in list(_ALL):
        kernel.shutdown()
        _ALL.discard(kernel)


def kill_all() -> None:
    """Kill every warm kernel of this process at once (SIGKILL to its process group) without
    touching the clients: for a worker that lost its builder and is about to exit."""
    for kernel in list(_ALL):
        pid = kernel.pid()
        if pid:
            try:
                os.killpg(pid, signal.SIGKILL)  # jupyter_client starts each kernel in a session of its own
            except (OSError, AttributeError):  # gone; no process groups here
                pass


atexit.register(shutdown_all)


class WarmEngine:
    """papermill engine ``baocao-warm``: executes on the thread's warm, reset kernel.

    Same interface as ``papermill.engines.Engine`` (whose ``execute_notebook`` it reuses),
    without subclassing it at import time (see the note on imports above)."""

    @classmethod
    def execute_notebook(cls, nb, kernel_name, **kwargs):
        from papermill.engines import Engine

        _local.last_notebook = None
        nb = Engine.execute_notebook.__func__(cls, nb, kernel_name, **kwargs)
        _local.last_notebook = nb  # papermill marks its error cells in this very object, then raises
        return nb

    @classmethod
    def nb_kernel_name(cls, nb, name=None):
        from papermill.engines import Engine

        return Engine.nb_kernel_name.__func__(cls, nb, name)

    @classmethod
    def nb_language(cls, nb, language=None):
        from papermill.engines import Engine

        return Engine.nb_language.__func__(cls, nb, language)

    @classmethod
    def execute_managed_notebook(
        cls,
        nb_man,
        kernel_name,
        log_output=False,
        stdout_file=None,
        stderr_file=None,
        start_timeout=60,
        execution_timeout=None,
        **kwargs,
    ):
        from papermill.clientwrap import PapermillNotebookClient
        from papermill.utils import merge_kwargs, remove_args

        cwd = os.getcwd()
        kernel = warm_kernel(kernel_name, cwd, kwargs.get("extra_arguments"))
        try:
            kernel.reset(cwd)
        except BaseException:
            discard_kernel()
            raise
        kwargs = remove_args(["input_path", "timeout", "startup_timeout", "extra_arguments"], **kwargs)
        final = merge_kwargs(
            kwargs,
            timeout=execution_timeout,
            kernel_name=kernel_name,
            log_output=log_output,
            stdout_file=stdout_file,
            stderr_file=stderr_file,
        )
        client = PapermillNotebookClient(nb_man, km=kernel.km, **final)
        client.kc = kernel.kc  # connected and ready: no start-up wait (the client leaves it open)
        try:
            nb = client.execute()
        except BaseException:  # an interrupt (SIGINT from the builder), a dead kernel, a timeout
            _cancel_pending()
            discard_kernel()
            raise
        kernel.runs += 1
        if any(c.get("metadata", {}).get("papermill", {}).get("exception") for c in nb.cells):
            discard_kernel()  # after any error, the next report gets a fresh kernel
        return nb


from papermill.engines import papermill_engines  # noqa: E402 - after WarmEngine exists (see above)

papermill_engines.register("baocao-warm", WarmEngine)  # also registered by the entry point
__all__ = [
    "WarmEngine",
    "current_kernel",
    "warm_kernel",
    "discard_kernel",
    "kernel_manager",
    "kernels",
    "kill_all",
    "shutdown_all",
    "source_hash",
]
