"""Report titles by report kind, in a module light enough for build workers and the planner
(which must not import pandas or matplotlib just to name a report)."""

REPORT_TITLES = {
    "district": ("Báo cáo kết quả học tập và làm theo tư tưởng, đạo đức, phong cách Hồ Chí Minh", "Report on studying and following Ho Chi Minh's thought, ethics and style"),
    "commune": ("Báo cáo cấp xã: kết quả học tập và làm theo Bác, kinh tế - xã hội", "Commune report: campaign and socio-economic results"),
    "data_quality": ("Chất lượng số liệu: kiểm tra và đối chiếu", "Data quality: validation and reconciliation"),
}
GSO_TITLES = {  # the reports on General Statistics Office tables (baocao.province)
    "province": ("Số liệu thống kê tỉnh", "Province statistics"),
    "national": ("Toàn cảnh các tỉnh, thành phố", "National overview of the provinces"),
}


def notebook_title(kind: str | None, lang: str = "vi") -> str | None:
    """The title of a report kind in ``lang`` (None for a kind without one)."""
    titles = REPORT_TITLES.get(kind or "") or GSO_TITLES.get(kind or "")
    return titles[0 if lang == "vi" else 1] if titles else None
