"""Administrative units of Viet Nam: look-up, tree navigation, 2025 crosswalk.

Two registries:
- :func:`legacy` — the three-level structure in force until 30 June 2025
  (63 provinces, 696 districts, ~10,000 communes), keyed by GSO codes
  (province ``"89"``, district ``"894"``, commune ``"30682"``);
- :func:`current` — the two-level structure from 1 July 2025 (34 provinces, 3,321
  communes). Its commune codes reuse numbers of the legacy list, so a code is only
  meaningful together with its registry.

Names are matched accent- and case-insensitively, with or without the unit type
("thoai son", "Huyện Thoại Sơn" and "894" all give district 894). An ambiguous name
can be narrowed with its parent: ``"Phú Hòa, Thoại Sơn"``.
"""

from __future__ import annotations

import json
import re
import unicodedata
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import pandas as pd

from baocao.errors import BaocaoError
from baocao.io.admin import read_admin_table, read_converter_2025

LEVELS = ("province", "district", "commune")

# unit-type words, longest first so "thành phố" wins over "phố"
_TYPE_WORDS = sorted(
    ["tỉnh", "thành phố", "huyện", "quận", "thị xã", "xã", "phường", "thị trấn", "đặc khu"],
    key=len,
    reverse=True,
)
_TYPE_LEVEL = {
    "tỉnh": "province",
    "huyện": "district",
    "quận": "district",
    "thị xã": "district",
    "xã": "commune",
    "phường": "commune",
    "thị trấn": "commune",
    "đặc khu": "commune",
}


class _UnitLookupError(BaocaoError, LookupError):
    """``str()`` is ``Vietnamese / English``; each is also kept alone (a plan error puts its key first)."""

    def __init__(self, message_vi: str, message_en: str):
        super().__init__(f"{message_vi} / {message_en}")
        self.message_vi, self.message_en = message_vi, message_en


class UnitNotFound(_UnitLookupError):
    """No unit matches; the message says what was looked for and suggests names."""


class AmbiguousUnit(_UnitLookupError):
    """Several units match; the message lists them with their codes."""


def fold(text: str) -> str:
    """Lower case, no diacritics, đ → d, single spaces: ``"Huyện  Thoại Sơn" -> "huyen thoai son"``."""
    text = unicodedata.normalize("NFD", str(text).replace("Đ", "D").replace("đ", "d"))
    text = "".join(c for c in text if unicodedata.category(c) != "Mn").lower()
    return re.sub(r"[^a-z0-9]+", " ", text).strip()


def _split_type(name: str) -> tuple[str | None, str]:
    """``"Huyện Thoại Sơn" -> ("huyện", "thoai son")``; names without a type word keep None."""
    low = unicodedata.normalize("NFC", str(name)).strip().lower()
    for word in _TYPE_WORDS:
        if low.startswith(word + " "):
            return word, fold(low[len(word) :])
    folded = fold(low)
    for word in _TYPE_WORDS:
        fw = fold(word)
        if folded.startswith(fw + " "):
            return word, folded[len(fw) + 1 :]
    return None, folded


# How official texts write these units where the plain short name would not do: "Hồ Chí Minh"
# alone is the person, the city is "TP. Hồ Chí Minh"; the capital is "Thủ đô Hà Nội" (Luật Thủ đô).
# code -> {(lang, short): name}
OFFICIAL_NAMES = {
    "79": {
        ("vi", True): "TP. Hồ Chí Minh",
        ("en", True): "Hồ Chí Minh City",
        ("en", False): "Hồ Chí Minh City",
    },
    "01": {("vi", False): "Thủ đô Hà Nội", ("en", False): "Hà Nội (capital)"},
}


def display_name(code: str, name: str, short: str, lang: str = "vi", use_short: bool = True) -> str:
    """A unit's name as official texts write it: ``TP. Hồ Chí Minh`` (short), ``Thủ đô Hà Nội``
    (full); every other unit keeps ``short`` or ``name`` as given."""
    found = OFFICIAL_NAMES.get(str(code), {}).get((lang, bool(use_short)))
    return found or (short if use_short else name)


@dataclass(frozen=True)
class Unit:
    code: str
    name: str  # full name with type, e.g. "Huyện Thoại Sơn"
    short: str  # "Thoại Sơn"
    type: str  # "Huyện", "Xã", "Thị trấn", "Phường", "Tỉnh", "Thành phố" …
    level: str  # province | district | commune
    parent: str | None
    province: str
    lat: float | None
    lon: float | None

    def label(self, lang: str = "vi") -> str:
        return self.name if lang == "vi" else f"{self.short} ({self.type_en})"

    def in_text(self, lang: str = "vi") -> str:
        """The name as running text writes it: ``huyện Thoại Sơn``, ``thị trấn Núi Sập`` (the type
        word in lower case mid-sentence; :meth:`label` is for headings and lists)."""
        if lang == "vi" and self.type and self.name.startswith(self.type + " "):
            return self.type.lower() + self.name[len(self.type) :]
        return self.label(lang)

    @property
    def type_en(self) -> str:
        return {
            "Tỉnh": "province",
            "Thành phố": "city",
            "Huyện": "district",
            "Quận": "urban district",
            "Thị xã": "town",
            "Xã": "commune",
            "Phường": "ward",
            "Thị trấn": "township",
            "Đặc khu": "special zone",
        }.get(self.type, self.level)


def _unit_type(full: str, short: str) -> str:
    t = full[: len(full) - len(short)].strip() if full.endswith(short) else full.split(" ")[0]
    return t[:1].upper() + t[1:].lower() if t else ""


LEVEL_VI = {"province": "cấp tỉnh", "district": "cấp huyện", "commune": "cấp xã"}


class UnitRegistry:
    """A table of units (one row per unit) with look-up and tree navigation."""

    def __init__(self, table: pd.DataFrame, structure: str):
        self.structure = structure
        self.table = table.set_index("code", drop=False).sort_index()
        self._units: dict[str, Unit] = {}
        self._by_key: dict[str, list[str]] = {}
        for code, key, aliases in zip(self.table["code"], self.table["key"], self.table["aliases"]):
            for k in dict.fromkeys([key.replace(" ", ""), *aliases]):
                self._by_key.setdefault(k, []).append(code)
        self._children: dict[str | None, list[str]] = {}
        for code, parent in zip(self.table["code"], self.table["parent"]):
            self._children.setdefault(parent, []).append(code)

    def __contains__(self, code) -> bool:
        return str(code) in self.table.index

    def __len__(self) -> int:
        return len(self.table)

    def unit(self, code: str) -> Unit:
        code = str(code)
        hit = self._units.get(code)  # Units are frozen and the table never changes: made once each
        if hit is None:
            hit = self._units[code] = self._make_unit(code)
        return hit

    def _make_unit(self, code: str) -> Unit:
        row = self.table.loc[code]
        return Unit(
            code=row["code"],
            name=row["name"],
            short=row["short"],
            type=row["type"],
            level=row["level"],
            parent=row["parent"],
            province=row["province"],
            lat=None if pd.isna(row["lat"]) else float(row["lat"]),
            lon=None if pd.isna(row["lon"]) else float(row["lon"]),
        )

    def level_of(self, code: str) -> str:
        return self.table.at[str(code), "level"]

    def get(self, query, level: str | None = None) -> Unit:
        """One unit by code or name; raises :class:`UnitNotFound` / :class:`AmbiguousUnit`."""
        found = self.find(query, level)
        if len(found) == 1:
            return found[0]
        if not found:
            raise UnitNotFound(*self._not_found_messages(str(query), level))
        listed = "; ".join(
            f"{u.code} {u.name} ({self.unit(u.parent).name if u.parent else '-'})" for u in found[:12]
        )
        first = found[0]
        example = f"{first.short}, {self.unit(first.parent).short}" if first.parent else first.code
        where_vi = f" ({LEVEL_VI.get(level, level)})" if level else ""
        where = f" ({level})" if level else ""
        raise AmbiguousUnit(
            f"'{query}'{where_vi} khớp {len(found)} đơn vị: {listed}. Hãy ghi mã hoặc thêm đơn vị cấp trên: "
            f"'{example}'",
            f"'{query}'{where} matches {len(found)} units: {listed}. Give the code, or add the parent: "
            f"'{example}'",
        )

    def _not_found_messages(self, query: str, level: str | None) -> tuple[str, str]:
        import difflib

        _, key = _split_type(query.split(",")[0])
        close = difflib.get_close_matches(key.replace(" ", ""), list(self._by_key), n=4, cutoff=0.75)
        hints = []
        for k in close:
            for code in self._by_key[k][:2]:
                if level is None or self.level_of(code) == level:
                    hints.append(f"{code} {self.table.at[code, 'name']}")
        hint_vi = f" Có phải: {', '.join(hints)}?" if hints else ""
        hint = f" Did you mean: {', '.join(hints)}?" if hints else ""
        where_vi = f" ({LEVEL_VI.get(level, level)})" if level else ""
        where = f" ({level})" if level else ""
        list_vi = "cũ (3 cấp, đến 30/6/2025)" if self.structure == "legacy" else "2025 (2 cấp, từ 1/7/2025)"
        return (
            f"Không tìm thấy đơn vị '{query}'{where_vi} trong danh mục đơn vị {list_vi}.{hint_vi}",
            f"Unknown unit '{query}'{where} in the {self.structure} unit list.{hint}",
        )

    def find(self, query, level: str | None = None) -> list[Unit]:
        """All units matching a code or a name (``"Phú Hòa, Thoại Sơn"`` narrows by parent)."""
        if level is not None and level not in LEVELS:
            raise ValueError(f"level must be one of {LEVELS}")
        q = unicodedata.normalize("NFC", str(query)).strip()
        if re.fullmatch(r"\d{1,5}", q):
            codes = (
                [q]
                if q in self.table.index
                else [c for c in (q.zfill(2), q.zfill(3), q.zfill(5)) if c in self.table.index]
            )
            codes = [c for c in dict.fromkeys(codes) if level is None or self.level_of(c) == level]
            return [self.unit(c) for c in codes]
        parts = [p.strip() for p in q.split(",") if p.strip()]
        if not parts:
            return []
        candidates = self._match_name(parts[0])
        for ancestor in parts[1:]:
            allowed = {u for code in candidates for u in self.path(code)}
            wanted = set(self._match_name(ancestor)) & allowed
            candidates = [c for c in candidates if wanted & set(self.path(c)[:-1])]
        if level is not None:
            candidates = [c for c in candidates if self.level_of(c) == level]
        return [self.unit(c) for c in candidates]

    def _match_name(self, name: str) -> list[str]:
        type_word, key = _split_type(name)
        codes = list(self._by_key.get(key.replace(" ", ""), []))
        if not codes:
            codes = list(self._by_key.get(fold(name).replace(" ", ""), []))
        if type_word is not None:
            typed = [c for c in codes if fold(self.table.at[c, "type"]) == fold(type_word)]
            codes = typed or [c for c in codes if self.level_of(c) == _TYPE_LEVEL[type_word]]
        return codes

    def parent(self, code: str) -> Unit | None:
        p = self.table.at[str(code), "parent"]
        return None if p is None else self.unit(p)

    def children(self, code: str | None) -> list[Unit]:
        """Direct children; ``children(None)`` lists the provinces."""
        return [self.unit(c) for c in self._children.get(None if code is None else str(code), [])]

    def path(self, code: str) -> list[str]:
        """Codes from the province down to ``code``: ``path("30682") == ["89", "894", "30682"]``."""
        out = [str(code)]
        while (p := self.table.at[out[0], "parent"]) is not None:
            out.insert(0, p)
        return out

    def descendants(self, code: str, level: str | None = None) -> list[str]:
        out, todo = [], [str(code)]
        while todo:
            kids = self._children.get(todo.pop(0), [])
            out.extend(kids)
            todo.extend(kids)
        return [c for c in out if level is None or self.level_of(c) == level]


def _rows(
    df: pd.DataFrame, level: str, prefix: str, parent_col: str | None, province_col: str
) -> pd.DataFrame:
    p = prefix
    df = df[df[f"{p}Code"].notna() & df[p].notna()]
    out = pd.DataFrame(
        {
            "code": df[f"{p}Code"],
            "name": df[p],
            "short": df[f"{p}Short"],
            "level": level,
            "parent": df[parent_col] if parent_col else None,
            "province": df[province_col],
            "lat": df[f"{p}Lat"],
            "lon": df[f"{p}Lon"],
            "pkg_key": df[f"{p}Key"],
            "aliases": [tuple(json.loads(a)) if isinstance(a, str) else () for a in df[f"{p}Alias"]],
        }
    )
    if f"{p}Type" in df:
        out["type"] = [t[:1].upper() + t[1:].lower() for t in df[f"{p}Type"]]
    else:
        out["type"] = [_unit_type(f, s) for f, s in zip(out["name"], out["short"])]
    # one spelling of the type word: "Thị Trấn Óc Eo" -> "Thị trấn Óc Eo"
    out["name"] = [
        f"{t} {s}" if fold(n) == fold(f"{t} {s}") else n
        for n, t, s in zip(out["name"], out["type"], out["short"])
    ]
    return out.drop_duplicates("code")


def _build(df: pd.DataFrame, levels: list[tuple[str, str, str | None]], structure: str) -> UnitRegistry:
    frames = [_rows(df, level, prefix, parent, "provinceCode") for level, prefix, parent in levels]
    table = pd.concat(frames, ignore_index=True)
    table["parent"] = table["parent"].astype(object).where(table["parent"].notna(), None)
    table["key"] = [fold(s) for s in table["short"]]
    return UnitRegistry(table.reset_index(drop=True), structure)


@cache
def legacy() -> UnitRegistry:
    """The three-level structure (valid until 30 June 2025).

    Built once and kept in the project's ``.baocao-cache/`` (:func:`cached_registry`): every
    build, worker and kernel needs it, and building it from the package's tables costs ≈ 0,8 s."""
    return cached_registry("legacy", _build_legacy)


def _build_legacy() -> UnitRegistry:
    df = read_admin_table("admin_units_legacy")
    return _build(
        df,
        [
            ("province", "province", None),
            ("district", "district", "provinceCode"),
            ("commune", "ward", "districtCode"),
        ],
        "legacy",
    )


REGISTRY_CACHE_FORMAT = 1


def registry_cache_path(name: str) -> Path | None:
    """Where :func:`cached_registry` keeps the registry ``name`` as it is built from the files
    it is built from now (None: no cache, ``BAOCAO_NO_STAT_CACHE`` is set).

    The file name carries a hash of the *stamps* (size, mtime, ctime, inode, device; see
    :mod:`baocao.io.filestamps` for why a changed file always has another one) of the package's
    unit tables and of the code that builds the registry (this module, ``baocao.io.admin``),
    and the versions of Python and pandas (the pickle's): any of them changed, another name."""
    import hashlib
    import os
    import platform

    from baocao import config
    from baocao.io import admin
    from baocao.io.filestamps import CACHE_DIR, stamp

    if os.environ.get("BAOCAO_NO_STAT_CACHE"):
        return None
    sources = [admin.dataset_path(), Path(__file__), Path(admin.__file__)]
    key = json.dumps(
        [
            REGISTRY_CACHE_FORMAT,
            platform.python_version(),
            pd.__version__,
            [[str(p), stamp(os.stat(p))] for p in sources],
        ]
    )
    return config.home() / CACHE_DIR / f"units-{name}-{hashlib.sha256(key.encode()).hexdigest()[:20]}.pickle"


def cached_registry(name: str, build) -> UnitRegistry:
    """``build()``, or the registry it built last time from the same files (a pickle in the
    project's ``.baocao-cache/``, written atomically; older ones of ``name`` are removed). A
    cache that cannot be read or written is no error: the registry is built."""
    import pickle

    path = registry_cache_path(name)
    if path is not None:
        try:
            found = pickle.loads(path.read_bytes())
            if isinstance(found, UnitRegistry):
                return found
        except Exception:  # noqa: BLE001 - missing, half-written by a killed process, foreign: rebuilt
            pass
    registry = build()
    if path is not None:
        from baocao.io.filestamps import write_atomic

        try:
            registry._units.clear()  # made on demand; not worth keeping
            write_atomic(path, pickle.dumps(registry, protocol=pickle.HIGHEST_PROTOCOL))
            for old in path.parent.glob(f"units-{name}-*.pickle"):
                if old != path:
                    old.unlink(missing_ok=True)
        except OSError:
            pass
    return registry


@cache
def current() -> UnitRegistry:
    """The two-level structure in force from 1 July 2025 (kept in ``.baocao-cache/`` as :func:`legacy`)."""
    return cached_registry("2025", _build_current)


def _build_current() -> UnitRegistry:
    df = read_admin_table("admin_units")
    return _build(df, [("province", "province", None), ("commune", "ward", "provinceCode")], "2025")


@cache
def crosswalk_2025() -> pd.DataFrame:
    """Every legacy commune with the 2025 commune(s) it went into.

    Columns: ``old_code``, ``new_code``, ``new_province``, ``divided`` (the old commune
    was split between several new ones), ``is_default`` (the package's default new
    commune for a split one), ``share`` (the share of the old commune's counts given
    to this new commune: 1 where not split; for split communes the whole value goes
    to the default new commune, flagged ``approximate``), ``approximate``.
    """
    conv = read_converter_2025()
    old = legacy().table
    new = current().table
    old_key = {}
    for code, level, pkg_key, parent, province in zip(
        old["code"], old["level"], old["pkg_key"], old["parent"], old["province"]
    ):
        if level != "commune":
            continue
        district_key = old.at[parent, "pkg_key"]
        province_key = old.at[province, "pkg_key"]
        old_key[f"{province_key}_{district_key}_{pkg_key}"] = code
    new_code = {}
    for code, level, pkg_key, province in zip(new["code"], new["level"], new["pkg_key"], new["province"]):
        if level == "commune":
            new_code[(new.at[province, "pkg_key"], pkg_key)] = code
    rows = []
    for prov, wards in conv["DICT_PROVINCE_WARD_NO_DIVIDED"].items():
        for ward_key, olds in wards.items():
            for ok in olds:
                if ok in old_key and (prov, ward_key) in new_code:
                    rows.append((old_key[ok], new_code[(prov, ward_key)], prov, False, True, 1.0, False))
    for prov, olds in conv["DICT_PROVINCE_WARD_DIVIDED"].items():
        for ok, targets in olds.items():
            if ok not in old_key:
                continue
            for t in targets:
                if (prov, t["newWardKey"]) in new_code:
                    default = bool(t["isDefaultNewWard"])
                    rows.append(
                        (
                            old_key[ok],
                            new_code[(prov, t["newWardKey"])],
                            prov,
                            True,
                            default,
                            1.0 if default else 0.0,
                            True,
                        )
                    )
    out = pd.DataFrame(
        rows,
        columns=["old_code", "new_code", "new_province_key", "divided", "is_default", "share", "approximate"],
    )
    out["new_province"] = [new.at[new_code_, "province"] for new_code_ in out["new_code"]]
    return (
        out.drop(columns="new_province_key")
        .drop_duplicates(["old_code", "new_code"])
        .sort_values(["old_code", "new_code"])
        .reset_index(drop=True)
    )
