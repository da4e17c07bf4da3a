"""Real data as it arrives (issue #22): coverage is data, no statement without data, GSO
declarations checked, ranks honest — one test per case the issue lists.

- Coverage (DHIS2's reporting rate): :func:`baocao.data.aggregate.coverage` and
  :func:`~baocao.data.aggregate.indicator_coverage` say, for every aggregate, who was expected to
  report and who did not; the catalogue's ``reported_at`` says who reports what.
- A district onboarded without ``--illustrative`` (Châu Phú, 889, 13 communes) with the issue's
  five rows, then ten rows, for Khánh Hòa 2024: every report opens and renders; the district's
  figures say "1/13 xã báo cáo" and are neither judged nor ranked; Cái Dầu, with no data, says so;
  the welfare section says nothing was reported; no chart is drawn from one unit or one year.
- Ranks: only units with a value, ties as ties, none below three; the national overview names
  ties. A ranked indicator without a direction, and a GSO declaration matching no column, are
  errors naming the catalogue file and entry.

The reports are rendered in process, cell by cell as their notebooks call them (:func:`render`).
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from bs4 import BeautifulSoup

from baocao.data.aggregate import coverage, indicator_coverage, period_coverage, reporters
from baocao.data.catalogue import CatalogueError, build_catalogue
from baocao.data.published import PUBLISHED_COLUMNS
from baocao.data.units import legacy
from baocao.reports import charts
from baocao.reports.kit import Chart, Html, rank_by_direction, rank_words

ROOT = Path(__file__).resolve().parents[1]
CHAU_PHU, KHANH_HOA, CAI_DAU = "889", "30466", "30463"
HEADER = "unit,year,element,category,value,source,note\n"
FIVE = [
    (KHANH_HOA, 2024, "hn_so", "cd2024", 12),
    (KHANH_HOA, 2024, "hn_luot_dv", "cd2024", 290),
    (KHANH_HOA, 2024, "hn_dv_phai_du", "cd2024", 300),
    (KHANH_HOA, 2024, "dan_so", "", 21500),
    (KHANH_HOA, 2024, "thu_nhap_bq", "", 62.5),
]
TEN = [
    *FIVE,
    (KHANH_HOA, 2024, "ho_tong", "", 5400),
    (KHANH_HOA, 2024, "ho_ngheo", "", 65),
    (KHANH_HOA, 2024, "truong_tong", "", 4),
    (KHANH_HOA, 2024, "truong_chuan_qg", "", 3),
    (KHANH_HOA, 2024, "bac_si", "", 2),
]


def write_district(folder: Path, rows) -> str:
    """A data folder as ``init-district`` writes it (without --illustrative), with ``rows``."""
    folder.mkdir(parents=True, exist_ok=True)
    lines = [f"{u},{y},{e},{c},{v},Đảng ủy xã / UBND xã,\n" for u, y, e, c, v in rows]
    (folder / "observations.csv").write_text(HEADER + "".join(lines), encoding="utf-8")
    (folder / "published.csv").write_text(",".join(PUBLISHED_COLUMNS) + "\n", encoding="utf-8")
    (folder / "sources.yaml").write_text("{}\n", encoding="utf-8")
    (folder / "dataset.yaml").write_text("unit_list: legacy\n", encoding="utf-8")  # a district's codes
    return str(folder)


def cells(notebook: str) -> list[str]:
    """The code cells of a report notebook after its parameters, as the notebook calls them."""
    src = (ROOT / "notebooks" / f"{notebook}.py").read_text(encoding="utf-8")
    out = []
    for block in re.split(r"^# %%", src, flags=re.M)[1:]:
        head, _, body = block.partition("\n")
        if "[markdown]" not in head and "parameters" not in head and body.strip():
            out.append(body.strip())
    return out


def render(notebook: str, **parameters) -> list:
    """Every output of a report notebook, run in process cell by cell: Html (a str), Chart."""
    ns = dict(parameters)
    out = []
    for cell in cells(notebook):
        if cell.startswith("from "):
            exec(cell, ns)  # the import and the opening cell
            continue
        shown = eval(cell, ns)
        out += list(shown) if isinstance(shown, list) else [shown]
    return out


def page(outputs) -> str:
    """The HTML outputs and the charts' texts of a rendered report, as one text."""
    parts = []
    for o in outputs:
        if isinstance(o, Chart):
            parts.append(
                " ".join(t.get_text() for ax in o.figure.axes for t in [*ax.texts, *ax.get_yticklabels()])
            )
            parts.append(" ".join(t.get_text() for t in o.figure.texts))
        else:
            parts.append(str(o))
    return "\n".join(parts)


def words(html: str) -> str:
    return " ".join(BeautifulSoup(html, "html.parser").get_text(" ").split())


DISTRICT = dict(year=2024, year_from=0, lang="vi", compare="ty_le_dv_tham_du")


@pytest.fixture(scope="module")
def five(tmp_path_factory):
    return write_district(tmp_path_factory.mktemp("five"), FIVE)


@pytest.fixture(scope="module")
def ten(tmp_path_factory):
    return write_district(tmp_path_factory.mktemp("ten"), TEN)


# ---------------------------------------------------------------- coverage is data


def test_who_is_expected_to_report_follows_the_catalogue():
    reg = legacy()
    communes = [u.code for u in reg.children(CHAU_PHU)]
    assert reporters(reg, CHAU_PHU, None) == tuple(communes)  # the communes, by default
    assert reporters(reg, CHAU_PHU, ("commune", "district")) == (CHAU_PHU, *communes)  # doctors
    assert reporters(reg, CHAU_PHU, ("district",)) == (CHAU_PHU,)  # dialogue conferences
    rural = reporters(reg, CHAU_PHU, ("xã",))  # new-rural status: rural communes, not towns
    assert CAI_DAU not in rural and KHANH_HOA in rural and len(rural) == 11
    assert reporters(reg, KHANH_HOA, ("district",)) == ()  # a commune is not expected to report those


def test_coverage_counts_expected_and_missing_units_per_element_category_and_year(ten):
    from baocao.io.dataset import load

    ds = load([Path(ten) / "observations.csv"], [])
    units = [CHAU_PHU, *(u.code for u in ds.registry.children(CHAU_PHU))]
    cov = coverage(ds.observations, ds.catalogue, ds.registry, units, [2023, 2024])
    at = cov.set_index(["unit", "year", "element", "category"])
    hn = at.loc[(CHAU_PHU, 2024, "hn_so", "cd2024")]
    assert len(hn["expected"]) == 13 and set(hn["expected"]) - set(hn["missing"]) == {KHANH_HOA}
    assert at.loc[(CHAU_PHU, 2024, "hn_so", "")]["missing"] == hn["missing"]  # the total: every topic
    assert len(at.loc[(CHAU_PHU, 2023, "hn_so", "")]["missing"]) == 13  # nobody reported in 2023
    doctors = at.loc[(CHAU_PHU, 2024, "bac_si", "")]
    assert CHAU_PHU in doctors["expected"] and CHAU_PHU in doctors["missing"]  # the health centre's own
    assert at.loc[(KHANH_HOA, 2024, "dan_so", "")]["missing"] == ()
    assert (KHANH_HOA, 2024, "doi_thoai_so", "") not in at.index  # the district's to report
    icov = indicator_coverage(cov, ds.catalogue).set_index(["unit", "year", "indicator", "category"])
    # income needs the population too (a population-weighted mean): Khánh Hòa reported both
    assert icov.loc[(KHANH_HOA, 2024, "thu_nhap_bq", "")]["missing"] == ()
    income = icov.loc[(CHAU_PHU, 2024, "thu_nhap_bq", "")]
    assert len(income["expected"]) == 13 and len(income["missing"]) == 12


def test_an_indicator_is_reported_only_with_every_element_it_needs(tmp_path):
    from baocao.io.dataset import load

    folder = write_district(tmp_path, [r for r in TEN if r[2] != "dan_so"])  # income without population
    ds = load([Path(folder) / "observations.csv"], [])
    cov = coverage(ds.observations, ds.catalogue, ds.registry, [KHANH_HOA], [2024])
    icov = indicator_coverage(cov, ds.catalogue).set_index(["unit", "indicator"])
    assert icov.loc[(KHANH_HOA, "thu_nhap_bq")]["missing"] == (KHANH_HOA,)
    assert icov.loc[(KHANH_HOA, "ty_le_ho_ngheo")]["missing"] == ()


def test_thoai_son_is_complete_by_construction():
    from baocao.reports.kit import load_data

    ds = load_data("")
    units = ["894", *(u.code for u in ds.registry.children("894"))]
    cov = coverage(ds.observations, ds.catalogue, ds.registry, units, [2022, 2023, 2024])
    assert len(cov) and not cov["missing"].map(len).any()
    assert not indicator_coverage(cov, ds.catalogue)["missing"].map(len).any()
    per = period_coverage(ds.periods, ds.catalogue, ds.registry, units)
    assert (
        set(per["element"]) == {"hn_so", "hn_luot_dv", "hn_dv_phai_du"} and not per["missing"].map(len).any()
    )


def test_reported_at_is_checked_naming_file_and_entry():
    element = dict(code="x", name_vi="X", name_en="X", unit_vi="cái", unit_en="items")
    cat = build_catalogue([("a.yaml", {"elements": [{**element, "reported_at": ["commune", "xã"]}]})])
    assert cat.element("x").reported_at == ("commune", "xã")
    with pytest.raises(
        CatalogueError, match=r"^a.yaml: elements\[0\].reported_at: danh sách các cấp .* / a list of levels"
    ):
        build_catalogue([("a.yaml", {"elements": [{**element, "reported_at": ["ward"]}]})])


# ---------------------------------------------------------------- the five and the ten rows


def test_five_rows_every_report_renders(five):
    """The issue's first case: 14 of 15 reports failed on `chart_trend(ctx, "ty_le_ho_ngheo")`."""
    district = page(render("district_report", district=CHAU_PHU, data_dir=five, **DISTRICT))
    assert "Tỷ lệ hộ nghèo (chuẩn nghèo đa chiều) (%) — không có số liệu để vẽ biểu đồ." in district
    for commune in (KHANH_HOA, CAI_DAU):
        render("commune_report", commune=commune, year=2024, lang="vi", data_dir=five)
    render("data_quality", district=CHAU_PHU, year=2024, lang="vi", data_dir=five)


def test_a_year_without_data_opens_and_says_nothing_was_reported(five):
    text = words(
        page(render("district_report", district=CHAU_PHU, data_dir=five, **{**DISTRICT, "year": 2022}))
    )
    assert "Chưa có số liệu nào được báo cáo cho huyện Châu Phú năm 2022." in text
    assert "Năm 2022: 0/13 xã báo cáo đủ; 13 xã chưa báo cáo" in text
    commune = words(page(render("commune_report", commune=KHANH_HOA, year=2023, lang="vi", data_dir=five)))
    assert "Chưa có số liệu nào được báo cáo cho xã Khánh Hòa năm 2023." in commune
    assert "đều đạt" not in commune


def test_a_commune_with_no_data_says_so_never_that_every_target_is_met(ten):
    html = page(render("commune_report", commune=CAI_DAU, year=2024, lang="vi", data_dir=ten))
    text = words(html)
    assert "đều đạt" not in text and "đạt" not in re.sub(r"đánh giá|chuẩn", "", text.lower()).split()
    assert "Chưa có số liệu nào được báo cáo cho thị trấn Cái Dầu năm 2024." in text
    assert "Năm 2024, thị trấn Cái Dầu chưa có số liệu nào để đánh giá theo chỉ tiêu phấn đấu." in text
    en = words(page(render("commune_report", commune=CAI_DAU, year=2024, lang="en", data_dir=ten)))
    assert "every indicator" not in en and "Nothing was reported for Cái Dầu (township) in 2024." in en


def test_district_figures_from_one_commune_say_so_and_are_not_judged(ten):
    out = render("district_report", district=CHAU_PHU, data_dir=ten, **DISTRICT)
    html = page(out)
    soup = BeautifulSoup(html, "html.parser")
    district = soup.select(f'span.fig[data-unit="{CHAU_PHU}"]')
    assert district and all(s.get("data-coverage", "").startswith("1/13 xã báo cáo") for s in district)
    assert all("(1/13 xã báo cáo" in s.get_text() for s in district)
    assert not soup.select(".card.good, .card.bad")  # no verdict colour on a partial figure
    text = words(html)
    for sources in soup.select("details.sources"):  # the list of sources says what the targets are
        sources.decompose()
    verdicts = words(str(soup))
    assert "đạt chỉ tiêu" not in verdicts and "chưa đạt" not in verdicts
    assert "chưa đánh giá (chưa đủ đơn vị báo cáo)" in text  # the campaign table's assessment
    doctors = soup.select(f'span.fig[data-unit="{CHAU_PHU}"][data-code="bac_si_van_dan"]')
    assert doctors[0]["data-coverage"] == "1/13 xã báo cáo; chưa có số của cấp huyện"
    # who has not reported: the units with a gap, what they miss
    assert "Năm 2024: 0/13 xã báo cáo đủ; 1 xã báo cáo một phần; 12 xã chưa báo cáo" in text
    assert "Xã Khánh Hòa thiếu 9/19 số liệu" in text and "Thị trấn Cái Dầu chưa báo cáo" in text
    # the index's headline says it too
    from baocao.reports.local import district as report
    from baocao.reports.local.context import make_context

    unit = legacy().unit(CHAU_PHU)
    ctx = make_context("district", unit=unit, district=unit, year=2024, lang="vi", data_dir=ten)
    # [label, text, mark, footnote anchor, coverage]: the index shows the coverage after the mark
    assert ["Hội nghị", "12 hội nghị", "t", "", "1/13 xã báo cáo"] in report.summary(ctx)["headline"]


def test_one_commune_with_data_is_not_ranked_1_of_13(ten):
    out = render("commune_report", commune=KHANH_HOA, year=2024, lang="vi", data_dir=ten)
    table = next(o for o in out if "Xếp hạng" in str(o))
    rows = BeautifulSoup(str(table), "html.parser").select("tbody tr")
    assert len(rows) == 7 and all(r.select("td")[3].get_text() == "–" for r in rows)  # no rank for anyone
    assert "1/13" not in words(page(out)).replace("1/13 xã báo cáo", "")
    assert "Không xếp hạng (tỷ lệ tham dự, hội nghị, " in words(str(table))  # and the page says why
    assert ": dưới 3 xã, thị trấn có số liệu." in words(str(table))


def test_an_empty_section_says_nothing_was_reported(ten):
    text = words(page(render("district_report", district=CHAU_PHU, data_dir=ten, **DISTRICT)))
    assert (
        "Mô hình" not in text  # the heading is markdown; the section's cells say it in words:
        and "Chưa có số liệu nào được báo cáo về mô hình an sinh xã hội, đối thoại và khen thưởng cho huyện "
        "Châu Phú năm 2024."
        in text
    )


def test_one_unit_or_one_year_is_a_sentence_not_a_chart(ten):
    out = render("district_report", district=CHAU_PHU, data_dir=ten, **DISTRICT)
    assert not [o for o in out if isinstance(o, Chart)]  # one commune, one year: nothing to draw
    text = words(page(out))
    assert (
        "Bản đồ các xã, thị trấn: Tỷ lệ tham dự, 2024 — chỉ có số liệu của một đơn vị: Khánh Hòa 96,67%ᵗ. "
        "Cần số liệu của ít nhất hai đơn vị để so sánh. Huyện Châu Phú 2024: 1/13 xã báo cáo." in text
    )
    assert "chỉ trải 0,00" not in text
    assert (
        "Tỷ lệ hộ nghèo (chuẩn nghèo đa chiều) (%) — chỉ có số liệu năm 2024: Huyện Châu Phú 1,20%ᵗ. "
        "Cần số liệu của ít nhất hai năm để vẽ xu hướng." in text
    )


def test_the_data_quality_report_shows_who_has_not_reported(ten):
    text = words(page(render("data_quality", district=CHAU_PHU, year=2024, lang="vi", data_dir=ten)))
    assert "Số hội nghị học tập, quán triệt 1/13 xã: chỉ có Khánh Hòa" in text
    assert "Số bác sĩ 1/13 xã: chỉ có Khánh Hòa; cấp huyện: chưa báo cáo" in text
    assert "Xã đạt chuẩn nông thôn mới 0/11 xã: chưa xã nào báo cáo" in text  # rural communes only
    assert "Số hội nghị đối thoại giữa cấp ủy, chính quyền với Nhân dân cấp huyện: chưa báo cáo" in text


def test_thoai_son_everyone_reported(tmp_path):
    district = words(page(render("district_report", district="894", data_dir="", **DISTRICT)))
    assert (
        "Cả 17 xã, thị trấn và cấp huyện đã báo cáo đủ mọi số liệu theo danh mục: 2022, 2023, 2024, "
        "2021–2025." in district
    )
    assert "xã báo cáo)" not in district  # no partial figure anywhere
    quality = words(page(render("data_quality", district="894", year=2024, lang="vi", data_dir="")))
    assert (
        "Số hội nghị học tập, quán triệt đủ (17/17 xã) đủ (17/17 xã) đủ (17/17 xã) đủ (17/17 xã)" in quality
    )
    assert "Xã đạt chuẩn nông thôn mới đủ (14/14 xã)" in quality


# ---------------------------------------------------------------- ranks


def test_ranks_count_units_with_data_share_ties_and_need_three():
    values = pd.Series([98.7, 98.7, 98.7, 90.0, np.nan, 91.234], index=list("abcdef"))
    r = rank_by_direction(values, "higher", decimals=1)
    assert r["rank"].tolist()[:4] == [1, 1, 1, 5] and r.at["f", "rank"] == 4 and np.isnan(r.at["e", "rank"])
    assert r["tied"].tolist() == [True, True, True, False, False, False] and (r["of"] == 5).all()
    assert rank_words(1, True, 5, 6, "vi", "xã", "communes") == "đồng hạng 1/5 xã có số liệu"
    assert rank_words(4, False, 5, 5, "en", "xã", "communes") == "4/5"
    assert rank_words(2, False, 9, 13, "en", "xã", "communes") == "2/9 communes with data"
    low = rank_by_direction(pd.Series([1.5, 1.0, 2.0]), "lower")
    assert low["rank"].tolist() == [2, 1, 3]
    two = rank_by_direction(pd.Series([1.0, 2.0, np.nan]), "higher")
    assert two["rank"].isna().all()  # below three units with a value: no rank
    assert rank_words(float("nan"), False, 2, 3, "vi", "xã", "communes") == "–"
    # equal as printed: 96,671 and 96,674 both read 96,67%
    assert rank_by_direction(pd.Series([96.671, 96.674, 90.0]), "higher", 2)["rank"].tolist() == [1, 1, 3]


def test_commune_ranks_in_a_three_way_tie_and_among_communes_with_data(tmp_path):
    rows = []
    for commune, att in (("30466", 290), ("30469", 290), ("30472", 290), ("30475", 250)):
        rows += [
            (commune, 2024, "hn_luot_dv", "cd2024", att),
            (commune, 2024, "hn_dv_phai_du", "cd2024", 300),
            (commune, 2024, "hn_so", "cd2024", 10),
        ]
    folder = write_district(tmp_path, rows)
    from baocao.reports.local import commune as report

    ctx = report.open_commune("30469", 2024, "vi", folder)
    table = words(report.commune_table(ctx))
    # the tie, how many were ranked, the partial district figure and the illustrative target (mh)
    assert "96,67 t 93,33 t (4/13 xã báo cáo) đồng hạng 1/4 xã có số liệu ≥ 95 mh đạt mh" in table
    last = report.open_commune("30475", 2024, "vi", folder)
    assert "4/4 xã có số liệu" in words(report.commune_table(last))


def test_a_ranked_indicator_must_declare_its_direction(tmp_path, monkeypatch):
    from dataclasses import replace

    from baocao.reports.local import communes
    from baocao.reports.local.commune import open_commune

    ctx = open_commune(KHANH_HOA, 2024, "vi", write_district(tmp_path, TEN))
    undeclared = replace(ctx.cat.indicators["ty_le_ho_ngheo"], direction=None)
    monkeypatch.setitem(ctx.cat.indicators, "ty_le_ho_ngheo", undeclared)
    with pytest.raises(
        CatalogueError,
        match=r"^thoai_son.yaml: indicator ty_le_ho_ngheo: chỉ số được xếp hạng .* / it is shown in a",
    ):
        communes.commune_values(ctx, "ty_le_ho_ngheo")


def test_a_gso_ranking_without_direction_is_a_catalogue_error(tmp_path, monkeypatch):
    home = tmp_path / "home"
    shutil.copytree(ROOT / "data" / "catalogue", home / "data" / "catalogue")
    gso = home / "data" / "catalogue" / "gso.yaml"
    text = gso.read_text(encoding="utf-8")
    gso.write_text(
        text.replace("    direction: lower\n    section: gso_poverty", "    section: gso_poverty"), "utf-8"
    )
    monkeypatch.setenv("BAOCAO_HOME", str(home))
    from baocao.io.tables import read_catalogue
    from baocao.reports.gso.loading import report_codes

    with pytest.raises(CatalogueError) as err:
        report_codes(read_catalogue(home / "data" / "catalogue"))
    assert str(err.value).startswith(
        "gso.yaml: indicator gso_ty_le_ho_ngheo: chỉ số được xếp hạng nên phải khai"
    )
    assert "/ it is shown in a ranking, so it must declare direction" in str(err.value)


def test_the_national_overview_names_ties(monkeypatch):
    from baocao.reports.gso import national

    ctx = national.open_national(2016, "vi")
    tied = pd.DataFrame(
        {
            "code": ["01", "34", "79", "89"],
            "label": ["Hà Nội", "Thái Bình", "TP. Hồ Chí Minh", "An Giang"],
            "value": [98.7, 98.7, 98.66, 50.0],
        }
    )
    monkeypatch.setattr(national, "ranking", lambda ctx, code, *a, **k: tied)
    text = str(national.national_summary(ctx))
    assert "cao nhất: Hà Nội, Thái Bình, TP. Hồ Chí Minh (98,7%)" in text
    assert "thấp nhất An Giang 50,0%" in text


# ---------------------------------------------------------------- charts


def test_a_map_whose_values_do_not_spread_has_no_colour_scale():
    df = pd.DataFrame(
        {
            "label": ["Khánh Hòa", "Mỹ Đức"],
            "lat": [10.6, 10.55],
            "lon": [105.2, 105.1],
            "value": [96.67, 96.67],
        }
    )
    fig = charts.dot_map(df, title="Bản đồ", value_label="%", decimals=2, suffix="%")
    assert len(fig.axes) == 1  # no colour bar
    legend = [t.get_text() for t in fig.axes[0].get_legend().get_texts()]
    assert legend == ["mọi đơn vị có số liệu cùng một giá trị, 96,67%: không có thang màu"]
    from baocao.reports.chart_image import alt_text

    assert "chỉ trải" not in alt_text(fig)
    spread = charts.dot_map(
        df.assign(value=[96.67, 90.0]), title="Bản đồ", value_label="%", decimals=2, suffix="%"
    )
    assert len(spread.axes) == 2  # a colour bar when the values differ


def test_bars_of_equal_values_are_not_a_zoom_on_nothing():
    df = pd.DataFrame({"label": ["a", "b", "c"], "value": [96.67, 96.67, 96.67]})
    ax = charts.ranked_bars(df, title="t", value_label="%", decimals=2).axes[0]
    assert ax.get_xlim()[0] == 0  # bars from 0, not an axis 96,660–96,685
    trend = charts.trend(
        pd.DataFrame({"year": [2023, 2024], "value": [5.0, 5.0]}), title="t", value_label="v"
    )
    assert trend.axes[0].get_ylim() == (0.0, 6.0)


def test_one_year_one_unit_one_value_are_sentences_with_their_values():
    one_year = charts.trend(
        pd.DataFrame({"year": [2024, 2024], "value": [1.2, 1.3], "series": ["Xã A", "Huyện B"]}),
        title="Tỷ lệ hộ nghèo (%)",
        value_label="%",
        decimals=2,
        suffix="%",
    )
    assert one_year.text() == (
        "Tỷ lệ hộ nghèo (%) — chỉ có số liệu năm 2024: Xã A 1,20%; Huyện B 1,30%. "
        "Cần số liệu của ít nhất hai năm để vẽ xu hướng."
    )
    one_unit = charts.ranked_bars(
        pd.DataFrame({"label": ["A", "B"], "value": [5.0, np.nan]}), title="t", value_label="v", lang="en"
    )
    assert (
        one_unit.text()
        == "t — data for one unit only: A 5.0. A comparison needs at least two units with data."
    )
    from baocao.reports.kit import as_chart

    shown = as_chart(lambda: one_unit)()
    assert isinstance(shown, Html) and shown.startswith('<p class="no-chart">t — data for one unit only')


# ---------------------------------------------------------------- GSO declarations


def test_a_province_column_matching_nothing_is_an_error_in_validate_and_in_the_reports(
    tmp_path, monkeypatch, capsys
):
    home = tmp_path / "home"
    shutil.copytree(ROOT / "data", home / "data")
    gso = home / "data" / "catalogue" / "gso.yaml"
    text = gso.read_text(encoding="utf-8")
    bad = 'gso: {file: "Poverty rate by province.csv", layout: years, province_column: "Province"'
    gso.write_text(
        text.replace(
            'gso: {file: "Poverty rate by province.csv", layout: years, '
            'province_column: "Cities, provincies"',
            bad,
        ),
        encoding="utf-8",
    )
    monkeypatch.setenv("BAOCAO_HOME", str(home))
    from baocao.cli import main

    assert main(["validate", "--lang", "en"]) == 1
    out = capsys.readouterr().out
    lines = [ln for ln in out.splitlines() if "gso_layout" in ln]
    assert len(lines) == 1
    assert (
        "data/catalogue/gso.yaml: element gso_ty_le_ho_ngheo: gso: the declaration does not match the table "
        "Poverty rate by province.csv" in lines[0]
    ) and "no column 'Province'" in lines[0]
    from baocao.reports.gso import province
    from baocao.reports.kit import ReportError

    with pytest.raises(ReportError, match="gso.yaml: element gso_ty_le_ho_ngheo"):
        province.open_province("An Giang", 2016, "vi", str(home / "data" / "gso" / "raw"))


# ---------------------------------------------------------------- the files taken away


def test_a_partial_figure_keeps_its_coverage_in_the_workbook_and_the_csv(ten):
    import io

    import nbformat
    import openpyxl

    from baocao.export.blocks import Notes, blocks, csv_bytes, read_cell
    from baocao.export.formats import coverage_of
    from baocao.export.workbook import workbook_bytes

    out = render("district_report", district=CHAU_PHU, data_dir=ten, **DISTRICT)
    nb = nbformat.v4.new_notebook(
        cells=[
            nbformat.v4.new_code_cell(
                outputs=[
                    nbformat.v4.new_output(
                        "display_data",
                        data={"text/html": str(o)},
                        metadata={"baocao": o.meta} if o.meta else {},
                    )
                ]
            )
            for o in out
            if isinstance(o, Html)
        ]
    )
    entry = {"unit": CHAU_PHU, "unit_name": "Huyện Châu Phú", "year": 2024, "lang": "vi", "level": "district"}
    notes = Notes()
    tables = [b for b in blocks(nb, "vi", notes) if b.type == "table"]
    cov = coverage_of(entry, notes.reporting)
    assert cov.reporting == [
        "Năm 2024: 0/13 xã báo cáo đủ; 1 xã báo cáo một phần; 12 xã chưa báo cáo; "
        "số liệu của cấp huyện: chưa báo cáo."
    ]
    campaign = next(t for t in tables if "Chuyên đề" in t.header)
    cell = campaign.cells[0][2]
    assert (cell.text, cell.mark, cell.get("coverage")) == ("12", "t", "1/13 xã báo cáo")
    assert campaign.rows[0][2] == "12 t (1/13 xã báo cáo)"  # as Word shows it
    assert "1/13 xã báo cáo" in csv_bytes(campaign, "vi", notes).decode("utf-8-sig")
    wb = openpyxl.load_workbook(io.BytesIO(workbook_bytes(tables, title="t", notes=notes, coverage=cov)))
    values = [c.value for ws in wb.worksheets for row in ws.iter_rows() for c in row if c.value is not None]
    assert "t · 1/13 xã báo cáo" in values and 12 in values
    assert any(isinstance(v, str) and v.startswith("Năm 2024: 0/13 xã báo cáo đủ") for v in values)
    assert read_cell(BeautifulSoup("<td>5</td>", "html.parser").td).get("coverage") == ""


# ---------------------------------------------------------------- a real build


@pytest.mark.slow
def test_a_district_onboarded_without_illustrative_data_builds_every_report_from_five_then_ten_rows(tmp_path):
    """The issue's case end to end: `init-district "Châu Phú"` (no --illustrative), the five rows of
    Khánh Hòa 2024, `validate`, then `build` of the whole plan: no report fails; then the ten rows."""
    import json
    import os
    import subprocess
    import sys

    home = tmp_path / "home"
    for name in ("data", "params", "notebooks"):
        shutil.copytree(ROOT / name, home / name)
    env = dict(os.environ, BAOCAO_HOME=str(home), COLUMNS="200")
    env.pop("BAOCAO_OUTPUTS", None)
    baocao = str(Path(sys.executable).with_name("baocao"))

    def run(*args: str, timeout: int = 300):
        proc = subprocess.run(
            [baocao, *args], cwd=home, env=env, capture_output=True, text=True, timeout=timeout
        )
        assert proc.returncode == 0, proc.stdout + proc.stderr
        return proc

    run("init-district", "Châu Phú", "--years", "2024")
    write_district(home / "data" / "chau_phu", FIVE)
    assert "5 dòng hợp lệ" in run("validate", "data/chau_phu/observations.csv").stdout
    out = home / "out"
    build = run("build", "params/chau_phu.yml", "--jobs", "2", "--outputs", str(out), timeout=900)
    assert "15 reports: 15 built, 0 failed" in build.stdout, build.stdout
    m = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    assert len(m["reports"]) == 15 and {e["status"] for e in m["reports"].values()} == {"ok"}
    district = words((out / "2024/889/district_report.html").read_text(encoding="utf-8"))
    assert "12 t (1/13 xã báo cáo)" in district and "đạt chỉ tiêu" not in district
    cai_dau = words((out / f"2024/{CAI_DAU}/commune_report.html").read_text(encoding="utf-8"))
    assert (
        "Chưa có số liệu nào được báo cáo cho thị trấn Cái Dầu năm 2024." in cai_dau
        and "đều đạt" not in cai_dau
    )
    index = words((out / "index-chau_phu.html").read_text(encoding="utf-8"))
    assert "12 hội nghị t (1/13 xã báo cáo)" in index  # the builder's headline says it too, after the mark
    write_district(home / "data" / "chau_phu", TEN)
    build = run("build", "params/chau_phu.yml", "--jobs", "2", "--outputs", str(out), timeout=900)
    assert "15 reports: 15 built, 0 failed" in build.stdout, build.stdout
    district = words((out / "2024/889/district_report.html").read_text(encoding="utf-8"))
    assert "Chưa có số liệu nào được báo cáo về mô hình an sinh xã hội" in district
    assert "chỉ trải" not in district and "đạt chỉ tiêu" not in district
