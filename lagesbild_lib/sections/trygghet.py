"""Chapter 3, Beskrivning av tryggheten: survey shares with Wilson intervals and two-proportion tests.

Every function takes the chapter context and returns pieces to ``show`` (a Missing piece saying
plainly what is missing when the area and year have no survey answers). The numbers come from one
analysis per context (:func:`analyse`), so the key findings at the top and the tables under them
always agree.

Choice of survey: the report year's share per sub-area comes from the survey that covers most of
the area's sub-areas that year (:func:`lagesbild_lib.survey.pick_survey`); its earlier years give
the series and the previous survey year. Other surveys of the same question are compared with it
in :func:`survey_comparison`.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

from ..choropleth import choropleth_alt, plot_choropleth
from ..context import ChapterContext
from ..fmt import fmt_int, fmt_share, fmt_share_ci
from ..maps import SCHEMATIC_NOTE, area_outlines, to_sweref
from ..present import Chart, Missing, Table, Text
from ..stats import ProportionTest
from ..survey import (
    GroupGap, age_groups, answer_shares, change_table as survey_change_table, changes_since, common_previous_year,
    compare_with_city,
    group_gap, group_shares, pick_survey, previous_year, share_difference_interval, share_interval, shares_by_year, subarea_shares,
    survey_directions, survey_years,
)
from ..survey_figures import (
    fmt_pp, fmt_pp_ci, gaps_alt, places_alt, plot_gaps, plot_places, plot_subarea_years, subarea_years_alt,
)
from ..text import NOT_SIGNIFICANT, SIGNIFICANT, join_sv
from .common import missing_table, missing_table_geo

ANSWER = "ja"
CI_NOTE = "KI: 95 % konfidensintervall (Wilson)."
SMALL_NOTE = "osäker: färre än 30 svarande"
STAR_NOTE = "* färre än 30 svarande: andelen är osäker."


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


def city_wording(test: ProportionTest | None) -> str:
    """Area against the city: "högre än staden (statistiskt säkerställt)" only when p < 0.05.

    Returns
    -------
    str
        "högre än staden (statistiskt säkerställt)", "lägre än staden (statistiskt säkerställt)",
        "ingen statistiskt säkerställd skillnad mot staden", or "" when there is nothing to test.
    """
    if test is None:
        return ""
    return city_difference_wording(test.diff, test.significant)


def city_difference_wording(diff: float, significant: bool) -> str:
    """:func:`city_wording` from the difference (area − city) and its significance."""
    if significant and diff > 0:
        return "högre än staden (statistiskt säkerställt)"
    if significant and diff < 0:
        return "lägre än staden (statistiskt säkerställt)"
    return "ingen statistiskt säkerställd skillnad mot staden"


def change_wording(diff: float, significant: bool) -> str:
    """A change of a share: "ökning, statistiskt säkerställd", "minskning, inte statistiskt säkerställd", …"""
    direction = "ökning" if diff > 0 else "minskning" if diff < 0 else "oförändrad"
    if diff == 0:
        return direction
    return f"{direction}, {SIGNIFICANT if significant else NOT_SIGNIFICANT}"


def _city_sentence(diff: float, significant: bool, city_ci: str) -> str:
    """The area against the city as a sentence, with the city's share."""
    if significant:
        return f"Andelen är {city_difference_wording(diff, significant)}, där den är {city_ci}."
    return f"Skillnaden mot staden, där andelen är {city_ci}, är inte statistiskt säkerställd."


def _drop_empty(shown: pd.DataFrame, column: str = "Anmärkning") -> pd.DataFrame:
    """Leave out a remarks column that has nothing to say."""
    if column in shown and not shown[column].astype(bool).any():
        return shown.drop(columns=[column])
    return shown


def _ci(row) -> str:
    return fmt_share_ci(row["share"], row["lo"], row["hi"])


def _star(row) -> str:
    return _ci(row) + (" *" if row["small"] else "")


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

    @property
    def ok(self) -> bool:
        return self.status == "ok"


_CACHE: dict[int, tuple[ChapterContext, SafetyAnalysis]] = {}


def analyse(ctx: ChapterContext) -> SafetyAnalysis:
    """Shares, intervals and tests of the chosen question for the report's area and year.

    Returns
    -------
    SafetyAnalysis
        ``now``: this year's shares per sub-area, the area and the city, with columns of
        :func:`lagesbild_lib.survey.subarea_shares` plus city_diff, city_p, city_significant and
        city_wording; ``by_year``: the same per survey year up to the report year; ``changes``:
        this year against the previous survey year (:func:`lagesbild_lib.survey.change_table`);
        ``directions``: every survey's latest share and change for the area.
    """
    cached = _CACHE.get(id(ctx))
    if cached is not None and cached[0] is ctx:
        return cached[1]
    result = _analyse(ctx)
    _CACHE.clear()  # one chapter at a time: keep only the latest context
    _CACHE[id(ctx)] = (ctx, result)
    return result


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
    now = _with_city_tests(now, area, city_id, ctx.city.area_id if ctx.city else None)
    by_year = shares_by_year(survey, ctx.areas, area, years, question, ANSWER, survey_name=name, include=include)
    changes = pd.DataFrame()
    if prev is not None:
        before = subarea_shares(survey, ctx.areas, area, prev, question, ANSWER, survey_name=name, include=include)
        changes = survey_change_table(now, before)
    directions = survey_directions(survey, ctx.areas, area, city_id, ctx.year, question, ANSWER)
    return SafetyAnalysis("ok", question, text, name, city_id, years, prev, now, by_year, changes, directions)


def _with_city_tests(now: pd.DataFrame, area: str, city_id: str | None, kommun: str | None) -> pd.DataFrame:
    """Add each row's test against the city (the kommun: for a kommun report, its sub-areas against it)."""
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
        words.append(city_wording(test) if test else ("jämförelsenivå" if r.area_id == reference else ""))
    return now.assign(city_diff=diffs, city_p=ps, city_significant=sig, city_wording=words)


def _no_rows(ctx: ChapterContext, a: SafetyAnalysis, what: str | None = None) -> Missing:
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
    return Missing(f"Det finns inga enkätsvar om andelen som {a.text.phrase} för {ctx.area.name} år {ctx.year}.{hint}")


def _subareas(ctx: ChapterContext, frame: pd.DataFrame, a: SafetyAnalysis) -> pd.DataFrame:
    return frame[~frame["area_id"].isin([ctx.area.area_id, a.city_id])]


# --------------------------------------------------------------------------- key findings


def key_findings(ctx: ChapterContext) -> Text | Missing:
    """Text: the chapter's main findings as bullets, from the same numbers as the tables."""
    a = analyse(ctx)
    if not a.ok:
        return _no_rows(ctx, a)
    area = ctx.area.area_id
    bullets = []
    own = a.now[a.now["area_id"] == area].iloc[0]
    line = f"**{_ci(own)}** av de svarande i {ctx.area.name} {a.text.phrase} ({a.survey_name} {ctx.year})."
    if a.city_id:
        city = a.now[a.now["area_id"] == a.city_id]
        if len(city) and own["city_wording"]:
            line += " " + _city_sentence(own["city_diff"], own["city_significant"], _ci(city.iloc[0]))
    bullets.append(line)
    if a.prev is None:
        bullets.append(f"Det finns ingen tidigare mätning i {a.survey_name} att jämföra med.")
    else:
        ch = a.changes[a.changes["area_id"] == area]
        if len(ch):
            c = ch.iloc[0]
            before = fmt_share_ci(c["share_before"], c["lo_before"], c["hi_before"])
            bullets.append(
                f"Jämfört med {a.prev}, då andelen var {before}, är förändringen {fmt_pp(c['diff'])}, "
                f"{SIGNIFICANT if c['significant'] else NOT_SIGNIFICANT}."
            )
    subs = _subareas(ctx, a.now, a)
    if len(subs) >= 2:
        sure = subs[~subs["small"]]
        if len(sure) >= 2:
            top, low = sure.loc[sure["share"].idxmax()], sure.loc[sure["share"].idxmin()]
            among = " (bland delområden med minst 30 svarande)" if len(sure) < len(subs) else ""
            bullets.append(f"Högst andel{among} har {top['name']} med {_ci(top)}, lägst {low['name']} med {_ci(low)}.")
        for word in ("högre", "lägre"):
            named = list(subs.loc[subs["city_wording"].str.startswith(word), "name"])
            if named:
                bullets.append(f"Statistiskt säkerställt {word} än staden: {join_sv(named)}.")
        if a.prev is not None and len(a.changes):
            moved = _subareas(ctx, a.changes, a)
            moved = moved[moved["significant"]]
            if len(moved):
                parts = [f"{r['name']} ({'ökning' if r['diff'] > 0 else 'minskning'} {fmt_pp(r['diff'], signed=False)})" for _, r in moved.iterrows()]
                bullets.append(f"Statistiskt säkerställd förändring sedan {a.prev}: {join_sv(parts)}.")
            else:
                bullets.append(f"Inget delområdes förändring sedan {a.prev} är statistiskt säkerställd.")
        small = list(subs.loc[subs["small"], "name"])
        if small:
            bullets.append(
                f"För {join_sv(small)} bygger andelen på färre än 30 svarande och är osäker."
            )
    disagreement = _disagreement(ctx, a)
    if disagreement:
        bullets.append(disagreement)
    stale = a.directions[a.directions["year"] != ctx.year]
    for _, r in stale.iterrows():
        bullets.append(f"{r['survey']} gjordes inte {ctx.year}; senaste mätningen ({int(r['year'])}) gav {_ci(r)} för {ctx.area.name}.")
    gap = _area_gap(ctx, a)
    if gap is not None:
        bullets.append(_gap_sentence(gap, a.text.phrase))
    places = _places(ctx)
    if places is not None and len(places["area"]):
        first = places["table"].iloc[0]
        line = f"Flest nämner ”{first['answer']}” som en plats där de känner oro: {_ci(first)}"
        if pd.notna(first.get("city_share")):
            line += f" i {ctx.area.name} mot {fmt_share_ci(first['city_share'], first['city_lo'], first['city_hi'])} i staden"
        bullets.append(line + ".")
    return Text("\n".join(f"- {b}" for b in bullets))


# --------------------------------------------------------------------------- this year, per sub-area


def unsafety_table(ctx: ChapterContext) -> Table | Missing:
    """Tabell: this year's share per sub-area, the area and the city, each against the city."""
    a = analyse(ctx)
    if not a.ok:
        return _no_rows(ctx, a, "Tabellen")
    now = a.now
    shown = pd.DataFrame({
        "Område": now["name"],
        f"{a.text.column} (95 % KI)": [_ci(r) for _, r in now.iterrows()],
        "Svarande": now["respondents"].map(fmt_int),
        "Jämfört med staden": now["city_wording"],
        "Anmärkning": now["small"].map({True: SMALL_NOTE, False: ""}),
    })
    data = now.rename(columns={
        "name": "Område", "share": "Andel", "respondents": "Svarande", "lo": "KI nedre", "hi": "KI övre",
        "small": "Färre än 30 svarande", "city_diff": "Skillnad mot övriga staden", "city_p": "p-värde",
        "city_wording": "Jämfört med staden",
    })[["Område", "Andel", "KI nedre", "KI övre", "Svarande", "Färre än 30 svarande", "Skillnad mot övriga staden", "p-värde", "Jämfört med staden"]]
    return Table(
        caption=f"{a.text.caption}, per delområde {ctx.year} ({a.survey_name})",
        table=_drop_empty(shown),
        data=data,
        numeric=(f"{a.text.column} (95 % KI)", "Svarande"),
        note=(
            f"{CI_NOTE} Området och staden är viktade efter antal svarande. Jämförelsen med staden är ett "
            "tvåprovstest för andelar mot övriga staden (områdets svarande ingår i stadens); statistiskt "
            "säkerställt betyder p < 0,05."
        ),
    )


def unsafety_chart(ctx: ChapterContext) -> Chart | Missing:
    """Diagram: share per sub-area and survey year with intervals; the area and the city as reference lines."""
    a = analyse(ctx)
    if not a.ok:
        return _no_rows(ctx, a, "Diagrammet")
    frame = a.by_year
    first, last = a.years[0], a.years[-1]
    span = f"{first}–{last}" if first != last else str(last)
    what = a.text.caption[0].lower() + a.text.caption[1:]
    return Chart(
        figure=plot_subarea_years(frame, ctx.area.area_id, a.city_id, f"{a.text.column}, {span}", ylabel=a.text.column),
        caption=f"{a.text.caption} per delområde och år {span}, med 95 % konfidensintervall. "
                f"Streckad linje: hela {ctx.area.name}; prickad linje: staden ({a.survey_name})",
        alt=subarea_years_alt(frame, ctx.area.area_id, a.city_id, ctx.area.name, what),
        data=_year_data(frame),
        formats=SHARE_FORMATS,
        note="Ofylld punkt: färre än 30 svarande, andelen är osäker. " + CI_NOTE,
    )


#: How the reader sees a share and its interval under a chart (the workbook keeps 0–1 numbers).
SHARE_FORMATS = {"Andel": "share", "KI nedre": "share", "KI övre": "share"}
GAP_COLUMN = "Skillnad kvinnor − män, procentenheter"


def _year_data(frame: pd.DataFrame) -> pd.DataFrame:
    return frame.rename(columns={
        "year": "År", "name": "Område", "share": "Andel", "lo": "KI nedre", "hi": "KI övre", "respondents": "Svarande",
        "small": "Färre än 30 svarande",
    })[["Område", "År", "Andel", "KI nedre", "KI övre", "Svarande", "Färre än 30 svarande"]]


def unsafety_by_year_table(ctx: ChapterContext) -> Table | Missing:
    """Tabell: share with interval per sub-area (rows) and survey year (columns)."""
    a = analyse(ctx)
    if not a.ok:
        return _no_rows(ctx, a, "Tabellen")
    frame = a.by_year
    order = list(dict.fromkeys(frame["area_id"]))
    names = dict(zip(frame["area_id"], frame["name"]))
    cells = {(r["area_id"], int(r["year"])): _star(r) for _, r in frame.iterrows()}
    shown = pd.DataFrame(
        [[names[aid], *[cells.get((aid, y), "–") for y in a.years]] for aid in order],
        columns=["Område", *[str(y) for y in a.years]],
    )
    span = f"{a.years[0]}–{a.years[-1]}" if len(a.years) > 1 else str(a.years[0])
    return Table(
        caption=f"{a.text.caption}, per delområde och år {span} ({a.survey_name})",
        table=shown,
        data=_year_data(frame),
        note=f"{CI_NOTE} {STAR_NOTE} – ingen mätning det året.",
    )


def change_table(ctx: ChapterContext) -> Table | Missing:
    """Tabell: this year against the previous survey year per sub-area, the area and the city, tested."""
    a = analyse(ctx)
    if not a.ok:
        return _no_rows(ctx, a, "Förändringen")
    if a.prev is None:
        return Missing(f"Förändringen kan inte visas: {a.survey_name} har ingen mätning före {ctx.year} för {ctx.area.name}.")
    ch = a.changes
    if ch.empty:
        return Missing(f"Förändringen kan inte visas: inga områden har mätts både {a.prev} och {ctx.year}.")
    shown = pd.DataFrame({
        "Område": ch["name"],
        str(a.prev): [fmt_share_ci(r["share_before"], r["lo_before"], r["hi_before"]) for _, r in ch.iterrows()],
        str(ctx.year): [_ci(r) for _, r in ch.iterrows()],
        "Förändring, procentenheter": ch["diff"].map(lambda d: fmt_pp(d).split(" ")[0]),
        "Bedömning": [change_wording(d, s) for d, s in zip(ch["diff"], ch["significant"])],
        "Anmärkning": ch["small"].map({True: SMALL_NOTE, False: ""}),
    })
    data = ch.rename(columns={
        "name": "Område", "share_before": f"Andel {a.prev}", "respondents_before": f"Svarande {a.prev}",
        "share": f"Andel {ctx.year}", "respondents": f"Svarande {ctx.year}", "diff": "Förändring (andel)",
        "p_value": "p-värde", "significant": "Statistiskt säkerställd", "small": "Färre än 30 svarande",
    }).drop(columns=["area_id", "lo_before", "hi_before", "lo", "hi"])
    return Table(
        caption=f"{a.text.caption}, {ctx.year} jämfört med föregående mätning {a.prev} ({a.survey_name})",
        table=_drop_empty(shown),
        data=data,
        numeric=(str(a.prev), str(ctx.year), "Förändring, procentenheter"),
        note=f"{CI_NOTE} Förändringen i procentenheter; tvåprovstest för andelar, statistiskt säkerställd betyder p < 0,05.",
    )


# --------------------------------------------------------------------------- surveys side by side


def _disagreement(ctx: ChapterContext, a: SafetyAnalysis) -> str:
    """A plain sentence when surveys measured this year disagree on direction; "" otherwise."""
    d = a.directions
    d = d[(d["year"] == ctx.year)]
    sentences = []
    moved = _changes_for_comparison(ctx, a, list(d["survey"])) if len(d) >= 2 else pd.DataFrame(columns=["diff"])
    moved = moved[moved["diff"] != 0]
    if len(moved) >= 2 and moved["diff"].gt(0).any() and moved["diff"].lt(0).any():
        parts = [
            f"enligt {r['survey']} har andelen {'ökat' if r['diff'] > 0 else 'minskat'} sedan {int(r['base'])} "
            f"({fmt_share(r['share_before'])} till {fmt_share(r['share'])})"
            for _, r in moved.iterrows()
        ]
        sig = list(moved.loc[moved["significant"], "survey"])
        tail = (
            "ingen av förändringarna är statistiskt säkerställd" if not sig
            else f"förändringen är statistiskt säkerställd enligt {join_sv(sig)}"
            + ("" if len(sig) == len(moved) else " men inte enligt " + join_sv(s for s in moved["survey"] if s not in sig))
        )
        sentences.append(f"**Undersökningarna pekar åt olika håll:** {join_sv(parts)}; {tail}.")
    placed = d.dropna(subset=["city_diff"])
    placed = placed[placed["city_diff"] != 0]
    if len(placed) >= 2 and placed["city_diff"].gt(0).any() and placed["city_diff"].lt(0).any():
        parts = [
            f"enligt {r['survey']} ligger {ctx.area.name} {'över' if r['city_diff'] > 0 else 'under'} staden "
            f"({fmt_share(r['share'])} mot {fmt_share(r['city_share'])}, "
            f"{'statistiskt säkerställt' if r['city_significant'] else 'inte statistiskt säkerställt'})"
            for _, r in placed.iterrows()
        ]
        sentences.append(f"**Undersökningarna ger olika bild av läget jämfört med staden:** {join_sv(parts)}.")
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
        return _no_rows(ctx, a, "Jämförelsen mellan undersökningar")
    d = a.directions
    if len(d) < 2:
        return Missing(f"Bara en undersökning ({a.survey_name}) mäter andelen som {a.text.phrase} för {ctx.area.name}, så det finns inget att jämföra med.")
    current = d[d["year"] == ctx.year]
    words = _disagreement(ctx, a)
    if not words:
        if len(current) >= 2:
            moved = _changes_for_comparison(ctx, a, list(current["survey"]))
            signs = {("ökning" if c > 0 else "minskning" if c < 0 else "oförändrad") for c in moved["diff"]}
            bases = {int(b) for b in moved["base"]}
            since = f"sedan {bases.pop()}" if len(bases) == 1 else "sedan föregående mätning"
            words = (
                f"Undersökningarna som gjordes {ctx.year} pekar åt samma håll: alla visar en {signs.pop()} {since}."
                if len(signs) == 1 and len(moved) >= 2 else
                f"Undersökningarna som gjordes {ctx.year} motsäger inte varandra."
            )
        else:
            words = f"Bara {join_sv(current['survey'])} gjordes {ctx.year}; de andra undersökningarna kan inte jämföras för samma år."
    stale = d[d["year"] != ctx.year]
    if len(stale):
        words += " " + " ".join(
            f"{r['survey']} gjordes inte {ctx.year}; senaste mätningen ({int(r['year'])}) gav {_ci(r)}."
            for _, r in stale.iterrows()
        )
    shown = pd.DataFrame({
        "Undersökning": d["survey"],
        "År": d["year"].map(str),
        f"{a.text.column} (95 % KI)": [_ci(r) for _, r in d.iterrows()],
        "Svarande": d["respondents"].map(fmt_int),
        "Föregående mätning": [
            f"{fmt_share(r['prev_share'])} ({int(r['prev_year'])})" if pd.notna(r["prev_share"]) else "–" for _, r in d.iterrows()
        ],
        "Förändring": [
            change_wording(r["change"], r["change_significant"]) if pd.notna(r["change"]) else "–" for _, r in d.iterrows()
        ],
        "Jämfört med staden": [
            city_difference_wording(r["city_diff"], r["city_significant"]) if pd.notna(r["city_diff"]) else "–" for _, r in d.iterrows()
        ],
    })
    data = d.rename(columns={
        "survey": "Undersökning", "year": "År", "share": "Andel", "lo": "KI nedre", "hi": "KI övre", "respondents": "Svarande",
        "prev_year": "Föregående år", "prev_share": "Andel föregående år", "prev_respondents": "Svarande föregående år",
        "change": "Förändring (andel)", "change_significant": "Förändring statistiskt säkerställd",
        "city_share": "Andel staden", "city_respondents": "Svarande staden", "city_diff": "Skillnad mot övriga staden",
        "city_significant": "Skillnad mot staden statistiskt säkerställd",
    })
    table = Table(
        caption=f"{a.text.caption} i {ctx.area.name} enligt olika undersökningar, senaste mätning till och med {ctx.year}",
        table=shown,
        data=data,
        numeric=("År", f"{a.text.column} (95 % KI)", "Svarande", "Föregående mätning"),
        note=f"{CI_NOTE} Förändring sedan undersökningens föregående mätning och skillnad mot staden: tvåprovstest för andelar, p < 0,05.",
    )
    return Text(words), table


# --------------------------------------------------------------------------- map


def unsafety_map(ctx: ChapterContext) -> Chart | Missing:
    """Kartbild "Otrygghet kvällstid": choropleth of this year's share by sub-area, few respondents hatched.

    Areas are the report area's sub-areas when the survey has at least two of them, otherwise the
    report area and its neighbours under the same parent (e.g. the stadsdelsområden of the city when
    the survey has no finer level), the report area outlined.
    """
    a = analyse(ctx)
    if not a.ok:
        return _no_rows(ctx, a, "Kartan")
    layer = ctx.data.geo("areas")
    if layer is None:
        return missing_table_geo("Kartan", "areas.geojson", "områdesgränserna")
    units, highlight, level = _map_units(ctx, a)
    if len(units) < 2:
        return Missing(f"Kartan kan inte visas: {a.survey_name} har andelar för färre än två delområden {ctx.year}.")
    outlines = {k: to_sweref(g) for k, g in area_outlines(layer, ctx.areas, list(units["area_id"])).items()}
    if not outlines:
        return Missing("Kartan kan inte visas: områdena saknar gränser i areas.geojson.")
    units = units[units["area_id"].isin(outlines)]
    what = f"{a.text.caption[0].lower() + a.text.caption[1:]} per {level} {ctx.year}"
    schematic = ctx.data.is_demo
    note = "Streckade områden: färre än 30 svarande, andelen är osäker. Klassgränserna är hela procent; en andel på gränsen hör till den högre klassen."
    if schematic:
        note = f"{SCHEMATIC_NOTE} {note}"
    title = f"{a.text.map_title} {ctx.year}" + (" (schematisk karta)" if schematic else "")
    return Chart(
        figure=plot_choropleth(outlines, units, title=title, legend_title=a.text.column, highlight=highlight),
        caption=f"{a.text.map_title}: {what} ({a.survey_name})" + (", schematisk karta" if schematic else ""),
        alt=choropleth_alt(units, what + (" (schematisk karta)" if schematic else ""), ctx.area.name if highlight else None),
        data=units.rename(columns={"name": "Område", "share": "Andel", "lo": "KI nedre", "hi": "KI övre", "respondents": "Svarande",
                                   "small": "Färre än 30 svarande"})[["Område", "Andel", "KI nedre", "KI övre", "Svarande", "Färre än 30 svarande"]],
        kind="Kartbild",
        note=note,
        formats=SHARE_FORMATS,
    )


LEVEL_WORDS = {"stadsdelsomrade": "stadsdelsområde", "stadsdel": "stadsdel", "delomrade": "delområde", "kommun": "kommun"}


def _level_word(ctx: ChapterContext, area_ids) -> str:
    """How the map's areas are called in the caption ("per stadsdel"); "delområde" when mixed or unknown."""
    levels = {ctx.areas.get(a).level for a in area_ids}
    return LEVEL_WORDS.get(levels.pop(), "delområde") if len(levels) == 1 else "delområde"


def _map_units(ctx: ChapterContext, a: SafetyAnalysis) -> tuple[pd.DataFrame, str | None, str]:
    subs = _subareas(ctx, a.now, a)
    if len(subs) >= 2:
        children = ctx.areas.children(ctx.area.area_id)
        missing = [c for c in children if c not in set(subs["area_id"])]
        filler = pd.DataFrame({"area_id": missing, "name": [ctx.areas.name(c) for c in missing], "share": float("nan"), "small": False})
        return pd.concat([subs, filler], ignore_index=True) if missing else subs, None, _level_word(ctx, children)
    parent = ctx.area.parent_id
    if parent is None:
        return subs, None, "delområde"
    survey = ctx.data.table("survey")
    siblings = subarea_shares(survey, ctx.areas, parent, ctx.year, a.question, ANSWER, survey_name=a.survey_name)
    siblings = siblings[siblings["area_id"] != parent]
    return siblings, ctx.area.area_id, _level_word(ctx, siblings["area_id"])


# --------------------------------------------------------------------------- places of worry


def _places(ctx: ChapterContext) -> dict | None:
    survey = ctx.data.table("survey")
    if survey is None:
        return None
    question = ctx.params.places_question
    area = ctx.area.area_id
    name = pick_survey(survey[survey["year"] == ctx.year], ctx.areas.descendants(area), question)
    if name is None:
        return {"survey": None, "area": pd.DataFrame(), "city": pd.DataFrame(), "table": pd.DataFrame()}
    mine = answer_shares(survey, ctx.areas, area, ctx.year, question, survey_name=name)
    city_id = ctx.city_to_compare.area_id if ctx.city_to_compare else None
    city = answer_shares(survey, ctx.areas, city_id, ctx.year, question, survey_name=name) if city_id else pd.DataFrame()
    table = mine.copy()
    if len(city):
        c = city.set_index("answer").reindex(mine["answer"])
        table["city_share"], table["city_lo"], table["city_hi"] = c["share"].values, c["lo"].values, c["hi"].values
        table["city_respondents"] = c["respondents"].values
        tests = [
            compare_with_city(r.share, r.respondents, r.city_share, r.city_respondents) if pd.notna(r.city_share) else None
            for r in table.itertuples(index=False)
        ]
        table["diff"] = [r.share - r.city_share for r in table.itertuples(index=False)]
        table["p_value"] = [t.p_value if t else float("nan") for t in tests]
        table["city_wording"] = [city_wording(t) if t else "" for t in tests]
    return {"survey": name, "area": mine, "city": city, "table": table}


def places_chart(ctx: ChapterContext) -> Chart | Missing:
    """Diagram: places of worry, area and city side by side, sorted, with intervals."""
    p = _places(ctx)
    if p is None:
        return Missing("Oroplatserna kan inte visas eftersom tabellen survey saknas i datamappen.")
    if not len(p["area"]):
        return Missing(f"Det finns inga enkätsvar om oroplatser ({ctx.params.places_question}) för {ctx.area.name} år {ctx.year}.")
    has_city = len(p["city"]) > 0
    city_name = ctx.city.name if ctx.city else "Staden"
    data = _places_data(p["table"], has_city)
    return Chart(
        figure=plot_places(p["area"], p["city"] if has_city else None, ctx.area.name, city_name,
                           f"Platser där de svarande känner oro, {ctx.year}"),
        caption=f"Platser där de svarande känner oro, {ctx.area.name}" + (f" och {city_name}" if has_city else "")
                + f" {ctx.year}, andel som nämner platsen med 95 % konfidensintervall ({p['survey']})",
        alt=places_alt(p["table"], ctx.area.name, has_city),
        data=data,
        formats={**SHARE_FORMATS, "Andel området": "share", "Andel staden": "share", "KI nedre staden": "share",
                 "KI övre staden": "share", "p-värde": "pvalue"},
        note="Flera svar möjliga, så andelarna summerar inte till 100 %. * färre än 30 svarande.",
    )


def _places_data(table: pd.DataFrame, has_city: bool) -> pd.DataFrame:
    columns = {"answer": "Plats", "share": "Andel området", "lo": "KI nedre", "hi": "KI övre", "respondents": "Svarande"}
    if has_city:
        columns.update({"city_share": "Andel staden", "city_lo": "KI nedre staden", "city_hi": "KI övre staden",
                        "city_respondents": "Svarande staden", "p_value": "p-värde", "city_wording": "Jämfört med staden"})
    return table.rename(columns=columns)[list(columns.values())]


def places_table(ctx: ChapterContext) -> Table | Missing | None:
    """Tabell: the same places of worry as a table, area against the city (None when the chart says it is missing)."""
    p = _places(ctx)
    if p is None or not len(p["area"]):
        return None
    t = p["table"]
    has_city = len(p["city"]) > 0
    shown = pd.DataFrame({"Plats": t["answer"], ctx.area.name + " (95 % KI)": [_star(r) for _, r in t.iterrows()]})
    numeric = [ctx.area.name + " (95 % KI)"]
    if has_city:
        shown["Staden (95 % KI)"] = [fmt_share_ci(r["city_share"], r["city_lo"], r["city_hi"]) for _, r in t.iterrows()]
        shown["Skillnad, procentenheter"] = t["diff"].map(lambda d: fmt_pp(d).split(" ")[0])
        shown["Jämfört med staden"] = t["city_wording"]
        numeric += ["Staden (95 % KI)", "Skillnad, procentenheter"]
    n_area = fmt_int(int(t["respondents"].max()))
    note = f"{CI_NOTE} Flera svar möjliga. Området: {n_area} svarande."
    if has_city:
        note += f" Staden: {fmt_int(int(t['city_respondents'].max()))} svarande. Jämförelsen med staden: tvåprovstest mot övriga staden, p < 0,05."
    return Table(
        caption=f"Platser där de svarande känner oro, {ctx.area.name} {ctx.year} ({p['survey']})",
        table=shown, data=_places_data(t, has_city), numeric=tuple(numeric), note=note,
    )


# --------------------------------------------------------------------------- women and men


def _gaps(ctx: ChapterContext, a: SafetyAnalysis) -> list[GroupGap]:
    survey = ctx.data.table("survey")
    ids = list(a.now["area_id"])
    found = [group_gap(survey, ctx.areas, aid, ctx.year, a.question, ANSWER, survey_name=a.survey_name) for aid in ids]
    return [g for g in found if g is not None]


def _area_gap(ctx: ChapterContext, a: SafetyAnalysis) -> GroupGap | None:
    if not a.ok:
        return None
    return group_gap(ctx.data.table("survey"), ctx.areas, ctx.area.area_id, ctx.year, a.question, ANSWER, survey_name=a.survey_name)


def _gap_sentence(g: GroupGap, phrase: str) -> str:
    if g.diff == 0:
        lead = f"Lika stor andel kvinnor som män {phrase}"
    else:
        lead = f"Fler {'kvinnor än män' if g.diff > 0 else 'män än kvinnor'} {phrase}"
    return (
        f"{lead}: {fmt_share_ci(g.share1, *share_interval(g.share1, g.n1))} bland kvinnor mot "
        f"{fmt_share_ci(g.share2, *share_interval(g.share2, g.n2))} bland män. Skillnaden är {fmt_pp_ci(g.diff, g.lo, g.hi)} och "
        f"{SIGNIFICANT if g.significant else NOT_SIGNIFICANT}."
    )


def _gap_frame(gaps: list[GroupGap]) -> pd.DataFrame:
    return pd.DataFrame([g.__dict__ for g in gaps])


def gender_gap_table(ctx: ChapterContext) -> Table | Missing:
    """Tabell: women's and men's shares per sub-area, the area and the city, and the gap with its interval."""
    a = analyse(ctx)
    if not a.ok:
        return _no_rows(ctx, a, "Jämförelsen mellan kvinnor och män")
    gaps = _gaps(ctx, a)
    if not gaps:
        return Missing(f"Jämförelsen mellan kvinnor och män kan inte visas: {a.survey_name} redovisar inte andelarna per kön för {ctx.area.name} {ctx.year}.")
    f = _gap_frame(gaps)
    shown = pd.DataFrame({
        "Område": f["name"],
        "Kvinnor (95 % KI)": [fmt_share_ci(g.share1, *share_interval(g.share1, g.n1)) for g in gaps],
        "Män (95 % KI)": [fmt_share_ci(g.share2, *share_interval(g.share2, g.n2)) for g in gaps],
        "Kvinnor − män, procentenheter (95 % KI)": [fmt_pp_ci(g.diff, g.lo, g.hi, unit=False) for g in gaps],
        "Bedömning": [SIGNIFICANT if g.significant else NOT_SIGNIFICANT for g in gaps],
        "Anmärkning": [SMALL_NOTE if g.small else "" for g in gaps],
    })
    data = f.rename(columns={
        "name": "Område", "share1": "Andel kvinnor", "n1": "Svarande kvinnor", "share2": "Andel män", "n2": "Svarande män",
        "diff": "Skillnad (andel)", "lo": "KI nedre", "hi": "KI övre", "p_value": "p-värde",
        "significant": "Statistiskt säkerställd", "small": "Färre än 30 svarande",
    }).drop(columns=["area_id"])
    return Table(
        caption=f"{a.text.caption}, kvinnor och män {ctx.year} ({a.survey_name})",
        table=_drop_empty(shown), data=data,
        numeric=("Kvinnor (95 % KI)", "Män (95 % KI)", "Kvinnor − män, procentenheter (95 % KI)"),
        note=f"{CI_NOTE} Skillnaden i procentenheter med Newcombes intervall; tvåprovstest för andelar, statistiskt säkerställd betyder p < 0,05.",
    )


def gender_gap_chart(ctx: ChapterContext) -> Chart | None:
    """Diagram: the women − men gap per area with its interval (None when the table already says what is missing)."""
    a = analyse(ctx)
    if not a.ok:
        return None
    gaps = _gaps(ctx, a)
    if not gaps:
        return None
    f = _gap_frame(gaps)
    what = a.text.caption[0].lower() + a.text.caption[1:]
    return Chart(
        figure=plot_gaps(f, f"Skillnad mellan kvinnor och män {ctx.year}", "Kvinnor − män, procentenheter (95 % KI)",
                         reference_ids=(ctx.area.area_id, a.city_id or "")),
        caption=f"Skillnad mellan kvinnor och män i {what}, per delområde {ctx.year}, i procentenheter med 95 % konfidensintervall ({a.survey_name})",
        alt=gaps_alt(f, ctx.area.area_id, ctx.area.name, "kvinnor", "män", what),
        data=f.rename(columns={"name": "Område", "diff": GAP_COLUMN, "lo": "KI nedre", "hi": "KI övre",
                               "small": "Färre än 30 svarande"})[["Område", GAP_COLUMN, "KI nedre", "KI övre", "Färre än 30 svarande"]],
        formats={GAP_COLUMN: "pp", "KI nedre": "pp", "KI övre": "pp"},
        note="Till höger om nollstrecket: högre andel bland kvinnor. Ofylld punkt: färre än 30 svarande i någon av grupperna.",
    )


def age_group_table(ctx: ChapterContext) -> tuple[Table, Text] | None:
    """Tabell and Text: shares per age group in the area (and the city) with the widest gap; None without age groups."""
    a = analyse(ctx)
    if not a.ok:
        return None
    survey = ctx.data.table("survey")
    this_year = survey[(survey["year"] == ctx.year) & survey["area_id"].isin(ctx.areas.descendants(ctx.area.area_id))]
    groups = age_groups(this_year, a.question, a.survey_name)
    if not groups:
        return None
    mine = group_shares(survey, ctx.areas, ctx.area.area_id, ctx.year, a.question, ANSWER, groups, a.survey_name)
    if mine.empty:
        return None
    shown = pd.DataFrame({"Åldersgrupp": mine["group"], ctx.area.name + " (95 % KI)": [_star(r) for _, r in mine.iterrows()]})
    data = mine.rename(columns={"group": "Åldersgrupp", "share": "Andel", "lo": "KI nedre", "hi": "KI övre",
                                "respondents": "Svarande", "small": "Färre än 30 svarande"})
    if a.city_id:
        city = group_shares(survey, ctx.areas, a.city_id, ctx.year, a.question, ANSWER, groups, a.survey_name).set_index("group")
        shown["Staden (95 % KI)"] = [_ci(city.loc[g]) if g in city.index else "–" for g in mine["group"]]
        data["Andel staden"] = [city.at[g, "share"] if g in city.index else None for g in mine["group"]]
    top, low = mine.loc[mine["share"].idxmax()], mine.loc[mine["share"].idxmin()]
    lo, hi = share_difference_interval(top["share"], top["respondents"], low["share"], low["respondents"])
    words = (
        f"Högst andel bland {top['group']} år, {_ci(top)}, och lägst bland {low['group']} år, {_ci(low)}; "
        f"skillnaden är {fmt_pp_ci(top['share'] - low['share'], lo, hi)}."
    ).replace("år år", "år")
    table = Table(
        caption=f"{a.text.caption}, per åldersgrupp {ctx.year} ({a.survey_name})",
        table=shown, data=data, note=f"{CI_NOTE} {STAR_NOTE}",
    )
    return table, Text(words)

