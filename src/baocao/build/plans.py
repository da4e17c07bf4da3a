"""Run plans (``params/*.yml``): which notebooks, for which units and years.

A plan is checked whole before anything runs: unknown keys, unknown notebooks and
notebook parameters, unknown units, years that are not whole numbers, duplicate reports,
absolute paths or ``..`` in path-like fields, a unit selector missing or given where the
notebook has no unit parameter. Each problem is one line naming the plan file and the key, e.g.::

    params/x.yml: reports[1].notebook: unknown notebook 'distric_report'; available: ... Did you mean
    'district_report'?

The format is documented in ``params/README.md``. ``load_plan`` returns a :class:`Plan`
whose ``reports`` are the expanded notebook × unit × year combinations.

A notebook without a unit parameter (``district``, ``commune``, ``province``), such as
``national_overview``, reports on the whole country: its entry has no unit selector and
expands to one report per year with the unit :data:`COUNTRY` (``VN``, level ``country``),
e.g. ``2016/VN/national_overview``.
"""

from __future__ import annotations

import ast
import dataclasses
import datetime
import difflib
import os
import re
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath, PureWindowsPath

import yaml

from baocao import config
from baocao.errors import BaocaoError
from baocao.reports import kinds

LEVELS = ("province", "district", "commune")
PLURAL = {"provinces": "province", "districts": "district", "communes": "commune"}
SELECTOR_KEYS = (*LEVELS, *PLURAL)
PLAN_KEYS = ("title", "lang", "years", "data_dir", "cell_timeout", "formats", "date", "reports")
PLAN_CACHE_FORMAT = 2  # of the expanded plan kept in the stat cache (load_plan_cached)
CELL_TIMEOUT = 600  # seconds a notebook cell may run before the report fails (plan key cell_timeout)
ENTRY_KEYS = ("notebook", "notebooks", "years", "lang", "parameters", *SELECTOR_KEYS)
LANGS = ("vi", "en")
# Parameters the plan sets itself; an entry's ``parameters`` may not set them.
RESERVED = ("year", "lang", "data_dir", *LEVELS)
PATHLIKE = re.compile(r"(^|_)(dir|path|file|folder)$")
NAME = re.compile(r"^[A-Za-z0-9_][A-Za-z0-9_.-]*$")
# the unit of the reports of a notebook without a unit parameter: the whole country
COUNTRY_CODE = "VN"
COUNTRY_LEVEL = "country"
COUNTRY_NAMES = {"vi": "Cả nước", "en": "Whole country"}


class PlanError(BaocaoError, ValueError):
    """A plan that cannot run; the message is one line naming the file and the key."""


@dataclass(frozen=True)
class NotebookInfo:
    """What the planner needs to know about a report notebook, read without running it."""

    name: str
    path: Path
    parameters: tuple[str, ...]
    unit_parameter: str | None  # "district", "commune" or "province"; None: the whole country
    kind: str | None  # the report kind the notebook declares (metadata.baocao.kind; see baocao.reports.kinds)


@dataclass(frozen=True)
class Report:
    """One report to build: a notebook for one unit (or the whole country) and one year."""

    notebook: str
    kind: str | None
    unit: str  # GSO code; "VN" for the whole country (notebooks without a unit parameter)
    unit_name: str  # label in the report language
    level: str  # "province", "district", "commune" or "country"
    district: str | None  # the district the unit belongs to (or is); None above district level
    year: int
    lang: str
    parameters: dict = field(hash=False, compare=False)  # what papermill injects
    year_from: int | None = None  # a report for the period year_from…year (parameter ``year_from``)

    @property
    def key(self) -> str:
        """``2024/894/district_report`` (a period: ``2022-2024/894/district_report``) — also the output path
        without extension.
        """
        return (
            f"{self.year_from}-{self.year}/{self.unit}/{self.notebook}"
            if self.year_from
            else f"{self.year}/{self.unit}/{self.notebook}"
        )


@dataclass
class Plan:
    path: Path
    name: str  # the path as users read it (relative to the project when inside it)
    title: str
    lang: str
    data_dir: str  # relative to the project folder; "" = the default data
    reports: list[Report]
    home: Path
    cell_timeout: float = CELL_TIMEOUT  # seconds one notebook cell may run; then the report fails
    formats: tuple[str, ...] = ("html",)  # files per report (baocao.export.formats); ``formats:`` in the plan
    date: object = None  # datetime.date of the Word reports' date line (``date:``); None: left to fill in

    @property
    def data_path(self) -> str:
        """The data folder as an absolute path ("" for the default data)."""
        return str(self.home / self.data_dir) if self.data_dir else ""


# ---------------------------------------------------------------- YAML with duplicate-key check


class _Loader(yaml.SafeLoader):
    """Safe YAML with two fixes for plan files: a key given twice is an error, and only
    true/false are booleans (YAML 1.1 reads on/off/yes/no as booleans: ``{off: 894}``)."""


_Loader.yaml_implicit_resolvers = {
    first: [(tag, rx) for tag, rx in resolvers if tag != "tag:yaml.org,2002:bool"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}
_Loader.add_implicit_resolver(
    "tag:yaml.org,2002:bool", re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"), list("tTfF")
)


def _mapping(loader: _Loader, node: yaml.MappingNode, deep: bool = False):
    seen = set()
    for key_node, _ in node.value:
        key = loader.construct_object(key_node, deep=deep)
        if key in seen:
            raise yaml.constructor.ConstructorError(None, None, f"duplicate key {key!r}", key_node.start_mark)
        seen.add(key)
    return loader.construct_mapping(node, deep)


_Loader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _mapping)


# ---------------------------------------------------------------- notebooks


def read_cells(path: Path) -> tuple[list[dict], dict]:
    """The cells (``source`` joined to one string) and metadata of an .ipynb file, read as plain
    JSON (nbformat's import costs seconds; the planner needs only this)."""
    import json

    from baocao.io.tables import read_text

    try:
        doc = json.loads(read_text(path))
        cells = [
            dict(
                c,
                source="".join(c.get("source", ""))
                if isinstance(c.get("source"), list)
                else c.get("source", ""),
            )
            for c in doc["cells"]
        ]
    except (ValueError, KeyError, TypeError, AttributeError) as exc:
        raise PlanError(f"{path}: not a readable notebook ({exc})") from None
    return cells, doc.get("metadata", {})


def notebook_info(path: Path) -> NotebookInfo:
    """Parameter names (from the cell tagged ``parameters``) and report kind of a notebook."""
    cells, metadata = read_cells(path)
    params: list[str] = []
    for cell in cells:
        if cell.get("cell_type") != "code":
            continue
        if "parameters" in cell.get("metadata", {}).get("tags", []) and not params:
            try:
                tree = ast.parse(cell["source"])
            except SyntaxError:
                tree = ast.parse("")
            for node in tree.body:
                targets = (
                    node.targets
                    if isinstance(node, ast.Assign)
                    else [node.target]
                    if isinstance(node, ast.AnnAssign)
                    else []
                )
                params += [t.id for t in targets if isinstance(t, ast.Name)]
    kind = kinds.get(kinds.kind_of(metadata))
    if kind is not None:  # the registry says which parameter names the report's unit
        unit_param = kind.unit_parameter if kind.unit_parameter in params else None
    else:  # a notebook of no registered kind: the first unit-like parameter it has
        unit_param = next((p for p in ("commune", "district", "province") if p in params), None)
    return NotebookInfo(
        path.stem, path, tuple(dict.fromkeys(params)), unit_param, kind.name if kind else None
    )


def available_notebooks(notebooks_dir: Path) -> dict[str, Path]:
    return {p.stem: p for p in sorted(Path(notebooks_dir).glob("*.ipynb")) if not p.name.startswith(".")}


# ---------------------------------------------------------------- checks


def _hint(word, choices) -> str:
    close = difflib.get_close_matches(str(word), [str(c) for c in choices], n=1)
    return f" Did you mean '{close[0]}'?" if close else ""


class _Checker:
    def __init__(self, name: str):
        self.name = name

    def fail(self, where: str, message: str):
        raise PlanError(f"{self.name}: {where}: {message}" if where else f"{self.name}: {message}")

    def keys(self, where: str, mapping: dict, allowed) -> None:
        for k in mapping:
            if k not in allowed:
                self.fail(
                    f"{where}.{k}" if where else str(k),
                    f"unknown key '{k}'; allowed: {', '.join(allowed)}.{_hint(k, allowed)}",
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


def _units(chk: _Checker, where: str, key: str, value, registry) -> list:
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


def _district_of(registry, unit) -> str | None:
    path = registry.path(unit.code)
    return next((c for c in path if registry.level_of(c) == "district"), None)


# ---------------------------------------------------------------- loading


def resolve_plan_path(plan: str | Path | None, home: Path | None = None) -> Path:
    """A plan argument as a file: a path, or a bare name looked up in ``params/``."""
    home = Path(home or config.home())
    if plan is None or str(plan) == "":
        return home / "params" / "thoai_son.yml"
    p = Path(plan)
    if p.suffix not in (".yml", ".yaml") and len(p.parts) == 1 and not p.exists():
        for ext in (".yml", ".yaml"):
            if (home / "params" / (p.name + ext)).exists():
                return home / "params" / (p.name + ext)
    return p


def display(path: Path, home: Path) -> str:
    try:
        return str(Path(path).resolve().relative_to(home.resolve()))
    except ValueError:
        return str(path)


def load_plan_cached(
    path: str | Path, hashes, home: str | Path | None = None, notebooks_dir: str | Path | None = None
) -> Plan:
    """:func:`load_plan`, remembered in the stat cache ``hashes``
    (:class:`baocao.io.filestamps.FileHashes`).

    The expanded plan is reused while the plan file, every notebook in ``notebooks/``, the baocao
    source and the package versions (the unit list comes with ``vietnamadminunits``) hash the same,
    and its data folder still holds observations: then neither the unit list nor pandas is loaded.
    A plan with an error is never remembered; it is checked again every time."""
    import json

    from baocao.build.changes import versions
    from baocao.io.filestamps import source_hash

    home = Path(home or config.home()).resolve()
    notebooks_dir = Path(notebooks_dir or home / "notebooks")
    path = Path(path)
    key = json.dumps(
        {
            "plan": [os.path.abspath(path), hashes.sha256(path)],
            "home": str(home),
            "notebooks_dir": str(notebooks_dir),
            "notebooks": [[n, hashes.sha256(p)] for n, p in available_notebooks(notebooks_dir).items()],
            "source": source_hash(hashes),
            "versions": versions(),
        },
        sort_keys=True,
    )
    import hashlib

    key = hashlib.sha256(key.encode()).hexdigest()
    found = hashes.recall("plans", key)
    if (
        found
        and found.get("format") == PLAN_CACHE_FORMAT
        and (not found["data_dir"] or list((home / found["data_dir"]).glob("observations*.csv")))
    ):
        # every field of Report and Plan comes back (a period report's year_from is part of its key)
        reports = [Report(**r) for r in found["reports"]]
        signed = datetime.date.fromisoformat(found["date"]) if found["date"] else None
        return Plan(
            path,
            found["name"],
            found["title"],
            found["lang"],
            found["data_dir"],
            reports,
            home,
            found["cell_timeout"],
            tuple(found["formats"]),
            signed,
        )
    plan = load_plan(path, home, notebooks_dir)
    hashes.remember(
        "plans",
        key,
        {
            "format": PLAN_CACHE_FORMAT,
            "name": plan.name,
            "title": plan.title,
            "lang": plan.lang,
            "data_dir": plan.data_dir,
            "cell_timeout": plan.cell_timeout,
            "formats": list(plan.formats),
            "date": plan.date.isoformat() if plan.date else None,
            "reports": [dataclasses.asdict(r) for r in plan.reports],
        },
    )
    hashes.save()
    return plan


def load_plan(
    path: str | Path, home: str | Path | None = None, notebooks_dir: str | Path | None = None
) -> Plan:
    """Read and check a plan; every problem raises :class:`PlanError` (one line)."""
    from baocao.data import units
    from baocao.io.tables import InputFileError, read_text

    home = Path(home or config.home()).resolve()
    notebooks_dir = Path(notebooks_dir or home / "notebooks")
    path = Path(path)
    name = display(path, home)
    chk = _Checker(name)
    try:
        text = read_text(path)
    except InputFileError as exc:
        raise PlanError(
            f"{name}: cannot read the plan: {str(exc).replace(str(path), '').lstrip(': ')}"
        ) from None
    try:
        doc = yaml.load(text, Loader=_Loader)  # noqa: S506 - a SafeLoader subclass
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"line {mark.line + 1}" if mark else ""
        problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        chk.fail(where, f"not valid YAML: {problem}")
    if not isinstance(doc, dict):
        chk.fail("", "a plan is a mapping with 'reports:' (see params/README.md)")
    chk.keys("", doc, PLAN_KEYS)
    if "reports" not in doc:
        chk.fail("reports", "missing; list the reports to build (see params/README.md)")
    title = doc.get("title", "")
    if not isinstance(title, str):
        chk.fail("title", f"must be text, not {title!r}")
    lang = chk.lang("lang", doc.get("lang", "vi"))
    plan_years = chk.years("years", doc["years"]) if "years" in doc else None
    data_dir = chk.relative_path("data_dir", doc.get("data_dir", ""))
    cell_timeout = doc.get("cell_timeout", CELL_TIMEOUT)
    if (
        isinstance(cell_timeout, bool)
        or not isinstance(cell_timeout, (int, float))
        or not 0 < cell_timeout <= 86400
    ):
        chk.fail(
            "cell_timeout",
            f"seconds a notebook cell may run, a number from 1 to 86400 (default {CELL_TIMEOUT}), not "
            f"{cell_timeout!r}",
        )
    if data_dir and not (home / data_dir).is_dir():
        chk.fail("data_dir", f"folder '{data_dir}' not found in the project folder {home}")
    if data_dir and not list((home / data_dir).glob("observations*.csv")):
        chk.fail("data_dir", f"folder '{data_dir}' holds no observations*.csv file")

    entries = doc["reports"]
    if not isinstance(entries, list) or not entries:
        chk.fail("reports", "must be a non-empty list of report entries")
    notebooks = available_notebooks(notebooks_dir)
    infos: dict[str, NotebookInfo] = {}
    registry = units.legacy()
    reports: list[Report] = []
    where_of: dict[str, str] = {}
    for i, entry in enumerate(entries):
        w = f"reports[{i}]"
        if not isinstance(entry, dict):
            chk.fail(w, f"each report entry is a mapping (notebook, units, years), not {entry!r}")
        chk.keys(w, entry, ENTRY_KEYS)
        if ("notebook" in entry) == ("notebooks" in entry):
            chk.fail(w, "give exactly one of 'notebook: NAME' or 'notebooks: [NAME, ...]'")
        if "notebook" in entry:
            names, nw = [entry["notebook"]], [f"{w}.notebook"]
        else:
            if not isinstance(entry["notebooks"], list) or not entry["notebooks"]:
                chk.fail(f"{w}.notebooks", "must be a non-empty list of notebook names")
            names = entry["notebooks"]
            nw = [f"{w}.notebooks[{j}]" for j in range(len(names))]
        nb_infos = []
        for nb_name, nb_where in zip(names, nw):
            if not isinstance(nb_name, str):
                chk.fail(nb_where, f"a notebook name is text, not {nb_name!r}")
            stem = nb_name[:-6] if nb_name.endswith(".ipynb") else nb_name
            if "/" in stem or "\\" in stem or stem.startswith("~") or not NAME.match(stem) or ".." in stem:
                chk.fail(
                    nb_where,
                    f"'{nb_name}' must be a notebook name from notebooks/ (like district_report), not a path",
                )
            if stem not in notebooks:
                chk.fail(
                    nb_where,
                    f"unknown notebook '{nb_name}'; available: "
                    f"{', '.join(notebooks) or 'none'}.{_hint(stem, notebooks)}",
                )
            if stem not in infos:
                infos[stem] = notebook_info(notebooks[stem])
            nb_infos.append(infos[stem])

        selectors = [k for k in entry if k in SELECTOR_KEYS]
        unitless = [info for info in nb_infos if info.unit_parameter is None]
        if unitless and len(unitless) < len(nb_infos):
            with_unit = next(info for info in nb_infos if info.unit_parameter is not None)
            chk.fail(
                f"{w}.notebooks",
                f"notebook '{with_unit.name}' reports on a {with_unit.unit_parameter} (parameter "
                f"'{with_unit.unit_parameter}'), "
                f"but '{unitless[0].name}' has no unit parameter (it reports on the whole country); give "
                f"'{unitless[0].name}' an entry of its own, without a unit selector",
            )
        if unitless:
            if selectors:
                chk.fail(
                    f"{w}.{selectors[0]}",
                    f"notebook '{unitless[0].name}' has no unit parameter (district, commune or province): "
                    "it reports on the "
                    f"whole country ({COUNTRY_CODE}), once per year; remove '{selectors[0]}'",
                )
            key = level = None
        else:
            if len(selectors) != 1:
                need = nb_infos[0].unit_parameter
                chk.fail(
                    w,
                    "give exactly one unit selector: district, districts, commune, communes, province or "
                    "provinces"
                    + (
                        f" (found {', '.join(selectors)})"
                        if selectors
                        else f" (notebook '{nb_infos[0].name}' reports on a {need}: '{need}' or '{need}s')"
                    ),
                )
            key = selectors[0]
            level = PLURAL.get(key, key)
        for info, nb_where in zip(nb_infos, nw):
            if key is not None and info.unit_parameter != level:
                chk.fail(
                    f"{w}.{key}",
                    f"notebook '{info.name}' reports on a {info.unit_parameter} (parameter "
                    f"'{info.unit_parameter}'), but '{key}' selects {level} units",
                )
            if "year" not in info.parameters:
                chk.fail(nb_where, f"notebook '{info.name}' has no 'year' parameter")
            if data_dir and "data_dir" not in info.parameters:
                chk.fail("data_dir", f"notebook '{info.name}' has no 'data_dir' parameter")
        unit_list = _units(chk, f"{w}.{key}", key, entry[key], registry) if key is not None else [None]

        if "years" in entry:
            years = chk.years(f"{w}.years", entry["years"])
        elif plan_years is not None:
            years = plan_years
        else:
            chk.fail(f"{w}.years", "no years: give 'years' in the entry or at the top of the plan")
        entry_lang = chk.lang(f"{w}.lang", entry["lang"]) if "lang" in entry else lang

        extra = entry.get("parameters", {}) or {}
        if not isinstance(extra, dict):
            chk.fail(f"{w}.parameters", f"must be a mapping of notebook parameters, not {extra!r}")
        for k, v in extra.items():
            pw = f"{w}.parameters.{k}"
            if k in RESERVED:
                chk.fail(
                    pw,
                    f"'{k}' is set by the plan itself "
                    + (
                        "(use data_dir at the top of the plan)"
                        if k == "data_dir"
                        else "(use the unit selector, years and lang keys)"
                    ),
                )
            for info in nb_infos:
                if k not in info.parameters:
                    chk.fail(
                        pw,
                        f"notebook '{info.name}' has no parameter '{k}'; its parameters: "
                        f"{', '.join(info.parameters)}.{_hint(k, info.parameters)}",
                    )
            if v is None or isinstance(v, (list, dict)):
                chk.fail(pw, f"a parameter value is text, a number or true/false, not {v!r}")
            if isinstance(v, str) and PATHLIKE.search(k):  # relative to the project folder, passed as written
                extra = {**extra, k: chk.relative_path(pw, v)}
        for info in nb_infos:
            for unit in unit_list:
                for year in years:
                    params = (
                        {info.unit_parameter: unit.code, "year": year} if unit is not None else {"year": year}
                    )
                    if "lang" in info.parameters:
                        params["lang"] = entry_lang
                    elif entry_lang != "vi":
                        chk.fail(f"{w}.lang", f"notebook '{info.name}' has no 'lang' parameter")
                    params.update(extra)
                    if data_dir:
                        params["data_dir"] = data_dir  # relative to the project folder
                    y0 = params.get("year_from")
                    if y0 not in (None, 0) and (isinstance(y0, bool) or not isinstance(y0, int) or y0 > year):
                        chk.fail(
                            f"{w}.parameters.year_from",
                            f"the first year of a period is a whole number not after the year {year}, not "
                            f"{y0!r}",
                        )
                    y0 = y0 if y0 and y0 < year else None
                    if unit is None:  # the whole country
                        r = Report(
                            info.name,
                            info.kind,
                            COUNTRY_CODE,
                            COUNTRY_NAMES[entry_lang],
                            COUNTRY_LEVEL,
                            None,
                            year,
                            entry_lang,
                            params,
                        )
                    else:
                        r = Report(
                            info.name,
                            info.kind,
                            unit.code,
                            unit.label(entry_lang),
                            unit.level,
                            _district_of(registry, unit),
                            year,
                            entry_lang,
                            params,
                            y0,
                        )
                    if r.key in where_of:
                        chk.fail(w, f"report {r.key} is also planned by {where_of[r.key]}")
                    where_of[r.key] = w
                    reports.append(r)
    formats = _formats(chk, doc.get("formats"))
    signed = doc.get("date")
    if signed is not None and (
        not isinstance(signed, datetime.date) or isinstance(signed, datetime.datetime)
    ):
        chk.fail(
            "date", f"must be a date written YYYY-MM-DD (the date line of the Word reports), not {signed!r}"
        )
    return Plan(path, name, title, lang, data_dir, reports, home, cell_timeout, formats, signed)


def _formats(chk, value) -> tuple[str, ...]:
    from baocao.export.formats import FormatError, check_formats

    if value is None:
        return check_formats(())
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        chk.fail("formats", f"must be a list of formats such as [html, pdf, docx], not {value!r}")
    try:
        return check_formats(value)
    except FormatError as exc:
        chk.fail("formats", str(exc))
