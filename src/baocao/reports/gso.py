"""What the GSO province notebooks call (``province_report``, ``national_overview``): one function per cell.

The data are the General Statistics Office tables in ``data/gso/raw`` (collected
2018-09-21), read by :func:`baocao.io.gso.load_gso`. Every notebook starts with::

    ctx = gso_report.open_report("province", globals())   # or "national"

which checks the parameters (an unknown or misspelt one raises :class:`baocao.reports.kit.ReportError`
naming the valid ones), resolves the province (GSO code, English GSO spelling or
Vietnamese name; Hà Tây keeps its historical code 28), loads the data once per process
and computes every indicator for provinces, regions and the whole country.

The figures (indicator values of provinces, regions and the whole country, with their
``basis``, published or computed) are computed in :mod:`baocao.data.gso_figures`.

Ranks: 1 is best in the indicator's direction (lowest poverty rate, highest income or
doctors per 10,000); indicators without a direction (population, schools per 10,000) rank
from the largest. Only units with a value that year are ranked.
"""

from __future__ import annotations

import functools
import hashlib
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd
from markupsafe import escape

from baocao import config, fmt
from baocao.data.catalogue import Catalogue
from baocao.data.gso import (
    COLLECTED,
    HISTORICAL_UNITS,
    REGION_MEMBERS,
    SPLITS,
    match_province,
    region_reconciliation,
    regions,
)
from baocao.data.gso_figures import elements_of, exists, indicator_values, region_of
from baocao.data.units import Unit, legacy
from baocao.reports import charts, kinds, kit
from baocao.reports.kit import (
    VERDICT_LABELS,
    Chart,
    Html,
    ReportError,
    as_chart,
    cards_html,
    check_lang,
    check_year,
    footer_html,
    html_table,
    in_lang,
)

open_report = kit.open_report  # the notebook's first call (the same for every report family)

# The indicators the reports show come from the catalogue's ``reports: gso:`` list (data/catalogue/gso.yaml),
# in its order; each entry lists the sections of the province report and of the national overview it is in.
REPORT = "gso"
SECTIONS: dict[str, tuple[str, ...]] = {
    "province": ("headline", "table", "rank_country", "rank_region", "map", "trend"),
    "national": ("headline", "table", "ranked", "map", "distribution"),
}
SOURCE = {
    "vi": "Tổng cục Thống kê (GSO), các bảng số liệu theo tỉnh công bố trên trang web gso.gov.vn, thu thập "
    "ngày {dates}",
    "en": "General Statistics Office of Viet Nam (GSO), province tables published on gso.gov.vn, collected "
    "{dates}",
}
# provinces whose name in the registry (2025) is not the one of the GSO years
NAMES_BEFORE: dict[str, tuple[str, str, int]] = {"46": ("Tỉnh Thừa Thiên Huế", "Thừa Thiên Huế", 2025)}
BASIS = {
    "vi": {"province": "", "computed": "cộng từ các tỉnh", "published": "số GSO công bố"},
    "en": {"province": "", "computed": "sum of provinces", "published": "as published by GSO"},
}
PRELIM = {"vi": "sơ bộ", "en": "preliminary"}


# ---------------------------------------------------------------- data


@dataclass(frozen=True)
class GsoData:
    observations: pd.DataFrame
    published: pd.DataFrame
    problems: pd.DataFrame
    catalogue: Catalogue
    folder: str
    key: tuple = ()  # what the data were loaded from (see _source_key)


def _source_key(folder: str) -> tuple:
    """The GSO folder, the catalogue folder and the size and time of every file in both: a
    catalogue edit or a new table in the same process is read again, not served from a cache."""
    from baocao.io.gso import source_stamp

    return folder, str(config.catalogue_dir()), source_stamp(folder or None)


@functools.lru_cache(maxsize=2)
def _load_cached(key: tuple) -> GsoData:
    from baocao.io.gso import load_gso
    from baocao.io.tables import read_catalogue

    folder, catalogue_dir, _ = key
    catalogue = read_catalogue(catalogue_dir)
    report_codes(catalogue)  # a misspelt section name fails here, naming the catalogue file
    obs, pub, probs = load_gso(folder or None, catalogue=catalogue)
    return GsoData(obs, pub, probs, catalogue, folder, key)


def report_codes(catalogue: Catalogue, kind: str | None = None, section: str | None = None) -> list[str]:
    """Indicators of the catalogue's ``reports: gso:`` list, in its order: all of them, or those
    shown in one section of the ``province`` or ``national`` report (an entry without the
    report's key is in every section of it). Without that list: every indicator whose
    numerator is read from a GSO table, in every section. An unknown section name raises
    :class:`CatalogueError` naming the catalogue file and the entry."""
    from baocao.data.catalogue import CatalogueError

    entries = catalogue.reports.get(REPORT)
    if entries is None:
        entries = tuple(
            {"indicator": c}
            for c, i in catalogue.indicators.items()
            if catalogue.element(i.numerator).gso is not None
        )
    where = catalogue.origin.get(f"reports {REPORT}", "catalogue")
    out = []
    for i, entry in enumerate(entries):
        for key in set(entry) - {"indicator"}:
            if key not in SECTIONS:
                raise CatalogueError(
                    f"{where}: reports.{REPORT}[{i}] ({entry['indicator']}): unknown key {key!r}; "
                    f"allowed: indicator, {', '.join(SECTIONS)}"
                )
            wrong = [x for x in entry[key] if x not in SECTIONS[key]]
            if wrong:
                raise CatalogueError(
                    f"{where}: reports.{REPORT}[{i}].{key} ({entry['indicator']}): unknown section "
                    f"{wrong[0]!r}; sections of the {key} report: {', '.join(SECTIONS[key])}"
                )
        if kind is None or section in entry.get(kind, SECTIONS[kind]):
            out.append(entry["indicator"])
    return out


def gso_folder(gso_dir: str = "") -> str:
    """The folder of the GSO tables: ``""`` = ``data/gso/raw``; a relative path is relative to the project
    folder.
    """
    if not gso_dir:
        return ""
    p = Path(gso_dir)
    return str(p if p.is_absolute() else config.home() / p)


def load_data(gso_dir: str = "") -> GsoData:
    """The GSO tables as tidy rows plus the catalogue, loaded once per
    process (the raw files never change).
    """
    return _load_cached(_source_key(gso_folder(gso_dir)))


def province_unit(code: str) -> Unit:
    """The province as a Unit; Hà Tây (28, merged into Hà Nội in 2008) is not in the registry and has no
    coordinates.
    """
    for hcode, name_vi, *_ in HISTORICAL_UNITS:
        if code == hcode:
            return Unit(hcode, name_vi, name_vi.split(" ", 1)[1], "Tỉnh", "province", None, hcode, None, None)
    return legacy().unit(code)


@functools.cache
def _region_names() -> dict[str, dict]:
    return regions().set_index("code").to_dict("index")


def unit_label(code: str, lang: str = "vi", short: bool = True) -> str:
    """Name of a province, a region or the whole country as the GSO years knew it."""
    if code in REGION_MEMBERS or code == "VN":
        r = _region_names()[code]
        return r["name_vi"] if lang == "vi" else r["name_en"]
    if code in NAMES_BEFORE:
        full, name_short, _ = NAMES_BEFORE[code]
        return name_short if short or lang == "en" else full
    from baocao.data.units import display_name

    u = province_unit(code)
    if short:
        return display_name(u.code, u.name, u.short, lang, True)
    return display_name(u.code, u.name if lang == "vi" else f"{u.short} ({u.type_en})", u.short, lang, False)


def boundary_text(code: str, year: int, lang: str = "vi") -> str:
    """The territory a province's figures cover when it differs from the later one (Hà Nội before 2008, 2004
    splits).
    """
    for _, name_vi, _, into, merged in HISTORICAL_UNITS:
        if code == into and year < merged:
            old = name_vi.split(" ", 1)[1]
            return in_lang(
                f"Hà Nội cũ, trước khi hợp nhất với {old} ({merged})",
                f"old Ha Noi, before the {merged} merger with {old}",
                lang,
            )
    for child, (parent, split) in SPLITS.items():
        if code == parent and year < split:
            name = unit_label(child, lang)
            return in_lang(
                f"gồm cả {name} (tách ra năm {split})", f"includes {name} (split off in {split})", lang
            )
    return ""


def resolve_province(query) -> Unit:
    """A province from its GSO code, English GSO spelling or Vietnamese name; ReportError otherwise."""
    text = str(query).strip()
    if text.isdigit():
        text = text.zfill(2)
        if region_of(text) is not None:
            return province_unit(text)
    code, reason = match_province(text) if text else (None, "")
    if code is None:
        raise ReportError(
            f"Không nhận ra tỉnh '{query}' / unknown province '{query}'. "
            "Hãy ghi mã GSO (vd. 89) hoặc tên tỉnh (vd. An Giang) / give a GSO code (e.g. 89) or a province "
            "name (e.g. An Giang). " + reason
        )
    return province_unit(code)


# ---------------------------------------------------------------- report context


@dataclass
class GsoContext:
    """What a province or national report shows, computed once when it opens."""

    kind: str  # "province" | "national"
    year: int
    lang: str
    data: GsoData
    ind: pd.DataFrame
    unit: Unit | None = None  # the province (province report)
    region: str | None = None

    @property
    def cat(self) -> Catalogue:
        return self.data.catalogue

    def w(self, vi: str, en: str) -> str:
        return in_lang(vi, en, self.lang)

    def label(self, code: str, short: bool = True) -> str:
        return unit_label(code, self.lang, short)

    def row(self, code: str, unit: str | None = None, year: int | None = None):
        i = self._first_rows.get((code, unit or self.unit.code, year or self.year))
        return None if i is None else self.ind.iloc[i]

    @functools.cached_property
    def _first_rows(self) -> dict:
        """(indicator, unit, year) -> position of its first row, as a filter would give (tables ask hundreds
        of times).
        """
        out: dict = {}
        for i, key in enumerate(zip(self.ind["indicator"], self.ind["unit"], self.ind["year"])):
            out.setdefault(key, i)
        return out

    @functools.cached_property
    def _rankings(self) -> dict:
        """Rankings computed so far (see :func:`ranking`)."""
        return {}

    def value(self, code: str, unit: str | None = None, year: int | None = None) -> float:
        r = self.row(code, unit, year)
        return float(r["value"]) if r is not None else float("nan")

    def fmt(self, code: str, value: float, with_unit: bool = True) -> str:
        ind = self.cat.indicator(code)
        if not with_unit:
            return fmt.number(value, ind.decimals, self.lang)
        return fmt.with_unit(value, ind.unit(self.lang), ind.decimals, self.lang)

    def provinces(self, year: int | None = None) -> list[str]:
        """Provinces that existed in the year, in GSO order."""
        year = year or self.year
        return [u for m in REGION_MEMBERS.values() for u in m if exists(u, year)]

    def has(self, code: str, year: int | None = None) -> bool:
        d = self.ind
        return bool(
            (
                (d["indicator"] == code)
                & (d["year"] == (year or self.year))
                & d["unit"].isin(self.provinces(year))
            ).any()
        )

    def codes(self, section: str) -> list[str]:
        """The indicators of one section of this report, in catalogue order (:func:`report_codes`)."""
        return report_codes(self.cat, self.kind, section)

    def preliminary(self, codes=None) -> list[str]:
        """Indicators whose value this year rests on a preliminary GSO figure."""
        codes = report_codes(self.cat) if codes is None else codes
        d = self.ind[
            (self.ind["year"] == self.year) & self.ind["preliminary"] & self.ind["indicator"].isin(codes)
        ]
        if self.unit is not None:
            d = d[d["unit"].isin([self.unit.code, self.region, "VN"])]
        return [c for c in codes if c in set(d["indicator"])]

    def input_hash(self) -> str:
        return _fingerprint_cached(self.data.key)[:12]


def data_fingerprint(data: GsoData) -> str:
    """sha256 of the tidy GSO rows, published figures, problems and
    catalogue (what every GSO report reads).
    """
    h = hashlib.sha256()
    for part in (
        data.observations.to_csv(index=False),
        data.published.to_csv(index=False),
        data.problems.to_csv(index=False),
        repr(data.catalogue),
    ):
        h.update(part.encode())
        h.update(b"\0")
    return h.hexdigest()


@functools.lru_cache(maxsize=2)
def _fingerprint_cached(key: tuple) -> str:
    return data_fingerprint(_load_cached(key))


def input_fingerprint(kind: str, unit: str, year: int, gso_dir: str = "") -> str:
    """Content hash of what a GSO report reads (for the builder: skip unchanged reports).

    Every province report ranks the province among all others, and the national overview
    (unit ``"VN"``) shows them all, so each reads all the GSO data (hashed once per process).
    """
    return hashlib.sha256(
        f"{kind}|{unit}|{int(year)}|{_fingerprint_cached(_source_key(gso_folder(gso_dir)))}".encode()
    ).hexdigest()


@functools.lru_cache(maxsize=2)
def _indicators_cached(key: tuple) -> pd.DataFrame:
    data = _load_cached(key)
    return indicator_values(data.observations, data.published, data.catalogue, report_codes(data.catalogue))


def _open(kind: str, year, lang, gso_dir: str, unit: Unit | None = None) -> GsoContext:
    lang, year = check_lang(lang), check_year(year)
    data = load_data(gso_dir)
    ind = _indicators_cached(data.key)
    obs = data.observations
    scope = obs[obs["element"].isin(elements_of(data.catalogue, report_codes(data.catalogue)))]
    if unit is not None:
        scope = scope[scope["unit"] == unit.code]
    years = sorted(int(y) for y in scope["year"].unique())
    if year not in years:
        where = unit_label(unit.code, lang) if unit is not None else in_lang("cả nước", "the country", lang)
        raise ReportError(
            f"Không có số liệu GSO năm {year} cho {where} / no GSO data for {year} for {where}; "
            f"có các năm / years with data: {_year_ranges(years) or 'không có / none'}"
        )
    return GsoContext(kind, year, lang, data, ind, unit, region_of(unit.code) if unit is not None else None)


def _year_ranges(years: list[int]) -> str:
    """``[2002, 2003, 2004, 2006]`` → ``"2002–2004, 2006"``; also lists every year in full after it."""
    if not years:
        return ""
    runs, start = [], years[0]
    for a, b in zip(years, [*years[1:], None]):
        if b != a + 1:
            runs.append(str(start) if start == a else f"{start}–{a}")
            start = b
    return ", ".join(runs)


def open_province(
    province: str = "An Giang", year: int = 2016, lang: str = "vi", gso_dir: str = ""
) -> GsoContext:
    unit = resolve_province(province)
    return _open("province", year, lang, gso_dir, unit)


def open_national(year: int = 2016, lang: str = "vi", gso_dir: str = "") -> GsoContext:
    return _open("national", year, lang, gso_dir)


def report_title(ctx: GsoContext) -> str:
    where = f" — {ctx.label(ctx.unit.code, short=False)}" if ctx.unit is not None else ""
    return f"{kinds.require(ctx.kind).title(ctx.lang)}{where}, {ctx.year}"


def summary(ctx: GsoContext) -> dict:
    """Title and headline figures (the first three indicators with a value) for the build index."""
    unit = ctx.unit.code if ctx.unit else "VN"
    pairs = [
        [ctx.cat.indicator(c).short(ctx.lang), ctx.fmt(c, ctx.value(c, unit=unit))]
        for c in ctx.codes("headline")
        if not np.isnan(ctx.value(c, unit=unit))
    ]
    return {"title": report_title(ctx), "headline": pairs[:3]}


# ---------------------------------------------------------------- blocks of HTML


def source_text(ctx: GsoContext) -> str:
    """GSO and the date(s) the tables were collected, as their rows'
    ``source`` says (``GSO: file (date)``).
    """
    sources = ctx.data.observations["source"].unique()  # a few distinct strings on ~30 000 rows
    dates = sorted({s.rsplit(" (", 1)[1].rstrip(")") for s in sources if " (" in s} or {COLLECTED})
    shown = [("/".join(reversed(d.split("-"))) if ctx.lang == "vi" else d) for d in dates]
    return SOURCE[ctx.lang].format(dates=", ".join(shown))


def source_note(ctx: GsoContext) -> Html:
    """The data source, always visible, and which figures are preliminary."""
    files = sorted(
        {s.removeprefix("GSO: ").rsplit(" (", 1)[0] for s in ctx.data.observations["source"].unique()}
    )
    text = ctx.w("Nguồn số liệu", "Data source")
    out = f'<p class="meta source"><strong>{text}:</strong> {escape(source_text(ctx))}. '
    out += (
        str(
            escape(
                ctx.w(f"{len(files)} bảng, dùng nguyên trạng: ", f"{len(files)} tables, used as published: ")
                + "; ".join(files)
            )
        )
        + ".</p>"
    )
    prelim = ctx.preliminary()
    if prelim:
        names = ", ".join(
            ctx.cat.indicator(c).short(ctx.lang).lower()
            if ctx.lang == "vi"
            else ctx.cat.indicator(c).short(ctx.lang)
            for c in prelim
        )
        msg = ctx.w(
            f"Số liệu sơ bộ: năm {ctx.year}, GSO ghi các số liệu sau là sơ bộ (Prel.), có thể được điều "
            f"chỉnh: {names}. Trong các bảng, chúng được đánh dấu “sơ bộ”.",
            f"Preliminary figures: for {ctx.year} GSO marks these as preliminary (Prel.), subject to "
            f"revision: {names}. Tables mark them “preliminary”.",
        )
        out += (
            '<p class="meta preliminary" '
            f'role="note"><strong>{escape(msg.split(":", 1)[0])}:</strong>{escape(msg.split(":", 1)[1])}</p>'
        )
    return Html(out)


def title_block(ctx: GsoContext) -> Html:
    """Title, unit, region, year, the data source and the preliminary flag."""
    meta = []
    if ctx.unit is not None:
        meta.append(
            f"<strong>{ctx.w('Tỉnh', 'Province')}:</strong> {escape(ctx.label(ctx.unit.code, short=False))} "
            f"({ctx.w('mã', 'code')} {escape(ctx.unit.code)})"
        )
        meta.append(f"<strong>{ctx.w('Vùng', 'Region')}:</strong> {escape(ctx.label(ctx.region))}")
    else:
        meta.append(
            f"<strong>{ctx.w('Phạm vi', 'Scope')}:</strong> {len(ctx.provinces())} "
            f"{ctx.w('tỉnh, thành phố trực thuộc trung ương', 'provinces and centrally-run cities')}"
        )
    meta.append(f"<strong>{ctx.w('Năm', 'Year')}:</strong> {ctx.year}")
    out = Html(
        f'<h1 class="report-title">{escape(report_title(ctx))}</h1><p class="meta">{" · ".join(meta)}</p>'
        + source_note(ctx)
    )
    out.meta = {"summary": summary(ctx)}  # read by the builder (baocao.build.execute.summary_from_notebook)
    return out


def headline(ctx: GsoContext) -> Html:
    """The indicators of the province (or the whole country) as cards; missing ones are left out."""
    unit = ctx.unit.code if ctx.unit is not None else "VN"
    cards = []
    for code in ctx.codes("headline"):
        r = ctx.row(code, unit)
        if r is None or np.isnan(r["value"]):
            continue
        label = ctx.cat.indicator(code).short(ctx.lang) + (
            f" ({PRELIM[ctx.lang]})" if r["preliminary"] else ""
        )
        cards.append((label, ctx.fmt(code, r["value"]), ""))
    return cards_html(cards)


def ranking(ctx: GsoContext, code: str, scope: str = "country", year: int | None = None) -> pd.DataFrame:
    """One indicator for every province of the country (or of ``ctx.region``):
    ``code, label, lat, lon, value, rank, preliminary``; rank 1 is best (see module docstring)."""
    year = year or ctx.year
    key = (code, scope, year)
    if key not in ctx._rankings:  # a report asks for the same ranking in its tables, text and charts
        ctx._rankings[key] = _ranking(ctx, code, scope, year)
    return ctx._rankings[key].copy()


def _ranking(ctx: GsoContext, code: str, scope: str, year: int) -> pd.DataFrame:
    units = ctx.provinces(year)
    if scope == "region":
        units = [u for u in units if region_of(u) == ctx.region]
    d = ctx.ind[(ctx.ind["indicator"] == code) & (ctx.ind["year"] == year)].set_index("unit")
    rows = []
    for u in units:
        p = province_unit(u)
        rows.append(
            {
                "code": u,
                "label": ctx.label(u),
                "lat": p.lat,
                "lon": p.lon,
                "value": d["value"].get(u, np.nan),
                "preliminary": bool(d["preliminary"].get(u, False)),
            }
        )
    df = pd.DataFrame(rows)
    df["rank"] = df["value"].rank(ascending=ctx.cat.indicator(code).direction == "lower", method="min")
    return df


def _rank_text(df: pd.DataFrame, code: str) -> str:
    hit = df[df["code"] == code]
    if not len(hit) or np.isnan(hit["rank"].iloc[0]):
        return "–"
    return f"{int(hit['rank'].iloc[0])}/{int(df['value'].notna().sum())}"


def _value_cell(ctx: GsoContext, code: str, unit: str) -> str:
    r = ctx.row(code, unit)
    if r is None or np.isnan(r["value"]):
        return "–"
    return ctx.fmt(code, r["value"], with_unit=False)


def _is_preliminary(ctx: GsoContext, code: str, units) -> bool:
    d = ctx.ind
    return bool(
        d[(d["indicator"] == code) & (d["year"] == ctx.year) & d["unit"].isin(list(units))][
            "preliminary"
        ].any()
    )


def indicator_table(ctx: GsoContext) -> Html:
    """The province's indicators for the year, its ranks, and its region and the whole country."""
    rows = []
    for code in ctx.codes("table"):
        ind = ctx.cat.indicator(code)
        r = ctx.row(code)
        region = ctx.row(code, ctx.region)
        notes = []
        if r is None:
            notes.append(ctx.w(f"không có số liệu năm {ctx.year}", f"no data for {ctx.year}"))
        else:
            if r["preliminary"]:
                notes.append(PRELIM[ctx.lang])
            if r["note"]:
                notes.append(boundary_text(ctx.unit.code, ctx.year, ctx.lang))
        if region is not None and region["basis"] != "province":
            notes.append(ctx.w("vùng, cả nước: ", "region, country: ") + BASIS[ctx.lang][region["basis"]])
        rows.append(
            {
                ctx.w("Chỉ tiêu", "Indicator"): f"{ind.name(ctx.lang)} ({ind.unit(ctx.lang)})",
                ctx.label(ctx.unit.code): _value_cell(ctx, code, ctx.unit.code),
                ctx.w("Hạng cả nước", "Rank, country"): _rank_text(ranking(ctx, code), ctx.unit.code),
                ctx.w("Hạng trong vùng", "Rank, region"): _rank_text(
                    ranking(ctx, code, "region"), ctx.unit.code
                ),
                ctx.label(ctx.region): _value_cell(ctx, code, ctx.region),
                ctx.label("VN"): _value_cell(ctx, code, "VN"),
                ctx.w("Ghi chú", "Note"): "; ".join(notes),
            }
        )
    df = pd.DataFrame(
        rows,
        columns=[
            ctx.w("Chỉ tiêu", "Indicator"),
            ctx.label(ctx.unit.code),
            ctx.w("Hạng cả nước", "Rank, country"),
            ctx.w("Hạng trong vùng", "Rank, region"),
            ctx.label(ctx.region),
            ctx.label("VN"),
            ctx.w("Ghi chú", "Note"),
        ],
    )
    return html_table(
        df,
        numeric=list(df.columns[1:6]),
        caption=rank_caption(ctx, ctx.codes("table"))
        + ctx.w(f" Vùng: {ctx.label(ctx.region)}.", f" Region: {ctx.label(ctx.region)}."),
    )


def _names(ctx: GsoContext, codes) -> str:
    names = [ctx.cat.indicator(c).short(ctx.lang) for c in codes]
    return ", ".join(n[:1].lower() + n[1:] if ctx.lang == "vi" else n for n in names)


def rank_caption(ctx: GsoContext, codes) -> str:
    """How ranks read, from the indicators' directions in the catalogue."""
    by = {d: [c for c in codes if ctx.cat.indicator(c).direction == d] for d in ("lower", "higher", None)}
    parts = []
    if by["lower"]:
        parts.append(ctx.w(f"thấp nhất: {_names(ctx, by['lower'])}", f"lowest: {_names(ctx, by['lower'])}"))
    if by["higher"]:
        parts.append(ctx.w(f"cao nhất: {_names(ctx, by['higher'])}", f"highest: {_names(ctx, by['higher'])}"))
    text = ctx.w("Hạng 1 là tốt nhất theo hướng của chỉ tiêu", "Rank 1 is best in the indicator's direction")
    text += f" ({'; '.join(parts)})" if parts else ""
    if by[None]:
        text += ctx.w(
            f"; {_names(ctx, by[None])} xếp từ lớn nhất", f"; {_names(ctx, by[None])} rank from the largest"
        )
    return text + "."


def narrative(ctx: GsoContext) -> Html:
    """One paragraph on the province's figures and ranks, built from the values."""
    name, parts = ctx.label(ctx.unit.code), []
    n_region = len([u for u in ctx.provinces() if region_of(u) == ctx.region])
    for code in ctx.codes("table"):
        r = ctx.row(code)
        if r is None or np.isnan(r["value"]):
            continue
        ind = ctx.cat.indicator(code)
        rc, rr = (
            _rank_text(ranking(ctx, code), ctx.unit.code),
            _rank_text(ranking(ctx, code, "region"), ctx.unit.code),
        )
        vn = ctx.value(code, "VN")
        comp = ""
        if ind.direction is not None and not np.isnan(vn):
            better = r["value"] < vn if ind.direction == "lower" else r["value"] > vn
            comp = ctx.w(
                f", {'tốt hơn' if better else 'kém hơn'} mức cả nước {ctx.fmt(code, vn)}",
                f", {'better' if better else 'worse'} than the country's {ctx.fmt(code, vn)}",
            )
        short = ind.short(ctx.lang)
        value = ctx.fmt(code, r["value"], with_unit=ind.unit(ctx.lang).lower() not in short.lower())
        parts.append(
            ctx.w(
                f"{short.lower()} {value} (hạng {rc} cả nước, {rr} trong vùng{comp})",
                f"{short[:1].lower() + short[1:]} {value} (rank {rc} in the country, {rr} in the "
                f"region{comp})",
            )
        )
    missing = [
        _lower_first(ctx.cat.indicator(c).short(ctx.lang))
        for c in ctx.codes("table")
        if ctx.row(c) is None or np.isnan(ctx.row(c)["value"])
    ]
    if parts:
        text = ctx.w(
            f"Năm {ctx.year}, {name}: " + "; ".join(parts) + ".",
            f"In {ctx.year}, {name}: " + "; ".join(parts) + ".",
        )
    else:
        text = ctx.w(f"Năm {ctx.year}, {name}: không có số liệu nào.", f"In {ctx.year}, {name}: no figures.")
    text += ctx.w(
        f" Vùng {ctx.label(ctx.region)} có {n_region} tỉnh, thành phố.",
        f" The {ctx.label(ctx.region)} region has {n_region} provinces.",
    )
    if missing:
        text += ctx.w(
            f" GSO không có số liệu năm {ctx.year} về: {', '.join(missing)}.",
            f" GSO has no {ctx.year} figure for: {', '.join(missing)}.",
        )
    return Html(f"<p>{escape(text)}</p>")


def _lower_first(text: str) -> str:
    return text[:1].lower() + text[1:]


def _no_data(ctx: GsoContext, code: str, year: int | None = None, where: str = "") -> Html:
    """In words: no value of the indicator for the year (``where``: for whom), and the years that
    have one — or that the indicator has none at all (its GSO table was not read: see the problems)."""
    year = year or ctx.year
    name = _lower_first(ctx.cat.indicator(code).name(ctx.lang))
    years = sorted(
        {int(y) for y in ctx.ind.loc[(ctx.ind["indicator"] == code) & ctx.ind["value"].notna(), "year"]}
    )
    who = f" {ctx.w('cho', 'for')} {where}" if where else ""
    if years:
        text = ctx.w(
            f"Không có số liệu {name}{who} năm {year}; có số liệu các năm {_year_ranges(years)}.",
            f"No data on {name}{who} for {year}; years with data: {_year_ranges(years)}.",
        )
    else:
        text = ctx.w(
            f"Không có số liệu {name} năm {year}, cũng không có năm nào khác: bảng GSO của chỉ tiêu này chưa "
            "được nhập (xem `baocao validate`).",
            f"No data on {name} for {year}, nor for any other year: the GSO table of this indicator was not "
            "imported (see `baocao validate`).",
        )
    return Html(f'<p class="no-data">{escape(text)}</p>')


def _suffix(code: str, cat: Catalogue) -> str:
    return "%" if cat.indicator(code).unit_vi == "%" else ""


def _title(ctx: GsoContext, code: str, what: str) -> str:
    """A chart title short enough for one or two lines of the 8-inch figure: the short indicator
    name, its unit unless the name says it, the year, "preliminary", and what is shown."""
    ind = ctx.cat.indicator(code)
    short, unit = ind.short(ctx.lang), ind.unit(ctx.lang)
    name = short if unit.lower() in short.lower() else f"{short} ({unit})"
    prelim = any(ranking(ctx, code)["preliminary"])
    return f"{name}, {ctx.year}{' (' + PRELIM[ctx.lang] + ')' if prelim else ''}: {what}"


@as_chart
def _ranked_chart(
    ctx: GsoContext, code: str, df: pd.DataFrame, reference: float, reference_label: str, what: str
):
    ind = ctx.cat.indicator(code)
    return charts.ranked_bars(
        df,
        reference=None if np.isnan(reference) else reference,
        reference_label=reference_label,
        title=_title(ctx, code, what),
        value_label=ind.unit(ctx.lang),
        decimals=ind.decimals,
        lang=ctx.lang,
        highlight=ctx.label(ctx.unit.code) if ctx.unit is not None else None,
        suffix=_suffix(code, ctx.cat),
    )


def chart_ranked(ctx: GsoContext, code: str, scope: str = "country") -> Chart | Html:
    """Provinces ranked high to low (the report's province highlighted); the line is the country (or
    region) value, except for totals such as population, where it would dwarf every bar."""
    df = ranking(ctx, code, scope)
    if df["value"].notna().sum() == 0:
        return _no_data(
            ctx,
            code,
            where=ctx.w(
                f"các tỉnh trong vùng {ctx.label(ctx.region)}",
                f"the provinces of the {ctx.label(ctx.region)} region",
            )
            if scope == "region"
            else "",
        )
    ref_unit = ctx.region if scope == "region" else "VN"
    if _is_total(ctx, code):
        ref_unit = None  # a total (population): the country's would dwarf every bar
    n = int(df["value"].notna().sum())
    what = (
        ctx.w(f"{n} tỉnh trong vùng", "the region")
        if scope == "region"
        else ctx.w(f"{n} tỉnh, thành phố", f"{n} provinces")
    )
    if ref_unit is None:
        return _ranked_chart(ctx, code, df, float("nan"), "", what)
    return _ranked_chart(ctx, code, df, ctx.value(code, ref_unit), ctx.label(ref_unit), what)


# the map is drawn in three parts (GSO regions), one colour scale for all: on one map of the
# whole country the 11 Red River Delta provinces and the Mekong provinces are too close to label
PARTS: dict[str, tuple[tuple[str, ...], str, str]] = {
    "north": (("R1", "R2"), "Miền Bắc", "North"),
    "centre": (("R3", "R4"), "Miền Trung và Tây Nguyên", "Centre and Central Highlands"),
    "south": (("R5", "R6"), "Miền Nam", "South"),
}


@as_chart
def _map_chart(ctx: GsoContext, code: str, df: pd.DataFrame, what: str, limits: tuple[float, float]):
    ind = ctx.cat.indicator(code)
    fig = charts.dot_map(
        df,
        title=_title(ctx, code, what),
        value_label=ind.unit(ctx.lang),
        decimals=ind.decimals,
        lang=ctx.lang,
        highlight=ctx.label(ctx.unit.code) if ctx.unit is not None else None,
        suffix=_suffix(code, ctx.cat),
    )
    for points in fig.axes[0].collections[:1]:  # same colours for the same values in every part
        if points.get_array() is not None:
            points.set_clim(*limits)
    return fig


def map_indicator(ctx: GsoContext) -> str | None:
    """The indicator the map shows: the first of the catalogue's ``map`` section with data in the
    year (the last one if none has; None if the section is empty)."""
    choices = ctx.codes("map")
    return next((c for c in choices if ctx.has(c)), choices[-1] if choices else None)


def part_of(code: str) -> str:
    return next(p for p, (regs, *_) in PARTS.items() if region_of(code) in regs)


def chart_map(ctx: GsoContext, part: str | None = None, code: str | None = None) -> Chart | Html:
    """Provinces of one part of the country (``north``, ``centre``, ``south``; default: the
    report's province's part) as dots at their coordinates (``units.legacy()``), coloured by the
    indicator on one scale for the whole country."""
    code = code or map_indicator(ctx)
    if code is None:
        return Html("")
    part = part or (part_of(ctx.unit.code) if ctx.unit is not None else "north")
    if part not in PARTS:
        raise ReportError(f"part must be one of {', '.join(PARTS)}, not {part!r}")
    regs, vi, en = PARTS[part]
    df = ranking(ctx, code)
    if df["value"].notna().sum() == 0:
        return _no_data(ctx, code)
    limits = (float(df["value"].min()), float(df["value"].max()))
    shown = df[df["code"].map(region_of).isin(regs)].dropna(subset=["lat", "lon"])
    return _map_chart(ctx, code, shown, ctx.w(f"bản đồ {vi}", f"map, {en}"), limits)


def map_note(ctx: GsoContext) -> Html:
    """Which provinces of the year the map cannot place (Hà Tây has no coordinates)."""
    if map_indicator(ctx) is None:
        return Html("")
    df = ranking(ctx, map_indicator(ctx))
    lost = df[df["lat"].isna() | df["lon"].isna()]
    if ctx.unit is not None:  # province report: one part of the country
        src = ctx.w(
            "Tọa độ tỉnh lấy từ danh mục đơn vị hành chính trước 7/2025 (gói vietnamadminunits); bản đồ "
            "không có nền địa lý.",
            "Province coordinates come from the pre-July-2025 unit list (package vietnamadminunits); the map "
            "has no base layer.",
        )
        if ctx.unit.lat is None:
            src += ctx.w(
                f" {ctx.label(ctx.unit.code)} không có tọa độ (đã sáp nhập) nên không có trên bản đồ.",
                f" {ctx.label(ctx.unit.code)} has no coordinates (merged since) and is not on the map.",
            )
        return Html(f"<p class='caption'>{escape(src)}</p>")
    parts = "; ".join(
        f"{ctx.w(vi, en)}: {', '.join(ctx.label(r) for r in regs)}" for regs, vi, en in PARTS.values()
    )
    src = ctx.w(
        f"Bản đồ chia ba miền theo vùng GSO ({parts}), cùng một thang màu. Tọa độ tỉnh lấy từ danh mục đơn "
        "vị hành chính trước 7/2025 (gói vietnamadminunits); bản đồ không có nền địa lý.",
        f"The map is drawn in three parts by GSO region ({parts}), on one colour scale. Province coordinates "
        "come from the pre-July-2025 unit list (package vietnamadminunits); the map has no base layer.",
    )
    if not len(lost):
        extra = ctx.w(
            f" Cả {len(df)} tỉnh, thành phố có tọa độ.", f" All {len(df)} provinces have coordinates."
        )
    else:
        names = ", ".join(f"{r.label} ({r.code})" for r in lost.itertuples())
        extra = ctx.w(
            f" Không có tọa độ nên không có trên bản đồ: {names} (tỉnh đã sáp nhập vào Hà Nội năm 2008; vẫn "
            "có trong các bảng và biểu đồ xếp hạng).",
            f" Not on the map, no coordinates: {names} (merged into Ha Noi in 2008; still in the tables and "
            "ranked charts).",
        )
    return Html(f"<p class='caption'>{escape(src + extra)}</p>")


@as_chart
def _distribution_chart(ctx: GsoContext, code: str, df: pd.DataFrame):
    ind = ctx.cat.indicator(code)
    return charts.distribution(
        df,
        title=_title(ctx, code, ctx.w("phân bố", "spread")),
        value_label=ind.unit(ctx.lang),
        decimals=ind.decimals,
        lang=ctx.lang,
        suffix=_suffix(code, ctx.cat),
    )


def chart_distribution(ctx: GsoContext, code: str) -> Chart | Html:
    df = ranking(ctx, code)
    if df["value"].notna().sum() == 0:
        return _no_data(ctx, code)
    return _distribution_chart(ctx, code, df)


def file_years(ctx: GsoContext, code: str) -> list[int]:
    """The years of the indicator's source table (every year GSO has a column for, for any unit)."""
    el = ctx.cat.indicator(code).numerator
    obs, pub = ctx.data.observations, ctx.data.published
    return sorted(
        {int(y) for y in obs.loc[obs["element"] == el, "year"]}
        | {int(y) for y in pub.loc[pub["code"] == el, "year_from"]}
    )


def chart_trend(ctx: GsoContext, code: str) -> Chart | Html:
    """The province over every year of the source table, next to the whole country (population:
    the province alone; the region is in the tables — with three close lines the value labels
    collide; so for every total that adds up over provinces). A year without a value — no column in the table,
    or ``..`` — is a gap in the line,
    never joined over."""
    years = file_years(ctx, code)
    units = [ctx.unit.code] + ([] if _is_total(ctx, code) else ["VN"])
    d = ctx.ind[ctx.ind["indicator"] == code].set_index(["unit", "year"])["value"]
    rows = [{"year": y, "series": ctx.label(u), "value": d.get((u, y), np.nan)} for u in units for y in years]
    df = pd.DataFrame(rows, columns=["year", "series", "value"])
    if df.loc[df["series"] == ctx.label(ctx.unit.code), "value"].notna().sum() == 0:
        if years:  # the table has the indicator, never for this province: a country line alone would mislead
            name = _lower_first(ctx.cat.indicator(code).name(ctx.lang))
            where, span = ctx.label(ctx.unit.code), _year_ranges(years)
            text = ctx.w(
                f"Không có số liệu {name} cho {where} năm nào trong bảng ({span}).",
                f"No data on {name} for {where} in any year of the table ({span}).",
            )
            return Html(f'<p class="no-data">{escape(text)}</p>')
        return _no_data(ctx, code)
    return kit.indicator_trend(ctx.cat.indicator(code), df, ctx.lang, suffix=_suffix(code, ctx.cat))


def trend_note(ctx: GsoContext) -> Html:
    """How to read the trend charts: what the gaps mean, the years of each table."""
    spans = []
    for code in ctx.codes("trend"):
        years = file_years(ctx, code)
        spans.append(
            f"{ctx.cat.indicator(code).short(ctx.lang)}: {_year_ranges(years) or ctx.w('không có', 'none')}"
        )
    text = (
        ctx.w(
            "Đường bị ngắt ở những năm không có số liệu (GSO không công bố năm đó, hoặc ô “..”); điểm đứng "
            "riêng là năm có số liệu nhưng năm liền kề không có. Các năm trong bảng nguồn: ",
            "Lines break at years without a value (GSO publishes none that year, or the cell is “..”); a "
            "lone dot is a year with data between years without. Years of the source tables: ",
        )
        + "; ".join(spans)
        + "."
    )
    return Html(f"<p class='caption'>{escape(text)}</p>")


def region_table(ctx: GsoContext) -> Html:
    """Province report: every province of the region; national report: the regions and the whole country."""
    if ctx.unit is not None:
        units = [u for u in ctx.provinces() if region_of(u) == ctx.region] + [ctx.region, "VN"]
        first = ctx.w("Tỉnh, thành phố", "Province")
    else:
        units = [*REGION_MEMBERS, "VN"]
        first = ctx.w("Vùng", "Region")
    columns = {
        code: ctx.cat.indicator(code).short(ctx.lang)
        + (f" ({PRELIM[ctx.lang]})" if _is_preliminary(ctx, code, units) else "")
        for code in ctx.codes("table")
    }  # once per column, not per row
    rows = []
    for u in units:
        label = ctx.label(u) + (" ◀" if ctx.unit is not None and u == ctx.unit.code else "")
        row = {first: label}
        for code, column in columns.items():
            row[column] = _value_cell(ctx, code, u)
        rows.append(row)
    df = pd.DataFrame(rows)
    return html_table(df, numeric=list(df.columns[1:]), caption=basis_caption(ctx, ctx.codes("table")))


def _summing(ctx: GsoContext, code: str) -> bool:
    ind = ctx.cat.indicator(code)
    return all(ctx.cat.element(e).aggregation == "sum" for e in (ind.numerator, ind.denominator) if e)


def _is_total(ctx: GsoContext, code: str) -> bool:
    """A total that adds up over provinces (population): a country line would dwarf the province."""
    ind = ctx.cat.indicator(code)
    return ind.denominator is None and ctx.cat.element(ind.numerator).aggregation == "sum"


def basis_caption(ctx: GsoContext, codes) -> str:
    """Which region and country figures are sums of provinces and which GSO's own, from the catalogue."""
    summed = [c for c in codes if _summing(ctx, c)]
    published = [c for c in codes if not _summing(ctx, c)]
    parts = []
    if summed:
        ratios = any(ctx.cat.indicator(c).denominator for c in summed)
        parts.append(
            ctx.w(
                f"{_names(ctx, summed)} cộng từ các tỉnh" + (" (tỷ lệ tính từ các tổng)" if ratios else ""),
                f"{_names(ctx, summed)} summed over the provinces"
                + (" (rates from the sums)" if ratios else ""),
            )
        )
    if published:
        parts.append(
            ctx.w(
                f"{_names(ctx, published)} là số GSO công bố (không cộng được từ các tỉnh)",
                f"{_names(ctx, published)} as published by GSO (they do not add up from provinces)",
            )
        )
    return ctx.w("Vùng và cả nước: ", "Regions and country: ") + "; ".join(parts) + "."


def national_summary(ctx: GsoContext) -> Html:
    """National report: the whole country's figures and the extremes among provinces."""
    parts = []
    for code in ctx.codes("table"):
        df = ranking(ctx, code).dropna(subset=["value"])
        if df.empty:
            continue
        ind = ctx.cat.indicator(code)
        top, bottom = df.loc[df["value"].idxmax()], df.loc[df["value"].idxmin()]
        vn = ctx.value(code, "VN")
        parts.append(
            ctx.w(
                f"{ind.short('vi')}: cả nước {ctx.fmt(code, vn)}; cao nhất {top['label']} "
                f"{ctx.fmt(code, top['value'])}, thấp nhất {bottom['label']} "
                f"{ctx.fmt(code, bottom['value'])} ({len(df)} tỉnh có số liệu).",
                f"{ind.short('en')}: country {ctx.fmt(code, vn)}; highest {top['label']} "
                f"{ctx.fmt(code, top['value'])}, lowest {bottom['label']} {ctx.fmt(code, bottom['value'])} "
                f"({len(df)} provinces with data).",
            )
        )
    missing = [ctx.cat.indicator(c).short(ctx.lang) for c in ctx.codes("table") if not ctx.has(c)]
    if missing:
        parts.append(
            ctx.w(
                f"Không có số liệu năm {ctx.year}: {', '.join(missing)}.",
                f"No data for {ctx.year}: {', '.join(missing)}.",
            )
        )
    return Html("<ul>" + "".join(f"<li>{escape(p)}</li>" for p in parts) + "</ul>")


def reconciliation(ctx: GsoContext) -> pd.DataFrame:
    """:func:`baocao.data.gso.region_reconciliation` for the report year (every summing element)."""
    rec = region_reconciliation(ctx.data.observations, ctx.data.published, ctx.cat)
    return rec[rec["year"] == ctx.year].reset_index(drop=True)


def reconciled_elements(ctx: GsoContext) -> list[str]:
    """The summing elements behind the indicators of the report's tables, in catalogue order."""
    out = []
    for code in ctx.codes("table"):
        ind = ctx.cat.indicator(code)
        out += [e for e in (ind.numerator, ind.denominator) if e and ctx.cat.element(e).aggregation == "sum"]
    return list(dict.fromkeys(out))


def reconciliation_table(ctx: GsoContext, elements=None) -> Html:
    """Regions and the whole country: the sum of their provinces against GSO's published row."""
    elements = reconciled_elements(ctx) if elements is None else elements
    rec = reconciliation(ctx)
    rec = rec[rec["element"].isin(elements)]
    if rec.empty:
        return Html(
            "<p>"
            + escape(
                ctx.w(
                    f"Năm {ctx.year} không có số liệu cộng được để đối chiếu.",
                    f"No summing figures to reconcile for {ctx.year}.",
                )
            )
            + "</p>"
        )
    order = {u: i for i, u in enumerate([*REGION_MEMBERS, "VN"])}
    rec = rec.assign(
        _o=rec["unit"].map(order), _e=rec["element"].map({e: i for i, e in enumerate(elements)})
    ).sort_values(["_e", "_o"])
    rows = []
    for r in rec.itertuples(index=False):
        el = ctx.cat.element(r.element)
        d = max(int(r.decimals), 0)
        gap = 0.0 if abs(r.gap) < 1e-9 else r.gap
        rows.append(
            {
                ctx.w("Số liệu", "Figure"): f"{el.name(ctx.lang)} ({el.unit(ctx.lang)})",
                ctx.w("Vùng", "Region"): ctx.label(r.unit)
                + (f" ({PRELIM[ctx.lang]})" if "preliminary" in str(r.note) else ""),
                ctx.w("Số tỉnh", "Provinces"): f"{r.n_members - r.n_missing}/{r.n_members}",
                ctx.w("Cộng từ các tỉnh", "Sum of provinces"): fmt.number(r.computed, d, ctx.lang),
                ctx.w("GSO công bố", "Published by GSO"): fmt.number(r.published, d, ctx.lang),
                ctx.w("Chênh lệch", "Gap"): fmt.number(gap, d, ctx.lang) if not pd.isna(r.gap) else "–",
                ctx.w("Kết luận", "Verdict"): VERDICT_LABELS[ctx.lang].get(r.verdict, r.verdict),
            }
        )
    df = pd.DataFrame(rows)
    cap = ctx.w(
        "“Chênh do làm tròn”: khoảng chênh không vượt quá nửa đơn vị làm tròn của mỗi số hạng và của số công "
        "bố (dân số GSO in đến trăm người).",
        "“Rounding difference”: the gap is within half a printed unit per summand and of the published "
        "figure (GSO prints population to hundreds of persons).",
    )
    return html_table(df, numeric=list(df.columns[2:6]), caption=cap)


def reconciliation_summary(ctx: GsoContext) -> Html:
    """Counts of verdicts over every summing element of the year, mismatches named."""
    rec = reconciliation(ctx)
    if rec.empty:
        return Html("")
    counts = rec["verdict"].value_counts()
    words = ", ".join(f"{n} {VERDICT_LABELS[ctx.lang].get(v, v)}" for v, n in counts.items())
    text = ctx.w(
        f"Đối chiếu mọi số liệu cộng được năm {ctx.year} ({rec['element'].nunique()} chỉ tiêu × vùng và cả "
        f"nước, {len(rec)} số liệu): {words}.",
        f"All summing figures of {ctx.year} reconciled ({rec['element'].nunique()} elements × regions and "
        f"country, {len(rec)} figures): {words}.",
    )
    items = []
    for r in rec[rec["verdict"] == "mismatch"].itertuples(index=False):
        items.append(
            ctx.w(
                f"{ctx.cat.element(r.element).name('vi')}, {ctx.label(r.unit)}: cộng từ các tỉnh "
                f"{fmt.number(r.computed, 0)}, GSO công bố {fmt.number(r.published, 0)}.",
                f"{ctx.cat.element(r.element).name('en')}, {ctx.label(r.unit)}: provinces sum to "
                f"{fmt.number(r.computed, 0, 'en')}, GSO publishes {fmt.number(r.published, 0, 'en')}.",
            )
        )
    more = "<ul>" + "".join(f"<li>{escape(i)}</li>" for i in items) + "</ul>" if items else ""
    return Html(f"<p>{escape(text)}</p>{more}")


def footer(ctx: GsoContext) -> Html:
    """Source, data date and a content hash of the inputs instead of the wall-clock time."""
    from baocao import __version__

    text = ctx.w(
        f"Nguồn: {source_text(ctx)} · mã kiểm tra số liệu đầu vào {ctx.input_hash()} · baocao {__version__}",
        f"Source: {source_text(ctx)} · input check code {ctx.input_hash()} · baocao {__version__}",
    )
    return footer_html(text, ctx.lang)


# ---------------------------------------------------------------- sections: one call per notebook cell


class Blocks(list):
    """Several charts or HTML blocks that one notebook cell shows one after another (a section
    of the report: one block per indicator of the catalogue's section, in its order)."""

    def _ipython_display_(self):
        from IPython.display import display

        for block in self:
            display(block)

    def __repr__(self) -> str:
        return f"<{len(self)} blocks: {', '.join(map(repr, self))}>"


def ranked(ctx: GsoContext, scope: str = "country") -> Blocks:
    """A ranked chart for each indicator of the section: province report ``rank_country`` /
    ``rank_region`` (``scope``), national overview ``ranked``."""
    if scope not in ("country", "region"):
        raise ReportError(f"scope must be 'country' or 'region', not {scope!r}")
    section = "ranked" if ctx.kind == "national" else f"rank_{scope}"
    return Blocks(chart_ranked(ctx, code, scope) for code in ctx.codes(section))


def trends(ctx: GsoContext) -> Blocks:
    """The trend chart of each indicator of the ``trend`` section (gaps kept), or a sentence when it has no
    data.
    """
    return Blocks(chart_trend(ctx, code) for code in ctx.codes("trend"))


def maps(ctx: GsoContext) -> Blocks:
    """Province report: the part of the country of the province; national overview: the three parts."""
    if map_indicator(ctx) is None:
        return Blocks()
    parts = [None] if ctx.unit is not None else list(PARTS)
    return Blocks(chart_map(ctx, part) for part in parts)


def distributions(ctx: GsoContext) -> Blocks:
    """National overview: the spread across provinces of each indicator of the ``distribution`` section."""
    return Blocks(chart_distribution(ctx, code) for code in ctx.codes("distribution"))
