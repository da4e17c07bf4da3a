"""The indicator catalogue: the real one covers the article; malformed ones are refused clearly."""

from __future__ import annotations

import pandas as pd
import pytest
import yaml

from baocao import config
from baocao.data.catalogue import CatalogueError, build_catalogue
from baocao.io.tables import read_catalogue

TOPICS = ["tk2125", "cd2022", "cd2023", "cd2024"]


# ------------------------------------------------------------------ the real catalogue


# every kind of figure the article states -> (kind, code, numerator, denominator, factor)
ARTICLE_FIGURES = {
    "hội nghị (conferences)": ("indicator", "hn_so", "hn_so", None, 1),
    "lượt đảng viên (attendances)": ("indicator", "hn_luot_dv", "hn_luot_dv", None, 1),
    "đảng viên phải dự (members)": ("element", "hn_dv_phai_du", None, None, None),
    "tỷ lệ tham dự (rate)": ("indicator", "ty_le_dv_tham_du", "hn_luot_dv", "hn_dv_phai_du", 100),
    "thu nhập bình quân (income)": ("indicator", "thu_nhap_bq", "thu_nhap_bq", None, 1),
    "trường chuẩn quốc gia (schools)": (
        "indicator",
        "ty_le_truong_chuan",
        "truong_chuan_qg",
        "truong_tong",
        100,
    ),
    "bác sĩ/vạn dân (doctors per 10,000)": ("indicator", "bac_si_van_dan", "bac_si", "dan_so", 10000),
    "tỷ lệ hộ nghèo (poor rate)": ("indicator", "ty_le_ho_ngheo", "ho_ngheo", "ho_tong", 100),
    "xã nông thôn mới (new rural)": ("indicator", "so_xa_ntm", "ntm_dat_chuan", None, 1),
    "xã NTM nâng cao (advanced)": ("indicator", "so_xa_ntm_nang_cao", "ntm_nang_cao", None, 1),
    "xã NTM kiểu mẫu (model)": ("indicator", "so_xa_ntm_kieu_mau", "ntm_kieu_mau", None, 1),
    "Quỹ Khuyến học (study funds)": ("indicator", "quy_khuyen_hoc_so", "quy_khuyen_hoc_so", None, 1),
    "tiền Quỹ Khuyến học (money)": ("indicator", "quy_khuyen_hoc_tien", "quy_khuyen_hoc_tien", None, 1),
    "hội nghị đối thoại (dialogue)": ("indicator", "doi_thoai_so", "doi_thoai_so", None, 1),
    "đại biểu đối thoại (delegates)": ("indicator", "doi_thoai_dai_bieu", "doi_thoai_dai_bieu", None, 1),
    "khen thưởng tập thể (collective)": ("indicator", "khen_thuong_tap_the", "khen_thuong_tap_the", None, 1),
    "khen thưởng cá nhân (individual)": ("indicator", "khen_thuong_ca_nhan", "khen_thuong_ca_nhan", None, 1),
}


@pytest.mark.parametrize("figure", list(ARTICLE_FIGURES))
def test_every_article_figure_kind_is_covered(cat, figure):
    kind, code, numerator, denominator, factor = ARTICLE_FIGURES[figure]
    if kind == "element":
        assert code in cat.elements
        return
    ind = cat.indicator(code)
    assert (ind.numerator, ind.denominator, ind.factor) == (numerator, denominator, factor)
    assert ind.name_vi and ind.name_en and ind.unit_vi is not None


@pytest.mark.parametrize("element", ["hn_so", "hn_luot_dv", "hn_dv_phai_du"])
def test_campaign_elements_have_the_four_topics(cat, element):
    el = cat.element(element)
    assert el.category_set == "topic"
    # the article's four, then the topics of the years the new communes report (2025 unit list)
    assert [o.code for o in cat.categories["topic"].options] == [*TOPICS, "cd2025", "cd2026"]


def test_rate_per_topic_is_defined_for_all_four_topics(cat):
    ind = cat.indicator("ty_le_dv_tham_du")
    for part in (ind.numerator, ind.denominator):
        assert cat.element(part).category_set == "topic"
    assert cat.category_label("hn_so", "cd2023") == "Chuyên đề năm 2023"
    assert cat.category_label("hn_so", "tk2125", lang="en") == "Whole-term topic 2021–2025"
    assert cat.category_label("dan_so", "") == ""


def test_element_types_fit_their_meaning(cat):
    assert cat.element("thu_nhap_bq").aggregation == "weighted_mean"
    assert cat.element("thu_nhap_bq").weight == "dan_so"
    assert cat.element("thu_nhap_bq").value_type == "number"
    for code in ("ntm_dat_chuan", "ntm_nang_cao", "ntm_kieu_mau"):
        el = cat.element(code)
        assert (el.value_type, el.min, el.max, el.aggregation) == ("boolean", 0, 1, "sum")
    for code in ("hn_so", "truong_tong", "bac_si", "ho_ngheo", "doi_thoai_so", "khen_thuong_ca_nhan"):
        assert (cat.element(code).value_type, cat.element(code).aggregation, cat.element(code).min) == (
            "integer",
            "sum",
            0,
        )


def test_targets_have_a_direction(cat):
    assert cat.indicator("ty_le_ho_ngheo").direction == "lower"
    assert cat.indicator("ty_le_ho_ngheo").meets_target(1.32) is True
    assert cat.indicator("ty_le_truong_chuan").meets_target(79.9) is False
    assert cat.indicator("hn_so").meets_target(5) is None  # no target


def test_every_published_figure_refers_to_the_catalogue(cat):
    pub = pd.read_csv(config.data_dir() / "thoai_son" / "published.csv", dtype=str, keep_default_na=False)
    for row in pub.itertuples():
        if row.figure_type == "element":
            el = cat.element(row.code)
        else:
            el = cat.element(cat.indicator(row.code).numerator)
        if row.category:
            assert el.category_set and cat.categories[el.category_set].option(row.category)


def test_rules_reference_elements(cat):
    assert [r.id for r in cat.rules] == [f"R0{i}" for i in range(1, 10)]
    r01 = cat.rules[0]
    assert (r01.left, r01.operator, r01.right, r01.importance) == (
        "hn_luot_dv",
        "<=",
        "hn_dv_phai_du",
        "blocking",
    )


def test_unknown_code_lookup_says_so(cat):
    with pytest.raises(KeyError, match="unknown data element 'nope'"):
        cat.element("nope")
    with pytest.raises(KeyError, match="unknown indicator 'nope'"):
        cat.indicator("nope")


# ------------------------------------------------------------------ malformed catalogues


def element(code="a", **kw):
    return {"code": code, "name_vi": code, "name_en": code, "unit_vi": "", "unit_en": "", **kw}


def indicator(code="i", **kw):
    return {"code": code, "name_vi": code, "name_en": code, "numerator": "a", **kw}


def rules(**kw):
    row = dict(
        id="R1",
        left="a",
        operator="<=",
        right="b",
        importance="blocking",
        description_vi="x",
        description_en="x",
    )
    return pd.DataFrame([{**row, **kw}])


def english(exc: CatalogueError) -> str:
    """Where, then the English message (``str()`` holds the Vietnamese one too)."""
    return f"{exc.where}: {exc.message_en}"


def refused(docs, rule_table=None) -> str:
    with pytest.raises(CatalogueError) as exc:
        build_catalogue(docs, rule_table, "rules.csv")
    err = exc.value
    assert str(err) == f"{err.where}: {err.message_vi} / {err.message_en}"  # each language once
    assert err.message_vi != err.message_en
    return english(err)


def test_valid_minimal_catalogue_builds():
    cat = build_catalogue(
        [
            (
                "a.yaml",
                {
                    "elements": [element("a"), element("b")],
                    "indicators": [indicator(denominator="b", factor=100)],
                },
            )
        ],
        rules(),
    )
    assert cat.indicator("i").factor == 100 and cat.rules[0].id == "R1"


def test_unknown_key():
    msg = refused([("socio.yaml", {"elements": [element("a"), element("b", agregation="sum")]})])
    assert msg.startswith("socio.yaml: elements[1]: unknown key(s) agregation")
    assert "aggregation" in msg  # lists what is allowed


def test_unknown_section():
    assert refused([("x.yaml", {"element": []})]).startswith("x.yaml: unknown section(s) element; allowed:")


def test_a_missing_key_is_named_in_both_languages():
    el = element("a")
    del el["unit_vi"]
    with pytest.raises(CatalogueError) as exc:
        build_catalogue([("e.yaml", {"elements": [el]})])
    assert exc.value.message_en == "missing key(s) unit_vi"
    assert exc.value.message_vi == "thiếu khóa bắt buộc unit_vi"


def test_duplicate_code_names_the_second_file():
    msg = refused(
        [("a.yaml", {"elements": [element("dan_so")]}), ("b.yaml", {"elements": [element("dan_so")]})]
    )
    assert msg == "b.yaml: element dan_so: code 'dan_so' is defined twice"


def test_bad_factor():
    msg = refused([("ind.yaml", {"elements": [element("a")], "indicators": [indicator("rate", factor=7)]})])
    assert msg.startswith("ind.yaml: indicator rate: factor 7")


EXAMPLE = {"value": 95, "levels": ["district"], "illustrative": True}


def test_target_without_direction():
    msg = refused(
        [("ind.yaml", {"elements": [element("a")], "indicators": [indicator("rate", target=EXAMPLE)]})]
    )
    assert msg == "ind.yaml: indicator rate: a target needs a direction (higher / lower)"


def test_indicator_referencing_unknown_element():
    msg = refused(
        [("ind.yaml", {"elements": [element("a")], "indicators": [indicator("rate", denominator="dan_sô")]})]
    )
    assert msg == "ind.yaml: indicator rate: element 'dan_sô' is not defined"


def test_weighted_mean_needs_weight_element():
    msg = refused([("e.yaml", {"elements": [element("inc", aggregation="weighted_mean", weight="pop")]})])
    assert msg.startswith("e.yaml: element inc: weighted_mean needs a weight element")


def test_unknown_category_set():
    msg = refused([("e.yaml", {"elements": [element("a", category_set="topic")]})])
    assert msg == "e.yaml: element a: category set 'topic' is not defined"


def test_rule_with_unknown_operator_names_file_row_column():
    msg = refused([("e.yaml", {"elements": [element("a"), element("b")]})], rules(operator="=<"))
    assert msg.startswith("rules.csv, row 2, column operator: '=<' is not one of")


def test_rule_with_unknown_importance():
    msg = refused([("e.yaml", {"elements": [element("a"), element("b")]})], rules(importance="fatal"))
    assert msg.startswith("rules.csv, row 2, column importance: 'fatal'")


def test_rule_with_unknown_element():
    msg = refused([("e.yaml", {"elements": [element("a")]})], rules())
    assert msg == "rules.csv, row 2: rule R1: 'b' is neither a number nor a data element"


def test_read_catalogue_names_the_real_file(tmp_path):
    (tmp_path / "a.yaml").write_text(yaml.safe_dump({"elements": [element("a")]}), encoding="utf-8")
    (tmp_path / "b.yaml").write_text(
        yaml.safe_dump({"indicators": [indicator("rate", numerator="x")]}), encoding="utf-8"
    )
    with pytest.raises(CatalogueError) as exc:
        read_catalogue(tmp_path)
    assert english(exc.value) == "b.yaml: indicator rate: element 'x' is not defined"


def test_read_catalogue_rules_row_is_the_file_line(tmp_path):
    (tmp_path / "a.yaml").write_text(
        yaml.safe_dump({"elements": [element("a"), element("b")]}), encoding="utf-8"
    )
    header = "id,left,operator,right,importance,description_vi,description_en\n"
    (tmp_path / "rules.csv").write_text(
        header + "R1,a,<=,b,blocking,x,x\n\nR2,a,=>,b,blocking,x,x\n", encoding="utf-8"
    )
    with pytest.raises(CatalogueError) as exc:
        read_catalogue(tmp_path)
    assert english(exc.value).startswith(f"{tmp_path / 'rules.csv'}, row 4, column operator: '=>'")


def test_read_catalogue_bad_yaml_and_empty_folder(tmp_path):
    with pytest.raises(CatalogueError, match="no catalogue files"):
        read_catalogue(tmp_path)
    (tmp_path / "a.yaml").write_text("elements: [\n", encoding="utf-8")
    with pytest.raises(CatalogueError) as exc:
        read_catalogue(tmp_path)
    assert english(exc.value).endswith(
        "a.yaml: not valid YAML on line 2 (expected the node content, but found '<stream end>')"
    )
    assert "\n" not in str(exc.value) and "không phải YAML hợp lệ ở dòng 2" in str(exc.value)


# ------------------------------------------------------------------ where a target applies


def test_target_says_the_levels_it_applies_to():
    doc = {
        "elements": [element("a")],
        "indicators": [
            indicator(
                "i",
                direction="higher",
                target={
                    "value": 6,
                    "levels": ["district"],
                    "illustrative": True,
                    "note_vi": "tính ở cấp huyện",
                    "note_en": "counted at district level",
                },
            ),
            indicator(
                "j", direction="higher", target={"value": 6, "levels": ["district", "commune"], **SOURCE}
            ),
        ],
    }
    cat = build_catalogue([("a.yaml", doc)])
    i, j = cat.indicator("i"), cat.indicator("j")
    assert (i.target, i.target_levels, i.target_note("vi")) == (6, ("district",), "tính ở cấp huyện")
    assert (
        i.meets_target(2, "commune") is None
        and i.meets_target(2, "district") is False
        and i.meets_target(7) is True
    )
    assert j.target_levels == ("district", "commune") and j.meets_target(2, "commune") is False
    assert j.meets_target(9, "province") is None  # its document names no province target


SOURCE = {
    "source": {
        "type": "resolution",
        "number": "05-NQ/HU",
        "date": "2021-01-15",
        "issuer_vi": "Ban Chấp hành Đảng bộ huyện",
        "issuer_en": "District Party Committee",
    }
}


def test_a_target_names_its_document_or_says_it_is_an_example():
    """Targets come from documents: a resolution, plan or decision with its number and date; a
    target without one is an example and says so (``illustrative: true``)."""
    doc = {
        "elements": [element("a")],
        "indicators": [
            indicator("s", direction="higher", target={"value": 80, "levels": ["district"], **SOURCE}),
            indicator("e", direction="higher", target=EXAMPLE),
        ],
    }
    cat = build_catalogue([("a.yaml", doc)])
    s, e = cat.indicator("s"), cat.indicator("e")
    assert not s.target_illustrative and e.target_illustrative
    assert s.target_document("vi") == "Nghị quyết số 05-NQ/HU ngày 15/01/2021 của Ban Chấp hành Đảng bộ huyện"
    assert s.target_document("en") == "Resolution No. 05-NQ/HU of 15/01/2021 by the District Party Committee"
    assert e.target_document("vi") == ""


@pytest.mark.parametrize(
    "target, words",
    [
        (95, "names its source document or says it is illustrative"),  # a bare number says neither
        ({"value": 95, "levels": ["district"]}, "give either its source document"),
        ({"value": 95, "levels": ["district"], "illustrative": True, **SOURCE}, "not both"),
        ({"value": 95, "illustrative": True}, "target.levels"),  # the levels are not implied
        (
            {"value": 95, "levels": ["district"], "source": {"type": "resolution", "date": "2021-01-15"}},
            "number",
        ),
        (
            {
                "value": 95,
                "levels": ["district"],
                "source": {"type": "resolution", "number": "1", "date": "2021"},
            },
            "YYYY-MM-DD",
        ),
        ({"value": 95, "levels": ["district"], "source": {"type": "letter", "number": "1"}}, "type"),
    ],
)
def test_a_target_without_its_source_is_refused(target, words):
    msg = refused(
        [
            (
                "a.yaml",
                {
                    "elements": [element("a")],
                    "indicators": [indicator("i", direction="higher", target=target)],
                },
            )
        ]
    )
    assert msg.startswith("a.yaml: indicators[0].target") and words in msg, msg


def test_the_shipped_targets_are_marked_illustrative(cat):
    """Thoại Sơn's resolutions and plans are not in our data: every target of the catalogue is an
    example, marked as one, with no invented document."""
    targets = [ind for ind in cat.indicators.values() if ind.target is not None]
    assert targets and all(ind.target_illustrative and ind.target_source is None for ind in targets)
    assert cat.indicator("ty_le_truong_chuan").target_levels == ("district",)  # not a commune of 3–4 schools


@pytest.mark.parametrize(
    "target, words",
    [
        ({"value": 6, "level": ["district"]}, "unknown key(s) level"),
        ({"value": 6, "levels": ["huyen"]}, "target.levels"),
        ({"levels": ["district"]}, "'value' must be a number"),
    ],
)
def test_bad_target_mapping_is_refused_with_the_entry_named(target, words):
    msg = refused(
        [
            (
                "a.yaml",
                {
                    "elements": [element("a")],
                    "indicators": [indicator("i", direction="higher", target=target)],
                },
            )
        ]
    )
    assert msg.startswith("a.yaml: indicators[0].target") and words in msg


def test_doctors_target_is_district_only_and_says_why(cat):
    ind = cat.indicator("bac_si_van_dan")
    assert ind.target == 6 and ind.target_levels == ("district",)
    assert "Trung tâm Y tế huyện" in ind.target_note("vi") and "district health centre" in ind.target_note(
        "en"
    )
