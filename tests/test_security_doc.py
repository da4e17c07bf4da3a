"""SECURITY.md lists every corpus case with its result, so the table stays true."""

from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]


def test_security_table_lists_every_case():
    doc = (ROOT / "SECURITY.md").read_text(encoding="utf-8")
    cases = yaml.safe_load((ROOT / "tests/corpus/cases.yaml").read_text(encoding="utf-8"))
    for c in cases:
        row = next((line for line in doc.splitlines() if line.startswith(f"| `{c['id']}` |")), None)
        assert row is not None, f"SECURITY.md has no row for case {c['id']}"
        assert c["what"] in row
        assert (f"exit {c['exit']}" in row) if c["exit"] else ("accepted" in row)
        for text in c["expect"]:
            assert text in row, f"{c['id']}: expected message {text!r} not in the table"
