"""The input fingerprint of a report of a 2025 unit, for the builder: it rebuilds only the reports
whose inputs changed. Importing this module does not import the charts."""

from __future__ import annotations

import hashlib

import pandas as pd

from baocao.errors import BaocaoError
from baocao.reports.kit import ROW_KEYS, canonical_csv, load_data, memo
from baocao.reports.two_level.context import folder_path, load_history
from baocao.reports.two_level.reform import old_communes


def input_fingerprint(kind: str, unit: str, year: int, data_dir: str = "") -> str:
    """Content hash (sha256 hex) of exactly what a report of ``kind`` on the 2025 ``unit`` (a commune
    or a province) for ``year`` reads.

    That is the catalogue, the folder's ``dataset.yaml``, published figures and problems and its
    years, the reported rows of the unit and the units under it up to ``year``, and the legacy rows
    of the old communes they were formed from and of those communes' districts (their history, and
    what it could not carry over). Editing one commune's 2026 row changes the fingerprints of that
    commune's and its province's 2026 reports only. A folder that cannot be read gives the error's
    text, so the report runs and says it."""
    h = hashlib.sha256()
    try:
        parts = _parts(str(unit), int(year), data_dir)
    except BaocaoError as exc:
        parts = [f"error: {exc}"]
    for part in (f"{kind}|{unit}|{int(year)}", *parts):
        h.update(part.encode())
        h.update(b"\0")
    return h.hexdigest()


def _parts(unit: str, year: int, data_dir: str) -> list[str]:
    ds = load_data(data_dir)
    history = load_history(data_dir)
    common = memo(ds, ("two-level fingerprint common",), lambda: _common(ds, data_dir))
    obs = ds.observations
    scope = {unit} | {u.code for u in ds.registry.children(unit)} if unit in ds.registry else {unit}
    rows = obs[obs["unit"].isin(scope) & (obs["year"] <= year)]
    olds = {o for u in scope for o in old_communes(u)}
    if history.datasets:
        old = history.datasets[0].registry
        olds |= {old.unit(o).parent for o in olds if o in old}
    old_rows = history.rows[history.rows["unit"].isin(olds)]
    return [
        *common,
        ",".join(history.folders),
        ",".join(str(y) for y in sorted(set(obs["year"])) if y <= year),
        canonical_csv(rows, ROW_KEYS),
        canonical_csv(old_rows, ROW_KEYS) if len(old_rows) else "",
    ]


def _common(ds, data_dir: str) -> tuple[str, ...]:
    from baocao.io.dataset_meta import read_meta

    pub = ds.published.drop(columns=["file"], errors="ignore")
    meta = read_meta(folder_path(data_dir)) if data_dir else None
    return (
        repr(ds.catalogue),
        repr(meta),
        pd.DataFrame(pub).to_csv(index=False),
        repr(getattr(ds, "sources", {})),
        ds.problems.to_csv(index=False),
    )
