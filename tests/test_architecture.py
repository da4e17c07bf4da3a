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


def test_no_module_imports_private_names_of_another():
    found = []
    for p in sorted(SRC.rglob("*.py")):
        for node in ast.walk(ast.parse(p.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("baocao"):
                found += [f"{p.relative_to(ROOT)}:{node.lineno} {a.name}" for a in node.names
                          if a.name.startswith("_") and not a.name.startswith("__")]
    # Known debt, being paid down: the GSO and 2025 report modules still borrow report.py's helpers.
    allowed = {"_cards", "_chart", "_lang", "_year"}
    assert [f for f in found if f.rsplit(" ", 1)[1] not in allowed] == []


def test_ruff_is_clean():
    """ruff as configured in pyproject.toml (import order, pyflakes, pycodestyle, pyupgrade)."""
    ruff = shutil.which("ruff", path=str(Path(sys.executable).parent)) or shutil.which("ruff")
    if ruff is None:
        pytest.fail("ruff is not installed: it is a test dependency (pip install -e '.[test]')")
    done = subprocess.run([ruff, "check", "--no-cache", "--output-format", "concise", "."], cwd=ROOT,
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stdout[-4000:] + done.stderr[-2000:]
