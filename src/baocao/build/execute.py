"""Execute and export ONE report: the unit of work of every build path.

``render_report(job) -> result`` runs a notebook with papermill (in process, on the
worker's warm kernel: :mod:`baocao.build.engine`), and for a successful run exports the HTML
(cells in the other language removed, no code) and takes the report title and headline
figures for the index page from the title block's output. It writes no file: the result
carries the executed notebook (metadata stripped) and the HTML as text, so the same function
serves a Dask cluster and the tests. It is :func:`execute_report` then :func:`finish_report`;
the local process pool runs the first half in its workers and the second in the builder.

A job is a plain dict (picklable, JSON-able); see :func:`baocao.build.builder.make_job`::

    {"key": "2024/894/district_report", "notebook": "district_report",
     "notebook_path": "/abs/notebooks/district_report.ipynb", "cwd": "/abs/notebooks",
     "home": "/abs", "kind": "district", "lang": "vi", "kernel": "python3",
     "parameters": {"district": "894", "year": 2024, "lang": "vi"}}

The result::

    {"key", "status": "ok" | "failed", "error": one line or "", "started": ISO time (UTC),
     "duration": seconds, "ipynb": executed notebook JSON text or None,
     "html": page text or None, "title", "notebook_title", "headline": [[label, value], ...],
     "host": worker host name}
"""

from __future__ import annotations

import contextlib
import copy
import functools
import os
import re
import socket
import time
import traceback
from datetime import UTC, datetime
from pathlib import Path

from baocao.io.filestamps import stamp

LANG_TAGS = ("vi", "en")
# The warm-kernel engine (baocao.build.engine): one kernel per worker process, reset between reports.
ENGINE = "baocao-warm"
KERNEL_ARGS = ["--IPKernelApp.log_level=CRITICAL"]  # no "running over TCP" warning on every run
ANSI = re.compile(r"\x1b\[[0-9;]*[A-Za-z]")


def one_line(text: str, limit: int = 400) -> str:
    """An error message as one plain line (no colour codes, no newlines), at most ``limit`` chars."""
    text = ANSI.sub("", str(text))
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def select_language(nb, lang: str):
    """``nb`` without the cells tagged with a language other than ``lang``: a new notebook whose
    cells are those of ``nb`` (not copies: do not modify them; the exporter copies what it changes)."""
    out = copy.copy(nb)
    other = {t for t in LANG_TAGS if t != lang}
    out.cells = [c for c in nb.cells if not (other & set(c.get("metadata", {}).get("tags", [])))]
    return out


@contextlib.contextmanager
def _environ(**values):
    old = {k: os.environ.get(k) for k in values}
    os.environ.update({k: v for k, v in values.items() if v is not None})
    try:
        yield
    finally:
        for k, v in old.items():
            if v is None:
                os.environ.pop(k, None)
            else:
                os.environ[k] = v


def utc_now() -> str:
    """Now, UTC, to the second, as ISO 8601 with a Z (manifest times; never in a page)."""
    return datetime.now(UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z")


def notebook_title(job: dict) -> str:
    """The report type's title in the report language (the notebook name for other notebooks)."""
    from baocao.reports import registry

    return registry.title(job.get("kind"), job.get("lang", "vi")) or job["notebook"]


def describe(job: dict) -> dict:
    """Title, notebook title and headline figures of a report, computed from the data."""
    from baocao.reports import registry

    if registry.get(job.get("kind")) is None:
        return {
            "title": f"{job['notebook']} — {job['key']}",
            "notebook_title": job["notebook"],
            "headline": [],
        }
    return registry.describe(
        job["kind"], {"lang": job.get("lang", "vi"), **job["parameters"]}
    )  # paths: relative to BAOCAO_HOME


def summary_from_notebook(nb) -> dict | None:
    """The summary a report's title block left in its output metadata (see ``report.summary``)."""
    for cell in nb.cells:
        for output in cell.get("outputs", []):
            md = output.get("metadata", {})  # IPython files a _repr_html_'s metadata under its mimetype
            found = (md.get("baocao") or md.get("text/html", {}).get("baocao") or {}).get("summary")
            if (
                isinstance(found, dict)
                and isinstance(found.get("title"), str)
                and isinstance(found.get("headline"), list)
            ):
                return {
                    "title": found["title"],
                    "headline": [list(p) for p in found["headline"]],
                    "marks": found.get("marks") or {},
                }
    return None


def render_report(job: dict) -> dict:
    """Execute one report notebook and export its HTML; never raises for a failing report."""
    return finish_report(job, execute_report(job))


@functools.lru_cache(maxsize=16)
def _source_notebook(path: str, stamp: tuple):
    """The template notebook, parsed once per worker while its file is unchanged: ``stamp`` is the
    stat cache's key (size, mtime, ctime, inode, device; see :mod:`baocao.io.filestamps`).
    papermill copies it before running it."""
    import nbformat

    return nbformat.read(path, as_version=4)


def execute_report(job: dict) -> dict:
    """First half of :func:`render_report`: run the notebook (papermill, in process, on the warm
    kernel). The result carries the executed notebook as ``nb``; :func:`finish_report` turns it
    into the page. Local builds run this half in the workers and the other in the builder, so
    exporting one report overlaps with executing the next."""
    import papermill
    from papermill.exceptions import PapermillExecutionError

    from baocao.build import engine  # registers the baocao-warm engine

    started, t0 = utc_now(), time.perf_counter()
    result = {
        "key": job["key"],
        "status": "failed",
        "error": "",
        "started": started,
        "duration": 0.0,
        "ipynb": None,
        "html": None,
        "title": "",
        "notebook_title": notebook_title(job),
        "headline": [],
        "host": socket.gethostname(),
        "nb": None,
    }
    nb = None
    kernel = job.get("kernel", "python3")
    with _environ(BAOCAO_HOME=job.get("home")):
        try:
            path = Path(job["notebook_path"])
            if not path.is_file():
                raise FileNotFoundError(
                    f"notebook {job['notebook_path']} not found on {result['host']} "
                    "(workers need the project checkout at the same path)"
                )
            # papermill's public API, given the notebook node (the source is parsed once per
            # worker) and no output path: the executed notebook is returned, not written.
            nb = papermill.execute_notebook(
                _source_notebook(str(path), tuple(stamp(path.stat()))),
                None,
                parameters=job["parameters"] or None,
                engine_name=ENGINE,
                kernel_name=kernel,
                progress_bar=False,
                log_output=False,
                start_timeout=60,
                cwd=job["cwd"],
                extra_arguments=KERNEL_ARGS,
                execution_timeout=job.get("cell_timeout"),
            )
            nb.metadata.papermill["input_path"] = str(path)
            result["status"] = "ok"
        except PapermillExecutionError as exc:
            nb = engine.last_notebook()  # the partial notebook, with papermill's error cell
            if nb is not None:
                nb.metadata.papermill["input_path"] = str(path)
            result["error"] = one_line(f"{exc.ename}: {exc.evalue} (cell In [{exc.exec_count}])")
        except Exception as exc:  # kernel died, notebook missing, …
            nb = None
            result["error"] = one_line(f"{type(exc).__name__}: {exc}")
    result["nb"] = nb
    result["duration"] = round(time.perf_counter() - t0, 2)
    return result


def finish_report(job: dict, result: dict) -> dict:
    """Second half of :func:`render_report`: title, headline and HTML of an executed report, and
    its notebook as text (metadata stripped). Never raises: an export error fails the report."""
    import nbformat

    from baocao.build import html

    t0 = time.perf_counter()
    result = dict(result)
    nb = result.pop("nb", None)
    if nb is not None and result["status"] == "ok":
        result["status"] = "failed"
        try:
            try:
                found = summary_from_notebook(nb)  # computed by the kernel: no second opening here
                info = {**found, "notebook_title": result["notebook_title"]} if found else describe(job)
            except Exception:  # noqa: BLE001 - the notebook ran: a page without headline beats none
                info = {
                    "title": f"{result['notebook_title']} — {job['key']}",
                    "notebook_title": result["notebook_title"],
                    "headline": [],
                }
            result.update(
                title=info["title"],
                notebook_title=info["notebook_title"],
                headline=info["headline"],
                marks=info.get("marks") or {},
            )
            with _environ(BAOCAO_HOME=job.get("home")):
                result["html"] = html.export_html(
                    select_language(nb, job.get("lang", "vi")),
                    title=info["title"],
                    lang=job.get("lang", "vi"),
                )
            result["status"] = "ok"
        except Exception as exc:  # noqa: BLE001 - reported as the report's failure
            last = traceback.extract_tb(exc.__traceback__)[-1]
            result["error"] = one_line(
                f"HTML export: {type(exc).__name__}: {exc} ({Path(last.filename).name}:{last.lineno})"
            )
    if nb is not None:
        result["ipynb"] = nbformat.writes(html.strip_notebook_metadata(nb)) + "\n"
    result["duration"] = round(result["duration"] + time.perf_counter() - t0, 2)
    return result
