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
year: int = 2026  # năm báo cáo, từ 2025 / the report's year, from 2025
lang: str = "vi"  # ngôn ngữ vi | en / language
data_dir: str = "data/an_giang_2025"  # thư mục số liệu theo danh mục 2025 / data folder of the 2025 unit list

# %% tags=["remove_cell"]
from baocao.reports.two_level import commune as report

ctx = report.open_report("commune_2025", globals())

# %%
report.title_block(ctx)

# %%
report.headline(ctx)

# %% [markdown] tags=["vi"]
# ## Số liệu của năm bên cạnh lịch sử
#
# Từ 1/7/2025 không còn cấp huyện và các xã được sắp xếp lại. Số liệu từ năm 2025 do xã mới báo cáo; số liệu các năm
# trước được ghi theo các xã cũ và được tính lại cho xã mới theo bảng chuyển đổi của gói `vietnamadminunits`. Mọi bảng
# và biểu đồ đánh dấu mốc 1/7/2025.

# %% [markdown] tags=["en"]
# ## The year's figures beside their history
#
# From 1 July 2025 the district level is gone and communes were reorganised. From 2025 the new commune reports its
# figures; earlier figures were recorded for the old communes and are re-expressed on the new commune with the
# crosswalk of the `vietnamadminunits` package. Every table and chart marks 1 July 2025.

# %%
report.history_sentence(ctx)

# %%
report.history_table(ctx)

# %%
report.chart_trend(ctx, "ty_le_dv_tham_du")

# %%
report.chart_trend(ctx, "thu_nhap_bq")

# %%
report.chart_trend(ctx, "ty_le_ho_ngheo")

# %%
report.chart_trend(ctx, "ty_le_truong_chuan")

# %% [markdown] tags=["vi"]
# ## Xã mới được hình thành từ đâu

# %% [markdown] tags=["en"]
# ## What the new commune was formed from

# %%
report.formation(ctx)

# %%
report.approximation(ctx)

# %% [markdown] tags=["vi"]
# ## Số liệu không chuyển sang xã mới

# %% [markdown] tags=["en"]
# ## Figures not carried over

# %%
report.not_reexpressed(ctx)

# %%
report.footer(ctx)
