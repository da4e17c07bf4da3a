"""Provinces, regions and the whole country as the GSO years knew them: names, boundaries, and the
province a report parameter names."""

from __future__ import annotations

import functools

from baocao.data.gso import HISTORICAL_UNITS, REGION_MEMBERS, SPLITS, match_province, regions
from baocao.data.gso_figures import region_of
from baocao.data.units import Unit, legacy
from baocao.reports.kit import ReportError, in_lang

# provinces whose name in the registry (2025) is not the one of the GSO years
NAMES_BEFORE: dict[str, tuple[str, str, int]] = {"46": ("Tỉnh Thừa Thiên Huế", "Thừa Thiên Huế", 2025)}


def province_unit(code: str) -> Unit:
    """The province as a Unit; Hà Tây (28, merged into Hà Nội in 2008) is not in the registry and has no
    coordinates.
    """
    for hcode, name_vi, *_ in HISTORICAL_UNITS:
        if code == hcode:
            return Unit(hcode, name_vi, name_vi.split(" ", 1)[1], "Tỉnh", "province", None, hcode, None, None)
    return legacy().unit(code)


@functools.cache
def _region_names() -> dict[str, dict]:
    return regions().set_index("code").to_dict("index")


def unit_label(code: str, lang: str = "vi", short: bool = True) -> str:
    """Name of a province, a region or the whole country as the GSO years knew it."""
    if code in REGION_MEMBERS or code == "VN":
        r = _region_names()[code]
        return r["name_vi"] if lang == "vi" else r["name_en"]
    if code in NAMES_BEFORE:
        full, name_short, _ = NAMES_BEFORE[code]
        return name_short if short or lang == "en" else full
    from baocao.data.units import display_name

    u = province_unit(code)
    if short:
        return display_name(u.code, u.name, u.short, lang, True)
    return display_name(u.code, u.name if lang == "vi" else f"{u.short} ({u.type_en})", u.short, lang, False)


def boundary_text(code: str, year: int, lang: str = "vi") -> str:
    """The territory a province's figures cover when it differs from the later one (Hà Nội before 2008, 2004
    splits).
    """
    for _, name_vi, _, into, merged in HISTORICAL_UNITS:
        if code == into and year < merged:
            old = name_vi.split(" ", 1)[1]
            return in_lang(
                f"Hà Nội cũ, trước khi hợp nhất với {old} ({merged})",
                f"old Ha Noi, before the {merged} merger with {old}",
                lang,
            )
    for child, (parent, split) in SPLITS.items():
        if code == parent and year < split:
            name = unit_label(child, lang)
            return in_lang(
                f"gồm cả {name} (tách ra năm {split})", f"includes {name} (split off in {split})", lang
            )
    return ""


def resolve_province(query) -> Unit:
    """A province from its GSO code, English GSO spelling or Vietnamese name; ReportError otherwise."""
    text = str(query).strip()
    if text.isdigit():
        text = text.zfill(2)
        if region_of(text) is not None:
            return province_unit(text)
    code, reason = match_province(text) if text else (None, "")
    if code is None:
        raise ReportError(
            f"Không nhận ra tỉnh '{query}' / unknown province '{query}'. "
            "Hãy ghi mã GSO (vd. 89) hoặc tên tỉnh (vd. An Giang) / give a GSO code (e.g. 89) or a province "
            "name (e.g. An Giang). " + reason
        )
    return province_unit(code)
