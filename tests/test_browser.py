"""Reports in a real browser: Debian's Chromium driven by Playwright.

Checks on the index and every report of a small build: no console error, no request leaves
the file, every image decoded, every table-of-contents link lands on its heading, Vietnamese
headings read back with diacritics, every index link resolves, hostile text from the data
stays text, the pages fit a phone (390 px), and the tables the build offers (the page's CSV
files, the workbook) hold numbers. A screenshot per page goes to test-artifacts/screenshots/.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import uuid
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
SHOTS = ROOT / "test-artifacts" / "screenshots"
HOSTILE = "<script>window.__pwned = 1</script><img src=x onerror=window.__pwned=2>"
FORMULA = '=HYPERLINK("http://evil.example/","bấm")'  # a source that a spreadsheet would run

pytestmark = [
    pytest.mark.browser,
    pytest.mark.slow,
    pytest.mark.skipif(CHROMIUM is None, reason="Debian chromium is not installed (./run test installs it)"),
]


@pytest.fixture(scope="module")
def built(tmp_path_factory, build_plan):
    """District, data-quality and one commune report for 2023, on data with hostile text in a source."""
    name = f"test-browser-{uuid.uuid4().hex[:8]}"
    data = ROOT / ".baocao-cache" / name
    data.mkdir(parents=True)
    try:
        text = (ROOT / "data/thoai_son/observations.csv").read_text(encoding="utf-8")
        lines = text.splitlines()
        first = next(i for i, line in enumerate(lines) if line.startswith("30727,2023,"))
        cells = lines[first].split(",", 5)
        lines[first] = (
            ",".join(cells[:5]) + ',"' + f"{FORMULA} {HOSTILE}".replace('"', '""') + '",'
        )  # cited as given (not as generated data)
        (data / "observations.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")
        shutil.copy(ROOT / "data/thoai_son/published.csv", data / "published.csv")
        shutil.copy(ROOT / "data/thoai_son/dataset.yaml", data / "dataset.yaml")
        plan = tmp_path_factory.mktemp("plan") / "browser.yml"
        plan.write_text(
            f"title: Kiểm thử trình duyệt\nlang: vi\nyears: [2023]\ndata_dir: .baocao-cache/{name}\nformats: "
            "[html, pdf]\n"
            "reports:\n  - notebooks: [district_report, data_quality]\n    district: 894\n"
            "  - notebook: commune_report\n    communes: [30727]\n",
            encoding="utf-8",
        )
        out = tmp_path_factory.mktemp("outputs")
        build_plan(plan, out, "--docx", "--xlsx", timeout=180)
        yield out
    finally:
        shutil.rmtree(data, ignore_errors=True)


@pytest.fixture(scope="module")
def province(tmp_path_factory, build_plan):
    """A GSO province report (An Giang, 2016): its own plan, as the GSO reports read no data folder."""
    plan = tmp_path_factory.mktemp("plan") / "province.yml"
    plan.write_text(
        "title: Tỉnh\nlang: vi\nyears: [2016]\n"
        'reports:\n  - notebook: province_report\n    provinces: ["89"]\n',
        encoding="utf-8",
    )
    out = tmp_path_factory.mktemp("outputs")
    build_plan(plan, out, jobs=1, timeout=180)
    return out / "2016/89/province_report.html"


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    from baocao.export.pdf import LAUNCH_ARGS  # the flags the PDF export launches Chromium with

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=list(LAUNCH_ARGS))
        yield b
        b.close()


def _open(browser, path: Path):
    page = browser.new_page(viewport={"width": 1200, "height": 900})
    errors, requests = [], []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.on("request", lambda r: requests.append(r.url))
    page.goto(path.as_uri(), wait_until="load")
    return page, errors, requests


def _check_common(page, errors, requests, path: Path) -> None:
    assert errors == [], f"{path.name}: console errors {errors}"
    outside = [u for u in requests if not u.startswith(("file://", "data:"))]
    assert outside == [], f"{path.name}: requests leave the file: {outside}"
    images = page.eval_on_selector_all("img", "els => els.map(e => [e.complete, e.naturalWidth])")
    assert all(ok and width > 0 for ok, width in images), f"{path.name}: an image did not decode: {images}"
    assert page.evaluate("window.__pwned") is None, f"{path.name}: text from the data ran as code"
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(
        path=str(SHOTS / f"{path.parent.parent.name}-{path.parent.name}-{path.stem}.png"), full_page=True
    )


def test_every_report_in_chromium(built, browser):
    reports = sorted(built.glob("*/*/*.html"))
    assert len(reports) == 3
    for path in reports:
        page, errors, requests = _open(browser, path)
        _check_common(page, errors, requests, path)
        links = page.eval_on_selector_all("nav.toc a", "els => els.map(e => e.getAttribute('href'))")
        assert links, f"{path.name}: no table of contents"
        for href in links:
            assert href.startswith("#")
            page.click(f"nav.toc a[href='{href}']")
            landed = page.evaluate(
                "(id) => { const h = document.getElementById(id); if (!h) return null;"
                " const r = h.getBoundingClientRect(); return [location.hash, h.tagName, r.top >= -5 && "
                "r.bottom <= innerHeight]; }",
                href[1:],
            )
            assert landed is not None, f"{path.name}: TOC link {href} has no target"
            assert landed[0] == href and landed[1] in ("H2", "H3") and landed[2], (
                path.name,
                href,
                landed,
            )  # heading in view
        headings = page.eval_on_selector_all("h1, h2", "els => els.map(e => e.textContent.trim())")
        assert headings and page.evaluate("document.documentElement.lang") == "vi"
        if path.stem == "district_report":
            assert "Học tập và làm theo tư tưởng, đạo đức, phong cách Hồ Chí Minh" in headings
            assert "So sánh các xã, thị trấn" in headings
            body = page.inner_text("body")
            assert "Số liệu minh họa" in body
            assert "4.530" in body and "99,34%" in body
            assert HOSTILE in page.text_content("details.sources"), (
                "hostile text from a source is shown as text"
            )
        page.close()


def test_index_in_chromium(built, browser):
    top = built / "index.html"
    page, errors, requests = _open(browser, top)
    _check_common(page, errors, requests, top)
    assert page.eval_on_selector_all(".report-name a", "els => els.map(e => e.getAttribute('href'))") == [
        "index-browser.html"
    ]
    page.close()
    index = built / "index-browser.html"
    page, errors, requests = _open(browser, index)
    _check_common(page, errors, requests, index)
    hrefs = page.eval_on_selector_all("a[href]", "els => els.map(e => e.getAttribute('href'))")
    targets = [h for h in hrefs if not h.startswith("#")]
    assert len(targets) >= 3 * 4 + 1  # each report: HTML, PDF, Word, Excel; and the top page
    for href in targets:
        assert not href.startswith(("/", "http:", "https:", "file:")), f"index link not relative: {href}"
        assert (built / href.split("#")[0]).is_file(), f"index link does not resolve: {href}"
    for suffix in (".pdf", ".web.pdf", ".docx", ".xlsx"):
        assert "2023/894/district_report" + suffix in targets
    assert "Huyện Thoại Sơn" in page.inner_text("body")

    def shown():
        return page.eval_on_selector_all(
            "li.report-item:not([hidden]) .report-name a", "els => els.map(e => e.getAttribute('href'))"
        )

    assert len(shown()) == 3
    page.fill("#f-unit", "vong the")  # without diacritics, as people type
    assert shown() == ["2023/30727/commune_report.html"]
    page.fill("#f-unit", "")
    page.select_option("#f-kind", "data_quality")
    assert shown() == ["2023/894/data_quality.html"]
    page.select_option("#f-year", "2023")
    page.fill("#f-unit", "xyz")
    assert shown() == [] and page.is_visible("#f-none")
    page.close()


def test_district_report_prints_on_numbered_a4_pages_with_its_sources(built):
    pdf = built / "2023/894/district_report.web.pdf"  # the page printed (.pdf is the official document)
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout
    assert (
        "A4" in info and "2000" in info.split("CreationDate:")[1].splitlines()[0]
    )  # a fixed date, not the clock
    pages = int(next(line.split()[-1] for line in info.splitlines() if line.startswith("Pages:")))
    assert 4 <= pages <= 12
    text = subprocess.run(
        ["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    per_page = text.split("\f")[:pages]
    for n, one in enumerate(per_page, 1):
        assert f"Trang {n}/{pages}" in one, f"page {n} has no number"
        assert "Huyện Thoại Sơn, 2023" in one and "Số liệu đến năm 2023" in one, (
            f"page {n} lacks title or data date"
        )
    assert "bài báo, 2024" in per_page[0], "the sources (a collapsed section on screen) print"
    for one in per_page:  # no page ends with a heading stranded without what follows
        last = [
            line.strip()
            for line in one.splitlines()
            if line.strip() and not line.strip().startswith("Trang ")
        ]
        assert last and last[-1] not in (
            "So sánh các xã, thị trấn",
            "Kết quả phát triển kinh tế - xã hội",
            "Chất lượng số liệu",
        )


def test_pages_fit_a_phone(built, province, browser):
    """390 px: the index and the reports are no wider than the screen (no sideways scroll of the
    page), charts scale to the width (nothing cut off at first view), wide tables scroll in their box."""
    pages = [
        built / "index-browser.html",
        built / "2023/894/district_report.html",
        built / "2023/30727/commune_report.html",
        province,
    ]
    for path in pages:
        page = browser.new_page(viewport={"width": 390, "height": 844})
        page.goto(path.as_uri(), wait_until="load")
        width, inner = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
        assert width <= inner == 390, f"{path.name}: the page is {width} px wide at {inner} px"
        charts = page.eval_on_selector_all(
            "img",
            """els => els.map(e => { const r = e.getBoundingClientRect();
            return [r.left, r.right, r.width, r.height, e.naturalWidth, e.naturalHeight,
                    e.parentElement.clientWidth]; })""",
        )
        assert charts or path.name.startswith("index"), f"{path.name}: no chart"
        for left, right, shown, high, natural, natural_high, column in charts:
            assert left >= 0 and right <= 390, f"{path.name}: a chart runs off the screen ({left}–{right} px)"
            assert shown == pytest.approx(min(natural, column), abs=1), (path.name, shown, natural, column)
            assert high == pytest.approx(shown * natural_high / natural, abs=2), (
                "a chart keeps its proportions"
            )
        boxes = page.eval_on_selector_all(
            ".table-scroll",
            "els => els.map(e => [e.clientWidth, e.scrollWidth, getComputedStyle(e).overflowX])",
        )
        assert all(client <= 390 and overflow == "auto" for client, _, overflow in boxes), boxes
        if path.stem == "district_report":
            assert any(scroll > client for client, scroll, _ in boxes), "no table is wider than a phone?"
            csv = page.eval_on_selector_all(
                ".downloads a[download]",
                "els => els.map(e => [e.getAttribute('download'), e.href.slice(0, 40)])",
            )
            assert csv and all(
                name.endswith(".csv") and href.startswith("data:text/csv;charset=utf-8;base64,")
                for name, href in csv
            )
        SHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SHOTS / f"phone-390-{path.parent.name}-{path.stem}.png"), full_page=True)
        page.close()


def test_district_tables_are_data(built):
    """The built district report's tables taken away: every CSV the page offers reads into pandas
    with a numeric value column, the workbook holds the same figures as numbers that sum, its
    notes sheet says what the report covers and that it is illustrative, and the hostile source
    (a formula) is a string cell there."""
    import base64
    import io

    import pandas as pd
    from bs4 import BeautifulSoup
    from openpyxl import load_workbook

    page = BeautifulSoup((built / "2023/894/district_report.html").read_text(encoding="utf-8"), "html.parser")
    frames = []
    for a in page.select(".downloads a[download]"):
        df = pd.read_csv(io.BytesIO(base64.b64decode(a["href"].split(",", 1)[1])), encoding="utf-8-sig")
        assert df["Giá trị"].dtype.kind in "fi" and df["Ký hiệu"].notna().all(), a["download"]
        frames.append(df)
    figures = pd.concat(frames)
    assert {"894", "30682"} <= set(figures["Mã đơn vị"].astype(str)) and "2023" in set(
        figures["Kỳ"].astype(str)
    )
    wb = load_workbook(built / "2023/894/district_report.xlsx")
    data = pd.DataFrame(list(wb["Dữ liệu"].values)[3:], columns=list(wb["Dữ liệu"].values)[2])
    assert len(data) == len(figures) and data["Giá trị"].sum() == pytest.approx(figures["Giá trị"].sum())
    communes = wb["Bảng 3"]  # income by commune: a number column, its marks in the next column
    assert [c.value for c in communes[3]][:3] == [
        "Xã, thị trấn",
        "Thu nhập bình quân",
        "Thu nhập bình quân (ký hiệu)",
    ]
    income = [r[1] for r in communes.iter_rows(min_row=4, values_only=True)]
    assert all(isinstance(v, (int, float)) for v in income) and communes["B4"].number_format == "#,##0.0"
    shown = figures[(figures["Mã số liệu"] == "thu_nhap_bq") & (figures["Cột"] == "Thu nhập bình quân")]
    assert sum(income) == pytest.approx(shown["Giá trị"].sum())
    notes = {c.value: c for row in wb["Ghi chú"].iter_rows() for c in row if c.value is not None}
    assert "Huyện Thoại Sơn (mã 894)" in notes and "2023" in notes and "mh" in notes
    assert any(str(v).startswith("Số liệu minh họa (mh)") for v in notes), "the illustrative warning"
    hostile = next(c for v, c in notes.items() if str(v).startswith(FORMULA))
    assert hostile.data_type == "s" and hostile.quotePrefix


def test_export_of_a_built_notebook_gives_the_builders_page(built, tmp_path):
    """README's recipe: papermill, then `baocao export` — the same page as `baocao build`."""
    out = tmp_path / "same.html"
    res = subprocess.run(
        [
            str(Path(sys.executable).parent / "baocao"),
            "export",
            str(built / "2023/894/district_report.ipynb"),
            "--out",
            str(out),
        ],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert res.returncode == 0, res.stdout + res.stderr
    assert out.read_bytes() == (built / "2023/894/district_report.html").read_bytes()
