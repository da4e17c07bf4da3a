"""JupyterLab as the analyst's workbench: what ``./run lab`` adds to a plain ``jupyter lab``.

``./run lab`` puts the project's ``jupyter/`` folder on ``JUPYTER_CONFIG_PATH``; its
``jupyter_server_config.py`` names :func:`strip_on_save` as the contents manager's pre-save
hook and :class:`LabContentsManager` as the contents manager (jupytext derives its own from
it), and loads this module as a server extension, which prints where the lab is and what to do
next once it listens. The same folder turns JupyterLab's autosave off, shuts a notebook's
kernel down when its tab closes, runs kernels over ipc and culls idle ones (README, "Editing
guide").

:func:`strip_on_save` keeps the repository clean whatever an analyst runs: a saved notebook
has no outputs, no execution counts and no per-machine metadata (the kernel's
``language_info``, JupyterLab's cell timings and view state). Jupytext's contents manager writes
both files of a pair through the server's own ``save``, so the hook sees the ``.ipynb`` (a
notebook model) and lets the ``.py`` (a text file model, which never holds outputs) pass.

:class:`LabContentsManager` is the other half: a notebook is opened with the ``language_info``
the kernel is about to report, so JupyterLab, which sets it from the kernel, finds nothing to
change and does not mark the notebook as modified.
"""

from __future__ import annotations

import copy
import sys

from jupyter_server.services.contents.largefilemanager import AsyncLargeFileManager

# What a saved notebook never holds, besides outputs and execution counts: nbstripout's own
# defaults (view state, timings, widget state, trust signature) and the kernel's language_info
# (its Python version differs from machine to machine). The kernelspec stays: papermill and the
# builder read the kernel's name from it.
STRIP_KEYS = (
    "metadata.signature",
    "metadata.widgets",
    "metadata.language_info",
    "cell.metadata.collapsed",
    "cell.metadata.ExecuteTime",
    "cell.metadata.execution",
    "cell.metadata.heading_collapsed",
    "cell.metadata.hidden",
    "cell.metadata.scrolled",
)


def strip_notebook(content: dict) -> dict:
    """A notebook (as a JSON-like dict) without outputs, execution counts and the keys of
    :data:`STRIP_KEYS`; cell ids are kept (JupyterLab and the jupytext pair rely on them)."""
    import nbformat
    from nbstripout import strip_output

    nb = nbformat.from_dict(content)
    return strip_output(nb, keep_output=False, keep_count=False, keep_id=True, extra_keys=list(STRIP_KEYS))


def strip_on_save(model: dict, path: str = "", contents_manager=None, **kwargs) -> None:
    """Jupyter's pre-save hook (``c.ContentsManager.pre_save_hook``): a notebook model is saved
    stripped (:func:`strip_notebook`); any other file as it is. Modifies ``model`` in place."""
    if model.get("type") == "notebook" and isinstance(model.get("content"), dict):
        model["content"] = strip_notebook(model["content"])


# ---------------------------------------------------------------- opening


def kernel_language_info() -> dict:
    """What a Python kernel of this environment reports as ``language_info`` (ipykernel's own
    dict: the kernels of ``./run lab`` run the server's own Python)."""
    from ipykernel.ipkernel import IPythonKernel

    return copy.deepcopy(IPythonKernel.language_info)


def with_language_info(content: dict) -> dict:
    """A Python notebook (JSON-like dict) given the kernel's ``language_info`` when it has none
    (the saved files never have one: :data:`STRIP_KEYS`). Modifies and returns ``content``."""
    meta = content.setdefault("metadata", {})
    if meta.get("kernelspec", {}).get("language") == "python" and "language_info" not in meta:
        meta["language_info"] = kernel_language_info()
    return content


class LabContentsManager(AsyncLargeFileManager):
    """Jupyter's file contents manager, opening a Python notebook with the ``language_info``
    its kernel will report (:func:`with_language_info`): opening marks nothing as changed."""

    async def get(self, path, content=True, type=None, format=None, require_hash=False):
        model = await super().get(path, content=content, type=type, format=format, require_hash=require_hash)
        if content and model.get("type") == "notebook" and isinstance(model.get("content"), dict):
            with_language_info(model["content"])
        return model


# ---------------------------------------------------------------- kernels


def kernel_transport(runtime_dir: str | None = None) -> str:
    """``"ipc"`` (Unix sockets in Jupyter's runtime folder, private to the user; no TCP port to
    race for and no "running over TCP without encryption" warning, as the builder's kernels,
    :func:`baocao.build.engine.kernel_manager`) where the sockets' paths fit (≈ 107 bytes);
    ``"tcp"`` on Windows or under a very long runtime folder."""
    if sys.platform == "win32":
        return "tcp"
    from baocao.build.engine import ipc_stem  # the builder's own rule for the sockets' length

    if runtime_dir is None:
        from jupyter_core.paths import jupyter_runtime_dir

        runtime_dir = jupyter_runtime_dir()
    return "ipc" if ipc_stem(runtime_dir) else "tcp"


# ---------------------------------------------------------------- the server extension

GUIDE = """
baocao lab: JupyterLab on the report notebooks (notebooks/), with the project's kernel.
  Open   {url}{given}
  Then   open a report (district_report.ipynb …) and Run All (Run › Run All Cells, or ▶▶);
         change a parameter in the first cell and run again; save with Ctrl+S (outputs are not
         saved: only your edit reaches the files); build the pages with ./run reports.
  Stop   Ctrl+C here. A closed tab stops its kernel; an idle kernel without a tab stops after
         {cull} min.
"""


def _jupyter_server_extension_points():
    return [{"module": "baocao.build.lab"}]


def _load_jupyter_server_extension(serverapp) -> None:
    """Print :data:`GUIDE` once the server listens (its loop runs callbacks only after start)."""

    def guide() -> None:
        url = serverapp.public_url
        cull = serverapp.kernel_manager.cull_idle_timeout
        given = "  (… is the token you gave)" if "token=..." in url else ""
        text = GUIDE.format(url=url, given=given, cull=round(cull / 60) if cull else "∞")
        print(text, file=sys.stderr, flush=True)

    serverapp.io_loop.add_callback(guide)
