"""Chapter 2, Beskrivning av brottsligheten: CompStat, trends, hotspots, intimate-partner crimes,
critical events and the key findings drafted from them.

The chapter's numbers are computed once per context (:func:`facts`) and shared by its tables,
charts and findings. The critical-events sections live in
:mod:`lagesbild_lib.sections.crime_events` and are imported here, so the notebook reaches every
section as ``brottslighet.<name>``.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from lagesbild_lib.analysis import disclosure
from lagesbild_lib.context import ChapterContext
from lagesbild_lib.analysis.crime import (
    category_year_counts, compstat_table, flagged_categories, in_period, period_cut_short, period_words, period_year_counts,
    subarea_counts, yearly_period_counts,
)
from lagesbild_lib.figures.crime import plot_category_trends, plot_yearly_bars
from lagesbild_lib.figures.common import plot_yearly_counts, yearly_counts_alt
from lagesbild_lib.analysis.findings import compstat_findings, concentration_finding, trend_findings
from lagesbild_lib.present.fmt import MONTHS_SHORT, fmt_int, fmt_num, fmt_pct, fmt_period
from lagesbild_lib.figures.hotspot import kernel_density, located_points, peak_location, plot_hotspots
from lagesbild_lib.figures.maps import SCHEMATIC_NOTE, area_outlines
from lagesbild_lib.data.crs import to_sweref
from lagesbild_lib.analysis.population import population_total, population_year
from lagesbild_lib.present.pieces import Chart, Missing, Table, Text
from lagesbild_lib.analysis.stats import poisson_change_test
from lagesbild_lib.analysis.tables import compstat_data, compstat_display
from lagesbild_lib.present.text import capitalise, change_wording, count_of, few_cases_note, in_sentence, join_sv
from lagesbild_lib.analysis.trend import poisson_trend
from lagesbild_lib.analysis.crime_counts import COUNTS_MAP_NOTE, CountsBasis, counts_caveat, crimes_from_counts
from lagesbild_lib.sections.common import crimes_or_none, per_context
from lagesbild_lib.sections.crime_events import events_table, events_text, events_timeline

#: The sections the chapter notebook calls, in the order it shows them.
__all__ = [
    "key_findings", "compstat", "compstat_caveats", "yearly_trend", "category_trends", "trend_statements", "trend_table",
    "hotspot_map", "hotspot_table", "intimate_partner", "events_text", "events_timeline", "events_table",
]

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


def _small(ctx: ChapterContext) -> int:
    """``suppress_below`` of the report (counts 1..N−1 are masked; 0 masks nothing)."""
    return ctx.params.suppress_below


def _period(ctx: ChapterContext) -> str:
    return period_words(ctx.period_end)


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
    lines = compstat_findings(f.compstat, ctx.year, _small(ctx))
    lines += trend_findings(f.category_years)
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
    return Table(
        caption=f"CompStat {ctx.area.name}. Anmälda brott i urval, {period} jämfört med samma period {ctx.year - 1}",
        table=shown,
        data=compstat_data(f.compstat, ctx.year, small),
        numeric=tuple(c for c in shown.columns[1:] if c != "Bedömning"),
        nowrap=("Bedömning",),
        strong_rows=tuple(i for i, label in enumerate(shown["Brottskategori"]) if label.startswith("Summa ")),
        note=disclosure.with_note(
            "Statistiskt säkerställd: exakt Poissontest (villkorat binomialtest), p < 0,05. Få fall: färre än 20 brott "
            "de två perioderna sammanlagt. Per 1 000 invånare: årets antal delat med folkmängden.",
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
    if f.counts is not None:
        sentences.insert(0, counts_caveat(f.counts))
    return Text(" ".join(sentences)) if sentences else None


# ------------------------------------------------------------------------------- trends
def yearly_trend(ctx: ChapterContext) -> Chart | Missing:
    """Diagram: CompStat groups per year over all years, each cut at the same period end."""
    f = facts(ctx)
    if f is None:
        return Missing(f"Utvecklingen över åren {NO_CRIMES}.")
    frame = yearly_period_counts(f.crimes, f.categories, ctx.period_end, f.years)
    period = _period(ctx)
    small = _small(ctx)
    what = f"anmälda brott i urval i {ctx.area.name}, {period} varje år"
    if disclosure.mostly_masked(frame.to_numpy().ravel(), small):
        return Missing(disclosure.left_out(f"Diagrammet över {what}", small))
    masked = disclosure.any_masked(frame.to_numpy().ravel(), small)
    return Chart(
        figure=plot_yearly_counts(disclosure.hidden_in_chart(frame, small), f"Anmälda brott i urval, {period}"),
        caption=f"Anmälda brott i urval per brottsgrupp i {ctx.area.name}, {period} varje år {f.years[0]}–{f.years[-1]}",
        alt=_masked_yearly_alt(frame, what, small) if masked else yearly_counts_alt(frame, what),
        data=disclosure.mask_wide(frame, small, display=False).reset_index(),
        note=disclosure.with_note("", small, masked, chart=True),
    )


def _masked_yearly_alt(frame: pd.DataFrame, what: str, small: int) -> str:
    """Alt text of a yearly line chart whose small counts are masked."""
    first, last = frame.index[0], frame.index[-1]
    parts = [
        f"{str(col).lower()} från {disclosure.count_words(frame.loc[first, col], small)} år {first} "
        f"till {disclosure.count_words(frame.loc[last, col], small)} år {last}"
        for col in frame.columns
    ]
    return f"Linjediagram över {what}: {join_sv(parts)}."


def category_trends(ctx: ChapterContext) -> Chart | Missing | None:
    """Diagram: one small chart per CompStat category over all years."""
    f = facts(ctx)
    if f is None or len(f.years) < 2:
        return None
    frame = f.category_years
    small = _small(ctx)
    if disclosure.mostly_masked(frame.to_numpy().ravel(), small):
        return Missing(disclosure.left_out(f"Diagrammen över anmälda brott per kategori, {_period(ctx)} varje år,", small))
    masked = disclosure.any_masked(frame.to_numpy().ravel(), small)
    trends = {c: poisson_trend(frame[c].to_dict()) for c in frame.columns}
    rising = [c for c, t in trends.items() if t is not None and t.significant and t.yearly_pct > 0]
    falling = [c for c, t in trends.items() if t is not None and t.significant and t.yearly_pct < 0]
    n = len(frame.columns)
    named = lambda cats: "; ".join(in_sentence(c) for c in cats)  # noqa: E731 — labels hold commas
    parts = [f"{count_of(len(rising), n, 'kategori', 'kategorier')} har en statistiskt säkerställd ökande trend"
             + (f" ({named(rising)})" if rising else "")]
    parts.append(f"{count_of(len(falling), n, 'kategori', 'kategorier')} en statistiskt säkerställd minskande trend"
                 + (f" ({named(falling)})" if falling else ""))
    alt = (
        f"Små diagram, ett per brottskategori, {f.years[0]}–{f.years[-1]}, {_period(ctx)} varje år. "
        f"{capitalise(parts[0])} och {parts[1]}; för övriga är trenden inte statistiskt säkerställd."
    )
    return Chart(
        figure=plot_category_trends(
            disclosure.hidden_in_chart(frame, small), f"Anmälda brott per kategori, {_period(ctx)}", masked_below=small if masked else 0
        ),
        caption=f"Anmälda brott per kategori i {ctx.area.name}, {_period(ctx)} varje år {f.years[0]}–{f.years[-1]}",
        alt=alt,
        data=disclosure.mask_wide(frame, small, display=False).reset_index(),
        note=disclosure.with_note("Grått fält: där ligger de antal som inte ritas ut." if masked else "", small, masked, chart=True),
    )


def trend_table(ctx: ChapterContext) -> Table | None:
    """Tabell: average yearly change per category (Poisson regression) with its 95 % interval."""
    f = facts(ctx)
    if f is None or len(f.years) < 3:
        return None
    rows, data = [], []
    small, masked, few = _small(ctx), False, False
    for label in f.category_years.columns:
        series = f.category_years[label].to_dict()
        trend = poisson_trend(series)
        if trend is None:
            continue
        first, last = series[f.years[0]], series[f.years[-1]]
        if disclosure.any_masked(series.values(), small):
            # a trend fitted to a series with a masked year would help to work that year out
            masked = True
            rows.append([label, disclosure.mask_count(first, small), disclosure.mask_count(last, small)] + [disclosure.SUPPRESSED] * 3)
            data.append([label, disclosure.mask_value(first, small), disclosure.mask_value(last, small), None, None, None, None])
            continue
        # the one few-case rule (CompStat's): fewer than ten cases a year on average
        wording = change_wording(trend.significant) + (" (få fall)" if trend.few_cases else "")
        few = few or trend.few_cases
        rows.append([
            label, fmt_int(first), fmt_int(last),
            fmt_pct(trend.yearly_pct, 1, signed=True), f"{fmt_pct(trend.lo_pct, 1, signed=True)} till {fmt_pct(trend.hi_pct, 1, signed=True)}", wording,
        ])
        data.append([label, first, last, round(trend.yearly_pct, 2), round(trend.lo_pct, 2), round(trend.hi_pct, 2), round(trend.p_value, 4)])
    first, last = f.years[0], f.years[-1]
    columns = ["Brottskategori", f"Antal {first}", f"Antal {last}", "Förändring per år", "95 % konfidensintervall", "Trend"]
    return Table(
        caption=f"Genomsnittlig förändring per år {first}–{last}, {_period(ctx)} varje år, {ctx.area.name}",
        table=pd.DataFrame(rows, columns=columns),
        data=pd.DataFrame(data, columns=["Brottskategori", f"Antal {first}", f"Antal {last}", "Förändring per år %", "KI nedre %", "KI övre %", "p-värde"]),
        numeric=tuple(columns[1:5]),
        note=disclosure.with_note(
            "Poissonregression av antal på år (log-länk), med standardfel justerade för överspridning."
            + (" Få fall: färre än 10 brott per år i genomsnitt; en trend som bygger på få fall är osäker även när den är statistiskt säkerställd."
               if few else ""),
            small, masked,
        ),
    )


def trend_statements(ctx: ChapterContext) -> Text | None:
    """"<Kategori> har minskat varje år sedan <år>." where it is true and the trend is significant."""
    f = facts(ctx)
    if f is None:
        return None
    lines = trend_findings(f.category_years)
    return Text(" ".join(lines)) if lines else Text(
        f"Ingen kategori har ökat eller minskat varje år sedan {f.years[0]} med en statistiskt säkerställd trend."
    )


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
    if ctx.data.is_demo:
        note += " " + SCHEMATIC_NOTE
    data = table[["name", "count", "rate"]].rename(columns={"name": "Delområde", "count": "Våldsbrott", "rate": "Per 1 000 invånare"}) if table is not None else pd.DataFrame()
    masked = table is not None and disclosure.any_masked(table["count"], small)
    if masked:
        data = disclosure.mask_data(data.round(1), ["Våldsbrott"], small, derived=["Per 1 000 invånare"])
    return Chart(
        figure=plot_hotspots(density, outlines, names, f"Våldsbrott {period}"),
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
    return Chart(
        note=disclosure.with_note(f"Gråprickig stapel: färre än {small}, ritad vid {small}." if masked else "", small, bool(masked), chart=True),
        figure=plot_yearly_bars(
            drawn, partial, label, f"Anmälda brott i nära relation, {_period(ctx)}", masked=masked, masked_label=disclosure.mask_label(small)
        ),
        caption=f"Anmälda brott i nära relation per år i {ctx.area.name}, {_period(ctx)} varje år {first}–{last} ({labels})"
        + (f"; {last} {label}" if partial else ""),
        alt=alt,
        data=data,
    )
