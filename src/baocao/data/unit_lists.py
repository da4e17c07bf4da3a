"""Which unit list a code belongs to: the legacy list (until 30 June 2025) or the 2025 list.

Since 1 July 2025 Viet Nam has two levels of local government and a new list of units whose
codes reuse numbers of the legacy list: ``30682`` is Thị trấn Núi Sập in the legacy list and
Xã Thoại Sơn in the 2025 list; ``91`` is Kiên Giang in one and the new An Giang in the other.
A code therefore means something only together with its list.

The rule (``data/README.md``): **one data folder per list**. Each data folder names its list in
``dataset.yaml`` (``unit_list: legacy`` or ``unit_list: "2025"``, read by
:mod:`baocao.io.dataset_meta`); every observation and published figure in it is read against
that list, and the loader stamps it on every row (column ``unit_list``), so that code further
down can check it is given rows of the list it works on (:func:`require`).

Years belong to one list each:

- legacy list: single years up to **2024**; a period of several years starts in 2024 at the
  latest and may run past the change (the whole-term topic 2021–2025);
- 2025 list: every year and period from **2025** on. 2025 straddles the change: its annual
  figures are recorded for the whole calendar year by the new units (the year-end reports of
  2025 were made by them); the first half-year under the old units is not recorded apart
  (:func:`reform_note` says so on the pages).

Pure: the registries come from :mod:`baocao.data.units`; nothing here reads a file of its own.
"""

from __future__ import annotations

import datetime as _dt

import pandas as pd

from baocao.data.units import UnitRegistry, crosswalk_2025, current, legacy
from baocao.errors import BaocaoError

LEGACY = "legacy"
NEW = "2025"
UNIT_LISTS = (LEGACY, NEW)
REFORM_DATE = _dt.date(2025, 7, 1)  # two-level local government from this day
LAST_LEGACY_YEAR = 2024  # the last single year recorded under the legacy list
FIRST_NEW_YEAR = 2025  # the first year recorded under the 2025 list (the whole calendar year)
RULE = "unit_list_year"  # the validation rule of a year outside its list's years

_LABELS = {
    LEGACY: (
        "danh mục đơn vị cũ (3 cấp, đến 30/6/2025)",
        "legacy unit list (three levels, until 30 June 2025)",
    ),
    NEW: (
        "danh mục đơn vị 2025 (2 cấp, từ 1/7/2025)",
        "2025 unit list (two levels, from 1 July 2025)",
    ),
}
_SHORT = {LEGACY: ("danh mục cũ", "legacy list"), NEW: ("danh mục 2025", "2025 list")}


class UnitListError(BaocaoError, ValueError):
    """A unit list that is not named, not known, or not the one the rows belong to."""


def normalize(value) -> str:
    """``"legacy"`` or ``"2025"`` from what a user or a YAML file gives (``2025`` as a number too);
    anything else is refused naming the two lists."""
    text = str(value).strip().lower() if value is not None else ""
    if text in UNIT_LISTS:
        return text
    raise UnitListError(
        f"danh mục đơn vị '{value}' không hợp lệ: ghi legacy (đến 30/6/2025) hoặc 2025 (từ 1/7/2025) / "
        f"unknown unit list '{value}': write legacy (until 30 June 2025) or 2025 (from 1 July 2025)"
    )


def registry(unit_list: str) -> UnitRegistry:
    """The registry of a list: :func:`baocao.data.units.legacy` or :func:`~baocao.data.units.current`."""
    return legacy() if normalize(unit_list) == LEGACY else current()


def label(unit_list: str, lang: str = "vi", short: bool = False) -> str:
    """``danh mục đơn vị 2025 (2 cấp, từ 1/7/2025)``; ``short``: ``danh mục 2025``."""
    vi, en = (_SHORT if short else _LABELS)[normalize(unit_list)]
    return vi if lang == "vi" else en


def other(unit_list: str) -> str:
    return NEW if normalize(unit_list) == LEGACY else LEGACY


def year_list(year: int) -> str:
    """The list a single year's figures are recorded under: up to 2024 legacy, from 2025 the 2025 list."""
    return LEGACY if int(year) <= LAST_LEGACY_YEAR else NEW


def fits(unit_list: str, year_from: int, year_to: int) -> bool:
    """Whether a year (``year_from == year_to``) or a period belongs to ``unit_list``."""
    if normalize(unit_list) == LEGACY:
        return year_from <= LAST_LEGACY_YEAR and (year_from < year_to or year_to <= LAST_LEGACY_YEAR)
    return year_from >= FIRST_NEW_YEAR


def reform_note(year: int, lang: str = "vi") -> str:
    """What a page says about the year of the change (2025); ``""`` for every other year."""
    if int(year) != FIRST_NEW_YEAR:
        return ""
    if lang == "vi":
        return (
            "Năm 2025 có hai giai đoạn: từ ngày 1/7/2025 chính quyền địa phương hai cấp, không còn cấp "
            "huyện, các xã được sắp xếp lại. Số liệu năm 2025 là số liệu cả năm do các xã, phường mới "
            "báo cáo theo danh mục đơn vị 2025 (báo cáo cuối năm 2025 do đơn vị mới lập); sáu tháng đầu "
            "năm của các đơn vị cũ không được ghi riêng."
        )
    return (
        "2025 has two halves: from 1 July 2025 local government has two levels, the district level is "
        "gone and communes were reorganised. The 2025 figures are for the whole calendar year, reported "
        "by the new communes and wards under the 2025 unit list (the year-end 2025 reports were made by "
        "the new units); the first half-year of the old units is not recorded separately."
    )


def require(rows: pd.DataFrame, unit_list: str, where: str) -> None:
    """Refuse rows stamped with another list (column ``unit_list``, set by the loader). Rows
    without the column (made in code, e.g. a test's three rows) are taken as given."""
    if "unit_list" not in rows.columns or rows.empty:
        return
    want = normalize(unit_list)
    found = sorted(set(rows["unit_list"].astype(str)) - {want})
    if found:
        raise UnitListError(
            f"{where}: số liệu theo {label(found[0], 'vi', True)} không dùng được với "
            f"{label(want, 'vi', True)} / rows of the {label(found[0], 'en', True)} cannot be used with the "
            f"{label(want, 'en', True)}"
        )


# ------------------------------------------------------------------ words for a code of the other list


def _place(reg: UnitRegistry, code: str) -> str:
    """``Xã Thoại Giang (Huyện Thoại Sơn, Tỉnh An Giang)``."""
    up = [reg.unit(c).name for c in reversed(reg.path(code)[:-1])]
    return reg.unit(code).name + (f" ({', '.join(up)})" if up else "")


def _named(reg: UnitRegistry, codes, limit: int = 6) -> str:
    codes = list(dict.fromkeys(codes))
    text = ", ".join(f"{reg.unit(c).name} ({c})" for c in codes[:limit])
    return text + (f" … ({len(codes)})" if len(codes) > limit else "")


def successors(code: str) -> list[str]:
    """The 2025 units a legacy unit's area went into: a commune's new commune(s), a district's
    new communes, a province's new province(s)."""
    old, cw = legacy(), crosswalk_2025()
    level = old.level_of(code)
    if level == "commune":
        return list(cw.loc[cw["old_code"] == code, "new_code"])
    communes = set(old.descendants(code, "commune"))
    hit = cw[cw["old_code"].isin(communes)]
    return sorted(set(hit["new_province" if level == "province" else "new_code"]))


def predecessors(code: str) -> list[str]:
    """The legacy units a 2025 unit was formed from: a commune's old communes, a province's old provinces."""
    old, new, cw = legacy(), current(), crosswalk_2025()
    if new.level_of(code) == "commune":
        return list(cw.loc[cw["new_code"] == code, "old_code"])
    olds = cw.loc[cw["new_province"] == code, "old_code"]
    return sorted({old.unit(c).province for c in olds})


def other_list_words(code: str, unit_list: str) -> tuple[str, str]:
    """(vi, en) words for a code that is not in ``unit_list`` but is in the other list: what it is
    there, and what the file should use instead; ``("", "")`` when the other list lacks it too."""
    unit_list = normalize(unit_list)
    code = str(code)
    there = registry(other(unit_list))
    if code not in there:
        return "", ""
    if unit_list == NEW:  # a legacy code in a file of the 2025 list
        new = current()
        succ = [c for c in successors(code) if c in new]
        if legacy().level_of(code) == "district":
            now_vi = f"danh mục 2025 không có cấp huyện; các xã của nó nay thuộc {_named(new, succ)}"
            now_en = f"the 2025 list has no districts; its communes are now in {_named(new, succ)}"
        elif succ:
            now_vi = f"từ 1/7/2025 thuộc {_named(new, succ)}"
            now_en = f"from 1 July 2025 part of {_named(new, succ)}"
        else:
            now_vi = now_en = ""
        vi = f"; {code} là mã {_place(there, code)} của danh mục cũ, nhưng tệp dùng danh mục 2025"
        en = f"; {code} is {_place(there, code)} in the legacy list, but the file uses the 2025 list"
    else:  # a 2025 code in a file of the legacy list
        old = legacy()
        pred = [c for c in predecessors(code) if c in old]
        now_vi = f"hợp thành từ {_named(old, pred)}" if pred else ""
        now_en = f"formed from {_named(old, pred)}" if pred else ""
        place = _place(there, code)
        vi = f"; {code} là mã {place} của danh mục 2025 (từ 1/7/2025), nhưng tệp dùng danh mục cũ"
        en = f"; {code} is {place} in the 2025 list (from 1 July 2025), but the file uses the legacy list"
    return (vi + (f": {now_vi}" if now_vi else ""), en + (f": {now_en}" if now_en else ""))


def unknown_unit_words(code: str, unit_list: str) -> tuple[str, str]:
    """(vi, en) message for a code not in ``unit_list``: the list named, and what the code is in
    the other list when it is there."""
    unit_list = normalize(unit_list)
    vi, en = other_list_words(code, unit_list)
    return (
        f"đơn vị '{code}' không có trong {label(unit_list, 'vi')}{vi}",
        f"unit '{code}' is not in the {label(unit_list, 'en')}{en}",
    )


def _meanings(code: str, unit_list: str) -> tuple[str, str]:
    """For a code in both lists with different units: ``; 30682 là Xã Thoại Sơn ở danh mục 2025, còn ở
    danh mục cũ là Thị trấn Núi Sập``."""
    here, there = registry(unit_list), registry(other(unit_list))
    if code not in here or code not in there:
        return "", ""
    a, b = here.unit(code).name, there.unit(code).name
    if a == b:
        return "", ""
    here_vi, there_vi = label(unit_list, "vi", True), label(other(unit_list), "vi", True)
    here_en, there_en = label(unit_list, "en", True), label(other(unit_list), "en", True)
    return (
        f"; {code} ở {here_vi} là {a}, ở {there_vi} là {b}",
        f"; {code} is {a} in the {here_en} and {b} in the {there_en}",
    )


def year_words(code: str, given: str, unit_list: str) -> tuple[str, str]:
    """(vi, en) message for a year or period ``given`` that does not belong to ``unit_list``."""
    unit_list = normalize(unit_list)
    m_vi, m_en = _meanings(str(code), unit_list)
    given = str(given)
    y_vi, y_en = ("kỳ", "period") if "-" in given else ("năm", "year")
    if unit_list == LEGACY:
        return (
            f"{y_vi} {given}: tệp dùng {label(LEGACY, 'vi')}, chỉ nhận số liệu đến năm "
            f"{LAST_LEGACY_YEAR} (một kỳ nhiều năm phải bắt đầu trước năm {FIRST_NEW_YEAR}); số liệu từ năm "
            f"{FIRST_NEW_YEAR} (cả năm) ghi cho đơn vị mới, trong thư mục có dataset.yaml ghi "
            f'unit_list: "2025"{m_vi}',
            f"{y_en} {given}: the file uses the {label(LEGACY, 'en')}, which takes years up to "
            f"{LAST_LEGACY_YEAR} (a period must start before {FIRST_NEW_YEAR}); figures from "
            f"{FIRST_NEW_YEAR} on (the whole year) go to the new units, in a folder whose dataset.yaml says "
            f'unit_list: "2025"{m_en}',
        )
    return (
        f"{y_vi} {given}: tệp dùng {label(NEW, 'vi')}, chỉ nhận số liệu từ năm {FIRST_NEW_YEAR} (năm "
        f"{FIRST_NEW_YEAR} ghi cả năm cho đơn vị mới); số liệu đến năm {LAST_LEGACY_YEAR} ghi theo đơn vị "
        f"cũ, trong thư mục có dataset.yaml ghi unit_list: legacy{m_vi}",
        f"{y_en} {given}: the file uses the {label(NEW, 'en')}, which takes years from {FIRST_NEW_YEAR} on "
        f"({FIRST_NEW_YEAR} recorded for the whole year by the new units); figures up to "
        f"{LAST_LEGACY_YEAR} belong to the old units, in a folder whose dataset.yaml says "
        f"unit_list: legacy{m_en}",
    )


def year_problems(df: pd.DataFrame, unit_list: str, file: str) -> list[dict]:
    """A problem for every row (typed observations: ``unit``, ``year`` and, for a period, ``period``
    ``"2021-2025"``; index = file line) whose year or period does not belong to ``unit_list``. A year
    outside the years any list takes (before 1990, after this year) is reported once, as ``year_range``."""
    from baocao.data.observations import MIN_YEAR, PERIOD_AHEAD, max_year, problem

    unit_list = normalize(unit_list)
    out = []
    period = df["period"] if "period" in df else pd.Series("", index=df.index)
    for line, unit, year, p in zip(df.index, df["unit"], df["year"], period):
        if not year:
            continue  # unreadable: reported already
        first, last = (int(p[:4]), int(p[-4:])) if p else (int(year), int(year))
        if first < MIN_YEAR or last > max_year() + (PERIOD_AHEAD if p else 0) or fits(unit_list, first, last):
            continue
        vi, en = year_words(unit, p or str(year), unit_list)
        out.append(problem(file, line, "year", RULE, p or year, vi, en))
    return out
