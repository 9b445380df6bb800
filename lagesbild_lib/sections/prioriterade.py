"""Chapter 4, Prioriterade samverkansområden: the five city-wide cooperation areas with their
status, the analysts' comments and linked indicators from data; local priority areas; and Källor,
shown as the report's last chapter."""

from __future__ import annotations

from lagesbild_lib.analysis import disclosure
from lagesbild_lib.context import ChapterContext
from lagesbild_lib.analysis.crime import flagged_categories, period_cut_short, period_words, period_year_counts
from lagesbild_lib.analysis.crime_counts import counts_caveat, crimes_from_counts
from lagesbild_lib.present.fmt import MONTHS_SHORT, fmt_int, fmt_num
from lagesbild_lib.present.pieces import Missing, Table, Text
from lagesbild_lib.analysis.priority import (
    COOPERATION_AREAS, cooperation_markdown, cooperation_status_table, intimate_partner_years, local_priorities_markdown,
    places_in_area, programme_summary, sources_markdown,
)
from lagesbild_lib.present.text import in_sentence, join_sv
from lagesbild_lib.sections.common import crimes_or_none, missing_table

#: Years shown in the intimate-partner series (the report year and the years before it).
SERIES_YEARS = 5


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


def priority_places(ctx: ChapterContext) -> Table | Missing | Text:
    """Tabell (Otrygga och brottsutsatta platser): the places of the ``places`` table in the area."""
    places = ctx.data.table("places")
    if places is None:
        return missing_table(ctx, "places", "Platserna i området")
    table = places_in_area(places, ctx.areas, ctx.area.area_id)
    if table.empty:
        return Text(f"Inga platser i {ctx.area.name} finns i tabellen places.")
    return Table(
        caption=f"Platser i {ctx.area.name} som följs inom samverkansområdet Otrygga och brottsutsatta platser",
        table=table,
        numeric=(),
        note="Källa: förteckningen över platser som polis och stadsdelsförvaltning följer (se Källor).",
    )


def intimate_partner_series(ctx: ChapterContext) -> list | Missing:
    """Tabell (Särskilt utsatta och sårbara brottsoffer): reported crimes in close relationships,
    1 jan–period end of each year (the series of the crime chapter's chart); whole calendar years,
    said in the caption, only from yearly aggregated counts that cannot be cut at the period end."""
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
    period = period_words(ctx.period_end)
    if crimes is not None:
        series, span = period_year_counts(crimes, cats, ctx.period_end, years), f"{period} varje år"
    else:  # yearly counts only: whole years, and the caption says so
        series, span = intimate_partner_years(None, counts, ctx.areas, ctx.area.area_id, cats, years), "hela kalenderår"
    end = period_cut_short(crimes, ctx.year, ctx.period_end) if crimes is not None else None
    cut = f"{end.day} {MONTHS_SHORT[end.month - 1]}" if end is not None else ""
    small = ctx.params.suppress_below
    shown = series.rename_axis("År").reset_index()
    shown["Antal"] = [disclosure.mask_count(v, small) for v in shown["Antal"]]
    data = disclosure.mask_data(series.rename_axis("År").reset_index(), ["Antal"], small)
    data["Period"] = [f"1 jan–{cut}" if end is not None and y == ctx.year else (period if crimes is not None else "helår") for y in data["År"]]
    if end is not None:
        shown["Anmärkning"] = [f"t.o.m. {cut}" if y == ctx.year else "" for y in shown["År"]]
    labels = join_sv(in_sentence(x) for x in categories.set_index("category").loc[cats, "label"])
    if basis is not None:
        source = counts_caveat(basis)
    else:
        source = "Källa: anmälda brott" + ("." if crimes is not None else ", aggregerade antal per helår (se Källor).")
    pieces: list = [
        Table(
            caption=f"Anmälda brott i nära relation per år i {ctx.area.name}, {span} {years[0]}–{years[-1]} ({labels})"
            + (f"; {ctx.year} t.o.m. {cut}" if end is not None else ""),
            table=shown,
            data=data,
            numeric=("Antal",),
            note=disclosure.with_note(source, small, disclosure.any_masked(series, small)),
        )
    ]
    if crimes is not None:
        pieces.append(Text("Samma serie visas som diagram i {ref:brottslighet.intimate_partner} i kapitlet om brottsligheten."))
    return pieces


def programme_ratings(ctx: ChapterContext) -> Table | Missing | Text:
    """Tabell (Kriminella miljöer och livsstilar): mean programme rating per group, e.g. GSRS."""
    ratings = ctx.data.table("programme_ratings")
    if ratings is None:
        return missing_table(ctx, "programme_ratings", "Skattningarna av insatsprogram")
    table = programme_summary(ratings, ctx.areas, ctx.area.area_id, ctx.year)
    if table.empty:
        return Text(f"Det finns inga skattningar av insatsprogram för {ctx.area.name} {ctx.year} i tabellen programme_ratings.")
    programmes = join_sv(sorted(set(table["Program"])))
    shown = table.assign(
        **{"Antal skattningar": [fmt_int(v) for v in table["Antal skattningar"]], "Medelvärde": [fmt_num(v, 1) for v in table["Medelvärde"]]}
    )
    small = ctx.params.suppress_below
    masked = disclosure.any_masked(table["Antal skattningar"], small)
    if masked:  # a mean of fewer than N ratings tells too much about each rating
        shown = disclosure.mask_display(table, ["Antal skattningar"], small, derived=["Medelvärde"], formatted=shown)
        table = disclosure.mask_data(table, ["Antal skattningar"], small, derived=["Medelvärde"])
    total_rows = tuple(i for i, g in enumerate(table["Grupp"]) if g == "Alla grupper")
    return Table(
        caption=f"Deltagarnas skattningar av {programmes} per grupp i {ctx.area.name} {ctx.year}: medelvärde och antal skattningar",
        table=shown,
        data=table,
        numeric=("Antal skattningar", "Medelvärde"),
        strong_rows=total_rows,
        note=disclosure.with_note("Skala 1–10, högre värde betyder nöjdare deltagare. Källa: deltagarnas skattningar, en per deltagare och tillfälle (se Källor).", small, masked),
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
