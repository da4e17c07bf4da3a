"""The ``commune_2025_report`` notebook: a 2025 commune with its history re-expressed from the
legacy communes it was formed from (:mod:`baocao.data.crosswalk`). One function per cell, like
:mod:`baocao.reports.local.district`.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
from markupsafe import escape

from baocao import fmt
from baocao.data.crosswalk import CrosswalkReport, to_2025, unit_name
from baocao.data.provenance import is_illustrative
from baocao.data.units import Unit, current, legacy
from baocao.reports import kit
from baocao.reports.kit import (
    ROW_KEYS,
    Chart,
    Html,
    ReportContext,
    ReportError,
    canonical_csv,
    cards_html,
    check_lang,
    html_table,
    load_data,
    short_hash,
    sources_html,
    title_html,
)

open_report = kit.open_report  # the notebook's first call (the same for every report family)

HISTORY = [
    "hn_so",
    "hn_luot_dv",
    "ty_le_dv_tham_du",
    "thu_nhap_bq",
    "ty_le_ho_ngheo",
    "ty_le_truong_chuan",
    "bac_si_van_dan",
    "quy_khuyen_hoc_so",
    "quy_khuyen_hoc_tien",
    "quy_vi_nguoi_ngheo_tien",
    "mai_am_tinh_thuong",
    "khen_thuong_tap_the",
    "khen_thuong_ca_nhan",
]
HEADLINE = ["ty_le_dv_tham_du", "thu_nhap_bq", "ty_le_ho_ngheo", "ty_le_truong_chuan"]


@dataclass(kw_only=True)
class Commune2025Context(ReportContext):
    """A 2025 commune with its history re-expressed from the legacy communes it was formed from;
    ``ind``: its indicators by year."""

    unit: Unit  # in the 2025 registry
    obs: pd.DataFrame  # obs_2025 of this commune
    report: CrosswalkReport
    old_rows: pd.DataFrame  # the legacy rows it rests on (for the banner, sources, hash)
    years: list

    @property
    def province(self) -> Unit:
        return current().unit(self.unit.province)

    @property
    def info(self) -> pd.Series:
        return self.report.communes.set_index("new_code").loc[self.unit.code]

    @property
    def illustrative(self) -> bool:
        return bool(is_illustrative(self.old_rows["source"]).any())

    def input_hash(self) -> str:
        return short_hash(canonical_csv(self.old_rows, ROW_KEYS))


def open_commune_2025(commune: str = "Thoại Sơn", lang: str = "vi", data_dir: str = "") -> Commune2025Context:
    from baocao.data.aggregate import aggregate, indicators

    lang = check_lang(lang)
    reg = current()
    try:
        unit = reg.get(str(commune).strip(), level="commune")
    except LookupError as exc:
        raise ReportError(
            f"{exc} (danh mục đơn vị từ 1/7/2025 / the unit list in force from 1 July 2025)"
        ) from None
    ds = load_data(data_dir)
    obs_2025, rep = to_2025(ds.observations, ds.catalogue)
    if unit.code not in set(rep.communes["new_code"]):
        have = (
            ", ".join(f"{r.new_name} ({r.new_code})" for r in rep.communes.itertuples()) or "không có / none"
        )
        raise ReportError(
            f"Số liệu hiện có không có xã cũ nào hợp thành {unit.name} ({unit.code}) / the data hold no old "
            "commune of "
            f"{unit.name} ({unit.code}). Các xã mới có số liệu / 2025 communes with data: {have}"
        )
    mine = obs_2025[obs_2025["unit"] == unit.code]
    olds = [
        c.strip()
        for c in rep.communes.set_index("new_code").at[unit.code, "old_codes"].split(",")
        if c.strip()
    ]
    old_rows = ds.observations[ds.observations["unit"].isin(olds)]
    agg = aggregate(mine, ds.catalogue, reg, [unit.code])
    ind = indicators(agg, ds.catalogue)
    years = sorted(int(y) for y in mine["year"].unique())
    return Commune2025Context(
        kind="commune_2025",
        lang=lang,
        dataset=ds,
        ind=ind[ind["unit"] == unit.code],
        unit=unit,
        obs=mine,
        report=rep,
        old_rows=old_rows,
        years=years,
    )


def report_title(ctx: Commune2025Context) -> str:
    return ctx.in_lang(
        f"Số liệu theo đơn vị hành chính mới — {ctx.unit.name}, {ctx.province.name}",
        f"History on the 2025 units — {ctx.unit.label('en')}, {ctx.province.short}",
    )


def summary(ctx: Commune2025Context) -> dict:
    """Title and headline for the build index: the years with data and the old units merged."""
    years = f"{ctx.years[0]}–{ctx.years[-1]}" if ctx.years else "–"
    olds = [c.strip() for c in ctx.info["old_codes"].split(",") if c.strip()]
    return {
        "title": report_title(ctx),
        "headline": [
            [ctx.in_lang("Các năm", "Years"), years],
            [ctx.in_lang("Đơn vị cũ", "Old units"), fmt.number(len(olds), 0, ctx.lang)],
        ],
    }


def banner(ctx: Commune2025Context) -> str:
    if not ctx.illustrative:
        return ""
    return (
        '<div class="banner-illustrative" role="note"><strong>'
        + ctx.in_lang("Số liệu minh họa.", "Illustrative data.")
        + "</strong> "
        + ctx.in_lang(
            "Số liệu của các xã cũ trong báo cáo này được sinh tự động để minh họa (không phải số liệu "
            "thật); vì vậy số liệu tính lại cho xã mới cũng chỉ là minh họa.",
            "The old communes' figures in this report are generated for illustration (not real data), so the "
            "figures re-expressed for the new commune are illustrative too.",
        )
        + "</div>"
    )


def title_block(ctx: Commune2025Context) -> Html:
    years = f"{ctx.years[0]}–{ctx.years[-1]}" if ctx.years else "–"
    sources = sorted(set(ctx.old_rows["source"].fillna("")) - {""})
    meta = (
        f"<strong>{ctx.in_lang('Đơn vị', 'Unit')}:</strong> {escape(ctx.province.name)} › "
        f"{escape(ctx.unit.name)} "
        f"({ctx.in_lang('mã', 'code')} {escape(ctx.unit.code)}, "
        f"{ctx.in_lang('danh mục từ 1/7/2025', 'unit list from 1 July 2025')}) · "
        f"<strong>{ctx.in_lang('Các năm', 'Years')}:</strong> {years}"
    )
    return Html(
        title_html(report_title(ctx), meta)
        + banner(ctx)
        + sources_html(ctx.in_lang("Nguồn số liệu", "Data sources"), sources)
    )


def formation(ctx: Commune2025Context) -> Html:
    """The old communes the new one was formed from (crosswalk of the vietnamadminunits package)."""
    old = legacy()
    info = ctx.info
    codes = [c.strip() for c in info["old_codes"].split(",") if c.strip()]
    rows = []
    for c in codes:
        u = old.unit(c)
        rows.append(
            {
                ctx.in_lang("Mã cũ", "Old code"): c,
                ctx.in_lang("Xã, thị trấn cũ", "Old commune"): u.name,
                ctx.in_lang("Huyện cũ", "Old district"): old.unit(u.parent).name,
                ctx.in_lang("Tỉnh cũ", "Old province"): old.unit(u.province).name,
            }
        )
    names = ", ".join(f"{old.unit(c).name} ({c})" for c in codes)
    text = ctx.in_lang(
        f"{ctx.unit.name} (mã {ctx.unit.code} trong danh mục mới) được thành lập từ {len(codes)} đơn vị cũ: "
        f"{names}.",
        f"{ctx.unit.label('en')} (code {ctx.unit.code} in the new list) was formed from {len(codes)} old "
        f"units: {names}.",
    )
    if ctx.unit.code in codes:
        text += ctx.in_lang(
            f" Mã {ctx.unit.code} của danh mục mới trùng số với mã cũ của {old.unit(ctx.unit.code).name}: mã "
            "chỉ có nghĩa cùng với danh mục của nó.",
            f" Code {ctx.unit.code} of the new list is the number of the old {old.unit(ctx.unit.code).name}: "
            "a code only means something with its list.",
        )
    return Html(f"<p>{escape(text)}</p>" + html_table(pd.DataFrame(rows), numeric=[]))


def approximation(ctx: Commune2025Context) -> Html:
    """Whether the re-expressed values are exact sums or approximate (a divided old commune)."""
    info = ctx.info
    if info["approximate"]:
        text = ctx.in_lang(
            "XẤP XỈ: một xã cũ bị chia cho nhiều xã mới. Quy tắc: toàn bộ giá trị của xã cũ đó được tính "
            "cho xã mới mặc định của bảng chuyển đổi, các xã mới khác không nhận phần nào. "
            f"{info['divided_old']}.",
            "APPROXIMATE: an old commune was divided between several new ones. Rule: its whole value goes "
            f"to the crosswalk's default new commune, the others get none. {info['divided_old']}.",
        )
        return Html(
            '<p class="approximate" '
            f'role="note"><strong>{escape(text.split(":", 1)[0])}:</strong>'
            f"{escape(text.split(':', 1)[1])}</p>"
        )
    text = ctx.in_lang(
        "Không xấp xỉ: mọi xã cũ hợp thành được nhập nguyên vẹn vào xã mới này, nên số liệu cộng được là "
        "tổng đúng của các xã cũ; thu nhập bình quân là bình quân gia quyền theo dân số.",
        "Not approximate: every old commune went whole into this new commune, so counts are exact sums of "
        "the old communes; income per capita is the population-weighted mean.",
    )
    return Html(f'<p class="approximate">{escape(text)}</p>')


def headline(ctx: Commune2025Context, codes: list[str] | None = None) -> Html:
    year = ctx.years[-1] if ctx.years else None
    cards = [
        (f"{ctx.cat.indicator(c).short(ctx.lang)} {year}", ctx.fmt(c, ctx.value(c, year=year)), "")
        for c in (codes or HEADLINE)
        if year is not None and not np.isnan(ctx.value(c, year=year))
    ]
    return cards_html(cards)


def history_table(ctx: Commune2025Context, codes: list[str] | None = None) -> Html:
    """The indicators of the new commune by year, computed from the re-expressed elements."""
    rows = []
    for code in codes or HISTORY:
        ind = ctx.cat.indicator(code)
        vals = [ctx.value(code, year=y) for y in ctx.years]
        if all(np.isnan(v) for v in vals):
            continue
        row = {ctx.in_lang("Chỉ tiêu", "Indicator"): f"{ind.name(ctx.lang)} ({ind.unit(ctx.lang)})"}
        for y, v in zip(ctx.years, vals):
            row[str(y)] = ctx.fmt(code, v, with_unit=False)
        rows.append(row)
    df = pd.DataFrame(rows)
    cap = ctx.in_lang(
        "Tỷ lệ tính sau khi cộng tử số và mẫu số của các xã cũ (tỷ số của các tổng); bác sĩ chỉ gồm bác sĩ "
        "ghi cho xã (không gồm bệnh viện huyện).",
        "Rates are computed after summing numerators and denominators over the old communes (ratio of sums); "
        "doctors are those recorded for communes only (not the district hospital).",
    )
    return html_table(df, numeric=[str(y) for y in ctx.years], caption=cap)


def chart_trend(ctx: Commune2025Context, code: str) -> Chart | Html:
    df = pd.DataFrame({"year": ctx.years, "value": [ctx.value(code, year=y) for y in ctx.years]})
    if df["value"].notna().sum() == 0:
        return Html(f"<p>{escape(ctx.in_lang('Không có số liệu.', 'No data.'))}</p>")
    ind = ctx.cat.indicator(code)
    suffix = "%" if ind.unit_vi == "%" else ""
    return kit.indicator_trend(ind, df, ctx.lang, where=ctx.unit.name, suffix=suffix, target=ind.target)


def not_reexpressed(ctx: Commune2025Context) -> Html:
    """What the old units recorded that this commune's history does not carry, and why."""
    old = legacy()
    codes = [c.strip() for c in ctx.info["old_codes"].split(",") if c.strip()]
    districts = {old.unit(c).parent for c in codes}
    d = ctx.report.not_reexpressed
    scope = d[d["unit"].isin(codes) | d["unit"].isin(districts) | (d["new_code"] == ctx.unit.code)]
    if scope.empty:
        return Html(
            "<p>"
            + escape(
                ctx.in_lang(
                    "Mọi số liệu của các xã cũ đều được chuyển sang xã mới.",
                    "Every figure of the old communes is carried over.",
                )
            )
            + "</p>"
        )
    rows = []
    for (reason, element), g in scope.groupby(["reason", "element"], sort=True):
        units = ", ".join(
            dict.fromkeys(f"{unit_name(old, u)} ({u})" for u in g["unit"] for u in u.split(","))
        )
        first = g.iloc[0]
        rows.append(
            {
                ctx.in_lang("Chỉ tiêu", "Element"): ctx.cat.element(element).name(ctx.lang) + f" ({element})",
                ctx.in_lang("Đơn vị ghi số liệu", "Recorded for"): units,
                ctx.in_lang("Năm", "Years"): ", ".join(str(y) for y in sorted(set(g["year"]))),
                ctx.in_lang("Lý do", "Reason"): first["reason_vi"]
                if ctx.lang == "vi"
                else first["reason_en"],
            }
        )
    text = ctx.in_lang(
        "Các số liệu sau không chuyển được sang xã mới và không có trong lịch sử ở trên:",
        "These figures cannot be carried over to the new commune and are not in the history above:",
    )
    return Html(f"<p>{escape(text)}</p>" + html_table(pd.DataFrame(rows)))


def footer(ctx: Commune2025Context) -> Html:
    """The crosswalk, the years of data, the input check code and the version."""
    span = f"{ctx.years[0]}–{ctx.years[-1]}"
    return ctx.footer(
        f"Bảng chuyển đổi: gói vietnamadminunits · số liệu {span}",
        f"Crosswalk: package vietnamadminunits · data {span}",
    )
