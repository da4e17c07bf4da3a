"""Executed notebooks to self-contained Vietnamese HTML reports, and the index page.

``export_html`` runs nbconvert's ``HTMLExporter`` with our template
(``templates/baocao``: the lab template's cell markup in our own page shell
with inline CSS) and then, in Python, gives Markdown headings stable ASCII ids
and puts a table of contents at the top. The pages load nothing from the
network: no scripts at all, no fonts, images embedded as base64.

``render_index`` lists every built report, grouped by year then unit.
``strip_notebook_metadata`` makes an executed notebook deterministic before saving.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from nbconvert import HTMLExporter

import base64
import copy
import functools
import re
import threading
import unicodedata
from itertools import groupby
from pathlib import Path
from urllib.parse import urlsplit

import jinja2
from bs4 import BeautifulSoup

from baocao.fmt import check_lang

TEMPLATES = Path(__file__).parent / "templates"
TEMPLATE_NAME = "baocao"

WORDS = {
    "vi": {
        "toc": "Mục lục",
        "download": "Tải bảng về (CSV, mở được bằng Excel)",
        "table_file": "bang",
        "image_alt": "Biểu đồ",
        "year": "Năm",
        "period": "Kỳ",
        "period_report": "báo cáo cả kỳ {span}",
        "marks": "Ký hiệu",
        "illustrative": "Trong các báo cáo dưới đây có số liệu minh họa (mh): sinh tự động, không phải "
        "số liệu thật. Mỗi báo cáo ghi rõ số liệu nào là minh họa.",
        "plan_illustrative": "Có số liệu minh họa (mh), không phải số liệu thật",
        "code": "mã",
        "failed": "Lỗi",
        "outdated": "Chưa cập nhật",
        "outdated_note": "Trang lập ngày {date}; lần lập lại gần nhất bị lỗi:",
        "empty": "Chưa có báo cáo nào.",
        "summary": "{total} báo cáo, {failed} lỗi",
        "filter": "Lọc danh sách báo cáo",
        "unit": "Đơn vị",
        "unit_hint": "tên hoặc mã, vd. Thoại Sơn",
        "kind": "Loại báo cáo",
        "all": "Tất cả",
        "none": "Không có báo cáo nào khớp bộ lọc.",
        "all_plans": "Mọi kế hoạch báo cáo",
        "plan": "kế hoạch",
        "files": {
            "pdf": "PDF (văn bản)",
            "web.pdf": "PDF (bản in trang web)",
            "docx": "Word (sửa được)",
            "xlsx": "Excel (các bảng)",
        },
    },
    "en": {
        "toc": "Contents",
        "download": "Download the table (CSV, opens in Excel)",
        "table_file": "table",
        "image_alt": "Chart",
        "year": "Year",
        "period": "Period",
        "period_report": "report for the whole period {span}",
        "marks": "Marks",
        "illustrative": "Some reports below hold illustrative data (il): generated, not real figures. Each "
        "report says which of its figures are illustrative.",
        "plan_illustrative": "Holds illustrative data (il), not real figures",
        "code": "code",
        "failed": "Failed",
        "outdated": "Out of date",
        "outdated_note": "Page of {date}; the last rebuild failed:",
        "empty": "No reports yet.",
        "summary": "{total} reports, {failed} failed",
        "filter": "Filter the reports",
        "unit": "Unit",
        "unit_hint": "name or code, e.g. Thoai Son",
        "kind": "Report",
        "all": "All",
        "none": "No report matches the filter.",
        "all_plans": "All report plans",
        "plan": "plan",
        "files": {
            "pdf": "PDF (document)",
            "web.pdf": "PDF (web page print)",
            "docx": "Word (editable)",
            "xlsx": "Excel (tables)",
        },
    },
}

# What an output may show, best first. No JavaScript or widgets: pages carry no script.
DISPLAY_PRIORITY = [
    "text/html",
    "text/markdown",
    "image/svg+xml",
    "image/png",
    "image/jpeg",
    "text/latex",
    "text/plain",
]

_export_lock = threading.Lock()  # the exporter registers per-call filters: one export at a time


# ---------------------------------------------------------------- slugs


def slugify(text: str) -> str:
    """ASCII id for a (Vietnamese) heading: ``'Tỷ lệ đảng viên' -> 'ty-le-dang-vien'``.

    Diacritics are stripped, ``đ`` becomes ``d``; anything else that is not a
    letter or digit becomes one ``-``. Returns ``'section'`` if nothing is left.
    """
    text = text.replace("đ", "d").replace("Đ", "D")
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")
    return slug or "section"


def _unique(slug: str, used: set[str]) -> str:
    candidate, n = slug, 1
    while candidate in used:
        n += 1
        candidate = f"{slug}-{n}"
    used.add(candidate)
    return candidate


# ---------------------------------------------------------------- templates


@functools.lru_cache(maxsize=1)
def _exporter() -> HTMLExporter:
    """Building an exporter takes long; build it once. State per export lives in resources."""
    # nbconvert is imported in _page_exporter_class: importing it takes seconds
    from traitlets.config import Config

    c = Config()
    c.TemplateExporter.exclude_input = True
    c.TemplateExporter.exclude_input_prompt = True
    c.TemplateExporter.exclude_output_prompt = True
    c.TagRemovePreprocessor.enabled = True
    c.TagRemovePreprocessor.remove_cell_tags = {"remove_cell"}
    c.CoalesceStreamsPreprocessor.enabled = True
    c.NbConvertBase.display_data_priority = DISPLAY_PRIORITY
    c.HTMLExporter.exclude_anchor_links = True  # our own ids; no "¶" in headings
    c.HTMLExporter.embed_images = True
    c.HTMLExporter.sanitize_html = False
    c.Exporter.optimistic_validation = True  # validate once after the preprocessors, not after each
    return _page_exporter_class()(
        config=c, template_name=TEMPLATE_NAME, extra_template_basedirs=[str(TEMPLATES)]
    )


def _page_exporter_class():
    """nbconvert's ``HTMLExporter`` without its last step, a BeautifulSoup pass over the page that
    gives images without an ``alt`` a stock text and output areas a ``tabindex``:
    :func:`_add_toc` parses the page anyway and does the same there (:func:`_accessible`), so
    the page is parsed and serialised once, not twice. The rest is ``HTMLExporter``'s own code."""
    from nbconvert import HTMLExporter
    from nbconvert.exporters.templateexporter import TemplateExporter
    from nbconvert.filters.highlight import Highlight2HTML
    from nbconvert.filters.widgetsdatatypefilter import WidgetsDataTypeFilter

    class PageExporter(HTMLExporter):
        def from_notebook_node(self, nb, resources=None, **kw):
            langinfo = nb.metadata.get("language_info", {})
            lexer = langinfo.get("pygments_lexer", langinfo.get("name", None))
            highlight_code = self.filters.get(
                "highlight_code", Highlight2HTML(pygments_lexer=lexer, parent=self)
            )
            resources = self._init_resources(resources)
            filter_data_type = WidgetsDataTypeFilter(
                notebook_metadata=self._nb_metadata, parent=self, resources=resources
            )
            self.register_filter("highlight_code", highlight_code)
            self.register_filter("filter_data_type", filter_data_type)
            return TemplateExporter.from_notebook_node(self, nb, resources, **kw)

    return PageExporter


@functools.lru_cache(maxsize=1)
def _pages() -> jinja2.Environment:
    """Plain Jinja environment (autoescape on) over the same template folder."""
    return jinja2.Environment(
        loader=jinja2.FileSystemLoader(TEMPLATES / TEMPLATE_NAME),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
    )


def _page_macros():
    return _pages().get_template("page.html.j2").module


# ---------------------------------------------------------------- report


def export_html(nb, *, title: str, lang: str = "vi") -> str:
    """One executed notebook as a self-contained HTML page (no code, TOC at the top).

    Same notebook in, same bytes out. ``nb`` is not modified.
    """
    words = WORDS[check_lang(lang)]
    resources = {"baocao": {"title": title, "lang": lang, "image_alt": words["image_alt"]}}
    with _export_lock:
        body, _ = _exporter().from_notebook_node(nb, resources=resources)
    return _add_toc(body, title, words, lang)


def _table_tools(soup: BeautifulSoup, main, words: dict, lang: str = "vi") -> None:
    """Wrap every table in a box that scrolls sideways (phones) and offer it as a CSV file
    (UTF-8 with BOM, a ``data:`` link: the page stays one self-contained file): one row per
    figure, with its unit, period, code, value, mark and source (:func:`baocao.export.blocks.csv_bytes`)."""
    from baocao.export.blocks import Notes, csv_bytes, table_block

    notes = Notes()
    notes.collect(main)
    used: set[str] = set()
    section = ""
    for el in main.find_all(["h2", "h3", "table"]):
        if el.name != "table":
            section = el.get_text(" ", strip=True)
            continue
        if el.find_parent("table") is not None:
            continue
        box = soup.new_tag("div", attrs={"class": "table-scroll"})
        el.wrap(box)
        block = table_block(el)
        if not block.rows:
            continue
        name = _unique(slugify(block.text or section or words["table_file"]), used) + ".csv"
        data = base64.b64encode(csv_bytes(block, lang, notes)).decode("ascii")
        p = soup.new_tag("p", attrs={"class": "downloads"})
        a = soup.new_tag("a", attrs={"href": f"data:text/csv;charset=utf-8;base64,{data}", "download": name})
        a.string = words["download"]
        p.append(a)
        box.insert_after(p)


def _report_links(main) -> None:
    """A report links another report of its unit as its notebook (``data_quality.ipynb``: the link
    opens that notebook in JupyterLab); on the page it is the other report's page beside it."""
    for a in main.find_all("a", href=True):
        parts = urlsplit(a["href"])
        if not parts.scheme and not parts.netloc and parts.path.endswith(".ipynb"):
            a["href"] = parts._replace(path=parts.path[: -len(".ipynb")] + ".html").geturl()


HEADINGS = ["h1", "h2", "h3", "h4", "h5", "h6"]
NO_ALT = "No description has been provided for this image"  # nbconvert's words


def _accessible(soup: BeautifulSoup) -> None:
    """What nbconvert's ``HTMLExporter`` does last (see :func:`_page_exporter_class`): a stock
    ``alt`` for images without one, ``tabindex="0"`` on the input and output areas of the notebook."""
    for img in soup.find_all("img"):
        if not img.has_attr("alt"):
            img.attrs["alt"] = NO_ALT
    for kind in ("jp-Cell-inputWrapper", "jp-OutputArea-output"):
        for div in soup.find_all("div", class_=kind):
            if div.find_parent(class_="jp-Notebook") is not None:
                div.attrs["tabindex"] = "0"


def _add_toc(html: str, title: str, words: dict, lang: str = "vi") -> str:
    """Give Markdown headings unique slug ids; put a TOC of h2/h3 before the first of them;
    make tables scroll sideways and downloadable."""
    soup = BeautifulSoup(html, "html.parser")
    _accessible(soup)
    main = soup.main
    for cell in main.find_all(id=re.compile(r"^cell-id=")):  # notebook cell ids: nothing links them, and
        del cell[
            "id"
        ]  # a saved notebook renumbers them; without them every copy of a notebook gives one page
    _table_tools(soup, main, words, lang)
    _report_links(main)
    headings = [  # .jp-RenderedMarkdown h1, …, h6 (without a CSS selector: compiling one costs 0,1 s)
        h for h in main.find_all(HEADINGS) if h.find_parent(class_="jp-RenderedMarkdown") is not None
    ]
    for h in headings:
        del h["id"]
    used = {tag["id"] for tag in soup.find_all(id=True)}
    items: list[dict] = []
    section = None  # the h2 that h3 entries nest under
    for h in headings:
        h["id"] = _unique(slugify(h.get_text()), used)
        item = {"id": h["id"], "text": h.get_text(" ", strip=True), "children": []}
        if h.name == "h2":
            items.append(section := item)
        elif h.name == "h3":
            (section["children"] if section else items).append(item)

    if main.find("h1") is None:  # no title of its own (Markdown or output): show ours
        h1 = soup.new_tag("h1", attrs={"class": "report-title"})
        h1.string = title
        main.insert(0, h1)
    if items:  # after the front matter (title, banner, headline), before the first section
        first = main.find(id=items[0]["id"])
        toc = BeautifulSoup(str(_page_macros().toc(items, words["toc"])), "html.parser")
        (first.find_parent(class_="jp-Cell") or first).insert_before(toc)
    return str(soup)


# ---------------------------------------------------------------- index


def render_index(entries, *, title: str = "Báo cáo", lang: str = "vi", home: str = "") -> str:
    """Self-contained index page: reports grouped by year or period (newest first), then unit.

    ``entries``: dicts with ``notebook``, ``notebook_title``, ``unit_code``,
    ``unit_name``, ``year``, ``href`` (relative), ``status`` (``"ok"``/``"failed"``),
    optional ``year_from`` (a report for the period ``year_from``…``year``: listed under that
    period, as a report of the period), ``level``, ``headline`` ([(label, value)] or [(label,
    value, mark, anchor)]: the figure's mark as its page shows it, and the id of its footnote
    there) and ``error``; ``marks`` (optional): ``{"banner": text, "legend": [[mark, meaning]]}``,
    what the report's page says about its illustrative data and its marks. Everything is escaped.
    A failed report with an ``href`` and a ``page_date`` (``YYYY-MM-DD``) is one whose last good
    page was kept: it is linked and marked out of date, with the date of the page and the error
    (and the marks of that page).
    The whole country (level ``country``, unit ``VN``: reports of notebooks without a unit
    parameter, such as the national overview) comes first in its year, without a code.
    ``files`` (optional): ``{"pdf": href, ...}`` — the report's other formats, linked under it.
    ``home``: relative link to the page listing every plan ("" for none).

    The page carries the marks and the illustrative banner of the reports it lists: each figure
    with its mark (a footnote number links the footnote on the report's page), each illustrative
    report with its one-line banner, and at the top the banner and the legend of every mark shown.

    The page can be filtered by unit, year and kind of report: a few lines of inline
    JavaScript over the page's own elements (no request, works from a file).
    """
    words = WORDS[check_lang(lang)]
    rows = sorted(map(_index_row, entries), key=_index_order)
    years = []
    for (y0, year), in_year in groupby(rows, key=lambda r: (r["year_from"], r["year"])):
        units = []
        for code, in_unit in groupby(in_year, key=lambda r: r["unit_code"]):
            in_unit = list(in_unit)
            name = in_unit[0]["unit_name"]
            units.append(
                {
                    "code": code,
                    "name": name,
                    "country": in_unit[0]["country"],
                    "entries": in_unit,
                    "search": _fold_search(f"{name} {code}"),
                }
            )
        span = f"{y0}–{year}" if y0 else str(year)
        heading = f"{words['period']} {span}" if y0 else f"{words['year']} {year}"
        years.append({"year": span, "id": slugify(heading), "heading": heading, "units": units})
    toc = [{"id": y["id"], "text": y["heading"], "children": []} for y in years]
    kinds = sorted({(r["notebook_title"], r["notebook"]) for r in rows})
    legend: dict[str, str] = {}
    for r in rows:
        for mark, meaning in r["legend"]:
            legend.setdefault(mark, meaning)
    if home:
        _check_relative(home)
    return (
        _pages()
        .get_template("listing.html.j2")
        .render(
            kinds=[{"title": t, "notebook": n} for t, n in kinds],
            home=home,
            title=title,
            lang=lang,
            words=words,
            years=years,
            toc=toc,
            total=len(rows),
            failed=sum(r["failed"] for r in rows),
            illustrative=any(r["banner"] for r in rows),
            legend=sorted(legend.items(), key=lambda kv: (not kv[0][:1].isdigit(), kv[0])),
        )
    )


def _fold_search(text: str) -> str:
    """Lower case without diacritics (``đ`` as ``d``), as the index's filter compares names."""
    text = unicodedata.normalize("NFD", text.lower()).replace("đ", "d")
    return "".join(ch for ch in text if not unicodedata.combining(ch))


def _check_relative(href: str) -> str:
    parts = urlsplit(href)
    if parts.scheme or parts.netloc or href.startswith(("/", "\\")):
        raise ValueError(f"href must be a relative path, not {href!r}")
    return href


def render_plans(plans, *, title: str = "Báo cáo", lang: str = "vi") -> str:
    """Top page of an output folder: every plan built into it, each linking its own index.

    ``plans``: dicts with ``name`` (the plan file: for the folder's own record, never shown),
    ``title``, ``index`` (relative href), ``reports`` and ``failed`` (counts) and ``illustrative``
    (whether any of its reports holds illustrative data: the plan says so); listed by title."""
    words = WORDS[check_lang(lang)]
    rows = [
        {
            "name": str(p["name"]),
            "title": str(p.get("title") or p["name"]),
            "index": _check_relative(str(p["index"])),
            "reports": int(p.get("reports", 0)),
            "failed": int(p.get("failed", 0)),
            "illustrative": bool(p.get("illustrative")),
        }
        for p in plans
    ]
    rows.sort(key=lambda p: (p["title"], p["name"]))
    return _pages().get_template("plans.html.j2").render(title=title, lang=lang, words=words, plans=rows)


def _index_order(row: dict) -> tuple:
    """Newest year first, a period before the year it ends in; the whole country, then provinces
    before districts before communes; then report."""
    code = row["unit_code"]
    return (
        -row["year"],
        -(row["year"] - row["year_from"]) if row["year_from"] else 0,
        not row["country"],
        len(code),
        code,
        row["notebook_title"],
        row["notebook"],
        row["href"],
    )


def _index_row(entry: dict) -> dict:
    status = entry["status"]
    if status not in ("ok", "failed"):
        raise ValueError(f"status must be 'ok' or 'failed', not {status!r}")
    href = _check_relative(entry.get("href") or "")
    words = WORDS[check_lang(entry.get("lang") or "vi")]
    labels = words["files"]
    given = entry.get("files") or {}
    files = [
        (labels[fmt], _check_relative(str(given[fmt]))) for fmt in labels if fmt in given
    ]  # PDF (the document, the page printed), Word, Excel
    for fmt in sorted(set(given) - set(labels)):  # a second document: "ubnd.docx" → "Word (sửa được) · ubnd"
        doc, _, ext = fmt.rpartition(".")
        if doc and ext in labels:
            files.append((f"{labels[ext]} · {doc}", _check_relative(str(given[fmt]))))
    y0 = int(entry["year_from"]) if entry.get("year_from") else None
    span = f"{y0}–{int(entry['year'])}"
    title = str(entry.get("notebook_title") or entry["notebook"])
    marks = entry.get("marks") or {}
    return {
        "files": files,
        "notebook": str(entry["notebook"]),
        "notebook_title": title,
        "shown_title": title + (f" ({words['period_report'].format(span=span)})" if y0 else ""),
        "unit_code": str(entry["unit_code"]),
        "unit_name": str(entry["unit_name"]),
        "country": entry.get("level") == "country",
        "year": int(entry["year"]),
        "year_from": y0,
        "href": href,
        "failed": status == "failed",
        "headline": [_headline_item(p, href) for p in entry.get("headline") or []],
        # a page listed (done, or kept from its last good run) carries its banner and marks
        "banner": str(marks.get("banner") or "") if href else "",
        "legend": [(str(m), str(t)) for m, t in marks.get("legend") or []] if href else [],
        "error": str(entry.get("error") or ""),
        "outdated": _page_date(entry["page_date"], entry.get("lang") or "vi")
        if status == "failed" and href and entry.get("page_date")
        else "",
    }


def _headline_item(item, href: str) -> dict:
    """A headline figure of the index: label, value, its mark, where its footnote is (the
    report's page, ``#fn-P01``) and, for a partial figure, how many units reported (``12/13 xã báo
    cáo``, shown after the mark as the page shows it); a (label, value) pair has no mark."""
    label, value, *rest = list(item) + ["", "", ""]
    mark, anchor, coverage = str(rest[0] or ""), str(rest[1] or ""), str(rest[2] or "")
    link = f"{href}#{anchor}" if href and anchor and re.fullmatch(r"fn-[\w.-]+", anchor) else ""
    return {"label": str(label), "value": str(value), "mark": mark, "link": link, "coverage": coverage}


def _page_date(date, lang: str) -> str:
    """``2025-01-15`` as the index shows a page's date: ``15/01/2025`` in Vietnamese, as is in English."""
    text = str(date or "")
    if lang == "vi" and re.fullmatch(r"\d{4}-\d\d-\d\d", text):
        y, m, d = text.split("-")
        return f"{d}/{m}/{y}"
    return text


# ---------------------------------------------------------------- notebook metadata

_PAPERMILL_NB_DROP = (
    "start_time",
    "end_time",
    "duration",
    "input_path",
    "output_path",
    "parameters",
    "environment_variables",
)
_PAPERMILL_CELL_DROP = ("start_time", "end_time", "duration")


def strip_notebook_metadata(nb):
    """A copy of an executed notebook without times, paths or random cell ids.

    Drops papermill's run times, paths, parameters and environment, each cell's
    ``execution`` timestamps and papermill times (``status``/``exception`` stay),
    and numbers the cells ``cell-0``, ``cell-1``, ... (nbformat 4.5 ids).
    """
    nb = copy.deepcopy(nb)
    papermill = nb.metadata.get("papermill")
    if papermill is not None:
        for key in _PAPERMILL_NB_DROP:
            papermill.pop(key, None)
    for index, cell in enumerate(nb.cells):
        cell.metadata.pop("execution", None)
        cell_papermill = cell.metadata.get("papermill")
        if cell_papermill is not None:
            for key in _PAPERMILL_CELL_DROP:
                cell_papermill.pop(key, None)
        cell["id"] = f"cell-{index}"
    if nb.nbformat == 4 and nb.nbformat_minor < 5:
        nb.nbformat_minor = 5
    return nb
