"""The shipped Thoại Sơn data: load clean, reproduce the article, reconcile every published figure."""

from __future__ import annotations

import pandas as pd
import pytest

from baocao import config, fmt
from baocao.cli import main
from baocao.data import units
from baocao.data.aggregate import aggregate, aggregate_periods, indicators, period_indicators
from baocao.data.reconcile import reconcile
from baocao.data.sample import ARTICLE, generate_thoai_son, to_csv_frame
from baocao.io.dataset import load
from baocao.io.tables import read_csv_strings

COMMUNES = 17


@pytest.fixture(scope="module")
def ds():
    return load()


@pytest.fixture(scope="module")
def agg(ds):
    return aggregate(ds.observations, ds.catalogue, ds.registry)


@pytest.fixture(scope="module")
def ind(ds, agg):
    return indicators(agg, ds.catalogue)


@pytest.fixture(scope="module")
def period_agg(ds):
    return aggregate_periods(ds.periods, ds.catalogue, ds.registry)


@pytest.fixture(scope="module")
def rec(ds, agg, period_agg):
    return reconcile(ds.published, agg, ds.catalogue, period_agg).set_index("id")


def district(frame, code, year=2023, category="", column="indicator") -> float:
    hit = frame[
        (frame["unit"] == "894")
        & (frame[column] == code)
        & (frame["year"] == year)
        & (frame["category"] == category)
    ]
    assert len(hit) == 1, (code, year, category)
    return float(hit["value"].iloc[0])


def test_real_data_load_without_blocking_problem(ds):
    assert ds.ok
    assert ds.problems.empty  # not even a warning
    assert len(ds.observations) + len(ds.periods) == 1002
    assert sorted(ds.observations["year"].unique()) == [2022, 2023, 2024]
    # the whole-term topic is a 2021–2025 figure: period rows only, never a year's
    assert len(ds.periods) == 51 and set(ds.periods["category"]) == {"tk2125"}
    assert set(zip(ds.periods["year_from"], ds.periods["year_to"])) == {(2021, 2025)}
    assert "tk2125" not in set(ds.observations["category"])
    communes = {u.code for u in units.legacy().children("894")}
    assert set(ds.observations["unit"]) == communes | {"894"}
    assert len(communes) == COMMUNES


# The 2023 district figures as the article prints them (Vietnamese style, its precision).
ARTICLE_2023 = [
    ("thu_nhap_bq", "", 1, "73,5"),  # thu nhập bình quân đầu người 73,5 triệu đồng
    ("bac_si_van_dan", "", 2, "6,06"),  # 6,06/10.000 dân
    ("ty_le_ho_ngheo", "", 2, "1,32"),  # hộ nghèo 1,32%
    ("hn_so", "cd2023", 0, "235"),  # 235 hội nghị chuyên đề năm 2023
    ("hn_luot_dv", "cd2023", 0, "4.530"),  # 4.530/4.560 lượt đảng viên
    ("ty_le_dv_tham_du", "cd2023", 2, "99,34"),  # đạt tỷ lệ 99,34%
    ("doi_thoai_so", "", 0, "5"),  # 5 hội nghị đối thoại
    ("doi_thoai_dai_bieu", "", 0, "390"),  # 390 lượt đại biểu
]


@pytest.mark.parametrize("code, category, decimals, printed", ARTICLE_2023)
def test_2023_district_value_equals_article_at_its_precision(ind, code, category, decimals, printed):
    assert fmt.number(district(ind, code, category=category), decimals) == printed


def test_2023_schools(agg, ind):
    assert district(agg, "truong_chuan_qg", column="element") == 54
    assert district(agg, "truong_tong", column="element") == 67
    rate = district(ind, "ty_le_truong_chuan")
    assert fmt.number(rate, 2) == "80,60"  # 54/67 = 80,597…: the article prints 80,59
    assert rate == pytest.approx(80.597015, abs=1e-6)


def test_2023_members_expected(agg):
    assert fmt.number(district(agg, "hn_dv_phai_du", category="cd2023", column="element")) == "4.560"


def test_new_rural_and_funds(ind):
    assert [district(ind, c, 2024) for c in ("so_xa_ntm", "so_xa_ntm_nang_cao", "so_xa_ntm_kieu_mau")] == [
        13,
        7,
        2,
    ]
    assert district(ind, "quy_khuyen_hoc_so", 2024) == 23  # 23 Quỹ Khuyến học
    assert fmt.money_vnd_million(district(ind, "quy_khuyen_hoc_tien", 2024)) == "21 tỷ đồng"


def test_topics_over_the_period(ds, ind, period_agg):
    # 275 (2021–2025) + 211 + 235 + 235 = 956 conferences; 4.489 + 4.416 + 4.530 + 4.054 = 17.489 attendances
    conf = {(2022, "cd2022"): 211, (2023, "cd2023"): 235, (2024, "cd2024"): 235}
    att = {(2022, "cd2022"): 4416, (2023, "cd2023"): 4530, (2024, "cd2024"): 4054}
    for (year, topic), n in conf.items():
        assert district(ind, "hn_so", year, topic) == n
        assert district(ind, "hn_so", year) == n  # a year's total holds only that year's topic
    for (year, topic), n in att.items():
        assert district(ind, "hn_luot_dv", year, topic) == n
    per = period_indicators(period_agg, ds.catalogue)
    term = per[(per["unit"] == "894") & (per["category"] == "tk2125")].set_index("indicator")
    assert (term["year_from"].unique().tolist(), term["year_to"].unique().tolist()) == ([2021], [2025])
    assert (term.loc["hn_so", "value"], term.loc["hn_luot_dv", "value"]) == (275, 4489)
    assert (
        fmt.percent(term.loc["ty_le_dv_tham_du", "value"], 2) == "99,76%"
    )  # computed; the article prints 99,75%
    assert not (ind["category"] == "tk2125").any()


# verdicts that are true of the shipped data (see published.csv and the article)
EXPECTED_VERDICTS = {
    "P01": "match",
    "P02": "mismatch",
    "P03": "match",
    "P04": "match",
    "P05": "rounding difference",  # 4.489/4.500 = 99,756 %, the article prints 99,75 %
    "P06": "match",
    "P07": "match",
    "P08": "match",
    "P09": "match",
    "P10": "match",
    "P11": "match",
    "P12": "match",
    "P13": "match",
    "P14": "match",
    "P15": "match",
    "P16": "rounding difference",  # 54/67 = 80,597 %, the article prints 80,59 %
    "P17": "match",
    "P18": "match",
    "P19": "match",
    "P20": "match",
    "P21": "match",
    "P22": "match",
    "P23": "match",
    "P24": "match",
}


def test_reconciliation_lists_every_published_figure(rec):
    assert list(rec.index) == [f"P{i:02d}" for i in range(1, 25)]
    assert rec["verdict"].to_dict() == EXPECTED_VERDICTS


def test_article_total_attendances_is_inconsistent_with_its_parts(rec):
    p02 = rec.loc["P02"]
    assert (p02["published"], p02["computed"], p02["gap"]) == (17939, 17489, -450)
    assert p02["components"] == "P04 P07 P10 P13"
    assert p02["components_sum"] == 17489  # 4.489 + 4.416 + 4.530 + 4.054
    assert p02["components_verdict"] == "mismatch"
    p01 = rec.loc["P01"]
    assert (p01["computed"], p01["components_sum"], p01["components_verdict"]) == (956, 956, "match")
    assert set(rec["components_verdict"]) == {"", "match", "mismatch"}


def test_rounding_differences_are_close(rec):
    assert rec.loc["P16", "computed"] == pytest.approx(80.597, abs=1e-3)
    assert rec.loc["P05", "computed"] == pytest.approx(4489 / 4500 * 100)


# ------------------------------------------------------------------ the generator


@pytest.fixture(scope="module")
def generated():
    return generate_thoai_son(units.legacy(), seed=2024)


def test_generator_is_deterministic(generated):
    again = generate_thoai_son(units.legacy(), seed=2024)
    pd.testing.assert_frame_equal(generated, again)


def test_shipped_csv_is_the_generator_output(generated):
    on_disk = read_csv_strings(config.data_dir() / "thoai_son" / "observations.csv").reset_index(drop=True)
    expected = to_csv_frame(generated).astype(str).reset_index(drop=True)
    pd.testing.assert_frame_equal(on_disk.astype(str), expected, check_dtype=False)


def test_other_seed_changes_communes_not_district_totals(generated):
    other = generate_thoai_son(units.legacy(), seed=7)
    assert not other["value"].equals(generated["value"])
    for frame in (generated, other):
        y = frame[frame["year"] == 2023]
        assert y.loc[y["element"] == "truong_chuan_qg", "value"].sum() == 54
        assert y.loc[y["element"] == "truong_tong", "value"].sum() == 67
        assert y.loc[(y["element"] == "hn_luot_dv") & (y["category"] == "cd2023"), "value"].sum() == 4530


def test_every_generated_row_says_it_is_illustrative(generated):
    article = generated["source"] == ARTICLE
    assert generated.loc[article, ["unit", "year", "element"]].values.tolist() == [
        ["894", 2023, "doi_thoai_dai_bieu"],
        ["894", 2023, "doi_thoai_so"],
    ]
    rest = generated.loc[~article, "source"]
    assert rest.str.contains("minh họa").all() and rest.str.contains("illustrative").all()


def test_shipped_rows_say_where_they_come_from(ds):
    src = ds.observations["source"]
    illustrative = src.str.contains("minh họa") & src.str.contains("illustrative")
    assert (illustrative | (src == ARTICLE)).all()
    assert (src == ARTICLE).sum() == 2


# ------------------------------------------------------------------ the command line


def test_cli_validate_default_data(capsys):
    assert main(["validate"]) == 0
    out = capsys.readouterr().out
    assert "1.002 dòng hợp lệ, không có lỗi." in out  # thousands dotted, as on the pages
    assert "Đối chiếu với số liệu đã công bố:" in out
    assert "không khớp" in out and "chênh do làm tròn" in out


def test_cli_validate_out_writes_both_csvs(tmp_path, capsys):
    out = tmp_path / "out"
    assert main(["validate", "--lang", "en", "--out", str(out)]) == 0
    assert "Wrote" in capsys.readouterr().out
    validation = pd.read_csv(out / "validation.csv")
    assert validation.empty and "rule" in validation.columns
    rec = pd.read_csv(out / "reconciliation.csv", keep_default_na=False)
    assert rec["id"].tolist() == [f"P{i:02d}" for i in range(1, 25)]
    assert dict(zip(rec["id"], rec["verdict"])) == EXPECTED_VERDICTS


def test_cli_validate_help():
    with pytest.raises(SystemExit) as exc:
        main(["validate", "--help"])
    assert exc.value.code == 0
