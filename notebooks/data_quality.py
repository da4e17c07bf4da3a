# ---
# jupyter:
#   baocao:
#     kind: data_quality
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
district: str = "Thoại Sơn"  # huyện: mã GSO hoặc tên / district: GSO code or name
year: int = 2024  # năm báo cáo (năm cuối của kỳ) / report year (last year of a period)
year_from: int = 0  # năm đầu của kỳ báo cáo nhiều năm, vd. 2022 cho 2022–2024; 0: báo cáo một năm / first year of a period report; 0: one year
lang: str = "vi"  # ngôn ngữ vi | en / language
data_dir: str = ""  # thư mục số liệu (trống: data/thoai_son) / data folder (empty: the default data)

# %% tags=["remove_cell"]
from baocao.reports.local import data_quality as report

ctx = report.open_report("data_quality", globals())

# %%
report.title_block(ctx)

# %% [markdown] tags=["vi"]
# ## Kiểm tra số liệu
#
# Mọi dòng số liệu được kiểm tra theo cấu trúc bảng số liệu (cột, kiểu số liệu, mã đơn vị, mã chỉ tiêu, năm, dòng trùng)
# và theo các quy tắc kiểm tra liệt kê dưới đây. Lỗi chặn thì không lập báo cáo; cảnh báo được liệt kê ở đây.

# %% [markdown] tags=["en"]
# ## Validation
#
# Every data row is checked against the table's structure (columns, types, unit codes, element codes, years, duplicate
# rows) and against the validation rules listed below. Blocking problems stop the reports; warnings are listed here.

# %%
report.problems_table(ctx)

# %% [markdown] tags=["vi"]
# ### Các quy tắc kiểm tra

# %% [markdown] tags=["en"]
# ### Validation rules

# %%
report.rules_table(ctx)

# %% [markdown] tags=["vi"]
# ## Đơn vị đã và chưa báo cáo
# Mỗi số liệu trong danh mục chỉ tiêu: số xã, thị trấn (và huyện, với số liệu cấp huyện tự báo cáo) đã báo cáo trên số
# đơn vị phải báo cáo, theo năm, kèm tên các đơn vị còn thiếu.

# %% [markdown] tags=["en"]
# ## Who has reported
# Each figure of the indicator catalogue: how many communes (and the district, for the figures it reports itself)
# reported it out of those expected to, year by year, with the units still missing.

# %%
report.reporting_table(ctx)

# %% [markdown] tags=["vi"]
# ## Đối chiếu với số liệu đã công bố
#
# Mỗi con số đã công bố được so với giá trị tính từ số liệu: *khớp* (bằng nhau ở độ chính xác đã công bố),
# *chênh do làm tròn* (lệch dưới một đơn vị của chữ số cuối), *không khớp*. Chỉ so sánh với số liệu báo cáo độc lập mới
# được tính: so với số liệu minh họa sinh ra để tái lập chính con số đó, hay với dòng số liệu lấy từ chính nguồn đó,
# thì không chứng minh được gì. Tổng nguồn nêu còn được so với các thành phần, tỷ lệ với tử số và mẫu số do chính
# nguồn nêu. Kết quả đối chiếu là nhận xét về nguồn, không phải lỗi số liệu.

# %% [markdown] tags=["en"]
# ## Reconciliation with published figures
#
# Each published figure is compared with the value computed from the data: *match* (equal at the published precision),
# *rounding difference* (less than one unit of the last digit), *mismatch*. Only a comparison with independent reported
# data counts: against illustrative data generated to reproduce the figure, or a data row taken from the same source, it
# proves nothing. Totals the source gives are also checked against their parts, rates against the numerator and
# denominator it gives. A finding is a statement about the source, not a data error.

# %%
report.reconciliation_narrative(ctx)

# %%
report.reconciliation_block(ctx)

# %%
report.footer(ctx)
