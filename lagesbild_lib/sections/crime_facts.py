"""Chapter 2's numbers, computed once per context (:func:`facts`) and shared by its tables, charts
and findings (:mod:`lagesbild_lib.sections.brottslighet` and the section modules beside it), and
the series breaks (params ``series_breaks``) of its categories.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from lagesbild_lib.analysis import breaks as series_breaks
from lagesbild_lib.analysis.crime import category_year_counts, compstat_table, period_words
from lagesbild_lib.analysis.crime_counts import CountsBasis, crimes_from_counts
from lagesbild_lib.analysis.population import population_total, population_year
from lagesbild_lib.context import ChapterContext
from lagesbild_lib.params import SeriesBreak
from lagesbild_lib.present.text import in_sentence
from lagesbild_lib.sections.common import crimes_or_none, per_context

NO_CRIMES = (
    "kräver brott på radnivå (tabellen crimes) eller antal per månad (tabellen crime_counts; helårsantal räcker när "
    "perioden är hela året, period_end: '12-31'), som saknas i datamappen"
)


@dataclass(frozen=True)
class CrimeFacts:
    """The chapter's numbers, computed once and shared by its tables, charts and findings."""

    crimes: pd.DataFrame
    categories: pd.DataFrame
    compstat: pd.DataFrame
    years: list[int]
    category_years: pd.DataFrame
    population: int | None
    population_by_subarea: dict[str, int | None]
    counts: CountsBasis | None = None  # set when the crimes are made from aggregated crime_counts


@per_context
def facts(ctx: ChapterContext) -> CrimeFacts | None:
    """The chapter's numbers for ``ctx`` (None without row-level crimes)."""
    crimes = crimes_or_none(ctx)
    years = [y for y in ctx.data.crime_years if y <= ctx.year]
    basis = None
    if crimes is None:  # only aggregated counts: the same counting on a crimes-like frame of them
        crimes, years, basis = crimes_from_counts(ctx.data.table("crime_counts"), ctx.areas, ctx.area.area_id, years, ctx.period_end, ctx.year)
    result = None
    if crimes is not None:
        categories = ctx.data.table("crime_categories")
        pop = ctx.data.table("population")
        pop_year = population_year(pop, ctx.year) if pop is not None else None
        population = population_total(pop, ctx.areas, ctx.area.area_id, pop_year) if pop_year else None
        by_sub = {a.area_id: (population_total(pop, ctx.areas, a.area_id, pop_year) if pop_year else None) for a in ctx.sub_areas}
        result = CrimeFacts(
            crimes=crimes,
            categories=categories,
            compstat=compstat_table(crimes, categories, ctx.year, ctx.period_end, population),
            years=years,
            category_years=category_year_counts(crimes, categories, ctx.period_end, years),
            population=population,
            population_by_subarea=by_sub,
            counts=basis,
        )
    return result


def small(ctx: ChapterContext) -> int:
    """``suppress_below`` of the report (counts 1..N−1 are masked; 0 masks nothing)."""
    return ctx.params.suppress_below


def period(ctx: ChapterContext) -> str:
    return period_words(ctx.period_end)


# ------------------------------------------------------------------------------- series breaks
def label_of(f: CrimeFacts, category: str) -> str:
    """A category's label as it reads in a sentence ("sexuellt ofredande")."""
    labels = dict(zip(f.categories["category"], f.categories["label"]))
    return in_sentence(str(labels.get(category, category)))


def breaks_by_label(ctx: ChapterContext, f: CrimeFacts) -> dict[str, list[SeriesBreak]]:
    """The series breaks of each category, by its label (the columns of ``category_years``)."""
    return series_breaks.by_label(ctx.params.series_breaks, f.categories)


def breaks_in(ctx: ChapterContext, f: CrimeFacts, categories, years) -> list[SeriesBreak]:
    """The breaks in any of ``categories`` (ids) that lie inside the span of ``years``."""
    return series_breaks.within(series_breaks.of_categories(ctx.params.series_breaks, categories), years)


def breaks_note(f: CrimeFacts, found: list[SeriesBreak]) -> str:
    """"Serieuppbrott 2021: ny brottskod från 2021 (sexuellt ofredande)." for each break."""
    return series_breaks.notes((b, label_of(f, b.category)) for b in found)
