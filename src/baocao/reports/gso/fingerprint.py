"""The input fingerprint of a GSO report, for the builder (skip the reports whose inputs did not
change), and the input check code its footer shows."""

from __future__ import annotations

import hashlib

from baocao.reports.gso.loading import GsoData, load_data
from baocao.reports.kit import memo


def data_fingerprint(data: GsoData) -> str:
    """sha256 of the tidy GSO rows, published figures, problems and
    catalogue (what every GSO report reads).
    """
    h = hashlib.sha256()
    for part in (
        data.observations.to_csv(index=False),
        data.published.to_csv(index=False),
        data.problems.to_csv(index=False),
        repr(data.catalogue),
    ):
        h.update(part.encode())
        h.update(b"\0")
    return h.hexdigest()


def fingerprint_of(data: GsoData) -> str:
    """:func:`data_fingerprint`, computed once per loaded data."""
    return memo(data, ("fingerprint",), lambda: data_fingerprint(data))


def input_fingerprint(kind: str, unit: str, year: int, gso_dir: str = "") -> str:
    """Content hash of what a GSO report reads (for the builder: skip unchanged reports).

    Every province report ranks the province among all others, and the national overview
    (unit ``"VN"``) shows them all, so each reads all the GSO data (hashed once per process).
    """
    return hashlib.sha256(
        f"{kind}|{unit}|{int(year)}|{fingerprint_of(load_data(gso_dir))}".encode()
    ).hexdigest()
