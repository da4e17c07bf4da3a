"""Report titles by report kind, in a module light enough for build workers and the planner
(which must not import pandas or matplotlib just to name a report)."""

REPORT_TITLES = {
    "district": ("Báo cáo kết quả học tập và làm theo tư tưởng, đạo đức, phong cách Hồ Chí Minh", "Report on studying and following Ho Chi Minh's thought, ethics and style"),
    "commune": ("Báo cáo cấp xã: kết quả học tập và làm theo Bác, kinh tế - xã hội", "Commune report: campaign and socio-economic results"),
    "data_quality": ("Chất lượng số liệu: kiểm tra và đối chiếu", "Data quality: validation and reconciliation"),
}
