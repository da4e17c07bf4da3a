"""Provenance marks on the figures of the local reports: a figure as the report shows it
(:class:`Fig`: its text, whether it is published, computed or illustrative, and the published
row it comes from), as HTML with its mark (:func:`fig_html`), published values exactly as
published (:func:`format_published`), the figure's name (:func:`figure_label`), and the marks on
a chart's value labels with the line under the chart that says what they mean (:func:`mark_chart`).
The words of the marks are :mod:`baocao.data.provenance`'s.
"""

from __future__ import annotations

from dataclasses import KW_ONLY, dataclass
from typing import TYPE_CHECKING

from markupsafe import escape

from baocao import fmt
from baocao.data import provenance
from baocao.data.catalogue import Catalogue
from baocao.reports.kit import Html

if TYPE_CHECKING:
    from baocao.reports.local.context import Context


@dataclass(frozen=True)
class Fig:
    """One figure as a report shows it: its text, where it comes from (``published``,
    ``computed`` or ``illustrative``, see :mod:`baocao.data.provenance`) and, when published, the id
    of its row in ``published.csv``. ``about`` says what it is (unit, period, code, name, unit of
    measure: :meth:`~baocao.reports.local.context.Context.about`), written on its HTML span so a table
    can be taken away as data. ``coverage``: for a figure computed while some of the units expected
    to report did not, how many did (``1/13 xã báo cáo``), shown after it wherever it is shown;
    empty for a complete figure."""

    text: str
    provenance: str
    pub_id: str | None = None
    value: float = float("nan")
    about: tuple = ()
    _: KW_ONLY  # what a figure says beyond its value and provenance is named where it is given
    # a published figure whose period, date or unit is our inference (published.csv's reason)
    inferred: bool = False
    coverage: str = ""


_SUPERSCRIPT = str.maketrans("0123456789abcdefghijklmnoprstuvwxyz*", "⁰¹²³⁴⁵⁶⁷⁸⁹ᵃᵇᶜᵈᵉᶠᵍʰⁱʲᵏˡᵐⁿᵒᵖʳˢᵗᵘᵛʷˣʸᶻ*")


def superscript(text: str) -> str:
    return text.translate(_SUPERSCRIPT)


def fig_html(
    f: Fig, lang: str = "vi", footnote: int | None = None, footnotes: list[int] | None = None
) -> Html:
    """``<span class="fig fig-published" data-published="P05">99,75%<sup>…</sup></span>``; a figure
    made of two published rows (``54/67 trường``) has both ids and both footnote numbers; a figure
    whose period or date is inferred has ``s`` after its footnote number (``1, s``). A partial
    figure says how many units reported after its mark (``<small class="coverage">``) and in its
    ``data-coverage``."""
    m = provenance.mark(f.provenance, lang, footnote)
    title = provenance.LEGEND[lang][f.provenance]
    s = ", " + provenance.MARKS[lang]["inferred"] if f.inferred else ""  # in the last link: "7, s"
    if f.pub_id and footnotes:
        pairs = list(zip(f.pub_id.split(), footnotes))
        sup = ", ".join(
            f'<a href="#fn-{escape(i)}">{n}{escape(s) if k == len(pairs) - 1 else ""}</a>'
            for k, (i, n) in enumerate(pairs)
        )
    else:
        sup = f'<a href="#fn-{escape(f.pub_id)}">{escape(m + s)}</a>' if f.pub_id else escape(m + s)
    if f.inferred:
        title += "; " + provenance.MARKS[lang]["inferred"] + ": " + provenance.LEGEND[lang]["inferred"]
    pub = f' data-published="{escape(f.pub_id)}"' if f.pub_id else ""
    pub += "".join(f' data-{k}="{escape(v)}"' for k, v in f.about)
    partial = ""
    if f.coverage:
        pub += f' data-coverage="{escape(f.coverage)}"'
        partial = f'<small class="coverage"> ({escape(f.coverage)})</small>'
    return Html(
        f'<span class="fig fig-{f.provenance}"{pub}>{escape(f.text)}<sup class="mark" '
        f'title="{escape(title)}">{sup}</sup>{partial}</span>'
    )


def marked_text(
    text: str, illustrative: bool, lang: str = "vi", css: str = "target", about: tuple = ()
) -> Html:
    """A target (``≥ 95%``) or a verdict by it (``đạt``) as the page shows it: with the mark of an
    illustrative target (``mh``) when no document sets the target, so a reader never takes an
    example for a real target; a target with its document is plain text. ``about``: what the
    target is for (``data-*`` pairs, as :class:`Fig`'s), so the tables' data files name it."""
    if not text or not illustrative:
        return Html(escape(text))
    m = provenance.MARKS[lang]["illustrative target"]
    title = provenance.LEGEND[lang]["illustrative target"]
    data = "".join(f' data-{k}="{escape(v)}"' for k, v in about if v)
    return Html(
        f'<span class="fig fig-{css}"{data}>{escape(text)}<sup class="mark" title="{escape(title)}">'
        f"{escape(m)}</sup></span>"
    )


def rank_html(text: str, illustrative: bool, lang: str = "vi") -> Html:
    """A rank (``3/17``) as the page shows it: ranked on values of which some are illustrative, it is
    illustrative too and carries their mark (``3/17ᵐʰ``); a rank of reported values is plain text."""
    if not illustrative or text in ("", "–"):
        return Html(escape(text))
    m, title = provenance.MARKS[lang]["illustrative"], provenance.LEGEND[lang]["illustrative"]
    return Html(
        f'<span class="fig fig-rank">{escape(text)}<sup class="mark" title="{escape(title)}">'
        f"{escape(m)}</sup></span>"
    )


def inferred_html(text: str, lang: str = "vi") -> Html:
    """A period or date that is our inference (``2021–2025, tính đến khi bài viết được đăng``) with
    the mark ``s`` the figures it dates carry."""
    m, title = provenance.MARKS[lang]["inferred"], provenance.LEGEND[lang]["inferred"]
    return Html(
        f'<span class="fig fig-period">{escape(text)}<sup class="mark" title="{escape(title)}">'
        f"{escape(m)}</sup></span>"
    )


def format_published(catalogue: Catalogue, row, lang: str = "vi", with_unit: bool = False) -> str:
    """A published value exactly as published: its own decimals (``99,75%``, ``98,1%``), never re-rounded
    to the catalogue's; money rounded to the thousand million is said ``21 tỷ đồng``; with its unit,
    a count in the source's own words (``4.489 đảng viên`` where it says so, not ``lượt``)."""
    d = int(row.decimals)
    item = catalogue.indicator(row.code) if row.figure_type == "indicator" else catalogue.element(row.code)
    unit = item.unit(lang)
    stated = str(getattr(row, "unit_stated", "") or "").strip() if lang == "vi" else ""
    if row.code.endswith("_tien") and with_unit:
        return fmt.money_vnd_million(float(row.value), lang)
    if unit == "%":
        return (
            fmt.percent(float(row.value), max(d, 0), lang)
            if with_unit
            else fmt.number(float(row.value), max(d, 0), lang)
        )
    if with_unit and stated and not stated.startswith("/") and stated != "%":
        unit = stated
    return (
        fmt.with_unit(float(row.value), unit, max(d, 0), lang)
        if with_unit
        else fmt.number(float(row.value), max(d, 0), lang)
    )


def figure_label(catalogue: Catalogue, figure_type: str, code: str, category: str, lang: str = "vi") -> str:
    """The name of a figure (``figure_type``: ``indicator`` or ``element``), with its category."""
    item = catalogue.indicator(code) if figure_type == "indicator" else catalogue.element(code)
    label = item.name(lang)
    el = catalogue.element(item.numerator) if figure_type == "indicator" else item
    if category and el.category_set:
        label += " — " + catalogue.categories[el.category_set].option(category).short(lang)
    return label


def chart_label(value: float, decimals: int, lang: str, suffix: str) -> str:
    """The text a chart writes for a value (as baocao.reports.charts does: Vietnamese number + suffix)."""
    return fmt.with_unit(value, suffix, decimals, lang)


def mark_chart(ctx: Context, figure, labels: list[tuple], note: str = "", target=None):
    """Provenance on a chart: every value label that shows one of ``labels`` — (chart text,
    figure) or (chart text, figure, data coordinates of the labelled point, e.g. (year, value)) —
    is rewritten as the figure (the published text where published) with its mark, and one line
    under the chart says what the marks mean. Only the labels' text changes, and the chart's alt
    text says what the labels say (``80,59%`` where the label is the published ``80,59%``, not
    the ``80,60%`` the chart computed).

    Labels with the same text (235 conferences in 2023 and in 2024) are told apart by the
    point they label; if that cannot decide, the weaker claim wins (illustrative). ``target``: the
    indicator whose target the chart draws; an illustrative one is labelled so, with its mark. A
    partial figure among them (:attr:`Fig.coverage`) is named in that line with how many units
    reported.

    ``figure`` may be a :class:`~baocao.reports.charts.NoChart` (too few values to draw): its
    sentence's values get their marks the same way."""
    from matplotlib.text import Annotation, Text

    from baocao.reports.charts import NoChart

    wanted: dict[str, list[tuple[str, str, tuple, str]]] = {}
    present = set()
    partial: dict[str, None] = {}
    for entry in labels:
        text, f = entry[0], entry[1]
        if f.coverage:
            about = dict(f.about)
            partial[f"{about.get('unit-name', '')} {about.get('period', '')}: {f.coverage}".strip()] = None
        at = tuple(entry[2]) if len(entry) > 2 and entry[2] is not None else ()
        present.add(f.provenance)
        if f.inferred:
            present.add("inferred")
        unit = "%" if text.endswith("%") and not f.text.endswith("%") else ""  # the chart's own suffix
        shown = f.text + unit
        wanted.setdefault(text, []).append(
            (
                ctx.marked(Fig(shown, f.provenance, f.pub_id, f.value, inferred=f.inferred)),
                f.provenance,
                at,
                shown,
            )
        )
    if isinstance(figure, NoChart):
        return figure.marked(wanted, list(partial))
    artists = []
    for ax in figure.axes:
        artists += list(ax.texts)
        leg = ax.get_legend()
        if leg is not None:
            artists += list(leg.get_texts())
    for a in artists:
        if not isinstance(a, Text):
            continue
        s_ = a.get_text()
        for old, options in wanted.items():
            if not (s_ == old or s_.endswith(": " + old) or s_.endswith("\n" + old)):
                continue
            choice = options
            if len({o[0] for o in options}) > 1 and isinstance(a, Annotation):
                xy = [float(v) for v in a.xy]
                near = [
                    o
                    for o in options
                    if o[2] and all(any(abs(c - v) <= 1e-6 * max(1.0, abs(c)) for v in xy) for c in o[2])
                ]
                choice = near or options
            new = max(choice, key=lambda o: provenance.PROVENANCES.index(o[1]))[0]
            a.set_text(s_[: len(s_) - len(old)] + new)
            break
    _mark_alt(figure, wanted)
    if target is not None and target.target is not None and target.target_illustrative:
        present.add("illustrative target")
        _mark_target_line(ctx, figure, artists)
    legend_items = [
        f"{superscript(m) if m != '1, 2, …' else '¹ ² …'} {text}"
        for m, text in provenance.legend(present, ctx.lang)
    ]
    line = " · ".join([*legend_items, *partial]) + (f" · {note}" if note else "")
    _add_footer_line(figure, line)
    return figure


def _mark_target_line(ctx: Context, figure, artists) -> None:
    """The target line of a chart labelled as an illustrative target, with its mark: ``Chỉ tiêu minh
    họa 95%ᵐʰ`` (the chart's legend and its alt text)."""
    import re

    from baocao.reports.chart_image import ALT
    from baocao.reports.chart_parts import WORDS

    word = WORDS[ctx.lang]["target"]
    example = ctx.in_lang("Chỉ tiêu minh họa", "Illustrative target")
    m = superscript(provenance.MARKS[ctx.lang]["illustrative target"])
    ctx.shown.add("illustrative target")
    for a in artists:
        text = a.get_text()
        hit = re.match(rf"{re.escape(word)} ([\d.,]+%?)(.*)$", text, re.S)
        if hit:
            a.set_text(f"{example} {hit.group(1)}{m}{hit.group(2)}")
    alt = getattr(figure, ALT, "")
    if alt:
        setattr(figure, ALT, alt.replace(f"{word.lower()} ", f"{example.lower()} "))


def _mark_alt(figure, wanted: dict) -> None:
    """The chart's alt text (and so the Word caption) shows its figures as its labels now do: the
    published text with its mark (``98,1%¹²``, not ``98,10%``). Texts that stand for several
    figures are told apart by the year after them (``235 năm 2024``), else the weaker claim wins."""
    import re

    from baocao.reports.chart_image import ALT

    alt = getattr(figure, ALT, "")
    if not alt or not wanted:
        return
    olds = sorted(wanted, key=len, reverse=True)
    pattern = re.compile(
        r"(?<![\d.,])(" + "|".join(map(re.escape, olds)) + r")(?![\d%]|[.,]\d)(?=(\s+(?:năm|in)\s+(\d{4}))?)"
    )

    def repl(m: re.Match) -> str:
        options = wanted[m.group(1)]
        if len({o[0] for o in options}) > 1 and m.group(3):
            options = [o for o in options if o[2] and int(o[2][0]) == int(m.group(3))] or options
        return max(options, key=lambda o: provenance.PROVENANCES.index(o[1]))[0]

    setattr(figure, ALT, pattern.sub(repl, alt))


def _add_footer_line(figure, text: str, height: float = 0.32) -> None:
    """Grow the figure at the bottom by ``height`` inches and write
    ``text`` there; the axes keep their size.
    """
    import textwrap

    lines = textwrap.wrap(text, 120)
    dh = height * max(1, len(lines))
    w, h = figure.get_size_inches()
    for ax in figure.axes:
        x0, y0, ww, hh = ax.get_position().bounds
        ax.set_position([x0, (y0 * h + dh) / (h + dh), ww, hh * h / (h + dh)])
    for txt in figure.texts:  # suptitle and other figure texts: keep their distance from the top
        x, y = txt.get_position()
        txt.set_y((y * h + dh) / (h + dh))
    figure.set_size_inches(w, h + dh)
    figure.text(
        0.01,
        0.12 * height / (h + dh),
        "\n".join(lines),
        ha="left",
        va="bottom",
        fontsize=8.5,
        color="#262626",
    )
