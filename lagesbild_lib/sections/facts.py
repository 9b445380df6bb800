"""The area's key facts for a year, shared by the summary (chapter 0) and the table of changes
since the previous lägesbild (:mod:`lagesbild_lib.sections.forandringar`).

Every count here covers the report's period, the same span of each year (DESIGN §8): crimes and
critical events 1 January–``period_end``, weekly assessments ISO week 1 to the week the period
ends in (:func:`~lagesbild_lib.analysis.weekly.period_last_week`).
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from lagesbild_lib.context import ChapterContext
from lagesbild_lib.analysis.crime import dated_in_period, period_counts, same_period
from lagesbild_lib.analysis.crime_counts import whole_months_end
from lagesbild_lib.analysis.stats import ChangeTest, poisson_change_test, wilson_interval
from lagesbild_lib.analysis.survey import pick_survey, survey_share
from lagesbild_lib.analysis.weekly import period_last_week, weekly_grid, weeks_at_or_above
from lagesbild_lib.sections.common import crimes_or_none


@dataclass(frozen=True)
class CrimeFacts:
    test: ChangeTest
    start: pd.Timestamp
    end: pd.Timestamp
    whole_months: bool  # counted from crime_counts by whole months
    in_tables: int | None = None  # this year's crimes in the categories the CompStat table shows


@dataclass(frozen=True)
class WeekFacts:
    """Weeks at level 4 or 5 among the weeks with an assessment, ISO weeks 1 to ``last_week``."""

    high: int
    reported: int
    last_week: int


@dataclass(frozen=True)
class SurveyFacts:
    year: int
    survey: str
    share: float
    respondents: int
    lo: float
    hi: float


def key_figure_label(question: str) -> str:
    """The label of the survey key figure (chapter 0) for the survey question."""
    return "Otrygga ute ensamma kvällstid" if question == "otrygg_kvallstid" else f"Svarat ja: {question}"


def crime_facts(ctx: ChapterContext) -> CrimeFacts | None:
    """Reported crimes 1 Jan–period end this year and last year (from crimes, else crime_counts)."""
    start, end = same_period(ctx.year, ctx.period_end)
    crimes = crimes_or_none(ctx)
    if crimes is not None:
        before = int(period_counts(crimes, ctx.year - 1, ctx.period_end).sum())
        now = period_counts(crimes, ctx.year, ctx.period_end)
        return CrimeFacts(poisson_change_test(before, int(now.sum())), start, end, whole_months=False,
                          in_tables=_in_compstat(ctx, now))
    counts = ctx.data.table("crime_counts")
    if counts is None or "month" not in counts.columns:
        return None
    mine = counts[counts["area_id"].isin(ctx.areas.descendants(ctx.area.area_id))]
    # Monthly counts cannot be cut inside a month: count whole months up to the period end.
    counted_end = whole_months_end(ctx.year, ctx.period_end)
    if counted_end is None:
        return None
    in_period = mine["month"].notna() & (mine["month"] <= counted_end.month)
    before = int(mine.loc[in_period & (mine["year"] == ctx.year - 1), "count"].sum())
    after = int(mine.loc[in_period & (mine["year"] == ctx.year), "count"].sum())
    return CrimeFacts(poisson_change_test(before, after), start, pd.Timestamp(counted_end), whole_months=True)


def _in_compstat(ctx: ChapterContext, per_category: pd.Series) -> int | None:
    """How many of the counted crimes are in the categories the CompStat table shows."""
    categories = ctx.data.table("crime_categories")
    if categories is None or "compstat" not in categories.columns:
        return None
    shown = set(categories.loc[categories["compstat"].astype(bool), "category"])
    return int(per_category[per_category.index.isin(shown)].sum())


def weekly_rows(ctx: ChapterContext, weekly: pd.DataFrame) -> list[str]:
    """The grid's rows: the sub-areas, or the area itself when it has none or only it is assessed."""
    rows = [a.area_id for a in ctx.sub_areas]
    if rows and weekly_grid(weekly, rows, ctx.year).notna().any().any():
        return rows
    return [ctx.area.area_id] if weekly_grid(weekly, [ctx.area.area_id], ctx.year).notna().any().any() else rows or [ctx.area.area_id]


def week_facts(ctx: ChapterContext, weekly: pd.DataFrame) -> WeekFacts | None:
    """Weeks at level 4 or 5 in the period's weeks (ISO week 1 to the week holding the period end)
    of the report year, in chapter 0's grid rows; None when none of those weeks has an assessment."""
    last = period_last_week(ctx.year, ctx.period_end)
    grid = weekly_grid(weekly, weekly_rows(ctx, weekly), ctx.year, last_week=last)
    reported = int(grid.notna().any(axis=0).sum())
    return WeekFacts(weeks_at_or_above(grid, 4), reported, last) if reported else None


def event_counts(ctx: ChapterContext) -> tuple[dict[str, int], int] | None:
    """Critical events in the area in the report's period (1 Jan–period end): count per type, and
    how many were fatal."""
    events = ctx.data.table("critical_events")
    if events is None:
        return None
    mine = dated_in_period(events[events["area_id"].isin(ctx.areas.descendants(ctx.area.area_id))], "event_date", ctx.year, ctx.period_end)
    fatal = int(mine["fatal"].fillna(False).astype(bool).sum()) if "fatal" in mine.columns else 0
    return {str(k): int(v) for k, v in mine["type"].value_counts().items()}, fatal


def survey_facts(ctx: ChapterContext) -> SurveyFacts | None:
    """The share answering ``ja`` to the survey question in the area, the latest year up to the report year."""
    survey = ctx.data.table("survey")
    if survey is None:
        return None
    question = ctx.params.survey_question
    areas = ctx.areas.descendants(ctx.area.area_id)
    years = sorted(int(y) for y in survey.loc[(survey["question"] == question) & survey["area_id"].isin(areas), "year"].unique() if y <= ctx.year)
    for year in reversed(years):
        name = pick_survey(survey[survey["year"] == year], areas, question)
        found = survey_share(survey, ctx.areas, ctx.area.area_id, year, question, "ja", survey_name=name) if name else None
        if found is not None and found[1] > 0:
            lo, hi = wilson_interval(found[0], found[1])
            return SurveyFacts(year, name, found[0], found[1], lo, hi)
    return None
