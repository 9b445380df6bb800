"""Chapter 3, Beskrivning av tryggheten: every survey question of ``survey_questions`` (issue 16).

A real Trygghet chapter reports many questions from two or three surveys. This module shows the
questions listed in the optional ``survey_questions`` table (the params ``survey_questions`` choose
and order them; empty: all): first a compact overview table of all questions, then, under one
subheading per theme, a short paragraph per question. For each question and survey: the area's
share with its Wilson 95 % interval, against the city (two-proportion test against the rest of the
city), against the survey's previous measurement, its rank among the sibling areas
(:mod:`lagesbild_lib.analysis.rank`) and women against men where the survey has those rows. A
question asked by more than one survey says whether the surveys give the same picture against the
city. A question without answers for the area, without a previous measurement or without rows
for women and men says so plainly. A free-text question (``answer`` ``*``, e.g. the places the
respondents avoid) is listed answer by answer in a table of its own (:func:`places_avoided`).

The chapter's single-question sections (params ``survey_question``) stay as they are.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from lagesbild_lib.analysis.rank import Rank, rank_in_siblings
from lagesbild_lib.analysis.stats import ProportionTest, two_proportion_test
from lagesbild_lib.analysis.survey import (
    GroupGap, answer_shares, compare_with_city, group_gap, previous_year, share_record, survey_share, survey_years,
)
from lagesbild_lib.context import ChapterContext
from lagesbild_lib.figures.survey import fmt_pp
from lagesbild_lib.present.fmt import fmt_int, fmt_share_ci
from lagesbild_lib.present.pieces import Missing, Table, Text
from lagesbild_lib.present.reference import reference_words
from lagesbild_lib.present.text import (
    NOT_SIGNIFICANT, SIGNIFICANT, change_wording, difference_wording, direction, join_sv, level_plural, number_word, rank_wording,
)
from lagesbild_lib.sections.common import missing_table, per_context

RANK_NOTE = (
    "Rangen räknas bland områdena på samma nivå under samma överordnade område{example} som har svar, på andelarna "
    "avrundade till hela procent; lika andelar delar plats, och med färre än tre områden ges ingen rang."
)
#: ``survey_questions.answer`` of a free-text question: every answer is listed (:func:`places_avoided`).
FREE_TEXT = "*"
TEST_NOTE = (
    "KI: 95 % konfidensintervall (Wilson). Jämförelsen med {compared}: tvåprovstest för andelar, "
    "statistiskt säkerställd betyder p < 0,05."
)


@dataclass(frozen=True)
class QuestionResult:
    """One question of one survey for the report's area, at its latest measurement up to the report year."""

    survey: str
    question: str
    label: str
    theme: str
    answer: str
    higher_is_worse: bool
    year: int
    share: dict  # :func:`lagesbild_lib.analysis.survey.share_record` of the area
    city: dict | None  # the same for the city (None: no city to compare with, or no city row)
    city_test: ProportionTest | None
    prev_year: int | None
    prev: dict | None
    change: ProportionTest | None
    gap: GroupGap | None
    rank: Rank | None


@dataclass(frozen=True)
class Questions:
    """The questions shown and what could not be shown (Swedish phrases naming them)."""

    status: str  # "ok", "no_table" (no survey_questions), "no_survey" (no survey table)
    results: tuple[QuestionResult, ...] = ()
    without_answers: tuple[str, ...] = ()
    unknown: tuple[str, ...] = ()


def _chosen(ctx: ChapterContext, table: pd.DataFrame) -> tuple[pd.DataFrame, list[str]]:
    """The rows the params choose, in their order (all rows when none are chosen), and unknown ids."""
    wanted = list(ctx.params.survey_questions)
    if not wanted:
        return table, []
    known = set(table["question"])
    order = {q: i for i, q in enumerate(wanted)}
    picked = table[table["question"].isin(order)]
    picked = picked.iloc[sorted(range(len(picked)), key=lambda i: order[picked["question"].iloc[i]])]
    return picked, [q for q in wanted if q not in known]


@per_context
def question_results(ctx: ChapterContext) -> Questions:
    """Every chosen question's numbers for the report's area (computed once per context)."""
    table = ctx.data.table("survey_questions")
    if table is None:
        return Questions("no_table")
    survey = ctx.data.table("survey")
    if survey is None:
        return Questions("no_survey")
    rows, unknown = _chosen(ctx, table)
    rows = rows[rows["answer"] != FREE_TEXT]  # free-text questions: :func:`places_avoided`
    rows = rows[~rows["survey"].isin(_other_kommuners_surveys(ctx, survey))]
    results, without = [], []
    for r in rows.itertuples(index=False):
        found = _result(ctx, survey, r)
        if found is None:
            without.append(f"{r.label} ({r.survey})")
        else:
            results.append(found)
    return Questions("ok", tuple(results), tuple(without), tuple(unknown))


def _other_kommuners_surveys(ctx: ChapterContext, survey: pd.DataFrame) -> set[str]:
    """The surveys with answers in the data set but none in the report area's kommun: a data set that
    holds several kommuner lists each kommun's own survey in ``survey_questions``, and another
    kommun's questions are not questions "without answers" for this area. A survey with no answers
    at all stays (it is named as without answers: perhaps it was never imported)."""
    kommun = ctx.areas.city_of(ctx.area.area_id)
    if kommun is None:
        return set()
    return set(survey["survey"]) - set(survey.loc[survey["area_id"].isin(ctx.areas.descendants(kommun)), "survey"])


def _record(found: tuple[float, int] | None, area_id: str = "", name: str = "") -> dict | None:
    return share_record(area_id, name, *found) if found is not None else None


def _result(ctx: ChapterContext, survey: pd.DataFrame, q) -> QuestionResult | None:
    area, reg = ctx.area.area_id, ctx.areas
    years = survey_years(survey, reg, area, q.question, q.answer, survey_name=q.survey, up_to=ctx.year)
    if not years:
        return None
    year = years[-1]

    def share_of(area_id: str, y: int = year, group: str = "alla"):
        return survey_share(survey, reg, area_id, y, q.question, q.answer, group=group, survey_name=q.survey)

    now = share_of(area)
    if now is None:
        return None
    city = city_test = None
    if ctx.city_to_compare is not None:
        found = share_of(ctx.city_to_compare.area_id)
        city = _record(found)
        city_test = compare_with_city(now[0], now[1], *found) if found is not None else None
    prev_year = previous_year(years, year)
    before = share_of(area, prev_year) if prev_year is not None else None
    change = two_proportion_test(now[0], now[1], *before) if before is not None else None
    gap = group_gap(survey, reg, area, year, q.question, q.answer, survey_name=q.survey)

    def peer_share(area_id: str) -> float | None:
        found = share_of(area_id)
        return found[0] if found is not None else None

    rank = rank_in_siblings(reg, area, peer_share, decimals=0, scale=100)
    return QuestionResult(
        q.survey, q.question, q.label, q.theme, q.answer, bool(q.higher_is_worse), year, _record(now, area, ctx.area.name),
        city, city_test, prev_year, _record(before), change, gap, rank,
    )


def _missing(ctx: ChapterContext, qs: Questions, what: str) -> Missing:
    if qs.status == "no_table":
        return missing_table(ctx, "survey_questions", what)
    if qs.status == "no_survey":
        return missing_table(ctx, "survey", what)
    return Missing(f"{what} kan inte visas: ingen av frågorna i survey_questions har svar för {ctx.area.name}.", warning=True)


def _ci(rec: dict) -> str:
    return fmt_share_ci(rec["share"], rec["lo"], rec["hi"])


def _noun(ctx: ChapterContext) -> str:
    return level_plural(ctx.area.level)


def _city_cell(r: QuestionResult, reference: str) -> str:
    if r.city_test is None:
        return "–"
    return difference_wording(r.city_test.diff, r.city_test.significant, reference, decimals=0, scale=100)


def _notes(ctx: ChapterContext, compared: bool) -> str:
    """The overview's note: the tests (against the city or kommun when there is one) and how ranks are counted."""
    parent = ctx.areas.get(ctx.area.parent_id) if ctx.area.parent_id else None
    example = f" (här {_noun(ctx)} i {parent.name})" if parent is not None else ""
    against = f"{reference_words(ctx).definite} och med föregående mätning" if compared else "föregående mätning"
    return f"{TEST_NOTE.format(compared=against)} {RANK_NOTE.format(example=example)}"


def _change_cell(r: QuestionResult) -> str:
    if r.change is None:
        return "ingen tidigare mätning"
    return f"{change_wording(r.change.significant, r.change.diff, decimals=0, scale=100)} (sedan {r.prev_year})"


def _rank_text(ctx: ChapterContext, r: QuestionResult, words: bool) -> str:
    if r.rank is None:
        return "–"
    what = "andelen" if words else ""
    return rank_wording(r.rank.place, r.rank.end, r.rank.peers, _noun(ctx), tied=r.rank.tied, what=what, words=words)


def questions_overview(ctx: ChapterContext) -> list:
    """Tabell: every chosen question in one row (share with interval, against the city, since the
    previous measurement, rank), grouped by theme; then what could not be shown."""
    qs = question_results(ctx)
    what = "Översikten över enkätfrågorna"
    if qs.status != "ok" or not qs.results:
        return [_missing(ctx, qs, what), *_left_out(ctx, qs)]
    results = sorted(qs.results, key=_theme_order(qs.results))
    ref = reference_words(ctx)
    against = f"Jämfört med {ref.definite}"
    shown = pd.DataFrame({
        "Tema": [r.theme for r in results],
        "Fråga": [r.label for r in results],
        "Undersökning": [f"{r.survey} {r.year}" for r in results],
        "Andel (95 % KI)": [_ci(r.share) for r in results],
        "Svarande": [fmt_int(r.share["respondents"]) for r in results],
        against: [_city_cell(r, ref.definite) for r in results],
        "Förändring sedan föregående mätning": [_change_cell(r) for r in results],
        f"Rang bland {_noun(ctx)}": [_rank_text(ctx, r, words=False) for r in results],
    })
    if all(r.city_test is None for r in results):
        shown = shown.drop(columns=[against])
    data = pd.DataFrame([{
        "Tema": r.theme, "Fråga": r.label, "Fråge-id": r.question, "Undersökning": r.survey, "År": r.year, "Svar": r.answer,
        "Högre andel är sämre": r.higher_is_worse, "Andel": r.share["share"], "KI nedre": r.share["lo"], "KI övre": r.share["hi"],
        "Svarande": r.share["respondents"], f"Andel {ref.definite}": r.city["share"] if r.city else None,
        f"Skillnad mot {ref.rest}": r.city_test.diff if r.city_test else None,
        f"Skillnad mot {ref.definite} statistiskt säkerställd": r.city_test.significant if r.city_test else None,
        "Föregående år": r.prev_year, "Andel föregående år": r.prev["share"] if r.prev else None,
        "Förändring (andel)": r.change.diff if r.change else None,
        "Förändring statistiskt säkerställd": r.change.significant if r.change else None,
        "Rang uppifrån": r.rank.from_top if r.rank else None, "Rang nedifrån": r.rank.from_bottom if r.rank else None,
        "Antal rangordnade områden": r.rank.peers if r.rank else None,
    } for r in results])
    table = Table(
        caption=f"Enkätfrågorna i översikt: {ctx.area.name}, senaste mätning till och med {ctx.year}",
        table=shown, data=data, numeric=("Andel (95 % KI)", "Svarande"),
        note=_notes(ctx, any(r.city_test is not None for r in results)),
    )
    return [table, *_left_out(ctx, qs)]


def _left_out(ctx: ChapterContext, qs: Questions) -> list[Missing]:
    out = []
    if qs.without_answers:
        out.append(Missing(f"Frågor utan svar för {ctx.area.name} i den här rapporten: {join_sv(qs.without_answers)}."))
    if qs.unknown:
        out.append(Missing(f"Frågor i params survey_questions som saknas i tabellen survey_questions: {join_sv(qs.unknown)}.", warning=True))
    return out


def _theme_order(results):
    themes = list(dict.fromkeys(r.theme for r in results))
    position = {id(r): i for i, r in enumerate(results)}
    return lambda r: (themes.index(r.theme), position[id(r)])


def question_paragraph(ctx: ChapterContext, r: QuestionResult) -> str:
    """One question's paragraph: share, against the city, since the previous measurement, rank, women and men."""
    name = ctx.area.name
    reference = reference_words(ctx).definite
    parts = [f"**{r.label}** ({r.survey} {r.year}): {_ci(r.share)} av {number_word(r.share['respondents'])} svarande i {name}."]
    if r.city_test is not None:
        sign = direction(r.city_test.diff, 0, scale=100)
        if r.city_test.significant and sign:
            parts.append(f"Andelen är {'högre' if sign > 0 else 'lägre'} än i {reference} ({_ci(r.city)}), statistiskt säkerställt.")
        else:
            parts.append(f"Ingen statistiskt säkerställd skillnad mot {reference} ({_ci(r.city)}).")
    if r.change is None:
        parts.append(f"Ingen tidigare mätning att jämföra med i {r.survey}.")
    else:
        verdict = SIGNIFICANT if r.change.significant else NOT_SIGNIFICANT
        parts.append(f"Förändring sedan {r.prev_year}, då andelen var {_ci(r.prev)}: {fmt_pp(r.change.diff)}, {verdict}.")
    if r.rank is not None:
        if r.rank.enough:
            parts.append(f"{name} har {_rank_text(ctx, r, words=True)}.")
        else:
            parts.append(f"{name}: {_rank_text(ctx, r, words=True)}.")
    if r.gap is None:
        parts.append("Svaren redovisas inte för kvinnor och män.")
    else:
        g = r.gap
        women, men = share_record("", "", g.share1, g.n1), share_record("", "", g.share2, g.n2)
        parts.append(
            f"Kvinnor {_ci(women)}, män {_ci(men)}; skillnaden är {SIGNIFICANT if g.significant else NOT_SIGNIFICANT}."
        )
    if r.share["small"]:
        parts.append("Andelen bygger på färre än 30 svarande och är osäker.")
    return " ".join(parts)


def _same_question(ctx: ChapterContext, group: list[QuestionResult]) -> str:
    """How each survey that asks the same question places the area against the city, said per
    survey ("X visar en statistiskt säkerställt högre andel än staden och Y ingen statistiskt
    säkerställd skillnad"): two results are not compared with each other, so no "olika bild"."""
    compared = [r for r in group if r.city_test is not None]
    if len(compared) < 2:
        return ""
    reference = reference_words(ctx).definite

    def verdict(r: QuestionResult) -> str:
        way = direction(r.city_test.diff, 0, scale=100) if r.city_test.significant else 0
        if way:
            return f"en statistiskt säkerställt {'högre' if way > 0 else 'lägre'} andel än {reference}"
        return f"ingen statistiskt säkerställd skillnad mot {reference}"

    said = [verdict(r) for r in compared]
    if len(set(said)) == 1:
        told = f"{'båda' if len(compared) == 2 else 'alla'} visar {said[0]}"
    else:
        told = join_sv(f"{r.survey} visar {v}" for r, v in zip(compared, said))
    return f"Frågan ”{compared[0].label}” ställs i {join_sv(r.survey for r in compared)}: {told} för {ctx.area.name}."


def questions_detail(ctx: ChapterContext) -> list:
    """Under one subheading per theme, a paragraph per question (:func:`question_paragraph`)."""
    qs = question_results(ctx)
    if qs.status != "ok" or not qs.results:
        return [_missing(ctx, qs, "Enkätfrågorna i detalj")]
    results = sorted(qs.results, key=_theme_order(qs.results))
    pieces: list = []
    theme = None
    for i, r in enumerate(results):
        if r.theme != theme:
            theme = r.theme
            pieces.append(Text(f"### {theme}"))
        pieces.append(Text(question_paragraph(ctx, r)))
        group = [x for x in results if x.question == r.question]
        if len(group) >= 2 and r is group[-1]:
            same = _same_question(ctx, group)
            if same:
                pieces.append(Text(same))
    return pieces


# --------------------------------------------------------------------------- free text: places avoided


def _free_text_rows(ctx: ChapterContext, table: pd.DataFrame) -> pd.DataFrame:
    rows, _ = _chosen(ctx, table)
    return rows[rows["answer"] == FREE_TEXT]


def places_avoided(ctx: ChapterContext) -> list:
    """Tabell per free-text question of ``survey_questions`` (``answer`` ``*``, e.g. places the
    respondents avoid): every answer given in the area with its share and 95 % interval, most
    named first, at the question's latest measurement up to the report year."""
    table, survey = ctx.data.table("survey_questions"), ctx.data.table("survey")
    what = "Fritextsvaren (till exempel platser som de svarande undviker)"
    if table is None:
        return [missing_table(ctx, "survey_questions", what)]
    if survey is None:
        return [missing_table(ctx, "survey", what)]
    rows = _free_text_rows(ctx, table)
    if rows.empty:
        return [Missing(f"{what} kan inte visas: tabellen survey_questions har ingen fritextfråga (svaret ”{FREE_TEXT}”).")]
    out = []
    for q in rows.itertuples(index=False):
        years = survey_years(survey, ctx.areas, ctx.area.area_id, q.question, survey_name=q.survey, up_to=ctx.year)
        frame = answer_shares(survey, ctx.areas, ctx.area.area_id, years[-1], q.question, survey_name=q.survey) if years else None
        if frame is None or frame.empty:
            out.append(Missing(f"{q.label} ({q.survey}): inga svar för {ctx.area.name}."))
            continue
        shown = pd.DataFrame({
            "Svar": frame["answer"],
            "Andel som nämner (95 % KI)": [_ci(r) for _, r in frame.iterrows()],
            "Svarande": frame["respondents"].map(fmt_int),
        })
        data = frame.rename(columns={"answer": "Svar", "share": "Andel", "respondents": "Svarande", "lo": "KI nedre", "hi": "KI övre",
                                     "small": "Färre än 30 svarande"})
        out.append(Table(
            caption=f"Fritextsvar – {q.label}, {ctx.area.name} {years[-1]} ({q.survey})",
            table=shown, data=data, numeric=("Andel som nämner (95 % KI)", "Svarande"),
            note="KI: 95 % konfidensintervall (Wilson). Flera svar möjliga.",
        ))
    return out
