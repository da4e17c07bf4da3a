# ---
# jupyter:
#   baocao:
#     kind: district
#   jupytext:
#     formats: ipynb,py:percent
#     notebook_metadata_filter: baocao
#     text_representation:
#       extension: .py
#       format_name: percent
#       format_version: '1.3'
#       jupytext_version: 1.19.6
#   kernelspec:
#     display_name: Python 3 (ipykernel)
#     language: python
#     name: python3
# ---

# %% tags=["parameters"]
district: str = "Thoại Sơn"  # huyện: mã GSO hoặc tên, vd. 894 hay "thoai son" / district: GSO code or name
year: int = 2024  # năm báo cáo (năm cuối của kỳ) / report year (last year of a period)
year_from: int = 0  # năm đầu của kỳ báo cáo nhiều năm, vd. 2022 cho 2022–2024; 0: báo cáo một năm / first year of a period report; 0: one year
lang: str = "vi"  # ngôn ngữ vi | en / language
compare: str = "ty_le_dv_tham_du"  # chỉ số so sánh giữa các xã (mã trong danh mục) / indicator compared across communes
data_dir: str = ""  # thư mục số liệu (trống: data/thoai_son) / data folder (empty: the default data)

# %% tags=["remove_cell"]
from baocao.reports.local import district as report

ctx = report.open_report("district", globals())

# %%
report.title_block(ctx)

# %%
report.headline(ctx)

# %% [markdown] tags=["vi"]
# ## Tình hình báo cáo của các xã, thị trấn
# Số xã, thị trấn đã báo cáo đủ các số liệu theo danh mục chỉ tiêu, theo từng năm. Số liệu toàn huyện tính khi chưa
# đủ xã báo cáo được ghi rõ số xã đã báo cáo, và không được đánh giá theo chỉ tiêu phấn đấu hay xếp hạng.

# %% [markdown] tags=["en"]
# ## Reporting by the communes
# How many communes reported every figure the indicator catalogue expects, year by year. A district figure computed
# before every commune reported says how many did, and is neither judged against a target nor ranked.

# %%
report.reporting_summary(ctx)

# %% [markdown] tags=["vi"]
# ## Học tập và làm theo tư tưởng, đạo đức, phong cách Hồ Chí Minh
#
# Kết quả học tập, quán triệt các chuyên đề theo Kết luận 01-KL/TW và Chỉ thị 05-CT/TW: số hội nghị,
# lượt đảng viên tham dự và tỷ lệ so với số đảng viên phải tham dự, đánh giá theo chỉ tiêu phấn đấu
# (văn bản giao chỉ tiêu, hoặc chỉ tiêu minh họa, ghi ở mục nguồn số liệu).

# %% [markdown] tags=["en"]
# ## Studying and following Ho Chi Minh's thought, ethics and style
#
# Study of the topics under Conclusion 01-KL/TW and Directive 05-CT/TW: conferences held, party-member
# attendances and the rate against members expected, assessed against the target (its document, or that
# it is illustrative, is given with the data sources).

# %%
report.campaign_narrative(ctx)

# %%
report.campaign_table(ctx)

# %%
report.chart_rate_by_topic(ctx)

# %%
report.chart_campaign_over_years(ctx)

# %% [markdown] tags=["vi"]
# ## So sánh các xã, thị trấn
#
# Chỉ số được chọn để so sánh (tên ở đầu biểu đồ) của từng xã, thị trấn, xếp từ cao xuống thấp; đường dọc là giá trị
# toàn huyện (tính bằng tỷ số của các tổng, không phải trung bình các tỷ lệ).

# %% [markdown] tags=["en"]
# ## Communes compared
#
# The indicator chosen for comparison (named in the chart's title) for each commune, ranked; the vertical line is the district value
# (a ratio of sums, not a mean of rates).

# %%
report.chart_communes_ranked(ctx)

# %%
report.chart_communes_map(ctx)

# %% [markdown] tags=["vi"]
# ## Kết quả phát triển kinh tế - xã hội
#
# Thu nhập bình quân đầu người, tỷ lệ hộ nghèo, trường đạt chuẩn quốc gia và bác sĩ trên 10.000 dân qua các năm và theo xã.

# %% [markdown] tags=["en"]
# ## Socio-economic results
#
# Per-capita income, poor-household rate, schools at national standard and doctors per 10,000 over the years and by commune.

# %%
report.socio_narrative(ctx)

# %%
report.socio_table(ctx)

# %%
report.chart_trend(ctx, "thu_nhap_bq")

# %%
report.chart_trend(ctx, "ty_le_ho_ngheo")

# %%
report.chart_trend(ctx, "ty_le_truong_chuan")

# %%
report.chart_trend(ctx, "bac_si_van_dan")

# %% [markdown] tags=["vi"]
# ### Theo xã, thị trấn

# %% [markdown] tags=["en"]
# ### By commune

# %%
report.socio_by_commune(ctx)

# %% [markdown] tags=["vi"]
# ## Mô hình an sinh xã hội, đối thoại và khen thưởng
#
# Số liệu của từng năm, rồi các số liệu tính đến một thời điểm (số quỹ đang hoạt động, số tiền đã vận động được,
# số xã đạt chuẩn): những số liệu này không cộng qua các năm và không so như số liệu từng năm.

# %% [markdown] tags=["en"]
# ## Welfare models, dialogue and commendations
#
# Each year's figures, then the figures counted to a date (funds active, money raised to date, communes at a
# standard): they are never added over years or compared as yearly figures.

# %%
report.welfare_narrative(ctx)

# %%
report.welfare_table(ctx)

# %% [markdown] tags=["vi"]
# ## Chất lượng số liệu

# %% [markdown] tags=["en"]
# ## Data quality

# %%
report.quality_summary(ctx)

# %%
report.footnotes(ctx)

# %%
report.footer(ctx)
