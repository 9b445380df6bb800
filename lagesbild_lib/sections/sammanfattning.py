"""Chapter 0, Sammantagen bedömning: narrative, key figures, level legend, weekly grid, overview map."""

from __future__ import annotations


import pandas as pd

from lagesbild_lib.analysis import breaks as series_breaks, disclosure
from lagesbild_lib.context import ChapterContext
from lagesbild_lib.present.fmt import fmt_int, fmt_pct, fmt_period, fmt_share_ci, fmt_signed_int
from lagesbild_lib.figures.basemap import ground_from_layer, ground_note
from lagesbild_lib.figures.maps import area_outlines, outline_origin
from lagesbild_lib.data.crs import points_to_sweref, to_sweref
from lagesbild_lib.figures.overview import OverviewLayers, area_places, overview_alt, plot_overview, vulnerable_within
from lagesbild_lib.analysis.population import population_total, population_year
from lagesbild_lib.present.pieces import Chart, KeyFigures, Missing, Table, Text
from lagesbild_lib.present.text import capitalise, change_wording, few_cases_caveat, plural
from lagesbild_lib.analysis.weekly import (
    event_types_by_week,
    iso_weeks_in_year,
    last_assessed_week,
    level_legend_data,
    level_legend_html,
    period_last_week,
    weekly_data,
    weekly_grid,
    weekly_grid_html,
    weekly_sentence,
    weeks_words,
)
from lagesbild_lib.sections.common import empty_filter, missing_table, missing_table_geo, narrative
from lagesbild_lib.sections.safety_map import overview_survey, unsafety_scheme
from lagesbild_lib.sections.facts import crime_facts, event_counts, key_figure_label, survey_facts, week_facts, weekly_rows

SHARE_LABELS = {"otrygg_kvallstid": "Andelen otrygga ute ensamma sent på kvällen"}


def assessment_text(ctx: ChapterContext) -> Text:
    """The analysts' overall assessment (params ``narrative.sammantagen_bedomning``)."""
    return narrative(ctx, "sammantagen_bedomning", "Den sammantagna bedömningen är inte skriven ännu (params: narrative.sammantagen_bedomning).")


def _share_short(ctx: ChapterContext) -> str:
    question = ctx.params.survey_question
    return "Otrygga ute ensamma kvällstid" if question == "otrygg_kvallstid" else f"Andel ja, {question}"


def _share_label(ctx: ChapterContext) -> str:
    question = ctx.params.survey_question
    return SHARE_LABELS.get(question, f"Andelen som svarat ja på frågan {question}")


# --------------------------------------------------------------------------- key figures and sentences


def key_figures(ctx: ChapterContext) -> KeyFigures:
    """Population, reported crimes in the period and their change, weeks at level ≥ 4, critical events, unsafety."""
    items: list[tuple[str, str]] = []
    pop = ctx.data.table("population")
    if pop is not None and (py := population_year(pop, ctx.year)) is not None:
        total = population_total(pop, ctx.areas, ctx.area.area_id, py)
        if total is not None:
            items.append((f"Folkmängd {py}", fmt_int(total)))
    small = ctx.params.suppress_below
    crimes = crime_facts(ctx)
    if crimes is not None:
        test = crimes.test
        # every crime type, not only those the CompStat table shows: the label says so
        items.append((f"Anmälda brott, alla brottstyper, {fmt_period(crimes.start, crimes.end)}", disclosure.mask_count(test.after, small)))
        change = fmt_pct(test.pct, decimals=0, signed=True) if test.pct is not None else f"{fmt_signed_int(test.diff)} brott"
        if disclosure.any_masked((test.before, test.after), small):
            change = disclosure.SUPPRESSED  # a change from or to a masked count would give it away
        else:
            change = f"{change} ({change_wording(test.significant)})"
        items.append((f"Förändring mot samma period {ctx.year - 1}", change))
    weekly = ctx.data.table("weekly_assessments")
    weeks = week_facts(ctx, weekly) if weekly is not None else None
    if weeks is not None:  # the period's weeks, as the crimes beside them
        items.append((f"Veckor med nivå 4 eller 5, {weeks_words(weeks.last_week)}", f"{fmt_int(weeks.high)} av {fmt_int(weeks.reported)}"))
    events = event_counts(ctx)
    if events is not None:
        items.append((f"Kritiska händelser {fmt_period(ctx.period_start, ctx.period_end)}", disclosure.mask_count(sum(events[0].values()), small)))
    survey = survey_facts(ctx)
    if survey is not None:
        label = key_figure_label(ctx.params.survey_question)
        # the survey and, when it is not the report's year, that this is the latest measurement
        when = f"{survey.year}" if survey.year == ctx.year else f"{survey.year}, senaste mätningen"
        items.append((f"{label} {when} ({survey.survey})", fmt_share_ci(survey.share, survey.lo, survey.hi)))
    return KeyFigures(tuple(items))


def summary_text(ctx: ChapterContext) -> Text | None:
    """The key figures in sentences, generated from the data (no number is typed anywhere)."""
    sentences: list[str] = []
    name = ctx.area.name
    small = ctx.params.suppress_below
    crimes = crime_facts(ctx)
    if crimes is not None and disclosure.any_masked((crimes.test.before, crimes.test.after), small):
        t = crimes.test
        sentences.append(
            f"Under perioden {fmt_period(crimes.start, crimes.end)} anmäldes {disclosure.count_phrase(t.after, 'brott', small)} "
            f"i {name}, mot {disclosure.count_words(t.before, small)} under samma period {ctx.year - 1}."
        )
    elif crimes is not None:
        t = crimes.test
        period = fmt_period(crimes.start, crimes.end)
        if t.diff == 0:
            change = f"lika många som under samma period {ctx.year - 1}"
        else:
            more = "fler" if t.diff > 0 else "färre"
            pct = f" ({fmt_pct(t.pct, 0, signed=True)})" if t.pct is not None else ""
            change = f"{fmt_int(abs(t.diff))} {more}{pct} än under samma period {ctx.year - 1}"
        sentences.append(f"Under perioden {period} anmäldes {plural(t.after, 'brott', words=True)} i {name}, {change}.")
        if t.diff != 0:
            sentences.append(f"Förändringen är {change_wording(t.significant)}.")
        if crimes.in_tables is not None and crimes.in_tables != t.after:
            sentences.append(
                f"Antalet gäller alla brottstyper; {fmt_int(crimes.in_tables)} av brotten hör till de brottstyper som "
                "CompStat-tabellen i kapitlet om brottsligheten visar ({ref:brottslighet.compstat})."
            )
        caveat = few_cases_caveat("anmälda brott totalt", t)
        if caveat:
            sentences.append(caveat)
        crossed = series_breaks.crossing([b for b in ctx.params.series_breaks if b.category], ctx.year - 1, ctx.year)
        if crossed:  # a category counted differently from this year on is in the total too
            labels = dict(zip(ctx.data.table("crime_categories")["category"], ctx.data.table("crime_categories")["label"]))
            sentences.append(series_breaks.notes((b, str(labels.get(b.category, b.category)).lower()) for b in crossed)
                             + f" Jämförelsen med {ctx.year - 1} spänner över uppbrottet.")
        if crimes.whole_months:
            sentences.append("Antalen bygger på månadsvis statistik och avser hela månader.")
    events = event_counts(ctx)
    if events is not None:
        counts, fatal = events
        period = fmt_period(ctx.period_start, ctx.period_end)
        if sum(counts.values()) == 0:
            sentences.append(f"Inga kritiska händelser registrerades i {name} under perioden {period}.")
        else:
            tail = ""
            if fatal:
                tail = f", varav {disclosure.count_phrase(fatal, 'händelse', small, words=True)} med dödlig utgång"
            sentences.append(f"Under perioden {period} registrerades {disclosure.count_sentence(counts, small)} i {name}{tail}.")
    survey = survey_facts(ctx)
    if survey is not None:
        if ctx.params.survey_question == "otrygg_kvallstid":
            what = "att de känner sig otrygga ute ensamma sent på kvällen"
        else:
            what = f"ja på frågan {ctx.params.survey_question}"
        sentences.append(
            f"I {survey.survey} {survey.year} svarade {fmt_share_ci(survey.share, survey.lo, survey.hi)} av de "
            f"{fmt_int(survey.respondents)} svarande i {name} {what}."
        )
    if not sentences:
        return None
    return Text(" ".join(sentences))


# --------------------------------------------------------------------------- level legend and weekly grid


def level_legend() -> Table:
    """Tabell: Förklaring lägesbedömning (levels 1–5 with their colours)."""
    return Table(caption="Förklaring lägesbedömning", markup=level_legend_html(), data=level_legend_data())


def weekly_table(ctx: ChapterContext) -> Table | Missing:
    """Tabell: the year's weekly assessments, sub-areas × ISO weeks, critical events marked."""
    weekly = ctx.data.table("weekly_assessments")
    if weekly is None:
        return missing_table(ctx, "weekly_assessments", "Årssammanställningen av lägesbedömningar")
    rows = weekly_rows(ctx, weekly)
    grid = weekly_grid(weekly, rows, ctx.year)
    if grid.isna().all().all():
        return empty_filter(
            f"Det finns inga veckovisa lägesbedömningar för {ctx.area.name} år {ctx.year} "
            f"(urvalet i lägesbedömningarna: år {ctx.year}, {ctx.area.name} eller dess delområden)."
        )
    names = {a: ctx.areas.name(a) for a in rows}
    events = ctx.data.table("critical_events")
    marks = event_types_by_week(events, ctx.areas, rows, ctx.year)
    if disclosure.active(ctx.params.suppress_below):
        marks = set(marks)  # mark the weeks, without the number of events of each type (small counts)
    notes = [] if events is not None else ["Kritiska händelser kan inte markeras: tabellen critical_events saknas i datamappen."]
    in_period = period_last_week(ctx.year, ctx.period_end)
    if 0 < in_period < last_assessed_week(grid):  # the key figures count the period's weeks only
        notes.append(
            f"Tabellen visar hela året. Nyckeltalen avser {weeks_words(in_period)}, till och med veckan då perioden "
            f"{fmt_period(ctx.period_start, ctx.period_end)} slutar."
        )
    note = " ".join(notes)
    return Table(
        caption=f"Årssammanställning av incidentrapportering {ctx.year} ({weeks_words(iso_weeks_in_year(ctx.year))}), {ctx.area.name}: "
        "lägesbedömning per ISO-vecka och delområde",
        markup=weekly_grid_html(grid, names, marks, year=ctx.year),
        data=weekly_data(grid, names, marks),
        note=note,
    )


def weekly_text(ctx: ChapterContext) -> Text | None:
    """A sentence or two summing up the weekly grid."""
    weekly = ctx.data.table("weekly_assessments")
    if weekly is None:
        return None
    rows = weekly_rows(ctx, weekly)
    grid = weekly_grid(weekly, rows, ctx.year)
    marks = event_types_by_week(ctx.data.table("critical_events"), ctx.areas, rows, ctx.year)
    text = weekly_sentence(grid, {a: ctx.areas.name(a) for a in rows}, marks, ctx.area.name, ctx.year, ctx.period_end)
    return Text(text) if text else None


# --------------------------------------------------------------------------- overview map


def _map_rows(ctx: ChapterContext) -> list[str]:
    return [a.area_id for a in ctx.sub_areas] or [ctx.area.area_id]


def _places(ctx: ChapterContext) -> pd.DataFrame | None:
    places = ctx.data.table("places")
    if places is None:
        return None
    return area_places(places, ctx.areas, ctx.area.area_id, _map_rows(ctx))


def overview_map(ctx: ChapterContext) -> Chart | Missing:
    """Kartbild "Översikt": sub-areas, the police's vulnerable areas, places and evening unsafety.

    Each optional layer whose table is missing is left out and named in the note under the map.
    """
    layer = ctx.data.geo("areas")
    rows = _map_rows(ctx)
    outlines = area_outlines(layer, ctx.areas, rows) if layer is not None else {}
    if not outlines:
        if layer is None:
            return missing_table_geo("Översiktskartan", "areas.geojson", "områdesgränserna")
        return Missing(f"Översiktskartan kan inte visas: areas.geojson har inga gränser för {ctx.area.name} eller dess delområden.")
    outlines = {a: to_sweref(g) for a, g in outlines.items()}
    names = {a: ctx.areas.name(a) for a in outlines}
    notes: list[str] = []
    if len(outlines) < len(rows):
        lacking = [ctx.areas.name(a) for a in rows if a not in outlines]
        notes.append(f"Gränser saknas för {', '.join(lacking)}.")

    vulnerable = []
    vlayer = ctx.data.geo("vulnerable_areas")
    if vlayer is None:
        notes.append("Polisens utsatta områden visas inte: vulnerable_areas.geojson saknas i datamappen.")
    else:
        from shapely.ops import unary_union

        whole = unary_union(list(outlines.values()))
        vulnerable = vulnerable_within([(p, to_sweref(g)) for p, g in vlayer.features], whole)

    places = _places(ctx)
    drawn = None
    if places is None:
        notes.append("Platser visas inte: tabellen places saknas i datamappen.")
    else:
        drawn = places[places["nr"].notna()].copy()
        if len(drawn):
            x, y = points_to_sweref(drawn["lon"].to_numpy(), drawn["lat"].to_numpy())
            drawn["x"], drawn["y"] = x, y
        if len(drawn) < len(places):
            notes.append(f"{capitalise(plural(len(places) - len(drawn), 'plats', words=True))} saknar koordinater och finns bara i tabellen.")

    shares = None
    share_label, share_short = _share_label(ctx), "Andel"
    table = pd.DataFrame()
    survey = ctx.data.table("survey")
    if survey is None:
        notes.append("Otryggheten visas inte: tabellen survey saknas i datamappen.")
    else:
        found = overview_survey(ctx, survey, list(outlines))
        if found is None:
            notes.append(
                f"Otryggheten visas inte: enkäten har inga svar på frågan {ctx.params.survey_question} per delområde i {ctx.area.name}."
            )
        else:
            table, name, year = found
            shares = dict(zip(table["area_id"], table["share"]))
            share_label = f"{share_label} ({name} {year})"
            share_short = f"{_share_short(ctx)} {year}"
            notes.append(f"Otryggheten: {name} {year}" + ("." if year == ctx.year else ", det senaste året med svar per delområde."))

    ground = ground_from_layer(ctx.data.geo("basemap"), outlines)
    layers = OverviewLayers(outlines, names, vulnerable, drawn, shares, share_label, share_short,
                            scheme=unsafety_scheme(ctx) if shares is not None else None, ground=ground)
    if ground is not None:
        notes.append(ground_note(ground))
    schematic, origin_note = outline_origin(ctx.data.geo("areas"), ctx.areas, list(outlines))
    caption = f"Översikt över {ctx.area.name}: delområden, polisens utsatta områden, platser" + (
        " och otrygghet" if shares is not None else ""
    ) + (" (schematisk karta)" if schematic else "")
    if origin_note:
        notes.insert(0, origin_note)
    return Chart(
        figure=plot_overview(layers, f"{ctx.area.name} {ctx.year}"),
        caption=caption,
        alt=overview_alt(layers, ctx.area.name),
        data=_overview_data(ctx, layers, table, places),
        kind="Kartbild",
        note=" ".join(notes),
    )


def _overview_data(ctx: ChapterContext, layers: OverviewLayers, shares: pd.DataFrame, places: pd.DataFrame | None) -> pd.DataFrame:
    """The numbers behind the map, one row per sub-area (Swedish formatted text)."""
    by_id = shares.set_index("area_id") if len(shares) else None
    rows = []
    for area, geom in layers.outlines.items():
        row = {"Delområde": layers.names[area]}
        if layers.shares is not None:
            if by_id is not None and area in by_id.index:
                s = by_id.loc[area]
                row["Andel (95 % KI)"] = fmt_share_ci(s["share"], s["lo"], s["hi"])
                row["Svarande"] = fmt_int(s["respondents"])
            else:
                row["Andel (95 % KI)"] = "–"
                row["Svarande"] = "–"
        if places is not None:
            row["Platser"] = fmt_int(int((places["sub_area_id"] == area).sum()))
        touching = [f"{name} ({category.lower()})" for name, category, poly in layers.vulnerable if poly.intersection(geom).area > 0.02 * geom.area]
        row["Polisens områden"] = ", ".join(touching) if touching else "–"
        rows.append(row)
    return pd.DataFrame(rows)


def places_table(ctx: ChapterContext) -> Table | Missing | Text:
    """Tabell: the places of the area (number on the map, name, type, sub-area)."""
    places = _places(ctx)
    if places is None:
        return missing_table(ctx, "places", "Förteckningen över platser")
    if places.empty:
        return Text(f"Inga platser (t.ex. prioriterade platser eller öppna drogscener) är registrerade för {ctx.area.name}.")
    shown = pd.DataFrame(
        {
            "Plats": places["name"],
            "Typ": [t[:1].upper() + t[1:] for t in places["type"]],
            "Delområde": places["sub_area"],
            "Nr på kartan": [fmt_int(n) if pd.notna(n) else "–" for n in places["nr"]],
        }
    )
    data = pd.DataFrame(
        {"Plats": places["name"], "Typ": places["type"], "Delområde": places["sub_area"], "Nr på kartan": places["nr"]}
    )
    return Table(caption=f"Platser i {ctx.area.name}", table=shown, data=data, numeric=("Nr på kartan",))

