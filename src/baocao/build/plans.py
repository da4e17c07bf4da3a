"""Run plans (``params/*.yml``): which notebooks, for which units and years.

A plan is checked whole before anything runs: unknown keys, unknown notebooks and
notebook parameters, unknown units, years that are not whole numbers, duplicate reports,
absolute paths or ``..`` in path-like fields, a unit selector missing or given where the
notebook has no unit parameter. Each problem is one line naming the plan file and the key
(:class:`PlanError`; the checks of single values are in :mod:`baocao.build.plan_checks`), e.g.::

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

import dataclasses
import datetime
import os
import re
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from baocao import config
from baocao.build.notebook_info import NotebookInfo, available_notebooks, notebook_info
from baocao.build.plan_checks import (
    LEVELS,
    PLURAL,
    Checker,
    PlanLoader,
    district_of,
    hint,
    selected_units,
)
from baocao.build.plan_checks import (
    PlanError as PlanError,  # callers import it from here
)
from baocao.reports import registry

SELECTOR_KEYS = (*LEVELS, *PLURAL)
PLAN_KEYS = ("title", "lang", "years", "data_dir", "cell_timeout", "formats", "date", "issuer", "reports")
PLAN_CACHE_FORMAT = 4  # of the expanded plan kept in the stat cache (load_plan_cached)
CELL_TIMEOUT = 600  # seconds a notebook cell may run before the report fails (plan key cell_timeout)
ENTRY_KEYS = ("notebook", "notebooks", "years", "lang", "parameters", *SELECTOR_KEYS)
# Parameters the plan sets itself; an entry's ``parameters`` may not set them.
RESERVED = ("year", "lang", "data_dir", *LEVELS)
PATHLIKE = re.compile(r"(^|_)(dir|path|file|folder)$")
NAME = re.compile(r"^[A-Za-z0-9_][A-Za-z0-9_.-]*$")
# the unit of the reports of a notebook without a unit parameter: the whole country
COUNTRY_CODE = "VN"
COUNTRY_LEVEL = "country"
COUNTRY_NAMES = {"vi": "Cả nước", "en": "Whole country"}


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
    issuer: dict = field(default_factory=dict)  # who issues each notebook's documents (``issuer:``, checked)
    unit_list: str = "legacy"  # the list the plan's unit codes are of (its data folder's dataset.yaml)

    @property
    def data_path(self) -> str:
        """The data folder as an absolute path ("" for the default data)."""
        return str(self.home / self.data_dir) if self.data_dir else ""


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
    from baocao.build.changes import sha256_json, versions
    from baocao.io.filestamps import source_hash

    home = Path(home or config.home()).resolve()
    notebooks_dir = Path(notebooks_dir or home / "notebooks")
    path = Path(path)
    key = sha256_json(
        {
            "plan": [os.path.abspath(path), hashes.sha256(path)],
            "home": str(home),
            "notebooks_dir": str(notebooks_dir),
            "notebooks": [[n, hashes.sha256(p)] for n, p in available_notebooks(notebooks_dir).items()],
            "source": source_hash(hashes),
            "versions": versions(),
        }
    )
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
            found["issuer"],
            found["unit_list"],
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
            "issuer": plan.issuer,
            "unit_list": plan.unit_list,
            "reports": [dataclasses.asdict(r) for r in plan.reports],
        },
    )
    hashes.save()
    return plan


def load_plan(
    path: str | Path, home: str | Path | None = None, notebooks_dir: str | Path | None = None
) -> Plan:
    """Read and check a plan; every problem raises :class:`PlanError` (one line).

    The steps, in the order their problems are reported: read the file, check the top-level keys,
    expand each entry to its reports (its notebooks, unit selector, units, years, language and
    parameters, then each report), then the formats, the date and the issuers of the documents."""
    home = Path(home or config.home()).resolve()
    notebooks_dir = Path(notebooks_dir or home / "notebooks")
    path = Path(path)
    name = display(path, home)
    chk = Checker(name)
    doc = _read_plan_file(chk, path)
    settings = _settings(chk, doc, home)
    reports = _expand_entries(chk, doc["reports"], settings, notebooks_dir)
    formats = _formats(chk, doc.get("formats"))
    signed = _date(chk, doc.get("date"))
    issuer = _issuer(chk, doc.get("issuer"), {r.notebook: _system(r.kind) for r in reports})
    return Plan(
        path=path,
        name=name,
        title=settings.title,
        lang=settings.lang,
        data_dir=settings.data_dir,
        reports=reports,
        home=home,
        cell_timeout=settings.cell_timeout,
        formats=formats,
        date=signed,
        issuer=issuer,
        unit_list=settings.unit_list,
    )


@dataclass(frozen=True)
class _Settings:
    """The plan's top-level keys, checked: what the plan records and its entries inherit."""

    title: str
    lang: str
    years: list[int] | None  # None: each entry gives its own
    data_dir: str
    cell_timeout: float
    unit_list: str = "legacy"  # the data folder's (dataset.yaml): the list the plan's units are of


def _read_plan_file(chk: Checker, path: Path) -> dict:
    """The plan file as a mapping (safe YAML, a key given twice refused)."""
    from baocao.io.tables import InputFileError, read_text

    try:
        text = read_text(path)
    except InputFileError as exc:
        at = "" if exc.line is None else f"line {exc.line}: "
        at_vi = "" if exc.line is None else f"dòng {exc.line}: "
        chk.fail(
            "",
            f"cannot read the plan: {at}{exc.message_en}",
            f"không đọc được kế hoạch: {at_vi}{exc.message_vi}",
        )
    try:
        doc = yaml.load(text, Loader=PlanLoader)  # noqa: S506 - a SafeLoader subclass
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"line {mark.line + 1}" if mark else ""
        problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        problem_vi = getattr(exc, "problem_vi", problem)
        chk.fail(where, f"not valid YAML: {problem}", f"không phải YAML hợp lệ: {problem_vi}")
    if not isinstance(doc, dict):
        chk.fail(
            "",
            "a plan is a mapping with 'reports:' (see params/README.md)",
            "kế hoạch là một mục có 'reports:' (xem params/README.md)",
        )
    return doc


def _settings(chk: Checker, doc: dict, home: Path) -> _Settings:
    """The top-level keys: none unknown, ``reports`` given, and the title, language, years, data
    folder and cell timeout checked."""
    chk.keys("", doc, PLAN_KEYS)
    if "reports" not in doc:
        chk.fail(
            "reports",
            "missing; list the reports to build (see params/README.md)",
            "thiếu; hãy liệt kê các báo cáo cần lập (xem params/README.md)",
        )
    title = doc.get("title", "")
    if not isinstance(title, str):
        chk.fail("title", f"must be text, not {title!r}", f"phải là chữ, không phải {title!r}")
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
            f"số giây một ô notebook được chạy, một số từ 1 đến 86400 (mặc định {CELL_TIMEOUT}), không phải "
            f"{cell_timeout!r}",
        )
    if data_dir and not (home / data_dir).is_dir():
        chk.fail(
            "data_dir",
            f"folder '{data_dir}' not found in the project folder {home}",
            f"không có thư mục '{data_dir}' trong thư mục dự án {home}",
        )
    if data_dir and not list((home / data_dir).glob("observations*.csv")):
        chk.fail(
            "data_dir",
            f"folder '{data_dir}' holds no observations*.csv file",
            f"thư mục '{data_dir}' không có tệp observations*.csv nào",
        )
    return _Settings(title, lang, plan_years, data_dir, cell_timeout, _unit_list(chk, home, data_dir))


def _unit_list(chk: Checker, home: Path, data_dir: str) -> str:
    """The unit list the plan's units are read against: its data folder's (``dataset.yaml``), so that
    ``communes: {of: 91}`` is the new An Giang's in a folder of the 2025 list, Kiên Giang's in a legacy
    one. The default data (no ``data_dir``) are Thoại Sơn's, of the legacy list."""
    from baocao.io.dataset_meta import read_meta
    from baocao.io.tables import InputFileError

    if not data_dir:
        return "legacy"
    try:
        meta = read_meta(home / data_dir)
    except InputFileError as exc:
        chk.fail("data_dir", str(exc))
    if meta is None:
        chk.fail(
            "data_dir",
            f"folder '{data_dir}' has no dataset.yaml saying which unit list its codes belong to "
            '(unit_list: legacy or "2025"; data/README.md)',
            f"thư mục '{data_dir}' không có tệp dataset.yaml cho biết mã đơn vị của nó thuộc danh mục nào "
            '(unit_list: legacy hoặc "2025"; data/README.md)',
        )
    return meta.unit_list


def _expand_entries(chk: Checker, entries, settings: _Settings, notebooks_dir: Path) -> list[Report]:
    """Every report of the plan's entries, in order; an entry is checked whole before its reports
    are made, and a report planned twice is refused. Units are of the data folder's unit list."""
    from baocao.data import unit_lists

    if not isinstance(entries, list) or not entries:
        chk.fail(
            "reports",
            "must be a non-empty list of report entries",
            "phải là một danh sách báo cáo, không trống",
        )
    notebooks = available_notebooks(notebooks_dir)
    infos: dict[str, NotebookInfo] = {}
    registry = unit_lists.registry(settings.unit_list)
    reports: list[Report] = []
    where_of: dict[str, str] = {}
    for i, entry in enumerate(entries):
        w = f"reports[{i}]"
        if not isinstance(entry, dict):
            chk.fail(
                w,
                f"each report entry is a mapping (notebook, units, years), not {entry!r}",
                f"mỗi mục báo cáo là một mục có notebook, đơn vị, năm, không phải {entry!r}",
            )
        chk.keys(w, entry, ENTRY_KEYS)
        nb_infos, nw = _entry_notebooks(chk, w, entry, notebooks, infos)
        key, level = _unit_selector(chk, w, entry, nb_infos)
        _check_notebooks_fit(chk, w, key, level, nb_infos, nw, settings.data_dir)
        unit_list = (
            selected_units(chk, f"{w}.{key}", key, entry[key], registry) if key is not None else [None]
        )
        years = _entry_years(chk, w, entry, settings.years)
        entry_lang = chk.lang(f"{w}.lang", entry["lang"]) if "lang" in entry else settings.lang
        extra = _entry_parameters(chk, w, entry, nb_infos)
        for info in nb_infos:
            for unit in unit_list:
                for year in years:
                    r = _report(
                        chk,
                        w,
                        info,
                        unit,
                        year,
                        lang=entry_lang,
                        extra=extra,
                        data_dir=settings.data_dir,
                        registry=registry,
                    )
                    if r.key in where_of:
                        chk.fail(
                            w,
                            f"report {r.key} is also planned by {where_of[r.key]}",
                            f"báo cáo {r.key} đã có ở {where_of[r.key]}",
                        )
                    where_of[r.key] = w
                    reports.append(r)
    return reports


def _entry_notebooks(
    chk: Checker, w: str, entry: dict, notebooks: dict[str, Path], infos: dict[str, NotebookInfo]
) -> tuple[list[NotebookInfo], list[str]]:
    """An entry's notebooks (``notebook:`` or ``notebooks:``), each a known name, read once
    (``infos``), with where each is named in the plan."""
    if ("notebook" in entry) == ("notebooks" in entry):
        chk.fail(
            w,
            "give exactly one of 'notebook: NAME' or 'notebooks: [NAME, ...]'",
            "hãy ghi đúng một trong hai: 'notebook: TÊN' hoặc 'notebooks: [TÊN, ...]'",
        )
    if "notebook" in entry:
        names, nw = [entry["notebook"]], [f"{w}.notebook"]
    else:
        if not isinstance(entry["notebooks"], list) or not entry["notebooks"]:
            chk.fail(
                f"{w}.notebooks",
                "must be a non-empty list of notebook names",
                "phải là một danh sách tên notebook, không trống",
            )
        names = entry["notebooks"]
        nw = [f"{w}.notebooks[{j}]" for j in range(len(names))]
    nb_infos = []
    for nb_name, nb_where in zip(names, nw):
        if not isinstance(nb_name, str):
            chk.fail(
                nb_where,
                f"a notebook name is text, not {nb_name!r}",
                f"tên notebook là chữ, không phải {nb_name!r}",
            )
        stem = nb_name[:-6] if nb_name.endswith(".ipynb") else nb_name
        if "/" in stem or "\\" in stem or stem.startswith("~") or not NAME.match(stem) or ".." in stem:
            chk.fail(
                nb_where,
                f"'{nb_name}' must be a notebook name from notebooks/ (like district_report), not a path",
                f"'{nb_name}' phải là tên một notebook trong notebooks/ (như district_report), không phải "
                "một đường dẫn",
            )
        if stem not in notebooks:
            chk.fail(
                nb_where,
                f"unknown notebook '{nb_name}'; available: "
                f"{', '.join(notebooks) or 'none'}.{hint(stem, notebooks)}",
                f"không có notebook '{nb_name}'; các notebook hiện có: "
                f"{', '.join(notebooks) or 'không có'}.{hint(stem, notebooks, 'vi')}",
            )
        if stem not in infos:
            infos[stem] = notebook_info(notebooks[stem])
        nb_infos.append(infos[stem])
    return nb_infos, nw


def _unit_selector(
    chk: Checker, w: str, entry: dict, nb_infos: list[NotebookInfo]
) -> tuple[str | None, str | None]:
    """The entry's unit selector (``district``, ``communes``, …) and the level it selects; (None,
    None) for notebooks of the whole country, which take no selector."""
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
            f"notebook '{with_unit.name}' báo cáo cho một {with_unit.unit_parameter} (tham số "
            f"'{with_unit.unit_parameter}'), còn '{unitless[0].name}' không có tham số đơn vị (báo cáo cả "
            f"nước); hãy cho '{unitless[0].name}' một mục riêng, không chọn đơn vị",
        )
    if unitless:
        if selectors:
            chk.fail(
                f"{w}.{selectors[0]}",
                f"notebook '{unitless[0].name}' has no unit parameter (district, commune or province): "
                "it reports on the "
                f"whole country ({COUNTRY_CODE}), once per year; remove '{selectors[0]}'",
                f"notebook '{unitless[0].name}' không có tham số đơn vị (district, commune hay province): "
                f"nó báo cáo cả nước ({COUNTRY_CODE}), mỗi năm một lần; hãy bỏ '{selectors[0]}'",
            )
        return None, None
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
            "hãy ghi đúng một cách chọn đơn vị: district, districts, commune, communes, province hoặc "
            "provinces"
            + (
                f" (đang có {', '.join(selectors)})"
                if selectors
                else f" (notebook '{nb_infos[0].name}' báo cáo cho một {need}: '{need}' hoặc '{need}s')"
            ),
        )
    key = selectors[0]
    return key, PLURAL.get(key, key)


def _check_notebooks_fit(
    chk: Checker,
    w: str,
    key: str | None,
    level: str | None,
    nb_infos: list[NotebookInfo],
    nw: list[str],
    data_dir: str,
) -> None:
    """Each notebook of the entry takes what the plan gives it: units of the selected level, a
    ``year``, and a ``data_dir`` when the plan has one."""
    for info, nb_where in zip(nb_infos, nw):
        if key is not None and info.unit_parameter != level:
            chk.fail(
                f"{w}.{key}",
                f"notebook '{info.name}' reports on a {info.unit_parameter} (parameter "
                f"'{info.unit_parameter}'), but '{key}' selects {level} units",
                f"notebook '{info.name}' báo cáo cho một {info.unit_parameter} (tham số "
                f"'{info.unit_parameter}'), nhưng '{key}' chọn đơn vị cấp {level}",
            )
        if "year" not in info.parameters:
            chk.fail(
                nb_where,
                f"notebook '{info.name}' has no 'year' parameter",
                f"notebook '{info.name}' không có tham số 'year'",
            )
        if data_dir and "data_dir" not in info.parameters:
            chk.fail(
                "data_dir",
                f"notebook '{info.name}' has no 'data_dir' parameter",
                f"notebook '{info.name}' không có tham số 'data_dir'",
            )


def _entry_years(chk: Checker, w: str, entry: dict, plan_years: list[int] | None) -> list[int]:
    """The entry's own years, else the plan's."""
    if "years" in entry:
        return chk.years(f"{w}.years", entry["years"])
    if plan_years is not None:
        return plan_years
    chk.fail(
        f"{w}.years",
        "no years: give 'years' in the entry or at the top of the plan",
        "chưa có năm: hãy ghi 'years' trong mục này hoặc ở đầu kế hoạch",
    )


def _entry_parameters(chk: Checker, w: str, entry: dict, nb_infos: list[NotebookInfo]) -> dict:
    """The entry's ``parameters``: none the plan sets itself, each one every notebook of the entry
    takes, plain values; path-like ones relative to the project folder."""
    extra = entry.get("parameters", {}) or {}
    if not isinstance(extra, dict):
        chk.fail(
            f"{w}.parameters",
            f"must be a mapping of notebook parameters, not {extra!r}",
            f"phải là các cặp tham số: giá trị của notebook, không phải {extra!r}",
        )
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
                f"'{k}' do chính kế hoạch đặt "
                + (
                    "(dùng data_dir ở đầu kế hoạch)"
                    if k == "data_dir"
                    else "(dùng cách chọn đơn vị, các khóa years và lang)"
                ),
            )
        for info in nb_infos:
            if k not in info.parameters:
                chk.fail(
                    pw,
                    f"notebook '{info.name}' has no parameter '{k}'; its parameters: "
                    f"{', '.join(info.parameters)}.{hint(k, info.parameters)}",
                    f"notebook '{info.name}' không có tham số '{k}'; các tham số của nó: "
                    f"{', '.join(info.parameters)}.{hint(k, info.parameters, 'vi')}",
                )
        if v is None or isinstance(v, (list, dict)):
            chk.fail(
                pw,
                f"a parameter value is text, a number or true/false, not {v!r}",
                f"giá trị tham số là chữ, số hoặc true/false, không phải {v!r}",
            )
        if isinstance(v, str) and PATHLIKE.search(k):  # relative to the project folder, passed as written
            extra = {**extra, k: chk.relative_path(pw, v)}
    return extra


def _report(
    chk: Checker,
    w: str,
    info: NotebookInfo,
    unit,
    year: int,
    *,
    lang: str,
    extra: dict,
    data_dir: str,
    registry,
) -> Report:
    """One report of an entry: a notebook for one unit (None: the whole country) and one year, with
    the parameters papermill injects."""
    params = {info.unit_parameter: unit.code, "year": year} if unit is not None else {"year": year}
    if "lang" in info.parameters:
        params["lang"] = lang
    elif lang != "vi":
        chk.fail(
            f"{w}.lang",
            f"notebook '{info.name}' has no 'lang' parameter",
            f"notebook '{info.name}' không có tham số 'lang'",
        )
    params.update(extra)
    if data_dir:
        params["data_dir"] = data_dir  # relative to the project folder
    y0 = params.get("year_from")
    if y0 not in (None, 0) and (isinstance(y0, bool) or not isinstance(y0, int) or y0 > year):
        chk.fail(
            f"{w}.parameters.year_from",
            f"the first year of a period is a whole number not after the year {year}, not {y0!r}",
            f"năm đầu của một kỳ là một số nguyên không sau năm {year}, không phải {y0!r}",
        )
    y0 = y0 if y0 and y0 < year else None
    if unit is None:  # the whole country
        return Report(
            notebook=info.name,
            kind=info.kind,
            unit=COUNTRY_CODE,
            unit_name=COUNTRY_NAMES[lang],
            level=COUNTRY_LEVEL,
            district=None,
            year=year,
            lang=lang,
            parameters=params,
        )
    return Report(
        notebook=info.name,
        kind=info.kind,
        unit=unit.code,
        unit_name=unit.label(lang),
        level=unit.level,
        district=district_of(registry, unit),
        year=year,
        lang=lang,
        parameters=params,
        year_from=y0,
    )


def _date(chk: Checker, signed) -> datetime.date | None:
    """The plan's ``date`` (the date line of the Word reports); None when not given."""
    if signed is not None and (
        not isinstance(signed, datetime.date) or isinstance(signed, datetime.datetime)
    ):
        chk.fail(
            "date",
            f"must be a date written YYYY-MM-DD (the date line of the Word reports), not {signed!r}",
            f"phải là một ngày viết YYYY-MM-DD (dòng ngày tháng của báo cáo Word), không phải {signed!r}",
        )
    return signed


def _system(kind: str | None) -> str:
    """The format of a report kind's official document: "party" or "state" (the registry)."""
    found = registry.get(kind)
    return found.issuer if found else "state"


def _issuer(chk: Checker, value, notebooks: dict) -> dict:
    """The plan's ``issuer`` (:mod:`baocao.export.issuer`): every notebook's, its kind's system by default."""
    from baocao.export.issuer import IssuerError, check_issuers

    try:
        return check_issuers(value, notebooks)
    except IssuerError as exc:
        chk.fail(exc.where, exc.message_en, exc.message_vi)


def _formats(chk: Checker, value) -> tuple[str, ...]:
    """The plan's ``formats`` (:mod:`baocao.export.formats`); HTML alone when not given."""
    from baocao.export.formats import FormatError, check_formats

    if value is None:
        return check_formats(())
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        chk.fail(
            "formats",
            f"must be a list of formats such as [html, pdf, docx], not {value!r}",
            f"phải là một danh sách định dạng như [html, pdf, docx], không phải {value!r}",
        )
    try:
        return check_formats(value)
    except FormatError as exc:
        chk.fail("formats", exc.message_en, exc.message_vi)
