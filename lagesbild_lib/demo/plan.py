"""The orsaksanalys and åtgärdsplan of the demo data set: the ``orsaker`` and ``atgarder`` tables.

Every report unit (the stadsdelsområden of Stockholm and Solna kommun) gets, for each year from
the second demo year on, an orsaksanalys of three prioritised problems (causes on the offender,
victim/target and place/situation branches, with evidence that refers to the report's tables and
figures) and a plan of five measures. The measures follow the demo's own data: a crime category,
the police survey's evening unsafety and an indicator, with the year before the plan as baseline
and a target set from that baseline, so the follow-up a year later finds some targets met and
some not. Two measures show the gaps the chapter lists: one without an indicator and one aimed at
a cause that is not in the orsaksanalys. Every text is invented and marked as an example.
"""

from __future__ import annotations

import pandas as pd

from lagesbild_lib.demo.geography import PLACES
from lagesbild_lib.demo.survey import SURVEY_POLICE
from lagesbild_lib.demo.world import YEARS, DemoWorld, report_units

#: The demo's period end (params/defaults.yml): the span of the crime counts behind the targets.
PERIOD_END = (10, 31)

#: problem id -> problem, then (cause id, branch, cause, evidence); "{place}" is the unit's centre.
PROBLEMS = (
    ("P1", "Våld utomhus kring {place} kvällstid", (
        ("O1", "gärningsperson", "Grupper av unga vuxna som samlas vid {place} sena kvällar", "Se {{ref:compstat}}."),
        ("O2", "offer-mål", "Berusade personer på väg hem från krogar och fester", ""),
        ("O3", "plats-situation", "Dålig belysning och få vuxna i rörelse vid {place}", "Se {{ref:hotspot_map}}."),
    )),
    ("P2", "Otrygghet kvällstid i bostadsområdena", (
        ("O4", "offer-mål", "Kvinnor och äldre undviker att gå ut ensamma kvällstid", "Se {{ref:unsafety_table}}."),
        ("O5", "plats-situation", "Mörka och ödsliga gångstråk till tunnelbanan", "Se {{ref:trygghet.places_table}}."),
        ("O6", "gärningsperson", "Narkotikahandel och ordningsstörningar i närmiljön", "Polisens bedömning (exempel)."),
    )),
    ("P3", "Unga i riskzon för kriminalitet", (
        ("O7", "gärningsperson", "Unga utan meningsfull fritid och kontakt med vuxna", "Se {{ref:risk_factors}}."),
        ("O8", "offer-mål", "Unga som rånas eller hotas av jämnåriga", "Se {{ref:compstat}}."),
    )),
)

#: (measure id, measure, problem, cause, type, place or target group, responsible, start MM-DD,
#: end MM-DD or "", indicator kind, indicator, cooperation area)
MEASURES = (
    ("A1", "Ordningsvakter och kamerabevakning vid {place} fredag–lördag", "P1", "O3", "situationell", "{place}",
     "Lokalpolisområdet och fastighetsägaren", "02-01", "12-31", "brott", "misshandel_utomhus", "otrygga_platser"),
    ("A2", "Fältassistenter och nattvandrare kvällstid", "P1", "O1", "social", "Unga 15–20 år",
     "Stadsdelsförvaltningens fältgrupp", "03-01", "12-31", "brott", "personran", "unga_i_riskzon"),
    ("A3", "Bättre belysning och röjd växtlighet längs gångstråken", "P2", "O5", "situationell", "Gångstråk till tunnelbanan",
     "Trafikkontoret och stadsdelsförvaltningen", "04-01", "10-31", "enkät", "otrygg_kvallstid", "otrygga_platser"),
    ("A4", "Föräldravandringar helgkvällar", "P3", "O7", "social", "Föräldrar till unga 13–17 år",
     "Stadsdelsförvaltningen och föräldraföreningar", "01-15", "", "", "", "unga_i_riskzon"),
    ("A5", "Feriejobb och läxhjälp för unga", "P3", "O9", "social", "Unga 16–19 år",
     "Arbetsmarknadsförvaltningen", "06-01", "08-31", "indikator", "forvarvsfrekvens", "unga_i_riskzon"),
)
#: How each kind of indicator's target is set from its baseline.
CRIME_TARGET = {"misshandel_utomhus": 0.9, "personran": 0.85}
SURVEY_TARGET_DROP = 0.03
INDICATOR_TARGET_RISE = 0.5


def _units(world: DemoWorld) -> dict[str, list[str]]:
    """Report unit id -> the ids of its lowest-level areas."""
    out = {}
    for unit in report_units(world, two_level_parts=False):
        out[unit.area_id] = [leaf.area_id for leaf in world.leaves if unit.area_id in (leaf.parent_id, leaf.kommun_id)]
    return out


def _place(world: DemoWorld, leaves: list[str]) -> str:
    """The unit's first priority place (its centre), or "centrum"."""
    names = {leaf.info.name: leaf.area_id for leaf in world.leaves}
    for name, kind, stadsdel, _, _ in PLACES:
        if kind == "prioriterad plats" and names.get(stadsdel) in leaves:
            return name
    return "centrum"


def orsaker_table(world: DemoWorld) -> pd.DataFrame:
    """The ``orsaker`` table: three problems and their causes per report unit and year."""
    rows = []
    for year in YEARS[1:]:
        for unit, leaves in _units(world).items():
            place = _place(world, leaves)
            for pid, problem, causes in PROBLEMS:
                for cid, branch, cause, evidence in causes:
                    rows.append((year, unit, pid, problem.format(place=place), cid, cause.format(place=place), branch, evidence.format()))
    return pd.DataFrame(rows, columns=["year", "area_id", "problem_id", "problem", "cause_id", "cause", "branch", "evidence"])


def atgarder_table(world: DemoWorld, crimes: pd.DataFrame, survey: pd.DataFrame, indicators: pd.DataFrame) -> pd.DataFrame:
    """The ``atgarder`` table: five measures per report unit and plan year, with targets set from
    the baseline year's data (the year before the plan)."""
    dates = crimes["reported_date"]
    in_period = (dates.dt.month < PERIOD_END[0]) | ((dates.dt.month == PERIOD_END[0]) & (dates.dt.day <= PERIOD_END[1]))
    counted = crimes[in_period].assign(year=dates[in_period].dt.year)
    for column in ("sex", "group"):  # the whole population's rows only
        if column in indicators:
            indicators = indicators[indicators[column].isna() | indicators[column].isin(["", "alla"])]
    unsafe = survey[(survey["survey"] == SURVEY_POLICE) & (survey["answer"] == "ja") & (survey["group"] == "alla")]
    rows = []
    for year in YEARS[1:]:
        base = year - 1
        for unit, leaves in _units(world).items():
            place = _place(world, leaves)
            for mid, measure, pid, cid, kind, where, who, start, end, ikind, indicator, coop in MEASURES:
                target = None
                if ikind == "brott":
                    count = int(((counted["year"] == base) & (counted["category"] == indicator) & counted["area_id"].isin(leaves)).sum())
                    target = float(round(count * CRIME_TARGET[indicator]))
                elif ikind == "enkät":
                    share = unsafe.loc[(unsafe["year"] == base) & (unsafe["area_id"] == unit) & (unsafe["question"] == indicator), "share"]
                    target = round(float(share.iloc[0]) - SURVEY_TARGET_DROP, 2) if len(share) else None
                elif ikind == "indikator":
                    value = indicators.loc[(indicators["year"] == base) & (indicators["area_id"] == unit) & (indicators["indicator"] == indicator), "value"]
                    target = round(float(value.iloc[0]) + INDICATOR_TARGET_RISE, 1) if len(value) else None
                rows.append({
                    "plan_year": year, "area_id": unit, "measure_id": mid, "measure": measure.format(place=place),
                    "problem_id": pid, "cause_id": cid, "type": kind, "place_or_group": where.format(place=place),
                    "responsible": who, "start": f"{year}-{start}", "end": f"{year}-{end}" if end else "",
                    "indicator_kind": ikind, "indicator": indicator, "survey": SURVEY_POLICE if ikind == "enkät" else "",
                    "baseline_year": base if ikind else None, "target": target, "cooperation_area": coop,
                })
    frame = pd.DataFrame(rows)
    frame["baseline_year"] = frame["baseline_year"].astype("Int64")
    frame["target"] = frame["target"].astype("float64")
    return frame
