"""``baocao build [PLAN]``: run a plan's reports into outputs/ (registered by baocao.cli)."""

from __future__ import annotations

DESCRIPTION = """\
Lập mọi báo cáo của một kế hoạch (params/*.yml) và ghi vào outputs/: HTML (và PDF, Word, Excel nếu
muốn), notebook đã chạy, trang mục lục của kế hoạch, manifest.json. Build every report of a run plan
into outputs/{year}/{unit}/{notebook}.html (+ the executed .ipynb; .pdf, .docx, .xlsx with --pdf,
--docx, --xlsx or `formats:` in the plan), the plan's own index outputs/index-{plan}.html,
outputs/index.html (a page linking every plan built there) and outputs/manifest.json.

Only what changed is re-run: a report is skipped when its notebook, parameters, the data rows it
reads, the baocao source and the package versions are unchanged and its outputs are intact.
A failing report does not stop the others; its partial notebook is kept as NAME.failed.ipynb.
Exit code: 0 all built, 1 some report failed, 2 bad plan / options / outputs locked, 130 interrupted.
"""

EPILOG = """\
examples:
  baocao build                                  # params/thoai_son.yml, all CPUs
  baocao build params/thoai_son.yml --jobs 2
  baocao build --only district_report --only 2024
  baocao build --only 894 --dry-run             # what would run, and why
  baocao build --force --outputs /tmp/out
  baocao build gso_provinces --only 2016        # 63 province reports + the national overview
  baocao build --scheduler tcp://10.0.0.5:8786  # on a Dask cluster (docs/builder.md)
  baocao build --only 2024 --pdf --docx --xlsx  # also PDF, Word and Excel beside each HTML

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
    import signal
    import threading

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
    from baocao.builder import BuildError, build
    from baocao.errors import UserError
    from baocao.filestamps import FileHashes
    from baocao.plans import PlanError, load_plan_cached, resolve_plan_path

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
    except (PlanError, BuildError) as exc:
        raise UserError(str(exc)) from None


def _positive(text: str) -> int:
    import argparse

    try:
        n = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a whole number: {text!r}") from None
    if n < 1:
        raise argparse.ArgumentTypeError(f"must be at least 1, not {n}")
    return n


def register(sub) -> None:
    import argparse

    b = sub.add_parser(
        "build",
        help="build the reports of a run plan into outputs/ (incremental, parallel)",
        description=DESCRIPTION,
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    b.add_argument("plan", nargs="?", default=None, metavar="PLAN",
                   help="plan file or name in params/ (default: params/thoai_son.yml)")
    b.add_argument("-j", "--jobs", type=_positive, default=None, metavar="N",
                   help="local worker processes (default: the number of CPUs)")
    b.add_argument("--only", action="append", metavar="VALUE",
                   help="build only reports of this notebook, unit or year (repeatable; see below)")
    b.add_argument("--force", action="store_true", help="re-run every selected report, changed or not")
    b.add_argument("-n", "--dry-run", action="store_true", help="list what would run and why; run nothing, write nothing")
    b.add_argument("--outputs", metavar="DIR", help="output folder (default: outputs/, or $BAOCAO_OUTPUTS)")
    b.add_argument("--scheduler", metavar="ADDRESS",
                   help="run on a dask.distributed cluster, e.g. tcp://host:8786 (see docs/builder.md)")
    b.add_argument("--pdf", action="store_true", help="also print each report to A4 PDF beside its HTML (Chromium; or formats: [pdf] in the plan)")
    b.add_argument("--docx", action="store_true", help="also write each report as an editable Word file in the Decree 30 layout (or formats: [docx])")
    b.add_argument("--xlsx", action="store_true", help="also write each report's tables as an Excel workbook, one sheet per table (or formats: [xlsx])")
    b.set_defaults(func=cmd_build)
