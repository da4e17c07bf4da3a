"""Office files (.docx, .xlsx: zip archives) whose bytes depend only on their content: fixed
member times and document times, so the same report or form gives the same file on any day."""

from __future__ import annotations

import io
import zipfile
from datetime import datetime

ZIP_TIME = (1980, 1, 1, 0, 0, 0)  # the earliest time a zip can hold: nothing of the clock
FIXED_TIME = datetime(2000, 1, 1)  # the creation and modification time written into documents


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


def fixed_xlsx(wb) -> bytes:
    """An openpyxl workbook as .xlsx bytes that depend only on its content: fixed creation and
    modification times and zip entry times (the report's workbook, the Excel entry forms)."""
    props = wb.properties
    props.creator = "baocao"
    props.lastModifiedBy = "baocao"
    props.created = props.modified = FIXED_TIME
    props.lastPrinted = None
    # openpyxl's save() stamps the time into the properties; its writer, called directly, does not
    from openpyxl.writer.excel import ExcelWriter

    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as archive:
        ExcelWriter(wb, archive).save()
    return fixed_zip(buf.getvalue())
