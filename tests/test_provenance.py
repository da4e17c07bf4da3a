"""Truth in every figure: periods, provenance marks, published figures as published, targets by level.

Pure calls of the report functions (no notebook run); the built period report is checked in
tests/test_notebooks.py.
"""

from __future__ import annotations

import re

import pandas as pd
import pytest
from bs4 import BeautifulSoup

from baocao import fmt
from baocao.data import units
from baocao.data.sample import generate_district, to_csv_frame
from baocao.io.tables import write_csv
from baocao.reports.local import commune, provenance
from baocao.reports.local import district as report
from baocao.reports.local.marks import superscript

BLOCKS = (
    "title_block",
    "headline",
    "campaign_narrative",
    "campaign_table",
    "socio_narrative",
    "socio_table",
    "welfare_narrative",
    "welfare_table",
    "footnotes",
)


def page(ctx) -> str:
    return "".join(str(getattr(report, b)(ctx)) for b in BLOCKS)


@pytest.fixture(scope="module")
def period():
    return report.open_district("894", 2024, year_from=2022)


def published_rows() -> pd.DataFrame:
    from baocao.io.dataset import load

    return load().published


def check_published_rows(html: str, published: pd.DataFrame) -> None:
    """Every published row appears as a figure exactly as published (Vietnamese style, its own
    decimals), marked with the number of a footnote that names the source and the row id."""
    soup = BeautifulSoup(html, "html.parser")
    for r in published.itertuples(index=False):
        spans = soup.select(f'span.fig[data-published~="{r.id}"]')
        assert spans, f"{r.id} is not shown"
        want = fmt.number(r.value, max(int(r.decimals), 0))
        texts = [s.find(string=True, recursive=False) or "" for s in spans]
        parts = [p.split(" ")[0] for t in texts for p in t.split("/")]
        assert any(p in (want, want + "%") for p in parts), (r.id, want, texts)
        for s in spans:
            links = [a["href"] for a in s.select("sup.mark a")]
            assert f"#fn-{r.id}" in links, (r.id, links)
        note = soup.select_one(f"li#fn-{r.id}")
        assert note is not None, f"no footnote for {r.id}"
        text = note.get_text(" ")
        assert r.id in text and "Bài báo" in text and str(r.quote)[:20] in text


def test_period_report_carries_every_published_figure_with_its_footnote(period):
    check_published_rows(page(period), published_rows())


def test_period_report_says_what_the_article_says(period):
    html = page(period)
    text = BeautifulSoup(html, "html.parser").get_text(" ")
    # the article gives no period for 956 and 17.939: the page never says it does
    assert "Giai đoạn 2022–2024" not in text and "không nêu kỳ của hai con số này" in text
    assert "như nguồn đã công bố" not in text
    assert "54/67 trường" in html
    assert "4.530/4.560" in html
    soup = BeautifulSoup(html, "html.parser")
    p02 = soup.select_one("li#fn-P02").get_text(" ")
    assert "17.939" in p02 and "17.489" in p02 and "P04 + P07 + P10 + P13" in p02
    p16 = soup.select_one("li#fn-P16").get_text(" ")
    assert "54/67 = 80,597%" in p16 and "làm tròn xuống" in p16
    p05 = soup.select_one("li#fn-P05").get_text(" ")
    assert "kỳ 2021–2025" in p05 and "99,756%" in p05
    # exactly as published, never re-rounded (the footnotes show the computed values)
    body = BeautifulSoup(html, "html.parser")
    body.select_one("section.footnotes").decompose()
    for wrong in ("99,76%", "98,13%", "80,60%"):
        assert wrong not in body.get_text(" "), wrong
    for right in ("99,75%", "98,1%", "80,59%", "956", "17.939", "21 tỷ đồng"):
        assert right in text, right


def test_footnotes_are_numbered_in_reading_order(period):
    ctx = report.open_district("894", 2024, year_from=2022)
    html = str(report.campaign_narrative(ctx))
    numbers = [int(n) for n in re.findall(r'<a href="#fn-P\d+">(\d+)(?:, s)?</a>', html)]
    assert numbers == list(range(1, len(numbers) + 1))


def test_every_figure_in_cards_and_tables_is_marked():
    ctx = report.open_district("894", 2024)
    soup = BeautifulSoup(page(ctx), "html.parser")
    for card in soup.select(".card .value"):
        assert card.select_one("span.fig sup.mark"), card
    for td in soup.select("td.num"):
        if re.search(r"\d", td.get_text()) and not td.get_text().startswith(("≥", "≤")):
            assert td.select_one("span.fig sup.mark"), td
    for span in soup.select("span.fig"):
        assert span.select_one("sup.mark").get_text().strip()


def test_illustrative_district_figures_are_marked_from_their_source():
    """The 2024 headline and dialogue, every 2022 socio-economic figure: generated, so marked."""
    ctx = report.open_district("894", 2024)
    for code in (
        "thu_nhap_bq",
        "ty_le_ho_ngheo",
        "ty_le_truong_chuan",
        "bac_si_van_dan",
        "so_xa_ntm",
        "ty_le_dv_tham_du",
        "doi_thoai_so",
        "doi_thoai_dai_bieu",
    ):
        assert ctx.figure(code).provenance == "illustrative", code
    for code in ("thu_nhap_bq", "ty_le_ho_ngheo", "ty_le_truong_chuan", "bac_si_van_dan"):
        assert ctx.figure(code, year=2022).provenance == "illustrative", code
    # the article's 2023 dialogue rows are reported data, and published
    assert ctx.figure("doi_thoai_so", year=2023).provenance == "published"
    banner = provenance.banner(ctx)
    assert "cấp huyện" in banner and "minh họa" in banner


def test_a_year_never_holds_the_whole_term_topic():
    for year, conferences in ((2022, 211), (2023, 235), (2024, 235)):
        ctx = report.open_district("894", year)
        assert ctx.value("hn_so") == conferences
        assert "tk2125" not in set(ctx.ind.loc[ctx.ind["year"] == year, "category"])
        narrative = BeautifulSoup(str(report.campaign_narrative(ctx)), "html.parser").get_text(" ")
        assert f"không cộng vào số liệu của năm {year}" in narrative and "275" in narrative


def test_commune_is_not_judged_by_a_district_only_target():
    reg = units.legacy()
    for unit in reg.children("894"):
        ctx = commune.open_commune(unit.code, 2024)
        soup = BeautifulSoup(str(commune.commune_table(ctx)), "html.parser")
        row = next(tr for tr in soup.select("tbody tr") if "bác sĩ" in tr.get_text().lower())
        cells = [td.get_text(" ") for td in row.select("td")]
        assert "chưa đạt" not in cells[-1] and "không đánh giá cấp xã" in cells[-1]
        assert "cấp huyện" in soup.get_text()
        below = str(commune.below_target(ctx))
        assert "Số bác sĩ trên 10.000 dân:" not in below
    ind = ctx.cat.indicator("bac_si_van_dan")
    assert ind.meets_target(2.0, "commune") is None and ind.meets_target(2.0, "district") is False


@pytest.fixture(scope="module")
def unpublished_district(tmp_path_factory):
    reg = units.legacy()
    district = next(d for d in reg.children("89") if d.code != "894")
    folder = tmp_path_factory.mktemp("generated")
    write_csv(folder / "observations.csv", to_csv_frame(generate_district(reg, district.code, seed=7)))
    (folder / "dataset.yaml").write_text("unit_list: legacy\n", encoding="utf-8")
    return district, str(folder)


def test_district_without_published_figures_never_claims_to_reproduce_them(unpublished_district):
    district, folder = unpublished_district
    ctx = report.open_district(district.code, 2024, data_dir=folder)
    html = str(report.title_block(ctx))
    text = BeautifulSoup(html, "html.parser").get_text(" ")
    assert "tái lập" not in text and "reproduce" not in text
    assert "Không có số liệu đã công bố" in text
    assert "minh họa" in text
    assert not ctx.notes and str(report.footnotes(ctx)) == ""
    assert "sup class='mark'>1, 2" not in html  # no published figures: the legend does not list them


def test_chart_value_labels_carry_their_marks_told_apart_by_year():
    ctx = report.open_district("894", 2024)
    fig = report.chart_campaign_over_years(ctx).figure
    texts = [t.get_text() for ax in fig.axes for t in ax.texts]
    # 235 conferences in 2023 (P09) and in 2024 (P12): the same text, two different footnotes
    assert "235" + superscript(str(ctx.footnote("P09"))) in texts
    assert "235" + superscript(str(ctx.footnote("P12"))) in texts
    assert all(t[-1] in "⁰¹²³⁴⁵⁶⁷⁸⁹ʰᵗ" for t in texts), texts
    footer = fig.texts[-1].get_text()
    assert "chuyên đề toàn khóa" in footer.lower() and "không thuộc năm nào" in footer
    trend = report.chart_trend(ctx, "thu_nhap_bq").figure
    assert [t.get_text() for t in trend.axes[0].texts] == [
        "67,9ᵐʰ",
        "73,5" + superscript(str(ctx.footnote("P15"))),
        "78,2ᵐʰ",
    ]
