"""The reports of two-level local government (from 1 July 2025): the new communes report, the
province compiles, and history carries across the reorganisation.

- :mod:`~baocao.reports.two_level.context`: opening a report of a 2025 unit: the data folder of
  the 2025 list, its history (the legacy folders its ``dataset.yaml`` names, re-expressed on the
  new communes by :func:`baocao.data.crosswalk.to_2025`), indicator values on both sides of the break;
- :mod:`~baocao.reports.two_level.reform`: the break of 1 July 2025 on every table and chart, the
  note on 2025, what the new commune was formed from, approximations and what was not carried over;
- :mod:`~baocao.reports.two_level.coverage`: who has reported, and ranks over those who have;
- :mod:`~baocao.reports.two_level.commune`: the ``commune_2025_report`` notebook;
- :mod:`~baocao.reports.two_level.province`: the ``province_2025_report`` notebook;
- :mod:`~baocao.reports.two_level.fingerprint`: the rows a report reads, for the builder.
"""
