"""python-docx helpers of the Word documents: a run's font (every script slot set to the
document's font, so no Vietnamese letter falls back), paragraphs with the official spacing, a
rule under a block, the page number, borderless layout tables, column widths."""

from __future__ import annotations

from baocao.export.official_format import FONT, LINE_SPACING, PARA_AFTER


def font(run, size: float | None = None, bold=None, italic=None, sup=False, underline=None) -> None:
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


def para(
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
        font(p.add_run(text), size, bold, italic, underline=underline)
    return p


def runs(p, rs, *, size: float, bold=False, italic=False) -> None:
    """Runs into a paragraph: a superscript run is a mark or a note number, attached to its figure."""
    for r in rs:
        font(p.add_run(r.text), size, bold or r.bold, italic or r.italic, sup=r.sup)


PPR_AFTER_BORDER = (
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


def rule(container, width_mm: float, column_mm: float, after: float = 0) -> None:
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
    ppr.insert_element_before(border, *PPR_AFTER_BORDER)


def page_number(paragraph, size: float) -> None:
    """A PAGE field (Word and LibreOffice compute it)."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    run = paragraph.add_run()
    font(run, size)
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


def no_borders(table) -> None:
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


def widths(table, widths_mm) -> None:
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


def first(cell, align):
    """The first (empty) paragraph of a table cell, set up like :func:`para`'s."""
    from docx.shared import Pt

    p = cell.paragraphs[0]
    p.alignment = align
    p.paragraph_format.space_after = Pt(0)
    p.paragraph_format.line_spacing = LINE_SPACING
    return p
