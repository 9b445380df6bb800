"""Chapter 1, Befolkningsfakta: the population forecast (optional table ``population_forecast``).

One sentence on the expected growth to the last forecast year, against the city's, and a small
table of the forecast years beside the report year's population. Without the table, or without
forecast years after the report year, nothing is shown: the forecast is an optional addition.
"""

from __future__ import annotations

import pandas as pd

from lagesbild_lib.analysis.forecast import DECIMALS, forecast_sentence, forecast_total, forecast_years, growth
from lagesbild_lib.analysis.population import population_total, population_year
from lagesbild_lib.context import ChapterContext
from lagesbild_lib.present.reference import kommun_references, reference_words
from lagesbild_lib.present.fmt import fmt_int, fmt_pct
from lagesbild_lib.present.pieces import Table, Text


def _basis(ctx: ChapterContext):
    """(forecast table, base year, the area's base population, forecast years), or None."""
    forecast = ctx.data.table("population_forecast")
    pop = ctx.data.table("population")
    if forecast is None or pop is None:
        return None
    base_year = population_year(pop, ctx.year)
    if base_year is None:
        return None
    base = population_total(pop, ctx.areas, ctx.area.area_id, base_year)
    years = forecast_years(forecast, ctx.areas, ctx.area.area_id, ctx.year)
    if not base or not years:
        return None
    return forecast, pop, base_year, base, years


def forecast_text(ctx: ChapterContext) -> Text | None:
    """The forecast's sentence (None without a forecast for the years after the report year)."""
    basis = _basis(ctx)
    if basis is None:
        return None
    forecast, pop, base_year, base, years = basis
    mine = growth(forecast, ctx.areas, ctx.area.area_id, base_year, base, years[-1])
    if mine is None:
        return None
    city, reference = _compared(ctx)
    city_growth = None
    if city is not None:
        city_base = population_total(pop, ctx.areas, city.area_id, base_year)
        city_growth = growth(forecast, ctx.areas, city.area_id, base_year, city_base, years[-1])
    return Text(forecast_sentence(ctx.area.name, mine, city.name if city else None, city_growth, reference))


def _compared(ctx: ChapterContext):
    """(the area the forecast is compared with, its word in the sentence): the city ("staden",
    "kommunen"); for a kommun its län (DESIGN §6), named as it is (reference None); (None, None)."""
    if ctx.city_to_compare is not None:
        return ctx.city_to_compare, reference_words(ctx).definite
    lan = next((r for r in kommun_references(ctx.areas, ctx.area.area_id) if ctx.areas.get(r).level == "lan"), None)
    return (ctx.areas.get(lan), None) if lan is not None and ctx.area.level == "kommun" else (None, None)


def forecast_table(ctx: ChapterContext) -> Table | None:
    """Tabell: the report year's population and the forecast for each later year, with the change
    since the report year, for the area and the city (None without a forecast)."""
    basis = _basis(ctx)
    if basis is None:
        return None
    forecast, pop, base_year, base, years = basis
    name = ctx.area.name
    city, reference = _compared(ctx)
    city_base = population_total(pop, ctx.areas, city.area_id, base_year) if city is not None else None
    if city_base and reference is None and all(forecast_total(forecast, ctx.areas, city.area_id, y) is None for y in years):
        city_base = None  # a län without a forecast gets no columns
    rows = []
    for year in [base_year, *years]:
        value = base if year == base_year else forecast_total(forecast, ctx.areas, ctx.area.area_id, year)
        row = {"year": year, "value": value, "pct": _pct(value, base)}
        if city_base:
            other = city_base if year == base_year else forecast_total(forecast, ctx.areas, city.area_id, year)
            row |= {"city": other, "city_pct": _pct(other, city_base)}
        rows.append(row)
    frame = pd.DataFrame(rows)
    change = f"Förändring sedan {base_year}"
    shown = pd.DataFrame({
        "År": [str(y) if y != base_year else f"{y} (utfall)" for y in frame["year"]],
        name: frame["value"].map(fmt_int),
        f"{change}, {name}": [fmt_pct(v, DECIMALS, signed=True) if y != base_year else "–" for v, y in zip(frame["pct"], frame["year"])],
    })
    data = pd.DataFrame({"År": frame["year"], name: frame["value"], f"{change} (%), {name}": frame["pct"]})
    if city_base:
        city_col = city.name if city.name != name else f"{city.name} ({reference or city.level})"
        shown[city_col] = frame["city"].map(fmt_int)
        shown[f"{change}, {city_col}"] = [fmt_pct(v, DECIMALS, signed=True) if y != base_year else "–" for v, y in zip(frame["city_pct"], frame["year"])]
        data[city_col] = frame["city"]
        data[f"{change} (%), {city_col}"] = frame["city_pct"]
    return Table(
        caption=f"Befolkningsprognos för {name} {years[0]}–{years[-1]}",
        table=shown,
        data=data,
        note=f"{base_year}: folkmängden enligt befolkningsstatistiken (tabellen population); {years[0]}–{years[-1]}: "
        "prognos (tabellen population_forecast). Förändringen räknas mot folkmängden " + str(base_year) + ".",
    )


def _pct(value: float | None, base: float | None) -> float | None:
    if value is None or pd.isna(value) or not base:
        return None
    return 100.0 * (value - base) / base
