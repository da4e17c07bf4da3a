"""The ``baocao`` command: every subcommand's arguments and messages, in one module (the form
commands print the lines :mod:`baocao.excel.summary` words). Every subcommand has ``--help``; the
work is done by the package (build, data, excel, export).

Errors the user can fix are printed as one clear line each (no traceback) and the exit
code is non-zero.
"""

from __future__ import annotations

import argparse
import datetime as _dt
import getpass
import os
import re
import secrets
import signal
import sys
import threading
from pathlib import Path

from baocao.config import RUN
from baocao.errors import EXIT_OK, EXIT_PROBLEMS, EXIT_USAGE, UserError


def _row_order(row) -> tuple:
    return (0, int(row)) if str(row).isdigit() else (1 if row == "" else 2, 0)


def _print_problems(problems, lang: str, out=None) -> None:
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
    from baocao.data.reconcile import reconcile
    from baocao.data.unit_lists import UnitListError
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
        _print_problems(ds.problems, args.lang)
    if len(blocking) or gso_blocking:
        n = len(blocking) + gso_blocking
        print(
            (f"{n} lỗi; không ghi gì. " if vi else f"{n} problem(s); nothing written. ")
            + ("Sửa tệp rồi chạy lại." if vi else "Fix the file(s) and run again."),
            file=sys.stderr,
        )
        return EXIT_PROBLEMS
    print(
        f"  {len(ds.observations) + len(ds.periods)} "
        + ("dòng hợp lệ, không có lỗi." if vi else "rows valid, no blocking problem.")
    )
    agg = aggregate(ds.observations, ds.catalogue, ds.registry)
    period_agg = aggregate_periods(ds.periods, ds.catalogue, ds.registry)
    rec = reconcile(ds.published, agg, ds.catalogue, period_agg) if len(ds.published) else None
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
        _print_problems(
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


BUILD_DESCRIPTION = """\
Lập mọi báo cáo của một kế hoạch (params/*.yml) và ghi vào outputs/: HTML (và PDF, Word, Excel nếu
muốn), notebook đã chạy, trang mục lục của kế hoạch, manifest.json. Build every report of a run plan
into outputs/{year}/{unit}/{notebook}.html (+ the executed .ipynb; .docx, .pdf and .web.pdf, .xlsx
with --docx, --pdf, --xlsx or `formats:` in the plan), the plan's own index outputs/index-{plan}.html,
outputs/index.html (a page linking every plan built there) and outputs/manifest.json.

Only what changed is re-run: a report is skipped when its notebook, parameters, the data rows it
reads, the baocao source and the package versions are unchanged and its outputs are intact.
A failing report does not stop the others; its partial notebook is kept as NAME.failed.ipynb and
its last good page stays, marked out of date in the index. Data that fail validation stop the build
before any report runs, with outputs/ unchanged; a plan may not overwrite a report another plan
built into the same outputs/ with other parameters.
Exit code: 0 all built, 1 some report failed or the data fail validation, 2 bad plan / options /
another plan's report in the way / outputs locked, 130 interrupted.
"""

BUILD_EPILOG = f"""\
examples (in the project folder, as the README runs them):
  {RUN} build                                  # params/thoai_son.yml, all CPUs
  {RUN} build params/thoai_son.yml --jobs 2
  {RUN} build --only district_report --only 2024
  {RUN} build --only 894 --dry-run             # what would run, and why
  {RUN} build --force --outputs /tmp/out
  {RUN} build gso_provinces --only 2016        # 63 province reports + the national overview
  {RUN} build --scheduler tcp://10.0.0.5:8786  # on a Dask cluster (docs/builder.md)
  {RUN} build --only 2024 --pdf --docx --xlsx  # also PDF, Word and Excel beside each HTML

--only VALUE is a notebook name, a unit (code or name) or a year; it may be repeated or
comma-separated. Values of the same kind are alternatives (OR), different kinds must all
match (AND): --only 2023,2024 --only district_report = district reports of 2023 and 2024.
The reports of notebooks without a unit parameter (the national overview) have the unit VN
("Cả nước"): --only VN selects them.
"""


_terminated = []


def _terminate(signum, frame) -> None:
    """SIGTERM outside the run of the reports: the same path as Ctrl-C (index, manifest, message).
    Only the first one interrupts: later ones must not cut the clean-up short."""
    _terminated.append(signum)
    if len(_terminated) == 1:
        raise KeyboardInterrupt


def cmd_build(args) -> int:
    import faulthandler

    main = threading.current_thread() is threading.main_thread()
    stacks = False
    if main:
        old_term = signal.signal(signal.SIGTERM, _terminate)
        if hasattr(signal, "SIGUSR1"):  # `kill -USR1 PID` prints where the build is (its workers do the same)
            try:
                faulthandler.register(signal.SIGUSR1, all_threads=True)
                stacks = True
            except (OSError, ValueError, AttributeError):  # stderr is no file (called from Python, captured)
                pass
    try:
        return _cmd_build(args)
    finally:
        if main:
            signal.signal(signal.SIGTERM, old_term)
        if stacks:
            faulthandler.unregister(signal.SIGUSR1)


def _cmd_build(args) -> int:
    from baocao import config
    from baocao.build.builder import BuildError, DataProblemsError, build
    from baocao.build.plans import PlanError, load_plan_cached, resolve_plan_path
    from baocao.errors import UserError
    from baocao.io.filestamps import FileHashes

    try:
        plan = load_plan_cached(resolve_plan_path(args.plan), FileHashes.for_home(config.home()))
        return build(
            plan,
            outputs=args.outputs or config.outputs_dir(),
            jobs=args.jobs,
            only=args.only or (),
            force=args.force,
            dry_run=args.dry_run,
            scheduler=args.scheduler,
            formats=[f for f in ("pdf", "docx", "xlsx") if getattr(args, f, False)],
        )
    except DataProblemsError as exc:  # once for the build, as `baocao validate` prints them
        print(f"baocao build: {exc}", file=sys.stderr)
        _print_problems(exc.problems, exc.lang, out=sys.stderr)
        print(
            f"{exc.blocking} lỗi; sửa tệp rồi chạy lại. / {exc.blocking} problem(s); fix the file(s) and run "
            "again.",
            file=sys.stderr,
        )
        return EXIT_PROBLEMS
    except (PlanError, BuildError) as exc:
        raise UserError(str(exc)) from None


def _positive(text: str) -> int:

    try:
        n = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a whole number: {text!r}") from None
    if n < 1:
        raise argparse.ArgumentTypeError(f"must be at least 1, not {n}")
    return n


def _add_plan_argument(parser) -> None:
    """The PLAN argument of ``build`` and ``preview``."""
    parser.add_argument(
        "plan",
        nargs="?",
        default=None,
        metavar="PLAN",
        help="plan file or name in params/ (default: params/thoai_son.yml)",
    )


def _add_outputs_argument(parser) -> None:
    parser.add_argument(
        "--outputs", metavar="DIR", help="output folder (default: outputs/, or $BAOCAO_OUTPUTS)"
    )


def _add_build(sub) -> None:

    b = sub.add_parser(
        "build",
        help="build the reports of a run plan into outputs/ (incremental, parallel)",
        description=BUILD_DESCRIPTION,
        epilog=BUILD_EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    _add_plan_argument(b)
    b.add_argument(
        "-j",
        "--jobs",
        type=_positive,
        default=None,
        metavar="N",
        help="local worker processes (default: the number of CPUs)",
    )
    b.add_argument(
        "--only",
        action="append",
        metavar="VALUE",
        help="build only reports of this notebook, unit or year (repeatable; see below)",
    )
    b.add_argument("--force", action="store_true", help="re-run every selected report, changed or not")
    b.add_argument(
        "-n", "--dry-run", action="store_true", help="list what would run and why; run nothing, write nothing"
    )
    _add_outputs_argument(b)
    b.add_argument(
        "--scheduler",
        metavar="ADDRESS",
        help="run on a dask.distributed cluster, e.g. tcp://host:8786 (see docs/builder.md)",
    )
    b.add_argument(
        "--pdf",
        action="store_true",
        help="also write each report's official document as PDF (LibreOffice) and its page printed, .web.pdf "
        "(Chromium; or formats: [pdf] in the plan)",
    )
    b.add_argument(
        "--docx",
        action="store_true",
        help="also write each report as the official Word document of its issuer, party (HD 36) or state "
        "(ND 30) (or formats: [docx]; issuer: in the plan)",
    )
    b.add_argument(
        "--xlsx",
        action="store_true",
        help="also write each report's tables as an Excel workbook, one sheet per table (or formats: [xlsx])",
    )
    b.set_defaults(func=cmd_build)


# ---------------------------------------------------------------- baocao preview


PREVIEW_DESCRIPTION = """\
Xem trước: phục vụ outputs/ tại http://127.0.0.1:8000/, theo dõi notebook, số liệu, danh mục và kế hoạch;
khi lưu một thay đổi, chỉ dựng lại các báo cáo bị ảnh hưởng (báo cáo đang mở trước) và trang tự tải lại.
Preview: serve outputs/ on 127.0.0.1, watch the notebooks, data/, the catalogue and the plan; on every
save rebuild only the affected reports on warm kernels (the report open in the browser first) and the
page reloads itself. A failing report shows its error in the page. Ctrl-C stops and leaves no kernel.
"""


def cmd_preview(args) -> int:
    import faulthandler

    from baocao import config
    from baocao.build.plans import resolve_plan_path
    from baocao.build.preview import Preview
    from baocao.build.preview_server import make_server
    from baocao.errors import UserError

    faulthandler.register(signal.SIGUSR1)  # `kill -USR1 PID`: what every thread is doing, on stderr
    home = config.home()
    plan_path = resolve_plan_path(args.plan)
    if not plan_path.is_file():
        raise UserError(f"không tìm thấy kế hoạch {plan_path} / plan {plan_path} not found")
    outputs = Path(args.outputs or config.outputs_dir())
    try:
        outputs.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise UserError(
            f"không tạo được thư mục kết quả {outputs}: {exc.strerror} / cannot create the output folder "
            f"{outputs}: {exc.strerror}"
        ) from None
    from filelock import FileLock, Timeout

    from baocao.build.builder import LOCK

    lock = FileLock(str(outputs / LOCK), timeout=0)
    try:
        lock.acquire()
    except Timeout:
        raise UserError(
            f"một lần lập hay xem trước khác đang ghi vào {outputs} / another build or preview is writing "
            f"{outputs} (lock {outputs / LOCK} is held)"
        ) from None
    try:
        preview = Preview(plan_path, outputs, home=home, notebooks_dir=config.notebooks_dir(), jobs=args.jobs)
        try:
            server = make_server(preview, args.host, args.port)
        except OSError as exc:
            raise UserError(
                f"không mở được cổng {args.host}:{args.port} / cannot listen on {args.host}:{args.port}: "
                f"{exc.strerror or exc}"
            ) from None
        os.chdir(
            preview.notebooks_dir
        )  # every report runs there: worker threads then never race on the working directory
        previous = signal.signal(signal.SIGTERM, _preview_sigterm)
        try:
            if args.open:
                import webbrowser

                host, port = server.server_address[:2]
                threading.Timer(1.0, webbrowser.open, [f"http://{host}:{port}/"]).start()
            preview.run(server)
        finally:
            signal.signal(signal.SIGTERM, previous)
    finally:
        lock.release()
    print("stopped / đã dừng")
    return 0


def _preview_sigterm(signum, frame):
    raise KeyboardInterrupt


def _add_preview(sub) -> None:

    p = sub.add_parser(
        "preview",
        help="serve outputs/ and rebuild the affected reports on every save (live reload)",
        description=PREVIEW_DESCRIPTION,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    _add_plan_argument(p)
    p.add_argument(
        "--host", default="127.0.0.1", help="address to listen on (default 127.0.0.1: this machine only)"
    )
    p.add_argument("--port", type=int, default=8000, help="port (default 8000; 0: any free port)")
    p.add_argument(
        "-j", "--jobs", type=int, default=2, metavar="N", help="warm kernels rebuilding reports (default 2)"
    )
    _add_outputs_argument(p)
    p.add_argument("--open", action="store_true", help="open the index in the default browser")
    p.set_defaults(func=cmd_preview)


# ---------------------------------------------------------------- baocao template, baocao import
# (docs/excel.md)


def _add_forms(sub) -> None:
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
            f"year {args.year} is outside {MIN_YEAR}–{max_year()} / năm {args.year} nằm ngoài khoảng "
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
            "the catalogue has no element for a form / danh mục không có chỉ tiêu nào để lập biểu"
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
            raise UserError("--undo takes no files / --undo không nhận tệp biểu mẫu")
        return _undo(args, data_path)
    if not args.files:
        raise UserError(
            "give at least one filled form (.xlsx or .csv) / hãy chỉ ra ít nhất một biểu mẫu đã điền"
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
    from baocao.errors import UserError
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


def _add_export(sub) -> None:

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


def cmd_init_district(args) -> int:
    from baocao import config
    from baocao.data import units
    from baocao.data.onboard import OnboardError, init_district, parse_years
    from baocao.errors import UserError

    try:
        done = init_district(
            args.district, config.home(), units.legacy(), args.illustrative, parse_years(args.years)
        )
    except OnboardError as exc:
        raise UserError(str(exc)) from None
    d, rel = done.district, done.data_dir.relative_to(config.home())
    what = (
        f"{done.rows} dòng số liệu MINH HỌA / illustrative rows"
        if args.illustrative
        else "tệp trống có dòng tiêu đề / empty file with its header"
    )
    print(f"{d.name} ({d.code}), {done.communes} xã / communes:")
    print(f"  {rel}/observations.csv  — {what}")
    print(f"  {rel}/published.csv     — tệp trống có dòng tiêu đề / empty, with its header")
    print(f"  {rel}/sources.yaml")
    print(f"  {rel}/dataset.yaml      — unit_list: legacy (danh mục cũ / legacy unit list)")
    print(f"  params/{done.slug}.yml — {2 + done.communes} báo cáo mỗi năm / reports a year")
    print("Tiếp theo / next:")
    if not args.illustrative:
        print(
            f"  {RUN} template --district {d.code} --year {parse_years(args.years)[-1]}   # biểu mẫu Excel "
            "/ the Excel form"
        )
        print(f"  {RUN} import FILE.xlsx --data {rel}/observations.csv")
    print(f"  {RUN} validate {rel}/observations.csv --published {rel}/published.csv")
    print(f"  {RUN} build params/{done.slug}.yml")
    return 0


def _add_init_district(sub) -> None:
    p = sub.add_parser(
        "init-district",
        help="set up the data folder and the run plan of a new district",
        description="Tạo thư mục số liệu data/<tên>/ và kế hoạch params/<tên>.yml cho một huyện. "
        "Set up data/<slug>/ (observations.csv, published.csv, sources.yaml) and params/<slug>.yml "
        "(district, data-quality and commune reports) for a district. Refuses an existing folder and a "
        "name several districts share (the candidates are listed).",
    )
    p.add_argument(
        "district",
        metavar="CODE_OR_NAME",
        help='district code or name, e.g. 891, "Tri Tôn", "Châu Thành, An Giang"',
    )
    p.add_argument(
        "--illustrative",
        action="store_true",
        help="fill observations.csv with generated ILLUSTRATIVE commune data (labelled as such), to try the "
        "reports",
    )
    p.add_argument("--years", metavar="Y1-Y2", help="years of the plan (default 2022-2024)")
    p.set_defaults(func=cmd_init_district)


def cmd_init_2025(args) -> int:
    from baocao import config
    from baocao.data import unit_lists
    from baocao.data.onboard import OnboardError
    from baocao.data.onboard_2025 import init_2025, parse_years

    level = "province" if args.command == "init-province" else "commune"
    if args.unit_list == "legacy":
        raise UserError(
            f"init-{level} lập thư mục theo danh mục 2025; số liệu theo danh mục cũ (đến 2024): "
            f"init-district / init-{level} makes a folder of the 2025 unit list; for legacy data (up to "
            "2024) use init-district"
        )
    try:
        years = parse_years(args.years)
        done = init_2025(
            getattr(args, level), level, config.home(), unit_lists.registry("2025"), args.illustrative, years
        )
    except OnboardError as exc:
        raise UserError(str(exc)) from None
    u, rel = done.unit, done.data_dir.relative_to(config.home())
    what = (
        f"{done.rows} dòng số liệu MINH HỌA / illustrative rows"
        if args.illustrative
        else "tệp trống có dòng tiêu đề / empty file with its header"
    )
    reports = done.communes + (1 if level == "province" else 0)
    print(f"{u.name} ({u.code}, danh mục 2025 / 2025 list), {done.communes} xã, phường / communes:")
    print(f'  {rel}/dataset.yaml      — unit_list: "2025"')
    print(f"  {rel}/observations.csv  — {what}")
    print(f"  {rel}/published.csv     — tệp trống có dòng tiêu đề / empty, with its header")
    print(f"  {rel}/sources.yaml")
    print(f"  params/{done.slug}.yml — {reports} báo cáo mỗi năm / reports a year")
    print("Tiếp theo / next:")
    if not args.illustrative:
        print(f"  {RUN} template --{level} {u.code} --year {years[-1]}   # biểu mẫu Excel / the Excel form")
        print(f"  {RUN} import FILE.xlsx --data {rel}/observations.csv")
    print(f"  {RUN} validate {rel}/observations.csv --published {rel}/published.csv")
    print(f"  {RUN} build params/{done.slug}.yml")
    return 0


def _add_init_2025(sub) -> None:
    for level, example in (
        ("province", '91, "An Giang"'),
        ("commune", '30682, "Thoại Sơn", "Phú Hòa, An Giang"'),
    ):
        p = sub.add_parser(
            f"init-{level}",
            help=f"set up the data folder and the run plan of a {level} of the 2025 unit list",
            description=(
                f"Tạo thư mục số liệu data/<tên>_2025/ và kế hoạch params/<tên>_2025.yml cho một "
                f"{'tỉnh' if level == 'province' else 'xã'} theo danh mục đơn vị 2025 (từ 1/7/2025). Set up "
                f'data/<slug>_2025/ (dataset.yaml with unit_list "2025", observations.csv, published.csv, '
                f"sources.yaml) and params/<slug>_2025.yml for a {level} of the 2025 unit list (from 1 July "
                "2025: no districts; the communes report and the province compiles). Refuses an existing "
                "folder and a name several units share (the candidates are listed)."
            ),
        )
        p.add_argument(level, metavar="CODE_OR_NAME", help=f"{level} code or name, e.g. {example}")
        p.add_argument(
            "--illustrative",
            action="store_true",
            help="fill observations.csv with generated ILLUSTRATIVE data for 2025–2026 (labelled as such)",
        )
        p.add_argument("--years", metavar="Y1-Y2", help="years of the plan, from 2025 (default 2025-2026)")
        p.add_argument(
            "--unit-list",
            choices=["legacy", "2025"],
            default="2025",
            help="the folder's unit list: 2025 (the default and only choice here; legacy: init-district)",
        )
        p.set_defaults(func=cmd_init_2025)


# ---------------------------------------------------------------- the parser


def build_parser() -> argparse.ArgumentParser:
    ap = argparse.ArgumentParser(
        prog="baocao", description="Báo cáo chỉ tiêu có thể tái lập / reproducible indicator reports"
    )
    ap.add_argument("--version", action="version", version="baocao " + __import__("baocao").__version__)
    sub = ap.add_subparsers(dest="command", metavar="COMMAND")

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

    _add_build(sub)
    _add_preview(sub)
    _add_forms(sub)
    _add_export(sub)
    _add_init_district(sub)
    _add_init_2025(sub)
    return ap


def main(argv=None) -> int:
    from baocao.build.lean_imports import skip_unused_optional_imports

    skip_unused_optional_imports()
    # Imported here, not at the top: a build's spawned workers re-import this module (the
    # command's), and these bring pandas, which a worker does not need (see baocao.build.worker).
    from baocao.data.catalogue import CatalogueError
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
