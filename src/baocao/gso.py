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
  ``baocao.units.legacy()`` plus a few aliases (:data:`ALIASES`), and Ha Tay, merged
  into Ha Noi in 2008, which keeps its historical GSO code ``"28"`` (:data:`HISTORICAL_UNITS`).

Values are stored in the catalogue unit (``data/catalogue/gso.yaml``): population is
published in thousand persons and converted to persons (× 1000) so that indicators per
10,000 population use an allowed factor. A published figure's ``decimals`` is its printed
precision expressed in that stored unit (population printed to 0.1 thousand → ``-2``,
i.e. hundreds of persons).
"""

from __future__ import annotations

import csv
import math
import re

import pandas as pd

from baocao.catalogue import Catalogue
from baocao.fmt import round_half_up
from baocao.observations import problem, problems_frame
from baocao.reconcile import PUBLISHED_COLUMNS
from baocao.units import AmbiguousUnit, UnitNotFound, fold, legacy

COLLECTED = "2018-09-21"
MISSING = ".."

# file name → (scale to the catalogue unit, {item as printed in the header: element code})
TABLES: dict[str, tuple[int, dict[str, str]]] = {
    "Average population by province.csv": (
        1000,
        {"Total": "gso_dan_so", "Male": "gso_dan_so_nam", "Female": "gso_dan_so_nu",
         "Urban": "gso_dan_so_thanh_thi", "Rural": "gso_dan_so_nong_thon"},
    ),
    "Poverty rate by province.csv": (1, {"": "gso_ty_le_ho_ngheo"}),
    "Number of medical staff under provincial departments of health by province.csv": (
        1,
        {"Doctor": "gso_bac_si", "Physician": "gso_y_si", "Nurse": "gso_y_ta", "Midwife": "gso_ho_sinh"},
    ),
    "Number of school of general education as of 30 September by province.csv": (
        1,
        {"Total": "gso_truong", "Primary": "gso_truong_tieu_hoc", "Lower Secondary": "gso_truong_thcs",
         "Upper Secondary": "gso_truong_thpt", "Primary and lower secondary": "gso_truong_tieu_hoc_thcs",
         "Lower and upper Secondary": "gso_truong_thcs_thpt"},
    ),
    "Monthly average income per capita at current prices by income source and by province.csv": (
        1,
        {"Total": "gso_thu_nhap", "Salary & wage": "gso_thu_nhap_luong",
         "Agriculture, forestry & fishery": "gso_thu_nhap_nlts",
         "Non-agriculture, forestry & fishery": "gso_thu_nhap_phi_nlts", "Others": "gso_thu_nhap_khac"},
    ),
}

# code, name_vi, name_en, name as GSO prints it; "VN" is the whole country
REGIONS: tuple[tuple[str, str, str, str], ...] = (
    ("VN", "Cả nước", "Whole country", "WHOLE COUNTRY"),
    ("R1", "Đồng bằng sông Hồng", "Red River Delta", "Red River Delta"),
    ("R2", "Trung du và miền núi phía Bắc", "Northern midlands and mountain areas", "Northern midlands and mountain areas"),
    ("R3", "Bắc Trung Bộ và duyên hải miền Trung", "North Central and Central coastal areas",
     "Northern Central area and Central coastal area"),
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

PARSED_COLUMNS = ["file", "line", "header_line", "region", "name", "kind", "column", "year", "item",
                  "preliminary", "text", "value", "decimals"]
OBSERVATION_COLUMNS = ["unit", "year", "element", "category", "value", "source", "note"]

_HEADER = re.compile(r"^(?P<pre>.*?)\s*(?P<prel>Prel?\.)?\s*(?P<year>(?:19|20)\d{2})\b\s*(?P<post>.*)$")
_NUMBER = re.compile(r"^-?\d+(?:\.(\d+))?$")
_REGION_BY_NAME = {fold(r[3]): r[0] for r in REGIONS}


def regions() -> pd.DataFrame:
    """The whole country and the six GSO regions: ``code, name_vi, name_en, name_gso``."""
    return pd.DataFrame(REGIONS, columns=["code", "name_vi", "name_en", "name_gso"])


def region_members() -> pd.DataFrame:
    """``region, unit``: each GSO region with its member provinces (Ha Tay included)."""
    return pd.DataFrame([(r, u) for r, units in REGION_MEMBERS.items() for u in units], columns=["region", "unit"])


def unit_years(code: str) -> tuple[int | None, int | None]:
    """First and last year a province existed with its code (None = open): Ha Tay until 2007, 2004 splits from 2004."""
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


def _split_header(cell: str, file_name: str, line: int) -> tuple[int, str, bool]:
    m = _HEADER.match(" ".join(cell.split()))
    if not m:
        raise ValueError(f"{file_name}, line {line}: column {cell!r} has no year / cột {cell!r} không có năm")
    item = " ".join(f"{m['pre']} {m['post']}".split())
    return int(m["year"]), item, m["prel"] is not None


def parse_gso_table(text: str, file_name: str) -> pd.DataFrame:
    """One row per cell of a GSO wide table (the text as read, BOM removed).

    Columns: ``file, line`` (1-based line in the file), ``header_line``, ``region`` (the
    GSO name of the last region row above, "" for rows before the first region),
    ``name`` (as printed), ``kind`` (country / region / province — anything not a known
    region is a province candidate), ``column`` (header as printed), ``year``, ``item``
    ("" for one-item tables), ``preliminary``, ``text`` (cell as printed), ``value``
    (float, NaN for ``..`` or text that is not a number), ``decimals`` (printed).
    A file whose structure is not a GSO table raises ``ValueError`` naming file and line.
    """
    lines = text.lstrip("\ufeff").splitlines()
    header_no = next((i for i in range(1, len(lines)) if lines[i].strip()), None)
    if header_no is None:
        raise ValueError(f"{file_name}: no header after the title line / không có dòng tiêu đề cột")
    header = next(csv.reader([lines[header_no]], delimiter=";"))
    columns = [(cell, *_split_header(cell, file_name, header_no + 1)) for cell in header[1:]]
    rows, region = [], ""
    for i in range(header_no + 1, len(lines)):
        if not lines[i].strip():
            continue
        cells = next(csv.reader([lines[i]], delimiter=";"))
        if len(cells) > len(header):
            raise ValueError(f"{file_name}, line {i + 1}: {len(cells)} cells but {len(header)} columns / thừa ô so với tiêu đề")
        name, key = cells[0], fold(cells[0])
        kind = "country" if _REGION_BY_NAME.get(key) == "VN" else "region" if key in _REGION_BY_NAME else "province"
        if kind == "region":
            region = name.strip()
        cells += [""] * (len(header) - len(cells))
        for (col, year, item, prel), cell in zip(columns, cells[1:]):
            cell = cell.strip()
            m = _NUMBER.match(cell)
            rows.append((file_name, i + 1, header_no + 1, region if kind == "province" else "", name, kind, col, year,
                         item, prel, cell, float(cell) if m else math.nan, len(m[1] or "") if m else pd.NA))
    out = pd.DataFrame(rows, columns=PARSED_COLUMNS)
    return out.astype({"year": "int64", "line": "int64", "header_line": "int64", "decimals": "Int64"})


def gso_to_tidy(parsed: pd.DataFrame, collected: str = COLLECTED) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """Parsed GSO cells (one or several files) → ``(observations, published, problems)``.

    Province rows give observations (``unit`` = GSO code), the country and region rows
    give published figures (unit ``"VN"`` / ``"R1"``…``"R6"``). ``..`` cells give nothing.
    Unknown names, unknown header items, cells that are not numbers, duplicates and
    provinces listed under an unexpected region are reported in ``problems`` (the
    project's problem table: file, row = line in the file, column, rule, value,
    importance, message_vi, message_en), never silently dropped.
    """
    problems: list[dict] = []
    frames = []
    for file_name, cells in parsed.groupby("file", sort=False):
        if file_name not in TABLES:
            raise ValueError(f"{file_name}: not a known GSO table; known: {', '.join(TABLES)}")
        scale, items = TABLES[file_name]
        items = {fold(k): v for k, v in items.items()}
        cells = cells.assign(element=cells["item"].map(lambda s: items.get(fold(s))))
        for col, line in cells.loc[cells["element"].isna(), ["column", "header_line"]].drop_duplicates().itertuples(index=False):
            problems.append(problem(file_name, int(line), col, "gso_column", col, f"cột '{col}' không thuộc bảng này, không được nhập",
                                    f"column '{col}' is not a known item of this table; not imported"))
        units = {}
        for line, name, kind, region in cells[["line", "name", "kind", "region"]].drop_duplicates("line").itertuples(index=False):
            units[line], reason = (_REGION_BY_NAME[fold(name)], "") if kind != "province" else match_province(name)
            if units[line] is None:
                problems.append(problem(file_name, int(line), "name", "gso_unit", name,
                                        f"không nhận ra tỉnh '{name.strip()}'; dòng này không được nhập. {reason}",
                                        f"unknown province '{name.strip()}'; row not imported. {reason}"))
            elif kind == "province" and region and units[line] not in REGION_MEMBERS[_REGION_BY_NAME[fold(region)]]:
                problems.append(problem(file_name, int(line), "name", "gso_region", name,
                                        f"tỉnh '{name.strip()}' nằm dưới vùng '{region}', khác danh mục vùng của GSO",
                                        f"province '{name.strip()}' is listed under region '{region}', not its GSO region", "warning"))
        cells = cells.assign(unit=cells["line"].map(units))
        bad = cells[cells["value"].isna() & (cells["text"] != MISSING) & cells["element"].notna()]
        for line, col, text in bad[["line", "column", "text"]].itertuples(index=False):
            problems.append(problem(file_name, int(line), col, "number", text, f"'{text}' không phải là số ('..' là không có số liệu)",
                                    f"'{text}' is not a number ('..' marks a missing value)"))
        cells = cells[cells["unit"].notna() & cells["element"].notna() & cells["value"].notna()]
        shift = round(math.log10(scale))
        cells = cells.assign(
            value=[round(v * scale, max(int(d) - shift, 0)) for v, d in zip(cells["value"], cells["decimals"])],
            decimals=cells["decimals"].astype("int64") - shift,
            source=f"GSO: {file_name} ({collected})",
        )
        dup = cells.duplicated(["unit", "element", "year"])
        for line, col, name in cells.loc[dup, ["line", "column", "name"]].itertuples(index=False):
            problems.append(problem(file_name, int(line), col, "gso_duplicate", name.strip(),
                                    f"'{name.strip()}' đã có giá trị cho cột này ở dòng trên; giá trị này không được nhập",
                                    f"'{name.strip()}' already has a value for this column above; this one is not imported"))
        frames.append(cells[~dup])
    cells = pd.concat(frames, ignore_index=True) if frames else pd.DataFrame(columns=[*PARSED_COLUMNS, "element", "unit", "source"])
    prelim = cells["preliminary"].map({True: "preliminary", False: ""})
    prov = cells["kind"] == "province"
    notes = ["; ".join(filter(None, (p, boundary_note(u, y)))) for p, u, y in zip(prelim[prov], cells.loc[prov, "unit"], cells.loc[prov, "year"])]
    obs = cells[prov].assign(category="", note=notes)[OBSERVATION_COLUMNS]
    pub = cells[~prov].assign(kind="element", code=cells["element"], category="", components="", note=prelim[~prov],
                              year_from=cells["year"], year_to=cells["year"])
    pub = pub.assign(id=["gso-" + "-".join(map(str, t)) for t in zip(pub["unit"], pub["code"], pub["year"])])
    return (obs.sort_values(["element", "unit", "year"], ignore_index=True),
            pub[PUBLISHED_COLUMNS].sort_values(["code", "unit", "year_from"], ignore_index=True),
            problems_frame(problems))


def region_reconciliation(observations: pd.DataFrame, published: pd.DataFrame, catalogue: Catalogue,
                          members: pd.DataFrame | None = None) -> pd.DataFrame:
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
    pub = published[(published["kind"] == "element") & published["code"].isin(summing) & (published["category"] == "")
                    & (published["year_from"] == published["year_to"])]
    pub = pub.rename(columns={"code": "element", "year_from": "year", "value": "published"})
    x = pub.merge(members.rename(columns={"unit": "member"}), left_on="unit", right_on="region")
    years = x["member"].map(unit_years)
    exists = [(a is None or y >= a) and (b is None or y <= b) for (a, b), y in zip(years, x["year"])]
    x = x[exists]
    obs = observations[observations["category"] == ""][["unit", "element", "year", "value"]]
    x = x.merge(obs.rename(columns={"unit": "member"}), on=["member", "element", "year"], how="left")
    keys = ["id", "unit", "element", "year", "published", "decimals", "note"]
    out = x.groupby(keys, sort=False, dropna=False).agg(
        n_members=("member", "size"), n_missing=("value", lambda s: int(s.isna().sum())),
        computed=("value", lambda s: s.sum(min_count=1))).reset_index()
    exact = [catalogue.elements[e].value_type == "integer" and d >= 0 for e, d in zip(out["element"], out["decimals"])]
    half = 0.5 * 10.0 ** -out["decimals"].astype(float)
    out["tolerance"] = ((out["n_members"] - out["n_missing"] + 1) * half).where(~pd.Series(exact, index=out.index), 0.0)
    out["gap"] = out["computed"] - out["published"]
    out["relative_gap"] = out["gap"] / out["published"].where(out["published"] != 0)
    out["verdict"] = [_verdict(c, p, int(d), g, t) for c, p, d, g, t in
                      zip(out["computed"], out["published"], out["decimals"], out["gap"], out["tolerance"])]
    cols = ["unit", "element", "year", "n_members", "n_missing", "computed", "published", "decimals",
            "gap", "relative_gap", "tolerance", "verdict", "note", "id"]
    return out[cols].sort_values(["element", "unit", "year"], ignore_index=True)


def _verdict(computed: float, published: float, decimals: int, gap: float, tolerance: float) -> str:
    if pd.isna(computed):
        return "no data"
    if math.isclose(float(round_half_up(computed, decimals)), published, rel_tol=1e-12, abs_tol=1e-9):
        return "match"
    return "rounding difference" if abs(gap) <= tolerance + 1e-9 else "mismatch"
