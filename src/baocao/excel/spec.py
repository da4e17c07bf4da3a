"""What the Excel data-entry form holds: its layout, and the spec of one template (which sheets,
columns and rows) made from the catalogue and the unit list.

Pure: the catalogue and unit list in, a :class:`TemplateSpec` out. The spec is written as a
workbook by :mod:`baocao.excel.template`, and its hidden code row is what
:mod:`baocao.excel.reader` finds again in a filled form. The layout is documented in
``docs/excel.md``.

Layout of a data sheet (one per catalogue section)::

    row 1   title (year, the unit the form is for)       merged
    row 2   what to type                                 merged
    row 3   element names (merged over their topics)     header
    row 4   topic (category) short names                 header
    row 5   unit of measure                              header
    row 6   HIDDEN code row: A6 "#baocao v1 year=… list=… district=… section=…" (or province=…,
            commune=…: the unit the form is for, a code of the unit list ``list``),
            B6 1234.5 (number-style probe), C6 "#name", D6… "element" or "element|category"
    row 7…  one row per unit: A hidden unit code, B number, C name, D… input cells

The reader never trusts sheet names, positions or visible headings: it finds the hidden
code row by its ``#baocao`` marker, so a renamed sheet, a re-saved workbook or a CSV
export of one sheet reads the same.

A form belongs to one unit list (:mod:`baocao.data.unit_lists`), the list of its year: a legacy
district's communes up to 2024, a 2025 province's communes (or one 2025 commune) from 2025. The
code row records it (``list=legacy`` | ``list=2025``; a form without it predates the 2025 list and
is legacy), so a form of one list is never imported into a data file of the other.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from baocao.data.catalogue import Catalogue, Element
from baocao.data.unit_lists import LEGACY, fits
from baocao.data.units import Unit, UnitRegistry

MARKER = "#baocao"
VERSION = "v1"
NAME_CODE = "#name"
PROBE_VALUE = 1234.5
PROBE_FORMAT = "#,##0.0"
FIRST_DATA_COLUMN = 4  # D
HEADER_ROWS = (3, 4, 5)
CODE_ROW = 6
FIRST_DATA_ROW = 7
YES_NO = ("Có", "Không")  # boolean cells: a drop-down list; Có = 1, Không = 0
INSTRUCTIONS = "Hướng dẫn"

# Section code -> sheet title (vi, en). A section not listed gets its code as title.
SECTION_TITLES = {
    "campaign": ("Học tập chuyên đề", "Campaign study"),
    "socio": ("Kinh tế - xã hội", "Socio-economic"),
    "welfare": ("An sinh xã hội", "Social welfare"),
    "dialogue": ("Đối thoại", "Dialogue"),
    "commendation": ("Khen thưởng", "Commendations"),
}
EXCLUDED_SECTION_PREFIXES = ("gso",)  # province statistics imported from GSO, not typed by communes


# ----------------------------------------------------------------------------- template model


@dataclass(frozen=True)
class FormColumn:
    element: Element
    category: str  # "" for elements without a category set
    category_label: str  # short Vietnamese label of the topic, "" if none

    @property
    def code(self) -> str:
        return self.element.code + (f"|{self.category}" if self.category else "")


@dataclass(frozen=True)
class FormSheet:
    section: str
    title: str
    columns: tuple[FormColumn, ...]


@dataclass(frozen=True)
class FormRow:
    unit: Unit
    label: str  # what the name cell shows


@dataclass(frozen=True)
class TemplateSpec:
    scope: Unit  # the unit the form is for: a legacy district, a 2025 province, or one commune
    province: Unit | None  # the province above ``scope`` (None for a province form)
    year: int
    rows: tuple[FormRow, ...]
    sheets: tuple[FormSheet, ...]
    unit_list: str = LEGACY  # the list of every code in the form

    def for_rows(self, rows: tuple[FormRow, ...]) -> TemplateSpec:
        return TemplateSpec(self.scope, self.province, self.year, rows, self.sheets, self.unit_list)


OWN_LEVEL = {"district": "cấp huyện", "province": "cấp tỉnh"}


def own_row_label(unit: Unit) -> str:
    """The row of a district's or province's own bodies: ``Huyện Thoại Sơn (cấp huyện)``."""
    return f"{unit.name} ({OWN_LEVEL.get(unit.level, unit.level)})"


def member_label(unit: Unit) -> str:
    """A unit a form for ``unit`` has rows for: ``xã, thị trấn của Huyện Thoại Sơn``, ``xã, phường, đặc
    khu của Tỉnh An Giang``, or the commune itself."""
    if unit.level == "commune":
        return unit.name
    return f"xã, {'phường, đặc khu' if unit.level == 'province' else 'thị trấn'} của {unit.name}"


def members_label(unit: Unit) -> str:
    """Who fills a form for ``unit``: ``các xã, thị trấn của Huyện Thoại Sơn``, or the commune itself."""
    return member_label(unit) if unit.level == "commune" else "các " + member_label(unit)


def section_title(section: str) -> str:
    return SECTION_TITLES.get(section, (section, section))[0]


def option_period(option) -> str | None:
    """``"2021-2025"`` for a category option that covers several years (a whole-term topic), else None."""
    if option.year_from is not None and option.year_to is not None and option.year_from < option.year_to:
        return f"{option.year_from}-{option.year_to}"
    return None


def item_period(catalogue: Catalogue, element, category: str, year):
    """The year column of an imported value: the form's year, or — for a category that covers
    several years (the whole-term topic) — that whole period, never one of its years."""
    if category and element.category_set:
        try:
            span = option_period(catalogue.categories[element.category_set].option(category))
        except KeyError:
            span = None
        if span:
            return span
    return year


def _span(option, year: int) -> tuple[int, int]:
    """The years a value of ``option`` covers in a form of ``year``: its period, or the year."""
    return (option.year_from, option.year_to) if option_period(option) else (year, year)


def option_applies(option, year: int) -> bool:
    return (option.year_from is None or option.year_from <= year) and (
        option.year_to is None or year <= option.year_to
    )


def form_sections(catalogue: Catalogue, sections=None) -> list[str]:
    """Sections that get a sheet, in catalogue order (GSO province statistics excluded)."""
    out = []
    for el in catalogue.elements.values():
        if el.section in out:
            continue
        if sections is not None:
            if el.section in sections:
                out.append(el.section)
        elif not el.section.startswith(EXCLUDED_SECTION_PREFIXES):
            out.append(el.section)
    if sections is not None:
        unknown = [s for s in sections if s not in out]
        if unknown:
            raise ValueError(
                f"no element in section(s) {', '.join(unknown)} / không có chỉ tiêu thuộc nhóm "
                f"{', '.join(unknown)}"
            )
    return out


def template_spec(
    catalogue: Catalogue,
    registry: UnitRegistry,
    scope: str,
    year: int,
    sections=None,
    own_row: bool = True,
) -> TemplateSpec:
    """What the template holds: every element of the chosen sections, one row per commune of
    ``scope`` (a district of the legacy list, a province of the 2025 list: codes of ``registry``'s
    list) and, with ``own_row``, one for the district's or province's own bodies; or the one row of
    ``scope`` when it is a commune.

    Elements with a category set get one column per option that applies to ``year``
    (``year_from``/``year_to``); an element with no applicable option is left out.
    """
    d = registry.unit(scope)
    if d.level == "commune":
        rows = [FormRow(d, d.name)]
    else:
        rows = [FormRow(u, u.name) for u in registry.children(d.code) if u.level == "commune"]
        if own_row:
            rows.append(FormRow(d, own_row_label(d)))
    sheets = []
    used_titles: set[str] = set()
    for section in form_sections(catalogue, sections):
        cols = []
        for el in catalogue.elements.values():
            if el.section != section:
                continue
            if el.category_set:
                for opt in catalogue.categories[el.category_set].options:
                    # a topic of several years belongs to the list its period starts in (the whole-term
                    # topic 2021–2025 to the legacy list): a 2025 form has no column for it
                    if option_applies(opt, year) and fits(registry.structure, *_span(opt, year)):
                        span = option_period(opt)
                        cols.append(
                            FormColumn(el, opt.code, opt.short("vi") + (" (số liệu cả kỳ)" if span else ""))
                        )
            else:
                cols.append(FormColumn(el, "", ""))
        if cols:
            title = _sheet_title(section_title(section), used_titles)
            sheets.append(FormSheet(section, title, tuple(cols)))
    province = registry.unit(d.province) if d.level != "province" else None
    return TemplateSpec(d, province, int(year), tuple(rows), tuple(sheets), registry.structure)


def _sheet_title(title: str, used: set[str]) -> str:
    t = re.sub(r"[\[\]:*?/\\]", "-", title).strip("'")[:31] or "Trang"
    base, n = t, 2
    while t.lower() in {u.lower() for u in used} or t == INSTRUCTIONS:
        suffix = f" ({n})"
        t = base[: 31 - len(suffix)] + suffix
        n += 1
    used.add(t)
    return t


# ----------------------------------------------------------------------------- the hidden code row


def meta_text(spec: TemplateSpec, section: str) -> str:
    return (
        f"{MARKER} {VERSION} year={spec.year} list={spec.unit_list} {spec.scope.level}={spec.scope.code} "
        f"section={section}"
    )


def parse_meta(text: str) -> dict[str, str]:
    parts = str(text).split()
    return dict(p.split("=", 1) for p in parts[1:] if "=" in p)
