"""When crimes happen: counts by weekday and hour, by time of day and by month, and the test that
tells a pattern from chance.

A pattern is named only when a chi-square goodness-of-fit test against an even spread rejects
chance (p < :data:`~lagesbild_lib.analysis.stats.ALPHA`) and the counts do not rest on few cases.
"Even" follows the calendar: a weekday that occurs 44 times in the period expects more crimes than
one that occurs 43 times, a month of 31 days more than one of 30 (and a month after the period
end of a partial year none). The few-case rule is the report's one rule
(:func:`~lagesbild_lib.analysis.stats.series_rests_on_few_cases`): fewer than ten cases per
weekday, time block or month on average.

Crimes are counted by when they happened (``occurred_at``, local time), not when they were
reported. Pure functions of DataFrames; nothing here reads files or draws.
"""

from __future__ import annotations

import calendar
import datetime as dt
from dataclasses import dataclass

import numpy as np
import pandas as pd

from lagesbild_lib.analysis.stats import ALPHA, FEW_CASES_EACH, series_rests_on_few_cases

WEEKDAYS = ("måndag", "tisdag", "onsdag", "torsdag", "fredag", "lördag", "söndag")
WEEKDAYS_PLURAL = tuple(f"{d}ar" for d in WEEKDAYS)
WEEKDAYS_SHORT = ("mån", "tis", "ons", "tor", "fre", "lör", "sön")
MONTHS = ("januari", "februari", "mars", "april", "maj", "juni", "juli", "augusti", "september", "oktober", "november", "december")
BLOCK_HOURS = 3
#: The time blocks of the day ("00–03", …, "21–24"): the hours of a weekday are too many cells to
#: test on the counts of one area, three-hour blocks are not.
BLOCKS = tuple(f"{h:02d}–{h + BLOCK_HOURS:02d}" for h in range(0, 24, BLOCK_HOURS))
HOURS = tuple(f"{h:02d}" for h in range(24))


def occurred_between(crimes: pd.DataFrame, start: dt.date, end: dt.date) -> pd.DataFrame:
    """The crimes that happened from ``start`` to ``end`` (both whole days, local time)."""
    when = crimes["occurred_at"]
    return crimes[(when >= pd.Timestamp(start)) & (when < pd.Timestamp(end) + pd.Timedelta(days=1))]


def weekday_hour_counts(times: pd.Series) -> pd.DataFrame:
    """Crimes per weekday (rows, Monday first, Swedish names) and hour (columns ``"00"``–``"23"``)."""
    times = times.dropna()
    grid = np.zeros((7, 24), dtype=np.int64)
    np.add.at(grid, (times.dt.day_of_week.to_numpy(), times.dt.hour.to_numpy()), 1)
    return pd.DataFrame(grid, index=pd.Index([d.capitalize() for d in WEEKDAYS], name="Veckodag"), columns=list(HOURS))


def block_counts(hour_counts: pd.Series | np.ndarray) -> np.ndarray:
    """Counts per hour (24) summed to the three-hour :data:`BLOCKS` (8)."""
    return np.asarray(hour_counts, dtype=np.int64).reshape(-1, BLOCK_HOURS).sum(axis=1)


def month_counts(times: pd.Series, years: list[int]) -> pd.DataFrame:
    """Crimes per month (rows 1–12) and year (columns), by when they happened."""
    times = times.dropna()
    frame = pd.crosstab(times.dt.month, times.dt.year).reindex(index=range(1, 13), columns=years, fill_value=0)
    frame.index.name, frame.columns.name = "Månad", None
    return frame.astype(np.int64)


def weekdays_in(start: dt.date, end: dt.date) -> np.ndarray:
    """How many Mondays … Sundays lie from ``start`` to ``end`` (inclusive)."""
    days = pd.date_range(start, end, freq="D")
    return np.bincount(days.day_of_week, minlength=7)


def month_days(years: list[int], last_year_end: dt.date | None = None) -> np.ndarray:
    """Days of each month (1–12) summed over ``years``; the last year only up to ``last_year_end``."""
    out = np.zeros(12, dtype=np.int64)
    for year in years:
        for month in range(1, 13):
            days = calendar.monthrange(year, month)[1]
            if last_year_end is not None and year == years[-1]:
                start = dt.date(year, month, 1)
                days = 0 if start > last_year_end else min(days, (last_year_end - start).days + 1)
            out[month - 1] += days
    return out


@dataclass(frozen=True)
class UniformityTest:
    """A chi-square test of counts against an even spread (by the calendar weights).

    Attributes
    ----------
    counts, expected
        Observed counts and those an even spread would give (same total).
    statistic, p_value
        The chi-square statistic (degrees of freedom: cells with a weight, minus one) and its p-value.
    few_cases
        Fewer than :data:`~lagesbild_lib.analysis.stats.FEW_CASES_EACH` cases per cell on average:
        no pattern is named, whatever the p-value.
    """

    counts: tuple[int, ...]
    expected: tuple[float, ...]
    statistic: float
    p_value: float
    few_cases: bool

    @property
    def total(self) -> int:
        return int(sum(self.counts))

    @property
    def significant(self) -> bool:
        return self.p_value < ALPHA

    @property
    def shows_pattern(self) -> bool:
        """The counts are not evenly spread and not few: the peak may be named."""
        return self.significant and not self.few_cases

    @property
    def peak(self) -> int:
        """Position of the largest count (the first when tied)."""
        return int(np.argmax(self.counts))

    @property
    def min_cases(self) -> int:
        """The fewest cases the test is made on: ten per cell."""
        return FEW_CASES_EACH * sum(1 for e in self.expected if e > 0)


def uniformity_test(counts, weights=None) -> UniformityTest:
    """Chi-square goodness of fit of ``counts`` against an even spread over the cells.

    Parameters
    ----------
    counts
        Counts per cell (weekday, time block, month).
    weights
        How much of the period each cell covers (days per weekday or month); equal by default.
        A cell with weight 0 (a month after the period end) is left out of the test.

    Returns
    -------
    UniformityTest (p-value 1 when there are no cases).
    """
    from scipy.stats import chisquare

    observed = np.asarray(counts, dtype=float)
    weight = np.ones_like(observed) if weights is None else np.asarray(weights, dtype=float)
    if weight.shape != observed.shape or (weight < 0).any() or weight.sum() <= 0:
        raise ValueError("weights must be one non-negative number per count, not all zero")
    if (observed[weight == 0] > 0).any():
        raise ValueError("a cell with weight 0 holds cases")
    used = weight > 0
    total = observed.sum()
    expected = np.where(used, total * weight / weight.sum(), 0.0)
    few = series_rests_on_few_cases(observed[used].astype(int))
    if total == 0 or used.sum() < 2:
        return UniformityTest(tuple(int(c) for c in observed), tuple(expected), 0.0, 1.0, few)
    stat, p = chisquare(observed[used], expected[used])
    return UniformityTest(tuple(int(c) for c in observed), tuple(float(e) for e in expected), float(stat), float(p), few)


@dataclass(frozen=True)
class TimeProfile:
    """One crime group's counts by weekday, hour and month, and the three tests."""

    label: str
    week: pd.DataFrame  # weekday × hour
    weekday: UniformityTest
    block: UniformityTest
    months: pd.DataFrame  # month × year
    month: UniformityTest
    unknown_time: int  # crimes reported in the period without a time


def time_profile(
    crimes: pd.DataFrame, label: str, year: int, period_end: dt.date, years: list[int], data_end: dt.date | None = None
) -> TimeProfile:
    """The time patterns of one group of crimes.

    Parameters
    ----------
    crimes
        The group's crimes (``reported_date``, ``occurred_at``).
    label
        The group's name, for the tables.
    year, period_end
        The report year and its period end: weekday and hour count the crimes that happened
        1 January–period end of ``year``.
    years
        The years of the month profile (the last one up to the period end, or ``data_end`` when
        the data end before it).
    """
    end = min(period_end, data_end) if data_end is not None else period_end
    start = dt.date(year, 1, 1)
    happened = occurred_between(crimes, start, end)["occurred_at"]
    week = weekday_hour_counts(happened)
    reported = crimes["reported_date"]
    unknown = int((crimes["occurred_at"].isna() & (reported >= pd.Timestamp(start)) & (reported <= pd.Timestamp(end))).sum())
    span = occurred_between(crimes, dt.date(years[0], 1, 1), end)["occurred_at"]
    months = month_counts(span, years)
    return TimeProfile(
        label=label,
        week=week,
        weekday=uniformity_test(week.sum(axis=1).to_numpy(), weekdays_in(start, end)),
        block=uniformity_test(block_counts(week.sum(axis=0).to_numpy())),
        months=months,
        month=uniformity_test(months.sum(axis=1).to_numpy(), month_days(years, end)),
        unknown_time=unknown,
    )
