"""Chapter 2, Beskrivning av brottsligheten: CompStat, trends, hotspots, intimate-partner crimes,
critical events and the key findings drafted from them.

The chapter's numbers are computed once per context (:func:`facts`, in
:mod:`lagesbild_lib.sections.crime_facts`) and shared by its tables, charts and findings. The trend
sections live in :mod:`lagesbild_lib.sections.crime_trends` and the critical-events sections in
:mod:`lagesbild_lib.sections.crime_events`; both are imported here, so the notebook reaches every
section as ``brottslighet.<name>``.

A series break (params ``series_breaks``) in the report year makes the CompStat comparison span it:
its rows, notes, caveats and findings say so.
"""

from __future__ import annotations

import pandas as pd

from lagesbild_lib.analysis import breaks as series_breaks, disclosure
from lagesbild_lib.context import ChapterContext
from lagesbild_lib.analysis.crime import flagged_categories, in_period, period_cut_short, period_year_counts, subarea_counts
from lagesbild_lib.figures.crime import plot_yearly_bars
from lagesbild_lib.analysis.findings import compstat_findings, concentration_finding, trend_findings
from lagesbild_lib.present.fmt import MONTHS_SHORT, fmt_int, fmt_num, fmt_period
from lagesbild_lib.figures.hotspot import kernel_density, located_points, peak_location, plot_hotspots
from lagesbild_lib.figures.basemap import ground_from_layer, ground_note
from lagesbild_lib.figures.maps import area_outlines, outline_origin
from lagesbild_lib.data.crs import to_sweref
from lagesbild_lib.present.pieces import Chart, Missing, Table, Text
from lagesbild_lib.analysis.stats import poisson_change_test
from lagesbild_lib.analysis.tables import compstat_data, compstat_display
from lagesbild_lib.present.text import few_cases_note, in_sentence, join_sv
from lagesbild_lib.analysis.crime_counts import COUNTS_MAP_NOTE, counts_caveat
from lagesbild_lib.params import SeriesBreak
from lagesbild_lib.sections.crime_events import events_table, events_text, events_timeline
from lagesbild_lib.sections.crime_rates import crime_rates
from lagesbild_lib.sections.crime_facts import (
    NO_CRIMES, CrimeFacts, breaks_by_label, breaks_in, breaks_note, facts, period as _period, small as _small,
)
from lagesbild_lib.sections.crime_trends import category_trends, trend_statements, trend_table, yearly_trend

#: The sections the chapter notebook calls, in the order it shows them.
__all__ = [
    "key_findings", "compstat", "compstat_caveats", "crime_rates", "yearly_trend", "category_trends", "trend_statements", "trend_table",
    "hotspot_map", "hotspot_table", "intimate_partner", "events_text", "events_timeline", "events_table",
]


def _compstat_breaks(ctx: ChapterContext, f: CrimeFacts) -> list[SeriesBreak]:
    """The series breaks of CompStat categories that the comparison with last year spans (a break this year)."""
    chosen = series_breaks.of_categories(ctx.params.series_breaks, f.compstat["category"])
    return series_breaks.crossing(chosen, ctx.year - 1, ctx.year)


def _spans_break(ctx: ChapterContext, f: CrimeFacts, crossed: list[SeriesBreak]) -> str:
    """"Serieuppbrott 2023: … (sexuellt ofredande). Jämförelsen med 2022 spänner över uppbrottet: …"."""
    return (
        f"{breaks_note(f, crossed)} Jämförelsen med {ctx.year - 1} spänner över uppbrottet, så förändringen kan bero på "
        "ändringen i hur brotten registreras."
    )


# ------------------------------------------------------------------------------- findings
def key_findings(ctx: ChapterContext) -> Text | Missing:
    """Nyckelfynd: drafted from the tables below, or the analysts' own text (params
    ``narrative.brottslighet_nyckelfynd``) when they have written one."""
    own = ctx.params.narrative.get("brottslighet_nyckelfynd", "").strip()
    if own:
        return Text(own)
    f = facts(ctx)
    if f is None:
        return Missing(f"Nyckelfynden {NO_CRIMES}.")
    lines = compstat_findings(f.compstat, ctx.year, _small(ctx), ctx.params.series_breaks)
    lines += trend_findings(f.category_years, breaks_by_label(ctx, f))
    concentration = violent_by_subarea(ctx, f)
    if concentration is not None:
        lines.append(concentration_finding(concentration, "våldsbrott", fmt_period(ctx.period_start, ctx.period_end), _small(ctx)))
    lines = [line for line in lines if line]
    if not lines:
        return Text("*Inga nyckelfynd kunde tas fram ur data.*")
    head = "*Utkast framtaget ur data; analytikerna kan ersätta det (params: narrative.brottslighet_nyckelfynd).*\n\n"
    return Text(head + "\n".join(f"- {line}" for line in lines))


# ------------------------------------------------------------------------------- CompStat
def compstat(ctx: ChapterContext) -> Table | Missing:
    """Tabell: CompStat, this year's period against the same period last year."""
    f = facts(ctx)
    if f is None:
        return Missing(f"CompStat-tabellen {NO_CRIMES}.")
    period = fmt_period(ctx.period_start, ctx.period_end)
    small = _small(ctx)
    shown = compstat_display(f.compstat, ctx.year, f.population, small)
    masked = disclosure.any_masked(list(f.compstat["before"]) + list(f.compstat["after"]), small)
    crossed = _compstat_breaks(ctx, f)
    if crossed:  # the rows whose comparison spans a break, and their group's subtotal, say so
        broken = f.compstat[f.compstat["category"].isin([b.category for b in crossed])]
        named = set(broken["label"]) | {f"Summa {g.lower()}" for g in broken["group"]}
        flag = shown["Brottskategori"].isin(named) & (shown["Bedömning"] != disclosure.SUPPRESSED)
        shown.loc[flag, "Bedömning"] = shown.loc[flag, "Bedömning"] + f" ({series_breaks.FLAG})"
    return Table(
        caption=f"CompStat {ctx.area.name}. Anmälda brott i urval, {period} jämfört med samma period {ctx.year - 1}",
        table=shown,
        data=compstat_data(f.compstat, ctx.year, small),
        numeric=tuple(c for c in shown.columns[1:] if c != "Bedömning"),
        nowrap=("Bedömning",),
        strong_rows=tuple(i for i, label in enumerate(shown["Brottskategori"]) if label.startswith("Summa ")),
        note=disclosure.with_note(
            "Statistiskt säkerställd: exakt Poissontest (villkorat binomialtest), p < 0,05. Få fall: färre än 20 brott "
            "de två perioderna sammanlagt. Per 1 000 invånare: årets antal delat med folkmängden."
            + (f" {_spans_break(ctx, f, crossed)}" if crossed else ""),
            small, masked,
        ),
    )


def compstat_caveats(ctx: ChapterContext) -> Text | None:
    """The caveat sentences for changes that rest on few cases."""
    f = facts(ctx)
    if f is None:
        return None
    small = _small(ctx)
    note = few_cases_note(
        (r.label, poisson_change_test(int(r.before), int(r.after)))
        for r in f.compstat.itertuples(index=False)
        if not disclosure.any_masked((r.before, r.after), small)  # the caveat states both counts
    )
    sentences = [note] if note else []
    crossed = _compstat_breaks(ctx, f)
    if crossed:
        sentences.append(_spans_break(ctx, f, crossed))
    if f.counts is not None:
        sentences.insert(0, counts_caveat(f.counts))
    return Text(" ".join(sentences)) if sentences else None


# ------------------------------------------------------------------------------- where
def violent_by_subarea(ctx: ChapterContext, f: CrimeFacts | None = None) -> pd.DataFrame | None:
    """Violent crimes of the year per sub-area, most first, with the rate per 1 000 inhabitants."""
    f = f or facts(ctx)
    violent = flagged_categories(f.categories, "violent") if f else []
    if f is None or not violent or not ctx.sub_areas or (f.counts is not None and not f.counts.sub_area_detail):
        return None
    counts = subarea_counts(f.crimes, ctx.areas, ctx.area.area_id, violent, ctx.year, ctx.period_end)
    frame = pd.DataFrame({"area_id": counts.index, "name": [ctx.areas.name(a) for a in counts.index], "count": counts.to_numpy()})
    pops = frame["area_id"].map(f.population_by_subarea)
    frame["population"] = pops
    frame["rate"] = [1000.0 * c / p if p else float("nan") for c, p in zip(frame["count"], pops)]
    return frame.sort_values(["count", "name"], ascending=[False, True]).reset_index(drop=True)


def hotspot_map(ctx: ChapterContext) -> Chart | Missing:
    """Kartbild: kernel density of violent crimes in the year over the sub-area outlines."""
    f = facts(ctx)
    if f is None:
        return Missing(f"Kartan över våldsbrottens koncentration {NO_CRIMES}.")
    if f.counts is not None:
        return Missing(COUNTS_MAP_NOTE)
    violent = flagged_categories(f.categories, "violent")
    if not violent:
        return Missing("Ingen brottskategori är markerad som våldsbrott (kolumnen violent i crime_categories), så ingen koncentrationskarta kan ritas.")
    layer = ctx.data.geo("areas")
    if layer is None:
        return Missing("Kartan kan inte ritas: områdesgränserna (areas.geojson) saknas i datamappen.")
    year_crimes = in_period(f.crimes[f.crimes["category"].isin(violent)], ctx.year, ctx.period_end)
    points = located_points(year_crimes)
    if len(points) == 0:
        return Missing(f"Kartan kan inte ritas: brotten {ctx.year} saknar koordinater (lon, lat).")
    small = _small(ctx)
    if disclosure.is_masked(len(points), small):  # a few blobs on a map would show where and how many
        return Missing(disclosure.left_out(f"Kartan över våldsbrottens koncentration i {ctx.area.name}", small))
    rows = [a.area_id for a in ctx.sub_areas] or [ctx.area.area_id]
    outlines = {a: to_sweref(g) for a, g in area_outlines(layer, ctx.areas, rows).items()}
    whole = area_outlines(layer, ctx.areas, [ctx.area.area_id]).get(ctx.area.area_id)
    if whole is None or not outlines:
        return Missing(f"Kartan kan inte ritas: områdesgränserna saknar {ctx.area.name}.")
    density = kernel_density(points, to_sweref(whole))
    names = {a: ctx.areas.name(a) for a in rows}
    peak = peak_location(density, outlines)
    table = violent_by_subarea(ctx, f)
    period = fmt_period(ctx.period_start, ctx.period_end)
    # what the map counts, by name; ";" between them, as the labels themselves hold commas
    labels = "; ".join(in_sentence(f.categories.set_index("category").loc[c, "label"]) for c in violent)
    alt = f"Karta över {ctx.area.name} med koncentrationen av {disclosure.count_words(len(points), small)} anmälda våldsbrott {period}"
    alt += f"; störst koncentration i {names[peak]}." if peak else "."
    note = "Kärnskattning (Gaussisk, bandbredd 250 m) i SWEREF 99 TM; svaga koncentrationer visas inte."
    ground = ground_from_layer(ctx.data.geo("basemap"), outlines)
    if ground is not None:
        note += " " + ground_note(ground)
    origin_note = outline_origin(layer, ctx.areas, rows)[1]
    if origin_note:
        note += " " + origin_note
    data = table[["name", "count", "rate"]].rename(columns={"name": "Delområde", "count": "Våldsbrott", "rate": "Per 1 000 invånare"}) if table is not None else pd.DataFrame()
    masked = table is not None and disclosure.any_masked(table["count"], small)
    if masked:
        data = disclosure.mask_data(data.round(1), ["Våldsbrott"], small, derived=["Per 1 000 invånare"])
    return Chart(
        figure=plot_hotspots(density, outlines, names, f"Våldsbrott {period}", ground=ground),
        caption=f"Koncentration av anmälda våldsbrott i {ctx.area.name}, {period} ({labels})",
        alt=alt,
        data=data if masked else data.round(1),
        kind="Kartbild",
        note=disclosure.with_note(note, small, masked),
    )


def hotspot_table(ctx: ChapterContext) -> Table | None:
    """Tabell: sub-areas by number of violent crimes and rate per 1 000 inhabitants."""
    table = violent_by_subarea(ctx)
    if table is None:
        return None
    shown = pd.DataFrame(
        {
            "Delområde": table["name"],
            "Våldsbrott": table["count"].map(fmt_int),
            "Folkmängd": table["population"].map(fmt_int),
            "Per 1 000 invånare": table["rate"].map(lambda v: fmt_num(v, 1)),
        }
    )
    data = table[["name", "count", "population", "rate"]].rename(columns={"name": "Delområde", "count": "Våldsbrott", "population": "Folkmängd", "rate": "Per 1 000 invånare"})
    small = _small(ctx)
    masked = disclosure.any_masked(table["count"], small)
    if masked:
        shown = disclosure.mask_display(data, ["Våldsbrott"], small, derived=["Per 1 000 invånare"], formatted=shown)
        data = disclosure.mask_data(data, ["Våldsbrott"], small, derived=["Per 1 000 invånare"])
    return Table(
        caption=f"Anmälda våldsbrott per delområde i {ctx.area.name}, {fmt_period(ctx.period_start, ctx.period_end)}, flest först",
        table=shown,
        data=data,
        note=disclosure.with_note("", small, masked),
    )


# ------------------------------------------------------------------------------- intimate partner
def intimate_partner(ctx: ChapterContext) -> Chart | Missing:
    """Diagram: crimes in close relationships 1 jan–period end of each year; a last year whose data
    end inside the period is marked."""
    f = facts(ctx)
    if f is None:
        return Missing(f"Brotten i nära relation {NO_CRIMES}.")
    cats = flagged_categories(f.categories, "intimate_partner")
    if not cats:
        return Missing("Ingen brottskategori är markerad som brott i nära relation (kolumnen intimate_partner i crime_categories).")
    counts = period_year_counts(f.crimes, cats, ctx.period_end, f.years)
    end = period_cut_short(f.crimes, ctx.year, ctx.period_end)
    partial = ctx.year if end is not None else None
    cut = f"{end.day} {MONTHS_SHORT[end.month - 1]}" if partial else ""
    label = f"t.o.m. {cut}" if partial else ""
    labels = join_sv(in_sentence(x) for x in f.categories.set_index("category").loc[cats, "label"])
    first, last = counts.index[0], counts.index[-1]
    small = _small(ctx)
    if disclosure.mostly_masked(counts, small):
        return Missing(disclosure.left_out(f"Diagrammet över anmälda brott i nära relation i {ctx.area.name}, {_period(ctx)} varje år,", small))
    masked = {y for y, v in counts.items() if disclosure.is_masked(v, small)}
    alt = (
        f"Stapeldiagram över anmälda brott i nära relation ({labels}) i {ctx.area.name}, {_period(ctx)} varje år: "
        f"{disclosure.count_words(counts[first], small)} år {first} och {disclosure.count_words(counts[last], small)} år {last}"
    )
    alt += f" ({label})." if partial else "."
    data = counts.reset_index()
    data["Antal"] = [disclosure.mask_value(v, small) for v in data["Antal"]]
    data["Period"] = [f"1 jan–{cut}" if y == partial else _period(ctx) for y in data["År"]]
    drawn = counts.astype(int).where(~counts.index.isin(list(masked)), small)
    found = breaks_in(ctx, f, cats, list(counts.index))
    shown_breaks = f"{breaks_note(f, found)} Streckad linje: serieuppbrott." if found else ""
    alt += f" {breaks_note(f, found)}" if found else ""
    gray = f"Gråprickig stapel: färre än {small}, ritad vid {small}. " if masked else ""
    return Chart(
        note=disclosure.with_note((gray + shown_breaks).strip(), small, bool(masked), chart=True),
        figure=plot_yearly_bars(
            drawn, partial, label, f"Anmälda brott i nära relation, {_period(ctx)}", masked=masked, masked_label=disclosure.mask_label(small),
            breaks=[b.year for b in found],
        ),
        caption=f"Anmälda brott i nära relation per år i {ctx.area.name}, {_period(ctx)} varje år {first}–{last} ({labels})"
        + (f"; {last} {label}" if partial else ""),
        alt=alt,
        data=data,
    )
