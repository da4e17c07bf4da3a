"""The one base class of baocao's own errors, and the command's exit codes.

Every error baocao raises on purpose for bad input (a plan, a data file, a workbook, a unit
name, a report parameter) is a :class:`BaocaoError`, so a caller can catch them all with one
``except``; each keeps the standard type it has always been (``ValueError``, ``LookupError``)
as a second base.
"""

EXIT_OK, EXIT_PROBLEMS, EXIT_USAGE, EXIT_INTERRUPTED = 0, 1, 2, 130
EXIT_FAILED = EXIT_PROBLEMS  # a build with a failed report


class BaocaoError(Exception):
    """Base of every error baocao raises for input it cannot use; the message says why."""


class UserError(BaocaoError):
    """An error whose message is for the user; the command prints it without a traceback."""
