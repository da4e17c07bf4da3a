"""Build a run plan: execute the reports that need it, write their outputs, index and manifest.

One build:

1. select the plan's reports (``--only``) and find which must run, and why
   (:mod:`baocao.build.changes`: the content hashes of their inputs against
   ``outputs/manifest.json``; ``--force``: everything runs);
2. under a lock on ``outputs/.baocao.lock`` (a second build on the same folder stops at
   once with exit code 2), run them with :func:`baocao.build.execute.render_report` in a pool of
   local worker processes (``--jobs``) or on a Dask cluster (``--scheduler``);
3. as each report finishes, write its HTML and executed notebook (or, when it failed, the
   partial notebook as ``NAME.failed.ipynb``) by temp file + rename, then rewrite the
   manifest the same way (:mod:`baocao.build.manifest`) — so a build killed at any moment
   leaves no half file and no manifest entry claiming an output it does not have;
4. write the other formats and the index pages, print a summary (a table of the failures) and
   return 0 (all fine), 1 (some report failed) or 130 (interrupted).

Layout: ``outputs/{year}/{unit_code}/{notebook}.html`` and ``.ipynb``.
"""

from __future__ import annotations

import os
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path

from baocao import config
from baocao.build.changes import Item, assess, sha256_bytes, versions
from baocao.build.execute import utc_now
from baocao.build.manifest import EXTRA_FORMATS, FORMAT, Manifest, finish_outputs, plan_index, write_index
from baocao.build.plans import Plan, Report
from baocao.errors import EXIT_FAILED, EXIT_INTERRUPTED, EXIT_OK, BaocaoError
from baocao.io.filestamps import FileHashes
from baocao.io.tables import atomic_write_text

LOCK = ".baocao.lock"


class BuildError(BaocaoError):
    """A build that cannot start (bad --only, lock held, scheduler unreachable); one line for the user."""


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
            nbs, ys = ", ".join(sorted(notebooks)), ", ".join(map(str, sorted(years)))
            raise BuildError(
                f"--only {v!r} không khớp notebook, đơn vị hay năm nào của kế hoạch (notebook: {nbs}; năm: "
                f"{ys}; đơn vị theo mã hoặc tên) / --only {v!r} matches no notebook, unit or year of the "
                f"plan (notebooks: {nbs}; years: {ys}; units by code or name)"
            )
    attr = {"year": "year", "notebook": "notebook", "unit": "unit"}
    return [r for r in reports if all(getattr(r, attr[k]) in vals for k, vals in wanted.items())]


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


def _run_local(jobs: list[dict], workers: int, on_result, console=None, executor=None) -> None:
    from baocao.build import pool  # worker processes, and how they stop (SIGINT, SIGTERM, errors)

    pool.run_local(jobs, workers, on_result, console, executor=executor)


def _run_dask(jobs: list[dict], address: str, on_result) -> None:
    try:
        from distributed import Client, as_completed
    except ImportError:  # pragma: no cover
        raise BuildError(
            "--scheduler cần gói 'distributed' / --scheduler needs the 'distributed' package"
        ) from None
    from baocao.build import worker
    from baocao.build.execute import render_report

    try:
        client = Client(address, timeout="10s")
    except (OSError, TimeoutError) as exc:
        raise BuildError(
            f"không kết nối được bộ điều phối Dask ở {address} / cannot connect to the Dask scheduler at "
            f"{address}: {exc}"
        ) from None
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
        raise BuildError(
            f"--jobs phải từ 1 trở lên, không phải {jobs} / --jobs must be at least 1, not {jobs}"
        )
    try:
        config.warm_kernel_limits()  # a bad setting stops the build here, not every report
    except ValueError as exc:
        raise BuildError(str(exc)) from None
    reports = select(plan.reports, only)
    if not reports:
        raise BuildError(
            "--only: không báo cáo nào của kế hoạch khớp mọi giá trị đã cho / no report of the plan matches "
            "all the values given"
        )

    if dry_run:
        return _dry_run(plan, reports, outputs, notebooks_dir, force, console)

    from filelock import FileLock, Timeout

    lock = FileLock(str(outputs / LOCK), timeout=0)
    try:
        outputs.mkdir(parents=True, exist_ok=True)
        lock.acquire()
    except Timeout:
        raise BuildError(
            f"một lần lập khác đang ghi vào {outputs}; hãy chờ xong hoặc dùng --outputs THƯ_MỤC / another "
            f"build is writing {outputs} (lock {outputs / LOCK} is held); wait for it to finish or use "
            "--outputs DIR"
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
            write_error(exc, outputs)
            + "; những gì đã ghi đều trọn vẹn, hãy chạy lại / the outputs written so far are complete, run "
            "the build again"
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
    return (
        f"không ghi được vào thư mục kết quả / cannot write to the output folder {outputs} ({where}): {what}"
    )


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
