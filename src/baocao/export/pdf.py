"""The web page of a report printed to A4 PDF by Chromium (Playwright's ``page.pdf``): ``.web.pdf``.

(The report's own ``.pdf`` is its official document, converted from the Word file by LibreOffice:
:mod:`baocao.export.office`.)

One :class:`Printer` starts one headless Chromium (Debian's ``/usr/bin/chromium``: Playwright's
own browser download needs the network) and prints any number of pages with it. Every page
carries the report title and the data date in its top margin and "Trang 3/8" in the bottom
margin; the print CSS of the report (``baocao.css``, ``@media print``) opens the collapsed
sections, keeps headings with what follows and never splits a chart or a table row.

Chromium writes the wall-clock time into the PDF (``/CreationDate``, ``/ModDate``);
:func:`fixed_dates` replaces them with a fixed date of the same length, so the same page
prints to the same bytes (the cross-reference offsets stay valid). A link to a file beside the
page (``data_quality.html``) would become an absolute ``file://`` URL holding the path of the
folder it was built in: such links are printed as text (:data:`UNLINK`), so the PDF holds no
path of the machine and is the same from any folder; links within the page and to the web stay.
"""

from __future__ import annotations

import html as _html
import os
import re
import shutil
from pathlib import Path

from bs4 import BeautifulSoup

from baocao.errors import BaocaoError

# The date written into every PDF instead of the time of printing (same length as Chromium's).
FIXED_DATE = b"D:20000101000000+00'00'"
_PDF_DATE = re.compile(rb"/(CreationDate|ModDate) ?\(D:[0-9]{14}[^)]{0,10}\)")
MARGIN = {"top": "20mm", "bottom": "18mm", "left": "16mm", "right": "16mm"}
LAUNCH_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
WORDS = {"vi": {"page": "Trang"}, "en": {"page": "Page"}}
# Before printing: links other than to the page itself or the web lose their target (kept as text).
UNLINK = """() => {
  for (const a of document.querySelectorAll('a[href]')) {
    const href = a.getAttribute('href');
    if (!/^(#|https?:)/i.test(href)) a.removeAttribute('href');
  }
}"""


class PdfError(BaocaoError, RuntimeError):
    """No Chromium to print with, or a page that cannot be printed; one line for the user."""


def chromium_path() -> str:
    """The Chromium to print with: ``$BAOCAO_CHROMIUM``, else ``chromium`` on the PATH."""
    found = os.environ.get("BAOCAO_CHROMIUM") or shutil.which("chromium") or shutil.which("chromium-browser")
    if not found:
        raise PdfError(
            "PDF needs Chromium (Debian: apt-get install chromium) or $BAOCAO_CHROMIUM set to a Chromium "
            "binary"
        )
    return found


def fixed_dates(pdf: bytes) -> bytes:
    """The PDF with its creation and modification dates replaced by :data:`FIXED_DATE`.

    The replacement has the same length as the original, so byte offsets do not move."""

    def repl(m: re.Match) -> bytes:
        old = m.group(0)
        head = b"/" + m.group(1) + (b" (" if b" (" in old else b"(")
        new = head + FIXED_DATE
        pad = len(old) - len(new) - 1
        if pad < 0:  # shorter date form than ours: keep the original date digits' length
            return old
        return new + b" " * pad + b")" if pad else new + b")"

    return _PDF_DATE.sub(repl, pdf)


def data_date(page_html: str) -> str:
    """What the report says about the date of its data: the first part of its footer
    (``Số liệu đến năm 2024``), or "" when it has no footer."""
    foot = BeautifulSoup(page_html, "html.parser").select_one("footer.report-footer")
    if foot is None:
        return ""
    return foot.get_text(" ", strip=True).split(" · ")[0]


_BOX = "width:100%;font-size:7.5pt;font-family:'DejaVu Sans',sans-serif;color:#5f6b7a;padding:0 16mm;"


def header_template(title: str, date: str) -> str:
    """Report title (left, may take two lines) and data date (right) at the top of every page, escaped.

    Header and footer templates are separate tiny documents: the page's CSS does not reach them,
    so sizes are set here (Chromium's default would be invisible)."""
    return (
        f'<div style="{_BOX}display:flex;justify-content:space-between;align-items:flex-end;gap:6mm">'
        f'<span style="min-width:0">{_html.escape(title)}</span>'
        f'<span style="white-space:nowrap">{_html.escape(date)}</span></div>'
    )


def footer_template(lang: str = "vi") -> str:
    word = WORDS.get(lang, WORDS["vi"])["page"]
    return (
        f'<div style="{_BOX}text-align:center">{word} <span class="pageNumber"></span>/<span '
        'class="totalPages"></span></div>'
    )


class Printer:
    """One Chromium for many pages: ``with Printer() as p: p.print_file(html, pdf, title=...)``."""

    def __init__(self, executable: str | None = None):
        self.executable = executable or chromium_path()
        self._pw = self._browser = None

    def __enter__(self) -> Printer:
        from playwright.sync_api import sync_playwright

        self._pw = sync_playwright().start()
        try:
            self._browser = self._pw.chromium.launch(executable_path=self.executable, args=LAUNCH_ARGS)
        except Exception as exc:
            self._pw.stop()
            raise PdfError(f"cannot start Chromium {self.executable}: {str(exc).splitlines()[0]}") from None
        return self

    def __exit__(self, *exc) -> None:
        try:
            if self._browser is not None:
                self._browser.close()
        finally:
            if self._pw is not None:
                self._pw.stop()

    def pdf(self, html_path: Path, *, title: str, date: str = "", lang: str = "vi") -> bytes:
        """The page at ``html_path`` as A4 PDF bytes (fixed dates: same page, same bytes)."""
        page = self._browser.new_page()
        try:
            page.route(
                "**/*",
                lambda route: (
                    route.continue_() if route.request.url.startswith(("file:", "data:")) else route.abort()
                ),
            )
            page.goto(Path(html_path).resolve().as_uri(), wait_until="load")
            page.emulate_media(media="print")
            page.evaluate(UNLINK)
            data = page.pdf(
                format="A4",
                print_background=True,
                display_header_footer=True,
                margin=MARGIN,
                header_template=header_template(title, date),
                footer_template=footer_template(lang),
                outline=False,
                tagged=False,
            )
        finally:
            page.close()
        return fixed_dates(data)
