"""Chapter 3, Beskrivning av tryggheten: the map (Kartbild "Otrygghet kvällstid").

Holds :func:`unsafety_map`, the choropleth of this year's share by sub-area (or by the report
area and its neighbours when the survey has no finer level), and the helpers that choose those
areas and name their level in the caption.
"""

from __future__ import annotations

import pandas as pd

from lagesbild_lib.figures.basemap import ground_from_layer, ground_note
from lagesbild_lib.figures.choropleth import ClassScheme, choropleth_alt, plot_choropleth, share_scheme
from lagesbild_lib.context import ChapterContext
from lagesbild_lib.figures.maps import area_outlines, outline_origin
from lagesbild_lib.data.crs import to_sweref
from lagesbild_lib.present.pieces import Chart, Missing
from lagesbild_lib.analysis.survey import pick_survey, subarea_shares
from lagesbild_lib.sections.common import missing_table_geo, per_context
from lagesbild_lib.sections.facts import survey_facts
from lagesbild_lib.sections.safety_analysis import (
    ANSWER, SHARE_FORMATS, SafetyAnalysis, analyse, no_rows, subareas_of,
)


def unsafety_map(ctx: ChapterContext) -> Chart | Missing:
    """Kartbild "Otrygghet kvällstid": choropleth of this year's share by sub-area, few respondents hatched.

    Areas are the report area's sub-areas when the survey has at least two of them, otherwise the
    report area and its neighbours under the same parent (e.g. the stadsdelsområden of the city when
    the survey has no finer level), the report area outlined.
    """
    a = analyse(ctx)
    if not a.ok:
        return no_rows(ctx, a, "Kartan")
    layer = ctx.data.geo("areas")
    if layer is None:
        return missing_table_geo("Kartan", "areas.geojson", "områdesgränserna")
    units, highlight, level = _map_units(ctx, a)
    if len(units) < 2:
        return Missing(f"Kartan kan inte visas: {a.survey_name} har andelar för färre än två delområden {ctx.year}.")
    outlines = {k: to_sweref(g) for k, g in area_outlines(layer, ctx.areas, list(units["area_id"])).items()}
    if not outlines:
        return Missing("Kartan kan inte visas: områdena saknar gränser i areas.geojson.")
    units = units[units["area_id"].isin(outlines)]
    what = f"{a.text.caption[0].lower() + a.text.caption[1:]} per {level} {ctx.year}"
    schematic, origin_note = outline_origin(layer, ctx.areas, list(outlines))
    note = "Streckade områden: färre än 30 svarande, andelen är osäker. Klassgränserna är hela procent; en andel på gränsen hör till den högre klassen."
    ground = ground_from_layer(ctx.data.geo("basemap"), outlines)
    if ground is not None:
        note = f"{note} {ground_note(ground)}"
    if origin_note:
        note = f"{origin_note} {note}"
    title = f"{a.text.map_title} {ctx.year}" + (" (schematisk karta)" if schematic else "")
    scheme = unsafety_scheme(ctx)
    return Chart(
        figure=plot_choropleth(outlines, units, title=title, legend_title=a.text.column, highlight=highlight, scheme=scheme, ground=ground),
        caption=f"{a.text.map_title}: {what} ({a.survey_name})" + (", schematisk karta" if schematic else ""),
        alt=choropleth_alt(units, what + (" (schematisk karta)" if schematic else ""), ctx.area.name if highlight else None, scheme=scheme),
        data=units.rename(columns={"name": "Område", "share": "Andel", "lo": "KI nedre", "hi": "KI övre", "respondents": "Svarande",
                                   "small": "Färre än 30 svarande"})[["Område", "Andel", "KI nedre", "KI övre", "Svarande", "Färre än 30 svarande"]],
        kind="Kartbild",
        note=note,
        formats=SHARE_FORMATS,
    )


LEVEL_WORDS = {"stadsdelsomrade": "stadsdelsområde", "stadsdel": "stadsdel", "delomrade": "delområde", "kommun": "kommun"}


def _level_word(ctx: ChapterContext, area_ids) -> str:
    """How the map's areas are called in the caption ("per stadsdel"); "delområde" when mixed or unknown."""
    levels = {ctx.areas.get(a).level for a in area_ids}
    return LEVEL_WORDS.get(levels.pop(), "delområde") if len(levels) == 1 else "delområde"


def _map_units(ctx: ChapterContext, a: SafetyAnalysis) -> tuple[pd.DataFrame, str | None, str]:
    subs = subareas_of(ctx, a.now, a)
    if len(subs) >= 2:
        children = ctx.areas.children(ctx.area.area_id)
        missing = [c for c in children if c not in set(subs["area_id"])]
        filler = pd.DataFrame({"area_id": missing, "name": [ctx.areas.name(c) for c in missing], "share": float("nan"), "small": False})
        return pd.concat([subs, filler], ignore_index=True) if missing else subs, None, _level_word(ctx, children)
    parent = ctx.area.parent_id
    if parent is None:
        return subs, None, "delområde"
    survey = ctx.data.table("survey")
    siblings = subarea_shares(survey, ctx.areas, parent, ctx.year, a.question, ANSWER, survey_name=a.survey_name)
    siblings = siblings[siblings["area_id"] != parent]
    return siblings, ctx.area.area_id, _level_word(ctx, siblings["area_id"])


# --------------------------------------------------------------------------- one scheme on every map


def overview_survey(ctx: ChapterContext, survey: pd.DataFrame, rows: list[str]) -> tuple[pd.DataFrame, str, int] | None:
    """The overview map's shares (Kartbild 1): per map row from the latest survey year up to the
    report year that has any, and that survey and year."""
    question = ctx.params.survey_question
    if rows == [ctx.area.area_id]:
        facts = survey_facts(ctx)
        if facts is None:
            return None
        table = subarea_shares(survey, ctx.areas, ctx.area.area_id, facts.year, question, "ja", survey_name=facts.survey)
        return table[table["area_id"] == ctx.area.area_id], facts.survey, facts.year
    part = survey[(survey["question"] == question) & survey["area_id"].isin(rows)]
    for year in sorted((int(y) for y in part["year"].unique() if y <= ctx.year), reverse=True):
        name = pick_survey(part[part["year"] == year], rows, question)
        if name is None:
            continue
        table = subarea_shares(survey, ctx.areas, ctx.area.area_id, year, question, "ja", survey_name=name)
        table = table[table["area_id"].isin(rows)]
        if len(table):
            return table, name, year
    return None


@per_context
def unsafety_scheme(ctx: ChapterContext) -> ClassScheme:
    """The classes and colours of the survey share on every map of the report: one scheme over the
    shares the overview map (Kartbild 1) and the evening-unsafety map show, so that a colour means
    the same share on both."""
    survey = ctx.data.table("survey")
    shares: list[float] = []
    if survey is not None:
        found = overview_survey(ctx, survey, [a.area_id for a in ctx.sub_areas] or [ctx.area.area_id])
        if found is not None:
            shares += list(found[0]["share"])
        a = analyse(ctx)
        if a.ok:
            units, _, _ = _map_units(ctx, a)
            shares += list(units["share"])
    return share_scheme(shares)
