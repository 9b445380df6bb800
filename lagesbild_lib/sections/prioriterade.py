"""Chapter 4, Prioriterade samverkansområden: the five city-wide cooperation areas with their
status, the analysts' comments and linked indicators from data; local priority areas; and Källor,
shown as the report's last chapter."""

from __future__ import annotations

import pandas as pd

from lagesbild_lib.analysis import disclosure
from lagesbild_lib.analysis.crime import flagged_categories, period_cut_short, period_words, period_year_counts
from lagesbild_lib.analysis.crime_counts import counts_caveat, crimes_from_counts
from lagesbild_lib.analysis.priority import (
    COOPERATION_AREAS, cooperation_markdown, cooperation_status_table, intimate_partner_years, local_priorities_markdown,
    places_in_area, sources_markdown,
)
from lagesbild_lib.analysis.ratings import ALL_GROUPS, FEW_RATINGS, group_means
from lagesbild_lib.analysis.stats import poisson_change_test
from lagesbild_lib.context import ChapterContext
from lagesbild_lib.figures.gsrs import group_means_alt, plot_group_means
from lagesbild_lib.present.fmt import MONTHS_SHORT
from lagesbild_lib.present.pieces import Chart, Missing, Table, Text
from lagesbild_lib.present.text import capitalise, in_sentence, join_sv, number_word, plural
from lagesbild_lib.sections.common import crimes_or_none, missing_table

#: Years shown in the intimate-partner series (the report year and the years before it).
SERIES_YEARS = 5
#: The numbered outputs this chapter refers to instead of repeating them (``{ref:…}`` labels): the
#: places table and the overview map of the summary chapter, the intimate-partner chart of the crime chapter.
PLACES_TABLE, PLACES_MAP, INTIMATE_CHART = "sammanfattning.places_table", "sammanfattning.overview_map", "brottslighet.intimate_partner"


def intro(ctx: ChapterContext) -> Text | None:
    """The analysts' own introduction (``narrative.prioriterade_omraden``), when written."""
    text = ctx.params.narrative.get("prioriterade_omraden", "").strip()
    return Text(text) if text else None


def status_table(ctx: ChapterContext) -> Table:
    """Tabell: the five cooperation areas and the two status boxes of each, from params."""
    return Table(
        caption=f"Status för de prioriterade samverkansområdena, {ctx.area.name} {ctx.year}",
        table=cooperation_status_table(ctx.params),
        numeric=(),
        note="☒ markerad ruta, ☐ omarkerad. Särskilda åtgärder: pågår/finns behov av särskilda åtgärder "
        "inom området, inkluderas i åtgärdsplan. Linjeverksamhet: arbete sker i linjeverksamhet.",
    )


def cooperation_area(ctx: ChapterContext, key: str) -> Text:
    """One cooperation area: standard (or overridden) description, status boxes and comment."""
    if key not in COOPERATION_AREAS:
        raise KeyError(f"unknown cooperation area {key!r}; expected one of {', '.join(COOPERATION_AREAS)}")
    return Text(cooperation_markdown(ctx.params, key))


def priority_places(ctx: ChapterContext) -> Text | Missing:
    """Otrygga och brottsutsatta platser: how many places of the ``places`` table lie in the area,
    and where they are listed. The report lists them once, in the table under the overview map of
    the summary chapter (with their number on the map); this section refers to it."""
    places = ctx.data.table("places")
    if places is None:
        return missing_table(ctx, "places", "Platserna i området")
    n = len(places_in_area(places, ctx.areas, ctx.area.area_id))
    if n == 0:
        return Text(f"Inga platser i {ctx.area.name} finns i tabellen places.")
    they = "Platsen" if n == 1 else "Platserna"
    return Text(
        f"{capitalise(plural(n, 'plats', words=True))} i {ctx.area.name} följs särskilt inom samverkan. "
        f"{they} listas med typ och delområde i {{ref:{PLACES_TABLE}}}, under översiktskartan {{ref:{PLACES_MAP}}} "
        "i kapitlet Sammantagen bedömning."
    )


def intimate_partner_series(ctx: ChapterContext) -> Text | Table | Missing:
    """Särskilt utsatta och sårbara brottsoffer: reported crimes in close relationships, 1 jan–period
    end of each year. The crime chapter shows the series as a chart (its numbers under it); here one
    sentence gives the report year against the year before, with the exact Poisson test, and refers
    to that chart. Only yearly aggregated counts that cannot be cut at the period end (no chart in the
    crime chapter) give the series as a table of whole calendar years, said in its caption."""
    categories = ctx.data.table("crime_categories")
    cats = flagged_categories(categories, "intimate_partner")
    if not cats:
        return Missing("Brotten i nära relation kan inte visas: ingen brottskategori är markerad som brott i nära relation (kolumnen intimate_partner i crime_categories).")
    years = [y for y in ctx.data.crime_years if ctx.year - SERIES_YEARS < y <= ctx.year]
    crimes, basis = crimes_or_none(ctx), None
    counts = None if crimes is not None else ctx.data.table("crime_counts")
    if crimes is None:  # aggregated counts: cut at whole months as in the crime chapter, when they can be
        made, usable, basis = crimes_from_counts(counts, ctx.areas, ctx.area.area_id, years, ctx.period_end, ctx.year)
        crimes, years = (made, usable) if made is not None else (None, years)
    small = ctx.params.suppress_below
    if crimes is not None:
        series = period_year_counts(crimes, cats, ctx.period_end, years)
        return intimate_partner_sentence(ctx, series, period_cut_short(crimes, ctx.year, ctx.period_end))
    series = intimate_partner_years(None, counts, ctx.areas, ctx.area.area_id, cats, years)
    shown = series.rename_axis("År").reset_index()
    shown["Antal"] = [disclosure.mask_count(v, small) for v in shown["Antal"]]
    data = disclosure.mask_data(series.rename_axis("År").reset_index(), ["Antal"], small).assign(Period="helår")
    labels = join_sv(in_sentence(x) for x in categories.set_index("category").loc[cats, "label"])
    source = counts_caveat(basis) if basis is not None else "Källa: anmälda brott, aggregerade antal per helår (se Källor)."
    return Table(
        caption=f"Anmälda brott i nära relation per år i {ctx.area.name}, hela kalenderår {years[0]}–{years[-1]} ({labels})",
        table=shown,
        data=data,
        numeric=("Antal",),
        note=disclosure.with_note(source, small, disclosure.any_masked(series, small)),
    )


def intimate_partner_sentence(ctx: ChapterContext, series, cut_short) -> Text | Missing:
    """The one sentence on crimes in close relationships: the report year against the year before
    (same span of each year), the test's verdict, and the reference to the crime chapter's chart.

    A report year whose data end before the period end (``cut_short``) is not compared; a count under
    disclosure control is written "färre än N" and gets no verdict (it would give the count away).
    """
    small = ctx.params.suppress_below
    ref = f"hela serien visas i {{ref:{INTIMATE_CHART}}} i kapitlet om brottsligheten"
    if disclosure.mostly_masked(series, small):
        return Missing(disclosure.left_out(f"Serien av anmälda brott i nära relation i {ctx.area.name}", small))
    period, year = period_words(ctx.period_end), ctx.year
    if cut_short is not None or year - 1 not in series.index:  # no same-span comparison to state
        cut = f" ({year} t.o.m. {cut_short.day} {MONTHS_SHORT[cut_short.month - 1]})" if cut_short is not None else ""
        return Text(f"Anmälda brott i nära relation i {ctx.area.name}, {period} varje år{cut}: {ref}.")
    after, before = int(series[year]), int(series[year - 1])

    def said(n: int) -> str:
        return disclosure.count_words(n, small) if disclosure.is_masked(n, small) else number_word(n, "ett")

    text = f"Anmälda brott i nära relation i {ctx.area.name}: {said(after)} under perioden {period} {year} mot {said(before)} under samma period {year - 1}"
    if not disclosure.any_masked([after, before], small):
        test = poisson_change_test(before, after)
        if test.diff == 0:
            text += ", lika många"
        elif test.significant:
            text += f", en statistiskt säkerställd {'ökning' if test.diff > 0 else 'minskning'}"
        else:
            text += ", ingen statistiskt säkerställd förändring"
        if test.few_cases and test.diff != 0:
            text += ", och förändringen bygger på få fall"
    return Text(f"{text} ({ref}).")


def programme_ratings(ctx: ChapterContext) -> list[Chart] | Missing | Text:
    """Diagram (Kriminella miljöer och livsstilar): each group's mean rating of a programme (e.g.
    GSRS) with its 95 % interval and number of ratings, the groups by name; one chart per programme,
    its numbers under it (no table besides)."""
    ratings = ctx.data.table("programme_ratings")
    if ratings is None:
        return missing_table(ctx, "programme_ratings", "Skattningarna av insatsprogram")
    table = group_means(ratings, ctx.areas, ctx.area.area_id, ctx.year)
    if table.empty:
        return Text(f"Det finns inga skattningar av insatsprogram för {ctx.area.name} {ctx.year} i tabellen programme_ratings.")
    charts = [ratings_chart(ctx, str(programme), part) for programme, part in table.groupby("programme", sort=True)]
    return [c for c in charts if c is not None] or Missing(
        disclosure.left_out(f"Diagrammen över skattningarna av insatsprogram i {ctx.area.name} {ctx.year}", ctx.params.suppress_below))


def ratings_chart(ctx: ChapterContext, programme: str, part) -> Chart | None:
    """One programme's chart (:func:`programme_ratings`); None when most of its groups are masked."""
    small = ctx.params.suppress_below
    groups = part[part["group"] != ALL_GROUPS]
    if disclosure.mostly_masked(groups["n"], small):
        return None
    masked = frozenset(g for g, n in zip(part["group_id"], part["n"]) if disclosure.is_masked(n, small))
    hidden = [g in masked for g in part["group_id"]]
    data = pd.DataFrame({
        "Grupp": part["group"].tolist(),
        "Antal skattningar": [disclosure.mask_value(int(n), small) for n in part["n"]],
        "Medelvärde": [None if h else m for h, m in zip(hidden, part["mean"])],
        "KI nedre": [None if h or pd.isna(v) else v for h, v in zip(hidden, part["lo"])],
        "KI övre": [None if h or pd.isna(v) else v for h, v in zip(hidden, part["hi"])],
    })
    few = [f and not h for f, h in zip(part["few"], hidden)]
    if any(few):
        data["Anmärkning"] = ["få skattningar" if f else "" for f in few]
    what = f"deltagarnas skattningar av {programme} per grupp i {ctx.area.name} {ctx.year}"
    note = (
        "Skala 1–10, högre värde betyder nöjdare deltagare. Punkt: gruppens medelvärde; linje: 95 % konfidensintervall för "
        "medelvärdet (t-fördelningen), som förutsätter att skattningarna är oberoende av varandra, så flera skattningar av samma "
        "deltagare gör osäkerheten större. Streckad linje: alla grupper."
        + (f" Ljus punkt och *: färre än {FEW_RATINGS} skattningar, ett osäkert medelvärde." if any(few) else "")
        + " Källa: deltagarnas skattningar, en per deltagare och tillfälle (se Källor)."
    )
    label = disclosure.mask_label(small)
    return Chart(
        figure=plot_group_means(part, f"Skattningar av {programme} per grupp, {ctx.year}", masked, label),
        caption=f"Deltagarnas skattningar av {programme} per grupp i {ctx.area.name} {ctx.year}: medelvärde med 95 % konfidensintervall och antal skattningar",
        alt=group_means_alt(part, what, masked, label),
        data=data,
        note=disclosure.with_note(note, small, bool(masked), chart=True),
        formats={"Antal skattningar": "int", "Medelvärde": "num1", "KI nedre": "num1", "KI övre": "num1"},
    )


def local_priorities(ctx: ChapterContext) -> Text:
    """The local priority areas from params, each with description and comment."""
    if not ctx.params.local_priority_areas:
        return Text("*Inga lokala prioriterade områden angivna i params (local_priority_areas).*")
    return Text(local_priorities_markdown(ctx.params))


def sources(ctx: ChapterContext) -> Text:
    """Källor (its own last chapter, notebooks/08_kallor.ipynb): the sources from params sorted and
    lettered like the hand-made report ("Stockholms stad (2023b). Titel. Hämtad … från …"), which
    ``{cite:key}`` in the texts names, then every data file used with its description and date."""
    from lagesbild_lib.data.origins import origin_texts
    from lagesbild_lib.analysis.citations import kallor_markdown

    cited = kallor_markdown(ctx.params.sources)
    files = sources_markdown(ctx.params.model_copy(update={"sources": []}), ctx.data.input_files(), origin_texts(ctx.data))
    if not cited:
        return Text(files)
    return Text(cited if files.startswith("*Inga källor") else f"{cited}\n\n{files}")
