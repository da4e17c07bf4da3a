"""Benchmark: the default plan built four ways on the same inputs, and the province scale.

    ./run bench                                        # everything (≈ 9 min on a quiet 2-core machine)
    ./run bench --extra-plan params/gso_provinces.yml  # and the GSO plan (≈ 4 min more)
    ./run bench --naive-limit 9                        # naive way on 9 reports, extrapolated
    ./run bench --skip-province
    ./run bench --parts noop,edit,preview              # only these parts (on outputs built first, untimed)
    ./run bench --parts an_giang_2025                  # the 2025 plan (206 reports), locally and on Dask

(a) naive: for each report the `papermill` CLI, then `jupyter nbconvert --to html --no-input` CLI;
(b) `baocao build --force --jobs 1`;  (c) `baocao build --force` (default settings);
(d) the floor: the same notebook code executed in one warm Python process (cells exec'd in
    order, the last expression's HTML/PNG computed as the kernel would send it; no kernel,
    no papermill, no HTML export, no files; garbage handled as the warm kernel does: the
    warm-up frozen, one report's garbage collected untimed before the next);
(d0) for comparison, the same in a plain warm process (Python's garbage collection as it is).
Prints wall time, reports per minute, per-report median, peak memory (largest process and
largest worker + kernel pair), and the ratios a/b, a/c, b/d (and b/d0); then the province-scale plan:
every commune of An Giang (11 districts, 155 communes; generated illustrative data) × 3 years.
Then the plan of the new An Giang on the 2025 unit list (params/an_giang_2025.yml: the province
report and its 102 commune reports × 2025–2026), locally and on a local Dask cluster of two workers.
Then the figures analysts feel (on the default plan's outputs, up to date): the no-op build
(`baocao build` with nothing to do, median of 5), the one-row edit (one commune's 2024 doctors
value changed, then `baocao build`: the affected reports, kernels started, index written), and
the preview latency (`baocao preview`, the commune report open in Chromium: save of the row →
the reloaded page shows the new value, median of 10 edits). The data file is restored after.
A table of the six figures against their targets ends the run; the machine's load average is
recorded too (this machine is shared). Results are also written to bench/results.json.
"""

from __future__ import annotations

import argparse
import ast
import contextlib
import json
import os
import platform
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import nbformat
import psutil

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
sys.path.insert(0, str(ROOT / "src"))

from baocao.build.plans import load_plan  # noqa: E402
from baocao.data import units  # noqa: E402
from baocao.data.sample import generate_province, to_csv_frame  # noqa: E402
from baocao.io.tables import write_csv  # noqa: E402


class PeakMemory:
    """Samples the RSS of a process tree: largest single process, largest worker+kernel pair."""

    def __init__(self, pid: int, interval: float = 0.1):
        self.pid, self.interval = pid, interval
        self.max_process = 0
        self.max_pair = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self):
        while not self._stop.is_set():
            try:
                root = psutil.Process(self.pid)
                procs = [root, *root.children(recursive=True)]
                rss = {}
                for p in procs:
                    with contextlib.suppress(psutil.Error):
                        rss[p.pid] = p.memory_info().rss
                self.max_process = max([self.max_process, *rss.values()])
                for p in procs:  # a worker and the kernels it started
                    with contextlib.suppress(psutil.Error):
                        pair = rss.get(p.pid, 0) + sum(rss.get(c.pid, 0) for c in p.children())
                        if p.pid != self.pid:
                            self.max_pair = max(self.max_pair, pair)
            except psutil.Error:
                pass
            self._stop.wait(self.interval)

    def __enter__(self):
        self._thread.start()
        return self

    def __exit__(self, *exc):
        self._stop.set()
        self._thread.join()


def run(cmd: list[str], tree: int | None = None, **kw) -> tuple[float, PeakMemory]:
    """Run ``cmd``: its wall time and the peak memory of its process tree (or of the tree of ``tree``:
    a Dask build's reports run in the cluster's workers, children of this process, not of the build)."""
    t0 = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True, **kw)
    with PeakMemory(tree or proc.pid) as mem:
        _, err = proc.communicate()
    if proc.returncode != 0:
        raise SystemExit(f"failed ({proc.returncode}): {' '.join(cmd)}\n{err[-2000:]}")
    return time.perf_counter() - t0, mem


def naive(plan, out: Path, limit: int) -> dict:
    reports = plan.reports[:limit] if limit else plan.reports
    times, peak = [], 0
    for r in reports:
        nb_out = out / f"{r.year}-{r.unit}-{r.notebook}.ipynb"
        args = [a for k, v in r.parameters.items() for a in ("-p", k, str(v))]
        t1, m1 = run(
            [
                str(BIN / "papermill"),
                str(ROOT / "notebooks" / f"{r.notebook}.ipynb"),
                str(nb_out),
                *args,
                "--cwd",
                str(ROOT / "notebooks"),
                "-k",
                "python3",
                "--no-progress-bar",
            ]
        )
        t2, m2 = run([str(BIN / "jupyter"), "nbconvert", "--to", "html", "--no-input", str(nb_out)])
        times.append(t1 + t2)
        peak = max(peak, m1.max_process, m2.max_process)
    total = sum(times) * (len(plan.reports) / len(reports))
    return {
        "wall": total,
        "median": statistics.median(times),
        "measured": len(reports),
        "peak_process_mb": peak / 2**20,
        "extrapolated": len(reports) < len(plan.reports),
    }


def build(plan_path: Path, out: Path, jobs: int | None, scheduler: str | None = None) -> dict:
    cmd = [str(BIN / "baocao"), "build", str(plan_path), "--force", "--outputs", str(out)]
    if jobs:
        cmd += ["--jobs", str(jobs)]
    if scheduler:
        cmd += ["--scheduler", scheduler]
    wall, mem = run(cmd, tree=os.getpid() if scheduler else None, cwd=ROOT)
    manifest = json.loads((out / "manifest.json").read_text())
    durations = [r["duration"] for r in manifest["reports"].values() if r.get("status") == "ok"]
    failed = [k for k, r in manifest["reports"].items() if r.get("status") != "ok"]
    if failed:
        raise SystemExit(f"build had failures: {failed[:5]}")
    return {
        "wall": wall,
        "median": statistics.median(durations),
        "reports": len(durations),
        "peak_process_mb": mem.max_process / 2**20,
        "peak_worker_mb": mem.max_pair / 2**20,
    }


def cpu_children() -> float:
    import resource

    r = resource.getrusage(resource.RUSAGE_CHILDREN)
    return r.ru_utime + r.ru_stime


def noop(plan_path: Path, out: Path, runs: int = 5) -> dict:
    """`baocao build` with every output up to date (after one untimed run, which records the
    hashes of the outputs just written in the stat cache). Also the CPU time, as this machine is shared."""
    cmd = [str(BIN / "baocao"), "build", str(plan_path), "--outputs", str(out)]
    run(cmd, cwd=ROOT)
    walls, cpus = [], []
    for _ in range(runs):
        c0 = cpu_children()
        t0 = time.perf_counter()
        proc = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True)
        walls.append(time.perf_counter() - t0)
        cpus.append(cpu_children() - c0)
        if proc.returncode != 0 or "up to date, nothing to do" not in proc.stdout:
            raise SystemExit(f"no-op build did something: {proc.stdout[-2000:]}{proc.stderr[-2000:]}")
    return {"wall": statistics.median(walls), "walls": walls, "cpu": statistics.median(cpus), "runs": runs}


EDIT_FILE = ROOT / "data" / "thoai_son" / "observations.csv"
EDIT_ROW = "30682,2024,bac_si,,"  # one commune's 2024 doctors


@contextlib.contextmanager
def restored(path: Path):
    """Whatever the step does to ``path``, its bytes are put back."""
    original = path.read_bytes()
    try:
        yield
    finally:
        path.write_bytes(original)


def row_value(path: Path, prefix: str) -> int:
    return next(
        int(line.split(",")[4])
        for line in path.read_text(encoding="utf-8").splitlines()
        if line.startswith(prefix)
    )


def set_row_value(path: Path, prefix: str, value: int) -> int:
    """Set the value column of the row starting with ``prefix``; returns the old value."""
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    i = next(k for k, line in enumerate(lines) if line.startswith(prefix))
    fields = lines[i].split(",", 5)
    old = int(fields[4])
    fields[4] = str(value)
    lines[i] = ",".join(fields)
    path.write_text("".join(lines), encoding="utf-8")
    return old


def one_row_edit(plan_path: Path, out: Path) -> dict:
    """One commune's 2024 doctors value edited, then `baocao build` (outputs up to date before):
    the affected reports rebuilt, kernels started, index written. The data file is restored and
    the outputs rebuilt to match (untimed)."""
    cmd = [str(BIN / "baocao"), "build", str(plan_path), "--outputs", str(out)]
    with restored(EDIT_FILE):
        set_row_value(EDIT_FILE, EDIT_ROW, row_value(EDIT_FILE, EDIT_ROW) + 1)
        c0 = cpu_children()
        wall, mem = run(cmd, cwd=ROOT)
        cpu = cpu_children() - c0
        manifest = json.loads((out / "manifest.json").read_text())
        rebuilt = sorted(k for k, r in manifest["reports"].items() if r.get("status") == "ok")
    run(cmd, cwd=ROOT)
    return {
        "wall": wall,
        "cpu": cpu,
        "rebuilt": len(rebuilt),
        "reports": rebuilt,
        "peak_worker_mb": mem.max_pair / 2**20,
    }


PREVIEW_PAGE = "/2024/30682/commune_report.html"


def preview_latency(plan_path: Path, out: Path, edits: int = 10) -> dict:
    """`baocao preview` on up-to-date outputs, the commune report open in Chromium (Playwright):
    for each of ``edits`` saves of the commune's 2024 doctors row, the time from the save to the
    reloaded page showing the new value. Each edit starts from a quiet preview (the other
    affected reports rebuilt)."""
    import re
    import urllib.request

    from playwright.sync_api import sync_playwright

    from baocao import fmt

    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    proc = subprocess.Popen(
        [str(BIN / "baocao"), "preview", str(plan_path), "--outputs", str(out), "--port", "0"],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        env=dict(os.environ, PYTHONUNBUFFERED="1"),
    )
    lines: list[str] = []
    threading.Thread(target=lambda: lines.extend(iter(proc.stdout.readline, "")), daemon=True).start()

    def wait_for(cond, timeout, what):
        end = time.monotonic() + timeout
        while time.monotonic() < end:
            v = cond()
            if v:
                return v
            time.sleep(0.05)
        raise SystemExit(f"preview: timed out waiting for {what}\n{''.join(lines)[-3000:]}")

    def state():
        with urllib.request.urlopen(f"{url}/__baocao/state?page={PREVIEW_PAGE}", timeout=30) as r:
            return json.load(r)

    population = next(
        int(line.split(",")[4])
        for line in EDIT_FILE.read_text(encoding="utf-8").splitlines()
        if line.startswith("30682,2024,dan_so,,")
    )
    times = []
    try:
        with restored(EDIT_FILE):
            url = wait_for(
                lambda: next(
                    (m.group(1) for line in lines for m in [re.search(r"Preview: (http://\S+)/", line)] if m),
                    None,
                ),
                300,
                "the URL",
            )
            wait_for(
                lambda: (lambda s: s["status"] == "ok" and s["pending"] == 0)(state()),
                900,
                "an up-to-date preview",
            )
            old = row_value(EDIT_FILE, EDIT_ROW)
            with sync_playwright() as p:
                browser = p.chromium.launch(
                    executable_path=chromium, args=["--no-sandbox", "--disable-gpu", "--no-first-run"]
                )
                page = browser.new_page()
                page.goto(url + PREVIEW_PAGE)
                for i in range(edits):
                    value = old + 1 + i
                    expected = fmt.number(value / population * 10000, 2)
                    t0 = time.perf_counter()
                    set_row_value(EDIT_FILE, EDIT_ROW, value)
                    page.wait_for_function(
                        "t => document.body && document.body.innerText.includes(t)",
                        arg=expected,
                        timeout=600_000,
                        polling=20,
                    )
                    times.append(time.perf_counter() - t0)
                    print(f"  edit {i + 1}: {times[-1]:.2f} s", flush=True)
                    wait_for(lambda: state()["pending"] == 0, 900, "the other affected reports")
                browser.close()
    finally:
        proc.send_signal(signal.SIGINT)
        try:
            proc.wait(timeout=180)
        except subprocess.TimeoutExpired:
            proc.kill()
    return {"median": statistics.median(times), "times": times, "edits": edits}


def _exec_cell(source: str, ns: dict) -> None:
    tree = ast.parse(source)
    last = tree.body.pop() if tree.body and isinstance(tree.body[-1], ast.Expr) else None
    exec(compile(tree, "<cell>", "exec"), ns)
    if last is not None:
        value = eval(compile(ast.Expression(last.value), "<cell>", "eval"), ns)
        for method in ("_repr_html_", "_repr_png_"):  # the output the kernel would produce
            if hasattr(value, method):
                getattr(value, method)()


def floor(plan, like_kernel: bool = True) -> dict:
    """The notebook code of every report, executed in this one warm process.

    ``like_kernel``: garbage handled as the warm kernel does (objects of the warm-up frozen, a
    collection between reports, untimed here, timed in b and c). Without it: a plain warm
    process, with Python's garbage collection left as it is (timed)."""
    cwd = os.getcwd()
    os.chdir(ROOT / "notebooks")
    cells = {}
    times = []
    try:
        import gc

        import baocao.reports.local.district  # noqa: F401 - warm: imports and data loading are not counted per report

        if like_kernel:
            # As warm as the kernel: what this process imported and loaded so far (nbformat, the
            # unit list of the plan, ...) is frozen, so garbage collections do not rescan it.
            gc.collect()
            gc.freeze()

        for r in plan.reports:
            if r.notebook not in cells:
                nb = nbformat.read(ROOT / "notebooks" / f"{r.notebook}.ipynb", as_version=4)
                cells[r.notebook] = [c.source for c in nb.cells if c.cell_type == "code"]
            t0 = time.perf_counter()
            ns: dict = {}
            _exec_cell(cells[r.notebook][0], ns)
            ns.update(r.parameters)
            for src in cells[r.notebook][1:]:
                _exec_cell(src, ns)
            times.append(time.perf_counter() - t0)
            del ns
            if like_kernel:
                gc.collect()  # not timed: the warm kernel's reset does this between reports (timed in b, c)
                gc.freeze()
    finally:
        if like_kernel:
            gc.unfreeze()
        os.chdir(cwd)
    return {
        "wall": sum(times),
        "median": statistics.median(times),
        "reports": len(times),
        "peak_process_mb": psutil.Process().memory_info().rss / 2**20,
    }


def province_plan(tmp: Path) -> Path:
    """Generated illustrative data for every commune of An Giang, and a plan over it."""
    data = ROOT / ".baocao-cache" / "bench" / "an_giang"
    df = generate_province(units.legacy(), "89")
    write_csv(data / "observations.csv", to_csv_frame(df))
    (data / "dataset.yaml").write_text("unit_list: legacy\n", encoding="utf-8")  # the 2022–2024 communes
    plan = tmp / "an_giang.yml"
    plan.write_text(
        "# Province scale (benchmark): every district and commune of An Giang, 2022–2024.\n"
        "# Data: generated illustrative data (baocao.data.sample.generate_province), labelled in every "
        "report.\n"
        "title: An Giang (số liệu minh họa / illustrative)\nlang: vi\nyears: {from: 2022, to: 2024}\n"
        f"data_dir: {data.relative_to(ROOT)}\n"
        "reports:\n"
        "  - notebook: district_report\n    districts: {of: 89}\n"
        "  - notebook: commune_report\n    communes: {of: 89}\n",
        encoding="utf-8",
    )
    return plan


def dask_build(plan_path: Path, out: Path, workers: int = 2) -> dict:
    """``baocao build --force --scheduler`` on a local Dask cluster of ``workers`` worker processes
    (one thread each, as docs/builder.md says), started before the clock starts; the memory is
    sampled over this process's tree (the cluster's workers and their kernels, and the build)."""
    from distributed import LocalCluster

    with LocalCluster(
        n_workers=workers, threads_per_worker=1, processes=True, dashboard_address=None
    ) as cluster:
        return build(plan_path, out, None, scheduler=cluster.scheduler_address)


PLAN_2025 = (
    ROOT / "params" / "an_giang_2025.yml"
)  # the new An Giang: province report + 102 communes, 2025–2026
PARTS = ("ways", "noop", "edit", "preview", "province", "an_giang_2025", "extra")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--plan", default=str(ROOT / "params" / "thoai_son.yml"))
    ap.add_argument(
        "--naive-limit",
        type=int,
        default=0,
        help="run the naive way on the first N reports only and extrapolate (0: all)",
    )
    ap.add_argument("--skip-province", action="store_true")
    ap.add_argument(
        "--extra-plan",
        action="append",
        default=[],
        help="another plan to time with the default build (e.g. params/gso_provinces.yml)",
    )
    ap.add_argument(
        "--parts",
        default=",".join(PARTS),
        help="comma-separated parts to run: ways (a, b, c, d), noop, edit, preview, province, "
        "an_giang_2025 (params/an_giang_2025.yml locally and on a local Dask cluster), extra (default: all)",
    )
    ap.add_argument("--edits", type=int, default=10, help="edits timed in the preview part (default 10)")
    args = ap.parse_args()
    parts = {p.strip() for p in args.parts.split(",") if p.strip()}
    if parts - set(PARTS):
        ap.error(f"unknown part(s): {', '.join(sorted(parts - set(PARTS)))}; parts: {', '.join(PARTS)}")
    plan_path = Path(args.plan)
    plan = load_plan(plan_path)
    n = len(plan.reports)
    results: dict = {
        "machine": {
            "cpus": os.cpu_count(),
            "python": platform.python_version(),
            "platform": platform.platform(),
            "memory_gb": round(psutil.virtual_memory().total / 2**30, 1),
            "load_average_at_start": [round(x, 2) for x in os.getloadavg()],
        },
        "date": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()),
        "plan": plan.name,
        "reports": n,
        "parts": sorted(parts),
    }
    targets = []
    with tempfile.TemporaryDirectory(prefix="baocao-bench-") as tmp:
        tmp = Path(tmp)
        print(
            f"plan {plan.name}: {n} reports; machine: {os.cpu_count()} cores, Python "
            f"{platform.python_version()}, load {os.getloadavg()[0]:.1f}"
        )
        if "ways" in parts:
            print("(a) naive: papermill CLI + jupyter nbconvert CLI per report …", flush=True)
            (tmp / "a").mkdir()
            results["a"] = naive(plan, tmp / "a", args.naive_limit)
            print("(b) baocao build --force --jobs 1 …", flush=True)
            results["b"] = build(plan_path, tmp / "b", 1)
            print("(c) baocao build --force …", flush=True)
            results["c"] = build(plan_path, tmp / "c", None)
            print("(d0) the notebook code in one plain warm process …", flush=True)
            results["d0"] = floor(plan, like_kernel=False)
            print(
                "(d) floor: the notebook code in one warm process, garbage handled as the kernel does …",
                flush=True,
            )
            results["d"] = floor(plan)
            rows = [
                ("a naive", results["a"]),
                ("b build --jobs 1", results["b"]),
                ("c build (default)", results["c"]),
                ("d0 plain warm proc.", results["d0"]),
                ("d floor", results["d"]),
            ]
            print(
                f"\n{'way':20} {'wall s':>8} {'rep/min':>8} {'median s':>9} {'peak MB':>8} {'worker MB':>10}"
            )
            for name, r in rows:
                print(
                    f"{name:20} {r['wall']:8.1f} {n / r['wall'] * 60:8.1f} {r['median']:9.2f} "
                    f"{r['peak_process_mb']:8.0f} {r.get('peak_worker_mb', float('nan')):10.0f}"
                )
            if results["a"]["extrapolated"]:
                print(f"(a) measured on {results['a']['measured']} reports and extrapolated to {n}")
            ratios = {
                "a/b": results["a"]["wall"] / results["b"]["wall"],
                "a/c": results["a"]["wall"] / results["c"]["wall"],
                "b/d": results["b"]["wall"] / results["d"]["wall"],
                "b/d0": results["b"]["wall"] / results["d0"]["wall"],
            }
            results["ratios"] = ratios
            print("ratios: " + "  ".join(f"{k} = {v:.2f}" for k, v in ratios.items()))
            targets.append(("a/c", f"{ratios['a/c']:.1f}", "≥ 6", ratios["a/c"] >= 6))
        if parts & {"noop", "edit", "preview"}:
            out = tmp / "c"
            if not (out / "manifest.json").exists():
                print("(outputs for the following parts: baocao build, untimed) …", flush=True)
                run([str(BIN / "baocao"), "build", str(plan_path), "--outputs", str(out)], cwd=ROOT)
            if "noop" in parts:
                print("no-op: baocao build with every output up to date …", flush=True)
                r = results["noop"] = noop(plan_path, out)
                print(f"no-op: {r['wall']:.2f} s wall (median of {r['runs']}; CPU {r['cpu']:.2f} s)")
                targets.append(("no-op build", f"{r['wall']:.2f} s", "≤ 1 s", r["wall"] <= 1))
            if "edit" in parts:
                print(
                    f"one-row edit: {EDIT_ROW!r} in {EDIT_FILE.relative_to(ROOT)}, then baocao build …",
                    flush=True,
                )
                r = results["edit"] = one_row_edit(plan_path, out)
                print(
                    f"one-row edit: {r['rebuilt']} reports rebuilt in {r['wall']:.1f} s wall (CPU of the "
                    f"build, its workers and their kernels: {r['cpu']:.1f} s)"
                )
                targets.append(
                    (
                        f"one-row edit ({r['rebuilt']} reports)",
                        f"{r['wall']:.1f} s",
                        "≤ 12 s",
                        r["wall"] <= 12,
                    )
                )
            if "preview" in parts:
                print(
                    f"preview: {args.edits} saves of the row, the commune report open in Chromium …",
                    flush=True,
                )
                r = results["preview"] = preview_latency(plan_path, out, args.edits)
                print(
                    f"preview: save → reloaded page median {r['median']:.2f} s "
                    f"({', '.join(f'{t:.2f}' for t in r['times'])})"
                )
                targets.append(
                    (
                        "preview save → reloaded page (median)",
                        f"{r['median']:.2f} s",
                        "≤ 2 s",
                        r["median"] <= 2,
                    )
                )
        if "province" in parts and not args.skip_province:
            pplan = province_plan(tmp)
            count = len(load_plan(pplan).reports)
            print(
                f"\nprovince scale: {count} reports (An Giang, generated illustrative data) with the default "
                "build …",
                flush=True,
            )
            results["province"] = build(pplan, tmp / "p", None)
            p = results["province"]
            print(
                f"province: {p['wall']:.1f} s wall, {count / p['wall'] * 60:.0f} reports/min, median "
                f"{p['median']:.2f} s, worker peak {p['peak_worker_mb']:.0f} MB"
            )
            targets.append(
                (f"province scale ({count} reports)", f"{p['wall']:.0f} s", "< 240 s", p["wall"] < 240)
            )
        if "an_giang_2025" in parts:
            count = len(load_plan(PLAN_2025).reports)
            for way, label in (("local", "the default build"), ("dask", "a local Dask cluster of 2 workers")):
                print(f"\nan_giang_2025: {count} reports with {label} …", flush=True)
                out = tmp / f"an_giang_2025-{way}"
                r = build(PLAN_2025, out, None) if way == "local" else dask_build(PLAN_2025, out)
                results[f"an_giang_2025_{way}"] = r
                print(
                    f"an_giang_2025 ({way}): {r['wall']:.1f} s wall, {count / r['wall'] * 60:.0f} "
                    f"reports/min, median {r['median']:.2f} s, worker peak {r['peak_worker_mb']:.0f} MB"
                )
                targets.append(
                    (
                        f"an_giang_2025 {way} ({count}), median/report",
                        f"{r['median']:.2f} s",
                        "≤ 1.8 s",
                        r["median"] <= 1.8,
                    )
                )
        for extra in args.extra_plan if "extra" in parts else []:
            count = len(load_plan(extra).reports)
            print(f"\n{extra}: {count} reports with the default build …", flush=True)
            r = build(Path(extra), tmp / Path(extra).stem, None)
            results[Path(extra).stem] = r
            print(
                f"{extra}: {r['wall']:.1f} s wall, {count / r['wall'] * 60:.0f} reports/min, median "
                f"{r['median']:.2f} s, worker peak {r['peak_worker_mb']:.0f} MB"
            )
            targets.append(
                (f"{Path(extra).stem} ({count} reports)", f"{r['wall']:.0f} s", "< 240 s", r["wall"] < 240)
            )
        shutil.rmtree(ROOT / ".baocao-cache" / "bench", ignore_errors=True)
    results["load_average_at_end"] = [round(x, 2) for x in os.getloadavg()]
    results["targets"] = [{"what": w, "measured": m, "target": t, "met": ok} for w, m, t, ok in targets]
    if targets:
        print(f"\n{'figure':45} {'measured':>10} {'target':>8}")
        for w, m, t, ok in targets:
            print(f"{w:45} {m:>10} {t:>8}  {'met' if ok else 'NOT MET'}")
    (ROOT / "bench" / "results.json").write_text(json.dumps(results, indent=2, ensure_ascii=False) + "\n")


if __name__ == "__main__":
    main()
