"""A build never loses the last good page (issue #22, part 3).

- Data that fail validation stop the build before any report runs: one message, exit 1, nothing
  in ``outputs/`` created or changed.
- A report that fails keeps its last good page, which the plan's index links, marked out of date
  with the reason and the page's date; the next good build clears the mark. A user error
  (``BaocaoError``) is one line in the ``.failed.ipynb``; a bug keeps its traceback.
- A plan may not overwrite a report another plan built into the same folder with other
  parameters: refused, naming both plans.
- At the end a build checks that every page it claims exists (``outputs/`` deleted meanwhile).

The builds run small fixture notebooks (``flaky_report`` fails when the test says so,
``held_report`` waits for a file) in a throw-away project; nothing waits on a clock.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from baocao.build import preflight
from baocao.build.builder import Build
from baocao.build.changes import Item, parameters_hash, sha256_bytes
from baocao.build.html import render_index
from baocao.build.manifest import Manifest, index_entries
from baocao.build.plans import load_plan
from test_builder import BAOCAO, FIXTURES, ROOT, assert_consistent, env_for, make_project, manifest, sha

FLAKY_PLAN = """\
title: Thử lỗi
years: [2023, 2024]
reports:
  - notebook: flaky_report
    district: 894
"""
FLAKY = ["2023/894/flaky_report", "2024/894/flaky_report"]
HELD_PLAN = """\
years: [2022, 2023, 2024]
reports:
  - notebook: held_report
    district: 894
"""
HELD = [f"{y}/894/held_report" for y in (2022, 2023, 2024)]


@pytest.fixture()
def home(tmp_path):
    home = make_project(tmp_path / "project")
    for nb in ("flaky_report", "held_report"):
        shutil.copy(FIXTURES / f"{nb}.ipynb", home / "notebooks" / f"{nb}.ipynb")
    (home / "params" / "flaky.yml").write_text(FLAKY_PLAN, encoding="utf-8")
    (home / "params" / "held.yml").write_text(HELD_PLAN, encoding="utf-8")
    (home / "gate").mkdir()
    return home


def _build(procs, home: Path, *args: str):
    env = {**env_for(home), "BAOCAO_TEST_GATE": str(home / "gate")}
    return procs.run([*BAOCAO, "build", *args], cwd=home, env=env)


def _files(folder: Path) -> dict:
    """Every file under ``folder`` with its bytes and modification time (what "not touched" means)."""
    return {
        p.relative_to(folder).as_posix(): (p.read_bytes(), p.stat().st_mtime_ns)
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def break_data(path: Path) -> None:
    """Two blocking problems: a population below 0 (with the two rules it breaks) and a value
    that is no number."""
    text = path.read_text(encoding="utf-8")
    for good, bad in (
        ("30682,2022,dan_so,,10983,", "30682,2022,dan_so,,-5,"),
        ("30685,2022,dan_so,,11724,", "30685,2022,dan_so,,abc,"),
    ):
        assert good in text
        text = text.replace(good, bad)
    path.write_text(text, encoding="utf-8")


# ---------------------------------------------------------------- invalid data


@pytest.mark.slow
def test_invalid_data_stop_the_build_before_any_report_runs_and_touch_nothing(home, procs):
    out = home / "out"
    first = _build(procs, home, "flaky", "--outputs", "out", "--jobs", "1")
    assert first.returncode == 0, first.stdout
    before = _files(out)
    break_data(home / "data" / "copy" / "observations.csv")

    res = _build(procs, home, "small", "--outputs", "out", "--jobs", "2")
    text = res.stdout
    assert res.returncode == 1, text
    assert "Traceback" not in text and "FAILED" not in text, text
    lines = text.strip().splitlines()
    assert lines[0] == (
        "baocao build: params/small.yml: số liệu không hợp lệ, không báo cáo nào được chạy, out không bị "
        "thay đổi / the data fail validation: no report was run, out is unchanged"
    )
    # the problems as `baocao validate` prints them, each once, then one closing line
    env = {**env_for(home), "BAOCAO_TEST_GATE": str(home / "gate")}
    files = ["data/copy/observations.csv", "--published", "data/copy/published.csv"]
    check = procs.run([*BAOCAO, "validate", *files], cwd=home, env=env)
    assert check.returncode == 1, check.stdout
    problems = [line for line in check.stdout.splitlines() if line.startswith("data/copy/")]
    assert len(problems) == 4 and any('"abc" không phải là số' in p for p in problems), problems
    assert lines[1:-1] == problems
    assert lines[-1] == "4 lỗi; sửa tệp rồi chạy lại. / 4 problem(s); fix the file(s) and run again."
    assert _files(out) == before  # not the pages, not the index, not the manifest, not even the lock

    fresh = _build(procs, home, "small", "--outputs", "fresh", "--dry-run")
    assert fresh.returncode == 1 and "the data fail validation" in fresh.stdout, fresh.stdout
    again = _build(procs, home, "small", "--outputs", "fresh")
    assert again.returncode == 1 and again.stdout == text.replace(" out ", " fresh "), again.stdout
    assert not (home / "fresh").exists()  # the folder is not even created


def test_valid_data_are_checked_once_then_remembered(tmp_path, monkeypatch):
    from baocao.io.filestamps import FileHashes
    from baocao.reports import registry

    home = make_project(tmp_path / "project")
    monkeypatch.setenv("BAOCAO_HOME", str(home))
    plan = load_plan(home / "params" / "small.yml", home=home)
    assert preflight.data_checks(plan, plan.reports) == [
        ("baocao.io.dataset_cache:validation_problems", str(home / "data" / "copy"))
    ]  # three reports, one folder: one check
    hashes = FileHashes.for_home(home)
    runs = []
    real = registry.run_check
    monkeypatch.setattr(registry, "run_check", lambda *a: runs.append(a) or real(*a))
    assert preflight.data_problems(plan, plan.reports, hashes) == []
    assert preflight.data_problems(plan, plan.reports, FileHashes.for_home(home)) == []
    assert len(runs) == 1  # the second build knows these files were valid
    break_data(home / "data" / "copy" / "observations.csv")
    found = preflight.data_problems(plan, plan.reports, FileHashes.for_home(home))
    assert preflight.blocking_count(found) == 4 and len(runs) == 2
    assert {p["rule"] for p in found} == {"number", "range", "R04", "R07"}
    # a plan of notebooks no kind checks (the fixture reports, the GSO reports' own data) checks nothing
    gso = load_plan(ROOT / "params" / "gso_provinces.yml", home=ROOT)
    assert preflight.data_checks(gso, gso.reports) == []


# ---------------------------------------------------------------- the last good page


@pytest.mark.slow
def test_a_failed_report_keeps_its_last_good_page_marked_out_of_date(home, procs):
    gate, out = home / "gate", home / "out"
    first = _build(procs, home, "flaky", "--outputs", "out", "--jobs", "1")
    assert first.returncode == 0, first.stdout
    good = manifest(out)["reports"]
    pages = {k: (sha(out / f"{k}.html"), sha(out / f"{k}.ipynb")) for k in FLAKY}

    (gate / "user-error-2024").touch()  # the user's to fix
    (gate / "bug-2023").touch()  # a bug
    res = _build(procs, home, "flaky", "--outputs", "out", "--jobs", "1", "--force")
    assert res.returncode == 1, res.stdout
    assert "2 reports: 0 built, 2 failed" in res.stdout and "last good page, kept" in res.stdout, res.stdout
    m = assert_consistent(out)
    for key in FLAKY:  # the page and its notebook are the last good ones, byte for byte
        assert (sha(out / f"{key}.html"), sha(out / f"{key}.ipynb")) == pages[key]
        e = m["reports"][key]
        assert e["status"] == "failed" and e["plan"] == "params/flaky.yml"
        assert e["page"]["started"] == good[key]["started"]
        assert e["outputs"]["html"] == good[key]["outputs"]["html"]
        assert e["outputs"]["failed_ipynb"]["path"] == f"{key}.failed.ipynb"
    assert m["reports"][FLAKY[1]]["error"] == (
        "UserError: Thiếu số liệu năm 2024 / no data for 2024 (cell In [3])"
    )

    def error_output(key):
        nb = json.loads((out / f"{key}.failed.ipynb").read_text(encoding="utf-8"))
        return next(o for c in nb["cells"] for o in c.get("outputs", []) if o["output_type"] == "error")

    user = error_output(FLAKY[1])  # one line, no traceback
    assert user["ename"] == "UserError" and len(user["traceback"]) == 1
    assert "Thiếu số liệu năm 2024" in user["traceback"][0] and "File " not in user["traceback"][0]
    bug = error_output(FLAKY[0])  # the traceback, where the bug is
    assert bug["ename"] == "ValueError" and len(bug["traceback"]) > 1

    index = (out / "index-flaky.html").read_text(encoding="utf-8")
    date = good[FLAKY[1]]["started"][:10]
    d = "/".join(reversed(date.split("-")))
    for key in FLAKY:
        assert f'href="{key}.html"' in index
    assert index.count("Chưa cập nhật") == 2 and f"Trang lập ngày {d}; lần lập lại gần nhất bị lỗi:" in index
    assert "Thiếu số liệu năm 2024 / no data for 2024" in index and "ValueError: a bug for 2023" in index
    assert "2 báo cáo, 2 lỗi" in index

    (gate / "user-error-2024").unlink()
    (gate / "bug-2023").unlink()
    fixed = _build(procs, home, "flaky", "--outputs", "out", "--jobs", "1")
    assert fixed.returncode == 0, fixed.stdout
    assert fixed.stdout.count("failed before") == 2, fixed.stdout
    m = assert_consistent(out)
    for key in FLAKY:
        assert m["reports"][key]["status"] == "ok" and "page" not in m["reports"][key]
        assert not (out / f"{key}.failed.ipynb").exists()
    index = (out / "index-flaky.html").read_text(encoding="utf-8")
    assert "Chưa cập nhật" not in index and "2 báo cáo, 0 lỗi" in index


def _result(key: str, status: str, html: str = "", error: str = "") -> dict:
    return {
        "key": key,
        "status": status,
        "error": error,
        "started": "2025-03-04T05:06:07Z" if status == "ok" else "2025-04-05T06:07:08Z",
        "duration": 1.0,
        "ipynb": '{"cells": []}' if status == "ok" or error else None,
        "html": html or None,
        "title": "Trang" if status == "ok" else "",
        "notebook_title": "Báo cáo",
        "headline": [["Số", "1"]] if status == "ok" else [],
        "marks": MARKS if status == "ok" else {},
    }


MARKS = {"banner": "Số liệu minh họa (mh)", "legend": [["mh", "minh họa"]]}


def test_every_file_of_the_last_good_page_is_kept_through_failures_and_not_a_changed_one(tmp_path):
    home = make_project(tmp_path / "project")
    (home / "notebooks" / "flaky_report.ipynb").write_bytes((FIXTURES / "flaky_report.ipynb").read_bytes())
    (home / "params" / "flaky.yml").write_text(FLAKY_PLAN, encoding="utf-8")
    plan = load_plan(home / "params" / "flaky.yml", home=home)
    out = tmp_path / "out"
    b = Build(plan, out, home / "notebooks", console=None)
    m = Manifest(out)
    item = Item(plan.reports[1], {"data": "x"})
    key = item.key
    b.record(m, item, _result(key, "ok", html="<html>good</html>"))
    pdf = b"%PDF good"
    (out / f"{key}.pdf").write_bytes(pdf)  # as finish_outputs records a format
    m.reports[key]["outputs"]["pdf"] = {"path": f"{key}.pdf", "bytes": len(pdf), "sha256": sha256_bytes(pdf)}
    m.save()

    b.record(m, item, _result(key, "failed", error="UserError: thiếu / missing"))
    b.record(m, item, _result(key, "failed", error="UserError: vẫn thiếu / still missing"))
    e = m.reports[key]
    assert set(e["outputs"]) == {"html", "ipynb", "pdf", "failed_ipynb"}
    marks = MARKS
    assert e["page"] == {
        "started": "2025-03-04T05:06:07Z",
        "title": "Trang",
        "headline": [["Số", "1"]],
        "marks": marks,
    }
    assert (out / f"{key}.html").read_text() == "<html>good</html>" and (
        out / f"{key}.pdf"
    ).read_bytes() == pdf
    assert [f[3] for f in b.failures] == [f"{key}.html (2025-03-04)"] * 2
    [entry] = index_entries(m, {key})
    assert entry["href"] == f"{key}.html" and entry["page_date"] == "2025-03-04"
    assert entry["files"] == {"pdf": f"{key}.pdf"} and entry["headline"] == [("Số", "1")]
    assert entry["status"] == "failed" and entry["error"].startswith("UserError: vẫn thiếu")
    # the kept page is listed with the illustrative banner and marks it carries
    assert entry["marks"] == marks
    assert "Số liệu minh họa (mh)" in render_index([entry]) and "Chưa cập nhật" in render_index([entry])

    (out / f"{key}.html").write_text("<html>edited by hand</html>")  # not the page the manifest knows
    m = Manifest(out)  # the next build
    b.record(m, item, _result(key, "failed", error="UserError: thiếu / missing"))
    assert "page" not in m.reports[key] and set(m.reports[key]["outputs"]) == {"failed_ipynb"}
    assert not (out / f"{key}.html").exists() and not (out / f"{key}.pdf").exists()
    [entry] = index_entries(Manifest(out), {key})
    assert entry["href"] == "" and "page_date" not in entry and entry["files"] == {}

    b.record(m, item, _result(key, "ok", html="<html>new</html>"))
    assert "page" not in m.reports[key] and set(m.reports[key]["outputs"]) == {"html", "ipynb"}
    assert not (out / f"{key}.failed.ipynb").exists()


# ---------------------------------------------------------------- two plans, one folder


def _entry_from(plan, report) -> dict:
    return {
        "plan": plan.name,
        "parameters": report.parameters,
        "lang": report.lang,
        "inputs": {"parameters": parameters_hash(report)},
        "status": "ok",
    }


def test_the_default_plan_and_the_gso_plan_share_one_folder():
    default = load_plan(ROOT / "params" / "thoai_son.yml", home=ROOT)
    gso = load_plan(ROOT / "params" / "gso_provinces.yml", home=ROOT)
    built = {r.key: _entry_from(default, r) for r in default.reports}
    assert preflight.plan_conflicts(gso, gso.reports, built) == []
    built.update({r.key: _entry_from(gso, r) for r in gso.reports})
    assert preflight.plan_conflicts(default, default.reports, built) == []
    assert preflight.plan_conflicts(gso, gso.reports, built) == []


def test_a_plan_may_not_overwrite_another_plans_report(tmp_path):
    default = load_plan(ROOT / "params" / "thoai_son.yml", home=ROOT)
    built = {r.key: _entry_from(default, r) for r in default.reports}
    mine = tmp_path / "mine.yml"
    mine.write_text(
        "years: [2023, 2024]\nreports:\n  - notebook: district_report\n    district: 894\n"
        "    parameters: {compare: ty_le_ho_ngheo}\n",
        encoding="utf-8",
    )
    plan = load_plan(mine, home=ROOT)
    found = preflight.plan_conflicts(plan, plan.reports, built)
    assert [r.key for r, _ in found] == ["2023/894/district_report", "2024/894/district_report"]
    diff = "(compare: 'ty_le_ho_ngheo' ≠ (mặc định / default))"
    assert preflight.conflict_message(plan, found, Path("outputs")) == (
        f"{mine}: báo cáo 2023/894/district_report trong outputs đã được lập theo kế hoạch "
        f"params/thoai_son.yml với tham số khác {diff}, và 1 báo cáo khác; hai kế hoạch không được ghi "
        "đè báo cáo của nhau: lập vào thư mục khác (--outputs DIR) hoặc bỏ báo cáo khỏi một kế hoạch / "
        "report 2023/894/district_report in outputs was built by plan params/thoai_son.yml with other "
        f"parameters {diff}, and 1 other report(s); a plan may not overwrite another plan's reports: build "
        "into another folder (--outputs DIR) or remove the report from one of the plans"
    )
    same = tmp_path / "same.yml"  # the same reports with the same parameters: one page, both plans
    same.write_text("years: 2024\nreports:\n  - notebook: district_report\n    district: 894\n")
    plan = load_plan(same, home=ROOT)
    assert preflight.plan_conflicts(plan, plan.reports, built) == []
    plan = load_plan(mine, home=ROOT)
    older = {k: {**e, "plan": None} for k, e in built.items()}  # entries of builds before plans were named
    assert preflight.plan_conflicts(plan, plan.reports, older) == []
    # a report the other plan no longer plans (or a plan file that is gone) stands in no one's way
    gone = {k: {**e, "plan": "params/gone.yml"} for k, e in built.items()}
    assert preflight.plan_conflicts(plan, plan.reports, gone) == []
    dropped = tmp_path / "dropped.yml"
    dropped.write_text("years: 2022\nreports:\n  - notebook: district_report\n    district: 894\n")
    assert (
        preflight.plan_conflicts(
            plan, plan.reports, {k: {**e, "plan": str(dropped)} for k, e in built.items()}
        )
        == []
    )


@pytest.mark.slow
def test_a_second_plan_is_refused_before_it_touches_the_folder(home, procs):
    (home / "params" / "other.yml").write_text(
        FLAKY_PLAN.replace("district: 894", "district: 894\n    parameters: {note: khác}"), encoding="utf-8"
    )
    first = _build(procs, home, "flaky", "--outputs", "out", "--jobs", "1")
    assert first.returncode == 0, first.stdout
    before = _files(home / "out")
    res = _build(procs, home, "other", "--outputs", "out", "--jobs", "1")
    assert res.returncode == 2, res.stdout
    [line] = res.stdout.strip().splitlines()  # one line, both languages, both plans named
    assert line.startswith(
        "baocao build: params/other.yml: báo cáo 2023/894/flaky_report trong out đã được lập theo kế hoạch "
        "params/flaky.yml với tham số khác (note: 'khác' ≠ (mặc định / default)), và 1 báo cáo khác;"
    ), line
    assert " / report 2023/894/flaky_report in out was built by plan params/flaky.yml with other " in line
    assert _files(home / "out") == before
    elsewhere = _build(procs, home, "other", "--outputs", "other-out", "--jobs", "1")
    assert elsewhere.returncode == 0, elsewhere.stdout


# ---------------------------------------------------------------- at the end of the build


@pytest.mark.slow
def test_pages_deleted_during_the_build_are_reported_failed(home, procs):
    gate, out = home / "gate", home / "out"
    (gate / "release-2022").touch()  # the first report runs through; the second waits
    env = {**env_for(home), "BAOCAO_TEST_GATE": str(gate)}
    proc = procs.start([*BAOCAO, "build", "held", "--jobs", "1", "--outputs", "out"], cwd=home, env=env)

    def first_written():
        try:
            return manifest(out)["reports"][HELD[0]]["status"] == "ok" and (gate / "reached-2023").exists()
        except (FileNotFoundError, KeyError, ValueError):
            return False

    procs.until(first_written, proc, "report 1 written, report 2 running")
    shutil.rmtree(out)  # the outputs folder deleted while the build runs
    (gate / "release").touch()
    code = procs.wait(proc)
    text = procs.output(proc)
    assert code == 1, text
    assert "3 reports: 2 built, 1 failed, 0 up to date" in text, text
    assert "missing at the end of the build" in text and "mất tệp khi bản dựng kết thúc" in text, text
    m = assert_consistent(out)
    assert {k: e["status"] for k, e in m["reports"].items()} == {
        HELD[0]: "failed",
        HELD[1]: "ok",
        HELD[2]: "ok",
    }
    assert m["reports"][HELD[0]]["outputs"] == {}
    assert m["reports"][HELD[0]]["error"] == (
        "mất tệp khi bản dựng kết thúc (bị xoá trong lúc lập?) / missing at the end of the build (deleted "
        f"while it ran?): {HELD[0]}.html, {HELD[0]}.ipynb"
    )
    index = (out / "index-held.html").read_text(encoding="utf-8")
    assert f'href="{HELD[0]}.html"' not in index and f'href="{HELD[1]}.html"' in index
    assert "3 báo cáo, 1 lỗi" in index

    again = _build(procs, home, "held", "--jobs", "1", "--outputs", "out")
    assert again.returncode == 0, again.stdout
    assert "3 reports: 1 built, 0 failed, 2 up to date" in again.stdout, again.stdout
