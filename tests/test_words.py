"""Reports speak plain Vietnamese: rule levels and rules in words, the input check explained,
sources cited as a person would, official unit names."""

from __future__ import annotations

import pytest

from baocao.data import units
from baocao.data.catalogue import Rule
from baocao.reports.gso import national
from baocao.reports.gso import units as gso_units
from baocao.reports.local import data_quality as report
from baocao.reports.local.provenance import sources


@pytest.fixture(scope="module")
def ctx():
    return report.open_report("data_quality", {"district": "894", "year": 2024})


def test_levels_and_rules_in_words(ctx):
    assert report.level_words("blocking").startswith("chặn") and report.level_words("warning").startswith(
        "cảnh báo"
    )
    assert report.level_words("blocking", "en").startswith("blocking")
    rule = next(r for r in ctx.cat.rules if r.left == "hn_luot_dv" and r.right == "hn_dv_phai_du")
    said = report.rule_words(ctx.cat, rule)
    assert "hn_luot_dv" not in said and "<=" not in said and "không được lớn hơn" in said
    assert said.startswith(ctx.cat.element("hn_luot_dv").name("vi"))
    unknown = Rule("R99", "x_code", ">=", "y_code", "warning", "", "")
    assert report.rule_words(ctx.cat, unknown) == "x_code không được nhỏ hơn y_code"
    page = str(report.rules_table(ctx))
    assert "blocking" not in page and "warning" not in page and "&lt;=" not in page and "chặn" in page


def test_footer_explains_the_input_check(ctx):
    text = str(report.footer(ctx))
    assert "mã băm" not in text and "mã kiểm tra số liệu đầu vào" in text
    assert "cùng một số liệu" in text and "mã cũng đổi" in text


def test_sources_cited_once_as_a_person_would(ctx):
    said = sources(ctx)
    assert not any("seed" in s or "illustrative generated data" in s for s in said)
    articles = [s for s in said if "Huyện Thoại Sơn (tỉnh An Giang) học tập và làm theo Bác" in s]
    assert len(articles) == 1, said
    assert (
        articles[0].startswith("“Huyện Thoại Sơn")
        and ", bài báo, 2024" in articles[0]
        and "đối chiếu" in articles[0]
    )
    assert any(s.startswith("Số liệu minh họa") for s in said)


def test_official_unit_names():
    assert units.display_name("79", "Thành phố Hồ Chí Minh", "Hồ Chí Minh") == "TP. Hồ Chí Minh"
    assert units.display_name("01", "Thành phố Hà Nội", "Hà Nội", use_short=False) == "Thủ đô Hà Nội"
    assert units.display_name("89", "Tỉnh An Giang", "An Giang") == "An Giang"
    assert (
        gso_units.unit_label("79") == "TP. Hồ Chí Minh"
        and gso_units.unit_label("01", short=False) == "Thủ đô Hà Nội"
    )
    n = national.open_report("national", {"year": 2016})
    assert "TP. Hồ Chí Minh" in str(national.national_summary(n))
