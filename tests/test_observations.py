"""Reading tidy observation files: every error names file, row, column and rule; nothing is guessed."""

from __future__ import annotations

import datetime as dt

import pytest

from baocao.cli import main
from baocao.io.dataset import load_observations

HEADER = "unit,year,element,category,value,source,note\n"
NEXT_YEAR = dt.date.today().year + 1


@pytest.fixture
def read(tmp_path, cat, reg):
    """Write text (or bytes) to a CSV file and load it: (path, observations, problems as dicts)."""

    def _read(content, name="obs.csv"):
        path = tmp_path / name
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8")
        obs, problems = load_observations([path], cat, reg)
        return path, obs, problems.to_dict("records")

    return _read


def where(problems):
    """(row, column, rule) of each problem, the way an analyst needs them."""
    return [(p["row"], p["column"], p["rule"]) for p in problems]


GOOD = HEADER + (
    "30682,2023,truong_tong,,5,sở GD,\n"
    "30685,2023,hn_luot_dv,cd2023,4489,Huyện ủy,\n"
    "30688,2023,thu_nhap_bq,,73.5,Chi cục Thống kê,ước tính\n"
)


def test_good_file_loads_typed(read):
    path, obs, problems = read(GOOD)
    assert problems == []
    assert list(obs.columns) == [
        "file",
        "line",
        "unit",
        "year",
        "element",
        "value",
        "category",
        "source",
        "note",
    ]
    assert obs["line"].tolist() == [2, 3, 4]
    assert obs["unit"].tolist() == ["30682", "30685", "30688"]
    assert obs["year"].tolist() == [2023, 2023, 2023]
    assert obs["value"].tolist() == [5.0, 4489.0, 73.5]
    assert obs["category"].tolist() == ["", "cd2023", ""]
    assert obs["note"].tolist() == ["", "", "ước tính"]
    assert set(obs["file"]) == {str(path)}


def test_optional_columns_may_be_left_out(read):
    _, obs, problems = read("unit,year,element,value\n30682,2023,truong_tong,5\n")
    assert problems == []
    assert obs[["category", "source", "note"]].iloc[0].tolist() == ["", "", ""]


def test_missing_column(read):
    path, obs, problems = read("unit,year,element,category,source,note\n30682,2023,truong_tong,,x,\n")
    assert where(problems) == [(1, "value", "columns")]
    assert problems[0]["file"] == str(path)
    assert problems[0]["message_en"] == "required column 'value' is missing"
    assert obs.empty


def test_extra_column(read):
    _, obs, problems = read(HEADER.strip() + ",gia_tri\n30682,2023,truong_tong,,5,x,,5\n")
    assert where(problems) == [(1, "gia_tri", "columns")]
    assert "allowed: unit, year, element, value, category, source, note" in problems[0]["message_en"]
    assert obs.empty


def test_vietnamese_thousands_for_a_count_is_rejected(read):
    path, obs, problems = read(GOOD.replace(",4489,", ",4.489,"))
    assert where(problems) == [(3, "value", "number")]
    p = problems[0]
    assert (p["file"], p["value"], p["importance"]) == (str(path), "4.489", "blocking")
    assert "type 4489" in p["message_en"] and "hãy nhập 4489" in p["message_vi"]
    assert obs["line"].tolist() == [2, 4]  # the bad row is not used


def test_decimal_comma_is_rejected(read):
    _, _, problems = read(GOOD.replace(",73.5,", ',"99,75",'))
    assert where(problems) == [(4, "value", "number")]
    assert "type 99.75" in problems[0]["message_en"]


def test_unknown_unit(read):
    _, _, problems = read(GOOD.replace("30688,", "30999,"))
    assert where(problems) == [(4, "unit", "known_unit")]
    assert problems[0]["message_en"] == (
        "unit '30999' is not in the legacy unit list (three levels, until 30 June 2025)"
    )


def test_unknown_element(read):
    _, _, problems = read(GOOD.replace("truong_tong", "truong_tongg"))
    assert where(problems) == [(2, "element", "known_element")]
    assert problems[0]["message_en"] == "element 'truong_tongg' is not in the indicator catalogue"


def test_unknown_category(read):
    _, _, problems = read(GOOD.replace("cd2023", "cd2099"))
    assert where(problems) == [(3, "category", "known_category")]
    assert problems[0]["value"] == "cd2099"


def test_category_on_an_element_without_categories(read):
    _, _, problems = read(GOOD.replace("truong_tong,,", "truong_tong,tk2125,"))
    assert where(problems) == [(2, "category", "known_category")]


def test_duplicate_key_reports_both_rows(read):
    _, _, problems = read(
        HEADER + "30682,2023,truong_tong,,5,x,\n30685,2023,truong_tong,,4,x,\n30682,2023,truong_tong,,6,x,\n"
    )
    assert where(problems) == [
        (2, "unit/year/element/category", "multiple_fields_uniqueness"),
        (4, "unit/year/element/category", "multiple_fields_uniqueness"),
    ]
    assert {p["value"] for p in problems} == {"30682/2023/truong_tong/"}


@pytest.mark.parametrize("year", [NEXT_YEAR, 1800, 1989])
def test_year_out_of_range(read, year):
    _, _, problems = read(GOOD.replace("30685,2023", f"30685,{year}"))
    assert where(problems) == [(3, "year", "year_range")]
    assert problems[0]["message_en"] == f"year {year} is outside 1990–{NEXT_YEAR - 1}"


def test_year_not_four_digits_reported_once(read):
    _, _, problems = read(GOOD.replace("30685,2023", "30685,23"))
    assert where(problems) == [(3, "year", "number")]


def test_negative_count_is_out_of_range(read):
    _, _, problems = read(GOOD.replace(",5,sở", ",-5,sở"))
    assert where(problems) == [(2, "value", "range")]
    assert problems[0]["message_en"] == "Schools: -5 is below the minimum 0"


def test_income_above_maximum(read):
    _, _, problems = read(GOOD.replace(",73.5,", ",7350,"))
    assert where(problems) == [(4, "value", "range")]


def test_boolean_two_is_rejected(read):
    _, _, problems = read(
        HEADER
        + "30691,2023,ntm_dat_chuan,,2,x,\n30692,2023,ntm_dat_chuan,,1,x,\n30694,2023,ntm_dat_chuan,,0,x,\n"
    )
    assert where(problems) == [(2, "value", "number")]
    assert problems[0]["message_en"] == '"2" must be 0 (no) or 1 (yes)'


def test_empty_file(read):
    path, obs, problems = read("")
    assert where(problems) == [("", "", "file")]
    assert problems[0]["message_en"] == f"{path}: file is empty / tệp rỗng"
    assert obs.empty


def test_header_only_file(read):
    _, obs, problems = read(HEADER)
    assert where(problems) == [(1, "", "empty")]
    assert problems[0]["message_en"] == "the file has a header but no data rows"
    assert obs.empty


def test_utf16_file_is_refused(read):
    path, obs, problems = read(GOOD.encode("utf-16"))
    assert where(problems) == [("", "", "file")]
    assert "UTF-16" in problems[0]["message_en"] and str(path) in problems[0]["message_en"]
    assert obs.empty


def test_windows_1258_bytes_are_refused_with_the_line(read):
    # "Núi Sơn" in Windows-1258: ú = 0xFA, ơ = 0xF5 (not valid UTF-8)
    path, obs, problems = read((HEADER + "30682,2023,truong_tong,,5,Núi Sơn,\n").encode("cp1258"))
    assert where(problems) == [("", "", "file")]
    assert f"{path}, line 2: not UTF-8 (byte 0xfa" in problems[0]["message_en"]
    assert obs.empty


def test_bom_is_accepted(read):
    _, obs, problems = read(("\ufeff" + GOOD).encode("utf-8"))
    assert problems == []
    assert obs["unit"].tolist() == ["30682", "30685", "30688"]


def test_crlf_is_accepted(read):
    _, obs, problems = read(GOOD.replace("\n", "\r\n"))
    assert problems == [] and len(obs) == 3


def test_blank_lines_are_ignored_and_rows_keep_their_file_line(read):
    text = HEADER + "\n30682,2023,truong_tong,,5,x,\n\n,,,,,,\n30685,2023,truong_tong,,-5,x,\n"
    _, obs, problems = read(text)
    assert obs["line"].tolist() == [3, 6]
    assert where(problems) == [(6, "value", "range")]


def test_several_problems_in_one_file_all_reported(read):
    text = HEADER + "30682,2023,truong_tong,,4.5,x,\n30999,2023,hn_so,cd2099,5,x,\n30688,2023,bac_si,,-1,x,\n"
    _, _, problems = read(text)
    assert sorted(where(problems)) == [
        (2, "value", "number"),
        (3, "category", "known_category"),
        (3, "unit", "known_unit"),
        (4, "value", "range"),
    ]


# ------------------------------------------------------------------ the command line


BAD = (
    HEADER
    + "30682,2023,truong_tong,,5,x,\n30685,2023,hn_luot_dv,cd2023,4.489,x,\n30688,2023,truong_tong,,4,x,\n"
)


def test_cli_validate_bad_file_exits_1_and_writes_nothing(tmp_path, capsys):
    bad = tmp_path / "obs.csv"
    bad.write_text(BAD, encoding="utf-8")
    out = tmp_path / "out"
    assert main(["validate", "--unit-list", "legacy", str(bad), "--out", str(out)]) == 1
    cap = capsys.readouterr()
    text = cap.out + cap.err
    assert f"{bad}, dòng 3, cột value:" in cap.out
    assert "hãy nhập 4489" in cap.out and "type 4489" in cap.out  # both languages
    assert "(rule number)" in cap.out
    assert "1 lỗi; không ghi gì." in cap.err
    assert "Traceback" not in text
    assert not out.exists()


def test_cli_validate_bad_file_english(tmp_path, capsys):
    bad = tmp_path / "obs.csv"
    bad.write_text(BAD, encoding="utf-8")
    assert main(["validate", "--unit-list", "legacy", "--lang", "en", str(bad)]) == 1
    cap = capsys.readouterr()
    assert f"{bad}, row 3, column value:" in cap.out
    assert "1 problem(s); nothing written." in cap.err


def test_cli_validate_unreadable_file_exits_1(tmp_path, capsys):
    bad = tmp_path / "obs.csv"
    bad.write_bytes(BAD.encode("utf-16"))
    out = tmp_path / "out"
    out.mkdir()
    assert main(["validate", "--unit-list", "legacy", str(bad), "--out", str(out)]) == 1
    cap = capsys.readouterr()
    assert "UTF-16" in cap.out and "Traceback" not in cap.out + cap.err
    assert list(out.iterdir()) == []


def test_cli_validate_missing_column_exits_1(tmp_path, capsys):
    bad = tmp_path / "obs.csv"
    bad.write_text("unit,year,element,category,source,note\n30682,2023,truong_tong,,x,\n", encoding="utf-8")
    assert main(["validate", "--unit-list", "legacy", "--lang", "en", str(bad)]) == 1
    cap = capsys.readouterr()
    assert f"{bad}, row 1, column value: required column 'value' is missing" in cap.out
    assert "Traceback" not in cap.out + cap.err


def test_cli_validate_missing_file_exits_1(tmp_path, capsys):
    assert main(["validate", "--unit-list", "legacy", str(tmp_path / "nope.csv")]) == 1
    assert "file not found" in capsys.readouterr().out


def test_cli_validate_good_file_writes_validation_csv(tmp_path, capsys):
    good = tmp_path / "obs.csv"
    good.write_text(GOOD, encoding="utf-8")
    out = tmp_path / "out"
    assert main(["validate", "--unit-list", "legacy", str(good), "--out", str(out)]) == 0
    assert "3 dòng hợp lệ" in capsys.readouterr().out
    assert (out / "validation.csv").read_text(encoding="utf-8").splitlines() == [
        "file,row,column,rule,value,importance,message_vi,message_en"
    ]
    assert not (out / "reconciliation.csv").exists()  # no published figures given


def test_cli_help():
    for argv in (["--help"], ["validate", "--help"], ["units", "--help"]):
        with pytest.raises(SystemExit) as exc:
            main(argv)
        assert exc.value.code == 0


def test_cli_without_command_prints_help_and_exits_2(capsys):
    assert main([]) == 2
    assert "usage: baocao" in capsys.readouterr().out


# ------------------------------------------------------------------ periods


def test_a_period_row_is_kept_apart_from_the_years(tmp_path, cat, reg):
    path = tmp_path / "obs.csv"
    path.write_text(
        HEADER + "30682,2021-2025,hn_so,tk2125,12,Huyện ủy,\n30682,2023,hn_so,cd2023,7,Huyện "
        "ủy,\n30685,2021–2025,hn_so,tk2125,3,Huyện ủy,\n",
        encoding="utf-8",
    )
    years, periods, problems = load_observations([path], cat, reg, with_periods=True)
    assert problems.empty
    assert years[["unit", "year", "category"]].values.tolist() == [["30682", 2023, "cd2023"]]
    assert periods[["unit", "year_from", "year_to", "value", "line"]].values.tolist() == [
        ["30682", 2021, 2025, 12.0, 2],
        ["30685", 2021, 2025, 3.0, 4],
    ]


@pytest.mark.parametrize(
    "year, rule",
    [
        ("2022", "category_period"),
        ("2021-2024", "category_period"),
        ("2025-2021", "number"),
        ("2021-2021", "number"),
        ("1980-1985", "year_range category_period"),
    ],
)
def test_whole_term_topic_must_be_given_for_its_whole_period(read, year, rule):
    _, _, problems = read(HEADER + f"30682,{year},hn_so,tk2125,12,x,\n")
    assert where(problems) == [(2, "year", r) for r in rule.split()]
    if rule == "category_period":
        assert "2021-2025" in problems[0]["message_en"] and "2021-2025" in problems[0]["message_vi"]


def test_the_same_key_for_a_year_and_a_period_is_no_duplicate(read):
    _, obs, problems = read(HEADER + "30682,2022-2024,doi_thoai_so,,12,x,\n30682,2024,doi_thoai_so,,1,x,\n")
    assert [p["rule"] for p in problems] == []


def test_period_rows_duplicate_within_their_period(read):
    _, _, problems = read(HEADER + "30682,2021-2025,hn_so,tk2125,12,x,\n30682,2021-2025,hn_so,tk2125,13,x,\n")
    assert where(problems) == [
        (2, "unit/year/element/category", "multiple_fields_uniqueness"),
        (3, "unit/year/element/category", "multiple_fields_uniqueness"),
    ]
    assert problems[0]["value"] == "30682/2021-2025/hn_so/tk2125"
