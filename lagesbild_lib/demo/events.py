"""Critical events and weekly assessments of the demo data set: the ``critical_events`` table
(explosions, shootings and arson attacks, most often in vulnerable stadsdelar) and the
``weekly_assessments`` table (a level 1–5 per ISO week and stadsdel that follows an autocorrelated
process around the area's baseline and jumps in the week of a critical event in the area).
"""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd

from lagesbild_lib.demo.geography import WEEKLY_BASE
from lagesbild_lib.demo.world import YEARS, DemoWorld, cell_sigma, land_of, sample_in_cell, to_lonlat


# --------------------------------------------------------------------------- critical events


#: Critical events per stadsdelsområde and year: (fewest, most); a yearly factor moves the draw
#: within that range.
_EVENT_RANGE = {
    "rinkeby-kista": (8, 16), "spanga-tensta": (6, 14), "skarholmen": (6, 13), "hasselby-vallingby": (4, 10),
    "enskede-arsta-vantor": (4, 10), "farsta": (2, 7), "hagersten-alvsjo": (2, 6), "sodermalm": (1, 5),
    "norrmalm": (1, 5), "skarpnack": (1, 5), "ostermalm": (0, 4), "bromma": (0, 3), "kungsholmen": (0, 3),
    "solna": (1, 6),
}
_EVENT_YEAR_FACTOR = (1.0, 0.9, 0.9, 1.1, 1.15, 0.9, 0.8)
_EVENT_TYPES = ("sprängning", "skjutning", "brandattentat", "handgranat", "mordbrand")
_EVENT_TYPE_P = (0.38, 0.34, 0.22, 0.03, 0.03)


def critical_events_table(world: DemoWorld) -> pd.DataFrame:
    """The ``critical_events`` table: a handful of explosions, shootings and arson attacks a year.

    Events fall most often in vulnerable stadsdelar; a few shootings are fatal.
    """
    rng = world.rng("critical-events")
    parents = np.array([leaf.parent_id for leaf in world.leaves])
    weight = world.array("population") * world.array("vulnerability") ** 2
    rows = []
    for group in world.groups:
        members = np.flatnonzero(parents == group)
        lo, hi = _EVENT_RANGE[group]
        for year, factor in zip(YEARS, _EVENT_YEAR_FACTOR):
            n = int(np.clip(round(rng.integers(lo, hi + 1) * factor), lo, hi))
            rows += _events_of(world, rng, year, rng.choice(members, size=n, p=weight[members] / weight[members].sum()))
    frame = pd.DataFrame(rows, columns=["event_date", "area_id", "type", "fatal", "lon", "lat"])
    return frame.sort_values(["event_date", "area_id", "type"], kind="stable").reset_index(drop=True)


def _events_of(world: DemoWorld, rng, year: int, leaf_ids: np.ndarray) -> list[tuple]:
    days = 366 if year % 4 == 0 else 365
    rows = []
    for li in leaf_ids:
        date = dt.date(year, 1, 1) + dt.timedelta(days=int(rng.integers(0, days)))
        kind = str(rng.choice(_EVENT_TYPES, p=_EVENT_TYPE_P))
        fatal = bool(rng.random() < (0.18 if kind == "skjutning" else 0.01))
        cell = world.cells[li]
        x, y = sample_in_cell(rng, land_of(cell), world.centre_km(li), cell_sigma(cell), 1)[0]
        lon, lat = to_lonlat(x, y)
        area = world.leaves[li].area_id
        rows.append((date.isoformat(), area, kind, fatal, round(float(lon), 5), round(float(lat), 5)))
    return rows


# --------------------------------------------------------------------------- weekly assessments


def iso_weeks() -> list[tuple[int, int]]:
    """Every (ISO year, ISO week) of the demo years, in order (2020 has week 53)."""
    return [(y, w) for y in YEARS for w in range(1, dt.date(y, 12, 28).isocalendar().week + 1)]


def weekly_assessments_table(world: DemoWorld, events: pd.DataFrame) -> pd.DataFrame:
    """The ``weekly_assessments`` table: a level 1–5 per ISO week and leaf.

    The level follows an autocorrelated process around a baseline set by the area's
    vulnerability (Hässelby gård highest in Hässelby-Vällingby) and jumps in the week of a
    critical event in the area (and a little the week after).
    """
    base = 0.8 + 2.6 * world.array("vulnerability") ** 1.5
    for name, value in WEEKLY_BASE.items():
        base[world.leaf_index(name)] = value
    return weekly_levels(world.rng("weekly"), [leaf.area_id for leaf in world.leaves], base, events)


def weekly_levels(rng, area_ids: list[str], base: np.ndarray, events: pd.DataFrame) -> pd.DataFrame:
    """``weekly_assessments`` rows for ``area_ids``: per ISO week an autocorrelated process around each
    area's ``base`` level, plus the jumps of its critical events (:func:`_event_bumps`), rounded and
    kept within 1–5. Both demos (Stockholm with Solna, and Gävle) use it."""
    weeks = iso_weeks()
    bump = _event_bumps(area_ids, events, weeks)
    latent = np.zeros((len(weeks), len(area_ids)))
    z = rng.normal(0.0, 0.7, size=len(area_ids))
    for t in range(len(weeks)):
        z = 0.8 * z + rng.normal(0.0, 0.42, size=z.size)
        latent[t] = z
    level = np.clip(np.round(base[None, :] + latent + bump), 1, 5).astype(int)
    return pd.DataFrame(
        {
            "year": np.repeat([y for y, _ in weeks], len(area_ids)),
            "week": np.repeat([w for _, w in weeks], len(area_ids)),
            "area_id": list(area_ids) * len(weeks),
            "level": level.ravel(),
        }
    )


def _event_bumps(area_ids: list[str], events: pd.DataFrame, weeks: list[tuple[int, int]]) -> np.ndarray:
    """Extra level per (week, area): +2.7 in an event's week, +1.2 the week after."""
    position = {w: t for t, w in enumerate(weeks)}
    column = {area: i for i, area in enumerate(area_ids)}
    bump = np.zeros((len(weeks), len(area_ids)))
    for date, area in zip(events["event_date"], events["area_id"]):
        iso = dt.date.fromisoformat(date).isocalendar()
        t = position.get((iso.year, iso.week))
        if t is None:
            continue
        bump[t, column[area]] = max(bump[t, column[area]], 2.7)
        if t + 1 < len(weeks):
            bump[t + 1, column[area]] = max(bump[t + 1, column[area]], 1.2)
    return bump
