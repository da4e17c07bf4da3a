"""``baocao validate`` (the data against the catalogue and rules, reconciled with the published
figures) and ``baocao units`` (look a unit up by code or name)."""

from __future__ import annotations

import sys
from pathlib import Path

from baocao.errors import EXIT_OK, EXIT_PROBLEMS, UserError


def _row_order(row) -> tuple:
    return (0, int(row)) if str(row).isdigit() else (1 if row == "" else 2, 0)


def print_problems(problems, lang: str, out=None) -> None:
    """One line per problem (a DataFrame of problems, or their rows as dicts), in file and line order:
    place, the message in the chosen language, then in the other one (each once), and the rule."""
    out = out or sys.stdout  # looked up at call time, so redirected output is honoured
    vi = lang == "vi"
    rows = problems.to_dict("records") if hasattr(problems, "to_dict") else list(problems)
    rows = sorted(rows, key=lambda p: (str(p["file"]), _row_order(p["row"])))
    for p in rows:
        row, column = p["row"], p["column"]
        place = p["file"] + (f", dòng {row}" if vi else f", row {row}") if row != "" else p["file"]
        if column:
            place += (", cột " if vi else ", column ") + str(column)
        level = "" if p["importance"] == "blocking" else (" [cảnh báo]" if vi else " [warning]")
        msg = p["message_vi"] if vi else p["message_en"]
        other = p["message_en"] if vi else p["message_vi"]
        both = msg if other == msg else f"{msg} — {other}"
        print(f"{place}{level}: {both} ({'quy tắc' if vi else 'rule'} {p['rule']})", file=out)


def cmd_validate(args) -> int:
    from baocao.data import unit_lists
    from baocao.data.aggregate import aggregate, aggregate_periods
    from baocao.data.reconcile import observation_rows, reconcile
    from baocao.data.unit_lists import UnitListError
    from baocao.fmt import number
    from baocao.io.dataset import load
    from baocao.io.tables import write_csv
    from baocao.reports.local.data_quality import reconciliation_frame

    files = args.files or None
    try:
        ds = load(files, args.published or None, args.catalogue, args.unit_list)
    except UnitListError as exc:
        raise UserError(str(exc)) from None
    vi = args.lang == "vi"
    blocking = ds.problems[ds.problems["importance"] == "blocking"] if len(ds.problems) else ds.problems
    print(
        ("Kiểm tra số liệu: " if vi else "Validation: ")
        + ", ".join(ds.files)
        + f" — {unit_lists.label(ds.unit_list, args.lang)}"
    )
    gso_blocking = _print_gso_warnings(ds.catalogue, args.lang)
    if len(ds.problems):
        print_problems(ds.problems, args.lang)
    if len(blocking) or gso_blocking:
        n = len(blocking) + gso_blocking
        print(
            (
                f"{number(n)} lỗi; không ghi gì. "
                if vi
                else f"{number(n, lang='en')} problem(s); nothing written. "
            )
            + ("Sửa tệp rồi chạy lại." if vi else "Fix the file(s) and run again."),
            file=sys.stderr,
        )
        return EXIT_PROBLEMS
    print(
        f"  {number(len(ds.observations) + len(ds.periods), lang=args.lang)} "
        + ("dòng hợp lệ, không có lỗi." if vi else "rows valid, no blocking problem.")
    )
    agg = aggregate(ds.observations, ds.catalogue, ds.registry)
    period_agg = aggregate_periods(ds.periods, ds.catalogue, ds.registry)
    rec = (
        reconcile(
            ds.published,
            agg,
            ds.catalogue,
            period_agg,
            rows=observation_rows(ds.observations, ds.periods),  # what each figure is recomputed from
            registry=ds.registry,
            sources=ds.sources,
        )
        if len(ds.published)
        else None
    )
    if rec is not None:
        print(
            "\n" + ("Đối chiếu với số liệu đã công bố:" if vi else "Reconciliation with published figures:")
        )
        table = reconciliation_frame(rec, ds.catalogue, lang=args.lang)
        print(table.to_string(index=False))
    else:  # nothing to reconcile against: what the data folder says about its published figures
        from baocao import config
        from baocao.io.dataset_meta import read_meta

        first = Path(files[0]) if files else config.default_observation_files()[0]
        meta = read_meta(first.resolve().parent)
        if meta is not None and meta.published_note(args.lang):
            print(("Số liệu đã công bố: " if vi else "Published figures: ") + meta.published_note(args.lang))
    if args.out:
        out = Path(args.out)
        write_csv(out / "validation.csv", ds.problems)
        if rec is not None:
            write_csv(out / "reconciliation.csv", rec)
        print(
            ("Đã ghi " if vi else "Wrote ")
            + f"{out / 'validation.csv'}"
            + (f", {out / 'reconciliation.csv'}" if rec is not None else "")
        )
    return EXIT_OK


def _print_gso_warnings(catalogue, lang: str) -> int:
    """The GSO tables against their catalogue declarations, printed: a declaration that matches no
    column or row of its table, or a ranked indicator without a direction, is an error (the number
    of them is returned); the rest are warnings."""
    from baocao.data.catalogue import CatalogueError
    from baocao.io.gso import gso_warnings, raw_dir
    from baocao.reports.gso.loading import report_codes

    if not raw_dir().is_dir():
        return 0
    found = gso_warnings(catalogue=catalogue)
    if len(found):
        print("Bảng GSO (data/gso/raw):" if lang == "vi" else "GSO tables (data/gso/raw):")
        print_problems(
            found.assign(file=[f if f.startswith("data/") else f"data/gso/raw/{f}" for f in found["file"]]),
            lang,
        )
    try:
        report_codes(catalogue)  # what the GSO reports show: a ranked indicator must have a direction
    except CatalogueError as exc:
        print(str(exc))
        return int((found["importance"] == "blocking").sum()) + 1 if len(found) else 1
    return int((found["importance"] == "blocking").sum()) if len(found) else 0


def cmd_units(args) -> int:
    from baocao.data import units

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


# ---------------------------------------------------------------- baocao build


def add_parsers(sub) -> None:
    """``validate`` and ``units``."""
    v = sub.add_parser(
        "validate",
        help="validate data files and reconcile with published figures",
        description="Kiểm tra số liệu theo danh mục và quy tắc, rồi đối chiếu với số liệu đã công bố. "
        "Validate observation files against the catalogue and rule table, then reconcile with "
        "published figures. Exit 1 when a blocking problem is found (nothing is written); "
        "reconciliation findings do not change the exit code.",
    )
    v.add_argument(
        "files", nargs="*", help="observation CSV files (default: data/thoai_son/observations.csv)"
    )
    v.add_argument(
        "--published",
        action="append",
        metavar="FILE",
        help="published-figures CSV (default with the default data: data/thoai_son/published.csv)",
    )
    v.add_argument("--out", metavar="DIR", help="also write validation.csv and reconciliation.csv to DIR")
    v.add_argument("--catalogue", metavar="DIR", help="catalogue folder (default data/catalogue)")
    v.add_argument("--lang", choices=["vi", "en"], default="vi", help="language of messages (default vi)")
    v.add_argument(
        "--unit-list",
        choices=["legacy", "2025"],
        help="the unit list of files outside a data folder with a dataset.yaml: legacy (until 30 June "
        "2025, years up to 2024) or 2025 (from 1 July 2025); a folder's own list must not be contradicted",
    )
    v.set_defaults(func=cmd_validate)

    u = sub.add_parser(
        "units",
        help="look up an administrative unit by code or name",
        description="Tra cứu đơn vị hành chính theo mã hoặc tên (không phân biệt dấu, hoa thường). Look up a "
        "unit by code or name, accent- and case-insensitive.",
    )
    u.add_argument("query", help='code or name, e.g. 894, "thoai son", "Phú Hòa, Thoại Sơn"')
    u.add_argument("--level", choices=["province", "district", "commune"])
    u.add_argument(
        "--unit-list",
        "--structure",
        dest="structure",
        choices=["legacy", "2025"],
        default="legacy",
        help="unit list: legacy (until 30 June 2025, the default) or 2025",
    )
    u.add_argument("--children", action="store_true", help="list the children too")
    u.set_defaults(func=cmd_units)
