"""Population of the demo data set: the ``population`` table per year and stadsdel, by age group
and sex. The base-year figures of :mod:`lagesbild_lib.demo.geography` grow a little every year (fast
where the city builds); :func:`total_population` is shared with the crime counts, which follow it.
The ``population_forecast`` table (:func:`population_forecast_table`) projects each stadsdel from
:data:`~lagesbild_lib.demo.world.BASE_YEAR` with a rate near its own growth, as a forecast made
that year would.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from lagesbild_lib.demo.world import BASE_YEAR, YEARS, DemoWorld


def _growth_rates(world: DemoWorld) -> np.ndarray:
    """Yearly population growth per leaf: a little everywhere, fast where the city builds."""
    rng = world.rng("growth")
    rates = rng.uniform(0.002, 0.012, size=len(world.leaves))
    fast = {"Hjorthagen": 0.04, "Södra Hammarbyhamnen": 0.02, "Liljeholmen": 0.03, "Kista": 0.02,
            "Mariehäll": 0.03, "Järvastaden": 0.04, "Frösunda": 0.02, "Årsta": 0.015}
    for name, rate in fast.items():
        rates[world.leaf_index(name)] = rate
    return rates


def total_population(world: DemoWorld) -> np.ndarray:
    """Population per leaf and year, shape (leaves, years)."""
    base = world.array("population")
    offsets = np.array(YEARS) - BASE_YEAR
    return np.round(base[:, None] * (1.0 + _growth_rates(world))[:, None] ** offsets[None, :])


_INNER_CITY = {"Kungsholmen", "Norrmalm", "Östermalm", "Södermalm"}
_FEMALE_SHARE = {"0-19": 0.487, "20-64": 0.494, "65+": 0.55}


def _age_shares(world: DemoWorld) -> np.ndarray:
    """Shares of the age groups 0-19, 20-64, 65+ per leaf, shape (leaves, 3)."""
    v = world.array("vulnerability")
    inner = np.array([leaf.info.district in _INNER_CITY for leaf in world.leaves])
    young = 0.18 + 0.12 * v - 0.05 * inner
    old = 0.19 - 0.09 * v - 0.03 * inner
    return np.column_stack([young, 1.0 - young - old, old])


def population_table(world: DemoWorld) -> pd.DataFrame:
    """The ``population`` table: per year and leaf, three age groups × kvinna/man (no ``alla`` rows)."""
    totals = total_population(world)
    shares = _age_shares(world)
    rows = []
    for li, leaf in enumerate(world.leaves):
        for yi, year in enumerate(YEARS):
            for ai, (age, female) in enumerate(_FEMALE_SHARE.items()):
                group = totals[li, yi] * shares[li, ai]
                women = int(round(group * female))
                rows.append((year, leaf.area_id, age, "kvinna", women))
                rows.append((year, leaf.area_id, age, "man", int(round(group)) - women))
    return pd.DataFrame(rows, columns=["year", "area_id", "age_group", "sex", "count"])


#: The years the demo's population forecast covers (made in BASE_YEAR).
FORECAST_YEARS = tuple(range(BASE_YEAR + 1, BASE_YEAR + 8))


def population_forecast_table(world: DemoWorld) -> pd.DataFrame:
    """The ``population_forecast`` table: per stadsdel (leaf) and year of :data:`FORECAST_YEARS`, the
    population expected from the base year's at a yearly rate near the stadsdel's own growth
    (from its own random stream; a forecast is not the outcome). Areas above the leaves have no
    rows of their own: their forecast is the sum of their parts."""
    rng = world.rng("population-forecast")
    base = world.array("population")
    rates = _growth_rates(world) + rng.normal(0.0, 0.003, size=len(world.leaves))
    rows = [
        (year, leaf.area_id, int(round(base[i] * (1.0 + rates[i]) ** (year - BASE_YEAR))))
        for i, leaf in enumerate(world.leaves)
        for year in FORECAST_YEARS
    ]
    return pd.DataFrame(rows, columns=["year", "area_id", "population"])
