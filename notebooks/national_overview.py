# ---
# jupyter:
#   baocao:
#     kind: national
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
year: int = 2016  # năm báo cáo, có số liệu 1995–2016 tùy chỉ tiêu / report year
lang: str = "vi"  # ngôn ngữ vi | en / language
gso_dir: str = ""  # thư mục các bảng GSO (trống: data/gso/raw) / folder of the GSO tables (empty: the default)

# %% tags=["remove_cell"]
# Which indicators each section shows, and in which order: `reports: gso:` in data/catalogue/gso.yaml.
from baocao.reports.gso import national as gso_report

ctx = gso_report.open_report("national", globals())

# %%
gso_report.title_block(ctx)

# %%
gso_report.headline(ctx)

# %%
gso_report.national_summary(ctx)

# %% [markdown] tags=["vi"]
# ## Xếp hạng các tỉnh, thành phố
#
# Mỗi chỉ tiêu, mọi tỉnh, thành phố xếp từ cao xuống thấp; đường dọc là giá trị cả nước (cộng từ các tỉnh khi chỉ tiêu
# cộng được, nếu không là số GSO công bố). Tỉnh không có số liệu đứng cuối, ghi “–”.

# %% [markdown] tags=["en"]
# ## The provinces ranked
#
# For each indicator, every province from highest to lowest; the vertical line is the country value (summed over the
# provinces when the indicator adds up, else as published by GSO). Provinces without a value come last, marked “–”.

# %%
gso_report.ranked(ctx)

# %% [markdown] tags=["vi"]
# ## Bản đồ

# %% [markdown] tags=["en"]
# ## Map

# %%
gso_report.map_note(ctx)

# %%
gso_report.maps(ctx)

# %% [markdown] tags=["vi"]
# ## Phân bố giữa các tỉnh
#
# Hộp là khoảng giữa một nửa số tỉnh, vạch giữa là trung vị; mỗi chấm là một tỉnh.

# %% [markdown] tags=["en"]
# ## Spread across the provinces
#
# The box holds the middle half of the provinces, its line is the median; each dot is a province.

# %%
gso_report.distributions(ctx)

# %% [markdown] tags=["vi"]
# ## Các vùng

# %% [markdown] tags=["en"]
# ## The regions

# %%
gso_report.region_table(ctx)

# %% [markdown] tags=["vi"]
# ## Đối chiếu số liệu vùng và cả nước
#
# Với các chỉ tiêu cộng được, tổng của các tỉnh được so với dòng vùng và cả nước do GSO công bố trong cùng bảng.

# %% [markdown] tags=["en"]
# ## Regions and country reconciled
#
# For the elements that add up, the sum of the provinces is checked against the region and whole-country rows GSO
# publishes in the same table.

# %%
gso_report.reconciliation_summary(ctx)

# %%
gso_report.reconciliation_table(ctx)

# %%
gso_report.footer(ctx)
