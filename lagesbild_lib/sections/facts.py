"""The area's key facts for a year, shared by the summary (chapter 0) and the table of changes
since the previous lägesbild (:mod:`lagesbild_lib.sections.forandringar`)."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from lagesbild_lib.context import ChapterContext
from lagesbild_lib.analysis.crime import period_counts, same_period
from lagesbild_lib.analysis.crime_counts import whole_months_end
from lagesbild_lib.analysis.stats import ChangeTest, poisson_change_test, wilson_interval
from lagesbild_lib.analysis.survey import pick_survey, survey_share
from lagesbild_lib.analysis.weekly import weekly_grid
from lagesbild_lib.sections.common import crimes_or_none


@dataclass(frozen=True)
class CrimeFacts:
    test: ChangeTest
    start: pd.Timestamp
    end: pd.Timestamp
    whole_months: bool  # counted from crime_counts by whole months


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
        after = int(period_counts(crimes, ctx.year, ctx.period_end).sum())
        return CrimeFacts(poisson_change_test(before, after), start, end, whole_months=False)
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


def weekly_rows(ctx: ChapterContext, weekly: pd.DataFrame) -> list[str]:
    """The grid's rows: the sub-areas, or the area itself when it has none or only it is assessed."""
    rows = [a.area_id for a in ctx.sub_areas]
    if rows and weekly_grid(weekly, rows, ctx.year).notna().any().any():
        return rows
    return [ctx.area.area_id] if weekly_grid(weekly, [ctx.area.area_id], ctx.year).notna().any().any() else rows or [ctx.area.area_id]


def event_counts(ctx: ChapterContext) -> tuple[dict[str, int], int] | None:
    """Critical events in the area in the report year: count per type, and how many were fatal."""
    events = ctx.data.table("critical_events")
    if events is None:
        return None
    mine = events[(events["event_date"].dt.year == ctx.year) & events["area_id"].isin(ctx.areas.descendants(ctx.area.area_id))]
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
