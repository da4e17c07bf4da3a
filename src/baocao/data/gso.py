"""GSO province tables (General Statistics Office of Viet Nam) → tidy observations.

Pure functions (text / DataFrame in, DataFrame out); reading the files is
:func:`baocao.io.gso.load_gso`. The tables are used exactly as GSO exported them
(``data/gso/raw/``, collected 2018-09-21):

- a title line, a blank line, a header, then one row per unit; ``;`` separated;
- wide: one column per year (``"2010"``) or per item × year (``"Total 1995"``,
  ``"2010 Salary & wage"``); ``"Pre. 2016"`` / ``"Prel. 2016"`` = preliminary 2016;
- ``..`` = not available. **A ``..`` cell gives no observation** (nothing is invented);
  in the parsed frame it stays, with ``value`` NaN, so it can be counted;
- " WHOLE COUNTRY" and six region rows are mixed in with the provinces: a province
  belongs to the last region row above it. Their values become *published figures*
  (what GSO states for the aggregate), reconciled by :func:`region_reconciliation`;
- English province names without diacritics, matched with
  ``baocao.data.units.legacy()`` plus a few aliases (:data:`ALIASES`), and Ha Tay, merged
  into Ha Noi in 2008, which keeps its historical GSO code ``"28"`` (:data:`HISTORICAL_UNITS`).

Which file feeds which element is declared in the catalogue, never here: every GSO element
of ``data/catalogue/gso.yaml`` has a ``gso:`` mapping (:func:`declared_tables`) naming its
file, the layout of the file's columns (:data:`LAYOUTS`), the item label it takes, the column
of province names, the missing-value marker, the unit GSO prints and the ``scale`` to the
element's unit. Values are stored in the catalogue unit: population is
published in thousand persons and converted to persons (``scale: 1000``) so that indicators per
10,000 population use an allowed factor. A published figure's ``decimals`` is its printed
precision expressed in that stored unit (population printed to 0.1 thousand → ``-2``,
i.e. hundreds of persons).
"""

from __future__ import annotations

import csv
import math
import re
from dataclasses import dataclass

import pandas as pd

from baocao.data.catalogue import Catalogue, CatalogueError
from baocao.data.observations import WRITTEN_COLUMNS, problem, problems_frame
from baocao.data.published import PUBLISHED_COLUMNS
from baocao.data.units import AmbiguousUnit, UnitNotFound, fold, legacy
from baocao.fmt import round_half_up

COLLECTED = "2018-09-21"
MISSING = ".."

# code, name_vi, name_en, name as GSO prints it; "VN" is the whole country
REGIONS: tuple[tuple[str, str, str, str], ...] = (
    ("VN", "Cả nước", "Whole country", "WHOLE COUNTRY"),
    ("R1", "Đồng bằng sông Hồng", "Red River Delta", "Red River Delta"),
    (
        "R2",
        "Trung du và miền núi phía Bắc",
        "Northern midlands and mountain areas",
        "Northern midlands and mountain areas",
    ),
    (
        "R3",
        "Bắc Trung Bộ và duyên hải miền Trung",
        "North Central and Central coastal areas",
        "Northern Central area and Central coastal area",
    ),
    ("R4", "Tây Nguyên", "Central Highlands", "Central Highlands"),
    ("R5", "Đông Nam Bộ", "South East", "South East"),
    ("R6", "Đồng bằng sông Cửu Long", "Mekong River Delta", "Mekong River Delta"),
)
# member provinces in the order the GSO tables list them (Ha Tay "28" under R1)
REGION_MEMBERS: dict[str, tuple[str, ...]] = {
    "R1": ("01", "28", "26", "27", "22", "30", "31", "33", "34", "35", "36", "37"),
    "R2": ("02", "04", "06", "08", "10", "15", "19", "20", "24", "25", "11", "12", "14", "17"),
    "R3": ("38", "40", "42", "44", "45", "46", "48", "49", "51", "52", "54", "56", "58", "60"),
    "R4": ("62", "64", "66", "67", "68"),
    "R5": ("70", "72", "74", "75", "77", "79"),
    "R6": ("80", "82", "83", "84", "86", "87", "89", "91", "92", "93", "94", "95", "96"),
}
# units that are not in the legacy (2025-era) registry: code, name_vi, name_gso, merged into, year of merger
HISTORICAL_UNITS: tuple[tuple[str, str, str, str, int], ...] = (("28", "Tỉnh Hà Tây", "Ha Tay", "01", 2008),)
# provinces created by splitting another (all on 1 January 2004): new code → (parent code, first year)
SPLITS: dict[str, tuple[str, int]] = {"11": ("12", 2004), "67": ("66", 2004), "93": ("92", 2004)}
# GSO English spellings the registry does not know (folded name → code)
ALIASES: dict[str, str] = {
    "ho chi minh city": "79",  # registry: "Hồ Chí Minh"
    "thua thien hue": "46",  # registry: "Thành phố Huế" (renamed in 2025)
}

# how a table's value columns are laid out (the ``layout`` of an element's ``gso:`` mapping)
LAYOUTS: dict[str, str] = {
    "years": 'a column per year: "2015", "Pre. 2016"',
    "year_item": 'a column per year and item, the year first: "2010 Total", "Pre. 2016 Others"',
    "item_year": 'a column per item and year, the item first: "Total 1995", "Male Prel. 2016"',
    "item_rows": "a column per year; the items in a column of their own (item_column), one row per province "
    "and item",
}
GSO_KEYS = (
    "file",
    "layout",
    "item",
    "province_column",
    "item_column",
    "missing",
    "unit",
    "scale",
    "collected",
)
TABLE_KEYS = (
    "layout",
    "province_column",
    "item_column",
    "missing",
    "collected",
)  # the same for every element of a file
PROVINCE_COLUMN = "Cities, provincies"  # as GSO's export spells it


@dataclass(frozen=True)
class GsoItem:
    """One element of a GSO table: the item label as printed ("" in a ``years`` table), its
    element, the factor from GSO's unit (``unit``, as printed) to the element's unit."""

    item: str
    element: str
    scale: float = 1
    unit: str = ""
    declared_in: str = ""  # the catalogue file that declares it, for messages

    @property
    def entry(self) -> str:
        """``data/catalogue/gso.yaml: element gso_bac_si``: where the declaration is, as messages name it."""
        return (
            f"{'data/catalogue/' + self.declared_in + ': ' if self.declared_in else ''}element {self.element}"
        )


@dataclass(frozen=True)
class GsoTable:
    """A GSO table file as the catalogue declares it (:func:`declared_tables`)."""

    file: str
    layout: str
    province_column: str = PROVINCE_COLUMN
    item_column: str = ""
    missing: str = MISSING
    collected: str = COLLECTED
    items: tuple[GsoItem, ...] = ()

    def element_of(self, item: str) -> GsoItem | None:
        key = fold(item)
        return next((i for i in self.items if fold(i.item) == key), None)


def declared_tables(catalogue: Catalogue) -> dict[str, GsoTable]:
    """``file name → GsoTable`` from the ``gso:`` mappings of the catalogue's elements, in
    catalogue order. A mapping with an unknown key, no file, an unknown layout, an item
    missing (or given for a ``years`` table), elements of one file that disagree on its
    layout, or two elements taking one item raises :class:`CatalogueError` naming the file
    of the catalogue and the element."""
    tables: dict[str, dict] = {}
    for el in catalogue.elements.values():
        if el.gso is None:
            continue
        origin = catalogue.origin.get(f"element {el.code}")
        w = f"{origin + ': ' if origin else ''}element {el.code}: gso"
        g = el.gso
        if not isinstance(g, dict):
            raise CatalogueError(f"{w}: expected a mapping (file, layout, item, …), not {g!r}")
        unknown = sorted(set(g) - set(GSO_KEYS))
        if unknown:
            raise CatalogueError(f"{w}: unknown key(s) {', '.join(unknown)}; allowed: {', '.join(GSO_KEYS)}")
        if not str(g.get("file") or "").strip():
            raise CatalogueError(f"{w}: 'file' is missing (the file name in data/gso/raw)")
        layout = g.get("layout")
        if layout not in LAYOUTS:
            raise CatalogueError(
                f"{w}: layout {layout!r} is not one of {', '.join(LAYOUTS)} ("
                + "; ".join(f"{k}: {v}" for k, v in LAYOUTS.items())
                + ")"
            )
        item = str(g.get("item") or "").strip()
        if layout == "years" and item:
            raise CatalogueError(
                f"{w}: a 'years' table has one item per file; remove item {item!r} or choose another layout"
            )
        if layout != "years" and not item:
            raise CatalogueError(
                f"{w}: 'item' is missing: the label of the element's columns (layout {layout})"
            )
        if (layout == "item_rows") != bool(str(g.get("item_column") or "").strip()):
            raise CatalogueError(
                f"{w}: 'item_column' (the column holding the item labels) goes with layout item_rows, and "
                "only there"
            )
        scale = g.get("scale", 1)
        if (
            isinstance(scale, bool)
            or not isinstance(scale, (int, float))
            or scale <= 0
            or not math.isclose(10 ** round(math.log10(scale)), scale)
        ):
            raise CatalogueError(f"{w}: scale {scale!r} must be a power of ten (1, 1000, 0.001, …)")
        table = {
            "layout": layout,
            "province_column": str(g.get("province_column", PROVINCE_COLUMN)),
            "item_column": str(g.get("item_column") or ""),
            "missing": str(g.get("missing", MISSING)),
            "collected": str(g.get("collected", COLLECTED)),
        }
        file = str(g["file"]).strip()
        if file in tables:
            first = tables[file]
            for key in TABLE_KEYS:
                if first[key] != table[key]:
                    raise CatalogueError(
                        f"{w}: {key} {table[key]!r} differs from {first[key]!r} given by element "
                        f"{first['items'][0].element} for the same file {file!r}"
                    )
            clash = next((i for i in first["items"] if fold(i.item) == fold(item)), None)
            if clash is not None:
                raise CatalogueError(
                    f"{w}: item {item!r} of {file!r} is already taken by element {clash.element}"
                )
        else:
            tables[file] = {**table, "items": []}
        tables[file]["items"].append(GsoItem(item, el.code, scale, str(g.get("unit") or ""), origin or ""))
    return {f: GsoTable(file=f, **{**t, "items": tuple(t["items"])}) for f, t in tables.items()}


def unreported_indicators(catalogue: Catalogue, report: str = "gso") -> pd.DataFrame:
    """Warnings (problem table) for indicators computed from GSO elements that the catalogue's
    ``reports: gso:`` list leaves out: they would appear in no report."""
    listed = {e["indicator"] for e in catalogue.reports.get(report, ())}
    if report not in catalogue.reports:
        return problems_frame([])
    rows = []
    for code, ind in catalogue.indicators.items():
        if (
            code not in listed
            and catalogue.elements.get(ind.numerator) is not None
            and catalogue.element(ind.numerator).gso is not None
        ):
            file = f"data/catalogue/{catalogue.origin.get(f'indicator {code}', '')}"
            rows.append(
                problem(
                    file,
                    "",
                    f"reports.{report}",
                    "gso_unreported",
                    code,
                    f"chỉ số {code} tính từ bảng GSO nhưng không có trong danh sách reports: {report}: nên "
                    "không báo cáo nào hiện nó",
                    f"indicator {code} comes from a GSO table but is not in the reports: {report}: list, so "
                    "no report shows it",
                    "warning",
                )
            )
    return problems_frame(rows)


PARSED_COLUMNS = [
    "file",
    "line",
    "header_line",
    "region",
    "name",
    "kind",
    "column",
    "year",
    "item",
    "preliminary",
    "text",
    "value",
    "decimals",
]
OBSERVATION_COLUMNS = WRITTEN_COLUMNS

_HEADER = re.compile(r"^(?P<pre>.*?)\s*(?P<prel>Prel?\.)?\s*(?P<year>(?:19|20)\d{2})\b\s*(?P<post>.*)$")
_NUMBER = re.compile(r"^-?\d+(?:\.(\d+))?$")
_REGION_BY_NAME = {fold(r[3]): r[0] for r in REGIONS}


def regions() -> pd.DataFrame:
    """The whole country and the six GSO regions: ``code, name_vi, name_en, name_gso``."""
    return pd.DataFrame(REGIONS, columns=["code", "name_vi", "name_en", "name_gso"])


def region_members() -> pd.DataFrame:
    """``region, unit``: each GSO region with its member provinces (Ha Tay included)."""
    return pd.DataFrame(
        [(r, u) for r, units in REGION_MEMBERS.items() for u in units], columns=["region", "unit"]
    )


def unit_years(code: str) -> tuple[int | None, int | None]:
    """First and last year a province existed with its code (None = open): Ha Tay until 2007, 2004 splits from
    2004.
    """
    for hcode, *_, merged in HISTORICAL_UNITS:
        if hcode == code:
            return None, merged - 1
    return (SPLITS[code][1], None) if code in SPLITS else (None, None)


def boundary_note(code: str, year: int) -> str:
    """A note for values of a province before its territory changed (Ha Noi before 2008, 2004 parents)."""
    for _, name_vi, _, into, merged in HISTORICAL_UNITS:
        if code == into and year < merged:
            return f"boundary before the {merged} merger with {name_vi.split(' ', 1)[1]}"
    for child, (parent, year_split) in SPLITS.items():
        if code == parent and year < year_split:
            return f"boundary before the {year_split} split (incl. {legacy().unit(child).short})"
    return ""


def match_province(name: str) -> tuple[str | None, str]:
    """GSO code of a province named in English without diacritics, or ``(None, reason)``."""
    key = fold(name)
    for code, _, gso_name, *_ in HISTORICAL_UNITS:
        if key == fold(gso_name):
            return code, ""
    if key in ALIASES:
        return ALIASES[key], ""
    try:
        return legacy().get(name.strip(), level="province").code, ""
    except (UnitNotFound, AmbiguousUnit) as exc:
        return None, str(exc)


def _split_header(cell: str, file_name: str, line: int, layout: str | None = None) -> tuple[int, str, bool]:
    m = _HEADER.match(" ".join(cell.split()))
    if not m:
        raise ValueError(f"{file_name}, line {line}: column {cell!r} has no year / cột {cell!r} không có năm")
    pre, post = " ".join(m["pre"].split()), " ".join(m["post"].split())
    item = " ".join(f"{pre} {post}".split())
    wrong = {
        "years": bool(item),
        "item_rows": bool(item),
        "year_item": bool(pre),
        "item_year": bool(post),
    }.get(layout, False)
    if wrong:
        raise ValueError(
            f"{file_name}, line {line}: column {cell!r} does not have the catalogue's layout {layout} "
            f"({LAYOUTS[layout]}) / cột {cell!r} không theo cách bố trí {layout} khai trong danh mục"
        )
    return int(m["year"]), item, m["prel"] is not None


def _column_index(header: list[str], name: str, what: str, file_name: str, line: int) -> int:
    for i, cell in enumerate(header):
        if fold(cell) == fold(name):
            return i
    raise ValueError(
        f"{file_name}, line {line}: no column {name!r} ({what} in the catalogue); the columns are "
        f"{', '.join(repr(c) for c in header[:4])}{', …' if len(header) > 4 else ''} / "
        f"không có cột {name!r} ({what} khai trong danh mục)"
    )


def parse_gso_table(text: str, file_name: str, table: GsoTable | None = None) -> pd.DataFrame:
    """One row per cell of a GSO wide table (the text as read, BOM removed).

    ``table`` is the catalogue's declaration of the file (:func:`declared_tables`): which
    column holds the province names (default: the first), which holds the items (layout
    ``item_rows``), and the layout every value column must have. Without it the first
    column holds the names and every other column is a year, with the item around it.

    Columns: ``file, line`` (1-based line in the file), ``header_line``, ``region`` (the
    GSO name of the last region row above, "" for rows before the first region),
    ``name`` (as printed), ``kind`` (country / region / province — anything not a known
    region is a province candidate), ``column`` (header as printed), ``year``, ``item``
    ("" for one-item tables), ``preliminary``, ``text`` (cell as printed), ``value``
    (float, NaN for ``..`` or text that is not a number), ``decimals`` (printed).
    A file whose structure is not a GSO table (or not the declared one) raises
    ``ValueError`` naming file, line and column.
    """
    lines = text.lstrip("\ufeff").splitlines()
    header_no = next((i for i in range(1, len(lines)) if lines[i].strip()), None)
    if header_no is None:
        raise ValueError(f"{file_name}: không có dòng tiêu đề cột / no header after the title line")
    header = next(csv.reader([lines[header_no]], delimiter=";"))
    layout = table.layout if table is not None else None
    name_at = (
        _column_index(header, table.province_column, "province_column", file_name, header_no + 1)
        if table
        else 0
    )
    item_at = (
        _column_index(header, table.item_column, "item_column", file_name, header_no + 1)
        if table is not None and table.item_column
        else None
    )
    columns = [
        (j, cell, *_split_header(cell, file_name, header_no + 1, layout))
        for j, cell in enumerate(header)
        if j not in (name_at, item_at)
    ]
    rows, region = [], ""
    for i in range(header_no + 1, len(lines)):
        if not lines[i].strip():
            continue
        cells = next(csv.reader([lines[i]], delimiter=";"))
        if len(cells) > len(header):
            raise ValueError(
                f"{file_name}, line {i + 1}: {len(cells)} cells but {len(header)} columns / thừa ô so với "
                "tiêu đề"
            )
        cells += [""] * (len(header) - len(cells))
        name, key = cells[name_at], fold(cells[name_at])
        kind = (
            "country"
            if _REGION_BY_NAME.get(key) == "VN"
            else "region"
            if key in _REGION_BY_NAME
            else "province"
        )
        if kind == "region":
            region = name.strip()
        row_item = " ".join(cells[item_at].split()) if item_at is not None else None
        for j, col, year, item, prel in columns:
            cell = cells[j].strip()
            m = _NUMBER.match(cell)
            rows.append(
                (
                    file_name,
                    i + 1,
                    header_no + 1,
                    region if kind == "province" else "",
                    name,
                    kind,
                    col,
                    year,
                    row_item if row_item is not None else item,
                    prel,
                    cell,
                    float(cell) if m else math.nan,
                    len(m[1] or "") if m else pd.NA,
                )
            )
    out = pd.DataFrame(rows, columns=PARSED_COLUMNS)
    return out.astype({"year": "int64", "line": "int64", "header_line": "int64", "decimals": "Int64"})


def gso_to_tidy(
    parsed: pd.DataFrame, tables: dict[str, GsoTable] | Catalogue, collected: str | None = None
) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """Parsed GSO cells (one or several files) → ``(observations, published, problems)``.

    ``tables`` says which item of which file is which element: the catalogue (its ``gso:``
    declarations, :func:`declared_tables`) or their result. Province rows give observations
    (``unit`` = GSO code), the country and region rows give published figures (unit ``"VN"``
    / ``"R1"``…``"R6"``). Missing-value cells (``..``) give nothing. Unknown names, header
    items no element declares, declared items the file lacks (warning), cells that are not
    numbers, duplicates and provinces listed under an unexpected region are reported in
    ``problems`` (the project's problem table: file, row = line in the file, column, rule,
    value, importance, message_vi, message_en), never silently dropped. ``collected``
    overrides the declared collection date in ``source``.
    """
    if isinstance(tables, Catalogue):
        tables = declared_tables(tables)
    problems: list[dict] = []
    frames = []
    for file_name, cells in parsed.groupby("file", sort=False):
        if file_name not in tables:
            raise ValueError(
                f"{file_name}: no catalogue element declares this GSO table; declared: "
                f"{', '.join(tables) or 'none'}"
            )
        table = tables[file_name]
        found = {fold(i) for i in cells["item"].unique()}
        for it in table.items:
            if fold(it.item) not in found:
                where = "dòng" if table.layout == "item_rows" else "cột"
                where_en = "row" if table.layout == "item_rows" else "column"
                problems.append(
                    problem(
                        file_name,
                        int(cells["header_line"].iloc[0]),
                        it.item or "(year columns)",
                        "gso_item_missing",
                        it.item,
                        f"{it.entry}: gso: mục '{it.item}' không khớp {where} nào của bảng {file_name}; "
                        "sửa khai báo trong danh mục (item) cho đúng tên trong bảng",
                        f"{it.entry}: gso: item '{it.item}' matches no {where_en} of the table {file_name}; "
                        "correct the catalogue's declaration (item) to the table's label",
                    )
                )
        spec = cells["item"].map(table.element_of)
        cells = cells.assign(
            element=spec.map(lambda i: i.element if i is not None else None),
            scale=spec.map(lambda i: i.scale if i is not None else 1.0),
        )
        where_items = "item_column" if table.layout == "item_rows" else "column"
        for col, line, item in (
            cells.loc[cells["element"].isna(), ["column", "header_line", "item"]]
            .drop_duplicates(["item"] if table.layout == "item_rows" else ["column"])
            .itertuples(index=False)
        ):
            label = f"{table.item_column}: {item}" if where_items == "item_column" else col
            problems.append(
                problem(
                    file_name,
                    int(line),
                    label,
                    "gso_column",
                    label,
                    f"cột '{label}' không thuộc chỉ tiêu nào trong danh mục, không được nhập",
                    f"column '{label}' is not an item any catalogue element declares; not imported",
                )
            )
        units = {}
        for line, name, kind, region in (
            cells[["line", "name", "kind", "region"]].drop_duplicates("line").itertuples(index=False)
        ):
            units[line], reason = (
                (_REGION_BY_NAME[fold(name)], "") if kind != "province" else match_province(name)
            )
            if units[line] is None:
                problems.append(
                    problem(
                        file_name,
                        int(line),
                        "name",
                        "gso_unit",
                        name,
                        f"không nhận ra tỉnh '{name.strip()}'; dòng này không được nhập. {reason}",
                        f"unknown province '{name.strip()}'; row not imported. {reason}",
                    )
                )
            elif (
                kind == "province"
                and region
                and units[line] not in REGION_MEMBERS[_REGION_BY_NAME[fold(region)]]
            ):
                problems.append(
                    problem(
                        file_name,
                        int(line),
                        "name",
                        "gso_region",
                        name,
                        f"tỉnh '{name.strip()}' nằm dưới vùng '{region}', khác danh mục vùng của GSO",
                        f"province '{name.strip()}' is listed under region '{region}', not its GSO region",
                        "warning",
                    )
                )
        cells = cells.assign(unit=cells["line"].map(units))
        named = cells[cells["kind"] == "province"]
        if len(named) and named["unit"].isna().all():
            entry = table.items[0].entry if table.items else file_name
            problems.append(
                problem(
                    file_name,
                    int(cells["header_line"].iloc[0]),
                    table.province_column,
                    "gso_no_province",
                    table.province_column,
                    f"{entry}: gso: cột tỉnh '{table.province_column}' của bảng {file_name} không khớp tỉnh "
                    "nào; sửa province_column trong danh mục",
                    f"{entry}: gso: the province column '{table.province_column}' of the table {file_name} "
                    "matches no province; correct province_column in the catalogue",
                )
            )
        bad = cells[cells["value"].isna() & (cells["text"] != table.missing) & cells["element"].notna()]
        for line, col, text in bad[["line", "column", "text"]].itertuples(index=False):
            problems.append(
                problem(
                    file_name,
                    int(line),
                    col,
                    "number",
                    text,
                    f"'{text}' không phải là số ('{table.missing}' là không có số liệu)",
                    f"'{text}' is not a number ('{table.missing}' marks a missing value)",
                )
            )
        cells = cells[cells["unit"].notna() & cells["element"].notna() & cells["value"].notna()]
        shift = [round(math.log10(x)) for x in cells["scale"]]
        cells = cells.assign(
            value=[
                round(v * x, max(int(d) - k, 0))
                for v, x, d, k in zip(cells["value"], cells["scale"], cells["decimals"], shift)
            ],
            decimals=cells["decimals"].astype("int64") - pd.Series(shift, index=cells.index, dtype="int64"),
            source=f"GSO: {file_name} ({collected or table.collected})",
        ).drop(columns="scale")
        dup = cells.duplicated(["unit", "element", "year"])
        for line, col, name in cells.loc[dup, ["line", "column", "name"]].itertuples(index=False):
            problems.append(
                problem(
                    file_name,
                    int(line),
                    col,
                    "gso_duplicate",
                    name.strip(),
                    f"'{name.strip()}' đã có giá trị cho cột này ở dòng trên; giá trị này không được nhập",
                    f"'{name.strip()}' already has a value for this column above; this one is not imported",
                )
            )
        frames.append(cells[~dup])
    cells = (
        pd.concat(frames, ignore_index=True)
        if frames
        else pd.DataFrame(columns=[*PARSED_COLUMNS, "element", "unit", "source"])
    )
    prelim = cells["preliminary"].map({True: "preliminary", False: ""})
    prov = cells["kind"] == "province"
    notes = [
        "; ".join(filter(None, (p, boundary_note(u, y))))
        for p, u, y in zip(prelim[prov], cells.loc[prov, "unit"], cells.loc[prov, "year"])
    ]
    obs = cells[prov].assign(category="", note=notes)[OBSERVATION_COLUMNS]
    pub = cells[~prov].assign(
        figure_type="element",
        code=cells["element"],
        category="",
        components="",
        note=prelim[~prov],
        year_from=cells["year"],
        year_to=cells["year"],
        quote=cells["text"],  # the table's cell as GSO wrote it
        unit_stated="",
        stated_period=cells["year"].astype(str),  # the year of the table's column
        as_of="",
        inference_vi="",
        inference_en="",
    )
    pub = pub.assign(id=["gso-" + "-".join(map(str, t)) for t in zip(pub["unit"], pub["code"], pub["year"])])
    return (
        obs.sort_values(["element", "unit", "year"], ignore_index=True),
        pub[PUBLISHED_COLUMNS].sort_values(["code", "unit", "year_from"], ignore_index=True),
        problems_frame(problems),
    )


def region_reconciliation(
    observations: pd.DataFrame,
    published: pd.DataFrame,
    catalogue: Catalogue,
    members: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """Published region / whole-country figures vs the sum of their member provinces.

    One row per published figure of an element with ``aggregation: sum`` (no category).
    Members are :func:`region_members` (every member for ``"VN"``), restricted to those
    that existed in the year (Ha Tay until 2007, the 2004 splits from 2004); a member
    without a value counts in ``n_missing``. ``verdict``: ``"match"`` when the sum,
    rounded half up to the published decimals, equals the published value;
    ``"rounding difference"`` when |gap| ≤ ``tolerance``; otherwise ``"mismatch"``
    (``"no data"`` when no member has a value). ``tolerance`` is half a unit of the
    printed precision for each summand and for the published figure; GSO prints a
    column with one precision, so the published decimals are the summands' too. Counts
    printed in full (integer elements, decimals ≥ 0) are exact: their tolerance is 0.
    """
    members = region_members() if members is None else members
    members = pd.concat([members, members.assign(region="VN")]).drop_duplicates(ignore_index=True)
    summing = {c for c, e in catalogue.elements.items() if e.aggregation == "sum"}
    pub = published[
        (published["figure_type"] == "element")
        & published["code"].isin(summing)
        & (published["category"] == "")
        & (published["year_from"] == published["year_to"])
    ]
    pub = pub.rename(columns={"code": "element", "year_from": "year", "value": "published"})
    x = pub.merge(members.rename(columns={"unit": "member"}), left_on="unit", right_on="region")
    years = x["member"].map(unit_years)
    exists = [(a is None or y >= a) and (b is None or y <= b) for (a, b), y in zip(years, x["year"])]
    x = x[exists]
    obs = observations[observations["category"] == ""][["unit", "element", "year", "value"]]
    x = x.merge(obs.rename(columns={"unit": "member"}), on=["member", "element", "year"], how="left")
    keys = ["id", "unit", "element", "year", "published", "decimals", "note"]
    out = (
        x.groupby(keys, sort=False, dropna=False)
        .agg(
            n_members=("member", "size"),
            n_missing=("value", lambda s: int(s.isna().sum())),
            computed=("value", lambda s: s.sum(min_count=1)),
        )
        .reset_index()
    )
    exact = [
        catalogue.elements[e].value_type == "integer" and d >= 0
        for e, d in zip(out["element"], out["decimals"])
    ]
    half = 0.5 * 10.0 ** -out["decimals"].astype(float)
    out["tolerance"] = ((out["n_members"] - out["n_missing"] + 1) * half).where(
        ~pd.Series(exact, index=out.index), 0.0
    )
    out["gap"] = out["computed"] - out["published"]
    out["relative_gap"] = out["gap"] / out["published"].where(out["published"] != 0)
    out["verdict"] = [
        _verdict(c, p, int(d), g, t)
        for c, p, d, g, t in zip(
            out["computed"], out["published"], out["decimals"], out["gap"], out["tolerance"]
        )
    ]
    cols = [
        "unit",
        "element",
        "year",
        "n_members",
        "n_missing",
        "computed",
        "published",
        "decimals",
        "gap",
        "relative_gap",
        "tolerance",
        "verdict",
        "note",
        "id",
    ]
    return out[cols].sort_values(["element", "unit", "year"], ignore_index=True)


def _verdict(computed: float, published: float, decimals: int, gap: float, tolerance: float) -> str:
    if pd.isna(computed):
        return "no data"
    if math.isclose(float(round_half_up(computed, decimals)), published, rel_tol=1e-12, abs_tol=1e-9):
        return "match"
    return "rounding difference" if abs(gap) <= tolerance + 1e-9 else "mismatch"
