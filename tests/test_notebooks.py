"""The report notebooks, executed for real: defaults, key figures of the article, English, bad parameters.

Runs go through :func:`baocao.build.execute.render_report` (papermill + HTML export, as the
builder does), several at once in two worker processes; one notebook also runs with
nbclient directly, as "Run All" in JupyterLab would.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = ROOT / "notebooks"
KINDS = {"district_report": "district", "commune_report": "commune", "data_quality": "data_quality"}
CODE_MARKERS = (
    "report.open_report",
    "open_report(",
    "from baocao import",
    "report.title_block",
    "In [",
    "In&nbsp;[",
)

pytestmark = pytest.mark.slow


def job(name: str, notebook: str, **parameters) -> dict:
    return {
        "key": name,
        "notebook": notebook,
        "notebook_path": str(NOTEBOOKS / f"{notebook}.ipynb"),
        "cwd": str(NOTEBOOKS),
        "home": str(ROOT),
        "kind": KINDS[notebook],
        "lang": parameters.get("lang", "vi"),
        "kernel": "python3",
        "parameters": parameters,
    }


JOBS = [
    # defaults only (no parameter injected), as an analyst's "Run All"
    job("district_report", "district_report"),
    job("commune_report", "commune_report"),
    job("data_quality", "data_quality"),
    # the article's year
    job("district_2023", "district_report", district="894", year=2023),
    job("quality_2023", "data_quality", district="894", year=2023),
    job("district_2023_en", "district_report", district="894", year=2023, lang="en"),
    # the period the article covers, and a commune report (a district-only target)
    job("district_2022_2024", "district_report", district="894", year=2024, year_from=2022),
    job("commune_2024", "commune_report", commune="30682", year=2024),
    # a misspelt parameter
    job("misspelt", "district_report", yeer=2023),
]


@pytest.fixture(scope="module")
def rendered():
    from baocao.build.builder import _run_local

    results = {}
    _run_local(JOBS, 2, lambda j, r: results.__setitem__(j["key"], r))
    return results


def assert_no_code(html: str) -> None:
    from bs4 import BeautifulSoup

    for marker in CODE_MARKERS:
        assert marker not in html, marker
    soup = BeautifulSoup(html, "html.parser")
    assert soup.select(".jp-CodeCell .jp-InputArea, .jp-InputPrompt, .jp-OutputPrompt, .highlight") == []


@pytest.mark.parametrize("name", ["district_report", "commune_report", "data_quality"])
def test_notebook_runs_with_its_default_parameters(rendered, name):
    r = rendered[name]
    assert r["status"] == "ok", r["error"]
    nb = json.loads(r["ipynb"])
    assert not any(o.get("output_type") == "error" for c in nb["cells"] for o in c.get("outputs", []))
    assert "injected-parameters" not in json.dumps(nb)
    html = r["html"]
    assert_no_code(html)
    assert "2024" in html and "Thoại Sơn" in html
    assert html.rstrip().endswith("</html>")
    assert "<script" not in html


def test_district_report_2023_shows_the_article_figures_in_vietnamese_style(rendered):
    r = rendered["district_2023"]
    assert r["status"] == "ok", r["error"]
    html = r["html"]
    for figure in ("4.530", "99,34%", "73,5", "80,59%", "6,06", "1,32%"):
        assert figure in html, figure
    assert "Học tập và làm theo tư tưởng, đạo đức, phong cách Hồ Chí Minh" in html
    assert "So sánh các xã, thị trấn" in html
    assert "Communes compared" not in html and "Socio-economic results" not in html
    assert_no_code(html)
    # the index's headline: the figure as published, its mark, its footnote on the page and no
    # coverage note (every commune reported)
    assert ["Tỷ lệ tham dự", "99,34%", "3", "fn-P11", ""] in [list(p) for p in r["headline"]]
    assert r["title"].endswith("Huyện Thoại Sơn, 2023")


def test_data_quality_2023_reconciles_the_schools_rate(rendered):
    r = rendered["quality_2023"]
    assert r["status"] == "ok", r["error"]
    html = r["html"]
    assert "80,59" in html or "80,60%" in html
    assert "chênh do làm tròn" in html
    assert_no_code(html)


def test_english_variant_has_english_headings_and_number_style(rendered):
    r = rendered["district_2023_en"]
    assert r["status"] == "ok", r["error"]
    html = re.sub(
        r'<q lang="vi">.*?</q>', "", r["html"]
    )  # the source's own (Vietnamese) words, quoted in the footnotes
    for text in (
        "Studying and following Ho Chi Minh",
        "Communes compared",
        "Socio-economic results",
        "4,530",
        "99.34%",
        "73.5",
    ):
        assert text in html, text
    assert "So sánh các xã, thị trấn" not in html and "Kết quả phát triển kinh tế - xã hội" not in html
    assert "99,34%" not in html and "4.530" not in html
    assert '<html lang="en"' in html
    assert_no_code(html)


def test_misspelt_parameter_fails_early_with_a_clear_message_and_no_html(rendered):
    r = rendered["misspelt"]
    assert r["status"] == "failed" and r["html"] is None
    assert r["error"].startswith("ReportError: Tham số lạ 'yeer' / unknown parameter 'yeer'")
    assert "Did you mean 'year'?" in r["error"]
    nb = json.loads(r["ipynb"])
    code = [c for c in nb["cells"] if c["cell_type"] == "code"]
    status = [c["metadata"]["papermill"]["status"] for c in code]
    failing = status.index("failed")
    assert failing == 2 and "open_report" in "".join(
        code[failing]["source"]
    )  # parameters, injected, then this
    assert set(status[failing + 1 :]) == {"pending"}
    shown = json.dumps(code[failing]["outputs"])
    assert "Traceback" not in shown and "unknown parameter 'yeer'" in shown


def test_run_all_with_nbclient_as_jupyterlab_would():
    import nbclient
    import nbformat

    from baocao.build.html import export_html

    nb = nbformat.read(NOTEBOOKS / "data_quality.ipynb", as_version=4)
    nbclient.NotebookClient(
        nb, timeout=600, kernel_name="python3", resources={"metadata": {"path": str(NOTEBOOKS)}}
    ).execute()
    errors = [o for c in nb.cells for o in c.get("outputs", []) if o.get("output_type") == "error"]
    assert errors == []
    html = export_html(nb, title="Chất lượng số liệu", lang="vi")
    assert "Huyện Thoại Sơn" in html and "2024" in html
    assert_no_code(html)


def test_period_report_carries_every_published_figure_as_published(rendered):
    """The built 2022–2024 report: every row of published.csv, exactly as published, with its footnote."""
    from bs4 import BeautifulSoup

    from test_provenance import check_published_rows, published_rows

    r = rendered["district_2022_2024"]
    assert r["status"] == "ok", r["error"]
    html = r["html"]
    check_published_rows(html, published_rows())
    text = BeautifulSoup(html, "html.parser").get_text(" ")
    assert r["title"].endswith("Huyện Thoại Sơn, 2022–2024")
    # the article gives no period for its totals: the page says so and never states one
    assert "54/67 trường" in html and "Giai đoạn 2022–2024" not in text
    assert "không nêu kỳ của hai con số này" in text
    assert "17.489" in text and "không được tính là khớp" in text
    assert_no_code(html)


def test_commune_report_marks_figures_and_spares_the_commune_a_district_target(rendered):
    from bs4 import BeautifulSoup

    r = rendered["commune_2024"]
    assert r["status"] == "ok", r["error"]
    soup = BeautifulSoup(r["html"], "html.parser")
    text = soup.get_text(" ")
    assert "không đánh giá cấp xã" in text and "Trung tâm Y tế huyện" in text
    assert soup.select("span.fig-illustrative sup.mark") and "Ký hiệu" in text
