# ---
# jupyter:
#   baocao:
#     kind: commune
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
commune: str = "Núi Sập"  # xã, thị trấn: mã GSO hoặc tên, vd. 30682, "Phú Hòa, Thoại Sơn" / commune: code or name
year: int = 2024  # năm báo cáo / report year
lang: str = "vi"  # ngôn ngữ vi | en / language
data_dir: str = ""  # thư mục số liệu (trống: data/thoai_son) / data folder (empty: the default data)

# %% tags=["remove_cell"]
from baocao.reports.local import commune as report

ctx = report.open_report("commune", globals())

# %%
report.title_block(ctx)

# %%
report.headline(ctx)

# %% [markdown] tags=["vi"]
# ## Chỉ tiêu của xã so với toàn huyện
#
# Giá trị của xã, giá trị toàn huyện, thứ hạng trong các xã, thị trấn của huyện (hạng 1 là tốt nhất theo hướng của chỉ tiêu)
# và đánh giá so với chỉ tiêu phấn đấu.

# %% [markdown] tags=["en"]
# ## The commune next to its district
#
# The commune's value, the district value, its rank among the district's communes (1 is best in the indicator's
# direction) and the assessment against the target.

# %%
report.commune_table(ctx)

# %% [markdown] tags=["vi"]
# ## Chỉ tiêu chưa đạt

# %% [markdown] tags=["en"]
# ## Below target

# %%
report.below_target(ctx)

# %% [markdown] tags=["vi"]
# ## Xu hướng qua các năm

# %% [markdown] tags=["en"]
# ## Trend over the years

# %%
report.chart_trend(ctx, "ty_le_dv_tham_du")

# %%
report.chart_trend(ctx, "thu_nhap_bq")

# %%
report.chart_trend(ctx, "ty_le_ho_ngheo")

# %% [markdown] tags=["vi"]
# ## Vị trí trong huyện

# %% [markdown] tags=["en"]
# ## Place in the district

# %%
report.chart_communes_ranked(ctx)

# %%
report.footnotes(ctx)

# %%
report.footer(ctx)
