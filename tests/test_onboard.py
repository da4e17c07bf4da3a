"""`baocao init-district`: a second district, from the command to built reports, in a copy of the project."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from baocao.build.plans import PlanError, load_plan
from baocao.cli import main
from baocao.data import units
from baocao.data.onboard import OnboardError, init_district, parse_years, resolve_district, slug
from baocao.io.dataset_meta import read_meta

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def registry():
    return units.legacy()


@pytest.fixture(scope="module")
def project(tmp_path_factory):
    """A copy of the project (data, plans, notebooks) in which Tri Tôn
    (891) is onboarded with --illustrative.
    """
    home = tmp_path_factory.mktemp("onboard")
    for name in ("data", "params", "notebooks"):
        shutil.copytree(ROOT / name, home / name)
    env = dict(os.environ, BAOCAO_HOME=str(home))
    proc = subprocess.run(
        [str(Path(sys.executable).with_name("baocao")), "init-district", "Tri Tôn", "--illustrative"],
        cwd=home,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr
    return home


def test_it_writes_the_data_folder_and_the_plan(project, registry):
    d = project / "data" / "tri_ton"
    assert sorted(p.name for p in d.iterdir()) == [
        "dataset.yaml",
        "observations.csv",
        "published.csv",
        "sources.yaml",
    ]
    assert read_meta(d).unit_list == "legacy"  # a district exists only in the legacy list
    obs = pd.read_csv(d / "observations.csv", dtype=str, keep_default_na=False)
    assert list(obs.columns) == ["unit", "year", "element", "category", "value", "source", "note"]
    communes = {u.code for u in registry.children("891")}
    assert set(obs["unit"]) == communes | {"891"} and sorted(set(obs["year"])) == ["2022", "2023", "2024"]
    assert obs["source"].str.contains("minh họa").all() and obs["source"].str.contains("illustrative").all()
    published = pd.read_csv(d / "published.csv")
    assert published.empty and "id" in published.columns and "components" in published.columns
    assert "generated" in (d / "sources.yaml").read_text(encoding="utf-8")
    assert "MINH HỌA" in (project / "params" / "tri_ton.yml").read_text(encoding="utf-8")


def test_the_plan_has_the_right_communes(project, registry):
    plan = load_plan(project / "params" / "tri_ton.yml", home=project)
    assert Path(plan.data_path) == project / "data" / "tri_ton"
    district = [r for r in plan.reports if r.level == "district"]
    assert {(r.notebook, r.unit) for r in district} == {("district_report", "891"), ("data_quality", "891")}
    communes = [r for r in plan.reports if r.notebook == "commune_report"]
    expected = [u.code for u in registry.children("891")]
    assert len(expected) == 15 and sorted({r.unit for r in communes}) == sorted(expected)
    assert len(plan.reports) == (2 + 15) * 3
    assert all(r.district == "891" for r in communes)


def test_communes_of_a_name_that_is_also_a_town(tmp_path, registry):
    """'Tri Tôn' is a district and a town (thị trấn) of it: `communes: {of: ...}` takes the district, as
    `district:` does.
    """
    plan = tmp_path / "p.yml"
    plan.write_text(
        'years: 2024\nreports:\n  - notebook: commune_report\n    communes: {of: "Tri Tôn"}\n',
        encoding="utf-8",
    )
    reports = load_plan(plan, home=ROOT).reports
    assert sorted(r.unit for r in reports) == sorted(u.code for u in registry.children("891"))
    plan.write_text(
        'years: 2024\nreports:\n  - notebook: commune_report\n    communes: {of: "Châu Thành"}\n',
        encoding="utf-8",
    )
    with pytest.raises(
        PlanError, match="892 Huyện Châu Thành"
    ):  # ten districts: still ambiguous, the candidates listed
        load_plan(plan, home=ROOT)


def test_refuses_an_existing_folder_and_an_ambiguous_name(project, registry, capsys, monkeypatch):
    monkeypatch.setenv("BAOCAO_HOME", str(project))
    before = (project / "data" / "tri_ton" / "observations.csv").read_bytes()
    assert main(["init-district", "891"]) == 2
    assert (
        "data/tri_ton" in capsys.readouterr().err
        and (project / "data" / "tri_ton" / "observations.csv").read_bytes() == before
    )
    assert main(["init-district", "Châu Thành"]) == 2
    err = capsys.readouterr().err
    assert (
        "matches 10 districts" in err
        and "892 Huyện Châu Thành (Tỉnh An Giang)" in err
        and "708 Huyện Châu Thành (Tỉnh Tây Ninh)" in err
    )
    assert not (project / "data" / "chau_thanh").exists()
    with pytest.raises(OnboardError, match="no district"):
        resolve_district(registry, "Atlantis")


def test_a_real_district_next_steps_are_the_readme_commands_and_read_excel_files(
    project, capsys, monkeypatch
):
    """Châu Phú without --illustrative: the "next" lines are typed as the README types commands
    (`./run baocao …`, not a bare `baocao` that a shell following the README does not know), and the
    validate line, run on a few rows saved by Excel in a Vietnamese locale, reads them."""
    monkeypatch.setenv("BAOCAO_HOME", str(project))
    monkeypatch.chdir(project)
    assert main(["init-district", "Châu Phú"]) == 0
    out = capsys.readouterr().out
    steps = out.split("Tiếp theo / next:\n", 1)[1].splitlines()
    assert len(steps) == 4 and all(s.startswith("  ./run baocao ") for s in steps), steps
    assert "baocao" not in out.replace("./run baocao", "")
    (project / "data" / "chau_phu" / "observations.csv").write_bytes(
        (
            "\ufeffunit;year;element;category;value;source;note\r\n"
            "30466;2024;hn_so;cd2024;12;Đảng ủy xã Khánh Hòa;\r\n"
            "30466;2024;dan_so;;24512;Công an xã;\r\n"
            "30466;2024;thu_nhap_bq;;68,5;Chi cục Thống kê;ước tính\r\n"
        ).encode("utf-8")
    )
    validate = next(s for s in steps if " validate " in s).split()[2:]
    assert main(validate) == 0
    assert "3 dòng hợp lệ" in capsys.readouterr().out


def test_names_years_and_slugs(registry, tmp_path):
    assert slug(registry, registry.unit("891")) == "tri_ton"
    assert (
        slug(registry, registry.unit("892")) == "chau_thanh_an_giang"
    )  # ten districts are called Châu Thành
    assert resolve_district(registry, "Chau Thanh, An Giang").code == "892"
    assert parse_years("2022-2024") == (2022, 2023, 2024) and parse_years("2024") == (2024,)
    with pytest.raises(OnboardError, match="--years"):
        parse_years("last year")
    (tmp_path / "data").mkdir()
    done = init_district("892", tmp_path, registry, years=(2024,))
    obs = pd.read_csv(done.data_dir / "observations.csv")
    assert obs.empty and list(obs.columns) == [
        "unit",
        "year",
        "element",
        "category",
        "value",
        "source",
        "note",
    ]
    assert "years: 2024\n" in done.plan.read_text(encoding="utf-8") and "MINH HỌA" not in done.plan.read_text(
        encoding="utf-8"
    )
    with pytest.raises(OnboardError, match="2022–2024 only"):
        init_district("891", tmp_path, registry, illustrative=True, years=(2021, 2022))


@pytest.mark.slow
def test_validate_and_build_one_district_and_one_commune_report(project, registry):
    env = dict(os.environ, BAOCAO_HOME=str(project), COLUMNS="200")
    env.pop("BAOCAO_OUTPUTS", None)
    baocao = str(Path(sys.executable).with_name("baocao"))
    check = subprocess.run(
        [baocao, "validate", "data/tri_ton/observations.csv", "--published", "data/tri_ton/published.csv"],
        cwd=project,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert check.returncode == 0, check.stdout + check.stderr
    commune = registry.children("891")[0]
    out = project / "out"
    proc = subprocess.run(
        [
            baocao,
            "build",
            "params/tri_ton.yml",
            "--only",
            "2024",
            "--only",
            "district_report,commune_report",
            "--only",
            f"891,{commune.code}",
            "--jobs",
            "2",
            "--outputs",
            str(out),
        ],
        cwd=project,
        env=env,
        capture_output=True,
        text=True,
        timeout=180,
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr
    m = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    assert sorted(m["reports"]) == sorted([f"2024/{commune.code}/commune_report", "2024/891/district_report"])
    district = (out / "2024/891/district_report.html").read_text(encoding="utf-8")
    assert "Huyện Tri Tôn" in district and "minh họa" in district
    for u in registry.children("891"):
        assert u.short in district, u.short  # every commune of Tri Tôn, none of Thoại Sơn
    assert "Núi Sập" not in district
    page = (out / f"2024/{commune.code}/commune_report.html").read_text(encoding="utf-8")
    assert commune.name in page and commune.code in page and "minh họa" in page


def test_help_examples_are_typed_as_the_readme_types_them(capsys):
    """Every example command in a subcommand's help starts with './run baocao' (a bare 'baocao' is
    'command not found' in a shell that follows the README)."""
    import re

    for sub in ("build", "export", "validate", "import", "template", "init-district", "preview", "units"):
        with pytest.raises(SystemExit):
            main([sub, "--help"])
        out = capsys.readouterr().out
        assert not re.search(r"^\s+baocao [a-z]", out, re.M), (sub, out)
    with pytest.raises(SystemExit):
        main(["build", "--help"])
    assert "  ./run baocao build --only 894 --dry-run" in capsys.readouterr().out
