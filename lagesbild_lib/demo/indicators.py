"""Socio-economic indicators and programme ratings of the demo data set: the ``indicators`` table
(six indicators per year that follow each report unit's vulnerability, with a kommun row that is
the population-weighted mean of its parts) and the ``programme_ratings`` table (GSRS ratings of
support groups, more groups in vulnerable stadsdelsområden, slowly improving scores).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from lagesbild_lib.demo.world import YEARS, DemoWorld, report_units


# --------------------------------------------------------------------------- indicators

#: indicator -> (Swedish label, unit, value as a function of vulnerability v and years since 2019 t).
_INDICATORS = {
    "forvarvsfrekvens": ("Förvärvsfrekvens 20–64 år", "procent", lambda v, t: 84.0 - 26.0 * v + 0.3 * t),
    "medianinkomst": ("Medianinkomst 20–64 år", "kr", lambda v, t: (430_000 - 220_000 * v) * 1.03**t),
    "eftergymnasial_utbildning": (
        "Andel med eftergymnasial utbildning 25–64 år", "procent", lambda v, t: 78.0 - 42.0 * v + 0.4 * t,
    ),
    "ohalsotal": ("Ohälsotal", "dagar", lambda v, t: 12.0 + 22.0 * v - 0.3 * t),
    "ekonomiskt_bistand": (
        "Andel invånare med ekonomiskt bistånd", "procent", lambda v, t: max(0.3, 0.8 + 11.0 * v**1.5 - 0.1 * t),
    ),
    "trangboddhet": ("Andel trångbodda (norm 2)", "procent", lambda v, t: 8.0 + 40.0 * v**1.3),
}
_COVID_DIP = {"forvarvsfrekvens": (0.0, -1.5, -1.0, 0.0, 0.0, 0.0, 0.0)}


def indicators_table(world: DemoWorld) -> pd.DataFrame:
    """The ``indicators`` table: six socio-economic indicators per year.

    Rows for every stadsdelsområde, for Solna's delområden and for both kommuner (the kommun's
    own row is the population-weighted mean of its parts).
    """
    rng = world.rng("indicators")
    units = report_units(world, two_level_parts=True)
    kommuner = list(dict.fromkeys(u.kommun_id for u in units))
    weights = np.array([u.population for u in units])
    rows = []
    for yi, year in enumerate(YEARS):
        for key, (label, unit, formula) in _INDICATORS.items():
            dip = _COVID_DIP.get(key, (0.0,) * len(YEARS))[yi]
            scale = formula(0.3, yi) if unit == "kr" else 10.0
            values = np.array([formula(u.vulnerability, yi) + dip + rng.normal(0.0, 0.01) * scale for u in units])
            rows += [(year, u.area_id, key, _round_value(x, unit), unit, label) for u, x in zip(units, values)]
            for kommun in kommuner:
                mine = np.array([u.kommun_id == kommun for u in units])
                mean = np.average(values[mine], weights=weights[mine])
                rows.append((year, kommun, key, _round_value(mean, unit), unit, label))
    table = pd.DataFrame(rows, columns=["year", "area_id", "indicator", "value", "unit", "label"])
    # Every value is for the whole population: sex "alla", no group (the contract's optional columns).
    return table.assign(sex="alla", group="")


def _round_value(value: float, unit: str) -> float:
    return float(round(value, -2)) if unit == "kr" else float(round(min(max(value, 0.0), 100.0), 1))


# --------------------------------------------------------------------------- programme ratings


def programme_ratings_table(world: DemoWorld) -> pd.DataFrame:
    """The ``programme_ratings`` table: GSRS ratings (1–10), one row per rating, per group and year.

    More support groups in vulnerable stadsdelsområden; scores improve slowly over the years.
    """
    rng = world.rng("programme")
    rows = []
    for unit in report_units(world, two_level_parts=False):
        n_groups = 2 + int(round(2 * unit.vulnerability))
        effects = rng.normal(0.0, 0.6, size=n_groups)
        for yi, year in enumerate(YEARS):
            for g in range(n_groups):
                scores = rng.normal(5.4 + 0.2 * yi + effects[g], 1.5, size=int(rng.integers(5, 13)))
                scores = np.clip(np.round(scores, 1), 1.0, 10.0)
                rows += [(year, unit.area_id, "GSRS", f"grupp-{g + 1}", float(x)) for x in scores]
    return pd.DataFrame(rows, columns=["year", "area_id", "programme", "group_id", "score"])
