"""What the first cell of every report notebook does: :func:`open_report` (through the registry
:mod:`baocao.reports.registry`), the parameter checks, and the project's data set, loaded once per
process while its files are unchanged (:func:`load_data`)."""

from __future__ import annotations

from functools import lru_cache

from baocao.reports import registry
from baocao.reports.registry import ReportError


def open_report(kind: str, namespace: dict):
    """First call of every report notebook: check parameters, load and validate data, compute
    (the kind's opener, from the registry :mod:`baocao.reports.registry`). ``namespace``: the
    notebook's ``globals()``, holding its parameters."""
    return registry.open_context(kind, namespace)


def check_lang(lang) -> str:
    if lang not in ("vi", "en"):
        raise ReportError(f"lang phải là 'vi' hoặc 'en' / lang must be 'vi' or 'en', not {lang!r}")
    return lang


def check_year(year) -> int:
    try:
        return int(str(year).strip())
    except ValueError:
        raise ReportError(f"Năm không hợp lệ / invalid year: {year!r}") from None


def check_data(ds) -> None:
    """A :class:`ReportError` naming the first blocking problems (file, row, column) of the data set."""
    if not ds.ok:
        bad = ds.problems[ds.problems["importance"] == "blocking"].head(5)
        lines = "; ".join(
            f"{p.file}, dòng/row {p.row}, cột/column {p.column}: {p.message_vi} / {p.message_en}"
            for p in bad.itertuples()
        )
        raise ReportError(
            f"Số liệu có lỗi, không lập báo cáo / the data have blocking problems, no report: {lines}"
        )


@lru_cache(maxsize=4)
def _load_cached(data_dir: str, stamp: tuple):
    from baocao.io.dataset_cache import load_dataset  # loaded once for the builder and its kernels

    return load_dataset(data_dir)


def load_data(data_dir: str = ""):
    """The dataset, loaded once per process while its files are unchanged.

    A relative ``data_dir`` is relative to the project folder (as ``gso_dir`` is), not to
    the working directory: notebooks run in ``notebooks/``."""
    from pathlib import Path

    from baocao import config
    from baocao.io.dataset import data_stamp

    if data_dir and not Path(data_dir).is_absolute():
        data_dir = str(config.home() / data_dir)
    return _load_cached(data_dir, data_stamp(data_dir))
