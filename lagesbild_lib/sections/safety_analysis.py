"""Chapter 3, Beskrivning av tryggheten: the chapter's numbers and the wording shared by its sections.

Holds :class:`SafetyAnalysis` and :func:`analyse` (survey shares, Wilson intervals and tests
against the city for one context, computed once so every section agrees), how a survey question
reads (:func:`question_text`), the comparison with the city in words (:func:`city_wording`), the
notes and number formats the tables and charts share, and the plain sentence shown when the area
and year have no survey answers (:func:`no_rows`). The section modules import from here; this
module imports none of them.

Choice of survey: the report year's share per sub-area comes from the survey that covers most of
the area's sub-areas that year (:func:`lagesbild_lib.analysis.survey.pick_survey`); its earlier
years give the series and the previous survey year.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

from lagesbild_lib.context import ChapterContext
from lagesbild_lib.present.fmt import fmt_share_ci
from lagesbild_lib.present.pieces import Missing
from lagesbild_lib.present.reference import reference_words
from lagesbild_lib.analysis.stats import ProportionTest
from lagesbild_lib.analysis.survey import (
    change_table as survey_change_table, compare_with_city, pick_survey, previous_year, shares_by_year,
    subarea_shares, survey_directions, survey_years,
)
from lagesbild_lib.present.text import difference_wording, join_sv
from lagesbild_lib.data.known_values import GROUP_ALL
from lagesbild_lib.sections.common import empty_filter, missing_table, per_context

ANSWER = "ja"
CI_NOTE = "KI: 95 % konfidensintervall (Wilson)."
SMALL_NOTE = "osäker: färre än 30 svarande"
STAR_NOTE = "* färre än 30 svarande: andelen är osäker."

#: How the reader sees a share and its interval under a chart (the workbook keeps 0–1 numbers).
SHARE_FORMATS = {"Andel": "share", "KI nedre": "share", "KI övre": "share"}


# --------------------------------------------------------------------------- wording


@dataclass(frozen=True)
class QuestionText:
    """How a survey question reads in captions, columns and sentences."""

    caption: str
    column: str
    phrase: str
    map_title: str


QUESTIONS = {
    "otrygg_kvallstid": QuestionText(
        caption="Andel som känner sig otrygga ute ensamma sent på kvällen",
        column="Andel otrygga",
        phrase="känner sig otrygga ute ensamma sent på kvällen",
        map_title="Otrygghet kvällstid",
    ),
}


def question_text(question: str) -> QuestionText:
    """The Swedish wording of a question id (a plain fallback for ids without one)."""
    return QUESTIONS.get(question) or QuestionText(
        caption=f"Andel som svarat ”{ANSWER}” på frågan {question}",
        column="Andel ja",
        phrase=f"svarar ”{ANSWER}” på frågan {question}",
        map_title=f"Andel ja: {question}",
    )


def city_wording(test: ProportionTest | None, reference: str = "staden") -> str:
    """Area against the city: "högre än staden (statistiskt säkerställt)" only when p < 0.05.
    ``reference`` is what the areas are compared with (:func:`reference_name`).

    Returns
    -------
    str
        "högre än staden (statistiskt säkerställt)", "lägre än staden (statistiskt säkerställt)",
        "ingen statistiskt säkerställd skillnad mot staden", or "" when there is nothing to test.
    """
    if test is None:
        return ""
    return city_difference_wording(test.diff, test.significant, reference)


def city_difference_wording(diff: float, significant: bool, reference: str = "staden") -> str:
    """:func:`city_wording` from the difference (area − city, shares 0–1) and its significance:
    a direction only when the test says so and the difference shows in whole percentage points."""
    return difference_wording(diff, significant, reference, decimals=0, scale=100)


def reference_name(ctx: ChapterContext) -> str:
    """What the area and its sub-areas are compared with, as it reads after "än"/"mot": "staden" for
    an area of a city, "kommunen" for a RegSO or another part of a kommun; for a kommun, whose
    sub-areas are compared with the kommun itself, "hela Solna" (it has no city above it, DESIGN §6).
    See :func:`lagesbild_lib.present.reference.reference_words`."""
    return reference_words(ctx).definite


def city_sentence(diff: float, significant: bool, city_ci: str, reference: str = "staden") -> str:
    """The area against the city (``reference``: "staden", "kommunen") as a sentence, with its share."""
    if significant:
        return f"Andelen är {city_difference_wording(diff, significant, reference)}, där den är {city_ci}."
    return f"Skillnaden mot {reference}, där andelen är {city_ci}, är inte statistiskt säkerställd."


def drop_empty(shown: pd.DataFrame, column: str = "Anmärkning") -> pd.DataFrame:
    """Leave out a remarks column that has nothing to say."""
    if column in shown and not shown[column].astype(bool).any():
        return shown.drop(columns=[column])
    return shown


def share_ci(row) -> str:
    """A row's share with its 95 % interval ("32 % (28–36 %)")."""
    return fmt_share_ci(row["share"], row["lo"], row["hi"])


def share_ci_star(row) -> str:
    """:func:`share_ci` with " *" when the share rests on fewer than 30 respondents."""
    return share_ci(row) + (" *" if row["small"] else "")


# --------------------------------------------------------------------------- analysis


@dataclass
class SafetyAnalysis:
    """The chapter's numbers for one context, computed once.

    ``status`` is "ok", "no_table" (no survey table), or "no_rows" (no answers for the area and
    year); the frames are empty unless it is "ok".
    """

    status: str
    question: str
    text: QuestionText
    survey_name: str | None = None
    city_id: str | None = None
    years: list[int] = field(default_factory=list)
    prev: int | None = None
    now: pd.DataFrame = field(default_factory=pd.DataFrame)
    by_year: pd.DataFrame = field(default_factory=pd.DataFrame)
    changes: pd.DataFrame = field(default_factory=pd.DataFrame)
    directions: pd.DataFrame = field(default_factory=pd.DataFrame)
    other_years: list[int] = field(default_factory=list)
    reference: str = "staden"  # what the sub-areas are compared with (:func:`reference_name`)

    @property
    def ok(self) -> bool:
        return self.status == "ok"


@per_context
def analyse(ctx: ChapterContext) -> SafetyAnalysis:
    """Shares, intervals and tests of the chosen question for the report's area and year.

    Returns
    -------
    SafetyAnalysis
        ``now``: this year's shares per sub-area, the area and the city, with columns of
        :func:`lagesbild_lib.analysis.survey.subarea_shares` plus city_diff, city_p, city_significant and
        city_wording; ``by_year``: the same per survey year up to the report year; ``changes``:
        this year against the previous survey year (:func:`lagesbild_lib.analysis.survey.change_table`);
        ``directions``: every survey's latest share and change for the area.
    """
    return _analyse(ctx)


def _analyse(ctx: ChapterContext) -> SafetyAnalysis:
    question = ctx.params.survey_question
    text = question_text(question)
    survey = ctx.data.table("survey")
    if survey is None:
        return SafetyAnalysis("no_table", question, text)
    area = ctx.area.area_id
    city_id = ctx.city_to_compare.area_id if ctx.city_to_compare else None
    this_year = survey[survey["year"] == ctx.year]
    name = pick_survey(this_year, ctx.areas.descendants(area), question)
    if name is None:
        other = survey_years(survey, ctx.areas, area, question, ANSWER)
        return SafetyAnalysis("no_rows", question, text, city_id=city_id, other_years=other)
    include = (city_id,) if city_id else ()
    years = survey_years(survey, ctx.areas, area, question, ANSWER, survey_name=name, up_to=ctx.year)
    prev = previous_year(years, ctx.year)
    now = subarea_shares(survey, ctx.areas, area, ctx.year, question, ANSWER, survey_name=name, include=include)
    if now.empty:
        return SafetyAnalysis("no_rows", question, text, city_id=city_id)
    now = _with_city_tests(now, area, city_id, ctx.city.area_id if ctx.city else None, reference_name(ctx))
    by_year = shares_by_year(survey, ctx.areas, area, years, question, ANSWER, survey_name=name, include=include)
    changes = pd.DataFrame()
    if prev is not None:
        before = subarea_shares(survey, ctx.areas, area, prev, question, ANSWER, survey_name=name, include=include)
        changes = survey_change_table(now, before)
    directions = survey_directions(survey, ctx.areas, area, city_id, ctx.year, question, ANSWER)
    return SafetyAnalysis("ok", question, text, name, city_id, years, prev, now, by_year, changes, directions, reference=reference_name(ctx))


def _with_city_tests(now: pd.DataFrame, area: str, city_id: str | None, kommun: str | None, name: str = "staden") -> pd.DataFrame:
    """Add each row's test against the city (the kommun: for a kommun report, its sub-areas against
    it), in words against ``name`` (:func:`reference_name`)."""
    reference = city_id or kommun
    ref = now[now["area_id"] == reference]
    diffs, ps, sig, words = [], [], [], []
    for r in now.itertuples(index=False):
        test = None
        if len(ref) and r.area_id != reference:
            c = ref.iloc[0]
            test = compare_with_city(r.share, r.respondents, float(c["share"]), float(c["respondents"]))
        diffs.append(test.diff if test else float("nan"))
        ps.append(test.p_value if test else float("nan"))
        sig.append(bool(test.significant) if test else False)
        words.append(city_wording(test, name) if test else ("jämförelsenivå" if r.area_id == reference else ""))
    return now.assign(city_diff=diffs, city_p=ps, city_significant=sig, city_wording=words)


def no_rows(ctx: ChapterContext, a: SafetyAnalysis, what: str | None = None) -> Missing:
    """The plain sentence for a chapter without survey answers: in full at the top (``what`` None),
    short under each later heading."""
    if a.status == "no_table":
        if what:
            return Missing(f"{what} kan inte visas eftersom tabellen survey saknas i datamappen.")
        return missing_table(ctx, "survey", "Trygghetsmätningens resultat")
    if what:
        return Missing(f"{what} kan inte visas eftersom det saknas enkätsvar för {ctx.area.name} år {ctx.year}.")
    years = [y for y in a.other_years if y != ctx.year]
    hint = f" Enkätsvar för området finns för {join_sv(str(y) for y in years)}." if years else ""
    picked = f"fråga ”{a.question}”, svar ”{ANSWER}”, grupp ”{GROUP_ALL}”"
    return empty_filter(
        f"Det finns inga enkätsvar om andelen som {a.text.phrase} för {ctx.area.name} år {ctx.year} "
        f"(urvalet i enkätdata: {picked}, år {ctx.year}, {ctx.area.name} eller dess delområden).{hint}"
    )


def subareas_of(ctx: ChapterContext, frame: pd.DataFrame, a: SafetyAnalysis) -> pd.DataFrame:
    """The rows of ``frame`` for the sub-areas only (not the report area, not the city)."""
    return frame[~frame["area_id"].isin([ctx.area.area_id, a.city_id])]
