"""Chapter 3, Beskrivning av tryggheten: places where the respondents feel worried.

Holds :func:`places_chart` and :func:`places_table` (the share naming each place, the area
against the city with intervals and tests) and :func:`worry_places`, the numbers both use and
the key findings quote.
"""

from __future__ import annotations

import pandas as pd

from lagesbild_lib.context import ChapterContext
from lagesbild_lib.present.fmt import fmt_int, fmt_share_ci
from lagesbild_lib.present.reference import reference_words
from lagesbild_lib.present.pieces import Chart, Missing, Table
from lagesbild_lib.analysis.survey import answer_shares, compare_with_city, pick_survey
from lagesbild_lib.figures.survey import fmt_pp, places_alt, plot_places
from lagesbild_lib.sections.common import empty_filter
from lagesbild_lib.sections.safety_analysis import CI_NOTE, SHARE_FORMATS, city_wording, share_ci_star


def worry_places(ctx: ChapterContext) -> dict | None:
    survey = ctx.data.table("survey")
    if survey is None:
        return None
    question = ctx.params.places_question
    area = ctx.area.area_id
    name = pick_survey(survey[survey["year"] == ctx.year], ctx.areas.descendants(area), question)
    if name is None:
        return {"survey": None, "area": pd.DataFrame(), "city": pd.DataFrame(), "table": pd.DataFrame()}
    mine = answer_shares(survey, ctx.areas, area, ctx.year, question, survey_name=name)
    city_id = ctx.city_to_compare.area_id if ctx.city_to_compare else None
    city = answer_shares(survey, ctx.areas, city_id, ctx.year, question, survey_name=name) if city_id else pd.DataFrame()
    table = mine.copy()
    if len(city):
        c = city.set_index("answer").reindex(mine["answer"])
        table["city_share"], table["city_lo"], table["city_hi"] = c["share"].values, c["lo"].values, c["hi"].values
        table["city_respondents"] = c["respondents"].values
        tests = [
            compare_with_city(r.share, r.respondents, r.city_share, r.city_respondents) if pd.notna(r.city_share) else None
            for r in table.itertuples(index=False)
        ]
        table["diff"] = [r.share - r.city_share for r in table.itertuples(index=False)]
        table["p_value"] = [t.p_value if t else float("nan") for t in tests]
        table["city_wording"] = [city_wording(t, reference_words(ctx).definite) if t else "" for t in tests]
    return {"survey": name, "area": mine, "city": city, "table": table}


def places_chart(ctx: ChapterContext) -> Chart | Missing:
    """Diagram: places of worry, area and city side by side, sorted, with intervals."""
    p = worry_places(ctx)
    if p is None:
        return Missing("Oroplatserna kan inte visas eftersom tabellen survey saknas i datamappen.")
    if not len(p["area"]):
        return empty_filter(
            f"Det finns inga enkätsvar om platser där de svarande känner oro för {ctx.area.name} år {ctx.year} "
            f"(urvalet i enkätdata: fråga ”{ctx.params.places_question}”, år {ctx.year}, {ctx.area.name} eller dess delområden)."
        )
    has_city = len(p["city"]) > 0
    city_name = ctx.city.name if ctx.city else "Staden"
    ref = reference_words(ctx).definite
    data = _places_data(p["table"], has_city, ref)
    return Chart(
        figure=plot_places(p["area"], p["city"] if has_city else None, ctx.area.name, city_name,
                           f"Platser där de svarande känner oro, {ctx.year}"),
        caption=f"Platser där de svarande känner oro, {ctx.area.name}" + (f" och {city_name}" if has_city else "")
                + f" {ctx.year}, andel som nämner platsen med 95 % konfidensintervall ({p['survey']})",
        alt=places_alt(p["table"], ctx.area.name, has_city, ref),
        data=data,
        formats={**SHARE_FORMATS, "Andel området": "share", f"Andel {ref}": "share", f"KI nedre {ref}": "share",
                 f"KI övre {ref}": "share", "p-värde": "pvalue"},
        note="Flera svar möjliga, så andelarna summerar inte till 100 %. * färre än 30 svarande.",
    )


def _places_data(table: pd.DataFrame, has_city: bool, ref: str = "staden") -> pd.DataFrame:
    columns = {"answer": "Plats", "share": "Andel området", "lo": "KI nedre", "hi": "KI övre", "respondents": "Svarande"}
    if has_city:
        columns.update({"city_share": f"Andel {ref}", "city_lo": f"KI nedre {ref}", "city_hi": f"KI övre {ref}",
                        "city_respondents": f"Svarande {ref}", "p_value": "p-värde", "city_wording": f"Jämfört med {ref}"})
    return table.rename(columns=columns)[list(columns.values())]


def places_table(ctx: ChapterContext) -> Table | Missing | None:
    """Tabell: the same places of worry as a table, area against the city (None when the chart says it is missing)."""
    p = worry_places(ctx)
    if p is None or not len(p["area"]):
        return None
    t = p["table"]
    has_city = len(p["city"]) > 0
    shown = pd.DataFrame({"Plats": t["answer"], ctx.area.name + " (95 % KI)": [share_ci_star(r) for _, r in t.iterrows()]})
    numeric = [ctx.area.name + " (95 % KI)"]
    ref = reference_words(ctx)
    column = f"{ref.definite[0].upper()}{ref.definite[1:]} (95 % KI)"
    if has_city:
        shown[column] = [fmt_share_ci(r["city_share"], r["city_lo"], r["city_hi"]) for _, r in t.iterrows()]
        shown["Skillnad, procentenheter"] = t["diff"].map(lambda d: fmt_pp(d).split(" ")[0])
        shown[f"Jämfört med {ref.definite}"] = t["city_wording"]
        numeric += [column, "Skillnad, procentenheter"]
    n_area = fmt_int(int(t["respondents"].max()))
    note = f"{CI_NOTE} Flera svar möjliga. Området: {n_area} svarande."
    if has_city:
        note += (f" {column.split(' (')[0]}: {fmt_int(int(t['city_respondents'].max()))} svarande. Jämförelsen med {ref.definite}: "
                 f"tvåprovstest mot {ref.rest}, p < 0,05.")
    return Table(
        caption=f"Platser där de svarande känner oro, {ctx.area.name} {ctx.year} ({p['survey']})",
        table=shown, data=_places_data(t, has_city, ref.definite), numeric=tuple(numeric), note=note,
    )
