"""A report's blocks as the parts of its official document: what the Word file says, in order.

The page of a report opens with things that belong to a web page (the unit and its code, the
collapsed list of sources) and ends with its footnotes and a technical footer (data date, input
check code, version). An official document puts them elsewhere. :func:`official` sorts the
blocks read back from the executed notebook (:mod:`baocao.export.blocks`) into:

- the **statements** that open the document: the illustrative-data banner and the legend of
  the marks (both printed, as the page prints them);
- the **key figures** (the page's cards), under a heading of their own — never under
  "Nguồn số liệu";
- the **body**: headings, paragraphs, lists, tables and charts, every provenance mark and
  footnote number a superscript :class:`Run` attached to its figure (read from the page's
  ``<sup class="mark">``), optionally only some sections (``sections``);
- the **appendix**: the sources, the numbered notes (each source cited once, the notes
  referring to it), and the technical lines (check code, version), which never go into the
  body or before the signature.

Everything here is pure: blocks in, dataclasses out.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from bs4 import NavigableString, Tag

from baocao.export.blocks import Block

SUPERSCRIPT = str.maketrans("⁰¹²³⁴⁵⁶⁷⁸⁹ᵐʰᵗ", "0123456789mht")
# A file of the project named in the page's text ("trong data/catalogue/rules.csv"): not in a document's body.
FILE_NAME = re.compile(
    r"\s*(?:\b(?:trong|tại|in|at)\s+)?`?\b[\w.-]+(?:/[\w.-]+)*\.(?:csv|ya?ml|xlsx|ipynb|py|json)\b`?"
)
_SUP_RUN = re.compile(r"[⁰¹²³⁴⁵⁶⁷⁸⁹ᵐʰᵗ]+(?:,\s?[⁰¹²³⁴⁵⁶⁷⁸⁹]+)*")


@dataclass(frozen=True)
class Run:
    """A piece of text in one style; ``sup``: a provenance mark or a note number."""

    text: str
    sup: bool = False
    bold: bool = False
    italic: bool = False


Runs = tuple


@dataclass
class Part:
    """One part of the body: ``heading`` (level 2, 3, 4), ``paragraph``, ``note`` (a remark under
    a table), ``list``, ``table`` or ``image``."""

    type: str
    runs: Runs = ()
    level: int = 0
    items: list = field(default_factory=list)  # list: Runs per item
    header: list = field(default_factory=list)  # table: Runs per column heading
    rows: list = field(default_factory=list)  # table: rows of Runs
    numeric: list = field(default_factory=list)  # table: numbers right-aligned
    caption: str = ""  # table: its caption or its section
    image: bytes = b""


@dataclass
class Official:
    title: str = ""  # the page's title (with its " — unit, period" suffix)
    banner: list = field(default_factory=list)  # Runs per paragraph: the illustrative-data statement
    legend: Runs = ()  # what the marks mean
    opening: list = field(default_factory=list)  # other lines of the title block (a GSO source line)
    key_figures: list = field(default_factory=list)  # (label, Runs of the value)
    body: list = field(default_factory=list)  # Parts
    sources: list = field(default_factory=list)  # Runs per source (the page's "Nguồn số liệu")
    notes: list = field(default_factory=list)  # (number as the page shows it, Runs without the source)
    note_sources: list = field(default_factory=list)  # the sources the notes cite, each once
    data_date: str = ""  # "Số liệu đến năm 2024" (the footer's first part)
    technical: list = field(default_factory=list)  # check code, version, what the check code means
    sections: list = field(default_factory=list)  # every section heading of the report (level 2)


# ---------------------------------------------------------------- runs


def _merge(pieces: list[Run]) -> Runs:
    """Whitespace collapsed as a browser does, across pieces; neighbours of one style joined."""
    out: list[Run] = []
    for r in pieces:
        text = re.sub(r"\s+", " ", r.text)
        if r.sup:
            text = text.strip()
        elif out and out[-1].text.endswith(" ") and text.startswith(" "):
            text = text[1:]
        if not text:
            continue
        if out and (out[-1].sup, out[-1].bold, out[-1].italic) == (r.sup, r.bold, r.italic):
            out[-1] = Run(out[-1].text + text, r.sup, r.bold, r.italic)
        else:
            out.append(Run(text, r.sup, r.bold, r.italic))
    if out:
        out[0] = Run(out[0].text.lstrip(), out[0].sup, out[0].bold, out[0].italic)
        out[-1] = Run(out[-1].text.rstrip(), out[-1].sup, out[-1].bold, out[-1].italic)
    return tuple(r for r in out if r.text)


def runs(el) -> Runs:
    """The text of an HTML element as runs: ``<sup>`` (a mark, a note number) a superscript run,
    ``<strong>``/``<b>`` bold, ``<em>``/``<i>`` italic, ``<q>`` in quotation marks; links are
    plain text (a document has nothing to link to)."""
    pieces: list[Run] = []

    def walk(node, bold: bool, italic: bool) -> None:
        for c in node.children:
            if isinstance(c, NavigableString):
                if type(c) is NavigableString:  # not a comment, doctype or CDATA
                    pieces.append(Run(str(c), bold=bold, italic=italic))
            elif not isinstance(c, Tag) or c.name in ("script", "style", "template"):
                continue
            elif c.name == "sup":
                pieces.append(Run(" ".join(c.get_text("").split()), sup=True))
            elif c.name in ("strong", "b"):
                walk(c, True, italic)
            elif c.name in ("em", "i", "cite"):
                walk(c, bold, True)
            elif c.name == "q":
                pieces.append(Run("“", bold=bold, italic=italic))
                walk(c, bold, italic)
                pieces.append(Run("”", bold=bold, italic=italic))
            elif c.name == "br":
                pieces.append(Run(" ", bold=bold, italic=italic))
            else:
                walk(c, bold, italic)

    if isinstance(el, Tag):
        walk(el, False, False)
    elif el is not None:
        pieces.append(Run(str(el)))
    return _merge(pieces)


def text_runs(text: str) -> Runs:
    """Plain text as runs; marks written as Unicode superscripts (a chart's ``98,1%¹²``, ``4.500ᵐʰ``)
    become superscript runs of plain letters and digits."""
    pieces, at = [], 0
    for m in _SUP_RUN.finditer(text or ""):
        if m.start() > at:
            pieces.append(Run(text[at : m.start()]))
        pieces.append(Run(m.group(0).translate(SUPERSCRIPT), sup=True))
        at = m.end()
    pieces.append(Run((text or "")[at:]))
    return _merge(pieces)


def plain(rs: Runs) -> str:
    """The runs as text, a superscript after its figure as the page's text shows it (no space)."""
    return "".join(r.text for r in rs)


def cited(rs: Runs) -> set[str]:
    """The note numbers the runs refer to (superscripts such as ``14, 15``)."""
    out: set[str] = set()
    for r in rs:
        if r.sup:
            out.update(n for n in re.split(r"[,\s]+", r.text) if n.isdigit())
    return out


# ---------------------------------------------------------------- tables


def table_runs(el: Tag) -> tuple[list, list]:
    """Heading and body rows of an HTML table as runs per cell (the rows :func:`blocks.table_block`
    reads, with their marks)."""
    head = el.find("thead")
    header_row = head.find("tr") if head else el.find("tr")
    header = [runs(c) for c in header_row.find_all(["th", "td"])] if header_row else []
    body_rows = el.find("tbody").find_all("tr") if el.find("tbody") else el.find_all("tr")[1:]
    return header, [[runs(c) for c in tr.find_all(["th", "td"])] for tr in body_rows]


# ---------------------------------------------------------------- notes


def split_source(text: str, pub_id: str) -> tuple[str, str]:
    """``("Bài báo “…” (2024)", "Số liệu P01 (published.csv): …")`` from a footnote that opens with
    its source: ``Bài báo “…” (2024), số liệu P01 (published.csv): …``. ``("", text)`` when the
    note does not name its figure's row."""
    m = re.search(rf",\s+((?:\S+\s+){{0,2}}){re.escape(pub_id)}\b", text) if pub_id else None
    if not m or m.start() == 0:
        return "", text
    rest = text[m.start(1) :].strip()
    return text[: m.start()].strip(), rest[:1].upper() + rest[1:]


def _notes(ol: Tag) -> list[tuple[str, str, str]]:
    """(number, source, text) of every note of a page's ``<ol class="footnotes">``."""
    out = []
    for i, li in enumerate(ol.find_all("li", recursive=False), start=1):
        number = str(li.get("value") or i)
        pub_id = str(li.get("id") or "").removeprefix("fn-")
        source, text = split_source(plain(runs(li)), pub_id)
        out.append((number, source, text))
    return out


# ---------------------------------------------------------------- the document


def _classes(el) -> list[str]:
    return list(el.get("class") or []) if isinstance(el, Tag) else []


def _inside(el, name: str, cls: str) -> bool:
    return isinstance(el, Tag) and (
        (el.name == name and cls in _classes(el)) or el.find_parent(name, class_=cls) is not None
    )


def without_file_names(rs: Runs) -> Runs:
    """The runs without the project's file names (they go to the appendix, never the body)."""
    return _merge([Run(FILE_NAME.sub("", r.text), r.sup, r.bold, r.italic) for r in rs])


def _paragraph_runs(b: Block) -> Runs:
    return runs(b.source) if isinstance(b.source, Tag) else text_runs(b.text)


def _part(b: Block) -> Part | None:
    if b.type == "heading":
        return Part("heading", text_runs(b.text), level=b.level)
    if b.type == "paragraph":
        rs = without_file_names(_paragraph_runs(b))
        if not rs:
            return None
        return Part("note" if "note" in b.note.split() else "paragraph", rs)
    if b.type == "list":
        el = b.source
        if isinstance(el, Tag) and el.name in ("ul", "ol"):
            items = [runs(li) for li in el.find_all("li", recursive=False)]
        else:
            items = [text_runs(t) for t in b.items]
        return Part("list", items=[without_file_names(i) for i in items if i])
    if b.type == "table":
        if isinstance(b.source, Tag) and b.source.name == "table":
            header, rows = table_runs(b.source)
        else:
            header, rows = [text_runs(t) for t in b.header], [[text_runs(t) for t in r] for r in b.rows]
        return Part("table", header=header, rows=rows, numeric=list(b.numeric), caption=b.text or b.note)
    if b.type == "image":
        return Part("image", text_runs(b.text), image=b.image)
    return None


def official(items: list[Block], sections=()) -> Official:
    """The parts of the official document made from a report's blocks (see the module doc).

    ``sections``: keep only the level-2 sections whose heading (or its id, e.g.
    ``ket-qua-phat-trien-kinh-te-xa-hoi``) is named, with their subsections, and the notes
    their text refers to; the key figures are then left out (they belong to the whole report).
    Raises ``LookupError`` naming the sections there are when a name matches none."""
    from baocao.export.issuer import fold

    wanted = {fold(s) for s in sections}
    doc = Official()
    in_body = False
    keep = not wanted
    notes: list[tuple[str, str, str]] = []
    matched: set[str] = set()
    for b in items:
        el = b.source
        if b.type == "title":
            doc.title = doc.title or b.text
            continue
        if b.type == "list" and _inside(el, "ol", "footnotes"):
            notes += _notes(el if el.name == "ol" else el.find_parent("ol"))
            continue
        if b.type == "heading" and _inside(el, "section", "footnotes"):
            continue  # the page's "Chú thích": the notes go to the appendix
        if _inside(el, "details", "sources"):
            if b.type == "list":
                doc.sources += _part(b).items
            continue  # its summary "Nguồn số liệu" heads nothing in the document
        if b.type == "paragraph" and b.note == "footer":
            texts = (
                [p.get_text(" ", strip=True) for p in el.find_all("p")] if isinstance(el, Tag) else [b.text]
            )
            first = texts[0].split(" · ") if texts else []
            doc.data_date = doc.data_date or (first[0] if first else "")
            doc.technical += [*first[1:], *texts[1:]]
            continue
        if b.type == "heading" and b.level <= 2:
            in_body = True
            doc.sections.append(b.text)
            keep = not wanted or fold(b.text) in wanted
            if keep and wanted:
                matched.add(fold(b.text))
        if not in_body:  # the title block and the cards
            classes = b.note.split()
            if b.type == "paragraph" and classes == ["meta"]:
                continue  # "Đơn vị: … (mã 894) · Kỳ báo cáo …": the heading block says who and when
            if b.type == "paragraph" and "banner-illustrative" in classes:
                ps = el.find_all("p") if isinstance(el, Tag) else []
                doc.banner += [runs(p) for p in ps] or [_paragraph_runs(b)]
                continue
            if b.type == "paragraph" and "legend-provenance" in classes:
                doc.legend = _paragraph_runs(b)
                continue
            if b.type == "cards":
                if wanted:
                    continue
                cards = el.select(".card") if isinstance(el, Tag) else []
                if cards:
                    for c in cards:
                        label, value = c.select_one(".label"), c.select_one(".value")
                        doc.key_figures.append((plain(runs(label)), runs(value)))
                else:
                    doc.key_figures += [(label, text_runs(value)) for label, value in b.items]
                continue
            if b.type == "paragraph":
                rs = _paragraph_runs(b)
                if rs:
                    doc.opening.append(rs)
                continue
        if not keep:
            continue
        part = _part(b)
        if part is not None:
            doc.body.append(part)
    missing = sorted(wanted - matched)
    if missing:
        raise LookupError(
            f"no section {missing[0]!r} in this report; its sections: "
            + "; ".join(f"{s} ({fold(s)})" for s in doc.sections)
        )
    if wanted:
        refs: set[str] = set()
        for p in doc.body:
            for rs in [p.runs, *p.items, *p.header, *(c for row in p.rows for c in row)]:
                refs |= cited(rs)
        notes = [n for n in notes if n[0] in refs]
    for _, source, _ in notes:
        if source and source not in doc.note_sources:
            doc.note_sources.append(source)
    many = len(doc.note_sources) > 1
    for number, source, text in notes:
        label = f"[{doc.note_sources.index(source) + 1}] " if many and source else ""
        doc.notes.append((number, text_runs(label + text)))
    return doc
