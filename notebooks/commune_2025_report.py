# ---
# jupyter:
#   baocao:
#     kind: commune_2025
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
commune: str = "Thoại Sơn"  # xã, phường mới (từ 1/7/2025): mã hoặc tên, vd. 30682, "Thoại Sơn" / 2025 commune: code or name
lang: str = "vi"  # ngôn ngữ vi | en / language
data_dir: str = ""  # thư mục số liệu (trống: data/thoai_son) / data folder (empty: the default data)

# %% tags=["remove_cell"]
from baocao.reports import commune_2025 as report

ctx = report.open_report("commune_2025", globals())

# %%
report.title_block(ctx)

# %% [markdown] tags=["vi"]
# ## Xã mới được hình thành từ đâu
#
# Từ 1/7/2025 không còn cấp huyện và các xã được sáp nhập. Số liệu các năm trước được ghi theo các xã cũ; báo cáo này
# tính lại chúng cho xã mới theo bảng chuyển đổi của gói `vietnamadminunits`.

# %% [markdown] tags=["en"]
# ## What the new commune was formed from
#
# From 1 July 2025 the district level is gone and communes were merged. Earlier figures were recorded for the old
# communes; this report re-expresses them on the new commune with the crosswalk of the `vietnamadminunits` package.

# %%
report.formation(ctx)

# %%
report.approximation(ctx)

# %% [markdown] tags=["vi"]
# ## Số liệu qua các năm

# %% [markdown] tags=["en"]
# ## History

# %%
report.headline(ctx)

# %%
report.history_table(ctx)

# %%
report.chart_trend(ctx, "ty_le_dv_tham_du")

# %%
report.chart_trend(ctx, "thu_nhap_bq")

# %%
report.chart_trend(ctx, "ty_le_ho_ngheo")

# %% [markdown] tags=["vi"]
# ## Số liệu không chuyển sang xã mới

# %% [markdown] tags=["en"]
# ## Figures not carried over

# %%
report.not_reexpressed(ctx)

# %%
report.footer(ctx)
