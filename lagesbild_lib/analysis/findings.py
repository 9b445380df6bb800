"""Auto-drafted key findings of the crime chapter, in Swedish, from the same numbers as its tables."""

from __future__ import annotations

import pandas as pd

from lagesbild_lib.analysis import disclosure
from lagesbild_lib.present.fmt import fmt_int, fmt_num, fmt_pct, fmt_signed_int
from lagesbild_lib.analysis.stats import poisson_change_test
from lagesbild_lib.present.text import change_wording, few_cases_caveat, in_sentence, trend_sentence


def _change_clause(row) -> str:
    test = poisson_change_test(int(row.before), int(row.after))
    pct = f", {fmt_pct(test.pct, decimals=0, signed=True)}" if test.pct is not None else ""
    clause = f"från {fmt_int(test.before)} till {fmt_int(test.after)} anmälda brott ({fmt_signed_int(test.diff)}{pct}); förändringen är {change_wording(test.significant)}"
    caveat = few_cases_caveat(row.label, test)
    return clause + (". " + caveat if caveat else ".")


def compstat_findings(table: pd.DataFrame, year: int, suppress_below: int = 0) -> list[str]:
    """Largest increase and decrease, in number and in percent, each with its significance wording.

    Categories with a count masked by ``suppress_below`` are left out (their change would show it).
    """
    found: list[str] = []
    if disclosure.active(suppress_below):
        table = table[~disclosure.masked_rows(table, ["before", "after"], suppress_below)]
    if table.empty:
        return found
    by_diff = table.sort_values(["diff", "label"], ascending=[False, True])
    up, down = by_diff.iloc[0], by_diff.iloc[-1]
    if up["diff"] > 0:
        found.append(f"Den största ökningen i antal mot {year - 1} gäller {in_sentence(up['label'])}: {_change_clause(up)}")
    if down["diff"] < 0:
        found.append(f"Den största minskningen i antal gäller {in_sentence(down['label'])}: {_change_clause(down)}")
    with_pct = table[table["pct"].notna()].sort_values(["pct", "label"], ascending=[False, True])
    if not with_pct.empty:
        top, low = with_pct.iloc[0], with_pct.iloc[-1]
        if top["pct"] > 0 and top["category"] != up["category"]:
            found.append(f"Den största ökningen i procent gäller {in_sentence(top['label'])}: {_change_clause(top)}")
        if low["pct"] < 0 and low["category"] != down["category"]:
            found.append(f"Den största minskningen i procent gäller {in_sentence(low['label'])}: {_change_clause(low)}")
    return found


def trend_findings(frame: pd.DataFrame) -> list[str]:
    """"<Kategori> har minskat/ökat varje år sedan <år>." for the categories where it is true."""
    return [s for s in (trend_sentence(label, frame[label].to_dict()) for label in frame.columns) if s]


def concentration_finding(table: pd.DataFrame, what: str, period: str, suppress_below: int = 0) -> str:
    """The sub-area with the most crimes of ``what`` (and its rate where population is known);
    a count masked by ``suppress_below`` is written "färre än N", without its rate."""
    if table.empty or table["count"].max() == 0:
        return ""
    top = table.iloc[0]
    masked = disclosure.is_masked(top["count"], suppress_below)
    rate = f", {fmt_num(top['rate'], 1)} per 1 000 invånare" if pd.notna(top.get("rate")) and not masked else ""
    return f"Flest {what} {period} anmäldes i {top['name']} ({disclosure.count_words(top['count'], suppress_below)}{rate})."
