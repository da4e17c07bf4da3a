"""The other files of a built report, made from its HTML page and executed notebook.

Beside ``2024/894/district_report.html`` a build can write:

- ``.xlsx`` — every table of the report, one sheet each, numbers as numbers (:mod:`baocao.export.workbook`);
  when the plan says ``formats: [html, xlsx]`` or ``--xlsx`` (every page also offers each of its
  tables as CSV, without any of these files);
- ``.docx`` — the report as the official document its issuer files, in the party's format
  (HD 36-HD/VPTW) or the state's (ND 30/2020/NĐ-CP) (:mod:`baocao.export.word`); when the plan says
  ``formats: [html, docx]`` or ``--docx``;
- ``.pdf`` — that document's PDF, converted from the Word file by LibreOffice
  (:mod:`baocao.export.office`), and ``.web.pdf`` — the web page printed to A4 by Chromium
  (:mod:`baocao.export.pdf`); both when the plan says ``formats: [html, pdf]`` or ``--pdf``;
- ``.NAME.docx`` and ``.NAME.pdf`` — a second document made from the same report when the plan
  names one (``issuer: {district_report.ubnd: …}``, :mod:`baocao.export.issuer`).

:func:`write_formats` runs after the reports of a build are written: for every report of the
build that is fine, it makes the files that are wanted and missing, changed since the manifest
recorded them, or made from another issuer or date (each document's record keeps the
``recipe`` it was made from), records them in the report's manifest entry (path, bytes, sha256,
like the HTML), and removes files the entry no longer claims. A report that did not need to run
still gets a format asked for the first time, without running its notebook again. All the PDFs
of the documents are converted by one LibreOffice run.
"""

from __future__ import annotations

import hashlib
import json
import time
from datetime import date as Date
from pathlib import Path

from baocao.errors import BaocaoError
from baocao.io.tables import atomic_write_bytes

FORMATS = ("html", "pdf", "docx", "xlsx")
ALWAYS = ("html",)
EXTRA = ("xlsx", "pdf", "docx")
WEB_PDF = "web.pdf"  # the page printed by Chromium: "bản in trang web"
OWN = ("html", "ipynb", "failed_ipynb")  # a report's own outputs, written by the builder
MADE = (".pdf", ".docx", ".xlsx")  # endings of the files made here


class FormatError(BaocaoError, ValueError):
    """An unknown output format; one line for the user (``message_vi`` / ``message_en``)."""

    def __init__(self, message_en: str, message_vi: str | None = None):
        self.message_en = message_en
        self.message_vi = message_en if message_vi is None else message_vi
        super().__init__(message_en if message_vi is None else f"{message_vi} / {message_en}")


def check_formats(values) -> tuple[str, ...]:
    """The formats asked for, in :data:`FORMATS` order, with the ones always written."""
    wanted = set(ALWAYS)
    for v in values or ():
        v = str(v).strip().lower().lstrip(".")
        if v not in FORMATS:
            raise FormatError(
                f"unknown output format {v!r}; formats: {', '.join(FORMATS)}",
                f"không có định dạng {v!r}; các định dạng: {', '.join(FORMATS)}",
            )
        wanted.add(v)
    return tuple(f for f in FORMATS if f in wanted)


def files_for(notebook: str, wanted, issuers: dict | None = None) -> list[tuple[str, str, dict | None]]:
    """The files a report gets for the formats ``wanted``: ``(suffix, format, issuer spec)`` —
    ``("xlsx", "xlsx", None)``, ``("docx", "docx", {})``, ``("pdf", "pdf", {})``,
    ``("web.pdf", "web", None)``, ``("ubnd.docx", "docx", {...})`` …"""
    from baocao.export.issuer import documents

    wanted = set(wanted)
    out: list[tuple[str, str, dict | None]] = []
    if "xlsx" in wanted:
        out.append(("xlsx", "xlsx", None))
    for doc, spec in documents(notebook, issuers or {}):
        prefix = f"{doc}." if doc else ""
        if "docx" in wanted:
            out.append((f"{prefix}docx", "docx", {**spec, "doc": doc}))
        if "pdf" in wanted:
            out.append((f"{prefix}pdf", "pdf", {**spec, "doc": doc}))
    if "pdf" in wanted:
        out.append((WEB_PDF, "web", None))
    return out


def is_made(suffix: str) -> bool:
    """Whether an output of a manifest entry is one of the files made here (index pages list them)."""
    return suffix not in OWN and suffix.endswith(tuple(m.lstrip(".") for m in MADE))


def _sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def recipe(spec: dict | None, signed: Date | None) -> str:
    """What a document was made from besides its report: the plan's issuer and date."""
    if spec is None:
        return ""
    return _sha(
        json.dumps({"issuer": spec, "date": signed.isoformat() if signed else None}, sort_keys=True).encode()
    )[:16]


def _current(outputs: Path, record: dict | None, made_from: str) -> bool:
    if not record or record.get("recipe", "") != made_from:
        return False
    p = outputs / record["path"]
    try:
        return _sha(p.read_bytes()) == record.get("sha256")
    except OSError:
        return False


def _units(entry: dict):
    """The report's unit and its parent (:class:`baocao.data.units.Unit`), or (None, None): the code
    read against the unit list of the report's data folder (``91`` is the new An Giang in a folder of
    the 2025 list, Kiên Giang in a legacy one); legacy first, then 2025, when the folder does not say."""
    from baocao.data import unit_lists
    from baocao.data import units as un
    from baocao.errors import BaocaoError
    from baocao.io.dataset_meta import folder_unit_list

    code = str(entry.get("unit") or "")
    if not code or entry.get("level") == "country":
        return None, None
    try:
        named = folder_unit_list(str((entry.get("parameters") or {}).get("data_dir") or ""))
        lists = [lambda: unit_lists.registry(named)]
    except BaocaoError:
        lists = [un.legacy, un.current]
    for registry in lists:
        try:
            reg = registry()
            return reg.unit(code), reg.parent(code)
        except (LookupError, KeyError, ValueError):
            continue
    return None, None


def issuer_of(entry: dict, spec: dict | None):
    """The :class:`baocao.export.issuer.Issuer` of a report's document: the plan's ``spec`` (its
    ``system`` the report kind's unless the plan says otherwise) over the defaults of the report's
    unit."""
    from baocao.export.issuer import issuer_for

    spec = dict(spec or {})
    doc = spec.pop("doc", "")
    unit, parent = _units(entry)
    return issuer_for(
        spec,
        level=entry.get("level") or "",
        unit=unit,
        parent=parent,
        doc=doc,
    )


def period_of(entry: dict, lang: str) -> str:
    """``năm 2024`` / ``giai đoạn 2022–2024`` (``2024``, ``2022–2024`` in English)."""
    params = entry.get("parameters") or {}
    year = int(params.get("year") or entry.get("year") or 0)
    first = int(params.get("year_from") or 0)
    if lang == "vi":
        return f"giai đoạn {first}–{year}" if first and first != year else (f"năm {year}" if year else "")
    return f"{first}–{year}" if first and first != year else (str(year) if year else "")


def subject_of(entry: dict, content, issuer) -> str:
    """The document's subject (trích yếu) without its period: the plan's ``subject``, else the
    report kind's title without "Báo cáo" (never the page title's " — unit, period")."""
    if issuer.subject:
        return issuer.subject
    title = entry.get("notebook_title") or content.title.split(" — ")[0] or entry.get("notebook", "")
    for word in ("Báo cáo ", "Report on ", "Report "):
        if title.startswith(word) and len(title) > len(word):
            title = title[len(word) :]
            break
    head, sep, rest = title.partition(": ")
    if sep and len(head.split()) <= 3 and head.lower().startswith(("cấp ", "commune", "district")):
        title = rest  # "Báo cáo cấp xã: kết quả …" → "kết quả …"
    return title[:1].upper() + title[1:]


def coverage_of(entry: dict, reporting: list[str] | None = None):
    """What a built report covers, for its workbook's notes: its unit, its year or period, and the
    reporting rates its title block recorded (``reporting``: :attr:`baocao.export.blocks.Notes.reporting`,
    one line per year, ``Năm 2024: 12/13 xã báo cáo đủ; …``)."""
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
        reporting=list(reporting or []),
    )


def _notebook(outputs: Path, entry: dict):
    import nbformat

    return nbformat.reads(
        (outputs / entry["outputs"]["ipynb"]["path"]).read_text(encoding="utf-8"), as_version=4
    )


def document(outputs: Path, entry: dict, spec: dict | None, signed: Date | None = None, items=None) -> bytes:
    """The .docx of one document of a built report (its notebook is on disk)."""
    from baocao.export import blocks as exports
    from baocao.export.document import official
    from baocao.export.word import docx_bytes

    lang = entry.get("lang") or "vi"
    issuer = issuer_of(entry, spec)
    items = items if items is not None else exports.blocks(_notebook(outputs, entry), lang)
    try:
        content = official(items, issuer.sections)
    except LookupError as exc:
        raise FormatError(f"issuer.{entry['notebook']}.{issuer.doc}.sections: {exc}") from None
    return docx_bytes(
        content,
        issuer=issuer,
        subject=subject_of(entry, content, issuer),
        period=period_of(entry, lang),
        signed=signed,
        lang=lang,
    )


def make(
    fmt: str,
    outputs: Path,
    entry: dict,
    *,
    printer=None,
    signed: Date | None = None,
    spec=None,
    items=None,
    notes=None,
) -> bytes:
    """The bytes of one file of one built report (its HTML and notebook are on disk): ``xlsx``,
    ``docx`` (the document of ``spec``), ``web`` (the page printed by Chromium) or ``pdf`` (the
    document converted by LibreOffice; :func:`write_formats` converts many in one run). ``items`` and
    ``notes``: the report's blocks and notes when the caller has read them already."""
    from baocao.export import blocks as exports

    lang = entry.get("lang") or "vi"
    title = entry.get("title") or entry.get("notebook_title") or entry["notebook"]
    if fmt == "web":
        from baocao.export.pdf import data_date

        html_path = outputs / entry["outputs"]["html"]["path"]
        date = data_date(html_path.read_text(encoding="utf-8"))
        return printer.pdf(html_path, title=title, date=date, lang=lang)
    if fmt in ("xlsx", "docx", "pdf") and (items is None or notes is None):
        notes = exports.Notes()
        items = exports.blocks(_notebook(outputs, entry), lang, notes)
    if fmt == "xlsx":
        from baocao.export.workbook import workbook_bytes

        return workbook_bytes(
            [b for b in items if b.type == "table"],
            title=title,
            lang=lang,
            notes=notes,
            coverage=coverage_of(entry, notes.reporting),
        )
    if fmt == "docx":
        return document(outputs, entry, spec, signed, items)
    if fmt == "pdf":
        from baocao.export.office import convert

        return convert({"document": document(outputs, entry, spec, signed, items)})["document"]
    raise FormatError(f"no maker for format {fmt!r}")


def _stale(outputs: Path, key: str, outs: dict) -> list[Path]:
    """Files beside a report that look made here (``name.*.pdf``, ``.docx``, ``.xlsx``) and that
    its manifest entry does not claim: left by an older build, an older plan."""
    html = outputs / f"{key}.html"
    claimed = {outputs / o["path"] for o in outs.values() if isinstance(o, dict) and "path" in o}
    name = Path(key).name
    return sorted(
        p
        for p in html.parent.glob(f"{name}.*")
        if p.name.endswith(MADE) and p not in claimed and p.name[len(name) + 1 :].count(".") <= 1
    )


def write_formats(
    outputs: Path,
    reports: dict,
    keys,
    wanted,
    *,
    signed: Date | None = None,
    issuers: dict | None = None,
    console=None,
    on_saved=None,
) -> dict:
    """Make the wanted files of the given reports (see the module doc).

    ``reports``: the manifest's ``reports`` mapping (entries are updated in place); ``issuers``:
    the plan's ``issuer:`` (checked); ``on_saved(path, sha256)`` is called for every file
    written. Returns seconds spent per format and the number of files made: ``{"pdf": [seconds,
    n], ...}``. A file that fails for one report is reported on the console and left out; it does
    not fail the build."""
    outputs = Path(outputs)
    wanted = [f for f in EXTRA if f in set(wanted)]
    todo = []
    for key in keys:
        e = reports.get(key)
        if not e or e.get("status") not in ("ok", "skipped") or "html" not in (e.get("outputs") or {}):
            continue
        outs = e["outputs"]
        for suffix, fmt, spec in files_for(e["notebook"], wanted, issuers):
            made_from = recipe(spec, signed)
            if not _current(outputs, outs.get(suffix), made_from):
                todo.append((key, suffix, fmt, spec, made_from))
        for p in _stale(outputs, key, outs):
            p.unlink()
    spent: dict = {}
    if not todo:
        return spent

    def fail(key: str, suffix: str, exc: Exception) -> None:
        reports[key]["outputs"].pop(suffix, None)
        if console is not None:
            console.print(
                f"[yellow]{key}.{suffix}: not written — {type(exc).__name__}: "
                f"{str(exc).splitlines()[0] if str(exc) else ''}[/]"
            )

    def save(key: str, suffix: str, data: bytes, made_from: str, fmt: str, seconds: float) -> None:
        rel = f"{key}.{suffix}"
        atomic_write_bytes(outputs / rel, data)
        reports[key]["outputs"][suffix] = {"path": rel, "bytes": len(data), "sha256": _sha(data)}
        if made_from:
            reports[key]["outputs"][suffix]["recipe"] = made_from
        if on_saved:
            on_saved(rel, reports[key]["outputs"][suffix]["sha256"])
        s = spent.setdefault(fmt, [0.0, 0])
        s[0] += seconds
        s[1] += 1

    printer = None
    to_convert: list[tuple[str, str, bytes, str]] = []
    blocks_of: dict = {}
    docx_of: dict = {}  # (report, document) → its .docx, made once for the Word file and the PDF
    try:
        if any(fmt == "web" for _, _, fmt, _, _ in todo):
            from baocao.export.pdf import Printer

            printer = Printer().__enter__()
        for key, suffix, fmt, spec, made_from in todo:
            e = reports[key]
            t0 = time.perf_counter()
            try:
                items = notes = None
                if fmt in ("xlsx", "docx", "pdf"):
                    if key not in blocks_of:
                        from baocao.export import blocks as exports

                        notes = exports.Notes()
                        blocks_of = {
                            key: (exports.blocks(_notebook(outputs, e), e.get("lang") or "vi", notes), notes)
                        }
                    items, notes = blocks_of[key]
                doc_key = (key, json.dumps(spec, sort_keys=True))
                if fmt == "pdf":  # the Word file first; all of them are converted in one run below
                    if doc_key not in docx_of:
                        docx_of[doc_key] = document(outputs, e, spec, signed, items)
                    to_convert.append((key, suffix, docx_of[doc_key], made_from))
                    spent.setdefault("pdf", [0.0, 0])[0] += time.perf_counter() - t0
                    continue
                data = make(
                    fmt, outputs, e, printer=printer, signed=signed, spec=spec, items=items, notes=notes
                )
                if fmt == "docx":
                    docx_of[doc_key] = data
            except Exception as exc:  # noqa: BLE001 - one report's file failing does not fail the build
                fail(key, suffix, exc)
                continue
            save(key, suffix, data, made_from, fmt, time.perf_counter() - t0)
    finally:
        if printer is not None:
            printer.__exit__(None, None, None)
    if to_convert:
        from baocao.export.office import convert

        t0 = time.perf_counter()
        try:
            pdfs = convert({f"{key}.{suffix}": docx for key, suffix, docx, _ in to_convert})
        except Exception as exc:  # noqa: BLE001 - no LibreOffice: every document PDF is left out, said once
            for key, suffix, _, _ in to_convert:
                reports[key]["outputs"].pop(suffix, None)
            if console is not None:
                console.print(
                    f"[yellow]{len(to_convert)} document PDFs not written — {str(exc).splitlines()[0]}[/]"
                )
            return spent
        each = (time.perf_counter() - t0) / len(to_convert)
        for key, suffix, _, made_from in to_convert:
            name = f"{key}.{suffix}"
            if name in pdfs:
                save(key, suffix, pdfs[name], made_from, "pdf", each)
            else:
                fail(key, suffix, FormatError("LibreOffice made no PDF of it"))
        spent["pdf"][1] = sum(1 for k, s, _, _ in to_convert if f"{k}.{s}" in pdfs)
    return spent
