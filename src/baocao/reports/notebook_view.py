"""The report as JupyterLab shows it: the page's look, and no stale report after an error.

**The page's look.** The report pages take their look from one stylesheet (the page
template's ``baocao.css``, read by :func:`baocao.io.assets.report_css`). When a report opens
in a kernel, :func:`show_style` displays that same stylesheet as the first output of the
notebook (the output of the cell that opens the report, a cell the page leaves out), scoped by
:func:`lab_css` so that it styles only the outputs of that one notebook, never JupyterLab
itself: every selector is prefixed by :data:`SCOPE`, which matches a notebook holding the
style's own element. The outputs' descendants first lose JupyterLab's own output styles
(``all: revert``: back to the browser's defaults, as on the page), then get the page's rules.
Rules for the page's frame (``body``, ``main``, the notebook cells' prompts, print and
``@page``) are left out. The stylesheet travels with the outputs: an executed notebook shows
its cards, banner, marks and tables as the page does wherever it is opened, and nothing of it
is saved (the lab strips outputs on save).

**No stale report.** When a report cannot open, :func:`forget_report` replaces the report the
notebook opened before (every name bound to it, and ``ctx``) with a :class:`NotOpened`, whose
every use raises :class:`ReportNotOpened`: one line saying why the report did not open. So the
later cells of a run that failed never show an earlier run's report.
"""

from __future__ import annotations

import functools
import sys

from baocao.reports.registry import ReportError

# The notebook whose outputs include the report's style element, and its outputs.
STYLE_CLASS = "baocao-report-style"
SCOPE = f".jp-Notebook:has(style.{STYLE_CLASS})"
OUTPUT = f"{SCOPE} .jp-OutputArea-output"

# Where the notebook keeps the report it opened last (a name the parameters never use).
LAST_REPORT = "_baocao_report"
CONTEXT_NAME = "ctx"  # what the notebooks call the report: `ctx = report.open_report(...)`

# Selectors of the page's frame, not of what the outputs show: left out of the notebook view.
FRAME = ("body", "main", ".jp-Collapser", ".jp-InputPrompt", ".jp-OutputPrompt", ".jp-Cell")
# Classes of the output element itself (nbconvert's page uses JupyterLab's output markup).
OUTPUT_ELEMENT = (".jp-OutputArea-output", ".jp-RenderedImage", ".jp-RenderedText", ".jp-RenderedHTML")


# ---------------------------------------------------------------- the page's look


def scope_selector(selector: str) -> str | None:
    """One selector of the page's stylesheet as it applies in the notebook view, or None for a
    selector of the page's frame."""
    selector = " ".join(selector.split())
    first = selector.split(" ")[0]
    if selector in (":root", "html"):
        return OUTPUT
    if any(first == f or first.startswith((f + ".", f + ":", f + "[")) for f in FRAME):
        return None
    if first.startswith(OUTPUT_ELEMENT):
        return f"{SCOPE} {selector}"
    return f"{OUTPUT} {selector}"


def lab_css(css: str) -> str:
    """The page's stylesheet ``css`` scoped to the outputs of the notebook that shows it (see
    the module docstring): first the reset of JupyterLab's output styles, then the page's rules
    in their order, without ``@page``, print rules and the page's frame."""
    import tinycss2

    return "\n".join([f"{OUTPUT} * {{ all: revert; }}", *_scoped_rules(tinycss2.parse_stylesheet(css))])


def _scoped_rules(rules) -> list[str]:
    import tinycss2

    out = []
    for rule in rules:
        if rule.type == "qualified-rule":
            selectors = [scope_selector(s) for s in _split_selectors(rule.prelude)]
            selectors = [s for s in selectors if s]
            if selectors:
                out.append(f"{', '.join(selectors)} {{ {_declarations(rule.content)} }}")
        elif rule.type == "at-rule" and rule.lower_at_keyword == "media" and rule.content is not None:
            query = " ".join(tinycss2.serialize(rule.prelude).split())
            if "print" in query:
                continue
            inner = _scoped_rules(tinycss2.parse_stylesheet(rule.content, skip_comments=True))
            if inner:
                out.append(f"@media {query} {{\n" + "\n".join(inner) + "\n}")
        # @page, @font-face (none), comments, whitespace: nothing in the notebook view
    return out


def _split_selectors(prelude) -> list[str]:
    import tinycss2

    parts, current = [], []
    for token in prelude:
        if token.type == "literal" and token.value == ",":
            parts.append(current)
            current = []
        else:
            current.append(token)
    parts.append(current)
    return [tinycss2.serialize(p).strip() for p in parts if tinycss2.serialize(p).strip()]


def _declarations(content) -> str:
    import tinycss2

    return " ".join(tinycss2.serialize([t for t in content if t.type != "comment"]).split())


@functools.cache
def style_html() -> str:
    """The ``<style>`` element the notebook view shows first (cached: one parse per kernel)."""
    from baocao.io.assets import report_css

    return f'<style class="{STYLE_CLASS}">\n{lab_css(report_css())}\n</style>'


def show_style() -> None:
    """Display :func:`style_html` when running in a Jupyter kernel (JupyterLab, papermill, the
    builder's kernels); elsewhere (plain Python, a terminal) nothing. The page leaves the
    output out (the cell opening the report is tagged ``remove_cell``), and so do the Word and
    Excel files."""
    shell = sys.modules["IPython"].get_ipython() if "IPython" in sys.modules else None
    if shell is None or not hasattr(shell, "kernel"):  # a kernel's shell has one; a terminal's not
        return
    from IPython.display import display

    display({"text/html": style_html()}, raw=True)


# ---------------------------------------------------------------- no stale report


class ReportNotOpened(ReportError):
    """A report function given the context of a report that did not open."""


class NotOpened:
    """What the notebook's report context becomes when opening the report failed: any use
    (an attribute, an item, iteration, truth) raises :class:`ReportNotOpened` with one line
    saying why; it shows itself as that line."""

    __slots__ = ("_why",)

    def __init__(self, error: BaseException):
        text = " ".join(str(error).split()) or type(error).__name__
        why = f"{type(error).__name__}: {text}" if not isinstance(error, ReportError) else text
        object.__setattr__(self, "_why", why)

    def _refuse(self, *args, **kwargs):
        raise ReportNotOpened(f"Báo cáo chưa mở được / the report did not open: {self._why}")

    def __getattr__(self, name: str):
        if name.startswith(("__", "_repr_", "_ipython_")):  # how Python and IPython inspect objects
            raise AttributeError(name)
        self._refuse()

    __setattr__ = __getitem__ = __iter__ = __len__ = __bool__ = _refuse

    def __repr__(self) -> str:
        return f"<báo cáo chưa mở được / report not opened: {self._why}>"


def remember_report(namespace: dict, ctx) -> None:
    """Note ``ctx`` as the report the notebook (its ``globals()``) opened last."""
    namespace[LAST_REPORT] = ctx


def forget_report(namespace: dict, error: BaseException) -> NotOpened:
    """Replace the report the notebook opened last (every name bound to it) and ``ctx`` (when it
    is unbound or was such a report) by a :class:`NotOpened` saying ``error``."""
    failed = NotOpened(error)
    last = namespace.get(LAST_REPORT)
    if last is not None:
        for name, value in list(namespace.items()):
            if value is last:
                namespace[name] = failed
    if CONTEXT_NAME not in namespace or isinstance(namespace[CONTEXT_NAME], NotOpened):
        namespace[CONTEXT_NAME] = failed
    namespace[LAST_REPORT] = failed
    return failed
