"""Reading tidy observation files: every error names file, row, column and rule; nothing is guessed."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from baocao.cli import main
from baocao.data.numbers import NumberFormatError, file_number_style, parse_number
from baocao.io.dataset import load, load_observations

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
    # what to type instead: the element's categories, as the catalogue lists them
    assert "the categories of 'hn_luot_dv' are tk2125, cd2022, cd2023, cd2024" in problems[0]["message_en"]
    assert "phân tổ của 'hn_luot_dv' là một trong tk2125, cd2022" in problems[0]["message_vi"]


def test_category_on_an_element_without_categories(read):
    _, _, problems = read(GOOD.replace("truong_tong,,", "truong_tong,tk2125,"))
    assert where(problems) == [(2, "category", "known_category")]
    assert problems[0]["message_en"].endswith("'truong_tong' has no categories, leave it empty")


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
    assert (problems[0]["message_en"], problems[0]["message_vi"]) == ("the file is empty", "tệp rỗng")
    assert str(path) == problems[0]["file"]  # the file is named once: in its column, not in the message
    assert obs.empty


def test_header_only_file(read):
    _, obs, problems = read(HEADER)
    assert where(problems) == [(1, "", "empty")]
    assert problems[0]["message_en"] == "the file has a header but no data rows"
    assert obs.empty


def test_utf16_file_with_its_bom_is_read(read):
    """Excel's "Unicode Text" is UTF-16 with a byte order mark: its bytes say what they are."""
    _, obs, problems = read(GOOD.encode("utf-16"))
    assert problems == []
    assert obs["value"].tolist() == [5.0, 4489.0, 73.5]


def test_damaged_utf16_is_refused(read):
    _, obs, problems = read(b"\xff\xfe" + GOOD.encode("utf-16-le")[:-1])
    assert where(problems) == [("", "", "file")]
    assert "UTF-16" in problems[0]["message_en"] and "CSV UTF-8" in problems[0]["message_en"]
    assert obs.empty


def test_windows_1258_bytes_are_refused_with_the_line(read):
    # "Núi Sơn" in Windows-1258: ú = 0xFA, ơ = 0xF5 (not valid UTF-8)
    path, obs, problems = read((HEADER + "30682,2023,truong_tong,,5,Núi Sơn,\n").encode("cp1258"))
    assert where(problems) == [(2, "", "file")]
    p = problems[0]
    assert p["message_en"].startswith("not UTF-8 (byte 0xfa: perhaps Windows-1258 or TCVN3")
    assert "Save As → “CSV UTF-8 (Comma delimited) (*.csv)”" in p["message_en"]
    assert p["message_vi"].startswith("không phải mã UTF-8") and "CSV UTF-8" in p["message_vi"]
    assert str(path) not in p["message_en"] + p["message_vi"]
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
    assert "(quy tắc number)" in cap.out
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
    bad.write_bytes(BAD.replace(",x,", ",Núi Sơn,").encode("cp1258"))
    out = tmp_path / "out"
    out.mkdir()
    assert main(["validate", "--unit-list", "legacy", str(bad), "--out", str(out)]) == 1
    cap = capsys.readouterr()
    assert "Windows-1258" in cap.out and "Traceback" not in cap.out + cap.err
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


# ------------------------------------------------------------------ files as offices send them

EXCEL_VI = (
    "\ufeffunit;year;element;category;value;source;note\r\n"
    "30682;2023;truong_tong;;5;sở GD;\r\n"
    "30685;2023;hn_luot_dv;cd2023;4489;Huyện ủy;\r\n"
    '30688;2023;thu_nhap_bq;;73,5;Chi cục Thống kê;"ước tính; chưa chính thức"\r\n'
)


def test_a_csv_saved_by_excel_in_a_vietnamese_locale_is_read(read):
    """``;`` between columns, decimal comma, BOM, CRLF, a note holding ``;`` in quotes."""
    _, obs, problems = read(EXCEL_VI)
    assert problems == []
    assert obs["value"].tolist() == [5.0, 4489.0, 73.5]
    assert obs["line"].tolist() == [2, 3, 4]
    assert obs["note"].tolist() == ["", "", "ước tính; chưa chính thức"]


def test_excel_unicode_text_is_read(read):
    """Excel's "Unicode Text": UTF-16 with its BOM, tabs between columns."""
    _, obs, problems = read(EXCEL_VI.replace(";", "\t").replace('"ước tính\t', '"ước tính;').encode("utf-16"))
    assert problems == []
    assert obs["value"].tolist() == [5.0, 4489.0, 73.5]


@pytest.mark.parametrize(
    "value, message",
    [
        ("21.000", '"21.000" is ambiguous'),  # money in million đồng: 21 or 21000, never guessed
        ("25,000", '"25,000" is ambiguous'),
        ("7.350,5", "type 7350,5"),  # the advice keeps the file's own style
    ],
)
def test_what_stays_ambiguous_in_a_vietnamese_style_file_is_refused(read, value, message):
    _, obs, problems = read(EXCEL_VI.replace(";73,5;", f";{value};"))
    assert where(problems) == [(4, "value", "number")]
    assert message in problems[0]["message_en"]
    assert obs["line"].tolist() == [2, 3]


def test_thousands_dots_in_a_vietnamese_style_file_say_where_they_come_from(read):
    _, _, problems = read(EXCEL_VI.replace(";4489;", ";4.489;"))
    assert where(problems) == [(3, "value", "number")]
    assert "type 4489" in problems[0]["message_en"] and "Use 1000 Separator" in problems[0]["message_en"]
    assert "hãy nhập 4489" in problems[0]["message_vi"] and "Use 1000 Separator" in problems[0]["message_vi"]


def test_lines_ended_by_cr_alone_are_read(read):
    """Excel's "CSV (Macintosh)" ends each line with a carriage return alone."""
    _, obs, problems = read(EXCEL_VI.replace("\r\n", "\r"))
    assert problems == [] and obs["line"].tolist() == [2, 3, 4]


def test_a_file_mixing_decimal_commas_and_points_reads_no_decimal_comma(read):
    text = EXCEL_VI + "30691;2023;thu_nhap_bq;;68.5;x;\r\n"
    _, _, problems = read(text)
    assert where(problems) == [(4, "value", "number")]
    msg = problems[0]["message_en"]
    assert "type 73.5" in msg and "line 5: 68.5" in msg and "one way" in msg
    assert "dòng 5: 68.5" in problems[0]["message_vi"]
    _, obs, problems = read(text.replace(";73,5;", ";73.5;"))  # the advice followed: accepted
    assert problems == [] and obs["value"].tolist() == [5.0, 4489.0, 73.5, 68.5]


def test_a_comma_separated_file_never_reads_a_decimal_comma(read):
    _, _, problems = read(GOOD.replace(",73.5,", ',"73,5",'))
    assert where(problems) == [(4, "value", "number")]
    assert "type 73.5" in problems[0]["message_en"]


def test_an_unquoted_decimal_comma_in_a_comma_separated_file_says_so(read):
    path, obs, problems = read(GOOD.replace(",73.5,", ",73,5,"))
    assert where(problems) == [(4, "", "file")]
    p = problems[0]
    assert p["message_en"] == (
        "this line has 8 cells but the header has 7: the value 73,5 has a decimal comma in a file separated "
        "by commas; write 73.5"
    )
    assert p["message_vi"].startswith("dòng này có 8 ô nhưng dòng tiêu đề có 7 ô")
    assert obs.empty


def test_a_row_one_cell_too_long_is_refused_even_when_the_extra_cell_is_empty(read):
    """``…,73,5,x,`` with an empty note: read as 7 cells it would be value 73, source 5 — silently."""
    _, obs, problems = read(HEADER + "30688,2023,thu_nhap_bq,,73,5,x,\n")
    assert where(problems) == [(2, "", "file")] and "write 73.5" in problems[0]["message_en"]
    assert obs.empty


def test_a_header_that_two_separators_split_is_refused_in_one_line(read):
    _, obs, problems = read(
        "unit;year;element;category;value;source;note,ghi chú\n30682;2023;truong_tong;;5;x;\n"
    )
    assert where(problems) == [(1, "", "file")]
    p = problems[0]
    assert "commas (,) and semicolons (;)" in p["message_en"] and "CSV UTF-8" in p["message_en"]
    assert "dấu phẩy (,) và dấu chấm phẩy (;)" in p["message_vi"]
    assert obs.empty


def test_an_empty_last_column_as_excel_writes_it_is_ignored(read):
    _, obs, problems = read(EXCEL_VI.replace("\r\n", ";\r\n"))
    assert problems == [] and len(obs) == 3


def test_a_column_named_twice_is_refused(read):
    _, _, problems = read("unit,year,element,value,value\n30682,2023,truong_tong,5,6\n")
    assert where(problems) == [(1, "", "file")]
    assert problems[0]["message_en"] == "column 'value' appears twice in the header (columns 4 and 5)"


def test_a_unit_code_that_lost_its_leading_zeros_gets_the_codes_it_may_be(read):
    _, _, problems = read(HEADER + "4,2023,truong_tong,,5,x,\n")
    assert where(problems) == [(2, "unit", "known_unit")]
    msg = problems[0]["message_en"]
    assert "did you mean 04 (Tỉnh Cao Bằng), 004 (Quận Long Biên), 00004 (Phường Trúc Bạch)?" in msg
    assert "Format the unit column as Text" in msg


def test_validate_prints_each_message_once(tmp_path, capsys):
    bad = tmp_path / "obs.csv"
    bad.write_text("unit;year;element,category\n", encoding="utf-8")
    assert main(["validate", "--unit-list", "legacy", str(bad)]) == 1
    out = capsys.readouterr().out
    lines = [ln for ln in out.splitlines() if ln.startswith(str(bad))]
    assert len(lines) == 1
    line = lines[0]
    assert line.count(str(bad)) == 1  # the file named once
    assert line.count("dòng tiêu đề có cả") == 1 and line.count("the header line holds both") == 1
    assert "(quy tắc file)" in line and "\n" not in line


def test_validate_lists_problems_in_file_order(tmp_path, capsys):
    bad = tmp_path / "obs.csv"
    bad.write_text(
        HEADER + "30682,2023,truong_tong,,4.5,x,\n30999,2023,hn_so,cd2099,5,x,\n", encoding="utf-8"
    )
    assert main(["validate", "--unit-list", "legacy", "--lang", "en", str(bad)]) == 1
    rows = [
        ln.split(",")[1].strip() for ln in capsys.readouterr().out.splitlines() if ln.startswith(str(bad))
    ]
    assert rows == ["row 2", "row 3", "row 3"]


ELEMENT_OF = {"integer": "truong_tong", "number": "thu_nhap_bq", "boolean": "ntm_dat_chuan"}


@settings(
    max_examples=60, deadline=None, database=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    st.builds(
        lambda first, rest: first + "".join(a + b for a, b in rest),
        st.text(alphabet="123456789", min_size=1, max_size=3),
        st.lists(
            st.tuples(st.sampled_from([".", ","]), st.text(alphabet="0123456789", min_size=3, max_size=3)),
            min_size=1,
            max_size=2,
        ),
    ),
    st.sampled_from(sorted(ELEMENT_OF)),
    st.sampled_from([",", ";"]),
)
def test_following_the_advice_in_a_file_clears_the_problem(tmp_path, cat, reg, typed, value_type, sep):
    """In a whole file, comma- or ``;``-separated: a refused value replaced by any of its suggestions is
    read, and the file's other values (a decimal comma in the ``;`` file) are still read."""
    header = sep.join(["unit", "year", "element", "category", "value", "source", "note"])

    def load(value):
        rows = [
            header,
            sep.join(["30688", "2023", "thu_nhap_bq", "", "73,5" if sep == ";" else "73.5", "x", ""]),
        ]
        cell = f'"{value}"' if sep == "," else value
        rows.append(sep.join(["30682", "2023", ELEMENT_OF[value_type], "", cell, "x", ""]))
        path = tmp_path / "obs.csv"
        path.write_text("\n".join(rows) + "\n", encoding="utf-8")
        obs, problems = load_observations([path], cat, reg)
        return obs, [p for p in problems.to_dict("records") if p["rule"] == "number"]

    _, problems = load(typed)
    if not problems:
        return
    assert where(problems) == [(3, "value", "number")]
    style = file_number_style([(2, "73,5" if sep == ";" else "73.5"), (3, typed)], sep)
    try:
        parse_number(typed, value_type, style.decimal_comma)
    except NumberFormatError as exc:
        hints = exc.suggestions
    for hint in hints:
        obs, problems = load(hint)
        assert problems == [], (typed, hint)
        assert obs.loc[obs["line"] == 2, "value"].tolist() == [73.5]


PUBLISHED = (  # the source states each figure's year (stated_period)
    "id,unit,year_from,year_to,figure_type,code,category,value,decimals,components,source,"
    "quote,unit_stated,stated_period,as_of,inference_vi,inference_en,note\n"
)


def test_published_figures_saved_by_excel_in_a_vietnamese_locale_are_read(tmp_path):
    obs, pub = tmp_path / "obs.csv", tmp_path / "published.csv"
    obs.write_text(GOOD, encoding="utf-8")
    pub.write_text(
        "\ufeff"
        + PUBLISHED.replace(",", ";")
        + "P1;894;2023;2023;indicator;ty_le_ho_ngheo;;1,32;2;;article;;;2023;;;;\r\n",
        encoding="utf-8",
    )
    ds = load([obs], [pub], unit_list="legacy")
    assert ds.ok and ds.published["value"].tolist() == [1.32] and ds.published["decimals"].tolist() == [2]


def test_a_published_figure_that_is_no_number_is_a_problem_not_a_crash(tmp_path, capsys):
    obs, pub = tmp_path / "obs.csv", tmp_path / "published.csv"
    obs.write_text(GOOD, encoding="utf-8")
    pub.write_text(
        PUBLISHED
        + 'P1,894,2023,2023,indicator,ty_le_ho_ngheo,,"1,32",2,,article,,,2023,,,,\n'
        + "P2,894,2023,2023,element,hn_so,,956,x,,article,,,2023,,,,\n",
        encoding="utf-8",
    )
    ds = load([obs], [pub], unit_list="legacy")
    assert not ds.ok and ds.published.empty
    assert [(p.row, p.column, p.rule) for p in ds.problems.itertuples()] == [
        (2, "value", "number"),
        (3, "decimals", "number"),
    ]
    assert main(["validate", "--unit-list", "legacy", str(obs), "--published", str(pub)]) == 1
    cap = capsys.readouterr()
    assert f"{pub}, dòng 2, cột value:" in cap.out and "hãy nhập 1.32" in cap.out
    assert "Traceback" not in cap.out + cap.err
