"""The ``baocao`` command. Every subcommand has ``--help``.

Errors the user can fix are printed as one clear line each (no traceback) and the exit
code is non-zero.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from baocao.errors import EXIT_OK, EXIT_PROBLEMS, EXIT_USAGE, UserError  # noqa: F401 - UserError: re-exported


def _print_problems(problems, lang: str, out=None) -> None:
    out = out or sys.stdout  # looked up at call time, so redirected output is honoured
    for p in problems.itertuples(index=False):
        place = p.file + (f", dòng {p.row}" if lang == "vi" else f", row {p.row}") if p.row != "" else p.file
        if p.column:
            place += (", cột " if lang == "vi" else ", column ") + str(p.column)
        level = "" if p.importance == "blocking" else (" [cảnh báo]" if lang == "vi" else " [warning]")
        msg = p.message_vi if lang == "vi" else p.message_en
        other = p.message_en if lang == "vi" else p.message_vi
        print(f"{place}{level}: {msg} — {other} (rule {p.rule})", file=out)


def cmd_validate(args) -> int:
    from baocao.aggregate import aggregate, aggregate_periods
    from baocao.io.dataset import load
    from baocao.io.tables import write_csv
    from baocao.reconcile import reconcile
    from baocao.report import reconciliation_table

    files = args.files or None
    ds = load(files, args.published or None, args.catalogue)
    vi = args.lang == "vi"
    blocking = ds.problems[ds.problems["importance"] == "blocking"] if len(ds.problems) else ds.problems
    print(("Kiểm tra số liệu: " if vi else "Validation: ") + ", ".join(ds.files))
    _print_gso_warnings(ds.catalogue, args.lang)
    if len(ds.problems):
        _print_problems(ds.problems, args.lang)
    if len(blocking):
        n = len(blocking)
        print((f"{n} lỗi; không ghi gì. " if vi else f"{n} problem(s); nothing written. ") + ("Sửa tệp rồi chạy lại." if vi else "Fix the file(s) and run again."), file=sys.stderr)
        return EXIT_PROBLEMS
    print(f"  {len(ds.observations) + len(ds.periods)} " + ("dòng hợp lệ, không có lỗi." if vi else "rows valid, no blocking problem."))
    agg = aggregate(ds.observations, ds.catalogue, ds.registry)
    period_agg = aggregate_periods(ds.periods, ds.catalogue, ds.registry)
    rec = reconcile(ds.published, agg, ds.catalogue, period_agg) if len(ds.published) else None
    if rec is not None:
        print("\n" + ("Đối chiếu với số liệu đã công bố:" if vi else "Reconciliation with published figures:"))
        table = reconciliation_table(rec, ds.catalogue, lang=args.lang)
        print(table.to_string(index=False))
    if args.out:
        out = Path(args.out)
        write_csv(out / "validation.csv", ds.problems)
        if rec is not None:
            write_csv(out / "reconciliation.csv", rec)
        print(("Đã ghi " if vi else "Wrote ") + f"{out / 'validation.csv'}" + (f", {out / 'reconciliation.csv'}" if rec is not None else ""))
    return EXIT_OK


def _print_gso_warnings(catalogue, lang: str) -> None:
    """The GSO tables against their catalogue declarations: warnings only, the exit code is the data's."""
    from baocao.io.gso import gso_warnings, raw_dir

    if not raw_dir().is_dir():
        return
    found = gso_warnings(catalogue=catalogue)
    if len(found):
        print("Bảng GSO (data/gso/raw):" if lang == "vi" else "GSO tables (data/gso/raw):")
        _print_problems(found.assign(file=[f if f.startswith("data/") else f"data/gso/raw/{f}" for f in found["file"]]), lang)


def cmd_units(args) -> int:
    from baocao import units

    reg = units.legacy() if args.structure == "legacy" else units.current()
    try:
        u = reg.get(args.query, level=args.level)
    except LookupError as exc:
        raise UserError(str(exc)) from None
    path = " › ".join(reg.unit(c).name for c in reg.path(u.code))
    print(f"{u.code}  {u.name}  ({u.level})  {path}  lat={u.lat} lon={u.lon}")
    for child in reg.children(u.code) if args.children else []:
        print(f"  {child.code}  {child.name}")
    return EXIT_OK


def build_parser() -> argparse.ArgumentParser:
    ap = argparse.ArgumentParser(prog="baocao", description="Báo cáo chỉ tiêu có thể tái lập / reproducible indicator reports")
    ap.add_argument("--version", action="version", version="baocao " + __import__("baocao").__version__)
    sub = ap.add_subparsers(dest="command", metavar="COMMAND")

    v = sub.add_parser("validate", help="validate data files and reconcile with published figures", description="Kiểm tra số liệu theo danh mục và quy tắc, rồi đối chiếu với số liệu đã công bố. Validate observation files against the catalogue and rule table, then reconcile with published figures. Exit 1 when a blocking problem is found (nothing is written); reconciliation findings do not change the exit code.")
    v.add_argument("files", nargs="*", help="observation CSV files (default: data/thoai_son/observations.csv)")
    v.add_argument("--published", action="append", metavar="FILE", help="published-figures CSV (default with the default data: data/thoai_son/published.csv)")
    v.add_argument("--out", metavar="DIR", help="also write validation.csv and reconciliation.csv to DIR")
    v.add_argument("--catalogue", metavar="DIR", help="catalogue folder (default data/catalogue)")
    v.add_argument("--lang", choices=["vi", "en"], default="vi", help="language of messages (default vi)")
    v.set_defaults(func=cmd_validate)

    u = sub.add_parser("units", help="look up an administrative unit by code or name", description="Tra cứu đơn vị hành chính theo mã hoặc tên (không phân biệt dấu, hoa thường). Look up a unit by code or name, accent- and case-insensitive.")
    u.add_argument("query", help='code or name, e.g. 894, "thoai son", "Phú Hòa, Thoại Sơn"')
    u.add_argument("--level", choices=["province", "district", "commune"])
    u.add_argument("--structure", choices=["legacy", "2025"], default="legacy", help="unit list: legacy (until 30 June 2025) or 2025")
    u.add_argument("--children", action="store_true", help="list the children too")
    u.set_defaults(func=cmd_units)

    from baocao import (  # subcommands kept in modules of their own
        builder_cli,
        excel_cli,
        export_cli,
        onboard,
        preview,
    )

    builder_cli.register(sub)
    excel_cli.register(sub)
    export_cli.register(sub)
    onboard.register(sub)
    preview.register(sub)
    return ap


def main(argv=None) -> int:
    from baocao.lean_imports import skip_unused_optional_imports

    skip_unused_optional_imports()
    # Imported here, not at the top: a build's spawned workers re-import this module (the
    # command's), and these bring pandas, which a worker does not need (see baocao.worker).
    from baocao.catalogue import CatalogueError
    from baocao.io.tables import InputFileError

    ap = build_parser()
    args = ap.parse_args(argv)
    if not getattr(args, "func", None):
        ap.print_help()
        return EXIT_USAGE
    try:
        return args.func(args)
    except UserError as exc:
        print(f"baocao {args.command}: {exc}", file=sys.stderr)
        return EXIT_USAGE
    except (CatalogueError, InputFileError) as exc:
        print(f"baocao {args.command}: {exc}", file=sys.stderr)
        return EXIT_PROBLEMS
    except BrokenPipeError:  # output piped into `head` and closed
        sys.stdout = None
        return EXIT_OK
    except KeyboardInterrupt:
        print("baocao: interrupted / đã dừng", file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main())
