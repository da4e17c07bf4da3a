"""Build a run plan: execute the reports that need it, write outputs, index and manifest.

One build:

1. select the plan's reports (``--only``), work out for each the content hashes of its
   inputs (notebook, parameters, data rows it reads, baocao source, package versions)
   and compare with ``outputs/manifest.json``: a report runs when one of them changed,
   when it is new, failed last time, or its outputs are missing or differ from the hashes
   recorded (``--force``: everything runs);
2. under a lock on ``outputs/.baocao.lock`` (a second build on the same folder stops at
   once with exit code 2), run them with :func:`baocao.build.execute.render_report` in a pool of
   local worker processes (``--jobs``) or on a Dask cluster (``--scheduler``);
3. as each report finishes, write its HTML and executed notebook (or, when it failed, the
   partial notebook as ``NAME.failed.ipynb``) by temp file + rename, then rewrite the
   manifest the same way — so a build killed at any moment leaves no half file and no
   manifest entry claiming an output it does not have;
4. write ``outputs/index.html``, print a summary (a table of the failures) and return
   0 (all fine), 1 (some report failed) or 130 (interrupted).

Layout: ``outputs/{year}/{unit_code}/{notebook}.html`` and ``.ipynb``.
"""

from __future__ import annotations

import functools
import hashlib
import importlib.metadata
import json
import os
import platform
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path

from baocao import config
from baocao.build.execute import utc_now
from baocao.build.plans import Plan, Report
from baocao.errors import EXIT_FAILED, EXIT_INTERRUPTED, EXIT_OK, BaocaoError
from baocao.io.filestamps import FileHashes, source_hash
from baocao.io.tables import atomic_write_text

MANIFEST = "manifest.json"
INDEX = "index.html"
LOCK = ".baocao.lock"
FORMAT = 1
VERSION_PACKAGES = (
    "baocao",
    "papermill",
    "nbconvert",
    "nbclient",
    "nbformat",
    "ipykernel",
    "jupyter_client",
    "pandas",
    "numpy",
    "matplotlib",
    "seaborn",
    "babel",
    "vietnamadminunits",
    "pandera",
)
INPUTS = ("notebook", "parameters", "data", "source", "versions")
REASONS = {
    "notebook": "notebook changed",
    "parameters": "parameters changed",
    "data": "data changed",
    "source": "source changed",
    "versions": "versions changed",
}
EXTRA_FORMATS = (
    "xlsx",
    "pdf",
    "docx",
)  # made from a report's HTML and notebook after it is written (baocao.export.formats)


class BuildError(BaocaoError):
    """A build that cannot start (bad --only, lock held, scheduler unreachable); one line for the user."""


# ---------------------------------------------------------------- hashes


def sha256_bytes(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _sha256_json(obj) -> str:
    return sha256_bytes(json.dumps(obj, sort_keys=True, ensure_ascii=False, separators=(",", ":")).encode())


@functools.lru_cache(maxsize=1)
def versions() -> dict[str, str]:
    """Versions of Python and of the packages whose change may change a report."""
    out = {"python": platform.python_version()}
    for name in VERSION_PACKAGES:
        try:
            out[name] = importlib.metadata.version(name)
        except importlib.metadata.PackageNotFoundError:
            out[name] = "-"
    return out


def notebook_hash(path: Path) -> str:
    """Hash of what a template notebook runs and shows: cell types, sources, tags, kernel.

    Saving it in JupyterLab (new metadata, cell ids) does not count as a change.
    """
    from baocao.build.plans import read_cells

    cells, meta = read_cells(path)
    cells = [
        [
            c.get("cell_type"),
            c["source"],
            sorted(c.get("metadata", {}).get("tags", [])),
            c.get("attachments", {}),
        ]
        for c in cells
    ]
    ks = meta.get("kernelspec", {})
    return _sha256_json({"cells": cells, "kernel": [ks.get("name"), ks.get("language")]})


def data_folders(plan: Plan, reports: list[Report]) -> list[Path]:
    """Every folder a report of ``reports`` may read data from: ``data/`` (catalogue, default
    data, GSO tables), the plan's ``data_dir`` and any ``gso_dir`` parameter."""
    folders = {Path(plan.home) / "data"}
    if plan.data_path:
        folders.add(Path(plan.data_path))
    for r in reports:
        gso_dir = r.parameters.get("gso_dir")
        if gso_dir:
            folders.add(Path(gso_dir) if Path(gso_dir).is_absolute() else Path(plan.home) / gso_dir)
    return sorted(folders)


def data_state(plan: Plan, reports: list[Report], hashes: FileHashes, common: dict) -> str:
    """One hash of everything the reports' data fingerprints are computed from: every file in
    :func:`data_folders` (by content), the baocao source and the package versions. While it is
    unchanged, the fingerprints computed last time stand (kept in the stat cache's memo)."""
    files = []
    for folder in data_folders(plan, reports):
        for p in sorted(folder.rglob("*")) if folder.is_dir() else []:
            if p.is_file():
                files.append([str(p), hashes.sha256(p)])
    return _sha256_json({"files": files, "data_path": plan.data_path, **common})


def data_hash(
    report: Report, data_path: str, home: Path, cache: dict | None = None, hashes: FileHashes | None = None
) -> str:
    """Hash of the data one report reads: its kind's input fingerprint (:mod:`baocao.reports.kinds`), or
    every file under ``data/`` for a notebook whose kind has none."""
    from baocao.reports import kinds

    found = kinds.input_fingerprint(report.kind, report.unit, report.year, report.parameters, data_path)
    if found is not None:
        return found
    cache = {} if cache is None else cache
    if "folder" not in cache:
        folder = Path(home) / "data"
        sha = (hashes or FileHashes()).sha256
        cache["folder"] = _sha256_json(
            [[p.relative_to(folder).as_posix(), sha(p)] for p in sorted(folder.rglob("*")) if p.is_file()]
        )
    return cache["folder"]


# ---------------------------------------------------------------- jobs


def make_job(report: Report, plan: Plan, notebooks_dir: Path, kernel: str = "python3") -> dict:
    """The plain-dict job :func:`baocao.build.execute.render_report` runs
    (absolute paths of this checkout).
    """
    notebooks_dir = Path(notebooks_dir).resolve()
    return {
        "key": report.key,
        "notebook": report.notebook,
        "notebook_path": str(notebooks_dir / f"{report.notebook}.ipynb"),
        "cwd": str(notebooks_dir),
        "home": str(plan.home),
        "kind": report.kind,
        "lang": report.lang,
        "kernel": kernel,
        "parameters": dict(report.parameters),
        "cell_timeout": getattr(plan, "cell_timeout", None),  # seconds; None: no limit
    }


def select(reports: list[Report], only: list[str] | tuple[str, ...]) -> list[Report]:
    """Reports matching ``--only`` values: values of one kind (notebook, unit, year) are OR-ed,
    kinds are AND-ed. ``--only 2023 --only 2024 --only district_report`` = district reports of
    2023 or 2024. A unit may be given by code or by name; the whole country (the reports of
    notebooks without a unit parameter) by ``VN``, ``Cả nước`` or ``whole country``."""
    values = [v.strip() for item in only or () for v in str(item).split(",") if v.strip()]
    if not values:
        return list(reports)
    from baocao.build.plans import COUNTRY_CODE, COUNTRY_NAMES
    from baocao.data import units as un

    years = {r.year for r in reports}
    notebooks = {r.notebook for r in reports}
    units = {r.unit for r in reports}
    wanted: dict[str, set] = {}
    for v in values:
        name = v[:-6] if v.endswith(".ipynb") else v
        if v.isdigit() and int(v) in years:
            wanted.setdefault("year", set()).add(int(v))
        elif name in notebooks:
            wanted.setdefault("notebook", set()).add(name)
        elif v in units:
            wanted.setdefault("unit", set()).add(v)
        elif COUNTRY_CODE in units and un.fold(v) in {un.fold(n) for n in COUNTRY_NAMES.values()}:
            wanted.setdefault("unit", set()).add(COUNTRY_CODE)
        else:
            try:
                found = [u.code for u in un.legacy().find(v) if u.code in units]
            except ValueError:
                found = []
            if len(found) == 1:
                wanted.setdefault("unit", set()).add(found[0])
                continue
            raise BuildError(
                f"--only {v!r} matches no notebook, unit or year of the plan "
                f"(notebooks: {', '.join(sorted(notebooks))}; years: {', '.join(map(str, sorted(years)))}; "
                "units by code or name)"
            )
    attr = {"year": "year", "notebook": "notebook", "unit": "unit"}
    return [r for r in reports if all(getattr(r, attr[k]) in vals for k, vals in wanted.items())]


# ---------------------------------------------------------------- manifest


class Manifest:
    """``outputs/manifest.json``: one entry per report, rewritten atomically after every change."""

    def __init__(self, outputs: Path, hashes: FileHashes | None = None):
        self.outputs = Path(outputs)
        self.hashes = hashes or FileHashes()
        self.path = self.outputs / MANIFEST
        self.data: dict = {"format": FORMAT, "reports": {}}
        self.warning = ""
        self._verified: dict[str, str] = {}
        if self.path.exists():
            try:
                data = json.loads(self.path.read_text(encoding="utf-8"))
                if not isinstance(data, dict) or not isinstance(data.get("reports"), dict):
                    raise ValueError("no 'reports' mapping")
                if data.get("format", FORMAT) != FORMAT:
                    raise ValueError(f"format {data.get('format')!r}, this baocao writes format {FORMAT}")
                self.data = data
            except (ValueError, OSError) as exc:
                self.warning = f"{self.path}: unreadable manifest ({exc}); every report is rebuilt"

    @property
    def reports(self) -> dict:
        return self.data["reports"]

    def output_problem(self, key: str) -> str:
        """ "" when every output the entry claims exists with the recorded hash, else the reason."""
        entry = self.reports.get(key) or {}
        outs = entry.get("outputs") or {}
        if entry.get("status") in ("ok", "skipped") and not {"html", "ipynb"} <= set(outs):
            return "output missing"
        for out in outs.values():
            p = self.outputs / out.get("path", "")
            if not out.get("path") or Path(out["path"]).is_absolute() or ".." in Path(out["path"]).parts:
                return "output missing"
            digest = self._verified.get(out["path"]) or self.hashes.sha256(p)
            if digest is None:
                return "output missing"
            if digest != out.get("sha256"):
                return "output changed"
            self._verified[out["path"]] = digest
        return ""

    def verified(self, path: str, digest: str | None) -> None:
        """Remember the hash of an output this build wrote (None: removed)."""
        if digest is None:
            self._verified.pop(path, None)
        else:
            self._verified[path] = digest

    def save(self) -> None:
        atomic_write_text(
            self.path, json.dumps(self.data, indent=1, sort_keys=True, ensure_ascii=False) + "\n"
        )


# ---------------------------------------------------------------- state


@dataclass
class Item:
    report: Report
    inputs: dict
    reasons: list[str] = field(default_factory=list)

    @property
    def key(self) -> str:
        return self.report.key


def assess(
    plan: Plan,
    reports: list[Report],
    manifest: Manifest,
    notebooks_dir: Path,
    force: bool = False,
    on_compute=None,
) -> list[Item]:
    """Each report with its input hashes and the reasons it must run (empty: up to date).
    ``on_compute()`` is called once before the first data fingerprint that must be computed."""
    items = [
        Item(r, inputs, reasons_for(r.key, inputs, manifest, force))
        for r, inputs in report_inputs(plan, reports, manifest.hashes, notebooks_dir, on_compute)
    ]
    manifest.hashes.save()  # with the outputs' hashes
    return items


def report_inputs(
    plan: Plan, reports: list[Report], hashes: FileHashes, notebooks_dir: Path, on_compute=None
) -> list[tuple[Report, dict]]:
    """Each report with the hashes of its inputs (:data:`INPUTS`).

    Files are hashed through the stat cache ``hashes`` (:class:`baocao.io.filestamps.FileHashes`),
    and the data fingerprints are reused while the data, source and versions they were computed
    from are unchanged: with nothing changed, no data is loaded (and pandas is not imported)."""
    common = {"source": source_hash(hashes), "versions": _sha256_json(versions())}
    state = data_state(plan, reports, hashes, common)
    known = hashes.recall("data-fingerprints", state) or {}
    fingerprints = dict(known)
    nb_hashes: dict[str, str] = {}
    data_cache: dict = {}
    out = []
    for r in reports:
        if r.notebook not in nb_hashes:
            nb_hashes[r.notebook] = notebook_hash(Path(notebooks_dir) / f"{r.notebook}.ipynb")
        fkey = f"{r.kind}|{r.unit}|{r.year}|{r.parameters.get('gso_dir', '')}"
        if fkey not in fingerprints:
            if on_compute is not None:
                on_compute()
                on_compute = None
            fingerprints[fkey] = data_hash(r, plan.data_path, plan.home, data_cache, hashes)
        out.append(
            (
                r,
                {
                    "notebook": nb_hashes[r.notebook],
                    "parameters": _sha256_json({"parameters": r.parameters, "lang": r.lang}),
                    "data": fingerprints[fkey],
                    **common,
                },
            )
        )
    if fingerprints != known:
        hashes.remember(
            "data-fingerprints", state, {**(hashes.recall("data-fingerprints", state) or {}), **fingerprints}
        )
    hashes.save()
    return out


def reasons_for(key: str, inputs: dict, manifest: Manifest, force: bool = False) -> list[str]:
    if force:
        return ["forced"]
    entry = manifest.reports.get(key)
    if not entry:
        return ["new"]
    out = []
    if entry.get("status") not in ("ok", "skipped"):
        out.append("failed before")
    old = entry.get("inputs") or {}
    out += [REASONS[k] for k in INPUTS if old.get(k) != inputs[k]]
    if entry.get("status") in ("ok", "skipped"):
        problem = manifest.output_problem(key)
        if problem:
            out.append(problem)
    return out


# ---------------------------------------------------------------- the build


@dataclass
class Build:
    plan: Plan
    outputs: Path
    notebooks_dir: Path
    console: object
    jobs: int = 1
    scheduler: str | None = None
    counts: dict = field(default_factory=lambda: {"ok": 0, "failed": 0, "skipped": 0})
    failures: list = field(default_factory=list)
    started: str = field(default_factory=lambda: utc_now())
    t0: float = field(default_factory=time.perf_counter)
    selected: int = 0

    def stamp(self, manifest: Manifest, complete: bool) -> None:
        """The build's own record in the manifest (totals so far)."""
        manifest.data["build"] = {
            "started": self.started,
            "wall_seconds": round(time.perf_counter() - self.t0, 2),
            "complete": complete,
            "jobs": None if self.scheduler else self.jobs,
            "scheduler": self.scheduler,
            "counts": {**self.counts, "total": self.selected},
        }

    def record(self, manifest: Manifest, item: Item, result: dict) -> None:
        """Write one finished report's files, then its manifest entry (both atomically)."""
        r, out = item.report, self.outputs
        rel = {
            "html": f"{r.key}.html",
            "ipynb": f"{r.key}.ipynb",
            "failed_ipynb": f"{r.key}.failed.ipynb",
            **{fmt: f"{r.key}.{fmt}" for fmt in EXTRA_FORMATS},
        }
        entry = {
            "notebook": r.notebook,
            "kind": r.kind,
            "unit": r.unit,
            "unit_name": r.unit_name,
            "level": r.level,
            "district": r.district,
            "year": r.year,
            "lang": r.lang,
            "parameters": r.parameters,
            "inputs": item.inputs,
            "versions": versions(),
            "status": result["status"],
            "error": result["error"],
            "started": result["started"],
            "duration": result["duration"],
            "host": result.get("host", ""),
            "title": result.get("title") or "",
            "notebook_title": result.get("notebook_title") or r.notebook,
            "headline": [list(p) for p in result.get("headline") or []],
            "outputs": {},
        }
        written = {}
        if result["status"] == "ok":
            written = {"html": result["html"], "ipynb": result["ipynb"]}
        elif result.get("ipynb"):
            written = {"failed_ipynb": result["ipynb"]}
        for kind, text in written.items():
            data = text.encode("utf-8")
            atomic_write_text(out / rel[kind], text)
            entry["outputs"][kind] = {"path": rel[kind], "bytes": len(data), "sha256": sha256_bytes(data)}
            manifest.verified(rel[kind], entry["outputs"][kind]["sha256"])
        manifest.reports[r.key] = entry
        if result["status"] == "ok":
            self.counts["ok"] += 1
        else:
            self.counts["failed"] += 1
            self.failures.append((r, result["error"], rel["failed_ipynb"] if written else ""))
        self.stamp(manifest, False)
        manifest.save()
        stale = (
            ["failed_ipynb"]
            if result["status"] == "ok"
            else ["html", "ipynb", *EXTRA_FORMATS] + ([] if written else ["failed_ipynb"])
        )
        for kind in stale:  # after the manifest no longer claims them
            (out / rel[kind]).unlink(missing_ok=True)
            manifest.verified(rel[kind], None)


def index_entries(manifest: Manifest, keys=None) -> list[dict]:
    """The index page's entries: every report of the manifest, or those of ``keys`` (one plan)."""
    out = []
    for key, e in sorted(manifest.reports.items()):
        if keys is not None and key not in keys:
            continue
        status = "failed" if e.get("status") == "failed" else "ok"
        if status == "ok" and manifest.output_problem(key):
            continue  # a report whose files are gone is not listed
        failed_nb = (e.get("outputs") or {}).get("failed_ipynb", {}).get("path", "")
        out.append(
            {
                "notebook": e["notebook"],
                "notebook_title": e.get("notebook_title") or e["notebook"],
                "unit_code": e["unit"],
                "unit_name": e.get("unit_name") or e["unit"],
                "level": e.get("level") or "",
                "year": e["year"],
                "href": (e["outputs"]["html"]["path"] if status == "ok" else ""),
                "status": status,
                "headline": [tuple(p) for p in e.get("headline") or []],
                "lang": e.get("lang") or "vi",
                "files": {
                    fmt: o["path"]
                    for fmt, o in (e.get("outputs") or {}).items()
                    if fmt in EXTRA_FORMATS and status == "ok"
                },
                "error": (e.get("error", "") + (f" — {failed_nb}" if failed_nb else ""))
                if status == "failed"
                else "",
            }
        )
    return out


def plan_index(plan: Plan) -> str:
    """File name of a plan's own index page: ``index-thoai_son.html`` for params/thoai_son.yml."""
    import re

    return "index-" + (re.sub(r"[^A-Za-z0-9_.-]+", "-", Path(plan.path).stem).strip("-.") or "plan") + ".html"


def write_index(manifest: Manifest, plan: Plan) -> None:
    """The plan's own index page (its reports only: plans sharing an output folder never
    overwrite each other's) and ``index.html``, the top page linking every plan's index. Not even
    rendered when both pages on disk are the ones rendered last time from the same entries, plans,
    title, language and baocao source (rendering loads jinja2 and bs4: a no-op build needs neither)."""
    title = plan.title or ("Báo cáo" if plan.lang == "vi" else "Reports")
    entries = index_entries(manifest, {r.key for r in plan.reports})
    name = plan_index(plan)
    plans = manifest.data.setdefault("plans", {})
    # the plan's file name only: no folder of this machine on the page
    plans[name] = {
        "name": Path(plan.path).name,
        "title": title,
        "index": name,
        "lang": plan.lang,
        "reports": len(entries),
        "failed": sum(e["status"] == "failed" for e in entries),
    }
    listed = [p for n, p in sorted(plans.items()) if n == name or (manifest.outputs / n).is_file()]
    paths = [manifest.outputs / name, manifest.outputs / INDEX]
    hashes = manifest.hashes
    key = _sha256_json(
        {
            "entries": entries,
            "title": title,
            "lang": plan.lang,
            "plans": listed,
            "source": source_hash(hashes),
            "paths": [str(p.resolve()) for p in paths],
        }
    )
    known = hashes.recall("index", key)
    if known and [hashes.sha256(p) for p in paths] == known:
        return
    from baocao.build.html import render_index, render_plans

    pages = [
        render_index(entries, title=title, lang=plan.lang, home=INDEX),
        render_plans(listed, title="Báo cáo" if plan.lang == "vi" else "Reports", lang=plan.lang),
    ]
    for path, page in zip(paths, pages, strict=True):
        if not path.exists() or path.read_text(encoding="utf-8") != page:
            atomic_write_text(path, page)
    hashes.remember("index", key, [sha256_bytes(p.encode("utf-8")) for p in pages])
    hashes.save()


def finish_outputs(manifest: Manifest, plan: Plan, items: list, console) -> None:
    """The other formats of the plan's reports (PDF, Word, workbook: :mod:`baocao.export.formats`),
    recorded in their manifest entries, then the index pages."""
    from baocao.export.formats import write_formats

    spent = write_formats(
        manifest.outputs,
        manifest.reports,
        [i.key for i in items],
        plan.formats,
        signed=plan.date,
        console=console,
        on_saved=manifest.verified,
    )
    if spent:
        manifest.save()
        console.print(
            "formats: "
            + ", ".join(f"{n} {fmt} ({s:.1f} s, {s / n:.2f} s each)" for fmt, (s, n) in spent.items())
        )
    write_index(manifest, plan)


def _run_local(jobs: list[dict], workers: int, on_result, console=None, executor=None) -> None:
    from baocao.build import pool  # worker processes, and how they stop (SIGINT, SIGTERM, errors)

    pool.run_local(jobs, workers, on_result, console, executor=executor)


def _run_dask(jobs: list[dict], address: str, on_result) -> None:
    try:
        from distributed import Client, as_completed
    except ImportError:  # pragma: no cover
        raise BuildError("--scheduler needs the 'distributed' package") from None
    from baocao.build import worker
    from baocao.build.execute import render_report

    try:
        client = Client(address, timeout="10s")
    except (OSError, TimeoutError) as exc:
        raise BuildError(f"cannot connect to the Dask scheduler at {address}: {exc}") from None
    with client:
        token = uuid.uuid4().hex[:8]
        futures = {
            client.submit(
                render_report, job, pure=False, key=f"baocao-{job['key'].replace('/', '-')}-{token}"
            ): job
            for job in jobs
        }
        try:
            for fut in as_completed(futures):
                job = futures.pop(fut)  # released: the cluster may forget the result once it is written here
                try:
                    result = fut.result()
                except Exception as exc:  # noqa: BLE001
                    result = worker.failed_result(job, f"{type(exc).__name__}: {exc}")
                on_result(job, result)
        except BaseException:
            client.cancel(list(futures))
            raise


def _fmt_time(seconds: float) -> str:
    m, s = divmod(int(round(seconds)), 60)
    return f"{m}:{s:02d}" if m else f"{seconds:.1f} s"


def build(
    plan: Plan,
    *,
    outputs: str | Path | None = None,
    jobs: int | None = None,
    only=(),
    force: bool = False,
    dry_run: bool = False,
    scheduler: str | None = None,
    console=None,
    notebooks_dir: str | Path | None = None,
    formats=(),
) -> int:
    """Run a plan (see the module doc). Returns the exit code; raises :class:`BuildError`."""
    from rich.console import Console

    console = console or Console(highlight=False)
    outputs = Path(outputs or config.outputs_dir())
    notebooks_dir = Path(notebooks_dir or plan.home / "notebooks")
    jobs = jobs or os.cpu_count() or 1
    if jobs < 1:
        raise BuildError(f"--jobs must be at least 1, not {jobs}")
    try:
        config.warm_kernel_limits()  # a bad setting stops the build here, not every report
    except ValueError as exc:
        raise BuildError(str(exc)) from None
    reports = select(plan.reports, only)
    if not reports:
        raise BuildError("--only: no report of the plan matches all the values given")

    if dry_run:
        return _dry_run(plan, reports, outputs, notebooks_dir, force, console)

    from filelock import FileLock, Timeout

    lock = FileLock(str(outputs / LOCK), timeout=0)
    try:
        outputs.mkdir(parents=True, exist_ok=True)
        lock.acquire()
    except Timeout:
        raise BuildError(
            f"another build is writing {outputs} (lock {outputs / LOCK} is held); wait for it to finish or "
            "use --outputs DIR"
        ) from None
    except OSError as exc:
        raise BuildError(write_error(exc, outputs)) from None
    try:
        from dataclasses import replace

        from baocao.export.formats import check_formats

        plan = replace(
            plan, formats=check_formats((*plan.formats, *formats))
        )  # --pdf / --docx add to the plan's
        return _build_locked(plan, reports, outputs, notebooks_dir, jobs, force, scheduler, console)
    except OSError as exc:  # disk full, read-only, no permission: what is written stays consistent
        raise BuildError(
            write_error(exc, outputs) + "; the outputs written so far are complete, run the build again"
        ) from None
    finally:
        try:
            lock.release()
        except OSError:
            pass


def write_error(exc: OSError, outputs: Path) -> str:
    """An OSError while writing outputs as one line for the user."""
    import errno

    hints = {
        errno.ENOSPC: "no space left on device: the disk is full / ổ đĩa đầy",
        errno.EDQUOT: "disk quota exceeded: the disk is full for this user / hết hạn mức ổ đĩa",
        errno.EROFS: "read-only file system / ổ đĩa chỉ đọc",
        errno.EACCES: "permission denied / không có quyền ghi",
        errno.EPERM: "operation not permitted / không được phép ghi",
        errno.ENOTDIR: "not a folder / không phải thư mục",
    }
    what = hints.get(exc.errno, exc.strerror or str(exc))
    where = exc.filename or outputs
    return f"cannot write to the output folder {outputs} ({where}): {what}"


def _dry_run(plan, reports, outputs, notebooks_dir, force, console) -> int:
    from rich.table import Table

    manifest = Manifest(outputs, FileHashes.for_home(plan.home))
    if manifest.warning:
        console.print(f"[yellow]{manifest.warning}[/]")
    items = assess(plan, reports, manifest, notebooks_dir, force)
    todo = [i for i in items if i.reasons]
    if todo:
        table = Table()
        table.add_column("would run / sẽ chạy")
        table.add_column("why / lý do")
        for i in todo:
            table.add_row(i.key, ", ".join(i.reasons))
        console.print(table)
    console.print(
        f"{plan.name}: {len(todo)} would run, {len(items) - len(todo)} up to date (dry run: nothing written)."
    )
    return EXIT_OK


def _build_locked(plan, reports, outputs, notebooks_dir, jobs, force, scheduler, console) -> int:
    from rich.progress import (
        BarColumn,
        MofNCompleteColumn,
        Progress,
        TextColumn,
        TimeElapsedColumn,
        TimeRemainingColumn,
    )

    b = Build(plan, outputs, notebooks_dir, console, jobs=jobs, scheduler=scheduler)
    for tmp in outputs.rglob(".*.tmp"):  # half-written files of a killed build (we hold the lock)
        tmp.unlink(missing_ok=True)
    manifest = Manifest(outputs, FileHashes.for_home(plan.home))
    if manifest.warning:
        console.print(f"[yellow]{manifest.warning}[/]")
    from baocao.build.pool import EarlyPool

    early: list[EarlyPool] = []  # started once a data fingerprint must be computed: the data changed

    def start_early() -> None:
        if not scheduler:
            early.append(EarlyPool(min(jobs, len(reports)), notebooks_dir))

    try:
        items = assess(plan, reports, manifest, notebooks_dir, force, on_compute=start_early)
    except BaseException:
        for pool in early:
            pool.close()
        raise
    todo = [i for i in items if i.reasons]
    if early and not todo:
        early.pop().close()
    b.selected = len(items)
    b.counts["skipped"] = len(items) - len(todo)
    for i in items:
        if not i.reasons:
            manifest.reports[i.key]["status"] = "skipped"
    manifest.data.update(
        format=FORMAT,
        generator=f"baocao {versions()['baocao']}",
        plan=plan.name,
        title=plan.title,
        lang=plan.lang,
    )
    if not todo:
        finish_outputs(manifest, plan, items, console)
        b.stamp(manifest, True)
        manifest.save()
        console.print(
            f"{len(items)} up to date, nothing to do. / {len(items)} báo cáo đã mới nhất, không cần chạy lại."
        )
        return EXIT_OK

    b.stamp(manifest, False)
    manifest.save()
    # longest first (by the last run's duration): two workers then finish together, not one idling
    # while the other runs the district report last
    todo.sort(key=lambda i: -float((manifest.reports.get(i.key) or {}).get("duration") or 0))
    by_key = {i.key: i for i in todo}
    run_jobs = [make_job(i.report, plan, notebooks_dir) for i in todo]
    where = f"on {scheduler}" if scheduler else f"with {min(jobs, len(todo))} worker(s)"
    console.print(f"{plan.name}: {len(todo)} to run, {b.counts['skipped']} up to date — {where}")
    progress = Progress(
        TextColumn("[bold]build"),
        BarColumn(),
        MofNCompleteColumn(),
        TextColumn(
            "[green]{task.fields[ok]} ok[/] · [red]{task.fields[failed]} failed[/] · {task.fields[skipped]} "
            "skipped"
        ),
        TimeElapsedColumn(),
        TextColumn("left"),
        TimeRemainingColumn(),
        console=console,
    )

    def on_result(job, result):
        item = by_key[job["key"]]
        b.record(manifest, item, result)
        mark = "[green]ok[/]" if result["status"] == "ok" else "[red]FAILED[/]"
        progress.console.print(
            f"{mark} {item.key} ({result['duration']:.1f} s; {', '.join(item.reasons)})"
            + (f" — {result['error']}" if result["error"] else "")
        )
        progress.update(task, advance=1, ok=b.counts["ok"], failed=b.counts["failed"])

    interrupted = False
    with progress:
        task = progress.add_task("build", total=len(todo), ok=0, failed=0, skipped=b.counts["skipped"])
        try:
            if scheduler:
                _run_dask(run_jobs, scheduler, on_result)
            else:
                _run_local(
                    run_jobs,
                    min(jobs, len(todo)),
                    on_result,
                    progress.console,
                    executor=early[0].executor if early else None,
                )
        except KeyboardInterrupt:
            interrupted = True
    if interrupted:
        write_index(manifest, plan)
    else:
        finish_outputs(manifest, plan, items, console)
    b.stamp(manifest, not interrupted)
    manifest.save()
    wall = time.perf_counter() - b.t0
    c = b.counts
    console.print(
        f"{len(items)} reports: {c['ok']} built, {c['failed']} failed, {c['skipped']} up to date — "
        f"{_fmt_time(wall)}"
        f" — {outputs / plan_index(plan)}"
    )
    if b.failures:
        _print_failures(b.failures, outputs, console)
    if interrupted:
        left = len(todo) - c["ok"] - c["failed"]
        console.print(
            f"[yellow]đã dừng: {left} báo cáo chưa chạy; chạy lại lệnh để hoàn tất. / "
            f"interrupted: {left} report(s) not run; run the build again to finish.[/]"
        )
        return EXIT_INTERRUPTED
    return EXIT_FAILED if b.failures else EXIT_OK


def _print_failures(failures, outputs: Path, console) -> None:
    from rich.table import Table

    table = Table(
        title=f"{len(failures)} failed report(s) / báo cáo lỗi", title_justify="left", show_lines=False
    )
    table.add_column("report", no_wrap=True)
    table.add_column("error")
    table.add_column("executed notebook (kept)", overflow="fold")
    for r, error, nb in sorted(failures, key=lambda f: f[0].key):
        table.add_row(r.key, error, str(outputs / nb) if nb else "–")
    console.print(table)
