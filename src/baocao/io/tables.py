"""Reading and writing the project's tables: catalogue, observations, published figures.

Every write goes to a temporary file in the same folder and is then renamed over the
target, so a reader never sees half a file and an interrupted write leaves the old file.
"""

from __future__ import annotations

import csv
import io
import os
import tempfile
import warnings
from pathlib import Path
from typing import TYPE_CHECKING

import yaml

if TYPE_CHECKING:  # imported where used: a build with nothing to do needs no pandas
    import pandas as pd

from baocao.data.catalogue import Catalogue, CatalogueError, build_catalogue
from baocao.errors import BaocaoError


class InputFileError(BaocaoError, ValueError):
    """A file cannot be read at all (missing, wrong encoding, not a table)."""


MAX_BYTES = 200 * 1024 * 1024
MAX_ROWS = 500_000  # a district's data are a few thousand rows; more means a wrong file


def read_text(path: str | os.PathLike) -> str:
    """Text of a UTF-8 file (BOM allowed); other encodings are refused with a clear message."""
    p = Path(path)
    if not p.is_file():
        raise InputFileError(f"{p}: file not found / không tìm thấy tệp")
    size = p.stat().st_size
    if size > MAX_BYTES:
        raise InputFileError(
            f"{p}: file is {size // 2**20} MiB, larger than the {MAX_BYTES // 2**20} MiB limit / tệp quá lớn"
        )
    raw = p.read_bytes()
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise InputFileError(
            f"{p}: file is UTF-16; save it as CSV UTF-8 / tệp mã hóa UTF-16, hãy lưu lại dạng CSV UTF-8"
        )
    if b"\x00" in raw[:4096]:
        raise InputFileError(f"{p}: file is binary, not a text table / tệp nhị phân, không phải bảng CSV")
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise InputFileError(
            f"{p}, line {line}: not UTF-8 (byte 0x{raw[exc.start]:02x}; perhaps Windows-1258 or TCVN3) — "
            f"save it as CSV UTF-8 / dòng {line}: không phải mã UTF-8, hãy lưu lại dạng CSV UTF-8"
        ) from None


def read_csv_strings(path: str | os.PathLike) -> pd.DataFrame:
    """A CSV as a frame of stripped strings (nothing converted), header checked."""
    import pandas as pd

    text = read_text(path)
    if not text.strip():
        raise InputFileError(f"{path}: file is empty / tệp rỗng")
    lines = text.count("\n")
    if lines > MAX_ROWS:
        raise InputFileError(
            f"{path}: {lines:,} lines, more than the limit of {MAX_ROWS:,} rows; split the file or check it "
            "is the right one "
            f"/ tệp có {lines:,} dòng, vượt giới hạn {MAX_ROWS:,} dòng"
        )
    try:
        with warnings.catch_warnings():
            # index_col=False: a first row longer than the header must not become pandas' index
            # (every column shifted, the next rows' first cells dropped); it is refused instead.
            warnings.simplefilter("error", pd.errors.ParserWarning)
            df = pd.read_csv(
                io.StringIO(text),
                dtype=str,
                keep_default_na=False,
                skipinitialspace=False,
                skip_blank_lines=False,
                index_col=False,
            )
    except pd.errors.ParserWarning:
        raise InputFileError(
            f"{path}: line 2 has more fields than the header (an unquoted comma, e.g. 73,5?) / dòng 2 có "
            "nhiều cột hơn dòng tiêu đề (dấu phẩy không nằm trong ngoặc kép, ví dụ 73,5?)"
        ) from None
    except (pd.errors.ParserError, csv.Error) as exc:
        raise InputFileError(f"{path}: not a valid CSV table ({exc}) / không đọc được bảng CSV") from None
    df.columns = [str(c).strip() for c in df.columns]
    df = df.fillna("").apply(lambda s: s.str.strip())
    # index = line in the file (header is line 1), so messages name the right line after blank lines
    df.index = pd.RangeIndex(2, 2 + len(df), name="line")
    return df[~(df == "").all(axis=1)]


def read_catalogue(folder: str | os.PathLike) -> Catalogue:
    folder = Path(folder)
    docs = []
    for f in sorted(folder.glob("*.yaml")):
        try:
            docs.append((f.name, yaml.safe_load(read_text(f))))
        except yaml.YAMLError as exc:
            raise CatalogueError(f"{f}: not valid YAML: {exc}") from None
    if not docs:
        raise CatalogueError(f"{folder}: no catalogue files (*.yaml)")
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


def write_csv(path: str | os.PathLike, df: pd.DataFrame) -> None:
    atomic_write_text(path, df.to_csv(index=False, lineterminator="\n"))
