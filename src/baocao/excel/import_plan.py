"""The import plan: filled-form items merged into the data file's rows, checked by the core's
validation, with the journal of what changed; and the plan that undoes one import batch.

Pure: the data file's rows (strings, index = file line) and the items of
:func:`baocao.excel.reader.read_forms` in, an :class:`ImportPlan` out. Writing the data file and
its journal is :func:`baocao.excel.files.commit`.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import pandas as pd

from baocao.config import RUN
from baocao.data.catalogue import Catalogue
from baocao.data.numbers import file_number_style, machine_text
from baocao.data.observations import COLUMNS, parse_observations
from baocao.data.units import UnitRegistry
from baocao.data.validate import check_rules
from baocao.excel.problems import form_problem

ITEM_LINE_OFFSET = 10_000_000
JOURNAL_COLUMNS = [
    "batch",
    "timestamp",
    "user",
    "data_file",
    "source_file",
    "unit",
    "year",
    "element",
    "category",
    "action",
    "old_value",
    "new_value",
    "old_source",
    "new_source",
    "old_note",
    "new_note",
    "undoes",
]


CONFLICT_COLUMNS = [
    "unit",
    "year",
    "element",
    "category",
    "old",
    "new",
    "source",
    "file",
    "sheet",
    "cell",
    "old_source",
]


@dataclass
class ImportPlan:
    data: pd.DataFrame  # the data file as it would be written (strings, file columns)
    adds: pd.DataFrame  # items added
    replaced: pd.DataFrame  # conflicts applied (with --replace)
    conflicts: (
        pd.DataFrame
    )  # items whose value differs from the data file: key, old, new, source, file, sheet, cell
    identical: int
    problems: list[dict]
    journal: list[dict]  # without batch / timestamp / user

    @property
    def blocking(self) -> list[dict]:
        return [p for p in self.problems if p["importance"] == "blocking"]

    @property
    def changes(self) -> int:
        return len(self.adds) + len(self.replaced)


def _key_of(row) -> tuple[str, str, str, str]:
    return (str(row["unit"]), str(row["year"]), str(row["element"]), str(row.get("category", "") or ""))


def _journal_entry(it, action: str, old_value, old_source, old_note) -> dict:
    """One row of the import journal: what ``action`` ("add" / "replace") did to the row of item ``it``."""
    return dict(
        source_file=it.file,
        unit=it.unit,
        year=str(it.year),
        element=it.element,
        category=it.category,
        action=action,
        old_value=old_value,
        new_value=it.text,
        old_source=old_source,
        new_source=it.source,
        old_note=old_note,
        new_note=it.note,
    )


# ----------------------------------------------------------------------------- the import


def plan_import(
    existing: pd.DataFrame,
    data_label: str,
    items: pd.DataFrame,
    catalogue: Catalogue,
    registry: UnitRegistry,
    replace: bool = False,
    item_problems: list[dict] | None = None,
) -> ImportPlan:
    """Merge imported items into the data file's rows (strings, index = file line) and validate the result.

    New keys are added; equal values ignored; different values are conflicts, applied
    only with ``replace``. The result is checked with the core's ``parse_observations``
    and ``check_rules``; problems already present in the data file alone are not repeated
    (but blocking ones still block), the others are mapped to their sheet and cell.
    """
    problems = list(item_problems or [])
    delimiter = existing.attrs.get("delimiter", ",")  # as the CSV reader found it
    existing = _with_file_columns(existing)
    style = file_number_style(zip(existing.index, existing["value"]), delimiter)
    if style.decimal_comma:  # a file saved by Excel in a Vietnamese locale: new values written its way
        items = items.assign(text=[machine_text(v, decimal_comma=True) for v in items["value"]])
    base_typed, baseline = _baseline(existing, data_label, catalogue, registry, delimiter)
    problems += [_already_in_file(p, data_label) for p in baseline if p["importance"] == "blocking"]
    baseline_ids = {(p["rule"], p["message_en"]) for p in baseline}
    existing_value = _existing_values(base_typed)
    merge = _merge(existing, items, existing_value, replace)
    # Validate with the core: the state that would be written, and the forms' every value
    # applied (a conflicting value is checked even when it is not applied).
    states = [(merge.rows, merge.provenance)]
    if not replace and merge.conflicts:
        states.append(_every_value_applied(merge, items, existing_value))
    seen: set = set()
    for frame, prov in states:
        for p in _map_problems(frame, prov, items, catalogue, registry, baseline_ids, data_label, delimiter):
            key = (p["file"], p["sheet"], p["cell"], p["line"], p["rule"], p["message_en"])
            if key not in seen:
                seen.add(key)
                problems.append(p)
    return ImportPlan(
        data=_ordered(merge.rows, existing),
        adds=items.iloc[merge.added].reset_index(drop=True),
        replaced=items.iloc[merge.replaced].reset_index(drop=True),
        conflicts=pd.DataFrame(merge.conflicts, columns=CONFLICT_COLUMNS),
        identical=merge.identical,
        problems=problems,
        journal=merge.journal,
    )


def _with_file_columns(existing: pd.DataFrame) -> pd.DataFrame:
    """A copy with every observation column, indexed by file line."""
    existing = existing.copy()
    for c in COLUMNS:
        if c not in existing.columns:
            existing[c] = ""
    if existing.index.name != "line":
        existing.index = pd.RangeIndex(2, 2 + len(existing), name="line")
    return existing


def _baseline(
    existing: pd.DataFrame, data_label: str, catalogue: Catalogue, registry: UnitRegistry, delimiter: str
):
    """(typed rows or None, problems) of the data file alone, before any import."""
    base_typed, base_probs = (
        parse_observations(existing, data_label, catalogue, registry, delimiter=delimiter)
        if len(existing)
        else (None, pd.DataFrame(columns=["importance"]))
    )
    base_rules = (
        check_rules(base_typed, catalogue) if base_typed is not None and len(base_typed) else pd.DataFrame()
    )
    return base_typed, [
        *base_probs.to_dict("records"),
        *(base_rules.to_dict("records") if len(base_rules) else []),
    ]


def _already_in_file(p: dict, data_label: str) -> dict:
    """A blocking problem the data file already has: it blocks the import too."""
    return form_problem(
        data_label,
        None,
        None,
        p["rule"],
        p["value"],
        f"tệp số liệu đã có lỗi (cột {p['column']}): {p['message_vi']}; sửa tệp trước ({RUN} validate "
        f"{data_label})",
        f"the data file already has a problem (column {p['column']}): {p['message_en']}; fix it "
        f"first ({RUN} validate {data_label})",
        line=p["row"],
    )


def _existing_values(base_typed) -> dict[tuple, tuple[int, float]]:
    """(unit, year or period, element, category) -> (file line, value) of the data file's rows."""
    existing_value: dict[tuple, tuple[int, float]] = {}
    if base_typed is not None:
        periods = base_typed["period"] if "period" in base_typed else [""] * len(base_typed)
        for line, u, y, per, e, c, v in zip(
            base_typed["line"],
            base_typed["unit"],
            base_typed["year"],
            periods,
            base_typed["element"],
            base_typed["category"],
            base_typed["value"],
        ):
            existing_value[(str(u), per or str(y), str(e), str(c))] = (int(line), float(v))
    return existing_value


def _same_value(a: float, b: float) -> bool:
    return math.isclose(a, b, rel_tol=1e-12, abs_tol=1e-12)


@dataclass
class _Merge:
    """The data file's rows with the items merged in, and what became of each item."""

    rows: pd.DataFrame  # index: file line of an old row, ITEM_LINE_OFFSET + position of an item's row
    provenance: dict[int, int] = field(default_factory=dict)  # merged line -> item position
    added: list[int] = field(default_factory=list)  # item positions
    replaced: list[int] = field(default_factory=list)
    conflicts: list[dict] = field(default_factory=list)  # CONFLICT_COLUMNS
    identical: int = 0
    journal: list[dict] = field(default_factory=list)


def _merge(existing: pd.DataFrame, items: pd.DataFrame, existing_value: dict, replace: bool) -> _Merge:
    """New keys added, equal values ignored, different values recorded as conflicts (and applied
    with ``replace``)."""
    merge = _Merge(existing.copy())
    cols = list(existing.columns)
    add_rows = []
    for i, it in enumerate(items.itertuples(index=False)):
        key = (it.unit, str(it.year), it.element, it.category)
        line = ITEM_LINE_OFFSET + i
        if key not in existing_value:
            row = {c: "" for c in cols}
            row.update(
                unit=it.unit,
                year=str(it.year),
                element=it.element,
                category=it.category,
                value=it.text,
                source=it.source,
                note=it.note,
            )
            add_rows.append((line, row))
            merge.added.append(i)
            merge.provenance[line] = i
            merge.journal.append(_journal_entry(it, "add", "", "", ""))
            continue
        old_line, old_value = existing_value[key]
        if _same_value(old_value, it.value):
            merge.identical += 1
            continue
        old = existing.loc[old_line]
        merge.conflicts.append(_conflict(it, old))
        if replace:
            merge.rows = _put(merge.rows, old_line, line, it)
            merge.replaced.append(i)
            merge.provenance[line] = i
            merge.journal.append(_journal_entry(it, "replace", old["value"], old["source"], old["note"]))
    if add_rows:
        extra = pd.DataFrame(
            [r for _, r in add_rows], index=pd.Index([ln for ln, _ in add_rows], name="line"), columns=cols
        )
        merge.rows = pd.concat([merge.rows, extra])
    merge.rows.index.name = "line"
    return merge


def _conflict(it, old) -> dict:
    return dict(
        unit=it.unit,
        year=it.year,
        element=it.element,
        category=it.category,
        old=old["value"],
        new=it.text,
        source=it.source,
        file=it.file,
        sheet=it.sheet,
        cell=it.cell,
        old_source=old["source"],
    )


def _put(rows: pd.DataFrame, old_line: int, line: int, it) -> pd.DataFrame:
    """The row at ``old_line`` with the item's value, source and note, moved to the item's ``line``."""
    rows = rows.rename(index={old_line: line})
    rows.loc[line, ["value", "source", "note"]] = [it.text, it.source, it.note]
    return rows


def _every_value_applied(merge: _Merge, items: pd.DataFrame, existing_value: dict):
    """(rows, provenance) as they would be with every conflicting value applied too."""
    candidate, cand_prov = merge.rows.copy(), dict(merge.provenance)
    for i, it in enumerate(items.itertuples(index=False)):
        key = (it.unit, str(it.year), it.element, it.category)
        if key in existing_value and i not in merge.provenance.values():
            old_line = existing_value[key][0]
            if old_line in candidate.index and not _same_value(existing_value[key][1], it.value):
                line = ITEM_LINE_OFFSET + i
                candidate = _put(candidate, old_line, line, it)
                cand_prov[line] = i
    candidate.index.name = "line"
    return candidate, cand_prov


def _map_problems(
    frame, provenance, items, catalogue, registry, baseline_ids, data_label, delimiter=","
) -> list[dict]:
    """Core validation of ``frame`` (a data file separated by ``delimiter``); problems not already in the
    data file, placed at their sheet and cell."""
    typed, probs = parse_observations(frame, "<merged>", catalogue, registry, delimiter=delimiter)
    rules = check_rules(typed, catalogue)
    found = [*probs.to_dict("records"), *(rules.to_dict("records") if len(rules) else [])]
    rule_right = {r.id: r.right for r in catalogue.rules}
    item_at = {
        (it.unit, str(it.year), it.element, it.category): i
        for i, it in enumerate(items.itertuples(index=False))
    }
    out = []
    for p in found:
        if (p["rule"], p["message_en"]) in baseline_ids:
            continue
        line = int(p["row"]) if str(p["row"]).isdigit() else p["row"]
        i = provenance.get(line) if isinstance(line, int) else None
        if i is None and isinstance(line, int) and line in frame.index and p["rule"] in rule_right:
            # the left side is an old row: the import changed the right side
            row = frame.loc[line]
            i = item_at.get((row["unit"], row["year"], rule_right[p["rule"]], row["category"]))
            if i is None:
                i = item_at.get((row["unit"], row["year"], rule_right[p["rule"]], ""))
        if i is not None:
            it = items.iloc[i]
            out.append(
                form_problem(
                    it["file"],
                    it["sheet"],
                    it["cell"],
                    p["rule"],
                    p["value"],
                    p["message_vi"],
                    p["message_en"],
                    p["importance"],
                )
            )
        else:
            out.append(
                form_problem(
                    data_label,
                    None,
                    None,
                    p["rule"],
                    p["value"],
                    p["message_vi"],
                    p["message_en"],
                    p["importance"],
                    line=line,
                )
            )
    return out


def _ordered(merged: pd.DataFrame, existing: pd.DataFrame) -> pd.DataFrame:
    """Rows in a stable order: sorted if the file was sorted, else old rows
    in place and new ones at the end.
    """
    keys_old = _sort_keys(existing)
    is_sorted = all(a <= b for a, b in zip(keys_old, keys_old[1:]))
    df = merged.reset_index(drop=True)
    if is_sorted:
        keys = _sort_keys(df)
        df = df.iloc[sorted(range(len(df)), key=keys.__getitem__)]
    return df.reset_index(drop=True)


def _sort_keys(df: pd.DataFrame) -> list[tuple[str, str, str, str]]:
    return list(zip(*(df[c].astype(str) for c in ("year", "unit", "element", "category")))) if len(df) else []


# ----------------------------------------------------------------------------- the journal and undo


def journal_frame(rows: list[dict], batch: str, timestamp: str, user: str, data_name: str) -> pd.DataFrame:
    full = [
        {
            **{c: "" for c in JOURNAL_COLUMNS},
            **r,
            "batch": batch,
            "timestamp": timestamp,
            "user": user,
            "data_file": data_name,
        }
        for r in rows
    ]
    return pd.DataFrame(full, columns=JOURNAL_COLUMNS)


def plan_undo(
    existing: pd.DataFrame, journal: pd.DataFrame, batch: str, data_name: str
) -> tuple[pd.DataFrame, list[dict], list[dict]]:
    """Revert one import batch: (data as it would be written, journal rows, problems).

    Only values still as the batch left them are reverted; anything changed since is a
    problem and nothing is reverted.
    """
    rows = _batch_rows(journal, batch, data_name)
    df = _with_file_columns(existing).reset_index(drop=True)
    where = {_key_of(r): i for i, r in df.iterrows()}
    problems, out, drop = [], [], []
    for _, j in rows.iterrows():
        key = (j["unit"], j["year"], j["element"], j["category"])
        i = where.get(key)
        problem = _changed_since(df, i, j, "/".join(k for k in key if k), data_name)
        if problem:
            problems.append(problem)
            continue
        base = dict(
            source_file=j["source_file"],
            unit=j["unit"],
            year=j["year"],
            element=j["element"],
            category=j["category"],
            old_value=df.at[i, "value"],
            old_source=df.at[i, "source"],
            old_note=df.at[i, "note"],
            undoes=batch,
        )
        if j["action"] == "add":
            drop.append(i)
            out.append(base | dict(action="undo_add", new_value="", new_source="", new_note=""))
        else:
            df.loc[i, ["value", "source", "note"]] = [j["old_value"], j["old_source"], j["old_note"]]
            out.append(
                base
                | dict(
                    action="undo_replace",
                    new_value=j["old_value"],
                    new_source=j["old_source"],
                    new_note=j["old_note"],
                )
            )
    df = df.drop(index=drop).reset_index(drop=True)
    return df[[c for c in existing.columns] or list(COLUMNS)], out, problems


def _batch_rows(journal: pd.DataFrame, batch: str, data_name: str) -> pd.DataFrame:
    """The journal rows of ``batch`` for the data file; LookupError when it cannot be undone."""
    if journal.empty or batch not in set(journal["batch"]):
        known = list(dict.fromkeys(journal["batch"]))[-5:] if not journal.empty else []
        raise LookupError(
            f"không có lô nhập {batch!r} trong nhật ký / no import batch {batch!r} in the journal"
            + (f"; recent / gần đây: {', '.join(known)}" if known else "")
        )
    if (journal["undoes"] == batch).any():
        raise LookupError(f"lô {batch!r} đã được hoàn tác / batch {batch!r} was already undone")
    rows = journal[(journal["batch"] == batch)]
    rows = rows[rows["data_file"] == data_name] if (rows["data_file"] == data_name).any() else rows.iloc[0:0]
    if rows.empty:
        raise LookupError(
            f"lô {batch!r} không ghi vào {data_name} / batch {batch!r} did not change {data_name}"
        )
    if rows["action"].str.startswith("undo").any():
        raise LookupError(f"batch {batch!r} is itself an undo / lô {batch!r} là một lần hoàn tác")
    return rows


def _changed_since(df: pd.DataFrame, i, j, label: str, data_name: str) -> dict | None:
    """A problem when the row journal entry ``j`` wrote is gone or holds another value now, else None."""
    if i is None:
        return form_problem(
            data_name,
            None,
            None,
            "undo",
            label,
            f"{label}: dòng đã bị xóa sau lần nhập này",
            f"{label}: the row was removed after this import",
        )
    cur = df.at[i, "value"]
    if not _same_number(cur, j["new_value"]):
        return form_problem(
            data_name,
            None,
            None,
            "undo",
            label,
            f"{label}: giá trị đã đổi thành {cur} sau lần nhập này (lần nhập ghi {j['new_value']})",
            f"{label}: the value was changed to {cur} after this import (the import wrote {j['new_value']})",
        )
    return None


def _same_number(a: str, b: str) -> bool:
    try:
        return _same_value(float(a), float(b))
    except ValueError:
        return str(a).strip() == str(b).strip()
