"""Every page of a built plan says only what the source says, as an officer writes it.

One plan is built once (`baocao build`, HTML, Word and Excel): the district and data-quality
reports of 2022, 2023 and 2024 and of the period 2022–2024, and a commune report. Its pages are
read as a reader reads them: every link resolves; the listed phrases are gone and every integer
of four or more digits has its thousands dot; the legend explains the marks the page shows and no
other; a page's counts of published figures agree; verdicts by an illustrative target carry its
mark; no stock is a yearly series; the index pages carry the marks and banners of the reports
they list; the exports carry the inferred and illustrative-target marks.
"""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest
from bs4 import BeautifulSoup

ROOT = Path(__file__).resolve().parents[1]

pytestmark = pytest.mark.slow

PLAN = """\
title: Kiểm thử — huyện Thoại Sơn
lang: vi
years: [2022, 2023, 2024]
formats: [html, xlsx, docx]
reports:
  - notebooks: [district_report, data_quality]
    district: 894
  - notebook: commune_report
    communes: [30682]
    years: 2024
  - notebooks: [district_report, data_quality]
    district: 894
    years: 2024
    parameters: {year_from: 2022}
"""


@pytest.fixture(scope="session")
def built(tmp_path_factory, worker_id, build_plan) -> Path:
    """The plan built once for the whole run: with pytest-xdist, the first worker to get here builds
    it into the run's shared temporary folder and the others wait for it (a file lock), read it."""
    from filelock import FileLock

    root = tmp_path_factory.getbasetemp()
    if worker_id != "master":
        root = root.parent  # shared by the workers of this run
    home = root / "truth-plan"
    out, done = home / "outputs", home / "built"
    with FileLock(str(root / "truth-plan.lock")):
        if not done.exists():
            home.mkdir(exist_ok=True)
            plan = home / "truth.yml"
            plan.write_text(PLAN, encoding="utf-8")
            build_plan(plan, out, timeout=600)
            done.write_text("ok", encoding="utf-8")
    return out


def pages(out: Path) -> list[Path]:
    return sorted(out.rglob("*.html"))


def soup_of(path: Path) -> BeautifulSoup:
    return BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")


def reader_text(soup: BeautifulSoup) -> str:
    """What a reader reads: the visible text and the charts' alt texts, without style or script."""
    soup = BeautifulSoup(str(soup), "html.parser")
    for el in soup(["style", "script"]):
        el.decompose()
    alts = " ".join(img.get("alt", "") for img in soup.find_all("img"))
    return " ".join((soup.get_text(" ") + " " + alts).split())


REPORTS = [
    "2022/894/district_report.html",
    "2023/894/district_report.html",
    "2024/894/district_report.html",
    "2022-2024/894/district_report.html",
    "2023/894/data_quality.html",
    "2022-2024/894/data_quality.html",
    "2024/30682/commune_report.html",
]


def test_every_link_of_every_page_resolves(built):
    """Every ``href`` of every page under the outputs names a file that exists and, with a
    fragment, an element with that id (the period report's data-quality link among them)."""
    checked = 0
    for page in pages(built):
        for a in soup_of(page).find_all(href=True):
            href = a["href"]
            parts = urlsplit(href)
            if parts.scheme == "data":
                continue
            assert not parts.scheme and not parts.netloc, f"{page.name}: external link {href}"
            target = (page.parent / unquote(parts.path)).resolve() if parts.path else page
            assert target.is_file(), f"{page.relative_to(built)}: dead link {href}"
            if parts.fragment:
                assert soup_of(target).find(id=parts.fragment), (
                    f"{page.relative_to(built)}: no #{parts.fragment}"
                )
            checked += 1
    assert checked > 50
    period = soup_of(built / "2022-2024/894/district_report.html")
    assert period.find("a", href="data_quality.html"), "the period report links its own data-quality report"


# phrases an officer would not sign, file and parameter names, English words on a Vietnamese page
FORBIDDEN = [
    "là số bài viết công bố",
    "quán triệt 1 chuyên đề của năm",
    "không cộng vào số liệu từng năm",
    "không khớp hoặc không tính lại được",
    "như nguồn đã công bố",
    "(cả kỳ)",
    "cả kỳ 2021–2025)",
    "số liệu của cả kỳ",  # the whole-term topic's figures are to the article's date, not the whole term's
    "published.csv",
    "sources.yaml",
    "rules.csv",
    "thoai_son",
    ".yml",
    "tham số compare",
    "compare",
    "NTM",
    "điểm %",
    "4.489 lượt đảng viên",  # the article says "4.489 đảng viên"
    "4.054 lượt đảng viên",
    "Năm 2024 có 23",
]
PATTERNS = [
    (r"Năm \d{4}, tổ chức", "a sentence with no subject"),
    (r"\b(?:the|and|of|is|are|with|figure|figures|published|illustrative)\b", "English on a Vietnamese page"),
]
MID_SENTENCE = re.compile(r"(?<=[a-zà-ỹ,;(] )(Huyện|Xã|Thị trấn|Tỉnh) [A-ZĐ]")
# abbreviations a reader needs no spelling out for: file formats; and document numbers (01-KL/TW)
KNOWN = {"CSV", "PDF"}
DOCUMENT_NUMBER = re.compile(r"\d+-[A-ZĐ]+/[A-ZĐ]+")


def running_text(soup: BeautifulSoup) -> list[str]:
    """The paragraphs and list items of a page (not its table cells, headings or chart labels):
    where a unit's name is written in running text."""
    return [" ".join(el.get_text(" ").split()) for el in soup.find_all(["p", "li"])]


def unexplained_abbreviations(text: str) -> list[str]:
    """Abbreviations whose first use is not in brackets after the words they stand for."""
    text = DOCUMENT_NUMBER.sub(" ", text)
    out = []
    for m in re.finditer(r"\b[A-ZĐ]{2,}\b", text):
        word = m.group()
        if word in KNOWN or word in out:
            continue
        first = text.find(word)
        if text[first - 1 : first] != "(" or text[first + len(word) : first + len(word) + 1] != ")":
            out.append(word)
    return out


NUMBER = re.compile(r"(?<![\w.,/-])\d{4,}(?![\w,]|\.\d)")


def undotted(text: str) -> list[str]:
    """Integers of four or more digits without their thousands dot, except years (1900–2099) and
    codes (after ``mã``, an input check code)."""
    out = []
    for m in NUMBER.finditer(text):
        before = text[max(0, m.start() - 28) : m.start()]
        digits = m.group()
        if len(digits) == 4 and 1900 <= int(digits) <= 2099:
            continue  # a year
        if re.search(r"(mã|mã số|đầu vào)\s*$", before):
            continue  # a unit code or the input check code
        out.append(f"…{before}{digits}")
    return out


def test_vietnamese_pages_have_no_listed_phrase_and_dot_every_thousand(built):
    for page in pages(built):
        soup = soup_of(page)
        if soup.html.get("lang") != "vi":
            continue
        for q in soup.find_all("q"):  # the source's own words are quoted as they are
            q.decompose()
        text = reader_text(soup)
        where = str(page.relative_to(built))
        for phrase in FORBIDDEN:
            assert phrase not in text, f"{where}: {phrase!r}"
        for pattern, why in PATTERNS:
            hit = re.search(pattern, text)
            assert not hit, f"{where}: {why}: …{text[max(0, hit.start() - 40) : hit.end() + 20]}"
        assert not undotted(text), f"{where}: {undotted(text)[:3]}"
        assert not unexplained_abbreviations(text), f"{where}: {unexplained_abbreviations(text)}"
        for block in running_text(soup):
            hit = MID_SENTENCE.search(block)
            assert not hit, (
                f"{where}: capitalised mid-sentence: …{block[max(0, hit.start() - 40) : hit.end() + 20]}"
            )


def test_the_scanner_finds_what_it_looks_for():
    assert MID_SENTENCE.search("Năm 2023, Huyện Thoại Sơn tổ chức") and not MID_SENTENCE.search(
        "Huyện Thoại Sơn có"
    )
    assert unexplained_abbreviations("Xã NTM nâng cao") == ["NTM"]
    assert not unexplained_abbreviations("xã nông thôn mới (NTM); xã NTM, Kết luận 01-KL/TW, tệp CSV")
    assert undotted("Kiểm tra 1002 dòng số liệu") and not undotted("Kiểm tra 1.002 dòng")
    assert not undotted("năm 2023, kỳ 2022–2024, (mã 30682), đầu vào 123456789012, 10.000 dân, 4.530/4.560")
    assert undotted("17939 lượt") and not undotted("17.939 lượt; 99,75%; 21 tỷ")


def marks_of(soup: BeautifulSoup) -> set[str]:
    out = set()
    for sup in soup.select("sup.mark"):
        if sup.find_parent(class_="legend-provenance") is not None:
            continue
        for part in sup.get_text().split(","):
            part = part.strip()
            if part:
                out.add("1" if part.isdigit() else part)
    return out


def legend_of(soup: BeautifulSoup) -> set[str]:
    legend = soup.select_one("p.legend-provenance")
    return {s.get_text().split(",")[0].strip() for s in legend.select("sup.mark")} if legend else set()


def test_the_legend_explains_the_marks_the_page_shows_and_no_other(built):
    from test_published import INFERRED

    for name in REPORTS:
        soup = soup_of(built / name)
        shown, legend = marks_of(soup), legend_of(soup)
        # a chart's labels carry their marks in the image; the footnotes list every published figure
        # the page shows, the charts' included
        noted = {li["id"][3:] for li in soup.select("li[id^=fn-]")}
        shown |= ({"1"} if noted else set()) | ({"s"} if noted & INFERRED else set())
        assert legend == shown, (name, legend, shown)
    # nothing on these pages is computed from reported rows that are not published: no "t"
    assert all("t" not in legend_of(soup_of(built / n)) for n in REPORTS)


def banner_and_quality(soup: BeautifulSoup) -> tuple[str, str]:
    banner = soup.select_one(".banner-illustrative, .banner-provenance")
    quality = next(
        (
            p
            for p in soup.find_all("p")
            if p.get_text().startswith("Kiểm tra") and "dòng số liệu" in p.get_text()
        ),
        None,
    )
    return (banner.get_text(" ") if banner else ""), (quality.get_text(" ") if quality else "")


def counts(text: str) -> list[str]:
    """The sentences of a text that count published figures (what a page says about them)."""
    return [
        s.strip()
        for s in re.split(r"(?<=\.) ", " ".join(text.split()))
        if re.search(r"\d+ con số|\d+ khớp|không khớp", s)
    ]


def test_each_page_counts_its_published_figures_once(built):
    """The banner and the data-quality section of a district page, and the data-quality report of
    the same year or period, say the same counts: one computation."""
    for span in ("2023", "2022-2024"):
        district = soup_of(built / span / "894/district_report.html")
        banner, quality = banner_and_quality(district)
        n = re.search(r"nguồn nêu (\d+) con số", banner).group(1)
        assert f"nguồn nêu {n} con số đã công bố" in quality, (span, quality)
        said = [s for s in counts(banner) if "so với" in s or "khớp" in s]
        assert said and all(s in " ".join(quality.split()) for s in said), (span, said, quality)
        dq = soup_of(built / span / "894/data_quality.html")
        dq_banner, _ = banner_and_quality(dq)
        assert counts(dq_banner) == counts(banner), span
        rows = dq.select("table.data")[-1].select("tbody tr")
        assert len(rows) == int(n), (span, len(rows), n)
    # the 2024 page counts the 17.939 mismatch of the source's own parts, as its data-quality report
    banner, _ = banner_and_quality(soup_of(built / "2024/894/district_report.html"))
    assert "1 không khớp (P02)" in banner
    # comparisons with generated rows or with the figure itself are never counted as agreement
    for name in REPORTS:
        banner, _ = banner_and_quality(soup_of(built / name))
        assert not re.search(r"Đối chiếu với số liệu tính được: \d+ khớp", banner)
        assert "không được tính là khớp" in banner
        assert ("so với chính nó" in banner) == (not name.startswith("2022/")), name  # P23, P24 are 2023's


def test_a_figure_shown_twice_with_two_values_says_why(built):
    """2022: the district's attendance rate is 98,1% as published and 98,13% on the communes'
    chart, drawn from the data; the chart says why."""
    soup = soup_of(built / "2022/894/district_report.html")
    text = reader_text(soup)
    assert "98,1%" in text
    chart = next(img for img in soup.find_all("img") if "2022: cao nhất" in img.get("alt", ""))
    assert "98,13%" in chart["alt"]
    from baocao.reports.local import communes, district

    ctx = district.open_district("894", 2022)
    note = communes.reference_note(ctx, "ty_le_dv_tham_du", 2, "%")
    assert "98,13%" in note and "98,1%" in note and "nguồn công bố" in note


def test_the_period_of_every_published_figure_is_stated_or_marked_inferred(built):
    """Each published figure carries ``s`` when its period or date is ours, and its footnote says
    why; the others carry no ``s``."""
    from test_published import INFERRED

    soup = soup_of(built / "2022-2024/894/district_report.html")
    for span in soup.select("span.fig-published"):
        ids = span["data-published"].split()
        mark = span.select_one("sup.mark").get_text()
        assert mark.endswith(", s") == any(i in INFERRED for i in ids), (ids, mark)
    for pid in INFERRED:
        note = soup.select_one(f"li#fn-{pid}").get_text(" ")
        assert "Suy ra:" in note and "không nêu" in note, pid
    assert "Suy ra" not in soup.select_one("li#fn-P15").get_text(" ")  # "năm 2023" is the article's
    # the banner lists the periods the source states apart from those we infer
    banner, _ = banner_and_quality(soup)
    banner = " ".join(banner.split())
    stated = re.search(r"Nguồn nêu kỳ của (\d+) con số: ([^.]*)\.", banner)
    ours = re.search(r"Với (\d+) con số, bài viết không nêu kỳ hay thời điểm; [^:]*: ([^.]*)\.", banner)
    assert stated and ours, banner
    assert "2022–2024" not in stated.group(2) and "tính đến" not in stated.group(2)
    assert "2 của kỳ 2022–2024" in ours.group(2) and int(ours.group(1)) == len(
        INFERRED & set(li["id"][3:] for li in soup.select("li[id^=fn-]"))
    )


def test_verdicts_by_an_illustrative_target_carry_its_mark(built):
    for name in ("2023/894/district_report.html", "2024/30682/commune_report.html"):
        soup = soup_of(built / name)
        verdicts = 0
        for td in soup.select("td"):
            text = td.get_text(" ", strip=True)
            if re.search(r"(^|: )(chưa )?đạt( mh)?$", text):
                assert td.select_one("span.fig-verdict sup.mark"), (name, text)
                verdicts += 1
            if text.startswith(("≥", "≤")):
                assert td.select_one("span.fig-target sup.mark").get_text() == "mh", (name, text)
        assert verdicts
        for p in soup.find_all("p"):
            for hit in re.finditer(r"\((chưa )?đạt chỉ tiêu", p.get_text()):
                assert "minh họa" in p.get_text()[hit.end() : hit.end() + 12], (name, p.get_text())


def test_no_stock_is_a_yearly_series(built):
    """Funds active and money raised to date are counted to a date: never a row of a table by
    year; the article's figures are in the column of the date it gives them to."""
    for name in ("2024/894/district_report.html", "2022-2024/894/district_report.html"):
        soup = soup_of(built / name)
        for table in soup.select("table.data"):
            head = [th.get_text(" ", strip=True) for th in table.select("thead th")]
            codes = {s.get("data-code") for s in table.select("span.fig")}
            if {"2023", "2024"} <= set(head):
                assert not codes & {"quy_khuyen_hoc_so", "quy_khuyen_hoc_tien", "so_xa_ntm"}, (name, head)
        stocks = next(t for t in soup.select("table.data") if "Tính đến cuối năm 2024" in t.get_text())
        given = [s["data-published"] for s in stocks.select("span.fig-published")]
        assert given == ["P21", "P22"]
        text = reader_text(soup)
        assert "Năm 2024 có" not in text and "tính đến khi bài viết được đăng năm 2024" in text
    # no chart of any page draws a stock (its alt text names every series it draws)
    stocks = ("Quỹ Khuyến học", "nông thôn mới")
    for page in pages(built):
        for img in soup_of(page).find_all("img"):
            assert not any(s in img.get("alt", "") for s in stocks), (page.name, img.get("alt", "")[:120])
    # and the chart of yearly bars refuses one
    from baocao.reports.kit import ReportError
    from baocao.reports.local import campaign, district

    ctx = district.open_district("894", 2024)
    with pytest.raises(ReportError, match="quy_khuyen_hoc_tien: số liệu tính đến một thời điểm"):
        campaign.flows_only(ctx, ["hn_so", "quy_khuyen_hoc_tien"])


def test_index_pages_carry_the_marks_and_banners_of_their_reports(built):
    index = soup_of(built / "index-truth.html")
    text = reader_text(index)
    assert "minh họa" in text and index.select_one(".banner-illustrative")
    for card in index.select(".card"):
        assert card.select_one("sup.mark") or card.select_one(".value").get_text().strip().isdigit(), card
    assert legend_of(index) >= {"1, 2, …".split(",")[0], "mh", "s"}
    # the figure "956 hội nghị" links its footnote on the period report
    link = index.find("a", href="2022-2024/894/district_report.html#fn-P01")
    assert link is not None and link.get_text() == "1, s"
    # the period reports are listed as such, under their period, not under 2024
    heads = [h.get_text(" ", strip=True) for h in index.select("section.year > h2")]
    assert heads[0] == "Kỳ 2022–2024" and "Năm 2024" in heads
    period = index.select("section.year")[0]
    titles = [a.get_text(" ", strip=True) for a in period.select(".report-name a")]
    assert titles and all("báo cáo cả kỳ 2022–2024" in t for t in titles), titles
    top = soup_of(built / "index.html")
    assert "minh họa" in reader_text(top) and "truth.yml" not in reader_text(top)


def test_exports_carry_the_inferred_and_the_illustrative_target_marks(built):
    import openpyxl

    wb = openpyxl.load_workbook(built / "2022-2024/894/district_report.xlsx")
    data = wb["Dữ liệu"]
    rows = list(data.iter_rows(values_only=True))
    head = next(r for r in rows if r and r[0] == "Bảng")
    mark, code, period = head.index("Ký hiệu"), head.index("Mã số liệu"), head.index("Kỳ")
    p01 = next(r for r in rows if r and r[code] == "hn_so" and r[period] == "2022-2024")
    assert p01[mark] == "1, s"
    cells = [
        c
        for ws in wb.worksheets
        if ws.title.startswith("Bảng")
        for row in ws.iter_rows(values_only=True)
        for c in row
    ]
    assert "mh" in cells  # the target's and the verdicts' marks, in their own columns
    import docx

    words = " ".join(p.text for p in docx.Document(built / "2022-2024/894/district_report.docx").paragraphs)
    assert "Suy ra:" in words and "không được tính là khớp" in words


def test_the_page_csvs_say_why_a_period_is_ours_and_carry_the_targets_mark(built):
    """The CSV each table offers: a figure whose period is ours carries ``s`` and the reason in its
    source; the target its verdicts rest on is a row with ``mh`` and what that means."""
    import base64
    import csv
    import io

    soup = soup_of(built / "2023/894/district_report.html")
    rows = []
    for a in soup.select("a[download$='.csv']"):
        data = base64.b64decode(a["href"].split(",", 1)[1]).decode("utf-8-sig")
        rows += list(csv.DictReader(io.StringIO(data)))
    by_code = {}
    for r in rows:
        by_code.setdefault((r["Mã số liệu"], r["Kỳ"], r["Cột"]), r)
    poor = by_code[("ty_le_ho_ngheo", "2023", "2023")]
    assert poor["Ký hiệu"].endswith(", s") and "Suy ra: năm 2023:" in poor["Nguồn"]
    stated = by_code[("thu_nhap_bq", "2023", "2023")]  # "năm 2023" is in the article's sentence
    assert "s" not in stated["Ký hiệu"] and "Suy ra" not in stated["Nguồn"]
    targets = [r for r in rows if r["Cột"].endswith(("(≥)", "(≤)"))]
    assert {r["Mã số liệu"] for r in targets} >= {"ty_le_dv_tham_du", "ty_le_ho_ngheo"}
    assert all(r["Ký hiệu"] == "mh" and "chỉ tiêu minh họa" in r["Nguồn"] for r in targets)
    assert all(r["Mã đơn vị"] == "894" for r in targets)  # the unit of the figures it is for


def test_ranks_carry_the_mark_of_the_values_they_rank(built):
    """A commune's rank among the district's communes, on illustrative values, is illustrative
    too: every rank shown carries ``mh``, a tie (``đồng hạng``, #22) included."""
    shown = []
    for path in sorted(built.glob("2024/*/commune_report.html")):
        soup = soup_of(path)
        table = next(t for t in soup.select("table.data") if "Xếp hạng" in t.select_one("thead").get_text())
        col = [th.get_text(" ", strip=True) for th in table.select("thead th")].index("Xếp hạng")
        ranks = [tr.select("td")[col] for tr in table.select("tbody tr")]
        shown += [td for td in ranks if re.match(r"(đồng hạng )?\d+/\d+", td.get_text(" ", strip=True))]
    assert shown and all(td.select_one("span.fig-rank sup.mark").get_text() == "mh" for td in shown)
    ties = [td for td in shown if td.get_text(" ", strip=True).startswith("đồng hạng ")]
    assert ties and all(re.fullmatch(r"đồng hạng \d+/17 mh", td.get_text(" ", strip=True)) for td in ties)
