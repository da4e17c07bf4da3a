"""What must run, and why: the hashes of each report's inputs, against ``outputs/manifest.json``.

A report's inputs (:data:`INPUTS`) are the content hashes of its notebook (what it runs and shows),
its parameters, the data rows it reads (its kind's input fingerprint, :mod:`baocao.reports.registry`),
the baocao source and the package versions. A report runs when one of them differs from its
manifest entry, when it is new, failed last time, or its outputs are missing or differ from the
hashes recorded (``--force``: everything runs). Files are hashed through the stat cache
(:mod:`baocao.io.filestamps`); with nothing changed, no data is loaded.
"""

from __future__ import annotations

import functools
import hashlib
import importlib.metadata
import json
import platform
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from baocao.build.plans import Plan, Report
from baocao.io.filestamps import FileHashes, source_hash

if TYPE_CHECKING:
    from baocao.build.manifest import Manifest

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


# ---------------------------------------------------------------- hashes


def sha256_bytes(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def sha256_json(obj) -> str:
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


def code_state(hashes: FileHashes) -> dict:
    """The hashes of what every report runs on: the baocao source and the package versions."""
    return {"source": source_hash(hashes), "versions": sha256_json(versions())}


def parameters_hash(report: Report) -> str:
    """Hash of what a report is given: its parameters and language."""
    return sha256_json({"parameters": report.parameters, "lang": report.lang})


def notebook_hash(path: Path) -> str:
    """Hash of what a template notebook runs and shows: cell types, sources, tags, kernel.

    Saving it in JupyterLab (new metadata, cell ids) does not count as a change.
    """
    from baocao.build.notebook_info import read_cells

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
    return sha256_json({"cells": cells, "kernel": [ks.get("name"), ks.get("language")]})


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
    return sha256_json({"files": files, "data_path": plan.data_path, **common})


def data_hash(
    report: Report, data_path: str, home: Path, cache: dict | None = None, hashes: FileHashes | None = None
) -> str:
    """Hash of the data one report reads: its kind's input fingerprint (:mod:`baocao.reports.registry`), or
    every file under ``data/`` for a notebook whose kind has none."""
    from baocao.reports import registry

    found = registry.input_fingerprint(report.kind, report.unit, report.year, report.parameters, data_path)
    if found is not None:
        return found
    cache = {} if cache is None else cache
    if "folder" not in cache:
        folder = Path(home) / "data"
        sha = (hashes or FileHashes()).sha256
        cache["folder"] = sha256_json(
            [[p.relative_to(folder).as_posix(), sha(p)] for p in sorted(folder.rglob("*")) if p.is_file()]
        )
    return cache["folder"]


# ---------------------------------------------------------------- what must run


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
    common = code_state(hashes)
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
                    "parameters": parameters_hash(r),
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
