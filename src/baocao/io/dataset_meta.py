"""A data folder's ``dataset.yaml``: which unit list its codes belong to, and what it is.

Every data folder (``data/thoai_son/``, ``data/an_giang_2025/``, a folder made by
``baocao init-district``) declares its unit list; every observation and published figure in it
is read against that list (:mod:`baocao.data.unit_lists`)::

    unit_list: legacy            # legacy (until 30 June 2025) | "2025" (from 1 July 2025)
    title_vi: Huyện Thoại Sơn, tỉnh An Giang — 2022–2024
    title_en: Thoại Sơn district, An Giang province — 2022–2024
    published_vi: …              # optional: which published figures exist for these units, and why
    published_en: …              #   none when there are none (said on the pages that compare)
    history: [data/thoai_son]    # optional, a folder of the 2025 list: the legacy data folders (relative
                                 #   to the project) of the old units its units were formed from

:func:`unit_list_of` decides the list of the files of one load: the list their folder declares,
or the one the caller names (``baocao validate FILE --unit-list 2025``) for a file in a folder
without ``dataset.yaml``; it refuses a file whose list is not known, files of two lists at once,
and a named list another than the folder's.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

import yaml

from baocao.data import unit_lists
from baocao.data.unit_lists import UnitListError
from baocao.io.tables import InputFileError, read_text

FILE = "dataset.yaml"
KEYS = ("unit_list", "title_vi", "title_en", "published_vi", "published_en", "history")


@dataclass(frozen=True)
class DatasetMeta:
    unit_list: str  # "legacy" | "2025"
    title_vi: str = ""
    title_en: str = ""
    published_vi: str = ""
    published_en: str = ""
    file: str = ""  # the dataset.yaml it was read from, as users read paths
    # a folder of the 2025 list: the legacy data folders (relative to the project) of the old units
    # its units were formed from, whose rows the reports re-express as their history (crosswalk)
    history: tuple[str, ...] = ()

    def title(self, lang: str = "vi") -> str:
        return self.title_vi if lang == "vi" else (self.title_en or self.title_vi)

    def published_note(self, lang: str = "vi") -> str:
        return self.published_vi if lang == "vi" else (self.published_en or self.published_vi)


def _shown(path: Path) -> str:
    from baocao.io.dataset import display_path

    return display_path(path)


def meta_path(folder: str | os.PathLike) -> Path:
    return Path(folder) / FILE


def read_meta(folder: str | os.PathLike) -> DatasetMeta | None:
    """The folder's ``dataset.yaml``, checked; None when the folder has none."""
    path = meta_path(folder)
    if not path.is_file():
        return None
    name = _shown(path)
    try:
        doc = yaml.safe_load(read_text(path))
    except yaml.YAMLError as exc:
        raise InputFileError(f"{name}: không phải YAML hợp lệ / not valid YAML: {exc}") from None
    if not isinstance(doc, dict):
        raise InputFileError(f"{name}: cần các khóa ({', '.join(KEYS)}) / expected keys ({', '.join(KEYS)})")
    unknown = [k for k in doc if k not in KEYS]
    if unknown:
        raise InputFileError(
            f"{name}: khóa lạ / unknown key(s) {', '.join(map(str, unknown))}; allowed: {', '.join(KEYS)}"
        )
    if "unit_list" not in doc:
        raise InputFileError(
            f'{name}: thiếu unit_list (legacy hoặc "2025") / unit_list is missing (legacy or "2025")'
        )
    try:
        unit_list = unit_lists.normalize(doc["unit_list"])
    except UnitListError as exc:
        raise InputFileError(f"{name}: {exc}") from None
    history = doc.get("history", [])
    history = [history] if isinstance(history, str) else history
    if not isinstance(history, list) or not all(isinstance(h, str) and h.strip() for h in history):
        raise InputFileError(
            f"{name}: history là danh sách thư mục số liệu cũ, vd. [data/thoai_son] / history must be a list "
            f"of legacy data folders, e.g. [data/thoai_son], not {history!r}"
        )
    if history and unit_list != unit_lists.NEW:
        raise InputFileError(
            f'{name}: history chỉ dành cho thư mục danh mục 2025 (unit_list: "2025") / history belongs to a '
            'folder of the 2025 list (unit_list: "2025")'
        )
    texts = {}
    for k in KEYS[1:-1]:
        v = doc.get(k, "")
        if not isinstance(v, str):
            raise InputFileError(f"{name}: {k} là một dòng chữ / {k} must be text, not {v!r}")
        texts[k] = v.strip()
    return DatasetMeta(unit_list, file=name, history=tuple(h.strip() for h in history), **texts)


def meta_text(
    unit_list: str, title_vi: str, title_en: str, published_vi: str = "", published_en: str = ""
) -> str:
    """A ``dataset.yaml`` as :func:`read_meta` reads it, with a comment saying what it is for."""
    unit_list = unit_lists.normalize(unit_list)
    value = "legacy" if unit_list == unit_lists.LEGACY else '"2025"'

    def q(text: str) -> str:
        return yaml.safe_dump(text, allow_unicode=True, width=10_000).strip().removesuffix("\n...").strip()

    lines = [
        "# Danh mục đơn vị của mọi mã trong thư mục này (data/README.md) / the unit list every code in",
        '# this folder belongs to: legacy = until 30 June 2025 (years up to 2024), "2025" = from',
        "# 1 July 2025 (years from 2025, 2025 for the whole year).",
        f"unit_list: {value}",
        f"title_vi: {q(title_vi)}",
        f"title_en: {q(title_en)}",
    ]
    if published_vi:
        lines.append(f"published_vi: {q(published_vi)}")
    if published_en:
        lines.append(f"published_en: {q(published_en)}")
    return "\n".join(lines) + "\n"


def folder_unit_list(data_dir: str | os.PathLike = "") -> str:
    """The unit list of a data folder (``""``: the project's default data), for code that resolves
    units before any data is loaded (a plan's ``communes: {of: 91}``, a report's unit parameter):
    ``91`` is the new An Giang in a folder of the 2025 list and Kiên Giang in a legacy one. A
    relative folder is relative to the project; a folder without ``dataset.yaml`` is refused."""
    from baocao import config

    folder = Path(data_dir) if data_dir else config.default_observation_files()[0].parent
    if not folder.is_absolute():
        folder = config.home() / folder
    meta = read_meta(folder)
    if meta is None:
        raise UnitListError(
            f"{_shown(folder)}: không có {FILE} nói mã đơn vị thuộc danh mục nào / no {FILE} saying which "
            'unit list its codes belong to (unit_list: legacy or "2025")'
        )
    return meta.unit_list


def unit_list_of(files, given: str | None = None) -> str:
    """The unit list of the data files of one load (observations and published figures).

    Each file is read against the list its folder's ``dataset.yaml`` declares; ``given`` (a
    command's ``--unit-list``) names the list of files in folders without one. Refused, with
    one message naming the file(s): a file whose list is unknown, files of both lists, a
    ``given`` list another than the folder's."""
    given = unit_lists.normalize(given) if given is not None else None
    declared: dict[str, list[str]] = {}
    loose: list[str] = []
    metas: dict[Path, DatasetMeta | None] = {}
    for f in files:
        folder = Path(f).resolve().parent
        if folder not in metas:
            metas[folder] = read_meta(folder)
        meta = metas[folder]
        if meta is None:
            loose.append(_shown(Path(f)))
        else:
            declared.setdefault(meta.unit_list, []).append(meta.file)
    if given is not None:
        wrong = {k: v for k, v in declared.items() if k != given}
        if wrong:
            name, where = next(iter(wrong.items()))
            has_vi, has_en = unit_lists.label(name, "vi", True), unit_lists.label(name, "en", True)
            say_vi, say_en = unit_lists.label(given, "vi", True), unit_lists.label(given, "en", True)
            raise UnitListError(
                f"{where[0]} khai báo {has_vi}, không phải {say_vi} như --unit-list {given} / {where[0]} "
                f"declares the {has_en}, not the {say_en} given by --unit-list {given}"
            )
        return given
    if len(declared) > 1:
        (a, fa), (b, fb) = list(declared.items())[:2]
        a_vi, b_vi = unit_lists.label(a, "vi", True), unit_lists.label(b, "vi", True)
        a_en, b_en = unit_lists.label(a, "en", True), unit_lists.label(b, "en", True)
        raise UnitListError(
            f"không đọc chung số liệu của hai danh mục: {fa[0]} ({a_vi}) và {fb[0]} ({b_vi}) / files of two "
            f"unit lists cannot be read together: {fa[0]} ({a_en}) and {fb[0]} ({b_en})"
        )
    if loose:
        raise UnitListError(
            f"{loose[0]}: không biết mã đơn vị thuộc danh mục nào — thêm --unit-list legacy (đến 30/6/2025) "
            f"hoặc --unit-list 2025 (từ 1/7/2025), hoặc đặt tệp vào thư mục có {FILE} / which unit list its "
            f"codes belong to is not known: add --unit-list legacy (until 30 June 2025) or --unit-list 2025 "
            f"(from 1 July 2025), or put the file in a folder with a {FILE}"
        )
    if not declared:
        raise UnitListError(
            "không có tệp số liệu nào, không biết danh mục đơn vị / no data file, so no unit list: "
            "add --unit-list"
        )
    return next(iter(declared))


def history_folders(data_dir: str | os.PathLike = "") -> list[Path]:
    """The legacy data folders a folder of the 2025 list names in its ``dataset.yaml`` (``history:``),
    resolved against the project folder: where the old units' rows are, which the reports re-express on
    the new units. Refused, naming the ``dataset.yaml``: a folder that does not exist or is not of the
    legacy list. ``[]`` when the folder names none (or has no ``dataset.yaml``)."""
    from baocao import config

    folder = Path(data_dir) if data_dir else config.default_observation_files()[0].parent
    if not folder.is_absolute():
        folder = config.home() / folder
    meta = read_meta(folder)
    out = []
    for entry in meta.history if meta else ():
        path = Path(entry) if Path(entry).is_absolute() else config.home() / entry
        there = read_meta(path) if path.is_dir() else None
        if there is None:
            raise InputFileError(
                f"{meta.file}: history {entry}: không phải thư mục số liệu có {FILE} / not a data folder "
                f"with a {FILE}"
            )
        if there.unit_list != unit_lists.LEGACY:
            vi = unit_lists.label(there.unit_list, "vi", True)
            en = unit_lists.label(there.unit_list, "en", True)
            raise InputFileError(
                f"{meta.file}: history {entry} dùng {vi}, lịch sử phải là số liệu theo danh mục cũ / uses "
                f"the {en}; the history must be data of the legacy list"
            )
        out.append(path)
    return out
