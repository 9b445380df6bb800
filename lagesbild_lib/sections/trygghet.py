"""Chapter 3, Beskrivning av tryggheten."""

from __future__ import annotations

import pandas as pd

from ..context import ChapterContext
from ..figures import plot_shares, shares_alt
from ..fmt import fmt_int, fmt_share_ci
from ..present import Chart, Missing, Table
from ..survey import pick_survey, subarea_shares
from .common import missing_table


def _evening_shares(ctx: ChapterContext):
    survey = ctx.data.table("survey")
    if survey is None:
        return None, None
    question = ctx.params.survey_question
    this_year = survey[survey["year"] == ctx.year]
    name = pick_survey(this_year, ctx.areas.descendants(ctx.area.area_id), question)
    if name is None:
        return pd.DataFrame(), None
    include = (ctx.city.area_id,) if ctx.city and ctx.city.area_id != ctx.area.area_id else ()
    return subarea_shares(survey, ctx.areas, ctx.area.area_id, ctx.year, question, "ja", survey_name=name, include=include), name


def unsafety_table(ctx: ChapterContext) -> Table | Missing:
    """Tabell: share unsafe out alone in the evening per sub-area, with 95 % intervals."""
    shares, name = _evening_shares(ctx)
    if shares is None:
        return missing_table(ctx, "survey", "Trygghetsmätningens resultat")
    if shares.empty:
        return Missing(f"Det finns inga enkätsvar om {ctx.params.survey_question} för {ctx.area.name} år {ctx.year}.")
    shown = pd.DataFrame(
        {
            "Område": shares["name"],
            "Andel otrygga (95 % KI)": [fmt_share_ci(s, lo, hi) for s, lo, hi in zip(shares["share"], shares["lo"], shares["hi"])],
            "Svarande": shares["respondents"].map(fmt_int),
            "Anmärkning": shares["small"].map({True: "osäker: färre än 30 svarande", False: ""}),
        }
    )
    data = shares.drop(columns=["area_id"]).rename(
        columns={"name": "Område", "share": "Andel", "respondents": "Svarande", "lo": "KI nedre", "hi": "KI övre", "small": "Färre än 30 svarande"}
    )
    return Table(
        caption=f"Andel som känner sig otrygga ute ensamma sent på kvällen, {ctx.year} ({name})",
        table=shown,
        data=data,
        numeric=("Andel otrygga (95 % KI)", "Svarande"),
        note="KI: 95 % konfidensintervall (Wilson). Område och stad är viktade efter antal svarande.",
    )


def unsafety_chart(ctx: ChapterContext) -> Chart | None:
    """Diagram: the same shares as bars with intervals (None when there is nothing to draw)."""
    shares, name = _evening_shares(ctx)
    if shares is None or shares.empty:
        return None
    highlight = tuple(a for a in (ctx.area.area_id, ctx.city.area_id if ctx.city else None) if a)
    what = f"andelen som känner sig otrygga ute ensamma sent på kvällen i {ctx.area.name} {ctx.year}"
    return Chart(
        figure=plot_shares(shares, f"Otrygga ute ensamma sent på kvällen {ctx.year}", highlight=highlight),
        caption=f"Andel otrygga ute ensamma sent på kvällen per delområde {ctx.year}, med 95 % konfidensintervall ({name}). * färre än 30 svarande",
        alt=shares_alt(shares, what),
        data=shares[["name", "share", "lo", "hi", "respondents"]].rename(
            columns={"name": "Område", "share": "Andel", "lo": "KI nedre", "hi": "KI övre", "respondents": "Svarande"}
        ),
    )
