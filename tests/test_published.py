"""Published figures record what the source states apart from what we infer, and a comparison
with rows that cannot disagree (generated to reproduce the figure, or the figure itself typed in
as data) is never counted as agreement."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from baocao import config
from baocao.data.aggregate import aggregate, aggregate_periods
from baocao.data.published import PUBLISHED_COLUMNS, is_inferred
from baocao.data.reconcile import observation_rows, reconcile, summarize
from baocao.io.dataset import load, load_published

# the figures whose period or date the article does not give (the year from a neighbouring
# sentence or clause, the period from a sum, a stock or running total "to date")
INFERRED = {"P01", "P02", "P03", "P04", "P05", "P16", "P17", "P18", "P19", "P20", "P21", "P22"}


@pytest.fixture(scope="module")
def ds():
    return load()


def _words(text: str) -> str:
    return " ".join(text.split())


def test_every_quote_holds_only_the_source_words(ds):
    """A quotation holds only the source's words: each ``quote`` occurs verbatim in the article."""
    src = ds.sources["article"]
    article = (config.home() / src["file"]).resolve()  # a path from the project folder
    if not article.is_file():
        pytest.skip(f"the article's text is not here ({article})")
    text = _words(article.read_text(encoding="utf-8"))
    for r in ds.published.itertuples():
        assert r.quote and _words(r.quote) in text, (r.id, r.quote)
        assert "(" not in r.quote.replace("(54/67 trường)", ""), (r.id, "our words in brackets")


def test_stated_and_inferred_periods_are_what_the_article_says(ds):
    pub = ds.published.set_index("id")
    assert {i for i, r in pub.iterrows() if is_inferred(r)} == INFERRED
    for i, r in pub.iterrows():
        if i in INFERRED:
            assert r["inference_vi"] and r["inference_en"], i
        else:  # stated: the year is in the figure's own words or its topic's name
            assert r["stated_period"] == str(r["year_from"]) == str(r["year_to"]), i
    assert pub.loc["P01", "stated_period"] == "" and "275 + 211 + 235 + 235" in pub.loc["P01", "inference_vi"]
    assert "câu trước" in pub.loc["P19", "inference_vi"] and "câu trước" in pub.loc["P20", "inference_vi"]
    # a stock or a running total is counted to the article's date, not for a year or the whole term
    assert {i for i in pub.index if pub.loc[i, "as_of"]} == {"P03", "P04", "P05", "P21", "P22"}
    assert pub.loc["P04", "unit_stated"] == "đảng viên"  # the article's word, not "lượt"
    assert ds.sources["article"]["date"] == "2024" and ds.sources["article"]["date_inference_vi"]


def write(tmp_path: Path, rows: list[dict], columns=PUBLISHED_COLUMNS) -> Path:
    f = tmp_path / "published.csv"
    pd.DataFrame(rows, columns=columns).to_csv(f, index=False)
    return f


ROW = dict(
    id="X1",
    unit="894",
    year_from=2023,
    year_to=2023,
    figure_type="indicator",
    code="hn_so",
    category="",
    value=5,
    decimals=0,
    components="",
    source="article",
    quote="5 hội nghị",
    unit_stated="hội nghị",
    stated_period="2023",
    as_of="",
    inference_vi="",
    inference_en="",
    note="",
)


def problems_of(tmp_path: Path, rows: list[dict], columns=PUBLISHED_COLUMNS) -> list[tuple]:
    published, problems = load_published([write(tmp_path, rows, columns)])
    return [(p.row, p.column, p.message_vi, p.message_en) for p in problems.itertuples()]


def test_an_inference_without_its_reason_is_refused(tmp_path):
    assert problems_of(tmp_path, [ROW]) == []
    (row, column, vi, en), *_ = problems_of(tmp_path, [{**ROW, "stated_period": ""}])  # 2023 is ours
    assert (row, column) == (2, "inference_vi") and "ghi lý do suy ra" in vi and "reason" in en
    found = problems_of(tmp_path, [{**ROW, "as_of": "2023", "inference_vi": "khi đăng bài"}])
    assert [(r, c) for r, c, *_ in found] == [(2, "inference_en")]
    found = problems_of(tmp_path, [{**ROW, "as_of": "2025", "inference_vi": "x", "inference_en": "x"}])
    assert [(r, c) for r, c, *_ in found] == [(2, "as_of")]
    found = problems_of(tmp_path, [{**ROW, "figure_type": "kind"}])
    assert [(r, c) for r, c, *_ in found] == [(2, "figure_type")]


def test_the_earlier_kind_column_is_named_in_the_message(tmp_path):
    old = [c if c != "figure_type" else "kind" for c in PUBLISHED_COLUMNS]
    row = {**{k: v for k, v in ROW.items() if k != "figure_type"}, "kind": "indicator"}
    (line, column, vi, en), *_ = problems_of(tmp_path, [row], old)
    assert (line, column) == (1, "figure_type") and "'kind' is now 'figure_type'" in en and "nay là" in vi


def test_an_empty_file_of_the_earlier_format_is_no_problem(tmp_path):
    """A district onboarded by an earlier version has a published.csv with the old header and no
    figure: nothing can be misread, so it does not stop validation or a build."""
    old = "id,unit,year_from,year_to,kind,code,category,value,decimals,components,source,note"
    published, problems = load_published([write(tmp_path, [], old.split(","))])
    assert len(problems) == 0 and len(published) == 0


@pytest.fixture(scope="module")
def rec(ds):
    agg = aggregate(ds.observations, ds.catalogue, ds.registry)
    per = aggregate_periods(ds.periods, ds.catalogue, ds.registry)
    rows = observation_rows(ds.observations, ds.periods)
    return reconcile(
        ds.published, agg, ds.catalogue, per, rows=rows, registry=ds.registry, sources=ds.sources
    )


def test_agreement_with_generated_rows_or_with_the_figure_itself_is_no_evidence(rec):
    by = rec.set_index("id")
    # P23/P24: the data row is the article's own figure; the rest: rows generated to reproduce it
    assert set(by.index[by["basis"] == "same source"]) == {"P23", "P24"}
    assert set(by.index[by["basis"] == "illustrative"]) == set(by.index) - {"P23", "P24"}
    counts = summarize(rec)
    assert sum(counts["evidence"].values()) == 0  # nothing counts as agreement
    assert counts["same_source"] == ["P23", "P24"] and len(counts["illustrative"]) == 22
    # what the article says about itself is evidence about the article
    assert by.loc["P02", "components_verdict"] == "mismatch" and counts["failed_checks"] == ["P02"]
    assert (by.loc["P16", "parts"], by.loc["P16", "parts_verdict"]) == ("P17 P18", "rounding difference")
    assert (by.loc["P11", "parts"], by.loc["P11", "parts_verdict"]) == ("P10 P14", "match")
    assert counts["checks"] == {"match": 2, "rounding difference": 1, "mismatch": 1, "no data": 0}
    assert set(counts["inferred"]) == INFERRED


def test_a_comparison_with_independent_data_is_evidence(ds, rec):
    """The same figures against rows of their own (not generated, not the article's): counted."""
    obs = ds.observations.assign(source="Chi cục Thống kê")
    per = ds.periods.assign(source="Chi cục Thống kê")
    agg = aggregate(obs.assign(), ds.catalogue, ds.registry)
    agg["illustrative"] = False
    pa = aggregate_periods(per, ds.catalogue, ds.registry)
    pa["illustrative"] = False
    real = reconcile(
        ds.published,
        agg,
        ds.catalogue,
        pa,
        rows=observation_rows(obs, per),
        registry=ds.registry,
        sources=ds.sources,
    )
    counts = summarize(real)
    assert set(real["basis"]) == {"data"}
    assert counts["evidence"] == {"match": 21, "rounding difference": 2, "mismatch": 1, "no data": 0}
