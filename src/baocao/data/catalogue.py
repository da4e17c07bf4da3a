"""The indicator catalogue: data elements, indicators, category sets, validation rules.

Analysts edit the catalogue in ``data/catalogue/``: every ``*.yaml`` file there may hold
``elements:``, ``indicators:`` and ``categories:`` lists (they are merged; a code defined
twice is an error), a ``reports:`` mapping (report name → list of ``{indicator: CODE, ...}``
entries: which indicators a report shows, in order; see :mod:`baocao.reports.gso`), and
``rules.csv`` holds the validation rule table. An element read from a GSO table declares
that table in its ``gso:`` mapping (see :mod:`baocao.data.gso`). Adding an element or an
indicator needs no code change.
"""

from __future__ import annotations

from dataclasses import MISSING, dataclass, field, fields
from typing import TYPE_CHECKING, Any

from baocao.errors import BaocaoError

if TYPE_CHECKING:  # pandas is imported where it is used: `baocao build` with nothing to do needs none
    import pandas as pd

VALUE_TYPES = ("integer", "number", "boolean")
AGGREGATIONS = ("sum", "weighted_mean", "none")
# higher / lower: which way is better; neutral: neither (a size, such as population), ranked from the
# largest where a report ranks it; None (not declared): never ranked
DIRECTIONS = ("higher", "lower", "neutral", None)
FACTORS = (1, 100, 1000, 10000)
OPERATORS = ("<=", "<", ">=", ">", "==", "!=")
IMPORTANCE = ("blocking", "warning")
LEVELS = ("province", "district", "commune")
TARGET_KEYS = ("value", "levels", "illustrative", "source", "note_vi", "note_en")
MEASURES = ("flow", "stock")
# the documents a target may come from, and how a page names them
DOCUMENT_TYPES = {
    "resolution": ("Nghị quyết", "Resolution"),
    "plan": ("Kế hoạch", "Plan"),
    "decision": ("Quyết định", "Decision"),
    "directive": ("Chỉ thị", "Directive"),
}
SOURCE_KEYS = ("type", "number", "date", "issuer_vi", "issuer_en", "title_vi", "title_en")
# the kinds of commune-level unit an element's ``reported_at`` may name instead of the whole level
COMMUNE_TYPES = ("xã", "phường", "thị trấn", "đặc khu")


class CatalogueError(BaocaoError, ValueError):
    """A catalogue file is malformed; the message names the file and entry.

    ``CatalogueError(where, message_en, message_vi)`` reads ``where: Vietnamese / English`` (each
    language once); with one text (``CatalogueError("…")``) that text is used as is."""

    def __init__(self, where: str, message_en: str | None = None, message_vi: str | None = None):
        if message_en is None:
            self.where, self.message_en, self.message_vi = "", where, where
            super().__init__(where)
            return
        self.where, self.message_en = where, message_en
        self.message_vi = message_en if message_vi is None else message_vi
        both = message_en if message_vi is None else f"{message_vi} / {message_en}"
        super().__init__(f"{where}: {both}" if where else both)


@dataclass(frozen=True)
class Element:
    code: str
    name_vi: str
    name_en: str
    unit_vi: str
    unit_en: str
    value_type: str = "integer"
    aggregation: str = "sum"
    weight: str | None = None
    min: float | None = 0
    max: float | None = None
    category_set: str | None = None
    section: str = "other"
    decimals: int = 0
    description_vi: str = ""
    description_en: str = ""
    # flow: counted over a period (conferences held in a year), summed over years; stock: counted
    # at a date (funds active, schools at the standard), never summed over years: a period takes
    # its last value (DHIS2's aggregation over time). None: not said, never summed over years.
    measure: str | None = None
    # the GSO table the element is read from (file, layout, item, …; see baocao.data.gso.declared_tables)
    gso: dict | None = field(default=None, hash=False)
    # who reports it: levels (commune, district, province) or kinds of commune-level unit (xã, …);
    # None: the communes. The coverage of an aggregate counts these units (baocao.data.aggregate)
    reported_at: tuple[str, ...] | None = None

    def name(self, lang: str = "vi") -> str:
        return self.name_vi if lang == "vi" else self.name_en

    def unit(self, lang: str = "vi") -> str:
        return self.unit_vi if lang == "vi" else self.unit_en


@dataclass(frozen=True)
class Indicator:
    code: str
    name_vi: str
    name_en: str
    numerator: str
    denominator: str | None = None
    factor: float = 1
    decimals: int = 1
    unit_vi: str = ""
    unit_en: str = ""
    target: float | None = None
    direction: str | None = None
    section: str = "other"
    short_vi: str = ""
    short_en: str = ""
    # the levels the target applies to (those its source names), and why it does not apply elsewhere
    target_levels: tuple[str, ...] | None = None
    target_note_vi: str = ""
    target_note_en: str = ""
    # where the target comes from: a document (type, number, date, issuer; see SOURCE_KEYS), or
    # none and ``target_illustrative``: an example, marked as one wherever it judges a value
    target_source: dict | None = field(default=None, hash=False, compare=False)
    target_illustrative: bool = False

    def name(self, lang: str = "vi") -> str:
        return self.name_vi if lang == "vi" else self.name_en

    def short(self, lang: str = "vi") -> str:
        return (self.short_vi or self.name_vi) if lang == "vi" else (self.short_en or self.name_en)

    def unit(self, lang: str = "vi") -> str:
        return self.unit_vi if lang == "vi" else self.unit_en

    def target_applies(self, level: str | None = None) -> bool:
        """Whether the target judges a unit of ``level`` (None: any level)."""
        return self.target is not None and (
            level is None or self.target_levels is None or level in self.target_levels
        )

    def target_note(self, lang: str = "vi") -> str:
        return self.target_note_vi if lang == "vi" else self.target_note_en

    def target_document(self, lang: str = "vi") -> str:
        """The document the target comes from, as a page cites it (``Nghị quyết số 12/NQ-HĐND
        ngày 08/12/2023 của Hội đồng nhân dân huyện …``); "" for an illustrative target."""
        return document_words(self.target_source, lang) if self.target_source else ""

    def meets_target(self, value: float, level: str | None = None) -> bool | None:
        """True / False against the target; None when there is no target, no value, or the
        target does not apply to ``level`` (e.g. a district-only target for a commune)."""
        import pandas as pd

        if (
            self.target is None
            or self.direction not in ("higher", "lower")
            or pd.isna(value)
            or not self.target_applies(level)
        ):
            return None
        return value >= self.target if self.direction == "higher" else value <= self.target


def document_words(source: dict, lang: str = "vi") -> str:
    """A target's document in words: type, number, date (day/month/year), issuer and title."""
    kind = DOCUMENT_TYPES[source["type"]][0 if lang == "vi" else 1]
    date = str(source["date"])
    y, m, d = date.split("-")
    when = f"ngày {d}/{m}/{y}" if lang == "vi" else f"of {d}/{m}/{y}"
    issuer = str(source.get(f"issuer_{lang}") or source.get("issuer_vi") or "")
    title = str(source.get(f"title_{lang}") or source.get("title_vi") or "")
    vi, en = (f"số {source['number']}", f"No. {source['number']}")
    text = f"{kind} {vi if lang == 'vi' else en} {when}"
    if issuer:
        text += f" của {issuer}" if lang == "vi" else f" by the {issuer}"
    if title:
        text += f" ({title})"
    return text


@dataclass(frozen=True)
class CategoryOption:
    code: str
    name_vi: str
    name_en: str
    short_vi: str = ""
    short_en: str = ""
    year_from: int | None = None
    year_to: int | None = None

    def name(self, lang: str = "vi") -> str:
        return self.name_vi if lang == "vi" else self.name_en

    def short(self, lang: str = "vi") -> str:
        return (self.short_vi or self.name_vi) if lang == "vi" else (self.short_en or self.name_en)


@dataclass(frozen=True)
class CategorySet:
    code: str
    name_vi: str
    name_en: str
    options: tuple[CategoryOption, ...] = ()

    def option(self, code: str) -> CategoryOption:
        for o in self.options:
            if o.code == code:
                return o
        raise KeyError(code)


@dataclass(frozen=True)
class Rule:
    id: str
    left: str
    operator: str
    right: str
    importance: str
    description_vi: str
    description_en: str


@dataclass
class Catalogue:
    elements: dict[str, Element] = field(default_factory=dict)
    indicators: dict[str, Indicator] = field(default_factory=dict)
    categories: dict[str, CategorySet] = field(default_factory=dict)
    rules: tuple[Rule, ...] = ()
    # report name -> entries {indicator: CODE, <section list keys>}, in the order the report shows them
    reports: dict[str, tuple[dict, ...]] = field(default_factory=dict)
    origin: dict[str, str] = field(
        default_factory=dict, repr=False, compare=False
    )  # "element X" / "reports gso" -> file

    def element(self, code: str) -> Element:
        try:
            return self.elements[code]
        except KeyError:
            raise KeyError(f"không có chỉ tiêu dữ liệu {code!r} / unknown data element {code!r}") from None

    def indicator(self, code: str) -> Indicator:
        try:
            return self.indicators[code]
        except KeyError:
            raise KeyError(f"không có chỉ số {code!r} / unknown indicator {code!r}") from None

    def is_stock(self, code: str, figure_type: str = "indicator") -> bool:
        """Whether a figure counts something at a date (funds active, money raised to date) rather
        than over a period: an element whose ``measure`` is ``stock``, or an indicator that is
        such an element as it is (no denominator). A rate of stocks (schools at the standard per
        school) is a rate at a date; it is never summed either way."""
        if figure_type == "element":
            return self.element(code).measure == "stock"
        ind = self.indicator(code)
        return ind.denominator is None and self.element(ind.numerator).measure == "stock"

    def ranking_direction(self, code: str) -> str:
        """The direction an indicator is ranked by (``higher``, ``lower``, ``neutral``: 1 is the
        largest); a :class:`CatalogueError` naming the catalogue file and the entry when it declares
        none: a ranking must not guess which way is better."""
        ind = self.indicator(code)
        if ind.direction is None:
            where = self.origin.get(f"indicator {code}", "catalogue")
            raise CatalogueError(
                f"{where}: indicator {code}",
                "it is shown in a ranking, so it must declare direction: higher, lower or neutral "
                "(neutral: a size, ranked from the largest)",
                "chỉ số được xếp hạng nên phải khai direction: higher, lower hoặc neutral "
                "(neutral: một quy mô, xếp từ lớn nhất)",
            )
        return ind.direction

    def category_label(self, element_code: str, category: str, lang: str = "vi", short: bool = True) -> str:
        el = self.element(element_code)
        if not category or el.category_set is None:
            return ""
        opt = self.categories[el.category_set].option(category)
        return opt.short(lang) if short else opt.name(lang)


def _make(cls, entry: Any, where: str):
    if not isinstance(entry, dict):
        raise CatalogueError(
            where,
            f"expected a mapping, got {type(entry).__name__}",
            f"cần một mục dạng khóa: giá trị, không phải {type(entry).__name__}",
        )
    known = set(cls.__dataclass_fields__)
    unknown = sorted(set(entry) - known)
    if unknown:
        raise CatalogueError(
            where,
            f"unknown key(s) {', '.join(unknown)}; allowed: {', '.join(sorted(known))}",
            f"khóa lạ {', '.join(unknown)}; các khóa hợp lệ: {', '.join(sorted(known))}",
        )
    try:
        return cls(**entry)
    except TypeError as exc:
        missing = sorted(
            f.name
            for f in fields(cls)
            if f.default is MISSING and f.default_factory is MISSING and f.name not in entry
        )
        if missing:
            raise CatalogueError(
                where, f"missing key(s) {', '.join(missing)}", f"thiếu khóa bắt buộc {', '.join(missing)}"
            ) from None
        raise CatalogueError(where, str(exc), str(exc)) from None


def build_catalogue(
    documents: list[tuple[str, dict]], rules: pd.DataFrame | None = None, rules_name: str = "rules.csv"
) -> Catalogue:
    """Merge parsed YAML documents ``(file name, content)`` and a rule table into a checked catalogue."""
    cat = Catalogue()
    origin: dict[str, str] = {}  # "element hn_so" -> file it came from, for error messages
    for name, doc in documents:
        doc = doc or {}
        if not isinstance(doc, dict):
            raise CatalogueError(
                name,
                "the file must be a mapping with elements / indicators / categories",
                "tệp phải là một mục với elements / indicators / categories",
            )
        extra = sorted(set(doc) - {"elements", "indicators", "categories", "reports"})
        if extra:
            raise CatalogueError(
                name,
                f"unknown section(s) {', '.join(extra)}; allowed: elements, indicators, categories, reports",
                f"phần lạ {', '.join(extra)}; các phần hợp lệ: elements, indicators, categories, reports",
            )
        for i, e in enumerate(doc.get("elements") or []):
            el = _make(Element, _reported_at(e, f"{name}: elements[{i}]"), f"{name}: elements[{i}]")
            _add(cat.elements, el, f"{name}: element {el.code}")
            origin[f"element {el.code}"] = name
        for i, e in enumerate(doc.get("indicators") or []):
            ind = _make(Indicator, _target(e, f"{name}: indicators[{i}]"), f"{name}: indicators[{i}]")
            _add(cat.indicators, ind, f"{name}: indicator {ind.code}")
            origin[f"indicator {ind.code}"] = name
        for i, e in enumerate(doc.get("categories") or []):
            if not isinstance(e, dict):
                raise CatalogueError(
                    f"{name}: categories[{i}]", "expected a mapping", "cần một mục dạng khóa: giá trị"
                )
            opts = tuple(
                _make(CategoryOption, o, f"{name}: categories[{i}].options[{j}]")
                for j, o in enumerate(e.get("options") or [])
            )
            cs = _make(CategorySet, {**e, "options": opts}, f"{name}: categories[{i}]")
            _add(cat.categories, cs, f"{name}: category set {cs.code}")
        reports = doc.get("reports") or {}
        if not isinstance(reports, dict):
            raise CatalogueError(
                f"{name}: reports",
                "expected a mapping of report name → list of {indicator: CODE} entries",
                "cần dạng tên báo cáo → danh sách các mục {indicator: MÃ}",
            )
        for report, entries in reports.items():
            if report in cat.reports:
                raise CatalogueError(
                    f"{name}: reports",
                    f"report {report!r} is defined twice (also in {origin[f'reports {report}']})",
                    f"báo cáo {report!r} được khai báo hai lần (cả trong {origin[f'reports {report}']})",
                )
            if not isinstance(entries, list) or not all(
                isinstance(e, dict) and "indicator" in e for e in entries
            ):
                raise CatalogueError(
                    f"{name}: reports.{report}",
                    "expected a list of mappings, each with an 'indicator' key",
                    "cần một danh sách các mục, mỗi mục có khóa 'indicator'",
                )
            cat.reports[report] = tuple(dict(e) for e in entries)
            origin[f"reports {report}"] = name
    if rules is not None:
        cat.rules = tuple(_rules(rules, rules_name, origin))
    check_catalogue(cat, origin)
    cat.origin = origin
    return cat


def _target(entry: Any, where: str) -> Any:
    """``target: {value: 6, levels: [district], source: {…} | illustrative: true, note_vi, note_en}``
    -> the Indicator fields ``target``, ``target_levels``, ``target_source``,
    ``target_illustrative``, ``target_note_vi``, ``target_note_en``.

    A target names its document (a resolution, plan or decision, with number and date: ``source``)
    or says it is an example (``illustrative: true``), and the levels it applies to (those its
    document names): a bare ``target: 95`` says neither and is refused."""
    if not isinstance(entry, dict) or "target" not in entry or entry["target"] is None:
        return entry
    t = entry["target"]
    example = (
        "target: {value: 95, levels: [district], illustrative: true} or target: {value: 95, levels: "
        "[district], source: {type: resolution, number: 01-NQ/ĐH, date: 2020-08-20, issuer_vi: …}}"
    )
    if not isinstance(t, dict):
        raise CatalogueError(
            f"{where}.target",
            "a target names its source document or says it is illustrative, and the levels it applies to, "
            f"e.g. {example}",
            "chỉ tiêu phải ghi văn bản giao chỉ tiêu (hoặc illustrative: true) và các cấp áp dụng, ví dụ "
            f"{example}",
        )
    unknown = sorted(set(t) - set(TARGET_KEYS))
    if unknown:
        raise CatalogueError(
            f"{where}.target",
            f"unknown key(s) {', '.join(unknown)}; allowed: {', '.join(TARGET_KEYS)}",
            f"khóa lạ {', '.join(unknown)}; các khóa hợp lệ: {', '.join(TARGET_KEYS)}",
        )
    if "value" not in t or isinstance(t["value"], bool) or not isinstance(t["value"], (int, float)):
        raise CatalogueError(
            f"{where}.target",
            "'value' must be a number, e.g. target: {value: 6, levels: [district], illustrative: true}",
            "'value' phải là một số, ví dụ target: {value: 6, levels: [district], illustrative: true}",
        )
    levels = t.get("levels")
    if isinstance(levels, str):
        levels = [levels]
    if not isinstance(levels, list) or not levels or any(lv not in LEVELS for lv in levels):
        raise CatalogueError(
            f"{where}.target.levels",
            f"the levels the target's source names, a list from {', '.join(LEVELS)}, not {t.get('levels')!r}",
            f"các cấp mà văn bản giao chỉ tiêu nêu, một danh sách trong {', '.join(LEVELS)}, không phải "
            f"{t.get('levels')!r}",
        )
    illustrative, source = t.get("illustrative", False), t.get("source")
    if not isinstance(illustrative, bool):
        raise CatalogueError(
            f"{where}.target.illustrative",
            f"true or false, not {illustrative!r}",
            f"true hoặc false, không phải {illustrative!r}",
        )
    if (source is None) == (not illustrative):
        raise CatalogueError(
            f"{where}.target",
            f"give either its source document (source: …) or illustrative: true, "
            f"{'not both' if source is not None else 'one of them'}; e.g. {example}",
            f"ghi văn bản giao chỉ tiêu (source: …) hoặc illustrative: true, "
            f"{'không ghi cả hai' if source is not None else 'một trong hai'}; ví dụ {example}",
        )
    if source is not None:
        source = _target_source(source, f"{where}.target.source")
    out = {k: v for k, v in entry.items() if k != "target"}
    return {
        **out,
        "target": t["value"],
        "target_levels": tuple(levels),
        "target_source": source,
        "target_illustrative": illustrative,
        "target_note_vi": str(t.get("note_vi", "")),
        "target_note_en": str(t.get("note_en", "")),
    }


def _target_source(source: Any, where: str) -> dict:
    """A target's document: ``type`` (resolution, plan, decision, directive), ``number``, ``date``
    (YYYY-MM-DD), the issuer and the title (both optional)."""
    import datetime
    import re

    if not isinstance(source, dict):
        raise CatalogueError(
            where, f"a mapping with {', '.join(SOURCE_KEYS)}", f"một bảng khóa gồm {', '.join(SOURCE_KEYS)}"
        )
    unknown = sorted(set(source) - set(SOURCE_KEYS))
    if unknown:
        raise CatalogueError(
            where,
            f"unknown key(s) {', '.join(unknown)}; allowed: {', '.join(SOURCE_KEYS)}",
            f"khóa lạ {', '.join(unknown)}; các khóa hợp lệ: {', '.join(SOURCE_KEYS)}",
        )
    if source.get("type") not in DOCUMENT_TYPES:
        raise CatalogueError(
            f"{where}.type",
            f"one of {', '.join(DOCUMENT_TYPES)}, not {source.get('type')!r}",
            f"một trong {', '.join(DOCUMENT_TYPES)}, không phải {source.get('type')!r}",
        )
    if not str(source.get("number") or "").strip():
        raise CatalogueError(
            f"{where}.number", "the document's number, e.g. 01-NQ/ĐH", "số của văn bản, ví dụ 01-NQ/ĐH"
        )
    date = source.get("date")
    if isinstance(date, datetime.date):
        date = date.isoformat()
    if not isinstance(date, str) or not re.fullmatch(r"\d{4}-\d{2}-\d{2}", date):
        raise CatalogueError(
            f"{where}.date",
            f"the document's date as YYYY-MM-DD, not {source.get('date')!r}",
            f"ngày ban hành văn bản dạng YYYY-MM-DD, không phải {source.get('date')!r}",
        )
    return {**{k: str(v) for k, v in source.items()}, "date": date}


def _reported_at(entry: Any, where: str) -> Any:
    """``reported_at: [commune, district]`` (or one word) -> the Element field as a tuple of lower-case
    words, each a level or a kind of commune-level unit."""
    if not isinstance(entry, dict) or "reported_at" not in entry:
        return entry
    value = entry["reported_at"]
    words = [value] if isinstance(value, str) else value
    allowed = (*LEVELS, *COMMUNE_TYPES)
    if (
        not isinstance(words, list)
        or not words
        or any(not isinstance(w, str) or w.strip().lower() not in allowed for w in words)
    ):
        raise CatalogueError(
            f"{where}.reported_at",
            f"a list of levels ({', '.join(LEVELS)}) or kinds of commune ({', '.join(COMMUNE_TYPES)}), "
            f"e.g. reported_at: [commune, district]; not {value!r}",
            f"danh sách các cấp ({', '.join(LEVELS)}) hoặc loại đơn vị cấp xã ({', '.join(COMMUNE_TYPES)}), "
            f"vd. reported_at: [commune, district]; không phải {value!r}",
        )
    return {**entry, "reported_at": tuple(dict.fromkeys(w.strip().lower() for w in words))}


def _add(target: dict, item, where: str) -> None:
    if item.code in target:
        raise CatalogueError(
            where, f"code {item.code!r} is defined twice", f"mã {item.code!r} được khai báo hai lần"
        )
    target[item.code] = item


def _rules(df: pd.DataFrame, name: str, origin: dict[str, str] | None = None) -> list[Rule]:
    cols = list(Rule.__dataclass_fields__)
    missing = [c for c in cols if c not in df.columns]
    if missing:
        raise CatalogueError(
            name, f"missing column(s) {', '.join(missing)}", f"thiếu cột {', '.join(missing)}"
        )
    out = []
    lines = df.index if df.index.name == "line" else range(2, 2 + len(df))
    for i, row in zip(lines, df[cols].fillna("").astype(str).itertuples(index=False)):
        rule = Rule(*[v.strip() for v in row])
        if origin is not None:
            origin[f"rule {rule.id}"] = f"{name}, row {i}"
        if rule.operator not in OPERATORS:
            raise CatalogueError(
                f"{name}, row {i}, column operator",
                f"{rule.operator!r} is not one of {' '.join(OPERATORS)}",
                f"{rule.operator!r} không phải một trong {' '.join(OPERATORS)}",
            )
        if rule.importance not in IMPORTANCE:
            raise CatalogueError(
                f"{name}, row {i}, column importance",
                f"{rule.importance!r} is not one of {', '.join(IMPORTANCE)}",
                f"{rule.importance!r} không phải một trong {', '.join(IMPORTANCE)}",
            )
        out.append(rule)
    return out


def check_catalogue(cat: Catalogue, origin: dict[str, str] | None = None) -> None:
    """Cross-references: every code used is defined, every enumerated field is valid.

    ``origin`` maps ``"element CODE"`` / ``"indicator CODE"`` / ``"rule ID"`` to the file
    (and row) it came from, so that a message names the file and the entry.
    """
    origin = origin or {}

    def where(entry: str) -> str:
        return f"{origin[entry]}: {entry}" if entry in origin else entry

    for el in cat.elements.values():
        w = where(f"element {el.code}")
        if el.value_type not in VALUE_TYPES:
            raise CatalogueError(
                w,
                f"value_type {el.value_type!r} not in {VALUE_TYPES}",
                f"value_type {el.value_type!r} không thuộc {VALUE_TYPES}",
            )
        if el.aggregation not in AGGREGATIONS:
            raise CatalogueError(
                w,
                f"aggregation {el.aggregation!r} not in {AGGREGATIONS}",
                f"aggregation {el.aggregation!r} không thuộc {AGGREGATIONS}",
            )
        if el.aggregation == "weighted_mean" and el.weight not in cat.elements:
            raise CatalogueError(
                w,
                f"weighted_mean needs a weight element, {el.weight!r} is not defined",
                f"weighted_mean cần một chỉ tiêu trọng số (weight), {el.weight!r} chưa được khai báo",
            )
        if el.category_set is not None and el.category_set not in cat.categories:
            raise CatalogueError(
                w,
                f"category set {el.category_set!r} is not defined",
                f"bộ phân tổ {el.category_set!r} chưa được khai báo",
            )
        if el.measure not in (*MEASURES, None):
            raise CatalogueError(
                w,
                f"measure {el.measure!r} not in {MEASURES}",
                f"measure {el.measure!r} không thuộc {MEASURES} (flow: số của một kỳ; stock: số tính đến "
                "một thời điểm)",
            )
        if el.min is not None and el.max is not None and el.min > el.max:
            raise CatalogueError(w, f"min {el.min} > max {el.max}", f"min {el.min} lớn hơn max {el.max}")
    for ind in cat.indicators.values():
        w = where(f"indicator {ind.code}")
        for part in (ind.numerator, ind.denominator):
            if part is not None and part not in cat.elements:
                raise CatalogueError(
                    w, f"element {part!r} is not defined", f"chỉ tiêu {part!r} chưa được khai báo"
                )
        if ind.factor not in FACTORS:
            raise CatalogueError(
                w, f"factor {ind.factor} not in {FACTORS}", f"factor {ind.factor} không thuộc {FACTORS}"
            )
        if ind.direction not in DIRECTIONS:
            raise CatalogueError(
                w,
                f"direction {ind.direction!r} must be higher, lower, neutral or empty",
                f"direction {ind.direction!r} phải là higher, lower, neutral hoặc để trống",
            )
        if ind.target is not None and ind.direction not in ("higher", "lower"):
            raise CatalogueError(
                w,
                "a target needs a direction (higher / lower)",
                "có target thì phải có direction (higher / lower)",
            )
    for report, entries in cat.reports.items():
        seen = set()
        for i, entry in enumerate(entries):
            code = entry.get("indicator")
            w = f"{where(f'reports {report}')}[{i}]"
            if code not in cat.indicators:
                raise CatalogueError(
                    w, f"indicator {code!r} is not defined", f"chỉ số {code!r} chưa được khai báo"
                )
            if code in seen:
                raise CatalogueError(w, f"indicator {code!r} is listed twice", f"chỉ số {code!r} có hai lần")
            seen.add(code)
            for key, value in entry.items():
                if key != "indicator" and not (
                    isinstance(value, list) and all(isinstance(v, str) for v in value)
                ):
                    raise CatalogueError(
                        f"{w}.{key}",
                        f"expected a list of section names, e.g. [headline, table], not {value!r}",
                        f"cần một danh sách tên phần, ví dụ [headline, table], không phải {value!r}",
                    )
    for rule in cat.rules:
        for side in (rule.left, rule.right):
            if not _is_number(side) and side not in cat.elements:
                raise CatalogueError(
                    where(f"rule {rule.id}"),
                    f"{side!r} is neither a number nor a data element",
                    f"{side!r} không phải một số, cũng không phải một chỉ tiêu dữ liệu",
                )


def _is_number(text: str) -> bool:
    try:
        float(text)
        return True
    except ValueError:
        return False
