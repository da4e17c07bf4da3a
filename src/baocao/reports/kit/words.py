"""Words every report family shares: the report language picked from a Vietnamese and an
English text, and the reconciliation verdicts in both languages."""

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


def in_lang(vi: str, en: str, lang: str) -> str:
    """``vi`` for a Vietnamese report, ``en`` otherwise."""
    return vi if lang == "vi" else en
