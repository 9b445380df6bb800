"""Socio-economic indicators and programme ratings of the demo data set: the ``indicators`` table
(the indicators of a real Stockholm lägesbild per year, following each report unit's vulnerability,
with a kommun row that is the population-weighted mean of its parts) and the ``programme_ratings``
table (GSRS ratings of support groups, more groups in vulnerable stadsdelsområden, slowly improving
scores).

The first six indicators (:data:`_INDICATORS`) draw from the stream ``indicators``; the ones added
later (:func:`_more_indicators`: utrikes födda, the three education levels, gymnasiebehörighet by
background, medelinkomst, förvärvsfrekvens by sex) from their own stream, so the first six keep
their numbers. Rows for a group (``group``) or a sex (``sex``) are consistent with the total: the
total is their weighted mean, and a kommun's value of a group is the mean of its parts weighted by
the group's size in each part.
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
    # The first six are for the whole population: sex "alla", no group (the contract's optional columns).
    table = table.assign(sex="alla", group="")
    return pd.concat([table, _more_indicators(world, table)], ignore_index=True)


#: Labels and units of the indicators added to the first six.
_MORE = {
    "utrikes_fodda": ("Andel utrikes födda", "procent"),
    "forgymnasial_utbildning": ("Andel med förgymnasial utbildning 25–64 år", "procent"),
    "gymnasial_utbildning": ("Andel med gymnasial utbildning 25–64 år", "procent"),
    "behorighet_gymnasiet": ("Andel behöriga till gymnasiet i årskurs 9", "procent"),
    "medelinkomst": ("Medelinkomst 20–64 år", "kr"),
}
BACKGROUNDS = ("svensk bakgrund", "utländsk bakgrund")


def _more_indicators(world: DemoWorld, first: pd.DataFrame) -> pd.DataFrame:
    """The indicators added to the first six, from their own random stream.

    The three education levels sum to 100 % in every area (gymnasial is what the other two leave);
    gymnasiebehörighet has a row per background beside the total; förvärvsfrekvens gets rows for
    women and men (women a little lower, more so in vulnerable areas) whose mean is the total.
    """
    rng = world.rng("indicators-more")
    units = report_units(world, two_level_parts=True)
    kommuner = list(dict.fromkeys(u.kommun_id for u in units))
    pop = np.array([u.population for u in units])
    v = np.array([u.vulnerability for u in units])
    first = first.set_index(["year", "area_id", "indicator"])["value"]
    rows: list[tuple] = []

    def add(year, key, values, weights, sex="alla", group="", label=None, unit=None):
        label_, unit_ = _MORE.get(key, (label, unit))
        values = np.array([_round_value(x, unit_) for x in values])
        rows.extend((year, u.area_id, key, float(x), unit_, label_, sex, group) for u, x in zip(units, values))
        for kommun in kommuner:
            mine = np.array([u.kommun_id == kommun for u in units])
            mean = np.average(values[mine], weights=weights[mine])
            rows.append((year, kommun, key, _round_value(mean, unit_), unit_, label_, sex, group))

    for yi, year in enumerate(YEARS):
        noise = lambda sd: rng.normal(0.0, sd, size=len(units))  # noqa: E731 — one draw per unit
        add(year, "utrikes_fodda", 14.0 + 42.0 * v + 0.3 * yi + noise(1.2), pop)
        post = np.array([first[(year, u.area_id, "eftergymnasial_utbildning")] for u in units])
        pre = np.clip(np.round(4.0 + 24.0 * v**1.2 - 0.2 * yi + noise(0.8), 1), 1.0, 100.0 - post)
        add(year, "forgymnasial_utbildning", pre, pop)
        add(year, "gymnasial_utbildning", 100.0 - post - pre, pop)
        # år 9 by background: the share with utländsk bakgrund grows with vulnerability
        foreign = np.clip(0.12 + 0.65 * v, 0.05, 0.9)
        swedish_ok = np.clip(np.round(94.0 - 10.0 * v + 0.2 * yi + noise(1.5), 1), 0.0, 100.0)
        foreign_ok = np.clip(np.round(84.0 - 24.0 * v + 0.4 * yi + noise(2.5), 1), 0.0, 100.0)
        add(year, "behorighet_gymnasiet", (1.0 - foreign) * swedish_ok + foreign * foreign_ok, pop)
        add(year, "behorighet_gymnasiet", swedish_ok, pop * (1.0 - foreign), group=BACKGROUNDS[0])
        add(year, "behorighet_gymnasiet", foreign_ok, pop * foreign, group=BACKGROUNDS[1])
        median = np.array([first[(year, u.area_id, "medianinkomst")] for u in units])
        add(year, "medelinkomst", median * (1.10 + 0.10 * (1.0 - v)) * (1.0 + noise(0.01)), pop)
        total = np.array([first[(year, u.area_id, "forvarvsfrekvens")] for u in units])
        gap = np.round(2.0 + 9.0 * v + noise(0.5), 1)
        label, unit = "Förvärvsfrekvens 20–64 år", "procent"
        add(year, "forvarvsfrekvens", total - gap / 2, pop, sex="kvinna", label=label, unit=unit)
        add(year, "forvarvsfrekvens", total + gap / 2, pop, sex="man", label=label, unit=unit)
    return pd.DataFrame(rows, columns=["year", "area_id", "indicator", "value", "unit", "label", "sex", "group"])


def _round_value(value: float, unit: str) -> float:
    return float(round(value, -2)) if unit == "kr" else float(round(min(max(value, 0.0), 100.0), 1))


# --------------------------------------------------------------------------- programme ratings


def programme_ratings_table(world: DemoWorld) -> pd.DataFrame:
    """The ``programme_ratings`` table: GSRS ratings (1–10), one row per rating, per group and year.

    More support groups in vulnerable stadsdelsområden; scores improve slowly over the years. Each
    group has a name (``group_name``), invented for the demo: a kind of group and one of the unit's
    largest stadsdelar ("Tjejgruppen Vällingby"); the names draw nothing from the random stream.
    """
    rng = world.rng("programme")
    rows = []
    for unit in report_units(world, two_level_parts=False):
        n_groups = 2 + int(round(2 * unit.vulnerability))
        effects = rng.normal(0.0, 0.6, size=n_groups)
        mine = sorted((leaf for leaf in world.leaves if leaf.parent_id == unit.area_id), key=lambda leaf: -leaf.info.population)
        places = [leaf.info.name for leaf in mine] or [unit.area_id]  # the largest stadsdelar first
        names = [f"{_GROUP_KINDS[g % len(_GROUP_KINDS)]} {places[g % len(places)]}" for g in range(n_groups)]
        for yi, year in enumerate(YEARS):
            for g in range(n_groups):
                scores = rng.normal(5.4 + 0.2 * yi + effects[g], 1.5, size=int(rng.integers(5, 13)))
                scores = np.clip(np.round(scores, 1), 1.0, 10.0)
                rows += [(year, unit.area_id, "GSRS", f"grupp-{g + 1}", float(x), names[g]) for x in scores]
    return pd.DataFrame(rows, columns=["year", "area_id", "programme", "group_id", "score", "group_name"])


#: Kinds of support group whose names the demo invents, with a stadsdel: "Tjejgruppen Vällingby".
_GROUP_KINDS = ("Tjejgruppen", "Fotbollsgruppen", "Killgruppen", "Föräldragruppen", "Samtalsgruppen")
