"""The GSO family: the province report (:mod:`~baocao.reports.gso.province`) and the national
overview (:mod:`~baocao.reports.gso.national`) from the General Statistics Office tables, on
their shared context (:mod:`~baocao.reports.gso.context`), sections
(:mod:`~baocao.reports.gso.sections`), loading (:mod:`~baocao.reports.gso.loading`), units
(:mod:`~baocao.reports.gso.units`) and input fingerprint (:mod:`~baocao.reports.gso.fingerprint`)."""
