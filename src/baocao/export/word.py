"""A report as the official document its issuer files (.docx, python-docx), in one of two formats.

The issuer (:mod:`baocao.export.issuer`) says which format:

- **party** — Hướng dẫn 36-HD/VPTW (2018) of the Party Central Office on the format of party
  documents (under Quy định 66-QĐ/TW, 2017): :data:`PARTY`;
- **state** — Nghị định 30/2020/NĐ-CP, Phụ lục I (the format of administrative documents):
  :data:`STATE`.

Each value of the two :class:`Format` tables names the clause it follows. What both share:
A4 portrait, margins 20/20/30/15 mm, Times New Roman, the body 14 pt justified with the first
line indented 10 mm and 6 pt between paragraphs (both texts: at least 6 pt; lines single to
1.5), page numbers centred in the top margin from page 2 on.

The document, top to bottom: the heading block (issuing body and its number line on the left;
the party's title or the national name and motto, and the place-and-date line, on the right),
the type "BÁO CÁO" and the subject with the mark under it, "Kính gửi" (state, when addressed),
what the report covers and when it was made (never backdated: the date line is the plan's
``date`` or is left to fill in), the illustrative-data statement and the legend of the marks,
the key figures, the sections I, II, III (tables as Word tables, charts as pictures, every
provenance mark and note number a superscript attached to its figure), then the recipients and
the signature block (authority, position, space to sign, the signer's name), and on a new page
the appendix: sources, the numbered notes (each source cited once), the technical lines (data
date, input check code, version — never in the body or before the signature).

Document properties and zip times are fixed, so the same report gives the same bytes.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from datetime import date as Date
from datetime import datetime

from baocao.export.blocks import fixed_zip
from baocao.export.document import Official, Run, plain, text_runs
from baocao.export.issuer import Issuer

FONT = "Times New Roman"
MARGINS_MM = {"top": 20, "bottom": 20, "left": 30, "right": 15}  # ND 30 PL I §I.5; HD 36 §III
TEXT_MM = 210 - MARGINS_MM["left"] - MARGINS_MM["right"]
INDENT_MM = 10  # first line of a paragraph: ND 30 PL I §II.6 "1 cm đến 1,27 cm"
PARA_AFTER = 6  # pt between paragraphs: "tối thiểu là 6pt" (ND 30 PL I §II.6; HD 36)
LINE_SPACING = 1.15  # lines: "tối thiểu là dòng đơn, tối đa là 1,5 lines"
TABLE_PT, NOTE_PT = 12, 13
SIGN_SPACE = 4  # empty lines left for the signature and the seal
FIXED_TIME = datetime(2000, 1, 1)
ROMAN = ["I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X", "XI", "XII", "XIII", "XIV", "XV"]


@dataclass(frozen=True)
class Format:
    """Fonts, sizes and marks of one system's documents (pt; each from the clause in its comment)."""

    system: str
    rule: str  # the text the format follows, for the document properties
    head_widths: tuple  # mm: the heading block's two columns
    parent_pt: float  # the parent body: caps, upright, not bold
    body_pt: float  # the issuing body: caps, bold
    star: bool  # "*" under the issuing body (party) instead of a line (state)
    number: str  # the number line's word ("Số", "Số:")
    reference: str  # the number and sign, the number left blank for the office: "{blank}-BC/{abbr}"
    number_pt: float
    top_lines: tuple  # (text, pt, bold) at the top right
    top_rule_mm: float  # the line under them: as long as the last of them
    date_pt: float  # place and date, italic
    type_pt: float  # "BÁO CÁO": caps, bold
    subject_pt: float  # the subject: bold
    subject_lower: bool  # the subject starts in lower case ("kết quả …") after the type
    subject_mark: str  # "dashes" (-----) or "line" (1/3–1/2 of the subject's line)
    text_pt: float  # the body text
    to_word: str  # "Kính gửi:"; "" when the system's reports have none
    authority_pt: float  # T/M, TM., KT. …: caps, bold
    position_bold: bool
    name_pt: float  # the signer's name: bold
    recipients_label: tuple  # ("Nơi nhận:", pt, bold, italic, underline)
    recipients_pt: float
    recipients_end: tuple  # punctuation after each recipient, after the last one
    page_pt: float  # page numbers


PARTY = Format(
    system="party",
    rule="Hướng dẫn 36-HD/VPTW (2018), Quy định 66-QĐ/TW (2017)",
    head_widths=(75, TEXT_MM - 75),
    parent_pt=14,  # HD 36 PL 3, 2: tên cơ quan cấp trên trực tiếp — in hoa, 14, đứng
    body_pt=14,  # HD 36 PL 3, 2: tên cơ quan ban hành — in hoa, 14, đứng, đậm
    star=True,  # HD 36 (its own heading: "VĂN PHÒNG / *"): dấu sao dưới tên cơ quan ban hành
    number="Số",  # HD 36 PL 3, 3: "Số 127-QĐ/TW" — in thường, 14, đứng (no colon)
    reference="{blank}-BC/{abbr}",  # HD 36: số và ký hiệu nối bằng gạch ngang: "-BC/HU"
    number_pt=14,
    top_lines=(("ĐẢNG CỘNG SẢN VIỆT NAM", 15, True),),  # HD 36 PL 3, 1: in hoa, 15, đứng, đậm
    top_rule_mm=72.9,  # HD 36 §II.1.1.2: đường kẻ ngang nét liền, dài bằng tiêu đề (measured, 15 pt bold)
    date_pt=14,  # HD 36 PL 3, 4: in thường, 14, nghiêng
    type_pt=16,  # HD 36 PL 3, 5: tên loại — in hoa, 15-16, đứng, đậm
    subject_pt=14,  # HD 36 PL 3, 5: trích yếu — in thường, 14-15, đứng, đậm ("về quy hoạch …")
    subject_lower=True,
    subject_mark="dashes",  # HD 36: dưới trích yếu có năm dấu gạch nối (-----)
    text_pt=14,  # HD 36 PL 3, 6: nội dung — in thường, 14-15, đứng
    to_word="",  # a party report has no "Kính gửi" (HD 36: only công văn, tờ trình)
    authority_pt=14,  # HD 36: quyền hạn (T/M, K/T …) — in hoa, 14, đứng, đậm
    position_bold=False,  # HD 36: chức vụ — in hoa, 14, đứng
    name_pt=14,  # HD 36: họ tên — in thường, 14, đứng, đậm
    recipients_label=("Nơi nhận:", 14, False, False, True),  # HD 36: "Nơi nhận:" — 14, đứng, gạch chân
    recipients_pt=12,  # HD 36: tên cơ quan nhận — in thường, 12, đứng
    recipients_end=(",", "."),  # HD 36: each line ends with a comma, the last ("Lưu …") with a full stop
    page_pt=14,  # HD 36: số trang — chữ số Ả Rập, 14, giữa lề trên, từ trang 2
)

STATE = Format(
    system="state",
    rule="Nghị định 30/2020/NĐ-CP, Phụ lục I",
    head_widths=(62, TEXT_MM - 62),
    parent_pt=13,  # ND 30 PL I §II.2: tên cơ quan chủ quản — in hoa, 12-13, đứng
    body_pt=13,  # ND 30 PL I §II.2: tên cơ quan ban hành — in hoa, 12-13, đứng, đậm; dưới có đường kẻ
    star=False,
    number="Số:",  # ND 30 PL I §II.3: "Số:" in thường, ký hiệu in hoa, 13, đứng
    reference="{blank}/BC-{abbr}",  # ND 30 PL I §II.3: số/ký hiệu ("/BC-UBND")
    number_pt=13,
    top_lines=(
        ("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", 12, True),  # ND 30 PL I §II.1: in hoa, 12-13, đứng, đậm
        ("Độc lập - Tự do - Hạnh phúc", 13, True),  # ND 30 PL I §II.1: in thường, 13-14, đứng, đậm
    ),
    top_rule_mm=56.1,  # ND 30 PL I §II.1: đường kẻ ngang nét liền, dài bằng dòng tiêu ngữ (13 pt bold)
    date_pt=14,  # ND 30 PL I §II.4: in thường, 13-14, nghiêng
    type_pt=14,  # ND 30 PL I §II.5: tên loại — in hoa, 13-14, đứng, đậm
    subject_pt=14,  # ND 30 PL I §II.5: trích yếu — in thường, 13-14, đứng, đậm
    subject_lower=False,
    subject_mark="line",  # ND 30 PL I §II.5: đường kẻ ngang nét liền, 1/3 đến 1/2 dòng chữ
    text_pt=14,  # ND 30 PL I §II.6: nội dung — in thường, 13-14, đứng
    to_word="Kính gửi:",  # ND 30 PL I §II.6, Mẫu 1.5: "Kính gửi" — in thường, 14, đứng
    authority_pt=14,  # ND 30 PL I §II.7: TM., KT. … và chức vụ — in hoa, 13-14, đứng, đậm
    position_bold=True,
    name_pt=14,  # ND 30 PL I §II.7: họ tên — in thường, 13-14, đứng, đậm
    recipients_label=("Nơi nhận:", 12, True, True, False),  # ND 30 PL I §II.9: 12, nghiêng, đậm
    recipients_pt=11,  # ND 30 PL I §II.9: tên cơ quan nhận — in thường, 11, đứng
    recipients_end=(";", "."),  # ND 30 PL I §II.9: mỗi dòng kết thúc bằng dấu chấm phẩy, dòng cuối dấu chấm
    page_pt=14,  # ND 30 PL I §I.6: số trang — 13-14, đứng, giữa lề trên, không hiển thị trang đầu
)

FORMATS = {"party": PARTY, "state": STATE}

WORDS = {
    "vi": {
        "type": "BÁO CÁO",
        "date": "{place}, ngày {d} tháng {m} năm {y}",
        "blank": "…",
        "figure": "Hình {n}. ",
        "table": "Bảng {n}. {text}",
        "key_figures": "Một số chỉ tiêu chủ yếu",
        "period": "Kỳ báo cáo: {period}",
        "made": "lập ngày {d} tháng {m} năm {y}",
        "cites": "Số liệu đã công bố dẫn theo: {sources}",
        "appendix": "PHỤ LỤC",
        "appendix_subject": "Nguồn số liệu, chú thích và thông tin kỹ thuật",
        "attached": "(Kèm theo Báo cáo số {number} ngày {d} tháng {m} năm {y} của {body})",
        "sources": "Nguồn số liệu",
        "notes": "Chú thích",
        "note_source": "Nguồn: {source}.",
        "note_sources": "Nguồn: {sources}.",
        "technical": "Thông tin kỹ thuật",
        "as_above": "Như trên",
    },
    "en": {
        "type": "REPORT",
        "date": "{place}, {m_name} {d}, {y}",
        "blank": "…",
        "figure": "Figure {n}. ",
        "table": "Table {n}. {text}",
        "key_figures": "Key figures",
        "period": "Reporting period: {period}",
        "made": "made on {m_name} {d}, {y}",
        "cites": "Published figures cited from: {sources}",
        "appendix": "APPENDIX",
        "appendix_subject": "Sources, notes and technical information",
        "attached": "(Attached to Report No. {number} of {m_name} {d}, {y} of {body})",
        "sources": "Sources",
        "notes": "Notes",
        "note_source": "Source: {source}.",
        "note_sources": "Sources: {sources}.",
        "technical": "Technical information",
        "as_above": "As above",
    },
}
NUMBER_BLANK = "      "  # the number, filled in by the office when it registers the report


def _upper(text: str) -> str:
    return text.upper()


def _text_mm(text: str, pt: float, bold: bool) -> float:
    """An estimate of a line's width in Times New Roman (its metrics: Liberation Serif)."""
    em = 0.0
    for c in text:
        if c == " ":
            em += 0.25
        elif c.isupper():
            em += 0.70 if bold else 0.66
        elif c.isdigit():
            em += 0.5
        else:
            em += 0.49 if bold else 0.46
    return em * pt * 25.4 / 72


# ---------------------------------------------------------------- python-docx helpers


def _font(run, size: float | None = None, bold=None, italic=None, sup=False, underline=None) -> None:
    from docx.oxml.ns import qn
    from docx.shared import Pt

    run.font.name = FONT
    fonts = run._element.get_or_add_rPr().get_or_add_rFonts()
    for attr in ("w:ascii", "w:hAnsi", "w:cs", "w:eastAsia"):
        fonts.set(qn(attr), FONT)
    if size:
        run.font.size = Pt(size)
    if bold is not None:
        run.bold = bold
    if italic is not None:
        run.italic = italic
    if underline is not None:
        run.underline = underline
    if sup:
        run.font.superscript = True


def _para(
    container,
    text: str = "",
    *,
    size: float = 14,
    bold=False,
    italic=False,
    align=None,
    before: float = 0,
    after: float = PARA_AFTER,
    indent_first: float | None = None,
    keep_next=False,
    underline=None,
    spacing: float | None = LINE_SPACING,
):
    from docx.shared import Mm, Pt

    p = container.add_paragraph()
    fmt = p.paragraph_format
    fmt.space_before, fmt.space_after = Pt(before), Pt(after)
    if spacing is not None:
        fmt.line_spacing = spacing
    if align is not None:
        p.alignment = align
    if indent_first is not None:
        fmt.first_line_indent = Mm(indent_first)
    fmt.keep_with_next = keep_next
    if text:
        _font(p.add_run(text), size, bold, italic, underline=underline)
    return p


def _runs(p, rs, *, size: float, bold=False, italic=False) -> None:
    """Runs into a paragraph: a superscript run is a mark or a note number, attached to its figure."""
    for r in rs:
        _font(p.add_run(r.text), size, bold or r.bold, italic or r.italic, sup=r.sup)


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


def _rule(container, width_mm: float, column_mm: float, after: float = 0) -> None:
    """A short centred solid line (under the motto, the body's name, the subject): an empty
    paragraph with a top border, indented so that it is ``width_mm`` long."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn
    from docx.shared import Mm, Pt

    p = container.add_paragraph()
    fmt = p.paragraph_format
    fmt.space_before, fmt.space_after = Pt(3), Pt(after)  # below the descenders of the line above
    fmt.line_spacing = Pt(2)
    fmt.left_indent = fmt.right_indent = Mm(max(0.0, (column_mm - width_mm) / 2))
    ppr = p._p.get_or_add_pPr()
    border = OxmlElement("w:pBdr")
    top = OxmlElement("w:top")
    for k, v in (("w:val", "single"), ("w:sz", "6"), ("w:space", "1"), ("w:color", "000000")):
        top.set(qn(k), v)
    border.append(top)
    ppr.insert_element_before(border, *_PPR_AFTER_BORDER)


def _page_number(paragraph, size: float) -> None:
    """A PAGE field (Word and LibreOffice compute it)."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    run = paragraph.add_run()
    _font(run, size)
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


def _first(cell, align):
    """The first (empty) paragraph of a table cell, set up like :func:`_para`'s."""
    from docx.shared import Pt

    p = cell.paragraphs[0]
    p.alignment = align
    p.paragraph_format.space_after = Pt(0)
    p.paragraph_format.line_spacing = LINE_SPACING
    return p


# ---------------------------------------------------------------- the parts


def date_parts(signed: Date | None, lang: str) -> dict:
    """``d``, ``m``, ``y``, ``m_name`` of the date line; blanks when there is no date (the office
    fills them in: never the clock, never the report's year)."""
    if signed is None:
        b = WORDS[lang]["blank"]
        return {"d": b, "m": b, "y": b, "m_name": b}
    return {
        "d": f"{signed.day:02d}" if lang == "vi" else str(signed.day),
        "m": f"{signed.month:02d}" if signed.month < 3 else str(signed.month),  # ND 30: 01, 02, 3 … 12
        "y": str(signed.year),
        "m_name": signed.strftime("%B"),
    }


def _reference(fmt: Format, issuer: Issuer) -> str:
    return fmt.reference.format(blank=NUMBER_BLANK, abbr=issuer.abbr)


def _head(doc, fmt: Format, issuer: Issuer, signed: Date | None, lang: str) -> None:
    from docx.enum.text import WD_ALIGN_PARAGRAPH

    center = WD_ALIGN_PARAGRAPH.CENTER
    table = doc.add_table(rows=1, cols=2)
    _no_borders(table)
    _widths(table, fmt.head_widths)
    left, right = table.rows[0].cells
    p = _first(left, center)
    if issuer.parent:
        _font(p.add_run(_upper(issuer.parent)), fmt.parent_pt, bold=False)
        p = _para(left, align=center, after=0)
    body_lines = _body_lines(issuer)
    for i, line in enumerate(body_lines):
        if i:
            p = _para(left, align=center, after=0)
        _font(p.add_run(line), fmt.body_pt, bold=True)
    if fmt.star:
        _para(left, "*", size=fmt.body_pt, align=center, after=0)
    else:
        widest = max(_text_mm(line, fmt.body_pt, True) for line in body_lines)
        _rule(left, 0.4 * min(widest, fmt.head_widths[0]), fmt.head_widths[0])
    _para(
        left,
        f"{fmt.number} {_reference(fmt, issuer)}",
        size=fmt.number_pt,
        align=center,
        before=0 if fmt.star else 6,
        after=0,
    )

    p = _first(right, center)
    for i, (text, size, bold) in enumerate(fmt.top_lines):
        if i:
            p = _para(right, align=center, after=0)
        _font(p.add_run(text), size, bold=bold)
    _rule(right, fmt.top_rule_mm, fmt.head_widths[1])
    w = WORDS[lang]
    _para(
        right,
        w["date"].format(place=issuer.place, **date_parts(signed, lang)),
        size=fmt.date_pt,
        italic=True,
        align=center,
        before=6,
        after=0,
    )


def _body_lines(issuer: Issuer) -> list[str]:
    """The issuing body in capitals, "ỦY BAN NHÂN DÂN" on a line of its own (as People's
    Committees print it) and any other name on one line."""
    name = _upper(issuer.body)
    for head in ("ỦY BAN NHÂN DÂN ", "BAN TUYÊN GIÁO "):
        if name.startswith(head) and len(name) > len(head):
            return [head.strip(), name[len(head) :]]
    return [name]


def _title(doc, fmt: Format, subject: str, lang: str) -> None:
    from docx.enum.text import WD_ALIGN_PARAGRAPH

    center = WD_ALIGN_PARAGRAPH.CENTER
    _para(
        doc,
        WORDS[lang]["type"],
        size=fmt.type_pt,
        bold=True,
        align=center,
        before=18,
        after=0,
        keep_next=True,
    )
    if fmt.subject_lower and lang == "vi":
        subject = subject[:1].lower() + subject[1:]
    _para(doc, subject, size=fmt.subject_pt, bold=True, align=center, after=0, keep_next=True)
    if fmt.subject_mark == "dashes":
        _para(doc, "-----", size=fmt.subject_pt, align=center, after=12)
    else:
        width = 0.4 * min(_text_mm(subject, fmt.subject_pt, True), TEXT_MM)
        _rule(doc, width, TEXT_MM, after=12)


def _addressees(doc, fmt: Format, issuer: Issuer) -> None:
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Mm

    if not (fmt.to_word and issuer.to):
        return
    if len(issuer.to) == 1:
        _para(
            doc, f"{fmt.to_word} {issuer.to[0]}.", size=fmt.text_pt, align=WD_ALIGN_PARAGRAPH.CENTER, after=12
        )
        return
    p = _para(doc, fmt.to_word, size=fmt.text_pt, after=0)
    p.paragraph_format.left_indent = Mm(30)
    for i, name in enumerate(issuer.to):
        end = "." if i == len(issuer.to) - 1 else ";"
        q = _para(doc, f"- {name}{end}", size=fmt.text_pt, after=12 if end == "." else 0)
        q.paragraph_format.left_indent = Mm(50)


def _opening(doc, fmt: Format, content: Official, period: str, signed: Date | None, lang: str) -> None:
    """What the report covers and when it was made, which sources it cites, the illustrative-data
    statement and the marks' legend: italic, before the first section."""
    from docx.enum.text import WD_ALIGN_PARAGRAPH

    w = WORDS[lang]
    justify = WD_ALIGN_PARAGRAPH.JUSTIFY
    first = w["period"].format(period=period)
    if content.data_date:
        first += f" ({content.data_date[:1].lower()}{content.data_date[1:]})"
    if signed is not None:
        first += "; " + w["made"].format(**date_parts(signed, lang))
    lines = [text_runs(first + ".")]
    if content.note_sources:
        lines.append(text_runs(w["cites"].format(sources="; ".join(content.note_sources)) + "."))
    lines += [*content.opening, *content.banner]
    if content.legend:
        lines.append(content.legend)
    for rs in lines:
        p = _para(doc, align=justify, indent_first=INDENT_MM, after=PARA_AFTER)
        _runs(p, rs, size=NOTE_PT, italic=True)


def _key_figures(doc, fmt: Format, content: Official, lang: str) -> None:
    from docx.enum.text import WD_ALIGN_PARAGRAPH

    if not content.key_figures:
        return
    _para(
        doc,
        WORDS[lang]["key_figures"] + ":",
        size=fmt.text_pt,
        bold=True,
        indent_first=INDENT_MM,
        keep_next=True,
    )
    last = len(content.key_figures) - 1
    for i, (label, value) in enumerate(content.key_figures):
        p = _para(doc, align=WD_ALIGN_PARAGRAPH.JUSTIFY, indent_first=INDENT_MM)
        _runs(p, (Run(f"- {label}: "), *value, Run("." if i == last else ";")), size=fmt.text_pt)


def _column_widths(rows: list[list[str]], cols: int, text_mm: float, per_char=2.3, pad=4.0) -> list[float]:
    """Column widths (mm) filling the text width: no word is broken when that fits, and columns
    with long texts in their body rows get what is left, in proportion to what they would need
    on one line (a long heading wraps rather than widen its column). ``rows[0]``: the headings."""
    least, want = [], []
    for i in range(cols):
        cells = [row[i] for row in rows if i < len(row)]
        body = [row[i] for row in rows[1:] if i < len(row)] or cells
        word = max((len(w) for c in cells for w in c.split(" ")), default=1)
        least.append(word * per_char + pad)
        want.append(max(min(max((len(c) for c in body), default=1), 40) * per_char + pad, least[-1]))
    if sum(want) <= text_mm:
        return [w * text_mm / sum(want) for w in want]
    if sum(least) >= text_mm:
        return [w * text_mm / sum(least) for w in least]
    share = (text_mm - sum(least)) / (sum(want) - sum(least))
    return [lo + (w - lo) * share for lo, w in zip(least, want)]


def _keep_together(r: Run) -> Run:
    """ "≥ 95%" on one line: a no-break space after a comparison sign."""
    return Run(r.text.replace("≥ ", "≥\u00a0").replace("≤ ", "≤\u00a0"), r.sup, r.bold, r.italic)


def _table(doc, part, n: int, lang: str) -> None:
    from docx.enum.table import WD_TABLE_ALIGNMENT
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    if part.caption:
        _para(
            doc,
            WORDS[lang]["table"].format(n=n, text=part.caption),
            size=TABLE_PT,
            bold=True,
            align=WD_ALIGN_PARAGRAPH.CENTER,
            before=6,
            after=3,
            keep_next=True,
        )
    rows = [part.header, *part.rows]
    cols = max(len(r) for r in rows) if rows else 0
    if not cols:
        return
    table = doc.add_table(rows=0, cols=cols)
    table.style = doc.styles["Table Grid"]
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    _widths(table, _column_widths([[plain(map(_keep_together, c)) for c in r] for r in rows], cols, TEXT_MM))
    numeric = list(part.numeric) + [False] * (cols - len(part.numeric))
    for r, row in enumerate(rows):
        cells = table.add_row().cells
        tr_pr = table.rows[-1]._tr.get_or_add_trPr()
        cant = OxmlElement("w:cantSplit")
        tr_pr.append(cant)
        if r == 0:
            hdr = OxmlElement("w:tblHeader")  # the heading row repeats on every page
            tr_pr.append(hdr)
            cant.set(qn("w:val"), "true")
        for i, cell in enumerate(cells):
            p = _first(
                cell,
                WD_ALIGN_PARAGRAPH.CENTER
                if r == 0
                else (WD_ALIGN_PARAGRAPH.RIGHT if numeric[i] else WD_ALIGN_PARAGRAPH.LEFT),
            )
            p.paragraph_format.line_spacing = 1.0
            cell_runs = row[i] if i < len(row) else ()
            _runs(p, [_keep_together(x) for x in cell_runs], size=TABLE_PT, bold=(r == 0))
    _para(doc, after=0, spacing=1.0)


def _body(doc, fmt: Format, content: Official, lang: str) -> None:
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Mm

    center, justify = WD_ALIGN_PARAGRAPH.CENTER, WD_ALIGN_PARAGRAPH.JUSTIFY
    w = WORDS[lang]
    sections = subsections = tables = figures = 0
    for part in content.body:
        if part.kind == "heading" and part.level <= 2:
            sections += 1
            subsections = 0
            label = ROMAN[sections - 1] if sections <= len(ROMAN) else str(sections)
            _para(
                doc,
                f"{label}. {plain(part.runs).upper()}",
                size=fmt.text_pt,
                bold=True,
                before=6,
                indent_first=INDENT_MM,
                keep_next=True,
                align=justify,
            )
        elif part.kind == "heading" and part.level == 3:
            subsections += 1
            _para(
                doc,
                f"{subsections}. {plain(part.runs)}",
                size=fmt.text_pt,
                bold=True,
                indent_first=INDENT_MM,
                keep_next=True,
                align=justify,
            )
        elif part.kind == "heading":
            _para(
                doc,
                plain(part.runs),
                size=fmt.text_pt,
                bold=True,
                italic=True,
                indent_first=INDENT_MM,
                keep_next=True,
            )
        elif part.kind in ("paragraph", "note"):
            p = _para(doc, align=justify, indent_first=INDENT_MM)
            _runs(
                p, part.runs, size=NOTE_PT if part.kind == "note" else fmt.text_pt, italic=part.kind == "note"
            )
        elif part.kind == "list":
            for item in part.items:
                p = _para(doc, align=justify, indent_first=INDENT_MM)
                _runs(p, (Run("- "), *item), size=fmt.text_pt)
        elif part.kind == "table":
            tables += 1
            _table(doc, part, tables, lang)
        elif part.kind == "image":
            figures += 1
            p = _para(doc, align=center, before=6, after=0, keep_next=True)
            pic = p.add_run().add_picture(io.BytesIO(part.image), width=min(Mm(TEXT_MM), Mm(160)))
            title = plain(part.runs).split(": ", 1)[0]
            pic._inline.docPr.set("descr", plain(part.runs))
            pic._inline.docPr.set("title", title)
            if part.runs:
                cap = _para(doc, align=center, after=PARA_AFTER)
                _runs(cap, (Run(w["figure"].format(n=figures)), *part.runs), size=TABLE_PT, italic=True)


def _signature(doc, fmt: Format, issuer: Issuer, lang: str) -> None:
    """Recipients (left) and the signature block (right): authority, position, space to sign,
    the signer's name."""
    from docx.enum.text import WD_ALIGN_PARAGRAPH

    center = WD_ALIGN_PARAGRAPH.CENTER
    from docx.oxml import OxmlElement

    table = doc.add_table(rows=1, cols=2)
    _no_borders(table)
    _widths(table, (75, TEXT_MM - 75))
    table.rows[0]._tr.get_or_add_trPr().append(OxmlElement("w:cantSplit"))  # one block, on one page
    left, right = table.rows[0].cells
    label, size, bold, italic, underline = fmt.recipients_label
    p = _first(left, WD_ALIGN_PARAGRAPH.LEFT)
    _font(p.add_run(label), size, bold=bold, italic=italic, underline=underline)
    names = ([WORDS[lang]["as_above"]] if fmt.to_word and issuer.to else []) + list(issuer.recipients)
    for i, name in enumerate(names):
        end = fmt.recipients_end[1] if i == len(names) - 1 else fmt.recipients_end[0]
        _para(left, f"- {name.rstrip(',;.')}{end}", size=fmt.recipients_pt, after=0, spacing=1.0)

    p = _first(right, center)
    lines = [(a, fmt.authority_pt, True) for a in issuer.authority]
    if issuer.position:
        lines.append((issuer.position, fmt.authority_pt, fmt.position_bold))
    for i, (text, size, bold) in enumerate(lines):
        if i:
            p = _para(right, align=center, after=0)
        _font(p.add_run(_upper(text)), size, bold=bold)
    for _ in range(SIGN_SPACE):
        _para(right, align=center, after=0)
    _para(right, issuer.name, size=fmt.name_pt, bold=True, align=center, after=0)


def _appendix(doc, fmt: Format, issuer: Issuer, content: Official, signed: Date | None, lang: str) -> None:
    """On a new page: sources, notes (each source once), technical lines."""
    from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK

    if not (content.sources or content.notes or content.technical or content.data_date):
        return
    w = WORDS[lang]
    center, justify = WD_ALIGN_PARAGRAPH.CENTER, WD_ALIGN_PARAGRAPH.JUSTIFY
    brk = _para(doc, after=0)
    brk.add_run().add_break(WD_BREAK.PAGE)
    _para(doc, w["appendix"], size=fmt.text_pt, bold=True, align=center, after=0)
    _para(doc, w["appendix_subject"], size=fmt.text_pt, bold=True, align=center, after=0)
    _para(
        doc,
        w["attached"].format(number=_reference(fmt, issuer), body=issuer.body, **date_parts(signed, lang)),
        size=fmt.text_pt,
        italic=True,
        align=center,
        after=12,
    )
    n = 0

    def heading(text: str) -> None:
        nonlocal n
        n += 1
        _para(
            doc,
            f"{ROMAN[n - 1]}. {text.upper()}",
            size=fmt.text_pt,
            bold=True,
            indent_first=INDENT_MM,
            keep_next=True,
        )

    if content.sources:
        heading(w["sources"])
        for rs in content.sources:
            p = _para(doc, align=justify, indent_first=INDENT_MM)
            _runs(p, (Run("- "), *rs), size=NOTE_PT)
    if content.notes:
        heading(w["notes"])
        if len(content.note_sources) == 1:
            line = w["note_source"].format(source=content.note_sources[0])
        else:
            line = w["note_sources"].format(
                sources="; ".join(f"[{i}] {s}" for i, s in enumerate(content.note_sources, start=1))
            )
        if content.note_sources:
            p = _para(doc, align=justify, indent_first=INDENT_MM)
            _runs(p, text_runs(line), size=NOTE_PT, italic=True)
        from docx.shared import Mm

        for number, rs in content.notes:
            p = _para(doc, align=justify)
            p.paragraph_format.left_indent = Mm(8)
            p.paragraph_format.first_line_indent = Mm(-8)
            _runs(p, (Run(f"{number}.\t"), *rs), size=NOTE_PT)
            p.paragraph_format.tab_stops.add_tab_stop(Mm(8))
    technical = [t for t in (content.data_date, *content.technical) if t]
    if technical:
        heading(w["technical"])
        for t in technical:
            _para(doc, t, size=NOTE_PT, align=justify, indent_first=INDENT_MM)


def docx_bytes(
    content: Official,
    *,
    issuer: Issuer,
    subject: str,
    period: str,
    signed: Date | None = None,
    lang: str = "vi",
) -> bytes:
    """The official document (see the module doc). ``subject``: its trích yếu without the
    period, e.g. "Kết quả học tập và làm theo …"; ``period``: "năm 2024", "giai đoạn 2022–2024";
    ``signed``: the plan's date, or None to leave the date line to the office."""
    from docx import Document
    from docx.enum.section import WD_ORIENT
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.oxml.ns import qn
    from docx.shared import Mm, Pt

    lang = "vi" if lang == "vi" else "en"
    fmt = FORMATS[issuer.system]
    doc = Document()
    for style_name in ("Normal", "Table Grid"):
        style = doc.styles[style_name]
        style.font.name = FONT
        style.font.size = Pt(fmt.text_pt)
        fonts = style.element.get_or_add_rPr().get_or_add_rFonts()
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
    _page_number(number, fmt.page_pt)
    section.first_page_header.paragraphs[0].text = ""

    full_subject = (f"{subject} {period}" if lang == "vi" else f"{subject}, {period}").strip(" ,")
    _head(doc, fmt, issuer, signed, lang)
    _title(doc, fmt, full_subject, lang)
    _addressees(doc, fmt, issuer)
    _opening(doc, fmt, content, period, signed, lang)
    _key_figures(doc, fmt, content, lang)
    _body(doc, fmt, content, lang)
    last = [p for p in doc.paragraphs if p.text.strip()][-1:]
    for p in [*last, _para(doc, after=0)]:  # the signature never stands alone on its page
        p.paragraph_format.keep_with_next = True
    _signature(doc, fmt, issuer, lang)
    _appendix(doc, fmt, issuer, content, signed, lang)

    props = doc.core_properties
    props.title = full_subject
    props.subject = fmt.rule
    props.author = props.last_modified_by = issuer.body
    props.comments = " · ".join(t for t in (content.data_date, *content.technical[:2]) if t)
    props.keywords = ""
    props.created = props.modified = props.last_printed = FIXED_TIME
    props.revision = 1
    buf = io.BytesIO()
    doc.save(buf)
    return fixed_zip(buf.getvalue())
