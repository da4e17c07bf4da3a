"""What the report notebooks call: one function per cell, DataFrames / Figures / HTML out."""

from __future__ import annotations

import pandas as pd

from baocao import fmt
from baocao.catalogue import Catalogue

VERDICT_LABELS = {
    "vi": {"match": "khớp", "rounding difference": "chênh do làm tròn", "mismatch": "không khớp", "no data": "không có số liệu", "": ""},
    "en": {"match": "match", "rounding difference": "rounding difference", "mismatch": "mismatch", "no data": "no data", "": ""},
}


def format_indicator(catalogue: Catalogue, code: str, value: float, lang: str = "vi", with_unit: bool = True) -> str:
    """An indicator value in the report language, with its unit; money as ``21 tỷ đồng``."""
    ind = catalogue.indicator(code)
    if code.endswith("_tien") and with_unit:
        return fmt.money_vnd_million(value, lang)
    return fmt.with_unit(value, ind.unit(lang), ind.decimals, lang) if with_unit else fmt.number(value, ind.decimals, lang)


def t(vi: str, en: str, lang: str) -> str:
    return vi if lang == "vi" else en


def figure_label(catalogue: Catalogue, kind: str, code: str, category: str, lang: str = "vi") -> str:
    item = catalogue.indicator(code) if kind == "indicator" else catalogue.element(code)
    label = item.name(lang)
    el = catalogue.element(item.numerator) if kind == "indicator" else item
    if category and el.category_set:
        label += " — " + catalogue.categories[el.category_set].option(category).short(lang)
    return label


def _value(catalogue: Catalogue, kind: str, code: str, value: float, decimals: int, lang: str) -> str:
    unit = (catalogue.indicator(code) if kind == "indicator" else catalogue.element(code)).unit(lang)
    return fmt.with_unit(value, unit, max(decimals, 0), lang)


def reconciliation_table(rec: pd.DataFrame, catalogue: Catalogue, lang: str = "vi") -> pd.DataFrame:
    """The reconciliation as a readable table (text cells in the report language)."""
    rows = []
    for r in rec.itertuples(index=False):
        d = max(int(r.decimals), 0)
        gap_dec = d + 2 if r.verdict == "rounding difference" else d
        rows.append(
            {
                t("Mã", "Id", lang): r.id,
                t("Số liệu", "Figure", lang): figure_label(catalogue, r.kind, r.code, r.category, lang),
                t("Kỳ", "Period", lang): r.period,
                t("Công bố", "Published", lang): _value(catalogue, r.kind, r.code, r.published, d, lang),
                t("Tính từ số liệu", "Computed", lang): _value(catalogue, r.kind, r.code, r.computed, d + (2 if r.verdict != "match" and d > 0 else 0), lang),
                t("Chênh lệch", "Gap", lang): fmt.number(0 if abs(r.gap) < 0.5 * 10.0**-gap_dec else r.gap, gap_dec, lang) if not pd.isna(r.gap) else "–",
                t("Kết luận", "Verdict", lang): VERDICT_LABELS[lang][r.verdict],
                t("Tổng các thành phần công bố", "Sum of published components", lang): (
                    f"{fmt.number(r.components_sum, d, lang)} ({VERDICT_LABELS[lang][r.components_verdict]})" if r.components else ""
                ),
            }
        )
    return pd.DataFrame(rows)


# ---------------------------------------------------------------- report context

import difflib  # noqa: E402
import functools  # noqa: E402
import hashlib  # noqa: E402
import inspect  # noqa: E402
from dataclasses import dataclass, field  # noqa: E402
from functools import lru_cache  # noqa: E402

import numpy as np  # noqa: E402
from markupsafe import escape  # noqa: E402

from baocao import charts  # noqa: E402
from baocao.aggregate import aggregate, indicators  # noqa: E402
from baocao.reconcile import reconcile  # noqa: E402
from baocao.units import Unit  # noqa: E402


class ReportError(Exception):
    """A wrong parameter or missing data: shown in the notebook as one clear message, no traceback."""

    def _render_traceback_(self):  # IPython shows this instead of the traceback
        return [f"\033[1;31m{type(self).__name__}\033[0m: {self}"]


class Html(str):
    """A piece of HTML that notebooks display as such. ``meta`` (JSON-able) goes into the
    output's metadata under ``baocao``: the builder reads the report summary from there."""

    meta: dict | None = None

    def _repr_html_(self):
        return (str(self), {"baocao": self.meta}) if self.meta else str(self)

    def __repr__(self) -> str:
        return "<baocao HTML>"


class Chart:
    """A chart Figure as notebooks show it: a PNG made here, the same bytes whatever the
    kernel's inline-backend settings are. The Figure itself is ``.figure``."""

    def __init__(self, figure):
        self.figure = figure

    def png(self) -> bytes:
        import io

        from baocao.charts import compact_png

        buf = io.BytesIO()
        self.figure.savefig(buf, format="png", metadata={"Software": None})
        return compact_png(buf.getvalue())  # large charts with a palette: the page stays under 1,5 MB

    def _repr_png_(self):
        # the alt text (what the chart shows and its key figure) travels in the output's metadata
        from baocao.charts import alt_text

        alt = alt_text(self.figure)
        return (self.png(), {"alt": alt}) if alt else self.png()

    def __repr__(self) -> str:
        title = self.figure._suptitle.get_text() if self.figure._suptitle else ""
        return f"<chart: {title}>"


def _chart(fn):
    import functools

    @functools.wraps(fn)
    def wrapper(*args, **kwargs):
        return Chart(fn(*args, **kwargs))

    return wrapper


ILLUSTRATIVE_MARKERS = ("minh họa", "illustrative")
SOCIO = ["thu_nhap_bq", "ty_le_ho_ngheo", "ty_le_truong_chuan", "bac_si_van_dan"]
HEADLINES_DISTRICT = ["hn_so", "hn_luot_dv", "ty_le_dv_tham_du", "thu_nhap_bq", "ty_le_ho_ngheo", "ty_le_truong_chuan", "bac_si_van_dan", "so_xa_ntm"]
COMMUNE_INDICATORS = ["ty_le_dv_tham_du", "hn_so", "hn_luot_dv", "thu_nhap_bq", "ty_le_ho_ngheo", "ty_le_truong_chuan", "bac_si_van_dan", "quy_khuyen_hoc_tien", "khen_thuong_ca_nhan"]
WELFARE = ["quy_khuyen_hoc_so", "quy_khuyen_hoc_tien", "quy_vi_nguoi_ngheo_tien", "mai_am_tinh_thuong", "doi_thoai_so", "doi_thoai_dai_bieu", "khen_thuong_tap_the", "khen_thuong_ca_nhan", "so_xa_ntm", "so_xa_ntm_nang_cao", "so_xa_ntm_kieu_mau"]


@dataclass
class Context:
    """Everything a report shows, computed once when the report opens."""

    kind: str
    unit: Unit
    district: Unit
    year: int
    lang: str
    dataset: object
    agg: pd.DataFrame
    ind: pd.DataFrame
    communes: list = field(default_factory=list)
    compare: str = "ty_le_dv_tham_du"

    @property
    def cat(self) -> Catalogue:
        return self.dataset.catalogue

    def w(self, vi: str, en: str) -> str:
        return t(vi, en, self.lang)

    def value(self, code: str, unit: str | None = None, year: int | None = None, category: str = "") -> float:
        return self._values.get((code, str(unit or self.unit.code), int(year or self.year), category), float("nan"))

    @functools.cached_property
    def _values(self) -> dict:
        """(indicator, unit, year, category) -> value; the first row wins, as a filter would give."""
        d = self.ind
        keys = zip(d["indicator"], d["unit"].astype(str), d["year"].astype(int), d["category"])
        out: dict = {}
        for key, v in zip(keys, d["value"].astype(float)):
            out.setdefault(key, v)
        return out

    def fmt(self, code: str, value: float, with_unit: bool = True) -> str:
        return format_indicator(self.cat, code, value, self.lang, with_unit)

    def rows_used(self) -> pd.DataFrame:
        obs = self.dataset.observations
        scope = {self.district.code, *(u.code for u in self.communes)}
        return obs[obs["unit"].isin(scope) & (obs["year"] <= self.year)]

    @property
    def illustrative(self) -> bool:
        src = self.rows_used()["source"].str.lower()
        return bool(src.str.contains("|".join(ILLUSTRATIVE_MARKERS)).any())

    def input_hash(self) -> str:
        rows = self.rows_used().drop(columns=["file", "line"], errors="ignore")
        text = rows.sort_values(["unit", "year", "element", "category"]).to_csv(index=False)
        return hashlib.sha256(text.encode()).hexdigest()[:12]


@lru_cache(maxsize=4)
def _load_cached(data_dir: str, stamp: tuple):
    from baocao.io.dataset import load

    if not data_dir:
        return load()
    from pathlib import Path

    d = Path(data_dir)
    return load(sorted(d.glob("observations*.csv")), sorted(d.glob("published*.csv")))


def load_data(data_dir: str = ""):
    """The dataset, loaded once per process while its files are unchanged.

    A relative ``data_dir`` is relative to the project folder (as ``gso_dir`` is), not to
    the working directory: notebooks run in ``notebooks/``."""
    from pathlib import Path

    from baocao import config
    from baocao.io.dataset import data_stamp

    if data_dir and not Path(data_dir).is_absolute():
        data_dir = str(config.home() / data_dir)
    return _load_cached(data_dir, data_stamp(data_dir))


def input_fingerprint(kind: str, unit: str, year: int, data_dir: str = "") -> str:
    """Content hash (sha256 hex) of exactly what a report of ``kind`` for ``unit`` and ``year`` reads.

    That is the catalogue, the published figures, the validation problems and row count of
    the whole data set (every report states them), and the observation rows of the unit's
    district and its communes with year <= ``year`` (a canonical CSV of the sorted subset,
    without file name or line number). Editing one commune's 2024 row changes the
    fingerprint of that district's 2024 reports only. Builders use it to skip unchanged reports.
    """
    ds = load_data(data_dir)
    reg = ds.registry
    u = reg.unit(str(unit))
    district = next((reg.unit(c) for c in reg.path(u.code) if reg.level_of(c) == "district"), u)
    scope = {district.code, *(c.code for c in reg.children(district.code))}
    obs = ds.observations
    rows = obs[obs["unit"].isin(scope) & (obs["year"] <= int(year))].drop(columns=["file", "line"], errors="ignore")
    rows = rows.sort_values(["unit", "year", "element", "category"], kind="stable")
    pub = ds.published.drop(columns=["file"], errors="ignore")
    h = hashlib.sha256()
    for part in (f"{kind}|{u.code}|{district.code}|{int(year)}|{len(obs)}", repr(ds.catalogue), pub.to_csv(index=False), ds.problems.to_csv(index=False), rows.to_csv(index=False)):
        h.update(part.encode())
        h.update(b"\0")
    return h.hexdigest()


def user_parameters(namespace: dict) -> dict:
    """The notebook's parameters: its user variables (papermill injects them as globals)."""
    skip = {"In", "Out", "get_ipython", "exit", "quit", "open"}
    return {
        k: v for k, v in namespace.items()
        if not k.startswith("_") and k not in skip and (v is None or isinstance(v, (str, int, float, bool)))
    }


def _check_names(opener, params: dict) -> None:
    allowed = [p for p in inspect.signature(opener).parameters]
    for name in params:
        if name not in allowed:
            close = difflib.get_close_matches(name, allowed, n=1)
            hint = f" Có phải '{close[0]}'? / Did you mean '{close[0]}'?" if close else ""
            raise ReportError(f"Tham số lạ '{name}' / unknown parameter '{name}'. Tham số hợp lệ / parameters: {', '.join(allowed)}.{hint}")


def open_report(kind: str, namespace: dict) -> Context:
    """First call of every report notebook: check parameters, load and validate data, compute."""
    openers = {"district": open_district, "commune": open_commune, "data_quality": open_data_quality}
    if kind not in openers:
        raise ReportError(f"unknown report kind {kind!r}")
    params = user_parameters(namespace)
    _check_names(openers[kind], params)
    return openers[kind](**params)


def _lang(lang) -> str:
    if lang not in ("vi", "en"):
        raise ReportError(f"lang phải là 'vi' hoặc 'en' / lang must be 'vi' or 'en', not {lang!r}")
    return lang


def _year(year) -> int:
    try:
        return int(str(year).strip())
    except ValueError:
        raise ReportError(f"Năm không hợp lệ / invalid year: {year!r}") from None


def _unit(ds, query, level: str) -> Unit:
    try:
        return ds.registry.get(query, level=level)
    except LookupError as exc:
        raise ReportError(str(exc)) from None


def _data_ok(ds) -> None:
    if not ds.ok:
        bad = ds.problems[ds.problems["importance"] == "blocking"].head(5)
        lines = "; ".join(f"{p.file}, dòng/row {p.row}, cột/column {p.column}: {p.message_vi} / {p.message_en}" for p in bad.itertuples())
        raise ReportError(f"Số liệu có lỗi, không lập báo cáo / the data have blocking problems, no report: {lines}")


def _context(kind, unit: Unit, district: Unit, year, lang, data_dir, compare="ty_le_dv_tham_du") -> Context:
    ds = load_data(data_dir)
    _data_ok(ds)
    communes, years, agg, ind = _district_frames(ds, district.code)
    if year not in years:
        have = ", ".join(str(y) for y in years) or "không có / none"
        raise ReportError(f"Không có số liệu năm {year} cho {district.name} / no data for {year}; có các năm / years with data: {have}")
    if compare not in ds.catalogue.indicators:
        close = difflib.get_close_matches(compare, list(ds.catalogue.indicators), n=1)
        raise ReportError(f"Chỉ số so sánh lạ '{compare}' / unknown indicator '{compare}'" + (f"; có phải '{close[0]}'?" if close else ""))
    return Context(kind, unit, district, year, lang, ds, agg.copy(), ind.copy(), communes, compare)


def _district_frames(ds, district_code: str) -> tuple:
    """Communes, years with data, aggregates and indicators of a district and its communes.

    The same for every report of the district (its commune reports rank every commune), so
    they are computed once per loaded data set (kept on it; a changed file is a new data set)."""
    cache = ds.__dict__.setdefault("_baocao_district_frames", {})
    if district_code not in cache:
        communes = ds.registry.children(district_code)
        scope = [district_code, *(u.code for u in communes)]
        obs = ds.observations[ds.observations["unit"].isin(scope)]
        agg = aggregate(obs, ds.catalogue, ds.registry, scope)
        cache[district_code] = (communes, sorted(obs["year"].unique()), agg, indicators(agg, ds.catalogue))
    communes, years, agg, ind = cache[district_code]
    return list(communes), years, agg, ind


def open_district(district: str = "Thoại Sơn", year: int = 2024, lang: str = "vi", compare: str = "ty_le_dv_tham_du", data_dir: str = "") -> Context:
    ds = load_data(data_dir)
    d = _unit(ds, district, "district")
    return _context("district", d, d, _year(year), _lang(lang), data_dir, compare)


def open_commune(commune: str = "Núi Sập", year: int = 2024, lang: str = "vi", data_dir: str = "") -> Context:
    ds = load_data(data_dir)
    c = _unit(ds, commune, "commune")
    return _context("commune", c, ds.registry.parent(c.code), _year(year), _lang(lang), data_dir)


def open_data_quality(district: str = "Thoại Sơn", year: int = 2024, lang: str = "vi", data_dir: str = "") -> Context:
    ds = load_data(data_dir)
    d = _unit(ds, district, "district")
    return _context("data_quality", d, d, _year(year), _lang(lang), data_dir)


# ---------------------------------------------------------------- blocks of HTML

from baocao.titles import REPORT_TITLES  # noqa: E402 - in a light module: build workers need the titles, not pandas


def report_title(ctx: Context) -> str:
    vi, en = REPORT_TITLES[ctx.kind]
    return f"{ctx.w(vi, en)} — {ctx.unit.label(ctx.lang)}, {ctx.year}"


def banner(ctx: Context) -> str:
    if not ctx.illustrative:
        return ""
    return (
        '<div class="banner-illustrative" role="note"><strong>'
        + ctx.w("Số liệu minh họa.", "Illustrative data.")
        + "</strong> "
        + ctx.w(
            "Số liệu cấp xã trong báo cáo này được sinh tự động để minh họa (không phải số liệu thật); tổng cấp huyện tái lập đúng các số liệu đã công bố.",
            "Commune figures in this report are generated for illustration (not real data); district totals reproduce the published figures.",
        )
        + "</div>"
    )


def sources(ctx: Context) -> list[str]:
    """The sources of the report's figures as a person would cite them: title, kind, year; the
    generated (illustrative) rows as one plain sentence; each source once."""
    out: dict[str, None] = {}
    for src in sorted(set(ctx.rows_used()["source"])):
        if any(m in src.lower() for m in ILLUSTRATIVE_MARKERS):
            out[ctx.w("Số liệu cấp xã minh họa: sinh tự động cho báo cáo này, không phải số liệu thật",
                      "Commune figures generated for illustration: made for this report, not real data")] = None
        else:
            out[_cite(src, ctx.lang)] = None
    pub = sorted(set(ctx.dataset.published["source"])) if len(ctx.dataset.published) else []
    for p in pub:
        cited = _cite(REPORT_SOURCES.get(p, p), ctx.lang)
        out.pop(cited, None)
        out[cited + ctx.w(" — cũng là nguồn các số liệu đã công bố dùng để đối chiếu", " — also the published figures the data are checked against")] = None
    return list(out)


REPORT_SOURCES = {"article": "Bài báo “Huyện Thoại Sơn (tỉnh An Giang) học tập và làm theo Bác bằng những việc làm thiết thực” (2024)"}


def _cite(source: str, lang: str) -> str:
    """``Bài báo “Tên” (2024)`` as a citation: ``“Tên”, bài báo, 2024`` (other sources unchanged)."""
    import re

    m = re.fullmatch(r"\s*(Bài báo|Báo cáo|Văn bản|Article|Report)\s+(“[^”]+”)\s*\((\d{4})\)\s*", source)
    if not m:
        return source
    kinds = {"Bài báo": ("bài báo", "newspaper article"), "Article": ("bài báo", "newspaper article"),
             "Báo cáo": ("báo cáo", "report"), "Report": ("báo cáo", "report"), "Văn bản": ("văn bản", "document")}
    kind = kinds[m.group(1)][0 if lang == "vi" else 1]
    return f"{m.group(2)}, {kind}, {m.group(3)}"


def summary(ctx: Context) -> dict:
    """Title and headline figures for the build's index page (``[[label, value], ...]``)."""
    from baocao import fmt

    if ctx.kind == "data_quality":
        rec = reconciliation(ctx)
        labels = VERDICT_LABELS[ctx.lang]
        counts = rec["verdict"].value_counts().to_dict() if len(rec) else {}
        pairs = [(ctx.w("Vấn đề số liệu", "Data problems"), fmt.number(len(ctx.dataset.problems), 0, ctx.lang))] + [
            (ctx.w(f"Số liệu công bố: {labels[v]}", f"Published figures: {labels[v]}"), fmt.number(n, 0, ctx.lang))
            for v, n in sorted(counts.items(), key=lambda vn: list(labels).index(vn[0]) if vn[0] in labels else 99)
        ]
    else:
        pairs = headline_pairs(ctx)
    return {"title": report_title(ctx), "headline": [list(p) for p in pairs]}


def title_block(ctx: Context) -> Html:
    """Title, unit, year, sources and — when generated data are used — a visible banner.

    Its output also carries the report's :func:`summary` (metadata ``baocao.summary``), so
    the builder need not open the report a second time to list it."""
    path = " › ".join(ctx.dataset.registry.unit(c).label(ctx.lang) for c in ctx.dataset.registry.path(ctx.unit.code))
    items = "".join(f"<li>{escape(s)}</li>" for s in sources(ctx))
    out = Html(
        f'<h1 class="report-title">{escape(report_title(ctx))}</h1>'
        f'<p class="meta"><strong>{ctx.w("Đơn vị", "Unit")}:</strong> {escape(path)} ({ctx.w("mã", "code")} {escape(ctx.unit.code)}) · '
        f'<strong>{ctx.w("Năm", "Year")}:</strong> {ctx.year}</p>'
        + banner(ctx)
        + f'<details class="sources"><summary>{ctx.w("Nguồn số liệu", "Data sources")}</summary><ul>{items}</ul></details>'
    )
    out.meta = {"summary": summary(ctx)}
    return out


def _cards(cards: list[tuple[str, str, str]]) -> Html:
    body = "".join(
        f'<div class="card{" " + cls if cls else ""}"><div class="value">{escape(v)}</div><div class="label">{escape(label)}</div></div>'
        for label, v, cls in cards
    )
    return Html(f'<div class="headline">{body}</div>')


def _status_class(ctx: Context, code: str, value: float) -> str:
    ok = ctx.cat.indicator(code).meets_target(value)
    return "" if ok is None else ("good" if ok else "bad")


def headline(ctx: Context, codes: list[str] | None = None) -> Html:
    """Headline figures of the unit and year as cards."""
    codes = codes or (HEADLINES_DISTRICT if ctx.kind == "district" else COMMUNE_INDICATORS[:6])
    cards = []
    for code in codes:
        v = ctx.value(code)
        if np.isnan(v):
            continue
        cards.append((ctx.cat.indicator(code).short(ctx.lang), ctx.fmt(code, v), _status_class(ctx, code, v)))
    return _cards(cards)


def headline_pairs(ctx: Context, codes: list[str] | None = None) -> list[tuple[str, str]]:
    """(label, formatted value) pairs for the index page."""
    codes = codes or ["hn_so", "ty_le_dv_tham_du", "thu_nhap_bq"]
    return [(ctx.cat.indicator(c).short(ctx.lang), ctx.fmt(c, ctx.value(c))) for c in codes if not np.isnan(ctx.value(c))]


def html_table(df: pd.DataFrame, numeric: list[str] | None = None, caption: str = "") -> Html:
    """A deterministic, escaped HTML table; ``numeric`` columns are right-aligned."""
    numeric = set(numeric or [])
    head = "".join(f'<th{" class=num" if c in numeric else ""}>{escape(c)}</th>' for c in df.columns)
    body = "".join(
        "<tr>" + "".join(f'<td{" class=num" if c in numeric else ""}>{escape("" if pd.isna(v) else v)}</td>' for c, v in zip(df.columns, row)) + "</tr>"
        for row in df.itertuples(index=False)
    )
    cap = f"<caption>{escape(caption)}</caption>" if caption else ""
    return Html(f'<table class="data">{cap}<thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>')


# ---------------------------------------------------------------- campaign


def _topics(ctx: Context, unit: str | None = None) -> pd.DataFrame:
    d = ctx.ind
    d = d[(d["unit"] == (unit or ctx.unit.code)) & (d["year"] == ctx.year) & (d["category"] != "")]
    return d


def campaign_table(ctx: Context) -> Html:
    """Per topic: conferences, attendances, members expected, rate, target."""
    d = _topics(ctx)
    ind = ctx.cat.indicator("ty_le_dv_tham_du")
    rows = []
    for cat in sorted(d["category"].unique()):
        rate = d[(d["indicator"] == "ty_le_dv_tham_du") & (d["category"] == cat)].iloc[0]
        conf = ctx.value("hn_so", category=cat)
        ok = ind.meets_target(rate["value"])
        rows.append({
            ctx.w("Chuyên đề", "Topic"): ctx.cat.categories["topic"].option(cat).short(ctx.lang),
            ctx.w("Hội nghị", "Conferences"): fmt.number(conf, 0, ctx.lang),
            ctx.w("Lượt đảng viên tham dự", "Attendances"): fmt.number(rate["numerator"], 0, ctx.lang),
            ctx.w("Đảng viên phải tham dự", "Members expected"): fmt.number(rate["denominator"], 0, ctx.lang),
            ctx.w("Tỷ lệ", "Rate"): fmt.percent(rate["value"], ind.decimals, ctx.lang),
            ctx.w("Chỉ tiêu", "Target"): "≥ " + fmt.percent(ind.target, 0, ctx.lang),
            ctx.w("Đánh giá", "Assessment"): ctx.w("đạt", "met") if ok else ctx.w("chưa đạt", "not met"),
        })
    if not rows:
        return Html(f"<p>{ctx.w('Không có số liệu học tập chuyên đề năm này.', 'No campaign data for this year.')}</p>")
    df = pd.DataFrame(rows)
    return html_table(df, numeric=list(df.columns[1:6]))


def campaign_narrative(ctx: Context) -> Html:
    """One paragraph built from the computed values."""
    conf, att = ctx.value("hn_so"), ctx.value("hn_luot_dv")
    rate = ctx.value("ty_le_dv_tham_du")
    ind = ctx.cat.indicator("ty_le_dv_tham_du")
    n_topics = _topics(ctx)["category"].nunique()
    where = ctx.unit.label(ctx.lang)
    if np.isnan(conf):
        return Html(f"<p>{ctx.w('Không có số liệu.', 'No data.')}</p>")
    ok = ind.meets_target(rate)
    text = ctx.w(
        f"Năm {ctx.year}, {where} tổ chức {fmt.number(conf, 0)} hội nghị học tập, quán triệt {n_topics} chuyên đề, "
        f"với {fmt.number(att, 0)} lượt đảng viên tham dự, đạt {fmt.percent(rate, 2)} số đảng viên phải tham dự "
        f"({'đạt' if ok else 'chưa đạt'} chỉ tiêu ≥ {fmt.percent(ind.target, 0)}).",
        f"In {ctx.year}, {where} held {fmt.number(conf, 0, 'en')} study conferences on {n_topics} topic{'s' if n_topics != 1 else ''} with "
        f"{fmt.number(att, 0, 'en')} party-member attendances, {fmt.percent(rate, 2, 'en')} of the members expected "
        f"(target ≥ {fmt.percent(ind.target, 0, 'en')} {'met' if ok else 'not met'}).",
    )
    return Html(f"<p>{escape(text)}</p>")


@_chart
def chart_rate_by_topic(ctx: Context):
    d = _topics(ctx)
    d = d[d["indicator"] == "ty_le_dv_tham_du"]
    ind = ctx.cat.indicator("ty_le_dv_tham_du")
    df = pd.DataFrame({"label": [ctx.cat.categories["topic"].option(c).short(ctx.lang) for c in d["category"]], "value": d["value"].to_numpy()})
    return charts.rate_by_topic(df, target=ind.target, title=f"{ind.name(ctx.lang)}, {ctx.year}", value_label=ctx.w("Tỷ lệ (%)", "Rate (%)"), decimals=ind.decimals, lang=ctx.lang)


@_chart
def chart_campaign_over_years(ctx: Context):
    d = ctx.ind[(ctx.ind["unit"] == ctx.unit.code) & (ctx.ind["year"] <= ctx.year) & (ctx.ind["category"] == "") & ctx.ind["indicator"].isin(["hn_so", "hn_luot_dv"])]
    df = pd.DataFrame({"year": d["year"], "series": [ctx.cat.indicator(c).short(ctx.lang) for c in d["indicator"]], "value": d["value"]})
    return charts.bars_over_years(df, title=ctx.w("Hội nghị và lượt đảng viên học tập qua các năm", "Conferences and attendances over the years"), lang=ctx.lang)


# ---------------------------------------------------------------- communes compared


def commune_values(ctx: Context, code: str, year: int | None = None) -> pd.DataFrame:
    """One indicator for every commune of the district: label, lat, lon, value, rank."""
    year = year or ctx.year
    d = ctx.ind[(ctx.ind["indicator"] == code) & (ctx.ind["year"] == year) & (ctx.ind["category"] == "")].set_index("unit")["value"]
    rows = [{"code": u.code, "label": u.short, "lat": u.lat, "lon": u.lon, "value": d.get(u.code, np.nan)} for u in ctx.communes]
    df = pd.DataFrame(rows)
    ascending = ctx.cat.indicator(code).direction == "lower"
    df["rank"] = df["value"].rank(ascending=ascending, method="min")
    return df


@_chart
def chart_communes_ranked(ctx: Context, code: str | None = None):
    code = code or ctx.compare
    ind = ctx.cat.indicator(code)
    df = commune_values(ctx, code)
    suffix = "%" if ind.unit_vi == "%" else ""
    return charts.ranked_bars(
        df, reference=ctx.value(code, ctx.district.code), reference_label=ctx.district.label(ctx.lang),
        title=f"{ind.name(ctx.lang)} ({ind.unit(ctx.lang)}), {ctx.year}", value_label=ind.unit(ctx.lang), decimals=ind.decimals,
        lang=ctx.lang, highlight=ctx.unit.short if ctx.kind == "commune" else None, target=ind.target, suffix=suffix,
    )


@_chart
def chart_communes_map(ctx: Context, code: str | None = None):
    code = code or ctx.compare
    ind = ctx.cat.indicator(code)
    df = commune_values(ctx, code)
    suffix = "%" if ind.unit_vi == "%" else ""
    return charts.dot_map(
        df, title=ctx.w(f"Bản đồ các xã, thị trấn: {ind.short(ctx.lang)}, {ctx.year}", f"Map of communes: {ind.short(ctx.lang)}, {ctx.year}"),
        value_label=ind.unit(ctx.lang), decimals=ind.decimals, lang=ctx.lang,
        highlight=ctx.unit.short if ctx.kind == "commune" else None, suffix=suffix,
    )


# ---------------------------------------------------------------- socio-economic


def _years_table(ctx: Context, codes: list[str], with_target: bool, skip_empty: bool) -> Html:
    """Indicators (rows) by year up to the report year (columns), optionally with the target."""
    years = sorted(y for y in ctx.ind["year"].unique() if y <= ctx.year)
    target_col = ctx.w("Chỉ tiêu phấn đấu", "Target")
    rows = []
    for code in codes:
        ind = ctx.cat.indicator(code)
        values = [ctx.value(code, year=y) for y in years]
        if skip_empty and all(np.isnan(v) for v in values):
            continue
        row = {ctx.w("Chỉ tiêu", "Indicator"): f"{ind.name(ctx.lang)} ({ind.unit(ctx.lang)})"}
        row.update({str(y): ctx.fmt(code, v, with_unit=False) for y, v in zip(years, values)})
        if with_target:
            row[target_col] = (("≥ " if ind.direction == "higher" else "≤ ") + fmt.number(ind.target, ind.decimals if ind.target % 1 else 0, ctx.lang)) if ind.target is not None else ""
        rows.append(row)
    return html_table(pd.DataFrame(rows), numeric=[str(y) for y in years] + ([target_col] if with_target else []))


def socio_table(ctx: Context, codes: list[str] | None = None) -> Html:
    """Indicators by year up to the report year, with target and direction."""
    return _years_table(ctx, codes or SOCIO, with_target=True, skip_empty=False)


@_chart
def chart_trend(ctx: Context, code: str):
    """One indicator over the years; for a commune, next to its district."""
    ind = ctx.cat.indicator(code)
    units = [ctx.unit] + ([ctx.district] if ctx.kind == "commune" else [])
    frames = []
    for u in units:
        d = ctx.ind[(ctx.ind["indicator"] == code) & (ctx.ind["unit"] == u.code) & (ctx.ind["category"] == "") & (ctx.ind["year"] <= ctx.year)]
        frames.append(pd.DataFrame({"year": d["year"], "value": d["value"], "series": u.label(ctx.lang)}))
    df = pd.concat(frames, ignore_index=True)
    suffix = "%" if ind.unit_vi == "%" else ""
    return charts.trend(df, title=f"{ind.name(ctx.lang)} ({ind.unit(ctx.lang)})", value_label=ind.unit(ctx.lang), decimals=ind.decimals, lang=ctx.lang, target=ind.target, suffix=suffix)


def socio_by_commune(ctx: Context, codes: list[str] | None = None) -> Html:
    """The socio-economic indicators of every commune in the report year, district last."""
    codes = codes or SOCIO
    rows = []
    for u in [*ctx.communes, ctx.district]:
        row = {ctx.w("Xã, thị trấn", "Commune"): u.label(ctx.lang)}
        for code in codes:
            row[ctx.cat.indicator(code).short(ctx.lang)] = ctx.fmt(code, ctx.value(code, u.code), with_unit=False)
        rows.append(row)
    df = pd.DataFrame(rows)
    return html_table(df, numeric=list(df.columns[1:]))


# ---------------------------------------------------------------- welfare, dialogue, commendations


def welfare_table(ctx: Context, codes: list[str] | None = None) -> Html:
    """Welfare, dialogue and commendation figures by year (rows without any data left out)."""
    return _years_table(ctx, codes or WELFARE, with_target=False, skip_empty=True)


def welfare_narrative(ctx: Context) -> Html:
    funds, money = ctx.value("quy_khuyen_hoc_so"), ctx.value("quy_khuyen_hoc_tien")
    dia, dele = ctx.value("doi_thoai_so"), ctx.value("doi_thoai_dai_bieu")
    parts = []
    if not np.isnan(funds):
        parts.append(ctx.w(
            f"Năm {ctx.year} có {fmt.number(funds)} Quỹ Khuyến học đang hoạt động, vận động được {fmt.money_vnd_million(money)}.",
            f"In {ctx.year}, {fmt.number(funds, 0, 'en')} study-encouragement funds were active and raised {fmt.money_vnd_million(money, 'en')}.",
        ))
    if not np.isnan(dia):
        parts.append(ctx.w(
            f"Tổ chức {fmt.number(dia)} hội nghị đối thoại giữa cấp ủy Đảng, chính quyền với Nhân dân, thu hút {fmt.number(dele)} lượt đại biểu.",
            f"{fmt.number(dia, 0, 'en')} dialogue conferences between Party, government and citizens drew {fmt.number(dele, 0, 'en')} delegates.",
        ))
    return Html(f"<p>{escape(' '.join(parts))}</p>")


# ---------------------------------------------------------------- commune report


def commune_table(ctx: Context, codes: list[str] | None = None) -> Html:
    """The commune's indicators next to the district value, its rank and the target."""
    codes = codes or COMMUNE_INDICATORS
    n = len(ctx.communes)
    rows = []
    for code in codes:
        ind = ctx.cat.indicator(code)
        v = ctx.value(code)
        if np.isnan(v):
            continue
        ranks = commune_values(ctx, code).set_index("code")["rank"]
        ok = ind.meets_target(v)
        rows.append({
            ctx.w("Chỉ tiêu", "Indicator"): f"{ind.name(ctx.lang)} ({ind.unit(ctx.lang)})",
            ctx.unit.short: ctx.fmt(code, v, with_unit=False),
            ctx.district.label(ctx.lang): ctx.fmt(code, ctx.value(code, ctx.district.code), with_unit=False),
            ctx.w("Xếp hạng", "Rank"): f"{int(ranks[ctx.unit.code])}/{n}" if not np.isnan(ranks[ctx.unit.code]) else "–",
            ctx.w("Chỉ tiêu phấn đấu", "Target"): (("≥ " if ind.direction == "higher" else "≤ ") + fmt.number(ind.target, 1 if ind.target % 1 else 0, ctx.lang)) if ind.target is not None else "",
            ctx.w("Đánh giá", "Assessment"): "" if ok is None else (ctx.w("đạt", "met") if ok else ctx.w("chưa đạt", "not met")),
        })
    df = pd.DataFrame(rows)
    return html_table(df, numeric=list(df.columns[1:5]))


def below_target(ctx: Context) -> Html:
    """What falls below target in the report year, in words."""
    misses = []
    for code, ind in ctx.cat.indicators.items():
        v = ctx.value(code)
        if ind.meets_target(v) is False:
            misses.append(f"{ind.name(ctx.lang)}: {ctx.fmt(code, v)} ({ctx.w('chỉ tiêu', 'target')} {'≥' if ind.direction == 'higher' else '≤'} {fmt.number(ind.target, 1 if ind.target % 1 else 0, ctx.lang)}{'%' if ind.unit_vi == '%' else ''})")
    topics = _topics(ctx)
    for r in topics[topics["indicator"] == "ty_le_dv_tham_du"].itertuples():
        if ctx.cat.indicator("ty_le_dv_tham_du").meets_target(r.value) is False:
            misses.append(f"{ctx.cat.indicator('ty_le_dv_tham_du').short(ctx.lang)} — {ctx.cat.categories['topic'].option(r.category).short(ctx.lang)}: {fmt.percent(r.value, 2, ctx.lang)}")
    if not misses:
        return Html(f"<p>{ctx.w(f'Năm {ctx.year}, mọi chỉ tiêu có mục tiêu đều đạt.', f'In {ctx.year}, every indicator with a target meets it.')}</p>")
    items = "".join(f"<li>{escape(m)}</li>" for m in dict.fromkeys(misses))
    return Html(f"<p>{ctx.w(f'Năm {ctx.year}, các chỉ tiêu chưa đạt:', f'In {ctx.year}, below target:')}</p><ul class='below-target'>{items}</ul>")


# ---------------------------------------------------------------- data quality


def reconciliation(ctx: Context) -> pd.DataFrame:
    pub = ctx.dataset.published
    pub = pub[(pub["unit"] == ctx.unit.code) & (pub["year_to"].astype(int) <= ctx.year)] if len(pub) else pub
    all_agg = aggregate(ctx.dataset.observations[ctx.dataset.observations["unit"].isin([ctx.district.code, *(u.code for u in ctx.communes)])], ctx.cat, ctx.dataset.registry, [ctx.unit.code])
    return reconcile(pub, all_agg, ctx.cat) if len(pub) else pd.DataFrame()


def quality_summary(ctx: Context, link: str = "data_quality.html") -> Html:
    """A few lines on validation and reconciliation, linking to the data-quality report."""
    probs = ctx.dataset.problems
    rec = reconciliation(ctx)
    counts = rec["verdict"].value_counts().to_dict() if len(rec) else {}
    labels = VERDICT_LABELS[ctx.lang]
    verdicts = ", ".join(f"{n} {labels[v]}" for v, n in counts.items())
    text = ctx.w(
        f"Kiểm tra {len(ctx.dataset.observations)} dòng số liệu: {len(probs)} vấn đề. "
        + (f"Đối chiếu {len(rec)} số liệu đã công bố: {verdicts}." if len(rec) else "Không có số liệu đã công bố để đối chiếu."),
        f"{len(ctx.dataset.observations)} data rows checked: {len(probs)} problem(s). "
        + (f"{len(rec)} published figures reconciled: {verdicts}." if len(rec) else "No published figures to reconcile."),
    )
    more = ctx.w("Xem báo cáo chất lượng số liệu", "See the data-quality report")
    return Html(f'<p>{escape(text)} <a href="{escape(link)}">{more}</a>.</p>')


def problems_table(ctx: Context) -> Html:
    probs = ctx.dataset.problems
    if not len(probs):
        return Html(f"<p>{ctx.w('Không có lỗi hay cảnh báo nào: mọi dòng số liệu đạt các quy tắc kiểm tra.', 'No problem or warning: every data row passes the rules.')}</p>")
    df = probs[["file", "row", "column", "rule", "importance", "message_vi" if ctx.lang == "vi" else "message_en"]].copy()
    df["importance"] = [level_words(v, ctx.lang) for v in df["importance"]]
    df.columns = [ctx.w(a, b) for a, b in [("Tệp", "File"), ("Dòng", "Row"), ("Cột", "Column"), ("Quy tắc", "Rule"), ("Mức", "Level"), ("Nội dung", "Message")]]
    return html_table(df)


LEVEL_WORDS = {
    "blocking": ("chặn — phải sửa trước khi lập báo cáo", "blocking — must be fixed before any report"),
    "warning": ("cảnh báo — nên xem lại", "warning — worth a look"),
}
OPERATOR_WORDS = {
    "<=": ("không được lớn hơn", "must not exceed"), "<": ("phải nhỏ hơn", "must be less than"),
    ">=": ("không được nhỏ hơn", "must be at least"), ">": ("phải lớn hơn", "must be greater than"),
    "==": ("phải bằng", "must equal"), "!=": ("phải khác", "must differ from"),
}


def level_words(importance: str, lang: str = "vi") -> str:
    """A rule's level in words: ``chặn`` (the data cannot be used) or ``cảnh báo``."""
    vi, en = LEVEL_WORDS.get(importance, (importance, importance))
    return vi if lang == "vi" else en


def rule_words(cat: Catalogue, rule, lang: str = "vi") -> str:
    """A validation rule written with the catalogue's names: ``Lượt đảng viên tham dự không được
    lớn hơn Số đảng viên phải tham dự`` instead of ``hn_luot_dv <= hn_dv_phai_du``."""

    def name(code: str) -> str:
        for look in (cat.element, cat.indicator):
            try:
                return look(code).name(lang)
            except (KeyError, LookupError, AttributeError):
                continue
        return code

    vi, en = OPERATOR_WORDS.get(rule.operator, (rule.operator, rule.operator))
    return f"{name(rule.left)} {vi if lang == 'vi' else en} {name(rule.right)[:1].lower() + name(rule.right)[1:]}"


def rules_table(ctx: Context) -> Html:
    df = pd.DataFrame([{ctx.w("Mã", "Id"): r.id, ctx.w("Quy tắc", "Rule"): rule_words(ctx.cat, r, ctx.lang),
                        ctx.w("Mức", "Level"): level_words(r.importance, ctx.lang),
                        ctx.w("Diễn giải", "Meaning"): r.description_vi if ctx.lang == "vi" else r.description_en} for r in ctx.cat.rules])
    return html_table(df)


def reconciliation_block(ctx: Context) -> Html:
    rec = reconciliation(ctx)
    if not len(rec):
        return Html(f"<p>{ctx.w('Không có số liệu đã công bố cho đơn vị này.', 'No published figures for this unit.')}</p>")
    table = reconciliation_table(rec, ctx.cat, ctx.lang)
    return html_table(table, numeric=list(table.columns[3:6]))


def reconciliation_narrative(ctx: Context) -> Html:
    rec = reconciliation(ctx)
    if not len(rec):
        return Html("")
    out = []
    for r in rec.itertuples():
        if r.verdict == "mismatch" or r.components_verdict == "mismatch":
            label = figure_label(ctx.cat, r.kind, r.code, r.category, ctx.lang)
            d = max(r.decimals, 0)
            if r.components_verdict == "mismatch":
                out.append(ctx.w(
                    f"{r.id} ({label}, {r.period}): nguồn công bố {fmt.number(r.published, d)}, nhưng tổng các thành phần do chính nguồn công bố là {fmt.number(r.components_sum, d)} (chênh {fmt.number(r.published - r.components_sum, d)}); số liệu tính được là {fmt.number(r.computed, d)}.",
                    f"{r.id} ({label}, {r.period}): the source states {fmt.number(r.published, d, 'en')}, but its own components add up to {fmt.number(r.components_sum, d, 'en')} (gap {fmt.number(r.published - r.components_sum, d, 'en')}); the data give {fmt.number(r.computed, d, 'en')}.",
                ))
            else:
                out.append(ctx.w(
                    f"{r.id} ({label}, {r.period}): công bố {fmt.number(r.published, d)}, tính được {fmt.number(r.computed, d)}.",
                    f"{r.id} ({label}, {r.period}): published {fmt.number(r.published, d, 'en')}, computed {fmt.number(r.computed, d, 'en')}.",
                ))
    n_round = int((rec["verdict"] == "rounding difference").sum())
    if n_round:
        out.append(ctx.w(
            f"{n_round} số liệu chỉ chênh do làm tròn (nguồn cắt bớt chữ số thay vì làm tròn).",
            f"{n_round} figure(s) differ only by rounding (the source truncates instead of rounding).",
        ))
    if not out:
        out.append(ctx.w("Mọi số liệu đã công bố khớp với số liệu tính được.", "Every published figure matches the data."))
    return Html("<ul>" + "".join(f"<li>{escape(o)}</li>" for o in out) + "</ul>")


def footer(ctx: Context) -> Html:
    """Data date and a content hash of the inputs instead of the wall-clock time."""
    from baocao import __version__

    years = sorted(ctx.rows_used()["year"].unique())
    text = ctx.w(
        f"Số liệu đến năm {max(years)} · mã kiểm tra số liệu đầu vào {ctx.input_hash()} · baocao {__version__}",
        f"Data up to {max(years)} · input check code {ctx.input_hash()} · baocao {__version__}",
    )
    return Html(f'<footer class="report-footer"><p>{escape(text)}</p><p class="footer-note">{escape(INPUT_CHECK[ctx.lang])}</p></footer>')


INPUT_CHECK = {
    "vi": "Mã kiểm tra được tính từ toàn bộ số liệu dùng cho báo cáo này: hai bản báo cáo có cùng mã là lập từ "
          "cùng một số liệu; chỉ cần một con số đầu vào thay đổi thì mã cũng đổi.",
    "en": "The check code is computed from all the data this report uses: two copies with the same code were made "
          "from the same figures; change any input figure and the code changes.",
}
