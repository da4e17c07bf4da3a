"""``baocao template`` and ``baocao import``: Excel forms for communes (registered by baocao.cli).

See ``docs/excel.md``.
"""

from __future__ import annotations

import datetime as _dt
import getpass
import re
import secrets
import sys
from pathlib import Path

from baocao.errors import EXIT_OK, EXIT_PROBLEMS, UserError


def register(sub) -> None:
    t = sub.add_parser(
        "template",
        help="write the Excel form communes fill in",
        description="Tạo biểu mẫu Excel cho các xã, thị trấn điền số liệu (một trang tính cho mỗi nhóm chỉ tiêu, "
        "sinh hoàn toàn từ danh mục). Write the Excel data-entry form for the communes of a district, generated from the catalogue.",
    )
    t.add_argument("--district", required=True, help='district code or name, e.g. 894 or "Thoại Sơn"')
    t.add_argument("--year", required=True, type=int, help="reporting year, e.g. 2024")
    t.add_argument("--out", metavar="FILE", help="workbook to write (default bieu_mau_<district>_<year>.xlsx)")
    t.add_argument("--per-commune", metavar="DIR", help="also (or only, without --out) write one workbook per commune into DIR")
    t.add_argument("--section", action="append", metavar="SECTION", help="only this catalogue section (repeatable; default every section except gso_…)")
    t.add_argument("--no-district-row", action="store_true", help="leave out the row for the district's own bodies")
    t.add_argument("--catalogue", metavar="DIR", help="catalogue folder (default data/catalogue)")
    t.set_defaults(func=cmd_template)

    i = sub.add_parser(
        "import",
        help="import filled Excel forms (or their CSV exports) into the data file",
        description="Nhập biểu mẫu đã điền (.xlsx hoặc CSV) vào tệp số liệu. Mọi lỗi được liệt kê kèm trang tính và ô; "
        "còn lỗi thì không ghi gì (mã thoát 1). Số đã có mà khác số mới là xung đột, chỉ thay khi có --replace. "
        "Mọi thay đổi được ghi vào journal.csv cạnh tệp số liệu; --undo LÔ hoàn tác một lần nhập. "
        "Import filled forms; every problem is listed with sheet and cell and nothing is written while one remains (exit 1).",
    )
    i.add_argument("files", nargs="*", metavar="FILE", help="filled workbooks (.xlsx) or CSV exports of a sheet")
    i.add_argument("--data", metavar="CSV", help="observation file to merge into (default data/thoai_son/observations.csv)")
    i.add_argument("--replace", action="store_true", help="apply conflicting values (they replace the values in the data file)")
    i.add_argument("--dry-run", action="store_true", help="check and report, write nothing")
    i.add_argument("--undo", metavar="BATCH", help="revert one import batch (its id is printed by the import and is in journal.csv)")
    i.add_argument("--lang", choices=["vi", "en"], default="vi", help="language of messages (default vi)")
    i.add_argument("--catalogue", metavar="DIR", help="catalogue folder (default data/catalogue)")
    i.set_defaults(func=cmd_import)


def _catalogue(args):
    from baocao import config
    from baocao.catalogue import CatalogueError
    from baocao.io.tables import read_catalogue

    try:
        return read_catalogue(args.catalogue or config.catalogue_dir())
    except CatalogueError as exc:
        raise UserError(str(exc)) from None


def _slug(text: str) -> str:
    from baocao.units import fold

    return re.sub(r"[^a-z0-9]+", "_", fold(text)).strip("_")


# ----------------------------------------------------------------------------- template


def cmd_template(args) -> int:
    from baocao import units
    from baocao.excel import build_workbook, template_spec
    from baocao.io.excel import save_workbook
    from baocao.observations import MIN_YEAR, max_year

    reg = units.legacy()
    try:
        district = reg.get(args.district, level="district")
    except LookupError as exc:
        raise UserError(str(exc)) from None
    if not MIN_YEAR <= args.year <= max_year():
        raise UserError(f"year {args.year} is outside {MIN_YEAR}–{max_year()} / năm {args.year} nằm ngoài khoảng {MIN_YEAR}–{max_year()}")
    cat = _catalogue(args)
    try:
        spec = template_spec(cat, reg, district.code, args.year, sections=args.section, district_row=not args.no_district_row)
    except ValueError as exc:
        raise UserError(str(exc)) from None
    if not spec.sheets:
        raise UserError("the catalogue has no element for a form / danh mục không có chỉ tiêu nào để lập biểu")
    written = []
    if args.out or not args.per_commune:
        out = Path(args.out or f"bieu_mau_{_slug(district.short)}_{args.year}.xlsx")
        save_workbook(build_workbook(spec), out)
        written.append(out)
    if args.per_commune:
        folder = Path(args.per_commune)
        for row in spec.rows:
            name = f"bieu_mau_{args.year}_{row.unit.code}_{_slug(row.unit.short)}.xlsx"
            save_workbook(build_workbook(spec.for_rows((row,))), folder / name)
            written.append(folder / name)
    n_cols = sum(len(s.columns) for s in spec.sheets)
    print(f"Biểu mẫu năm {args.year}, {district.name}: {len(spec.sheets)} trang số liệu ({', '.join(s.title for s in spec.sheets)}), "
          f"{n_cols} cột, {len(spec.rows)} đơn vị.")
    for p in written:
        print(f"  đã ghi / wrote {p}")
    return EXIT_OK


# ----------------------------------------------------------------------------- import


def _say(vi: bool, text_vi: str, text_en: str, file=None) -> None:
    print(text_vi if vi else text_en, file=file or sys.stdout)


def _cell_order(p: dict):
    m = re.match(r"([A-Z]+)(\d+)", str(p.get("cell") or ""))
    col = sum((ord(ch) - 64) * 26**k for k, ch in enumerate(reversed(m.group(1)))) if m else 0
    row = int(m.group(2)) if m else (p.get("line") if isinstance(p.get("line"), int) else 0)
    return (str(p["file"]), str(p.get("sheet") or ""), row, col)


def _now() -> tuple[str, str]:
    now = _dt.datetime.now(_dt.UTC).replace(microsecond=0)
    return now.isoformat().replace("+00:00", "Z"), now.strftime("%Y%m%dT%H%M%SZ") + "-" + secrets.token_hex(2)


def cmd_import(args) -> int:
    from baocao import config, units
    from baocao.excel import format_problem, journal_frame, plan_import, read_forms
    from baocao.io.dataset import display_path
    from baocao.io.excel import DataChanged, WorkbookRefused, commit, journal_path, read_data, read_form_file
    from baocao.io.tables import InputFileError

    vi = args.lang == "vi"
    data_path = Path(args.data) if args.data else config.default_observation_files()[0]
    if args.undo:
        if args.files:
            raise UserError("--undo takes no files / --undo không nhận tệp biểu mẫu")
        return _undo(args, data_path)
    if not args.files:
        raise UserError("give at least one filled form (.xlsx or .csv) / hãy chỉ ra ít nhất một biểu mẫu đã điền")
    cat = _catalogue(args)
    reg = units.legacy()
    data_label = display_path(data_path)
    grids, file_problems = [], []
    for f in args.files:
        try:
            grids.extend(read_form_file(f))
        except WorkbookRefused as exc:
            file_problems.append(dict(file=Path(f).name, sheet=None, cell=None, line="", rule="file", value="", importance="blocking",
                                      message_vi=exc.message_vi.removeprefix(Path(f).name + ": "), message_en=exc.message_en.removeprefix(Path(f).name + ": ")))
    form = read_forms(grids, cat, reg)
    try:
        existing, data_digest = read_data(data_path)
    except InputFileError as exc:
        raise UserError(str(exc)) from None
    plan = plan_import(existing, data_label, form.items, cat, reg, replace=args.replace, item_problems=file_problems + form.problems)

    _say(vi, f"Nhập biểu mẫu: {', '.join(Path(f).name for f in args.files)} → {data_label}",
         f"Import: {', '.join(Path(f).name for f in args.files)} → {data_label}")
    for text_vi, text_en in form.notes:
        _say(vi, "  " + text_vi, "  " + text_en)
    rule_ids = {r.id for r in cat.rules}
    for p in sorted(plan.problems, key=_cell_order):
        print(format_problem(p, args.lang, rule_ids))
    _say(vi, f"  {len(form.items)} ô có số liệu trong {form.sheets} trang: {len(plan.adds)} số mới, {plan.identical} trùng với số đã có (bỏ qua), {len(plan.conflicts)} xung đột.",
         f"  {len(form.items)} filled cells in {form.sheets} sheet(s): {len(plan.adds)} new, {plan.identical} identical to the data (ignored), {len(plan.conflicts)} conflict(s).")
    if len(plan.conflicts):
        _say(vi, "  Xung đột (số đã có khác số mới)" + (", sẽ thay:" if args.replace else ", CHƯA thay — chạy lại với --replace để thay:"),
             "  Conflicts (the data file has another value)" + (", replaced:" if args.replace else ", NOT applied — run again with --replace to apply:"))
        for c in plan.conflicts.itertuples(index=False):
            name = reg.unit(c.unit).name if c.unit in reg else c.unit
            print(f"    {c.unit} {name} | {c.year} | {c.element} | {c.category or '–'} | {'cũ' if vi else 'old'} {c.old} → {'mới' if vi else 'new'} {c.new} | "
                  f"{c.source}, {'ô' if vi else 'cell'} {c.cell}")
    blocking = plan.blocking
    if blocking:
        _say(vi, f"{len(blocking)} lỗi; không ghi gì. Sửa biểu mẫu rồi chạy lại.", f"{len(blocking)} problem(s); nothing written. Fix the form(s) and run again.", file=sys.stderr)
        return EXIT_PROBLEMS
    if args.dry_run:
        _say(vi, f"Chạy thử: không ghi gì (sẽ ghi {plan.changes} thay đổi).", f"Dry run: nothing written ({plan.changes} change(s) would be written).")
        return EXIT_OK
    if plan.changes == 0:
        _say(vi, "Không có gì thay đổi; tệp số liệu giữ nguyên.", "Nothing to change; the data file is untouched.")
        return EXIT_OK
    timestamp, batch = _now()
    rows = journal_frame(plan.journal, batch, timestamp, getpass.getuser(), data_path.name)
    try:
        commit(data_path, plan.data, data_digest, rows)
    except DataChanged as exc:
        raise UserError(str(exc)) from None
    _say(vi, f"Đã ghi {len(plan.adds)} số mới và thay {len(plan.replaced)} số vào {data_label}; nhật ký {display_path(journal_path(data_path))}, lô {batch}.",
         f"Wrote {len(plan.adds)} new and {len(plan.replaced)} replaced value(s) to {data_label}; journal {display_path(journal_path(data_path))}, batch {batch}.")
    _say(vi, f"Hoàn tác: baocao import --undo {batch}" + (f" --data {args.data}" if args.data else ""),
         f"To undo: baocao import --undo {batch}" + (f" --data {args.data}" if args.data else ""))
    return EXIT_OK


def _undo(args, data_path: Path) -> int:
    from baocao.excel import format_problem, journal_frame, plan_undo
    from baocao.io.dataset import display_path
    from baocao.io.excel import DataChanged, commit, journal_path, read_data, read_journal
    from baocao.io.tables import InputFileError

    vi = args.lang == "vi"
    jpath = journal_path(data_path)
    try:
        existing, data_digest = read_data(data_path)
        journal = read_journal(jpath)
    except InputFileError as exc:
        raise UserError(str(exc)) from None
    try:
        data, rows, problems = plan_undo(existing, journal, args.undo, data_path.name)
    except LookupError as exc:
        raise UserError(str(exc).strip("'\"")) from None
    for p in problems:
        print(format_problem(p, args.lang))
    if problems:
        _say(vi, f"{len(problems)} giá trị đã đổi sau lần nhập này; không hoàn tác gì.", f"{len(problems)} value(s) changed after that import; nothing undone.", file=sys.stderr)
        return EXIT_PROBLEMS
    if args.dry_run:
        _say(vi, f"Chạy thử: sẽ hoàn tác {len(rows)} thay đổi của lô {args.undo}.", f"Dry run: would undo {len(rows)} change(s) of batch {args.undo}.")
        return EXIT_OK
    timestamp, batch = _now()
    try:
        commit(data_path, data, data_digest, journal_frame(rows, batch, timestamp, getpass.getuser(), data_path.name))
    except DataChanged as exc:
        raise UserError(str(exc)) from None
    _say(vi, f"Đã hoàn tác {len(rows)} thay đổi của lô {args.undo} trong {display_path(data_path)} (nhật ký: lô {batch}).",
         f"Undid {len(rows)} change(s) of batch {args.undo} in {display_path(data_path)} (journal: batch {batch}).")
    return EXIT_OK
