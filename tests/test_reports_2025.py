"""Reports after 1 July 2025 (issue #25): a new commune's year beside its re-expressed history with the
break of 1 July 2025 on every table and chart, the province compiling its communes with its coverage
stated, the plan of the new An Giang. In process (the notebooks' cell functions called as the notebooks
call them), except one small real build of a slice of the plan (slow)."""

from __future__ import annotations

import re
import shutil
import sys
from pathlib import Path

import docx
import numpy as np
import pandas as pd
import pytest
from bs4 import BeautifulSoup

from baocao.data import units
from baocao.export.blocks import table_block
from baocao.io.dataset_meta import history_folders, read_meta
from baocao.io.tables import InputFileError
from baocao.reports.chart_image import alt_text
from baocao.reports.kit import Chart, ReportError
from baocao.reports.two_level import commune, coverage, province
from baocao.reports.two_level.fingerprint import input_fingerprint

ROOT = Path(__file__).resolve().parents[1]
AG = ROOT / "data" / "an_giang_2025"
RULE = "border-left:2px solid"
OLD_THOAI_SON = ["30682", "30721", "30724"]  # Núi Sập, Thoại Giang, Bình Thành → new Thoại Sơn (30682)


@pytest.fixture(scope="module")
def reported() -> pd.DataFrame:
    """The new An Giang's rows as the file has them (read here, apart from the loader)."""
    df = pd.read_csv(AG / "observations.csv", dtype={"unit": str, "category": str})
    return df.fillna({"category": ""})


@pytest.fixture(scope="module")
def legacy_rows() -> pd.DataFrame:
    df = pd.read_csv(ROOT / "data" / "thoai_son" / "observations.csv", dtype={"unit": str, "year": str})
    return df[df["year"].str.fullmatch(r"\d{4}")].astype({"year": int}).fillna({"category": ""})


@pytest.fixture(scope="module")
def late(reported) -> list[str]:
    """The communes of the new An Giang without a 2026 row."""
    all_ = [u.code for u in units.current().children("91")]
    have = set(reported.loc[reported["year"] == 2026, "unit"])
    return [c for c in all_ if c not in have]


@pytest.fixture(scope="module")
def thoai_son():
    return commune.open_commune_2025("Thoại Sơn", 2026)


def _rate(rows: pd.DataFrame) -> float:
    return (
        100
        * rows.loc[rows["element"] == "hn_luot_dv", "value"].sum()
        / rows.loc[rows["element"] == "hn_dv_phai_du", "value"].sum()
    )


def _table(html: str) -> BeautifulSoup:
    return BeautifulSoup(html, "html.parser").find("table")


# --- a new commune's 2026 report -------------------------------------------------------------


def test_a_2026_report_shows_its_own_figures_beside_its_re_expressed_history(
    thoai_son, reported, legacy_rows
):
    ctx = thoai_son
    assert ctx.unit.code == "30682" and ctx.years == [2022, 2023, 2024, 2025, 2026]
    own = reported[(reported["unit"] == "30682") & (reported["year"] == 2026)]
    old = legacy_rows[legacy_rows["unit"].isin(OLD_THOAI_SON) & (legacy_rows["year"] == 2024)]
    assert ctx.value("ty_le_dv_tham_du", year=2026) == pytest.approx(_rate(own))
    assert ctx.value("ty_le_dv_tham_du", year=2024) == pytest.approx(_rate(old))
    table = _table(commune.history_table(ctx))
    head = table.find("thead").find_all("tr")
    groups = [(th.get_text(), th.get("colspan")) for th in head[0].find_all("th")]
    assert groups == [
        ("", "1"),
        ("Tính lại từ các xã cũ (danh mục cũ)", "3"),
        ("Xã, phường mới báo cáo (danh mục 2025)", "2"),
    ]
    years = [th.get_text() for th in head[1].find_all("th")][1:]
    assert years == ["2022", "2023", "2024", "2025", "2026"]
    assert RULE in head[1].find_all("th")[4]["style"] and "style" not in head[1].find_all("th")[3].attrs
    row = next(tr for tr in table.find("tbody").find_all("tr") if "Tỷ lệ đảng viên" in tr.get_text())
    cells = [td.get_text() for td in row.find_all("td")]
    assert cells[3] == f"{_rate(old):.2f}".replace(".", ",") and cells[5] == f"{_rate(own):.2f}".replace(
        ".", ","
    )
    assert all(RULE in td["style"] for td in table.select("tbody td:nth-of-type(5)"))
    assert "1/7/2025: sắp xếp đơn vị hành chính" in table.find("caption").get_text()
    # the workbook and Word read the heading row of one heading per column
    block = table_block(table)
    assert block.header == ["Chỉ tiêu", "2022", "2023", "2024", "2025", "2026"]
    assert cells[5] in block.rows[2]


def test_the_break_is_on_the_chart(thoai_son):
    chart = commune.chart_trend(thoai_son, "ty_le_dv_tham_du")
    assert isinstance(chart, Chart)
    ax = chart.figure.axes[0]
    verticals = [line for line in ax.lines if list(line.get_xdata()) == [2024.5, 2024.5]]
    assert len(verticals) == 1
    drawn = [line for line in ax.lines if len(line.get_xdata()) and line not in verticals]
    before = next(line for line in drawn if list(line.get_xdata()) == [2022, 2023, 2024])
    after = next(line for line in drawn if list(line.get_xdata()) == [2025, 2026])
    assert before.get_linestyle() != after.get_linestyle() and before.get_markerfacecolor() == "white"
    legend = [t.get_text() for t in ax.get_legend().get_texts()]
    assert legend == [
        "tính lại từ các xã cũ",
        "1/7/2025: sắp xếp đơn vị hành chính",
        "xã, phường mới báo cáo",
    ]
    assert "đường dọc giữa 2024 và 2025: 1/7/2025: sắp xếp đơn vị hành chính" in alt_text(chart.figure)
    assert len(chart.png()) > 1000


def test_the_report_says_2025_is_the_whole_year_and_what_was_not_carried_over(thoai_son):
    title = commune.title_block(thoai_son)
    assert "Năm 2025." in title and "cả năm" in title and "banner-illustrative" in title
    assert "Thị trấn Núi Sập (30682)" in commune.formation(thoai_son)
    assert "Không xấp xỉ" in commune.approximation(thoai_son)
    dropped = commune.not_reexpressed(thoai_son)
    assert "Huyện Thoại Sơn (894)" in dropped and "bac_si" in dropped
    assert "data/thoai_son" in commune.history_sentence(thoai_son)
    assert commune.summary(thoai_son)["headline"][1][:3] == ["Lịch sử (xã cũ)", "2022–2024", ""]


def test_a_commune_that_has_not_reported_the_year(late):
    ctx = commune.open_commune_2025(late[0], 2026)
    assert "chưa báo cáo số liệu năm 2026" in commune.headline(ctx)
    table = _table(commune.history_table(ctx))
    last = [tr.find_all("td")[-1].get_text() for tr in table.find("tbody").find_all("tr")]
    assert last and set(last) == {"–"}
    assert commune.summary(ctx)["headline"][0][1] == "chưa báo cáo"
    text = commune.chart_trend(ctx, "ty_le_dv_tham_du")  # 2025 only: a sentence, no chart
    assert "chỉ có số liệu năm 2025" in text


def test_a_commune_without_history_still_runs_2022_to_2026_with_the_break():
    ctx = commune.open_commune_2025("30292", 2026)  # Phường Bình Đức: no legacy data in the project
    assert ctx.history_years == [] and ctx.years == [2022, 2023, 2024, 2025, 2026]
    assert "Chưa có lịch sử trước 1/7/2025" in commune.history_sentence(ctx)
    chart = commune.chart_trend(ctx, "ty_le_dv_tham_du")
    ax = chart.figure.axes[0]
    assert any(list(line.get_xdata()) == [2024.5, 2024.5] for line in ax.lines)
    assert [t.get_text() for t in ax.get_legend().get_texts()] == [
        "xã, phường mới báo cáo",
        "1/7/2025: sắp xếp đơn vị hành chính",
    ]
    assert "Không có số liệu cũ để chuyển" in commune.not_reexpressed(ctx)


def test_english(thoai_son):
    ctx = commune.open_commune_2025("30682", 2025, lang="en")
    assert ctx.years == [2022, 2023, 2024, 2025]
    assert "Re-expressed from the old communes (legacy list)" in commune.history_table(ctx)
    assert "the whole calendar year" in commune.title_block(ctx)


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"year": 2024}, "2024 belongs to the legacy list"),
        ({"year": 2027}, "no data for 2027 in data/an_giang_2025; có các năm / years with data: 2025, 2026"),
        ({"commune": "00004"}, "is in Hà Nội; data/an_giang_2025 holds the units of: Tỉnh An Giang (91)"),
        ({"commune": "Phú Hòa"}, "matches 2 units"),
        ({"data_dir": "data/thoai_son"}, "data/thoai_son uses the legacy list: this report needs"),
    ],
)
def test_commune_report_errors(params, message):
    with pytest.raises(ReportError, match=message.replace("(", r"\(").replace(")", r"\)")):
        commune.open_commune_2025(**{"commune": "30682", "year": 2026, **params})


# --- the province compiles its communes -------------------------------------------------------


@pytest.fixture(scope="module")
def an_giang():
    return province.open_province_2025("91", 2026)


def test_the_province_report_states_coverage(an_giang, late, reported):
    assert len(late) == 12
    text = province.coverage_table(an_giang)
    assert "Năm 2026: 90/102 xã, phường, đặc khu báo cáo." in text
    reg = units.current()
    for code in late:
        assert f"{reg.unit(code).name} ({code})" in text
    assert "không phải số liệu toàn tỉnh" in text
    rows = [[td.get_text() for td in tr.find_all("td")] for tr in _table(text).find("tbody").find_all("tr")]
    assert rows == [["2025", "102/102", "0"], ["2026", "90/102", "12"]]
    assert province.summary(an_giang)["headline"][0][:3] == ["Đơn vị báo cáo 2026", "90/102", ""]
    # the compiled figure is the ratio of sums over the communes that reported, and says so
    communes = set(reported["unit"]) - {"91"}
    mine = reported[reported["unit"].isin(communes) & (reported["year"] == 2026)]
    assert an_giang.value("ty_le_dv_tham_du", year=2026) == pytest.approx(_rate(mine))
    assert "Tỷ lệ tham dự 2026 · 90/102 đơn vị" in province.headline(an_giang)
    # the new-rural standard is expected of communes (xã) only, not of wards
    assert "74/85" in province.indicator_table(an_giang, "socio")


def test_ranks_count_only_communes_with_data_and_ties_are_ties(an_giang, late):
    html = province.ranking_table(an_giang)
    soup = BeautifulSoup(html, "html.parser")
    ranks = [tr.find_all("td")[0].get_text() for tr in soup.find("tbody").find_all("tr")]
    assert len(ranks) == 90 and all(r.endswith("/90") for r in ranks)
    values = [tr.find_all("td")[2].get_text() for tr in soup.find("tbody").find_all("tr")]
    for i in range(1, len(values)):  # same value as shown, same rank, said "đồng hạng"
        if values[i] == values[i - 1]:
            assert ranks[i] == ranks[i - 1] and ranks[i].startswith("đồng hạng")
    assert "Không có số liệu, không xếp hạng (12)" in html
    assert all(f"({c})" in soup.find("p").get_text() for c in late)
    values = pd.Series([3.0, np.nan, 3.0, 1.0, 2.0])
    assert list(coverage.ranks(values, "higher").fillna(0)) == [1, 0, 1, 4, 3]
    assert list(coverage.ranks(values, "lower").fillna(0)) == [3, 0, 3, 1, 2]
    assert coverage.ranks(pd.Series([1.0, 2.0, np.nan]), "higher").isna().all()  # fewer than three
    assert coverage.ranks(values, None).isna().all()  # no direction
    assert coverage.rank_words(1.0, pd.Series([1.0, 1.0, 3.0]), 3, "vi") == "đồng hạng 1/3"
    assert coverage.rank_words(3.0, pd.Series([1.0, 1.0, 3.0]), 3, "en") == "3/3"


def test_province_charts_and_map(an_giang):
    ranked = province.chart_ranked(an_giang)
    assert isinstance(ranked, Chart) and len(ranked.figure.axes[0].get_yticklabels()) == 90
    mapped = province.chart_map(an_giang)
    ax = mapped.figure.axes[0]
    assert ax.get_title(loc="right") == "Nhãn: 5 đơn vị có giá trị cao nhất và 5 thấp nhất"
    assert len([t for t in ax.texts if t.get_text()]) == 10  # 5 highest, 5 lowest


def test_province_history_and_published(an_giang):
    history = province.history_table(an_giang)
    assert "6/102 xã, phường, đặc khu có lịch sử trước 1/7/2025" in history
    assert RULE in history and "Thoại Sơn (30682)" in history
    published = province.published(an_giang)
    assert read_meta(AG).published_vi in published
    assert "Tỉnh An Giang (89), Tỉnh Kiên Giang (91)" in published and "không được đem so" in published


@pytest.fixture(scope="module")
def copy_2025(tmp_path_factory):
    """A copy of data/an_giang_2025 with published figures of the province: the attendance rate of
    2025 (all communes reported) and 2026 (90/102), whose 2025 rows are made the province's reports
    (not illustrative), and the number of conferences of 2025, whose rows stay illustrative; the
    2026 rate's year is our inference."""
    folder = tmp_path_factory.mktemp("ag") / "an_giang_2025"
    shutil.copytree(AG, folder)
    with open(folder / "published.csv", "a", encoding="utf-8") as fh:
        fh.write('X1,91,2025,2025,indicator,ty_le_dv_tham_du,,97.5,1,,bao_cao,"tỷ lệ 97,5%",%,2025,,,,\n')
        fh.write(
            'X2,91,2026,2026,indicator,ty_le_dv_tham_du,,97.4,1,,bao_cao,"tỷ lệ 97,4%",%,,,'
            "năm 2026: suy từ câu trước của báo cáo,2026: from the sentence before,\n"
        )
        fh.write("X3,91,2025,2025,element,hn_so,cd2025,999,0,,bao_cao,999 hội nghị,hội nghị,2025,,,,\n")
    obs = folder / "observations.csv"
    reported_rows = re.compile(r"^(\d+,2025,hn_(?:luot_dv|dv_phai_du),[^,]*,\d+,)\"[^\"]*\"", re.M)
    obs.write_text(reported_rows.sub(r"\1Báo cáo của xã", obs.read_text(encoding="utf-8")), encoding="utf-8")
    with open(folder / "sources.yaml", "a", encoding="utf-8") as fh:
        fh.write(
            "bao_cao:\n  title_vi: Báo cáo của tỉnh\n  title_en: The province's report\n  kind: report\n"
        )
    return folder


def test_published_figures_are_compared_only_from_complete_reported_data(copy_2025):
    found = {}
    for year in (2025, 2026):
        ctx = province.open_province_2025("91", year, data_dir=str(copy_2025))
        page = province.published(ctx)
        for tr in _table(page).find_all("tr")[1:]:
            cells = [td.get_text() for td in tr.find_all("td")]
            found[cells[0]] = cells
    assert found["X1"][1:5] == ["Tỉnh An Giang", "Tỷ lệ tham dự", "2025", "97,5"]
    assert found["X1"][6] == "không khớp" and found["X1"][7] == "Báo cáo của tỉnh"
    # compared with illustrative rows: no verdict, and it says why
    assert found["X3"][6] == "số liệu minh họa, không phải số liệu thật: không tính"
    # not all communes reported: not compared; the year the source does not state is marked
    assert found["X2"][3:5] == ["2026 (s)", "97,4"] and found["X2"][6] == "không so: 90/102 đơn vị báo cáo"
    assert "(s) Kỳ do chúng tôi suy ra, nguồn không nêu — X2: năm 2026: suy từ câu trước của báo cáo" in page


def test_fingerprints_follow_the_rows_a_report_reads(copy_2025):
    def prints():
        return {
            (kind, u): input_fingerprint(kind, u, 2026, str(copy_2025))
            for kind, u in (("province_2025", "91"), ("commune_2025", "30682"), ("commune_2025", "30292"))
        }

    before = prints()
    assert before == prints()
    obs = copy_2025 / "observations.csv"
    text = obs.read_text(encoding="utf-8")
    line = next(x for x in text.splitlines() if x.startswith("30292,2026,dan_so,"))
    obs.write_text(text.replace(line, line.replace(",dan_so,,", ",dan_so,,1")), encoding="utf-8")
    after = prints()
    assert after[("province_2025", "91")] != before[("province_2025", "91")]
    assert after[("commune_2025", "30292")] != before[("commune_2025", "30292")]
    assert after[("commune_2025", "30682")] == before[("commune_2025", "30682")]


# --- the history a 2025 folder names -----------------------------------------------------------


def test_a_document_reads_its_unit_against_the_list_of_its_data_folder():
    from baocao.export.formats import _units

    def named(code, parameters):
        return _units({"unit": code, "level": "commune", "parameters": parameters})[0].name

    assert named("30682", {"data_dir": "data/an_giang_2025"}) == "Xã Thoại Sơn"
    assert named("30682", {}) == "Thị trấn Núi Sập"  # the default data: the legacy list
    assert named("91", {"data_dir": "data/an_giang_2025"}) == "Tỉnh An Giang"


def test_history_is_named_by_the_folder(tmp_path):
    assert history_folders(AG) == [ROOT / "data" / "thoai_son"] and history_folders("") == []
    for text, message in (
        ('unit_list: "2025"\nhistory: 5\n', "history must be a list of legacy data folders"),
        ("unit_list: legacy\nhistory: [data/thoai_son]\n", "history belongs to a folder of the 2025 list"),
    ):
        (tmp_path / "dataset.yaml").write_text(text, encoding="utf-8")
        with pytest.raises(InputFileError, match=message):
            read_meta(tmp_path)
    for entry, message in (
        ("data/nowhere", "not a data folder"),
        ("data/an_giang_2025", "uses the 2025 list"),
    ):
        (tmp_path / "dataset.yaml").write_text(f'unit_list: "2025"\nhistory: [{entry}]\n', encoding="utf-8")
        with pytest.raises(InputFileError, match=message):
            history_folders(tmp_path)


# --- the plan -----------------------------------------------------------------------------------


def test_the_plan_is_the_province_report_and_its_102_commune_reports():
    from baocao.build.builder import select
    from baocao.build.plans import load_plan

    plan = load_plan(ROOT / "params" / "an_giang_2025.yml")
    assert len(plan.reports) == 2 * (1 + 102)
    assert {r.year for r in plan.reports} == {2025, 2026}
    provinces = [r for r in plan.reports if r.kind == "province_2025"]
    assert [r.key for r in provinces] == ["2025/91/province_2025_report", "2026/91/province_2025_report"]
    communes = [r for r in plan.reports if r.kind == "commune_2025"]
    assert {r.unit for r in communes} == {u.code for u in units.current().children("91")}
    assert plan.data_path.endswith("data/an_giang_2025")
    assert len(select(plan.reports, ["2026"])) == 103


@pytest.mark.slow
def test_a_slice_of_the_plan_builds(tmp_path, procs):
    """The province report and two commune reports of 2026 (one with history, one that has not
    reported), built by `baocao build`."""
    baocao = str(Path(sys.executable).with_name("baocao"))
    out = tmp_path / "out"
    proc = procs.run(
        [
            baocao,
            "build",
            "params/an_giang_2025.yml",
            "--only",
            "2026",
            "--only",
            "91,30682,30301",
            "--outputs",
            str(out),
            "--docx",
        ],
        cwd=ROOT,
    )
    assert proc.returncode == 0, proc.stdout
    assert "3 reports: 3 built, 0 failed" in proc.stdout
    page = (out / "2026/91/province_2025_report.html").read_text(encoding="utf-8")
    assert "90/102 xã, phường, đặc khu báo cáo" in page and "Phường Mỹ Thới (30301)" in page
    page = (out / "2026/30682/commune_2025_report.html").read_text(encoding="utf-8")
    assert "Xã, phường mới báo cáo (danh mục 2025)" in page and RULE in page and page.count("<img") >= 4
    page = (out / "2026/30301/commune_2025_report.html").read_text(encoding="utf-8")
    assert "Phường Mỹ Thới chưa báo cáo số liệu năm 2026" in page
    # the official documents are issued by the units of the 2025 list the codes mean there
    for path, issuer, not_issuer in (
        ("2026/91/province_2025_report.docx", "TỈNH AN GIANG", "KIÊN GIANG"),
        ("2026/30682/commune_2025_report.docx", "XÃ THOẠI SƠN", "NÚI SẬP"),
    ):
        text = " ".join(c.text for row in docx.Document(out / path).tables[0].rows for c in row.cells).upper()
        assert issuer in text and not_issuer not in text, (path, text[:300])


def test_a_stock_by_year_is_counted_to_the_end_of_each_year(thoai_son, an_giang):
    """Funds active and money raised to date are stocks: a table by year says each column is the
    end of that year, not a flow over it; a flow (conferences held) says nothing of the kind."""
    for page in (commune.history_table(thoai_son), province.indicator_table(an_giang, "welfare")):
        rows = {tr.find("td").get_text(): tr for tr in _table(page).find_all("tr")[1:] if tr.find("td")}
        stocks = [
            label for label in rows if label.startswith(("Số Quỹ Khuyến học", "Tổng số tiền Quỹ Khuyến học"))
        ]
        assert len(stocks) == 2 and all(label.endswith("tính đến cuối mỗi năm") for label in stocks), stocks
        assert not any("tính đến" in label for label in rows if label not in stocks)


def test_the_index_carries_the_illustrative_mark_and_banner_of_a_2025_report(thoai_son, an_giang):
    """The plan's index lists each 2025 report with the mark of its illustrative figures and its
    banner, as the page shows them (a count of units reporting is no figure of the data)."""
    from baocao.build.html import render_index

    for ctx, mod in ((thoai_son, commune), (an_giang, province)):
        s = mod.summary(ctx)
        rate = next(h for h in s["headline"] if h[0].startswith("Tỷ lệ tham dự"))
        assert rate[2] == "mh" and all(h[2] == "" for h in s["headline"] if h is not rate)
        assert "minh họa" in s["marks"]["banner"] and s["marks"]["legend"][0][0] == "mh"
        entry = {
            "notebook": "x",
            "notebook_title": s["title"],
            "unit_code": ctx.unit.code,
            "unit_name": ctx.unit.name,
            "year": ctx.year,
            "href": "x.html",
            "status": "ok",
            "headline": s["headline"],
            "marks": s["marks"],
        }
        page = BeautifulSoup(render_index([entry]), "html.parser")
        assert (
            page.select_one(".banner-illustrative") and page.select_one(".card sup.mark").get_text() == "mh"
        )


def test_a_2025_plan_selects_and_exports_units_by_their_2025_names():
    """``--only "Thoại Sơn"`` in the 2025 plan is the new commune 30682 (in the legacy list 30682 is
    Thị trấn Núi Sập, and Thoại Sơn a district)."""
    from baocao.build.builder import select
    from baocao.build.plans import load_plan

    plan = load_plan(ROOT / "params" / "an_giang_2025.yml", ROOT)
    assert plan.unit_list == "2025"
    chosen = select(plan.reports, ["Thoại Sơn", "2026"], plan.unit_list)
    assert [r.key for r in chosen] == ["2026/30682/commune_2025_report"]
    legacy = load_plan(ROOT / "params" / "thoai_son.yml", ROOT)
    assert legacy.unit_list == "legacy"
    assert {r.unit for r in select(legacy.reports, ["Núi Sập", "2024"], legacy.unit_list)} == {"30682"}
