"""The Excel form commands: ``baocao template`` writes a form, ``baocao import`` brings filled forms
back (with a journal), ``baocao undo`` takes an import back; the lines they print are worded by
:mod:`baocao.excel.summary`."""

from __future__ import annotations

import argparse
import datetime as _dt
import getpass
import re
import secrets
import sys
from pathlib import Path

from baocao.config import RUN
from baocao.errors import EXIT_OK, EXIT_PROBLEMS, UserError


def add_parsers(sub) -> None:
    t = sub.add_parser(
        "template",
        help="write the Excel form communes fill in",
        description="Tạo biểu mẫu Excel cho các xã điền số liệu (một trang tính cho mỗi nhóm chỉ tiêu, sinh "
        "hoàn toàn từ danh mục): đến năm 2024 cho các xã của một huyện (danh mục cũ), từ năm 2025 cho các "
        "xã, phường của một tỉnh hoặc một xã (danh mục 2025). Write the Excel data-entry form, generated "
        "from the catalogue: up to 2024 for the communes of a district (legacy unit list), from 2025 for "
        "the communes of a province or one commune (2025 unit list: the district level is gone).",
        epilog="examples:\n"
        f"  {RUN} template --district 894 --year 2024          # legacy list: a district's communes\n"
        f"  {RUN} template --province 91 --year 2026           # 2025 list: the province's 102\n"
        f'  {RUN} template --commune "Thoại Sơn" --year 2025   # 2025 list: one new commune\n'
        f"  {RUN} template --province 91 --year 2025 --per-commune forms/   # one workbook per commune",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    scope = t.add_mutually_exclusive_group(required=True)
    scope.add_argument(
        "--district", help='a district (legacy list, years up to 2024): code or name, e.g. 894 or "Thoại Sơn"'
    )
    scope.add_argument(
        "--province",
        help='a province of the 2025 list (years from 2025): code or name, e.g. 91 or "An Giang"',
    )
    scope.add_argument(
        "--commune",
        help='one commune, of the list of the year: code or name, e.g. "Thoại Sơn" (2025: Xã Thoại Sơn, '
        '30682); narrow a shared name with its parent: "Phú Hòa, An Giang"',
    )
    t.add_argument("--year", required=True, type=int, help="reporting year, e.g. 2024 or 2026")
    t.add_argument(
        "--unit-list",
        choices=["legacy", "2025"],
        help="the unit list of the form; it is the list of the year (legacy up to 2024, 2025 from 2025) "
        "and is refused when it is another",
    )
    t.add_argument(
        "--out", metavar="FILE", help="workbook to write (default bieu_mau_<district>_<year>.xlsx)"
    )
    t.add_argument(
        "--per-commune",
        metavar="DIR",
        help="also (or only, without --out) write one workbook per commune into DIR",
    )
    t.add_argument(
        "--section",
        action="append",
        metavar="SECTION",
        help="only this catalogue section (repeatable; default every section except gso_…)",
    )
    t.add_argument(
        "--no-own-row",
        "--no-district-row",
        dest="no_own_row",
        action="store_true",
        help="leave out the row for the district's or province's own bodies",
    )
    t.add_argument("--catalogue", metavar="DIR", help="catalogue folder (default data/catalogue)")
    t.set_defaults(func=cmd_template)

    i = sub.add_parser(
        "import",
        help="import filled Excel forms (or their CSV exports) into the data file",
        description="Nhập biểu mẫu đã điền (.xlsx hoặc CSV) vào tệp số liệu. Mọi lỗi được liệt kê kèm trang "
        "tính và ô; "
        "còn lỗi thì không ghi gì (mã thoát 1). Số đã có mà khác số mới là xung đột, chỉ thay khi có "
        "--replace. "
        "Mọi thay đổi được ghi vào journal.csv cạnh tệp số liệu; --undo LÔ hoàn tác một lần nhập. "
        "Import filled forms; every problem is listed with sheet and cell and nothing is written while one "
        "remains (exit 1).",
    )
    i.add_argument(
        "files", nargs="*", metavar="FILE", help="filled workbooks (.xlsx) or CSV exports of a sheet"
    )
    i.add_argument(
        "--data",
        metavar="CSV",
        help="observation file to merge into (default data/thoai_son/observations.csv)",
    )
    i.add_argument(
        "--replace",
        action="store_true",
        help="apply conflicting values (they replace the values in the data file)",
    )
    i.add_argument("--dry-run", action="store_true", help="check and report, write nothing")
    i.add_argument(
        "--undo",
        metavar="BATCH",
        help="revert one import batch (its id is printed by the import and is in journal.csv)",
    )
    i.add_argument("--lang", choices=["vi", "en"], default="vi", help="language of messages (default vi)")
    i.add_argument("--catalogue", metavar="DIR", help="catalogue folder (default data/catalogue)")
    i.add_argument(
        "--unit-list",
        choices=["legacy", "2025"],
        help="the unit list of a data file outside a data folder with a dataset.yaml (a folder's own list "
        "is never overridden); forms of another list are refused",
    )
    i.set_defaults(func=cmd_import)


def _form_catalogue(args):
    from baocao import config
    from baocao.data.catalogue import CatalogueError
    from baocao.io.tables import read_catalogue

    try:
        return read_catalogue(args.catalogue or config.catalogue_dir())
    except CatalogueError as exc:
        raise UserError(str(exc)) from None


def _slug(text: str) -> str:
    from baocao.data.units import fold

    return re.sub(r"[^a-z0-9]+", "_", fold(text)).strip("_")


# ----------------------------------------------------------------------------- template


def cmd_template(args) -> int:
    from baocao.data.observations import MIN_YEAR, max_year
    from baocao.excel.files import save_workbook
    from baocao.excel.spec import template_spec
    from baocao.excel.summary import template_lines
    from baocao.excel.template import build_workbook

    if not MIN_YEAR <= args.year <= max_year():
        raise UserError(
            f"năm {args.year} nằm ngoài khoảng {MIN_YEAR}–{max_year()} / year {args.year} is outside "
            f"{MIN_YEAR}–{max_year()}"
        )
    reg, scope = _form_scope(args)
    cat = _form_catalogue(args)
    try:
        spec = template_spec(
            cat, reg, scope.code, args.year, sections=args.section, own_row=not args.no_own_row
        )
    except ValueError as exc:
        raise UserError(str(exc)) from None
    if not spec.sheets:
        raise UserError(
            "danh mục không có chỉ tiêu nào để lập biểu / the catalogue has no element for a form"
        )
    written = []
    if args.out or not args.per_commune:
        out = Path(args.out or f"bieu_mau_{_slug(scope.short)}_{args.year}.xlsx")
        save_workbook(build_workbook(spec), out)
        written.append(out)
    if args.per_commune:
        folder = Path(args.per_commune)
        for row in spec.rows:
            name = f"bieu_mau_{args.year}_{row.unit.code}_{_slug(row.unit.short)}.xlsx"
            save_workbook(build_workbook(spec.for_rows((row,))), folder / name)
            written.append(folder / name)
    _print_lines(template_lines(spec, written))
    return EXIT_OK


def _form_scope(args):
    """(registry, unit) of a form: the unit list is the year's (legacy up to 2024, 2025 from 2025); a
    district exists only in the legacy list, a province form only in the 2025 list; ambiguous names and a
    ``--unit-list`` other than the year's are refused naming what to give instead."""
    from baocao.data import unit_lists

    unit_list = unit_lists.year_list(args.year)
    if args.unit_list and args.unit_list != unit_list:
        raise UserError(
            f"năm {args.year} thuộc {unit_lists.label(unit_list)}, không phải --unit-list "
            f"{args.unit_list} / {args.year} belongs to the {unit_lists.label(unit_list, 'en')}, not "
            f"--unit-list {args.unit_list}"
        )
    reg = unit_lists.registry(unit_list)
    level, query = next(
        (k, getattr(args, k)) for k in ("district", "province", "commune") if getattr(args, k)
    )
    if level == "district" and unit_list == unit_lists.NEW:
        found = unit_lists.registry(unit_lists.LEGACY).find(query, level="district")
        now = (
            sorted({reg.unit(c).province for c in unit_lists.successors(found[0].code)})
            if len(found) == 1
            else []
        )
        where_vi = f"; các xã của {found[0].name} nay thuộc --province {', '.join(now)}" if now else ""
        where_en = f"; the communes of {found[0].name} are now in --province {', '.join(now)}" if now else ""
        raise UserError(
            f"từ 1/7/2025 không còn cấp huyện: biểu mẫu năm {args.year} lập cho một tỉnh (--province) hoặc "
            f"một xã (--commune){where_vi} / from 1 July 2025 there are no districts: a {args.year} form is "
            f"for a province (--province) or a commune (--commune){where_en}"
        )
    if level == "province" and unit_list == unit_lists.LEGACY:
        raise UserError(
            f"biểu mẫu năm {args.year} (danh mục cũ) lập cho một huyện (--district) hoặc một xã "
            f"(--commune); biểu mẫu theo tỉnh từ năm 2025 / a {args.year} form (legacy list) is for a "
            "district (--district) or a commune (--commune); province forms start in 2025"
        )
    try:
        return reg, reg.get(query, level=level)
    except LookupError as exc:
        raise UserError(str(exc)) from None  # the message names the list


# ----------------------------------------------------------------------------- import


def _import_stamp() -> tuple[str, str]:
    now = _dt.datetime.now(_dt.UTC).replace(microsecond=0)
    return now.isoformat().replace("+00:00", "Z"), now.strftime("%Y%m%dT%H%M%SZ") + "-" + secrets.token_hex(2)


def cmd_import(args) -> int:
    from baocao import config
    from baocao.excel import summary
    from baocao.excel.files import DataChanged, commit, journal_path
    from baocao.excel.import_plan import journal_frame
    from baocao.io.dataset import display_path

    data_path = Path(args.data) if args.data else config.default_observation_files()[0]
    if args.undo:
        if args.files:
            raise UserError("--undo không nhận tệp biểu mẫu / --undo takes no files")
        return _undo(args, data_path)
    if not args.files:
        raise UserError(
            "hãy chỉ ra ít nhất một biểu mẫu đã điền / give at least one filled form (.xlsx or .csv)"
        )
    cat = _form_catalogue(args)
    reg = _data_registry(data_path, args.unit_list)
    data_label = display_path(data_path)
    form, plan, data_digest = _plan_import(args, data_path, data_label, cat, reg)
    files = [Path(f).name for f in args.files]
    _print_lines(
        summary.import_lines(
            form,
            plan,
            files=files,
            data_label=data_label,
            replace=args.replace,
            catalogue=cat,
            registry=reg,
            lang=args.lang,
        )
    )
    if plan.blocking:
        print(summary.import_blocked(plan, args.lang), file=sys.stderr)
        return EXIT_PROBLEMS
    if args.dry_run or plan.changes == 0:
        print(summary.import_not_written(plan, args.dry_run, args.lang))
        return EXIT_OK
    timestamp, batch = _import_stamp()
    rows = journal_frame(plan.journal, batch, timestamp, getpass.getuser(), data_path.name)
    try:
        commit(data_path, plan.data, data_digest, rows)
    except DataChanged as exc:
        raise UserError(str(exc)) from None
    journal_label = display_path(journal_path(data_path))
    _print_lines(
        summary.import_written(
            plan,
            data_label=data_label,
            journal_label=journal_label,
            batch=batch,
            data_arg=args.data,
            lang=args.lang,
        )
    )
    return EXIT_OK


def _data_registry(data_path: Path, unit_list: str | None):
    """The registry of the unit list a data file is read against: its folder's dataset.yaml, or
    ``--unit-list`` for a file outside such a folder (refused in one line when neither says)."""
    from baocao.data import unit_lists
    from baocao.io.dataset_meta import unit_list_of

    try:
        return unit_lists.registry(unit_list_of([data_path], unit_list))
    except unit_lists.UnitListError as exc:
        raise UserError(str(exc)) from None


def _plan_import(args, data_path: Path, data_label: str, cat, reg):
    """(what the forms hold, the import plan, the data file's digest when it was read)."""
    from baocao.excel.files import read_data, read_form_files
    from baocao.excel.import_plan import plan_import
    from baocao.excel.reader import read_forms
    from baocao.io.tables import InputFileError

    grids, file_problems = read_form_files(args.files)
    form = read_forms(grids, cat, reg)
    try:
        existing, data_digest = read_data(data_path)
    except InputFileError as exc:
        raise UserError(str(exc)) from None
    plan = plan_import(
        existing,
        data_label,
        form.items,
        cat,
        reg,
        replace=args.replace,
        item_problems=file_problems + form.problems,
    )
    return form, plan, data_digest


def _print_lines(lines) -> None:
    for line in lines:
        print(line)


def _undo(args, data_path: Path) -> int:
    from baocao.excel import summary
    from baocao.excel.files import DataChanged, commit, journal_path, read_data, read_journal
    from baocao.excel.import_plan import journal_frame, plan_undo
    from baocao.io.dataset import display_path
    from baocao.io.tables import InputFileError

    try:
        existing, data_digest = read_data(data_path)
        journal = read_journal(journal_path(data_path))
    except InputFileError as exc:
        raise UserError(str(exc)) from None
    try:
        data, rows, problems = plan_undo(existing, journal, args.undo, data_path.name)
    except LookupError as exc:
        raise UserError(str(exc).strip("'\"")) from None
    _print_lines(summary.undo_problem_lines(problems, args.lang))
    if problems:
        print(summary.undo_refused(problems, args.lang), file=sys.stderr)
        return EXIT_PROBLEMS
    if args.dry_run:
        print(summary.undo_dry_run(rows, args.undo, args.lang))
        return EXIT_OK
    timestamp, batch = _import_stamp()
    try:
        commit(
            data_path,
            data,
            data_digest,
            journal_frame(rows, batch, timestamp, getpass.getuser(), data_path.name),
        )
    except DataChanged as exc:
        raise UserError(str(exc)) from None
    print(
        summary.undo_done(
            rows, args.undo, data_label=display_path(data_path), undo_batch=batch, lang=args.lang
        )
    )
    return EXIT_OK


# ---------------------------------------------------------------- baocao export
