"""Chart functions: house style, Vietnamese number formatting, gaps, labels, determinism."""

from io import BytesIO
from itertools import combinations

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
import pytest  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402

from baocao.reports import chart_image, chart_renderer, chart_style, charts  # noqa: E402

THOAI_SON = {
    "Núi Sập": (10.258168, 105.272146),
    "Phú Hòa": (10.353422, 105.386309),
    "Óc Eo": (10.241958, 105.155135),
    "Tây Phú": (10.356125, 105.160984),
    "An Bình": (10.31251, 105.160984),
    "Vĩnh Phú": (10.352754, 105.231183),
    "Vĩnh Trạch": (10.331037, 105.342391),
    "Phú Thuận": (10.278342, 105.418523),
    "Vĩnh Chánh": (10.302387, 105.371668),
    "Định Mỹ": (10.308029, 105.254589),
    "Định Thành": (10.305778, 105.301411),
    "Mỹ Phú Đông": (10.310273, 105.20778),
    "Vọng Đông": (10.267803, 105.18438),
    "Vĩnh Khánh": (10.259961, 105.348246),
    "Thoại Giang": (10.265572, 105.231183),
    "Bình Thành": (10.217959, 105.20193),
    "Vọng Thê": (10.275753, 105.131743),
}
VALUES = [
    88.4,
    92.15,
    np.nan,
    79.3,
    95.6,
    97.25,
    90.0,
    85.55,
    99.75,
    93.4,
    91.2,
    87.65,
    82.1,
    96.3,
    94.05,
    80.45,
    89.9,
]


@pytest.fixture
def communes():
    return pd.DataFrame(
        [(name, lat, lon, v) for (name, (lat, lon)), v in zip(THOAI_SON.items(), VALUES)],
        columns=["label", "lat", "lon", "value"],
    )


@pytest.fixture
def topics():
    return pd.DataFrame(
        {
            "label": [
                "Tỷ lệ đảng viên được đánh giá, xếp loại chất lượng hoàn thành tốt nhiệm vụ trở lên",
                "Tỷ lệ chi bộ sinh hoạt định kỳ",
                "Tỷ lệ đảng viên tham gia học tập nghị quyết",
                "Tỷ lệ thu",
            ],
            "value": [99.75, 96.5, 91.2, np.nan],
        }
    )


@pytest.fixture
def years():
    return pd.DataFrame(
        {
            "year": [2019, 2020, 2021, 2023, 2024, 2019, 2020, 2021, 2022, 2023, 2024],
            "series": ["Thoại Sơn"] * 5 + ["An Giang"] * 6,
            "value": [71.2, 73.5, np.nan, 76.8, 78.25, 70.1, 72.0, 74.4, 75.0, 77.3, 79.1],
        }
    )


@pytest.fixture
def meetings():
    return pd.DataFrame(
        {
            "year": [2022, 2023, 2024] * 2,
            "series": ["Hội nghị"] * 3 + ["Lượt đảng viên"] * 3,
            "value": [42, np.nan, 51, 15820, 17939, 18205],
        }
    )


@pytest.fixture
def all_charts(communes, topics, years, meetings):
    """One builder per chart function, so every chart goes through the generic checks."""
    common = dict(title="Tỷ lệ đảng viên hoàn thành tốt nhiệm vụ", value_label="Tỷ lệ (%)")
    return {
        "rate_by_topic": lambda **kw: charts.rate_by_topic(topics, target=95, **common, **kw),
        "trend": lambda **kw: charts.trend(years, target=78, **common, **kw),
        "bars_over_years": lambda **kw: charts.bars_over_years(meetings, title=common["title"], **kw),
        "ranked_bars": lambda **kw: charts.ranked_bars(
            communes,
            reference=90.6,
            reference_label="Thoại Sơn",
            highlight="Vọng Thê",
            target=95,
            **common,
            **kw,
        ),
        "dot_map": lambda **kw: charts.dot_map(communes, highlight="Định Mỹ", **common, **kw),
        "distribution": lambda **kw: charts.distribution(communes, **common, **kw),
    }


def png(fig) -> bytes:
    buffer = BytesIO()
    fig.savefig(buffer, format="png", metadata={"Software": None})
    return buffer.getvalue()


def texts(labels) -> list[str]:
    return [t.get_text() for t in labels]


def polluted():
    """A caller who changed a lot of global style (restored when the block ends)."""
    return matplotlib.rc_context(
        {
            "font.size": 30,
            "axes.facecolor": "red",
            "font.family": "serif",
            "lines.linewidth": 7,
            "figure.dpi": 40,
            "savefig.dpi": 300,
            "savefig.facecolor": "yellow",
            "axes.grid": False,
            "text.color": "green",
            "xtick.labelsize": 4,
            "axes.prop_cycle": matplotlib.cycler(color=["red"]),
        }
    )


# -- house style and formatter ------------------------------------------------------------------


def test_house_style_is_seaborn_whitegrid_with_dejavu_and_does_not_touch_globals():
    before = dict(matplotlib.rcParams)
    rc = chart_style.house_style()
    assert rc["font.sans-serif"] == ["DejaVu Sans"]
    assert rc["axes.grid"] is True and rc["figure.dpi"] in range(100, 111)
    assert dict(matplotlib.rcParams) == before
    with matplotlib.rc_context():
        chart_style.house_style(apply=True)
        assert matplotlib.rcParams["font.sans-serif"] == ["DejaVu Sans"]


@pytest.mark.parametrize(
    ("decimals", "lang", "suffix", "value", "expected"),
    [
        (0, "vi", "", 17939, "17.939"),
        (2, "vi", "%", 99.75, "99,75%"),
        (1, "vi", "", 1234567.25, "1.234.567,3"),
        (0, "en", "", 17939, "17,939"),
        (2, "en", "%", 99.75, "99.75%"),
        (0, "vi", "", -1e-17, "0"),
    ],
)
def test_tick_formatter(decimals, lang, suffix, value, expected):
    assert chart_style.tick_formatter(decimals, lang, suffix)(value) == expected


def test_tick_formatter_auto_decimals_follow_tick_spacing():
    formatter = chart_style.tick_formatter(None, "vi", "%")
    assert formatter.format_ticks([97.5, 98.0, 98.5]) == ["97,5%", "98,0%", "98,5%"]
    assert formatter.format_ticks([0, 20000, 40000]) == ["0%", "20.000%", "40.000%"]


# -- generic contract ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "name", ["rate_by_topic", "trend", "bars_over_years", "ranked_bars", "dot_map", "distribution"]
)
def test_chart_returns_titled_figure_outside_pyplot(all_charts, name):
    before = dict(matplotlib.rcParams)
    fig = all_charts[name]()
    assert isinstance(fig, Figure)
    assert fig.get_suptitle() == "Tỷ lệ đảng viên hoàn thành tốt nhiệm vụ"
    assert fig.get_size_inches()[0] == 8 and 100 <= fig.dpi <= 110
    assert plt.get_fignums() == []  # nothing registered with pyplot, nothing for the caller to close
    assert dict(matplotlib.rcParams) == before


@pytest.mark.parametrize(
    "name", ["rate_by_topic", "trend", "bars_over_years", "ranked_bars", "dot_map", "distribution"]
)
def test_text_sizes_kept_across_charts_are_matplotlibs_own(all_charts, name):
    """Charts keep text sizes and font heights for the whole process (a speed-up); drawn on
    matplotlib's own Agg canvas, which measures every text afresh, a chart gives the same bytes."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    all_charts[name]()  # sizes of this chart's texts are now kept
    chart = all_charts[name]()
    assert isinstance(chart.canvas.get_renderer(), chart_renderer.Renderer)  # drawn with the caches
    kept = png(chart)
    fresh = all_charts[name]()
    FigureCanvasAgg(fresh)
    assert png(fresh) == kept


@pytest.mark.parametrize(
    "name", ["rate_by_topic", "trend", "bars_over_years", "ranked_bars", "dot_map", "distribution"]
)
def test_rendering_is_deterministic_and_ignores_global_rcparams(all_charts, name):
    clean = png(all_charts[name]())
    again = all_charts[name]()
    assert png(again) == clean
    with polluted():
        assert png(again) == clean  # drawing an existing chart under a polluted state
        assert png(all_charts[name]()) == clean  # building a chart under a polluted state


@pytest.mark.parametrize(
    "name", ["rate_by_topic", "trend", "bars_over_years", "ranked_bars", "dot_map", "distribution"]
)
def test_empty_input_is_a_sentence_not_a_chart(name):
    function = getattr(charts, name)
    out = function(
        pd.DataFrame(columns=["label", "value", "year", "series", "lat", "lon"]),
        title="Tỷ lệ hộ nghèo (%)",
        **({} if name == "bars_over_years" else {"value_label": "v"}),
    )
    assert isinstance(out, charts.NoChart)
    assert out.text() == "Tỷ lệ hộ nghèo (%) — không có số liệu để vẽ biểu đồ."
    assert out.html() == '<p class="no-chart">Tỷ lệ hộ nghèo (%) — không có số liệu để vẽ biểu đồ.</p>'


def test_missing_column_and_bad_lang_are_clear_errors(topics):
    with pytest.raises(ValueError, match="label"):
        charts.rate_by_topic(topics.drop(columns="label"), title="t", value_label="v")
    with pytest.raises(ValueError, match="lang"):
        charts.rate_by_topic(topics, title="t", value_label="v", lang="fr")


# -- rate_by_topic ------------------------------------------------------------------------------


def test_rate_by_topic_labels_target_and_warning_colour(topics):
    fig = charts.rate_by_topic(topics, target=95, title="t", value_label="Tỷ lệ (%)")
    ax = fig.axes[0]
    fig.canvas.draw()
    assert ax.get_xlabel() == "Tỷ lệ (%)"
    assert all(len(line) <= 35 for t in texts(ax.get_yticklabels()) for line in t.split("\n"))
    assert texts(ax.texts) == ["99,75%", "96,50%", "91,20%", "–"]  # NaN drawn as an empty bar marked "–"
    assert "100%" in texts(ax.get_xticklabels())
    target = [line for line in ax.lines if line.get_label() == "Chỉ tiêu 95%"]
    assert len(target) == 1 and target[0].get_linestyle() == "--"
    assert "Chỉ tiêu 95%" in texts(ax.get_legend().get_texts())
    colours = [matplotlib.colors.to_hex(bar.get_facecolor()) for bar in ax.patches[:3]]
    assert colours[2] == chart_style.WARNING.lower() and colours[0] == colours[1] == chart_style.BAR.lower()


def test_rate_by_topic_english_and_no_target(topics):
    ax = charts.rate_by_topic(topics, title="t", value_label="Rate (%)", lang="en").axes[0]
    assert texts(ax.texts)[0] == "99.75%"
    assert ax.get_legend() is None and not ax.lines


# -- trend --------------------------------------------------------------------------------------


def test_trend_keeps_gaps_and_integer_years(years):
    fig = charts.trend(years, title="t", value_label="Tỷ lệ (%)", target=78, suffix="%")
    ax = fig.axes[0]
    fig.canvas.draw()
    son, giang = (line for line in ax.lines if line.get_label() in ("Thoại Sơn", "An Giang"))
    assert list(son.get_xdata()) == list(range(2019, 2025))
    assert np.isnan(son.get_ydata()[2]) and np.isnan(son.get_ydata()[3])  # NaN value and missing year
    assert not np.isnan(giang.get_ydata()).any()
    assert {t for t in texts(ax.get_xticklabels()) if t} <= {str(y) for y in range(2018, 2026)}
    assert any(line.get_label() == "Chỉ tiêu 78%" for line in ax.lines)
    assert "73,5%" in texts(ax.texts) and "78,3%" in texts(ax.texts)  # 78.25 rounds half up
    assert all("," not in t or t.endswith("%") for t in texts(ax.get_yticklabels()))


def test_trend_single_series_vietnamese_decimal_ticks():
    df = pd.DataFrame({"year": [2021, 2022, 2023], "value": [0.12, 0.45, 0.8]})
    fig = charts.trend(df, title="t", value_label="v")
    fig.canvas.draw()
    ticks = [t for t in texts(fig.axes[0].get_yticklabels()) if t]
    assert ticks and all("," in t and "." not in t for t in ticks if t != "0")
    assert fig.axes[0].get_legend() is None


def test_trend_rejects_duplicate_years(years):
    with pytest.raises(ValueError, match="duplicates"):
        charts.trend(pd.concat([years, years]), title="t", value_label="v")


# -- bars_over_years ----------------------------------------------------------------------------


def test_bars_over_years_one_panel_per_series_with_own_scale(meetings):
    fig = charts.bars_over_years(meetings, title="t")
    fig.canvas.draw()
    left, right = fig.axes
    assert [left.get_title("left"), right.get_title("left")] == ["Hội nghị", "Lượt đảng viên"]
    assert left.get_ylim()[1] < 100 < right.get_ylim()[1]
    assert texts(left.texts) == ["42", "–", "51"]
    assert "17.939" in texts(right.texts)
    assert any("." in t for t in texts(right.get_yticklabels()))  # e.g. "15.000"


# -- ranked_bars --------------------------------------------------------------------------------


def test_ranked_bars_sorted_with_reference_target_and_highlight(communes):
    fig = charts.ranked_bars(
        communes,
        reference=90.6,
        reference_label="Huyện Thoại Sơn",
        title="t",
        value_label="Tỷ lệ (%)",
        highlight="Vọng Thê",
        target=95,
        suffix="%",
    )
    ax = fig.axes[0]
    names = texts(ax.get_yticklabels())
    assert names[0] == "Vĩnh Chánh" and names[-1] == "Óc Eo"  # NaN last
    assert [t for t in texts(ax.texts)][:2] == ["99,8%", "97,3%"]  # 99.75 and 97.25 round half up
    labels = [line.get_label() for line in ax.lines]
    assert labels == ["Huyện Thoại Sơn: 90,6%", "Chỉ tiêu 95%"]
    bar = ax.patches[names.index("Vọng Thê")]
    assert matplotlib.colors.to_hex(bar.get_facecolor()) == chart_style.ACCENT.lower()
    assert ax.get_yticklabels()[names.index("Vọng Thê")].get_fontweight() == "bold"


@pytest.mark.parametrize("n", [17, 60])
def test_ranked_bars_height_grows_and_labels_do_not_overlap(n):
    df = pd.DataFrame({"label": [f"Xã số {i}" for i in range(n)], "value": np.linspace(12000, 54000, n)})
    fig = charts.ranked_bars(df, title="t", value_label="v", decimals=0)
    fig.canvas.draw()
    boxes = [t.get_window_extent() for t in fig.axes[0].get_yticklabels()]
    assert not any(a.overlaps(b) for a, b in combinations(boxes, 2))
    assert fig.get_size_inches()[1] > 0.25 * n
    assert "50.000" in texts(fig.axes[0].get_xticklabels())


# -- dot_map ------------------------------------------------------------------------------------


def test_dot_map_labels_do_not_overlap_each_other_and_stay_inside(communes):
    fig = charts.dot_map(communes, title="t", value_label="Tỷ lệ (%)", suffix="%", highlight="Định Mỹ")
    fig.canvas.draw()
    ax = fig.axes[0]
    annotations = [t for t in ax.texts]
    assert len(annotations) == 17
    assert {t.get_text().split("\n")[0] for t in annotations} == set(THOAI_SON)
    boxes = [t.get_window_extent() for t in annotations]
    assert not [(a, b) for a, b in combinations(range(17), 2) if boxes[a].overlaps(boxes[b])]
    frame = ax.get_window_extent()
    assert all(frame.x0 <= b.x0 and b.x1 <= frame.x1 and frame.y0 <= b.y0 and b.y1 <= frame.y1 for b in boxes)


def test_dot_map_aspect_colorbar_and_missing(communes):
    fig = charts.dot_map(communes, title="t", value_label="Tỷ lệ (%)", suffix="%")
    fig.canvas.draw()
    ax, colorbar = fig.axes
    assert ax.get_aspect() == pytest.approx(1 / np.cos(np.radians(communes["lat"].mean())))
    assert texts(ax.get_legend().get_texts()) == ["không có số liệu"]
    assert "Óc Eo" in texts(ax.texts)
    ticks = [t for t in texts(colorbar.get_xticklabels()) if t]
    assert ticks and all(t.endswith("%") and "." not in t for t in ticks)
    assert colorbar.get_xlabel() == "Tỷ lệ (%)"
    english = charts.dot_map(communes, title="t", value_label="v", lang="en")
    assert texts(english.axes[0].get_legend().get_texts()) == ["no data"]


# -- distribution -------------------------------------------------------------------------------


def test_distribution_names_extremes_and_counts_missing(communes):
    fig = charts.distribution(communes, title="t", value_label="Tỷ lệ (%)", suffix="%")
    ax = fig.axes[0]
    assert ax.get_xlabel() == "Tỷ lệ (%)"
    assert "16 đơn vị" in ax.get_title("left") and "1 không có số liệu" in ax.get_title("left")
    assert {"Tây Phú: 79,3%", "Vĩnh Chánh: 99,8%"} <= set(texts(ax.texts))
    assert isinstance(
        charts.distribution(communes.assign(value=np.nan), title="t", value_label="v"), charts.NoChart
    )


@pytest.mark.parametrize("name", ["rate_by_topic", "trend", "bars_over_years", "ranked_bars", "dot_map"])
def test_all_values_missing_is_a_sentence(name):
    df = pd.DataFrame(
        {
            "label": ["Óc Eo", "Vọng Thê"],
            "value": [np.nan, None],
            "year": [2020, 2022],
            "series": ["Hội nghị", "Hội nghị"],
            "lat": [10.24, 10.27],
            "lon": [105.15, 105.13],
        }
    )
    options = {} if name == "bars_over_years" else {"value_label": "v"}
    out = getattr(charts, name)(df, title="t", lang="en", **options)
    assert isinstance(out, charts.NoChart) and out.text() == "t — no data to chart."


def test_long_series_keep_year_ticks_and_labels_sparse():
    df = pd.DataFrame({"year": range(1995, 2026), "value": np.linspace(10, 40, 31)})
    ax = charts.trend(df, title="t", value_label="v").axes[0]
    assert len(ax.get_xticks()) <= 12 and len(ax.texts) <= 13
    assert texts(ax.get_xticklabels())[0] == "1995"


# -- differences that matter, alt text ----------------------------------------------------------

NARROW = [
    96.71,
    96.73,
    96.74,
    96.75,
    96.79,
    96.79,
    96.8,
    96.85,
    96.86,
    96.89,
    96.92,
    96.93,
    96.93,
    96.98,
    96.99,
    97.06,
    97.08,
]


def test_narrow_ranking_is_a_dot_plot_zoomed_to_the_data(communes):
    df = communes.assign(value=NARROW)
    fig = charts.ranked_bars(
        df,
        reference=96.87,
        reference_label="Huyện Thoại Sơn",
        title="Tỷ lệ tham dự",
        value_label="%",
        decimals=2,
        target=95,
        suffix="%",
    )
    fig.canvas.draw()
    ax = fig.axes[0]
    assert not ax.patches, "no bars: a bar from 0 hides a 0,4-point spread"
    low, high = ax.get_xlim()
    assert 96.5 < low < 96.71 and 97.08 < high < 97.3  # zoomed to the communes and the district
    assert "không từ 0" in ax.get_xlabel() and "bắt đầu từ 96," in ax.get_xlabel()
    legend = texts(ax.get_legend().get_texts())
    assert legend == ["Huyện Thoại Sơn: 96,87%", "Chỉ tiêu 95% (ngoài trục, bên trái)"]
    # the highest and lowest dots lie most of the axis apart: the difference is visible
    xs = ax.collections[-1].get_offsets()[:, 0]
    assert (xs.max() - xs.min()) / (high - low) > 0.6
    top, bottom = df.loc[df["value"].idxmax(), "label"], df.loc[df["value"].idxmin(), "label"]
    assert chart_image.alt_text(fig) == (
        f"Tỷ lệ tham dự: cao nhất {top} 97,08%, thấp nhất {bottom} 96,71%; "
        "Huyện Thoại Sơn 96,87%; chỉ tiêu 95%."
    )


def test_wide_ranking_keeps_bars_from_zero(communes):
    fig = charts.ranked_bars(communes, title="t", value_label="v", suffix="%")
    assert fig.axes[0].patches and fig.axes[0].get_xlim()[0] == 0


def test_narrow_map_scale_says_how_narrow_it_is(communes):
    fig = charts.dot_map(
        communes.assign(value=NARROW), title="Bản đồ các xã", value_label="%", decimals=2, suffix="%"
    )
    label = fig.axes[1].get_xlabel()
    assert label == "% — thang màu chỉ trải 0,37 điểm phần trăm (96,71% – 97,08%)"
    wide = charts.dot_map(communes, title="t", value_label="Tỷ lệ (%)", suffix="%")
    assert wide.axes[1].get_xlabel() == "Tỷ lệ (%)"
    assert "0,37 điểm phần trăm" in chart_image.alt_text(fig)


@pytest.mark.parametrize(
    "name", ["rate_by_topic", "trend", "bars_over_years", "ranked_bars", "dot_map", "distribution"]
)
def test_every_chart_has_alt_text_with_a_key_figure(all_charts, name):
    alt = chart_image.alt_text(all_charts[name]())
    assert "Tỷ lệ đảng viên hoàn thành tốt nhiệm vụ: " in alt and alt.endswith(".")
    assert any(ch.isdigit() for ch in alt.split(":", 1)[1]), alt


def _text_boxes(fig):
    """(text, pixel box) of every text the figure draws: titles, axis labels, the tick labels
    inside the view limits, value labels, legends (ticks outside the limits are not drawn)."""
    fig.canvas.draw()
    renderer = fig.canvas.get_renderer()
    found = [fig._suptitle] if fig._suptitle else []
    for ax in fig.axes:
        found += [ax.title, ax._left_title, ax._right_title, ax.xaxis.label, ax.yaxis.label, *ax.texts]
        if ax.get_legend():
            found += ax.get_legend().get_texts()
        for axis in (ax.xaxis, ax.yaxis):
            lo, hi = sorted(axis.get_view_interval())
            eps = (hi - lo) * 1e-6
            for tick in axis.get_major_ticks() + axis.get_minor_ticks():
                if lo - eps <= tick.get_loc() <= hi + eps:
                    found += [t for t in (tick.label1, tick.label2) if t.get_visible()]
    out = []
    for t in found:
        if t.get_visible() and t.get_text().strip():
            box = t.get_window_extent(renderer)
            if box.width > 0 and box.height > 0:
                out.append((t.get_text(), box))
    return out


def _report_charts():
    """Every chart of every report kind in both plans: district, commune, province, national."""
    from baocao.reports.gso import national, province
    from baocao.reports.local import commune
    from baocao.reports.local import district as report

    d = report.open_report("district", {"district": "894", "year": 2024})
    c = commune.open_report("commune", {"commune": "30727", "year": 2024})
    out = {
        "district topics": report.chart_rate_by_topic(d),
        "district over years": report.chart_campaign_over_years(d),
        "district ranked": report.chart_communes_ranked(d),
        "district map": report.chart_communes_map(d),
        "commune ranked": commune.chart_communes_ranked(c),
        "commune map": commune.chart_communes_map(c),
        **{f"district trend {code}": report.chart_trend(d, code) for code in report.SOCIO},
        **{
            f"commune trend {code}": commune.chart_trend(c, code)
            for code in ["ty_le_dv_tham_du", "thu_nhap_bq", "ty_le_ho_ngheo"]
        },
    }
    p = province.open_report("province", {"province": "89", "year": 2016})
    n = national.open_report("national", {"year": 2016})
    gso = ["gso_ty_le_ho_ngheo", "gso_thu_nhap", "gso_bac_si_van_dan", "gso_truong_van_dan", "gso_dan_so"]
    out.update({f"province ranked {code}": province.chart_ranked(p, code) for code in gso[:1]})
    out.update(
        {f"province ranked region {code}": province.chart_ranked(p, code, "region") for code in gso[1:3]}
    )
    out["province map"] = province.chart_map(p)
    out.update({f"province trend {code}": province.chart_trend(p, code) for code in gso})
    out.update({f"national ranked {code}": national.chart_ranked(n, code) for code in gso})
    out.update({f"national map {part}": national.chart_map(n, part) for part in ("north", "centre", "south")})
    out.update({f"national spread {code}": national.chart_distribution(n, code) for code in gso[:4]})
    return {k: v.figure for k, v in out.items() if hasattr(v, "figure")}


@pytest.mark.slow
def test_no_text_of_any_report_chart_overlaps_another_or_leaves_the_figure():
    figures = _report_charts()
    assert len(figures) >= 30
    problems = []
    for name, fig in figures.items():
        boxes = _text_boxes(fig)
        frame = fig.bbox
        for text, b in boxes:
            if b.x0 < frame.x0 - 1 or b.x1 > frame.x1 + 1 or b.y0 < frame.y0 - 1 or b.y1 > frame.y1 + 1:
                problems.append(f"{name}: {text!r} is cut off at the figure's edge")
        for (ta, a), (tb, b) in combinations(boxes, 2):
            w = min(a.x1, b.x1) - max(a.x0, b.x0)
            h = min(a.y1, b.y1) - max(a.y0, b.y0)
            if w > 1 and h > 1:
                problems.append(f"{name}: {ta!r} overlaps {tb!r}")
        assert chart_image.alt_text(fig), name
        plt.close(fig)
    assert not problems, "\n".join(problems[:30])


def test_large_chart_png_is_stored_with_a_palette_smaller_and_the_same_every_time():
    from PIL import Image

    df = pd.DataFrame(
        {"label": [f"Tỉnh số {i}" for i in range(63)], "value": np.linspace(300_000, 8_300_000, 63)}
    )
    fig = charts.ranked_bars(df, title="Dân số, 2016", value_label="người", decimals=0)
    raw = png(fig)  # full colour
    small = chart_image.chart_png(fig)
    assert len(small) < len(raw) / 2 and small == chart_image.chart_png(fig)
    with Image.open(BytesIO(raw)) as a, Image.open(BytesIO(small)) as b:
        assert a.size == b.size and b.mode == "P" and a.size[0] * a.size[1] > chart_image.PALETTE_ABOVE
        # quantised from the very pixels of the full-colour PNG
        assert small == chart_image.palette_png(a.tobytes(), *a.size)
        diff = np.abs(np.asarray(a.convert("RGB"), dtype=int) - np.asarray(b.convert("RGB"), dtype=int))
        assert diff.mean() < 1.5  # no one sees a difference
    tiny = charts.trend(pd.DataFrame({"year": [2022, 2023], "value": [1, 2]}), title="t", value_label="v")
    assert chart_image.chart_png(tiny) == png(tiny)  # small charts are left alone (quantising costs time)


def test_chart_image_imports_no_matplotlib():
    """The PNG and alt text of a chart take a Figure already built: importing them loads nothing heavy."""
    import subprocess
    import sys

    code = (
        "import sys, baocao.reports.chart_image\n"
        "print([name for name in ('matplotlib', 'PIL') if name in sys.modules])"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "[]"
