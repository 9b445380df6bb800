"""Chapter 1, Beskrivning av området."""

from __future__ import annotations

import pandas as pd

from ..context import ChapterContext
from ..fmt import fmt_int, fmt_pct, fmt_signed_int, fmt_value
from ..population import population_total, population_year, subarea_population, young_share
from ..present import Missing, Table, Text
from .common import missing_table


def population_text(ctx: ChapterContext) -> Text | Missing:
    """Sentences on population and the share under 20 compared with the city."""
    pop = ctx.data.table("population")
    if pop is None:
        return missing_table(ctx, "population", "Befolkningsuppgifterna")
    year = population_year(pop, ctx.year)
    if year is None:
        return Missing(f"Det finns inga befolkningsuppgifter för {ctx.year} eller tidigare år.")
    total = population_total(pop, ctx.areas, ctx.area.area_id, year)
    before = population_total(pop, ctx.areas, ctx.area.area_id, year - 1)
    sentences = [f"{ctx.area.name} hade {fmt_int(total)} invånare år {year}."]
    if year != ctx.year:
        sentences.append(f"Uppgifter för {ctx.year} saknas; siffrorna avser {year}, det senaste året med uppgifter.")
    if before:
        change = 100.0 * (total - before) / before
        direction = "ökade" if total > before else "minskade" if total < before else "var oförändrad"
        sentences.append(f"Folkmängden {direction} med {fmt_int(abs(total - before))} personer ({fmt_pct(change, 1, signed=True)}) jämfört med {year - 1}.")
    young = young_share(pop, ctx.areas, ctx.area.area_id, year)
    city_young = young_share(pop, ctx.areas, ctx.city.area_id, year) if ctx.city and ctx.city.area_id != ctx.area.area_id else None
    if young is not None:
        tail = f" jämfört med {fmt_pct(city_young, 1)} i {ctx.city.name}" if city_young is not None else ""
        sentences.append(f"Andelen invånare under 20 år var {fmt_pct(young, 1)}{tail}.")
    return Text(" ".join(sentences))


def subarea_population_table(ctx: ChapterContext) -> Table | Missing:
    """Tabell: population per sub-area this year and last year."""
    pop = ctx.data.table("population")
    if pop is None:
        return missing_table(ctx, "population", "Befolkningen per delområde")
    year = population_year(pop, ctx.year)
    frame = subarea_population(pop, ctx.areas, ctx.area.area_id, year)
    if frame.empty:
        return Missing(f"{ctx.area.name} har inga delområden med befolkningsuppgifter.")
    shown = pd.DataFrame(
        {
            "Delområde": frame["name"],
            f"Folkmängd {year - 1}": frame["before"].map(fmt_int),
            f"Folkmängd {year}": frame["after"].map(fmt_int),
            "Förändring": frame["diff"].map(fmt_signed_int),
            "Förändring %": frame["pct"].map(lambda v: fmt_pct(v, 1, signed=True)),
        }
    )
    data = frame.drop(columns=["area_id"]).rename(
        columns={"name": "Delområde", "before": f"Folkmängd {year - 1}", "after": f"Folkmängd {year}", "diff": "Förändring", "pct": "Förändring %"}
    )
    return Table(caption=f"Folkmängd per delområde i {ctx.area.name} {year - 1}–{year}", table=shown, data=data)


def indicators_table(ctx: ChapterContext) -> Table | Missing:
    """Tabell: the area's socio-economic indicators beside the city's."""
    ind = ctx.data.table("indicators")
    if ind is None:
        return missing_table(ctx, "indicators", "Jämförelsen med hela staden")
    years = sorted(int(y) for y in ind.loc[ind["area_id"] == ctx.area.area_id, "year"].unique() if y <= ctx.year)
    if not years:
        return Missing(f"Det finns inga indikatorer för {ctx.area.name} år {ctx.year} eller tidigare.")
    year = years[-1]
    mine = ind[(ind["area_id"] == ctx.area.area_id) & (ind["year"] == year)].set_index("indicator")
    city_id = ctx.city.area_id if ctx.city else None
    city = ind[(ind["area_id"] == city_id) & (ind["year"] == year)].set_index("indicator") if city_id else mine.iloc[0:0]
    rows, data = [], []
    for key, row in mine.sort_index().iterrows():
        label = row["label"] if isinstance(row.get("label"), str) and row["label"] else key
        other = city["value"].get(key) if key in city.index else None
        wording = "" if other is None else ("högre" if row["value"] > other else "lägre" if row["value"] < other else "samma")
        rows.append([label, fmt_value(row["value"], row["unit"]), fmt_value(other, row["unit"]) if other is not None else "–", wording or "–"])
        data.append([label, row["unit"], row["value"], other])
    city_name = ctx.city.name if ctx.city else "staden"
    return Table(
        caption=f"Socioekonomiska förhållanden i {ctx.area.name} jämfört med {city_name} {year}",
        table=pd.DataFrame(rows, columns=["Indikator", ctx.area.name, city_name, f"Jämfört med {city_name}"]),
        numeric=(ctx.area.name, city_name),
        data=pd.DataFrame(data, columns=["Indikator", "Enhet", ctx.area.name, city_name]),
    )
