"""Reports in a real browser: Debian's Chromium driven by Playwright.

Checks on the index and every report of a small build: no console error, no request leaves
the file, every image decoded, every table-of-contents link lands on its heading, Vietnamese
headings read back with diacritics, every index link resolves, hostile text from the data
stays text. A screenshot per page goes to test-artifacts/screenshots/.
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

pytestmark = [pytest.mark.browser, pytest.mark.slow, pytest.mark.skipif(CHROMIUM is None, reason="Debian chromium is not installed (./run test installs it)")]


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    """District, data-quality and one commune report for 2023, on data with hostile text in a source."""
    name = f"test-browser-{uuid.uuid4().hex[:8]}"
    data = ROOT / ".baocao-cache" / name
    data.mkdir(parents=True)
    try:
        text = (ROOT / "data/thoai_son/observations.csv").read_text(encoding="utf-8")
        lines = text.splitlines()
        first = next(i for i, line in enumerate(lines) if line.startswith("30727,2023,"))
        cells = lines[first].split(",", 5)
        lines[first] = ",".join(cells[:5]) + ',"' + HOSTILE.replace('"', '""') + ' (minh họa)",'
        (data / "observations.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")
        shutil.copy(ROOT / "data/thoai_son/published.csv", data / "published.csv")
        plan = tmp_path_factory.mktemp("plan") / "browser.yml"
        plan.write_text(
            f"title: Kiểm thử trình duyệt\nlang: vi\nyears: [2023]\ndata_dir: .baocao-cache/{name}\n"
            "reports:\n  - notebooks: [district_report, data_quality]\n    district: 894\n"
            "  - notebook: commune_report\n    communes: [30727]\n",
            encoding="utf-8",
        )
        out = tmp_path_factory.mktemp("outputs")
        res = subprocess.run([str(Path(sys.executable).parent / "baocao"), "build", str(plan), "--outputs", str(out), "--jobs", "2"],
                             cwd=ROOT, capture_output=True, text=True, timeout=600)
        assert res.returncode == 0, res.stdout + res.stderr
        yield out
    finally:
        shutil.rmtree(data, ignore_errors=True)


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=[
            "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
            "--disable-sync", "--no-first-run", "--disable-quic"])
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
    page.screenshot(path=str(SHOTS / f"{path.parent.parent.name}-{path.parent.name}-{path.stem}.png"), full_page=True)


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
                " const r = h.getBoundingClientRect(); return [location.hash, h.tagName, r.top >= -5 && r.bottom <= innerHeight]; }", href[1:])
            assert landed is not None, f"{path.name}: TOC link {href} has no target"
            assert landed[0] == href and landed[1] in ("H2", "H3") and landed[2], (path.name, href, landed)  # heading in view
        headings = page.eval_on_selector_all("h1, h2", "els => els.map(e => e.textContent.trim())")
        assert headings and page.evaluate("document.documentElement.lang") == "vi"
        if path.stem == "district_report":
            assert "Học tập và làm theo tư tưởng, đạo đức, phong cách Hồ Chí Minh" in headings
            assert "So sánh các xã, thị trấn" in headings
            body = page.inner_text("body")
            assert "Số liệu minh họa" in body
            assert "4.530" in body and "99,34%" in body
            assert HOSTILE in page.text_content("details.sources"), "hostile text from a source is shown as text"
        page.close()


def test_index_in_chromium(built, browser):
    index = built / "index.html"
    page, errors, requests = _open(browser, index)
    _check_common(page, errors, requests, index)
    hrefs = page.eval_on_selector_all("a[href]", "els => els.map(e => e.getAttribute('href'))")
    targets = [h for h in hrefs if not h.startswith("#")]
    assert len(targets) >= 3
    for href in targets:
        assert not href.startswith(("/", "http:", "https:", "file:")), f"index link not relative: {href}"
        assert (built / href.split("#")[0]).is_file(), f"index link does not resolve: {href}"
    assert "Huyện Thoại Sơn" in page.inner_text("body")
    page.close()
