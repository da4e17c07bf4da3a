"""What a built report shows, read back from its executed notebook, for the Word and Excel files.

:func:`blocks` walks an executed report notebook (in the report language) and returns its
content in reading order as plain blocks: the title, headings, paragraphs, lists, tables
(text of every cell) and chart images (PNG bytes and alt text). The Word report
(:mod:`baocao.export.word`) and the workbook (:mod:`baocao.export.workbook`) are made from these blocks,
so they show exactly what the HTML page shows.

:func:`number` reads a number as the reports write it (``17.939``, ``99,34%``) back into a
float; :func:`fixed_zip` rewrites an Office file (a zip) with fixed member times, so the
same report gives the same bytes.
"""

from __future__ import annotations

import base64
import io
import re
import zipfile
from dataclasses import dataclass, field

from bs4 import BeautifulSoup, NavigableString, Tag

ZIP_TIME = (1980, 1, 1, 0, 0, 0)  # the earliest time a zip can hold: nothing of the clock
_NUM = {
    "vi": re.compile(r"^(?P<sign>[-−]?)(?P<int>\d{1,3}(?:\.\d{3})*|\d+)(?:,(?P<frac>\d+))?(?P<pct>\s?%)?$"),
    "en": re.compile(r"^(?P<sign>[-−]?)(?P<int>\d{1,3}(?:,\d{3})*|\d+)(?:\.(?P<frac>\d+))?(?P<pct>\s?%)?$"),
}


@dataclass
class Block:
    """One piece of a report: ``kind`` is title, heading, paragraph, list, table, cards or image."""

    kind: str
    text: str = ""
    level: int = 0  # headings: 2 for a section, 3 for a subsection
    items: list = field(default_factory=list)  # list: texts; cards: (label, value)
    header: list = field(default_factory=list)  # table: column headings
    rows: list = field(default_factory=list)  # table: rows of cell texts
    numeric: list = field(default_factory=list)  # table: True where the column holds numbers
    image: bytes = b""  # image: PNG
    note: str = ""  # paragraph: "banner" | "footer" | "meta" ...; table: the section it belongs to


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
    header_row = head.find("tr") if head else el.find("tr")
    header = [_text(c) for c in header_row.find_all(["th", "td"])] if header_row else []
    body_rows = el.find("tbody").find_all("tr") if el.find("tbody") else el.find_all("tr")[1:]
    rows = [[_text(c) for c in tr.find_all(["th", "td"])] for tr in body_rows]
    width = max([len(header), *map(len, rows)] or [0])
    numeric = [False] * width
    for tr in body_rows:
        for i, c in enumerate(tr.find_all(["th", "td"])):
            if "num" in (c.get("class") or []):
                numeric[i] = True
    cap = el.find("caption")
    return Block("table", text=_text(cap) if cap else "", header=header, rows=rows, numeric=numeric)


def _html_blocks(fragment: str) -> list[Block]:
    soup = BeautifulSoup(fragment, "html.parser")
    out: list[Block] = []

    def walk(node) -> None:
        for el in node.children:
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


def blocks(nb, lang: str = "vi") -> list[Block]:
    """The content of an executed report notebook in reading order (cells of the other
    language and cells tagged ``remove_cell`` left out; no code, no error output)."""
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
                if "text/html" in data:
                    html = data["text/html"]
                    new += _html_blocks("".join(html) if isinstance(html, list) else html)
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
            if b.kind == "heading" and b.level in (2, 3):
                section = b.text
            elif b.kind == "table" and not b.note:
                b.note = section
        out += new
    return out


def csv_bytes(block: Block) -> bytes:
    """A table as CSV in UTF-8 with a byte-order mark (so Excel shows the diacritics), cells as shown."""
    import csv

    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\r\n")
    writer.writerow(block.header)
    writer.writerows(block.rows)
    return b"\xef\xbb\xbf" + buf.getvalue().encode("utf-8")


def fixed_zip(data: bytes) -> bytes:
    """The zip (docx, xlsx) rewritten with every member's time set to :data:`ZIP_TIME`, in
    the same order and compression: the same content gives the same bytes."""
    src = zipfile.ZipFile(io.BytesIO(data))
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            new = zipfile.ZipInfo(info.filename, date_time=ZIP_TIME)
            new.compress_type = zipfile.ZIP_DEFLATED
            new.external_attr = 0o644 << 16
            dst.writestr(new, src.read(info.filename))
    return buf.getvalue()
