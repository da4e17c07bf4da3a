"""The local family: the reports of a district and its communes from the project's own data —
the district report (:mod:`~baocao.reports.local.district`), the commune report
(:mod:`~baocao.reports.local.commune`) and the data-quality report
(:mod:`~baocao.reports.local.data_quality`), each the module its notebook imports, on the
family's context (:mod:`~baocao.reports.local.context`), provenance marks
(:mod:`~baocao.reports.local.marks`), banner, legend, sources and footnotes
(:mod:`~baocao.reports.local.provenance`), input fingerprint
(:mod:`~baocao.reports.local.fingerprint`) and shared sections
(:mod:`~baocao.reports.local.sections`, :mod:`~baocao.reports.local.campaign`,
:mod:`~baocao.reports.local.communes`)."""
