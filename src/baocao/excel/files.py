"""Files of the Excel data-entry forms: write templates, read filled workbooks and CSV exports,
write the data file and its journal.

A workbook from outside is checked before openpyxl opens it: it must be a zip archive (an
encrypted workbook is an OLE compound file, and so is an old ``.xls``), small enough once
uncompressed (zip bombs), an Excel workbook (not .ods/.docx), and without links to other
workbooks (``xl/externalLinks/``), whose values would silently come from elsewhere.
"""

from __future__ import annotations

import csv
import hashlib
import io
import os
import warnings
import zipfile
from pathlib import Path

import pandas as pd

from baocao.data.observations import KEY
from baocao.errors import BaocaoError
from baocao.excel.import_plan import JOURNAL_COLUMNS
from baocao.excel.problems import form_problem
from baocao.excel.reader import Grid
from baocao.excel.spec import MARKER, NAME_CODE
from baocao.io.tables import (
    InputFileError,
    atomic_write_bytes,
    csv_dialect,
    read_csv_strings,
    read_text,
    write_csv,
)

FILE_COLUMNS = [*KEY, "value", "source", "note"]  # column order of a new observation file (data/README.md)

MAX_FILE_BYTES = 50 * 2**20  # a filled form is a few hundred KB
MAX_UNCOMPRESSED = 100 * 2**20  # total uncompressed size of all parts
MAX_RATIO = 100  # compression ratio of one large part (zip bomb)
MAX_ENTRIES = 10_000
MAX_CELLS = 2_000_000
OLE_MAGIC = bytes.fromhex("D0CF11E0A1B11AE1")
CSV_SUFFIXES = (".csv", ".txt")


class WorkbookRefused(InputFileError):
    """A file that cannot be read safely; ``message_vi`` / ``message_en`` say why and what to do."""

    def __init__(self, message_en: str, message_vi: str):
        super().__init__(f"{message_en} / {message_vi}")
        self.message_en = message_en
        self.message_vi = message_vi


def check_xlsx(path: str | os.PathLike) -> bytes:
    """The bytes of a workbook that is safe to give to openpyxl; raises :class:`WorkbookRefused`."""
    p = Path(path)
    name = p.name
    if not p.is_file():
        raise WorkbookRefused(f"{name}: file not found", f"{name}: không tìm thấy tệp")
    size = p.stat().st_size
    if size > MAX_FILE_BYTES:
        raise WorkbookRefused(
            f"{name}: the file is {size // 2**20} MiB, more than the {MAX_FILE_BYTES // 2**20} MiB a form "
            "can be",
            f"{name}: tệp nặng {size // 2**20} MiB, "
            f"vượt giới hạn {MAX_FILE_BYTES // 2**20} MiB của một biểu mẫu",
        )
    data = p.read_bytes()
    if data[:8] == OLE_MAGIC:
        if "EncryptionInfo".encode("utf-16-le") in data or "EncryptedPackage".encode("utf-16-le") in data:
            raise WorkbookRefused(
                f"{name}: the workbook is password-protected (encrypted); remove the password (File › Info › "
                "Protect Workbook) and save again as .xlsx",
                f"{name}: tệp Excel có đặt mật khẩu (đã mã hóa); hãy gỡ mật khẩu rồi lưu lại dạng .xlsx",
            )
        raise WorkbookRefused(
            f"{name}: this is an old Excel 97–2003 (.xls) or other OLE file, not .xlsx; open it and save as "
            "Excel Workbook (.xlsx)",
            f"{name}: đây là tệp Excel cũ (.xls) hoặc tệp OLE, không phải .xlsx; hãy mở và lưu lại dạng "
            "Excel Workbook (.xlsx)",
        )
    if not zipfile.is_zipfile(io.BytesIO(data)):
        raise WorkbookRefused(
            f"{name}: not an Excel .xlsx file (not a zip archive; damaged, or another kind of file renamed "
            ".xlsx)",
            f"{name}: không phải tệp Excel .xlsx (không phải tệp nén zip; tệp hỏng hoặc tệp khác bị đổi đuôi "
            ".xlsx)",
        )
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as z:
            infos = z.infolist()
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise WorkbookRefused(
            f"{name}: damaged zip archive ({exc})", f"{name}: tệp nén bị hỏng ({exc})"
        ) from None
    if len(infos) > MAX_ENTRIES:
        raise WorkbookRefused(
            f"{name}: the archive has {len(infos)} parts; refused",
            f"{name}: tệp nén có {len(infos)} phần; từ chối đọc",
        )
    total = sum(i.file_size for i in infos)
    if total > MAX_UNCOMPRESSED:
        raise WorkbookRefused(
            f"{name}: uncompressed the workbook would take {total // 2**20} MiB (limit "
            f"{MAX_UNCOMPRESSED // 2**20} MiB): refused as a possible zip bomb",
            f"{name}: giải nén sẽ chiếm {total // 2**20} MiB (giới hạn {MAX_UNCOMPRESSED // 2**20} MiB): từ "
            "chối vì có thể là “bom nén”",
        )
    for i in infos:
        if i.file_size > 5 * 2**20 and i.file_size > MAX_RATIO * max(i.compress_size, 1):
            raise WorkbookRefused(
                f"{name}: part {i.filename} expands {i.file_size // max(i.compress_size, 1)}× "
                f"({i.file_size // 2**20} MiB): refused as a possible zip bomb",
                f"{name}: phần {i.filename} giãn {i.file_size // max(i.compress_size, 1)} lần "
                f"({i.file_size // 2**20} MiB): từ chối vì có thể là “bom nén”",
            )
        if i.flag_bits & 0x1:
            raise WorkbookRefused(f"{name}: the archive is encrypted", f"{name}: tệp nén được mã hóa")
    names = {i.filename for i in infos}
    if "xl/workbook.xml" not in names:
        if "content.xml" in names:
            raise WorkbookRefused(
                f"{name}: this is an OpenDocument spreadsheet (.ods); save it as Excel Workbook (.xlsx)",
                f"{name}: đây là tệp OpenDocument (.ods); hãy lưu lại dạng Excel Workbook (.xlsx)",
            )
        raise WorkbookRefused(
            f"{name}: a zip archive but not an Excel workbook (no xl/workbook.xml)",
            f"{name}: tệp nén nhưng không phải bảng tính Excel (thiếu xl/workbook.xml)",
        )
    links = sorted(n for n in names if n.startswith("xl/externalLinks/") and n.endswith(".xml"))
    if links:
        raise WorkbookRefused(
            f"{name}: the workbook links to other workbooks ({len(links)} external link(s)); values could "
            "come from another file. Copy the cells and Paste Special › Values, remove the links (Data › "
            "Edit Links › Break Link), save and send again",
            f"{name}: tệp có liên kết tới tệp Excel khác ({len(links)} liên kết); số liệu có thể lấy từ tệp "
            "khác. Hãy sao chép và “Dán đặc biệt › Giá trị”, ngắt liên kết (Dữ liệu › Sửa liên kết › Ngắt "
            "liên kết), lưu rồi gửi lại",
        )
    return data


def _cells(ws) -> dict:
    cells = getattr(ws, "_cells", None)  # openpyxl keeps the cells that exist in the file here
    if cells is None:
        return {(c.row, c.column): c for row in ws.iter_rows() for c in row}
    return cells


def read_workbook(path: str | os.PathLike) -> list[Grid]:
    """Every worksheet as a :class:`Grid`: cached values (``data_only``) and formula texts."""
    from openpyxl import load_workbook
    from openpyxl.worksheet.formula import ArrayFormula

    data = check_xlsx(path)
    name = Path(path).name
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # "Data Validation extension is not supported" and the like
            wb_values = load_workbook(io.BytesIO(data), data_only=True)
            wb_formulas = load_workbook(io.BytesIO(data), data_only=False)
    except Exception as exc:  # openpyxl raises many kinds on damaged files
        raise WorkbookRefused(
            f"{name}: cannot read the workbook ({type(exc).__name__}: {exc})",
            f"{name}: không đọc được bảng tính ({type(exc).__name__}: {exc})",
        ) from None
    grids = []
    n = 0
    for ws_v, ws_f in zip(wb_values.worksheets, wb_formulas.worksheets):
        values = {rc: c.value for rc, c in _cells(ws_v).items() if c.value is not None}
        n += len(values)
        if n > MAX_CELLS:
            raise WorkbookRefused(
                f"{name}: more than {MAX_CELLS} filled cells; refused",
                f"{name}: hơn {MAX_CELLS} ô có dữ liệu; từ chối đọc",
            )
        formulas = {}
        for rc, c in _cells(ws_f).items():
            v = c.value
            if isinstance(v, ArrayFormula):
                formulas[rc] = str(v.text)
            elif c.data_type == "f" or (isinstance(v, str) and v.startswith("=") and c.data_type != "s"):
                formulas[rc] = str(v)
        grids.append(Grid(file=name, sheet=ws_v.title, cells=values, formulas=formulas, kind="xlsx"))
    return grids


def _sniff_delimiter(text: str) -> str:
    for d in (",", ";", "\t"):
        try:
            for row in csv.reader(io.StringIO(text), delimiter=d):
                cells = [c.strip() for c in row]
                if any(c.startswith(MARKER) for c in cells) and NAME_CODE in cells:
                    return d
        except csv.Error:
            continue
    return ","


def read_csv_form(path: str | os.PathLike) -> Grid:
    """A form sheet saved as CSV (UTF-8; ``,`` ``;`` or tab separated, found from the code row)."""
    p = Path(path)
    try:
        text = read_text(p)
    except InputFileError as exc:  # each language once, the file named once (as WorkbookRefused does)
        at_en, at_vi = ("", "") if exc.line is None else (f"line {exc.line}: ", f"dòng {exc.line}: ")
        raise WorkbookRefused(
            f"{p.name}: {at_en}{exc.message_en}", f"{p.name}: {at_vi}{exc.message_vi}"
        ) from None
    delimiter = _sniff_delimiter(text)
    cells = {}
    try:
        for r, row in enumerate(csv.reader(io.StringIO(text), delimiter=delimiter), start=1):
            for c, v in enumerate(row, start=1):
                if v.strip():
                    cells[(r, c)] = v
            if len(cells) > MAX_CELLS:
                raise WorkbookRefused(
                    f"{p.name}: more than {MAX_CELLS} filled cells; refused",
                    f"{p.name}: hơn {MAX_CELLS} ô có dữ liệu; từ chối đọc",
                )
    except csv.Error as exc:
        raise WorkbookRefused(
            f"{p.name}: not a valid CSV table ({exc})", f"{p.name}: không đọc được bảng CSV ({exc})"
        ) from None
    return Grid(file=p.name, sheet=None, cells=cells, formulas={}, kind="csv")


def read_form_file(path: str | os.PathLike) -> list[Grid]:
    """A filled form: ``.csv``/``.txt`` as CSV, anything else as an .xlsx workbook (checked first)."""
    if Path(path).suffix.lower() in CSV_SUFFIXES:
        return [read_csv_form(path)]
    return read_workbook(path)


def read_form_files(paths) -> tuple[list[Grid], list[dict]]:
    """The grids of every readable form, and a problem for each file refused (named by the file)."""
    grids, problems = [], []
    for f in paths:
        try:
            grids.extend(read_form_file(f))
        except WorkbookRefused as exc:
            name = Path(f).name
            problems.append(
                form_problem(
                    name,
                    None,
                    None,
                    "file",
                    "",
                    exc.message_vi.removeprefix(name + ": "),
                    exc.message_en.removeprefix(name + ": "),
                )
            )
    return grids, problems


def save_workbook(wb, path: str | os.PathLike) -> None:
    """Write a form: the same form gives the same bytes (no creation time, fixed zip times)."""
    from baocao.io.office_zip import fixed_xlsx

    atomic_write_bytes(path, fixed_xlsx(wb))


# ----------------------------------------------------------------------------- data file and journal


def digest(path: str | os.PathLike) -> str:
    p = Path(path)
    return hashlib.sha256(p.read_bytes()).hexdigest() if p.exists() else ""


def read_data(path: str | os.PathLike) -> tuple[pd.DataFrame, str]:
    """The observation file as strings (index = file line) and its digest; empty if it does not exist yet."""
    p = Path(path)
    if not p.exists():
        return pd.DataFrame(columns=FILE_COLUMNS, index=pd.RangeIndex(2, 2, name="line")), ""
    return read_csv_strings(p), digest(p)


def journal_path(data_path: str | os.PathLike) -> Path:
    """``journal.csv`` next to the data file (one journal per folder; rows name their data file)."""
    return Path(data_path).parent / "journal.csv"


def read_journal(path: str | os.PathLike) -> pd.DataFrame:
    p = Path(path)
    if not p.exists():
        return pd.DataFrame(columns=JOURNAL_COLUMNS)
    df = read_csv_strings(p)
    for c in JOURNAL_COLUMNS:
        if c not in df.columns:
            df[c] = ""
    return df.reset_index(drop=True)


class DataChanged(BaocaoError, RuntimeError):
    """The data file changed between reading and writing (another import running?)."""


def commit(
    data_path: str | os.PathLike, data: pd.DataFrame, expected_digest: str, journal_rows: pd.DataFrame
) -> None:
    """Journal first, then the data file (each atomically); the journal is
    put back if the data write fails. The data file keeps its own separator, byte order mark and
    line ends (a file saved by Excel in a Vietnamese locale stays ';'-separated).
    """
    data_path, jpath = Path(data_path), journal_path(data_path)
    if digest(data_path) != expected_digest:
        raise DataChanged(
            f"tệp số liệu {data_path.name} vừa bị thay đổi trong khi nhập, hãy chạy lại / {data_path.name} "
            "changed while importing; run the import again"
        )
    dialect = csv_dialect(data_path)
    old_journal = jpath.read_bytes() if jpath.exists() else None
    journal = read_journal(jpath)
    write_csv(
        jpath,
        pd.concat([journal, journal_rows[JOURNAL_COLUMNS]], ignore_index=True)
        if len(journal)
        else journal_rows[JOURNAL_COLUMNS],
    )
    try:
        write_csv(data_path, data, dialect)
    except BaseException:
        if old_journal is None:
            jpath.unlink(missing_ok=True)
        else:
            atomic_write_bytes(jpath, old_journal)
        raise
