"""``baocao export``: an executed report notebook as the page ``baocao build`` makes, and its PDF,
Word and Excel files if asked."""

from __future__ import annotations

import argparse
from pathlib import Path

from baocao.config import RUN
from baocao.errors import UserError

EXPORT_DESCRIPTION = """\
Xuất một notebook báo cáo đã chạy (papermill, JupyterLab) thành trang HTML giống hệt trang do
`baocao build` tạo (tiêu đề, mục lục, không có mã), và nếu muốn cả PDF, Word, Excel bên cạnh.
Export one executed report notebook as the page `baocao build` makes (title, contents, no code),
optionally with PDF, Word and Excel beside it.
"""

EXPORT_EPILOG = f"""\
example (in the project folder, as the README runs them):
  .venv/bin/papermill notebooks/district_report.ipynb /tmp/ts2023.ipynb -p year 2023 --cwd notebooks
  {RUN} export /tmp/ts2023.ipynb --pdf        # /tmp/ts2023.html, .pdf (the document), .web.pdf (the page)
"""


def cmd_export(args) -> int:

    import nbformat

    from baocao.build import html
    from baocao.build.execute import select_language, summary_from_notebook
    from baocao.export import formats
    from baocao.io.tables import atomic_write_bytes, atomic_write_text

    src = Path(args.notebook)
    try:
        nb = nbformat.read(src, as_version=4)
    except (OSError, ValueError) as exc:
        raise UserError(f"{src}: không đọc được notebook / not a readable notebook ({exc})") from None
    params = (nb.metadata.get("papermill") or {}).get("parameters") or _injected_parameters(nb)
    lang = args.lang or params.get("lang") or "vi"
    found = summary_from_notebook(nb)
    title = args.title or (found or {}).get("title") or src.stem
    out = Path(args.out) if args.out else src.with_suffix(".html")
    atomic_write_text(out, html.export_html(select_language(nb, lang), title=title, lang=lang))
    print(out)
    wanted = [f for f in ("pdf", "docx", "xlsx") if getattr(args, f)]
    if not wanted:
        return 0
    from baocao.reports import registry

    kind = registry.get(registry.kind_of(nb.metadata))
    if kind is not None:  # the registry says which parameter names the report's unit, and its level
        unit, level = (str(params.get(kind.unit_parameter) or "") if kind.unit_parameter else ""), kind.level
    else:  # a notebook of no registered kind: its first unit-like parameter
        unit = next((str(params[k]) for k in ("commune", "district", "province") if k in params), "")
        level = next((k for k in ("commune", "district", "province") if k in params), "country")
    unit_name = ""
    if unit:
        from baocao.data import unit_lists
        from baocao.errors import BaocaoError
        from baocao.io.dataset_meta import folder_unit_list

        # the code in the list of the report's data folder: 30682 is Núi Sập before 2025, Thoại Sơn after
        try:
            listed = folder_unit_list(str(params.get("data_dir") or ""))
        except BaocaoError:
            listed = "legacy"
        try:
            u = unit_lists.registry(listed).get(unit, level=level)
            unit, unit_name = u.code, u.label(lang)
        except LookupError:
            unit_name = unit
    nb_path = out.with_suffix(".export.ipynb")
    atomic_write_text(nb_path, nbformat.writes(nb))
    entry = {
        "title": title,
        "lang": lang,
        "notebook": src.stem,
        "kind": kind.name if kind is not None else None,  # the system of its document (party, state)
        "notebook_title": kind.title(lang) if kind is not None else None,
        "parameters": params,
        "unit": unit,
        "unit_name": unit_name,
        "level": level,
        "year": int(params.get("year") or 0) or None,
        "outputs": {"html": {"path": out.name}, "ipynb": {"path": nb_path.name}},
    }
    try:
        printer = None
        if "pdf" in wanted:  # the web page's print (.web.pdf); the document's PDF comes from LibreOffice
            from baocao.export.pdf import Printer

            printer = Printer().__enter__()
        issuers = {src.stem: {"system": kind.issuer if kind is not None else "state"}}
        for suffix, fmt, spec in formats.files_for(src.stem, wanted, issuers):
            data = formats.make(fmt, out.parent, entry, printer=printer, spec=spec)
            atomic_write_bytes(out.with_suffix(f".{suffix}"), data)
            print(out.with_suffix(f".{suffix}"))
    finally:
        nb_path.unlink(missing_ok=True)
        if printer is not None:
            printer.__exit__(None, None, None)
    return 0


def _injected_parameters(nb) -> dict:
    """The parameters papermill injected (the cell tagged ``injected-parameters``), for a notebook
    whose metadata does not record them (the builder's executed notebooks)."""
    import ast

    for cell in nb.cells:
        if "injected-parameters" in (cell.get("metadata", {}).get("tags") or []):
            out = {}
            for node in ast.parse(cell.source).body:
                one = isinstance(node, ast.Assign) and len(node.targets) == 1
                if one and isinstance(node.targets[0], ast.Name):
                    try:
                        out[node.targets[0].id] = ast.literal_eval(node.value)
                    except ValueError:
                        continue
            return out
    return {}


def add_parsers(sub) -> None:

    e = sub.add_parser(
        "export",
        help="one executed report notebook as the builder's HTML page (and PDF, Word, Excel)",
        description=EXPORT_DESCRIPTION,
        epilog=EXPORT_EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    e.add_argument(
        "notebook", metavar="EXECUTED.ipynb", help="a report notebook executed by papermill or JupyterLab"
    )
    e.add_argument(
        "-o", "--out", metavar="FILE.html", help="the page to write (default: beside the notebook)"
    )
    e.add_argument(
        "--lang", choices=("vi", "en"), help="report language (default: the notebook's lang parameter)"
    )
    e.add_argument("--title", help="page title (default: the report's own title)")
    e.add_argument(
        "--pdf",
        action="store_true",
        help="also write the official document's PDF (LibreOffice) and the page's print, .web.pdf (Chromium)",
    )
    e.add_argument(
        "--docx",
        action="store_true",
        help="also write the official document (party HD 36 or state ND 30 format)",
    )
    e.add_argument("--xlsx", action="store_true", help="also write the Excel workbook of its tables")
    e.set_defaults(func=cmd_export)


# ---------------------------------------------------------------- baocao init-district
