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
    """A plan that cannot run; the message is one line naming the file and the key."""


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


def _mapping(loader: PlanLoader, node: yaml.MappingNode, deep: bool = False):
    seen = set()
    for key_node, _ in node.value:
        key = loader.construct_object(key_node, deep=deep)
        if key in seen:
            raise yaml.constructor.ConstructorError(None, None, f"duplicate key {key!r}", key_node.start_mark)
        seen.add(key)
    return loader.construct_mapping(node, deep)


PlanLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _mapping)


# ---------------------------------------------------------------- checks


def hint(word, choices) -> str:
    """`` Did you mean 'X'?`` for the choice closest to a misspelt word ("" when none is close)."""
    close = difflib.get_close_matches(str(word), [str(c) for c in choices], n=1)
    return f" Did you mean '{close[0]}'?" if close else ""


class Checker:
    """The checks of one plan file's values; ``name`` is the file as the messages name it."""

    def __init__(self, name: str):
        self.name = name

    def fail(self, where: str, message: str) -> NoReturn:
        raise PlanError(f"{self.name}: {where}: {message}" if where else f"{self.name}: {message}")

    def keys(self, where: str, mapping: dict, allowed) -> None:
        for k in mapping:
            if k not in allowed:
                self.fail(
                    f"{where}.{k}" if where else str(k),
                    f"unknown key '{k}'; allowed: {', '.join(allowed)}.{hint(k, allowed)}",
                )

    def relative_path(self, where: str, value) -> str:
        if not isinstance(value, str):
            self.fail(where, f"must be a text path, not {type(value).__name__} {value!r}")
        v = value.strip()
        if not v:
            return ""
        if (
            v.startswith("~")
            or PurePosixPath(v).is_absolute()
            or PureWindowsPath(v).is_absolute()
            or PureWindowsPath(v).drive
        ):
            self.fail(where, f"absolute path '{value}' refused; give a path relative to the project folder")
        if ".." in PurePosixPath(v.replace("\\", "/")).parts:
            self.fail(where, f"path '{value}' goes outside the project folder ('..'); refused")
        return PurePosixPath(v.replace("\\", "/")).as_posix()

    def years(self, where: str, value) -> list[int]:
        def year(v, w):
            if isinstance(v, bool) or not isinstance(v, int):
                self.fail(w, f"a year must be a whole number like 2024, not {v!r}")
            if not 1900 <= v <= 2100:
                self.fail(w, f"year {v} is out of range 1900–2100")
            return v

        if isinstance(value, list):
            if not value:
                self.fail(where, "no years given")
            out = [year(v, f"{where}[{i}]") for i, v in enumerate(value)]
        elif isinstance(value, dict):
            self.keys(where, value, ("from", "to"))
            if "from" not in value or "to" not in value:
                self.fail(where, "a range needs both 'from' and 'to', e.g. {from: 2022, to: 2024}")
            a, b = year(value["from"], f"{where}.from"), year(value["to"], f"{where}.to")
            if a > b:
                self.fail(where, f"'from' {a} is after 'to' {b}")
            out = list(range(a, b + 1))
        else:
            out = [year(value, where)]
        dup = sorted({y for y in out if out.count(y) > 1})
        if dup:
            self.fail(where, f"year {dup[0]} given twice")
        return out

    def lang(self, where: str, value) -> str:
        if value not in LANGS:
            self.fail(where, f"must be 'vi' or 'en', not {value!r}")
        return value


def selected_units(chk: Checker, where: str, key: str, value, registry) -> list:
    """Resolve one unit selector (``district: 894``, ``communes: {of: 894}``, …) to Units."""
    level = PLURAL.get(key, key)

    def one(query, w):
        if isinstance(query, bool) or not isinstance(query, (str, int)) or str(query).strip() == "":
            chk.fail(w, f"a unit is a GSO code or a name, not {query!r}")
        try:
            return registry.get(str(query), level=level)
        except LookupError as exc:
            chk.fail(w, str(exc))

    if key in LEVELS:  # singular: exactly one unit
        if isinstance(value, (list, dict)):
            chk.fail(where, f"'{key}' takes one unit; use '{key}s' for a list or '{key}s: {{of: ...}}'")
        return [one(value, where)]
    if isinstance(value, list):
        if not value:
            chk.fail(where, "empty list of units")
        out = [one(q, f"{where}[{i}]") for i, q in enumerate(value)]
    elif isinstance(value, dict):
        chk.keys(where, value, ("of",))
        if "of" not in value:
            chk.fail(where, f"write '{key}: {{of: PARENT}}' for all {key} of a unit, or give a list")
        if isinstance(value["of"], bool) or not isinstance(value["of"], (str, int)):
            chk.fail(f"{where}.of", f"a unit is a GSO code or a name, not {value['of']!r}")
        try:
            parent = registry.get(str(value["of"]))
        except LookupError as exc:
            parent = _parent_of_level(registry, str(value["of"]), level)
            if parent is None:
                chk.fail(f"{where}.of", str(exc))
        if LEVELS.index(parent.level) >= LEVELS.index(level):
            chk.fail(f"{where}.of", f"{parent.name} ({parent.code}) is a {parent.level}; it has no {key}")
        out = [registry.unit(c) for c in registry.descendants(parent.code, level=level)]
        if not out:
            chk.fail(f"{where}.of", f"{parent.name} ({parent.code}) has no {key} in the unit list")
    else:
        chk.fail(
            where,
            f"give a list of units or {{of: PARENT}} (e.g. all communes of a district: 'communes: {{of: "
            f"894}}'), not {value!r}",
        )
    codes = [u.code for u in out]
    dup = sorted({c for c in codes if codes.count(c) > 1})
    if dup:
        chk.fail(where, f"unit {dup[0]} given twice")
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
