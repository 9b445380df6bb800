"""Survey answers of the demo data set: the ``survey`` table of the two safety surveys,
``Stockholms stads trygghetsmätning`` per stadsdel in odd years and ``Polisens
trygghetsundersökning`` per stadsdelsområde (and Solna delområde) every year, with the share who
feel unsafe in the evening (all, women, men) and the places of worry, each kommun with its own row.
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
