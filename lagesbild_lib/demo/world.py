"""The world of the demo data set: the years, the area registry and the geometry.

The 13 stadsdelsområden of Stockholm with their stadsdelar and Solna with its delområden become
:class:`DemoArea` rows and :class:`Leaf` areas; each leaf gets its boundary in a local
equirectangular projection (km around Stockholm) – the real outline of a Stockholm stadsdel, a
schematic Voronoi cell for a delområde of Solna (:func:`build_cells`) – and :class:`DemoWorld`
hands every table builder the areas, the cells and one independent random stream per table. Above the two kommuner sit
riket and Stockholms län, and beside them the other kommuner of Solna's SKR kommungrupp in the län
(:data:`PEER_KOMMUNER`): peer rows only (population and monthly crime counts for the comparison
with riket, länet and the kommungrupp, :mod:`lagesbild_lib.demo.peers`), with no sub-areas,
geometry, crimes or assessments. Area ids are lowercase ASCII
slugs of the Swedish names (å, ä → a, ö → o, é → e, anything else that is not a letter or digit →
``-``). **Slug collision rule:** a lowest-level area whose slug equals the slug of a higher-level
area (the stadsdel Skärholmen in the stadsdelsområde Skärholmen, likewise Farsta, Kungsholmen,
Norrmalm, Södermalm, Östermalm) gets its level as a suffix: ``skarholmen-stadsdel``
(``-delomrade`` in Solna).
"""

from __future__ import annotations

import functools
import re
import zlib
from dataclasses import dataclass

import numpy as np
import shapely

from lagesbild_lib.demo.boundaries import outline_key, read_outlines
from lagesbild_lib.demo.geography import (
    DISTRICTS,
    HOTSPOTS,
    KOMMUN_SOLNA,
    KOMMUN_STOCKHOLM,
    SOLNA_DELOMRADEN,
    STADSDELAR,
    Stadsdel,
)


YEARS: tuple[int, ...] = tuple(range(2019, 2026))
#: The population figures in demo_geography are for this year.
BASE_YEAR = 2023

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

# --------------------------------------------------------------------------- peer areas
#: The levels above the kommuner: riket and the län of Stockholm and Solna (peer rows only).
RIKET, RIKET_NAME = "riket", "Riket"
LAN, LAN_NAME = "stockholms-lan", "Stockholms län"


@dataclass(frozen=True)
class PeerKommun:
    """A real kommun of Stockholms län in Solna's SKR kommungrupp, present in the demo only as a
    peer: code and name as in ``resources/kommuner.csv``, a population of roughly its real size
    in :data:`BASE_YEAR` and an invented vulnerability (0 well off … 1 vulnerable) that sets its
    synthetic crime level."""

    code: str
    name: str
    population: int
    vulnerability: float

    @property
    def area_id(self) -> str:
        return slugify(self.name)


PEER_KOMMUNER: tuple[PeerKommun, ...] = (
    PeerKommun("0123", "Järfälla", 86_000, 0.40),
    PeerKommun("0125", "Ekerö", 29_000, 0.12),  # in lokalpolisområde Vällingby with Hässelby-Vällingby and Bromma
    PeerKommun("0126", "Huddinge", 115_000, 0.38),
    PeerKommun("0127", "Botkyrka", 95_000, 0.60),
    PeerKommun("0136", "Haninge", 97_000, 0.42),
    PeerKommun("0138", "Tyresö", 49_000, 0.20),
    PeerKommun("0160", "Täby", 75_000, 0.12),
    PeerKommun("0162", "Danderyd", 33_000, 0.05),
    PeerKommun("0163", "Sollentuna", 76_000, 0.25),
    PeerKommun("0182", "Nacka", 108_000, 0.22),
    PeerKommun("0183", "Sundbyberg", 54_000, 0.36),
    PeerKommun("0186", "Lidingö", 48_000, 0.10),
)
#: Population of riket and of Stockholms län in :data:`BASE_YEAR` (roughly the real figures)
#: and their yearly growth; the rows' counts beyond the demo's kommuner are invented.
RIKET_POPULATION, LAN_POPULATION = 10_550_000, 2_450_000
RIKET_GROWTH, LAN_GROWTH = 0.007, 0.010


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
        ``areas``: riket and Stockholms län, Stockholm with its stadsdelsområden and stadsdelar,
        Solna and its delområden, then the peer kommuner (:data:`PEER_KOMMUNER`, no sub-areas);
        ``leaves``: the stadsdelar and Solna's delområden (the peer kommuner are not leaves: they
        have no geometry and no row-level data).

    Raises
    ------
    ValueError
        When two areas would get the same id (a bug in the geography constants).
    """
    stockholm, solna = STOCKHOLM, SOLNA
    districts = [DemoArea(slugify(d), d, "stadsdelsomrade", stockholm) for d in DISTRICTS]
    peers = [DemoArea(k.area_id, k.name, "kommun", LAN) for k in PEER_KOMMUNER]
    taken = {RIKET, LAN, stockholm, solna} | {d.area_id for d in districts} | {p.area_id for p in peers}
    leaves = [_leaf(s, "stadsdel", slugify(s.district), stockholm, taken) for s in STADSDELAR]
    leaves += [_leaf(s, "delomrade", solna, solna, taken) for s in SOLNA_DELOMRADEN]
    areas = [DemoArea(RIKET, RIKET_NAME, "riket", ""), DemoArea(LAN, LAN_NAME, "lan", RIKET)]
    areas += [DemoArea(stockholm, KOMMUN_STOCKHOLM, "kommun", LAN), *districts]
    areas += [_as_area(leaf) for leaf in leaves if leaf.kommun_id == stockholm]
    areas.append(DemoArea(solna, KOMMUN_SOLNA, "kommun", LAN))
    areas += [_as_area(leaf) for leaf in leaves if leaf.kommun_id == solna]
    areas += peers
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


def to_km(lon, lat):
    return (np.asarray(lon) - _LON0) * _KM_PER_DEG_LON, (np.asarray(lat) - _LAT0) * _KM_PER_DEG_LAT


def to_lonlat(x, y):
    return np.asarray(x) / _KM_PER_DEG_LON + _LON0, np.asarray(y) / _KM_PER_DEG_LAT + _LAT0


def geom_to_lonlat(geom, decimals: int = 5):
    """A projected (km) geometry in WGS84 lon/lat, coordinates rounded, exterior rings CCW."""

    def unproject(coords: np.ndarray) -> np.ndarray:
        lon, lat = to_lonlat(coords[:, 0], coords[:, 1])
        return np.column_stack([lon, lat])

    geom = shapely.transform(geom, unproject)
    geom = shapely.set_precision(geom, 10.0**-decimals)
    geom = shapely.transform(geom, lambda c: np.round(c, decimals))
    if not geom.is_valid:
        geom = shapely.make_valid(geom)
    return shapely.orient_polygons(geom)


def to_km_geom(geom):
    """A WGS84 lon/lat geometry in km of the local projection."""
    return shapely.transform(geom, lambda c: np.column_stack(to_km(c[:, 0], c[:, 1])))


def build_cells(leaves: list[Leaf]) -> list[shapely.Polygon]:
    """Boundaries (projected, km): the real outline of each stadsdel of Stockholm, a schematic cell
    for each delområde of Solna.

    The stadsdelar get Stockholms stad's open outlines (:mod:`lagesbild_lib.demo.boundaries`).
    Solna's delområden have no open outline: each gets the Voronoi cell around its centroid among
    Solna's points, cut to a buffered concave hull of them and a disc around the point, minus
    every Stockholm outline, so the schematic cells never overlap the real ones.

    Parameters
    ----------
    leaves
        The lowest-level areas.

    Returns
    -------
    list of shapely polygons, one per leaf, in the same order, in km of the local projection.

    Raises
    ------
    ValueError
        A stadsdel of Stockholm without an outline in the bundled file, or an outline no stadsdel uses.
    """
    outlines = read_outlines()
    real = [outline_key(leaf.info.name) for leaf in leaves if leaf.kommun_id == STOCKHOLM]
    if set(real) != set(outlines):
        raise ValueError(f"stadsdelar and outlines differ: {sorted(set(real) ^ set(outlines))}")
    cells: list = [None] * len(leaves)
    for i, leaf in enumerate(leaves):
        if leaf.kommun_id == STOCKHOLM:
            cells[i] = to_km_geom(outlines[outline_key(leaf.info.name)])
    taken = shapely.union_all([c for c in cells if c is not None]) if any(c is not None for c in cells) else None
    rest = [i for i, c in enumerate(cells) if c is None]
    for kommun in dict.fromkeys(leaves[i].kommun_id for i in rest):
        members = [i for i in rest if leaves[i].kommun_id == kommun]
        for i, cell in zip(members, _schematic_cells([leaves[i] for i in members], taken)):
            cells[i] = cell
    return cells


def _schematic_cells(leaves: list[Leaf], taken) -> list[shapely.Polygon]:
    """Voronoi cells (km) around the leaves' centroids, inside a buffered concave hull, minus ``taken``."""
    x, y = to_km([leaf.info.lon for leaf in leaves], [leaf.info.lat for leaf in leaves])
    points = shapely.points(x, y)
    frame = shapely.box(x.min() - 20, y.min() - 20, x.max() + 20, y.max() + 20)
    raw = shapely.get_parts(shapely.voronoi_polygons(shapely.multipoints(points), extend_to=frame, ordered=True))
    region = shapely.concave_hull(shapely.multipoints(points), ratio=0.4).buffer(1.0, quad_segs=4)
    if taken is not None:
        region = region.difference(taken)
    cells = []
    for point in points:
        cell = next(c for c in raw if c.contains(point))
        cell = cell.intersection(region).intersection(point.buffer(3.0, quad_segs=4))
        parts = [g for g in shapely.get_parts(cell) if g.geom_type == "Polygon"]
        cells.append(next((g for g in parts if g.contains(point)), max(parts, key=lambda g: g.area)))
    return cells


def sample_in_cell(rng, cell, centre: tuple[float, float], sigma: float, n: int) -> np.ndarray:
    """``n`` points (km) scattered normally around ``centre``, kept inside ``cell``.

    Points are kept 5 m inside the cell's edge (when the cell is wide enough), so that they stay
    inside it after rounding to five decimals of a degree.
    """
    inner = cell.buffer(-0.005)
    if inner.is_empty or inner.area < 0.5 * cell.area:
        inner = cell
    out = np.tile(np.asarray(centre, dtype=float), (n, 1))
    todo = np.arange(n)
    for _ in range(10):
        if not todo.size:
            break
        candidate = out[todo] + rng.normal(0.0, sigma, size=(todo.size, 2))
        inside = shapely.contains_xy(inner, candidate[:, 0], candidate[:, 1])
        out[todo[inside]] = candidate[inside]
        todo = todo[~inside]
    return out  # the few still outside after ten tries stay at the centre


@functools.lru_cache(maxsize=1)
def _water_km():
    from lagesbild_lib.demo.basemap import water_shapes  # the base map draws on the outlines read here

    return to_km_geom(shapely.union_all(list(water_shapes().values())))


def land_of(cell):
    """The part of a cell (km) outside the base map's water, where crimes and events are placed
    (the whole cell when less than half of it is land)."""
    land = cell.difference(_water_km())
    return land if land.area > 0.5 * cell.area else cell


def cell_sigma(cell) -> float:
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
        x, y = to_km(self.leaves[i].info.lon, self.leaves[i].info.lat)
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
    """The areas and boundaries of the demo, with the seed for the random tables."""
    areas, leaves = build_areas()
    return DemoWorld(seed, areas, leaves, build_cells(leaves))


#: SKR:s kommungruppsindelning 2023 for the demo's kommuner (their real groups), from that year on.
KOMMUNGRUPP_YEAR = 2023
KOMMUNGRUPPER = {
    STOCKHOLM: "Storstäder", SOLNA: "Pendlingskommun nära storstad",
    **{k.area_id: "Pendlingskommun nära storstad" for k in PEER_KOMMUNER},
}


def kommungrupp_rows() -> list[dict[str, object]]:
    """The ``kommungrupp`` table's rows: each demo kommun and its SKR group (year, area_id, kommungrupp)."""
    return [{"year": KOMMUNGRUPP_YEAR, "area_id": a, "kommungrupp": g} for a, g in sorted(KOMMUNGRUPPER.items())]
