"""What a built report shows, read back from its executed notebook, for the Word and Excel files.

:func:`blocks` walks an executed report notebook (in the report language) and returns its
content in reading order as plain blocks: the title, headings, paragraphs, lists, tables
(text of every cell) and chart images (PNG bytes and alt text). The Word report
(:mod:`baocao.export.word`) and the workbook (:mod:`baocao.export.workbook`) are made from these blocks,
so they show exactly what the HTML page shows.

A table cell is read into a :class:`Cell`: the figure as shown (``99,75%``) and its provenance
mark (``5``, ``mh``, ``t``) kept apart, with what the figure is (unit, period, element or
indicator code and name, unit of measure: the ``data-*`` attributes of its ``span.fig``).
:func:`figures` turns a table into one tidy row per figure (a number with a decimal point, its
mark and source; a published figure whose period is our inference has the footnote's reason in
its source; a target is a row of its own with its mark), :func:`csv_bytes` writes them as the
CSV each page offers, and :func:`inert` keeps any text that a spreadsheet would read as a formula
as text.

:func:`number` reads a number as the reports write it (``17.939``, ``99,34%``) back into a
float.
"""

from __future__ import annotations

import base64
import io
import re
from dataclasses import dataclass, field, replace
from decimal import Decimal

from bs4 import BeautifulSoup, NavigableString, Tag

_NUM = {
    "vi": re.compile(r"^(?P<sign>[-−]?)(?P<int>\d{1,3}(?:\.\d{3})*|\d+)(?:,(?P<frac>\d+))?(?P<pct>\s?%)?$"),
    "en": re.compile(r"^(?P<sign>[-−]?)(?P<int>\d{1,3}(?:,\d{3})*|\d+)(?:\.(?P<frac>\d+))?(?P<pct>\s?%)?$"),
}


@dataclass
class Block:
    """One piece of a report: ``type`` is title, heading, paragraph, list, table, cards or image."""

    type: str
    text: str = ""
    level: int = 0  # headings: 2 for a section, 3 for a subsection
    items: list = field(default_factory=list)  # list: texts; cards: (label, value)
    header: list = field(default_factory=list)  # table: column headings
    rows: list = field(default_factory=list)  # table: rows of cell texts
    numeric: list = field(default_factory=list)  # table: True where the column holds numbers
    cells: list = field(default_factory=list)  # table: rows of Cell (figure and mark apart)
    image: bytes = b""  # image: PNG
    note: str = ""  # paragraph: "banner" | "footer" | "meta" ...; table: the section it belongs to
    source: object = field(default=None, repr=False, compare=False)  # the HTML element it was read from


def number(text: str, lang: str = "vi") -> tuple[float, int, bool] | None:
    """``(value, decimals, percent)`` of a number written the report's way, else None.

    ``'17.939'`` → (17939.0, 0, False); ``'99,34%'`` → (99.34, 2, True); ``'≥ 98%'``, ``'3/17'``,
    ``'21 tỷ đồng'`` → None (text stays text)."""
    m = _NUM["vi" if lang == "vi" else "en"].match(str(text).strip())
    if not m:
        return None
    sep = "." if lang == "vi" else ","
    whole = m.group("int").replace(sep, "")
    frac = m.group("frac") or ""
    value = float(f"{whole}.{frac}" if frac else whole)
    if m.group("sign"):
        value = -value
    return value, len(frac), bool(m.group("pct"))


def _text(el) -> str:
    return " ".join(el.get_text(" ", strip=True).split())


def table_block(el: Tag) -> Block:
    """An HTML ``<table>`` as a table block: heading texts, row texts, which columns hold numbers."""
    head = el.find("thead")
    # a heading of two rows (years under their column groups) is read by its row of one heading per
    # column: the one with the most cells (the first of one-row headings)
    heads = head.find_all("tr") if head else []
    header_row = max(heads, key=lambda tr: len(tr.find_all(["th", "td"]))) if heads else el.find("tr")
    header = [_text(c) for c in header_row.find_all(["th", "td"])] if header_row else []
    body_rows = el.find("tbody").find_all("tr") if el.find("tbody") else el.find_all("tr")[1:]
    tds = [tr.find_all(["th", "td"]) for tr in body_rows]
    rows = [[_text(c) for c in tr] for tr in tds]
    cells = [[read_cell(c) for c in tr] for tr in tds]
    width = max([len(header), *map(len, rows)] or [0])
    numeric = [False] * width
    for tr in tds:
        for i, c in enumerate(tr):
            if "num" in (c.get("class") or []):
                numeric[i] = True
    cap = el.find("caption")
    return Block(
        "table", text=_text(cap) if cap else "", header=header, rows=rows, numeric=numeric, cells=cells
    )


def _sourced(out: list[Block], made) -> None:
    """Blocks read from one element (and not from an element inside it) get it as ``source``:
    the Word report reads a paragraph's marks and a list's notes from the element itself."""
    if made and isinstance(made[0], Tag):
        for b in out[made[1] :]:
            if b.source is None:
                b.source = made[0]


def _html_blocks(fragment: str, notes: Notes | None = None) -> list[Block]:
    soup = BeautifulSoup(fragment, "html.parser")
    if notes is not None:
        notes.collect(soup)
    out: list[Block] = []

    def walk(node) -> None:
        made = None  # (element, blocks before it): the blocks read from it learn their source
        for el in node.children:
            _sourced(out, made)
            made = (el, len(out))
            if isinstance(el, NavigableString):
                if el.strip():
                    out.append(Block("paragraph", text=" ".join(el.split())))
                continue
            if not isinstance(el, Tag):
                continue
            classes = el.get("class") or []
            if el.name == "h1":
                out.append(Block("title", text=_text(el)))
            elif el.name in ("h2", "h3", "h4"):
                out.append(Block("heading", text=_text(el), level=int(el.name[1])))
            elif el.name == "table":
                out.append(table_block(el))
            elif el.name in ("ul", "ol"):
                out.append(Block("list", items=[_text(li) for li in el.find_all("li", recursive=False)]))
            elif el.name == "details":
                summary = el.find("summary")
                if summary is not None:
                    out.append(Block("heading", text=_text(summary), level=4))
                    summary.extract()
                walk(el)
            elif "headline" in classes:
                cards = [
                    (_text(c.select_one(".label")), _text(c.select_one(".value"))) for c in el.select(".card")
                ]
                out.append(Block("cards", items=cards))
            elif el.name == "footer":
                out.append(Block("paragraph", text=_text(el), note="footer"))
            elif el.name == "div" and not el.find(["table", "ul", "ol", "h1", "h2", "h3", "div", "details"]):
                out.append(Block("paragraph", text=_text(el), note=" ".join(classes)))
            elif el.name in ("div", "section", "figure", "main", "article"):
                walk(el)
            elif el.name == "img" and str(el.get("src", "")).startswith("data:image/png;base64,"):
                out.append(
                    Block("image", image=base64.b64decode(el["src"].split(",", 1)[1]), text=el.get("alt", ""))
                )
            else:
                text = _text(el)
                if text:
                    out.append(Block("paragraph", text=text, note=" ".join(classes)))
        _sourced(out, made)

    walk(soup)
    return out


_MD_HEADING = re.compile(r"^(#{1,6})\s+(.*?)\s*#*\s*$")


def _plain_markdown(text: str) -> str:
    text = re.sub(r"`([^`]*)`", r"\1", text)
    text = re.sub(r"\*\*([^*]+)\*\*|__([^_]+)__", lambda m: m.group(1) or m.group(2), text)
    text = re.sub(r"(?<!\w)[*_]([^*_]+)[*_](?!\w)", r"\1", text)
    text = re.sub(r"\[([^\]]+)\]\([^)]*\)", r"\1", text)
    return " ".join(text.split())


def _markdown_blocks(source: str) -> list[Block]:
    out: list[Block] = []
    para: list[str] = []
    items: list[str] = []

    def flush() -> None:
        if para:
            out.append(Block("paragraph", text=_plain_markdown(" ".join(para))))
            para.clear()
        if items:
            out.append(Block("list", items=[_plain_markdown(i) for i in items]))
            items.clear()

    for line in source.splitlines():
        m = _MD_HEADING.match(line)
        if m:
            flush()
            level = len(m.group(1))
            out.append(
                Block("title" if level == 1 else "heading", text=_plain_markdown(m.group(2)), level=level)
            )
        elif re.match(r"^\s*([-*+]|\d+\.)\s+", line):
            if para:
                flush()
            items.append(re.sub(r"^\s*([-*+]|\d+\.)\s+", "", line))
        elif not line.strip():
            flush()
        elif items:
            items[-1] += " " + line.strip()
        else:
            para.append(line.strip())
    flush()
    return out


def blocks(nb, lang: str = "vi", notes: Notes | None = None) -> list[Block]:
    """The content of an executed report notebook in reading order (cells of the other
    language and cells tagged ``remove_cell`` left out; no code, no error output).

    ``notes``, when given, collects the page's footnotes, sources, legend and illustrative banner
    (:meth:`Notes.collect`) for the tables' sources and the workbook's notes sheet, and the reporting
    rates the report's title block recorded (:func:`reporting_of`)."""
    from baocao.build.execute import select_language

    out: list[Block] = []
    section = ""
    for cell in select_language(nb, lang).cells:
        if "remove_cell" in cell.get("metadata", {}).get("tags", []):
            continue
        if cell.cell_type == "markdown":
            new = _markdown_blocks(cell.source)
        elif cell.cell_type == "code":
            new = []
            for output in cell.get("outputs", []):
                data = output.get("data", {})
                if notes is not None and not notes.reporting:
                    notes.reporting = reporting_of(output)
                if "text/html" in data:
                    html = data["text/html"]
                    new += _html_blocks("".join(html) if isinstance(html, list) else html, notes)
                elif "image/png" in data:
                    png = data["image/png"]
                    alt = (output.get("metadata", {}).get("image/png") or {}).get("alt", "")
                    new.append(
                        Block(
                            "image",
                            image=base64.b64decode("".join(png) if isinstance(png, list) else png),
                            text=alt,
                        )
                    )
        else:
            new = []
        for b in new:
            if b.type == "heading" and b.level in (2, 3):
                section = b.text
            elif b.type == "table" and not b.note:
                b.note = section
        out += new
    return out


def reporting_of(output: dict) -> list[str]:
    """The reporting rates a notebook output carries in its metadata (``baocao.coverage``, left by a
    local report's title block: one line per year, ``Năm 2024: 12/13 xã báo cáo đủ; …``), or []."""
    md = output.get("metadata", {})
    found = (md.get("baocao") or md.get("text/html", {}).get("baocao") or {}).get("coverage")
    return [str(line) for line in found] if isinstance(found, list) else []


# ---------------------------------------------------------------- table cells as data


@dataclass(frozen=True)
class Cell:
    """One table cell as data: the figure as shown and its provenance mark, kept apart.

    ``text``: what the cell shows without its mark (``99,75%``, ``4.500``, ``đạt``);
    ``mark``: the mark after it (a footnote number, ``mh``, ``t``; ``""`` for none);
    ``provenance``: ``published``, ``computed``, ``illustrative`` or ``""`` (the span's ``fig-*`` class);
    ``meaning``: what the mark means, as the page says it (the mark's title);
    ``refs``: ids of the published rows behind it (the page's footnotes ``fn-<id>``);
    ``about``: what the figure is, from the ``data-*`` attributes of its ``span.fig``: ``unit``,
    ``unit-name``, ``period``, ``code``, ``name``, ``category``, ``measure``, and ``coverage`` for a
    figure computed while some units had not reported (``1/13 xã báo cáo``) (none for a plain cell)."""

    text: str
    mark: str = ""
    provenance: str = ""
    meaning: str = ""
    refs: tuple = ()
    about: tuple = ()

    def get(self, key: str) -> str:
        return dict(self.about).get(key, "")


def read_cell(el: Tag) -> Cell:
    """A ``<td>``/``<th>`` as a :class:`Cell`. A cell that is one ``span.fig`` gives its figure,
    mark and identity; any other cell gives its text (marks, if any, left as shown)."""
    kids = [k for k in el.contents if isinstance(k, Tag) or k.strip()]
    span = kids[0] if len(kids) == 1 else None
    if not isinstance(span, Tag) or span.name != "span" or "fig" not in (span.get("class") or []):
        return Cell(_text(el))
    sup, parts = None, []
    for k in span.contents:  # the figure's text, then its mark (walked by hand: bs4's searches cost)
        if isinstance(k, Tag) and k.name == "sup" and "mark" in (k.get("class") or []):
            sup = k
        elif isinstance(k, Tag) and "coverage" in (k.get("class") or []):
            continue  # how many units reported a partial figure: in its data-coverage, not its text
        else:
            parts.append(k.get_text() if isinstance(k, Tag) else str(k))
    shown = "".join(parts)
    provenance = next((c[4:] for c in span.get("class") or [] if c.startswith("fig-")), "")
    about = tuple(
        (k[5:], " ".join(str(v).split()))
        for k, v in span.attrs.items()
        if k.startswith("data-") and k != "data-published"
    )
    return Cell(
        " ".join(shown.split()),
        mark=_text(sup) if sup is not None else "",
        provenance=provenance,
        meaning=str(sup.get("title", "")) if sup is not None else "",
        refs=tuple(str(span.get("data-published", "")).split()),
        about=about,
    )


@dataclass
class Notes:
    """What a page says about its figures, outside its tables: footnotes by published row id
    (their source: the text before the quotation; and the whole note), the sources section, the
    mark legend and the illustrative-data banner. Filled by :meth:`collect` from the page (or from
    each HTML output of the notebook)."""

    footnotes: dict = field(default_factory=dict)  # id -> (number, source, whole text)
    # id -> why the figure's period, date or unit is ours (the footnote's ``span.inference``)
    inferences: dict = field(default_factory=dict)
    sources: list = field(default_factory=list)
    legend: str = ""
    banner: str = ""
    reporting: list = field(default_factory=list)  # the reporting rates, one line a year (blocks)

    def collect(self, soup) -> None:
        """Add what ``soup`` (a page, or one output of the notebook) says, in one walk over it."""
        for el in soup.descendants:
            if not isinstance(el, Tag):
                continue
            if el.name == "li" and str(el.get("id", "")).startswith("fn-"):
                self._footnote(el)
                continue
            classes = el.get("class") or ()
            if not classes:
                continue
            if "sources" in classes and el.name == "details":
                self._source(*(_text(li) for li in el.find_all("li")))
            elif "source" in classes:
                self._source(_text(el))
            elif "legend-provenance" in classes:
                self.legend = self.legend or _text(el)
            elif "banner-illustrative" in classes:
                self.banner = self.banner or _text(el)

    def _footnote(self, li: Tag) -> None:
        head = []
        for part in li.children:  # the source: what the note says before it quotes the source
            if isinstance(part, Tag) and part.name == "q":
                break
            head.append(part.get_text(" ") if isinstance(part, Tag) else str(part))
        source = " ".join("".join(head).split()).rstrip(" :")
        pid = li["id"][3:]
        self.footnotes.setdefault(pid, (str(li.get("value", "")), source, _quoted_text(li)))
        why = li.find("span", class_="inference")
        if why is not None:
            self.inferences.setdefault(pid, _text(why).rstrip("."))

    def _source(self, *texts: str) -> None:
        self.sources += [t for t in texts if t and t not in self.sources]

    def source_of(self, cell: Cell) -> str:
        """Where a figure comes from: its footnotes' sources for a published figure (with why its
        period, date or unit is ours, when it is: ``… con số P20 — Suy ra: năm 2023: …``), what its
        mark means otherwise, the page's sources for a plain cell; and, for a partial figure, how
        many units reported (``…; 1/13 xã báo cáo``)."""
        if cell.refs:
            out = " | ".join(
                (self.footnotes[r][1] if r in self.footnotes else r)
                + (f" — {self.inferences[r]}" if r in self.inferences else "")
                for r in cell.refs
            )
        elif cell.meaning:
            out = cell.meaning
        else:
            out = "; ".join(self.sources)
        return f"{out}; {cell.get('coverage')}" if cell.get("coverage") else out


def _quoted_text(el: Tag) -> str:
    """An element's text with each quotation (``<q>``, which a browser shows in quotation marks)
    in “…”, so the source's own words stay apart from ours outside the page too."""
    el = BeautifulSoup(str(el), "html.parser")
    for q in el.find_all("q"):
        q.replace_with(f"“{q.get_text()}”")
    return " ".join(el.get_text().split())  # the note's own spaces: nothing added around its quotation


FORMULA_START = ("=", "+", "-", "@", "\t", "\r")  # OWASP: what makes a spreadsheet read a cell as a formula
_PLAIN_NUMBER = re.compile(r"[-+−]?\d[\d.,]*%?")


def formula_like(text: str) -> bool:
    """True for a text a spreadsheet could read as a formula: it begins ``=``, ``+``, ``-``, ``@``,
    tab or carriage return (OWASP's list), and is not a plain number such as ``-450`` or ``-1,5``."""
    text = str(text)
    return text.startswith(FORMULA_START) and not _PLAIN_NUMBER.fullmatch(text)


def inert(text: str) -> str:
    """Text a spreadsheet will not run: a :func:`formula_like` text gets a leading ``'`` (OWASP's
    advice for CSV files); any other text is returned as it is."""
    text = str(text)
    return "'" + text if formula_like(text) else text


TIDY = (
    "unit_code",
    "unit",
    "period",
    "code",
    "name",
    "category",
    "row",
    "column",
    "value",
    "measure",
    "mark",
    "source",
)
TIDY_LABELS = {
    "vi": {
        "unit_code": "Mã đơn vị",
        "unit": "Đơn vị",
        "period": "Kỳ",
        "code": "Mã số liệu",
        "name": "Số liệu",
        "category": "Mã phân tổ",
        "row": "Dòng",
        "column": "Cột",
        "value": "Giá trị",
        "measure": "Đơn vị tính",
        "mark": "Ký hiệu",
        "source": "Nguồn",
    },
    "en": {
        "unit_code": "Unit code",
        "unit": "Unit",
        "period": "Period",
        "code": "Code",
        "name": "Figure",
        "category": "Category code",
        "row": "Row",
        "column": "Column",
        "value": "Value",
        "measure": "Unit of measure",
        "mark": "Mark",
        "source": "Source",
    },
}


@dataclass(frozen=True)
class Figure:
    """One figure of a table as a tidy row (see :data:`TIDY`): ``value`` is a Decimal with the
    decimals the page shows (a percentage in percent points: ``99,75%`` is 99.75, measure ``%``);
    ``row`` and ``column`` say where the table shows it."""

    unit_code: str
    unit: str
    period: str
    code: str
    name: str
    category: str
    row: str
    column: str
    value: Decimal
    measure: str
    mark: str
    source: str
    provenance: str = ""
    meaning: str = ""

    def tidy(self) -> list:
        return [getattr(self, k) for k in TIDY]


_NOT_A_FIGURE = re.compile(r"[≥≤<>].*|\d+/\d+")  # a target (≥ 95%) or a rank (3/17) beside the figures
_TARGET = re.compile(r"(?P<op>[≥≤<>])\s*(?P<value>\S+)")  # a target as a table shows it: ≥ 95%, ≤ 1,50


def is_figure_table(block: Block, lang: str = "vi") -> bool:
    """True for a table of figures: it has columns the page marks as numbers (``td.num``), and each of
    their filled cells is a number, a figure with its mark, a target (``≥ 95%``) or a rank (``3/17``).
    A number column holding text (``956 hội nghị``: the reconciliation, which compares how figures
    are written) makes it a table of texts, offered as shown."""
    if not any(block.numeric):
        return False
    for row in block.cells or [[Cell(t) for t in row] for row in block.rows]:
        for i, cell in enumerate(row):
            text = cell.text
            if i >= len(block.numeric) or not block.numeric[i] or cell.provenance or text in ("", "–", "-"):
                continue
            if number(text, lang) is None and not _NOT_A_FIGURE.fullmatch(text):
                return False
    return True


def _target(text: str, lang: str) -> tuple[str, tuple[float, int, bool]] | None:
    """``("≥", (95.0, 0, True))`` for a target cell ``≥ 95%``; None for any other text (a target
    with words after it, ``≥ 6 (cấp huyện)``, is not one number)."""
    m = _TARGET.fullmatch(" ".join(str(text).split()))
    parsed = number(m.group("value"), lang) if m else None
    return (m.group("op"), parsed) if parsed else None


def figures(block: Block, lang: str = "vi", notes: Notes | None = None) -> list[Figure]:
    """A table's figures, one tidy row each: every cell at or after the first column the page marks
    as numbers (``td.num``) that reads as a number, and every target (``≥ 95%``: its value, the
    column named with its sign, ``Chỉ tiêu (≥)``, and its mark: an illustrative target's ``mh``
    reaches the data files). The cells before that column label the row (``Chuyên đề · Kỳ``);
    other cells (``3/17``, ``đạt``, empty) are not figures. A table that is not
    :func:`is_figure_table` (a list of rules) has none."""
    notes = notes or Notes()
    numeric = block.numeric
    if not is_figure_table(block, lang):
        return []
    first = numeric.index(True)
    cells = block.cells or [[Cell(t) for t in row] for row in block.rows]
    out = []
    for row in cells:
        label = " · ".join(c.text for c in row[:first] if c.text)
        found, targets = [], []
        for i, cell in enumerate(row[first:], first):
            column = block.header[i] if i < len(block.header) else ""
            parsed = number(cell.text, lang)
            if parsed is None:
                target = _target(cell.text, lang)
                if target is None:
                    continue
                sign, parsed = target
                column = f"{column} ({sign})"
                targets.append(len(found))
            value, decimals, percent = parsed
            found.append(
                Figure(
                    unit_code=cell.get("unit"),
                    unit=cell.get("unit-name"),
                    period=cell.get("period"),
                    code=cell.get("code"),
                    name=cell.get("name"),
                    category=cell.get("category"),
                    row=label,
                    column=column,
                    value=round(Decimal(repr(value)), decimals),
                    measure=cell.get("measure") or ("%" if percent else ""),
                    mark=cell.mark,
                    source=notes.source_of(cell),
                    provenance=cell.provenance,
                    meaning=cell.meaning,
                )
            )
        figs = [f for k, f in enumerate(found) if k not in targets]
        out += [_for_its_row(f, figs) if k in targets else f for k, f in enumerate(found)]
    return out


def _for_its_row(target: Figure, row: list[Figure]) -> Figure:
    """A target with the unit, period and code of the figures of its row that it is for (those of
    its code, or every figure of the row), where they are one."""
    mine = [f for f in row if f.code and f.code == target.code] or [f for f in row if f.code]
    fill = {}
    for keys in (("unit_code", "unit"), ("period",), ("code", "name")):
        values = {tuple(getattr(f, k) for k in keys) for f in mine}
        if len(values) == 1 and not getattr(target, keys[0]):
            fill.update(zip(keys, values.pop()))
    return replace(target, **fill)


def csv_bytes(block: Block, lang: str = "vi", notes: Notes | None = None) -> bytes:
    """A table as CSV in UTF-8 with a byte-order mark (so Excel shows the diacritics).

    A table of figures gives one row per figure (:data:`TIDY` columns, headed in the report
    language): values with a decimal point and no thousands separator, the mark and the source
    in their own columns, so the file can be summed and charted. A table of texts (not
    :func:`is_figure_table`: the rules, the reconciliation) gives its rows as shown. Text is
    quoted and made :func:`inert`; numbers are not quoted."""
    import csv

    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\r\n", quoting=csv.QUOTE_NONNUMERIC)
    found = figures(block, lang, notes)
    if found:
        labels = TIDY_LABELS["vi" if lang == "vi" else "en"]
        writer.writerow([labels[k] for k in TIDY])
        for f in found:
            writer.writerow([v if isinstance(v, Decimal) else inert(v) for v in f.tidy()])
    else:
        writer.writerow([inert(h) for h in block.header])
        writer.writerows([inert(t) for t in row] for row in block.rows)
    return b"\xef\xbb\xbf" + buf.getvalue().encode("utf-8")
