"""Benchmark: the default plan built four ways on the same inputs, and the province scale.

    ./run bench                                        # everything (≈ 20 min: the naive way is slow)
    ./run bench --extra-plan params/gso_provinces.yml  # and the GSO plan (≈ 10 min more)
    ./run bench --naive-limit 9                        # naive way on 9 reports, extrapolated
    ./run bench --skip-province

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
Results are also written to bench/results.json.
"""

from __future__ import annotations

import argparse
import ast
import contextlib
import json
import os
import platform
import shutil
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

from baocao import units  # noqa: E402
from baocao.io.tables import write_csv  # noqa: E402
from baocao.plans import load_plan  # noqa: E402
from baocao.sample import generate_province, to_csv_frame  # noqa: E402


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


def run(cmd: list[str], **kw) -> tuple[float, PeakMemory]:
    t0 = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True, **kw)
    with PeakMemory(proc.pid) as mem:
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
        t1, m1 = run([str(BIN / "papermill"), str(ROOT / "notebooks" / f"{r.notebook}.ipynb"), str(nb_out), *args,
                      "--cwd", str(ROOT / "notebooks"), "-k", "python3", "--no-progress-bar"])
        t2, m2 = run([str(BIN / "jupyter"), "nbconvert", "--to", "html", "--no-input", str(nb_out)])
        times.append(t1 + t2)
        peak = max(peak, m1.max_process, m2.max_process)
    total = sum(times) * (len(plan.reports) / len(reports))
    return {"wall": total, "median": statistics.median(times), "measured": len(reports), "peak_process_mb": peak / 2**20,
            "extrapolated": len(reports) < len(plan.reports)}


def build(plan_path: Path, out: Path, jobs: int | None) -> dict:
    cmd = [str(BIN / "baocao"), "build", str(plan_path), "--force", "--outputs", str(out)]
    if jobs:
        cmd += ["--jobs", str(jobs)]
    wall, mem = run(cmd, cwd=ROOT)
    manifest = json.loads((out / "manifest.json").read_text())
    durations = [r["duration"] for r in manifest["reports"].values() if r.get("status") == "ok"]
    failed = [k for k, r in manifest["reports"].items() if r.get("status") != "ok"]
    if failed:
        raise SystemExit(f"build had failures: {failed[:5]}")
    return {"wall": wall, "median": statistics.median(durations), "reports": len(durations),
            "peak_process_mb": mem.max_process / 2**20, "peak_worker_mb": mem.max_pair / 2**20}


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

        import baocao.report  # noqa: F401 - warm: imports and data loading are not counted per report

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
    return {"wall": sum(times), "median": statistics.median(times), "reports": len(times),
            "peak_process_mb": psutil.Process().memory_info().rss / 2**20}


def province_plan(tmp: Path) -> Path:
    """Generated illustrative data for every commune of An Giang, and a plan over it."""
    data = ROOT / ".baocao-cache" / "bench" / "an_giang"
    df = generate_province(units.legacy(), "89")
    write_csv(data / "observations.csv", to_csv_frame(df))
    plan = tmp / "an_giang.yml"
    plan.write_text(
        "# Province scale (benchmark): every district and commune of An Giang, 2022–2024.\n"
        "# Data: generated illustrative data (baocao.sample.generate_province), labelled in every report.\n"
        "title: An Giang (số liệu minh họa / illustrative)\nlang: vi\nyears: {from: 2022, to: 2024}\n"
        f"data_dir: {data.relative_to(ROOT)}\n"
        "reports:\n"
        "  - notebook: district_report\n    districts: {of: 89}\n"
        "  - notebook: commune_report\n    communes: {of: 89}\n",
        encoding="utf-8",
    )
    return plan


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--plan", default=str(ROOT / "params" / "thoai_son.yml"))
    ap.add_argument("--naive-limit", type=int, default=0, help="run the naive way on the first N reports only and extrapolate (0: all)")
    ap.add_argument("--skip-province", action="store_true")
    ap.add_argument("--extra-plan", action="append", default=[], help="another plan to time with the default build (e.g. params/gso_provinces.yml)")
    args = ap.parse_args()
    plan_path = Path(args.plan)
    plan = load_plan(plan_path)
    n = len(plan.reports)
    results: dict = {"machine": {"cpus": os.cpu_count(), "python": platform.python_version(), "platform": platform.platform(),
                                 "memory_gb": round(psutil.virtual_memory().total / 2**30, 1)},
                     "plan": plan.name, "reports": n}
    with tempfile.TemporaryDirectory(prefix="baocao-bench-") as tmp:
        tmp = Path(tmp)
        print(f"plan {plan.name}: {n} reports; machine: {os.cpu_count()} cores, Python {platform.python_version()}")
        print("(a) naive: papermill CLI + jupyter nbconvert CLI per report …", flush=True)
        (tmp / "a").mkdir()
        results["a"] = naive(plan, tmp / "a", args.naive_limit)
        print("(b) baocao build --force --jobs 1 …", flush=True)
        results["b"] = build(plan_path, tmp / "b", 1)
        print("(c) baocao build --force …", flush=True)
        results["c"] = build(plan_path, tmp / "c", None)
        print("(d0) the notebook code in one plain warm process …", flush=True)
        results["d0"] = floor(plan, like_kernel=False)
        print("(d) floor: the notebook code in one warm process, garbage handled as the kernel does …", flush=True)
        results["d"] = floor(plan)
        rows = [("a naive", results["a"]), ("b build --jobs 1", results["b"]), ("c build (default)", results["c"]),
                ("d0 plain warm proc.", results["d0"]), ("d floor", results["d"])]
        print(f"\n{'way':20} {'wall s':>8} {'rep/min':>8} {'median s':>9} {'peak MB':>8} {'worker MB':>10}")
        for name, r in rows:
            print(f"{name:20} {r['wall']:8.1f} {n / r['wall'] * 60:8.1f} {r['median']:9.2f} {r['peak_process_mb']:8.0f} {r.get('peak_worker_mb', float('nan')):10.0f}")
        if results["a"]["extrapolated"]:
            print(f"(a) measured on {results['a']['measured']} reports and extrapolated to {n}")
        ratios = {"a/b": results["a"]["wall"] / results["b"]["wall"], "a/c": results["a"]["wall"] / results["c"]["wall"],
                  "b/d": results["b"]["wall"] / results["d"]["wall"], "b/d0": results["b"]["wall"] / results["d0"]["wall"]}
        results["ratios"] = ratios
        print("ratios: " + "  ".join(f"{k} = {v:.2f}" for k, v in ratios.items()))
        print("targets: a/c ≥ 6, a/b ≥ 3, b/d ≤ 1.3, worker peak < 400 MB (b/d0: against a plain warm process, for comparison)")
        if not args.skip_province:
            pplan = province_plan(tmp)
            count = len(load_plan(pplan).reports)
            print(f"\nprovince scale: {count} reports (An Giang, generated illustrative data) with the default build …", flush=True)
            results["province"] = build(pplan, tmp / "p", None)
            p = results["province"]
            print(f"province: {p['wall']:.1f} s wall, {count / p['wall'] * 60:.0f} reports/min, median {p['median']:.2f} s, worker peak {p['peak_worker_mb']:.0f} MB (target < 180 s)")
        for extra in args.extra_plan:
            count = len(load_plan(extra).reports)
            print(f"\n{extra}: {count} reports with the default build …", flush=True)
            r = build(Path(extra), tmp / Path(extra).stem, None)
            results[Path(extra).stem] = r
            print(f"{extra}: {r['wall']:.1f} s wall, {count / r['wall'] * 60:.0f} reports/min, worker peak {r['peak_worker_mb']:.0f} MB")
        shutil.rmtree(ROOT / ".baocao-cache" / "bench", ignore_errors=True)
    (ROOT / "bench" / "results.json").write_text(json.dumps(results, indent=2, ensure_ascii=False) + "\n")


if __name__ == "__main__":
    main()
