"""The official document's PDF: its Word file converted by LibreOffice (headless), fonts embedded.

:func:`convert` converts any number of .docx files in one ``soffice --headless --convert-to pdf``
run, with a LibreOffice profile of its own in a temporary folder (nothing of the user's profile,
no lock shared with another build) and ``TZ=UTC``. The documents name Times New Roman (the font
both the decree and the guideline require); LibreOffice prints it with the font fontconfig gives
for that name: Liberation Serif 2 (Debian ``fonts-liberation2``) or Tinos, metric-compatible with
Times New Roman and covering every Vietnamese letter. :func:`check_font` refuses to convert with
a font that lacks one (Liberation Serif 1.x, Debian's ``fonts-liberation``, has no "ạ" or "ư": a
PDF made with it prints those letters in another font).

LibreOffice writes the time of conversion (``/CreationDate``), a random document ``/ID`` and a
checksum of the dated document (``/DocChecksum``) into the PDF; :func:`reproducible` replaces
them, at the same length so no offset moves, with a fixed date and an ID and checksum made from
the content: the same document gives the same bytes in any folder.
"""

from __future__ import annotations

import functools
import hashlib
import os
import re
import shutil
import signal
import subprocess
import tempfile
from pathlib import Path

from baocao.errors import BaocaoError

INSTALL = "Debian: apt-get install libreoffice-writer fonts-liberation2"
FONT_NAME = "Times New Roman"  # the documents' font; fontconfig maps it to a metric-compatible one
FONTS = ("Liberation Serif", "Tinos")  # the metric-compatible fonts with every Vietnamese letter
# Every letter of Vietnamese (lower and upper case): the vowels with their marks, đ/Đ.
VIETNAMESE = "".join(
    sorted(
        set(
            "aàáảãạăằắẳẵặâầấẩẫậeèéẻẽẹêềếểễệiìíỉĩịoòóỏõọôồốổỗộơờớởỡợuùúủũụưừứửữựyỳýỷỹđ"
            + "aàáảãạăằắẳẵặâầấẩẫậeèéẻẽẹêềếểễệiìíỉĩịoòóỏõọôồốổỗộơờớởỡợuùúủũụưừứửữựyỳýỷỹđ".upper()
        )
    )
)
FIXED_DATE = b"20000101000000"  # replaces the 14 digits of LibreOffice's D:YYYYMMDDHHmmSS
_DATE = re.compile(rb"/(CreationDate|ModDate)\s*\(D:(\d{14})")
_ID = re.compile(rb"/ID\s*\[\s*<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>\s*\]")
_CHECKSUM = re.compile(rb"/DocChecksum\s*/([0-9A-Fa-f]+)")  # LibreOffice's, over the dated document
TIMEOUT = 120  # seconds for LibreOffice to start, and as much again per 10 documents


class OfficeError(BaocaoError, RuntimeError):
    """No LibreOffice or no suitable font to make the document's PDF; one line for the user."""


def soffice_path() -> str:
    """LibreOffice: ``$BAOCAO_SOFFICE``, else ``soffice`` (or ``libreoffice``) on the PATH."""
    found = os.environ.get("BAOCAO_SOFFICE") or shutil.which("soffice") or shutil.which("libreoffice")
    if not found:
        raise OfficeError(f"the document's PDF needs LibreOffice Writer ({INSTALL})")
    return found


def font_file(name: str = FONT_NAME) -> tuple[str, str]:
    """``(family, file)`` fontconfig gives for ``name`` (what LibreOffice prints it with)."""
    fc = shutil.which("fc-match")
    if not fc:
        return "", ""
    out = subprocess.run(
        [fc, "-f", "%{family}\n%{file}\n", name], capture_output=True, text=True, timeout=30, check=False
    ).stdout.splitlines()
    return (out[0].split(",")[0], out[1]) if len(out) >= 2 else ("", "")


def missing_letters(path: str, letters: str = VIETNAMESE) -> str:
    """The letters a font file has no glyph for."""
    from fontTools.ttLib import TTFont

    with TTFont(path, lazy=True) as font:
        cmap = font.getBestCmap() or {}
    return "".join(c for c in letters if ord(c) not in cmap)


@functools.cache
def check_font() -> str:
    """The family LibreOffice prints Times New Roman with (asked once a process); :class:`OfficeError`
    when it is not one of :data:`FONTS` or lacks a Vietnamese letter. Without fontconfig (not Linux)
    nothing is checked and ""."""
    family, path = font_file()
    if family:
        if family not in FONTS:
            raise OfficeError(
                f"the document's PDF prints Times New Roman with {family}, not a metric-compatible font "
                f"with every Vietnamese letter ({' or '.join(FONTS)}; {INSTALL})"
            )
        lacking = missing_letters(path)
        if lacking:
            raise OfficeError(
                f"{family} ({path}) has no {lacking[:12]}…: an older version; the document's PDF needs "
                f"Liberation Serif 2 ({INSTALL})"
            )
    return family


def reproducible(pdf: bytes) -> bytes:
    """The PDF with its dates fixed, and its document ID and LibreOffice's ``/DocChecksum`` made
    from its content (each at the same length: no offset moves)."""
    pdf = _DATE.sub(lambda m: m.group(0)[:-14] + FIXED_DATE, pdf)
    spans = []
    m = _ID.search(pdf)
    if m:
        spans += [m.span(1), m.span(2)]
    m = _CHECKSUM.search(pdf)
    if m:
        spans.append(m.span(1))
    spans.sort()
    blank = bytearray(pdf)
    for a, b in spans:
        blank[a:b] = b"0" * (b - a)
    digest = hashlib.md5(bytes(blank), usedforsecurity=False).hexdigest().upper().encode() * 4
    for a, b in spans:
        blank[a:b] = digest[: b - a]
    return bytes(blank)


def convert(docs: dict[str, bytes], soffice: str | None = None) -> dict[str, bytes]:
    """PDFs of Word files in one LibreOffice run: ``{name: docx bytes}`` → ``{name: pdf bytes}``
    (reproducible bytes). Raises :class:`OfficeError` when LibreOffice or the font is missing or
    LibreOffice fails; a document it could not convert is missing from the result."""
    if not docs:
        return {}
    soffice = soffice or soffice_path()
    check_font()
    with tempfile.TemporaryDirectory(prefix="baocao-office-") as tmp:
        tmp = Path(tmp)
        src, out = tmp / "in", tmp / "out"
        src.mkdir()
        names = {}
        for i, (name, data) in enumerate(docs.items(), start=1):
            path = src / f"{i:05d}.docx"
            path.write_bytes(data)
            names[path.stem] = name
        cmd = [
            soffice,
            f"-env:UserInstallation={(tmp / 'profile').as_uri()}",
            "--headless",
            "--norestore",
            "--nolockcheck",
            "--convert-to",
            "pdf:writer_pdf_Export",
            "--outdir",
            str(out),
            *(str(src / f"{stem}.docx") for stem in names),
        ]
        env = {**os.environ, "TZ": "UTC", "HOME": str(tmp), "LC_ALL": "C.UTF-8", "SAL_USE_VCLPLUGIN": "svp"}
        proc = subprocess.Popen(
            cmd, cwd=tmp, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, start_new_session=True
        )
        timeout = TIMEOUT * (1 + len(docs) / 10)
        try:
            log, _ = proc.communicate(timeout=timeout)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.communicate()
            raise OfficeError(
                f"LibreOffice did not convert {len(docs)} documents in {timeout:.0f} s"
            ) from None
        except BaseException:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.communicate()
            raise
        made = {names[p.stem]: reproducible(p.read_bytes()) for p in out.glob("*.pdf") if p.stem in names}
        if not made:
            text = log.decode("utf-8", "replace").strip().splitlines()
            raise OfficeError(
                f"LibreOffice made no PDF (exit {proc.returncode}): {text[-1] if text else 'no output'}; "
                f"it needs the Writer component ({INSTALL})"
            )
        return made
