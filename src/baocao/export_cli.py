"""``baocao export EXECUTED.ipynb``: one executed report as the builder's page (and PDF, Word, Excel).

The same page as ``baocao build`` writes — title, table of contents, no code, no "¶", cells of the
other language removed — for a notebook run by hand (papermill, JupyterLab). Plain
``jupyter nbconvert`` cannot add the table of contents, which is made in Python.
"""

from __future__ import annotations

DESCRIPTION = """\
Xuất một notebook báo cáo đã chạy (papermill, JupyterLab) thành trang HTML giống hệt trang do
`baocao build` tạo (tiêu đề, mục lục, không có mã), và nếu muốn cả PDF, Word, Excel bên cạnh.
Export one executed report notebook as the page `baocao build` makes (title, contents, no code),
optionally with PDF, Word and Excel beside it.
"""

EPILOG = """\
example:
  papermill notebooks/district_report.ipynb /tmp/ts2023.ipynb -p year 2023 --cwd notebooks
  baocao export /tmp/ts2023.ipynb --pdf        # /tmp/ts2023.html and /tmp/ts2023.pdf
"""


def cmd_export(args) -> int:
    from pathlib import Path

    import nbformat

    from baocao import formats, html
    from baocao.errors import UserError
    from baocao.io.tables import atomic_write_bytes, atomic_write_text
    from baocao.render import select_language, summary_from_notebook

    src = Path(args.notebook)
    try:
        nb = nbformat.read(src, as_version=4)
    except (OSError, ValueError) as exc:
        raise UserError(f"{src}: not a readable notebook ({exc})") from None
    params = (nb.metadata.get("papermill") or {}).get("parameters") or {}
    lang = args.lang or params.get("lang") or "vi"
    found = summary_from_notebook(nb)
    title = args.title or (found or {}).get("title") or src.stem
    out = Path(args.out) if args.out else src.with_suffix(".html")
    atomic_write_text(out, html.export_html(select_language(nb, lang), title=title, lang=lang))
    print(out)
    wanted = [f for f in ("pdf", "docx", "xlsx") if getattr(args, f)]
    if not wanted:
        return 0
    unit = next((str(params[k]) for k in ("commune", "district", "province") if k in params), "")
    level = next((k for k in ("commune", "district", "province") if k in params), "country")
    unit_name = ""
    if unit:
        from baocao import units

        try:
            u = units.legacy().get(unit, level=level)
            unit, unit_name = u.code, u.label(lang)
        except LookupError:
            unit_name = unit
    nb_path = out.with_suffix(".export.ipynb")
    atomic_write_text(nb_path, nbformat.writes(nb))
    entry = {"title": title, "lang": lang, "notebook": src.stem, "unit": unit, "unit_name": unit_name, "level": level,
             "year": int(params.get("year") or 0) or None,
             "outputs": {"html": {"path": out.name}, "ipynb": {"path": nb_path.name}}}
    try:
        printer = None
        if "pdf" in wanted:
            from baocao.pdf import Printer

            printer = Printer().__enter__()
        for fmt in wanted:
            data = formats.make(fmt, out.parent, entry, printer=printer)
            atomic_write_bytes(out.with_suffix(f".{fmt}"), data)
            print(out.with_suffix(f".{fmt}"))
    finally:
        nb_path.unlink(missing_ok=True)
        if printer is not None:
            printer.__exit__(None, None, None)
    return 0


def register(sub) -> None:
    import argparse

    e = sub.add_parser("export", help="one executed report notebook as the builder's HTML page (and PDF, Word, Excel)",
                       description=DESCRIPTION, epilog=EPILOG, formatter_class=argparse.RawDescriptionHelpFormatter)
    e.add_argument("notebook", metavar="EXECUTED.ipynb", help="a report notebook executed by papermill or JupyterLab")
    e.add_argument("-o", "--out", metavar="FILE.html", help="the page to write (default: beside the notebook)")
    e.add_argument("--lang", choices=("vi", "en"), help="report language (default: the notebook's lang parameter)")
    e.add_argument("--title", help="page title (default: the report's own title)")
    e.add_argument("--pdf", action="store_true", help="also print the page to A4 PDF (Chromium)")
    e.add_argument("--docx", action="store_true", help="also write the Word report (Decree 30 layout)")
    e.add_argument("--xlsx", action="store_true", help="also write the Excel workbook of its tables")
    e.set_defaults(func=cmd_export)
