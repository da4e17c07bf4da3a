"""History across the 1 July 2025 reorganisation: legacy observations re-expressed on the 2025 communes.

From 1 July 2025 the district level is gone and communes were merged (3,321 communes in
34 provinces). :func:`to_2025` puts tidy observations recorded for the communes of the
legacy three-level list onto the 2025 communes with :func:`baocao.units.crosswalk_2025`
(``old_code, new_code, divided, is_default, share, approximate, new_province``).

Rules (by the element's catalogue ``aggregation``):

- ``sum`` — the new commune's value is the sum over its old communes of value × share;
- ``weighted_mean`` — the mean over its old communes weighted by the ``weight`` element
  (e.g. income per capita weighted by population) × share;
- ``none`` — not carried over (a reported rate of one old commune says nothing about the
  merged one); listed in the report;
- ``value_type: boolean`` elements (a commune's status, e.g. "meets the new-rural standard")
  are not carried over either: a merged commune's status is assessed anew, it is not the
  sum of its parts' statuses (the sum would break the element's ``max: 1``); listed.

A new commune gets a value only when **every** old commune that goes into it (share > 0)
has one (and, for a weighted mean, its weight); otherwise the value would be a partial sum:
it is listed as not re-expressed, naming the old communes without a value.

**Split communes.** Where an old commune was divided between several new ones, the package
records no areas or populations for the parts. Documented rule: the whole value goes to the
package's *default* new commune (share 1) and nothing to the others (share 0). Every row of a
new commune that received, or lost, a part of a divided commune is flagged approximate in its
``note`` ("xấp xỉ / approximate …") and in the report — never silently.

**Values recorded above the commune** (e.g. the doctors of district hospital 894, the
district's dialogue conferences) cannot be placed in a 2025 commune: they are listed as not
re-expressed with the reason, never spread over communes.

The second half of this module is what ``notebooks/commune_2025_report.ipynb`` calls (one
function per cell, like :mod:`baocao.report`).
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
from markupsafe import escape

from baocao import charts, fmt, kinds
from baocao.catalogue import Catalogue
from baocao.provenance import ILLUSTRATIVE_MARKERS
from baocao.report import (
    Chart,
    Html,
    ReportError,
    _cards,
    _chart,
    _lang,
    html_table,
    load_data,
    t,
)
from baocao.units import Unit, UnitRegistry, crosswalk_2025, current, legacy

OBS_COLUMNS = ["unit", "year", "element", "category", "value", "source", "note"]
COMMUNE_COLUMNS = ["new_code", "new_name", "new_province", "old_codes", "old_names", "approximate", "divided_old", "dropped"]
DROPPED_COLUMNS = ["unit", "year", "element", "category", "value", "new_code", "reason", "reason_vi", "reason_en"]
APPROX = "xấp xỉ / approximate"


@dataclass
class CrosswalkReport:
    """What :func:`to_2025` did.

    ``communes``: one row per new commune reached — ``new_code, new_name, new_province,
    old_codes`` (old communes with share > 0, comma-separated), ``old_names``,
    ``approximate``, ``divided_old`` (old communes divided between several new ones that
    touch this one, with where their value went), ``dropped`` (what could not be given to it).

    ``not_reexpressed``: every input row (or new-commune value) that was not carried over,
    with ``reason`` (``above_commune``, ``aggregation_none``, ``status``, ``unknown_unit``,
    ``no_2025_commune``, ``incomplete``) and a sentence in Vietnamese and English.
    """

    communes: pd.DataFrame
    not_reexpressed: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(columns=DROPPED_COLUMNS))


def _reason(code: str, vi: str, en: str) -> tuple[str, str, str]:
    return code, vi, en


def to_2025(obs: pd.DataFrame, catalogue: Catalogue, crosswalk: pd.DataFrame | None = None,
            old: UnitRegistry | None = None, new: UnitRegistry | None = None) -> tuple[pd.DataFrame, CrosswalkReport]:
    """Legacy observations (``unit, year, element, category, value[, source, note]``) → the same
    rows on the 2025 communes, and a :class:`CrosswalkReport`. Pure: no file is read here
    (the crosswalk and registries default to :mod:`baocao.units`)."""
    cw = crosswalk_2025() if crosswalk is None else crosswalk
    old = old or legacy()
    new = new or current()
    obs = obs.copy()
    for col in ("category", "source", "note"):
        if col not in obs.columns:
            obs[col] = ""
        obs[col] = obs[col].fillna("").astype(str)
    obs["unit"] = obs["unit"].astype(str)
    dropped: list[dict] = []

    def drop(rows: pd.DataFrame, reason: tuple[str, str, str], new_code: str = "") -> None:
        for r in rows.itertuples(index=False):
            vi = reason[1].format(unit=_name(old, r.unit), code=r.unit, element=r.element)
            en = reason[2].format(unit=_name(old, r.unit), code=r.unit, element=r.element)
            dropped.append({"unit": r.unit, "year": int(r.year), "element": r.element, "category": r.category, "value": r.value,
                            "new_code": new_code, "reason": reason[0], "reason_vi": vi, "reason_en": en})

    known = obs["unit"].isin(old.table.index)
    drop(obs[~known], _reason("unknown_unit", "đơn vị {code} không có trong danh mục cũ", "unit {code} is not in the legacy unit list"))
    obs = obs[known]
    level = obs["unit"].map(old.table["level"])
    above = obs[level != "commune"]
    drop(above, _reason("above_commune", "số liệu ghi cho {unit} ({code}), không phải cho một xã: không gán được cho xã mới",
                        "recorded for {unit} ({code}), not for a commune: cannot be placed in a 2025 commune"))
    obs = obs[level == "commune"]
    agg = obs["element"].map(lambda e: catalogue.element(e).aggregation)
    boolean = obs["element"].map(lambda e: catalogue.element(e).value_type == "boolean")
    drop(obs[(agg == "none") & ~boolean], _reason("aggregation_none", "chỉ tiêu {element} không cộng được (aggregation: none): không chuyển sang xã mới",
                                                  "element {element} does not aggregate (aggregation: none): not carried over"))
    drop(obs[boolean], _reason("status", "{element} là trạng thái của xã cũ; xã mới phải được đánh giá lại, không cộng trạng thái các xã cũ",
                               "{element} is a status of the old commune; the new commune is assessed anew, statuses are not summed"))
    obs = obs[(agg != "none") & ~boolean]
    mapped = obs["unit"].isin(set(cw["old_code"]))
    drop(obs[~mapped], _reason("no_2025_commune", "xã cũ {unit} ({code}) không có trong bảng chuyển đổi 2025",
                               "old commune {unit} ({code}) is not in the 2025 crosswalk"))
    obs = obs[mapped]

    cw = cw[cw["old_code"].isin(set(obs["unit"])) | cw["new_code"].isin(set(cw.loc[cw["old_code"].isin(set(obs["unit"])), "new_code"]))]
    parts = cw[cw["share"] > 0]
    members = parts.groupby("new_code")["old_code"].apply(lambda s: sorted(set(s))).to_dict()
    approx_new = set(cw.loc[cw["approximate"], "new_code"])
    reached = sorted(set(cw.loc[cw["old_code"].isin(set(obs["unit"])), "new_code"]))

    rows = obs.merge(parts[["old_code", "new_code", "share"]], left_on="unit", right_on="old_code")
    out, dropped_by_new = [], {}
    weights = {(u, int(y), e): v for u, y, e, v, c in zip(obs["unit"], obs["year"], obs["element"], obs["value"], obs["category"]) if c == ""}
    for (new_code, year, element, category), g in rows.groupby(["new_code", "year", "element", "category"], sort=True):
        el = catalogue.element(element)
        need = members[new_code]
        have = set(g["unit"])
        missing = [c for c in need if c not in have]
        if el.aggregation == "weighted_mean":
            missing += [c for c in need if c in have and (c, int(year), el.weight) not in weights]
        if missing:
            names = ", ".join(f"{_name(old, c)} ({c})" for c in sorted(set(missing)))
            what = "trọng số " + el.weight if el.aggregation == "weighted_mean" and set(missing) <= have else ""
            dropped.append({"unit": ",".join(sorted(have)), "year": int(year), "element": element, "category": category,
                            "value": np.nan, "new_code": new_code, "reason": "incomplete",
                            "reason_vi": f"thiếu {what or 'số liệu'} của xã cũ {names}: không tính được giá trị cho xã mới {_name(new, new_code)}",
                            "reason_en": f"no {'weight ' + el.weight if what else 'value'} for old commune(s) {names}: no value for new commune {_name(new, new_code)}"})
            dropped_by_new.setdefault(new_code, []).append(f"{element} {year}{' ' + category if category else ''}")
            continue
        if el.aggregation == "weighted_mean":
            w = np.array([weights[(u, int(year), el.weight)] for u in g["unit"]]) * g["share"].to_numpy()
            value = float((g["value"].to_numpy() * w).sum() / w.sum()) if w.sum() else np.nan
        else:
            value = float((g["value"] * g["share"]).sum())
        olds = "+".join(sorted(have))
        note = f"2025: {_rule(el.aggregation)} {olds}"
        if new_code in approx_new:
            note += f"; {APPROX}: {_split_text(cw, new_code, old, new)}"
        sources = " | ".join(dict.fromkeys(s for s in g["source"] if s))
        out.append((new_code, int(year), element, category, value, sources, note))
    obs_2025 = pd.DataFrame(out, columns=OBS_COLUMNS)

    communes = []
    for code in reached:
        olds = members.get(code, [])
        divided = cw[(cw["new_code"] == code) & cw["divided"]]
        drops = [f"{r['element']} {r['year']}" for r in dropped if r["new_code"] == code]
        communes.append({
            "new_code": code, "new_name": _name(new, code), "new_province": new.unit(code).province,
            "old_codes": ", ".join(olds), "old_names": ", ".join(_name(old, c) for c in olds),
            "approximate": code in approx_new,
            "divided_old": _split_text(cw, code, old, new) if len(divided) else "",
            "dropped": "; ".join(dict.fromkeys(drops)),
        })
    report = CrosswalkReport(pd.DataFrame(communes, columns=COMMUNE_COLUMNS), pd.DataFrame(dropped, columns=DROPPED_COLUMNS))
    return obs_2025, report


def _rule(aggregation: str) -> str:
    return {"sum": "tổng các xã cũ / sum of old communes", "weighted_mean": "bình quân gia quyền các xã cũ / weighted mean of old communes"}[aggregation]


def _name(registry: UnitRegistry, code: str) -> str:
    return registry.table.at[code, "name"] if code in registry else code


def _split_text(cw: pd.DataFrame, new_code: str, old: UnitRegistry, new: UnitRegistry) -> str:
    """For the divided old communes touching ``new_code``: where their whole value went."""
    out = []
    for old_code in sorted(set(cw.loc[(cw["new_code"] == new_code) & cw["divided"], "old_code"])):
        targets = cw[cw["old_code"] == old_code]
        default = targets.loc[targets["is_default"], "new_code"]
        dest = default.iloc[0] if len(default) else ""
        others = ", ".join(f"{_name(new, c)} ({c})" for c in targets["new_code"] if c != dest)
        out.append(f"{_name(old, old_code)} ({old_code}) chia cho {_name(new, dest)} ({dest}) và {others}; toàn bộ giá trị tính cho "
                   f"{_name(new, dest)} / divided, whole value given to the default {dest}")
    return "; ".join(out)


# ---------------------------------------------------------------- the commune_2025_report notebook

HISTORY = ["hn_so", "hn_luot_dv", "ty_le_dv_tham_du", "thu_nhap_bq", "ty_le_ho_ngheo", "ty_le_truong_chuan", "bac_si_van_dan",
           "quy_khuyen_hoc_so", "quy_khuyen_hoc_tien", "quy_vi_nguoi_ngheo_tien", "mai_am_tinh_thuong", "khen_thuong_tap_the", "khen_thuong_ca_nhan"]
HEADLINE = ["ty_le_dv_tham_du", "thu_nhap_bq", "ty_le_ho_ngheo", "ty_le_truong_chuan"]


@dataclass
class Commune2025Context:
    """A 2025 commune with its history re-expressed from the legacy communes it was formed from."""

    unit: Unit  # in the 2025 registry
    lang: str
    dataset: object
    obs: pd.DataFrame  # obs_2025 of this commune
    report: CrosswalkReport
    ind: pd.DataFrame
    old_rows: pd.DataFrame  # the legacy rows it rests on (for the banner, sources, hash)
    years: list

    @property
    def cat(self) -> Catalogue:
        return self.dataset.catalogue

    @property
    def province(self) -> Unit:
        return current().unit(self.unit.province)

    @property
    def info(self) -> pd.Series:
        return self.report.communes.set_index("new_code").loc[self.unit.code]

    def w(self, vi: str, en: str) -> str:
        return t(vi, en, self.lang)

    def value(self, code: str, year: int) -> float:
        d = self.ind
        hit = d[(d["indicator"] == code) & (d["year"] == year) & (d["category"] == "")]["value"]
        return float(hit.iloc[0]) if len(hit) else float("nan")

    def fmt(self, code: str, value: float, with_unit: bool = True) -> str:
        from baocao.report import format_indicator

        return format_indicator(self.cat, code, value, self.lang, with_unit)

    @property
    def illustrative(self) -> bool:
        src = self.old_rows["source"].fillna("").str.lower()
        return bool(src.str.contains("|".join(ILLUSTRATIVE_MARKERS)).any())

    def input_hash(self) -> str:
        rows = self.old_rows.drop(columns=["file", "line"], errors="ignore")
        text = rows.sort_values(["unit", "year", "element", "category"]).to_csv(index=False)
        return hashlib.sha256(text.encode()).hexdigest()[:12]


def open_commune_2025(commune: str = "Thoại Sơn", lang: str = "vi", data_dir: str = "") -> Commune2025Context:
    from baocao.aggregate import aggregate, indicators

    lang = _lang(lang)
    reg = current()
    try:
        unit = reg.get(str(commune).strip(), level="commune")
    except LookupError as exc:
        raise ReportError(f"{exc} (danh mục đơn vị từ 1/7/2025 / the unit list in force from 1 July 2025)") from None
    ds = load_data(data_dir)
    obs_2025, rep = to_2025(ds.observations, ds.catalogue)
    if unit.code not in set(rep.communes["new_code"]):
        have = ", ".join(f"{r.new_name} ({r.new_code})" for r in rep.communes.itertuples()) or "không có / none"
        raise ReportError(
            f"Số liệu hiện có không có xã cũ nào hợp thành {unit.name} ({unit.code}) / the data hold no old commune of "
            f"{unit.name} ({unit.code}). Các xã mới có số liệu / 2025 communes with data: {have}"
        )
    mine = obs_2025[obs_2025["unit"] == unit.code]
    olds = [c.strip() for c in rep.communes.set_index("new_code").at[unit.code, "old_codes"].split(",") if c.strip()]
    old_rows = ds.observations[ds.observations["unit"].isin(olds)]
    agg = aggregate(mine, ds.catalogue, reg, [unit.code])
    ind = indicators(agg, ds.catalogue)
    years = sorted(int(y) for y in mine["year"].unique())
    return Commune2025Context(unit, lang, ds, mine, rep, ind[ind["unit"] == unit.code], old_rows, years)


def open_report(kind: str, namespace: dict) -> Commune2025Context:
    """First call of ``commune_2025_report``: check parameters, load, re-express, compute
    (the kind's opener, from the registry :mod:`baocao.kinds`)."""
    return kinds.open_context(kind, namespace)


def report_title(ctx: Commune2025Context) -> str:
    return ctx.w(f"Số liệu theo đơn vị hành chính mới — {ctx.unit.name}, {ctx.province.name}",
                 f"History on the 2025 units — {ctx.unit.label('en')}, {ctx.province.short}")


def summary(ctx: Commune2025Context) -> dict:
    """Title and headline for the build index: the years with data and the old units merged."""
    years = f"{ctx.years[0]}–{ctx.years[-1]}" if ctx.years else "–"
    olds = [c.strip() for c in ctx.info["old_codes"].split(",") if c.strip()]
    return {"title": report_title(ctx), "headline": [[ctx.w("Các năm", "Years"), years],
                                                     [ctx.w("Đơn vị cũ", "Old units"), fmt.number(len(olds), 0, ctx.lang)]]}


def banner(ctx: Commune2025Context) -> str:
    if not ctx.illustrative:
        return ""
    return ('<div class="banner-illustrative" role="note"><strong>' + ctx.w("Số liệu minh họa.", "Illustrative data.") + "</strong> "
            + ctx.w("Số liệu của các xã cũ trong báo cáo này được sinh tự động để minh họa (không phải số liệu thật); vì vậy số liệu tính lại cho xã mới cũng chỉ là minh họa.",
                    "The old communes' figures in this report are generated for illustration (not real data), so the figures re-expressed for the new commune are illustrative too.")
            + "</div>")


def title_block(ctx: Commune2025Context) -> Html:
    years = f"{ctx.years[0]}–{ctx.years[-1]}" if ctx.years else "–"
    title = report_title(ctx)
    sources = sorted(set(ctx.old_rows["source"].fillna("")) - {""})
    items = "".join(f"<li>{escape(s)}</li>" for s in sources)
    return Html(
        f'<h1 class="report-title">{escape(title)}</h1>'
        f'<p class="meta"><strong>{ctx.w("Đơn vị", "Unit")}:</strong> {escape(ctx.province.name)} › {escape(ctx.unit.name)} '
        f'({ctx.w("mã", "code")} {escape(ctx.unit.code)}, {ctx.w("danh mục từ 1/7/2025", "unit list from 1 July 2025")}) · '
        f'<strong>{ctx.w("Các năm", "Years")}:</strong> {years}</p>'
        + banner(ctx)
        + f'<details class="sources"><summary>{ctx.w("Nguồn số liệu", "Data sources")}</summary><ul>{items}</ul></details>'
    )


def formation(ctx: Commune2025Context) -> Html:
    """The old communes the new one was formed from (crosswalk of the vietnamadminunits package)."""
    old = legacy()
    info = ctx.info
    codes = [c.strip() for c in info["old_codes"].split(",") if c.strip()]
    rows = []
    for c in codes:
        u = old.unit(c)
        rows.append({ctx.w("Mã cũ", "Old code"): c, ctx.w("Xã, thị trấn cũ", "Old commune"): u.name,
                     ctx.w("Huyện cũ", "Old district"): old.unit(u.parent).name, ctx.w("Tỉnh cũ", "Old province"): old.unit(u.province).name})
    names = ", ".join(f"{old.unit(c).name} ({c})" for c in codes)
    text = ctx.w(f"{ctx.unit.name} (mã {ctx.unit.code} trong danh mục mới) được thành lập từ {len(codes)} đơn vị cũ: {names}.",
                 f"{ctx.unit.label('en')} (code {ctx.unit.code} in the new list) was formed from {len(codes)} old units: {names}.")
    if ctx.unit.code in codes:
        text += ctx.w(f" Mã {ctx.unit.code} của danh mục mới trùng số với mã cũ của {old.unit(ctx.unit.code).name}: mã chỉ có nghĩa cùng với danh mục của nó.",
                      f" Code {ctx.unit.code} of the new list is the number of the old {old.unit(ctx.unit.code).name}: a code only means something with its list.")
    return Html(f"<p>{escape(text)}</p>" + html_table(pd.DataFrame(rows), numeric=[]))


def approximation(ctx: Commune2025Context) -> Html:
    """Whether the re-expressed values are exact sums or approximate (a divided old commune)."""
    info = ctx.info
    if info["approximate"]:
        text = ctx.w(
            f"XẤP XỈ: một xã cũ bị chia cho nhiều xã mới. Quy tắc: toàn bộ giá trị của xã cũ đó được tính cho xã mới mặc định của bảng chuyển đổi, các xã mới khác không nhận phần nào. {info['divided_old']}.",
            f"APPROXIMATE: an old commune was divided between several new ones. Rule: its whole value goes to the crosswalk's default new commune, the others get none. {info['divided_old']}.",
        )
        return Html(f'<p class="approximate" role="note"><strong>{escape(text.split(":", 1)[0])}:</strong>{escape(text.split(":", 1)[1])}</p>')
    text = ctx.w(
        "Không xấp xỉ: mọi xã cũ hợp thành được nhập nguyên vẹn vào xã mới này, nên số liệu cộng được là tổng đúng của các xã cũ; thu nhập bình quân là bình quân gia quyền theo dân số.",
        "Not approximate: every old commune went whole into this new commune, so counts are exact sums of the old communes; income per capita is the population-weighted mean.",
    )
    return Html(f'<p class="approximate">{escape(text)}</p>')


def headline(ctx: Commune2025Context, codes: list[str] | None = None) -> Html:
    year = ctx.years[-1] if ctx.years else None
    cards = [(f"{ctx.cat.indicator(c).short(ctx.lang)} {year}", ctx.fmt(c, ctx.value(c, year)), "") for c in (codes or HEADLINE)
             if year is not None and not np.isnan(ctx.value(c, year))]
    return _cards(cards)


def history_table(ctx: Commune2025Context, codes: list[str] | None = None) -> Html:
    """The indicators of the new commune by year, computed from the re-expressed elements."""
    rows = []
    for code in codes or HISTORY:
        ind = ctx.cat.indicator(code)
        vals = [ctx.value(code, y) for y in ctx.years]
        if all(np.isnan(v) for v in vals):
            continue
        row = {ctx.w("Chỉ tiêu", "Indicator"): f"{ind.name(ctx.lang)} ({ind.unit(ctx.lang)})"}
        for y, v in zip(ctx.years, vals):
            row[str(y)] = ctx.fmt(code, v, with_unit=False)
        rows.append(row)
    df = pd.DataFrame(rows)
    cap = ctx.w("Tỷ lệ tính sau khi cộng tử số và mẫu số của các xã cũ (tỷ số của các tổng); bác sĩ chỉ gồm bác sĩ ghi cho xã (không gồm bệnh viện huyện).",
                "Rates are computed after summing numerators and denominators over the old communes (ratio of sums); doctors are those recorded for communes only (not the district hospital).")
    return html_table(df, numeric=[str(y) for y in ctx.years], caption=cap)


@_chart
def _trend(ctx: Commune2025Context, code: str, df: pd.DataFrame):
    ind = ctx.cat.indicator(code)
    return charts.trend(df, title=f"{ind.name(ctx.lang)} ({ind.unit(ctx.lang)}) — {ctx.unit.name}", value_label=ind.unit(ctx.lang),
                        decimals=ind.decimals, lang=ctx.lang, target=ind.target, suffix="%" if ind.unit_vi == "%" else "")


def chart_trend(ctx: Commune2025Context, code: str) -> Chart | Html:
    df = pd.DataFrame({"year": ctx.years, "value": [ctx.value(code, y) for y in ctx.years]})
    if df["value"].notna().sum() == 0:
        return Html(f"<p>{escape(ctx.w('Không có số liệu.', 'No data.'))}</p>")
    return _trend(ctx, code, df)


def not_reexpressed(ctx: Commune2025Context) -> Html:
    """What the old units recorded that this commune's history does not carry, and why."""
    old = legacy()
    codes = [c.strip() for c in ctx.info["old_codes"].split(",") if c.strip()]
    districts = {old.unit(c).parent for c in codes}
    d = ctx.report.not_reexpressed
    scope = d[d["unit"].isin(codes) | d["unit"].isin(districts) | (d["new_code"] == ctx.unit.code)]
    if scope.empty:
        return Html(f"<p>{escape(ctx.w('Mọi số liệu của các xã cũ đều được chuyển sang xã mới.', 'Every figure of the old communes is carried over.'))}</p>")
    rows = []
    for (reason, element), g in scope.groupby(["reason", "element"], sort=True):
        units = ", ".join(dict.fromkeys(f"{_name(old, u)} ({u})" for u in g["unit"] for u in u.split(",")))
        first = g.iloc[0]
        rows.append({
            ctx.w("Chỉ tiêu", "Element"): ctx.cat.element(element).name(ctx.lang) + f" ({element})",
            ctx.w("Đơn vị ghi số liệu", "Recorded for"): units,
            ctx.w("Năm", "Years"): ", ".join(str(y) for y in sorted(set(g["year"]))),
            ctx.w("Lý do", "Reason"): first["reason_vi"] if ctx.lang == "vi" else first["reason_en"],
        })
    text = ctx.w("Các số liệu sau không chuyển được sang xã mới và không có trong lịch sử ở trên:",
                 "These figures cannot be carried over to the new commune and are not in the history above:")
    return Html(f"<p>{escape(text)}</p>" + html_table(pd.DataFrame(rows)))


def footer(ctx: Commune2025Context) -> Html:
    from baocao import __version__

    text = ctx.w(
        f"Bảng chuyển đổi: gói vietnamadminunits · số liệu {ctx.years[0]}–{ctx.years[-1]} · mã kiểm tra số liệu đầu vào {ctx.input_hash()} · baocao {__version__}",
        f"Crosswalk: package vietnamadminunits · data {ctx.years[0]}–{ctx.years[-1]} · input check code {ctx.input_hash()} · baocao {__version__}",
    )
    from baocao.report import INPUT_CHECK

    return Html(f'<footer class="report-footer"><p>{escape(text)}</p><p class="footer-note">{escape(INPUT_CHECK[ctx.lang])}</p></footer>')
