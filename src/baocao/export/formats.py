"""The other files of a built report, made from its HTML page and executed notebook.

Beside ``2024/894/district_report.html`` a build can write:

- ``.xlsx`` — every table of the report, one sheet each, numbers as numbers (:mod:`baocao.export.workbook`);
  when the plan says ``formats: [html, xlsx]`` or ``--xlsx`` (every page also offers each of its
  tables as CSV, without any of these files);
- ``.pdf`` — the page printed to A4 by Chromium, numbered, with the title and data date on
  every page (:mod:`baocao.export.pdf`); when the plan says ``formats: [html, pdf]`` or ``--pdf``;
- ``.docx`` — an editable Word report in the Decree 30 layout (:mod:`baocao.export.word`); when the
  plan says ``formats: [html, docx]`` or ``--docx``.

:func:`write_formats` runs after the reports of a build are written: for every report of the
build that is fine, it makes the files that are wanted and missing (or changed since the manifest
recorded them), records them in the report's manifest entry (path, bytes, sha256, like the HTML),
and removes files of formats the entry no longer claims. A report that did not need to run still
gets a format asked for the first time, without running its notebook again.
"""

from __future__ import annotations

import hashlib
import time
from datetime import date as Date
from pathlib import Path

from baocao.errors import BaocaoError
from baocao.io.tables import atomic_write_bytes

FORMATS = ("html", "pdf", "docx", "xlsx")
ALWAYS = ("html",)
EXTRA = ("xlsx", "pdf", "docx")


class FormatError(BaocaoError, ValueError):
    """An unknown output format; one line for the user."""


def check_formats(values) -> tuple[str, ...]:
    """The formats asked for, in :data:`FORMATS` order, with the ones always written."""
    wanted = set(ALWAYS)
    for v in values or ():
        v = str(v).strip().lower().lstrip(".")
        if v not in FORMATS:
            raise FormatError(f"unknown output format {v!r}; formats: {', '.join(FORMATS)}")
        wanted.add(v)
    return tuple(f for f in FORMATS if f in wanted)


def _sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _current(outputs: Path, record: dict | None) -> bool:
    if not record:
        return False
    p = outputs / record["path"]
    try:
        return _sha(p.read_bytes()) == record.get("sha256")
    except OSError:
        return False


def _unit_short(entry: dict) -> str:
    from baocao.data import units as un

    code = str(entry.get("unit") or "")
    for registry in (un.legacy, un.current):
        try:
            return registry().unit(code).short
        except (LookupError, KeyError, ValueError):
            continue
    return str(entry.get("unit_name") or "")


def heading_for(entry: dict, signed: Date | None = None):
    """Issuing body, place and date of the Word report of a manifest entry."""
    from dataclasses import replace

    from baocao.export.word import issuer_for

    head = issuer_for(
        entry.get("level") or "", entry.get("unit_name") or "", _unit_short(entry), entry.get("lang") or "vi"
    )
    return replace(head, date=signed, year=signed.year if signed else int(entry["year"]))


def coverage_of(entry: dict, nb=None):
    """What a built report covers, for its workbook's notes: its unit, its year or period, and —
    from its executed notebook ``nb`` — the reporting rates its title block recorded (output metadata
    ``baocao.coverage``: one line per year, ``Năm 2024: 12/13 xã báo cáo đủ; …``)."""
    from baocao.export.workbook import Coverage

    lang = entry.get("lang") or "vi"
    name, code = str(entry.get("unit_name") or ""), str(entry.get("unit") or "")
    coded = name and code and name != code and entry.get("level") != "country"  # the country has no code
    unit = f"{name} ({'mã' if lang == 'vi' else 'code'} {code})" if coded else name or code
    year = int(entry["year"])
    first = int((entry.get("parameters") or {}).get("year_from") or year)
    return Coverage(
        unit=unit,
        period=str(year) if first == year else f"{first}–{year}",  # as reports show it
        reporting=reporting_rates(nb) if nb is not None else [],
    )


def reporting_rates(nb) -> list[str]:
    """The reporting rates a report's title block left in its output metadata (``baocao.coverage``)."""
    for cell in nb.cells:
        for output in cell.get("outputs", []):
            md = output.get("metadata", {})
            found = (md.get("baocao") or md.get("text/html", {}).get("baocao") or {}).get("coverage")
            if isinstance(found, list):
                return [str(line) for line in found]
    return []


def _notebook(outputs: Path, entry: dict):
    import nbformat

    return nbformat.reads(
        (outputs / entry["outputs"]["ipynb"]["path"]).read_text(encoding="utf-8"), as_version=4
    )


def make(fmt: str, outputs: Path, entry: dict, *, printer=None, signed: Date | None = None) -> bytes:
    """The bytes of one format of one built report (its HTML and notebook are on disk)."""
    from baocao.export import blocks as exports

    lang = entry.get("lang") or "vi"
    title = entry.get("title") or entry.get("notebook_title") or entry["notebook"]
    if fmt == "pdf":
        from baocao.export.pdf import data_date

        html_path = outputs / entry["outputs"]["html"]["path"]
        date = data_date(html_path.read_text(encoding="utf-8"))
        return printer.pdf(html_path, title=title, date=date, lang=lang)
    notes = exports.Notes()
    nb = _notebook(outputs, entry)
    items = exports.blocks(nb, lang, notes)
    if fmt == "xlsx":
        from baocao.export.workbook import workbook_bytes

        return workbook_bytes(
            [b for b in items if b.kind == "table"],
            title=title,
            lang=lang,
            notes=notes,
            coverage=coverage_of(entry, nb),
        )
    if fmt == "docx":
        from baocao.export.word import docx_bytes

        return docx_bytes(items, title=title, head=heading_for(entry, signed), lang=lang)
    raise FormatError(f"no maker for format {fmt!r}")


def write_formats(
    outputs: Path, reports: dict, keys, wanted, *, signed: Date | None = None, console=None, on_saved=None
) -> dict:
    """Make the wanted formats of the given reports (see the module doc).

    ``reports``: the manifest's ``reports`` mapping (entries are updated in place);
    ``on_saved(path, sha256)`` is called for every file written. Returns seconds spent per format
    and the number of files made: ``{"pdf": [seconds, n], ...}``. A format that fails for one
    report is reported on the console and left out; it does not fail the build."""
    outputs = Path(outputs)
    wanted = [f for f in EXTRA if f in set(wanted)]
    todo = []
    for key in keys:
        e = reports.get(key)
        if not e or e.get("status") not in ("ok", "skipped") or "html" not in (e.get("outputs") or {}):
            continue
        outs = e["outputs"]
        for fmt in EXTRA:
            rel = f"{key}.{fmt}"
            if fmt in wanted:
                if not _current(outputs, outs.get(fmt)):
                    todo.append((key, fmt))
            elif fmt not in outs and (outputs / rel).exists():
                (outputs / rel).unlink()  # left by an older build that no longer describes it
    spent: dict = {}
    if not todo:
        return spent
    printer = None
    try:
        if any(fmt == "pdf" for _, fmt in todo):
            from baocao.export.pdf import Printer

            printer = Printer().__enter__()
        for key, fmt in todo:
            e = reports[key]
            t0 = time.perf_counter()
            try:
                data = make(fmt, outputs, e, printer=printer, signed=signed)
            except Exception as exc:  # noqa: BLE001 - one report's PDF failing does not fail the build
                e["outputs"].pop(fmt, None)
                if console is not None:
                    console.print(
                        f"[yellow]{key}.{fmt}: not written — {type(exc).__name__}: "
                        f"{str(exc).splitlines()[0] if str(exc) else ''}[/]"
                    )
                continue
            rel = f"{key}.{fmt}"
            atomic_write_bytes(outputs / rel, data)
            e["outputs"][fmt] = {"path": rel, "bytes": len(data), "sha256": _sha(data)}
            if on_saved:
                on_saved(rel, e["outputs"][fmt]["sha256"])
            s = spent.setdefault(fmt, [0.0, 0])
            s[0] += time.perf_counter() - t0
            s[1] += 1
    finally:
        if printer is not None:
            printer.__exit__(None, None, None)
    return spent
