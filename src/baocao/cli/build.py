"""``baocao build`` (a plan's reports into the outputs folder) and ``baocao preview`` (a live page
while editing a report)."""

from __future__ import annotations

import argparse
import os
import signal
import sys
import threading
from pathlib import Path

from baocao.cli.data import print_problems
from baocao.config import RUN
from baocao.errors import EXIT_PROBLEMS, UserError

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
        print_problems(exc.problems, exc.lang, out=sys.stderr)
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


def add_parsers(sub) -> None:
    """``build`` and ``preview``."""
    _add_build(sub)
    _add_preview(sub)
