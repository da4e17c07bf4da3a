"""`baocao build`: incremental, parallel, failure-isolated, interruption-safe, locked, on Dask.

The slow tests build a 3-report plan in a throw-away project folder (``BAOCAO_HOME``: a
copy of the catalogue, the Thoại Sơn data and the notebooks), never the repo's outputs/.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from baocao.build import changes
from baocao.build.changes import reasons_for
from baocao.build.manifest import Manifest

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = Path(__file__).parent / "fixtures"
BAOCAO = [str(Path(sys.executable).with_name("baocao"))]  # the console script, as users run it

SMALL_PLAN = """\
title: Thử nghiệm
years: [2023, 2024]
data_dir: data/copy
reports:
  - notebook: district_report
    district: 894
  - notebook: commune_report
    commune: 30682
    years: 2024
"""
SMALL_KEYS = ["2023/894/district_report", "2024/30682/commune_report", "2024/894/district_report"]

FAIL_PLAN = """\
years: 2024
reports:
  - notebook: failing_report
    district: 894
  - notebook: district_report
    district: 894
    years: 1989
  - notebook: data_quality
    district: 894
"""


# ---------------------------------------------------------------- helpers


def make_project(folder: Path) -> Path:
    (folder / "data").mkdir(parents=True)
    shutil.copytree(ROOT / "data" / "catalogue", folder / "data" / "catalogue")
    shutil.copytree(ROOT / "data" / "thoai_son", folder / "data" / "thoai_son")
    shutil.copytree(ROOT / "data" / "thoai_son", folder / "data" / "copy")
    (folder / "notebooks").mkdir()
    for nb in [*(ROOT / "notebooks").glob("*.ipynb"), FIXTURES / "failing_report.ipynb"]:
        shutil.copy(nb, folder / "notebooks" / nb.name)
    (folder / "params").mkdir()
    (folder / "params" / "small.yml").write_text(SMALL_PLAN, encoding="utf-8")
    (folder / "params" / "fail.yml").write_text(FAIL_PLAN, encoding="utf-8")
    return folder


def env_for(home: Path) -> dict:
    env = dict(os.environ, BAOCAO_HOME=str(home), COLUMNS="200", PYTHONUNBUFFERED="1")
    env.pop("BAOCAO_OUTPUTS", None)
    return env


def run_build(home: Path, *args: str, timeout: int = 180) -> subprocess.CompletedProcess:
    return subprocess.run(
        [*BAOCAO, "build", *args],
        cwd=home,
        env=env_for(home),
        capture_output=True,
        text=True,
        timeout=timeout,
    )


def sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def manifest(outputs: Path) -> dict:
    return json.loads((outputs / "manifest.json").read_text(encoding="utf-8"))


def assert_consistent(outputs: Path) -> dict:
    """Every output the manifest claims exists with its recorded size and hash; no HTML is truncated."""
    m = manifest(outputs)
    for key, entry in m["reports"].items():
        for out in entry["outputs"].values():
            p = outputs / out["path"]
            assert p.is_file(), f"{key}: manifest claims missing {out['path']}"
            assert p.stat().st_size == out["bytes"] and sha(p) == out["sha256"], (
                f"{key}: {out['path']} differs"
            )
        if entry["status"] in ("ok", "skipped"):
            assert set(entry["outputs"]) == {"html", "ipynb"}
    for html in outputs.rglob("*.html"):
        assert html.read_text(encoding="utf-8").rstrip().endswith("</html>"), f"truncated {html}"
    return m


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    """A project with the 3-report plan built once with --jobs 2."""
    home = make_project(tmp_path_factory.mktemp("project"))
    proc = run_build(home, "small", "--jobs", "2", "--outputs", "out")
    outputs = home / "out"
    snapshot = manifest(outputs) if (outputs / "manifest.json").exists() else None
    hashes = {
        p.relative_to(outputs).as_posix(): sha(p)
        for p in outputs.rglob("*")
        if p.is_file() and p.suffix in (".html", ".ipynb")
    }
    return {"home": home, "outputs": outputs, "proc": proc, "manifest": snapshot, "hashes": hashes}


# ---------------------------------------------------------------- fast: reasons and fingerprints


def test_reasons_for_each_kind_of_change(tmp_path):
    out = tmp_path / "out"
    (out / "2024/894").mkdir(parents=True)
    (out / "2024/894/r.html").write_text("<html></html>")
    (out / "2024/894/r.ipynb").write_text("{}")
    inputs = {k: f"h-{k}" for k in changes.INPUTS}
    entry = {
        "status": "ok",
        "inputs": dict(inputs),
        "outputs": {
            "html": {"path": "2024/894/r.html", "sha256": sha(out / "2024/894/r.html")},
            "ipynb": {"path": "2024/894/r.ipynb", "sha256": sha(out / "2024/894/r.ipynb")},
        },
    }
    (out / "manifest.json").write_text(json.dumps({"reports": {"k": entry}}))
    m = Manifest(out)
    assert reasons_for("k", inputs, m) == []
    assert reasons_for("k", inputs, m, force=True) == ["forced"]
    assert reasons_for("other", inputs, m) == ["new"]
    for k, reason in changes.REASONS.items():
        assert reasons_for("k", {**inputs, k: "changed"}, m) == [reason]
    (out / "2024/894/r.html").write_text("<html>edited</html>")
    assert reasons_for("k", inputs, Manifest(out)) == ["output changed"]
    (out / "2024/894/r.html").unlink()
    assert reasons_for("k", inputs, Manifest(out)) == ["output missing"]
    entry["status"] = "failed"
    entry["outputs"] = {}
    (out / "manifest.json").write_text(json.dumps({"reports": {"k": entry}}))
    assert reasons_for("k", inputs, Manifest(out)) == ["failed before"]


def test_unreadable_manifest_means_rebuild_everything(tmp_path):
    (tmp_path / "manifest.json").write_text('{"reports": {"k": ')
    m = Manifest(tmp_path)
    assert m.reports == {} and "unreadable manifest" in m.warning


def test_input_fingerprint_follows_the_rows_each_report_reads(tmp_path):
    from baocao.reports.local.fingerprint import input_fingerprint

    data = tmp_path / "data"
    shutil.copytree(ROOT / "data" / "thoai_son", data)
    cases = [
        ("district", "894", 2022),
        ("district", "894", 2023),
        ("district", "894", 2024),
        ("data_quality", "894", 2023),
        ("commune", "30682", 2023),
        ("commune", "30682", 2024),
    ]

    def prints():
        return {c: input_fingerprint(*c, data_dir=str(data)) for c in cases}

    before = prints()
    assert before == prints()  # pure: same data, same hashes
    edit_row(data / "observations.csv", unit="30685", year="2024", element="dan_so")
    after = prints()
    changed = {c for c in cases if before[c] != after[c]}
    assert changed == {("district", "894", 2024), ("commune", "30682", 2024)}
    edit_row(data / "observations.csv", unit="30685", year="2023", element="dan_so")
    again = prints()
    assert {c for c in cases if after[c] != again[c]} == {c for c in cases if c[2] >= 2023}


def edit_row(path: Path, unit: str, year: str, element: str) -> None:
    """Add 1 to the value of one observation row (a change no validation rule notices)."""
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    for i, line in enumerate(lines):
        cells = line.split(",")
        if cells[:3] == [unit, year, element] and cells[3] == "":
            cells[4] = str(int(cells[4]) + 1)
            lines[i] = ",".join(cells)
            break
    else:
        raise AssertionError(f"no row {unit} {year} {element}")
    path.write_text("".join(lines), encoding="utf-8")


# ---------------------------------------------------------------- slow: real builds


@pytest.mark.slow
def test_build_small_plan_with_two_jobs(built):
    proc, outputs, m = built["proc"], built["outputs"], built["manifest"]
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "3 reports: 3 built, 0 failed, 0 up to date" in proc.stdout
    assert sorted(m["reports"]) == SMALL_KEYS
    assert m["build"]["complete"] and m["build"]["jobs"] == 2
    assert m["build"]["counts"] == {"ok": 3, "failed": 0, "skipped": 0, "total": 3}
    assert m["plan"] == "params/small.yml"
    assert_consistent(outputs)
    for key in SMALL_KEYS:
        e = m["reports"][key]
        assert e["status"] == "ok" and e["error"] == ""
        assert set(e["inputs"]) == {"notebook", "parameters", "data", "source", "versions"}
        assert e["versions"]["papermill"] and e["versions"]["pandas"] and e["versions"]["baocao"]
        assert e["duration"] > 0 and re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", e["started"])
        assert e["outputs"]["html"]["path"] == f"{key}.html"
        assert e["parameters"]["data_dir"] == "data/copy"
    d = m["reports"]["2023/894/district_report"]
    assert ["Tỷ lệ tham dự", "99,34%"] in [h[:2] for h in d["headline"]]  # with its mark and footnote
    html = (outputs / "2023/894/district_report.html").read_text(encoding="utf-8")
    assert "4.530" in html and "99,34%" in html
    assert "report.open_report" not in html and "In [" not in html
    assert "Communes compared" not in html  # the English Markdown cells are gone
    nb = (outputs / "2023/894/district_report.ipynb").read_text(encoding="utf-8")
    assert (
        "start_time" not in nb and "end_time" not in nb and str(built["home"]) not in nb and "/tmp" not in nb
    )
    index = (outputs / "index-small.html").read_text(encoding="utf-8")
    for key in SMALL_KEYS:
        assert f'href="{key}.html"' in index
    assert "Thử nghiệm" in index and "99,34%" in index and "Thị trấn Núi Sập" in index


@pytest.mark.slow
def test_second_build_does_nothing(built):
    proc = run_build(built["home"], "small", "--outputs", "out", "--jobs", "2")
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "3 up to date, nothing to do" in proc.stdout
    outputs = built["outputs"]
    now = {
        p.relative_to(outputs).as_posix(): sha(p)
        for p in outputs.rglob("*")
        if p.is_file() and p.suffix in (".html", ".ipynb")
    }
    assert now == built["hashes"]
    m = assert_consistent(outputs)
    assert {e["status"] for e in m["reports"].values()} == {"skipped"}
    assert m["build"]["counts"] == {"ok": 0, "failed": 0, "skipped": 3, "total": 3}
    dry = run_build(built["home"], "small", "--outputs", "out", "--dry-run")
    assert dry.returncode == 0 and "0 would run, 3 up to date" in dry.stdout


@pytest.mark.slow
def test_editing_one_commune_2024_row_reruns_only_2024(built, tmp_path):
    home = tmp_path / "p"
    shutil.copytree(built["home"], home)
    edit_row(home / "data" / "copy" / "observations.csv", unit="30685", year="2024", element="dan_so")
    dry = run_build(home, "small", "--outputs", "out", "--dry-run")
    assert dry.returncode == 0, dry.stderr
    assert "2 would run, 1 up to date" in dry.stdout
    assert re.search(r"2024/894/district_report\s+│ data changed", dry.stdout), dry.stdout
    assert re.search(r"2024/30682/commune_report\s+│ data changed", dry.stdout), dry.stdout
    assert "2023/894/district_report" not in dry.stdout

    proc = run_build(home, "small", "--outputs", "out", "--jobs", "2")
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "3 reports: 2 built, 0 failed, 1 up to date" in proc.stdout
    m = assert_consistent(home / "out")
    assert m["reports"]["2023/894/district_report"]["status"] == "skipped"
    assert m["reports"]["2024/894/district_report"]["status"] == "ok"
    assert sha(home / "out/2023/894/district_report.html") == built["hashes"]["2023/894/district_report.html"]
    assert (
        sha(home / "out/2024/894/district_report.html") != built["hashes"]["2024/894/district_report.html"]
    )  # new footer hash
    index = (home / "out" / "index-small.html").read_text(encoding="utf-8")
    for key in SMALL_KEYS:  # re-run and skipped reports alike
        assert f'href="{key}.html"' in index


@pytest.mark.slow
def test_failing_reports_do_not_stop_the_others(built, tmp_path):
    home = built["home"]
    proc = run_build(home, "fail", "--jobs", "2", "--outputs", str(tmp_path / "out"))
    out = tmp_path / "out"
    assert proc.returncode == 1, proc.stdout + proc.stderr
    assert "3 reports: 1 built, 2 failed, 0 up to date" in proc.stdout
    assert "2 báo cáo lỗi / failed report(s)" in proc.stdout  # Vietnamese first
    assert "RuntimeError: deliberate failure for 894 2024" in proc.stdout
    assert "ReportError: Năm 1989 không thể có số liệu" in proc.stdout
    # the good report is complete; the failed ones keep their partial notebook and have no HTML
    assert (out / "2024/894/data_quality.html").is_file()
    assert not (out / "2024/894/failing_report.html").exists()
    assert not (out / "1989/894/district_report.html").exists()
    failed = json.loads((out / "2024/894/failing_report.failed.ipynb").read_text(encoding="utf-8"))
    statuses = [
        c["metadata"].get("papermill", {}).get("status") for c in failed["cells"] if c["cell_type"] == "code"
    ]
    assert statuses == ["completed", "completed", "completed", "failed", "pending"]
    assert any("papermill-error-cell-tag" in c["metadata"].get("tags", []) for c in failed["cells"])
    ran = next(c for c in failed["cells"] if "first cell ran" in "".join(c["source"]))
    assert "first cell ran for 894 2024" in "".join(ran["outputs"][0]["text"])
    m = assert_consistent(out)
    st = {k: e["status"] for k, e in m["reports"].items()}
    assert st == {
        "2024/894/failing_report": "failed",
        "1989/894/district_report": "failed",
        "2024/894/data_quality": "ok",
    }
    err = m["reports"]["1989/894/district_report"]["error"]
    assert err.startswith("ReportError: Năm 1989 không thể có số liệu") and "\n" not in err
    assert (
        m["reports"]["2024/894/failing_report"]["outputs"]["failed_ipynb"]["path"]
        == "2024/894/failing_report.failed.ipynb"
    )
    index = (out / "index-fail.html").read_text(encoding="utf-8")
    assert "3 báo cáo, 2 lỗi" in index and "deliberate failure" in index
    dry = run_build(home, "fail", "--outputs", str(out), "--dry-run")
    assert "2 would run, 1 up to date" in dry.stdout and dry.stdout.count("failed before") == 2


@pytest.mark.parametrize(("name", "value"), [("BAOCAO_WARM_MAX_MB", "abc"), ("BAOCAO_WARM_MAX_RUNS", "0")])
def test_a_bad_warm_kernel_limit_stops_the_build_in_one_line(built, name, value):
    proc = subprocess.run(
        [*BAOCAO, "build", "small", "--outputs", "bad-limit", "--force"],
        cwd=built["home"],
        env={**env_for(built["home"]), name: value},
        capture_output=True,
        text=True,
        timeout=180,
    )
    assert proc.returncode == 2
    assert name in proc.stderr and repr(value) in proc.stderr
    assert len(proc.stderr.strip().splitlines()) == 1
    assert not (built["home"] / "bad-limit" / "manifest.json").exists()


@pytest.mark.slow
def test_lock_stops_a_second_build(built):
    from filelock import FileLock

    outputs = built["outputs"]
    before = (outputs / "manifest.json").read_bytes()
    with FileLock(str(outputs / ".baocao.lock"), timeout=0):
        proc = run_build(built["home"], "small", "--outputs", "out", "--force")
    assert proc.returncode == 2
    assert "another build is writing" in proc.stderr and ".baocao.lock" in proc.stderr
    assert len(proc.stderr.strip().splitlines()) == 1
    assert (outputs / "manifest.json").read_bytes() == before


# A build killed with SIGKILL mid-build: tests/test_faults.py (held at a known point).


@pytest.mark.slow
def test_dask_cluster_gives_identical_html(built, tmp_path):
    from distributed import LocalCluster

    out = tmp_path / "dask"
    with LocalCluster(n_workers=1, threads_per_worker=1, processes=True, dashboard_address=None) as cluster:
        proc = run_build(
            built["home"],
            "small",
            "--only",
            "2024",
            "--outputs",
            str(out),
            "--scheduler",
            cluster.scheduler_address,
        )
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "2 built" in proc.stdout
    m = assert_consistent(out)
    assert m["build"]["scheduler"] == cluster.scheduler_address
    for key in ("2024/894/district_report", "2024/30682/commune_report"):
        assert sha(out / f"{key}.html") == built["hashes"][f"{key}.html"], key
        assert sha(out / f"{key}.ipynb") == built["hashes"][f"{key}.ipynb"], key


@pytest.mark.slow
def test_unreachable_scheduler_is_a_clear_error(tmp_path, capsys):
    from baocao.cli import main

    plan = tmp_path / "p.yml"
    plan.write_text("years: 2024\nreports:\n  - {notebook: data_quality, district: 894}\n")
    rc = main(["build", str(plan), "--outputs", str(tmp_path / "out"), "--scheduler", "tcp://127.0.0.1:9"])
    assert rc == 2
    assert "cannot connect to the Dask scheduler at tcp://127.0.0.1:9" in capsys.readouterr().err


WORKER_IMPORTS = """\
import multiprocessing, sys
from concurrent.futures import ProcessPoolExecutor
from baocao.cli import main  # noqa: F401 - as the `baocao` command's script does (workers re-import it)
from baocao.build import worker

def job_then_modules(job):
    result = worker.execute(job)
    return result["status"], sorted(m for m in ("pandas", "matplotlib", "seaborn") if m in sys.modules)

if __name__ == "__main__":
    spawn = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(1, mp_context=spawn, initializer=worker.init) as pool:
        job = {"key": "k", "notebook": "x", "notebook_path": sys.argv[1], "cwd": "/", "parameters": {}}
        status, loaded = pool.submit(job_then_modules, job).result()
        print(status, *loaded)
"""


def test_a_worker_does_not_load_pandas(tmp_path):
    # The kernel runs the report's pandas code; a worker holding pandas too costs ≈ 60 MB each.
    script = tmp_path / "build_like.py"
    script.write_text(WORKER_IMPORTS, encoding="utf-8")
    out = subprocess.run(
        [sys.executable, str(script), str(tmp_path / "missing.ipynb")],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert out.returncode == 0, out.stderr
    assert out.stdout.split() == ["failed"], (
        out.stdout
    )  # the job ran (its notebook is missing) and nothing heavy was loaded


def test_build_processes_skip_the_grammar_jsonschema_would_compile_and_notebooks_still_validate():
    """A pool worker (as the build and the preview) never imports rfc3987_syntax (1,2 s of
    CPU for a grammar only jsonschema's iri format checks use); notebooks are read, validated
    and written as before, and an invalid one is still refused."""
    code = (
        "import sys\n"
        "from baocao.build import worker\n"
        "worker.init()\n"
        "from baocao.build import engine\n"  # papermill, nbformat, jsonschema: as a worker imports them
        "import nbformat\n"
        f"nb = nbformat.read({str(ROOT / 'notebooks' / 'commune_report.ipynb')!r}, as_version=4)\n"
        "nbformat.validate(nb)\n"
        "nbformat.reads(nbformat.writes(nb), as_version=4)\n"
        "nb.cells[0]['cell_type'] = 'nonsense'\n"
        "try:\n    nbformat.validate(nb)\nexcept nbformat.ValidationError:\n    print('refused')\n"
        "print(sys.modules.get('rfc3987_syntax', 'absent'))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=180)
    assert out.returncode == 0, out.stderr
    assert out.stdout.split() == ["refused", "None"]
