"""Words every report family shares: the report language picked from a Vietnamese and an
English text, and the reconciliation verdicts and what a comparison is made of in both languages."""

from __future__ import annotations

VERDICT_LABELS = {
    "vi": {
        "match": "khớp",
        "rounding difference": "chênh do làm tròn",
        "mismatch": "không khớp",
        "no data": "không có số liệu",
        "": "",
    },
    "en": {
        "match": "match",
        "rounding difference": "rounding difference",
        "mismatch": "mismatch",
        "no data": "no data",
        "": "",
    },
}

# what a published figure is compared with (baocao.data.reconcile.BASES): a verdict is evidence only
# against reported data, never against rows generated to reproduce it or copied from the same source
BASIS_WORDS = {
    "data": ("số liệu báo cáo", "reported data"),
    "illustrative": (
        "số liệu minh họa, không phải số liệu thật: không tính",
        "illustrative data, not real figures: not counted",
    ),
    "same source": (
        "dòng số liệu lấy từ chính nguồn này: không tính",
        "a data row from this same source: not counted",
    ),
    "none": ("không có số liệu", "no data"),
}


def in_lang(vi: str, en: str, lang: str) -> str:
    """``vi`` for a Vietnamese report, ``en`` otherwise."""
    return vi if lang == "vi" else en
