"""``baocao init-district``: everything a new district needs, written in one go.

For one district of the unit list (code or name, accent- and case-insensitive)::

    data/<slug>/observations.csv   the header only — or, with --illustrative, generated commune
                                   data (:func:`baocao.data.sample.generate_district`), every row
                                   labelled "Số liệu minh họa … / illustrative" in its source column
    data/<slug>/published.csv      the header only: the district's published figures go here
    data/<slug>/sources.yaml       where the data come from (the sources published.csv refers to)
    data/<slug>/dataset.yaml       its unit list: ``unit_list: legacy`` (a district exists only there)
    params/<slug>.yml              the run plan: district report and data-quality report of the
                                   district, a report for each of its communes, for the years

An existing folder or plan is never overwritten, and a name several districts share is refused
with the candidates listed (code, name, province). The files are written by
:func:`baocao.io.onboard.write_district`, each atomically.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from baocao.config import RUN
from baocao.data.observations import WRITTEN_COLUMNS
from baocao.data.published import PUBLISHED_COLUMNS
from baocao.data.unit_lists import LEGACY
from baocao.data.units import Unit, UnitNotFound, UnitRegistry, fold
from baocao.errors import BaocaoError

OBSERVATION_COLUMNS = WRITTEN_COLUMNS
ILLUSTRATIVE_YEARS = (2022, 2023, 2024)  # the years baocao.data.sample generates


class OnboardError(BaocaoError, ValueError):
    """The district cannot be onboarded as asked; the message says why and what to do."""


@dataclass(frozen=True)
class Onboarded:
    district: Unit
    slug: str
    data_dir: Path
    plan: Path
    rows: int  # observation rows written (0 without --illustrative)
    communes: int


def resolve_district(registry: UnitRegistry, query) -> Unit:
    """The district a code or name means; OnboardError listing every candidate otherwise."""
    text = str(query).strip()
    found = registry.find(text, level="district") if text else []
    if len(found) == 1:
        return found[0]
    if not found:
        try:
            registry.get(text, level="district")
        except (UnitNotFound, LookupError) as exc:
            raise OnboardError(f"không có huyện '{query}' / no district '{query}': {exc}") from None
    listed = "; ".join(f"{u.code} {u.name} ({registry.unit(u.parent).name})" for u in found)
    example = f"{found[0].short}, {registry.unit(found[0].parent).short}"
    raise OnboardError(
        f"'{query}' khớp {len(found)} huyện / matches {len(found)} districts: {listed}. "
        f'Hãy ghi mã hoặc thêm tỉnh / give the code or add the province, e.g. {found[0].code} or "{example}".'
    )


def slug(registry: UnitRegistry, district: Unit) -> str:
    """Folder and plan name: the district's short name folded (``tri_ton``); when another district
    has the same short name, the province's is added (``chau_thanh_an_giang``)."""
    base = fold(district.short).replace(" ", "_")
    same = [
        u for u in registry.find(district.short, level="district") if fold(u.short) == fold(district.short)
    ]
    if len(same) > 1:
        base += "_" + fold(registry.unit(district.parent).short).replace(" ", "_")
    return base


def parse_years(text: str | None) -> tuple[int, ...]:
    """``"2022-2024"`` → (2022, 2023, 2024); ``"2024"`` → (2024,); ``"2022,2024"`` → (2022, 2024)."""
    if not text:
        return ILLUSTRATIVE_YEARS
    try:
        if "-" in text or "–" in text:
            a, b = text.replace("–", "-").split("-")
            years = tuple(range(int(a), int(b) + 1))
        else:
            years = tuple(sorted({int(y) for y in text.split(",")}))
    except ValueError:
        raise OnboardError(f"--years {text!r}: write a year or a range, e.g. 2024 or 2022-2024") from None
    if not years or any(y < 1900 or y > 2100 for y in years):
        raise OnboardError(f"--years {text!r}: write a year or a range, e.g. 2024 or 2022-2024")
    return years


def year_span(years: tuple[int, ...]) -> str:
    """A plan's ``years:`` value: ``2024``, ``{from: 2022, to: 2024}`` or ``[2022, 2024]``."""
    if len(years) == 1:
        return str(years[0])
    if years == tuple(range(years[0], years[-1] + 1)):
        return f"{{from: {years[0]}, to: {years[-1]}}}"
    return f"[{', '.join(map(str, years))}]"


def plan_text(
    district: Unit, province: Unit, slug_: str, years: tuple[int, ...], n_communes: int, illustrative: bool
) -> str:
    span = year_span(years)
    note = (
        (
            f"# Số liệu trong data/{slug_}/ là số liệu MINH HỌA (sinh tự động), không phải số liệu thật.\n"
            f"# The data in data/{slug_}/ are ILLUSTRATIVE (generated), not real figures.\n"
        )
        if illustrative
        else ""
    )
    run = f"{RUN} build params/{slug_}.yml"
    return f"""# Kế hoạch lập báo cáo của {district.name} ({province.name}) — chạy bằng `{run}`.
# Run plan for {district.short} district, written by `{RUN} init-district`: the district report and the
# data-quality report of the district and a report for each of its {n_communes} communes.
# Format: params/README.md.
{note}
title: Báo cáo chỉ tiêu — {district.name}, {province.name}
lang: vi
years: {span}
data_dir: data/{slug_}

reports:
  # {district.name} (mã {district.code}): báo cáo huyện và báo cáo chất lượng số liệu
  - notebooks: [district_report, data_quality]
    district: {district.code}

  # Mọi xã, thị trấn của huyện / every commune of the district ({n_communes})
  - notebook: commune_report
    communes: {{of: {district.code}}}
"""


def sources_text(district: Unit, illustrative: bool, seed: int) -> str:
    head = f"""# Nguồn số liệu của {district.name} / sources of the data of {district.short} district.
# The `source` column of published.csv names one of the keys below; add one for each document
# whose figures you copy into published.csv (title, kind, date, file or address), e.g.:
#
# bao_cao_2024:
#   title_vi: "Báo cáo tổng kết năm 2024 của Huyện ủy"
#   title_en: "District Party Committee annual report 2024"
#   kind: report (2024), Vietnamese
#   file: ../documents/bao_cao_2024.pdf
"""
    return head + generated_source("baocao.data.sample.generate_district", illustrative, seed)


def generated_source(fn: str, illustrative: bool, seed: int) -> str:
    """The tail of a new ``sources.yaml``: no source yet, or the ``generated`` source of the
    illustrative data ``fn`` wrote with ``seed``."""
    if not illustrative:
        return "{}\n"
    return f"""
generated:
  title_vi: "Số liệu minh họa sinh tự động ({fn}, seed {seed}) — không phải số liệu thật"
  title_en: "Illustrative data generated by {fn} (seed {seed}) — not real figures"
  kind: illustrative generated data
"""


def init_district(
    query,
    home: Path,
    registry: UnitRegistry,
    illustrative: bool = False,
    years: tuple[int, ...] = ILLUSTRATIVE_YEARS,
    seed: int = 2024,
) -> Onboarded:
    """Write ``data/<slug>/`` and ``params/<slug>.yml`` for a district (see the module docstring)."""
    from baocao.data.sample import generate_district, to_csv_frame
    from baocao.io.dataset_meta import meta_text

    district = resolve_district(registry, query)
    name = slug(registry, district)
    data_dir, plan = home / "data" / name, home / "params" / f"{name}.yml"
    communes = registry.children(district.code)
    if not communes:
        raise OnboardError(
            f"{district.name} ({district.code}) không có xã nào trong danh mục đơn vị / {district.name} "
            f"({district.code}) has no communes in the unit list"
        )
    if illustrative:
        outside = [y for y in years if y not in ILLUSTRATIVE_YEARS]
        if outside:
            raise OnboardError(
                f"--illustrative generates {ILLUSTRATIVE_YEARS[0]}–{ILLUSTRATIVE_YEARS[-1]} only, not "
                f"{', '.join(map(str, outside))} / số liệu minh họa chỉ có các năm 2022–2024"
            )
        obs = generate_district(registry, district.code, seed)
        obs = to_csv_frame(obs[obs["year"].isin(years)].reset_index(drop=True))
    else:
        obs = pd.DataFrame(columns=OBSERVATION_COLUMNS)
    province = registry.unit(district.parent)
    meta = meta_text(
        LEGACY,
        f"{district.name}, {province.name} (mã {district.code}) — danh mục đơn vị cũ",
        f"{district.label('en')}, {province.short} (code {district.code}) — legacy unit list",
    )
    write_folder(
        home,
        data_dir,
        plan,
        obs,
        sources_text(district, illustrative, seed),
        meta,
        plan_text(district, province, name, years, len(communes), illustrative),
    )
    return Onboarded(district, name, data_dir, plan, len(obs), len(communes))


def write_folder(
    home: Path, data_dir: Path, plan: Path, obs: pd.DataFrame, sources: str, meta: str, plan_body: str
) -> None:
    """Write a new unit's data folder (its observations, an empty ``published.csv``, ``sources.yaml``,
    ``dataset.yaml``) and its plan, each file atomically; nothing is written over an existing file."""
    from baocao.io.onboard import AlreadyThere, write_district

    try:
        write_district(
            data_dir,
            plan,
            {
                "observations.csv": obs[OBSERVATION_COLUMNS],
                "published.csv": pd.DataFrame(columns=PUBLISHED_COLUMNS),
            },
            {"sources.yaml": sources, "dataset.yaml": meta},
            plan_body,
        )
    except AlreadyThere as exc:
        where = Path(str(exc))
        where = where.relative_to(home) if where.is_relative_to(home) else where
        raise OnboardError(
            f"{where} đã có, không ghi đè / already exists, nothing written. "
            f"Xóa nó nếu muốn làm lại / remove it to start again."
        ) from None
