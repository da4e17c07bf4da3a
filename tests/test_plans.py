"""Run plans: expansion, unit selectors, validation messages, --only selection (no execution)."""

from __future__ import annotations

import re
import textwrap
from pathlib import Path

import pytest

from baocao.build.builder import BuildError, select
from baocao.build.plans import PlanError, load_plan, resolve_plan_path

ROOT = Path(__file__).resolve().parents[1]
THOAI_SON_COMMUNES = [
    "30682",
    "30685",
    "30688",
    "30691",
    "30692",
    "30694",
    "30697",
    "30700",
    "30703",
    "30706",
    "30709",
    "30712",
    "30715",
    "30718",
    "30721",
    "30724",
    "30727",
]


def plan_file(tmp_path: Path, text: str, name: str = "plan.yml") -> Path:
    p = tmp_path / name
    p.write_text(textwrap.dedent(text), encoding="utf-8")
    return p


def load(tmp_path, text):
    return load_plan(plan_file(tmp_path, text), home=ROOT)


def english(err: PlanError) -> str:
    """The plan file and key, then the English message (``str()`` has the Vietnamese one first)."""
    assert str(err) in (f"{err.where}: {err.message_vi} / {err.message_en}", f"{err.where}: {err.message_en}")
    assert "\n" not in str(err)
    return f"{err.where}: {err.message_en}"


def plan_refused(load_it, pattern: str) -> PlanError:
    """The plan error ``load_it()`` raises, its English line matching ``pattern``."""
    with pytest.raises(PlanError) as info:
        load_it()
    assert re.search(pattern, english(info.value)), english(info.value)
    return info.value


@pytest.fixture(scope="module")
def default_plan():
    return load_plan(ROOT / "params" / "thoai_son.yml", home=ROOT)


# ---------------------------------------------------------------- the default plan


def test_default_plan_is_found_without_argument():
    assert resolve_plan_path(None, ROOT) == ROOT / "params" / "thoai_son.yml"
    assert resolve_plan_path("thoai_son", ROOT) == ROOT / "params" / "thoai_son.yml"


def test_default_plan_expands_to_59_reports(default_plan):
    reports = default_plan.reports
    assert default_plan.name == "params/thoai_son.yml"
    assert default_plan.lang == "vi"
    # + the district and data-quality reports for the article's (inferred) period 2022–2024
    assert len(reports) == (2 + 17) * 3 + 2 == 59
    keys = {r.key for r in reports}
    assert len(keys) == 59 and "2022-2024/894/data_quality" in keys
    p = next(r for r in reports if r.key == "2022-2024/894/district_report")
    assert p.parameters == {"district": "894", "year": 2024, "lang": "vi", "year_from": 2022} and (
        p.year_from,
        p.year,
    ) == (2022, 2024)
    for year in (2022, 2023, 2024):
        assert f"{year}/894/district_report" in keys
        assert f"{year}/894/data_quality" in keys
        for code in THOAI_SON_COMMUNES:
            assert f"{year}/{code}/commune_report" in keys
    r = next(r for r in reports if r.key == "2024/894/district_report")
    assert r.parameters == {"district": "894", "year": 2024, "lang": "vi"}
    assert r.kind == "district" and r.unit_name == "Huyện Thoại Sơn"
    c = next(r for r in reports if r.key == "2023/30682/commune_report")
    assert c.parameters == {"commune": "30682", "year": 2023, "lang": "vi"}
    assert c.kind == "commune" and c.district == "894" and c.unit_name == "Thị trấn Núi Sập"
    assert {r.kind for r in reports} == {"district", "commune", "data_quality"}


# ---------------------------------------------------------------- selectors and keys


def test_units_by_name_list_and_parent(tmp_path):
    plan = load(
        tmp_path,
        """
        years: 2024
        reports:
          - notebook: district_report
            district: thoai son
          - notebook: commune_report
            communes: [30682, "Phú Hòa, Thoại Sơn"]
          - notebook: district_report.ipynb
            districts: {of: An Giang}
            years: 2023
            lang: en
    """,
    )
    keys = [r.key for r in plan.reports]
    assert keys[:3] == ["2024/894/district_report", "2024/30682/commune_report", "2024/30685/commune_report"]
    en = [r for r in plan.reports if r.lang == "en"]
    assert len(en) == 11 and "2023/894/district_report" in {r.key for r in en}  # An Giang had 11 districts
    assert all(r.parameters["lang"] == "en" and r.level == "district" and r.district == r.unit for r in en)
    assert next(r for r in en if r.unit == "894").unit_name == "Thoại Sơn (district)"


def test_the_example_in_params_readme_is_a_valid_plan(tmp_path):
    readme = (ROOT / "params" / "README.md").read_text(encoding="utf-8")
    example = readme.split("```yaml", 1)[1].split("```", 1)[0].replace("# data_dir:", "data_dir:")
    plan = load(tmp_path, example)
    assert plan.data_dir == "data/thoai_son"
    assert len(plan.reports) == 2 * 3 + 17 * 3 + 2 + 11


def test_years_forms_and_entry_overrides(tmp_path):
    plan = load(
        tmp_path,
        """
        years: [2022, 2024]
        lang: en
        reports:
          - notebook: district_report
            district: 894
            years: {from: 2022, to: 2024}
            parameters: {compare: ty_le_ho_ngheo}
          - notebook: data_quality
            district: 894
            lang: vi
          - notebook: commune_report
            commune: 30682
            years: 2023
    """,
    )
    got = {(r.notebook, r.year, r.lang) for r in plan.reports}
    assert got == {
        ("district_report", 2022, "en"),
        ("district_report", 2023, "en"),
        ("district_report", 2024, "en"),
        ("data_quality", 2022, "vi"),
        ("data_quality", 2024, "vi"),
        ("commune_report", 2023, "en"),
    }
    d = next(r for r in plan.reports if r.notebook == "district_report")
    assert d.parameters["compare"] == "ty_le_ho_ngheo"


def test_data_dir_is_relative_to_the_project_and_passed_as_written(tmp_path):
    plan = load(
        tmp_path,
        """
        years: 2024
        data_dir: data/thoai_son
        reports:
          - notebook: district_report
            district: 894
    """,
    )
    assert plan.data_dir == "data/thoai_son"
    assert plan.data_path == str(ROOT / "data" / "thoai_son")
    assert plan.reports[0].parameters["data_dir"] == "data/thoai_son"


def test_yaml_only_true_false_are_booleans(tmp_path):
    with pytest.raises(PlanError) as info:
        load(
            tmp_path,
            """
            years: 2024
            reports:
              - notebook: commune_report
                communes: {off: 894}
        """,
        )
    err = info.value
    assert re.search(r"reports\[0\]\.communes\.off: unknown key 'off'.*Did you mean 'of'", english(err))
    assert "khóa lạ 'off'" in err.message_vi and "Có phải là 'of'?" in err.message_vi


def test_notebook_without_unit_parameter_is_built_for_the_whole_country(tmp_path):
    plan = load(
        tmp_path,
        """
        years: [2014, 2016]
        reports:
          - notebook: national_overview
          - notebook: province_report
            provinces: [89, "Hà Nội"]
            years: 2016
          - notebook: national_overview.ipynb
            years: 2012
            lang: en
            parameters: {gso_dir: data/gso/raw}
    """,
    )
    assert [r.key for r in plan.reports] == [
        "2014/VN/national_overview",
        "2016/VN/national_overview",
        "2016/89/province_report",
        "2016/01/province_report",
        "2012/VN/national_overview",
    ]
    vn = plan.reports[1]
    assert (vn.notebook, vn.kind, vn.unit, vn.unit_name, vn.level, vn.district, vn.year, vn.lang) == (
        "national_overview",
        "national",
        "VN",
        "Cả nước",
        "country",
        None,
        2016,
        "vi",
    )
    assert vn.parameters == {"year": 2016, "lang": "vi"}  # no unit parameter is injected
    en = plan.reports[-1]
    assert en.unit_name == "Whole country" and en.parameters == {
        "year": 2012,
        "lang": "en",
        "gso_dir": "data/gso/raw",
    }
    assert plan.reports[2].kind == "province" and plan.reports[2].parameters == {
        "province": "89",
        "year": 2016,
        "lang": "vi",
    }


def test_the_whole_country_example_in_params_readme_is_a_valid_plan(tmp_path):
    readme = (ROOT / "params" / "README.md").read_text(encoding="utf-8")
    blocks = [part.split("```", 1)[0] for part in readme.split("```yaml")[1:]]
    example = next(b for b in blocks if "national_overview" in b)
    plan = load(tmp_path, example)
    assert len(plan.reports) == 4 + 8
    assert sum(r.unit == "VN" for r in plan.reports) == 4


def test_every_report_notebook_declares_a_registered_kind():
    from baocao.build.notebook_info import available_notebooks, notebook_info
    from baocao.reports import registry

    found = {name: notebook_info(path).kind for name, path in available_notebooks(ROOT / "notebooks").items()}
    assert found == {
        "district_report": "district",
        "commune_report": "commune",
        "data_quality": "data_quality",
        "province_report": "province",
        "national_overview": "national",
        "commune_2025_report": "commune_2025",
        "province_2025_report": "province_2025",
    }
    for name in found.values():
        kind = registry.require(name)
        assert kind.title("vi") and kind.title("en") and kind.title("vi") != kind.title("en")
    with pytest.raises(registry.ReportError, match="unknown report kind 'distrct'.*Did you mean 'district'"):
        registry.require("distrct")


# ---------------------------------------------------------------- validation messages

BAD = {
    "unknown top key": ("yeras: [2024]\nreports: []", r"yeras: unknown key 'yeras'.*Did you mean 'years'"),
    "no reports": ("years: [2024]", r"reports: missing"),
    "empty reports": ("years: [2024]\nreports: []", r"reports: must be a non-empty list"),
    "not a mapping": ("- a\n- b", r"a plan is a mapping"),
    "bad yaml": ("years: [2024\nreports:", r"line \d+: not valid YAML"),
    "duplicate key": (
        "years: 2024\nreports:\n  - notebook: district_report\n    district: 894\n    district: 886",
        r"not valid YAML: duplicate key 'district'",
    ),
    "impossible date": (
        "date: 2024-13-01\nreports:\n  - {notebook: district_report, district: 894, years: [2024]}",
        r"line 1: not valid YAML: '2024-13-01' is not a date written YYYY-MM-DD",
    ),
    "year as text": (
        "years: [2024, '2023']\nreports:\n  - {notebook: district_report, district: 894}",
        r"years\[1\]: a year must be a whole number like 2024, not '2023'",
    ),
    "year as float": (
        "years: 2024.0\nreports:\n  - {notebook: district_report, district: 894}",
        r"years: a year must be a whole number",
    ),
    "year as bool": (
        "years: true\nreports:\n  - {notebook: district_report, district: 894}",
        r"years: a year must be a whole number",
    ),
    "year range reversed": (
        "years: {from: 2024, to: 2022}\nreports:\n  - {notebook: district_report, district: 894}",
        r"years: 'from' 2024 is after 'to' 2022",
    ),
    "year range key": (
        "years: {from: 2022, until: 2024}\nreports:\n  - {notebook: district_report, district: 894}",
        r"years\.until: unknown key",
    ),
    "year out of range": (
        "years: 24\nreports:\n  - {notebook: district_report, district: 894}",
        r"year 24 is out of range",
    ),
    "year twice": (
        "years: [2024, 2024]\nreports:\n  - {notebook: district_report, district: 894}",
        r"year 2024 given twice",
    ),
    "no years": (
        "reports:\n  - {notebook: district_report, district: 894}",
        r"reports\[0\]\.years: no years",
    ),
    "bad lang": (
        "lang: fr\nyears: 2024\nreports:\n  - {notebook: district_report, district: 894}",
        r"lang: must be 'vi' or 'en', not 'fr'",
    ),
    "unknown entry key": (
        "years: 2024\nreports:\n  - {notebook: district_report, district: 894, yaers: 2024}",
        r"reports\[0\]\.yaers: unknown key 'yaers'.*Did you mean 'years'",
    ),
    "unknown notebook": (
        "years: 2024\nreports:\n  - {notebook: distric_report, district: 894}",
        r"reports\[0\]\.notebook: unknown notebook 'distric_report'; available: (\w+, )*district_report(, "
        r"\w+)*\. Did you mean 'district_report'",
    ),
    "notebook path": (
        "years: 2024\nreports:\n  - {notebook: ../notebooks/district_report, district: 894}",
        r"reports\[0\]\.notebook: '\.\./notebooks/district_report' must be a notebook name",
    ),
    "notebook absolute": (
        "years: 2024\nreports:\n  - {notebook: /etc/passwd, district: 894}",
        r"must be a notebook name from notebooks/",
    ),
    "notebook and notebooks": (
        "years: 2024\nreports:\n  - {notebook: district_report, notebooks: [data_quality], district: 894}",
        r"reports\[0\]: give exactly one of 'notebook",
    ),
    "notebooks not list": (
        "years: 2024\nreports:\n  - {notebooks: district_report, district: 894}",
        r"reports\[0\]\.notebooks: must be a non-empty list",
    ),
    "no selector": (
        "years: 2024\nreports:\n  - {notebook: district_report}",
        r"reports\[0\]: give exactly one unit selector",
    ),
    "no selector, unit notebook": (
        "years: 2016\nreports:\n  - {notebook: province_report}",
        r"reports\[0\]: give exactly one unit selector: .* \(notebook 'province_report' reports on a "
        r"province: 'province' or 'provinces'\)$",
    ),
    "selector for whole country": (
        "years: 2016\nreports:\n  - {notebook: national_overview, provinces: [89]}",
        r"reports\[0\]\.provinces: notebook 'national_overview' has no unit parameter \(district, commune or "
        r"province\): it reports on the whole country \(VN\), once per year; remove 'provinces'$",
    ),
    "singular selector for whole country": (
        "years: 2016\nreports:\n  - {notebook: national_overview, district: 894}",
        r"reports\[0\]\.district: notebook 'national_overview' has no unit parameter",
    ),
    "mixed unit and whole country": (
        "years: 2016\nreports:\n  - {notebooks: [province_report, national_overview], provinces: [89]}",
        r"reports\[0\]\.notebooks: notebook 'province_report' reports on a province \(parameter "
        r"'province'\), but 'national_overview' has no unit parameter \(it reports on the whole country\); "
        r"give 'national_overview' an entry of its own",
    ),
    "mixed without selector": (
        "years: 2016\nreports:\n  - {notebooks: [national_overview, province_report]}",
        r"reports\[0\]\.notebooks: notebook 'province_report' reports on a province",
    ),
    "whole country twice": (
        "years: [2014, 2016]\nreports:\n  - {notebook: national_overview}\n  - {notebook: national_overview, "
        "years: 2016}",
        r"reports\[1\]: report 2016/VN/national_overview is also planned by reports\[0\]",
    ),
    "whole country unknown parameter": (
        "years: 2016\nreports:\n  - {notebook: national_overview, parameters: {gso_dri: x}}",
        r"reports\[0\]\.parameters\.gso_dri: notebook 'national_overview' has no parameter 'gso_dri'.*Did "
        r"you mean 'gso_dir'",
    ),
    "two selectors": (
        "years: 2024\nreports:\n  - {notebook: district_report, district: 894, districts: [886]}",
        r"found district, districts",
    ),
    "level mismatch": (
        "years: 2024\nreports:\n  - {notebook: commune_report, district: 894}",
        r"reports\[0\]\.district: notebook 'commune_report' reports on a commune \(parameter 'commune'\), "
        r"but 'district' selects district units",
    ),
    "unknown unit": (
        "years: 2024\nreports:\n  - {notebook: district_report, district: Thoai Sonn}",
        r"reports\[0\]\.district: Unknown unit 'Thoai Sonn' \(district\).*894 Huyện Thoại Sơn",
    ),
    "unknown unit code": (
        "years: 2024\nreports:\n  - {notebook: district_report, district: 999}",
        r"reports\[0\]\.district: Unknown unit '999'",
    ),
    "ambiguous unit": (
        "years: 2024\nreports:\n  - {notebook: commune_report, commune: Phu Hoa}",
        r"reports\[0\]\.commune: 'Phu Hoa' \(commune\) matches \d+ units.*30685",
    ),
    "unknown unit in list": (
        "years: 2024\nreports:\n  - {notebook: commune_report, communes: [30682, Nowhere]}",
        r"reports\[0\]\.communes\[1\]: Unknown unit 'Nowhere'",
    ),
    "singular with list": (
        "years: 2024\nreports:\n  - {notebook: district_report, district: [894]}",
        r"'district' takes one unit; use 'districts'",
    ),
    "communes all": (
        "years: 2024\nreports:\n  - {notebook: commune_report, communes: all}",
        r"reports\[0\]\.communes: give a list of units or \{of: PARENT\}",
    ),
    "of a commune": (
        "years: 2024\nreports:\n  - {notebook: commune_report, communes: {of: 30682}}",
        r"communes\.of: Thị trấn Núi Sập \(30682\) is a commune; it has no communes",
    ),
    "of unknown": (
        "years: 2024\nreports:\n  - {notebook: commune_report, communes: {of: Atlantis}}",
        r"communes\.of: Unknown unit 'Atlantis'",
    ),
    "empty unit list": (
        "years: 2024\nreports:\n  - {notebook: commune_report, communes: []}",
        r"communes: empty list of units",
    ),
    "unit twice": (
        "years: 2024\nreports:\n  - {notebook: commune_report, communes: [30682, 'Núi Sập']}",
        r"communes: unit 30682 given twice",
    ),
    "duplicate report": (
        "years: 2024\nreports:\n  - {notebook: commune_report, communes: {of: 894}}\n  - {notebook: "
        "commune_report, commune: 30682}",
        r"reports\[1\]: report 2024/30682/commune_report is also planned by reports\[0\]",
    ),
    "unknown parameter": (
        "years: 2024\nreports:\n  - {notebook: district_report, district: 894, parameters: {compar: x}}",
        r"reports\[0\]\.parameters\.compar: notebook 'district_report' has no parameter 'compar'.*Did you "
        r"mean 'compare'",
    ),
    "reserved parameter": (
        "years: 2024\nreports:\n  - {notebook: district_report, district: 894, parameters: {year: 2023}}",
        r"parameters\.year: 'year' is set by the plan itself",
    ),
    "data_dir as parameter": (
        "years: 2024\nreports:\n  - {notebook: district_report, district: 894, parameters: {data_dir: /tmp}}",
        r"parameters\.data_dir: 'data_dir' is set by the plan itself \(use data_dir at the top",
    ),
    "parameter list": (
        "years: 2024\nreports:\n  - {notebook: district_report, district: 894, parameters: {compare: [a]}}",
        r"parameters\.compare: a parameter value is text",
    ),
    "data_dir absolute": (
        "years: 2024\ndata_dir: /etc\nreports:\n  - {notebook: district_report, district: 894}",
        r"data_dir: absolute path '/etc' refused",
    ),
    "data_dir home": (
        "years: 2024\ndata_dir: ~/data\nreports:\n  - {notebook: district_report, district: 894}",
        r"data_dir: absolute path '~/data' refused",
    ),
    "data_dir windows": (
        "years: 2024\ndata_dir: 'C:\\data'\nreports:\n  - {notebook: district_report, district: 894}",
        r"data_dir: absolute path",
    ),
    "data_dir traversal": (
        "years: 2024\ndata_dir: data/../../secret\nreports:\n  - {notebook: district_report, district: 894}",
        r"data_dir: path 'data/\.\./\.\./secret' goes outside the project folder",
    ),
    "data_dir missing": (
        "years: 2024\ndata_dir: data/nowhere\nreports:\n  - {notebook: district_report, district: 894}",
        r"data_dir: folder 'data/nowhere' not found",
    ),
    "data_dir no data": (
        "years: 2024\ndata_dir: data/catalogue\nreports:\n  - {notebook: district_report, district: 894}",
        r"data_dir: folder 'data/catalogue' holds no observations",
    ),
    "title not text": (
        "title: [a]\nyears: 2024\nreports:\n  - {notebook: district_report, district: 894}",
        r"title: must be text",
    ),
}


@pytest.mark.parametrize("text,pattern", list(BAD.values()), ids=list(BAD))
def test_bad_plan_one_line_naming_file_and_key(tmp_path, text, pattern):
    with pytest.raises(PlanError) as info:
        load(tmp_path, text)
    msg = english(info.value)
    err = info.value  # both languages: two messages, or the unit list's own message that has both
    assert err.message_vi and (err.message_vi != err.message_en or " / " in err.message_en), str(err)
    assert msg.startswith(f"{tmp_path / 'plan.yml'}: "), msg
    assert "\n" not in msg
    import re

    assert re.search(pattern, msg), msg


# Messages not pinned word for word above, and which problem a plan with several gets: the first
# in the order load_plan checks them (top-level keys, then each entry in turn, formats and date last).
EXACT = {
    "data_dir not text": (
        "years: 2024\ndata_dir: [a]\nreports:\n  - {notebook: district_report, district: 894}",
        "data_dir: must be a text path, not list ['a']",
    ),
    "cell_timeout zero": (
        "years: 2024\ncell_timeout: 0\nreports:\n  - {notebook: district_report, district: 894}",
        "cell_timeout: seconds a notebook cell may run, a number from 1 to 86400 (default 600), not 0",
    ),
    "entry not a mapping": (
        "years: 2024\nreports:\n  - district_report",
        "reports[0]: each report entry is a mapping (notebook, units, years), not 'district_report'",
    ),
    "notebook name not text": (
        "years: 2024\nreports:\n  - {notebook: 5, district: 894}",
        "reports[0].notebook: a notebook name is text, not 5",
    ),
    "notebook name in a list": (
        "years: 2024\nreports:\n  - {notebooks: [district_report, distrct], district: 894}",
        "reports[0].notebooks[1]: unknown notebook 'distrct'; available: commune_2025_report, "
        "commune_report, data_quality, district_report, national_overview, province_2025_report, "
        "province_report. Did you mean 'district_report'?",
    ),
    "unit not a code": (
        "years: 2024\nreports:\n  - {notebook: district_report, district: true}",
        "reports[0].district: a unit is a GSO code or a name, not True",
    ),
    "of not a unit": (
        "years: 2024\nreports:\n  - {notebook: commune_report, communes: {of: [894]}}",
        "reports[0].communes.of: a unit is a GSO code or a name, not [894]",
    ),
    "of missing": (
        "years: 2024\nreports:\n  - {notebook: commune_report, communes: {}}",
        "reports[0].communes: write 'communes: {of: PARENT}' for all communes of a unit, or give a list",
    ),
    "entry lang": (
        "years: 2024\nreports:\n  - {notebook: district_report, district: 894, lang: fr}",
        "reports[0].lang: must be 'vi' or 'en', not 'fr'",
    ),
    "parameters not a mapping": (
        "years: 2024\nreports:\n  - {notebook: district_report, district: 894, parameters: [a]}",
        "reports[0].parameters: must be a mapping of notebook parameters, not ['a']",
    ),
    "reserved unit parameter": (
        "years: 2024\nreports:\n  - {notebook: district_report, district: 894, parameters: {district: 886}}",
        "reports[0].parameters.district: 'district' is set by the plan itself (use the unit selector, years "
        "and lang keys)",
    ),
    "year_from after the year": (
        "years: 2024\nreports:\n  - {notebook: district_report, district: 894, "
        "parameters: {year_from: 2025}}",
        "reports[0].parameters.year_from: the first year of a period is a whole number not after the year "
        "2024, not 2025",
    ),
    "formats not a list": (
        "years: 2024\nformats: pdf\nreports:\n  - {notebook: district_report, district: 894}",
        "formats: must be a list of formats such as [html, pdf, docx], not 'pdf'",
    ),
    "date not a date": (
        "years: 2024\ndate: tomorrow\nreports:\n  - {notebook: district_report, district: 894}",
        "date: must be a date written YYYY-MM-DD (the date line of the Word reports), not 'tomorrow'",
    ),
    "date with a time": (
        "years: 2024\ndate: 2024-12-31 10:00:00\nreports:\n  - {notebook: district_report, district: 894}",
        "date: must be a date written YYYY-MM-DD (the date line of the Word reports), not "
        "datetime.datetime(2024, 12, 31, 10, 0)",
    ),
    "issuer of a notebook the plan does not build": (
        "years: 2024\nissuer:\n  commune_report: {system: party}\nreports:\n"
        "  - {notebook: district_report, district: 894}",
        "issuer.commune_report: the plan builds no notebook 'commune_report'; its notebooks: district_report",
    ),
    "issuer with Kính gửi in a party report": (
        "years: 2024\nissuer:\n  district_report: {to: [UBND tỉnh]}\nreports:\n"
        "  - {notebook: district_report, district: 894}",
        "issuer.district_report.to: a party report has no 'Kính gửi' (HD 36-HD/VPTW); name its readers "
        "under 'recipients'",
    ),
    # several problems: the first one checked is the one reported
    "unknown key before missing reports": (
        "yeras: 2024",
        "yeras: unknown key 'yeras'; allowed: title, lang, "
        "years, data_dir, cell_timeout, formats, date, issuer, reports. Did you mean 'years'?",
    ),
    "missing reports before title": (
        "title: [a]",
        "reports: missing; list the reports to build (see params/README.md)",
    ),
    "title before lang": ("title: [a]\nlang: fr\nreports: []", "title: must be text, not ['a']"),
    "lang before years": ("lang: fr\nyears: x\nreports: []", "lang: must be 'vi' or 'en', not 'fr'"),
    "years before data_dir": (
        "years: x\ndata_dir: /etc\nreports: []",
        "years: a year must be a whole number like 2024, not 'x'",
    ),
    "data_dir path before cell_timeout": (
        "data_dir: /etc\ncell_timeout: 0\nreports: []",
        "data_dir: absolute path '/etc' refused; give a path relative to the project folder",
    ),
    "cell_timeout before the data folder": (
        "data_dir: data/nowhere\ncell_timeout: 0\nreports: []",
        "cell_timeout: seconds a notebook cell may run, a number from 1 to 86400 (default 600), not 0",
    ),
    "the data folder before the report list": (
        "data_dir: data/nowhere\nreports: []",
        f"data_dir: folder 'data/nowhere' not found in the project folder {ROOT}",
    ),
    "entry keys before notebook": (
        "years: 2024\nreports:\n  - {yaers: 1}",
        "reports[0].yaers: unknown key 'yaers'; allowed: notebook, notebooks, years, lang, parameters, "
        "province, district, commune, provinces, districts, communes. Did you mean 'years'?",
    ),
    "notebook before unit selector": (
        "years: 2024\nreports:\n  - {notebook: nowhere}",
        "reports[0].notebook: unknown notebook 'nowhere'; available: commune_2025_report, commune_report, "
        "data_quality, district_report, national_overview, province_2025_report, province_report.",
    ),
    "level before unit": (
        "years: 2024\nreports:\n  - {notebook: commune_report, district: Atlantis}",
        "reports[0].district: notebook 'commune_report' reports on a commune (parameter 'commune'), but "
        "'district' selects district units",
    ),
    "unit before years": (
        "reports:\n  - {notebook: district_report, district: Atlantis}",
        "reports[0].district: Unknown unit 'Atlantis' (district) in the legacy unit list",
    ),
    "years before lang": (
        "reports:\n  - {notebook: district_report, district: 894, lang: fr}",
        "reports[0].years: no years: give 'years' in the entry or at the top of the plan",
    ),
    "lang before parameters": (
        "years: 2024\nreports:\n  - {notebook: district_report, district: 894, lang: fr, parameters: [a]}",
        "reports[0].lang: must be 'vi' or 'en', not 'fr'",
    ),
    "parameters in the order written": (
        "years: 2024\nreports:\n  - {notebook: district_report, district: 894, "
        "parameters: {compar: 1, year: 1}}",
        "reports[0].parameters.compar: notebook 'district_report' has no parameter 'compar'; its "
        "parameters: ",
    ),
    "one entry after the other": (
        "years: 2024\nreports:\n  - {notebook: district_report, district: 894, parameters: {year: 1}}\n"
        "  - {notebook: nowhere}",
        "reports[0].parameters.year: 'year' is set by the plan itself (use the unit selector, years and lang "
        "keys)",
    ),
    "each report in turn: a duplicate before a later year's period": (
        "years: 2024\nreports:\n  - {notebook: district_report, district: 894}\n"
        "  - {notebook: district_report, district: 894, years: [2024, 2023], parameters: {year_from: 2024}}",
        "reports[1]: report 2024/894/district_report is also planned by reports[0]",
    ),
    "each report in turn: a period before a later duplicate": (
        "years: 2024\nreports:\n  - {notebook: district_report, district: 894}\n"
        "  - {notebook: district_report, district: 894, years: [2023, 2024], parameters: {year_from: 2024}}",
        "reports[1].parameters.year_from: the first year of a period is a whole number not after the year "
        "2023, not 2024",
    ),
    "entries before formats": (
        "years: 2024\nformats: pdf\nreports:\n  - {notebook: nowhere}",
        "reports[0].notebook: unknown notebook 'nowhere'; available: commune_2025_report, commune_report, "
        "data_quality, district_report, national_overview, province_2025_report, province_report.",
    ),
    "formats before date": (
        "years: 2024\nformats: pdf\ndate: tomorrow\nreports:\n  - {notebook: district_report, district: 894}",
        "formats: must be a list of formats such as [html, pdf, docx], not 'pdf'",
    ),
}


@pytest.mark.parametrize("text,message", list(EXACT.values()), ids=list(EXACT))
def test_bad_plan_message_word_for_word(tmp_path, text, message):
    with pytest.raises(PlanError) as info:
        load(tmp_path, text)
    head = f"{tmp_path / 'plan.yml'}: "
    assert english(info.value).startswith(head + message), english(info.value)


@pytest.fixture
def own_notebooks(tmp_path):
    """A notebooks folder with notebooks of no registered kind: one without ``year``, one with
    only ``district`` and ``year``, and one that is not a notebook."""
    import nbformat
    from nbformat.v4 import new_code_cell, new_notebook

    nbs = tmp_path / "nbs"
    nbs.mkdir()
    for name, source in (
        ("no_year", 'district: str = "894"'),
        ("bare", 'district: str = "894"\nyear: int = 2024'),
    ):
        nbformat.write(
            new_notebook(cells=[new_code_cell(source, metadata={"tags": ["parameters"]})]),
            nbs / f"{name}.ipynb",
        )
    (nbs / "broken.ipynb").write_text("{not json", encoding="utf-8")
    return nbs


@pytest.mark.parametrize(
    "text,message",
    [
        (
            "years: 2024\nreports:\n  - {notebook: no_year, district: 894}",
            "reports[0].notebook: notebook 'no_year' has no 'year' parameter",
        ),
        (
            "years: 2024\ndata_dir: data/thoai_son\nreports:\n  - {notebook: bare, district: 894}",
            "data_dir: notebook 'bare' has no 'data_dir' parameter",
        ),
        (
            "years: 2024\nreports:\n  - {notebook: bare, district: 894, lang: en}",
            "reports[0].lang: notebook 'bare' has no 'lang' parameter",
        ),
        (  # the year before the data folder, notebook by notebook
            "years: 2024\ndata_dir: data/thoai_son\nreports:\n"
            "  - {notebooks: [bare, no_year], district: 894}",
            "data_dir: notebook 'bare' has no 'data_dir' parameter",
        ),
        (
            "years: 2024\ndata_dir: data/thoai_son\nreports:\n"
            "  - {notebooks: [no_year, bare], district: 894}",
            "reports[0].notebooks[0]: notebook 'no_year' has no 'year' parameter",
        ),
    ],
)
def test_bad_plan_for_a_notebook_of_no_kind(tmp_path, own_notebooks, text, message):
    with pytest.raises(PlanError) as info:
        load_plan(plan_file(tmp_path, text), home=ROOT, notebooks_dir=own_notebooks)
    assert english(info.value) == f"{tmp_path / 'plan.yml'}: {message}"


def test_an_unreadable_notebook_is_named(tmp_path, own_notebooks):
    with pytest.raises(PlanError) as info:
        load_plan(
            plan_file(tmp_path, "years: 2024\nreports:\n  - {notebook: broken, district: 894}"),
            home=ROOT,
            notebooks_dir=own_notebooks,
        )
    assert english(info.value).startswith(f"{own_notebooks / 'broken.ipynb'}: not a readable notebook (")


def test_unreadable_plan(tmp_path):
    err = plan_refused(
        lambda: load_plan(tmp_path / "nothere.yml", home=ROOT), r"nothere\.yml: cannot read the plan"
    )
    assert err.message_en == "cannot read the plan: file not found"
    assert err.message_vi == "không đọc được kế hoạch: không tìm thấy tệp"


def test_cli_reports_plan_error_in_one_line_exit_2(tmp_path, capsys):
    from baocao.cli import main

    p = plan_file(tmp_path, "years: 2024\nreports:\n  - {notebook: district_report, district: Thoai Sonn}\n")
    assert main(["build", str(p), "--outputs", str(tmp_path / "out")]) == 2
    err = capsys.readouterr().err.strip()
    assert err.startswith(f"baocao build: {p}: reports[0].district: Không tìm thấy đơn vị 'Thoai Sonn'")
    assert "/ Unknown unit 'Thoai Sonn' (district) in the legacy unit list. Did you mean: 894" in err
    assert "\n" not in err and "Traceback" not in err
    assert not (tmp_path / "out").exists()


def test_cli_help_documents_only_semantics(capsys):
    from baocao.cli import main

    with pytest.raises(SystemExit):
        main(["build", "--help"])
    out = capsys.readouterr().out
    assert (
        "--only" in out and "(OR)" in out and "(AND)" in out and "--dry-run" in out and "--scheduler" in out
    )


# ---------------------------------------------------------------- --only


def keys(reports):
    return sorted(r.key for r in reports)


def test_only_kinds_are_and_values_of_one_kind_are_or(default_plan):
    rs = default_plan.reports
    assert len(select(rs, [])) == 59
    assert len(select(rs, ["2024"])) == 21  # the period reports 2022–2024 are reports of their last year
    assert keys(select(rs, ["district_report"])) == [
        "2022-2024/894/district_report",
        "2022/894/district_report",
        "2023/894/district_report",
        "2024/894/district_report",
    ]
    assert keys(select(rs, ["894"])) == sorted(
        [
            "2022-2024/894/data_quality",
            "2022-2024/894/district_report",
            *(f"{y}/894/{n}" for y in (2022, 2023, 2024) for n in ("district_report", "data_quality")),
        ]
    )
    assert keys(select(rs, ["894", "2024"])) == [
        "2022-2024/894/data_quality",
        "2022-2024/894/district_report",
        "2024/894/data_quality",
        "2024/894/district_report",
    ]
    assert keys(select(rs, ["2023,2024", "district_report"])) == [
        "2022-2024/894/district_report",
        "2023/894/district_report",
        "2024/894/district_report",
    ]
    assert keys(select(rs, ["2023", "2024", "district_report.ipynb"])) == [
        "2022-2024/894/district_report",
        "2023/894/district_report",
        "2024/894/district_report",
    ]
    assert keys(select(rs, ["Núi Sập", "2022"])) == ["2022/30682/commune_report"]
    assert select(rs, ["district_report", "30682"]) == []


def test_only_selects_the_whole_country_by_code_or_name(tmp_path):
    plan = load(
        tmp_path,
        """
        years: [2014, 2016]
        reports:
          - notebook: national_overview
          - notebook: province_report
            provinces: [89]
    """,
    )
    rs = plan.reports
    assert keys(select(rs, ["VN"])) == ["2014/VN/national_overview", "2016/VN/national_overview"]
    assert keys(select(rs, ["Cả nước", "2016"])) == ["2016/VN/national_overview"]
    assert keys(select(rs, ["whole country,ca nuoc", "2014"])) == ["2014/VN/national_overview"]
    assert keys(select(rs, ["VN,An Giang", "2016"])) == [
        "2016/89/province_report",
        "2016/VN/national_overview",
    ]
    assert keys(select(rs, ["national_overview"])) == keys(select(rs, ["VN"]))
    with pytest.raises(BuildError, match=r"--only 'VN' matches no notebook"):
        select([r for r in rs if r.unit != "VN"], ["VN"])


def test_only_unknown_value_is_an_error(default_plan):
    with pytest.raises(BuildError, match=r"--only '2019' matches no notebook, unit or year of the plan"):
        select(default_plan.reports, ["2019"])
    with pytest.raises(BuildError, match=r"--only 'distrct_report'"):
        select(default_plan.reports, ["distrct_report"])


def test_path_parameters_are_relative_to_the_project_and_checked(tmp_path):
    import nbformat
    from nbformat.v4 import new_code_cell, new_notebook

    nbs = tmp_path / "nbs"
    nbs.mkdir()
    nb = new_notebook(
        cells=[
            new_code_cell(
                'district: str = "894"\nyear: int = 2024\nextra_dir: str = ""',
                metadata={"tags": ["parameters"]},
            )
        ]
    )
    nbformat.write(nb, nbs / "custom.ipynb")
    ok = plan_file(
        tmp_path,
        "years: 2024\nreports:\n  - {notebook: custom, district: 894, parameters: {extra_dir: "
        "data/gso/raw}}\n",
    )
    plan = load_plan(ok, home=ROOT, notebooks_dir=nbs)
    assert plan.reports[0].kind is None
    assert plan.reports[0].parameters["extra_dir"] == "data/gso/raw"
    bad = plan_file(
        tmp_path,
        "years: 2024\nreports:\n  - {notebook: custom, district: 894, parameters: {extra_dir: ../../etc}}\n",
        "bad.yml",
    )
    plan_refused(
        lambda: load_plan(bad, home=ROOT, notebooks_dir=nbs),
        r"reports\[0\]\.parameters\.extra_dir: path '\.\./\.\./etc' goes outside the project folder",
    )


def test_a_period_report_has_its_own_key_and_year_from_after_year_is_refused(tmp_path):
    plan = load(
        tmp_path,
        """
        years: 2024
        reports:
          - notebook: district_report
            district: 894
          - notebook: district_report
            district: 894
            parameters: {year_from: 2022}
    """,
    )
    assert [r.key for r in plan.reports] == ["2024/894/district_report", "2022-2024/894/district_report"]
    with pytest.raises(PlanError, match=r"reports\[0\]\.parameters\.year_from"):
        load(
            tmp_path,
            """
            years: 2024
            reports:
              - notebook: district_report
                district: 894
                parameters: {year_from: 2025}
        """,
        )


def test_the_cached_plan_is_the_plan(tmp_path):
    """The expanded plan kept in the stat cache comes back whole: a period report keeps its
    year_from (and so its own key), and the plan its cell_timeout, formats, date and issuer — a cached
    plan that lost year_from made the period report overwrite the year's district report."""
    from baocao.build.plans import load_plan_cached
    from baocao.io.filestamps import FileHashes

    path = plan_file(
        tmp_path,
        """
        years: 2024
        cell_timeout: 90
        formats: [html, docx]
        date: 2024-12-31
        issuer:
          district_report: {system: state, name: Nguyễn Văn A}
        reports:
          - notebook: district_report
            district: 894
          - notebook: district_report
            district: 894
            parameters: {year_from: 2022}
    """,
    )
    fresh = load_plan(path, home=ROOT)
    cache = tmp_path / "cache.json"
    first = load_plan_cached(path, FileHashes(cache), ROOT)
    again = FileHashes(cache)
    second = load_plan_cached(path, again, ROOT)
    assert again.recall("plans", next(iter(again.memo["plans"]))) is not None  # really from the cache
    for plan in (first, second):
        assert plan.reports == fresh.reports
        assert [r.key for r in plan.reports] == ["2024/894/district_report", "2022-2024/894/district_report"]
        assert [r.parameters for r in plan.reports] == [r.parameters for r in fresh.reports]
        assert (plan.cell_timeout, plan.formats, plan.date) == (fresh.cell_timeout, fresh.formats, fresh.date)
        assert plan.issuer == fresh.issuer == {"district_report": {"system": "state", "name": "Nguyễn Văn A"}}
