"""A problem found in a form or in an import: the record, where it is, and its one line of text.

Pure. Every problem names its file and, when it has them, the sheet and cell (or the data file's
line), the rule, the value, whether it blocks the import, and its message in Vietnamese and
English.
"""

from __future__ import annotations

import re


def form_problem(file, sheet, cell, rule, value, vi, en, importance="blocking", line="") -> dict:
    """The record: file, sheet, cell, line, rule, value, importance, message_vi, message_en."""
    return dict(
        file=str(file),
        sheet=sheet,
        cell=cell,
        line=line,
        rule=rule,
        value=str(value),
        importance=importance,
        message_vi=vi,
        message_en=en,
    )


def place(p: dict, lang: str = "vi") -> str:
    vi = lang == "vi"
    parts = [p["file"]]
    if p.get("sheet"):
        parts.append(f'trang "{p["sheet"]}"' if vi else f'sheet "{p["sheet"]}"')
    if p.get("cell"):
        parts.append(("ô " if vi else "cell ") + str(p["cell"]))
    if p.get("line") not in (None, ""):
        parts.append(("dòng " if vi else "line ") + str(p["line"]))
    return ", ".join(parts)


def place_order(p: dict) -> tuple[str, str, int, int]:
    """Sort key of a problem: file, sheet, then row and column of its cell (or its line)."""
    from openpyxl.utils import column_index_from_string

    m = re.match(r"([A-Z]+)(\d+)", str(p.get("cell") or ""))
    col = column_index_from_string(m.group(1)) if m else 0
    row = int(m.group(2)) if m else (p.get("line") if isinstance(p.get("line"), int) else 0)
    return (str(p["file"]), str(p.get("sheet") or ""), row, col)


def format_problem(p: dict, lang: str = "vi", rule_ids=()) -> str:
    """One line: place, message in ``lang``, then the other language; catalogue rules by id."""
    vi = lang == "vi"
    msg, other = (p["message_vi"], p["message_en"]) if vi else (p["message_en"], p["message_vi"])
    level = "" if p["importance"] == "blocking" else (" [cảnh báo]" if vi else " [warning]")
    rule = f" (rule {p['rule']})" if p["rule"] in rule_ids else ""
    return f"{place(p, lang)}{level}: {msg} — {other}{rule}"
