"""What a build checks before it touches ``outputs/``, and what it checks at the end.

Before anything runs, so that a build that cannot succeed changes nothing:

- **the data**: each report kind that reads data names a check in the registry
  (:mod:`baocao.reports.registry`: the local reports validate the observations, as
  ``baocao validate`` does). Each check runs once per data folder, not once per report; a
  blocking problem stops the build with the problems listed once (:func:`data_problems`). A
  folder found valid is remembered in the stat cache (:mod:`baocao.io.filestamps`) under the
  hash of every data file, the source and the versions, so a build with nothing changed loads
  no data to know it;
- **the other plans**: a report is one file per key (``2024/894/district_report``) in an
  outputs folder. A plan may not overwrite a report that another plan built there with other
  parameters (:func:`plan_conflicts`): the build is refused, naming both plans. The same report
  with the same parameters in two plans is one page both indexes link.

At the end: every page the manifest says this build made or kept is still on disk
(:func:`missing_pages`); a page deleted meanwhile is a failed report, not a success.
"""

from __future__ import annotations

import os
from pathlib import Path

from baocao.build.changes import code_state, data_state, parameters_hash, sha256_json
from baocao.build.plans import Plan, Report
from baocao.io.filestamps import FileHashes

VALID_MEMO = "data-valid"  # the stat cache's memo of data found valid


# ---------------------------------------------------------------- the data


def data_checks(plan: Plan, reports: list[Report]) -> list[tuple[str, str]]:
    """The ``(check function, data folder)`` pairs the reports need, each once."""
    from baocao.reports import registry

    found = {registry.data_check(r.kind, r.parameters, plan.data_path) for r in reports}
    return sorted(c for c in found if c is not None)


def _text(value) -> str:
    return "" if value is None or value != value else str(value)  # NaN: empty, as validate prints it


def data_problems(plan: Plan, reports: list[Report], hashes: FileHashes) -> list[dict]:
    """The problems of every data folder the reports read that has a blocking one (each as a dict
    of ``file, row, column, rule, value, importance, message_vi, message_en``, all text, as
    ``baocao validate`` prints them); ``[]`` when the data may be built from."""
    checks = data_checks(plan, reports)
    if not checks:
        return []
    state = data_state(plan, reports, hashes, code_state(hashes))
    key = sha256_json({"state": state, "checks": checks})
    if hashes.recall(VALID_MEMO, key):
        return []
    from baocao.reports import registry

    found = []
    for check, folder in checks:
        problems = registry.run_check(check, folder)
        rows = [{k: _text(v) for k, v in p.items()} for p in problems.to_dict("records")]
        if any(p.get("importance") == "blocking" for p in rows):
            found += rows
    if not found:
        hashes.remember(VALID_MEMO, key, True)
        hashes.save()
    return found


def blocking_count(problems: list[dict]) -> int:
    return sum(p.get("importance") == "blocking" for p in problems)


# ---------------------------------------------------------------- the other plans


def plan_conflicts(plan: Plan, reports: list[Report], manifest_reports: dict) -> list[tuple[Report, dict]]:
    """The reports another plan built into this outputs folder with other parameters (or language)
    and still plans so: ``[(report, the other plan's manifest entry)]``. A report the other plan
    no longer plans, or plans now as this one does, or whose plan file is gone, is in no one's way;
    an other plan that cannot be read counts as it was built."""
    found = []
    for r in reports:
        entry = manifest_reports.get(r.key)
        other = (entry or {}).get("plan")
        if not other or other == plan.name:
            continue
        if (entry.get("inputs") or {}).get("parameters") == parameters_hash(r):
            continue
        found.append((r, entry))
    plans: dict[str, dict | None] = {}
    for _, entry in found:
        if entry["plan"] not in plans:
            plans[entry["plan"]] = _planned(entry["plan"], plan.home)
    return [
        (r, e)
        for r, e in found
        if plans[e["plan"]] is None or plans[e["plan"]].get(r.key, parameters_hash(r)) != parameters_hash(r)
    ]


def _planned(name: str, home: Path) -> dict | None:
    """The reports the plan ``name`` (as the manifest names it) plans now: ``{key: parameters hash}``;
    ``{}`` when its file is gone; None when it cannot be read."""
    from baocao.build.plans import PlanError, load_plan

    path = Path(name) if Path(name).is_absolute() else Path(home) / name
    if not path.is_file():
        return {}
    try:
        return {r.key: parameters_hash(r) for r in load_plan(path, home=home).reports}
    except (PlanError, OSError):
        return None


def _differences(report: Report, entry: dict) -> str:
    mine = {**report.parameters, "lang": report.lang}
    theirs = {**(entry.get("parameters") or {}), "lang": entry.get("lang")}
    names = [k for k in sorted(set(mine) | set(theirs)) if mine.get(k) != theirs.get(k)]

    def shown(values: dict, name: str) -> str:
        return repr(values[name]) if name in values else "(mặc định / default)"

    return ", ".join(f"{k}: {shown(mine, k)} ≠ {shown(theirs, k)}" for k in names)


def conflict_message(plan: Plan, conflicts: list[tuple[Report, dict]], outputs: Path) -> str:
    """One line, Vietnamese then English, naming both plans, the first report and the parameters
    that differ."""
    r, entry = conflicts[0]
    other, diff = entry["plan"], _differences(r, entry)
    more = len(conflicts) - 1
    return (
        f"{plan.name}: báo cáo {r.key} trong {outputs} đã được lập theo kế hoạch {other} với tham số khác"
        f" ({diff})" + (f", và {more} báo cáo khác" if more else "") + "; hai kế hoạch không được ghi đè "
        "báo cáo của nhau: lập vào thư mục khác (--outputs DIR) hoặc bỏ báo cáo khỏi một kế hoạch / "
        f"report {r.key} in {outputs} was built by plan {other} with other parameters ({diff})"
        + (f", and {more} other report(s)" if more else "")
        + "; a plan may not overwrite another plan's reports: build into another folder (--outputs DIR) "
        "or remove the report from one of the plans"
    )


# ---------------------------------------------------------------- at the end


def missing_pages(outputs: Path, manifest_reports: dict, keys) -> dict[str, list[str]]:
    """The reports among ``keys`` whose manifest entry claims files (a page built or kept) that are
    not on disk with the size recorded: ``{key: [paths]}``. Only ``stat``: the build wrote these
    files itself, or checked their hashes when it started."""
    out: dict[str, list[str]] = {}
    for key in keys:
        entry = manifest_reports.get(key) or {}
        for o in (entry.get("outputs") or {}).values():
            try:
                ok = os.stat(Path(outputs) / o["path"]).st_size == o.get("bytes")
            except OSError:
                ok = False
            if not ok:
                out.setdefault(key, []).append(o["path"])
    return out
