"""Where crimes concentrate (chapter "Mönster i tid och rum"): the share of crimes in the busiest
5 % of 250 m cells, the Gi* hot spots of violent crimes beside the kernel density, and the
persistence of the hot spots over the last three years (:mod:`lagesbild_lib.analysis.hotspots`).

Crimes are placed by their coordinates and counted 1 January–period end of each year (as the
crime chapter's map); the grid and its cells are the same every year.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from lagesbild_lib.analysis import disclosure
from lagesbild_lib.analysis.crime import flagged_categories, in_period, period_words
from lagesbild_lib.analysis.crime_counts import COUNTS_MAP_NOTE
from lagesbild_lib.analysis.hotspots import (
    CELL_M, CLASS_TEXT, CLASSES, GONE, INTERMITTENT, NEW, PERSISTENT, TOP_SHARE, Grid, HotSpots, cell_counts, cell_of, cell_owner,
    concentration as top_share, gi_star, make_grid, persistence_classes,
)
from lagesbild_lib.context import ChapterContext
from lagesbild_lib.data.crs import points_to_sweref, to_sweref
from lagesbild_lib.figures.basemap import ground_from_layer, ground_note
from lagesbild_lib.figures.hotspot import kernel_density, located_points
from lagesbild_lib.figures.maps import area_outlines, outline_origin
from lagesbild_lib.figures.patterns import plot_hot_spot_map, plot_persistence_map
from lagesbild_lib.present.fmt import fmt_int, fmt_period, fmt_share
from lagesbild_lib.present.pieces import Chart, Missing, Table, Text
from lagesbild_lib.present.text import capitalise, join_sv, number_word
from lagesbild_lib.sections.common import crimes_or_none, per_context
from lagesbild_lib.sections.crime_facts import NO_CRIMES, small

GI_NOTE = (
    "Getis-Ord Gi* (PySAL esda och libpysal) på ett rutnät med 250 m-rutor i SWEREF 99 TM: varje ruta med sina åtta "
    "grannrutor jämförs med hela området. P-värdet är exakt (binomialfördelningen för antalet brott i grannskapet om "
    "brotten vore slumpmässigt spridda över områdets yta) och korrigeras för att många rutor prövas samtidigt "
    "(falsk upptäcktsandel, Benjamini–Hochberg, 5 %). Bakom: kärnskattning av samma brott (bandbredd 250 m)."
)
CLASS_WORDS = {PERSISTENT: ("ihållande", "ihållande"), NEW: ("ny", "nya"), INTERMITTENT: ("periodvis", "periodvisa"), GONE: ("försvunnen", "försvunna")}


@dataclass(frozen=True)
class PlaceFacts:
    grid: Grid
    whole: object  # the area's outline in SWEREF 99 TM
    outlines: dict  # sub-area id → outline (SWEREF 99 TM)
    names: dict
    owner: list  # the sub-area id of each cell (largest overlap)
    years: list[int]
    all_counts: dict  # year → crimes per cell
    violent_counts: dict  # year → violent crimes per cell
    violent_points: np.ndarray  # this year's violent crimes (x, y)
    hot: dict  # year → HotSpots of the violent crimes
    ground: object


@per_context
def place_facts(ctx: ChapterContext) -> PlaceFacts | Missing:
    """The chapter's grid, counts and hot spots, once per context (a Missing when they cannot be)."""
    crimes = crimes_or_none(ctx)
    if crimes is None:
        return Missing(COUNTS_MAP_NOTE if ctx.data.has("crime_counts") else f"Mönstren i rum {NO_CRIMES}.")
    violent = flagged_categories(ctx.data.table("crime_categories"), "violent")
    if not violent:
        return Missing("Ingen brottskategori är markerad som våldsbrott (kolumnen violent i crime_categories), så inga brottskoncentrationer kan prövas.")
    layer = ctx.data.geo("areas")
    if layer is None:
        return Missing("Mönstren i rum kan inte visas: områdesgränserna (areas.geojson) saknas i datamappen.")
    rows = [a.area_id for a in ctx.sub_areas] or [ctx.area.area_id]
    outlines = {a: to_sweref(g) for a, g in area_outlines(layer, ctx.areas, rows).items()}
    whole = area_outlines(layer, ctx.areas, [ctx.area.area_id]).get(ctx.area.area_id)
    if whole is None or not outlines:
        return Missing(f"Mönstren i rum kan inte visas: områdesgränserna saknar {ctx.area.name}.")
    whole = to_sweref(whole)
    if len(located_points(in_period(crimes, ctx.year, ctx.period_end))) == 0:
        return Missing(f"Mönstren i rum kan inte visas: brotten {ctx.year} saknar koordinater (lon, lat).")
    grid = make_grid(whole)
    owner = cell_owner(grid, outlines)
    years = [y for y in ctx.data.crime_years if y <= ctx.year][-3:]
    all_counts, violent_counts, hot = {}, {}, {}
    points = np.empty((0, 2))
    for year in years:
        part = in_period(crimes, year, ctx.period_end)
        all_counts[year] = cell_counts(grid, located_points(part))[0]
        points = located_points(part[part["category"].isin(violent)])
        violent_counts[year] = cell_counts(grid, points)[0]
        hot[year] = gi_star(violent_counts[year], grid)
    return PlaceFacts(grid, whole, outlines, {a: ctx.areas.name(a) for a in rows}, owner, years, all_counts, violent_counts,
                      points, hot, ground_from_layer(ctx.data.geo("basemap"), outlines))


def _count_word(n: int, gender: str = "en") -> str:
    return "inga" if n == 0 else number_word(n, gender)


def _notes(ctx: ChapterContext, f: PlaceFacts, *extra: str) -> str:
    parts = [*extra, ground_note(f.ground), outline_origin(ctx.data.geo("areas"), ctx.areas, list(f.outlines))[1]]
    return " ".join(p for p in parts if p)


# ------------------------------------------------------------------------------- concentration
def concentration(ctx: ChapterContext) -> list | Missing:
    """Text and Tabell: the share of the crimes in the busiest 5 % of the 250 m cells, each year."""
    f = place_facts(ctx)
    if isinstance(f, Missing):
        return f
    threshold = small(ctx)
    rows, data = [], []
    for year in f.years:
        for label, counts in (("Alla brott", f.all_counts[year]), ("Våldsbrott", f.violent_counts[year])):
            share, n_top, cells, total = top_share(counts)
            hidden = disclosure.is_masked(total, threshold) or disclosure.is_masked(int(np.sort(counts)[::-1][:n_top].sum()), threshold)
            rows.append([str(year), label, disclosure.mask_count(total, threshold), fmt_int(cells), fmt_int(n_top),
                         disclosure.SUPPRESSED if hidden else fmt_share(share, 1)])
            data.append([year, label, disclosure.mask_value(total, threshold), cells, n_top, None if hidden else share])
    header = ["År", "Brott", "Brott med koordinater", "Rutor", "Rutor i topp 5 %", "Andel av brotten i topp 5 %"]
    period = fmt_period(ctx.period_start, ctx.period_end)
    share_all, n_top, cells, total = top_share(f.all_counts[ctx.year])
    share_v, _, _, total_v = top_share(f.violent_counts[ctx.year])
    if disclosure.is_masked(total_v, threshold) or disclosure.is_masked(total, threshold) or total == 0:
        text = f"Koncentrationen av brotten {period} visas inte: brotten med koordinater är för få."
    else:
        text = (
            f"{capitalise(fmt_share(share_all))} av alla anmälda brott med koordinater {period} låg i de {_count_word(n_top)} rutor "
            f"på 250 × 250 m som hade flest brott, 5 % av områdets {fmt_int(cells)} rutor; för våldsbrotten var andelen "
            f"{fmt_share(share_v)}."
        )
    note = (
        f"Rutnät med {int(CELL_M)} m-rutor över området i SWEREF 99 TM; topp 5 %: de {int(TOP_SHARE * 100)} % av rutorna "
        f"(minst en) som hade flest brott. Brotten räknas {period_words(ctx.period_end)} varje år."
    )
    return [
        Text(text),
        Table(
            caption=f"Brottskoncentration i {ctx.area.name}: andel av brotten i de 5 % av rutorna med flest brott, "
            f"{period_words(ctx.period_end)} varje år {f.years[0]}–{f.years[-1]}",
            table=pd.DataFrame(rows, columns=header),
            data=pd.DataFrame(data, columns=header),
            note=disclosure.with_note(note, threshold, any(r[2].startswith("<") for r in rows)),
        ),
    ]


# ------------------------------------------------------------------------------- hot spots
def _by_subarea(f: PlaceFacts, cells: np.ndarray) -> dict[str, int]:
    """How many of the ``cells`` (a boolean mask) lie in each sub-area, most first."""
    found: dict[str, int] = {}
    for k in np.flatnonzero(cells):
        found[f.owner[k]] = found.get(f.owner[k], 0) + 1
    return dict(sorted(found.items(), key=lambda kv: (-kv[1], f.names[kv[0]])))


def hot_spot_sentence(ctx: ChapterContext, f: PlaceFacts, hot: HotSpots) -> str:
    period = fmt_period(ctx.period_start, ctx.period_end)
    cells = fmt_int(len(f.grid))
    if hot.count == 0:
        return f"Ingen av områdets {cells} rutor är en statistiskt säkerställd brottskoncentration för våldsbrott {period} (Getis-Ord Gi*)."
    verb = "är en statistiskt säkerställd brottskoncentration" if hot.count == 1 else "är statistiskt säkerställda brottskoncentrationer"
    share = f.violent_counts[ctx.year][hot.hot].sum() / max(hot.total, 1)
    where = join_sv(f"{f.names[a]} ({n} {'ruta' if n == 1 else 'rutor'})" for a, n in _by_subarea(f, hot.hot).items())
    return (
        f"{capitalise(_count_word(hot.count))} av områdets {cells} rutor {verb} för våldsbrott {period} (Getis-Ord Gi*); "
        f"där skedde {fmt_share(share)} av våldsbrotten. Rutorna ligger i {where}."
    )


def hot_spots(ctx: ChapterContext) -> list | Missing:
    """Text and Kartbild: the Gi* hot spots of the year's violent crimes over their kernel density,
    with the cells and crimes per sub-area as its numbers."""
    f = place_facts(ctx)
    if isinstance(f, Missing):
        return f
    threshold = small(ctx)
    hot = f.hot[ctx.year]
    if disclosure.is_masked(hot.total, threshold):
        return Missing(disclosure.left_out(f"Kartan över brottskoncentrationer i {ctx.area.name}", threshold))
    period = fmt_period(ctx.period_start, ctx.period_end)
    sentence = hot_spot_sentence(ctx, f, hot)
    counts = f.violent_counts[ctx.year]
    frame = pd.DataFrame({"owner": f.owner, "hot": hot.hot, "count": counts})
    rows = []
    for a in f.outlines:
        mine = frame[frame["owner"] == a]
        rows.append([f.names[a], len(mine), int(mine["hot"].sum()), int(mine["count"].sum()), int(mine.loc[mine["hot"], "count"].sum())])
    header = ["Delområde", "Rutor", "Rutor med brottskoncentration", "Våldsbrott", "Våldsbrott i brottskoncentrationer"]
    data = pd.DataFrame(rows, columns=header)
    masked = disclosure.any_masked(list(data["Våldsbrott"]) + list(data["Våldsbrott i brottskoncentrationer"]), threshold)
    if masked:
        data = disclosure.mask_data(data, ["Våldsbrott", "Våldsbrott i brottskoncentrationer"], threshold)
    density = kernel_density(f.violent_points, f.whole)
    return [
        Text(sentence),
        Chart(
            figure=plot_hot_spot_map(density, f.outlines, f.names, f.grid, hot.hot, f"Våldsbrott {period}", ground=f.ground),
            caption=f"Statistiskt säkerställda brottskoncentrationer (Getis-Ord Gi*) av anmälda våldsbrott i {ctx.area.name}, {period}, "
            "över kärnskattningen",
            alt=f"Karta över {ctx.area.name} med rutor på 250 × 250 m. {sentence}",
            data=data,
            kind="Kartbild",
            note=disclosure.with_note(_notes(ctx, f, GI_NOTE), threshold, masked),
        ),
    ]


# ------------------------------------------------------------------------------- persistence
def _class_parts(found: dict[str, int]) -> str:
    return join_sv(f"{_count_word(found[c])} {CLASS_WORDS[c][0 if found[c] == 1 else 1]}" + (" (alla tre åren)" if c == PERSISTENT else "") for c in CLASSES)


def persistence(ctx: ChapterContext) -> list | Missing:
    """Text, Kartbild (cells by persistence class over the last three years) and Tabell (the
    classes with the sub-areas and places they fall in)."""
    f = place_facts(ctx)
    if isinstance(f, Missing):
        return f
    if len(f.years) < 3:
        return Missing(f"Återkommande brottskoncentrationer kräver brottsdata för tre år; data finns för {join_sv(map(str, f.years))}.")
    threshold = small(ctx)
    if any(disclosure.is_masked(f.hot[y].total, threshold) for y in f.years):
        return Missing(disclosure.left_out(f"Kartan över återkommande brottskoncentrationer i {ctx.area.name}", threshold))
    classes = persistence_classes([f.hot[y].hot for y in f.years])
    found = {c: int((classes == c).sum()) for c in CLASSES}
    ever = sum(found.values())
    span = f"{f.years[0]}–{f.years[-1]}"
    words = period_words(ctx.period_end)
    if ever == 0:
        text = f"Ingen ruta var en statistiskt säkerställd brottskoncentration för våldsbrott något av åren {span} ({words} varje år)."
    else:
        text = (
            f"Av de {_count_word(ever)} rutor som var statistiskt säkerställda brottskoncentrationer för våldsbrott något av åren "
            f"{span} ({words} varje år) är {_class_parts(found)}."
        )
    places = ctx.data.table("places")
    in_cell = np.full(0, -1)
    if places is not None and {"lon", "lat"} <= set(places.columns):
        located = places.dropna(subset=["lon", "lat"])
        x, y = points_to_sweref(located["lon"].to_numpy(float), located["lat"].to_numpy(float))
        in_cell = cell_of(f.grid, np.column_stack([x, y]))
        places = located
    table_rows, map_rows = [], []
    for c in CLASSES:
        cells = classes == c
        subs = _by_subarea(f, cells)
        named = sorted({str(n) for n, k in zip(places["name"], in_cell) if k >= 0 and cells[k]}) if len(in_cell) else []
        table_rows.append([capitalise(c), CLASS_TEXT[c], int(cells.sum()),
                           "; ".join(f"{f.names[a]} ({n})" for a, n in subs.items()) or "–", "; ".join(named) or "–"])
    for a in f.outlines:
        map_rows.append([f.names[a], *(int(((classes == c) & (np.array(f.owner) == a)).sum()) for c in CLASSES)])
    header = ["Klass", "Förklaring", "Rutor", "Delområden (rutor)", "Platser i rutorna"]
    places_note = "" if places is not None else " Tabellen places saknas i datamappen, så inga platser kan anges."
    caption = f"Återkommande brottskoncentrationer för våldsbrott i {ctx.area.name} {span} ({words} varje år)"
    return [
        Text(text),
        Chart(
            figure=plot_persistence_map(f.outlines, f.names, f.grid, classes, CLASSES, f"Våldsbrott {span}", ground=f.ground),
            caption=caption + ", rutor per klass",
            alt=f"Karta över {ctx.area.name} med rutor på 250 × 250 m färgade efter hur återkommande brottskoncentrationen är. {text}",
            data=pd.DataFrame(map_rows, columns=["Delområde", *(capitalise(c) for c in CLASSES)]),
            kind="Kartbild",
            note=_notes(ctx, f, "Brottskoncentration: statistiskt säkerställd enligt Getis-Ord Gi* (se kartbilden ovan) det året."),
        ),
        Table(
            caption=caption + ": delområden och platser",
            table=pd.DataFrame(table_rows, columns=header),
            numeric=("Rutor",),
            note="Platser ur tabellen places vars koordinater ligger i en ruta av klassen." + places_note,
        ),
    ]
