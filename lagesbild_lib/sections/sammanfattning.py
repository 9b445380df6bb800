"""Chapter 0, Sammantagen bedömning."""

from __future__ import annotations

from ..context import ChapterContext
from ..crime import period_counts
from ..fmt import fmt_int, fmt_pct, fmt_share
from ..population import population_total, population_year
from ..present import KeyFigures, Missing, Table, Text
from ..stats import poisson_change_test
from ..survey import pick_survey, survey_share
from ..text import change_wording
from ..weekly import event_weeks, level_legend_data, level_legend_html, weekly_data, weekly_grid, weekly_grid_html
from .common import crimes_or_none, missing_table, narrative


def assessment_text(ctx: ChapterContext) -> Text:
    """The analysts' overall assessment (params ``narrative.sammantagen_bedomning``)."""
    return narrative(ctx, "sammantagen_bedomning", "Den sammantagna bedömningen är inte skriven ännu (params: narrative.sammantagen_bedomning).")


def key_figures(ctx: ChapterContext) -> KeyFigures:
    """Population, reported crimes in the period and their change, weeks at level ≥ 4, critical events, unsafety."""
    items: list[tuple[str, str]] = []
    pop = ctx.data.table("population")
    if pop is not None and (py := population_year(pop, ctx.year)) is not None:
        total = population_total(pop, ctx.areas, ctx.area.area_id, py)
        if total is not None:
            items.append((f"Folkmängd {py}", fmt_int(total)))
    crimes = crimes_or_none(ctx)
    if crimes is not None:
        test = poisson_change_test(int(period_counts(crimes, ctx.year - 1, ctx.period_end).sum()), int(period_counts(crimes, ctx.year, ctx.period_end).sum()))
        items.append(("Anmälda brott under perioden", fmt_int(test.after)))
        items.append((f"Förändring mot {ctx.year - 1}", f"{fmt_pct(test.pct, decimals=0, signed=True)} ({change_wording(test)})"))
    weekly = ctx.data.table("weekly_assessments")
    if weekly is not None:
        part = weekly[(weekly["year"] == ctx.year) & weekly["area_id"].isin(ctx.areas.descendants(ctx.area.area_id))]
        items.append(("Veckor med nivå 4 eller 5", fmt_int(int(part.loc[part["level"] >= 4, "week"].nunique()))))
    events = ctx.data.table("critical_events")
    if events is not None:
        mine = events[(events["event_date"].dt.year == ctx.year) & events["area_id"].isin(ctx.areas.descendants(ctx.area.area_id))]
        items.append((f"Kritiska händelser {ctx.year}", fmt_int(len(mine))))
    survey = ctx.data.table("survey")
    if survey is not None:
        question = ctx.params.survey_question
        name = pick_survey(survey[survey["year"] == ctx.year], ctx.areas.descendants(ctx.area.area_id), question)
        found = survey_share(survey, ctx.areas, ctx.area.area_id, ctx.year, question, "ja", survey_name=name) if name else None
        if found is not None:
            items.append(("Otrygga ute ensamma kvällstid", fmt_share(found[0])))
    return KeyFigures(tuple(items))


def level_legend() -> Table:
    """Tabell: Förklaring lägesbedömning (levels 1–5 with their colours)."""
    return Table(caption="Förklaring lägesbedömning", markup=level_legend_html(), data=level_legend_data())


def weekly_table(ctx: ChapterContext) -> Table | Missing:
    """Tabell: the year's weekly assessments, sub-areas × ISO weeks."""
    weekly = ctx.data.table("weekly_assessments")
    if weekly is None:
        return missing_table(ctx, "weekly_assessments", "Årssammanställningen av lägesbedömningar")
    rows = [a.area_id for a in ctx.sub_areas] or [ctx.area.area_id]
    grid = weekly_grid(weekly, rows, ctx.year)
    if grid.isna().all().all():
        return Missing(f"Det finns inga veckovisa lägesbedömningar för {ctx.area.name} år {ctx.year}.")
    names = {a: ctx.areas.name(a) for a in rows}
    marks = event_weeks(ctx.data.table("critical_events"), ctx.areas, rows, ctx.year)
    return Table(
        caption=f"Årssammanställning av incidentrapportering {ctx.year}, {ctx.area.name}, per vecka (ISO-vecka) och delområde",
        markup=weekly_grid_html(grid, names, marks),
        data=weekly_data(grid, names),
    )
