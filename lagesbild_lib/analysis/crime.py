"""Crime counts for an area: the year-to-date CompStat comparison and yearly series.

A crime belongs to its area and every ancestor (DESIGN §6), so an area's crimes are those of
every area below it. Functions take DataFrames and return DataFrames; nothing here reads files.
"""

from __future__ import annotations

import datetime as dt

import pandas as pd

from lagesbild_lib.data.areas import AreaRegistry
from lagesbild_lib.params import parse_period_end
from lagesbild_lib.analysis.stats import poisson_change_test
from lagesbild_lib.present.fmt import MONTHS_SHORT


def area_crimes(crimes: pd.DataFrame, registry: AreaRegistry, area_id: str) -> pd.DataFrame:
    """The crimes reported in ``area_id`` or any area below it."""
    return crimes[crimes["area_id"].isin(registry.descendants(area_id))]


def same_period(year: int, period_end: dt.date) -> tuple[pd.Timestamp, pd.Timestamp]:
    """1 January to ``period_end``'s month and day in ``year`` (29 Feb → 28 Feb in other years)."""
    end = parse_period_end(period_end.strftime("%m-%d"), year)
    return pd.Timestamp(year, 1, 1), pd.Timestamp(end)


def period_words(period_end: dt.date) -> str:
    """The span compared in every year, in words without a year: ``"1 jan–31 okt"``."""
    return f"1 jan–{period_end.day} {MONTHS_SHORT[period_end.month - 1]}"


def dated_in_period(frame: pd.DataFrame, column: str, year: int, period_end: dt.date) -> pd.DataFrame:
    """The rows of ``frame`` whose date in ``column`` is from 1 January to the period end of ``year``
    (e.g. critical events by ``event_date``)."""
    start, end = same_period(year, period_end)
    dates = frame[column]
    return frame[(dates >= start) & (dates <= end)]


def period_counts(crimes: pd.DataFrame, year: int, period_end: dt.date) -> pd.Series:
    """Crimes per category from 1 January to the period end of ``year``."""
    start, end = same_period(year, period_end)
    dates = crimes["reported_date"]
    return crimes.loc[(dates >= start) & (dates <= end), "category"].value_counts()


def compstat_table(
    crimes: pd.DataFrame, categories: pd.DataFrame, year: int, period_end: dt.date, population: int | None = None
) -> pd.DataFrame:
    """The CompStat comparison: this year's period against the same period last year.

    Parameters
    ----------
    crimes
        The area's crimes (``reported_date``, ``category``).
    categories
        The ``crime_categories`` table; only categories with ``compstat`` true are shown.
    year, period_end
        The report year and the last day of its period.
    population
        The area's population this year, for the rate per 1 000 inhabitants (None: no rate).

    Returns
    -------
    DataFrame with one row per category, in group order: group, category, label, before, after,
    diff, pct (None when before is 0), p_value, significant, few_cases, rate (per 1 000, or NaN).
    """
    chosen = categories[categories["compstat"].fillna(False).astype(bool)]
    before = period_counts(crimes, year - 1, period_end)
    after = period_counts(crimes, year, period_end)
    rows = []
    for cat in chosen.itertuples(index=False):
        test = poisson_change_test(int(before.get(cat.category, 0)), int(after.get(cat.category, 0)))
        rows.append(
            {
                "group": cat.group,
                "category": cat.category,
                "label": cat.label,
                "before": test.before,
                "after": test.after,
                "diff": test.diff,
                "pct": test.pct,
                "p_value": test.p_value,
                "significant": test.significant,
                "few_cases": test.few_cases,
                "rate": 1000.0 * test.after / population if population else float("nan"),
            }
        )
    frame = pd.DataFrame(rows, columns=[*COMPSTAT_COLUMNS, "rate"])
    order = {g: i for i, g in enumerate(dict.fromkeys(frame["group"]))}
    return frame.sort_values("group", key=lambda s: s.map(order), kind="stable").reset_index(drop=True)


COMPSTAT_COLUMNS = ["group", "category", "label", "before", "after", "diff", "pct", "p_value", "significant", "few_cases"]


def category_year_counts(crimes: pd.DataFrame, categories: pd.DataFrame, period_end: dt.date, years: list[int]) -> pd.DataFrame:
    """Crimes per CompStat category (by label) and year, each year cut at the same period end.

    Returns
    -------
    DataFrame indexed by year, one column per category label, in the categories' order.
    """
    chosen = categories[categories["compstat"].fillna(False).astype(bool)]
    out = {year: period_counts(crimes, year, period_end) for year in years}
    frame = pd.DataFrame(out).T.reindex(columns=list(chosen["category"])).fillna(0).astype(int)
    frame.columns = list(chosen["label"])
    frame.index.name = "År"
    return frame.sort_index()


def flagged_categories(categories: pd.DataFrame, flag: str) -> list[str]:
    """Categories whose boolean column ``flag`` (``violent``, ``intimate_partner``) is true."""
    if flag not in categories.columns:
        return []
    return list(categories.loc[categories[flag].fillna(False).astype(bool), "category"])


def yearly_counts(crimes: pd.DataFrame, categories: list[str]) -> pd.Series:
    """Crimes of the given categories per calendar year (whole years; to compare years use
    :func:`period_year_counts`, which cuts each year at the same period end)."""
    part = crimes[crimes["category"].isin(categories)]
    return part["reported_date"].dt.year.value_counts().sort_index()


def period_year_counts(crimes: pd.DataFrame, categories: list[str], period_end: dt.date, years: list[int]) -> pd.Series:
    """Crimes of the given categories per year, each year counted 1 January–period end (zeros kept).

    Returns
    -------
    Series named ``Antal``, indexed by ``years`` (index name ``År``).
    """
    part = crimes[crimes["category"].isin(categories)]
    series = pd.Series({year: len(in_period(part, year, period_end)) for year in years}, dtype="int64")
    return series.reindex(years, fill_value=0).astype(int).rename_axis("År").rename("Antal")


def data_end(crimes: pd.DataFrame) -> pd.Timestamp | None:
    """The last reported date in the crime data (to tell a partial year)."""
    return None if crimes.empty else crimes["reported_date"].max()


def period_cut_short(crimes: pd.DataFrame | None, year: int, period_end: dt.date) -> pd.Timestamp | None:
    """The last reported date when the data end inside the period 1 January–period end of ``year``
    (that year's count then covers less than the other years'); None when they cover it."""
    end = data_end(crimes) if crimes is not None else None
    start, stop = same_period(year, period_end)
    return end if end is not None and start <= end < stop else None


def in_period(crimes: pd.DataFrame, year: int, period_end: dt.date) -> pd.DataFrame:
    """The crimes reported from 1 January to the period end of ``year``."""
    return dated_in_period(crimes, "reported_date", year, period_end)


def subarea_counts(
    crimes: pd.DataFrame, registry: AreaRegistry, area_id: str, categories: list[str], year: int, period_end: dt.date
) -> pd.Series:
    """Crimes of ``categories`` in the period of ``year`` per direct sub-area of ``area_id`` (zeros kept)."""
    owner = registry.owner_map(registry.children(area_id))
    part = in_period(crimes[crimes["category"].isin(categories)], year, period_end)
    counts = part["area_id"].map(owner).value_counts()
    return counts.reindex(registry.children(area_id), fill_value=0)


def yearly_period_counts(crimes: pd.DataFrame, categories: pd.DataFrame, period_end: dt.date, years: list[int]) -> pd.DataFrame:
    """Crimes per CompStat group and year, each year cut at the same period end.

    Returns
    -------
    DataFrame indexed by year with one column per group.
    """
    groups = categories.set_index("category")["group"]
    chosen = categories.loc[categories["compstat"].fillna(False).astype(bool), "category"]
    data = crimes[crimes["category"].isin(chosen)]
    out = {}
    for year in years:
        counts = period_counts(data, year, period_end)
        out[year] = counts.groupby(groups.reindex(counts.index)).sum()
    frame = pd.DataFrame(out).T.fillna(0).astype(int)
    frame.index.name = "År"
    return frame.sort_index()
