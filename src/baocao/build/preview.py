"""``baocao preview [PLAN]``: serve ``outputs/``, rebuild what an edit affects, reload the page.

One process does everything, so that its kernels stay warm between edits:

- an HTTP server (:mod:`baocao.build.preview_server`) on 127.0.0.1 (``--host`` for another
  address) serves the files of ``outputs/`` and nothing else, with a small script injected
  into every HTML page *as it is served* (the files on disk are the build's, byte for byte).
  The script polls ``/__baocao/state`` a few times a second, reloads the page when its report
  was rebuilt, and shows a failing report's error (or a plan or data problem) in the page;
- a watcher (``watchfiles``) on the notebooks, ``data/`` (catalogue and data), the plan's
  ``data_dir`` and the plan file: after every change the inputs are hashed again (through the
  stat cache, so only changed files are read) and the reports whose inputs changed are queued;
- ``--jobs`` worker threads (default 2), each with its own warm kernel (:mod:`baocao.build.engine`),
  started at once and kept across rebuilds. The reports open in a browser (the pages polling
  now, the most recent first) run before the others. Each result is written exactly as
  ``baocao build`` writes it (atomic files, then the manifest, then the index), under the same
  lock: a ``baocao build`` on the same folder waits for the preview to stop.

Ctrl-C (or SIGTERM) interrupts the reports running, shuts every kernel down and stops.
"""

from __future__ import annotations

import os
import signal
import threading
import time
from pathlib import Path

OPEN_SECONDS = 3.0  # a page that polled within this time is "open in a browser"
WATCH_STEP_MS = 30  # watchfiles: changes are grouped for this long after the last one
SPECULATIVE_WAIT = (
    20.0  # after a change, the other reports are hashed once the open ones are rebuilt (or after this)
)


class Job:
    """One report to run; ``inputs`` None: queued speculatively, hashes still being computed."""

    def __init__(self, report, inputs: dict | None, reasons: list[str]):
        self.report, self.inputs, self.reasons = report, inputs, reasons
        self.settled = threading.Event()
        self.finished = threading.Event()  # recorded (or dropped)
        self.change = 0
        if inputs is not None:
            self.settled.set()

    @property
    def key(self) -> str:
        return self.report.key

    def settle(self, inputs: dict | None, reasons: list[str]) -> None:
        self.inputs, self.reasons = inputs, reasons
        self.settled.set()


class Preview:
    """The state shared by the watcher (main thread), the workers and the HTTP server."""

    def __init__(
        self, plan_path: Path, outputs: Path, *, home: Path, notebooks_dir: Path, jobs: int = 2, console=None
    ):
        from rich.console import Console

        from baocao.io.filestamps import FileHashes

        self.plan_path = Path(plan_path)
        self.outputs = Path(outputs)
        self.home = Path(home)
        self.notebooks_dir = Path(notebooks_dir)
        self.jobs = max(1, jobs)
        self.console = console or Console(highlight=False)
        self.hashes = FileHashes.for_home(self.home)
        self.lock = threading.RLock()
        self.wake = threading.Condition(self.lock)
        self.stopping = threading.Event()
        self.plan = None
        self.manifest = None
        self.build = None
        self.problem = ""  # a plan or data problem, shown in every page
        self.queue: dict[str, object] = {}  # key -> Item waiting to run (the latest assessment)
        self.running: dict[
            str, Job
        ] = {}  # running now (a newer assessment of the same report may wait in the queue)
        self.changes = 0  # refreshes so far: a job that saw one while it ran is checked again
        self.recheck: set[str] = set()
        self.refresh_wanted = threading.Event()
        self.seen: dict[str, float] = {}  # key -> last time a browser polled its page
        self.kernels: dict[int, object] = {}  # worker thread id -> its warm kernel
        self.index_stale = True
        self.workers: list[threading.Thread] = []

    # ------------------------------------------------------------ plan and assessment

    def load(self) -> bool:
        """(Re)load the plan; False (and ``problem`` set) when it has an error."""
        from baocao.build.builder import Build
        from baocao.build.manifest import Manifest
        from baocao.build.plans import PlanError, load_plan_cached

        try:
            plan = load_plan_cached(self.plan_path, self.hashes, self.home, self.notebooks_dir)
        except PlanError as exc:
            self.problem = str(exc)
            return False
        with self.lock:
            self.plan = plan
            if self.manifest is None:
                self.manifest = Manifest(self.outputs, self.hashes)
                if self.manifest.warning:
                    self.console.print(f"[yellow]{self.manifest.warning}[/]")
            if self.build is None:
                self.build = Build(plan, self.outputs, self.notebooks_dir, self.console, jobs=self.jobs)
            self.build.plan = plan
        return True

    def open_keys(self) -> list[str]:
        """Keys of the reports open in a browser now, most recently polled first."""
        now = time.monotonic()
        with self.lock:
            return [k for k, t in sorted(self.seen.items(), key=lambda kv: -kv[1]) if now - t < OPEN_SECONDS]

    def refresh(self, changed: bool = True) -> None:
        """Hash the inputs again and queue what changed: the open reports first.

        After a change, the reports open in a browser are queued at once, before their inputs
        are hashed (which may mean loading the data): their kernel starts while the builder
        hashes, and the result is recorded once the hashes are known (an unchanged report
        gives the same page, which then does not reload)."""
        from baocao.build.changes import reasons_for, report_inputs

        with self.lock:
            if changed:
                self.changes += 1
            recheck, self.recheck = self.recheck, set()
        if not self.load():
            self.console.print(f"[red]{self.problem}[/]")
            self._settle_speculative()
            return
        plan = self.plan
        open_now = set(self.open_keys())
        first = [r for r in plan.reports if r.key in open_now]
        rest = [r for r in plan.reports if r.key not in open_now]
        speculative = []
        if changed and first:
            with self.lock:
                for r in first:
                    if r.key not in self.running:
                        self.queue[r.key] = Job(r, None, ["changed"])
                        speculative.append(self.queue[r.key])
                self.wake.notify_all()
        problem = self.data_problem(plan) or self.conflict(plan)
        for group in (first, rest) if not problem else ():
            if not group:
                continue
            try:
                assessed = report_inputs(plan, group, self.hashes, self.notebooks_dir)
            except Exception as exc:  # noqa: BLE001 - unreadable data, a catalogue error: shown, fixed by the next save
                from baocao.build.execute import one_line

                problem = one_line(f"{type(exc).__name__}: {exc}")
                break
            with self.lock:
                for r, inputs in assessed:
                    reasons = reasons_for(r.key, inputs, self.manifest)
                    if r.key in recheck and not reasons:
                        reasons = ["changed while it ran"]
                    running = self.running.get(r.key)
                    queued = self.queue.get(r.key)
                    if (
                        running is not None and running.inputs is None
                    ):  # speculative: now it knows what it ran on
                        running.settle(inputs, reasons or ["changed"])
                        reasons = []
                    elif running is not None and running.inputs == inputs:
                        reasons = []  # running on these very inputs
                    if queued is not None and queued.inputs is None:
                        if reasons:
                            queued.settle(inputs, reasons)
                        else:  # not affected after all, and not started: dropped
                            self.queue.pop(r.key)
                            queued.finished.set()
                    elif reasons:
                        self.queue[r.key] = Job(r, inputs, reasons)
                    else:
                        self.queue.pop(r.key, None)
                self.wake.notify_all()
            if group is first and speculative:
                # the open reports have the cores to themselves: the rest is hashed (and queued) after
                deadline = time.monotonic() + SPECULATIVE_WAIT
                for job in speculative:
                    job.finished.wait(max(0.0, deadline - time.monotonic()))
        self._settle_speculative()
        with self.lock:
            if problem != self.problem:
                self.console.print(f"[red]{problem}[/]" if problem else "[green]problem fixed[/]")
            self.problem = problem
            self.index_stale = True
            self.wake.notify_all()

    def conflict(self, plan) -> str:
        """The reports another plan built into this folder with other parameters, as ``baocao build``
        refuses them (one line); "" when there are none."""
        from baocao.build.preflight import conflict_message, plan_conflicts

        with self.lock:
            built = dict(self.manifest.reports)
        found = plan_conflicts(plan, plan.reports, built)
        return conflict_message(plan, found, self.outputs) if found else ""

    def data_problem(self, plan) -> str:
        """One line when the plan's data fail validation (nothing is queued then, as ``baocao build``
        runs nothing): the first blocking problem and how many there are; "" when they pass."""
        from baocao.build.execute import one_line
        from baocao.build.preflight import data_problems

        try:
            found = data_problems(plan, plan.reports, self.hashes)
        except Exception as exc:  # noqa: BLE001 - unreadable data: shown, fixed by the next save
            return one_line(f"{type(exc).__name__}: {exc}")
        blocking = [p for p in found if p.get("importance") == "blocking"]
        if not blocking:
            return ""
        p = blocking[0]
        place = ", ".join(x for x in (p["file"], p["row"] and f"dòng/row {p['row']}", p["column"]) if x)
        n = len(blocking)
        return one_line(
            f"Số liệu không hợp lệ ({n} lỗi), không lập báo cáo / the data fail validation ({n} problem(s)), "
            f"no report is built: {place}: {p['message_vi']} / {p['message_en']}"
        )

    def _settle_speculative(self) -> None:
        """Speculative jobs the assessment did not reach (it failed) are dropped, not recorded."""
        with self.lock:
            for key, job in list(self.queue.items()):
                if job.inputs is None:
                    del self.queue[key]
                    job.finished.set()
            for job in self.running.values():
                if job.inputs is None:
                    job.settle(None, [])

    def _next(self):
        """The queued report to run next (open ones first, then plan order); None when stopping."""
        with self.lock:
            while not self.stopping.is_set():
                candidates = [k for k in self.queue if k not in self.running]
                if candidates:
                    seen = self.seen
                    now = time.monotonic()
                    order = {r.key: i for i, r in enumerate(self.plan.reports)}
                    key = min(
                        candidates,
                        key=lambda k: (
                            0 if now - seen.get(k, -1e9) < OPEN_SECONDS else 1,
                            -seen.get(k, 0),
                            order.get(k, 0),
                        ),
                    )
                    job = self.queue.pop(key)
                    job.change = self.changes
                    self.running[key] = job
                    self.wake.notify_all()  # its page shows "rebuilding" at once
                    return job
                self.wake.wait(0.5)
        return None

    # ------------------------------------------------------------ workers

    def work(self) -> None:
        """A worker thread: start a warm kernel, then run queued reports until stopped."""
        from baocao.build import engine
        from baocao.build.builder import make_job
        from baocao.build.execute import KERNEL_ARGS, render_report
        from baocao.build.manifest import write_index

        me = threading.get_ident()
        try:
            self.kernels[me] = engine.warm_kernel("python3", str(self.notebooks_dir), list(KERNEL_ARGS))
            while not self.stopping.is_set():
                job = self._next()
                if job is None:
                    break
                # the kernel the report will run on (a new one after an error): known before it runs, so
                # that Ctrl-C can interrupt it
                self.kernels[me] = engine.warm_kernel("python3", str(self.notebooks_dir), list(KERNEL_ARGS))
                if self.stopping.is_set():
                    break
                try:
                    result = render_report(make_job(job.report, self.plan, self.notebooks_dir))
                finally:
                    self.kernels[me] = engine.current_kernel()
                while not job.settled.wait(0.2):  # a speculative job: its inputs are being hashed
                    if self.stopping.is_set():
                        break
                with self.lock:
                    self.running.pop(job.key, None)
                    job.finished.set()  # (set before recording: the lock is held until it is written)
                    if self.stopping.is_set():
                        break  # interrupted: nothing recorded, the next preview or build runs it again
                    if job.inputs is None:
                        continue  # the assessment failed (a problem shown in the page): not recorded
                    self.build.record(self.manifest, job, result)
                    self.wake.notify_all()  # the pages waiting for their state (and the workers)
                    if self.changes != job.change:  # the inputs changed while it ran: look again
                        self.recheck.add(job.key)
                        self.refresh_wanted.set()
                    mark = "[green]ok[/]" if result["status"] == "ok" else "[red]FAILED[/]"
                    self.console.print(
                        f"{mark} {job.key} ({result['duration']:.1f} s; {', '.join(job.reasons)})"
                        + (f" — {result['error']}" if result["error"] else "")
                    )
                    if not self.queue and not self.running:
                        write_index(self.manifest, self.plan)
                        self.index_stale = False
        except Exception as exc:  # noqa: BLE001 - a kernel that cannot start: said once, the preview goes on serving
            self.console.print(f"[red]preview worker stopped: {type(exc).__name__}: {exc}[/]")
        finally:
            self.kernels.pop(me, None)
            engine.discard_kernel()

    def interrupt_kernels(self, how: int = signal.SIGINT) -> None:
        """SIGINT to every worker's kernel: a running report ends with KeyboardInterrupt
        (SIGKILL: for kernels that did not stop in time)."""
        for kernel in list(self.kernels.values()):
            pid = getattr(getattr(getattr(kernel, "km", None), "provisioner", None), "pid", None)
            if pid:
                try:
                    os.kill(pid, how)
                except OSError:
                    pass

    # ------------------------------------------------------------ what the pages ask

    def state(self, page: str, since: tuple[str, str] | None = None, wait: float = 0.0) -> dict:
        """What the script in a page polls: the page's version, its report's status and error.

        With ``since`` (the version and status the page knows), the answer waits up to ``wait``
        seconds for one of them to change (the page reloads the moment its report is written,
        instead of at its next poll)."""
        end = time.monotonic() + wait
        with self.lock:
            while True:
                found = self._state(page)
                left = end - time.monotonic()
                if (
                    since is None
                    or (found["version"], found["status"]) != since
                    or left <= 0
                    or self.stopping.is_set()
                ):
                    return found
                self.wake.wait(left)

    def _state(self, page: str) -> dict:
        from baocao.build.preview_server import page_key

        key = page_key(page)
        with self.lock:
            if key:
                self.seen[key] = time.monotonic()
            entry = (self.manifest.reports.get(key) if self.manifest is not None and key else None) or {}
            status = (
                "running"
                if key in self.running
                else "queued"
                if key in self.queue
                else "failed"
                if entry.get("status") == "failed"
                else "ok"
                if entry
                else "unknown"
            )
            return {
                "version": self.version(page),
                "status": status,
                "error": entry.get("error", "") if entry.get("status") == "failed" else "",
                "problem": self.problem,
                "pending": len(self.queue) + len(self.running),
            }

    def version(self, page: str) -> str:
        """Changes whenever what is served at ``page`` changes."""
        from urllib.parse import unquote

        from baocao.build.preview_server import page_key, request_path

        key = page_key(page)
        with self.lock:
            entry = (self.manifest.reports.get(key) if self.manifest is not None and key else None) or {}
        if entry:
            outs = entry.get("outputs") or {}
            sha = (outs.get("html") or outs.get("failed_ipynb") or {}).get("sha256", "")
            return f"{entry.get('status')}:{sha}:{entry.get('error', '')}"
        rel = unquote(request_path(page)).lstrip("/")
        if rel == "" or rel.endswith("/"):
            rel += "index.html"
        if ".." in rel.split("/"):
            return "missing"
        try:
            st = (self.outputs / rel).stat()
            return f"file:{st.st_size}:{st.st_mtime_ns}"
        except OSError:
            return "missing"

    def failed_entry(self, page: str) -> dict | None:
        """The manifest entry of a failed report whose page is asked for (served as an error page)."""
        from baocao.build.preview_server import page_key

        key = page_key(page)
        with self.lock:
            entry = (self.manifest.reports.get(key) if self.manifest is not None and key else None) or {}
            return dict(entry, key=key) if entry.get("status") == "failed" else None

    # ------------------------------------------------------------ the loop

    def watched(self) -> list[Path]:
        paths = {self.notebooks_dir, self.home / "data", self.plan_path.resolve().parent}
        if self.plan is not None and self.plan.data_path:
            paths.add(Path(self.plan.data_path))
        return sorted(p for p in paths if p.exists())

    def relevant(self, path: str) -> bool:
        p = Path(path)
        if p.name.startswith(".") or ".ipynb_checkpoints" in p.parts:
            return False
        if p.parent == self.plan_path.resolve().parent and p.parent not in (
            self.home / "data",
            self.notebooks_dir,
        ):
            return p.resolve() == self.plan_path.resolve()  # of params/, only the plan itself
        return True

    def run(self, server) -> None:
        """Serve and watch until Ctrl-C; then stop everything."""
        import watchfiles

        for _ in range(self.jobs):
            t = threading.Thread(target=self.work, name="baocao-preview-worker", daemon=True)
            t.start()
            self.workers.append(t)
        serving = threading.Thread(target=server.serve_forever, name="baocao-preview-http", daemon=True)
        serving.start()
        try:
            host, port = server.server_address[:2]
            self.console.print(
                f"Preview: http://{host}:{port}/  (Ctrl-C to stop) / xem trước, nhấn Ctrl-C để dừng",
                soft_wrap=True,
            )
            self.refresh(changed=False)
            for changes in watchfiles.watch(
                *self.watched(),
                step=WATCH_STEP_MS,
                debounce=1600,
                stop_event=self.stopping,
                rust_timeout=500,
                yield_on_timeout=True,
                raise_interrupt=True,
            ):
                if any(self.relevant(p) for _, p in changes):
                    self.refresh()
                elif self.refresh_wanted.is_set():
                    self.refresh_wanted.clear()
                    self.refresh(changed=False)
                elif self.index_stale and self.manifest is not None:
                    with self.lock:
                        if not self.queue and not self.running:
                            from baocao.build.manifest import write_index

                            write_index(self.manifest, self.plan)
                            self.index_stale = False
        except KeyboardInterrupt:
            pass
        finally:
            self.stop(server)

    def stop(self, server) -> None:
        self.console.print("stopping / đang dừng…")
        self.stopping.set()
        with self.lock:
            self.wake.notify_all()
        self.interrupt_kernels()
        server.shutdown()
        server.server_close()
        deadline = time.monotonic() + 60
        for t in self.workers:
            t.join(timeout=max(0.0, deadline - time.monotonic()))
        if any(t.is_alive() for t in self.workers):  # a kernel that does not answer: killed, then shut down
            self.interrupt_kernels(signal.SIGKILL)
            for t in self.workers:
                t.join(timeout=30)
        from baocao.build import engine

        engine.discard_kernel()  # this thread has none; the workers discarded theirs
        self.hashes.save()
