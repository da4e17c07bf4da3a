"""Property: whatever part of Thoại Sơn's rows arrives — whole communes, years, elements or single
rows missing — every report of the local family renders, and no page states a total, a verdict
or a rank that the remaining rows do not support (issue #22, part 6).

Each example drops a random part of the rows, renders the district report (a year or the period
2022–2024), the data-quality report and two commune reports in process, cell by cell as the
notebooks call them (:func:`test_coverage.render`), and checks the pages against expectations
computed here from the remaining rows alone:

- a district total shown without a coverage note equals the sum of the rows, and every unit
  expected to report it did; a total with a note really misses a unit;
- a verdict (``đạt``, ``chưa đạt``, a card's colour, "… đều đạt") rests on complete figures;
- a commune rank counts the communes with a value, and there is none below three;
- a commune without any row in the year says so.
"""

from __future__ import annotations

import re
from dataclasses import replace
from unittest import mock

import pandas as pd
from bs4 import BeautifulSoup
from hypothesis import HealthCheck, Phase, example, given, settings
from hypothesis import strategies as st

from baocao.export.blocks import number, read_cell
from baocao.fmt import round_half_up
from baocao.reports.kit import load_data
from test_coverage import page, render, words

DISTRICT = "894"
FULL = load_data("")
COMMUNES = [u.code for u in FULL.registry.children(DISTRICT)]
ELEMENTS = sorted(set(FULL.observations["element"]))
YEARS = [2022, 2023, 2024]
MODULES = [  # the modules that load the data set (the district's openers load it in the context's)
    "baocao.reports.local.context",
    "baocao.reports.local.commune",
]


@st.composite
def arrivals(draw):
    """What has arrived: Thoại Sơn's rows without some communes, years, elements and single rows;
    the report to render (2024, 2023 or the period 2022–2024) and two communes to render."""
    gone_communes = draw(st.sets(st.sampled_from(COMMUNES), max_size=17))
    gone_years = draw(st.sets(st.sampled_from(YEARS), max_size=2))
    gone_elements = draw(st.sets(st.sampled_from(ELEMENTS), max_size=10))
    gone_rows = draw(st.sets(st.integers(0, len(FULL.observations) - 1), max_size=40))
    report = draw(st.sampled_from(["2024", "2023", "2022-2024"]))
    shown = draw(st.lists(st.sampled_from(COMMUNES), min_size=2, max_size=2, unique=True))
    if gone_communes:  # one of the communes shown is one that sent nothing
        shown[0] = draw(st.sampled_from(sorted(gone_communes)))
    return gone_communes, gone_years, gone_elements, gone_rows, report, shown


def remaining(gone_communes, gone_years, gone_elements, gone_rows):
    obs = FULL.observations.reset_index(drop=True)
    keep = (
        ~obs["unit"].isin(gone_communes)
        & ~obs["year"].isin(gone_years)
        & ~obs["element"].isin(gone_elements)
        & ~obs.index.isin(list(gone_rows))
    )
    per = FULL.periods
    per = per[~per["unit"].isin(gone_communes) & ~per["element"].isin(gone_elements)]
    return replace(FULL, observations=obs[keep].reset_index(drop=True), periods=per.reset_index(drop=True))


def expected_units(element: str) -> list[str]:
    """Who must report an element, from the catalogue's ``reported_at`` (default: the communes)."""
    said = FULL.catalogue.element(element).reported_at or ("commune",)
    out = [DISTRICT] if "district" in said else []
    return out + [
        u.code for u in FULL.registry.children(DISTRICT) if "commune" in said or u.type.lower() in said
    ]


def has_value(obs: pd.DataFrame, unit: str, year: int, code: str) -> bool:
    """Whether a commune's indicator has a value in the year: its numerator, denominator (not
    zero) and the weight of an averaged numerator were reported."""
    ind = FULL.catalogue.indicator(code)
    mine = obs[(obs["unit"] == unit) & (obs["year"] == year)]
    needs = [e for e in (ind.numerator, ind.denominator) if e]
    weight = FULL.catalogue.element(ind.numerator).weight
    if FULL.catalogue.element(ind.numerator).aggregation == "weighted_mean" and weight:
        needs.append(weight)
    if any(not (mine["element"] == e).any() for e in needs):
        return False
    return not ind.denominator or mine.loc[mine["element"] == ind.denominator, "value"].sum() != 0


def figure_text(span) -> str:
    return read_cell(BeautifulSoup(f"<td>{span}</td>", "html.parser").td).text


def check_district_totals(html: str, obs: pd.DataFrame) -> None:
    """Every computed district total of a summed count, for one year: complete and equal to the
    sum of the rows when it carries no coverage note, really missing a unit when it does."""
    soup = BeautifulSoup(html, "html.parser")
    for span in soup.select(f'span.fig[data-unit="{DISTRICT}"]'):
        code, period = span.get("data-code", ""), span.get("data-period", "")
        if "fig-published" in span.get("class", []) or "-" in period or code not in FULL.catalogue.indicators:
            continue
        ind = FULL.catalogue.indicator(code)
        element = ind.numerator
        if ind.denominator or FULL.catalogue.element(element).aggregation != "sum" or ind.factor != 1:
            continue
        shown = figure_text(span)
        if shown == "–":  # no value: nothing stated
            continue
        year, category = int(period), span.get("data-category", "")
        rows = obs[(obs["year"] == year) & (obs["element"] == element)]
        options = sorted(set(rows["category"]) - {""})
        if category:
            rows = rows[rows["category"] == category]
            options = [category]

        def reported(unit: str) -> bool:
            mine = rows[rows["unit"] == unit]
            return bool(len(mine)) and all((mine["category"] == c).any() for c in options)

        complete = all(reported(u) for u in expected_units(element))
        if span.get("data-coverage"):
            assert not complete, (code, year, category, span.get("data-coverage"))
            continue
        assert complete, (code, year, category, "shown as complete")
        parsed = number(shown)  # a plain number (not "235 hội nghị", "19,4 tỷ đồng")
        if parsed is not None:
            value, decimals, _ = parsed
            total = float(round_half_up(rows["value"].sum() * ind.factor, decimals))
            assert value == total, (code, year, category, value, total)


TARGETED = [c for c, i in FULL.catalogue.indicators.items() if i.target is not None]


def check_verdicts(html: str) -> None:
    """A verdict only on complete figures: the cards' colours, a table row's ``đạt`` / ``chưa đạt``
    (of the row's first figure with a target; ``toàn huyện: …`` of the district's), the campaign
    sentence's ``đạt chỉ tiêu``."""
    soup = BeautifulSoup(html, "html.parser")
    for card in soup.select(".card.good, .card.bad"):
        assert not card.select("span.fig[data-coverage]"), card
    for tr in soup.select("tr"):
        texts = [unmarked(td) for td in tr.select("td")]
        if any(t.endswith(("toàn huyện: đạt", "toàn huyện: chưa đạt")) for t in texts):
            assert not tr.select(f'span.fig[data-unit="{DISTRICT}"][data-coverage]'), tr
        elif any(t in ("đạt", "chưa đạt") for t in texts):
            judged = [s for s in tr.select("span.fig") if s.get("data-code") in TARGETED][:1]
            assert judged and not judged[0].get("data-coverage"), tr
    for p in soup.select("p"):
        if re.search(r"đạt chỉ tiêu( minh họa)? [≥≤]", p.get_text()):
            assert not p.select("span.fig[data-coverage]"), p


def unmarked(tag) -> str:
    """A cell's text without its marks (``đạt`` of ``đạtᵐʰ``, by an illustrative target)."""
    tag = BeautifulSoup(str(tag), "html.parser")
    for sup in tag.select("sup.mark"):
        sup.decompose()
    return tag.get_text()


def check_commune(html: str, obs: pd.DataFrame, commune: str, year: int) -> None:
    text = words(html)
    mine = obs[(obs["unit"] == commune) & (obs["year"] == year)]
    if not len(mine):
        assert "đều đạt" not in text and "đạt mọi chỉ tiêu" not in text
        assert "Chưa có số liệu nào được báo cáo cho" in text
    if "đạt mọi chỉ tiêu phấn đấu áp dụng cho cấp xã" in text:
        for code, ind in FULL.catalogue.indicators.items():
            if ind.target is not None and ind.target_applies("commune"):
                assert has_value(obs, commune, year, code), code
    soup = BeautifulSoup(html, "html.parser")
    names = {f"{i.name('vi')} ({i.unit('vi')})": c for c, i in FULL.catalogue.indicators.items()}
    for table in soup.select("table"):
        heads = [th.get_text() for th in table.select("thead th")]
        if "Xếp hạng" not in heads:
            continue
        at = heads.index("Xếp hạng")
        for tr in table.select("tbody tr"):
            tds = tr.select("td")
            code = names[tds[0].get_text()]
            n = sum(has_value(obs, c, year, code) for c in COMMUNES)
            rank = unmarked(tds[at])
            if n < 3:
                assert rank == "–", (code, n, rank)
            else:
                m = re.fullmatch(r"(đồng hạng )?(\d+)/(\d+)( xã có số liệu)?", rank)
                assert m and int(m[3]) == n and int(m[2]) <= n, (code, n, rank)
                assert bool(m[4]) == (n < len(COMMUNES)), (code, n, rank)


def check_quality(html: str, obs: pd.DataFrame) -> None:
    """The data-quality report's table of who has reported: for every element and year, as many
    communes as the rows hold (a commune reported an element with categories when it sent every
    category any unit sent that year)."""
    soup = BeautifulSoup(html, "html.parser")
    table = next(t for t in soup.select("table") if t.caption and "phải báo cáo" in t.caption.get_text())
    heads = [th.get_text() for th in table.select("thead th")]
    names = {e.name("vi"): c for c, e in FULL.catalogue.elements.items()}
    for tr in table.select("tbody tr"):
        tds = [td.get_text() for td in tr.select("td")]
        element = names[tds[0]]
        communes = [u for u in expected_units(element) if u != DISTRICT]
        for head, text in zip(heads[1:], tds[1:]):
            if not head.isdigit() or not communes:
                continue
            rows = obs[(obs["year"] == int(head)) & (obs["element"] == element)]
            options = set(rows["category"]) - {""}
            done = sum(
                bool(len(mine)) and options <= set(mine["category"])
                for mine in (rows[rows["unit"] == u] for u in communes)
            )
            assert f"{done}/{len(communes)} xã" in text, (element, head, text, done)


@settings(
    max_examples=15,
    deadline=None,
    derandomize=True,
    phases=[
        Phase.explicit,
        Phase.generate,
    ],  # no shrinking: a rendering costs seconds; the example is printed
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(arrivals())
@example(  # two communes left: no rank for anyone; one shown sent nothing
    (set(COMMUNES) - {"30685", "30688"}, set(), set(), set(), "2024", ["30682", "30685"])
)
@example(
    ({"30682"}, set(), set(), set(), "2022-2024", ["30682", "30721"])
)  # the period report, a commune gone
@example((set(), {2024}, set(), set(), "2024", ["30682", "30685"]))  # the report's year has not arrived
def test_any_part_of_the_rows_renders_and_states_only_what_the_rows_support(arrival):
    gone_communes, gone_years, gone_elements, gone_rows, report, shown = arrival
    ds = remaining(gone_communes, gone_years, gone_elements, gone_rows)
    year = int(report[-4:])
    year_from = 2022 if "-" in report else 0
    with mock.patch.multiple("baocao.reports.local.context", load_data=lambda data_dir="": ds):
        patches = [mock.patch(f"{m}.load_data", lambda data_dir="": ds) for m in MODULES[1:]]
        for p in patches:
            p.start()
        try:
            district = page(
                render(
                    "district_report",
                    district=DISTRICT,
                    year=year,
                    year_from=year_from,
                    lang="vi",
                    compare="ty_le_dv_tham_du",
                    data_dir="",
                )
            )
            quality = page(render("data_quality", district=DISTRICT, year=year, lang="vi", data_dir=""))
            communes = {
                c: page(render("commune_report", commune=c, year=year, lang="vi", data_dir="")) for c in shown
            }
        finally:
            for p in patches:
                p.stop()
    obs = ds.observations
    check_district_totals(district, obs)
    check_verdicts(district)
    for commune, html in communes.items():
        check_verdicts(html)
        check_commune(html, obs, commune, year)
    everyone = not gone_communes and not gone_elements and not gone_rows and year not in gone_years
    if everyone and not year_from:
        assert "Cả 17 xã, thị trấn và cấp huyện đã báo cáo đủ" in words(district)
    if gone_communes and year not in gone_years:  # who has not reported: named, with nothing reported
        gaps = BeautifulSoup(district, "html.parser").select_one("p.coverage-summary + table")
        missing = FULL.registry.unit(sorted(gone_communes)[0]).label("vi")
        assert gaps is not None and f"{missing} chưa báo cáo" in words(str(gaps))
    check_quality(quality, obs)
