"""What the planner reads from a report notebook without running it: its cells, the names of its
parameters (the cell tagged ``parameters``) and the report kind it declares
(``metadata.baocao.kind``, :mod:`baocao.reports.registry`). Read as plain JSON: nbformat's import
costs seconds.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass
from pathlib import Path

from baocao.build.plan_checks import PlanError
from baocao.reports import registry


@dataclass(frozen=True)
class NotebookInfo:
    """What the planner needs to know about a report notebook, read without running it."""

    name: str
    path: Path
    parameters: tuple[str, ...]
    unit_parameter: str | None  # "district", "commune" or "province"; None: the whole country
    kind: str | None  # the report kind the notebook declares (metadata.baocao.kind; baocao.reports.registry)


def read_cells(path: Path) -> tuple[list[dict], dict]:
    """The cells (``source`` joined to one string) and metadata of an .ipynb file, read as plain
    JSON (nbformat's import costs seconds; the planner needs only this)."""
    import json

    from baocao.io.tables import read_text

    try:
        doc = json.loads(read_text(path))
        cells = [
            dict(
                c,
                source="".join(c.get("source", ""))
                if isinstance(c.get("source"), list)
                else c.get("source", ""),
            )
            for c in doc["cells"]
        ]
    except (ValueError, KeyError, TypeError, AttributeError) as exc:
        raise PlanError.at(
            str(path), f"not a readable notebook ({exc})", f"không đọc được notebook ({exc})"
        ) from None
    return cells, doc.get("metadata", {})


def notebook_info(path: Path) -> NotebookInfo:
    """Parameter names (from the cell tagged ``parameters``) and report kind of a notebook."""
    cells, metadata = read_cells(path)
    params: list[str] = []
    for cell in cells:
        if cell.get("cell_type") != "code":
            continue
        if "parameters" in cell.get("metadata", {}).get("tags", []) and not params:
            try:
                tree = ast.parse(cell["source"])
            except SyntaxError:
                tree = ast.parse("")
            for node in tree.body:
                targets = (
                    node.targets
                    if isinstance(node, ast.Assign)
                    else [node.target]
                    if isinstance(node, ast.AnnAssign)
                    else []
                )
                params += [t.id for t in targets if isinstance(t, ast.Name)]
    kind = registry.get(registry.kind_of(metadata))
    if kind is not None:  # the registry says which parameter names the report's unit
        unit_param = kind.unit_parameter if kind.unit_parameter in params else None
    else:  # a notebook of no registered kind: the first unit-like parameter it has
        unit_param = next((p for p in ("commune", "district", "province") if p in params), None)
    return NotebookInfo(
        path.stem, path, tuple(dict.fromkeys(params)), unit_param, kind.name if kind else None
    )


def available_notebooks(notebooks_dir: Path) -> dict[str, Path]:
    return {p.stem: p for p in sorted(Path(notebooks_dir).glob("*.ipynb")) if not p.name.startswith(".")}
