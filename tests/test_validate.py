"""The rule table (data/catalogue/rules.csv): each rule catches what it says, at the right line."""

from __future__ import annotations

import pandas as pd
import pytest

from baocao.data.catalogue import Rule
from baocao.data.validate import check_rule, check_rules, has_blocking
from baocao.io.dataset import load, load_observations

HEADER = "unit,year,element,category,value,source,note\n"


def observations(tmp_path, cat, reg, rows: list[str]):
    path = tmp_path / "obs.csv"
    path.write_text(HEADER + "".join(r + "\n" for r in rows), encoding="utf-8")
    obs, problems = load_observations([path], cat, reg)
    assert problems.empty, problems.to_dict("records")  # the fixture itself is well-formed
    return path, obs


# rule id -> 3 rows: the right-hand value (line 2), a left-hand value that breaks the rule
# (line 3), and a left-hand value with no right-hand value to compare with (line 4, no problem)
VIOLATIONS = {
    "R01": (
        "30682,2023,hn_dv_phai_du,cd2023,100",
        "30682,2023,hn_luot_dv,cd2023,101",
        "30685,2023,hn_luot_dv,cd2023,999",
        "101 <= 100",
    ),
    "R02": (
        "30682,2023,truong_tong,,5",
        "30682,2023,truong_chuan_qg,,6",
        "30685,2023,truong_chuan_qg,,9",
        "6 <= 5",
    ),
    "R03": ("30682,2023,ho_tong,,50", "30682,2023,ho_ngheo,,60", "30685,2023,ho_ngheo,,70", "60 <= 50"),
    "R04": ("30682,2023,dan_so,,100", "30682,2023,bac_si,,120", "30685,2023,bac_si,,130", "120 <= 100"),
    "R05": (
        "30691,2023,ntm_dat_chuan,,0",
        "30691,2023,ntm_nang_cao,,1",
        "30692,2023,ntm_nang_cao,,1",
        "1 <= 0",
    ),
    "R06": (
        "30691,2023,ntm_nang_cao,,0",
        "30691,2023,ntm_kieu_mau,,1",
        "30692,2023,ntm_kieu_mau,,1",
        "1 <= 0",
    ),
    "R07": ("30682,2023,dan_so,,100", "30682,2023,ho_tong,,200", "30685,2023,ho_tong,,300", "200 <= 100"),
    "R08": (
        "894,2023,doi_thoai_so,,5",
        "894,2023,doi_thoai_dai_bieu,,2",
        "894,2024,doi_thoai_dai_bieu,,0",
        "2 >= 5",
    ),
    "R09": (
        "30682,2023,hn_so,cd2023,5",
        "30682,2023,hn_luot_dv,cd2023,3",
        "30685,2023,hn_luot_dv,cd2023,0",
        "3 >= 5",
    ),
}


def test_every_rule_has_a_violation_fixture(cat):
    assert sorted(VIOLATIONS) == sorted(r.id for r in cat.rules)


@pytest.mark.parametrize("rule_id", sorted(VIOLATIONS))
def test_rule_violation_is_one_problem_at_the_left_hand_line(tmp_path, cat, reg, rule_id):
    right, left, lonely, shown = VIOLATIONS[rule_id]
    rule = next(r for r in cat.rules if r.id == rule_id)
    assert rule.right in right and rule.left in left and rule.left in lonely
    path, obs = observations(tmp_path, cat, reg, [f"{right},x,", f"{left},x,", f"{lonely},x,"])
    problems = check_rules(obs, cat).to_dict("records")
    assert len(problems) == 1, problems
    p = problems[0]
    assert (p["file"], p["row"], p["column"], p["rule"]) == (str(path), 3, "value", rule_id)
    assert p["value"] == shown
    assert p["importance"] == rule.importance
    assert p["message_vi"].startswith(rule.description_vi)
    assert p["message_en"].startswith(rule.description_en)
    unit = left.split(",")[0]
    assert f"({unit}/2023" in p["message_en"]


@pytest.mark.parametrize("rule_id", sorted(VIOLATIONS))
def test_rule_satisfied_gives_no_problem(tmp_path, cat, reg, rule_id):
    right, left, _, _ = VIOLATIONS[rule_id]
    # make both sides equal: every rule in the table allows equality
    value = right.rsplit(",", 1)[1]
    left_ok = left.rsplit(",", 1)[0] + "," + value
    _, obs = observations(tmp_path, cat, reg, [f"{right},x,", f"{left_ok},x,"])
    assert check_rules(obs, cat).empty


def test_warning_rule_does_not_block(tmp_path, cat, reg):
    right, left, lonely, _ = VIOLATIONS["R08"]
    path = tmp_path / "obs.csv"
    path.write_text(HEADER + f"{right},x,\n{left},x,\n{lonely},x,\n", encoding="utf-8")
    ds = load([path], unit_list="legacy")
    assert ds.problems["rule"].tolist() == ["R08"]
    assert ds.problems["importance"].tolist() == ["warning"]
    assert ds.ok and not has_blocking(ds.problems)


def test_blocking_rule_blocks(tmp_path, cat, reg):
    right, left, lonely, _ = VIOLATIONS["R02"]
    path = tmp_path / "obs.csv"
    path.write_text(HEADER + f"{right},x,\n{left},x,\n{lonely},x,\n", encoding="utf-8")
    ds = load([path], unit_list="legacy")
    assert ds.problems["rule"].tolist() == ["R02"] and not ds.ok


def test_categories_are_compared_topic_by_topic(tmp_path, cat, reg):
    """Attendances of a topic are compared with members of the same topic only."""
    rows = [
        "30682,2022,hn_dv_phai_du,cd2023,100,x,",
        "30682,2022,hn_dv_phai_du,cd2022,200,x,",
        "30682,2022,hn_luot_dv,cd2023,99,x,",  # fine against 100
        "30682,2022,hn_luot_dv,cd2022,150,x,",  # fine against 200; would break against cd2023's 100
        "30685,2022,hn_dv_phai_du,cd2022,50,x,",
        "30685,2022,hn_luot_dv,cd2022,51,x,",  # breaks R01
        "30685,2022,hn_luot_dv,cd2023,51,x,",  # no cd2023 members at 30685: nothing to compare
    ]
    _, obs = observations(tmp_path, cat, reg, rows)
    r01 = next(r for r in cat.rules if r.id == "R01")
    problems = check_rule(obs, r01)
    assert [(p["row"], p["value"]) for p in problems] == [(7, "51 <= 50")]
    assert "30685/2022/cd2022" in problems[0]["message_en"]


def test_a_side_without_category_applies_to_every_category(tmp_path, cat, reg):
    rows = [
        "30682,2023,dan_so,,120,x,",
        "30682,2023,hn_luot_dv,cd2022,90,x,",
        "30682,2023,hn_luot_dv,cd2023,150,x,",
    ]
    _, obs = observations(tmp_path, cat, reg, rows)
    rule = Rule("X1", "hn_luot_dv", "<=", "dan_so", "blocking", "lượt ≤ dân số", "attendances ≤ population")
    problems = check_rule(obs, rule)
    assert [(p["row"], p["value"]) for p in problems] == [(4, "150 <= 120")]


def test_rule_against_a_number_either_side(tmp_path, cat, reg):
    rows = ["30682,2023,hn_so,cd2023,40,x,", "30685,2023,hn_so,cd2023,10,x,", "30688,2023,hn_so,cd2023,30,x,"]
    _, obs = observations(tmp_path, cat, reg, rows)
    left_number = Rule("X2", "30", ">=", "hn_so", "warning", "", "at most 30")
    assert [p["row"] for p in check_rule(obs, left_number)] == [2]
    right_number = Rule("X3", "hn_so", ">", "10", "warning", "", "more than 10")
    problems = check_rule(obs, right_number)
    assert [(p["row"], p["value"]) for p in problems] == [(3, "10 > 10")]


def test_rules_across_years_and_units_do_not_mix(tmp_path, cat, reg):
    rows = [
        "30682,2022,truong_tong,,5,x,",
        "30682,2023,truong_chuan_qg,,6,x,",
        "30685,2023,truong_tong,,10,x,",
    ]
    _, obs = observations(tmp_path, cat, reg, rows)
    assert check_rules(obs, cat).empty


def test_no_observations_no_problems(cat):
    from baocao.data.observations import empty_observations

    problems = check_rules(empty_observations(), cat)
    assert problems.empty
    assert list(problems.columns) == [
        "file",
        "row",
        "column",
        "rule",
        "value",
        "importance",
        "message_vi",
        "message_en",
    ]


def test_has_blocking():
    assert not has_blocking(pd.DataFrame(columns=["importance"]))
    assert has_blocking(pd.DataFrame({"importance": ["warning", "blocking"]}))
    assert not has_blocking(pd.DataFrame({"importance": ["warning"]}))


def test_period_rows_are_checked_against_the_same_period(tmp_path):
    """Rules compare a whole-term row with rows of the same period only, and name its line."""
    path = tmp_path / "obs.csv"
    path.write_text(
        HEADER + "30682,2021-2025,hn_dv_phai_du,tk2125,100,x,\n"
        "30682,2021-2025,hn_luot_dv,tk2125,101,x,\n"
        "30682,2023,hn_dv_phai_du,cd2023,500,x,\n",
        encoding="utf-8",
    )
    ds = load([path], unit_list="legacy")
    r01 = ds.problems[ds.problems["rule"] == "R01"]
    assert r01["row"].tolist() == [3] and "30682/2021-2025/tk2125" in r01["message_en"].iloc[0]
