# ---
# jupyter:
#   baocao:
#     kind: province_2025
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
province: str = "An Giang"  # tỉnh, thành phố theo danh mục 2025: mã hoặc tên, vd. 91 / 2025 province: code or name
year: int = 2026  # năm báo cáo, từ 2025 / the report's year, from 2025
lang: str = "vi"  # ngôn ngữ vi | en / language
data_dir: str = "data/an_giang_2025"  # thư mục số liệu theo danh mục 2025 / data folder of the 2025 unit list
compare: str = "ty_le_dv_tham_du"  # chỉ số xếp hạng và bản đồ / the indicator ranked and mapped

# %% tags=["remove_cell"]
from baocao.reports.two_level import province as report

ctx = report.open_report("province_2025", globals())

# %%
report.title_block(ctx)

# %% [markdown] tags=["vi"]
# ## Các xã, phường đã báo cáo
#
# Từ 1/7/2025 không còn cấp huyện: các xã, phường, đặc khu báo cáo và tỉnh tổng hợp. Một số liệu tổng hợp từ một
# phần các đơn vị không phải là số liệu của cả tỉnh; báo cáo luôn ghi đã có bao nhiêu đơn vị báo cáo.

# %% [markdown] tags=["en"]
# ## Which communes have reported
#
# From 1 July 2025 there are no districts: communes, wards and special zones report and the province compiles. A
# figure compiled from part of the communes is not the province's figure; the report always says how many have
# reported.

# %%
report.coverage_table(ctx)

# %%
report.headline(ctx)

# %% [markdown] tags=["vi"]
# ## Học tập và làm theo tư tưởng, đạo đức, phong cách Hồ Chí Minh

# %% [markdown] tags=["en"]
# ## Studying and following Ho Chi Minh's thought, ethics and style

# %%
report.indicator_table(ctx, "campaign")

# %% [markdown] tags=["vi"]
# ## Kết quả phát triển kinh tế - xã hội

# %% [markdown] tags=["en"]
# ## Socio-economic results

# %%
report.indicator_table(ctx, "socio")

# %% [markdown] tags=["vi"]
# ## Mô hình an sinh xã hội, đối thoại và khen thưởng

# %% [markdown] tags=["en"]
# ## Welfare models, dialogue and commendations

# %%
report.indicator_table(ctx, "welfare")

# %% [markdown] tags=["vi"]
# ## So sánh các xã, phường

# %% [markdown] tags=["en"]
# ## Communes compared

# %%
report.ranking_table(ctx)

# %%
report.chart_ranked(ctx)

# %%
report.chart_map(ctx)

# %%
report.chart_ranked(ctx, "ty_le_ho_ngheo")

# %% [markdown] tags=["vi"]
# ## Lịch sử trước 1/7/2025

# %% [markdown] tags=["en"]
# ## History before 1 July 2025

# %%
report.history_table(ctx)

# %% [markdown] tags=["vi"]
# ## Đối chiếu với số liệu đã công bố

# %% [markdown] tags=["en"]
# ## Published figures

# %%
report.published(ctx)

# %%
report.footer(ctx)
