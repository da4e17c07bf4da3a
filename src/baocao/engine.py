"""A papermill engine that keeps one warm kernel per process and resets it between reports.

Starting a kernel and importing pandas, matplotlib, seaborn and baocao costs seconds; the
report itself costs about one. The warm engine starts a kernel once, pre-imports those
modules, and before every notebook restores a clean state: a fresh user namespace and
execution counter, figures closed, matplotlib rcParams and inline-backend settings, pandas
and numpy options, warnings filters, environment variables, ``sys.path`` and the working
directory as they were right after start-up. The kernel is replaced after an error, after
``BAOCAO_WARM_MAX_RUNS`` reports (default 50), when it died, and whenever the baocao source
changed.

Use it from papermill: ``papermill -e baocao-warm in.ipynb out.ipynb`` (registered through
the ``papermill.engine`` entry point) or ``execute_notebook(..., engine_name="baocao-warm")``.
"""

from __future__ import annotations

import atexit
import hashlib
import os
from pathlib import Path

import nbformat
from jupyter_client.manager import AsyncKernelManager
from jupyter_core.utils import run_sync
from papermill.clientwrap import PapermillNotebookClient
from papermill.engines import Engine, NBClientEngine, papermill_engines
from papermill.utils import merge_kwargs, remove_args

PRELOAD = r'''
import gc as _gc, os as _os, sys as _sys, warnings as _warnings, copy as _copy
import numpy as _np, pandas as _pd, matplotlib as _mpl
import matplotlib.pyplot as _plt, seaborn as _sns
import baocao.report, baocao.charts, baocao.html
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
_w.formatters = {k: (dict(f.type_printers), dict(f.deferred_printers)) for k, f in _ip.display_formatter.formatters.items()}
_w.user_keys = set(_ip.user_ns)
'''

RESET = r'''
def __baocao_reset(cwd):
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
    sys.path[:] = w.path
    os.chdir(cwd)
    ip.reset(new_session=True, aggressive=False)
    ip.execution_count = 1
    gc.collect()
__baocao_reset(%r)
'''


def source_hash() -> str:
    """Hash of the baocao package source: a change means the warm kernel must be replaced."""
    root = Path(__file__).resolve().parent
    h = hashlib.sha256()
    for p in sorted(root.rglob("*.py")):
        h.update(str(p.relative_to(root)).encode())
        h.update(p.read_bytes())
    return h.hexdigest()


class WarmKernel:
    """One kernel kept alive across notebooks."""

    def __init__(self, kernel_name: str, cwd: str):
        self.kernel_name = kernel_name
        self.km = AsyncKernelManager(kernel_name=kernel_name)
        run_sync(self.km.start_kernel)(cwd=cwd)
        self.runs = 0
        self.source = source_hash()
        self._run_code(PRELOAD, cwd)

    def _run_code(self, code: str, cwd: str) -> None:
        nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(code)])
        nb.metadata["kernelspec"] = {"name": self.kernel_name, "language": "python", "display_name": "Python 3"}
        from nbclient import NotebookClient

        client = NotebookClient(nb, km=self.km, kernel_name=self.kernel_name, timeout=120, resources={"metadata": {"path": cwd}})
        try:
            client.execute()  # raises CellExecutionError if the snippet fails
        finally:
            if client.kc is not None:
                client.kc.stop_channels()

    def reset(self, cwd: str) -> None:
        self._run_code(RESET % cwd, cwd)

    def alive(self) -> bool:
        return bool(run_sync(self.km.is_alive)())

    def shutdown(self) -> None:
        try:
            run_sync(self.km.shutdown_kernel)(now=True)
        except Exception:  # noqa: BLE001 - best effort at exit
            pass


_warm: WarmKernel | None = None


def _max_runs() -> int:
    return int(os.environ.get("BAOCAO_WARM_MAX_RUNS", "50"))


def warm_kernel(kernel_name: str, cwd: str) -> WarmKernel:
    """This process's warm kernel, replaced when dead, worn out or stale."""
    global _warm
    if _warm is not None and (not _warm.alive() or _warm.runs >= _max_runs() or _warm.source != source_hash() or _warm.kernel_name != kernel_name):
        discard_kernel()
    if _warm is None:
        _warm = WarmKernel(kernel_name, cwd)
    return _warm


def discard_kernel() -> None:
    global _warm
    if _warm is not None:
        _warm.shutdown()
        _warm = None


atexit.register(discard_kernel)


class WarmEngine(Engine):
    """papermill engine ``baocao-warm``: executes on the process's warm, reset kernel."""

    @classmethod
    def execute_managed_notebook(cls, nb_man, kernel_name, log_output=False, stdout_file=None, stderr_file=None, start_timeout=60, execution_timeout=None, **kwargs):
        cwd = os.getcwd()
        kernel = warm_kernel(kernel_name, cwd)
        kernel.reset(cwd)
        kwargs = remove_args(["input_path", "timeout", "startup_timeout"], **kwargs)
        final = merge_kwargs(kwargs, timeout=execution_timeout, kernel_name=kernel_name, log_output=log_output, stdout_file=stdout_file, stderr_file=stderr_file)
        client = PapermillNotebookClient(nb_man, km=kernel.km, **final)
        try:
            nb = client.execute()
        except BaseException:
            discard_kernel()
            raise
        finally:
            if client.kc is not None:
                client.kc.stop_channels()
        kernel.runs += 1
        if any(c.get("metadata", {}).get("papermill", {}).get("exception") for c in nb.cells):
            discard_kernel()  # after any error, the next report gets a fresh kernel
        return nb


papermill_engines.register("baocao-warm", WarmEngine)
__all__ = ["WarmEngine", "NBClientEngine", "warm_kernel", "discard_kernel", "source_hash"]
