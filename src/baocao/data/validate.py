"""Domain validation rules (the rule table in ``data/catalogue/rules.csv``).

A rule compares two sides (data elements or numbers) with an operator for every unit,
year and category where the left side is present, e.g. ``hn_luot_dv <= hn_dv_phai_du``.
"""

from __future__ import annotations

import operator

import pandas as pd

from baocao.data.catalogue import Catalogue, Rule
from baocao.data.observations import problem, problems_frame

_OPS = {
    "<=": operator.le,
    "<": operator.lt,
    ">=": operator.ge,
    ">": operator.gt,
    "==": operator.eq,
    "!=": operator.ne,
}


def _side(obs: pd.DataFrame, side: str) -> pd.DataFrame | float:
    try:
        return float(side)
    except ValueError:
        return obs.loc[obs["element"] == side, ["file", "line", "unit", "year", "category", "value"]]


def check_rule(obs: pd.DataFrame, rule: Rule) -> list[dict]:
    """Problems for one rule; each names the file and line of the left-hand value."""
    left, right = _side(obs, rule.left), _side(obs, rule.right)
    if isinstance(left, float):
        left, right, flip = right, left, True  # number on the left: evaluate mirrored
    else:
        flip = False
    if isinstance(left, float) or left.empty:
        return []
    if isinstance(right, float):
        merged = left.assign(value_r=right, line_r="")
    else:
        r = right.rename(columns={"value": "value_r", "line": "line_r", "file": "file_r"})
        exact = left.merge(r, on=["unit", "year", "category"], how="inner")
        # a side without categories applies to every category of the other side
        loose = left.merge(r[r["category"] == ""].drop(columns="category"), on=["unit", "year"], how="inner")
        loose = loose[loose["category"] != ""]
        merged = pd.concat([exact, loose], ignore_index=True)
    op = _OPS[rule.operator]
    out = []
    for row in merged.itertuples(index=False):
        a, b = (row.value_r, row.value) if flip else (row.value, row.value_r)
        if pd.isna(a) or pd.isna(b) or op(a, b):
            continue
        where = f"{row.unit}/{row.year}" + (f"/{row.category}" if row.category else "")
        out.append(
            problem(
                row.file,
                row.line,
                "value",
                rule.id,
                f"{_fmt(a)} {rule.operator} {_fmt(b)}",
                f"{rule.description_vi} ({where}: {rule.left} = {_fmt(a)}, {rule.right} = {_fmt(b)})",
                f"{rule.description_en} ({where}: {rule.left} = {_fmt(a)}, {rule.right} = {_fmt(b)})",
                rule.importance,
            )
        )
    return out


def check_rules(obs: pd.DataFrame, catalogue: Catalogue) -> pd.DataFrame:
    """Problems for every rule. Rows of a period (``period`` column, e.g. ``2021-2025``) are
    compared with rows of the same period only, never with a year's."""
    if "period" in obs.columns and (obs["period"] != "").any():
        obs = obs.assign(year=[p or y for p, y in zip(obs["period"], obs["year"])])
    rows = []
    for rule in catalogue.rules:
        rows.extend(check_rule(obs, rule))
    return problems_frame(rows)


def has_blocking(problems: pd.DataFrame) -> bool:
    return bool((problems["importance"] == "blocking").any()) if len(problems) else False


def _fmt(v) -> str:
    return str(int(v)) if float(v).is_integer() else f"{v:g}"
