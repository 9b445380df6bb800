"""Demodata – syntetiska uppgifter.

The synthetic demo data set of lagesbild: every table of the data contract (DESIGN §6) for the 13
stadsdelsområden of Stockholm with their 117 stadsdelar, and for Solna (a kommun with only two
levels), for the years 2019–2025. **Every figure is invented.** Names and rough positions are
real; boundaries are schematic Voronoi cells; crimes, assessments, events, survey answers and
ratings are drawn at random with patterns that make the report worth reading (Vällingby centrum
a hotspot, Hässelby gård the most unsafe stadsdel of Hässelby-Vällingby, some crime types rising
every year and some falling).

The same seed always gives byte-identical files; ``lagesbild demo-data`` calls
:func:`write_demo_data`.

Area ids are lowercase ASCII slugs of the Swedish names (å, ä → a, ö → o, é → e, anything else
that is not a letter or digit → ``-``). **Slug collision rule:** a lowest-level area whose slug
equals the slug of a higher-level area (the stadsdel Skärholmen in the stadsdelsområde
Skärholmen, likewise Farsta, Kungsholmen, Norrmalm, Södermalm, Östermalm) gets its level as a
suffix: ``skarholmen-stadsdel`` (``-delomrade`` in Solna).
"""

from __future__ import annotations

import datetime as dt
import json
import re
import zlib
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import shapely

from .data.dataset import DEMO_MARKER
from .demo_geography import (
    DISTRICTS,
    HOTSPOTS,
    KOMMUN_SOLNA,
    KOMMUN_STOCKHOLM,
    PLACES,
    SOLNA_DELOMRADEN,
    STADSDELAR,
    VULNERABLE_AREAS,
    WEEKLY_BASE,
    Stadsdel,
)

YEARS: tuple[int, ...] = tuple(range(2019, 2026))
#: The population figures in demo_geography are for this year.
BASE_YEAR = 2023
CRS84 = {"type": "name", "properties": {"name": "urn:ogc:def:crs:OGC:1.3:CRS84"}}

# A local equirectangular projection in km around Stockholm, for geometry and distances.
_LON0, _LAT0 = 18.0, 59.33
_KM_PER_DEG_LAT = 111.2
_KM_PER_DEG_LON = _KM_PER_DEG_LAT * float(np.cos(np.radians(_LAT0)))

_SLUG_TRANSLATION = str.maketrans({"å": "a", "ä": "a", "ö": "o", "é": "e", "ü": "u"})


# --------------------------------------------------------------------------- areas


def slugify(name: str) -> str:
    """The area id of a Swedish name: ``"Hässelby gård"`` → ``"hasselby-gard"``.

    Parameters
    ----------
    name
        A place name with å/ä/ö.

    Returns
    -------
    str
        Lowercase ASCII letters and digits joined by single hyphens.
    """
    text = name.lower().translate(_SLUG_TRANSLATION)
    return re.sub(r"[^a-z0-9]+", "-", text).strip("-")


STOCKHOLM = slugify(KOMMUN_STOCKHOLM)
SOLNA = slugify(KOMMUN_SOLNA)


@dataclass(frozen=True)
class DemoArea:
    """One row of the demo area registry."""

    area_id: str
    name: str
    level: str
    parent_id: str


@dataclass(frozen=True)
class Leaf:
    """A lowest-level area (stadsdel or delområde) with its invented attributes."""

    area_id: str
    level: str
    parent_id: str
    kommun_id: str
    info: Stadsdel


def build_areas() -> tuple[list[DemoArea], list[Leaf]]:
    """The area registry of the demo and its lowest-level areas, in a fixed order.

    Returns
    -------
    (areas, leaves)
        ``areas``: Stockholm, its stadsdelsområden and stadsdelar, then Solna and its delområden;
        ``leaves``: the stadsdelar and Solna's delområden.

    Raises
    ------
    ValueError
        When two areas would get the same id (a bug in the geography constants).
    """
    stockholm, solna = STOCKHOLM, SOLNA
    districts = [DemoArea(slugify(d), d, "stadsdelsomrade", stockholm) for d in DISTRICTS]
    taken = {stockholm, solna} | {d.area_id for d in districts}
    leaves = [_leaf(s, "stadsdel", slugify(s.district), stockholm, taken) for s in STADSDELAR]
    leaves += [_leaf(s, "delomrade", solna, solna, taken) for s in SOLNA_DELOMRADEN]
    areas = [DemoArea(stockholm, KOMMUN_STOCKHOLM, "kommun", ""), *districts]
    areas += [_as_area(leaf) for leaf in leaves if leaf.kommun_id == stockholm]
    areas.append(DemoArea(solna, KOMMUN_SOLNA, "kommun", ""))
    areas += [_as_area(leaf) for leaf in leaves if leaf.kommun_id == solna]
    if len({a.area_id for a in areas}) != len(areas):
        raise ValueError("the demo area ids are not unique")
    return areas, leaves


def _leaf(info: Stadsdel, level: str, parent_id: str, kommun_id: str, taken: set[str]) -> Leaf:
    slug = slugify(info.name)
    if slug in taken:  # the slug collision rule of the module docstring
        slug = f"{slug}-{level}"
    return Leaf(slug, level, parent_id, kommun_id, info)


def _as_area(leaf: Leaf) -> DemoArea:
    return DemoArea(leaf.area_id, leaf.info.name, leaf.level, leaf.parent_id)


# --------------------------------------------------------------------------- geometry


def _to_km(lon, lat):
    return (np.asarray(lon) - _LON0) * _KM_PER_DEG_LON, (np.asarray(lat) - _LAT0) * _KM_PER_DEG_LAT


def _to_lonlat(x, y):
    return np.asarray(x) / _KM_PER_DEG_LON + _LON0, np.asarray(y) / _KM_PER_DEG_LAT + _LAT0


def _geom_to_lonlat(geom, decimals: int = 5):
    """A projected (km) geometry in WGS84 lon/lat, coordinates rounded, exterior rings CCW."""

    def unproject(coords: np.ndarray) -> np.ndarray:
        lon, lat = _to_lonlat(coords[:, 0], coords[:, 1])
        return np.column_stack([lon, lat])

    geom = shapely.transform(geom, unproject)
    geom = shapely.set_precision(geom, 10.0**-decimals)
    geom = shapely.transform(geom, lambda c: np.round(c, decimals))
    if not geom.is_valid:
        geom = shapely.make_valid(geom)
    return shapely.orient_polygons(geom)


def build_cells(leaves: list[Leaf]) -> list[shapely.Polygon]:
    """Schematic boundaries: one Voronoi cell (projected, km) around each leaf's centroid.

    The cells of all leaves are drawn together (so Solna and Stockholm do not overlap), then cut
    to a buffered concave hull of the leaf's kommun and to a disc around the point.

    Parameters
    ----------
    leaves
        The lowest-level areas.

    Returns
    -------
    list of shapely polygons, one per leaf, in the same order, in km of the local projection.
    """
    x, y = _to_km([leaf.info.lon for leaf in leaves], [leaf.info.lat for leaf in leaves])
    points = shapely.points(x, y)
    frame = shapely.box(x.min() - 20, y.min() - 20, x.max() + 20, y.max() + 20)
    raw = shapely.get_parts(shapely.voronoi_polygons(shapely.multipoints(points), extend_to=frame, ordered=True))
    kommun_ids = [leaf.kommun_id for leaf in leaves]
    regions = {}
    for kommun in dict.fromkeys(kommun_ids):
        members = shapely.multipoints(points[[k == kommun for k in kommun_ids]])
        regions[kommun] = shapely.concave_hull(members, ratio=0.4).buffer(1.0, quad_segs=4)
    cells = []
    for point, kommun in zip(points, kommun_ids):
        cell = next(c for c in raw if c.contains(point))
        cell = cell.intersection(regions[kommun]).intersection(point.buffer(3.0, quad_segs=4))
        cells.append(cell if cell.geom_type == "Polygon" else max(shapely.get_parts(cell), key=lambda g: g.area))
    return cells


def _sample_in_cell(rng, cell, centre: tuple[float, float], sigma: float, n: int) -> np.ndarray:
    """``n`` points (km) scattered normally around ``centre``, kept inside ``cell``."""
    out = np.tile(np.asarray(centre, dtype=float), (n, 1))
    todo = np.arange(n)
    for _ in range(10):
        if not todo.size:
            break
        candidate = out[todo] + rng.normal(0.0, sigma, size=(todo.size, 2))
        inside = shapely.contains_xy(cell, candidate[:, 0], candidate[:, 1])
        out[todo[inside]] = candidate[inside]
        todo = todo[~inside]
    return out  # the few still outside after ten tries stay at the centre


def _cell_sigma(cell) -> float:
    return 0.3 * float(np.sqrt(cell.area))


# --------------------------------------------------------------------------- the world


@dataclass
class DemoWorld:
    """Everything the table builders share: the areas, the cells and the seed."""

    seed: int
    areas: list[DemoArea]
    leaves: list[Leaf]
    cells: list[shapely.Polygon]

    def rng(self, stream: str) -> np.random.Generator:
        """An independent random generator per table, so tables do not shift one another."""
        return np.random.default_rng([self.seed, zlib.crc32(stream.encode("utf-8"))])

    @property
    def groups(self) -> list[str]:
        """Parents of the leaves (stadsdelsområden and Solna), in registry order."""
        return list(dict.fromkeys(leaf.parent_id for leaf in self.leaves))

    def leaf_index(self, name: str) -> int:
        """Index of the leaf with this (Swedish) name."""
        return next(i for i, leaf in enumerate(self.leaves) if leaf.info.name == name)

    def array(self, attribute: str) -> np.ndarray:
        """One attribute of every leaf's :class:`Stadsdel` as an array."""
        return np.array([getattr(leaf.info, attribute) for leaf in self.leaves], dtype=float)

    def centre_km(self, i: int) -> tuple[float, float]:
        x, y = _to_km(self.leaves[i].info.lon, self.leaves[i].info.lat)
        return float(x), float(y)


@dataclass(frozen=True)
class ReportUnit:
    """An area that surveys, indicators and ratings describe, with its leaves' combined figures."""

    area_id: str
    kommun_id: str
    vulnerability: float
    population: float
    hotspot: bool


def report_units(world: DemoWorld, two_level_parts: bool) -> list[ReportUnit]:
    """The stadsdelsområden of Stockholm, then Solna's delområden (or Solna itself).

    Parameters
    ----------
    world
        The demo world.
    two_level_parts
        For a kommun with only two levels (Solna): one unit per delområde when True, one unit for
        the kommun when False.

    Returns
    -------
    list of ReportUnit, vulnerability weighted by population.
    """
    units = []
    for group in world.groups:
        idx = [i for i, leaf in enumerate(world.leaves) if leaf.parent_id == group]
        kommun = world.leaves[idx[0]].kommun_id
        if kommun != group or not two_level_parts:
            units.append(_unit(world, group, kommun, idx))
        else:
            units += [_unit(world, world.leaves[i].area_id, kommun, [i]) for i in idx]
    return units


def _unit(world: DemoWorld, area_id: str, kommun_id: str, idx: list[int]) -> ReportUnit:
    pop = world.array("population")[idx]
    v = world.array("vulnerability")[idx]
    hot = any(world.leaves[i].info.name in HOTSPOTS for i in idx)
    return ReportUnit(area_id, kommun_id, float(np.average(v, weights=pop)), float(pop.sum()), hot)


def build_world(seed: int) -> DemoWorld:
    """The areas and schematic cells of the demo, with the seed for the random tables."""
    areas, leaves = build_areas()
    return DemoWorld(seed, areas, leaves, build_cells(leaves))


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
    CrimeCategory("narkotikabrott", "Narkotikabrott", _OVRIGA, False, False, False, 6.0, 1.5, 1.0, 0.7, None,
                  (1.0, 1.10, 1.16, 1.05, 1.0, 0.95, 1.06), (0.15, 5), hotspot=True),
)


def crime_categories_table() -> pd.DataFrame:
    """The ``crime_categories`` table: key, Swedish label, CompStat group and flags."""
    columns = ["category", "label", "group", "compstat", "violent", "intimate_partner"]
    return pd.DataFrame([[getattr(c, k) for k in columns] for c in CATEGORIES], columns=columns)


# --------------------------------------------------------------------------- simple tables


def areas_table(world: DemoWorld) -> pd.DataFrame:
    """The ``areas`` registry (validity dates left empty: the demo's areas never change)."""
    rows = [(a.area_id, a.name, a.level, a.parent_id, "", "") for a in world.areas]
    return pd.DataFrame(rows, columns=["area_id", "name", "level", "parent_id", "valid_from", "valid_to"])


def places_table(world: DemoWorld) -> pd.DataFrame:
    """The ``places`` table: a few priority places, open drug scenes and illegal settlements."""
    rows = []
    for name, kind, stadsdel, lon, lat in PLACES:
        rows.append((slugify(name), name, kind, world.leaves[world.leaf_index(stadsdel)].area_id, lon, lat))
    return pd.DataFrame(rows, columns=["place_id", "name", "type", "area_id", "lon", "lat"])


# --------------------------------------------------------------------------- population


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


# --------------------------------------------------------------------------- crimes


def _category_weights(world: DemoWorld) -> np.ndarray:
    """Relative crime weight per leaf and category, shape (leaves, categories), mean rate 1 per inhabitant."""
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
    weights = _category_weights(world)
    growth = total_population(world) / world.array("population")[:, None]
    rates = np.array([c.rate for c in CATEGORIES]) / 1000.0
    trend = np.array([c.trend for c in CATEGORIES])
    parents = np.array([leaf.parent_id for leaf in world.leaves])
    counts = np.zeros((len(world.leaves), len(CATEGORIES), len(YEARS)), dtype=np.int64)
    for group in world.groups:
        members = np.flatnonzero(parents == group)
        expected = np.einsum("lc,ly->cy", weights[members], growth[members]) * rates[:, None] * trend
        for ci, cat in enumerate(CATEGORIES):
            noise = 1.0 if cat.monotone else np.exp(rng.normal(0.0, 0.07, size=len(YEARS)))
            drawn = rng.poisson(expected[ci] * noise)
            if cat.monotone:
                drawn = np.sort(drawn)[:: 1 if trend[ci, -1] > trend[ci, 0] else -1]
            for yi, n in enumerate(drawn):
                share = weights[members, ci] * growth[members, yi]
                counts[members, ci, yi] = rng.multinomial(n, share / share.sum())
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


def _draw_points(world: DemoWorld, rng, leaf_idx: np.ndarray, cat_idx: np.ndarray) -> np.ndarray:
    """Lon/lat of every crime: scattered in its cell, violent ones partly around a hotspot centre."""
    clustered = np.array([c.hotspot for c in CATEGORIES])[cat_idx]
    xy = np.empty((leaf_idx.size, 2))
    for li in np.unique(leaf_idx):
        rows = np.flatnonzero(leaf_idx == li)
        cell = world.cells[li]
        xy[rows] = _sample_in_cell(rng, cell, world.centre_km(li), _cell_sigma(cell), rows.size)
        hotspot = HOTSPOTS.get(world.leaves[li].info.name)
        if hotspot is None:
            continue
        lon, lat, share = hotspot
        chosen = rows[clustered[rows] & (rng.random(rows.size) < share)]
        centre = tuple(float(v) for v in _to_km(lon, lat))
        xy[chosen] = _sample_in_cell(rng, cell, centre, 0.12, chosen.size)
    lon, lat = _to_lonlat(xy[:, 0], xy[:, 1])
    return np.column_stack([np.round(lon, 5), np.round(lat, 5)])


def _draw_victim_ages(rng, cat_idx: np.ndarray) -> np.ndarray:
    """Victim age per crime (float, NaN where the category has no person victim)."""
    spec = np.array([c.victim_age if c.victim_age else (np.nan, 1.0, 1.0) for c in CATEGORIES])
    lo, shape, scale = (spec[cat_idx, k] for k in range(3))
    ages = lo + rng.gamma(shape, scale)
    return np.where(np.isnan(lo), np.nan, np.minimum(np.floor(ages), 95.0))


def crimes_table(world: DemoWorld) -> pd.DataFrame:
    """The ``crimes`` table: one row per reported crime, 2019–2025, sorted by date.

    ``crime_id`` is ``DEMO-<year>-<number>``, numbered by date within each year.
    """
    counts = crime_counts_by_leaf(world)
    rng = world.rng("crimes")
    leaf_idx, cat_idx, year_idx = np.unravel_index(np.repeat(np.arange(counts.size), counts.ravel()), counts.shape)
    dates = _draw_dates(rng, cat_idx, year_idx)
    points = _draw_points(world, rng, leaf_idx, cat_idx)
    outdoor = rng.random(leaf_idx.size) < np.array([c.outdoor_share for c in CATEGORIES])[cat_idx]
    ages = _draw_victim_ages(rng, cat_idx)
    order = np.lexsort((cat_idx, leaf_idx, dates))
    years = np.array(YEARS)[year_idx[order]]
    number = np.arange(order.size) - np.searchsorted(years, years, side="left") + 1
    area_ids = np.array([leaf.area_id for leaf in world.leaves], dtype=object)
    keys = np.array([c.category for c in CATEGORIES], dtype=object)
    return pd.DataFrame(
        {
            "crime_id": [f"DEMO-{y}-{n:06d}" for y, n in zip(years.tolist(), number.tolist())],
            "reported_date": dates[order],
            "category": keys[cat_idx[order]],
            "area_id": area_ids[leaf_idx[order]],
            "lon": points[order, 0],
            "lat": points[order, 1],
            "outdoor": outdoor[order],
            "victim_age": pd.array(ages[order], dtype="Int64"),
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
        x, y = _sample_in_cell(rng, cell, world.centre_km(li), _cell_sigma(cell), 1)[0]
        lon, lat = _to_lonlat(x, y)
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
    rng = world.rng("weekly")
    weeks = iso_weeks()
    base = 0.8 + 2.6 * world.array("vulnerability") ** 1.5
    for name, value in WEEKLY_BASE.items():
        base[world.leaf_index(name)] = value
    bump = _event_bumps(world, events, weeks)
    latent = np.zeros((len(weeks), len(world.leaves)))
    z = rng.normal(0.0, 0.7, size=len(world.leaves))
    for t in range(len(weeks)):
        z = 0.8 * z + rng.normal(0.0, 0.42, size=z.size)
        latent[t] = z
    level = np.clip(np.round(base[None, :] + latent + bump), 1, 5).astype(int)
    return pd.DataFrame(
        {
            "year": np.repeat([y for y, _ in weeks], len(world.leaves)),
            "week": np.repeat([w for _, w in weeks], len(world.leaves)),
            "area_id": [leaf.area_id for leaf in world.leaves] * len(weeks),
            "level": level.ravel(),
        }
    )


def _event_bumps(world: DemoWorld, events: pd.DataFrame, weeks: list[tuple[int, int]]) -> np.ndarray:
    """Extra level per (week, leaf): +2.7 in an event's week, +1.2 the week after."""
    position = {w: t for t, w in enumerate(weeks)}
    column = {leaf.area_id: li for li, leaf in enumerate(world.leaves)}
    bump = np.zeros((len(weeks), len(world.leaves)))
    for date, area in zip(events["event_date"], events["area_id"]):
        iso = dt.date.fromisoformat(date).isocalendar()
        t = position.get((iso.year, iso.week))
        if t is None:
            continue
        bump[t, column[area]] = max(bump[t, column[area]], 2.7)
        if t + 1 < len(weeks):
            bump[t + 1, column[area]] = max(bump[t + 1, column[area]], 1.2)
    return bump


# --------------------------------------------------------------------------- survey

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
    return pd.DataFrame(rows, columns=["year", "area_id", "indicator", "value", "unit", "label"])


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


# --------------------------------------------------------------------------- GeoJSON layers


def areas_features(world: DemoWorld) -> list[tuple[dict, object]]:
    """Features of ``areas.geojson``: the lowest level only (stadsdelar, Solna's delområden)."""
    return [
        ({"area_id": leaf.area_id, "name": leaf.info.name}, _geom_to_lonlat(cell))
        for leaf, cell in zip(world.leaves, world.cells)
    ]


def vulnerable_features() -> list[tuple[dict, object]]:
    """Features of ``vulnerable_areas.geojson``: schematic hulls around the police's areas."""
    features = []
    for name, category, points in VULNERABLE_AREAS:
        x, y = _to_km([p[0] for p in points], [p[1] for p in points])
        discs = shapely.buffer(shapely.points(x, y), 0.7, quad_segs=6)
        hull = shapely.convex_hull(shapely.union_all(discs))
        features.append(({"name": name, "category": category}, _geom_to_lonlat(hull)))
    return features


# --------------------------------------------------------------------------- writers

#: Decimals of the float columns in the CSV files (fixed, so that the files are byte-stable).
_DECIMALS = {"lon": 5, "lat": 5, "share": 4, "value": 1, "score": 1}


def _csv_text(frame: pd.DataFrame) -> pd.DataFrame:
    """Every cell as the exact text to write: true/false, fixed decimals, empty for missing."""
    out = {}
    for name in frame.columns:
        col = frame[name]
        if pd.api.types.is_bool_dtype(col):
            out[name] = col.map({True: "true", False: "false"})
        elif pd.api.types.is_float_dtype(col):
            fmt = f"{{:.{_DECIMALS.get(name, 3)}f}}"
            out[name] = col.map(lambda x, f=fmt: "" if pd.isna(x) else f.format(x))
        else:
            out[name] = col.map(lambda x: "" if x is None or x is pd.NA else str(x))
    return pd.DataFrame(out)


def _write_csv(frame: pd.DataFrame, path: Path) -> Path:
    _csv_text(frame).to_csv(path, index=False, encoding="utf-8", lineterminator="\n")
    return path


def _write_crimes_parquet(crimes: pd.DataFrame, path: Path) -> Path:
    """``crimes.parquet`` with explicit Arrow types (dates as date32, victim_age nullable int16)."""
    table = pa.table(
        {
            "crime_id": pa.array(crimes["crime_id"].tolist(), pa.string()),
            "reported_date": pa.array(crimes["reported_date"].to_numpy().astype("datetime64[D]"), pa.date32()),
            "category": pa.array(crimes["category"].tolist(), pa.string()),
            "area_id": pa.array(crimes["area_id"].tolist(), pa.string()),
            "lon": pa.array(crimes["lon"].to_numpy(), pa.float64()),
            "lat": pa.array(crimes["lat"].to_numpy(), pa.float64()),
            "outdoor": pa.array(crimes["outdoor"].to_numpy(), pa.bool_()),
            "victim_age": pa.array(crimes["victim_age"], pa.int16(), from_pandas=True),
        }
    )
    pq.write_table(table, path, compression="zstd", row_group_size=1 << 20)
    return path


def _write_geojson(features: list[tuple[dict, object]], name: str, path: Path) -> Path:
    """A FeatureCollection in CRS84, one feature per line."""
    lines = []
    for props, geom in features:
        feature = {"type": "Feature", "properties": props, "geometry": shapely.geometry.mapping(geom)}
        lines.append(json.dumps(feature, ensure_ascii=False, separators=(",", ":")))
    head = json.dumps({"type": "FeatureCollection", "name": name, "crs": CRS84}, ensure_ascii=False)[:-1]
    path.write_text(head + ', "features": [\n' + ",\n".join(lines) + "\n]}\n", encoding="utf-8")
    return path


_MARKER_TEXT = """Demodata – syntetiska uppgifter

Alla siffror i den här mappen är påhittade och skapade av lagesbild (lagesbild demo-data, seed {seed}).
Namn och ungefärliga lägen för Stockholms stadsdelsområden och stadsdelar samt Solna är verkliga;
gränserna är schematiska. Använd inte uppgifterna som underlag för beslut.
"""


def write_demo_data(out_dir: Path, seed: int = 2023) -> list[Path]:
    """Write the synthetic demo data set into out_dir (created if missing); return the files written.

    Parameters
    ----------
    out_dir
        Target folder; existing files of the same names are overwritten.
    seed
        Seed of the random draws: the same seed gives byte-identical files.

    Returns
    -------
    list of Path
        The marker file ``DEMODATA.txt``, the contract tables (``crimes.parquet``, the others as
        CSV) and the two GeoJSON layers, in a fixed order.
    """
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    world = build_world(seed)
    crimes = crimes_table(world)
    events = critical_events_table(world)
    tables = {
        "areas": areas_table(world),
        "crime_categories": crime_categories_table(),
        "crime_counts": crime_counts_table(crimes),
        "weekly_assessments": weekly_assessments_table(world, events),
        "critical_events": events,
        "population": population_table(world),
        "indicators": indicators_table(world),
        "survey": survey_table(world),
        "places": places_table(world),
        "programme_ratings": programme_ratings_table(world),
    }
    marker = out_dir / DEMO_MARKER
    marker.write_text(_MARKER_TEXT.format(seed=seed), encoding="utf-8")
    written = [marker, _write_crimes_parquet(crimes, out_dir / "crimes.parquet")]
    written += [_write_csv(frame, out_dir / f"{name}.csv") for name, frame in tables.items()]
    written.append(_write_geojson(areas_features(world), "areas", out_dir / "areas.geojson"))
    written.append(_write_geojson(vulnerable_features(), "vulnerable_areas", out_dir / "vulnerable_areas.geojson"))
    return written
