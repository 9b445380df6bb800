"""Survey answers of the demo data set: the ``survey`` table of the two safety surveys,
``Stockholms stads trygghetsmätning`` per stadsdel in odd years and ``Polisens
trygghetsundersökning`` per stadsdelsområde (and Solna delområde) every year, with the share who
feel unsafe in the evening (all, women, men) and the places of worry, each kommun with its own row.

Beside it eight more questions (issue 16) from both surveys, with the ``survey_questions`` table
that labels them: some asked of women and men, some only of all respondents, one only from 2023
(so a report sees a question without a previous measurement), one asked by both surveys. They are
drawn from a random stream of their own, so the numbers of the first two questions do not move.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from lagesbild_lib.demo.geography import HOTSPOTS
from lagesbild_lib.demo.world import STOCKHOLM, YEARS, DemoWorld, report_units


SURVEY_CITY = "Stockholms stads trygghetsmätning"
SURVEY_POLICE = "Polisens trygghetsundersökning"
_SURVEY_YEAR_FACTOR = dict(zip(YEARS, (1.0, 0.97, 0.95, 1.0, 1.04, 1.0, 0.97)))
#: Places of worry: answer -> (base share, extra share per unit of vulnerability).
_WORRY_PLACES = {
    "I centrum": (0.18, 0.25),
    "På tunnelbanan/pendeltåg": (0.18, 0.15),
    "I parker": (0.25, 0.10),
    "Vid busshållplatser": (0.10, 0.12),
    "I bostadsområdet": (0.06, 0.30),
}


@dataclass(frozen=True)
class _Respondents:
    """Survey sample of one area and year: respondents and 'ja' answers by sex, worry answers."""

    women: int
    men: int
    unsafe_women: int
    unsafe_men: int
    worry: tuple[int, ...]

    def __add__(self, other: "_Respondents") -> "_Respondents":
        return _Respondents(
            self.women + other.women, self.men + other.men, self.unsafe_women + other.unsafe_women,
            self.unsafe_men + other.unsafe_men, tuple(a + b for a, b in zip(self.worry, other.worry)),
        )


def _unsafe_share(vulnerability: float, year: int) -> float:
    return (0.12 + 0.45 * vulnerability) * _SURVEY_YEAR_FACTOR[year]


def _sample(rng, n: int, vulnerability: float, year: int, hotspot: bool) -> _Respondents:
    women = int(round(n * 0.53))
    men = n - women
    p = _unsafe_share(vulnerability, year)
    worry = []
    for answer, (base, slope) in _WORRY_PLACES.items():
        q = base + slope * vulnerability + (0.12 if hotspot and answer == "I centrum" else 0.0)
        worry.append(int(rng.binomial(n, min(q, 0.95))))
    return _Respondents(
        women, men, int(rng.binomial(women, min(p * 1.3, 0.95))), int(rng.binomial(men, p * 0.7)), tuple(worry)
    )


def _survey_rows(year: int, survey: str, area_id: str, r: _Respondents) -> list[tuple]:
    n = r.women + r.men
    rows = [
        (year, survey, area_id, "otrygg_kvallstid", "ja", "alla", n, (r.unsafe_women + r.unsafe_men) / n),
        (year, survey, area_id, "otrygg_kvallstid", "ja", "kvinnor", r.women, r.unsafe_women / r.women),
        (year, survey, area_id, "otrygg_kvallstid", "ja", "män", r.men, r.unsafe_men / r.men),
    ]
    rows += [(year, survey, area_id, "oroplatser", a, "alla", n, k / n) for a, k in zip(_WORRY_PLACES, r.worry)]
    return rows


@dataclass(frozen=True)
class _Question:
    """A further survey question: its ``survey_questions`` row and how the demo draws its shares
    (``base + slope × vulnerability``; women's share × ``women``, men's × (2 − ``women``))."""

    survey: str
    question: str
    label: str
    theme: str
    answer: str
    higher_is_worse: bool
    base: float
    slope: float
    women: float = 1.0
    by_sex: bool = True
    since: int = YEARS[0]


_UNSAFE_LABEL = "Känner sig otrygg ute ensam sent på kvällen"
#: The questions of ``survey_questions`` beyond ``otrygg_kvallstid`` (listed first, from both surveys).
QUESTIONS = (
    _Question(SURVEY_CITY, "avstar_aktiviteter", "Avstår från aktiviteter på grund av otrygghet", "Otrygghet", "ja", True, 0.10, 0.30, 1.3),
    _Question(SURVEY_POLICE, "avstar_aktiviteter", "Avstår från aktiviteter på grund av otrygghet", "Otrygghet", "ja", True, 0.11, 0.28, 1.3),
    _Question(SURVEY_CITY, "tar_omvagar", "Tar en annan väg på grund av otrygghet", "Otrygghet", "ja", True, 0.18, 0.30, 1.25),
    _Question(SURVEY_CITY, "flytta_otrygghet", "Skulle vilja flytta på grund av otrygghet", "Otrygghet", "ja", True, 0.05, 0.25,
              by_sex=False, since=2023),
    _Question(SURVEY_CITY, "oro_brott_dagligen", "Oroar sig för att utsättas för brott varje eller nästan varje dag", "Oro för brott",
              "ja", True, 0.04, 0.15, 1.2),
    _Question(SURVEY_POLICE, "oro_misshandel_omradet", "Oroar sig för att utsättas för misshandel i sitt bostadsområde", "Oro för brott",
              "ja", True, 0.08, 0.25, 1.3),
    _Question(SURVEY_POLICE, "fortroende_polis_lokalt", "Har stort förtroende för polisens arbete i området", "Förtroende",
              "stort förtroende", False, 0.55, -0.20, by_sex=False),
    _Question(SURVEY_CITY, "fortroende_forvaltning", "Har stort förtroende för stadsdelsförvaltningen", "Förtroende",
              "stort förtroende", False, 0.45, -0.15, by_sex=False),
)


#: The free-text question of places the respondents avoid (``answer`` ``*`` in ``survey_questions``):
#: answer -> (base share, extra share per unit of vulnerability).
AVOIDED = "undviker_platser"
_AVOIDED_PLACES = {
    "Tunnelbanestationen": (0.08, 0.20), "Centrumtorget": (0.06, 0.18), "Gångtunnlar": (0.10, 0.12),
    "Parker och grönområden": (0.07, 0.10), "Busshållplatser": (0.03, 0.08), "Parkeringsgarage": (0.04, 0.06),
}


def survey_questions_table() -> pd.DataFrame:
    """The ``survey_questions`` table: both surveys' ``otrygg_kvallstid``, :data:`QUESTIONS` and the
    free-text question of avoided places."""
    rows = [(s, "otrygg_kvallstid", _UNSAFE_LABEL, "Otrygghet", "ja", True) for s in (SURVEY_CITY, SURVEY_POLICE)]
    rows += [(q.survey, q.question, q.label, q.theme, q.answer, q.higher_is_worse) for q in QUESTIONS]
    rows.append((SURVEY_CITY, AVOIDED, "Platser som de svarande undviker på grund av otrygghet", "Otrygghet", "*", True))
    return pd.DataFrame(rows, columns=["survey", "question", "label", "theme", "answer", "higher_is_worse"])


def _question_rows(rng, year: int, survey: str, area_id: str, n: int, vulnerability: float) -> list[tuple]:
    rows = []
    for q in QUESTIONS:
        if q.survey != survey or year < q.since:
            continue
        p = min(0.95, max(0.02, (q.base + q.slope * vulnerability) * _SURVEY_YEAR_FACTOR[year]))
        women = int(round(n * 0.53))
        k_w = int(rng.binomial(women, min(0.97, p * q.women)))
        k_m = int(rng.binomial(n - women, min(0.97, p * (2 - q.women))))
        rows.append((year, survey, area_id, q.question, q.answer, "alla", n, (k_w + k_m) / n))
        if q.by_sex:
            rows.append((year, survey, area_id, q.question, q.answer, "kvinnor", women, k_w / women))
            rows.append((year, survey, area_id, q.question, q.answer, "män", n - women, k_m / (n - women)))
    if survey == SURVEY_CITY:
        for place, (base, slope) in _AVOIDED_PLACES.items():
            rows.append((year, survey, area_id, AVOIDED, place, "alla", n, int(rng.binomial(n, base + slope * vulnerability)) / n))
    return rows


def _more_questions(world: DemoWorld) -> list[tuple]:
    """Rows of :data:`QUESTIONS`: the city's survey per stadsdel in odd years, the police's per
    stadsdelsområde (and Solna delområde) every year; each kommun's row from the same answers."""
    rng = world.rng("survey_questions")
    rows = []
    for year in YEARS:
        parts: list[tuple[str, str, str, int, float]] = []  # survey, area, kommun, n, vulnerability
        if year % 2 == 1:
            parts += [
                (SURVEY_CITY, leaf.area_id, leaf.kommun_id, max(4, int(round(leaf.info.population * rng.uniform(0.012, 0.022)))),
                 leaf.info.vulnerability)
                for leaf in world.leaves if leaf.kommun_id == STOCKHOLM and leaf.info.population >= 200
            ]
        for unit in report_units(world, two_level_parts=True):
            n = int(round(rng.uniform(300, 700) if unit.kommun_id == STOCKHOLM else unit.population * rng.uniform(0.008, 0.014)))
            parts.append((SURVEY_POLICE, unit.area_id, unit.kommun_id, n, unit.vulnerability))
        drawn = [(s, a, k, _question_rows(rng, year, s, a, n, v)) for s, a, k, n, v in parts]
        rows += [r for *_, found in drawn for r in found]
        rows += _kommun_rows(drawn)
    return rows


def _kommun_rows(drawn: list[tuple]) -> list[tuple]:
    """Each kommun's row per survey, question and group: the respondent-weighted share of its parts."""
    totals: dict[tuple, list[float]] = {}
    for survey, _, kommun, found in drawn:
        for year, _, _, question, answer, group, n, share in found:
            t = totals.setdefault((year, survey, kommun, question, answer, group), [0, 0.0])
            t[0] += n
            t[1] += share * n
    return [(*key[:2], key[2], *key[3:], n, yes / n) for key, (n, yes) in totals.items()]


def survey_table(world: DemoWorld) -> pd.DataFrame:
    """The ``survey`` table.

    ``Stockholms stads trygghetsmätning`` per stadsdel in odd years, ``Polisens
    trygghetsundersökning`` per stadsdelsområde (and per delområde of Solna) every year, each with
    the kommun's own row (the sum of its parts' respondents, so the kommun share is their
    respondent-weighted mean).
    """
    rng = world.rng("survey")
    rows = []
    for year in YEARS:
        if year % 2 == 1:
            rows += _city_survey(world, rng, year)
        rows += _police_survey(world, rng, year)
    rows += _more_questions(world)
    columns = ["year", "survey", "area_id", "question", "answer", "group", "respondents", "share"]
    return pd.DataFrame(rows, columns=columns)


def _city_survey(world: DemoWorld, rng, year: int) -> list[tuple]:
    total, rows = None, []
    for leaf in world.leaves:
        if leaf.kommun_id != STOCKHOLM or leaf.info.population < 200:
            continue  # too few inhabitants to be reported
        n = max(4, int(round(leaf.info.population * rng.uniform(0.012, 0.022))))
        r = _sample(rng, n, leaf.info.vulnerability, year, leaf.info.name in HOTSPOTS)
        rows += _survey_rows(year, SURVEY_CITY, leaf.area_id, r)
        total = r if total is None else total + r
    return rows + _survey_rows(year, SURVEY_CITY, STOCKHOLM, total)


def _police_survey(world: DemoWorld, rng, year: int) -> list[tuple]:
    """Per stadsdelsområde of Stockholm and per delområde of Solna, plus both kommuner."""
    rows, totals = [], {}
    for unit in report_units(world, two_level_parts=True):
        share = rng.uniform(0.008, 0.014)
        n = int(round(rng.uniform(300, 700) if unit.kommun_id == STOCKHOLM else unit.population * share))
        r = _sample(rng, n, unit.vulnerability, year, unit.hotspot)
        rows += _survey_rows(year, SURVEY_POLICE, unit.area_id, r)
        totals[unit.kommun_id] = r if unit.kommun_id not in totals else totals[unit.kommun_id] + r
    for kommun, r in totals.items():
        rows += _survey_rows(year, SURVEY_POLICE, kommun, r)
    return rows
