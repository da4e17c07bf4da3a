"""Proof that a GSO table the project has never seen is added with a catalogue edit only.

A table in GSO's own export format (BOM, CRLF, ``;``, title line, blank line, wide years, ``..``)
with a layout none of the five real tables has (the items in a column of their own, one row
per province and item) and only some provinces is dropped into a copy of ``data/``; then
``baocao validate``'s warnings, the catalogue edit, the province report and the national
overview (built by the builder's own runner on the copy) are checked: value, unit, rank,
trend chart with its gap, and words where a province has no figure.
"""

from __future__ import annotations

import math
import shutil
from pathlib import Path

import pytest

from baocao.fmt import round_half_up
from baocao.io.gso import gso_warnings, load_gso
from baocao.reports.gso import province
from baocao.reports.kit import Chart, Html

ROOT = Path(__file__).resolve().parents[1]
FILE = "Number of patient beds under provincial departments of health by province.csv"
# items in a column of their own ("Type of facility"); 2015 is ".." for An Giang: a gap in its trend
ROWS = [
    ('" WHOLE COUNTRY"', "Total", "250000", "255000", "260000"),
    ('" WHOLE COUNTRY"', "Hospital", "200000", "204000", "208000"),
    ('"Red River Delta"', "Total", "..", "..", ".."),
    ('"Ha Noi"', "Total", "16000", "16500", "17000"),
    ('"Ha Noi"', "Hospital", "15000", "15400", "15800"),
    ('"Mekong River Delta"', "Total", "40000", "41000", "42000"),
    ('"Mekong River Delta"', "Hospital", "33000", "34000", "35000"),
    ('"Dong Thap"', "Total", "3600", "3700", "3800"),
    ('"Dong Thap"', "Hospital", "3000", "3100", "3200"),
    ('"An Giang"', "Total", "4700", "..", "4860"),
    ('"An Giang"', "Hospital", "4000", "..", "4100"),
    ('"Kien Giang"', "Total", "3000", "3100", "3200"),
    ('"Kien Giang"', "Hospital", "2500", "2600", "2700"),
    ('"Can Tho"', "Total", "5200", "5300", "5400"),
    ('"Can Tho"', "Hospital", "4800", "4900", "5000"),
]
CATALOGUE_EDIT = """
# --- added by an analyst: a new GSO table, no code edited -------------------------------
elements:
  - code: gso_giuong_benh
    name_vi: Số giường bệnh (thuộc Sở Y tế)
    name_en: Patient beds (provincial departments of health)
    unit_vi: giường
    unit_en: beds
    section: gso_health
    gso: {file: "@FILE@", layout: item_rows, item_column: "Type of facility", item: "Total",
          province_column: "Cities, provincies", missing: "..", unit: "giường", collected: "2024-05-01"}
  - code: gso_giuong_benh_vien
    name_vi: Số giường bệnh tại bệnh viện (thuộc Sở Y tế)
    name_en: Hospital beds (provincial departments of health)
    unit_vi: giường
    unit_en: beds
    section: gso_health
    gso: {file: "@FILE@", layout: item_rows, item_column: "Type of facility", item: "Hospital",
          province_column: "Cities, provincies", missing: "..", unit: "giường", collected: "2024-05-01"}
indicators:
  - code: gso_giuong_benh_van_dan
    name_vi: Số giường bệnh (thuộc Sở Y tế) trên 10.000 dân
    name_en: Patient beds per 10,000 population
    short_vi: Giường bệnh/vạn dân
    short_en: Beds per 10,000
    numerator: gso_giuong_benh
    denominator: gso_dan_so
    factor: 10000
    decimals: 1
    unit_vi: giường/vạn dân
    unit_en: beds per 10,000
    direction: higher
    section: gso_health
""".replace("@FILE@", FILE)


def gso_export(title: str, header: list[str], rows: list[tuple]) -> bytes:
    """A table as GSO's web site exports it: UTF-8 with BOM, CRLF, ';', title, blank line, header."""
    lines = [f'"{title}"', "", ";".join(f'"{h}"' for h in header)]
    lines += [";".join([r[0], f'"{r[1]}"', *r[2:]]) for r in rows]
    return ("\ufeff" + "\r\n".join(lines) + "\r\n").encode("utf-8")


@pytest.fixture(scope="module")
def project(tmp_path_factory):
    """A copy of the project's data with the new table in data/gso/raw (not yet in the catalogue)."""
    home = tmp_path_factory.mktemp("new_table")
    shutil.copytree(ROOT / "data", home / "data")
    (home / "data" / "gso" / "raw" / FILE).write_bytes(
        gso_export(
            "Number of patient beds under provincial departments of health by province by Cities, "
            "provincies, Type of facility and Year",
            ["Cities, provincies", "Type of facility", "2014", "2015", "Prel. 2016"],
            ROWS,
        )
    )
    return home


@pytest.fixture()
def at(project, monkeypatch):
    monkeypatch.setenv("BAOCAO_HOME", str(project))
    return project


def add_to_catalogue(home: Path, text: str = CATALOGUE_EDIT, entry: bool = True) -> None:
    """The analyst's edit: the element and indicator in a new catalogue file, and the indicator
    appended to the `reports: gso:` list of gso.yaml (every section: no key given)."""
    (home / "data" / "catalogue" / "gso_beds.yaml").write_text(text, encoding="utf-8")
    gso = home / "data" / "catalogue" / "gso.yaml"
    body = gso.read_text(encoding="utf-8")
    if entry and "gso_giuong_benh_van_dan" not in body:
        gso.write_text(body.rstrip("\n") + "\n    - indicator: gso_giuong_benh_van_dan\n", encoding="utf-8")


def test_an_unclaimed_table_is_a_warning_naming_file_and_columns(at):
    warnings = gso_warnings()
    hit = warnings[warnings["rule"] == "gso_unclaimed"]
    assert hit["file"].tolist() == [FILE]
    assert (
        hit["column"].iloc[0] == "Type of facility, 2014, 2015, Prel. 2016"
        and hit["importance"].iloc[0] == "warning"
    )
    assert (
        "'Type of facility' has no year" in hit["message_en"].iloc[0]
    )  # the hint: an item column to declare
    obs, _, _ = load_gso()
    assert "gso_giuong_benh" not in set(obs["element"])  # nothing of it is imported


def test_validate_prints_the_warning_and_still_passes(at, capsys):
    from baocao.cli import main

    assert main(["validate", "--lang", "en"]) == 0
    out = capsys.readouterr().out
    assert (
        f"data/gso/raw/{FILE}, column Type of facility, 2014, 2015, Prel. 2016 [warning]: no catalogue "
        "element claims this file" in out
    )


def test_a_declaration_matching_nothing_is_an_error_a_missing_file_a_warning(at):
    bad = CATALOGUE_EDIT.replace('item: "Total"', 'item: "Clinic"')
    add_to_catalogue(at, bad, entry=False)
    try:
        w = gso_warnings()
        hit = w[w["rule"] == "gso_item_missing"]
        assert hit[["file", "column", "importance"]].values.tolist() == [[FILE, "Clinic", "blocking"]]
        assert (
            hit["message_en"]
            .iloc[0]
            .startswith(
                f"data/catalogue/gso_beds.yaml: element gso_giuong_benh: gso: item 'Clinic' matches no row "
                f"of the table {FILE}"
            )
        )
        assert set(w.loc[w["rule"] == "gso_unreported", "value"]) == {
            "gso_giuong_benh_van_dan"
        }  # not in reports: gso:
        add_to_catalogue(
            at,
            CATALOGUE_EDIT.replace('province_column: "Cities, provincies"', 'province_column: "Province"'),
            entry=False,
        )
        w = gso_warnings()
        hit = w[w["rule"] == "gso_layout"]
        assert hit[["file", "column", "importance"]].values.tolist() == [[FILE, "Province", "blocking"]]
        assert "data/catalogue/gso_beds.yaml: element gso_giuong_benh" in hit["message_en"].iloc[0]
        assert "no column 'Province'" in hit["message_en"].iloc[0]
        add_to_catalogue(at, CATALOGUE_EDIT.replace(FILE, "Beds.csv"), entry=False)
        w = gso_warnings()
        hit = w[w["rule"] == "gso_file_missing"]
        assert hit[["file", "column", "importance"]].values.tolist() == [
            ["Beds.csv", "'Total', 'Hospital'", "warning"]
        ]
        assert FILE in set(w.loc[w["rule"] == "gso_unclaimed", "file"])
    finally:
        (at / "data" / "catalogue" / "gso_beds.yaml").unlink()


@pytest.fixture()
def declared(at):
    add_to_catalogue(at)
    return at


def test_catalogue_edit_imports_it(declared):
    obs, pub, problems = load_gso()
    assert problems.empty, problems.to_string()
    beds = obs[obs["element"] == "gso_giuong_benh"]
    assert sorted(beds["unit"].unique()) == ["01", "87", "89", "91", "92"]  # a subset of the provinces
    ag = beds[beds["unit"] == "89"].set_index("year")
    assert ag["value"].to_dict() == {2014: 4700, 2016: 4860}  # ".." in 2015 gives no row
    assert ag.loc[2016, "note"] == "preliminary" and ag.loc[2016, "source"] == f"GSO: {FILE} (2024-05-01)"
    assert set(pub.loc[pub["code"] == "gso_giuong_benh", "unit"]) == {"VN", "R6"}  # ".." region row: nothing


def test_province_functions_show_it_everywhere(declared):
    ctx = province.open_province("An Giang", 2016)
    code = "gso_giuong_benh_van_dan"
    assert code in ctx.codes("headline") and code in ctx.codes("trend") and code in ctx.codes("rank_country")
    value = 4860 / 2_159_900 * 10_000  # An Giang's population 2016 (preliminary): 2,159.9 thousand
    assert ctx.value(code) == pytest.approx(value)
    table = province.indicator_table(ctx)
    assert "Số giường bệnh (thuộc Sở Y tế) trên 10.000 dân (giường/vạn dân)" in table
    ranks = {u: 0 for u in ("01", "87", "89", "91", "92")}
    pops = {u: ctx.value("gso_dan_so", u) for u in ranks}
    beds = {"01": 17000, "87": 3800, "89": 4860, "91": 3200, "92": 5400}
    per = {u: float(round_half_up(beds[u] / pops[u] * 10_000, 1)) for u in ranks}  # as the table prints
    rank = 1 + sum(v > per["89"] for v in per.values())
    rank_region = 1 + sum(v > per["89"] for u, v in per.items() if u != "01")
    tied = "đồng hạng " if sum(v == per["89"] for v in per.values()) > 1 else ""
    # ranks count the provinces with a value; ties as printed are ties
    assert f"{tied}{rank}/5 tỉnh có số liệu" in table and f"{rank_region}/4 tỉnh có số liệu" in table
    assert "Giường bệnh/vạn dân" in str(province.headline(ctx))
    assert "thu thập ngày 21/09/2018, 01/05/2024" in province.footer(ctx)  # each table's own collection date
    trend = [
        b
        for b in province.trends(ctx)
        if isinstance(b, Chart) and "giường" in b.figure._suptitle.get_text().lower()
    ]
    assert len(trend) == 1
    line = trend[0].figure.axes[0].lines[0]
    points = dict(zip(line.get_xdata().tolist(), line.get_ydata().tolist()))
    assert (
        sorted(points) == [2014, 2015, 2016]
        and math.isnan(points[2015])
        and points[2016] == pytest.approx(value)
    )
    assert any(
        "giường" in b.figure._suptitle.get_text().lower()
        for b in province.ranked(ctx, "country")
        if isinstance(b, Chart)
    )


def test_a_province_without_the_table_says_so_in_words(declared):
    ctx = province.open_province("Ha Giang", 2016)
    note = province.chart_trend(ctx, "gso_giuong_benh_van_dan")
    assert isinstance(note, Html) and "Không có số liệu số giường bệnh" in note and "Hà Giang" in note
    assert "không có số liệu năm 2016" in province.indicator_table(ctx)
    early = province.open_province("An Giang", 2010)  # the table starts in 2014
    msg = province.chart_ranked(early, "gso_giuong_benh_van_dan")
    assert isinstance(msg, Html) and "năm 2010; có số liệu các năm 2014–2016" in msg


@pytest.mark.slow
def test_reports_built_on_the_copy_show_it(declared):
    from baocao.build.builder import _run_local

    def job(key, notebook, kind, **parameters):
        return {
            "key": key,
            "notebook": notebook,
            "notebook_path": str(ROOT / "notebooks" / f"{notebook}.ipynb"),
            "cwd": str(ROOT / "notebooks"),
            "home": str(declared),
            "kind": kind,
            "lang": "vi",
            "kernel": "python3",
            "parameters": parameters,
        }

    results = {}
    _run_local(
        [
            job("province", "province_report", "province", province="89", year=2016),
            job("national", "national_overview", "national", year=2016),
        ],
        2,
        lambda j, r: results.__setitem__(j["key"], r),
    )
    for r in results.values():
        assert r["status"] == "ok", r["error"]
    ctx = province.open_province("89", 2016)
    value = ctx.fmt("gso_giuong_benh_van_dan", ctx.value("gso_giuong_benh_van_dan"))
    page = results["province"]["html"]
    assert value in page and "giường/vạn dân" in page and "Giường bệnh/vạn dân" in page
    national = results["national"]["html"]
    assert "Giường bệnh/vạn dân: cả nước" in national and "(5 tỉnh có số liệu)" in national
