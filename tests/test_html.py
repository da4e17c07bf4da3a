"""baocao.build.html: self-contained report pages, the index page, notebook metadata stripping."""

from __future__ import annotations

import base64
import copy
import io
import re
import unicodedata

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import nbformat  # noqa: E402
import pytest  # noqa: E402
from bs4 import BeautifulSoup  # noqa: E402
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook, new_output  # noqa: E402

from baocao.build.html import (  # noqa: E402
    _exporter,
    export_html,
    render_index,
    slugify,
    strip_notebook_metadata,
)

TITLE = "Báo cáo huyện Châu Thành 2024"
CODE = "secret_code_marker = compute_indicators()"
H2 = "Kết quả học tập và làm theo"
H3 = "Tỷ lệ đảng viên tham dự"
EXTERNAL_URL = re.compile(r"""\b(?:src|href)\s*=\s*["']?\s*(?:https?:)?//""", re.I)


def chart_png(i: int = 0, size=(8, 4)) -> str:
    fig, ax = plt.subplots(figsize=size, dpi=100)
    ax.plot(range(20), [(x * (i + 1)) % 7 for x in range(20)])
    ax.set_title(f"Biểu đồ {i + 1}: tỷ lệ đảng viên")
    buf = io.BytesIO()
    fig.savefig(buf, format="png")
    plt.close(fig)
    return base64.b64encode(buf.getvalue()).decode("ascii")


def make_notebook(n_charts: int = 1):
    cells = [
        new_markdown_cell(f"## {H2}\n\nCác chi bộ đã tổ chức học tập đầy đủ."),
        new_markdown_cell(f"### {H3}"),
        new_code_cell(
            CODE,
            execution_count=3,
            outputs=[
                new_output("stream", name="stderr", text="STDERR_MARKER /tmp/ipykernel_1/2.py\n"),
                new_output(
                    "execute_result",
                    execution_count=3,
                    data={
                        "text/html": '<div class="headline"><div class="card">'
                        '<div class="value">99,75%</div><div class="label">Tham dự</div></div></div>',
                        "text/plain": "PLAIN_FALLBACK_MARKER",
                    },
                ),
            ],
        ),
        new_code_cell(
            "internal()",
            metadata={"tags": ["remove_cell"]},
            outputs=[new_output("stream", name="stdout", text="REMOVED_CELL_MARKER\n")],
        ),
        new_code_cell(
            "1 / 0",
            outputs=[
                new_output(
                    "error",
                    ename="ZeroDivisionError",
                    evalue="division by zero",
                    traceback=["\x1b[0;31mZeroDivisionError\x1b[0m: division by zero"],
                )
            ],
        ),
        new_markdown_cell(f"## {H2}\n\nTiêu đề lặp lại."),
    ]
    for i in range(n_charts):
        cells.append(
            new_code_cell(
                "chart()",
                outputs=[
                    new_output(
                        "display_data",
                        data={"image/png": chart_png(i), "text/plain": "<Figure size 800x400>"},
                    )
                ],
            )
        )
    return new_notebook(cells=cells)


@pytest.fixture(scope="module")
def nb():
    return make_notebook()


@pytest.fixture(scope="module")
def html(nb):
    return export_html(nb, title=TITLE)


@pytest.fixture(scope="module")
def soup(html):
    return BeautifulSoup(html, "html.parser")


# ---------------------------------------------------------------- slugify


@pytest.mark.parametrize(
    ("text", "slug"),
    [
        (H2, "ket-qua-hoc-tap-va-lam-theo"),
        (H3, "ty-le-dang-vien-tham-du"),
        ("ĐẢNG BỘ Xã Định Hòa", "dang-bo-xa-dinh-hoa"),
        ("2. Số liệu (%) — tổng hợp", "2-so-lieu-tong-hop"),
        ("", "section"),
        ("—", "section"),
    ],
)
def test_slugify(text, slug):
    assert slugify(text) == slug
    assert slugify(unicodedata.normalize("NFD", text)) == slug


# ---------------------------------------------------------------- report


def test_no_code_prompts_or_removed_cells(html):
    assert CODE not in html
    assert "secret_code_marker" not in html
    assert "In [" not in html and "In&nbsp;[" not in html and "Out[" not in html
    assert "REMOVED_CELL_MARKER" not in html
    assert "STDERR_MARKER" not in html  # warnings are for the analyst, not the reader


def test_toc_links_land_on_heading_ids(soup):
    toc_ids = [a["href"][1:] for a in soup.select("nav.toc a")]
    heading_ids = [h["id"] for h in soup.select(".jp-RenderedMarkdown h2, .jp-RenderedMarkdown h3")]
    assert (
        toc_ids
        == heading_ids
        == [
            "ket-qua-hoc-tap-va-lam-theo",
            "ty-le-dang-vien-tham-du",
            "ket-qua-hoc-tap-va-lam-theo-2",
        ]
    )
    all_ids = [tag["id"] for tag in soup.find_all(id=True)]
    assert len(all_ids) == len(set(all_ids))
    assert soup.select_one("nav.toc li ol a")["href"] == "#ty-le-dang-vien-tham-du"  # h3 nests


def test_vietnamese_text_title_lang(html, soup):
    assert soup.find("meta", charset=True)["charset"].lower() == "utf-8"
    assert soup.title.string == TITLE
    assert soup.html["lang"] == "vi"
    assert H2 in html and H3 in html and "Mục lục" in html
    assert soup.find("h1").get_text() == TITLE  # notebook has no h1: ours is shown


def test_self_contained(html, soup):
    assert "<script" not in html.lower()
    assert not EXTERNAL_URL.search(html)
    assert not soup.find("link")
    assert "@import" not in html and "url(" not in html
    for tag in soup.find_all(src=True):
        assert tag["src"].startswith("data:")
    for tag in soup.find_all(href=True):
        assert tag["href"].startswith("#")


def test_inline_css(soup):
    css = soup.style.string
    for needed in [
        '"DejaVu Sans", "Noto Sans", Arial, sans-serif',
        "max-width: 960px",
        ".banner-illustrative",
        ".headline .card",
        ".headline .value",
        ".headline .label",
        "nth-child(even)",
        "@media print",
        "size: A4",
        "break-inside: avoid",
    ]:
        assert needed in css


def test_outputs(html, soup):
    assert soup.select_one(".headline .card .value").get_text() == "99,75%"
    assert "PLAIN_FALLBACK_MARKER" not in html
    assert "<Figure" not in html
    img = soup.find("img")
    assert img["src"].startswith("data:image/png;base64,iVBOR") and img["alt"]
    assert "ZeroDivisionError" in soup.select_one(".output-error").get_text()


def test_deterministic_and_input_untouched(nb, html):
    before = copy.deepcopy(nb)
    assert export_html(nb, title=TITLE).encode() == html.encode()
    assert nb == before


def test_exporter_reused_without_leaking_state(nb):
    assert _exporter() is _exporter()
    en = BeautifulSoup(export_html(nb, title="District report", lang="en"), "html.parser")
    vi = BeautifulSoup(export_html(nb, title=TITLE, lang="vi"), "html.parser")
    assert (en.html["lang"], en.title.string, en.select_one(".toc-title").string) == (
        "en",
        "District report",
        "Contents",
    )
    assert (vi.html["lang"], vi.title.string, vi.select_one(".toc-title").string) == (
        "vi",
        TITLE,
        "Mục lục",
    )
    with pytest.raises(ValueError):
        export_html(nb, title=TITLE, lang="fr")


def test_notebook_title_and_toc_placement():
    nb = make_notebook(0)
    nb.cells.insert(0, new_markdown_cell("# Báo cáo tỉnh An Giang"))
    soup = BeautifulSoup(export_html(nb, title="khác"), "html.parser")
    assert [h.get_text() for h in soup.find_all("h1")] == ["Báo cáo tỉnh An Giang"]
    assert soup.title.string == "khác"
    assert soup.find("nav").find_next("h2")["id"] == "ket-qua-hoc-tap-va-lam-theo"


def test_six_charts_stay_small():
    html = export_html(make_notebook(6), title=TITLE)
    assert html.count("data:image/png;base64,") == 6
    assert len(html.encode()) < 1_500_000


# ---------------------------------------------------------------- index

ENTRIES = [
    {
        "notebook": "district_report",
        "notebook_title": "Báo cáo huyện",
        "unit_code": "894",
        "unit_name": "Huyện Châu Thành",
        "year": 2023,
        "href": "2023/894/district_report.html",
        "status": "ok",
        "headline": [("Đảng viên", "17.512")],
    },
    {
        "notebook": "district_report",
        "notebook_title": "Báo cáo huyện",
        "unit_code": "883",
        "unit_name": "Huyện <script>alert(1)</script>",
        "year": 2024,
        "href": "2024/883/district_report.html",
        "status": "failed",
        "error": "KeyError: '<script>x</script>' & more",
    },
    {
        "notebook": "province_report",
        "notebook_title": "Báo cáo tỉnh",
        "unit_code": "89",
        "unit_name": "Tỉnh An Giang",
        "year": "2024",
        "href": "2024/89/province_report.html",
        "status": "ok",
        "headline": [("Tỷ lệ tham dự", "99,75%"), ("Kinh phí", "21 tỷ đồng")],
    },
]


def test_index_escapes_everything():
    page = render_index(ENTRIES)
    soup = BeautifulSoup(page, "html.parser")
    scripts = soup.find_all("script")
    assert len(scripts) == 1 and "Filter the list" in scripts[0].string  # only the filter's own script
    assert page.count("<script") == 1 and "innerHTML" not in page
    assert "Huyện &lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "&lt;script&gt;x&lt;/script&gt;" in page and "&amp; more" in page
    soup = BeautifulSoup(page, "html.parser")
    failed = soup.select(".report-item.failed")
    assert len(failed) == 1 and "KeyError" in failed[0].select_one("pre.error").get_text()
    assert failed[0].select_one(".badge").get_text() == "Lỗi"


def test_index_groups_newest_year_first_with_relative_links():
    soup = BeautifulSoup(render_index(ENTRIES), "html.parser")
    assert [h.get_text() for h in soup.select("section.year > h2")] == ["Năm 2024", "Năm 2023"]
    assert [a["href"] for a in soup.select(".report-name a")] == [
        "2024/89/province_report.html",
        "2024/883/district_report.html",
        "2023/894/district_report.html",
    ]
    assert [a["href"] for a in soup.select("nav.toc a")] == ["#nam-2024", "#nam-2023"]
    assert [v.get_text() for v in soup.select(".headline .value")] == ["99,75%", "21 tỷ đồng", "17.512"]
    assert soup.html["lang"] == "vi" and soup.title.string == "Báo cáo"
    assert not EXTERNAL_URL.search(str(soup)) and not soup.find("link")


def test_index_can_be_filtered_by_unit_year_and_kind():
    soup = BeautifulSoup(render_index(ENTRIES), "html.parser")
    assert [o.get_text() for o in soup.select("#f-year option")] == ["Tất cả", "2024", "2023"]
    assert [o["value"] for o in soup.select("#f-kind option")] == ["", "district_report", "province_report"]
    assert soup.select_one("#f-unit")["type"] == "search"
    units = {s["data-unit"] for s in soup.select("section.unit")}
    assert "huyen chau thanh 894" in units  # folded: the filter matches "chau thanh" and "Châu Thành"
    assert {s["data-year"] for s in soup.select("section.year")} == {"2024", "2023"}
    assert {li["data-kind"] for li in soup.select("li.report-item")} == {"district_report", "province_report"}


def test_index_links_the_other_formats_and_the_top_page():
    entry = {
        **ENTRIES[0],
        "files": {
            "xlsx": "2023/894/district_report.xlsx",
            "web.pdf": "2023/894/district_report.web.pdf",
            "pdf": "2023/894/district_report.pdf",
            "ubnd.docx": "2023/894/district_report.ubnd.docx",
        },
    }
    soup = BeautifulSoup(render_index([entry], home="index.html"), "html.parser")
    assert [(a.get_text(), a["href"]) for a in soup.select(".files a")] == [
        ("PDF (văn bản)", "2023/894/district_report.pdf"),  # the official document
        ("PDF (bản in trang web)", "2023/894/district_report.web.pdf"),  # the page, printed
        ("Excel (các bảng)", "2023/894/district_report.xlsx"),
        ("Word (sửa được) · ubnd", "2023/894/district_report.ubnd.docx"),  # a second document
    ]
    assert soup.select_one(".summary a")["href"] == "index.html"
    with pytest.raises(ValueError, match="relative"):
        render_index([{**entry, "files": {"pdf": "https://x.org/a.pdf"}}])


def test_top_page_lists_each_plan_once():
    from baocao.build.html import render_plans

    plans = [
        {
            "name": "params/thoai_son.yml",
            "title": "Thoại Sơn <b>",
            "index": "index-thoai_son.html",
            "reports": 57,
            "failed": 0,
        },
        {
            "name": "params/gso_provinces.yml",
            "title": "GSO",
            "index": "index-gso_provinces.html",
            "reports": 256,
            "failed": 1,
        },
    ]
    page = render_plans(plans)
    soup = BeautifulSoup(page, "html.parser")
    assert [a["href"] for a in soup.select(".report-name a")] == [
        "index-gso_provinces.html",
        "index-thoai_son.html",
    ]
    assert "Thoại Sơn &lt;b&gt;" in page and "256 báo cáo, 1 lỗi" in page and "<script" not in page


def test_index_deterministic_and_english():
    assert render_index(ENTRIES) == render_index(list(reversed(ENTRIES)))
    page = render_index(ENTRIES, title="Reports", lang="en")
    assert '<html lang="en">' in page and "Year 2024" in page and "Failed" in page


@pytest.mark.parametrize("href", ["https://example.org/r.html", "//host/r.html", "/abs/r.html"])
def test_index_rejects_non_relative_href(href):
    with pytest.raises(ValueError, match="relative"):
        render_index([{**ENTRIES[0], "href": href}])


def test_index_rejects_unknown_status():
    with pytest.raises(ValueError, match="status"):
        render_index([{**ENTRIES[0], "status": "done"}])


# ---------------------------------------------------------------- strip_notebook_metadata


def executed_notebook():
    nb = make_notebook(0)
    nb.metadata["papermill"] = {
        "default_parameters": {},
        "duration": 3.2,
        "end_time": "2024-05-01T08:00:03.2",
        "environment_variables": {"HOME": "/home/analyst"},
        "exception": None,
        "input_path": "/home/analyst/notebooks/district_report.ipynb",
        "output_path": "/home/analyst/outputs/x.ipynb",
        "parameters": {"unit_code": "894"},
        "start_time": "2024-05-01T08:00:00",
        "version": "2.7.0",
    }
    for cell in nb.cells:
        cell.metadata["papermill"] = {
            "duration": 0.1,
            "end_time": "2024-05-01T08:00:01",
            "exception": False,
            "start_time": "2024-05-01T08:00:00",
            "status": "completed",
        }
        if cell.cell_type == "code":
            cell.metadata["execution"] = {"iopub.execute_input": "2024-05-01T08:00:00.1Z"}
    return nb


def test_strip_notebook_metadata():
    nb = executed_notebook()
    original = copy.deepcopy(nb)
    clean = strip_notebook_metadata(nb)
    assert nb == original  # input untouched
    nbformat.validate(clean)
    assert clean.metadata.papermill == {"default_parameters": {}, "exception": None, "version": "2.7.0"}
    for index, cell in enumerate(clean.cells):
        assert cell.id == f"cell-{index}"
        assert "execution" not in cell.metadata
        assert cell.metadata.papermill == {"exception": False, "status": "completed"}
    text = nbformat.writes(clean)
    assert "2024-05-01" not in text and "/home/analyst" not in text
    assert nbformat.writes(strip_notebook_metadata(executed_notebook())) == text  # random ids gone


def test_strip_upgrades_old_notebooks_to_cell_ids():
    nb = make_notebook(0)
    nb.nbformat_minor = 4
    for cell in nb.cells:
        del cell["id"]
    clean = strip_notebook_metadata(nb)
    assert clean.nbformat_minor == 5
    nbformat.validate(clean)


def test_plain_nbconvert_with_our_template_has_a_real_title():
    """`jupyter nbconvert --template baocao` without baocao.build.html: the tab shows the notebook's name."""
    from nbconvert import HTMLExporter

    from baocao.build.html import TEMPLATES

    exporter = HTMLExporter(template_name="baocao", extra_template_basedirs=[str(TEMPLATES)])
    page, _ = exporter.from_notebook_node(make_notebook(), resources={"metadata": {"name": "ts2023"}})
    title = BeautifulSoup(page, "html.parser").title.string
    assert title == "ts2023" and "built-in method" not in page


def test_the_page_is_what_nbconvert_and_our_pass_over_it_made():
    """The exporter skips HTMLExporter's own BeautifulSoup pass (stock ``alt`` for images without
    one, ``tabindex`` on input and output areas) and does it in ours: the same bytes as before."""
    from nbconvert import HTMLExporter

    from baocao.build.html import NO_ALT, TEMPLATE_NAME, TEMPLATES, WORDS, _accessible, _add_toc

    nb = make_notebook(2)
    nb.cells.insert(1, new_markdown_cell(f'Hình: <img src="data:image/png;base64,{chart_png(3)}">'))
    nb.cells.append(new_code_cell("x", outputs=[new_output("stream", name="stdout", text="plain output\n")]))
    plain = HTMLExporter(
        config=_exporter().config, template_name=TEMPLATE_NAME, extra_template_basedirs=[str(TEMPLATES)]
    )
    assert type(plain) is not type(_exporter())
    resources = {"baocao": {"title": TITLE, "lang": "vi", "image_alt": WORDS["vi"]["image_alt"]}}
    before = _add_toc(plain.from_notebook_node(nb, resources=resources)[0], TITLE, WORDS["vi"])
    page = export_html(nb, title=TITLE)
    assert page == before
    soup = BeautifulSoup(page, "html.parser")
    assert [img["alt"] for img in soup.find_all("img") if img["alt"] == NO_ALT]  # the Markdown image
    snippet = BeautifulSoup(  # our template has no .jp-Notebook: nbconvert's selectors, on a snippet
        '<div class="jp-Notebook"><div class="jp-Cell-inputWrapper"></div>'
        '<div class="jp-OutputArea-output a"></div></div><div class="jp-OutputArea-output"></div>',
        "html.parser",
    )
    _accessible(snippet)
    assert [d.get("tabindex") for d in snippet.find_all("div")] == [None, "0", "0", None]
