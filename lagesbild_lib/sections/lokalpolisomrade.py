"""Chapter 1, section "Lokalpolisområdet i siffror" (issue 16): under "Beskrivning av
lokalpolisområdet", the areas that form the report area's police area with their inhabitants and
reported crimes in the report's period, and the police area as a whole.

The numbers are :mod:`lagesbild_lib.analysis.police_area`'s; this module words them. A member whose
crimes come from another source than the others' (``crime_counts`` beside ``crimes``), a span cut
at whole months, preliminary or suppressed counts and a missing population are said in the
table's note; a missing figure is "–", never 0. An area in no police area gets nothing; without a
``police_areas`` table the section says that the table is missing. After the table, the map of the
police area (:mod:`lagesbild_lib.figures.police_area_map`).
"""

from __future__ import annotations

import pandas as pd

from lagesbild_lib.analysis import disclosure
from lagesbild_lib.analysis.crime import flagged_categories
from lagesbild_lib.analysis.police_area import ALL, FROM_COUNTS, FROM_CRIMES, VIOLENT, PoliceAreaFigures, police_area_figures, police_area_of
from lagesbild_lib.context import ChapterContext
from lagesbild_lib.data.crs import to_sweref
from lagesbild_lib.figures.basemap import ground_from_layer, ground_note
from lagesbild_lib.figures.maps import area_outlines, outline_origin
from lagesbild_lib.figures.police_area_map import PoliceAreaLayers, plot_police_area_map, police_area_alt, police_area_map_data
from lagesbild_lib.present.fmt import fmt_int, fmt_num, fmt_pct, fmt_period
from lagesbild_lib.present.pieces import Chart, Missing, Table, Text
from lagesbild_lib.present.text import in_sentence, join_sv, number_word
from lagesbild_lib.sections.common import missing_table, missing_table_geo, per_context

HEADING = "### Lokalpolisområdet i siffror"
#: What the table calls each group of crimes.
GROUP_LABELS = {ALL: "Anmälda brott", VIOLENT: "Våldsbrott"}
#: A member's kind in the table, by its level in ``areas``; other levels are shown as they are.
KINDS = {"kommun": "kommun", "stadsdelsomrade": "stadsdelsområde", "stadsdel": "stadsdel", "delomrade": "delområde", "lan": "län",
         "regso": "RegSO-område", "deso": "DeSO-område"}
#: The definite forms (one, several) that name the members in the sentence: "stadsdelsområdena X och Y".
DEFINITE = {"stadsdelsomrade": ("stadsdelsområdet", "stadsdelsområdena"), "kommun": ("kommunen", "kommunerna"),
            "stadsdel": ("stadsdelen", "stadsdelarna"), "delomrade": ("delområdet", "delområdena"), "lan": ("länet", "länen")}


@per_context
def figures(ctx: ChapterContext) -> PoliceAreaFigures | Missing | None:
    """The police area's figures for the report, a note when ``police_areas`` is missing, or None
    when the report's area belongs to no police area."""
    table = ctx.data.table("police_areas")
    if table is None:
        return missing_table(ctx, "police_areas", "Lokalpolisområdet i siffror")
    police_area = police_area_of(table, ctx.areas, ctx.area.area_id)
    if police_area is None:
        return None
    below = sorted({a for m in police_area.members for a in ctx.areas.descendants(m)})
    years = ctx.data.crime_years
    crimes = ctx.data.crimes_for(below, years[0], ctx.year) if years else None  # None without a crimes table
    return police_area_figures(police_area, ctx.areas, crimes, ctx.data.table("crime_counts"), ctx.data.table("crime_categories"),
                               ctx.data.table("population"), ctx.year, ctx.period_end)


def _members_phrase(ctx: ChapterContext, f: PoliceAreaFigures) -> str:
    """"stadsdelsområdena Hässelby-Vällingby och Bromma samt Ekerö kommun"."""
    by_level: dict[str, list[str]] = {}
    for m in f.area.members:
        by_level.setdefault(ctx.areas.get(m).level, []).append(ctx.areas.name(m))
    parts = []
    for level, names in by_level.items():
        if level == "kommun" and len(names) == 1:
            parts.append(f"{names[0]} kommun")
        else:
            one, many = DEFINITE.get(level, ("området", "områdena"))
            parts.append(f"{one if len(names) == 1 else many} {join_sv(names)}")
    return parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + " samt " + parts[-1]


def _lower_first(text: str) -> str:
    return text[:1].lower() + text[1:]


def text(ctx: ChapterContext) -> Text | None:
    """One or two sentences: the members and their inhabitants together, and how many of the police
    area's crimes in the period were reported in the member the report's area belongs to."""
    f = figures(ctx)
    if not isinstance(f, PoliceAreaFigures):
        return None
    small = ctx.params.suppress_below
    people = f.population
    sentence = f"{f.area.title} omfattar {_members_phrase(ctx, f)}"
    together = "sammanlagt " if len(f.members) > 1 else ""
    sentences = [f"{sentence}, med {together}{number_word(people)} invånare {f.population_year}." if people else f"{sentence}."]
    total, via = f.total(ALL), f.member(f.area.via)
    if total and not disclosure.is_masked(total, small):
        # running text: one to twelve in words (DESIGN §9); "brott" is neuter ("ett brott")
        said = f"Under {fmt_period(f.start, f.end)} anmäldes {number_word(total, 'ett')} brott i lokalpolisområdet"
        mine = via.counts[ALL] if via.counts is not None else None
        if len(f.members) > 1 and mine is not None and not disclosure.is_masked(mine, small):
            said += f"; {number_word(mine, 'ett')} av dem ({fmt_pct(100.0 * mine / total, 0)}) anmäldes i {ctx.areas.name(via.area_id)}"
            if people and via.population:
                said += f", där {fmt_pct(100.0 * via.population / people, 0)} av invånarna bor"
        sentences.append(said + ".")
    return Text(" ".join(sentences))


def _names(ctx: ChapterContext, ids) -> str:
    return join_sv(ctx.areas.name(a) for a in ids)


def _missing_counts(reason: str, year: int) -> str:
    """Why a member has no crime figures, after its name."""
    return {
        "no-data": "har inga anmälda brott i datamappen (varken i tabellen crimes eller i crime_counts)",
        "no-year": f"har inga antal för {year} i tabellen crime_counts",
        "yearly": "har bara årsantal i tabellen crime_counts, som inte kan delas upp på en del av året",
        "part-month": "har bara månadsantal i tabellen crime_counts, och perioden slutar före januari månads slut",
    }[reason]


def _note(ctx: ChapterContext, f: PoliceAreaFigures) -> str:
    """What the reader must know to read the table: sources, span, preliminary and missing figures."""
    sentences = []
    by_source = {s: [m.area_id for m in f.members if m.source == s] for s in (FROM_CRIMES, FROM_COUNTS)}
    period = fmt_period(f.start, f.end)
    if by_source[FROM_CRIMES] and by_source[FROM_COUNTS]:
        sentences.append(
            f"Antalen för {_names(ctx, by_source[FROM_CRIMES])} kommer från tabellen crimes (enskilda anmälningar), för "
            f"{_names(ctx, by_source[FROM_COUNTS])} från tabellen crime_counts (aggregerade antal); perioden är densamma för alla, {period}."
        )
    elif by_source[FROM_COUNTS]:
        sentences.append("Antalen kommer från tabellen crime_counts (aggregerade antal anmälda brott).")
    if f.whole_months:
        sentences.append(f"Perioden räknas i hela månader för alla områden, eftersom antalen för {_names(ctx, by_source[FROM_COUNTS])} "
                         f"är månadsantal; rapportens övriga tabeller avser {fmt_period(f.start, f.period_end)}.")
    for m in f.members:
        name = ctx.areas.name(m.area_id)
        if m.counts is not None and m.preliminary:
            sentences.append(f"Antalen för {name} {f.start.year} är preliminära.")
        if m.counts is not None and m.suppressed:
            n = m.suppressed
            sentences.append(f"{fmt_int(n)} {'värde' if n == 1 else 'värden'} för {name} var {'skyddat' if n == 1 else 'skyddade'} "
                             "i källan och räknas som 0.")
        if m.counts is None:
            sentences.append(f"{name} {_missing_counts(m.missing, f.start.year)}; dess antal och lokalpolisområdets summa visas inte.")
        if m.population is None:
            year = f" {f.population_year}" if f.population_year else ""
            sentences.append(f"Folkmängd{year} saknas för {name}; antal per 1 000 invånare och lokalpolisområdets folkmängd visas inte.")
    if f.population is not None or any(m.population for m in f.members):
        sentences.append(f"Per 1 000 invånare: antalet delat med folkmängden {f.population_year}.")
    if f.population_year is not None and f.population_year != ctx.year:
        sentences.append(f"Folkmängden avser {f.population_year}, det senaste året med uppgifter.")
    if VIOLENT in f.groups:
        categories = ctx.data.table("crime_categories").set_index("category")
        labels = "; ".join(in_sentence(categories.loc[c, "label"]) for c in flagged_categories(categories.reset_index(), "violent"))
        sentences.append(f"Våldsbrott: {labels}.")
    return " ".join(sentences)


def table(ctx: ChapterContext) -> Table | None:
    """Tabell: each member area with its kind, population, crimes and violent crimes in the period
    (with their rate per 1 000 inhabitants), and the police area as a whole in the last row."""
    f = figures(ctx)
    if not isinstance(f, PoliceAreaFigures):
        return None
    pop_col = f"Folkmängd {f.population_year}" if f.population_year else "Folkmängd"
    rows = []
    for m in f.members:
        row = {"Område": ctx.areas.name(m.area_id), "Typ": KINDS.get(ctx.areas.get(m.area_id).level, ctx.areas.get(m.area_id).level),
               pop_col: m.population}
        for g in f.groups:
            row[GROUP_LABELS[g]] = None if m.counts is None else m.counts[g]
            row[f"{GROUP_LABELS[g]} per 1 000 inv."] = m.rate(g)
        rows.append(row)
    whole = {"Område": f"Hela {_lower_first(f.area.title)}", "Typ": "lokalpolisområde", pop_col: f.population}
    for g in f.groups:
        whole[GROUP_LABELS[g]] = f.total(g)
        whole[f"{GROUP_LABELS[g]} per 1 000 inv."] = f.rate(g)
    data = pd.DataFrame([*rows, whole])
    counts = [GROUP_LABELS[g] for g in f.groups]
    rates = [f"{c} per 1 000 inv." for c in counts]
    shown = data.copy().astype(object)
    for col in [pop_col, *counts]:
        shown[col] = data[col].map(fmt_int)
    for col in rates:
        shown[col] = data[col].map(lambda v: fmt_num(v, 1))
    small = ctx.params.suppress_below
    masked = disclosure.any_masked(data[counts].to_numpy().ravel(), small)
    if masked:
        shown = disclosure.mask_display(data, counts, small, derived=rates, formatted=shown)
        data = disclosure.mask_data(data, counts, small, derived=rates)
    return Table(
        caption=f"Folkmängd och anmälda brott i {_lower_first(f.area.title)}, {fmt_period(f.start, f.end)}",
        table=shown,
        data=data.round({c: 1 for c in rates}) if not masked else data,
        numeric=(pop_col, *counts, *rates),
        strong_rows=(len(data) - 1,),
        note=disclosure.with_note(_note(ctx, f), small, masked),
    )


def _kind(ctx: ChapterContext, area_id: str) -> str:
    level = ctx.areas.get(area_id).level
    return KINDS.get(level, level)


def police_area_map(ctx: ChapterContext) -> Chart | Missing | None:
    """Kartbild: the police area's members with their names, the report's own member highlighted,
    and the police area's outer boundary; a member without an outline in ``areas.geojson`` is named
    in the note. The numbers behind it are the members' kinds and areas; their inhabitants and
    crimes are in the table just above, which the note points to (no table twice)."""
    f = figures(ctx)
    if not isinstance(f, PoliceAreaFigures):
        return None
    layer = ctx.data.geo("areas")
    what = "Kartan över lokalpolisområdet"
    if layer is None:
        return missing_table_geo(what, "areas.geojson", "områdesgränserna")
    members = f.area.members
    outlines = {a: to_sweref(g) for a, g in area_outlines(layer, ctx.areas, list(members)).items()}
    if not outlines:
        return Missing(f"{what} kan inte visas: areas.geojson har inga gränser för {_names(ctx, members)}.")
    layers = PoliceAreaLayers(members, {a: ctx.areas.name(a) for a in members}, outlines, f.area.via,
                              ground_from_layer(ctx.data.geo("basemap"), outlines))
    schematic, origin = outline_origin(layer, ctx.areas, list(outlines))
    notes = [origin] if origin else []
    if layers.missing:
        notes.append(f"{_names(ctx, layers.missing)} saknar gräns i kartunderlaget och visas inte på kartan.")
    notes.append("Folkmängden och de anmälda brotten per område står i tabellen ovan.")
    if layers.ground is not None:
        notes.append(ground_note(layers.ground))
    return Chart(
        figure=plot_police_area_map(layers, f.area.title),
        caption=f"{f.area.title} och dess områden" + (", schematisk karta" if schematic else ""),
        alt=police_area_alt(layers, f, ctx.params.suppress_below),
        data=police_area_map_data(layers, {a: _kind(ctx, a) for a in members}),
        kind="Kartbild",
        note=" ".join(notes),
        formats={"Yta, km²": "num1"},
    )


def section(ctx: ChapterContext) -> list | Missing | None:
    """The subheading, the sentences, the table and the map; the note on a missing table; nothing
    for an area that belongs to no police area."""
    f = figures(ctx)
    if f is None:
        return None
    if isinstance(f, Missing):
        return f
    return [Text(HEADING), text(ctx), table(ctx), police_area_map(ctx)]
