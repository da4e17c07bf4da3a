"""Optional imports that cost a baocao process seconds and serve it nothing.

``jsonschema`` (which ``nbformat`` imports to validate notebooks) imports ``rfc3987_syntax``
when it is installed — JupyterLab's dependencies bring it — and that module compiles a Lark
grammar at import: ≈ 1,2 s of CPU in every process that reads or writes a notebook (the
build, each of its workers, the preview). It only adds jsonschema's ``iri`` and
``iri-reference`` format checks, which nbformat never asks for (it validates without a format
checker). baocao's own processes mark it as absent before anything imports jsonschema; kernels
and JupyterLab are left as they are.
"""

from __future__ import annotations

import sys

UNUSED = ("rfc3987_syntax",)


def skip_unused_optional_imports() -> None:
    """Make ``import rfc3987_syntax`` fail (ImportError, which jsonschema expects) in this
    process, unless it was imported already."""
    for name in UNUSED:
        sys.modules.setdefault(name, None)
