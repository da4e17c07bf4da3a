"""Every table of a report in one Excel workbook (openpyxl), one sheet per table.

Numbers are real numbers in the cells (``17.939`` is the number 17939 shown as ``17.939`` in a
Vietnamese Excel, ``99,34%`` is 99.34 with a ``%`` in its number format), not text; anything
else (``≥ 98%``, ``3/17``, ``đạt``) stays text. The workbook has fixed properties and zip
times: the same report gives the same bytes.
"""

from __future__ import annotations

import io
import re
from datetime import datetime

from baocao.export.blocks import Block, fixed_zip, number

FIXED_TIME = datetime(2000, 1, 1)
WORDS = {
    "vi": {"sheet": "Bảng {n}", "contents": "Mục lục", "table": "Bảng", "title": "Tiêu đề"},
    "en": {"sheet": "Table {n}", "contents": "Contents", "table": "Table", "title": "Title"},
}
_BAD_SHEET = re.compile(r"[\[\]:*?/\\]")


def number_format(decimals: int, percent: bool) -> str:
    base = "#,##0" + ("." + "0" * decimals if decimals else "")
    return base + ('"%"' if percent else "")


def cell_value(text: str, lang: str = "vi"):
    """``(value, number_format)`` for one table cell: a float and its format for a number,
    the text and ``None`` otherwise (empty and ``–`` cells become empty)."""
    text = str(text).strip()
    if text in ("", "–", "-"):
        return None, None
    parsed = number(text, lang)
    if parsed is None:
        return text, None
    value, decimals, percent = parsed
    return (int(value) if decimals == 0 and value.is_integer() else value), number_format(decimals, percent)


def workbook_bytes(tables: list[Block], *, title: str, lang: str = "vi") -> bytes:
    """An .xlsx with a contents sheet and one sheet per table (heading row bold, frozen)."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter

    words = WORDS["vi" if lang == "vi" else "en"]
    wb = Workbook()
    toc = wb.active
    toc.title = words["contents"]
    toc["A1"] = title
    toc["A1"].font = Font(bold=True, size=13)
    toc.append([])
    toc.append([words["table"], words["title"]])
    for c in toc[3]:
        c.font = Font(bold=True)
    toc.column_dimensions["A"].width = 10
    toc.column_dimensions["B"].width = 90
    for n, table in enumerate(tables, 1):
        ws = wb.create_sheet(_BAD_SHEET.sub(" ", words["sheet"].format(n=n))[:31])
        heading = " — ".join(p for p in (table.note, table.text) if p) or title
        toc.append([ws.title, heading])
        toc.cell(row=toc.max_row, column=1).hyperlink = f"#'{ws.title}'!A1"
        ws["A1"] = heading
        ws["A1"].font = Font(bold=True)
        ws.append([])
        ws.append(table.header)
        for c in ws[3]:
            c.font = Font(bold=True)
            c.alignment = Alignment(wrap_text=True, vertical="bottom")
        widths = [len(h) for h in table.header]
        for row in table.rows:
            values = []
            formats = []
            for text in row:
                value, fmt = cell_value(text, lang)
                values.append(value)
                formats.append(fmt)
            ws.append(values)
            for i, fmt in enumerate(formats):
                if fmt:
                    ws.cell(row=ws.max_row, column=i + 1).number_format = fmt
            widths += [0] * (len(row) - len(widths))
            widths = [max(w, len(str(t))) for w, t in zip(widths, row + [""] * (len(widths) - len(row)))]
        for i, w in enumerate(widths, 1):
            ws.column_dimensions[get_column_letter(i)].width = min(max(w + 2, 8), 60)
        ws.freeze_panes = "A4"
    props = wb.properties
    props.creator = "baocao"
    props.lastModifiedBy = "baocao"
    props.title = title
    props.created = props.modified = FIXED_TIME
    props.lastPrinted = None
    # openpyxl's save() stamps the time into the properties; its writer, called directly, does not
    from zipfile import ZIP_DEFLATED, ZipFile

    from openpyxl.writer.excel import ExcelWriter

    buf = io.BytesIO()
    with ZipFile(buf, "w", ZIP_DEFLATED) as archive:
        ExcelWriter(wb, archive).save()
    return fixed_zip(buf.getvalue())
