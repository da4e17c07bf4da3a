"""Reading and writing the project's tables: catalogue, observations, published figures.

Every write goes to a temporary file in the same folder and is then renamed over the
target, so a reader never sees half a file and an interrupted write leaves the old file.
"""

from __future__ import annotations

import csv
import io
import os
import re
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import yaml

if TYPE_CHECKING:  # imported where used: a build with nothing to do needs no pandas
    import pandas as pd

from baocao.data.catalogue import Catalogue, CatalogueError, build_catalogue
from baocao.errors import BaocaoError


class InputFileError(BaocaoError, ValueError):
    """A file cannot be read at all (missing, wrong encoding, not a table).

    ``message_vi`` / ``message_en`` say what is wrong and what to do, without the file's name;
    ``path`` and ``line`` say where (``str()`` of the error puts them together on one line).
    Raised with one text (``InputFileError("…")``) it is used as is in both languages."""

    def __init__(self, message_en: str, message_vi: str | None = None, *, path=None, line=None):
        self.message_en = message_en
        self.message_vi = message_en if message_vi is None else message_vi
        self.path = None if path is None else str(path)
        self.line = line
        where = "" if path is None else f"{path}" + ("" if line is None else f", dòng / line {line}") + ": "
        text = message_en if message_vi is None else f"{self.message_vi} / {message_en}"
        super().__init__(where + text)


MAX_BYTES = 200 * 1024 * 1024
MAX_ROWS = 500_000  # a district's data are a few thousand rows; more means a wrong file
SAVE_AS_VI = "trong Excel chọn File → Save As → “CSV UTF-8 (Comma delimited) (*.csv)”"
SAVE_AS_EN = "in Excel use File → Save As → “CSV UTF-8 (Comma delimited) (*.csv)”"
DELIMITERS = (",", ";", "\t")
DELIMITER_WORDS = {
    ",": ("dấu phẩy (,)", "commas (,)"),
    ";": ("dấu chấm phẩy (;)", "semicolons (;)"),
    "\t": ("dấu tab", "tabs"),
}


def read_text(path: str | os.PathLike) -> str:
    """Text of a UTF-8 file (BOM allowed) or of a UTF-16 file with its BOM (Excel's “Unicode Text”);
    other encodings (Windows-1258, TCVN3: their bytes cannot be told apart safely) are refused with
    one message saying how to save the file."""
    p = Path(path)
    if not p.is_file():
        raise InputFileError("file not found", "không tìm thấy tệp", path=p)
    size = p.stat().st_size
    if size > MAX_BYTES:
        raise InputFileError(
            f"the file is {size // 2**20} MiB, larger than the {MAX_BYTES // 2**20} MiB limit",
            f"tệp nặng {size // 2**20} MiB, vượt giới hạn {MAX_BYTES // 2**20} MiB",
            path=p,
        )
    raw = p.read_bytes()
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return raw.decode("utf-16").lstrip("\ufeff")
        except UnicodeDecodeError:
            raise InputFileError(
                f"the file says it is UTF-16 but is damaged; {SAVE_AS_EN}",
                f"tệp ghi là mã UTF-16 nhưng bị hỏng; {SAVE_AS_VI}",
                path=p,
            ) from None
    if b"\x00" in raw[:4096]:
        raise InputFileError(
            "the file is binary, not a text table", "tệp nhị phân, không phải bảng CSV", path=p
        )
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise InputFileError(
            f"not UTF-8 (byte 0x{raw[exc.start]:02x}: perhaps Windows-1258 or TCVN3, whose letters cannot be "
            f"told apart safely); {SAVE_AS_EN}",
            f"không phải mã UTF-8 (byte 0x{raw[exc.start]:02x}: có lẽ Windows-1258 hay TCVN3, không đọc an "
            f"toàn được); {SAVE_AS_VI}",
            path=p,
            line=line,
        ) from None


def header_delimiter(header: str) -> str | None:
    """The column separator of a CSV file, from its header line: the one of ``,`` ``;`` tab that splits
    it (``,`` when none does: one column); None when several do (the file cannot be read safely)."""
    splits = [d for d in DELIMITERS if len(next(csv.reader([header], delimiter=d), [])) > 1]
    if len(splits) > 1:
        return None
    return splits[0] if splits else ","


def _too_many_cells(path, line: int, row: list[str], header: list[str], delimiter: str, more: int):
    n, m = len(header), len(row)
    also_vi = f" (và {more} dòng khác)" if more else ""
    also_en = f" (and {more} more line(s))" if more else ""
    vi = f"dòng này có {m} ô nhưng dòng tiêu đề có {n} ô{also_vi}"
    en = f"this line has {m} cells but the header has {n}{also_en}"
    mark_vi, mark_en = DELIMITER_WORDS[delimiter]
    at = header.index("value") if "value" in header else -1
    if delimiter == "," and 0 <= at < m - 1 and row[at].strip().isdigit() and row[at + 1].strip().isdigit():
        number = f"{row[at].strip()},{row[at + 1].strip()}"
        fixed = f"{row[at].strip()}.{row[at + 1].strip()}"
        vi += (
            f": giá trị {number} có dấu phẩy thập phân trong tệp phân cách cột bằng dấu phẩy; hãy ghi {fixed}"
        )
        en += f": the value {number} has a decimal comma in a file separated by commas; write {fixed}"
    else:
        vi += f": một ô có {mark_vi} phải đặt trong ngoặc kép (Excel tự làm khi lưu CSV)"
        en += f": a cell holding {mark_en} must be in double quotes (Excel does so when it saves a CSV)"
    return InputFileError(en, vi, path=path, line=line)


def read_csv_strings(path: str | os.PathLike) -> pd.DataFrame:
    """A CSV as a frame of stripped strings (nothing converted), header checked; index = the row of
    the file as Excel numbers it (header = 1), blank rows left out.

    The column separator is read from the header line: ``,``, or ``;`` / tab as Excel writes them in a
    Vietnamese locale (``frame.attrs["delimiter"]``; how the numbers of such a file are read is decided
    by :func:`baocao.data.numbers.file_number_style`). A header that several separators split is refused."""
    import pandas as pd

    text = read_text(path)
    if not text.strip():
        raise InputFileError("the file is empty", "tệp rỗng", path=path)
    lines = max(text.count("\n"), text.count("\r"))
    if lines > MAX_ROWS:
        raise InputFileError(
            f"{lines:,} lines, more than the limit of {MAX_ROWS:,} rows; split the file or check it is the "
            "right one",
            f"tệp có {lines:,} dòng, vượt giới hạn {MAX_ROWS:,} dòng; hãy chia nhỏ tệp hoặc kiểm tra lại",
            path=path,
        )
    first = re.split(r"\r\n|\r|\n", text, maxsplit=1)[0]  # "CSV (Macintosh)" ends lines with CR alone
    delimiter = header_delimiter(first)
    if delimiter is None:
        found = [DELIMITER_WORDS[d] for d in DELIMITERS if d in first]
        raise InputFileError(
            f"the header line holds both {' and '.join(en for _, en in found)}, so which one separates the "
            f"columns cannot be told; {SAVE_AS_EN}",
            f"dòng tiêu đề có cả {' và '.join(vi for vi, _ in found)} nên không biết cột được phân cách bằng "
            f"dấu nào; {SAVE_AS_VI}",
            path=path,
            line=1,
        )
    # a row is a record, numbered as Excel numbers its rows (header = 1): a cell holding a line
    # break is still one row, a blank line is a row of its own
    rows: list[list[str]] = []
    try:
        rows.extend(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter))
    except csv.Error as exc:
        raise InputFileError(
            f"not a valid CSV table ({exc})",
            f"không đọc được bảng CSV ({exc})",
            path=path,
            line=len(rows) + 1,
        ) from None
    header = [c.strip() for c in rows[0]]
    body = rows[1:]
    while (
        header
        and header[-1] == ""
        and not any(len(r) >= len(header) and r[len(header) - 1].strip() for r in body)
    ):
        header.pop()  # an empty last column, as Excel writes when a cell beyond the table was once used
    if not header:
        raise InputFileError(
            "the first line must be the header (column names)",
            "dòng đầu phải là dòng tiêu đề (tên các cột)",
            path=path,
            line=1,
        )
    seen: dict[str, int] = {}
    for i, c in enumerate(header, start=1):
        if c in seen:
            raise InputFileError(
                f"column '{c}' appears twice in the header (columns {seen[c]} and {i})",
                f"cột '{c}' có hai lần trong dòng tiêu đề (cột {seen[c]} và {i})",
                path=path,
                line=1,
            )
        seen[c] = i
    # a row may reach into the header's empty last columns (left empty), never beyond the header: a
    # row with one cell too many is most often an unquoted decimal comma (73,5), which would shift
    # every later cell one column to the left
    n, width = len(header), len(rows[0])
    bad = [i for i, r in enumerate(body) if len(r) > width or any(c.strip() for c in r[n:])]
    if bad:
        raise _too_many_cells(path, bad[0] + 2, body[bad[0]], header, delimiter, len(bad) - 1)
    cells = [[c.strip() for c in r[:n]] + [""] * (n - len(r)) for r in body]
    df = pd.DataFrame(cells, columns=header, index=pd.RangeIndex(2, 2 + len(cells), name="line"), dtype=str)
    if not len(df):
        df = pd.DataFrame(columns=header, index=pd.Index([], name="line", dtype="int64"), dtype=str)
    df = df[~(df == "").all(axis=1)]
    df.attrs["delimiter"] = delimiter
    return df


def read_catalogue(folder: str | os.PathLike) -> Catalogue:
    folder = Path(folder)
    docs = []
    for f in sorted(folder.glob("*.yaml")):
        try:
            docs.append((f.name, yaml.safe_load(read_text(f))))
        except yaml.YAMLError as exc:
            mark = getattr(exc, "problem_mark", None)
            what = getattr(exc, "problem", None) or str(exc).splitlines()[0]
            raise CatalogueError(
                str(f),
                f"not valid YAML{f' on line {mark.line + 1}' if mark else ''} ({what})",
                f"không phải YAML hợp lệ{f' ở dòng {mark.line + 1}' if mark else ''} ({what})",
            ) from None
    if not docs:
        raise CatalogueError(str(folder), "no catalogue files (*.yaml)", "không có tệp danh mục nào (*.yaml)")
    rules_path = folder / "rules.csv"
    rules = read_csv_strings(rules_path) if rules_path.exists() else None
    return build_catalogue(docs, rules, str(rules_path))


def _hold_write(tmp: str, data: bytes, fh) -> bytes:
    """Fault tests only: with ``BAOCAO_TEST_HOLD_WRITE=FOLDER``, a write of an HTML page stops
    halfway (half the bytes on disk), says so in ``FOLDER/writing`` and waits for
    ``FOLDER/release``: the test kills the build at that known point. Returns what is left to write."""
    gate = os.environ.get("BAOCAO_TEST_HOLD_WRITE")
    if not gate or ".html." not in Path(tmp).name:
        return data
    import time

    half = len(data) // 2
    fh.write(data[:half])
    fh.flush()
    os.fsync(fh.fileno())
    Path(gate, "writing").write_text(tmp, encoding="utf-8")
    while not Path(gate, "release").exists():
        time.sleep(0.05)
    return data[half:]


def atomic_write_bytes(path: str | os.PathLike, data: bytes) -> None:
    p = Path(path)
    p.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{p.name}.", suffix=".tmp", dir=p.parent)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(_hold_write(tmp, data, fh))
            fh.flush()
            os.fsync(fh.fileno())
        os.chmod(tmp, 0o644)
        os.replace(tmp, p)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def atomic_write_text(path: str | os.PathLike, text: str) -> None:
    atomic_write_bytes(path, text.encode("utf-8"))


@dataclass(frozen=True)
class CsvDialect:
    """How a CSV file is written, so that rewriting it keeps it as its owner saved it: the column
    separator, a byte order mark (Excel's CSV UTF-8 has one; without it Excel shows the diacritics
    wrong) and the line ends."""

    delimiter: str = ","
    bom: bool = False
    newline: str = "\n"


def csv_dialect(path: str | os.PathLike) -> CsvDialect:
    """The dialect of an existing CSV file (the default for a file that does not exist or cannot be
    read: the reader will say why). A UTF-16 file is written back as UTF-8 with a byte order mark."""
    try:
        text = read_text(path)
    except InputFileError:
        return CsvDialect()
    raw_start = Path(path).read_bytes()[:4]
    first = re.split(r"\r\n|\r|\n", text, maxsplit=1)[0]
    ending = text[len(first) : len(first) + 2]
    return CsvDialect(
        delimiter=header_delimiter(first) or ",",
        bom=raw_start.startswith((b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff")),
        newline="\r\n" if ending == "\r\n" else "\r" if ending.startswith("\r") else "\n",
    )


def write_csv(path: str | os.PathLike, df: pd.DataFrame, dialect: CsvDialect | None = None) -> None:
    """``df`` as a CSV file (UTF-8, ``,``, LF unless ``dialect`` says otherwise), written atomically."""
    d = dialect or CsvDialect()
    text = df.to_csv(index=False, sep=d.delimiter, lineterminator=d.newline)
    atomic_write_text(path, ("\ufeff" if d.bom else "") + text)
