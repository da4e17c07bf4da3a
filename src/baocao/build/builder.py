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
from baocao.build.preflight import conflict_message, data_problems, plan_conflicts
from baocao.errors import EXIT_FAILED, EXIT_INTERRUPTED, EXIT_OK, BaocaoError
from baocao.io.filestamps import FileHashes
from baocao.io.tables import atomic_write_text

LOCK = ".baocao.lock"


class BuildError(BaocaoError):
    """A build that cannot start (bad --only, lock held, scheduler unreachable); one line for the user."""


class DataProblemsError(BuildError):
    """The data the plan's reports read fail validation: no report runs, nothing is written.
    ``problems``: every problem of the folders with a blocking one, as ``baocao validate`` prints
    them (:func:`baocao.build.preflight.data_problems`); ``lang``: the plan's language."""

    def __init__(self, plan: Plan, problems: list[dict], outputs: Path):
        from baocao.build.preflight import blocking_count

        self.problems, self.lang = problems, plan.lang
        self.blocking = blocking_count(problems)
        super().__init__(
            f"{plan.name}: số liệu không hợp lệ, không báo cáo nào được chạy, {outputs} không bị thay đổi / "
            f"the data fail validation: no report was run, {outputs} is unchanged"
        )


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


def select(
    reports: list[Report], only: list[str] | tuple[str, ...], unit_list: str = "legacy"
) -> list[Report]:
    """Reports matching ``--only`` values: values of one kind (notebook, unit, year) are OR-ed,
    kinds are AND-ed. ``--only 2023 --only 2024 --only district_report`` = district reports of
    2023 or 2024. A unit may be given by code or by name; the whole country (the reports of
    notebooks without a unit parameter) by ``VN``, ``Cả nước`` or ``whole country``. Names are looked
    up in ``unit_list``, the list of the plan's codes (a 2025 plan's "Thoại Sơn" is the new commune)."""
    values = [v.strip() for item in only or () for v in str(item).split(",") if v.strip()]
    if not values:
        return list(reports)
    from baocao.build.plans import COUNTRY_CODE, COUNTRY_NAMES
    from baocao.data import unit_lists
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
                found = [u.code for u in unit_lists.registry(unit_list).find(v) if u.code in units]
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
    return [r for r in reports if all(getattr(r, k) in vals for k, vals in wanted.items())]


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
            "plan": self.plan.name,
            "notebook": r.notebook,
            "kind": r.kind,
            "unit": r.unit,
            "unit_name": r.unit_name,
            "level": r.level,
            "district": r.district,
            "year": r.year,
            "year_from": r.year_from,
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
            "marks": result.get("marks") or {},
            "outputs": {},
        }
        ok = result["status"] == "ok"
        written = {}
        if ok:
            written = {"html": result["html"], "ipynb": result["ipynb"]}
        elif result.get("ipynb"):
            written = {"failed_ipynb": result["ipynb"]}
        # a failure keeps the last good page (HTML, notebook, other formats), marked out of date
        kept = {} if ok else manifest.last_good_page(r.key)
        for kind, text in written.items():
            data = text.encode("utf-8")
            atomic_write_text(out / rel[kind], text)
            entry["outputs"][kind] = {"path": rel[kind], "bytes": len(data), "sha256": sha256_bytes(data)}
            manifest.verified(rel[kind], entry["outputs"][kind]["sha256"])
        if kept:
            entry["outputs"].update(kept["outputs"])
            entry["page"] = kept["page"]
        manifest.reports[r.key] = entry
        if ok:
            self.counts["ok"] += 1
        else:
            self.counts["failed"] += 1
            page = f"{rel['html']} ({str(kept['page'].get('started') or '')[:10]})" if kept else ""
            self.failures.append((r, result["error"], rel["failed_ipynb"] if written else "", page))
        self.stamp(manifest, False)
        manifest.save()
        # files the entry no longer claims, once the manifest is saved (a success's other formats are
        # made again or removed by finish_outputs)
        claimed = set(entry["outputs"])
        for kind in ["html", "ipynb", "failed_ipynb", *EXTRA_FORMATS]:
            if kind not in claimed and not (ok and kind in EXTRA_FORMATS):
                (out / rel[kind]).unlink(missing_ok=True)
                manifest.verified(rel[kind], None)

    def check_pages(self, manifest: Manifest, items: list[Item]) -> None:
        """At the end: a report whose page (or another file) the manifest claims but is gone —
        ``outputs/`` deleted or cleaned while the build ran — is a failed report, not a success.
        Its entry keeps only the files still there (the page, if it is, as a kept page)."""
        from baocao.build.preflight import missing_pages

        by_key = {i.key: i for i in items}
        for key, paths in missing_pages(self.outputs, manifest.reports, by_key).items():
            entry = manifest.reports[key]
            outs = entry["outputs"]
            for kind in [k for k, o in outs.items() if o["path"] in paths]:
                manifest.verified(outs.pop(kind)["path"], None)
            if entry["status"] in ("ok", "skipped"):
                self.counts["ok" if entry["status"] == "ok" else "skipped"] -= 1
                self.counts["failed"] += 1
                error = (
                    "mất tệp khi bản dựng kết thúc (bị xoá trong lúc lập?) / missing at the end of the "
                    f"build (deleted while it ran?): {', '.join(paths)}"
                )
                page = ""
                if {"html", "ipynb"} <= set(outs):
                    entry["page"] = {k: entry.get(k) for k in ("started", "title", "headline", "marks")}
                    page = f"{outs['html']['path']} ({str(entry.get('started') or '')[:10]})"
                entry.update(status="failed", error=error)
                self.failures.append((by_key[key].report, error, "", page))
            elif "html" not in outs or "ipynb" not in outs:
                entry.pop("page", None)


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
    reports = select(plan.reports, only, plan.unit_list)
    if not reports:
        raise BuildError(
            "--only: không báo cáo nào của kế hoạch khớp mọi giá trị đã cho / no report of the plan matches "
            "all the values given"
        )
    hashes = FileHashes.for_home(plan.home)
    # before the lock: a build that cannot succeed creates and changes nothing in outputs/
    problems = data_problems(plan, reports, hashes)
    if problems:
        raise DataProblemsError(plan, problems, outputs)

    if dry_run:
        return _dry_run(plan, reports, outputs, notebooks_dir, force, console, hashes)

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
        return _build_locked(plan, reports, outputs, notebooks_dir, jobs, force, scheduler, console, hashes)
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
        errno.ENOSPC: "ổ đĩa đầy / no space left on device: the disk is full",
        errno.EDQUOT: "hết hạn mức ổ đĩa / disk quota exceeded: the disk is full for this user",
        errno.EROFS: "ổ đĩa chỉ đọc / read-only file system",
        errno.EACCES: "không có quyền ghi / permission denied",
        errno.EPERM: "không được phép ghi / operation not permitted",
        errno.ENOTDIR: "không phải thư mục / not a folder",
    }
    what = hints.get(exc.errno, exc.strerror or str(exc))
    where = exc.filename or outputs
    return (
        f"không ghi được vào thư mục kết quả / cannot write to the output folder {outputs} ({where}): {what}"
    )


def _open_manifest(plan: Plan, reports: list[Report], outputs: Path, hashes: FileHashes, console) -> Manifest:
    """The outputs folder's manifest, once no other plan's report stands in the way."""
    manifest = Manifest(outputs, hashes)
    conflicts = plan_conflicts(plan, reports, manifest.reports)
    if conflicts:
        raise BuildError(conflict_message(plan, conflicts, outputs))
    if manifest.warning:
        console.print(f"[yellow]{manifest.warning}[/]")
    return manifest


def _dry_run(plan, reports, outputs, notebooks_dir, force, console, hashes) -> int:
    from rich.table import Table

    manifest = _open_manifest(plan, reports, outputs, hashes, console)
    items = assess(plan, reports, manifest, notebooks_dir, force)
    todo = [i for i in items if i.reasons]
    if todo:
        table = Table()
        table.add_column("sẽ chạy / would run")
        table.add_column("why / lý do")
        for i in todo:
            table.add_row(i.key, ", ".join(i.reasons))
        console.print(table)
    n, k = len(todo), len(items) - len(todo)
    console.print(
        f"{plan.name}: {n} sẽ chạy, {k} đã mới nhất (chạy thử: không ghi gì). / {n} would run, {k} up to "
        "date (dry run: nothing written)."
    )
    return EXIT_OK


def _build_locked(plan, reports, outputs, notebooks_dir, jobs, force, scheduler, console, hashes) -> int:
    from rich.progress import (
        BarColumn,
        MofNCompleteColumn,
        Progress,
        TextColumn,
        TimeElapsedColumn,
        TimeRemainingColumn,
    )

    b = Build(plan, outputs, notebooks_dir, console, jobs=jobs, scheduler=scheduler)
    manifest = _open_manifest(plan, reports, outputs, hashes, console)
    for tmp in outputs.rglob(".*.tmp"):  # half-written files of a killed build (we hold the lock)
        tmp.unlink(missing_ok=True)
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
            manifest.reports[i.key].setdefault("plan", plan.name)  # entries of older builds name no plan
    manifest.data.update(
        format=FORMAT,
        generator=f"baocao {versions()['baocao']}",
        plan=plan.name,
        title=plan.title,
        lang=plan.lang,
    )
    if not todo:
        finish_outputs(manifest, plan, items, console, before_index=lambda: b.check_pages(manifest, items))
        b.stamp(manifest, True)
        manifest.save()
        if b.failures:
            return _summary(b, items, todo, outputs, console, interrupted=False)
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
    w = min(jobs, len(todo))
    where = f"trên / on {scheduler}" if scheduler else f"{w} tiến trình / with {w} worker(s)"
    n, k = len(todo), b.counts["skipped"]
    console.print(f"{plan.name}: {n} cần chạy, {k} đã mới nhất / {n} to run, {k} up to date — {where}")
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
        # the error is said once, in the table of failures at the end
        progress.console.print(f"{mark} {item.key} ({result['duration']:.1f} s; {', '.join(item.reasons)})")
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
        finish_outputs(manifest, plan, items, console, before_index=lambda: b.check_pages(manifest, items))
    b.stamp(manifest, not interrupted)
    manifest.save()
    return _summary(b, items, todo, outputs, console, interrupted)


def _summary(b: Build, items, todo, outputs: Path, console, interrupted: bool) -> int:
    """The last lines of a build (counts, the failures, what was not run) and its exit code."""
    plan = b.plan
    wall = time.perf_counter() - b.t0
    c = b.counts
    console.print(
        f"{len(items)} báo cáo: {c['ok']} đã lập, {c['failed']} lỗi, {c['skipped']} đã mới nhất / "
        f"{len(items)} reports: {c['ok']} built, {c['failed']} failed, {c['skipped']} up to date — "
        f"{_fmt_time(wall)} — {outputs / plan_index(plan)}"
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
        title=f"{len(failures)} báo cáo lỗi / failed report(s)", title_justify="left", show_lines=False
    )
    table.add_column("báo cáo / report", no_wrap=True)
    table.add_column("lỗi / error")
    table.add_column("notebook đã chạy / executed notebook", overflow="fold")
    kept = any(page for *_, page in failures)
    if kept:
        table.add_column("trang cũ giữ lại / last good page, kept", overflow="fold")
    for r, error, nb, page in sorted(failures, key=lambda f: f[0].key):
        row = [r.key, error, str(outputs / nb) if nb else "–"]
        table.add_row(*row, *([str(outputs / page) if page else "–"] if kept else []))
    console.print(table)
