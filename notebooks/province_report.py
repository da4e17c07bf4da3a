# ---
# jupyter:
#   baocao:
#     kind: province
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
province: str = "An Giang"  # tỉnh: mã GSO hoặc tên, vd. 89, "An Giang", "Ho Chi Minh city" / province: GSO code or name
year: int = 2016  # năm báo cáo, có số liệu 1995–2016 tùy chỉ tiêu / report year
lang: str = "vi"  # ngôn ngữ vi | en / language
gso_dir: str = ""  # thư mục các bảng GSO (trống: data/gso/raw) / folder of the GSO tables (empty: the default)

# %% tags=["remove_cell"]
# Which indicators each section shows, and in which order: `reports: gso:` in data/catalogue/gso.yaml.
from baocao.reports.gso import province as gso_report

ctx = gso_report.open_report("province", globals())

# %%
gso_report.title_block(ctx)

# %%
gso_report.headline(ctx)

# %% [markdown] tags=["vi"]
# ## Các chỉ tiêu trong năm
#
# Các chỉ tiêu của báo cáo (những năm GSO có số liệu), với thứ hạng trong cả nước và trong vùng, và giá trị của vùng
# và cả nước.

# %% [markdown] tags=["en"]
# ## The indicators of the year
#
# The report's indicators (in the years GSO has them), with the rank in the country and in the region, and the region
# and country values.

# %%
gso_report.narrative(ctx)

# %%
gso_report.indicator_table(ctx)

# %% [markdown] tags=["vi"]
# ## Vị trí trong cả nước
#
# Các tỉnh, thành phố xếp từ cao xuống thấp; tỉnh của báo cáo được tô màu khác, đường dọc là giá trị cả nước.

# %% [markdown] tags=["en"]
# ## Place in the country
#
# Provinces ranked from highest to lowest; the report's province is highlighted, the vertical line is the country value.

# %%
gso_report.ranked(ctx, "country")

# %% [markdown] tags=["vi"]
# ## So với các tỉnh trong vùng
#
# Mọi tỉnh, thành phố của vùng, rồi giá trị của vùng và cả nước.

# %% [markdown] tags=["en"]
# ## Among the provinces of the region
#
# Every province of the region, then the region and the country.

# %%
gso_report.region_table(ctx)

# %%
gso_report.ranked(ctx, "region")

# %%
gso_report.map_note(ctx)

# %%
gso_report.maps(ctx)

# %% [markdown] tags=["vi"]
# ## Xu hướng qua các năm

# %% [markdown] tags=["en"]
# ## Trend over the years

# %%
gso_report.trend_note(ctx)

# %%
gso_report.trends(ctx)

# %%
gso_report.footer(ctx)
