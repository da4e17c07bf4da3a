"""The shared report kit: what every report family (:mod:`baocao.reports.local`,
:mod:`baocao.reports.gso`, :mod:`baocao.reports.two_level`) builds its pages with.

A thin façade over one module per job:

- :mod:`~baocao.reports.kit.html`: HTML pieces (:class:`Html`), tables, headline cards, the
  title block, the sources and the footer;
- :mod:`~baocao.reports.kit.chart`: charts as notebooks show them (:class:`Chart`,
  :func:`as_chart`, :func:`indicator_trend`);
- :mod:`~baocao.reports.kit.words`: the report language (:func:`in_lang`) and the verdict words;
- :mod:`~baocao.reports.kit.opening`: :func:`open_report`, the first call of every report
  notebook (through the registry :mod:`baocao.reports.registry`), the parameter checks and the
  data set loaded once per process (:func:`load_data`);
- :mod:`~baocao.reports.kit.context`: :class:`ReportContext`, the base of every family's
  context, with its one memo, the input check code and the ranking by direction.
"""

from __future__ import annotations

from baocao.reports.kit.chart import Chart, as_chart, indicator_trend, shown
from baocao.reports.kit.context import (
    MIN_RANKED,
    PERIOD_KEYS,
    ROW_KEYS,
    ReportContext,
    canonical_csv,
    format_indicator,
    memo,
    rank_by_direction,
    rank_words,
    short_hash,
)
from baocao.reports.kit.html import (
    INPUT_CHECK,
    Html,
    cards_html,
    esc,
    footer_html,
    html_table,
    is_blank,
    sources_html,
    title_html,
)
from baocao.reports.kit.opening import check_data, check_lang, check_year, load_data, open_report
from baocao.reports.kit.words import BASIS_WORDS, VERDICT_LABELS, in_lang
from baocao.reports.registry import ReportError

__all__ = [
    "BASIS_WORDS",
    "INPUT_CHECK",
    "MIN_RANKED",
    "PERIOD_KEYS",
    "ROW_KEYS",
    "VERDICT_LABELS",
    "Chart",
    "Html",
    "ReportContext",
    "ReportError",
    "as_chart",
    "canonical_csv",
    "cards_html",
    "check_data",
    "check_lang",
    "check_year",
    "esc",
    "footer_html",
    "format_indicator",
    "html_table",
    "in_lang",
    "indicator_trend",
    "is_blank",
    "load_data",
    "memo",
    "open_report",
    "rank_by_direction",
    "rank_words",
    "short_hash",
    "shown",
    "sources_html",
    "title_html",
]
