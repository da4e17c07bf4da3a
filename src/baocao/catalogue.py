"""The indicator catalogue: data elements, indicators, category sets, validation rules.

Analysts edit the catalogue in ``data/catalogue/``: every ``*.yaml`` file there may hold
``elements:``, ``indicators:`` and ``categories:`` lists (they are merged; a code defined
twice is an error), and ``rules.csv`` holds the validation rule table. Adding an element or
an indicator needs no code change.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # pandas is imported where it is used: `baocao build` with nothing to do needs none
    import pandas as pd

VALUE_TYPES = ("integer", "number", "boolean")
AGGREGATIONS = ("sum", "weighted_mean", "none")
DIRECTIONS = ("higher", "lower", None)
FACTORS = (1, 100, 1000, 10000)
OPERATORS = ("<=", "<", ">=", ">", "==", "!=")
IMPORTANCE = ("blocking", "warning")


class CatalogueError(ValueError):
    """A catalogue file is malformed; the message names the file and entry."""


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

    def name(self, lang: str = "vi") -> str:
        return self.name_vi if lang == "vi" else self.name_en

    def short(self, lang: str = "vi") -> str:
        return (self.short_vi or self.name_vi) if lang == "vi" else (self.short_en or self.name_en)

    def unit(self, lang: str = "vi") -> str:
        return self.unit_vi if lang == "vi" else self.unit_en

    def meets_target(self, value: float) -> bool | None:
        import pandas as pd

        if self.target is None or self.direction is None or pd.isna(value):
            return None
        return value >= self.target if self.direction == "higher" else value <= self.target


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

    def element(self, code: str) -> Element:
        try:
            return self.elements[code]
        except KeyError:
            raise KeyError(f"unknown data element {code!r} / không có chỉ tiêu dữ liệu {code!r}") from None

    def indicator(self, code: str) -> Indicator:
        try:
            return self.indicators[code]
        except KeyError:
            raise KeyError(f"unknown indicator {code!r} / không có chỉ số {code!r}") from None

    def category_label(self, element_code: str, category: str, lang: str = "vi", short: bool = True) -> str:
        el = self.element(element_code)
        if not category or el.category_set is None:
            return ""
        opt = self.categories[el.category_set].option(category)
        return opt.short(lang) if short else opt.name(lang)

    def elements_frame(self) -> pd.DataFrame:
        import pandas as pd

        return pd.DataFrame([e.__dict__ for e in self.elements.values()])

    def indicators_frame(self) -> pd.DataFrame:
        import pandas as pd

        return pd.DataFrame([i.__dict__ for i in self.indicators.values()])


def _make(cls, entry: Any, where: str):
    if not isinstance(entry, dict):
        raise CatalogueError(f"{where}: expected a mapping, got {type(entry).__name__}")
    known = set(cls.__dataclass_fields__)
    unknown = sorted(set(entry) - known)
    if unknown:
        raise CatalogueError(f"{where}: unknown key(s) {', '.join(unknown)}; allowed: {', '.join(sorted(known))}")
    try:
        return cls(**entry)
    except TypeError as exc:
        raise CatalogueError(f"{where}: {exc}") from None


def build_catalogue(documents: list[tuple[str, dict]], rules: pd.DataFrame | None = None, rules_name: str = "rules.csv") -> Catalogue:
    """Merge parsed YAML documents ``(file name, content)`` and a rule table into a checked catalogue."""
    cat = Catalogue()
    origin: dict[str, str] = {}  # "element hn_so" -> file it came from, for error messages
    for name, doc in documents:
        doc = doc or {}
        if not isinstance(doc, dict):
            raise CatalogueError(f"{name}: the file must be a mapping with elements / indicators / categories")
        extra = sorted(set(doc) - {"elements", "indicators", "categories"})
        if extra:
            raise CatalogueError(f"{name}: unknown section(s) {', '.join(extra)}")
        for i, e in enumerate(doc.get("elements") or []):
            el = _make(Element, e, f"{name}: elements[{i}]")
            _add(cat.elements, el, f"{name}: element {el.code}")
            origin[f"element {el.code}"] = name
        for i, e in enumerate(doc.get("indicators") or []):
            ind = _make(Indicator, e, f"{name}: indicators[{i}]")
            _add(cat.indicators, ind, f"{name}: indicator {ind.code}")
            origin[f"indicator {ind.code}"] = name
        for i, e in enumerate(doc.get("categories") or []):
            if not isinstance(e, dict):
                raise CatalogueError(f"{name}: categories[{i}]: expected a mapping")
            opts = tuple(_make(CategoryOption, o, f"{name}: categories[{i}].options[{j}]") for j, o in enumerate(e.get("options") or []))
            cs = _make(CategorySet, {**e, "options": opts}, f"{name}: categories[{i}]")
            _add(cat.categories, cs, f"{name}: category set {cs.code}")
    if rules is not None:
        cat.rules = tuple(_rules(rules, rules_name, origin))
    check_catalogue(cat, origin)
    return cat


def _add(target: dict, item, where: str) -> None:
    if item.code in target:
        raise CatalogueError(f"{where}: code {item.code!r} is defined twice")
    target[item.code] = item


def _rules(df: pd.DataFrame, name: str, origin: dict[str, str] | None = None) -> list[Rule]:
    cols = list(Rule.__dataclass_fields__)
    missing = [c for c in cols if c not in df.columns]
    if missing:
        raise CatalogueError(f"{name}: missing column(s) {', '.join(missing)}")
    out = []
    lines = df.index if df.index.name == "line" else range(2, 2 + len(df))
    for i, row in zip(lines, df[cols].fillna("").astype(str).itertuples(index=False)):
        rule = Rule(*[v.strip() for v in row])
        if origin is not None:
            origin[f"rule {rule.id}"] = f"{name}, row {i}"
        if rule.operator not in OPERATORS:
            raise CatalogueError(f"{name}, row {i}, column operator: {rule.operator!r} is not one of {' '.join(OPERATORS)}")
        if rule.importance not in IMPORTANCE:
            raise CatalogueError(f"{name}, row {i}, column importance: {rule.importance!r} is not one of {', '.join(IMPORTANCE)}")
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
            raise CatalogueError(f"{w}: value_type {el.value_type!r} not in {VALUE_TYPES}")
        if el.aggregation not in AGGREGATIONS:
            raise CatalogueError(f"{w}: aggregation {el.aggregation!r} not in {AGGREGATIONS}")
        if el.aggregation == "weighted_mean" and el.weight not in cat.elements:
            raise CatalogueError(f"{w}: weighted_mean needs a weight element, {el.weight!r} is not defined")
        if el.category_set is not None and el.category_set not in cat.categories:
            raise CatalogueError(f"{w}: category set {el.category_set!r} is not defined")
        if el.min is not None and el.max is not None and el.min > el.max:
            raise CatalogueError(f"{w}: min {el.min} > max {el.max}")
    for ind in cat.indicators.values():
        w = where(f"indicator {ind.code}")
        for part in (ind.numerator, ind.denominator):
            if part is not None and part not in cat.elements:
                raise CatalogueError(f"{w}: element {part!r} is not defined")
        if ind.factor not in FACTORS:
            raise CatalogueError(f"{w}: factor {ind.factor} not in {FACTORS}")
        if ind.direction not in DIRECTIONS:
            raise CatalogueError(f"{w}: direction {ind.direction!r} must be higher, lower or empty")
        if ind.target is not None and ind.direction is None:
            raise CatalogueError(f"{w}: a target needs a direction (higher / lower)")
    for rule in cat.rules:
        for side in (rule.left, rule.right):
            if not _is_number(side) and side not in cat.elements:
                raise CatalogueError(f"{where(f'rule {rule.id}')}: {side!r} is neither a number nor a data element")


def _is_number(text: str) -> bool:
    try:
        float(text)
        return True
    except ValueError:
        return False
