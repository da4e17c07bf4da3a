"""``baocao init-province`` and ``baocao init-commune``: ``init-district``'s counterparts on the 2025 list.

From 1 July 2025 there are no districts: the new communes report and the province compiles. For a
province or a commune of the 2025 list (code or name, accent- and case-insensitive)::

    data/<slug>_2025/dataset.yaml      unit_list: "2025" — every code in the folder is of the 2025 list
    data/<slug>_2025/observations.csv  the header only — or, with --illustrative, generated data for
                                       2025–2026 (:func:`baocao.data.sample_2025.generate_province_2025`),
                                       every row labelled "Số liệu minh họa … / illustrative"
    data/<slug>_2025/published.csv     the header only: the published figures of the units go here
    data/<slug>_2025/sources.yaml      where the data come from
    params/<slug>_2025.yml             the run plan: the province report and a report for each of its
                                       communes (a commune: its own report), for the years

The plan names the notebooks of the 2025 list (:data:`PROVINCE_NOTEBOOK`, :data:`COMMUNE_NOTEBOOK`).
An existing folder or plan is never overwritten; a name several units share is refused with the
candidates listed. Files are written by :func:`baocao.io.onboard.write_district`, each atomically.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from baocao.data.onboard import OBSERVATION_COLUMNS, OnboardError, generated_source, write_folder, year_span
from baocao.data.onboard import parse_years as _parse_years
from baocao.data.unit_lists import FIRST_NEW_YEAR, NEW
from baocao.data.units import Unit, UnitNotFound, UnitRegistry, fold

YEARS = (2025, 2026)  # the years baocao.data.sample_2025 generates, and the default of a plan
PROVINCE_NOTEBOOK = "province_2025_report"  # a 2025 province compiling its communes
COMMUNE_NOTEBOOK = "commune_2025_report"  # a 2025 commune's year beside its re-expressed history
SUFFIX = "_2025"  # folder and plan names say the list: data/an_giang_2025 beside a legacy data/an_giang


@dataclass(frozen=True)
class Onboarded2025:
    unit: Unit  # a province or a commune of the 2025 list
    slug: str
    data_dir: Path
    plan: Path
    rows: int  # observation rows written (0 without --illustrative)
    communes: int  # communes the plan reports on


def resolve(registry: UnitRegistry, query, level: str) -> Unit:
    """The province or commune a code or name means in the 2025 list; OnboardError listing every
    candidate otherwise."""
    what = {"province": ("tỉnh", "province"), "commune": ("xã", "commune")}[level]
    text = str(query).strip()
    found = registry.find(text, level=level) if text else []
    if len(found) == 1:
        return found[0]
    if not found:
        try:
            registry.get(text, level=level)
        except (UnitNotFound, LookupError) as exc:
            raise OnboardError(
                f"không có {what[0]} '{query}' trong danh mục 2025 / no {what[1]} '{query}' in the 2025 "
                f"list: {exc}"
            ) from None
    listed = "; ".join(f"{u.code} {u.name} ({registry.unit(u.province).name})" for u in found)
    example = f"{found[0].short}, {registry.unit(found[0].province).short}"
    raise OnboardError(
        f"'{query}' khớp {len(found)} {what[0]} / matches {len(found)} {what[1]}s: {listed}. Hãy ghi mã hoặc "
        f'thêm tỉnh / give the code or add the province, e.g. {found[0].code} or "{example}".'
    )


def slug(registry: UnitRegistry, unit: Unit) -> str:
    """``an_giang_2025``; a commune whose short name another commune shares gets its province's too
    (``phu_hoa_an_giang_2025``)."""
    base = fold(unit.short).replace(" ", "_")
    same = [u for u in registry.find(unit.short, level=unit.level) if fold(u.short) == fold(unit.short)]
    if unit.level == "commune" and len(same) > 1:
        base += "_" + fold(registry.unit(unit.province).short).replace(" ", "_")
    return base + SUFFIX


def parse_years(text: str | None) -> tuple[int, ...]:
    """``"2025-2026"`` → (2025, 2026); default (2025, 2026); years before 2025 (the legacy list's) refused."""
    years = _parse_years(text) if text else YEARS
    early = [y for y in years if y < FIRST_NEW_YEAR]
    if early:
        listed = ", ".join(map(str, early))
        raise OnboardError(
            f"--years {text}: {listed} thuộc danh mục cũ; danh mục 2025 từ năm {FIRST_NEW_YEAR} (số liệu "
            f"trước đó: init-district) / {listed} belong to the legacy list; the 2025 list starts in "
            f"{FIRST_NEW_YEAR} (earlier data: init-district)"
        )
    return years


def plan_text(
    unit: Unit, province: Unit, slug_: str, years: tuple[int, ...], n: int, illustrative: bool
) -> str:
    note = (
        (
            f"# Số liệu trong data/{slug_}/ là số liệu MINH HỌA (sinh tự động), không phải số liệu thật.\n"
            f"# The data in data/{slug_}/ are ILLUSTRATIVE (generated), not real figures.\n"
        )
        if illustrative
        else ""
    )
    where = unit.name if unit.level == "province" else f"{unit.name}, {province.name}"
    head = f"""# Kế hoạch lập báo cáo của {where} (danh mục đơn vị 2025).
# Chạy bằng / build with `./run baocao build params/{slug_}.yml`.
# Run plan written by `baocao init-{unit.level}` on the 2025 unit list (data/{slug_}/dataset.yaml).
# Format: params/README.md.
{note}
title: Báo cáo chỉ tiêu — {where}
lang: vi
years: {year_span(years)}
data_dir: data/{slug_}

reports:
"""
    if unit.level == "province":
        return (
            head
            + f"""  # {unit.name} (mã {unit.code}): tỉnh tổng hợp các xã / the province compiling its communes
  - notebook: {PROVINCE_NOTEBOOK}
    province: {unit.code}

  # Mọi xã, phường, đặc khu của tỉnh / every commune of the province ({n})
  - notebook: {COMMUNE_NOTEBOOK}
    communes: {{of: {unit.code}}}
"""
        )
    return (
        head
        + f"""  - notebook: {COMMUNE_NOTEBOOK}
    commune: {unit.code}
"""
    )


def sources_text(unit: Unit, illustrative: bool, seed: int) -> str:
    head = f"""# Nguồn số liệu của {unit.name} (danh mục 2025) / sources of the data of {unit.short}.
# The `source` column of published.csv names one of the keys below; add one for each document
# whose figures you copy into published.csv (title, kind, date, file or address), e.g.:
#
# bao_cao_2025:
#   title_vi: "Báo cáo tổng kết năm 2025 của Đảng ủy xã"
#   title_en: "Commune Party Committee annual report 2025"
#   kind: report (2025), Vietnamese
#   file: ../documents/bao_cao_2025.pdf
"""
    return head + generated_source("baocao.data.sample_2025.generate_province_2025", illustrative, seed)


def init_2025(
    query,
    level: str,
    home: Path,
    registry: UnitRegistry,
    illustrative: bool = False,
    years: tuple[int, ...] = YEARS,
    seed: int = 2025,
) -> Onboarded2025:
    """Write ``data/<slug>_2025/`` and ``params/<slug>_2025.yml`` for a province or a commune of the
    2025 list ``registry`` (see the module docstring)."""
    from baocao.data.sample import to_csv_frame
    from baocao.data.sample_2025 import generate_province_2025
    from baocao.io.dataset_meta import meta_text

    if registry.structure != NEW:
        raise OnboardError("init-province / init-commune work on the 2025 unit list / dùng danh mục 2025")
    unit = resolve(registry, query, level)
    name = slug(registry, unit)
    data_dir, plan = home / "data" / name, home / "params" / f"{name}.yml"
    province = registry.unit(unit.province)
    communes = registry.children(unit.code) if level == "province" else [unit]
    if not communes:
        raise OnboardError(f"{unit.name} ({unit.code}) has no communes in the 2025 list / không có xã nào")
    if illustrative:
        outside = [y for y in years if y not in YEARS]
        if outside:
            raise OnboardError(
                f"--illustrative generates {YEARS[0]}–{YEARS[-1]} only, not {', '.join(map(str, outside))} / "
                f"số liệu minh họa chỉ có các năm {YEARS[0]}–{YEARS[-1]}"
            )
        obs = generate_province_2025(registry, province.code, None, seed=seed, late_2026=0)
        keep = {u.code for u in communes} | ({unit.code} if level == "province" else set())
        obs = to_csv_frame(obs[obs["unit"].isin(keep) & obs["year"].isin(years)].reset_index(drop=True))
    else:
        obs = pd.DataFrame(columns=OBSERVATION_COLUMNS)
    where = unit.name if level == "province" else f"{unit.name}, {province.name}"
    meta = meta_text(
        NEW,
        f"{where} (mã {unit.code}, danh mục 2025)",
        f"{unit.label('en')}{'' if level == 'province' else ', ' + province.short} "
        f"(code {unit.code}, 2025 list)",
    )
    write_folder(
        home,
        data_dir,
        plan,
        obs,
        sources_text(unit, illustrative, seed),
        meta,
        plan_text(unit, province, name, years, len(communes), illustrative),
    )
    return Onboarded2025(unit, name, data_dir, plan, len(obs), len(communes))
