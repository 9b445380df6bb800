"""The crime chapter on aggregated counts (``crime_counts``, e.g. from Brå) instead of row-level crimes.

The chapter's functions (:mod:`lagesbild_lib.analysis.crime`) count rows of a crimes table. When a data
folder has only counts, :func:`crimes_from_counts` turns the report area's counts into a
crimes-like frame that those functions can count: one row per counted crime, dated on the last day
of its month (monthly counts) or on 31 December (yearly counts), without coordinates. A period is
then cut at whole months: a month is counted when its last day falls within the period, the same
rule as the key figures of Sammanfattning. Yearly counts answer a period only when it is the whole
year (``period_end: "12-31"``).

An area's counts are its own rows where the table has them, otherwise the sum of its children's
(DESIGN §6). Functions take DataFrames and return DataFrames; nothing here reads files.
"""

from __future__ import annotations

import calendar
import datetime as dt
from dataclasses import dataclass

import numpy as np
import pandas as pd

from lagesbild_lib.data.areas import AreaRegistry
from lagesbild_lib.present.fmt import fmt_period
from lagesbild_lib.present.text import capitalise, number_word


@dataclass(frozen=True)
class CountsBasis:
    """How the chapter's crimes were made from ``crime_counts``, for its notes."""

    monthly: bool  # the report year is counted by month
    counted_end: dt.date  # the last day counted in the report year's period (a whole month's end)
    period_end: dt.date  # the period end asked for
    preliminary_years: tuple[int, ...]
    suppressed: int  # counts suppressed in the export ('..'), taken as 0
    sub_area_detail: bool  # counts exist below the report area, so figures per sub-area can be given


def area_counts(counts: pd.DataFrame, registry: AreaRegistry, area_id: str) -> pd.DataFrame:
    """The rows of ``crime_counts`` that make up an area's figures.

    The area's own rows where the table has any, otherwise (recursively) those of each child: so
    a kommun row and its stadsdelsområden's rows are never added together.
    """
    own = counts[counts["area_id"] == area_id]
    if not own.empty:
        return own
    parts = [area_counts(counts, registry, child) for child in registry.children(area_id)]
    parts = [p for p in parts if not p.empty]
    return pd.concat(parts) if parts else counts.iloc[0:0]


def whole_months_end(year: int, period_end: dt.date) -> dt.date | None:
    """The end of the last whole month within 1 January–``period_end`` of ``year`` (None: not even January)."""
    day = min(period_end.day, calendar.monthrange(year, period_end.month)[1])
    month = period_end.month if day == calendar.monthrange(year, period_end.month)[1] else period_end.month - 1
    if month < 1:
        return None
    return dt.date(year, month, calendar.monthrange(year, month)[1])


def crimes_from_counts(
    counts: pd.DataFrame | None, registry: AreaRegistry, area_id: str, years: list[int], period_end: dt.date, report_year: int
) -> tuple[pd.DataFrame | None, list[int], CountsBasis | None]:
    """A crimes-like frame of the area's counts, for the chapter's counting functions.

    Parameters
    ----------
    counts
        The ``crime_counts`` table (None when absent).
    registry, area_id
        The area registry and the report's area.
    years
        The years with crime data up to the report year.
    period_end
        The report's period end; earlier years are cut at the same month and day.
    report_year
        The report's year.

    Returns
    -------
    (crimes, years, basis): ``crimes`` has ``reported_date``, ``category``, ``area_id``, ``lon``
    and ``lat`` (empty) and one row per counted crime; ``years`` keeps the years whose counts
    answer the period (monthly, or yearly when the period is the whole year); ``basis`` describes
    it. ``(None, years, None)`` when the counts cannot answer the report year's period.
    """
    if counts is None or counts.empty:
        return None, years, None
    part = area_counts(counts, registry, area_id)
    part = part[part["year"] <= report_year]
    whole_year = (period_end.month, period_end.day) == (12, 31)
    has_month = part["month"].notna() if "month" in part.columns else pd.Series(False, index=part.index)
    monthly_years = set(part.loc[has_month, "year"].astype(int))
    usable = [y for y in years if y in monthly_years or whole_year]
    counted_end = whole_months_end(report_year, period_end) if report_year in monthly_years else (period_end if whole_year else None)
    if report_year not in usable or counted_end is None or (report_year - 1 in years and report_year - 1 not in usable):
        return None, years, None
    part = part[part["year"].isin(usable)]
    month = part["month"].astype("Float64").fillna(12).astype(int) if "month" in part.columns else pd.Series(12, index=part.index)
    dates = pd.to_datetime(
        pd.DataFrame({"year": part["year"].astype(int), "month": month, "day": 1})
    ) + pd.offsets.MonthEnd(0)
    repeat = part["count"].astype(int).to_numpy()
    crimes = pd.DataFrame(
        {
            "reported_date": np.repeat(dates.to_numpy(dtype="datetime64[ns]"), repeat),
            "category": np.repeat(part["category"].astype(str).to_numpy(), repeat),
            "area_id": np.repeat(part["area_id"].astype(str).to_numpy(), repeat),
        }
    )
    crimes["lon"] = np.nan
    crimes["lat"] = np.nan
    flag = lambda col: part[col].fillna(False).astype(bool) if col in part.columns else pd.Series(False, index=part.index)  # noqa: E731
    basis = CountsBasis(
        monthly=report_year in monthly_years,
        counted_end=counted_end,
        period_end=period_end,
        preliminary_years=tuple(sorted({int(y) for y in part.loc[flag("preliminary"), "year"]})),
        suppressed=int(flag("suppressed").sum()),
        sub_area_detail=bool((part["area_id"] != area_id).any()),
    )
    return crimes, usable, basis


def counts_caveat(basis: CountsBasis) -> str:
    """The sentences a table built on aggregated counts carries (Swedish)."""
    sentences = ["Antalen kommer från aggregerade antal anmälda brott (tabellen crime_counts), inte från enskilda anmälningar."]
    if basis.monthly and basis.counted_end != basis.period_end:
        start = dt.date(basis.counted_end.year, 1, 1)
        sentences.append(f"Perioden räknas i hela månader: {fmt_period(start, basis.counted_end)}.")
    if basis.preliminary_years:
        years = basis.preliminary_years
        shown = ", ".join(map(str, years[:-1])) + (" och " if len(years) > 1 else "") + str(years[-1])
        sentences.append(f"Uppgifterna för {shown} är preliminära.")
    if basis.suppressed:
        n = basis.suppressed
        sentences.append(
            f"{capitalise(number_word(n, 'ett'))} {'värde' if n == 1 else 'värden'} var "
            f"{'skyddat' if n == 1 else 'skyddade'} i källan och räknas som 0."
        )
    return " ".join(sentences)


#: The note instead of the hotspot map when the crimes are aggregated counts.
COUNTS_MAP_NOTE = "Kartan ritas inte: brotten finns bara som aggregerade antal (tabellen crime_counts), utan platser."
