"""The Gävle demo's population, crimes, counts, critical events and weekly assessments
(Demodata – syntetiska uppgifter, :mod:`lagesbild_lib.demo.gavle`).

The crimes follow the demo's crime categories (:data:`~lagesbild_lib.demo.crimes.CATEGORIES`:
rates, trends, seasons, victim ages, the hours and weekdays of ``occurred_at``) at Gävle's own,
lower level; counts are drawn for the whole kommun per category and year and shared among the
sub-areas by population, crime risk and vulnerability; violent crimes partly cluster around the
centres of :data:`~lagesbild_lib.demo.gavle.HOTSPOTS`. ``crime_counts`` gets Gävle's rows (counted
from its crimes), Gävleborgs län's (Gävle's plus an invented count for the rest of the län) and
the peer kommuner's (invented, with the same categories). Every draw comes from a stream of
Gävle's own, so no number of the Stockholm demo moves.
"""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd

from lagesbild_lib.demo.crimes import CATEGORIES, Scatter, crime_counts_table, crime_rows, category_weights, draw_group_counts
from lagesbild_lib.demo.events import weekly_levels
from lagesbild_lib.demo.gavle import (
    HOTSPOTS,
    LAN,
    LAN_GROWTH,
    LAN_POPULATION,
    PEERS,
    SUB_AREAS,
    GavleWorld,
    cell_sigma,
    sample_in_cell,
    to_km,
    to_lonlat,
)
from lagesbild_lib.demo.peers import count_rows, counts_array, expected_counts
from lagesbild_lib.demo.population import FORECAST_YEARS
from lagesbild_lib.demo.world import BASE_YEAR, YEARS

#: Crime level of Gävle, of the rest of Gävleborgs län and of the peer kommuner, relative to the
#: demo categories' rates (which are Stockholm's).
GAVLE_LEVEL, REST_OF_LAN_LEVEL, PEER_LEVEL = 0.85, 0.7, 0.85
#: Yearly population growth of the peer kommuner.
PEER_GROWTH = 0.008
_FEMALE_SHARE = {"0-19": 0.487, "20-64": 0.49, "65+": 0.54}
_KEYS = ["year", "month", "area_id", "category"]


# --------------------------------------------------------------------------- population


def total_population(world: GavleWorld) -> np.ndarray:
    """Population per sub-area and year, shape (sub-areas, years): a little growth everywhere,
    faster in Valbo and Hemlingby where the kommun builds."""
    rates = world.rng("growth").uniform(0.0, 0.009, size=len(SUB_AREAS))
    rates[world.index("Valbo")], rates[world.index("Hemlingby")] = 0.015, 0.02
    offsets = np.array(YEARS) - BASE_YEAR
    return np.round(world.array("population")[:, None] * (1.0 + rates)[:, None] ** offsets[None, :])


def _age_shares(vulnerability: float) -> tuple[float, float, float]:
    young = 0.19 + 0.10 * vulnerability
    old = 0.22 - 0.08 * vulnerability
    return young, 1.0 - young - old, old


def _population_rows(area_id: str, totals, vulnerability: float) -> list[tuple]:
    rows = []
    for yi, year in enumerate(YEARS):
        for share, (age, female) in zip(_age_shares(vulnerability), _FEMALE_SHARE.items()):
            group = totals[yi] * share
            women = int(round(group * female))
            rows.append((year, area_id, age, "kvinna", women))
            rows.append((year, area_id, age, "man", int(round(group)) - women))
    return rows


def peer_totals() -> dict[str, np.ndarray]:
    """Population per year of every peer kommun and of Gävleborgs län."""
    offsets = np.array(YEARS) - BASE_YEAR
    out = {p.area_id: np.round(p.population * (1.0 + PEER_GROWTH) ** offsets) for p in PEERS}
    out[LAN] = np.round(LAN_POPULATION * (1.0 + LAN_GROWTH) ** offsets)
    return out


def population_table(world: GavleWorld) -> pd.DataFrame:
    """``population`` rows: every sub-area, Gävleborgs län and the peers, three age groups ×
    kvinna/man per year (the kommun is the sum of its sub-areas)."""
    totals = total_population(world)
    rows = []
    for i, area_id in enumerate(world.ids):
        rows += _population_rows(area_id, totals[i], SUB_AREAS[i].vulnerability)
    vulnerability = {p.area_id: p.vulnerability for p in PEERS}
    for area_id, series in peer_totals().items():
        rows += _population_rows(area_id, series, vulnerability.get(area_id, 0.3))
    return pd.DataFrame(rows, columns=["year", "area_id", "age_group", "sex", "count"])


def population_forecast_table(world: GavleWorld) -> pd.DataFrame:
    """``population_forecast`` rows as a forecast made in the base year: every sub-area at a rate
    near its own growth (a stream of its own: a forecast is not the outcome) and Gävleborgs län at
    its growth; the kommun is the sum of its sub-areas."""
    totals = total_population(world)
    base = YEARS.index(BASE_YEAR)
    own = (totals[:, -1] / totals[:, 0]) ** (1.0 / (len(YEARS) - 1)) - 1.0
    rates = own + world.rng("population-forecast").normal(0.0, 0.003, size=len(own))
    rows = [(year, area_id, int(round(totals[i, base] * (1.0 + rates[i]) ** (year - BASE_YEAR))))
            for i, area_id in enumerate(world.ids) for year in FORECAST_YEARS]
    lan = peer_totals()[LAN][base]
    rows += [(year, LAN, int(round(lan * (1.0 + LAN_GROWTH) ** (year - BASE_YEAR)))) for year in FORECAST_YEARS]
    return pd.DataFrame(rows, columns=["year", "area_id", "population"])


# --------------------------------------------------------------------------- crimes


def crime_counts_by_area(world: GavleWorld) -> np.ndarray:
    """Crimes per sub-area, category and year, shape (sub-areas, categories, years): drawn for the
    kommun (Poisson, a little yearly noise, sorted over the years for the monotone categories),
    then shared among the sub-areas (multinomial)."""
    rng = world.rng("crime-counts")
    weights = category_weights(world)
    growth = total_population(world) / world.array("population")[:, None]
    rates = np.array([c.rate for c in CATEGORIES]) / 1000.0 * GAVLE_LEVEL
    trend = np.array([c.trend for c in CATEGORIES])
    return draw_group_counts(rng, weights, growth, rates, trend)


def crimes_table(world: GavleWorld) -> pd.DataFrame:
    """Gävle's ``crimes`` rows, 2019–2025, sorted by date; ``crime_id`` is ``DEMO-GVL-<year>-<number>``."""
    scatter = Scatter(
        cell=lambda i: world.cells[i], centre=world.centre_km, sigma=lambda i: cell_sigma(world.cells[i]),
        name=lambda i: SUB_AREAS[i].name, hotspots=HOTSPOTS, sample=sample_in_cell, to_km=to_km, to_lonlat=to_lonlat,
    )
    return crime_rows(crime_counts_by_area(world), list(world.ids), scatter, world.rng("crimes"), world.rng("crimes-occurred-at"), "DEMO-GVL")


def crime_counts(world: GavleWorld, crimes: pd.DataFrame, population: pd.DataFrame) -> pd.DataFrame:
    """``crime_counts`` rows: Gävle's sub-areas (from ``crimes``), then Gävleborgs län (Gävle plus
    an invented count for the rest of the län) and the peer kommuner, the last year preliminary."""
    own = crime_counts_table(crimes)
    rng = world.rng("peer-crime-counts")
    totals = peer_totals()
    parts = []
    for peer in PEERS:
        level = PEER_LEVEL * float(np.exp(0.6 * (peer.vulnerability - 0.3) + rng.normal(0.0, 0.08)))
        parts.append(count_rows(peer.area_id, rng.poisson(expected_counts(totals[peer.area_id], peer.vulnerability, level))))
    gavle_people = population[population["area_id"].isin(world.ids)].groupby("year")["count"].sum()
    rest = totals[LAN] - gavle_people.reindex(YEARS).to_numpy(dtype=float)
    lan = counts_array(own) + rng.poisson(expected_counts(rest, 0.3, REST_OF_LAN_LEVEL))
    parts.append(count_rows(LAN, lan))
    peers = pd.concat(parts, ignore_index=True).sort_values(_KEYS, ignore_index=True)
    peers["preliminary"] = peers["year"] == YEARS[-1]
    peers["suppressed"] = False
    return pd.concat([own, peers[own.columns]], ignore_index=True)


# --------------------------------------------------------------------------- events and weeks

#: Critical events in Gävle per year: (fewest, most), moved by a yearly factor.
EVENT_RANGE = (1, 6)
_EVENT_YEAR_FACTOR = (0.8, 0.9, 1.0, 1.2, 1.3, 1.0, 0.9)
_EVENT_TYPES = ("sprängning", "skjutning", "brandattentat", "mordbrand")
_EVENT_TYPE_P = (0.36, 0.34, 0.25, 0.05)


def critical_events_table(world: GavleWorld) -> pd.DataFrame:
    """``critical_events`` rows: a few explosions, shootings and arson attacks a year, most often
    in the vulnerable sub-areas; a few shootings are fatal."""
    rng = world.rng("critical-events")
    weight = world.array("population") * world.array("vulnerability") ** 2
    lo, hi = EVENT_RANGE
    rows = []
    for year, factor in zip(YEARS, _EVENT_YEAR_FACTOR):
        n = int(np.clip(round(rng.integers(lo, hi + 1) * factor), lo, hi))
        days = 366 if year % 4 == 0 else 365
        for i in rng.choice(len(SUB_AREAS), size=n, p=weight / weight.sum()):
            date = dt.date(year, 1, 1) + dt.timedelta(days=int(rng.integers(0, days)))
            kind = str(rng.choice(_EVENT_TYPES, p=_EVENT_TYPE_P))
            fatal = bool(rng.random() < (0.18 if kind == "skjutning" else 0.01))
            x, y = sample_in_cell(rng, world.cells[i], world.centre_km(i), cell_sigma(world.cells[i]), 1)[0]
            lon, lat = to_lonlat(x, y)
            rows.append((date.isoformat(), world.ids[i], kind, fatal, round(float(lon), 5), round(float(lat), 5)))
    frame = pd.DataFrame(rows, columns=["event_date", "area_id", "type", "fatal", "lon", "lat"])
    return frame.sort_values(["event_date", "area_id", "type"], kind="stable").reset_index(drop=True)


def weekly_assessments_table(world: GavleWorld, events: pd.DataFrame) -> pd.DataFrame:
    """``weekly_assessments`` rows: a level 1–5 per ISO week and sub-area, an autocorrelated
    process around a baseline set by vulnerability (Andersberg and Sätra-Hagaström highest) that jumps in
    the week of a critical event in the area (and a little the week after)."""
    base = 0.8 + 2.6 * world.array("vulnerability") ** 1.5
    return weekly_levels(world.rng("weekly"), list(world.ids), base, events)
