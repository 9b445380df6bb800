"""Auto-drafted key findings of the crime chapter, in Swedish, from the same numbers as its tables."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import pandas as pd

from lagesbild_lib.analysis import breaks as series_breaks, disclosure
from lagesbild_lib.present.fmt import fmt_int, fmt_num, fmt_pct, fmt_signed_int
from lagesbild_lib.analysis.stats import poisson_change_test
from lagesbild_lib.analysis.trend import poisson_trend
from lagesbild_lib.present.text import capitalise, count_of, few_cases_caveat, in_sentence, monotone_since, plural, trend_sentence
from lagesbild_lib.params import SeriesBreak


def _change_clause(row, test) -> str:
    """"från 498 till 644 anmälda brott (+146, +29 %)", and the few-case caveat when it applies."""
    pct = f", {fmt_pct(test.pct, decimals=0, signed=True)}" if test.pct is not None else ""
    clause = f"från {fmt_int(test.before)} till {fmt_int(test.after)} anmälda brott ({fmt_signed_int(test.diff)}{pct})"
    caveat = few_cases_caveat(row.label, test)
    return clause + (". " + caveat if caveat else ".")


def compstat_findings(table: pd.DataFrame, year: int, suppress_below: int = 0, breaks: Sequence[SeriesBreak] = ()) -> list[str]:
    """What the CompStat comparison shows with evidence: the largest statistically significant
    increase and decrease (by the absolute change, never by the relative one), or that there is
    none, and how many categories changed significantly. A change that is not significant is
    never promoted to a finding.

    Categories with a count masked by ``suppress_below`` are left out (their change would show it).
    A finding on a category with a series break this year (params ``series_breaks``) says so.
    """
    found: list[str] = []
    if disclosure.active(suppress_below):
        table = table[~disclosure.masked_rows(table, ["before", "after"], suppress_below)]
    if table.empty:
        return found
    tests = [poisson_change_test(int(b), int(a)) for b, a in zip(table["before"], table["after"])]
    rows = table.assign(_diff=[t.diff for t in tests], _significant=[t.significant for t in tests], _test=tests)
    for increase in (True, False):
        moved = rows[rows["_significant"] & ((rows["_diff"] > 0) if increase else (rows["_diff"] < 0))]
        word = "ökningen" if increase else "minskningen"
        if moved.empty:
            if (rows["_diff"] > 0).any() if increase else (rows["_diff"] < 0).any():
                found.append(f"Ingen brottskategori har {'ökat' if increase else 'minskat'} statistiskt säkerställt mot {year - 1}.")
            continue
        top = moved.assign(_size=moved["_diff"].abs()).sort_values(["_size", "label"], ascending=[False, True]).iloc[0]
        crossed = series_breaks.crossing(series_breaks.of_category(breaks, top.get("category")), year - 1, year)
        found.append(
            f"Den största statistiskt säkerställda {word} mot {year - 1} gäller {in_sentence(top['label'])}: "
            f"{_change_clause(top, top['_test'])}" + "".join(" " + series_breaks.note(b) for b in crossed)
        )
    up, down = int((rows["_significant"] & (rows["_diff"] > 0)).sum()), int((rows["_significant"] & (rows["_diff"] < 0)).sum())
    if up + down > 1:
        found.append(
            f"{capitalise(count_of(up + down, len(rows), 'brottskategori', 'brottskategorier'))} har förändrats statistiskt "
            f"säkerställt mot {year - 1}: {plural(up, 'ökning', words=True)} och {plural(down, 'minskning', words=True)}."
        )
    return found


def trend_findings(frame: pd.DataFrame, breaks: Mapping[str, Sequence[SeriesBreak]] | None = None) -> list[str]:
    """"<Kategori> har minskat/ökat varje år sedan <år>." for the categories where it is true and
    the multi-year trend (Poisson regression) is statistically significant in that direction.

    ``breaks`` (per column label) cut a series: the statement and its test cover only the years
    since the last break, and the sentence names the break."""
    found = []
    for label in frame.columns:
        cut = (breaks or {}).get(label, [])
        series, since = series_breaks.unbroken_part(frame[label].to_dict(), [b.year for b in cut])
        sentence = trend_sentence(label, series)
        if not sentence:
            continue
        # "har ökat/minskat" is a statement of change: only when the trend test agrees (DESIGN §8)
        trend = poisson_trend(series)
        rising = monotone_since(series)[0] == "ökat"
        if trend is not None and trend.significant and (trend.yearly_pct > 0) == rising:
            named = " ".join(series_breaks.note(b) for b in cut if b.year == since) if since else ""
            found.append(sentence + (" Trenden bygger på få fall." if trend.few_cases else "") + (" " + named if named else ""))
    return found


def concentration_finding(table: pd.DataFrame, what: str, period: str, suppress_below: int = 0) -> str:
    """The sub-area with the most crimes of ``what`` (and its rate where population is known);
    a count masked by ``suppress_below`` is written "färre än N", without its rate."""
    if table.empty or table["count"].max() == 0:
        return ""
    top = table.iloc[0]
    masked = disclosure.is_masked(top["count"], suppress_below)
    rate = f", {fmt_num(top['rate'], 1)} per 1 000 invånare" if pd.notna(top.get("rate")) and not masked else ""
    return f"Flest {what} {period} anmäldes i {top['name']} ({disclosure.count_words(top['count'], suppress_below)}{rate})."
