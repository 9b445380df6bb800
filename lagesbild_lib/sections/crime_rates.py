"""Chapter 2: reported crimes per 1 000 inhabitants in the area beside the city, with the area's rank
among its sibling areas (issue 16: "den tredje högsta av 13 stadsdelsområden") — for all reported
crimes and for the categories marked ``violent``.

Counted from ``crimes`` over the report's period (1 January–``period_end``) for the area, every
sibling and the city; with only ``crime_counts``, over the whole months of the period (and the
sentence and table say which). Each rate uses the population of the report year (the latest
earlier year when it is missing). A count masked by ``suppress_below`` gives no rate.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pandas as pd

from lagesbild_lib.analysis import disclosure
from lagesbild_lib.analysis.crime import flagged_categories, in_period
from lagesbild_lib.analysis.crime_counts import whole_months_end
from lagesbild_lib.analysis.crime_rates import DECIMALS, counts_from_table, counts_in, rank_of, rate
from lagesbild_lib.analysis.population import population_total, population_year
from lagesbild_lib.analysis.rank import Rank, siblings
from lagesbild_lib.context import ChapterContext
from lagesbild_lib.present.reference import reference_words
from lagesbild_lib.present.fmt import fmt_int, fmt_num, fmt_period
from lagesbild_lib.present.pieces import Table, Text
from lagesbild_lib.present.text import level_plural
from lagesbild_lib.sections.common import per_context

ALL, VIOLENT = "Alla anmälda brott", "Våldsbrott"
#: "per 1 000 invånare" with the number's own thousands separator (a number, not "1" and "000").
PER_INV = f"per {fmt_int(1000)} invånare"


@dataclass(frozen=True)
class RateRow:
    label: str
    count: int | None  # the area's
    rate: float  # the area's, per 1 000 (NaN when masked or missing)
    city_rate: float
    rank: Rank | None


@dataclass(frozen=True)
class RateFacts:
    rows: list[RateRow]
    period: str  # "1 jan–31 okt 2023"
    whole_months: bool
    population_year: int


@per_context
def rate_facts(ctx: ChapterContext) -> RateFacts | None:
    """The rates of the area, its siblings and the city; None when the area has no city to compare
    with, or population or crimes are missing."""
    city = ctx.city_to_compare
    pop = ctx.data.table("population")
    if city is None or pop is None or (pop_year := population_year(pop, ctx.year)) is None:
        return None
    areas = list(dict.fromkeys([*siblings(ctx.areas, ctx.area.area_id), city.area_id]))
    categories = ctx.data.table("crime_categories")
    violent = flagged_categories(categories, "violent") if categories is not None else []
    wanted = [(ALL, None)] + ([(VIOLENT, violent)] if violent else [])
    start = dt.date(ctx.year, 1, 1)
    years = ctx.data.crime_years
    crimes = ctx.data.crimes_for(list(ctx.areas.descendants(city.area_id)), ctx.year, ctx.year) if ctx.year in years else None
    if crimes is not None:
        period_crimes = in_period(crimes, ctx.year, ctx.period_end)
        counts = {label: counts_in(period_crimes, ctx.areas, areas, cats) for label, cats in wanted}
        end, whole = dt.date(ctx.year, ctx.period_end.month, ctx.period_end.day), False
    else:
        table = ctx.data.table("crime_counts")
        end = whole_months_end(ctx.year, ctx.period_end)
        if table is None or end is None:
            return None
        counts = {label: counts_from_table(table, ctx.areas, areas, ctx.year, end.month, cats) for label, cats in wanted}
        whole = True
    pops = {a: population_total(pop, ctx.areas, a, pop_year) for a in areas}
    small = ctx.params.suppress_below
    rows = []
    for label, _ in wanted:
        shown = {a: c if c is None or not disclosure.is_masked(c, small) else None for a, c in counts[label].items()}
        rates = {a: rate(shown[a], pops[a]) for a in areas}
        sibling_rates = {a: r for a, r in rates.items() if a != city.area_id}
        rows.append(RateRow(label, counts[label][ctx.area.area_id], rates[ctx.area.area_id], rates[city.area_id],
                            rank_of(sibling_rates, ctx.area.area_id)))
    if all(pd.isna(r.rate) for r in rows):
        return None
    return RateFacts(rows, fmt_period(start, end), whole, pop_year)


def _rate(value: float) -> str:
    return fmt_num(value, DECIMALS)


def crime_rates(ctx: ChapterContext) -> list | None:
    """Sentence and table: crimes per 1 000 inhabitants in the area and the city, with the area's
    rank among its siblings (None when there is nothing to compare)."""
    f = rate_facts(ctx)
    if f is None:
        return None
    name, city = ctx.area.name, ctx.city_to_compare
    parent = ctx.areas.name(ctx.area.parent_id) if ctx.area.parent_id else city.name
    # "av 13 stadsdelsområden" (in the city), "av nio stadsdelar i Hässelby-Vällingby"
    noun = level_plural(ctx.area.level) + ("" if ctx.area.parent_id == city.area_id else f" i {parent}")
    sentences = []
    for row in f.rows:
        if pd.isna(row.rate):
            continue
        if row.label == ALL:
            text = f"Under perioden {f.period} anmäldes {_rate(row.rate)} brott {PER_INV} i {name}"
        else:
            text = f"{'För våldsbrott var' if sentences else f'Under perioden {f.period} var'} antalet {_rate(row.rate)} {PER_INV}" + (
                "" if sentences else f" i {name}")
        if not pd.isna(row.city_rate):
            text += f", mot {_rate(row.city_rate)} i {reference_words(ctx).definite} som helhet ({city.name})"
        if row.rank is not None and row.rank.enough:
            text += f"; det är {row.rank.wording(noun, what='nivån')}"
        sentences.append(text + ".")
    if f.whole_months:
        sentences.append("Antalen kommer från tabellen crime_counts och räknas i hela månader.")
    small = ctx.params.suppress_below
    city_col = city.name if city.name != name else f"{city.name} ({reference_words(ctx).definite})"
    rank_col = f"Rang bland {level_plural(ctx.area.level)}"
    shown = pd.DataFrame({
        "Brott": [r.label for r in f.rows],
        f"Antal i {name}": [disclosure.mask_count(r.count, small) if r.count is not None else "–" for r in f.rows],
        f"Per 1 000 invånare, {name}": [_rate(r.rate) for r in f.rows],
        f"Per 1 000 invånare, {city_col}": [_rate(r.city_rate) for r in f.rows],
        rank_col: [r.rank.wording(noun, words=False) if r.rank is not None else "–" for r in f.rows],
    })
    data = pd.DataFrame({
        "Brott": [r.label for r in f.rows],
        f"Antal i {name}": [None if r.count is None or pd.isna(r.rate) else r.count for r in f.rows],
        f"Per 1 000 invånare, {name}": [r.rate for r in f.rows],
        f"Per 1 000 invånare, {city_col}": [r.city_rate for r in f.rows],
        "Rang uppifrån": [r.rank.from_top if r.rank else None for r in f.rows],
        "Rang nedifrån": [r.rank.from_bottom if r.rank else None for r in f.rows],
        "Antal rangordnade områden": [r.rank.peers if r.rank else None for r in f.rows],
    })
    masked = any(r.count is not None and disclosure.is_masked(r.count, small) for r in f.rows)
    note = (
        f"Anmälda brott {f.period} delat med folkmängden {f.population_year}. Rangen jämför med övriga "
        f"{level_plural(ctx.area.level)} i {parent} med talen avrundade som de visas."
        + (" Våldsbrott: brottskategorierna markerade som våldsbrott (kolumnen violent i crime_categories)." if len(f.rows) > 1 else "")
    )
    table = Table(
        caption=f"Anmälda brott per 1 000 invånare i {name} och {city.name}, {f.period}",
        table=shown,
        data=data,
        note=disclosure.with_note(note, small, masked),
    )
    return [Text(" ".join(sentences)), table] if sentences else [table]
