"""Files shipped inside the package that are not data: the report stylesheet.

``build/templates/baocao/baocao.css`` is the one stylesheet of the report pages; the page
template includes it, and :mod:`baocao.reports.notebook_view` reads it here to give the
notebook view in JupyterLab the same look.
"""

from __future__ import annotations

import functools
from importlib import resources

STYLESHEET = ("build", "templates", "baocao", "baocao.css")  # inside the package


@functools.cache
def report_css() -> str:
    """The text of the report pages' stylesheet."""
    return resources.files("baocao").joinpath(*STYLESHEET).read_text(encoding="utf-8")
