"""The break of 1 July 2025 as the pages show it, and what a new commune was formed from.

- every **table** of years has two column groups, the years re-expressed from the old communes
  (legacy list) and the years the new units reported (2025 list), and a rule between them
  (:func:`break_table`);
- every **chart** over years has a vertical line between 2024 and 2025, labelled with the date
  and what happened, the re-expressed part dashed with open dots and the reported part solid, not
  joined across the line (:func:`trend_across`, :func:`baocao.reports.charts.trend`);
- the note on 2025 (the whole year reported by the new units: :func:`baocao.data.unit_lists.reform_note`);
- a new commune's old communes, whether its history is approximate (a divided old commune), and
  what could not be carried over, as the crosswalk says (:mod:`baocao.data.crosswalk`).
"""

from __future__ import annotations

import calendar

import numpy as np
import pandas as pd

from baocao.data import unit_lists
from baocao.data.crosswalk import split_text, unit_name
from baocao.data.units import crosswalk_2025, legacy
from baocao.reports.kit import Chart, Html, esc, html_table, shown
from baocao.reports.two_level.context import HISTORY, LAST_HISTORY_YEAR, TwoLevelContext, part

RULE = "border-left:2px solid #666666"  # the rule between the two sides of the break (inline: the page's
# stylesheet is every report's, and the pages of the other kinds keep their bytes)


def break_label(lang: str) -> str:
    """``1/7/2025: sắp xếp đơn vị hành chính`` (the date from :data:`baocao.data.unit_lists.REFORM_DATE`)."""
    d = unit_lists.REFORM_DATE
    if lang == "vi":
        return f"{d.day}/{d.month}/{d.year}: sắp xếp đơn vị hành chính"
    return f"{d.day} {calendar.month_name[d.month]} {d.year}: administrative units reorganised"


def side_words(lang: str) -> tuple[str, str]:
    """What the two sides of the break are, short (chart legends)."""
    if lang == "vi":
        return "tính lại từ các xã cũ", "xã, phường mới báo cáo"
    return "re-expressed from the old communes", "reported by the new communes"


def group_words(lang: str) -> tuple[str, str]:
    """The two column groups of a table, with their unit lists."""
    if lang == "vi":
        return "Tính lại từ các xã cũ (danh mục cũ)", "Xã, phường mới báo cáo (danh mục 2025)"
    return "Re-expressed from the old communes (legacy list)", "Reported by the new communes (2025 list)"


def reform_note(ctx: TwoLevelContext) -> Html:
    """What the pages say about 2025 when the report shows it: the whole year, reported by the new units."""
    first = unit_lists.FIRST_NEW_YEAR
    if first not in ctx.years:
        return Html("")
    head = ctx.in_lang(f"Năm {first}.", f"{first}.")
    return Html(
        f'<p class="reform-note" role="note"><strong>{esc(head)}</strong> '
        f"{esc(unit_lists.reform_note(first, ctx.lang))}</p>"
    )


def break_caption(ctx: TwoLevelContext) -> str:
    """The sentence under a table's caption saying where the rule is and what each side is."""
    before, after = group_words(ctx.lang)
    return ctx.in_lang(
        f"Đường kẻ đậm: {break_label('vi')}; bên trái: {before.lower()}; bên phải: {after.lower()}. "
        "–: không có số liệu.",
        f"Heavy rule: {break_label('en')}; left: {before.lower()}; right: {after.lower()}. –: no data.",
    )


def break_table(df: pd.DataFrame, labels: list[str], years: list[int], lang: str, caption: str = "") -> Html:
    """A table of ``labels`` columns then one column per year (named ``str(year)``, texts), the years
    grouped by their side of the break under a heading of their own, a rule between the groups."""
    before = [y for y in years if part(y) == HISTORY]
    after = [y for y in years if part(y) != HISTORY]
    words = group_words(lang)

    def cell(tag: str, text, year=None, extra: str = "") -> str:
        num = " class=num" if year is not None else ""
        rule = f' style="{RULE}"' if year is not None and after and year == after[0] else ""
        return f"<{tag}{num}{rule}{extra}>{esc('' if text is None else text)}</{tag}>"

    groups = f'<th colspan="{len(labels)}"></th>' if labels else ""
    if before:
        groups += f'<th class=num colspan="{len(before)}">{esc(words[0])}</th>'
    if after:
        rule = f' style="{RULE}"'
        groups += f'<th class=num colspan="{len(after)}"{rule}>{esc(words[1])}</th>'
    head = "".join(cell("th", c) for c in labels) + "".join(cell("th", y, y) for y in years)
    body = "".join(
        "<tr>"
        + "".join(cell("td", row[c]) for c in labels)
        + "".join(cell("td", row[str(y)] or "–", y) for y in years)
        + "</tr>"
        for _, row in df.iterrows()
    )
    cap = f"<caption>{esc(caption)}</caption>" if caption else ""
    return Html(
        f'<table class="data">{cap}<thead><tr>{groups}</tr><tr>{head}</tr></thead>'
        f"<tbody>{body}</tbody></table>"
    )


def one_point(ctx: TwoLevelContext, code: str, df: pd.DataFrame, where: str) -> Html:
    """A series of fewer than two values as a sentence instead of a chart (no line to draw)."""
    ind = ctx.cat.indicator(code)
    have = df.dropna(subset=["value"])
    if have.empty:
        text = ctx.in_lang(
            f"{ind.name('vi')} — {where}: không có số liệu.", f"{ind.name('en')} — {where}: no data."
        )
    else:
        y, v = int(have["year"].iloc[0]), float(have["value"].iloc[0])
        text = ctx.in_lang(
            f"{ind.name('vi')} — {where}: chỉ có số liệu năm {y} ({ctx.fmt(code, v)}), chưa đủ để vẽ xu "
            "hướng.",
            f"{ind.name('en')} — {where}: only {y} has a value ({ctx.fmt(code, v)}), too little for a trend.",
        )
    return Html(f"<p>{esc(text)}</p>")


def trend_across(ctx: TwoLevelContext, code: str, unit: str | None = None, where: str = "") -> Chart | Html:
    """One indicator of ``unit`` (default: the report's) over the history years and the reported years,
    the break of 1 July 2025 drawn; a sentence when it has fewer than two values."""
    from baocao.reports import charts  # matplotlib: only when a chart is drawn

    unit = unit or ctx.unit.code
    where = where or ctx.unit.label(ctx.lang)
    years = ctx.years
    df = pd.DataFrame({"year": years, "value": [ctx.value(code, unit, y) for y in years]})
    if df["value"].notna().sum() < 2:
        return one_point(ctx, code, df, where)
    ind = ctx.cat.indicator(code)
    sides = side_words(ctx.lang)
    has_before = df.loc[df["year"] <= LAST_HISTORY_YEAR, "value"].notna().any()
    return shown(
        charts.trend(
            df,
            title=f"{ind.name(ctx.lang)} ({ind.unit(ctx.lang)}) — {where}",
            value_label=ind.unit(ctx.lang),
            decimals=ind.decimals,
            lang=ctx.lang,
            suffix="%" if ind.unit_vi == "%" else "",
            break_after=LAST_HISTORY_YEAR,
            break_label=break_label(ctx.lang),
            parts=(sides[0] if has_before else "", sides[1]),
        )
    )


def old_communes(code: str) -> list[str]:
    """The legacy communes a 2025 commune was formed from (with a share of it), by the crosswalk."""
    cw = crosswalk_2025()
    return sorted(set(cw.loc[(cw["new_code"] == code) & (cw["share"] > 0), "old_code"]))


def formation(ctx: TwoLevelContext) -> Html:
    """The old communes the new one was formed from (crosswalk of the vietnamadminunits package)."""
    old = legacy()
    codes = old_communes(ctx.unit.code)
    rows = [
        {
            ctx.in_lang("Mã cũ", "Old code"): c,
            ctx.in_lang("Xã, thị trấn cũ", "Old commune"): old.unit(c).name,
            ctx.in_lang("Huyện cũ", "Old district"): old.unit(old.unit(c).parent).name,
            ctx.in_lang("Tỉnh cũ", "Old province"): old.unit(old.unit(c).province).name,
        }
        for c in codes
    ]
    names = ", ".join(f"{old.unit(c).name} ({c})" for c in codes)
    text = ctx.in_lang(
        f"{ctx.unit.name} (mã {ctx.unit.code} trong danh mục mới) được thành lập từ {len(codes)} đơn vị cũ: "
        f"{names}.",
        f"{ctx.unit.label('en')} (code {ctx.unit.code} in the new list) was formed from {len(codes)} old "
        f"units: {names}.",
    )
    if ctx.unit.code in codes:
        text += ctx.in_lang(
            f" Mã {ctx.unit.code} của danh mục mới trùng số với mã cũ của {old.unit(ctx.unit.code).name}: mã "
            "chỉ có nghĩa cùng với danh mục của nó.",
            f" Code {ctx.unit.code} of the new list is the number of the old {old.unit(ctx.unit.code).name}: "
            "a code only means something with its list.",
        )
    return Html(f"<p>{esc(text)}</p>" + html_table(pd.DataFrame(rows), numeric=[]))


def approximation(ctx: TwoLevelContext) -> Html:
    """Whether the re-expressed values are exact sums or approximate (a divided old commune)."""
    cw = crosswalk_2025()
    mine = cw[cw["new_code"] == ctx.unit.code]
    if bool(mine["approximate"].any()):
        divided = split_text(cw, ctx.unit.code, legacy(), ctx.dataset.registry)
        text = ctx.in_lang(
            "XẤP XỈ: một xã cũ bị chia cho nhiều xã mới. Quy tắc: toàn bộ giá trị của xã cũ đó được tính "
            f"cho xã mới mặc định của bảng chuyển đổi, các xã mới khác không nhận phần nào. {divided}.",
            "APPROXIMATE: an old commune was divided between several new ones. Rule: its whole value goes "
            f"to the crosswalk's default new commune, the others get none. {divided}.",
        )
        head, rest = text.split(":", 1)
        return Html(f'<p class="approximate" role="note"><strong>{esc(head)}:</strong>{esc(rest)}</p>')
    text = ctx.in_lang(
        "Không xấp xỉ: mọi xã cũ hợp thành được nhập nguyên vẹn vào xã mới này, nên số liệu cộng được là "
        "tổng đúng của các xã cũ; thu nhập bình quân là bình quân gia quyền theo dân số.",
        "Not approximate: every old commune went whole into this new commune, so counts are exact sums of "
        "the old communes; income per capita is the population-weighted mean.",
    )
    return Html(f'<p class="approximate">{esc(text)}</p>')


def history_sentence(ctx: TwoLevelContext) -> Html:
    """Where the history comes from, or that there is none for this commune, and why."""
    old = legacy()
    codes = old_communes(ctx.unit.code)
    folders = ", ".join(ctx.history.folders)
    if ctx.history_years:
        span = f"{ctx.history_years[0]}–{ctx.history_years[-1]}"
        text = ctx.in_lang(
            f"Lịch sử {span} là số liệu của {len(codes)} xã cũ hợp thành {ctx.unit.name}, tính lại theo bảng "
            f"chuyển đổi (số liệu cũ: {folders}).",
            f"The {span} history is the data of the {len(codes)} old communes {ctx.unit.label('en')} was "
            f"formed from, re-expressed through the crosswalk (legacy data: {folders}).",
        )
    elif folders:
        names = ", ".join(f"{old.unit(c).name} ({c})" for c in codes)
        text = ctx.in_lang(
            f"Chưa có lịch sử trước 1/7/2025: số liệu cũ ({folders}) không có các xã cũ hợp thành "
            f"{ctx.unit.name} ({names}); chỉ có số liệu xã mới báo cáo.",
            f"No history before 1 July 2025: the legacy data ({folders}) hold none of the old communes "
            f"{ctx.unit.label('en')} was formed from ({names}); only the new commune's reported figures.",
        )
    else:
        text = ctx.in_lang(
            f"Chưa có lịch sử trước 1/7/2025: {ctx.data_dir}/dataset.yaml không nêu thư mục số liệu cũ nào "
            "(history).",
            f"No history before 1 July 2025: {ctx.data_dir}/dataset.yaml names no legacy data folder "
            "(history).",
        )
    return Html(f"<p>{esc(text)}</p>")


def not_reexpressed(ctx: TwoLevelContext) -> Html:
    """What the old units recorded that this commune's history does not carry, and why."""
    old = legacy()
    codes = old_communes(ctx.unit.code)
    districts = {old.unit(c).parent for c in codes}
    d = ctx.history.report.not_reexpressed
    scope = d[d["unit"].isin(codes) | d["unit"].isin(districts) | (d["new_code"] == ctx.unit.code)]
    if scope.empty:
        text = (
            ctx.in_lang(
                "Mọi số liệu của các xã cũ đều được chuyển sang xã mới.",
                "Every figure of the old communes is carried over.",
            )
            if ctx.history_years
            else ctx.in_lang("Không có số liệu cũ để chuyển.", "There are no legacy figures to carry over.")
        )
        return Html(f"<p>{esc(text)}</p>")
    rows = []
    for (reason, element), g in scope.groupby(["reason", "element"], sort=True):
        units = ", ".join(
            dict.fromkeys(f"{unit_name(old, u)} ({u})" for u in g["unit"] for u in u.split(","))
        )
        first = g.iloc[0]
        rows.append(
            {
                ctx.in_lang("Chỉ tiêu", "Element"): ctx.cat.element(element).name(ctx.lang) + f" ({element})",
                ctx.in_lang("Đơn vị ghi số liệu", "Recorded for"): units,
                ctx.in_lang("Năm", "Years"): ", ".join(str(y) for y in sorted(set(g["year"]))),
                ctx.in_lang("Lý do", "Reason"): first["reason_vi"]
                if ctx.lang == "vi"
                else first["reason_en"],
            }
        )
    text = ctx.in_lang(
        "Các số liệu sau không chuyển được sang xã mới và không có trong lịch sử ở trên:",
        "These figures cannot be carried over to the new commune and are not in the history above:",
    )
    return Html(f"<p>{esc(text)}</p>" + html_table(pd.DataFrame(rows)))


def row_label(ctx: TwoLevelContext, code: str) -> str:
    """An indicator's name and unit as a table's row by year says it; a stock (funds active, money
    raised to date, communes at a standard) is counted to the end of each year, not over it."""
    ind = ctx.cat.indicator(code)
    label = f"{ind.name(ctx.lang)} ({ind.unit(ctx.lang)})"
    if ctx.cat.is_stock(code):
        label += ctx.in_lang(", tính đến cuối mỗi năm", ", at the end of each year")
    return label


def value_text(ctx: TwoLevelContext, code: str, value: float) -> str:
    """A value as a table shows it (no unit), ``""`` for none."""
    return "" if np.isnan(value) else ctx.fmt(code, value, with_unit=False)
