"""What ``baocao template`` and ``baocao import`` say: the lines they print, in Vietnamese or
English, made from their results.

Pure: results in, lines of text out; the command (:mod:`baocao.cli`) prints them. Problems are
worded by :func:`baocao.excel.problems.format_problem`.
"""

from __future__ import annotations

from collections.abc import Sequence

from baocao.config import RUN
from baocao.data.catalogue import Catalogue
from baocao.data.unit_lists import label
from baocao.data.units import UnitRegistry
from baocao.excel.import_plan import ImportPlan
from baocao.excel.problems import format_problem, place_order
from baocao.excel.reader import FormRead
from baocao.excel.spec import TemplateSpec


def _say(lang: str, text_vi: str, text_en: str) -> str:
    return text_vi if lang == "vi" else text_en


# ----------------------------------------------------------------------------- baocao template


def template_lines(spec: TemplateSpec, written: Sequence) -> list[str]:
    """What the template holds, then each workbook written."""
    n_cols = sum(len(s.columns) for s in spec.sheets)
    return [
        f"Biểu mẫu năm {spec.year}, {spec.scope.name} ({label(spec.unit_list, short=True)}): "
        f"{len(spec.sheets)} trang số liệu "
        f"({', '.join(s.title for s in spec.sheets)}), "
        f"{n_cols} cột, {len(spec.rows)} đơn vị.",
        *(f"  đã ghi / wrote {p}" for p in written),
    ]


# ----------------------------------------------------------------------------- baocao import


def import_lines(
    form: FormRead,
    plan: ImportPlan,
    *,
    files: Sequence[str],
    data_label: str,
    replace: bool,
    catalogue: Catalogue,
    registry: UnitRegistry,
    lang: str,
) -> list[str]:
    """The import's report before anything is written: the forms read, notes, every problem in
    place order, the counts, and the conflicts."""
    lines = [
        _say(
            lang,
            f"Nhập biểu mẫu: {', '.join(files)} → {data_label}",
            f"Import: {', '.join(files)} → {data_label}",
        )
    ]
    lines += [_say(lang, "  " + text_vi, "  " + text_en) for text_vi, text_en in form.notes]
    rule_ids = {r.id for r in catalogue.rules}
    lines += [format_problem(p, lang, rule_ids) for p in sorted(plan.problems, key=place_order)]
    lines.append(
        _say(
            lang,
            f"  {len(form.items)} ô có số liệu trong {form.sheets} trang: {len(plan.adds)} số mới, "
            f"{plan.identical} trùng với số đã có (bỏ qua), {len(plan.conflicts)} xung đột.",
            f"  {len(form.items)} filled cells in {form.sheets} sheet(s): {len(plan.adds)} new, "
            f"{plan.identical} identical to the data (ignored), {len(plan.conflicts)} conflict(s).",
        )
    )
    if len(plan.conflicts):
        lines += _conflict_lines(plan, replace, registry, lang)
    return lines


def _conflict_lines(plan: ImportPlan, replace: bool, registry: UnitRegistry, lang: str) -> list[str]:
    vi = lang == "vi"
    lines = [
        _say(
            lang,
            "  Xung đột (số đã có khác số mới)"
            + (", sẽ thay:" if replace else ", CHƯA thay — chạy lại với --replace để thay:"),
            "  Conflicts (the data file has another value)"
            + (", replaced:" if replace else ", NOT applied — run again with --replace to apply:"),
        )
    ]
    for c in plan.conflicts.itertuples(index=False):
        name = registry.unit(c.unit).name if c.unit in registry else c.unit
        lines.append(
            f"    {c.unit} {name} | {c.year} | {c.element} | {c.category or '–'} | "
            f"{'cũ' if vi else 'old'} {c.old} → {'mới' if vi else 'new'} {c.new} | "
            f"{c.source}, {'ô' if vi else 'cell'} {c.cell}"
        )
    return lines


def import_blocked(plan: ImportPlan, lang: str) -> str:
    """The last line (on standard error) when a problem blocks the import."""
    n = len(plan.blocking)
    return _say(
        lang,
        f"{n} lỗi; không ghi gì. Sửa biểu mẫu rồi chạy lại.",
        f"{n} problem(s); nothing written. Fix the form(s) and run again.",
    )


def import_not_written(plan: ImportPlan, dry_run: bool, lang: str) -> str:
    """The last line when nothing is written: a dry run, or nothing to change."""
    if dry_run:
        return _say(
            lang,
            f"Chạy thử: không ghi gì (sẽ ghi {plan.changes} thay đổi).",
            f"Dry run: nothing written ({plan.changes} change(s) would be written).",
        )
    return _say(
        lang,
        "Không có gì thay đổi; tệp số liệu giữ nguyên.",
        "Nothing to change; the data file is untouched.",
    )


def import_written(
    plan: ImportPlan, *, data_label: str, journal_label: str, batch: str, data_arg: str | None, lang: str
) -> list[str]:
    """What was written and where, and the command that undoes it (``data_arg``: the ``--data`` given)."""
    again = f" --data {data_arg}" if data_arg else ""
    return [
        _say(
            lang,
            f"Đã ghi {len(plan.adds)} số mới và thay {len(plan.replaced)} số vào {data_label}; nhật ký "
            f"{journal_label}, lô {batch}.",
            f"Wrote {len(plan.adds)} new and {len(plan.replaced)} replaced value(s) to {data_label}; journal "
            f"{journal_label}, batch {batch}.",
        ),
        _say(
            lang,
            f"Hoàn tác: {RUN} import --undo {batch}" + again,
            f"To undo: {RUN} import --undo {batch}" + again,
        ),
    ]


# ----------------------------------------------------------------------------- baocao import --undo


def undo_problem_lines(problems: list[dict], lang: str) -> list[str]:
    return [format_problem(p, lang) for p in problems]


def undo_refused(problems: list[dict], lang: str) -> str:
    """The last line (on standard error) when values changed since the batch: nothing is undone."""
    return _say(
        lang,
        f"{len(problems)} giá trị đã đổi sau lần nhập này; không hoàn tác gì.",
        f"{len(problems)} value(s) changed after that import; nothing undone.",
    )


def undo_dry_run(rows: list[dict], batch: str, lang: str) -> str:
    return _say(
        lang,
        f"Chạy thử: sẽ hoàn tác {len(rows)} thay đổi của lô {batch}.",
        f"Dry run: would undo {len(rows)} change(s) of batch {batch}.",
    )


def undo_done(rows: list[dict], batch: str, *, data_label: str, undo_batch: str, lang: str) -> str:
    """``undo_batch``: the journal's batch of the undo itself."""
    return _say(
        lang,
        f"Đã hoàn tác {len(rows)} thay đổi của lô {batch} trong {data_label} (nhật ký: lô {undo_batch}).",
        f"Undid {len(rows)} change(s) of batch {batch} in {data_label} (journal: batch {undo_batch}).",
    )
