"""The checks of a run plan's values, each failing with one line that names the plan file and
the key (:class:`PlanError`): the plan's YAML (a key given twice, only true/false as booleans),
keys, relative paths, years, languages, and unit selectors resolved to units.
"""

from __future__ import annotations

import difflib
import re
from pathlib import PurePosixPath, PureWindowsPath
from typing import NoReturn

import yaml

from baocao.errors import BaocaoError

LEVELS = ("province", "district", "commune")
PLURAL = {"provinces": "province", "districts": "district", "communes": "commune"}
LANGS = ("vi", "en")


class PlanError(BaocaoError, ValueError):
    """A plan that cannot run; the message is one line naming the file and the key, then what is wrong
    in Vietnamese and in English, each once (``message_vi`` / ``message_en``; ``where`` is the file and
    the key)."""

    where: str = ""
    message_en: str = ""
    message_vi: str = ""

    @classmethod
    def at(cls, where: str, message_en: str, message_vi: str | None = None) -> PlanError:
        """``where: Vietnamese / English``; a message given once (already in both languages, such as a
        unit look-up's) is used as is."""
        vi = message_en if message_vi is None else message_vi
        both = message_en if vi == message_en else f"{vi} / {message_en}"
        err = cls(f"{where}: {both}" if where else both)
        err.where, err.message_en, err.message_vi = where, message_en, vi
        return err


# ---------------------------------------------------------------- YAML with duplicate-key check


class PlanLoader(yaml.SafeLoader):
    """Safe YAML with two fixes for plan files: a key given twice is an error, and only
    true/false are booleans (YAML 1.1 reads on/off/yes/no as booleans: ``{off: 894}``)."""


PlanLoader.yaml_implicit_resolvers = {
    first: [(tag, rx) for tag, rx in resolvers if tag != "tag:yaml.org,2002:bool"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}
PlanLoader.add_implicit_resolver(
    "tag:yaml.org,2002:bool", re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"), list("tTfF")
)


def _both(exc: Exception) -> tuple[str, str | None]:
    """(English, Vietnamese) of a unit list's error (None: its message already has both)."""
    return getattr(exc, "message_en", str(exc)), getattr(exc, "message_vi", None)


def _mapping(loader: PlanLoader, node: yaml.MappingNode, deep: bool = False):
    seen = set()
    for key_node, _ in node.value:
        key = loader.construct_object(key_node, deep=deep)
        if key in seen:
            raise yaml.constructor.ConstructorError(None, None, f"duplicate key {key!r}", key_node.start_mark)
        seen.add(key)
    return loader.construct_mapping(node, deep)


PlanLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _mapping)


def _timestamp(loader: PlanLoader, node: yaml.ScalarNode):
    """A date such as ``2024-13-01`` is an error at its line, not a traceback from the YAML library."""
    try:
        return yaml.SafeLoader.construct_yaml_timestamp(loader, node)
    except ValueError as exc:
        error = yaml.constructor.ConstructorError(
            None, None, f"{node.value!r} is not a date written YYYY-MM-DD ({exc})", node.start_mark
        )
        error.problem_vi = f"{node.value!r} không phải một ngày viết YYYY-MM-DD"
        raise error from None


PlanLoader.add_constructor("tag:yaml.org,2002:timestamp", _timestamp)


# ---------------------------------------------------------------- checks


def hint(word, choices, lang: str = "en") -> str:
    """`` Did you mean 'X'?`` (``lang="vi"``: `` Có phải là 'X'?``) for the choice closest to a misspelt
    word ("" when none is close)."""
    close = difflib.get_close_matches(str(word), [str(c) for c in choices], n=1)
    if not close:
        return ""
    return f" Có phải là '{close[0]}'?" if lang == "vi" else f" Did you mean '{close[0]}'?"


class Checker:
    """The checks of one plan file's values; ``name`` is the file as the messages name it."""

    def __init__(self, name: str):
        self.name = name

    def fail(self, where: str, message_en: str, message_vi: str | None = None) -> NoReturn:
        """Stop with ``file: key: Vietnamese / English`` (``message_vi`` None: the message is already
        in both languages)."""
        raise PlanError.at(f"{self.name}: {where}" if where else self.name, message_en, message_vi)

    def keys(self, where: str, mapping: dict, allowed) -> None:
        for k in mapping:
            if k not in allowed:
                self.fail(
                    f"{where}.{k}" if where else str(k),
                    f"unknown key '{k}'; allowed: {', '.join(allowed)}.{hint(k, allowed)}",
                    f"khóa lạ '{k}'; các khóa hợp lệ: {', '.join(allowed)}.{hint(k, allowed, 'vi')}",
                )

    def relative_path(self, where: str, value) -> str:
        if not isinstance(value, str):
            self.fail(
                where,
                f"must be a text path, not {type(value).__name__} {value!r}",
                f"phải là một đường dẫn dạng chữ, không phải {type(value).__name__} {value!r}",
            )
        v = value.strip()
        if not v:
            return ""
        if (
            v.startswith("~")
            or PurePosixPath(v).is_absolute()
            or PureWindowsPath(v).is_absolute()
            or PureWindowsPath(v).drive
        ):
            self.fail(
                where,
                f"absolute path '{value}' refused; give a path relative to the project folder",
                f"không nhận đường dẫn tuyệt đối '{value}'; hãy ghi đường dẫn tính từ thư mục dự án",
            )
        if ".." in PurePosixPath(v.replace("\\", "/")).parts:
            self.fail(
                where,
                f"path '{value}' goes outside the project folder ('..'); refused",
                f"đường dẫn '{value}' đi ra ngoài thư mục dự án ('..'); không nhận",
            )
        return PurePosixPath(v.replace("\\", "/")).as_posix()

    def years(self, where: str, value) -> list[int]:
        def year(v, w):
            if isinstance(v, bool) or not isinstance(v, int):
                self.fail(
                    w,
                    f"a year must be a whole number like 2024, not {v!r}",
                    f"năm phải là một số nguyên như 2024, không phải {v!r}",
                )
            if not 1900 <= v <= 2100:
                self.fail(w, f"year {v} is out of range 1900–2100", f"năm {v} nằm ngoài khoảng 1900–2100")
            return v

        if isinstance(value, list):
            if not value:
                self.fail(where, "no years given", "chưa ghi năm nào")
            out = [year(v, f"{where}[{i}]") for i, v in enumerate(value)]
        elif isinstance(value, dict):
            self.keys(where, value, ("from", "to"))
            if "from" not in value or "to" not in value:
                self.fail(
                    where,
                    "a range needs both 'from' and 'to', e.g. {from: 2022, to: 2024}",
                    "một khoảng năm cần cả 'from' và 'to', ví dụ {from: 2022, to: 2024}",
                )
            a, b = year(value["from"], f"{where}.from"), year(value["to"], f"{where}.to")
            if a > b:
                self.fail(where, f"'from' {a} is after 'to' {b}", f"'from' {a} ở sau 'to' {b}")
            out = list(range(a, b + 1))
        else:
            out = [year(value, where)]
        dup = sorted({y for y in out if out.count(y) > 1})
        if dup:
            self.fail(where, f"year {dup[0]} given twice", f"năm {dup[0]} được ghi hai lần")
        return out

    def lang(self, where: str, value) -> str:
        if value not in LANGS:
            self.fail(
                where, f"must be 'vi' or 'en', not {value!r}", f"phải là 'vi' hoặc 'en', không phải {value!r}"
            )
        return value


def selected_units(chk: Checker, where: str, key: str, value, registry) -> list:
    """Resolve one unit selector (``district: 894``, ``communes: {of: 894}``, …) to Units."""
    level = PLURAL.get(key, key)

    def one(query, w):
        if isinstance(query, bool) or not isinstance(query, (str, int)) or str(query).strip() == "":
            chk.fail(
                w,
                f"a unit is a GSO code or a name, not {query!r}",
                f"đơn vị là một mã GSO hoặc một tên, không phải {query!r}",
            )
        try:
            return registry.get(str(query), level=level)
        except LookupError as exc:
            chk.fail(w, *_both(exc))  # the unit list's own message

    if key in LEVELS:  # singular: exactly one unit
        if isinstance(value, (list, dict)):
            chk.fail(
                where,
                f"'{key}' takes one unit; use '{key}s' for a list or '{key}s: {{of: ...}}'",
                f"'{key}' nhận một đơn vị; dùng '{key}s' cho một danh sách hoặc '{key}s: {{of: ...}}'",
            )
        return [one(value, where)]
    if isinstance(value, list):
        if not value:
            chk.fail(where, "empty list of units", "danh sách đơn vị trống")
        out = [one(q, f"{where}[{i}]") for i, q in enumerate(value)]
    elif isinstance(value, dict):
        chk.keys(where, value, ("of",))
        if "of" not in value:
            chk.fail(
                where,
                f"write '{key}: {{of: PARENT}}' for all {key} of a unit, or give a list",
                f"ghi '{key}: {{of: CẤP_TRÊN}}' để lấy mọi {key} của một đơn vị, hoặc ghi một danh sách",
            )
        if isinstance(value["of"], bool) or not isinstance(value["of"], (str, int)):
            chk.fail(
                f"{where}.of",
                f"a unit is a GSO code or a name, not {value['of']!r}",
                f"đơn vị là một mã GSO hoặc một tên, không phải {value['of']!r}",
            )
        try:
            parent = registry.get(str(value["of"]))
        except LookupError as exc:
            parent = _parent_of_level(registry, str(value["of"]), level)
            if parent is None:
                chk.fail(f"{where}.of", *_both(exc))
        if LEVELS.index(parent.level) >= LEVELS.index(level):
            chk.fail(
                f"{where}.of",
                f"{parent.name} ({parent.code}) is a {parent.level}; it has no {key}",
                f"{parent.name} ({parent.code}) là cấp {parent.level}; không có {key}",
            )
        out = [registry.unit(c) for c in registry.descendants(parent.code, level=level)]
        if not out:
            chk.fail(
                f"{where}.of",
                f"{parent.name} ({parent.code}) has no {key} in the unit list",
                f"{parent.name} ({parent.code}) không có {key} nào trong danh mục đơn vị",
            )
    else:
        chk.fail(
            where,
            f"give a list of units or {{of: PARENT}} (e.g. all communes of a district: 'communes: {{of: "
            f"894}}'), not {value!r}",
            f"hãy ghi một danh sách đơn vị hoặc {{of: CẤP_TRÊN}} (vd. mọi xã của một huyện: 'communes: {{of: "
            f"894}}'), không phải {value!r}",
        )
    codes = [u.code for u in out]
    dup = sorted({c for c in codes if codes.count(c) > 1})
    if dup:
        chk.fail(where, f"unit {dup[0]} given twice", f"đơn vị {dup[0]} được ghi hai lần")
    return out


def _parent_of_level(registry, query: str, level: str):
    """``communes: {of: "Tri Tôn"}`` names both a district and a town: the one unit among the
    matches that can have units of ``level`` (the level just above first), as ``district:`` would
    resolve it; None when that is not exactly one."""
    above = [u for u in registry.find(query) if LEVELS.index(u.level) < LEVELS.index(level)]
    direct = [u for u in above if LEVELS.index(u.level) == LEVELS.index(level) - 1]
    pick = direct if len(direct) == 1 else above
    return pick[0] if len(pick) == 1 else None


def district_of(registry, unit) -> str | None:
    """The code of the district a unit belongs to (or is); None above district level."""
    path = registry.path(unit.code)
    return next((c for c in path if registry.level_of(c) == "district"), None)
