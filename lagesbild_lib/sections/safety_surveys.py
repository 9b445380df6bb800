"""Chapter 3, Beskrivning av tryggheten: the surveys of the same question side by side.

Holds :func:`survey_comparison` (every survey's latest share for the area, its change and its
place against the city, as a sentence and a table) and :func:`disagreement_sentence`, the plain
warning the key findings also use when surveys measured the same year point in different
directions.
"""

from __future__ import annotations

import pandas as pd

from lagesbild_lib.analysis import breaks as series_breaks
from lagesbild_lib.context import ChapterContext
from lagesbild_lib.present.fmt import fmt_int, fmt_share
from lagesbild_lib.present.pieces import Missing, Table, Text
from lagesbild_lib.present.reference import reference_words
from lagesbild_lib.analysis.survey import changes_since, common_previous_year
from lagesbild_lib.present.text import change_wording, direction, join_sv
from lagesbild_lib.sections.safety_analysis import (
    ANSWER, CI_NOTE, SafetyAnalysis, analyse, city_difference_wording, no_rows, share_ci,
)


def _shown_and_significant(frame: pd.DataFrame, significant: str, diff: str) -> pd.DataFrame:
    """The rows whose difference is significant and shows in whole percentage points."""
    return frame[[bool(sig) and direction(x, 0, scale=100) != 0 for sig, x in zip(frame[significant], frame[diff])]]


def disagreement_sentence(ctx: ChapterContext, a: SafetyAnalysis) -> str:
    """A plain sentence when surveys measured this year disagree on direction; "" otherwise."""
    d = a.directions
    d = d[(d["year"] == ctx.year)]
    sentences = []
    moved = _changes_for_comparison(ctx, a, list(d["survey"])) if len(d) >= 2 else pd.DataFrame(columns=["diff", "significant"])
    # surveys "point different ways" only when each change is significant and shows in whole percent
    moved = _shown_and_significant(moved, "significant", "diff")
    if len(moved) >= 2 and moved["diff"].gt(0).any() and moved["diff"].lt(0).any():
        parts = [
            f"enligt {r['survey']} har andelen {'ökat' if r['diff'] > 0 else 'minskat'} sedan {int(r['base'])} "
            f"({fmt_share(r['share_before'])} till {fmt_share(r['share'])})"
            for _, r in moved.iterrows()
        ]
        sentences.append(f"**Undersökningarna pekar åt olika håll:** {join_sv(parts)}; förändringarna är statistiskt säkerställda.")
    placed = d.dropna(subset=["city_diff"])
    reference = reference_words(ctx).definite
    # "a different picture against the city" only when each survey's difference is significant
    placed = _shown_and_significant(placed, "city_significant", "city_diff")
    if len(placed) >= 2 and placed["city_diff"].gt(0).any() and placed["city_diff"].lt(0).any():
        parts = [
            f"enligt {r['survey']} ligger {ctx.area.name} {'över' if r['city_diff'] > 0 else 'under'} {reference} "
            f"({fmt_share(r['share'])} mot {fmt_share(r['city_share'])}, statistiskt säkerställt)"
            for _, r in placed.iterrows()
        ]
        sentences.append(f"**Undersökningarna ger olika bild av läget jämfört med {reference}:** {join_sv(parts)}.")
    if sentences:
        sentences.append("Undersökningarna skiljer sig i urval, frågeformulering och tidpunkt, så skillnader mellan dem kan bero på metoden.")
    return " ".join(sentences)


def _changes_for_comparison(ctx: ChapterContext, a: SafetyAnalysis, surveys: list[str]) -> pd.DataFrame:
    """Each survey's change over a common span when there is one, else since its own previous year."""
    survey = ctx.data.table("survey")
    base = common_previous_year(survey, ctx.areas, ctx.area.area_id, a.question, ANSWER, surveys, ctx.year)
    if base is not None:
        return changes_since(survey, ctx.areas, ctx.area.area_id, a.question, ANSWER, surveys, base, ctx.year)
    d = a.directions[a.directions["survey"].isin(surveys)].dropna(subset=["change"])
    return pd.DataFrame({"survey": d["survey"], "base": d["prev_year"], "share_before": d["prev_share"],
                         "share": d["share"], "diff": d["change"], "significant": d["change_significant"]})


def survey_comparison(ctx: ChapterContext) -> tuple[Text, Table] | Missing:
    """Text and Tabell: every survey of the question for the area, its change and its place vs the city."""
    a = analyse(ctx)
    if not a.ok:
        return no_rows(ctx, a, "Jämförelsen mellan undersökningar")
    d = a.directions
    if len(d) < 2:
        return Missing(f"Bara en undersökning ({a.survey_name}) mäter andelen som {a.text.phrase} för {ctx.area.name}, så det finns inget att jämföra med.")
    current = d[d["year"] == ctx.year]
    words = disagreement_sentence(ctx, a)
    if not words:
        if len(current) >= 2:
            moved = _changes_for_comparison(ctx, a, list(current["survey"]))
            # a direction only where the change is significant and shows in whole percent
            signs = {
                ("ökning" if direction(c, 0, scale=100) > 0 else "minskning") if sig and direction(c, 0, scale=100) else "ingen"
                for c, sig in zip(moved["diff"], moved["significant"])
            }
            bases = {int(b) for b in moved["base"]}
            since = f"sedan {bases.pop()}" if len(bases) == 1 else "sedan föregående mätning"
            if len(moved) >= 2 and signs == {"ingen"}:
                words = f"Ingen av undersökningarna som gjordes {ctx.year} visar en statistiskt säkerställd förändring {since}."
            elif len(moved) >= 2 and len(signs) == 1:
                words = f"Undersökningarna som gjordes {ctx.year} pekar åt samma håll: alla visar en statistiskt säkerställd {signs.pop()} {since}."
            else:
                words = f"Undersökningarna som gjordes {ctx.year} motsäger inte varandra: ingen visar en statistiskt säkerställd förändring åt motsatt håll mot en annan."
        else:
            words = f"Bara {join_sv(current['survey'])} gjordes {ctx.year}; de andra undersökningarna kan inte jämföras för samma år."
    stale = d[d["year"] != ctx.year]
    if len(stale):
        words += " " + " ".join(
            f"{r['survey']} gjordes inte {ctx.year}; senaste mätningen ({int(r['year'])}) gav {share_ci(r)}."
            for _, r in stale.iterrows()
        )
    # a survey whose change since its previous measurement spans a series break says so
    crossed = [
        series_breaks.crossing(series_breaks.of_question(ctx.params.series_breaks, a.question, r["survey"]), int(r["prev_year"]), int(r["year"]))
        if pd.notna(r["change"]) else [] for _, r in d.iterrows()
    ]
    across = " ".join(
        series_breaks.spans(found, int(r["prev_year"]), r["survey"]) for found, (_, r) in zip(crossed, d.iterrows()) if found
    )
    if across:
        words += " " + across
    ref = reference_words(ctx)
    shown = pd.DataFrame({
        "Undersökning": d["survey"],
        "År": d["year"].map(str),
        f"{a.text.column} (95 % KI)": [share_ci(r) for _, r in d.iterrows()],
        "Svarande": d["respondents"].map(fmt_int),
        "Föregående mätning": [
            f"{fmt_share(r['prev_share'])} ({int(r['prev_year'])})" if pd.notna(r["prev_share"]) else "–" for _, r in d.iterrows()
        ],
        "Förändring": [
            change_wording(r["change_significant"], r["change"], decimals=0, scale=100) + (f" ({series_breaks.FLAG})" if crossed[i] else "")
            if pd.notna(r["change"]) else "–" for i, (_, r) in enumerate(d.iterrows())
        ],
        f"Jämfört med {ref.definite}": [
            city_difference_wording(r["city_diff"], r["city_significant"], ref.definite) if pd.notna(r["city_diff"]) else "–"
            for _, r in d.iterrows()
        ],
    })
    data = d.rename(columns={
        "survey": "Undersökning", "year": "År", "share": "Andel", "lo": "KI nedre", "hi": "KI övre", "respondents": "Svarande",
        "prev_year": "Föregående år", "prev_share": "Andel föregående år", "prev_respondents": "Svarande föregående år",
        "change": "Förändring (andel)", "change_significant": "Förändring statistiskt säkerställd",
        "city_share": f"Andel {ref.definite}", "city_respondents": f"Svarande {ref.definite}", "city_diff": f"Skillnad mot {ref.rest}",
        "city_significant": f"Skillnad mot {ref.definite} statistiskt säkerställd",
    })
    table = Table(
        caption=f"{a.text.caption} i {ctx.area.name} enligt olika undersökningar, senaste mätning till och med {ctx.year}",
        table=shown,
        data=data,
        numeric=("År", f"{a.text.column} (95 % KI)", "Svarande", "Föregående mätning"),
        note=f"{CI_NOTE} Förändring sedan undersökningens föregående mätning och skillnad mot {ref.definite}: tvåprovstest för andelar, p < 0,05."
        + (f" {across}" if across else ""),
    )
    return Text(words), table
