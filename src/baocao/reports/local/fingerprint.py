"""The input fingerprint of a local report (district, commune, data quality), for the builder:
it rebuilds only the reports whose inputs changed. Importing this module does not import the
charts (matplotlib, seaborn): the builder hashes the data without them."""

from __future__ import annotations

import hashlib

from baocao.reports.kit import load_data, memo
from baocao.reports.local.context import district_rows


def input_fingerprint(kind: str, unit: str, year: int, data_dir: str = "") -> str:
    """Content hash (sha256 hex) of exactly what a report of ``kind`` for ``unit`` and ``year`` reads.

    That is the catalogue, the published figures, the validation problems and row count of
    the whole data set (every report states them), and the observation rows of the unit's
    district and its communes with year <= ``year`` (a canonical CSV of the sorted subset,
    without file name or line number: :func:`~baocao.reports.local.context.district_rows`).
    Editing one commune's 2024 row changes the fingerprint of that district's 2024 reports only.
    Builders use it to skip unchanged reports.
    """
    ds = load_data(data_dir)
    reg = ds.registry
    u = reg.unit(str(unit))
    district = next((reg.unit(c) for c in reg.path(u.code) if reg.level_of(c) == "district"), u)
    # The texts hashed are the same for every report of a district and year (and the common ones
    # for every report): made once per loaded data set (a changed file is a new data set).
    # A build hashes the 58 reports of the plan in 0,1 s, not 0,5.
    catalogue, published, sources, problems = memo(ds, ("fingerprint common",), lambda: _common(ds))
    rows_text, per_text = district_rows(ds, district.code, int(year))
    h = hashlib.sha256()
    for part in (
        f"{kind}|{u.code}|{district.code}|{int(year)}|{len(ds.observations)}",
        catalogue,
        published,
        sources,
        problems,
        rows_text,
        per_text,
    ):
        h.update(part.encode())
        h.update(b"\0")
    return h.hexdigest()


def _common(ds) -> tuple[str, str, str, str]:
    pub = ds.published.drop(columns=["file"], errors="ignore")
    return (
        repr(ds.catalogue),
        pub.to_csv(index=False),
        repr(getattr(ds, "sources", {})),
        ds.problems.to_csv(index=False),
    )
