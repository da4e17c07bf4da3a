"""GSO province reports: functions on the real GSO tables, the run plan, and the two notebooks executed."""

from __future__ import annotations

import json
import math
import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from baocao.reports.gso import national, province, sections, units
from baocao.reports.gso.fingerprint import input_fingerprint
from baocao.reports.kit import Chart, Html, ReportError

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = ROOT / "notebooks"


@pytest.fixture(scope="module")
def ag():
    return province.open_province("An Giang", 2016)


@pytest.fixture(scope="module")
def nation():
    return national.open_national(2016)


# --- resolving the province parameter ----------------------------------------------------


@pytest.mark.parametrize(
    "query, code",
    [
        ("89", "89"),
        ("An Giang", "89"),
        ("an giang", "89"),
        ("Ho Chi Minh city", "79"),
        ("Thua Thien-Hue", "46"),
        ("Thừa Thiên Huế", "46"),
        ("Hà Tây", "28"),
        ("Ha Tay", "28"),
        ("28", "28"),
        (1, "01"),
        ("Cần Thơ", "92"),
    ],
)
def test_province_by_code_or_name(query, code):
    assert units.resolve_province(query).code == code


def test_bad_province_name_is_a_clear_report_error():
    with pytest.raises(ReportError) as e:
        province.open_report("province", {"province": "An Gaing", "year": 2016, "lang": "vi"})
    msg = str(e.value)
    assert "An Gaing" in msg and "89 Tỉnh An Giang" in msg and "unknown province" in msg


def test_misspelt_parameter_is_named():
    with pytest.raises(ReportError, match="yeer.*Did you mean 'year'"):
        province.open_report("province", {"province": "89", "yeer": 2016})


def test_year_without_data_lists_the_years():
    with pytest.raises(ReportError, match="2030.*1995–2016"):
        province.open_province("89", 2030)
    with pytest.raises(ReportError, match="Hà Tây.*1995–2007"):  # merged into Ha Noi in 2008
        province.open_province("Ha Tay", 2010)
    with pytest.raises(ReportError, match="lang"):
        province.open_province("89", 2016, lang="fr")


def test_historical_names():
    assert units.unit_label("46") == "Thừa Thiên Huế"  # "Thành phố Huế" only from 2025
    assert units.province_unit("28").name == "Tỉnh Hà Tây" and units.province_unit("28").lat is None
    assert units.boundary_text("01", 2006) == "Hà Nội cũ, trước khi hợp nhất với Hà Tây (2008)"
    assert units.boundary_text("12", 2003, "en") == "includes Điện Biên (split off in 2004)"


# --- values, ranks, regions ------------------------------------------------------------------


def test_an_giang_2016_values(ag):
    assert ag.region == "R6" and ag.unit.code == "89"
    assert ag.value("gso_dan_so") == 2_159_900
    assert ag.value("gso_ty_le_ho_ngheo") == 2.7
    assert ag.value("gso_bac_si_van_dan") == pytest.approx(1047 / 2_159_900 * 10_000)
    assert ag.value("gso_thu_nhap") == 2909
    assert ag.row("gso_dan_so")["preliminary"] and ag.row("gso_thu_nhap")["preliminary"]


def test_an_giang_2016_ranks(ag):
    rank = lambda code, scope="country": province.rank_text(province.ranking(ag, code, scope), "89")  # noqa: E731
    assert rank("gso_dan_so") == "6/63"
    assert rank("gso_dan_so", "region") == "1/13"  # the most populous province of the Mekong delta
    # lower is better; Ho Chi Minh city has no 2016 rate, and another province has An Giang's 2,7%
    assert rank("gso_ty_le_ho_ngheo") == "đồng hạng 13/62 tỉnh có số liệu"
    assert rank("gso_ty_le_ho_ngheo", "region") == "đồng hạng 2/13"
    assert rank("gso_bac_si_van_dan", "region") == "13/13"
    poverty = province.ranking(ag, "gso_ty_le_ho_ngheo")
    assert poverty.set_index("code").at["74", "rank"] == 1  # Binh Duong 0.0%
    assert math.isnan(poverty.set_index("code").at["79", "value"])


def test_region_r6_membership(ag):
    members = province.ranking(ag, "gso_dan_so", "region")["code"].tolist()
    assert members == ["80", "82", "83", "84", "86", "87", "89", "91", "92", "93", "94", "95", "96"]


def test_the_report_blocks(ag):
    table = province.indicator_table(ag)
    for text in (
        "2.159.900",
        "6/63",
        "đồng hạng 13/62 tỉnh có số liệu",
        "2/13",
        "17.660.700",
        "92.695.100",
        "sơ bộ",
        "số GSO công bố",
        "cộng từ các tỉnh",
    ):
        assert text in table, text
    assert "Đồng bằng sông Cửu Long" in table
    title = province.title_block(ag)
    assert "Tổng cục Thống kê (GSO)" in title and "21/09/2018" in title and "Số liệu sơ bộ" in title
    assert "&lt;" not in title  # HTML, not escaped HTML
    assert "đồng hạng 13/62 tỉnh có số liệu cả nước, đồng hạng 2/13 trong vùng" in province.narrative(ag)
    en = province.open_province("89", 2016, "en")
    assert "2,159,900" in province.indicator_table(en) and "preliminary" in province.title_block(en)


def test_trend_covers_every_year_of_the_table_and_gaps_stay_gaps(ag):
    ax = province.chart_trend(ag, "gso_ty_le_ho_ngheo").figure.axes[0]
    line = dict(zip(ax.lines[0].get_xdata().tolist(), ax.lines[0].get_ydata().tolist()))
    assert min(line) == 2006 and max(line) == 2016
    assert all(math.isnan(line[y]) for y in (2007, 2009, 2011)) and line[2016] == 2.7
    dien_bien = province.open_province(
        "Điện Biên", 2016
    )  # exists from 2004; the doctors table starts in 2002
    ax = province.chart_trend(dien_bien, "gso_bac_si_van_dan").figure.axes[0]
    assert ax.get_xlim()[0] < 2002 and np.isnan(ax.lines[0].get_ydata()[:2]).all()


def test_missing_indicator_gives_a_note_not_a_chart():
    ctx = province.open_province("89", 2011)  # no poverty or income survey in 2011
    assert isinstance(province.chart_ranked(ctx, "gso_ty_le_ho_ngheo"), Html)
    assert isinstance(province.chart_ranked(ctx, "gso_bac_si_van_dan"), Chart)
    assert "không có số liệu năm 2011" in province.indicator_table(ctx)
    assert (
        "Không có số liệu tỷ lệ hộ nghèo năm 2011; có số liệu các năm 2006, 2008, 2010, 2012–2016"
        in province.chart_ranked(ctx, "gso_ty_le_ho_ngheo")
    )


def test_map_parts_cover_every_province_on_one_scale(nation):
    counts, limits = 0, set()
    for part in sections.PARTS:
        ax = national.chart_map(nation, part).figure.axes[0]
        counts += sum(len(c.get_offsets()) for c in ax.collections[:2])
        limits.add(ax.collections[0].get_clim())
    assert counts == 63 and len(limits) == 1
    assert "Cả 63 tỉnh, thành phố có tọa độ" in national.map_note(nation)
    assert "Hà Tây (28)" in national.map_note(
        national.open_national(2006)
    )  # no coordinates: said, not hidden


def test_reconciliation_for_the_year(nation):
    rec = national.reconciliation(nation)
    assert set(rec["year"]) == {2016} and len(rec) == 105
    table = national.reconciliation_table(nation)
    assert table.count("<tr>") == 1 + 21 and "92.695.100" in table and "khớp" in table
    y2011 = national.reconciliation_table(national.open_national(2011, "en"))
    assert "rounding difference" in y2011 and "-700" in y2011  # whole country 87,859,700 vs 87,860,400


def test_population_ranking_has_no_country_line(nation):
    ax = national.chart_ranked(nation, "gso_dan_so").figure.axes[0]
    assert ax.get_xlim()[1] < 10_000_000  # the country's 92.7 million would squash 63 bars
    ax = national.chart_ranked(nation, "gso_ty_le_ho_ngheo").figure.axes[0]
    assert [line.get_xdata()[0] for line in ax.lines] == [5.8]  # rates: the whole country as the reference


def test_charts_titles_fit_the_figure(ag):
    for chart in (
        province.chart_ranked(ag, "gso_thu_nhap", "region"),
        province.chart_ranked(ag, "gso_thu_nhap"),
        province.chart_map(ag),
    ):
        fig = chart.figure
        assert fig._suptitle.get_window_extent(fig.canvas.get_renderer()).x1 <= fig.bbox.width


def test_plan_builds_every_province_and_the_national_overview_for_four_years():
    from baocao.build.builder import select
    from baocao.build.plans import load_plan

    plan = load_plan(ROOT / "params" / "gso_provinces.yml")
    assert len(plan.reports) == 63 * 4 + 4 == 256
    assert {r.year for r in plan.reports} == {2010, 2012, 2014, 2016}
    provinces = [r for r in plan.reports if r.notebook == "province_report"]
    assert (
        len(provinces) == 252
        and len({r.unit for r in provinces}) == 63
        and {r.kind for r in provinces} == {"province"}
    )
    assert provinces[0].parameters == {"province": "01", "year": 2010, "lang": "vi"}
    national = [r for r in plan.reports if r.notebook == "national_overview"]
    assert [r.key for r in national] == [f"{y}/VN/national_overview" for y in (2010, 2012, 2014, 2016)]
    assert {(r.kind, r.unit, r.unit_name, r.level, r.district) for r in national} == {
        ("national", "VN", "Cả nước", "country", None)
    }
    assert national[-1].parameters == {"year": 2016, "lang": "vi"}
    assert len(select(plan.reports, ["2016"])) == 64
    assert [r.key for r in select(plan.reports, ["VN", "2016"])] == ["2016/VN/national_overview"]


def test_national_overview_data_hash_is_the_gso_fingerprint():
    from baocao.build.changes import data_hash
    from baocao.build.plans import load_plan

    plan = load_plan(ROOT / "params" / "gso_provinces.yml")
    vn16, vn14, ag16 = (
        next(r for r in plan.reports if r.key == k)
        for k in ("2016/VN/national_overview", "2014/VN/national_overview", "2016/89/province_report")
    )
    assert data_hash(vn16, plan.data_path, plan.home) == input_fingerprint("national", "VN", 2016)
    assert len({data_hash(r, plan.data_path, plan.home) for r in (vn16, vn14, ag16)}) == 3


# --- the notebooks, executed ----------------------------------------------------------------


def _job(key: str, notebook: str, kind: str, **parameters) -> dict:
    return {
        "key": key,
        "notebook": notebook,
        "notebook_path": str(NOTEBOOKS / f"{notebook}.ipynb"),
        "cwd": str(NOTEBOOKS),
        "home": str(ROOT),
        "kind": kind,
        "lang": parameters.get("lang", "vi"),
        "kernel": "python3",
        "parameters": parameters,
    }


@pytest.fixture(scope="module")
def rendered():
    from baocao.build.builder import _run_local

    jobs = [
        _job("province", "province_report", "province", province="89", year=2016),
        _job("national", "national_overview", "national", year=2016),
    ]
    results = {}
    _run_local(jobs, 2, lambda j, r: results.__setitem__(j["key"], r))
    return results


def _ok(r):
    assert r["status"] == "ok", r["error"]
    nb = json.loads(r["ipynb"])
    assert not any(o.get("output_type") == "error" for c in nb["cells"] for o in c.get("outputs", []))
    return r["html"]


@pytest.mark.slow
def test_province_report_notebook(rendered):
    html = _ok(rendered["province"])
    for text in (
        "Tỉnh An Giang",
        "2.159.900",
        "2,7%",
        "13/62",
        "17.660.700",
        "21/09/2018",
        "sơ bộ",
        "Đồng bằng sông Cửu Long",
    ):
        assert text in html, text
    assert "gso_report.open_report" not in html and "<img" in html


@pytest.mark.slow
def test_national_overview_notebook(rendered):
    html = _ok(rendered["national"])
    for text in (
        "92.695.100",
        "27,9%",
        "Lai Châu",
        "khớp",
        "Cả 63 tỉnh, thành phố có tọa độ",
        "Miền Nam",
        "21/09/2018",
    ):
        assert text in html, text
    assert html.count("<img") >= 12


# --- a plan with the national overview, built -------------------------------------------------

GSO_PLAN = """\
title: Thử nghiệm GSO
years: 2016
reports:
  - notebook: national_overview
  - notebook: province_report
    provinces: [89]
"""


@pytest.fixture(scope="module")
def gso_build(tmp_path_factory):
    """The two-report plan (national overview + An Giang, 2016) built by `baocao build` into a tmp folder."""
    tmp = tmp_path_factory.mktemp("gso_build")
    (tmp / "plan.yml").write_text(GSO_PLAN, encoding="utf-8")
    env = dict(os.environ, BAOCAO_HOME=str(ROOT), COLUMNS="200", PYTHONUNBUFFERED="1")
    env.pop("BAOCAO_OUTPUTS", None)
    baocao = str(Path(sys.executable).with_name("baocao"))

    def run(*args):
        return subprocess.run(
            [baocao, "build", str(tmp / "plan.yml"), "--outputs", str(tmp / "out"), *args],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            timeout=180,
        )

    return {"proc": run("--jobs", "2"), "dry": run("--dry-run"), "out": tmp / "out"}


@pytest.mark.slow
def test_plan_with_the_national_overview_builds_and_lists_it_first(gso_build):
    proc, out = gso_build["proc"], gso_build["out"]
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "2 reports: 2 built, 0 failed, 0 up to date" in proc.stdout
    assert "0 would run, 2 up to date" in gso_build["dry"].stdout  # its data hash is stable
    m = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    vn = m["reports"]["2016/VN/national_overview"]
    assert (vn["status"], vn["kind"], vn["unit"], vn["unit_name"], vn["level"], vn["district"]) == (
        "ok",
        "national",
        "VN",
        "Cả nước",
        "country",
        None,
    )
    assert vn["parameters"] == {"year": 2016, "lang": "vi"}
    assert vn["outputs"]["html"]["path"] == "2016/VN/national_overview.html"
    assert (out / "2016/VN/national_overview.html").is_file() and (
        out / "2016/89/province_report.html"
    ).is_file()
    for page in (out / "2016/VN/national_overview.html", out / "2016/89/province_report.html"):
        assert page.stat().st_size < 1_500_000, f"{page.name} is over the 1,5 MB budget"

    index = (out / "index-plan.html").read_text(encoding="utf-8")
    assert index.index('href="2016/VN/national_overview.html"') < index.index(
        'href="2016/89/province_report.html"'
    )
    assert (
        '<section class="unit country" data-unit="ca nuoc vn">\n<h3>Cả nước</h3>' in index
    )  # its own group, first, without a code
    assert "mã VN" not in index


@pytest.mark.slow
def test_index_shows_the_national_overview_title_and_headline(gso_build):
    m = json.loads((gso_build["out"] / "manifest.json").read_text(encoding="utf-8"))
    vn = m["reports"]["2016/VN/national_overview"]
    assert (vn["title"], vn["notebook_title"]) == (
        "Toàn cảnh các tỉnh, thành phố, 2016",
        "Toàn cảnh các tỉnh, thành phố",
    )
    index = (gso_build["out"] / "index-plan.html").read_text(encoding="utf-8")
    assert '<a href="2016/VN/national_overview.html">Toàn cảnh các tỉnh, thành phố</a>' in index
    assert "92.695.100 người" in index  # the country's population, a headline figure


@pytest.mark.slow
def test_built_national_overview_shows_the_region_reconciliation(gso_build):
    html = (gso_build["out"] / "2016/VN/national_overview.html").read_text(encoding="utf-8")
    assert "Đối chiếu số liệu vùng và cả nước" in html  # the section heading (and its TOC entry)
    for text in (
        "Cộng từ các tỉnh",
        "GSO công bố",
        "Chênh lệch",
        "Đồng bằng sông Cửu Long",
        "Cả nước",
        "92.695.100",
        "khớp",
    ):
        assert text in html, text
    assert "Regions and country reconciled" not in html  # the English cells are gone


# --- what the reports show comes from the catalogue ------------------------------------------


@pytest.fixture()
def edited(tmp_path, monkeypatch):
    """A copy of data/ whose `reports: gso:` list the test edits (BAOCAO_HOME points at it)."""
    import shutil

    shutil.copytree(ROOT / "data", tmp_path / "data")
    monkeypatch.setenv("BAOCAO_HOME", str(tmp_path))
    return tmp_path / "data" / "catalogue" / "gso.yaml"


def test_order_and_headline_come_from_the_catalogue(edited):
    text = edited.read_text(encoding="utf-8")
    head, reports = text.split("reports:\n  gso:\n")
    entries = reports.split("    - indicator: ")[1:]
    income = next(e for e in entries if e.startswith("gso_thu_nhap"))
    population = next(e for e in entries if e.startswith("gso_dan_so"))
    rest = [e for e in entries if e not in (income, population)]
    population = population.replace("[headline, table, trend]", "[table, trend]")
    edited.write_text(
        head + "reports:\n  gso:\n" + "".join("    - indicator: " + e for e in [income, *rest, population]),
        encoding="utf-8",
    )
    ctx = province.open_province("89", 2016)
    assert ctx.codes("headline") == [
        "gso_thu_nhap",
        "gso_ty_le_ho_ngheo",
        "gso_bac_si_van_dan",
        "gso_truong_van_dan",
    ]
    cards = str(province.headline(ctx))
    assert "Dân số" not in cards and cards.index("Thu nhập") < cards.index("Tỷ lệ hộ nghèo")
    assert province.summary(ctx)["headline"][0][0] == "Thu nhập bình quân"
    table = str(province.indicator_table(ctx))
    assert table.index("Thu nhập") < table.index("Tỷ lệ hộ nghèo") < table.index("Dân số trung bình")
    assert [c.figure._suptitle.get_text().split(" (")[0] for c in province.trends(ctx)][0].startswith(
        "Thu nhập"
    )


def test_a_misspelt_section_names_the_catalogue_file(edited):
    from baocao.data.catalogue import CatalogueError

    edited.write_text(
        edited.read_text(encoding="utf-8").replace(
            "[headline, table, rank_country, map, trend]", "[headline, tables]"
        ),
        encoding="utf-8",
    )
    with pytest.raises(
        CatalogueError,
        match=r"gso.yaml: reports.gso\[1\].province \(gso_ty_le_ho_ngheo\): unknown section 'tables'",
    ):
        province.open_province("89", 2016)


def test_an_indicator_whose_table_is_missing_says_so_and_nothing_raises(edited):
    """The table of a declared element is not in data/gso/raw: words in every section, no KeyError."""
    edited.write_text(
        edited.read_text(encoding="utf-8")
        .replace(
            "elements:\n",
            "elements:\n  - {code: gso_x, name_vi: Số X, name_en: X, unit_vi: cái, unit_en: items, "
            'gso: {file: "X by province.csv", layout: years}}\n',
            1,
        )
        .replace(
            "indicators:\n",
            "indicators:\n  - {code: gso_x, name_vi: Số X, name_en: X, numerator: gso_x, unit_vi: cái, "
            "unit_en: items, direction: neutral}\n",
            1,
        )
        + "    - indicator: gso_x\n",
        encoding="utf-8",
    )
    ctx = province.open_province("89", 2016)
    assert "gso_x" in ctx.codes("trend")
    for block in (
        province.chart_trend(ctx, "gso_x"),
        province.chart_ranked(ctx, "gso_x"),
        province.chart_ranked(ctx, "gso_x", "region"),
    ):
        assert (
            isinstance(block, Html) and "Không có số liệu số X năm 2016, cũng không có năm nào khác" in block
        )
    assert "không có số liệu năm 2016" in province.indicator_table(
        ctx
    ) and "GSO không có số liệu năm 2016 về: số X." in province.narrative(ctx)
    nation = national.open_national(2016)
    assert "Không có số liệu năm 2016: Số X" in national.national_summary(nation)
    assert all(
        isinstance(b, (Chart, Html))
        for b in [*national.ranked(nation), *national.distributions(nation), *national.maps(nation)]
    )
