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
from datetime import date as Date

from baocao.export import docx_kit as dk
from baocao.export.document import Official, Run, plain, text_runs
from baocao.export.issuer import Issuer
from baocao.export.official_format import (
    FONT,
    FORMATS,
    INDENT_MM,
    MARGINS_MM,
    NOTE_PT,
    NUMBER_BLANK,
    PARA_AFTER,
    ROMAN,
    SIGN_SPACE,
    TABLE_PT,
    TEXT_MM,
    WORDS,
    Format,
    text_mm,
    upper,
)
from baocao.io.office_zip import FIXED_TIME, fixed_zip

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
    dk.no_borders(table)
    dk.widths(table, fmt.head_widths)
    left, right = table.rows[0].cells
    p = dk.first(left, center)
    if issuer.parent:
        dk.font(p.add_run(upper(issuer.parent)), fmt.parent_pt, bold=False)
        p = dk.para(left, align=center, after=0)
    body_lines = _body_lines(issuer)
    for i, line in enumerate(body_lines):
        if i:
            p = dk.para(left, align=center, after=0)
        dk.font(p.add_run(line), fmt.body_pt, bold=True)
    if fmt.star:
        dk.para(left, "*", size=fmt.body_pt, align=center, after=0)
    else:
        widest = max(text_mm(line, fmt.body_pt, True) for line in body_lines)
        dk.rule(left, 0.4 * min(widest, fmt.head_widths[0]), fmt.head_widths[0])
    dk.para(
        left,
        f"{fmt.number} {_reference(fmt, issuer)}",
        size=fmt.number_pt,
        align=center,
        before=0 if fmt.star else 6,
        after=0,
    )

    p = dk.first(right, center)
    for i, (text, size, bold) in enumerate(fmt.top_lines):
        if i:
            p = dk.para(right, align=center, after=0)
        dk.font(p.add_run(text), size, bold=bold)
    dk.rule(right, fmt.top_rule_mm, fmt.head_widths[1])
    w = WORDS[lang]
    dk.para(
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
    name = upper(issuer.body)
    for head in ("ỦY BAN NHÂN DÂN ", "BAN TUYÊN GIÁO "):
        if name.startswith(head) and len(name) > len(head):
            return [head.strip(), name[len(head) :]]
    return [name]


def _title(doc, fmt: Format, subject: str, lang: str) -> None:
    from docx.enum.text import WD_ALIGN_PARAGRAPH

    center = WD_ALIGN_PARAGRAPH.CENTER
    dk.para(
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
    dk.para(doc, subject, size=fmt.subject_pt, bold=True, align=center, after=0, keep_next=True)
    if fmt.subject_mark == "dashes":
        dk.para(doc, "-----", size=fmt.subject_pt, align=center, after=12)
    else:
        width = 0.4 * min(text_mm(subject, fmt.subject_pt, True), TEXT_MM)
        dk.rule(doc, width, TEXT_MM, after=12)


def _addressees(doc, fmt: Format, issuer: Issuer) -> None:
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Mm

    if not (fmt.to_word and issuer.to):
        return
    if len(issuer.to) == 1:
        dk.para(
            doc, f"{fmt.to_word} {issuer.to[0]}.", size=fmt.text_pt, align=WD_ALIGN_PARAGRAPH.CENTER, after=12
        )
        return
    p = dk.para(doc, fmt.to_word, size=fmt.text_pt, after=0)
    p.paragraph_format.left_indent = Mm(30)
    for i, name in enumerate(issuer.to):
        end = "." if i == len(issuer.to) - 1 else ";"
        q = dk.para(doc, f"- {name}{end}", size=fmt.text_pt, after=12 if end == "." else 0)
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
        p = dk.para(doc, align=justify, indent_first=INDENT_MM, after=PARA_AFTER)
        dk.runs(p, rs, size=NOTE_PT, italic=True)


def _key_figures(doc, fmt: Format, content: Official, lang: str) -> None:
    from docx.enum.text import WD_ALIGN_PARAGRAPH

    if not content.key_figures:
        return
    dk.para(
        doc,
        WORDS[lang]["key_figures"] + ":",
        size=fmt.text_pt,
        bold=True,
        indent_first=INDENT_MM,
        keep_next=True,
    )
    last = len(content.key_figures) - 1
    for i, (label, value) in enumerate(content.key_figures):
        p = dk.para(doc, align=WD_ALIGN_PARAGRAPH.JUSTIFY, indent_first=INDENT_MM)
        dk.runs(p, (Run(f"- {label}: "), *value, Run("." if i == last else ";")), size=fmt.text_pt)


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
        dk.para(
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
    shown = [[plain(map(_keep_together, c)) for c in r] for r in rows]
    dk.widths(table, _column_widths(shown, cols, TEXT_MM))
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
            p = dk.first(
                cell,
                WD_ALIGN_PARAGRAPH.CENTER
                if r == 0
                else (WD_ALIGN_PARAGRAPH.RIGHT if numeric[i] else WD_ALIGN_PARAGRAPH.LEFT),
            )
            p.paragraph_format.line_spacing = 1.0
            cell_runs = row[i] if i < len(row) else ()
            dk.runs(p, [_keep_together(x) for x in cell_runs], size=TABLE_PT, bold=(r == 0))
    dk.para(doc, after=0, spacing=1.0)


def _body(doc, fmt: Format, content: Official, lang: str) -> None:
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Mm

    center, justify = WD_ALIGN_PARAGRAPH.CENTER, WD_ALIGN_PARAGRAPH.JUSTIFY
    w = WORDS[lang]
    sections = subsections = tables = figures = 0
    for part in content.body:
        if part.type == "heading" and part.level <= 2:
            sections += 1
            subsections = 0
            label = ROMAN[sections - 1] if sections <= len(ROMAN) else str(sections)
            dk.para(
                doc,
                f"{label}. {plain(part.runs).upper()}",
                size=fmt.text_pt,
                bold=True,
                before=6,
                indent_first=INDENT_MM,
                keep_next=True,
                align=justify,
            )
        elif part.type == "heading" and part.level == 3:
            subsections += 1
            dk.para(
                doc,
                f"{subsections}. {plain(part.runs)}",
                size=fmt.text_pt,
                bold=True,
                indent_first=INDENT_MM,
                keep_next=True,
                align=justify,
            )
        elif part.type == "heading":
            dk.para(
                doc,
                plain(part.runs),
                size=fmt.text_pt,
                bold=True,
                italic=True,
                indent_first=INDENT_MM,
                keep_next=True,
            )
        elif part.type in ("paragraph", "note"):
            p = dk.para(doc, align=justify, indent_first=INDENT_MM)
            dk.runs(
                p, part.runs, size=NOTE_PT if part.type == "note" else fmt.text_pt, italic=part.type == "note"
            )
        elif part.type == "list":
            for item in part.items:
                p = dk.para(doc, align=justify, indent_first=INDENT_MM)
                dk.runs(p, (Run("- "), *item), size=fmt.text_pt)
        elif part.type == "table":
            tables += 1
            _table(doc, part, tables, lang)
        elif part.type == "image":
            figures += 1
            p = dk.para(doc, align=center, before=6, after=0, keep_next=True)
            pic = p.add_run().add_picture(io.BytesIO(part.image), width=min(Mm(TEXT_MM), Mm(160)))
            title = plain(part.runs).split(": ", 1)[0]
            pic._inline.docPr.set("descr", plain(part.runs))
            pic._inline.docPr.set("title", title)
            if part.runs:
                cap = dk.para(doc, align=center, after=PARA_AFTER)
                dk.runs(cap, (Run(w["figure"].format(n=figures)), *part.runs), size=TABLE_PT, italic=True)


def _signature(doc, fmt: Format, issuer: Issuer, lang: str) -> None:
    """Recipients (left) and the signature block (right): authority, position, space to sign,
    the signer's name."""
    from docx.enum.text import WD_ALIGN_PARAGRAPH

    center = WD_ALIGN_PARAGRAPH.CENTER
    from docx.oxml import OxmlElement

    table = doc.add_table(rows=1, cols=2)
    dk.no_borders(table)
    dk.widths(table, (75, TEXT_MM - 75))
    table.rows[0]._tr.get_or_add_trPr().append(OxmlElement("w:cantSplit"))  # one block, on one page
    left, right = table.rows[0].cells
    label, size, bold, italic, underline = fmt.recipients_label
    p = dk.first(left, WD_ALIGN_PARAGRAPH.LEFT)
    dk.font(p.add_run(label), size, bold=bold, italic=italic, underline=underline)
    names = ([WORDS[lang]["as_above"]] if fmt.to_word and issuer.to else []) + list(issuer.recipients)
    for i, name in enumerate(names):
        end = fmt.recipients_end[1] if i == len(names) - 1 else fmt.recipients_end[0]
        dk.para(left, f"- {name.rstrip(',;.')}{end}", size=fmt.recipients_pt, after=0, spacing=1.0)

    p = dk.first(right, center)
    lines = [(a, fmt.authority_pt, True) for a in issuer.authority]
    if issuer.position:
        lines.append((issuer.position, fmt.authority_pt, fmt.position_bold))
    for i, (text, size, bold) in enumerate(lines):
        if i:
            p = dk.para(right, align=center, after=0)
        dk.font(p.add_run(upper(text)), size, bold=bold)
    for _ in range(SIGN_SPACE):
        dk.para(right, align=center, after=0)
    dk.para(right, issuer.name, size=fmt.name_pt, bold=True, align=center, after=0)


def _appendix(doc, fmt: Format, issuer: Issuer, content: Official, signed: Date | None, lang: str) -> None:
    """On a new page: sources, notes (each source once), technical lines."""
    from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK

    if not (content.sources or content.notes or content.technical or content.data_date):
        return
    w = WORDS[lang]
    center, justify = WD_ALIGN_PARAGRAPH.CENTER, WD_ALIGN_PARAGRAPH.JUSTIFY
    brk = dk.para(doc, after=0)
    brk.add_run().add_break(WD_BREAK.PAGE)
    dk.para(doc, w["appendix"], size=fmt.text_pt, bold=True, align=center, after=0)
    dk.para(doc, w["appendix_subject"], size=fmt.text_pt, bold=True, align=center, after=0)
    dk.para(
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
        dk.para(
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
            p = dk.para(doc, align=justify, indent_first=INDENT_MM)
            dk.runs(p, (Run("- "), *rs), size=NOTE_PT)
    if content.notes:
        heading(w["notes"])
        if len(content.note_sources) == 1:
            line = w["note_source"].format(source=content.note_sources[0])
        else:
            line = w["note_sources"].format(
                sources="; ".join(f"[{i}] {s}" for i, s in enumerate(content.note_sources, start=1))
            )
        if content.note_sources:
            p = dk.para(doc, align=justify, indent_first=INDENT_MM)
            dk.runs(p, text_runs(line), size=NOTE_PT, italic=True)
        from docx.shared import Mm

        for number, rs in content.notes:
            p = dk.para(doc, align=justify)
            p.paragraph_format.left_indent = Mm(8)
            p.paragraph_format.first_line_indent = Mm(-8)
            dk.runs(p, (Run(f"{number}.\t"), *rs), size=NOTE_PT)
            p.paragraph_format.tab_stops.add_tab_stop(Mm(8))
    technical = [t for t in (content.data_date, *content.technical) if t]
    if technical:
        heading(w["technical"])
        for t in technical:
            dk.para(doc, t, size=NOTE_PT, align=justify, indent_first=INDENT_MM)


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
    dk.page_number(number, fmt.page_pt)
    section.first_page_header.paragraphs[0].text = ""

    full_subject = (f"{subject} {period}" if lang == "vi" else f"{subject}, {period}").strip(" ,")
    _head(doc, fmt, issuer, signed, lang)
    _title(doc, fmt, full_subject, lang)
    _addressees(doc, fmt, issuer)
    _opening(doc, fmt, content, period, signed, lang)
    _key_figures(doc, fmt, content, lang)
    _body(doc, fmt, content, lang)
    last = [p for p in doc.paragraphs if p.text.strip()][-1:]
    for p in [*last, dk.para(doc, after=0)]:  # the signature never stands alone on its page
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
