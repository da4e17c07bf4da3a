"""The one base class of baocao's own errors, and the command's exit codes.

Every error baocao raises on purpose for bad input (a plan, a data file, a workbook, a unit
name, a report parameter) is a :class:`BaocaoError`, so a caller can catch them all with one
``except``; each keeps the standard type it has always been (``ValueError``, ``LookupError``)
as a second base. In a notebook such an error shows as its one line, without a traceback.
"""

EXIT_OK, EXIT_PROBLEMS, EXIT_USAGE, EXIT_INTERRUPTED = 0, 1, 2, 130
EXIT_FAILED = EXIT_PROBLEMS  # a build with a failed report


class BaocaoError(Exception):
    """Base of every error baocao raises for input it cannot use; the message says why."""

    def _render_traceback_(self):
        """What IPython (a report's kernel, so the ``.failed.ipynb`` too) shows instead of the
        traceback: the one line of the message. A bug, any other exception, keeps its traceback."""
        return [f"\033[1;31m{type(self).__name__}\033[0m: {' '.join(str(self).split())}"]


class UserError(BaocaoError):
    """An error whose message is for the user; the command prints it without a traceback."""
