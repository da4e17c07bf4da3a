"""The registry of report kinds: what a report notebook *is*, in one place.

A report notebook declares its kind in its metadata (``metadata.baocao.kind``, e.g.
``"district"``; in the paired ``.py`` file it is the ``baocao: kind:`` entry of the jupytext
header). This registry maps each kind to:

- its **titles** (Vietnamese, English), shown in the index and the page title;
- its **unit parameter** and **level**: which notebook parameter names the unit the report is
  about (``district``, ``commune``, ``province``, or none for the whole country) and that
  unit's level;
- its **opener**: the function that turns the notebook's parameters into the report context
  (the first call of every report notebook is ``X.open_report(kind, globals())``, which ends
  here in :func:`open_context`);
- its **summary**: the function that takes that context to the title and headline figures of
  the build index;
- its **input fingerprint**: the function that hashes exactly the data rows one report reads,
  so the builder rebuilds only the reports whose inputs changed (``None``: every file under
  ``data/``), and which parameter names its data folder;
- its **issuer**: the format of its official document (``party``: HD 36-HD/VPTW, ``state``:
  ND 30/2020/NĐ-CP; :mod:`baocao.export.issuer`), which a plan's ``issuer:`` may change.
- its **data check**: the function the builder runs once, before any report runs, on the data
  folder the kind reads (the observations' validation for the local reports): a blocking
  problem stops the build with one message instead of failing every report.

The planner, the builder and the exporter ask this registry and branch on nothing else.
Functions are named as ``"module:function"`` and imported only when called, so the planner
and the build workers can read titles and levels without importing pandas.

Adding a report kind is a notebook (with ``metadata.baocao.kind``) plus one :class:`Kind`
here, or :func:`register` at run time, or an entry point in the ``baocao.kinds`` group whose
object is a :class:`Kind` (for a package of one's own).
"""

from __future__ import annotations

import difflib
import importlib
import inspect
from dataclasses import dataclass

from baocao.errors import BaocaoError

ENTRY_POINT_GROUP = "baocao.kinds"  # the entry-point group (a name, not the module)


class ReportError(BaocaoError, ValueError):
    """A report that cannot open (unknown kind or parameter, bad value, no data): shown in the
    notebook as one clear message, no traceback."""

    def _render_traceback_(self):  # IPython shows this instead of the traceback
        return [f"\033[1;31m{type(self).__name__}\033[0m: {self}"]


@dataclass(frozen=True, kw_only=True)
class Kind:
    """One report kind (see the module docstring for what each field is for); every field is
    given by name: ``Kind(name="district", title_vi=…, …)``."""

    name: str
    title_vi: str
    title_en: str
    unit_parameter: str | None  # "district", "commune", "province"; None: the whole country
    level: str  # level of the report's unit: "district", "commune", "province", "country"
    opener: str  # "module:function" taking the notebook's parameters as keywords
    summary: str  # "module:function" taking the context, giving {"title", "headline"}
    fingerprint: str | None = None  # "module:function(kind, unit, year, folder) -> sha256 hex"
    data_parameter: str = "data_dir"  # the notebook parameter naming the data folder it reads
    issuer: str = "state"  # the format of its official document: "party" (HD 36) or "state" (ND 30)
    # "module:function(folder) -> problems DataFrame" (validate's columns): run by the builder before
    # any report runs; a blocking problem stops the build. None: nothing to check
    check: str | None = None

    def title(self, lang: str = "vi") -> str:
        return self.title_vi if lang == "vi" else self.title_en


def _resolve(ref: str):
    module, _, name = ref.partition(":")
    return getattr(importlib.import_module(module), name)


KINDS: dict[str, Kind] = {}
# the reports that read the observations refuse invalid data: the build checks them once, first
DATA_CHECK = "baocao.io.dataset_cache:validation_problems"


def register(kind: Kind) -> Kind:
    """Add (or replace) a kind; returns it."""
    KINDS[kind.name] = kind
    return kind


def _kind(family: str, opener: str, **fields) -> Kind:
    """A kind of the family ``baocao.reports.<family>``: its opener ``"module:function"`` and the
    summary beside it in that module, the family's input fingerprint."""
    module = opener.partition(":")[0]
    where = f"baocao.reports.{family}"
    return Kind(
        opener=f"{where}.{opener}",
        summary=f"{where}.{module}:summary",
        fingerprint=f"{where}.fingerprint:input_fingerprint",
        **fields,
    )


# the campaign family is the party committee's (HD 36-HD/VPTW), and reads the observations
CAMPAIGN = {"issuer": "party", "check": DATA_CHECK}

for _k in (
    _kind(
        "local",
        "district:open_district",
        name="district",
        title_vi="Báo cáo kết quả học tập và làm theo tư tưởng, đạo đức, phong cách Hồ Chí Minh",
        title_en="Report on studying and following Ho Chi Minh's thought, ethics and style",
        unit_parameter="district",
        level="district",
        **CAMPAIGN,
    ),
    _kind(
        "local",
        "commune:open_commune",
        name="commune",
        title_vi="Báo cáo cấp xã: kết quả học tập và làm theo Bác, kinh tế - xã hội",
        title_en="Commune report: campaign and socio-economic results",
        unit_parameter="commune",
        level="commune",
        **CAMPAIGN,
    ),
    _kind(
        "local",
        "data_quality:open_data_quality",
        name="data_quality",
        title_vi="Chất lượng số liệu: kiểm tra và đối chiếu",
        title_en="Data quality: validation and reconciliation",
        unit_parameter="district",
        level="district",
        **CAMPAIGN,
    ),
    _kind(
        "gso",
        "province:open_province",
        name="province",
        title_vi="Số liệu thống kê tỉnh",
        title_en="Province statistics",
        unit_parameter="province",
        level="province",
        data_parameter="gso_dir",
    ),
    _kind(
        "gso",
        "national:open_national",
        name="national",
        title_vi="Toàn cảnh các tỉnh, thành phố",
        title_en="National overview of the provinces",
        unit_parameter=None,
        level="country",
        data_parameter="gso_dir",
    ),
    _kind(
        "two_level",
        "commune:open_commune_2025",
        name="commune_2025",
        title_vi="Báo cáo xã, phường mới: số liệu của năm bên cạnh lịch sử",
        title_en="New commune report: the year's figures beside their history",
        unit_parameter="commune",
        level="commune",
        check=DATA_CHECK,
    ),
    _kind(
        "two_level",
        "province:open_province_2025",
        name="province_2025",
        title_vi="Báo cáo tỉnh tổng hợp các xã, phường",
        title_en="Province report compiling its communes",
        unit_parameter="province",
        level="province",
        check=DATA_CHECK,
    ),
):
    register(_k)

_loaded_entry_points = False


def _entry_points() -> None:
    global _loaded_entry_points
    if _loaded_entry_points:
        return
    _loaded_entry_points = True
    from importlib.metadata import entry_points

    for ep in entry_points(group=ENTRY_POINT_GROUP):
        kind = ep.load()
        if isinstance(kind, Kind):
            KINDS.setdefault(kind.name, kind)


def get(name: str | None) -> Kind | None:
    """The kind called ``name`` (None for None or an unregistered name)."""
    if not name:
        return None
    if name not in KINDS:
        _entry_points()
    return KINDS.get(name)


def require(name: str) -> Kind:
    """The kind called ``name``, or a :class:`ReportError` listing the registered kinds."""
    kind = get(name)
    if kind is None:
        close = difflib.get_close_matches(str(name), list(KINDS), n=1)
        hint = f" Có phải '{close[0]}'? / Did you mean '{close[0]}'?" if close else ""
        raise ReportError(
            f"Loại báo cáo lạ / unknown report kind {name!r}; các loại / kinds: {', '.join(KINDS)}.{hint}"
        )
    return kind


def kind_of(metadata: dict) -> str | None:
    """The kind a notebook declares in its metadata (``metadata.baocao.kind``), or None."""
    found = (metadata or {}).get("baocao", {})
    return found.get("kind") if isinstance(found, dict) and isinstance(found.get("kind"), str) else None


def title(name: str | None, lang: str = "vi") -> str | None:
    """The title of a kind in ``lang`` (None for a notebook of no registered kind)."""
    kind = get(name)
    return kind.title(lang) if kind else None


# ---------------------------------------------------------------- opening a report


def user_parameters(namespace: dict) -> dict:
    """The notebook's parameters: its user variables (papermill injects them as globals)."""
    skip = {"In", "Out", "get_ipython", "exit", "quit", "open"}
    return {
        k: v
        for k, v in namespace.items()
        if not k.startswith("_") and k not in skip and (v is None or isinstance(v, (str, int, float, bool)))
    }


def check_parameter_names(opener, params: dict) -> None:
    """A :class:`ReportError` naming the first parameter the opener does not take."""
    allowed = list(inspect.signature(opener).parameters)
    for name in params:
        if name not in allowed:
            close = difflib.get_close_matches(name, allowed, n=1)
            hint = f" Có phải '{close[0]}'? / Did you mean '{close[0]}'?" if close else ""
            raise ReportError(
                f"Tham số lạ '{name}' / unknown parameter '{name}'. Tham số hợp lệ / parameters: "
                f"{', '.join(allowed)}.{hint}"
            )


def open_context(name: str, namespace: dict):
    """What a report notebook's first cell calls (through ``report.open_report`` and its peers):
    check the notebook's parameters against the kind's opener, then open the report.

    In a kernel, the notebook view gets the page's look (:mod:`baocao.reports.notebook_view`).
    When the report cannot open, the report this notebook opened before is replaced by one whose
    every use says why, so that later cells never show an earlier run's report."""
    from baocao.reports import notebook_view

    try:
        opener = _resolve(require(name).opener)
        params = user_parameters(namespace)
        check_parameter_names(opener, params)
        ctx = opener(**params)
    except BaseException as error:
        notebook_view.forget_report(namespace, error)
        raise
    notebook_view.remember_report(namespace, ctx)
    notebook_view.show_style()
    return ctx


def describe(name: str, parameters: dict) -> dict:
    """Title, notebook title and headline figures of a report, by opening it with the plan's
    parameters (the builder takes them from the report's own output when it can)."""
    kind = require(name)
    opener = _resolve(kind.opener)
    accepted = inspect.signature(opener).parameters
    ctx = opener(**{k: v for k, v in parameters.items() if k in accepted})
    return {**_resolve(kind.summary)(ctx), "notebook_title": kind.title(parameters.get("lang", "vi"))}


def input_fingerprint(name: str | None, unit: str, year: int, parameters: dict, data_path: str) -> str | None:
    """Hash of what one report reads, or None when its kind cannot tell (then every data file counts).

    ``data_path`` is the plan's data folder; a kind whose data parameter is not ``data_dir``
    (the GSO reports: ``gso_dir``) reads the folder its own parameter names."""
    kind = get(name)
    if kind is None or kind.fingerprint is None:
        return None
    return _resolve(kind.fingerprint)(kind.name, unit, year, data_folder(kind, parameters, data_path))


def data_folder(kind: Kind, parameters: dict, data_path: str) -> str:
    """The data folder a report of ``kind`` reads: the plan's (``data_path``) or, for a kind whose
    data parameter is not ``data_dir`` (the GSO reports: ``gso_dir``), its own parameter."""
    if kind.data_parameter == "data_dir":
        return data_path
    return str(parameters.get(kind.data_parameter, "") or "")


def data_check(name: str | None, parameters: dict, data_path: str) -> tuple[str, str] | None:
    """What must be checked before a report of kind ``name`` runs: ``(check function, data folder)``,
    or None. Reports sharing a check and a folder share one run of it."""
    kind = get(name)
    if kind is None or kind.check is None:
        return None
    return kind.check, data_folder(kind, parameters, data_path)


def run_check(check: str, folder: str):
    """The problems :func:`data_check`'s function finds in ``folder`` (a DataFrame with the columns
    ``baocao validate`` prints; a problem of importance ``blocking`` stops the build)."""
    return _resolve(check)(folder)
