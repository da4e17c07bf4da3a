"""The tree keeps its shape: every module is in docs/ARCHITECTURE.md, ruff is clean,
and no module imports another module's private names."""

from __future__ import annotations

import ast
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SRC = ROOT / "src" / "baocao"


def modules() -> list[str]:
    out = []
    for p in sorted(SRC.rglob("*.py")):
        parts = p.relative_to(SRC.parent).with_suffix("").parts
        out.append(".".join(parts[:-1] if parts[-1] == "__init__" else parts))
    return out


def test_every_module_is_in_the_architecture_table():
    doc = (ROOT / "docs" / "ARCHITECTURE.md").read_text(encoding="utf-8")
    listed = set(re.findall(r"^\| `(baocao[\w.]*)` \|", doc, re.M))
    missing = [m for m in modules() if m not in listed]
    assert not missing, f"modules missing from the table in docs/ARCHITECTURE.md: {missing}"
    gone = sorted(listed - set(modules()))
    assert not gone, f"docs/ARCHITECTURE.md lists modules that do not exist: {gone}"


def _imports(path: Path):
    """(line, imported module, names) of every ``baocao`` import in a module, at any depth."""
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("baocao"):
            yield node.lineno, node.module, [a.name for a in node.names]
        elif isinstance(node, ast.Import):
            for a in node.names:
                if a.name.startswith("baocao"):
                    yield node.lineno, a.name, []


def test_no_module_imports_private_names_of_another():
    found = []
    for p in sorted(SRC.rglob("*.py")):
        tree = ast.parse(p.read_text(encoding="utf-8"))
        modules_here = set()
        for line, module, names in _imports(p):
            found += [
                f"{p.relative_to(ROOT)}:{line} {n}"
                for n in names
                if n.startswith("_") and not n.startswith("__")
            ]
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("baocao"):
                modules_here |= {a.asname or a.name for a in node.names}
        for node in ast.walk(tree):  # module._private through an imported baocao module
            if (
                isinstance(node, ast.Attribute)
                and isinstance(node.value, ast.Name)
                and node.value.id in modules_here
                and node.attr.startswith("_")
                and not node.attr.startswith("__")
            ):
                found.append(f"{p.relative_to(ROOT)}:{node.lineno} {node.value.id}.{node.attr}")
    assert found == []


# The layout by role: which package may import which (a layer never reaches up).
LAYERS = {
    "baocao.data": {"baocao.reports", "baocao.build", "baocao.export", "baocao.excel", "baocao.cli"},
    "baocao.io": {"baocao.reports", "baocao.build", "baocao.export", "baocao.excel", "baocao.cli"},
    "baocao.reports": {"baocao.build", "baocao.export", "baocao.excel", "baocao.cli"},
    "baocao.export": {"baocao.reports", "baocao.excel", "baocao.cli"},  # reads the notebooks build executed
    "baocao.excel": {"baocao.reports", "baocao.build", "baocao.export", "baocao.cli"},
    "baocao.build": {"baocao.cli"},
}
TOP_LEVEL = {"__init__", "config", "errors", "fmt"}  # the rest lives in a package named by its role


def test_the_tree_reads_by_role():
    loose = sorted(p.stem for p in SRC.glob("*.py") if p.stem not in TOP_LEVEL)
    assert loose == [], f"modules outside the role packages: {loose}"
    packages = sorted(p.name for p in SRC.iterdir() if (p / "__init__.py").is_file())
    assert packages == ["build", "cli", "data", "excel", "export", "io", "reports"]


def test_layers_never_import_upwards():
    bad = []
    for p in sorted(SRC.rglob("*.py")):
        name = ".".join(p.relative_to(SRC.parent).with_suffix("").parts)
        forbidden = next(
            (f for layer, f in LAYERS.items() if name == layer or name.startswith(layer + ".")), set()
        )
        for line, module, _ in _imports(p):
            if any(module == f or module.startswith(f + ".") for f in forbidden):
                bad.append(f"{p.relative_to(ROOT)}:{line} imports {module}")
    assert bad == []


# What a report family may use of ``baocao.reports``: the kit, the registry and the charts (``charts``
# and the modules it is built from, ``chart_*``), and the lower layers (see LAYERS); never another family.
REPORTS_SHARED = {"kit", "registry", "charts"}


def _shared(part: str) -> bool:
    return part in REPORTS_SHARED or part.startswith("chart_")


def _reports_part(module: str) -> str | None:
    """``local`` for ``baocao.reports.local.district``; None outside ``baocao.reports``."""
    parts = module.split(".")
    return parts[2] if len(parts) > 2 and parts[:2] == ["baocao", "reports"] else None


def test_report_families_import_only_the_kit_the_registry_and_the_charts():
    families = set()
    bad = []
    for p in sorted((SRC / "reports").rglob("*.py")):
        name = ".".join(p.relative_to(SRC.parent).with_suffix("").parts)
        family = _reports_part(name)
        if family in (None, "__init__") or _shared(family):
            continue
        families.add(family)
        for line, module, names in _imports(p):
            # `from baocao.reports import kit, charts` names modules of baocao.reports
            targets = [f"{module}.{n}" for n in names] if module == "baocao.reports" else [module]
            for target in targets:
                other = _reports_part(target)
                if other is not None and other != family and not _shared(other):
                    bad.append(f"{p.relative_to(ROOT)}:{line} ({family}) imports {target}")
    assert {"local", "gso", "two_level"} <= families, families
    assert bad == []


def _report_kind_names() -> set[str]:
    from baocao.reports import registry

    return set(registry.KINDS)


def test_no_report_function_branches_on_the_report_kind():
    """A comparison of something called ``kind`` with a report kind's name (``ctx.kind ==
    "commune"``, ``kind in ("district", "data_quality")``) is a branch on the kind: what differs
    between two kinds is a parameter or a module of its own. The registry itself is exempt."""
    names = _report_kind_names()
    found = []
    for p in sorted((SRC / "reports").rglob("*.py")):
        if p.name == "registry.py" and p.parent.name == "reports":
            continue
        for node in ast.walk(ast.parse(p.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.Compare):
                continue
            operands = [node.left, *node.comparators]
            about_kind = any(
                (isinstance(o, ast.Attribute) and o.attr == "kind")
                or (isinstance(o, ast.Name) and o.id == "kind")
                for o in operands
            )
            constants = {
                c.value
                for o in operands
                for c in ast.walk(o)
                if isinstance(c, ast.Constant) and isinstance(c.value, str)
            }
            if about_kind and constants & names:
                found.append(f"{p.relative_to(ROOT)}:{node.lineno}")
    assert found == []


def test_ruff_is_clean():
    """ruff as configured in pyproject.toml (import order, pyflakes, pycodestyle, pyupgrade)."""
    ruff = shutil.which("ruff", path=str(Path(sys.executable).parent)) or shutil.which("ruff")
    if ruff is None:
        pytest.fail("ruff is not installed: it is a test dependency (pip install -e '.[test]')")
    done = subprocess.run(
        [ruff, "check", "--no-cache", "--output-format", "concise", "."],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stdout[-4000:] + done.stderr[-2000:]
    formatted = subprocess.run(
        [ruff, "format", "--check", "--no-cache", "."], cwd=ROOT, capture_output=True, text=True, timeout=120
    )
    assert formatted.returncode == 0, (
        "run `ruff format`: " + formatted.stdout[-4000:] + formatted.stderr[-2000:]
    )


def test_every_error_class_has_the_one_base():
    """An error the user can fix is a ``BaocaoError`` (the CLI prints it as one clear line)."""
    import importlib
    import inspect

    from baocao.errors import BaocaoError

    strays = []
    for name in modules():
        mod = importlib.import_module(name)
        for cls_name, cls in inspect.getmembers(mod, inspect.isclass):
            if cls.__module__ == name and issubclass(cls, Exception) and not issubclass(cls, BaocaoError):
                strays.append(f"{name}.{cls_name}")
    assert strays == []
