"""Peer rows of the demo data set: riket, Stockholms län and the other kommuner of Solna's SKR
kommungrupp in the län (:data:`~lagesbild_lib.demo.world.PEER_KOMMUNER`), so that a kommun report
(Solna) can be compared with riket, länet and its kommungrupp (DESIGN §6).

They are peer rows only: ``population`` (three age groups × kvinna/man per year) and monthly
``crime_counts`` per category for every demo year, no sub-areas, geometry, crimes or weekly
assessments. The names, codes and län of the kommuner are real and their populations roughly their
real size; **every crime count is invented**, drawn with the demo categories' rates, trends and
seasons (:mod:`lagesbild_lib.demo.crimes`) and an invented level per kommun.

riket and the län carry their own rows, consistent with their members in the demo: the län's count
of a category in a month is the sum of the demo's kommuner in it (Stockholm and Solna from the
``crimes`` table, the peer kommuner) plus a synthetic count for the rest of the län, and riket's is
the län's plus a synthetic count for the rest of the country; their populations are roughly the
real ones (:data:`~lagesbild_lib.demo.world.RIKET_POPULATION`,
:data:`~lagesbild_lib.demo.world.LAN_POPULATION`). Every draw comes from streams of their own, so
no number of the Stockholm and Solna tables moves; a kommun added to the peers later (Ekerö) draws
from a stream of its own too, so that the other peers' counts stay as they were.

The demo's lokalpolisområden (``police_areas``, :func:`police_areas_table`) are real: Vällingby
covers Hässelby-Vällingby, Bromma and Ekerö kommun, Solna covers Solna and Sundbyberg. So a report
finds its police area's members with row-level ``crimes`` (the Stockholm and Solna areas) beside
members with only monthly ``crime_counts`` (Ekerö, Sundbyberg).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from lagesbild_lib.demo.crimes import CATEGORIES
from lagesbild_lib.demo.world import (
    BASE_YEAR,
    LAN,
    LAN_GROWTH,
    LAN_POPULATION,
    PEER_KOMMUNER,
    RIKET,
    RIKET_GROWTH,
    RIKET_POPULATION,
    YEARS,
    DemoWorld,
)

#: Yearly population growth of the peer kommuner (the same for all: they are peers, not the story).
PEER_GROWTH = 0.009
#: Crime level of the peer kommuner, of the rest of the län and of the rest of the country, relative
#: to the demo categories' rates (fewer crimes per inhabitant outside the big cities' centres).
PEER_LEVEL, REST_OF_LAN_LEVEL, REST_OF_RIKET_LEVEL = 0.8, 0.8, 0.65
_AGE = {"0-19": 0.487, "20-64": 0.494, "65+": 0.55}  # female share per age group
_MONTHS = np.arange(1, 13)
_KEYS = ["year", "month", "area_id", "category"]
#: Peer kommuner added after the first eleven (by code): each draws its counts from a stream of its own.
OWN_STREAM = frozenset({"0125"})
#: The demo's lokalpolisområden: (police_area_id, name, member area ids), as the police divide them.
POLICE_AREAS = (
    ("vallingby", "Vällingby", ("hasselby-vallingby", "bromma", "ekero")),
    ("solna", "Solna", ("solna", "sundbyberg")),
)


def peer_totals() -> dict[str, np.ndarray]:
    """Population per year (:data:`YEARS`) of every peer kommun, of Stockholms län and of riket."""
    offsets = np.array(YEARS) - BASE_YEAR
    out = {k.area_id: np.round(k.population * (1.0 + PEER_GROWTH) ** offsets) for k in PEER_KOMMUNER}
    out[LAN] = np.round(LAN_POPULATION * (1.0 + LAN_GROWTH) ** offsets)
    out[RIKET] = np.round(RIKET_POPULATION * (1.0 + RIKET_GROWTH) ** offsets)
    return out


def _age_shares(vulnerability: float) -> tuple[float, float, float]:
    young = 0.20 + 0.10 * vulnerability
    old = 0.20 - 0.06 * vulnerability
    return young, 1.0 - young - old, old


def peer_population_rows() -> pd.DataFrame:
    """The peer areas' ``population`` rows: per year three age groups × kvinna/man (no ``alla``)."""
    vulnerability = {k.area_id: k.vulnerability for k in PEER_KOMMUNER}
    rows = []
    for area_id, totals in peer_totals().items():
        shares = _age_shares(vulnerability.get(area_id, 0.3))
        for yi, year in enumerate(YEARS):
            for share, (age, female) in zip(shares, _AGE.items()):
                group = totals[yi] * share
                women = int(round(group * female))
                rows.append((year, area_id, age, "kvinna", women))
                rows.append((year, area_id, age, "man", int(round(group)) - women))
    return pd.DataFrame(rows, columns=["year", "area_id", "age_group", "sex", "count"])


def expected_counts(population: np.ndarray, vulnerability: float, level: float) -> np.ndarray:
    """Expected crimes per category, year and month, shape (categories, years, 12)."""
    rates = np.array([c.rate for c in CATEGORIES]) / 1000.0
    effect = np.exp(np.array([c.vulnerability_effect for c in CATEGORIES]) * (vulnerability - 0.3))
    trend = np.array([c.trend for c in CATEGORIES])
    amplitude = np.array([c.season[0] for c in CATEGORIES])[:, None]
    peak = np.array([c.season[1] for c in CATEGORIES])[:, None]
    season = 1.0 + amplitude * np.cos(2 * np.pi * (_MONTHS[None, :] - peak) / 12)
    season = season / season.sum(axis=1, keepdims=True)
    yearly = (rates * effect * level)[:, None] * trend * population[None, :]
    return yearly[:, :, None] * season[:, None, :]


def count_rows(area_id: str, counts: np.ndarray) -> pd.DataFrame:
    """Rows (year, month, area_id, category, count) of a (categories, years, 12) array, zeros left out."""
    ci, yi, mi = np.nonzero(counts)
    return pd.DataFrame({
        "year": np.array(YEARS)[yi], "month": _MONTHS[mi], "area_id": area_id,
        "category": np.array([c.category for c in CATEGORIES], dtype=object)[ci], "count": counts[ci, yi, mi],
    })


def counts_array(rows: pd.DataFrame) -> np.ndarray:
    """Monthly counts of ``rows`` summed over their areas, as a (categories, years, 12) array."""
    out = np.zeros((len(CATEGORIES), len(YEARS), 12), dtype=np.int64)
    cat = {c.category: i for i, c in enumerate(CATEGORIES)}
    summed = rows.groupby(["category", "year", "month"])["count"].sum()
    for (category, year, month), n in summed.items():
        out[cat[category], YEARS.index(int(year)), int(month) - 1] += int(n)
    return out


def with_peer_counts(world: DemoWorld, counts: pd.DataFrame, population: pd.DataFrame) -> pd.DataFrame:
    """``crime_counts`` with the peer rows appended: every peer kommun, Stockholms län and riket.

    Parameters
    ----------
    world
        The demo world (its random streams).
    counts
        The demo kommuner's ``crime_counts`` (their leaves' rows, counted from ``crimes``).
    population
        The demo kommuner's ``population`` table (their leaves), for the rest of the län.

    Returns
    -------
    DataFrame in the columns of ``counts``: its rows first, then the peers' sorted by year, month,
    area and category; the last year preliminary, nothing suppressed.
    """
    rng = world.rng("peer-crime-counts")
    totals = peer_totals()
    parts, members = [], counts_array(counts)
    for kommun in PEER_KOMMUNER:
        own = world.rng(f"peer-crime-counts-{kommun.area_id}") if kommun.code in OWN_STREAM else rng
        level = PEER_LEVEL * float(np.exp(0.6 * (kommun.vulnerability - 0.3) + own.normal(0.0, 0.08)))
        drawn = own.poisson(expected_counts(totals[kommun.area_id], kommun.vulnerability, level))
        members += drawn
        parts.append(count_rows(kommun.area_id, drawn))
    demo_people = population.groupby("year")["count"].sum().reindex(YEARS).to_numpy(dtype=float)
    members_pop = demo_people + sum(totals[k.area_id] for k in PEER_KOMMUNER)
    rest_of_lan = rng.poisson(expected_counts(totals[LAN] - members_pop, 0.3, REST_OF_LAN_LEVEL))
    lan = members + rest_of_lan
    riket = lan + rng.poisson(expected_counts(totals[RIKET] - totals[LAN], 0.3, REST_OF_RIKET_LEVEL))
    parts += [count_rows(LAN, lan), count_rows(RIKET, riket)]
    peers = pd.concat(parts, ignore_index=True).sort_values(_KEYS, ignore_index=True)
    peers["preliminary"] = peers["year"] == YEARS[-1]
    peers["suppressed"] = False
    return pd.concat([counts, peers[counts.columns]], ignore_index=True)


def police_areas_table() -> pd.DataFrame:
    """The ``police_areas`` table of the demo: one row per member area of :data:`POLICE_AREAS`."""
    rows = [(pid, name, area) for pid, name, members in POLICE_AREAS for area in members]
    return pd.DataFrame(rows, columns=["police_area_id", "name", "area_id"])
