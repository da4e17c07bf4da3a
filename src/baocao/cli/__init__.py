"""The ``baocao`` command. Each module of this package holds the subcommands of one job, their
arguments and their messages: :mod:`~baocao.cli.data` (validate, units), :mod:`~baocao.cli.build`
(build, preview), :mod:`~baocao.cli.forms` (template, import, undo), :mod:`~baocao.cli.export`
(export), :mod:`~baocao.cli.onboard` (init-district, init-province, init-commune). Every subcommand
has ``--help``; the work is done by the package (build, data, excel, export).

Errors the user can fix are printed as one clear line each (no traceback) and the exit
code is non-zero.
"""

from __future__ import annotations

import argparse
import sys

from baocao.errors import EXIT_OK, EXIT_PROBLEMS, EXIT_USAGE, UserError


def build_parser() -> argparse.ArgumentParser:
    ap = argparse.ArgumentParser(
        prog="baocao", description="Báo cáo chỉ tiêu có thể tái lập / reproducible indicator reports"
    )
    ap.add_argument("--version", action="version", version="baocao " + __import__("baocao").__version__)
    sub = ap.add_subparsers(dest="command", metavar="COMMAND")
    from baocao.cli import build, data, export, forms, onboard

    for commands in (data, build, forms, export, onboard):
        commands.add_parsers(sub)
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
