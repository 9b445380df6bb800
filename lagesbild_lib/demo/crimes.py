"""Crimes of the demo data set: the crime categories and the ``crimes``, ``crime_categories`` and
``crime_counts`` tables. Every :class:`CrimeCategory` carries the invented parameters of its crimes
(rate, concentration in centres and vulnerable areas, yearly trend, seasonality, victim ages);
counts are drawn per stadsdelsområde and shared among the stadsdelar, then every crime gets a
reporting date, a point on land in its area (partly around a hotspot), a victim age and the local time it
happened (``occurred_at``: evening- and weekend-heavy violence, daytime burglary).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import pandas as pd

from lagesbild_lib.demo.geography import HOTSPOTS
from lagesbild_lib.demo.population import total_population
from lagesbild_lib.demo.world import YEARS, DemoWorld, cell_sigma, land_of, sample_in_cell, to_km, to_lonlat


# --------------------------------------------------------------------------- crime categories


@dataclass(frozen=True)
class CrimeCategory:
    """A crime category and the invented parameters that generate its crimes.

    ``rate`` is reported crimes per 1000 inhabitants and year in 2019; ``risk_exponent`` and
    ``vulnerability_effect`` concentrate it in centres and in vulnerable areas (negative: in
    well-off villa areas); ``trend`` multiplies the rate per year 2019–2025; ``season`` is
    (amplitude, peak month); ``victim_age`` is (minimum, gamma shape, gamma scale) or None.
    """

    category: str
    label: str
    group: str
    compstat: bool
    violent: bool
    intimate_partner: bool
    rate: float
    risk_exponent: float
    vulnerability_effect: float
    outdoor_share: float
    victim_age: tuple[float, float, float] | None
    trend: tuple[float, ...]
    season: tuple[float, float]
    hotspot: bool = False
    monotone: bool = False


_HUSHALL, _PERSON, _OVRIGA = "Brott mot hushåll", "Brott mot person", "Övriga brott"

CATEGORIES: tuple[CrimeCategory, ...] = (
    CrimeCategory("bostadsinbrott", "Bostadsinbrott", _HUSHALL, True, False, False, 2.0, 0.3, -1.5, 0.0, None,
                  (1.0, 0.86, 0.76, 0.69, 0.62, 0.56, 0.50), (0.25, 12), monotone=True),
    CrimeCategory("inbrott_kallare_vind", "Inbrott i källare/vind", _HUSHALL, True, False, False, 1.6, 0.5, 0.3, 0.0,
                  None, (1.0, 0.93, 0.88, 0.97, 1.08, 1.04, 0.98), (0.1, 11)),
    CrimeCategory("stold_ur_fordon", "Stöld ur/från motorfordon", _HUSHALL, True, False, False, 5.0, 0.7, 0.0, 1.0,
                  None, (1.0, 0.88, 0.80, 0.86, 0.92, 0.83, 0.76), (0.15, 10)),
    CrimeCategory("stold_av_fordon", "Stöld av motorfordon", _HUSHALL, True, False, False, 1.2, 0.5, 0.2, 1.0, None,
                  (1.0, 0.92, 0.84, 0.80, 0.86, 0.79, 0.74), (0.1, 10)),
    CrimeCategory("cykelstold", "Cykelstöld", _HUSHALL, True, False, False, 8.0, 0.9, -0.5, 0.95, None,
                  (1.0, 1.06, 0.96, 0.90, 0.95, 0.91, 0.87), (0.6, 8)),
    CrimeCategory("misshandel_utomhus", "Misshandel, utomhus", _PERSON, True, True, False, 3.0, 1.3, 1.0, 1.0,
                  (12, 2.5, 8.0), (1.0, 0.86, 0.83, 0.95, 1.01, 0.97, 0.94), (0.3, 7), hotspot=True),
    CrimeCategory("misshandel_inomhus", "Misshandel, inomhus", _PERSON, True, True, False, 3.0, 1.0, 1.0, 0.0,
                  (12, 3.0, 9.0), (1.0, 1.02, 1.0, 1.04, 1.06, 1.03, 1.05), (0.05, 1)),
    CrimeCategory("personran", "Personrån", _PERSON, True, True, False, 1.2, 1.4, 1.2, 1.0, (11, 2.0, 5.0),
                  (1.0, 1.28, 1.17, 1.02, 0.90, 0.84, 0.79), (0.1, 10), hotspot=True),
    CrimeCategory("valdtakt_utomhus", "Våldtäkt, utomhus", _PERSON, True, True, False, 0.09, 1.2, 0.5, 1.0,
                  (13, 2.0, 6.0), (1.0, 0.95, 1.05, 1.0, 1.1, 0.95, 1.0), (0.4, 7), hotspot=True),
    CrimeCategory("valdtakt_inomhus", "Våldtäkt, inomhus", _PERSON, True, True, False, 0.6, 0.8, 0.4, 0.0,
                  (13, 2.0, 6.0), (1.0, 1.05, 1.10, 1.14, 1.20, 1.16, 1.21), (0.1, 7)),
    CrimeCategory("sexuellt_ofredande", "Sexuellt ofredande", _PERSON, True, False, False, 2.0, 1.1, 0.3, 0.55,
                  (10, 2.0, 8.0), (1.0, 0.88, 0.93, 1.08, 1.19, 1.24, 1.30), (0.2, 7), hotspot=True),
    CrimeCategory("olaga_hot", "Olaga hot", _PERSON, True, False, False, 4.5, 1.0, 0.8, 0.45, (12, 3.0, 10.0),
                  (1.0, 1.04, 1.10, 1.07, 1.12, 1.10, 1.16), (0.05, 7), hotspot=True),
    CrimeCategory("misshandel_kvinna_nara", "Misshandel mot kvinna i nära relation", _PERSON, True, True, True, 1.0,
                  0.4, 0.8, 0.05, (18, 4.0, 5.0), (1.0, 1.07, 1.15, 1.24, 1.33, 1.43, 1.54), (0.08, 7),
                  monotone=True),
    CrimeCategory("grov_kvinnofridskrankning", "Grov kvinnofridskränkning", _PERSON, True, True, True, 0.3, 0.4, 0.8,
                  0.0, (18, 4.0, 5.0), (1.0, 1.12, 1.0, 1.16, 1.22, 1.10, 1.26), (0.0, 1)),
    CrimeCategory("skadegorelse", "Skadegörelse", _OVRIGA, True, False, False, 7.0, 0.8, 0.5, 0.8, None,
                  (1.0, 0.94, 0.90, 0.96, 1.01, 1.06, 1.0), (0.2, 6)),
    CrimeCategory("bedrageri_urval", "Bedrägeri (urval)", _OVRIGA, True, False, False, 3.0, 0.3, -0.3, 0.0,
                  (18, 3.0, 15.0), (1.0, 1.12, 1.25, 1.31, 1.24, 1.17, 1.12), (0.1, 11)),
    CrimeCategory("narkotikabrott", "Narkotikabrott", _OVRIGA, False, False, False, 6.0, 1.5, 1.0, 0.7, None,
                  (1.0, 1.10, 1.16, 1.05, 1.0, 0.95, 1.06), (0.15, 5), hotspot=True),
)


def crime_categories_table() -> pd.DataFrame:
    """The ``crime_categories`` table: key, Swedish label, CompStat group and flags."""
    columns = ["category", "label", "group", "compstat", "violent", "intimate_partner"]
    return pd.DataFrame([[getattr(c, k) for k in columns] for c in CATEGORIES], columns=columns)


# --------------------------------------------------------------------------- crimes


def category_weights(world) -> np.ndarray:
    """Relative crime weight per leaf and category, shape (leaves, categories), mean rate 1 per
    inhabitant (a demo world's arrays ``population``, ``crime_risk`` and ``vulnerability``; both demos)."""
    pop = world.array("population")
    risk = world.array("crime_risk")
    v = world.array("vulnerability")
    a = np.array([c.risk_exponent for c in CATEGORIES])
    b = np.array([c.vulnerability_effect for c in CATEGORIES])
    weights = pop[:, None] * risk[:, None] ** a[None, :] * np.exp(b[None, :] * (v[:, None] - 0.3))
    return weights * pop.sum() / weights.sum(axis=0, keepdims=True)


def crime_counts_by_leaf(world: DemoWorld) -> np.ndarray:
    """Number of crimes per leaf, category and year, shape (leaves, categories, years).

    Counts are drawn per stadsdelsområde (Poisson, with a little extra yearly noise), sorted over
    the years for the monotone categories, then shared among the stadsdelar (multinomial).
    """
    rng = world.rng("crime-counts")
    weights = category_weights(world)
    growth = total_population(world) / world.array("population")[:, None]
    rates = np.array([c.rate for c in CATEGORIES]) / 1000.0
    trend = np.array([c.trend for c in CATEGORIES])
    parents = np.array([leaf.parent_id for leaf in world.leaves])
    counts = np.zeros((len(world.leaves), len(CATEGORIES), len(YEARS)), dtype=np.int64)
    for group in world.groups:
        members = np.flatnonzero(parents == group)
        counts[members] = draw_group_counts(rng, weights[members], growth[members], rates, trend)
    return counts


def draw_group_counts(rng, weights: np.ndarray, growth: np.ndarray, rates: np.ndarray, trend: np.ndarray) -> np.ndarray:
    """Crimes of one group of areas, shape (areas, categories, years): per category drawn for the
    group (Poisson with a little yearly noise, sorted over the years for the monotone categories),
    then shared among its areas by ``weights`` (areas × categories) and ``growth`` (areas × years)
    (multinomial). Both demos draw their counts with it."""
    expected = np.einsum("lc,ly->cy", weights, growth) * rates[:, None] * trend
    counts = np.zeros((weights.shape[0], len(CATEGORIES), len(YEARS)), dtype=np.int64)
    for ci, cat in enumerate(CATEGORIES):
        noise = 1.0 if cat.monotone else np.exp(rng.normal(0.0, 0.07, size=len(YEARS)))
        drawn = rng.poisson(expected[ci] * noise)
        if cat.monotone:
            drawn = np.sort(drawn)[:: 1 if trend[ci, -1] > trend[ci, 0] else -1]
        for yi, n in enumerate(drawn):
            share = weights[:, ci] * growth[:, yi]
            counts[:, ci, yi] = rng.multinomial(n, share / share.sum())
    return counts


def _day_of_year_table() -> tuple[np.ndarray, list[np.ndarray]]:
    """For each (category, year): the cumulative distribution of the reporting day over the year."""
    cdfs, dates = [], []
    for year in YEARS:
        days = pd.date_range(f"{year}-01-01", f"{year}-12-31", freq="D")
        dates.append(days.values.astype("datetime64[D]"))
    phase = [(np.arange(len(d)) + 0.5) / len(d) for d in dates]
    for cat in CATEGORIES:
        amplitude, peak = cat.season
        for yi in range(len(YEARS)):
            w = 1.0 + amplitude * np.cos(2 * np.pi * (phase[yi] - (peak - 0.5) / 12.0))
            cdf = np.cumsum(w)
            cdfs.append(cdf / cdf[-1])
    return cdfs, dates


def _draw_dates(rng, cat_idx: np.ndarray, year_idx: np.ndarray) -> np.ndarray:
    """A reporting date for every crime, following its category's seasonality."""
    cdfs, dates = _day_of_year_table()
    combo = cat_idx * len(YEARS) + year_idx
    u = rng.random(cat_idx.size)
    days = np.empty(cat_idx.size, dtype=np.int64)
    for k in np.unique(combo):
        rows = np.flatnonzero(combo == k)
        days[rows] = np.searchsorted(cdfs[k], u[rows], side="right")
    first = np.array([d[0] for d in dates])
    return first[year_idx] + days.astype("timedelta64[D]")


@dataclass(frozen=True)
class Scatter:
    """Where a demo's crimes fall, per area index: the cell to scatter in, its centre (km) and the
    spread, the name its hotspot is listed under; and the demo's hotspots, sampler and projection.
    Both demos (Stockholm with Solna, and Gävle) describe their areas with it."""

    cell: Callable[[int], object]
    centre: Callable[[int], tuple[float, float]]
    sigma: Callable[[int], float]
    name: Callable[[int], str]
    hotspots: dict[str, tuple[float, float, float]]
    sample: Callable
    to_km: Callable
    to_lonlat: Callable


def draw_points(scatter: Scatter, rng, area_idx: np.ndarray, cat_idx: np.ndarray) -> np.ndarray:
    """Lon/lat of every crime: scattered in its area's cell, the clustering categories partly around
    the area's hotspot."""
    clustered = np.array([c.hotspot for c in CATEGORIES])[cat_idx]
    xy = np.empty((area_idx.size, 2))
    for i in np.unique(area_idx):
        rows = np.flatnonzero(area_idx == i)
        cell = scatter.cell(i)
        xy[rows] = scatter.sample(rng, cell, scatter.centre(i), scatter.sigma(i), rows.size)
        hotspot = scatter.hotspots.get(scatter.name(i))
        if hotspot is None:
            continue
        lon, lat, share = hotspot
        chosen = rows[clustered[rows] & (rng.random(rows.size) < share)]
        centre = tuple(float(v) for v in scatter.to_km(lon, lat))
        xy[chosen] = scatter.sample(rng, cell, centre, 0.12, chosen.size)
    lon, lat = scatter.to_lonlat(xy[:, 0], xy[:, 1])
    return np.column_stack([np.round(lon, 5), np.round(lat, 5)])


def _draw_victim_ages(rng, cat_idx: np.ndarray) -> np.ndarray:
    """Victim age per crime (float, NaN where the category has no person victim)."""
    spec = np.array([c.victim_age if c.victim_age else (np.nan, 1.0, 1.0) for c in CATEGORIES])
    lo, shape, scale = (spec[cat_idx, k] for k in range(3))
    ages = lo + rng.gamma(shape, scale)
    return np.where(np.isnan(lo), np.nan, np.minimum(np.floor(ages), 95.0))


# --------------------------------------------------------------------------- when crimes happen
#: Relative weight of each hour of the day (0–23) by kind of crime: violence and vandalism in the
#: evening and night, burglary and bike theft in the daytime, crimes at home in the evening.
_HOURS = {
    "kväll": np.array([6, 4.5, 3.5, 2.5, 1.5, 1, 1, 1, 1.5, 2, 2.5, 3, 3.5, 3.5, 3.5, 4, 4.5, 5, 6, 7, 8, 9, 9, 8]),
    "hemma": np.array([3, 2, 1.5, 1, 1, 1, 1, 1.5, 2, 2, 2, 2, 2.5, 2.5, 3, 3.5, 4, 5, 6, 7, 7, 6.5, 5.5, 4]),
    "dag": np.array([1, 1, 1, 1, 1, 1.5, 2, 3, 4.5, 5.5, 6, 6, 6, 6, 6, 6, 6, 5.5, 4.5, 3.5, 2.5, 2, 1.5, 1]),
    "natt": np.array([6, 6, 5.5, 5, 4, 3, 2, 1.5, 1.5, 1.5, 1.5, 1.5, 1.5, 1.5, 1.5, 1.5, 2, 2, 2.5, 3, 3.5, 4, 5, 5.5]),
}
#: Relative weight of each weekday (Monday first) by the same kinds.
_WEEKDAYS = {
    "kväll": np.array([0.6, 0.6, 0.65, 0.8, 1.4, 2.4, 1.9]),
    "hemma": np.array([0.8, 0.8, 0.8, 0.9, 1.1, 1.6, 1.5]),
    "dag": np.array([1.1, 1.1, 1.1, 1.1, 1.05, 0.8, 0.75]),
    "natt": np.array([0.9, 0.9, 0.9, 0.95, 1.1, 1.3, 1.2]),
}
#: Days between when a crime happened and when it was reported (0–3), before the weekday weights.
_LAG = np.array([0.5, 0.28, 0.14, 0.08])
_UNKNOWN_TIME = 0.005  # share of reports without a time of the crime


def _time_kind(cat: CrimeCategory) -> str:
    if cat.intimate_partner or cat.category in ("misshandel_inomhus", "valdtakt_inomhus"):
        return "hemma"
    if cat.violent or cat.category in ("sexuellt_ofredande", "narkotikabrott"):
        return "kväll"
    if cat.category in ("skadegorelse", "stold_av_fordon", "stold_ur_fordon"):
        return "natt"
    return "dag"


def _draw_occurred_at(rng, cat_idx: np.ndarray, reported: np.ndarray) -> np.ndarray:
    """When every crime happened (``datetime64[m]``, NaT for a few): a day 0–3 days before its
    reporting date, weighted towards its kind's weekdays, and an hour from its kind's profile.

    Drawn from a generator of its own, after the other columns, so that no other number moves.
    """
    kinds = list(_HOURS)
    kind_idx = np.array([kinds.index(_time_kind(c)) for c in CATEGORIES])[cat_idx]
    days = reported.astype("datetime64[D]")[:, None] - np.arange(len(_LAG)).astype("timedelta64[D]")[None, :]
    weekday = (days.astype("int64") + 3) % 7  # 1970-01-01 was a Thursday (Monday = 0)
    day_w = np.stack([_WEEKDAYS[k] for k in kinds])[kind_idx[:, None], weekday] * _LAG[None, :]
    cdf = np.cumsum(day_w, axis=1)
    lag = (rng.random(cat_idx.size)[:, None] * cdf[:, -1:] > cdf).sum(axis=1)
    hour_cdf = np.cumsum(np.stack([_HOURS[k] for k in kinds]), axis=1)
    hour_cdf = hour_cdf / hour_cdf[:, -1:]
    u = rng.random(cat_idx.size)
    hour = (u[:, None] > hour_cdf[kind_idx]).sum(axis=1)
    minute = rng.integers(0, 12, cat_idx.size) * 5
    when = days[np.arange(cat_idx.size), lag].astype("datetime64[m]") + (hour * 60 + minute).astype("timedelta64[m]")
    return np.where(rng.random(cat_idx.size) < _UNKNOWN_TIME, np.datetime64("NaT", "m"), when)


def crimes_table(world: DemoWorld) -> pd.DataFrame:
    """The ``crimes`` table: one row per reported crime, 2019–2025, sorted by date.

    ``crime_id`` is ``DEMO-<year>-<number>``, numbered by date within each year.
    """
    area_ids = [leaf.area_id for leaf in world.leaves]
    scatter = Scatter(
        cell=lambda i: land_of(world.cells[i]), centre=world.centre_km, sigma=lambda i: cell_sigma(world.cells[i]),
        name=lambda i: world.leaves[i].info.name, hotspots=HOTSPOTS, sample=sample_in_cell, to_km=to_km, to_lonlat=to_lonlat,
    )
    return crime_rows(crime_counts_by_leaf(world), area_ids, scatter, world.rng("crimes"), world.rng("crimes-occurred-at"), "DEMO")


def crime_rows(counts: np.ndarray, area_ids: list[str], scatter: Scatter, rng, occurred_rng, id_prefix: str) -> pd.DataFrame:
    """``crimes`` rows of a (areas, categories, years) array of counts: for each crime a report date,
    a position (:func:`draw_points`, lon/lat), outdoor or not, a victim age and
    the time it occurred (from ``occurred_rng``); sorted by date, ``crime_id`` ``<prefix>-<year>-<number>``
    numbered by date within each year. Both demos (Stockholm with Solna, and Gävle) use it."""
    area_idx, cat_idx, year_idx = np.unravel_index(np.repeat(np.arange(counts.size), counts.ravel()), counts.shape)
    dates = _draw_dates(rng, cat_idx, year_idx)
    points = draw_points(scatter, rng, area_idx, cat_idx)
    outdoor = rng.random(area_idx.size) < np.array([c.outdoor_share for c in CATEGORIES])[cat_idx]
    ages = _draw_victim_ages(rng, cat_idx)
    order = np.lexsort((cat_idx, area_idx, dates))
    occurred = _draw_occurred_at(occurred_rng, cat_idx, dates)
    years = np.array(YEARS)[year_idx[order]]
    number = np.arange(order.size) - np.searchsorted(years, years, side="left") + 1
    keys = np.array([c.category for c in CATEGORIES], dtype=object)
    return pd.DataFrame(
        {
            "crime_id": [f"{id_prefix}-{y}-{n:06d}" for y, n in zip(years.tolist(), number.tolist())],
            "reported_date": dates[order],
            "category": keys[cat_idx[order]],
            "area_id": np.array(area_ids, dtype=object)[area_idx[order]],
            "lon": points[order, 0],
            "lat": points[order, 1],
            "outdoor": outdoor[order],
            "victim_age": pd.array(ages[order], dtype="Int64"),
            "occurred_at": occurred[order].astype("datetime64[ns]"),
        }
    )


def crime_counts_table(crimes: pd.DataFrame) -> pd.DataFrame:
    """The ``crime_counts`` table: ``crimes`` counted per year, month, stadsdel and category.

    The last year is marked preliminary; nothing is suppressed.
    """
    dates = pd.to_datetime(crimes["reported_date"])
    frame = pd.DataFrame(
        {"year": dates.dt.year, "month": dates.dt.month, "area_id": crimes["area_id"], "category": crimes["category"]}
    )
    out = frame.groupby(["year", "month", "area_id", "category"], sort=True).size().reset_index(name="count")
    out["preliminary"] = out["year"] == YEARS[-1]
    out["suppressed"] = False
    return out
