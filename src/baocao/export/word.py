"""An editable Word report (.docx) in the layout of Nghị định 30/2020/NĐ-CP (python-docx).

The layout of Vietnamese administrative documents (Decree 30/2020/ND-CP, Appendix I):

- A4, Times New Roman 14 pt (tables 12 pt), margins top 20 mm, bottom 20 mm, left 30 mm,
  right 15 mm;
- at the head, a two-column block: the issuing body (its name in capitals, bold, a short line
  under it; the document number below) on the left, the national motto (CỘNG HÒA XÃ HỘI CHỦ
  NGHĨA VIỆT NAM / Độc lập - Tự do - Hạnh phúc, a line under it) and the place and date line
  (italic) on the right;
- the document type (BÁO CÁO) and its subject, centred, bold;
- sections numbered I, II, III (subsections 1, 2, 3), the report's tables as Word tables and
  its charts as pictures;
- page numbers centred in the top margin from page 2 on (the first page has no number);
- the recipients and the signature block at the end, left for the office to fill in.

The date line comes from the plan (``date``) or is left for the office to fill in (``ngày …
tháng … năm 2024``): never from the clock. Document properties and zip times are fixed, so
the same report gives the same bytes.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from datetime import date as Date
from datetime import datetime

from baocao.export.blocks import Block, fixed_zip

FONT = "Times New Roman"
BODY_PT, TABLE_PT, SMALL_PT = 14, 12, 13
MARGINS_MM = {"top": 20, "bottom": 20, "left": 30, "right": 15}
FIXED_TIME = datetime(2000, 1, 1)
ROMAN = ["I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X", "XI", "XII", "XIII", "XIV", "XV"]
MOTTO = ("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc")
WORDS = {
    "vi": {
        "type": "BÁO CÁO",
        "number": "Số:        /BC-{abbr}",
        "date": "{place}, ngày {d} tháng {m} năm {y}",
        "blank_day": "     ",
        "recipients": "Nơi nhận:",
        "recipients_items": ["- Như trên;", "- Lưu: VT."],
        "sign": "CHỦ TỊCH",
        "on_behalf": "TM. {body}",
        "figure": "Hình {n}. {text}",
        "table": "Bảng {n}. {text}",
    },
    "en": {
        "type": "REPORT",
        "number": "No.:        /BC-{abbr}",
        "date": "{place}, {m_name} {d}, {y}",
        "blank_day": "…",
        "recipients": "To:",
        "recipients_items": ["- As above;", "- Archived."],
        "sign": "CHAIRPERSON",
        "on_behalf": "ON BEHALF OF {body}",
        "figure": "Figure {n}. {text}",
        "table": "Table {n}. {text}",
    },
}


@dataclass(frozen=True)
class Heading:
    """Who issues the report, where and when (the head block of the document)."""

    body: str  # "ỦY BAN NHÂN DÂN HUYỆN THOẠI SƠN" — the issuing body, as printed (two lines: parent \n body)
    abbr: str  # "UBND" — for the number line "Số: /BC-UBND"
    place: str  # "Thoại Sơn" — the place in the date line
    date: Date | None = None  # None: "ngày … tháng … năm {year}" left to fill in
    year: int | None = None


def issuer_for(level: str, unit_name: str, unit_short: str, lang: str = "vi") -> Heading:
    """The usual issuing body of a unit's report: its People's Committee (Ủy ban nhân dân)."""
    if level == "country" or not unit_name:
        return Heading("TÊN CƠ QUAN, TỔ CHỨC\nBAN HÀNH VĂN BẢN", "…", "Hà Nội")
    if lang == "vi":
        return Heading(f"ỦY BAN NHÂN DÂN\n{unit_name.upper()}", "UBND", unit_short)
    return Heading(f"PEOPLE'S COMMITTEE OF\n{unit_name.upper()}", "UBND", unit_short)


def _xml_font(run, size: float | None = None, bold: bool | None = None, italic: bool | None = None) -> None:
    from docx.oxml.ns import qn
    from docx.shared import Pt

    run.font.name = FONT
    rpr = run._element.get_or_add_rPr()
    fonts = rpr.get_or_add_rFonts()
    for attr in ("w:ascii", "w:hAnsi", "w:cs", "w:eastAsia"):
        fonts.set(qn(attr), FONT)
    if size:
        run.font.size = Pt(size)
    if bold is not None:
        run.bold = bold
    if italic is not None:
        run.italic = italic


def _para(
    container,
    text: str = "",
    *,
    size: float = BODY_PT,
    bold=False,
    italic=False,
    align=None,
    before: float = 0,
    after: float = 6,
    indent_first: float | None = None,
    keep_next=False,
):
    from docx.shared import Mm, Pt

    p = container.add_paragraph()
    fmt = p.paragraph_format
    fmt.space_before, fmt.space_after = Pt(before), Pt(after)
    if align is not None:
        p.alignment = align
    if indent_first is not None:
        fmt.first_line_indent = Mm(indent_first)
    fmt.keep_with_next = keep_next
    if text:
        _xml_font(p.add_run(text), size, bold, italic)
    return p


_PPR_AFTER_BORDER = (
    "w:shd",
    "w:tabs",
    "w:suppressAutoHyphens",
    "w:kinsoku",
    "w:wordWrap",
    "w:overflowPunct",
    "w:topLinePunct",
    "w:autoSpaceDE",
    "w:autoSpaceDN",
    "w:bidi",
    "w:adjustRightInd",
    "w:snapToGrid",
    "w:spacing",
    "w:ind",
    "w:contextualSpacing",
    "w:mirrorIndents",
    "w:suppressOverlap",
    "w:jc",
    "w:textDirection",
    "w:textAlignment",
    "w:textboxTightWrap",
    "w:outlineLvl",
    "w:divId",
    "w:cnfStyle",
    "w:rPr",
    "w:sectPr",
    "w:pPrChange",
)


def _rule(cell, width_mm: float, column_mm: float) -> None:
    """A short centred horizontal line (under the body name and under the motto): an empty
    paragraph with a top border, indented so that it is ``width_mm`` long."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn
    from docx.shared import Mm, Pt

    p = cell.add_paragraph()
    fmt = p.paragraph_format
    fmt.space_before = fmt.space_after = Pt(0)
    fmt.line_spacing = Pt(2)
    fmt.left_indent = fmt.right_indent = Mm(max(0.0, (column_mm - width_mm) / 2))
    ppr = p._p.get_or_add_pPr()
    border = OxmlElement("w:pBdr")
    top = OxmlElement("w:top")
    for k, v in (("w:val", "single"), ("w:sz", "6"), ("w:space", "1"), ("w:color", "000000")):
        top.set(qn(k), v)
    border.append(top)
    ppr.insert_element_before(border, *_PPR_AFTER_BORDER)


def _page_number(paragraph) -> None:
    """A PAGE field (Word and LibreOffice compute it)."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    run = paragraph.add_run()
    _xml_font(run, SMALL_PT)
    for kind, text in (("begin", None), (None, " PAGE "), ("separate", None), (None, "2"), ("end", None)):
        if kind:
            el = OxmlElement("w:fldChar")
            el.set(qn("w:fldCharType"), kind)
        else:
            el = OxmlElement("w:instrText" if text == " PAGE " else "w:t")
            if text == " PAGE ":
                el.set(qn("xml:space"), "preserve")
            el.text = text
        run._r.append(el)


def _no_borders(table) -> None:
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    tblpr = table._tbl.tblPr
    borders = OxmlElement("w:tblBorders")
    for edge in ("top", "left", "bottom", "right", "insideH", "insideV"):
        el = OxmlElement(f"w:{edge}")
        el.set(qn("w:val"), "nil")
        borders.append(el)
    tblpr.insert_element_before(
        borders, "w:shd", "w:tblLayout", "w:tblCellMar", "w:tblLook", "w:tblCaption", "w:tblDescription"
    )


def _widths(table, widths_mm) -> None:
    """Fixed column widths that Word and LibreOffice both keep (grid, cells and table width)."""
    from docx.oxml.ns import qn
    from docx.shared import Mm

    table.autofit = False
    for col, width in zip(table.columns, widths_mm):
        col.width = Mm(width)
        for cell in col.cells:
            cell.width = Mm(width)
    tblw = table._tbl.tblPr.find(qn("w:tblW"))
    if tblw is not None:
        tblw.set(qn("w:type"), "dxa")
        tblw.set(qn("w:w"), str(int(Mm(sum(widths_mm)).twips)))


def _date_line(head: Heading, lang: str) -> str:
    w = WORDS[lang]
    if head.date is not None:
        d = head.date
        if lang == "vi":
            return w["date"].format(
                place=head.place,
                d=f"{d.day:02d}",
                m=f"{d.month:02d}" if d.month < 3 else str(d.month),
                y=d.year,
            )
        return w["date"].format(place=head.place, m_name=d.strftime("%B"), d=d.day, y=d.year)
    blank = w["blank_day"]
    return w["date"].format(place=head.place, d=blank, m=blank, m_name=blank, y=head.year or blank)


def _head(doc, head: Heading, lang: str) -> None:
    from docx.enum.text import WD_ALIGN_PARAGRAPH

    center = WD_ALIGN_PARAGRAPH.CENTER
    table = doc.add_table(rows=1, cols=2)
    _no_borders(table)
    widths = (62, 103)
    _widths(table, widths)
    left, right = table.rows[0].cells
    lines = head.body.split("\n")
    left.paragraphs[0].alignment = center
    for i, line in enumerate(lines):
        p = left.paragraphs[0] if i == 0 else _para(left, align=center, after=0)
        p.paragraph_format.space_after = 0
        _xml_font(p.add_run(line), SMALL_PT, bold=(i == len(lines) - 1 or len(lines) == 1))
    _rule(left, 25, widths[0])
    _para(left, WORDS[lang]["number"].format(abbr=head.abbr), size=SMALL_PT, align=center, before=6, after=0)
    right.paragraphs[0].alignment = center
    _xml_font(right.paragraphs[0].add_run(MOTTO[0]), 12, bold=True)
    right.paragraphs[0].paragraph_format.space_after = 0
    _para(right, MOTTO[1], size=BODY_PT, bold=True, align=center, after=0)
    _rule(right, 58, widths[1])
    _para(right, _date_line(head, lang), size=BODY_PT, italic=True, align=center, before=6, after=0)


def _column_widths(
    rows: list[list[str]], cols: int, text_mm: float, per_char: float = 2.3, pad: float = 4.0
) -> list[float]:
    """Column widths (mm) filling the text width: no word is broken when that fits, and columns
    with long texts get what is left, in proportion to what they would need on one line."""
    least, want = [], []
    for i in range(cols):
        cells = [row[i] for row in rows if i < len(row)]
        word = max((len(w) for c in cells for w in c.split()), default=1)
        least.append(word * per_char + pad)
        want.append(max(min(max((len(c) for c in cells), default=1), 40) * per_char + pad, least[-1]))
    if sum(want) <= text_mm:
        return [w * text_mm / sum(want) for w in want]
    if sum(least) >= text_mm:
        return [w * text_mm / sum(least) for w in least]
    share = (text_mm - sum(least)) / (sum(want) - sum(least))
    return [lo + (w - lo) * share for lo, w in zip(least, want)]


def _table(doc, block: Block, n: int, lang: str) -> None:
    from docx.enum.table import WD_TABLE_ALIGNMENT
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    caption = block.text or block.note
    if caption:
        _para(
            doc,
            WORDS[lang]["table"].format(n=n, text=caption),
            size=TABLE_PT,
            bold=True,
            align=WD_ALIGN_PARAGRAPH.CENTER,
            before=6,
            after=3,
            keep_next=True,
        )
    cols = max(len(block.header), *(len(r) for r in block.rows)) if block.rows else len(block.header)
    table = doc.add_table(rows=0, cols=cols)
    table.style = doc.styles["Table Grid"]
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    _widths(
        table,
        _column_widths([block.header, *block.rows], cols, 210 - MARGINS_MM["left"] - MARGINS_MM["right"]),
    )
    numeric = block.numeric + [False] * (cols - len(block.numeric))
    for r, row in enumerate([block.header, *block.rows]):
        cells = table.add_row().cells
        tr_pr = table.rows[-1]._tr.get_or_add_trPr()
        cant = OxmlElement("w:cantSplit")
        tr_pr.append(cant)
        if r == 0:
            hdr = OxmlElement("w:tblHeader")  # the heading row repeats on every page
            tr_pr.append(hdr)
            cant.set(qn("w:val"), "true")
        for i, cell in enumerate(cells):
            text = row[i] if i < len(row) else ""
            p = cell.paragraphs[0]
            p.paragraph_format.space_after = 0
            p.alignment = (
                WD_ALIGN_PARAGRAPH.CENTER
                if r == 0
                else (WD_ALIGN_PARAGRAPH.RIGHT if numeric[i] else WD_ALIGN_PARAGRAPH.LEFT)
            )
            _xml_font(p.add_run(text), TABLE_PT, bold=(r == 0))
    _para(doc, after=3)


def _subject(title: str, lang: str) -> str:
    """The subject line under "BÁO CÁO": the title without its leading "Báo cáo" / "Report"."""
    for word in ("Báo cáo ", "Report on ", "Report "):
        if title.startswith(word) and len(title) > len(word):
            rest = title[len(word) :]
            return rest[0].upper() + rest[1:]
    return title


def docx_bytes(items: list[Block], *, title: str, head: Heading, lang: str = "vi") -> bytes:
    """The report as a .docx in the Decree 30 layout (see the module doc)."""
    from docx import Document
    from docx.enum.section import WD_ORIENT
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Mm, Pt

    lang = "vi" if lang == "vi" else "en"
    w = WORDS[lang]
    doc = Document()
    for style_name in ("Normal", "Table Grid"):
        style = doc.styles[style_name]
        style.font.name = FONT
        style.font.size = Pt(BODY_PT)
        rpr = style.element.get_or_add_rPr()
        fonts = rpr.get_or_add_rFonts()
        from docx.oxml.ns import qn

        for attr in ("w:ascii", "w:hAnsi", "w:cs", "w:eastAsia"):
            fonts.set(qn(attr), FONT)
    section = doc.sections[0]
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin, section.bottom_margin = Mm(MARGINS_MM["top"]), Mm(MARGINS_MM["bottom"])
    section.left_margin, section.right_margin = Mm(MARGINS_MM["left"]), Mm(MARGINS_MM["right"])
    section.header_distance, section.footer_distance = Mm(10), Mm(10)
    section.different_first_page_header_footer = True  # no number on page 1
    number = section.header.paragraphs[0]
    number.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _page_number(number)
    section.first_page_header.paragraphs[0].text = ""

    _head(doc, head, lang)
    center, justify = WD_ALIGN_PARAGRAPH.CENTER, WD_ALIGN_PARAGRAPH.JUSTIFY
    _para(doc, w["type"], bold=True, align=center, before=18, after=0, keep_next=True)
    subject = _subject(next((b.text for b in items if b.kind == "title"), title), lang)
    _para(doc, subject, bold=True, align=center, after=12)

    sections = subsections = tables = figures = 0
    text_width = Mm(210 - MARGINS_MM["left"] - MARGINS_MM["right"])
    for b in items:
        if b.kind == "title":
            continue
        if b.kind == "heading" and b.level <= 2:
            sections += 1
            subsections = 0
            label = ROMAN[sections - 1] if sections <= len(ROMAN) else str(sections)
            _para(
                doc,
                f"{label}. {b.text.upper()}",
                bold=True,
                before=6,
                after=6,
                indent_first=10,
                keep_next=True,
                align=justify,
            )
        elif b.kind == "heading" and b.level == 3:
            subsections += 1
            _para(
                doc,
                f"{subsections}. {b.text}",
                bold=True,
                before=6,
                after=6,
                indent_first=10,
                keep_next=True,
                align=justify,
            )
        elif b.kind == "heading":
            _para(doc, b.text, bold=True, italic=True, before=6, after=3, indent_first=10, keep_next=True)
        elif b.kind == "paragraph":
            if not b.text:
                continue
            small = b.note == "footer"
            _para(
                doc,
                b.text,
                size=TABLE_PT if small else BODY_PT,
                italic=small or "banner" in b.note,
                align=justify,
                indent_first=None if small else 10,
                after=6,
            )
        elif b.kind == "list":
            for item in b.items:
                _para(doc, f"- {item}", align=justify, indent_first=10, after=3)
        elif b.kind == "cards":
            for label, value in b.items:
                _para(doc, f"- {label}: {value}", align=justify, indent_first=10, after=3)
        elif b.kind == "table":
            tables += 1
            _table(doc, b, tables, lang)
        elif b.kind == "image":
            figures += 1
            p = _para(doc, align=center, before=6, after=0, keep_next=True)
            p.add_run().add_picture(io.BytesIO(b.image), width=min(text_width, Mm(160)))
            if b.text:
                _para(
                    doc,
                    w["figure"].format(n=figures, text=b.text),
                    size=TABLE_PT,
                    italic=True,
                    align=center,
                    after=6,
                )

    # recipients (left) and signature (right), for the office to complete
    sign = doc.add_table(rows=1, cols=2)
    _no_borders(sign)
    _widths(sign, (80, 85))
    left, right = sign.rows[0].cells
    first = head.body.split("\n")
    _xml_font(left.paragraphs[0].add_run(w["recipients"]), 12, bold=True, italic=True)
    for item in w["recipients_items"]:
        _para(left, item, size=11, after=0)
    right.paragraphs[0].alignment = center
    _xml_font(right.paragraphs[0].add_run(w["on_behalf"].format(body=first[0])), BODY_PT, bold=True)
    _para(right, w["sign"], bold=True, align=center, after=0)

    props = doc.core_properties
    props.title, props.author, props.last_modified_by = title, "baocao", "baocao"
    props.created = props.modified = props.last_printed = FIXED_TIME
    props.revision = 1
    props.comments = ""
    buf = io.BytesIO()
    doc.save(buf)
    return fixed_zip(buf.getvalue())
